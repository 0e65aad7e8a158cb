"""Decide whether raw file bytes are usable text, and decode them.

Every check returns a reason code from :mod:`corpusforge.sources.records` and a detail a
person can act on, so a reader can turn any bad input into a reject record.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from corpusforge.sources.records import (BINARY, EMPTY, INVALID_UTF8, MINIFIED, NUL_BYTES,
                                         TOO_LARGE)

UTF8_BOM = b"\xef\xbb\xbf"

# Paths whose content is measured for minification (prose and data are not).
CODE_EXTENSIONS = frozenset({".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts", ".css"})

# Extensions that are binary whatever their bytes, so listings can reject them unread.
BINARY_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".avif", ".tiff", ".psd",
    ".pdf", ".zip", ".jar", ".war", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar",
    ".tar", ".exe", ".dll", ".so", ".dylib", ".o", ".a", ".wasm", ".class", ".node",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".wav", ".ogg", ".webm",
    ".mov", ".avi", ".sqlite", ".db", ".bin", ".pyc",
})

MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP/jar archive"),
    (b"PK\x05\x06", "ZIP/jar archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh91AY&SY", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\x7fELF", "ELF executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"\xca\xfe\xba\xbe", "Java class file"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"\x00\x01\x00\x00\x00", "TrueType font"),
    (b"\x00\x00\x01\x00", "ICO image"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"OggS", "Ogg media"),
)

# C0 control bytes that never appear in text (tab, LF, VT, FF, CR and ESC do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.05


@dataclass(frozen=True)
class ContentLimits:
    """Caps applied to every file's bytes before it becomes a document."""

    max_file_bytes: int = 1_000_000
    max_line_length: int = 1_000
    minified_min_bytes: int = 2_000
    minified_mean_line_length: float = 300.0


def binary_kind(raw: bytes) -> str | None:
    """Name the binary format of ``raw`` (magic number or control-byte share), else None."""
    for magic, kind in MAGIC_NUMBERS:
        if raw.startswith(magic):
            return kind
    if raw[4:12] in (b"ftypisom", b"ftypmp42", b"ftypavif", b"ftypheic") or (
            raw.startswith(b"RIFF") and raw[8:12] in (b"WEBP", b"WAVE", b"AVI ")):
        return "media container"
    head = raw[:_SNIFF_BYTES]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return f"{controls} control bytes in the first {len(head)} bytes"
    return None


def has_binary_extension(path: str) -> bool:
    """True for paths whose extension always means binary content (.png, .wasm, ...)."""
    return posixpath.splitext(path.lower())[1] in BINARY_EXTENSIONS


def is_code_path(path: str) -> bool:
    """True for paths whose content is checked for minification."""
    return posixpath.splitext(path.lower())[1] in CODE_EXTENSIONS


def minified_detail(text: str, size_bytes: int, limits: ContentLimits) -> str | None:
    """Why ``text`` looks minified or bundled, or None when it looks hand-written."""
    if size_bytes < limits.minified_min_bytes:
        return None
    lines = text.splitlines() or [""]
    longest = max(len(line) for line in lines)
    mean = len(text) / len(lines)
    if longest > limits.max_line_length or mean > limits.minified_mean_line_length:
        return (f"looks minified: {size_bytes} bytes, longest line {longest} chars "
                f"(cap {limits.max_line_length}), mean line {mean:.1f} chars "
                f"(cap {limits.minified_mean_line_length:g})")
    return None


def decode_content(raw: bytes, path: str,
                   limits: ContentLimits) -> tuple[str | None, str | None, str | None]:
    """Return ``(text, None, None)`` for usable text, else ``(None, reason, detail)``.

    Checks, in order: EMPTY, TOO_LARGE, BINARY, NUL_BYTES, INVALID_UTF8, MINIFIED (code
    paths only). A UTF-8 BOM is stripped; the text is otherwise kept byte for byte.
    """
    size = len(raw)
    body = raw[len(UTF8_BOM):] if raw.startswith(UTF8_BOM) else raw
    if not body.strip():
        return None, EMPTY, f"{size} bytes, no non-whitespace content"
    if size > limits.max_file_bytes:
        return None, TOO_LARGE, f"{size} bytes, over the cap of {limits.max_file_bytes} bytes"
    kind = binary_kind(body)
    if kind is not None:
        return None, BINARY, f"binary content ({kind})"
    if b"\x00" in body:
        offset = body.index(b"\x00") + size - len(body)
        return None, NUL_BYTES, f"NUL byte at offset {offset} ({body.count(0)} in total)"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + size - len(body)
        line = body.count(b"\n", 0, err.start) + 1
        return None, INVALID_UTF8, (f"invalid UTF-8 at byte offset {offset} (line {line}, "
                                    f"byte 0x{body[err.start]:02x}): {err.reason}")
    if is_code_path(path):
        detail = minified_detail(text, size, limits)
        if detail is not None:
            return None, MINIFIED, detail
    return text, None, None
