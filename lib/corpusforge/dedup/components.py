"""Connected components in DataFrame operations: alternating large-star / small-star.

Kiveris et al., "Connected Components in MapReduce and Beyond" (SoCC 2014). Edges are kept
oriented from the larger node id to the smaller. *Large-star* links every neighbour larger
than a node to the smallest node of its neighbourhood; *small-star* links a node and its
smaller neighbours to the smallest of them. Both keep connectivity and shrink paths, and the
rounds end when the edges form stars: every node points at one root that points nowhere,
the smallest id of its component. It takes O(log n) rounds, each a few shuffles of the edge
list only (never of the documents). Each round's edges are checkpointed so the query plan
stays one round deep: ``checkpoint`` when the SparkContext has a checkpoint directory (safe
with executors coming and going), else ``localCheckpoint``.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import Window
from pyspark.sql import functions as F

from corpusforge.errors import CorpusforgeError

MAX_ROUNDS = 64


def cut_lineage(df: DataFrame) -> DataFrame:
    """``df`` computed now and its plan cut there (checkpointed when the SparkContext has a
    checkpoint directory, else kept on the executors with ``localCheckpoint``)."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _large_star(edges: DataFrame) -> DataFrame:
    both = edges.unionByName(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
    smallest = F.least(F.col("u"), F.min("v").over(Window.partitionBy("u")))
    return (both.withColumn("m", smallest).where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct())


def _small_star(edges: DataFrame) -> DataFrame:
    # Edges point from larger to smaller ids: a node's out-edges are its smaller neighbours.
    # Each edge (u, v) becomes (v, m) and (u, m), m the smallest of u's out-neighbours.
    m = F.min("v").over(Window.partitionBy("u"))
    pairs = F.array(F.struct(F.col("v").alias("u"), F.col("m").alias("v")),
                    F.struct(F.col("u").alias("u"), F.col("m").alias("v")))
    return (edges.withColumn("m", m).select(F.explode(pairs).alias("e")).select("e.u", "e.v")
            .where(F.col("u") != F.col("v")).distinct())


def _is_star_forest(edges: DataFrame) -> bool:
    """Every node has one out-edge, to a node without out-edges (one Spark job)."""
    sources = edges.select(F.col("u").alias("v"), F.lit(1).alias("points_on")).distinct()
    stats = (edges.join(sources, "v", "left")
             .agg(F.count("*").alias("edges"), F.countDistinct("u").alias("nodes"),
                  F.count("points_on").alias("chained")).first())
    return stats["chained"] == 0 and stats["edges"] == stats["nodes"]


def connected_components(edges: DataFrame, src: str = "src", dst: str = "dst") -> DataFrame:
    """``(node, component)`` for every node of an undirected edge list; ``component`` is the
    smallest node id of the node's component. Self-loops and repeated edges are allowed;
    ids may be of any orderable type."""
    current = cut_lineage(
        edges.select(F.greatest(src, dst).alias("u"), F.least(src, dst).alias("v"))
        .where(F.col("u").isNotNull() & F.col("v").isNotNull() & (F.col("u") != F.col("v"))).distinct())
    self_loops = edges.select(F.col(src).alias("node")).where(F.col(src) == F.col(dst))
    for _ in range(MAX_ROUNDS):
        if _is_star_forest(current):
            break
        current = cut_lineage(_small_star(_large_star(current)))
    else:
        raise CorpusforgeError(f"connected components did not converge in {MAX_ROUNDS} rounds",
                               stage="dedup", hint="report this: large-star/small-star needs O(log n) rounds")
    links = current
    roots = links.select(F.col("v").alias("node"), F.col("v").alias("component"))
    # A node seen only in self-loops is a component of its own.
    alone = (self_loops.join(links.select(F.col("u").alias("node")), "node", "left_anti")
             .join(roots.select("node"), "node", "left_anti")
             .select("node", F.col("node").alias("component")))
    return (links.select(F.col("u").alias("node"), F.col("v").alias("component"))
            .unionByName(roots).unionByName(alone).distinct())
