"""Cleaning inside the filter stage: silver columns, rejects, counts in meta/stage_runs."""

from __future__ import annotations

import hashlib

import pytest

from corpusforge import tables
from corpusforge.filters import stage as filter_stage
from corpusforge.sources.records import doc_id_for
from tests.conftest import ROOT, make_config

FIXTURES = ROOT / "tests" / "filters" / "fixtures" / "cleaning"
HEADER_TS = (FIXTURES / "header_and_code.ts").read_text()
ONLY_HEADER_TS = (FIXTURES / "only_header.ts").read_text()
PLAIN_TS = "export function add(a: number, b: number): number {\n  return a + b;\n}\n"
CRLF_MD = "# Notes\r\n\r\nThe add function adds two numbers and returns their sum.\r\n"

DOCS = [
    # origin, path, language, license, content
    ("ok@1.0.0", "src/load.ts", "typescript", "MIT", HEADER_TS),
    ("ok@1.0.0", "src/unused.ts", "typescript", "MIT", ONLY_HEADER_TS),
    ("ok@1.0.0", "src/add.ts", "typescript", "MIT", PLAIN_TS),
    ("ok@1.0.0", "NOTES.md", "markdown", "MIT", CRLF_MD),
    ("gpl@1.0.0", "src/load.ts", "typescript", "GPL-3.0-only", HEADER_TS),
]


def _bronze(spark, warehouse):
    rows = [{"doc_id": doc_id_for("github", o, p), "source": "github", "origin": o, "path": p,
             "language": lang, "license": lic, "license_evidence": "evidence", "content": c,
             "content_sha256": hashlib.sha256(c.encode()).hexdigest(), "size_bytes": len(c.encode()),
             "run_id": "r0", "bucket": 0} for o, p, lang, lic, c in DOCS]
    tables.merge_rows(spark, warehouse, tables.BRONZE_DOCUMENTS,
                      spark.createDataFrame(rows, tables.BRONZE_DOCUMENTS.schema))


def _config(warehouse, **overrides):
    return make_config(warehouse, **{
        "filter.licenses": str(ROOT / "conf" / "licenses.yaml"),
        "filter.rule_pack": str(ROOT / "conf" / "rules" / "dframe_once.yaml"),
        "filter.text_quality.enabled": False, **overrides})


@pytest.fixture(scope="module")
def cleaned(spark, tmp_path_factory):
    config = _config(tmp_path_factory.mktemp("cleaning") / "wh")
    _bronze(spark, config.warehouse)
    return config, filter_stage.run(spark, config)


def test_silver_holds_cleaned_content_header_and_counts(spark, cleaned):
    config, result = cleaned
    silver = {r["path"]: r for r in tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED).collect()}
    assert set(silver) == {"src/load.ts", "src/add.ts", "NOTES.md"}
    load = silver["src/load.ts"]
    assert load["content"].startswith('/// <reference types="node" />') and "Copyright" not in load["content"]
    assert "Copyright (c) 2021 Example Corp." in load["license_header"] and load["license"] == "MIT"
    assert load["cleaning"] == {"license_header": 1, "banners": 2, "commented_code": 1,
                                "trailing_whitespace": 1, "blank_lines": 3}
    assert load["content_sha256"] == hashlib.sha256(load["content"].encode()).hexdigest()
    add = silver["src/add.ts"]
    assert (add["content"], add["cleaning"], add["license_header"]) == (PLAIN_TS, {}, None)
    assert add["content_sha256"] == hashlib.sha256(PLAIN_TS.encode()).hexdigest()
    assert silver["NOTES.md"]["content"] == CRLF_MD.replace("\r\n", "\n")
    assert silver["NOTES.md"]["cleaning"] == {"line_endings": 3}


def test_rejects_and_stage_counts(spark, cleaned):
    config, result = cleaned
    rejects = {(r["origin"], r["path"]): r for r in tables.read_table(spark, config.warehouse, tables.REJECTS)
               .where("stage = 'filter'").collect()}
    assert {k: r["reason"] for k, r in rejects.items()} == {
        ("ok@1.0.0", "src/unused.ts"): "empty_after_cleaning",
        ("gpl@1.0.0", "src/load.ts"): "license_not_allowed"}  # the license decides before cleaning
    assert (result.rows_in, result.rows_out, result.rows_rejected) == (5, 3, 2)
    assert result.counts == {
        "cleaning.banners": 1, "cleaning.banners.edits": 2,
        "cleaning.blank_lines": 2, "cleaning.blank_lines.edits": 4,
        "cleaning.commented_code": 2, "cleaning.commented_code.edits": 2,
        "cleaning.license_header": 2, "cleaning.license_header.edits": 2,
        "cleaning.line_endings": 1, "cleaning.line_endings.edits": 3,
        "cleaning.trailing_whitespace": 1, "cleaning.trailing_whitespace.edits": 1}
    run = (tables.read_table(spark, config.warehouse, tables.STAGE_RUNS)
           .where(f"stage = 'filter' AND run_id = '{config.resolved_run_id()}'").first())
    assert run["counts"] == result.counts
    assert run["reasons"]["empty_after_cleaning"] == 1


def test_cleaning_switched_off_keeps_bronze_content(spark, cleaned, tmp_path):
    config, _ = cleaned
    off = _config(config.warehouse, **{"filter.cleaning.enabled": False})
    result = filter_stage.run(spark, off)
    silver = {r["path"]: r for r in tables.read_table(spark, off.warehouse, tables.SILVER_FILTERED).collect()}
    assert silver["src/load.ts"]["content"] == HEADER_TS and silver["src/load.ts"]["cleaning"] is None
    assert "src/unused.ts" in silver and result.counts == {}
