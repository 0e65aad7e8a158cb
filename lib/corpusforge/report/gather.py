"""The run's numbers, read from the warehouse into plain values.

Spark computes small aggregates (counts per reason, binned histograms, a few sampled
documents); everything after that is plain Python, so :mod:`corpusforge.report.render` and
the tests work on ordinary dicts and lists. A table that a stage did not write leaves its
section ``None`` with a note saying why, never an error.
"""

from __future__ import annotations

import difflib
import json
import math
import shutil
from dataclasses import dataclass, field

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from corpusforge import artifacts, tables
from corpusforge.config import Config, PipelineSettings
from corpusforge.errors import CorpusforgeError
from corpusforge.filters.cleaning import KEPT_ORIGINAL, STEPS, UNPARSED

# The table each stage's kept rows land in (bytes out are measured there).
STAGE_OUTPUT = {"ingest": tables.BRONZE_DOCUMENTS, "filter": tables.SILVER_FILTERED,
                "dedup": tables.SILVER_DEDUPED, "transform": tables.GOLD_DOCUMENTS,
                "encode": tables.GOLD_TOKENS}
# Transform rejects that mean "the rewrite was tried and failed a check".
REWRITE_FAILURES = ("reparse_failed", "not_converged", "not_idempotent")
TYPECHECK_LANGUAGES = ("typescript", "tsx")


@dataclass(frozen=True)
class Histogram:
    """Counts per bin; ``edges`` has one more entry than ``counts``. ``log``: geometric bins."""

    edges: list[float]
    counts: list[int]
    log: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class ReportData:
    """Everything the report shows, as plain values; a ``None`` section did not run."""

    run_id: str
    warehouse: str
    runs_present: list[str] = field(default_factory=list)
    funnel: list[dict] | None = None
    rejects: list[dict] | None = None
    licenses: list[dict] | None = None
    cleaning: list[dict] | None = None
    quality: dict[str, Histogram] | None = None
    dedup: dict | None = None
    rules: list[dict] | None = None
    coverage: dict[str, int] | None = None
    validation: list[dict] | None = None
    shares: list[dict] | None = None
    tokens: dict | None = None
    plan: dict | None = None
    diffs: list[dict] | None = None
    # Section id -> why it is empty, or a caveat shown with it.
    notes: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- plain functions


def bin_edges(lo: float, hi: float, bins: int, log: bool = False) -> list[float]:
    """``bins`` equal-width bins over [lo, hi] (geometric when ``log``, from max(lo, 1))."""
    if log:
        lo, hi = math.log10(max(lo, 1.0)), math.log10(max(hi, 1.0))
    if hi <= lo:
        hi = lo + 1.0
    width = (hi - lo) / bins
    edges = [lo + i * width for i in range(bins + 1)]
    return [10 ** e for e in edges] if log else edges


def bin_index(value: float, edges: list[float], log: bool = False) -> int:
    """The bin of ``value``: ``floor((v - lo) / width)`` clamped to the bins (the same formula
    the Spark side uses, so both agree to the bin)."""
    bins = len(edges) - 1
    if log:
        lo, hi, value = math.log10(edges[0]), math.log10(edges[-1]), math.log10(max(value, 1.0))
    else:
        lo, hi = edges[0], edges[-1]
    return min(max(int(math.floor((value - lo) / ((hi - lo) / bins))), 0), bins - 1)


def histogram(values: list[float], bins: int, log: bool = False) -> Histogram | None:
    """A histogram of ``values`` (None when there are none)."""
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return None
    edges = bin_edges(min(values), max(values), bins, log)
    counts = [0] * bins
    for v in values:
        counts[bin_index(v, edges, log)] += 1
    return Histogram(edges, counts, log)


def funnel_rows(runs: list[dict], bytes_out: dict[str, int], bytes_rejected: dict[str, int],
                order: list[str]) -> list[dict]:
    """One row per recorded stage, in pipeline order: rows in/out/rejected and bytes where the
    stage writes documents (``None`` where it does not)."""
    rank = {s: i for i, s in enumerate(order)}
    rows = []
    for r in sorted(runs, key=lambda r: (rank.get(r["stage"], len(rank)), r["stage"])):
        stage = r["stage"]
        rows.append({"stage": stage, "rows_in": r["rows_in"], "rows_out": r["rows_out"],
                     "rows_rejected": r["rows_rejected"], "bytes_out": bytes_out.get(stage),
                     "bytes_rejected": bytes_rejected.get(stage) if stage in bytes_out else None})
    return rows


def rule_coverage(rules: list[dict]) -> list[dict]:
    """Rules with their coverage: of the places a rule matched, the share it rewrote
    (``fired``) rather than left untouched (``unsupported``); constraints have none."""
    out = []
    for r in sorted(rules, key=lambda r: (r["kind"] == "constraint", -r["fired"], r["rule"])):
        matched = r["fired"] + r["unsupported"]
        coverage = r["fired"] / matched if matched and r["kind"] != "constraint" else None
        out.append({**r, "matched": matched, "coverage": coverage})
    return out


def cleaning_rows(counts: dict[str, int], enabled: dict[str, bool]) -> list[dict]:
    """One row per cleaning step (in :data:`cleaning.STEPS` order, then the outcomes) from the
    filter's ``meta/stage_runs.counts``: whether it is on, documents it changed, its edits."""
    steps = [*STEPS, KEPT_ORIGINAL, UNPARSED]
    seen = {k.split(".")[1] for k in counts if k.startswith("cleaning.")}
    return [{"step": step, "enabled": enabled.get(step),
             "documents": counts.get(f"cleaning.{step}", 0), "edits": counts.get(f"cleaning.{step}.edits", 0)}
            for step in [*steps, *sorted(seen - set(steps))]]


def validation_rates(rewritten: int, transform_reasons: dict[str, int], parsed_ok: int,
                     typecheck: dict | None) -> list[dict]:
    """The rewrite's checks as rows (check, checked, passed, rate, note).

    ``rewritten``: documents the transform changed and kept; ``transform_reasons``: its reject
    counts by reason; ``parsed_ok``: documents of the rewritten languages whose input parsed.
    The engine checks in this order: convergence, re-parse, constraints, idempotence; each rate
    is over the documents that reached the check.
    """
    n = transform_reasons.get
    constraint = sum(v for k, v in transform_reasons.items() if k.startswith("constraint:"))
    parse_error = n("parse_error", 0)
    idempotence_checked = rewritten + n("not_idempotent", 0)
    constraint_checked = idempotence_checked + constraint
    reparse_checked = constraint_checked + n("reparse_failed", 0)
    converge_checked = reparse_checked + n("not_converged", 0)

    def row(check: str, checked: int, failed: int, note: str) -> dict:
        return {"check": check, "checked": checked, "passed": checked - failed,
                "rate": (checked - failed) / checked if checked else None, "note": note}

    rows = [row("input parses (tree-sitter)", parsed_ok + parse_error, parse_error,
                "documents of the rewritten languages; failures are `parse_error` rejects"),
            row("rewrite converges", converge_checked, n("not_converged", 0),
                "no rule still matches after transform.max_passes passes"),
            row("re-parse after rewrite", reparse_checked, n("reparse_failed", 0),
                "no new ERROR/MISSING nodes in the output"),
            row("constraints hold", constraint_checked, constraint,
                "no pattern the pack forbids remains (`constraint:*` rejects)"),
            row("idempotent", idempotence_checked, n("not_idempotent", 0),
                "a second rewrite changes nothing")]
    if typecheck is not None:
        rows.append(row("type check (tsc --noEmit)", typecheck["files"], typecheck["failed"],
                        f"a sample of rewritten .ts/.tsx files against the framework's .d.ts, each beside "
                        f"its origin's other files ({typecheck.get('context_files', 0)} files); "
                        f"{typecheck['failed_unresolved_only']} fail only on modules not in the warehouse "
                        f"(third-party packages, files not kept)"))
        if "introduced" in typecheck:
            rows.append(row("rewrite adds no type error", typecheck["files"], typecheck["introduced"],
                            "the same sample: errors beyond those of the file before the rewrite, checked the "
                            "same way beside the same files as they were (unresolved modules aside)"))
    return rows


def budget_shares(plan: dict | None, manifest: dict | None) -> list[dict]:
    """Per budget: the framework share it targets, the share the corpus can supply at the
    repeat cap (from the planner), and the share the shards reached (from the manifest)."""
    rows: dict[str, dict] = {}
    for p in (plan or {}).get("plans", []):
        total = p["total_tokens"]
        epochs = p["framework_epochs"]
        supply = p["framework_available"] * epochs if epochs is not None else 0
        achievable = min(p["framework_needed"], supply) / total if total else 0.0
        rows[p["budget"]] = {"budget": p["budget"], "target": p["framework_share"],
                             "achievable": achievable, "feasible": p["feasible"],
                             "repeat": p["framework_repeat"], "sharded": None}
    if manifest:
        name = manifest["budget"]["name"]
        row = rows.setdefault(name, {"budget": name, "target": manifest["budget"]["framework_share"],
                                     "achievable": None, "feasible": None, "repeat": None})
        row["sharded"] = manifest.get("framework_share", {}).get("train")
        row["scale"] = manifest["budget"].get("scale")
    return list(rows.values())


def unified_diff(before: str, after: str, path: str, max_lines: int) -> tuple[str, bool]:
    """The unified diff of a rewrite (3 lines of context) and whether it was cut."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(),
                                      fromfile=f"a/{path}", tofile=f"b/{path}", lineterm=""))
    return "\n".join(lines[:max_lines]), len(lines) > max_lines


# ---------------------------------------------------------------- Spark plumbing


def _table(spark: SparkSession, warehouse: str, spec: tables.TableSpec) -> DataFrame | None:
    return tables.read_table(spark, warehouse, spec) if tables.table_exists(spark, warehouse, spec) else None


def spark_histograms(df: DataFrame, columns: dict[str, Column], bins: int, log: frozenset[str] = frozenset(),
                     by: str | None = None) -> dict[str, Histogram]:
    """Histograms of numeric expressions in two Spark jobs (min/max, then counts per bin);
    with ``by``, one histogram per value of that column, keyed ``"<column>|<value>"``, on
    the column's shared edges."""
    df = df.select(*([F.col(by).alias("_by")] if by else []),
                   *[e.cast("double").alias(name) for name, e in columns.items()])
    bounds = df.agg(*[f(F.col(c)).alias(f"{c}|{f.__name__}") for c in columns for f in (F.min, F.max)]).first()
    edges = {c: bin_edges(bounds[f"{c}|min"], bounds[f"{c}|max"], bins, c in log)
             for c in columns if bounds[f"{c}|min"] is not None}
    if not edges:
        return {}
    parts = []
    for c, e in edges.items():
        value, lo, hi = F.col(c), e[0], e[-1]
        if c in log:
            value, lo, hi = F.log10(F.greatest(value, F.lit(1.0))), math.log10(lo), math.log10(hi)
        index = F.least(F.greatest(F.floor((value - F.lit(lo)) / F.lit((hi - lo) / bins)), F.lit(0)),
                        F.lit(bins - 1)).cast("int")
        parts.append(F.when(F.col(c).isNotNull(), F.struct(F.lit(c).alias("name"), index.alias("bin"))))
    exploded = df.select(*([F.col("_by")] if by else []), F.explode(F.array(*parts)).alias("h")).where("h IS NOT NULL")
    keys = ([F.col("_by")] if by else []) + [F.col("h.name").alias("name"), F.col("h.bin").alias("bin")]
    counts: dict[str, list[int]] = {}
    for r in exploded.groupBy(*keys).count().collect():
        key = f"{r['name']}|{r['_by']}" if by else r["name"]
        counts.setdefault(key, [0] * bins)[r["bin"]] = r["count"]
    return {k: Histogram(edges[k.split("|")[0]], v, k.split("|")[0] in log) for k, v in sorted(counts.items())}


def _runs(spark: SparkSession, data: ReportData, config: Config) -> list[dict]:
    runs_df = _table(spark, config.warehouse, tables.STAGE_RUNS)
    if runs_df is None:
        data.notes["funnel"] = "meta/stage_runs does not exist: no stage has run on this warehouse."
        return []
    data.runs_present = sorted(r[0] for r in runs_df.select("run_id").distinct().collect())
    runs = [r.asDict() for r in runs_df.where(F.col("run_id") == data.run_id).collect()]
    if not runs:
        data.notes["funnel"] = (f"meta/stage_runs has no stage of run {data.run_id}; runs recorded: "
                                f"{', '.join(data.runs_present)} (pass --run-id to report one of them, or "
                                "the same --conf/--set as the run).")
    return [r for r in runs if r["stage"] != "report"]


def _gather_cleaning(data: ReportData, runs: list[dict], config: Config) -> None:
    filter_runs = [r for r in runs if r["stage"] == "filter"]
    if not filter_runs:
        data.notes["cleaning"] = "the filter stage (which cleans code) did not run in this run."
        return
    settings = config.filter.cleaning
    enabled = {step: bool(settings.enabled and getattr(settings, step)) for step in STEPS}
    data.cleaning = cleaning_rows(dict(filter_runs[-1].get("counts") or {}), enabled)
    if not settings.enabled:
        data.notes["cleaning"] = "filter.cleaning.enabled is false: no step ran."


def _gather_funnel_and_rejects(spark: SparkSession, data: ReportData, config: Config) -> None:
    runs = _runs(spark, data, config)
    _gather_cleaning(data, runs, config)
    rejects = _table(spark, config.warehouse, tables.REJECTS)
    bytes_rejected: dict[str, int] = {}
    if rejects is not None:
        grouped = (rejects.groupBy("stage", "reason")
                   .agg(F.count("*").alias("rows"), F.sum("size_bytes").alias("bytes")).collect())
        data.rejects = sorted(({"stage": r["stage"], "reason": r["reason"], "rows": r["rows"],
                                "bytes": r["bytes"] or 0} for r in grouped),
                              key=lambda r: (r["stage"], -r["rows"], r["reason"]))
        for r in data.rejects:
            bytes_rejected[r["stage"]] = bytes_rejected.get(r["stage"], 0) + r["bytes"]
    else:
        data.notes["rejects"] = "the rejects table does not exist: no stage has run."
    if not runs:
        return
    bytes_out: dict[str, int] = {}
    for stage, spec in STAGE_OUTPUT.items():
        df = _table(spark, config.warehouse, spec)
        if df is not None and stage in {r["stage"] for r in runs}:
            column = "n_bytes" if spec is tables.GOLD_TOKENS else "size_bytes"
            bytes_out[stage] = int(df.agg(F.sum(column)).first()[0] or 0)
    # The default pipeline order first: a run of only some stages still lists them in data order.
    order = list(dict.fromkeys([*PipelineSettings().stages, *config.pipeline.stages]))
    data.funnel = funnel_rows(runs, bytes_out, bytes_rejected, order)


def _gather_licenses(spark: SparkSession, data: ReportData, config: Config) -> None:
    df = _table(spark, config.warehouse, tables.LICENSE_COMPLIANCE)
    if df is None:
        data.notes["licenses"] = "meta/license_compliance does not exist: the filter stage has not run."
        return
    of_run = df.where(F.col("run_id") == data.run_id)
    if of_run.limit(1).count() == 0:
        data.notes["licenses"] = f"meta/license_compliance has no rows of run {data.run_id}; showing every run."
        of_run = df
    rows = (of_run.groupBy("decision", F.coalesce("license", F.lit("(none)")).alias("license"))
            .agg(F.countDistinct("origin").alias("origins"), F.sum("documents").alias("documents"),
                 F.sum("bytes").alias("bytes")).collect())
    data.licenses = sorted((r.asDict() for r in rows), key=lambda r: (r["decision"], -r["documents"], r["license"]))


def _gather_quality(spark: SparkSession, data: ReportData, config: Config) -> None:
    df = _table(spark, config.warehouse, tables.SILVER_FILTERED)
    if df is None:
        data.notes["quality"] = "silver/filtered does not exist: the filter stage has not run."
        return
    columns = [c for c in config.report.quality_columns if c in df.columns]
    missing = [c for c in config.report.quality_columns if c not in df.columns]
    if missing:
        data.notes["quality"] = f"not in silver/filtered: {', '.join(missing)}."
    data.quality = spark_histograms(df, {c: F.col(c) for c in columns}, config.report.histogram_bins)


def _gather_dedup(spark: SparkSession, data: ReportData, config: Config) -> None:
    df = _table(spark, config.warehouse, tables.DEDUP_CLUSTERS)
    if df is None:
        data.notes["dedup"] = "dedup/clusters does not exist: the dedup stage has not run."
        return
    sizes = df.groupBy("cluster_id").agg(F.count("*").alias("size")).groupBy("size").count().collect()
    removed = df.where(~F.col("is_representative")).groupBy("reason").agg(
        F.count("*").alias("rows"), F.sum("size_bytes").alias("bytes")).collect()
    sim = spark_histograms(df.where(~F.col("is_representative")), {"similarity": F.col("similarity")},
                           config.report.histogram_bins)
    data.dedup = {"sizes": {int(r["size"]): int(r["count"]) for r in sorted(sizes, key=lambda r: r["size"])},
                  "removed": sorted(({"reason": r["reason"] or "(none)", "rows": r["rows"], "bytes": r["bytes"] or 0}
                                     for r in removed), key=lambda r: (-r["rows"], r["reason"])),
                  "similarity": sim.get("similarity")}


def _gather_transform(spark: SparkSession, data: ReportData, config: Config) -> None:
    rules = _table(spark, config.warehouse, tables.TRANSFORM_RULES)
    gold = _table(spark, config.warehouse, tables.GOLD_DOCUMENTS)
    if rules is None or gold is None:
        why = "the transform stage has not run (no meta/transform_rules / gold/documents)."
        for section in ("rules", "validation", "diffs"):
            data.notes[section] = why
        return
    of_run = rules.where(F.col("run_id") == data.run_id)
    if of_run.limit(1).count() == 0:
        data.notes["rules"] = f"meta/transform_rules has no rows of run {data.run_id}."
    data.rules = rule_coverage([r.asDict() for r in of_run.drop("run_id").collect()])
    changed = F.col("content_sha256") != F.col("original_sha256")
    in_languages = F.col("language").isin(*config.transform.languages) & (F.col("source") != "framework")
    has_unsupported = F.coalesce(F.size("unsupported"), F.lit(0)) > 0
    doc = gold.agg(
        F.sum(changed.cast("int")).alias("rewritten"),
        F.sum((in_languages & ~changed & has_unsupported).cast("int")).alias("matched_left"),
        F.sum((in_languages & ~changed & ~has_unsupported).cast("int")).alias("no_match"),
        F.sum((F.col("source") == "framework").cast("int")).alias("framework"),
        F.sum((~in_languages & (F.col("source") != "framework")).cast("int")).alias("passed_through"),
        F.sum(F.col("language").isin(*config.transform.languages).cast("int")).alias("parsed_ok"),
        F.sum((~F.col("valid")).cast("int")).alias("invalid")).first().asDict()
    doc = {k: int(v or 0) for k, v in doc.items()}
    rejects = _table(spark, config.warehouse, tables.REJECTS)
    reasons = ({r["reason"]: r["n"] for r in rejects.where(F.col("stage") == "transform")
                .groupBy("reason").agg(F.count("*").alias("n")).collect()} if rejects is not None else {})
    # A rejected document still parsed unless its reason says it did not.
    parsed_ok = doc["parsed_ok"] + sum(v for k, v in reasons.items() if k not in ("parse_error", "transform_error"))
    data.coverage = {**{k: doc[k] for k in ("rewritten", "matched_left", "no_match", "framework", "passed_through")},
                     "rejected": sum(reasons.values())}
    typecheck = _typecheck(gold.where(changed & F.col("language").isin(*TYPECHECK_LANGUAGES)), gold, data, config)
    data.validation = validation_rates(doc["rewritten"], reasons, parsed_ok, typecheck)
    if doc["invalid"]:
        data.notes["validation"] = (f"{doc['invalid']} document(s) in gold/documents are marked valid=false "
                                    "(transform.on_parse_error: pass).")
    _gather_diffs(spark, data, config, gold.where(changed))


def _typecheck(rewritten: DataFrame, gold: DataFrame, data: ReportData, config: Config) -> dict | None:
    """tsc over a sample of rewritten files, or None (with a note) when it cannot run here.

    Each sampled file is checked in its origin's folder with the origin's other gold files
    beside it (up to ``report.typecheck_context_bytes``), so its relative imports resolve as
    in its repository; only the sampled files are counted. The same files before the rewrite
    are checked the same way beside the same files as they were: ``introduced`` counts the
    files with errors their originals do not have.
    """
    from corpusforge.transform.stage import input_table
    from corpusforge.transform.typecheck import find_tsc, introduced_errors, scratch_path, typecheck

    if config.report.typecheck == "off":
        data.notes["typecheck"] = "type check: off (report.typecheck)."
        return None
    tsc = find_tsc(cache_dir=config.ingest.npm_cache_dir, fetch=False)
    if tsc is None or shutil.which("node") is None:
        data.notes["typecheck"] = ("type check: not run — it needs node and TypeScript unpacked in "
                                   f"{config.ingest.npm_cache_dir} (the transform tests fetch it with npm pack).")
        return None
    order = F.xxhash64(F.lit(config.report.seed), F.col("doc_id"))
    sample = [(r["doc_id"], r["origin"], safe, r["content"])
              for r in rewritten.select("doc_id", "origin", "path", "content")
              .orderBy(order).limit(config.report.typecheck_sample).collect()
              if (safe := scratch_path(r["path"])) is not None]
    if not sample:
        data.notes["typecheck"] = "type check: no rewritten .ts/.tsx file to check."
        return None
    folder = {origin: f"{i:04d}" for i, origin in enumerate(sorted({origin for _, origin, _, _ in sample}))}
    files = {f"{folder[origin]}/{path}": content for _, origin, path, content in sample}
    context = typecheck_context(gold, folder, config.transform.languages, config.report.typecheck_context_bytes)
    # The same files as they were before the rewrite (from the transform's input table):
    # errors a rewritten file has beyond its original's are the rewrite's.
    spark = gold.sparkSession
    source = tables.read_table(spark, config.warehouse, input_table(spark, config.warehouse))
    before_text = {r["doc_id"]: r["content"] for r in source.where(F.col("doc_id").isin([s[0] for s in sample]))
                   .select("doc_id", "content").collect()}
    originals = {f"{folder[origin]}/{path}": before_text[doc_id] for doc_id, origin, path, _ in sample
                 if doc_id in before_text}
    declarations = config.transform.analysis.declarations
    try:
        result = typecheck(files, declarations, tsc, context=context)
        before = None
        if len(originals) == len(files):
            # The same files beside them, as they were: both checks see the same paths (a
            # context chosen anew from the input would differ where the rewrite made files
            # longer and the byte cap fell earlier, and an import missing on one side only
            # looks like an error the rewrite introduced).
            before = typecheck(originals, declarations, tsc, context=context_as_of(source, folder, context))
        else:
            data.notes["typecheck"] = (f"type check: {len(files) - len(originals)} sampled file(s) are missing from "
                                       "the transform's input table, so the errors the rewrite added are not counted.")
    except CorpusforgeError as exc:  # the report shows the other checks rather than failing
        data.notes["typecheck"] = f"type check: not run — {exc.one_line()}"
        return None
    failed, failed_resolved = result.failed(), result.failed(ignore_unresolved=True)
    out = {"files": len(files), "failed": len(failed), "failed_unresolved_only": len(failed - failed_resolved),
           "context_files": result.context_files}
    if before is not None:
        out["introduced"] = len(introduced_errors(before, result))
    return out


def typecheck_context(gold: DataFrame, folder: dict[str, str], languages: list[str],
                      max_bytes: int) -> dict[str, str]:
    """The gold files of the given origins that a type check may import, at
    ``<folder of the origin>/<path>``: those in ``languages`` (the transform's: TypeScript and
    JavaScript sources and declarations), in (origin, path) order until ``max_bytes`` of
    content (UTF-8)."""
    from pyspark.sql import Window

    candidates = gold.where(F.col("origin").isin(*folder) & F.col("language").isin(*languages))
    # The running total is taken over (origin, path, size) alone, then the contents joined:
    # the one-partition window never carries file contents.
    sizes = candidates.groupBy("origin", "path").agg(F.max(F.octet_length("content")).alias("n"))
    running = F.sum("n").over(Window.orderBy("origin", "path").rowsBetween(Window.unboundedPreceding, 0))
    within = sizes.withColumn("upto", running).where(F.col("upto") <= max_bytes).select("origin", "path")
    kept = candidates.join(within, ["origin", "path"]).select("origin", "path", "content").collect()
    return {f"{folder[r['origin']]}/{r['path']}": r["content"]
            for r in sorted(kept, key=lambda r: (r["origin"], r["path"]))}


def context_as_of(table: DataFrame, folder: dict[str, str], context: dict[str, str]) -> dict[str, str]:
    """The files of ``context`` (``<folder of the origin>/<path>`` -> content, as
    :func:`typecheck_context` returns) with their content in ``table``; a file ``table``
    lacks keeps the content it has in ``context``."""
    origin_of = {name: origin for origin, name in folder.items()}
    pairs = [(origin_of[key.split("/", 1)[0]], key.split("/", 1)[1]) for key in context]
    if not pairs:
        return {}
    wanted = table.sparkSession.createDataFrame(pairs, "origin string, path string")
    found = {f"{folder[r['origin']]}/{r['path']}": r["content"]
             for r in table.join(wanted, ["origin", "path"]).select("origin", "path", "content").collect()}
    return {key: found.get(key, content) for key, content in context.items()}


def _gather_diffs(spark: SparkSession, data: ReportData, config: Config, rewritten: DataFrame) -> None:
    from corpusforge.transform.stage import input_table

    if config.report.diff_samples == 0:
        data.diffs = []
        return
    source = tables.read_table(spark, config.warehouse, input_table(spark, config.warehouse))
    order = F.xxhash64(F.lit(config.report.seed), F.col("doc_id"))
    picked = (rewritten.select("doc_id", "origin", "path", "rules_applied", F.col("content").alias("after"))
              .join(source.select("doc_id", F.col("content").alias("before")), "doc_id")
              .orderBy(order).limit(config.report.diff_samples).collect())
    data.diffs = []
    for r in picked:
        diff, cut = unified_diff(r["before"], r["after"], r["path"], config.report.max_diff_lines)
        data.diffs.append({"origin": r["origin"], "path": r["path"], "rules": list(r["rules_applied"] or []),
                           "diff": diff, "cut": cut})


def _gather_tokens(spark: SparkSession, data: ReportData, config: Config) -> None:
    df = _table(spark, config.warehouse, tables.GOLD_TOKENS)
    if df is None:
        data.notes["tokens"] = "gold/tokens does not exist: the encode stage has not run."
        return
    summary = (df.groupBy("split", "category")
               .agg(F.count("*").alias("documents"), F.sum("n_tokens").alias("tokens"),
                    F.percentile_approx("n_tokens", [0.5, 0.9], 1000).alias("q"),
                    F.max("n_tokens").alias("max"))
               .orderBy("split", "category").collect())
    hist = spark_histograms(df, {"n_tokens": F.col("n_tokens")}, config.report.histogram_bins,
                            log=frozenset({"n_tokens"}), by="category")
    data.tokens = {"summary": [{"split": r["split"], "category": r["category"], "documents": r["documents"],
                                "tokens": int(r["tokens"] or 0), "p50": r["q"][0], "p90": r["q"][1],
                                "max": r["max"]} for r in summary],
                   "histograms": {k.split("|", 1)[1]: h for k, h in hist.items()}}


def _read_json(spark: SparkSession, location: str) -> dict | None:
    if not artifacts.artifact_exists(spark, location):
        return None
    return json.loads(artifacts.read_artifact(spark, location).decode("utf-8"))


def manifest_location(config: Config) -> str:
    """Where the shard job writes the manifest of ``shards.budget`` at ``shards.scale``."""
    s = config.shards
    name = s.budget if s.scale == 1 else f"{s.budget}-scale-{s.scale:g}"
    return artifacts.artifact_path(config.warehouse, s.output, name, "manifest.json")


def _gather_plan(spark: SparkSession, data: ReportData, config: Config) -> None:
    plan_at = artifacts.artifact_path(config.warehouse, "reports", data.run_id, "budget_plan.json")
    data.plan = _read_json(spark, plan_at)
    manifest = _read_json(spark, manifest_location(config))
    if data.plan is None:
        data.notes["plan"] = f"no budget plan for run {data.run_id} ({plan_at}): the plan stage has not run."
    if manifest is None:
        data.notes["shares"] = (f"no shard manifest at {manifest_location(config)}: the shard stage has not "
                                "run for shards.budget at shards.scale.")
    if data.plan is not None or manifest is not None:
        data.shares = budget_shares(data.plan, manifest)
    else:
        data.notes["shares"] = "neither the plan nor the shard stage has run."


def gather(spark: SparkSession, config: Config) -> ReportData:
    """Read the numbers of ``config``'s run from its warehouse."""
    data = ReportData(run_id=config.resolved_run_id(), warehouse=config.warehouse)
    _gather_funnel_and_rejects(spark, data, config)
    _gather_licenses(spark, data, config)
    _gather_quality(spark, data, config)
    _gather_dedup(spark, data, config)
    _gather_transform(spark, data, config)
    _gather_tokens(spark, data, config)
    _gather_plan(spark, data, config)
    return data
