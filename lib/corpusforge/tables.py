"""The warehouse's Delta tables: paths, schemas, idempotent writers, rejects, accounting.

Every table lives at ``<warehouse>/<layer>/<table>``. Writers MERGE by the table's key, so a
rerun on the same input leaves the same rows; each write is one Delta commit, so a run
killed halfway leaves whole table versions behind and a rerun finishes the job.
"""

from __future__ import annotations

from dataclasses import dataclass

from delta.tables import DeltaTable
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge.errors import AccountingError

S, L, I, B, D = T.StringType(), T.LongType(), T.IntegerType(), T.BooleanType(), T.DoubleType()


def _schema(*fields: tuple[str, T.DataType, bool]) -> T.StructType:
    return T.StructType([T.StructField(n, t, nullable) for n, t, nullable in fields])


@dataclass(frozen=True)
class TableSpec:
    """A table of the contract: where it lives, its columns, key and partitioning."""

    name: str
    schema: T.StructType
    keys: tuple[str, ...]
    partition_by: tuple[str, ...] = ()

    def path(self, warehouse: str) -> str:
        """Location of the table under ``warehouse``."""
        return f"{warehouse.rstrip('/')}/{self.name}"


BRONZE_DOCUMENTS = TableSpec(
    "bronze/documents",
    _schema(("doc_id", S, False), ("source", S, False), ("origin", S, False), ("path", S, False),
            ("language", S, True), ("license", S, True), ("license_evidence", S, True),
            ("content", S, False), ("content_sha256", S, False), ("size_bytes", L, False),
            ("run_id", S, False), ("bucket", I, False)),
    keys=("doc_id",), partition_by=("source", "bucket"))

REJECTS = TableSpec(
    "rejects",
    _schema(("doc_id", S, False), ("stage", S, False), ("reason", S, False), ("detail", S, True),
            ("source", S, True), ("origin", S, True), ("path", S, True), ("size_bytes", L, True),
            ("run_id", S, False)),
    keys=("stage", "doc_id"), partition_by=("stage",))

STAGE_RUNS = TableSpec(
    "meta/stage_runs",
    _schema(("run_id", S, False), ("stage", S, False), ("rows_in", L, False),
            ("rows_out", L, False), ("rows_rejected", L, False),
            ("reasons", T.MapType(S, L), True), ("table_versions", T.MapType(S, L), True),
            ("config_sha256", S, True)),
    keys=("run_id", "stage"))

# Later stages of the contract (schemas of their key columns; stages add columns freely).
SILVER_FILTERED = TableSpec("silver/filtered", BRONZE_DOCUMENTS.schema, ("doc_id",),
                            ("source", "bucket"))
DEDUP_CLUSTERS = TableSpec(
    "dedup/clusters",
    _schema(("doc_id", S, False), ("cluster_id", S, False), ("is_representative", B, False),
            ("similarity", D, True)), ("doc_id",))
SILVER_DEDUPED = TableSpec("silver/deduped", BRONZE_DOCUMENTS.schema, ("doc_id",),
                           ("source", "bucket"))
GOLD_DOCUMENTS = TableSpec(
    "gold/documents",
    _schema(("doc_id", S, False), ("content", S, False), ("original_sha256", S, False),
            ("rules_applied", T.ArrayType(S), False), ("framework_calls", I, False),
            ("category", S, False), ("valid", B, False)), ("doc_id",), ("category",))
GOLD_INSTRUCTIONS = TableSpec(
    "gold/instructions",
    _schema(("id", S, False), ("doc_id", S, False), ("kind", S, False),
            ("instruction", S, False), ("response", S, False)), ("id",))
GOLD_TOKENS = TableSpec(
    "gold/tokens",
    _schema(("doc_id", S, False), ("split", S, False), ("category", S, False),
            ("n_tokens", I, False), ("tokens", T.ArrayType(I), False)), ("doc_id",), ("split",))

TABLES: dict[str, TableSpec] = {t.name: t for t in (
    BRONZE_DOCUMENTS, REJECTS, STAGE_RUNS, SILVER_FILTERED, DEDUP_CLUSTERS, SILVER_DEDUPED,
    GOLD_DOCUMENTS, GOLD_INSTRUCTIONS, GOLD_TOKENS)}


def bucket_of(doc_id: Column, buckets: int) -> Column:
    """Deterministic hash bucket of a hex doc_id (its first 8 hex digits mod ``buckets``)."""
    return (F.conv(F.substring(doc_id, 1, 8), 16, 10).cast("long") % F.lit(buckets)).cast("int")


def table_exists(spark: SparkSession, warehouse: str, spec: TableSpec) -> bool:
    """True when the Delta table has been created."""
    return DeltaTable.isDeltaTable(spark, spec.path(warehouse))


def ensure_table(spark: SparkSession, warehouse: str, spec: TableSpec) -> DeltaTable:
    """Create the table (empty, with its schema and partitioning) if it does not exist."""
    builder = DeltaTable.createIfNotExists(spark).location(spec.path(warehouse)).addColumns(spec.schema)
    if spec.partition_by:
        builder = builder.partitionedBy(*spec.partition_by)
    return builder.execute()


def read_table(spark: SparkSession, warehouse: str, spec: TableSpec) -> DataFrame:
    """The table as a DataFrame."""
    return spark.read.format("delta").load(spec.path(warehouse))


def table_version(spark: SparkSession, warehouse: str, spec: TableSpec) -> int:
    """The table's latest Delta version."""
    return DeltaTable.forPath(spark, spec.path(warehouse)).history(1).first()["version"]


def _conform(df: DataFrame, spec: TableSpec) -> DataFrame:
    return df.select([F.col(f.name).cast(f.dataType).alias(f.name) for f in spec.schema.fields])


def _comparable(column: str, dtype: T.DataType) -> str:
    # Maps have no equality in Spark SQL; their JSON form (sorted by Spark) does.
    return f"to_json({column})" if isinstance(dtype, T.MapType) else column


def merge_rows(spark: SparkSession, warehouse: str, spec: TableSpec, rows: DataFrame,
               delete_keys: DataFrame | None = None, delete_condition: str | None = None) -> None:
    """Upsert ``rows`` by the table's key in one Delta commit.

    Rows equal to what is stored are left alone (a rerun writes nothing new). ``delete_keys``
    (key columns only) names rows that must no longer be in the table, e.g. documents this
    run rejected; ``delete_condition`` further restricts which target rows they remove.
    """
    if not table_exists(spark, warehouse, spec):
        # First write: nothing to match or delete, so a plain append (one commit) will do.
        writer = _conform(rows, spec).write.format("delta").mode("append")
        if spec.partition_by:
            writer = writer.partitionBy(*spec.partition_by)
        writer.save(spec.path(warehouse))
        return
    table = DeltaTable.forPath(spark, spec.path(warehouse))
    # Rows already stored as they are need no write: dropping them here keeps the files of
    # an unchanged rerun untouched (MERGE would rewrite every file holding a matched row).
    stored = table.toDF()
    same = [F.expr(_comparable(f"s.`{f.name}`", f.dataType)).eqNullSafe(
        F.expr(_comparable(f"t.`{f.name}`", f.dataType))) for f in spec.schema.fields]
    cond = same[0]
    for c in same[1:]:
        cond = cond & c
    source = (_conform(rows, spec).alias("s").join(stored.alias("t"), cond, "left_anti")
              .withColumn("_delete", F.lit(False)))
    if delete_keys is not None:
        deletes = delete_keys.select(*spec.keys).dropDuplicates()
        for f in spec.schema.fields:
            if f.name not in spec.keys:
                deletes = deletes.withColumn(f.name, F.lit(None).cast(f.dataType))
        source = source.unionByName(deletes.select(*spec.schema.names).withColumn("_delete", F.lit(True)))
    on = " AND ".join(f"t.`{k}` = s.`{k}`" for k in spec.keys)
    values = {f"`{n}`": f"s.`{n}`" for n in spec.schema.names}
    changed = " OR ".join(
        f"NOT ({_comparable(f't.`{f.name}`', f.dataType)} <=> {_comparable(f's.`{f.name}`', f.dataType)})"
        for f in spec.schema.fields if f.name not in spec.keys)
    delete_when = "s._delete" + (f" AND ({delete_condition})" if delete_condition else "")
    merge = table.alias("t").merge(source.alias("s"), on).whenMatchedDelete(condition=delete_when)
    if changed:
        merge = merge.whenMatchedUpdate(condition=f"NOT s._delete AND ({changed})", set=values)
    merge.whenNotMatchedInsert(condition="NOT s._delete", values=values).execute()


def split_rejects(records: DataFrame, *, stage: str, run_id: str,
                  reason_col: str = "reason", detail_col: str = "detail") -> tuple[DataFrame, DataFrame]:
    """The one way to drop rows: rows with a reason become rejects, the rest are kept.

    Returns ``(kept, rejects)``; ``kept`` loses the reason/detail columns, ``rejects`` has the
    ``rejects`` table's columns (stage, reason, detail, run_id, and provenance when present).
    """
    kept = records.where(F.col(reason_col).isNull()).drop(reason_col, detail_col)
    dropped = records.where(F.col(reason_col).isNotNull())
    cols = set(records.columns)
    rejects = dropped.select(
        F.col("doc_id"), F.lit(stage).alias("stage"), F.col(reason_col).alias("reason"),
        F.col(detail_col).alias("detail"),
        *[(F.col(c) if c in cols else F.lit(None).cast(t)).alias(c)
          for c, t in (("source", S), ("origin", S), ("path", S), ("size_bytes", L))],
        F.lit(run_id).alias("run_id"))
    return kept, rejects


def check_accounting(stage: str, rows_in: int, rows_out: int, rows_rejected: int) -> None:
    """Fail loudly unless rows in = rows out + rows rejected."""
    if rows_in != rows_out + rows_rejected:
        missing = rows_in - rows_out - rows_rejected
        raise AccountingError(
            f"rows in ({rows_in}) != rows out ({rows_out}) + rows rejected ({rows_rejected}); "
            f"{abs(missing)} row(s) {'lost' if missing > 0 else 'invented'}",
            stage=stage, hint="a stage must send every dropped row to rejects via split_rejects")


def record_stage_run(spark: SparkSession, warehouse: str, *, run_id: str, stage: str,
                     rows_in: int, rows_out: int, rows_rejected: int, reasons: dict[str, int],
                     table_versions: dict[str, int], config_sha256: str | None) -> None:
    """Store one stage's counts for a run in ``meta/stage_runs`` (MERGE by run and stage)."""
    row = [(run_id, stage, rows_in, rows_out, rows_rejected, reasons, table_versions, config_sha256)]
    merge_rows(spark, warehouse, STAGE_RUNS, spark.createDataFrame(row, STAGE_RUNS.schema))
