"""Where the transform engine's time beyond the parse goes, by what a file's words wake.

    python benchmarks/transform_groups.py

Same files as benchmarks/transform.py (14 npm packages, 1571 files). Each file is put in one
group by the rules and constraints its trigger words wake (``Engine.woken``, from the text
alone, before any parse):

- ``nothing``: no rule and no constraint;
- ``constraints``: constraints only;
- ``renames``: rename, type and module rules only (with or without constraints);
- ``patterns``: at least one pattern or detect rule.

For each group, the plain parse and the stage's per-document function are timed over its
files (fastest of three alternating rounds, one process), and the script reports the
group's ratio (parse / engine) and what the whole set's ratio would be if that group cost
only its parse: the most that moving that group's work out of Python could give. This is
the input for a native engine that takes files group by group (docs/TRANSFORM.md).
Writes benchmarks/results/transform_groups.json.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("nothing", "constraints", "renames", "patterns")
ROUNDS = 3


def group_of(rules: frozenset[str], constraints: tuple[str, ...], kinds: dict[str, str]) -> str:
    """The group of a file waking ``rules`` and ``constraints`` (rule id -> kind in ``kinds``)."""
    if not rules:
        return "constraints" if constraints else "nothing"
    if all(kinds[r] in ("rename", "type", "module") for r in rules):
        return "renames"
    return "patterns"


def main() -> None:
    sys.path.insert(0, str(ROOT / "lib"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    os.chdir(ROOT)
    from transform import load_documents

    from corpusforge.config import load_config
    from corpusforge.transform.parsing import grammar_for, parse
    from corpusforge.transform.stage import make_transform

    transform = make_transform(load_config(None, {}).transform)
    engine = transform.engine()
    kinds = {rule.id: rule.kind for rule in engine.pack.rules}
    rows = load_documents()
    groups: dict[str, list[dict]] = {g: [] for g in GROUPS}
    for row in rows:
        groups[group_of(*engine.woken(row["content"]), kinds)].append(row)
        transform.apply(row)  # warm-up: grammars, compiled patterns and queries

    def parse_all(part: list[dict]) -> float:
        start = time.perf_counter()
        for row in part:
            parse(row["content"], grammar_for(row["path"], row["language"]))
        return time.perf_counter() - start

    def transform_all(part: list[dict]) -> float:
        start = time.perf_counter()
        for row in part:
            transform.apply(row)
        return time.perf_counter() - start

    parse_s = {g: float("inf") for g in GROUPS}
    engine_s = {g: float("inf") for g in GROUPS}
    for _ in range(ROUNDS):
        for g in GROUPS:
            parse_s[g] = min(parse_s[g], parse_all(groups[g]))
            engine_s[g] = min(engine_s[g], transform_all(groups[g]))
    total_parse, total_engine = sum(parse_s.values()), sum(engine_s.values())
    out: dict = {"files": len(rows), "ratio": round(total_parse / total_engine, 3), "groups": {}}
    for g in GROUPS:
        part = groups[g]
        out["groups"][g] = {
            "files": len(part),
            "mb": round(sum(len(r["content"].encode()) for r in part) / 1e6, 2),
            "parse_s": round(parse_s[g], 3),
            "engine_s": round(engine_s[g], 3),
            "ratio": round(parse_s[g] / engine_s[g], 3) if part else None,
            "share_of_time_beyond_parse": round((engine_s[g] - parse_s[g]) / (total_engine - total_parse), 3),
            "whole_ratio_if_only_its_parse": round(total_parse / (total_engine - engine_s[g] + parse_s[g]), 3),
        }
    out["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                      "load_average_1m": round(os.getloadavg()[0], 2)}
    target = ROOT / "benchmarks" / "results" / "transform_groups.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"all {len(rows)} files: ratio {out['ratio']} (parse {total_parse:.3f} s, engine {total_engine:.3f} s)")
    for g, m in out["groups"].items():
        print(f"{g:12} {m['files']:5} files {m['mb']:5.2f} MB  ratio {m['ratio']}  "
              f"{m['share_of_time_beyond_parse']:.0%} of the time beyond the parse;  "
              f"whole set {m['whole_ratio_if_only_its_parse']} if it cost only its parse")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
