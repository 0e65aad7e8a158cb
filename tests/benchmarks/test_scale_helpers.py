"""The scale benchmark's own logic: the synthetic corpus and the event-log accounting."""

from __future__ import annotations

import json
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
scale_corpus = pytest.importorskip("scale_corpus")
scale = pytest.importorskip("scale")

KEEP = scale_corpus.KEYWORDS | {"useState", "DFrame"}


def test_rename_keeps_strings_comments_imports_keywords_and_elements():
    code = ("import { useState } from 'react';\n"
            "// todos are counted here\n"
            "export function TodoList({ items }) {\n"
            "  const [count, setCount] = useState(items.length);\n"
            "  return <main className=\"todos\">{items.map((item) => <Row key={item.id} todo={item} />)}</main>;\n"
            "}\n")
    out = scale_corpus.rename_identifiers(code, "k3", KEEP)
    assert "import { useState } from 'react';" in out and "// todos are counted here" in out
    assert "export function TodoList_k3({ items_k3 })" in out
    assert "const [count_k3, setCount_k3] = useState(items_k3.length)" in out  # length: kept (global method list)
    assert '<main className_k3="todos">' in out and "</main>" in out  # HTML element stays intrinsic
    assert "<Row_k3 key=" in out and "items_k3.map(" in out
    assert scale_corpus.rename_identifiers(code, "k3", KEEP) == out  # deterministic


def test_fork_inserts_one_line_after_a_statement():
    code = "const a = 1;\nfunction f() {\n  return a;\n}\nexport default f;\n"
    forked = scale_corpus.insert_line(code, "const forked = 1;")
    assert forked.count("\n") == code.count("\n") + 1 and "const forked = 1;" in forked
    assert forked.replace("const forked = 1;\n", "") == code


def test_corpus_copies_are_varied_with_planted_duplicates(tmp_path):
    made = scale_corpus.build(2, tmp_path / "c")
    kinds = [spec.split(":", 1)[0] for spec in made["inputs"]]
    assert kinds == ["framework", "dir", "dir", "stack", "text"]
    github = tmp_path / "c" / "github"
    names = {p.name for p in github.iterdir()}
    assert {"react-todo-k0", "react-todo-k1"} <= names and any(n.endswith("-fork") for n in names)
    a = (github / "react-todo-k0" / "src" / "App.tsx").read_text()
    b = (github / "react-todo-k1" / "src" / "App.tsx").read_text()
    assert a != b and "_k0" in a and "_k1" in b
    assert json.loads((github / "react-todo-k1" / "package.json").read_text())["name"].endswith("-k1")
    rows = (tmp_path / "c" / "text" / "docs.jsonl").read_text().splitlines()
    assert len({json.loads(r)["id"] for r in rows}) == len(rows)
    assert (tmp_path / "c" / "bad" / "k1" / "link_to_passwd.ts").is_symlink()  # copied, never followed


def test_event_log_sums_task_time_and_shuffle_per_stage(tmp_path):
    events = [
        {"Event": "SparkListenerJobStart", "Job ID": 0, "Stage IDs": [0, 1],
         "Properties": {"corpusforge.stage": "dedup"}},
        {"Event": "SparkListenerJobStart", "Job ID": 1, "Stage IDs": [2], "Properties": {}},
        {"Event": "SparkListenerTaskEnd", "Stage ID": 0, "Task Metrics": {
            "Executor Run Time": 1500, "Shuffle Write Metrics": {"Shuffle Bytes Written": 100},
            "Input Metrics": {"Bytes Read": 7}}},
        {"Event": "SparkListenerTaskEnd", "Stage ID": 1, "Task Metrics": {
            "Executor Run Time": 500, "Shuffle Read Metrics": {"Remote Bytes Read": 3, "Local Bytes Read": 97}}},
        {"Event": "SparkListenerTaskEnd", "Stage ID": 2, "Task Metrics": {"Executor Run Time": 250}},
    ]
    log = tmp_path / "local-123"
    log.write_text("".join(json.dumps(e) + "\n" for e in events))
    got = scale.event_log_by_stage(tmp_path)
    assert got["dedup"] == {"spark_jobs": 1, "task_seconds": 2.0, "shuffle_write_bytes": 100,
                            "shuffle_read_bytes": 100, "input_bytes": 7}
    assert got["(outside stages)"]["task_seconds"] == 0.2 and got["(outside stages)"]["spark_jobs"] == 1
