"""Normalised content for exact dedup: copies that differ only in layout or comments collapse.

For JavaScript-family and CSS code, comments are removed (string and template literals are
kept whole, so ``"http://x"`` is not a comment); then the text is reduced to its code
tokens joined by single spaces. Other languages (markdown, text, JSON, …) keep their
comments-like text and only lose layout. Regex literals holding quotes or comment markers
can confuse the comment scan; the effect is a missed or extra collapse, never a crash.
"""

from __future__ import annotations

import hashlib
import re

from corpusforge.dedup.shingles import code_tokens

# Languages whose `//` and `/* */` are comments.
C_STYLE = frozenset({"typescript", "tsx", "dts", "javascript", "jsx", "vue"})
BLOCK_ONLY = frozenset({"css"})

_C_STYLE_SCAN = re.compile(
    r"""(?P<keep>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
    r"""|(?P<drop>//[^\n]*|/\*.*?(?:\*/|\Z))""", re.S)
_BLOCK_SCAN = re.compile(
    r"""(?P<keep>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<drop>/\*.*?(?:\*/|\Z))""", re.S)


def _keep_literals(match: re.Match[str]) -> str:
    return match.group("keep") if match.group("keep") is not None else " "


def strip_comments(text: str, language: str | None) -> str:
    """``text`` without its comments (each replaced by a space) when ``language`` has them."""
    if language in C_STYLE:
        return _C_STYLE_SCAN.sub(_keep_literals, text)
    if language in BLOCK_ONLY:
        return _BLOCK_SCAN.sub(_keep_literals, text)
    return text


def normalized_text(text: str, language: str | None) -> str:
    """Comments stripped (code only), then the code tokens joined by single spaces."""
    return " ".join(code_tokens(strip_comments(text, language)))


def normalized_sha256(text: str, language: str | None) -> str:
    """sha256 hex of :func:`normalized_text`: equal for formatting- or comment-only copies."""
    return hashlib.sha256(normalized_text(text, language).encode("utf-8", "surrogatepass")).hexdigest()
