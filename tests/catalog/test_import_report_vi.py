"""Import-report issues in Vietnamese (issue 14): the severity mark, the field and the text as read, and every reason
the importer and its parsers give — with their values — worded in the reader's language; the JSON report's reasons
stay English (read by programs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.catalog import import_portal_files
from tthc.catalog.free_text import (
    Unparsed,
    infer_authorisation,
    infer_presence_and_authorisation,
    parse_fee_text,
    parse_levels,
    parse_processing_time,
    split_flat_channel_table,
)
from tthc.catalog.import_report import ImportIssue, ImportReport
from tthc.catalog.portal_files import RawRecord, decode_line
from tthc.catalog.portal_import import parse_portal_rows
from tthc.errors import InvalidValueError
from tthc.foundation.error_words import ErrorWords
from tthc.foundation.i18n import gettext
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.words import Words, marked

FLAT = (
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ(20.000 vnđ /tờ khai)"
    "Trực tiếp1.5 Ngày làm việcMiễn phí(150.000 đồng/giấy)Dịch vụ bưu chính3 Tuần40 Việt Nam Đồng(40.000đ/giấy)"
)
NATIONAL = {"ma_thu_tuc": "1.000178", "ten_thu_tuc": "Đăng ký khai sinh", "cach_thuc_thuc_hien": FLAT}


def _explained(report: ImportReport, lang: str) -> list[str]:
    return [i.explain(lang) for r in report.records for i in r.issues]


# -- hand-built issues (no words kept): the fixed reasons are still translated ----------------------------------------


def test_a_fixed_reason_in_vietnamese_and_english() -> None:
    issue = ImportIssue(field="channels", text="Trực tuyến; 5 ngày", reason="no channel table", severity="unparsed")
    assert issue.explain("vi") == "[chưa đọc được] channels: không có bảng cách thức thực hiện ('Trực tuyến; 5 ngày')"
    assert issue.explain("en") == "[unparsed] channels: no channel table ('Trực tuyến; 5 ngày')"
    assert str(issue) == issue.explain("en")


def test_a_hand_written_reason_is_shown_as_given() -> None:
    issue = ImportIssue(field="code", text="1.000001", reason="duplicate code: already imported", severity="error")
    assert issue.explain("vi") == "[lỗi] code: duplicate code: already imported ('1.000001')"
    empty = ImportIssue(field="name", text="", reason="", severity="note")
    assert empty.explain("vi") == "[ghi chú] name:  ('')"  # an empty reason is not looked up (gettext("") is a header)


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    issue = ImportIssue(field="name", text="", reason="missing (kept empty)", severity="unparsed")
    assert issue.explain() == "[chưa đọc được] name: thiếu (để trống) ('')"
    _, report = parse_portal_rows([NATIONAL])
    assert report.records[0].issues[0].explain().startswith("[ghi chú] channels[1](online): con số '120' dính liền")


# -- reasons with values, from the importer -------------------------------------------------------------------------


def test_reasons_with_values_in_vietnamese() -> None:
    # the same code in two files: the duplicate names the row and the file of the record kept
    _, report = parse_portal_rows([RawRecord("a.jsonl", 3, data=NATIONAL), RawRecord("b.jsonl", 7, data=NATIONAL)])
    vi, en = _explained(report, "vi"), _explained(report, "en")
    assert vi[:5] == [
        "[ghi chú] channels[1](online): con số '120' dính liền với mức thu: đọc là thời hạn '1' + phí '20 VNĐ', "
        "cách tách duy nhất cho mức thu khác 0 ('1 | 20 VNĐ(20.000 vnđ /tờ khai)')",
        "[cảnh báo] channels[1](online).fee: mức thu 20 đ nhưng phần ghi chú nêu 20.000: ô này có thể ghi theo đơn vị "
        "nghìn đồng ('20 VNĐ(20.000 vnđ /tờ khai)')",
        "[chưa đọc được] channels[2](direct).processing_time: số lượng '1.5' không phải số nguyên "
        "('1.5 Ngày làm việc')",
        "[chưa đọc được] channels[2](direct).fee: ghi 'Miễn phí' nhưng phần ghi chú nêu 1 mức tiền: 150.000 đồng "
        "('Miễn phí(150.000 đồng/giấy)')",
        "[cảnh báo] channels[3](postal).fee: mức thu 40 đ nhưng phần ghi chú nêu 40.000: ô này có thể ghi theo đơn vị "
        "nghìn đồng ('40 Việt Nam Đồng(40.000đ/giấy)')",
    ]
    assert vi[-1] == "[lỗi] code: trùng mã: đã nhập từ dòng 3 của tệp a.jsonl; giữ bản ghi đầu tiên ('1.000178')"
    assert en[
        -1
    ] == "[error] code: duplicate code: already imported from row 3 of a.jsonl; the first record is kept " + (
        "('1.000178')"
    )
    assert en[2] == (
        "[unparsed] channels[2](direct).processing_time: the amount '1.5' is not a whole number ('1.5 Ngày làm việc')"
    )
    # the JSON report keeps the English reason
    dup = report.records[1].issues[-1]
    assert (
        dup.model_dump()["reason"] == "duplicate code: already imported from row 3 of a.jsonl; the first record is kept"
    )
    assert "said" not in dup.model_dump()


def test_record_level_reasons_in_vietnamese() -> None:
    garbled = "Đăng ký khai sinh".encode().decode("latin-1")
    defence = {
        "thu_tuc_id": "1.013124",
        "metadata": {"mã_thủ_tục": "1.013125", "tên_thủ_tục": garbled, "cấp_thực_hiện": "Cấp Bộ, Cấp thôn"},
        "tables": {"hinh_thuc_nop": ["x", {"hinh_thuc": "Fax"}]},
    }
    rows = [defence, {"ma_thu_tuc": "１.000178"}, {"foo": 1, "bar": 2}, b'{"a": "\xff"}', 42, "[1]"]
    _, report = parse_portal_rows(rows)
    vi = _explained(report, "vi")
    assert vi == [
        "[cảnh báo] code: thu_tuc_id '1.013124' khác metadata.mã_thủ_tục '1.013125'; dùng metadata.mã_thủ_tục "
        "('1.013124')",
        "[chưa đọc được] channels[1]: cần một dòng dạng đối tượng (object), nhận được str ('x')",
        "[chưa đọc được] channels[2].hinh_thuc: cách thức thực hiện không xác định (cần Trực tiếp / Trực tuyến / "
        "Dịch vụ bưu chính) ('Fax')",
        "[cảnh báo] name: có vẻ bị mã hóa hai lần (UTF-8 bị đọc như latin-1), có lẽ là 'Đăng ký khai sinh'; giữ nguyên "
        f"như bản gốc ({garbled!r})",
        "[chưa đọc được] levels: không phải cấp thực hiện (Cấp bộ/tỉnh/huyện/xã, Cơ quan khác) ('Cấp thôn')",
        vi[5],  # the code's own words (tthc.foundation.ids), below
        "[lỗi] record: không nhận ra dạng bản ghi: cần 'ma_thu_tuc' (bản xuất của Cổng Dịch vụ công quốc gia) hoặc "
        "'metadata' (bản xuất của Bộ Quốc phòng), nhận được các khóa [bar, foo] ('')",
        '[lỗi] record: mã hóa: cần UTF-8, gặp byte không giải mã được 0xff ở vị trí 7 (\'{"a": "\ufffd"}\')',
        "[lỗi] record: cần một đối tượng JSON (dict) hoặc một dòng văn bản JSON, nhận được int ('')",
        "[lỗi] record: JSON: cần một đối tượng (object), nhận được list ('[1]')",
    ]
    assert vi[5].startswith("[lỗi] code: procedure_code: cần dạng 'd.dddddd' (ví dụ '1.000178')")
    assert "'１' (U+FF11)" in vi[5]
    assert "non-ASCII" not in vi[5]
    # English stays as it was before the reasons were worded (the JSON report and existing tests rely on it)
    with pytest.raises(InvalidValueError) as info:
        ProcedureCode("１.000178")
    assert report.records[1].issues[0].reason == str(info.value)
    assert report.records[0].issues[0].reason == (
        "thu_tuc_id '1.013124' differs from metadata.mã_thủ_tục '1.013125'; the latter is used"
    )


def test_raw_record_errors_keep_their_words() -> None:
    blank = decode_line("x.jsonl", 4, b"  \n")
    assert (blank.error, blank.said) == ("blank line", Words("blank line"))
    _, report = parse_portal_rows([blank])
    assert report.records[0].issues[0].explain("vi") == "[lỗi] record: dòng trống ('')"


# -- reasons with values, from the parsers --------------------------------------------------------------------------


def test_parser_reasons_in_vietnamese() -> None:
    pt = parse_processing_time("10-25")
    assert isinstance(pt, Unparsed)
    assert (pt.reason, pt.reason_in("vi")) == ("a range, not one amount", "một khoảng, không phải một số lượng")
    unit = parse_processing_time("3 phút")
    assert isinstance(unit, Unparsed)
    assert unit.reason_in("vi") == "đơn vị không xác định 'phut'"
    assert unit.reason_in("en") == unit.reason == "unknown unit 'phut'"
    fee = parse_fee_text("Phí :  Đồng\nLệ phí : 1.234 USD")
    assert [p.reason_in("vi") for p in fee.problems] == ["không ghi mức thu"]
    assert parse_fee_text("Lệ phí : 12,5 Đồng").problems[0].reason_in("vi") == (
        "amount: cần số nguyên lần đơn vị nhỏ nhất của VND, nhận được Decimal('12.5') (sẽ phải làm tròn)"
    )
    assert parse_fee_text("Lệ phí : 12,5 Đồng").problems[0].reason == (
        "amount: expected a whole number of minor units of VND, got Decimal('12.5') (would need rounding)"
    )
    _, levels = parse_levels("Cấp xã, Ban quản lý")
    assert levels[0].reason_in("vi") == "không phải cấp thực hiện (Cấp bộ/tỉnh/huyện/xã, Cơ quan khác)"
    row = split_flat_channel_table("Trực tiếp1250 VNĐ(xem ghi chú)").rows[0]
    assert row.problem_in("vi") == (
        "một con số không có đơn vị dính liền với mức thu (1250...): có 2 cách tách, phần ghi chú không xác nhận "
        "cách nào"
    )
    assert row.problem_in("en") == row.problem
    assert row.remark_in("vi") is None


@pytest.mark.parametrize(
    "text",
    [
        "-5 Ngày làm việc",
        " . ",
        "Chậm nhất là ngay trước khi tàu rời cảng",
        "1.5 Ngày làm việc",
        "1" * 9 + " ngày",
        "10-25",
        "Trong thời hạn 15",
        "15 giờ 30",
        "5 giờ 30 phút",
        "2 ngày 4 giờ làm việc",
        "1 ngày rưỡi",
        "30 phút",
    ],
)
def test_every_processing_time_detail_is_translated(text: str) -> None:
    """Every reason ProcessingTime.parse gives (its ParseError's detail, as raised) reads in Vietnamese: a new
    wording there that is not marked, or not translated, fails here."""
    result = parse_processing_time(text)
    assert isinstance(result, Unparsed)
    assert result.said is not None
    assert not [t for t in _templates(result.said) if gettext(t, "vi") == t], result.reason
    assert result.reason_in("en") == result.reason


def test_a_library_error_is_worded_as_the_error_lines_word_it() -> None:
    """A parser that meets a library error keeps the error itself, worded as the CLI and the service word it
    (tthc.foundation.error_words.error_text): one way, no copy of its templates."""
    from tthc.foundation.error_words import ErrorWords, error_text

    fee = parse_fee_text("Lệ phí : 12,5 Đồng").problems[0]
    assert isinstance(fee.said, ErrorWords)
    assert fee.reason_in("vi") == error_text(fee.said.error, "vi")
    assert fee.reason_in("en") == fee.reason == str(fee.said.error)
    with pytest.raises(InvalidValueError) as info:
        ProcedureCode("1.0001")
    said = ErrorWords(info.value)
    assert said.text("vi") == (
        "procedure_code: cần dạng 'd.dddddd' (ví dụ '1.000178'), có thể kèm theo mã cơ quan ('.000.00.00.H48' hoặc "
        "'.H38'), nhận được '1.0001'"
    )
    assert str(said) == said.text("en") == str(info.value)
    assert said == ErrorWords(InvalidValueError("procedure_code", info.value.expected_words, "1.0001"))


def test_an_unmarked_text_is_shown_as_given() -> None:
    plain = ErrorWords(InvalidValueError("x", "a wording no catalog has", 1, detail=""))
    assert plain.text("vi") == "x: cần a wording no catalog has, nhận được 1"  # no catalog header for the detail


def test_conflicting_statements_in_vietnamese() -> None:
    text = "Không được ủy quyền. Hoặc người được ủy quyền nộp thay."
    inf = infer_authorisation(text)
    yes, no = "'# . hoac nguoi duoc uy quyen nop thay.'", "'khong duoc uy quyen. hoac nguoi duoc uy quyen nop thay.'"
    assert inf.evidence == f"conflicting statements: {yes} / {no}"  # English as before (the JSON report)
    assert inf.evidence_in("vi") == f"các câu mâu thuẫn nhau: {yes} / {no}"
    assert inf.evidence_in("en") == inf.evidence
    _, report = parse_portal_rows([{**NATIONAL, "yeu_cau_dieu_kien": text}])
    note = next(i for i in report.records[0].issues if i.field == "authorisation_allowed")
    shown = f"các câu mâu thuẫn nhau: {yes} / {no}"
    assert note.explain("vi") == f"[ghi chú] authorisation_allowed: để là chưa rõ ({shown[:80]!r})"
    assert note.text == inf.evidence
    assert note.explain("en") == str(note)
    # evidence read from the text is shown as read, in both languages
    presence, _ = infer_presence_and_authorisation("phải có mặt")
    assert presence.evidence_in("vi") == presence.evidence_in("en") == presence.evidence


_CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính", "125 VNĐ", "1.5 Ngày", "Miễn phí(20.000 đồng)"]),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(st.lists(_CELL, max_size=6).map("".join), st.binary(max_size=30), st.just(NATIONAL)), max_size=5
    ),
    st.text(max_size=20),
)
def test_every_reason_is_worded_and_its_english_is_the_reason(rows: list[object], levels: str) -> None:
    """Property: whatever comes in, every issue the importer writes keeps its words, and they say ``reason`` in
    English (the JSON report); hand-made rows of flattened tables, odd bytes and odd levels alike."""
    national = [dict(NATIONAL, cach_thuc_thuc_hien=r, cap_thuc_hien=levels) if isinstance(r, str) else r for r in rows]
    _, report = parse_portal_rows(national)
    for issue in (i for r in report.records for i in r.issues):
        assert issue.said is not None, issue
        assert issue.said.text("en") == issue.reason == issue.reason_in("en")
        assert str(issue) == issue.explain("en")


# -- the two real exports: nothing English left in the Vietnamese report --------------------------------------------


def _templates(value: object) -> Iterator[str]:
    """Every catalog text ``value`` is worded with: a Words' template and its values', a library error's
    ``expected`` and ``detail`` (framed by tthc.foundation.error_words, whose frame is translated there)."""
    if isinstance(value, Words):
        yield value.template
        for _, v in value.values:
            yield from _templates(v)
    elif isinstance(value, ErrorWords):
        error = value.error
        if isinstance(error, InvalidValueError):
            yield from _templates(marked(error.expected_words))
            if error.detail:
                yield from _templates(marked(error.detail_words))
        elif getattr(error, "said", None) is None:
            yield f"(no words) {error}"  # English only: never a translation
        else:
            yield from _templates(getattr(error, "said", None))


@pytest.mark.realdata
def test_real_exports_every_reason_is_worded_and_translated(real_data: Path) -> None:
    files = [real_data / "portal_national_2642.jsonl.gz", real_data / "portal_defence_207.jsonl.gz"]
    _, report = import_portal_files(files)
    issues = [i for r in report.records for i in r.issues]
    assert len(issues) > 400
    untranslated = {
        t
        for i in issues
        for t in (_templates(i.said) if i.said is not None else (f"(no words) {i.reason}",))
        if gettext(t, "vi") == t
    }
    assert not untranslated
    # the text report, as a Vietnamese reader sees it: no reason in English
    from tthc.cli._app import group

    result = CliRunner().invoke(group, ["--lang", "vi", "import-portal", *map(str, files), "--all"])
    assert result.exit_code == 0, result.output
    english = {i.reason for i in issues if i.severity in ("unparsed", "error")}
    assert len(english) > 20
    assert not [reason for reason in english if reason in result.output]
    assert "vấn đề: ghi chú 254, chưa đọc được 163, cảnh báo 76" in result.output
    assert "đơn vị: ngày làm việc 4327, ngày 1763, (không rõ đơn vị) 846, giờ làm việc 178" in result.output


def test_cli_text_report_in_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from tthc.cli import main

    src = tmp_path / "rows.jsonl"
    src.write_text(json.dumps(NATIONAL, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    assert main(["--lang", "vi", "import-portal", str(src), "--min-time", "0", "--min-fee", "0"]) == 1
    out = capsys.readouterr().out
    assert (  # the JSON reader's words, the decoder's message with them
        f"{src}:2 code=-: lỗi JSON: cần JSON hợp lệ, lỗi tại cột 2: cần tên thuộc tính đặt trong dấu ngoặc kép\n" in out
    )
    assert "1x processing_time  '1.5 Ngày làm việc': số lượng '1.5' không phải số nguyên" in out
    assert "đơn vị: (không rõ đơn vị) 1, ngày 1\n" in out
    assert "vấn đề: cảnh báo 2, chưa đọc được 2, ghi chú 1, lỗi 1  " in out
    assert main(["--lang", "en", "import-portal", str(src)]) == 1
    english = capsys.readouterr().out
    assert "units: unknown_unit 1, calendar_days 1\n" in english
    assert "issues: warning 2, unparsed 2, note 1, error 1  " in english
