"""Dedup stage: ``silver/filtered`` → ``silver/deduped`` (+ ``dedup/clusters``, ``rejects``).

1. **Signatures, incrementally.** ``dedup/signatures`` (the band index) holds, per silver
   document, its normalised-content hash, MinHash signature and LSH band hashes. Only
   documents it lacks (new, changed content, or other MinHash parameters) are hashed, in
   Arrow batches by compiled code (``minhash``); documents that left silver leave it.
2. **Edges.** Documents with the same normalised hash (exact copies, or copies differing
   only in layout and comments) are linked to the group's smallest doc_id; documents sharing
   a band hash are linked to the bucket's smallest doc_id, a star, so a bucket of k members
   costs k - 1 edges however large it is. LSH links are verified (``dedup.verify``) against
   that first member: estimated Jaccard from the signatures, exact Jaccard of the shingles, or
   (the default) the estimate unless it is within ``verify_margin`` of the threshold.
3. **Clusters.** Connected components of the edges (``components``, DataFrame operations).
4. **Keep one per cluster**: the framework source first, then a permissive license, then
   the quality score, then the smallest doc_id. The others become rejects,
   ``exact_duplicate`` when their normalised hash equals the kept copy's, else
   ``near_duplicate``; the detail is the kept doc_id.

Outputs are recomputed from the whole index on every run (replacing ``silver/deduped``,
``dedup/clusters`` and the dedup partition of ``rejects``), so a run over old + new
documents gives exactly what one run over all of them gives. Nothing proportional to the
data reaches the driver: only counts and the per-size histogram of clusters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge import tables
from corpusforge.config import Config, DedupSettings
from corpusforge.dedup.components import connected_components, cut_lineage
from corpusforge.dedup.lsh import resolve_bands
from corpusforge.dedup.minhash import band_hashes, signatures_from_arrow
from corpusforge.dedup.normalize import normalized_sha256
from corpusforge.dedup.shingles import jaccard, shingles
from corpusforge.errors import ConfigError, InputError
from corpusforge.stages import StageResult, finish_stage
from corpusforge.python_worker import settle

STAGE = "dedup"
EXACT, NEAR = "exact_duplicate", "near_duplicate"

_PAIR_SCHEMA = T.StructType([T.StructField("doc_id", T.StringType()), T.StructField("other", T.StringType()),
                             T.StructField("similarity", T.DoubleType())])


@dataclass(frozen=True)
class MinHashParams:
    """What decides a signature and its bands (stored with each index row)."""

    num_perm: int
    seed: int
    ngram: int
    bands: int
    rows: int

    @property
    def tag(self) -> str:
        """The index rows computed with these parameters carry this tag."""
        return f"perm={self.num_perm};seed={self.seed};ngram={self.ngram};bands={self.bands};rows={self.rows}"


def minhash_params(settings: DedupSettings) -> MinHashParams:
    """The MinHash/LSH parameters the settings describe (bands chosen from the threshold if unset)."""
    try:
        bands, rows = resolve_bands(settings.threshold, settings.num_perm, settings.bands, settings.rows,
                                    (settings.false_positive_weight, settings.false_negative_weight))
    except ValueError as exc:
        raise ConfigError(str(exc), stage=STAGE, hint="fix dedup.bands / dedup.rows") from None
    return MinHashParams(settings.num_perm, settings.seed, settings.ngram, bands, rows)


# ---- per-batch work (runs in the executors) ----------------------------------------------

def _binary_column(matrix: np.ndarray) -> pa.Array:
    """Rows of a C-contiguous matrix as one Arrow binary value each, without per-row copies."""
    n, width = matrix.shape[0], matrix.shape[1] * matrix.itemsize
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer(offsets),
                                                  pa.py_buffer(np.ascontiguousarray(matrix).tobytes())])


def _matrix(column: pa.Array, num_perm: int) -> np.ndarray:
    """A binary column of signatures back into a uint32 matrix."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    _, offsets_buf, data_buf = column.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[column.offset:column.offset + len(column) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]:offsets[-1]] if len(column) else np.zeros(0, np.uint8)
    return data.view(np.uint32).reshape(len(column), num_perm)


def signature_batches(params: MinHashParams):
    """mapInArrow function: (doc_id, content_sha256, language, content) → index rows."""
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        for batch in batches:
            sigs, counts = signatures_from_arrow(batch.column("content"), num_perm=params.num_perm,
                                                 seed=params.seed, ngram=params.ngram)
            bands = band_hashes(sigs, params.bands, params.rows)
            # A document without shingles has no bands: its all-max signature would put every
            # such document in one bucket.
            lengths = np.where(counts > 0, params.bands, 0)
            band_offsets = np.zeros(len(counts) + 1, dtype=np.int32)
            np.cumsum(lengths, out=band_offsets[1:])
            band_values = bands[counts > 0].reshape(-1)
            normalized = [normalized_sha256(text or "", lang)
                          for text, lang in zip(batch.column("content").to_pylist(),
                                                batch.column("language").to_pylist())]
            yield pa.RecordBatch.from_arrays([
                batch.column("doc_id"), batch.column("content_sha256"), pa.array(normalized, pa.string()),
                pa.array(counts, pa.int64()), _binary_column(sigs),
                pa.ListArray.from_arrays(pa.array(band_offsets), pa.array(band_values, pa.int64())),
                pa.array([params.tag] * len(counts), pa.string())],
                names=tables.DEDUP_SIGNATURES.schema.names)
    return run


def estimated_similarity_batches(num_perm: int):
    """mapInArrow function: (doc_id, other, sig, other_sig) → (doc_id, other, similarity)."""
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        for batch in batches:
            left, right = _matrix(batch.column("sig"), num_perm), _matrix(batch.column("other_sig"), num_perm)
            similarity = (left == right).mean(axis=1) if len(left) else np.zeros(0)
            yield pa.RecordBatch.from_arrays([batch.column("doc_id"), batch.column("other"),
                                              pa.array(similarity, pa.float64())], names=_PAIR_SCHEMA.names)
    return run


def exact_similarity_batches(ngram: int):
    """mapInArrow function: (doc_id, other, text, other_text) → exact Jaccard of the shingles."""
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        for batch in batches:
            similarity = [jaccard(shingles(a or "", ngram), shingles(b or "", ngram))
                          for a, b in zip(batch.column("text").to_pylist(), batch.column("other_text").to_pylist())]
            yield pa.RecordBatch.from_arrays([batch.column("doc_id"), batch.column("other"),
                                              pa.array(similarity, pa.float64())], names=_PAIR_SCHEMA.names)
    return run


# ---- the stage ----------------------------------------------------------------------------

def update_index(spark: SparkSession, warehouse: str, silver: DataFrame, params: MinHashParams) -> int:
    """Bring ``dedup/signatures`` in line with ``silver``: hash the documents it lacks, drop the
    ones silver no longer has. Returns how many signatures were computed."""
    spec = tables.DEDUP_SIGNATURES
    tables.ensure_table(spark, warehouse, spec)
    index = tables.read_table(spark, warehouse, spec).where(F.col("params") == params.tag)
    todo = (silver.select("doc_id", "content_sha256", "language", "content")
            .join(index.select("doc_id", "content_sha256"), ["doc_id", "content_sha256"], "left_anti"))
    fresh = (todo.mapInArrow(signature_batches(params), spec.schema)
             .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        computed = fresh.count()
        gone = (tables.read_table(spark, warehouse, spec).select("doc_id")
                .join(silver.select("doc_id"), "doc_id", "left_anti"))
        if computed or gone.limit(1).count():  # a rerun on unchanged silver writes nothing
            tables.merge_rows(spark, warehouse, spec, fresh, delete_keys=gone)
    finally:
        fresh.unpersist()
    return computed


def candidate_edges(index: DataFrame) -> DataFrame:
    """(doc_id, other): each document linked to the smallest doc_id of every LSH bucket it
    shares with another document (a star per bucket: linear in the bucket's size)."""
    bucket = Window.partitionBy("band", "band_hash")
    return (index.where(F.col("n_shingles") > 0)
            .select("doc_id", F.posexplode("bands").alias("band", "band_hash"))
            .withColumn("other", F.min("doc_id").over(bucket))
            .where(F.col("doc_id") != F.col("other"))
            .select("doc_id", "other").distinct())


def exact_edges(index: DataFrame) -> DataFrame:
    """(doc_id, other): documents with the same normalised hash linked to the group's smallest."""
    return (index.withColumn("other", F.min("doc_id").over(Window.partitionBy("normalized_sha256")))
            .where(F.col("doc_id") != F.col("other")).select("doc_id", "other"))


def with_similarity(pairs: DataFrame, index: DataFrame, silver: DataFrame, settings: DedupSettings,
                    mode: str) -> DataFrame:
    """(doc_id, other, similarity) for pairs: ``estimated`` from the signatures, ``exact`` from
    the shingles of both documents' content."""
    if mode == "exact":
        text = silver.select("doc_id", F.col("content").alias("text"))
        joined = (pairs.join(text, "doc_id")
                  .join(text.select(F.col("doc_id").alias("other"), F.col("text").alias("other_text")), "other"))
        return joined.select("doc_id", "other", "text", "other_text").mapInArrow(
            exact_similarity_batches(settings.ngram), _PAIR_SCHEMA)
    sig = index.select("doc_id", F.col("signature").alias("sig"))
    joined = (pairs.join(sig, "doc_id")
              .join(sig.select(F.col("doc_id").alias("other"), F.col("sig").alias("other_sig")), "other"))
    return joined.select("doc_id", "other", "sig", "other_sig").mapInArrow(
        estimated_similarity_batches(settings.num_perm), _PAIR_SCHEMA)


def hybrid_verdict(estimate: float, threshold: float, margin: float) -> bool | None:
    """``hybrid`` verification of one pair by its estimated Jaccard: True (a near duplicate),
    False (not one), or None (too close to the threshold to tell: compare the shingles)."""
    if estimate >= threshold + margin:
        return True
    if estimate <= threshold - margin:
        return False
    return None


def verified_links(links: DataFrame, index: DataFrame, silver: DataFrame, settings: DedupSettings) -> DataFrame:
    """The candidate pairs (doc_id, other) that pass ``settings.verify``."""
    threshold = settings.threshold
    if settings.verify == "none":
        return links
    if settings.verify in ("estimated", "exact"):
        return (with_similarity(links, index, silver, settings, settings.verify)
                .where(F.col("similarity") >= threshold).select("doc_id", "other"))
    # hybrid, as hybrid_verdict: only estimates near the threshold re-read the content. The
    # sure and the unsure pairs both come from the estimates: computed once, not per branch.
    estimated = cut_lineage(with_similarity(links, index, silver, settings, "estimated"))
    margin = settings.verify_margin
    sure = estimated.where(F.col("similarity") >= threshold + margin).select("doc_id", "other")
    unsure = estimated.where((F.col("similarity") < threshold + margin)
                             & (F.col("similarity") > threshold - margin)).select("doc_id", "other")
    checked = (with_similarity(unsure, index, silver, settings, "exact")
               .where(F.col("similarity") >= threshold).select("doc_id", "other"))
    return sure.unionByName(checked)


def quality_score(df: DataFrame) -> Column:
    """Higher is better: alphanumeric share minus data-like and non-ASCII shares (0 when unscored)."""
    def col(name: str) -> Column:
        return F.coalesce(F.col(name), F.lit(0.0)) if name in df.columns else F.lit(0.0)
    return col("alnum_fraction") - col("data_fraction") - col("non_ascii_fraction")


def keep_order(df: DataFrame, permissive: list[str]) -> list[Column]:
    """The keep-one priority: framework source, permissive license, quality, doc_id."""
    return [F.when(F.col("source") == "framework", 0).otherwise(1),
            F.when(F.col("license").isin(*permissive), 0).when(F.col("license").isNotNull(), 1).otherwise(2),
            quality_score(df).desc(), F.col("doc_id")]


def cluster_members(silver: DataFrame, index: DataFrame, config: Config) -> DataFrame:
    """One row per document in a cluster of two or more: cluster_id (kept doc_id), whether it
    is the kept one, its reason to go, and its similarity to the kept copy."""
    settings = config.dedup
    links = verified_links(candidate_edges(index), index, silver, settings)
    edges = exact_edges(index).unionByName(links)
    components = connected_components(edges, "doc_id", "other")
    members = components.join(
        silver.select("doc_id", "source", "origin", "path", "license", "size_bytes",
                      *[c for c in ("alnum_fraction", "data_fraction", "non_ascii_fraction")
                        if c in silver.columns]),
        F.col("node") == F.col("doc_id")).drop("node")
    priority = keep_order(members, settings.permissive_licenses)
    ranked = members.withColumn("rank", F.row_number().over(Window.partitionBy("component").orderBy(*priority)))
    kept = ranked.where(F.col("rank") == 1).select("component", F.col("doc_id").alias("cluster_id"))
    norm = index.select("doc_id", "normalized_sha256")
    members = (ranked.join(kept, "component")
               .withColumn("cluster_size", F.count("*").over(Window.partitionBy("component")))
               .join(norm, "doc_id")
               .join(norm.select(F.col("doc_id").alias("cluster_id"),
                                 F.col("normalized_sha256").alias("kept_norm")), "cluster_id")
               .withColumn("is_representative", F.col("rank") == 1)
               .withColumn("reason", F.when(F.col("is_representative"), F.lit(None).cast("string"))
                           .when(F.col("normalized_sha256") == F.col("kept_norm"), F.lit(EXACT))
                           .otherwise(F.lit(NEAR))))
    similarity = with_similarity(members.select("doc_id", F.col("cluster_id").alias("other")),
                                 index, silver, settings, "estimated")
    return (members.join(similarity.select("doc_id", "similarity"), "doc_id")
            .withColumn("similarity", F.when(F.col("reason") == NEAR, F.col("similarity")).otherwise(F.lit(1.0)))
            .select("doc_id", "cluster_id", "is_representative", "similarity", "reason", "cluster_size",
                    "source", "origin", "path", "size_bytes"))


def run(spark: SparkSession, config: Config) -> StageResult:
    """Deduplicate silver/filtered into silver/deduped; record clusters and rejects."""
    warehouse, run_id = config.warehouse, config.resolved_run_id()
    if not tables.table_exists(spark, warehouse, tables.SILVER_FILTERED):
        raise InputError("no input: silver/filtered does not exist", path=tables.SILVER_FILTERED.path(warehouse),
                         stage=STAGE, hint="run ./spark-submit.sh filter first")
    params = minhash_params(config.dedup)
    silver = tables.read_table(spark, warehouse, tables.SILVER_FILTERED)
    computed = update_index(spark, warehouse, silver, params)
    index = tables.read_table(spark, warehouse, tables.DEDUP_SIGNATURES)

    members = (cluster_members(silver, index, config).withColumn("run_id", F.lit(run_id))
               .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        decisions = members.where(~F.col("is_representative")).select(
            "doc_id", "reason", F.col("cluster_id").alias("detail"))
        records = silver.join(decisions, "doc_id", "left")
        rows_in = silver.count()
        kept, rejects = tables.split_rejects(records, stage=STAGE, run_id=run_id)
        tables.replace_rows(spark, warehouse, tables.SILVER_DEDUPED, kept)
        tables.ensure_table(spark, warehouse, tables.REJECTS)
        tables.replace_rows(spark, warehouse, tables.REJECTS, rejects, where=f"stage = {tables.sql_string(STAGE)}")
        tables.replace_rows(spark, warehouse, tables.DEDUP_CLUSTERS, members)
    finally:
        members.unpersist()
    stats = dedup_stats(spark, warehouse, computed)
    rows_out = tables.read_table(spark, warehouse, tables.SILVER_DEDUPED).count()
    rows_rejected = stats["rejected"]
    versions = {spec.name: tables.table_version(spark, warehouse, spec)
                for spec in (tables.SILVER_DEDUPED, tables.REJECTS, tables.DEDUP_CLUSTERS, tables.DEDUP_SIGNATURES)}
    write_report(stats, warehouse, run_id, params)
    result = StageResult(STAGE, rows_in, rows_out, rows_rejected, stats["reasons"], versions,
                         reason_bytes=stats["reason_bytes"])
    return finish_stage(spark, warehouse, run_id, result)


def dedup_stats(spark: SparkSession, warehouse: str, computed: int) -> dict:
    """Clusters, their sizes, documents and bytes removed per reason (small aggregates only)."""
    clusters = tables.read_table(spark, warehouse, tables.DEDUP_CLUSTERS)
    rejects = tables.read_table(spark, warehouse, tables.REJECTS).where(F.col("stage") == STAGE)
    by_reason = {r["reason"]: (r["n"], r["bytes"] or 0) for r in
                 rejects.groupBy("reason").agg(F.count("*").alias("n"), F.sum("size_bytes").alias("bytes")).collect()}
    sizes = {r["cluster_size"]: r["n"] for r in clusters.where("is_representative")
             .groupBy("cluster_size").agg(F.count("*").alias("n")).collect()}
    return {"signatures_computed": computed, "clusters": sum(sizes.values()),
            "cluster_sizes": dict(sorted(sizes.items())), "largest_cluster": max(sizes, default=0),
            "rejected": sum(n for n, _ in by_reason.values()),
            "reasons": {k: v[0] for k, v in sorted(by_reason.items())},
            "reason_bytes": {k: v[1] for k, v in sorted(by_reason.items())},
            "bytes_removed": sum(b for _, b in by_reason.values())}


def write_report(stats: dict, warehouse: str, run_id: str, params: MinHashParams) -> Path | None:
    """``<warehouse>/reports/<run_id>/dedup.{json,md}`` for local warehouses."""
    if "://" in warehouse:
        return None
    folder = Path(warehouse) / "reports" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dedup.json").write_text(json.dumps({**stats, "params": params.tag}, indent=2) + "\n")
    lines = [f"# Dedup, run {run_id}", "", f"MinHash/LSH: {params.tag}", "",
             f"- signatures computed this run: {stats['signatures_computed']}",
             f"- clusters (2+ documents): {stats['clusters']}, largest: {stats['largest_cluster']}",
             f"- documents removed: {stats['rejected']} ({stats['bytes_removed']} bytes)", "",
             "| reason | documents | bytes |", "|---|---:|---:|"]
    lines += [f"| {k} | {n} | {stats['reason_bytes'][k]} |" for k, n in stats["reasons"].items()]
    lines += ["", "| cluster size | clusters |", "|---:|---:|"]
    lines += [f"| {size} | {n} |" for size, n in stats["cluster_sizes"].items()]
    path = folder / "dedup.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
