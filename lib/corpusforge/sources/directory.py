"""List a local directory or git checkout on the driver; read each listed file in executors.

Listing decides everything that needs the tree as a whole (origins, licenses, .gitignore,
skipped directories, symlinks, size caps) and hands executors a list of plain
:class:`ListedFile` values. Nothing here runs git or any program from the checkout.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from typing import Any, Sequence

from pathspec import GitIgnoreSpec

from corpusforge.errors import InputError
from corpusforge.sources.content import ContentLimits, decode_content, has_binary_extension
from corpusforge.sources.language import detect_language, has_node_shebang
from corpusforge.sources.licenses import is_license_file, license_for_origin
from corpusforge.sources.records import (BINARY, GITIGNORED, SKIPPED_DIR, SYMLINK, TOO_LARGE,
                                         UNREADABLE, UNSUPPORTED_TYPE, document_record,
                                         reject_record)

DEFAULT_SKIP_DIRS: tuple[str, ...] = (
    "node_modules", "dist", "build", "out", "coverage", "vendor", "vendors", ".next",
    ".nuxt", ".cache", "bower_components", "__generated__", "generated", ".git",
)
# Metadata files read on the driver (package.json, LICENSE, .gitignore, git refs) are
# small; anything bigger is not trusted.
_MAX_METADATA_BYTES = 1_000_000
_MAX_REF_BYTES = 4096
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class ListedFile:
    """One file to read: where it is on disk and what the listing learnt about it."""

    origin: str
    path: str
    location: str
    license: str | None
    license_evidence: str | None
    size_bytes: int


@dataclass
class _Tree:
    """What one walk found, keyed by paths relative to the input root ("" is the root)."""

    files: dict[str, int] = field(default_factory=dict)
    rejects: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    origin_dirs: set[str] = field(default_factory=lambda: {""})


@dataclass(frozen=True)
class _Origin:
    name: str
    license: str | None
    evidence: str | None


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def _read_small(path: str, limit: int, *, head_only: bool = False) -> bytes | None:
    """Bytes of a regular, non-symlink file of at most ``limit`` bytes, else None.

    With ``head_only`` a bigger file gives its first ``limit`` bytes instead.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or (info.st_size > limit and not head_only):
            return None
        return handle.read(limit)


def _count_files(path: str) -> int:
    """Non-directory entries below ``path``, without following symlinks."""
    count, stack = 0, [path]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        count += 1
        except OSError:
            continue
    return count


def _load_gitignore(path: str) -> GitIgnoreSpec | None:
    raw = _read_small(path, _MAX_METADATA_BYTES)
    if raw is None:
        return None
    lines = raw.decode("utf-8", "replace").splitlines()
    try:
        return GitIgnoreSpec.from_lines(lines)
    except ValueError:
        # git skips a pattern it cannot parse ("!" alone, a trailing "\\"); so do we.
        return GitIgnoreSpec.from_lines([line for line in lines if _valid_pattern(line)])


def _valid_pattern(line: str) -> bool:
    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def _ignored_by(rel: str, is_dir: bool,
                specs: Sequence[tuple[str, GitIgnoreSpec]]) -> str | None:
    """The .gitignore that ignores ``rel``, or None. Deeper files override shallower ones."""
    for base, spec in reversed(specs):
        sub = rel[len(base) + 1:] if base else rel
        result = spec.check_file(sub + "/" if is_dir else sub)
        if result.include is not None:
            return _join(base, ".gitignore") if result.include else None
    return None


def _walk(root: str, skip_dirs: frozenset[str]) -> _Tree:
    tree = _Tree()
    stack: list[tuple[str, tuple[tuple[str, GitIgnoreSpec], ...]]] = [("", ())]
    while stack:
        rel_dir, specs = stack.pop()
        abs_dir = os.path.join(root, rel_dir)
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            where = rel_dir + "/" if rel_dir else "."
            tree.rejects.append((where, UNREADABLE, f"cannot list directory: {err}", None))
            continue
        names = {e.name: e for e in entries}
        gitignore = names.get(".gitignore")
        if gitignore is not None and gitignore.is_file(follow_symlinks=False):
            spec = _load_gitignore(gitignore.path)
            if spec is not None:
                specs = specs + ((rel_dir, spec),)
        if rel_dir and (".git" in names or _is_regular(names.get("package.json"))):
            tree.origin_dirs.add(rel_dir)
        subdirs = []
        for entry in entries:
            rel = _join(rel_dir, entry.name)
            reject = _classify(entry, rel, specs, skip_dirs)
            if reject is not None:
                tree.rejects.append(reject)
            elif entry.is_dir(follow_symlinks=False):
                subdirs.append((rel, specs))
            else:
                try:
                    tree.files[rel] = entry.stat(follow_symlinks=False).st_size
                except OSError as err:
                    tree.rejects.append((rel, UNREADABLE, f"cannot stat: {err}", None))
        stack.extend(reversed(subdirs))
    return tree


def _is_regular(entry: os.DirEntry | None) -> bool:
    return entry is not None and entry.is_file(follow_symlinks=False)


def _classify(entry: os.DirEntry, rel: str, specs: Sequence[tuple[str, GitIgnoreSpec]],
              skip_dirs: frozenset[str]) -> tuple[str, str, str, int | None] | None:
    """A pending reject for an entry that must not be read, else None."""
    if entry.is_symlink():
        try:
            target = os.readlink(entry.path)
        except OSError as err:
            target = f"unreadable target ({err})"
        return rel, SYMLINK, f"symlink to {target}; links are never followed", None
    if entry.is_dir(follow_symlinks=False):
        if entry.name in skip_dirs or entry.name == ".git":
            return (rel + "/", SKIPPED_DIR,
                    f"{entry.name}/ skipped ({_count_files(entry.path)} files)", None)
        ignored_by = _ignored_by(rel, True, specs)
        if ignored_by is not None:
            return (rel + "/", GITIGNORED,
                    f"{entry.name}/ ignored by {ignored_by} ({_count_files(entry.path)} files)",
                    None)
        return None
    if not entry.is_file(follow_symlinks=False):
        return rel, UNSUPPORTED_TYPE, f"not a regular file ({_file_kind(entry)})", None
    ignored_by = _ignored_by(rel, False, specs)
    if ignored_by is not None:
        return rel, GITIGNORED, f"ignored by {ignored_by}", None
    return None


def _file_kind(entry: os.DirEntry) -> str:
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return "unknown"
    for test, kind in ((stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return kind
    return "unknown"


def _git_dir(checkout: str) -> str | None:
    """The git directory of a checkout: ``.git`` itself or a ``gitdir:`` file's target."""
    dot_git = os.path.join(checkout, ".git")
    if os.path.isdir(dot_git) and not os.path.islink(dot_git):
        return dot_git
    raw = _read_small(dot_git, _MAX_REF_BYTES)
    if raw is None:
        return None
    text = raw.decode("utf-8", "replace").strip()
    if not text.startswith("gitdir:"):
        return None
    return os.path.normpath(os.path.join(checkout, text[len("gitdir:"):].strip()))


def _resolve_ref(git_dir: str, ref: str) -> str | None:
    if ".." in ref.split("/") or not ref.startswith("refs/"):
        return None
    raw = _read_small(os.path.join(git_dir, *ref.split("/")), _MAX_REF_BYTES)
    if raw is not None:
        sha = raw.decode("ascii", "replace").strip()
        return sha if _SHA.match(sha) else None
    packed = os.path.join(git_dir, "packed-refs")
    try:
        fd = os.open(packed, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        for line in handle:
            parts = line.decode("utf-8", "replace").split()
            if len(parts) == 2 and parts[1] == ref and _SHA.match(parts[0]):
                return parts[0]
    return None


def read_git_commit(checkout: str) -> str | None:
    """Commit sha checked out in ``checkout``, read from .git files (git is never run)."""
    git_dir = _git_dir(checkout)
    if git_dir is None:
        return None
    raw = _read_small(os.path.join(git_dir, "HEAD"), _MAX_REF_BYTES)
    if raw is None:
        return None
    head = raw.decode("utf-8", "replace").strip()
    if _SHA.match(head):
        return head
    if not head.startswith("ref:"):
        return None
    ref = head[len("ref:"):].strip()
    sha = _resolve_ref(git_dir, ref)
    if sha is None:
        # Linked worktrees keep shared refs in the common directory.
        common = _read_small(os.path.join(git_dir, "commondir"), _MAX_REF_BYTES)
        if common is not None:
            common_dir = os.path.join(git_dir, common.decode("utf-8", "replace").strip())
            sha = _resolve_ref(os.path.normpath(common_dir), ref)
    return sha


def _package_json(path: str) -> dict[str, Any] | None:
    raw = _read_small(path, _MAX_METADATA_BYTES)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def package_origin(package_json: dict[str, Any] | None) -> str | None:
    """``name@version`` (or ``name``) from a parsed package.json, else None."""
    if not isinstance(package_json, dict):
        return None
    name, version = package_json.get("name"), package_json.get("version")
    if not isinstance(name, str) or not name.strip() or len(name) > 214 or "\n" in name:
        return None
    if isinstance(version, str) and version.strip() and len(version) <= 256:
        return f"{name.strip()}@{version.strip()}"
    return name.strip()


def _origin_name(root: str, rel_dir: str, package_json: dict[str, Any] | None) -> str:
    from_package = package_origin(package_json)
    if from_package is not None:
        return from_package
    abs_dir = os.path.join(root, rel_dir)
    commit = read_git_commit(abs_dir)
    if commit is not None:
        return f"{os.path.basename(os.path.normpath(abs_dir))}@{commit[:12]}"
    base = os.path.basename(os.path.normpath(root))
    return _join(base, rel_dir) if rel_dir else base


def _license_files(root: str, rel_dir: str, files: dict[str, int]) -> dict[str, str]:
    found = {}
    for rel in files:
        parent, name = posixpath.split(rel)
        if parent == rel_dir and is_license_file(name):
            raw = _read_small(os.path.join(root, rel), _MAX_METADATA_BYTES)
            if raw is not None:
                found[name] = raw.decode("utf-8", "replace")
    return found


def _origins(root: str, tree: _Tree) -> dict[str, _Origin]:
    """Name and license of every origin root; ancestors are resolved before descendants."""
    origins: dict[str, _Origin] = {}
    for rel_dir in sorted(tree.origin_dirs):
        package_rel = _join(rel_dir, "package.json")
        package_json = (_package_json(os.path.join(root, package_rel))
                        if package_rel in tree.files else None)
        spdx, evidence = license_for_origin(package_json,
                                            _license_files(root, rel_dir, tree.files))
        if spdx is None:
            spdx, evidence = _inherited_license(rel_dir, origins)
        origins[rel_dir] = _Origin(_origin_name(root, rel_dir, package_json), spdx, evidence)
    return origins


def _inherited_license(rel_dir: str,
                       origins: dict[str, _Origin]) -> tuple[str | None, str | None]:
    """The nearest ancestor origin's license, its evidence re-expressed from ``rel_dir``."""
    ancestor = _parent_origin(rel_dir, origins)
    if ancestor is None or origins[ancestor].license is None:
        return None, None
    found = origins[ancestor]
    up = posixpath.relpath(ancestor or ".", rel_dir)
    return found.license, posixpath.normpath(posixpath.join(up, found.evidence or ""))


def _parent_origin(rel: str, origins: dict[str, Any]) -> str | None:
    """Nearest origin root strictly above ``rel``."""
    while rel:
        rel = posixpath.dirname(rel.rstrip("/"))
        if rel in origins:
            return rel
    return None


def _origin_of(rel: str, origin_dirs: dict[str, Any]) -> str:
    """Nearest origin root at or above the directory holding ``rel``."""
    parent = _parent_origin(rel, origin_dirs)
    return "" if parent is None else parent


def _relative_to(rel: str, origin_dir: str) -> str:
    return rel[len(origin_dir) + 1:] if origin_dir else rel


def _language_at_listing(root: str, rel: str) -> str | None:
    language = detect_language(rel)
    if language is None and "." not in posixpath.basename(rel):
        head = _read_small(os.path.join(root, rel), 200, head_only=True) or b""
        if has_node_shebang(head):
            return "javascript"
    return language


def list_directory(root: str, *, source: str, skip_dirs: Sequence[str] = DEFAULT_SKIP_DIRS,
                   max_file_bytes: int) -> tuple[list[ListedFile], list[dict]]:
    """Files under ``root`` to read, and the reject records made while listing them.

    Symlinks, skipped and git-ignored directories and files, unsupported types and files
    over ``max_file_bytes`` become rejects here and are never read. Each file belongs to
    its nearest origin root (the input root, or a directory with a package.json or .git)
    and carries that origin's license, inherited from an ancestor origin when it has none.
    Raises InputError when ``root`` is not a readable directory.
    """
    abs_root = os.path.abspath(root)
    if not os.path.isdir(abs_root):
        raise InputError("input directory does not exist or is not a directory",
                         stage="ingest", path=root, hint="pass dir:PATH with an existing folder")
    tree = _walk(abs_root, frozenset(skip_dirs))
    origins = _origins(abs_root, tree)
    listed: list[ListedFile] = []
    rejects: list[dict] = []

    def reject(rel: str, reason: str, detail: str, size: int | None,
               language: str | None = None) -> None:
        origin_dir = _origin_of(rel.rstrip("/"), origins)
        origin = origins[origin_dir]
        rejects.append(reject_record(
            source=source, origin=origin.name, path=_relative_to(rel, origin_dir),
            reason=reason, detail=detail, size_bytes=size, license=origin.license,
            license_evidence=origin.evidence, language=language))

    for rel, reason, detail, size in tree.rejects:
        reject(rel, reason, detail, size)
    for rel, size in tree.files.items():
        language = _language_at_listing(abs_root, rel)
        if language is None and has_binary_extension(rel):
            reject(rel, BINARY, f"binary file type ({posixpath.splitext(rel)[1]}), not read",
                   size)
        elif language is None:
            reject(rel, UNSUPPORTED_TYPE,
                   f"unsupported file type ({posixpath.splitext(rel)[1] or 'no extension'})",
                   size)
        elif size > max_file_bytes:
            reject(rel, TOO_LARGE, f"{size} bytes, over the cap of {max_file_bytes} bytes",
                   size, language)
        else:
            origin_dir = _origin_of(rel, origins)
            origin = origins[origin_dir]
            listed.append(ListedFile(
                origin=origin.name, path=_relative_to(rel, origin_dir),
                location=os.path.join(abs_root, *rel.split("/")), license=origin.license,
                license_evidence=origin.evidence, size_bytes=size))
    listed.sort(key=lambda item: (item.origin, item.path))
    rejects.sort(key=lambda record: (record["origin"], record["path"], record["reason"]))
    return listed, rejects


def _open_listed(item: ListedFile) -> tuple[Any, os.stat_result]:
    fd = os.open(item.location, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    handle = os.fdopen(fd, "rb")
    return handle, os.fstat(handle.fileno())


def read_listed_file(item: ListedFile, *, source: str, limits: ContentLimits) -> dict:
    """Read one listed file into a document record, or a reject record if it is unusable.

    Runs in executors; the file is re-checked because it may have changed since listing:
    a symlink swapped in is refused, and a file over the cap is never read.
    """
    common = dict(source=source, origin=item.origin, path=item.path, license=item.license,
                  license_evidence=item.license_evidence)
    try:
        handle, info = _open_listed(item)
    except OSError as err:
        if err.errno == errno.ELOOP or os.path.islink(item.location):
            target = _safe_readlink(item.location)
            return reject_record(**common, reason=SYMLINK,
                                 detail=f"symlink to {target}; links are never followed")
        return reject_record(**common, reason=UNREADABLE, detail=f"cannot open: {err}")
    with handle:
        if not stat.S_ISREG(info.st_mode):
            return reject_record(**common, reason=UNSUPPORTED_TYPE,
                                 detail="not a regular file any more")
        if info.st_size > limits.max_file_bytes:
            return _too_large(common, info.st_size, limits)
        try:
            raw = handle.read(limits.max_file_bytes + 1)
        except OSError as err:
            return reject_record(**common, reason=UNREADABLE, detail=f"cannot read: {err}")
    text, reason, detail = decode_content(raw, item.path, limits)
    language = detect_language(item.path, text)
    if reason is not None:
        return reject_record(**common, reason=reason, detail=detail, size_bytes=len(raw),
                             language=language)
    if language is None:
        return reject_record(**common, reason=UNSUPPORTED_TYPE, detail="unsupported file type",
                             size_bytes=len(raw))
    return document_record(**common, content=text, language=language)


def _too_large(common: dict, size: int, limits: ContentLimits) -> dict:
    return reject_record(**common, reason=TOO_LARGE, size_bytes=size,
                         detail=f"{size} bytes, over the cap of {limits.max_file_bytes} bytes")


def _safe_readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError as err:
        return f"unreadable target ({err})"
