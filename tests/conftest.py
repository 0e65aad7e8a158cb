"""Shared fixtures: one local SparkSession for the whole test session."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpusforge.config import Config, load_config

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


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """``./spark-submit.sh pipeline`` on samples/ once per test session, in its own JVM.

    Every test that needs a warehouse as the sample run leaves it (report, notebooks, trace,
    dataset card) reads this one; none may write to it.
    """
    warehouse = tmp_path_factory.mktemp("sample_run") / "wh"
    proc = subprocess.run(
        ["./spark-submit.sh", "pipeline", "--warehouse", str(warehouse), "--set", "spark.master=local[2]"],
        cwd=ROOT, env=spark_submit_env(), capture_output=True, text=True, timeout=3000)
    return SampleRun(warehouse, proc.returncode, proc.stdout, proc.stderr)
