"""Sequence building, packing, FIM and the Megatron format read back independently."""

from __future__ import annotations

import random
import struct

import numpy as np

from corpusforge.shards.megatron import MegatronWriter
from corpusforge.shards.mixing import choose_partial
from corpusforge.shards.sequences import SpecialIds, document_sequence, fim_tokens, pack

IDS = SpecialIds(end_of_text=1, padding=2, fim_prefix=3, fim_middle=4, fim_suffix=5)


def read_mmidx(prefix: str) -> list[list[int]]:
    """An independent reader of the MMIDIDX layout (from the format description)."""
    with open(prefix + ".idx", "rb") as f:
        assert f.read(9) == b"MMIDIDX\x00\x00"
        (version,) = struct.unpack("<Q", f.read(8))
        (code,) = struct.unpack("<B", f.read(1))
        (n_seq,) = struct.unpack("<Q", f.read(8))
        (n_doc,) = struct.unpack("<Q", f.read(8))
        lengths = struct.unpack(f"<{n_seq}i", f.read(4 * n_seq))
        pointers = struct.unpack(f"<{n_seq}q", f.read(8 * n_seq))
        docs = struct.unpack(f"<{n_doc}q", f.read(8 * n_doc))
        assert f.read() == b""
    assert version == 1 and docs[0] == 0 and docs[-1] == n_seq
    width, fmt = {8: (2, "H"), 4: (4, "i")}[code]
    data = open(prefix + ".bin", "rb").read()
    return [list(struct.unpack(f"<{n}{fmt}", data[p:p + n * width])) for n, p in zip(lengths, pointers)]


def test_megatron_files_read_back_with_an_independent_reader(tmp_path):
    seqs = [[10, 11, 1], [], [65000, 7, 7, 1], list(range(300))]
    for dtype in (np.uint16, np.int32):
        w = MegatronWriter(str(tmp_path / f"s-{dtype.__name__}"), dtype)
        for s in seqs:
            w.add_sequence(s)
        w.close()
        assert read_mmidx(str(tmp_path / f"s-{dtype.__name__}")) == seqs


def test_fim_keeps_every_token_in_prefix_suffix_middle_order():
    tokens = list(range(100, 140))
    for seed in range(20):
        out = fim_tokens(tokens, IDS, random.Random(seed))
        assert out[0] == IDS.fim_prefix and out.count(IDS.fim_suffix) == 1 and out.count(IDS.fim_middle) == 1
        p = out.index(IDS.fim_suffix)
        m = out.index(IDS.fim_middle)
        prefix, suffix, middle = out[1:p], out[p + 1:m], out[m + 1:]
        assert prefix + middle + suffix == tokens


def test_document_sequence_ends_with_end_of_text_and_is_deterministic():
    assert document_sequence([7, 8], IDS, fim=False, fim_seed=0) == [7, 8, 1]
    a = document_sequence(list(range(50)), IDS, fim=True, fim_seed=42)
    assert a == document_sequence(list(range(50)), IDS, fim=True, fim_seed=42) and a[-1] == 1


def test_packing_cuts_exact_rows_and_pads_only_the_last():
    rows = list(pack([[1] * 5, [2] * 7, [3] * 2], seq_length=4, padding=0))
    assert [len(r) for r, _ in rows] == [4, 4, 4, 4]
    assert [p for _, p in rows] == [0, 0, 0, 2]
    assert sum((r for r, _ in rows), [])[:14] == [1] * 5 + [2] * 7 + [3] * 2


def test_partial_choice_lands_on_the_needed_tokens():
    rng = random.Random(0)
    docs = [(rng.random(), f"d{i}", rng.randint(10, 500)) for i in range(3000)]
    buckets: dict[int, list[int]] = {}
    for u, _, n in docs:
        b = buckets.setdefault(int(u * 4096), [0, 0])
        b[0] += n
        b[1] += 1
    sums = [(b, t, c) for b, (t, c) in buckets.items()]

    def fetch(lo, hi):
        return [d for d in docs if lo <= int(d[0] * 4096) < hi]

    total = sum(n for _, _, n in docs)
    for need in (0, 1234, total // 3, total - 5, total):
        cut, extras, got = choose_partial(sums, need, fetch)
        chosen = [n for u, d, n in docs if u <= cut or d in set(extras)]
        assert sum(chosen) == got <= need
        assert need - got <= 10 + need // 1000  # smaller documents fill the gap
