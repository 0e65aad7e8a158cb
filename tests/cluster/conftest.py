"""A standalone Spark cluster on 127.0.0.1 for the tests in this folder, one pipeline run on
it and one maintain run on a copy of that run's warehouse.

They start in the background when collection ends (``tests/conftest.py``), and this folder's
tests run last.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import background
from tests.cluster.standalone import StandaloneCluster
from tests.cluster.submit import start_cluster_run
from tests.conftest import SampleRun


def _cluster_job(tmp_path_factory) -> background.BackgroundJob:
    job = background.JOBS.get("cluster")
    if job is None:
        job = background.JOBS["cluster"] = start_cluster_run(tmp_path_factory)
    return job


@pytest.fixture(scope="session")
def standalone_cluster(tmp_path_factory) -> Iterator[StandaloneCluster]:
    """A master and two one-core workers, stopped at the end of the session (also on failure)."""
    job = _cluster_job(tmp_path_factory)
    try:
        yield job.result().cluster
    finally:
        job.stop()


@pytest.fixture(scope="session")
def cluster_run(standalone_cluster, tmp_path_factory) -> SampleRun:
    """The README's first command, submitted to the standalone cluster into its own warehouse."""
    return _cluster_job(tmp_path_factory).result().pipeline


@pytest.fixture(scope="session")
def cluster_maintain_run(standalone_cluster, tmp_path_factory) -> SampleRun | None:
    """``./spark-submit.sh maintain`` on the cluster, over a copy of ``cluster_run``'s warehouse
    made when the pipeline ended (None when the pipeline failed)."""
    return _cluster_job(tmp_path_factory).result().maintain
