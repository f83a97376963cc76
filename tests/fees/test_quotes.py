"""quote(): itemised lines with rules and references, totals per currency, discounts (issue 4 items 6, 9, 10)."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.cli import main
from tthc.cli._app import group
from tthc.fees.discounts import DiscountSet
from tthc.fees.quotes import LineKind, Quote, quote
from tthc.fees.tariffs import Leg
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.money import Money, Rounding
from tthc.postal.zones import Zone

CAT = Catalog.sample()
SECURED_GL = CAT["1.011432.000.00.00.H21"]  # secured-transaction registration, Gia Lai instance, online level 4
CIVIL_GL = CAT["1.001193.000.00.00.H21"]  # birth registration, Gia Lai, free
BIZ_QN = CAT["2.000720.000.00.00.H48"]  # household business, Quảng Ngãi


def lines(q: Quote, kind: LineKind) -> list[tthc.Money]:
    return [ln.amount for ln in q.lines if ln.kind is kind and ln.amount is not None]


def test_gia_lai_30_percent_on_the_return_leg_inside_the_window() -> None:
    """659/UBND-KGVX: a secured-transaction dossier filed by post, both legs, same district, 1 Apr 2020:
    send 26,000 + return 26,000 − 30% of the return (7,800) + fee 80,000."""
    q = quote(SECURED_GL, channel="postal", postal="both", route="same_district", on=date(2020, 4, 1))
    assert lines(q, LineKind.POSTAGE) == [Money.vnd(26_000), Money.vnd(26_000)]
    (discount,) = [ln for ln in q.lines if ln.kind is LineKind.DISCOUNT]
    assert discount.leg is Leg.RETURN
    assert discount.amount == Money.vnd(-7_800)
    assert discount.reference is not None
    assert discount.reference.document == "659/UBND-KGVX"
    assert discount.rounding is Rounding.HALF_UP
    assert q.total == Money.vnd(80_000 + 26_000 + 26_000 - 7_800)
    assert q.postage == Money.vnd(44_200)


@pytest.mark.parametrize(
    ("day", "discounted"),
    [(date(2020, 3, 22), False), (date(2020, 3, 23), True), (date(2020, 5, 30), True), (date(2020, 5, 31), False)],
)
def test_gia_lai_window_edges_in_a_quote(day: date, discounted: bool) -> None:
    """659/UBND-KGVX window 23/3–30/5/2020 inclusive, scope 1 (filed online at level 4, result returned by post)."""
    q = quote(CIVIL_GL, channel="online", postal="return", route="same_district", on=day, online_level=4)
    assert bool(lines(q, LineKind.DISCOUNT)) is discounted
    assert q.total == (Money.vnd(26_000 - 7_800) if discounted else Money.vnd(26_000))


def test_outside_the_window_the_quote_says_why() -> None:
    q = quote(SECURED_GL, channel="postal", postal="both", route="same_district", on=date(2020, 5, 31))
    assert not lines(q, LineKind.DISCOUNT)
    assert any("gia_lai_659_2020 not applied" in s and "outside" in s for s in q.steps)


def test_quang_ngai_price_applies_to_both_legs() -> None:
    q = quote(BIZ_QN, channel="postal", postal="both", route="between_districts", on=date(2020, 4, 1))
    assert lines(q, LineKind.DISCOUNT) == [Money.vnd(-10_000), Money.vnd(-10_000)]
    assert q.postage == Money.vnd(40_000)


def test_beneficiary_reduction_then_discount_never_below_zero() -> None:
    """TT 22/2017: a Heroic Mother pays no postage; a discount on top cannot push it below zero."""
    q = quote(
        SECURED_GL,
        channel="postal",
        postal="both",
        route="same_district",
        on=date(2020, 4, 1),
        beneficiary="heroic_mother",
    )
    assert q.postage == Money.vnd(0)
    half = quote(
        SECURED_GL,
        channel="postal",
        postal="both",
        route="same_district",
        on=date(2020, 6, 1),
        beneficiary="poor_household",
    )
    assert lines(half, LineKind.BENEFICIARY_REDUCTION) == [Money.vnd(-13_000), Money.vnd(-13_000)]


def test_remittance_when_the_fee_is_paid_through_the_post() -> None:
    """Vietnam Post notice: 8,000 đ per dossier to remit the fee; nothing to remit for a free procedure."""
    q = quote(SECURED_GL, channel="postal", route="same_district", on=date(2020, 6, 1), fee_via_post=True)
    assert lines(q, LineKind.REMITTANCE) == [Money.vnd(8_000)]
    free = quote(CIVIL_GL, channel="postal", route="same_district", on=date(2020, 6, 1), fee_via_post=True)
    assert not lines(free, LineKind.REMITTANCE)
    with pytest.raises(tthc.InvalidValueError) as info:
        quote(CIVIL_GL, channel="direct", on=date(2020, 6, 1), fee_via_post=True)
    assert info.value.field == "fee_via_post"


def test_usd_fees_stay_usd() -> None:
    consular = CAT["2.001652"]
    q = quote(consular, channel="postal", postal="both", route="same_district", on=date(2024, 1, 1))
    assert q.totals == (Money.vnd(52_000), Money.of("1.5", "USD"))
    with pytest.raises(tthc.InvalidValueError, match="currency"):
        _ = q.total
    assert q.total_in("USD") == Money.of("1.5", "USD")


def test_unpriced_fee_is_kept_not_zeroed() -> None:
    q = quote(CAT["1.005398"], channel="direct", on=date(2024, 1, 1))
    assert not q.complete
    (fee,) = q.lines
    assert fee.amount is None
    assert any("%" in n for n in fee.notes)


def test_postal_legs_must_fit_the_channel() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        quote(CIVIL_GL, channel="postal", postal="return", on=date(2020, 4, 1))
    assert info.value.field == "postal"
    with pytest.raises(tthc.InvalidValueError):
        quote(CIVIL_GL, channel="online", postal="send", on=date(2020, 4, 1))
    with pytest.raises(tthc.InvalidValueError) as info:
        quote(CIVIL_GL, channel="postal", postal="sideways", on=date(2020, 4, 1))
    assert info.value.given == "sideways"


def test_defaults_are_recorded() -> None:
    q = quote(CIVIL_GL, channel="postal", on=date(2020, 6, 1))
    assert q.postal is PostalService.SEND
    assert q.route is Zone.WITHIN_PROVINCE
    assert any("within_province assumed" in s for s in q.steps)
    assert any("VAT" in s for s in q.steps)


def test_explicit_rounding_is_recorded() -> None:
    q = quote(
        SECURED_GL,
        channel="postal",
        postal="both",
        route="between_provinces",
        on=date(2020, 4, 1),
        rounding=Rounding.FLOOR,
    )
    (discount,) = [ln for ln in q.lines if ln.kind is LineKind.DISCOUNT]
    assert discount.rounding is Rounding.FLOOR
    assert discount.amount == Money.vnd(-9_450)


# ------------------------------------------------------------------------------------------------ properties
PROCS = [p for p in CAT if p.channels]
WINDOW_LO, WINDOW_HI = date(2020, 2, 1), date(2020, 7, 31)


@st.composite
def quote_args(draw: st.DrawFn) -> dict[str, object]:
    p = draw(st.sampled_from(PROCS))
    channel = draw(st.sampled_from(list(Channel)))
    postal = (
        draw(st.sampled_from(["send", "both"]))
        if channel is Channel.POSTAL
        else draw(st.sampled_from([None, "return"]))
    )
    day = draw(st.dates(date(2019, 1, 1), date(2026, 12, 31)))
    zones = [z for z in Zone if not (day >= date(2025, 7, 1) and z in (Zone.SAME_DISTRICT, Zone.BETWEEN_DISTRICTS))]
    return {
        "procedure": p,
        "channel": channel,
        "postal": postal,
        "on": day,
        "route": draw(st.sampled_from(zones)),
        "weight_g": draw(st.one_of(st.none(), st.integers(0, 100))),
        "online_level": draw(st.one_of(st.none(), st.sampled_from(list(OnlineLevel)))),
        "beneficiary": draw(st.sampled_from([None, "heroic_mother", "poor_household"])),
        "province": draw(st.sampled_from([None, "H21", "H48", "H57"])),
    }


def _quote(args: dict[str, object], **kw: object) -> Quote:
    a = dict(args)
    p = a.pop("procedure")
    assert isinstance(p, Procedure)
    return quote(p, **a, **kw)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(quote_args())
def test_a_discount_never_raises_a_total(args: dict[str, object]) -> None:
    with_discounts = _quote(args)
    without = _quote(args, discounts=DiscountSet.none())
    assert with_discounts.total_in("VND") <= without.total_in("VND")
    assert with_discounts.postage.minor >= 0  # never below zero


@settings(max_examples=150, deadline=None)
@given(quote_args())
def test_outside_every_window_the_quote_equals_the_base(args: dict[str, object]) -> None:
    day = args["on"]
    assert isinstance(day, date)
    if WINDOW_LO <= day <= WINDOW_HI:
        args = {**args, "on": day + timedelta(days=400)}
    assert _quote(args).totals == _quote(args, discounts=DiscountSet.none()).totals


@settings(max_examples=150, deadline=None)
@given(quote_args())
def test_totals_equal_the_sum_of_lines(args: dict[str, object]) -> None:
    q = _quote(args)
    sums: dict[str, int] = {}
    for ln in q.lines:
        if ln.amount is not None:
            sums[ln.amount.currency] = sums.get(ln.amount.currency, 0) + ln.amount.minor
    assert {m.currency: m.minor for m in q.totals} == sums
    assert q.complete == all(ln.amount is not None for ln in q.lines)
    assert all(ln.rule for ln in q.lines)


# ------------------------------------------------------------------------------------------------ CLI
def test_cli_quote_text_and_json() -> None:
    runner = CliRunner()
    res = runner.invoke(
        group,
        [
            "quote",
            "1.011432.000.00.00.H21",
            "--channel",
            "postal",
            "--postal",
            "both",
            "--route",
            "same_district",
            "--on",
            "2020-04-01",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "659/UBND-KGVX" in res.output
    res = runner.invoke(
        group,
        [
            "quote",
            "1.011432.000.00.00.H21",
            "--channel",
            "postal",
            "--postal",
            "both",
            "--route",
            "same_district",
            "--on",
            "2020-04-01",
            "--json",
        ],
    )
    data = json.loads(res.output)
    assert data["total"] == {"VND": "124200"}
    assert [ln["kind"] for ln in data["lines"]] == ["fee", "postage", "postage", "discount"]


def test_cli_quote_usage_errors() -> None:
    assert main(["quote", "1.011432", "--channel", "postal", "--on", "2020-13-01"]) == 2
    assert main(["quote", "9.999999", "--channel", "postal", "--on", "2020-04-01"]) == 2
    assert main(["quote", "1.011432", "--channel", "postal", "--on", "2020-04-01", "--weight", "-1"]) == 2
    assert main(["quote", "1.011432", "--channel", "postal", "--on", "2020-04-01", "--route", "moon"]) == 2
    assert main(["quote", "1.011432", "--channel", "postal", "--on", "2020-04-01", "--no-discounts"]) == 0


def test_user_tariff_surcharge_and_vat_lines() -> None:
    """A tariff that excludes VAT adds a VAT line per leg (rounding recorded); optional surcharges apply when asked."""
    import copy

    from tthc.fees.tariffs import Tariff
    from tthc.foundation.data_files import load_json

    raw = copy.deepcopy(load_json("bcci_tariffs.json"))
    t = raw["tariffs"][0]
    t["vat"] = {"treatment": "excluded", "rate_percent": "10"}
    t["surcharges"] = [
        {"id": "hand", "label_vi": "phát tận tay", "amount": 2000, "optional": True},
        {"id": "fuel", "label_vi": "phụ phí xăng dầu", "percent": "5", "optional": False},
    ]
    tariff = Tariff.from_dict(raw)
    q = quote(
        CIVIL_GL, channel="postal", route="same_district", on=date(2024, 1, 1), tariff=tariff, surcharges=["hand"]
    )
    assert lines(q, LineKind.SURCHARGE) == [Money.vnd(2_000), Money.vnd(1_300)]
    (vat,) = [ln for ln in q.lines if ln.kind is LineKind.VAT]
    assert vat.amount == Money.vnd(2_930)
    assert vat.rounding is Rounding.HALF_UP
    assert q.postage == Money.vnd(26_000 + 2_000 + 1_300 + 2_930)
    with pytest.raises(tthc.InvalidValueError) as info:
        quote(CIVIL_GL, channel="postal", route="same_district", on=date(2024, 1, 1), tariff=tariff, surcharges=["x"])
    assert info.value.field == "surcharges"


def test_a_datetime_on_is_taken_by_its_vietnam_date() -> None:
    """Issue 11: ``quote(on=datetime(...))`` raised a TypeError deep inside. A datetime is a date subclass, so it is
    accepted as its date in Vietnam time (as the calendar's day methods do); an aware one is converted first."""
    from datetime import datetime, timedelta, timezone

    by_date = quote(SECURED_GL, channel="postal", postal="both", route="same_district", on=date(2020, 4, 1))
    naive = quote(SECURED_GL, channel="postal", postal="both", route="same_district", on=datetime(2020, 4, 1, 23, 30))
    utc_evening = datetime(2020, 3, 31, 18, 0, tzinfo=UTC)  # 01:00 on 1 April in Vietnam
    aware = quote(SECURED_GL, channel="postal", postal="both", route="same_district", on=utc_evening)
    assert naive.total == by_date.total == aware.total
    assert aware.on == date(2020, 4, 1)
    with pytest.raises(tthc.InvalidValueError, match="on"):
        quote(SECURED_GL, channel="postal", on="2020-04-01")  # type: ignore[arg-type]
    with pytest.raises(tthc.InvalidValueError, match="on"):
        quote(SECURED_GL, channel="postal", on=datetime.max.replace(tzinfo=timezone(timedelta(hours=-12))))
