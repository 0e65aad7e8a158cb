"""Ingest over Spark: every source kind, every bad input, idempotence, interrupted reruns."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from chispa import assert_df_equality
from pyspark.sql import functions as F

from corpusforge import ingest, tables
from corpusforge.errors import InputError
from corpusforge.sources.records import doc_id_for
from tests.conftest import SAMPLES, make_config
from tests.fixtures import hostile_archives as H

KEY_COLS = ["doc_id", "source", "origin", "path", "language", "license", "content"]
INDEX_TS = "export const answer: number = 42;\n"


def _inputs(root: Path) -> list[str]:
    """A small input of every kind, plus hostile ones, under ``root``."""
    repo = root / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "package.json").write_text(json.dumps({"name": "tiny", "version": "1.0.0", "license": "MIT"}))
    (repo / "src" / "index.ts").write_text(INDEX_TS)
    (repo / "big.ts").write_text("// x\n" * 3000)  # over the test's max_file_bytes of 10000
    (repo / "node_modules" / "dep").mkdir(parents=True)
    (repo / "node_modules" / "dep" / "i.js").write_text("module.exports = 1;\n")

    archives = root / "archives"
    archives.mkdir()
    good = H.write_good_package(str(archives))
    hostile = H.write_all_hostile(str(archives))

    stack = root / "stack.parquet"
    pq.write_table(pa.table({
        "content": ["export type Id = string;\n", "x" * 10],
        "max_stars_repo_name": ["acme/ids", "acme/ids"],
        "max_stars_repo_path": ["src/id.ts", "src/blob.bin"],
        "max_stars_repo_licenses": [["MIT"], ["MIT"]],
    }), stack)

    text = root / "docs.jsonl.zst"
    lines = [json.dumps({"id": "a", "text": "Hooks keep state.", "source": "blog",
                         "metadata": {"license": "CC0-1.0"}}), "not json"]
    text.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(lines) + "\n").encode()))
    return ([f"dir:{repo}", f"framework:{SAMPLES / 'framework'}", f"dir:{SAMPLES / 'bad'}",
             f"npm:{good}", f"stack:{stack}", f"text:{text}"]
            + [f"npm:{p}" for p in hostile.values()])


@pytest.fixture(scope="module")
def ingested(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("ingest")
    inputs = _inputs(root / "in")
    config = make_config(root / "wh", **{"ingest.inputs": inputs, "ingest.max_file_bytes": 10_000,
                                          "ingest.max_archive_bytes": 10_000_000,
                                          "ingest.max_archive_members": 50})
    before = sorted(os.listdir(root / "in" / "archives"))
    result = ingest.run(spark, config)
    after = sorted(os.listdir(root / "in" / "archives"))
    docs = tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS)
    rejects = tables.read_table(spark, config.warehouse, tables.REJECTS)
    return config, result, docs, rejects, before, after


def test_directory_rows(spark, ingested):
    _, _, docs, _, _, _ = ingested
    got = docs.where(F.col("origin") == "tiny@1.0.0").select(*KEY_COLS)
    expected = spark.createDataFrame([
        (doc_id_for("github", "tiny@1.0.0", "src/index.ts"), "github", "tiny@1.0.0", "src/index.ts",
         "typescript", "MIT", INDEX_TS),
        (doc_id_for("github", "tiny@1.0.0", "package.json"), "github", "tiny@1.0.0", "package.json",
         "json", "MIT", json.dumps({"name": "tiny", "version": "1.0.0", "license": "MIT"})),
    ], got.schema)
    assert_df_equality(got, expected, ignore_row_order=True, ignore_nullable=True)
    row = docs.where((F.col("path") == "src/index.ts") & (F.col("origin") == "tiny@1.0.0")).first()
    assert row["content_sha256"] == hashlib.sha256(INDEX_TS.encode()).hexdigest()
    assert row["size_bytes"] == len(INDEX_TS) and row["license_evidence"] == "package.json:license"


def test_framework_rows(ingested):
    _, _, docs, _, _, _ = ingested
    fw = docs.where(F.col("source") == "framework")
    origins = {r["origin"] for r in fw.select("origin").distinct().collect()}
    assert {"@acme/dframe@1.4.0", "@acme/once@2.1.0"} <= origins
    langs = {r["language"] for r in fw.select("language").distinct().collect()}
    assert {"typescript", "tsx", "json"} <= langs


def test_npm_tarball_rows(spark, ingested):
    _, _, docs, _, _, _ = ingested
    got = docs.where(F.col("source") == "npm").select("origin", "path", "language", "license", "content")
    expected = spark.createDataFrame([
        ("good-package@1.2.3", "package.json", "json", "MIT", json.dumps(H.GOOD_PACKAGE_JSON)),
        ("good-package@1.2.3", "src/index.ts", "typescript", "MIT", H.GOOD_INDEX_TS),
        ("good-package@1.2.3", "README.md", "markdown", "MIT", H.GOOD_README),
    ], got.schema)
    assert_df_equality(got, expected, ignore_row_order=True, ignore_nullable=True)


def test_stack_and_text_rows(spark, ingested):
    _, _, docs, rejects, _, _ = ingested
    stack = docs.where(F.col("source") == "the_stack").select("origin", "path", "language", "license", "content")
    expected = spark.createDataFrame([("acme/ids", "src/id.ts", "typescript", "MIT", "export type Id = string;\n")],
                                     stack.schema)
    assert_df_equality(stack, expected, ignore_nullable=True)
    text = docs.where(F.col("source") == "text").select("origin", "path", "language", "license", "content")
    expected = spark.createDataFrame([("blog", "docs.jsonl.zst#a", "text", "CC0-1.0", "Hooks keep state.")],
                                     text.schema)
    assert_df_equality(text, expected, ignore_nullable=True)
    reasons = {r["path"]: r["reason"] for r in rejects.where(F.col("source").isin("text", "the_stack")).collect()}
    assert reasons == {"docs.jsonl.zst#2": "invalid_record", "src/blob.bin": "unsupported_type"}


EXPECTED_REJECTS = {
    # samples/bad
    ("github", "binary.png"): "binary", ("github", "invalid_utf8.ts"): "invalid_utf8",
    ("github", "nul_bytes.ts"): "nul_bytes", ("github", "empty.ts"): "empty",
    ("github", "minified.bundle.js"): "minified", ("github", "link_to_passwd.ts"): "symlink",
    # the tiny repo
    ("github", "big.ts"): "too_large", ("github", "node_modules/"): "skipped_dir",
}
EXPECTED_ARCHIVE_REASONS = {
    "path_traversal", "absolute_path", "special_member", "archive_too_large",
    "archive_too_many_members", "corrupt_archive",
}


def test_every_bad_input_is_a_reject_with_its_reason(ingested):
    _, result, _, rejects, _, _ = ingested
    got = {(r["source"], r["path"]): r["reason"] for r in rejects.collect()}
    for key, reason in EXPECTED_REJECTS.items():
        assert got.get(key) == reason, key
    npm_reasons = {reason for (source, _), reason in got.items() if source == "npm"}
    assert EXPECTED_ARCHIVE_REASONS <= npm_reasons
    specials = [r for r in rejects.where(F.col("reason") == "special_member").collect()]
    assert len(specials) == 4  # symlink, hardlink, char device, fifo
    assert all(r["stage"] == "ingest" and r["detail"] for r in rejects.collect())
    assert result.rows_in == result.rows_out + result.rows_rejected
    assert result.reasons["special_member"] == 4


def _named(root: str, prefix: str) -> list[str]:
    """Paths under ``root`` whose name starts with ``prefix``. os.walk skips folders that
    vanish while it walks (the background runs create and delete Spark's temp folders in
    /tmp all the time); Path.rglob raised on them."""
    return [os.path.join(folder, name) for folder, dirs, files in os.walk(root)
            for name in dirs + files if name.startswith(prefix)]


def test_hostile_archives_write_nothing(ingested):
    config, _, _, _, before, after = ingested
    assert after == before and all(name.endswith(".tgz") for name in after)
    assert _named("/tmp", "evil") + _named(os.getcwd(), "evil") == []


def test_rerun_is_idempotent(spark, ingested):
    config, result, docs, rejects, _, _ = ingested
    docs_before = docs.orderBy("doc_id").collect()
    rejects_before = rejects.orderBy("stage", "doc_id").collect()
    again = ingest.run(spark, config)
    assert (again.rows_in, again.rows_out, again.rows_rejected) == (result.rows_in, result.rows_out,
                                                                    result.rows_rejected)
    assert tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS).orderBy("doc_id").collect() == docs_before
    assert tables.read_table(spark, config.warehouse, tables.REJECTS).orderBy("stage", "doc_id").collect() == rejects_before


def test_interrupted_run_then_rerun_matches_clean_run(spark, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.ts").write_text(INDEX_TS)
    (repo / "empty.ts").write_text("")
    clean = make_config(tmp_path / "clean", **{"ingest.inputs": [f"dir:{repo}"]})
    crashed = make_config(tmp_path / "crashed", **{"ingest.inputs": [f"dir:{repo}"]})
    ingest.run(spark, clean)

    real_merge = tables.merge_rows

    def crash_before_rejects(spark_, warehouse, spec, *args, **kwargs):
        if spec is tables.REJECTS:
            raise KeyboardInterrupt("killed between the two commits")
        return real_merge(spark_, warehouse, spec, *args, **kwargs)

    monkeypatch.setattr(tables, "merge_rows", crash_before_rejects)
    with pytest.raises(KeyboardInterrupt):
        ingest.run(spark, crashed)
    monkeypatch.setattr(tables, "merge_rows", real_merge)
    assert not tables.table_exists(spark, crashed.warehouse, tables.REJECTS)

    ingest.run(spark, crashed)
    for spec in (tables.BRONZE_DOCUMENTS, tables.REJECTS):
        a = tables.read_table(spark, clean.warehouse, spec)
        b = tables.read_table(spark, crashed.warehouse, spec)
        assert_df_equality(a, b, ignore_row_order=True)


def test_stack_missing_column_is_clear_error(spark, tmp_path):
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"content": ["x"], "max_stars_repo_path": ["a.ts"],
                             "max_stars_repo_licenses": [["MIT"]]}), path)
    config = make_config(tmp_path / "wh", **{"ingest.inputs": [f"stack:{path}"]})
    with pytest.raises(InputError) as err:
        ingest.run(spark, config)
    message = str(err.value)
    assert "'repo'" in message and "max_stars_repo_name" in message and str(path) in message


def test_text_gzip_and_stack_jsonl_samples(spark, tmp_path):
    gz = tmp_path / "t.jsonl.gz"
    with gzip.open(gz, "wt") as f:
        f.write(json.dumps({"id": 1, "text": "Plain text."}) + "\n")
    config = make_config(tmp_path / "wh", **{"ingest.inputs": [
        f"text:{gz}", f"stack:{SAMPLES / 'stack' / 'the_stack_sample.jsonl'}"]})
    result = ingest.run(spark, config)
    docs = tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS)
    assert docs.where("source = 'text'").first()["path"] == "t.jsonl.gz#1"
    stack_rows = sum(1 for _ in open(SAMPLES / "stack" / "the_stack_sample.jsonl"))
    assert result.rows_in == stack_rows + 1
    licenses = {r["license"] for r in docs.where("source = 'the_stack'").collect()}
    assert "MIT" in licenses and "Apache-2.0" in licenses


def test_same_document_twice_is_a_duplicate_reject(spark, tmp_path):
    # Two copies of one package version: same (source, origin, path), different bytes.
    for name, body in (("a", INDEX_TS), ("b", INDEX_TS + "// changed\n")):
        repo = tmp_path / name
        repo.mkdir()
        (repo / "package.json").write_text(json.dumps({"name": "same", "version": "1.0.0"}))
        (repo / "index.ts").write_text(body)
    config = make_config(tmp_path / "wh", **{"ingest.inputs": [f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}"]})
    result = ingest.run(spark, config)
    assert (result.rows_in, result.rows_out, result.rows_rejected) == (4, 2, 2)
    assert result.reasons == {"duplicate_input": 2}
    kept = doc_id_for("github", "same@1.0.0", "index.ts")
    dups = tables.read_table(spark, config.warehouse, tables.REJECTS).collect()
    assert all(r["reason"] == "duplicate_input" and kept in r["detail"] or "package.json" == r["path"]
               for r in dups)
    assert {r["path"] for r in dups} == {"index.ts", "package.json"}
    # The kept copy is the one whose content hash sorts first: a deterministic choice.
    stored = tables.read_table(spark, config.warehouse, tables.BRONZE_DOCUMENTS).where(F.col("doc_id") == kept).first()
    assert stored["content_sha256"] == min(hashlib.sha256(b.encode()).hexdigest()
                                           for b in (INDEX_TS, INDEX_TS + "// changed\n"))
