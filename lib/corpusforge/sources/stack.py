"""The Stack–style inputs: parquet or JSONL rows with content, repository, path and licenses."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge.errors import InputError
from corpusforge.sources.content import ContentLimits, decode_content
from corpusforge.sources.language import detect_language
from corpusforge.sources.licenses import normalize_license
from corpusforge.sources.records import document_record, reject_record

FIELDS = ("content", "repo", "path", "licenses")


def read_stack_frame(spark: SparkSession, location: str,
                     columns: dict[str, list[str]]) -> DataFrame:
    """Read the file(s) with Spark and select the four fields (licenses as a JSON-ish string).

    A missing column is an :class:`InputError` naming the column candidates and the file.
    """
    fmt = "parquet" if location.rstrip("/").endswith(".parquet") or _is_parquet_dir(location) else "json"
    df = spark.read.format(fmt).load(location)
    present = set(df.columns)
    picked = {}
    for field in FIELDS:
        found = next((c for c in columns[field] if c in present), None)
        if found is None:
            raise InputError(
                f"missing column for '{field}': none of {columns[field]} is present "
                f"(columns: {sorted(present)})", path=location, stage="ingest",
                hint="rename the column or add its name to ingest.stack_columns." + field)
        picked[field] = found
    lic = F.col(picked["licenses"])
    if isinstance(df.schema[picked["licenses"]].dataType, T.ArrayType):
        lic = F.to_json(lic)
    return df.select(
        F.col(picked["content"]).cast("string").alias("content"),
        F.col(picked["repo"]).cast("string").alias("repo"),
        F.col(picked["path"]).cast("string").alias("path"),
        lic.cast("string").alias("licenses"))


def _is_parquet_dir(location: str) -> bool:
    p = Path(location)
    return p.is_dir() and any(p.glob("*.parquet"))


def stack_license(licenses: str | None) -> tuple[str | None, str]:
    """SPDX expression of a row's license list (all must hold: joined with AND) and evidence."""
    if not licenses:
        return None, "stack:licenses(empty)"
    try:
        values = json.loads(licenses) if licenses.lstrip().startswith("[") else [licenses]
    except ValueError:
        values = [licenses]
    spdx = [normalize_license(v) for v in values if v]
    if not spdx or any(s is None for s in spdx):
        return None, f"stack:licenses={licenses}"
    unique = sorted(set(spdx))
    expr = unique[0] if len(unique) == 1 else " AND ".join(f"({s})" if " " in s else s for s in unique)
    return expr, "stack:licenses"


def stack_records(rows: Iterable[dict], *, source: str, limits: ContentLimits,
                  languages: Sequence[str]) -> Iterable[dict]:
    """One ingest record per stack row (a document or a reject)."""
    for row in rows:
        repo = row.get("repo") or "unknown-repo"
        path = row.get("path") or "unknown-path"
        license, evidence = stack_license(row.get("licenses"))
        content = row.get("content")
        if content is None:
            yield reject_record(source=source, origin=repo, path=path, reason="empty",
                                detail="content is null", license=license,
                                license_evidence=evidence)
            continue
        raw = content.encode("utf-8", "surrogatepass")
        text, reason, detail = decode_content(raw, path, limits)
        language = detect_language(path, text)
        if reason is None and language not in languages:
            reason, detail = "unsupported_type", f"language {language!r} of {path} is not ingested"
        if reason is not None:
            yield reject_record(source=source, origin=repo, path=path, reason=reason, detail=detail,
                                size_bytes=len(raw), license=license, license_evidence=evidence,
                                language=language)
        else:
            yield document_record(source=source, origin=repo, path=path, content=text,
                                  language=language, license=license, license_evidence=evidence,
                                  size_bytes=len(raw))
