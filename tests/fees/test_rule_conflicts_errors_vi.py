"""Discounts that contradict each other and tariffs without the asked price, refused in the run's language (issue 14);
``str()`` stays English."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from tthc.errors import ConflictError, NotFoundError
from tthc.fees.discounts import DecidingDate, Direction, Discount, DiscountContext, DiscountKind, DiscountSet
from tthc.fees.tariffs import Leg, Tariff
from tthc.foundation.channels import Channel
from tthc.foundation.combination import Combination
from tthc.foundation.data_files import load_json
from tthc.foundation.error_words import error_text
from tthc.foundation.money import Money
from tthc.foundation.references import LegalReference
from tthc.postal.zones import Zone


def _rule(id_: str, percent: int) -> Discount:
    fields: dict[str, Any] = {
        "id": id_,
        "name": id_,
        "valid_from": None,
        "valid_until": None,
        "deciding_date": DecidingDate.PICKUP,
        "direction": Direction.BOTH,
        "kind": DiscountKind.PERCENT,
        "percent": Fraction(percent),
        "reference": LegalReference(document=f"doc {id_}", tag="example"),
    }
    return Discount(**fields)


def test_two_discounts_apply_and_the_rule_rejects_it() -> None:
    rules = DiscountSet((_rule("gia_lai", 30), _rule("covid", 50)), Combination.REJECT)
    with pytest.raises(ConflictError) as info:
        rules.apply(Leg.RETURN, Money.vnd(10_000), DiscountContext(on=date(2020, 4, 1), channel=Channel.POSTAL))
    names = (
        "<reduction 30% on send+return postage for any dossier …..… by pickup date (doc gia_lai)>, "
        "<reduction 50% on send+return postage for any dossier …..… by pickup date (doc covid)>"
    )
    assert error_text(info.value, "vi") == (
        f"chiều trả kết quả: có 2 mức giảm cùng được áp dụng mà không có quy tắc kết hợp nào cho phép: {names}"
    )
    assert str(info.value) == f"return leg: 2 discounts apply and no combination rule allows it: {names}"


def test_two_discounts_with_one_id() -> None:
    with pytest.raises(ConflictError) as info:
        DiscountSet((_rule("gia_lai", 30), _rule("gia_lai", 50)))
    assert error_text(info.value, "vi") == "discounts: hai mức giảm cùng có mã 'gia_lai' (các mã phải khác nhau)"


def test_an_unknown_tariff_id() -> None:
    with pytest.raises(NotFoundError) as info:
        Tariff.from_dict(load_json("bcci_tariffs.json"), source="biểu cước.json", tariff_id="gia_lai_2024")
    assert error_text(info.value, "vi") == "biểu cước.json: không có bảng cước nào có mã 'gia_lai_2024'"
    assert str(info.value) == "biểu cước.json: no tariff with id 'gia_lai_2024'"


def test_a_weight_above_every_bracket() -> None:
    tariff = Tariff.bundled()
    with pytest.raises(NotFoundError) as info:
        tariff.price(Leg.SEND, Zone.WITHIN_PROVINCE, date(2026, 1, 1), weight_g=99_000)
    message = error_text(info.value, "vi")
    assert message.startswith(
        f"bảng cước {tariff.id}: không có giá cước chiều gửi hồ sơ cho 99000 g vào ngày 01/01/2026 "
        "(các nấc khối lượng: "
    )
    assert message.endswith("; hãy dùng bảng cước có nấc khối lượng nặng hơn)")
    assert str(info.value).startswith(f"tariff {tariff.id}: no send price for 99000 g on 2026-01-01 (brackets: ")
