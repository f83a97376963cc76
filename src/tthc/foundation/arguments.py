"""Argument checks at the entry of public functions: a wrong type or value is an :class:`InvalidValueError` naming
the parameter, what was expected and what was given — never an ``AttributeError`` from deep inside."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from tthc.errors import InvalidValueError
from tthc.foundation.error_words import PydanticWords
from tthc.foundation.i18n import N_

__all__ = ["CheckedModel", "as_day", "expect", "expect_optional", "invalid_value"]

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


def as_day(value: object, field: str) -> date:
    """A day parameter (``on=``, ``accepted_on=``): a ``date``; a ``datetime`` is taken by its date in Vietnam time
    (naive datetimes are Vietnam time already, aware ones are converted first).

    Raises:
        InvalidValueError: anything else, or an aware datetime whose Vietnam date is outside the ``date`` range.
    """
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


def invalid_value(exc: ValidationError, field: str) -> InvalidValueError:
    """The first error of a pydantic ``ValidationError`` as an :class:`InvalidValueError`: our own check's error as
    it is (a code, an instant), else the field path pydantic names (``field`` when it names none) and what it
    expected, pydantic's message in English, worded by its error type in Vietnamese
    (:class:`~tthc.foundation.error_words.PydanticWords`)."""
    errors = exc.errors()
    if not errors:
        return InvalidValueError(field, exc.title, None)
    first = errors[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValueError):
        return cause
    where = ".".join(str(p) for p in first["loc"]) or field
    return InvalidValueError(where, PydanticWords(first, first["msg"]), first.get("input"))


class CheckedModel(BaseModel):
    """A public pydantic model whose constructor raises :class:`InvalidValueError` (the public API raises only
    ``TthcError``), naming the first field in error. ``model_validate`` keeps pydantic's ``ValidationError`` with
    every error: the readers use it to report each bad field of a row."""

    # validators are built on first use, not at import: a command that never validates one (``tthc due``) skips
    # building them and the machinery behind it (subclasses inherit the setting)
    model_config = ConfigDict(defer_build=True)

    if not TYPE_CHECKING:  # hidden from mypy: the pydantic plugin then keeps each model's typed constructor

        def __init__(self, /, **data: object) -> None:
            try:
                super().__init__(**data)
            except ValidationError as exc:
                raise invalid_value(exc, type(self).__name__) from None

        # pydantic calls a model's own __init__ when validating it (model_validate, nested models) unless it is
        # marked as its base __init__: this one only translates the error, so model_validate keeps pydantic's errors
        __init__.__pydantic_base_init__ = True
