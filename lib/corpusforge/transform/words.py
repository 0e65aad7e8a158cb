"""Which words of a fixed set occur in a text as whole words, found in one scan.

The engine asks this of every pass over every file (a rule can only apply where all of its
trigger words occur). Looking for each word on its own scanned the text once per word;
an Aho-Corasick automaton (``ahocorasick-rs``, Rust) finds every occurrence of every word
in one scan, and each occurrence is then checked for word boundaries exactly as
:func:`corpusforge.transform.bindings.has_word` checks it. The same scan can also keep
where some words occur (:meth:`WordSet.scan`), which the scope analysis would otherwise
look up with a search of its own over the text.

The scan reports leftmost-longest matches without overlaps, which the automaton finds
about twice as fast as every overlapping match, and loses no whole word but behind a word
that holds a non-identifier byte (see :meth:`WordSet.scan`).
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick_rs

from corpusforge.transform.bindings import IDENTIFIER_BYTES


class WordSet:
    """A fixed set of words; :meth:`present` says which of them a text holds as whole words,
    :meth:`scan` also where the ``indexed`` ones occur."""

    def __init__(self, words: Iterable[bytes], indexed: Iterable[bytes] = ()) -> None:
        words = set(words)
        indexed = {w for w in indexed if w}
        for word in indexed:
            if any(b not in IDENTIFIER_BYTES for b in word):
                raise ValueError(f"indexed words are spelled with identifier characters only "
                                 f"(ASCII letters, digits, _ and $), not {word!r}")
        unique = sorted(words | indexed)
        everything = tuple(w for w in unique if w)
        # `words` are what `present` answers about; `indexed` only join the scan.
        self.words = tuple(w for w in everything if w in words)
        self._answered = [w in words for w in everything]
        self._indexed = [w in indexed for w in everything]
        self.indexed = frozenset(indexed)
        self._everything = everything
        # An empty word occurs in every text (as ``has_word`` says).
        self._always = frozenset(w for w in unique if not w and w in words)
        # Only an edge that is an identifier character needs a boundary: `@scope/pkg` may
        # follow any byte, `fetch` may not follow `pre`.
        self._check_start = [w[0] in IDENTIFIER_BYTES for w in everything]
        self._check_end = [w[-1] in IDENTIFIER_BYTES for w in everything]
        # A word with a byte that is no identifier character (`react/jsx-runtime`, `+`).
        self._compound = [any(b not in IDENTIFIER_BYTES for b in w) for w in everything]
        self._longest = max((len(w) for w in everything), default=0)
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            list(everything), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if everything else None
        self._overlapping = ahocorasick_rs.BytesAhoCorasick(list(everything)) \
            if any(self._compound) else None

    def present(self, source: bytes) -> frozenset[bytes]:
        """The words occurring in ``source`` with no identifier character touching an
        identifier-character edge (``has_word`` for each word, in one scan)."""
        return self.scan(source)[0]

    def scan(self, source: bytes) -> tuple[frozenset[bytes], dict[bytes, list[int]]]:
        """:meth:`present`, and the start of every whole-word occurrence of each indexed
        word that occurs (ascending: ``bindings.word_offsets`` of it; an indexed word
        missing from the dict does not occur, see :attr:`indexed`).

        Matches are leftmost-longest without overlaps. A whole word cannot overlap a match
        of identifier characters only (the shared byte would be an identifier character at
        its edge, or the word a shorter one at the same start, ending inside the match),
        so only a match of a word with another byte can hide one: around each such match
        the text is scanned again for every overlapping occurrence."""
        if self._automaton is None:
            return self._always, {}  # no words, so none indexed
        found: set[int] = set()
        index: dict[int, list[int]] = {}
        windows: list[tuple[int, int]] = []
        self._visit(self._automaton.find_matches_as_indexes(source), source, found, index, windows)
        if windows:
            # Rare (import lines of `react/jsx-runtime`, `@testing-library/react`): every
            # occurrence overlapping a match of a compound word, found again around it.
            longest = self._longest
            around: list[tuple[int, int, int]] = []
            for start, end in windows:
                lo = max(0, start - longest + 1)
                around += [(i, s + lo, e + lo) for i, s, e in self._overlapping.find_matches_as_indexes(  # type: ignore[union-attr]
                    source[lo:end + longest - 1], overlapping=True)]
            self._visit(around, source, found, index, None)
            index = {i: sorted(set(starts)) for i, starts in index.items()}  # found twice, out of order
        present = self._always.union(self._everything[i] for i in found if self._answered[i])
        return present, {self._everything[i]: starts for i, starts in index.items()}

    def _visit(self, matches: list[tuple[int, int, int]], source: bytes, found: set[int],
               index: dict[int, list[int]], windows: list[tuple[int, int]] | None) -> None:
        """Add the whole-word matches to ``found`` (and ``index``), and the compound words'
        matches to ``windows``."""
        end_of_text = len(source)
        identifier = IDENTIFIER_BYTES
        check_start, check_end, indexed, compound = self._check_start, self._check_end, self._indexed, self._compound
        for i, start, end in matches:
            if windows is not None and compound[i]:
                windows.append((start, end))
            if i in found and not indexed[i]:
                continue
            if (not check_start[i] or start == 0 or source[start - 1] not in identifier) and (
                    not check_end[i] or end == end_of_text or source[end] not in identifier):
                found.add(i)
                if indexed[i]:
                    index.setdefault(i, []).append(start)
