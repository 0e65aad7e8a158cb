"""Structural matching of code patterns (ast-grep style) and tree-sitter queries.

A pattern is code with metavariables: ``$NAME`` matches one node, ``$$$NAME`` a run of zero
or more sibling nodes (``$_`` and ``$$$`` match without capturing). Identifiers listed in
a matcher's ``uses`` match by what they resolve to (an import, a require or a global),
never by spelling, so ``axios.get`` also matches ``http.get`` after
``import http from 'axios'`` and never a local object with a ``get`` method. Everything
else matches by node type and text; string literals compare by value (quote style aside),
object literals ignore property order, comments in the target are skipped.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import tree_sitter as ts

from corpusforge.transform.bindings import (GLOBAL_OBJECTS, Bindings, LazyBindings, Symbol, offsets, string_value,
                                           word_offsets)
from corpusforge.transform.parsing import nodes_of_types, walk
from corpusforge.transform.rulepack import CompiledPattern, Matcher, RulePack, _is_metavar

Capture = ts.Node | list[ts.Node]
# Punctuation that may differ without changing meaning (trailing commas, ASI).
_IGNORED_TOKENS = frozenset({",", ";"})
_PREFIX_OPERATORS = frozenset({"await_expression", "unary_expression"})
_CHAIN_TYPES = ("member_expression", "nested_type_identifier", "nested_identifier")
# What a pattern that is a bare name or member chain (`fetch`, `React.FC`) may match.
_ANCHORED_TYPES = frozenset(("identifier", "type_identifier", "shorthand_property_identifier",
                            "member_expression", "nested_type_identifier"))


@dataclass
class Match:
    """One match: the node it covers and what its metavariables captured."""

    node: ts.Node
    captures: dict[str, Capture] = field(default_factory=dict)
    start: int | None = None  # where the replaced span starts, when not at ``node``

    @property
    def start_byte(self) -> int:
        return self.node.start_byte if self.start is None else self.start


class Document:
    """One parsed file with its bindings and an index of nodes by type (built once)."""

    def __init__(self, source: bytes, tree: ts.Tree, grammar: str,
                 namespace_defaults: frozenset[str] = frozenset(),
                 modules: frozenset[str] | None = None,
                 aliases: Callable[[str], dict[str, tuple[str, str]] | None] | None = None) -> None:
        self.source = source
        self.aliases = aliases  # see corpusforge.transform.aliases
        self.tree = tree
        self.grammar = grammar
        self.namespace_defaults = namespace_defaults
        self.modules = modules  # modules whose imports are analysed up front (None: all)
        self._bindings: Bindings | None = None
        # Whole-word offsets of the words a scan of the text looked for (the engine's trigger
        # scan, before the scope analysis is built; see transform.words.WordSet.scan).
        self.word_offsets: dict[bytes, list[int]] | None = None
        self.indexed_words: frozenset[bytes] = frozenset()  # the words looked for
        self._by_type: dict[str, list[ts.Node]] | None = None
        self._imported: set[str] | None = None
        self._occurrences: dict[Symbol, list[tuple[int, int]]] = {}
        self._may_contain: dict[Symbol, bool] = {}
        # Query matchers to run together on first use (set by the engine), and their matches.
        self.query_group: list[Matcher] = []
        self.query_results: dict[int, list[dict[str, list[ts.Node]]]] = {}
        self.query_matches: dict[int, list[Match]] = {}  # query matcher -> its matches (find_matches)

    @property
    def bindings(self) -> Bindings:
        """Scope analysis of the tree, built on first use (a file no rule can touch skips it)
        and then only for the names asked about (:class:`LazyBindings`)."""
        if self._bindings is None:
            self._bindings = LazyBindings(self.tree, self.source, self.namespace_defaults,
                                          modules=self.modules, aliases=self.aliases,
                                          offsets=self.word_offsets, indexed=self.indexed_words)
        return self._bindings

    def references_to(self, symbol: Symbol) -> list[tuple[ts.Node, str]]:
        """The references that may start a chain resolving to ``symbol``: those bound to an
        import of its module, or (a global) the unbound ones spelled as its root name or as a
        global object (``window.fetch``), in document order."""
        b = self.bindings
        if symbol.module:
            names = {x.name for x in b.bindings if x.module == symbol.module}
        else:
            names = {symbol.path.split(".")[0]} | GLOBAL_OBJECTS
        return b.references_of(names)

    def nodes_of_type(self, node_type: str) -> list[ts.Node]:
        if self._by_type is None:
            self._by_type = {}
        found = self._by_type.get(node_type)
        if found is None:
            found = self._by_type[node_type] = nodes_of_types(self.tree, (node_type,))
        return found

    def occurrences(self, symbol: Symbol) -> list[tuple[int, int]]:
        """Byte spans of the references (or member chains) that resolve to ``symbol``, sorted."""
        if symbol in self._occurrences:
            return self._occurrences[symbol]
        b = self.bindings
        root_name = symbol.path.split(".")[0]
        found = []
        for node, _ in self.references_to(symbol):
            binding = b.binding_of(node)
            if binding is None:
                name = node.text.decode("utf-8", "replace")
                if symbol.module or (name != root_name and name not in GLOBAL_OBJECTS):
                    continue
            elif binding.module != symbol.module or not symbol.module:
                continue
            while node is not None:
                resolved = b.resolve(node)
                if resolved is None:
                    break
                if resolved == symbol:
                    found.append((node.start_byte, node.end_byte))
                    break
                parent = node.parent
                node = parent if (parent is not None and parent.type in _CHAIN_TYPES
                                  and parent.named_children[0] == node) else None
        found.sort()
        self._occurrences[symbol] = found
        return found

    def contains(self, symbol: Symbol, node: ts.Node) -> bool:
        """Some occurrence of ``symbol`` lies within ``node``."""
        spans = self.occurrences(symbol)
        i = bisect.bisect_left(spans, (node.start_byte, -1))
        while i < len(spans) and spans[i][0] < node.end_byte:
            if spans[i][1] <= node.end_byte:
                return True
            i += 1
        return False

    def may_contain(self, symbol: Symbol) -> bool:
        """A cheap necessary condition for some reference to resolve to ``symbol``: its
        module is imported or required, or (a global) an unbound reference has its name."""
        b = self.bindings
        if self._imported is None:
            self._imported = {x.module for x in b.bindings if x.module is not None}
        if symbol.module:
            return symbol.module in self._imported
        found = self._may_contain.get(symbol)
        if found is None:
            found = self._may_contain[symbol] = any(
                b.binding_of(n) is None for n, _ in b.references_of({symbol.path.split(".")[0]} | GLOBAL_OBJECTS))
        return found

    def text(self, capture: Capture) -> str:
        """Source text of a capture (a run of nodes: from the first start to the last end)."""
        if isinstance(capture, list):
            if not capture:
                return ""
            return self.source[capture[0].start_byte:capture[-1].end_byte].decode("utf-8")
        return self.source[capture.start_byte:capture.end_byte].decode("utf-8")


def _metavar(node: ts.Node) -> str | None:
    if node.child_count == 0 and node.is_named:
        text = node.text.decode()
        if _is_metavar(text):
            return text
    return None


def _named(node: ts.Node) -> list[ts.Node]:
    return [c for c in node.named_children if c.type != "comment"]


def _literal(node: ts.Node) -> str | None:
    """The value of a string literal, or of a template literal without substitutions."""
    if node.type == "string":
        return string_value(node)
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
        return string_value(node)
    return None


@functools.lru_cache(maxsize=1024)
def _last_name(path: str) -> bytes:
    return path.rsplit(".", 1)[-1].encode("utf-8")


def may_denote(node: ts.Node, symbol: Symbol) -> bool:
    """False when ``node`` cannot resolve to ``symbol`` (:meth:`Bindings.resolve`), told from
    its text alone: a member chain resolves to a path ending in its last name, a global's
    identifier to its own name. Resolving instead would analyse the names of every node a
    pattern is tried at (in minified code, `e` and `t` thousands of times)."""
    kind = node.type
    if kind in ("member_expression", "nested_identifier"):
        name = node.child_by_field_name("property")
    elif kind == "nested_type_identifier":
        name = node.child_by_field_name("name")
    elif kind in ("identifier", "type_identifier", "shorthand_property_identifier"):
        # An import's local name is any name; a global is its own.
        return symbol.module != "" or node.text == symbol.path.encode("utf-8")
    else:
        return False  # nothing else resolves to a symbol
    return name is not None and name.text == _last_name(symbol.path)


def _tokens(node: ts.Node) -> list[str]:
    return [c.type for c in node.children if not c.is_named and c.type not in _IGNORED_TOKENS]


@dataclass(frozen=True)
class Anchors:
    """The pattern nodes that match by resolution, and the symbols a document must contain."""

    by_node: dict[int, Symbol]
    head: Symbol | None
    required: frozenset[Symbol]


_ANCHORS: dict[tuple[int, str, tuple, frozenset[str]], Anchors] = {}


def _anchors(pattern: CompiledPattern, grammar: str, uses: dict[str, Symbol], ns: frozenset[str]) -> Anchors:
    """Anchors of a pattern, computed once per pattern, grammar and `uses`."""
    key = (id(pattern), grammar, tuple(sorted(uses.items(), key=lambda kv: kv[0])), ns)
    found = _ANCHORS.get(key)
    if found is not None:
        return found
    by_node: dict[int, Symbol] = {}

    def visit(node: ts.Node) -> Symbol | None:
        symbol: Symbol | None = None
        t = node.type
        if t in ("identifier", "type_identifier") and node.text.decode() in uses:
            symbol = uses[node.text.decode()]
        elif t in ("member_expression", "nested_type_identifier"):
            first, second = ("object", "property") if t == "member_expression" else ("module", "name")
            obj, prop = node.child_by_field_name(first), node.child_by_field_name(second)
            base = visit(obj) if obj is not None else None
            if base is not None and prop is not None and _metavar(prop) is None:
                symbol = base.member(prop.text.decode(), ns)
            elif base is not None:
                return None  # `axios.$METHOD`: the object is anchored, the member captured
        if symbol is None:
            for child in node.named_children:
                if not (t in ("member_expression", "nested_type_identifier") and child == node.named_children[0]):
                    visit(child)
        else:
            by_node[node.id] = symbol
        return symbol

    root = pattern.root(grammar)
    visit(root)
    head = next((by_node[n.id] for n in walk(root) if n.id in by_node), None)
    found = _ANCHORS[key] = Anchors(by_node, head, frozenset(by_node.values()))
    return found


def nodes_around(root: ts.Node, spans: Iterable[tuple[int, int]], types: frozenset[str]) -> list[ts.Node]:
    """The named nodes of ``types`` in ``root``'s tree (``root``: the tree's root node) that
    hold one of the byte ``spans`` (the deepest node over each span and its ancestors),
    outer first."""
    found: dict[int, ts.Node] = {}
    # Spans share ancestors: a walk up stops at a node an earlier one went through
    # (py-tree-sitter's `parent` descends from the root, so each step costs the depth).
    walked: set[int] = set()
    for start, end in spans:
        node = root.descendant_for_byte_range(start, end)
        while node is not None and node.id not in walked:
            walked.add(node.id)
            if node.type in types and node.is_named:
                found[node.id] = node
            node = node.parent
    return sorted(found.values(), key=lambda n: (n.start_byte, -n.end_byte))


class PatternMatcher:
    """Matches one compiled pattern against a document."""

    def __init__(self, pattern: CompiledPattern, uses: dict[str, Symbol], doc: Document,
                 namespace_defaults: frozenset[str]) -> None:
        self.root = pattern.root(doc.grammar)
        self.doc = doc
        found = _anchors(pattern, doc.grammar, uses, namespace_defaults)
        self.anchors = found.by_node
        self.required = found.required
        self.head = found.head
        # Names the pattern spells itself match by text (a `uses` name by what it resolves to).
        self.words = tuple(sorted(n.encode("utf-8") for n in pattern.literal_names(doc.grammar) if n not in uses))

    def head_symbol(self) -> Symbol | None:
        """The first anchored name of the pattern (what its unsupported uses are counted by)."""
        return self.head

    def possible(self) -> bool:
        """False when the document cannot hold a reference to a symbol the pattern needs."""
        if not all(self.doc.may_contain(symbol) for symbol in self.required):
            return False
        return self.head is None or bool(self.doc.occurrences(self.head))

    def candidates(self) -> list[ts.Node]:
        """The nodes the pattern may match at, in document order (outer first)."""
        if self.head is None:  # nothing anchored (an anchored root would be the head)
            if not self.words:
                return self.doc.nodes_of_type(self.root.type)
            # A match spells each of the pattern's own names as a whole word (a token): it
            # holds an occurrence of the rarest, like an anchored pattern its head's.
            spans = min(([(at, at + len(w)) for at in word_offsets(self.doc.source, w)] for w in self.words), key=len)
            types = frozenset((self.root.type,))
        else:
            spans = self.doc.occurrences(self.head)
            types = _ANCHORED_TYPES if self.root.id in self.anchors else frozenset((self.root.type,))
        # Only nodes that contain an occurrence of the pattern's head can match: the node at
        # each occurrence and its ancestors, instead of every node of the type in the file.
        return nodes_around(self.doc.tree.root_node, spans, types)

    def match_at(self, target: ts.Node) -> Match | None:
        captures: dict[str, Capture] = {}
        if self._match(self.root, target, captures):
            return Match(target, captures)
        # tree-sitter-typescript parses `await f<T>(x)` (and `void f<T>(x)`) as a call whose
        # callee is `await f`; such a call matches a pattern for `f<T>(x)`, and the edit
        # starts after the operator.
        if self.root.type == "call_expression" and target.type == "call_expression":
            callee = target.child_by_field_name("function")
            pattern_callee = self.root.child_by_field_name("function")
            if (callee is not None and callee.type in _PREFIX_OPERATORS and callee.named_child_count == 1
                    and pattern_callee is not None and pattern_callee.type != callee.type):
                inner = callee.named_children[0]
                children = [inner if c == callee else c for c in _named(target)]
                captures = {}
                if self._match_seq(_named(self.root), children, captures):
                    return Match(target, captures, start=inner.start_byte)
        return None

    def _match(self, p: ts.Node, t: ts.Node, caps: dict[str, Capture]) -> bool:
        var = _metavar(p)
        if var is not None and not var.startswith("$$$"):
            name = var[1:]
            if name in ("", "_"):
                return True
            if name in caps:
                prev = caps[name]
                return not isinstance(prev, list) and prev.text == t.text
            caps[name] = t
            return True
        anchor = self.anchors.get(p.id)
        if anchor is not None:
            return may_denote(t, anchor) and self.doc.bindings.resolve(t) == anchor
        pv, tv = _literal(p), _literal(t)
        if pv is not None or tv is not None:
            return pv == tv
        if p.type != t.type:
            return False
        pn, tn = _named(p), _named(t)
        if not pn and not tn:
            return p.text == t.text
        if _tokens(p) != _tokens(t):
            return False
        if p.type == "object":
            return self._match_unordered(pn, tn, caps)
        return self._match_seq(pn, tn, caps)

    def _optional(self, p: ts.Node) -> str | None:
        """`<$$$T>` in a pattern also matches where the target has no type arguments."""
        if p.type == "type_arguments":
            inner = _named(p)
            if len(inner) == 1:
                var = _metavar(inner[0])
                if var is not None and var.startswith("$$$"):
                    return var[3:]
        return None

    def _match_seq(self, ps: list[ts.Node], ts_: list[ts.Node], caps: dict[str, Capture]) -> bool:
        if not ps:
            return not ts_
        head = ps[0]
        var = _metavar(head)
        if var is not None and var.startswith("$$$"):
            name = var[3:]
            for k in range(len(ts_) + 1):
                saved = dict(caps)
                if name:
                    caps[name] = ts_[:k]
                if self._match_seq(ps[1:], ts_[k:], caps):
                    return True
                caps.clear()
                caps.update(saved)
            return False
        optional = self._optional(head)
        if optional is not None and (not ts_ or ts_[0].type != "type_arguments"):
            if optional:
                caps[optional] = []
            return self._match_seq(ps[1:], ts_, caps)
        if not ts_:
            return False
        saved = dict(caps)
        if self._match(head, ts_[0], caps) and self._match_seq(ps[1:], ts_[1:], caps):
            return True
        caps.clear()
        caps.update(saved)
        return False

    def _match_unordered(self, ps: list[ts.Node], ts_: list[ts.Node], caps: dict[str, Capture]) -> bool:
        rest = [p for p in ps if (_metavar(p) or "").startswith("$$$")]
        fixed = [p for p in ps if p not in rest]
        if len(rest) > 1 or (not rest and len(fixed) != len(ts_)) or len(fixed) > len(ts_):
            return False

        def assign(i: int, used: frozenset[int]) -> bool:
            if i == len(fixed):
                if rest:
                    name = _metavar(rest[0])[3:]  # type: ignore[index]
                    if name:
                        caps[name] = [t for j, t in enumerate(ts_) if j not in used]
                return True
            for j, t in enumerate(ts_):
                if j in used:
                    continue
                saved = dict(caps)
                if self._match(fixed[i], t, caps) and assign(i + 1, used | {j}):
                    return True
                caps.clear()
                caps.update(saved)
            return False

        return assign(0, frozenset())


def _in_catch_of(ident: ts.Node) -> bool:
    """Some catch clause around ``ident`` spells its name in its parameter: a catch binding
    of the name can only be one of those (its scope is the clause)."""
    name = ident.text
    current = ident.parent
    while current is not None:
        if current.type == "catch_clause":
            parameter = current.child_by_field_name("parameter")
            if parameter is not None and any(n.text == name for n in _identifiers(parameter)):
                return True
        current = current.parent
    return False


def _identifiers(node: ts.Node) -> Iterator[ts.Node]:
    if node.type in ("identifier", "shorthand_property_identifier_pattern"):
        yield node
    for child in node.named_children:
        yield from _identifiers(child)


def _where_ok(matcher: Matcher, match: Match, doc: Document) -> bool:
    for name, cond in matcher.where.items():
        capture = match.captures.get(name)
        if capture is None:
            return False
        nodes = capture if isinstance(capture, list) else [capture]
        text = doc.text(capture)
        if cond.kind is not None and not all(n.type in cond.kind for n in nodes):
            return False
        if cond.regex is not None and not re.search(cond.regex, text):
            return False
        if cond.not_regex is not None and re.search(cond.not_regex, text):
            return False
        if cond.declared_as is not None:
            if isinstance(capture, list) or capture.type != "identifier":
                return False
            if set(cond.declared_as) == {"catch"} and not _in_catch_of(capture):
                return False  # no catch clause around it declares the name: skip its analysis
            binding = doc.bindings.binding_of(capture)
            if binding is None or binding.kind not in cond.declared_as:
                return False
    return True


def _context_ok(matcher: Matcher, node: ts.Node, root: ts.Node) -> bool:
    """``node`` has an ancestor of an ``inside`` type (when given) and none of a
    ``not_inside`` type (``root``: the root of its tree): one walk for both."""
    inside, not_inside = matcher.inside, matcher.not_inside
    if not inside and not not_inside:
        return True
    found = not inside
    # Down from the root rather than up by `parent`: tree-sitter keeps no parent links, so
    # each `parent` is itself a descent from the root, and a walk up costs one per level.
    current: ts.Node | None = root
    while current is not None and current != node:
        kind = current.type
        if kind in not_inside:
            return False
        if not found and kind in inside:
            found = True
            if not not_inside:
                return True
        current = current.child_with_descendant(node)
    return found


def find_matches(matcher: Matcher, pack: RulePack, doc: Document) -> Iterator[Match]:
    """Every match of a pattern rule, detect rule or constraint in ``doc``, in document order."""
    uses = {k: v.symbol() for k, v in matcher.uses.items()}
    if matcher.query is None:
        return _pattern_matches(matcher, pack, doc, uses)
    # Kept for the document (its tree never changes): a detect rule is asked once per
    # import when the engine looks for a file to keep as written, and again for leftovers.
    found = doc.query_matches.get(id(matcher))
    if found is None:
        found = doc.query_matches[id(matcher)] = list(_query_matches(matcher, pack, doc, uses))
    return iter(found)


def _pattern_matches(matcher: Matcher, pack: RulePack, doc: Document, uses: dict[str, Symbol]) -> Iterator[Match]:
    seen: set[int] = set()
    for pattern in pack.patterns_of(matcher):
        pm = PatternMatcher(pattern, uses, doc, pack.namespace_defaults)
        if not pm.possible():
            continue
        for node in pm.candidates():
            if node.id in seen:
                continue
            m = pm.match_at(node)
            if m is not None and _context_ok(matcher, node, doc.tree.root_node) and _where_ok(matcher, m, doc):
                seen.add(node.id)
                yield m


_PREDICATE = re.compile(r'\(#(eq|any-of|match)\?\s+@[\w.-]+((?:\s+"[^"\\]*")+)\s*\)')
_WORDS = re.compile(r"\^\(?([A-Za-z_$][\w$]*(?:\|[A-Za-z_$][\w$]*)*)\)?\$")


@functools.cache
def query_literals(query: str) -> list[tuple[str, ...]]:
    """Text a match of a one-pattern query must contain, from its positive text predicates
    (only for queries without alternatives or quantifiers):
    each entry is a set of alternatives (`#eq?` gives one, `#any-of?` and an anchored
    alternation of words in `#match?` several). Other predicates say nothing."""
    from corpusforge.transform.parsing import language

    try:
        compiled = ts.Query(language("tsx"), query)
    except (ts.QueryError, ValueError):
        try:
            compiled = ts.Query(language("typescript"), query)
        except (ts.QueryError, ValueError):
            return []
    if compiled.pattern_count != 1:
        return []  # a literal of one pattern is not needed by the others
    shape = re.sub(r"\(#[^()]*\)", "", re.sub(r'"(?:[^"\\]|\\.)*"', "", query))
    if re.search(r"[\[?*+]", shape):
        return []  # alternatives or quantifiers: a predicate's capture may be absent
    out = []
    for kind, strings in _PREDICATE.findall(query):
        values = re.findall(r'"([^"\\]*)"', strings)
        if kind == "eq" and len(values) == 1:
            out.append((values[0],))
        elif kind == "any-of":
            out.append(tuple(values))
        elif kind == "match" and len(values) == 1:
            words = _WORDS.fullmatch(values[0])
            if words is not None:
                out.append(tuple(words.group(1).split("|")))
    return out


def _literal_ranges(query: str, source: bytes, root: ts.Node | None = None) -> list[tuple[int, int]] | None:
    """Byte ranges holding every match of ``query`` (around the occurrences of one text its
    predicates require), or None when it requires none. A node that equals the literal
    spans one of its occurrences, and a match is reported when its nodes intersect a range.
    With the tree's ``root``, only the occurrences some node spans exactly are kept (`react`
    of `'react'`, not of `'react-dom'` or of a comment): the smallest node over an
    occurrence lies inside any node spanning exactly those bytes, so it spans them too."""
    literals = query_literals(query)
    if not literals:
        return None
    alternatives = min(literals, key=len)
    ranges = []
    for literal in alternatives:
        word = literal.encode("utf-8")
        if not word:
            return None
        n = len(word)
        found = [(i, i + n) for i in offsets(source, word)]
        if root is not None:
            found = [(i, j) for i, j in found
                     if (node := root.descendant_for_byte_range(i, j)) is not None
                     and node.start_byte == i and node.end_byte == j]
        ranges += found
    return _merged(sorted(ranges))


# Ranges closer than this are run as one: a run costs a walk down from the root, more than
# stepping over a few hundred bytes of nodes between two ranges.
_MERGE_GAP = 256


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with those less than ``_MERGE_GAP`` apart joined (a run over the joined
    range finds what runs over its parts find, and what else it finds meets no range of a
    match's literal or symbol, so the caller's checks drop nothing they would keep)."""
    if len(ranges) > 64:  # one sweep over the span is cheaper than many small ones
        return [(ranges[0][0], max(e for _, e in ranges))]
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and start - out[-1][1] < _MERGE_GAP:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


_COMBINED: dict[tuple[str, tuple[str, ...]], ts.Query] = {}


def _run_query_group(pack: RulePack, doc: Document) -> None:
    """Run the queries of ``doc.query_group`` as one query (one walk of the tree instead of
    one per matcher) and keep each matcher's raw matches in ``doc.query_results``."""
    group = [(m, q) for m in doc.query_group if (q := pack.query_of(m, doc.grammar)) is not None]
    for m in doc.query_group:
        doc.query_results[id(m)] = []
    if not group:
        return
    texts = tuple(m.query for m, _ in group)  # type: ignore[misc]
    key = (doc.grammar, texts)
    combined = _COMBINED.get(key)
    if combined is None:
        from corpusforge.transform.parsing import language

        combined = _COMBINED[key] = ts.Query(language(doc.grammar), "\n".join(texts))
    owners: list[Matcher] = []
    for m, q in group:
        owners += [m] * q.pattern_count
    for index, captured in ts.QueryCursor(combined).matches(doc.tree.root_node):
        doc.query_results[id(owners[index])].append(captured)


# `((TYPE) @NAME (#eq? @NAME "TEXT"))`: the nodes of one type spelled exactly so.
_ONE_NODE = re.compile(r'\(\s*\((?P<type>[A-Za-z_]\w*)\)\s*@(?P<capture>[\w.-]+)\s*'
                       r'\(#eq\?\s+@(?P=capture)\s+"(?P<text>[^"\\]+)"\s*\)\s*\)')


@functools.cache
def one_node_query(query: str) -> tuple[str, str, bytes] | None:
    """(type, capture, text) of a query that matches single nodes by type and exact text."""
    m = _ONE_NODE.fullmatch(query.strip())
    return (m["type"], m["capture"], m["text"].encode("utf-8")) if m else None


def one_node_matches(shape: tuple[str, str, bytes], doc: Document) -> list[dict[str, list[ts.Node]]]:
    """What a :func:`one_node_query` query matches, in document order, found from the text's
    occurrences instead of a walk: a node spelled exactly so spans an occurrence, so it is the
    deepest node over that occurrence or an ancestor over the same bytes."""
    kind, capture, text = shape
    root = doc.tree.root_node
    out: list[dict[str, list[ts.Node]]] = []
    for at in offsets(doc.source, text):
        end = at + len(text)
        node: ts.Node | None = root.descendant_for_byte_range(at, end)
        found = []
        while node is not None and node.start_byte == at and node.end_byte == end:
            if node.type == kind and node.is_named:
                found.append(node)
            node = node.parent
        out += [{capture: [n]} for n in reversed(found)]
    return out


def _query_ranges(matcher: Matcher, doc: Document, uses: dict[str, Symbol]) -> list[tuple[int, int]] | None:
    """Byte ranges holding every match of a query matcher, or None (the whole tree): around
    a literal its predicates require, or else around the occurrences of the rarest `uses`
    symbol (a capture that must resolve to it is one of them, so every match meets one)."""
    ranges = _literal_ranges(matcher.query, doc.source, doc.tree.root_node)  # type: ignore[arg-type]
    if ranges is None and uses:
        ranges = _merged(min((doc.occurrences(symbol) for symbol in uses.values()), key=len))
    return ranges


def _query_matches(matcher: Matcher, pack: RulePack, doc: Document,
                   uses: dict[str, Symbol]) -> Iterator[Match]:
    query = pack.query_of(matcher, doc.grammar)
    if query is None:
        return
    first = matcher.capture or query.capture_name(0)
    if id(matcher) not in doc.query_results and any(m is matcher for m in doc.query_group):
        _run_query_group(pack, doc)
    raw = doc.query_results.get(id(matcher))
    shape = one_node_query(matcher.query) if raw is None else None  # type: ignore[arg-type]
    if shape is not None:
        raw = one_node_matches(shape, doc)
    if raw is None:
        ranges = _query_ranges(matcher, doc, uses)
        if ranges is None:
            raw = [captured for _, captured in ts.QueryCursor(query).matches(doc.tree.root_node)]
        else:
            raw = []
            for start, end in ranges:
                cursor = ts.QueryCursor(query)
                cursor.set_byte_range(start, end)
                raw += [captured for _, captured in cursor.matches(doc.tree.root_node)]
        # Kept for the document (its tree never changes): a detect rule runs to decide
        # whether a file is kept as written and again to count its leftovers.
        doc.query_results[id(matcher)] = raw
    seen: set[int] = set()
    for captured in raw:
        nodes = captured.get(first)
        if not nodes or nodes[0].id in seen:
            continue
        seen.add(nodes[0].id)
        captures: dict[str, Capture] = {k: (v[0] if len(v) == 1 else list(v)) for k, v in captured.items()}
        if any(not isinstance(captures.get(k), ts.Node) or doc.bindings.resolve(captures[k]) != sym  # type: ignore[arg-type]
               for k, sym in uses.items()):
            continue
        m = Match(nodes[0], captures)
        if _context_ok(matcher, m.node, doc.tree.root_node) and _where_ok(matcher, m, doc):
            yield m


def head_symbols(matcher: Matcher, pack: RulePack, doc: Document) -> set[Symbol]:
    """The outside names a pattern is rooted at (``fetch``, ``axios.get``...)."""
    uses = {k: v.symbol() for k, v in matcher.uses.items()}
    out = set()
    for pattern in pack.patterns_of(matcher):
        symbol = PatternMatcher(pattern, uses, doc, pack.namespace_defaults).head_symbol()
        if symbol is not None:
            out.add(symbol)
    return out
