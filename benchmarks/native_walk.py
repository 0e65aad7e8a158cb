"""What a native pass over a parsed tree costs next to the parse: input for a native engine.

    python benchmarks/native_walk.py

Issue #5's target (the transform at >= 0.6x of a plain parse per core) is out of reach of
the Python engine (docs/TRANSFORM.md). Before an engine is written natively, this measures
what its basic moves cost in Rust on the same files as benchmarks/transform.py (the 14 npm
packages, 1571 files): the parse (the baseline), a bare cursor walk over every node, an
index of every identifier by name with a declared/reference mark from its parent's kind
(the parent's kind kept on the walk's stack, or asked of ``node.parent()``, which
tree-sitter answers by descending from the root), and the trigger-word scan. The Rust
program is ``benchmarks/native_walk`` (tree-sitter 0.25 and tree-sitter-typescript 0.23
from crates.io, built with cargo). Writes benchmarks/results/native_walk.json.
"""

from __future__ import annotations

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
CRATE = ROOT / "benchmarks" / "native_walk"


def main() -> None:
    if shutil.which("cargo") is None:
        sys.exit("cargo is not installed (install Rust with rustup)")
    sys.path.insert(0, str(ROOT / "lib"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from transform import load_documents

    from corpusforge.transform.parsing import grammar_for

    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", str(CRATE / "Cargo.toml")],
                   check=True)
    from corpusforge.transform.parsing import parse

    rows = load_documents()
    inputs = [(row["content"].encode("utf-8"), grammar_for(row["path"], row["language"])) for row in rows]

    def py_parse() -> float:
        # Each parse is timed alone and its tree freed after, untimed, as the Rust program does.
        elapsed = 0.0
        for data, grammar in inputs:
            start = time.perf_counter()
            tree = parse(data, grammar)
            elapsed += time.perf_counter() - start
            del tree
        return elapsed

    py_parse_s = min(py_parse() for _ in range(3))
    folder = Path(tempfile.mkdtemp(prefix="corpusforge-native-walk-"))
    try:
        for i, row in enumerate(rows):
            suffix = ".tsx" if grammar_for(row["path"], row["language"]) == "tsx" else ".ts"
            (folder / f"{i:05d}{suffix}").write_bytes(row["content"].encode("utf-8"))
        done = subprocess.run([str(CRATE / "target" / "release" / "native_walk"), str(folder)],
                              capture_output=True, text=True, check=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    py_parse_s = min([py_parse_s] + [py_parse() for _ in range(3)])
    measured = json.loads(done.stdout)
    parse = measured["parse_s"]
    out = {
        "what": "Rust (tree-sitter 0.25) over the transform benchmark's 1571 files; fastest of 3 rounds",
        **measured,
        # The same grammar's parse through py-tree-sitter (the transform benchmark's baseline),
        # fastest of 6 rounds around the Rust program's: a native engine starts from this gap.
        "py_tree_sitter_parse_s": round(py_parse_s, 4),
        "rust_parse_time_vs_py_tree_sitter": round(parse / py_parse_s, 3),
        "share_of_parse": {key[:-2]: round(measured[key] / parse, 3) for key in
                           ("bare_walk_s", "index_walk_stack_s", "index_walk_node_parent_s", "trigger_scan_s")},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_1m": round(os.getloadavg()[0], 2)},
    }
    target = ROOT / "benchmarks" / "results" / "native_walk.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"parse: Rust {parse:.3f} s, py-tree-sitter {py_parse_s:.3f} s "
          f"({out['rust_parse_time_vs_py_tree_sitter']:.2f}x the time)")
    for key, share in out["share_of_parse"].items():
        print(f"{key:26} {measured[key + '_s']:.3f} s  {share:.0%} of the parse ({parse:.3f} s)")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
