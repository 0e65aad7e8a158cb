from pathlib import Path

import pytest

from corpusforge.sources.content import ContentLimits, decode_content, has_binary_extension
from corpusforge.sources.records import (BINARY, EMPTY, INVALID_UTF8, MINIFIED, NUL_BYTES,
                                         TOO_LARGE)

SAMPLES_BAD = Path(__file__).resolve().parents[2] / "samples" / "bad"
LIMITS = ContentLimits()


def reason_of(raw: bytes, path: str = "src/a.ts", limits: ContentLimits = LIMITS) -> str | None:
    return decode_content(raw, path, limits)[1]


def test_plain_text_is_kept_byte_for_byte():
    raw = b"const a = 1;\r\n\tconst b = '\xc3\xa9';\n\n"
    assert decode_content(raw, "a.ts", LIMITS) == ("const a = 1;\r\n\tconst b = 'é';\n\n",
                                                   None, None)


def test_utf8_bom_is_stripped():
    assert decode_content(b"\xef\xbb\xbfexport {};\n", "a.ts", LIMITS)[0] == "export {};\n"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf\n"])
def test_empty_or_whitespace_only(raw):
    text, reason, detail = decode_content(raw, "a.ts", LIMITS)
    assert (text, reason) == (None, EMPTY)
    assert f"{len(raw)} bytes" in detail


def test_too_large_names_size_and_cap():
    text, reason, detail = decode_content(b"x" * 101, "a.txt", ContentLimits(max_file_bytes=100))
    assert (text, reason) == (None, TOO_LARGE)
    assert "101 bytes" in detail and "100 bytes" in detail


def test_too_large_is_checked_before_binary():
    png = (SAMPLES_BAD / "binary.png").read_bytes()
    assert reason_of(png, "a.png", ContentLimits(max_file_bytes=10)) == TOO_LARGE


@pytest.mark.parametrize("raw, kind", [
    ((SAMPLES_BAD / "binary.png").read_bytes(), "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"GIF89a\x01\x00", "GIF image"),
    (b"%PDF-1.7\n%binary", "PDF document"),
    (b"PK\x03\x04\x14\x00", "ZIP/jar archive"),
    (b"\x1f\x8b\x08\x00", "gzip data"),
    (b"\x7fELF\x02\x01\x01", "ELF executable"),
    (b"\x00asm\x01\x00\x00\x00", "WebAssembly module"),
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "Java class file"),
])
def test_binary_by_magic_number(raw, kind):
    text, reason, detail = decode_content(raw, "file.ts", LIMITS)
    assert (text, reason) == (None, BINARY)
    assert kind in detail


def test_binary_by_share_of_control_bytes():
    raw = bytes(range(256)) * 8  # no magic number; 27 of 256 bytes are control bytes
    text, reason, detail = decode_content(raw, "blob.ts", LIMITS)
    assert reason == BINARY and "control bytes in the first 2048 bytes" in detail


def test_utf16_text_is_binary_not_nul_bytes():
    assert reason_of("export const a = 1;\n".encode("utf-16-le")) == BINARY


def test_escape_sequences_and_mz_prefix_are_text():
    assert reason_of(b"\x1b[31mred\x1b[0m log line\n", "log.txt") is None
    assert reason_of(b"MZ is not an executable here\n", "notes.txt") is None


def test_nul_bytes_sample():
    raw = (SAMPLES_BAD / "nul_bytes.ts").read_bytes()
    text, reason, detail = decode_content(raw, "nul_bytes.ts", LIMITS)
    assert (text, reason) == (None, NUL_BYTES)
    assert f"offset {raw.index(0)}" in detail


def test_invalid_utf8_sample_names_the_offset():
    raw = (SAMPLES_BAD / "invalid_utf8.ts").read_bytes()
    text, reason, detail = decode_content(raw, "invalid_utf8.ts", LIMITS)
    assert (text, reason) == (None, INVALID_UTF8)
    offset = raw.index(0xFF)
    assert f"byte offset {offset}" in detail and "line 3" in detail


def test_invalid_utf8_offset_counts_the_bom():
    _, reason, detail = decode_content(b"\xef\xbb\xbfab\xc3(", "a.ts", LIMITS)
    assert reason == INVALID_UTF8 and "byte offset 5" in detail


def test_encoded_surrogates_are_invalid_utf8():
    assert reason_of(b"const s = '\xed\xa0\x80';\n") == INVALID_UTF8


def test_minified_sample_by_longest_line():
    raw = (SAMPLES_BAD / "minified.bundle.js").read_bytes()
    text, reason, detail = decode_content(raw, "minified.bundle.js", LIMITS)
    assert (text, reason) == (None, MINIFIED)
    assert f"longest line {len(raw) - 1} chars (cap 1000)" in detail


def test_minified_by_mean_line_length_only():
    raw = (("x" * 350 + "\n") * 10).encode()  # every line under 1000, mean 351
    _, reason, detail = decode_content(raw, "app.css", LIMITS)
    assert reason == MINIFIED and "mean line 351.0 chars (cap 300)" in detail


def test_minified_checks_only_code_and_only_from_the_minimum_size():
    long_line = ("word " * 1200).encode()
    assert reason_of(long_line, "docs/notes.md") is None
    assert reason_of(long_line, "data.json") is None
    assert reason_of(b"a" * 1500, "small.min.js") is None  # under minified_min_bytes
    assert reason_of(long_line, "src/x.TSX") == MINIFIED


def test_binary_extensions():
    assert has_binary_extension("img/logo.PNG") and has_binary_extension("lib/a.wasm")
    assert not has_binary_extension("src/png.ts")
