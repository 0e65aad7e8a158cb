"""What every stage returns, and how its run is recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyspark.sql import SparkSession

from corpusforge import tables


@dataclass(frozen=True)
class StageResult:
    """What a stage did in one run: counts, reject reasons and the table versions it wrote."""

    stage: str
    rows_in: int
    rows_out: int
    rows_rejected: int
    reasons: dict[str, int]
    table_versions: dict[str, int]
    # Bytes (size_bytes) rejected per reason, for stages that measure them.
    reason_bytes: dict[str, int] = field(default_factory=dict)
    # Other named counts (meta/stage_runs `counts`), e.g. the filter's cleaning steps.
    counts: dict[str, int] = field(default_factory=dict)
    # Wall time of the stage, set by the pipeline for its printed summary (never stored).
    seconds: float | None = field(default=None, compare=False)


def finish_stage(spark: SparkSession, warehouse: str, run_id: str, result: StageResult) -> StageResult:
    """Check the accounting identity, then record the stage's counts in ``meta/stage_runs``."""
    tables.check_accounting(result.stage, result.rows_in, result.rows_out, result.rows_rejected)
    tables.record_stage_run(spark, warehouse, run_id=run_id, stage=result.stage,
                            rows_in=result.rows_in, rows_out=result.rows_out,
                            rows_rejected=result.rows_rejected, reasons=result.reasons,
                            table_versions=result.table_versions, config_sha256=run_id,
                            reason_bytes=result.reason_bytes or None,
                            counts=result.counts or None)
    return result
