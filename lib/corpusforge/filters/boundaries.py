"""Domain boundaries: documents that are out of the corpus's domain (seed step "Boundary definition").

The rule pack's ``boundaries`` section (``conf/rules/<pack>.yaml``) lists named boundaries.
A document crosses one when it imports a module matching ``imports`` (ES ``import``/
``export … from``, ``require()``, ``import()``; comments and strings do not count), when
its path matches ``paths``, when its language is in ``languages``, or when its origin's
root ``package.json`` declares a dependency matching ``dependencies``. Patterns are globs
(``fnmatch``, case-sensitive, ``*`` also spans ``/``): ``vue/*`` matches ``vue/dist/x``, and
``vue-router`` matches neither ``vue-router-helper`` nor ``vue-router/x``.

Action ``reject`` drops the document with reason ``boundary:<name>``; ``tag`` keeps it and
lists ``<name>`` in its ``boundary_tags``. Only this section of the pack is read here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from corpusforge.errors import ConfigError
from corpusforge.filters.lexer import scan

REASON_PREFIX = "boundary"
ACTIONS = ("reject", "tag")
# Languages whose text is lexed for imports (a .vue file's <script> imports too).
IMPORT_LANGUAGES: frozenset[str] = frozenset({"typescript", "tsx", "dts", "javascript", "jsx", "vue"})
# The manifest whose dependencies speak for a whole origin (at the origin's root).
MANIFEST_PATH = "package.json"
_MANIFEST_FIELDS = ("dependencies", "peerDependencies")
_RULE_KEYS = ("name", "action", "imports", "paths", "languages", "dependencies", "description")
_PATTERN_KEYS = ("imports", "paths", "languages", "dependencies")


@dataclass(frozen=True)
class Boundary:
    """One named boundary of the rule pack."""

    name: str
    action: str
    imports: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()


def _matching(value: str, patterns: tuple[str, ...]) -> str | None:
    return next((p for p in patterns if fnmatchcase(value, p)), None)


def load_boundaries(path: str) -> tuple[Boundary, ...]:
    """The ``boundaries`` section of the rule pack at ``path`` (other sections are ignored).

    A missing file, a malformed entry, an unknown key or action is a ConfigError naming it.
    """
    try:
        data = yaml.safe_load(Path(path).expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read rule pack: {exc.strerror}", path=path, stage="filter",
                          hint="fix filter.rule_pack or set filter.boundaries.enabled=false") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", path=path, stage="filter") from None
    entries = (data or {}).get("boundaries", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError("'boundaries' must be a list of rules", path=path, stage="filter")
    rules, names = [], set()
    for number, entry in enumerate(entries, 1):
        where = f"boundaries[{number}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a mapping", path=path, stage="filter")
        unknown = sorted(set(entry) - set(_RULE_KEYS))
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}", path=path,
                              stage="filter", hint=f"expected {', '.join(_RULE_KEYS)}")
        name, action = entry.get("name"), entry.get("action")
        if not isinstance(name, str) or not name or name in names:
            raise ConfigError(f"{where}: 'name' must be a unique non-empty string", path=path,
                              stage="filter")
        if action not in ACTIONS:
            raise ConfigError(f"{where} ({name}): 'action' must be one of {', '.join(ACTIONS)}",
                              path=path, stage="filter")
        patterns = {}
        for key in _PATTERN_KEYS:
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f"{where} ({name}): '{key}' must be a list of strings", path=path,
                                  stage="filter")
            patterns[key] = tuple(value)
        if not any(patterns.values()):
            raise ConfigError(f"{where} ({name}): needs at least one of {', '.join(_PATTERN_KEYS)}",
                              path=path, stage="filter")
        names.add(name)
        rules.append(Boundary(name=name, action=action, **patterns))
    return tuple(rules)


def crossed_boundaries(content: str, path: str, language: str | None, rules: tuple[Boundary, ...],
                       imports: list[str] | None = None) -> list[tuple[Boundary, str]]:
    """Every boundary the document crosses, in pack order, with what crossed it.

    ``imports`` are the content's module specifiers when the caller has lexed it already.
    """
    found = []
    for rule in rules:
        why = None
        if language is not None and language in rule.languages:
            why = f"language {language}"
        if why is None and rule.paths:
            pattern = _matching(path, rule.paths)
            why = f"path matches '{pattern}'" if pattern else None
        if why is None and rule.imports and language in IMPORT_LANGUAGES:
            if imports is None:
                imports = scan(content).imports
            spec = next((s for s in imports if _matching(s, rule.imports)), None)
            why = f"imports '{spec}'" if spec is not None else None
        if why is not None:
            found.append((rule, why))
    return found


def boundary_decision(content: str, path: str, language: str | None, rules: tuple[Boundary, ...],
                      origin_boundary: str | None = None,
                      imports: list[str] | None = None) -> tuple[tuple[str, str] | None, list[str]]:
    """``((reason, detail) or None, tags)`` for one document.

    ``origin_boundary`` is the (name, detail) JSON from :func:`manifest_boundary` of the
    document's origin, if any: it rejects every document of that origin. Otherwise the first
    ``reject`` boundary crossed decides; ``tags`` lists every ``tag`` boundary crossed.
    ``imports`` as in :func:`crossed_boundaries`.
    """
    crossed = crossed_boundaries(content, path, language, rules, imports)
    tags = [rule.name for rule, _ in crossed if rule.action == "tag"]
    if origin_boundary:
        name, detail = json.loads(origin_boundary)
        return (f"{REASON_PREFIX}:{name}", detail), tags
    for rule, why in crossed:
        if rule.action == "reject":
            return (f"{REASON_PREFIX}:{rule.name}", f"{why} (boundary {rule.name})"), tags
    return None, tags


def manifest_boundary(manifest: str, rules: tuple[Boundary, ...]) -> str | None:
    """For an origin's root ``package.json`` text: the first ``reject`` boundary whose
    ``dependencies`` match a declared dependency or peer dependency, as a JSON
    ``[name, detail]`` (what :func:`boundary_decision` takes), else None. Unparseable
    manifests cross nothing (ingest kept them as text; the quality filter judges them)."""
    try:
        data = json.loads(manifest)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    declared = [(section, name) for section in _MANIFEST_FIELDS
                if isinstance(data.get(section), dict) for name in data[section]]
    for rule in rules:
        if rule.action != "reject" or not rule.dependencies:
            continue
        for section, name in declared:
            if _matching(name, rule.dependencies):
                detail = f"origin's package.json {section} has '{name}' (boundary {rule.name})"
                return json.dumps([rule.name, detail])
    return None
