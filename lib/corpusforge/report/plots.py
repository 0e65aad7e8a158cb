"""The report's plots: matplotlib figures rendered off-screen to PNG ``data:`` URIs.

Figures are built with the object API on the Agg canvas (no pyplot, no global state, no
display), and saved without a timestamp, so the same numbers give the same bytes.
"""

from __future__ import annotations

import base64
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corpusforge.report.gather import Histogram

COLORS = {"framework": "#1f77b4", "aligned": "#2ca02c", "public": "#ff7f0e", "text": "#9467bd"}
DPI = 100


def _png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _bars(ax, labels: list[str], values: list[float], color: str = "#4c72b0") -> None:
    positions = list(range(len(labels)))
    ax.barh(positions, values, color=color)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    for y, v in zip(positions, values):
        ax.annotate(f"{v:,.0f}", (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)


def funnel_plot(funnel: list[dict]) -> str:
    """Rows out and bytes out per stage (stages that write documents)."""
    rows = [r for r in funnel if r["bytes_out"] is not None]
    fig = Figure(figsize=(10, 3.2))
    left, right = fig.subplots(1, 2)
    labels = [r["stage"] for r in rows]
    _bars(left, labels, [r["rows_out"] for r in rows])
    left.set_title("rows out")
    _bars(right, labels, [r["bytes_out"] / 1e3 for r in rows], "#55a868")
    right.set_title("kB out (size_bytes / n_bytes)")
    return _png(fig)


def rejects_plot(rejects: list[dict], top: int = 25) -> str:
    """Rejected rows per (stage, reason), most first."""
    rows = sorted(rejects, key=lambda r: (-r["rows"], r["stage"], r["reason"]))[:top]
    fig = Figure(figsize=(10, 0.8 + 0.28 * max(len(rows), 1)))
    ax = fig.subplots()
    _bars(ax, [f"{r['stage']}: {r['reason']}" for r in rows], [r["rows"] for r in rows], "#c44e52")
    ax.set_xlabel("rejected rows")
    return _png(fig)


def license_plot(licenses: list[dict]) -> str:
    """Documents per license, split by the filter's decision."""
    names = sorted({r["license"] for r in licenses},
                   key=lambda n: -sum(r["documents"] for r in licenses if r["license"] == n))
    decisions = sorted({r["decision"] for r in licenses})
    fig = Figure(figsize=(10, 0.8 + 0.3 * max(len(names), 1)))
    ax = fig.subplots()
    base = [0.0] * len(names)
    palette = {"allowed": "#55a868", "exempt": "#4c72b0", "rejected": "#c44e52"}
    for d in decisions:
        values = [sum(r["documents"] for r in licenses if r["license"] == n and r["decision"] == d) for n in names]
        ax.barh(range(len(names)), values, left=base, label=d, color=palette.get(d))
        base = [b + v for b, v in zip(base, values)]
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlabel("documents")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def _hist(ax, h: Histogram, label: str | None = None, color: str | None = None) -> None:
    if label:  # overlaid distributions: outlines, so each stays readable
        ax.stairs(h.counts, h.edges, label=label, color=color, linewidth=1.8)
    else:
        widths = [b - a for a, b in zip(h.edges, h.edges[1:])]
        ax.bar(h.edges[:-1], h.counts, width=widths, align="edge", color=color,
               edgecolor="white", linewidth=0.3)
    if h.log:
        ax.set_xscale("log")


def histograms_plot(histograms: dict[str, Histogram], columns: int = 2) -> str:
    """One small histogram per named distribution."""
    names = list(histograms)
    rows = (len(names) + columns - 1) // columns
    fig = Figure(figsize=(10, 2.6 * rows))
    axes = fig.subplots(rows, columns, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        _hist(ax, histograms[names[i]])
        ax.set_title(names[i], fontsize=10)
        ax.set_ylabel("documents", fontsize=8)
    return _png(fig)


def cluster_plot(sizes: dict[int, int], similarity: Histogram | None) -> str:
    """Clusters per size, and the similarity of removed members to their representative."""
    fig = Figure(figsize=(10, 3))
    left, right = fig.subplots(1, 2)
    left.bar([str(s) for s in sizes], list(sizes.values()), color="#8172b2")
    left.set_xlabel("cluster size (documents)")
    left.set_ylabel("clusters")
    if similarity is not None:
        _hist(right, similarity)
        right.set_xlabel("similarity of removed member")
        right.set_ylabel("documents")
    else:
        right.set_visible(False)
    return _png(fig)


def rules_plot(rules: list[dict]) -> str:
    """Per rule: places rewritten (fired) and places matched but left untouched (unsupported)."""
    rows = [r for r in rules if r["kind"] != "constraint" and r["matched"]]
    fig = Figure(figsize=(10, 0.8 + 0.3 * max(len(rows), 1)))
    ax = fig.subplots()
    y = list(range(len(rows)))
    ax.barh(y, [r["fired"] for r in rows], color="#55a868", label="rewritten")
    ax.barh(y, [r["unsupported"] for r in rows], left=[r["fired"] for r in rows], color="#dd8452",
            label="matched, left untouched")
    ax.set_yticks(y, [r["rule"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("matches")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def shares_plot(shares: list[dict]) -> str:
    """Framework share per budget: target, achievable at the repeat cap, reached by the shards."""
    fig = Figure(figsize=(10, 3))
    ax = fig.subplots()
    names = [s["budget"] for s in shares]
    x = list(range(len(names)))
    series = (("target", "#4c72b0"), ("achievable", "#55a868"), ("sharded", "#c44e52"))
    width = 0.8 / len(series)
    for i, (key, color) in enumerate(series):
        values = [s.get(key) for s in shares]
        xs = [p + (i - 1) * width for p, v in zip(x, values) if v is not None]
        ax.bar(xs, [100 * v for v in values if v is not None], width=width, color=color, label=key)
    ax.set_xticks(x, names)
    ax.set_ylabel("framework share, %")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    return _png(fig)


def tokens_plot(histograms: dict[str, Histogram]) -> str:
    """Tokens per document by category (log-spaced bins)."""
    fig = Figure(figsize=(10, 3.2))
    ax = fig.subplots()
    for category, h in histograms.items():
        _hist(ax, h, label=category, color=COLORS.get(category))
    ax.set_xlabel("tokens per document")
    ax.set_ylabel("documents")
    ax.legend(fontsize=8)
    return _png(fig)
