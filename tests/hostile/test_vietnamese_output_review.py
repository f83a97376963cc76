"""Hostile review V of session 12 (Vietnamese output) and finding 3 of review O, fixed and kept fixed.

* V1 — a stdout / stderr that cannot encode Vietnamese letters (cp1258, the ANSI code page of Vietnamese Windows;
  latin-1) shows them as backslash escapes: the result is complete, the exit code the command's, never an "internal
  error"; the files the command line writes stay UTF-8; a UTF-8 stream is left as it is.
* V2 / V3 — the check titles (and sources) in the KPI HTML report's validation section and in
  ``tthc validate --json`` follow the language; ``code`` is the same in both; ``ValidationSummary.to_dict()`` keeps
  its English texts unless given a ``lang``.
* V4 — the sources of checks that are words ("catalog", "reader", "portal sync codes …") are translated where shown;
  citations and paths stay as written.
* V5 — the ``tthc kpi`` table, the CSV / XLSX ``group_name`` and the HTML report name the total and the months alike
  (``tất cả``, ``01/2024``).
* V6 — a 405 in Vietnamese is a statement that the path does not answer the method, with the allowed ones.
* V7 — dates tthc writes into finding messages are in the language's form (``09:00 ngày 10/03/2025`` /
  ``2025-03-10 09:00``), channels in words; the ``value`` column keeps the input as read.
* V8 — ``tthc eligibility`` names ``--lists``; ``tthc kpi --help`` words ``--by`` and shows the ``--min-dossiers``
  default plainly; the HTML report's axis ticks and period; a postage line does not repeat its leg; the published
  online level is not called "mức độ mức độ".
* O3 — the KPI report's footer names the catalog's version beside the calendar's and the rules'.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from tthc.catalog.collection import SAMPLE_CATALOG, Catalog
from tthc.cli._app import app
from tthc.errors import DataFileError, InvalidValueError
from tthc.fees import quote
from tthc.foundation.data_files import bundled_path
from tthc.foundation.i18n import gettext
from tthc.kpi.labels import group_text, month_text, period_text
from tthc.kpi.report_html import report_versions
from tthc.postal.eligibility import check_postal_eligibility
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation.checks import instant_text
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.rules import CHECKS, check_title
from tthc.validation.run import validate_files

CAT = Catalog.sample()
SAMPLE = bundled_path("sample_dossiers.csv")


def _run(capsys: pytest.CaptureFixture[str], lang: str, *args: object) -> tuple[int, str]:
    capsys.readouterr()
    code = app(["--lang", lang, *(str(a) for a in args)])
    return code, capsys.readouterr().out


def _bad_records(tmp_path: Path) -> Path:
    """40 sample rows, 3 made wrong: an unknown procedure, dates out of order, 'returned' without finished_at."""
    with SAMPLE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:40]
    rows[3]["procedure_code"] = "9.999999"  # E_UNKNOWN_PROCEDURE
    rows[6]["finished_at"] = "2023-12-01 10:00:00"  # E_DATE_ORDER
    rows[18]["finished_at"] = ""  # W_STATUS
    rows[18]["status"] = "returned"
    path = tmp_path / "ho-so.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- V1: a stream that cannot encode Vietnamese ------------------------------------------------------------------


def _tthc(args: list[str], encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "LC_ALL", "LANG")}
    env.update(PYTHONIOENCODING=encoding, TTHC_LANG="vi", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "tthc", *args], env=env, cwd=cwd, capture_output=True, timeout=120)


DUE = ["due", "--received", "13/02/2026 16:30", "--processing-time", "5 ngày làm việc"]


def test_due_on_a_cp1258_stdout_is_written_with_escapes_not_an_internal_error(tmp_path: Path) -> None:
    proc = _tthc(DUE, "cp1258", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert b"UnicodeEncodeError" not in proc.stderr
    out = proc.stdout.decode("cp1258")
    # 'ạ', 'ả', 'ế' are not in cp1258: written as escapes, the letters cp1258 has ('à', 'Đ') as they are
    assert out.startswith("H\\u1ea1n gi\\u1ea3i quy\\u1ebft: 17:00 Th\\u1ee9 Hai, ngày 02/03/2026"), out[:200]


def test_validate_sample_on_a_latin1_stdout_exits_0(tmp_path: Path) -> None:
    proc = _tthc(["validate", "--sample", "--report", "r.csv"], "latin-1", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert b"UnicodeEncodeError" not in proc.stderr
    assert "3.742 d\\u00f2ng" in proc.stdout.decode("latin-1") or "3.742 dòng" in proc.stdout.decode("latin-1")
    # the report is a file: UTF-8 whatever stdout's encoding
    (tmp_path / "r.csv").read_text(encoding="utf-8")


def test_a_file_written_under_a_cp1258_stdout_is_utf8(tmp_path: Path) -> None:
    write_csv(tmp_path / "x.csv", [row(), row(procedure_code="9.999999")])
    proc = _tthc(["validate", "x.csv", "--report", "r.csv"], "cp1258", tmp_path)
    assert proc.returncode == 1, proc.stderr  # an invalid row: findings, not a crash
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "thủ tục 9.999999 không có trong danh mục TTHC" in text


def test_a_utf8_stdout_is_left_as_it_is(tmp_path: Path) -> None:
    proc = _tthc(DUE, "utf-8", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").startswith("Hạn giải quyết: 17:00 Thứ Hai, ngày 02/03/2026")


def test_the_stream_is_put_back_after_an_in_process_run(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    assert app(["--lang", "vi", *DUE]) == 0
    stream.flush()
    assert raw.getvalue().decode("latin-1").startswith("H\\u1ea1n gi\\u1ea3i quy\\u1ebft")
    assert stream.errors == "strict"  # the caller's stream as it was


# --- V2 / V3 / V4: check titles and sources follow the language ---------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_kpi_html_validation_section_follows_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    html = tmp_path / "r.html"
    _run(capsys, lang, "kpi", _bad_records(tmp_path), "--period", "2024", "--html", html)
    section = html.read_text(encoding="utf-8").split("<table class=findings>")[1].split("</table>")[0]
    for code in ("E_DATE_ORDER", "E_UNKNOWN_PROCEDURE", "W_STATUS"):
        assert f"<td>{code}</td>" in section
        assert check_title(code, lang).replace("<", "&lt;") in section.replace("&gt;", ">")
    english = "procedure code not in the catalog"
    assert (english in section) is (lang == "en")
    source = "danh mục TTHC" if lang == "vi" else "catalog"
    assert f"<td>{source}</td>" in section  # the source of E_UNKNOWN_PROCEDURE, in words
    assert "<td>NĐ 61/2018/NĐ-CP Điều 17–20</td>" in section  # a citation stays as written


def test_validate_kpi_html_validation_section_is_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = tmp_path / "kpi.html"
    _run(capsys, "vi", "validate", _bad_records(tmp_path), "--kpi-html", html)
    text = html.read_text(encoding="utf-8")
    assert "dates out of order" not in text
    assert check_title("E_UNKNOWN_PROCEDURE", "vi") in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_validate_json_titles_and_sources_follow_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    code, out = _run(capsys, lang, "validate", _bad_records(tmp_path), "--json")
    assert code == 1
    by_code = {c["code"]: c for c in json.loads(out)["by_code"]}
    assert set(by_code) >= {"E_DATE_ORDER", "E_UNKNOWN_PROCEDURE", "W_STATUS"}  # codes: the same in both
    assert by_code["E_DATE_ORDER"]["title"] == check_title("E_DATE_ORDER", lang)
    assert by_code["E_UNKNOWN_PROCEDURE"]["source"] == ("danh mục TTHC" if lang == "vi" else "catalog")
    assert by_code["W_STATUS"]["source"] == (
        "mã trạng thái đồng bộ của Cổng Dịch vụ công quốc gia (domain.md §1)"
        if lang == "vi"
        else "portal sync codes (domain.md §1)"
    )


def test_to_dict_keeps_english_unless_given_a_language(tmp_path: Path) -> None:
    summary = validate_files([_bad_records(tmp_path)], CAT, ValidationOptions(lang="vi"))
    plain = {c["code"]: c for c in cast("list[dict[str, str]]", summary.to_dict()["by_code"])}
    worded = {c["code"]: c for c in cast("list[dict[str, str]]", summary.to_dict("vi")["by_code"])}
    assert plain["E_UNKNOWN_PROCEDURE"]["title"] == "procedure code not in the catalog"
    assert plain["E_UNKNOWN_PROCEDURE"]["source"] == "catalog"
    assert worded["E_UNKNOWN_PROCEDURE"]["title"] == "mã thủ tục không có trong danh mục TTHC"
    assert worded["E_UNKNOWN_PROCEDURE"]["source"] == "danh mục TTHC"
    assert worded["E_DATE_ORDER"]["source"] == "NĐ 61/2018/NĐ-CP Điều 17–20"
    with pytest.raises(InvalidValueError):
        summary.to_dict("fr")


def test_validate_table_sources_in_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run(capsys, "vi", "validate", _bad_records(tmp_path))
    assert "không có trong danh mục TTHC" in out
    assert "portal sync codes" not in out
    assert "mã trạng thái đồng bộ" in out
    assert not re.search(r"│ catalog\s+│", out)


@pytest.mark.parametrize(
    ("code", "vi"),
    [
        ("E_ENCODING", "bộ đọc tệp"),
        ("E_UNKNOWN_PROCEDURE", "danh mục TTHC"),
        ("W_PROCEDURE_NOT_IN_FORCE", "danh mục TTHC (hiệu lực từ valid_from đến valid_until)"),
        ("E_CHANNEL_NOT_OFFERED", "NĐ 61/2018/NĐ-CP Điều 16; danh mục TTHC"),
        ("W_STATUS", "mã trạng thái đồng bộ của Cổng Dịch vụ công quốc gia (domain.md §1)"),
        ("E_SCHEMA", "docs/records.md"),  # a path: the same in both languages
        ("W_AGENCY_CODE", "QCVN 102:2016/BTTTT"),  # a citation: the same too
    ],
)
def test_sources_in_words_are_translated_citations_are_not(code: str, vi: str) -> None:
    assert gettext(CHECKS[code].source, "vi") == vi


# --- V5: groups named alike in the terminal table, the CSV and the report --------------------------------------------


@pytest.mark.parametrize(("lang", "label"), [("vi", "tất cả"), ("en", "all")])
def test_kpi_total_row_label(capsys: pytest.CaptureFixture[str], lang: str, label: str) -> None:
    _, out = _run(capsys, lang, "kpi", "--sample", "--period", "2024-Q1", "--by", "total")
    assert re.search(rf"^│ {label}\s", out, re.M), out


@pytest.mark.parametrize(("lang", "month"), [("vi", "01/2024"), ("en", "2024-01")])
def test_kpi_month_rows(capsys: pytest.CaptureFixture[str], lang: str, month: str) -> None:
    _, out = _run(capsys, lang, "kpi", "--sample", "--period", "2024-Q1", "--by", "month")
    assert re.search(rf"^│ {month}\s", out, re.M), out
    if lang == "vi":
        assert re.search(r"^│ 2024-01\s", out, re.M) is None


@pytest.mark.parametrize(
    ("by", "group", "name"), [("month", "2024-02", "02/2024"), ("total", "all", "tất cả"), ("procedure", None, "")]
)
def test_kpi_csv_group_name_of_months_and_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], by: str, group: str | None, name: str
) -> None:
    out = tmp_path / "k.csv"
    _run(capsys, "vi", "kpi", "--sample", "--period", "2024-Q1", "--by", by, "--csv", out)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["group"]: r["group_name"] for r in rows}
    if group is None:  # procedure codes: no name (the code says it)
        assert set(names.values()) == {""}
    else:
        assert names[group] == name


def test_labellers_both_languages() -> None:
    assert (month_text("2024-03", "vi"), month_text("2024-03", "en")) == ("03/2024", "2024-03")
    assert month_text("2.001417", "vi") == "2.001417"  # not a month: as it is
    assert (group_text("all", "vi"), group_text("all", "en"), group_text("1.000001", "vi")) == (
        "tất cả",
        "all",
        "1.000001",
    )
    assert period_text("2024-01..2024-12", "vi") == "01/2024–12/2024"
    assert period_text("2024-01..2024-12", "en") == "2024-01–2024-12"
    assert period_text("2024-03", "vi") == "03/2024"
    assert period_text("all", "vi") == "tất cả"
    assert period_text("…..2024-06", "vi") == "…–06/2024"  # str(Period(None, "2024-06"))


# --- V6: HTTP 405 ------------------------------------------------------------------------------------------------


def test_http_405_and_404_details() -> None:
    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from tthc.server import ServerConfig, ServiceData, create_app

    client = TestClient(
        create_app(data=ServiceData.load(ServerConfig(access_log=False))), raise_server_exceptions=False
    )
    vi = client.delete("/v1/due?lang=vi").json()
    assert vi["detail"] == "DELETE /v1/due: đường dẫn này không hỗ trợ phương thức DELETE (được phép: POST)"
    assert client.delete("/v1/due?lang=en").json()["detail"] == "DELETE /v1/due: Method Not Allowed"
    assert client.get("/v1/nothing?lang=vi").json()["detail"] == "GET /v1/nothing: không có đường dẫn này"


# --- V7: dates and channels in finding messages -------------------------------------------------------------------

ROWS = [
    row(dossier_code="000.00.12.H21-250304-0001"),  # W_DOSSIER_CODE_DATE
    row(  # W_LATE_SUPPLEMENT_REQUEST
        supplement_requested_at="2025-03-10 09:00:00",
        supplement_completed_at="2025-03-11 09:00:00",
        supplement_count="1",
    ),
    row(extended_due_at="2025-03-10 17:00:00"),  # W_EXTENSION_NOT_LATER
    row(  # W_LATE_EXTENSION
        extended_due_at="2025-03-20 17:00:00", extension_issued_at="2025-03-17 08:00:00", extension_count="1"
    ),
    row(procedure_code="2.000884", channel="online", due_at=""),  # E_CHANNEL_NOT_OFFERED
]


def _messages(lang: str, rows: list[dict[str, str]] = ROWS) -> dict[str, tuple[str, str | None]]:
    result = validate_chunk({k: [r[k] for r in rows] for k in HEADER}, CAT, ValidationOptions(lang=lang))
    return {p.code: (p.message, p.value) for p in result.findings}


def test_finding_messages_in_vietnamese_write_dates_as_vietnamese_documents_do() -> None:
    m = _messages("vi")
    assert m["W_DOSSIER_CODE_DATE"][0] == "mã hồ sơ ghi ngày tiếp nhận 04/03/2025, received_at là 09:00 ngày 03/03/2025"
    assert m["W_LATE_SUPPLEMENT_REQUEST"] == (
        "yêu cầu bổ sung hồ sơ lúc 09:00 ngày 10/03/2025, quá 3 ngày làm việc sau ngày tiếp nhận 03/03/2025 "
        "(tiếp nhận 09:00 ngày 03/03/2025)",
        "2025-03-10 09:00:00",  # the value column: the input as read
    )
    assert m["W_EXTENSION_NOT_LATER"][0] == (
        "ngày hẹn trả mới 17:00 ngày 10/03/2025 không sau hạn giải quyết 17:00 ngày 17/03/2025"
    )
    assert "lập lúc 08:00 ngày 17/03/2025" in m["W_LATE_EXTENSION"][0]
    assert m["W_LATE_EXTENSION"][0].endswith("trước hạn giải quyết 17:00 ngày 17/03/2025")
    assert m["E_CHANNEL_NOT_OFFERED"] == (
        "thủ tục 2.000884 không công bố cách thức trực tuyến (đã công bố: trực tiếp)",
        "online",
    )
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", msg) for msg, _ in m.values())


def test_finding_messages_in_english_stay_readable() -> None:
    m = _messages("en")
    assert m["W_DOSSIER_CODE_DATE"][0] == "the code says received on 2025-03-04, received_at is 2025-03-03 09:00"
    assert m["W_LATE_SUPPLEMENT_REQUEST"][0] == (
        "supplement requested 2025-03-10 09:00, more than 3 working days after the receipt day 2025-03-03 "
        "(received 2025-03-03 09:00)"
    )
    assert (
        m["W_EXTENSION_NOT_LATER"][0] == "new appointment 2025-03-10 17:00 is not after the due date 2025-03-17 17:00"
    )
    assert m["E_CHANNEL_NOT_OFFERED"][0] == "procedure 2.000884 publishes no online channel (published: direct)"


def test_an_instant_with_seconds_keeps_them() -> None:
    assert instant_text(np.datetime64("2025-03-10T09:00:00"), "vi") == "09:00 ngày 10/03/2025"
    assert instant_text(np.datetime64("2025-03-10T09:00:30"), "vi") == "09:00:30 ngày 10/03/2025"
    assert instant_text(np.datetime64("2025-03-10T09:00:30"), "en") == "2025-03-10 09:00:30"
    assert instant_text(np.datetime64("NaT"), "vi") == ""


def test_due_mismatch_message_uses_one_date_form_and_the_channel_in_words() -> None:
    msg, value = _messages("vi", [row(due_at="2025-03-18 17:00:00")])["E_DUE_MISMATCH"]
    assert msg.startswith("hạn giải quyết ghi nhận 17:00 ngày 18/03/2025, tính lại được 17:00 ngày 17/03/2025 ")
    assert "(trực tuyến)" in msg
    assert value == "2025-03-18 17:00:00"


# --- V8 -----------------------------------------------------------------------------------------------------------


def test_eligibility_cli_names_the_lists_option(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run(capsys, "en", "eligibility", "2.001417")
    assert "use --lists FILE to apply one" in out
    assert "agency_lists=" not in out
    _, out = _run(capsys, "en", "eligibility", "2.001417", "--json")
    assert "use --lists FILE" in json.loads(out)["reasons"][0]["message"]
    # the library keeps its Python wording
    verdict = check_postal_eligibility(CAT["2.001417"], "both", on=date(2026, 3, 2), lang="en")
    assert "pass agency_lists= to apply one" in verdict.reasons[0].message


def test_kpi_help_words_by_and_shows_the_min_dossiers_default_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run(capsys, "en", "kpi", "--help")
    text = " ".join(out.split())
    assert "--by [agency|procedure|month|total] Group by:" in text
    assert "[default: 30; x>=0]" in text
    assert "(30)" not in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_kpi_html_ticks_and_period(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    html = tmp_path / "r.html"
    _run(capsys, lang, "kpi", "--sample", "--period", "2024", "--html", html)
    text = html.read_text(encoding="utf-8")
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', text)
    assert len(ticks) >= 10  # five per chart
    assert set(ticks) == {"0 %", "25 %", "50 %", "75 %", "100 %"}
    sub = re.search(r'<p class="sub">([^<]*)</p>', text)
    assert sub is not None
    assert ("01/2024–12/2024" if lang == "vi" else "2024-01–2024-12") in sub.group(1)
    assert "2024-01..2024-12" not in sub.group(1)


def test_postage_line_does_not_repeat_its_leg() -> None:
    q = quote(CAT["2.001417"], channel="postal", postal="both", route="within_province", on=date(2026, 3, 2))
    vi, en = q.explain("vi").splitlines(), q.explain("en").splitlines()
    assert any(line.startswith("  cước chuyển trả kết quả: ") for line in vi), vi
    assert not any("[chuyển trả kết quả]" in line for line in vi if "cước chuyển trả kết quả" in line)
    assert any(line.startswith("  cước chuyển trả kết quả [return]: ") for line in en), en  # English: which leg


def test_the_published_online_level_is_not_called_level_twice() -> None:
    q = quote(CAT["1.002809"], channel="online", on=date(2025, 3, 3), lang="vi")
    assert q.steps[0] == "chưa ghi mức độ trực tuyến: dùng mức đã công bố (toàn trình)"
    assert "mức độ mức độ" not in " ".join(q.steps)


# --- O3: the catalog's version in the KPI report's footer ---------------------------------------------------------


def _footer(html: Path) -> str:
    m = re.search(r"<footer>(.*?)</footer>", html.read_text(encoding="utf-8"), re.DOTALL)
    assert m is not None
    return re.sub(r"<[^>]+>", " ", m.group(1))


@pytest.mark.parametrize(("lang", "label"), [("vi", "dữ liệu danh mục TTHC"), ("en", "catalog data")])
def test_the_footer_names_the_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, label: str
) -> None:
    html = tmp_path / "r.html"
    _run(capsys, lang, "kpi", "--sample", "--html", html)
    sample = report_versions(catalog=bundled_path(SAMPLE_CATALOG))["catalog"]
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*\+[0-9a-f]{8}", sample)
    footer = _footer(html)
    assert f"{label} {sample};" in footer
    assert footer.index(gettext("calendar data", lang)) < footer.index(label) < footer.index(gettext("KPI rules", lang))


def test_the_footer_names_the_catalog_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "catalog.json"
    own.write_bytes(bundled_path(SAMPLE_CATALOG).read_bytes() + b"\n")  # the same procedures, other bytes
    html = tmp_path / "r.html"
    _run(capsys, "en", "validate", "--sample", "--catalog", own, "--kpi-html", html)
    sample = report_versions(catalog=bundled_path(SAMPLE_CATALOG))["catalog"]
    given = report_versions(catalog=own)["catalog"]
    assert given != sample
    assert f"catalog data {given};" in _footer(html)


def test_report_versions_without_a_catalog_and_with_a_missing_one(tmp_path: Path) -> None:
    assert "catalog" not in report_versions()
    with pytest.raises(DataFileError, match=r"nothing\.json: (data file not found|cannot read)"):
        report_versions(catalog=tmp_path / "nothing.json")
