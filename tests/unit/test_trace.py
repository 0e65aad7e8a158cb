"""The plain parts of the trace job: stage decisions, the diff, shard files (no Spark)."""

from __future__ import annotations

from corpusforge.trace import content_diff, shard_files, stage_steps

RAN = {s: True for s in ("ingest", "filter", "dedup", "transform", "encode", "shard")}


def test_a_rejection_stops_the_way_and_keeps_reason_and_run_counts():
    kept = {"ingest": {"run_id": "r1"}, "filter": {"run_id": "r1"}}
    rejected = {"dedup": {"reason": "near_duplicate", "detail": "abc", "run_id": "r1"}}
    runs = {("r1", "dedup"): {"rows_in": 10, "rows_out": 8, "rows_rejected": 2}}
    steps = stage_steps(kept, rejected, RAN, runs)
    assert [(s.stage, s.decision) for s in steps] == [
        ("ingest", "kept"), ("filter", "kept"), ("dedup", "rejected"), ("transform", "not reached"),
        ("encode", "not reached"), ("shard", "not reached")]
    assert steps[2].reason == "near_duplicate" and steps[2].counts["rows_rejected"] == 2


def test_a_document_in_tokens_but_not_in_the_mix_was_not_drawn():
    kept = {s: {"run_id": "r"} for s in ("ingest", "filter", "dedup", "transform", "encode")}
    steps = stage_steps({**kept, "shard": None}, {}, RAN)
    assert steps[-1].decision == "not drawn"
    steps = stage_steps({**kept, "shard": {"run_id": "r"}}, {}, RAN)
    assert all(s.decision == "kept" for s in steps)


def test_stages_that_never_ran_are_said_so():
    steps = stage_steps({"ingest": {"run_id": "r"}}, {}, {"ingest": True, "filter": False})
    assert [s.decision for s in steps[:3]] == ["kept", "not run", "not reached"]


def test_diff_and_shard_files():
    diff = content_diff("a\nuseState()\n", "a\nDFrame.useState()\n", "src/App.tsx")
    assert "-useState()" in diff and "+DFrame.useState()" in diff and "a/src/App.tsx" in diff
    assert content_diff("same\n", "same\n", "x") == ""
    manifest = {"shards": [{"split": "train", "shard": 1, "file": "train/train-00001.bin"},
                           {"split": "train", "shard": 1, "file": "train/train-00001.arrow"},
                           {"split": "train", "shard": 0, "file": "train/train-00000.bin"},
                           {"split": "val", "shard": 1, "file": "val/val-00001.bin"}]}
    assert shard_files(manifest, "train", 1) == ["train/train-00001.arrow", "train/train-00001.bin"]
