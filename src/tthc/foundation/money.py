"""Money: integer amounts in a currency's smallest unit, with explicit rounding for derived amounts.

Amounts in đồng are whole numbers (VND has no minor unit in use). Amounts the catalog gives in another currency
(``Lệ phí : 1.5 USD``) keep that currency and are never converted silently. No legal rounding rule for derived
amounts was found (domain.md §5, [open]): every derivation names its :class:`Rounding`, and quotes record it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from tthc.errors import InvalidValueError
from tthc.foundation.data_files import MAX_JSON_INT
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import core_schema

__all__ = ["CURRENCY_EXPONENTS", "Money", "Rounding"]

CURRENCY_EXPONENTS: dict[str, int] = {"VND": 0, "USD": 2, "EUR": 2}
"""Decimal places of the minor unit per ISO 4217 currency this library knows."""


class Rounding(TthcStrEnum):
    """How a derived amount (a percentage of a price) is rounded to the minor unit."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    FLOOR = "floor"
    CEIL = "ceil"

    def apply(self, value: Fraction) -> int:
        """``value`` rounded to a whole number; exact integer arithmetic, whatever the size (a ``Decimal`` context
        would round a 30-digit amount before this rounding does, or refuse it)."""
        n, d = value.numerator, value.denominator  # d > 0
        if self is Rounding.FLOOR:
            return n // d
        if self is Rounding.CEIL:
            return -(-n // d)
        if self is Rounding.HALF_EVEN:
            return round(Fraction(n, d))
        half_up = (2 * abs(n) + d) // (2 * d)  # halves away from zero, as decimal.ROUND_HALF_UP
        return half_up if n >= 0 else -half_up


MAX_MINOR = MAX_JSON_INT
"""The largest amount, in minor units either way: what a JSON file read by tthc may hold, so that every amount
written (a catalog's fees) reads back. A fee text stating more is left unparsed
(:func:`tthc.catalog.free_text.parse_amount`)."""


@attrs.frozen(slots=True, order=False)
class Money:
    """An amount in the smallest unit of ``currency`` (đồng for VND, cents for USD).

    ``Money.vnd(30_500)`` is thirty thousand five hundred đồng; ``Money.of("1.5", "USD")`` is 150 cents.
    """

    minor: int
    currency: str = "VND"

    def __attrs_post_init__(self) -> None:
        if self.currency not in CURRENCY_EXPONENTS:
            raise InvalidValueError("currency", _one_of_currencies(), self.currency)
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise InvalidValueError("amount", N_("an integer number of minor units"), self.minor)
        if not -MAX_MINOR <= self.minor <= MAX_MINOR:
            raise InvalidValueError("amount", N_("at most 9223372036854775807 minor units either way"), self.minor)

    @classmethod
    def vnd(cls, dong: int) -> Money:
        return cls(dong, "VND")

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str = "VND") -> Money:
        """Build from a decimal amount in major units; it must be exact in the minor unit."""
        if currency not in CURRENCY_EXPONENTS:
            raise InvalidValueError("currency", _one_of_currencies(), currency)
        if not isinstance(amount, str | int | Decimal) or isinstance(amount, bool):
            raise InvalidValueError("amount", N_("a decimal number (str, int or Decimal)"), amount)
        try:
            value = Decimal(str(amount)) * (10 ** CURRENCY_EXPONENTS[currency])
        except (ArithmeticError, ValueError):
            raise InvalidValueError("amount", N_("a decimal number"), amount) from None
        if not value.is_finite():
            raise InvalidValueError("amount", N_("a finite decimal number"), amount)
        if value != value.to_integral_value():
            raise InvalidValueError(
                "amount",
                words(N_("a whole number of minor units of {currency}"), currency=currency),
                amount,
                detail=N_("would need rounding"),
            )
        return cls(int(value), currency)

    @property
    def amount(self) -> Decimal:
        """The amount in major units (đồng, dollars)."""
        return Decimal(self.minor).scaleb(-CURRENCY_EXPONENTS[self.currency])

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidValueError(
                "currency",
                words(N_("{currency} (amounts are never converted)"), currency=self.currency),
                other.currency,
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    def scale(self, ratio: Fraction, rounding: Rounding) -> Money:
        """``self × ratio``, rounded to the minor unit by ``rounding``."""
        if not isinstance(ratio, Fraction | int) or isinstance(ratio, bool):
            raise InvalidValueError("ratio", N_("a Fraction (or int)"), ratio)
        rounding = Rounding(rounding)
        return Money(rounding.apply(Fraction(self.minor) * ratio), self.currency)

    def is_zero(self) -> bool:
        return self.minor == 0

    def format_vi(self) -> str:
        """Vietnamese formatting: ``30.500 đ``, ``1,50 USD``."""
        sign = "-" if self.minor < 0 else ""
        exp = CURRENCY_EXPONENTS[self.currency]
        whole, frac = divmod(abs(self.minor), 10**exp) if exp else (abs(self.minor), 0)
        grouped = f"{whole:,}".replace(",", ".")
        text = f"{grouped},{frac:0{exp}d}" if exp else grouped
        return f"{sign}{text} đ" if self.currency == "VND" else f"{sign}{text} {self.currency}"

    def text(self, lang: str | None = None) -> str:
        """The amount as people read it, the same in both languages: ``30.500 đ`` (:meth:`format_vi`)."""
        return self.format_vi()

    def __str__(self) -> str:
        """Plain, machine-friendly: ``30500 VND``, ``1.50 USD``."""
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({self.format_vi()!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """As a pydantic field: ``{"minor": 30500, "currency": "VND"}`` in JSON, a :class:`Money` in Python."""
        from pydantic_core import core_schema  # here: a process that validates nothing never loads pydantic

        from_dict = core_schema.no_info_after_validator_function(
            lambda d: cls(d["minor"], d["currency"]),
            core_schema.typed_dict_schema(
                {
                    "minor": core_schema.typed_dict_field(
                        core_schema.int_schema(strict=True, ge=-MAX_MINOR, le=MAX_MINOR)
                    ),
                    "currency": core_schema.typed_dict_field(core_schema.str_schema()),
                }
            ),
        )
        return core_schema.json_or_python_schema(
            json_schema=from_dict,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_dict]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda m: {"minor": m.minor, "currency": m.currency}
            ),
        )


def _one_of_currencies() -> Words:
    return words(N_("one of {choices}"), choices=str(sorted(CURRENCY_EXPONENTS)))
