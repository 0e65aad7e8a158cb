"""The transform benchmark's accounting inside the Python workers: every task reports, and
only while the block is open."""

from __future__ import annotations

import importlib.util

from corpusforge.transform import stage as transform_stage
from tests.conftest import ROOT, make_config

# By path and under its own name: `transform` alone may already name another module here.
_SPEC = importlib.util.spec_from_file_location("transform_benchmark", ROOT / "benchmarks" / "transform.py")
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)  # type: ignore[union-attr]

SCHEMA = ("doc_id string, source string, origin string, path string, language string, "
          "license string, size_bytes long, content string")


def _rows(n: int) -> list[tuple]:
    text = "import { useState } from 'react';\nexport const C = () => useState(0)[0];\n"
    return [(f"d{i}", "github", "app@1.0.0", f"src/c{i}.ts", "typescript", "MIT", len(text), text)
            for i in range(n)]


def test_each_task_reports_its_rows_and_seconds_and_the_stage_is_restored(spark):
    transform = transform_stage.make_transform(make_config(ROOT / "unused").transform)
    original = transform_stage._transform_batches
    df = spark.createDataFrame(_rows(7), SCHEMA).repartition(3)
    with bench.worker_accounting() as tasks:
        out = transform_stage.transform_documents(df, transform).collect()
    assert transform_stage._transform_batches is original
    assert len(out) == 7 and all(r["rules_applied"] == ["react-api"] for r in out)
    assert len(tasks) == df.rdd.getNumPartitions()
    assert sum(t["rows"] for t in tasks) == 7
    assert all(t["seconds"] > 0 and t["cpu_seconds"] >= 0 for t in tasks)
    # Outside the block the stage reports nothing more.
    transform_stage.transform_documents(df, transform).collect()
    assert sum(t["rows"] for t in tasks) == 7


def test_the_jvm_cpu_reading_grows_while_the_jvm_works(spark):
    before = bench._jvm_cpu_seconds(spark)
    assert before is not None and before > 0  # the session's JVM has started, compiled, read
    spark.range(20_000_000).selectExpr("sum(id * 7 % 13)").collect()
    after = bench._jvm_cpu_seconds(spark)
    assert after is not None and after > before


def test_every_side_runs_the_copies_in_one_order_and_the_spark_slices_keep_it(spark):
    rows = [dict(zip(("doc_id", "source", "origin", "path", "language", "license", "size_bytes", "content"), r))
            for r in _rows(5)]
    data = bench.in_table_order(bench.copies_of(rows, 3))
    assert len(data) == 15 and len({r["doc_id"] for r in data}) == 15  # each copy its own doc_ids
    assert [r["doc_id"] for r in data] == sorted(r["doc_id"] for r in data)
    # The copies interleave, as a deduplicated table's files do, not one copy after another.
    assert [r["path"] for r in data] != sorted(r["path"] for r in data)
    df = spark.createDataFrame(spark.sparkContext.parallelize(data, 4), SCHEMA)
    assert df.rdd.getNumPartitions() == 4
    assert [r["doc_id"] for r in df.collect()] == [r["doc_id"] for r in data]


def test_the_interpreter_that_ran_is_recorded():
    # Its build moves the engine's time (docs/TRANSFORM.md, round (10)): the results say which.
    import platform
    import sys
    import sysconfig

    found = bench.interpreter()
    assert found["executable"] == sys.executable
    assert found["version"] == platform.python_version()
    # A shared libpython is mapped into the process exactly when the build made one and the
    # executable links it (pyenv's default here; Debian's python3.11 links it in).
    shared = found["libpython_shared"]
    assert isinstance(shared, bool)
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        assert shared is False


def test_an_accounted_run_sums_its_tasks_and_reads_the_jvm(spark):
    transform = transform_stage.make_transform(make_config(ROOT / "unused").transform)
    original = transform_stage._transform_batches
    df = spark.createDataFrame(_rows(9), SCHEMA).repartition(3)
    run = bench._accounted_run(spark, df, transform)
    assert run["tasks"] == 3 and run["rows"] == 9
    assert 0 < run["task_seconds"] and 0 <= run["task_cpu_seconds"]
    assert run["wall_seconds"] > 0 and run["jvm_cpu_seconds"] is not None
    assert transform_stage._transform_batches is original
