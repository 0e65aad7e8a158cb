"""The encode stage's rejects: lossy documents and opt-outs, found after one encoding pass."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
import sentencepiece as spm
from pyspark.sql import functions as F

from corpusforge import artifacts, tables
from corpusforge.config import SplitSettings
from corpusforge.optout import OptOutList
from corpusforge.tokenizer import encode as encode_stage
from corpusforge.tokenizer import model_files
from corpusforge.tokenizer import stage as tokenizer_stage
from tests.shards.test_tokenizer_and_shard_jobs import _config, _silver_rows, write_silver

ROWS = [{"doc_id": "a", "content": "x  =  1;\n", "origin": "o", "category": "public",
         "source": "dir", "license": "MIT", "path": "a.ts"},
        {"doc_id": "b", "content": "x", "origin": "left-pad@1.3.0", "category": "public",
         "source": "npm", "license": "MIT", "path": "index.js"}]


def _lossy_model() -> bytes:
    # SentencePiece's defaults (NFKC, collapsed whitespace) are lossy on code.
    sink = io.BytesIO()
    texts = [r["content"] for r in _silver_rows()]
    spm.SentencePieceTrainer.train(sentence_iterator=iter(texts), model_writer=sink, vocab_size=300,
                                   hard_vocab_limit=False, minloglevel=2)
    return sink.getvalue()


def test_encode_batch_leaves_opted_out_documents_unencoded():
    processor = spm.SentencePieceProcessor(model_proto=_lossy_model())
    opt_out = OptOutList(origins=("left-pad",), source="opt_out.yaml")
    out = encode_batch_rows(processor, opt_out)
    assert out[1]["reason"] == "opt_out" and out[1]["detail"] == "origins: left-pad (opt_out.yaml)"
    assert out[1]["tokens"] == [] and out[1]["n_tokens"] == 0 and out[1]["n_bytes"] == 1
    assert out[0]["reason"] == "tokenizer_lossy"  # the other row is still checked
    assert encode_batch_rows(processor, OptOutList())[1]["reason"] is None


def encode_batch_rows(processor, opt_out: OptOutList) -> list[dict]:
    return encode_stage.encode_batch(pa.RecordBatch.from_pylist(ROWS), processor, SplitSettings(),
                                     opt_out).to_pylist()


@pytest.mark.spark
def test_stage_rejects_lossy_and_opted_out_documents_and_keeps_the_rest(spark, tmp_path):
    warehouse = tmp_path / "wh"
    df = write_silver(spark, warehouse)
    silver = {r["doc_id"]: r for r in df.collect()}
    opted_origin = sorted({r["origin"] for r in silver.values()})[0]
    opt_out = tmp_path / "opt_out.yaml"
    opt_out.write_text(json.dumps({"origins": [opted_origin]}))
    config = _config(warehouse, **{"opt_out.file": str(opt_out)})
    tokenizer_stage.run(spark, config)
    # Swap in a lossy model (its hash recorded, as the tokenizer stage does).
    model = _lossy_model()
    meta = json.loads(Path(model_files.model_location(config, model_files.META_FILE)).read_text())
    artifacts.write_artifact(spark, model_files.model_location(config), model)
    artifacts.write_artifact(spark, model_files.model_location(config, model_files.META_FILE),
                             json.dumps({**meta, "sha256": model_files.model_sha256(model)}).encode())

    result = encode_stage.run(spark, config)

    processor = spm.SentencePieceProcessor(model_proto=model)
    lossy = {d for d, r in silver.items() if r["origin"] != opted_origin
             and processor.decode(processor.encode(r["content"])) != r["content"]}
    opted = {d for d, r in silver.items() if r["origin"] == opted_origin}
    assert lossy and opted
    rejects = {r["doc_id"]: r for r in tables.read_table(spark, str(warehouse), tables.REJECTS)
               .where("stage = 'encode'").collect()}
    assert {d for d, r in rejects.items() if r["reason"] == "tokenizer_lossy"} == lossy
    assert {d for d, r in rejects.items() if r["reason"] == "opt_out"} == opted
    assert all(rejects[d]["origin"] == silver[d]["origin"] and rejects[d]["path"] == silver[d]["path"]
               for d in rejects)
    kept = {r["doc_id"] for r in tables.read_table(spark, str(warehouse), tables.GOLD_TOKENS).collect()}
    assert kept == set(silver) - lossy - opted
    assert (result.rows_in, result.rows_out, result.rows_rejected) == (len(silver), len(kept), len(rejects))
    assert result.reasons == {"tokenizer_lossy": len(lossy), "opt_out": len(opted)}


@pytest.mark.spark
def test_clean_rerun_clears_earlier_rejects_without_a_second_pass(spark, tmp_path):
    warehouse = tmp_path / "wh"
    silver = {r["doc_id"] for r in write_silver(spark, warehouse).collect()}
    opt_out = tmp_path / "opt_out.yaml"
    opt_out.write_text(json.dumps({"paths": ["*"]}))
    tokenizer_stage.run(spark, _config(warehouse))
    first = encode_stage.run(spark, _config(warehouse, **{"opt_out.file": str(opt_out)}))
    assert first.rows_out == 0 and first.reasons == {"opt_out": len(silver)}

    again = encode_stage.run(spark, _config(warehouse))  # the entry is gone: everything encodes

    assert (again.rows_in, again.rows_out, again.rows_rejected, again.reasons) == (len(silver), len(silver), 0, {})
    assert tables.read_table(spark, str(warehouse), tables.REJECTS).where("stage = 'encode'").count() == 0


@pytest.mark.spark
def test_shipped_model_is_staged_in_the_spark_files_folder(spark):
    import tempfile

    from pyspark import SparkFiles

    def leftovers() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("corpusforge-model-*")}

    before = leftovers()
    name = model_files.ship_model(spark, _lossy_model())
    assert model_files.ship_model(spark, _lossy_model()) == name  # same bytes: shipped once
    staged = Path(SparkFiles.getRootDirectory()) / "corpusforge-staging" / name
    assert staged.read_bytes() == _lossy_model()
    assert leftovers() == before
