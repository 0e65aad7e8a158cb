"""The ``trace`` job: the whole lineage of one document, from its source to the shards.

:func:`find_documents` resolves a doc id (or a unique prefix of one) or a path; :func:`trace`
reads every table for that doc id (a filter per table, no scan reaches the driver) into a
:class:`Lineage`; :func:`render_lineage` prints it with rich. The decisions of each stage come
from the tables the stages write: a row in the stage's output table means kept, a row in
``rejects`` means rejected with its reason.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from corpusforge import artifacts, tables
from corpusforge.config import Config
from corpusforge.errors import InputError

STAGE = "trace"
# Each stage of a document's way and the table holding the documents it keeps.
STAGE_OUTPUTS: tuple[tuple[str, tables.TableSpec], ...] = (
    ("ingest", tables.BRONZE_DOCUMENTS), ("filter", tables.SILVER_FILTERED),
    ("dedup", tables.SILVER_DEDUPED), ("transform", tables.GOLD_DOCUMENTS),
    ("encode", tables.GOLD_TOKENS), ("shard", tables.SHARD_INDEX))
PROVENANCE = ("source", "origin", "path", "language", "license", "license_evidence", "source_url",
              "content_sha256", "size_bytes", "run_id")
MIN_PREFIX = 6
MAX_DIFF_LINES = 200


@dataclass
class StageStep:
    """One stage's decision on the document."""

    stage: str
    decision: str  # kept | rejected | not reached | not run | absent | not drawn
    reason: str | None = None
    detail: str | None = None
    run_id: str | None = None
    counts: dict[str, Any] | None = None  # meta/stage_runs of that run: rows in/out/rejected


@dataclass
class Lineage:
    """Everything the warehouse knows about one document."""

    doc_id: str
    document: dict[str, Any]
    compliance: list[dict[str, Any]] = field(default_factory=list)
    stages: list[StageStep] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    cluster: dict[str, Any] | None = None
    transform: dict[str, Any] | None = None
    instructions: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, Any] | None = None
    shards: list[dict[str, Any]] = field(default_factory=list)


def stage_steps(kept: dict[str, dict | None], rejected: dict[str, dict], ran: dict[str, bool],
                runs: dict[tuple[str, str], dict] | None = None) -> list[StageStep]:
    """The decision of every stage, in pipeline order: ``kept`` maps a stage to the row of its
    output table (or None), ``rejected`` to its reject row, ``ran`` says whether its output
    table exists; ``runs`` holds meta/stage_runs rows by (run_id, stage). After a rejection
    the later stages are ``not reached``."""
    runs = runs or {}
    steps: list[StageStep] = []
    stopped = False
    for stage, _ in STAGE_OUTPUTS:
        if stopped:
            steps.append(StageStep(stage, "not reached"))
            continue
        if stage in rejected:
            r = rejected[stage]
            steps.append(StageStep(stage, "rejected", r.get("reason"), r.get("detail"), r.get("run_id"),
                                   runs.get((r.get("run_id"), stage))))
            stopped = True
        elif kept.get(stage) is not None:
            run_id = kept[stage].get("run_id")
            steps.append(StageStep(stage, "kept", run_id=run_id, counts=runs.get((run_id, stage))))
        elif not ran.get(stage):
            steps.append(StageStep(stage, "not run"))
            stopped = True
        elif stage == "shard" and kept.get("encode") is not None:
            steps.append(StageStep(stage, "not drawn", detail="in gold/tokens, but the budget's mix "
                                   "took no copy of it (partial epoch)"))
        else:
            steps.append(StageStep(stage, "absent", detail="not in the stage's output nor its rejects "
                                   "(the stage has not run since the document arrived)"))
            stopped = True
    return steps


def content_diff(before: str, after: str, path: str) -> str:
    """Unified diff of a document before and after the transform (empty when equal)."""
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=f"a/{path} (silver)", tofile=f"b/{path} (gold)"))


def shard_files(manifest: dict, split: str, shard: int) -> list[str]:
    """Files of the manifest that make up shard ``shard`` of ``split``."""
    return sorted(f["file"] for f in manifest.get("shards", []) if f["split"] == split and f["shard"] == shard)


def _one(df) -> dict | None:
    row = df.limit(1).collect()
    return row[0].asDict(recursive=True) if row else None


def find_documents(spark: SparkSession, warehouse: str, doc_id: str | None = None,
                   path: str | None = None, origin: str | None = None) -> list[str]:
    """Doc ids in bronze/documents or rejects matching a doc id (or a prefix of at least
    ``MIN_PREFIX`` hex digits), or a path (with an optional origin). Sorted, distinct."""
    if not tables.table_exists(spark, warehouse, tables.BRONZE_DOCUMENTS):
        raise InputError("the warehouse has no bronze/documents table", path=warehouse, stage=STAGE,
                         hint="point --warehouse at a warehouse the pipeline wrote")
    if doc_id is not None:
        doc_id = doc_id.strip().lower()
        if len(doc_id) < MIN_PREFIX:
            raise InputError(f"doc id {doc_id!r} is too short", stage=STAGE,
                             hint=f"give the doc_id or at least {MIN_PREFIX} of its first hex digits")
        cond = F.col("doc_id").startswith(doc_id)
    elif path is not None:
        cond = F.col("path") == path
        if origin is not None:
            cond = cond & (F.col("origin") == origin)
    else:
        raise InputError("nothing to trace", stage=STAGE, hint="give a DOC_ID or --path PATH")
    frames = [tables.read_table(spark, warehouse, tables.BRONZE_DOCUMENTS).where(cond).select("doc_id")]
    if tables.table_exists(spark, warehouse, tables.REJECTS):
        frames.append(tables.read_table(spark, warehouse, tables.REJECTS).where(cond).select("doc_id"))
    found = frames[0]
    for f in frames[1:]:
        found = found.unionByName(f)
    return sorted(r[0] for r in found.distinct().limit(50).collect())


def trace(spark: SparkSession, warehouse: str, doc_id: str, shards_output: str = "shards") -> Lineage:
    """The lineage of ``doc_id`` (a full id) from every table of the warehouse."""
    def exists(spec: tables.TableSpec) -> bool:
        return tables.table_exists(spark, warehouse, spec)

    def row(spec: tables.TableSpec, *columns: str) -> dict | None:
        if not exists(spec):
            return None
        df = tables.read_table(spark, warehouse, spec).where(F.col("doc_id") == doc_id)
        present = [c for c in columns if c in df.columns] if columns else df.columns
        return _one(df.select(*present))

    rejected = {}
    if exists(tables.REJECTS):
        rejected = {r["stage"]: r.asDict() for r in tables.read_table(spark, warehouse, tables.REJECTS)
                    .where(F.col("doc_id") == doc_id).collect()}
    kept: dict[str, dict | None] = {}
    for stage, spec in STAGE_OUTPUTS:
        if stage == "shard":
            continue
        kept[stage] = row(spec, "doc_id", "run_id")
    index = ([r.asDict() for r in tables.read_table(spark, warehouse, tables.SHARD_INDEX)
              .where(F.col("doc_id") == doc_id).orderBy("shards", "split", "shard", "copy").collect()]
             if exists(tables.SHARD_INDEX) else [])
    kept["shard"] = index[0] if index else None
    ran = {stage: exists(spec) for stage, spec in STAGE_OUTPUTS}
    if not kept["ingest"] and not rejected:
        raise InputError(f"no document {doc_id} in bronze/documents or rejects", path=warehouse,
                         stage=STAGE, hint="check the doc id (./spark-submit.sh lineage --path PATH finds it by path)")
    runs = {}
    if exists(tables.STAGE_RUNS):
        run_ids = {s["run_id"] for s in [*kept.values(), *rejected.values()] if s and s.get("run_id")}
        runs = {(r["run_id"], r["stage"]): {"rows_in": r["rows_in"], "rows_out": r["rows_out"],
                                            "rows_rejected": r["rows_rejected"]}
                for r in tables.read_table(spark, warehouse, tables.STAGE_RUNS)
                .where(F.col("run_id").isin(sorted(run_ids))).collect()}

    bronze = row(tables.BRONZE_DOCUMENTS, *PROVENANCE)
    first_reject = next((rejected[s] for s, _ in STAGE_OUTPUTS if s in rejected), {})
    document = {k: (bronze or first_reject).get(k) for k in PROVENANCE}
    lineage = Lineage(doc_id, document, stages=stage_steps(kept, rejected, ran, runs))

    if exists(tables.LICENSE_COMPLIANCE) and document.get("origin"):
        lineage.compliance = [r.asDict() for r in tables.read_table(spark, warehouse, tables.LICENSE_COMPLIANCE)
                              .where((F.col("source") == document["source"]) & (F.col("origin") == document["origin"]))
                              .orderBy("run_id", "license").collect()]
    silver = row(tables.SILVER_FILTERED, "redactions")
    if silver and silver.get("redactions"):
        lineage.redactions = {k: v for k, v in silver["redactions"].items() if v}

    cluster = row(tables.DEDUP_CLUSTERS)
    if cluster:
        members = (tables.read_table(spark, warehouse, tables.DEDUP_CLUSTERS)
                   .where(F.col("cluster_id") == cluster["cluster_id"])
                   .select("doc_id", "is_representative", "similarity", "reason", "origin", "path")
                   .orderBy(F.desc("is_representative"), "doc_id").limit(20).collect())
        cluster["members"] = [m.asDict() for m in members]
        lineage.cluster = cluster

    gold = row(tables.GOLD_DOCUMENTS)
    if gold:
        before_spec = tables.SILVER_DEDUPED if exists(tables.SILVER_DEDUPED) else tables.SILVER_FILTERED
        before = row(before_spec, "content")
        diff = content_diff(before["content"], gold["content"], document.get("path") or doc_id) \
            if before and gold.get("rules_applied") else ""
        lineage.transform = {k: gold.get(k) for k in (
            "category", "valid", "rules_applied", "rules_fired", "unsupported", "tags", "framework_calls",
            "original_sha256", "content_sha256")} | {"diff": diff}
    if exists(tables.GOLD_INSTRUCTIONS):
        lineage.instructions = [r.asDict() for r in tables.read_table(spark, warehouse, tables.GOLD_INSTRUCTIONS)
                                .where(F.col("doc_id") == doc_id)
                                .select("id", "kind", "rules", "instruction", F.length("response").alias("response_chars"))
                                .orderBy("kind", "id").collect()]
    lineage.tokens = row(tables.GOLD_TOKENS, "split", "category", "n_tokens", "n_chars", "tokenizer_sha256", "run_id")

    manifests: dict[str, dict] = {}
    for entry in index:
        name = entry["shards"]
        if name not in manifests:
            manifest = Path(artifacts.artifact_path(warehouse, shards_output, name, "manifest.json"))
            manifests[name] = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
        lineage.shards.append({**entry, "folder": artifacts.artifact_path(warehouse, shards_output, name),
                               "files": shard_files(manifests[name], entry["split"], entry["shard"])})
    return lineage


def render_lineage(lineage: Lineage, console: Console, max_diff_lines: int = MAX_DIFF_LINES) -> None:
    """Print the lineage: source, license, stage decisions, cluster, rules + diff, pairs, shards."""
    d = lineage.document
    console.print(f"[bold]document[/bold] {lineage.doc_id}")
    for key in PROVENANCE:
        if d.get(key) is not None:
            console.print(f"  {key}: {escape(str(d[key]))}", soft_wrap=True)

    if lineage.compliance:
        table = Table(title="license compliance (meta/license_compliance)")
        for col in ("run_id", "license", "decision", "reason", "evidence", "documents"):
            table.add_column(col)
        for r in lineage.compliance:
            table.add_row(r["run_id"], r["license"] or "(none)", r["decision"], r["reason"] or "",
                          r["license_evidence"] or "", str(r["documents"]))
        console.print(table)

    table = Table(title="stages")
    for col in ("stage", "decision", "reason", "detail", "run (rows in → out / rejected)"):
        table.add_column(col)
    for s in lineage.stages:
        counts = (f"{s.run_id}: {s.counts['rows_in']} → {s.counts['rows_out']} / {s.counts['rows_rejected']}"
                  if s.counts else (s.run_id or ""))
        table.add_row(s.stage, s.decision, s.reason or "", escape(s.detail or ""), counts)
    console.print(table)
    if lineage.redactions:
        console.print("redactions: " + ", ".join(f"{k} {v}" for k, v in sorted(lineage.redactions.items())))

    if lineage.cluster:
        c = lineage.cluster
        role = "representative (kept)" if c["is_representative"] else f"member ({c.get('reason')})"
        console.print(f"[bold]dedup cluster[/bold] {c['cluster_id']} — {role}, size {c.get('cluster_size')}, "
                      f"similarity {c.get('similarity')}", soft_wrap=True)
        for m in c["members"]:
            mark = "*" if m["is_representative"] else " "
            console.print(f"  {mark} {m['doc_id'][:16]} {escape(str(m['origin']))}/{escape(str(m['path']))} "
                          f"{m['reason'] or 'kept'}", soft_wrap=True)

    elif any(s.stage == "dedup" and s.decision == "kept" for s in lineage.stages):
        console.print("[bold]dedup cluster[/bold] none: no duplicate of it was found")

    if lineage.transform:
        t = lineage.transform
        console.print(f"[bold]transform[/bold] category {t['category']}, valid {t['valid']}, "
                      f"rules applied: {', '.join(t['rules_applied'] or []) or 'none'}", soft_wrap=True)
        if t.get("rules_fired"):
            console.print("  fired: " + ", ".join(f"{k} ×{v}" for k, v in sorted(t["rules_fired"].items())))
        if t.get("unsupported"):
            console.print("  left unsupported: " + ", ".join(f"{k} ×{v}" for k, v in sorted(t["unsupported"].items())))
        if t["diff"]:
            lines = t["diff"].splitlines()
            for line in lines[:max_diff_lines]:
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else None
                console.print(escape(line), style=style, soft_wrap=True, highlight=False)
            if len(lines) > max_diff_lines:
                console.print(f"  … {len(lines) - max_diff_lines} more diff lines")

    if lineage.instructions:
        console.print(f"[bold]instruction pairs[/bold] (gold/instructions): {len(lineage.instructions)}")
        for i in lineage.instructions:
            first = (i["instruction"] or "").strip().splitlines()[0][:100] if i["instruction"] else ""
            console.print(f"  {i['id'][:16]} {i['kind']} rules={','.join(i['rules'] or [])} "
                          f"\"{escape(first)}\" → {i['response_chars']} chars", soft_wrap=True)

    if lineage.tokens:
        k = lineage.tokens
        console.print(f"[bold]tokens[/bold] split {k['split']}, category {k['category']}, {k['n_tokens']} tokens "
                      f"(tokenizer {k['tokenizer_sha256'][:12]})")
    for s in lineage.shards:
        console.print(f"[bold]shard[/bold] {s['shards']} {s['split']} #{s['shard']} copy {s['copy']} "
                      f"position {s['position']}: " + ", ".join(s["files"]), soft_wrap=True)


def run(spark: SparkSession, config: Config, doc_id: str | None = None, path: str | None = None,
        origin: str | None = None, console: Console | None = None) -> Lineage:
    """Find the document (by id, id prefix, or path), trace it and print the lineage."""
    console = console or Console()
    found = find_documents(spark, config.warehouse, doc_id=doc_id, path=path, origin=origin)
    asked = doc_id if doc_id is not None else f"path {path!r}" + (f" in origin {origin!r}" if origin else "")
    if not found:
        raise InputError(f"no document {asked} in bronze/documents or rejects", path=config.warehouse,
                         stage=STAGE, hint="check the id or path; --path takes the path within its origin")
    if len(found) > 1:
        raise InputError(f"{asked} matches {len(found)} documents ({', '.join(f[:12] for f in found[:5])}"
                         f"{', …' if len(found) > 5 else ''})", stage=STAGE,
                         hint="give more of the doc id, or --origin ORIGIN with --path")
    lineage = trace(spark, config.warehouse, found[0], config.shards.output)
    render_lineage(lineage, console)
    return lineage
