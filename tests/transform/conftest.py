"""Fixtures for the transform tests: the shipped rule pack, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusforge.transform import RulePack, load_rulepack

ROOT = Path(__file__).resolve().parents[2]
RULEPACK = ROOT / "conf" / "rules" / "dframe_once.yaml"
CASES = Path(__file__).parent / "cases"


@pytest.fixture(scope="session")
def pack() -> RulePack:
    return load_rulepack(RULEPACK)
