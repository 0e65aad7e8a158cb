"""Which Python 3.11 the set-up builds .venv from (lib/corpusforge/interpreters.py)."""

from __future__ import annotations

import os
import platform
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from corpusforge import interpreters
from corpusforge.interpreters import Interpreter, candidates, choose, describe

SCRIPT = Path(interpreters.__file__)


def _executable(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_running_interpreter_describes_itself():
    found = describe(sys.executable)
    assert found is not None
    assert found.version == platform.python_version()
    assert found.libpython_shared == interpreters.libpython_shared()
    assert found.has_venv  # the test suite's own .venv was built by it or its base
    assert found.version_info == sys.version_info[:2]
    assert found == interpreters.this_interpreter()  # the same file answers in both


def test_what_is_no_python_is_not_described(tmp_path):
    assert describe(str(tmp_path / "missing")) is None
    assert describe(str(_executable(tmp_path / "quiet", "exit 0"))) is None
    assert describe(str(_executable(tmp_path / "liar", "echo '[1, 2]'"))) is None
    assert describe(str(_executable(tmp_path / "failing", "echo '{}'; exit 3"))) is None


def test_candidates_follow_the_path_then_the_system_paths(tmp_path):
    first = _executable(tmp_path / "a" / "python3.11", "exit 0")
    second = _executable(tmp_path / "b" / "python3.11", "exit 0")
    (tmp_path / "c").mkdir()
    system = _executable(tmp_path / "sys" / "python3.11", "exit 0")
    path = os.pathsep.join(str(tmp_path / d) for d in ("c", "b", "", "a", "b"))
    assert candidates(path, system=(str(system), str(tmp_path / "absent"), str(first))) == \
        [str(second), str(first), str(system)]
    not_executable = tmp_path / "d" / "python3.11"
    not_executable.parent.mkdir()
    not_executable.write_text("")
    assert candidates(str(not_executable.parent), system=()) == []


def _i(name: str, version: str = "3.11.7", shared: bool | None = True, venv: bool = True) -> Interpreter:
    return Interpreter(name, version, shared, venv)


def test_the_first_with_libpython_linked_in_is_chosen():
    found = [_i("pyenv"), _i("debian", "3.11.2", False), _i("local", "3.11.9", False)]
    assert choose(found).executable == "debian"


def test_without_one_linked_in_the_first_usable_is_chosen():
    assert choose([_i("unknown", shared=None), _i("pyenv")]).executable == "unknown"
    assert choose([_i("pyenv"), _i("other")]).executable == "pyenv"


def test_other_versions_and_interpreters_without_venv_are_never_chosen():
    found = [_i("py312", "3.12.1", False), _i("no-venv", "3.11.2", False, venv=False), _i("pyenv")]
    assert choose(found).executable == "pyenv"
    assert choose([_i("py312", "3.12.1", False), _i("no-venv", venv=False)]) is None
    assert choose([]) is None
    assert choose([_i("py312", "3.12.1", False)], version=(3, 12)).executable == "py312"


def test_the_script_prints_a_usable_interpreter_and_why(tmp_path):
    # A python3.11 on a PATH of its own that is the running interpreter (whatever the version,
    # the script is asked for this one's).
    wrapper = _executable(tmp_path / "bin" / interpreters.NAME, f'exec "{sys.executable}" "$@"')
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, check=False)
    if sys.version_info[:2] != interpreters.VERSION and not any(
            describe(c) for c in interpreters.SYSTEM_PATHS if os.path.exists(c)):
        pytest.skip("no Python 3.11 on this machine")
    assert done.returncode == 0, done.stderr
    chosen = done.stdout.strip()
    assert "\n" not in chosen and done.stderr.startswith("interpreters: ")
    described = describe(chosen)
    assert described is not None and described.version_info == interpreters.VERSION and described.has_venv
    assert described.summary() in done.stderr


def test_no_usable_interpreter_is_an_error_with_a_hint(tmp_path, monkeypatch, capsys):
    liar = _executable(tmp_path / "python3.11", "echo nothing")
    monkeypatch.setattr(interpreters, "candidates", lambda: [str(liar)])
    assert interpreters.main([]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert "no python3.11 that can build a virtualenv" in out.err and "set PYTHON" in out.err
