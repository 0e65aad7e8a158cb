"""The rewrite engine: apply a rule pack to one source text, as byte-span edits on its tree.

``rewrite_source(text, path, pack)`` is the Python API (no Spark): it parses the file with
the grammar its extension calls for, resolves bindings, applies the pack's rules as
non-overlapping edits (repeating on the re-parsed result until nothing changes, so a
rewrite inside a rewritten capture is applied too), manages imports, re-parses the output
and checks the pack's constraints. Bytes outside the edits are never touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import tree_sitter as ts

from corpusforge.transform.aliases import Resolver, Table, resolver
from corpusforge.transform.bindings import (
    EITHER, GLOBAL_OBJECTS, TYPE, WORD, Binding, Bindings, Symbol, has_word, member_chain)
from corpusforge.transform.imports import Edit, apply_edits, import_edits
from corpusforge.transform.kept import Kept, KeptImports
from corpusforge.transform.matching import Document, Match, find_matches, head_symbols, query_literals
from corpusforge.transform.parsing import grammar_for, parse, parse_errors
from corpusforge.transform.rulepack import (
    DetectRule,
    Matcher,
    ModuleRule,
    PatternRule,
    RenameRule,
    Rule,
    RulePack,
)
from corpusforge.transform.words import WordSet

MAX_PASSES = 4
# Words the scope analysis looks up in nearly every file it builds (import and require
# statements, the global objects behind `window.fetch`); with the globals the pack's rules
# use (`fetch`, `console`), the trigger scan keeps where they occur, so that the analysis
# need not search the text for them again.
INDEXED_WORDS = (b"import", b"require", *sorted(w.encode() for w in GLOBAL_OBJECTS))


@dataclass(frozen=True)
class Diagnostic:
    """Something the engine noticed: ``code`` is short and stable, ``message`` for people."""

    code: str  # parse_error, unsupported, name_conflict, reparse_failed, not_converged, constraint
    message: str
    rule: str | None = None
    line: int | None = None


@dataclass
class RewriteResult:
    """What rewriting one file produced."""

    path: str
    grammar: str
    original: str
    text: str
    rules_fired: dict[str, int] = field(default_factory=dict)
    unsupported: dict[str, int] = field(default_factory=dict)
    constraints: dict[str, int] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    framework_calls: int = 0
    parse_errors_before: int = 0
    parse_errors_after: int = 0
    passes: int = 0
    reject_reason: str | None = None
    # Rewriting ``text`` again changes nothing: no rule matches the final pass (None: unknown).
    stable: bool | None = None
    # ``partial="revert"`` knew before trying any rule that the file stays as written
    # (:mod:`corpusforge.transform.kept`); the rename and pattern rules counted nothing in it.
    kept_as_written: bool = False

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def valid(self) -> bool:
        """The output parses as cleanly as the input and no constraint rejects it."""
        return self.reject_reason is None

    @property
    def rules_applied(self) -> list[str]:
        return sorted(self.rules_fired)


class _Context(dict):
    """``{{path}}``, ``{{stem}}`` and ``{{module}}`` of a file, worked out on first use."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def __missing__(self, key: str) -> str:
        p = PurePosixPath(self.path.replace("\\", "/"))
        stem = p.name.split(".")[0] if p.name else ""
        self.update(path=self.path, stem=stem, module=str(p.with_name(stem)) if p.name else self.path)
        if key not in ("path", "stem", "module"):
            raise KeyError(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


def _context(path: str) -> dict[str, str]:
    return _Context(path)


def render_template(template: str, match: Match, doc: Document, context: dict[str, str]) -> str:
    """Fill a fix template: ``$NAME``/``$$$NAME`` by captured text, ``{{stem}}`` and friends
    by the file's context. An empty ``$$$NAME`` takes its separator (``, `` or ``<>``) along."""
    out = template
    for name, capture in match.captures.items():
        if isinstance(capture, list) and not capture:
            var = re.escape("$$$" + name)
            out = re.sub(r"<\s*" + var + r"\s*>", "", out)
            out = re.sub(r",\s*" + var + r"(?![A-Z0-9_])", "", out)
            out = re.sub(var + r"(?![A-Z0-9_])\s*,\s*", "", out)

    def fill(m: re.Match[str]) -> str:
        name = m.group(2)
        return doc.text(match.captures[name]) if name in match.captures else m.group(0)

    out = re.sub(r"\$(\$\$)?([A-Z_][A-Z0-9_]*)", fill, out)
    return re.sub(r"\{\{(\w+)\}\}", lambda m: context.get(m.group(1), m.group(0)), out)


class _Pass:
    """One analysis of the current text: the tree, and bindings when first asked for."""

    def __init__(self, source: bytes, grammar: str, pack: RulePack, tree: ts.Tree | None = None,
                 aliases: Resolver | None = None) -> None:
        self.source = source
        self.tree = tree if tree is not None else parse(source, grammar)
        self.grammar = grammar
        self.pack = pack
        # The origin's modules that re-export a targeted module, and the lookup of this
        # file's import specifiers among them (transform.aliases).
        self.aliases = aliases
        self.doc = Document(source, self.tree, grammar, pack.namespace_defaults, pack.named_modules, aliases)
        # The rules and the constraints whose trigger strings all occur (see Engine._possibilities).
        self.possible: tuple[frozenset[str], tuple[Matcher, ...]] | None = None
        self.present: frozenset[bytes] | None = None
        self.queries_grouped = False
        # Module name -> its import/re-export statements (asked by the edits and the leftover count).
        self.module_statements: dict[str, list[tuple[str, ts.Node, ts.Node]]] = {}
        # Module rule id -> the first match of its `unless` shapes, or None (asked by the
        # edits and by the leftover count of the same pass).
        self.blocked: dict[str, Match | None] = {}

    @property
    def bindings(self) -> Bindings:
        return self.doc.bindings


def _point(source: bytes, offset: int, start: tuple[int, int, int]) -> tuple[int, int, int]:
    """(row, column, offset) of ``offset``, counting on from an earlier (row, column, offset)."""
    row, column, at = start
    newlines = source.count(b"\n", at, offset)
    if newlines:
        return row + newlines, offset - source.rfind(b"\n", at, offset) - 1, offset
    return row, column + offset - at, offset


def next_pass(p: _Pass, edits: list[Edit]) -> _Pass:
    """The pass over ``p``'s source with ``edits`` applied, re-parsed incrementally: a copy of
    ``p``'s tree is told about each edit and the parser reuses what the edits left alone.
    tree-sitter's incremental parse yields the tree a fresh parse yields (tests compare
    them); ``p`` itself stays valid."""
    source = apply_edits(p.source, edits)
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    points = []
    at = (0, 0, 0)
    for edit in ordered:
        start = at = _point(p.source, edit.start, at)
        end = at = _point(p.source, edit.end, at)
        points.append((start, end))
    tree = p.tree.copy()
    # Last edit first: an edit's offsets and points are then those of the original source.
    for edit, (start, end) in zip(reversed(ordered), reversed(points)):
        text = edit.text.encode("utf-8")
        newlines = text.count(b"\n")
        new_end = (start[0] + newlines, len(text) - text.rfind(b"\n") - 1) if newlines \
            else (start[0], start[1] + len(text))
        tree.edit(edit.start, edit.end, edit.start + len(text), start[:2], end[:2], new_end)
    from corpusforge.transform.parsing import parser

    return _Pass(source, p.grammar, p.pack, parser(p.grammar).parse(source, tree), p.aliases)


def _words(source: bytes, edits: list[Edit]) -> set[str]:
    """The identifier-like words the edits remove from ``source`` or write."""
    out: set[str] = set()
    for edit in edits:
        out.update(WORD.findall(source[edit.start:edit.end].decode("utf-8", "replace")))
        out.update(WORD.findall(edit.text))
    return out


def _alias_triggers(source: bytes, tables: Mapping[str, Table], words: Iterable[bytes]) -> frozenset[bytes]:
    """Trigger words a file holds through its package's re-exporting modules: the module and
    the name behind each re-exported name the file spells (`useS` re-exporting react's
    `useState` stands for `react` and `useState`)."""
    out: set[bytes] = set()
    for table in tables.values():
        for exported, (module, imported) in table.items():
            if exported != "default" and not has_word(source, exported.encode("utf-8")):
                continue
            out.add(module.encode("utf-8"))
            if imported not in ("*", "default"):
                out.add(imported.split(".")[0].encode("utf-8"))
    return frozenset(out.intersection(words))


def _trigger(symbol: Symbol) -> tuple[bytes, ...]:
    """Words every file referring to ``symbol`` contains: its module and the first name of
    its path (`Component` of react's `Component`: an alias is imported by that name, a
    namespace reaches it by that name), or the global's name."""
    if not symbol.module:
        return (symbol.path.split(".")[0].encode("utf-8"),)
    head = symbol.path.split(".")[0]
    if head in ("", "*", "default"):
        return (symbol.module.encode("utf-8"),)
    return symbol.module.encode("utf-8"), head.encode("utf-8")


def _matcher_triggers(matcher: Matcher) -> list[tuple[bytes, ...]]:
    """Alternatives of strings a file must all contain for the matcher to match: one per
    pattern (the `uses` names that pattern mentions), or all `uses` of a query together with
    the text its predicates require (:func:`query_literals`)."""
    if matcher.query is not None or matcher.context is not None:
        needed = {t for u in matcher.uses.values() for t in _trigger(u.symbol())}
        literals = query_literals(matcher.query) if matcher.query is not None else []
        single = {a[0].encode("utf-8") for a in literals if len(a) == 1}
        several = [a for a in literals if len(a) > 1]
        if len(several) > 1:
            several = several[:1]  # keep the form "any of these, plus all of those"
        base = tuple(sorted(needed | single))
        if not several:
            return [base]
        return [tuple(sorted(set(base) | {alt.encode("utf-8")})) for alt in several[0]]
    out = []
    for text in matcher.patterns():
        names = set(WORD.findall(text))
        out.append(tuple(sorted({t for k, u in matcher.uses.items() if k in names for t in _trigger(u.symbol())})))
    return out


def _indexed_words(pack: RulePack) -> tuple[bytes, ...]:
    """:data:`INDEXED_WORDS` and the names of the globals the pack's matchers use."""
    matchers = [m for m in [*pack.rules, *pack.constraints] if not isinstance(m, (RenameRule, ModuleRule))]
    globals_ = {_trigger(u.symbol())[0] for m in matchers for u in m.uses.values() if not u.symbol().module}
    return INDEXED_WORDS + tuple(sorted(globals_ - set(INDEXED_WORDS)))


# The keyword a declaration of each kind is written with: a `where: {X: {declared_as: catch}}`
# capture can only match in a file that holds `catch`.
_DECLARATION_KEYWORDS = {"catch": b"catch", "class": b"class", "enum": b"enum", "const": b"const",
                         "let": b"let", "var": b"var", "function": b"function", "import": b"import",
                         "require": b"require"}


def _match_keywords(matcher: Matcher) -> tuple[bytes, ...]:
    """Words a file must also hold for the matcher to match (not to be counted unsupported:
    a leftover `console.error(x)` outside any `catch` still counts for the catch rules)."""
    out = set()
    for cond in (matcher.where or {}).values():
        kinds = cond.declared_as or []
        if len(kinds) == 1 and kinds[0] in _DECLARATION_KEYWORDS:
            out.add(_DECLARATION_KEYWORDS[kinds[0]])
    return tuple(sorted(out))


_STATEMENT_KINDS = {"import_statement": "import", "export_statement": "export"}


def _module_statements(p: _Pass, module: str) -> list[tuple[str, ts.Node, ts.Node]]:
    """(kind, statement, source string) of the file's top-level imports and re-exports from
    ``module``, in order: found where the quoted name occurs, not by a walk of every
    top-level statement. Kept per pass."""
    cached = p.module_statements.get(module)
    if cached is not None:
        return cached
    root = p.tree.root_node
    found = []
    for quote in (b"'", b'"'):
        needle = quote + module.encode("utf-8") + quote
        at = p.source.find(needle)
        while at != -1:
            node = root.descendant_for_byte_range(at, at + len(needle))
            statement = node.parent if node is not None and node.type == "string" else None
            kind = _STATEMENT_KINDS.get(statement.type) if statement is not None else None
            if kind is not None and (parent := statement.parent) is not None and parent.id == root.id \
                    and statement.child_by_field_name("source") == node:
                found.append((kind, statement, node))
            at = p.source.find(needle, at + 1)
    found.sort(key=lambda f: f[1].start_byte)
    p.module_statements[module] = found
    return found


def _conflict(names: tuple[str, ...], site: ts.Node, bindings: Bindings, pack: RulePack) -> str | None:
    """The first framework name that ``site`` would see bound to something else."""
    for name in names:
        spec = pack.import_for(name)
        binding = bindings.lookup(name, site, EITHER)
        if binding is not None and not (binding.module == spec.from_ and binding.imported == (spec.name or name)):
            return name
    return None


class Engine:
    """Applies one rule pack; build once per worker and reuse for every document."""

    def __init__(self, pack: RulePack, max_passes: int = MAX_PASSES, partial: str = "keep") -> None:
        if partial not in ("keep", "revert"):
            raise ValueError(f"partial must be 'keep' or 'revert', not {partial!r}")
        self.pack = pack
        self.max_passes = max_passes
        self.partial = partial
        self.renames: dict[tuple[str, str], tuple[RenameRule, str, set[str]]] = {}
        for rule in pack.rules:
            if isinstance(rule, RenameRule):
                for old, new in rule.mapping().items():
                    self.renames.setdefault((rule.module, old), (rule, new, rule.positions()))
        # A rule can only apply to a file containing all of its trigger strings (the module it
        # targets, the globals its pattern uses): checked on the bytes before any analysis.
        self.triggers: dict[str, list[tuple[bytes, ...]]] = {}
        for rule in pack.rules:
            if isinstance(rule, RenameRule):
                self.triggers[rule.id] = [(rule.module.encode("utf-8"),)]
            elif isinstance(rule, ModuleRule):
                self.triggers[rule.id] = [(rule.from_.encode("utf-8"),)]
            else:
                self.triggers[rule.id] = _matcher_triggers(rule)
        self.constraint_triggers = {c.name: _matcher_triggers(c) for c in pack.constraints}
        self.keywords = {r.id: k for r in pack.rules if isinstance(r, PatternRule) and (k := _match_keywords(r))}
        grouped: dict[tuple[tuple[bytes, ...], ...], list[str]] = {}
        for rule_id, alternatives in self.triggers.items():
            grouped.setdefault(tuple(alternatives), []).append(rule_id)
        self._rules_by_triggers = [(list(k), tuple(v)) for k, v in grouped.items()]
        self._all_triggers = WordSet(
            [t for alternatives in [*self.triggers.values(), *self.constraint_triggers.values()]
             for needed in alternatives for t in needed] + [k for ks in self.keywords.values() for k in ks],
            indexed=_indexed_words(pack))
        # The rules and constraints possible in a file follow from the triggers it holds:
        # worked out once per distinct set of triggers.
        self._possible_by_present: dict[frozenset[bytes], tuple[frozenset[str], tuple[Matcher, ...]]] = {}
        self.framework_triggers = tuple(m.encode("utf-8") for m in pack.framework.modules)
        self.rename_ids = tuple(r.id for r in pack.rules if isinstance(r, RenameRule))
        self._rename_id_set = frozenset(self.rename_ids)
        self.rename_modules = frozenset(r.module for r in pack.rules if isinstance(r, RenameRule))
        # The first name of each renamed path, by module: an import of any other name
        # (`forwardRef` where only hooks are renamed) cannot reach a rename.
        self.rename_heads: dict[str, frozenset[str]] = {}
        for module, path in self.renames:
            self.rename_heads[module] = self.rename_heads.get(module, frozenset()) | {path.split(".")[0]}
        # The pack's rules as steps of a pass, in order (every rename rule runs in the
        # first rename step: their references are walked once), and the rules the leftover
        # count looks at, so that a pass need not sort the pack out for every file.
        self._steps: list[tuple[str, Rule]] = []
        for rule in pack.rules:
            if isinstance(rule, RenameRule):
                if not any(kind == "rename" for kind, _ in self._steps):
                    self._steps.append(("rename", rule))
            elif isinstance(rule, ModuleRule):
                self._steps.append(("module", rule))
            elif isinstance(rule, PatternRule):
                self._steps.append(("pattern", rule))
        self._counted_patterns = [r for r in pack.rules if isinstance(r, PatternRule) and r.count_unsupported]
        # Grammar -> each counted pattern rule's head symbols (they depend on the pattern only).
        self._heads: dict[str, list[tuple[str, set[Symbol]]]] = {}
        self._leftover_rules = [r for r in pack.rules if isinstance(r, (ModuleRule, DetectRule))]
        # The query matchers a pass runs together (_group_queries); queries with a required
        # literal run only around its occurrences, on their own.
        self._groupable_rules = [r for r in pack.rules if isinstance(r, (PatternRule, DetectRule))
                                 and r.query is not None and not query_literals(r.query)]
        self._groupable_constraints = {id(c) for c in pack.constraints if c.query is not None
                                       and not query_literals(c.query)}
        self.kept = KeptImports(pack, self.renames)

    def _present(self, p: _Pass) -> frozenset[bytes]:
        """The trigger strings the pass's source holds as whole words (one scan per pass)."""
        if p.present is None:
            p.present, offsets = self._scan(p.source, p.aliases)
            if p.doc.word_offsets is None:
                p.doc.word_offsets, p.doc.indexed_words = offsets, self._all_triggers.indexed
        return p.present

    def _triggers_in(self, source: bytes, aliases: Resolver | None) -> frozenset[bytes]:
        """The trigger strings ``source`` holds as whole words, with those it takes through
        its origin's re-exporting modules."""
        return self._scan(source, aliases)[0]

    def _scan(self, source: bytes, aliases: Resolver | None) -> tuple[frozenset[bytes], dict[bytes, list[int]]]:
        """:meth:`_triggers_in`, and where the words the scope analysis looks up first occur."""
        present, offsets = self._all_triggers.scan(source)
        if aliases is not None:
            present = present | _alias_triggers(source, aliases.tables, self._all_triggers.words)
        return present, offsets

    def _group_queries(self, p: _Pass) -> None:
        """Let the pass run every query matcher it may need (rules and constraints whose
        triggers occur) as one query, the first time one of them is asked for."""
        if p.queries_grouped:
            return
        p.queries_grouped = True
        possible = self._possible_rules(p)
        group: list[Matcher] = [r for r in self._groupable_rules if r.id in possible]
        group += [c for c in self._possible_constraints(p) if id(c) in self._groupable_constraints]
        if len(group) > 1:
            p.doc.query_group = group

    def _possibilities(self, p: _Pass) -> tuple[frozenset[str], tuple[Matcher, ...]]:
        """The rules and the constraints whose trigger strings all occur in the pass's source
        (kept per pass; worked out once per distinct set of triggers present)."""
        if p.possible is None:
            p.possible = self._woken(self._present(p))
        return p.possible

    def _woken(self, present: frozenset[bytes]) -> tuple[frozenset[str], tuple[Matcher, ...]]:
        found = self._possible_by_present.get(present)
        if found is None:
            rules = frozenset(rule_id for alternatives, rule_ids in self._rules_by_triggers
                              if any(present.issuperset(needed) for needed in alternatives)
                              for rule_id in rule_ids)
            constraints = tuple(c for c in self.pack.constraints if any(
                present.issuperset(needed) for needed in self.constraint_triggers[c.name]))
            found = self._possible_by_present[present] = (rules, constraints)
        return found

    def woken(self, source: str | bytes, path: str = "",
              aliases: Mapping[str, Table] | None = None) -> tuple[frozenset[str], tuple[str, ...]]:
        """The rule ids and constraint names whose trigger words ``source`` holds: what a
        rewrite of it would try (the rest it skips without looking). Text only, no parse.
        ``path`` and ``aliases`` as for :meth:`rewrite`: a name the file takes from its
        package's re-exporting modules counts as the module and name behind it."""
        data = source.encode("utf-8") if isinstance(source, str) else source
        rules, constraints = self._woken(self._triggers_in(data, resolver(path, aliases)))
        return rules, tuple(c.name for c in constraints)

    def _possible_rules(self, p: _Pass) -> frozenset[str]:
        return self._possibilities(p)[0]

    def _possible_constraints(self, p: _Pass) -> tuple[Matcher, ...]:
        return self._possibilities(p)[1]

    # -- one pass -----------------------------------------------------------------------

    def _rename_edits(self, p: _Pass, diagnostics: list[Diagnostic]) -> list[Edit]:
        edits: list[Edit] = []
        if not self._possible_rules(p).intersection(self.rename_ids):
            return edits
        names = {b.name for b in p.bindings.bindings if self._may_rename(b)}
        for ref, space in p.bindings.references_of(names):
            binding = p.bindings.binding_of(ref)
            if binding is None or binding.module not in self.rename_modules:
                continue  # renames target module exports only: skip locals and globals early
            if space == EITHER and (parent := ref.parent) is not None and parent.type == "export_specifier":
                continue  # `export { useState }`: a name, not an expression; left as is
            for node in member_chain(ref):
                symbol = p.bindings.resolve(node)
                if symbol is None:
                    break
                found = self.renames.get((symbol.module, symbol.path))
                if found is None:
                    continue
                rule, new, positions = found
                # `React.JSX` of `React.JSX.Element` (a nested_identifier) is a type path too.
                position = "type" if (space == TYPE or node.type in ("nested_type_identifier", "nested_identifier")) \
                    else "value"
                if position not in positions:
                    break
                conflict = _conflict(tuple(rule.imports), node, p.bindings, self.pack)
                if conflict is not None:
                    diagnostics.append(Diagnostic("name_conflict", f"`{conflict}` is bound locally",
                                                  rule.id, node.start_point[0] + 1))
                    break
                text = rule.to.replace("{name}", new)
                if node.type == "shorthand_property_identifier":
                    text = f"{node.text.decode()}: {text}"
                edits.append(Edit(node.start_byte, node.end_byte, text, rule.id, tuple(rule.imports)))
                break
        return edits

    def _may_rename(self, binding: Binding) -> bool:
        """The binding (an import or require) may start a chain a rename rule rewrites."""
        heads = self.rename_heads.get(binding.module) if binding.module is not None else None
        return heads is not None and (binding.imported in ("*", "default") or binding.imported in heads)

    def _module_edits(self, rule: ModuleRule, p: _Pass) -> list[Edit]:
        edits: list[Edit] = []
        if self._blocked(rule, p) is not None:
            return edits
        mapping = rule.mapping()
        for kind, statement, source in _module_statements(p, rule.from_):
            if kind not in rule.statements:
                continue
            planned = self._module_statement(rule, statement, mapping)
            if planned is None:
                continue
            fragment = source.named_children[0] if source.named_children else None
            if fragment is None:
                continue
            edits.append(Edit(fragment.start_byte, fragment.end_byte, rule.to, rule.id))
            edits += planned
        return edits

    def _blocked(self, rule: ModuleRule, p: _Pass) -> Match | None:
        """The first match of the rule's ``unless`` shapes in the file (its declarations then
        stay as they are), or None. Kept per pass."""
        if rule.id not in p.blocked:
            p.blocked[rule.id] = next((found for guard in rule.unless
                                       if (found := next(iter(find_matches(guard, self.pack, p.doc)), None))), None)
        return p.blocked[rule.id]

    def _module_statement(self, rule: ModuleRule, statement: ts.Node,
                          mapping: dict[str, str] | None) -> list[Edit] | None:
        """Specifier edits for one statement, or None when a name has no counterpart."""
        edits: list[Edit] = []
        specs: list[ts.Node] = []
        for node in statement.named_children:
            if node.type == "import_clause":
                for part in node.named_children:
                    if part.type == "identifier" and not rule.default:
                        return None
                    if part.type == "namespace_import" and not rule.namespace:
                        return None
                    if part.type == "named_imports":
                        specs += [s for s in part.named_children if s.type == "import_specifier"]
            elif node.type == "export_clause":
                specs += [s for s in node.named_children if s.type == "export_specifier"]
        if statement.type == "export_statement" and not specs and mapping is not None:
            return None  # export * needs every name to exist in the target
        for spec in specs:
            name = spec.child_by_field_name("name")
            old = name.text.decode()
            if mapping is None:
                continue
            if old not in mapping:
                return None
            new = mapping[old]
            if new != old:
                alias = spec.child_by_field_name("alias")
                edits.append(Edit(name.start_byte, name.end_byte,
                                  new if alias is not None else f"{new} as {old}", rule.id))
        return edits

    def _pattern_edits(self, rule: PatternRule, p: _Pass, context: dict[str, str],
                       diagnostics: list[Diagnostic]) -> list[Edit]:
        edits = []
        if rule.query is not None:
            self._group_queries(p)
        for m in find_matches(rule, self.pack, p.doc):
            conflict = _conflict(tuple(rule.imports), m.node, p.bindings, self.pack)
            if conflict is not None:
                diagnostics.append(Diagnostic("name_conflict", f"`{conflict}` is bound locally",
                                              rule.id, m.node.start_point[0] + 1))
                continue
            node = m.node
            if rule.query is not None and rule.capture is not None:
                node = m.captures[rule.capture]  # type: ignore[assignment]
            start = m.start_byte if node is m.node else node.start_byte
            text = render_template(rule.fix, m, p.doc, context)
            if text.encode("utf-8") == p.source[start:node.end_byte]:
                continue
            edits.append(Edit(start, node.end_byte, text, rule.id, tuple(rule.imports)))
        return edits

    def _edits(self, p: _Pass, context: dict[str, str], diagnostics: list[Diagnostic]) -> list[Edit]:
        """All non-overlapping edits of one pass, earlier rules first."""
        possible = self._possible_rules(p)
        if not possible:
            return []
        candidates: list[Edit] = []
        for kind, rule in self._steps:
            if kind == "rename":
                candidates += self._rename_edits(p, diagnostics)
            elif rule.id not in possible:
                continue
            elif kind == "module":
                candidates += self._module_edits(rule, p)  # type: ignore[arg-type]
            elif self._present(p).issuperset(self.keywords.get(rule.id, ())):
                candidates += self._pattern_edits(rule, p, context, diagnostics)  # type: ignore[arg-type]
        accepted: list[Edit] = []
        for edit in candidates:
            if all(edit.end <= a.start or edit.start >= a.end for a in accepted
                   if not (edit.start == edit.end == a.start == a.end)):
                accepted.append(edit)
        return accepted

    # -- the whole file -----------------------------------------------------------------

    def rewrite(self, text: str, path: str, language: str | None = None,
                aliases: Mapping[str, Table] | None = None) -> RewriteResult:
        """Rewrite one file; see :func:`rewrite_source`."""
        grammar = grammar_for(path, language)
        source = text.encode("utf-8")
        result = RewriteResult(path=path, grammar=grammar, original=text, text=text)
        first = _Pass(source, grammar, self.pack, aliases=resolver(path, aliases))
        errors = parse_errors(first.tree)
        result.parse_errors_before = errors.total
        if errors.total:
            result.parse_errors_after = errors.total
            result.reject_reason = "parse_error"
            result.diagnostics.append(Diagnostic(
                "parse_error", f"{errors.errors} ERROR and {errors.missing} MISSING nodes",
                line=errors.first_line))
            return result
        if not self._possible_rules(first):
            # No rule's trigger words occur: no rule can match or leave anything to count,
            # so the passes below would keep the file as written.
            result.stable = True
            self._count_framework_and_constraints(first, result)
            return result
        if self.partial == "revert":
            self._group_queries(first)
            kept = self.kept.find(first.doc, self._possible_rules(first))
            if kept is not None:
                return self._keep_as_written(first, result, kept)
        context = _context(path)
        fired: Counter[str] = Counter()
        needed: list[str] = []
        touched: set[str] = set()
        current = first
        converged = False
        for _ in range(self.max_passes):
            edits = self._edits(current, context, result.diagnostics)
            if not edits:
                converged = True
                break
            result.passes += 1
            for edit in edits:
                fired[edit.rule] += 1
                needed += [n for n in edit.imports if n not in needed]
            touched.update(_words(current.source, edits))
            managed = self._imports_with_renames(current, first, edits, needed, touched)
            if managed is not None:  # one re-parse for the edits and the import management
                current = next_pass(current, edits + managed)
                continue
            current = next_pass(current, edits)
            # Imports are managed before the next pass, so that the pass which finds nothing
            # left to rewrite sees the final text: that pass is also the idempotence check.
            if current.bindings.has_jsx:
                needed += [n for n in self.pack.framework.jsx_imports if n not in needed]
            managed = import_edits(first.bindings, current.bindings, current.source, needed, self.pack,
                                   touched)
            if managed:
                current = next_pass(current, managed)
        if not converged and self._edits(current, context, []):
            result.diagnostics.append(Diagnostic(
                "not_converged", f"rules still match after {self.max_passes} passes"))
            result.reject_reason = "not_converged"
        # No rule matches the final text, so rewriting the output would return it as is.
        result.stable = converged
        result.text = current.source.decode("utf-8")
        result.rules_fired = dict(sorted(fired.items()))
        after = parse_errors(current.tree)
        result.parse_errors_after = after.total
        if after.total > result.parse_errors_before:
            result.reject_reason = "reparse_failed"
            result.diagnostics.append(Diagnostic(
                "reparse_failed", f"the output has {after.total} ERROR/MISSING nodes", line=after.first_line))
            return result
        self._count_unsupported(current, result)
        if self.partial == "revert" and result.unsupported and result.changed:
            # Half-converted code would teach a model to mix both APIs: keep the original.
            result.diagnostics.append(Diagnostic(
                "reverted", f"{sum(fired.values())} edit(s) undone: {sum(result.unsupported.values())} "
                "unsupported use(s) remain"))
            result.text, result.rules_fired, current, result.stable = text, {}, first, True
        self._count_framework_and_constraints(current, result)
        return result

    def _imports_with_renames(self, p: _Pass, first: _Pass, edits: list[Edit], needed: list[str],
                              touched: set[str]) -> list[Edit] | None:
        """The import edits for a pass whose edits only rename references below the imports,
        worked out on the pass's own analysis with the references inside the edits taken as
        gone, so that the edits and the import management are applied and re-parsed once.
        None when the edits may do more (then the imports are managed on the re-parsed text,
        with the same result): a rule other than a rename, JSX written, a name written that
        refers to an import, or an edit on a line of an import or require statement or above
        one (the import edits would meet it)."""
        if not all(e.rule in self._rename_id_set for e in edits) or any("<" in e.text for e in edits):
            return None
        b = p.bindings
        b.declare_imports(touched)
        imported = {x.name for x in b.bindings if x.is_import}
        for e in edits:
            # A name after a `.` is a member, not a reference (`DFrame.useState`).
            if any(m.group() in imported and (m.start() == 0 or e.text[m.start() - 1] != ".")
                   for m in WORD.finditer(e.text)):
                return None
        ends = [n.end_byte for n in p.tree.root_node.named_children if n.type == "import_statement"]
        ends += [x.statement.end_byte for x in b.bindings if x.is_import and x.statement is not None]
        if not ends:
            return None
        newline = p.source.find(b"\n", max(ends))
        if newline == -1 or min(e.start for e in edits) <= newline:
            return None
        if b.has_jsx:  # as the re-parsed text would: the edits write no JSX and remove none
            needed += [n for n in self.pack.framework.jsx_imports if n not in needed]
        return import_edits(first.bindings, b, p.source, needed, self.pack, touched,
                            replaced=[(e.start, e.end) for e in edits])

    def _keep_as_written(self, p: _Pass, result: RewriteResult, kept: Kept) -> RewriteResult:
        """The result for a file ``partial: revert`` is sure to keep as it is (see
        :mod:`corpusforge.transform.kept`): no rule is tried; the module and detect rules'
        leftovers, the framework calls and the constraints are those of its text."""
        result.diagnostics.append(Diagnostic(
            "reverted", f"kept as written: `{kept.reference}` from '{kept.module}' has no rule and keeps "
            f"its import ({kept.rule}); the rules were not tried", kept.rule, kept.line))
        result.stable = result.kept_as_written = True
        self._count_unsupported(p, result, references=False)
        self._count_framework_and_constraints(p, result)
        return result

    def _count_framework_and_constraints(self, p: _Pass, result: RewriteResult) -> None:
        """The framework calls and the constraints of the pass's text (the output's)."""
        if any(t in p.source for t in self.framework_triggers):
            result.framework_calls = count_framework_calls(p.bindings, self.pack)
        self._check_constraints(p, result)

    def _count_unsupported(self, p: _Pass, result: RewriteResult, references: bool = True) -> None:
        """Count what the rules target but could not rewrite, by rule (``references=False``:
        only the module and detect rules' leftovers, for a file no rule was tried on)."""
        possible = self._possible_rules(p)
        if not possible:
            result.unsupported = {}
            return
        unsupported: Counter[str] = Counter()
        if not references:
            self._count_leftovers(p, possible, unsupported, result, untried=True)
            result.unsupported = dict(sorted(unsupported.items()))
            return
        heads: dict[Symbol, str] = {}
        rule_heads = self._heads.get(p.grammar)
        if rule_heads is None:
            rule_heads = self._heads[p.grammar] = [
                (rule.id, head_symbols(rule, self.pack, p.doc)) for rule in self._counted_patterns]
        for rule_id, symbols in rule_heads:
            if rule_id in possible:
                for symbol in symbols:
                    heads.setdefault(symbol, rule_id)
        head_modules = {s.module for s in heads if s.module}
        modules = self.rename_modules | head_modules
        globals_ = {s.path.split(".")[0] for s in heads if not s.module} | set(GLOBAL_OBJECTS)
        references = p.bindings.references_of(
            {b.name for b in p.bindings.bindings if b.module in head_modules or self._may_rename(b)} | globals_
        ) if (heads or possible.intersection(self.rename_ids)) else []
        for ref, _ in references:
            binding = p.bindings.binding_of(ref)
            if binding is None:
                if ref.text.decode("utf-8", "replace") not in globals_:
                    continue
            elif binding.module not in modules:
                continue
            resolved = []
            for node in member_chain(ref):
                symbol = p.bindings.resolve(node)
                if symbol is None:
                    break
                resolved.append((node, symbol))
            outermost = resolved[-1][0] if resolved else None
            for node, symbol in resolved:
                found = self.renames.get((symbol.module, symbol.path))
                # Renames count at any depth (`React.Children.map`), pattern heads only as the
                # whole reference (`axios.isAxiosError` is no leftover `axios.get`).
                rule_id = found[0].id if found else (heads.get(symbol) if node == outermost else None)
                if rule_id is not None:
                    unsupported[rule_id] += 1
                    result.diagnostics.append(Diagnostic(
                        "unsupported", f"`{node.text.decode('utf-8', 'replace')[:60]}` left as is",
                        rule_id, node.start_point[0] + 1))
                    break
        self._count_leftovers(p, possible, unsupported, result)
        result.unsupported = dict(sorted(unsupported.items()))

    def _count_leftovers(self, p: _Pass, possible: frozenset[str], unsupported: Counter[str],
                         result: RewriteResult, untried: bool = False) -> None:
        """The module rules' statements left and the detect rules' matches (``untried``: in
        a text the rules were not tried on, only the statements a module rule would keep)."""
        for rule in self._leftover_rules:
            if rule.id not in possible:
                continue
            if isinstance(rule, ModuleRule):
                statements = [(kind, s) for kind, s, _ in _module_statements(p, rule.from_) if kind in rule.statements]
                blocked = self._blocked(rule, p) if statements else None
                if untried and blocked is None:
                    mapping = rule.mapping()
                    statements = [(kind, s) for kind, s in statements
                                  if self._module_statement(rule, s, mapping) is None]
                why = (f"has names `{rule.to}` lacks" if blocked is None else
                       f"kept: `{blocked.node.text.decode('utf-8', 'replace')[:60]}` (line "
                       f"{blocked.node.start_point[0] + 1}) has no counterpart in `{rule.to}`")
                for kind, statement in statements:
                    unsupported[rule.id] += 1
                    result.diagnostics.append(Diagnostic(
                        "unsupported", f"{kind} from '{rule.from_}' {why}", rule.id, statement.start_point[0] + 1))
            elif isinstance(rule, DetectRule):
                if rule.query is not None:
                    self._group_queries(p)
                for m in find_matches(rule, self.pack, p.doc):
                    unsupported[rule.id] += 1
                    result.diagnostics.append(Diagnostic(
                        "unsupported", rule.message or rule.description or "detected", rule.id,
                        m.node.start_point[0] + 1))

    def _check_constraints(self, p: _Pass, result: RewriteResult) -> None:
        for constraint in self._possible_constraints(p):
            if constraint.query is not None:
                self._group_queries(p)
            matches = list(find_matches(constraint, self.pack, p.doc))
            if not matches:
                continue
            result.constraints[constraint.name] = len(matches)
            action = constraint.otherwise if constraint.action == "fix" else constraint.action
            result.diagnostics.append(Diagnostic(
                "constraint", f"{constraint.name}: {len(matches)} match(es), action {action}",
                line=matches[0].node.start_point[0] + 1))
            if action == "reject" and result.reject_reason is None:
                result.reject_reason = f"constraint:{constraint.name}"
            elif action == "tag":
                result.tags.append(constraint.name)




def count_framework_calls(bindings: Bindings, pack: RulePack) -> int:
    """Calls, `new` expressions and JSX elements whose callee resolves into a framework module."""
    modules = pack.framework.modules

    def framework(node: ts.Node | None) -> bool:
        if node is None:
            return False
        if node.type in ("await_expression", "unary_expression") and node.named_child_count == 1:
            node = node.named_children[0]  # `await f<T>(x)` parses with `await f` as the callee
        symbol = bindings.resolve(node)
        return symbol is not None and any(symbol.module == m or symbol.module.startswith(m + "/")
                                          for m in modules)

    # Every callee that resolves into a framework module is a chain rooted at a reference
    # to a framework import: walk those chains instead of every call in the file.
    names = {b.name for b in bindings.bindings if b.module is not None
             and any(b.module == m or b.module.startswith(m + "/") for m in modules)}
    count = 0
    for ref, _ in bindings.references_of(names):
        # Only the end of a chain can be a callee: every node before it is the object of
        # the next member access.
        node = member_chain(ref)[-1]
        if _callee_position(node) and framework(node):
            count += 1
    return count


_CALLEE_FIELDS = {"call_expression": "function", "new_expression": "constructor",
                  "jsx_opening_element": "name", "jsx_self_closing_element": "name"}


def _callee_position(node: ts.Node) -> bool:
    """``node`` is what a call, `new` or JSX element calls (`await f` as a callee included)."""
    parent = node.parent
    if parent is None:
        return False
    field_name = _CALLEE_FIELDS.get(parent.type)
    if field_name is not None and parent.child_by_field_name(field_name) == node:
        return True
    if parent.type in ("await_expression", "unary_expression") and parent.named_child_count == 1:
        outer = parent.parent
        field_name = _CALLEE_FIELDS.get(outer.type) if outer is not None else None
        return field_name is not None and outer.child_by_field_name(field_name) == parent
    return False


_ENGINES: dict[tuple[int, str], Engine] = {}


def rewrite_source(text: str, path: str, rulepack: RulePack, language: str | None = None,
                   partial: str = "keep", aliases: Mapping[str, Table] | None = None) -> RewriteResult:
    """Rewrite one source text with a rule pack: the new text, the rules that fired, what was
    left unsupported, constraint matches, diagnostics and the framework call count.

    ``partial="revert"`` keeps the original text when anything the pack targets is left
    unsupported (the stage's default: no half-converted files in the corpus). ``aliases``:
    the file's package's own modules that re-export a targeted module, by module key
    (:mod:`corpusforge.transform.aliases`; paths relative to the package root, like ``path``)."""
    key = (id(rulepack), partial)
    engine = _ENGINES.get(key)
    if engine is None or engine.pack is not rulepack:
        engine = _ENGINES[key] = Engine(rulepack, partial=partial)
    return engine.rewrite(text, path, language, aliases)
