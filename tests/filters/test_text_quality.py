"""Gopher-style text rules on word lists (plain Python, no Spark)."""

from __future__ import annotations

import json

import pytest

from corpusforge.config import load_config
from corpusforge.errors import ConfigError
from corpusforge.filters.text_quality import (KIND_COMMENTS, KIND_TEXT, TextRules, assess, assess_plain,
                                              load_words, natural_text, normalize_word, plain_words,
                                              policy_from_settings, text_rejection, text_scores)
from tests.conftest import ROOT, SAMPLES

NLP = ROOT / "conf" / "nlp"
FIXTURES = ROOT / "tests" / "filters" / "fixtures" / "text"
DOCS = {r["id"]: r["text"] for r in map(json.loads, (SAMPLES / "text" / "docs.jsonl").read_text().splitlines())}


def _policy(**overrides):
    base = {"filter.text_quality.stopwords": str(NLP / "stopwords_en.txt"),
            "filter.text_quality.blocklist": str(FIXTURES / "blocklist.txt")}
    base.update({f"filter.text_quality.{k}": v for k, v in overrides.items()})
    return policy_from_settings(load_config(None, base).filter.text_quality)


def test_words_are_normalised_like_spark_nlp():
    assert normalize_word("Don't") == "dont" and normalize_word("C++") == "c++"
    assert normalize_word("3.14") == "" and normalize_word("#tag") == "tag"
    assert plain_words("Hello, world... #tag 100% e-mail\nnext") == ["hello", "world", "tag", "email", "next"]


def test_word_lists(tmp_path):
    words = tmp_path / "w.txt"
    words.write_text("# a comment\nThe\n  don't  # trailing comment\nClick HERE now\n\n")
    assert load_words(str(words), "stopwords") == {"the", "dont", "click here now"}
    stop = load_words(str(NLP / "stopwords_en.txt"), "stopwords")
    assert {"the", "and", "of", "dont", "isnt"} <= stop and not {"well", "hell", "shell"} & stop
    assert load_words(str(NLP / "blocklist_en.txt"), "blocklist")
    with pytest.raises(ConfigError) as err:
        load_words(str(tmp_path / "missing.txt"), "blocklist")
    assert "filter.text_quality.blocklist" in err.value.one_line()


def test_natural_text_per_language():
    markdown = "# Title\n\nSome words here.\n\n```ts\nconst a = 1; // code\n```\n## More\ntext\n"
    assert natural_text(markdown, "markdown") == (KIND_TEXT, "Title\n\nSome words here.\n\n\nMore\ntext\n")
    assert natural_text("plain text", "text") == (KIND_TEXT, "plain text")
    code = '// Adds numbers.\nconst s = "// not this";\n/** Twice. */\n'
    assert natural_text(code, "typescript") == (KIND_COMMENTS, "Adds numbers.\nTwice.")
    assert natural_text('{"a": 1}', "json") is None and natural_text("a {}", "css") is None


def test_scores_exact():
    policy = _policy()
    words = "the cat sat on the mat the cat sat".split()  # 26 characters
    scores = text_scores(KIND_TEXT, "the cat sat\non the mat\nthe cat sat\n...", words, 4, policy)
    assert scores["text_words"] == 9 and scores["text_mean_word_length"] == pytest.approx(26 / 9)
    assert scores["text_symbol_word_ratio"] == pytest.approx(1 / 9)
    assert scores["text_stop_words"] == 4
    assert scores["text_duplicate_line_fraction"] == pytest.approx(1 / 4)
    assert scores["text_duplicate_line_char_fraction"] == pytest.approx(11 / 35)
    top = scores["text_top_ngram_share"]
    assert top == {2: pytest.approx(12 / 26), 3: pytest.approx(18 / 26), 4: 0.0}
    assert set(scores["text_duplicate_ngram_share"]) == {5, 6, 7, 8, 9, 10}
    repeated = text_scores(KIND_TEXT, "", "a b c d e a b c d e".split(), 0, policy)
    assert repeated["text_duplicate_ngram_share"][5] == pytest.approx(0.5)
    assert repeated["text_duplicate_ngram_share"][6] == 0.0


def test_good_articles_pass_and_short_or_spam_fail():
    policy = _policy()
    for doc_id in ("doc-ts-001", "doc-state-001", "doc-api-001", "doc-test-002", "doc-dedup-001a"):
        assert assess_plain(KIND_TEXT, DOCS[doc_id], policy)[1] is None, doc_id
    for doc_id in ("doc-lq-spam-001", "doc-lq-boiler-001", "doc-lq-short-001", "doc-lq-symbols-001"):
        assert assess_plain(KIND_TEXT, DOCS[doc_id], policy)[1][0] == "text_quality:word_count", doc_id


@pytest.mark.parametrize("doc_id, reason, overrides", [
    # With the length rule out of the way, each low-quality sample fails its own rule.
    ("doc-lq-spam-001", "text_quality:stop_words", {}),
    ("doc-lq-spam-001", "text_quality:top_ngram", {"text.min_stop_words": 0}),
    ("doc-lq-boiler-001", "text_quality:duplicate_lines", {}),
    ("doc-lq-symbols-001", "text_quality:symbol_ratio", {}),
    ("doc-lq-short-002", "text_quality:stop_words", {}),
    ("doc-ts-001", None, {}),
])
def test_each_rule(doc_id, reason, overrides):
    policy = _policy(**{"text.min_words": 0, **overrides})
    rejection = assess_plain(KIND_TEXT, DOCS[doc_id], policy)[1]
    assert (rejection[0] if rejection else None) == reason


def test_mean_word_length_top_and_duplicate_ngrams():
    policy = _policy(**{"text.min_words": 0, "text.min_stop_words": 0})
    long_words = " ".join(["internationalization", "characterization"] * 3 + ["of", "the", "a"])
    assert assess_plain(KIND_TEXT, long_words, policy)[1][0] == "text_quality:mean_word_length"
    # "beta gamma" three times: 27 of 89 word characters.
    looped = " ".join(["alpha"] + ["beta", "gamma", "delta", "epsilon", "zeta", "eta"] * 3)
    scores, rejection = assess_plain(KIND_TEXT, looped, policy)
    assert scores["text_top_ngram_share"][2] == pytest.approx(27 / 89)
    assert rejection == ("text_quality:top_ngram", "text: top 2-gram share 0.303 > 0.2")
    # The second "one two three four five" repeats the first: 19 of 44 word characters.
    words = "one two three four five six one two three four five six".split()
    scores = text_scores(KIND_TEXT, "", words, 0, policy)
    assert scores["text_duplicate_ngram_share"][5] == pytest.approx(19 / 44)
    rules = TextRules(min_words=0, min_stop_words=0, max_top_ngram_share={},
                      max_duplicate_ngram_share={5: 0.15})
    assert text_rejection(scores, rules)[0] == "text_quality:duplicate_ngrams"


def test_blocklist_counts_words_and_phrases():
    policy = _policy()
    text = "This frobnicate helper is fine, but the bad phrase appears. " + DOCS["doc-ts-001"]
    scores, rejection = assess_plain(KIND_TEXT, text, policy)
    assert scores["text_blocklist_hits"] == 2
    assert rejection == ("blocklist", "2 blocklisted word(s) in text > 0")
    # Comments allow two hits; the third rejects, even in a short comment.
    assert assess_plain(KIND_COMMENTS, "frobnicate this, frobnicate that", policy)[1] is None
    assert assess_plain(KIND_COMMENTS, "frobnicate frobnicate frobnicate", policy)[1][0] == "blocklist"


def test_code_is_not_rejected_for_few_comments():
    policy = _policy()
    for text in ("", "TODO", "Adds two numbers.", "x " * 99):
        scores, rejection = assess_plain(KIND_COMMENTS, text, policy)
        assert rejection is None, text
    # From 100 words on, the (lenient) comment rules apply: repeated boilerplate fails.
    repeated = "\n".join(["Copyright Example Corp all rights reserved see the license file"] * 12)
    assert assess_plain(KIND_COMMENTS, repeated, policy)[1][0] == "text_quality:duplicate_lines"
    prose = DOCS["doc-ts-001"] + "\n" + DOCS["doc-ts-002"]
    assert assess_plain(KIND_COMMENTS, prose, policy)[1] is None


def test_assess_uses_given_words():
    policy = _policy(**{"text.min_words": 2})
    scores, rejection = assess(KIND_TEXT, "ignored text", ["the", "words"], 1, policy)
    assert scores["text_words"] == 2 and rejection == ("text_quality:stop_words", "text: 1 stop words < 2")


def test_partial_comment_settings_keep_lenient_defaults():
    config = load_config(None, {"filter.text_quality.comments.min_words_to_check": 10})
    comments = config.filter.text_quality.comments
    assert comments.min_words_to_check == 10 and comments.max_blocklist_hits == 2
    assert comments.max_top_ngram_share == {2: 0.4, 3: 0.35, 4: 0.3}
    local = load_config(str(ROOT / "conf" / "local.yaml")).filter.text_quality
    assert local == load_config(None).filter.text_quality
