"""Report job: ``<warehouse>/reports/<run_id>/report.html`` and ``report.md`` for the run.

Reads only small aggregates of the tables (see :mod:`corpusforge.report.gather`), so it runs
last in ``pipeline`` and on its own (``./spark-submit.sh report``) on any warehouse, whichever
stages have run; files are written through :mod:`corpusforge.artifacts` (local or object store).
"""

from __future__ import annotations

from pyspark.sql import SparkSession

from corpusforge import artifacts
from corpusforge.config import Config
from corpusforge.report.gather import gather
from corpusforge.report.render import render_html, render_markdown
from corpusforge.stages import StageResult, finish_stage

STAGE = "report"


def report_location(config: Config, name: str = "report.html") -> str:
    """Where the report of ``config``'s run is written."""
    return artifacts.artifact_path(config.warehouse, "reports", config.resolved_run_id(), name)


def run(spark: SparkSession, config: Config) -> StageResult:
    """Gather the run's numbers, write report.html and report.md; rows = stages reported."""
    data = gather(spark, config)
    artifacts.write_artifact(spark, report_location(config, "report.html"), render_html(data).encode("utf-8"))
    artifacts.write_artifact(spark, report_location(config, "report.md"), render_markdown(data).encode("utf-8"))
    stages = len(data.funnel or [])
    return finish_stage(spark, config.warehouse, config.resolved_run_id(),
                        StageResult(STAGE, stages, stages, 0, {}, {}))
