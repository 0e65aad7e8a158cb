"""Every notebook runs, cell by cell, against the warehouse the sample run produces.

Each notebook is executed with nbclient in a fresh kernel of this environment (the kernel's
Spark session is the notebook's own: local[2], 1 GiB driver); a cell that raises fails the
test. Then a few of the notebook's printed results are checked against the tables. The
notebooks run in the background (``tests/notebooks/runner.py``) as soon as the sample run
is done, while the rest of the suite goes on.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from corpusforge import tables
from tests import background
from tests.notebooks.runner import NAMES, NOTEBOOKS, execute, start_notebook_run

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def notebook_outputs(sample_run, tmp_path_factory) -> dict[str, str]:
    """name -> the output text of each notebook (run once, started when collection ended)."""
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    job = background.JOBS.get("notebooks")
    if job is None:
        job = background.JOBS["notebooks"] = start_notebook_run(tmp_path_factory)
    return job.result()


def _ran(notebook_outputs: dict[str, str], name: str) -> str:
    text = notebook_outputs[name]
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


def test_overview_counts_what_the_tables_hold(notebook_outputs, spark, sample_run):
    text = _ran(notebook_outputs, "corpus_overview")
    bronze = tables.read_table(spark, str(sample_run.warehouse), tables.BRONZE_DOCUMENTS).count()
    assert re.search(r"bronze/documents rows: (\d+)", text).group(1) == str(bronze)
    assert "gold/tokens" in text and "license_compliance" in text
    assert "corpus table: gold/documents" in text
    # one sample per category, each with its provenance line
    for category in ("framework", "aligned", "public", "text"):
        assert f"── {category} · " in text


def test_dedup_recomputes_the_stored_similarities(notebook_outputs):
    text = _ran(notebook_outputs, "dedup")
    clusters = int(re.search(r"clusters: (\d+), documents in clusters", text).group(1))
    assert clusters > 0
    assert "stored similarity == recomputed MinHash estimate: True" in text
    assert 'class="diff"' in text  # the side-by-side table
    assert "near_duplicate/" in text  # the unified diff of a near duplicate


def test_rewrite_lab_shows_the_diff_and_replays_a_gold_document(notebook_outputs):
    text = _ran(notebook_outputs, "rewrite_lab")
    assert "+  const [users, setUsers] = DFrame.useState<User[]>([]);" in text
    assert "+    ONCE.apiClient.get<User[]>('/api/users')" in text
    assert "react-api" in text and "axios-get" in text
    assert "idempotent: True" in text
    assert "same as gold/documents: True" in text


def test_budget_notebook_plans_every_budget(notebook_outputs):
    text = _ran(notebook_outputs, "budget_planning")
    for name in ("150m", "1.3b", "3b", "7b"):
        assert f"| {name} |" in text
    assert "| 3b (what if) |" in text
    assert "supported tokens" in text
