"""A package's own modules that re-export a module the rule pack targets.

react-redux keeps ``import * as React from 'react'; export { React }`` in ``src/utils/react.ts``
and its other files take ``React`` from ``'../utils/react'``. A rewrite that sees one file
at a time would rename what those files take from ``'react'`` directly and leave what they
take through the package's module: half-converted code. So the stage first finds, per
origin (repository or package), the files that re-export a targeted module, and the engine
treats an import of such a file (by a relative specifier) as an import of what it
re-exports. Only explicit re-exports count: ``export { a, b as c } from 'm'``,
``export * as R from 'm'``, ``export { X }`` / ``export default X`` of an import from
``'m'``; ``export * from 'm'`` is left alone (the file's own exports would mix with it).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

from corpusforge.transform.bindings import imported_names, offsets, string_value
from corpusforge.transform.parsing import grammar_for, parse
from corpusforge.transform.rulepack import RulePack

# (exported name -> (module, imported)) of one local module.
Table = dict[str, tuple[str, str]]
_EXTENSIONS = (".d.ts", ".d.mts", ".d.cts", ".tsx", ".ts", ".mts", ".cts", ".jsx", ".js", ".mjs", ".cjs")


def module_key(path: str) -> str:
    """The name a relative import reaches ``path`` by: no extension, no trailing ``/index``."""
    key = posixpath.normpath(path)
    for ext in _EXTENSIONS:
        if key.endswith(ext):
            key = key[: -len(ext)]
            break
    return key[: -len("/index")] if key.endswith("/index") else key


def targeted_modules(pack: RulePack) -> frozenset[str]:
    """The modules whose re-exports are followed: those the pack names, less the framework's."""
    framework = set(pack.framework.modules) | {spec.from_ for spec in pack.framework.imports.values()}
    return frozenset(m for m in pack.named_modules if m not in framework)


_WORD = re.compile(r"[A-Za-z_$][\w$]*")
# Anchored at an `export` (re.match at its offset): a list, a default name, or `… from 'm'`.
_EXPORT = re.compile(r"""export\s*(?:type\s*)?(?:\{(?P<list>[^}]*)\}(?:\s*from\s*(?P<q>['"])(?P<from>[^'"]+)(?P=q))?"""
                     r"""|\*\s*as\s+[A-Za-z_$][\w$]*\s*from\s*(?P<q2>['"])(?P<nsfrom>[^'"]+)(?P=q2)"""
                     r"""|default\s+(?P<default>[A-Za-z_$][\w$]*))""")


# How far before a quoted module name its `import` or `export` keyword may be; may_reexport
# looks back as far.
WINDOW = 4000


def reexport_regexes(modules: Iterable[str]) -> tuple[str, str, str]:
    """Three regular expressions (Java's and Python's syntax alike) that every file
    :func:`local_reexports` finds something in satisfies: it matches the first (an
    ``export … from`` one of ``modules``), or both the second (an import from one of them)
    and the third (an export list, or a default export of a name). Spark runs them on the
    JVM, so that only the files they keep travel to Python, where :func:`may_reexport` decides.

    Each costs at most ``WINDOW`` steps per keyword: no back-reference and no unbounded scan
    after a repeated start. One expression for the whole condition (the import's name again
    in the export list) needs a back-reference and a scan from each import to the exports:
    Java's matcher took 2 s on a 52 KB file of imports and export lists, 25 s on one four
    times as long."""
    quoted = "['\"](?:" + "|".join(re.escape(m) for m in sorted(modules)) + ")['\"]"
    name = r"[A-Za-z_$][\w$]*"
    reexport_from = rf"export\s*(?:type\s*)?(?:\{{[^}}]{{0,{WINDOW}}}\}}|\*\s*as\s+{name})\s*from\s*{quoted}"
    imports = rf"import[\s{{*][^;'\"`]{{0,{WINDOW}}}from\s*{quoted}"
    exports = r"export\s*(?:type\s*)?\{|export\s+default\s+[A-Za-z_$]"
    return reexport_from, imports, exports


def may_reexport(text: str, modules: Iterable[str]) -> bool:
    """A cheap, text-only necessary condition for :func:`local_reexports` to find anything:
    an export list or default export naming a word of an import from one of ``modules``
    (the text between that import's last `import` keyword and its quoted module), or an
    ``export … from`` one of them. Most files fail it without a parse."""
    if "export" not in text:
        return False
    imported: set[str] = set()
    for module in modules:
        for q in ("'", '"'):
            for at in offsets(text, f"{q}{module}{q}"):
                start = text.rfind("import", max(0, at - WINDOW), at)
                export = text.rfind("export", max(0, at - WINDOW), at)
                if export > start:  # `export { … } from 'm'` or `export * as X from 'm'`?
                    m = _EXPORT.match(text, export)
                    if m is not None and module in (m["from"], m["nsfrom"]):
                        return True
                elif start != -1:
                    imported.update(_WORD.findall(text, start + 6, at))
    imported -= {"as", "type", "from"}
    # Only an export list or default export naming one of those words can re-export it.
    if not imported:
        return False
    for at in offsets(text, "export"):
        m = _EXPORT.match(text, at)
        if m is None:
            continue
        if m["from"] is None and m["list"] is not None and imported.intersection(_WORD.findall(m["list"])):
            return True
        if m["default"] is not None and m["default"] in imported:
            return True
    return False


def local_reexports(text: str, path: str, language: str | None, modules: frozenset[str]) -> Table:
    """What the file re-exports of ``modules``: exported name -> (module, imported name),
    ``"*"`` for a namespace. Empty when the file does not parse cleanly. Only top-level
    statements are read (imports and exports are top-level), so no scope analysis is needed.
    """
    tree = parse(text, grammar_for(path, language))
    root = tree.root_node
    if root.has_error:
        return {}
    imports: Table = {}
    for statement in root.named_children:
        if statement.type == "import_statement":
            imports.update(_imported(statement, modules))
    out: Table = {}
    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        source = statement.child_by_field_name("source")
        clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
        if source is not None:
            module = string_value(source)
            if module not in modules:
                continue
            namespace = next((c for c in statement.named_children if c.type == "namespace_export"), None)
            if namespace is not None and namespace.named_children:
                out[namespace.named_children[-1].text.decode()] = (module, "*")
            for spec in clause.named_children if clause is not None else ():
                if spec.type == "export_specifier":
                    name = spec.child_by_field_name("name").text.decode()
                    alias = spec.child_by_field_name("alias")
                    out[alias.text.decode() if alias is not None else name] = (module, name)
            continue
        if clause is not None:  # export { X, Y as Z } of the file's own imports
            for spec in clause.named_children:
                name = spec.child_by_field_name("name") if spec.type == "export_specifier" else None
                if name is None or name.type != "identifier" or name.text.decode() not in imports:
                    continue
                alias = spec.child_by_field_name("alias")
                out[alias.text.decode() if alias is not None else name.text.decode()] = imports[name.text.decode()]
            continue
        value = statement.child_by_field_name("value")  # export default X
        if value is not None and value.type == "identifier" and value.text.decode() in imports \
                and any(c.type == "default" for c in statement.children):
            out["default"] = imports[value.text.decode()]
    return out


def _imported(statement, modules: frozenset[str]) -> Table:
    """Local name -> (module, imported) of an import statement of one of ``modules``."""
    return {name.ident.text.decode(): (name.module, name.imported) for name in imported_names(statement)
            if name.part != "require" and name.module in modules}


def merge(entries: Iterable[tuple[str, Table]]) -> dict[str, Table]:
    """Module key -> table from (path, table) pairs of one origin. Files reached by the same
    key (``a.ts`` and ``a/index.ts``) keep the names they agree on."""
    out: dict[str, Table] = {}
    for path, table in entries:
        key = module_key(path)
        if key not in out:
            out[key] = dict(table)
        else:
            out[key] = {k: v for k, v in out[key].items() if table.get(k) == v}
    return {k: v for k, v in out.items() if v}


def origin_tables(rows: Iterable[Mapping], pack: RulePack, languages: Iterable[str]) -> dict[str, dict[str, Table]]:
    """Origin -> module key -> table over rows of (origin, path, language, content), in one
    process (the stage does the same in Spark: ``transform.stage.find_aliases``)."""
    modules = targeted_modules(pack)
    found: dict[str, list[tuple[str, Table]]] = {}
    for row in rows:
        text = row["content"] or ""
        if row["language"] in languages and may_reexport(text, modules):
            table = local_reexports(text, row["path"] or "", row["language"], modules)
            if table:
                found.setdefault(row["origin"] or "", []).append((row["path"] or "", table))
    return {origin: merged for origin, entries in found.items() if (merged := merge(entries))}


class Resolver:
    """For a file at ``path``: the table of the local module a relative import specifier
    names (None for a package or an unknown file), and the origin's ``tables`` themselves
    (the engine takes trigger words from them)."""

    def __init__(self, path: str, tables: Mapping[str, Table]) -> None:
        self.base = posixpath.dirname(path)
        self.tables = tables

    def __call__(self, specifier: str) -> Table | None:
        if not specifier.startswith("."):
            return None
        return self.tables.get(module_key(posixpath.join(self.base, specifier)))


def resolver(path: str, tables: Mapping[str, Table] | None) -> Resolver | None:
    """The :class:`Resolver` of a file at ``path``; None when the origin has no table."""
    return Resolver(path, tables) if tables else None
