"""Read an npm package tarball in memory: members are checked, never extracted to disk.

Hostile archives (path traversal, absolute names, links, devices, tar bombs, corrupt or
truncated streams) become reject records; no member is ever written anywhere.
"""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import zlib
from dataclasses import dataclass
from typing import Any, Iterator

from corpusforge.sources.content import ContentLimits, decode_content
from corpusforge.sources.directory import package_origin
from corpusforge.sources.language import detect_language
from corpusforge.sources.licenses import is_license_file, license_for_origin
from corpusforge.sources.records import (ABSOLUTE_PATH, ARCHIVE_TOO_LARGE,
                                         ARCHIVE_TOO_MANY_MEMBERS, CORRUPT_ARCHIVE,
                                         DUPLICATE_INPUT, PATH_TRAVERSAL, SPECIAL_MEMBER,
                                         TOO_LARGE, UNREADABLE, UNSUPPORTED_TYPE,
                                         document_record, reject_record)

# Errors tarfile, gzip and zlib raise on corrupt or truncated input.
_ARCHIVE_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError, ValueError)
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps on one archive, checked on member headers before any content is read."""

    max_members: int = 20_000
    max_total_bytes: int = 200_000_000
    max_member_bytes: int = 5_000_000


class _ArchiveRejected(Exception):
    """Pass 1 found a whole-archive problem: ``reason`` and ``detail`` say which."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _one_line(err: BaseException) -> str:
    return "; ".join(line.strip("- ") for line in str(err).splitlines() if line.strip())


def _scan_headers(archive: tarfile.TarFile, limits: ArchiveLimits) -> list[tarfile.TarInfo]:
    """All member headers, stopping as soon as a cap is crossed (content is not read)."""
    members: list[tarfile.TarInfo] = []
    total = 0
    while True:
        member = archive.next()
        if member is None:
            return members
        members.append(member)
        total += max(member.size, 0)
        if len(members) > limits.max_members:
            raise _ArchiveRejected(ARCHIVE_TOO_MANY_MEMBERS,
                                   f"more than {limits.max_members} members")
        if total > limits.max_total_bytes:
            raise _ArchiveRejected(
                ARCHIVE_TOO_LARGE, f"declared sizes reach {total} bytes after {len(members)} "
                f"members, over the cap of {limits.max_total_bytes} bytes (tar bomb?)")


def _strip_top(name: str) -> str:
    """Member name without npm's top folder (``package/``), as a posix path."""
    name = name.replace("\\", "/")
    return name.split("/", 1)[1] if "/" in name else name


def _member_problem(member: tarfile.TarInfo) -> tuple[str, str] | None:
    """(reason, detail) for a member that must not be read, else None."""
    name = member.name
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return PATH_TRAVERSAL, f"member name {name!r} climbs out of the archive with '..'"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return ABSOLUTE_PATH, f"member name {name!r} is an absolute path"
    if member.issym():
        return SPECIAL_MEMBER, f"symlink member pointing to {member.linkname!r}"
    if member.islnk():
        return SPECIAL_MEMBER, f"hardlink member pointing to {member.linkname!r}"
    if member.ischr():
        return SPECIAL_MEMBER, f"character device member ({member.devmajor},{member.devminor})"
    if member.isblk():
        return SPECIAL_MEMBER, f"block device member ({member.devmajor},{member.devminor})"
    if member.isfifo():
        return SPECIAL_MEMBER, "fifo member"
    if not member.isreg() and not member.isdir():
        return SPECIAL_MEMBER, f"unsupported member type {member.type!r}"
    return None


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = archive.extractfile(member)
    return handle.read() if handle is not None else b""


def _package_metadata(archive: tarfile.TarFile, members: list[tarfile.TarInfo],
                      cap: int) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """package.json and top-level LICENSE* texts of the package (small regular files only)."""
    package_json: dict[str, Any] | None = None
    license_files: dict[str, str] = {}
    for member in members:
        path = _strip_top(member.name)
        wanted = path == "package.json" or ("/" not in path and is_license_file(path))
        if not wanted or _member_problem(member) or not member.isreg() or member.size > cap:
            continue
        raw = _read_member(archive, member)
        if path == "package.json":
            try:
                parsed = json.loads(raw.decode("utf-8-sig"))
            except ValueError:
                continue
            package_json = parsed if isinstance(parsed, dict) else None
        else:
            license_files[path] = raw.decode("utf-8", "replace")
    return package_json, license_files


def _member_record(archive: tarfile.TarFile, member: tarfile.TarInfo, common: dict,
                   path: str, content_limits: ContentLimits,
                   archive_limits: ArchiveLimits) -> dict:
    cap = min(archive_limits.max_member_bytes, content_limits.max_file_bytes)
    if member.size > cap:
        return reject_record(**common, path=path, reason=TOO_LARGE, size_bytes=member.size,
                             detail=f"{member.size} bytes, over the cap of {cap} bytes")
    raw = _read_member(archive, member)
    text, reason, detail = decode_content(raw, path, content_limits)
    language = detect_language(path, text)
    if reason is not None:
        return reject_record(**common, path=path, reason=reason, detail=detail,
                             size_bytes=len(raw), language=language)
    if language is None:
        return reject_record(**common, path=path, reason=UNSUPPORTED_TYPE,
                             size_bytes=len(raw), detail="unsupported file type "
                             f"({os.path.splitext(path)[1] or 'no extension'})")
    return document_record(**common, path=path, content=text, language=language)


def _member_records(archive: tarfile.TarFile, members: list[tarfile.TarInfo], common: dict,
                    content_limits: ContentLimits,
                    archive_limits: ArchiveLimits) -> Iterator[dict]:
    seen: set[str] = set()
    for member in members:
        path = _strip_top(member.name)
        problem = _member_problem(member)
        if problem is not None:
            if problem[0] == ABSOLUTE_PATH:
                # Stripping a "top folder" from "/tmp/x" would hide what the name was.
                path = member.name.replace("\\", "/")
            yield reject_record(**common, path=path, reason=problem[0], detail=problem[1])
            continue
        if member.isdir():
            continue
        if path in seen:
            yield reject_record(**common, path=path, reason=DUPLICATE_INPUT,
                                detail=f"member {member.name!r} appears again; first kept")
            continue
        seen.add(path)
        yield _member_record(archive, member, common, path, content_limits, archive_limits)


def read_npm_tarball(path: str, *, source: str = "npm", origin: str | None = None,
                     content_limits: ContentLimits,
                     archive_limits: ArchiveLimits) -> Iterator[dict]:
    """Yield a document or reject record for every member of an npm ``.tgz``.

    The archive is read in memory and never extracted. Whole-archive problems (too many
    members, declared sizes over the cap, corrupt or truncated data) give one reject with
    ``origin`` (default: the archive file name). Member records take their origin from
    ``package.json`` (``name@version``), else ``origin``, else the archive file name.
    """
    archive_name = os.path.basename(path)
    fallback = origin or archive_name

    def archive_reject(reason: str, detail: str) -> dict:
        return reject_record(source=source, origin=fallback, path=archive_name,
                             reason=reason, detail=detail)

    try:
        size = os.stat(path).st_size
        if size > archive_limits.max_total_bytes:
            yield archive_reject(ARCHIVE_TOO_LARGE, f"compressed size {size} bytes is over "
                                 f"the cap of {archive_limits.max_total_bytes} bytes")
            return
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        yield archive_reject(UNREADABLE, f"cannot read archive: {err}")
        return
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
        members = _scan_headers(archive, archive_limits)
        package_json, license_files = _package_metadata(
            archive, members, min(archive_limits.max_member_bytes, 1_000_000))
    except _ArchiveRejected as rejected:
        yield archive_reject(rejected.reason, rejected.detail)
        return
    except _ARCHIVE_ERRORS as err:
        yield archive_reject(CORRUPT_ARCHIVE, f"corrupt or truncated archive: "
                             f"{type(err).__name__}: {_one_line(err)}")
        return
    spdx, evidence = license_for_origin(package_json, license_files)
    common = dict(source=source, origin=package_origin(package_json) or fallback,
                  license=spdx, license_evidence=evidence)
    try:
        yield from _member_records(archive, members, common, content_limits, archive_limits)
    except _ARCHIVE_ERRORS as err:
        # Headers were intact but member data is not: records already yielded stand.
        yield archive_reject(CORRUPT_ARCHIVE, f"corrupt member data: {type(err).__name__}: "
                             f"{_one_line(err)}")
