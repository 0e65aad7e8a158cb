"""Shingles and the normalised hash: plain functions, no Spark."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from corpusforge.dedup.normalize import normalized_sha256, normalized_text, strip_comments
from corpusforge.dedup.shingles import WHITESPACE_CODEPOINTS, code_tokens, jaccard, shingles
from tests.conftest import SAMPLES

FIXTURES = Path(__file__).parent / "fixtures"
TODO = SAMPLES / "github" / "react-todo" / "src"
MIRROR = SAMPLES / "github" / "react-todo-mirror" / "src"
FORK = SAMPLES / "github" / "react-todo-fork" / "src"


def test_whitespace_list_matches_python_regex():
    space = re.compile(r"\s")
    expected = tuple(c for c in range(sys.maxunicode + 1) if space.match(chr(c)))
    assert WHITESPACE_CODEPOINTS == expected


def test_tokens_ignore_layout():
    assert code_tokens("const  x=1;\n\tif(x>=2){}") == ["const", "x", "=", "1", ";", "if", "(", "x", ">", "=",
                                                          "2", ")", "{", "}"]
    assert code_tokens("é $a\u00a0b\u3000c") == ["é", "$a", "b", "c"]


def test_shingles_windows_distinct_in_order():
    assert shingles("a b c a b c a", 3) == [b"a b c", b"b c a", b"c a b"]
    assert shingles("a b", 5) == [b"a b"]
    assert shingles(" \n\t", 5) == []
    assert shingles("x = 'é'", 2) == [b"x =", b"= '", "' é".encode(), "é '".encode()]
    with pytest.raises(ValueError):
        shingles("a", 0)


def test_jaccard():
    assert jaccard([b"a", b"b"], [b"b", b"c"]) == pytest.approx(1 / 3)
    assert jaccard([], []) == 1.0
    assert jaccard([b"a"], []) == 0.0


def test_strip_comments_keeps_literals():
    text = (FIXTURES / "comments.ts").read_text()
    expected = (FIXTURES / "comments.normalized.txt").read_text().strip()
    assert normalized_text(text, "typescript") == expected
    assert "http" in strip_comments(text, "typescript")
    # Markdown has no comments: a URL's `//` stays.
    assert normalized_text("see http://x.org", "markdown") == "see http : / / x . org"
    assert normalized_text("a { color: red; /* note */ }", "css") == "a { color : red ; }"


@pytest.mark.parametrize("name", ["App.tsx", "hooks/useTodos.ts", "components/TodoList.tsx", "types.ts"])
def test_mirror_files_share_the_normalized_hash(name):
    original = (TODO / name).read_text()
    mirror = (MIRROR / name).read_text()
    assert normalized_sha256(original, "tsx") == normalized_sha256(mirror, "tsx")


def test_fork_edits_change_the_normalized_hash_but_not_reindentation():
    for name in ("App.tsx", "api/todos.ts", "hooks/useTodos.ts"):
        assert normalized_sha256((TODO / name).read_text(), "tsx") != normalized_sha256((FORK / name).read_text(), "tsx")
    # TodoList.tsx was only re-indented in the fork.
    assert normalized_sha256((TODO / "components/TodoList.tsx").read_text(), "tsx") == \
        normalized_sha256((FORK / "components/TodoList.tsx").read_text(), "tsx")
