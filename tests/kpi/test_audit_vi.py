"""Catalog audit findings in Vietnamese (issue 14): messages, blockers and code titles in the language asked; codes
and sources unchanged; Vietnamese by default."""

from __future__ import annotations

from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.audit import AUDIT_CODES, audit_catalog, audit_title
from tthc.postal.eligibility import AgencyLists

CAT = Catalog.sample()
ON = date(2024, 6, 1)


def _find(code: str, procedure: str, lang: str | None = None) -> str:
    found = audit_catalog(CAT, on=ON, lang=lang)
    return next(f for f in found if f.code == code and f.procedure == procedure).message


def test_an_upgrade_candidate_with_its_blocker_in_vietnamese() -> None:
    findings = audit_catalog(CAT, on=ON, lang="vi")
    f = next(f for f in findings if f.code == "UPGRADE_CANDIDATE" and f.procedure == "2.000720")
    assert f.message == "mức độ 3 → mức độ 4"
    assert f.blockers == ("có thu phí, lệ phí nhưng không có thanh toán trực tuyến",)
    assert f.text("vi").startswith(
        "UPGRADE_CANDIDATE 2.000720 Đăng ký thành lập hộ kinh doanh: mức độ 3 → mức độ 4 — vướng mắc: có thu phí,"
        " lệ phí nhưng không có thanh toán trực tuyến [NĐ 43/2011/NĐ-CP Điều 3.4;"
    )
    # the same finding in English, as before
    assert f.text("en").startswith(
        "UPGRADE_CANDIDATE 2.000720 Đăng ký thành lập hộ kinh doanh: level_3 → level_4 — blocked by: a fee is charged"
        " and online payment is not offered [NĐ 43/2011/NĐ-CP Điều 3.4;"
    )


def test_no_blocker_and_presence_blockers_in_vietnamese() -> None:
    assert _find("UPGRADE_CANDIDATE", "1.012762", "vi") == (
        "mức độ 2 → mức độ 3 (dữ liệu công bố không cho thấy vướng mắc nào)"
    )
    passport = next(f for f in audit_catalog(CAT, on=ON, lang="vi") if f.procedure == "2.002209")
    assert passport.message == "một phần → toàn trình"
    assert passport.blockers == ("người nộp hồ sơ phải có mặt trực tiếp, không được ủy quyền",)


def test_a_list_finding_names_the_list_in_vietnamese() -> None:
    lists = AgencyLists.bundled(include_examples=True)
    found = audit_catalog(CAT, agency_lists=lists, on=ON, lang="vi")
    f = next(f for f in found if f.code == "POSTAL_CHANNEL_BUT_EXCLUDED")
    assert f.message == (
        "có công bố dòng dịch vụ bưu chính nhưng H21 loại trừ khỏi BCCI (Danh mục TTHC không thực hiện qua BCCI"
        " (Gia Lai) — các mục ví dụ)"
    )
    assert f.message_in("en") == (
        "a postal row is published but H21 excludes it from BCCI (Danh mục TTHC không thực hiện qua BCCI (Gia Lai)"
        " — example entries)"
    )


def test_code_titles_in_both_languages() -> None:
    assert audit_title("FEE_WITHOUT_ONLINE_PAYMENT", "en") == AUDIT_CODES["FEE_WITHOUT_ONLINE_PAYMENT"][0]
    assert audit_title("FEE_WITHOUT_ONLINE_PAYMENT", "vi") == (
        "cung cấp trực tuyến mức độ 4 / toàn trình, có thu phí, lệ phí nhưng không thanh toán trực tuyến"
    )
    assert all(audit_title(code, "vi") != title for code, (title, _) in AUDIT_CODES.items())


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    assert (
        _find("UPGRADE_CANDIDATE", "1.012762") == "mức độ 2 → mức độ 3 (dữ liệu công bố không cho thấy vướng mắc nào)"
    )
    monkeypatch.setenv("TTHC_LANG", "en")
    assert _find("UPGRADE_CANDIDATE", "1.012762") == "level_2 → level_3 (no blocker in the published data)"
