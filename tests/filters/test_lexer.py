"""The JS/TS lexer: comments and module specifiers, never fooled by strings, templates, regexes."""

from __future__ import annotations

from pathlib import Path

import pytest
import tree_sitter_typescript as tst
from tree_sitter import Language, Parser, Query, QueryCursor

from corpusforge.filters.lexer import _DIRECTIVE, _comment_text, scan
from tests.conftest import ROOT, SAMPLES

FIXTURES = ROOT / "tests" / "filters" / "fixtures"


def test_tricky_file_comments_and_imports():
    found = scan((FIXTURES / "lexer" / "tricky.ts").read_text())
    assert found.comments == [
        "Formats a price for display.\n@param cents the amount in cents",
        "the one real import on this line",
        "after a string",
        "regex literal holding comment markers",
        "division, then a block comment",
        'import $ from "jquery";',
        'require("jquery")',
    ]
    assert found.imports == ["./money"]


def test_every_import_syntax():
    found = scan((FIXTURES / "boundaries" / "imports.ts").read_text())
    assert found.imports == ["zone.js", "vue", "rxjs/operators", "@angular/core", "jquery", "svelte/store"]


def test_mentions_in_comments_strings_and_templates_are_not_imports():
    found = scan((FIXTURES / "boundaries" / "mentions_only.ts").read_text())
    assert found.imports == ["vue-router-helper", "./jquery"]
    assert len(found.comments) == 2


@pytest.mark.parametrize("source, comments, imports", [
    ("const a = `x ${ {b: '}'}.b } // y`; // z\n", ["z"], []),
    ("const a = `${`${`deep`}`}`; /* c */", ["c"], []),
    ("x = a / b; y = c / d; // c\n", ["c"], []),
    ("x = (a) / 2 / 3; // after parens\n", ["after parens"], []),
    ("if (/\\/\\//.test(s)) {} // after regex\n", ["after regex"], []),
    ("const r = /[/*]/; // class holds markers\n", ["class holds markers"], []),
    ("obj.require('x'); util.import('y'); const from = 'z';", [], []),
    ("import x = require('legacy');", [], ["legacy"]),
    ("const m = require(`tpl`); const n = require(`a${b}`);", [], ["tpl"]),
    ("/* unterminated", ["unterminated"], []),
    ("const s = 'unterminated\n// next line is a comment\n", ["next line is a comment"], []),
    ("// eslint-disable-next-line no-console\n// @ts-ignore\n/// <reference types=\"x\" />\n", [], []),
    ("const s = \"a\\\"// b\"; // real\n", ["real"], []),
    ("", [], []),
])
def test_cases(source, comments, imports):
    found = scan(source)
    assert (found.comments, found.imports) == (comments, imports)


def _code_files() -> list[Path]:
    files = []
    for pattern in ("*.ts", "*.tsx", "*.js", "*.jsx"):
        files += [p for p in (SAMPLES / "framework").rglob(pattern)]
        files += [p for p in (SAMPLES / "github").rglob(pattern) if "node_modules" not in p.parts
                  and "dist" not in p.parts]
    return sorted(files)


def test_comments_agree_with_tree_sitter_on_the_samples():
    """tree-sitter's comment nodes are the oracle; every sample code file must agree."""
    checked = 0
    for lang_fn, suffixes in ((tst.language_typescript, (".ts",)), (tst.language_tsx, (".tsx", ".js", ".jsx"))):
        language = Language(lang_fn())
        parser, query = Parser(language), Query(language, "(comment) @c")
        for path in _code_files():
            if path.suffix not in suffixes:
                continue
            data = path.read_bytes()
            nodes = QueryCursor(query).captures(parser.parse(data).root_node).get("c", [])
            expected = [_comment_text(n.text.decode()) for n in sorted(nodes, key=lambda n: n.start_byte)]
            expected = [c for c in expected if c and not _DIRECTIVE.match(c)]
            assert scan(data.decode()).comments == expected, path
            checked += 1
    assert checked > 50
