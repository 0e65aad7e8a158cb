"""Opt-out re-checked before sharding: an origin opted out after encoding leaves gold/tokens,
the shard index and every shard file on the next encode + shard, and is an `opt_out` reject."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
import zstandard
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.shards import stage as shard_stage
from corpusforge.tokenizer import encode as encode_stage
from corpusforge.tokenizer import stage as tokenizer_stage
from tests.shards.test_sequences_megatron import read_mmidx
from tests.shards.test_tokenizer_and_shard_jobs import _config, write_silver

pytestmark = pytest.mark.spark


def _shard_contents(folder: Path) -> tuple[set[str], list[list[int]]]:
    """Every doc_id in the .jsonl.zst and .arrow files, and every Megatron sequence."""
    manifest = json.loads((folder / "manifest.json").read_text())
    doc_ids: set[str] = set()
    sequences: list[list[int]] = []
    for f in manifest["shards"]:
        path = folder / f["file"]
        if f["format"] == "jsonl_zst":
            text = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(path.read_bytes())).read().decode()
            doc_ids |= {json.loads(line)["doc_id"] for line in text.splitlines()}
        elif f["format"] == "arrow":
            doc_ids |= set(pa.ipc.open_stream(pa.OSFile(str(path))).read_all()["doc_id"].to_pylist())
        elif f["file"].endswith(".bin"):
            sequences += read_mmidx(str(path)[:-4])
    return doc_ids, sequences


def test_a_later_opt_out_removes_an_origin_from_tokens_and_every_shard(spark, tmp_path):
    warehouse = tmp_path / "wh"
    write_silver(spark, warehouse)
    config = _config(warehouse)
    tokenizer_stage.run(spark, config)
    encode_stage.run(spark, config)
    shard_stage.run(spark, config)
    folder = Path(shard_stage.output_folder(config))

    tokens = tables.read_table(spark, str(warehouse), tables.GOLD_TOKENS)
    # The public origin with the most train documents, and a framework one for the shard-only check.
    by_origin = (tokens.where("split = 'train'").groupBy("origin", "category").agg(F.count("*").alias("n"))
                 .orderBy(F.desc("n"), "origin").collect())
    origin = next(r["origin"] for r in by_origin if r["category"] == "public")
    later = next(r["origin"] for r in by_origin if r["category"] == "framework")
    opted = {r["doc_id"]: r["tokens"] for r in tokens.where(F.col("origin") == origin).collect()}
    before_ids, _ = _shard_contents(folder)
    assert opted.keys() & before_ids, "the origin reached the shards before the opt-out"

    opt_out = tmp_path / "opt_out.yaml"
    opt_out.write_text(json.dumps({"origins": [origin]}))
    opted_config = _config(warehouse, **{"opt_out.file": str(opt_out)})
    encode_stage.run(spark, opted_config)
    shard_stage.run(spark, opted_config)

    tokens = tables.read_table(spark, str(warehouse), tables.GOLD_TOKENS)
    assert tokens.where(F.col("origin") == origin).count() == 0
    rejects = {r["doc_id"]: r for r in tables.read_table(spark, str(warehouse), tables.REJECTS)
               .where("stage = 'encode'").collect()}
    assert set(opted) <= set(rejects)
    assert {rejects[d]["reason"] for d in opted} == {"opt_out"}
    assert all(rejects[d]["detail"] == f"origins: {origin} ({opt_out})" for d in opted)
    index = tables.read_table(spark, str(warehouse), tables.SHARD_INDEX)
    assert index.where(F.col("doc_id").isin(list(opted))).count() == 0 and index.count() > 0
    doc_ids, sequences = _shard_contents(folder)
    assert doc_ids and not (doc_ids & opted.keys())
    # Megatron files have no doc ids: every sequence must be a remaining document's tokens
    # (+ end of text). Mirrors in other origins share the opted-out texts, so compare content.
    eot = json.loads((folder / "manifest.json").read_text())["tokenizer"]["special_tokens"]["end_of_text"]
    remaining = {tuple(r["tokens"]) for r in tokens.select("tokens").collect()}
    only_opted = {tuple(t) for t in opted.values()} - remaining
    assert sequences and all(s[-1] == eot and tuple(s[:-1]) in remaining for s in sequences)
    assert not any(tuple(s[:-1]) in only_opted for s in sequences)

    # Opted out after encode, shard run alone: the shard stage checks the list again.
    opt_out.write_text(json.dumps({"origins": [origin, later]}))
    framework = [r["doc_id"] for r in tokens.where(F.col("origin") == later).select("doc_id").collect()]
    result = shard_stage.run(spark, opted_config)
    assert result.rows_rejected == len(framework) and result.reasons == {"opt_out": len(framework)}
    shard_rejects = tables.read_table(spark, str(warehouse), tables.REJECTS).where("stage = 'shard'")
    assert sorted(r["doc_id"] for r in shard_rejects.collect()) == sorted(framework)
    doc_ids, _ = _shard_contents(folder)
    assert doc_ids and not (doc_ids & set(framework))
