"""Stream natural-language JSONL corpora (Dolma/RedPajama style), plain, gzip or zstd.

Files are read in bounded chunks and split into lines here, so neither a whole file nor
an oversized line is ever held in memory.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from typing import Any, BinaryIO, Iterator

import zstandard

from corpusforge.sources.content import ContentLimits
from corpusforge.sources.licenses import normalize_license
from corpusforge.sources.records import (CORRUPT_ARCHIVE, EMPTY, INVALID_RECORD, INVALID_UTF8,
                                         NUL_BYTES, TOO_LARGE, UNREADABLE, document_record,
                                         reject_record)

_CHUNK_BYTES = 1 << 16
# zstd can expand a few bytes into a 128 KiB block, so compressed input is fed in small
# pieces to keep each decompressed chunk bounded.
_ZSTD_INPUT_BYTES = 2048
# A JSON line may escape text (\uXXXX is 6 bytes for 1) and carry metadata.
_LINE_ESCAPE_FACTOR = 6
_LINE_SLACK_BYTES = 1 << 20


class _CorruptStream(Exception):
    """The compressed stream is damaged or ends early."""


def _plain_chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK_BYTES):
        yield chunk


def _gzip_chunks(handle: BinaryIO) -> Iterator[bytes]:
    try:
        with gzip.GzipFile(fileobj=handle, mode="rb") as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                yield chunk
    except (OSError, EOFError, zlib.error) as err:
        raise _CorruptStream(f"gzip: {err}") from None


def _zstd_chunks(handle: BinaryIO) -> Iterator[bytes]:
    # The stream reader of zstandard returns a silent EOF on a truncated frame; a
    # decompressobj exposes whether the frame really ended.
    dctx = zstandard.ZstdDecompressor()
    dobj, fed = dctx.decompressobj(), False
    try:
        while data := handle.read(_ZSTD_INPUT_BYTES):
            while data:
                out = dobj.decompress(data)
                fed = True
                if out:
                    yield out
                if not dobj.eof:
                    break
                data = dobj.unused_data  # concatenated frames
                dobj, fed = dctx.decompressobj(), False
    except zstandard.ZstdError as err:
        raise _CorruptStream(f"zstd: {err}") from None
    if fed and not dobj.eof:
        raise _CorruptStream("zstd: stream ends in the middle of a frame (truncated file)")


def _chunks(path: str, handle: BinaryIO) -> Iterator[bytes]:
    lower = path.lower()
    if lower.endswith(".gz"):
        return _gzip_chunks(handle)
    if lower.endswith((".zst", ".zstd")):
        return _zstd_chunks(handle)
    return _plain_chunks(handle)


def _lines(chunks: Iterator[bytes], max_line_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """``(line, size)`` per line; ``line`` is None when it is longer than the cap."""
    buffer = bytearray()
    overflow = 0  # bytes of the current line already dropped for being over the cap
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if overflow:
                overflow += len(piece)
            else:
                buffer += piece
                if len(buffer) > max_line_bytes:
                    overflow = len(buffer)
                    buffer.clear()
            if end < 0:
                break
            yield (None, overflow) if overflow else (bytes(buffer), len(buffer))
            buffer.clear()
            overflow, start = 0, end + 1
    if overflow:
        yield None, overflow
    elif buffer:
        yield bytes(buffer), len(buffer)


def _record_id(value: Any, line_number: int) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(line_number)


def _line_record(line: bytes, line_number: int, base: str, source: str,
                 limits: ContentLimits) -> dict:
    """Document or reject record for one JSON line."""
    def reject(reason: str, detail: str, origin: str = base, path: str | None = None,
               size: int | None = None) -> dict:
        return reject_record(source=source, origin=origin,
                             path=path or f"{base}#{line_number}", reason=reason,
                             detail=f"line {line_number}: {detail}", size_bytes=size)

    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as err:
        return reject(INVALID_UTF8, f"invalid UTF-8 at byte {err.start} of the line")
    try:
        obj = json.loads(decoded)
    except (ValueError, RecursionError) as err:
        return reject(INVALID_RECORD, f"not valid JSON ({err})"[:300])
    if not isinstance(obj, dict):
        return reject(INVALID_RECORD, f"a JSON {type(obj).__name__}, expected an object")
    text = obj.get("text")
    record_source = obj.get("source")
    origin = record_source if isinstance(record_source, str) and record_source else base
    path = f"{base}#{_record_id(obj.get('id'), line_number)}"
    if not isinstance(text, str):
        return reject(INVALID_RECORD, "no string 'text' field", origin, path)
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as err:
        return reject(INVALID_UTF8, f"text has a lone surrogate at character {err.start}",
                      origin, path)
    if not text.strip():
        return reject(EMPTY, "empty text", origin, path, len(raw))
    if len(raw) > limits.max_file_bytes:
        return reject(TOO_LARGE, f"text is {len(raw)} bytes, over the cap of "
                      f"{limits.max_file_bytes} bytes", origin, path, len(raw))
    if "\x00" in text:
        return reject(NUL_BYTES, f"NUL character at offset {text.index(chr(0))}", origin,
                      path, len(raw))
    metadata = obj.get("metadata")
    license_value = metadata.get("license") if isinstance(metadata, dict) else None
    spdx = normalize_license(license_value)
    return document_record(source=source, origin=origin, path=path, content=text,
                           language="text", license=spdx,
                           license_evidence="metadata.license" if spdx else None)


def read_text_jsonl(path: str, *, source: str = "text",
                    content_limits: ContentLimits) -> Iterator[dict]:
    """Yield a document or reject record per line of a .jsonl, .jsonl.gz or .jsonl.zst file.

    Each line is an object with ``text`` (required), ``id``, ``source`` and ``metadata``
    (``metadata.license`` is normalised to SPDX). Blank lines are skipped. A damaged
    compressed stream ends the file with one CORRUPT_ARCHIVE reject after the records
    read so far.
    """
    base = os.path.basename(path)
    max_line = _LINE_ESCAPE_FACTOR * content_limits.max_file_bytes + _LINE_SLACK_BYTES
    line_number = 0
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield reject_record(source=source, origin=base, path=base, reason=UNREADABLE,
                            detail=f"cannot open: {err}")
        return
    with handle:
        try:
            for line, size in _lines(_chunks(path, handle), max_line):
                line_number += 1
                if line is None:
                    yield reject_record(
                        source=source, origin=base, path=f"{base}#{line_number}",
                        reason=TOO_LARGE, size_bytes=size,
                        detail=f"line {line_number} is {size} bytes, over the line cap "
                        f"of {max_line} bytes")
                elif line.strip():
                    yield _line_record(line, line_number, base, source, content_limits)
        except _CorruptStream as err:
            yield reject_record(source=source, origin=base, path=base, reason=CORRUPT_ARCHIVE,
                                detail=f"corrupt compressed stream after line {line_number}: "
                                f"{err}")
        except OSError as err:
            yield reject_record(source=source, origin=base, path=base, reason=UNREADABLE,
                                detail=f"read failed after line {line_number}: {err}")
