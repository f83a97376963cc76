"""Found by a hostile review of the KPI outputs and the CLI, session 11.

Each test reproduces one finding of the review (F1-F7, F9, F10; F8, the quote's province, is tested with the fees):
an XLSX cell holding a control character, a percentage threshold off by one ulp, a rules file's threshold outside
0-1, a report calling agencies procedures, a period typed with full-width digits, two outputs naming one new file,
``tthc due`` past the calendar naming an internal parameter, a lower-case agency code split off as a second agency,
and ``import-portal --min-time nan``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tthc.cli._app import app
from tthc.errors import DataFileError, InvalidValueError, OutputFileError
from tthc.kpi.indicators import Indicator, KpiRules, Period
from tthc.testing.record_files import row, write_csv

REAL = Path("/work/shared/data/real/portal_defence_207.jsonl.gz")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = app([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------- F1: a control character in an XLSX cell


def test_xlsx_with_a_control_character_is_written_with_the_character_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    records = write_csv(
        tmp_path / "x.csv",
        [row(), row(dossier_code="000.00.12.H21-250303-0002", agency_code="AB\x01C")],  # valid (W_AGENCY_CODE)
    )
    xlsx, csv_out = tmp_path / "k.xlsx", tmp_path / "k.csv"
    code, _, err = run(capsys, "--lang", "en", "kpi", records, "--xlsx", xlsx, "--csv", csv_out)
    assert "internal error" not in err, err
    assert code in (0, 1), err
    assert "AB\x01C" in csv_out.read_text(encoding="utf-8-sig")  # the CSV keeps the value as it is
    sheet = openpyxl.load_workbook(xlsx).active
    groups = {sheet.cell(row=i, column=1).value for i in range(2, sheet.max_row + 1)}
    assert groups == {"000.00.12.H21", "AB\\x01C"}  # written as the terminal shows it


def test_kpi_xlsx_bytes_escapes_every_character_a_worksheet_refuses() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from tthc.kpi.export import kpi_xlsx_bytes

    ind = Indicator(
        group="A\x1b[2J\x00B\ud800\tC", indicator="dossiers", numerator=1, denominator=None, value=None,
        threshold=None, passed=None, comparison=None, period="all", first_month="2025-03", last_month="2025-03",
        rule="r", source="s",
    )  # fmt: skip
    data = kpi_xlsx_bytes([ind], lang="en")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.cell(row=2, column=1).value == "A\\x1b[2J\\x00B\\ud800\tC"  # TAB is allowed in a cell


def test_internal_error_line_escapes_control_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tthc.cli.schema as schema

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("bad \x1b[2J cell")

    monkeypatch.setattr(schema, "echo_json", boom)
    code, _, err = run(capsys, "--lang", "en", "schema", "records")
    assert code == 2
    assert "\x1b" not in err, err
    assert "bad \\x1b[2J cell" in err, err


# ---------------------------------------------------------------- F2: percentage thresholds compared exactly


def _online_file(tmp_path: Path, online: int, total: int) -> Path:
    rows = []
    for i in range(total):
        ch = "online" if i < online else "direct"
        rows.append(
            row(
                dossier_code=f"000.00.12.H21-250303-{i + 1:04d}",
                channel=ch,
                online_level="full" if ch == "online" else "",
                result_channel="online" if ch == "online" else "direct",
            )
        )
    return write_csv(tmp_path / "x.csv", rows)


def _online(capsys: pytest.CaptureFixture[str], records: Path, *args: str) -> dict[str, object]:
    code, out, err = run(capsys, "--lang", "en", "kpi", records, "--by", "total", *args, "--json")
    assert code in (0, 1), err
    return next(x for x in json.loads(out) if x["indicator"] == "online_share" and x["group"] == "all")


@pytest.mark.parametrize(
    ("threshold", "passed"),
    [("10.4%", True), ("0.104", True), ("10.41%", False), ("0.10400000000000001", False), ("10.399%", True)],
)
def test_percent_threshold_at_the_boundary_with_ge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], threshold: str, passed: bool
) -> None:
    records = _online_file(tmp_path, 13, 125)  # 13/125 = 10.4 % exactly
    ind = _online(capsys, records, "--threshold", f"online_share={threshold}")
    assert (ind["numerator"], ind["denominator"], ind["comparison"]) == (13, 125, ">=")
    assert ind["passed"] is passed, ind


@pytest.mark.parametrize(("threshold", "passed"), [("11.2%", False), ("0.112", False), ("11.19%", True)])
def test_percent_threshold_at_the_boundary_with_gt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], threshold: str, passed: bool
) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps({"indicators": {"online_share": {"threshold": 0.5, "comparison": ">", "rule": "mine",
                                                    "reference": {"document": "mine"}}}}),
        encoding="utf-8",
    )  # fmt: skip
    records = _online_file(tmp_path, 14, 125)  # 14/125 = 11.2 % exactly
    ind = _online(capsys, records, "--thresholds", str(rules), "--threshold", f"online_share={threshold}")
    assert ind["comparison"] == ">"
    assert ind["passed"] is passed, ind  # strictly greater: equal fails


def test_percent_and_ratio_forms_give_the_same_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = _online_file(tmp_path, 13, 125)
    pct = _online(capsys, records, "--threshold", "online_share=10.4%")
    ratio = _online(capsys, records, "--threshold", "online_share=0.104")
    assert pct["threshold"] == ratio["threshold"] == 0.104


@pytest.mark.parametrize("given", ["x%", "sNaN", "nan%", "150%", "-1%", "１０%"])
def test_bad_percent_thresholds_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str) -> None:
    records = _online_file(tmp_path, 1, 2)
    code, _, err = run(capsys, "--lang", "en", "kpi", records, "--threshold", f"online_share={given}")
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert "expected a ratio" in err, err


# ---------------------------------------------------------------- F3: rules file thresholds outside 0-1


@pytest.mark.parametrize("threshold", [10, 50, -0.5, 1.5])
def test_thresholds_file_outside_0_1_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], threshold: float
) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps({"indicators": {"bcci_received_share": {"threshold": threshold, "comparison": ">", "rule": "mine",
                                                           "reference": {"document": "mine"}}}}),
        encoding="utf-8",
    )  # fmt: skip
    said = rf"indicators\.bcci_received_share: .*threshold: expected a ratio between 0 and 1, got {float(threshold)}"
    with pytest.raises(DataFileError, match=said):
        KpiRules.load(rules)
    code, _, err = run(capsys, "--lang", "en", "kpi", "--sample", "--by", "total", "--thresholds", rules)
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert re.search(said, err), err


@pytest.mark.parametrize("threshold", [0, 1, 0.1])
def test_thresholds_file_inside_0_1_is_accepted(tmp_path: Path, threshold: float) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps({"indicators": {"bcci_received_share": {"threshold": threshold, "rule": "mine",
                                                           "reference": {"document": "mine"}}}}),
        encoding="utf-8",
    )  # fmt: skip
    assert KpiRules.load(rules).indicators["bcci_received_share"].threshold == threshold


# ---------------------------------------------------------------- F4: the HTML report groups as the run does


def test_html_report_by_agency_stays_by_agency_with_one_nonstandard_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = write_csv(
        tmp_path / "x.csv",
        [row(), row(dossier_code="000.00.12.H21-250303-0002", agency_code="H21.12")],  # valid (W_AGENCY_CODE)
    )
    html = tmp_path / "k.html"
    run(capsys, "--lang", "en", "kpi", records, "--by", "agency", "--html", html)
    page = html.read_text(encoding="utf-8")
    assert "procedures fail" not in page
    assert "of 2 agencies fail" in page
    assert "000.00.12.H21 (Gia Lai)" in page  # the known agency keeps its name


def test_render_html_by_is_checked() -> None:
    from tthc.kpi.report_html import render_html

    with pytest.raises(InvalidValueError, match="by: expected one of agency, procedure, month, total"):
        render_html([], by="agencies")


# ---------------------------------------------------------------- F5: periods in ASCII digits only


@pytest.mark.parametrize("text", ["２０２５", "٢٠٢٥-Q1", "２０２５-03", "2025-０３", "२०२५..2026"])
def test_period_with_non_ascii_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidValueError, match="period: expected YYYY, YYYY-MM, YYYY-Qn"):
        Period.parse(text)


def test_kpi_period_with_fullwidth_year_is_an_error_not_an_empty_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "kpi", "--sample", "--by", "total", "--period", "２０２５", "--json")
    assert code == 2
    assert _strict_json(out) == {"error": {"kind": "input", "field": "period", "given": "２０２５", "expected": (
        "YYYY, YYYY-MM, YYYY-Qn, or A..B of those"), "message": "period: expected YYYY, YYYY-MM, YYYY-Qn, or A..B of "
        "those, got '２０２５'"}}  # fmt: skip


# ---------------------------------------------------------------- F6: two outputs naming one new file


@pytest.mark.parametrize(
    "args",
    [
        ["kpi", "{records}", "--csv", "{out}", "--xlsx", "{out}"],
        ["kpi", "{records}", "--html", "{out}", "--csv", "{out}"],
        ["kpi", "{records}", "--html", "{out}", "--report", "{dir}/../{dir_name}/both.findings.csv"],
        ["validate", "{records}", "--report", "{out}", "--kpi-html", "{out}"],
    ],
)
def test_two_outputs_naming_one_new_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    records = write_csv(tmp_path / "x.csv", [row()])
    out = tmp_path / "both.findings.csv"
    argv = [a.format(records=records, out=out, dir=tmp_path, dir_name=tmp_path.name) for a in args]
    code, stdout, err = run(capsys, "--lang", "en", *argv)
    assert code == 2, (code, stdout[-300:])
    assert len(err.splitlines()) == 1, err
    assert "expected different files for " in err, err
    assert "it is the output of " in err, err
    assert not out.exists()  # refused before anything was written


def test_refuse_same_outputs_compares_new_paths_resolved_and_existing_files_by_identity(tmp_path: Path) -> None:
    from tthc.foundation.output_files import refuse_same_outputs

    new = tmp_path / "new.csv"
    with pytest.raises(OutputFileError) as caught:
        refuse_same_outputs({"--csv": new, "--xlsx": tmp_path / "sub" / ".." / "new.csv"})
    assert caught.value.field == "--xlsx"
    assert str(caught.value).startswith("--xlsx: expected different files for --csv and --xlsx, got ")
    existing = tmp_path / "old.csv"
    existing.write_text("", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(existing)
    with pytest.raises(OutputFileError, match="it is the output of --report too"):
        refuse_same_outputs({"--report": existing, "--html": tmp_path / "link.csv"})
    refuse_same_outputs({"--csv": new, "--xlsx": tmp_path / "new.xlsx", "--html": None})  # different files: fine
    refuse_same_outputs({"--csv": "/dev/null", "--xlsx": "/dev/null"})  # a character device destroys nothing


# ---------------------------------------------------------------- F7: `tthc due` past the calendar


@pytest.mark.parametrize(
    ("received", "time", "given"),
    [
        ("2100-12-31 16:00", "10 ngày làm việc", "2100-12-31 16:00+07:00"),
        ("2100-12-20 09:00", "10 ngày làm việc", "2100-12-20 09:00+07:00"),
        ("2100-12-01", "1 Tháng", "2100-12-01 00:00+07:00"),
    ],
)
def test_due_past_the_calendar_names_the_receipt_and_what_was_given(
    capsys: pytest.CaptureFixture[str], received: str, time: str, given: str
) -> None:
    code, out, err = run(capsys, "--lang", "en", "due", "--received", received, "--processing-time", time, "--json")
    assert code == 2
    error = _strict_json(out)["error"]  # type: ignore[index]
    assert (error["field"], error["given"]) == ("--received", given), error
    assert error["expected"] == "a receipt whose due date falls in 2000-01-01..2100-12-31 (the compiled range)"
    assert error["message"].endswith(f"({time} from it ends after 2100-12-31)"), error["message"]
    code, _, err = run(capsys, "--lang", "vi", "due", "--received", received, "--processing-time", time)
    assert code == 2, err
    assert err.startswith("tthc: --received: "), err
    assert len(err.splitlines()) == 1, err


def test_due_with_a_receipt_outside_the_calendar_names_the_receipt(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "due", "--received", "2101-01-02", "--processing-time", "1 ngày",
                       "--json")  # fmt: skip
    assert code == 2
    error = _strict_json(out)["error"]  # type: ignore[index]
    assert (error["field"], error["given"]) == ("--received", "2101-01-02 00:00+07:00"), error
    assert error["expected"] == "a receipt in 2000-01-01..2100-12-31 (the compiled range)"


# ---------------------------------------------------------------- F9: one agency whatever the case of its code


def test_lowercase_agency_code_is_the_same_agency_in_the_kpis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [row(), row(dossier_code="000.00.12.H21-250303-0002", agency_code="000.00.12.h21"),
            row(dossier_code="000.00.12.H21-250303-0003", agency_code="h21.x")]  # fmt: skip
    records = write_csv(tmp_path / "x.csv", rows)
    seen = []
    for jobs in ("1", "2"):
        code, out, err = run(capsys, "--lang", "en", "kpi", records, "--by", "agency", "--jobs", jobs, "--json")
        assert code in (0, 1), err
        seen.append({x["group"]: x["numerator"] for x in json.loads(out) if x["indicator"] == "dossiers"})
    # AgencyCode("000.00.12.h21") is "000.00.12.H21"; a value that is no agency code stays as it is (warned about)
    assert seen[0] == seen[1] == {"000.00.12.H21": 2, "h21.x": 1}
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    parquet = tmp_path / "x.parquet"
    pq.write_table(pa.table({k: [r[k] or None for r in rows] for k in rows[0]}), parquet)
    _, out, err = run(capsys, "--lang", "en", "kpi", parquet, "--by", "agency", "--json")
    assert {x["group"]: x["numerator"] for x in json.loads(out) if x["indicator"] == "dossiers"} == seen[0], err


# ---------------------------------------------------------------- F10: import-portal's coverage targets


@pytest.mark.skipif(not REAL.is_file(), reason="real portal export not available")
@pytest.mark.parametrize("option", ["--min-time", "--min-fee"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-0.5", "1.01"])
def test_import_portal_refuses_a_target_that_is_not_a_share(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    code, out, err = run(capsys, "--lang", "en", "import-portal", REAL, "--jobs", "1", option, value, "--json")
    assert code == 2
    error = _strict_json(out)["error"]  # type: ignore[index]
    assert (error["field"], error["expected"]) == (option, "a share between 0 and 1"), error
    code, _, err = run(capsys, "--lang", "en", "import-portal", REAL, "--jobs", "1", option, value)
    assert code == 2, err
    assert err.startswith(f"tthc: {option}: expected a share between 0 and 1, got "), err
    assert len(err.splitlines()) == 1, err


def test_echo_json_never_writes_nan(capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli._common import echo_json

    with pytest.raises(ValueError, match="not JSON compliant"):
        echo_json({"x": float("nan")})
