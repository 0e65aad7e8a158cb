"""Framework symbols from .d.ts, origin-grouped splits, the budget planner."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from corpusforge.budgets import (Budget, CategoryStats, economics_markdown, get_budget, load_budgets,
                                 plan_budget, plan_lines, plan_markdown)
from corpusforge.config import SplitSettings
from corpusforge.errors import ConfigError
from corpusforge.splits import check_ratios, split_of
from corpusforge.tokenizer.symbols import exported_names

ROOT = Path(__file__).resolve().parents[2]


def test_exported_names_qualify_namespace_members_and_skip_private_ones():
    names = exported_names("""
export declare namespace UI { function useThing<T>(x: T): T; type Props = {}; }
export declare const API: { get(): void };
declare function hidden(): void;
export interface Shape { a: number }
function alsoHidden() {}
""")
    assert names == ["UI", "UI.useThing", "UI.Props", "API", "API.get", "Shape"]


def test_exported_const_object_types_give_their_members_qualified():
    names = exported_names("""
export const NS: { hook(): void; client: { get<T>(p: string): T; base: string }; ref: Client };
export const plain: number;
const internal: { secret(): void };
""")
    assert names == ["NS", "NS.hook", "NS.client", "NS.client.get", "NS.client.base", "NS.ref", "plain"]


def test_shipped_framework_namespace_members_are_symbols():
    from corpusforge.tokenizer.symbols import framework_symbols

    names = set(framework_symbols(ROOT / "conf" / "framework"))
    assert {"DFrame.useState", "DFrame.useEffect", "ONCE.apiClient", "ONCE.reportError",
            "ONCE.errors.ApiError"} <= names


def test_splits_follow_ratios_and_never_split_an_origin():
    settings = SplitSettings(train=0.8, val=0.1, test=0.1, seed=3)
    origins = [f"pkg-{i}@1.0.0" for i in range(5000)]
    counts = Counter(split_of(o, settings) for o in origins)
    assert abs(counts["train"] / 5000 - 0.8) < 0.03
    assert abs(counts["val"] / 5000 - 0.1) < 0.02
    # Same origin, same split, whatever the document.
    assert {split_of("react-todo", settings) for _ in range(10)} == {split_of("react-todo", settings)}
    assert split_of("x", SplitSettings(seed=1)) in ("train", "val", "test")


def test_split_ratios_must_add_up():
    with pytest.raises(ConfigError, match="add up"):
        check_ratios(SplitSettings(train=0.9, val=0.2, test=0.1))


def _stats(framework: int, aligned: int, public: int, text: int) -> dict[str, CategoryStats]:
    # 3 bytes per token and 1000 tokens per file, for easy arithmetic.
    return {c: CategoryStats(c, t // 1000, t, t * 3, t * 3)
            for c, t in (("framework", framework), ("aligned", aligned), ("public", public), ("text", text))}


def test_plan_meets_a_budget_by_repeating_framework_data_within_the_cap():
    budget = Budget(total_tokens=1_000_000, framework_share=0.3)
    plan = plan_budget("tiny", budget, _stats(100_000, 50_000, 600_000, 200_000), max_framework_epochs=4)
    assert plan.framework_needed == 300_000 and plan.public_needed == 700_000
    assert plan.framework_available == 150_000
    assert plan.framework_repeat == pytest.approx(2.0)
    assert plan.feasible and plan.framework_shortfall_tokens == 0


def test_plan_reports_exactly_how_much_framework_code_is_missing():
    budget = Budget(total_tokens=10_000_000, framework_share=0.5)
    plan = plan_budget("b", budget, _stats(200_000, 0, 9_000_000, 0), max_framework_epochs=4)
    # 5M framework tokens at 4 epochs need 1.25M unique; 200k exist.
    assert plan.framework_shortfall_tokens == 1_050_000
    assert plan.framework_shortfall_bytes == 3_150_000
    assert plan.framework_shortfall_files == 1050
    assert not plan.feasible
    assert plan.public_shortfall_tokens == 0
    assert "1.05M / 3.15 MB / 1.05k" in plan_markdown([plan])
    (line,) = plan_lines([plan])
    assert line.startswith(f"{plan.budget}: ") and "not feasible: 1.05M more framework tokens (3.15 MB, 1.05k files)" in line


def test_plan_without_any_framework_data_is_infeasible_not_a_crash():
    plan = plan_budget("b", Budget(total_tokens=100, framework_share=0.3), _stats(0, 0, 1000, 0), 4)
    assert math.isinf(plan.framework_repeat) and not plan.feasible
    assert "∞" in plan_markdown([plan])
    assert "repeat ∞×" in plan_lines([plan])[0]


def test_shipped_budgets_file_has_the_four_model_sizes():
    budgets = load_budgets(str(ROOT / "conf/budgets.yaml"))
    assert {n: (b.total_tokens, b.framework_share) for n, b in budgets.budgets.items()} == {
        "150m": (3_000_000_000, 0.5), "1.3b": (26_000_000_000, 0.3),
        "3b": (60_000_000_000, 0.3), "7b": (140_000_000_000, 0.3)}
    with pytest.raises(ConfigError, match="choose one of: 150m, 1.3b, 3b, 7b"):
        get_budget(budgets, "13b")
    table = economics_markdown(_stats(1000, 0, 1000, 1000), budgets)
    assert "0.33–0.40" in table and "| text |" in table


def test_missing_budgets_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="budgets file does not exist"):
        load_budgets(str(tmp_path / "nope.yaml"))


def test_shard_cli_flags_become_config_overrides():
    from corpusforge.cli import build_parser, config_from_args

    args = build_parser().parse_args(["shard", "--budget", "3b", "--scale", "1e-6",
                                      "--format", "megatron,arrow", "--format", "jsonl.zst"])
    config = config_from_args(args)
    assert (config.shards.budget, config.shards.scale) == ("3b", 1e-6)
    assert config.shards.formats == ["megatron", "arrow", "jsonl_zst"]
    with pytest.raises(ConfigError, match="shards.formats"):
        config_from_args(build_parser().parse_args(["shard", "--format", "parquet"]))
