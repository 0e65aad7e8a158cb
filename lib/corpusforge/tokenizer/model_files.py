"""Where the trained model lives, and how executors get it (SparkFiles, one load per worker)."""

from __future__ import annotations

import json
import os
import tempfile

import sentencepiece as spm
from pyspark import SparkFiles
from pyspark.sql import SparkSession

from corpusforge import artifacts
from corpusforge.config import Config
from corpusforge.errors import InputError
from corpusforge.tokenizer.training import load_processor, model_sha256

MODEL_FILE = "tokenizer.model"
VOCAB_FILE = "tokenizer.vocab"
META_FILE = "tokenizer.json"

_PROCESSORS: dict[str, spm.SentencePieceProcessor] = {}
_SHIPPED: set[tuple[str, str]] = set()  # (application id, file name) already added


def model_location(config: Config, name: str = MODEL_FILE) -> str:
    """``<warehouse>/<tokenizer.output>/<name>``."""
    return artifacts.artifact_path(config.warehouse, config.tokenizer.output, name)


def load_model(spark: SparkSession, config: Config) -> tuple[bytes, dict]:
    """The trained model's bytes and its metadata; a clear error when it was never trained."""
    location = model_location(config)
    if not artifacts.artifact_exists(spark, location):
        raise InputError("no tokenizer model in the warehouse", path=location, stage="encode",
                         hint="train one first: ./spark-submit.sh tokenizer")
    model = artifacts.read_artifact(spark, location)
    meta = json.loads(artifacts.read_artifact(spark, model_location(config, META_FILE)))
    if meta.get("sha256") != model_sha256(model):
        raise InputError("tokenizer model does not match its tokenizer.json hash", path=location,
                         stage="encode", hint="retrain: ./spark-submit.sh tokenizer")
    return model, meta


def ship_model(spark: SparkSession, model: bytes) -> str:
    """Send the model to every executor with the job; returns the name to open it by.

    The file name carries the hash: SparkContext refuses a second file of the same name,
    and a new model must never be confused with an old one.
    """
    name = f"corpusforge-{model_sha256(model)[:16]}.model"
    shipped = (spark.sparkContext.applicationId, name)
    if shipped in _SHIPPED:
        return name
    # Staged inside the driver's SparkFiles folder, which Spark deletes when it stops, so
    # each run leaves no temporary model behind.
    folder = os.path.join(SparkFiles.getRootDirectory(), "corpusforge-staging")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
        handle.write(model)
    os.replace(handle.name, path)
    try:
        spark.sparkContext.addFile(path)
    except Exception as exc:  # already shipped in this application: same name, same bytes
        if "already registered" not in str(exc) and "File already" not in str(exc):
            raise
    _SHIPPED.add(shipped)
    return name


def worker_processor(name: str) -> spm.SentencePieceProcessor:
    """The processor for a shipped model, loaded once per Python worker."""
    processor = _PROCESSORS.get(name)
    if processor is None:
        with open(SparkFiles.get(name), "rb") as handle:
            processor = load_processor(handle.read())
        _PROCESSORS[name] = processor
    return processor
