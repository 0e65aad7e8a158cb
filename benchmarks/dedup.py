"""Dedup benchmark: MinHash signature throughput vs datasketch, and the whole stage at 1x/4x/16x.

    python benchmarks/dedup.py [--copies N] [--scales 1,4,16] [--sig-copies N]

1. Signatures: the sample's code files, inflated with random token edits, hashed by
   ``minhash_signatures`` (text in, 256 permutations, 5-gram shingles) and by datasketch on the
   same documents (shingles from ``shingles.shingles``, then ``MinHash.update_batch``), in
   this process, one core each. Two datasketch baselines: ``MinHash(num_perm, seed)`` per
   document as documented, and the faster ``MinHash(..., permutations=shared)``. The outputs
   are checked bit-identical.
2. The stage: a synthetic ``silver/filtered`` built inside Spark from the sample (families of
   four: a line-shuffled version of a file, an exact copy, a copy with a comment added, and a
   copy with one line inserted) at each scale; the dedup stage runs on local[cores], timed
   after a warm-up. Peak memory of the driver's Python process and of the driver JVM (which in
   local mode also hosts the executors) is read after each scale.

Writes benchmarks/results/dedup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path("~/.cache/corpusforge/bench").expanduser()
CODE = (".ts", ".tsx", ".js", ".jsx")


def sample_files() -> list[tuple[str, str]]:
    """(path, text) of the sample's code files (github and framework, no build output)."""
    out = []
    for folder in ("samples/github", "samples/framework"):
        for p in sorted((ROOT / folder).rglob("*")):
            parts = set(p.relative_to(ROOT).parts)
            if p.suffix in CODE and p.is_file() and not parts & {"node_modules", "dist"}:
                out.append((str(p.relative_to(ROOT)), p.read_text(encoding="utf-8", errors="replace")))
    return out


def edited(text: str, rng: random.Random, rate: float) -> str:
    from corpusforge.dedup.shingles import code_tokens

    return " ".join(t if rng.random() > rate else f"v{rng.randrange(1000)}" for t in code_tokens(text))


def signature_benchmark(copies: int, num_perm: int = 256, seed: int = 1) -> dict:
    from datasketch import MinHash

    from corpusforge.dedup.minhash import minhash_signatures, permutations
    from corpusforge.dedup.shingles import shingles

    rng = random.Random(0)
    texts = [edited(t, rng, 0.05) for _ in range(copies) for _, t in sample_files()]
    size = sum(len(t.encode()) for t in texts)
    minhash_signatures(texts[:4], num_perm=num_perm, seed=seed)  # load the compiled kernels

    start = time.perf_counter()
    ours = minhash_signatures(texts, num_perm=num_perm, seed=seed)
    ours_s = time.perf_counter() - start

    shared = permutations(num_perm, seed)
    start = time.perf_counter()
    fast = []
    for t in texts:
        m = MinHash(num_perm=num_perm, seed=seed, permutations=shared)
        m.update_batch(shingles(t))
        fast.append(m.hashvalues)
    fast_s = time.perf_counter() - start

    subset = texts[: max(1, len(texts) // 8)]  # the documented usage is slow: time a share
    start = time.perf_counter()
    for t in subset:
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch(shingles(t))
    documented_s = (time.perf_counter() - start) * len(texts) / len(subset)

    identical = bool((np.array(fast) == ours.astype(np.uint64)).all())
    mb = size / 1e6
    return {"documents": len(texts), "bytes": size, "num_perm": num_perm, "ngram": 5,
            "bit_identical": identical,
            "ours": {"seconds": round(ours_s, 3), "mb_per_s_per_core": round(mb / ours_s, 3)},
            "datasketch_shared_permutations": {"seconds": round(fast_s, 3),
                                               "mb_per_s_per_core": round(mb / fast_s, 3)},
            "datasketch_documented": {"seconds_extrapolated": round(documented_s, 3),
                                      "mb_per_s_per_core": round(mb / documented_s, 3),
                                      "timed_documents": len(subset)},
            "ratio_vs_shared_permutations": round(fast_s / ours_s, 2),
            "ratio_vs_documented": round(documented_s / ours_s, 2)}


def build_silver(spark, config, families: int) -> tuple[int, int]:
    """Synthetic silver/filtered: ``families`` families of four per sample file."""
    from pyspark.sql import functions as F

    from corpusforge import tables

    base = spark.createDataFrame(sample_files(), "path string, text string")
    fam = F.col("family").cast("string")
    # A family's base: the file's lines in an order of their own (deterministic).
    shuffled = F.expr("array_join(transform(sort_array(transform(split(text, '\\n'), "
                      "l -> named_struct('h', xxhash64(l, family), 'l', l))), s -> s.l), '\\n')")
    families_df = (base.crossJoin(spark.range(families).withColumnRenamed("id", "family"))
                   .withColumn("text", shuffled))
    member = F.col("member")
    content = (F.when(member == 0, F.col("text"))
               .when(member == 1, F.col("text"))
               .when(member == 2, F.concat("text", F.lit("\n// reviewed\n")))
               .otherwise(F.concat(F.expr("substring(text, 1, floor(length(text) / 2))"),
                                   F.lit("\nconst inserted_"), fam, F.lit(" = "), fam, F.lit(";\n"),
                                   F.expr("substring(text, floor(length(text) / 2) + 1)"))))
    origin = F.concat(F.lit("synthetic-"), fam, F.lit("-"), F.col("member").cast("string"), F.lit("@1"))
    docs = (families_df.crossJoin(spark.range(4).withColumnRenamed("id", "member"))
            .withColumn("content", content).withColumn("origin", origin)
            .withColumn("source", F.lit("github"))
            .withColumn("doc_id", F.sha2(F.concat_ws("\u0000", "source", "origin", "path"), 256))
            .withColumn("language", F.when(F.col("path").endswith("x"), "tsx").otherwise("typescript"))
            .withColumn("license", F.lit("MIT")).withColumn("license_evidence", F.lit("package.json:license"))
            .withColumn("content_sha256", F.sha2("content", 256))
            .withColumn("size_bytes", F.length(F.encode("content", "utf-8")).cast("long"))
            .withColumn("run_id", F.lit("bench")).withColumn("bucket", tables.bucket_of(F.col("doc_id"), 4))
            .withColumn("alnum_fraction", F.lit(0.7)))
    docs = docs.select(*[F.col(f.name) if f.name in docs.columns else F.lit(None).cast(f.dataType).alias(f.name)
                         for f in tables.SILVER_FILTERED.schema.fields]).repartition(8)
    shutil.rmtree(config.warehouse, ignore_errors=True)
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, docs)
    stats = tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED).agg(
        F.count("*").alias("n"), F.sum("size_bytes").alias("b")).first()
    return stats["n"], stats["b"]


def jvm_peak_mb(spark) -> float | None:
    """Peak resident memory of the driver JVM (VmHWM), when /proc is readable."""
    try:
        pid = spark.sparkContext._gateway.proc.pid
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (AttributeError, OSError):
        return None
    return None


def stage_benchmark(scales: list[int], families: int, cores: int) -> list[dict]:
    from corpusforge.config import load_config
    from corpusforge.dedup import stage as dedup_stage
    from corpusforge.spark import build_session

    config = load_config(None, {"warehouse": str(CACHE / "dedup-warehouse"), "spark.master": f"local[{cores}]",
                                "spark.shuffle_partitions": cores * 4, "run_id": "bench"})
    spark = build_session(config.spark)
    results = []
    build_silver(spark, config, 2)
    dedup_stage.run(spark, config)  # warm-up: JIT, Python workers, compiled kernels
    for scale in scales:
        rows, size = build_silver(spark, config, families * scale)
        start = time.perf_counter()
        result = dedup_stage.run(spark, config)
        seconds = time.perf_counter() - start
        results.append({"scale": scale, "rows": rows, "bytes": size, "seconds": round(seconds, 2),
                        "rows_out": result.rows_out, "reasons": result.reasons,
                        "mb_per_s_per_core": round(size / 1e6 / seconds / cores, 4),
                        "driver_python_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                        "driver_jvm_peak_rss_mb": jvm_peak_mb(spark)})
        print(f"x{scale}: {rows} rows, {size / 1e6:.1f} MB, {seconds:.1f} s, {result.reasons}", flush=True)
    spark.stop()
    return results


def verify_benchmark(scale: int, families: int, cores: int, modes: list[str]) -> dict:
    """The dedup stage on one synthetic silver under each ``dedup.verify`` mode, same run."""
    from corpusforge.config import load_config
    from corpusforge.dedup import stage as dedup_stage
    from corpusforge.spark import build_session

    def config_for(mode: str):
        return load_config(None, {"warehouse": str(CACHE / "dedup-warehouse"), "spark.master": f"local[{cores}]",
                                  "spark.shuffle_partitions": cores * 4, "run_id": f"bench-{mode}",
                                  "dedup.verify": mode})
    spark = build_session(config_for(modes[0]).spark)
    build_silver(spark, config_for(modes[0]), 2)
    dedup_stage.run(spark, config_for(modes[0]))  # warm-up
    rows, size = build_silver(spark, config_for(modes[0]), families * scale)
    runs = []
    for mode in modes:
        config = config_for(mode)
        dedup_stage.run(spark, config)  # builds dedup/signatures, so each timed run reuses it alike
        start = time.perf_counter()
        result = dedup_stage.run(spark, config)
        seconds = time.perf_counter() - start
        runs.append({"verify": mode, "seconds": round(seconds, 2), "rows_out": result.rows_out,
                     "reasons": result.reasons})
        print(f"verify={mode}: {seconds:.1f} s, {result.reasons}", flush=True)
    spark.stop()
    return {"scale": scale, "rows": rows, "bytes": size, "runs": runs,
            "what": "the second of two runs per mode (signatures already in dedup/signatures)",
            "load_average_1m": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sig-copies", type=int, default=20, help="sample copies for the signature test")
    parser.add_argument("--families", type=int, default=4, help="families per sample file at 1x")
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--verify-modes", metavar="MODE[,MODE]",
                        help="only compare dedup.verify modes (e.g. estimated,hybrid,exact) at --scales' "
                             "first scale; the result is added to the existing dedup.json as verify_modes")
    args = parser.parse_args()
    os.chdir(ROOT)
    out = ROOT / "benchmarks" / "results" / "dedup.json"
    if args.verify_modes:
        compared = verify_benchmark(int(args.scales.split(",")[0]), args.families, args.cores,
                                    args.verify_modes.split(","))
        previous = json.loads(out.read_text()) if out.exists() else {"benchmark": "dedup"}
        out.write_text(json.dumps({**previous, "verify_modes": compared}, indent=2) + "\n")
        print(f"wrote {out}")
        return

    signatures = signature_benchmark(args.sig_copies)
    print(f"signatures: ours {signatures['ours']['mb_per_s_per_core']} MB/s/core, "
          f"{signatures['ratio_vs_shared_permutations']}x datasketch (shared permutations), "
          f"{signatures['ratio_vs_documented']}x datasketch (documented), bit-identical {signatures['bit_identical']}",
          flush=True)
    scales = [int(s) for s in args.scales.split(",")]
    stage = stage_benchmark(scales, args.families, args.cores)
    first, last = stage[0], stage[-1]
    summary = {
        "benchmark": "dedup",
        "signatures": signatures,
        "stage": {"what": f"dedup stage on local[{args.cores}], synthetic silver (families of 4 per sample "
                          "file: line-shuffled base, exact copy, comment-only copy, one inserted line)",
                  "runs": stage,
                  "time_ratio_last_to_first": round(last["seconds"] / first["seconds"], 2),
                  "data_ratio_last_to_first": round(last["bytes"] / first["bytes"], 2),
                  "marginal_seconds_per_mb": round((last["seconds"] - first["seconds"])
                                                   / ((last["bytes"] - first["bytes"]) / 1e6), 3)
                  if last["bytes"] > first["bytes"] else None},
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1m": round(os.getloadavg()[0], 2),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
    }
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"stage: x{first['scale']} {first['seconds']} s -> x{last['scale']} {last['seconds']} s "
          f"({summary['stage']['time_ratio_last_to_first']}x time for {summary['stage']['data_ratio_last_to_first']}x data); "
          f"wrote {out}")


if __name__ == "__main__":
    main()
