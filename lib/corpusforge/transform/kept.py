"""Files that ``partial: revert`` will keep as written, known before the rewrite runs.

A name imported (or required) that no rule rewrites (`useSyncExternalStore` when the pack
maps only the hooks DFrame has, `jsx` of `react/jsx-runtime`) and that the file uses stays
where it is; so does its import. When one of the pack's detect rules counts that
import (``react-import-left``), the rewritten file is certain to have something left
unsupported, and ``partial: revert`` certain to put the original back. Finding that first
spares the passes, the re-parses, the import management and the idempotence pass: on real
code the reverted files held half of the engine's work beyond the parse (docs/TRANSFORM.md,
round (8)).

The decision is made only where it is sure. Every way a rule could rewrite or remove the
name's reference or its import is ruled out: a rename of any link of the reference's chain,
a module rule that may move its statement, a pattern rule that names the module, spells the
name or drops part of what it matches, a query rule with a fix. The detect rule must count
the import in the file as it is and in the import reduced to that one name (import
management may drop the statement's other names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter as ts

from corpusforge.transform.bindings import Binding, Bindings, member_chain
from corpusforge.transform.matching import Document, find_matches
from corpusforge.transform.parsing import parse
from corpusforge.transform.rulepack import DetectRule, ModuleRule, PatternRule, RulePack

_CAPTURE = re.compile(r"\$(?:\$\$)?([A-Z_][A-Z0-9_]*)")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_MINIMAL_CACHE = 4096


@dataclass(frozen=True)
class Kept:
    """Why a file will be kept as written: a reference no rule rewrites and the rule that
    counts its import."""

    reference: str  # the reference's text, cut to 60 characters
    line: int  # 1-based line of the reference
    module: str
    rule: str  # the detect rule counting the import


def _within(node: ts.Node, outer: ts.Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


class KeptImports:
    """Finds, in a parsed file, an import the rewrite will leave with something the pack's
    detect rules count. Build once per engine; the answers hold for any text."""

    def __init__(self, pack: RulePack, renames: dict[tuple[str, str], object]) -> None:
        self.pack = pack
        self.renamed = frozenset(renames)
        self.rename_modules = frozenset(module for module, _ in renames)
        self.detects = [r for r in pack.rules if isinstance(r, DetectRule)]
        self.module_rules = [r for r in pack.rules if isinstance(r, ModuleRule)]
        # Pattern rule id -> (whether it may rewrite around a kept name at all, the words its
        # patterns spell, the modules its symbols come from).
        self.patterns: dict[str, tuple[bool, frozenset[str], frozenset[str]]] = {}
        for rule in pack.rules:
            if not isinstance(rule, PatternRule):
                continue
            texts = rule.patterns() + ([rule.context] if rule.context else [])
            captured = {c for t in texts for c in _CAPTURE.findall(t)}
            # A query rule's fix may replace anything its query spans; a template that drops
            # a capture drops whatever the capture held.
            keeps_all = rule.query is None and captured <= set(_CAPTURE.findall(rule.fix))
            words = frozenset(w for t in texts for w in _WORD.findall(_CAPTURE.sub(" ", t)))
            modules = frozenset(s.module for s in rule.uses.values() if s.module is not None)
            self.patterns[rule.id] = (keeps_all, words, modules)
        # (rule, grammar, reduced import) -> whether the rule counts it; local names vary
        # without end in minified code, so the cache is dropped when it grows past a bound.
        self._minimal: dict[tuple[str, str, str], bool] = {}

    def find(self, doc: Document, possible: frozenset[str]) -> Kept | None:
        """The first import of ``doc`` sure to stay and be counted, or None (``possible``: the
        ids of the rules the file's trigger words wake)."""
        detects = [r for r in self.detects if r.id in possible]
        if not detects:
            return None
        bindings = doc.bindings
        for binding in bindings.bindings:
            if binding.module is None or binding.statement is None:
                continue
            if binding.module in self.rename_modules:
                # A module the renames target: its names' references are analysed anyway,
                # and a file whose references are all renamed (most that are rewritten)
                # is settled without running the detect query on a text about to change.
                if not self._untouched_statement(binding, possible):
                    continue
                reference = self._unrenamed_reference(binding, bindings)
                rule = self._counted_by(binding, doc, detects) if reference is not None else None
            else:
                # Elsewhere the detect rules' matches go first: they are kept per document
                # (the leftover count asks again), and an import they do not count needs
                # no analysis of its names.
                rule = self._counted_by(binding, doc, detects)
                if rule is None or not self._untouched_statement(binding, possible):
                    continue
                reference = self._unrenamed_reference(binding, bindings)
            if reference is not None and rule is not None:
                return Kept(reference.text.decode("utf-8", "replace")[:60], reference.start_point[0] + 1,
                            binding.module, rule)
        return None

    def _untouched_statement(self, binding: Binding, possible: frozenset[str]) -> bool:
        """No module rule may move the binding's statement, and no pattern rule may rewrite
        around its references."""
        is_import = binding.kind == "import"
        for rule in self.module_rules:
            if rule.id not in possible or rule.from_ != binding.module or not is_import \
                    or "import" not in rule.statements:
                continue
            if binding.imported == "*" and rule.namespace or binding.imported == "default" and rule.default:
                return False
            if binding.imported not in ("*", "default"):
                mapping = rule.mapping()
                if mapping is None or binding.imported in mapping:
                    return False
        for rule_id, (keeps_all, words, modules) in self.patterns.items():
            if rule_id in possible and (not keeps_all or binding.module in modules or binding.name in words):
                return False
        return True

    def _unrenamed_reference(self, binding: Binding, bindings: Bindings) -> ts.Node | None:
        """A reference to ``binding`` no link of whose chain a rename rule maps."""
        for ref, _ in bindings.references_of({binding.name}):
            if bindings.binding_of(ref) is not binding:
                continue
            for node in member_chain(ref):
                symbol = bindings.resolve(node)
                if symbol is None:
                    return ref
                if (symbol.module, symbol.path) in self.renamed:
                    break
            else:
                return ref
        return None

    def _counted_by(self, binding: Binding, doc: Document, detects: list[DetectRule]) -> str | None:
        """The id of a detect rule that counts the binding's import (or its `require`) both
        as it is and as it may be left, or None."""
        statement = binding.statement
        if binding.kind == "import":
            where: ts.Node | None = statement
        else:
            # A require: the declarator's value stays byte for byte while the name is used.
            where = binding.specifier.child_by_field_name("value") if binding.specifier is not None else None
        if where is None:
            return None
        for rule in detects:
            if not any(_within(m.node, where) for m in find_matches(rule, self.pack, doc)):
                continue
            if binding.kind != "import" or self._counts_minimal(rule, binding, doc):
                return rule.id
        return None

    def _counts_minimal(self, rule: DetectRule, binding: Binding, doc: Document) -> bool:
        """The rule also counts the import reduced to the binding's name alone."""
        source = binding.statement.child_by_field_name("source")
        if source is None:
            return False
        type_only = any(c.type == "type" for c in binding.statement.children)  # `import type {…}`
        keyword = "import type" if type_only else "import"
        name = binding.name
        clause = {"*": f"* as {name}", "default": name}.get(
            binding.imported or "", f"{{ {binding.imported} as {name} }}" if binding.imported != name else f"{{ {name} }}")
        text = f"{keyword} {clause} from {source.text.decode('utf-8', 'replace')};\n"
        key = (rule.id, doc.grammar, text)
        found = self._minimal.get(key)
        if found is None:
            if len(self._minimal) >= _MINIMAL_CACHE:
                self._minimal.clear()
            data = text.encode("utf-8")
            minimal = Document(data, parse(data, doc.grammar), doc.grammar, doc.namespace_defaults, doc.modules)
            found = self._minimal[key] = next(iter(find_matches(rule, self.pack, minimal)), None) is not None
        return found
