"""The KPI report a provincial official can act on: Vietnamese by default, agency names, a summary first, ✓ / ✗
marks, numerator / denominator beside every percentage, labels clear of the threshold lines, the minimum-n rule,
print styles, the footer's versions — and the same page read back from a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError
from tthc.kpi.agency_names import AgencyNames
from tthc.kpi.indicators import Indicator, KpiOptions, KpiRules, compute_kpis
from tthc.kpi.report_html import MIN_DOSSIERS, render_html
from tthc.records.sample import sample_path
from tthc.validation.run import validate_files

CAT = Catalog.sample()
WHEN = datetime(2026, 3, 2, 17, 0)
VERSIONS = {"tthc": "9.9.9", "calendar": "2026-abcdef12", "kpi_rules": "kpi_rules.json 0123abcd"}


@pytest.fixture(scope="module")
def summary():  # type: ignore[no-untyped-def]
    return validate_files([sample_path()], CAT)


def _ind(group: str, indicator: str, num: int, den: int | None, thr: float | None = None) -> Indicator:
    value = None if den is None or den == 0 else num / den
    passed = None if thr is None or value is None else value > thr
    return Indicator(
        group=group, indicator=indicator, numerator=num, denominator=den, value=value, threshold=thr,
        passed=passed, comparison=">" if thr is not None else None, rule="r", source="s",
    )  # fmt: skip


# agencies of two provinces, one without a figure: failing 2 of 4 on criterion 2, none on criterion 1
ROWS = [
    _ind("000.00.12.H21", "dossiers", 40, None),
    _ind("000.00.12.H21", "bcci_procedures_with_postal", 3, 4, 0.5),
    _ind("000.00.12.H21", "bcci_received_share", 5, 40, 0.1),
    _ind("000.00.00.H48", "dossiers", 100, None),
    _ind("000.00.00.H48", "bcci_procedures_with_postal", 2, 2, 0.5),
    _ind("000.00.00.H48", "bcci_received_share", 10, 100, 0.1),  # exactly 10 %: fails the strict criterion
    _ind("000.00.31.H21", "dossiers", 7, None),
    _ind("000.00.31.H21", "bcci_procedures_with_postal", 0, 0, 0.5),  # n/a
    _ind("000.00.31.H21", "bcci_received_share", 0, 7, 0.1),
    _ind("000.00.99.H99", "dossiers", 9, None),
    _ind("000.00.99.H99", "bcci_procedures_with_postal", 1, 1, 0.5),
    _ind("000.00.99.H99", "bcci_received_share", 3, 9, 0.1),
]
NAMES = AgencyNames({"000.00.12.H21": "Sở Tư pháp"})


def _page(lang: str | None = "vi", **kw: object) -> str:
    return render_html(ROWS, lang=lang, agency_names=NAMES, generated_at=WHEN, versions=VERSIONS, **kw)  # type: ignore[arg-type]


def test_summary_comes_first_and_names_who_fails_in_vietnamese() -> None:
    html = _page()
    assert '<html lang="vi">' in html
    assert html.index('id="summary"') < html.index('class="scorecard"') < html.index('class="chart bars"')
    items = re.findall(r"<li [^>]*data-indicator=\"(\w+)\"[^>]*>([^<]*)</li>", html)
    assert items == [
        (
            "bcci_procedures_with_postal",
            "Không có cơ quan nào không đạt Tiêu chí 1 BCCI (&gt; 50 %). Chưa có số liệu (mẫu số bằng 0): "
            "000.00.31.H21 (Gia Lai).",
        ),
        (
            "bcci_received_share",
            "2/4 cơ quan không đạt Tiêu chí 2 BCCI (&gt; 10 %): UBND tỉnh Quảng Ngãi (000.00.00.H48); "
            "000.00.31.H21 (Gia Lai).",
        ),
    ]


def test_summary_in_english_on_request_singular_and_plural() -> None:
    html = _page("en")
    assert '<html lang="en">' in html
    assert (
        "2 of 4 agencies fail BCCI criterion 2 (&gt; 10 %): Quảng Ngãi Provincial People&#x27;s Committee "
        "(000.00.00.H48); 000.00.31.H21 (Gia Lai)." in html
    )
    one = render_html(ROWS[:6], lang="en", generated_at=WHEN, versions=VERSIONS)
    assert "1 of 2 agencies fails BCCI criterion 2 (&gt; 10 %)" in one
    assert "All 2 agencies meet BCCI criterion 1 (&gt; 50 %)." in one


def test_default_language_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    html = render_html(ROWS, generated_at=WHEN, versions=VERSIONS)
    assert '<html lang="vi">' in html
    assert "<h1>tthc — Báo cáo chỉ số</h1>" in html


def test_scorecard_marks_every_verdict_with_numerator_and_denominator() -> None:
    html = _page()
    card = html[html.index('<table class="scorecard">') : html.index("</table>", html.index('class="scorecard"'))]
    assert card.count('data-passed="true"') == 5
    assert card.count('data-passed="false"') == 2
    assert card.count(">✓</span>") == 5
    assert card.count(">✗</span>") == 2  # the mark, not the colour alone
    assert '<span class="mark">✗</span>10,00 %<small>10/100</small>' in card
    assert '<span class="mark">✓</span>12,50 %<small>5/40</small>' in card
    assert "N/A<small>0/0</small>" in card
    assert '<th scope="row">Sở Tư pháp<small>000.00.12.H21</small></th>' in card
    assert '<th scope="row">000.00.99.H99</th>' in card  # an unknown code is shown as the code
    assert "Tiêu chí 2 BCCI<small>&gt; 10 %</small>" in card


_TEXT = re.compile(
    r'<text class="([^"]*)"(?: data-group="[^"]*")? x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(\w+)")?>(.*?)</text>'
)


def _label_boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    boxes = []
    for cls, x, y, anchor, body in _TEXT.findall(svg):
        text = re.sub(r"<[^>]+>", "", re.sub(r"<title>.*?</title>", "", body))
        w = len(text) * 7.2 * 0.95  # the chart font's glyphs are narrower than the layout's generous estimate
        x0 = float(x) - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
        boxes.append((x0, float(y) - 11, x0 + w, float(y) + 3, cls))
    return boxes


@pytest.mark.parametrize("value", [0.02, 0.05, 0.08, 0.095, 0.10, 0.12, 0.5, 1.0])
def test_value_labels_never_cross_the_threshold_line_nor_each_other(value: float) -> None:
    rows = [_ind(f"000.00.{i:02d}.H21", "bcci_received_share", int(value * 1000) + i, 1000, 0.1) for i in range(5)]
    rows.append(_ind("000.00.77.H21", "bcci_received_share", 0, 0, 0.1))  # the n/a label starts at the axis
    html = render_html(rows, lang="vi", generated_at=WHEN, versions=VERSIONS)
    start = html.index('<svg class="chart bars" data-indicator="bcci_received_share"')
    svg = html[start : html.index("</svg>", start)]
    x_t = float(re.search(r'class="threshold" data-threshold="0.1" x1="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    boxes = _label_boxes(svg)
    values = [b for b in boxes if b[4].startswith("value")]
    assert len(values) == 6
    for x0, _, x1, _, _ in values + [b for b in boxes if b[4] == "threshold-label"]:
        assert not (x0 - 2 <= x_t <= x1 + 2), (x0, x1, x_t)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)


def test_months_with_too_few_dossiers_are_greyed_out_and_said(summary) -> None:  # type: ignore[no-untyped-def]
    by_month = compute_kpis(summary.kpi, CAT, KpiOptions(by="month"), lang="vi")
    agency = compute_kpis(summary.kpi, CAT, KpiOptions(by="agency"), lang="vi")
    judged = {r.group: r.denominator for r in by_month if r.indicator == "on_time_rate"}
    received = {r.group: r.numerator for r in by_month if r.indicator == "dossiers"}
    for n in (MIN_DOSSIERS, 100):
        html = render_html(agency, by_month, lang="vi", min_dossiers=n, generated_at=WHEN, versions=VERSIONS)
        thin = set(re.findall(r'<g class="month thin" data-month="([\d-]+)"', html))
        assert thin == {m for m in judged if (judged[m] or 0) < n or received.get(m, 0) < n}
        months = re.findall(
            r'<g class="month[^"]*" data-month="([\d-]+)" data-judged="(\d+)" data-received="(\d+)"', html
        )
        assert {(m, int(j), int(r)) for m, j, r in months} == {(m, judged[m] or 0, received.get(m, 0)) for m in judged}
        assert f"Tháng có ít hơn {n} hồ sơ được tô xám" in html
        listed = "; ".join(
            f"{m[5:]}/{m[:4]} ({judged[m] or 0}/{received.get(m, 0)})" for m in sorted(thin)
        )  # every thin month is named with its dossiers judged / received
        assert f"Tô xám: {listed}." in html
    assert len(thin) > 5  # at 100, many months are thin
    with pytest.raises(InvalidValueError, match="min_dossiers"):
        render_html(agency, min_dossiers=-1)


def test_footer_print_styles_and_self_containment() -> None:
    html = _page()
    assert (
        "Lập lúc 17:00 ngày 02/03/2026; tthc 9.9.9; dữ liệu lịch 2026-abcdef12; quy tắc chỉ số kpi_rules.json 0123abcd."
        in html
    )
    assert "@page{size:A4" in html
    assert "@media print{" in html
    assert "break-inside:avoid" in html
    assert "<script" not in html
    assert "<link" not in html


def test_default_versions_name_the_rules_as_applied(summary) -> None:  # type: ignore[no-untyped-def]
    from tthc._version import __version__
    from tthc.calendar.data_version import calendar_data_version
    from tthc.kpi.report_html import report_versions

    bundled = report_versions()
    assert bundled["tthc"] == __version__
    assert bundled["calendar"] == calendar_data_version()
    assert bundled["kpi_rules"].startswith("kpi_rules.json ")
    changed = report_versions(KpiRules.default().with_thresholds({"bcci_received_share": 0.5}))
    assert changed["kpi_rules"].endswith("(custom)")


def test_rules_texts_follow_the_language(summary) -> None:  # type: ignore[no-untyped-def]
    vi = compute_kpis(summary.kpi, CAT, KpiOptions(by="total"), lang="vi")
    en = compute_kpis(summary.kpi, CAT, KpiOptions(by="total"), lang="en")
    r2 = next(r for r in vi if r.indicator == "bcci_received_share")
    assert r2.rule.startswith("số hồ sơ tiếp nhận qua dịch vụ BCCI / tổng số hồ sơ (qua BCCI và qua các hình thức")
    assert r2.rule.endswith(
        "; TTHC đã triển khai qua dịch vụ BCCI = TTHC có hình thức nộp qua dịch vụ bưu chính trong danh mục"
    )
    assert [(r.numerator, r.denominator, r.passed) for r in vi] == [(r.numerator, r.denominator, r.passed) for r in en]
    assert next(r for r in en if r.indicator == "dossiers").source == "count of dossier records"


def test_every_human_facing_rule_text_has_both_languages() -> None:
    import unicodedata

    from tthc.foundation.data_files import load_json

    raw = load_json("kpi_rules.json")["indicators"]
    for name, entry in raw.items():
        for en, vi in (("name", "name_vi"), ("short", "short_vi"), ("rule", "rule_vi")):
            assert entry.get(en)
            assert entry.get(vi), f"{name}: {en} / {vi}"
            assert unicodedata.is_normalized("NFC", entry[vi])
        assert entry.get("name_source"), name
    letter = raw["bcci_received_share"]["name_vi"]
    assert letter == "Tỷ lệ hồ sơ TTHC được tiếp nhận qua dịch vụ BCCI"  # as the Gia Lai 2020 letter words it


# ------------------------------------------------------------------------------------------------------ browser


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


def _artefacts() -> Path:
    root = Path(__file__).resolve().parents[2]
    folder = Path(os.environ.get("TTHC_ARTEFACTS") or root / ".ci" / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# measures every chart label in the rendered page (real fonts) and writes the boxes into the DOM for --dump-dom;
# added to a copy of the report only: the report itself holds no script
_MEASURE = """<script>
addEventListener('load', () => {
  const out = [];
  document.querySelectorAll('svg.bars').forEach((svg, i) => {
    const m = svg.getScreenCTM();
    const box = el => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
    svg.querySelectorAll('text.value, text.threshold-label, line.threshold').forEach(el =>
      out.push({chart: i, kind: el.getAttribute('class'), box: box(el)}));
  });
  const pre = document.createElement('pre'); pre.id = 'boxes'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


@pytest.mark.browser
def test_rendered_report_summary_marks_and_label_boxes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    page = tmp_path / "kpi.html"
    assert main(["--lang", "vi", "kpi", "--sample", "--html", str(page)]) == 1
    capsys.readouterr()
    done = _run_chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    summary = re.findall(r'<li class="\w+" data-indicator="(\w+)"[^>]*>([^<]*)</li>', dom)
    assert summary[1] == (
        "bcci_received_share",
        "2/6 cơ quan không đạt Tiêu chí 2 BCCI (&gt; 10 %): 000.00.22.H48 (Quảng Ngãi); 000.00.53.H48 (Quảng Ngãi).",
    )
    card = dom[dom.index('<table class="scorecard">') :]
    card = card[: card.index("</table>")]
    assert card.count('<span class="mark">✓</span>') == 13
    assert card.count('<span class="mark">✗</span>') == 5
    assert card.count('data-passed="true"') == 13
    assert card.count('data-passed="false"') == 5
    # the real glyph boxes: no value label touches a threshold line
    measured = page.with_name("measured.html")
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    done = _run_chromium(["--dump-dom", measured.as_uri()], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    boxes = json.loads(re.search(r'<pre id="boxes">(.*?)</pre>', done.stdout, re.S).group(1))  # type: ignore[union-attr]
    assert len([b for b in boxes if b["kind"] == "threshold"]) == 3
    for chart in range(3):
        line = next(b["box"] for b in boxes if b["chart"] == chart and b["kind"] == "threshold")
        labels = [b["box"] for b in boxes if b["chart"] == chart and b["kind"] != "threshold"]
        assert len(labels) == 7  # six agencies and the threshold's own label
        for x0, y0, x1, y1 in labels:
            assert x1 < line[0] - 1 or x0 > line[2] + 1 or y1 < line[1], ((x0, y0, x1, y1), line)
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # the screenshot is kept as a CI artefact
    shot = _artefacts() / "kpi-report.png"
    done = _run_chromium(["--window-size=1280,2400", f"--screenshot={shot}", page.as_uri()], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"KPI report screenshot: {shot}")
