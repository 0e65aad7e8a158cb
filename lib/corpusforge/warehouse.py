"""The warehouse's format marker and the check every job makes before touching a table.

``<warehouse>/_corpusforge.json`` names the warehouse layout's format version. A job refuses
a warehouse whose marker has another major version, or whose Delta tables lack a column this
version requires, with one line saying what to do instead of a failure deep inside Spark.
A minor version bump only adds nullable columns, which the writers add themselves.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pyspark.sql import SparkSession

from corpusforge import __version__, artifacts, tables
from corpusforge.errors import WarehouseError

FORMAT = "corpusforge-warehouse"
FORMAT_VERSION = "1.0"
MARKER = "_corpusforge.json"
HINT = ("re-run into a new warehouse (--warehouse NEW_DIR), or migrate this one with the "
        "corpusforge version that wrote it")


def marker_location(warehouse: str) -> str:
    """Where the marker of ``warehouse`` is stored."""
    return artifacts.artifact_path(warehouse, MARKER)


def marker_bytes() -> bytes:
    """The marker this version writes (no timestamps: the same version writes the same bytes)."""
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "written_by": f"corpusforge {__version__}"}
    return (json.dumps(payload, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _major(version: Any) -> str:
    return str(version).split(".", 1)[0]


def check_marker(data: bytes, location: str) -> dict[str, Any]:
    """Parse a marker and refuse one of another format or major version; returns its fields."""
    try:
        marker = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        marker = None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT:
        raise WarehouseError("not a corpusforge warehouse marker", path=location, stage="warehouse",
                             hint="point --warehouse at a corpusforge warehouse or a new folder")
    found = marker.get("format_version")
    if _major(found) != _major(FORMAT_VERSION):
        raise WarehouseError(
            f"warehouse format {found} (written by {marker.get('written_by', 'an unknown version')}) "
            f"is not compatible with format {FORMAT_VERSION} of corpusforge {__version__}",
            path=location, stage="warehouse", hint=HINT)
    return marker


def schema_problems(spec: tables.TableSpec, stored: dict[str, str]) -> list[str]:
    """What keeps a stored table (column name → Spark type string) from being read as ``spec``.

    Only the spec's required (NOT NULL) columns count: missing nullable ones are added on write.
    """
    required = [f for f in spec.schema.fields if not f.nullable]
    missing = [f.name for f in required if f.name not in stored]
    problems = []
    if missing:
        problems.append(f"lacks required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    problems += [f"has {f.name} as {stored[f.name]}, expected {f.dataType.simpleString()}"
                 for f in required if f.name in stored and stored[f.name] != f.dataType.simpleString()]
    return problems


def check_local_marker(warehouse: str) -> None:
    """Before Spark starts: refuse a local warehouse whose marker is incompatible."""
    if artifacts.is_remote(warehouse):
        return  # object stores are checked once the session can reach them
    location = marker_location(warehouse)
    if os.path.isfile(location):
        with open(location, "rb") as handle:
            check_marker(handle.read(), location)


def open_warehouse(spark: SparkSession, warehouse: str) -> None:
    """Check the marker, and the stored tables' schemas when the marker does not vouch for
    them; then write this version's marker if it is missing or older.

    Called at the start of every job, on any file system the session can reach. A warehouse
    from before the marker existed, or with an older minor format, is accepted when its
    tables have the required columns. A warehouse whose marker has this format version is
    not opened table by table: loading every table's Delta snapshot takes seconds per job.
    """
    location = marker_location(warehouse)
    present = artifacts.artifact_exists(spark, location)
    if present:
        marker = check_marker(artifacts.read_artifact(spark, location), location)
        if str(marker.get("format_version")) == FORMAT_VERSION:
            return
    for spec in tables.TABLES.values():
        if not tables.table_exists(spark, warehouse, spec):
            continue
        schema = tables.read_table(spark, warehouse, spec).schema
        problems = schema_problems(spec, {f.name: f.dataType.simpleString() for f in schema.fields})
        if problems:
            raise WarehouseError(f"table {spec.name} {'; '.join(problems)}: written by an "
                                 "incompatible corpusforge version", path=spec.path(warehouse),
                                 stage="warehouse", hint=HINT)
    artifacts.write_artifact(spark, location, marker_bytes())
