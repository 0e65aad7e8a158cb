"""The transform-groups benchmark's grouping: which files a native engine would take first."""

from __future__ import annotations

import sys

import pytest

from corpusforge.transform.rewrite import Engine
from corpusforge.transform.rulepack import load_rulepack
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
transform_groups = pytest.importorskip("transform_groups")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_rulepack(str(ROOT / "conf" / "rules" / "dframe_once.yaml")))


@pytest.mark.parametrize(("text", "group"), [
    ("export const add = (a: number, b: number) => a + b;\n", "nothing"),
    ("export function parse(x: any): any { return x; }\n", "constraints"),
    ("import { useState } from 'react';\nexport const C = () => useState(0)[0];\n", "renames"),
    ("import * as React from 'react';\nexport type P = React.FC<{ a: any }>;\n", "renames"),
    # Detect rules are tree-sitter queries: with rename rules, still the native-first group.
    ("import React from 'react';\nexport class A extends React.Component {}\n", "renames"),
    ("export async function load() { return (await fetch('/a')).json(); }\n", "patterns"),
    ("import { useState } from 'react';\ntry { f(); } catch (e) { console.error(e); }\n", "patterns"),
])
def test_a_file_is_grouped_by_what_its_words_wake(engine, text, group):
    kinds = {rule.id: rule.kind for rule in engine.pack.rules}
    assert transform_groups.group_of(*engine.woken(text), kinds) == group


@pytest.mark.parametrize(("text", "outcome"), [
    ("export const add = (a: number) => a + 1;\n", "nothing woken"),
    ("import { useState } from 'react';\nexport function f(fetch: number) { return fetch }\n", "no edit"),
    ("import { useState } from 'react';\nexport const C = () => useState(0)[0];\n", "rewritten"),
    ("import React, { useState } from 'react';\n"
     "export class A extends React.Component { f() { return useState(0) } }\n", "kept before the rules"),
    ("import { useState } from 'react';\nexport const C = () => useState(0)[0];\nconsole.error('C');\n",
     "reverted"),
    ("export function broken( {\n", "rejected"),
])
def test_a_file_is_put_with_what_the_engine_made_of_it(text, outcome):
    engine = Engine(load_rulepack(str(ROOT / "conf" / "rules" / "dframe_once.yaml")), partial="revert")
    result = engine.rewrite(text, "src/a.ts", "typescript")
    assert transform_groups.outcome_of(result, engine.woken(text)[0]) == outcome
