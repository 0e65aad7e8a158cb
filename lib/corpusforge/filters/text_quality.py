"""Natural-language quality in the style of Gopher (Rae et al. 2021), from word lists.

The words come from the Spark NLP pipeline (``filters/nlp.py``: sentences → tokens →
normalised lowercase words → stop words removed); everything here is plain Python over
those lists, so it is tested without Spark. :func:`plain_words` is the pipeline's plain
Python stand-in (whitespace tokens normalised the same way), used by the benchmark's
baseline loop and by unit tests.

Two kinds of text are measured: ``text`` (documents in TEXT_LANGUAGES: text corpora,
Markdown with its code blocks left out) and ``comments`` (the comments and JSDoc of code,
see ``filters/lexer.py``). Each kind has its own thresholds (:class:`TextRules`); code is
only judged on its comments when they hold enough words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpusforge.errors import ConfigError
from corpusforge.filters.lexer import scan
from corpusforge.filters.quality import CODE_LANGUAGES

KIND_TEXT = "text"
KIND_COMMENTS = "comments"
TEXT_LANGUAGES: frozenset[str] = frozenset({"text", "markdown"})

REASON_PREFIX = "text_quality"
BLOCKLIST = "blocklist"
WORD_COUNT = "word_count"
MEAN_WORD_LENGTH = "mean_word_length"
SYMBOL_RATIO = "symbol_ratio"
STOP_WORDS = "stop_words"
DUPLICATE_LINES = "duplicate_lines"
TOP_NGRAM = "top_ngram"
DUPLICATE_NGRAMS = "duplicate_ngrams"

# The keys of text_scores, in order; they are column names of silver/filtered.
SCORE_KEYS: tuple[str, ...] = (
    "text_kind", "text_words", "text_mean_word_length", "text_symbol_word_ratio",
    "text_stop_words", "text_duplicate_line_fraction", "text_duplicate_line_char_fraction",
    "text_top_ngram_share", "text_duplicate_ngram_share", "text_blocklist_hits",
)

_FENCE = re.compile(r"^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|\Z)", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+", re.MULTILINE)
_WHITESPACE = re.compile(r"\S+")


@dataclass(frozen=True)
class TextRules:
    """Thresholds for one kind of text (defaults: Gopher's, for ``text``)."""

    # Below this many words no rule but the blocklist is checked (0: always checked).
    min_words_to_check: int = 0
    min_words: int = 50
    max_words: int = 100_000
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 10.0
    # ("#" + "..." + "…") per word.
    max_symbol_word_ratio: float = 0.1
    # Fewest stop words (from the stop-word list) the text must contain.
    min_stop_words: int = 2
    # Share of non-blank lines that repeat an earlier line, and of their characters.
    max_duplicate_line_fraction: float = 0.3
    max_duplicate_line_char_fraction: float = 0.2
    # n → most share of word characters covered by the most frequent n-gram.
    max_top_ngram_share: dict[int, float] = field(default_factory=lambda: {2: 0.20, 3: 0.18, 4: 0.16})
    # n → most share of word characters inside n-grams that repeat an earlier one.
    max_duplicate_ngram_share: dict[int, float] = field(default_factory=lambda: {
        5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10})
    # Most blocklisted words or phrases allowed.
    max_blocklist_hits: int = 0


@dataclass(frozen=True)
class TextQualityPolicy:
    """Word lists and the thresholds per kind (plain values, pickled to the executors)."""

    stopwords: frozenset[str]
    blocklist: frozenset[str]
    text: TextRules
    comments: TextRules

    def rules(self, kind: str) -> TextRules:
        """The thresholds for ``kind`` (KIND_TEXT or KIND_COMMENTS)."""
        return self.text if kind == KIND_TEXT else self.comments


def policy_from_settings(settings) -> TextQualityPolicy:
    """The policy ``filter.text_quality`` (config.TextQualitySettings) describes; the word
    lists are read here (on the driver)."""
    return TextQualityPolicy(
        stopwords=load_words(settings.stopwords, "stopwords"),
        blocklist=load_words(settings.blocklist, "blocklist") if settings.blocklist else frozenset(),
        text=TextRules(**settings.text.model_dump()),
        comments=TextRules(**settings.comments.model_dump()))


def normalize_word(token: str) -> str:
    """A token as Spark NLP's Normalizer (default pattern, lowercase) leaves it: letters and
    ``+`` only, lowercased; "" when nothing is left."""
    return "".join(ch for ch in token if ch.isalpha() or ch == "+").lower()


def plain_words(text: str) -> list[str]:
    """Plain-Python stand-in of the Spark NLP pipeline's words: whitespace tokens, normalised."""
    return [w for w in map(normalize_word, _WHITESPACE.findall(text)) if w]


def load_words(path: str, what: str) -> frozenset[str]:
    """A word list: one word or phrase per line, ``#`` starts a comment; entries are
    normalised like the pipeline's words (phrases word by word, joined by one space)."""
    try:
        lines = Path(path).expanduser().read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} list: {exc.strerror}", path=path, stage="filter",
                          hint=f"fix filter.text_quality.{what} (a text file, one entry per line)") from None
    entries = set()
    for line in lines:
        words = plain_words(line.split("#", 1)[0])
        if words:
            entries.add(" ".join(words))
    return frozenset(entries)


def natural_text(content: str, language: str | None,
                 comments: list[str] | None = None) -> tuple[str, str] | None:
    """``(kind, text)`` of the natural language in a document, or None when it has none.

    Text documents count whole; Markdown without fenced code blocks and heading markers;
    code (CODE_LANGUAGES) by its comments (``comments`` when the caller has lexed the
    content already), one per line block.
    """
    if language in TEXT_LANGUAGES:
        if language == "markdown":
            content = _HEADING.sub("", _FENCE.sub("", content))
        return KIND_TEXT, content
    if language in CODE_LANGUAGES:
        return KIND_COMMENTS, "\n".join(scan(content).comments if comments is None else comments)
    return None


def _duplicate_lines(text: str) -> tuple[float, float]:
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    seen: set[str] = set()
    dup_lines = dup_chars = total_chars = 0
    for line in lines:
        total_chars += len(line)
        if line in seen:
            dup_lines += 1
            dup_chars += len(line)
        else:
            seen.add(line)
    if not lines:
        return 0.0, 0.0
    return dup_lines / len(lines), dup_chars / total_chars


def _top_ngram_share(words: Sequence[str], n: int, total_chars: int) -> float:
    """Share of word characters covered by the most frequent n-gram (when it repeats)."""
    if len(words) < n or not total_chars:
        return 0.0
    gram, count = Counter(zip(*(words[i:] for i in range(n)))).most_common(1)[0]
    return count * sum(map(len, gram)) / total_chars if count > 1 else 0.0


def _duplicate_ngram_share(words: Sequence[str], n: int, total_chars: int) -> float:
    """Share of word characters in n-grams that repeat an earlier one (Gopher; a repeat is
    skipped whole, so overlapping repeats are not counted twice)."""
    if len(words) < n or not total_chars:
        return 0.0
    grams = list(zip(*(words[i:] for i in range(n))))
    seen: set[tuple[str, ...]] = set()
    repeated = i = 0
    while i < len(grams):
        gram = grams[i]
        if gram in seen:
            repeated += sum(map(len, gram))
            i += n
        else:
            seen.add(gram)
            i += 1
    return repeated / total_chars


def _blocklist_hits(words: Sequence[str], blocklist: frozenset[str]) -> int:
    if not blocklist:
        return 0
    lengths = {entry.count(" ") + 1 for entry in blocklist}
    hits = sum(1 for w in words if w in blocklist) if 1 in lengths else 0
    for n in lengths - {1}:
        hits += sum(1 for gram in zip(*(words[i:] for i in range(n))) if " ".join(gram) in blocklist)
    return hits


def text_scores(kind: str, text: str, words: Sequence[str], stop_words: int,
                policy: TextQualityPolicy) -> dict:
    """The measures in SCORE_KEYS. ``words`` are the normalised words of ``text``;
    ``stop_words`` how many of them are on the stop-word list. n-gram shares are measured for
    every n the kind's rules name."""
    rules = policy.rules(kind)
    n_words = len(words)
    total_chars = sum(map(len, words))
    symbols = text.count("#") + text.count("...") + text.count("\u2026")
    dup_lines, dup_line_chars = _duplicate_lines(text)
    return {
        "text_kind": kind,
        "text_words": n_words,
        "text_mean_word_length": total_chars / n_words if n_words else 0.0,
        "text_symbol_word_ratio": symbols / n_words if n_words else float(symbols > 0),
        "text_stop_words": stop_words,
        "text_duplicate_line_fraction": dup_lines,
        "text_duplicate_line_char_fraction": dup_line_chars,
        "text_top_ngram_share": {n: _top_ngram_share(words, n, total_chars)
                                 for n in sorted(rules.max_top_ngram_share)},
        "text_duplicate_ngram_share": {n: _duplicate_ngram_share(words, n, total_chars)
                                       for n in sorted(rules.max_duplicate_ngram_share)},
        "text_blocklist_hits": _blocklist_hits(words, policy.blocklist),
    }


def text_rejection(scores: dict, rules: TextRules) -> tuple[str, str] | None:
    """``(reason, detail)`` for the first failing rule, or None when the text passes.

    Order: blocklist (always), then, from ``min_words_to_check`` words on: word_count,
    mean_word_length, symbol_ratio, stop_words, duplicate_lines, top_ngram, duplicate_ngrams.
    Reasons are ``blocklist`` and ``text_quality:<rule>``; the detail names value and limit.
    """
    kind = scores["text_kind"]
    hits = scores["text_blocklist_hits"]
    if hits > rules.max_blocklist_hits:
        return BLOCKLIST, f"{hits} blocklisted word(s) in {kind} > {rules.max_blocklist_hits}"
    n = scores["text_words"]
    if n < rules.min_words_to_check:
        return None

    def reject(rule: str, detail: str) -> tuple[str, str]:
        return f"{REASON_PREFIX}:{rule}", f"{kind}: {detail}"

    if n < rules.min_words:
        return reject(WORD_COUNT, f"{n} words < {rules.min_words}")
    if n > rules.max_words:
        return reject(WORD_COUNT, f"{n} words > {rules.max_words}")
    mean = scores["text_mean_word_length"]
    if not rules.min_mean_word_length <= mean <= rules.max_mean_word_length:
        return reject(MEAN_WORD_LENGTH, f"mean word length {mean:.2f} outside "
                                        f"[{rules.min_mean_word_length}, {rules.max_mean_word_length}]")
    ratio = scores["text_symbol_word_ratio"]
    if ratio > rules.max_symbol_word_ratio:
        return reject(SYMBOL_RATIO, f"symbol-to-word ratio {ratio:.3f} > {rules.max_symbol_word_ratio}")
    if scores["text_stop_words"] < rules.min_stop_words:
        return reject(STOP_WORDS, f"{scores['text_stop_words']} stop words < {rules.min_stop_words}")
    lines, chars = scores["text_duplicate_line_fraction"], scores["text_duplicate_line_char_fraction"]
    if lines > rules.max_duplicate_line_fraction:
        return reject(DUPLICATE_LINES, f"duplicate line fraction {lines:.3f} > "
                                       f"{rules.max_duplicate_line_fraction}")
    if chars > rules.max_duplicate_line_char_fraction:
        return reject(DUPLICATE_LINES, f"duplicate line character fraction {chars:.3f} > "
                                       f"{rules.max_duplicate_line_char_fraction}")
    for size, limit in sorted(rules.max_top_ngram_share.items()):
        share = scores["text_top_ngram_share"].get(size, 0.0)
        if share > limit:
            return reject(TOP_NGRAM, f"top {size}-gram share {share:.3f} > {limit}")
    for size, limit in sorted(rules.max_duplicate_ngram_share.items()):
        share = scores["text_duplicate_ngram_share"].get(size, 0.0)
        if share > limit:
            return reject(DUPLICATE_NGRAMS, f"duplicate {size}-gram share {share:.3f} > {limit}")
    return None


def assess(kind: str, text: str, words: Sequence[str], stop_words: int,
           policy: TextQualityPolicy) -> tuple[dict, tuple[str, str] | None]:
    """Scores and the rejection (or None) of one text of ``kind``."""
    scores = text_scores(kind, text, words, stop_words, policy)
    return scores, text_rejection(scores, policy.rules(kind))


def assess_plain(kind: str, text: str, policy: TextQualityPolicy) -> tuple[dict, tuple[str, str] | None]:
    """:func:`assess` with :func:`plain_words` in place of the Spark NLP pipeline."""
    words = plain_words(text)
    return assess(kind, text, words, sum(1 for w in words if w in policy.stopwords), policy)
