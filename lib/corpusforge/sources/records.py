"""The one record shape every reader yields: a document, or a reject with a reason.

Readers are plain Python that runs inside Spark executors; they never raise on bad
input, they yield a reject record instead, so nothing is lost and nothing crashes.
"""

from __future__ import annotations

import hashlib
from typing import Any

# Reason codes (short, stable: reports and users filter on them).
BINARY = "binary"
INVALID_UTF8 = "invalid_utf8"
NUL_BYTES = "nul_bytes"
EMPTY = "empty"
TOO_LARGE = "too_large"
MINIFIED = "minified"
SYMLINK = "symlink"
UNSUPPORTED_TYPE = "unsupported_type"
SKIPPED_DIR = "skipped_dir"
GITIGNORED = "gitignored"
PATH_TRAVERSAL = "path_traversal"
ABSOLUTE_PATH = "absolute_path"
SPECIAL_MEMBER = "special_member"
ARCHIVE_TOO_LARGE = "archive_too_large"
ARCHIVE_TOO_MANY_MEMBERS = "archive_too_many_members"
CORRUPT_ARCHIVE = "corrupt_archive"
UNREADABLE = "unreadable"
INVALID_RECORD = "invalid_record"
DUPLICATE_INPUT = "duplicate_input"

RECORD_FIELDS: tuple[str, ...] = (
    "doc_id", "source", "origin", "path", "language", "license", "license_evidence",
    "content", "content_sha256", "size_bytes", "reason", "detail",
)


def doc_id_for(source: str, origin: str, path: str) -> str:
    """Content-derived document id: sha256 hex of source, origin and path."""
    key = "\x00".join((source, origin, path)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()


def document_record(*, source: str, origin: str, path: str, content: str, language: str,
                    license: str | None, license_evidence: str | None,
                    size_bytes: int | None = None) -> dict[str, Any]:
    """A kept document; ``size_bytes`` defaults to the UTF-8 size of ``content``."""
    raw = content.encode("utf-8")
    return {
        "doc_id": doc_id_for(source, origin, path),
        "source": source, "origin": origin, "path": path, "language": language,
        "license": license, "license_evidence": license_evidence,
        "content": content, "content_sha256": hashlib.sha256(raw).hexdigest(),
        "size_bytes": len(raw) if size_bytes is None else size_bytes,
        "reason": None, "detail": None,
    }


def reject_record(*, source: str, origin: str, path: str, reason: str, detail: str,
                  size_bytes: int | None = None, license: str | None = None,
                  license_evidence: str | None = None,
                  language: str | None = None) -> dict[str, Any]:
    """A dropped input with its reason code and a human-readable detail."""
    return {
        "doc_id": doc_id_for(source, origin, path),
        "source": source, "origin": origin, "path": path, "language": language,
        "license": license, "license_evidence": license_evidence,
        "content": None, "content_sha256": None, "size_bytes": size_bytes,
        "reason": reason, "detail": detail,
    }


def is_reject(record: dict[str, Any]) -> bool:
    """True when the record is a reject."""
    return record["reason"] is not None
