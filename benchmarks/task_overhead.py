"""What a Spark Python task costs before it does any work, with and without
``corpusforge.python_worker.settle`` (same session, same run).

    python benchmarks/task_overhead.py [--cores 2] [--tasks 64]

Each task is a ``mapInArrow`` over one tiny partition that returns one row. PySpark's
worker calls ``importlib.invalidate_caches()`` before every task, which on Python 3.10/3.11
makes every zipimporter re-read its archive (``pyspark.zip``, py4j, the ``spark-core`` jar on
the workers' PYTHONPATH), and its daemon runs ``gc.collect()`` after every task; ``settle``
makes the first re-read only on change and freezes what is loaded. The plain run goes
first, so its workers are not yet settled (a settled worker stays settled). Writes
benchmarks/results/task_overhead.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--tasks", type=int, default=64)
    args = parser.parse_args()

    import pyarrow as pa

    from corpusforge.config import load_config
    from corpusforge.spark import build_session

    os.chdir(ROOT)
    spark = build_session(load_config(None, {"spark.master": f"local[{args.cores}]"}).spark)

    def plain(batches):
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{"pid": os.getpid()}])

    def settled(batches):
        from corpusforge.python_worker import settle

        settle()
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{"pid": os.getpid()}])

    df = spark.range(0, args.tasks, numPartitions=args.tasks)
    seconds = {}
    for name, fn in (("plain", plain), ("settled", settled)):
        df.mapInArrow(fn, "pid long").collect()  # warm-up: workers started (and settled)
        start = time.perf_counter()
        df.mapInArrow(fn, "pid long").collect()
        seconds[name] = time.perf_counter() - start
    spark.stop()

    waves = args.tasks / args.cores
    summary = {
        "benchmark": "task_overhead",
        "tasks": args.tasks, "cores": args.cores,
        "plain": {"seconds": round(seconds["plain"], 2),
                  "seconds_per_task_per_core": round(seconds["plain"] / waves, 3)},
        "settled": {"seconds": round(seconds["settled"], 2),
                    "seconds_per_task_per_core": round(seconds["settled"] / waves, 3)},
        "speedup": round(seconds["plain"] / seconds["settled"], 2),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
    }
    out = ROOT / "benchmarks" / "results" / "task_overhead.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{args.tasks} empty Python tasks on local[{args.cores}]: plain {seconds['plain']:.2f} s "
          f"({summary['plain']['seconds_per_task_per_core']} s per task per core), settled "
          f"{seconds['settled']:.2f} s ({summary['settled']['seconds_per_task_per_core']}), "
          f"{summary['speedup']}x")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
