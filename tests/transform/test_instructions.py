"""gold/instructions: JSDoc extraction as plain functions, then the Spark step (Spark NLP
sentence splitting, migration pairs, deterministic ids)."""

from __future__ import annotations

import pytest

from corpusforge import tables
from corpusforge.errors import ConfigError
from corpusforge.transform.instructions import (
    DOCUMENTED, MIGRATION, candidates, documented_functions, instruction_id, instruction_rows,
    parse_jsdoc)
from corpusforge.transform.rulepack import rulepack_from_dict

SOURCE = """import { helper } from './helper';

/**
 * Adds two numbers. The result is exact for integers.
 * @param {number} a - The first addend.
 * @param b The second addend.
 * @returns {number} The sum of {@link a} and b.
 */
export function add(a: number, b: number): number {
  return a + b;
}

/** Doubles the value it is given. */
export const double = (x: number): number => x * 2;

/* A block comment, not JSDoc: skipped. */
export function notDocumented(): void {}

/** A section comment: a blank line separates it from the function. */

export function afterSection(): void {}

export function bare(): number {
  return helper();
}

/** Internal helper that is not exported but documented. */
function twice(f: () => void): void { f(); f(); }

class Cart {
  /**
   * Totals every line of the cart.
   * @return the total in cents
   */
  total(): number {
    return 0;
  }

  /** A field, not a method: skipped. */
  count = 0;
}
"""


def test_parse_jsdoc_splits_description_and_tags():
    doc = parse_jsdoc("/**\n * Loads a user.\n * Second line {@link User|the user}.\n"
                      " * @param {string} id - The user id.\n * @param [opts] Options.\n"
                      " * @example load('1')\n * @returns {Promise<User>} The user.\n */")
    assert doc is not None
    assert doc.description == "Loads a user. Second line the user."
    assert doc.params == (("id", "The user id."), ("opts", "Options."))
    assert doc.returns == "The user."


def test_parse_jsdoc_ignores_other_comments():
    assert parse_jsdoc("/* plain */") is None
    assert parse_jsdoc("// line") is None
    assert parse_jsdoc("/*** banner ***/") is None


def test_documented_functions_finds_exported_arrow_local_and_methods():
    found = {f.name: f for f in documented_functions(SOURCE, "src/math.ts", "typescript")}
    assert sorted(found) == ["add", "double", "total", "twice"]
    add = found["add"]
    assert add.implementation.startswith("export function add(a: number, b: number): number {")
    assert add.implementation.endswith("return a + b;\n}")
    assert SOURCE.encode()[add.start_byte:add.end_byte].decode() == add.implementation
    assert add.doc.params == (("a", "The first addend."), ("b", "The second addend."))
    assert add.doc.returns == "The sum of a and b."
    assert found["double"].implementation == "export const double = (x: number): number => x * 2;"
    assert found["total"].implementation.startswith("total(): number {")
    assert found["total"].doc.returns == "the total in cents"


def test_unparsable_file_gives_nothing():
    assert documented_functions("/** Broken function here. */\nfunction f( {", "a.ts") == []


def _spec():
    pack = rulepack_from_dict({
        "name": "t", "framework": {"modules": ["@x/ui"]},
        "instructions": {"migration": {"template": "Port this file ({rules}):\n{before}"},
                         "documented": {"template": "{description}{params}{returns}", "min_words": 3}}})
    return pack.instructions


def test_candidates_migration_and_min_words():
    spec = _spec()
    row = {"doc_id": "d1", "source": "github", "origin": "o", "path": "a.ts", "language": "typescript",
           "category": "aligned", "rules_applied": ["r2", "r1"], "content": "after();\n",
           "before": "before();\n"}
    (pair,) = candidates(row, spec, ("typescript",))
    assert pair["kind"] == MIGRATION
    assert pair["instruction"] == "Port this file (r1, r2):\nbefore();\n"
    assert pair["response"] == "after();\n"
    assert pair["id"] == instruction_id("d1", MIGRATION, 0, len("before();\n"))
    public = dict(row, category="public")
    assert candidates(public, spec, ("typescript",)) == []
    short = dict(row, before=None, content="/** Too short. */\nexport function f() { return 1; }\n")
    assert candidates(short, spec, ("typescript",)) == []


def test_unknown_template_placeholder_fails_at_load():
    with pytest.raises(ConfigError, match="unknown placeholder"):
        rulepack_from_dict({"name": "t", "framework": {"modules": ["m"]},
                            "instructions": {"migration": {"template": "{after}"}}})


def test_instruction_rows_on_spark(spark):
    spec = _spec()
    gold = spark.createDataFrame([
        ("d1", "framework", "@x/ui@1.0.0", "src/math.ts", "typescript", "framework", [], SOURCE),
        ("d2", "github", "app@1", "src/App.tsx", "tsx", "aligned", ["react-api"], "const a = X.useState(0);\n"),
        ("d3", "github", "app@1", "README.md", "markdown", "public", [], "/** Not code at all here. */"),
    ], "doc_id string, source string, origin string, path string, language string, category string, "
       "rules_applied array<string>, content string")
    originals = spark.createDataFrame([
        ("d1", SOURCE), ("d2", "const a = useState(0);\n"), ("d3", "/** Not code at all here. */")],
        "doc_id string, content string")
    out = instruction_rows(gold, originals, spec, ("typescript", "tsx"), "r1")
    rows = {(r["doc_id"], r["kind"], r["response"].split("\n")[0]): r for r in out.collect()}
    assert sorted(k[:2] for k in rows) == [("d1", DOCUMENTED)] * 4 + [("d2", MIGRATION)]
    add = rows[("d1", DOCUMENTED, "export function add(a: number, b: number): number {")]
    # Spark NLP split the description into sentences, one a line; the tags follow.
    assert add["instruction"] == ("Adds two numbers.\nThe result is exact for integers.\n\nParameters:\n"
                                  "- `a`: The first addend.\n- `b`: The second addend.\n\n"
                                  "Returns: The sum of a and b.")
    pair = rows[("d2", MIGRATION, "const a = X.useState(0);")]
    assert pair["instruction"] == "Port this file (react-api):\nconst a = useState(0);\n"
    assert pair["rules"] == ["react-api"] and pair["run_id"] == "r1"
    # The rows fit the table contract, and a second run gives the same ids.
    assert set(tables.GOLD_INSTRUCTIONS.schema.fieldNames()) <= set(out.columns)
    again = instruction_rows(gold, originals, spec, ("typescript", "tsx"), "r1")
    assert sorted(r["id"] for r in again.collect()) == sorted(r["id"] for r in rows.values())


def test_transform_stage_writes_instructions_idempotently(spark, tmp_path):
    from corpusforge.sources.records import doc_id_for
    from corpusforge.transform import stage as transform_stage
    from tests.conftest import make_config

    # (No unused `React` default import: it would stay after the rewrite, `react-import-left`
    # would count it, and `partial: revert` would keep the file as it was, with no migration.)
    react = ("import { useState } from 'react';\n\n/** Counts the clicks on a button. */\n"
             "export function Counter() {\n  const [n, setN] = useState(0);\n  return n;\n}\n")
    docs = [("github", "app@1.0.0", "src/Counter.tsx", "tsx", react),
            ("framework", "@acme/ui@1.0.0", "src/math.ts", "typescript", SOURCE)]
    rows = [{"doc_id": doc_id_for(s, o, p), "source": s, "origin": o, "path": p, "language": lang,
             "license": "MIT", "license_evidence": "package.json", "content": c, "content_sha256": "x",
             "size_bytes": len(c.encode()), "run_id": "r0", "bucket": 0} for s, o, p, lang, c in docs]
    config = make_config(tmp_path, run_id="r1")
    silver = spark.createDataFrame(rows, tables.SILVER_FILTERED.schema)
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, silver)

    def snapshot():
        transform_stage.run(spark, config)
        out = tables.read_table(spark, config.warehouse, tables.GOLD_INSTRUCTIONS)
        return sorted((r["id"], r["kind"], r["path"], r["instruction"]) for r in out.collect())

    first = snapshot()
    kinds = sorted((kind, path) for _, kind, path, _ in first)
    assert kinds == [(DOCUMENTED, "src/Counter.tsx")] + [(DOCUMENTED, "src/math.ts")] * 4 + [
        (MIGRATION, "src/Counter.tsx")]
    migration = next(i for _, k, _, i in first if k == MIGRATION)
    assert migration == "Rewrite this React component for DFrame/ONCE:\n" + react
    assert snapshot() == first  # a rerun replaces the table with the same rows
