"""Framework identifiers worth one piece each: the names a framework's ``.d.ts`` files export."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

_DECLARATIONS = {
    "function_signature", "function_declaration", "class_declaration", "abstract_class_declaration",
    "interface_declaration", "type_alias_declaration", "enum_declaration", "lexical_declaration",
    "variable_declaration", "internal_module", "module",
}


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_typescript.language_typescript()))


def _declared_names(node: Node) -> list[tuple[str, Node]]:
    """(name, declaration) pairs a declaration introduces (several for ``const a, b``)."""
    if node.type in ("lexical_declaration", "variable_declaration"):
        return [(d.child_by_field_name("name").text.decode(), d) for d in node.named_children
                if d.type == "variable_declarator" and d.child_by_field_name("name") is not None
                and d.child_by_field_name("name").type == "identifier"]
    name = node.child_by_field_name("name")
    return [(name.text.decode(), node)] if name is not None else []


def _object_members(declarator: Node, prefix: str, out: list[str]) -> None:
    """Members of an object type annotation, qualified: ``const ONCE: {apiClient: {get…}}``
    gives ``ONCE.apiClient`` and ``ONCE.apiClient.get``."""
    annotation = declarator.child_by_field_name("type")
    shape = annotation.named_children[0] if annotation is not None and annotation.named_children else None
    if shape is None or shape.type != "object_type":
        return
    for member in shape.named_children:
        if member.type not in ("property_signature", "method_signature"):
            continue
        name = member.child_by_field_name("name")
        if name is None or name.type != "property_identifier":
            continue
        qualified = f"{prefix}{name.text.decode()}"
        out.append(qualified)
        _object_members(member, f"{qualified}.", out)


def _walk(body: Node, prefix: str, out: list[str]) -> None:
    for child in body.named_children:
        if child.type == "ambient_declaration":  # `declare namespace X {...}`
            child = next((c for c in child.named_children if c.type in _DECLARATIONS), child)
        if child.type == "expression_statement" and child.named_children \
                and child.named_children[0].type == "internal_module":
            child = child.named_children[0]
        exported = child.type == "export_statement"
        declaration = child.child_by_field_name("declaration") if exported else child
        if declaration is None:
            continue
        if declaration.type == "ambient_declaration":
            declaration = next((c for c in declaration.named_children if c.type in _DECLARATIONS),
                               declaration)
        if declaration.type not in _DECLARATIONS:
            continue
        # Inside a namespace every member of a .d.ts is visible; at top level only exports.
        if not exported and not prefix:
            continue
        for name, node in _declared_names(declaration):
            qualified = f"{prefix}{name}"
            out.append(qualified)
            inner = node.child_by_field_name("body")
            if node.type in ("internal_module", "module") and inner is not None:
                _walk(inner, f"{qualified}.", out)
            if node.type == "variable_declarator":
                _object_members(node, f"{qualified}.", out)


def exported_names(source: str) -> list[str]:
    """Names a declaration file exports, namespace members qualified (``NS.member``)."""
    tree = _parser().parse(source.encode("utf-8"))
    out: list[str] = []
    _walk(tree.root_node, "", out)
    return list(dict.fromkeys(out))


def framework_symbols(folder: str | Path) -> list[str]:
    """Exported names of every ``.d.ts`` under ``folder`` (sorted, unique); [] if it is absent."""
    root = Path(folder)
    if not root.is_dir():
        return []
    names: set[str] = set()
    for path in sorted(root.rglob("*.d.ts")):
        names.update(exported_names(path.read_text(encoding="utf-8")))
    return sorted(names)
