"""LSH banding: how many bands of how many rows, chosen from the Jaccard threshold.

A pair with Jaccard ``s`` shares at least one of ``b`` bands of ``r`` rows with probability
``1 - (1 - s**r)**b``. ``optimal_bands`` picks ``(b, r)`` with ``b * r <= num_perm`` that
minimises the weighted false-positive area (below the threshold) plus false-negative area
(above it), by the same grid search and the same integrals as datasketch's
``MinHashLSH`` (``datasketch.lsh._optimal_param``), so both choose the same parameters.
"""

from __future__ import annotations

from functools import lru_cache

from scipy.integrate import quad


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that a pair with this Jaccard similarity shares at least one band."""
    return 1.0 - (1.0 - similarity ** float(rows)) ** float(bands)


def false_positive_area(threshold: float, bands: int, rows: int) -> float:
    """Integral of the candidate probability over similarities below ``threshold``."""
    return quad(lambda s: 1 - (1 - s ** float(rows)) ** float(bands), 0.0, threshold)[0]


def false_negative_area(threshold: float, bands: int, rows: int) -> float:
    """Integral of the miss probability over similarities above ``threshold``."""
    return quad(lambda s: 1 - (1 - (1 - s ** float(rows)) ** float(bands)), threshold, 1.0)[0]


@lru_cache(maxsize=64)
def optimal_bands(threshold: float, num_perm: int, false_positive_weight: float = 0.5,
                  false_negative_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` minimising the weighted false-positive and false-negative areas."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be strictly between 0 and 1, got {threshold}")
    best, best_error = (0, 0), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            error = (false_positive_area(threshold, bands, rows) * false_positive_weight
                     + false_negative_area(threshold, bands, rows) * false_negative_weight)
            if error < best_error:
                best, best_error = (bands, rows), error
    return best


def resolve_bands(threshold: float, num_perm: int, bands: int | None, rows: int | None,
                  weights: tuple[float, float] = (0.5, 0.5)) -> tuple[int, int]:
    """``(bands, rows)`` as configured, or optimal for the threshold when either is unset."""
    if bands is not None and rows is not None:
        if bands < 1 or rows < 1 or bands * rows > num_perm:
            raise ValueError(f"bands x rows = {bands} x {rows} must be at least 1 x 1 and fit in "
                             f"num_perm = {num_perm}")
        return bands, rows
    return optimal_bands(threshold, num_perm, *weights)
