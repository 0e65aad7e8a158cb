"""The type check of the sample corpus's rewritten files, as docs/TRANSFORM.md reports it.

    python benchmarks/transform_sample_typecheck.py

Every .ts/.tsx file of each repository under samples/github is rewritten with the shipped
rule pack, once with ``partial: revert`` (the stage's default) and once with ``keep``; each
repository's files are type-checked together against conf/framework (TypeScript's own
compiler, fetched with ``npm pack``), the rewritten and the original ones alike
(``benchmarks/transform.py``'s ``tsc_pass_rate``), and the rewritten files' pass rate is
reported, with and without errors about modules outside the scratch project, and the errors
the rewrite introduced. Writes benchmarks/results/transform_sample_typecheck.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT / "lib"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from transform import tsc_pass_rate

    from corpusforge.transform import rewrite_source
    from corpusforge.transform.rulepack import load_rulepack

    pack = load_rulepack(str(ROOT / "conf" / "rules" / "dframe_once.yaml"))
    repos = sorted(p for p in (ROOT / "samples" / "github").iterdir() if p.is_dir())
    out: dict = {}
    for partial in ("revert", "keep"):
        outputs: dict[str, dict[str, str]] = {}
        originals: dict[str, dict[str, str]] = {}
        touched: dict[str, set[str]] = {}
        for repo in repos:
            for path in sorted(repo.rglob("*")):
                if path.suffix not in (".ts", ".tsx") or "node_modules" in path.parts:
                    continue
                name, text = str(path.relative_to(repo)), path.read_text(encoding="utf-8")
                result = rewrite_source(text, name, pack, partial=partial)
                originals.setdefault(repo.name, {})[name] = text
                outputs.setdefault(repo.name, {})[name] = result.text
                if result.changed:
                    touched.setdefault(repo.name, set()).add(name)
        out[partial] = found = tsc_pass_rate(outputs, originals, touched)
        if "pass_rate" not in found:
            raise SystemExit(f"nothing checked: {found}")
        print(f"partial: {partial}: {found['files']} files rewritten, {found['pass_rate']:.0%} pass, "
              f"{found['pass_rate_ignoring_unresolved_modules']:.0%} ignoring unresolved modules, "
              f"{found['files_with_errors_the_rewrite_introduced']} with an error the rewrite introduced")
    target = ROOT / "benchmarks" / "results" / "transform_sample_typecheck.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
