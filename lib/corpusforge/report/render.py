"""The report as one self-contained HTML page and a Markdown summary.

The page loads nothing: styles are inline, plots are PNG ``data:`` URIs, and no element
refers to a network resource, so it opens the same offline, from an object store download,
or attached to a ticket. Every section is always present; a section whose stage did not run
says so.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

from corpusforge.report import plots
from corpusforge.report.gather import Histogram, ReportData

# (id, heading) in page order; tests assert every heading is on the page.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("funnel", "Funnel: rows and bytes per stage"),
    ("rejects", "Rejects by stage and reason"),
    ("licenses", "License compliance"),
    ("cleaning", "Code cleaning"),
    ("quality", "Quality score distributions"),
    ("dedup", "Dedup clusters"),
    ("rules", "Rewrite rules: fired and coverage"),
    ("validation", "Validation rates"),
    ("shares", "Framework share per budget"),
    ("tokens", "Token length distributions"),
    ("plan", "Budget feasibility"),
    ("diffs", "Sample rewrites (before / after)"),
)

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1100px;color:#222;line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}img{max-width:100%;display:block;margin:.5rem 0}
.missing{color:#8a6d3b;background:#fcf8e3;border:1px solid #faebcc;padding:.5rem .8rem;border-radius:4px}
.note{color:#555;font-size:.85rem}nav a{margin-right:.8rem;font-size:.85rem}
pre.diff{background:#f8f8f8;border:1px solid #ddd;padding:.5rem;overflow-x:auto;font-size:.78rem;line-height:1.3}
.add{color:#1a7f37;background:#e6ffec;display:block}.del{color:#cf222e;background:#ffebe9;display:block}
.hunk{color:#6639ba;display:block}
"""


@dataclass(frozen=True)
class Table:
    """A table both renderers draw; cells are already-formatted strings, ``numeric`` marks
    right-aligned columns."""

    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


def number(x: float | int | None) -> str:
    """1234567 → '1,234,567'; floats to three significant places; None/inf as text."""
    if x is None:
        return "—"
    if isinstance(x, float):
        if math.isinf(x):
            return "∞"
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    return f"{x:,}"


def human(x: float | int | None) -> str:
    """Large counts with a unit: 3.00B, 450M, 12.5k."""
    if x is None:
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= size:
            return f"{x / size:.3g}{unit}"
    return f"{x:.3g}" if isinstance(x, float) else str(x)


def percent(x: float | None) -> str:
    """0.5 → '50.0%'; shares under 0.1% keep two significant digits (0.0013%)."""
    if x is None:
        return "—"
    if 0 < abs(x) < 0.001:
        return f"{100 * x:.{1 - math.floor(math.log10(abs(100 * x)))}f}%"
    return f"{100 * x:.1f}%"


# ---------------------------------------------------------------- section contents


@dataclass
class Section:
    """One section's content: tables, plot data URIs, notes; ``missing`` replaces them all."""

    tables: list[Table]
    plots: list[str]
    notes: list[str]
    missing: str | None = None


def _histogram_table(histograms: dict[str, Histogram]) -> Table:
    rows = []
    for name, h in histograms.items():
        rows.append([name, number(h.total), number(h.edges[0]), number(h.edges[-1]),
                     number(max(h.counts)), f"{number(h.edges[h.counts.index(max(h.counts))])}–"
                     f"{number(h.edges[h.counts.index(max(h.counts)) + 1])}"])
    return Table(["distribution", "documents", "min", "max", "tallest bin", "its range"], rows,
                 frozenset({1, 2, 3, 4}))


def _funnel(d: ReportData) -> Section:
    rows = [[r["stage"], number(r["rows_in"]), number(r["rows_out"]), number(r["rows_rejected"]),
             number(r["bytes_out"]), number(r["bytes_rejected"])] for r in d.funnel]
    plot = [plots.funnel_plot(d.funnel)] if any(r["bytes_out"] is not None for r in d.funnel) else []
    return Section([Table(["stage", "rows in", "rows out", "rows rejected", "bytes out", "bytes rejected"],
                          rows, frozenset({1, 2, 3, 4, 5}))], plot,
                   ["Rows from meta/stage_runs for this run (each stage checks rows in = rows out + "
                    "rows rejected); bytes are size_bytes of the stage's output table (n_bytes for "
                    "gold/tokens) and of its rejects."])


def _rejects(d: ReportData) -> Section:
    if not d.rejects:
        return Section([], [], ["No row was rejected."])
    by_stage: dict[str, list[int]] = {}
    for r in d.rejects:
        t = by_stage.setdefault(r["stage"], [0, 0])
        t[0] += r["rows"]
        t[1] += r["bytes"]
    totals = Table(["stage", "rows", "bytes"], [[s, number(v[0]), number(v[1])] for s, v in by_stage.items()],
                   frozenset({1, 2}))
    detail = Table(["stage", "reason", "rows", "bytes"],
                   [[r["stage"], r["reason"], number(r["rows"]), number(r["bytes"])] for r in d.rejects],
                   frozenset({2, 3}))
    return Section([totals, detail], [plots.rejects_plot(d.rejects)], [])


def _licenses(d: ReportData) -> Section:
    rows = [[r["decision"], r["license"], number(r["origins"]), number(r["documents"]), number(r["bytes"])]
            for r in d.licenses]
    decided: dict[str, int] = {}
    for r in d.licenses:
        decided[r["decision"]] = decided.get(r["decision"], 0) + r["documents"]
    total = sum(decided.values())
    note = ", ".join(f"{k} {number(v)} ({percent(v / total if total else None)})" for k, v in sorted(decided.items()))
    return Section([Table(["decision", "license", "origins", "documents", "bytes"], rows, frozenset({2, 3, 4}))],
                   [plots.license_plot(d.licenses)] if d.licenses else [],
                   [f"Documents by the filter's license decision: {note}." if total else "No document was checked."])


def _cleaning(d: ReportData) -> Section:
    on_off = {True: "on", False: "off", None: "—"}
    rows = [[r["step"], on_off[r["enabled"]], number(r["documents"]), number(r["edits"])] for r in d.cleaning]
    return Section([Table(["step", "flag", "documents changed", "edits"], rows, frozenset({2, 3}))], [],
                   ["From the filter's meta/stage_runs counts. Each step is a filter.cleaning flag; "
                    "kept_original: the cleaned tree differed from the original (ignoring comments and "
                    "whitespace), so the document was kept as it was; unparsed: tree-sitter could not "
                    "parse it, so only line endings were normalised. License headers moved out of the "
                    "content are in silver/filtered.license_header. Documents that were nothing but "
                    "boilerplate are rejects (empty_after_cleaning)."])


def _quality(d: ReportData) -> Section:
    if not d.quality:
        return Section([], [], ["silver/filtered holds no document with these scores."])
    return Section([_histogram_table(d.quality)], [plots.histograms_plot(d.quality)],
                   ["Scores of the documents the filter kept (silver/filtered)."])


def _dedup(d: ReportData) -> Section:
    sizes = d.dedup["sizes"]
    clusters = sum(sizes.values())
    members = sum(s * n for s, n in sizes.items())
    size_table = Table(["cluster size", "clusters", "documents"],
                       [[number(s), number(n), number(s * n)] for s, n in sizes.items()], frozenset({0, 1, 2}))
    removed = Table(["reason", "documents removed", "bytes"],
                    [[r["reason"], number(r["rows"]), number(r["bytes"])] for r in d.dedup["removed"]],
                    frozenset({1, 2}))
    return Section([size_table, removed], [plots.cluster_plot(sizes, d.dedup["similarity"])] if sizes else [],
                   [f"{number(clusters)} cluster(s) holding {number(members)} document(s); "
                    f"{number(members - clusters)} removed as duplicates, one representative kept per cluster."])


def _rules(d: ReportData) -> Section:
    rows = [[r["rule"], r["kind"], number(r["fired"]), number(r["documents_fired"]), number(r["unsupported"]),
             number(r["documents_unsupported"]), percent(r["coverage"])] for r in d.rules]
    table = Table(["rule", "kind", "fired", "documents", "left untouched", "documents", "coverage"],
                  rows, frozenset({2, 3, 4, 5, 6}))
    sections = [table]
    notes = ["Coverage: of the places a rule matched, the share it rewrote; the rest were left "
             "untouched (unsupported uses). A constraint's `fired` counts matches left in outputs."]
    if d.coverage:
        c = d.coverage
        labels = (("rewritten", "rewritten (content changed)"),
                  ("matched_left", "matched, left untouched (unsupported use, reverted)"),
                  ("no_match", "no rule matched"), ("framework", "framework code (parsed, never rewritten)"),
                  ("passed_through", "other languages (passed through)"), ("rejected", "rejected by the transform"))
        total = sum(c.values())
        sections.insert(0, Table(["documents", "count", "share"],
                                 [[label, number(c[k]), percent(c[k] / total if total else None)]
                                  for k, label in labels], frozenset({1, 2})))
    fired = [r for r in d.rules if r["kind"] != "constraint" and r["matched"]]
    return Section(sections, [plots.rules_plot(d.rules)] if fired else [], notes)


def _validation(d: ReportData) -> Section:
    rows = [[r["check"], number(r["checked"]), number(r["passed"]), percent(r["rate"]), r["note"]]
            for r in d.validation]
    notes = [d.notes[k] for k in ("typecheck",) if k in d.notes]
    return Section([Table(["check", "checked", "passed", "rate", "what it means"], rows, frozenset({1, 2, 3}))],
                   [], notes)


def _shares(d: ReportData) -> Section:
    rows = [[s["budget"], percent(s["target"]), percent(s.get("achievable")),
             {True: "yes", False: "no", None: "—"}[s.get("feasible")],
             "—" if s.get("repeat") is None else f"{number(s['repeat'])}×", percent(s.get("sharded"))]
            for s in d.shares]
    notes = ["Target: the budget's framework share. Achievable: framework-style tokens the corpus supplies "
             "at the repeat cap (budgets.max_framework_epochs), over the budget. Sharded: the share in "
             "the train split the shard job wrote (its manifest)."]
    scaled = [s for s in d.shares if s.get("sharded") is not None and s.get("scale") not in (None, 1)]
    notes += [f"The {s['budget']} shards are a miniature at scale {s['scale']:g} of the budget, mixed to "
              "the same share." for s in scaled]
    return Section([Table(["budget", "target", "achievable", "feasible", "framework repeat", "sharded (train)"],
                          rows, frozenset({1, 2, 4, 5}))], [plots.shares_plot(d.shares)], notes)


def _tokens(d: ReportData) -> Section:
    rows = [[r["split"], r["category"], number(r["documents"]), number(r["tokens"]), number(r["p50"]),
             number(r["p90"]), number(r["max"])] for r in d.tokens["summary"]]
    table = Table(["split", "category", "documents", "tokens", "p50 tokens/doc", "p90", "max"], rows,
                  frozenset({2, 3, 4, 5, 6}))
    hist = d.tokens["histograms"]
    return Section([table], [plots.tokens_plot(hist)] if hist else [], ["All splits of gold/tokens."])


def _plan(d: ReportData) -> Section:
    tables = []
    economics = d.plan.get("economics", {})
    if economics:
        tables.append(Table(["category", "documents", "tokens", "tokens/char", "tokens/byte", "tokens/file"],
                            [[c, number(e["documents"]), number(e["tokens"]), f"{e['tokens_per_char']:.3f}",
                              f"{e['tokens_per_byte']:.3f}", number(round(e["tokens_per_file"]))]
                             for c, e in economics.items()], frozenset({1, 2, 3, 4, 5})))
    rows = []
    for p in d.plan.get("plans", []):
        more = ("—" if not p["framework_shortfall_tokens"] else
                f"{human(p['framework_shortfall_tokens'])} tokens / {human(p['framework_shortfall_bytes'])} bytes / "
                f"{human(p['framework_shortfall_files'])} files")
        repeat = p["framework_repeat"]
        rows.append([p["budget"], human(p["total_tokens"]), percent(p["framework_share"]),
                     human(p["framework_needed"]), human(p["framework_available"]),
                     "∞" if repeat is None else f"{human(repeat)}×", "yes" if p["feasible"] else "no", more,
                     human(p["public_needed"]), human(p["public_available"])])
    tables.append(Table(["budget", "tokens", "framework share", "framework needed", "framework have", "repeat",
                         "feasible", "more framework code needed", "public needed", "public have"],
                        rows, frozenset({1, 2, 3, 4, 5, 8, 9})))
    return Section(tables, [], ["From the plan stage (reports/<run_id>/budget_plan.json); tokens measured "
                                "with the trained tokenizer on the train split."])


def _diffs(d: ReportData) -> Section:
    if not d.diffs:
        return Section([], [], ["No document was rewritten, so there is no diff to show."])
    return Section([], [], [])


BUILDERS: dict[str, Callable[[ReportData], Section]] = {
    "funnel": _funnel, "rejects": _rejects, "licenses": _licenses, "cleaning": _cleaning, "quality": _quality, "dedup": _dedup,
    "rules": _rules, "validation": _validation, "shares": _shares, "tokens": _tokens, "plan": _plan,
    "diffs": _diffs}


def build_sections(d: ReportData) -> dict[str, Section]:
    """Every section's content, or why it is missing."""
    out = {}
    for sid, _ in SECTIONS:
        value = getattr(d, sid)
        note = d.notes.get(sid)
        if value is None:
            out[sid] = Section([], [], [], missing=note or "The stage that produces this section did not run.")
            continue
        section = BUILDERS[sid](d)
        if note:
            section.notes.append(note)
        out[sid] = section
    return out


# ---------------------------------------------------------------- HTML


def _html_table(t: Table) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in t.headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{e(c)}</td>' if i in t.numeric else f"<td>{e(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in t.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_diff(diff: dict) -> str:
    e = html.escape
    lines = []
    for line in diff["diff"].splitlines():
        cls = ("hunk" if line.startswith("@@") else "add" if line.startswith("+") and not line.startswith("+++")
               else "del" if line.startswith("-") and not line.startswith("---") else None)
        lines.append(f'<span class="{cls}">{e(line)}</span>' if cls else e(line) + "\n")
    rules = ", ".join(diff["rules"]) or "—"
    cut = '<p class="note">(diff cut at report.max_diff_lines)</p>' if diff["cut"] else ""
    return (f"<h3>{e(diff['origin'])}: {e(diff['path'])}</h3><p class=\"note\">rules applied: {e(rules)}</p>"
            f"<pre class=\"diff\">{''.join(lines)}</pre>{cut}")


def render_html(d: ReportData) -> str:
    """The report page: self-contained HTML (inline CSS, PNG data URIs, no external resource)."""
    e = html.escape
    sections = build_sections(d)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>corpusforge report {e(d.run_id)}</title><style>{STYLE}</style></head><body>",
             f"<h1>corpusforge report — run {e(d.run_id)}</h1>",
             f'<p class="note">warehouse: {e(d.warehouse)}</p>',
             "<nav>" + "".join(f'<a href="#{sid}">{e(title)}</a>' for sid, title in SECTIONS) + "</nav>"]
    for sid, title in SECTIONS:
        s = sections[sid]
        parts.append(f'<section id="{sid}"><h2>{e(title)}</h2>')
        if s.missing:
            parts.append(f'<p class="missing">Not available: {e(s.missing)}</p></section>')
            continue
        parts += [f'<p class="note">{e(n)}</p>' for n in s.notes]
        parts += [f'<img alt="{e(title)}" src="{uri}">' for uri in s.plots]
        parts += [_html_table(t) for t in s.tables]
        if sid == "diffs":
            parts += [_html_diff(diff) for diff in d.diffs or []]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- Markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(t: Table) -> str:
    align = ["---:" if i in t.numeric else "---" for i in range(len(t.headers))]
    lines = ["| " + " | ".join(_md_cell(h) for h in t.headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
    return "\n".join(lines)


def render_markdown(d: ReportData) -> str:
    """The report's numbers as Markdown (tables and notes; the plots are in report.html)."""
    sections = build_sections(d)
    out = [f"# corpusforge report — run {d.run_id}", "", f"warehouse: `{d.warehouse}`; plots: report.html", ""]
    for sid, title in SECTIONS:
        s = sections[sid]
        out += [f"## {title}", ""]
        if s.missing:
            out += [f"_Not available: {s.missing}_", ""]
            continue
        for n in s.notes:
            out += [n, ""]
        for t in s.tables:
            out += [_md_table(t), ""]
        if sid == "diffs":
            for diff in d.diffs or []:
                fence = "````" if "```" in diff["diff"] else "```"
                out += [f"### {diff['origin']}: {diff['path']}", "",
                        f"rules applied: {', '.join(diff['rules']) or '—'}", "", f"{fence}diff", diff["diff"], fence, ""]
                if diff["cut"]:
                    out += ["(diff cut at report.max_diff_lines)", ""]
    return "\n".join(out).rstrip() + "\n"
