"""Long runs the suite reads, started in the background as soon as collection ends.

The sample run (``./spark-submit.sh pipeline``, minutes) and the pipeline on the standalone
cluster (longer) are subprocesses whose results a few modules read. Started in the
foreground by the first test that asked, the suite sat waiting on them with a core idle;
started when collection ends, they go on while the rest of the suite runs, and the modules
that read them run last (``tests/conftest.py`` orders them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BackgroundJob(Generic[T]):
    """``work`` run in a thread; ``result()`` waits for it and returns (or raises) what it did.

    ``stop`` is called at the end of the session whether or not anything read the result:
    it must end whatever ``work`` started (processes, daemons) and never raise.
    """

    def __init__(self, name: str, work: Callable[[], T], stop: Callable[[], None]) -> None:
        self.name = name
        self._work = work
        self._stop = stop
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"background-{name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def result(self) -> T:
        """Wait for the work to end; its value, or its exception raised here."""
        self._thread.join()
        if self._error is not None:
            raise RuntimeError(f"background run {self.name!r} failed: {self._error}") from self._error
        return self._value  # type: ignore[return-value]

    def stop(self) -> None:
        """End what the work started (it may still be running), then wait for the thread."""
        self._stop()
        self._thread.join(timeout=120)


class Processes:
    """Runs subprocesses that ``stop()`` can end from another thread, children included
    (each in its own process group); once stopped, it starts nothing more."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: list[subprocess.Popen] = []
        self._stopped = False

    def run(self, argv: list[str], timeout: float, **popen: object) -> subprocess.CompletedProcess:
        """Like ``subprocess.run(argv, capture_output=True, text=True, timeout=timeout)``."""
        with self._lock:
            if self._stopped:
                raise RuntimeError(f"stopped before {argv[0]} could start")
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True, **popen)
            self._running.append(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            out, err = proc.communicate()
        return subprocess.CompletedProcess(argv, proc.returncode, out, err)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            running = list(self._running)
        for proc in running:
            _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


JOBS: dict[str, BackgroundJob] = {}


def stop_all() -> None:
    """Stop every job started in this session (a finished one's stop is harmless)."""
    for job in JOBS.values():
        job.stop()
    JOBS.clear()
