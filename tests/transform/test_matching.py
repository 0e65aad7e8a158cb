"""Pattern semantics: metavariables, anchored names, strings, objects, optional type args."""

from __future__ import annotations

import pytest

from corpusforge.transform import rewrite_source, rulepack_from_dict

from .conftest import CASES, ROOT


def _pack(rule: dict, **framework) -> object:
    return rulepack_from_dict({
        "name": "t",
        "framework": {"modules": ["@fw/api"], "imports": {"Api": {"from": "@fw/api"}}, **framework},
        "rules": [dict({"id": "r", "kind": "pattern", "imports": ["Api"]}, **rule)],
    })


def _body(code: str, rule: dict, path: str = "a.ts") -> str:
    out = rewrite_source(code, path, _pack(rule)).text
    return out.replace("import { Api } from '@fw/api';\n\n", "")


HTTP = {"uses": {"http": {"module": "http-lib"}}}


@pytest.mark.parametrize(("code", "rewritten"), [
    ("import h from 'http-lib';\nh.get(u);\n", True),
    ("const h = require('http-lib');\nh.get(u);\n", True),
    ("const http = { get: (u) => u };\nhttp.get(u);\n", False),
    ("import http from 'other-lib';\nhttp.get(u);\n", False),
    ("import h from 'http-lib';\nh.get(u, extra);\n", False),
    ("import h from 'http-lib';\nfunction f(h) { return h.get(u); }\n", False),
])
def test_anchored_names_match_by_binding_not_spelling(code, rewritten):
    rule = dict(HTTP, pattern="http.get($URL)", fix="Api.get($URL)")
    assert ("Api.get(u)" in _body(code, rule)) is rewritten


def test_sequence_metavariables_capture_runs_and_drop_their_separator_when_empty():
    rule = {"pattern": "log($$$ARGS)", "fix": "Api.log('x', $$$ARGS)", "uses": {"log": {"global": "log"}}}
    assert _body("log();\nlog(a, /* b */ b);\n", rule) == "Api.log('x');\nApi.log('x', a, /* b */ b);\n"


def test_repeated_metavariable_must_capture_the_same_text():
    rule = {"pattern": "$A === $A", "fix": "Api.same($A)"}
    assert _body("x === x;\nx === y;\n", rule) == "Api.same(x);\nx === y;\n"


def test_string_literals_match_by_value_whatever_the_quotes():
    rule = {"pattern": "send({ method: 'POST', body: $B })", "fix": "Api.post($B)"}
    code = 'send({ body: b1, method: "POST" });\nsend({ method: `POST`, body: b2 });\nsend({ method: "PUT", body: b3 });\n'
    assert _body(code, rule) == 'Api.post(b1);\nApi.post(b2);\nsend({ method: "PUT", body: b3 });\n'


def test_objects_match_regardless_of_order_and_extra_keys_only_with_a_rest_capture():
    exact = {"pattern": "send({ a: $A })", "fix": "Api.send($A)"}
    rest = {"pattern": "send({ a: $A, $$$REST })", "fix": "Api.send($A, { $$$REST })"}
    code = "send({ a: 1, b: 2 });\n"
    assert _body(code, exact) == code
    assert _body(code, rest) == "Api.send(1, { b: 2 });\n"


def test_optional_type_arguments():
    rule = {"pattern": "load<$$$T>($U)", "fix": "Api.load<$$$T>($U)"}
    assert _body("load<User>(u);\nload(v);\n", rule) == "Api.load<User>(u);\nApi.load(v);\n"


def test_await_of_a_generic_call_keeps_its_await():
    rule = {"pattern": "load<$$$T>($U)", "fix": "Api.load<$$$T>($U)"}
    code = "async function f() { await load<User>(u); void load<User>(v); }\n"
    assert _body(code, rule) == "async function f() { await Api.load<User>(u); void Api.load<User>(v); }\n"


def test_where_conditions_and_inside():
    rule = {"pattern": "report($E)", "fix": "Api.report($E)", "where": {"E": {"declared_as": "catch"}},
            "inside": ["catch_clause"]}
    code = "try { a(); } catch (err) { report(err); }\nreport(err);\nfunction g(err) { report(err); }\n"
    assert _body(code, rule) == "try { a(); } catch (err) { Api.report(err); }\nreport(err);\nfunction g(err) { report(err); }\n"


@pytest.mark.parametrize(("inside", "not_inside", "lines"), [
    ([], [], [1, 1, 1, 2, 3, 3, 4]),
    (["export_statement"], [], [1, 1, 1, 2]),
    ([], ["statement_block"], [1, 1, 2, 3]),
    (["export_statement"], ["statement_block"], [1, 1, 2]),
    (["export_statement", "class_body"], ["statement_block", "arrow_function"], [1, 1, 2]),
])
def test_inside_and_not_inside_are_decided_together(inside, not_inside, lines):
    pack = rulepack_from_dict({"name": "t", "framework": {"modules": ["@fw/api"]}, "rules": [{
        "id": "any", "kind": "detect", "query": '((predefined_type) @t (#eq? @t "any"))',
        "inside": inside, "not_inside": not_inside}]})
    code = ("export function f(a: any): any { const x: any = 1; }\n"
            "export type T = any;\n"
            "function g(b: any) { return (c: any) => c; }\n"
            "function h() { class K { m(p: any) {} } }\n")
    result = rewrite_source(code, "a.ts", pack)
    assert sorted(d.line for d in result.diagnostics if d.rule == "any") == lines


def test_context_and_selector_match_a_node_that_is_no_whole_statement():
    rule = {"context": "class A { render() { return $X; } }", "selector": "method_definition",
            "fix": "view() { return $X; }"}
    assert _body("class B { render() { return 1; } }\n", rule) == "class B { view() { return 1; } }\n"


def test_statement_patterns_match_statements_only():
    rule = {"pattern": "go($X);", "fix": "Api.go($X);"}
    assert _body("go(1);\nconst y = go(2);\n", rule) == "Api.go(1);\nconst y = go(2);\n"


def test_rewrites_inside_captures_are_applied_in_a_later_pass():
    rule = {"pattern": "wrap($X)", "fix": "Api.wrap($X)"}
    result = rewrite_source("wrap(wrap(wrap(1)));\n", "a.ts", _pack(rule))
    assert result.text.endswith("Api.wrap(Api.wrap(Api.wrap(1)));\n")
    assert result.rules_fired == {"r": 3} and result.passes == 3


def test_a_rule_that_keeps_matching_its_own_output_is_rejected_as_not_converged():
    rule = {"pattern": "grow($X)", "fix": "grow(grow($X))"}
    result = rewrite_source("grow(1);\n", "a.ts", _pack(rule))
    assert result.reject_reason == "not_converged" and not result.valid


def test_template_context_variables():
    rule = {"pattern": "here()", "fix": "Api.at('{{module}}', '{{stem}}', '{{path}}')"}
    assert _body("here();\n", rule, "src/app/Main.view.tsx") == \
        "Api.at('src/app/Main', 'Main', 'src/app/Main.view.tsx');\n"


@pytest.mark.parametrize("pattern", ["fetch", "R.FC", "R.FC<$T>", "fetch($URL)", "wrap(R.FC)", "$X.then(fetch)"])
def test_a_pattern_whose_root_is_anchored_has_it_as_head(pattern):
    """Candidates come from the head's occurrences whenever anything is anchored: an
    anchored root is always the head, so no pattern needs a scan of every reference."""
    from corpusforge.transform.bindings import Symbol
    from corpusforge.transform.matching import _anchors
    from corpusforge.transform.rulepack import CompiledPattern

    uses = {"fetch": Symbol("", "fetch"), "R": Symbol("react", "*")}
    for grammar in ("typescript", "tsx"):
        compiled = CompiledPattern(pattern, None, None)
        found = _anchors(compiled, grammar, uses, frozenset({"react"}))
        root = compiled.root(grammar)
        if root.id in found.by_node:
            assert found.head == found.by_node[root.id]
        assert (found.head is None) == (not found.by_node)


UNANCHORED = ["$NODE.textContent", "$A.then($B)", "{ method: 'POST', $$$REST }", "JSON.stringify($X)",
              "console.error($$$ARGS)", "new Map<$K, $V>()", "$F($$$ARGS).data"]


def _unanchored_corpus() -> list[tuple[str, str]]:
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*/input.*"))]
    texts += [(str(p), p.read_text(encoding="utf-8"))
              for p in sorted((ROOT / "samples" / "github").rglob("*.ts*")) if "node_modules" not in p.parts]
    return texts + [("crafted.tsx", "const textContent = x.textContent; y['textContent']; z?.textContent;\n"
                                    "// a.textContent\nconst s = 'b.textContent';\nfoo.textContentX; q.then(r);\n"
                                    "fetch(u, { 'method': 'POST', body }); JSON /* c */ . stringify(v);\n"
                                    "load(a, b).data; load().data.data; (data).x;\n")]


@pytest.mark.parametrize("pattern", UNANCHORED)
def test_an_unanchored_pattern_is_looked_for_around_its_own_names_and_finds_what_every_node_gives(pattern):
    # With no `uses` name to anchor it, a pattern's candidates are the nodes around the
    # whole-word occurrences of a name it spells itself; the brute force tries every node.
    from corpusforge.transform.matching import Document, PatternMatcher, find_matches
    from corpusforge.transform.parsing import grammar_for, parse, parse_errors

    pack = rulepack_from_dict({"name": "t", "framework": {"modules": ["@fw/api"]},
                               "rules": [{"id": "d", "kind": "detect", "pattern": pattern}]})
    rule = pack.rules[0]
    (compiled,) = pack.patterns_of(rule)
    found_any = False
    for path, text in _unanchored_corpus():
        grammar = grammar_for(path, None)
        tree = parse(text.encode("utf-8"), grammar)
        if parse_errors(tree).total:
            continue
        doc = Document(text.encode("utf-8"), tree, grammar, pack.namespace_defaults)
        matcher = PatternMatcher(compiled, {}, doc, pack.namespace_defaults)
        assert matcher.head is None and matcher.words
        brute = [n.id for n in doc.nodes_of_type(compiled.root(grammar).type) if matcher.match_at(n) is not None]
        fast = [m.node.id for m in find_matches(rule, pack, doc)]
        assert fast == brute, path
        found_any = found_any or bool(fast)
    assert found_any


def _nodes_around_by_walk(root, spans, types):
    """Every named node of ``types`` that holds one of ``spans``, by a walk of the whole tree."""
    from corpusforge.transform.parsing import walk

    return [n for n in walk(root) if n.is_named and n.type in types
            and any(n.start_byte <= s and e <= n.end_byte for s, e in spans)]


@pytest.mark.parametrize("types", [
    frozenset({"call_expression"}),
    frozenset({"member_expression", "call_expression", "identifier"}),
    frozenset({"statement_block", "program", "arrow_function", "jsx_element"}),
])
def test_nodes_around_spans_are_every_node_holding_one(types):
    # The walks up share ancestors and stop where an earlier one went: the same nodes as a
    # walk of the whole tree, outer first, whatever the spans' order or overlaps.
    import random

    from corpusforge.transform.matching import nodes_around
    from corpusforge.transform.parsing import grammar_for, parse, walk

    from .test_lazy_analysis import SOURCES

    rng = random.Random(7)
    checked = 0
    for path in SOURCES:
        tree = parse(path.read_bytes(), grammar_for(path.name))
        idents = [(n.start_byte, n.end_byte) for n in walk(tree.root_node) if n.type == "identifier"]
        for spans in (idents, rng.sample(idents, min(3, len(idents))), list(reversed(idents[::2]))):
            got = nodes_around(tree.root_node, spans, types)
            expected = _nodes_around_by_walk(tree.root_node, spans, types)
            assert {n.id for n in got} == {n.id for n in expected}, path
            assert len(got) == len(expected)
            keys = [(n.start_byte, -n.end_byte) for n in got]
            assert keys == sorted(keys)
            checked += len(got)
    assert checked > 100
