"""Tokenize and shard throughput: the Spark jobs vs plain single-process sentencepiece.

    python benchmarks/tokenization.py [--copies 10 40]

Input: the sample's TypeScript, Markdown and framework files as a silver table, inflated to
N copies (each with its own doc_id, origin and an edit). The tokenizer is trained once on
the 1x table (not timed). Timed at each size, in the same run:
- the encode stage (local[cores]: Arrow batches, SparkFiles model, Delta write) against
  a plain loop encoding the same texts with one SentencePieceProcessor (batch encode);
- the shard job writing all three formats (MB/s of files written);
- peak resident memory of the driver JVM and the driver Python process, to show it stays
  flat as data grows. Writes benchmarks/results/tokenization.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = Path("~/.cache/corpusforge/bench").expanduser()


def _jvm_peak_kib(spark) -> int:
    proc = spark.sparkContext._gateway.proc  # the driver JVM launched by pyspark
    for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def build_silver(spark, config, copies: int, cores: int) -> None:
    from pyspark.sql import functions as F

    from corpusforge import tables
    from tests.shards.test_tokenizer_and_shard_jobs import _silver_rows

    base = spark.createDataFrame(_silver_rows(), schema=tables.BRONZE_DOCUMENTS.schema)
    for name, dtype in tables.QUALITY_FIELDS:
        base = base.withColumn(name, F.lit(None).cast(dtype))
    copy = F.col("copy").cast("string")
    inflated = (base.crossJoin(spark.range(copies).withColumnRenamed("id", "copy"))
                .withColumn("doc_id", F.sha2(F.concat_ws(":", "doc_id", copy), 256))
                .withColumn("origin", F.concat_ws("-copy", "origin", copy))
                .withColumn("content", F.concat("content", F.lit("\n// edit "), copy, F.lit("\n")))
                .drop("copy").repartition(cores * 4))
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, inflated)


def baseline(files: list[str], model: bytes) -> tuple[float, int, int]:
    """Plain loop: read the texts, encode with one processor on one thread, same batch size
    as Spark. (sentencepiece's batch encode starts a thread per core unless told otherwise,
    which would make a "per core" baseline use every core.)"""
    import sentencepiece as spm

    start = time.perf_counter()
    processor = spm.SentencePieceProcessor(model_proto=model)
    n_bytes = n_tokens = 0
    for f in files:
        for batch in pq.ParquetFile(f).iter_batches(batch_size=500, columns=["content"]):
            texts = batch.column(0).to_pylist()
            n_bytes += sum(len(t.encode("utf-8")) for t in texts)
            n_tokens += sum(len(ids) for ids in processor.encode(texts, num_threads=1))
    return time.perf_counter() - start, n_bytes, n_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[10, 40])
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    os.chdir(ROOT)
    from corpusforge import tables
    from corpusforge.config import load_config
    from corpusforge.shards import stage as shard_stage
    from corpusforge.spark import build_session
    from corpusforge.tokenizer import stage as tokenizer_stage
    from corpusforge.tokenizer import encode as encode_stage
    from corpusforge.tokenizer.model_files import load_model

    warehouse = CACHE / "tokenize-warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    config = load_config(str(ROOT / "conf/local.yaml"), {
        "warehouse": str(warehouse), "spark.master": f"local[{args.cores}]",
        "spark.shuffle_partitions": args.cores * 4, "run_id": "bench", "tokenizer.vocab_size": 8000,
        "shards.shard_tokens": 2_000_000, "shards.scale": 1.0, "budgets.max_public_epochs": 1.0})
    spark = build_session(config.spark)
    build_silver(spark, config, 1, args.cores)
    tokenizer_stage.run(spark, config)
    model, _ = load_model(spark, config)
    results = []
    for copies in args.copies:
        build_silver(spark, config, copies, args.cores)
        files = [f.replace("file:", "", 1) for f in
                 tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED).inputFiles()]
        encode_stage.run(spark, config)  # warm-up: JIT, Python workers, model shipped
        start = time.perf_counter()
        encode_stage.run(spark, config)
        spark_s = time.perf_counter() - start
        base_s, n_bytes, n_tokens = baseline(files, model)
        # The whole corpus into shards: the mix is capped by what exists, every format written.
        start = time.perf_counter()
        shard_stage.run(spark, config)
        shard_s = time.perf_counter() - start
        folder = Path(shard_stage.output_folder(config))
        shard_bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        row = {
            "copies": copies, "documents": tables.read_table(spark, config.warehouse, tables.GOLD_TOKENS).count(),
            "mb": n_bytes / 1e6, "tokens": n_tokens,
            "spark_tokenize_s": spark_s, "baseline_encode_s": base_s,
            "spark_mb_s_per_core": n_bytes / 1e6 / spark_s / args.cores,
            "baseline_mb_s_per_core": n_bytes / 1e6 / base_s,
            "shard_s": shard_s, "shard_files_mb": shard_bytes / 1e6,
            "shard_mb_s": shard_bytes / 1e6 / shard_s,
            "driver_jvm_peak_mb": _jvm_peak_kib(spark) / 1024,
            "driver_python_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        row["ratio_per_core"] = row["spark_mb_s_per_core"] / row["baseline_mb_s_per_core"]
        results.append(row)
        print(json.dumps(row, indent=1), flush=True)
    out = {"machine": {"cores": args.cores, "python": platform.python_version()}, "results": results}
    if len(results) >= 2:
        # The fixed cost per run (Delta commits, counts, model shipping) cancels out here.
        lo, hi = results[0], results[-1]
        mb = hi["mb"] - lo["mb"]
        out["marginal"] = {
            "spark_mb_s_per_core": mb / (hi["spark_tokenize_s"] - lo["spark_tokenize_s"]) / args.cores,
            "baseline_mb_s_per_core": mb / (hi["baseline_encode_s"] - lo["baseline_encode_s"]),
            "shard_mb_s": (hi["shard_files_mb"] - lo["shard_files_mb"]) / (hi["shard_s"] - lo["shard_s"]),
        }
        m = out["marginal"]
        m["ratio_per_core"] = m["spark_mb_s_per_core"] / m["baseline_mb_s_per_core"]
        print(json.dumps(m, indent=1))
    target = ROOT / "benchmarks" / "results" / "tokenization.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    spark.stop()


if __name__ == "__main__":
    main()
