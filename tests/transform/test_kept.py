"""Files kept as written before the rewrite runs (``transform.kept``): the early decision
against the full rewrite, its oracle, and the shapes where it must not decide."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from corpusforge.transform import rewrite_source
from corpusforge.transform.rewrite import Engine
from corpusforge.transform.rulepack import rulepack_from_dict

from .conftest import RULEPACK
from .test_lazy_analysis import SOURCES, _id
from .test_properties import SETTINGS, programs


class _Never:
    """A finder that never decides early: the engine then rewrites, checks and reverts."""

    def find(self, doc, possible):
        return None


def _late(pack) -> Engine:
    engine = Engine(pack, partial="revert")
    engine.kept = _Never()  # type: ignore[assignment]
    return engine


def _early(result) -> bool:
    return result.kept_as_written


def _same_output(early, late) -> None:
    """The early decision changes no output: the text, rejection, framework calls and
    constraints are those of the full rewrite, which reverts the file (or leaves it as is)."""
    assert (early.text, early.reject_reason, early.framework_calls, early.constraints, sorted(early.tags)) == \
        (late.text, late.reject_reason, late.framework_calls, late.constraints, sorted(late.tags))
    assert not late.kept_as_written
    if _early(early):
        assert early.text == early.original and early.rules_fired == {}
        assert any(d.code == "reverted" and "not tried" in d.message for d in early.diagnostics)
        assert any(d.code == "reverted" for d in late.diagnostics) or not late.changed
        # What it counts is in the file as written; the full rewrite counted its output.
        assert set(early.unsupported) <= {"react-import-left", "react-require-left", "react-reexports",
                                          "react-class-component", "react-class-error-boundary",
                                          "axios-instance", "testing-library"}
    else:
        assert early.unsupported == late.unsupported


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_the_early_decision_changes_no_output(path, pack):
    text = path.read_text(encoding="utf-8")
    name = f"src/{path.parent.name}{path.suffix}"
    _same_output(Engine(pack, partial="revert").rewrite(text, name), _late(pack).rewrite(text, name))


UNMAPPED = [
    "import { useSyncExternalStore } from 'react';",
    "import type { ReactElement } from 'react';",
    "import React, { useId, useState } from 'react';",
    "import * as RR from 'react';",
    "import type { ComponentProps } from 'react';",
    "var import_react = __toESM(require('react'));",
]
USES = [
    "const s = useSyncExternalStore(sub, get);",
    "const id = useId();",
    "RR.useLayoutEffect(() => {});",
    "const [v] = RR.useState(0);",
    "type P = ComponentProps<'div'>;",
    "type E = ReactElement | null;",
    "import_react.useSyncExternalStore(sub, get);",
    "import_react.useState(1);",
    "function g(useId: () => string) { return useId(); }",
    "const n = React.Children.count(kids);",
]


@SETTINGS
@given(programs(), st.lists(st.sampled_from(UNMAPPED), min_size=1, max_size=3, unique=True),
       st.lists(st.sampled_from(USES), min_size=1, max_size=4))
def test_the_early_decision_changes_no_output_on_generated_programs(pack, code, imports, uses):
    code = "\n".join(imports) + "\n" + code + "\nexport function h() {\n  " + "\n  ".join(uses) + "\n}\n"
    _same_output(Engine(pack, partial="revert").rewrite(code, "src/gen.tsx"),
                 _late(pack).rewrite(code, "src/gen.tsx"))


def _kept(pack, text: str, path: str = "src/a.tsx"):
    engine = Engine(pack, partial="revert")
    result = engine.rewrite(text, path)
    return result, _early(result)


def test_a_used_name_no_rule_maps_keeps_the_file_as_written(pack):
    text = ("import { useState, useSyncExternalStore } from 'react';\n"
            "export function C() {\n  const [a] = useState(0);\n  return useSyncExternalStore(s, () => a);\n}\n")
    result, early = _kept(pack, text)
    assert early and result.text == text and result.rules_fired == {} and result.stable
    message = next(d for d in result.diagnostics if d.code == "reverted")
    assert "`useSyncExternalStore`" in message.message and message.line == 4
    assert result.unsupported == {"react-import-left": 1}
    # partial: keep still rewrites what it can.
    assert "DFrame.useState" in rewrite_source(text, "src/a.tsx", pack, partial="keep").text


@pytest.mark.parametrize("text", [
    # Unused: import management keeps it, but nothing says the file is used as written.
    "import { useState, useId } from 'react';\nexport const a = useState(0);\n",
    # Shadowed: the reference is the parameter, not the import.
    "import { useState, useId } from 'react';\nexport function f(useId: () => string) {\n"
    "  useState(0);\n  return useId();\n}\n",
    # Only mapped names through the namespace.
    "import * as R from 'react';\nexport const [a] = R.useState(0);\nR.useEffect(() => {}, []);\n",
    # A module no detect rule counts imports of (the pack has no `axios-import-left`).
    "import axios, { AxiosError } from 'axios';\nexport const e: AxiosError | null = null;\n"
    "export const r = axios.get('/x');\n",
    # Only the names an existing import already moves.
    "export { useState } from 'react';\n",
], ids=["unused", "shadowed", "namespace-mapped-only", "no-detect-rule", "reexport-only"])
def test_no_early_decision_where_the_rewrite_may_convert_everything(pack, text):
    result, early = _kept(pack, text)
    assert not early
    _same_output(result, _late(pack).rewrite(text, "src/a.tsx"))


def test_namespace_members_and_requires_no_rule_maps_keep_the_file(pack):
    namespace = "import * as R from 'react';\nexport const [a] = R.useState(0);\nR.useLayoutEffect(() => {});\n"
    result, early = _kept(pack, namespace)
    assert early and "`R`" in next(d.message for d in result.diagnostics if d.code == "reverted")
    bundle = ("var import_react = __toESM(require(\"react\"));\n"
              "function C() {\n  const [a] = import_react.useState(0);\n"
              "  return import_react.useSyncExternalStore(s, () => a);\n}\n")
    result, early = _kept(pack, bundle, "dist/index.js")
    assert early and result.unsupported == {"react-require-left": 1}
    assert _late(pack).rewrite(bundle, "dist/index.js").text == bundle


def test_a_module_no_rule_targets_keeps_the_file_when_a_detect_rule_counts_its_import(pack):
    """`react/jsx-runtime` has no rule of its own, but `react-import-left` counts it."""
    text = ("import * as jsxr from 'react/jsx-runtime';\nimport * as React from 'react';\n"
            "declare const C: (p: { c: React.ReactNode }) => jsxr.JSX.Element;\nexport { C };\n")
    result, early = _kept(pack, text, "src/a.d.ts")
    assert early and "`jsxr`" in next(d.message for d in result.diagnostics if d.code == "reverted")
    assert result.unsupported == {"react-import-left": 2}
    late = _late(pack).rewrite(text, "src/a.d.ts")
    assert late.text == text and late.unsupported == {"react-import-left": 1}


def _data() -> dict:
    return yaml.safe_load(RULEPACK.read_text(encoding="utf-8"))


def _pack(pack, **changes):
    data = _data()
    data.update(changes)
    return rulepack_from_dict(data, "test")


TEXT = ("import { useState, useId } from 'react';\n"
        "export function C() {\n  const [a] = useState(0);\n  return useId() + a;\n}\n")


def test_a_pattern_rule_on_the_module_or_a_template_dropping_a_capture_prevents_it(pack):
    assert _kept(pack, TEXT)[1]
    rules = _data()["rules"]
    on_react = {"id": "use-id", "kind": "pattern", "uses": {"useId": {"module": "react", "name": "useId"}},
                "pattern": "useId()", "fix": "DFrame.useState('id')[0]", "imports": ["DFrame"]}
    result, early = _kept(_pack(pack, rules=rules + [on_react]), TEXT)
    assert not early and "DFrame.useState('id')" in rewrite_source(
        TEXT, "src/a.tsx", _pack(pack, rules=rules + [on_react]), partial="keep").text
    dropping = {"id": "drop-arg", "kind": "pattern", "uses": {"console": {"global": "console"}},
                "pattern": "console.log($X)", "fix": "void 0"}
    assert not _kept(_pack(pack, rules=rules + [dropping]), TEXT + "console.log(1);\n")[1]


def test_the_detect_rule_must_count_the_import_as_it_may_be_left(pack):
    rules = [r for r in _data()["rules"]
             if r["id"] not in ("react-import-left", "react-require-left")]
    # Counts an import only while it still names useState, which the rewrite removes.
    on_use_state = {"id": "use-state-import-left", "kind": "detect",
                    "query": '(import_specifier name: (identifier) @name (#eq? @name "useState")) @spec'}
    changed = _pack(pack, rules=rules + [on_use_state])
    result, early = _kept(changed, TEXT)
    assert not early
    late = _late(changed).rewrite(TEXT, "src/a.tsx")
    assert late.text == result.text != TEXT  # rewritten: nothing counted React's useId
    # Without any detect rule on React's imports nothing is decided early either.
    assert not _kept(_pack(pack, rules=rules), TEXT)[1]


def test_the_reduced_import_cache_stays_bounded(pack, monkeypatch):
    """Local names vary without end in minified code: the cache of reduced imports is
    dropped at its bound, and the answers do not change."""
    from corpusforge.transform import kept as kept_module

    monkeypatch.setattr(kept_module, "_MINIMAL_CACHE", 3)
    engine = Engine(pack, partial="revert")
    for i in range(10):
        text = f"import * as R{i} from 'react';\nR{i}.useLayoutEffect(() => {{}});\nexport const a = R{i}.useState(0);\n"
        assert engine.rewrite(text, "src/a.ts").kept_as_written
        assert len(engine.kept._minimal) <= 3


def test_a_file_whose_react_references_are_all_renamed_skips_the_detect_query(pack, monkeypatch):
    """The renames analyse those names anyway; the detect rule's query would run on a text
    about to change (the leftover count runs it on the output)."""
    from corpusforge.transform import kept as kept_module

    asked: list[str] = []
    real = kept_module.find_matches

    def counting(rule, pack_, doc):
        asked.append(rule.id)
        return real(rule, pack_, doc)

    monkeypatch.setattr(kept_module, "find_matches", counting)
    mapped = "import React, { useState } from 'react';\nexport function C() {\n  const [a] = useState(0);\n" \
             "  React.useEffect(() => {}, []);\n  return a;\n}\n"
    result, early = _kept(pack, mapped)
    assert not early and "DFrame.useState" in result.text and asked == []
    unmapped = mapped.replace("useState }", "useState, useId }").replace("return a;", "return useId() + a;")
    result, early = _kept(pack, unmapped)
    assert early and set(asked) == {"react-import-left"}  # the file, and the import reduced to `useId`
