"""The pipeline job: run the configured stages in order, check accounting, summarise."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from pyspark.sql import SparkSession
from rich.console import Console
from rich.table import Table

from corpusforge import ingest, planner, tables
from corpusforge.report import stage as report_stage
from corpusforge.shards import stage as shard_stage
from corpusforge.tokenizer import stage as tokenizer_stage
from corpusforge.tokenizer import encode as encode_stage
from corpusforge.dedup import stage as dedup_stage
from corpusforge.filters import stage as filter_stage
from corpusforge.transform import stage as transform_stage
from corpusforge.config import Config
from corpusforge.errors import ConfigError
from corpusforge.progress import ProgressReporter, format_rate, stage_done_line
from corpusforge.stages import StageResult

# Spark local property naming the corpusforge stage of every Spark job it runs (event logs,
# listeners; benchmarks/scale.py sums shuffle bytes per stage by it).
STAGE_PROPERTY = "corpusforge.stage"

# Stages register here, in pipeline order (the report last: it reads what the others wrote).
STAGES: dict[str, Callable[[SparkSession, Config], StageResult]] = {
    "ingest": lambda spark, config: ingest.run(spark, config),
    "filter": lambda spark, config: filter_stage.run(spark, config),
    "dedup": lambda spark, config: dedup_stage.run(spark, config),
    "transform": lambda spark, config: transform_stage.run(spark, config),
    "tokenizer": lambda spark, config: tokenizer_stage.run(spark, config),
    "encode": lambda spark, config: encode_stage.run(spark, config),
    "plan": lambda spark, config: planner.run(spark, config),
    "shard": lambda spark, config: shard_stage.run(spark, config),
    "report": lambda spark, config: report_stage.run(spark, config),
}


def timed(name: str, call: Callable[[], StageResult], console: Console,
          progress: ProgressReporter | None = None) -> StageResult:
    """Run one stage and print its rows, time and rate; the result carries ``seconds``."""
    if progress is not None:
        progress.start_stage(name)
    spark = SparkSession.getActiveSession()
    if spark is not None:  # the Spark UI and event log group each job under its stage
        spark.sparkContext.setLocalProperty(STAGE_PROPERTY, name)
        spark.sparkContext.setJobDescription(f"corpusforge {name}")
    started = time.perf_counter()
    try:
        result = call()
    finally:
        if spark is not None:
            spark.sparkContext.setLocalProperty(STAGE_PROPERTY, None)
            spark.sparkContext.setJobDescription(None)
    result = dataclasses.replace(result, seconds=time.perf_counter() - started)
    console.print(stage_done_line(name, result.rows_in, result.rows_out, result.rows_rejected,
                                  result.seconds), highlight=False, soft_wrap=True)
    return result


def run_one(job: str, spark: SparkSession, config: Config, console: Console | None = None,
            budget: str | None = None, progress: ProgressReporter | None = None) -> StageResult:
    """Run a single job (``plan --budget X`` plans only that budget)."""
    console = console or Console(stderr=True)
    if job == "plan":
        return timed(job, lambda: planner.run(spark, config, only=budget, console=console), console, progress)
    if job == "analyze":  # a check of the rule pack against the framework, not a pipeline stage
        from corpusforge.transform import analysis

        return timed(job, lambda: analysis.run(spark, config), console, progress)
    if job == "maintain":  # table housekeeping on a schedule, not a pipeline stage
        from corpusforge import maintenance

        return timed(job, lambda: maintenance.run(spark, config), console, progress)
    return timed(job, lambda: STAGES[job](spark, config), console, progress)


def run(spark: SparkSession, config: Config, console: Console | None = None,
        progress: ProgressReporter | None = None) -> list[StageResult]:
    """Run ``config.pipeline.stages``; each must keep rows in = rows out + rows rejected."""
    console = console or Console(stderr=True)
    unknown = [s for s in config.pipeline.stages if s not in STAGES]
    if unknown:
        raise ConfigError(f"unknown stage(s) {unknown} in pipeline.stages", stage="pipeline",
                          hint=f"available stages: {', '.join(STAGES)}")
    results = []
    for name in config.pipeline.stages:
        console.print(f"[bold]corpusforge[/bold] stage [cyan]{name}[/cyan] …")
        result = run_one(name, spark, config, console, progress=progress)
        tables.check_accounting(name, result.rows_in, result.rows_out, result.rows_rejected)
        results.append(result)
    return results


def _latest_versions(results: list[StageResult]) -> dict[str, int]:
    """Each table written by the run, once, at the last version a stage wrote."""
    versions: dict[str, int] = {}
    for r in results:
        versions.update(r.table_versions)
    return versions


def _reason_rows(result: StageResult) -> list[tuple[str, int, int]]:
    """(reason, rows, bytes) of a stage that measures bytes per reason, most rows first."""
    return [(k, n, result.reason_bytes.get(k, 0))
            for k, n in sorted(result.reasons.items(), key=lambda kv: (-kv[1], kv[0]))]


def summary_markdown(config: Config, results: list[StageResult], top: int = 5) -> str:
    """The run summary as Markdown: per-stage counts and the top reject reasons."""
    lines = [f"# corpusforge run {config.resolved_run_id()}", "",
             "| stage | rows in | rows out | rejected | top reject reasons |",
             "|---|---:|---:|---:|---|"]
    for r in results:
        reasons = ", ".join(f"{k} ({v})" for k, v in
                            sorted(r.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
        lines.append(f"| {r.stage} | {r.rows_in} | {r.rows_out} | {r.rows_rejected} | {reasons} |")
    for r in results:
        if r.reason_bytes:
            lines += ["", f"{r.stage} rejects by reason:", "", "| reason | rows | bytes |", "|---|---:|---:|"]
            lines += [f"| {k} | {n} | {b} |" for k, n, b in _reason_rows(r)]
    lines += ["", "Tables:"]
    for name, version in _latest_versions(results).items():
        lines.append(f"- `{name}` version {version}: {tables.TABLES[name].path(config.warehouse)}")
    return "\n".join(lines) + "\n"


def top_reason(reasons: dict[str, int]) -> str:
    """The most frequent reject reason and how many others there are (the per-stage tables
    below the summary list them all; a short cell keeps the table readable at 80 columns)."""
    if not reasons:
        return ""
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    more = f" (+{len(ranked) - 1} more)" if len(ranked) > 1 else ""
    return f"{ranked[0][0]} {ranked[0][1]}{more}"


def print_summary(config: Config, results: list[StageResult], console: Console) -> Path | None:
    """Print the summary table and where things are; write the Markdown summary locally."""
    table = Table(title=f"corpusforge run {config.resolved_run_id()}")
    for col, justify in (("stage", "left"), ("rows in", "right"), ("rows out", "right"),
                         ("rejected", "right"), ("seconds", "right"), ("rate", "right"),
                         ("top reject reason", "left")):
        table.add_column(col, justify=justify)
    for r in results:
        reasons = top_reason(r.reasons)
        seconds = "-" if r.seconds is None else f"{r.seconds:.1f}"
        table.add_row(r.stage, str(r.rows_in), str(r.rows_out), str(r.rows_rejected), seconds,
                      format_rate(r.rows_in, r.seconds), reasons)
    console.print(table)
    for r in results:
        if r.reason_bytes:
            by_reason = Table(title=f"{r.stage} rejects by reason")
            for col, justify in (("reason", "left"), ("rows", "right"), ("bytes", "right")):
                by_reason.add_column(col, justify=justify)
            for k, n, b in _reason_rows(r):
                by_reason.add_row(k, str(n), str(b))
            console.print(by_reason)
    report = None
    if "://" not in config.warehouse:
        report = Path(config.warehouse) / "reports" / config.resolved_run_id() / "summary.md"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(summary_markdown(config, results), encoding="utf-8")
    warehouse = str(Path(config.warehouse).resolve()) if report else config.warehouse
    console.print(f"warehouse: {warehouse}", soft_wrap=True)
    for name in _latest_versions(results):
        console.print(f"  table {name}: {tables.TABLES[name].path(warehouse)}", soft_wrap=True)
    if report:
        console.print(f"report: {report.resolve()}", soft_wrap=True)
    if any(r.stage == "report" for r in results):
        console.print(f"report (HTML): {report_stage.report_location(config)}", soft_wrap=True)
    if any(r.stage == "shard" for r in results):
        folder = shard_stage.output_folder(config)
        console.print(f"shards: {folder} (manifest: {folder}/manifest.json)", soft_wrap=True)
    else:
        console.print("shards: not produced by this run (add `shard` to pipeline.stages)")
    return report
