"""The README's first command, end to end: ./spark-submit.sh pipeline on samples/."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from corpusforge import tables
from tests.conftest import ROOT, spark_submit_env

pytestmark = pytest.mark.e2e


def test_pipeline_on_samples_via_spark_submit(spark, sample_run):
    warehouse = sample_run.warehouse
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    out = sample_run.stdout
    assert "ingest" in out and "report:" in out and "table bronze/documents" in out
    manifest = json.loads(next(warehouse.glob("shards/*/manifest.json")).read_text())
    assert f"shards: {warehouse.resolve()}" in out
    assert manifest["shards"] and abs(manifest["framework_share"]["train"] - 0.5) < 0.005
    plan = next(warehouse.glob("reports/*/budget_plan.md"))
    assert plan.is_file()
    # The plan prints on the pipeline's own console (stdout, its width): a line per budget.
    assert f"full plan: {plan.resolve()}" in out.replace("\n", "") and "3b: 60.00B tokens, 30% framework" in out
    report = next(warehouse.glob("reports/*/summary.md"))
    assert "| ingest |" in report.read_text() and "| filter |" in report.read_text()

    docs = tables.read_table(spark, str(warehouse), tables.BRONZE_DOCUMENTS)
    sources = {r["source"] for r in docs.select("source").distinct().collect()}
    assert sources == {"framework", "github", "the_stack", "text"}
    rejects = tables.read_table(spark, str(warehouse), tables.REJECTS)
    reasons = {r["reason"] for r in rejects.select("reason").distinct().collect()}
    assert {"binary", "invalid_utf8", "nul_bytes", "empty", "minified", "symlink", "skipped_dir",
            "gitignored"} <= reasons
    runs = {r["stage"]: r for r in tables.read_table(spark, str(warehouse), tables.STAGE_RUNS).collect()}
    assert set(runs) == {"ingest", "filter", "dedup", "transform", "tokenizer", "encode", "plan", "shard",
                         "report"}
    assert all(r["rows_in"] == r["rows_out"] + r["rows_rejected"] for r in runs.values())
    assert runs["ingest"]["rows_out"] == docs.count() == runs["filter"]["rows_in"]
    filtered = tables.read_table(spark, str(warehouse), tables.SILVER_FILTERED)
    assert runs["filter"]["rows_out"] == filtered.count()
    origins = {r["origin"] for r in filtered.select("origin").distinct().collect()}
    assert "gpl-widgets@3.1.0" not in origins and "weather-now@0.1.0" not in origins
    assert {"@acme/dframe@1.4.0", "react-todo@1.2.0"} <= origins
    telemetry = filtered.where("path = 'src/telemetry.ts'").first()
    assert telemetry["redactions"] == {"API_KEY": 1, "EMAIL": 1, "IP_ADDRESS": 1}
    assert '"<API_KEY>"' in telemetry["content"] and "AKIAIOSFODNN7EXAMPLE" not in telemetry["content"]
    filter_rejects = {(r["origin"], r["path"]): r["reason"] for r in rejects.where("stage = 'filter'").collect()}
    filter_reasons = set(filter_rejects.values())
    assert {"license_missing", "license_not_allowed", "decontaminated:sample-eval",
            "text_quality:word_count"} <= filter_reasons
    # Out-of-domain repos leave whole (their package.json names the library); js-legacy is
    # plain JavaScript React: kept, tagged.
    for origin, boundary in (("vue-counter-app@1.0.0", "vue"), ("angular-tasks@0.3.0", "angular"),
                             ("jquery-lazy-list@2.2.0", "jquery")):
        assert origin not in origins
        assert {r for (o, _), r in filter_rejects.items() if o == origin} == {f"boundary:{boundary}"}
    legacy = filtered.where("origin = 'legacy-contacts@0.8.1' AND path = 'src/api.js'").first()
    assert legacy["boundary_tags"] == ["non_typescript"]
    article = filtered.where("path LIKE 'docs.jsonl#doc-ts-001'").first()
    assert article["text_kind"] == "text" and article["text_words"] > 50
    assert set(runs["filter"]["reason_bytes"]) == set(runs["filter"]["reasons"])
    compliance = next(warehouse.glob("reports/*/license_compliance.md")).read_text()
    assert "GPL-3.0-or-later" in compliance and "| rejected |" in compliance


def test_bad_input_is_one_line_error_without_spark(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", "ingest", "--input", "dir:/no/such/dir",
         "--warehouse", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "corpusforge ingest: error: [ingest] /no/such/dir: dir input path does not exist "
        "(hint: check the path, relative paths are from the current directory)"]


def test_unknown_config_key_is_one_line_error(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("ingest:\n  inptus: []\n")
    proc = subprocess.run([sys.executable, "-m", "corpusforge.cli", "pipeline", "--conf", str(conf)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "unknown key 'ingest.inptus'" in proc.stderr and str(conf) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_spark_submit_rejects_unknown_job():
    proc = subprocess.run(["./spark-submit.sh", "nosuchjob"], cwd=ROOT, env=spark_submit_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "no job named 'nosuchjob'" in proc.stderr
