"""Words and figures of the KPI outputs in the reader's language: indicator names, ratios, thresholds, verdict marks.

Indicator names are data (``name`` / ``name_vi`` and ``short`` / ``short_vi`` in ``tthc/data/kpi_rules.json``; the
Vietnamese names of the BCCI criteria are worded as in the Gia Lai 2020 letter). Verdicts are marks that survive
print, piping and colour blindness: ``✓`` passed, ``✗`` failed, ``—`` no threshold or no figure. Every output of
:mod:`tthc.kpi` (HTML report, CSV / XLSX export) and the ``tthc kpi`` table use these functions, so the same figure
reads the same everywhere.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from tthc.foundation.i18n import N_, format_number, gettext, resolve_lang
from tthc.kpi.indicators import IndicatorRule, KpiRules

__all__ = [
    "FAIL_MARK",
    "GROUP_HEADINGS",
    "NO_VERDICT_MARK",
    "PASS_MARK",
    "format_ratio",
    "format_threshold",
    "group_text",
    "indicator_name",
    "indicator_short",
    "month_text",
    "period_text",
    "verdict_mark",
    "verdict_word",
]

GROUP_HEADINGS: Final = {
    "agency": N_("Agency"),
    "procedure": N_("Procedure"),
    "month": N_("Month"),
    "total": N_("Total"),
    "group": N_("Group"),
}
"""The heading of the group column of a KPI table, by grouping (``--by``)."""

PASS_MARK: Final = "✓"
FAIL_MARK: Final = "✗"
NO_VERDICT_MARK: Final = "—"

# the one indicator without a rule in kpi_rules.json (a plain count, never judged): named here
_DOSSIERS_NAME = N_("dossiers received")
_DOSSIERS_SHORT = N_("dossiers")
_NA = N_("n/a")
_ALL = N_("all")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


@cache
def _bundled() -> KpiRules:
    return KpiRules.default()


def _rule(indicator: str, rules: KpiRules | None, field: str) -> str | None:
    for table in (rules, _bundled()) if rules is not None else (_bundled(),):
        rule: IndicatorRule | None = table.indicators.get(indicator)
        value = getattr(rule, field, None) if rule is not None else None
        if isinstance(value, str) and value:
            return value
    return None


def indicator_name(indicator: str, lang: str | None = None, rules: KpiRules | None = None) -> str:
    """The full name of an indicator (``Tỷ lệ hồ sơ TTHC được tiếp nhận qua dịch vụ BCCI``); the indicator id when
    no rules file names it."""
    code = resolve_lang(lang)
    if indicator == "dossiers":
        return gettext(_DOSSIERS_NAME, code)
    return _rule(indicator, rules, "name_vi" if code == "vi" else "name") or indicator


def indicator_short(indicator: str, lang: str | None = None, rules: KpiRules | None = None) -> str:
    """The short name for a column heading (``Tiêu chí 2 BCCI``, ``BCCI criterion 2``)."""
    code = resolve_lang(lang)
    if indicator == "dossiers":
        return gettext(_DOSSIERS_SHORT, code)
    return _rule(indicator, rules, "short_vi" if code == "vi" else "short") or indicator


def month_text(month: str, lang: str | None = None) -> str:
    """A month ``YYYY-MM`` as the language writes it: ``03/2024`` in Vietnamese (the form of its documents),
    ``2024-03`` in English; any other text as it is."""
    if resolve_lang(lang) == "vi" and _MONTH.fullmatch(month):
        return f"{month[5:]}/{month[:4]}"
    return month


def group_text(group: str, lang: str | None = None) -> str:
    """A KPI group that is not an agency, as shown: the total (``all``) as ``tất cả`` / ``all``, a month by
    :func:`month_text`, a procedure code as it is."""
    if group == "all":
        return gettext(_ALL, lang)
    return month_text(group, lang)


def period_text(period: str, lang: str | None = None) -> str:
    """The months of a KPI run (``str(Period)``: ``all``, ``2024-03``, ``2024-01..2024-12``, ``..2024-06``) as a
    report writes them: ``tất cả``, ``03/2024``, ``01/2024–12/2024``, ``…–06/2024`` in Vietnamese (``2024-01–2024-12``
    in English)."""
    if period == "all":
        return gettext(_ALL, lang)
    first, sep, last = period.partition("..")
    if not sep:
        return month_text(period, lang)
    return f"{month_text(first, lang)}–{month_text(last, lang)}"


def format_ratio(value: float | None, lang: str | None = None, *, decimals: int = 2) -> str:
    """``12.50 %`` / ``12,50 %`` (2 decimals, the QĐ 766 convention; ``decimals=0`` for a chart's axis: ``25 %``);
    ``n/a`` for a zero denominator."""
    if value is None:
        return gettext(_NA, lang)
    return f"{format_number(value * 100, lang, decimals=decimals)} %"


def _percent(threshold: float, lang: str | None) -> str:
    text = f"{threshold * 100:g}"
    return text.replace(".", ",") if resolve_lang(lang) == "vi" else text


def format_threshold(comparison: str | None, threshold: float | None, lang: str | None = None) -> str:
    """``> 10 %`` or ``≥ 50 %`` as applied (an overridden threshold shows its new value); ``""`` without one."""
    if threshold is None:
        return ""
    op = "≥" if comparison == ">=" else ">"
    return f"{op} {_percent(threshold, lang)} %"


def verdict_mark(passed: bool | None) -> str:
    """``✓`` passed, ``✗`` failed, ``—`` not judged (no threshold, or n/a)."""
    return NO_VERDICT_MARK if passed is None else PASS_MARK if passed else FAIL_MARK


_PASS_WORD = N_("pass")
_FAIL_WORD = N_("fail")


def verdict_word(passed: bool | None, lang: str | None = None) -> str:
    """``✓ pass`` / ``✗ fail`` (``✓ đạt`` / ``✗ không đạt``), ``—`` when not judged."""
    if passed is None:
        return NO_VERDICT_MARK
    return f"{verdict_mark(passed)} {gettext(_PASS_WORD if passed else _FAIL_WORD, lang)}"
