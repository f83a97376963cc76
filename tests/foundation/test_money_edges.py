"""Money at its edges: other currencies than đồng, equal amounts, each rounding mode on both signs, exact error
messages, and the pydantic form (issue 11, item 14: tests found missing by mutation testing)."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

import tthc
from tthc.foundation.money import CURRENCY_EXPONENTS, Money, Rounding

_CURRENCIES = "['EUR', 'USD', 'VND']"


def test_usd_arithmetic_keeps_cents_and_currency() -> None:
    a, b = Money.of("1.25", "USD"), Money.of("0.80", "USD")
    assert a + b == Money(205, "USD")
    assert a - b == Money(45, "USD")
    assert b - a == Money(-45, "USD")
    assert -a == Money(-125, "USD")
    assert (a + b).currency == "USD"
    assert (a + b).amount == Decimal("2.05")
    assert str(a - b) == "0.45 USD"
    assert (b - a).format_vi() == "-0,45 USD"


def test_eur_is_a_two_decimal_currency_too() -> None:
    assert Money.of("0.05", "EUR") == Money(5, "EUR")
    assert Money(5, "EUR").format_vi() == "0,05 EUR"
    assert Money(123_456_789, "EUR").format_vi() == "1.234.567,89 EUR"


@pytest.mark.parametrize(
    ("op", "expected"),
    [(operator.lt, False), (operator.le, True), (operator.gt, False), (operator.ge, True), (operator.eq, True)],
)
def test_equal_amounts_compare_equal(op: Callable[[Money, Money], bool], expected: bool) -> None:
    assert op(Money.vnd(30_500), Money.vnd(30_500)) is expected
    assert op(Money(150, "USD"), Money.of("1.5", "USD")) is expected


@pytest.mark.parametrize(
    ("op", "smaller_first", "larger_first"),
    [
        (operator.lt, True, False),
        (operator.le, True, False),
        (operator.gt, False, True),
        (operator.ge, False, True),
    ],
)
def test_one_dong_apart_orders_both_ways(
    op: Callable[[Money, Money], bool], smaller_first: bool, larger_first: bool
) -> None:
    small, large = Money.vnd(29_999), Money.vnd(30_000)
    assert op(small, large) is smaller_first
    assert op(large, small) is larger_first


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge])
def test_every_binary_operation_refuses_another_currency(op: Callable[[Money, Money], object]) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        op(Money.vnd(100), Money(100, "USD"))
    assert str(info.value) == "currency: expected VND (amounts are never converted), got 'USD'"


def test_an_amount_in_another_currency_is_never_equal_to_the_same_number_of_dong() -> None:
    assert Money(100, "USD") != Money.vnd(100)
    assert Money.vnd(100) == Money(100)


def test_unknown_currency_is_refused_with_the_list_of_known_ones() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money(100, "JPY")
    assert str(info.value) == f"currency: expected one of {_CURRENCIES}, got 'JPY'"
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.of("1", "JPY")
    assert str(info.value) == f"currency: expected one of {_CURRENCIES}, got 'JPY'"
    assert info.value.field == "currency"


@pytest.mark.parametrize("minor", [1.0, 1.5, "100", True, False, Decimal(3), None])
def test_minor_units_must_be_a_true_int(minor: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money(minor)  # type: ignore[arg-type]
    assert str(info.value) == f"amount: expected an integer number of minor units, got {minor!r}"


def test_of_reads_major_units_exactly() -> None:
    assert Money.of("1.5", "USD") == Money(150, "USD")
    assert Money.of(Decimal("2"), "EUR") == Money(200, "EUR")
    assert Money.of(30_500) == Money.vnd(30_500)
    assert Money.of("-0.01", "USD") == Money(-1, "USD")


def test_of_refuses_text_that_is_not_a_number() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.of("mười nghìn")
    assert str(info.value) == "amount: expected a decimal number, got 'mười nghìn'"


@pytest.mark.parametrize(("amount", "currency"), [("1.005", "USD"), ("0.5", "VND"), ("0.001", "EUR")])
def test_of_refuses_an_amount_finer_than_the_minor_unit(amount: str, currency: str) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.of(amount, currency)
    assert str(info.value) == (
        f"amount: expected a whole number of minor units of {currency}, got {amount!r} (would need rounding)"
    )


@pytest.mark.parametrize(
    ("value", "half_up", "half_even", "floor", "ceil"),
    [
        (Fraction(5, 2), 3, 2, 2, 3),
        (Fraction(7, 2), 4, 4, 3, 4),
        (Fraction(-5, 2), -3, -2, -3, -2),
        (Fraction(21, 10), 2, 2, 2, 3),
        (Fraction(-21, 10), -2, -2, -3, -2),
        (Fraction(4), 4, 4, 4, 4),
    ],
)
def test_each_rounding_mode_on_both_signs(value: Fraction, half_up: int, half_even: int, floor: int, ceil: int) -> None:
    assert Rounding.HALF_UP.apply(value) == half_up
    assert Rounding.HALF_EVEN.apply(value) == half_even
    assert Rounding.FLOOR.apply(value) == floor
    assert Rounding.CEIL.apply(value) == ceil


def test_scale_keeps_the_currency() -> None:
    assert Money(199, "USD").scale(Fraction(1, 2), Rounding.CEIL) == Money(100, "USD")
    assert Money(199, "USD").scale(Fraction(1, 2), Rounding.FLOOR) == Money(99, "USD")


@given(st.integers(-(10**15), 10**15), st.fractions(0, 1, max_denominator=1000))
def test_floor_never_exceeds_ceil_and_they_differ_by_at_most_one(minor: int, ratio: Fraction) -> None:
    low = Money.vnd(minor).scale(ratio, Rounding.FLOOR)
    high = Money.vnd(minor).scale(ratio, Rounding.CEIL)
    assert low <= high
    assert (high - low).minor in (0, 1)
    assert (high - low).is_zero() == ((Fraction(minor) * ratio).denominator == 1)


def test_is_zero_only_for_zero() -> None:
    assert Money.vnd(0).is_zero()
    assert Money(0, "USD").is_zero()
    assert not Money.vnd(1).is_zero()
    assert not Money.vnd(-1).is_zero()


def test_vietnamese_and_plain_formatting() -> None:
    assert Money.vnd(-1_234_567).format_vi() == "-1.234.567 đ"
    assert Money.vnd(0).format_vi() == "0 đ"
    assert Money(7, "USD").format_vi() == "0,07 USD"
    assert Money(-150, "USD").format_vi() == "-1,50 USD"
    assert str(Money(150, "USD")) == "1.50 USD"
    assert str(Money.vnd(-5)) == "-5 VND"
    assert repr(Money.vnd(30_500)) == "Money('30.500 đ')"
    assert repr(Money(150, "USD")) == "Money('1,50 USD')"


def test_every_known_currency_formats_with_its_exponent() -> None:
    for currency, exp in CURRENCY_EXPONENTS.items():
        text = str(Money(10**exp, currency))
        assert text == ("1" if exp == 0 else "1." + "0" * exp) + f" {currency}"


# Each test builds its own adapter: pydantic asks Money for its schema when an adapter or model is built, so a
# module-level model would exercise Money.__get_pydantic_core_schema__ once, at import, outside every test.


def test_pydantic_field_reads_dicts_in_python_and_json() -> None:
    money = TypeAdapter(Money)
    assert money.validate_python({"minor": 150, "currency": "USD"}) == Money(150, "USD")
    assert money.validate_json('{"minor": 30500, "currency": "VND"}') == Money.vnd(30_500)
    same = Money(7, "EUR")
    assert money.validate_python(same) is same


def test_pydantic_field_writes_minor_and_currency() -> None:
    money = TypeAdapter(Money)
    assert money.dump_python(Money(150, "USD")) == {"minor": 150, "currency": "USD"}
    assert json.loads(money.dump_json(Money.vnd(22_000))) == {"minor": 22_000, "currency": "VND"}
    assert money.validate_json(money.dump_json(Money(-5, "EUR"))) == Money(-5, "EUR")


@pytest.mark.parametrize(
    "fee",
    [
        {"minor": "150", "currency": "USD"},  # strict: a numeric string is not an amount
        {"minor": 1.5, "currency": "USD"},
        {"minor": 150},
        {"currency": "USD"},
        {"minor": 150, "currency": "JPY"},
        150,
    ],
)
def test_pydantic_field_rejects_malformed_amounts(fee: object) -> None:
    money = TypeAdapter(Money)
    with pytest.raises(ValidationError):
        money.validate_python(fee)
    with pytest.raises(ValidationError):
        money.validate_json(json.dumps(fee))


@pytest.mark.parametrize("amount", [1.5, True, None, Fraction(3, 2)])
def test_of_refuses_amounts_that_are_not_exact_decimals(amount: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.of(amount)  # type: ignore[arg-type]
    assert str(info.value) == f"amount: expected a decimal number (str, int or Decimal), got {amount!r}"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-inf", Decimal("sNaN")])
def test_of_refuses_amounts_that_are_not_finite(amount: str | Decimal) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.of(amount)
    assert str(info.value).startswith("amount: expected a ")
    assert str(info.value).endswith(f", got {amount!r}")


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_a_non_finite_amount_is_named_as_such(amount: str) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.of(amount)
    assert str(info.value) == f"amount: expected a finite decimal number, got {amount!r}"


@pytest.mark.parametrize("ratio", [0.5, True, "1/2", None])
def test_scale_refuses_a_ratio_that_is_not_exact(ratio: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Money.vnd(100).scale(ratio, Rounding.HALF_UP)  # type: ignore[arg-type]
    assert str(info.value) == f"ratio: expected a Fraction (or int), got {ratio!r}"


def test_scale_by_a_whole_number() -> None:
    assert Money(150, "USD").scale(Fraction(3), Rounding.FLOOR) == Money(450, "USD")
    assert Money.vnd(7).scale(Fraction(0), Rounding.CEIL) == Money.vnd(0)
