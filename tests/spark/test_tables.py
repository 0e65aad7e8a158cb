import pytest
from chispa import assert_df_equality

from corpusforge import tables
from corpusforge.errors import AccountingError

SPEC = tables.REJECTS


def _rejects(spark, rows):
    return spark.createDataFrame(rows, SPEC.schema)


def test_merge_is_idempotent(spark, tmp_path):
    wh = str(tmp_path)
    rows = [("a", "ingest", "binary", "png", "github", "o", "p", 3, "r1"),
            ("b", "ingest", "empty", "0 bytes", "github", "o", "q", 0, "r1")]
    tables.merge_rows(spark, wh, SPEC, _rejects(spark, rows))
    v1 = tables.table_version(spark, wh, SPEC)
    tables.merge_rows(spark, wh, SPEC, _rejects(spark, rows))
    got = tables.read_table(spark, wh, SPEC)
    assert_df_equality(got, _rejects(spark, rows), ignore_row_order=True, ignore_nullable=True)
    # An unchanged rerun rewrites nothing: the table's data files stay the same.
    files_v1 = set(spark.read.format("delta").option("versionAsOf", v1).load(SPEC.path(wh)).inputFiles())
    assert set(got.inputFiles()) == files_v1


def test_merge_updates_and_deletes(spark, tmp_path):
    wh = str(tmp_path)
    tables.merge_rows(spark, wh, SPEC, _rejects(spark, [
        ("a", "ingest", "binary", "png", None, None, None, 3, "r1"),
        ("b", "ingest", "empty", "", None, None, None, 0, "r1")]))
    tables.merge_rows(spark, wh, SPEC,
                      _rejects(spark, [("a", "ingest", "binary", "gif", None, None, None, 3, "r2")]),
                      delete_keys=spark.createDataFrame([("ingest", "b")], "stage STRING, doc_id STRING"))
    got = {r["doc_id"]: r["detail"] for r in tables.read_table(spark, wh, SPEC).collect()}
    assert got == {"a": "gif"}


def test_split_rejects(spark):
    records = spark.createDataFrame(
        [("d1", "github", "o", "a.ts", None, None, 10), ("d2", "github", "o", "b.png", "binary", "PNG", 5)],
        "doc_id STRING, source STRING, origin STRING, path STRING, reason STRING, detail STRING, size_bytes LONG")
    kept, rejects = tables.split_rejects(records, stage="ingest", run_id="r")
    assert kept.columns == ["doc_id", "source", "origin", "path", "size_bytes"]
    assert [r["doc_id"] for r in kept.collect()] == ["d1"]
    expected = spark.createDataFrame(
        [("d2", "ingest", "binary", "PNG", "github", "o", "b.png", 5, "r")], SPEC.schema)
    assert_df_equality(rejects, expected, ignore_nullable=True)


def test_accounting_fails_loudly_when_a_row_is_lost():
    tables.check_accounting("filter", 10, 7, 3)
    with pytest.raises(AccountingError) as err:
        tables.check_accounting("filter", 10, 7, 2)
    message = str(err.value)
    assert "rows in (10) != rows out (7) + rows rejected (2)" in message
    assert "1 row(s) lost" in message and "[filter]" in message
    with pytest.raises(AccountingError, match="invented"):
        tables.check_accounting("filter", 10, 9, 2)


def test_bucket_is_deterministic(spark):
    from pyspark.sql import functions as F
    df = spark.createDataFrame([("ffffffff00",), ("00000003aa",)], "doc_id STRING")
    got = [r[0] for r in df.select(tables.bucket_of(F.col("doc_id"), 4)).collect()]
    assert got == [0xFFFFFFFF % 4, 3]


def test_relative_warehouse_is_made_absolute(spark, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert SPEC.path("./wh") == f"{tmp_path}/wh/rejects"
    assert SPEC.path("s3a://bucket/wh/") == "s3a://bucket/wh/rejects"
    rows = [("a", "ingest", "binary", "png", None, None, None, 3, "r1")]
    tables.merge_rows(spark, "./wh", SPEC, _rejects(spark, rows))
    tables.merge_rows(spark, "./wh", SPEC, _rejects(spark, rows))  # the MERGE path, relative too
    assert tables.read_table(spark, "./wh", SPEC).count() == 1
    assert (tmp_path / "wh" / "rejects" / "_delta_log").is_dir()


def test_record_stage_run_replaces_only_its_own_row(spark, tmp_path):
    wh = str(tmp_path)

    def record(run_id: str, stage: str, rows_in: int) -> None:
        tables.record_stage_run(spark, wh, run_id=run_id, stage=stage, rows_in=rows_in, rows_out=rows_in,
                                rows_rejected=0, reasons={}, table_versions={"t": 1}, config_sha256=None)

    record("run-1", "ingest", 5)
    record("run-1", "filter", 4)
    record("it's-2", "ingest", 9)  # a quote in the run id stays a literal
    record("run-1", "ingest", 7)  # a rerun of the stage replaces its row
    got = {(r["run_id"], r["stage"]): r["rows_in"]
           for r in tables.read_table(spark, wh, tables.STAGE_RUNS).collect()}
    assert got == {("run-1", "ingest"): 7, ("run-1", "filter"): 4, ("it's-2", "ingest"): 9}
