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

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import AnyStr, NamedTuple
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


# The helpers compilers and bundlers wrap a `require` in for ES-module interop: esbuild's
# `__toESM`, TypeScript's `__importStar` / `__importDefault` (also as `tslib.__importStar`),
# Babel's `_interopRequireWildcard` / `_interopRequireDefault`. Each returns an object whose
# members are the module's exports and whose `default` is the CommonJS `module.exports`: a
# namespace. Recognised by name (bundles define them inline, so there is no import to follow).
INTEROP_HELPERS = frozenset({b"__toESM", b"__importStar", b"__importDefault",
                             b"_interopRequireWildcard", b"_interopRequireDefault"})


def required(value: ts.Node | None) -> tuple[str, str, ts.Node] | None:
    """(module, what the value is of it, the ``require`` identifier) when ``value`` is
    ``require('m')`` (``"default"``: CommonJS's ``module.exports``) or an interop helper's
    call on it (``"*"``: a namespace, see ``INTEROP_HELPERS``); else None."""
    module = _is_global_require(value)
    if module is not None:
        return module, "default", value.child_by_field_name("function")  # type: ignore[union-attr]
    if value is None or value.type != "call_expression":
        return None
    fn = value.child_by_field_name("function")
    if fn is not None and fn.type == "member_expression":
        fn = fn.child_by_field_name("property")
    args = value.child_by_field_name("arguments")
    if fn is None or fn.text not in INTEROP_HELPERS or args is None or not args.named_child_count:
        return None
    inner = args.named_children[0]
    module = _is_global_require(inner)
    if module is None:
        return None
    return module, "*", inner.child_by_field_name("function")  # type: ignore[return-value]


class ImportedName(NamedTuple):
    """One name an import statement declares."""

    ident: ts.Node  # the local name's identifier
    module: str
    imported: str  # "default", "*" (a namespace) or the exported name
    part: str  # "default", "namespace", "named" or "require" (`import x = require('m')`)
    specifier: ts.Node  # the import_specifier, namespace_import or the identifier itself
    value: bool  # usable as a value (not `import type …` / `import { type X }`)


def imported_names(statement: ts.Node) -> Iterator[ImportedName]:
    """The names an ``import_statement`` declares, in source order: what both the scope
    analysis and the re-export tables (:mod:`corpusforge.transform.aliases`) read from it."""
    source = statement.child_by_field_name("source")
    type_only = any(c.type == "type" for c in statement.children if not c.is_named)
    for child in statement.named_children:
        if child.type == "import_require_clause":
            ident = child.named_children[0]
            module = string_value(child.child_by_field_name("source") or child.named_children[-1])
            yield ImportedName(ident, module, "default", "require", ident, True)
        if child.type != "import_clause" or source is None:
            continue
        module = string_value(source)
        for part in child.named_children:
            if part.type == "identifier":
                yield ImportedName(part, module, "default", "default", part, not type_only)
            elif part.type == "namespace_import" and part.named_children:
                yield ImportedName(part.named_children[0], module, "*", "namespace", part, not type_only)
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name = spec.child_by_field_name("name") if spec.type == "import_specifier" else None
                    if name is None:
                        continue
                    alias = spec.child_by_field_name("alias") or name
                    inline_type = any(c.type == "type" for c in spec.children if not c.is_named)
                    imported = string_value(name) if name.type == "string" else name.text.decode()
                    yield ImportedName(alias, module, imported, "named", spec, not (type_only or inline_type))


class Bindings:
    """Scope analysis of one tree; build with :func:`resolve_bindings`."""

    def declare_imports(self, names: Iterable[str] | None = None) -> None:
        """Make sure every import declaring one of ``names`` (None: any) is in
        ``bindings``: this analysis collects them all up front."""

    def __init__(self, tree: ts.Tree, namespace_defaults: Iterable[str] = ()) -> None:
        self._init_state(tree, namespace_defaults)
        self.reexports: list[ReExport] = []
        self.jsx_elements = 0
        self._collect()

    def _init_state(self, tree: ts.Tree, namespace_defaults: Iterable[str]) -> None:
        """The empty analysis both this class and :class:`LazyBindings` start from."""
        self.tree = tree
        self.root = tree.root_node
        self.namespace_defaults = frozenset(namespace_defaults)
        self.scopes: dict[int, dict[str, list[Binding]]] = {}
        self.bindings: list[Binding] = []
        self.references: list[tuple[ts.Node, str]] = []
        self._declared: set[int] = set()
        self._binding_of: dict[int, Binding | None] = {}
        self._symbol_cache: dict[int, Symbol | None] = {}
        self._requires: list[tuple[Binding, ts.Node]] = []
        self._by_name: dict[str, list[tuple[int, int, Binding]]] = {}
        self._scope_index: dict[str, tuple] = {}
        self._refs_by_name: dict[str, list[tuple[ts.Node, str]]] = {}
        self._decl_binding: dict[int, Binding] = {}
        # Imports whose collection is deferred, by the words they spell (LazyBindings only).
        self._pending: dict[str, list[ts.Node]] = {}
        # Specifier -> what the local module it names re-exports of a targeted module
        # (corpusforge.transform.aliases), or None: imports are taken as written.
        self.aliases: Callable[[str], dict[str, tuple[str, str]] | None] | None = None

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
        known = self._decl_binding.get(ident.id)
        if known is not None:
            return known  # the lazy analysis may reach one declaration twice
        name = ident.text.decode("utf-8", "replace")
        if self._pending and name in self._pending:
            self._collect_pending(name)  # a deferred import of the name is declared first, as ever
        binding = Binding(name=name, kind=kind, node=ident, scope_id=scope.id, value=value,
                          type=type_, **extra)  # type: ignore[arg-type]
        self.scopes.setdefault(scope.id, {}).setdefault(name, []).append(binding)
        self._by_name.setdefault(name, []).append((scope.start_byte, scope.end_byte, binding))
        self.bindings.append(binding)
        self._declared.add(ident.id)
        self._decl_binding[ident.id] = binding
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
        # A package's own module that re-exports a targeted one: its default and named
        # imports are that module's names (a namespace import of it is not followed: its
        # members mix). `import x = require('m')` has no `source` field, so no table.
        source = node.child_by_field_name("source")
        table = self.aliases(string_value(source)) if self.aliases is not None and source is not None else None
        for name in imported_names(node):
            module, imported = name.module, name.imported
            if table and name.part in ("default", "named"):
                module, imported = table.get(imported, (module, imported))
            self._declare(name.ident, "import", self.root, value=name.value, type_=True, module=module,
                          imported=imported, statement=node, specifier=name.specifier)

    @staticmethod
    def _reexport(node: ts.Node) -> ReExport | None:
        """The re-export an ``export_statement`` makes, if it names a source module."""
        source = node.child_by_field_name("source")
        if source is None:
            return None
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        if clause is None:
            return ReExport(node, string_value(source), ("*",))
        names = tuple(s.child_by_field_name("name").text.decode()
                      for s in clause.named_children if s.type == "export_specifier")
        return ReExport(node, string_value(source), names)

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
        found = required(node.child_by_field_name("value"))
        if found is None:
            self._declare_pattern(name, kind, scope, decl)
            return
        module, whole, require_ident = found
        # `const x = require('m')` / `const { a, b: c } = require('m')` (or an interop
        # helper's call on it); checked once all declarations are known, because a local
        # `require` makes this an ordinary call.
        if name.type == "identifier":
            b = self._declare(name, kind, scope, module=module, imported=whole, statement=decl,
                              specifier=node)
            self._requires.append((b, require_ident))
        elif name.type == "object_pattern":
            for part in name.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    b = self._declare(part, kind, scope, module=module,
                                      imported=part.text.decode(), statement=decl, specifier=node)
                    self._requires.append((b, require_ident))
                elif part.type == "pair_pattern" and part.child_by_field_name("value").type == "identifier":
                    key = part.child_by_field_name("key").text.decode()
                    b = self._declare(part.child_by_field_name("value"), kind, scope, module=module,
                                      imported=key, statement=decl, specifier=node)
                    self._requires.append((b, require_ident))
                else:
                    self._declare_pattern(part, kind, scope, decl)
        else:
            self._declare_pattern(name, kind, scope, decl)

    def _collect_declaration(self, node: ts.Node) -> None:
        t = node.type
        if t == "import_statement":
            self._collect_import(node)
        elif t == "export_statement":
            reexport = self._reexport(node)
            if reexport is not None:
                self.reexports.append(reexport)
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

    def _reference_space(self, node: ts.Node, parent: ts.Node | None = None) -> str | None:
        """The namespace a reference is looked up in, or None when ``node`` is no reference."""
        if node.id in self._declared:
            return None
        if parent is None:
            parent = node.parent
        ptype = parent.type if parent is not None else ""
        if node.type == "type_identifier":
            if ptype == "nested_type_identifier" and parent.child_by_field_name("name") == node:
                return None  # the `FC` of `React.FC`: a member name, not a reference
            return TYPE
        if node.type == "shorthand_property_identifier":
            return VALUE
        # identifier
        if ptype in ("import_specifier", "namespace_import", "import_clause", "import_require_clause"):
            return None
        if ptype == "nested_identifier":
            # The `React` of the type `React.JSX.Element` or of `import X = A.B`; not the name
            # of `namespace A.B {}`, which declares, nor a member name.
            if parent.child_by_field_name("object") != node:
                return None
            top = parent
            while top.parent is not None and top.parent.type == "nested_identifier":
                top = top.parent
            owner = top.parent
            if owner is not None and owner.type in ("internal_module", "module") \
                    and owner.child_by_field_name("name") == top:
                return None
            return EITHER
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
            self._add_reference(node, node.text.decode("utf-8", "replace"), space)

    def _add_reference(self, node: ts.Node, name: str, space: str) -> None:
        self.references.append((node, space))
        self._refs_by_name.setdefault(name, []).append((node, space))
        binding = self.lookup(name, node, space)
        self._binding_of[node.id] = binding
        if binding is not None:
            binding.references.append(node)

    # -- queries ------------------------------------------------------------------------

    @property
    def has_jsx(self) -> bool:
        """The file holds a JSX element."""
        return self.jsx_elements > 0

    def ensure(self, names: Iterable[str]) -> None:
        """Make the analysis of ``names`` complete (a full analysis always is)."""

    def _ensure_node(self, node: ts.Node) -> None:
        """Make the analysis of ``node``'s name complete."""

    def references_of(self, names: Iterable[str]) -> list[tuple[ts.Node, str]]:
        """The references (node, space) spelled as one of ``names``, in document order."""
        names = set(names)
        self.ensure(names)
        found = [r for n in names for r in self._refs_by_name.get(n, ())]
        return sorted(found, key=lambda r: r[0].start_byte)

    def space_of(self, node: ts.Node) -> str | None:
        """The space a reference was resolved in (None: not a reference)."""
        for ref, space in self._refs_by_name.get(node.text.decode("utf-8", "replace"), ()):
            if ref.id == node.id:
                return space
        return None

    def lookup(self, name: str, at: ts.Node, space: str = VALUE) -> Binding | None:
        """The binding ``name`` denotes at node ``at`` in ``space``, or None (a global)."""
        # Scopes nest like the tree, so the innermost scope holding `at` that declares the
        # name is the one with the latest start (then the earliest end); comparing byte
        # ranges avoids walking up the tree, which tree-sitter does from the root each step.
        # A name declared twice in one scope (`var x; … var x;`) is its first declaration in
        # the text, whatever order the analysis met them in (the lazy one meets a
        # destructuring's names together, and imports first).
        entries = self._by_name.get(name)
        if not entries:
            return None
        start, end = at.start_byte, at.end_byte
        if len(entries) > _INDEXED:
            return self._lookup_indexed(name, entries, start, end, space)
        best: tuple[int, int, int] | None = None
        found: Binding | None = None
        for s_start, s_end, binding in entries:
            if s_start <= start and end <= s_end and (
                    space == EITHER or (binding.value if space == VALUE else binding.type)):
                key = (s_start, -s_end, -binding.node.start_byte)
                if best is None or key > best:
                    best, found = key, binding
        return found

    def _lookup_indexed(self, name: str, entries: list[tuple[int, int, Binding]], start: int, end: int,
                        space: str) -> Binding | None:
        """:meth:`lookup` for a name declared in many scopes (minified code declares `e` in
        thousands): scopes are tree nodes, so they nest or are disjoint, and the scopes
        holding ``at`` are all on the chain of enclosing scopes of the last scope that starts
        at or before it. Sorted by (start, -end, -position), the chain visits them innermost
        first and, among one scope's bindings, in the order of their declarations in the
        text, as the scan does."""
        index = self._scope_index.get(name)
        if index is None or index[0] != len(entries):
            order = sorted(range(len(entries)),
                           key=lambda k: (entries[k][0], -entries[k][1], -entries[k][2].node.start_byte))
            ranked = [entries[k] for k in order]
            enclosing: list[int] = []
            stack: list[int] = []
            for i, (s_start, s_end, _) in enumerate(ranked):
                while stack and ranked[stack[-1]][1] < s_end:
                    stack.pop()
                enclosing.append(stack[-1] if stack else -1)
                stack.append(i)
            index = self._scope_index[name] = (len(entries), [e[0] for e in ranked], ranked, enclosing)
        _, starts, ranked, enclosing = index
        i = bisect.bisect_right(starts, start) - 1
        while i >= 0:
            s_start, s_end, binding = ranked[i]
            if end <= s_end and (space == EITHER or (binding.value if space == VALUE else binding.type)):
                return binding
            i = enclosing[i]
        return None

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
            self._ensure_node(node)
            if node.id not in self._binding_of:
                return None
            binding = self._binding_of[node.id]
            if binding is None:
                return Symbol("", node.text.decode("utf-8", "replace"))
            if binding.module is not None and binding.imported is not None:
                return Symbol(binding.module, binding.imported)
            return None
        if t in ("member_expression", "nested_identifier"):
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

# Names declared in more scopes than this are looked up through a sorted index.
_INDEXED = 16
IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
# An identifier-like word, in text and in bytes (where `\w` is ASCII only).
WORD = re.compile(r"[A-Za-z_$][\w$]*")
WORD_BYTES = re.compile(WORD.pattern.encode("ascii"))
_NAMED_TYPES = frozenset(_REFERENCE_TYPES + ("shorthand_property_identifier_pattern",))
# Destructuring patterns a declared name sits in, and the child field the name must be in.
_PATTERNS = {"object_pattern": None, "array_pattern": None, "rest_pattern": None,
             "pair_pattern": "value", "assignment_pattern": "left", "object_assignment_pattern": "left"}
# Constructs that declare the pattern (or name) in one of their fields.
_PATTERN_FIELDS = {"variable_declarator": "name", "required_parameter": "pattern",
                   "optional_parameter": "pattern", "catch_clause": "parameter",
                   "for_in_statement": "left", "arrow_function": "parameter"}
_NAME_DECLARATIONS = frozenset({
    "function_declaration", "generator_function_declaration", "function_expression",
    "generator_function", "class_declaration", "abstract_class_declaration", "class",
    "enum_declaration", "type_alias_declaration", "interface_declaration", "type_parameter",
    "internal_module", "module"})


def member_chain(node: ts.Node) -> list[ts.Node]:
    """A reference and the member accesses built on it: `R`, `R.useState`, ... (value and
    type positions: `R.JSX.Element`); what the rename rules walk to find what they map."""
    out = [node]
    while True:
        parent = out[-1].parent
        if parent is None:
            return out
        if parent.type in ("member_expression", "nested_identifier") \
                and parent.child_by_field_name("object") == out[-1]:
            out.append(parent)
        elif parent.type == "nested_type_identifier" and parent.child_by_field_name("module") == out[-1]:
            out.append(parent)
        else:
            return out


def word_offsets(source: bytes, word: bytes) -> list[int]:
    """Where ``word`` occurs in ``source`` as a whole identifier-like word (ASCII boundaries)."""
    out = []
    n = len(word)
    i = source.find(word)
    while i != -1:
        if (i == 0 or source[i - 1] not in IDENTIFIER_BYTES) and (
                i + n == len(source) or source[i + n] not in IDENTIFIER_BYTES):
            out.append(i)
        i = source.find(word, i + n)
    return out


def has_word(source: bytes, text: bytes) -> bool:
    """``text`` occurs in ``source`` and is not part of a longer identifier there: an edge of
    ``text`` that is an identifier character must not touch another one (`fetch` is not in
    `prefetch`). Any token or node spelled ``text`` passes, as the lexer splits identifiers
    exactly there."""
    n = len(text)
    if not n:
        return True
    check_start = text[0] in IDENTIFIER_BYTES
    check_end = text[-1] in IDENTIFIER_BYTES
    i = source.find(text)
    while i != -1:
        if (not check_start or i == 0 or source[i - 1] not in IDENTIFIER_BYTES) and (
                not check_end or i + n == len(source) or source[i + n] not in IDENTIFIER_BYTES):
            return True
        i = source.find(text, i + 1)
    return False


@functools.lru_cache(maxsize=None)
def _has_jsx_grammar(language: ts.Language) -> bool:
    return language.id_for_node_kind("jsx_opening_element", True) is not None


def offsets(source: AnyStr, text: AnyStr) -> Iterator[int]:
    """Every offset where ``text`` occurs in ``source`` (bytes or str), overlapping ones included."""
    i = source.find(text)
    while i != -1:
        yield i
        i = source.find(text, i + 1)


@functools.lru_cache(maxsize=64)
def _prefixes(modules: frozenset[str]) -> tuple[str, ...]:
    return tuple(m + "/" for m in modules)


class LazyBindings(Bindings):
    """The same analysis, made one name at a time when a name is first asked about.

    Imports and ``require`` bindings are collected up front (not yet their references); a
    name is analysed on its first lookup, or with :meth:`ensure` (a binding's
    ``references`` are complete once its name is). A name's occurrences are found in the bytes
    (whole words), mapped to their tree nodes (occurrences in strings and comments are no
    identifier nodes and drop out), and each is classified bottom-up as a declaration or a
    reference, exactly as :class:`Bindings` classifies it top-down. A file the rules care
    about for five names pays for five names, not for every identifier it holds.
    ``references`` lists the references of the names analysed so far.
    """

    def __init__(self, tree: ts.Tree, source: bytes, namespace_defaults: Iterable[str] = (),
                 names: Iterable[str] = (), modules: frozenset[str] | None = None,
                 aliases: Callable[[str], dict[str, tuple[str, str]] | None] | None = None,
                 offsets: dict[bytes, list[int]] | None = None, indexed: frozenset[bytes] = frozenset()) -> None:
        self._init_state(tree, namespace_defaults)
        self.aliases = aliases
        self.source = source
        # Word -> its whole-word offsets, for the ``indexed`` words a scan of the text
        # already looked for (transform.words.WordSet.scan: one it did not find does not
        # occur); other words are searched for.
        self._offsets = offsets or {}
        self._indexed = indexed if offsets is not None else frozenset()
        self._ensured: set[str] = set()
        self._jsx_elements: int | None = None
        self._reexports: list[ReExport] | None = None
        self._collected: set[int] = set()
        for offset in self._word_offsets(b"import"):
            keyword = self.root.descendant_for_byte_range(offset, offset + 6)
            statement = keyword.parent if keyword is not None and keyword.type == "import" else None
            if statement is not None and statement.type == "import_statement":
                if modules is None or not self._defer_import(statement, modules):
                    self._collect_import(statement)
        for offset in self._word_offsets(b"require"):
            ident = self.root.descendant_for_byte_range(offset, offset + 7)
            value = ident.parent if ident is not None and ident.type == "identifier" else None
            declarator = value.parent if value is not None else None
            if declarator is not None and declarator.type == "arguments":  # an interop helper's?
                value = declarator.parent
                declarator = value.parent if value is not None else None
            if declarator is not None and declarator.type == "variable_declarator" \
                    and declarator.child_by_field_name("value") == value and required(value) is not None:
                self._collect_declarator(declarator)
        if self._requires and self._may_declare("require"):  # a local `require` makes those ordinary calls
            self.ensure(("require",))
            for binding, require_ident in self._requires:
                if self.lookup("require", require_ident, VALUE) is not None:
                    binding.module = binding.imported = None
        self.ensure(names)

    def _defer_import(self, statement: ts.Node, modules: frozenset[str]) -> bool:
        """Leave an import of a module outside ``modules`` for later: it is collected when
        a name it spells is first looked up, declared or asked for (a word index of its
        text says which). Imports the index could miss are collected now."""
        source = statement.child_by_field_name("source")
        module = string_value(source) if source is not None else None
        if module is None or module in modules or module.startswith(_prefixes(modules)):
            return False
        if self.aliases is not None and self.aliases(module):
            return False  # it re-exports a targeted module: collected as one of those
        text = self.source[statement.start_byte:source.start_byte]  # type: ignore[union-attr]
        if not text.isascii() or b"\\" in text:
            return False  # a name the ASCII word index cannot spell
        for word in set(WORD_BYTES.findall(text)):
            self._pending.setdefault(word.decode("ascii"), []).append(statement)
        return True

    def declare_imports(self, names: Iterable[str] | None = None) -> None:
        """Collect the deferred imports that may declare any of ``names`` (None: all)."""
        if self._pending:
            for name in list(self._pending) if names is None else names:
                if name in self._pending:
                    self._collect_pending(name)

    def _collect_pending(self, name: str) -> None:
        for statement in self._pending.pop(name, ()):
            if statement.id not in self._collected:
                self._collected.add(statement.id)
                self._collect_import(statement)

    @property
    def jsx_elements(self) -> int:  # type: ignore[override]
        if self._jsx_elements is None:
            self._jsx_elements = len(nodes_of_types(
                self.tree, ("jsx_opening_element", "jsx_self_closing_element")))
        return self._jsx_elements

    @property
    def has_jsx(self) -> bool:
        if not _has_jsx_grammar(self.tree.language):
            return False  # the TypeScript grammar (.ts) has no JSX: its `<` are type arguments
        # A JSX element starts with a `<` token whose parent is the element.
        for offset in offsets(self.source, b"<"):
            token = self.root.descendant_for_byte_range(offset, offset + 1)
            parent = token.parent if token is not None else None
            if parent is not None and parent.type in ("jsx_opening_element", "jsx_self_closing_element"):
                return True
        return False

    @property
    def reexports(self) -> list[ReExport]:  # type: ignore[override]
        if self._reexports is None:
            self._reexports = []
            for offset in word_offsets(self.source, b"export"):
                keyword = self.root.descendant_for_byte_range(offset, offset + 6)
                statement = keyword.parent if keyword is not None and keyword.type == "export" else None
                if statement is not None and statement.type == "export_statement":
                    reexport = self._reexport(statement)
                    if reexport is not None:
                        self._reexports.append(reexport)
        return self._reexports

    def lookup(self, name: str, at: ts.Node, space: str = VALUE) -> Binding | None:
        if name not in self._ensured:
            self.ensure((name,))
        return super().lookup(name, at, space)

    def binding_of(self, node: ts.Node) -> Binding | None:
        self._ensure_node(node)
        return self._binding_of.get(node.id)

    def is_reference(self, node: ts.Node) -> bool:
        self._ensure_node(node)
        return node.id in self._binding_of

    def _ensure_node(self, node: ts.Node) -> None:
        if node.id not in self._binding_of:
            name = node.text.decode("utf-8", "replace")
            if name not in self._ensured:
                self.ensure((name,))

    def ensure(self, names: Iterable[str]) -> None:
        # A construct may declare other names too (`const [a, b] = …`); those are declared
        # now and analysed when asked about (a name's lookups need only its own declarations,
        # and every reader of a binding's references asks about its name first).
        pending = sorted({n for n in names if n not in self._ensured})
        if not pending:
            return
        self._ensured.update(pending)
        if self._pending:
            for name in pending:
                if name in self._pending:
                    self._collect_pending(name)
        references: list[tuple[str, ts.Node, ts.Node | None]] = []
        declared = self._declared
        for name in pending:
            for node in self._occurrence_nodes(name):
                if node.id in declared:
                    continue
                parent = node.parent
                construct = _declaring_construct(node, parent)
                if construct is not None:
                    self._collect_declaration(construct)
                if node.id not in declared and node.type in _REFERENCE_TYPES:
                    references.append((name, node, parent))
        references.sort(key=lambda r: r[1].start_byte)
        for name, node, parent in references:
            if node.id in declared:
                continue
            space = self._reference_space(node, parent)
            if space is not None:
                self._add_reference(node, name, space)

    def _may_declare(self, name: str) -> bool:
        """Something in the file may declare ``name``: an import (collected or deferred), a
        declaration made so far, or an occurrence that :meth:`ensure` would declare."""
        return name in self._pending or name in self._by_name or any(
            _declaring_construct(node, node.parent) is not None for node in self._occurrence_nodes(name))

    def _word_offsets(self, word: bytes) -> list[int]:
        found = self._offsets.get(word)
        if found is not None:
            return found
        return [] if word in self._indexed else word_offsets(self.source, word)

    def _occurrence_nodes(self, name: str) -> list[ts.Node]:
        """The identifier nodes spelled ``name`` (occurrences in strings and comments are no
        identifier nodes and drop out)."""
        word = name.encode("utf-8")
        out = []
        for offset in self._word_offsets(word):
            node = self.root.descendant_for_byte_range(offset, offset + len(word))
            if node is not None and node.type in _NAMED_TYPES and node.start_byte == offset \
                    and node.end_byte == offset + len(word):
                out.append(node)
        return out


def _declaring_construct(node: ts.Node, parent: ts.Node | None) -> ts.Node | None:
    """The declaration that declares identifier ``node`` (child of ``parent``; what the
    top-down analysis hands to ``_collect_declaration``), or None when it declares nothing."""
    child = node
    climbed = False
    while parent is not None and parent.type in _PATTERNS:
        field_name = _PATTERNS[parent.type]
        if field_name is not None and parent.child_by_field_name(field_name) != child:
            return None  # the key of `{ key: value }` or the default of `a = 1`
        child, parent, climbed = parent, parent.parent, True
    if parent is None:
        return None
    field_name = _PATTERN_FIELDS.get(parent.type)
    if field_name is not None:
        return parent if parent.child_by_field_name(field_name) == child else None
    if not climbed and parent.type in _NAME_DECLARATIONS and parent.child_by_field_name("name") == child:
        return parent
    return None

def resolve_bindings(tree: ts.Tree, namespace_defaults: Iterable[str] = ()) -> Bindings:
    """Scope analysis of ``tree``; ``namespace_defaults`` are modules whose default export is
    their namespace (``React.useState`` ≡ ``useState`` from 'react')."""
    return Bindings(tree, namespace_defaults)
