"""Agencies named as of their records' days (issue 14): the KPI rows carry the months of each group's records, and
the HTML report, the CSV / XLSX table and the terminal table name a former province's agency (H30, Hậu Giang,
merged into Cần Thơ on 1 Jul 2025) as it was, as it is now with the old name as a hint, or both — through one
function, :meth:`AgencyNames.for_rows`."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from tthc.catalog.collection import Catalog
from tthc.cli import main
from tthc.errors import InvalidValueError
from tthc.kpi.agency_names import AgencyName, AgencyNames
from tthc.kpi.export import kpi_csv_text, kpi_table, kpi_xlsx_bytes
from tthc.kpi.indicators import Indicator, KpiOptions, KpiPartial, Period, compute_kpis
from tthc.kpi.periods import month_days
from tthc.kpi.report_html import render_html
from tthc.records.sample import sample_path

H30 = "000.00.00.H30"  # UBND tỉnh Hậu Giang until 30/06/2025, then part of Thành phố Cần Thơ
SO = "000.00.12.H30"  # a department of Hậu Giang: no name of its own, named by its province
BEFORE, AFTER, ACROSS = ("2024-01", "2024-12"), ("2026-01", "2026-03"), ("2025-05", "2025-08")

NAMED = {
    ("vi", BEFORE): "UBND tỉnh Hậu Giang",
    ("vi", AFTER): "UBND Thành phố Cần Thơ (trước 01/07/2025: UBND tỉnh Hậu Giang)",
    ("vi", ACROSS): "UBND tỉnh Hậu Giang (đến 30/06/2025), sau đó UBND Thành phố Cần Thơ (từ 01/07/2025)",
    ("en", BEFORE): "Hậu Giang Provincial People's Committee",
    ("en", AFTER): (
        "Thành phố Cần Thơ People's Committee (before 2025-07-01: Hậu Giang Provincial People's Committee)"
    ),
    ("en", ACROSS): (
        "Hậu Giang Provincial People's Committee (until 2025-06-30), then Thành phố Cần Thơ People's Committee "
        "(from 2025-07-01)"
    ),
}
PROVINCE = {
    ("vi", BEFORE): "Hậu Giang",
    ("vi", AFTER): "Thành phố Cần Thơ (trước 01/07/2025: Hậu Giang)",
    ("vi", ACROSS): "Hậu Giang (đến 30/06/2025), sau đó Thành phố Cần Thơ (từ 01/07/2025)",
    ("en", BEFORE): "Hậu Giang",
    ("en", AFTER): "Thành phố Cần Thơ (before 2025-07-01: Hậu Giang)",
    ("en", ACROSS): "Hậu Giang (until 2025-06-30), then Thành phố Cần Thơ (from 2025-07-01)",
}


def _row(group: str, indicator: str, months: tuple[str, str] | None, num: int = 3, den: int | None = 4) -> Indicator:
    first, last = months if months is not None else (None, None)
    return Indicator(
        group=group, indicator=indicator, numerator=num, denominator=den, value=None if den is None else num / den,
        threshold=0.5 if den is not None else None, passed=None if den is None else num / den > 0.5,
        comparison=">" if den is not None else None, rule="r", source="s", first_month=first, last_month=last,
    )  # fmt: skip


def _rows(months: tuple[str, str] | None) -> list[Indicator]:
    return [
        _row(group, name, months, num, den)
        for group in (H30, SO, "000.00.12.H21")
        for name, num, den in (("dossiers", 40, None), ("bcci_received_share", 3, 40))
    ]


# -- the months the KPI rows carry -------------------------------------------------------------------------------


def test_each_group_carries_the_first_and_last_month_of_receipt_of_its_records_in_the_period() -> None:
    counts = np.array([2, 1, 0, 1, 1], dtype=np.int64)
    judged = np.array([1, 0, 0, 0, 0], dtype=np.int64)
    partial = KpiPartial(
        reception={(H30, "1.002809", "2025-08"): counts, (H30, "2.001417", "2025-05"): counts,
                   (H30, "1.002809", "2026-02"): counts},
        judged_pause={(H30, "1.002809", "2026-03"): judged, ("000.00.12.H21", "1.002809", "2025-09"): judged},
    )  # fmt: skip
    rows = compute_kpis(partial, Catalog.sample(), KpiOptions(period=Period.parse("2025")), lang="en")
    spans = {(r.group, r.first_month, r.last_month) for r in rows}
    # receipt months in the period; an agency with no dossier received in it: the months it was judged in
    assert spans == {(H30, "2025-05", "2025-08"), ("000.00.12.H21", "2025-09", "2025-09")}
    every = compute_kpis(partial, Catalog.sample(), KpiOptions(by="total"), lang="en")
    assert {(r.group, r.first_month, r.last_month) for r in every} == {("all", "2025-05", "2026-02")}


def test_month_days_are_the_first_day_of_the_first_month_and_the_last_day_of_the_last() -> None:
    assert month_days("2024-02", "2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_days("2025-06", "2025-07") == (date(2025, 6, 1), date(2025, 7, 31))
    for bad in (("2025-07", "2025-06"), ("2025-13", "2025-13"), ("2025-6", "2025-07")):
        with pytest.raises(InvalidValueError, match=r"^months: "):
            month_days(*bad)


# -- one naming function ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("months", [BEFORE, AFTER, ACROSS], ids=["before", "after", "across"])
def test_for_rows_names_a_former_province_as_of_its_records(lang: str, months: tuple[str, str]) -> None:
    named = AgencyNames().for_rows(_rows(months), lang)
    assert named[H30] == AgencyName(H30, NAMED[(lang, months)], PROVINCE[(lang, months)])
    assert named[H30].label == f"{NAMED[(lang, months)]} ({H30})"  # the code always beside the name
    assert named[SO] == AgencyName(SO, None, PROVINCE[(lang, months)])
    assert named[SO].label == f"{SO} ({PROVINCE[(lang, months)]})"
    assert named["000.00.12.H21"].label == "000.00.12.H21 (Gia Lai)"  # a current province: the same on any day


def test_the_boundary_months_june_and_july_2025() -> None:
    names = AgencyNames()
    assert names.for_rows(_rows(("2025-06", "2025-06")), "vi")[H30].name == "UBND tỉnh Hậu Giang"
    assert names.for_rows(_rows(("2025-07", "2025-07")), "vi")[H30].name == NAMED[("vi", AFTER)]
    assert names.for_rows(_rows(("2025-06", "2025-07")), "vi")[H30].name == NAMED[("vi", ACROSS)]


def test_rows_without_months_keep_the_former_mark_and_a_name_file_still_wins() -> None:
    undated = AgencyNames().for_rows(_rows(None), "vi")
    assert undated[H30].name == "UBND tỉnh Hậu Giang (tỉnh cũ, đến 30/06/2025)"
    mixed = [*_rows(AFTER), _row(H30, "online_share", None)]  # one row with no months: no day for the group
    assert (
        AgencyNames().for_rows(mixed, "en")[H30].name
        == "Hậu Giang Provincial People's Committee (former province, until 2025-06-30)"
    )
    own = AgencyNames({H30: "Văn phòng UBND tỉnh Hậu Giang"}).for_rows(_rows(AFTER), "vi")
    assert own[H30].label == f"Văn phòng UBND tỉnh Hậu Giang ({H30})"
    assert own[H30].province == PROVINCE[("vi", AFTER)]


def test_a_span_must_be_two_days_in_order() -> None:
    names = AgencyNames()
    assert names.name(H30, "vi", on=(datetime(2025, 6, 30, 23, 0), date(2025, 7, 1))) == NAMED[("vi", ACROSS)]
    for bad in ((date(2025, 7, 1), date(2025, 6, 30)), (date(2025, 7, 1),), (date(2025, 7, 1), "2025-07-02")):
        with pytest.raises(InvalidValueError, match=r"^on: "):
            names.name(H30, "vi", on=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"^indicators: "):
        names.for_rows(["not a row"], "vi")  # type: ignore[list-item]


def test_the_default_language_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert AgencyNames().for_rows(_rows(AFTER))[H30].name == NAMED[("vi", AFTER)]


# -- the HTML report, the CSV table --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("months", [BEFORE, AFTER, ACROSS], ids=["before", "after", "across"])
def test_the_html_report_names_the_agency_as_of_its_records(lang: str, months: tuple[str, str]) -> None:
    html = render_html(_rows(months), lang=lang, generated_at=datetime(2026, 3, 2), versions={})
    cell = re.search(rf'<tr data-group="{re.escape(H30)}"><th scope="row">(.*?)</th>', html)
    assert cell is not None
    name = NAMED[(lang, months)].replace("'", "&#x27;")
    assert cell.group(1) == f"{name}<small>{H30}</small>"
    department = re.search(rf'<tr data-group="{re.escape(SO)}"><th scope="row">(.*?)</th>', html)
    assert department is not None
    assert department.group(1) == f"{SO}<small>{PROVINCE[(lang, months)]}</small>"
    assert "000.00.12.H21<small>Gia Lai</small>" in html


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("months", [BEFORE, AFTER, ACROSS], ids=["before", "after", "across"])
def test_the_csv_export_names_the_agency_as_of_its_records(lang: str, months: tuple[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(kpi_csv_text(_rows(months), lang=lang))))
    names = {r["group"]: r["group_name"] for r in rows}
    assert names == {H30: NAMED[(lang, months)], SO: PROVINCE[(lang, months)], "000.00.12.H21": "Gia Lai"}
    assert kpi_table(_rows(months), lang=lang)[0]["group_name"] == NAMED[(lang, months)]


def test_the_xlsx_export_names_the_agency_as_the_csv_does() -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra (openpyxl) is not installed")
    book = openpyxl.load_workbook(io.BytesIO(kpi_xlsx_bytes(_rows(AFTER), lang="vi")))
    cells = {(row[0], row[1]) for row in book.active.iter_rows(min_row=2, max_col=2, values_only=True)}
    assert (H30, NAMED[("vi", AFTER)]) in cells


# -- the command: the terminal table, the CSV and the HTML of one run ------------------------------------------------


@pytest.fixture(scope="module")
def hau_giang(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample records (2024-01 .. 2026-12) with one agency of Quảng Ngãi moved to Hậu Giang's province level."""
    path = tmp_path_factory.mktemp("h30") / "dossiers.csv"
    path.write_text(sample_path().read_text(encoding="utf-8").replace("000.00.22.H48", H30), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("period", "months"), [("2024", BEFORE), ("2026-Q1", AFTER), ("2025-05..2025-08", ACROSS)])
def test_the_command_names_the_agency_as_of_the_period_in_every_output(
    hau_giang: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, period: str,
    months: tuple[str, str],
) -> None:  # fmt: skip
    out_csv, out_html = tmp_path / "kpi.csv", tmp_path / "kpi.html"
    args = ["--lang", lang, "--no-color", "kpi", str(hau_giang), "--period", period, "--csv", str(out_csv)]
    main([*args, "--html", str(out_html)])
    table = capsys.readouterr().out
    label = f"{NAMED[(lang, months)]} ({H30})"
    first_column = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]
    assert label in " ".join(c for c in first_column if c)  # a long name wraps over lines in its cell, never cut
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    assert {r["group_name"] for r in rows if r["group"] == H30} == {NAMED[(lang, months)]}
    assert f"{NAMED[(lang, months)]}<small>{H30}</small>".replace("'", "&#x27;") in out_html.read_text("utf-8")
