"""The maintain job: OPTIMIZE (compaction + Z-order) and VACUUM of the warehouse's tables.

Stages write many small files (one per task and partition per commit, more after MERGEs);
OPTIMIZE compacts them to ``maintain.target_file_bytes`` and, with Z-order on the table's
lookup keys (``tables.ZORDER_BY``), clusters rows so Delta's file statistics prune files.
VACUUM then deletes files that no table version within ``maintain.retain_hours`` needs.
What was done goes to ``reports/<run_id>/maintenance.{md,json}`` (docs/CLUSTER.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

from corpusforge import artifacts, tables
from corpusforge.config import DELTA_SAFE_RETENTION_HOURS, Config, MaintainSettings
from corpusforge.errors import ConfigError
from corpusforge.stages import StageResult, finish_stage

STAGE = "maintain"
_RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled"
_MAX_FILE_SIZE = "spark.databricks.delta.optimize.maxFileSize"
# VACUUM lists files with this many tasks; Spark's default (10000) means 20000 tasks per
# table (DRY RUN and the real one): hours on a small cluster or in local mode.
_LISTING = "spark.sql.sources.parallelPartitionDiscovery.parallelism"


def listing_parallelism(settings: MaintainSettings, default_parallelism: int) -> int:
    """The tasks VACUUM lists files with: the setting, else 4 per core of the session, at least 8."""
    return settings.listing_parallelism or max(8, 4 * default_parallelism)


@dataclass(frozen=True)
class TablePlan:
    """What the maintain job does to one table."""

    table: str
    partition_by: tuple[str, ...]
    zorder_by: tuple[str, ...]


@dataclass
class TableReport:
    """What the maintain job did to one table."""

    table: str
    partition_by: list[str]
    zorder_by: list[str]
    files_before: int
    bytes_before: int
    files_after: int
    bytes_after: int
    optimize_files_added: int
    optimize_files_removed: int
    vacuum_retain_hours: float | None
    vacuum_files_deleted: int
    version: int


def maintenance_plan(settings: MaintainSettings, existing: set[str]) -> list[TablePlan]:
    """The tables to maintain (in contract order) and the columns each is Z-ordered by.

    A table named in ``settings.tables`` that is not part of the contract is an error; one
    that does not exist yet is skipped.
    """
    unknown = sorted(set(settings.tables) - set(tables.TABLES))
    if unknown:
        raise ConfigError(f"unknown table(s) {unknown} in maintain.tables", stage=STAGE,
                          hint=f"tables of the warehouse: {', '.join(tables.TABLES)}")
    wanted = set(settings.tables) or set(tables.TABLES)
    plans = []
    for name, spec in tables.TABLES.items():
        if name in wanted and name in existing:
            zorder = tables.ZORDER_BY.get(name, ()) if settings.zorder else ()
            plans.append(TablePlan(name, spec.partition_by, zorder))
    return plans


def _file_stats(table: DeltaTable) -> tuple[int, int]:
    detail = table.detail().select("numFiles", "sizeInBytes").first()
    return int(detail["numFiles"] or 0), int(detail["sizeInBytes"] or 0)


def maintain_table(spark: SparkSession, warehouse: str, plan: TablePlan,
                   settings: MaintainSettings) -> TableReport:
    """OPTIMIZE then VACUUM one table, as ``settings`` say; returns what changed."""
    path = tables.TABLES[plan.table].path(warehouse)
    table = DeltaTable.forPath(spark, path)
    files_before, bytes_before = _file_stats(table)
    added = removed = 0
    if settings.optimize:
        builder = table.optimize()
        result = (builder.executeZOrderBy(*plan.zorder_by) if plan.zorder_by
                  else builder.executeCompaction())
        metrics = result.select("metrics.numFilesAdded", "metrics.numFilesRemoved").first()
        added, removed = int(metrics["numFilesAdded"]), int(metrics["numFilesRemoved"])
    deleted = 0
    if settings.vacuum:
        quoted = path.replace("`", "``")
        hours = f"{settings.retain_hours:.6f}".rstrip("0").rstrip(".")  # SQL: no exponent
        # DRY RUN lists exactly the files the VACUUM below deletes: the report's count.
        deleted = spark.sql(f"VACUUM delta.`{quoted}` RETAIN {hours} HOURS DRY RUN").count()
        table.vacuum(settings.retain_hours)
    files_after, bytes_after = _file_stats(table)
    version = table.history(1).first()["version"]
    return TableReport(plan.table, list(plan.partition_by), list(plan.zorder_by), files_before,
                       bytes_before, files_after, bytes_after, added, removed,
                       settings.retain_hours if settings.vacuum else None, deleted, version)


def report_markdown(run_id: str, settings: MaintainSettings, reports: list[TableReport]) -> str:
    """The maintenance report as Markdown: one row per table."""
    vacuum = (f"VACUUM retaining {settings.retain_hours:g} h" if settings.vacuum else "no VACUUM")
    optimize = ("OPTIMIZE with Z-order" if settings.zorder else "OPTIMIZE (bin-packing)") \
        if settings.optimize else "no OPTIMIZE"
    lines = [f"# corpusforge maintenance, run {run_id}", "",
             f"{optimize} (files up to {settings.target_file_bytes} bytes), {vacuum}.", "",
             "| table | partitioned by | Z-order by | files before | files after | "
             "bytes before | bytes after | OPTIMIZE added / removed | VACUUM deleted | version |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in reports:
        lines.append(
            f"| {r.table} | {', '.join(r.partition_by) or '-'} | {', '.join(r.zorder_by) or '-'} "
            f"| {r.files_before} | {r.files_after} | {r.bytes_before} | {r.bytes_after} "
            f"| {r.optimize_files_added} / {r.optimize_files_removed} | {r.vacuum_files_deleted} "
            f"| {r.version} |")
    return "\n".join(lines) + "\n"


def run(spark: SparkSession, config: Config) -> StageResult:
    """Maintain the configured tables of ``config.warehouse`` and write the report."""
    settings = config.maintain
    warehouse = config.warehouse
    existing = {name for name, spec in tables.TABLES.items()
                if tables.table_exists(spark, warehouse, spec)}
    plans = maintenance_plan(settings, existing)
    saved = {key: spark.conf.get(key, None) for key in (_RETENTION_CHECK, _MAX_FILE_SIZE, _LISTING)}
    spark.conf.set(_MAX_FILE_SIZE, str(settings.target_file_bytes))
    spark.conf.set(_LISTING, str(listing_parallelism(settings, spark.sparkContext.defaultParallelism)))
    if settings.retain_hours < DELTA_SAFE_RETENTION_HOURS:
        # Only reachable with maintain.allow_short_retention: true (the config refuses otherwise).
        spark.conf.set(_RETENTION_CHECK, "false")
    try:
        reports = [maintain_table(spark, warehouse, plan, settings) for plan in plans]
    finally:
        for key, value in saved.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)
    run_id = config.resolved_run_id()
    folder = artifacts.artifact_path(warehouse, "reports", run_id)
    artifacts.write_artifact(spark, f"{folder}/maintenance.md",
                             report_markdown(run_id, settings, reports).encode())
    artifacts.write_artifact(spark, f"{folder}/maintenance.json", (json.dumps(
        {"settings": settings.model_dump(), "tables": [asdict(r) for r in reports]},
        indent=2, sort_keys=True) + "\n").encode())
    versions = {r.table: r.version for r in reports}
    return finish_stage(spark, warehouse, run_id,
                        StageResult(STAGE, len(reports), len(reports), 0, {}, versions))
