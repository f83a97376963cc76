"""Discounts at their edges: scoping by procedure code and by beneficiary group, weight and route limits on both
sides, set prices, validation messages and how several discounts combine (issue 11, item 14: tests found missing by
mutation testing)."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

import tthc
from tthc.catalog.collection import Catalog
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
from tthc.foundation.money import Money, Rounding
from tthc.foundation.references import LegalReference
from tthc.postal.zones import Zone

DAY = date(2020, 4, 1)
CATALOG = Catalog.sample()
BIRTH_GIA_LAI = CATALOG["1.001193.000.00.00.H21"]  # a local instance of national code 1.001193, field Hộ tịch
MARRIAGE = CATALOG["1.000894"]  # national code 1.000894, field Hộ tịch


def _rule(id_: str = "r", **kw: Any) -> Discount:
    fields: dict[str, Any] = {
        "id": id_,
        "name": id_,
        "valid_from": None,
        "valid_until": None,
        "deciding_date": DecidingDate.PICKUP,
        "direction": Direction.BOTH,
        "kind": DiscountKind.PERCENT,
        "percent": Fraction(30),
        "reference": LegalReference(document=f"doc {id_}", tag="example"),
    }
    fields.update(kw)
    return Discount(**fields)


def _ctx(**kw: Any) -> DiscountContext:
    return DiscountContext(**{"on": DAY, "channel": Channel.POSTAL, **kw})


# -- scoping by procedure code -----------------------------------------------------------------------------------

CODE_SCOPED = _rule(scopes=(Scope(procedure_codes=frozenset({"1.001193"})),))


def test_procedure_code_scope_covers_the_listed_code_and_its_local_instances() -> None:
    assert CODE_SCOPED.judge(Leg.SEND, _ctx(procedure=CATALOG["1.001193"])) == (True, ())
    assert CODE_SCOPED.judge(Leg.SEND, _ctx(procedure=BIRTH_GIA_LAI)) == (True, ())


def test_procedure_code_scope_excludes_other_codes_and_says_which() -> None:
    ok, why = CODE_SCOPED.judge(Leg.SEND, _ctx(procedure=MARRIAGE))
    assert not ok
    assert why == ("code=1.001193: procedure 1.000894 not covered",)


def test_procedure_code_scope_needs_the_procedure() -> None:
    assert CODE_SCOPED.judge(Leg.SEND, _ctx()) == (False, ("code=1.001193: procedure not known",))


def test_field_scope_is_accent_and_case_insensitive_and_needs_the_procedure() -> None:
    rule = _rule(scopes=(Scope(fields=frozenset({"HỘ TỊCH"})),))
    assert rule.judge(Leg.SEND, _ctx(procedure=MARRIAGE))[0]
    assert rule.judge(Leg.SEND, _ctx()) == (False, ("field=HỘ TỊCH: procedure field not known",))
    other = _rule(scopes=(Scope(fields=frozenset({"Chứng thực"})),))
    why = ("field=Chứng thực: field 'Hộ tịch' not covered",)
    assert other.judge(Leg.SEND, _ctx(procedure=MARRIAGE)) == (False, why)


def test_any_scope_is_enough_and_every_miss_is_reported() -> None:
    rule = _rule(
        scopes=(
            Scope(channels=frozenset({Channel.ONLINE})),
            Scope(procedure_codes=frozenset({"1.000894"})),
        )
    )
    assert rule.judge(Leg.SEND, _ctx(procedure=MARRIAGE))[0]  # misses the first scope, meets the second
    assert rule.judge(Leg.SEND, _ctx(channel=Channel.ONLINE, procedure=BIRTH_GIA_LAI))[0]
    ok, why = rule.judge(Leg.SEND, _ctx(procedure=BIRTH_GIA_LAI))
    assert not ok
    assert why == (
        "channel=online: filed postal, needs online",
        "code=1.000894: procedure 1.001193.000.00.00.H21 not covered",
    )


def test_all_conditions_of_one_scope_must_hold() -> None:
    rule = _rule(scopes=(Scope(channels=frozenset({Channel.POSTAL}), procedure_codes=frozenset({"1.000894"})),))
    assert rule.judge(Leg.SEND, _ctx(procedure=MARRIAGE))[0]
    assert not rule.judge(Leg.SEND, _ctx(channel=Channel.DIRECT, procedure=MARRIAGE))[0]
    assert not rule.judge(Leg.SEND, _ctx(procedure=BIRTH_GIA_LAI))[0]


def test_scope_repr_lists_every_condition() -> None:
    s = Scope(
        channels=frozenset({Channel.POSTAL, Channel.ONLINE}),
        online_levels=frozenset({OnlineLevel.LEVEL_4, OnlineLevel.LEVEL_3}),
        fields=frozenset({"Hộ tịch", "Chứng thực"}),
        procedure_codes=frozenset({"2.000815", "1.000894"}),
    )
    assert repr(s) == ("channel=online|postal level=level_3|level_4 field=Chứng thực|Hộ tịch code=1.000894|2.000815")


# -- scoping by beneficiary group --------------------------------------------------------------------------------

FOR_MERIT = _rule(beneficiaries=frozenset({"nguoi_co_cong", "ho_ngheo"}))


@pytest.mark.parametrize(
    ("beneficiary", "covered"), [("nguoi_co_cong", True), ("ho_ngheo", True), ("sinh_vien", False), (None, False)]
)
def test_beneficiary_scope_covers_listed_groups_only(beneficiary: str | None, covered: bool) -> None:
    ok, why = FOR_MERIT.judge(Leg.RETURN, _ctx(beneficiary=beneficiary))
    assert ok is covered
    assert why == (() if covered else ("beneficiary group not covered",))


def test_no_beneficiary_condition_covers_everyone() -> None:
    assert _rule().judge(Leg.RETURN, _ctx(beneficiary="sinh_vien")) == (True, ())
    assert _rule().judge(Leg.RETURN, _ctx()) == (True, ())


# -- window, legs, province, route and weight ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "send", "ret"),
    [(Direction.SEND, True, False), (Direction.RETURN, False, True), (Direction.BOTH, True, True)],
)
def test_direction_covers_its_legs(direction: Direction, send: bool, ret: bool) -> None:
    rule = _rule(direction=direction)
    assert rule.judge(Leg.SEND, _ctx())[0] is send
    assert rule.judge(Leg.RETURN, _ctx())[0] is ret
    if not send:
        assert rule.judge(Leg.SEND, _ctx())[1] == ("covers return legs only",)


def test_window_message_names_the_deciding_date() -> None:
    rule = _rule(valid_from=date(2020, 3, 1), valid_until=date(2020, 3, 31), deciding_date=DecidingDate.RETURN)
    ok, why = rule.judge(Leg.RETURN, _ctx(dates={DecidingDate.RETURN: date(2020, 4, 1)}))
    assert not ok
    assert why == ("return date 2020-04-01 outside 2020-03-01..2020-03-31",)
    assert rule.judge(Leg.RETURN, _ctx(on=date(2020, 5, 5), dates={DecidingDate.RETURN: date(2020, 3, 31)}))[0]


def test_province_message_names_the_province() -> None:
    rule = _rule(provinces=frozenset({"H21"}))
    assert rule.judge(Leg.SEND, _ctx(province="H21")) == (True, ())
    assert rule.judge(Leg.SEND, _ctx(province="H48")) == (False, ("province H48 not covered",))


def test_route_limit_accepts_finer_zones_and_refuses_others() -> None:
    rule = _rule(routes=frozenset({Zone.WITHIN_PROVINCE}))
    assert rule.judge(Leg.SEND, _ctx(zone=Zone.WITHIN_PROVINCE))[0]
    assert rule.judge(Leg.SEND, _ctx(zone=Zone.SAME_COMMUNE))[0]  # inside the province
    assert rule.judge(Leg.SEND, _ctx(zone=Zone.BETWEEN_PROVINCES_FAR_REGION)) == (
        False,
        ("route between_provinces_far_region not covered",),
    )
    assert rule.judge(Leg.SEND, _ctx()) == (False, ("route unknown not covered",))


@pytest.mark.parametrize(("weight", "covered"), [(0, True), (100, True), (101, False)])
def test_weight_limit_is_inclusive(weight: int, covered: bool) -> None:
    rule = _rule(max_weight_g=100)
    ok, why = rule.judge(Leg.SEND, _ctx(weight_g=weight))
    assert ok is covered
    assert why == (() if covered else (f"weight {weight} g over 100 g",))


def test_unknown_weight_is_read_as_within_the_limit_and_noted() -> None:
    rule = _rule(max_weight_g=100, scopes=(Scope(channels=frozenset({Channel.POSTAL})),))
    assert rule.judge(Leg.SEND, _ctx()) == (True, ("weight not given: read as within 100 g",))


# -- reductions ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rounding", "after"), [(Rounding.HALF_UP, 17_499), (Rounding.FLOOR, 17_500), (Rounding.CEIL, 17_499)]
)
def test_percent_reduction_rounds_the_amount_taken_off(rounding: Rounding, after: int) -> None:
    # 30% of 24 999 is 7 499.7: the amount off is rounded, the price follows
    assert _rule(rounding=rounding).apply(Money.vnd(24_999), None) == Money.vnd(after)


def test_percent_reduction_keeps_the_currency_and_the_bounds() -> None:
    assert _rule(percent=Fraction(0)).apply(Money.vnd(30_000), None) == Money.vnd(30_000)
    assert _rule(percent=Fraction(100)).apply(Money.vnd(30_000), None) == Money.vnd(0)
    assert _rule(percent=Fraction(50)).apply(Money(301, "USD"), None) == Money(150, "USD")


PRICED = _rule(
    kind=DiscountKind.PRICE,
    percent=None,
    prices={Zone.SAME_DISTRICT: Money.vnd(15_000), Zone.WITHIN_PROVINCE: Money.vnd(20_000)},
)


def test_set_price_is_found_at_the_nearest_zone_up() -> None:
    assert PRICED.apply(Money.vnd(26_000), Zone.SAME_COMMUNE) == Money.vnd(15_000)  # via same_district
    assert PRICED.apply(Money.vnd(30_000), Zone.BETWEEN_DISTRICTS) == Money.vnd(20_000)  # via within_province


def test_set_price_never_raises_and_leaves_other_cases_alone() -> None:
    assert PRICED.apply(Money.vnd(15_001), Zone.SAME_DISTRICT) == Money.vnd(15_000)
    assert PRICED.apply(Money.vnd(14_999), Zone.SAME_DISTRICT) == Money.vnd(14_999)
    assert PRICED.apply(Money.vnd(50_000), Zone.BETWEEN_PROVINCES) == Money.vnd(50_000)  # no price for the zone
    assert PRICED.apply(Money.vnd(50_000), None) == Money.vnd(50_000)  # zone unknown
    assert PRICED.apply(Money(500, "USD"), Zone.SAME_DISTRICT) == Money(500, "USD")  # never converted


def test_reprs_read_like_the_rule() -> None:
    assert repr(PRICED) == (
        "<price same_district=15.000 đ, within_province=20.000 đ on send+return postage for any dossier"
        " …..… by pickup date (doc r)>"
    )
    rule = _rule(direction=Direction.RETURN, provinces=frozenset({"H48", "H21"}), valid_from=date(2020, 1, 1))
    assert repr(rule) == (
        "<reduction 30% on return postage for any dossier in H21|H48 2020-01-01..… by pickup date (doc r)>"
    )


def test_a_whole_number_percent_is_either_refused_or_applied() -> None:
    # Discount(percent=1) used to pass, then 1 / 100 was a float and Money.scale raised AttributeError: a percent
    # that is not a Fraction is now refused when the rule is built
    try:
        rule = _rule(percent=1)
    except tthc.InvalidValueError:
        return
    assert rule.apply(Money.vnd(10_000), None) == Money.vnd(9_900)


# -- validation ----------------------------------------------------------------------------------------------------


def _error(**kw: Any) -> str:
    with pytest.raises(tthc.InvalidValueError) as info:
        _rule("bad", **kw)
    return str(info.value)


@pytest.mark.parametrize("pct", [Fraction(0), Fraction(100)])
def test_percent_bounds_are_inclusive(pct: Fraction) -> None:
    assert _rule(percent=pct).percent == pct


@pytest.mark.parametrize("pct", [Fraction(-1, 100), Fraction(10001, 100), None])
def test_percent_outside_0_100_is_refused(pct: Fraction | None) -> None:
    assert _error(percent=pct) == f"percent: expected a percentage from 0 to 100, got {pct!r} (bad)"


def test_price_discount_needs_prices_that_are_not_negative() -> None:
    assert _error(kind=DiscountKind.PRICE, percent=None) == (
        "prices: expected at least one zone price for a 'price' discount, got {} (bad)"
    )
    assert _error(kind=DiscountKind.PRICE, prices={Zone.SAME_DISTRICT: Money.vnd(-1)}) == (
        "prices: expected amounts >= 0, got 'same_district: -1' (bad)"
    )
    assert _rule(kind=DiscountKind.PRICE, prices={Zone.SAME_DISTRICT: Money.vnd(0)}).prices


def test_payers_shares_must_sum_to_one() -> None:
    halves = (("post", Fraction(1, 2)), ("province_budget", Fraction(1, 2)))
    assert _rule(payers=halves).payers == halves
    assert _error(payers=(("post", Fraction(1, 2)), ("province_budget", Fraction(1, 3)))) == (
        "payers: expected shares summing to 1, got ['post=1/2', 'province_budget=1/3']"
    )


def test_max_weight_must_not_be_negative() -> None:
    assert _rule(max_weight_g=0).max_weight_g == 0
    assert _error(max_weight_g=-1) == "max_weight_g: expected grams >= 0, got -1"


# -- sets and combination ------------------------------------------------------------------------------------------


def test_most_favourable_keeps_the_first_of_equal_outcomes_and_says_why_others_were_left() -> None:
    rules = DiscountSet(
        (_rule("a", percent=Fraction(20)), _rule("b", percent=Fraction(20)), _rule("c", percent=Fraction(1)))
    )
    applied, skipped = rules.apply(Leg.SEND, Money.vnd(10_000), _ctx())
    assert [(o.discount.id, o.before, o.after, o.reduction) for o in applied] == [
        ("a", Money.vnd(10_000), Money.vnd(8_000), Money.vnd(2_000))
    ]
    assert [(d.id, why) for d, why in skipped] == [
        ("b", "not combined: most_favourable chose a"),
        ("c", "not combined: most_favourable chose a"),
    ]


def test_stack_applies_in_the_listed_order_on_the_running_price() -> None:
    rules = DiscountSet((_rule("a", percent=Fraction(50)), _rule("b", percent=Fraction(10))), Combination.STACK)
    applied, skipped = rules.apply(Leg.RETURN, Money.vnd(10_001), _ctx())
    assert [(o.before, o.after) for o in applied] == [
        (Money.vnd(10_001), Money.vnd(5_000)),
        (Money.vnd(5_000), Money.vnd(4_500)),
    ]
    assert skipped == ()


def test_discounts_that_do_not_apply_are_returned_with_the_reason() -> None:
    rules = DiscountSet((_rule("a", direction=Direction.SEND), _rule("b", max_weight_g=10)))
    applied, skipped = rules.apply(Leg.RETURN, Money.vnd(10_000), _ctx(weight_g=11))
    assert applied == ()
    assert [(d.id, why) for d, why in skipped] == [("a", "covers send legs only"), ("b", "weight 11 g over 10 g")]


def test_reject_allows_a_single_discount() -> None:
    rules = DiscountSet((_rule("a"), _rule("b", direction=Direction.SEND)), Combination.REJECT)
    applied, _ = rules.apply(Leg.RETURN, Money.vnd(10_000), _ctx())
    assert [o.discount.id for o in applied] == ["a"]
    with pytest.raises(tthc.ConflictError, match=r"^send leg: 2 discounts apply"):
        rules.apply(Leg.SEND, Money.vnd(10_000), _ctx())


def test_set_constructors_and_repr() -> None:
    assert repr(DiscountSet.none()) == "<discounts (most_favourable): none>"
    assert DiscountSet.of(None) is DiscountSet.bundled()
    two = DiscountSet.of([_rule("a"), _rule("b")], Combination.STACK)
    assert repr(two) == "<discounts (stack): a, b>"
    assert DiscountSet.of(two) is two
    assert DiscountSet.of(two, Combination.REJECT).combination is Combination.REJECT
    with pytest.raises(tthc.ConflictError) as info:
        DiscountSet((_rule("a"), _rule("a")))
    assert str(info.value) == "discounts: two discounts with id 'a' (expected unique ids)"


def test_file_round_trip_keeps_scopes_beneficiaries_and_prices(tmp_path: Path) -> None:
    raw = {
        "combination": "stack",
        "discounts": [
            {
                "id": "merit",
                "name": "Người có công",
                "provinces": ["H21"],
                "valid_from": "2020-01-01",
                "valid_until": None,
                "deciding_date": "receipt",
                "direction": "return",
                "kind": "price",
                "prices": {"same_district": 0},
                "routes": ["within_province"],
                "max_weight_g": 500,
                "beneficiaries": ["nguoi_co_cong"],
                "scopes": [{"procedure_codes": ["1.000894"], "channels": ["postal"]}],
                "payers": [{"payer": "province_budget", "share": "1"}],
                "rounding": "floor",
                "reference": {"document": "QĐ x/UBND", "tag": "example"},
            }
        ],
    }
    path = tmp_path / "discounts.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    loaded = DiscountSet.load(path)
    assert loaded.combination is Combination.STACK
    (merit,) = loaded.discounts
    assert merit.beneficiaries == frozenset({"nguoi_co_cong"})
    assert merit.scopes == (Scope(channels=frozenset({Channel.POSTAL}), procedure_codes=frozenset({"1.000894"})),)
    assert merit.prices == {Zone.SAME_DISTRICT: Money.vnd(0)}
    assert merit.routes == frozenset({Zone.WITHIN_PROVINCE})
    assert (merit.max_weight_g, merit.rounding, merit.provinces) == (500, Rounding.FLOOR, frozenset({"H21"}))
    assert merit.payers == (("province_budget", Fraction(1)),)
    ok_ctx = _ctx(procedure=MARRIAGE, beneficiary="nguoi_co_cong", province="H21", zone=Zone.SAME_DISTRICT)
    assert merit.judge(Leg.RETURN, ok_ctx)[0]
    assert not merit.judge(Leg.RETURN, attrs.evolve(ok_ctx, beneficiary=None))[0]
    assert not merit.judge(Leg.RETURN, attrs.evolve(ok_ctx, procedure=BIRTH_GIA_LAI))[0]


def test_invalid_rule_in_a_file_names_the_source() -> None:
    raw = {
        "discounts": [
            {
                "id": "x",
                "name": "x",
                "valid_from": None,
                "valid_until": None,
                "deciding_date": "pickup",
                "direction": "both",
                "kind": "percent",
                "percent": "130",
                "reference": {"document": "d", "tag": "example"},
            }
        ]
    }
    with pytest.raises(tthc.DataFileError) as info:
        DiscountSet.from_dict(raw, source="mine.json")
    assert str(info.value) == "mine.json: percent: expected a percentage from 0 to 100, got Fraction(130, 1) (x)"


# -- more edges: regimes, stacking set prices, reject messages, files in another currency -------------------------


def test_a_level_of_the_old_regime_judged_after_the_switch_says_so() -> None:
    rule = _rule(scopes=(Scope(online_levels=frozenset({OnlineLevel.LEVEL_4})),))
    ok, why = rule.judge(Leg.SEND, _ctx(on=date(2023, 1, 1), online_level=OnlineLevel.LEVEL_4))
    assert ok
    assert why == ("level level_4 judged as given, though the nd42_2022 regime was in force",)
    assert rule.judge(Leg.SEND, _ctx(online_level=OnlineLevel.LEVEL_4)) == (True, ())  # in force: no note
    assert not rule.judge(Leg.SEND, _ctx(online_level=OnlineLevel.LEVEL_3))[0]
    assert rule.judge(Leg.SEND, _ctx()) == (False, ("level=level_4: online level not known",))


def test_a_level_outside_the_scope_says_which_level() -> None:
    # a refusal always says why: the level the dossier had and that the scope does not cover it
    rule = _rule(scopes=(Scope(online_levels=frozenset({OnlineLevel.LEVEL_4})),))
    ok, why = rule.judge(Leg.SEND, _ctx(online_level=OnlineLevel.LEVEL_3))
    assert not ok
    assert "level_3" in why[0]


def test_a_failed_scope_lists_every_note_it_made() -> None:
    rule = _rule(
        scopes=(Scope(online_levels=frozenset({OnlineLevel.LEVEL_4}), procedure_codes=frozenset({"1.000894"})),)
    )
    ok, why = rule.judge(Leg.SEND, _ctx(on=date(2023, 1, 1), online_level=OnlineLevel.LEVEL_4, procedure=BIRTH_GIA_LAI))
    assert not ok
    assert why == ("level=level_4 code=1.000894: procedure 1.001193.000.00.00.H21 not covered",)


def test_channel_scope_names_every_channel_it_needs() -> None:
    rule = _rule(scopes=(Scope(channels=frozenset({Channel.ONLINE, Channel.POSTAL})),))
    assert rule.judge(Leg.SEND, _ctx(channel=Channel.DIRECT)) == (
        False,
        ("channel=online|postal: filed direct, needs online|postal",),
    )


def test_unknown_province_message_says_how_to_give_it() -> None:
    rule = _rule(provinces=frozenset({"H21"}))
    assert rule.judge(Leg.SEND, _ctx()) == (
        False,
        ("province not known (give province= or a local procedure code)",),
    )


def test_a_set_price_of_zero_and_a_set_price_in_dollars() -> None:
    free = _rule(kind=DiscountKind.PRICE, percent=None, prices={Zone.WITHIN_PROVINCE: Money.vnd(0)})
    assert free.apply(Money.vnd(26_000), Zone.SAME_DISTRICT) == Money.vnd(0)
    usd = _rule(kind=DiscountKind.PRICE, percent=None, prices={Zone.WITHIN_PROVINCE: Money(0, "USD")})
    assert usd.apply(Money(250, "USD"), Zone.SAME_DISTRICT) == Money(0, "USD")


def test_stacked_set_prices_use_the_zone_and_record_each_step() -> None:
    rules = DiscountSet((PRICED, _rule("half", percent=Fraction(50))), Combination.STACK)
    applied, _ = rules.apply(Leg.RETURN, Money.vnd(26_000), _ctx(zone=Zone.SAME_COMMUNE, weight_g=10))
    assert [(o.discount.id, o.leg, o.before, o.after, o.notes) for o in applied] == [
        ("r", Leg.RETURN, Money.vnd(26_000), Money.vnd(15_000), ()),
        ("half", Leg.RETURN, Money.vnd(15_000), Money.vnd(7_500), ()),
    ]


def test_the_chosen_outcome_keeps_its_leg_and_notes() -> None:
    rule = _rule("w", max_weight_g=100, scopes=(Scope(channels=frozenset({Channel.POSTAL})),))
    applied, _ = DiscountSet((rule,)).apply(Leg.SEND, Money.vnd(1_000), _ctx())
    assert [(o.leg, o.notes) for o in applied] == [(Leg.SEND, ("weight not given: read as within 100 g",))]


def test_reject_names_every_discount_that_applies() -> None:
    rules = DiscountSet((_rule("a"), _rule("b", percent=Fraction(10))), Combination.REJECT)
    with pytest.raises(tthc.ConflictError) as info:
        rules.apply(Leg.SEND, Money.vnd(10_000), _ctx())
    assert str(info.value) == (
        "send leg: 2 discounts apply and no combination rule allows it: "
        "<reduction 30% on send+return postage for any dossier …..… by pickup date (doc a)>, "
        "<reduction 10% on send+return postage for any dossier …..… by pickup date (doc b)>"
    )


def test_a_skipped_discount_joins_its_reasons() -> None:
    rule = _rule("two", scopes=(Scope(channels=frozenset({Channel.ONLINE})), Scope(fields=frozenset({"Hộ tịch"}))))
    _, skipped = DiscountSet((rule,)).apply(Leg.SEND, Money.vnd(1_000), _ctx())
    assert [why for _, why in skipped] == [
        "channel=online: filed postal, needs online; field=Hộ tịch: procedure field not known"
    ]


def test_a_file_in_dollars_with_levels_and_fields() -> None:
    raw = {
        "discounts": [
            {
                "id": "usd",
                "name": "usd",
                "valid_from": "2021-02-01",
                "valid_until": "2021-03-31",
                "deciding_date": "return",
                "direction": "both",
                "kind": "price",
                "prices": {"within_province": 150},
                "currency": "USD",
                "scopes": [{"online_levels": ["full"], "fields": ["Hộ tịch"]}],
                "reference": {"document": "d", "tag": "example"},
                "assumptions": [{"field": "payers", "note": "not stated"}],
            }
        ]
    }
    (usd,) = DiscountSet.from_dict(raw).discounts
    assert (usd.valid_from, usd.valid_until) == (date(2021, 2, 1), date(2021, 3, 31))
    assert usd.prices == {Zone.WITHIN_PROVINCE: Money(150, "USD")}
    assert usd.scopes == (Scope(online_levels=frozenset({OnlineLevel.FULL}), fields=frozenset({"Hộ tịch"})),)
    assert usd.assumptions == (("payers", "not stated"),)
    assert (usd.deciding_date, usd.direction) == (DecidingDate.RETURN, Direction.BOTH)
