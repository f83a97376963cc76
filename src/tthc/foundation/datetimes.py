"""Dates and instants as people and exports write them: one reading rule for the whole library and the CLI.

Accepted, in ASCII digits: ISO 8601 (``2026-02-13``, ``2026-02-13T16:30``, ``2026-02-13 16:30:00``, with or without
an offset) and the ``dd/mm/yyyy [HH:MM[:SS]]`` of Vietnamese documents and portal exports (``13/02/2026``,
``13/02/2026 16:30``). A value without a zone is Vietnam local time (UTC+7, no daylight saving since 1975).

Refused with a one-line :class:`~tthc.errors.InvalidValueError`: an impossible date or time (``30/02/2026``, month 13,
25:00 — never rolled over to the next month or day) and a 2-digit year (``02/01/24``: 2024 or 1924 is a guess this
library does not make). The record readers (:mod:`tthc.records`) and every date option of the ``tthc`` command read
dates through these functions; the vectorised column parser (:mod:`tthc.records.columns`) follows the same rule.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import is_nat
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words

__all__ = [
    "DATETIME_EXPECTED",
    "DATE_EXPECTED",
    "VN_TZ",
    "impossible_reason",
    "parse_local_date",
    "parse_local_datetime",
]

VN_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam local time: UTC+7 all year (no daylight saving since 1975)."""

# marked for translation: the library raises them in English, the CLI frames its one-line errors in the user's language
DATETIME_EXPECTED: Final = N_("an ISO 8601 datetime or 'dd/mm/yyyy [HH:MM[:SS]]' (no zone = Vietnam time)")
DATE_EXPECTED: Final = N_("a date, ISO 8601 or dd/mm/yyyy (2026-02-13 or 13/02/2026)")

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$", re.ASCII)
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\D|$)", re.ASCII)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_SHORT_YEAR_DETAIL = N_("a 2-digit year is ambiguous: write the year in full")


def parse_local_datetime(value: object, field: str = "datetime") -> datetime:
    """Read a datetime as dossier exports and people write it; a value without a zone is Vietnam local time.

    Accepts ``datetime``, ``date`` (start of the day), ISO 8601 text (``2026-02-13T16:30``, ``2026-02-13 16:30:00``,
    with or without an offset) and ``dd/mm/yyyy [HH:MM[:SS]]``, in ASCII digits. A 2-digit year (``02/01/24``) is
    rejected with a message saying so: whether it means 2024 or 1924 is a guess this library does not make. An
    impossible date or time (30/02, month 13, 25:00, minute 61) is rejected, never rolled over.

    Returns:
        An aware datetime in ``Asia/Ho_Chi_Minh``.

    Raises:
        InvalidValueError: the value is not a datetime in one of those forms (the message names ``field``).
    """
    if is_nat(value):  # pandas NaT: a missing value, refused as None is
        raise InvalidValueError(field, DATETIME_EXPECTED, value)
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        m = _DMY.match(text)
        try:
            if m:
                d, mo, y, hh, mm, ss = m.groups()
                dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
            elif not text.isascii():
                raise ValueError("non-ASCII digits or letters")
            else:
                dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            detail = _SHORT_YEAR_DETAIL if _SHORT_YEAR.match(text) else impossible_reason(text)
            raise InvalidValueError(field, DATETIME_EXPECTED, value, detail=detail) from None
    else:
        raise InvalidValueError(field, DATETIME_EXPECTED, value)
    try:
        if dt.tzinfo is None or dt.utcoffset() is None:  # naive as Python says (also a tzinfo giving no offset)
            return dt.replace(tzinfo=VN_TZ)
        return dt.astimezone(VN_TZ)
    except OverflowError:  # the same rule as tthc.deadlines.to_local: datetime.max in UTC is past 9999 in Vietnam
        raise InvalidValueError(field, N_("a datetime within year 1..9999 in Vietnam time"), value) from None
    except Exception:  # a tzinfo of the caller's that fails in its own way
        raise InvalidValueError(field, N_("a datetime whose tzinfo is a time zone"), value) from None


_ISO_PARTS = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)


def impossible_reason(text: str) -> Words | str:
    """Why a text shaped as a date (``dd/mm/yyyy`` or ISO, with or without a time) names no instant: the first part
    that does not exist (``30/02/2024``: "02/2024 has 29 days"); ``""`` when the text has no such shape."""
    m = _DMY.match(text)
    if m is not None:
        d, mo, y, hh, mm, ss = m.groups()
    elif (iso := _ISO_PARTS.match(text)) is not None:
        y, mo, d, hh, mm, ss = iso.groups()
    else:
        return ""
    year, month, day = int(y), int(mo), int(d)
    if not 1 <= year <= 9999:
        return words(N_("there is no year {year}"), year=year)
    if not 1 <= month <= 12:
        return words(N_("there is no month {month}"), month=month)
    days = monthrange(year, month)[1]
    if not 1 <= day <= days:
        return words(N_("{month} has {days} days"), month=f"{month:02d}/{year}", days=days)
    if hh is not None and (int(hh) > 23 or int(mm) > 59 or int(ss or 0) > 59):
        return words(N_("there is no time of day {time}"), time=f"{hh}:{mm}" + (f":{ss}" if ss else ""))
    return ""


def parse_local_date(value: object, field: str = "date") -> date:
    """Read a calendar day: ``date``, ISO 8601 (``2026-02-13``) or ``dd/mm/yyyy`` (``13/02/2026``), ASCII digits.

    A time of day is refused (a day option given ``13/02/2026 16:30`` says which day it means only by accident), as
    are impossible dates and 2-digit years (see :func:`parse_local_datetime`).

    Raises:
        InvalidValueError: the value is not a day in one of those forms (the message names ``field``).
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    detail: Words | str = ""
    if isinstance(value, str):
        text = value.strip()
        m = _DMY.match(text)
        try:
            if m and m[4] is None:
                return date(int(m[3]), int(m[2]), int(m[1]))
            if _ISO_DAY.match(text):  # YYYY-MM-DD only: no week dates (2026-W07-5), no basic format (20260213)
                return date.fromisoformat(text)
        except ValueError:
            pass
        has_time = (m is not None and m[4] is not None) or (len(text) > 10 and text[10] in " T")
        if _SHORT_YEAR.match(text):
            detail = _SHORT_YEAR_DETAIL
        elif impossible := impossible_reason(text):
            detail = impossible
        elif has_time:
            detail = N_("a day, without a time of day")
    raise InvalidValueError(field, DATE_EXPECTED, value, detail=detail)
