"""``DATASET_CARD.md`` beside the shards: a Hugging Face–style dataset card.

:func:`card_facts` gathers small aggregates from the tables (Spark, on the driver only as
counts); :func:`render_card` turns them and the shard manifest into Markdown (plain Python);
:func:`write_card` does both for the shard stage. The card's layout follows the Hugging Face
dataset card template: YAML front matter (license, language, task_categories,
size_categories, pretty_name), then Dataset Description, Dataset Structure, Dataset
Creation, Considerations for Using the Data and Licensing Information.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from corpusforge import tables

CARD_NAME = "DATASET_CARD.md"
SPLITS = ("train", "val", "test")
# SPDX ids that are also Hugging Face license identifiers (lower-cased); others are "other".
HF_LICENSES = {"MIT": "mit", "Apache-2.0": "apache-2.0", "BSD-2-Clause": "bsd-2-clause",
               "BSD-3-Clause": "bsd-3-clause", "ISC": "isc", "CC0-1.0": "cc0-1.0",
               "Unlicense": "unlicense", "0BSD": "0bsd", "MPL-2.0": "mpl-2.0",
               "CC-BY-4.0": "cc-by-4.0", "Zlib": "zlib", "BSL-1.0": "bsl-1.0"}
_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))


def _rows(df, *order: str) -> list[dict]:
    return [r.asDict(recursive=True) for r in df.orderBy(*order).collect()]


def card_facts(spark: SparkSession, warehouse: str) -> dict[str, Any]:
    """What the card needs from the tables, as small aggregates: table counts, rejects per
    stage and reason, the license compliance rows that let documents in, dedup clusters,
    transform coverage, instruction pairs and redactions."""
    def exists(spec: tables.TableSpec) -> bool:
        return tables.table_exists(spark, warehouse, spec)

    def read(spec: tables.TableSpec):
        return tables.read_table(spark, warehouse, spec)

    facts: dict[str, Any] = {"counts": {}}
    for spec in (tables.BRONZE_DOCUMENTS, tables.SILVER_FILTERED, tables.SILVER_DEDUPED,
                 tables.GOLD_DOCUMENTS, tables.GOLD_TOKENS):
        if exists(spec):
            facts["counts"][spec.name] = read(spec).count()
    facts["rejects"] = (_rows(read(tables.REJECTS).groupBy("stage", "reason").agg(F.count("*").alias("n")),
                              "stage", F.desc("n"), "reason") if exists(tables.REJECTS) else [])
    facts["compliance"] = []
    if exists(tables.LICENSE_COMPLIANCE) and exists(tables.SILVER_FILTERED):
        # The filter run that made silver/filtered (what the shards come from).
        runs = [r[0] for r in read(tables.SILVER_FILTERED).select("run_id").distinct().collect()]
        facts["compliance"] = _rows(
            read(tables.LICENSE_COMPLIANCE).where(F.col("run_id").isin(runs) & F.col("decision").isin("allowed", "exempt"))
            .groupBy("license", "decision").agg(F.countDistinct("origin").alias("origins"),
                                                F.sum("documents").alias("documents"),
                                                F.sum("bytes").alias("bytes"),
                                                F.min("license_evidence").alias("evidence")),
            "decision", "license")
    facts["dedup"] = {}
    if exists(tables.DEDUP_CLUSTERS):
        clusters = read(tables.DEDUP_CLUSTERS)
        facts["dedup"] = {
            "clusters": clusters.where("is_representative AND cluster_size > 1").count(),
            "members_removed": clusters.where("NOT is_representative").count(),
            "largest": clusters.agg(F.max("cluster_size")).first()[0] or 0}
    facts["transform"] = {}
    if exists(tables.GOLD_DOCUMENTS):
        gold = read(tables.GOLD_DOCUMENTS)
        facts["transform"] = {
            "categories": {r["category"]: r["n"] for r in _rows(gold.groupBy("category").agg(F.count("*").alias("n")), "category")},
            "rewritten": gold.where((F.size("rules_applied") > 0) & (F.col("category") != "framework")).count(),
            "rules": _rows(gold.select(F.explode("rules_applied").alias("rule")).groupBy("rule")
                           .agg(F.count("*").alias("documents")), F.desc("documents"), "rule"),
            "languages": {r["language"]: r["n"] for r in _rows(gold.groupBy("language").agg(F.count("*").alias("n")), "language")}
            if "language" in gold.columns else {}}
    facts["instructions"] = (
        {r["kind"]: r["n"] for r in _rows(read(tables.GOLD_INSTRUCTIONS).groupBy("kind").agg(F.count("*").alias("n")), "kind")}
        if exists(tables.GOLD_INSTRUCTIONS) else {})
    facts["redactions"] = {}
    if exists(tables.SILVER_FILTERED) and "redactions" in read(tables.SILVER_FILTERED).columns:
        facts["redactions"] = {r["kind"]: r["n"] for r in _rows(
            read(tables.SILVER_FILTERED).select(F.explode("redactions").alias("kind", "n"))
            .groupBy("kind").agg(F.sum("n").alias("n")), "kind")}
    return facts


def size_category(documents: int) -> str:
    """Hugging Face ``size_categories`` bucket of a number of examples."""
    for bound, label in _SIZES:
        if documents < bound:
            return label
    return "n>1B"


def hf_license(spdx: str | None) -> str:
    """Hugging Face license id of an SPDX expression (``other`` when there is none)."""
    return HF_LICENSES.get(spdx or "", "other")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table; columns whose first value is a number are right-aligned."""
    numeric = [bool(rows) and isinstance(v, (int, float)) for v in (rows[0] if rows else header)]
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    out += ["| " + " | ".join("" if v is None else f"{v:,}" if isinstance(v, int) else str(v)
                              for v in row) + " |" for row in rows]
    return out


def front_matter(manifest: dict, facts: dict) -> dict[str, Any]:
    """The card's YAML metadata."""
    licenses = sorted({hf_license(r["license"]) for r in facts.get("compliance", [])}
                      | {hf_license(r["license"]) for r in manifest.get("by_license", [])})
    documents = sum(r["documents"] for r in manifest.get("by_split_category", []))
    text = any(r["category"] == "text" for r in manifest.get("by_split_category", []))
    budget = manifest["budget"]
    return {
        "pretty_name": f"corpusforge {budget['name']} corpus (framework-aligned TypeScript)"
                       + (f", scale {budget['scale']:g}" if budget.get("scale", 1) != 1 else ""),
        "license": licenses or ["other"],
        "language": ["code"] + (["en"] if text else []),
        "task_categories": ["text-generation"],
        "size_categories": [size_category(documents)],
        "tags": ["code", "typescript", "framework-aligned", "corpusforge"],
    }


def render_card(manifest: dict, facts: dict) -> str:
    """The dataset card as Markdown, from the shard manifest and :func:`card_facts`."""
    budget, mix = manifest["budget"], manifest.get("mix", {})
    by_sc = manifest.get("by_split_category", [])
    split_totals = {s: sum(r["tokens"] for r in by_sc if r["split"] == s) for s in SPLITS}
    split_docs = {s: sum(r["documents"] for r in by_sc if r["split"] == s) for s in SPLITS}
    lines = ["---", yaml.safe_dump(front_matter(manifest, facts), sort_keys=False).rstrip(), "---", "",
             f"# Dataset Card for {front_matter(manifest, facts)['pretty_name']}", ""]

    lines += ["## Dataset Description", "",
              "Tokenized training data for code language models that should write TypeScript in the "
              "company framework's style: the company's own framework code, public "
              "React/TypeScript rewritten to the framework's API (`aligned`), public code left as "
              "it was (`public`) and natural-language text, mixed to a token budget. Built by "
              "corpusforge (ingest → filter → dedup → transform → tokenizer → encode → shard).", "",
              f"- **Budget sized for:** `{budget['name']}` — {budget['total_tokens']:,} tokens, "
              f"framework-style share ≥ {budget['framework_share']:.0%}; this build is scale "
              f"{budget.get('scale', 1):g} → target {budget.get('target_tokens', 0):,} tokens "
              f"(met: {budget.get('met_fraction', 0):.1%}).",
              f"- **Framework-style share per split:** " + ", ".join(
                  f"{k} {v:.1%}" for k, v in sorted(manifest.get("framework_share", {}).items())),
              "- **Languages (gold/documents):** " + (", ".join(
                  f"{k} {v:,}" for k, v in (facts.get("transform") or {}).get("languages", {}).items())
                  or "not recorded"),
              f"- **Tokenizer:** SentencePiece, vocabulary {manifest['tokenizer']['vocab_size']:,}, "
              f"sha256 `{manifest['tokenizer']['sha256'][:16]}…`, token dtype {manifest['tokenizer']['dtype']}.",
              f"- **Code version:** corpusforge {manifest.get('code_version', {}).get('corpusforge')}, "
              f"commit {manifest.get('code_version', {}).get('git_commit') or 'unknown'}.", ""]

    lines += ["## Dataset Structure", "",
              "Files per split under `train/`, `val/`, `test/` (`<split>-NNNNN` + extension): "
              "Megatron `.bin/.idx`, Arrow IPC (`input_ids`, `doc_id`, `category`) and `.jsonl.zst` "
              "(`doc_id`, `category`, `copy`, `split`, `text`); `manifest.json` lists every file "
              "with its tokens and sha256, and the Delta table `meta/shard_index` says which shard "
              "holds each document (`./spark-submit.sh lineage DOC_ID`).", "",
              "### Tokens per split and category", ""]
    lines += _table(["split", "category", "documents", "copies", "tokens"],
                    [[r["split"], r["category"], r["documents"], r["copies"], r["tokens"]] for r in by_sc])
    lines += ["", "### Totals per split", ""]
    lines += _table(["split", "documents", "tokens", "files"],
                    [[s, split_docs[s], split_totals[s],
                      sum(1 for f in manifest.get("shards", []) if f["split"] == s)] for s in SPLITS])
    lines += ["", "### Mix", ""]
    lines += _table(["group", "target tokens", "available tokens", "repeat", "mixed tokens"],
                    [[g, m["target_tokens"], m["available_tokens"], f"{m['repeat']:.2f}", m["mixed_tokens"]]
                     for g, m in sorted(mix.items())])
    lines += ["", "### Sources in the shards", ""]
    lines += _table(["split", "source", "documents", "tokens"],
                    [[r["split"], r["source"], r["documents"], r["tokens"]] for r in manifest.get("by_source", [])])

    lines += ["", "## Dataset Creation", "", "### Curation Rationale", "",
              "Models of 150M–7B parameters learn a framework's idioms only from enough "
              "framework-style code; the budget fixes the framework-style share, repeats "
              "framework data up to a cap and fills the rest with permissively licensed public "
              "code and text, deduplicated and filtered for quality.", "",
              "### Source Data", ""]
    counts = facts.get("counts", {})
    lines += _table(["table", "documents"], [[k, v] for k, v in counts.items()])
    lines += ["", "Filtering and deduplication (rejects per stage and reason):", ""]
    lines += _table(["stage", "reason", "documents"],
                    [[r["stage"], r["reason"], r["n"]] for r in facts.get("rejects", [])])
    dedup = facts.get("dedup") or {}
    if dedup:
        lines += ["", f"Near-duplicate removal (MinHash-LSH, threshold "
                  f"{manifest.get('config', {}).get('dedup', {}).get('threshold', '?')}): "
                  f"{dedup['clusters']:,} clusters of duplicates, {dedup['members_removed']:,} copies "
                  f"removed, largest cluster {dedup['largest']:,} documents."]
    transform = facts.get("transform") or {}
    if transform:
        public_code = sum(v for k, v in transform["categories"].items() if k in ("aligned", "public"))
        coverage = transform["rewritten"] / public_code if public_code else 0.0
        lines += ["", "### Transformations", "",
                  f"{transform['rewritten']:,} of {public_code:,} public code documents rewritten to the "
                  f"framework ({coverage:.1%}); documents per category: "
                  + ", ".join(f"{k} {v:,}" for k, v in transform["categories"].items()) + ".", ""]
        lines += _table(["rule", "documents"], [[r["rule"], r["documents"]] for r in transform["rules"]])
    if facts.get("instructions"):
        lines += ["", "Instruction pairs (`gold/instructions`, not in the shards): "
                  + ", ".join(f"{k} {v:,}" for k, v in facts["instructions"].items()) + "."]
    lines += ["", "### Personal and Sensitive Information", "",
              "Secrets and PII (API keys, tokens, passwords, private keys, connection strings, "
              "e-mail and IP addresses) were replaced by typed placeholders such as `<EMAIL>`; "
              "documents holding a private key or mostly secrets were rejected. Redactions: "
              + (", ".join(f"{k} {v:,}" for k, v in facts.get("redactions", {}).items()) or "none") + ".", "",
              "Owners can opt out (`conf/opt_out.yaml`); opted-out sources are removed on the next run.", ""]

    lines += ["## Considerations for Using the Data", "", "### Intended Use", "",
              f"Pre-training or continued pre-training of code models sized for the `{budget['name']}` "
              "budget, to write TypeScript with the company framework's API. Validation and test "
              "splits are grouped by origin (no repository or package in two splits).", "",
              "### Known Limitations", ""]
    partial = manifest.get("config", {}).get("transform", {}).get("partial", "revert")
    limits = ["Rewrites are rule-based: only patterns the rule pack knows are aligned; documents "
              "the pack could rewrite only in part were "
              + ("left as they were." if partial == "revert" else "kept partly rewritten (mixed APIs)."),
              "Licenses come from package metadata and LICENSE files; a file whose own header "
              "says otherwise is not detected.",
              "Quality and secret detection are heuristics: some low-quality code and secrets "
              "without a known pattern remain."]
    if budget.get("met_fraction", 1) < 1:
        limits.insert(0, f"The corpus meets only {budget['met_fraction']:.1%} of the budget's "
                      "target tokens (see reports/<run_id>/budget_plan.md).")
    framework = mix.get("framework_style", {})
    if framework.get("repeat", 0) > 1:
        limits.insert(0, f"Framework-style data is repeated {framework['repeat']:.2f}× in train.")
    lines += [f"- {x}" for x in limits] + [""]

    lines += ["## Licensing Information", "",
              "Licenses that let documents in (meta/license_compliance, the filter run behind "
              "these shards; `exempt`: the company's own code):", ""]
    lines += _table(["license", "decision", "origins", "documents", "bytes", "evidence (e.g.)"],
                    [[r["license"] or "(none)", r["decision"], r["origins"], r["documents"], r["bytes"],
                      r["evidence"] or ""] for r in facts.get("compliance", [])])
    lines += ["", "Licenses in the shards:", ""]
    lines += _table(["split", "license", "documents", "tokens"],
                    [[r["split"], r["license"] or "(none)", r["documents"], r["tokens"]]
                     for r in manifest.get("by_license", [])])
    return "\n".join(lines) + "\n"


def write_card(spark: SparkSession, warehouse: str, folder: str, manifest: dict) -> Path:
    """Write ``DATASET_CARD.md`` into the shards folder (beside ``manifest.json``)."""
    path = Path(folder, CARD_NAME)
    path.write_text(render_card(manifest, card_facts(spark, warehouse)), encoding="utf-8")
    return path
