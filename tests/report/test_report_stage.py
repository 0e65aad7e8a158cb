"""The report stage on real warehouses: one where only ingest ran, and the sample run's."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyspark.sql import functions as F

from corpusforge import ingest, tables
from corpusforge.config import load_config
from corpusforge.report import stage as report_stage
from corpusforge.report.gather import context_as_of, gather, typecheck_context
from corpusforge.report.render import SECTIONS
from tests.conftest import ROOT, SAMPLES, make_config

pytestmark = pytest.mark.spark


def test_report_on_a_warehouse_where_only_ingest_ran(spark, tmp_path):
    config = make_config(tmp_path / "wh", **{"ingest.inputs": [f"dir:{SAMPLES / 'bad'}",
                                                               f"framework:{SAMPLES / 'framework'}"],
                                             "pipeline.stages": ["ingest", "report"]})
    ingested = ingest.run(spark, config)
    result = report_stage.run(spark, config)

    folder = tmp_path / "wh" / "reports" / config.resolved_run_id()
    page = (folder / "report.html").read_text(encoding="utf-8")
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert all(f"<h2>{title}</h2>" in page for _, title in SECTIONS)
    assert page.count('class="missing"') == len(SECTIONS) - 2  # all but the funnel and the rejects
    assert "Not available: silver/filtered does not exist: the filter stage has not run." in page
    assert "Not available: gold/tokens does not exist: the encode stage has not run." in page
    bronze = tables.read_table(spark, str(tmp_path / "wh"), tables.BRONZE_DOCUMENTS)
    size = bronze.agg(F.sum("size_bytes")).first()[0]
    rejects = tables.read_table(spark, str(tmp_path / "wh"), tables.REJECTS)
    rejected_bytes = rejects.agg(F.sum("size_bytes")).first()[0] or 0
    assert (f"| ingest | {ingested.rows_in:,} | {bronze.count():,} | {ingested.rows_rejected:,} | "
            f"{size:,} | {rejected_bytes:,} |") in md
    for reason, n in ingested.reasons.items():
        assert f"| ingest | {reason} | {n:,} |" in md
    assert result.stage == "report" and result.rows_in == result.rows_out == 1
    runs = {r["stage"] for r in tables.read_table(spark, str(tmp_path / "wh"), tables.STAGE_RUNS).collect()}
    assert runs == {"ingest", "report"}
    # A second report of the same tables is the same page, and leaves its own row out of the funnel.
    report_stage.run(spark, config)
    assert (folder / "report.html").read_text(encoding="utf-8") == page


def test_report_names_the_runs_it_has_when_the_run_id_has_none(spark, tmp_path):
    config = make_config(tmp_path / "wh", **{"ingest.inputs": [f"dir:{SAMPLES / 'bad'}"]})
    ingest.run(spark, config)
    other = make_config(tmp_path / "wh", run_id="run-nothing-here")
    data = gather(spark, other)
    assert data.funnel is None and config.resolved_run_id() in data.notes["funnel"]
    assert "--run-id" in data.notes["funnel"] and data.rejects  # the rejects table is still shown


def test_gathered_numbers_agree_with_the_sample_run_tables(spark, sample_run):
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    wh = str(sample_run.warehouse)
    config = load_config(str(ROOT / "conf" / "local.yaml"), {"warehouse": wh})
    data = gather(spark, config)  # reads only: the sample warehouse is shared
    assert not ({"funnel", "rejects", "licenses", "cleaning", "quality", "dedup", "rules", "plan", "shares"}
                & set(data.notes))

    runs = {r["stage"]: r for r in tables.read_table(spark, wh, tables.STAGE_RUNS)
            .where(F.col("run_id") == data.run_id).collect()}
    assert [r["stage"] for r in data.funnel] == [s for s in config.pipeline.stages if s != "report"]
    for row in data.funnel:
        assert (row["rows_in"], row["rows_out"], row["rows_rejected"]) == tuple(
            runs[row["stage"]][k] for k in ("rows_in", "rows_out", "rows_rejected"))
    silver = tables.read_table(spark, wh, tables.SILVER_FILTERED)
    assert {r["stage"]: r["bytes_out"] for r in data.funnel}["filter"] == silver.agg(F.sum("size_bytes")).first()[0]

    rejects = tables.read_table(spark, wh, tables.REJECTS)
    assert sum(r["rows"] for r in data.rejects) == rejects.count()
    for stage in ("ingest", "filter", "dedup"):
        assert {r["reason"]: r["rows"] for r in data.rejects if r["stage"] == stage} == runs[stage]["reasons"]

    compliance = tables.read_table(spark, wh, tables.LICENSE_COMPLIANCE)
    assert sum(r["documents"] for r in data.licenses) == compliance.agg(F.sum("documents")).first()[0]
    assert {"GPL-3.0-or-later"} <= {r["license"] for r in data.licenses if r["decision"] == "rejected"}

    assert all(h.total == silver.where(F.col(c).isNotNull()).count() for c, h in data.quality.items())
    counted = {f"cleaning.{r['step']}": r["documents"] for r in data.cleaning if r["documents"]}
    assert counted and counted == {k: v for k, v in runs["filter"]["counts"].items() if k.count(".") == 1}
    assert all(r["enabled"] for r in data.cleaning if r["step"] == "license_header")
    clusters = tables.read_table(spark, wh, tables.DEDUP_CLUSTERS)
    assert sum(size * n for size, n in data.dedup["sizes"].items()) == clusters.count()
    assert sum(r["rows"] for r in data.dedup["removed"]) == runs["dedup"]["rows_rejected"]

    rule_rows = tables.read_table(spark, wh, tables.TRANSFORM_RULES).where(F.col("run_id") == data.run_id)
    assert sum(r["fired"] for r in data.rules) == rule_rows.agg(F.sum("fired")).first()[0] > 0
    gold = tables.read_table(spark, wh, tables.GOLD_DOCUMENTS)
    rewritten = gold.where("content_sha256 != original_sha256").count()
    assert data.coverage["rewritten"] == rewritten > 0
    assert sum(data.coverage.values()) == runs["transform"]["rows_in"]
    checks = {r["check"]: r for r in data.validation}
    assert checks["idempotent"]["passed"] == rewritten
    if "type check (tsc --noEmit)" in checks:  # node and TypeScript are there: originals checked too
        assert checks["rewrite adds no type error"]["checked"] == checks["type check (tsc --noEmit)"]["checked"]
        assert checks["rewrite adds no type error"]["passed"] >= checks["type check (tsc --noEmit)"]["passed"]
    assert len(data.diffs) == min(config.report.diff_samples, rewritten)
    assert all(d["diff"].startswith(f"--- a/{d['path']}") and "\n+" in d["diff"] for d in data.diffs)

    tokens = tables.read_table(spark, wh, tables.GOLD_TOKENS)
    assert sum(r["documents"] for r in data.tokens["summary"]) == tokens.count()
    assert sum(h.total for h in data.tokens["histograms"].values()) == tokens.count()
    shares = {s["budget"]: s for s in data.shares}
    assert set(shares) == {p["budget"] for p in data.plan["plans"]}
    assert shares[config.shards.budget]["sharded"] == pytest.approx(0.5, abs=0.005)

    # The pipeline's own last stage wrote the report and named it.
    page = Path(wh, "reports", data.run_id, "report.html")
    assert page.is_file() and Path(wh, "reports", data.run_id, "report.md").is_file()
    assert f"report (HTML): {page.resolve()}" in sample_run.stdout.replace("\n", "")


LANGUAGES = ["typescript", "tsx", "dts", "javascript", "jsx"]


def test_typecheck_context_is_the_origins_code_files_up_to_the_byte_cap(spark):
    rows = [("npm:a@1", "src/app.ts", "typescript", "a" * 10), ("npm:a@1", "src/types.d.ts", "dts", "b" * 10),
            ("npm:a@1", "README.md", "markdown", "c" * 10), ("npm:a@1", "src/z.js", "javascript", "d" * 10),
            ("npm:b@2", "index.tsx", "tsx", "é" * 5), ("npm:other@1", "x.ts", "typescript", "f" * 10)]
    gold = spark.createDataFrame(rows, "origin string, path string, language string, content string")
    folder = {"npm:a@1": "0000", "npm:b@2": "0001"}
    assert typecheck_context(gold, folder, LANGUAGES, 10**6) == {
        "0000/src/app.ts": "a" * 10, "0000/src/types.d.ts": "b" * 10, "0000/src/z.js": "d" * 10,
        "0001/index.tsx": "é" * 5}
    # In (origin, path) order until the cap: the third file would pass 25 bytes.
    assert list(typecheck_context(gold, folder, LANGUAGES, 25)) == ["0000/src/app.ts", "0000/src/types.d.ts"]
    assert typecheck_context(gold, folder, LANGUAGES, 0) == {}
    assert len(typecheck_context(gold, folder, LANGUAGES, 35)) == 3  # "é" * 5 is 10 bytes, not 5


def test_the_originals_context_has_the_same_files_as_they_were(spark):
    gold = spark.createDataFrame([("npm:a@1", "src/app.ts", "DFrame.x"), ("npm:a@1", "src/types.ts", "t")],
                                 "origin string, path string, content string")
    source = spark.createDataFrame([("npm:a@1", "src/app.ts", "React.x"), ("npm:a@1", "src/types.ts", "t"),
                                    ("npm:a@1", "src/zz.ts", "only in the input"), ("npm:b@1", "src/app.ts", "b")],
                                   "origin string, path string, content string")
    folder = {"npm:a@1": "0000"}
    context = typecheck_context(gold.withColumn("language", gold.origin.substr(0, 0)), folder, [""], 10**6)
    assert context == {"0000/src/app.ts": "DFrame.x", "0000/src/types.ts": "t"}
    assert context_as_of(source, folder, context) == {"0000/src/app.ts": "React.x", "0000/src/types.ts": "t"}
    assert context_as_of(source, folder, {}) == {}
