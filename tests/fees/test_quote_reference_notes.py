"""A quote's and an eligibility verdict's references carry their note in the language asked (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.fees.quotes import LineKind, quote
from tthc.postal.eligibility import check_postal_eligibility

PROCEDURE = Catalog.sample()["1.002809"]
ON = date(2026, 3, 2)

NOTICE_VI = (
    "thông báo không ghi ngày; giá một chiều = giá của một bưu gửi đến 100 g, đã gồm việc chuyển phiếu hẹn trả kết "
    "quả và chuyển trả giấy tờ thu hồi cho cơ quan; hai chiều = cả chiều gửi hồ sơ và chiều trả kết quả"
)
NOTICE_EN = (
    "undated notice; one-way price = price of a postal item up to 100 g; includes delivering the appointment slip "
    "and returning recovered papers to the agency; two-way = both legs"
)
PAPER_RATE_VI = (
    "mức thu khi nộp hồ sơ giấy, được nêu cạnh mức thu trực tuyến; chưa rõ ngày bắt đầu và ngày kết thúc riêng của "
    "mức này [open]"
)
PAPER_RATE_EN = "paper rate reported next to the online rate; its own start and end dates are not in the facts [open]"


def _notes(lang: str | None = None) -> dict[LineKind, set[str | None]]:
    q = quote(PROCEDURE, channel="postal", on=ON, postal="both", lang=lang)
    out: dict[LineKind, set[str | None]] = {}
    for line in q.lines:
        out.setdefault(line.kind, set()).add(line.reference.note if line.reference else None)
    return out


def test_quote_line_notes_in_vietnamese_and_in_english() -> None:
    assert _notes("vi") == {LineKind.FEE: {PAPER_RATE_VI}, LineKind.POSTAGE: {NOTICE_VI}}
    assert _notes("en") == {LineKind.FEE: {PAPER_RATE_EN}, LineKind.POSTAGE: {NOTICE_EN}}


def test_a_quote_line_reference_keeps_one_language_and_its_citation() -> None:
    line = next(x for x in quote(PROCEDURE, channel="postal", on=ON, postal="both", lang="vi").lines if x.leg)
    assert line.reference is not None
    assert line.reference.note_vi is None  # the answer is in one language
    assert line.reference.model_dump(mode="json")["note"] == NOTICE_VI
    # the line is still worded again in another language (its words survive the copy that set the note)
    assert line.notes_in("en") != line.notes_in("vi")
    assert "weight not given" in " ".join(line.notes_in("en"))


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _notes()[LineKind.POSTAGE] == {NOTICE_VI}


def test_eligibility_reason_notes_in_vietnamese_and_in_english() -> None:
    def notes(lang: str) -> dict[str, str | None]:
        verdict = check_postal_eligibility(PROCEDURE, "both", on=ON, lang=lang)
        return {r.code: r.reference.note if r.reference else None for r in verdict.reasons}

    vi, en = notes("vi"), notes("en")
    assert vi["general_rule_allows"] == (
        "quyết định không áp dụng cho thủ tục vừa yêu cầu người nộp phải có mặt trực tiếp VÀ vừa không cho phép ủy "
        "quyền cho người khác; phải thỏa mãn cả hai điều kiện"
    )
    assert en["general_rule_allows"] == (
        "the decision does not cover procedures that require the applicant to appear in person AND do not allow "
        "authorising someone else; both conditions must hold"
    )
    assert vi.keys() == en.keys()
