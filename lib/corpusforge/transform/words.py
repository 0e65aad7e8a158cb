"""Which words of a fixed set occur in a text as whole words, found in one scan.

The engine asks this of every pass over every file (a rule can only apply where all of its
trigger words occur). Looking for each word on its own scanned the text once per word;
an Aho-Corasick automaton (``ahocorasick-rs``, Rust) finds every occurrence of every word
in one scan, and each occurrence is then checked for word boundaries exactly as
:func:`corpusforge.transform.bindings.has_word` checks it.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs

from corpusforge.transform.bindings import IDENTIFIER_BYTES


class WordSet:
    """A fixed set of words; :meth:`present` says which of them a text holds as whole words."""

    def __init__(self, words: Iterable[bytes]) -> None:
        unique = sorted(set(words))
        self.words = tuple(w for w in unique if w)
        # An empty word occurs in every text (as ``has_word`` says).
        self._always = frozenset(w for w in unique if not w)
        # Only an edge that is an identifier character needs a boundary: `@scope/pkg` may
        # follow any byte, `fetch` may not follow `pre`.
        self._check_start = [w[0] in IDENTIFIER_BYTES for w in self.words]
        self._check_end = [w[-1] in IDENTIFIER_BYTES for w in self.words]
        self._automaton = ahocorasick_rs.BytesAhoCorasick(list(self.words)) if self.words else None

    def present(self, source: bytes) -> frozenset[bytes]:
        """The words occurring in ``source`` with no identifier character touching an
        identifier-character edge (``has_word`` for each word, in one scan)."""
        if self._automaton is None:
            return self._always
        found: set[int] = set()
        end_of_text = len(source)
        identifier = IDENTIFIER_BYTES
        check_start, check_end = self._check_start, self._check_end
        for index, start, end in self._automaton.find_matches_as_indexes(source, overlapping=True):
            if index in found:
                continue
            if (not check_start[index] or start == 0 or source[start - 1] not in identifier) and (
                    not check_end[index] or end == end_of_text or source[end] not in identifier):
                found.add(index)
        return self._always.union(self.words[i] for i in found)
