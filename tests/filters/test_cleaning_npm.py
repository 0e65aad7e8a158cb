"""Cleaning real npm package sources: nothing changes meaning, and every step finds work."""

from __future__ import annotations

import os
import shutil
from collections import Counter

import pytest

from corpusforge.errors import InputError
from corpusforge.filters.cleaning import CLEANED_LANGUAGES, KEPT_ORIGINAL, CleaningPolicy, clean_document, same_code
from corpusforge.sources.content import ContentLimits
from corpusforge.sources.npm import fetch_npm_tarball
from corpusforge.sources.tarball import ArchiveLimits, read_npm_tarball
from corpusforge.transform.parsing import grammar_for

CACHE = os.path.expanduser("~/.cache/corpusforge/npm")
# Chosen for what they hold: BSD/MIT headers (uuid's md5, React's "@license" builds),
# commented-out code (react-table, swr, react-use), CRLF sources with JSX (@reduxjs/toolkit),
# bundler banners and source-map pragmas (all of them).
PACKAGES = ("uuid@9.0.1", "use-sync-external-store@1.2.2", "@tanstack/react-table@8.20.5",
            "swr@2.2.5", "react-use@17.5.1", "@reduxjs/toolkit@2.2.7")


@pytest.mark.network
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_cleaning_real_packages_keeps_every_tree():
    docs = []
    for spec in PACKAGES:
        try:
            tarball = fetch_npm_tarball(spec, CACHE)
        except InputError as exc:  # registry unreachable: nothing to check
            pytest.skip(f"npm pack {spec} failed: {exc}")
        docs += [r for r in read_npm_tarball(tarball, content_limits=ContentLimits(),
                                             archive_limits=ArchiveLimits())
                 if r["reason"] is None and r["language"] in CLEANED_LANGUAGES]
    policy = CleaningPolicy()
    steps: Counter[str] = Counter()
    for doc in docs:
        out = clean_document(doc["content"], doc["path"], doc["language"], policy)
        steps.update(out.counts.keys())
        assert KEPT_ORIGINAL not in out.counts, doc["path"]
        if out.content != doc["content"] and "unparsed" not in out.counts:
            assert same_code(doc["content"], out.content, grammar_for(doc["path"], doc["language"])), doc["path"]
            again = clean_document(out.content, doc["path"], doc["language"], policy)
            assert again.content == out.content, doc["path"]
        if out.license_header:
            assert out.license_header.lstrip().startswith(("/*", "//"))
    print(f"{len(docs)} files: {dict(sorted(steps.items()))}")
    assert len(docs) > 800
    for step in ("line_endings", "license_header", "banners", "commented_code", "blank_lines",
                 "trailing_whitespace"):
        assert steps[step] > 0, step
