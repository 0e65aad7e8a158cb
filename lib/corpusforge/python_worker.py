"""What a Spark Python worker process does once, so that each task costs little to start.

PySpark's worker calls ``importlib.invalidate_caches()`` before every task. On Python 3.10
and 3.11 that makes every ``zipimporter`` re-read its archive's whole directory in Python:
``pyspark.zip``, py4j's zip, the ``spark-core`` jar Spark puts on the workers' PYTHONPATH,
and any ``--py-files`` zip, once per path entry inside them. On the 2-core development
machine that is 0.1-0.2 s of CPU per task, more than a small task's work. The archives do
not change while a worker lives (Spark ships new files under new names), so
:func:`settle` makes a zipimporter re-read its archive only when the archive's size or
modification time changed.

PySpark's daemon also runs ``gc.collect()`` after every task, which walks every object the
worker holds; :func:`freeze` moves the long-lived ones (imported modules, a stage's engine
or model) out of the collector's sight with ``gc.freeze()``.

Both are process-wide and idempotent; batch functions call :func:`settle` first thing and
:func:`freeze` after building their per-process caches.
"""

from __future__ import annotations

import gc
import os
import zipimport

_SETTLED = False
_FROZEN: set[str] = set()


def _on_worker() -> bool:
    """In a Spark Python worker (set by PySpark's worker for every task), not a driver or a
    test calling a batch function directly."""
    from pyspark.files import SparkFiles

    return bool(getattr(SparkFiles, "_is_running_on_worker", False))


def _invalidate_if_changed(original):  # type: ignore[no-untyped-def]
    def invalidate_caches(self: zipimport.zipimporter) -> None:
        try:
            st = os.stat(self.archive)
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp is not None and getattr(self, "_corpusforge_stamp", None) == stamp:
            return
        original(self)
        self._corpusforge_stamp = stamp  # type: ignore[attr-defined]

    invalidate_caches.__doc__ = original.__doc__
    return invalidate_caches


def settle() -> None:
    """Once per process: zip archives on the path are re-read only when they change, and
    what is loaded so far is frozen out of the garbage collector's walks."""
    global _SETTLED
    if _SETTLED or not _on_worker():
        return
    _SETTLED = True
    original = getattr(zipimport.zipimporter, "invalidate_caches", None)
    if original is not None:  # Python >= 3.10
        zipimport.zipimporter.invalidate_caches = _invalidate_if_changed(original)  # type: ignore[method-assign]
    gc.freeze()


def freeze(key: str) -> None:
    """Once per process and ``key``: freeze what is alive now (call right after building a
    long-lived per-process object such as a rule-pack engine or a tokenizer model)."""
    if key in _FROZEN or not _on_worker():
        return
    _FROZEN.add(key)
    gc.freeze()
