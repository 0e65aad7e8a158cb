"""Shared setup for the reader tests: the `network` marker and the repo root on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# tests/fixtures/hostile_archives.py is imported as tests.fixtures.* from the repo root.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "network: talks to the npm registry; skipped when npm is not installed")
