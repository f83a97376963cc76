"""The inputs of :func:`tthc.fees.quote` that need reading before use: the province code and the deciding dates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from tthc.errors import InvalidValueError
from tthc.fees.discounts import DecidingDate
from tthc.fees.tariffs import Leg
from tthc.foundation.arguments import as_day
from tthc.foundation.i18n import N_

__all__ = ["DatesKey", "leg_dates", "parse_province"]

DatesKey = DecidingDate | str | tuple[Leg | str, DecidingDate | str]
"""A key of ``quote(dates=)``: a deciding kind for both legs, or ``(leg, kind)`` for one leg."""

_PROVINCE_CODE_RE = re.compile(r"[HK]\d{2}", re.ASCII)


def parse_province(value: object, field: str) -> str:
    """A province code as agency ids carry it (``H21``): surrounding spaces stripped, upper-cased.

    Raises:
        InvalidValueError: anything else (a name, ``H2``, a number).
    """
    text = value.strip().upper() if isinstance(value, str) else None
    if text is None or not _PROVINCE_CODE_RE.fullmatch(text):
        raise InvalidValueError(field, N_("a province code such as H21 (the last part of an agency id)"), value)
    return text


_DATES_EXPECTED = N_("a mapping of pickup, receipt or return (or (leg, kind) pairs) to dates")
_DATES_KEY_EXPECTED = N_("pickup, receipt or return, or a (send|return, kind) pair")


def leg_dates(dates: object) -> dict[Leg, dict[DecidingDate, date]]:
    """``quote(dates=)`` read into the deciding dates of each leg (a leg's own date over the shared one)."""
    shared: dict[DecidingDate, date] = {}
    own: dict[Leg, dict[DecidingDate, date]] = {Leg.SEND: {}, Leg.RETURN: {}}
    if dates is None:
        return own
    if not isinstance(dates, Mapping):
        raise InvalidValueError("dates", _DATES_EXPECTED, type(dates).__name__)
    for key, value in dates.items():
        leg: Leg | None = None
        which_text = key
        if isinstance(key, tuple) and len(key) == 2:
            try:
                leg = Leg(str(key[0]).strip().lower())
            except ValueError:
                raise InvalidValueError("dates", _DATES_KEY_EXPECTED, key) from None
            which_text = key[1]
        try:
            which = DecidingDate(str(which_text).strip().lower()) if isinstance(which_text, str) else None
        except ValueError:
            which = None
        if which is None:
            raise InvalidValueError("dates", _DATES_KEY_EXPECTED, key)
        name = f"dates[{which.value}]" if leg is None else f"dates[{leg.value}, {which.value}]"
        day = as_day(value, name)
        if leg is None:
            shared[which] = day
        else:
            own[leg][which] = day
    return {leg: {**shared, **mine} for leg, mine in own.items()}
