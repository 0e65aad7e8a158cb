"""Plan job: measured token economics and, for each budget, what the corpus can support.

Answers the seed's question "do you have 2–60 GB of framework code?" for the user's own
data: per budget, the framework-style and public tokens needed, what the corpus has, the
repeat factor, and when it falls short, how much more framework code is needed in tokens,
bytes and files (from the measured ratios, not rules of thumb).
"""

from __future__ import annotations

import json

from pyspark.sql import SparkSession
from rich.console import Console
from rich.markdown import Markdown

from corpusforge import artifacts, tables
from corpusforge.budgets import (economics_markdown, get_budget, load_budgets, plan_all, plan_as_dict,
                                 plan_lines, plan_markdown, token_economics)
from corpusforge.config import Config
from corpusforge.errors import InputError
from corpusforge.stages import StageResult, finish_stage

STAGE = "plan"


def run(spark: SparkSession, config: Config, only: str | None = None,
        console: Console | None = None) -> StageResult:
    """Measure ``gold/tokens``, plan every budget (or ``only``), write and print the plan."""
    budgets = load_budgets(config.budgets.file)
    if only:
        budgets.budgets = {only: get_budget(budgets, only)}
    if not tables.table_exists(spark, config.warehouse, tables.GOLD_TOKENS):
        raise InputError("gold/tokens does not exist", path=tables.GOLD_TOKENS.path(config.warehouse),
                         stage=STAGE, hint="run ./spark-submit.sh encoder and ./spark-submit.sh encode first")
    tokens = tables.read_table(spark, config.warehouse, tables.GOLD_TOKENS)
    stats = token_economics(tokens, split="train")
    plans = plan_all(budgets, stats, config.budgets.max_framework_epochs, config.budgets.max_public_epochs)
    heading = f"# Budget plan, run {config.resolved_run_id()}\n\n"
    economics = economics_markdown(stats, budgets)
    text = (heading + "## Token economics (train split, measured with the trained tokenizer)\n\n"
            + economics
            + f"\n## Budgets (framework data repeated at most {config.budgets.max_framework_epochs:g}×)\n\n"
            + plan_markdown(plans))
    folder = artifacts.artifact_path(config.warehouse, "reports", config.resolved_run_id())
    artifacts.write_artifact(spark, f"{folder}/budget_plan.md", text.encode("utf-8"))
    payload = {"economics": {c: {**vars(s), "tokens_per_char": s.tokens_per_char,
                                 "tokens_per_byte": s.tokens_per_byte, "tokens_per_file": s.tokens_per_file}
                             for c, s in stats.items()},
               "plans": [plan_as_dict(p) for p in plans]}
    artifacts.write_artifact(spark, f"{folder}/budget_plan.json",
                             json.dumps(payload, indent=2, sort_keys=True).encode("utf-8"))
    # The terminal gets the economics table and a line per budget; the 12-column
    # feasibility table is in budget_plan.md (and the report), where it has room.
    out = console or Console(stderr=True)
    out.print(Markdown(heading + economics))
    for line in plan_lines(plans):
        out.print(line, highlight=False, soft_wrap=True)
    out.print(f"full plan: {folder}/budget_plan.md", highlight=False, soft_wrap=True)
    documents = sum(s.documents for s in stats.values())
    return finish_stage(spark, config.warehouse, config.resolved_run_id(),
                        StageResult(STAGE, documents, documents, 0, {}, {}))
