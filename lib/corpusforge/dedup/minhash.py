"""MinHash signatures, bit-identical to ``datasketch.MinHash``, computed in compiled batches.

datasketch hashes each shingle with ``sha1_hash32`` (the first 4 bytes of its SHA-1, read
little-endian) and permutes it with ``(a * hv + b) mod (2**61 - 1) & 0xffffffff``, the
product taken in wrapping uint64 arithmetic, with ``(a, b)`` drawn from
``np.random.RandomState(seed)``. This module does the same inside numba-compiled loops over a
whole batch at once: tokenizing, shingling, SHA-1 and the permutations never run as a Python
loop per shingle. Signatures are ``uint32`` (datasketch's ``uint64`` values all fit).

    >>> sigs = minhash_signatures(["const a = 1;", "const a = 2;"], num_perm=128, seed=1)
    >>> sigs.shape, sigs.dtype
    ((2, 128), dtype('uint32'))
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numba
import numpy as np
import pyarrow as pa

from corpusforge.dedup.shingles import DEFAULT_NGRAM, WHITESPACE_CODEPOINTS

# Compiled kernels are cached next to this file (or in NUMBA_CACHE_DIR). Imported from a zip
# (spark-submit --py-files) there is no file to cache beside: each Python worker compiles
# once instead (seconds), rather than failing.
_CACHE = os.path.isfile(__file__) or bool(os.environ.get("NUMBA_CACHE_DIR"))

MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
EMPTY_VALUE = np.uint32(0xFFFFFFFF)

_U32 = np.uint64(0xFFFFFFFF)
_SHIFT61 = np.uint64(61)

_ASCII_WORD = np.zeros(128, dtype=np.bool_)
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$":
    _ASCII_WORD[_c] = True
_SPACE = np.array(WHITESPACE_CODEPOINTS, dtype=np.int64)
_SHA1_INIT = np.array([0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0], dtype=np.uint64)


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters datasketch draws for ``MinHash(num_perm, seed)`` (uint64)."""
    gen = np.random.RandomState(seed)
    pairs = np.array([(gen.randint(1, MERSENNE_PRIME, dtype=np.uint64),
                       gen.randint(0, MERSENNE_PRIME, dtype=np.uint64)) for _ in range(num_perm)],
                     dtype=np.uint64).T
    a, b = np.ascontiguousarray(pairs[0]), np.ascontiguousarray(pairs[1])
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


# ---- compiled kernels -------------------------------------------------------------------

@numba.njit(cache=_CACHE, inline="always")
def _rotl(x, k):
    return ((x << np.uint64(k)) | (x >> np.uint64(32 - k))) & np.uint64(0xFFFFFFFF)


@numba.njit(cache=_CACHE)
def _sha1_hash32(buf, length, w):
    """sha1_hash32 of ``buf[:length]``; ``buf`` has room for the padding (length + 72)."""
    mask = np.uint64(0xFFFFFFFF)
    padded = ((length + 8) // 64 + 1) * 64
    buf[length] = 0x80
    for i in range(length + 1, padded - 8):
        buf[i] = 0
    bits = np.uint64(length) * np.uint64(8)
    for i in range(8):
        buf[padded - 1 - i] = np.uint8((bits >> np.uint64(8 * i)) & np.uint64(0xFF))
    h0, h1, h2, h3, h4 = _SHA1_INIT[0], _SHA1_INIT[1], _SHA1_INIT[2], _SHA1_INIT[3], _SHA1_INIT[4]
    for block in range(0, padded, 64):
        for t in range(16):
            p = block + 4 * t
            w[t] = ((np.uint64(buf[p]) << np.uint64(24)) | (np.uint64(buf[p + 1]) << np.uint64(16))
                    | (np.uint64(buf[p + 2]) << np.uint64(8)) | np.uint64(buf[p + 3]))
        for t in range(16, 80):
            w[t] = _rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1)
        a, b, c, d, e = h0, h1, h2, h3, h4
        # Four loops of 20 rounds: no branch inside a round.
        for t in range(20):
            f = d ^ (b & (c ^ d))
            tmp = (_rotl(a, 5) + f + e + np.uint64(0x5A827999) + w[t]) & mask
            e, d, c, b, a = d, c, _rotl(b, 30), a, tmp
        for t in range(20, 40):
            tmp = (_rotl(a, 5) + (b ^ c ^ d) + e + np.uint64(0x6ED9EBA1) + w[t]) & mask
            e, d, c, b, a = d, c, _rotl(b, 30), a, tmp
        for t in range(40, 60):
            f = (b & c) | (d & (b | c))
            tmp = (_rotl(a, 5) + f + e + np.uint64(0x8F1BBCDC) + w[t]) & mask
            e, d, c, b, a = d, c, _rotl(b, 30), a, tmp
        for t in range(60, 80):
            tmp = (_rotl(a, 5) + (b ^ c ^ d) + e + np.uint64(0xCA62C1D6) + w[t]) & mask
            e, d, c, b, a = d, c, _rotl(b, 30), a, tmp
        h0 = (h0 + a) & mask
        h1 = (h1 + b) & mask
        h2 = (h2 + c) & mask
        h3 = (h3 + d) & mask
        h4 = (h4 + e) & mask
    # The digest's first 4 bytes are h0 big-endian; datasketch reads them little-endian.
    return (((h0 & np.uint64(0xFF)) << np.uint64(24)) | (((h0 >> np.uint64(8)) & np.uint64(0xFF)) << np.uint64(16))
            | (((h0 >> np.uint64(16)) & np.uint64(0xFF)) << np.uint64(8)) | (h0 >> np.uint64(24)))


@numba.njit(cache=_CACHE)
def _tokenize(data, start, end, ascii_word, space, tok_start, tok_end):
    """Code-token byte spans of ``data[start:end]`` (UTF-8), as ``shingles.CODE_TOKEN`` finds."""
    count = 0
    i = start
    while i < end:
        c = data[i]
        if c < 128:
            if ascii_word[c]:
                j = i + 1
                while j < end and data[j] < 128 and ascii_word[data[j]]:
                    j += 1
                tok_start[count] = i
                tok_end[count] = j
                count += 1
                i = j
                continue
            if c == 32 or (9 <= c <= 13) or (28 <= c <= 31):
                i += 1
                continue
            tok_start[count] = i
            tok_end[count] = i + 1
            count += 1
            i += 1
            continue
        if c >= 0xF0:
            n, cp = 4, np.int64(c & 0x07)
        elif c >= 0xE0:
            n, cp = 3, np.int64(c & 0x0F)
        elif c >= 0xC0:
            n, cp = 2, np.int64(c & 0x1F)
        else:  # a stray continuation byte: one token of its own
            n, cp = 1, np.int64(c)
        n = min(n, end - i)
        for k in range(1, n):
            cp = (cp << 6) | np.int64(data[i + k] & 0x3F)
        is_space = False
        for s in space:
            if cp == s:
                is_space = True
                break
        if not is_space:
            tok_start[count] = i
            tok_end[count] = i + n
            count += 1
        i += n
    return count


@numba.njit(cache=_CACHE)
def _permute_min(hvs, count, a, b, out):
    """Write into ``out`` the minimum over ``hvs[:count]`` of every permutation."""
    prime = np.uint64((1 << 61) - 1)
    mask = np.uint64(0xFFFFFFFF)
    shift = np.uint64(61)
    for j in range(a.shape[0]):
        aj = a[j]
        bj = b[j]
        m = mask
        for i in range(count):
            x = hvs[i] * aj + bj  # wraps mod 2**64, exactly as datasketch's uint64 numpy ops
            x = (x & prime) + (x >> shift)  # x mod (2**61 - 1), one conditional subtraction
            if x >= prime:
                x -= prime
            x &= mask
            if x < m:
                m = x
        out[j] = np.uint32(m)


@numba.njit(cache=_CACHE)
def _unique_sorted(hvs, count):
    """Sort ``hvs[:count]`` in place and move the distinct values to the front; return how many."""
    if count == 0:
        return 0
    part = np.sort(hvs[:count])
    n = 1
    hvs[0] = part[0]
    for i in range(1, count):
        if part[i] != part[i - 1]:
            hvs[n] = part[i]
            n += 1
    return n


@numba.njit(cache=_CACHE)
def _text_signatures(data, offsets, ngram, a, b, ascii_word, space, out, n_shingles):
    """Signatures of UTF-8 documents ``data[offsets[i]:offsets[i+1]]`` into ``out``."""
    w = np.empty(80, dtype=np.uint64)
    for d in range(offsets.shape[0] - 1):
        start, end = offsets[d], offsets[d + 1]
        size = end - start
        tok_start = np.empty(size, dtype=np.int64)
        tok_end = np.empty(size, dtype=np.int64)
        count = _tokenize(data, start, end, ascii_word, space, tok_start, tok_end)
        if count == 0:
            out[d, :] = 0xFFFFFFFF
            n_shingles[d] = 0
            continue
        windows = count - ngram + 1 if count >= ngram else 1
        width = min(ngram, count)
        buf = np.empty(size + width + 72, dtype=np.uint8)
        hvs = np.empty(windows, dtype=np.uint64)
        for s in range(windows):
            length = 0
            for t in range(s, s + width):
                if t > s:
                    buf[length] = 32
                    length += 1
                for p in range(tok_start[t], tok_end[t]):
                    buf[length] = data[p]
                    length += 1
            hvs[s] = _sha1_hash32(buf, length, w)
        unique = _unique_sorted(hvs, windows)
        n_shingles[d] = unique
        _permute_min(hvs, unique, a, b, out[d])


@numba.njit(cache=_CACHE)
def _shingle_signatures(data, shingle_offsets, doc_offsets, a, b, out, n_shingles):
    """Signatures of documents given as shingle byte strings (concatenated, with offsets)."""
    w = np.empty(80, dtype=np.uint64)
    longest = 0
    for s in range(shingle_offsets.shape[0] - 1):
        longest = max(longest, shingle_offsets[s + 1] - shingle_offsets[s])
    buf = np.empty(longest + 72, dtype=np.uint8)
    for d in range(doc_offsets.shape[0] - 1):
        first, last = doc_offsets[d], doc_offsets[d + 1]
        count = last - first
        if count == 0:
            out[d, :] = 0xFFFFFFFF
            n_shingles[d] = 0
            continue
        hvs = np.empty(count, dtype=np.uint64)
        for s in range(first, last):
            length = shingle_offsets[s + 1] - shingle_offsets[s]
            buf[:length] = data[shingle_offsets[s]:shingle_offsets[s + 1]]
            hvs[s - first] = _sha1_hash32(buf, length, w)
        unique = _unique_sorted(hvs, count)
        n_shingles[d] = unique
        _permute_min(hvs, unique, a, b, out[d])


@numba.njit(cache=_CACHE)
def _band_hashes(sigs, bands, rows, out):
    """64-bit hash of each band (``rows`` consecutive values), mixed with the band's index."""
    for d in range(sigs.shape[0]):
        for band in range(bands):
            h = np.uint64(band) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)
            for k in range(band * rows, (band + 1) * rows):
                h ^= np.uint64(sigs[d, k])
                # splitmix64's finaliser: every input bit reaches every output bit.
                h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
                h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
                h ^= h >> np.uint64(31)
            out[d, band] = h


# ---- public API -------------------------------------------------------------------------

def _check(num_perm: int, ngram: int) -> None:
    if num_perm < 1:
        raise ValueError(f"num_perm must be at least 1, got {num_perm}")
    if ngram < 1:
        raise ValueError(f"ngram must be at least 1, got {ngram}")


def signatures_from_utf8(data: np.ndarray, offsets: np.ndarray, *, num_perm: int, seed: int,
                         ngram: int = DEFAULT_NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of documents held as one UTF-8 buffer and ``len(docs) + 1`` offsets.

    Returns ``(signatures uint32[n, num_perm], distinct shingle hashes per document int64[n])``.
    """
    _check(num_perm, ngram)
    a, b = permutations(num_perm, seed)
    n = len(offsets) - 1
    out = np.empty((n, num_perm), dtype=np.uint32)
    counts = np.zeros(n, dtype=np.int64)
    _text_signatures(np.ascontiguousarray(data, dtype=np.uint8), np.asarray(offsets, dtype=np.int64),
                     ngram, a, b, _ASCII_WORD, _SPACE, out, counts)
    return out, counts


def signatures_from_arrow(texts: pa.Array, *, num_perm: int, seed: int,
                          ngram: int = DEFAULT_NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of an Arrow string column, read from its buffers without copying per row.

    Nulls count as empty documents.
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type):
        texts = texts.fill_null("")
    else:
        raise TypeError(f"expected an Arrow string array, got {texts.type}")
    offset_type = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    _, offsets_buf, data_buf = texts.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=offset_type)[texts.offset:texts.offset + len(texts) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    return signatures_from_utf8(data, offsets.astype(np.int64), num_perm=num_perm, seed=seed, ngram=ngram)


def minhash_signatures(docs: Sequence[str] | Sequence[Iterable[bytes]], num_perm: int = 256,
                       seed: int = 1, ngram: int = DEFAULT_NGRAM) -> np.ndarray:
    """MinHash signatures of a batch: texts (shingled as in ``shingles.shingles(text, ngram)``)
    or ready shingle collections of bytes.

    Row ``i`` equals ``datasketch.MinHash(num_perm, seed)`` updated with document ``i``'s
    shingles (cast to uint64); a document without shingles gives all ``0xffffffff``.
    """
    _check(num_perm, ngram)
    docs = list(docs)
    if all(isinstance(d, str) for d in docs):
        return signatures_from_arrow(pa.array(docs, pa.large_string()), num_perm=num_perm, seed=seed,
                                     ngram=ngram)[0]
    per_doc = []
    for d in docs:
        if isinstance(d, (str, bytes)):
            raise TypeError("mix of texts and shingle collections: pass all texts or all collections "
                            "of shingle bytes")
        per_doc.append([bytes(s) for s in d])
    flat = [s for d in per_doc for s in d]
    doc_offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in per_doc], out=doc_offsets[1:])
    shingle_offsets = np.zeros(len(flat) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in flat], out=shingle_offsets[1:])
    data = np.frombuffer(b"".join(flat), dtype=np.uint8) if flat else np.zeros(0, np.uint8)
    a, b = permutations(num_perm, seed)
    out = np.empty((len(docs), num_perm), dtype=np.uint32)
    counts = np.zeros(len(docs), dtype=np.int64)
    _shingle_signatures(data, shingle_offsets, doc_offsets, a, b, out, counts)
    return out


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One signed 64-bit hash per band (``bands`` bands of ``rows`` values) per signature row."""
    if bands * rows > signatures.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} values, "
                         f"signatures have {signatures.shape[1]}")
    out = np.empty((signatures.shape[0], bands), dtype=np.uint64)
    _band_hashes(np.ascontiguousarray(signatures), bands, rows, out)
    return out.view(np.int64)


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Share of equal positions between signature rows: datasketch's ``MinHash.jaccard``."""
    return (np.asarray(left) == np.asarray(right)).mean(axis=-1)
