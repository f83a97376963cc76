"""Import-report issues in Vietnamese (issue 14): the severity mark and the importer's fixed reasons translated; the
field and the text shown as read; reasons worded with values stay as the importer wrote them."""

from __future__ import annotations

import pytest

from tthc.catalog.import_report import ImportIssue


def test_a_fixed_reason_in_vietnamese_and_english() -> None:
    issue = ImportIssue(field="channels", text="Trực tuyến; 5 ngày", reason="no channel table", severity="unparsed")
    assert issue.explain("vi") == "[chưa đọc được] channels: không có bảng cách thức thực hiện ('Trực tuyến; 5 ngày')"
    assert issue.explain("en") == "[unparsed] channels: no channel table ('Trực tuyến; 5 ngày')"
    assert str(issue) == issue.explain("en")


def test_a_reason_with_values_is_kept_as_written() -> None:
    issue = ImportIssue(field="code", text="1.000001", reason="duplicate code: already imported", severity="error")
    assert issue.explain("vi") == "[lỗi] code: duplicate code: already imported ('1.000001')"
    empty = ImportIssue(field="name", text="", reason="", severity="note")
    assert empty.explain("vi") == "[ghi chú] name:  ('')"  # an empty reason is not looked up (gettext("") is a header)


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    issue = ImportIssue(field="name", text="", reason="missing (kept empty)", severity="unparsed")
    assert issue.explain() == "[chưa đọc được] name: thiếu (để trống) ('')"
