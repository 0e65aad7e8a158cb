"""Accuracy against brute-force exact Jaccard on the same shingles (threshold 0.7)."""

from __future__ import annotations

import itertools

import pytest

from corpusforge import tables
from corpusforge.dedup.normalize import normalized_sha256
from corpusforge.dedup.shingles import jaccard, shingles

pytestmark = pytest.mark.spark

THRESHOLD = 0.7


def pair_accuracy(docs, members: list[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, float]:
    """Scores of a clustering (``members``: (doc_id, cluster_id) of documents in clusters).

    A true pair has Jaccard >= threshold or equal normalised content. ``recall``: true pairs
    that ended in one cluster. ``precision``: removals (member, kept representative) that are
    true pairs. ``cluster_pair_precision``: all pairs in one cluster that are true pairs
    (lower: clustering is transitive, two edits of one file may both match it but not each other).
    """
    sets = {d.doc_id: set(shingles(d.content)) for d in docs}
    norm = {d.doc_id: normalized_sha256(d.content, "tsx") for d in docs}

    def true_pair(a: str, b: str) -> bool:
        return norm[a] == norm[b] or jaccard(sets[a], sets[b]) >= threshold

    cluster = dict(members)
    truth = {(a, b) for a, b in itertools.combinations(sorted(sets), 2) if true_pair(a, b)}
    together = {(a, b) for a, b in itertools.combinations(sorted(cluster), 2) if cluster[a] == cluster[b]}
    removals = [(d, k) for d, k in members if d != k]
    return {"recall": len(truth & together) / len(truth),
            "precision": sum(true_pair(d, k) for d, k in removals) / len(removals),
            "cluster_pair_precision": len(truth & together) / len(together),
            "true_pairs": len(truth), "removals": len(removals)}


def test_recall_and_precision_of_pairs(spark, deduped):
    config, _, docs = deduped
    rows = tables.read_table(spark, config.warehouse, tables.DEDUP_CLUSTERS).select("doc_id", "cluster_id").collect()
    scores = pair_accuracy(docs, [(r["doc_id"], r["cluster_id"]) for r in rows])
    print(f"dedup accuracy at {THRESHOLD}: {scores}")
    assert scores["true_pairs"] >= 60
    assert scores["recall"] >= 0.95 and scores["precision"] >= 0.95
    assert scores["cluster_pair_precision"] >= 0.8
