"""Connected components over Spark against networkx."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from corpusforge.dedup.components import connected_components

pytestmark = pytest.mark.spark


def test_chains_stars_cliques_and_random_graphs_match_networkx(spark):
    rng = random.Random(1)
    parts = [nx.path_graph(48), nx.star_graph(25), nx.complete_graph(9), nx.cycle_graph(17),
             nx.gnp_random_graph(70, 0.03, seed=2), nx.gnm_random_graph(120, 100, seed=3), nx.balanced_tree(2, 4)]
    graph = nx.disjoint_union_all(parts)
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    # Random hex labels, so that id order says nothing about the structure.
    graph = nx.relabel_nodes(graph, {n: f"{rng.getrandbits(64):016x}" for n in graph.nodes})
    edges = spark.createDataFrame(list(graph.edges), "src string, dst string")

    rows = connected_components(edges).collect()

    groups: dict[str, set[str]] = {}
    for r in rows:
        groups.setdefault(r["component"], set()).add(r["node"])
    assert len(rows) == graph.number_of_nodes()  # one row per node
    assert all(root == min(members) for root, members in groups.items())
    assert {frozenset(m) for m in groups.values()} == {frozenset(c) for c in nx.connected_components(graph)}


def test_self_loops_repeated_edges_and_integer_ids(spark):
    edges = spark.createDataFrame([(7, 3), (3, 7), (3, 7), (5, 5), (9, 1), (1, 1), (9, 12), (12, 20)],
                                  "src long, dst long")
    got = {(r["node"], r["component"]) for r in connected_components(edges).collect()}
    assert got == {(3, 3), (7, 3), (5, 5), (1, 1), (9, 1), (12, 1), (20, 1)}
