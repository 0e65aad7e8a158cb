"""Where the transform engine's time beyond the parse goes, by what a file's words wake.

    python benchmarks/transform_groups.py

Same files as benchmarks/transform.py (14 npm packages, 1571 files). Each file is put in one
group by the rules and constraints its trigger words wake (``Engine.woken``, from the text
alone, before any parse):

- ``nothing``: no rule and no constraint;
- ``constraints``: constraints only;
- ``renames``: rename, type, module and detect rules only (with or without constraints):
  what a native engine could do with tree-sitter's own queries;
- ``patterns``: at least one pattern rule (the engine's own structural matcher).

For each group, the plain parse and the stage's per-document function are timed over its
files (fastest of three alternating rounds, one process), and the script reports the
group's ratio (parse / engine) and what the whole set's ratio would be if that group cost
only its parse: the most that moving that group's work out of Python could give. This is
the input for a native engine that takes files group by group (docs/TRANSFORM.md).

The same is reported for the files split by what the engine made of them (``outcome_of``):
``nothing woken`` (no rule woken), ``no edit`` (a rule woken, nothing to rewrite),
``rewritten``, ``kept before the rules`` (``partial: revert`` knew it would keep the file
as written before trying a rule: ``transform.kept``), ``reverted`` (rewritten, then put
back by ``partial: revert`` because unsupported uses remain) and ``rejected`` (parse
errors, rejecting constraints).
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
OUTCOMES = ("nothing woken", "no edit", "rewritten", "kept before the rules", "reverted", "rejected")
ROUNDS = 3


def group_of(rules: frozenset[str], constraints: tuple[str, ...], kinds: dict[str, str]) -> str:
    """The group of a file waking ``rules`` and ``constraints`` (rule id -> kind in ``kinds``)."""
    if not rules:
        return "constraints" if constraints else "nothing"
    if all(kinds[r] in ("rename", "type", "module", "detect") for r in rules):
        return "renames"
    return "patterns"


def outcome_of(result, rules_woken: frozenset[str]) -> str:
    """What the engine made of a file (a ``RewriteResult``) that woke ``rules_woken``."""
    if result.reject_reason is not None:
        return "rejected"
    if result.kept_as_written:
        return "kept before the rules"
    if any(d.code == "reverted" for d in result.diagnostics):
        return "reverted"
    if result.changed:
        return "rewritten"
    return "no edit" if rules_woken else "nothing woken"


def timed(parts: dict[str, list[dict]], parse_all, transform_all) -> dict:
    """Parse and engine seconds of each part (fastest of ``ROUNDS``, parts alternating),
    with each part's ratio, its share of the time beyond the parse, and the whole set's
    ratio if that part cost only its parse."""
    parse_s = {g: float("inf") for g in parts}
    engine_s = {g: float("inf") for g in parts}
    for _ in range(ROUNDS):
        for g, part in parts.items():
            parse_s[g] = min(parse_s[g], parse_all(part))
            engine_s[g] = min(engine_s[g], transform_all(part))
    total_parse, total_engine = sum(parse_s.values()), sum(engine_s.values())
    out: dict = {"ratio": round(total_parse / total_engine, 3), "parse_s": round(total_parse, 3),
                 "engine_s": round(total_engine, 3), "parts": {}}
    for g, part in parts.items():
        out["parts"][g] = {
            "files": len(part),
            "mb": round(sum(len(r["content"].encode()) for r in part) / 1e6, 2),
            "parse_s": round(parse_s[g], 3),
            "engine_s": round(engine_s[g], 3),
            "ratio": round(parse_s[g] / engine_s[g], 3) if part else None,
            "share_of_time_beyond_parse": round((engine_s[g] - parse_s[g]) / (total_engine - total_parse), 3),
            "whole_ratio_if_only_its_parse": round(total_parse / (total_engine - engine_s[g] + parse_s[g]), 3),
        }
    return out


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
    outcomes: dict[str, list[dict]] = {o: [] for o in OUTCOMES}
    for row in rows:
        rules, constraints = engine.woken(row["content"])
        groups[group_of(rules, constraints, kinds)].append(row)
        result = engine.rewrite(row["content"], row["path"], row["language"])
        outcomes[outcome_of(result, rules)].append(row)
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

    by_group = timed(groups, parse_all, transform_all)
    by_outcome = timed(outcomes, parse_all, transform_all)
    out: dict = {"files": len(rows), "ratio": by_group["ratio"], "groups": by_group["parts"],
                 "outcomes": by_outcome["parts"]}
    out["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                      "load_average_1m": round(os.getloadavg()[0], 2)}
    target = ROOT / "benchmarks" / "results" / "transform_groups.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    for title, timing in (("by what a file's words wake", by_group), ("by what the engine made of it", by_outcome)):
        print(f"all {len(rows)} files, {title}: ratio {timing['ratio']} "
              f"(parse {timing['parse_s']:.3f} s, engine {timing['engine_s']:.3f} s)")
        for g, m in timing["parts"].items():
            print(f"  {g:14} {m['files']:5} files {m['mb']:5.2f} MB  ratio {m['ratio']}  "
                  f"{m['share_of_time_beyond_parse']:.0%} of the time beyond the parse;  "
                  f"whole set {m['whole_ratio_if_only_its_parse']} if it cost only its parse")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
