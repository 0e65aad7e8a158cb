"""The transform stage over Spark: the Arrow UDF on a DataFrame (chispa), then the stage's
tables, accounting, rule coverage and rerun."""

from __future__ import annotations

import hashlib

import pytest
from chispa import assert_df_equality
from pyspark.sql import functions as F
from pyspark.sql import types as T

from corpusforge import tables
from corpusforge.sources.records import doc_id_for
from corpusforge.transform import stage as transform_stage
from tests.conftest import ROOT, make_config

FIXTURES = ROOT / "tests" / "transform" / "fixtures"
HOOKS = (FIXTURES / "hooks.tsx").read_text()
HOOKS_OUT = (FIXTURES / "hooks.expected.tsx").read_text()
FRAMEWORK = (ROOT / "samples/framework/apps/orders-portal/src/api/orders.ts").read_text()
PLAIN = "export const add = (a: number, b: number): number => a + b;\n"
BROKEN = "export function broken( {\n  return 1 +;\n}\n"
EVAL = "export const run = (code: string) => eval(code);\n"
README = "# Notes\n\nWe fetch( nothing here.\n"

DOCS = [  # source, origin, path, language, content
    ("github", "app@1.0.0", "src/Counter.tsx", "tsx", HOOKS),
    ("framework", "@acme/orders-portal@1.0.0", "src/api/orders.ts", "typescript", FRAMEWORK),
    ("github", "app@1.0.0", "src/add.ts", "typescript", PLAIN),
    ("github", "app@1.0.0", "src/broken.ts", "typescript", BROKEN),
    ("github", "app@1.0.0", "src/run.ts", "typescript", EVAL),
    ("github", "app@1.0.0", "README.md", "markdown", README),
]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _silver(spark):
    rows = [{"doc_id": doc_id_for(s, o, p), "source": s, "origin": o, "path": p, "language": lang,
             "license": "MIT", "license_evidence": "package.json", "content": c,
             "content_sha256": _sha(c), "size_bytes": len(c.encode()), "run_id": "r0", "bucket": 0}
            for s, o, p, lang, c in DOCS]
    return spark.createDataFrame(rows, tables.SILVER_FILTERED.schema)


@pytest.fixture(scope="module")
def transform():
    return transform_stage.make_transform(make_config(ROOT / "unused").transform)


def test_udf_rewrites_counts_and_flags_documents(spark, transform):
    out = transform_stage.transform_documents(_silver(spark), transform)
    actual = out.select("path", "content", "rules_applied", "framework_calls", "category", "valid", "reason")
    schema = T.StructType([
        T.StructField("path", T.StringType()), T.StructField("content", T.StringType()),
        T.StructField("rules_applied", T.ArrayType(T.StringType())),
        T.StructField("framework_calls", T.IntegerType()), T.StructField("category", T.StringType()),
        T.StructField("valid", T.BooleanType()), T.StructField("reason", T.StringType())])
    expected = spark.createDataFrame([
        ("src/Counter.tsx", HOOKS_OUT, ["react-api"], 1, "aligned", True, None),
        ("src/api/orders.ts", FRAMEWORK, [], 5, "framework", True, None),
        ("src/add.ts", PLAIN, [], 0, "public", True, None),
        ("src/broken.ts", BROKEN, [], 0, "public", False, "parse_error"),
        ("src/run.ts", EVAL, [], 0, "public", False, "constraint:eval"),
        ("README.md", README, [], 0, "public", True, None),
    ], schema)
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)
    maps = {r["path"]: (r["rules_fired"], r["original_sha256"], r["content_sha256"])
            for r in out.select("path", "rules_fired", "original_sha256", "content_sha256").collect()}
    assert maps["src/Counter.tsx"] == ({"react-api": 1}, _sha(HOOKS), _sha(HOOKS_OUT))


def test_parse_errors_can_pass_through(spark):
    config = make_config(ROOT / "unused", **{"transform.on_parse_error": "pass"})
    transform = transform_stage.make_transform(config.transform)
    row = (transform_stage.transform_documents(_silver(spark), transform)
           .where(F.col("path") == "src/broken.ts").first())
    assert (row["reason"], row["valid"], row["content"]) == (None, False, BROKEN)


def test_stage_writes_gold_rejects_and_rule_coverage(spark, tmp_path):
    config = make_config(tmp_path / "wh")
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, _silver(spark))
    result = transform_stage.run(spark, config)
    assert (result.rows_in, result.rows_out, result.rows_rejected) == (6, 4, 2)
    assert result.reasons == {"constraint:eval": 1, "parse_error": 1}

    gold = tables.read_table(spark, config.warehouse, tables.GOLD_DOCUMENTS)
    categories = {r["path"]: r["category"] for r in gold.collect()}
    assert categories == {"src/Counter.tsx": "aligned", "src/api/orders.ts": "framework",
                          "src/add.ts": "public", "README.md": "public"}
    counter = gold.where(F.col("path") == "src/Counter.tsx").first()
    assert counter["content"] == HOOKS_OUT and counter["rules_fired"] == {"react-api": 1}
    assert counter["origin"] == "app@1.0.0" and counter["run_id"] == config.resolved_run_id()

    rejects = tables.read_table(spark, config.warehouse, tables.REJECTS).where("stage = 'transform'")
    assert {r["path"]: r["reason"] for r in rejects.collect()} == {
        "src/broken.ts": "parse_error", "src/run.ts": "constraint:eval"}

    coverage = {r["rule"]: (r["fired"], r["documents_fired"])
                for r in tables.read_table(spark, config.warehouse, tables.TRANSFORM_RULES).collect()}
    assert coverage["react-api"] == (1, 1) and coverage["axios-get"] == (0, 0)
    assert coverage["eval"] == (1, 1)  # constraints: matches left in outputs (here, rejected)
    report = tmp_path / "wh" / "reports" / config.resolved_run_id() / "transform_rules.md"
    assert "| react-api | rename | 1 | 1 | 0 | 0 |" in report.read_text()

    runs = tables.read_table(spark, config.warehouse, tables.STAGE_RUNS).where("stage = 'transform'").first()
    assert (runs["rows_in"], runs["rows_out"], runs["rows_rejected"]) == (6, 4, 2)

    before = gold.orderBy("doc_id").collect()
    again = transform_stage.run(spark, config)
    assert (again.rows_in, again.rows_out, again.rows_rejected) == (6, 4, 2)
    assert tables.read_table(spark, config.warehouse, tables.GOLD_DOCUMENTS).orderBy("doc_id").collect() == before


def test_stage_prefers_silver_deduped(spark, tmp_path):
    config = make_config(tmp_path / "wh")
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, _silver(spark))
    assert transform_stage.input_table(spark, config.warehouse) == tables.SILVER_FILTERED
    deduped = _silver(spark).where(F.col("path") == "src/add.ts").select(*tables.SILVER_DEDUPED.schema.names)
    tables.replace_rows(spark, config.warehouse, tables.SILVER_DEDUPED, deduped)
    result = transform_stage.run(spark, config)
    assert (result.rows_in, result.rows_out, result.rows_rejected) == (1, 1, 0)
