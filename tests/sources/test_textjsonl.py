import gzip
import io
import json
from pathlib import Path

import pytest
import zstandard

from corpusforge.sources.content import ContentLimits
from corpusforge.sources.records import (CORRUPT_ARCHIVE, EMPTY, INVALID_RECORD,
                                         INVALID_UTF8, NUL_BYTES, TOO_LARGE, UNREADABLE)
from corpusforge.sources.textjsonl import read_text_jsonl

CORPUS = Path(__file__).parent / "fixtures" / "text" / "corpus.jsonl"
LIMITS = ContentLimits()


def read(path: Path, limits: ContentLimits = LIMITS) -> list[dict]:
    return list(read_text_jsonl(str(path), content_limits=limits))


def summary(records: list[dict]) -> list[tuple]:
    return [(r["origin"], r["path"], r["reason"], r["license"]) for r in records]


def write_copy(tmp_path: Path, name: str) -> Path:
    data = CORPUS.read_bytes()
    target = tmp_path / name
    if name.endswith(".gz"):
        target.write_bytes(gzip.compress(data))
    elif name.endswith(".zst"):
        target.write_bytes(zstandard.ZstdCompressor().compress(data))
    else:
        target.write_bytes(data)
    return target


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.jsonl.gz", "corpus.json.gz",
                                  "corpus.jsonl.zst"])
def test_plain_gzip_and_zstd_give_the_same_records(tmp_path, name):
    records = read(write_copy(tmp_path, name))
    assert summary(records) == [
        ("wiki", f"{name}#doc-1", None, "CC0-1.0"),
        (name, f"{name}#2", None, None),
        (name, f"{name}#42", None, "CC-BY-SA-4.0"),
        (name, f"{name}#doc-4", EMPTY, None),
        (name, f"{name}#6", INVALID_RECORD, None),
        (name, f"{name}#7", INVALID_RECORD, None),
        (name, f"{name}#doc-7", INVALID_RECORD, None),
        (name, f"{name}#doc-8", INVALID_RECORD, None),
        (name, f"{name}#doc-9", NUL_BYTES, None),
        (name, f"{name}#doc-10", INVALID_UTF8, None),
        (name, f"{name}#doc-11", None, "Apache-2.0"),
    ]


def test_document_fields(tmp_path):
    first = read(write_copy(tmp_path, "c.jsonl"))[0]
    assert first["content"] == "The quick brown fox jumps over the lazy dog.\n"
    assert (first["source"], first["language"], first["license_evidence"]) == (
        "text", "text", "metadata.license")
    assert first["size_bytes"] == len(first["content"].encode())


def test_reject_details_name_the_line(tmp_path):
    details = {r["path"]: r["detail"] for r in read(write_copy(tmp_path, "c.jsonl"))
               if r["reason"]}
    assert details["c.jsonl#6"].startswith("line 6: not valid JSON")
    assert details["c.jsonl#7"] == "line 7: a JSON list, expected an object"
    assert details["c.jsonl#doc-7"] == "line 8: no string 'text' field"
    assert details["c.jsonl#doc-10"] == "line 11: text has a lone surrogate at character 5"


def test_text_over_the_cap_is_too_large(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "é" * 60}) + "\n")
    [record] = read(path, ContentLimits(max_file_bytes=100))
    assert (record["reason"], record["size_bytes"]) == (TOO_LARGE, 120)
    assert record["detail"] == "line 1: text is 120 bytes, over the cap of 100 bytes"


def test_overlong_line_is_rejected_without_holding_it(tmp_path):
    path = tmp_path / "long.jsonl"
    with open(path, "w") as handle:
        handle.write(json.dumps({"text": "x" * 3_000_000}) + "\n")
        handle.write(json.dumps({"text": "after"}) + "\n")
    records = read(path, ContentLimits(max_file_bytes=10))
    assert [(r["path"], r["reason"]) for r in records] == [
        ("long.jsonl#1", TOO_LARGE), ("long.jsonl#2", None)]
    assert "line 1 is 3000012 bytes" in records[0]["detail"]


def test_invalid_utf8_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xff"}\n')
    assert [(r["path"], r["reason"]) for r in read(path)] == [
        ("bad.jsonl#1", None), ("bad.jsonl#2", INVALID_UTF8)]


def test_last_line_without_newline(tmp_path):
    path = tmp_path / "tail.jsonl"
    path.write_bytes(b'{"text": "one"}\n{"text": "two"}')
    assert [r["content"] for r in read(path)] == ["one", "two"]


def test_truncated_zstd_keeps_records_before_the_damage(tmp_path):
    buffer = io.BytesIO()
    writer = zstandard.ZstdCompressor().stream_writer(buffer, closefd=False)
    for i in range(2000):
        writer.write(json.dumps({"id": i, "text": f"row {i}"}).encode() + b"\n")
        if i % 100 == 99:  # end a block, so the first half of the file still decodes
            writer.flush(zstandard.FLUSH_BLOCK)
    writer.close()
    compressed = buffer.getvalue()
    path = tmp_path / "cut.jsonl.zst"
    path.write_bytes(compressed[: len(compressed) // 2])
    records = read(path)
    *documents, last = records
    assert documents and all(r["reason"] is None for r in documents)
    assert [r["path"] for r in documents] == [f"cut.jsonl.zst#{i}" for i in range(len(documents))]
    assert (last["path"], last["reason"]) == ("cut.jsonl.zst", CORRUPT_ARCHIVE)
    assert last["detail"] == (f"corrupt compressed stream after line {len(documents)}: zstd: "
                              "stream ends in the middle of a frame (truncated file)")


def test_truncated_gzip(tmp_path):
    data = gzip.compress(b"".join(b'{"text": "row %d"}\n' % i for i in range(20000)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    records = read(path)
    assert records[-1]["reason"] == CORRUPT_ARCHIVE
    assert records[-1]["detail"].startswith(
        f"corrupt compressed stream after line {len(records) - 1}: gzip:")
    assert len(records) > 1 and all(r["reason"] is None for r in records[:-1])


def test_garbage_with_zst_name(tmp_path):
    path = tmp_path / "junk.zst"
    path.write_bytes(b"this is not zstd at all\n" * 10)
    assert [(r["path"], r["reason"]) for r in read(path)] == [("junk.zst", CORRUPT_ARCHIVE)]


def test_concatenated_zstd_frames(tmp_path):
    cctx = zstandard.ZstdCompressor()
    path = tmp_path / "two.jsonl.zst"
    path.write_bytes(cctx.compress(b'{"text": "one"}\n') + cctx.compress(b'{"text": "two"}\n'))
    assert [r["content"] for r in read(path)] == ["one", "two"]


def test_missing_file_is_unreadable(tmp_path):
    assert [(r["path"], r["reason"]) for r in read(tmp_path / "nope.jsonl")] == [
        ("nope.jsonl", UNREADABLE)]
