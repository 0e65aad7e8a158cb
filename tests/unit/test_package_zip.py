"""The --py-files zip: named by content, reused, old versions pruned."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from corpusforge.package_zip import build_zip

ROOT = Path(__file__).resolve().parents[2]


def _lib(tmp_path: Path, body: str) -> Path:
    package = tmp_path / "lib" / "corpusforge"
    (package / "__pycache__").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(body)
    (package / "__pycache__" / "x.pyc").write_bytes(b"cache")
    return tmp_path / "lib"


def test_same_content_same_zip_and_caches_left_out(tmp_path):
    lib, out = _lib(tmp_path, "X = 1\n"), tmp_path / "build"
    first = build_zip(lib, out)
    assert build_zip(lib, out) == first
    assert zipfile.ZipFile(first).namelist() == ["corpusforge/__init__.py"]
    changed = build_zip(_lib(tmp_path, "X = 2\n"), out)
    assert changed != first and first.exists()  # a recent version stays: a job may use it


def test_versions_unused_for_two_days_are_pruned(tmp_path):
    out = tmp_path / "build"
    old = build_zip(_lib(tmp_path, "X = 1\n"), out)
    recent = build_zip(_lib(tmp_path, "X = 2\n"), out)
    three_days_ago = time.time() - 3 * 86400
    os.utime(old, (three_days_ago, three_days_ago))
    other = out / "unrelated.zip"
    other.write_bytes(b"")
    os.utime(other, (three_days_ago, three_days_ago))
    current = build_zip(_lib(tmp_path, "X = 3\n"), out)
    assert not old.exists() and recent.exists() and current.exists() and other.exists()


def test_the_real_package_zips_without_caches(tmp_path):
    built = build_zip(ROOT / "lib", tmp_path)
    names = zipfile.ZipFile(built).namelist()
    assert "corpusforge/package_zip.py" in names and not any("__pycache__" in n for n in names)
