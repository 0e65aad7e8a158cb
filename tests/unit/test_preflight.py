"""Common mistakes end in one line with a hint, found before Spark starts (corpusforge.preflight)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from corpusforge import cli, preflight, warehouse
from corpusforge.config import SparkSettings
from corpusforge.errors import EnvironmentProblem, WarehouseError

ROOT = Path(__file__).resolve().parents[2]
BUDGET_NAMES = list(yaml.safe_load((ROOT / "conf/budgets.yaml").read_text())["budgets"])


def fake_java(folder: Path, version_line: str) -> Path:
    """A real executable named ``java`` that prints ``version_line`` as ``java -version`` does."""
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True, exist_ok=True)
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return java


def error_line(capsys, argv: list[str]) -> str:
    """Run the pre-Spark checks of a job; return the one line they printed (exit code 2)."""
    assert cli.preflight_main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize("output, major", [
    ('openjdk version "17.0.15" 2025-04-15', 17),
    ('java version "1.8.0_392"', 8),
    ('openjdk version "21" 2023-09-19', 21),
    ('java version "1.7.0_80"', 7),
    ("no version here", None),
])
def test_java_major(output, major):
    assert preflight.java_major(output) == major


def test_no_java_on_path_and_no_java_home(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    with pytest.raises(EnvironmentProblem) as err:
        preflight.check_java({"PATH": str(empty)})
    assert "Java is not installed" in str(err.value) and "hint: install OpenJDK 17" in str(err.value)


def test_java_home_without_java(tmp_path):
    with pytest.raises(EnvironmentProblem, match=r"JAVA_HOME is .* but .*bin/java does not exist"):
        preflight.check_java({"JAVA_HOME": str(tmp_path), "PATH": os.environ["PATH"]})


@pytest.mark.parametrize("line, major", [('java version "1.7.0_80"', 7), ('openjdk version "22" 2024-03-19', 22)])
def test_old_or_unsupported_java_is_refused(tmp_path, line, major):
    java = fake_java(tmp_path / "jdk", line)
    for env in ({"JAVA_HOME": str(tmp_path / "jdk"), "PATH": os.environ["PATH"]},
                {"PATH": f"{java.parent}{os.pathsep}{os.environ['PATH']}"}):
        with pytest.raises(EnvironmentProblem) as err:
            preflight.check_java(env)
        message = str(err.value)
        assert f"Java {major} found at {java}" in message
        assert "runs on Java 8, 11 or 17" in message and "hint: install OpenJDK 17" in message


def test_supported_java_passes(tmp_path):
    fake_java(tmp_path / "jdk", 'openjdk version "17.0.2" 2022-01-18')
    assert preflight.check_java({"JAVA_HOME": str(tmp_path / "jdk"), "PATH": os.environ["PATH"]}) == 17


def test_build_session_checks_java_first(tmp_path, monkeypatch):
    from corpusforge.spark import build_session

    fake_java(tmp_path / "jdk", 'java version "1.7.0_80"')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    with pytest.raises(EnvironmentProblem, match="Java 7 found"):
        build_session(SparkSettings())


def test_job_with_wrong_java_is_one_line(tmp_path, monkeypatch, capsys):
    fake_java(tmp_path / "jdk", 'java version "1.7.0_80"')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    line = error_line(capsys, ["plan"])
    assert line.startswith("corpusforge plan: error: [session] Java 7 found at ")


def test_missing_config_file(capsys):
    line = error_line(capsys, ["pipeline", "--conf", "nope.yaml"])
    assert line == ("corpusforge pipeline: error: [config] nope.yaml: config file does not exist "
                    "(hint: pass --conf with an existing YAML file, e.g. conf/local.yaml)")


@pytest.mark.parametrize("kind, name", [("dir", "repo"), ("framework", "fw"), ("text", "docs.jsonl"),
                                        ("stack", "stack.parquet"), ("npm", "pkg-1.0.0.tgz")])
def test_missing_input_path_of_every_kind(tmp_path, capsys, kind, name):
    missing = tmp_path / "nope" / name
    line = error_line(capsys, ["ingest", "--input", f"{kind}:{missing}", "--warehouse", str(tmp_path / "wh")])
    assert line == (f"corpusforge ingest: error: [ingest] {missing}: {kind} input path does not exist "
                    "(hint: check the path, relative paths are from the current directory)")


def test_missing_input_in_config_fails_the_pipeline_too(tmp_path, capsys):
    line = error_line(capsys, ["pipeline", "--set", f"ingest.inputs=[dir:{tmp_path}/gone]"])
    assert f"{tmp_path}/gone: dir input path does not exist" in line


def test_jobs_without_ingest_do_not_check_inputs(tmp_path):
    assert cli.preflight_main(["filter", "--set", f"ingest.inputs=[dir:{tmp_path}/gone]",
                               "--warehouse", str(tmp_path / "wh")]) == 0


@pytest.mark.parametrize("argv", [["plan", "--budget", "13b"], ["shard", "--budget", "13b"],
                                  ["pipeline", "--set", "shards.budget=13b"]])
def test_unknown_budget_lists_the_names(capsys, argv):
    line = error_line(capsys, argv)
    assert f"[budgets] no budget named '13b' (hint: choose one of: {', '.join(BUDGET_NAMES)})" in line
    assert line.startswith(f"corpusforge {argv[0]}: error:")


def test_known_budget_passes(tmp_path):
    assert cli.preflight_main(["shard", "--budget", BUDGET_NAMES[0], "--warehouse", str(tmp_path)]) == 0


def test_incompatible_local_warehouse_is_refused_before_spark(tmp_path, capsys):
    marker = tmp_path / "wh" / "_corpusforge.json"
    marker.parent.mkdir()
    marker.write_text(json.dumps({"format": "corpusforge-warehouse", "format_version": "2.0",
                                  "written_by": "corpusforge 2.3.0"}))
    line = error_line(capsys, ["dedup", "--warehouse", str(tmp_path / "wh")])
    assert line == (f"corpusforge dedup: error: [warehouse] {marker}: warehouse format 2.0 (written by "
                    f"corpusforge 2.3.0) is not compatible with format {warehouse.FORMAT_VERSION} of "
                    f"corpusforge {cli_version()} (hint: {warehouse.HINT})")


def cli_version() -> str:
    from corpusforge import __version__

    return __version__


def test_marker_versions():
    location = "/wh/_corpusforge.json"
    mine = warehouse.check_marker(warehouse.marker_bytes(), location)
    assert mine["format_version"] == warehouse.FORMAT_VERSION
    major = warehouse.FORMAT_VERSION.split(".")[0]
    newer_minor = json.dumps({"format": warehouse.FORMAT, "format_version": f"{major}.99"}).encode()
    assert warehouse.check_marker(newer_minor, location)["format_version"] == f"{major}.99"
    with pytest.raises(WarehouseError, match="re-run into a new warehouse"):
        warehouse.check_marker(json.dumps({"format": warehouse.FORMAT, "format_version": "0.1"}).encode(),
                               location)
    for junk in (b"not json", b"[]", json.dumps({"format": "other"}).encode()):
        with pytest.raises(WarehouseError, match="not a corpusforge warehouse marker"):
            warehouse.check_marker(junk, location)


def test_marker_is_the_same_bytes_every_time():
    assert warehouse.marker_bytes() == warehouse.marker_bytes()


def test_schema_problems_name_required_columns_only():
    from corpusforge import tables

    spec = tables.GOLD_TOKENS
    stored = {f.name: f.dataType.simpleString() for f in spec.schema.fields}
    assert warehouse.schema_problems(spec, stored) == []
    del stored["source"]  # nullable: the writer adds it
    assert warehouse.schema_problems(spec, stored) == []
    del stored["n_tokens"]
    assert warehouse.schema_problems(spec, stored) == ["lacks required column n_tokens"]
    del stored["tokens"]
    stored["split"] = "int"
    assert warehouse.schema_problems(spec, stored) == [
        "lacks required columns n_tokens, tokens", "has split as int, expected string"]
