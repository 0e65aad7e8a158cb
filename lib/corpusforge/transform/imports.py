"""Import management after a rewrite: add each framework import once, in the import block,
and drop the imports the rewrite made unused. Everything else stays byte-for-byte.

Only imports that were used before the rewrite and are unused after it are removed, so an
import the author left unused (or a side-effect import such as ``import './app.css'``)
stays. New names merge into an existing import from the same module when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter as ts

from corpusforge.transform.bindings import Binding, Bindings, required
from corpusforge.transform.rulepack import RulePack


@dataclass(frozen=True)
class Edit:
    """Replace bytes ``[start, end)`` with ``text``; ``rule`` says who asked for it."""

    start: int
    end: int
    text: str
    rule: str = ""
    imports: tuple[str, ...] = ()


def apply_edits(source: bytes, edits: list[Edit]) -> bytes:
    """Apply non-overlapping edits (insertions at one point keep their given order)."""
    out = bytearray()
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos:
            raise ValueError(f"overlapping edits at byte {edit.start}")
        out += source[pos:edit.start]
        out += edit.text.encode("utf-8")
        pos = edit.end
    out += source[pos:]
    return bytes(out)


def _key(b: Binding) -> tuple[str, str | None, str | None]:
    return (b.name, b.module, b.imported)


def _jsx_runtime(b: Binding, pack: RulePack) -> bool:
    return b.module in pack.jsx_runtimes and b.imported in ("default", "*")


def _originally_used(b: Binding, before: Bindings, pack: RulePack) -> bool:
    if b.references:
        return True
    return bool(pack.framework.jsx_imports) and _jsx_runtime(b, pack) and before.has_jsx


def _line_span(source: bytes, start: int, end: int) -> tuple[int, int]:
    """Widen a statement's span to its whole line(s) when nothing else is on them."""
    line_start = source.rfind(b"\n", 0, start) + 1
    if source[line_start:start].strip():
        line_start = start
    line_end = end
    while line_end < len(source) and source[line_end:line_end + 1] in (b" ", b"\t"):
        line_end += 1
    if source[line_end:line_end + 2] == b"\r\n":
        return line_start, line_end + 2
    if source[line_end:line_end + 1] == b"\n":
        return line_start, line_end + 1
    if line_end >= len(source):
        return line_start, line_end
    return start, end


def _named_imports_text(named: ts.Node, keep: list[ts.Node], source: bytes) -> str:
    text = named.text.decode("utf-8")
    specs = [source[s.start_byte:s.end_byte].decode("utf-8") for s in keep]
    if "\n" in text:
        first = named.named_children[0]
        line_start = source.rfind(b"\n", 0, first.start_byte) + 1
        indent = source[line_start:first.start_byte].decode("utf-8")
        close_start = source.rfind(b"\n", 0, named.end_byte - 1) + 1
        close_indent = source[close_start:named.end_byte - 1].decode("utf-8")
        trailing = text.rstrip()[:-1].rstrip().endswith(",")
        nl = "\r\n" if "\r\n" in text else "\n"
        body = ("," + nl).join(indent + s for s in specs) + ("," if trailing else "")
        return "{" + nl + body + nl + close_indent.rstrip("\r") + "}"
    pad = " " if text.startswith("{ ") else ""
    return "{" + pad + ", ".join(specs) + pad + "}"


def _removal_edits(statement: ts.Node, removed: set[int], source: bytes) -> list[Edit]:
    """Edits removing the specifiers in ``removed`` (node ids) from one import statement."""
    if statement.type != "import_statement":
        # `const x = require('m')` with a single declarator: drop the whole statement.
        declarators = [c for c in statement.named_children if c.type == "variable_declarator"]
        if len(declarators) == 1:
            start, end = _line_span(source, statement.start_byte, statement.end_byte)
            return [Edit(start, end, "", "imports")]
        return []
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if clause is None:
        return []
    parts: list[str] = []
    for part in clause.named_children:
        if part.type == "named_imports":
            keep = [s for s in part.named_children if s.type == "import_specifier" and s.id not in removed]
            if keep:
                parts.append(_named_imports_text(part, keep, source))
        elif part.id not in removed:
            parts.append(part.text.decode("utf-8"))
    if not parts:
        start, end = _line_span(source, statement.start_byte, statement.end_byte)
        return [Edit(start, end, "", "imports")]
    return [Edit(clause.start_byte, clause.end_byte, ", ".join(parts), "imports")]


def _style(root: ts.Node) -> tuple[str, str]:
    """Quote character and statement terminator used by the file's first import or require."""
    for node in root.named_children:
        source = None
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
        elif node.type in ("lexical_declaration", "variable_declaration"):
            value = node.named_children[0].child_by_field_name("value") if node.named_children else None
            found = required(value)
            if found is not None:  # `require('m')`, or an interop helper's call on it
                source = found[2].parent.child_by_field_name("arguments").named_children[0]
        if source is not None:
            quote = source.text.decode()[0]
            semi = ";" if node.children[-1].type == ";" else ""
            return quote, semi
    return "'", ";"


def _insertion_point(root: ts.Node, source: bytes) -> int:
    """Where a file without imports gets its first: after a shebang, directives such as
    'use client', and a header comment separated from the code by a blank line."""
    pos = 0
    if source.startswith(b"#!"):
        pos = source.find(b"\n") + 1 if b"\n" in source else len(source)
    for node in root.named_children:
        if node.start_byte < pos:
            continue
        if node.type == "expression_statement" and node.named_children and node.named_children[0].type == "string":
            pos = node.end_byte
            continue
        if node.type == "comment":
            following = source[node.end_byte:node.end_byte + 3]
            if following.startswith(b"\n\n") or following.startswith(b"\r\n\r"):
                pos = node.end_byte
                continue
        break
    if pos:
        nl = source.find(b"\n", pos)
        pos = nl + 1 if nl != -1 else len(source)
    return pos


def import_edits(before: Bindings, after: Bindings, source: bytes, needed: list[str],
                 pack: RulePack, touched: set[str] | None = None,
                 replaced: list[tuple[int, int]] | None = None) -> list[Edit]:
    """Edits to ``source`` (the rewritten file, analysed as ``after``) that drop imports the
    rewrite made unused and add the framework names in ``needed``.

    ``touched``: the names the rewrite's edits removed or wrote (None: any). An import whose
    name no edit touched keeps every occurrence, declaration and scope around it, so it is
    used after the rewrite exactly when it was before and needs no look (a JSX runtime
    import such as React's is always looked at: JSX uses it without naming it).

    ``replaced``: ``source`` and ``after`` are the text *before* edits spanning these byte
    ranges, which replace references and write no reference to an import (the engine's
    rename-only passes, see ``rewrite``): a reference inside one is gone after them. The
    edits returned then apply to that text together with those edits."""
    root = after.root

    def used(b: Binding) -> bool:
        if replaced is None:
            return bool(b.references)
        return any(not any(start <= r.start_byte and r.end_byte <= end for start, end in replaced)
                   for r in b.references)

    after.declare_imports(touched)
    candidates = [b for b in after.bindings if b.is_import and (
        touched is None or b.name in touched or _jsx_runtime(b, pack))]
    # A lazy analysis answers for the names asked about.
    # The framework names need no analysis: whether one is imported already is a question
    # about import and require bindings, which are known up front.
    before.ensure({b.name for b in candidates})
    after.ensure({b.name for b in candidates})
    original = {_key(b): b for b in before.bindings if b.is_import}
    removed_by_statement: dict[int, tuple[ts.Node, set[int]]] = {}
    for b in candidates:
        if used(b) or b.scope_id != root.id:
            continue
        old = original.get(_key(b))
        if old is None or not _originally_used(old, before, pack) or b.statement is None or b.specifier is None:
            continue
        entry = removed_by_statement.setdefault(b.statement.id, (b.statement, set()))
        entry[1].add(b.specifier.id)
    edits: list[Edit] = []
    changed_statements: set[int] = set()
    deleted_statements: set[int] = set()
    for statement, removed in removed_by_statement.values():
        if statement.type != "import_statement":
            declarator_bindings = [b for b in after.bindings if b.statement is not None
                                   and b.statement.id == statement.id]
            after.ensure({b.name for b in declarator_bindings})
            declarator_bindings = [b for b in after.bindings if b.statement is not None
                                   and b.statement.id == statement.id]
            if any(used(b) for b in declarator_bindings):
                continue
        new = _removal_edits(statement, removed, source)
        edits += new
        changed_statements.add(statement.id)
        if new and new[0].text == "":
            deleted_statements.add(statement.id)

    # Additions, grouped by module in the pack's declaration order.
    scope = after.scopes.get(root.id, {})
    wanted: dict[str, list[tuple[str, bool]]] = {}
    for local in pack.framework.imports:
        if local not in needed:
            continue
        spec = pack.framework.imports[local]
        exported = spec.name or local
        present = [b for b in scope.get(local, []) if b.module == spec.from_ and b.imported == exported]
        if present:
            continue
        text = local if exported == local else f"{exported} as {local}"
        wanted.setdefault(spec.from_, []).append((text, spec.type))
    if not wanted:
        return edits
    quote, semi = _style(root)
    nl = "\r\n" if b"\r\n" in source else "\n"  # new lines follow the file's line endings
    imports = [n for n in root.named_children if n.type == "import_statement"]
    # A CommonJS file (requires, no import statements) gets `const { X } = require('m')`.
    requires = sorted({b.statement.id: b.statement for b in after.bindings
                       if b.is_import and b.kind != "import" and b.scope_id == root.id
                       and b.statement is not None}.values(), key=lambda n: n.start_byte)
    commonjs = not imports and bool(requires)
    new_lines: list[str] = []
    for module, names in wanted.items():
        target = None if commonjs else _merge_target(imports, module, all(t for _, t in names), changed_statements)
        if target is not None:
            edits.append(_merge_edit(target, names, source))
            continue
        if commonjs:
            values = [n.replace(" as ", ": ") for n, t in names if not t]
            if values:
                new_lines.append(f"const {{ {', '.join(values)} }} = require({quote}{module}{quote}){semi}")
            continue
        if all(is_type for _, is_type in names):
            clause = "type { " + ", ".join(n for n, _ in names) + " }"
        else:
            clause = "{ " + ", ".join(("type " + n) if t else n for n, t in names) + " }"
        new_lines.append(f"import {clause} from {quote}{module}{quote}{semi}")
    if not new_lines:
        return edits
    if commonjs:
        imports = requires
    kept = [n for n in imports if n.id not in deleted_statements]
    if kept:
        anchor = kept[-1].end_byte
        edits.append(Edit(anchor, anchor, "".join(nl + line for line in new_lines), "imports"))
    elif imports:
        # Every import was dropped: the new ones take the place of the first.
        first = next(e for e in edits if e.text == "" and e.start <= imports[0].start_byte < e.end)
        edits.remove(first)
        edits.append(Edit(first.start, first.end, "".join(line + nl for line in new_lines), "imports"))
    else:
        pos = _insertion_point(root, source)
        if pos:  # after a header or directive: the imports follow its line directly
            end = pos - 1 if source[pos - 1:pos] == b"\n" else pos
            end = end - 1 if source[end - 1:end] == b"\r" else end
            edits.append(Edit(end, end, "".join(nl + line for line in new_lines), "imports"))
        else:
            edits.append(Edit(0, 0, "".join(line + nl for line in new_lines) + nl, "imports"))
    return edits


def _merge_target(imports: list[ts.Node], module: str, all_types: bool,
                  changed: set[int]) -> ts.Node | None:
    for statement in imports:
        source = statement.child_by_field_name("source")
        if source is None or source.text.decode()[1:-1] != module or statement.id in changed:
            continue
        type_only = any(c.type == "type" for c in statement.children if not c.is_named)
        if type_only and not all_types:
            continue
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        named = next((c for c in clause.named_children if c.type == "named_imports"), None) if clause else None
        if named is not None and any(c.type == "import_specifier" for c in named.named_children):
            return named
    return None


def _merge_edit(named: ts.Node, names: list[tuple[str, bool]], source: bytes) -> Edit:
    statement = named.parent.parent
    type_only = any(c.type == "type" for c in statement.children if not c.is_named)
    texts = [n if (type_only or not t) else f"type {n}" for n, t in names]
    last = [s for s in named.named_children if s.type == "import_specifier"][-1]
    after_last = source[last.end_byte:named.end_byte - 1]
    text = named.text.decode("utf-8")
    if "\n" in text:
        nl = "\r\n" if "\r\n" in text else "\n"
        line_start = source.rfind(b"\n", 0, last.start_byte) + 1
        indent = source[line_start:last.start_byte].decode("utf-8")
        if after_last.strip().startswith(b","):
            comma = last.end_byte + after_last.index(b",") + 1
            return Edit(comma, comma, "".join(f"{nl}{indent}{t}," for t in texts), "imports")
        return Edit(last.end_byte, last.end_byte, "".join(f",{nl}{indent}{t}" for t in texts), "imports")
    return Edit(last.end_byte, last.end_byte, "".join(f", {t}" for t in texts), "imports")
