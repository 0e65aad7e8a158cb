"""The shard file formats besides Megatron's: Arrow IPC streams and zstd-compressed JSON lines."""

from __future__ import annotations

import json

import pyarrow as pa
import zstandard

ARROW_SCHEMA = pa.schema([("input_ids", pa.list_(pa.int32())), ("doc_id", pa.string()),
                          ("category", pa.string())])


class ArrowWriter:
    """One ``.arrow`` file (IPC stream format, what ``datasets.Dataset.from_file`` reads)."""

    def __init__(self, path: str, batch_rows: int = 1024) -> None:
        self._sink = pa.OSFile(path, "wb")
        self._writer = pa.ipc.new_stream(self._sink, ARROW_SCHEMA)
        self._rows: list[tuple[list[int], str | None, str | None]] = []
        self._batch_rows = batch_rows

    def add(self, input_ids: list[int], doc_id: str | None, category: str | None) -> None:
        """Add one row (packed rows have no single doc_id/category: None)."""
        self._rows.append((input_ids, doc_id, category))
        if len(self._rows) >= self._batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            ids, docs, cats = zip(*self._rows)
            self._writer.write_batch(pa.record_batch(
                [pa.array(ids, pa.list_(pa.int32())), pa.array(docs, pa.string()), pa.array(cats, pa.string())],
                schema=ARROW_SCHEMA))
            self._rows = []

    def close(self) -> None:
        """Flush and close the stream."""
        self._flush()
        self._writer.close()
        self._sink.close()


class JsonlZstWriter:
    """One ``.jsonl.zst`` file: a JSON object per document (its text and provenance)."""

    def __init__(self, path: str, level: int = 10) -> None:
        self._file = open(path, "wb")
        # Single-threaded compression: the same input gives the same bytes.
        self._stream = zstandard.ZstdCompressor(level=level, threads=0).stream_writer(self._file)

    def add(self, record: dict) -> None:
        """Write one record as a line of JSON (keys sorted)."""
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        self._stream.write(line.encode("utf-8"))

    def close(self) -> None:
        """Finish the zstd frame and close the file."""
        self._stream.close()
