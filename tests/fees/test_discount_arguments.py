"""Every argument check of :class:`Discount` and :class:`DiscountSet`, with its exact field, expectation and the value
given, on both sides: the wrong type is refused with its own message and the right one is accepted (issue 11,
item 14: the survivors of mutation testing were the messages of these checks)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

import tthc
from tthc.fees.discounts import (
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

REF = LegalReference(document="doc r", tag="example")
PRICE = Money.vnd(20_000)
PRICES = {Zone.WITHIN_PROVINCE: Money.vnd(10_000)}


def _rule(**kw: Any) -> Discount:
    fields: dict[str, Any] = {
        "id": "r",
        "name": "rule r",
        "valid_from": None,
        "valid_until": None,
        "deciding_date": DecidingDate.PICKUP,
        "direction": Direction.BOTH,
        "kind": DiscountKind.PERCENT,
        "percent": Fraction(30),
        "reference": REF,
    }
    fields.update(kw)
    return Discount(**fields)


def _refused(**kw: Any) -> tuple[str, str, object]:
    with pytest.raises(tthc.InvalidValueError) as info:
        _rule(**kw)
    return info.value.field, info.value.expected, info.value.given


# (argument, a wrong value, the expected text, what the error reports as given)
WRONG_TYPES: list[tuple[str, object, str, object]] = [
    ("id", 3, "text", "int"),
    ("name", None, "text", "NoneType"),
    ("deciding_date", "pickup", "a DecidingDate", "str"),
    ("direction", "both", "a Direction", "str"),
    ("kind", "percent", "a DiscountKind", "str"),
    ("reference", "doc r", "a LegalReference", "str"),
    ("percent", 30, "a Fraction such as Fraction(30) for 30 %", "int"),
    ("percent", 0.3, "a Fraction such as Fraction(30) for 30 %", "float"),
    ("prices", [(Zone.WITHIN_PROVINCE, Money.vnd(1))], "a mapping of Zone to Money", "list"),
    ("scopes", [Scope()], "a tuple of Scope", "list"),
    ("scopes", (Scope(), "channel=postal"), "a tuple of Scope", "str"),
    ("rounding", "half_up", "a Rounding", "str"),
]


@pytest.mark.parametrize(("argument", "value", "expected", "given"), WRONG_TYPES)
def test_a_wrong_type_is_refused_naming_the_argument(argument: str, value: object, expected: str, given: str) -> None:
    assert _refused(**{argument: value}) == (argument, expected, given)


def test_the_message_reads_field_expected_given() -> None:
    with pytest.raises(tthc.InvalidValueError, match=r"^deciding_date: expected a DecidingDate, got 'str'$"):
        _rule(deciding_date="pickup")


def test_the_right_types_are_accepted() -> None:
    rule = _rule(
        kind=DiscountKind.PRICE,
        percent=None,
        prices=PRICES,
        scopes=(Scope(), Scope(channels=frozenset({Channel.POSTAL}))),
        provinces=frozenset({"H21"}),
        routes=frozenset({Zone.WITHIN_PROVINCE}),
        beneficiaries=frozenset({"poor households"}),
        max_weight_g=100,
        payers=(("post", Fraction(1, 2)), ("province", 0), ("budget", Fraction(1, 2))),
        rounding=Rounding.HALF_EVEN,
        assumptions=(("percent", "not in the letter"),),
    )
    assert rule.percent is None
    assert rule.routes == frozenset({Zone.WITHIN_PROVINCE})
    # empty sets are sets: a condition nobody meets, but a well-typed one
    assert _rule(provinces=frozenset(), routes=frozenset(), beneficiaries=frozenset()).provinces == frozenset()


@pytest.mark.parametrize(
    ("key", "price"),
    [
        ("within_province", Money.vnd(10_000)),  # the zone's value, not the Zone
        (Zone.WITHIN_PROVINCE, 10_000),  # a bare number, not Money
    ],
)
def test_each_zone_price_pair_is_checked(key: object, price: object) -> None:
    assert _refused(kind=DiscountKind.PRICE, prices={key: price}) == (
        "prices",
        "a mapping of Zone to Money",
        f"{key!r}: {price!r}",
    )


@pytest.mark.parametrize("argument", ["provinces", "beneficiaries"])
@pytest.mark.parametrize(
    "value",
    [
        {"H21"},  # a set of the right items, but not frozen
        frozenset({21}),  # frozen, but the wrong items
        ("H21",),
    ],
)
def test_text_sets_must_be_frozensets_of_text(argument: str, value: object) -> None:
    assert _refused(**{argument: value}) == (argument, "None or a frozenset of str", value)


@pytest.mark.parametrize("value", [{Zone.WITHIN_PROVINCE}, frozenset({"within_province"})])
def test_routes_must_be_a_frozenset_of_zones(value: object) -> None:
    assert _refused(routes=value) == ("routes", "None or a frozenset of Zone", value)


@pytest.mark.parametrize("weight", [True, 1.5, "100"])
def test_max_weight_must_be_whole_grams(weight: object) -> None:
    assert _refused(max_weight_g=weight) == ("max_weight_g", "grams (an int) or None", weight)


@pytest.mark.parametrize(
    "assumptions",
    [
        [("percent", "note")],  # a list
        (("percent", "note", "extra"),),  # three texts
        (("percent",),),  # one text
        (("percent", 30),),  # a pair, but not both text
        ("percent note",),  # a string is not a pair
    ],
)
def test_assumptions_must_be_pairs_of_text(assumptions: object) -> None:
    assert _refused(assumptions=assumptions) == ("assumptions", "a tuple of (field, note) text pairs", assumptions)


@pytest.mark.parametrize(
    "payers",
    [
        [("post", Fraction(1))],  # a list
        (("post", Fraction(1), "x"),),  # not a pair
        (("post",),),  # one item
        ((1, Fraction(1)),),  # the payer is not text
        (("post", 0.5), ("province", 0.5)),  # a float share
        ("post",),  # a string is not a pair
    ],
)
def test_payers_must_be_pairs_of_text_and_fraction(payers: object) -> None:
    assert _refused(payers=payers) == ("payers", "a tuple of (payer, Fraction share) pairs", payers)


def test_a_whole_number_share_is_a_share() -> None:
    assert [share for _, share in _rule(payers=(("post", 1),)).payers] == [1]


# -- DiscountSet ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("discounts", [[_rule()], (_rule(), "r2"), ("r",)])
def test_a_set_holds_a_tuple_of_discounts(discounts: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        DiscountSet(discounts)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == (
        "discounts",
        "a tuple of tthc.Discount",
        discounts,
    )


@pytest.mark.parametrize("discounts", ["r", b"r", 3, _rule()])
def test_of_refuses_what_is_not_a_collection_of_discounts(discounts: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        DiscountSet.of(discounts)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == (
        "discounts",
        "a DiscountSet, an iterable of Discount, or None",
        discounts,
    )


def test_of_takes_any_iterable_of_discounts() -> None:
    rules = [_rule(id="a"), _rule(id="b")]
    assert DiscountSet.of(iter(rules)).discounts == tuple(rules)
    assert DiscountSet.of(r for r in rules).discounts == tuple(rules)


def test_apply_checks_the_price_and_the_context() -> None:
    rules = DiscountSet((_rule(),))
    ctx = DiscountContext(on=date(2020, 4, 1), channel=Channel.POSTAL)
    with pytest.raises(tthc.InvalidValueError) as info:
        rules.apply(Leg.SEND, 20_000, ctx)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == ("price", "a tthc.Money", "int")
    with pytest.raises(tthc.InvalidValueError) as info:
        rules.apply(Leg.SEND, PRICE, {"on": date(2020, 4, 1)})  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == ("ctx", "a DiscountContext", "dict")
    applied, skipped = rules.apply(Leg.SEND, PRICE, ctx)
    assert [o.after for o in applied] == [Money.vnd(14_000)]
    assert skipped == ()


def test_from_dict_names_its_default_source() -> None:
    with pytest.raises(tthc.DataFileError, match=r"^<discounts>: discounts: "):
        DiscountSet.from_dict({"discounts": 3})


def test_stacked_outcomes_keep_the_notes_of_each_discount() -> None:
    rules = DiscountSet((_rule(id="a", max_weight_g=100), _rule(id="b")), tthc.Combination.STACK)
    applied, _ = rules.apply(Leg.SEND, PRICE, DiscountContext(on=date(2020, 4, 1), channel=Channel.POSTAL))
    assert [o.notes for o in applied] == [("weight not given: read as within 100 g",), ()]
    assert [(o.before, o.after) for o in applied] == [
        (Money.vnd(20_000), Money.vnd(14_000)),
        (Money.vnd(14_000), Money.vnd(9_800)),
    ]


# -- the Vietnamese texts ---------------------------------------------------------------------------------------------


def test_the_vietnamese_texts_are_checked_too() -> None:
    assert _refused(name_vi=3) == ("name_vi", "text", "int")
    for texts in (["đọc là 30"], ("đọc là 30", 3)):
        assert _refused(assumptions_vi=texts) == ("assumptions_vi", "a tuple of texts", texts)
    assert _rule(name_vi="quy tắc r", assumptions_vi=("đọc là 30",)).name_vi == "quy tắc r"


def test_assumption_notes_pair_each_note_with_its_vietnamese_form_when_given() -> None:
    rule = _rule(assumptions=(("percent", "read as 30"), ("direction", "both legs")), assumptions_vi=("đọc là 30",))
    assert [w.text("en") for w in rule.assumption_notes()] == [
        "percent [open]: read as 30",
        "direction [open]: both legs",
    ]
    # a note without its Vietnamese form is shown as written
    assert [w.text("vi") for w in rule.assumption_notes()] == [
        "percent [open]: đọc là 30",
        "direction [open]: both legs",
    ]


def test_a_scope_judges_in_the_language_asked() -> None:
    scope = Scope(online_levels=frozenset({OnlineLevel.LEVEL_4}))
    ctx = DiscountContext(on=date(2024, 1, 1), channel=Channel.ONLINE, online_level=OnlineLevel.FULL)
    ok, why = scope.judge(ctx, lang="en")
    assert ok
    assert why == (
        "level full compared through the library default mapping (no official conversion table found (domain.md §1,"
        " [open]); library default, not official)",
    )
    assert scope.judge(ctx, lang="vi")[1][0].startswith("toàn trình được so sánh qua bảng chuyển đổi mặc định")


def test_applied_notes_are_in_the_language_asked() -> None:
    rules = DiscountSet((_rule(max_weight_g=100),))
    ctx = DiscountContext(on=date(2020, 4, 1), channel=Channel.POSTAL)
    assert rules.apply(Leg.SEND, PRICE, ctx, lang="en")[0][0].notes == ("weight not given: read as within 100 g",)
    assert rules.apply(Leg.SEND, PRICE, ctx, lang="vi")[0][0].notes == (
        "không cho biết khối lượng: coi như không quá 100 g",
    )


def test_a_file_keeps_the_vietnamese_name_and_notes() -> None:
    raw = {
        "discounts": [
            {
                "id": "r",
                "name": "rule r",
                "name_vi": "quy tắc r",
                "valid_from": None,
                "valid_until": None,
                "deciding_date": "pickup",
                "direction": "both",
                "kind": "percent",
                "percent": "30",
                "reference": {"document": "doc r", "tag": "example"},
                "assumptions": [
                    {"field": "percent", "note": "read as 30", "note_vi": "đọc là 30"},
                    {"field": "direction", "note": "both legs"},
                ],
            }
        ]
    }
    (rule,) = DiscountSet.from_dict(raw).discounts
    assert (rule.name_vi, rule.assumptions_vi) == ("quy tắc r", ("đọc là 30", ""))
