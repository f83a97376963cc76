"""Eligibility verdicts in Vietnamese (issue 14): the reasons, the header and the missing facts, worded in the language
asked; English unchanged; Vietnamese by default."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError
from tthc.postal.eligibility import AgencyLists, EligibilityReason, check_postal_eligibility

CAT = Catalog.sample()
ON = date(2024, 6, 1)
NO_LISTS = AgencyLists.none()


def test_an_ineligible_passport_procedure_in_vietnamese() -> None:
    v = check_postal_eligibility(CAT["2.002209"], "send", on=ON, agency_lists=NO_LISTS, lang="vi")
    assert v.eligible is False
    assert v.explain("vi") == (
        "Thủ tục 2.002209 qua dịch vụ bưu chính công ích (gửi hồ sơ) ngày 01/06/2024: không thực hiện được\n"
        "  [cảnh báo] bảng cách thức thực hiện được công bố không có dòng dịch vụ bưu chính (một dấu hiệu mạnh, "
        "không phải loại trừ theo quy định) (quy tắc của thư viện tthc [open])\n"
        "  [quyết định] người nộp hồ sơ phải có mặt trực tiếp và không được ủy quyền cho người khác "
        "(45/2016/QĐ-TTg, Điều 1.2, 19/10/2016)"
    )
    assert [r.message for r in v.reasons][-1] == (
        "người nộp hồ sơ phải có mặt trực tiếp và không được ủy quyền cho người khác"
    )


def test_an_eligible_procedure_with_its_legal_basis() -> None:
    v = check_postal_eligibility(CAT["1.002809"], "return", on=date(2026, 3, 2), agency_lists=NO_LISTS)
    assert v.eligible is True
    assert v.explain("vi") == (
        "Thủ tục 1.002809 qua dịch vụ bưu chính công ích (trả kết quả) ngày 02/03/2026: thực hiện được\n"
        "  [quyết định] không yêu cầu có mặt trực tiếp (45/2016/QĐ-TTg, Điều 1.2, 19/10/2016)"
    )
    # the same verdict, worded in English as before
    assert v.explain("en") == (
        "1.002809 by post (return) on 2026-03-02: eligible\n"
        "  [decisive] personal presence is not required (45/2016/QĐ-TTg, Điều 1.2, 19/10/2016)"
    )


def test_unknown_facts_and_missing_facts_in_vietnamese() -> None:
    v = check_postal_eligibility(CAT["1.000893"], on=ON, agency_lists=NO_LISTS)
    assert v.explain("vi").splitlines()[1:] == [
        "  [quyết định] thủ tục được công bố không nêu có phải có mặt trực tiếp hay không, cũng không nêu có được "
        "ủy quyền hay không (45/2016/QĐ-TTg, Điều 1.2, 19/10/2016)",
        "  còn thiếu thông tin: có phải có mặt trực tiếp hay không, có được ủy quyền hay không",
    ]
    assert v.missing == ("requires_personal_presence", "authorisation_allowed")  # the code keeps field names


def test_an_agency_list_is_named_in_vietnamese() -> None:
    lists = AgencyLists.bundled(include_examples=True)
    v = check_postal_eligibility(CAT["2.000913"], on=ON, agency="H21", agency_lists=lists)
    assert v.reasons[-1].text("vi") == (
        "[quyết định] thuộc danh mục TTHC không thực hiện qua BCCI: Danh mục TTHC không thực hiện qua BCCI "
        "(Gia Lai) — các mục ví dụ [example] (1184/QĐ-UBND, 30/12/2019 [example])"
    )
    assert (
        v.reasons[-1].text("en").endswith("(Gia Lai) — example entries [example] (1184/QĐ-UBND, 30/12/2019 [example])")
    )


def test_the_rule_not_yet_in_force_names_the_day_and_period_in_each_language() -> None:
    v = check_postal_eligibility(CAT["1.001193"], on=date(2016, 12, 15), agency_lists=NO_LISTS)
    reason = next(r for r in v.reasons if r.code == "rule_not_in_force")
    assert reason.message_in("vi") == (
        "45/2016/QĐ-TTg không có hiệu lực vào ngày 15/12/2016 (thời gian hiệu lực: 16/12/2016–…)"
    )
    assert reason.message_in("en") == "45/2016/QĐ-TTg not in force on 2016-12-15 (2016-12-16..…)"


def test_vietnamese_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    v = check_postal_eligibility(CAT["1.002809"], on=ON, agency_lists=NO_LISTS)
    assert v.reasons[0].message == "không yêu cầu có mặt trực tiếp"
    assert v.explain().startswith("Thủ tục 1.002809 qua dịch vụ bưu chính công ích")


def test_english_when_asked_and_json_keeps_codes() -> None:
    v = check_postal_eligibility(CAT["1.002809"], on=ON, agency_lists=NO_LISTS, lang="en")
    assert v.reasons[0].message == "personal presence is not required"
    data = v.model_dump(mode="json")
    assert data["reasons"][0]["code"] == "general_rule_allows"
    assert data["reasons"][0]["severity"] == "decisive"
    # read back from JSON, a reason keeps the message it was given
    back = EligibilityReason.model_validate(data["reasons"][0])
    assert back.message_in("vi") == "personal presence is not required"


def test_every_vietnamese_text_is_nfc() -> None:
    lists = AgencyLists.bundled(include_examples=True)
    for code in ("2.002209", "1.000893", "1.002809", "2.000913", "1.011432"):
        text = check_postal_eligibility(CAT[code], on=ON, agency="H21", agency_lists=lists).explain("vi")
        assert unicodedata.is_normalized("NFC", text)


def test_a_bad_language_is_refused() -> None:
    with pytest.raises(InvalidValueError) as info:
        check_postal_eligibility(CAT["1.002809"], on=ON, lang="fr")
    assert info.value.field == "lang"
    with pytest.raises(InvalidValueError):
        check_postal_eligibility(CAT["1.002809"], on=ON).explain("de")
