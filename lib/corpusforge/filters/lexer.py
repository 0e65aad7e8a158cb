"""A small JavaScript/TypeScript lexer: the comments and the imported modules of a file.

It knows just enough of the language to tell comments, string literals, template
literals (with nested ``${…}`` substitutions), regular-expression literals and code apart,
so a ``//`` inside a string is no comment and an ``import … from "x"`` inside a comment or
a string is no import. It never fails: unterminated constructs end at the end of the line
(quoted strings) or of the file (comments, templates), as editors show them.

Known approximations (no parser): JSX text is lexed as code, so an apostrophe in JSX text
("Don't") opens a string that ends with its line, and ``//`` in JSX text starts a comment;
a ``/`` after ``)`` or ``}`` is taken as division, never as the start of a regex literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The next construct the lexer must look at, outside templates. Alternatives are tried at
# the same position in order, so "//" and "/*" win over a lone "/".
_NEXT = re.compile(r"""
      (?P<line>//[^\n]*)
    | (?P<block>/\*[\s\S]*?(?:\*/|\Z))
    | (?P<string>"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"?|'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'?)
    | (?P<tick>`)
    | (?P<slash>/)
""", re.VERBOSE)
# The same inside a template substitution, where braces must be counted.
_NEXT_IN_SUBSTITUTION = re.compile(_NEXT.pattern + r"| (?P<open>\{) | (?P<close>\})", re.VERBOSE)
# Template text up to its closing backtick, a "${", or the end of the file.
_TEMPLATE_TEXT = re.compile(r"(?:[^`\\$]|\\[\s\S]|\$(?!\{))*")
# A regex literal: a class may hold "/", an escape may escape anything; flags follow.
_REGEX = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[A-Za-z]*")
# What must directly precede a string for it to be a module specifier: `from "x"`,
# `import "x"`, `require("x")`, `import("x")` (not a property such as `obj.require(`).
_SPECIFIER_BEFORE = re.compile(r"(?<![\w$.])(?:(?:from|import)\s*|(?:require|import)\s*\(\s*)$")
# After these words a "/" starts a regex literal; after other identifiers it divides.
_REGEX_AFTER_WORDS = frozenset({
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
    "do", "else", "yield", "await"})
# Comments that steer tools rather than explain code.
_DIRECTIVE = re.compile(
    r"^(?:eslint[- ]|eslint$|@ts-|prettier-ignore|istanbul ignore|c8 ignore|tslint:|jshint|"
    r"global |<reference|#region|#endregion|webpack[A-Z]|@vite-ignore|@jsx|@flow|@refresh)")
_BLOCK_LINE_PREFIX = re.compile(r"^\s*\*(?!/) ?")


@dataclass
class Scan:
    """What :func:`scan` found: comment texts (markers stripped) and module specifiers."""

    comments: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)


def _comment_text(raw: str) -> str:
    """A comment without its markers (``//``, ``/* */``, JSDoc's leading ``*``)."""
    if raw.startswith("//"):
        return raw.lstrip("/").strip()
    body = raw[2:-2] if raw.endswith("*/") and len(raw) >= 4 else raw[2:]
    body = body.lstrip("*!")
    lines = [_BLOCK_LINE_PREFIX.sub("", line).rstrip() for line in body.split("\n")]
    return "\n".join(lines).strip()


def _regex_allowed(content: str, pos: int) -> bool:
    """Whether a "/" at ``pos`` can start a regex literal, from what precedes it."""
    i = pos - 1
    while i >= 0 and content[i] in " \t\r\n":
        i -= 1
    if i < 0:
        return True
    prev = content[i]
    if prev.isalnum() or prev in "_$":
        start = i
        while start > 0 and (content[start - 1].isalnum() or content[start - 1] in "_$"):
            start -= 1
        return content[start:i + 1] in _REGEX_AFTER_WORDS
    # After a value a "/" divides; after "<" it closes a JSX tag.
    return prev not in ")]}\"'`<"


def scan(content: str) -> Scan:
    """The comments (directives such as ``eslint-disable`` left out) and module specifiers of
    ``import``/``export … from``/``require()``/``import()`` in a JS/TS source text."""
    out = Scan()
    pos, n = 0, len(content)
    code_start = 0  # where the code before the current token begins (for specifier checks)
    # One entry per open template substitution: the depth of braces opened inside it.
    substitutions: list[int] = []
    while pos < n:
        match = (_NEXT_IN_SUBSTITUTION if substitutions else _NEXT).search(content, pos)
        if match is None:
            break
        kind, start, end = match.lastgroup, match.start(), match.end()
        if kind in ("line", "block"):
            text = _comment_text(match.group())
            if text and not _DIRECTIVE.match(text):
                out.comments.append(text)
        elif kind == "string":
            token = match.group()
            if len(token) >= 2 and token[-1] == token[0] and _SPECIFIER_BEFORE.search(content, code_start, start):
                out.imports.append(token[1:-1])
        elif kind == "tick":
            end = _template(content, start, out, code_start, substitutions)
        elif kind == "slash":
            literal = _REGEX.match(content, start) if _regex_allowed(content, start) else None
            if literal:
                end = literal.end()
        elif kind == "open":
            substitutions[-1] += 1
        elif kind == "close":
            if substitutions[-1] == 0:
                substitutions.pop()
                end = _template(content, start, out, code_start, substitutions, resume=True)
            else:
                substitutions[-1] -= 1
        pos = code_start = end
    return out


def _template(content: str, start: int, out: Scan, code_start: int, substitutions: list[int],
              resume: bool = False) -> int:
    """Lex template text from the backtick (or the ``}`` closing a substitution) at ``start``;
    returns where code resumes. Opening a substitution pushes onto ``substitutions``."""
    text = _TEMPLATE_TEXT.match(content, start + 1)
    end = text.end()
    if content.startswith("${", end):
        substitutions.append(0)
        return end + 2
    if (not resume and end < len(content)
            and _SPECIFIER_BEFORE.search(content, code_start, start)):
        out.imports.append(text.group())  # require(`x`) with no substitution
    return min(end + 1, len(content))
