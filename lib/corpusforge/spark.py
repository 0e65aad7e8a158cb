"""The one SparkSession builder every job, test and notebook uses."""

from __future__ import annotations

import os
import sys

from pyspark.sql import DataFrame, SparkSession

from corpusforge.config import SparkSettings
from corpusforge.jars import resolve_jars
from corpusforge.preflight import check_java  # noqa: F401  (re-exported: notebooks call it)


def _under_spark_submit() -> bool:
    # spark-submit starts the JVM first and hands Python the gateway port.
    return "PYSPARK_GATEWAY_PORT" in os.environ


def session_conf(settings: SparkSettings) -> dict[str, str]:
    """The Spark settings corpusforge needs, as plain key/value pairs."""
    conf = {
        "spark.app.name": settings.app_name,
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(settings.arrow_max_records_per_batch),
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.databricks.delta.snapshotPartitions": str(settings.delta_snapshot_partitions),
        "spark.ui.enabled": str(settings.ui).lower(),
        "spark.ui.showConsoleProgress": "false",
        "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    }
    conf.update(settings.extra_conf)
    return conf


def build_session(settings: SparkSettings, master: str | None = None) -> SparkSession:
    """Build (or get) the SparkSession with Delta Lake and Spark NLP loaded.

    The master is, in order: ``master``, ``$MASTER``, what spark-submit set, ``settings.master``.
    Outside spark-submit the jars are resolved (cached) and put on ``spark.jars``.
    """
    builder = SparkSession.builder
    for key, value in session_conf(settings).items():
        builder = builder.config(key, value)
    chosen = master or os.environ.get("MASTER")
    if _under_spark_submit():
        if chosen:
            builder = builder.master(chosen)
    else:
        check_java()
        builder = builder.master(chosen or settings.master)
        builder = builder.config("spark.driver.memory", settings.driver_memory)
        # Python workers must see the same environment (and corpusforge) as this driver;
        # PySpark reads the worker interpreter from this variable only.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        jars = resolve_jars(settings.jars)
        if jars:
            builder = builder.config("spark.jars", ",".join(jars))
        elif settings.jars.mode == "packages":
            builder = builder.config("spark.jars.packages", ",".join(settings.jars.packages))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(settings.log_level)
    if settings.checkpoint_dir:
        spark.sparkContext.setCheckpointDir(settings.checkpoint_dir)
    return spark


def spread(df: DataFrame, per_core: int = 4) -> DataFrame:
    """``df`` with at least ``per_core`` partitions per core of the session, for the passes
    whose Python work per row dwarfs the cost of a shuffle (filter, transform, encode).

    A small table is read as a few uneven file splits: on 2 cores, 5 splits run as 2 + 2 + 1
    and one core idles through the last wave. A large table has far more splits than
    cores and is left as it is (no shuffle)."""
    target = df.sparkSession.sparkContext.defaultParallelism * per_core
    if df.rdd.getNumPartitions() >= target:
        return df
    return df.repartition(target)
