"""Which Python 3.11 the set-up builds ``.venv`` from.

The transform stage's engine is Python around tree-sitter's C, so the interpreter's build
moves its speed (the parse's not at all): an interpreter whose executable links libpython
in runs it faster than one calling into a shared ``libpython3.11.so`` (every call between
the interpreter's own functions goes through the dynamic linker's tables). Distribution
builds (Debian's ``/usr/bin/python3.11``, conda's) link it in; pyenv's default build and
``--enable-shared`` source builds do not. On the development machine Debian's ran the
engine 4-8% faster than pyenv's (docs/TRANSFORM.md, rounds (10) and (11)).

``./spark-submit.sh --setup`` runs this file with any Python (it imports nothing from the
package, only the standard library) when ``$PYTHON`` is not set: it looks at every
``python3.11`` on the PATH and the usual system paths, keeps those that can build a
virtualenv, and prints the first with libpython linked in, else the first one found. The
reasons go to stderr. Set ``PYTHON`` to choose yourself.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

NAME = "python3.11"
VERSION = (3, 11)
SYSTEM_PATHS = ("/usr/bin/python3.11", "/usr/local/bin/python3.11")


@dataclass(frozen=True)
class Interpreter:
    """One Python found on the machine, as it describes itself."""

    executable: str
    version: str
    libpython_shared: bool | None  # None where /proc cannot say (not Linux)
    has_venv: bool

    @property
    def version_info(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split(".")[:2] if p.isdigit())

    def summary(self) -> str:
        linked = {True: "shared libpython", False: "libpython linked in", None: "linking unknown"}
        venv = "" if self.has_venv else ", no venv module"
        return f"{self.executable} ({self.version}, {linked[self.libpython_shared]}{venv})"


def libpython_shared() -> bool | None:
    """Whether this process calls into a shared libpython (None where /proc cannot say)."""
    maps = Path("/proc/self/maps")
    return "libpython" in maps.read_text() if maps.exists() else None


def this_interpreter() -> Interpreter:
    """The Python running this code, as :func:`describe` reports another."""
    try:
        import ensurepip  # noqa: F401 - what `python -m venv` needs besides venv itself
        import venv  # noqa: F401

        has_venv = True
    except ImportError:
        has_venv = False
    return Interpreter(sys.executable, platform.python_version(), libpython_shared(), has_venv)


def describe(executable: str, timeout: float = 30.0) -> Interpreter | None:
    """Run ``executable`` on this file (``--describe``) to ask what it is; None when it does
    not run it as a Python."""
    try:
        done = subprocess.run([executable, "-I", str(Path(__file__).resolve()), "--describe"],
                              capture_output=True, text=True, timeout=timeout, check=False)
        info = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    return Interpreter(str(info["executable"]), str(info["version"]), info["libpython_shared"],
                       bool(info["has_venv"]))


def candidates(path: str | None = None, system: tuple[str, ...] = SYSTEM_PATHS, name: str = NAME) -> list[str]:
    """Every ``name`` on ``path`` (default: ``$PATH``), in PATH order, then the system paths
    that exist; each file once."""
    found: list[str] = []
    for folder in (path if path is not None else os.environ.get("PATH", "")).split(os.pathsep):
        exe = shutil.which(name, path=folder) if folder else None
        if exe and exe not in found:
            found.append(exe)
    found += [p for p in system if os.access(p, os.X_OK) and p not in found]
    return found


def choose(found: list[Interpreter], version: tuple[int, ...] = VERSION) -> Interpreter | None:
    """The first of ``found`` with the version and a venv module whose libpython is linked
    in, else the first with the version and a venv module, else None."""
    usable = [i for i in found if i.version_info == version and i.has_venv]
    return next((i for i in usable if i.libpython_shared is False), usable[0] if usable else None)


def main(argv: list[str] | None = None) -> int:
    """Print the chosen interpreter's path (``--describe``: this interpreter, as JSON)."""
    if (sys.argv[1:] if argv is None else argv) == ["--describe"]:
        print(json.dumps(asdict(this_interpreter())))
        return 0
    found: list[Interpreter] = []
    for exe in candidates():
        described = describe(exe)
        # A pyenv shim and the file it runs, /bin and /usr/bin (merged /usr): one interpreter each.
        if described is not None and all(os.path.realpath(d.executable) != os.path.realpath(described.executable)
                                         for d in found):
            found.append(described)
    chosen = choose(found)
    if chosen is None:
        print(f"interpreters: no {NAME} that can build a virtualenv among "
              f"{[i.summary() for i in found] or 'none found'} (hint: install Python 3.11 with its venv "
              f"module, e.g. apt-get install python3.11-venv, or set PYTHON)", file=sys.stderr)
        return 1
    others = [i.summary() for i in found if i is not chosen]
    print(f"interpreters: {chosen.summary()}" + (f"; also found {', '.join(others)}" if others else ""),
          file=sys.stderr)
    print(chosen.executable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
