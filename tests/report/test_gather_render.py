"""The report's plain functions: histograms, funnel, coverage, validation, shares, rendering."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from corpusforge.report.gather import (ReportData, bin_edges, bin_index, budget_shares,
                                       cleaning_rows, funnel_rows, histogram, rule_coverage, unified_diff,
                                       validation_rates)
from corpusforge.report.render import SECTIONS, human, number, percent, render_html, render_markdown
from tests.report.pages import Resources

PLAN = {"economics": {"framework": {"documents": 10, "tokens": 5000, "chars": 20000, "bytes": 20000,
                                    "category": "framework", "tokens_per_char": 0.25,
                                    "tokens_per_byte": 0.25, "tokens_per_file": 500.0}},
        "plans": [
            {"budget": "150m", "total_tokens": 150_000_000, "framework_share": 0.5,
             "framework_needed": 75_000_000, "public_needed": 75_000_000, "framework_available": 5000,
             "public_available": 9000, "framework_repeat": 15000.0, "framework_epochs": 4.0,
             "public_epochs": 8333.3, "feasible": False, "framework_shortfall_tokens": 18_745_000,
             "framework_shortfall_bytes": 74_980_000, "framework_shortfall_files": 37490,
             "public_shortfall_tokens": 74_991_000, "seed_framework_gb": 0.3, "measured_framework_gb": 0.3},
            {"budget": "tiny", "total_tokens": 8000, "framework_share": 0.5, "framework_needed": 4000,
             "public_needed": 4000, "framework_available": 5000, "public_available": 9000,
             "framework_repeat": 0.8, "framework_epochs": 0.8, "public_epochs": 0.44, "feasible": True,
             "framework_shortfall_tokens": 0, "framework_shortfall_bytes": 0, "framework_shortfall_files": 0,
             "public_shortfall_tokens": 0, "seed_framework_gb": None, "measured_framework_gb": 0.0}]}
MANIFEST = {"budget": {"name": "150m", "framework_share": 0.5, "scale": 3e-5},
            "framework_share": {"train": 0.4987, "val": 0.2}}


def full_data() -> ReportData:
    runs = [{"stage": s, "rows_in": i, "rows_out": o, "rows_rejected": i - o}
            for s, i, o in (("filter", 90, 60), ("ingest", 100, 90), ("plan", 50, 50), ("dedup", 60, 55))]
    h = histogram([0.1, 0.2, 0.2, 0.9], 4)
    return ReportData(
        run_id="run-test", warehouse="/tmp/wh",
        funnel=funnel_rows(runs, {"ingest": 10_000, "filter": 8000, "dedup": 7000},
                           {"ingest": 500, "filter": 900}, ["ingest", "filter", "dedup", "plan"]),
        rejects=[{"stage": "filter", "reason": "license_missing", "rows": 20, "bytes": 700},
                 {"stage": "ingest", "reason": "binary", "rows": 10, "bytes": 500}],
        licenses=[{"decision": "allowed", "license": "MIT", "origins": 3, "documents": 40, "bytes": 5000},
                  {"decision": "rejected", "license": "GPL-3.0-or-later", "origins": 1, "documents": 5,
                   "bytes": 800}],
        cleaning=cleaning_rows({"cleaning.license_header": 7, "cleaning.license_header.edits": 7,
                                "cleaning.blank_lines": 3, "cleaning.blank_lines.edits": 12},
                               {"license_header": True, "blank_lines": True, "banners": False}),
        quality={"alnum_fraction": h, "mean_line_length": histogram([10, 20, 30, 80], 4)},
        dedup={"sizes": {1: 50, 2: 3, 5: 1}, "removed": [{"reason": "near_duplicate", "rows": 7, "bytes": 900}],
               "similarity": histogram([0.75, 0.8, 1.0], 4)},
        rules=rule_coverage([{"rule": "use-state", "kind": "rewrite", "fired": 8, "documents_fired": 4,
                              "unsupported": 2, "documents_unsupported": 1},
                             {"rule": "no-react", "kind": "constraint", "fired": 0, "documents_fired": 0,
                              "unsupported": 0, "documents_unsupported": 0}]),
        coverage={"rewritten": 4, "matched_left": 1, "no_match": 20, "framework": 10, "passed_through": 5,
                  "rejected": 2},
        validation=validation_rates(4, {"reparse_failed": 1, "not_idempotent": 1}, 30,
                                    {"files": 4, "failed": 1, "failed_unresolved_only": 1, "introduced": 1}),
        shares=budget_shares(PLAN, MANIFEST), plan=PLAN,
        tokens={"summary": [{"split": "train", "category": "public", "documents": 3, "tokens": 600,
                             "p50": 200, "p90": 300, "max": 300}],
                "histograms": {"public": histogram([100, 200, 300], 4, log=True)}},
        diffs=[{"origin": "app@1.0.0", "path": "src/App.tsx", "rules": ["use-state"], "cut": False,
                "diff": unified_diff("const x = useState(0);\n// see https://example.com <b>\n",
                                     "const x = DFrame.state(0);\n// see https://example.com <b>\n",
                                     "src/App.tsx", 80)[0]}])


def test_histogram_matches_numpy_away_from_edges():
    rng = np.random.default_rng(0)
    values = rng.uniform(0, 1, 500).tolist() + [0.0, 1.0]
    h = histogram(values, 10)
    expected, edges = np.histogram(values, bins=10, range=(0.0, 1.0))
    assert h.edges == pytest.approx(edges.tolist())
    # Values that sit on an inner edge may fall either side by rounding; none do here.
    assert h.counts == expected.tolist() and h.total == len(values)


def test_log_bins_are_geometric_and_clamp_below_one():
    edges = bin_edges(1, 10_000, 4, log=True)
    assert edges == pytest.approx([1, 10, 100, 1000, 10_000])
    assert [bin_index(v, edges, log=True) for v in (0, 1, 9, 10, 5000, 10_000)] == [0, 0, 0, 1, 3, 3]
    assert histogram([], 4) is None and histogram([3, 3], 2).counts == [2, 0]


def test_funnel_follows_pipeline_order_and_leaves_bytes_blank_where_not_measured():
    rows = full_data().funnel
    assert [r["stage"] for r in rows] == ["ingest", "filter", "dedup", "plan"]
    assert rows[0] == {"stage": "ingest", "rows_in": 100, "rows_out": 90, "rows_rejected": 10,
                       "bytes_out": 10_000, "bytes_rejected": 500}
    assert rows[2]["bytes_rejected"] is None and rows[3]["bytes_out"] is None


def test_rule_coverage_is_rewritten_over_matched():
    rules = rule_coverage([{"rule": "a", "kind": "rewrite", "fired": 3, "documents_fired": 2, "unsupported": 1,
                            "documents_unsupported": 1},
                           {"rule": "b", "kind": "rewrite", "fired": 0, "documents_fired": 0, "unsupported": 0,
                            "documents_unsupported": 0},
                           {"rule": "c", "kind": "constraint", "fired": 2, "documents_fired": 1,
                            "unsupported": 0, "documents_unsupported": 0}])
    assert [(r["rule"], r["matched"], r["coverage"]) for r in rules] == [("a", 4, 0.75), ("b", 0, None),
                                                                         ("c", 2, None)]


def test_validation_rates_count_each_check_over_what_reached_it():
    rows = {r["check"]: r for r in validation_rates(
        rewritten=10, transform_reasons={"parse_error": 2, "not_converged": 1, "reparse_failed": 1,
                                         "constraint:no-react": 3, "not_idempotent": 1},
        parsed_ok=48, typecheck=None)}
    assert (rows["input parses (tree-sitter)"]["checked"], rows["input parses (tree-sitter)"]["passed"]) == (50, 48)
    assert (rows["idempotent"]["checked"], rows["idempotent"]["passed"]) == (11, 10)
    assert (rows["constraints hold"]["checked"], rows["constraints hold"]["passed"]) == (14, 11)
    assert (rows["re-parse after rewrite"]["checked"], rows["re-parse after rewrite"]["passed"]) == (15, 14)
    assert (rows["rewrite converges"]["checked"], rows["rewrite converges"]["passed"]) == (16, 15)
    assert "type check (tsc --noEmit)" not in rows
    assert validation_rates(0, {}, 0, None)[1]["rate"] is None
    checked = {r["check"]: r for r in validation_rates(
        10, {}, 10, {"files": 8, "failed": 5, "failed_unresolved_only": 4, "introduced": 1})}
    assert (checked["type check (tsc --noEmit)"]["passed"], checked["rewrite adds no type error"]["passed"]) == (3, 7)
    without_originals = validation_rates(10, {}, 10, {"files": 8, "failed": 5, "failed_unresolved_only": 4})
    assert "rewrite adds no type error" not in {r["check"] for r in without_originals}


def test_budget_shares_combine_plan_and_manifest():
    shares = {s["budget"]: s for s in budget_shares(PLAN, MANIFEST)}
    # 150m: 5000 framework tokens × 4 epochs of 150M tokens; the shards reached 49.87% on their miniature.
    assert shares["150m"]["achievable"] == pytest.approx(20_000 / 150_000_000)
    assert shares["150m"]["sharded"] == 0.4987 and shares["150m"]["feasible"] is False
    assert shares["tiny"]["achievable"] == pytest.approx(0.5) and shares["tiny"]["sharded"] is None
    assert budget_shares(None, MANIFEST) == [{"budget": "150m", "target": 0.5, "achievable": None, "feasible": None,
                                              "repeat": None, "sharded": 0.4987, "scale": 3e-5}]


def test_cleaning_rows_list_every_step_and_outcome_in_order():
    rows = cleaning_rows({"cleaning.banners": 2, "cleaning.banners.edits": 5, "cleaning.unparsed": 1,
                          "cleaning.unparsed.edits": 1, "cleaning.future_step": 4}, {"banners": True})
    assert [r["step"] for r in rows] == ["line_endings", "license_header", "banners", "commented_code",
                                         "trailing_whitespace", "blank_lines", "kept_original", "unparsed",
                                         "future_step"]
    by_step = {r["step"]: r for r in rows}
    assert by_step["banners"] == {"step": "banners", "enabled": True, "documents": 2, "edits": 5}
    assert by_step["line_endings"]["documents"] == 0 and by_step["line_endings"]["enabled"] is None
    assert by_step["future_step"]["documents"] == 4


def test_unified_diff_is_cut_at_max_lines():
    before = "\n".join(f"line {i}" for i in range(50))
    after = before.replace("line 10", "LINE 10").replace("line 40", "LINE 40")
    diff, cut = unified_diff(before, after, "a.ts", 8)
    assert diff.splitlines()[0] == "--- a/a.ts" and len(diff.splitlines()) == 8 and cut
    assert "+LINE 10" in diff
    assert unified_diff(before, after, "a.ts", 100)[1] is False


def test_html_has_every_section_with_inline_images_and_no_network_resource():
    page = render_html(full_data())
    parser = Resources()
    parser.feed(page)
    assert parser.headings == [title for _, title in SECTIONS]
    assert parser.images and all(src.startswith("data:image/png;base64,") for src in parser.images)
    for src in parser.images:
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(u.startswith(("data:", "#")) for u in parser.urls), parser.urls
    assert "<link" not in page and "<script" not in page and "url(" not in page
    # Diff text is escaped, shown, and not turned into markup.
    assert "&lt;b&gt;" in page and '<span class="add">+const x = DFrame.state(0);</span>' in page
    assert "Not available" not in page
    assert "GPL-3.0-or-later" in page and "49.9%" in page and "18.7M tokens" in page


def test_missing_sections_say_why_instead_of_failing():
    data = ReportData(run_id="run-x", warehouse="/tmp/wh", funnel=full_data().funnel,
                      notes={"dedup": "dedup/clusters does not exist: the dedup stage has not run."})
    page, md = render_html(data), render_markdown(data)
    assert page.count('class="missing"') == len(SECTIONS) - 1
    assert "Not available: dedup/clusters does not exist: the dedup stage has not run." in page
    assert "_Not available: dedup/clusters does not exist" in md
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == [t for _, t in SECTIONS]


def test_markdown_holds_the_numbers_and_diffs():
    md = render_markdown(full_data())
    assert "| ingest | 100 | 90 | 10 | 10,000 | 500 |" in md
    assert "| filter | license_missing | 20 | 700 |" in md
    assert "| use-state | rewrite | 8 | 4 | 2 | 1 | 80.0% |" in md
    assert "| blank_lines | on | 3 | 12 |" in md and "| banners | off | 0 | 0 |" in md
    assert re.search(r"```diff\n--- a/src/App.tsx\n\+\+\+ b/src/App.tsx\n", md)
    assert "data:image" not in md


def test_same_data_renders_the_same_bytes():
    assert render_html(full_data()) == render_html(full_data())


def test_numbers_are_formatted_for_people():
    assert [percent(x) for x in (None, 0, 0.5, 0.000034, 7.4e-07, 0.0013)] == [
        "—", "0.0%", "50.0%", "0.0034%", "0.000074%", "0.1%"]
    assert [human(x) for x in (None, 950, 12_500, 3e9, float("inf"))] == ["—", "950", "12.5k", "3B", "∞"]
    assert [number(x) for x in (None, 1234567, 2.0, 0.12345, 1234.5)] == ["—", "1,234,567", "2", "0.123", "1,234"]
