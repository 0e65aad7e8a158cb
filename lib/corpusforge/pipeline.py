"""The pipeline job: run the configured stages in order, check accounting, summarise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pyspark.sql import SparkSession
from rich.console import Console
from rich.table import Table

from corpusforge import ingest, tables
from corpusforge.filters import stage as filter_stage
from corpusforge.config import Config
from corpusforge.errors import ConfigError
from corpusforge.stages import StageResult

# Later stages (dedup, transform, tokenize, shard, report) register here, in pipeline order.
STAGES: dict[str, Callable[[SparkSession, Config], StageResult]] = {
    "ingest": lambda spark, config: ingest.run(spark, config),
    "filter": lambda spark, config: filter_stage.run(spark, config),
}


def run(spark: SparkSession, config: Config, console: Console | None = None) -> list[StageResult]:
    """Run ``config.pipeline.stages``; each must keep rows in = rows out + rows rejected."""
    console = console or Console(stderr=True)
    unknown = [s for s in config.pipeline.stages if s not in STAGES]
    if unknown:
        raise ConfigError(f"unknown stage(s) {unknown} in pipeline.stages", stage="pipeline",
                          hint=f"available stages: {', '.join(STAGES)}")
    results = []
    for name in config.pipeline.stages:
        console.print(f"[bold]corpusforge[/bold] stage [cyan]{name}[/cyan] …")
        result = STAGES[name](spark, config)
        tables.check_accounting(name, result.rows_in, result.rows_out, result.rows_rejected)
        results.append(result)
    return results


def _latest_versions(results: list[StageResult]) -> dict[str, int]:
    """Each table written by the run, once, at the last version a stage wrote."""
    versions: dict[str, int] = {}
    for r in results:
        versions.update(r.table_versions)
    return versions


def summary_markdown(config: Config, results: list[StageResult], top: int = 5) -> str:
    """The run summary as Markdown: per-stage counts and the top reject reasons."""
    lines = [f"# corpusforge run {config.resolved_run_id()}", "",
             "| stage | rows in | rows out | rejected | top reject reasons |",
             "|---|---:|---:|---:|---|"]
    for r in results:
        reasons = ", ".join(f"{k} ({v})" for k, v in
                            sorted(r.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
        lines.append(f"| {r.stage} | {r.rows_in} | {r.rows_out} | {r.rows_rejected} | {reasons} |")
    lines += ["", "Tables:"]
    for name, version in _latest_versions(results).items():
        lines.append(f"- `{name}` version {version}: {tables.TABLES[name].path(config.warehouse)}")
    return "\n".join(lines) + "\n"


def print_summary(config: Config, results: list[StageResult], console: Console) -> Path | None:
    """Print the summary table and where things are; write the Markdown summary locally."""
    table = Table(title=f"corpusforge run {config.resolved_run_id()}")
    for col, justify in (("stage", "left"), ("rows in", "right"), ("rows out", "right"),
                         ("rejected", "right"), ("top reject reasons", "left")):
        table.add_column(col, justify=justify)
    for r in results:
        reasons = ", ".join(f"{k} {v}" for k, v in
                            sorted(r.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        table.add_row(r.stage, str(r.rows_in), str(r.rows_out), str(r.rows_rejected), reasons)
    console.print(table)
    report = None
    if "://" not in config.warehouse:
        report = Path(config.warehouse) / "reports" / config.resolved_run_id() / "summary.md"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(summary_markdown(config, results), encoding="utf-8")
    warehouse = str(Path(config.warehouse).resolve()) if report else config.warehouse
    console.print(f"warehouse: {warehouse}")
    for name in _latest_versions(results):
        console.print(f"  table {name}: {tables.TABLES[name].path(warehouse)}")
    if report:
        console.print(f"report: {report.resolve()}")
    console.print("shards: not produced yet (the shard stage is not part of this pipeline)")
    return report
