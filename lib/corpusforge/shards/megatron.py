"""Megatron-LM indexed dataset (``MMIDIDX``): a ``.bin`` of tokens and its ``.idx``.

Layout of the ``.idx`` (little endian), as Megatron-LM's ``indexed_dataset.py`` reads it:
9-byte magic ``MMIDIDX\\x00\\x00``, u64 version (1), u8 dtype code, u64 sequence count,
u64 document-index count, then int32 sequence lengths, int64 byte offsets of each sequence
in the ``.bin``, and int64 document indices (0, then the end sequence of each document).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

MAGIC = b"MMIDIDX\x00\x00"
VERSION = 1
DTYPE_CODES = {np.uint8: 1, np.int8: 2, np.int16: 3, np.int32: 4, np.int64: 5,
               np.float64: 6, np.float32: 7, np.uint16: 8}


def token_dtype(vocab_size: int) -> type:
    """uint16 when every id fits, else int32 (Megatron's own rule)."""
    return np.uint16 if vocab_size < 65500 else np.int32


class MegatronWriter:
    """Streams sequences into ``<prefix>.bin``; ``close`` writes ``<prefix>.idx``."""

    def __init__(self, prefix: str, dtype: type) -> None:
        self.prefix, self.dtype = prefix, dtype
        self._bin = open(f"{prefix}.bin", "wb")
        self._lengths: list[int] = []
        self._documents: list[int] = [0]

    def add_sequence(self, tokens: Sequence[int], end_of_document: bool = True) -> None:
        """Append one sequence; ``end_of_document`` closes the document it belongs to."""
        array = np.asarray(tokens, dtype=self.dtype)
        self._bin.write(array.tobytes(order="C"))
        self._lengths.append(len(array))
        if end_of_document:
            self._documents.append(len(self._lengths))

    def close(self) -> None:
        """Finish the ``.bin`` and write the ``.idx``."""
        self._bin.close()
        lengths = np.asarray(self._lengths, dtype=np.int32)
        itemsize = np.dtype(self.dtype).itemsize
        pointers = np.zeros(len(lengths), dtype=np.int64)
        if len(lengths) > 1:
            pointers[1:] = np.cumsum(lengths[:-1].astype(np.int64)) * itemsize
        documents = np.asarray(self._documents, dtype=np.int64)
        with open(f"{self.prefix}.idx", "wb") as idx:
            idx.write(MAGIC)
            idx.write(struct.pack("<Q", VERSION))
            idx.write(struct.pack("<B", DTYPE_CODES[self.dtype]))
            idx.write(struct.pack("<Q", len(lengths)))
            idx.write(struct.pack("<Q", len(documents)))
            idx.write(lengths.tobytes(order="C"))
            idx.write(pointers.tobytes(order="C"))
            idx.write(documents.tobytes(order="C"))
