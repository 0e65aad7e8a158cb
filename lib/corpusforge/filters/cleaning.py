"""Code cleaning: the first step of the filter (data management plan, step 3).

Each step is a flag of :class:`CleaningPolicy` and counts its edits per document:

- ``line_endings``: CRLF and lone CR become LF (any document);
- ``license_header``: leading license/copyright comments move out of the content into the
  ``license_header`` column;
- ``banners``: decorative separator comments, source-map pragmas and bundler module markers;
- ``commented_code``: runs of comments that parse as code (``min_commented_code_lines`` lines
  or more);
- ``trailing_whitespace``: spaces and tabs at line ends;
- ``blank_lines``: runs of blank lines cut to ``max_blank_lines``, none at the start or end.

Every step but ``line_endings`` applies to JavaScript/TypeScript only and works from the
tree-sitter tree: only comments that fill whole lines are removed (so no line break between
tokens disappears, which keeps automatic semicolon insertion as it was), and no byte inside a
string, template, regex or JSX text changes. Comments that steer tools (``eslint-disable``,
``@ts-…``, ``/// <reference>``, ``@jsx``…) and comments saying the file is generated stay.

Cleaning never changes what the code means: :func:`same_code` compares the trees of the
original and the cleaned text without comments and whitespace, and :func:`clean_document`
returns the original when they differ (``kept_original``). Line endings are the one change
inside literals: ECMAScript reads CRLF and CR in a template literal as LF (its cooked and raw
values alike; "Static Semantics: TV and TRV"), and a CR elsewhere only ends a line or
continues a string, so the comparison reads every token with LF line ends.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import tree_sitter as ts

from corpusforge.transform.parsing import grammar_for, nodes_of_types, parse

EMPTY_AFTER_CLEANING = "empty_after_cleaning"

STEPS: tuple[str, ...] = ("line_endings", "license_header", "banners", "commented_code",
                          "trailing_whitespace", "blank_lines")
# Outcomes counted besides the steps: the meaning check failed, or the file did not parse.
KEPT_ORIGINAL = "kept_original"
UNPARSED = "unparsed"

# Languages cleaned beyond line endings (the tree-sitter TypeScript/TSX grammars read them).
CLEANED_LANGUAGES: frozenset[str] = frozenset({"typescript", "tsx", "dts", "javascript", "jsx"})
_COMMENT_TYPES = ("comment", "html_comment")
# Nodes whose bytes are content, not layout: whitespace inside them is meaning.
_PROTECTED_TYPES = ("template_string", "template_literal_type", "string", "regex", "jsx_text")
# Nodes that make a comment "code" rather than prose that happens to parse.
_CODE_NODE_TYPES = (
    "call_expression", "assignment_expression", "augmented_assignment_expression",
    "lexical_declaration", "variable_declaration", "function_declaration", "class_declaration",
    "return_statement", "if_statement", "for_statement", "for_in_statement", "while_statement",
    "import_statement", "export_statement", "jsx_element", "jsx_self_closing_element",
    "arrow_function", "interface_declaration", "type_alias_declaration", "throw_statement",
    "try_statement", "switch_statement")

# Comments that steer tools: they are code as far as the build is concerned.
_DIRECTIVE = re.compile(
    r"^(?:eslint[- ]|eslint$|@ts-|prettier-ignore|istanbul ignore|c8 ignore|v8 ignore|tslint:|"
    r"jshint|jscs:|global |globals |<reference|<amd-|#region|#endregion|webpack[A-Z]|@vite-ignore|"
    r"@jsx|@flow|@refresh|@vitest-environment|@jest-environment|@format|@noflow|"
    r"biome-ignore|deno-lint|\$FlowFixMe|@__PURE__|#__PURE__|@__NO_SIDE_EFFECTS__)")
_LICENSE = re.compile(
    r"copyright\b|\(c\)\s*(?:\d{4}|[A-Z])|©|spdx-license-identifier|@license\b|licensed under|"
    r"permission is hereby granted|all rights reserved|this source code is licensed|"
    r"released under the|license: (?:mit|isc|apache|bsd)", re.IGNORECASE)
# JSDoc tags that make a comment the documentation of what follows it.
_DOC_TAGS = re.compile(r"@(?:param|returns?|example|template|typedef|type|deprecated|see|"
                       r"throws|callback|property|prop|default|remarks|description)\b")
_SOURCE_MAP = re.compile(r"^[#@]\s*source(?:Mapping)?URL=")
# esbuild/tsup/rollup mark each bundled module with its path: "// src/hooks/useX.ts".
_MODULE_MARKER = re.compile(r"^(?:\.{0,2}/)?(?:[\w@.+-]+/)+[\w.+-]+\.(?:[cm]?[jt]sx?|vue|svelte)$")
_BUNDLER_NOTES = ("Annotate the CommonJS export names for ESM import in node:",)
_BLOCK_LINE_PREFIX = re.compile(r"^\s*\*(?!/) ?")
_TRAILING_WS = re.compile(rb"[ \t\f\v]+$")


@dataclass(frozen=True)
class CleaningPolicy:
    """Which cleaning steps run (plain values, pickled to the executors)."""

    line_endings: bool = True
    trailing_whitespace: bool = True
    license_header: bool = True
    banners: bool = True
    commented_code: bool = True
    blank_lines: bool = True
    # A comment run must have this many non-blank lines to count as commented-out code.
    min_commented_code_lines: int = 3
    # Longest run of blank lines left in code.
    max_blank_lines: int = 1
    # Check that the cleaned tree equals the original (off only for measurements).
    verify: bool = True
    # Comments holding these phrases stay (the quality filter's autogenerated check reads them).
    generated_markers: tuple[str, ...] = (
        "generated by", "auto-generated", "autogenerated", "do not edit",
        "this file was automatically generated", "@generated")


@dataclass
class Cleaned:
    """What :func:`clean_document` made of a document."""

    content: str
    license_header: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    reason: str | None = None
    detail: str | None = None


def normalize_line_endings(text: str) -> tuple[str, int]:
    """``text`` with CRLF and lone CR as LF, and how many line ends changed."""
    n = text.count("\r")
    return (text.replace("\r\n", "\n").replace("\r", "\n"), n) if n else (text, 0)


def comment_text(raw: str) -> str:
    """A comment without its markers (``//``, ``/* */``, JSDoc's leading ``*``), lines kept."""
    if raw.startswith("//"):
        body = raw[2:]
        return body[1:] if body.startswith(" ") else body
    if raw.startswith("<!--"):
        return raw[4:-3] if raw.endswith("-->") else raw[4:]
    body = raw[2:-2] if raw.endswith("*/") and len(raw) >= 4 else raw[2:]
    body = body.lstrip("*!")
    return "\n".join(_BLOCK_LINE_PREFIX.sub("", line).rstrip() for line in body.split("\n")).strip("\n")


def _code_tokens(tree: ts.Tree) -> list[tuple[str, str | None]]:
    """The tree in document order without comments: (type, text of leaves), LF line ends."""
    out: list[tuple[str, str | None]] = []
    cursor = tree.walk()
    while True:
        node = cursor.node
        text = None
        if node.child_count == 0 and node.end_byte > node.start_byte:
            text = node.text.decode("utf-8", "surrogatepass")
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
        # JSX drops whitespace-only text that holds a line break (tree-sitter keeps it as a
        # node after CRLF, not after LF); the shebang's line end is not part of it.
        skip = node.type in _COMMENT_TYPES or (
            node.type == "jsx_text" and text is not None and not text.strip() and "\n" in text)
        if not skip:
            out.append((node.type, text.rstrip() if node.type == "hash_bang_line" else text))
            if cursor.goto_first_child():
                continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def code_difference(original: str, cleaned: str, grammar: str,
                    original_tree: ts.Tree | None = None) -> str | None:
    """None when both texts parse to the same tree ignoring comments and whitespace, else
    where they first differ (node types and leaf texts, in document order).
    ``original_tree``, when given, is ``original`` already parsed."""
    a = _code_tokens(original_tree if original_tree is not None else parse(original, grammar))
    b = _code_tokens(parse(cleaned, grammar))
    if a == b:
        return None
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"node {i}: {x!r} became {y!r}"
    return f"{len(a)} nodes became {len(b)}"


def same_code(original: str, cleaned: str, grammar: str, original_tree: ts.Tree | None = None) -> bool:
    """Whether ``cleaned`` means what ``original`` means: equal tree-sitter trees once
    comments and whitespace are ignored (template line ends read as LF, as ECMAScript does)."""
    return code_difference(original, cleaned, grammar, original_tree) is None


@dataclass
class _Comment:
    start: int          # byte offsets
    end: int
    first_line: int     # 0-based rows
    last_line: int
    raw: str
    text: str
    line_style: bool    # "//" comment


def _union(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(ranges):
        if starts and a < ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _inside(starts: list[int], ends: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _whole_line_comments(tree: ts.Tree, data: bytes, line_starts: list[int],
                         protected: tuple[list[int], list[int]]) -> list[_Comment]:
    """Comments alone on their lines (only whitespace before and after), outside literals."""
    out = []
    for node in nodes_of_types(tree, _COMMENT_TYPES):
        start, end = node.start_byte, node.end_byte
        if _inside(*protected, start):
            continue
        first, last = node.start_point[0], node.end_point[0]
        line_end = line_starts[last + 1] - 1 if last + 1 < len(line_starts) else len(data)
        if data[line_starts[first]:start].strip() or data[end:line_end].strip():
            continue
        raw = data[start:end].decode("utf-8", "surrogatepass")
        out.append(_Comment(start, end, first, last, raw, comment_text(raw), raw.startswith("//")))
    return out


def _is_directive(comment: _Comment, markers: tuple[str, ...]) -> bool:
    lowered = comment.raw.lower()
    if any(m.lower() in lowered for m in markers):
        return True
    return any(_DIRECTIVE.match(line.strip()) for line in comment.text.split("\n"))


def _is_banner(comment: _Comment) -> bool:
    text = comment.text.strip()
    if not any(ch.isalnum() for ch in text):
        # "// ------", "/*******/"; an empty "//" separates paragraphs of a comment: it stays.
        return not comment.line_style or len(text.replace(" ", "")) >= 3
    if comment.line_style:
        return bool(_SOURCE_MAP.match(text) or _MODULE_MARKER.match(text) or text in _BUNDLER_NOTES)
    return bool(_SOURCE_MAP.match(text))


def _units(comments: list[_Comment]) -> list[list[_Comment]]:
    """Line comments on consecutive lines form one unit; a block comment is its own."""
    units: list[list[_Comment]] = []
    for c in comments:
        if (c.line_style and units and units[-1][-1].line_style
                and units[-1][-1].last_line + 1 == c.first_line):
            units[-1].append(c)
        else:
            units.append([c])
    return units


def _parses_as_code(text: str, grammar: str, min_lines: int) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < min_lines:
        return False
    tree = parse(text, grammar)
    if tree.root_node.has_error:
        return False
    return bool(nodes_of_types(tree, _CODE_NODE_TYPES))


def _first_code_byte(tree: ts.Tree, data: bytes) -> int:
    for child in tree.root_node.children:
        if child.type not in _COMMENT_TYPES and child.type != "hash_bang_line":
            return child.start_byte
    return len(data)


def _is_license_header(unit: list[_Comment], data: bytes, first_code: int) -> bool:
    if unit[-1].end > first_code:
        return False
    text = "\n".join(c.text for c in unit)
    if not _LICENSE.search(text):
        return False
    # A JSDoc directly above the first declaration, with doc tags, documents it: it stays.
    attached = not data[unit[-1].end:first_code].count(b"\n") > 1
    return not (attached and unit[0].raw.startswith("/**") and _DOC_TAGS.search(text))


def clean_code(text: str, grammar: str, policy: CleaningPolicy) -> Cleaned:
    """Remove headers, banners and commented-out code, trailing whitespace and extra blank
    lines from JS/TS source ``text`` (LF line ends). No check: see :func:`clean_document`."""
    return _clean_code(text, grammar, policy)[0]


def _clean_code(text: str, grammar: str, policy: CleaningPolicy) -> tuple[Cleaned, ts.Tree]:
    """:func:`clean_code`, and the tree of ``text`` it parsed (the meaning check reuses it)."""
    counts = dict.fromkeys(STEPS[1:], 0)
    data = text.encode("utf-8", "surrogatepass")
    tree = parse(data, grammar)
    if tree.root_node.has_error:
        return Cleaned(text, counts={UNPARSED: 1}), tree
    line_starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    protected = _union([(n.start_byte, n.end_byte) for n in nodes_of_types(tree, _PROTECTED_TYPES)])
    removed_lines: set[int] = set()
    headers: list[str] = []
    kept_comments = []
    for c in _whole_line_comments(tree, data, line_starts, protected):
        if _is_directive(c, policy.generated_markers):
            continue
        if policy.banners and _is_banner(c):
            counts["banners"] += 1
            removed_lines.update(range(c.first_line, c.last_line + 1))
        else:
            kept_comments.append(c)
    if policy.banners:
        # An empty "//" separates the paragraphs of a comment; left alone, it is a banner too.
        kept_lines = {c.first_line for c in kept_comments if c.line_style and c.text.strip()}
        for c in [c for c in kept_comments if c.line_style and not c.text.strip()]:
            if c.first_line - 1 not in kept_lines and c.first_line + 1 not in kept_lines:
                counts["banners"] += 1
                removed_lines.add(c.first_line)
                kept_comments.remove(c)
    first_code = _first_code_byte(tree, data)
    for unit in _units(kept_comments):
        if policy.license_header and _is_license_header(unit, data, first_code):
            counts["license_header"] += 1
            headers.append("\n".join(c.raw for c in unit))
        elif (policy.commented_code and not unit[0].raw.startswith(("/**", "/*!"))
              and _parses_as_code("\n".join(c.text for c in unit), grammar,
                                  policy.min_commented_code_lines)):
            counts["commented_code"] += 1
        else:
            continue
        for c in unit:
            removed_lines.update(range(c.first_line, c.last_line + 1))

    lines = data.split(b"\n")
    final_newline = lines[-1] == b""
    if final_newline:
        lines.pop()
    kept: list[bytes] = []
    blank_run = 0
    for i, line in enumerate(lines):
        if i in removed_lines:
            continue
        start = line_starts[i]
        # The line break before this line is inside a literal: the line is literal text.
        in_literal = i > 0 and _inside(*protected, start - 1)
        if policy.trailing_whitespace:
            ws = _TRAILING_WS.search(line)
            if ws and not _inside(*protected, start + ws.start()):
                line = line[:ws.start()]
                counts["trailing_whitespace"] += 1
        if policy.blank_lines and not in_literal and not line.strip(b" \t\f\v"):
            if not kept or blank_run >= policy.max_blank_lines:
                counts["blank_lines"] += 1
                continue
            blank_run += 1
        else:
            blank_run = 0
        kept.append(line)
    if policy.blank_lines:
        # Blank lines at the end: none (those inside a literal were counted as text).
        while kept and blank_run and not kept[-1].strip(b" \t\f\v"):
            kept.pop()
            blank_run -= 1
            counts["blank_lines"] += 1
    out = b"\n".join(kept) + (b"\n" if final_newline and kept else b"")
    return Cleaned(out.decode("utf-8", "surrogatepass"),
                   "\n".join(headers) if headers else None, counts), tree


def clean_document(content: str, path: str, language: str | None,
                   policy: CleaningPolicy) -> Cleaned:
    """The cleaned document: content, moved license header, per-step counts (only non-zero
    ones) and, when nothing is left, the reason ``empty_after_cleaning``.

    When the cleaned code would not mean what the original means (:func:`same_code`), the
    original content is kept and counted as ``kept_original``.
    """
    counts: dict[str, int] = {}
    text = content
    if policy.line_endings:
        text, n = normalize_line_endings(text)
        if n:
            counts["line_endings"] = n
    header = None
    original_tree = None
    grammar = grammar_for(path, language) if language in CLEANED_LANGUAGES else None
    if grammar is not None:
        parsed_original = text == content  # no line ends changed: the tree is the original's
        done, tree = _clean_code(text, grammar, policy)
        original_tree = tree if parsed_original else None
        if UNPARSED in done.counts:
            counts[UNPARSED] = 1
        else:
            text, header = done.content, done.license_header
            counts.update({k: v for k, v in done.counts.items() if v})
    if (grammar is not None and text != content and policy.verify
            and not same_code(content, text, grammar, original_tree)):
        return Cleaned(content, None, {KEPT_ORIGINAL: 1})
    if content.strip() and not text.strip():
        return Cleaned(text, header, counts, EMPTY_AFTER_CLEANING,
                       "nothing but " + ", ".join(sorted(k for k in counts if k in STEPS)) + " removed")
    return Cleaned(text, header, counts)

