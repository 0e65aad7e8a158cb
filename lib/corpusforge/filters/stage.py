"""Filter stage: ``bronze/documents`` → ``silver/filtered`` (+ ``rejects``, compliance report).

The stage recomputes its output from the whole bronze table: ``silver/filtered`` is
replaced and the filter's partition of ``rejects`` too, each in one commit, so a rerun
writes the same rows and a document that no longer passes disappears from silver.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge import tables
from corpusforge.config import Config
from corpusforge.filters.decontamination import BenchmarkIndex, decontamination_decision, load_benchmarks
from corpusforge.filters.licenses import LicensePolicy, license_decision, load_license_policy
from corpusforge.filters.quality import QualityThresholds, quality_rejection, quality_scores
from corpusforge.filters.secrets import SecretsPolicy, secrets_decision
from corpusforge.stages import StageResult, finish_stage

STAGE = "filter"
LICENSE_REASONS = ("license_missing", "license_unknown", "license_not_allowed")

# Python hands the redaction counts over as JSON; Spark turns them into the map column.
SCORED_SCHEMA = T.StructType(
    [T.StructField(f.name, T.StringType() if f.name == "redactions" else f.dataType, True)
     for f in tables.SILVER_FILTERED.schema.fields]
    + [T.StructField("reason", T.StringType(), True), T.StructField("detail", T.StringType(), True)])

_ARROW_TYPES = {T.StringType: pa.string(), T.LongType: pa.int64(), T.IntegerType: pa.int32(),
                T.DoubleType: pa.float64(), T.BooleanType: pa.bool_()}


@dataclass(frozen=True)
class DocumentFilter:
    """The per-document decision (plain values, pickled to the executors)."""

    policy: LicensePolicy
    thresholds: QualityThresholds
    benchmarks: BenchmarkIndex
    secrets: SecretsPolicy | None

    def apply(self, row: dict) -> dict:
        """The row (secrets redacted) with its scores and, when it must go, a reason and detail.

        Order: license, secrets (so every later check sees the redacted text), quality, then
        benchmark overlap.
        """
        allowed, reason, detail = license_decision(row["license"], row["source"], self.policy)
        out = {**row, "reason": None, "detail": None}
        if not allowed:
            out.update(reason=reason, detail=detail)
            return out
        if self.secrets is not None:
            redacted, counts, reason, detail = secrets_decision(row["content"], self.secrets)
            out.update(content=redacted, redactions=json.dumps(counts, sort_keys=True))
            if reason:
                out.update(reason=reason, detail=detail)
                return out
        scores = quality_scores(out["content"], row["path"], row["language"], self.thresholds)
        out.update(scores)
        rejection = (quality_rejection(scores, row["path"], row["language"], self.thresholds)
                     or decontamination_decision(out["content"], self.benchmarks))
        if rejection:
            out["reason"], out["detail"] = rejection
        return out


def _filter_batches(doc_filter: DocumentFilter):
    schema = pa.schema([(f.name, _ARROW_TYPES[type(f.dataType)]) for f in SCORED_SCHEMA.fields])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows = [doc_filter.apply(row) for row in batch.to_pylist()]
            yield pa.RecordBatch.from_pylist(
                [{name: row.get(name) for name in schema.names} for row in rows], schema=schema)
    return run


def make_filter(config: Config) -> DocumentFilter:
    """The document filter the config describes (the license file is read on the driver)."""
    q = config.filter.quality
    thresholds = QualityThresholds(
        max_line_length=q.max_line_length, max_mean_line_length=q.max_mean_line_length,
        min_alnum_fraction=q.min_alnum_fraction, max_non_ascii_fraction=q.max_non_ascii_fraction,
        min_chars=q.min_chars, max_chars=q.max_chars, max_data_fraction=q.max_data_fraction)
    decon = config.filter.decontamination
    sec = config.filter.secrets
    secrets = SecretsPolicy(max_secret_share=sec.max_secret_share,
                            reject_private_keys=sec.reject_private_keys) if sec.enabled else None
    return DocumentFilter(load_license_policy(config.filter.licenses), thresholds,
                          load_benchmarks(decon.benchmarks, decon.ngram_tokens), secrets)


def score_documents(bronze: DataFrame, doc_filter: DocumentFilter) -> DataFrame:
    """Bronze rows with quality scores and a reason/detail for those that must go."""
    columns = [F.col(f.name) if f.name in bronze.columns else F.lit(None).cast(f.dataType).alias(f.name)
               for f in SCORED_SCHEMA.fields]
    return (bronze.select(*columns).mapInArrow(_filter_batches(doc_filter), SCORED_SCHEMA)
            .withColumn("redactions", F.from_json("redactions", "map<string,bigint>")))


def run(spark: SparkSession, config: Config) -> StageResult:
    """Filter every bronze document into silver/filtered or rejects; write the compliance report."""
    warehouse, run_id = config.warehouse, config.resolved_run_id()
    doc_filter = make_filter(config)
    bronze = tables.read_table(spark, warehouse, tables.BRONZE_DOCUMENTS)
    scored = (score_documents(bronze, doc_filter).withColumn("run_id", F.lit(run_id))
              .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        rows_in = scored.count()
        kept, rejects = tables.split_rejects(scored, stage=STAGE, run_id=run_id)
        tables.replace_rows(spark, warehouse, tables.SILVER_FILTERED, kept)
        tables.ensure_table(spark, warehouse, tables.REJECTS)
        tables.replace_rows(spark, warehouse, tables.REJECTS, rejects, where=f"stage = '{STAGE}'")
        compliance = compliance_frame(scored, run_id)
        tables.ensure_table(spark, warehouse, tables.LICENSE_COMPLIANCE)
        tables.replace_rows(spark, warehouse, tables.LICENSE_COMPLIANCE, compliance,
                            where=f"run_id = '{run_id}'")
        write_compliance_report(compliance, warehouse, run_id)
        reasons = {r["reason"]: r["n"] for r in scored.where(F.col("reason").isNotNull())
                   .groupBy("reason").agg(F.count("*").alias("n")).collect()}
    finally:
        scored.unpersist()
    rows_out = tables.read_table(spark, warehouse, tables.SILVER_FILTERED).count()
    rows_rejected = (tables.read_table(spark, warehouse, tables.REJECTS)
                     .where(F.col("stage") == STAGE).count())
    versions = {spec.name: tables.table_version(spark, warehouse, spec)
                for spec in (tables.SILVER_FILTERED, tables.REJECTS, tables.LICENSE_COMPLIANCE)}
    result = StageResult(STAGE, rows_in, rows_out, rows_rejected, dict(sorted(reasons.items())), versions)
    return finish_stage(spark, warehouse, run_id, result)


def compliance_frame(scored: DataFrame, run_id: str) -> DataFrame:
    """One row per (source, origin, license): the license decision, its evidence and volume."""
    is_license_reject = F.col("reason").isin(*LICENSE_REASONS)
    decision = (F.when(F.max(is_license_reject.cast("int")) == 1, F.lit("rejected"))
                .when(F.first(F.col("source")) == "framework", F.lit("exempt"))
                .otherwise(F.lit("allowed")))
    return (scored.groupBy("source", "origin", "license")
            .agg(decision.alias("decision"),
                 F.min("license_evidence").alias("license_evidence"),
                 F.min(F.when(is_license_reject, F.col("reason"))).alias("reason"),
                 F.min(F.when(is_license_reject, F.col("detail"))).alias("detail"),
                 F.count("*").alias("documents"), F.sum("size_bytes").alias("bytes"))
            .withColumn("run_id", F.lit(run_id)))


def write_compliance_report(compliance: DataFrame, warehouse: str, run_id: str) -> Path | None:
    """Markdown + CSV compliance report under ``<warehouse>/reports/<run_id>/`` (local warehouses).

    One row per origin, collected to the driver: origins number far fewer than documents.
    On an object-store warehouse the Delta table ``meta/license_compliance`` is the report.
    """
    if "://" in warehouse:
        return None
    rows = [r.asDict() for r in compliance.orderBy("decision", "license", "source", "origin").collect()]
    folder = Path(warehouse) / "reports" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    columns = ["source", "origin", "license", "license_evidence", "decision", "reason", "detail",
               "documents", "bytes"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "license_compliance.csv").write_text(buffer.getvalue(), encoding="utf-8")

    totals: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        t = totals.setdefault((r["license"] or "(none)", r["decision"]), [0, 0, 0])
        t[0] += 1
        t[1] += r["documents"]
        t[2] += r["bytes"] or 0
    lines = [f"# License compliance, run {run_id}", "",
             "## Totals by license", "", "| license | decision | origins | documents | bytes |",
             "|---|---|---:|---:|---:|"]
    lines += [f"| {lic} | {dec} | {o} | {d} | {b} |" for (lic, dec), (o, d, b) in sorted(totals.items())]
    lines += ["", "## Origins", "", "| source | origin | license | evidence | decision | detail |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {r['source']} | {r['origin']} | {r['license'] or ''} | {r['license_evidence'] or ''} | "
              f"{r['decision']} | {(r['detail'] or '').replace('|', '/')} |" for r in rows]
    path = folder / "license_compliance.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
