"""Common mistakes through ``./spark-submit.sh``: one line and a hint, before any JVM starts."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import yaml

from tests.cli.conftest import env_without_java, run_submit
from tests.conftest import ROOT, spark_submit_env

BUDGET_NAMES = ", ".join(yaml.safe_load((ROOT / "conf/budgets.yaml").read_text())["budgets"])


def one_error_line(proc) -> str:
    """The run failed with exit code 2 and said so in exactly one line, no JVM output."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    # The one line spark-submit.sh prints when pyproject.toml changed since the last setup is no error.
    lines = [line for line in proc.stderr.strip().splitlines() if not line.startswith("spark-submit.sh: setting up")]
    assert len(lines) == 1, proc.stderr
    assert "Exception" not in proc.stderr and "\tat " not in proc.stderr
    return lines[0]


def test_no_java(path_without_java, tmp_path):
    line = one_error_line(run_submit("ingest", "--warehouse", str(tmp_path),
                                     env=env_without_java(path_without_java)))
    assert line.startswith("corpusforge ingest: error: [session] Java is not installed: "
                           "no java on PATH and JAVA_HOME is not set")
    assert "(hint: install OpenJDK 17" in line


def test_old_java(tmp_path):
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\necho 'java version \"1.7.0_80\"' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    env = spark_submit_env()
    env["JAVA_HOME"] = str(tmp_path / "jdk")
    line = one_error_line(run_submit("dedup", "--warehouse", str(tmp_path / "wh"), env=env))
    assert line.startswith(f"corpusforge dedup: error: [session] Java 7 found at {java}; "
                           "Spark 3.5 runs on Java 8, 11 or 17 (hint: install OpenJDK 17")


def test_missing_config():
    line = one_error_line(run_submit("pipeline", "--conf", "nope.yaml"))
    assert line == ("corpusforge pipeline: error: [config] nope.yaml: config file does not exist "
                    "(hint: pass --conf with an existing YAML file, e.g. conf/local.yaml)")


def test_missing_inputs(tmp_path):
    for spec in (f"dir:{tmp_path}/repo", f"npm:{tmp_path}/pkg-1.0.0.tgz", f"text:{tmp_path}/docs.jsonl.zst"):
        kind, location = spec.split(":", 1)
        line = one_error_line(run_submit("ingest", "--input", spec, "--warehouse", str(tmp_path / "wh")))
        assert line == (f"corpusforge ingest: error: [ingest] {location}: {kind} input path does not exist "
                        "(hint: check the path, relative paths are from the current directory)")


def test_unknown_budget(tmp_path):
    for job in ("plan", "shard"):
        line = one_error_line(run_submit(job, "--budget", "13b", "--warehouse", str(tmp_path)))
        assert line == (f"corpusforge {job}: error: [budgets] no budget named '13b' "
                        f"(hint: choose one of: {BUDGET_NAMES})")


def test_incompatible_warehouse(tmp_path):
    marker = Path(tmp_path) / "_corpusforge.json"
    marker.write_text(json.dumps({"format": "corpusforge-warehouse", "format_version": "2.0",
                                  "written_by": "corpusforge 2.0.0"}))
    line = one_error_line(run_submit("filter", "--warehouse", str(tmp_path)))
    assert line.startswith(f"corpusforge filter: error: [warehouse] {marker}: warehouse format 2.0 "
                           "(written by corpusforge 2.0.0) is not compatible with format 1")
    assert "(hint: re-run into a new warehouse (--warehouse NEW_DIR)" in line


def write_delta_log(table: Path, columns: dict[str, str]) -> None:
    """An empty Delta table with ``columns``, as a Delta writer lays it out (protocol + metadata)."""
    schema = {"type": "struct", "fields": [{"name": n, "type": t, "nullable": True, "metadata": {}}
                                           for n, t in columns.items()]}
    log = table / "_delta_log"
    log.mkdir(parents=True)
    actions = [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
               {"metaData": {"id": "00000000-0000-0000-0000-000000000001",
                             "format": {"provider": "parquet", "options": {}},
                             "schemaString": json.dumps(schema), "partitionColumns": [],
                             "configuration": {}, "createdTime": 0}}]
    (log / "00000000000000000000.json").write_text("".join(json.dumps(a) + "\n" for a in actions))


def test_table_of_an_older_layout_inside_spark_is_one_line_too(tmp_path):
    # Found only once Spark reads the Delta log: the driver prints the line, spark-submit no trace.
    write_delta_log(tmp_path / "gold" / "tokens", {"doc_id": "string", "split": "string"})
    proc = run_submit("plan", "--warehouse", str(tmp_path), "--set", "spark.master=local[1]")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output[-3000:]
    errors = [line for line in output.splitlines() if "error:" in line]
    assert errors == [f"corpusforge plan: error: [warehouse] {tmp_path}/gold/tokens: table gold/tokens "
                      "lacks required columns category, n_chars, n_bytes, n_tokens, tokens, tokenizer_sha256, "
                      "run_id: written by an incompatible corpusforge version (hint: re-run into a new "
                      "warehouse (--warehouse NEW_DIR), or migrate this one with the corpusforge version "
                      "that wrote it)"]
    # No Python traceback and no Java one for this error (a loaded machine may still log
    # Spark's own heartbeat warnings, which are not about the job).
    assert "Traceback" not in output and "WarehouseError" not in output and "Py4J" not in output
