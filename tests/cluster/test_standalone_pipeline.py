"""The whole pipeline on a real standalone cluster produces what the local run produces.

Local mode hides what a cluster shows: closures that do not serialise, driver-local paths,
files not shipped with --py-files/--files, the tokenizer model not reaching the executors.
Here the executors are separate JVMs with their own Python workers and working folders.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from corpusforge import tables

pytestmark = [pytest.mark.e2e, pytest.mark.cluster]


def warehouse_outputs(spark, warehouse: Path) -> dict[str, object]:
    """What must not depend on where the pipeline ran: kept documents, tokens, shard checksums."""
    wh = str(warehouse)

    def rows(spec, *columns):
        return sorted(tuple(r) for r in tables.read_table(spark, wh, spec).select(*columns).collect())

    manifests = {}
    for path in sorted(warehouse.glob("shards/*/manifest.json")):
        manifest = json.loads(path.read_text())
        manifests[path.parent.name] = sorted(
            (f["split"], f["shard"], f["format"], f["file"], f["sha256"]) for f in manifest["shards"])
    runs = tables.read_table(spark, wh, tables.STAGE_RUNS)
    return {
        "silver/deduped": rows(tables.SILVER_DEDUPED, "doc_id"),
        "gold/documents": rows(tables.GOLD_DOCUMENTS, "doc_id", F.sha2("content", 256), "category", "valid"),
        "gold/tokens": rows(tables.GOLD_TOKENS, "doc_id", "split", "category", "n_tokens",
                            F.sha2(F.concat_ws(",", F.col("tokens").cast("array<string>")), 256),
                            "tokenizer_sha256"),
        "rejects": rows(tables.REJECTS, "stage", "doc_id", "reason"),
        "stage_runs": sorted((r["run_id"], r["stage"], r["rows_in"], r["rows_out"], r["rows_rejected"])
                             for r in runs.where("stage != 'maintain'").collect()),
        "shards": manifests,
    }


def test_pipeline_on_standalone_cluster_equals_local_run(spark, sample_run, cluster_run, standalone_cluster):
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    assert cluster_run.returncode == 0, cluster_run.stderr[-5000:] + standalone_cluster.logs()
    # It really ran on the cluster: the master saw the application finish, and each worker
    # launched an executor for it (its own JVM, Python workers and working folder). The
    # master numbers applications in order: the pipeline's is the first, maintain's the second.
    apps = sorted(standalone_cluster.completed_apps(2), key=lambda app: app["id"])
    assert len(apps) == 2, apps
    for worker in sorted(w for w in standalone_cluster.folder.glob("worker-*") if w.is_dir()):
        executors = list(worker.glob(f"{apps[0]['id']}/*/stderr"))
        assert executors, f"no executor ran on {worker.name}"

    local = warehouse_outputs(spark, sample_run.warehouse)
    cluster = warehouse_outputs(spark, cluster_run.warehouse)
    assert local["silver/deduped"] and local["gold/tokens"] and local["shards"]
    for key in local:
        assert cluster[key] == local[key], f"{key} differs between the cluster and the local run"


def test_maintain_job_on_the_cluster(spark, cluster_run, cluster_maintain_run):
    # maintain ran on the cluster over a copy of the pipeline's warehouse (in the background,
    # right after the pipeline): the copy holds the same outputs after it as the original.
    assert cluster_run.returncode == 0 and cluster_maintain_run is not None
    assert cluster_maintain_run.returncode == 0, cluster_maintain_run.stderr[-5000:]
    maintained_wh = cluster_maintain_run.warehouse
    report = json.loads(next(maintained_wh.glob("reports/*/maintenance.json")).read_text())
    maintained = {t["table"]: t for t in report["tables"]}
    assert {"bronze/documents", "silver/deduped", "gold/tokens"} <= set(maintained)
    assert all(t["files_after"] <= t["files_before"] for t in maintained.values())
    assert maintained["bronze/documents"]["zorder_by"] == ["doc_id"]
    assert warehouse_outputs(spark, maintained_wh) == warehouse_outputs(spark, cluster_run.warehouse)
