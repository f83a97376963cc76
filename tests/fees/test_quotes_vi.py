"""Quotes in Vietnamese (issue 14): labels, steps and discount reasons worded in the language asked, money as
``1.234 đ`` and days as ``dd/mm/yyyy``; English unchanged; Vietnamese by default."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.fees import quote
from tthc.fees.discounts import DiscountContext, DiscountSet
from tthc.fees.tariffs import Leg, Tariff
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.money import Money
from tthc.postal.zones import Zone

CAT = Catalog.sample()
SECURED_GIA_LAI = CAT["1.011432.000.00.00.H21"]  # 'Đăng ký giao dịch bảo đảm': the Gia Lai 30 % discount covers it
POST = (  # the notice by its Vietnamese name (document_vi in bcci_tariffs.json)
    "Thông báo của Bưu điện Việt Nam: Công bố giá cước tại Trung tâm Dịch vụ hành chính công trực tuyến tỉnh Khánh Hòa "
    "[2nd]"
)


def _quote(on: date) -> str:
    return quote(SECURED_GIA_LAI, channel="postal", postal="both", route="same_district", on=on).explain("vi")


def test_a_dated_discount_on_the_last_day_of_its_window() -> None:
    """659/UBND-KGVX: 23/3 – 30/5/2020 inclusive; 30/5 is inside."""
    assert _quote(date(2020, 5, 30)) == "\n".join(
        [
            "Báo giá thủ tục 1.011432.000.00.00.H21, cách thức dịch vụ bưu chính, ngày 30/05/2020",
            "  phí: 80.000 đ",
            f"  cước gửi hồ sơ: 26.000 đ — {POST}",
            f"  cước chuyển trả kết quả: 26.000 đ — {POST}",
            "  Giảm 30% cước chuyển trả kết quả qua BCCI (Gia Lai, 2020) [chuyển trả kết quả]: -7.800 đ"
            " — 659/UBND-KGVX, 27/03/2020",
            "  tổng cộng: 124.200 đ",
            "  · tỉnh H21 lấy theo mã thủ tục",
            "  · bảng cước vnpost_bcci_tthc: không công bố cước đã gồm thuế GTGT hay chưa (thông báo không nêu giá"
            " cước đã gồm thuế GTGT hay chưa [open]); không có dòng thuế GTGT",
            "  · chiều gửi hồ sơ: không áp dụng mức giảm gia_lai_659_2020 (chỉ áp dụng cho chiều chuyển trả kết quả)",
        ]
    )


def test_a_dated_discount_the_day_after_its_window() -> None:
    text = _quote(date(2020, 5, 31))
    assert "Giảm 30%" not in text
    assert "  tổng cộng: 132.000 đ" in text.splitlines()
    assert text.splitlines()[-1] == (
        "  · chiều chuyển trả kết quả: không áp dụng mức giảm gia_lai_659_2020 (ngày bưu điện nhận gửi 31/05/2020"
        " nằm ngoài thời gian áp dụng 23/03/2020–30/05/2020)"
    )


def test_the_same_quote_in_english_is_unchanged() -> None:
    q = quote(SECURED_GIA_LAI, channel="postal", postal="both", route="same_district", on=date(2020, 5, 31), lang="vi")
    text = q.explain("en")
    assert text.splitlines()[0] == "Quote for 1.011432.000.00.00.H21 via postal on 2020-05-31"
    assert text.splitlines()[-1] == (
        "  · return leg: discount gia_lai_659_2020 not applied (pickup date 2020-05-31 outside 2020-03-23..2020-05-30)"
    )
    assert "  total: 132.000 đ" in text.splitlines()
    # the quote itself holds the language it was made in
    assert q.steps[0] == "tỉnh H21 lấy theo mã thủ tục"
    assert q.steps_in("en")[0] == "province H21 read from the procedure code"


def test_notes_of_a_coarse_zone_and_a_missing_weight_in_vietnamese() -> None:
    q = quote(SECURED_GIA_LAI, channel="postal", on=date(2024, 6, 3), lang="vi")
    postage = q.lines[1]
    assert postage.notes == (
        "không cho biết khối lượng: dùng nấc khối lượng nhẹ nhất (đến 100 g)",
        "tuyến nội tỉnh gồm các tuyến nội huyện, liên huyện",
        "khung giá công bố 26.000 đ–30.000 đ: dùng mức cao nhất",
    )
    assert postage.notes_in("en") == (
        "weight not given: the lightest bracket (up to 100 g) used",
        "zone within_province spans same_district, between_districts",
        "published range 26.000 đ–30.000 đ: max used",
    )
    assert "  · không cho biết tuyến: coi là tuyến nội tỉnh" in q.explain("vi").splitlines()


def test_a_post_2025_zone_is_noted_in_vietnamese() -> None:
    price = Tariff.bundled().price(Leg.SEND, Zone.SAME_COMMUNE, date(2025, 7, 1))
    assert price.notes_in("vi")[0] == "tuyến nội xã (sau năm 2025) được tính như tuyến nội huyện [open]"
    assert price.notes_in("en")[0] == "post-2025 zone same_commune read as same_district [open]"


def test_discount_reasons_in_vietnamese() -> None:
    gia_lai = next(d for d in DiscountSet.bundled().discounts if d.id == "gia_lai_659_2020")
    ctx = DiscountContext(on=date(2020, 4, 1), channel=Channel.ONLINE, online_level=OnlineLevel.LEVEL_2, province="H21")
    ok, why = gia_lai.judge(Leg.RETURN, ctx, lang="vi")
    assert not ok
    assert why == (
        "channel=online level=level_3|level_4: mức độ 2 không thuộc phạm vi áp dụng",
        "field=Đăng ký giao dịch bảo đảm: chưa biết lĩnh vực của thủ tục",
    )
    applied, skipped = DiscountSet((gia_lai,)).apply(Leg.SEND, Money.vnd(30_000), ctx, lang="vi")
    assert applied == ()
    assert skipped == ((gia_lai, "chỉ áp dụng cho chiều chuyển trả kết quả"),)


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    q = quote(CAT["1.002809"], channel="online", on=date(2025, 3, 3))
    assert q.steps[0] == "chưa ghi mức độ trực tuyến: dùng mức đã công bố (toàn trình)"
    assert q.explain().splitlines()[0] == "Báo giá thủ tục 1.002809, cách thức trực tuyến, ngày 03/03/2025"


def test_vietnamese_quotes_are_nfc() -> None:
    for on in (date(2020, 4, 1), date(2025, 7, 1)):
        text = quote(SECURED_GIA_LAI, channel="postal", postal="both", on=on, fee_via_post=True).explain("vi")
        assert unicodedata.is_normalized("NFC", text)
