"""Fetch npm package tarballs into a local cache with ``npm pack`` (never ``npm install``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile

from corpusforge.errors import InputError

NPM_TIMEOUT_S = 180
_NAME = r"(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*"
_VERSION = r"\d+\.\d+\.\d+(?:-[0-9a-z.-]+)?(?:\+[0-9a-z.-]+)?"
_SPEC = re.compile(rf"^({_NAME})@({_VERSION})$", re.IGNORECASE)
_STDERR_TAIL_CHARS = 1500


def parse_npm_spec(spec: str) -> tuple[str, str]:
    """Split ``name@version`` or ``@scope/name@version`` into (name, version).

    The version must be exact (``1.2.3``, ``1.2.3-beta.1``) so fetches are reproducible.
    Raises InputError naming the spec and the expected form.
    """
    match = _SPEC.match(spec.strip()) if isinstance(spec, str) else None
    if match is None or len(match.group(1)) > 214:
        raise InputError(f"bad npm package spec {spec!r}: expected name@version or "
                         "@scope/name@version with an exact version, e.g. is-number@7.0.0",
                         stage="ingest", hint="write --input npm:NAME@X.Y.Z")
    return match.group(1), match.group(2)


def tarball_file_name(name: str, version: str) -> str:
    """The file name ``npm pack`` gives a package: ``@scope/name`` becomes ``scope-name``."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def _stderr_tail(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return (text or "").strip()[-_STDERR_TAIL_CHARS:]


def _run_npm_pack(npm: str, spec: str, destination: str) -> subprocess.CompletedProcess:
    argv = [npm, "pack", spec, "--pack-destination", destination, "--ignore-scripts",
            "--json"]
    try:
        return subprocess.run(argv, cwd=destination, capture_output=True, text=True,
                              timeout=NPM_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as err:
        raise InputError(f"npm pack timed out after {NPM_TIMEOUT_S} s: "
                         f"{_stderr_tail(err.stderr)}", stage="ingest", path=spec,
                         hint="check the network and the npm registry settings") from None
    except OSError as err:
        raise InputError(f"cannot run npm: {err}", stage="ingest", path=spec,
                         hint="install Node.js/npm or pass a local .tgz path") from None


def _packed_file(result: subprocess.CompletedProcess, destination: str) -> str | None:
    try:
        reported = json.loads(result.stdout)
        name = reported[0]["filename"]
    except (ValueError, LookupError, TypeError):
        name = None
    if isinstance(name, str):
        candidate = os.path.join(destination, os.path.basename(name.replace("/", "-")))
        if os.path.isfile(candidate):
            return candidate
    tgz = sorted(f for f in os.listdir(destination) if f.endswith(".tgz"))
    return os.path.join(destination, tgz[0]) if len(tgz) == 1 else None


def fetch_npm_tarball(spec: str, cache_dir: str) -> str:
    """Path of the cached tarball for ``spec``, fetched with ``npm pack`` when missing.

    Lifecycle scripts are never run. Raises InputError when npm is missing, the package
    or version does not exist, or npm fails (with the tail of npm's stderr).
    """
    name, version = parse_npm_spec(spec)
    cached = os.path.join(cache_dir, tarball_file_name(name, version))
    if os.path.isfile(cached):
        return cached
    npm = shutil.which("npm")
    if npm is None:
        raise InputError("npm is not installed or not on PATH", stage="ingest", path=spec,
                         hint="install Node.js/npm or pass a local .tgz path")
    os.makedirs(cache_dir, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".pack-", dir=cache_dir)
    try:
        result = _run_npm_pack(npm, f"{name}@{version}", staging)
        if result.returncode != 0:
            raise InputError(f"npm pack failed (exit {result.returncode}): "
                             f"{_stderr_tail(result.stderr)}", stage="ingest", path=spec,
                             hint="check the package name and version on the registry")
        packed = _packed_file(result, staging)
        if packed is None:
            raise InputError("npm pack reported success but wrote no single .tgz",
                             stage="ingest", path=spec)
        # Same filesystem as the cache, so the rename is atomic: readers never see a
        # half-written tarball.
        os.replace(packed, cached)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return cached
