"""Filter stage: ``bronze/documents`` → ``silver/filtered`` (+ ``rejects``, compliance report).

The stage recomputes its output from the whole bronze table: ``silver/filtered`` is
replaced and the filter's partition of ``rejects`` too, each in one commit, so a rerun
writes the same rows and a document that no longer passes disappears from silver.

Passes over the data: one Python pass over Arrow batches runs the per-document filters
(licenses, domain boundaries, secrets, code quality, decontamination) and extracts the
natural-language text of documents still in (text, Markdown, code comments); the Spark NLP
pipeline then turns that text into words inside the JVM, and a Python UDF over the words
alone (not the content) applies the Gopher rules. Origin-wide boundaries (a repo whose
package.json depends on an out-of-domain library) come from a small pre-pass over the
``package.json`` rows, broadcast to the main pass.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge import tables
from corpusforge.config import Config
from corpusforge.filters import nlp, text_quality
from corpusforge.filters.cleaning import CleaningPolicy, clean_document
from corpusforge.filters.boundaries import (IMPORT_LANGUAGES, MANIFEST_PATH, Boundary, boundary_decision,
                                            load_boundaries, manifest_boundary)
from corpusforge.filters.decontamination import BenchmarkIndex, decontamination_decision, load_benchmarks
from corpusforge.filters.lexer import scan
from corpusforge.filters.licenses import LicensePolicy, license_decision, load_license_policy
from corpusforge.filters.quality import CODE_LANGUAGES, QualityThresholds, quality_rejection, quality_scores
from corpusforge.filters.secrets import SecretsPolicy, secrets_decision
from corpusforge.filters.text_quality import TextQualityPolicy, assess, assess_plain, natural_text
from corpusforge.spark import spread
from corpusforge.stages import StageResult, finish_stage
from corpusforge.python_worker import settle

STAGE = "filter"
LICENSE_REASONS = ("license_missing", "license_unknown", "license_not_allowed")
TEXT_FIELDS = text_quality.SCORE_KEYS
LEXED_LANGUAGES = IMPORT_LANGUAGES | CODE_LANGUAGES
# Map columns the Python pass returns as JSON (Spark parses them into maps).
JSON_MAPS = ("redactions", "cleaning")

# The Python pass's output: silver's columns but the text scores (the text pass adds them),
# with the redaction counts as JSON (Spark turns them into the map column), plus the
# decision and the natural-language text for the text pass.
SCORED_SCHEMA = T.StructType(
    [T.StructField(f.name, T.StringType() if f.name in JSON_MAPS else f.dataType, True)
     for f in tables.SILVER_FILTERED.schema.fields if f.name not in TEXT_FIELDS]
    + [T.StructField(n, T.StringType(), True) for n in ("reason", "detail", "nl_kind", "nl_text")])
# What the text UDF returns per row: the text scores and a reason/detail.
TEXT_RESULT_SCHEMA = T.StructType(
    [tables.SILVER_FILTERED.schema[n] for n in TEXT_FIELDS]
    + [T.StructField("reason", T.StringType(), True), T.StructField("detail", T.StringType(), True)])

_ARROW_TYPES = {T.StringType: pa.string(), T.LongType: pa.int64(), T.IntegerType: pa.int32(),
                T.DoubleType: pa.float64(), T.BooleanType: pa.bool_()}


def _arrow_type(dtype: T.DataType) -> pa.DataType:
    if isinstance(dtype, T.ArrayType):
        return pa.list_(_arrow_type(dtype.elementType))
    return _ARROW_TYPES[type(dtype)]


@dataclass(frozen=True)
class DocumentFilter:
    """The per-document decision (plain values, pickled to the executors)."""

    policy: LicensePolicy
    thresholds: QualityThresholds
    benchmarks: BenchmarkIndex
    secrets: SecretsPolicy | None
    boundaries: tuple[Boundary, ...] | None = None
    text: TextQualityPolicy | None = None
    cleaning: CleaningPolicy | None = None

    def apply(self, row: dict) -> dict:
        """The row (cleaned, secrets redacted) with its scores and, when it must go, a reason
        and detail.

        Order: license, cleaning (every later check sees the cleaned text), domain boundaries
        (``row["origin_boundary"]``, when present, rejects the whole origin), secrets (so every
        later check sees the redacted text), quality, benchmark overlap. A document still in
        gets ``nl_kind``/``nl_text`` (its natural language, for the text pass) when text
        quality is on. ``content_sha256`` is the hash of the content the row leaves with.
        """
        allowed, reason, detail = license_decision(row["license"], row["source"], self.policy)
        bronze_content = row["content"]
        out = {**row, "reason": None, "detail": None, "nl_kind": None, "nl_text": None}
        if not allowed:
            out.update(reason=reason, detail=detail)
            return out
        if self.cleaning is not None:
            cleaned = clean_document(row["content"], row["path"], row["language"], self.cleaning)
            out.update(content=cleaned.content, license_header=cleaned.license_header,
                       cleaning=json.dumps(cleaned.counts, sort_keys=True))
            if cleaned.reason:
                out.update(reason=cleaned.reason, detail=cleaned.detail)
                return out
            row = {**row, "content": cleaned.content}
        # Code is lexed once, for its imports (boundaries) and its comments (text quality).
        lexed = (scan(row["content"]) if row["language"] in LEXED_LANGUAGES
                 and (self.boundaries is not None or self.text is not None) else None)
        if self.boundaries is not None:
            rejection, tags = boundary_decision(row["content"], row["path"], row["language"],
                                                self.boundaries, row.get("origin_boundary"),
                                                lexed.imports if lexed else None)
            out["boundary_tags"] = tags
            if rejection:
                out["reason"], out["detail"] = rejection
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
        if self.text is not None:
            unchanged = lexed is not None and out["content"] == row["content"]  # nothing redacted
            found = natural_text(out["content"], row["language"], lexed.comments if unchanged else None)
            if found:
                out["nl_kind"], out["nl_text"] = found
        if out["content"] is not bronze_content and out["content"] != bronze_content:
            # Cleaned or redacted: later stages key caches on the hash of what they read.
            out["content_sha256"] = hashlib.sha256(out["content"].encode("utf-8")).hexdigest()
        return out

    def apply_plain(self, row: dict) -> dict:
        """:meth:`apply`, then the text rules with ``plain_words`` in place of the Spark NLP
        pipeline: the whole filter in plain Python (the benchmark's baseline)."""
        out = self.apply(row)
        if out["nl_kind"] is not None:
            scores, rejection = assess_plain(out["nl_kind"], out["nl_text"], self.text)
            out.update(scores)
            if rejection:
                out["reason"], out["detail"] = rejection
        return out


def _filter_batches(doc_filter: DocumentFilter):
    schema = pa.schema([(f.name, _arrow_type(f.dataType)) for f in SCORED_SCHEMA.fields])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        for batch in batches:
            rows = [doc_filter.apply(row) for row in batch.to_pylist()]
            yield pa.RecordBatch.from_pylist(
                [{name: row.get(name) for name in schema.names} for row in rows], schema=schema)
    return run


def make_filter(config: Config) -> DocumentFilter:
    """The document filter the config describes (its files are read on the driver)."""
    q = config.filter.quality
    thresholds = QualityThresholds(
        max_line_length=q.max_line_length, max_mean_line_length=q.max_mean_line_length,
        min_alnum_fraction=q.min_alnum_fraction, max_non_ascii_fraction=q.max_non_ascii_fraction,
        min_chars=q.min_chars, max_chars=q.max_chars, max_data_fraction=q.max_data_fraction)
    decon = config.filter.decontamination
    sec = config.filter.secrets
    secrets = SecretsPolicy(max_secret_share=sec.max_secret_share,
                            reject_private_keys=sec.reject_private_keys) if sec.enabled else None
    boundaries = load_boundaries(config.filter.rule_pack) if config.filter.boundaries.enabled else None
    tq = config.filter.text_quality
    text = text_quality.policy_from_settings(tq) if tq.enabled else None
    return DocumentFilter(load_license_policy(config.filter.licenses), thresholds,
                          load_benchmarks(decon.benchmarks, decon.ngram_tokens), secrets,
                          boundaries, text, cleaning_policy(config, thresholds.autogenerated_markers))


def cleaning_policy(config: Config, generated_markers: tuple[str, ...]) -> CleaningPolicy | None:
    """The cleaning steps ``filter.cleaning`` switches on (None when cleaning is off); comments
    holding ``generated_markers`` stay for the quality filter's autogenerated check."""
    c = config.filter.cleaning
    if not c.enabled:
        return None
    return CleaningPolicy(
        line_endings=c.line_endings, trailing_whitespace=c.trailing_whitespace,
        license_header=c.license_header, banners=c.banners, commented_code=c.commented_code,
        blank_lines=c.blank_lines, min_commented_code_lines=c.min_commented_code_lines,
        max_blank_lines=c.max_blank_lines, verify=c.verify,
        generated_markers=generated_markers)


def cleaning_counts(scored: DataFrame) -> dict[str, int]:
    """``cleaning.<step>`` (documents the step changed) and ``cleaning.<step>.edits`` summed
    over the rows' ``cleaning`` maps."""
    rows = (scored.select(F.explode("cleaning").alias("step", "n")).groupBy("step")
            .agg(F.count("*").alias("documents"), F.sum("n").alias("edits")).collect())
    counts = {}
    for r in rows:
        counts[f"cleaning.{r['step']}"] = r["documents"]
        counts[f"cleaning.{r['step']}.edits"] = r["edits"]
    return dict(sorted(counts.items()))


def origin_boundaries(bronze: DataFrame, rules: tuple[Boundary, ...]) -> DataFrame | None:
    """``(source, origin, origin_boundary)`` for origins whose root package.json depends on
    an out-of-domain library (see ``boundaries.manifest_boundary``); None when no boundary
    names dependencies. One row per such origin: few, so the result is broadcast."""
    if not any(rule.dependencies and rule.action == "reject" for rule in rules):
        return None
    declared = F.udf(lambda text: manifest_boundary(text, rules), T.StringType())
    return (bronze.where(F.col("path") == MANIFEST_PATH)
            .select("source", "origin", declared("content").alias("origin_boundary"))
            .where(F.col("origin_boundary").isNotNull())
            .groupBy("source", "origin").agg(F.min("origin_boundary").alias("origin_boundary")))


def score_documents(bronze: DataFrame, doc_filter: DocumentFilter) -> DataFrame:
    """Bronze rows after the Python pass: scores, boundary tags, a reason/detail for those
    that must go, and the natural-language text (``nl_kind``, ``nl_text``) of the others."""
    rows = tables.conform(bronze, tables.BRONZE_DOCUMENTS)  # older bronze: source_url null
    by_origin = origin_boundaries(bronze, doc_filter.boundaries) if doc_filter.boundaries else None
    if by_origin is not None:
        rows = rows.join(F.broadcast(by_origin), ["source", "origin"], "left")
    return (rows.mapInArrow(_filter_batches(doc_filter), SCORED_SCHEMA)
            .withColumn("redactions", F.from_json("redactions", "map<string,bigint>"))
            .withColumn("cleaning", F.from_json("cleaning", "map<string,bigint>")))


def _text_udf(policy: TextQualityPolicy):
    names = TEXT_RESULT_SCHEMA.names

    # Words arrive joined by spaces (normalised words hold none): one string per row crosses
    # Arrow and pandas far cheaper than an array of strings.
    @F.pandas_udf(TEXT_RESULT_SCHEMA)
    def text_rules(kinds: pd.Series, texts: pd.Series, words: pd.Series, stops: pd.Series) -> pd.DataFrame:
        out = []
        for kind, text, found, stop_words in zip(kinds, texts, words, stops):
            if kind is None:
                out.append(dict.fromkeys(names))
                continue
            scores, rejection = assess(kind, text, found.split(" ") if found else [], int(stop_words), policy)
            reason, detail = rejection or (None, None)
            out.append({**scores, "reason": reason, "detail": detail})
        return pd.DataFrame(out, columns=names, dtype=object)
    return text_rules


def assess_text(scored: DataFrame, policy: TextQualityPolicy | None) -> DataFrame:
    """The text pass: Spark NLP words of ``nl_text``, the Gopher rules over them, their
    scores as columns and their rejection as the reason of rows that had none."""
    if policy is None:
        nulls = [F.lit(None).cast(tables.SILVER_FILTERED.schema[n].dataType).alias(n) for n in TEXT_FIELDS]
        return scored.select("*", *nulls).drop("nl_kind", "nl_text")
    words = nlp.add_word_columns(scored, "nl_text", policy.stopwords, "nl_words", "nl_stop_words")
    result = _text_udf(policy)("nl_kind", "nl_text", F.concat_ws(" ", "nl_words"), "nl_stop_words")
    judged = words.withColumn("_text", result)
    return judged.select(
        *[c for c in scored.columns if c not in ("reason", "detail", "nl_kind", "nl_text")],
        *[F.col(f"_text.{n}").alias(n) for n in TEXT_FIELDS],
        F.coalesce("reason", "_text.reason").alias("reason"),
        F.when(F.col("reason").isNull(), F.col("_text.detail")).otherwise(F.col("detail")).alias("detail"))


def run(spark: SparkSession, config: Config) -> StageResult:
    """Filter every bronze document into silver/filtered or rejects; write the compliance report."""
    warehouse, run_id = config.warehouse, config.resolved_run_id()
    doc_filter = make_filter(config)
    bronze = spread(tables.read_table(spark, warehouse, tables.BRONZE_DOCUMENTS))
    scored = (assess_text(score_documents(bronze, doc_filter), doc_filter.text)
              .withColumn("run_id", F.lit(run_id))
              .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        rows_in = scored.count()
        kept, rejects = tables.split_rejects(scored, stage=STAGE, run_id=run_id)
        tables.replace_rows(spark, warehouse, tables.SILVER_FILTERED, kept)
        tables.ensure_table(spark, warehouse, tables.REJECTS)
        tables.replace_rows(spark, warehouse, tables.REJECTS, rejects, where=f"stage = {tables.sql_string(STAGE)}")
        compliance = compliance_frame(scored, run_id)
        tables.ensure_table(spark, warehouse, tables.LICENSE_COMPLIANCE)
        tables.replace_rows(spark, warehouse, tables.LICENSE_COMPLIANCE, compliance,
                            where=f"run_id = {tables.sql_string(run_id)}")
        write_compliance_report(compliance, warehouse, run_id)
        per_reason = (scored.where(F.col("reason").isNotNull()).groupBy("reason")
                      .agg(F.count("*").alias("n"), F.sum("size_bytes").alias("bytes")).collect())
        counts = cleaning_counts(scored)
    finally:
        scored.unpersist()
    reasons = {r["reason"]: r["n"] for r in per_reason}
    reason_bytes = {r["reason"]: r["bytes"] or 0 for r in per_reason}
    rows_out = tables.read_table(spark, warehouse, tables.SILVER_FILTERED).count()
    rows_rejected = (tables.read_table(spark, warehouse, tables.REJECTS)
                     .where(F.col("stage") == STAGE).count())
    versions = {spec.name: tables.table_version(spark, warehouse, spec)
                for spec in (tables.SILVER_FILTERED, tables.REJECTS, tables.LICENSE_COMPLIANCE)}
    result = StageResult(STAGE, rows_in, rows_out, rows_rejected, dict(sorted(reasons.items())), versions,
                         dict(sorted(reason_bytes.items())), counts)
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
