"""Token budgets: measured token economics and the plan of what each model size needs.

The seed gives rules of thumb (tokens per character, GB per budget) that disagree with each
other; the planner uses the real tokenizer's counts of the real corpus instead and shows
the seed's figures beside them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from corpusforge.corpus import CATEGORIES, FRAMEWORK_STYLE
from corpusforge.errors import ConfigError


class Budget(BaseModel):
    """One model size's data budget."""

    model_config = ConfigDict(extra="forbid")
    total_tokens: int = Field(gt=0)
    framework_share: float = Field(ge=0, le=1, description="Least share of framework-style tokens.")
    seed_estimate: dict = Field(default_factory=dict, description="The seed's figures, shown only.")


class BudgetFile(BaseModel):
    """``conf/budgets.yaml``."""

    model_config = ConfigDict(extra="forbid")
    budgets: dict[str, Budget]
    seed_ratios: dict[str, dict[str, list[float]]] = Field(default_factory=dict)


def load_budgets(path: str) -> BudgetFile:
    """Read and validate the budgets file."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError("budgets file does not exist", path=path, stage="budgets",
                          hint="set budgets.file to a YAML file like conf/budgets.yaml")
    try:
        return BudgetFile.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ConfigError(f"invalid budgets file: {exc}".splitlines()[0], path=path,
                          stage="budgets") from None


def get_budget(budgets: BudgetFile, name: str) -> Budget:
    """The named budget, or one clear line naming the ones that exist."""
    if name not in budgets.budgets:
        raise ConfigError(f"no budget named {name!r}", stage="budgets",
                          hint=f"choose one of: {', '.join(budgets.budgets)}")
    return budgets.budgets[name]


@dataclass(frozen=True)
class CategoryStats:
    """Measured volume of one category of the tokenized corpus."""

    category: str
    documents: int
    tokens: int
    chars: int
    bytes: int

    @property
    def tokens_per_char(self) -> float:
        return self.tokens / self.chars if self.chars else 0.0

    @property
    def tokens_per_byte(self) -> float:
        return self.tokens / self.bytes if self.bytes else 0.0

    @property
    def tokens_per_file(self) -> float:
        return self.tokens / self.documents if self.documents else 0.0


def token_economics(tokens: DataFrame, split: str | None = None) -> dict[str, CategoryStats]:
    """Per-category documents, tokens, chars and bytes of ``gold/tokens`` (one small collect)."""
    if split:
        tokens = tokens.where(F.col("split") == split)
    rows = (tokens.groupBy("category")
            .agg(F.count("*").alias("documents"), F.sum("n_tokens").alias("tokens"),
                 F.sum("n_chars").alias("chars"), F.sum("n_bytes").alias("bytes")).collect())
    found = {r["category"]: CategoryStats(r["category"], r["documents"], int(r["tokens"]),
                                          int(r["chars"]), int(r["bytes"])) for r in rows}
    return {c: found.get(c, CategoryStats(c, 0, 0, 0, 0)) for c in CATEGORIES}


@dataclass(frozen=True)
class BudgetPlan:
    """What one budget needs from the corpus, and what is missing."""

    budget: str
    total_tokens: int
    framework_share: float
    framework_needed: int
    public_needed: int
    framework_available: int
    public_available: int
    framework_repeat: float
    framework_epochs: float
    public_epochs: float
    feasible: bool
    framework_shortfall_tokens: int
    framework_shortfall_bytes: int
    framework_shortfall_files: int
    public_shortfall_tokens: int
    seed_framework_gb: float | None
    measured_framework_gb: float


def _ratio_source(stats: dict[str, CategoryStats]) -> CategoryStats:
    # More framework code is like the framework code there is; failing that, like the
    # aligned code; failing that, like all code.
    for cat in ("framework", "aligned"):
        if stats[cat].tokens:
            return stats[cat]
    total = [s for s in stats.values()]
    return CategoryStats("all", sum(s.documents for s in total), sum(s.tokens for s in total),
                         sum(s.chars for s in total), sum(s.bytes for s in total))


def plan_budget(name: str, budget: Budget, stats: dict[str, CategoryStats],
                max_framework_epochs: float, max_public_epochs: float = 1.0) -> BudgetPlan:
    """How ``budget`` is met from the measured corpus.

    Framework-style data (framework + aligned) may be repeated up to ``max_framework_epochs``;
    when even that falls short, the shortfall is the extra unique framework-style data needed
    to reach the share at that cap, converted to bytes and files with the measured ratios of
    framework code.
    """
    framework_needed = round(budget.total_tokens * budget.framework_share)
    public_needed = budget.total_tokens - framework_needed
    framework_available = sum(stats[c].tokens for c in FRAMEWORK_STYLE)
    public_available = sum(stats[c].tokens for c in CATEGORIES if c not in FRAMEWORK_STYLE)
    # Nothing needed from a side is no repeat of it, even when that side is empty.
    repeat = framework_needed / framework_available if framework_available else (math.inf if framework_needed else 0.0)
    shortfall = max(0, math.ceil(framework_needed / max_framework_epochs) - framework_available)
    ratios = _ratio_source(stats)
    bytes_per_token = ratios.bytes / ratios.tokens if ratios.tokens else 0.0
    public_epochs = public_needed / public_available if public_available else (math.inf if public_needed else 0.0)
    seed_gb = budget.seed_estimate.get("framework_gb")
    return BudgetPlan(
        budget=name, total_tokens=budget.total_tokens, framework_share=budget.framework_share,
        framework_needed=framework_needed, public_needed=public_needed,
        framework_available=framework_available, public_available=public_available,
        framework_repeat=repeat, framework_epochs=min(repeat, max_framework_epochs),
        public_epochs=public_epochs,
        feasible=repeat <= max_framework_epochs and public_epochs <= max_public_epochs,
        framework_shortfall_tokens=shortfall,
        framework_shortfall_bytes=math.ceil(shortfall * bytes_per_token),
        framework_shortfall_files=math.ceil(shortfall / ratios.tokens_per_file) if ratios.tokens_per_file else 0,
        public_shortfall_tokens=max(0, math.ceil(public_needed / max_public_epochs) - public_available),
        seed_framework_gb=float(seed_gb) if seed_gb is not None else None,
        measured_framework_gb=framework_needed * bytes_per_token / 1e9)


def plan_all(budgets: BudgetFile, stats: dict[str, CategoryStats], max_framework_epochs: float,
             max_public_epochs: float = 1.0) -> list[BudgetPlan]:
    """A plan for every budget in the file, in file order."""
    return [plan_budget(n, b, stats, max_framework_epochs, max_public_epochs)
            for n, b in budgets.budgets.items()]


def supported_tokens(framework_share: float, stats: dict[str, CategoryStats], max_framework_epochs: float,
                     max_public_epochs: float = 1.0) -> int:
    """The largest total budget (tokens) the corpus fills at ``framework_share`` within the
    repeat caps: the biggest total :func:`plan_budget` calls feasible (0 when none is)."""
    framework = sum(stats[c].tokens for c in FRAMEWORK_STYLE) * max_framework_epochs
    public = sum(stats[c].tokens for c in CATEGORIES if c not in FRAMEWORK_STYLE) * max_public_epochs

    def feasible(total: int) -> bool:
        return total == 0 or plan_budget("", Budget(total_tokens=total, framework_share=framework_share),
                                         stats, max_framework_epochs, max_public_epochs).feasible

    # Above this bound one side needs more than it has even after the plan rounds the
    # framework side to whole tokens; feasibility only falls as the total grows.
    limits = ([(framework + 1) / framework_share] if framework_share > 0 else []) + \
             ([(public + 1) / (1 - framework_share)] if framework_share < 1 else [])
    low, high = 0, math.floor(min(limits)) + 1
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if feasible(middle) else (low, middle)
    return high if feasible(high) else low


def _n(x: float) -> str:
    if x == math.inf:
        return "∞"
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= size:
            return f"{x / size:.2f}{unit}"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


def _bytes(x: float) -> str:
    """Bytes with a binary-free SI unit: 14.48 GB, not the token-style 14.48B."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(x) >= size:
            return f"{x / size:.2f} {unit}"
    return f"{x:.0f} B"


def economics_markdown(stats: dict[str, CategoryStats], budgets: BudgetFile) -> str:
    """Measured tokens per char/byte/file by category, beside the seed's rules of thumb."""
    seed = budgets.seed_ratios
    lines = ["| category | documents | tokens | tokens/char | tokens/byte | tokens/file | seed tokens/char |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for s in stats.values():
        ref = seed.get("text" if s.category == "text" else "code", {}).get("tokens_per_char")
        ref_text = f"{ref[0]:.2f}–{ref[1]:.2f}" if ref and ref[0] != ref[1] else (f"{ref[0]:.2f}" if ref else "")
        lines.append(f"| {s.category} | {s.documents} | {s.tokens} | {s.tokens_per_char:.3f} | "
                     f"{s.tokens_per_byte:.3f} | {s.tokens_per_file:.0f} | {ref_text} |")
    return "\n".join(lines) + "\n"


def plan_markdown(plans: list[BudgetPlan]) -> str:
    """The feasibility table: one row per budget."""
    lines = ["| budget | tokens | framework share | framework needed | framework have | repeat | "
             "feasible | more framework code needed (tokens / bytes / files) | public needed | public have | "
             "seed framework GB | measured framework GB |",
             "|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|"]
    for p in plans:
        more = ("—" if not p.framework_shortfall_tokens else
                f"{_n(p.framework_shortfall_tokens)} / {_bytes(p.framework_shortfall_bytes)} / "
                f"{_n(p.framework_shortfall_files)}")
        lines.append(
            f"| {p.budget} | {_n(p.total_tokens)} | {p.framework_share:.0%} | {_n(p.framework_needed)} | "
            f"{_n(p.framework_available)} | {_n(p.framework_repeat)}× | {'yes' if p.feasible else 'no'} | "
            f"{more} | {_n(p.public_needed)} | {_n(p.public_available)} | "
            f"{'' if p.seed_framework_gb is None else p.seed_framework_gb} | {p.measured_framework_gb:.1f} |")
    return "\n".join(lines) + "\n"


def plan_lines(plans: list[BudgetPlan]) -> list[str]:
    """One line per budget for the terminal (the full table is in budget_plan.md)."""
    lines = []
    for p in plans:
        head = (f"{p.budget}: {_n(p.total_tokens)} tokens, {p.framework_share:.0%} framework "
                f"(needs {_n(p.framework_needed)}, have {_n(p.framework_available)}, repeat {_n(p.framework_repeat)}×)")
        if p.feasible:
            lines.append(f"{head} — feasible")
        else:
            more = (f"{_n(p.framework_shortfall_tokens)} more framework tokens ({_bytes(p.framework_shortfall_bytes)}, "
                    f"{_n(p.framework_shortfall_files)} files)" if p.framework_shortfall_tokens else "")
            public = f"{_n(p.public_shortfall_tokens)} more public tokens" if p.public_shortfall_tokens else ""
            lines.append(f"{head} — not feasible: " + "; ".join(x for x in (more, public) if x))
    return lines


def plan_as_dict(plan: BudgetPlan) -> dict:
    """JSON-ready form (infinities as null)."""
    return {k: (None if isinstance(v, float) and math.isinf(v) else v) for k, v in asdict(plan).items()}
