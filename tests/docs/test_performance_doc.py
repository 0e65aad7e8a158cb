"""docs/PERFORMANCE.md collects the measured tables of README and docs/*.md: every row must be
one of theirs, and the summary may only cite numbers they report (none invented)."""

from __future__ import annotations

import re

from tests.conftest import ROOT

PAGE = ROOT / "docs" / "PERFORMANCE.md"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def sources() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in pages if p != PAGE)


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines()
            if line.startswith("|") and not re.fullmatch(r"\|[-:| ]+\|", line)]


def test_every_table_row_is_copied_from_a_source_page():
    source = sources()
    summary = PAGE.read_text(encoding="utf-8").split("## Summary", 1)[1].split("\n## ", 1)[0]
    copied = [r for r in table_rows(PAGE.read_text(encoding="utf-8")) if r not in table_rows(summary)]
    assert len(copied) >= 20
    missing = [r for r in copied if r not in source]
    assert not missing, "rows not found in README.md or docs/*.md (update PERFORMANCE.md):\n" + "\n".join(missing)


def test_summary_numbers_come_from_the_source_pages():
    source_numbers = set(NUMBER.findall(sources()))
    summary = PAGE.read_text(encoding="utf-8").split("## Summary", 1)[1].split("\n## ", 1)[0]
    rows = table_rows(summary)[1:]  # without the header
    assert {r.split("|")[1].strip() for r in rows} >= {"ingest", "filter", "transform", "encode"}
    for row in rows:
        invented = [n for n in NUMBER.findall(row) if n not in source_numbers]
        assert not invented, f"{invented} in {row!r} appear in no source page"


def test_every_page_linked_from_performance_exists():
    for link in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", PAGE.read_text(encoding="utf-8")):
        assert (PAGE.parent / link).resolve().is_file(), link
