"""Public pydantic models whose constructor raises :class:`~tthc.errors.InvalidValueError`, and pydantic's
validation errors as one.

Apart from :mod:`tthc.foundation.arguments` (which still exports both names) so that importing the argument checks
does not import pydantic: a command that validates nothing (``tthc due``) never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from tthc.errors import InvalidValueError
from tthc.foundation.error_words import PydanticWords, main_error

__all__ = ["CheckedModel", "invalid_value"]


def invalid_value(exc: ValidationError, field: str) -> InvalidValueError:
    """The first error of a pydantic ``ValidationError`` as an :class:`InvalidValueError`: our own check's error as
    it is (a code, an instant), else the field path pydantic names (``field`` when it names none) and what it
    expected, pydantic's message in English, worded by its error type in Vietnamese
    (:class:`~tthc.foundation.error_words.PydanticWords`)."""
    errors = exc.errors()
    if not errors:
        return InvalidValueError(field, exc.title, None)
    where, first = main_error(errors)
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValueError):
        if where == ".".join(str(part) for part in first["loc"]):
            return cause  # our own check's error, as it is
        # raised by the check of a value in a union's branch (an amount of money): named by its whole path
        return InvalidValueError(where, cause.expected_words, cause.given, detail=cause.detail_words)
    return InvalidValueError(where or field, PydanticWords(first, first["msg"]), first.get("input"))


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
