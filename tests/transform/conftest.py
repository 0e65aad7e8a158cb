"""Fixtures for the transform tests: the shipped rule pack, loaded once; TypeScript's compiler."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpusforge.transform import RulePack, load_rulepack
from corpusforge.transform.typecheck import find_tsc

ROOT = Path(__file__).resolve().parents[2]
RULEPACK = ROOT / "conf" / "rules" / "dframe_once.yaml"
CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="session")
def pack() -> RulePack:
    return load_rulepack(RULEPACK)


@pytest.fixture(scope="session")
def tsc() -> Path:
    """``lib/tsc.js`` of the pinned TypeScript (fetched with npm pack once); skips without node."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    found = find_tsc()
    if found is None:
        pytest.skip("typescript could not be fetched with npm pack")
    return found
