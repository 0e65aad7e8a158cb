"""docs/OUTPUTS.md's code, run as written on the sample run's shards: the manifest check,
the numpy Megatron reader, Hugging Face `datasets` (Arrow and jsonl.zst) and plain pyarrow.
What each block loads is checked against the manifest and against the other formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

PAGE = ROOT / "docs" / "OUTPUTS.md"
DOC_SHARDS = 'Path("warehouse/shards/150m-scale-3e-05")'


def python_blocks() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    return [b for b in blocks if "megatron.core" not in b]  # Megatron-LM is not installed here


@pytest.fixture(scope="module")
def loaded(sample_run, tmp_path_factory) -> tuple[dict, Path]:
    """The namespace the doc's blocks leave behind, run in order on the sample run's shards."""
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    shards = next(sample_run.warehouse.glob("shards/*/manifest.json")).parent
    assert shards.name == "150m-scale-3e-05", "the doc names the sample run's shard folder"
    mp = pytest.MonkeyPatch()
    cache = tmp_path_factory.mktemp("hf")
    for key, value in {"HF_HOME": str(cache), "HF_DATASETS_CACHE": str(cache / "datasets"),
                       "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}.items():
        mp.setenv(key, value)  # never touch the network or ~/.cache
    namespace: dict = {}
    try:
        blocks = python_blocks()
        assert DOC_SHARDS in blocks[0]
        for number, block in enumerate(blocks, 1):
            code = block.replace(DOC_SHARDS, f"Path({str(shards)!r})")
            exec(compile(code, f"{PAGE.name} python block {number}", "exec"), namespace)  # noqa: S102
    finally:
        mp.undo()
    return namespace, shards


def _entry(manifest: dict, split: str, shard: int, fmt: str) -> dict:
    return next(f for f in manifest["shards"]
                if f["split"] == split and f["shard"] == shard and f["format"] == fmt)


def test_the_doc_runs_and_checks_every_file_of_the_manifest(loaded):
    ns, shards = loaded
    manifest = ns["manifest"]
    assert manifest["shards"] and {f["format"] for f in manifest["shards"]} == {"megatron", "arrow", "jsonl_zst"}
    assert all((shards / f["file"]).is_file() for f in manifest["shards"])


def test_numpy_reader_gives_the_manifests_sequences_ending_with_end_of_text(loaded):
    ns, _ = loaded
    manifest, sequences, documents = ns["manifest"], ns["sequences"], ns["documents"]
    entry = _entry(manifest, "train", 0, "megatron")
    assert len(sequences) == entry["sequences"] and len(documents) == entry["documents"] + 1
    assert sum(len(s) for s in sequences) == entry["tokens"]
    assert documents[0] == 0 and documents[-1] == len(sequences)
    eot_id = manifest["tokenizer"]["special_tokens"]["end_of_text"]
    assert all(int(s[-1]) == eot_id for s in sequences)
    assert str(sequences[0].dtype) == manifest["tokenizer"]["dtype"]


def test_arrow_via_datasets_and_pyarrow_hold_the_same_sequences(loaded):
    ns, _ = loaded
    manifest, sequences = ns["manifest"], ns["sequences"]
    table = ns["table"]
    assert table.column_names == ["input_ids", "doc_id", "category"]
    assert table.column("input_ids").to_pylist() == [s.tolist() for s in sequences]
    train = ns["train"]
    expected_rows = sum(f["sequences"] for f in manifest["shards"] if f["split"] == "train" and f["format"] == "arrow")
    assert train.num_rows == expected_rows
    assert list(train[0]["input_ids"]) == sequences[0].tolist()
    assert set(train.unique("category")) <= {"framework", "aligned", "public", "text"}


def test_jsonl_text_is_the_decoded_sequence_of_the_same_document(loaded):
    ns, _ = loaded
    manifest, sequences, records, table = ns["manifest"], ns["sequences"], ns["records"], ns["table"]
    assert len(records) == _entry(manifest, "train", 0, "jsonl_zst")["documents"]
    assert [r["doc_id"] for r in records] == table.column("doc_id").to_pylist()
    tokenizer = ns["tokenizer"]
    assert all(tokenizer.decode(s.tolist()) == r["text"] for s, r in zip(sequences, records))
    assert ns["first_text"] == records[0]["text"]
    loaded_text = ns["documents_text"]
    for split in loaded_text:
        assert loaded_text[split].num_rows == sum(
            f["documents"] for f in manifest["shards"] if f["split"] == split and f["format"] == "jsonl_zst")
    assert set(loaded_text["train"].column_names) == {"text", "doc_id", "category", "copy", "split"}
