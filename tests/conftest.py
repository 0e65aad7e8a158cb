"""Shared fixtures: one local SparkSession for the whole test session."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpusforge.config import Config, load_config
from tests import background
from tests.background import BackgroundJob, Processes

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def make_config(warehouse: Path, **overrides) -> Config:
    """Defaults tuned for tests: 2 local cores, few partitions, the given warehouse."""
    base = {"warehouse": str(warehouse), "spark.master": "local[2]",
            "spark.shuffle_partitions": 2, "spark.delta_snapshot_partitions": 1,
            "spark.driver_memory": "2g", "tables.buckets": 2}
    base.update(overrides)
    return load_config(None, base)


@pytest.fixture(scope="session")
def spark():
    """The session-scoped local SparkSession with Delta and Spark NLP (via the real builder)."""
    from corpusforge.spark import build_session

    os.environ.pop("MASTER", None)
    session = build_session(make_config(Path("unused")).spark)
    yield session
    session.stop()


def spark_submit_env() -> dict[str, str]:
    """Environment for ``./spark-submit.sh`` in tests: the test venv, 2 GiB driver, no $MASTER."""
    env = dict(os.environ)
    env["CORPUSFORGE_VENV"] = sys.prefix  # reuse the environment the tests run in
    env["DRIVER_MEMORY"] = "2g"
    env.pop("MASTER", None)
    return env


@dataclass(frozen=True)
class SampleRun:
    """One run of the README's first command: its warehouse and what it printed."""

    warehouse: Path
    returncode: int
    stdout: str
    stderr: str


def start_sample_run(tmp_path_factory: pytest.TempPathFactory) -> BackgroundJob[SampleRun]:
    """``./spark-submit.sh pipeline`` on samples/ into a fresh warehouse, in the background."""
    warehouse = tmp_path_factory.mktemp("sample_run") / "wh"
    processes = Processes()

    def work() -> SampleRun:
        done = processes.run(["./spark-submit.sh", "pipeline", "--warehouse", str(warehouse),
                              "--set", "spark.master=local[2]"], timeout=3000, cwd=ROOT, env=spark_submit_env())
        return SampleRun(warehouse, done.returncode, done.stdout, done.stderr)

    return BackgroundJob("sample_run", work, processes.stop)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """``./spark-submit.sh pipeline`` on samples/ once per test session, in its own JVM.

    Every test that needs a warehouse as the sample run leaves it (report, notebooks, trace,
    dataset card) reads this one; none may write to it. It starts when collection ends
    (``pytest_collection_finish``) unless no collected test reads it.
    """
    job = background.JOBS.get("sample_run")
    if job is None:
        job = background.JOBS["sample_run"] = start_sample_run(tmp_path_factory)
    return job.result()


# Fixtures whose runs start when collection ends; the modules that read them run last.
SAMPLE_RUN_FIXTURES = frozenset({"sample_run"})
# The notebooks run over the sample run's warehouse once it is written.
NOTEBOOK_FIXTURES = frozenset({"notebook_outputs"})
CLUSTER_FIXTURES = frozenset({"standalone_cluster", "cluster_run"})


def _rank(fixtures: set[str]) -> int:
    return 2 if fixtures & CLUSTER_FIXTURES else 1 if fixtures & SAMPLE_RUN_FIXTURES else 0


@pytest.hookimpl(trylast=True)  # after -k/-m have deselected
def pytest_collection_modifyitems(session, config, items) -> None:
    """Modules reading the sample run go after the others, the cluster's module last; a
    module moves whole (its module-scoped fixtures are set up once), keeping its order."""
    fixtures: dict[str, set[str]] = {}
    for item in items:
        fixtures.setdefault(item.nodeid.split("::")[0], set()).update(getattr(item, "fixturenames", ()))
    items.sort(key=lambda item: _rank(fixtures[item.nodeid.split("::")[0]]))  # stable


def pytest_collection_finish(session) -> None:
    """Start the long runs the collected tests read, so they proceed while the rest runs."""
    if session.config.option.collectonly or not session.items:
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:  # pytest's tmp_path plugin off: the fixtures start them when asked
        return
    wanted = set().union(*(getattr(item, "fixturenames", ()) for item in session.items))
    if wanted & (SAMPLE_RUN_FIXTURES | CLUSTER_FIXTURES) and "sample_run" not in background.JOBS:
        background.JOBS["sample_run"] = start_sample_run(factory)
    if wanted & NOTEBOOK_FIXTURES and "notebooks" not in background.JOBS:
        from tests.notebooks.runner import start_notebook_run

        background.JOBS["notebooks"] = start_notebook_run(factory)
    if wanted & CLUSTER_FIXTURES and "cluster" not in background.JOBS:
        from tests.cluster.submit import start_cluster_run

        background.JOBS["cluster"] = start_cluster_run(factory)


def pytest_sessionfinish(session, exitstatus) -> None:
    """End every background run (a finished one's stop does nothing)."""
    background.stop_all()
