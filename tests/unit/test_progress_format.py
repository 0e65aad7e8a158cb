"""The progress line and the per-stage rate, as plain functions (corpusforge.progress)."""

from __future__ import annotations

import io

from rich.console import Console

from corpusforge import cli
from corpusforge.progress import SparkStageStatus, StatusSnapshot, format_rate, format_status, stage_done_line


def test_status_line_names_stage_spark_stage_tasks_and_rate():
    snapshot = StatusSnapshot(
        stage="dedup", elapsed=75.0, jobs=(7,),
        spark_stages=(SparkStageStatus(12, "collect at /work/main/lib/corpusforge/dedup/stage.py:212", 8, 5, 2, 1),
                      SparkStageStatus(13, "mapInArrow at NativeMethodAccessorImpl.java:0", 4, 1, 1)),
        tasks_done_in_stage=30)
    assert format_status(snapshot) == (
        "stage dedup 1:15 · spark stage 12 (collect at stage.py:212) +1 more · "
        "tasks 6/12 (3 running) (1 failed) · 0.4 tasks/s")


def test_status_line_drops_jvm_call_sites():
    snapshot = StatusSnapshot(stage="ingest", elapsed=31.0, jobs=(0,),
                              spark_stages=(SparkStageStatus(6, "count at NativeMethodAccessorImpl.java:0", 8, 0, 1),))
    assert format_status(snapshot) == "stage ingest 0:31 · spark stage 6 (count) · tasks 0/8 (1 running)"


def test_status_line_between_spark_jobs():
    assert format_status(StatusSnapshot(stage="plan", elapsed=3661.0)) == "stage plan 1:01:01 · driver"
    assert format_status(StatusSnapshot(stage=None, elapsed=0.0)) == "stage - 0:00 · driver"


def test_rate_and_done_line():
    assert format_rate(183, 12.2) == "15 rows/s"
    assert format_rate(3, 4.0) == "0.8 rows/s"
    assert format_rate(10, 0.0) == "-" and format_rate(10, None) == "-"
    assert stage_done_line("ingest", 1830, 1710, 120, 12.2) == (
        "corpusforge stage ingest done in 12.2 s: 1,830 rows in, 1,710 out, 120 rejected (150 rows/s)")


def test_progress_is_off_unless_a_terminal_or_asked(monkeypatch):
    monkeypatch.delenv("CORPUSFORGE_TERMINAL", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal, as in tests and logs
    assert cli.progress_console(None) is None
    assert cli.progress_console(False) is None
    forced = cli.progress_console(True)
    assert isinstance(forced, Console) and not forced.is_terminal
    # Under spark-submit the driver's stderr is a pipe; spark-submit.sh says when it ends in a terminal.
    monkeypatch.setenv("CORPUSFORGE_TERMINAL", "1")
    assert cli.progress_console(None).is_terminal
    assert cli.progress_console(False) is None


def test_every_job_takes_progress_flags():
    parser = cli.build_parser()
    for job in cli.JOBS:
        assert parser.parse_args([job, "--progress"]).progress is True
        assert parser.parse_args([job, "--no-progress"]).progress is False
        assert parser.parse_args([job]).progress is None


def test_each_stage_prints_its_time_and_rate(tmp_path):
    from corpusforge import pipeline
    from corpusforge.config import load_config
    from corpusforge.stages import StageResult

    out = io.StringIO()
    console = Console(file=out, width=200)
    result = pipeline.timed("filter", lambda: StageResult("filter", 171, 151, 20, {"license_missing": 20}, {}),
                            console)
    assert result.seconds is not None and result.seconds >= 0
    assert result == StageResult("filter", 171, 151, 20, {"license_missing": 20}, {})  # seconds is not data
    assert out.getvalue().startswith("corpusforge stage filter done in ")
    assert "171 rows in, 151 out, 20 rejected (" in out.getvalue()

    config = load_config(None, {"warehouse": str(tmp_path / "wh")})
    out = io.StringIO()
    timed = StageResult("ingest", 183, 171, 12, {"binary": 12}, {}, seconds=12.2)
    pipeline.print_summary(config, [timed], Console(file=out, width=200))
    header = next(line for line in out.getvalue().splitlines() if "rows in" in line)
    assert "seconds" in header and "rate" in header
    row = next(line for line in out.getvalue().splitlines() if "│ ingest" in line)
    assert "12.2" in row and "15 rows/s" in row and "binary 12" in row
    assert pipeline.top_reason({"a": 1, "b": 5, "c": 5}) == "b 5 (+2 more)"
    assert pipeline.top_reason({}) == "" and pipeline.top_reason({"x": 2}) == "x 2"
