"""The KPI table as CSV and XLSX: the figures of the report, formula-like text never run, written atomically, never
over an input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tthc.cli import main
from tthc.errors import OutputFileError
from tthc.kpi.agency_names import AgencyNames
from tthc.kpi.export import COLUMNS, kpi_csv_text, kpi_table, write_kpi_csv, write_kpi_xlsx
from tthc.kpi.indicators import Indicator

openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra (openpyxl) is not installed")


def _ind(group: str, indicator: str, num: int, den: int | None, thr: float | None = None) -> Indicator:
    value = None if den is None or den == 0 else num / den
    passed = None if thr is None or value is None else value > thr
    return Indicator(
        group=group, indicator=indicator, numerator=num, denominator=den, value=value, threshold=thr,
        passed=passed, comparison=">" if thr is not None else None, rule="r", source="s",
    )  # fmt: skip


ROWS = [
    _ind("000.00.12.H21", "bcci_received_share", 5, 40, 0.1),
    _ind("000.00.00.H48", "bcci_received_share", 10, 100, 0.1),
    _ind("000.00.31.H21", "bcci_procedures_with_postal", 0, 0, 0.5),
    _ind('=HYPERLINK("x")', "dossiers", 7, None),
]
NAMES = AgencyNames({"000.00.12.H21": "@Sở Tư pháp", '=HYPERLINK("x")': "-1+cmd|' /C calc'!A0"})


def test_table_rows_in_vietnamese() -> None:
    rows = kpi_table(ROWS, lang="vi", agency_names=NAMES)
    assert [r["verdict"] for r in rows] == ["✓", "✗", "—", "—"]
    assert rows[0]["value_text"] == "12,50 %"
    assert rows[0]["threshold"] == "> 10 %"
    assert rows[0]["group_name"] == "@Sở Tư pháp"
    assert rows[1]["group_name"] == "UBND tỉnh Quảng Ngãi"
    assert rows[2]["group_name"] == "Gia Lai"
    assert rows[2]["value_text"] == "N/A"
    assert rows[1]["indicator_name"] == "Tỷ lệ hồ sơ TTHC được tiếp nhận qua dịch vụ BCCI"
    assert rows[3]["value_text"] == ""  # a count has no ratio


def test_csv_has_stable_keys_and_neutralised_cells(tmp_path: Path) -> None:
    out = tmp_path / "kpi.csv"
    write_kpi_csv(out, ROWS, lang="en", agency_names=NAMES)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need to read Vietnamese letters
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][:11] == ["000.00.12.H21", "'@Sở Tư pháp", "bcci_received_share", "BCCI criterion 2 — dossiers "
                            "received via BCCI", "5", "40", "0.125", "12.50 %", "> 10 %", "✓", "true"]  # fmt: skip
    assert rows[3][6:11] == ["", "n/a", "> 50 %", "—", ""]
    assert rows[4][0] == '\'=HYPERLINK("x")'
    assert rows[4][1] == "'-1+cmd|' /C calc'!A0"
    assert kpi_csv_text(ROWS, lang="en", agency_names=NAMES) == raw.decode("utf-8-sig")


def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    out = tmp_path / "kpi.xlsx"
    write_kpi_xlsx(out, ROWS, lang="vi", agency_names=NAMES)
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["mã", "tên", "mã chỉ số", "chỉ số"]
    row = [c.value for c in sheet[2]]
    name = "Tỷ lệ hồ sơ TTHC được tiếp nhận qua dịch vụ BCCI"
    assert row[:10] == ["000.00.12.H21", "@Sở Tư pháp", "bcci_received_share", name, 5, 40, 0.125, "12,50 %",
                        "> 10 %", "✓"]  # fmt: skip
    assert sheet.cell(row=2, column=7).number_format == "0.00%"
    cell = sheet.cell(row=5, column=1)
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type in ("s", "inlineStr")  # stored as text: shown, never run as a formula ("f")
    assert sheet.cell(row=5, column=2).value == "-1+cmd|' /C calc'!A0"
    assert sheet.cell(row=5, column=2).data_type in ("s", "inlineStr")


def test_cli_writes_csv_and_xlsx_and_refuses_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_out, xlsx_out = tmp_path / "k.csv", tmp_path / "k.xlsx"
    assert main(["--lang", "en", "kpi", "--sample", "--csv", str(csv_out), "--xlsx", str(xlsx_out)]) == 1
    out = capsys.readouterr().out
    assert f"CSV report: {csv_out}" in out
    assert f"XLSX report: {xlsx_out}" in out
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6 * 10
    r2 = next(r for r in rows if r["group"] == "000.00.53.H48" and r["indicator"] == "bcci_received_share")
    assert (r2["numerator"], r2["denominator"], r2["verdict"], r2["group_name"]) == ("27", "534", "✗", "Quảng Ngãi")
    assert openpyxl.load_workbook(xlsx_out).active.max_row == 61
    names = tmp_path / "names.csv"
    names.write_text("code,name\n000.00.53.H48,Sở Y tế\n", encoding="utf-8")
    assert main(["--lang", "en", "kpi", "--sample", "--agency-names", str(names), "--csv", str(names)]) == 2
    assert "--csv" in capsys.readouterr().err
    assert names.read_text(encoding="utf-8") == "code,name\n000.00.53.H48,Sở Y tế\n"


def test_write_into_a_missing_folder_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="--xlsx"):
        write_kpi_xlsx(tmp_path / "no" / "k.xlsx", ROWS, field="--xlsx")
    assert not (tmp_path / "no").exists()
