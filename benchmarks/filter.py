"""Filter throughput: the Spark filter stage vs the same per-document logic in a plain loop.

    python benchmarks/filter.py [--copies N]

Input: the shipped sample ingested once, then inflated inside Delta to N copies, each copy
with its own doc_id, origin and a random edit (a trailing comment line; JSON files are left
as they are so package.json stays valid).
Both sides run the same filters (licenses, domain boundaries, secrets, quality,
decontamination, text quality) on the same rows: ours as the filter stage on local[cores]
(Arrow batches, the Spark NLP pass, Delta writes, report), the baseline as a
single-process Python loop over the table's parquet files calling `DocumentFilter.apply_plain`
(the text rules on `plain_words`, the pipeline's plain-Python stand-in). The stage is timed
with and without its text pass (`filter.text_quality.enabled`) in the same run, and so is
the baseline, which gives the Spark NLP pass's share of the stage's cost. Writes
benchmarks/results/filter.json.
"""

from __future__ import annotations

import argparse
import dataclasses
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
                # JSON stays valid (package.json decides origin-wide boundaries): no edit there.
                .withColumn("content", F.when(F.col("language") == "json", F.col("content")).otherwise(
                    F.concat("content", F.lit("\n// edit "),
                             F.sha2(F.concat_ws(":", "doc_id", copy), 256).substr(1, 12), F.lit("\n"))))
                .withColumn("content_sha256", F.sha2("content", 256))
                .withColumn("size_bytes", F.length(F.encode("content", "utf-8")).cast("long"))
                .drop("copy").repartition(cores * 4))
    tables.replace_rows(spark, config.warehouse, tables.BRONZE_DOCUMENTS, inflated)
    files = tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS).inputFiles()
    return config, [f.replace("file:", "", 1) for f in files]


def _parquet_rows(files: list[str], columns: list[str]):
    for path in files:
        # `source` is a partition column: Delta keeps it in the folder name, not the file.
        source = next(p.split("=", 1)[1] for p in path.split("/") if p.startswith("source="))
        for batch in pq.ParquetFile(path).iter_batches(batch_size=500, columns=columns):
            for row in batch.to_pylist():
                row["source"] = source
                yield row


def baseline_loop(files: list[str], doc_filter) -> tuple[float, int, int]:
    """One process: read the same rows from parquet and run the same filter in plain Python
    (first the package.json rows for origin-wide boundaries, as the stage's pre-pass)."""
    from corpusforge.filters.boundaries import MANIFEST_PATH, manifest_boundary

    columns = ["doc_id", "origin", "path", "language", "license", "license_evidence",
               "content", "content_sha256", "size_bytes"]
    start = time.perf_counter()
    by_origin: dict[tuple[str, str], str] = {}
    if doc_filter.boundaries:
        for row in _parquet_rows(files, ["origin", "path", "content"]):
            if row["path"] == MANIFEST_PATH:
                found = manifest_boundary(row["content"], doc_filter.boundaries)
                if found:
                    key = (row["source"], row["origin"])
                    by_origin[key] = min(found, by_origin.get(key, found))
    rows = size = 0
    for row in _parquet_rows(files, columns):
        row["origin_boundary"] = by_origin.get((row["source"], row["origin"]))
        doc_filter.apply_plain(row)
        rows += 1
        size += row["size_bytes"]
    return time.perf_counter() - start, rows, size


def _timed_stage(spark, config) -> tuple[float, object]:
    from corpusforge.filters import stage as filter_stage

    start = time.perf_counter()
    result = filter_stage.run(spark, config)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1200, help="copies of the sample (default 1200 ≈ 210 MB)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each stage variant this many times, alternating; report the fastest "
                             "(other work on the machine only ever slows a run down)")
    args = parser.parse_args()

    from corpusforge.config import load_config
    from corpusforge.filters import stage as filter_stage
    from corpusforge.spark import build_session

    spark = build_session(load_config(None, {"spark.master": f"local[{args.cores}]"}).spark)
    config, files = build_bronze(spark, args.copies, args.cores)
    without_text = config.model_copy(update={"filter": config.filter.model_copy(update={
        "text_quality": config.filter.text_quality.model_copy(update={"enabled": False})})})
    doc_filter = filter_stage.make_filter(config)

    filter_stage.run(spark, config)  # warm-up (JIT, workers, Spark NLP classes), untimed
    off_runs, on_runs = [], []
    for _ in range(args.repeat):
        off_runs.append(_timed_stage(spark, without_text)[0])
        secs, result = _timed_stage(spark, config)
        on_runs.append(secs)
    off_secs, ours_secs = min(off_runs), min(on_runs)
    spark.stop()

    base_off_secs, _, _ = baseline_loop(files, dataclasses.replace(doc_filter, text=None))
    base_secs, rows, size = baseline_loop(files, doc_filter)
    mb = size / 1e6

    def rate(secs: float, cores: int = 1) -> float:
        return round(mb / secs / cores, 3)

    summary = {
        "benchmark": "filter",
        "input": {"copies": args.copies, "rows": rows, "bytes": size},
        "baseline": {"what": "plain Python loop: parquet rows -> DocumentFilter.apply_plain (text rules "
                             "on plain_words), 1 process",
                     "seconds": round(base_secs, 2), "mb_per_s_per_core": rate(base_secs),
                     "seconds_without_text": round(base_off_secs, 2)},
        "ours": {"what": f"filter stage on local[{args.cores}] (Arrow batches, Spark NLP text pass, Delta "
                         "replace of silver and rejects, compliance report, accounting)",
                 "seconds": round(ours_secs, 2), "mb_per_s_per_core": rate(ours_secs, args.cores),
                 "all_seconds": [round(x, 2) for x in on_runs],
                 "rows_in": result.rows_in, "rows_out": result.rows_out,
                 "reasons": result.reasons, "reason_bytes": result.reason_bytes},
        "ours_without_text": {"what": "the same stage with filter.text_quality.enabled=false",
                              "seconds": round(off_secs, 2), "all_seconds": [round(x, 2) for x in off_runs],
                              "mb_per_s_per_core": rate(off_secs, args.cores)},
        # The text pass (Spark NLP pipeline + the Gopher-rule UDF, and extracting comments in
        # the Python pass) as a share of the stage's time, and the text rules' share of the
        # plain loop's time (comment extraction + plain_words + the same rules).
        "spark_nlp_share": round((ours_secs - off_secs) / ours_secs, 3),
        "baseline_text_share": round((base_secs - base_off_secs) / base_secs, 3),
        "peak_rss_mb": {"driver_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                        "children_max": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)},
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
    }
    summary["ratio_ours_to_baseline_per_core"] = round(
        summary["ours"]["mb_per_s_per_core"] / summary["baseline"]["mb_per_s_per_core"], 3)
    summary["ratio_without_text_per_core"] = round(
        summary["ours_without_text"]["mb_per_s_per_core"] / rate(base_off_secs), 3)
    out = ROOT / "benchmarks" / "results" / "filter.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{'':22} {'seconds':>9} {'MB/s/core':>10}")
    for name, secs, cores in (("baseline", base_secs, 1), ("baseline without text", base_off_secs, 1),
                              ("ours", ours_secs, args.cores), ("ours without text", off_secs, args.cores)):
        print(f"{name:22} {secs:9.1f} {rate(secs, cores):10.3f}")
    print(f"input {rows} rows, {mb:.1f} MB; ratio {summary['ratio_ours_to_baseline_per_core']} "
          f"(without text {summary['ratio_without_text_per_core']}); Spark NLP pass share "
          f"{summary['spark_nlp_share']}; wrote {out}")


if __name__ == "__main__":
    main()
