"""Load and validate a rule pack (``conf/rules/<pack>.yaml``); the format is docs/RULES.md.

A rule pack is data: the framework's modules and the names templates may import, the
source libraries' module quirks, the rewrite rules, the constraints and the domain
boundaries. Loading validates every field with pydantic and compiles every pattern and
query, so a broken rule fails at load time with the rule id and the file, not mid-job.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Literal

import tree_sitter as ts
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corpusforge.errors import ConfigError
from corpusforge.transform.bindings import Symbol
from corpusforge.transform.parsing import language, parse, parse_errors, walk

STAGE = "transform"
GRAMMARS = ("typescript", "tsx")
METAVAR = re.compile(r"^\$(?:\$\$)?(?:[A-Z_][A-Z0-9_]*)?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SymbolSpec(Strict):
    """An outside name: ``{module: axios}`` (default export), ``{module: react, name:
    useState}``, or ``{global: fetch}``."""

    module: str | None = None
    name: str = "default"
    global_: str | None = Field(None, alias="global")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_kind(self) -> SymbolSpec:
        if (self.module is None) == (self.global_ is None):
            raise ValueError("give exactly one of `module` or `global`")
        return self

    def symbol(self) -> Symbol:
        if self.global_ is not None:
            return Symbol("", self.global_)
        return Symbol(self.module or "", self.name)


class FrameworkImport(Strict):
    """A name a template may introduce, and the import that provides it."""

    from_: str = Field(alias="from")
    name: str | None = Field(None, description="Exported name; default: the key itself.")
    type: bool = Field(False, description="A type-only name (imported with `type`).")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Framework(Strict):
    """The target framework: its modules and the names rewrites may import."""

    modules: list[str] = Field(description="Calls into these modules count as framework calls.")
    imports: dict[str, FrameworkImport] = Field(default_factory=dict)
    jsx_imports: list[str] = Field(
        default_factory=list,
        description="Names a rewritten file that contains JSX must import (the JSX factory).")


class ModuleInfo(Strict):
    """What the engine must know about a source library module."""

    namespace_default: bool = Field(
        False, description="The default export is the module namespace: React.useState ≡ useState.")
    jsx_runtime: bool = Field(
        False, description="Its default/namespace import is what JSX needs (classic runtime); "
        "it is dropped when the framework's jsx_imports take over.")


class Where(Strict):
    """Conditions on one capture."""

    declared_as: list[str] | None = Field(
        None, description="The capture is an identifier bound by one of these declaration kinds "
        "(import, require, var, let, const, function, class, param, catch, type, enum).")
    kind: list[str] | None = Field(None, description="tree-sitter node types the capture may have.")
    regex: str | None = Field(None, description="The capture's text must match (re.search).")
    not_regex: str | None = None

    @field_validator("declared_as", "kind", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("regex", "not_regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value


class Matcher(Strict):
    """The matching half shared by pattern rules, detect rules and constraints."""

    pattern: str | list[str] | None = Field(None, description="Code pattern(s) with $CAPTURES.")
    context: str | None = Field(None, description="Code around the pattern when it is no whole "
                                "expression or statement; `selector` names the node type to match.")
    selector: str | None = None
    query: str | None = Field(None, description="A tree-sitter query (S-expression).")
    capture: str | None = Field(None, description="Query capture reported/replaced; default: the first.")
    uses: dict[str, SymbolSpec] = Field(
        default_factory=dict, description="Pattern identifiers (or query captures) that must "
        "resolve to these outside names instead of matching by text.")
    where: dict[str, Where] = Field(default_factory=dict)
    inside: list[str] = Field(default_factory=list, description="Match only inside these node types.")
    not_inside: list[str] = Field(default_factory=list, description="Never inside these node types.")

    @field_validator("inside", "not_inside", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def patterns(self) -> list[str]:
        if self.pattern is None:
            return []
        return [self.pattern] if isinstance(self.pattern, str) else list(self.pattern)

    def check_matcher(self) -> None:
        given = sum(x is not None for x in (self.pattern, self.context, self.query))
        if self.context is not None and self.selector is None:
            raise ValueError("`context` needs a `selector` (the node type to match)")
        if given != 1:
            raise ValueError("give exactly one of `pattern`, `context` (+ `selector`) or `query`")


class RenameRule(Strict):
    """Rewrite every reference to ``module``'s ``names`` (value and/or type positions)."""

    id: str
    kind: Literal["rename", "type"]
    description: str = ""
    module: str
    names: list[str] | dict[str, str]
    to: str = Field(description="Replacement; `{name}` is the target name.")
    in_: list[Literal["value", "type"]] = Field(default_factory=lambda: ["value", "type"], alias="in")
    imports: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def mapping(self) -> dict[str, str]:
        return dict(self.names) if isinstance(self.names, dict) else {n: n for n in self.names}

    def positions(self) -> set[str]:
        return {"type"} if self.kind == "type" else set(self.in_)


class Guard(Matcher):
    """A code shape (pattern or query, as in a detect rule) that blocks a module rule."""

    @model_validator(mode="after")
    def _valid(self) -> Guard:
        self.check_matcher()
        return self


class ModuleRule(Strict):
    """Point import/export declarations of ``from`` at ``to`` when every name is supported."""

    id: str
    kind: Literal["module"]
    description: str = ""
    from_: str = Field(alias="from")
    to: str
    names: list[str] | dict[str, str] | None = Field(
        None, description="Names that exist in `to` (a mapping renames them); None: all names.")
    default: bool = Field(False, description="Default imports may be remapped too.")
    namespace: bool = Field(False, description="Namespace imports may be remapped too.")
    statements: list[Literal["import", "export"]] = Field(default_factory=lambda: ["import", "export"])
    unless: list[Guard] = Field(
        default_factory=list, description="Shapes `to` has no counterpart for (a DOM property on what "
        "`from`'s API returns): a file holding a match keeps its declarations of `from` as they are.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def mapping(self) -> dict[str, str] | None:
        if self.names is None:
            return None
        return dict(self.names) if isinstance(self.names, dict) else {n: n for n in self.names}


class PatternRule(Matcher):
    """Replace each match of a pattern with a template over its captures."""

    id: str
    kind: Literal["pattern"]
    description: str = ""
    fix: str
    imports: list[str] = Field(default_factory=list)
    count_unsupported: bool = Field(
        True, description="Count leftover uses of the pattern's head name under this rule; "
        "false for special cases of a more general rule, which then gets the count.")

    @model_validator(mode="after")
    def _valid(self) -> PatternRule:
        self.check_matcher()
        return self


class DetectRule(Matcher):
    """A shape the pack knows but cannot rewrite safely: each match counts as unsupported."""

    id: str
    kind: Literal["detect"]
    description: str = ""
    message: str = ""

    @model_validator(mode="after")
    def _valid(self) -> DetectRule:
        self.check_matcher()
        return self


class Constraint(Matcher):
    """A shape that must not remain in an output."""

    name: str
    description: str = ""
    action: Literal["fix", "reject", "tag"]
    fixed_by: list[str] = Field(default_factory=list, description="action fix: the rules that fix it.")
    otherwise: Literal["reject", "tag"] = Field(
        "tag", description="action fix: what happens when a match remains after the rewrite.")

    @model_validator(mode="after")
    def _valid(self) -> Constraint:
        self.check_matcher()
        if self.action == "fix" and not self.fixed_by:
            raise ValueError("action `fix` needs `fixed_by` (ids of the rules that fix it)")
        return self


class Boundary(BaseModel):
    """A domain boundary (read by the filter stage; the transform only exposes it)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    action: Literal["reject", "tag"]
    imports: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)


Rule = RenameRule | ModuleRule | PatternRule | DetectRule


def _template_fields(template: str, allowed: set[str]) -> str:
    import string

    used = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    unknown = used - allowed
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    return template


class MigrationInstructions(Strict):
    """Migration pairs: the original of a rewritten document -> its rewrite."""

    template: str = Field(description="Instruction; placeholders {before}, {path}, {rules}, {language}.")
    categories: list[str] = Field(default_factory=lambda: ["aligned"],
                                  description="Categories of gold documents that give pairs.")
    max_chars: int = Field(20000, ge=1, description="Skip documents whose original is longer.")

    @field_validator("template")
    @classmethod
    def _fields(cls, value: str) -> str:
        return _template_fields(value, {"before", "path", "rules", "language"})


class DocumentedInstructions(Strict):
    """JSDoc-documented functions: the cleaned description -> the implementation."""

    template: str = Field("{description}{params}{returns}", description="Instruction; placeholders "
                          "{description} (sentences, one a line), {name}, {params}, {returns}.")
    min_words: int = Field(3, ge=1, description="Skip descriptions with fewer words.")

    @field_validator("template")
    @classmethod
    def _fields(cls, value: str) -> str:
        return _template_fields(value, {"description", "name", "params", "returns"})


class Instructions(Strict):
    """What the transform writes to gold/instructions (absent kinds are not emitted)."""

    migration: MigrationInstructions | None = None
    documented: DocumentedInstructions | None = None


class RulePackModel(Strict):
    name: str
    version: int | str = 1
    description: str = ""
    framework: Framework
    modules: dict[str, ModuleInfo] = Field(default_factory=dict)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    constraints: list[dict[str, Any]] = Field(default_factory=list)
    boundaries: list[Boundary] = Field(default_factory=list)
    instructions: Instructions = Field(default_factory=Instructions)


_RULE_KINDS: dict[str, type[BaseModel]] = {
    "rename": RenameRule, "type": RenameRule, "module": ModuleRule, "pattern": PatternRule,
    "detect": DetectRule,
}


_NAME_NODES = frozenset({"identifier", "property_identifier", "type_identifier", "shorthand_property_identifier"})


def _is_metavar(text: str) -> bool:
    return bool(METAVAR.match(text)) and text not in ("$", "$$")


@functools.cache
def _compile_query(grammar: str, source: str) -> ts.Query:
    return ts.Query(language(grammar), source)


class CompiledPattern:
    """A parsed code pattern: its root node per grammar and the identifiers it anchors."""

    def __init__(self, text: str, context: str | None, selector: str | None) -> None:
        self.text = text
        self.context = context
        self.selector = selector
        self.statement = text.rstrip().endswith(";")
        self._roots: dict[str, ts.Node] = {}
        self._trees: dict[str, ts.Tree] = {}
        self._literal_names: dict[str, frozenset[str]] = {}

    def root(self, grammar: str) -> ts.Node:
        """The pattern's root node in ``grammar`` (parsed once per grammar)."""
        if grammar not in self._roots:
            source = self.context if self.context is not None else self.text
            tree = parse(source, grammar)
            self._trees[grammar] = tree
            errors = parse_errors(tree)
            if errors.total:
                raise ValueError(f"pattern does not parse as {grammar}: {source!r}")
            self._roots[grammar] = self._select(tree.root_node)
        return self._roots[grammar]

    def _select(self, program: ts.Node) -> ts.Node:
        if self.selector is not None:
            for node in walk(program):
                if node.type == self.selector:
                    return node
            raise ValueError(f"selector {self.selector!r} not found in context {self.context!r}")
        statements = [c for c in program.named_children if c.type != "comment"]
        if len(statements) != 1:
            raise ValueError(f"a pattern must be one expression or statement: {self.text!r}")
        node = statements[0]
        if node.type == "expression_statement" and not self.statement:
            node = node.named_children[0]
        return node

    def literal_names(self, grammar: str = "tsx") -> frozenset[str]:
        """Identifiers and property names the pattern spells itself (no $CAPTURES): they
        match by text, so a file holding a match holds each as a whole word. Kept per grammar."""
        found = self._literal_names.get(grammar)
        if found is None:
            found = self._literal_names[grammar] = frozenset(
                node.text.decode() for node in walk(self.root(grammar))
                if node.child_count == 0 and node.type in _NAME_NODES and not _is_metavar(node.text.decode()))
        return found

    def metavariables(self, grammar: str = "tsx") -> set[str]:
        names = set()
        for node in walk(self.root(grammar)):
            if node.child_count == 0 and node.is_named and _is_metavar(node.text.decode()):
                names.add(node.text.decode().lstrip("$"))
        return names


class RulePack:
    """A validated rule pack, with compiled patterns and queries; see :func:`load_rulepack`."""

    def __init__(self, model: RulePackModel, rules: list[Rule], constraints: list[Constraint],
                 source: str) -> None:
        self.model = model
        self.name = model.name
        self.version = model.version
        self.framework = model.framework
        self.modules = model.modules
        self.rules = rules
        self.constraints = constraints
        self.boundaries = model.boundaries
        self.instructions = model.instructions
        self.source = source
        self.namespace_defaults = frozenset(m for m, info in model.modules.items() if info.namespace_default)
        self.jsx_runtimes = frozenset(m for m, info in model.modules.items() if info.jsx_runtime)
        # Every module the pack names: the engine asks about imports of these by module (an
        # import of any other module matters only through the names it declares).
        named = set(self.modules) | set(self.framework.modules) | {
            spec.from_ for spec in self.framework.imports.values()}
        for rule in rules:
            if isinstance(rule, RenameRule):
                named.add(rule.module)
            elif isinstance(rule, ModuleRule):
                named.update((rule.from_, rule.to))
                named.update(spec.symbol().module for guard in rule.unless for spec in guard.uses.values())
        for matcher in [*rules, *constraints]:
            if isinstance(matcher, Matcher):
                named.update(spec.symbol().module for spec in matcher.uses.values())
        self.named_modules = frozenset(m for m in named if m)
        self._patterns: dict[tuple[str, str | None, str | None], CompiledPattern] = {}

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def patterns_of(self, matcher: Matcher) -> list[CompiledPattern]:
        """The compiled patterns of a pattern rule, detect rule or constraint."""
        texts = matcher.patterns() if matcher.context is None else [matcher.context]
        out = []
        for text in texts:
            key = (text, matcher.context, matcher.selector)
            if key not in self._patterns:
                self._patterns[key] = CompiledPattern(text, matcher.context, matcher.selector)
            out.append(self._patterns[key])
        return out

    def query_of(self, matcher: Matcher, grammar: str) -> ts.Query | None:
        """The matcher's query compiled for ``grammar``; None where the grammar lacks its node
        types (a JSX query never matches a .ts file)."""
        assert matcher.query is not None
        try:
            return _compile_query(grammar, matcher.query)
        except ts.QueryError:
            return None

    def import_for(self, name: str) -> FrameworkImport:
        return self.framework.imports[name]


def _where(file: str, item: str, problem: str) -> ConfigError:
    return ConfigError(f"{item}: {problem}", stage=STAGE, path=file,
                       hint="see docs/RULES.md for the rule-pack format")


def _format(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        msg = msg.removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def _check_matcher(pack: RulePack, matcher: Matcher, label: str, file: str) -> None:
    try:
        if matcher.query is not None:
            compiled = [q for q in (pack.query_of(matcher, g) for g in GRAMMARS) if q is not None]
            if not compiled:
                _compile_query("tsx", matcher.query)  # raises the grammar's own error message
            query = compiled[0]
            names = {query.capture_name(i) for i in range(query.capture_count)}
            for key in list(matcher.uses) + list(matcher.where):
                if key not in names:
                    raise ValueError(f"`{key}` is not a capture of the query (captures: {sorted(names)})")
            if matcher.capture is not None and matcher.capture not in names:
                raise ValueError(f"capture `{matcher.capture}` is not in the query")
            return
        for pattern in pack.patterns_of(matcher):
            for grammar in GRAMMARS:
                pattern.root(grammar)
            metavars = pattern.metavariables()
            for key in matcher.where:
                if key not in metavars:
                    raise ValueError(f"`where` names ${key}, which the pattern does not capture")
    except (ValueError, NameError, ts.QueryError) as exc:
        raise _where(file, label, str(exc)) from None


def _validate_semantics(pack: RulePack, file: str) -> None:
    seen: set[str] = set()
    known_imports = set(pack.framework.imports)
    for name in pack.framework.jsx_imports:
        if name not in known_imports:
            raise _where(file, "framework.jsx_imports", f"`{name}` is not in framework.imports")
    for rule in pack.rules:
        label = f"rule `{rule.id}`"
        if rule.id in seen:
            raise _where(file, label, "duplicate rule id")
        seen.add(rule.id)
        for name in getattr(rule, "imports", []):
            if name not in known_imports:
                raise _where(file, label, f"imports `{name}`, which framework.imports does not declare")
        if isinstance(rule, (PatternRule, DetectRule)):
            _check_matcher(pack, rule, label, file)
        if isinstance(rule, ModuleRule):
            for i, guard in enumerate(rule.unless):
                _check_matcher(pack, guard, f"{label} unless[{i}]", file)
        if isinstance(rule, PatternRule) and rule.query is None:
            captured: set[str] = set()
            for pattern in pack.patterns_of(rule):
                captured |= pattern.metavariables()
            for used in re.findall(r"\$(?:\$\$)?([A-Z_][A-Z0-9_]*)", rule.fix):
                if used not in captured:
                    raise _where(file, label, f"fix uses ${used}, which the pattern does not capture")
    names: set[str] = set()
    for constraint in pack.constraints:
        label = f"constraint `{constraint.name}`"
        if constraint.name in names:
            raise _where(file, label, "duplicate constraint name")
        names.add(constraint.name)
        for rule_id in constraint.fixed_by:
            if rule_id not in seen:
                raise _where(file, label, f"fixed_by names unknown rule `{rule_id}`")
        _check_matcher(pack, constraint, label, file)


def rulepack_from_dict(data: dict[str, Any], source: str = "<dict>") -> RulePack:
    """Validate a rule pack given as a mapping (what the YAML file holds)."""
    if not isinstance(data, dict):
        raise ConfigError("a rule pack must be a mapping", stage=STAGE, path=source)
    try:
        model = RulePackModel.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid rule pack: {_format(exc)}", stage=STAGE, path=source,
                          hint="see docs/RULES.md for the rule-pack format") from None
    rules: list[Rule] = []
    for i, raw in enumerate(model.rules):
        label = f"rule `{raw.get('id', f'#{i + 1}')}`" if isinstance(raw, dict) else f"rule #{i + 1}"
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in _RULE_KINDS:
            raise _where(source, label, f"unknown kind {kind!r}; expected one of {sorted(_RULE_KINDS)}")
        try:
            rules.append(_RULE_KINDS[kind].model_validate(raw))  # type: ignore[arg-type]
        except ValidationError as exc:
            raise _where(source, label, _format(exc)) from None
    constraints: list[Constraint] = []
    for i, raw in enumerate(model.constraints):
        label = f"constraint `{raw.get('name', f'#{i + 1}')}`" if isinstance(raw, dict) else f"constraint #{i + 1}"
        try:
            constraints.append(Constraint.model_validate(raw))
        except ValidationError as exc:
            raise _where(source, label, _format(exc)) from None
    pack = RulePack(model, rules, constraints, source)
    _validate_semantics(pack, source)
    return pack


def load_rulepack(path: str | Path) -> RulePack:
    """Load, validate and compile the rule pack at ``path``."""
    file = Path(path).expanduser()
    if not file.is_file():
        shipped = Path(file.name)  # on a cluster, shipped with --files into the working dir
        if not shipped.is_file():
            raise ConfigError("rule pack file does not exist", stage=STAGE, path=str(path),
                              hint="pass an existing YAML file, e.g. conf/rules/dframe_once.yaml")
        file = shipped
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", stage=STAGE, path=str(file)) from None
    return rulepack_from_dict(data, str(file))
