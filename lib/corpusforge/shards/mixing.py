"""Mix the tokenized corpus to a budget: how many copies of each document the train split gets.

A category group (framework-style, or public code and text) with ``A`` tokens available and
a target of ``T`` tokens is repeated ``T / A`` times: every document ``floor(T/A)`` times,
plus once more for a prefix of the documents in a hash order, chosen so the group's tokens
land as close to ``T`` as whole documents allow. The prefix is found from per-bucket sums
(a few thousand rows) and one bucket's rows, so nothing proportional to the corpus reaches
the driver.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from corpusforge.corpus import FRAMEWORK_STYLE

GROUPS = {"framework_style": FRAMEWORK_STYLE, "public": ("public", "text")}
BUCKETS = 4096


def unit_hash(key: Column, seed: int) -> Column:
    """Uniform [0, 1) from a column (Spark's xxhash64 with ``seed``), stable across runs."""
    bits = F.xxhash64(F.lit(seed), key).bitwiseAND(F.lit((1 << 53) - 1))
    return bits.cast("double") / F.lit(float(1 << 53))


def group_of(category: Column) -> Column:
    """The mixing group of a category column."""
    return F.when(category.isin(*FRAMEWORK_STYLE), F.lit("framework_style")).otherwise(F.lit("public"))


@dataclass(frozen=True)
class GroupMix:
    """How one group is mixed: its target, what is available, and the copies rule."""

    group: str
    target_tokens: int
    available_tokens: int
    full_copies: int
    partial_cut: float  # documents with unit hash <= cut get one more copy (-1: none)
    partial_extra: tuple[str, ...]  # and these documents too
    mixed_tokens: int

    @property
    def repeat(self) -> float:
        return self.mixed_tokens / self.available_tokens if self.available_tokens else 0.0


def scaled_targets(total_tokens: float, share: float, available: dict[str, int],
                   caps: dict[str, float]) -> tuple[dict[str, int], float]:
    """Token targets per group for ``total_tokens`` at ``share`` framework-style.

    When a group cannot reach its target within its repeat cap, every target shrinks by the
    same factor, so the proportions stay exact; that factor is returned too (1.0 = met).
    """
    wanted = {"framework_style": total_tokens * share, "public": total_tokens * (1 - share)}
    factor = 1.0
    for group, want in wanted.items():
        if want > 0:
            factor = min(factor, available.get(group, 0) * caps[group] / want)
    return {g: int(round(w * factor)) for g, w in wanted.items()}, factor


def choose_partial(buckets: list[tuple[int, int, int]], need: int, fetch_rows,
                   max_rows: int = 50_000) -> tuple[float, list[str], int]:
    """Which documents get the extra copy so a group's tokens land on ``need`` (or just under).

    ``buckets``: (bucket, tokens, rows) of every non-empty hash bucket; ``fetch_rows(lo, hi)``:
    the (unit hash, doc_id, tokens) rows of buckets lo..hi-1. Whole buckets are taken in hash
    order while they fit (a cut on the unit hash); in the next buckets (at most ``max_rows``
    rows) documents are added in hash order whenever they still fit. Returns the cut (-1.0:
    no whole bucket), the doc_ids added one by one, and the tokens chosen.
    """
    if need <= 0:
        return -1.0, [], 0
    ordered = sorted(buckets)
    before, cut, i = 0, -1.0, 0
    while i < len(ordered) and before + ordered[i][1] <= need:
        before += ordered[i][1]
        cut = math.nextafter((ordered[i][0] + 1) / BUCKETS, 0.0)
        i += 1
    extras: list[str] = []
    if i < len(ordered) and before < need:
        rows, j = 0, i
        while j < len(ordered) and (j == i or rows + ordered[j][2] <= max_rows):
            rows += ordered[j][2]
            j += 1
        hi = ordered[j][0] if j < len(ordered) else BUCKETS
        for _, doc_id, n in sorted(fetch_rows(ordered[i][0], hi)):
            if before + n <= need:
                extras.append(doc_id)
                before += n
                if before == need:
                    break
    return cut, extras, before


def plan_group(docs: DataFrame, group: str, target: int) -> GroupMix:
    """The copies rule for one group of ``docs`` (columns ``doc_id``, ``u``, ``n_tokens``, ``mix_group``)."""
    rows = docs.where(F.col("mix_group") == group)
    available = rows.agg(F.sum("n_tokens")).first()[0] or 0
    if available == 0 or target == 0:
        return GroupMix(group, target, int(available), 0, -1.0, (), 0)
    full = target // available
    bucketed = rows.withColumn("b", F.floor(F.col("u") * BUCKETS).cast("int"))
    sums = [(r["b"], int(r["t"]), r["n"]) for r in
            bucketed.groupBy("b").agg(F.sum("n_tokens").alias("t"), F.count("*").alias("n")).collect()]

    def fetch_rows(lo: int, hi: int) -> list[tuple[float, str, int]]:
        return [(r["u"], r["doc_id"], r["n_tokens"]) for r in
                bucketed.where((F.col("b") >= lo) & (F.col("b") < hi)).select("u", "doc_id", "n_tokens").collect()]

    cut, extras, partial = choose_partial(sums, target - full * available, fetch_rows)
    return GroupMix(group, target, int(available), int(full), cut, tuple(extras),
                    int(full * available + partial))


def copies_column(mixes: dict[str, GroupMix]) -> Column:
    """Copies of each document (columns ``mix_group`` and ``u``) under the groups' rules."""
    expr = F.lit(0)
    for group, mix in mixes.items():
        extra = (F.col("u") <= F.lit(mix.partial_cut))
        if mix.partial_extra:
            extra = extra | F.col("doc_id").isin(*mix.partial_extra)
        copies = F.lit(mix.full_copies) + extra.cast("int")
        expr = F.when(F.col("mix_group") == group, copies).otherwise(expr)
    return expr


def shard_count(tokens: int, shard_tokens: int) -> int:
    """How many shard files ``tokens`` make at ``shard_tokens`` each (at least one)."""
    return max(1, math.ceil(tokens / shard_tokens))
