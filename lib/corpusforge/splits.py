"""Deterministic train/val/test assignment by origin, so no origin straddles two splits."""

from __future__ import annotations

import xxhash

from corpusforge.config import SplitSettings
from corpusforge.errors import ConfigError

SPLITS = ("train", "val", "test")


def check_ratios(settings: SplitSettings) -> None:
    """Fail unless the split ratios add up to 1."""
    total = settings.train + settings.val + settings.test
    if abs(total - 1.0) > 1e-9:
        raise ConfigError(f"split ratios add up to {total}, not 1", stage="splits",
                          hint="set splits.train + splits.val + splits.test = 1")


def unit_hash(key: str, seed: int) -> float:
    """A uniform number in [0, 1) from ``key`` and ``seed`` (xxh64), stable across runs."""
    return xxhash.xxh64_intdigest(key.encode("utf-8"), seed=seed) / 2.0**64


def split_of(origin: str, settings: SplitSettings) -> str:
    """The split every document of ``origin`` (repository or package) belongs to."""
    u = unit_hash(origin, settings.seed)
    if u < settings.train:
        return "train"
    if u < settings.train + settings.val:
        return "val"
    return "test"
