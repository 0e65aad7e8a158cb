"""The text test a pattern's anchored names pass before they are resolved
(``matching.may_denote``): never False where resolution finds the symbol (every node of
every case, sample and generated program), False on the names it exists to skip, and
the engine's results the same with the test defeated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpusforge.transform import matching as matching_module
from corpusforge.transform.bindings import Symbol, resolve_bindings
from corpusforge.transform.matching import may_denote
from corpusforge.transform.parsing import grammar_for, parse, walk
from corpusforge.transform.rewrite import Engine

from .test_lazy_analysis import NAMESPACE_DEFAULTS, SOURCES, _id
from .test_properties import SETTINGS, programs

RESOLVABLE = ("identifier", "type_identifier", "shorthand_property_identifier", "member_expression",
              "nested_identifier", "nested_type_identifier")


def _resolved(source: bytes, path: str) -> list[tuple[object, Symbol]]:
    tree = parse(source, grammar_for(path))
    bindings = resolve_bindings(tree, NAMESPACE_DEFAULTS)
    found = []
    for node in walk(tree.root_node):
        symbol = bindings.resolve(node)
        if symbol is not None:
            found.append((node, symbol))
    return found


def _holds(source: bytes, path: str) -> int:
    resolved = _resolved(source, path)
    for node, symbol in resolved:
        assert may_denote(node, symbol), (node.type, node.text, symbol)
    return len(resolved)


def test_every_node_that_resolves_passes_the_text_test():
    checked = sum(_holds(path.read_bytes(), path.name) for path in SOURCES)
    assert checked > 1000  # globals, imports, namespace members, types, `window.` chains


@SETTINGS
@given(programs(), st.sampled_from(["gen.ts", "gen.tsx"]))
def test_every_node_that_resolves_passes_the_text_test_in_generated_programs(code, path):
    _holds(code.encode("utf-8"), path)


def _node(code: str, text: str, path: str = "a.tsx"):
    tree = parse(code.encode("utf-8"), grammar_for(path))
    found = [n for n in walk(tree.root_node) if n.text == text.encode("utf-8") and n.type in RESOLVABLE]
    assert found, text
    return found[0]


CONSOLE_ERROR = Symbol("", "console.error")
AXIOS_GET = Symbol("axios", "get")


@pytest.mark.parametrize("code, text, symbol, expected", [
    # What it exists to skip: names of minified code no global or chain could be.
    ("n(function () { console.error(e); });", "n", CONSOLE_ERROR, False),
    ("t.x(e);", "t.x", CONSOLE_ERROR, False),
    ("console.warn(e);", "console.warn", CONSOLE_ERROR, False),
    ("import a from 'axios';\na.post(u);", "a.post", AXIOS_GET, False),
    ("type P = React.ReactNode;", "React.ReactNode", Symbol("react", "FC"), False),
    # What it must let through to resolution.
    ("console.error(e);", "console.error", CONSOLE_ERROR, True),
    ("window.console.error(e);", "window.console.error", CONSOLE_ERROR, True),
    ("const console = { error() {} };\nconsole.error(e);", "console.error", CONSOLE_ERROR, True),  # shadowed: resolution says no
    ("import { get as g } from 'axios';\ng(u);", "g", AXIOS_GET, True),  # a local name is any name
    ("import * as ax from 'axios';\nax.get(u);", "ax.get", AXIOS_GET, True),
    ("foo.get(u);", "foo.get", AXIOS_GET, True),
    ("type P = React.FC<Q>;", "React.FC", Symbol("react", "FC"), True),
    ("fetch(u);", "fetch", Symbol("", "fetch"), True),
    ("fetchAll(u);", "fetchAll", Symbol("", "fetch"), False),
])
def test_the_text_test_on_hard_cases(code, text, symbol, expected):
    assert may_denote(_node(code, text), symbol) is expected


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_the_engine_gives_the_same_results_with_the_text_test_defeated(path, pack, monkeypatch):
    text = path.read_text(encoding="utf-8")
    name = f"src/{path.parent.name}{path.suffix}"
    fast = Engine(pack, partial="revert").rewrite(text, name)
    monkeypatch.setattr(matching_module, "may_denote", lambda node, symbol: True)
    slow = Engine(pack, partial="revert").rewrite(text, name)
    assert (fast.text, fast.rules_fired, fast.unsupported, fast.constraints, fast.framework_calls,
            fast.reject_reason, sorted(fast.tags)) == \
        (slow.text, slow.rules_fired, slow.unsupported, slow.constraints, slow.framework_calls,
         slow.reject_reason, sorted(slow.tags))
    assert [(d.code, d.rule, d.line) for d in fast.diagnostics] == [(d.code, d.rule, d.line) for d in slow.diagnostics]
