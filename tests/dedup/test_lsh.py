"""LSH band parameters against datasketch's optimiser."""

from __future__ import annotations

import pytest
from datasketch.lsh import _optimal_param

from corpusforge.dedup.lsh import candidate_probability, optimal_bands, resolve_bands


@pytest.mark.parametrize("threshold,num_perm,weights", [
    (0.7, 256, (0.5, 0.5)), (0.7, 128, (0.5, 0.5)), (0.8, 256, (0.5, 0.5)), (0.5, 64, (0.5, 0.5)),
    (0.7, 256, (0.2, 0.8)), (0.9, 100, (0.6, 0.4)),
])
def test_optimal_bands_equal_datasketch(threshold, num_perm, weights):
    assert optimal_bands(threshold, num_perm, *weights) == _optimal_param(threshold, num_perm, *weights)


def test_resolve_bands():
    assert resolve_bands(0.7, 256, 32, 8) == (32, 8)
    assert resolve_bands(0.7, 256, None, 8) == optimal_bands(0.7, 256)
    with pytest.raises(ValueError):
        resolve_bands(0.7, 256, 33, 8)
    with pytest.raises(ValueError):
        optimal_bands(1.0, 256)


def test_candidate_probability_is_an_s_curve():
    bands, rows = optimal_bands(0.7, 256)
    low, mid, high = (candidate_probability(s, bands, rows) for s in (0.3, 0.7, 0.95))
    assert low < 0.01 < mid < high and high > 0.999
