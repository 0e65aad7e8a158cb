"""The maintain job against plain Delta Lake maintenance of the same tables, in one session.

    python benchmarks/maintain.py [--warehouse PATH] [--rounds 3] [--cores 2]

Input: a warehouse a pipeline run wrote (``--warehouse``; by default the README's first
command runs on samples/ into a scratch folder first). Each round copies it twice (copies
are not timed) and maintains every table of one copy with each side, in alternating order:

- baseline: what Delta's Python API alone does to report the same numbers:
  ``detail()``, ``optimize().executeZOrderBy(...)`` over the whole table (or
  ``executeCompaction()``), ``detail()`` again, a ``VACUUM ... DRY RUN`` to count the files
  VACUUM will delete, then ``vacuum(retain_hours)``;
- ours: ``corpusforge.maintenance.maintain_table`` (Z-order leaves partitions held in one
  file alone, files after from OPTIMIZE's metrics, the deleted count from the VACUUM END
  commit).

Each side then maintains its copy a second time with nothing written in between ("again":
a nightly run after a quiet day), which is where leaving one-file partitions alone shows.

Both run with the job's session settings (file size, VACUUM listing tasks, vacuum logging)
and the config's ``maintain`` section. After each round the two copies must hold the same
rows per table and the same number of files per table (printed; the script fails if not).
Writes benchmarks/results/maintain.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sample_warehouse(scratch: Path, cores: int) -> Path:
    """The sample pipeline's warehouse, written by the README's first command."""
    warehouse = scratch / "sample"
    done = subprocess.run(["./spark-submit.sh", "pipeline", "--warehouse", str(warehouse),
                           "--set", f"spark.master=local[{cores}]"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"the sample pipeline failed:\n{done.stderr[-3000:]}")
    return warehouse


def baseline_table(spark, warehouse: str, plan, settings) -> dict:
    """Plain Delta maintenance of one table, reporting what the job reports."""
    from delta.tables import DeltaTable

    from corpusforge import tables

    path = tables.TABLES[plan.table].path(warehouse)
    table = DeltaTable.forPath(spark, path)
    before = table.detail().select("numFiles").first()["numFiles"]
    if settings.optimize:
        if plan.zorder_by:
            metrics = table.optimize().executeZOrderBy(*plan.zorder_by)
        else:
            metrics = table.optimize().executeCompaction()
        rewritten = metrics.select("metrics.numFilesRemoved").first()[0]
    else:
        rewritten = 0
    after = table.detail().select("numFiles").first()["numFiles"]
    deleted = 0
    if settings.vacuum:
        deleted = spark.sql(f"VACUUM delta.`{path}` RETAIN {settings.retain_hours} HOURS DRY RUN").count()
        table.vacuum(settings.retain_hours)
    return {"files_before": before, "files_after": after, "files_rewritten": rewritten, "vacuum_deleted": deleted}


def ours_table(spark, warehouse: str, plan, settings) -> dict:
    from corpusforge.maintenance import maintain_table

    r = maintain_table(spark, warehouse, plan, settings)
    return {"files_before": r.files_before, "files_after": r.files_after,
            "files_rewritten": r.optimize_files_removed, "vacuum_deleted": r.vacuum_files_deleted}


def contents(spark, warehouse: str, plans) -> dict[str, tuple[int, int]]:
    """Rows and files per table (files from DESCRIBE DETAIL)."""
    from delta.tables import DeltaTable

    from corpusforge import tables

    out = {}
    for plan in plans:
        path = tables.TABLES[plan.table].path(warehouse)
        files = DeltaTable.forPath(spark, path).detail().select("numFiles").first()["numFiles"]
        out[plan.table] = (spark.read.format("delta").load(path).count(), int(files))
    return out


SIDES = {"baseline": baseline_table, "ours": ours_table}


def measure(spark, source: Path, plans, settings, count: int, scratch: Path) -> list[dict]:
    """Each round: both sides on fresh copies of ``source`` (alternating which goes first),
    then again on their own copies; the copies must end with the same rows and files."""
    rounds = []
    for number in range(count):
        order = list(SIDES) if number % 2 == 0 else list(reversed(SIDES))
        result: dict[str, dict] = {}
        copies = {}
        for name in order:
            copy = copies[name] = scratch / f"round{number}-{name}"
            shutil.copytree(source, copy)
            start = time.perf_counter()
            per_table = {p.table: SIDES[name](spark, str(copy), p, settings) for p in plans}
            seconds = time.perf_counter() - start
            # Maintained again with nothing written in between (a nightly run after a
            # day without writes): what is left to do is what each side does regardless.
            start = time.perf_counter()
            again = {p.table: SIDES[name](spark, str(copy), p, settings) for p in plans}
            seconds_again = time.perf_counter() - start
            result[name] = {"seconds": round(seconds, 2), "tables": per_table,
                            "again_seconds": round(seconds_again, 2), "again_tables": again}
            print(f"round {number + 1} {name:8} {seconds:7.1f} s, again {seconds_again:7.1f} s", flush=True)
        same = contents(spark, str(copies["baseline"]), plans) == contents(spark, str(copies["ours"]), plans)
        if not same:
            sys.exit("the two copies differ in rows or files after maintenance")
        rounds.append(result)
        for copy in copies.values():
            shutil.rmtree(copy)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", help="a pipeline run's warehouse (left unchanged: copies are maintained)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "lib"))
    os.chdir(ROOT)
    from corpusforge import maintenance, tables
    from corpusforge.config import load_config
    from corpusforge.spark import build_session

    scratch = Path(tempfile.mkdtemp(prefix="corpusforge-maintain-bench-"))
    try:
        source = Path(args.warehouse) if args.warehouse else sample_warehouse(scratch, args.cores)
        config = load_config(None, {"spark.master": f"local[{args.cores}]", "warehouse": str(source)})
        settings = config.maintain
        spark = build_session(config.spark)
        existing = {n for n, spec in tables.TABLES.items() if tables.table_exists(spark, str(source), spec)}
        plans = maintenance.maintenance_plan(settings, existing)
        with maintenance.job_settings(spark, settings):  # both sides run with the job's session settings
            rounds = measure(spark, source, plans, settings, args.rounds, scratch)
        best = {name: min(r[name]["seconds"] for r in rounds) for name in SIDES}
        best_again = {name: min(r[name]["again_seconds"] for r in rounds) for name in SIDES}
        last = rounds[-1]
        out = {
            "what": "maintain_table vs plain Delta maintenance (whole-table ZORDER, DESCRIBE DETAIL, "
                    "VACUUM DRY RUN + VACUUM) over every table of one warehouse copy, alternating",
            "warehouse": "the sample pipeline's" if not args.warehouse else str(source),
            "tables": len(plans), "cores": args.cores, "rounds": [
                {name: {"first": r[name]["seconds"], "again": r[name]["again_seconds"]} for name in SIDES}
                for r in rounds],
            "fastest": best, "ours_time_share": round(best["ours"] / best["baseline"], 3),
            "fastest_again": best_again,
            "ours_time_share_again": round(best_again["ours"] / best_again["baseline"], 3),
            "files_rewritten": {name: sum(t["files_rewritten"] for t in last[name]["tables"].values())
                                for name in SIDES},
            "files_rewritten_again": {name: sum(t["files_rewritten"] for t in last[name]["again_tables"].values())
                                      for name in SIDES},
            "per_table": {p.table: {name: last[name]["tables"][p.table] for name in SIDES} for p in plans},
            "same_rows_and_files_after": True,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_1m": round(os.getloadavg()[0], 2)},
        }
        target = ROOT / "benchmarks" / "results" / "maintain.json"
        target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        for label, key, share, files in (("first", "fastest", "ours_time_share", "files_rewritten"),
                                         ("again", "fastest_again", "ours_time_share_again",
                                          "files_rewritten_again")):
            print(f"{label}: baseline {out[key]['baseline']:.1f} s, ours {out[key]['ours']:.1f} s "
                  f"({out[share]:.2f} of the baseline's time); files rewritten by OPTIMIZE: "
                  f"baseline {out[files]['baseline']}, ours {out[files]['ours']}")
        print(f"wrote {target}")
        spark.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
