"""Batch answers that never fail for one row: where a row has no answer, it gets ``NaT`` (or a mask), never an
exception for the whole batch and never a wrong value.

The vectorised calendar and deadline functions raise :class:`~tthc.CalendarRangeError` when any row leaves the
compiled calendar — right for a caller who wants all or nothing. SQL functions and dataframe expressions want the
other contract: one answer per row, NULL where there is none. These wrappers give it while keeping the work
vectorised: the whole batch is computed at once, and only when some row fails are the rows split in halves until
the failing rows stand alone (``O(k log n)`` extra calls for ``k`` failing rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.deadlines.batch import TIMELINESS_CODES, UNIT_CODES, _channel_codes, classify_many, compute_due_many
from tthc.deadlines.counting import CountingRules
from tthc.deadlines.processing_time import TimeUnit
from tthc.errors import CalendarRangeError, InvalidValueError
from tthc.foundation.channels import Channel
from tthc.foundation.i18n import N_

__all__ = [
    "add_working_days_or_nat",
    "due_or_nat",
    "in_calendar",
    "is_working_day_or_null",
    "timeliness_or_null",
    "unit_codes_or_unknown",
    "working_days_between_or_null",
]

_UNIT_BY_NAME = {unit.value: code for unit, code in UNIT_CODES.items()}
_NAT_D = np.datetime64("NaT", "D")


def in_calendar(values: npt.ArrayLike, cal: WorkingCalendar) -> npt.NDArray[np.datetime64]:
    """``values`` (dates or instants) with ``NaT`` where the day lies outside the compiled calendar."""
    v = np.asarray(values)
    if v.dtype.kind != "M":
        raise InvalidValueError("values", N_("a datetime64 array"), v.dtype)
    # first in the values' own unit (the calendar's bounds converted to it): numpy converts units without checking
    # for overflow, so a value far outside (epoch microseconds read as seconds: the year 55 million) would wrap to
    # an arbitrary day, now and then one inside the calendar
    first, last = np.datetime64(cal.first, "D"), np.datetime64(cal.last, "D")
    near = (v >= first.astype(v.dtype)) & (v <= (last + 1).astype(v.dtype))
    v = np.where(near, v, np.datetime64("NaT"))
    day = v.astype("datetime64[D]")
    inside = (day >= first) & (day <= last)
    return np.where(inside, v, np.datetime64("NaT"))


def _datetimes(values: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    # datetime64 values kept in their own unit (checked against the calendar before any conversion); anything else
    # (text, Python datetimes) read as instants
    v = np.asarray(values)
    return v if v.dtype.kind == "M" else v.astype("datetime64[us]")


def _split_on_range_errors(
    compute: Callable[[npt.NDArray[np.int64]], npt.NDArray[Any]], n: int, fill: npt.NDArray[Any]
) -> npt.NDArray[Any]:
    out = fill
    stack = [np.arange(n, dtype=np.int64)]
    while stack:
        rows = stack.pop()
        try:
            out[rows] = compute(rows)
        except CalendarRangeError:
            if len(rows) > 1:
                half = len(rows) // 2
                stack += [rows[:half], rows[half:]]
    return out


def is_working_day_or_null(
    dates: npt.ArrayLike, cal: WorkingCalendar
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """``(answer, null)``: is each date a working day; ``null`` where the date is NaT or outside the calendar."""
    d = in_calendar(np.asarray(dates).astype("datetime64[D]"), cal)
    null = np.isnat(d)
    answer = cal.is_working_day_many(np.where(null, np.datetime64(cal.first), d))
    return answer & ~null, null


def _whole_numbers(values: npt.ArrayLike, field: str) -> npt.NDArray[np.int64]:
    """An array of whole numbers as int64: an unsigned one past int64's largest becomes that largest — out of every
    range, so refused as such — never wrapped round to a negative number (2**64 - 1 is not -1).

    Raises:
        InvalidValueError: the values are not whole numbers.
    """
    v = np.asarray(values)
    if v.dtype.kind not in "iu":
        raise InvalidValueError(field, N_("an array of whole numbers"), v.dtype)
    if v.dtype.kind == "u" and v.dtype.itemsize == 8:
        v = np.minimum(v, np.uint64(np.iinfo(np.int64).max))
    return v.astype(np.int64)


def add_working_days_or_nat(
    dates: npt.ArrayLike, ns: npt.ArrayLike, cal: WorkingCalendar
) -> npt.NDArray[np.datetime64]:
    """:meth:`WorkingCalendar.add_working_days_many`, ``NaT`` for rows whose date or answer leaves the calendar."""
    d = in_calendar(np.asarray(dates).astype("datetime64[D]"), cal)
    d, n = np.broadcast_arrays(d, _whole_numbers(ns, "ns"))
    fill = np.full(d.shape, _NAT_D)
    return _split_on_range_errors(lambda rows: cal.add_working_days_many(d[rows], n[rows]), len(d), fill)


def working_days_between_or_null(
    start: npt.ArrayLike, end: npt.ArrayLike, cal: WorkingCalendar
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """``(counts, null)``: working days ``d`` with ``start < d <= end``; ``null`` where either day has no answer."""
    a = in_calendar(np.asarray(start).astype("datetime64[D]"), cal)
    b = in_calendar(np.asarray(end).astype("datetime64[D]"), cal)
    a, b = np.broadcast_arrays(a, b)
    null = np.isnat(a) | np.isnat(b)
    first = np.datetime64(cal.first)
    counts = cal.working_days_between_many(np.where(null, first, a), np.where(null, first, b))
    return np.where(null, 0, counts), null


def unit_codes_or_unknown(units: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Unit names (``TimeUnit`` values) or codes → codes; anything else → the *unspecified* code (no due date)."""
    u = np.asarray(units)
    unspecified = UNIT_CODES[TimeUnit.UNSPECIFIED]
    if u.dtype.kind in "iu":
        codes = u.astype(np.int64)
        return np.where((codes >= 0) & (codes <= max(UNIT_CODES.values())), codes, unspecified)
    # a column holds a handful of distinct names: look each up once
    keys, inverse = np.unique(u.astype(object).astype(str), return_inverse=True)
    table = np.array([_UNIT_BY_NAME.get(k, unspecified) for k in keys.tolist()], dtype=np.int64)
    return table[inverse.reshape(u.shape)]


def due_or_nat(
    received_at: npt.ArrayLike,
    amounts: npt.ArrayLike,
    units: npt.ArrayLike,
    *,
    channels: npt.ArrayLike | None = None,
    calendar: WorkingCalendar,
    rules: CountingRules | None = None,
) -> npt.NDArray[np.datetime64]:
    """:func:`tthc.deadlines.compute_due_many` with one answer per row: ``NaT`` where the receipt or the due date
    leaves the calendar, the unit is unknown, the amount is missing/negative (as the scalar path gives none), or the
    channel names none (``compute_due`` raises for it; read as it reads one: ``"Trực tuyến"``, ``"ONLINE"``, 2...)."""
    r = in_calendar(_datetimes(received_at), calendar).astype("datetime64[us]")
    codes = unit_codes_or_unknown(units)
    r, a, codes = np.broadcast_arrays(r, _whole_numbers(amounts, "amounts"), codes)
    ch = None
    if channels is not None:  # read once, as portal codes; a row naming no channel has no answer
        by_code = _channel_codes(channels, r.shape)
        assert by_code is not None  # channels were given
        r = np.where(by_code == 0, np.datetime64("NaT", "us"), r)
        ch = np.where(by_code == 0, Channel.DIRECT.portal_code, by_code)

    def compute(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
        part = None if ch is None else ch[rows]
        return compute_due_many(r[rows], a[rows], codes[rows], channels=part, calendar=calendar, rules=rules)

    fill = np.full(r.shape, np.datetime64("NaT", "us"))
    return _split_on_range_errors(compute, len(r), fill)


def timeliness_or_null(
    due_at: npt.ArrayLike, finished_at: npt.ArrayLike, cal: WorkingCalendar
) -> npt.NDArray[np.object_]:
    """``'early'`` / ``'on_time'`` / ``'late'`` per row (:func:`tthc.deadlines.classify_many`); ``None`` where
    either instant is missing or outside the calendar."""
    d = in_calendar(_datetimes(due_at), cal).astype("datetime64[us]")
    f = in_calendar(_datetimes(finished_at), cal).astype("datetime64[us]")
    codes, _ = classify_many(d, f, calendar=cal)
    return np.array([TIMELINESS_CODES[int(c)] if c >= 0 else None for c in codes.ravel()], dtype=object)
