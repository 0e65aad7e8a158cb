"""Runs the notebooks against the sample run's warehouse, in the background of the suite.

``python -m tests.notebooks.runner OUTPUT.json`` executes every notebook with nbclient, each
in a fresh kernel of this environment started with this process's environment (the
warehouse and config come in ``CORPUSFORGE_WAREHOUSE`` / ``CORPUSFORGE_CONF``), and writes
``{name: everything it printed}``, or ``"FAILED: ..."`` for a notebook whose cell raised.
It runs as a subprocess of the suite so that stopping the suite ends it and its kernels
(each kernel exits when its parent does).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.background import JOBS, BackgroundJob, Processes
from tests.conftest import ROOT, SampleRun

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


def run_all() -> dict[str, str]:
    results: dict[str, str] = {}
    for name in NAMES:
        try:
            results[name] = output_text(execute(nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)))
        except CellExecutionError as exc:
            results[name] = f"FAILED: {exc}"
    return results


def notebook_env(sample_run: SampleRun, folder: Path) -> dict[str, str]:
    """The environment the notebooks read: the sample run's warehouse and a config like the
    run's (conf/local.yaml) with a small local Spark."""
    conf = yaml.safe_load((ROOT / "conf" / "local.yaml").read_text(encoding="utf-8"))
    conf["spark"].update({"master": "local[2]", "driver_memory": "1g", "shuffle_partitions": 2,
                          "delta_snapshot_partitions": 1})
    path = folder / "notebook.yaml"
    path.write_text(yaml.safe_dump(conf), encoding="utf-8")
    env = dict(os.environ)
    for key in ("MASTER", "CORPUSFORGE_RULE_PACK"):
        env.pop(key, None)
    env.update({"CORPUSFORGE_WAREHOUSE": str(sample_run.warehouse), "CORPUSFORGE_CONF": str(path)})
    return env


def start_notebook_run(tmp_path_factory: pytest.TempPathFactory) -> BackgroundJob[dict[str, str]]:
    """Every notebook over the sample run's warehouse, as soon as the sample run is done."""
    folder = tmp_path_factory.mktemp("notebooks")
    processes = Processes()

    def work() -> dict[str, str]:
        sample_run: SampleRun = JOBS["sample_run"].result()
        if sample_run.returncode != 0:
            return {name: f"FAILED: the sample run failed:\n{sample_run.stderr[-3000:]}" for name in NAMES}
        out = folder / "outputs.json"
        done = processes.run([sys.executable, "-m", "tests.notebooks.runner", str(out)], timeout=2400,
                             cwd=ROOT, env=notebook_env(sample_run, folder))
        if done.returncode != 0 or not out.is_file():
            return {name: f"FAILED: the notebook runner exited {done.returncode}:\n{done.stderr[-3000:]}"
                    for name in NAMES}
        return json.loads(out.read_text(encoding="utf-8"))

    return BackgroundJob("notebooks", work, processes.stop)


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(run_all()), encoding="utf-8")
