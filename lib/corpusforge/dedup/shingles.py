"""Code-token shingles: the sets MinHash signatures summarise.

A document's tokens are runs of ``[A-Za-z0-9_$]`` or single other non-space characters
(whitespace and layout never matter; the filter's decontamination uses the same tokens).
A shingle is ``n`` consecutive tokens joined by one space, as UTF-8 bytes; a document with
fewer than ``n`` tokens (but at least one) has one shingle of all its tokens, and one
without tokens has none. These plain functions are the reference; ``minhash`` computes the
same shingles inside compiled code (tested equal).
"""

from __future__ import annotations

import re

DEFAULT_NGRAM = 5

CODE_TOKEN = re.compile(r"[A-Za-z0-9_$]+|[^\sA-Za-z0-9_$]")

# Every code point Python's ``\s`` (and ``str.isspace``) matches; the compiled tokenizer
# skips exactly these (tests/dedup/test_shingles.py checks the list against ``re``).
WHITESPACE_CODEPOINTS: tuple[int, ...] = (
    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
    *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)


def code_tokens(text: str) -> list[str]:
    """The code tokens of ``text`` in order."""
    return CODE_TOKEN.findall(text)


def shingles(text: str, n: int = DEFAULT_NGRAM) -> list[bytes]:
    """The distinct ``n``-token shingles of ``text`` as UTF-8 bytes, in first-seen order."""
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, got {n}")
    toks = code_tokens(text)
    if not toks:
        return []
    if len(toks) < n:
        windows = [" ".join(toks)]
    else:
        windows = [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]
    return [w.encode("utf-8", "surrogatepass") for w in dict.fromkeys(windows)]


def jaccard(a: set[bytes] | list[bytes], b: set[bytes] | list[bytes]) -> float:
    """Exact Jaccard similarity of two shingle sets (1.0 for two empty sets)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)
