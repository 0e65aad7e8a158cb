"""The Spark NLP pipeline (rule-based, offline) that gives the text filter its words."""

from __future__ import annotations

import json

from corpusforge.filters.nlp import add_word_columns
from corpusforge.filters.text_quality import load_words, natural_text, plain_words
from tests.conftest import ROOT, SAMPLES

STOPWORDS = load_words(str(ROOT / "conf" / "nlp" / "stopwords_en.txt"), "stopwords")


def test_words_and_stop_words_match_the_plain_stand_in(spark):
    texts = [(r["id"], r["text"]) for r in map(json.loads, (SAMPLES / "text" / "docs.jsonl").read_text().splitlines())]
    code = (SAMPLES / "framework" / "packages" / "dframe" / "src" / "testing.ts").read_text()
    texts.append(("comments", natural_text(code, "typescript")[1]))
    texts += [("blank", "  \n "), ("empty", ""), ("null", None)]
    df = spark.createDataFrame(texts, "id string, nl_text string")
    out = {r["id"]: r for r in add_word_columns(df, "nl_text", STOPWORDS, "words", "stops").collect()}
    assert set(out) == {i for i, _ in texts}
    for doc_id, text in texts:
        expected = plain_words(text or "")
        assert out[doc_id]["words"] == expected, doc_id
        assert out[doc_id]["stops"] == sum(w in STOPWORDS for w in expected), doc_id
    assert out["null"]["words"] == [] and out["null"]["stops"] == 0
    assert out["doc-ts-001"]["words"][:4] == ["typescripts", "structural", "type", "system"]
    assert out["doc-ts-001"]["stops"] == 31


def test_pipeline_keeps_other_columns_and_rows(spark):
    df = spark.createDataFrame([(1, "The cat sat.", "x"), (2, None, "y")], "id int, nl_text string, other string")
    out = add_word_columns(df, "nl_text", STOPWORDS).orderBy("id")
    assert out.columns == ["id", "nl_text", "other", "nlp_words", "nlp_stop_words"]
    rows = [(r["id"], r["other"], r["nlp_words"], r["nlp_stop_words"]) for r in out.collect()]
    assert rows == [(1, "x", ["the", "cat", "sat"], 1), (2, "y", [], 0)]
