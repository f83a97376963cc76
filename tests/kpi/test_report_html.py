"""The HTML KPI report: self-contained (inline CSS and SVG, no script, nothing fetched) and readable in a real
browser (headless Chromium, marked ``browser``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.cli import main
from tthc.kpi.indicators import KpiOptions, compute_kpis
from tthc.kpi.report_html import render_html
from tthc.records.sample import sample_path
from tthc.validation.run import validate_files

CAT = Catalog.sample()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("html") / "kpi.html"
    assert main(["kpi", "--sample", "--by", "agency", "--html", str(out)]) in (0, 1)
    return out, out.read_text(encoding="utf-8")


def test_report_is_self_contained(report: tuple[Path, str]) -> None:
    _, html = report
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html.lower()
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}


def test_report_has_bars_thresholds_trend_and_tables(report: tuple[Path, str]) -> None:
    _, html = report
    assert html.count('class="chart bars"') == 3
    assert len(re.findall(r'<rect class="bar', html)) == 3 * 6  # three criteria, six agencies
    assert html.count('class="threshold"') == 3
    assert 'class="chart trend"' in html
    assert 'class="bar fail"' in html
    assert 'class="bar pass"' in html
    assert "<table class=indicators>" in html
    assert "<table class=rules>" in html


def test_na_is_shown_not_zero() -> None:
    s = validate_files([sample_path()], CAT)
    ind = compute_kpis(s.kpi, CAT, KpiOptions(by="procedure"))
    html = render_html(ind)
    assert "n/a (no dossiers)" in html  # procedures without a postal channel: denominator 0


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (Debian package 'chromium'; CI installs it)")


def _run_chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]  # fmt: skip
    return subprocess.run([*base, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.browser
def test_report_renders_in_a_real_browser(report: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = report
    done = _run_chromium(["--dump-dom", path.as_uri()], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert len(re.findall(r'<rect class="bar', dom)) == 18
    assert dom.count('class="threshold"') == 3
    assert "KPI report" in dom
    assert "000.00.12.H21" in dom
    assert "Uncaught" not in done.stderr
    shot = tmp_path / "kpi.png"
    done = _run_chromium(["--window-size=1280,1400", f"--screenshot={shot}", path.as_uri()], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000
