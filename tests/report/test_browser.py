"""The sample run's report.html in headless Chromium: every section, offline, and not blank."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from corpusforge.config import load_config
from corpusforge.report.render import SECTIONS
from tests.conftest import ROOT
from tests.report.pages import Resources

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"


def chromium(*args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with networking pointed nowhere, so a network asset could not load."""
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--host-resolver-rules=MAP * ~NOTFOUND", *args],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed "
                    "(apt-get install -y chromium; .ci/run installs it)")
def test_sample_report_renders_in_chromium(sample_run, tmp_path):
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    config = load_config(str(ROOT / "conf" / "local.yaml"), {"warehouse": str(sample_run.warehouse)})
    page = Path(sample_run.warehouse, "reports", config.resolved_run_id(), "report.html").resolve()
    # Chromium may not write into the shared warehouse: it reads a copy.
    copy = tmp_path / "report.html"
    shutil.copy(page, copy)

    dom = chromium("--dump-dom", copy.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = Resources()
    parsed.feed(dom.stdout)
    assert parsed.headings == [title for _, title in SECTIONS]
    assert len(parsed.images) >= 8 and all(src.startswith("data:image/png;base64,") for src in parsed.images)
    assert all(u.startswith(("data:", "#")) for u in parsed.urls), [u[:80] for u in parsed.urls]
    assert "Not available" not in dom.stdout  # the sample run runs every stage

    shot = tmp_path / "report.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1200,4000", copy.as_uri())
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    image = Image.open(shot).convert("L")
    assert image.size == (1200, 4000)
    # Not blank: many distinct grey levels and real contrast (plots, tables, text).
    assert len(image.getcolors(maxcolors=256 * 256) or []) > 50
    assert ImageStat.Stat(image).stddev[0] > 20
