"""The type check of the sample corpus's rewritten files, as docs/TRANSFORM.md reports it.

    python benchmarks/transform_sample_typecheck.py

Every .ts/.tsx file of each repository under samples/github is rewritten with the shipped
rule pack, once with ``partial: revert`` (the stage's default) and once with ``keep``; each
repository's files are type-checked together against conf/framework (TypeScript's own
compiler, fetched with ``npm pack``), and the rewritten files' pass rate is reported, with
and without errors about modules outside the scratch project. Writes
benchmarks/results/transform_sample_typecheck.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT / "lib"))
    from corpusforge.transform import rewrite_source
    from corpusforge.transform.rulepack import load_rulepack
    from corpusforge.transform.typecheck import find_tsc, typecheck

    pack = load_rulepack(str(ROOT / "conf" / "rules" / "dframe_once.yaml"))
    tsc = find_tsc()
    if tsc is None:
        raise SystemExit("typescript could not be fetched with npm pack: nothing to check")
    out: dict = {}
    for partial in ("revert", "keep"):
        checked = failed = failed_in_context = 0
        for repo in sorted(p for p in (ROOT / "samples" / "github").iterdir() if p.is_dir()):
            files: dict[str, str] = {}
            touched: set[str] = set()
            for path in sorted(repo.rglob("*")):
                if path.suffix not in (".ts", ".tsx") or "node_modules" in path.parts:
                    continue
                name = str(path.relative_to(repo))
                result = rewrite_source(path.read_text(encoding="utf-8"), name, pack, partial=partial)
                files[name] = result.text
                if result.changed:
                    touched.add(name)
            if touched:
                report = typecheck(files, ROOT / "conf" / "framework", tsc)
                checked += len(touched)
                failed += len(report.failed() & touched)
                failed_in_context += len(report.failed(ignore_unresolved=True) & touched)
        out[partial] = {"rewritten": checked,
                        "pass_rate": round(1 - failed / checked, 3) if checked else None,
                        "pass_rate_ignoring_unresolved_modules":
                            round(1 - failed_in_context / checked, 3) if checked else None}
        print(f"partial: {partial}: {checked} files rewritten, {out[partial]['pass_rate']:.0%} pass, "
              f"{out[partial]['pass_rate_ignoring_unresolved_modules']:.0%} ignoring unresolved modules")
    target = ROOT / "benchmarks" / "results" / "transform_sample_typecheck.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
