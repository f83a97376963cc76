"""The language and colours of the command line: ``--lang`` > ``TTHC_LANG`` > Vietnamese; ``--no-color`` and
``NO_COLOR``; errors framed in the chosen language; the environment put back after each run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tthc.cli._app import app
from tthc.cli._common import error_payload
from tthc.errors import InvalidValueError

DUE = ["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc"]


def test_vietnamese_is_the_default(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TTHC_LANG")
    assert app(DUE) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hạn giải quyết: 17:00 Thứ Ba, ngày 01/12/2026 (giờ Việt Nam)\n")
    assert "  - 5 ngày làm việc kể từ sau Thứ Hai, 23/11/2026" in out
    assert "TTHC_LANG" not in os.environ  # put back as it was


def test_lang_option_beats_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    assert os.environ["TTHC_LANG"] == "en"  # tests/conftest.py
    assert app(["--lang", "vi", *DUE]) == 0
    assert capsys.readouterr().out.startswith("Hạn giải quyết: 17:00 Thứ Ba, ngày 01/12/2026 (giờ Việt Nam)\n")
    assert os.environ["TTHC_LANG"] == "en"
    assert app(["--lang=en", *DUE]) == 0
    assert capsys.readouterr().out.startswith("Due: Tue 2026-12-01 17:00 (Asia/Ho_Chi_Minh)\n")


def test_the_environment_chooses_when_no_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TTHC_LANG", "vi_VN.UTF-8")
    assert app(DUE) == 0
    assert capsys.readouterr().out.startswith("Hạn giải quyết:")


def test_projected_mark_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["due", "--received", "2026-12-28 09:00", "--processing-time", "10 ngày làm việc"]
    assert app(["--lang", "vi", *args]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head == (
        "Hạn giải quyết: 17:00 Thứ Ba, ngày 12/01/2027 (giờ Việt Nam)  (DỰ TÍNH — lịch làm việc chưa được công bố)"
    )
    assert app(["--lang", "en", *args]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Due: Tue 2027-01-12 17:00 (Asia/Ho_Chi_Minh)  (PROJECTED — schedule not announced)"
    )


def test_no_due_date_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["due", "--received", "2026-11-20 09:00", "--processing-time", "không quy định"]
    assert app(["--lang", "vi", *args]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Không có hạn giải quyết"
    assert app(["--lang", "en", *args]) == 0
    assert capsys.readouterr().out.startswith("No due date: ")


@pytest.mark.parametrize("bad", ["fr", "", "vietnamese"])
def test_an_unknown_language_is_one_error_line(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["--lang", bad, *DUE]) == 2
    # the value is wrong, so the error is worded in the language of the environment (English in the tests)
    assert capsys.readouterr().err == f"tthc: --lang: expected 'vi' or 'en', got {bad!r}\n"


def test_a_bad_environment_language_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TTHC_LANG", "xx")
    assert app(DUE) == 2
    assert "tthc: TTHC_LANG: " in capsys.readouterr().err
    assert os.environ["TTHC_LANG"] == "xx"


def test_errors_are_framed_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["--lang", "vi", "due", "--received", "30/02/2026", "--processing-time", "1 ngày"]) == 2
    assert capsys.readouterr().err == (
        "tthc: --received: cần ngày giờ theo ISO 8601 hoặc 'dd/mm/yyyy [HH:MM[:SS]]' "
        "(không ghi múi giờ = giờ Việt Nam), nhận được '30/02/2026' (tháng 02/2026 chỉ có 28 ngày)\n"
    )
    assert app(["--lang", "vi", "due"]) == 2  # click's own message, worded through the catalog too
    assert capsys.readouterr().err == "tthc: due: Thiếu tùy chọn '--received'. (xem 'tthc due --help')\n"
    assert app(["--lang", "en", "due"]) == 2
    assert capsys.readouterr().err == "tthc: due: Missing option '--received'. (see 'tthc due --help')\n"
    assert app(["--lang", "vi", "due", "--received", "2026-02-13"]) == 2
    assert capsys.readouterr().err == (
        "tthc: due: hãy chỉ định --processing-time hoặc --procedure (xem 'tthc due --help')\n"
    )
    assert app(["--lang", "en", "due", "--received", "2026-02-13"]) == 2
    assert capsys.readouterr().err == "tthc: due: give --processing-time or --procedure (see 'tthc due --help')\n"


def test_json_errors_keep_the_library_fields_and_translate_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["--lang", "vi", "quote", "2.001417", "--channel", "online", "--on", "32/01/2026", "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["field"] == "--on"
    assert error["expected"] == "a date, ISO 8601 or dd/mm/yyyy (2026-02-13 or 13/02/2026)"  # for programs: as raised
    assert error["message"] == (
        "--on: cần một ngày theo ISO 8601 hoặc dd/mm/yyyy (2026-02-13 hoặc 13/02/2026), nhận được '32/01/2026' "
        "(tháng 01/2026 chỉ có 31 ngày)"
    )


def test_english_error_messages_are_the_library_text_unchanged() -> None:
    exc = InvalidValueError("--x", "an untranslated wording", "y", detail="why not")
    assert error_payload(exc, kind="input", lang="en")["error"]["message"] == str(exc)  # type: ignore[index]
    vi = error_payload(exc, kind="input", lang="vi")["error"]["message"]  # type: ignore[index]
    assert vi == "--x: cần an untranslated wording, nhận được 'y' (why not)"  # unknown wordings stay as written
    bare = InvalidValueError("", "", None)
    assert error_payload(bare, kind="input", lang="vi")["error"]["message"] == "cần , nhận được None"  # type: ignore[index]


def test_internal_and_interrupted_are_framed_too() -> None:
    payload = error_payload(RuntimeError("boom"), kind="internal", lang="vi")
    assert payload["error"]["message"] == (  # type: ignore[index]
        "lỗi nội bộ: RuntimeError: boom — vui lòng báo lỗi này cho nhóm phát triển tthc"
    )
    interrupted = error_payload(None, kind="interrupted", lang="vi")
    assert interrupted["error"]["message"] == "đã dừng giữa chừng; không có tệp kết quả nào được ghi"  # type: ignore[index]
    assert error_payload(None, kind="interrupted", lang="en")["error"]["message"] == (  # type: ignore[index]
        "interrupted; no output was written"
    )


def test_no_color_for_the_run_only(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    seen: list[str | None] = []
    import tthc.cli.audit as audit
    from tthc.cli._common import console

    def spy(*, min_width: int = 0) -> object:
        seen.append(os.environ.get("NO_COLOR"))
        made = console(min_width=min_width)
        seen.append("no_color" if made.no_color else "color")
        return made

    monkeypatch.setattr(audit, "console", spy)
    assert app(["--no-color", "audit"]) in (0, 1)
    assert seen == ["1", "no_color"]
    assert "NO_COLOR" not in os.environ
    assert "\x1b[" not in capsys.readouterr().out


def test_no_color_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    from tthc.cli._common import color_enabled, console

    monkeypatch.setenv("NO_COLOR", "1")
    assert not color_enabled()
    assert console().no_color
    monkeypatch.setenv("NO_COLOR", "")  # https://no-color.org: present and not empty
    assert color_enabled()


def test_piped_audit_marks_an_info_note_in_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note is dim on a terminal; piped, the style is gone, so the cell says it in words (a finding does not)."""
    from tthc.kpi import audit as kpi_audit
    from tthc.kpi.audit import AuditFinding

    def two(*args: object, **kwargs: object) -> list[AuditFinding]:
        common = {"name": "Thủ tục A", "message": "m", "source": "src"}
        return [
            AuditFinding(code="ONLINE_PAYMENT_UNKNOWN", severity="info", procedure="1.000001", **common),
            AuditFinding(code="UPGRADE_CANDIDATE", procedure="1.000002", **common),
        ]

    monkeypatch.setattr(kpi_audit, "audit_catalog", two)
    assert app(["--lang", "vi", "audit"]) == 1
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert out.count("(ghi chú, không phải") == 1
    assert out.startswith("Rà soát danh mục: ")


def test_validation_summary_in_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.testing.record_files import row, write_csv

    records = write_csv(
        tmp_path / "records.csv",
        [row(), row(dossier_code="000.00.12.H21-250303-0002"),
         row(dossier_code="000.00.12.H21-250303-0003", procedure_code="9.999999")],
    )  # fmt: skip
    assert app(["--lang", "vi", "validate", str(records)]) == 1
    out = capsys.readouterr().out
    lines = [line.rstrip() for line in out.splitlines()]
    assert ": csv, mã hóa utf-8, dấu phân cách ','" in out.replace("\n", " ").replace("  ", " ")  # a long path wraps
    assert "3 dòng: 2 hợp lệ, 1 không hợp lệ (0 dòng chỉ có cảnh báo)" in lines
    assert "Phát hiện theo mã" in lines
    assert any("E_UNKNOWN_PROCEDURE" in line and "mã thủ tục không có" in line for line in lines)
    assert "Mức độ đúng hạn (theo từng hồ sơ)" in lines
    assert app(["--lang", "en", "validate", str(records)]) == 1
    assert "3 rows: 2 valid, 1 invalid (0 with warnings only)" in capsys.readouterr().out.splitlines()
