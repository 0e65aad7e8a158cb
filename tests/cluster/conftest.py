"""A standalone Spark cluster on 127.0.0.1 for the tests in this folder, and one pipeline run on it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cluster.standalone import StandaloneCluster, start_cluster
from tests.conftest import ROOT, SampleRun, spark_submit_env

# Executors of 1 core / 1 GiB each: two workers of one core fit this machine next to the
# local driver; spark.cores.max keeps the application to those two executors.
SUBMIT_DEFAULTS = """\
spark.executor.cores 1
spark.executor.memory 1g
spark.cores.max 2
"""


@pytest.fixture(scope="session")
def standalone_cluster(tmp_path_factory) -> Iterator[StandaloneCluster]:
    """A master and two one-core workers, stopped at the end of the session (also on failure)."""
    cluster = start_cluster(tmp_path_factory.mktemp("standalone"), workers=2, cores=1, memory="2g")
    try:
        yield cluster
    finally:
        cluster.stop()


def submit(cluster: StandaloneCluster, *args: str, timeout: int = 2400) -> SampleRun:
    """``./spark-submit.sh <args>`` with MASTER=the cluster; its warehouse is ``--warehouse``."""
    env = spark_submit_env()
    env["MASTER"] = cluster.master_url
    conf_dir = cluster.folder / "submit-conf"
    conf_dir.mkdir(exist_ok=True)
    (conf_dir / "spark-defaults.conf").write_text(SUBMIT_DEFAULTS)
    env["SPARK_CONF_DIR"] = str(conf_dir)
    proc = subprocess.run(["./spark-submit.sh", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    warehouse = args[args.index("--warehouse") + 1]
    return SampleRun(Path(warehouse), proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def cluster_run(standalone_cluster, tmp_path_factory) -> SampleRun:
    """The README's first command, submitted to the standalone cluster into its own warehouse."""
    warehouse = tmp_path_factory.mktemp("cluster_run") / "wh"
    return submit(standalone_cluster, "pipeline", "--warehouse", str(warehouse))
