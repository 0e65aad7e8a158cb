"""What identifiers resolve to: imports of every form, requires, re-exports, shadowing."""

from __future__ import annotations

from corpusforge.transform.bindings import Symbol, imported_names, resolve_bindings
from corpusforge.transform.parsing import parse


def _symbols(code: str, grammar: str = "tsx", namespace_defaults=("react",)) -> dict[str, list]:
    """For each reference text: the symbols of its outermost member chain, in order."""
    tree = parse(code, grammar)
    b = resolve_bindings(tree, namespace_defaults)
    out: dict[str, list] = {}
    for node, _ in b.references:
        chain = node
        while chain.parent is not None and chain.parent.type in (
                "member_expression", "nested_type_identifier", "nested_identifier") \
                and chain.parent.named_children[0] == chain:
            chain = chain.parent
        out.setdefault(chain.text.decode(), []).append(b.resolve(chain))
    return out


def test_named_aliased_default_and_namespace_imports_resolve_to_the_module_export():
    s = _symbols("""
import React, { useState as useS, useEffect } from 'react';
import * as R from 'react';
useS(1); useEffect(f); React.useMemo(g); R.useRef(); React.Children.map(x, y);
""")
    assert s["useS"] == [Symbol("react", "useState")]
    assert s["useEffect"] == [Symbol("react", "useEffect")]
    assert s["React.useMemo"] == [Symbol("react", "useMemo")]
    assert s["R.useRef"] == [Symbol("react", "useRef")]
    assert s["React.Children.map"] == [Symbol("react", "Children.map")]


def test_imported_names_reads_every_form_of_import_statement():
    code = """
import React, { useState as useS, type FC, "quoted-name" as q } from 'react';
import type { ReactNode } from 'react';
import * as R from 'react';
import Legacy = require('legacy');
import './side-effect.css';
"""
    root = parse(code, "typescript").root_node
    statements = [n for n in root.named_children if n.type == "import_statement"]
    got = [[(n.ident.text.decode(), n.module, n.imported, n.part, n.specifier.type, n.value)
            for n in imported_names(s)] for s in statements]
    assert got == [
        [("React", "react", "default", "default", "identifier", True),
         ("useS", "react", "useState", "named", "import_specifier", True),
         ("FC", "react", "FC", "named", "import_specifier", False),
         ("q", "react", "quoted-name", "named", "import_specifier", True)],
        [("ReactNode", "react", "ReactNode", "named", "import_specifier", False)],
        [("R", "react", "*", "namespace", "namespace_import", True)],
        [("Legacy", "legacy", "default", "require", "identifier", True)],
        [],
    ]


def test_default_export_is_not_a_namespace_unless_the_pack_says_so():
    s = _symbols("import axios from 'axios'; axios.get(u);", namespace_defaults=())
    assert s["axios.get"] == [Symbol("axios", "default.get")]


def test_type_only_imports_bind_types_only():
    code = "import type { FC } from 'react'; let a: FC<P>; const FCv = FC;"
    s = _symbols(code)
    assert s["FC"] == [Symbol("react", "FC"), Symbol("", "FC")]  # the value `FC` is a global


def test_inline_type_specifier_and_nested_type_names():
    s = _symbols("import React, { type ReactNode } from 'react'; let a: ReactNode; let b: React.FC<P>;")
    assert s["ReactNode"] == [Symbol("react", "ReactNode")]
    assert s["React.FC"] == [Symbol("react", "FC")]


def test_nested_type_paths_are_references_and_namespace_names_are_not():
    # `React.JSX.Element` parses as nested_type_identifier(nested_identifier(React, JSX), Element):
    # its `React` is a reference, or an import it alone uses would look unused.
    s = _symbols("""
import * as React from 'react';
let a: React.JSX.Element; let b: React.a.b.C;
namespace Outer.Inner { export const x = 1; }
import Alias = React.Children;
""")
    assert s["React.JSX.Element"] == [Symbol("react", "JSX.Element")]
    assert s["React.a.b.C"] == [Symbol("react", "a.b.C")]
    assert s["React.Children"] == [Symbol("react", "Children")]  # an import alias names a path too
    assert "Outer" not in s and "Outer.Inner" not in s  # `namespace Outer.Inner` declares, refers to nothing


def test_parameters_locals_and_catch_parameters_shadow_imports_and_globals():
    s = _symbols("""
import { useState } from 'react';
function a(useState) { useState(1); }
function b() { function fetch(k) { return k; } fetch(1); }
function c() { const fetch = 1; { fetch; } }
try { x(); } catch (fetch) { fetch(); }
useState(2); fetch(3);
""")
    assert s["useState"] == [None, Symbol("react", "useState")]
    assert s["fetch"] == [None, None, None, Symbol("", "fetch")]


def test_var_is_function_scoped_and_let_block_scoped():
    s = _symbols("""
function f() { if (a) { var fetch = 1; } fetch; }
function g() { if (a) { let fetch = 1; } fetch; }
""")
    assert s["fetch"] == [None, Symbol("", "fetch")]


def test_type_parameters_shadow_imported_types():
    s = _symbols("import type { FC } from 'react'; function wrap<FC>(c: FC): FC { return c; } let x: FC;")
    assert s["FC"] == [None, None, Symbol("react", "FC")]


def test_require_binds_like_an_import_unless_require_is_local():
    s = _symbols("const axios = require('axios'); const { get } = require('axios'); axios.post(u); get(u);",
                 namespace_defaults=())
    assert s["axios.post"] == [Symbol("axios", "default.post")]
    assert s["get"] == [Symbol("axios", "get")]
    s = _symbols("function require(n) { return n; } const axios = require('axios'); axios.post(u);")
    assert s["axios.post"] == [None]


def test_a_require_wrapped_in_an_interop_helper_is_a_namespace_of_the_module():
    # esbuild, TypeScript (also through tslib) and Babel wrap `require` for ES-module interop.
    s = _symbols("""
var R = __toESM(require("react"));
const S = tslib_1.__importStar(require('react'));
var _react = _interopRequireDefault(require("react"));
var W = _interopRequireWildcard(require("react"), true);
const { useMemo: useM } = __importStar(require("react"));
const D = __importDefault(require("axios"));
R.useState(0); S.useRef(); _react.default.useEffect(f); W.useId(); useM(g); D.default.get(u);
""")
    assert s["R.useState"] == [Symbol("react", "useState")]
    assert s["S.useRef"] == [Symbol("react", "useRef")]
    assert s["_react.default.useEffect"] == [Symbol("react", "useEffect")]
    assert s["W.useId"] == [Symbol("react", "useId")]
    assert s["useM"] == [Symbol("react", "useMemo")]
    assert s["D.default.get"] == [Symbol("axios", "default.get")]


def test_other_wrappers_and_a_local_require_bind_nothing():
    s = _symbols("const R = wrap(require('react')); const T = __toESM(load('react')); R.useState(0); T.useRef();")
    assert s["R.useState"] == [None] and s["T.useRef"] == [None]
    s = _symbols("function require(n) { return n; } var R = __toESM(require('react')); R.useState(0);")
    assert s["R.useState"] == [None]


def test_reexports_are_recorded_and_bind_nothing():
    tree = parse("export { useState, useEffect as useMountEffect } from 'react'; export * from 'x'; useState();",
                 "typescript")
    b = resolve_bindings(tree)
    assert [(r.module, r.names) for r in b.reexports] == [("react", ("useState", "useEffect")), ("x", ("*",))]
    assert b.bindings == []


def test_global_objects_name_globals_and_optional_chains_resolve_to_nothing():
    s = _symbols("window.fetch(u); globalThis.fetch(u); self.fetch(u); api?.get(u);")
    assert s["window.fetch"] == s["globalThis.fetch"] == s["self.fetch"] == [Symbol("", "fetch")]
    assert s["api?.get"] == [None]


def test_jsx_component_names_are_references_and_intrinsic_tags_are_not():
    s = _symbols("import React, { Fragment } from 'react'; const x = <Fragment><div/><React.Fragment/></Fragment>;")
    assert s["Fragment"] == [Symbol("react", "Fragment")] * 2
    assert s["React.Fragment"] == [Symbol("react", "Fragment")]
    assert "div" not in s


def test_shorthand_properties_are_references_and_property_names_are_not():
    s = _symbols("import { useState } from 'react'; const o = { useState, k: 1 }; o.useState; const { useState: u } = o;")
    assert s["useState"] == [Symbol("react", "useState")]
