"""The report job: one HTML page and one Markdown summary per run, from the warehouse's tables.

``gather`` reads the run's numbers (small aggregates, never whole tables) into plain values,
``plots`` draws them as PNG data URIs, ``render`` writes HTML and Markdown, ``stage`` is the
job's ``run(spark, config)``.
"""

from corpusforge.report.gather import ReportData
from corpusforge.report.render import SECTIONS, render_html, render_markdown

__all__ = ["ReportData", "SECTIONS", "render_html", "render_markdown"]
