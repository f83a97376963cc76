"""The KPI table as CSV and XLSX: one row per (group, indicator), with names, figures, threshold and verdict.

Both files are written atomically (complete or not at all, :func:`tthc.foundation.output_files.atomic_output`).
Text that a spreadsheet would run as a formula never runs: CSV cells go through
:func:`~tthc.foundation.output_files.safe_csv_cell`, and XLSX cells holding text are stored as text, never as a
formula. The CSV is UTF-8 with a byte-order mark, so that spreadsheet programs show Vietnamese letters right, and its
header row holds the stable column keys of :data:`COLUMNS`; the XLSX (extra ``xlsx``: ``pip install 'tthc[xlsx]'``)
has a header row in the report's language, ratios as numbers formatted as percentages, and frozen headings.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from tthc.errors import MissingExtraError
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.output_files import atomic_output, safe_csv_cell
from tthc.kpi.agency_names import AgencyNames
from tthc.kpi.indicators import Indicator, KpiRules
from tthc.kpi.labels import format_ratio, format_threshold, group_text, indicator_name, verdict_mark

__all__ = [
    "COLUMNS",
    "kpi_csv_text",
    "kpi_table",
    "kpi_xlsx_bytes",
    "require_xlsx",
    "write_kpi_csv",
    "write_kpi_xlsx",
]

COLUMNS: Final = (
    "group",
    "group_name",
    "indicator",
    "indicator_name",
    "numerator",
    "denominator",
    "value",
    "value_text",
    "threshold",
    "verdict",
    "passed",
    "period",
    "rule",
    "source",
)
"""The columns of the KPI table, in order (the CSV header; English keys, as in ``--json``)."""

_HEADINGS: Final = {
    "group": N_("code"),
    "group_name": N_("name"),
    "indicator": N_("indicator id"),
    "indicator_name": N_("indicator"),
    "numerator": N_("numerator"),
    "denominator": N_("denominator"),
    "value": N_("value"),
    "value_text": N_("value (text)"),
    "threshold": N_("threshold"),
    "verdict": N_("verdict"),
    "passed": N_("passed"),
    "period": N_("period"),
    "rule": N_("rule"),
    "source": N_("source"),
}

Row = dict[str, object]
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def kpi_table(
    indicators: Sequence[Indicator],
    *,
    lang: str | None = None,
    agency_names: AgencyNames | None = None,
    rules: KpiRules | None = None,
) -> list[Row]:
    """The KPI table: one dict per indicator row, keyed by :data:`COLUMNS`.

    ``value`` is the exact ratio (``None`` for n/a, and for counts), ``value_text`` the ratio as the report shows it
    (``12,50 %``), ``threshold`` as applied (``> 10 %``), ``verdict`` a mark (``✓``, ``✗``, ``—``) and ``passed``
    ``True`` / ``False`` / ``None``. Group names come from ``agency_names`` (agency groups only), as of the days of
    each group's records (:meth:`~tthc.kpi.agency_names.AgencyNames.for_rows`); the total and the months are named
    as the report writes them (``tất cả``, ``03/2024``), a procedure code not at all.
    """
    expect(indicators, Sequence, "indicators", "a sequence of Indicator")
    code = resolve_lang(lang)
    names = expect_optional(agency_names, AgencyNames, "agency_names", "AgencyNames") or AgencyNames()
    named = names.for_rows(indicators, code)
    out: list[Row] = []
    for r in indicators:
        ratio = r.denominator is not None
        out.append(
            {
                "group": r.group,
                "group_name": named[r.group].name or named[r.group].province or _group_name(r.group, code),
                "indicator": r.indicator,
                "indicator_name": indicator_name(r.indicator, code, rules),
                "numerator": r.numerator,
                "denominator": r.denominator,
                "value": r.value,
                "value_text": format_ratio(r.value, code) if ratio else "",
                "threshold": format_threshold(r.comparison, r.threshold, code),
                "verdict": verdict_mark(r.passed),
                "passed": r.passed,
                "period": r.period,
                "rule": r.rule,
                "source": r.source,
            }
        )
    return out


def _group_name(group: str, lang: str) -> str:
    """The name of a group that is not an agency: the total (``tất cả``) and a month (``03/2024``) as the HTML report
    and the ``tthc kpi`` table write them; nothing for a procedure code (its code says it)."""
    return group_text(group, lang) if group == "all" or _MONTH.fullmatch(group) else ""


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_csv_cell(value)


def kpi_csv_text(
    indicators: Sequence[Indicator],
    *,
    lang: str | None = None,
    agency_names: AgencyNames | None = None,
    rules: KpiRules | None = None,
) -> str:
    """The KPI table as CSV text (header :data:`COLUMNS`, formula-like cells neutralised); write it with
    ``encoding="utf-8-sig"`` and ``newline=""``, as :func:`write_kpi_csv` does."""
    rows = kpi_table(indicators, lang=lang, agency_names=agency_names, rules=rules)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(row[c]) for c in COLUMNS])
    return buffer.getvalue()


def write_kpi_csv(
    path: str | Path,
    indicators: Sequence[Indicator],
    *,
    lang: str | None = None,
    agency_names: AgencyNames | None = None,
    rules: KpiRules | None = None,
    field: str = "path",
) -> None:
    """Write the KPI table as CSV (UTF-8 with BOM, header :data:`COLUMNS`), atomically.

    Raises:
        OutputFileError: the file cannot be written (named by ``field``, e.g. ``--csv``).
    """
    text = kpi_csv_text(indicators, lang=lang, agency_names=agency_names, rules=rules)
    with atomic_output(path, encoding="utf-8-sig", newline="", field=field) as fh:
        fh.write(text)


def require_xlsx() -> None:
    """Check that the ``xlsx`` extra is installed (before a long run that ends in writing a workbook).

    Raises:
        MissingExtraError: openpyxl is not installed (``pip install 'tthc[xlsx]'``).
    """
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingExtraError("xlsx", "openpyxl") from None


def kpi_xlsx_bytes(
    indicators: Sequence[Indicator],
    *,
    lang: str | None = None,
    agency_names: AgencyNames | None = None,
    rules: KpiRules | None = None,
) -> bytes:
    """The KPI table as an XLSX workbook (one sheet, headings in ``lang``).

    Text cells are stored as text; a character a worksheet cannot hold (a C0 control other than TAB, LF and CR, a
    lone surrogate) is written as its escape, ``\\x01``, as the terminal table shows it.

    Raises:
        MissingExtraError: openpyxl is not installed (``pip install 'tthc[xlsx]'``).
    """
    require_xlsx()
    from openpyxl import Workbook
    from openpyxl.styles import Font

    code = resolve_lang(lang)
    rows = kpi_table(indicators, lang=code, agency_names=agency_names, rules=rules)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "KPI"
    sheet.append([gettext(_HEADINGS[c], code) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, row in enumerate(rows, start=2):
        for j, key in enumerate(COLUMNS, start=1):
            value = row[key]
            cell = sheet.cell(row=i, column=j)
            if isinstance(value, bool) or value is None:
                value = "" if value is None else ("✓" if value else "✗")
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                cell.data_type = "s"  # text stays text: "=HYPERLINK(...)" in a name is shown, never run
            else:
                cell.value = value  # type: ignore[assignment]  # an int or a float
                if key == "value":
                    cell.number_format = "0.00%"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMN", (16, 30, 24, 44, 11, 12, 10, 12, 10, 8, 8, 10, 60, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
"""The characters a worksheet cannot hold: XML 1.0 allows no C0 control but TAB, LF and CR (openpyxl's
``ILLEGAL_CHARACTERS_RE``), and UTF-8 no lone surrogate."""


def _xlsx_text(value: str) -> str:
    # shown as the terminal table shows them (``\x01``), so the workbook is written and the value can be read back
    return _XLSX_ILLEGAL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\x80" else f"\\u{ord(m.group()):04x}", value
    )


def write_kpi_xlsx(
    path: str | Path,
    indicators: Sequence[Indicator],
    *,
    lang: str | None = None,
    agency_names: AgencyNames | None = None,
    rules: KpiRules | None = None,
    field: str = "path",
) -> None:
    """Write the KPI table as an XLSX workbook (one sheet, headings in ``lang``), atomically.

    Raises:
        MissingExtraError: openpyxl is not installed (``pip install 'tthc[xlsx]'``).
        OutputFileError: the file cannot be written (named by ``field``, e.g. ``--xlsx``).
    """
    data = kpi_xlsx_bytes(indicators, lang=lang, agency_names=agency_names, rules=rules)
    with atomic_output(path, "wb", field=field) as fh:
        fh.write(data)
