"""A self-contained HTML report of the KPIs that a provincial official can act on: inline CSS and inline SVG, no
script, nothing fetched; Vietnamese by default (``lang="en"`` for English).

Sections, in reading order: a summary first ("2 of 6 agencies fail BCCI criterion 2 (> 10 %): …"); the agency ×
indicator table with ✓ / ✗ marks and the numerator / denominator beside every percentage; headline figures; one bar
chart per seed BCCI criterion against its threshold line; the on-time rate per month in both readings (QĐ 766 pause,
NĐ 61/2018 restart) with the online share and the dossier counts under each month, months with fewer than
``min_dossiers`` dossiers greyed out; the full table of indicators; the rules and their sources; the validation
findings by code; a footer with the time of generation, the ``tthc`` version and the data versions (calendar, catalog,
KPI rules). Print styles lay it out on A4.

Agency codes are shown with their names as of the days of each agency's records
(:meth:`tthc.kpi.agency_names.AgencyNames.for_rows`: a province merged in 2025 is named as it was, as it is now
with the old name as a hint, or both). Elements carry classes and
``data-*`` attributes (``#summary li[data-indicator]``, ``table.scorecard td[data-passed]``, ``svg.chart``,
``rect.bar[data-group]``, ``line.threshold``, ``text.value``, ``g.month.thin``) so that tests — and other tools — can
read the figures back from the rendered page.

Why one module of this length: the page is one document — its CSS, the summary, the table and the charts share the
layout constants and the marks, and reading them together is how the page's order and print layout are checked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.data_files import as_file_path
from tthc.foundation.datetimes import parse_local_datetime
from tthc.foundation.i18n import N_, Lang, format_instant, format_number, gettext, resolve_lang
from tthc.foundation.words import words
from tthc.kpi.agency_names import AgencyName, AgencyNames
from tthc.kpi.defaults import MIN_DOSSIERS  # kept in a module the CLI's help can read
from tthc.kpi.indicators import INDICATORS, Indicator, KpiRules
from tthc.kpi.labels import (
    GROUP_HEADINGS,
    format_ratio,
    format_threshold,
    group_text,
    indicator_name,
    indicator_short,
    month_text,
    verdict_mark,
    verdict_word,
)

__all__ = ["BCCI", "MIN_DOSSIERS", "render_html", "report_versions"]

BCCI = ("bcci_procedures_with_postal", "bcci_received_share", "bcci_returned_share")
_VN = ZoneInfo("Asia/Ho_Chi_Minh")

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2733;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d8dee6}
.sub{color:#5a6776;margin:0 0 1rem}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d8dee6;border-radius:8px;padding:.6rem 1rem;min-width:10rem}
.card b{display:block;font-size:1.4rem}.card span{color:#5a6776;font-size:.85rem}
#summary ul{margin:.3rem 0;padding-left:1.2rem}#summary li{margin:.2rem 0}#summary li.fails{font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{padding:.3rem .5rem;border-bottom:1px solid #e6eaf0;
text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f5f8;font-weight:600}th small,td small{display:block;color:#5a6776;font-weight:400}
.pass{color:#17663a;font-weight:600}.fail{color:#b3261e;font-weight:600}.na{color:#7a8593}
table.scorecard td.pass{background:#eaf5ee}table.scorecard td.fail{background:#fbeceb}
.mark{font-weight:700;margin-right:.2rem}
.charts figure{margin:0 0 1.2rem}.charts svg{max-width:100%;height:auto}td.num{white-space:nowrap}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}.note{color:#5a6776;font-size:.85rem}
.scroll{overflow-x:auto}svg text{font:12px system-ui,sans-serif;fill:#1d2733}svg text.thin{fill:#9aa4b0}
.legend span{display:inline-block;margin-right:1rem}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle;border-radius:2px}
footer{margin-top:2rem;border-top:1px solid #d8dee6;padding-top:.5rem;color:#5a6776;font-size:.8rem}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h2{break-after:avoid}
figure,tr,.card,#summary{break-inside:avoid}.scroll{overflow:visible}
.scroll svg{width:100%;height:auto}section.indicators,section.rules{break-before:page}
th{background:#f3f5f8!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
td.pass,td.fail,rect,.sw{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

_PASS, _FAIL, _NEUTRAL, _THIN = "#2e7d4f", "#c0392b", "#4a7fb5", "#b8c0ca"
_TREND = (("on_time_rate", "#2e7d4f"), ("on_time_rate_restart", "#8e44ad"), ("online_share", "#4a7fb5"))
_CHAR_W: Final = 7.2
"""A generous width of one character of the 12 px chart font, used to keep labels clear of lines and each other
(system-ui glyphs average 6–7 px; the browser test measures the real boxes)."""

_NOUNS = {"agency": N_("agencies"), "procedure": N_("procedures"), "month": N_("months"), "group": N_("groups")}
# headings (marked here: gettext calls inside f-strings are not extracted)
_SUMMARY = N_("Summary")
_NO_THRESHOLD = N_("No indicator has a threshold: nothing to pass or fail.")
_MET = N_("Thresholds met")
_PER_MONTH = N_("On-time rate per month")
_VALIDATION = N_("Validation")
_SCORECARD = N_("Scorecard")
_BCCI_HEADING = N_("Postal channel (BCCI) — seed criteria")
_ALL_INDICATORS = N_("All indicators")
_RULES = N_("Rules and sources")
_CATALOG_DATA = N_("catalog data")
_FAILS_ONE = N_("{failed} of {total} {noun} fails {criterion} ({threshold}): {names}.")
_FAILS_MANY = N_("{failed} of {total} {noun} fail {criterion} ({threshold}): {names}.")
_AGENCY_ID = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _text_width(text: str) -> float:
    return len(text) * _CHAR_W


def _num(n: int, lang: Lang) -> str:
    return format_number(n, lang)


def _month_text(month: str, lang: Lang) -> str:
    return month_text(month, lang)


def _tick(ratio: float, lang: Lang) -> str:
    """An axis label: ``25 %`` (spaced as every percentage of the report, no decimals)."""
    return escape(format_ratio(ratio, lang, decimals=0))


_KINDS: Final = {"agency": "agency", "procedure": "procedure", "month": "month", "total": "group"}
"""The ``by`` of a KPI run -> how the report words its groups."""


def _group_kind(groups: Sequence[str]) -> str:
    if groups and all(_AGENCY_ID.fullmatch(g) for g in groups):
        return "agency"
    if groups and all(_MONTH.fullmatch(g) for g in groups):
        return "month"
    return "procedure" if groups and "all" not in groups else "group"


class _Names:
    """Group labels in the report's language: agency names where known, months as the language writes them."""

    def __init__(self, kind: str, agencies: Mapping[str, AgencyName], lang: Lang) -> None:
        self.kind, self.agencies, self.lang = kind, agencies, lang

    def full(self, group: str) -> str:
        if self.kind == "agency":
            return self.agencies[group].label
        if self.kind == "month":
            return _month_text(group, self.lang)
        return group_text(group, self.lang)

    def short(self, group: str) -> str:
        if self.kind == "agency":
            return self.agencies[group].name or self.agencies[group].label
        return self.full(group)

    def cell(self, group: str) -> str:
        """The group's name with its code below, for tables."""
        if self.kind == "agency":
            name, province = self.agencies[group].name, self.agencies[group].province
            if name is not None:
                return f"{escape(name)}<small>{escape(group)}</small>"
            if province is not None:
                return f"{escape(group)}<small>{escape(province)}</small>"
        return escape(self.full(group))

    def noun(self) -> str:
        """The groups, counted: ``agencies`` (``đơn vị``), ``procedures``, ``months`` or ``groups``."""
        return gettext(_NOUNS.get(self.kind, _NOUNS["group"]), self.lang)

    def heading(self) -> str:
        """The heading of the group column: ``Agency`` (``Đơn vị``), ``Procedure``, ``Month`` or ``Group``."""
        return gettext(GROUP_HEADINGS.get(self.kind, GROUP_HEADINGS["group"]), self.lang)


# ------------------------------------------------------------------------------------------------------ summary


def _summary_line(name: str, rows: Sequence[Indicator], names: _Names, rules: KpiRules | None) -> str:
    lang = names.lang
    total = len(rows)
    failed = [r for r in rows if r.passed is False]
    na = [r for r in rows if r.value is None]
    criterion = indicator_short(name, lang, rules)
    threshold = format_threshold(rows[0].comparison, rows[0].threshold, lang)
    fields = {"total": _num(total, lang), "noun": names.noun(), "criterion": criterion, "threshold": threshold}
    if failed:
        # one template per English verb form (Vietnamese says both the same way)
        template = _FAILS_ONE if len(failed) == 1 else _FAILS_MANY
        text = gettext(template, lang).format(
            failed=_num(len(failed), lang), names="; ".join(names.full(r.group) for r in failed), **fields
        )
    elif not na:
        text = gettext("All {total} {noun} meet {criterion} ({threshold}).", lang).format(**fields)
    else:
        text = gettext("None of the {noun} fails {criterion} ({threshold}).", lang).format(**fields)
    if na:
        listed = "; ".join(names.full(r.group) for r in na)
        text += " " + gettext("Without a figure (denominator 0): {names}.", lang).format(names=listed)
    status = "fails" if failed else "meets"
    return (
        f'<li class="{status}" data-indicator="{escape(name)}" data-failed="{len(failed)}" data-total="{total}" '
        f'data-na="{len(na)}">{escape(text)}</li>'
    )


def _summary(indicators: Sequence[Indicator], groups: Sequence[str], names: _Names, rules: KpiRules | None) -> str:
    by = {(r.group, r.indicator): r for r in indicators}
    judged = [n for n in INDICATORS if any(by.get((g, n)) and by[(g, n)].threshold is not None for g in groups)]
    lang = names.lang
    out = [f'<section id="summary"><h2>{escape(gettext(_SUMMARY, lang))}</h2>']
    if not judged:
        out.append(f'<p class="note">{escape(gettext(_NO_THRESHOLD, lang))}</p>')
    else:
        out.append("<ul>")
        for name in judged:
            rows = [by[(g, name)] for g in groups if (g, name) in by]
            out.append(_summary_line(name, rows, names, rules))
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


# ------------------------------------------------------------------------------------------------------ tables


def _figure_cell(r: Indicator | None, lang: Lang) -> str:
    if r is None:
        return "<td></td>"
    if r.denominator is None:
        return f"<td class=num>{_num(r.numerator, lang)}</td>"
    cls = "na" if r.passed is None else "pass" if r.passed else "fail"
    passed = "" if r.passed is None else f' data-passed="{str(r.passed).lower()}"'
    mark = f'<span class="mark">{verdict_mark(r.passed)}</span>' if r.threshold is not None else ""
    return (
        f'<td class="num {cls}"{passed} data-indicator="{escape(r.indicator)}">'
        f"{mark}{escape(format_ratio(r.value, lang))}"
        f"<small>{_num(r.numerator, lang)}/{_num(r.denominator, lang)}</small></td>"
    )


def _scorecard(indicators: Sequence[Indicator], groups: Sequence[str], names: _Names, rules: KpiRules | None) -> str:
    lang = names.lang
    by = {(r.group, r.indicator): r for r in indicators}
    present = {r.indicator for r in indicators}
    judged = [n for n in INDICATORS if any((g, n) in by and by[(g, n)].threshold is not None for g in groups)]
    columns = ["dossiers", *judged, *(n for n in ("on_time_rate", "online_share") if n not in judged)]
    columns = [c for c in columns if c in present]
    head = [f"<th>{escape(names.heading())}</th>"]
    for c in columns:
        first = next((by[(g, c)] for g in groups if (g, c) in by), None)
        thr = format_threshold(first.comparison, first.threshold, lang) if first else ""
        head.append(f"<th>{escape(indicator_short(c, lang, rules))}<small>{escape(thr)}</small></th>")
    head.append(f"<th>{escape(gettext(_MET, lang))}</th>")
    out = [f'<table class="scorecard"><thead><tr>{"".join(head)}</tr></thead><tbody>']
    for g in groups:
        cells = [_figure_cell(by.get((g, c)), lang) for c in columns]
        verdicts = [by[(g, n)].passed for n in judged if (g, n) in by]
        met = sum(1 for v in verdicts if v)
        judged_n = sum(1 for v in verdicts if v is not None)
        tally = f"{_num(met, lang)}/{_num(judged_n, lang)}" if judged_n else "—"
        out.append(
            f'<tr data-group="{escape(g)}"><th scope="row">{names.cell(g)}</th>{"".join(cells)}'
            f"<td class=num>{tally}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _full_row(r: Indicator, names: _Names, rules: KpiRules | None) -> str:
    lang = names.lang
    cls = "na" if r.passed is None else "pass" if r.passed else "fail"
    den = "" if r.denominator is None else _num(r.denominator, lang)
    if r.denominator is None:
        value = ""
    elif r.value is None:
        value = f'<span class="na">{escape(format_ratio(None, lang))}</span>'
    else:
        value = escape(format_ratio(r.value, lang))
    thr = format_threshold(r.comparison, r.threshold, lang)
    return (
        f'<tr data-group="{escape(r.group)}" data-indicator="{escape(r.indicator)}"><td>{names.cell(r.group)}</td>'
        f"<td>{escape(indicator_name(r.indicator, lang, rules))}</td><td class=num>{_num(r.numerator, lang)}</td>"
        f"<td class=num>{den}</td><td class=num>{value}</td><td class=num>{escape(thr)}</td>"
        f'<td><span class="{cls}">{escape(verdict_word(r.passed, lang))}</span></td></tr>'
    )


# ------------------------------------------------------------------------------------------------------ charts


def _bar_chart(indicator: str, rows: Sequence[Indicator], names: _Names, rules: KpiRules | None) -> str:
    """Horizontal bars, one per group, 0–100 %, the threshold as a dashed vertical line; every value label is placed
    clear of the threshold line (moved past it when it would cross it)."""
    lang = names.lang
    labels = [names.short(r.group) for r in rows]
    labels = [t if len(t) <= 34 else t[:33] + "…" for t in labels]
    label_w = max([_text_width(t) for t in labels] + [60.0]) + 12
    bar_w, row_h, top = 240, 24, 26
    height = top + row_h * max(len(rows), 1) + 24
    threshold = next((r.threshold for r in rows if r.threshold is not None), None)
    x_t = None if threshold is None else label_w + threshold * bar_w
    body: list[str] = []
    right = label_w + bar_w + 24
    for i, (r, name) in enumerate(zip(rows, labels, strict=True)):
        y = top + i * row_h
        body.append(
            f'<text class="group" x="{label_w - 6:.1f}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(names.full(r.group))}</title>{escape(name)}</text>"
        )
        if r.value is None or r.denominator is None:
            text = gettext("n/a (no dossiers)", lang)
            end = label_w
            cls = "value na"
        else:
            w = max(min(r.value, 1.0), 0.0) * bar_w
            end = label_w + w
            colour = _NEUTRAL if r.passed is None else _PASS if r.passed else _FAIL
            verdict = "" if r.passed is None else (" pass" if r.passed else " fail")
            body.append(
                f'<rect class="bar{verdict}" data-group="{escape(r.group)}" data-value="{r.value:.6f}" '
                f'x="{label_w:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}" rx="2">'
                f"<title>{escape(names.full(r.group))}: {r.numerator}/{r.denominator} = "
                f"{escape(format_ratio(r.value, lang))}</title></rect>"
            )
            mark = "" if r.passed is None else verdict_mark(r.passed) + " "
            text = f"{mark}{format_ratio(r.value, lang)} ({_num(r.numerator, lang)}/{_num(r.denominator, lang)})"
            cls = "value"
        x = end + 4
        if x_t is not None and x <= x_t + 3 and x + _text_width(text) >= x_t - 3:
            x = x_t + 5  # would cross the threshold line: start past it
        right = max(right, x + _text_width(text) + 4)
        body.append(
            f'<text class="{cls}" data-group="{escape(r.group)}" x="{x:.1f}" y="{y + 15}">{escape(text)}</text>'
        )
    width = right
    parts = [
        f'<svg class="chart bars" data-indicator="{escape(indicator)}" role="img" '
        f'aria-label="{escape(indicator_name(indicator, lang, rules))}" width="{width:.0f}" height="{height}" '
        f'viewBox="0 0 {width:.0f} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * bar_w
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#e6eaf0"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{height - 6}" text-anchor="middle">{_tick(tick, lang)}</text>')
    parts.extend(body)
    if x_t is not None and threshold is not None:
        op = next((r.comparison for r in rows if r.comparison), ">")
        label = gettext("threshold {threshold}", lang).format(threshold=format_threshold(op, threshold, lang))
        anchor, lx = ("end", x_t - 4) if x_t + 4 + _text_width(label) > width else ("start", x_t + 4)
        parts.append(
            f'<line class="threshold" data-threshold="{threshold}" x1="{x_t:.1f}" y1="{top - 8}" x2="{x_t:.1f}" '
            f'y2="{height - 20}" stroke="#1d2733" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(
            f'<text class="threshold-label" x="{lx:.1f}" y="{top - 12}" text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _trend_chart(by_month: Sequence[Indicator], min_dossiers: int, lang: Lang, rules: KpiRules | None) -> str:
    """Lines per month for the on-time rate (both readings) and the online share; under each month the dossiers
    judged and received; months below ``min_dossiers`` greyed out, their points hollow and not joined."""
    months = sorted({r.group for r in by_month})
    table = {(r.group, r.indicator): r for r in by_month}
    col = 72
    left, right, top, bottom = 96, 20, 16, 70
    inner_w = max(836, col * len(months))
    w, h = left + inner_w + right, 330
    inner_h = h - top - bottom

    def x_of(i: int) -> float:
        return left + inner_w * (i + 0.5) / max(len(months), 1)

    def count(month: str, name: str) -> int:
        r = table.get((month, name))
        return 0 if r is None else (r.denominator if r.denominator is not None else r.numerator)

    judged = {m: count(m, "on_time_rate") for m in months}
    received = {m: count(m, "dossiers") for m in months}
    parts = [
        f'<svg class="chart trend" data-months="{len(months)}" data-min-dossiers="{min_dossiers}" role="img" '
        f'aria-label="{escape(gettext(_PER_MONTH, lang))}" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + (1 - tick) * inner_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#e6eaf0"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_tick(tick, lang)}</text>')
    rows_y = (h - bottom + 18, h - bottom + 36, h - bottom + 54)
    for y, caption in zip(rows_y[1:], (N_("judged"), N_("received")), strict=True):
        text = escape(gettext(caption, lang))
        parts.append(f'<text class="caption" x="{left - 6}" y="{y}" text-anchor="end">{text}</text>')
    for i, m in enumerate(months):
        thin = judged[m] < min_dossiers or received[m] < min_dossiers
        cls = "month thin" if thin else "month"
        x = x_of(i)
        parts.append(f'<g class="{cls}" data-month="{m}" data-judged="{judged[m]}" data-received="{received[m]}">')
        if thin:
            parts.append(
                f'<rect class="thin-band" x="{x - col / 2 + 2:.1f}" y="{top}" width="{col - 4}" height="{inner_h}" '
                'fill="#eef0f3"/>'
            )
        tcls = ' class="thin"' if thin else ""
        for y, text in zip(rows_y, (_month_text(m, lang), _num(judged[m], lang), _num(received[m], lang)), strict=True):
            parts.append(f'<text{tcls} x="{x:.1f}" y="{y}" text-anchor="middle">{escape(text)}</text>')
        parts.append("</g>")
    for name, colour in _TREND:
        runs: list[list[tuple[float, float]]] = [[]]
        loose: list[tuple[float, float, Indicator]] = []
        for i, m in enumerate(months):
            r = table.get((m, name))
            if r is None or r.value is None:
                runs.append([])
                continue
            point = (x_of(i), top + (1 - r.value) * inner_h)
            if (r.denominator or 0) < min_dossiers:
                loose.append((*point, r))
                runs.append([])
            else:
                runs[-1].append(point)
        label = indicator_short(name, lang, rules)
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline class="line" data-indicator="{name}" points="{pts}" fill="none" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
            for x, y in run:
                parts.append(
                    f'<circle class="point" data-indicator="{name}" cx="{x:.1f}" cy="{y:.1f}" r="3" '
                    f'fill="{colour}"><title>{escape(label)}</title></circle>'
                )
        for x, y, r in loose:
            tip = f"{label}: {format_ratio(r.value, lang)} ({r.numerator}/{r.denominator})"
            parts.append(
                f'<circle class="point thin" data-indicator="{name}" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#fff" '
                f'stroke="{_THIN}" stroke-width="1.5"><title>{escape(tip)}</title></circle>'
            )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="sw" style="background:{c}"></i>{escape(indicator_name(n, lang, rules))}</span>'
        for n, c in _TREND
    )
    thin_months = [m for m in months if judged[m] < min_dossiers or received[m] < min_dossiers]
    note = gettext(
        "Under each month: dossiers judged (on-time rate) and received (online share). A month with fewer than "
        "{min} dossiers is greyed out, its points hollow and not joined: too few dossiers to read a rate.",
        lang,
    ).format(min=_num(min_dossiers, lang))
    if thin_months:
        listed = "; ".join(
            f"{_month_text(m, lang)} ({_num(judged[m], lang)}/{_num(received[m], lang)})" for m in thin_months
        )
        note += " " + gettext("Greyed out: {months}.", lang).format(months=listed)
    return (
        f'<div class="scroll">{"".join(parts)}</div><div class="legend">{legend}</div>'
        f'<p class="note thin-months" data-thin="{len(thin_months)}">{escape(note)}</p>'
    )


# ------------------------------------------------------------------------------------------------------ footer


def report_versions(rules: KpiRules | None = None, *, catalog: str | Path | None = None) -> dict[str, str]:
    """What the figures were computed with: the ``tthc`` version, the calendar data version, the catalog file's
    version when ``catalog`` names it, and the KPI rules (the bundled file, or a digest of the rules as applied when a
    threshold or a rules file changed them).

    The catalog decides which procedures are opened to BCCI (the denominators of the three criteria): its version
    is ``"<tthc version>+<first 8 hex digits of the SHA-256 of the file's bytes>"``, the ``catalog`` of the service's
    ``data_versions`` for the same file (the bundled sample: ``tthc.catalog.collection.SAMPLE_CATALOG``).

    Raises:
        DataFileError: the catalog file cannot be read.
        InvalidValueError: ``catalog`` is not a path.
    """
    from tthc._version import __version__
    from tthc.calendar.data_version import calendar_data_version

    applied = rules if rules is not None else KpiRules.default()
    digest = hashlib.sha256(applied.model_dump_json().encode()).hexdigest()[:8]
    bundled = applied == KpiRules.default()
    out = {"tthc": __version__, "calendar": calendar_data_version()}
    if catalog is not None:
        out["catalog"] = f"{__version__}+{_file_digest(as_file_path(catalog, 'catalog'))}"
    out["kpi_rules"] = f"kpi_rules.json {digest}" if bundled else f"{digest} (custom)"
    return out


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:  # the system's own reason, as it gives it
        raise DataFileError(
            words(N_("{path}: cannot read ({reason})"), path=str(path), reason=exc.strerror or exc)
        ) from None
    return h.hexdigest()[:8]


def _footer(generated_at: datetime, versions: Mapping[str, str], lang: Lang) -> str:
    when = format_instant(generated_at, lang, with_weekday=False)
    names = {
        "tthc": "tthc",
        "calendar": gettext("calendar data", lang),
        "catalog": gettext(_CATALOG_DATA, lang),
        "kpi_rules": gettext("KPI rules", lang),
    }
    items = "; ".join(f"{names.get(k, k)} {v}" for k, v in versions.items())
    text = gettext("Generated at {when}; {versions}.", lang).format(when=when, versions=items)
    rule = gettext(
        "Figures: numerator / denominator; ratios to 2 decimals (QĐ 766 convention); ✓ passed, ✗ failed, "
        "— no threshold; n/a: denominator 0.",
        lang,
    )
    return f'<footer><p class="versions">{escape(text)}</p><p>{escape(rule)}</p></footer>'


# ------------------------------------------------------------------------------------------------------ page


def _rows(value: object, field: str) -> tuple[Indicator, ...]:
    expected = N_("a sequence of Indicator")
    return tuple(expect(r, Indicator, field, expected) for r in expect(value, Sequence, field, expected))


def _count(summary: Mapping[str, object], key: str) -> int:
    value = summary.get(key, 0)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidValueError(f"validation.{key}", N_("a count (an int)"), value)


def _validation(validation: Mapping[str, object], lang: Lang) -> list[str]:
    out = [f"<h2>{escape(gettext(_VALIDATION, lang))}</h2>"]
    text = gettext("{rows} rows: {valid} valid, {invalid} invalid.", lang).format(
        rows=_num(_count(validation, "rows"), lang),
        valid=_num(_count(validation, "valid_rows"), lang),
        invalid=_num(_count(validation, "invalid_rows"), lang),
    )
    out.append(f"<p>{escape(text)}</p>")
    codes = validation.get("by_code") or []
    if isinstance(codes, list) and codes:
        heads = "".join(
            f"<th>{escape(gettext(h, lang))}</th>" for h in (N_("code"), N_("count"), N_("what"), N_("source"))
        )
        out.append(f"<table class=findings><thead><tr>{heads}</tr></thead><tbody>")
        for c in codes:
            if isinstance(c, dict):
                # the summary's texts as given: ValidationSummary.to_dict(lang) words them in the report's language
                what, source = str(c.get("title", "")), str(c.get("source", ""))
                out.append(
                    f"<tr><td>{escape(str(c.get('code')))}</td><td class=num>{_num(_count(c, 'count'), lang)}</td>"
                    f"<td>{escape(what)}</td><td>{escape(source)}</td></tr>"
                )
        out.append("</tbody></table>")
    return out


def render_html(
    indicators: Sequence[Indicator],
    by_month: Sequence[Indicator] = (),
    *,
    title: str | None = None,
    subtitle: str = "",
    validation: Mapping[str, object] | None = None,
    lang: str | None = None,
    agency_names: AgencyNames | None = None,
    rules: KpiRules | None = None,
    min_dossiers: int = MIN_DOSSIERS,
    generated_at: datetime | None = None,
    versions: Mapping[str, str] | None = None,
    by: str | None = None,
) -> str:
    """Render the report as one HTML document (UTF-8, no external resources, no script).

    Args:
        indicators: the rows of :func:`tthc.kpi.compute_kpis` for the chosen grouping (one table row and one bar
            per group). Compute them with the same ``lang`` for the rule texts to match the page.
        by_month: the same indicators grouped by month (the trend chart); omitted → no trend chart.
        title, subtitle: headings (default title: "tthc — KPI report" in the report's language).
        validation: ``ValidationSummary.to_dict(lang)`` to include the findings by code (its titles and sources are
            shown as given: pass the report's ``lang`` for them to match the page).
        lang: ``"vi"`` or ``"en"`` (default: ``TTHC_LANG``, else Vietnamese).
        agency_names: names for agency codes (default: the bundled province list only); each agency is named as of
            its rows' ``first_month`` .. ``last_month`` (:meth:`~tthc.kpi.agency_names.AgencyNames.for_rows`).
        rules: the KPI rules in use, for the indicator names and the footer (default: the bundled rules).
        min_dossiers: months with fewer dossiers judged or received are greyed out in the trend chart (default
            :data:`MIN_DOSSIERS`).
        generated_at: the time printed in the footer (default: now).
        versions: the versions printed in the footer (default: :func:`report_versions` of ``rules``, which does not
            know the catalog: pass ``report_versions(rules, catalog=path)`` to name the catalog file too).
        by: how ``indicators`` are grouped — ``"agency"``, ``"procedure"``, ``"month"`` or ``"total"``, the ``by``
            of the :class:`~tthc.kpi.indicators.KpiOptions` that computed them: it words the groups ("agencies",
            with their names) and the group column. Default: guessed from the groups (agencies when every group is
            an agency code in QCVN form, months when every group is a month); pass it when an agency code may not
            be in that form (a valid record's agency code is only warned about).

    Raises:
        InvalidValueError: an argument of the wrong type, ``min_dossiers`` below 0, or an unknown ``by``.
    """
    indicators = _rows(indicators, "indicators")
    by_month = _rows(by_month, "by_month")
    code = resolve_lang(lang)
    title = expect_optional(title, str, "title", "text") or gettext("tthc — KPI report", code)
    expect(subtitle, str, "subtitle", "text")
    expect_optional(validation, Mapping, "validation", "ValidationSummary.to_dict()")
    names_in = expect_optional(agency_names, AgencyNames, "agency_names", "AgencyNames") or AgencyNames()
    expect_optional(rules, KpiRules, "rules", "KpiRules")
    if not isinstance(min_dossiers, int) or isinstance(min_dossiers, bool) or min_dossiers < 0:
        raise InvalidValueError("min_dossiers", N_("a whole number ≥ 0"), min_dossiers)
    given = expect_optional(generated_at, datetime, "generated_at", "a datetime")
    when = parse_local_datetime(given, "generated_at") if given is not None else datetime.now(_VN)  # naive = Vietnam
    shown_versions = dict(versions) if versions is not None else report_versions(rules)
    if by is not None and (not isinstance(by, str) or by not in _KINDS):
        raise InvalidValueError("by", N_("one of agency, procedure, month, total"), by)
    groups = sorted({r.group for r in indicators})
    kind = _group_kind(groups) if by is None else _KINDS[by]
    names = _Names(kind, names_in.for_rows(indicators, code), code)
    cells = {(r.group, r.indicator): r for r in indicators}
    total = sum(r.numerator for r in indicators if r.indicator == "dossiers")
    good = sum(r.numerator for r in indicators if r.indicator == "on_time_rate")
    judged = sum(r.denominator or 0 for r in indicators if r.indicator == "on_time_rate")
    online = sum(r.numerator for r in indicators if r.indicator == "online_share")
    on_time_note = gettext("on time (QĐ 766), {judged} judged", code).format(judged=_num(judged, code))

    def card(figure: str, value: str, caption: str) -> str:
        data = f' data-figure="{figure}"' if figure else ""
        return f'<div class="card"{data}><b>{escape(value)}</b><span>{escape(caption)}</span></div>'

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{code}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(subtitle)}</p>' if subtitle else "",
        _summary(indicators, groups, names, rules),
        '<div class="cards">',
        card("dossiers", _num(total, code), gettext("dossiers received", code)),
        card("on_time_rate", format_ratio(good / judged if judged else None, code), on_time_note),
        card("online_share", format_ratio(online / total if total else None, code), gettext("received online", code)),
        card("", _num(len(groups), code), names.noun()),
        "</div>",
        f"<h2>{escape(gettext(_SCORECARD, code))}</h2>",
        '<p class="note">'
        + escape(gettext("✓ passed, ✗ failed (strict “greater than” for the BCCI criteria), — no threshold; under each "
                         "percentage: numerator/denominator.", code))
        + "</p>",
        _scorecard(indicators, groups, names, rules),
        f"<h2>{escape(gettext(_BCCI_HEADING, code))}</h2>",
        '<p class="note">'
        + escape(gettext("Bars are green when the strict threshold is passed, red when not, and carry ✓ / ✗ in their "
                         "label; “n/a” means no dossier of a procedure opened to BCCI (denominator 0).", code))
        + "</p>",
        '<div class="charts">',
    ]  # fmt: skip
    for name in BCCI:
        rows = [cells[(g, name)] for g in groups if (g, name) in cells]
        caption = indicator_name(name, code, rules)
        out.append(f"<figure><figcaption>{escape(caption)}</figcaption>{_bar_chart(name, rows, names, rules)}</figure>")
    out.append("</div>")
    if by_month:
        out.append(f"<h2>{escape(gettext(_PER_MONTH, code))}</h2>")
        note = gettext(
            "Judged month: the month a dossier finished (open dossiers: the month of the as-of instant). Online share "
            "by month of receipt.",
            code,
        )
        out.append(f'<p class="note">{escape(note)}</p>')
        out.append(f"<figure>{_trend_chart(by_month, min_dossiers, code, rules)}</figure>")
    out.append(f'<section class="indicators"><h2>{escape(gettext(_ALL_INDICATORS, code))}</h2>')
    heads = (
        N_("group"),
        N_("indicator"),
        N_("numerator"),
        N_("denominator"),
        N_("value"),
        N_("threshold"),
        N_("verdict"),
    )
    out.append(
        "<table class=indicators><thead><tr>"
        + "".join(f"<th>{escape(gettext(h, code))}</th>" for h in heads)
        + "</tr></thead><tbody>"
    )
    out.extend(_full_row(r, names, rules) for r in indicators)
    out.append("</tbody></table></section>")
    out.append(f'<section class="rules"><h2>{escape(gettext(_RULES, code))}</h2>')
    rule_heads = (N_("indicator"), N_("rule"), N_("source"))
    out.append(
        "<table class=rules><thead><tr>"
        + "".join(f"<th>{escape(gettext(h, code))}</th>" for h in rule_heads)
        + "</tr></thead><tbody>"
    )
    seen: set[str] = set()
    for r in indicators:
        if r.indicator in seen:
            continue
        seen.add(r.indicator)
        out.append(
            f"<tr><td>{escape(indicator_name(r.indicator, code, rules))}<small>{escape(r.indicator)}</small></td>"
            f"<td>{escape(r.rule)}</td><td>{escape(r.source)}</td></tr>"
        )
    out.append("</tbody></table></section>")
    if validation is not None:
        out.extend(_validation(validation, code))
    out.append(_footer(when, shown_versions, code))
    out.append("</body></html>")
    return "\n".join(x for x in out if x)
