"""`trace` on the sample run's warehouse: a rewritten document, a rejected one, a missing one."""

from __future__ import annotations

import subprocess

import pytest
from pyspark.sql import functions as F
from rich.console import Console

from corpusforge import tables, trace
from tests.conftest import ROOT, spark_submit_env

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


def _first(df) -> dict:
    return df.orderBy("doc_id").first().asDict()


def _rendered(lineage: trace.Lineage) -> str:
    console = Console(record=True, width=240)
    trace.render_lineage(lineage, console)
    return console.export_text()


def _submit(*args: str, warehouse) -> subprocess.CompletedProcess:
    return subprocess.run(["./spark-submit.sh", "lineage", *args, "--warehouse", str(warehouse),
                           "--set", "spark.master=local[2]"],
                          cwd=ROOT, env=spark_submit_env(), capture_output=True, text=True, timeout=600)


def test_trace_of_a_rewritten_document_shows_rules_diff_cluster_split_and_shard(sample_run, spark):
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    wh = str(sample_run.warehouse)
    gold = tables.read_table(spark, wh, tables.GOLD_DOCUMENTS)
    clustered = tables.read_table(spark, wh, tables.DEDUP_CLUSTERS).select("doc_id")
    sharded = tables.read_table(spark, wh, tables.SHARD_INDEX).select("doc_id")
    # A rewritten document that kept its place in a cluster of near-duplicates and reached a shard.
    doc = _first(gold.where((F.size("rules_applied") > 0) & (F.col("category") == "aligned"))
                 .join(clustered, "doc_id", "left_semi").join(sharded, "doc_id", "left_semi"))
    lineage = trace.trace(spark, wh, doc["doc_id"])

    assert lineage.document["origin"] == doc["origin"] and lineage.document["path"] == doc["path"]
    assert lineage.document["source_url"].startswith("file:///")
    assert [s.decision for s in lineage.stages[:5]] == ["kept"] * 5
    assert lineage.stages[0].counts["rows_in"] > 0  # meta/stage_runs of the ingest run
    assert lineage.compliance and lineage.compliance[0]["decision"] in ("allowed", "exempt")
    assert lineage.cluster and lineage.cluster["cluster_id"] and lineage.cluster["members"]
    assert lineage.transform["rules_applied"] == doc["rules_applied"]
    assert lineage.transform["diff"].startswith("--- a/") and "\n+" in lineage.transform["diff"]
    tokens = tables.read_table(spark, wh, tables.GOLD_TOKENS).where(F.col("doc_id") == doc["doc_id"]).first()
    assert lineage.tokens["split"] == tokens["split"]
    index = tables.read_table(spark, wh, tables.SHARD_INDEX).where(F.col("doc_id") == doc["doc_id"]).collect()
    assert len(lineage.shards) == len(index)
    assert lineage.stages[5].decision == "kept" and index
    assert all(s["files"] and all(f.startswith(f"{s['split']}/") for f in s["files"]) for s in lineage.shards)
    instructions = tables.read_table(spark, wh, tables.GOLD_INSTRUCTIONS).where(F.col("doc_id") == doc["doc_id"])
    assert len(lineage.instructions) == instructions.count()

    # The job itself, by a prefix of the doc id, through spark-submit.
    proc = _submit(doc["doc_id"][:12], warehouse=sample_run.warehouse)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert doc["doc_id"] in out and doc["path"] in out
    assert all(rule in out for rule in doc["rules_applied"])
    assert "@@" in out and "dedup cluster" in out and f"split {tokens['split']}" in out
    for s in lineage.shards:
        assert all(f in out for f in s["files"])


def test_trace_of_a_rejected_document_shows_the_stage_and_reason(sample_run, spark):
    wh = str(sample_run.warehouse)
    reject = _first(tables.read_table(spark, wh, tables.REJECTS)
                    .where((F.col("stage") == "filter") & (F.col("reason") == "license_not_allowed")))
    found = trace.find_documents(spark, wh, path=reject["path"], origin=reject["origin"])
    assert found == [reject["doc_id"]]
    lineage = trace.trace(spark, wh, reject["doc_id"])
    assert [(s.stage, s.decision) for s in lineage.stages[:3]] == [
        ("ingest", "kept"), ("filter", "rejected"), ("dedup", "not reached")]
    assert lineage.stages[1].reason == "license_not_allowed" and lineage.stages[1].detail
    assert lineage.compliance[0]["decision"] == "rejected"
    assert lineage.tokens is None and not lineage.shards
    text = _rendered(lineage)
    assert "rejected" in text and "license_not_allowed" in text and reject["origin"] in text


def test_trace_of_an_unknown_document_is_one_error_line(sample_run):
    proc = _submit("0123456789abcdef", warehouse=sample_run.warehouse)
    assert proc.returncode == 2
    # Once Spark runs, spark-submit passes the driver's stderr through its stdout.
    errors = [line for line in (proc.stdout + proc.stderr).splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0].startswith("corpusforge lineage: error: [trace] ")
    assert "no document 0123456789abcdef in bronze/documents or rejects (hint: " in errors[0]
