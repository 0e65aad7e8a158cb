"""Subprocess tests of the command line: ``./spark-submit.sh`` and ``python -m corpusforge.cli``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, spark_submit_env


@pytest.fixture(scope="session")
def path_without_java(tmp_path_factory) -> str:
    """A PATH with every program of the current one except ``java`` (a machine without Java)."""
    farm = tmp_path_factory.mktemp("no_java_bin")
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            target = Path(folder) / name
            if name != "java" and not (farm / name).exists() and os.access(target, os.X_OK) and target.is_file():
                (farm / name).symlink_to(target)
    return str(farm)


def run_submit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``./spark-submit.sh ARGS`` from the repository root with the test environment."""
    return subprocess.run(["./spark-submit.sh", *args], cwd=ROOT, env=env or spark_submit_env(),
                          capture_output=True, text=True, timeout=600)


def env_without_java(path_without_java: str) -> dict[str, str]:
    """The test environment on a machine that has no Java at all."""
    env = spark_submit_env()
    env.pop("JAVA_HOME", None)
    env["PATH"] = path_without_java
    return env
