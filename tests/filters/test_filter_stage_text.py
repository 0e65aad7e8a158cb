"""The filter stage's Spark NLP text pass and domain boundaries, with bytes per reason."""

from __future__ import annotations

import hashlib
import json

import pytest
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.filters import stage as filter_stage
from corpusforge.filters.text_quality import natural_text, plain_words
from corpusforge.sources.records import doc_id_for
from tests.conftest import ROOT, SAMPLES, make_config

FIXTURES = ROOT / "tests" / "filters" / "fixtures"
TEXTS = {r["id"]: r["text"] for r in map(json.loads, (SAMPLES / "text" / "docs.jsonl").read_text().splitlines())}
GOOD_TS = "export function add(a: number, b: number): number {\n  return a + b;\n}\n"
LEGACY_JS = "module.exports = function add(a, b) {\n  return a + b;\n};\n"
JQUERY_TS = 'import $ from "jquery";\nexport const root = $("#app");\n'

DOCS = [
    # source, origin, path, language, license, content, expected reason (None: kept)
    ("text", "blog", "docs.jsonl#good", "text", "CC-BY-4.0", TEXTS["doc-ts-001"], None),
    ("text", "web", "docs.jsonl#short", "text", "CC0-1.0", TEXTS["doc-lq-short-002"], "text_quality:word_count"),
    ("text", "web", "docs.jsonl#boiler", "text", "CC0-1.0", TEXTS["doc-lq-boiler-001"],
     "text_quality:duplicate_lines"),
    ("text", "web", "docs.jsonl#toxic", "text", "CC0-1.0", "You frobnicate. " + TEXTS["doc-ts-002"], "blocklist"),
    ("github", "vue-thing@1.0.0", "package.json", "json", "MIT", '{"dependencies": {"vue": "^3.3.0"}}\n',
     "boundary:vue"),
    ("github", "vue-thing@1.0.0", "src/add.ts", "typescript", "MIT", GOOD_TS, "boundary:vue"),
    ("github", "mixed@1.0.0", "package.json", "json", "MIT", '{"dependencies": {"vue-router-helper": "1.0.0"}}\n',
     None),
    ("github", "mixed@1.0.0", "src/dom.ts", "typescript", "MIT", JQUERY_TS, "boundary:jquery"),
    ("github", "mixed@1.0.0", "src/mentions.ts", "typescript", "MIT",
     (FIXTURES / "boundaries" / "mentions_only.ts").read_text(), None),
    ("github", "mixed@1.0.0", "src/legacy.js", "javascript", "MIT", LEGACY_JS, None),
    ("github", "mixed@1.0.0", "src/clamp.ts", "typescript", "MIT",
     (FIXTURES / "text" / "boilerplate_comments.ts").read_text(), "text_quality:duplicate_lines"),
    ("github", "mixed@1.0.0", "README.md", "markdown", "MIT", (FIXTURES / "text" / "README.md").read_text(), None),
    ("github", "copyleft@1.0.0", "src/dom.ts", "typescript", "GPL-3.0-only", JQUERY_TS, "license_not_allowed"),
]


def _config(warehouse, **overrides):
    return make_config(warehouse, **{
        "filter.licenses": str(ROOT / "conf" / "licenses.yaml"),
        "filter.rule_pack": str(ROOT / "conf" / "rules" / "dframe_once.yaml"),
        "filter.text_quality.stopwords": str(ROOT / "conf" / "nlp" / "stopwords_en.txt"),
        "filter.text_quality.blocklist": str(FIXTURES / "text" / "blocklist.txt"),
        "filter.text_quality.text.min_words": 40, **overrides})


def _old_stage_runs(spark, warehouse):
    """meta/stage_runs as written before it had reason_bytes and counts (the stage must add them)."""
    old = tables.TableSpec(tables.STAGE_RUNS.name, tables.T.StructType(
        [f for f in tables.STAGE_RUNS.schema.fields if f.name not in ("reason_bytes", "counts")]),
        tables.STAGE_RUNS.keys)
    tables.merge_rows(spark, warehouse, old, spark.createDataFrame(
        [("old-run", "ingest", 1, 1, 0, {}, {}, None)], old.schema))


@pytest.fixture(scope="module")
def filtered(spark, tmp_path_factory):
    config = _config(tmp_path_factory.mktemp("filter_text") / "wh")
    rows = [(doc_id_for(s, o, p), s, o, p, lang, lic, "evidence", c, hashlib.sha256(c.encode()).hexdigest(),
             len(c.encode()), "r0", 0, None) for s, o, p, lang, lic, c, _ in DOCS]
    tables.merge_rows(spark, config.warehouse, tables.BRONZE_DOCUMENTS,
                      spark.createDataFrame(rows, tables.BRONZE_DOCUMENTS.schema))
    _old_stage_runs(spark, config.warehouse)
    return config, filter_stage.run(spark, config)


def _key(row) -> str:
    return f"{row['origin']}/{row['path']}"


def test_reasons_and_reason_bytes(spark, filtered):
    config, result = filtered
    rejects = tables.read_table(spark, config.warehouse, tables.REJECTS).where("stage = 'filter'").collect()
    expected = {f"{o}/{p}": reason for _, o, p, _, _, _, reason in DOCS if reason}
    assert {_key(r): r["reason"] for r in rejects} == expected
    detail = {_key(r): r["detail"] for r in rejects}
    assert detail["vue-thing@1.0.0/src/add.ts"] == "origin's package.json dependencies has 'vue' (boundary vue)"
    assert detail["mixed@1.0.0/src/dom.ts"] == "imports 'jquery' (boundary jquery)"
    assert detail["web/docs.jsonl#short"] == "text: 3 words < 40"
    assert detail["mixed@1.0.0/src/clamp.ts"].startswith("comments: duplicate line fraction")

    sizes: dict[str, int] = {}
    for *_, content, reason in DOCS:
        if reason:
            sizes[reason] = sizes.get(reason, 0) + len(content.encode())
    assert result.reason_bytes == dict(sorted(sizes.items()))
    assert result.reasons == {k: sum(1 for *_, r in DOCS if r == k) for k in sorted(sizes)}
    runs = {r["run_id"]: r for r in tables.read_table(spark, config.warehouse, tables.STAGE_RUNS).collect()}
    assert runs[config.resolved_run_id()]["reason_bytes"] == result.reason_bytes
    assert runs["old-run"]["reason_bytes"] is None  # a row from before the column existed


def test_kept_rows_carry_text_scores_and_tags(spark, filtered):
    config, result = filtered
    silver = {_key(r): r for r in tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED).collect()}
    assert set(silver) == {f"{o}/{p}" for _, o, p, *_, reason in DOCS if reason is None}
    assert result.rows_out == len(silver) and result.rows_in == len(DOCS)
    good = silver["blog/docs.jsonl#good"]
    assert good["text_kind"] == "text" and good["text_words"] == len(plain_words(TEXTS["doc-ts-001"])) == 71
    assert good["text_stop_words"] == 31 and 4 < good["text_mean_word_length"] < 5
    assert set(good["text_top_ngram_share"]) == {2, 3, 4}
    assert set(good["text_duplicate_ngram_share"]) == {5, 6, 7, 8, 9, 10}
    assert good["text_blocklist_hits"] == 0 and good["boundary_tags"] == []
    readme = silver["mixed@1.0.0/README.md"]
    assert readme["text_kind"] == "text" and readme["text_words"] == 73  # the code block left out
    mentions = silver["mixed@1.0.0/src/mentions.ts"]
    comments = natural_text((FIXTURES / "boundaries" / "mentions_only.ts").read_text(), "typescript")[1]
    assert mentions["text_kind"] == "comments" and mentions["text_words"] == len(plain_words(comments)) == 18
    assert silver["mixed@1.0.0/src/legacy.js"]["boundary_tags"] == ["non_typescript"]
    manifest = silver["mixed@1.0.0/package.json"]
    assert manifest["text_kind"] is None and manifest["text_words"] is None


def test_rerun_is_idempotent_and_follows_config(spark, filtered):
    config, result = filtered

    def snapshot():
        return (tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED).orderBy("doc_id").collect(),
                tables.read_table(spark, config.warehouse, tables.REJECTS).orderBy("doc_id").collect())

    before = snapshot()
    again = filter_stage.run(spark, config)
    assert (again.rows_out, again.rows_rejected, again.reason_bytes) == (
        result.rows_out, result.rows_rejected, result.reason_bytes)
    assert snapshot() == before

    off = _config(config.warehouse, **{"filter.text_quality.enabled": False, "filter.boundaries.enabled": False})
    third = filter_stage.run(spark, off)
    assert third.reasons == {"license_not_allowed": 1}
    assert third.rows_out == len(DOCS) - 1
    silver = tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED)
    assert silver.where(F.col("text_kind").isNotNull() | F.col("boundary_tags").isNotNull()).count() == 0
