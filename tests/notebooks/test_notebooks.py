"""Every notebook runs, cell by cell, against the warehouse the sample run produces.

Each notebook is executed with nbclient in a fresh kernel of this environment (the kernel's
Spark session is the notebook's own: local[2], 1 GiB driver); a cell that raises fails the
test. Then a few of the notebook's printed results are checked against the tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from corpusforge import tables
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

NOTEBOOKS = ROOT / "notebooks"
NAMES = ("corpus_overview", "dedup", "rewrite_lab", "budget_planning")


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every cell in order from the repository root; raises CellExecutionError on an error."""
    client = NotebookClient(notebook, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(ROOT)}})
    return client.execute()


def output_text(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook printed or displayed, as text (plain, Markdown and HTML)."""
    parts = []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out["text"])
            for kind in ("text/plain", "text/markdown", "text/html"):
                if kind in out.get("data", {}):
                    parts.append(out["data"][kind])
    return "\n".join(parts)


@pytest.fixture(scope="module")
def notebook_env(sample_run, tmp_path_factory) -> dict[str, str]:
    """The environment a notebook reads: the sample run's warehouse and a config like the
    run's (conf/local.yaml) with a small local Spark."""
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    conf = yaml.safe_load((ROOT / "conf" / "local.yaml").read_text(encoding="utf-8"))
    conf["spark"].update({"master": "local[2]", "driver_memory": "1g", "shuffle_partitions": 2,
                          "delta_snapshot_partitions": 1})
    path = tmp_path_factory.mktemp("notebooks") / "notebook.yaml"
    path.write_text(yaml.safe_dump(conf), encoding="utf-8")
    return {"CORPUSFORGE_WAREHOUSE": str(sample_run.warehouse), "CORPUSFORGE_CONF": str(path)}


@pytest.fixture(scope="module")
def executed(notebook_env) -> dict[str, str]:
    """name -> the output text of each notebook, run once for this module."""
    mp = pytest.MonkeyPatch()
    for key, value in notebook_env.items():
        mp.setenv(key, value)  # the kernel inherits this process's environment
    mp.delenv("MASTER", raising=False)
    mp.delenv("CORPUSFORGE_RULE_PACK", raising=False)
    results: dict[str, str] = {}
    try:
        for name in NAMES:
            try:
                notebook = execute(nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4))
            except CellExecutionError as exc:
                results[name] = f"FAILED: {exc}"
                continue
            results[name] = output_text(notebook)
    finally:
        mp.undo()
    return results


def _ran(executed: dict[str, str], name: str) -> str:
    text = executed[name]
    assert not text.startswith("FAILED:"), f"notebooks/{name}.ipynb raised:\n{text[:6000]}"
    return text


def test_committed_notebooks_have_outputs_stripped_and_the_venv_kernel():
    for name in NAMES:
        notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == "python3"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{name}: outputs not stripped"
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


def test_a_cell_that_raises_fails_the_run():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                               nbformat.v4.new_code_cell("raise ValueError('broken cell')")])
    with pytest.raises(CellExecutionError, match="broken cell"):
        execute(notebook)


def test_overview_counts_what_the_tables_hold(executed, spark, sample_run):
    text = _ran(executed, "corpus_overview")
    bronze = tables.read_table(spark, str(sample_run.warehouse), tables.BRONZE_DOCUMENTS).count()
    assert re.search(r"bronze/documents rows: (\d+)", text).group(1) == str(bronze)
    assert "gold/tokens" in text and "license_compliance" in text
    assert "corpus table: gold/documents" in text
    # one sample per category, each with its provenance line
    for category in ("framework", "aligned", "public", "text"):
        assert f"── {category} · " in text


def test_dedup_recomputes_the_stored_similarities(executed):
    text = _ran(executed, "dedup")
    clusters = int(re.search(r"clusters: (\d+), documents in clusters", text).group(1))
    assert clusters > 0
    assert "stored similarity == recomputed MinHash estimate: True" in text
    assert 'class="diff"' in text  # the side-by-side table
    assert "near_duplicate/" in text  # the unified diff of a near duplicate


def test_rewrite_lab_shows_the_diff_and_replays_a_gold_document(executed):
    text = _ran(executed, "rewrite_lab")
    assert "+  const [users, setUsers] = DFrame.useState<User[]>([]);" in text
    assert "+    ONCE.apiClient.get<User[]>('/api/users')" in text
    assert "react-api" in text and "axios-get" in text
    assert "idempotent: True" in text
    assert "same as gold/documents: True" in text


def test_budget_notebook_plans_every_budget(executed):
    text = _ran(executed, "budget_planning")
    for name in ("150m", "1.3b", "3b", "7b"):
        assert f"| {name} |" in text
    assert "| 3b (what if) |" in text
    assert "supported tokens" in text
