"""MinHash signatures against datasketch as the oracle (bit-identical), no Spark."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from datasketch import MinHash

from corpusforge.dedup.minhash import (band_hashes, estimated_jaccard, minhash_signatures, permutations,
                                       signatures_from_arrow)
from corpusforge.dedup.shingles import shingles
from tests.conftest import SAMPLES

SAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((SAMPLES / "github" / "react-todo" / "src").rglob("*.ts*"))]
ODD_TEXTS = [
    "", "   \n\t ", "x", "a b", "const é = 'ünïcödé';\u00a0// ☃ 😀 𝔘\u2028end", "\u3000\u2003x\u205fy",
    "$el.on_click($ => $$)", "a" * 5000, "x = 1;\r\ny = 2;\x0b\x0cz", "日本語のコード = 1;",
]


def datasketch_signature(doc_shingles: list[bytes], num_perm: int, seed: int) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed)
    m.update_batch(doc_shingles)
    return m.hashvalues


def random_text(rng: random.Random) -> str:
    alphabet = list("abcXYZ019_$ \n\t(){};=+-*/'\"`.,") + ["é", "☃", "😀", "\u00a0", "\u2028", "\u3000", "日", "\x1f"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))


@pytest.mark.parametrize("num_perm,seed,ngram", [(128, 1, 5), (256, 42, 5), (16, 7, 1), (64, 3, 3), (1, 0, 2)])
def test_bit_identical_to_datasketch(num_perm, seed, ngram):
    docs = SAMPLE_TEXTS + ODD_TEXTS
    ours = minhash_signatures(docs, num_perm=num_perm, seed=seed, ngram=ngram)
    assert ours.dtype == np.uint32 and ours.shape == (len(docs), num_perm)
    for doc, row in zip(docs, ours):
        np.testing.assert_array_equal(row.astype(np.uint64),
                                      datasketch_signature(shingles(doc, ngram), num_perm, seed))


def test_random_texts_tokenize_like_the_reference():
    rng = random.Random(5)
    docs = [random_text(rng) for _ in range(300)]
    for ngram in (1, 2, 5):
        ours = minhash_signatures(docs, num_perm=32, seed=9, ngram=ngram)
        for doc, row in zip(docs, ours):
            np.testing.assert_array_equal(row.astype(np.uint64),
                                          datasketch_signature(shingles(doc, ngram), 32, 9), err_msg=repr(doc))


def test_shingle_lists_in_give_the_same_signatures():
    docs = SAMPLE_TEXTS + ODD_TEXTS
    from_texts = minhash_signatures(docs, num_perm=64, seed=2)
    from_shingles = minhash_signatures([shingles(d) for d in docs], num_perm=64, seed=2)
    np.testing.assert_array_equal(from_texts, from_shingles)
    # Duplicates and order do not matter (a MinHash is a set summary), as in datasketch.
    arbitrary = [[b"x", b"y", b"x"], (b"y", b"x"), set()]
    sigs = minhash_signatures(arbitrary, num_perm=64, seed=2)
    np.testing.assert_array_equal(sigs[0], sigs[1])
    np.testing.assert_array_equal(sigs[2].astype(np.uint64), datasketch_signature([], 64, 2))
    with pytest.raises(TypeError):
        minhash_signatures(["text", [b"shingle"]], num_perm=8)


def test_empty_document_is_all_max_values():
    sig = minhash_signatures(["", " \n "], num_perm=8)
    assert (sig == 0xFFFFFFFF).all()


def test_arrow_input_sliced_with_nulls():
    docs = ["const a = 1;", None, "let b = 2 + a;", "é ☃ 😀 x y z"]
    for kind in (pa.string(), pa.large_string()):
        arr = pa.array(["padding row"] + docs, kind).slice(1)
        sigs, counts = signatures_from_arrow(arr, num_perm=32, seed=4)
        expected = minhash_signatures([d or "" for d in docs], num_perm=32, seed=4)
        np.testing.assert_array_equal(sigs, expected)
        assert counts.tolist() == [len(shingles(d or "")) for d in docs]


def test_permutations_are_datasketchs():
    a, b = permutations(32, 11)
    reference = MinHash(num_perm=32, seed=11).permutations
    np.testing.assert_array_equal(a, reference[0])
    np.testing.assert_array_equal(b, reference[1])


def test_estimated_jaccard_matches_datasketch():
    x, y = SAMPLE_TEXTS[0], SAMPLE_TEXTS[0].replace("const", "let", 2)
    sigs = minhash_signatures([x, y], num_perm=128, seed=1)
    mx, my = MinHash(128, seed=1), MinHash(128, seed=1)
    mx.update_batch(shingles(x))
    my.update_batch(shingles(y))
    assert estimated_jaccard(sigs[0], sigs[1]) == pytest.approx(mx.jaccard(my))


def test_band_hashes():
    sigs = minhash_signatures(["a b c d e f g h", "a b c d e f g h", "x y z w v u t s"], num_perm=16, seed=1)
    bands = band_hashes(sigs, 4, 4)
    assert bands.dtype == np.int64 and bands.shape == (3, 4)
    np.testing.assert_array_equal(bands[0], bands[1])
    assert len(set(bands[0].tolist())) == 4  # the band index is part of the hash
    # Equal values in a band give equal hashes whatever the other bands hold.
    other = sigs[0].copy()
    other[4:] = 0
    assert band_hashes(other[None, :], 4, 4)[0, 0] == bands[0, 0]
    assert band_hashes(other[None, :], 4, 4)[0, 1] != bands[0, 1]
    with pytest.raises(ValueError):
        band_hashes(sigs, 5, 4)
