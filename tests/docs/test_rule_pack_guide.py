"""docs/RULE_PACK_GUIDE.md: every YAML block loads with the real rule-pack loader, the steps
add up to the whole file it shows, and its example rewrites exactly as printed."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from corpusforge.errors import ConfigError
from corpusforge.transform import rewrite_source, rulepack_from_dict
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "RULE_PACK_GUIDE.md"
FENCE = re.compile(r"(?:<!-- guide:(?P<role>\w+)(?: (?P<path>\S+))? -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)


def blocks(lang: str) -> list[re.Match]:
    return [m for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8")) if m["lang"] == lang]


def add(pack: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    """A fragment's rules/constraints added to the pack; one with a known id or name replaces it."""
    pack = copy.deepcopy(pack)
    for section, key in (("rules", "id"), ("constraints", "name")):
        for item in fragment.get(section, []):
            items = pack.setdefault(section, [])
            same = [i for i, old in enumerate(items) if old[key] == item[key]]
            if same:
                items[same[0]] = item
            else:
                items.append(item)
    return pack


def pack_states() -> list[tuple[int, dict[str, Any]]]:
    """(block number, the pack after that block) for every YAML block of the guide."""
    states: list[tuple[int, dict[str, Any]]] = []
    pack: dict[str, Any] | None = None
    for number, match in enumerate(blocks("yaml"), 1):
        data = yaml.safe_load(match["body"])
        assert isinstance(data, dict), f"YAML block {number} is not a mapping"
        if "name" in data:
            pack = data
        else:
            assert pack is not None and set(data) <= {"rules", "constraints"}, \
                f"YAML block {number}: a fragment holds only rules/constraints and follows a whole pack"
            pack = add(pack, data)
        states.append((number, pack))
    return states


def example() -> tuple[str, str, str]:
    found = {m["role"]: m for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8")) if m["role"]}
    return found["input"]["path"], found["input"]["body"], found["output"]["body"]


def test_every_yaml_block_is_a_valid_rule_pack():
    states = pack_states()
    assert len(states) >= 6
    for number, pack in states:
        try:
            rulepack_from_dict(copy.deepcopy(pack), f"{GUIDE.name}, YAML block {number}")
        except ConfigError as exc:
            pytest.fail(f"YAML block {number} does not load: {exc}")


def test_the_steps_add_up_to_the_whole_file():
    states = pack_states()
    whole = yaml.safe_load(blocks("yaml")[-1]["body"])
    assert "name" in whole, "the last YAML block is the whole file"
    built = states[-2][1]
    assert built == whole


def test_each_step_does_what_the_guide_says_in_the_lab():
    path, source, _ = example()
    states = [rulepack_from_dict(copy.deepcopy(p)) for _, p in pack_states()]
    start = rewrite_source(source, path, states[0], partial="keep")
    assert not start.changed and not start.rules_fired and not start.unsupported
    with_constraint = next(p for p in states if p.constraints and len(p.rules) == 3)
    half = rewrite_source(source, path, with_constraint, partial="keep")
    assert half.constraints == {"raw_axios": 1} and "raw_axios" in half.tags
    assert "import axios from 'axios';" in half.text


def test_the_example_rewrites_exactly_as_printed():
    path, source, expected = example()
    pack = rulepack_from_dict(yaml.safe_load(blocks("yaml")[-1]["body"]), "RULE_PACK_GUIDE.md")
    result = rewrite_source(source, path, pack, partial="keep")
    assert result.text == expected
    assert result.rules_fired == {"react-hooks": 2, "react-types": 1, "axios-get": 1, "axios-post": 1}
    assert result.framework_calls == 4 and not result.unsupported and not result.constraints
    assert rewrite_source(result.text, path, pack, partial="keep").text == result.text


def test_a_class_component_is_counted_unsupported_as_step_5_says():
    pack = rulepack_from_dict(yaml.safe_load(blocks("yaml")[-1]["body"]), "RULE_PACK_GUIDE.md")
    source = ("import React from 'react';\n\n"
              "export class Todos extends React.Component {\n  render() { return <ul />; }\n}\n")
    result = rewrite_source(source, "src/Todos.tsx", pack, partial="revert")
    # The class keeps its React import, which `react-import-left` counts too.
    assert result.unsupported == {"react-class-component": 1, "react-import-left": 1}
    assert not result.changed  # revert: no half-converted file


def test_a_react_api_kit_lacks_keeps_the_file_whole_as_step_5_says():
    pack = rulepack_from_dict(yaml.safe_load(blocks("yaml")[-1]["body"]), "RULE_PACK_GUIDE.md")
    source = ("import { useState, useSyncExternalStore } from 'react';\n\n"
              "export function useTodos(store) {\n  const [f] = useState('all');\n"
              "  return [f, useSyncExternalStore(store.subscribe, store.get)];\n}\n")
    kept = rewrite_source(source, "src/todos.ts", pack, partial="keep")
    assert "Kit.useState" in kept.text and "import { useSyncExternalStore } from 'react';" in kept.text
    assert kept.unsupported == {"react-import-left": 1}
    reverted = rewrite_source(source, "src/todos.ts", pack, partial="revert")
    assert reverted.text == source and reverted.unsupported == {"react-import-left": 1}


def test_the_guides_declarations_declare_every_target_of_its_pack(tmp_path):
    from corpusforge.transform.analysis import check_rules, declaration_api

    for match in blocks("ts"):
        first, _, body = match["body"].partition("\n")
        relative = first.removeprefix("// conf/framework/")
        assert relative != first and relative.endswith(".d.ts"), "a declaration block names its file"
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(body, encoding="utf-8")
    declarations = declaration_api(tmp_path)
    assert set(declarations) == {"@contoso/kit", "@contoso/net"}
    pack = rulepack_from_dict(yaml.safe_load(blocks("yaml")[-1]["body"]), "RULE_PACK_GUIDE.md")
    checks = check_rules(pack, declarations, declarations)
    assert len(checks) >= 7
    assert [c.target for c in checks if not c.in_declarations] == []
