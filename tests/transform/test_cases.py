"""Golden cases: each tests/transform/cases/<name>/ holds input.<ext>, the exact expected
output expected.<ext>, and case.yaml with the rules that fire, what stays unsupported,
the framework call count, tags and the reject reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpusforge.transform import rewrite_source
from corpusforge.transform.validation import is_idempotent, reparse, reparse_clean

from .conftest import CASES

NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _case(name: str) -> tuple[Path, Path, dict]:
    folder = CASES / name
    source = next(folder.glob("input.*"))
    expected = folder / f"expected{source.suffix}"
    meta = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    return source, expected, meta


def test_there_are_at_least_forty_cases():
    assert len(NAMES) >= 40


@pytest.mark.parametrize("name", NAMES)
def test_case_output_is_exactly_the_expected_file(name, pack):
    source, expected, meta = _case(name)
    result = rewrite_source(source.read_text(encoding="utf-8"), f"src/{name}{source.suffix}", pack)
    assert result.text == expected.read_text(encoding="utf-8")
    assert result.rules_fired == meta["rules_fired"]
    assert result.unsupported == meta["unsupported"]
    assert result.framework_calls == meta["framework_calls"]
    assert result.reject_reason == meta["reject_reason"]
    assert result.tags == meta["tags"]


@pytest.mark.parametrize("name", NAMES)
def test_case_output_reparses_and_is_idempotent(name, pack):
    source, _, _ = _case(name)
    result = rewrite_source(source.read_text(encoding="utf-8"), f"src/{name}{source.suffix}", pack)
    assert reparse_clean(result)
    assert is_idempotent(result, pack)


@pytest.mark.parametrize("name", [n for n in NAMES if _case(n)[2]["rules_fired"] == {}
                                  and _case(n)[2]["reject_reason"] != "parse_error"])
def test_untouched_cases_are_byte_identical(name, pack):
    source, expected, _ = _case(name)
    assert expected.read_bytes() == source.read_bytes()


def test_syntax_error_input_is_rejected_unchanged(pack):
    source, _, _ = _case("syntax_error")
    text = source.read_text(encoding="utf-8")
    result = rewrite_source(text, "src/broken.ts", pack)
    assert result.reject_reason == "parse_error"
    assert result.text == text and not result.changed
    assert reparse(text, "src/broken.ts").total == result.parse_errors_before > 0
    assert [d.code for d in result.diagnostics] == ["parse_error"]


def test_edits_leave_every_other_byte_unchanged(pack):
    """Outside the lines the rules touched, the file is byte-for-byte the input."""
    source, _, _ = _case("several_rules")
    text = source.read_text(encoding="utf-8")
    result = rewrite_source(text, "src/several_rules.tsx", pack)
    untouched = [line for line in text.splitlines()
                 if not any(k in line for k in ("react", "axios", "useState", "useEffect", "React.FC",
                                                "console.error"))]
    out_lines = result.text.splitlines()
    for line in untouched:
        assert line in out_lines


def test_a_react_api_dframe_lacks_keeps_the_file_whole_under_revert(pack):
    """`react-import-left` counts what still imports React after the rewrite, so `partial:
    revert` keeps such a file as it was instead of half-converted."""
    source, expected, _ = _case("react_api_without_counterpart")
    text = source.read_text(encoding="utf-8")
    kept = rewrite_source(text, "src/todos.tsx", pack, partial="keep")
    reverted = rewrite_source(text, "src/todos.tsx", pack, partial="revert")
    assert kept.text == expected.read_text(encoding="utf-8") and "from 'react'" in kept.text
    assert reverted.text == text and reverted.rules_fired == {}
    assert kept.unsupported == reverted.unsupported == {"react-import-left": 1}
