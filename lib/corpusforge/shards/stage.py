"""Shard job: ``gold/tokens`` mixed to a budget → Megatron / Arrow / jsonl.zst shards + manifest.

The train split is mixed to the budget's framework share (see mixing.py); val and test keep
each of their documents once, for evaluation on the corpus as it is. Every row gets a shard
number and a shuffle key from a hash, and the executors write their shards in parallel
(sorted by that key), so a rerun writes byte-identical files and nothing but per-shard
summaries reaches the driver. Shard files go to a local or mounted folder (on a cluster: a
shared mount such as /dbfs or NFS); the manifest lists every file with its sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from corpusforge import __version__, artifacts, tables
from corpusforge.budgets import get_budget, load_budgets
from corpusforge.config import Config, ShardSettings
from corpusforge.corpus import FRAMEWORK_STYLE, corpus_table
from corpusforge.errors import ConfigError, InputError
from corpusforge.optout import OPT_OUT, load_opt_out, mark_rejects
from corpusforge.shards.card import write_card
from corpusforge.shards.formats import ArrowWriter, JsonlZstWriter
from corpusforge.shards.megatron import MegatronWriter, token_dtype
from corpusforge.shards.mixing import (copies_column, group_of, plan_group, scaled_targets,
                                       shard_count, unit_hash)
from corpusforge.shards.sequences import Packer, SpecialIds, document_sequence
from corpusforge.stages import StageResult, finish_stage
from corpusforge.tokenizer import model_files
from corpusforge.python_worker import settle, freeze

STAGE = "shard"
EXTENSIONS = {"megatron": (".bin", ".idx"), "arrow": (".arrow",), "jsonl_zst": (".jsonl.zst",)}
RESULT_SCHEMA = pa.schema([
    ("split", pa.string()), ("shard", pa.int32()), ("format", pa.string()), ("file", pa.string()),
    ("documents", pa.int64()), ("sequences", pa.int64()), ("tokens", pa.int64()),
    ("padding", pa.int64()), ("bytes", pa.int64()), ("sha256", pa.string())])
RESULT_DDL = ("split string, shard int, format string, file string, documents bigint, "
              "sequences bigint, tokens bigint, padding bigint, bytes bigint, sha256 string")


def output_folder(config: Config) -> str:
    """Where this budget's shards go: ``<warehouse>/<shards.output>/<budget>[-scale-F]``, or
    ``<shards.output>/<budget>[-scale-F]`` when ``shards.output`` is an absolute path (a
    mount shared by the executors while the tables live in an object store)."""
    s = config.shards
    name = s.budget if s.scale == 1 else f"{s.budget}-scale-{s.scale:g}"
    folder = (os.path.join(s.output, name) if os.path.isabs(s.output)
              else artifacts.artifact_path(config.warehouse, s.output, name))
    if artifacts.is_remote(folder):
        raise ConfigError("shards are written by the executors to a file system path",
                          path=folder, stage=STAGE,
                          hint="set shards.output to a mounted folder (e.g. /dbfs/..., an NFS "
                               "mount) or use a local warehouse")
    return folder


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _ShardFiles:
    """The open writers of one shard (one per format) and its counts."""

    def __init__(self, folder: str, split: str, shard: int, settings: ShardSettings, dtype) -> None:
        base = os.path.join(folder, split, f"{split}-{shard:05d}")
        os.makedirs(os.path.dirname(base), exist_ok=True)
        self.split, self.shard, self.base, self.settings = split, shard, base, settings
        self.megatron = MegatronWriter(base, dtype) if "megatron" in settings.formats else None
        self.arrow = ArrowWriter(base + ".arrow") if "arrow" in settings.formats else None
        self.jsonl = JsonlZstWriter(base + ".jsonl.zst") if "jsonl_zst" in settings.formats else None
        self.documents = self.sequences = self.tokens = self.padding = 0

    def add_rows(self, rows: list[tuple[list[int], str | None, str | None]], padding: int = 0) -> None:
        for ids, doc_id, category in rows:
            if self.megatron:
                self.megatron.add_sequence(ids)
            if self.arrow:
                self.arrow.add(ids, doc_id, category)
            self.sequences += 1
            self.tokens += len(ids)
        self.padding += padding

    def close(self) -> list[dict]:
        for writer in (self.megatron, self.arrow, self.jsonl):
            if writer:
                writer.close()
        out = []
        for fmt in self.settings.formats:
            for ext in EXTENSIONS[fmt]:
                path = self.base + ext
                out.append({"split": self.split, "shard": self.shard, "format": fmt,
                            "file": path, "documents": self.documents, "sequences": self.sequences,
                            "tokens": self.tokens - self.padding, "padding": self.padding,
                            "bytes": os.path.getsize(path), "sha256": _sha256(path)})
        return out


def _write_partitions(folder: str, settings: ShardSettings, model_name: str, ids: SpecialIds, dtype):
    """The executor side: rows sorted by (split, shard, key) in, one summary row per file out."""
    def write(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        processor = model_files.worker_processor(model_name)
        freeze(f"tokenizer:{model_name}")
        current: _ShardFiles | None = None
        packer: Packer | None = None
        results: list[dict] = []

        def close_current() -> None:
            if packer is not None:
                last = packer.finish()
                if last:
                    current.add_rows([(last[0], None, None)], last[1])
            results.extend(current.close())

        for batch in batches:
            for r in batch.to_pylist():
                key = (r["split"], r["shard"])
                if current is None or (current.split, current.shard) != key:
                    if current is not None:
                        close_current()
                    current = _ShardFiles(folder, *key, settings, dtype)
                    packer = Packer(settings.seq_length, ids.padding) if settings.seq_length else None
                sequence = document_sequence(r["tokens"], ids, r["fim"], r["fim_seed"])
                current.documents += 1
                if current.jsonl:
                    current.jsonl.add({"doc_id": r["doc_id"], "category": r["category"],
                                       "copy": r["copy"], "split": r["split"],
                                       "text": processor.decode(r["tokens"])})
                if packer is not None:
                    current.add_rows([(row, None, None) for row in packer.add(sequence)])
                else:
                    current.add_rows([(sequence, r["doc_id"], r["category"])])
        if current is not None:
            close_current()
        if results:
            yield pa.RecordBatch.from_pylist(results, schema=RESULT_SCHEMA)
    return write


def _code_version() -> dict:
    version = {"corpusforge": __version__, "git_commit": None}
    try:
        root = Path(__file__).resolve().parents[3]
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10)
        if out.returncode == 0:
            version["git_commit"] = out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass  # a zip on a cluster has no git; the package version remains
    return version


def _grouped(df: DataFrame, *keys: str) -> list[dict]:
    """Small per-key aggregates for the manifest, sorted."""
    return [r.asDict() for r in df.groupBy(*keys).agg(
        F.countDistinct("doc_id").alias("documents"), F.count("*").alias("copies"),
        F.sum("n_tokens").alias("tokens")).orderBy(*keys).collect()]


def _quality_summary(spark: SparkSession, warehouse: str) -> dict:
    if not tables.table_exists(spark, warehouse, tables.SILVER_FILTERED):
        return {}
    df = tables.read_table(spark, warehouse, tables.SILVER_FILTERED)
    columns = [c for c in ("n_chars", "max_line_length", "mean_line_length", "alnum_fraction",
                           "non_ascii_fraction", "data_fraction") if c in df.columns]
    row = df.select(*[F.percentile_approx(c, [0.1, 0.5, 0.9], 1000).alias(c) for c in columns]).first()
    return {c: dict(zip(("p10", "p50", "p90"), row[c] or [])) for c in columns}


def _rules_summary(spark: SparkSession, warehouse: str) -> dict:
    if not tables.table_exists(spark, warehouse, tables.GOLD_DOCUMENTS):
        return {}
    df = tables.read_table(spark, warehouse, tables.GOLD_DOCUMENTS)
    if "rules_applied" not in df.columns:
        return {}
    return {r["rule"]: r["n"] for r in df.select(F.explode("rules_applied").alias("rule"))
            .groupBy("rule").agg(F.count("*").alias("n")).orderBy("rule").collect()}


def run(spark: SparkSession, config: Config) -> StageResult:
    """Mix ``gold/tokens`` to ``shards.budget`` × ``shards.scale`` and write shards + manifest."""
    s, warehouse = config.shards, config.warehouse
    budget = get_budget(load_budgets(config.budgets.file), s.budget)
    if not tables.table_exists(spark, warehouse, tables.GOLD_TOKENS):
        raise InputError("gold/tokens does not exist", path=tables.GOLD_TOKENS.path(warehouse),
                         stage=STAGE, hint="run ./spark-submit.sh encoder and ./spark-submit.sh encode first")
    model, meta = model_files.load_model(spark, config)
    tokens = tables.read_table(spark, warehouse, tables.GOLD_TOKENS)
    stale = [r[0] for r in tokens.select("tokenizer_sha256").distinct().collect() if r[0] != meta["sha256"]]
    if stale:
        raise InputError("gold/tokens was encoded with another tokenizer than the stored one",
                         path=tables.GOLD_TOKENS.path(warehouse), stage=STAGE,
                         hint="rerun ./spark-submit.sh encode")
    model_name = model_files.ship_model(spark, model)
    ids = SpecialIds(**meta["special_tokens"])
    dtype = token_dtype(meta["vocab_size"])
    run_id = config.resolved_run_id()
    tokens, rows_in, rows_rejected = _drop_opted_out(spark, config, tokens, run_id)

    docs = (tokens.select("doc_id", "split", "category", "source", "license", "n_tokens", "tokens")
            .withColumn("mix_group", group_of(F.col("category")))
            .withColumn("u", unit_hash(F.col("doc_id"), s.seed)))
    train = docs.where(F.col("split") == "train").select("doc_id", "mix_group", "u", "n_tokens").cache()
    available = {r["mix_group"]: int(r["t"]) for r in
                 train.groupBy("mix_group").agg(F.sum("n_tokens").alias("t")).collect()}
    caps = {"framework_style": config.budgets.max_framework_epochs,
            "public": config.budgets.max_public_epochs}
    targets, met = scaled_targets(budget.total_tokens * s.scale, budget.framework_share, available, caps)
    framework = plan_group(train, "framework_style", targets["framework_style"])
    public_target = targets["public"]
    if 0 < budget.framework_share < 1 and framework.mixed_tokens:
        # Whole documents rarely sum to the target exactly; matching the public side to what
        # the framework side achieved keeps the share exact (the total moves by < 1 document).
        share = budget.framework_share
        public_target = min(public_target, round(framework.mixed_tokens * (1 - share) / share))
    mixes = {"framework_style": framework, "public": plan_group(train, "public", public_target)}
    train.unpersist()

    copies = F.when(F.col("split") == "train", copies_column(mixes)).otherwise(F.lit(1))
    copy_key = F.concat_ws(":", F.col("doc_id"), F.col("copy").cast("string"))
    expanded = (docs.withColumn("copies", copies).where(F.col("copies") > 0)
                .withColumn("copy", F.explode(F.sequence(F.lit(0), F.col("copies") - 1)))
                .withColumn("key", unit_hash(copy_key, s.seed + 1))
                .withColumn("fim", unit_hash(copy_key, s.seed + 2) < F.lit(s.fim_rate))
                .withColumn("fim_seed", F.xxhash64(F.lit(s.seed + 3), copy_key))
                .cache())
    split_tokens = {r["split"]: int(r["t"]) for r in
                    expanded.groupBy("split").agg(F.sum("n_tokens").alias("t")).collect()}
    n_shards = {split: shard_count(t, s.shard_tokens) for split, t in split_tokens.items()}
    shard_of = F.lit(0)
    for split, n in n_shards.items():
        shard_of = F.when(F.col("split") == split, F.floor(F.col("key") * n).cast("int")).otherwise(shard_of)

    folder = output_folder(config)
    artifacts.remove_tree(folder)
    os.makedirs(folder, exist_ok=True)
    partitions = max(1, min(sum(n_shards.values()), spark.sparkContext.defaultParallelism * 4))
    placed = expanded.withColumn("shard", shard_of)
    written = (placed
               .select("split", "shard", "key", "doc_id", "category", "copy", "tokens", "fim", "fim_seed")
               .repartition(partitions, "split", "shard")
               .sortWithinPartitions("split", "shard", "key", "doc_id", "copy")
               .mapInArrow(_write_partitions(folder, s, model_name, ids, dtype), RESULT_DDL)
               .collect())
    files = sorted((r.asDict() for r in written), key=lambda r: (r["split"], r["shard"], r["file"]))
    for f in files:
        f["file"] = os.path.relpath(f["file"], folder)

    by_split_category = _grouped(expanded, "split", "category")
    manifest = {
        "budget": {"name": s.budget, **budget.model_dump(), "scale": s.scale,
                   "target_tokens": int(round(budget.total_tokens * s.scale)), "met_fraction": met},
        "mix": {g: {"target_tokens": m.target_tokens, "available_tokens": m.available_tokens,
                    "full_copies": m.full_copies, "repeat": m.repeat, "mixed_tokens": m.mixed_tokens}
                for g, m in mixes.items()},
        "framework_share": _shares(by_split_category),
        "by_split_category": by_split_category,
        "by_source": _grouped(expanded, "split", "source"),
        "by_license": _grouped(expanded, "split", "license"),
        "quality": _quality_summary(spark, warehouse),
        "rules_applied": _rules_summary(spark, warehouse),
        "tokenizer": {"sha256": meta["sha256"], "vocab_size": meta["vocab_size"],
                      "special_tokens": meta["special_tokens"], "dtype": dtype.__name__},
        "tables_read": {name: tables.table_version(spark, warehouse, tables.TABLES[name])
                        for name in sorted({tables.GOLD_TOKENS.name, corpus_table(spark, warehouse)})},
        "config": config.model_dump(mode="json"),
        "code_version": _code_version(),
        "shards": files,
        "doc_index": {"table": tables.SHARD_INDEX.name, "shards": os.path.basename(folder)},
    }
    _write_index(spark, warehouse, placed, os.path.basename(folder), s.budget, run_id)
    expanded.unpersist()
    Path(folder, "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                             encoding="utf-8")
    write_card(spark, warehouse, folder, manifest)
    versions = {spec.name: tables.table_version(spark, warehouse, spec)
                for spec in (tables.SHARD_INDEX, tables.REJECTS)}
    reasons = {OPT_OUT: rows_rejected} if rows_rejected else {}
    return finish_stage(spark, warehouse, run_id,
                        StageResult(STAGE, rows_in, rows_in - rows_rejected, rows_rejected, reasons, versions))


def _drop_opted_out(spark: SparkSession, config: Config, tokens: DataFrame,
                    run_id: str) -> tuple[DataFrame, int, int]:
    """The opt-out list checked again before any file is written: rows it names become
    ``opt_out`` rejects of this stage (replacing the stage's earlier rejects). Returns the
    kept rows, the rows read and the rows rejected."""
    if "path" not in tokens.columns:  # gold/tokens written before it carried the path
        tokens = tokens.withColumn("path", F.lit(None).cast("string"))
    checked = mark_rejects(tokens, load_opt_out(config.opt_out.file))
    kept, rejects = tables.split_rejects(checked, stage=STAGE, run_id=run_id)
    tables.ensure_table(spark, config.warehouse, tables.REJECTS)
    tables.replace_rows(spark, config.warehouse, tables.REJECTS, rejects, where=f"stage = {tables.sql_string(STAGE)}")
    rows_rejected = (tables.read_table(spark, config.warehouse, tables.REJECTS)
                     .where(F.col("stage") == STAGE).count())
    return kept, tokens.count(), rows_rejected


def _write_index(spark: SparkSession, warehouse: str, placed: DataFrame, name: str, budget: str,
                 run_id: str) -> None:
    """Replace ``meta/shard_index``'s rows of this shards folder: where every copy of every
    document went (split, shard, rank in the shard's write order, as the writers sort)."""
    order = Window.partitionBy("split", "shard").orderBy("key", "doc_id", "copy")
    index = placed.select(
        F.lit(name).alias("shards"), F.lit(budget).alias("budget"), "split", "shard", "doc_id",
        "copy", (F.row_number().over(order) - 1).alias("position"), "n_tokens",
        F.lit(run_id).alias("run_id"))
    tables.ensure_table(spark, warehouse, tables.SHARD_INDEX)
    tables.replace_rows(spark, warehouse, tables.SHARD_INDEX, index, where=f"shards = {tables.sql_string(name)}")


def _shares(by_split_category: list[dict]) -> dict[str, float]:
    """Framework-style share of document tokens per split."""
    totals: dict[str, list[int]] = {}
    for r in by_split_category:
        t = totals.setdefault(r["split"], [0, 0])
        t[1] += r["tokens"]
        if r["category"] in FRAMEWORK_STYLE:
            t[0] += r["tokens"]
    return {split: (fw / all_ if all_ else 0.0) for split, (fw, all_) in sorted(totals.items())}
