"""tree-sitter parsing: grammar per file, cached parsers, parse-error detection."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter as ts
import tree_sitter_typescript as ts_typescript

# Files whose extension says "TypeScript without JSX" use the TypeScript grammar, where
# `<T>expr` is a type assertion; everything else (TSX, JSX, and plain JS, which may hold
# JSX as in `.js` React files) uses the TSX grammar.
_TYPESCRIPT_SUFFIXES = (".ts", ".mts", ".cts")
_TYPESCRIPT_LANGUAGES = ("typescript", "dts")


def grammar_for(path: str, language: str | None = None) -> str:
    """``"typescript"`` or ``"tsx"``: the grammar a file is parsed with (by extension first)."""
    lower = path.lower()
    if lower.endswith(_TYPESCRIPT_SUFFIXES):
        return "typescript"
    if lower.endswith((".tsx", ".jsx", ".js", ".mjs", ".cjs")):
        return "tsx"
    return "typescript" if language in _TYPESCRIPT_LANGUAGES else "tsx"


@functools.cache
def language(grammar: str) -> ts.Language:
    """The tree-sitter Language object for ``grammar`` (cached per process)."""
    if grammar == "typescript":
        return ts.Language(ts_typescript.language_typescript())
    if grammar == "tsx":
        return ts.Language(ts_typescript.language_tsx())
    raise ValueError(f"unknown grammar {grammar!r}; expected 'typescript' or 'tsx'")


@functools.cache
def parser(grammar: str) -> ts.Parser:
    """One parser per grammar per process: parsers are reused, never built per document."""
    return ts.Parser(language(grammar))


@dataclass(frozen=True)
class ParseErrors:
    """How many ERROR and MISSING nodes a tree holds, and where the first one is."""

    errors: int
    missing: int
    first_line: int | None

    @property
    def total(self) -> int:
        return self.errors + self.missing


def parse(text: str | bytes, grammar: str) -> ts.Tree:
    """Parse source text (str is UTF-8 encoded) with the named grammar."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parser(grammar).parse(data)


def walk(node: ts.Node) -> Iterator[ts.Node]:
    """Every node under ``node`` (itself included), in document order."""
    cursor = node.walk()
    while True:
        yield cursor.node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


def parse_errors(tree: ts.Tree) -> ParseErrors:
    """Count ERROR and MISSING nodes; a tree without errors is answered without a walk."""
    root = tree.root_node
    if not root.has_error:
        return ParseErrors(0, 0, None)
    errors = missing = 0
    first: int | None = None
    # Only subtrees that hold an error are entered (`has_error` is kept on every node).
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            if node.is_error:
                errors += 1
            else:
                missing += 1
            if first is None or node.start_point[0] + 1 < first:
                first = node.start_point[0] + 1
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return ParseErrors(errors, missing, first)


@functools.cache
def _type_query(lang: ts.Language, types: tuple[str, ...]) -> ts.Query | None:
    known = [t for t in types if lang.id_for_node_kind(t, True) is not None]
    if not known:
        return None
    return ts.Query(lang, "[" + " ".join(f"({t})" for t in known) + "] @node")


def nodes_of_types(tree: ts.Tree, types: tuple[str, ...]) -> list[ts.Node]:
    """The named nodes of the given types, in document order (outer before inner), found by a
    tree-sitter query in C rather than a walk in Python. Types the grammar lacks are skipped."""
    query = _type_query(tree.language, types)
    if query is None:
        return []
    found = ts.QueryCursor(query).captures(tree.root_node).get("node", [])
    return sorted(found, key=lambda n: (n.start_byte, -n.end_byte))
