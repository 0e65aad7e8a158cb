"""Which language a file is, from its name first and a cheap look at its content."""

from __future__ import annotations

import posixpath
import re

SUPPORTED_LANGUAGES: frozenset[str] = frozenset({
    "typescript", "tsx", "dts", "javascript", "jsx", "json", "markdown", "text", "vue",
    "html", "css",
})

_EXTENSIONS: dict[str, str] = {
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".jsx": "jsx",
    ".json": "json",
    ".md": "markdown", ".mdx": "markdown", ".markdown": "markdown",
    ".txt": "text", ".rst": "text",
    ".vue": "vue",
    ".html": "html", ".htm": "html",
    ".css": "css", ".scss": "css",
}
_DTS_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
_JS_EXTENSIONS = frozenset({".js", ".mjs", ".cjs"})

# Extensionless (or oddly suffixed, e.g. LICENSE-MIT, README.old) project documents.
_TEXT_NAMES = re.compile(
    r"^(licen[cs]e|unlicense|copying|readme|changelog|changes|history|notice|authors|"
    r"contributors|patents|security|code_of_conduct|contributing)([-_.][\w.-]*)?$",
    re.IGNORECASE)
_NODE_SHEBANG = re.compile(rb"^#![^\n]*\bnode\b")

# String literals and comments are blanked before the JSX check, so markup held in a
# string ('<div></div>' in jQuery code) is not mistaken for JSX.
_STRINGS_AND_COMMENTS = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`",
    re.DOTALL)
# JSX needs a closing tag, a self-closing tag, a fragment, or a tag right after
# `return (`, `=>` or `=`: none of these can be a comparison like `i<n` or `a < b`.
_JSX = re.compile(
    r"</[A-Za-z][\w.:-]*\s*>"
    r"|</>"
    r"|<[A-Za-z][\w.:-]*(?:\s[^<>]*)?/>"
    r"|(?:\breturn|=>|[=(,?:])\s*\(?\s*<(?:[A-Za-z][\w.:-]*(?:\s|>|/>)|>)")


def looks_like_jsx(text: str) -> bool:
    """True when JavaScript source contains JSX markup outside strings and comments."""
    code = _STRINGS_AND_COMMENTS.sub(" ", text)
    return _JSX.search(code) is not None


def _is_dts(name: str) -> bool:
    return name.lower().endswith(_DTS_SUFFIXES)


def detect_language(path: str, text: str | None = None) -> str | None:
    """Language of ``path`` (one of SUPPORTED_LANGUAGES) or None when unsupported.

    The extension decides; ``text``, when given, tells JSX in .js files and node scripts
    without an extension.
    """
    name = posixpath.basename(path.replace("\\", "/"))
    if _is_dts(name):
        return "dts"
    stem, ext = posixpath.splitext(name)
    ext = ext.lower()
    if ext in _EXTENSIONS:
        language = _EXTENSIONS[ext]
        if ext in _JS_EXTENSIONS and text is not None and looks_like_jsx(text):
            return "jsx"
        return language
    if _TEXT_NAMES.match(name):
        return "text"
    if not ext and text is not None and _NODE_SHEBANG.match(text[:200].encode("utf-8")):
        return "javascript"
    return None


def has_node_shebang(head: bytes) -> bool:
    """True when the first bytes of a file are a shebang that runs node."""
    return _NODE_SHEBANG.match(head[:200]) is not None
