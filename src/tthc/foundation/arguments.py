"""Argument checks at the entry of public functions: a wrong type or value is an :class:`InvalidValueError` naming
the parameter, what was expected and what was given — never an ``AttributeError`` from deep inside."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, TypeVar

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

if TYPE_CHECKING:
    from tthc.foundation.checked_model import CheckedModel, invalid_value

__all__ = ["CheckedModel", "as_day", "expect", "expect_optional", "expect_whole", "invalid_value", "is_nat"]

T = TypeVar("T")

_VN = timezone(timedelta(hours=7))


def expect(value: object, cls: type[T] | tuple[type[T], ...], field: str, expected: str) -> T:
    """``value`` when it is an instance of ``cls``.

    ``expected`` is a catalog text: scripts/translations.sh extracts the 4th argument of ``expect`` and
    ``expect_optional`` (write it as a literal at the call, or mark it with ``N_`` where it is made), so the error
    line reads in the user's language (:func:`tthc.foundation.error_words.error_text`).

    Raises:
        InvalidValueError: naming ``field`` and ``expected``; ``given`` is the value's type name (the value itself
            may be large).
    """
    if isinstance(value, cls):
        return value
    raise InvalidValueError(field, expected, type(value).__name__)


def expect_optional(value: object, cls: type[T] | tuple[type[T], ...], field: str, expected: str) -> T | None:
    """:func:`expect`, with ``None`` allowed (and returned)."""
    return None if value is None else expect(value, cls, field, expected)


def expect_whole(value: object, field: str, least: int) -> int:
    """``value`` when it is a whole number (an ``int``, not a ``bool``) of at least ``least``: sizes, counts, jobs.

    Raises:
        InvalidValueError: naming ``field``, "a whole number >= ``least``" and the value given.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InvalidValueError(field, words(N_("a whole number >= {least}"), least=least), value)
    return value


def is_nat(value: object) -> bool:
    """True for a missing value posing as a date: pandas ``NaT`` is an instance of ``datetime`` (so every
    ``isinstance`` check lets it through) that is not equal to itself, and fails deep inside (``toordinal``,
    ``time``, comparisons). The entries where dates and instants come in (``as_day``, ``to_local``, the calendar's
    day index and instant split, ``parse_local_datetime``) refuse it as they refuse a missing value. Costs one class
    check for a plain ``date`` or ``datetime``."""
    cls = value.__class__
    if cls is datetime or cls is date or not isinstance(value, date):
        return False
    try:
        return bool(value != value)
    except Exception:  # a date subclass of the caller's with its own comparison: not NaT
        return False


def as_day(value: object, field: str) -> date:
    """A day parameter (``on=``, ``accepted_on=``): a ``date``; a ``datetime`` is taken by its date in Vietnam time
    (naive datetimes are Vietnam time already, aware ones are converted first).

    Raises:
        InvalidValueError: anything else, or an aware datetime whose Vietnam date is outside the ``date`` range.
    """
    if is_nat(value):
        raise InvalidValueError(field, N_("a date (a datetime is taken by its date in Vietnam time)"), value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value.date()
        try:
            return value.astimezone(_VN).date()
        except OverflowError:
            raise InvalidValueError(
                field, N_("a date (a datetime is taken by its date in Vietnam time)"), value
            ) from None
    if isinstance(value, date):
        return value
    raise InvalidValueError(field, N_("a date (a datetime is taken by its date in Vietnam time)"), value)


def __getattr__(name: str) -> object:
    """``CheckedModel`` and ``invalid_value``, loaded on first use from :mod:`tthc.foundation.checked_model`: they
    need pydantic, which a command that validates nothing (``tthc due``) does not import."""
    if name in ("CheckedModel", "invalid_value"):
        from tthc.foundation import checked_model

        return getattr(checked_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
