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
