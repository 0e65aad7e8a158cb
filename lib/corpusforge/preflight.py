"""Checks a job makes before Spark starts, so common mistakes cost one line, not a JVM trace.

``./spark-submit.sh`` runs them (``python -m corpusforge.preflight JOB [options]``) before it
launches the JVM; the CLI runs them again for the ``corpusforge`` console script. Each failure
is a :class:`~corpusforge.errors.CorpusforgeError` with a hint.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping

from corpusforge.config import Config
from corpusforge.errors import EnvironmentProblem

SUPPORTED_JAVA = (8, 11, 17)
JAVA_HINT = "install OpenJDK 17 (Debian: apt-get install openjdk-17-jdk-headless) and/or point JAVA_HOME at it"


def java_major(version_output: str) -> int | None:
    """The major version in ``java -version`` output (``1.8.0`` is 8), or None if absent."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2):
        major = int(match.group(2))
    return major


def find_java(env: Mapping[str, str]) -> str | None:
    """The java Spark would run: ``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else PATH's."""
    if env.get("JAVA_HOME"):
        return os.path.join(env["JAVA_HOME"], "bin", "java")
    return shutil.which("java", path=env.get("PATH", os.defpath))


def check_java(env: Mapping[str, str] | None = None) -> int:
    """Fail with one clear line when Java is missing or not a version Spark 3.5 runs on."""
    env = os.environ if env is None else env
    java = find_java(env)
    if java is None:
        raise EnvironmentProblem("Java is not installed: no java on PATH and JAVA_HOME is not set "
                                 "(Spark needs Java 17)", stage="session", hint=JAVA_HINT)
    if not os.access(java, os.X_OK):
        raise EnvironmentProblem(f"JAVA_HOME is {env.get('JAVA_HOME')} but {java} does not exist",
                                 stage="session", hint="point JAVA_HOME at a Java 17 installation or unset it")
    try:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, env=dict(env))
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EnvironmentProblem(f"cannot run {java} -version: {exc}", stage="session", hint=JAVA_HINT) from None
    major = java_major(proc.stderr + proc.stdout)
    if major not in SUPPORTED_JAVA:
        raise EnvironmentProblem(
            f"Java {major or 'of unknown version'} found at {java}; Spark 3.5 runs on Java "
            f"{', '.join(map(str, SUPPORTED_JAVA[:-1]))} or {SUPPORTED_JAVA[-1]}",
            stage="session", hint=JAVA_HINT)
    return major


def check_job(job: str, config: Config, *, budget: str | None = None, java: bool = True) -> None:
    """Everything that can be checked about ``job`` without Spark: Java, inputs, budget, warehouse.

    The config itself (its path, keys and types) is checked when it is loaded.
    """
    if java:
        check_java()
    stages = set(config.pipeline.stages) if job == "pipeline" else {job}
    if "ingest" in stages:
        from corpusforge.sources.specs import parse_input_specs

        parse_input_specs(config.ingest.inputs)
    if stages & {"plan", "shard"}:
        from corpusforge.budgets import get_budget, load_budgets

        budgets = load_budgets(config.budgets.file)
        if "shard" in stages:
            get_budget(budgets, config.shards.budget)
        if job == "plan" and budget:
            get_budget(budgets, budget)
    from corpusforge.warehouse import check_local_marker

    check_local_marker(config.warehouse)


def main(argv: list[str] | None = None) -> int:
    """``python -m corpusforge.preflight JOB [options]``: exit 0, or 2 after one error line."""
    from corpusforge.cli import preflight_main

    return preflight_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
