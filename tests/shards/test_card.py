"""DATASET_CARD.md: rendered from a manifest (no Spark), and as the sample run writes it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pyspark.sql import functions as F

from corpusforge import tables
from corpusforge.config import load_config
from corpusforge.shards import stage as shard_stage
from corpusforge.shards.card import CARD_NAME, render_card, size_category

MANIFEST = {
    "budget": {"name": "150m", "total_tokens": 3_000_000_000, "framework_share": 0.5, "scale": 1e-5,
               "target_tokens": 30_000, "met_fraction": 0.8},
    "mix": {"framework_style": {"target_tokens": 15_000, "available_tokens": 5_000, "full_copies": 3,
                                "repeat": 3.0, "mixed_tokens": 15_000},
            "public": {"target_tokens": 15_000, "available_tokens": 40_000, "full_copies": 0,
                       "repeat": 0.375, "mixed_tokens": 15_000}},
    "framework_share": {"train": 0.5, "val": 0.2, "test": 0.0},
    "by_split_category": [{"split": "train", "category": "framework", "documents": 10, "copies": 30, "tokens": 15_000},
                          {"split": "train", "category": "public", "documents": 40, "copies": 40, "tokens": 15_000},
                          {"split": "val", "category": "text", "documents": 2, "copies": 2, "tokens": 700}],
    "by_source": [{"split": "train", "source": "npm", "documents": 40, "copies": 40, "tokens": 15_000}],
    "by_license": [{"split": "train", "license": "MIT", "documents": 40, "copies": 40, "tokens": 15_000},
                   {"split": "train", "license": None, "documents": 10, "copies": 30, "tokens": 15_000}],
    "tokenizer": {"sha256": "ab" * 32, "vocab_size": 4000, "dtype": "uint16", "special_tokens": {}},
    "code_version": {"corpusforge": "0.1.0", "git_commit": None},
    "config": {"dedup": {"threshold": 0.7}},
    "shards": [{"split": "train", "shard": 0, "file": "train/train-00000.bin"}],
}
FACTS = {"counts": {"bronze/documents": 60}, "rejects": [{"stage": "filter", "reason": "license_missing", "n": 3}],
         "compliance": [{"license": "MIT", "decision": "allowed", "origins": 4, "documents": 40, "bytes": 9000,
                         "evidence": "package.json:license"},
                        {"license": "Apache-2.0 OR MIT", "decision": "allowed", "origins": 1, "documents": 2,
                         "bytes": 100, "evidence": "LICENSE"}],
         "dedup": {"clusters": 2, "members_removed": 3, "largest": 3},
         "transform": {"categories": {"aligned": 5, "public": 35}, "rewritten": 5,
                       "rules": [{"rule": "react-usestate", "documents": 5}], "languages": {}},
         "instructions": {"migration": 4}, "redactions": {"email": 2}}


def front_matter(card: str) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", card, re.S)
    assert match, "the card starts with YAML front matter"
    return yaml.safe_load(match.group(1))


def token_rows(card: str) -> dict[tuple[str, str], int]:
    section = card.split("### Tokens per split and category", 1)[1].split("###", 1)[0]
    rows = re.findall(r"^\| (\w+) \| (\w+) \| [\d,]+ \| [\d,]+ \| ([\d,]+) \|$", section, re.M)
    return {(s, c): int(t.replace(",", "")) for s, c, t in rows}


def test_rendered_card_has_the_hub_layout_and_the_manifest_numbers():
    card = render_card(MANIFEST, FACTS)
    meta = front_matter(card)
    assert meta["license"] == ["mit", "other"] and meta["language"] == ["code", "en"]
    assert meta["task_categories"] == ["text-generation"] and meta["size_categories"] == ["n<1K"]
    assert "150m" in meta["pretty_name"]
    for heading in ("## Dataset Description", "## Dataset Structure", "## Dataset Creation",
                    "### Source Data", "### Curation Rationale", "### Personal and Sensitive Information",
                    "## Considerations for Using the Data", "## Licensing Information"):
        assert heading in card
    assert token_rows(card) == {("train", "framework"): 15_000, ("train", "public"): 15_000, ("val", "text"): 700}
    assert "| Apache-2.0 OR MIT | allowed |" in card and "repeated 3.00×" in card
    assert "meets only 80.0%" in card and "5 of 40 public code documents rewritten" in card
    assert size_category(999) == "n<1K" and size_category(1000) == "1K<n<10K"


@pytest.mark.spark
@pytest.mark.e2e
def test_the_sample_run_writes_a_card_matching_manifest_and_compliance(sample_run, spark):
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    config = load_config("conf/local.yaml", {"warehouse": str(sample_run.warehouse)})
    folder = Path(shard_stage.output_folder(config))
    card = (folder / CARD_NAME).read_text(encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    meta = front_matter(card)
    assert meta["pretty_name"] and meta["license"] and meta["size_categories"]
    assert token_rows(card) == {(r["split"], r["category"]): r["tokens"] for r in manifest["by_split_category"]}
    for split in ("train", "val", "test"):
        total = sum(r["tokens"] for r in manifest["by_split_category"] if r["split"] == split)
        assert re.search(rf"^\| {split} \| [\d,]+ \| {total:,} \| \d+ \|$", card, re.M)
    kept = (tables.read_table(spark, str(sample_run.warehouse), tables.LICENSE_COMPLIANCE)
            .where(F.col("decision").isin("allowed", "exempt")).select("license").distinct().collect())
    licensing = card.split("## Licensing Information", 1)[1]
    assert kept
    for row in kept:
        assert f"| {row['license'] or '(none)'} |" in licensing
