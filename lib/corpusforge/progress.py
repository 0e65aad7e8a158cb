"""Progress of a running job in the terminal: the corpusforge stage, Spark's tasks, the rate.

A daemon thread polls Spark's StatusTracker and renders one status line with rich on
stderr: live on a terminal, or one printed line per new Spark stage elsewhere (``--progress``
into a log). The formatting is plain functions over plain snapshots, tested without Spark.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

from pyspark.sql import SparkSession
from rich.console import Console
from rich.live import Live
from rich.text import Text


@dataclass(frozen=True)
class SparkStageStatus:
    """One active Spark stage as the StatusTracker reports it."""

    stage_id: int
    name: str
    tasks_total: int
    tasks_done: int
    tasks_active: int
    tasks_failed: int = 0


@dataclass(frozen=True)
class StatusSnapshot:
    """What a job is doing at one moment."""

    stage: str | None  # the corpusforge stage (ingest, filter, ...)
    elapsed: float  # seconds since that stage began
    jobs: tuple[int, ...] = ()
    spark_stages: tuple[SparkStageStatus, ...] = ()
    tasks_done_in_stage: int = 0  # tasks finished since the corpusforge stage began, all Spark stages


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _short_name(name: str) -> str:
    # Spark names a stage by its call site: "collect at /long/path/ingest.py:212" for RDD
    # actions, "count at NativeMethodAccessorImpl.java:0" for DataFrame ones (no use to show).
    name = re.sub(r" at \S+\.(?:java|scala):\d+$", "", name.strip())
    return re.sub(r" at \S*/([^/\s]+)$", r" at \1", name)


def format_status(snapshot: StatusSnapshot) -> str:
    """One status line, e.g. ``stage ingest 0:12 · spark stage 5 (count) · tasks 6/8 · 0.5 tasks/s``."""
    parts = [f"stage {snapshot.stage or '-'} {_clock(snapshot.elapsed)}"]
    if snapshot.spark_stages:
        first = min(snapshot.spark_stages, key=lambda s: s.stage_id)
        label = f"spark stage {first.stage_id} ({_short_name(first.name)})"
        if len(snapshot.spark_stages) > 1:
            label += f" +{len(snapshot.spark_stages) - 1} more"
        parts.append(label)
        done = sum(s.tasks_done for s in snapshot.spark_stages)
        total = sum(s.tasks_total for s in snapshot.spark_stages)
        running = sum(s.tasks_active for s in snapshot.spark_stages)
        failed = sum(s.tasks_failed for s in snapshot.spark_stages)
        tasks = f"tasks {done}/{total}"
        if running:
            tasks += f" ({running} running)"
        if failed:
            tasks += f" ({failed} failed)"
        parts.append(tasks)
    else:
        parts.append("driver")
    if snapshot.elapsed > 0 and snapshot.tasks_done_in_stage:
        parts.append(f"{snapshot.tasks_done_in_stage / snapshot.elapsed:.1f} tasks/s")
    return " · ".join(parts)


def format_rate(rows: int, seconds: float | None) -> str:
    """``1,234 rows/s`` (or ``-`` when the time is unknown or zero)."""
    if not seconds or seconds <= 0:
        return "-"
    rate = rows / seconds
    return f"{rate:,.0f} rows/s" if rate >= 10 else f"{rate:.1f} rows/s"


def stage_done_line(stage: str, rows_in: int, rows_out: int, rows_rejected: int, seconds: float) -> str:
    """What is printed when a stage ends: its rows, its time and its rate."""
    return (f"corpusforge stage {stage} done in {seconds:.1f} s: {rows_in:,} rows in, {rows_out:,} out, "
            f"{rows_rejected:,} rejected ({format_rate(rows_in, seconds)})")


@dataclass
class _StageClock:
    name: str | None = None
    started: float = field(default_factory=time.monotonic)
    done_by_spark_stage: dict[int, int] = field(default_factory=dict)


class ProgressReporter:
    """Poll the StatusTracker from a daemon thread and render the status line on ``console``.

    Use as a context manager around a job; call :meth:`start_stage` when a stage begins.
    """

    def __init__(self, spark: SparkSession, console: Console, interval: float = 0.5) -> None:
        self._tracker = spark.sparkContext.statusTracker()
        self._console = console
        self._interval = interval
        self._lock = threading.Lock()
        self._clock = _StageClock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: Live | None = None
        self._last_key: tuple | None = None

    def start_stage(self, name: str) -> None:
        """The corpusforge stage now running (resets the clock and the task rate)."""
        with self._lock:
            self._clock = _StageClock(name)

    def snapshot(self) -> StatusSnapshot:
        """What Spark is doing now (one round of StatusTracker calls)."""
        jobs = tuple(sorted(self._tracker.getActiveJobsIds()))
        stages = []
        for stage_id in sorted(self._tracker.getActiveStageIds()):
            info = self._tracker.getStageInfo(stage_id)
            if info is not None:
                stages.append(SparkStageStatus(stage_id, info.name, info.numTasks, info.numCompletedTasks,
                                               info.numActiveTasks, info.numFailedTasks))
        with self._lock:
            clock = self._clock
            for s in stages:
                clock.done_by_spark_stage[s.stage_id] = s.tasks_done
            done = sum(clock.done_by_spark_stage.values())
            return StatusSnapshot(clock.name, time.monotonic() - clock.started, jobs, tuple(stages), done)

    def _render(self, snapshot: StatusSnapshot) -> None:
        line = format_status(snapshot)
        if self._live is not None:
            self._live.update(Text(line, style="dim"))
            return
        # Not a terminal: one line per new Spark stage (or corpusforge stage), not per poll.
        key = (snapshot.stage, tuple(s.stage_id for s in snapshot.spark_stages))
        if snapshot.spark_stages and key != self._last_key:
            self._console.print(line, highlight=False, soft_wrap=True)
        self._last_key = key

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._render(self.snapshot())
            except Exception:  # noqa: BLE001 — the JVM is going away; progress must never fail a job
                if self._stop.is_set():
                    return

    def __enter__(self) -> ProgressReporter:
        if self._console.is_terminal:
            self._live = Live(console=self._console, transient=True, auto_refresh=True,
                              refresh_per_second=4, redirect_stdout=True, redirect_stderr=False)
            self._live.start()
        self._thread = threading.Thread(target=self._loop, name="corpusforge-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._live is not None:
            self._live.stop()
