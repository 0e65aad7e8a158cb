"""A package's own modules that re-export React: found per origin, followed by the rewrite
(plain functions), and found over a DataFrame then applied by the stage's UDF (Spark)."""

from __future__ import annotations

import re

import pytest

from corpusforge import tables
from corpusforge.sources.records import doc_id_for
from corpusforge.transform import stage as transform_stage
from corpusforge.transform.aliases import (local_reexports, may_reexport, merge, module_key, origin_tables,
                                           reexport_regexes, resolver, targeted_modules)
from corpusforge.transform.rewrite import rewrite_source
from corpusforge.transform.rulepack import load_rulepack
from tests.conftest import ROOT, make_config

UTILS = "import * as React from 'react'\nexport { React }\n"
CONTEXT = """import { React } from '../utils/react'
import type { Context } from 'react'

export function getContext(): Context<number | null> {
  return React.createContext<number | null>(null)
}
"""
CONTEXT_OUT = """import { DFrame } from '@acme/dframe'

export function getContext(): DFrame.Context<number | null> {
  return DFrame.createContext<number | null>(null)
}
"""
ALIASES = {"src/utils/react": {"React": ("react", "*")}}


@pytest.fixture(scope="module")
def pack():
    return load_rulepack(str(ROOT / "conf" / "rules" / "dframe_once.yaml"))


@pytest.mark.parametrize(("text", "table"), [
    (UTILS, {"React": ("react", "*")}),
    ("import * as R from 'react'\nexport { R as React }\n", {"React": ("react", "*")}),
    ("export { useState, useEffect as useE } from 'react'\nexport * as R from 'react'\n",
     {"useState": ("react", "useState"), "useE": ("react", "useEffect"), "R": ("react", "*")}),
    ("import React from 'react'\nexport default React\n", {"default": ("react", "default")}),
    ("import { useState } from 'react'\nexport { useState as useS }\nexport const x = 1\n",
     {"useS": ("react", "useState")}),
    ("export * from 'react'\n", {}),  # mixes with the file's own exports: not followed
    ("import { a } from './a'\nexport { a }\nexport { b } from 'lodash'\n", {}),  # no targeted module
    ("import * as React from 'react'\nexport { React\n", {}),  # does not parse
    ("function f() { const React = 1; return React }\nimport * as React from 'react'\nexport { f }\n", {}),
])
def test_local_reexports_are_explicit_reexports_of_targeted_modules(pack, text, table):
    assert local_reexports(text, "src/utils/react.ts", "typescript", targeted_modules(pack)) == table


REEXPORTING = [
    UTILS, "import * as R from 'react'\nexport { R as React }\n",
    "export { useState, useEffect as useE } from 'react'\nexport * as R from 'react'\n",
    "import React from \"react\";\nexport default React\n",
    "import React, { useState } from 'react'\nconst a = 1\nexport {\n  a,\n  useState,\n}\n",
    "import type { FC } from 'react'\nexport type { FC }\n",
]
# Minified ESM: no space after the keywords.
MINIFIED = ["import{useState as u}from'react';export{u as useS};",
            "import*as R from\"react\";export{R as React};",
            "export{useState}from'react';"]


def _jvm_test(text: str, modules) -> bool:
    """The stage's JVM-side test, in Python (both syntaxes agree on these expressions)."""
    import re

    reexport_from, imports, exports = reexport_regexes(modules)
    return bool(re.search(reexport_from, text) or (re.search(imports, text) and re.search(exports, text)))


@pytest.mark.parametrize("text", REEXPORTING + MINIFIED)
def test_the_text_tests_keep_every_file_that_reexports(pack, text):
    modules = targeted_modules(pack)
    assert local_reexports(text, "src/r.ts", "typescript", modules)
    assert _jvm_test(text, modules) and may_reexport(text, modules)


def test_the_text_tests_drop_files_that_only_import(pack):
    modules = targeted_modules(pack)
    for text in (CONTEXT, "import { useState } from 'react'\nexport function f() { return useState(0) }\n",
                 "export * from 'react'\n", "import { a } from './a'\nexport { a }\n"):
        assert not _jvm_test(text, modules) and not may_reexport(text, modules)


def test_the_jvm_side_expressions_cost_a_bounded_scan_per_keyword(pack):
    # A back-reference, or `.*` after a repeated start, made the test quadratic in the text
    # (Java: 25 s for one 210 KB file of imports and export lists); each expression now
    # scans at most a window after each keyword.
    for expression in reexport_regexes(targeted_modules(pack)):
        assert "\\1" not in expression and ".*" not in expression and "(?s)" not in expression
        assert "*?" not in expression
    names = ", ".join(f"n{i}" for i in range(20))
    text = "".join(f"import {{ {names} }} from 'react';\nexport {{ m{i} }};\n" for i in range(400))
    modules = targeted_modules(pack)
    assert _jvm_test(text, modules) and not may_reexport(text, modules)  # Python decides
    assert may_reexport(text + "export { n3 };\n", modules)


def test_module_keys_and_relative_specifiers():
    assert module_key("src/utils/react.ts") == "src/utils/react"
    assert module_key("src/utils/react/index.tsx") == "src/utils/react"
    assert module_key("types/react.d.ts") == "types/react"
    lookup = resolver("src/components/Context.ts", ALIASES)
    assert lookup("../utils/react") == ALIASES["src/utils/react"]
    assert lookup("../utils/react.js") == ALIASES["src/utils/react"]
    assert lookup("./react") is None and lookup("react") is None
    assert resolver("src/a.ts", {}) is None


def test_files_reached_by_one_key_keep_what_they_agree_on():
    merged = merge([("src/r.ts", {"React": ("react", "*"), "useS": ("react", "useState")}),
                    ("src/r/index.ts", {"React": ("react", "*"), "useS": ("react", "useReducer")})])
    assert merged == {"src/r": {"React": ("react", "*")}}


def test_an_import_of_the_package_module_is_followed(pack):
    alone = rewrite_source(CONTEXT, "src/components/Context.ts", pack, partial="revert")
    # Without the origin's aliases the type is converted and the call is not: half-converted.
    assert "DFrame.Context" in alone.text and "React.createContext" in alone.text
    result = rewrite_source(CONTEXT, "src/components/Context.ts", pack, partial="revert", aliases=ALIASES)
    assert result.text == CONTEXT_OUT
    assert result.rules_fired == {"react-api": 1, "react-types": 1} and result.unsupported == {}
    assert result.stable
    again = rewrite_source(result.text, "src/components/Context.ts", pack, partial="revert", aliases=ALIASES)
    assert again.text == result.text


def test_followed_names_keep_scoping_and_namespace_imports_are_not_followed(pack):
    shadowed = ("import { React } from '../utils/react'\n"
                "export function f(React: { createContext(x: null): number }) {\n"
                "  return React.createContext(null)\n}\n")
    assert rewrite_source(shadowed, "src/components/F.ts", pack, aliases=ALIASES).text == shadowed
    namespace = ("import * as utils from '../utils/react'\n"
                 "export const C = utils.React.createContext(null)\n")
    assert rewrite_source(namespace, "src/components/N.ts", pack, aliases=ALIASES).text == namespace
    elsewhere = CONTEXT.replace("../utils/react", "../other/react")
    assert "React.createContext" in rewrite_source(elsewhere, "src/components/Context.ts", pack,
                                                   aliases=ALIASES).text


def test_a_renamed_reexport_is_followed_by_its_exported_name(pack):
    text = "import { useS } from './hooks'\nexport function C() { const [a] = useS(0); return a }\n"
    table = {"src/hooks": {"useS": ("react", "useState")}}
    out = rewrite_source(text, "src/C.tsx", pack, aliases=table).text
    assert out == "import { DFrame } from '@acme/dframe'\nexport function C() { const [a] = DFrame.useState(0); return a }\n"


def test_woken_counts_what_a_file_takes_through_its_package(pack):
    # What the rewrite above tries, the text alone says once the origin's tables are given.
    from corpusforge.transform.aliases import resolver
    from corpusforge.transform.rewrite import Engine, _Pass

    text = "import { useS } from './hooks'\nexport function C() { const [a] = useS(0); return a }\n"
    table = {"src/hooks": {"useS": ("react", "useState")}}
    engine = Engine(pack)
    assert "react-api" not in engine.woken(text)[0]
    assert "react-api" in engine.woken(text, "src/C.tsx", table)[0]
    first = _Pass(text.encode("utf-8"), "tsx", pack, aliases=resolver("src/C.tsx", table))
    rules, constraints = engine._possibilities(first)
    assert engine.woken(text, "src/C.tsx", table) == (rules, tuple(c.name for c in constraints))
    assert engine.woken(text, "src/C.tsx", {}) == engine.woken(text)
    # A table of names the file does not spell wakes nothing more.
    assert engine.woken(text, "src/C.tsx", {"src/hooks": {"useR": ("react", "useReducer")}}) == engine.woken(text)


def test_origin_tables_group_by_origin(pack):
    rows = [{"origin": "a@1", "path": "src/utils/react.ts", "language": "typescript", "content": UTILS},
            {"origin": "a@1", "path": "src/components/Context.ts", "language": "typescript", "content": CONTEXT},
            {"origin": "b@1", "path": "lib/r.js", "language": "javascript", "content": UTILS},
            {"origin": "c@1", "path": "README.md", "language": "markdown", "content": UTILS}]
    assert origin_tables(rows, pack, ("typescript", "javascript")) == {
        "a@1": ALIASES, "b@1": {"lib/r": {"React": ("react", "*")}}}


DOCS = [("a@1.0.0", "src/utils/react.ts", UTILS), ("a@1.0.0", "src/components/Context.ts", CONTEXT),
        ("b@1.0.0", "src/components/Context.ts", CONTEXT)]  # b has no utils/react of its own


def _silver(spark):
    rows = [{"doc_id": doc_id_for("npm", o, p), "source": "npm", "origin": o, "path": p, "language": "typescript",
             "license": "MIT", "license_evidence": "package.json", "content": c, "content_sha256": "0" * 64,
             "size_bytes": len(c.encode()), "run_id": "r0", "bucket": 0} for o, p, c in DOCS]
    return spark.createDataFrame(rows, tables.SILVER_FILTERED.schema)


def test_the_stage_finds_each_origins_aliases_and_follows_them(spark):
    transform = transform_stage.make_transform(make_config(ROOT / "unused").transform)
    documents = _silver(spark)
    aliases = transform_stage.find_aliases(documents, transform)
    assert aliases == {"a@1.0.0": ALIASES}
    from dataclasses import replace

    out = transform_stage.transform_documents(documents, replace(transform, aliases=aliases))
    rows = {(r["origin"], r["path"]): r for r in out.collect()}
    assert rows[("a@1.0.0", "src/components/Context.ts")]["content"] == CONTEXT_OUT
    assert rows[("a@1.0.0", "src/utils/react.ts")]["content"] == UTILS
    # In b the import reaches nothing the run knows: half a rewrite, so it is kept as it was.
    other = rows[("b@1.0.0", "src/components/Context.ts")]
    assert other["content"] == CONTEXT or "React.createContext" in other["content"]


def test_the_jvm_side_test_keeps_every_reexporting_form(spark, pack):
    transform = transform_stage.make_transform(make_config(ROOT / "unused").transform)
    rows = [{"doc_id": doc_id_for("npm", f"o{i}@1", "src/r.ts"), "source": "npm", "origin": f"o{i}@1",
             "path": "src/r.ts", "language": "typescript", "license": "MIT", "license_evidence": "x",
             "content": text, "content_sha256": "0" * 64, "size_bytes": len(text), "run_id": "r0", "bucket": 0}
            for i, text in enumerate(REEXPORTING + MINIFIED + [CONTEXT])]
    found = transform_stage.find_aliases(spark.createDataFrame(rows, tables.SILVER_FILTERED.schema), transform)
    assert sorted(found) == [f"o{i}@1" for i in range(len(REEXPORTING + MINIFIED))]
    assert found["o0@1"] == {"src/r": {"React": ("react", "*")}}


@pytest.mark.parametrize("follow", [True, False])
def test_the_stage_follows_reexports_unless_told_not_to(spark, tmp_path, follow):
    config = make_config(tmp_path / "wh", **{"transform.follow_reexports": follow})
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, _silver(spark))
    transform_stage.run(spark, config)
    gold = tables.read_table(spark, config.warehouse, tables.GOLD_DOCUMENTS)
    context = gold.where("origin = 'a@1.0.0' AND path = 'src/components/Context.ts'").first()["content"]
    if follow:
        assert context == CONTEXT_OUT
    else:  # alone, the file would be half-converted, and the stage's `partial: revert` cannot see it
        assert "DFrame.Context" in context and "React.createContext" in context


def test_a_default_reexport_of_axios_is_followed(pack):
    http = "import axios from 'axios'\nexport default axios\n"
    assert local_reexports(http, "src/lib/http.ts", "typescript", targeted_modules(pack)) == {
        "default": ("axios", "default")}
    text = "import http from '../lib/http'\nexport async function load() { const r = await http.get('/api/x'); return r.data }\n"
    out = rewrite_source(text, "src/app/load.ts", pack, aliases={"src/lib/http": {"default": ("axios", "default")}})
    assert out.text == ("import { ONCE } from '@acme/once'\n"
                        "export async function load() { const r = await ONCE.apiClient.get('/api/x'); return r.data }\n")
    assert rewrite_source(text, "src/app/load.ts", pack).text == text
