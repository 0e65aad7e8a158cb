"""Write the EMR step definitions (AddJobFlowSteps requests) for corpusforge.

    python deploy/emr/render.py

``steps-pipeline.json``: the whole pipeline as one step, then `maintain`;
``steps-stages.json``: each stage of the pipeline as its own step (a failed stage stops the
chain, a rerun resumes: stages are idempotent), then `maintain`. Each step runs
``./spark-submit.sh <job>`` on the primary node with MASTER=yarn (client mode) from the
checkout that bootstrap.sh put on every node. tests/deploy validates them with botocore.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "lib"))

from corpusforge.config import PipelineSettings  # noqa: E402

CHECKOUT = "/home/hadoop/corpusforge"
CONF = "conf/cluster.yaml"


def step(job: str, on_failure: str = "CANCEL_AND_WAIT") -> dict:
    """One EMR step running a corpusforge job through spark-submit.sh on YARN."""
    command = (f"cd {CHECKOUT} && MASTER=yarn HADOOP_CONF_DIR=/etc/hadoop/conf "
               f"DRIVER_MEMORY=16g ./spark-submit.sh {job} --conf {CONF}")
    return {"Name": f"corpusforge {job}", "ActionOnFailure": on_failure,
            "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["bash", "-c", command]}}


def requests() -> dict[str, dict]:
    """File name -> AddJobFlowSteps request (JobFlowId to be replaced by the cluster's id)."""
    stages = PipelineSettings().stages
    return {
        "steps-pipeline.json": {"JobFlowId": "j-XXXXXXXXXXXXX",
                                "Steps": [step("pipeline"), step("maintain", "CONTINUE")]},
        "steps-stages.json": {"JobFlowId": "j-XXXXXXXXXXXXX",
                              "Steps": [step(s) for s in stages] + [step("maintain", "CONTINUE")]},
    }


def main() -> int:
    for name, request in requests().items():
        path = Path(__file__).resolve().parent / name
        path.write_text(json.dumps(request, indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
