"""The whole per-document filter in plain Python (``DocumentFilter.apply_plain``), no Spark."""

from __future__ import annotations

import dataclasses
import json

import pytest

from corpusforge.filters.stage import DocumentFilter, make_filter
from tests.conftest import ROOT, make_config

FIXTURES = ROOT / "tests" / "filters" / "fixtures"


@pytest.fixture(scope="module")
def doc_filter(tmp_path_factory) -> DocumentFilter:
    config = make_config(tmp_path_factory.mktemp("wh"), **{
        "filter.licenses": str(ROOT / "conf" / "licenses.yaml"),
        "filter.rule_pack": str(ROOT / "conf" / "rules" / "dframe_once.yaml"),
        "filter.text_quality.stopwords": str(ROOT / "conf" / "nlp" / "stopwords_en.txt"),
        "filter.text_quality.blocklist": str(FIXTURES / "text" / "blocklist.txt")})
    return make_filter(config)


def _row(content: str, path: str = "src/a.ts", language: str = "typescript", license: str | None = "MIT",
         **extra) -> dict:
    return {"doc_id": "d", "source": "github", "origin": "o@1", "path": path, "language": language,
            "license": license, "license_evidence": None, "content": content, "content_sha256": "x",
            "size_bytes": len(content.encode()), "run_id": "r", "bucket": 0, **extra}


def test_order_license_then_boundary(doc_filter):
    jquery = 'import $ from "jquery";\nexport const root = $("#app");\n'
    assert doc_filter.apply_plain(_row(jquery, license="GPL-3.0-only"))["reason"] == "license_not_allowed"
    out = doc_filter.apply_plain(_row(jquery))
    assert (out["reason"], out["nl_kind"]) == ("boundary:jquery", None)
    origin = json.dumps(["vue", "origin's package.json dependencies has 'vue' (boundary vue)"])
    kept_code = "export const a: number = 1;\n"
    assert doc_filter.apply_plain(_row(kept_code, origin_boundary=origin))["reason"] == "boundary:vue"


def test_comments_are_judged_after_redaction(doc_filter):
    # The comment's email is redacted before the comment text is extracted.
    code = "// Ask jane.doe@example.org about the frobnicate rule.\nexport const retries: number = 3;\n"
    out = doc_filter.apply_plain(_row(code))
    assert out["reason"] is None and out["nl_text"] == "Ask <EMAIL> about the frobnicate rule."
    assert out["text_kind"] == "comments" and out["text_blocklist_hits"] == 1
    assert out["boundary_tags"] == []


def test_text_documents_and_tags(doc_filter):
    out = doc_filter.apply_plain(_row("Home | About | Contact here", path="p.txt", language="text"))
    assert (out["reason"], out["detail"]) == ("text_quality:word_count", "text: 4 words < 50")
    js = doc_filter.apply_plain(_row("module.exports = function add(a, b) { return a + b; };\n",
                                     path="index.js", language="javascript"))
    assert js["reason"] is None and js["boundary_tags"] == ["non_typescript"]
    manifest = doc_filter.apply_plain(_row('{"name": "x", "version": "1.0.0"}', path="package.json",
                                           language="json"))
    assert manifest["reason"] is None and manifest["nl_kind"] is None and "text_kind" not in manifest


def test_switches(doc_filter):
    off = dataclasses.replace(doc_filter, boundaries=None, text=None)
    jquery = 'import $ from "jquery";\n// Short note.\nexport const root = $("#app");\n'
    out = off.apply_plain(_row(jquery))
    assert out["reason"] is None and out["nl_kind"] is None and out.get("boundary_tags") is None
