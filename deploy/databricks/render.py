"""Write ``job.json``: the Databricks job (Jobs API 2.1 ``jobs/create`` body) for corpusforge.

    python deploy/databricks/render.py

One task per stage of the pipeline, each depending on the one before (a rerun from a failed
task resumes: stages are idempotent), then `maintain`; all on one job cluster. The code comes
from the Git repository (``git_source``); the Python dependencies of pyproject.toml are
installed as PyPI libraries except pyspark and delta-spark, which the Databricks Runtime
provides, and Spark NLP's jar as a Maven library. tests/deploy validates it with databricks-sdk.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lib"))

from corpusforge.config import SPARK_NLP_PACKAGE, PipelineSettings  # noqa: E402

RUNTIME_PROVIDED = {"pyspark", "delta-spark"}
# The Databricks Runtime with Spark 3.5 / Scala 2.12 and Python 3.11 (LTS); Java 17 by JNAME.
SPARK_VERSION = "15.4.x-scala2.12"
ARGS = ["--conf", "conf/cluster.yaml",
        "--warehouse", "abfss://corpus@myaccount.dfs.core.windows.net/corpusforge/warehouse",
        "--set", "shards.output=/Volumes/main/corpusforge/shards",
        "--set", "spark.jars.mode=none"]


def libraries() -> list[dict]:
    """PyPI libraries from pyproject.toml (less what the runtime has) and Spark NLP's jar."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pypi = [{"pypi": {"package": dep}} for dep in project["dependencies"]
            if dep.split("==")[0] not in RUNTIME_PROVIDED]
    return pypi + [{"maven": {"coordinates": SPARK_NLP_PACKAGE}}]


def job() -> dict:
    """The job settings."""
    jobs = PipelineSettings().stages + ["maintain"]
    tasks = []
    for i, name in enumerate(jobs):
        task = {"task_key": name, "job_cluster_key": "corpusforge",
                "spark_python_task": {"python_file": "deploy/databricks/corpusforge_task.py",
                                      "source": "GIT", "parameters": [name, *ARGS]},
                "libraries": libraries(), "max_retries": 1, "timeout_seconds": 0}
        if i:
            task["depends_on"] = [{"task_key": jobs[i - 1]}]
        tasks.append(task)
    return {
        "name": "corpusforge",
        "git_source": {"git_url": "https://github.com/your-org/corpusforge",
                       "git_provider": "gitHub", "git_branch": "main"},
        "job_clusters": [{"job_cluster_key": "corpusforge", "new_cluster": {
            "spark_version": SPARK_VERSION,
            "node_type_id": "Standard_E16ds_v5",
            "autoscale": {"min_workers": 2, "max_workers": 16},
            "data_security_mode": "SINGLE_USER",
            "spark_env_vars": {"JNAME": "zulu17-ca-amd64"},
            "spark_conf": {"spark.sql.adaptive.enabled": "true",
                           "spark.executor.memoryOverhead": "6g",
                           "spark.databricks.delta.optimizeWrite.enabled": "true"},
        }}],
        "tasks": tasks,
        "max_concurrent_runs": 1,
    }


def main() -> int:
    path = Path(__file__).resolve().parent / "job.json"
    path.write_text(json.dumps(job(), indent=2) + "\n", encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
