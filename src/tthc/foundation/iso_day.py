"""The one reading rule of a day in a data file or a model: :data:`IsoDay`.

pydantic reads a ``date`` field from more than a date: a JSON number, or digits in a string, as seconds since 1970
(``"valid_from": 0`` became 1970-01-01 without a word; ``"20240101"`` was refused as a "datetime with a time"), and a
datetime text at midnight as its day. Every ``date`` field of a model that reads input (the catalog, the fee and
postal files, the public-sector schedule, the agency lists, a legal reference's ``issued`` ...) is an
:data:`IsoDay` instead: it accepts

* a :class:`datetime.date` (not a :class:`datetime.datetime`: a time of day says which day it means only by
  accident), and
* text in the ISO 8601 extended form ``YYYY-MM-DD`` (``2024-01-01``), ASCII digits, as the bundled files write it
  and as JSON Schema's ``format: date`` (RFC 3339 ``full-date``) defines it. The ISO basic form (``20240101``) is
  refused: it is the same digits a timestamp is written with, and a schema validator would refuse it too.

Anything else (a number, a bool, ``13/02/2024``, ``2024-1-1``, ``2024-02-30``, a week date) is refused with
``"<field>: expected an ISO date such as '2024-01-01', got 0"``, an :class:`~tthc.errors.InvalidValueError` that
pydantic reports as the field's error (so ``model_validate`` still raises ``pydantic.ValidationError``, and the file
loaders a :class:`~tthc.errors.DataFileError` naming the field). The JSON Schema stays ``type: string, format:
date``.

Importing this module imports no pydantic: the rule is attached when a model's validator is built.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from tthc.errors import InvalidValueError
from tthc.foundation.datetimes import impossible_reason
from tthc.foundation.i18n import N_

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema, core_schema

__all__ = ["ISO_DAY_EXPECTED", "IsoDay", "read_iso_day"]

ISO_DAY_EXPECTED = N_("an ISO date such as '2024-01-01'")

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def read_iso_day(value: object, field: str = "date") -> date:
    """``value`` as a day: a ``date`` (not a ``datetime``) as it is, or ``YYYY-MM-DD`` text.

    Raises:
        InvalidValueError: anything else (the message names ``field``).
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # 2024-02-30, 0000-01-01: the part that does not exist is said, as everywhere
            raise InvalidValueError(field, ISO_DAY_EXPECTED, value, detail=impossible_reason(value)) from None
    raise InvalidValueError(field, ISO_DAY_EXPECTED, value)


def _validate(value: object, info: core_schema.ValidationInfo) -> date:
    return read_iso_day(value, info.field_name or "date")


class _IsoDayRule:
    """The annotation that puts :func:`read_iso_day` before pydantic's own ``date`` validation (which then only
    sees dates); the JSON Schema is the ``date`` one."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.with_info_before_validator_function(_validate, handler(source))

    def __repr__(self) -> str:
        return "IsoDay"


IsoDay = Annotated[date, _IsoDayRule()]
"""A ``date`` field read from a ``date`` or ``YYYY-MM-DD`` text only (see the module's docstring)."""
