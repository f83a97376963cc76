"""A self-contained HTML report of the KPIs: inline CSS and inline SVG charts, no script, nothing fetched.

Sections: headline figures; one bar chart per seed BCCI criterion (one bar per group against the threshold line);
the on-time rate per month in both readings (QĐ 766 pause and NĐ 61/2018 restart) with the online share; the full
table of indicators with numerator, denominator, value, threshold and verdict; the rules and their sources; and,
when a validation summary is given, the findings by code.

Elements carry classes and ``data-*`` attributes (``svg.chart[data-indicator]``, ``rect.bar[data-group]``,
``line.threshold``) so that tests — and other tools — can read the figures back from the rendered page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import expect, expect_optional
from tthc.kpi.indicators import Indicator

__all__ = ["render_html"]

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2733;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d8dee6}
.sub{color:#5a6776;margin:0 0 1rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d8dee6;border-radius:8px;padding:.6rem 1rem;min-width:10rem}
.card b{display:block;font-size:1.4rem}.card span{color:#5a6776;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{padding:.3rem .5rem;border-bottom:1px solid #e6eaf0;
text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f5f8;font-weight:600}.pass{color:#17663a;font-weight:600}.fail{color:#b3261e;font-weight:600}
.na{color:#7a8593}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1.5rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}.note{color:#5a6776;font-size:.85rem}
svg text{font:12px system-ui,sans-serif;fill:#1d2733}.legend span{display:inline-block;margin-right:1rem}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle;border-radius:2px}
"""

_PASS, _FAIL, _NEUTRAL = "#2e7d4f", "#c0392b", "#4a7fb5"
_TREND = (("on_time_rate", "#2e7d4f", "on time, QĐ 766 (pause)"), ("on_time_rate_restart", "#8e44ad",
          "on time, NĐ 61/2018 (restart)"), ("online_share", "#4a7fb5", "online share"))  # fmt: skip
BCCI = ("bcci_procedures_with_postal", "bcci_received_share", "bcci_returned_share")
_TITLES = {
    "dossiers": "dossiers",
    "bcci_procedures_with_postal": "BCCI 1 — procedures with ≥ 1 postal dossier or result",
    "bcci_received_share": "BCCI 2 — dossiers received by post",
    "bcci_returned_share": "BCCI 3 — results returned by post",
    "on_time_rate": "on-time rate (QĐ 766, supplement paused)",
    "on_time_rate_restart": "on-time rate (NĐ 61/2018 Điều 19.4, restart)",
    "online_share": "online share (QĐ 766 3.3)",
    "early_count": "early (trước hạn)",
    "on_time_count": "on time (đúng hạn)",
    "late_count": "late (trễ hạn)",
}


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v * 100:.2f} %"


def _bar_chart(indicator: str, rows: Sequence[Indicator]) -> str:
    """Horizontal bars, one per group, 0–100 %, with the threshold as a dashed vertical line."""
    label_w, bar_w, row_h, top = 110, 220, 24, 22
    height = top + row_h * max(len(rows), 1) + 24
    threshold = next((r.threshold for r in rows if r.threshold is not None), None)
    parts = [
        f'<svg class="chart bars" data-indicator="{escape(indicator)}" role="img" '
        f'aria-label="{escape(_TITLES.get(indicator, indicator))}" width="100%" '
        f'viewBox="0 0 {label_w + bar_w + 90} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * bar_w
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#e6eaf0"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">{int(tick * 100)}%</text>')
    for i, r in enumerate(rows):
        y = top + i * row_h
        name = r.group if len(r.group) <= 22 else r.group[:21] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(r.group)}</title>{escape(name)}</text>"
        )
        if r.value is None:
            parts.append(
                f'<text class="na" x="{label_w + 4}" y="{y + 15}" data-group="{escape(r.group)}">'
                "n/a (no dossiers)</text>"
            )
            continue
        w = max(min(r.value, 1.0), 0.0) * bar_w
        colour = _NEUTRAL if r.passed is None else _PASS if r.passed else _FAIL
        verdict = "" if r.passed is None else (" pass" if r.passed else " fail")
        parts.append(
            f'<rect class="bar{verdict}" data-group="{escape(r.group)}" data-value="{r.value:.6f}" x="{label_w}" '
            f'y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}" rx="2">'
            f"<title>{escape(r.group)}: {r.numerator}/{r.denominator} = {_pct(r.value)}</title></rect>"
        )
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{_pct(r.value)}</text>')
    if threshold is not None:
        x = label_w + threshold * bar_w
        op = next((r.comparison for r in rows if r.comparison), ">")
        parts.append(
            f'<line class="threshold" data-threshold="{threshold}" x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" '
            f'y2="{height - 20}" stroke="#1d2733" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(f'<text x="{x + 3:.1f}" y="{top - 10}">threshold {op} {threshold * 100:g}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def _trend_chart(by_month: Sequence[Indicator]) -> str:
    """Lines per month for the on-time rate (both readings) and the online share."""
    months = sorted({r.group for r in by_month})
    w, h, left, top, bottom = 900, 280, 44, 16, 40
    inner_w, inner_h = w - left - 16, h - top - bottom
    parts = [
        f'<svg class="chart trend" data-months="{len(months)}" role="img" aria-label="on-time rate per month" '
        f'width="100%" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + (1 - tick) * inner_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - 16}" y2="{y:.1f}" stroke="#e6eaf0"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{int(tick * 100)}%</text>')

    def x_of(i: int) -> float:
        return left + (inner_w * i / max(len(months) - 1, 1))

    step = max(1, -(-len(months) // 8))
    for i, m in enumerate(months):
        if i % step == 0 or i == len(months) - 1:
            anchor = "end" if i == len(months) - 1 and i else "middle"
            parts.append(f'<text x="{x_of(i):.1f}" y="{h - bottom + 16}" text-anchor="{anchor}">{escape(m)}</text>')
    table = {(r.group, r.indicator): r.value for r in by_month}
    for name, colour, label in _TREND:
        points = [(x_of(i), table.get((m, name))) for i, m in enumerate(months)]
        runs: list[list[tuple[float, float]]] = [[]]
        for x, v in points:
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x, top + (1 - v) * inner_h))
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline class="line" data-indicator="{name}" points="{pts}" fill="none" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
            for x, y in run:
                parts.append(
                    f'<circle class="point" data-indicator="{name}" cx="{x:.1f}" cy="{y:.1f}" r="2.5" '
                    f'fill="{colour}"><title>{escape(label)}</title></circle>'
                )
    parts.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{c}"></i>{escape(lbl)}</span>' for _, c, lbl in _TREND)
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _cell(r: Indicator) -> str:
    verdict = (
        '<span class="na">—</span>'
        if r.passed is None
        else ('<span class="pass">pass</span>' if r.passed else '<span class="fail">fail</span>')
    )
    den = "" if r.denominator is None else f"{r.denominator:,}"
    value = "" if r.denominator is None else ('<span class="na">n/a</span>' if r.value is None else _pct(r.value))
    thr = "" if r.threshold is None else f"{r.comparison or ''} {r.threshold * 100:g} %"
    return (
        f'<tr data-group="{escape(r.group)}" data-indicator="{escape(r.indicator)}"><td>{escape(r.group)}</td>'
        f"<td>{escape(_TITLES.get(r.indicator, r.indicator))}</td><td class=num>{r.numerator:,}</td>"
        f"<td class=num>{den}</td><td class=num>{value}</td><td class=num>{escape(thr)}</td><td>{verdict}</td></tr>"
    )


def _rows(value: object, field: str) -> tuple[Indicator, ...]:
    expected = "a sequence of Indicator"
    return tuple(expect(r, Indicator, field, expected) for r in expect(value, Sequence, field, expected))


def _count(summary: dict[str, object], key: str) -> int:
    value = summary.get(key, 0)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidValueError(f"validation.{key}", "a count (an int)", value)


def render_html(
    indicators: Sequence[Indicator],
    by_month: Sequence[Indicator] = (),
    *,
    title: str = "tthc — KPI report",
    subtitle: str = "",
    validation: dict[str, object] | None = None,
) -> str:
    """Render the report as one HTML document (UTF-8, no external resources, no script).

    Args:
        indicators: the rows of :func:`tthc.kpi.compute_kpis` for the chosen grouping (bars per group).
        by_month: the same indicators grouped by month (the trend chart); omitted → no trend chart.
        title, subtitle: headings.
        validation: ``ValidationSummary.to_dict()`` to include the findings by code.
    """
    indicators = _rows(indicators, "indicators")
    by_month = _rows(by_month, "by_month")
    expect(title, str, "title", "text")
    expect(subtitle, str, "subtitle", "text")
    expect_optional(validation, dict, "validation", "ValidationSummary.to_dict()")
    groups = sorted({r.group for r in indicators})
    by = {(r.group, r.indicator): r for r in indicators}
    total = sum(r.numerator for r in indicators if r.indicator == "dossiers")
    good = sum(r.numerator for r in indicators if r.indicator == "on_time_rate")
    judged = sum(r.denominator or 0 for r in indicators if r.indicator == "on_time_rate")
    online = sum(r.numerator for r in indicators if r.indicator == "online_share")
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(subtitle)}</p>' if subtitle else "",
        '<div class="cards">',
        f'<div class="card" data-figure="dossiers"><b>{total:,}</b><span>dossiers received</span></div>',
        f'<div class="card" data-figure="on_time_rate"><b>{_pct(good / judged if judged else None)}</b>'
        f"<span>on time (QĐ 766), {judged:,} judged</span></div>",
        f'<div class="card" data-figure="online_share"><b>{_pct(online / total if total else None)}</b>'
        "<span>received online</span></div>",
        f'<div class="card"><b>{len(groups):,}</b><span>groups</span></div>',
        "</div>",
        "<h2>Postal channel (BCCI) — seed criteria</h2>",
        '<p class="note">Bars are coloured green when the strict threshold is passed, red when not; '
        "“n/a” means no dossier of a procedure opened to BCCI (denominator 0).</p>",
        '<div class="charts">',
    ]
    for name in BCCI:
        rows = [by[(g, name)] for g in groups if (g, name) in by]
        out.append(f"<figure><figcaption>{escape(_TITLES[name])}</figcaption>{_bar_chart(name, rows)}</figure>")
    out.append("</div>")
    if by_month:
        out.append("<h2>On-time rate per month</h2>")
        out.append(
            '<p class="note">Judged month: the month a dossier finished (open dossiers: the month of the as-of '
            "instant). Online share by month of receipt.</p>"
        )
        out.append(f"<figure>{_trend_chart(by_month)}</figure>")
    out.append("<h2>All indicators</h2>")
    out.append(
        "<table class=indicators><thead><tr><th>group</th><th>indicator</th><th>numerator</th><th>denominator</th>"
        "<th>value</th><th>threshold</th><th>verdict</th></tr></thead><tbody>"
    )
    out.extend(_cell(r) for r in indicators)
    out.append("</tbody></table>")
    out.append(
        "<h2>Rules and sources</h2><table class=rules><thead><tr><th>indicator</th><th>rule</th><th>source</th>"
        "</tr></thead><tbody>"
    )
    seen: set[str] = set()
    for r in indicators:
        if r.indicator in seen:
            continue
        seen.add(r.indicator)
        out.append(f"<tr><td>{escape(r.indicator)}</td><td>{escape(r.rule)}</td><td>{escape(r.source)}</td></tr>")
    out.append("</tbody></table>")
    if validation is not None:
        out.append("<h2>Validation</h2>")
        out.append(
            f"<p>{_count(validation, 'rows'):,} rows: {_count(validation, 'valid_rows'):,} valid, "
            f"{_count(validation, 'invalid_rows'):,} invalid.</p>"
        )
        codes = validation.get("by_code") or []
        if isinstance(codes, list) and codes:
            out.append(
                "<table class=findings><thead><tr><th>code</th><th>count</th><th>what</th><th>source</th></tr>"
                "</thead><tbody>"
            )
            for c in codes:
                if isinstance(c, dict):
                    out.append(
                        f"<tr><td>{escape(str(c.get('code')))}</td><td class=num>{_count(c, 'count'):,}</td>"
                        f"<td>{escape(str(c.get('title', '')))}</td><td>{escape(str(c.get('source', '')))}</td></tr>"
                    )
            out.append("</tbody></table>")
    out.append(
        '<p class="note">Generated by tthc. Figures: numerator / denominator; ratios to 2 decimals '
        "(QĐ 766 convention).</p>"
    )
    out.append("</body></html>")
    return "\n".join(x for x in out if x)
