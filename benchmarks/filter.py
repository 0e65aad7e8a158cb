"""Filter throughput: the Spark filter stage vs the same per-document logic in a plain loop.

    python benchmarks/filter.py [--copies N]

Input: the shipped sample ingested once, then inflated inside Delta to N copies, each copy
with its own doc_id, origin and a random edit (so no two copies are byte-identical).
Both sides run `DocumentFilter.apply` (licenses, secrets, quality, decontamination) on the
same rows: ours as the filter stage on local[cores] (Arrow batches, Delta writes, report),
the baseline as a single-process Python loop over the table's parquet files. Writes
benchmarks/results/filter.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path("~/.cache/corpusforge/bench").expanduser()


def build_bronze(spark, copies: int, cores: int):
    """Ingest samples/ once, then inflate bronze/documents to ``copies`` edited copies."""
    from pyspark.sql import functions as F

    from corpusforge import ingest, tables
    from corpusforge.config import load_config

    warehouse = CACHE / "filter-warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    config = load_config(str(ROOT / "conf" / "local.yaml"), {
        "warehouse": str(warehouse), "spark.master": f"local[{cores}]",
        "spark.shuffle_partitions": cores * 4, "run_id": "bench"})
    os.chdir(ROOT)  # the config's inputs and rule files are relative to the repository
    ingest.run(spark, config)
    bronze = tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS)
    copy = F.col("copy").cast("string")
    inflated = (bronze.crossJoin(spark.range(copies).withColumnRenamed("id", "copy"))
                .withColumn("doc_id", F.sha2(F.concat_ws(":", "doc_id", copy), 256))
                .withColumn("origin", F.concat_ws("-copy", "origin", copy))
                .withColumn("content", F.concat("content", F.lit("\n// edit "),
                                                F.sha2(F.concat_ws(":", "doc_id", copy), 256).substr(1, 12),
                                                F.lit("\n")))
                .withColumn("content_sha256", F.sha2("content", 256))
                .withColumn("size_bytes", F.length(F.encode("content", "utf-8")).cast("long"))
                .drop("copy").repartition(cores * 4))
    tables.replace_rows(spark, config.warehouse, tables.BRONZE_DOCUMENTS, inflated)
    files = tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS).inputFiles()
    return config, [f.replace("file:", "", 1) for f in files]


def baseline_loop(files: list[str], doc_filter) -> tuple[float, int, int]:
    """One process: read the same rows from parquet and run the same per-document filter."""
    columns = ["doc_id", "origin", "path", "language", "license", "license_evidence",
               "content", "content_sha256", "size_bytes"]
    start = time.perf_counter()
    rows = size = 0
    for path in files:
        # `source` is a partition column: Delta keeps it in the folder name, not the file.
        source = next(p.split("=", 1)[1] for p in path.split("/") if p.startswith("source="))
        for batch in pq.ParquetFile(path).iter_batches(batch_size=500, columns=columns):
            for row in batch.to_pylist():
                row["source"] = source
                doc_filter.apply(row)
                rows += 1
                size += row["size_bytes"]
    return time.perf_counter() - start, rows, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1200, help="copies of the sample (default 1200 ≈ 210 MB)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    from corpusforge.filters import stage as filter_stage
    from corpusforge.spark import build_session

    from corpusforge.config import load_config
    spark = build_session(load_config(None, {"spark.master": f"local[{args.cores}]"}).spark)
    config, files = build_bronze(spark, args.copies, args.cores)
    doc_filter = filter_stage.make_filter(config)

    filter_stage.run(spark, config)  # warm-up (JIT, workers), untimed
    start = time.perf_counter()
    result = filter_stage.run(spark, config)
    ours_secs = time.perf_counter() - start
    spark.stop()

    base_secs, rows, size = baseline_loop(files, doc_filter)
    mb = size / 1e6
    summary = {
        "benchmark": "filter",
        "input": {"copies": args.copies, "rows": rows, "bytes": size},
        "baseline": {"what": "plain Python loop: parquet rows -> DocumentFilter.apply, 1 process",
                     "seconds": round(base_secs, 2), "mb_per_s_per_core": round(mb / base_secs, 3)},
        "ours": {"what": f"filter stage on local[{args.cores}] (Arrow batches, Delta replace of silver "
                         "and rejects, compliance report, accounting)",
                 "seconds": round(ours_secs, 2), "mb_per_s_per_core": round(mb / ours_secs / args.cores, 3),
                 "rows_in": result.rows_in, "rows_out": result.rows_out},
        "spark_nlp_share": None,  # no Spark NLP step in the filter yet (issue #4 item 4)
        "peak_rss_mb": {"driver_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                        "children_max": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)},
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
    }
    summary["ratio_ours_to_baseline_per_core"] = round(
        summary["ours"]["mb_per_s_per_core"] / summary["baseline"]["mb_per_s_per_core"], 3)
    out = ROOT / "benchmarks" / "results" / "filter.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{'':10} {'seconds':>9} {'MB/s/core':>10}")
    print(f"{'baseline':10} {base_secs:9.1f} {summary['baseline']['mb_per_s_per_core']:10.3f}")
    print(f"{'ours':10} {ours_secs:9.1f} {summary['ours']['mb_per_s_per_core']:10.3f}")
    print(f"input {rows} rows, {mb:.1f} MB; ratio {summary['ratio_ours_to_baseline_per_core']}; wrote {out}")


if __name__ == "__main__":
    main()
