"""Submitting the README's jobs to the standalone cluster, and the runs the tests read."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.background import BackgroundJob, Processes
from tests.cluster.standalone import StandaloneCluster, start_cluster
from tests.conftest import ROOT, SampleRun, spark_submit_env

# Executors of 1 core / 1 GiB each: two workers of one core fit this machine next to the
# local driver; spark.cores.max keeps the application to those two executors.
SUBMIT_DEFAULTS = """\
spark.executor.cores 1
spark.executor.memory 1g
spark.cores.max 2
"""


def submit(cluster: StandaloneCluster, *args: str, timeout: int = 2400,
           processes: Processes | None = None) -> SampleRun:
    """``./spark-submit.sh <args>`` with MASTER=the cluster; its warehouse is ``--warehouse``."""
    env = spark_submit_env()
    env["MASTER"] = cluster.master_url
    conf_dir = cluster.folder / "submit-conf"
    conf_dir.mkdir(exist_ok=True)
    (conf_dir / "spark-defaults.conf").write_text(SUBMIT_DEFAULTS)
    env["SPARK_CONF_DIR"] = str(conf_dir)
    done = (processes or Processes()).run(["./spark-submit.sh", *args], timeout=timeout, cwd=ROOT, env=env)
    warehouse = args[args.index("--warehouse") + 1]
    return SampleRun(Path(warehouse), done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class ClusterRuns:
    """What the background job did on the cluster: the pipeline, then ``maintain`` on a copy
    of the pipeline's warehouse (so the tests can compare the two)."""

    cluster: StandaloneCluster
    pipeline: SampleRun
    maintain: SampleRun | None  # None when the pipeline failed


def start_cluster_run(tmp_path_factory: pytest.TempPathFactory) -> BackgroundJob[ClusterRuns]:
    """A master and two one-core workers; the README's first command submitted to them into
    its own warehouse; then the maintain job on a copy of that warehouse; in the background.
    Stopping the job stops the cluster."""
    folder = tmp_path_factory.mktemp("standalone")
    warehouse = tmp_path_factory.mktemp("cluster_run") / "wh"
    maintained = tmp_path_factory.mktemp("cluster_maintain") / "wh"
    processes = Processes()
    started: list[StandaloneCluster] = []

    def work() -> ClusterRuns:
        cluster = start_cluster(folder, workers=2, cores=1, memory="2g")
        started.append(cluster)
        pipeline = submit(cluster, "pipeline", "--warehouse", str(warehouse), processes=processes)
        if pipeline.returncode != 0:
            return ClusterRuns(cluster, pipeline, None)
        shutil.copytree(warehouse, maintained)  # Delta logs name data files relative to the table
        return ClusterRuns(cluster, pipeline, submit(cluster, "maintain", "--warehouse", str(maintained),
                                                     processes=processes))

    def stop() -> None:
        processes.stop()
        for cluster in started:
            cluster.stop()

    return BackgroundJob("cluster", work, stop)
