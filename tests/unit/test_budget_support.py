"""``supported_tokens``: the largest budget the measured corpus fills at a framework share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpusforge.budgets import Budget, CategoryStats, plan_budget, supported_tokens


def _stats(framework: int, aligned: int, public: int, text: int) -> dict[str, CategoryStats]:
    return {c: CategoryStats(c, max(1, t // 1000), t, t * 3, t * 3)
            for c, t in (("framework", framework), ("aligned", aligned), ("public", public), ("text", text))}


def _feasible(total: int, share: float, stats: dict[str, CategoryStats], epochs: float) -> bool:
    return plan_budget("b", Budget(total_tokens=total, framework_share=share), stats, epochs).feasible


def test_framework_side_limits_the_budget_at_a_high_share():
    stats = _stats(framework=60_000, aligned=40_000, public=10_000_000, text=0)
    # 100k framework-style tokens x 4 epochs = 400k = 50% of 800k; public has plenty.
    total = supported_tokens(0.5, stats, 4.0)
    assert abs(total - 800_000) <= 1  # the plan rounds the framework side to whole tokens
    assert _feasible(total, 0.5, stats, 4.0) and not _feasible(total + 1, 0.5, stats, 4.0)
    assert not _feasible(800_010, 0.5, stats, 4.0)


def test_public_side_limits_the_budget_at_a_low_share():
    stats = _stats(framework=1_000_000, aligned=0, public=70_000, text=20_000)
    # 90k public tokens, never repeated, are 90% of 100k.
    assert supported_tokens(0.1, stats, 4.0) == 100_000


def test_nothing_is_supported_without_the_data_a_share_needs():
    # (a 1-token budget at 30% rounds its framework side to 0 tokens, so it fits)
    assert supported_tokens(0.3, _stats(0, 0, 1_000_000, 0), 4.0) <= 1
    assert supported_tokens(0.3, _stats(1_000, 0, 0, 0), 4.0) <= 1
    # A side the share needs nothing from may be empty.
    assert supported_tokens(1.0, _stats(1_000, 0, 0, 0), 4.0) == 4_000
    assert supported_tokens(0.0, _stats(0, 0, 5_000, 0), 4.0) == 5_000


@given(framework=st.integers(0, 10**9), public=st.integers(0, 10**9),
       share=st.floats(0.0, 1.0), epochs=st.sampled_from([1.0, 2.5, 4.0]))
def test_supported_total_is_the_largest_feasible_one(framework, public, share, epochs):
    stats = _stats(framework, 0, public, 0)
    total = supported_tokens(share, stats, epochs)
    if total:
        assert _feasible(total, share, stats, epochs)
    assert not _feasible(total + 1, share, stats, epochs)


@pytest.mark.parametrize("share", [0.3, 0.5])
def test_shipped_budget_shares_agree_with_the_plan(share):
    stats = _stats(framework=123_457, aligned=9_871, public=3_333_333, text=77_777)
    total = supported_tokens(share, stats, 4.0)
    assert _feasible(total, share, stats, 4.0) and not _feasible(total + 1, share, stats, 4.0)
