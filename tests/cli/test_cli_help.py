"""Every job has --help with examples, and asking for it starts no Spark."""

from __future__ import annotations

import subprocess
import sys

import pytest

from corpusforge import cli
from tests.cli.conftest import env_without_java, run_submit
from tests.conftest import ROOT


def test_every_job_has_examples_and_an_entry_point():
    for job in cli.JOBS:
        examples = cli.EXAMPLES.get(job, "")
        assert examples.startswith("examples:"), job
        assert f"./spark-submit.sh {job}" in examples, job
    assert set(cli.EXAMPLES) == set(cli.JOBS)
    assert {p.stem for p in (ROOT / "jobs").glob("*.py")} == set(cli.JOBS)


@pytest.mark.parametrize("job", list(cli.JOBS))
def test_python_module_help(job):
    proc = subprocess.run([sys.executable, "-m", "corpusforge.cli", job, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "examples:" in proc.stdout and f"./spark-submit.sh {job}" in proc.stdout
    assert "--progress" in proc.stdout and "--conf" in proc.stdout


def test_spark_submit_help_lists_every_job(path_without_java):
    proc = run_submit("--help", env=env_without_java(path_without_java))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: ./spark-submit.sh <job>")
    listed = proc.stdout.split("jobs:", 1)[1].split("\n", 1)[0].split()
    assert set(listed) == set(cli.JOBS)


@pytest.mark.parametrize("job", list(cli.JOBS))
def test_spark_submit_job_help_starts_no_spark(job, path_without_java):
    # Without Java on the machine, only a run that never starts the JVM can succeed.
    proc = run_submit(job, "--help", env=env_without_java(path_without_java))
    assert proc.returncode == 0, proc.stderr
    assert "examples:" in proc.stdout and f"./spark-submit.sh {job}" in proc.stdout
    assert "Exception" not in proc.stderr and "\tat " not in proc.stderr and "WARN" not in proc.stderr


def test_trace_is_another_name_for_lineage(path_without_java):
    args = cli.build_parser().parse_args(["trace", "abcdef123456"])
    assert args.doc_id == "abcdef123456"
    proc = run_submit("trace", "--help", env=env_without_java(path_without_java))
    assert proc.returncode == 0, proc.stderr
    assert "./spark-submit.sh lineage" in proc.stdout and "--path" in proc.stdout
    python_help = subprocess.run([sys.executable, "-m", "corpusforge.cli", "trace", "--help"], cwd=ROOT,
                                 capture_output=True, text=True, timeout=120)
    assert python_help.returncode == 0 and "DOC_ID" in python_help.stdout, python_help.stderr
