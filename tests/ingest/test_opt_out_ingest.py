"""Opt-out at ingest: a listed origin becomes `opt_out` rejects, also when it was ingested before."""

from __future__ import annotations

import pytest
from pyspark.sql import functions as F

from corpusforge import ingest, tables
from tests.conftest import SAMPLES, make_config

pytestmark = pytest.mark.spark
INPUTS = [f"dir:{SAMPLES / 'github' / 'react-todo'}", f"dir:{SAMPLES / 'github' / 'isc-utils'}"]


def test_ingest_honours_the_opt_out_list_and_removes_an_already_ingested_origin(spark, tmp_path):
    warehouse = tmp_path / "wh"
    ingest.run(spark, make_config(warehouse, **{"ingest.inputs": INPUTS}))
    bronze = tables.read_table(spark, str(warehouse), tables.BRONZE_DOCUMENTS)
    origins = {r["origin"]: r["n"] for r in bronze.groupBy("origin").agg(F.count("*").alias("n")).collect()}
    assert len(origins) == 2
    urls = [r["source_url"] for r in bronze.select("source_url").collect()]
    assert all(u.startswith("file:///") and "/samples/github/" in u for u in urls)

    gone = next(o for o in origins if o.startswith("isc-utils"))
    name = gone.split("@")[0]
    opt_out = tmp_path / "opt_out.yaml"
    opt_out.write_text(f"origins: [{name}]\n")
    ingest.run(spark, make_config(warehouse, **{"ingest.inputs": INPUTS, "opt_out.file": str(opt_out)}))

    bronze = tables.read_table(spark, str(warehouse), tables.BRONZE_DOCUMENTS)
    assert bronze.where(F.col("origin") == gone).count() == 0
    assert bronze.count() == sum(n for o, n in origins.items() if o != gone)
    rejected = (tables.read_table(spark, str(warehouse), tables.REJECTS)
                .where((F.col("stage") == "ingest") & (F.col("origin") == gone)).collect())
    assert len(rejected) == origins[gone]
    assert {r["reason"] for r in rejected} == {"opt_out"}
    assert all(r["detail"] == f"origins: {name} ({opt_out})" for r in rejected)


def test_mark_rejects_sets_reason_clears_only_hits_and_keeps_earlier_reasons(spark):
    from chispa import assert_df_equality

    from corpusforge.optout import OptOutList, mark_rejects

    schema = "doc_id string, origin string, path string, content string, reason string, detail string"
    rows = spark.createDataFrame([
        ("a", "left-pad@1.3.0", "index.js", "x", None, None),      # named: opted out, content cleared
        ("b", "left-pad@1.3.0", "big.js", "y", "too_large", "1 GB"),  # earlier reason stays
        ("c", "other@1.0.0", "index.js", "z", None, None)], schema)   # not named: untouched
    listed = OptOutList(origins=("left-pad",), source="opt_out.yaml")
    expected = spark.createDataFrame([
        ("a", "left-pad@1.3.0", "index.js", None, "opt_out", "origins: left-pad (opt_out.yaml)"),
        ("b", "left-pad@1.3.0", "big.js", "y", "too_large", "1 GB"),
        ("c", "other@1.0.0", "index.js", "z", None, None)], schema)
    assert_df_equality(mark_rejects(rows, listed, clear=("content",)), expected,
                       ignore_row_order=True, ignore_nullable=True)
    bare = rows.drop("reason", "detail")  # gold/tokens has no reason column: both are added
    assert mark_rejects(bare, OptOutList()).columns == bare.columns + ["reason", "detail"]
    assert {r.doc_id for r in mark_rejects(bare, listed).where("reason = 'opt_out'").collect()} == {"a", "b"}
