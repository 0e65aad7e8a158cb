import json

import pytest

from corpusforge.errors import ConfigError
from corpusforge.filters.decontamination import (
    decontamination_decision, load_benchmarks, ngram_hashes, snippets_from, tokens)
from tests.conftest import ROOT, SAMPLES

SHIPPED = str(ROOT / "conf" / "benchmarks" / "sample_eval.jsonl")


def test_tokens_ignore_layout():
    assert tokens("a  =\n\tb+1;") == ["a", "=", "b", "+", "1", ";"]
    assert ngram_hashes("a = b + 1 ;", 3) == ngram_hashes("a=b\n+1;", 3)
    assert ngram_hashes("a b", 3) == set()


def test_planted_snippet_is_caught_even_reformatted():
    index = load_benchmarks([SHIPPED], 20)
    planted = (SAMPLES / "github" / "isc-utils" / "src" / "fibonacci.ts").read_text()
    reason, detail = decontamination_decision(planted, index)
    assert reason == "decontaminated:sample-eval" and "20-token" in detail
    squashed = " ".join(planted.split())  # whitespace changes do not hide it
    assert decontamination_decision(squashed, index)[0] == "decontaminated:sample-eval"


def test_similar_but_different_code_passes():
    index = load_benchmarks([SHIPPED], 20)
    # A hand-written debounce that resembles the benchmark's: shares short windows only.
    own = (SAMPLES / "github" / "isc-utils" / "src" / "debounce.ts").read_text()
    assert decontamination_decision(own, index) is None
    assert decontamination_decision("export const x = 1;\n", index) is None


def test_every_other_sample_file_passes():
    index = load_benchmarks([SHIPPED], 20)
    hits = [p.name for p in SAMPLES.rglob("*.ts*") if p.is_file() and not p.is_symlink()
            and decontamination_decision(p.read_text(errors="replace"), index)]
    assert hits == ["fibonacci.ts"]


def test_bad_benchmark_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_benchmarks([str(tmp_path / "nope.jsonl")], 20)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"benchmark": "x", "text": "a"}\n{"text": "no name"}\n')
    with pytest.raises(ConfigError, match="line 2"):
        load_benchmarks([str(bad)], 20)


def test_snippets_from_public_benchmark_rows():
    rows = [{"task_id": "HumanEval/0", "prompt": "def f():", "canonical_solution": "  return 1"}]
    assert snippets_from(rows, "humaneval", ["prompt", "canonical_solution"]) == [
        {"benchmark": "humaneval", "id": "HumanEval/0", "text": "def f():\n  return 1"}]
    assert json.dumps(snippets_from(rows, "humaneval", ["prompt"])[0])
