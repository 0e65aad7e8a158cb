"""Transform stage: ``silver/deduped`` (or ``silver/filtered``) → ``gold/documents`` (+ rejects).

Each Python worker builds one rule-pack engine (its tree-sitter parsers are per process) and
rewrites Arrow batches of documents with it (``mapInArrow``). Code in the configured
languages is rewritten, re-parsed, checked for idempotence and against the pack's
constraints; the company's own code (source ``framework``) is parsed and counted but never
rewritten; other documents (text, Markdown, JSON) pass through. A document whose rewrite
fails validation is rejected with the reason, never written. The stage recomputes its
output from its whole input: ``gold/documents`` and the ``transform`` partition of
``rejects`` are replaced in one commit each, and ``meta/transform_rules`` records what
every rule did and left unsupported in the run. ``gold/instructions`` (migration pairs and
JSDoc-documented functions, :mod:`corpusforge.transform.instructions`) is replaced from the
new ``gold/documents``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge import tables
from corpusforge.config import Config, TransformSettings
from corpusforge.errors import InputError
from corpusforge.spark import spread
from corpusforge.stages import StageResult, finish_stage
from corpusforge.transform.aliases import (Table, local_reexports, may_reexport, merge, reexport_regexes,
                                          targeted_modules)
from corpusforge.transform.parsing import grammar_for, parse, parse_errors
from corpusforge.transform.rewrite import Engine, count_framework_calls
from corpusforge.transform.rulepack import RulePack, rulepack_from_dict
from corpusforge.transform.validation import ALIGNED, FRAMEWORK, PUBLIC
from corpusforge.python_worker import settle, freeze

STAGE = "transform"
FRAMEWORK_SOURCE = "framework"

S, L, I, B = T.StringType(), T.LongType(), T.IntegerType(), T.BooleanType()
# What the Python pass returns per document; maps travel as JSON text.
OUTPUT_SCHEMA = T.StructType([T.StructField(n, t, True) for n, t in (
    ("doc_id", S), ("source", S), ("origin", S), ("path", S), ("language", S), ("license", S),
    ("size_bytes", L), ("content", S), ("original_sha256", S), ("content_sha256", S),
    ("rules_applied", T.ArrayType(S)), ("rules_fired", S), ("unsupported", S), ("constraints", S),
    ("tags", T.ArrayType(S)), ("framework_calls", I), ("category", S), ("valid", B),
    ("reason", S), ("detail", S))])
_ARROW = pa.schema([
    (f.name, pa.list_(pa.string()) if isinstance(f.dataType, T.ArrayType) else
     {S: pa.string(), L: pa.int64(), I: pa.int32(), B: pa.bool_()}[f.dataType])
    for f in OUTPUT_SCHEMA.fields])
COUNTS = T.MapType(S, L)

_ENGINES: dict[str, Engine] = {}


def _json(counts: dict[str, int]) -> str:
    return json.dumps(counts, sort_keys=True) if counts else "{}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocumentTransform:
    """The per-document work (plain values, pickled to the executors; the pack travels as its
    YAML text, so nothing depends on driver-local files)."""

    pack_text: str
    pack_source: str
    languages: tuple[str, ...]
    on_parse_error: str = "reject"
    check_idempotence: bool = True
    max_passes: int = 4
    partial: str = "revert"
    # Origin -> its own modules that re-export a targeted module (transform.aliases), found
    # over the whole input before the rewrite; a file's imports of them are followed.
    aliases: dict[str, dict[str, Table]] = field(default_factory=dict, hash=False)

    @functools.cached_property
    def _engine_key(self) -> str:
        # cached_property writes the instance's __dict__ directly, which a frozen dataclass
        # allows; the key is a string, so a pickled transform stays small.
        return f"{_sha256(self.pack_text)}:{self.max_passes}:{self.partial}"

    def engine(self) -> Engine:
        """This worker's engine for the pack (built once per Python process)."""
        key = self._engine_key
        engine = _ENGINES.get(key)
        if engine is None:
            import yaml

            pack = rulepack_from_dict(yaml.safe_load(self.pack_text), self.pack_source)
            engine = _ENGINES[key] = Engine(pack, self.max_passes, self.partial)
        return engine

    def apply(self, row: dict) -> dict:
        """The output row of one document: final content, what the rules did, category,
        and a reject reason/detail when it must not reach gold. Never raises: an unexpected
        failure on one document rejects that document (``transform_error``), not the job."""
        try:
            return self._apply(row)
        except Exception as exc:  # noqa: BLE001 - one bad document must not fail the job
            content = row.get("content") or ""
            out = {k: row.get(k) for k in ("doc_id", "source", "origin", "path", "language", "license",
                                            "size_bytes")}
            out.update(content=content, original_sha256=_sha256(content), content_sha256=_sha256(content),
                       rules_applied=[], rules_fired="{}", unsupported="{}", constraints="{}", tags=[],
                       framework_calls=0, category=PUBLIC, valid=False, reason="transform_error",
                       detail=f"{type(exc).__name__}: {exc}"[:500])
            return out

    def _apply(self, row: dict) -> dict:
        content = row["content"] or ""
        out = {k: row.get(k) for k in ("doc_id", "source", "origin", "path", "language", "license",
                                        "size_bytes")}
        digest = _sha256(content)
        out.update(content=content, original_sha256=digest, content_sha256=digest,
                   rules_applied=[], rules_fired="{}", unsupported="{}", constraints="{}", tags=[],
                   framework_calls=0, valid=True, reason=None, detail=None,
                   category=FRAMEWORK if row["source"] == FRAMEWORK_SOURCE else PUBLIC)
        if row["language"] not in self.languages:
            return out
        engine = self.engine()
        path = row["path"] or ""
        if row["source"] == FRAMEWORK_SOURCE:
            tree = parse(content, grammar_for(path, row["language"]))
            errors = parse_errors(tree)
            if errors.total:
                return self._unparsable(out, f"{errors.total} ERROR/MISSING nodes, first on line {errors.first_line}")
            from corpusforge.transform.bindings import resolve_bindings

            out["framework_calls"] = count_framework_calls(
                resolve_bindings(tree, engine.pack.namespace_defaults), engine.pack)
            return out
        aliases = self.aliases.get(row["origin"] or "")
        result = engine.rewrite(content, path, row["language"], aliases)
        if result.reject_reason == "parse_error":
            return self._unparsable(out, result.diagnostics[0].message + f", first on line {result.diagnostics[0].line}")
        out.update(rules_applied=result.rules_applied,
                   rules_fired=_json(result.rules_fired), unsupported=_json(result.unsupported),
                   constraints=_json(result.constraints),
                   tags=sorted(result.tags), framework_calls=result.framework_calls)
        if result.reject_reason is not None:
            detail = next((d.message for d in result.diagnostics
                           if d.code in ("reparse_failed", "not_converged", "constraint")),
                          result.reject_reason)
            out.update(reason=result.reject_reason, detail=detail, valid=False)
            return out
        if result.changed and self.check_idempotence and not result.stable:
            # `stable` means no rule matched the final pass, which is what a second rewrite
            # would find first; otherwise rewrite the output to see.
            again = engine.rewrite(result.text, path, row["language"], aliases)
            if again.text != result.text:
                out.update(reason="not_idempotent", valid=False,
                           detail=f"a second rewrite fired {again.rules_applied}")
                return out
        if result.changed:
            out.update(content=result.text, content_sha256=_sha256(result.text))
        if result.changed and result.framework_calls >= 1:
            out["category"] = ALIGNED
        return out

    def _unparsable(self, out: dict, detail: str) -> dict:
        if self.on_parse_error == "pass":
            out["valid"] = False
        else:
            out.update(reason="parse_error", detail=detail, valid=False)
        return out


def make_transform(settings: TransformSettings) -> DocumentTransform:
    """The document transform the settings describe (the pack is read and validated here)."""
    from corpusforge.transform.rulepack import load_rulepack

    pack: RulePack = load_rulepack(settings.rule_pack)  # fails on the driver, before any task
    return DocumentTransform(
        pack_text=Path(pack.source).read_text(encoding="utf-8"), pack_source=settings.rule_pack,
        languages=tuple(settings.languages), on_parse_error=settings.on_parse_error,
        check_idempotence=settings.check_idempotence, max_passes=settings.max_passes,
        partial=settings.partial)


def _transform_batches(transform: DocumentTransform):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        transform.engine()
        freeze(f"transform:{_sha256(transform.pack_text)}")
        for batch in batches:
            rows = [transform.apply(row) for row in batch.to_pylist()]
            yield pa.RecordBatch.from_pylist(rows, schema=_ARROW)
    return run


_REEXPORTS = pa.schema([("origin", pa.string()), ("path", pa.string()), ("exported", pa.string()),
                        ("module", pa.string()), ("imported", pa.string())])
REEXPORTS_SCHEMA = T.StructType([T.StructField(f.name, S) for f in _REEXPORTS])


def _reexport_batches(transform: DocumentTransform):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        settle()
        modules = targeted_modules(transform.engine().pack)
        for batch in batches:
            rows = []
            for row in batch.to_pylist():
                if row["language"] not in transform.languages or not may_reexport(row["content"] or "", modules):
                    continue
                try:
                    table = local_reexports(row["content"], row["path"] or "", row["language"], modules)
                except Exception:  # noqa: BLE001 - a file we cannot read re-exports nothing for us
                    continue
                rows += [{"origin": row["origin"] or "", "path": row["path"] or "", "exported": name,
                          "module": module, "imported": imported} for name, (module, imported) in table.items()]
            yield pa.RecordBatch.from_pylist(rows, schema=_REEXPORTS)
    return run


def find_aliases(documents: DataFrame, transform: DocumentTransform) -> dict[str, dict[str, Table]]:
    """Origin -> module key -> what that module of the origin re-exports of a module the pack
    targets (see :mod:`corpusforge.transform.aliases`). Only files matching
    :func:`~corpusforge.transform.aliases.reexport_regexes` (on the JVM) reach Python, and only
    those passing ``may_reexport`` there are parsed; the result (a few rows per package that
    has such a module) is collected to the driver."""
    modules = targeted_modules(transform.engine().pack)
    if not modules:
        return {}
    # The necessary condition runs on the JVM (plain substring tests first, then the regexes):
    # only the few files it keeps go to Python, in one task per core rather than one per
    # input partition (a Python task costs its start-up even with nothing to do).
    content = F.col("content")
    quoted = functools.reduce(operator.or_, [content.contains(f"{q}{m}{q}") for m in sorted(modules) for q in "'\""])
    reexport_from, imports, exports = reexport_regexes(modules)
    reexporting = content.rlike(reexport_from) | (content.rlike(imports) & content.rlike(exports))
    candidates = documents.where(content.contains("export") & quoted & reexporting) \
        .select("origin", "path", "language", "content") \
        .coalesce(documents.sparkSession.sparkContext.defaultParallelism)
    found = candidates.mapInArrow(_reexport_batches(transform), REEXPORTS_SCHEMA).collect()
    grouped: dict[str, dict[str, Table]] = {}
    for r in found:
        grouped.setdefault(r["origin"], {}).setdefault(r["path"], {})[r["exported"]] = (r["module"], r["imported"])
    return {origin: merged for origin, files in grouped.items() if (merged := merge(files.items()))}


def transform_documents(documents: DataFrame, transform: DocumentTransform) -> DataFrame:
    """Rewrite every document (columns as in silver); maps as map columns, reason/detail set
    on documents that must be rejected."""
    needed = ["doc_id", "source", "origin", "path", "language", "license", "size_bytes", "content"]
    out = documents.select(*needed).mapInArrow(_transform_batches(transform), OUTPUT_SCHEMA)
    for name in ("rules_fired", "unsupported", "constraints"):
        out = out.withColumn(name, F.from_json(name, COUNTS))
    return out


def input_table(spark: SparkSession, warehouse: str) -> tables.TableSpec:
    """``silver/deduped`` when the dedup stage has written it, else ``silver/filtered``."""
    for spec in (tables.SILVER_DEDUPED, tables.SILVER_FILTERED):
        if tables.table_exists(spark, warehouse, spec):
            return spec
    raise InputError("no input: neither silver/deduped nor silver/filtered exists",
                     path=tables.SILVER_FILTERED.path(warehouse), stage=STAGE,
                     hint="run ./spark-submit.sh ingest and ./spark-submit.sh filter first")


def rules_frame(spark: SparkSession, transformed: DataFrame, pack: RulePack, run_id: str) -> DataFrame:
    """One row per rule of the pack (how often it fired, what it left) and per constraint
    (kind ``constraint``: ``fired`` counts the matches that remained in outputs)."""
    counts = (transformed.select(F.explode("rules_fired").alias("rule", "n"))
              .unionByName(transformed.select(F.explode("constraints").alias("rule", "n"))))
    fired = counts.groupBy("rule").agg(F.sum("n").alias("fired"), F.count("*").alias("documents_fired"))
    left = (transformed.select(F.explode("unsupported").alias("rule", "n")).groupBy("rule")
            .agg(F.sum("n").alias("unsupported"), F.count("*").alias("documents_unsupported")))
    kinds = spark.createDataFrame([(r.id, r.kind) for r in pack.rules]
                                  + [(c.name, "constraint") for c in pack.constraints],
                                  "rule string, kind string")
    return (kinds.join(fired, "rule", "left").join(left, "rule", "left").fillna(0)
            .withColumn("run_id", F.lit(run_id)))


def write_rules_report(rows: list[dict], warehouse: str, run_id: str) -> Path | None:
    """``<warehouse>/reports/<run_id>/transform_rules.md``: coverage per rule (local warehouses)."""
    if "://" in warehouse:
        return None
    folder = Path(warehouse) / "reports" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"# Transform rules, run {run_id}", "",
             "| rule | kind | fired | documents | unsupported | documents |", "|---|---|---:|---:|---:|---:|"]
    lines += [f"| {r['rule']} | {r['kind']} | {r['fired']} | {r['documents_fired']} | {r['unsupported']} | "
              f"{r['documents_unsupported']} |" for r in rows]
    path = folder / "transform_rules.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_instructions(spark: SparkSession, warehouse: str, originals: DataFrame, pack: RulePack,
                       languages: tuple[str, ...], run_id: str) -> None:
    """Replace ``gold/instructions`` with the pairs mined from ``gold/documents`` (as just
    written) and the transform's input; see :mod:`corpusforge.transform.instructions`."""
    from corpusforge.transform.instructions import instruction_rows

    gold = tables.read_table(spark, warehouse, tables.GOLD_DOCUMENTS)
    rows = instruction_rows(gold, originals, pack.instructions, languages, run_id)
    tables.replace_rows(spark, warehouse, tables.GOLD_INSTRUCTIONS, rows)


def run(spark: SparkSession, config: Config) -> StageResult:
    """Transform every silver document into gold/documents or rejects; record rule coverage."""
    warehouse, run_id = config.warehouse, config.resolved_run_id()
    transform = make_transform(config.transform)
    pack = transform.engine().pack
    source = input_table(spark, warehouse)
    table = tables.read_table(spark, warehouse, source)
    if config.transform.follow_reexports:  # over the table as read: a filter needs no spreading
        transform = replace(transform, aliases=find_aliases(table, transform))
    documents = spread(table)
    transformed = (transform_documents(documents, transform).withColumn("run_id", F.lit(run_id))
                   .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        rows_in = transformed.count()
        kept, rejects = tables.split_rejects(transformed, stage=STAGE, run_id=run_id)
        tables.replace_rows(spark, warehouse, tables.GOLD_DOCUMENTS, kept)
        tables.ensure_table(spark, warehouse, tables.REJECTS)
        tables.replace_rows(spark, warehouse, tables.REJECTS, rejects, where=f"stage = {tables.sql_string(STAGE)}")
        coverage = rules_frame(spark, transformed, pack, run_id)
        tables.ensure_table(spark, warehouse, tables.TRANSFORM_RULES)
        tables.replace_rows(spark, warehouse, tables.TRANSFORM_RULES, coverage, where=f"run_id = {tables.sql_string(run_id)}")
        # One row per rule of the pack: small enough for the driver.
        write_rules_report([r.asDict() for r in coverage.orderBy("rule").collect()], warehouse, run_id)
        write_instructions(spark, warehouse, documents, pack, tuple(config.transform.languages), run_id)
        per_reason = (transformed.where(F.col("reason").isNotNull()).groupBy("reason")
                      .agg(F.count("*").alias("n"), F.sum("size_bytes").alias("bytes")).collect())
    finally:
        transformed.unpersist()
    rows_out = tables.read_table(spark, warehouse, tables.GOLD_DOCUMENTS).count()
    rows_rejected = tables.read_table(spark, warehouse, tables.REJECTS).where(F.col("stage") == STAGE).count()
    versions = {spec.name: tables.table_version(spark, warehouse, spec)
                for spec in (tables.GOLD_DOCUMENTS, tables.REJECTS, tables.TRANSFORM_RULES,
                             tables.GOLD_INSTRUCTIONS)}
    result = StageResult(STAGE, rows_in, rows_out, rows_rejected,
                         dict(sorted((r["reason"], r["n"]) for r in per_reason)), versions,
                         dict(sorted((r["reason"], r["bytes"] or 0) for r in per_reason)))
    return finish_stage(spark, warehouse, run_id, result)
