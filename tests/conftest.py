"""Shared fixtures: one local SparkSession for the whole test session."""

from __future__ import annotations

import os
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
