"""From document tokens to training sequences: end-of-text, fill-in-the-middle, packing."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SpecialIds:
    """Ids of the special pieces (tokenizer.json ``special_tokens``)."""

    end_of_text: int
    padding: int
    fim_prefix: int
    fim_middle: int
    fim_suffix: int


def fim_tokens(tokens: list[int], ids: SpecialIds, rng: random.Random) -> list[int]:
    """Prefix-suffix-middle (PSM) rearrangement at two random cut points, token level.

    ``<fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle``: the model learns to
    write the middle from both sides; the document's tokens are all kept, in three pieces.
    """
    a, b = sorted(rng.randint(0, len(tokens)) for _ in range(2))
    prefix, middle, suffix = tokens[:a], tokens[a:b], tokens[b:]
    return [ids.fim_prefix, *prefix, ids.fim_suffix, *suffix, ids.fim_middle, *middle]


def document_sequence(tokens: list[int], ids: SpecialIds, fim: bool, fim_seed: int) -> list[int]:
    """One document as a sequence: its tokens (FIM-rearranged when ``fim``) and end-of-text."""
    body = fim_tokens(tokens, ids, random.Random(fim_seed)) if fim else list(tokens)
    return [*body, ids.end_of_text]


class Packer:
    """Concatenates sequences and cuts rows of exactly ``seq_length`` tokens as they fill."""

    def __init__(self, seq_length: int, padding: int) -> None:
        self.seq_length, self.padding = seq_length, padding
        self._buffer: list[int] = []

    def add(self, sequence: list[int]) -> list[list[int]]:
        """Add a sequence; return the rows it completed."""
        self._buffer.extend(sequence)
        rows = []
        while len(self._buffer) >= self.seq_length:
            rows.append(self._buffer[:self.seq_length])
            del self._buffer[:self.seq_length]
        return rows

    def finish(self) -> tuple[list[int], int] | None:
        """The last, padded row and its padding count (None when nothing is left)."""
        if not self._buffer:
            return None
        pad = self.seq_length - len(self._buffer)
        row, self._buffer = self._buffer + [self.padding] * pad, []
        return row, pad


def pack(sequences: Iterable[list[int]], seq_length: int, padding: int) -> Iterator[tuple[list[int], int]]:
    """Rows of exactly ``seq_length`` tokens as ``(row, n_padding)``; only the last is padded."""
    packer = Packer(seq_length, padding)
    for seq in sequences:
        for row in packer.add(seq):
            yield row, 0
    last = packer.finish()
    if last:
        yield last
