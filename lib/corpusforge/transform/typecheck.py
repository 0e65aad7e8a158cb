"""Type-check rewritten files with TypeScript's own compiler against the framework's `.d.ts`.

TypeScript comes from the npm registry as a tarball (``npm pack typescript@VERSION`` into the
cache, never ``npm install``) and runs as ``node lib/tsc.js --noEmit``. The files are checked
together in a scratch project whose only declarations are the framework's (``conf/framework/<module>.d.ts``); a file
passes when tsc reports no error in it. Errors about modules that are not in the scratch
project (the file's own ``./types`` or third-party packages) are counted apart, because they
say the file was checked out of its repository, not that the rewrite is wrong.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from corpusforge.errors import EnvironmentProblem, InputError

TYPESCRIPT_VERSION = "5.6.3"
DEFAULT_CACHE = "~/.cache/corpusforge/npm"
# Cannot find module / no declaration file for module: the file's context is missing.
UNRESOLVED_MODULE_CODES = frozenset({"TS2307", "TS7016"})
_ERROR = re.compile(r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<message>.*)$")

# Test files run under Jest; its globals are declared loosely so they type-check alone.
TEST_RUNNER_GLOBALS = """\
declare function describe(name: string, suite: () => void): void;
declare function it(name: string, test: () => unknown): void;
declare function test(name: string, test: () => unknown): void;
declare function beforeEach(fn: () => unknown): void;
declare function afterEach(fn: () => unknown): void;
declare const expect: any;
declare const jest: any;
"""

COMPILER_OPTIONS = {
    "target": "ES2020", "module": "ESNext", "moduleResolution": "Bundler",
    "lib": ["ES2020", "DOM", "DOM.Iterable"], "strict": True, "noEmit": True,
    "jsx": "react", "jsxFactory": "DFrame.h", "jsxFragmentFactory": "DFrame.Fragment",
    "types": [], "skipLibCheck": True, "allowJs": True, "checkJs": False, "esModuleInterop": True,
}


@dataclass(frozen=True)
class TscError:
    file: str
    line: int
    code: str
    message: str


@dataclass
class TypecheckReport:
    """Per-file outcome of one tsc run over a set of files."""

    files: list[str]
    errors: list[TscError] = field(default_factory=list)
    # Context files written beside them (inside the scratch folder, not among ``files``).
    context_files: int = 0

    def failed(self, ignore_unresolved: bool = False) -> set[str]:
        return {e.file for e in self.errors
                if not (ignore_unresolved and e.code in UNRESOLVED_MODULE_CODES)}

    def pass_rate(self, ignore_unresolved: bool = False) -> float:
        if not self.files:
            return 1.0
        return 1 - len(self.failed(ignore_unresolved)) / len(self.files)


def introduced_errors(before: TypecheckReport, after: TypecheckReport,
                      ignore_unresolved: bool = True) -> dict[str, list[TscError]]:
    """Per file of ``after``: the errors its rewrite introduced, i.e. those of ``after``
    beyond what ``before`` (the originals, checked the same way) reports for the file,
    compared by code and message (lines move when imports are added). ``before`` and
    ``after`` must check the same paths. Files with none are left out."""
    from collections import Counter

    def keyed(report: TypecheckReport, file: str) -> list[TscError]:
        return [e for e in report.errors if e.file == file
                and not (ignore_unresolved and e.code in UNRESOLVED_MODULE_CODES)]

    out: dict[str, list[TscError]] = {}
    for file in after.files:
        extra = Counter((e.code, e.message) for e in keyed(after, file)) - Counter(
            (e.code, e.message) for e in keyed(before, file))
        found = []
        for error in keyed(after, file):
            if extra[(error.code, error.message)] > 0:
                extra[(error.code, error.message)] -= 1
                found.append(error)
        if found:
            out[file] = found
    return out


def find_tsc(version: str = TYPESCRIPT_VERSION, cache_dir: str = DEFAULT_CACHE, fetch: bool = True) -> Path | None:
    """``lib/tsc.js`` of typescript@version, unpacked in the cache; with ``fetch`` the tarball
    is fetched with ``npm pack`` when missing. None when it is not there and cannot be fetched."""
    cache = Path(cache_dir).expanduser()
    unpacked = cache / f"typescript-{version}"
    tsc = unpacked / "package" / "lib" / "tsc.js"
    if tsc.is_file():
        return tsc
    tarball = cache / f"typescript-{version}.tgz"
    if not tarball.is_file():
        if not fetch or shutil.which("npm") is None:
            return None
        cache.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "pack", f"typescript@{version}", "--silent"], cwd=cache,
                              capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0 or not tarball.is_file():
            return None
    with tarfile.open(tarball, "r:gz") as archive:
        archive.extractall(unpacked, filter="data")  # refuses links and paths outside the folder
    return tsc if tsc.is_file() else None


def framework_modules(framework_dir: str | Path) -> dict[str, Path]:
    """Module name → declaration file: ``conf/framework/@acme/dframe/testing.d.ts`` declares
    the module ``@acme/dframe/testing`` (the path under the folder is the module name)."""
    root = Path(framework_dir)
    return {str(p.relative_to(root).as_posix())[:-len(".d.ts")]: p for p in sorted(root.rglob("*.d.ts"))}


def scratch_path(path: str) -> str | None:
    """``path`` as a relative POSIX path inside a scratch folder, or None when it would leave it
    (absolute, ``..``, a drive, a NUL) or names nothing."""
    if "\0" in path or "\\" in path:
        return None
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    if not parts or path.startswith("/") or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(parts)


def typecheck(files: dict[str, str], framework_dir: str | Path, tsc: Path, node: str = "node",
              timeout: int = 600, context: dict[str, str] | None = None) -> TypecheckReport:
    """Run ``tsc --noEmit`` over ``files`` (relative path → text) with the framework's
    declarations; every file is a module of one scratch project.

    ``context`` (relative path → text) is written beside them and not checked: the files'
    own relative imports (``./types``) resolve to it, as in their repository. Only what tsc
    says about ``files`` counts. Paths that would leave the scratch folder are refused
    (``files``) or left out (``context``).
    """
    if shutil.which(node) is None:
        raise EnvironmentProblem("node is not installed", stage="transform",
                                 hint="install Node.js to type-check rewritten files")
    modules = framework_modules(framework_dir)
    if not modules:
        raise EnvironmentProblem("no .d.ts files", path=str(framework_dir), stage="transform",
                                 hint="point at the framework's declarations, e.g. conf/framework")
    unsafe = sorted(rel for rel in files if scratch_path(rel) != rel)
    if unsafe:
        raise InputError(f"paths to type-check must be plain relative paths: {unsafe[:3]}",
                         stage="transform", hint="pass paths like 'pkg/src/a.ts' (no '..', no leading '/')")
    with tempfile.TemporaryDirectory(prefix="corpusforge-tsc-") as tmp:
        root = Path(tmp)
        declarations = []
        for module, decl in modules.items():
            target = root / "framework" / f"{module}.d.ts"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(decl, target)
            declarations.append(f"framework/{module}.d.ts")
        (root / "test-runner-globals.d.ts").write_text(TEST_RUNNER_GLOBALS, encoding="utf-8")
        written = 0
        for rel, text in (context or {}).items():
            safe = scratch_path(rel)
            if safe is not None and safe not in files:
                _write(root / "src" / safe, text)
                written += 1
        names = []
        for rel, text in files.items():
            _write(root / "src" / rel, text)
            names.append(f"src/{rel}")
        options = dict(COMPILER_OPTIONS, baseUrl=".",
                       paths={module: [f"framework/{module}.d.ts"] for module in modules})
        config = {"compilerOptions": options,
                  "files": declarations + ["test-runner-globals.d.ts"] + names}
        (root / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
        done = subprocess.run([node, str(tsc), "-p", "tsconfig.json", "--pretty", "false"], cwd=root,
                              capture_output=True, text=True, timeout=timeout, check=False)
    errors, elsewhere = [], 0
    for line in done.stdout.splitlines():
        m = _ERROR.match(line.strip())
        if m and m["file"].startswith("src/") and m["file"][4:] in files:
            errors.append(TscError(m["file"][4:], int(m["line"]), m["code"], m["message"]))
        elif m:
            elsewhere += 1  # in a context file or a declaration: not the checked files' fault
    if done.returncode not in (0, 1, 2) or (done.returncode and not errors and not elsewhere
                                            and done.stdout.strip()):
        raise EnvironmentProblem(f"tsc failed: {(done.stdout + done.stderr).strip()[:500]}",
                                 stage="transform", hint="check the TypeScript tarball and node")
    return TypecheckReport(files=list(files), errors=errors, context_files=written)


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
