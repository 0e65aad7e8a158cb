"""What identifiers refer to: imports, requires, re-exports, local declarations and globals.

A reference resolves to a :class:`Symbol` ``(module, path)`` when it reaches an import,
a ``require`` or a global (module ``""``), and to ``None`` when a local declaration
(variable, parameter, function, class, catch parameter, type) binds it. Member accesses
extend the path: with ``import * as R from 'react'``, ``R.useState`` is
``Symbol('react', 'useState')``; with ``import axios from 'axios'``, ``axios.get`` is
``Symbol('axios', 'default.get')``, or ``Symbol(module, 'get')`` for modules whose default
export is their namespace (``namespace_defaults``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import tree_sitter as ts

from corpusforge.transform.parsing import nodes_of_types

FUNCTION_SCOPES = frozenset({
    "function_declaration", "function_expression", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function", "function_signature",
    "class_static_block",
})
BLOCK_SCOPES = frozenset({
    "program", "statement_block", "for_statement", "for_in_statement", "switch_body",
    "catch_clause", "class_body",
})
# Writing `window.fetch` or `globalThis.fetch` names the global `fetch`.
GLOBAL_OBJECTS = frozenset({"globalThis", "window", "self"})

VALUE, TYPE, EITHER = "value", "type", "either"

_REFERENCE_TYPES = ("identifier", "type_identifier", "shorthand_property_identifier")
# Every node type the scope analysis looks at (found by one query, not a Python walk).
_COLLECTED = _REFERENCE_TYPES + (
    "jsx_opening_element", "jsx_self_closing_element", "import_statement", "export_statement",
    "variable_declarator", "function_declaration", "generator_function_declaration",
    "function_expression", "generator_function", "class_declaration", "abstract_class_declaration",
    "class", "enum_declaration", "type_alias_declaration", "interface_declaration", "type_parameter",
    "required_parameter", "optional_parameter", "arrow_function", "catch_clause", "for_in_statement",
    "internal_module", "module")


@dataclass(frozen=True)
class Symbol:
    """What a reference denotes outside the file: ``module`` is ``""`` for globals."""

    module: str
    path: str

    def member(self, name: str, namespace_defaults: frozenset[str]) -> Symbol:
        """The symbol of ``<self>.name``."""
        if self.path == "*" or (self.path == "default" and self.module in namespace_defaults):
            return Symbol(self.module, name)
        if self.module == "" and self.path in GLOBAL_OBJECTS:
            return Symbol("", name)
        return Symbol(self.module, f"{self.path}.{name}")

    def __str__(self) -> str:
        return f"{self.module or '<global>'}:{self.path}"


@dataclass
class Binding:
    """One declared name: where it lives, what it is, and who refers to it."""

    name: str
    kind: str  # import, require, var, let, const, function, class, param, catch, type, enum
    node: ts.Node  # the declaring identifier
    scope_id: int
    value: bool = True
    type: bool = False
    module: str | None = None  # import and require bindings
    imported: str | None = None  # "default", "*" or the exported name
    statement: ts.Node | None = None  # import_statement / lexical_declaration holding it
    specifier: ts.Node | None = None  # import_specifier / default identifier / namespace_import
    references: list[ts.Node] = field(default_factory=list)

    @property
    def is_import(self) -> bool:
        return self.module is not None


@dataclass(frozen=True)
class ReExport:
    """``export { a, b as c } from 'm'`` or ``export * from 'm'``."""

    statement: ts.Node
    module: str
    names: tuple[str, ...]  # exported names taken from the module; ("*",) for export *


def string_value(node: ts.Node) -> str:
    """The value of a string literal node (quotes removed, escapes kept as written)."""
    text = node.text.decode("utf-8", "replace")
    if len(text) >= 2 and text[0] in "'\"`" and text[-1] == text[0]:
        return text[1:-1]
    return text


def _is_global_require(call: ts.Node) -> str | None:
    """The module of ``require('m')`` (a call with one string argument), else None."""
    if call is None or call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if fn is None or fn.type != "identifier" or fn.text != b"require" or args is None:
        return None
    named = args.named_children
    if len(named) != 1 or named[0].type != "string":
        return None
    return string_value(named[0])


class Bindings:
    """Scope analysis of one tree; build with :func:`resolve_bindings`."""

    def __init__(self, tree: ts.Tree, namespace_defaults: Iterable[str] = ()) -> None:
        self.tree = tree
        self.root = tree.root_node
        self.namespace_defaults = frozenset(namespace_defaults)
        self.scopes: dict[int, dict[str, list[Binding]]] = {}
        self.bindings: list[Binding] = []
        self.reexports: list[ReExport] = []
        self.references: list[tuple[ts.Node, str]] = []
        self.jsx_elements = 0
        self._declared: set[int] = set()
        self._binding_of: dict[int, Binding | None] = {}
        self._symbol_cache: dict[int, Symbol | None] = {}
        self._requires: list[tuple[Binding, ts.Node]] = []
        self._by_name: dict[str, list[tuple[int, int, Binding]]] = {}
        self._collect()

    # -- declarations -------------------------------------------------------------------

    def _scope_of(self, node: ts.Node, kinds: frozenset[str]) -> ts.Node:
        current = node
        while current is not None:
            if current.type in kinds or current.type == "program":
                return current
            current = current.parent
        return self.root

    def _declare(self, ident: ts.Node, kind: str, scope: ts.Node, *, value: bool = True,
                 type_: bool = False, **extra: object) -> Binding:
        name = ident.text.decode("utf-8", "replace")
        binding = Binding(name=name, kind=kind, node=ident, scope_id=scope.id, value=value,
                          type=type_, **extra)  # type: ignore[arg-type]
        self.scopes.setdefault(scope.id, {}).setdefault(name, []).append(binding)
        self._by_name.setdefault(name, []).append((scope.start_byte, scope.end_byte, binding))
        self.bindings.append(binding)
        self._declared.add(ident.id)
        return binding

    def _declare_pattern(self, pattern: ts.Node, kind: str, scope: ts.Node,
                         statement: ts.Node | None = None) -> None:
        t = pattern.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            self._declare(pattern, kind, scope, statement=statement)
        elif t in ("object_pattern", "array_pattern"):
            for child in pattern.named_children:
                self._declare_pattern(child, kind, scope, statement)
        elif t == "pair_pattern":
            value = pattern.child_by_field_name("value")
            if value is not None:
                self._declare_pattern(value, kind, scope, statement)
        elif t in ("rest_pattern",):
            for child in pattern.named_children:
                self._declare_pattern(child, kind, scope, statement)
        elif t in ("assignment_pattern", "object_assignment_pattern"):
            left = pattern.child_by_field_name("left")
            if left is not None:
                self._declare_pattern(left, kind, scope, statement)

    def _collect_import(self, node: ts.Node) -> None:
        source = node.child_by_field_name("source")
        type_only = any(c.type == "type" for c in node.children if not c.is_named)
        for child in node.named_children:
            if child.type == "import_require_clause":
                ident = child.named_children[0]
                module = string_value(child.child_by_field_name("source") or child.named_children[-1])
                self._declare(ident, "import", self.root, type_=True, module=module,
                              imported="default", statement=node, specifier=ident)
            if child.type != "import_clause" or source is None:
                continue
            module = string_value(source)
            for part in child.named_children:
                if part.type == "identifier":
                    self._declare(part, "import", self.root, value=not type_only, type_=True,
                                  module=module, imported="default", statement=node, specifier=part)
                elif part.type == "namespace_import":
                    ident = part.named_children[0]
                    self._declare(ident, "import", self.root, value=not type_only, type_=True,
                                  module=module, imported="*", statement=node, specifier=part)
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        inline_type = any(c.type == "type" for c in spec.children if not c.is_named)
                        imported = string_value(name) if name.type == "string" else name.text.decode()
                        self._declare(alias, "import", self.root,
                                      value=not (type_only or inline_type), type_=True,
                                      module=module, imported=imported, statement=node,
                                      specifier=spec)

    def _collect_reexport(self, node: ts.Node) -> None:
        source = node.child_by_field_name("source")
        if source is None:
            return
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        if clause is None:
            self.reexports.append(ReExport(node, string_value(source), ("*",)))
            return
        names = tuple(s.child_by_field_name("name").text.decode()
                      for s in clause.named_children if s.type == "export_specifier")
        self.reexports.append(ReExport(node, string_value(source), names))

    def _collect_declarator(self, node: ts.Node) -> None:
        decl = node.parent
        if decl is None:
            return
        if decl.type == "variable_declaration":
            kind, scope = "var", self._scope_of(decl, FUNCTION_SCOPES)
        else:
            kind = "const" if any(c.type == "const" for c in decl.children) else "let"
            scope = self._scope_of(decl, BLOCK_SCOPES)
        name = node.child_by_field_name("name")
        if name is None:
            return
        value = node.child_by_field_name("value")
        module = _is_global_require(value)
        if module is None:
            self._declare_pattern(name, kind, scope, decl)
            return
        # `const x = require('m')` / `const { a, b: c } = require('m')`; checked once all
        # declarations are known, because a local `require` makes this an ordinary call.
        if name.type == "identifier":
            b = self._declare(name, kind, scope, module=module, imported="default", statement=decl,
                              specifier=node)
            self._requires.append((b, value.child_by_field_name("function")))
        elif name.type == "object_pattern":
            for part in name.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    b = self._declare(part, kind, scope, module=module,
                                      imported=part.text.decode(), statement=decl, specifier=node)
                    self._requires.append((b, value.child_by_field_name("function")))
                elif part.type == "pair_pattern" and part.child_by_field_name("value").type == "identifier":
                    key = part.child_by_field_name("key").text.decode()
                    b = self._declare(part.child_by_field_name("value"), kind, scope, module=module,
                                      imported=key, statement=decl, specifier=node)
                    self._requires.append((b, value.child_by_field_name("function")))
                else:
                    self._declare_pattern(part, kind, scope, decl)
        else:
            self._declare_pattern(name, kind, scope, decl)

    def _collect_declaration(self, node: ts.Node) -> None:
        t = node.type
        if t == "import_statement":
            self._collect_import(node)
        elif t == "export_statement":
            self._collect_reexport(node)
        elif t == "variable_declarator":
            self._collect_declarator(node)
        elif t in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(name, "function", self._scope_of(node.parent, BLOCK_SCOPES))
        elif t in ("function_expression", "generator_function"):
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(name, "function", node)
        elif t in ("class_declaration", "abstract_class_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(name, "class", self._scope_of(node.parent, BLOCK_SCOPES), type_=True)
        elif t == "class":
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(name, "class", node, type_=True)
        elif t == "enum_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(name, "enum", self._scope_of(node.parent, BLOCK_SCOPES), type_=True)
        elif t in ("type_alias_declaration", "interface_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self._declare(name, "type", self._scope_of(node.parent, BLOCK_SCOPES),
                              value=False, type_=True)
        elif t == "type_parameter":
            name = node.child_by_field_name("name")
            owner = node.parent.parent if node.parent is not None else None
            if name is not None and owner is not None:
                self._declare(name, "type", owner, value=False, type_=True)
        elif t in ("required_parameter", "optional_parameter"):
            pattern = node.child_by_field_name("pattern")
            if pattern is not None and pattern.type != "this":
                self._declare_pattern(pattern, "param", self._scope_of(node, FUNCTION_SCOPES))
        elif t == "arrow_function":
            param = node.child_by_field_name("parameter")
            if param is not None:
                self._declare(param, "param", node)
        elif t == "catch_clause":
            param = node.child_by_field_name("parameter")
            if param is not None:
                self._declare_pattern(param, "catch", node)
        elif t == "for_in_statement":
            left = node.child_by_field_name("left")
            keyword = next((c.type for c in node.children if c.type in ("const", "let", "var")), None)
            if left is not None and keyword is not None:
                scope = self._scope_of(node.parent, FUNCTION_SCOPES) if keyword == "var" else node
                self._declare_pattern(left, keyword, scope)
        elif t in ("internal_module", "module"):
            name = node.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                self._declare(name, "namespace", self._scope_of(node.parent, BLOCK_SCOPES), type_=True)

    # -- references ---------------------------------------------------------------------

    def _reference_space(self, node: ts.Node) -> str | None:
        """The namespace a reference is looked up in, or None when ``node`` is no reference."""
        if node.id in self._declared:
            return None
        parent = node.parent
        ptype = parent.type if parent is not None else ""
        if node.type == "type_identifier":
            if ptype == "nested_type_identifier" and parent.child_by_field_name("name") == node:
                return None  # the `FC` of `React.FC`: a member name, not a reference
            return TYPE
        if node.type == "shorthand_property_identifier":
            return VALUE
        # identifier
        if ptype in ("import_specifier", "namespace_import", "import_clause",
                     "import_require_clause", "nested_identifier"):
            return None
        if ptype == "export_specifier":
            statement = parent.parent.parent if parent.parent is not None else None
            if statement is not None and statement.child_by_field_name("source") is not None:
                return None
            if parent.child_by_field_name("name") != node:
                return None
            return EITHER
        if ptype in ("jsx_opening_element", "jsx_closing_element", "jsx_self_closing_element"):
            text = node.text
            if text[:1].islower() or b"-" in text:
                return None  # an intrinsic element such as <div>
            return VALUE
        if ptype == "nested_type_identifier":
            return EITHER
        if ptype in ("property_signature", "method_signature", "enum_body", "enum_assignment"):
            return None
        return VALUE

    def _collect(self) -> None:
        candidates: list[ts.Node] = []
        for node in nodes_of_types(self.tree, _COLLECTED):
            t = node.type
            if t in _REFERENCE_TYPES:
                candidates.append(node)
            elif t in ("jsx_opening_element", "jsx_self_closing_element"):
                self.jsx_elements += 1
            else:
                self._collect_declaration(node)
        # A `require` that is itself declared locally is not Node's require.
        for binding, require_ident in self._requires:
            if self.lookup("require", require_ident, VALUE) is not None:
                binding.module = binding.imported = None
        for node in candidates:
            space = self._reference_space(node)
            if space is None:
                continue
            self.references.append((node, space))
            binding = self.lookup(node.text.decode("utf-8", "replace"), node, space)
            self._binding_of[node.id] = binding
            if binding is not None:
                binding.references.append(node)

    # -- queries ------------------------------------------------------------------------

    def lookup(self, name: str, at: ts.Node, space: str = VALUE) -> Binding | None:
        """The binding ``name`` denotes at node ``at`` in ``space``, or None (a global)."""
        # Scopes nest like the tree, so the innermost scope holding `at` that declares the
        # name is the one with the latest start (then the earliest end); comparing byte
        # ranges avoids walking up the tree, which tree-sitter does from the root each step.
        start, end = at.start_byte, at.end_byte
        best: tuple[int, int] | None = None
        found: Binding | None = None
        for s_start, s_end, binding in self._by_name.get(name, ()):
            if s_start <= start and end <= s_end and (
                    space == EITHER or (binding.value if space == VALUE else binding.type)):
                key = (s_start, -s_end)
                if best is None or key > best:
                    best, found = key, binding
        return found

    def binding_of(self, node: ts.Node) -> Binding | None:
        """The binding a reference identifier resolves to (None: global or not a reference)."""
        return self._binding_of.get(node.id)

    def is_reference(self, node: ts.Node) -> bool:
        return node.id in self._binding_of

    def resolve(self, node: ts.Node) -> Symbol | None:
        """The outside symbol ``node`` (identifier or member chain) denotes, or None."""
        key = node.id
        if key in self._symbol_cache:
            return self._symbol_cache[key]
        symbol = self._resolve(node)
        self._symbol_cache[key] = symbol
        return symbol

    def _resolve(self, node: ts.Node) -> Symbol | None:
        t = node.type
        if t in ("identifier", "type_identifier", "shorthand_property_identifier"):
            if node.id not in self._binding_of:
                return None
            binding = self._binding_of[node.id]
            if binding is None:
                return Symbol("", node.text.decode("utf-8", "replace"))
            if binding.module is not None and binding.imported is not None:
                return Symbol(binding.module, binding.imported)
            return None
        if t == "member_expression":
            if node.child_by_field_name("optional_chain") is not None:
                return None
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is None or prop is None or prop.type != "property_identifier":
                return None
            base = self.resolve(obj)
            return base.member(prop.text.decode(), self.namespace_defaults) if base else None
        if t == "nested_type_identifier":
            module = node.child_by_field_name("module")
            name = node.child_by_field_name("name")
            if module is None or name is None:
                return None
            base = self.resolve(module)
            return base.member(name.text.decode(), self.namespace_defaults) if base else None
        if t == "parenthesized_expression" and node.named_child_count == 1:
            return None
        return None


def resolve_bindings(tree: ts.Tree, namespace_defaults: Iterable[str] = ()) -> Bindings:
    """Scope analysis of ``tree``; ``namespace_defaults`` are modules whose default export is
    their namespace (``React.useState`` ≡ ``useState`` from 'react')."""
    return Bindings(tree, namespace_defaults)
