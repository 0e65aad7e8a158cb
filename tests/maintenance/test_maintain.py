"""The maintain job on a small warehouse: OPTIMIZE compacts, VACUUM keeps its retention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from delta.tables import DeltaTable
from pyspark.sql import functions as F

from corpusforge import maintenance, tables
from corpusforge.config import MaintainSettings, load_config
from corpusforge.errors import ConfigError
from tests.conftest import make_config

DOCS = tables.BRONZE_DOCUMENTS


def _documents(spark, n: int, version: str):
    """``n`` bronze rows over two sources and two buckets; ``version`` changes the content."""
    rows = spark.range(n).select(
        F.sha2(F.col("id").cast("string"), 256).alias("doc_id"),
        F.when(F.col("id") % 2 == 0, "github").otherwise("npm").alias("source"),
        F.concat(F.lit("repo-"), (F.col("id") % 7).cast("string")).alias("origin"),
        F.concat(F.lit("src/f"), F.col("id").cast("string"), F.lit(".ts")).alias("path"),
        F.lit("typescript").alias("language"), F.lit("MIT").alias("license"),
        F.lit("package.json").alias("license_evidence"),
        F.concat(F.lit(f"export const v = '{version}'; // "), F.col("id").cast("string")).alias("content"),
        F.lit("0" * 64).alias("content_sha256"), F.lit(40).cast("long").alias("size_bytes"),
        F.lit("run-test").alias("run_id"))
    return rows.withColumn("bucket", tables.bucket_of(F.col("doc_id"), 2))


def _parquet_files(table: Path) -> int:
    return sum(1 for f in table.rglob("*.parquet") if "_delta_log" not in f.parts)


def _write_small_files(spark, warehouse: Path) -> None:
    # Two overwrites of 8 tasks each: many small files, and a first version's files tombstoned.
    for version in ("one", "two"):
        tables.replace_rows(spark, str(warehouse), DOCS, _documents(spark, 400, version).repartition(8))


def test_retention_below_delta_default_needs_explicit_consent():
    with pytest.raises(ConfigError, match="allow_short_retention"):
        load_config(None, {"maintain.retain_hours": 1})
    assert load_config(None, {"maintain.retain_hours": 0,
                              "maintain.allow_short_retention": True}).maintain.retain_hours == 0
    assert MaintainSettings().retain_hours == 168


def test_zorder_columns_exist_and_are_not_partition_columns():
    for name, columns in tables.ZORDER_BY.items():
        spec = tables.TABLES[name]
        assert set(columns) <= set(spec.schema.names), name
        assert not set(columns) & set(spec.partition_by), name


def test_plan_skips_missing_tables_and_rejects_unknown_ones():
    plans = maintenance.maintenance_plan(MaintainSettings(), {DOCS.name, tables.STAGE_RUNS.name})
    assert [(p.table, p.zorder_by) for p in plans] == [(DOCS.name, ("doc_id",)), (tables.STAGE_RUNS.name, ())]
    assert maintenance.maintenance_plan(MaintainSettings(zorder=False), {DOCS.name})[0].zorder_by == ()
    with pytest.raises(ConfigError, match="no/such"):
        maintenance.maintenance_plan(MaintainSettings(tables=["no/such"]), set())


def _detail(spark, table_dir: Path) -> tuple[int, int]:
    detail = DeltaTable.forPath(spark, str(table_dir)).detail().first()
    return detail["numFiles"], detail["sizeInBytes"]


def test_optimize_compacts_and_vacuum_respects_retention(spark, tmp_path):
    warehouse = tmp_path / "wh"
    _write_small_files(spark, warehouse)
    table_dir = Path(DOCS.path(str(warehouse)))
    before = sorted(tuple(r) for r in tables.read_table(spark, str(warehouse), DOCS).collect())
    on_disk_before = _parquet_files(table_dir)

    config = make_config(warehouse, **{"maintain.tables": [DOCS.name]})
    result = maintenance.run(spark, config)
    report = json.loads((warehouse / "reports" / config.resolved_run_id() / "maintenance.json").read_text())
    (docs,) = report["tables"]
    assert result.stage == "maintain" and result.rows_out == 1
    assert docs["zorder_by"] == ["doc_id"] and docs["partition_by"] == ["source", "bucket"]
    # 8 tasks x 4 (source, bucket) partitions became one file per partition.
    assert docs["files_before"] >= 16 and docs["files_after"] == 4
    assert docs["optimize_files_removed"] == docs["files_before"]
    # After = before - removed + added (OPTIMIZE's metrics): what the table now says.
    assert (docs["files_after"], docs["bytes_after"]) == _detail(spark, table_dir)
    # Default retention (7 days): the files of both old versions are still there.
    assert docs["vacuum_retain_hours"] == 168 and docs["vacuum_files_deleted"] == 0
    assert _parquet_files(table_dir) == on_disk_before + 4
    assert sorted(tuple(r) for r in tables.read_table(spark, str(warehouse), DOCS).collect()) == before
    assert "| bronze/documents | source, bucket | doc_id |" in (
        warehouse / "reports" / config.resolved_run_id() / "maintenance.md").read_text()

    # Retention 0, explicitly allowed: only the live files are left.
    short = make_config(warehouse, **{"maintain.tables": [DOCS.name], "maintain.retain_hours": 0,
                                      "maintain.allow_short_retention": True})
    on_disk = _parquet_files(table_dir)
    # The deleted count comes from VACUUM's own END commit, logged even where a session
    # turned vacuum logging off (the job turns it on for itself and restores it).
    spark.conf.set("spark.databricks.delta.vacuum.logging.enabled", "false")
    try:
        maintenance.run(spark, short)
        assert spark.conf.get("spark.databricks.delta.vacuum.logging.enabled") == "false"
    finally:
        spark.conf.unset("spark.databricks.delta.vacuum.logging.enabled")
    report = json.loads((warehouse / "reports" / short.resolved_run_id() / "maintenance.json").read_text())
    (docs,) = report["tables"]
    assert docs["vacuum_files_deleted"] == on_disk + docs["optimize_files_added"] - 4 >= on_disk_before
    # Every partition is one file now: Z-order leaves them alone instead of rewriting them.
    assert (docs["optimize_files_added"], docs["optimize_files_removed"], docs["zorder_skipped_partitions"]) == (0, 0, 4)
    assert _parquet_files(table_dir) == docs["files_after"] == 4
    assert sorted(tuple(r) for r in tables.read_table(spark, str(warehouse), DOCS).collect()) == before
    # The safety check is back on for everything that follows in this session.
    assert spark.conf.get("spark.databricks.delta.retentionDurationCheck.enabled", "true") != "false"


def test_max_records_per_file_bounds_delta_files(spark, tmp_path):
    # The file-size knob conf/cluster.yaml sets for every write (MERGE included).
    warehouse = tmp_path / "wh"
    spark.conf.set("spark.sql.files.maxRecordsPerFile", "25")
    try:
        tables.replace_rows(spark, str(warehouse), tables.STAGE_RUNS, spark.range(100).select(
            F.concat(F.lit("run-"), F.col("id").cast("string")).alias("run_id"), F.lit("x").alias("stage"),
            F.lit(1).alias("rows_in"), F.lit(1).alias("rows_out"), F.lit(0).alias("rows_rejected"),
            F.lit(None).alias("reasons"), F.lit(None).alias("table_versions"),
            F.lit(None).alias("config_sha256"), F.lit(None).alias("reason_bytes")).coalesce(1))
    finally:
        spark.conf.unset("spark.sql.files.maxRecordsPerFile")
    assert _parquet_files(Path(tables.STAGE_RUNS.path(str(warehouse)))) == 4


def test_vacuum_lists_files_with_a_parallelism_sized_to_the_session():
    # Spark's default of 10000 listing tasks per VACUUM made one small table take minutes in local mode.
    assert maintenance.listing_parallelism(MaintainSettings(), 2) == 8
    assert maintenance.listing_parallelism(MaintainSettings(), 64) == 256
    assert maintenance.listing_parallelism(MaintainSettings(listing_parallelism=5000), 2) == 5000


def _files_by_partition(table_dir: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in table_dir.rglob("*.parquet"):
        if "_delta_log" not in f.parts:
            found.setdefault(str(f.parent.relative_to(table_dir)), set()).add(f.name)
    return found


def test_zorder_rewrites_only_partitions_held_in_several_files(spark, tmp_path):
    warehouse = tmp_path / "wh"
    _write_small_files(spark, warehouse)
    table_dir = Path(DOCS.path(str(warehouse)))
    settings = {"maintain.tables": [DOCS.name], "maintain.vacuum": False}
    maintenance.run(spark, make_config(warehouse, **settings))
    before = _files_by_partition(table_dir)
    assert len(before) == 4
    # New rows land in one partition: it alone is held in two live files.
    more = _documents(spark, 40, "three").where("source = 'npm' AND bucket = 1")
    more.coalesce(1).write.format("delta").mode("append").save(str(table_dir))
    rows = sorted(tuple(r) for r in tables.read_table(spark, str(warehouse), DOCS).collect())

    config = make_config(warehouse, run_id="run-second", **settings)
    maintenance.run(spark, config)
    (docs,) = json.loads((warehouse / "reports" / "run-second" / "maintenance.json").read_text())["tables"]
    assert (docs["optimize_files_removed"], docs["optimize_files_added"]) == (2, 1)
    assert docs["zorder_skipped_partitions"] == 3 and docs["files_after"] == 4
    assert (docs["files_after"], docs["bytes_after"]) == _detail(spark, table_dir)
    after = _files_by_partition(table_dir)
    for partition, names in before.items():
        if partition == "source=npm/bucket=1":
            assert len(after[partition] - names) == 2  # the appended file and the Z-ordered one
        else:
            assert after[partition] == names  # not rewritten
    assert sorted(tuple(r) for r in tables.read_table(spark, str(warehouse), DOCS).collect()) == rows
    assert "| 1 / 2 | 3 |" in (warehouse / "reports" / "run-second" / "maintenance.md").read_text()


def test_partition_predicate_quotes_values_and_gives_up_on_other_types():
    assert maintenance.partition_predicate(("source", "bucket"), [("npm", 1), ("o'brien", None)]) == (
        "(`source` = 'npm' AND `bucket` = 1) OR (`source` = 'o\\'brien' AND `bucket` IS NULL)")
    assert maintenance.partition_predicate(("x",), [(1.5,)]) is None
    assert maintenance.partition_predicate(("x",), [(True,)]) is None
