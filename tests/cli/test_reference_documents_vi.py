"""A reference's document in the run's language (issue 14): a source described in words is cited by its Vietnamese
(``document_vi`` of the reference) in a Vietnamese answer — JSON under the key ``document``, and the printed lines —
and as before in English; an official number reads the same in both."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.cli._app import app
from tthc.postal.eligibility import check_postal_eligibility

NOTICE_EN = "Vietnam Post notice: Công bố giá cước tại Trung tâm Dịch vụ hành chính công trực tuyến tỉnh Khánh Hòa"
NOTICE_VI = (
    "Thông báo của Bưu điện Việt Nam: Công bố giá cước tại Trung tâm Dịch vụ hành chính công trực tuyến tỉnh Khánh Hòa"
)
QUOTE = ["quote", "2.001417", "--channel", "postal", "--postal", "send", "--on", "01/04/2026", "--json"]
TET = ["due", "--received", "2026-02-12 09:00", "--processing-time", "5 ngày làm việc"]


def _out(capsys: pytest.CaptureFixture[str], args: list[str], expected: int = 0) -> str:
    assert app(args) == expected
    return capsys.readouterr().out


def test_quote_json_cites_the_notice_in_the_run_language(capsys: pytest.CaptureFixture[str]) -> None:
    vi = json.loads(_out(capsys, ["--lang", "vi", *QUOTE]))["lines"][1]["reference"]
    en = json.loads(_out(capsys, ["--lang", "en", *QUOTE]))["lines"][1]["reference"]
    assert (vi["document"], en["document"]) == (NOTICE_VI, NOTICE_EN)
    assert "document_vi" not in vi  # one language per answer; the key stays document
    assert "document_vi" not in en
    assert vi.keys() == en.keys()


def test_the_trace_cites_a_schedule_as_reported_in_the_run_language(capsys: pytest.CaptureFixture[str]) -> None:
    vi, en = _out(capsys, ["--lang", "vi", *TET]), _out(capsys, ["--lang", "en", *TET])
    assert (
        "Tết Bính Ngọ 2026 (lịch nghỉ Tết 2026 (5 ngày chính thức Thứ Hai 16/2 – Thứ Sáu 20/2/2026 và hai kỳ nghỉ "
        "cuối tuần) [2nd])"
    ) in vi
    assert "Tết Bính Ngọ 2026 (Tết 2026 schedule (5 official days Mon 16/2 – Fri 20/2/2026 + two weekends) [2nd])" in en
    assert "schedule" not in vi


def test_an_eligibility_reason_cites_the_library_rule_in_either_language_whenever_asked() -> None:
    """The verdict keeps the reference in both languages: asked in one language, it words itself in the other."""
    for made_in in ("vi", "en"):
        verdict = check_postal_eligibility(Catalog.sample()["1.000894"], "both", on=date(2026, 4, 1), lang=made_in)
        row = next(r for r in verdict.reasons if r.code == "no_postal_row")
        assert row.text("vi").endswith("(quy tắc của thư viện tthc [open])")
        assert row.text("en").endswith("(tthc library rule [open])")
        assert row.reference is not None
        assert row.reference.document == ("quy tắc của thư viện tthc" if made_in == "vi" else "tthc library rule")


def test_an_official_number_reads_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    vi = json.loads(_out(capsys, ["--lang", "vi", *TET, "--json"]))["rules_applied"]
    en = json.loads(_out(capsys, ["--lang", "en", *TET, "--json"]))["rules_applied"]
    assert [r["document"] for r in vi] == [r["document"] for r in en]
    assert "Bộ luật Dân sự 2015 (91/2015/QH13)" in [r["document"] for r in vi]
