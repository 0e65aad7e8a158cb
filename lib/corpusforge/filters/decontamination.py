"""Decontamination: drop documents that share a long token n-gram with an evaluation benchmark.

Benchmarks are JSONL files, one snippet per line (``{"benchmark": "humaneval", "id": …,
"text": …}``): prompts and canonical solutions. Every token n-gram of every snippet is
hashed (xxhash64) into one set per benchmark; a document that contains any of them is
contaminated. The sets are small (a benchmark has at most a few hundred thousand n-grams),
so they travel to the executors with the filter, built once on the driver.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xxhash

from corpusforge.errors import ConfigError

REASON_PREFIX = "decontaminated"

# Identifiers/numbers, or single punctuation characters: formatting changes do not matter.
_TOKEN = re.compile(r"[A-Za-z0-9_$]+|[^\sA-Za-z0-9_$]")


def tokens(text: str) -> list[str]:
    """Code-aware tokens of ``text`` (whitespace and layout ignored)."""
    return _TOKEN.findall(text)


def ngram_hashes(text: str, n: int) -> set[int]:
    """xxhash64 of every n-token window of ``text`` (none when it has fewer than n tokens)."""
    toks = tokens(text)
    return {xxhash.xxh64_intdigest("\x1f".join(toks[i:i + n]).encode("utf-8", "surrogatepass"))
            for i in range(len(toks) - n + 1)}


@dataclass(frozen=True)
class BenchmarkIndex:
    """The hashed n-grams of each benchmark."""

    n: int
    ngrams: dict[str, frozenset[int]] = field(default_factory=dict)

    def match(self, text: str) -> tuple[str, int] | None:
        """The first benchmark (by name) sharing an n-gram with ``text``, and how many it shares."""
        if not self.ngrams:
            return None
        doc = ngram_hashes(text, self.n)
        for name in sorted(self.ngrams):
            hits = len(doc & self.ngrams[name])
            if hits:
                return name, hits
        return None


def load_benchmarks(paths: Sequence[str], n: int) -> BenchmarkIndex:
    """Build the index from benchmark JSONL files; a bad file or line is a ConfigError."""
    grams: dict[str, set[int]] = {}
    for path in paths:
        file = Path(path).expanduser()
        if not file.is_file():
            raise ConfigError("benchmark file does not exist", path=path, stage="filter",
                              hint="fix filter.decontamination.benchmarks")
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                name, text = str(record["benchmark"]), str(record["text"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"line {number} is not a {{benchmark, text}} JSON object ({exc})",
                                  path=path, stage="filter") from None
            grams.setdefault(name, set()).update(ngram_hashes(text, n))
    return BenchmarkIndex(n, {k: frozenset(v) for k, v in grams.items()})


def decontamination_decision(text: str, index: BenchmarkIndex) -> tuple[str, str] | None:
    """``(reason, detail)`` when ``text`` overlaps a benchmark, else None."""
    hit = index.match(text)
    if hit is None:
        return None
    name, hits = hit
    return f"{REASON_PREFIX}:{name}", f"{hits} shared {index.n}-token n-gram(s) with benchmark {name}"


def snippets_from(records: Iterable[dict], benchmark: str, fields: Sequence[str]) -> list[dict]:
    """Turn rows of a public benchmark (e.g. HumanEval's prompt/canonical_solution) into snippets."""
    return [{"benchmark": benchmark, "id": r.get("task_id", i), "text": "\n".join(str(r[f]) for f in fields if r.get(f))}
            for i, r in enumerate(records)]
