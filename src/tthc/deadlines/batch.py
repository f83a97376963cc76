"""Vectorised due dates and timeliness over numpy arrays (millions of dossier records).

Same tables and same arithmetic as the scalar path (:func:`tthc.deadlines.compute_due`), so the results are equal
(property-tested). On a calendar with dated office hours each row reads the hours of its own days, as the scalar path
does (the columns come from the few distinct hours, see ``_by``). Import from :mod:`tthc.deadlines.compute`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines.counting import _DEFAULT_RULES, CountingRules, DueInstant, MonthEnd, _Plan, _plan
from tthc.deadlines.processing_time import MAX_AMOUNT, TimeUnit
from tthc.errors import CalendarRangeError, InvalidValueError
from tthc.foundation.arguments import expect
from tthc.foundation.channels import Channel
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

__all__ = ["TIMELINESS_CODES", "UNIT_CODES", "classify_many", "compute_due_many", "compute_due_many_checked"]

UNIT_CODES: dict[TimeUnit, int] = {
    TimeUnit.WORKING_DAYS: 0,
    TimeUnit.CALENDAR_DAYS: 1,
    TimeUnit.WORKING_HOURS: 2,
    TimeUnit.MONTHS: 3,
    TimeUnit.WITHIN_DAY: 4,
    TimeUnit.UNSPECIFIED: 5,
    TimeUnit.UNKNOWN_UNIT: 6,
}
"""Integer codes accepted (and fastest) for ``units`` in :func:`compute_due_many`."""

TIMELINESS_CODES: dict[int, str] = {-1: "unknown", 0: "early", 1: "on_time", 2: "late"}
"""Codes returned by :func:`classify_many` (values of :class:`tthc.deadlines.compute.Timeliness`; -1: a NaT input)."""

_US = 1_000_000
_NAT_INT = np.iinfo(np.int64).min
_COARSE_UNITS = frozenset({"Y", "M", "W", "D", "h", "m"})
"""datetime64 units whose far values could overflow when converted to seconds."""
_DAY_US = 86_400 * _US


def _unit_codes(units: npt.ArrayLike, shape: tuple[int, ...]) -> npt.NDArray[np.int64]:
    u = np.asarray(units)
    if u.dtype.kind in "iu":
        return np.broadcast_to(u.astype(np.int64), shape)
    if u.dtype.kind in "UO":
        out = np.full(u.shape, -1, dtype=np.int64)
        for unit, code in UNIT_CODES.items():
            out[u == unit.value] = code
        if (out < 0).any():
            bad = u[np.flatnonzero(out < 0)[0]]
            raise InvalidValueError("units", N_("TimeUnit values or codes 0..6 (UNIT_CODES)"), bad)
        return np.broadcast_to(out, shape)
    raise InvalidValueError("units", N_("an array of TimeUnit values or integer codes (UNIT_CODES)"), units)


def _channel_codes(channels: npt.ArrayLike | None, shape: tuple[int, ...]) -> npt.NDArray[np.int8] | None:
    """The portal code (1 direct, 2 online, 3 postal) of each row's channel, read as :meth:`Channel.parse` reads a
    scalar (``"Trực tuyến"``, ``"ONLINE"``, ``"2"``, ``2``...), 0 where it names none; None when no channels are given
    (all direct)."""
    if channels is None:
        return None
    c = np.asarray(channels)
    if c.dtype.kind in "iu":
        codes = np.where((c >= 1) & (c <= len(Channel)), c, 0).astype(np.int8)
    elif c.dtype.kind in "UO":
        flat = c.ravel()
        codes = np.zeros(flat.shape, dtype=np.int8)
        if c.dtype.kind == "U":  # the usual spellings by C-level comparisons; the others looked up once each
            for ch in Channel:
                codes[(flat == ch.value) | (flat == str(ch.portal_code))] = ch.portal_code
        rest = np.flatnonzero(codes == 0)
        seen: dict[object, int] = {}
        for i, value in zip(rest.tolist(), flat[rest].tolist(), strict=True):
            try:
                code = seen.get(value)
            except TypeError:  # unhashable (a list in an object array): no channel, as for Channel.parse
                code = 0
            if code is None:
                code = seen[value] = _channel_code(value)
            codes[i] = code
        codes = codes.reshape(c.shape)
    else:
        raise InvalidValueError("channels", N_("portal codes 1/2/3 or direct|online|postal"), channels)
    try:
        return np.broadcast_to(codes, shape)
    except ValueError:
        raise InvalidValueError(
            "channels", words(N_("an array that broadcasts with received_at {shape}"), shape=shape), c.shape
        ) from None


def _channel_code(value: object) -> int:
    try:
        return Channel.parse(value).portal_code
    except InvalidValueError:
        return 0


def _unknown_channel(channels: npt.ArrayLike, codes: npt.NDArray[np.int8]) -> InvalidValueError:
    """The error :func:`compute_due` raises for the first row whose channel names none (``channels``, not
    ``channel``: the argument's name)."""
    first = int(np.flatnonzero(codes.ravel() == 0)[0])
    value = np.broadcast_to(np.asarray(channels), codes.shape).ravel()[first]
    value = value.item() if isinstance(value, np.generic) else value
    try:
        Channel.parse(value)
    except InvalidValueError as exc:
        return InvalidValueError("channels", exc.expected_words, value)
    raise AssertionError(value)  # pragma: no cover - the row was found naming no channel


def compute_due_many(
    received_at: npt.ArrayLike,
    amounts: npt.ArrayLike,
    units: npt.ArrayLike,
    *,
    channels: npt.ArrayLike | None = None,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
) -> npt.NDArray[np.datetime64]:
    """Due instants for many dossiers at once, equal row by row to :func:`tthc.deadlines.compute_due`.

    Arguments, results and row rules as :func:`compute_due_many_checked`; where that function flags a row as out of
    range, this one raises instead.

    Raises:
        CalendarRangeError: a receipt or due date lies outside the compiled calendar, or an amount is above
            :data:`~tthc.deadlines.processing_time.MAX_AMOUNT` (the message names the first such row and counts
            them) — never a wrong answer.
        InvalidValueError: an input array of the wrong kind, or a row whose channel names none (worded as
            ``compute_due`` words it, for the first such row).
    """
    out, out_of_range = _due_many(received_at, amounts, units, channels, calendar, rules, strict=True)
    if out_of_range.any():
        cal = calendar if calendar is not None else public_sector_calendar()
        flat = np.flatnonzero(out_of_range.ravel())
        first = int(flat[0])
        r = np.broadcast_to(np.asarray(received_at), out.shape).ravel()[first]
        a = np.broadcast_to(np.asarray(amounts), out.shape).ravel()[first]
        raise CalendarRangeError(
            words(
                N_(
                    "received_at: expected receipt and due dates in the compiled range {first}..{last} and amounts "
                    "in 0..{most}, got row {row} (received {received}, amount {amount}) and {more} more such rows"
                ),
                first=cal.first,
                last=cal.last,
                most=MAX_AMOUNT,
                row=first,
                received=r,
                amount=a,
                more=len(flat) - 1,
            )
        )
    return out


def compute_due_many_checked(
    received_at: npt.ArrayLike,
    amounts: npt.ArrayLike,
    units: npt.ArrayLike,
    *,
    channels: npt.ArrayLike | None = None,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """:func:`compute_due_many` that never raises for a row: ``(due, out_of_range)``, one flag per row.

    For bulk validation, where one bad row must be that row's finding, not the end of the run: a row whose receipt
    lies outside the compiled calendar, whose due date would, or whose amount is above
    :data:`~tthc.deadlines.processing_time.MAX_AMOUNT` (so that no 64-bit arithmetic can overflow) gets ``NaT`` in
    ``due`` and ``True`` in ``out_of_range``, and so does a row whose channel names none (where
    :func:`compute_due_many` raises, as ``compute_due`` does); every other row is exactly what
    :func:`compute_due_many` gives.

    Args:
        received_at: receipt instants as ``datetime64`` (any unit) in **Vietnam local time** (naive); ``NaT`` allowed.
        amounts: whole numbers (the processing time's amount; ignored for within-the-day / unspecified rows).
            Apply reductions before calling: the batch path takes effective amounts.
        units: :class:`~tthc.deadlines.processing_time.TimeUnit` values (``"working_days"``...) or, fastest, the integer
            codes of :data:`UNIT_CODES` (0 working days, 1 calendar days, 2 working hours, 3 months, 4 within the day,
            5 unspecified, 6 unknown unit).
        channels: optional per-row channel, read as ``compute_due`` reads its ``channel`` (:meth:`Channel.parse`):
            portal codes 1/2/3 (integers or texts), ``direct|online|postal`` in any case, or the Vietnamese labels
            (``"Trực tuyến"``); only the online cut-off depends on it. Default: all direct.
        calendar, rules: as for ``compute_due`` (defaults: the public-sector calendar, ``CountingRules()``).

    Returns:
        ``(due, out_of_range)``: ``datetime64[us]`` due instants in Vietnam local time — ``NaT`` where the scalar path
        gives no due date or raises for the row: ``NaT`` receipt, unspecified, unknown unit (whatever
        ``rules.unknown_unit`` says), a negative amount, and the flagged rows — and the ``bool`` flags (``True``:
        receipt or due date outside the calendar, amount above ``MAX_AMOUNT``, or a channel naming none). Tell a
        flagged row from another ``NaT`` by the flag, not by the ``NaT``.

    Raises:
        InvalidValueError: an input array of the wrong kind, a calendar or rules of the wrong type (whole-call
            errors: no row can be computed).
    """
    return _due_many(received_at, amounts, units, channels, calendar, rules, strict=False)


def _due_many(
    received_at: npt.ArrayLike,
    amounts: npt.ArrayLike,
    units: npt.ArrayLike,
    channels: npt.ArrayLike | None,
    calendar: WorkingCalendar | None,
    rules: CountingRules | None,
    *,
    strict: bool,
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """:func:`compute_due_many_checked`; ``strict``: a row whose channel names none raises (as ``compute_due``
    does) instead of being flagged."""
    cal = calendar if calendar is not None else public_sector_calendar()
    expect(cal, WorkingCalendar, "calendar", "a tthc.WorkingCalendar (e.g. tthc.public_sector_calendar())")
    rules = rules if rules is not None else _DEFAULT_RULES
    expect(rules, CountingRules, "rules", "a tthc.CountingRules")
    # the rules' office hours win; else the calendar's, which may change by date (then each row's day's hours)
    dated = rules.office_hours is None and not cal.dated_hours.is_constant
    plan = _plan(rules, rules.office_hours or cal.office_hours)

    r = np.asarray(received_at)
    if r.dtype.kind != "M":
        raise InvalidValueError("received_at", N_("a datetime64 array (Vietnam local time)"), r.dtype)
    a = np.asarray(amounts)
    if a.dtype.kind not in "iu":
        raise InvalidValueError("amounts", N_("an array of whole numbers"), a.dtype)
    try:
        r, a = np.broadcast_arrays(r, a)
    except ValueError:
        raise InvalidValueError(
            "amounts", words(N_("an array that broadcasts with received_at {shape}"), shape=r.shape), a.shape
        ) from None
    # range first, so that no later conversion or sum can overflow int64: a receipt outside the calendar or an
    # amount above MAX_AMOUNT is flagged and counted as an empty row
    first_day = cal._o0 - _epoch_ordinal()
    outside = None
    if np.datetime_data(r.dtype)[0] in _COARSE_UNITS:  # days first: a far date could overflow as seconds
        coarse_days = r.astype("datetime64[D]").astype(np.int64)
        outside = ~np.isnat(r) & ((coarse_days - first_day).view(np.uint64) >= np.uint64(cal._n))
        r = np.where(outside, np.datetime64("NaT"), r)
    # on the seconds as integers (numpy's datetime conversions cost several integer passes each)
    sec = r.astype("datetime64[s]", copy=False).view(np.int64)
    missing = sec == _NAT_INT
    recv_day = sec // 86_400  # rounded down, as numpy's conversion to days (NaT rows: anything, masked below)
    idx = recv_day - first_day
    flagged = ~missing & (idx.view(np.uint64) >= np.uint64(cal._n))  # as unsigned, a day before it is beyond it too
    if outside is not None:
        flagged |= outside
    big = a > MAX_AMOUNT
    flagged |= big
    nat = missing | flagged
    idx = np.where(nat, 0, idx)
    secs = sec - recv_day * 86_400  # seconds into the receipt day
    a = np.maximum(np.where(big, 0, a).astype(np.int64), -1)  # a negative amount stays negative (a NaT row)
    shape = r.shape
    code = _unit_codes(units, shape)
    if rules.day_as_working_hours is not None:  # a portal profile: working days counted as hours (see compute_due)
        days = code == 0
        code = np.where(days, 2, code)
        a = np.where(days, a * rules.day_as_working_hours, a)
    channel = _channel_codes(channels, shape)
    if channel is None:
        online = np.zeros(shape, dtype=np.bool_)
    else:
        unknown = channel == 0
        if unknown.any():
            if strict:
                assert channels is not None  # channel codes were read from them
                raise _unknown_channel(channels, channel)
            flagged = flagged | unknown  # that row's error, as compute_due raises it: no answer, flagged
        online = channel == Channel.ONLINE.portal_code

    mask, cum, pos = cal.mask, cal.cumulative, cal.positions
    npos = len(pos)

    ok = ~nat & (code <= 4) & ((a >= 0) | (code == 4))

    pos64 = pos.astype(np.int64)

    def take(k: npt.NDArray[np.int64], rows: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        nonlocal flagged
        # a due date beyond the calendar: flagged, never wrong (as unsigned, a negative index is beyond it too)
        flagged = flagged | (rows & (np.asarray(k, dtype=np.int64).view(np.uint64) >= npos))
        taken: npt.NDArray[np.int64] = np.take(pos64, k, mode="clip")
        return taken

    def in_range(i: npt.NDArray[np.int64], rows: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        nonlocal flagged
        flagged = flagged | (rows & ((i < 0) | (i >= len(mask))))
        return np.clip(i, 0, len(mask) - 1)

    working = mask[idx]
    # the receipt day's hours: one plan for every row, or with dated hours each row's (see _by)
    r_plans, r_which = _day_plans(cal, rules, idx) if dated else ((plan,), None)
    cut = np.where(online, _by(r_plans, r_which, lambda p: p.cut_online), _by(r_plans, r_which, lambda p: p.cut_direct))
    same = working & (secs < cut)
    nxt = take(cum[idx].astype(np.int64), ok & ~same)  # first working day after the receipt day
    if rules.saturday_receipt_counts and any(p.saturday for p in r_plans):
        weekday = (idx + (cal.first.weekday())) % 7
        in_sat = _by(r_plans, r_which, lambda p: _within(p.saturday, secs))
        sat = (weekday == 5) & ~working & in_sat
    else:
        sat = np.zeros(shape, dtype=np.bool_)
    receipt = np.where(same | sat, idx, nxt)

    def roll(i: npt.NDArray[np.int64], rows: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        return np.where(mask[i], i, take(cum[i].astype(np.int64), rows & ~mask[i]))

    shift = 1 if rules.receipt_day_counted else 0
    due_idx = np.zeros(shape, dtype=np.int64)
    due_s = np.full(shape, plan.due_seconds, dtype=np.int64)

    # working days, within the day and calendar days, in one look-up in the table of working days: the n-th working
    # day from the receipt (n > 0), or a day rolled to the next working day — position cum - 1 for a working day,
    # cum for a day off (n == 0: within the day, or the last of the calendar days)
    counted = ok & ((code == 0) | (code == 4))
    calendar_days = ok & (code == 1)
    if counted.any() or calendar_days.any():
        n = np.maximum(a - shift, 0)
        n[code == 4] = 0
        last = receipt
        if calendar_days.any():
            last = np.where(calendar_days, in_range(receipt + n, calendar_days), receipt)
            n[calendar_days] = 0
        rolled = counted | calendar_days if rules.roll_to_working_day else counted
        k = cum[last] + n - 1 + ((n == 0) & ~mask[last])
        due_idx = np.where(rolled, take(k, rolled), np.where(calendar_days, last, due_idx))
    # months (rare: computed on the subset)
    rows = ok & (code == 3)
    if rows.any():
        sel = np.flatnonzero(rows)
        d0 = (receipt[sel] + (cal._o0 - _epoch_ordinal())).astype("datetime64[D]")
        m0 = d0.astype("datetime64[M]")
        dom = (d0 - m0.astype("datetime64[D]")).astype(np.int64)
        tm = m0 + a[sel].astype("timedelta64[M]")
        first = tm.astype("datetime64[D]")
        length = ((tm + 1).astype("datetime64[D]") - first).astype(np.int64)
        if rules.month_end is MonthEnd.CLAMP:
            target = first + np.minimum(dom, length - 1)
        else:
            target = np.where(dom >= length, (tm + 1).astype("datetime64[D]"), first + dom)
        t_idx = target.astype(np.int64) - (cal._o0 - _epoch_ordinal())
        full = np.zeros(shape, dtype=np.int64)
        full[sel] = t_idx
        full = in_range(full, rows)
        due_idx = np.where(rows, roll(full, rows) if rules.roll_to_working_day else full, due_idx)
    if dated:  # the close of each due day (rows counted in working hours get their instant below)
        due_s = np.broadcast_to(_by(*_day_plans(cal, rules, due_idx), lambda p: p.due_seconds), shape)
    # working hours: counted from the session the receipt falls in (the same day) or the next opening
    rows = ok & (code == 2)
    hours_us: npt.NDArray[np.int64] | None = None
    if rows.any():
        hours_day = np.where(same, idx, nxt)
        opening = _by(*_day_plans(cal, rules, hours_day), lambda p: p.opening) if dated else plan.opening
        start_s = np.where(same, _by(r_plans, r_which, lambda p: _session_start(p, secs)), opening)
    if rows.any() and dated:  # through each day's own sessions: the calendar's working-time tables
        start = ((hours_day[rows] + first_day) * _DAY_US + start_s[rows] * _US).view("datetime64[us]")
        need = a[rows] * (3600 * _US)
        room = cal.working_time_between_many(start, _end_of_range(cal)).view(np.int64)
        beyond = np.zeros(shape, dtype=np.bool_)
        beyond[rows] = need > room  # the answer would lie after the last close of the calendar: flagged
        flagged = flagged | beyond
        hours_us = cal.add_working_time_many(start, np.where(need > room, 0, need).view("timedelta64[us]")).view(
            np.int64
        )
    elif rows.any():
        worked = np.zeros(shape, dtype=np.int64)
        for sa, sb in zip(plan.starts, plan.ends, strict=True):
            worked += np.clip(start_s - sa, 0, sb - sa)
        total = worked + a * 3600
        k, rem = np.divmod(total, plan.per_day)
        k = np.where(rem == 0, k - 1, k)
        rem = np.where(rem == 0, plan.per_day, rem)
        inst = np.full(shape, plan.closing, dtype=np.int64)
        # earliest session whose cumulative end reaches rem
        inst_done = np.zeros(shape, dtype=np.bool_)
        prev = 0
        for sa, c in zip(plan.starts, plan.cum_ends, strict=True):
            hit = ~inst_done & (rem <= c)
            inst = np.where(hit, sa + (rem - prev), inst)
            inst_done |= hit
            prev = c
        zero = rows & (a == 0)
        pos_rows = rows & (a > 0)
        kk = cum[hours_day].astype(np.int64) + k - 1
        moved = take(kk, pos_rows & (k > 0))
        h_idx = np.where(k > 0, moved, hours_day)
        due_idx = np.where(pos_rows, h_idx, np.where(zero, hours_day, due_idx))
        due_s = np.where(pos_rows, inst, np.where(zero, start_s, due_s))

    end_of_day = rules.due_instant is DueInstant.END_OF_DAY
    base_us = (due_idx + (cal._o0 - _epoch_ordinal())) * _DAY_US
    if end_of_day:
        day_end = due_s >= 86_400
        out_us = np.where(day_end, base_us + _DAY_US - 1, base_us + due_s * _US)
    else:
        out_us = base_us + due_s * _US
    if hours_us is not None:
        out_us[ok & (code == 2)] = hours_us
    if rules.round_due_up_minutes is not None:  # a portal profile: due instants rounded up on the wall clock
        q = rules.round_due_up_minutes * 60 * _US
        tod = out_us - (out_us // _DAY_US) * _DAY_US
        out_us = np.where(tod == _DAY_US - 1, out_us, out_us + (-tod) % q)  # the end of the day is not rounded
    out = out_us.astype("datetime64[us]")
    out[~ok | flagged] = np.datetime64("NaT")
    return out, np.array(flagged, dtype=np.bool_)


def _by(
    plans: tuple[_Plan, ...], which: npt.NDArray[np.intp] | None, value: Callable[[_Plan], npt.ArrayLike]
) -> npt.NDArray[np.generic]:
    """A column of per-row values read from each row's plan (``which`` indexes ``plans``; None: one plan for all,
    the value as it is — a scalar broadcasts)."""
    out: npt.NDArray[np.generic] = np.asarray(value(plans[0]))
    for k in range(1, len(plans)):
        assert which is not None
        out = np.where(which == k, value(plans[k]), out)
    return out


def _day_plans(
    cal: WorkingCalendar, rules: CountingRules, idx: npt.NDArray[np.int64]
) -> tuple[tuple[_Plan, ...], npt.NDArray[np.intp]]:
    """The plans of the office hours in force on the days at table indices ``idx``, and which one each day has."""
    hours, which = cal.office_hours_many((idx + (cal._o0 - _epoch_ordinal())).astype("datetime64[D]"))
    return tuple(_plan(rules, h) for h in hours), which


def _within(spans: tuple[tuple[int, int], ...], secs: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    inside = np.zeros(secs.shape, dtype=np.bool_)
    for a, b in spans:
        inside |= (secs >= a) & (secs < b)
    return inside


def _session_start(plan: _Plan, secs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Vectorised :meth:`_Plan.next_session_start`: ``secs`` inside a session, else the next session's start."""
    out = np.full(secs.shape, plan.closing, dtype=np.int64)
    for a, b in reversed(list(zip(plan.starts, plan.ends, strict=True))):
        out = np.where(secs < b, np.maximum(secs, a), out)
    return out


def _end_of_range(cal: WorkingCalendar) -> np.datetime64:
    """The last instant of the compiled range (after its last close)."""
    last: np.datetime64 = np.datetime64(cal.last, "D").astype("datetime64[us]") + np.timedelta64(_DAY_US - 1, "us")
    return last


def _epoch_ordinal() -> int:
    from tthc.calendar.working_calendar import _EPOCH_ORDINAL

    return _EPOCH_ORDINAL


def classify_many(
    due_at: npt.ArrayLike,
    finished_at: npt.ArrayLike,
    *,
    calendar: WorkingCalendar | None = None,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64]]:
    """Vectorised :func:`tthc.deadlines.compute.classify_detail` for finished dossiers.

    Args:
        due_at, finished_at: ``datetime64`` arrays in Vietnam local time (``NaT`` allowed).

    Returns:
        ``(codes, overdue_working_days)``: codes per :data:`TIMELINESS_CODES` (0 early, 1 on time, 2 late, -1 when
        either input is ``NaT``) and the overdue working days (0 unless late).
    """
    cal = calendar if calendar is not None else public_sector_calendar()
    due = np.asarray(due_at)
    fin = np.asarray(finished_at)
    if due.dtype.kind != "M" or fin.dtype.kind != "M":
        raise InvalidValueError(
            "due_at/finished_at", N_("datetime64 arrays (Vietnam local time)"), (due.dtype, fin.dtype)
        )
    due, fin = np.broadcast_arrays(due.astype("datetime64[us]"), fin.astype("datetime64[us]"))
    missing = np.isnat(due) | np.isnat(fin)
    dd = due.astype("datetime64[D]")
    fd = fin.astype("datetime64[D]")
    codes = np.where(fd < dd, 0, np.where(fin <= due, 1, 2)).astype(np.int8)
    codes[missing] = -1
    late = codes == 2
    overdue = np.zeros(due.shape, dtype=np.int64)
    if late.any():
        d_idx, _ = cal._indices(np.where(late, dd, np.datetime64("NaT")), "due_at")
        f_idx, _ = cal._indices(np.where(late, fd, np.datetime64("NaT")), "finished_at")
        overdue = np.where(late, np.maximum(cal.cumulative[f_idx].astype(np.int64) - cal.cumulative[d_idx], 0), 0)
    return codes, overdue
