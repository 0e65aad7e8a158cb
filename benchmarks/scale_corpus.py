"""A synthetic corpus N times the sample's size, varied so that every stage does real work.

    python benchmarks/scale_corpus.py 4 /tmp/corpus-x4

Copy ``k`` of each sample input gets its own identifiers (every code identifier or property
name that is not a keyword, a common global or method, an import, an HTML element or a name
the rule pack or the framework's declared API uses is suffixed with ``_k<k>``), so copies are not near-duplicates of each
other while the React and framework patterns the rule pack rewrites stay intact. Planted on
top: every fourth project copy has a *fork* (each code file with one line inserted: near
duplicates) and every eighth a *mirror* (byte-identical files under another package name:
exact duplicates). Text documents get a quarter of their words swapped per copy; the bad
inputs are copied as they are (rejects). Nothing here executes the code it copies.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CODE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs")

KEYWORDS = frozenset("""
abstract any as async await boolean break case catch class const constructor continue debugger declare
default delete do else enum export extends false finally for from function get if implements import in
infer instanceof interface is keyof let module namespace never new null number object of package private
protected public readonly require return satisfies set static string super switch symbol this throw true
try type typeof undefined unique unknown var void while with yield
Array Boolean Date Error JSON Map Math Number Object Promise Proxy Reflect RegExp Set String Symbol
WeakMap WeakSet console document window globalThis process module exports require setTimeout
clearTimeout setInterval clearInterval fetch Response Request Headers URL URLSearchParams Record
Partial Readonly Pick Omit Exclude Extract ReturnType Parameters NonNullable Awaited HTMLElement
Event KeyboardEvent MouseEvent describe it test expect jest beforeEach afterEach beforeAll afterAll
map filter reduce forEach push pop shift unshift slice splice concat join split includes indexOf find
findIndex some every keys values entries assign freeze then catch finally json text length log warn
error info debug toString trim replace match startsWith endsWith parse stringify now resolve reject
all race current target preventDefault stopPropagation addEventListener removeEventListener
querySelector getElementById createElement appendChild key ref children
""".split())

_LEXEME = re.compile(r"""(//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")"""
                     r"""|(?<![\w$])([A-Za-z_$][\w$]*)""", re.S)
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def _code_strings(node) -> list[str]:
    """Every string of a YAML rule pack except its prose (descriptions and messages)."""
    if isinstance(node, dict):
        return [k for k in node if isinstance(k, str)] + [
            s for k, v in node.items() if k not in ("description", "message") for s in _code_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _code_strings(v)]
    return [node] if isinstance(node, str) else []


def protected_names() -> frozenset[str]:
    """Names that stay: keywords, globals, and the identifiers of the rule pack's patterns and
    of the framework's declared API (so what the transform looks for still matches)."""
    names = set(KEYWORDS)
    for file in ROOT.glob("conf/rules/**/*.yaml"):
        for text in _code_strings(yaml.safe_load(file.read_text(encoding="utf-8"))):
            names.update(_IDENTIFIER.findall(text))
    for file in ROOT.glob("conf/framework/**/*.d.ts"):
        names.update(_IDENTIFIER.findall(file.read_text(encoding="utf-8")))
    return frozenset(names)


def rename_identifiers(code: str, suffix: str, keep: frozenset[str]) -> str:
    """``code`` with its own identifiers (and property names) suffixed; strings, comments,
    imported names, protected names and HTML elements untouched."""
    imported = set(re.findall(r"</?([a-z][\w-]*)", code))  # HTML elements in JSX stay intrinsic
    for line in code.splitlines():
        if line.lstrip().startswith(("import ", "export ")) and " from " in line:
            imported.update(_IDENTIFIER.findall(line))

    def swap(m: re.Match) -> str:
        name = m.group(2)
        if name is None or len(name) < 3 or name in keep or name in imported:
            return m.group(0)
        return f"{name}_{suffix}"
    return _LEXEME.sub(swap, code)


def insert_line(code: str, line: str) -> str:
    """``code`` with ``line`` after its middle line (a fork's one edit)."""
    lines = code.split("\n")
    middle = len(lines) // 2
    # After a line that ends a statement, so the fork still parses.
    for i in range(middle, len(lines)):
        if lines[i].rstrip().endswith((";", "}")) and not lines[i].startswith(" "):
            middle = i + 1
            break
    return "\n".join(lines[:middle] + [line] + lines[middle:])


def swap_words(text: str, rng: random.Random, rate: float = 0.25) -> str:
    """A quarter of the words replaced by other words of the same text."""
    words = text.split(" ")
    vocabulary = [w for w in words if w.isalpha()] or words
    return " ".join(rng.choice(vocabulary) if rng.random() < rate else w for w in words)


def _copy_tree(src: Path, dst: Path, transform, rename_package) -> None:
    shutil.copytree(src, dst, symlinks=True)
    for file in sorted(dst.rglob("*")):
        if file.is_symlink() or not file.is_file():
            continue
        if file.name == "package.json":
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(data, dict) and isinstance(data.get("name"), str):
                data["name"] = rename_package(data["name"])
                file.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        elif file.suffix in CODE_SUFFIXES and "node_modules" not in file.parts:
            try:
                text = file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # the bad inputs stay bad
            file.write_text(transform(text), encoding="utf-8")


def build(scale: int, out: Path, seed: int = 7) -> dict[str, list[str]]:
    """Write the corpus under ``out``; returns the ``--input`` specs of the pipeline."""
    if out.exists():
        shutil.rmtree(out)
    keep = protected_names()
    rng = random.Random(seed)
    projects = sorted(p for p in (SAMPLES / "github").iterdir() if p.is_dir())
    stack_rows = [json.loads(line) for line in (SAMPLES / "stack" / "the_stack_sample.jsonl").read_text().splitlines()
                  if line.strip()]
    text_rows = [json.loads(line) for line in (SAMPLES / "text" / "docs.jsonl").read_text().splitlines()
                 if line.strip()]
    stack_out, text_out = [], []
    for k in range(scale):
        tag = f"k{k}"

        def own(code: str, tag: str = tag) -> str:
            return rename_identifiers(code, tag, keep)
        _copy_tree(SAMPLES / "framework", out / "framework" / tag, own, lambda n, t=tag: f"{n}-{t}")
        _copy_tree(SAMPLES / "bad", out / "bad" / tag, lambda c: c, lambda n, t=tag: f"{n}-{t}")
        for i, project in enumerate(projects):
            _copy_tree(project, out / "github" / f"{project.name}-{tag}", own, lambda n, t=tag: f"{n}-{t}")
            if (k + i) % 4 == 1:
                _copy_tree(project, out / "github" / f"{project.name}-{tag}-fork",
                           lambda c, t=tag: insert_line(own(c, t), f"const forked_{t} = {k};"),
                           lambda n, t=tag: f"{n}-{t}-fork")
            if (k + i) % 8 == 3:
                _copy_tree(project, out / "github" / f"{project.name}-{tag}-mirror", own,
                           lambda n, t=tag: f"{n}-{t}-mirror")
        for row in stack_rows:
            copy = dict(row, content=own(row["content"]),
                        max_stars_repo_name=f"{row['max_stars_repo_name']}-{tag}")
            stack_out.append(copy)
        for row in text_rows:
            text_out.append(dict(row, id=f"{row['id']}-{tag}", text=swap_words(row["text"], rng)))
    (out / "stack").mkdir(parents=True)
    (out / "stack" / "stack.jsonl").write_text("".join(json.dumps(r) + "\n" for r in stack_out))
    (out / "text").mkdir(parents=True)
    (out / "text" / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in text_out))
    return {"inputs": [f"framework:{out / 'framework'}", f"dir:{out / 'github'}", f"dir:{out / 'bad'}",
                       f"stack:{out / 'stack' / 'stack.jsonl'}", f"text:{out / 'text' / 'docs.jsonl'}"]}


def corpus_bytes(out: Path) -> int:
    """Bytes of regular files under ``out`` (what ingest reads, before its own rejects)."""
    return sum(f.stat().st_size for f in out.rglob("*") if f.is_file() and not f.is_symlink())


if __name__ == "__main__":
    made = build(int(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps({**made, "bytes": corpus_bytes(Path(sys.argv[2]))}, indent=2))
