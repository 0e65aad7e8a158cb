"""Loading and validating rule packs: clear errors naming the rule and the file."""

from __future__ import annotations

import copy

import pytest
import yaml

from corpusforge.errors import ConfigError
from corpusforge.transform import load_rulepack, rewrite_source, rulepack_from_dict

from .conftest import RULEPACK

MINIMAL = {
    "name": "mini",
    "framework": {"modules": ["@fw/ui"], "imports": {"UI": {"from": "@fw/ui"}}},
    "rules": [{"id": "hooks", "kind": "rename", "module": "react", "names": ["useState"],
               "to": "UI.{name}", "imports": ["UI"]}],
}


def _with(**changes) -> dict:
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


def _rule(**fields) -> dict:
    return _with(rules=[dict({"id": "r1"}, **fields)])


def test_the_shipped_pack_loads_and_exposes_the_filter_stage_boundaries(pack):
    assert pack.name == "dframe_once"
    assert {b.name for b in pack.boundaries} >= {"vue", "angular", "jquery"}
    vue = next(b for b in pack.boundaries if b.name == "vue")
    assert vue.action == "reject" and "vue" in vue.imports
    assert len(pack.rules) >= 20 and {c.name for c in pack.constraints} >= {
        "raw_fetch", "any_in_exported_signature", "dangerously_set_inner_html", "eval"}


def test_the_boundaries_section_is_plain_yaml_the_filter_stage_can_read():
    data = yaml.safe_load(RULEPACK.read_text(encoding="utf-8"))
    assert all({"name", "action"} <= set(b) for b in data["boundaries"])


def test_a_second_framework_can_be_described_without_code_changes():
    pack = rulepack_from_dict(MINIMAL)
    result = rewrite_source("import { useState } from 'react';\nconst [a] = useState(1);\n", "a.ts", pack)
    assert result.text == "import { UI } from '@fw/ui';\nconst [a] = UI.useState(1);\n"
    assert result.framework_calls == 1


def test_a_module_rule_keeps_declarations_in_files_holding_an_unless_shape():
    pack = rulepack_from_dict(_rule(kind="module", **{"from": "lib-a"}, to="lib-b", names=["get"],
                                    unless=[{"pattern": "$X.raw"}]))
    blocked = "import { get } from 'lib-a';\nconst size = get('k').raw.length;\n"
    result = rewrite_source(blocked, "a.ts", pack)
    assert result.text == blocked and result.unsupported == {"r1": 1}
    assert [d.message for d in result.diagnostics] == [
        "import from 'lib-a' kept: `get('k').raw` (line 2) has no counterpart in `lib-b`"]
    # `raw` spelled elsewhere (a name, a string, a comment, a call) is no such member read.
    free = "import { get } from 'lib-a';\nconst raw = get('raw'); // .raw\nraw(1);\n"
    moved = rewrite_source(free, "a.ts", pack)
    assert moved.text == free.replace("'lib-a'", "'lib-b'") and moved.rules_fired == {"r1": 1}
    assert moved.unsupported == {}


@pytest.mark.parametrize(("data", "message"), [
    (_rule(kind="teleport"), "rule `r1`: unknown kind 'teleport'"),
    (_rule(kind="rename", module="react", names=["a"], to="X", colour="red"), "rule `r1`: colour: unknown key"),
    (_rule(kind="rename", module="react", names=["a"], to="X", imports=["Nope"]),
     "rule `r1`: imports `Nope`, which framework.imports does not declare"),
    (_rule(kind="pattern", pattern="foo(", fix="x"), "rule `r1`: pattern does not parse"),
    (_rule(kind="pattern", pattern="a(); b();", fix="x"), "rule `r1`: a pattern must be one expression or statement"),
    (_rule(kind="pattern", pattern="foo($A)", fix="bar($B)"), "rule `r1`: fix uses $B, which the pattern does not capture"),
    (_rule(kind="pattern", pattern="foo($A)", fix="x", where={"Z": {"kind": "string"}}),
     "rule `r1`: `where` names $Z, which the pattern does not capture"),
    (_rule(kind="detect", query="(no_such_node) @x"), "rule `r1`: Invalid node type"),
    (_rule(kind="module", **{"from": "a"}, to="b", unless=[{"pattern": "x.("}]),
     "rule `r1` unless[0]: pattern does not parse"),
    (_rule(kind="module", **{"from": "a"}, to="b", unless=[{"pattern": "x", "query": "(identifier) @i"}]),
     "give exactly one of"),
    (_rule(kind="detect", query="(identifier) @x", uses={"y": {"global": "fetch"}}), "`y` is not a capture"),
    (_rule(kind="detect", pattern="a", query="(identifier) @x"), "give exactly one of"),
    (_rule(kind="pattern", pattern="foo($A)", fix="x", uses={"foo": {"module": "m", "global": "g"}}),
     "give exactly one of `module` or `global`"),
    (_with(constraints=[{"name": "c", "pattern": "eval($$$A)", "action": "fix"}]),
     "constraint `c`: action `fix` needs `fixed_by`"),
    (_with(constraints=[{"name": "c", "pattern": "eval($$$A)", "action": "fix", "fixed_by": ["ghost"]}]),
     "constraint `c`: fixed_by names unknown rule `ghost`"),
    (_with(rules=MINIMAL["rules"] * 2), "rule `hooks`: duplicate rule id"),
    (_with(framework={"modules": []}, unknown_section=1), "unknown_section: unknown key"),
])
def test_invalid_packs_fail_with_the_rule_and_the_problem(data, message):
    with pytest.raises(ConfigError) as err:
        rulepack_from_dict(data, "packs/bad.yaml")
    text = str(err.value)
    assert message in text
    assert "packs/bad.yaml" in text and "docs/RULES.md" in text


def test_missing_file_and_bad_yaml_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_rulepack(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rulepack(bad)


def test_a_jsx_query_only_applies_to_tsx_files():
    pack = rulepack_from_dict(_with(constraints=[{
        "name": "html", "action": "reject",
        "query": '(jsx_attribute (property_identifier) @a (#eq? @a "dangerouslySetInnerHTML"))'}]))
    tsx = rewrite_source("const x = <div dangerouslySetInnerHTML={{ __html: h }} />;\n", "a.tsx", pack)
    assert tsx.reject_reason == "constraint:html"
    ts_ = rewrite_source("const dangerouslySetInnerHTML = 1;\n", "a.ts", pack)
    assert ts_.reject_reason is None
