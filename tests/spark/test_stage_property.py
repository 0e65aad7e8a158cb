"""Every Spark job a stage runs carries the stage's name (Spark UI, event logs, listeners)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from corpusforge import pipeline
from corpusforge.stages import StageResult

pytestmark = pytest.mark.spark


def test_stage_name_is_a_local_property_while_the_stage_runs(spark):
    seen = {}

    def stage() -> StageResult:
        seen["property"] = spark.sparkContext.getLocalProperty(pipeline.STAGE_PROPERTY)
        seen["description"] = spark.sparkContext.getLocalProperty("spark.job.description")
        n = spark.range(10).count()
        return StageResult("dedup", n, n, 0, {}, {})

    pipeline.timed("dedup", stage, Console(file=io.StringIO()))
    assert seen == {"property": "dedup", "description": "corpusforge dedup"}
    assert spark.sparkContext.getLocalProperty(pipeline.STAGE_PROPERTY) is None

    def failing() -> StageResult:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        pipeline.timed("filter", failing, Console(file=io.StringIO()))
    assert spark.sparkContext.getLocalProperty(pipeline.STAGE_PROPERTY) is None
