"""The maintain job: OPTIMIZE (compaction + Z-order) and VACUUM of the warehouse's tables.

Stages write many small files (one per task and partition per commit, more after MERGEs);
OPTIMIZE compacts them to ``maintain.target_file_bytes`` and, with Z-order on the table's
lookup keys (``tables.ZORDER_BY``), clusters rows so Delta's file statistics prune files.
VACUUM then deletes files that no table version within ``maintain.retain_hours`` needs.
What was done goes to ``reports/<run_id>/maintenance.{md,json}`` (docs/CLUSTER.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from corpusforge import artifacts, tables
from corpusforge.config import DELTA_SAFE_RETENTION_HOURS, Config, MaintainSettings
from corpusforge.errors import ConfigError, CorpusforgeError
from corpusforge.stages import StageResult, finish_stage

STAGE = "maintain"
_RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled"
_MAX_FILE_SIZE = "spark.databricks.delta.optimize.maxFileSize"
# VACUUM lists files with this many tasks; Spark's default (10000) means 10000 tasks per
# table: hours on a small cluster or in local mode.
_LISTING = "spark.sql.sources.parallelPartitionDiscovery.parallelism"
# Partitions per OPTIMIZE ZORDER commit when some are left alone (one OR term each).
_PARTITIONS_PER_OPTIMIZE = 256
# VACUUM commits START/END entries with the deleted-file count (the report reads it there).
_VACUUM_LOGGING = "spark.databricks.delta.vacuum.logging.enabled"


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
    zorder_skipped_partitions: int
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


def _sql_literal(value: object) -> str | None:
    """A partition value as a SQL literal; None for a type this does not render."""
    if isinstance(value, str):
        return tables.sql_string(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def partition_predicate(columns: tuple[str, ...], values: list[tuple]) -> str | None:
    """A ``where`` for OPTIMIZE selecting exactly the partitions ``values`` (one tuple per
    partition, in ``columns`` order); None when a value is of a type it cannot render."""
    terms = []
    for row in values:
        parts = []
        for column, value in zip(columns, row):
            if value is None:
                parts.append(f"`{column}` IS NULL")
                continue
            literal = _sql_literal(value)
            if literal is None:
                return None
            parts.append(f"`{column}` = {literal}")
        terms.append("(" + " AND ".join(parts) + ")")
    return " OR ".join(terms)


def partitions_to_zorder(spark: SparkSession, path: str, partition_by: tuple[str, ...]) -> tuple[list[tuple], int]:
    """The partitions of the table held in more than one file, and how many are held in one.

    A partition of one file gains nothing from Z-ordering: Delta skips files by their
    min/max statistics, and sorting the rows inside the only file does not change them.
    Delta OSS rewrites such files on every OPTIMIZE ZORDER all the same.
    """
    files = (spark.read.format("delta").load(path)
             .select(*partition_by, F.col("_metadata.file_path").alias("_file")).distinct()
             .groupBy(*partition_by).agg(F.count("*").alias("_files")).collect())
    several = [tuple(r[c] for c in partition_by) for r in files if r["_files"] > 1]
    return several, len(files) - len(several)


def _metrics(result: DataFrame) -> tuple[int, int, int, int]:
    """Files added and removed, bytes added and removed, from an OPTIMIZE's result."""
    row = result.select("metrics.numFilesAdded", "metrics.numFilesRemoved",
                        "metrics.filesAdded.totalSize", "metrics.filesRemoved.totalSize").first()
    return tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def _zorder(spark: SparkSession, table: DeltaTable, path: str, plan: TablePlan,
            files_before: int) -> tuple[tuple[int, int, int, int], int]:
    """OPTIMIZE ZORDER of the partitions held in several files (in commits of at most
    ``_PARTITIONS_PER_OPTIMIZE`` partitions): its metrics and the partitions left alone."""
    if files_before <= 1:
        return (0, 0, 0, 0), files_before
    if not plan.partition_by:
        return _metrics(table.optimize().executeZOrderBy(*plan.zorder_by)), 0
    several, single = partitions_to_zorder(spark, path, plan.partition_by)
    chunks = [several[i:i + _PARTITIONS_PER_OPTIMIZE] for i in range(0, len(several), _PARTITIONS_PER_OPTIMIZE)]
    predicates = [partition_predicate(plan.partition_by, chunk) for chunk in chunks] if single else []
    if not single or None in predicates:
        # Nothing to leave alone, or a partition value this cannot write in SQL: all of it.
        return _metrics(table.optimize().executeZOrderBy(*plan.zorder_by)), 0
    totals = [0, 0, 0, 0]
    for predicate in predicates:
        for i, v in enumerate(_metrics(table.optimize().where(predicate).executeZOrderBy(*plan.zorder_by))):
            totals[i] += v
    return tuple(totals), single  # type: ignore[return-value]


def _vacuum_end(table: DeltaTable, path: str) -> tuple[int, int]:
    """The files the VACUUM just run deleted, and the table's version after it.

    With vacuum logging on (``run`` switches it on for the job), VACUUM commits a
    ``VACUUM END`` entry whose metrics count the deleted files, so no DRY RUN (a second
    listing of every file) is needed to report them. The newest such entry is the one
    (a writer may have committed since).
    """
    commits = table.history(16).select("version", "operation", "operationMetrics").collect()
    for commit in commits:
        if commit["operation"] == "VACUUM END":
            return int((commit["operationMetrics"] or {}).get("numDeletedFiles", 0)), int(commits[0]["version"])
    raise CorpusforgeError("VACUUM left no VACUUM END commit in the table's history", stage=STAGE,
                           path=path, hint=f"check that {_VACUUM_LOGGING} is not forced off for this job")


def maintain_table(spark: SparkSession, warehouse: str, plan: TablePlan,
                   settings: MaintainSettings) -> TableReport:
    """OPTIMIZE then VACUUM one table, as ``settings`` say; returns what changed.

    Files and bytes after are those before less what OPTIMIZE removed plus what it added
    (its commit's metrics); VACUUM only deletes files no longer in the table.
    """
    path = tables.TABLES[plan.table].path(warehouse)
    table = DeltaTable.forPath(spark, path)
    files_before, bytes_before = _file_stats(table)
    added = removed = bytes_added = bytes_removed = skipped = 0
    if settings.optimize:
        if plan.zorder_by:
            metrics, skipped = _zorder(spark, table, path, plan, files_before)
        else:
            metrics = _metrics(table.optimize().executeCompaction())
        added, removed, bytes_added, bytes_removed = metrics
    deleted = 0
    if settings.vacuum:
        table.vacuum(settings.retain_hours)
        deleted, version = _vacuum_end(table, path)
    else:
        version = table.history(1).first()["version"]
    return TableReport(plan.table, list(plan.partition_by), list(plan.zorder_by), files_before,
                       bytes_before, files_before - removed + added,
                       bytes_before - bytes_removed + bytes_added, added, removed, skipped,
                       settings.retain_hours if settings.vacuum else None, deleted, version)


def report_markdown(run_id: str, settings: MaintainSettings, reports: list[TableReport]) -> str:
    """The maintenance report as Markdown: one row per table."""
    vacuum = (f"VACUUM retaining {settings.retain_hours:g} h" if settings.vacuum else "no VACUUM")
    optimize = ("OPTIMIZE with Z-order" if settings.zorder else "OPTIMIZE (bin-packing)") \
        if settings.optimize else "no OPTIMIZE"
    lines = [f"# corpusforge maintenance, run {run_id}", "",
             f"{optimize} (files up to {settings.target_file_bytes} bytes), {vacuum}.", "",
             "| table | partitioned by | Z-order by | files before | files after | "
             "bytes before | bytes after | OPTIMIZE added / removed | left alone (one file) | "
             "VACUUM deleted | version |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in reports:
        lines.append(
            f"| {r.table} | {', '.join(r.partition_by) or '-'} | {', '.join(r.zorder_by) or '-'} "
            f"| {r.files_before} | {r.files_after} | {r.bytes_before} | {r.bytes_after} "
            f"| {r.optimize_files_added} / {r.optimize_files_removed} | {r.zorder_skipped_partitions} "
            f"| {r.vacuum_files_deleted} "
            f"| {r.version} |")
    return "\n".join(lines) + "\n"


@contextmanager
def job_settings(spark: SparkSession, settings: MaintainSettings) -> Iterator[None]:
    """The session settings :func:`maintain_table` expects (file size, VACUUM's listing tasks,
    vacuum logging, the retention check), set for the block and restored after it."""
    saved = {key: spark.conf.get(key, None) for key in (_RETENTION_CHECK, _MAX_FILE_SIZE, _LISTING,
                                                      _VACUUM_LOGGING)}
    spark.conf.set(_MAX_FILE_SIZE, str(settings.target_file_bytes))
    spark.conf.set(_VACUUM_LOGGING, "true")
    spark.conf.set(_LISTING, str(listing_parallelism(settings, spark.sparkContext.defaultParallelism)))
    if settings.retain_hours < DELTA_SAFE_RETENTION_HOURS:
        # Only reachable with maintain.allow_short_retention: true (the config refuses otherwise).
        spark.conf.set(_RETENTION_CHECK, "false")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def run(spark: SparkSession, config: Config) -> StageResult:
    """Maintain the configured tables of ``config.warehouse`` and write the report."""
    settings = config.maintain
    warehouse = config.warehouse
    existing = {name for name, spec in tables.TABLES.items()
                if tables.table_exists(spark, warehouse, spec)}
    plans = maintenance_plan(settings, existing)
    with job_settings(spark, settings):
        reports = [maintain_table(spark, warehouse, plan, settings) for plan in plans]
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
