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
    ("export async function load() { return (await fetch('/a')).json(); }\n", "patterns"),
    ("import { useState } from 'react';\ntry { f(); } catch (e) { console.error(e); }\n", "patterns"),
])
def test_a_file_is_grouped_by_what_its_words_wake(engine, text, group):
    kinds = {rule.id: rule.kind for rule in engine.pack.rules}
    assert transform_groups.group_of(*engine.woken(text), kinds) == group
