"""The progress thread against the real local session: it sees Spark's stages and prints them."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path

from rich.console import Console

from corpusforge.progress import ProgressReporter


def run_held_job(spark, console: Console, out: io.StringIO, release: Path) -> list[int]:
    """Run a 4-task job whose tasks wait until ``out`` shows a Spark stage; return its result."""
    flag = str(release)
    result: list[int] = []

    def hold(x: int) -> int:
        # Runs in the executors: each task waits until the test has seen the progress line.
        deadline = time.monotonic() + 120
        while not os.path.exists(flag) and time.monotonic() < deadline:
            time.sleep(0.05)
        return x

    def job() -> None:
        result.append(spark.sparkContext.parallelize(range(4), 4).map(hold).sum())

    with ProgressReporter(spark, console, interval=0.05) as progress:
        progress.start_stage("ingest")
        worker = threading.Thread(target=job)
        worker.start()
        deadline = time.monotonic() + 120
        while "spark stage" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        release.touch()
        worker.join()
    return result


def test_progress_prints_the_running_stage(spark, tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=200)  # not a terminal: one printed line per Spark stage
    assert run_held_job(spark, console, out, tmp_path / "release") == [6]
    lines = [line for line in out.getvalue().splitlines() if "spark stage" in line]
    assert lines, out.getvalue()
    assert lines[0].startswith("stage ingest 0:")
    assert "tasks " in lines[0] and "/4" in lines[0]
    assert "test_progress_tracker.py" in lines[0]  # the call site Spark names the stage by


def test_progress_on_a_terminal_is_a_live_line(spark, tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=True)
    assert run_held_job(spark, console, out, tmp_path / "release") == [6]
    text = out.getvalue()
    assert "stage ingest 0:" in text and "tasks " in text
    assert "\x1b[" in text  # redrawn in place with terminal control codes, then cleared
