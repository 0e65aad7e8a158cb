"""Files beside the Delta tables (tokenizer model, reports): written and read on any warehouse.

Local warehouses use the file system directly; object stores (s3a://, abfss://, gs://) go
through Hadoop's FileSystem API of the running session, so the same connectors and
credentials as the Delta tables apply.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pyspark.sql import SparkSession


def is_remote(location: str) -> bool:
    """True for object-store or HDFS locations (anything with a URI scheme but ``file:``)."""
    return "://" in location and not location.startswith("file:")


def artifact_path(warehouse: str, *parts: str) -> str:
    """``<warehouse>/<parts...>``, local warehouses made absolute."""
    base = warehouse.rstrip("/") if is_remote(warehouse) else os.path.abspath(warehouse)
    return "/".join([base, *parts])


def _hadoop_fs(spark: SparkSession, location: str):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    return path, path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def write_artifact(spark: SparkSession, location: str, data: bytes) -> str:
    """Write ``data`` to ``location`` (replacing it) and return the location."""
    if not is_remote(location):
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        tmp = f"{location}.tmp-{os.getpid()}"
        Path(tmp).write_bytes(data)
        os.replace(tmp, location)  # readers never see half a file
        return location
    path, fs = _hadoop_fs(spark, location)
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(data))
    finally:
        stream.close()
    return location


def read_artifact(spark: SparkSession, location: str) -> bytes:
    """The bytes stored at ``location``."""
    if not is_remote(location):
        return Path(location).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        local = os.path.join(tmp, os.path.basename(location))
        path, fs = _hadoop_fs(spark, location)
        fs.copyToLocalFile(path, spark.sparkContext._jvm.org.apache.hadoop.fs.Path(f"file://{local}"))
        return Path(local).read_bytes()


def artifact_exists(spark: SparkSession, location: str) -> bool:
    """True when something is stored at ``location``."""
    if not is_remote(location):
        return os.path.exists(location)
    path, fs = _hadoop_fs(spark, location)
    return bool(fs.exists(path))


def local_copy(spark: SparkSession, location: str, folder: str) -> str:
    """A local file with the artifact's bytes (for ``SparkContext.addFile``)."""
    if not is_remote(location):
        return location
    target = os.path.join(folder, os.path.basename(location))
    Path(target).write_bytes(read_artifact(spark, location))
    return target


def remove_tree(location: str) -> None:
    """Delete a local folder if it exists (remote folders are left to the store's lifecycle)."""
    if not is_remote(location) and os.path.isdir(location):
        shutil.rmtree(location)
