"""Encode stage: the corpus → ``gold/tokens``, encoded in the executors, split by origin.

The model reaches the executors with the job (SparkFiles) and is loaded once per Python
worker. A document whose text would not survive ``decode(encode(x))`` is rejected
(``tokenizer_lossy``) rather than silently changed; with the training options of
tokenizer/training.py that never happens, and the stage proves it on every row. A document
the opt-out list names is rejected (``opt_out``) without being encoded.

One pass encodes the corpus and writes the kept rows. When ``gold/tokens`` then holds fewer
rows than the corpus, the rejects are the corpus rows it lacks (an anti-join on doc_id), and
only those are run through the same function again; when it holds them all (the common
case) the corpus is read once and nothing is joined.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.config import Config, SplitSettings
from corpusforge.corpus import read_corpus
from corpusforge.optout import OPT_OUT, OptOutList, load_opt_out
from corpusforge.splits import check_ratios, split_of
from corpusforge.spark import spread
from corpusforge.stages import StageResult, finish_stage
from corpusforge.tokenizer import model_files
from corpusforge.python_worker import settle, freeze

STAGE = "encode"

ENCODED_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("split", pa.string()), ("category", pa.string()),
    ("source", pa.string()), ("origin", pa.string()), ("license", pa.string()),
    ("n_chars", pa.int64()), ("n_bytes", pa.int64()), ("n_tokens", pa.int32()),
    ("tokens", pa.list_(pa.int32())), ("reason", pa.string()), ("detail", pa.string()),
    ("path", pa.string()), ("size_bytes", pa.int64())])
ENCODED_DDL = ("doc_id string, split string, category string, source string, origin string, "
               "license string, n_chars bigint, n_bytes bigint, n_tokens int, tokens array<int>, "
               "reason string, detail string, path string, size_bytes bigint")


def token_lists(encoded: list[list[int]]) -> pa.ListArray:
    """``list<int32>`` Arrow array of token lists, built from flat numpy buffers (``pa.array``
    on nested Python lists costs as much as the encoding itself)."""
    lengths = np.fromiter((len(ids) for ids in encoded), dtype=np.int32, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    values = np.fromiter(itertools.chain.from_iterable(encoded), dtype=np.int32, count=int(offsets[-1]))
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values))


def encode_batch(batch: pa.RecordBatch, processor, splits: SplitSettings,
                 opt_out: OptOutList | None = None) -> pa.RecordBatch:
    """Encode a batch of corpus rows, column by column: tokens, counts, split and, for a
    document that would not round-trip, a reason (the text is decoded back to prove it).
    Documents ``opt_out`` names get the reason ``opt_out`` and no tokens."""
    texts = batch.column("content").to_pylist()
    origins = batch.column("origin").to_pylist()
    doc_ids = batch.column("doc_id").to_pylist()
    opted = ([opt_out.match(o, p) for o, p in zip(origins, batch.column("path").to_pylist())]
             if opt_out else [None] * len(texts))
    todo = [t if o is None else "" for t, o in zip(texts, opted)]
    # One C++ call for the whole batch, on one thread: Spark already runs a task per core,
    # and sentencepiece's default (a thread per core) would oversubscribe every executor.
    encoded = processor.encode(todo, num_threads=1)
    decoded = processor.decode(encoded, num_threads=1)
    lossy = [d != t for d, t in zip(decoded, todo)]
    n_bytes = pa.array([len(t.encode("utf-8")) for t in texts], pa.int64())
    reasons = [OPT_OUT if o else "tokenizer_lossy" if x else None for o, x in zip(opted, lossy)]
    details = [o if o else "decode(encode(text)) differs from the text" if x else None
               for o, x in zip(opted, lossy)]
    columns = {
        "doc_id": batch.column("doc_id"),
        "split": pa.array([split_of(o or d, splits) for o, d in zip(origins, doc_ids)], pa.string()),
        "category": batch.column("category"), "source": batch.column("source"),
        "origin": batch.column("origin"), "license": batch.column("license"),
        "n_chars": pa.array([len(t) for t in texts], pa.int64()), "n_bytes": n_bytes,
        "n_tokens": pa.array([len(ids) for ids in encoded], pa.int32()),
        "tokens": token_lists(encoded),
        "reason": pa.array(reasons, pa.string()), "detail": pa.array(details, pa.string()),
        "path": batch.column("path"), "size_bytes": n_bytes,
    }
    return pa.RecordBatch.from_arrays([columns[f.name].cast(f.type) for f in ENCODED_SCHEMA],
                                      schema=ENCODED_SCHEMA)


def _encode_batches(model_name: str, splits: SplitSettings, opt_out: OptOutList):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        processor = model_files.worker_processor(model_name)
        freeze(f"tokenizer:{model_name}")
        for batch in batches:
            yield encode_batch(batch, processor, splits, opt_out)
    return run


def run(spark: SparkSession, config: Config) -> StageResult:
    """Encode every corpus document into ``gold/tokens`` (replaced as a whole, one commit)."""
    check_ratios(config.splits)
    warehouse, run_id = config.warehouse, config.resolved_run_id()
    model, meta = model_files.load_model(spark, config)
    name = model_files.ship_model(spark, model)
    stored = read_corpus(spark, warehouse)
    corpus = spread(stored)
    # Opt-out is checked again here: an entry added after ingest keeps the source out of
    # gold/tokens (and so of every shard) without re-ingesting.
    encode = _encode_batches(name, config.splits, load_opt_out(config.opt_out.file))

    def encoded(rows):
        return (rows.mapInArrow(encode, ENCODED_DDL).withColumn("run_id", F.lit(run_id))
                .withColumn("tokenizer_sha256", F.lit(meta["sha256"])))

    rows_in = stored.count()  # before the spread: counting needs no shuffle
    kept, _ = tables.split_rejects(encoded(corpus), stage=STAGE, run_id=run_id)
    tables.replace_rows(spark, warehouse, tables.GOLD_TOKENS, kept)
    written = tables.read_table(spark, warehouse, tables.GOLD_TOKENS)
    rows_out = written.count()  # from the Delta log's file statistics, no data read
    todo = corpus if rows_out < rows_in else corpus.limit(0)
    # Only the documents that did not reach gold/tokens are encoded again, to name their reason.
    _, rejects = tables.split_rejects(encoded(todo.join(written.select("doc_id"), "doc_id", "left_anti")),
                                      stage=STAGE, run_id=run_id)
    tables.ensure_table(spark, warehouse, tables.REJECTS)
    tables.replace_rows(spark, warehouse, tables.REJECTS, rejects, where=f"stage = {tables.sql_string(STAGE)}")
    mine = tables.read_table(spark, warehouse, tables.REJECTS).where(F.col("stage") == STAGE)
    reasons = {r["reason"]: r["n"] for r in mine.groupBy("reason").agg(F.count("*").alias("n")).collect()}
    versions = {s.name: tables.table_version(spark, warehouse, s) for s in (tables.GOLD_TOKENS, tables.REJECTS)}
    return finish_stage(spark, warehouse, run_id,
                        StageResult(STAGE, rows_in, rows_out, sum(reasons.values()), reasons, versions))
