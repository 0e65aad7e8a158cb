"""Ingest stage: every input kind into ``bronze/documents``, every bad input into ``rejects``.

The driver only lists (directory trees, tarball and JSONL file names); executors read the
content, through the plain-Python readers of :mod:`corpusforge.sources`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window

from corpusforge import tables
from corpusforge.config import Config, IngestSettings
from corpusforge.optout import OptOutList, load_opt_out, mark_rejects
from corpusforge.stages import StageResult, finish_stage
from corpusforge.sources import records as R
from corpusforge.sources.content import ContentLimits
from corpusforge.sources.directory import ListedFile, list_directory, read_listed_file
from corpusforge.sources.npm import fetch_npm_tarball
from corpusforge.sources.specs import InputSpec, parse_input_specs
from corpusforge.sources.stack import read_stack_frame, stack_records
from corpusforge.sources.tarball import ArchiveLimits, read_npm_tarball
from corpusforge.sources.textjsonl import read_text_jsonl
from corpusforge.sources.urls import location_url, work_item_url
from corpusforge.python_worker import settle

STAGE = "ingest"

# The readers' record fields + where the record was read from (provenance, sources/urls.py).
FIELDS = (*R.RECORD_FIELDS, "source_url")
RECORD_SCHEMA = T.StructType([
    T.StructField(name, T.LongType() if name == "size_bytes" else T.StringType(), True)
    for name in FIELDS])

WORK_SCHEMA = T.StructType([T.StructField(n, T.StringType(), True) for n in (
    "kind", "location", "source", "origin", "path", "license", "license_evidence")]
    + [T.StructField("size_bytes", T.LongType(), True)])

TEXT_SUFFIXES = (".jsonl", ".jsonl.gz", ".json.gz", ".jsonl.zst", ".zst", ".ndjson")


@dataclass(frozen=True)
class Readers:
    """Everything an executor needs to read a work item (plain values, pickled to workers)."""

    content: ContentLimits
    archive: ArchiveLimits
    languages: tuple[str, ...]

    @classmethod
    def from_settings(cls, s: IngestSettings) -> "Readers":
        return cls(
            ContentLimits(max_file_bytes=s.max_file_bytes, max_line_length=s.max_line_length,
                          minified_min_bytes=s.minified_min_bytes,
                          minified_mean_line_length=s.minified_mean_line_length),
            ArchiveLimits(max_members=s.max_archive_members, max_total_bytes=s.max_archive_bytes,
                          max_member_bytes=s.max_member_bytes),
            tuple(s.languages))

    def read(self, item: dict) -> Iterator[dict]:
        """Records of one work item; a reader failure becomes an ``unreadable`` reject."""
        kind, source = item["kind"], item["source"]
        try:
            if kind == "file":
                listed = ListedFile(origin=item["origin"], path=item["path"], location=item["location"],
                                    license=item["license"], license_evidence=item["license_evidence"],
                                    size_bytes=item["size_bytes"])
                records: Iterator[dict] = iter([read_listed_file(listed, source=source, limits=self.content)])
            elif kind == "npm":
                records = read_npm_tarball(item["location"], source=source, origin=item["origin"],
                                           content_limits=self.content, archive_limits=self.archive)
            elif kind == "text":
                records = read_text_jsonl(item["location"], source=source, content_limits=self.content)
            else:
                raise ValueError(f"unknown work item kind {kind!r}")
            url = work_item_url(kind, item["location"], item["origin"])
            for record in records:
                yield {**self.language_policy(record), "source_url": url}
        except Exception as exc:  # a reader bug must not kill the job nor lose the input
            yield R.reject_record(source=source, origin=item["origin"] or item["location"],
                                  path=item["path"] or Path(item["location"]).name,
                                  reason=R.UNREADABLE, detail=f"{type(exc).__name__}: {exc}")

    def language_policy(self, record: dict) -> dict:
        """Turn a document whose language is not ingested into an unsupported_type reject."""
        if record["reason"] is None and record["language"] not in self.languages:
            return {**record, "content": None, "content_sha256": None,
                    "reason": R.UNSUPPORTED_TYPE,
                    "detail": f"language {record['language']!r} is not in ingest.languages"}
        return record


def _records_batches(records: Iterator[dict], size: int = 256) -> Iterator[pa.RecordBatch]:
    arrow_schema = pa.schema([(n, pa.int64() if n == "size_bytes" else pa.string())
                              for n in FIELDS])
    batch: list[dict] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield pa.RecordBatch.from_pylist(batch, schema=arrow_schema)
            batch = []
    if batch:
        yield pa.RecordBatch.from_pylist(batch, schema=arrow_schema)


def _read_work_items(readers: Readers):
    def read_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()

        def records() -> Iterator[dict]:
            for batch in batches:
                for item in batch.to_pylist():
                    yield from readers.read(item)
        yield from _records_batches(records())
    return read_batches


def _stack_reader(readers: Readers, source: str):
    def read_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()

        def records() -> Iterator[dict]:
            for batch in batches:
                yield from stack_records(batch.to_pylist(), source=source, limits=readers.content,
                                         languages=readers.languages)
        yield from _records_batches(records())
    return read_batches


def plan_work(specs: list[InputSpec], settings: IngestSettings) -> tuple[list[dict], list[dict]]:
    """On the driver: list inputs into work items, plus the rejects made while listing."""
    items: list[dict] = []
    listing_rejects: list[dict] = []
    for spec in specs:
        if spec.kind in ("framework", "dir"):
            files, rejects = list_directory(spec.location, source=spec.source,
                                            skip_dirs=settings.skip_dirs,
                                            max_file_bytes=settings.max_file_bytes)
            listing_rejects.extend(rejects)
            items.extend({"kind": "file", "location": f.location, "source": spec.source,
                          "origin": f.origin, "path": f.path, "license": f.license,
                          "license_evidence": f.license_evidence, "size_bytes": f.size_bytes}
                         for f in files)
        elif spec.kind == "npm":
            if spec.location.endswith((".tgz", ".tar.gz")):
                location, origin = spec.location, None
            else:
                location = fetch_npm_tarball(spec.location, str(Path(settings.npm_cache_dir).expanduser()))
                origin = spec.location
            items.append({"kind": "npm", "location": location, "source": spec.source,
                          "origin": origin, "path": None, "license": None,
                          "license_evidence": None, "size_bytes": None})
        elif spec.kind == "text":
            root = Path(spec.location)
            files = sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith(TEXT_SUFFIXES)) \
                if root.is_dir() else [root]
            items.extend({"kind": "text", "location": str(p), "source": spec.source, "origin": None,
                          "path": None, "license": None, "license_evidence": None,
                          "size_bytes": None} for p in files)
    return items, listing_rejects


def read_inputs(spark: SparkSession, specs: list[InputSpec], settings: IngestSettings) -> DataFrame:
    """All inputs as one DataFrame of ingest records (documents and rejects, RECORD_SCHEMA)."""
    readers = Readers.from_settings(settings)
    items, listing_rejects = plan_work(specs, settings)
    frames = [spark.createDataFrame([{**r, "source_url": None} for r in listing_rejects], RECORD_SCHEMA)]
    if items:
        files = sum(1 for i in items if i["kind"] == "file")
        partitions = max(1, math.ceil(files / settings.files_per_task)) + (len(items) - files)
        work = spark.createDataFrame(items, WORK_SCHEMA).repartition(partitions, "location")
        frames.append(work.mapInArrow(_read_work_items(readers), RECORD_SCHEMA))
    for spec in specs:
        if spec.kind == "stack":
            rows = read_stack_frame(spark, spec.location, settings.stack_columns)
            frames.append(rows.mapInArrow(_stack_reader(readers, spec.source), RECORD_SCHEMA)
                          .withColumn("source_url", F.lit(location_url(spec.location))))
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def mark_duplicates(records: DataFrame) -> DataFrame:
    """Keep one record per doc_id; the others become ``duplicate_input`` rejects.

    Two inputs can name the same (source, origin, path), e.g. two copies of one package
    version. The first record by (kept before rejected, content hash) stays; each other one
    gets its own id (so it has its own reject row) and a detail naming the kept doc_id.
    """
    order = Window.partitionBy("doc_id").orderBy(
        F.col("reason").isNotNull(), *[F.col(c).asc_nulls_last() for c in (
            "content_sha256", "reason", "detail", "license", "license_evidence", "language",
            "size_bytes")])
    ranked = records.withColumn("_rank", F.row_number().over(order))
    dup = F.col("_rank") > 1
    return ranked.select(
        F.when(dup, F.sha2(F.concat_ws(":", "doc_id", F.col("_rank").cast("string"),
                                       F.coalesce("content_sha256", F.lit(""))), 256))
        .otherwise(F.col("doc_id")).alias("doc_id"),
        *[F.col(c) for c in FIELDS if c not in ("doc_id", "reason", "detail", "content",
                                                         "content_sha256")],
        F.when(dup, F.lit(None)).otherwise(F.col("content")).alias("content"),
        F.when(dup, F.lit(None)).otherwise(F.col("content_sha256")).alias("content_sha256"),
        F.when(dup, F.lit(R.DUPLICATE_INPUT)).otherwise(F.col("reason")).alias("reason"),
        F.when(dup, F.concat(F.lit("same source, origin and path as kept doc "), F.col("doc_id")))
        .otherwise(F.col("detail")).alias("detail"),
    ).select(*FIELDS)


def mark_opt_out(records: DataFrame, opt_out: OptOutList) -> DataFrame:
    """Turn the documents the opt-out list names into ``opt_out`` rejects (content dropped);
    records rejected for another reason keep it."""
    return mark_rejects(records, opt_out, clear=("content", "content_sha256")).select(*FIELDS)


def run(spark: SparkSession, config: Config, inputs: list[str] | None = None) -> StageResult:
    """Ingest ``inputs`` (default: ``config.ingest.inputs``) into the warehouse."""
    settings = config.ingest
    specs = parse_input_specs(inputs if inputs is not None else settings.inputs)
    run_id = config.resolved_run_id()
    warehouse = config.warehouse

    records = mark_opt_out(mark_duplicates(read_inputs(spark, specs, settings)),
                           load_opt_out(config.opt_out.file)).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        rows_in = records.count()  # reads every input exactly once, into the cache
        kept, rejects = tables.split_rejects(records, stage=STAGE, run_id=run_id)
        docs = (kept.withColumn("run_id", F.lit(run_id))
                .withColumn("bucket", tables.bucket_of(F.col("doc_id"), config.tables.buckets)))
        reject_keys = rejects.select("doc_id")
        tables.merge_rows(spark, warehouse, tables.BRONZE_DOCUMENTS, docs, delete_keys=reject_keys)
        tables.merge_rows(spark, warehouse, tables.REJECTS, rejects,
                          delete_keys=kept.select("doc_id", F.lit(STAGE).alias("stage")))
        result = _account(spark, warehouse, records, rows_in, run_id)
    finally:
        records.unpersist()
    return finish_stage(spark, warehouse, run_id, result)


def _account(spark: SparkSession, warehouse: str, records: DataFrame, rows_in: int,
             run_id: str) -> StageResult:
    """Count what this run's records became in the tables, and check nothing was lost."""
    ids = records.select("doc_id", F.col("reason").isNull().alias("kept"))
    bronze = tables.read_table(spark, warehouse, tables.BRONZE_DOCUMENTS).select("doc_id")
    rejected = (tables.read_table(spark, warehouse, tables.REJECTS)
                .where((F.col("stage") == STAGE) & (F.col("run_id") == run_id)).select("doc_id"))
    rows_out = ids.where("kept").join(bronze, "doc_id", "left_semi").count()
    rows_rejected = ids.where("NOT kept").join(rejected, "doc_id", "left_semi").count()
    reasons = {r["reason"]: r["n"] for r in records.where(F.col("reason").isNotNull())
               .groupBy("reason").agg(F.count("*").alias("n")).collect()}
    versions = {spec.name: tables.table_version(spark, warehouse, spec)
                for spec in (tables.BRONZE_DOCUMENTS, tables.REJECTS)}
    return StageResult(STAGE, rows_in, rows_out, rows_rejected, dict(sorted(reasons.items())), versions)
