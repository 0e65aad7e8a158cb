"""The dedup stage over Spark: clusters, keep-one priority, rejects, accounting, incremental runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.dedup import stage as dedup_stage
from corpusforge.errors import ConfigError
from tests.conftest import make_config
from tests.dedup.corpus import Doc, family_docs, priority_docs, silver_frame

pytestmark = pytest.mark.spark

NEAR_IN_FORK = {"src/App.tsx", "src/api/todos.ts", "src/hooks/useTodos.ts", "src/__tests__/TodoList.test.tsx"}


def _by_key(docs):
    return {d.doc_id: d.key for d in docs}


def test_family_and_priority_decisions(spark, deduped):
    config, result, docs = deduped
    key = _by_key(docs)
    rejects = {key[r["doc_id"]]: (r["reason"], key[r["detail"]]) for r in
               tables.read_table(spark, config.warehouse, tables.REJECTS).where("stage = 'dedup'").collect()}
    for doc in family_docs():
        original = f"react-todo@1/{doc.path}"
        if doc.origin == "react-todo@1":
            assert doc.key not in rejects
        elif doc.origin == "react-todo-mirror@1":
            assert rejects[doc.key] == ("exact_duplicate", original)
        else:
            reason = "near_duplicate" if doc.path in NEAR_IN_FORK else "exact_duplicate"
            assert rejects[doc.key] == (reason, original), doc.key
    # Framework source first, then a permissive license, then quality, then doc_id.
    assert rejects["dash-copy@1/src/types.ts"] == ("exact_duplicate", "@acme/types@1/src/types.ts")
    assert rejects["dual@1/src/index.tsx"] == ("exact_duplicate", "mit@1/src/index.tsx")
    kept, dropped = sorted((d for d in priority_docs() if d.origin == "blank@1"), key=lambda d: d.doc_id)
    assert rejects[dropped.key] == ("exact_duplicate", kept.key) and kept.key not in rejects


def test_accounting_outputs_and_report(spark, deduped):
    config, result, docs = deduped
    silver = tables.read_table(spark, config.warehouse, tables.SILVER_DEDUPED)
    assert silver.schema == tables.read_table(spark, config.warehouse, tables.SILVER_FILTERED).schema
    assert result.rows_in == len(docs) == result.rows_out + result.rows_rejected
    assert result.rows_out == silver.count() and result.rows_rejected == sum(result.reasons.values())
    assert set(result.reasons) == {"exact_duplicate", "near_duplicate"}
    assert result.reason_bytes["exact_duplicate"] > 0
    run = tables.read_table(spark, config.warehouse, tables.STAGE_RUNS).where("stage = 'dedup'").first()
    assert (run["rows_in"], run["rows_out"], run["rows_rejected"]) == (result.rows_in, result.rows_out,
                                                                       result.rows_rejected)
    clusters = tables.read_table(spark, config.warehouse, tables.DEDUP_CLUSTERS)
    reps = clusters.where("is_representative")
    # Every cluster has one representative, its own cluster_id; every reject is a member.
    assert reps.where(F.col("doc_id") != F.col("cluster_id")).count() == 0
    assert reps.count() == clusters.select("cluster_id").distinct().count()
    assert clusters.where("not is_representative").count() == result.rows_rejected
    assert clusters.where((F.col("similarity") < 0) | (F.col("similarity") > 1)).count() == 0
    assert clusters.where("reason = 'exact_duplicate' and similarity != 1.0").count() == 0
    assert clusters.where("reason = 'near_duplicate' and similarity >= 1.0").count() == 0
    report = json.loads((Path(config.warehouse) / "reports" / "dedup-test" / "dedup.json").read_text())
    assert report["clusters"] == reps.count() and report["signatures_computed"] == len(docs)
    assert report["bytes_removed"] == sum(result.reason_bytes.values())


def _outputs(spark, warehouse):
    rejects = tables.read_table(spark, warehouse, tables.REJECTS).where("stage = 'dedup'")
    clusters = tables.read_table(spark, warehouse, tables.DEDUP_CLUSTERS)
    return (sorted(r["doc_id"] for r in tables.read_table(spark, warehouse, tables.SILVER_DEDUPED).collect()),
            sorted(tuple(r) for r in rejects.select("doc_id", "reason", "detail").collect()),
            sorted(tuple(r) for r in clusters.drop("run_id").collect()))


def test_incremental_equals_all_at_once(spark, deduped, tmp_path):
    config_all, _, docs = deduped
    config = make_config(tmp_path / "wh", run_id="dedup-test")
    first = [d for d in docs if d.origin in ("react-todo@1", "react-todo-fork@1", "variants@1")]
    gone = silver_frame(spark, [Doc("github", "gone@1", "x.ts", "MIT", "let gone = 1;")])
    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, silver_frame(spark, first).unionByName(gone))
    dedup_stage.run(spark, config)

    tables.replace_rows(spark, config.warehouse, tables.SILVER_FILTERED, silver_frame(spark, docs))
    result = dedup_stage.run(spark, config)

    assert _outputs(spark, config.warehouse) == _outputs(spark, config_all.warehouse)
    assert result.rows_in == len(docs)
    # Only the new batch was hashed; the document that left silver left the index.
    report = json.loads((Path(config.warehouse) / "reports" / "dedup-test" / "dedup.json").read_text())
    assert report["signatures_computed"] == len(docs) - len(first)
    index = tables.read_table(spark, config.warehouse, tables.DEDUP_SIGNATURES)
    assert sorted(r["doc_id"] for r in index.select("doc_id").collect()) == sorted(d.doc_id for d in docs)


def test_huge_bucket_is_a_star(spark):
    # 30 documents in one bucket of every band: 29 edges, not 435 pairs.
    ids = [f"{i:064x}" for i in range(30)]
    index = spark.createDataFrame([(d, 5, [11, 22, 33]) for d in ids] + [("f" * 64, 5, [44, 55, 66])],
                                  "doc_id string, n_shingles long, bands array<long>")
    edges = dedup_stage.candidate_edges(index).collect()
    assert len(edges) == 29 and {e["other"] for e in edges} == {ids[0]}


def test_bad_band_settings_are_config_errors(tmp_path):
    config = make_config(tmp_path, **{"dedup.bands": 40, "dedup.rows": 8})
    with pytest.raises(ConfigError, match="bands"):
        dedup_stage.minhash_params(config.dedup)
    assert dedup_stage.minhash_params(make_config(tmp_path).dedup).tag == \
        "perm=256;seed=1;ngram=5;bands=32;rows=8"


def test_pair_similarity_estimated_and_exact(spark):
    from corpusforge.config import DedupSettings
    from corpusforge.dedup.minhash import estimated_jaccard, minhash_signatures
    from corpusforge.dedup.shingles import jaccard, shingles

    texts = {"a": "const a = 1; let b = a + 2; export { a, b };",
             "b": "const a = 1; let b = a + 3; export { a, b };", "c": "function f() { return null; }"}
    settings = DedupSettings(num_perm=64)
    sigs = dict(zip(texts, minhash_signatures(list(texts.values()), num_perm=64, seed=settings.seed)))
    silver = spark.createDataFrame(list(texts.items()), "doc_id string, content string")
    index = spark.createDataFrame([(k, bytearray(v.tobytes())) for k, v in sigs.items()],
                                  "doc_id string, signature binary")
    pairs = spark.createDataFrame([("b", "a"), ("c", "a")], "doc_id string, other string")
    for mode in ("estimated", "exact"):
        got = {(r["doc_id"], r["other"]): r["similarity"]
               for r in dedup_stage.with_similarity(pairs, index, silver, settings, mode).collect()}
        for (x, y), value in got.items():
            expected = (estimated_jaccard(sigs[x], sigs[y]) if mode == "estimated"
                        else jaccard(shingles(texts[x]), shingles(texts[y])))
            assert value == pytest.approx(expected), (mode, x, y)
        assert set(got) == {("b", "a"), ("c", "a")}


def test_hybrid_verdict_decides_only_far_from_the_threshold():
    assert dedup_stage.hybrid_verdict(0.81, 0.7, 0.1) is True
    assert dedup_stage.hybrid_verdict(0.60, 0.7, 0.1) is False
    assert dedup_stage.hybrid_verdict(0.72, 0.7, 0.1) is None and dedup_stage.hybrid_verdict(0.65, 0.7, 0.1) is None
    assert dedup_stage.hybrid_verdict(0.7, 0.7, 0.0) is True


def _pairs_to_verify(spark):
    """Four documents (b, c near a; d not), their signatures and the candidate pairs to a."""
    from corpusforge.config import DedupSettings
    from corpusforge.dedup.minhash import minhash_signatures

    base = " ".join(f"const v{i} = f({i});" for i in range(40))
    texts = {"a": base, "b": base.replace("f(3)", "g(3)").replace("f(30)", "g(30)"),
             "c": base.replace("f(", "h(", 10), "d": "function other() { return null; }"}
    settings = DedupSettings(num_perm=64)
    sigs = dict(zip(texts, minhash_signatures(list(texts.values()), num_perm=64, seed=settings.seed)))
    silver = spark.createDataFrame(list(texts.items()), "doc_id string, content string")
    index = spark.createDataFrame([(k, bytearray(v.tobytes())) for k, v in sigs.items()],
                                  "doc_id string, signature binary")
    pairs = spark.createDataFrame([(x, "a") for x in "bcd"], "doc_id string, other string")
    return texts, settings, sigs, silver, index, pairs


def test_verified_links_by_mode(spark):
    from corpusforge.dedup.minhash import estimated_jaccard
    from corpusforge.dedup.shingles import jaccard, shingles

    texts, settings, sigs, silver, index, pairs = _pairs_to_verify(spark)
    estimate = {x: estimated_jaccard(sigs[x], sigs["a"]) for x in "bcd"}
    exact = {x: jaccard(shingles(texts[x]), shingles(texts["a"])) for x in "bcd"}

    def linked(**changes) -> set[str]:
        s = settings.model_copy(update=changes)
        return {r["doc_id"] for r in dedup_stage.verified_links(pairs, index, silver, s).collect()}

    assert linked(verify="none") == set("bcd")
    assert linked(verify="estimated") == {x for x in "bcd" if estimate[x] >= 0.7}
    assert linked(verify="exact") == {x for x in "bcd" if exact[x] >= 0.7}
    # A margin of 0 trusts every estimate; a margin of 1 checks every pair exactly.
    assert linked(verify="hybrid", verify_margin=0.0) == linked(verify="estimated")
    assert linked(verify="hybrid", verify_margin=1.0) == linked(verify="exact")
    # "c": estimate 0.78, exact 0.73. With the threshold between them the estimate says
    # "near duplicate" and is wrong; hybrid checks it exactly and leaves it out.
    assert estimate["c"] - exact["c"] > 0.04
    cut = (estimate["c"] + exact["c"]) / 2
    assert "c" in linked(verify="estimated", threshold=cut)
    assert linked(verify="hybrid", verify_margin=0.1, threshold=cut) == {"b"}


def test_hybrid_verification_estimates_the_pairs_once(spark):
    # The sure pairs and the unsure ones both come from the estimates: their Python pass is
    # computed once (the plan reads it back), and only the exact check of the unsure pairs runs.
    _, settings, _, silver, index, pairs = _pairs_to_verify(spark)
    hybrid = settings.model_copy(update={"verify": "hybrid", "verify_margin": 0.1})
    links = dedup_stage.verified_links(pairs, index, silver, hybrid)
    plan = links._jdf.queryExecution().executedPlan().toString()
    assert plan.count("MapInArrow") == 1, plan
    assert links.count() >= 1
