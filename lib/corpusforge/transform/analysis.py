"""Framework analysis (``./spark-submit.sh analyze``): what the company's framework exports,
how its apps use it, and whether every rule of the pack targets an API that exists.

The framework code is read from the ``framework`` documents of ``silver/filtered`` or
``bronze/documents`` (grouped by origin into packages), or straight from a folder of
packages (each with a ``package.json``). A package named by the rule pack's
``framework.modules`` is a framework package; the others are its apps. Everything below
:func:`run` is plain Python over ``{path: text}`` maps, parsed with tree-sitter:

- :func:`file_exports` lists the names a module exports, with the members of exported
  objects, classes and namespaces (``X.member``);
- :func:`package_api` follows a package's entry points (``exports`` of package.json, else
  ``src/index``) through ``export * from`` re-exports;
- :func:`api_usage` counts calls, ``new`` and JSX elements of apps that resolve into the
  framework (the transform's own binding resolution);
- :func:`rule_targets` lists, per rule, the framework names its templates introduce, and
  :func:`check_rules` looks each one up in the declarations (``conf/framework/*.d.ts``) and
  in the code's exports. A reference is checked to its first member (``X.member``); deeper
  members (``X.member.sub``) are reported as written but not checked.

The report goes to ``<warehouse>/reports/<run_id>/framework_analysis.{md,json}``; a rule
targeting a missing API fails the job unless ``transform.analysis.on_missing`` is ``warn``.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.config import Config
from corpusforge.errors import ConfigError, InputError
from corpusforge.stages import StageResult, finish_stage
from corpusforge.transform.parsing import grammar_for, parse, parse_errors
from corpusforge.transform.rulepack import ModuleRule, PatternRule, RenameRule, RulePack, load_rulepack

STAGE = "analyze"
FRAMEWORK_SOURCE = "framework"
CODE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_DECLARATIONS = ("function_declaration", "generator_function_declaration", "function_signature",
                 "class_declaration", "abstract_class_declaration", "interface_declaration",
                 "type_alias_declaration", "enum_declaration", "internal_module", "module")
_USE_TYPES = ("call_expression", "new_expression", "jsx_opening_element", "jsx_self_closing_element")
_REF = re.compile(r"(?<![\w$.'\"`])([A-Za-z_$][\w$]*)((?:\s*\??\.\s*[A-Za-z_$][\w$]*)*)")
_STRING = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`(?:\\.|[^`\\])*`")


@dataclass
class FileExports:
    """What one module file exports: names (with their members), ``export *`` sources and
    the local name behind ``export default``."""

    names: dict[str, set[str]] = field(default_factory=dict)
    star_from: list[str] = field(default_factory=list)
    default_name: str | None = None

    def add(self, name: str, members: set[str] | None = None) -> None:
        self.names.setdefault(name, set()).update(members or set())


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _unwrap(node):
    while node is not None and node.type in ("as_expression", "satisfies_expression",
                                             "parenthesized_expression", "non_null_expression"):
        node = node.named_children[0] if node.named_children else None
    return node


def _members(node) -> set[str]:
    """Member names of a declaration: object literal keys, object-type properties, class
    members, namespace declarations, enum members."""
    out: set[str] = set()
    if node is None:
        return out
    if node.type == "variable_declarator":
        value = _unwrap(node.child_by_field_name("value"))
        if value is not None and value.type == "object":
            for child in value.named_children:
                if child.type == "shorthand_property_identifier":
                    out.add(_text(child))
                elif child.type in ("pair", "method_definition"):
                    key = child.child_by_field_name("key") or child.child_by_field_name("name")
                    if key is not None:
                        out.add(_text(key).strip("'\""))
        annotation = node.child_by_field_name("type")
        body = annotation.named_children[0] if annotation is not None and annotation.named_children else None
        if body is not None and body.type == "object_type":
            for child in body.named_children:
                name = child.child_by_field_name("name")
                if name is not None:
                    out.add(_text(name).strip("'\""))
    elif node.type in ("class_declaration", "abstract_class_declaration", "class"):
        body = node.child_by_field_name("body")
        for child in body.named_children if body is not None else []:
            name = child.child_by_field_name("name") or child.child_by_field_name("property")
            if name is not None:
                out.add(_text(name))
    elif node.type in ("internal_module", "module"):
        body = node.child_by_field_name("body")
        for child in body.named_children if body is not None else []:
            if child.type == "export_statement":
                child = child.child_by_field_name("declaration") or child
            for name, _ in _declared(child):
                out.add(name)
    elif node.type == "enum_declaration":
        body = node.child_by_field_name("body")
        for child in body.named_children if body is not None else []:
            name = child.child_by_field_name("name") if child.type == "enum_assignment" else child
            if name is not None and name.type in ("property_identifier", "string"):
                out.add(_text(name).strip("'\""))
    return out


def _declared(node) -> list[tuple[str, set[str]]]:
    """(name, members) of the names a declaration statement introduces."""
    if node.type == "ambient_declaration":
        return [item for child in node.named_children for item in _declared(child)]
    if node.type in ("lexical_declaration", "variable_declaration"):
        return [(_text(d.child_by_field_name("name")), _members(d)) for d in node.named_children
                if d.type == "variable_declarator" and d.child_by_field_name("name") is not None
                and d.child_by_field_name("name").type == "identifier"]
    if node.type in _DECLARATIONS:
        name = node.child_by_field_name("name")
        if name is not None:
            return [(_text(name).strip("'\""), _members(node))]
    return []


def file_exports(text: str, path: str) -> FileExports:
    """The exports of one TypeScript/JavaScript module (declaration files included)."""
    tree = parse(text, grammar_for(path))
    out = FileExports()
    local: dict[str, set[str]] = {}
    exported_locals: list[tuple[str, str]] = []  # (exported name, local name)
    for statement in tree.root_node.named_children:
        target = statement
        if statement.type == "export_statement":
            source = statement.child_by_field_name("source")
            is_default = any(c.type == "default" for c in statement.children)
            declaration = statement.child_by_field_name("declaration")
            if declaration is not None:
                for name, members in _declared(declaration):
                    local.setdefault(name, set()).update(members)
                    out.add("default" if is_default else name, members)
                    if is_default:
                        out.default_name = name
                continue
            value = statement.child_by_field_name("value")
            if is_default:
                out.add("default")
                if value is not None and value.type == "identifier":
                    out.default_name = _text(value)
                    exported_locals.append(("default", _text(value)))
                continue
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            namespace = next((c for c in statement.named_children if c.type == "namespace_export"), None)
            if clause is not None:
                for spec in clause.named_children:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    exported = _text(alias or name)
                    out.add(exported)
                    if source is None:
                        exported_locals.append((exported, _text(name)))
            elif namespace is not None:
                out.add(_text(namespace.named_children[0]))
            elif source is not None:
                out.star_from.append(_text(source).strip("'\"`"))
            continue
        for name, members in _declared(target):
            local.setdefault(name, set()).update(members)
    # Merged declarations (a const and a namespace of one name) pool their members.
    for exported, name in exported_locals:
        out.add(exported, local.get(name, set()))
    for name in list(out.names):
        if name in local:
            out.add(name, local[name])
    return out


def _resolve_relative(files: dict[str, str], base: str, spec: str) -> str | None:
    if not spec.startswith("."):
        return None
    stem = posixpath.normpath(posixpath.join(posixpath.dirname(base), spec))
    stem = re.sub(r"\.(js|jsx|mjs|cjs)$", "", stem)
    for candidate in [stem, *[stem + s for s in (".ts", ".tsx", ".d.ts", ".js", ".jsx")],
                      *[f"{stem}/index{s}" for s in (".ts", ".tsx", ".d.ts", ".js")]]:
        if candidate in files:
            return candidate
    return None


def module_api(files: dict[str, str], entry: str, _seen: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """Exported names (with members) of the module at ``entry``, ``export *`` followed."""
    exports = file_exports(files[entry], entry)
    api = {name: set(members) for name, members in exports.names.items()}
    for spec in exports.star_from:
        target = _resolve_relative(files, entry, spec)
        if target is None or target in _seen:
            continue
        for name, members in module_api(files, target, _seen | {entry}).items():
            if name != "default":
                api.setdefault(name, set()).update(members)
    return api


def _entry_for(files: dict[str, str], target: str) -> str | None:
    """The source file behind a package.json entry (``./dist/x.js`` → ``src/x.ts``)."""
    target = target.removeprefix("./")
    candidates = [target, re.sub(r"^(dist|lib|build)/", "src/", target)]
    for item in candidates:
        stem = re.sub(r"\.(d\.ts|js|mjs|cjs|ts|tsx)$", "", item)
        for suffix in (".ts", ".tsx", ".d.ts", ".js"):
            if stem + suffix in files:
                return stem + suffix
    return None


def package_entries(name: str, files: dict[str, str], manifest: dict | None) -> dict[str, str]:
    """Module specifier (``name`` or ``name/sub``) → its source file, for one package."""
    entries: dict[str, str] = {}
    exports = (manifest or {}).get("exports")
    if isinstance(exports, dict):
        for key, value in exports.items():
            conditions = value if isinstance(value, dict) else {}
            target = value if isinstance(value, str) else (conditions.get("import")
                                                           or conditions.get("default"))
            if isinstance(target, str):
                source = _entry_for(files, target)
                if source is not None:
                    entries[name if key == "." else f"{name}/{key.removeprefix('./')}"] = source
    if name not in entries:
        source = next((p for p in ("src/index.ts", "src/index.tsx", "index.ts", "index.d.ts", "src/index.js")
                       if p in files), None)
        if source is not None:
            entries[name] = source
    return dict(sorted(entries.items()))


def package_api(name: str, files: dict[str, str], manifest: dict | None) -> dict[str, dict[str, set[str]]]:
    """Module specifier (``name`` or ``name/sub``) → its exported API, for one package."""
    entries = package_entries(name, files, manifest)
    return {module: module_api(files, entry) for module, entry in entries.items()}


def declaration_api(folder: str | Path) -> dict[str, dict[str, set[str]]]:
    """Module specifier → exported API of each ``<folder>/<module>.d.ts``."""
    root = Path(folder)
    out: dict[str, dict[str, set[str]]] = {}
    for file in sorted(root.rglob("*.d.ts")):
        module = file.relative_to(root).as_posix().removesuffix(".d.ts")
        text = file.read_text(encoding="utf-8")
        out[module] = {k: set(v) for k, v in file_exports(text, file.name).names.items()}
    return out


@dataclass(frozen=True)
class Target:
    """A framework name a rule introduces: ``module`` and the dotted path (``X.member``)."""

    module: str
    path: str

    @property
    def api(self) -> str:
        return f"{self.module}:{self.path}"


def _template_refs(pack: RulePack, text: str) -> list[Target]:
    code = _STRING.sub("''", re.sub(r"\$(?:\$\$)?[A-Z_][A-Z0-9_]*", "x", text))
    out = []
    for match in _REF.finditer(code):
        head = match.group(1)
        if head not in pack.framework.imports:
            continue
        spec = pack.framework.imports[head]
        members = [m for m in re.split(r"\s*\??\.\s*", match.group(2)) if m]
        out.append(Target(spec.from_, ".".join([spec.name or head, *members])))
    return out


def rule_targets(pack: RulePack) -> dict[str, list[Target]]:
    """Per rule id (and per ``framework.imports`` entry), the framework names it targets."""
    out: dict[str, list[Target]] = {}
    for key, spec in sorted(pack.framework.imports.items()):
        out[f"framework.imports.{key}"] = [Target(spec.from_, spec.name or key)]
    for rule in pack.rules:
        targets: list[Target] = []
        if isinstance(rule, RenameRule):
            for name in rule.mapping().values():
                targets += _template_refs(pack, rule.to.format(name=name))
        elif isinstance(rule, PatternRule):
            targets += _template_refs(pack, rule.fix)
        elif isinstance(rule, ModuleRule) and rule.mapping() is not None:
            targets += [Target(rule.to, name) for name in rule.mapping().values()]
        out[rule.id] = list(dict.fromkeys(targets))
    return out


def has_api(index: dict[str, dict[str, set[str]]], target: Target) -> bool:
    """True when ``target``'s module exports its name, and the name has its first member."""
    exports = index.get(target.module)
    if exports is None:
        return False
    name, *members = target.path.split(".")
    if name not in exports:
        return False
    return not members or members[0] in exports[name]


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    target: str
    in_declarations: bool
    in_code: bool

    @property
    def ok(self) -> bool:
        return self.in_declarations and self.in_code


def check_rules(pack: RulePack, declarations: dict[str, dict[str, set[str]]],
                code: dict[str, dict[str, set[str]]]) -> list[RuleCheck]:
    """One check per (rule, target): found in the declarations, found in the code."""
    return [RuleCheck(rule, t.api, has_api(declarations, t), has_api(code, t))
            for rule, targets in rule_targets(pack).items() for t in targets]


def api_usage(files: dict[str, str], pack: RulePack, defaults: dict[str, str]) -> Counter[str]:
    """How often an app's code calls (or instantiates, or renders) each framework name;
    ``defaults`` maps a module to the name its default export has (``default.x`` → ``X.x``)."""
    from corpusforge.transform.bindings import resolve_bindings
    from corpusforge.transform.parsing import nodes_of_types

    modules = pack.framework.modules
    counts: Counter[str] = Counter()
    for path, text in sorted(files.items()):
        if not path.endswith(CODE_SUFFIXES) or path.endswith(".d.ts"):
            continue
        tree = parse(text, grammar_for(path))
        if parse_errors(tree).total:
            continue
        bindings = resolve_bindings(tree, pack.namespace_defaults)
        for node in nodes_of_types(tree, _USE_TYPES):
            callee = node.child_by_field_name(
                {"call_expression": "function", "new_expression": "constructor"}.get(node.type, "name"))
            if callee is not None and callee.type in ("await_expression", "unary_expression") \
                    and callee.named_child_count == 1:
                callee = callee.named_children[0]
            symbol = bindings.resolve(callee) if callee is not None else None
            if symbol is None or not any(symbol.module == m or symbol.module.startswith(m + "/")
                                         for m in modules):
                continue
            head, _, rest = symbol.path.partition(".")
            if head == "default" and symbol.module in defaults:
                head = defaults[symbol.module]
            counts[f"{symbol.module}:{head}{'.' + rest if rest else ''}"] += 1
    return counts


@dataclass
class Package:
    name: str
    files: dict[str, str]
    manifest: dict | None


def packages_from_folder(folder: str | Path) -> list[Package]:
    """Every package (a folder with ``package.json``) under ``folder``, node_modules skipped."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("framework folder does not exist", stage=STAGE, path=str(folder),
                         hint="set transform.analysis.framework_dir to the framework's checkout")
    out = []
    for manifest_file in sorted(root.rglob("package.json")):
        if "node_modules" in manifest_file.parts:
            continue
        base = manifest_file.parent
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        files = {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8", errors="replace")
                 for p in sorted(base.rglob("*")) if p.is_file() and p.name.endswith(CODE_SUFFIXES)
                 and "node_modules" not in p.parts}
        out.append(Package(manifest.get("name") or base.name, files, manifest))
    return out


def _package_name(origin: str) -> str:
    name, sep, _version = origin.rpartition("@")
    return name if sep and name else origin


def packages_from_table(spark: SparkSession, warehouse: str, spec: tables.TableSpec) -> list[Package]:
    """The ``framework`` documents of a table, one package per origin (``name@version``).
    The framework code is small (one company's packages), so it is collected to the driver."""
    rows = (tables.read_table(spark, warehouse, spec).where(F.col("source") == FRAMEWORK_SOURCE)
            .select("origin", "path", "content").orderBy("origin", "path").collect())
    grouped: dict[str, Package] = {}
    for row in rows:
        name = _package_name(row["origin"])
        package = grouped.setdefault(name, Package(name, {}, None))
        if row["path"] == "package.json":
            try:
                package.manifest = json.loads(row["content"])
            except json.JSONDecodeError:
                package.manifest = None
        elif row["path"].endswith(CODE_SUFFIXES):
            package.files[row["path"]] = row["content"]
    return list(grouped.values())


def _is_framework(name: str, pack: RulePack) -> bool:
    return any(name == m or m.startswith(name + "/") for m in pack.framework.modules)


def analyse(packages: list[Package], pack: RulePack, declarations_dir: str | Path) -> dict:
    """The whole analysis as a JSON-ready dict (see docs/TRANSFORM.md, "Framework analysis")."""
    framework = [p for p in packages if _is_framework(p.name, pack)]
    apps = [p for p in packages if not _is_framework(p.name, pack)]
    code: dict[str, dict[str, set[str]]] = {}
    defaults: dict[str, str] = {}
    inventory = {}
    for package in sorted(framework, key=lambda p: p.name):
        entries = package_entries(package.name, package.files, package.manifest)
        api = {module: module_api(package.files, entry) for module, entry in entries.items()}
        code.update(api)
        for module, entry in entries.items():
            default_name = file_exports(package.files[entry], entry).default_name
            if default_name is not None:
                defaults[module] = default_name
        per_file = {path: sorted(file_exports(text, path).names)
                    for path, text in sorted(package.files.items())}
        inventory[package.name] = {
            "files": len(package.files),
            "api": {module: {n: sorted(m) for n, m in sorted(exports.items())}
                    for module, exports in api.items()},
            "modules": {path: names for path, names in per_file.items() if names}}
    declarations = declaration_api(declarations_dir)
    usage = {app.name: dict(sorted(api_usage(app.files, pack, defaults).items()))
             for app in sorted(apps, key=lambda p: p.name)}
    total: Counter[str] = Counter()
    for counts in usage.values():
        total.update(counts)
    checks = check_rules(pack, declarations, code)
    return {
        "rule_pack": pack.source,
        "framework_packages": inventory,
        "declarations": {m: sorted(e) for m, e in sorted(declarations.items())},
        "apps": {app: {"calls": sum(c.values()), "apis": c} for app, c in usage.items()},
        "usage_total": dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))),
        "rules": [{"rule": c.rule, "target": c.target, "in_declarations": c.in_declarations,
                   "in_code": c.in_code, "ok": c.ok} for c in checks],
        "missing": [{"rule": c.rule, "target": c.target,
                     "missing_from": [w for w, ok in (("declarations", c.in_declarations),
                                                      ("code", c.in_code)) if not ok]}
                    for c in checks if not c.ok],
    }


def report_markdown(report: dict, run_id: str) -> str:
    """The analysis as Markdown."""
    lines = [f"# Framework analysis, run {run_id}", "", f"Rule pack: `{report['rule_pack']}`", "",
             "## Exported API", "", "| package | module | exports |", "|---|---|---|"]
    for package, info in report["framework_packages"].items():
        for module, exports in info["api"].items():
            names = ", ".join(f"{n} ({len(m)} members)" if m else n for n, m in exports.items())
            lines.append(f"| {package} | {module} | {names} |")
    lines += ["", "## Use by the apps", "", "| app | framework calls | most used |", "|---|---:|---|"]
    for app, info in report["apps"].items():
        top = sorted(info["apis"].items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        lines.append(f"| {app} | {info['calls']} | {', '.join(f'{k} ({v})' for k, v in top)} |")
    lines += ["", "| API | calls in all apps |", "|---|---:|"]
    lines += [f"| {api} | {n} |" for api, n in report["usage_total"].items()]
    lines += ["", "## Rule targets", "", "| rule | target | in .d.ts | in code |", "|---|---|---|---|"]
    lines += [f"| {r['rule']} | {r['target']} | {'yes' if r['in_declarations'] else '**no**'} | "
              f"{'yes' if r['in_code'] else '**no**'} |" for r in report["rules"]]
    lines += ["", f"Missing targets: {len(report['missing'])}"]
    return "\n".join(lines) + "\n"


def write_report(report: dict, warehouse: str, run_id: str) -> Path:
    """``<warehouse>/reports/<run_id>/framework_analysis.{md,json}``; returns the JSON path."""
    folder = Path(warehouse) / "reports" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "framework_analysis.md").write_text(report_markdown(report, run_id), encoding="utf-8")
    path = folder / "framework_analysis.json"
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_packages(spark: SparkSession, config: Config) -> tuple[str, list[Package]]:
    """Where the framework code comes from (``transform.analysis.source``) and its packages."""
    settings = config.transform.analysis
    if settings.source in ("auto", "table"):
        for spec in (tables.SILVER_FILTERED, tables.BRONZE_DOCUMENTS):
            if tables.table_exists(spark, config.warehouse, spec):
                packages = packages_from_table(spark, config.warehouse, spec)
                if packages:
                    return spec.name, packages
        if settings.source == "table":
            raise InputError("no framework documents in silver/filtered or bronze/documents",
                             path=tables.BRONZE_DOCUMENTS.path(config.warehouse), stage=STAGE,
                             hint="ingest with --input framework:DIR, or set "
                                  "transform.analysis.source=folder")
    return settings.framework_dir, packages_from_folder(settings.framework_dir)


def run(spark: SparkSession, config: Config) -> StageResult:
    """Analyse the framework, write the report, fail on a rule targeting a missing API."""
    warehouse, run_id = config.warehouse, config.resolved_run_id()
    settings = config.transform.analysis
    pack = load_rulepack(config.transform.rule_pack)
    origin, packages = load_packages(spark, config)
    report = analyse(packages, pack, settings.declarations)
    report["source"] = origin
    path = write_report(report, warehouse, run_id) if "://" not in warehouse else None
    files = sum(len(p.files) for p in packages)
    missing = report["missing"]
    if missing and settings.on_missing == "error":
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise ConfigError(
            f"rule `{first['rule']}` targets {first['target']}, which is missing from the framework's "
            f"{' and '.join(first['missing_from'])}{more}; report: {path}", stage=STAGE, path=pack.source,
            hint="fix the rule or the framework, or --set transform.analysis.on_missing=warn")
    return finish_stage(spark, warehouse, run_id, StageResult(STAGE, files, files, 0, {}, {}))
