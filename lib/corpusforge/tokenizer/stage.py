"""Tokenizer job: draw a weighted sample of the corpus, train SentencePiece, check it, store it.

SentencePiece trains on one machine, so the sample is streamed to the driver; its size is
capped by ``tokenizer.sample_max_bytes`` whatever the corpus size. The sample is chosen by a
hash of each doc_id (framework-style documents weighted up), so a rerun trains on the same
text and produces the same model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from corpusforge import artifacts, tables
from corpusforge.config import Config
from corpusforge.corpus import FRAMEWORK_STYLE, corpus_table, read_corpus
from corpusforge.errors import AccountingError
from corpusforge.shards.mixing import unit_hash
from corpusforge.stages import StageResult, finish_stage
from corpusforge.tokenizer import model_files
from corpusforge.tokenizer.symbols import framework_symbols
from corpusforge.tokenizer.training import (TrainingOptions, load_processor, model_sha256,
                                            special_token_ids, train_tokenizer)

STAGE = "tokenizer"


def training_sample(corpus: DataFrame, config: Config) -> DataFrame:
    """The weighted, capped sample (doc_id, category, content), in doc_id order."""
    settings = config.tokenizer
    weight = F.when(F.col("category").isin(*FRAMEWORK_STYLE), F.lit(settings.framework_weight)) \
        .otherwise(F.lit(1.0))
    weighted = corpus.select("doc_id", "category", "content", weight.alias("w"),
                             F.length("content").alias("chars"))
    total = weighted.agg(F.sum(F.col("w") * F.col("chars"))).first()[0] or 0.0
    rate = min(1.0, settings.sample_max_bytes / total) if total else 1.0
    return (weighted.where(unit_hash(F.col("doc_id"), settings.seed) < F.col("w") * F.lit(rate))
            .select("doc_id", "category", "content").orderBy("doc_id"))


def _capped_texts(sample: DataFrame, max_bytes: int, stats: dict) -> Iterator[str]:
    for row in sample.toLocalIterator():
        size = len(row["content"].encode("utf-8"))
        if stats["bytes"] + size > max_bytes and stats["documents"]:
            return
        stats["documents"] += 1
        stats["bytes"] += size
        stats["by_category"][row["category"]] = stats["by_category"].get(row["category"], 0) + 1
        yield row["content"]


def training_options(config: Config) -> TrainingOptions:
    """Training options from the config, framework identifiers added as whole pieces."""
    s = config.tokenizer
    symbols = list(s.user_defined_symbols)
    if s.symbols_from_framework:
        symbols += framework_symbols(s.symbols_from_framework)
    return TrainingOptions(model_type=s.model_type, vocab_size=s.vocab_size,
                           user_defined_symbols=tuple(dict.fromkeys(symbols)),
                           max_sentence_length=s.max_sentence_length, seed=s.seed)


def _round_trip_batches(model_name: str):
    def check(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        processor = model_files.worker_processor(model_name)
        for batch in batches:
            ids = batch.column("doc_id").to_pylist()
            ok = [processor.decode(processor.encode(t)) == t for t in batch.column("content").to_pylist()]
            yield pa.RecordBatch.from_arrays([pa.array(ids, pa.string()), pa.array(ok, pa.bool_())],
                                             names=["doc_id", "lossless"])
    return check


def lossy_documents(spark: SparkSession, docs: DataFrame, model: bytes) -> list[str]:
    """doc_ids whose text does not survive ``decode(encode(x))`` (checked in the executors)."""
    name = model_files.ship_model(spark, model)
    checked = docs.select("doc_id", "content").mapInArrow(
        _round_trip_batches(name), "doc_id string, lossless boolean")
    return [r["doc_id"] for r in checked.where(~F.col("lossless")).orderBy("doc_id").limit(20).collect()]


def run(spark: SparkSession, config: Config) -> StageResult:
    """Train the tokenizer on a sample of the corpus and store model, vocab and metadata."""
    corpus = read_corpus(spark, config.warehouse)
    sample = training_sample(corpus, config)
    options = training_options(config)
    stats: dict = {"documents": 0, "bytes": 0, "by_category": {}}
    model = train_tokenizer(_capped_texts(sample, config.tokenizer.sample_max_bytes, stats), options)
    processor = load_processor(model)
    lossy = lossy_documents(spark, sample, model)
    if lossy:
        raise AccountingError(f"{len(lossy)}+ sample documents do not round-trip, e.g. {lossy[:3]}",
                              stage=STAGE, hint="report this: the training options must be lossless")
    source = corpus_table(spark, config.warehouse)
    meta = {
        "sha256": model_sha256(model), "model_type": options.model_type,
        "vocab_size": processor.get_piece_size(), "requested_vocab_size": options.vocab_size,
        "special_tokens": special_token_ids(processor, options.special),
        "user_defined_symbols": list(options.user_defined_symbols),
        "sample": stats, "round_trip": {"checked": stats["documents"], "failed": 0},
        "trained_on": {"table": source,
                       "version": tables.table_version(spark, config.warehouse, tables.TABLES[source])},
        "seed": options.seed,
    }
    vocab = "".join(f"{processor.id_to_piece(i)}\t{processor.get_score(i)}\n"
                    for i in range(processor.get_piece_size()))
    artifacts.write_artifact(spark, model_files.model_location(config), model)
    artifacts.write_artifact(spark, model_files.model_location(config, model_files.VOCAB_FILE),
                             vocab.encode("utf-8"))
    artifacts.write_artifact(spark, model_files.model_location(config, model_files.META_FILE),
                             json.dumps(meta, indent=2, sort_keys=True).encode("utf-8"))
    n = stats["documents"]
    return finish_stage(spark, config.warehouse, config.resolved_run_id(), StageResult(STAGE, n, n, 0, {}, {}))
