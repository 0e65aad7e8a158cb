"""The engine's fast paths against their plain counterparts, which serve as oracles:
the lazy scope analysis against the full one, the indexed scope lookup against a scan of
every scope, incremental re-parsing against a fresh parse, query runs limited to a
literal's occurrences against whole-tree runs, the trigger-word prefilter against no
prefilter and its one-scan word set against a search word by word, the framework-call count against a walk over every call, and the final-pass
idempotence verdict against a second rewrite."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import tree_sitter as ts
from hypothesis import given
from hypothesis import strategies as st

from corpusforge.transform import rewrite_source
from corpusforge.transform import bindings as bindings_module
from corpusforge.transform import matching as matching_module
from corpusforge.transform.bindings import EITHER, TYPE, VALUE, Bindings, LazyBindings, has_word, word_offsets
from corpusforge.transform.imports import Edit, apply_edits
from corpusforge.transform.matching import Document, _literal_ranges, one_node_matches, one_node_query, query_literals
from corpusforge.transform.parsing import ParseErrors, grammar_for, language, nodes_of_types, parse, parse_errors, walk
from corpusforge.transform.rewrite import Engine, _Pass, count_framework_calls, next_pass
from corpusforge.transform.words import WordSet

from .conftest import CASES, ROOT
from .test_properties import SETTINGS, programs

SOURCES = sorted(
    [p for p in CASES.glob("*/input.*")]
    + [p for p in (ROOT / "samples").rglob("*") if p.suffix in (".ts", ".tsx", ".js", ".jsx")
       and "bad" not in p.parts])
NAMESPACE_DEFAULTS = ("react",)


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _parsed(path: Path) -> tuple[bytes, ts.Tree] | None:
    source = path.read_bytes()
    tree = parse(source, grammar_for(path.name))
    return None if tree.root_node.has_error else (source, tree)


def _key(binding):
    return None if binding is None else (binding.node.id, binding.kind, binding.module, binding.imported,
                                         binding.scope_id, binding.value, binding.type)


# Modules whose imports the lazy analysis collects up front: None is all of them; with a set,
# an import of any other module waits until a name it spells is asked about.
MODULES = [None, frozenset({"react"})]


def _deferred(binding, modules: frozenset[str] | None) -> bool:
    return modules is not None and binding.kind == "import" and binding.module not in modules \
        and not any(binding.module.startswith(m + "/") for m in modules)


def _assert_same_analysis(source: bytes, tree: ts.Tree, modules: frozenset[str] | None = None,
                          offsets: dict[bytes, list[int]] | None = None,
                          indexed: frozenset[bytes] = frozenset()) -> None:
    full = Bindings(tree, NAMESPACE_DEFAULTS)
    lazy = LazyBindings(tree, source, NAMESPACE_DEFAULTS, modules=modules, offsets=offsets, indexed=indexed)
    # Imports (but deferred ones, unless a name they spell was needed: `require`) and
    # requires are known up front; their references once their names are asked.
    up_front = {_key(b) for b in lazy.bindings if b.is_import}
    assert {_key(b) for b in full.bindings if b.is_import and not _deferred(b, modules)} <= up_front
    assert up_front <= {_key(b) for b in full.bindings if b.is_import}
    lazy.ensure({b.name for b in full.bindings})
    assert sorted(_key(b) for b in lazy.bindings if b.is_import) == \
        sorted(_key(b) for b in full.bindings if b.is_import)
    for b in full.bindings:
        if b.is_import:
            assert [n.id for n in lazy._decl_binding[b.node.id].references] == [n.id for n in b.references]
    # Every name the full analysis saw: the same references, spaces and bindings.
    names = {n.text.decode("utf-8", "replace") for n, _ in full.references}
    assert sorted((n.id, s) for n, s in lazy.references_of(names)) == sorted((n.id, s) for n, s in full.references)
    for node, space in full.references:
        assert lazy.space_of(node) == space
        assert _key(lazy.binding_of(node)) == _key(full.binding_of(node))
        chain = node
        while chain is not None:
            assert lazy.resolve(chain) == full.resolve(chain)
            parent = chain.parent
            chain = parent if parent is not None and parent.type == "member_expression" else None
    assert [(r.statement.id, r.module, r.names) for r in lazy.reexports] == \
        [(r.statement.id, r.module, r.names) for r in full.reexports]
    assert lazy.has_jsx == full.has_jsx


@pytest.mark.parametrize("modules", MODULES, ids=["all-imports", "react-imports"])
@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_lazy_analysis_equals_the_full_one_on_cases_and_samples(path, modules):
    parsed = _parsed(path)
    if parsed is None:
        pytest.skip("the input does not parse (a syntax-error case)")
    _assert_same_analysis(*parsed, modules=modules)


HARD = """\
import React, { useState as useS } from 'react';
import * as R from 'react';
import type { FC } from 'react';
const axios = require('axios');
export { useS as useMine };
export * from 'react';
function a(useS: number, { React }: { React: string }, [R2 = React]: string[]) { return useS + React; }
const b = ({ fetch = window.fetch, ...rest }) => fetch(rest);
try { useS(0); } catch ({ message: React }) { console.error(React); }
for (const fetch of [1]) { void fetch; }
for (var i in {}) { var useS2 = useS; }
class C<React> { m(x: React): R.FC { return x as never; } }
function hoisted() { return inner(); function inner() { return useS(1); } }
const s = "useS(1) in a string", t = `${useS(2)} and useS(3) in a template`;
// useS(4) in a comment
const $useS = 1, useSé = 2, éuseS = 3;
label: for (;;) { break label; }
enum E { useS = 1 }
interface I { useS: number; React(): void }
namespace N { export const useS = 1; }
const obj = { useS, React: 1, [useS.name]: 2 };
let x: FC<{ a: string }> = () => React.createElement('div');
"""


@pytest.mark.parametrize("modules", MODULES, ids=["all-imports", "react-imports"])
@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_names_analysed_one_at_a_time_complete_their_bindings(path, modules):
    """A name's bindings have all their references once that name alone was asked about,
    whatever was asked before (a declaration such as `const [a, b] = …` declares `b` when
    `a` is asked about; `b`'s references come when `b` is)."""
    parsed = _parsed(path)
    if parsed is None:
        pytest.skip("the input does not parse (a syntax-error case)")
    _assert_names_one_at_a_time(*parsed, modules, random.Random(path.name))


def _assert_names_one_at_a_time(source: bytes, tree: ts.Tree, modules: frozenset[str] | None,
                                rng: random.Random) -> None:
    full = Bindings(tree, NAMESPACE_DEFAULTS)
    lazy = LazyBindings(tree, source, NAMESPACE_DEFAULTS, modules=modules)
    names = sorted({b.name for b in full.bindings} | {n.text.decode("utf-8", "replace") for n, _ in full.references})
    rng.shuffle(names)
    for name in names:
        lazy.ensure((name,))
        for b in full.bindings:
            if b.name == name:
                assert [n.id for n in lazy._decl_binding[b.node.id].references] == [n.id for n in b.references], name
        for node, _ in full.references:
            if node.text.decode("utf-8", "replace") == name:
                assert _key(lazy.binding_of(node)) == _key(full.binding_of(node)), name


# Imports of other modules declaring names that matter (deferred with MODULES[1]), a
# `require` declared locally and one imported, an import spelled with a unicode escape.
DEFERRED = [
    "import { fetch } from 'cross-fetch';\nimport { useState as x } from 'react';\nfetch(x);\n",
    "import type { Props } from './types';\nimport React from 'react';\nconst p: Props = React.useState();\n",
    "import def, * as ns from './mod';\nimport { a as b, 'c-d' as e } from './mod';\nns.a(def, b, e);\n",
    "function require(m: string) { return m; }\nconst axios = require('axios');\naxios.get('/x');\n",
    "import { require } from './shim';\nconst axios = require('axios');\nconst { get } = require('axios');\n",
    "const axios = require('axios');\nfunction f() { const require = 1; return require; }\n",
    "import { \\u0061xios } from './mod';\nimport axios from 'axios';\naxios.get(\\u0061xios);\n",
    "import { useState } from './hooks';\nimport * as React from 'react';\nconst [a, useState2] = useState();\n",
    "import x from './a';\nconst [x2, x] = [1, 2];\nx;\n",
]


@pytest.mark.parametrize("modules", MODULES, ids=["all-imports", "react-imports"])
@pytest.mark.parametrize("text", [HARD, *DEFERRED], ids=range(1 + len(DEFERRED)))
def test_lazy_analysis_equals_the_full_one_on_shadowing_destructuring_and_text(text, modules):
    source = text.encode("utf-8")
    tree = parse(source, "tsx")
    assert not tree.root_node.has_error or "const [x2, x]" in text
    _assert_same_analysis(source, tree, modules)


@pytest.mark.parametrize("modules", MODULES, ids=["all-imports", "react-imports"])
@SETTINGS
@given(code=programs())
def test_lazy_analysis_equals_the_full_one_on_generated_programs(code, modules):
    source = code.encode("utf-8")
    tree = parse(source, "tsx")
    if not tree.root_node.has_error:
        _assert_same_analysis(source, tree, modules)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("text", DEFERRED, ids=range(len(DEFERRED)))
def test_deferred_imports_keep_their_place_whatever_name_is_asked_first(text, seed):
    """A deferred import is declared before anything else declaring its name, as when it
    is collected up front (`const [x2, x]` declares `x` when `x2` is asked about)."""
    source = text.encode("utf-8")
    _assert_names_one_at_a_time(source, parse(source, "tsx"), frozenset({"react"}), random.Random(seed))


def test_an_import_of_another_module_waits_until_a_name_it_spells_is_asked():
    source = b"import { a, b as c } from './mod';\nimport { useState } from 'react';\nuseState(c);\n"
    lazy = LazyBindings(parse(source, "tsx"), source, NAMESPACE_DEFAULTS, modules=frozenset({"react"}))
    assert [b.name for b in lazy.bindings] == ["useState"]
    lazy.ensure(("b",))  # spelled in the import, but declared by it under another name
    assert sorted(b.name for b in lazy.bindings) == ["a", "c", "useState"]
    assert not lazy.lookup("b", lazy.root)
    assert lazy.lookup("c", lazy.root).module == "./mod"


def test_a_require_is_ordinary_only_when_require_is_declared():
    for text, module in [("const a = require('axios');\n", "axios"),
                         ("function require(m) { return m; }\nconst a = require('axios');\n", None),
                         ("import { require } from './shim';\nconst a = require('axios');\n", None),
                         ("function f() { var require; }\nconst a = require('axios');\n", "axios")]:
        source = text.encode("utf-8")
        lazy = LazyBindings(parse(source, "tsx"), source, NAMESPACE_DEFAULTS, modules=frozenset({"react"}))
        assert next(b for b in lazy.bindings if b.name == "a").module == module, text
        assert next(b for b in Bindings(parse(source, "tsx")).bindings if b.name == "a").module == module, text


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_has_jsx_equals_a_walk_for_every_element_and_is_false_for_the_typescript_grammar(path):
    source = path.read_bytes()
    for grammar in ("tsx", "typescript"):
        tree = parse(source, grammar)
        walked = bool(nodes_of_types(tree, ("jsx_opening_element", "jsx_self_closing_element")))
        assert LazyBindings(tree, source).has_jsx == walked
        if grammar == "typescript":
            assert not walked


def test_word_offsets_find_whole_words_only():
    source = b"fetch($fetch, fetch_, afetch, fetch2, a.fetch); \xc3\xa9fetch fetch"
    # ASCII boundaries: `a.fetch` and `éfetch` are candidates; their tree nodes (a property,
    # the identifier `éfetch`) are not spelled `fetch` and drop out later.
    assert word_offsets(source, b"fetch") == [0, 40, 50, 56]


def test_has_word_needs_identifier_boundaries_only_at_identifier_edges():
    assert not has_word(b"prefetch(); refetch; fetcher", b"fetch")
    assert has_word(b"x.fetch(1)", b"fetch") and has_word(b"fetch", b"fetch")
    assert not has_word(b"import x from 'preact'", b"react")
    assert has_word(b"import x from 'react/jsx-runtime'", b"react")
    assert has_word(b"from '@testing-library/react'", b"@testing-library/react")
    # An edge that is no identifier character needs no boundary: `+` in `a+b` is a token.
    assert has_word(b"a+b", b"+")
    assert not has_word(b"", b"fetch") and has_word(b"x", b"")


WORDS = [b"fetch", b"react", b"@testing-library/react", b"react-dom", b"any", b"+", b"$", b"e", b"ee",
         b"Component", b"componentDidCatch", b"catch", b"\xc3\xa9t\xc3\xa9"]


def _present_one_by_one(words: list[bytes], source: bytes) -> frozenset[bytes]:
    return frozenset(w for w in words if has_word(source, w))


# Words the scan also indexes: identifier characters only, overlapping each other (`e`,
# `ee`) and inside the compound words (`react` in `@testing-library/react`).
INDEXED = [b"fetch", b"react", b"any", b"$", b"e", b"ee", b"catch", b"import", b"dom"]


def _assert_scan(words: list[bytes], source: bytes) -> None:
    word_set = WordSet(words, indexed=INDEXED)
    present, offsets = word_set.scan(source)
    assert present == _present_one_by_one(words, source)
    assert word_set.indexed == set(INDEXED)
    assert offsets == {w: found for w in INDEXED if (found := word_offsets(source, w))}
    assert WordSet(words).present(source) == present


@pytest.mark.parametrize("source", [
    b"", b"prefetch(); refetch; fetcher", b"x.fetch(1)", b"from '@testing-library/react'",
    b"import x from 'react-dom'", b"import x from 'preact'", b"many company", b"any", b"a+b", b"$e",
    b"eee", b"e ee", b"class A extends Component { componentDidCatch() {} }", b"try {} catch {}",
    "const \u00e9t\u00e9 = 1; // \u00e9t\u00e9s".encode(), b"fetch\nreact\n",
    b"'@testing-library/react' react-dom react '@testing-library/react-dom'",
])
def test_a_word_set_finds_what_has_word_finds_word_by_word(source):
    _assert_scan(WORDS, source)


@SETTINGS
@given(st.lists(st.sampled_from(WORDS + INDEXED + [b"x", b"-", b"'", b" ", b"\n", b".", b"_", b"(", b"\xc3\xa9", b"@"]),
                max_size=30))
def test_a_word_set_finds_what_has_word_finds_on_generated_texts(parts):
    _assert_scan(WORDS, b"".join(parts))


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_a_word_set_finds_what_has_word_finds_on_every_case_and_sample(path, pack):
    _assert_scan(sorted(Engine(pack)._all_triggers.words) + WORDS, path.read_bytes())


def test_only_words_of_identifier_characters_are_indexed():
    with pytest.raises(ValueError, match="identifier characters only"):
        WordSet([b"react"], indexed=[b"react/jsx-runtime"])


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_lazy_analysis_from_the_scans_offsets_equals_the_full_one(path, pack):
    parsed = _parsed(path)
    if parsed is None:
        pytest.skip("the input does not parse (a syntax-error case)")
    source, _ = parsed
    word_set = Engine(pack)._all_triggers
    _assert_same_analysis(*parsed, offsets=word_set.scan(source)[1], indexed=word_set.indexed)


def test_an_empty_word_is_always_present_and_no_words_find_nothing():
    assert WordSet([b"", b"fetch"]).present(b"x") == {b""}
    assert WordSet([]).present(b"fetch") == frozenset()


def _errors_by_walking_every_node(tree: ts.Tree) -> ParseErrors:
    errors = missing = 0
    first = None
    for node in walk(tree.root_node):
        if node.is_error or node.is_missing:
            errors += node.is_error
            missing += not node.is_error
            first = node.start_point[0] + 1 if first is None else first
    return ParseErrors(errors, missing, first)


@SETTINGS
@given(programs(), st.lists(st.tuples(st.integers(0, 400), st.sampled_from(["(", "}", "<", "=>", ";;", "'", "`", "{x:"])),
                            min_size=1, max_size=4))
def test_parse_errors_walk_only_into_broken_subtrees_and_count_them_all(code, damage):
    for at, text in damage:  # break a valid program in a few places
        at = min(at, len(code))
        code = code[:at] + text + code[at:]
    for grammar in ("typescript", "tsx"):
        tree = parse(code, grammar)
        assert parse_errors(tree) == _errors_by_walking_every_node(tree)


# -- the indexed scope lookup ----------------------------------------------------------------

def _scan_lookup(bindings: Bindings, name: str, at: ts.Node, space: str):
    """The plain lookup: every scope declaring ``name``, the innermost holding ``at`` wins,
    the first in the text among one scope's bindings."""
    holding = [(s_start, s_end, binding) for s_start, s_end, binding in bindings._by_name.get(name, ())
               if s_start <= at.start_byte and at.end_byte <= s_end and (
                   space == EITHER or (binding.value if space == VALUE else binding.type))]
    if not holding:
        return None
    return max(holding, key=lambda e: (e[0], -e[1], -e[2].node.start_byte))[2]


def test_a_name_declared_twice_in_one_scope_is_its_first_declaration_in_either_analysis():
    # The lazy analysis meets `wZjl` of the destructuring first (asked about `setWzjl`),
    # and imports before anything: found by the generated-programs test.
    for code in (b"function main() {\n  const wZjl = f(wZjl);\n  const [wZjl, setWzjl] = g();\n}\n",
                 b"const React = 1;\nimport React from 'react';\nReact;\n"):
        tree = parse(code, "tsx")
        full = Bindings(tree, NAMESPACE_DEFAULTS)
        lazy = LazyBindings(tree, code, NAMESPACE_DEFAULTS, modules=frozenset({"react"}))
        lazy.ensure(sorted({b.name for b in full.bindings}))
        declared = [node for node, _ in full.references if full.binding_of(node) is not None]
        assert declared
        for node in declared:
            assert full.binding_of(node).node.start_byte == min(
                b.node.start_byte for b in full.bindings if b.name == node.text.decode())
            assert lazy.binding_of(node).node.start_byte == full.binding_of(node).node.start_byte


# Statement shapes of minified code: `@` is a one-letter name, `%` nested statements.
_MINIFIED_SHAPES = [
    "function @(@, @) { % return @; }", "const @ = (@) => { % };", "{ let @ = @; % }",
    "var @ = @, @ = @;", "@(@, @.@);", "type @ = @[];", "class @ { m(@: @) { return @; } }",
    "try { @(); } catch (@) { @(@); }", "for (const @ of @) { @(@); }",
]


def _minified_like(rng: random.Random, depth: int = 0) -> str:
    """Statements that declare and use a few one-letter names in many nested and sibling
    scopes, as minified bundles do (same-scope redeclarations and type/value pairs too)."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        shape = rng.choice(_MINIFIED_SHAPES if depth < 4 else [s for s in _MINIFIED_SHAPES if "%" not in s])
        text = "".join(rng.choice("ets") if c == "@" else c for c in shape)
        parts.append(text.replace("%", _minified_like(rng, depth + 1)) if "%" in text else text)
    return " ".join(parts)


def _assert_lookups_equal_a_scan(tree: ts.Tree) -> int:
    """Every identifier looked up in every space, indexed and scanned; returns how many
    lookups went through the index."""
    full = Bindings(tree, NAMESPACE_DEFAULTS)
    indexed = 0
    for node in nodes_of_types(tree, ("identifier", "type_identifier", "shorthand_property_identifier")):
        name = node.text.decode("utf-8", "replace")
        indexed += len(full._by_name.get(name, ())) > bindings_module._INDEXED
        for space in (VALUE, TYPE, EITHER):
            assert full.lookup(name, node, space) is _scan_lookup(full, name, node, space), (name, node.start_byte, space)
    return indexed


@pytest.mark.parametrize("seed", range(20))
def test_indexed_lookup_equals_a_scan_on_minified_like_code(seed):
    rng = random.Random(seed)
    code = "\n".join(_minified_like(rng) for _ in range(30))
    tree = parse(code, "typescript")
    assert not tree.root_node.has_error, code
    assert _assert_lookups_equal_a_scan(tree) > 0  # the index was exercised


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_indexed_lookup_equals_a_scan_on_cases_and_samples(path, monkeypatch):
    parsed = _parsed(path)
    if parsed is None:
        pytest.skip("the input does not parse")
    monkeypatch.setattr(bindings_module, "_INDEXED", 0)  # every lookup through the index
    _assert_lookups_equal_a_scan(parsed[1])


# -- the trigger-word prefilter ----------------------------------------------------------------

def _outcome(result) -> tuple:
    return (result.text, result.rules_fired, result.unsupported, result.constraints, sorted(result.tags),
            result.framework_calls, result.reject_reason, result.stable)


def _unfiltered(engine: Engine) -> Engine:
    """The engine with its prefilter defeated: every trigger word counts as present."""
    engine._present = lambda p: frozenset(engine._all_triggers.words)  # type: ignore[method-assign]
    return engine


def test_a_file_that_wakes_no_rule_skips_the_passes_and_still_meets_its_constraints(pack):
    code = "import { z } from 'zod';\nexport function run(x: any) {\n  return eval(x);\n}\n"
    engine = Engine(pack, partial="revert")
    assert engine.woken(code)[0] == frozenset()
    result = engine.rewrite(code, "src/run.ts")
    assert result.passes == 0 and result.stable and result.text == code and result.unsupported == {}
    assert result.constraints == {"any_in_exported_signature": 1, "eval": 1}
    assert result.reject_reason == "constraint:eval" and result.tags == ["any_in_exported_signature"]
    assert _outcome(result) == _outcome(_unfiltered(Engine(pack, partial="revert")).rewrite(code, "src/run.ts"))


def _unfolded(engine: Engine) -> Engine:
    """The engine managing imports on the re-parsed text after every pass."""
    engine._imports_with_renames = lambda *args: None  # type: ignore[method-assign]
    return engine


def _folds(pack, text: str, path: str) -> list[bool]:
    """Whether each pass of a rewrite managed its imports with its renames (one re-parse)."""
    engine = Engine(pack)
    original = engine._imports_with_renames
    seen: list[bool] = []

    def spy(*args):
        found = original(*args)
        seen.append(found is not None)
        return found
    engine._imports_with_renames = spy  # type: ignore[method-assign]
    engine.rewrite(text, path)
    return seen


# Each shortcut against the engine without it: the trigger prefilter, and the import
# management a rename-only pass does with its renames (one re-parse).
PLAIN = pytest.mark.parametrize("plain", [_unfiltered, _unfolded], ids=["prefilter", "imports-with-renames"])


@PLAIN
@pytest.mark.parametrize("partial", ["keep", "revert"])
@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_a_shortcut_changes_no_result(path, pack, partial, plain):
    text = path.read_text(encoding="utf-8")
    name = f"src/{path.parent.name}{path.suffix}"
    shortcut = Engine(pack, partial=partial).rewrite(text, name)
    assert _outcome(shortcut) == _outcome(plain(Engine(pack, partial=partial)).rewrite(text, name))


@PLAIN
@SETTINGS
@given(code=programs())
def test_a_shortcut_changes_no_result_on_generated_programs(pack, code, plain):
    shortcut = Engine(pack, partial="keep").rewrite(code, "src/gen.tsx")
    assert _outcome(shortcut) == _outcome(plain(Engine(pack, partial="keep")).rewrite(code, "src/gen.tsx"))


@pytest.mark.parametrize("code, folds", [
    # Hooks renamed below the imports: the rename pass manages its imports (the pass that
    # finds nothing is no pass).
    ("import React, { useState } from 'react';\nexport const A = () => {\n  const [a] = useState(0);\n"
     "  return <div>{a}</div>;\n};\n", [True]),
    # A rename on the line of the import (minified): managed on the re-parsed text.
    ("import { useState } from 'react'; export const f = () => useState(0);\n", [False]),
    # A require below a renamed reference: the import edits could meet the renames.
    ("import { useState } from 'react';\nexport const f = () => useState(0);\nconst x = require('x');\n", [False]),
    # The file imports `DFrame` already: the renames write a reference to an import.
    ("import { useState } from 'react';\nimport { DFrame } from '@acme/dframe';\n"
     "export const f = () => [useState(0), DFrame.useRef(null)];\n", [False]),
    # A pattern rule's edit: more than a rename.
    ("import { useState } from 'react';\nexport async function f() {\n  useState(0);\n"
     "  return await (await fetch('/a')).json();\n}\n", [False]),
])
def test_which_passes_manage_their_imports_with_the_renames(pack, code, folds):
    assert _folds(pack, code, "src/a.tsx") == folds
    for partial in ("keep", "revert"):
        folded = Engine(pack, partial=partial).rewrite(code, "src/a.tsx")
        assert _outcome(folded) == _outcome(_unfolded(Engine(pack, partial=partial)).rewrite(code, "src/a.tsx"))
        assert folded.changed


def test_woken_names_what_a_rewrite_would_try_from_the_text_alone(pack):
    engine = Engine(pack)
    assert engine.woken("") == (frozenset(), ())
    assert engine.woken("const prefetch = refetch; // a comment") == (frozenset(), ())
    rules, constraints = engine.woken("import { useState } from 'react';\nconst [a] = useState(0);\n")
    assert "react-api" in rules and not any(r.startswith("fetch") for r in rules)
    rules, constraints = engine.woken(b"export async function f(): Promise<any> { return fetch('/x'); }")
    assert "fetch-json" in rules and {"raw_fetch", "any_in_exported_signature"} <= set(constraints)
    assert "react-api" not in rules


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_woken_agrees_with_the_rules_a_pass_considers(path, pack):
    engine = Engine(pack)
    text = path.read_text(encoding="utf-8")
    first = _Pass(text.encode("utf-8"), "tsx", pack)
    rules, constraints = engine._possibilities(first)
    assert engine.woken(text) == (rules, tuple(c.name for c in constraints))


def _rewrite_plainly(pack, monkeypatch, text: str, name: str, partial: str):
    """The rewrite with every import collected up front, the catch prefilter off, and every
    query run over the whole tree (not around literals or `uses` occurrences, nor one-node
    queries found from their text)."""
    with monkeypatch.context() as m:
        m.setattr(pack, "named_modules", None)
        m.setattr(matching_module, "_in_catch_of", lambda ident: True)
        m.setattr(matching_module, "_query_ranges", lambda matcher, doc, uses: None)
        m.setattr(matching_module, "one_node_query", lambda query: None)
        return Engine(pack, partial=partial).rewrite(text, name)


@pytest.mark.parametrize("partial", ["keep", "revert"])
@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_deferred_imports_and_the_catch_prefilter_change_no_result(path, pack, partial, monkeypatch):
    text = path.read_text(encoding="utf-8")
    name = f"src/{path.parent.name}{path.suffix}"
    fast = Engine(pack, partial=partial).rewrite(text, name)
    plain = _rewrite_plainly(pack, monkeypatch, text, name, partial)
    assert _outcome(fast) == _outcome(plain)
    assert [(d.code, d.rule, d.line) for d in fast.diagnostics] == [(d.code, d.rule, d.line) for d in plain.diagnostics]


CATCHES = """\
try { a(); } catch (e) { console.error(e); }
try { a(); } catch (e) { [1].map((e) => console.error(e)); }
try { a(); } catch ({ message }) { console.error('failed', message); }
try { a(); } catch ({ cause: { e } }) { console.error(e); }
try { a(); } catch (err) { console.error(e); }
function f(e) { console.error('x', e); }
try { a(); } catch (e) { function g() { var e; console.error(e); } }
"""


def test_a_catch_binding_is_looked_up_only_under_a_catch_that_spells_its_name(pack, monkeypatch):
    from corpusforge.transform.matching import _in_catch_of

    tree = parse(CATCHES.encode(), "tsx")
    calls = [n for n in nodes_of_types(tree, ("call_expression",)) if n.text.startswith(b"console.error")]
    arguments = [c.child_by_field_name("arguments").named_children[-1] for c in calls]
    assert [_in_catch_of(a) for a in arguments] == [True, True, True, True, False, False, True]
    fast = Engine(pack, partial="keep").rewrite(CATCHES, "src/c.ts")
    assert _outcome(fast) == _outcome(_rewrite_plainly(pack, monkeypatch, CATCHES, "src/c.ts", "keep"))
    assert fast.rules_fired == {"catch-report": 2, "catch-report-message": 1}


CLASSES = """\
import React, { Component as Base, PureComponent } from 'react';
import * as R from 'react';
class A extends React.Component<P> { componentDidCatch() {} }
class B extends Base { render() { class Inner extends R.Component {} return null; } }
class C extends Other {}
class D extends PureComponent {}
function f(React: any) { class E extends React.Component {} }
const s = "class F extends React.Component {}";
"""


@pytest.mark.parametrize("n", [1, 70])
def test_a_query_with_uses_runs_around_their_occurrences_and_finds_what_a_whole_tree_run_finds(pack, monkeypatch, n):
    text = CLASSES + "".join(f"class G{i} extends React.Component {{}}\n" for i in range(n))
    fast = Engine(pack, partial="keep").rewrite(text, "src/c.tsx")
    plain = _rewrite_plainly(pack, monkeypatch, text, "src/c.tsx", "keep")
    assert _outcome(fast) == _outcome(plain)
    assert [(d.rule, d.line) for d in fast.diagnostics] == [(d.rule, d.line) for d in plain.diagnostics]
    assert fast.unsupported["react-class-component"] == 3 + n  # A, B, Inner and the G classes


@SETTINGS
@given(programs())
def test_deferred_imports_and_the_catch_prefilter_change_no_result_on_generated_programs(pack, code):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _outcome(Engine(pack, partial="keep").rewrite(code, "src/gen.tsx")) == \
            _outcome(_rewrite_plainly(pack, monkeypatch, code, "src/gen.tsx", "keep"))


# -- incremental re-parsing ----------------------------------------------------------------

def _random_edits(source: bytes, tree: ts.Tree, rng: random.Random) -> list[Edit]:
    """Replace some identifiers and string literals by other text (some with new lines)."""
    nodes = [n for n in nodes_of_types(tree, ("identifier", "string", "property_identifier"))]
    chosen = sorted(rng.sample(nodes, min(len(nodes), rng.randint(1, 6))), key=lambda n: n.start_byte)
    edits, last = [], -1
    for node in chosen:
        if node.start_byte < last:
            continue
        text = rng.choice(["renamed", "DFrame.useState", "x /* two\n lines */", "(\n  y\n)", "ONCE.apiClient.get"])
        if node.type == "string":
            text = rng.choice(["'s'", '"two\\nlines"', "`t`"])
        edits.append(Edit(node.start_byte, node.end_byte, text))
        last = node.end_byte
    return edits


@pytest.mark.parametrize("path", [p for p in SOURCES if p.parent.parent == CASES], ids=_id)
def test_incremental_reparse_yields_the_tree_of_a_fresh_parse(path, pack):
    parsed = _parsed(path)
    if parsed is None:
        pytest.skip("the input does not parse")
    source, _ = parsed
    grammar = grammar_for(path.name)
    rng = random.Random(path.name)
    current = _Pass(source, grammar, pack)
    for _ in range(3):
        edits = _random_edits(current.source, current.tree, rng)
        if not edits:
            break
        old_root = str(current.tree.root_node)
        following = next_pass(current, edits)
        fresh = parse(apply_edits(current.source, edits), grammar)
        assert str(following.tree.root_node) == str(fresh.root_node)
        assert following.tree.root_node.end_point == fresh.root_node.end_point
        assert [(n.type, n.start_point, n.end_point) for n in walk(following.tree.root_node)] == \
            [(n.type, n.start_point, n.end_point) for n in walk(fresh.root_node)]
        assert str(current.tree.root_node) == old_root  # the earlier pass stays valid
        current = following


# -- queries limited to a literal's occurrences ----------------------------------------------

def test_query_literals_come_from_positive_predicates_of_one_pattern_queries():
    assert query_literals('((predefined_type) @any (#eq? @any "any"))') == [("any",)]
    assert query_literals('((identifier) @a (#any-of? @a "x" "y"))') == [("x", "y")]
    assert query_literals('(class_declaration (class_body (method_definition name: (property_identifier) @m '
                          '(#match? @m "^(componentDidCatch|getDerivedStateFromError)$"))))') == \
        [("componentDidCatch", "getDerivedStateFromError")]
    assert query_literals('((identifier) @a (#match? @a "^use[A-Z]"))') == []  # no words to look for
    assert query_literals('((identifier) @a (#not-eq? @a "x"))') == []
    assert query_literals('[(identifier) @a (string) @b] (#eq? @a "x")') == []  # alternatives
    assert query_literals('((identifier)? @a (#eq? @a "x"))') == []  # a quantifier
    assert query_literals('((identifier) @a (#eq? @a "x")) ((string) @b)') == []  # two patterns


QUERIES = [
    '((predefined_type) @any (#eq? @any "any"))',
    '((identifier) @a (#any-of? @a "useS" "React"))',
    '((property_identifier) @p (#eq? @p "useS"))',
    '(call_expression function: (identifier) @f (#eq? @f "useS")) @call',
    # `react` also inside `'react-dom'`, `'@testing-library/react'` and comments.
    '(import_statement source: (string (string_fragment) @m (#any-of? @m "react" "react/jsx-runtime"))) @s',
    '((property_identifier) @m (#match? @m "^(useState|useEffect)$"))',
]


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_run_around_its_literal_finds_what_a_whole_tree_run_finds(query):
    sources = [HARD.encode("utf-8")] + [p.read_bytes() for p in SOURCES[:60]]
    compared = 0
    for source in sources:
        tree = parse(source, "tsx")
        compiled = ts.Query(language("tsx"), query)
        whole = sorted(n.id for _, c in ts.QueryCursor(compiled).matches(tree.root_node) for n in c[sorted(c)[0]])
        # Around every occurrence, and around only those some node spans exactly.
        for root in (None, tree.root_node):
            ranged = set()
            for start, end in _literal_ranges(query, source, root) or []:
                cursor = ts.QueryCursor(compiled)
                cursor.set_byte_range(start, end)
                ranged |= {n.id for _, c in cursor.matches(tree.root_node) for n in c[sorted(c)[0]]}
            assert sorted(ranged) == whole
        compared += len(whole)
    assert compared > 0


def test_one_node_queries_are_recognised_by_their_shape():
    assert one_node_query('((predefined_type) @any (#eq? @any "any"))') == ("predefined_type", "any", b"any")
    assert one_node_query(' ( (identifier)  @a.b (#eq?  @a.b "x") ) ') == ("identifier", "a.b", b"x")
    assert one_node_query('((identifier) @a (#eq? @b "x"))') is None  # the predicate tests another capture
    assert one_node_query('((identifier) @a (#not-eq? @a "x"))') is None
    assert one_node_query('((identifier) @a (#any-of? @a "x" "y"))') is None
    assert one_node_query('(call_expression function: (identifier) @f (#eq? @f "x"))') is None
    assert one_node_query('((identifier) @a (#eq? @a "x")) ((string) @b)') is None


# Texts where a node spelled like the literal sits inside a longer word, behind an escape,
# under a node of the same extent, in JSX text, a template, a comment or a string.
ONE_NODE_TEXTS = [
    "let a: any = 1 as any; const many: Array<any> = []; type Company = { any: any };\n",
    'const s = "x\\nany"; const t = `${any}any`; // any\nconst r = /any/; <div>any</div>;\n',
    "function f(fetch) { return fetch; } fetch(u); obj.fetch(u); ({ fetch });\n",
    "export function g(x: any): any { const y: any = x; return y as any; }\n",
    "import a from 'a';\nconst m = import('b');\n",  # the keyword is an unnamed `import` node
]
ONE_NODE_QUERIES = [
    '((predefined_type) @any (#eq? @any "any"))',
    '((identifier) @f (#eq? @f "fetch"))',
    '((property_identifier) @p (#eq? @p "fetch"))',
    '((shorthand_property_identifier) @p (#eq? @p "fetch"))',
    '((string_fragment) @s (#eq? @s "any"))',
    '((jsx_text) @j (#eq? @j "any"))',
    '((type_identifier) @t (#eq? @t "Company"))',
    '((expression_statement) @e (#eq? @e "fetch(u);"))',
    '((import) @i (#eq? @i "import"))',
]


@pytest.mark.parametrize("query", ONE_NODE_QUERIES)
def test_a_one_node_query_found_from_its_text_finds_what_the_query_finds(query):
    shape = one_node_query(query)
    assert shape is not None
    sources = [t.encode("utf-8") for t in ONE_NODE_TEXTS + [HARD]] + [p.read_bytes() for p in SOURCES[:60]]
    compared = 0
    for source in sources:
        tree = parse(source, "tsx")
        compiled = ts.Query(language("tsx"), query)
        expected = [n.id for _, c in ts.QueryCursor(compiled).matches(tree.root_node) for n in c[shape[1]]]
        doc = Document(source, tree, "tsx", NAMESPACE_DEFAULTS)
        assert [c[shape[1]][0].id for c in one_node_matches(shape, doc)] == expected
        compared += len(expected)
    assert compared > 0


# -- framework calls ------------------------------------------------------------------------

def _calls_by_walking_every_call(bindings: Bindings, modules: list[str]) -> int:
    """The plain count: every call, `new` and JSX element whose callee resolves into a module."""
    count = 0
    for node in nodes_of_types(bindings.tree, ("call_expression", "new_expression", "jsx_opening_element",
                                                "jsx_self_closing_element")):
        field = {"call_expression": "function", "new_expression": "constructor"}.get(node.type, "name")
        callee = node.child_by_field_name(field)
        if callee is not None and callee.type in ("await_expression", "unary_expression") \
                and callee.named_child_count == 1:
            callee = callee.named_children[0]
        symbol = bindings.resolve(callee) if callee is not None else None
        count += symbol is not None and any(symbol.module == m or symbol.module.startswith(m + "/")
                                            for m in modules)
    return count


@pytest.mark.parametrize("path", [p for p in SOURCES if "framework" in p.parts or p.parent.parent == CASES],
                         ids=_id)
def test_framework_calls_counted_from_references_equal_a_walk_over_every_call(path, pack):
    parsed = _parsed(path)
    if parsed is None:
        pytest.skip("the input does not parse")
    source, tree = parsed
    expected = _calls_by_walking_every_call(Bindings(tree, pack.namespace_defaults), pack.framework.modules)
    assert count_framework_calls(LazyBindings(tree, source, pack.namespace_defaults), pack) == expected
    assert count_framework_calls(Bindings(tree, pack.namespace_defaults), pack) == expected


def test_framework_calls_counted_on_the_apps_are_many(pack):
    total = 0
    for path in (ROOT / "samples" / "framework" / "apps").rglob("*.ts*"):
        source = path.read_bytes()
        total += count_framework_calls(LazyBindings(parse(source, grammar_for(path.name)), source,
                                                    pack.namespace_defaults), pack)
    assert total > 20


# -- idempotence decided on the final pass ---------------------------------------------------

@pytest.mark.parametrize("path", [p for p in SOURCES if p.parent.parent == CASES], ids=_id)
def test_the_final_pass_verdict_agrees_with_a_second_rewrite(path, pack):
    text = path.read_text(encoding="utf-8")
    result = rewrite_source(text, f"src/{path.parent.name}{path.suffix}", pack, partial="revert")
    if result.reject_reason is not None:
        return
    again = rewrite_source(result.text, f"src/{path.parent.name}{path.suffix}", pack, partial="revert")
    assert result.stable is not None
    assert result.stable == (again.text == result.text)


# -- module statements found by their quoted name ------------------------------------------

MODULE_TEXT = """\
import React from 'react';
import { useState } from "react";
import type { FC } from 'react';
import r = require('react');
export * from 'react';
export { useEffect } from "react";
const s = "'react'", t = `from 'react'`;
// import x from 'react';
declare module 'react' { export * from 'react'; }
namespace N { export { a } from 'react'; }
import other from 'react-dom';
import { x } from './react';
"""


def _module_statements_by_walking(tree: ts.Tree, module: str) -> list[tuple[str, int]]:
    out = []
    for statement in tree.root_node.named_children:
        kind = {"import_statement": "import", "export_statement": "export"}.get(statement.type)
        source = statement.child_by_field_name("source")
        if kind is not None and source is not None and source.text.decode()[1:-1] == module:
            out.append((kind, statement.id))
    return out


@pytest.mark.parametrize("path", [*SOURCES, None], ids=lambda p: "module-text" if p is None else _id(p))
def test_module_statements_found_by_their_quoted_name_equal_a_walk(path, pack):
    from corpusforge.transform.rewrite import _module_statements

    source = MODULE_TEXT.encode() if path is None else path.read_bytes()
    p = _Pass(source, "tsx" if path is None else grammar_for(path.name), pack)
    modules = {"react", "react-dom", "./react", "@testing-library/react"}
    for module in modules:
        found = [(kind, statement.id) for kind, statement, _ in _module_statements(p, module)]
        assert found == _module_statements_by_walking(p.tree, module), module
    if path is None:
        assert [k for k, _, _ in _module_statements(p, "react")] == ["import"] * 3 + ["export"] * 2
