"""Temporary postage discounts as cited, scoped, dated rules (issue 4 item 5; domain.md §5)."""

from __future__ import annotations

import copy
from datetime import date
from fractions import Fraction
from typing import Any

import pytest

import tthc
from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.fees.discounts import (
    Combination,
    DecidingDate,
    Direction,
    Discount,
    DiscountContext,
    DiscountKind,
    DiscountSet,
    Scope,
)
from tthc.fees.tariffs import Leg
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.data_files import load_json
from tthc.foundation.money import Money
from tthc.foundation.references import LegalReference
from tthc.postal.zones import Zone

BUNDLED = DiscountSet.bundled()
GIA_LAI = next(d for d in BUNDLED.discounts if d.id == "gia_lai_659_2020")
QUANG_NGAI = next(d for d in BUNDLED.discounts if d.id == "quang_ngai_post_2020")
HUE = next(d for d in BUNDLED.discounts if d.id == "hue_1991_2020")


@pytest.fixture(scope="module")
def secured() -> Procedure:
    return Catalog.sample()["1.011432.000.00.00.H21"]


@pytest.fixture(scope="module")
def civil() -> Procedure:
    return Catalog.sample()["1.001193.000.00.00.H21"]


def ctx(day: date, procedure: Procedure, channel: Channel = Channel.ONLINE, **kw: Any) -> DiscountContext:
    return DiscountContext(on=day, channel=channel, procedure=procedure, province=kw.pop("province", "H21"), **kw)


def test_gia_lai_rule_is_bundled_with_its_source() -> None:
    """Công văn 659/UBND-KGVX (27 Mar 2020): 30% off return postage, 23 Mar – 30 May 2020 inclusive."""
    assert GIA_LAI.reference.document == "659/UBND-KGVX"
    assert GIA_LAI.reference.issued == date(2020, 3, 27)
    assert (GIA_LAI.valid_from, GIA_LAI.valid_until) == (date(2020, 3, 23), date(2020, 5, 30))
    assert GIA_LAI.percent == 30
    assert GIA_LAI.direction is Direction.RETURN
    assert GIA_LAI.deciding_date is DecidingDate.PICKUP
    assert "deciding_date" in dict(GIA_LAI.assumptions)  # the choice of date is stated as [open]
    assert repr(GIA_LAI) == (
        "<reduction 30% on return postage for channel=online level=level_3|level_4 or field=Đăng ký giao dịch bảo đảm"
        " in H21 2020-03-23..2020-05-30 by pickup date (659/UBND-KGVX)>"
    )


@pytest.mark.parametrize(
    ("day", "applies"),
    [(date(2020, 3, 22), False), (date(2020, 3, 23), True), (date(2020, 5, 30), True), (date(2020, 5, 31), False)],
)
def test_gia_lai_window_edges(day: date, applies: bool, civil: Procedure) -> None:
    """659/UBND-KGVX: the window 23/3/2020–30/5/2020 includes both ends (scope: online level 4)."""
    ok, _ = GIA_LAI.judge(Leg.RETURN, ctx(day, civil, online_level=OnlineLevel.LEVEL_4))
    assert ok is applies


@pytest.mark.parametrize(
    ("level", "applies"),
    [(OnlineLevel.LEVEL_2, False), (OnlineLevel.LEVEL_3, True), (OnlineLevel.LEVEL_4, True), (None, False)],
)
def test_gia_lai_scope_online_level_3_or_4(level: OnlineLevel | None, applies: bool, civil: Procedure) -> None:
    """659/UBND-KGVX scope 1: dossiers submitted through online public services at level 3 or 4 (NĐ 43/2011)."""
    ok, why = GIA_LAI.judge(Leg.RETURN, ctx(date(2020, 4, 1), civil, online_level=level))
    assert ok is applies
    if level is None:
        assert any("online level not known" in w for w in why)


def test_gia_lai_scope_needs_online_filing(civil: Procedure) -> None:
    """Level 3/4 qualifies a dossier *submitted online*; a dossier filed by post does not meet scope 1."""
    ok, _ = GIA_LAI.judge(Leg.RETURN, ctx(date(2020, 4, 1), civil, Channel.POSTAL, online_level=OnlineLevel.LEVEL_4))
    assert not ok


def test_gia_lai_scope_secured_transactions_any_channel(secured: Procedure) -> None:
    """659/UBND-KGVX scope 2: dossiers in the field 'Đăng ký giao dịch bảo đảm', whatever the channel."""
    for channel in Channel:
        ok, _ = GIA_LAI.judge(Leg.RETURN, ctx(date(2020, 4, 1), secured, channel))
        assert ok, channel


def test_gia_lai_covers_the_return_leg_only(secured: Procedure) -> None:
    """659/UBND-KGVX: 'chuyển trả kết quả' — sending the dossier is not discounted."""
    ok, why = GIA_LAI.judge(Leg.SEND, ctx(date(2020, 4, 1), secured, Channel.POSTAL))
    assert not ok
    assert why == ("covers return legs only",)


def test_level_in_the_new_regime_is_compared_through_the_documented_mapping(civil: Procedure) -> None:
    """A NĐ 43 level condition judged on a NĐ 42/2022 level uses the library's default mapping and says so."""
    ok, why = GIA_LAI.judge(Leg.RETURN, ctx(date(2020, 4, 1), civil, online_level=OnlineLevel.FULL))
    assert ok
    assert any("not official" in w for w in why)


def test_province_scope(secured: Procedure) -> None:
    ok, _ = GIA_LAI.judge(Leg.RETURN, ctx(date(2020, 4, 1), secured, province="H48"))
    assert not ok
    ok, why = GIA_LAI.judge(Leg.RETURN, ctx(date(2020, 4, 1), secured, province=None))
    assert not ok
    assert "province not known" in why[0]


def test_quang_ngai_2020_prices() -> None:
    """Bưu điện tỉnh Quảng Ngãi, 1 Mar – 30 Apr 2020, intra-province up to 100 g: 26,000→15,000 (same district),
    30,000→20,000 (between districts) [2nd]."""
    assert QUANG_NGAI.kind is DiscountKind.PRICE
    assert QUANG_NGAI.apply(Money.vnd(26_000), Zone.SAME_DISTRICT) == Money.vnd(15_000)
    assert QUANG_NGAI.apply(Money.vnd(30_000), Zone.BETWEEN_DISTRICTS) == Money.vnd(20_000)
    assert QUANG_NGAI.apply(Money.vnd(10_000), Zone.SAME_DISTRICT) == Money.vnd(10_000)  # never raises a price
    c = DiscountContext(on=date(2020, 4, 30), channel=Channel.POSTAL, province="H48", zone=Zone.SAME_DISTRICT)
    assert QUANG_NGAI.judge(Leg.SEND, c)[0]
    assert not QUANG_NGAI.judge(Leg.SEND, DiscountContext(**{**_fields(c), "on": date(2020, 5, 1)}))[0]
    assert not QUANG_NGAI.judge(Leg.SEND, DiscountContext(**{**_fields(c), "zone": Zone.BETWEEN_PROVINCES}))[0]
    assert not QUANG_NGAI.judge(Leg.SEND, DiscountContext(**{**_fields(c), "weight_g": 101}))[0]


def _fields(c: DiscountContext) -> dict[str, Any]:
    return {
        f: getattr(c, f)
        for f in ("on", "channel", "procedure", "online_level", "province", "zone", "weight_g", "beneficiary", "dates")
    }


def test_hue_waiver_who_pays_and_open_start() -> None:
    """Công văn 1991/UBND-HCC (14 Mar 2020): 100% waived until 30 Jun 2020 for online-service users, half by the
    post and half by the province; the start date is not in the facts and is stated as an [open] assumption."""
    assert HUE.percent == 100
    assert HUE.valid_until == date(2020, 6, 30)
    assert dict(HUE.payers) == {"post": Fraction(1, 2), "province_budget": Fraction(1, 2)}
    assert "valid_from" in dict(HUE.assumptions)
    assert HUE.apply(Money.vnd(26_000), Zone.SAME_DISTRICT) == Money.vnd(0)
    online = DiscountContext(on=date(2020, 6, 30), channel=Channel.ONLINE, province="H57")
    assert HUE.judge(Leg.RETURN, online)[0]
    assert not HUE.judge(Leg.RETURN, DiscountContext(on=date(2020, 7, 1), channel=Channel.ONLINE, province="H57"))[0]
    assert not HUE.judge(Leg.RETURN, DiscountContext(on=date(2020, 6, 1), channel=Channel.DIRECT, province="H57"))[0]


def test_the_deciding_date_is_explicit(civil: Procedure) -> None:
    """A window judged on the receipt date ignores the pickup date, and the other way round."""
    on_receipt = _evolve(GIA_LAI, deciding_date=DecidingDate.RECEIPT)
    c = ctx(
        date(2020, 6, 2),
        civil,
        online_level=OnlineLevel.LEVEL_4,
        dates={DecidingDate.RECEIPT: date(2020, 5, 29), DecidingDate.PICKUP: date(2020, 6, 2)},
    )
    assert on_receipt.judge(Leg.RETURN, c)[0]
    assert not GIA_LAI.judge(Leg.RETURN, c)[0]


def _evolve(d: Discount, **kw: Any) -> Discount:
    import attrs

    return attrs.evolve(d, **kw)


def _pct(id_: str, pct: int) -> Discount:
    return Discount(
        id=id_,
        name=id_,
        valid_from=None,
        valid_until=None,
        deciding_date=DecidingDate.PICKUP,
        direction=Direction.BOTH,
        kind=DiscountKind.PERCENT,
        percent=Fraction(pct),
        reference=LegalReference(document=id_, tag="example"),
    )


def test_combination_most_favourable_stack_and_reject() -> None:
    c = DiscountContext(on=date(2020, 4, 1), channel=Channel.POSTAL)
    price = Money.vnd(30_000)
    best, _ = DiscountSet((_pct("a", 30), _pct("b", 50))).apply(Leg.SEND, price, c)
    assert [o.discount.id for o in best] == ["b"]
    assert best[0].after == Money.vnd(15_000)
    stacked, _ = DiscountSet((_pct("a", 30), _pct("b", 50)), Combination.STACK).apply(Leg.SEND, price, c)
    assert stacked[-1].after == Money.vnd(10_500)
    over, _ = DiscountSet((_pct("a", 100), _pct("b", 100)), Combination.STACK).apply(Leg.SEND, price, c)
    assert over[-1].after == Money.vnd(0)  # never below zero
    with pytest.raises(tthc.ConflictError, match="no combination rule"):
        DiscountSet((_pct("a", 30), _pct("b", 50)), Combination.REJECT).apply(Leg.SEND, price, c)


def test_bad_discounts_are_rejected() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        _evolve(_pct("a", 30), valid_from=date(2020, 5, 30), valid_until=date(2020, 3, 23))
    assert info.value.field == "valid_until"
    with pytest.raises(tthc.InvalidValueError, match="percent"):
        _pct("a", 130)
    with pytest.raises(tthc.ConflictError, match="id"):
        DiscountSet((_pct("a", 1), _pct("a", 2)))
    raw = copy.deepcopy(load_json("discounts.json"))
    raw["discounts"][0]["valid_until"] = "2020-03-01"
    with pytest.raises(tthc.DataFileError, match="valid_until"):
        DiscountSet.from_dict(raw)
    raw = copy.deepcopy(load_json("discounts.json"))
    raw["discounts"][0]["direction"] = "sideways"
    with pytest.raises(tthc.DataFileError, match="direction"):
        DiscountSet.from_dict(raw)


def test_scope_repr() -> None:
    s = Scope(channels=frozenset({Channel.ONLINE}), online_levels=frozenset({OnlineLevel.LEVEL_3}))
    assert repr(s) == "channel=online level=level_3"
    assert repr(Scope()) == "any dossier"
