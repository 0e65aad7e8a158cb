"""The whole pipeline at 1x, 4x and 16x the sample: per-stage time, task time, shuffle, memory.

    python benchmarks/scale.py [--scales 1,4,16] [--cores 2]

For each scale, ``benchmarks/scale_corpus.py`` writes a synthetic corpus (own identifiers
per copy, planted forks and mirrors, bad inputs, Stack and text rows) and the README's
first command runs on it: ``./spark-submit.sh pipeline --input ...`` on ``local[cores]``
with a Spark event log. From the run:

- per stage: wall seconds (the pipeline's own "done in" lines), rows in, and from the event
  log (jobs carry the ``corpusforge.stage`` local property) the executor task time in
  core-seconds, shuffle bytes written and Spark jobs;
- the peak resident memory of the driver's Python process and of the JVM (in local mode it
  also hosts the executors), sampled every 0.2 s with psutil.

Writes ``benchmarks/results/scale.json``; docs/SCALING.md turns it into cluster sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from scale_corpus import build, corpus_bytes  # noqa: E402

CACHE = Path("~/.cache/corpusforge/bench/scale").expanduser()
STAGE_PROPERTY = "corpusforge.stage"
_DONE = re.compile(r"corpusforge stage (\w+) done in ([\d.]+) s: ([\d,]+) rows in, ([\d,]+) out")


class MemoryWatch(threading.Thread):
    """Peak RSS of the driver JVM, the driver Python process and the Python workers."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peaks = {"driver_jvm": 0, "driver_python": 0, "python_workers": 0}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            workers = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        cmd, rss = " ".join(proc.cmdline()), proc.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    if "java" in proc.name() and "SparkSubmit" in cmd:
                        self.peaks["driver_jvm"] = max(self.peaks["driver_jvm"], rss)
                    elif "jobs/pipeline.py" in cmd:
                        self.peaks["driver_python"] = max(self.peaks["driver_python"], rss)
                    elif "pyspark" in cmd and ("daemon" in cmd or "worker" in cmd):
                        workers += rss
            except psutil.NoSuchProcess:
                return
            self.peaks["python_workers"] = max(self.peaks["python_workers"], workers)
            time.sleep(0.2)


def event_log_by_stage(log_dir: Path) -> dict[str, dict]:
    """Per corpusforge stage: Spark jobs, executor task core-seconds, shuffle bytes written."""
    files = sorted(p for p in log_dir.iterdir() if p.is_file())
    if not files:
        return {}
    stage_of_spark_stage: dict[int, str] = {}
    out: dict[str, dict] = defaultdict(lambda: {"spark_jobs": 0, "task_seconds": 0.0, "shuffle_write_bytes": 0,
                                                "shuffle_read_bytes": 0, "input_bytes": 0})
    with files[-1].open(encoding="utf-8") as log:
        for line in log:
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerJobStart":
                name = (event.get("Properties") or {}).get(STAGE_PROPERTY) or "(outside stages)"
                out[name]["spark_jobs"] += 1
                for sid in event.get("Stage IDs", []):
                    stage_of_spark_stage[sid] = name
            elif kind == "SparkListenerTaskEnd":
                name = stage_of_spark_stage.get(event.get("Stage ID"), "(outside stages)")
                metrics = event.get("Task Metrics") or {}
                out[name]["task_seconds"] += metrics.get("Executor Run Time", 0) / 1000
                write = metrics.get("Shuffle Write Metrics") or {}
                read = metrics.get("Shuffle Read Metrics") or {}
                out[name]["shuffle_write_bytes"] += write.get("Shuffle Bytes Written", 0)
                out[name]["shuffle_read_bytes"] += read.get("Remote Bytes Read", 0) + read.get("Local Bytes Read", 0)
                out[name]["input_bytes"] += (metrics.get("Input Metrics") or {}).get("Bytes Read", 0)
    return {k: {**v, "task_seconds": round(v["task_seconds"], 1)} for k, v in out.items()}


def run_scale(scale: int, cores: int) -> dict:
    corpus, warehouse, events = CACHE / f"x{scale}", CACHE / f"x{scale}-warehouse", CACHE / f"x{scale}-events"
    made = build(scale, corpus)
    for folder in (warehouse, events):
        shutil.rmtree(folder, ignore_errors=True)
    events.mkdir(parents=True)
    extra = {"spark.eventLog.enabled": "true", "spark.eventLog.dir": events.as_uri()}
    cmd = ["./spark-submit.sh", "pipeline", "--warehouse", str(warehouse), "--master", f"local[{cores}]",
           "--no-progress", "--set", f"spark.extra_conf={json.dumps(extra)}"]
    for spec in made["inputs"]:
        cmd += ["--input", spec]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watch = MemoryWatch(proc.pid)
    watch.start()
    output = proc.communicate()[0]
    seconds = time.perf_counter() - started
    watch.stop.set()
    watch.join()
    if proc.returncode != 0:
        raise SystemExit(f"x{scale}: the pipeline failed (exit {proc.returncode}):\n{output[-4000:]}")
    spark_side = event_log_by_stage(events)
    stages = []
    for name, wall, rows_in, rows_out in _DONE.findall(output):
        rows = int(rows_in.replace(",", ""))
        stages.append({"stage": name, "seconds": float(wall), "rows_in": rows,
                       "rows_out": int(rows_out.replace(",", "")),
                       "rows_per_s_per_core": round(rows / float(wall) / cores, 2) if float(wall) else None,
                       **spark_side.get(name, {})})
    result = {"scale": scale, "corpus_bytes": corpus_bytes(corpus), "files": sum(1 for f in corpus.rglob("*")
                                                                                 if f.is_file()),
              "seconds": round(seconds, 1), "stages": stages,
              "outside_stages": spark_side.get("(outside stages)"),
              "peak_rss_mb": {k: round(v / 2**20, 1) for k, v in watch.peaks.items()},
              "tokens": _tokens(warehouse)}
    print(f"x{scale}: {result['corpus_bytes'] / 1e6:.2f} MB, {seconds:.0f} s, "
          + ", ".join(f"{s['stage']} {s['seconds']:.0f}s" for s in stages)
          + f"; peak RSS {result['peak_rss_mb']}", flush=True)
    return result


def _tokens(warehouse: Path) -> dict | None:
    """Token and byte totals of gold/tokens, from the plan the pipeline wrote."""
    plans = sorted(warehouse.glob("reports/*/budget_plan.json"))
    if not plans:
        return None
    economics = json.loads(plans[-1].read_text()).get("economics", {})
    return {category: {k: v for k, v in row.items() if k in ("documents", "tokens", "bytes")}
            for category, row in economics.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    runs = [run_scale(int(s), args.cores) for s in args.scales.split(",")]
    first, last = runs[0], runs[-1]
    summary = {
        "benchmark": "scale",
        "what": f"./spark-submit.sh pipeline on local[{args.cores}] over benchmarks/scale_corpus.py corpora",
        "runs": runs,
        "time_ratio_last_to_first": round(last["seconds"] / first["seconds"], 2),
        "data_ratio_last_to_first": round(last["corpus_bytes"] / first["corpus_bytes"], 2),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1m": round(os.getloadavg()[0], 2),
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
    }
    out = ROOT / "benchmarks" / "results" / "scale.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{summary['data_ratio_last_to_first']}x data in {summary['time_ratio_last_to_first']}x time; wrote {out}")


if __name__ == "__main__":
    main()
