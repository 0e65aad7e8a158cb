"""Code cleaning (filters/cleaning.py): each step, the hard cases, and the meaning check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from corpusforge.filters import cleaning
from corpusforge.filters.cleaning import (EMPTY_AFTER_CLEANING, KEPT_ORIGINAL, CleaningPolicy, clean_document,
                                          code_difference, normalize_line_endings, same_code)
from corpusforge.transform.parsing import grammar_for
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "filters" / "fixtures" / "cleaning"
LANGUAGES = {".ts": "typescript", ".tsx": "tsx", ".js": "javascript", ".jsx": "jsx"}
POLICY = CleaningPolicy()


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")  # bytes: CRs stay as written


def _clean(name: str, policy: CleaningPolicy = POLICY) -> cleaning.Cleaned:
    return clean_document(_fixture(name), name, LANGUAGES[Path(name).suffix], policy)


def test_header_banners_commented_code_whitespace_and_blank_lines():
    original = _fixture("header_and_code.ts")
    out = _clean("header_and_code.ts")
    assert out.counts == {"license_header": 1, "banners": 2, "commented_code": 1,
                          "trailing_whitespace": 1, "blank_lines": 3}
    # The header moved to metadata, whole and verbatim.
    assert out.license_header.startswith("/**\n * Copyright (c) 2021 Example Corp.")
    assert out.license_header.endswith("LICENSE file in the root directory of this source tree.\n */")
    assert "Copyright" not in out.content and "// ----" not in out.content
    assert "sourceMappingURL" not in out.content
    # Commented-out code inside the function is gone; the explaining comment stays.
    assert "legacy" not in out.content and "// Read the file and resolve with its text." in out.content
    # Directives stay, in order, at the top.
    assert out.content.startswith('/// <reference types="node" />\n/* eslint-disable no-console */\n')
    assert "// prettier-ignore\nconst matrix = [1,0,\n                0,1];" in out.content
    # Comment markers inside a string and a regex are not comments.
    assert 'const marker = "/* not a comment */";' in out.content and r"/\/\*+/g" in out.content
    # The template literal keeps its trailing spaces and its blank lines.
    assert "`\nSELECT *   \n\nFROM t\n\n\nWHERE x = 1\n`" in out.content
    assert 'import { readFile } from "fs";\n\nexport function load' in out.content
    assert same_code(original, out.content, "typescript")


def test_jsdoc_of_the_first_function_stays():
    original = _fixture("jsdoc_first_function.ts")
    out = _clean("jsdoc_first_function.ts")
    assert (out.content, out.license_header, out.counts) == (original, None, {})


def test_a_license_jsdoc_above_code_without_doc_tags_is_a_header():
    text = "/**\n * @license MIT\n * Copyright 2024 Example.\n */\nexport const a = 1;\n"
    out = clean_document(text, "a.ts", "typescript", POLICY)
    assert (out.content, out.license_header) == ("export const a = 1;\n", text[:text.index("\nexport")])


def test_directives_and_generated_markers_stay():
    out = _clean("directives.ts")
    assert (out.content, out.counts) == (_fixture("directives.ts"), {})


def test_templates_jsx_text_and_literal_types_keep_their_whitespace():
    original = _fixture("template_blank_lines.tsx")
    out = _clean("template_blank_lines.tsx")
    assert "  .a { color: red; }   \n\n\n\n  .b { color: blue; }" in out.content
    assert "type Route = `/${string}\n\n`;" in out.content
    assert "      text with trailing spaces   \n" in out.content  # JSX text is content
    assert out.content.endswith("  );\n}\n")  # the blank lines at the end went
    assert out.counts == {"blank_lines": 3}
    assert same_code(original, out.content, "tsx")


def test_bundler_banners_go_and_paragraph_separators_stay():
    out = _clean("banners.js")
    assert out.content == ('"use strict";\nvar useCounter = function () { return 1; };\n\n'
                           "0 && (module.exports = { useCounter });\n")
    assert out.counts == {"banners": 6}
    kept = "// Para one.\n//\n// Para two.\nx();\n"
    assert clean_document(kept, "a.js", "javascript", POLICY).content == kept


def test_nothing_left_after_cleaning_is_a_reject():
    out = _clean("only_header.ts")
    assert out.reason == EMPTY_AFTER_CLEANING and out.content == ""
    assert out.detail == "nothing but blank_lines, commented_code, license_header removed"
    assert "SPDX-License-Identifier: MIT" in out.license_header


def test_crlf_is_normalised_everywhere_including_templates():
    original = _fixture("crlf_template.js")
    out = _clean("crlf_template.js")
    assert "\r" not in out.content and out.counts == {"line_endings": 7}
    # ECMAScript reads CRLF and CR in a template as LF (cooked and raw): same tree, same values.
    assert same_code(original, out.content, "tsx")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_crlf_in_a_template_means_the_same_to_node():
    original = _fixture("crlf_template.js")
    cleaned = _clean("crlf_template.js").content

    def run(source: str) -> str:
        return subprocess.run(["node", "-"], input=source.encode(), capture_output=True, check=True,
                              timeout=60).stdout.decode()
    assert run(original) == run(cleaned) == '["line one\\nline two\\nline three\\n","a\\nb"]\n'


def test_each_step_can_be_switched_off():
    off = CleaningPolicy(line_endings=False, trailing_whitespace=False, license_header=False, banners=False,
                         commented_code=False, blank_lines=False)
    for name in ("header_and_code.ts", "banners.js", "crlf_template.js", "template_blank_lines.tsx"):
        out = _clean(name, off)
        assert (out.content, out.counts) == (_fixture(name), {})
    only_header = _clean("header_and_code.ts", CleaningPolicy(
        trailing_whitespace=False, banners=False, commented_code=False, blank_lines=False))
    assert only_header.counts == {"license_header": 1}
    assert only_header.content.startswith("\n// ------")  # the blank line after the header stays


def test_blank_line_limit_and_commented_code_size_are_settings():
    text = "const a = 1;\n\n\n\nconst b = 2;\n// f(1);\n// f(2);\nconst c = 3;\n"
    two = clean_document(text, "a.ts", "typescript", CleaningPolicy(max_blank_lines=2))
    assert two.content.startswith("const a = 1;\n\n\nconst b") and two.counts == {"blank_lines": 1}
    small = clean_document(text, "a.ts", "typescript", CleaningPolicy(min_commented_code_lines=2))
    assert "f(1)" not in small.content and small.counts["commented_code"] == 1
    assert "f(1)" in clean_document(text, "a.ts", "typescript", POLICY).content


def test_prose_comments_stay():
    text = ("function f() {\n  // Walk the list once: every node is visited,\n"
            "  // and its parent is recorded for the second pass\n  // (see the design notes).\n"
            "  return 1;\n}\n")
    assert clean_document(text, "a.ts", "typescript", POLICY).content == text


def test_cleaning_is_idempotent():
    for path in sorted(FIXTURES.iterdir()):
        once = clean_document(path.read_bytes().decode(), path.name, LANGUAGES[path.suffix], POLICY)
        twice = clean_document(once.content, path.name, LANGUAGES[path.suffix], POLICY)
        assert twice.content == once.content, path.name


def test_same_code_sees_changes_in_code_and_literals_but_not_in_comments_or_layout():
    code = "const a = `x  \n\ny`;\nfoo(a);\n"
    assert same_code(code, "// note\nconst a = `x  \n\ny`;\n\n\nfoo( a );", "typescript")
    assert not same_code(code, "const a = `x\n\ny`;\nfoo(a);\n", "typescript")  # template text
    assert not same_code(code, "const a = `x  \ny`;\nfoo(a);\n", "typescript")  # template blank line
    assert not same_code(code, "const a = `x  \n\ny`;\n", "typescript")
    assert code_difference(code, "const b = `x  \n\ny`;\nfoo(a);\n", "typescript") == \
        "node 4: ('identifier', 'a') became ('identifier', 'b')"


def test_original_is_kept_when_the_check_fails(monkeypatch):
    # A cleaning step that broke the code (here: one that drops a statement) is caught.
    broken = cleaning.Cleaned("const a = 1;\n", None, {"blank_lines": 1})
    monkeypatch.setattr(cleaning, "_clean_code",
                        lambda text, grammar, policy: (broken, cleaning.parse(text, grammar)))
    text = "const a = 1;\n\n\nfoo(a);\n"
    out = clean_document(text, "a.ts", "typescript", POLICY)
    assert (out.content, out.counts, out.reason) == (text, {KEPT_ORIGINAL: 1}, None)
    # With CRLF line ends the tree cleaning parsed is not the original's: it is parsed again.
    crlf = text.replace("\n", "\r\n")
    out = clean_document(crlf, "a.ts", "typescript", POLICY)
    assert (out.content, out.counts) == (crlf, {KEPT_ORIGINAL: 1})


def test_unparseable_code_only_gets_line_endings():
    text = "const a = (1;\r\n\r\n\r\n// f(1);\n// f(2);\n// f(3);\n"
    out = clean_document(text, "a.ts", "typescript", POLICY)
    assert out.content == normalize_line_endings(text)[0]
    assert out.counts == {"line_endings": 3, "unparsed": 1}


def test_text_documents_only_get_line_endings():
    text = "# Title   \r\n\r\n\r\n\r\nBody  \r\n"
    out = clean_document(text, "README.md", "markdown", POLICY)
    assert (out.content, out.counts) == ("# Title   \n\n\n\nBody  \n", {"line_endings": 5})


def test_the_samples_typescript_files_keep_their_meaning():
    """Every JS/TS file of samples/: cleaned, the tree is unchanged and a second pass is a no-op."""
    files = [p for p in sorted((ROOT / "samples").rglob("*")) if p.suffix in LANGUAGES and p.is_file()]
    assert len(files) > 50
    changed = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        out = clean_document(text, str(path), LANGUAGES[path.suffix], POLICY)
        assert KEPT_ORIGINAL not in out.counts, path
        if out.content != text and "unparsed" not in out.counts:
            changed += 1
            assert same_code(text, out.content, grammar_for(str(path))), path
            again = clean_document(out.content, str(path), LANGUAGES[path.suffix], POLICY)
            assert again.content == out.content, path
    assert changed > 0
