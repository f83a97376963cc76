"""Working time at the instant: office time between instants, adding office time, the open/closed state, the schedule.

A working calendar compiled with its office hours is one non-decreasing function ``W`` from instants to the office
time elapsed since the start of the compiled range: it grows by one second per second inside a session of a working
day and stays flat everywhere else (before opening, the lunch break, after closing, days off). Every question here is
``W`` or its inverse, answered from two tables compiled once — the office time before each day (``cum``) and, per day,
an index into the few distinct session patterns the office keeps (``pid``) — so the scalar path is O(log n) at worst
and the batch path is a handful of numpy passes, both giving the same answers. The tables are ``array.array`` values,
which the batch path views as numpy arrays without a copy: the scalar path never imports numpy.

Boundary conventions (documented in ``docs/deadlines.md``):

* sessions are half-open: the office **is open at a session's opening** instant and **closed at its closing**
  instant; the lunch break is closed time;
* :meth:`WorkingTimeMixin.add_working_time` returns the **earliest** instant at which the duration has elapsed, so
  07:30 + 4 h is 11:30 (the close), not 13:00; a negative duration returns the **latest** instant that far back, so
  14:00 − 1 h is 13:00 (the reopening), not 11:30;
* :meth:`WorkingTimeMixin.working_time_between` is signed: ``W(b) - W(a)``, negative when ``b`` comes first (the
  overdue time of a dossier is ``-working_time_between(now, due)`` when that is positive);
* naive datetimes are Vietnam local time (Asia/Ho_Chi_Minh); aware ones are converted, and the answer is aware in
  Vietnam time when the question was; a ``date`` is its midnight.

Saturday reception (:attr:`OfficeHours.saturday_reception`) is not office time: a dossier may be received then, but
no working time elapses.
"""

from __future__ import annotations

import array
import itertools
import operator
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

import attrs

from tthc.calendar.office_hours import DatedOfficeHours, OfficeHours
from tthc.errors import CalendarRangeError, ConflictError, InvalidValueError
from tthc.foundation.arguments import is_nat
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["OffKind", "ScheduleKind", "ScheduledDay", "WorkingTimeMixin", "WorkingTimeTables"]

_VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_US = 1_000_000
_US_PER_DAY = 86_400 * _US
_EPOCH_ORDINAL: int = date(1970, 1, 1).toordinal()
_NAT = -(2**63)  # numpy's NaT as int64
_OVERRIDE_OFF_DAY = N_(
    "office_hours.overrides: {day} ({reason}) is not a working day; expected overrides on working days only (add the"
    " day to extra_working_days to open the office)"
)

OffKind = Literal["holiday", "swap", "user_day_off"]
"""Why a day is off when the weekly rule would have it worked (or it is part of an announced break)."""

ScheduleKind = Literal["working", "make_up", "weekend", "holiday", "swap", "user_day_off"]
"""The kind of a day in :meth:`WorkingTimeMixin.schedule`: worked by the weekly rule, a make-up day, a weekly rest
day, a holiday (statutory, compensatory or an announced break), a weekday swapped off, a day off the user added."""


def _us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


@attrs.frozen(slots=True, repr=False)
class ScheduledDay:
    """One day of :meth:`WorkingTimeMixin.schedule`.

    Attributes:
        day: the date.
        kind: see :data:`ScheduleKind`.
        reason: the holiday name, the letter of a swap or make-up day, the user's reason; None for plain days.
        sessions: the office sessions of the day (empty when the office is closed all day).
        hours_source: which dated hours apply (a period's label or an override's reason); None for the default.
    """

    day: date
    kind: ScheduleKind
    reason: str | None
    sessions: tuple[tuple[time, time], ...]
    hours_source: str | None = None

    @property
    def is_working(self) -> bool:
        return self.kind == "working" or self.kind == "make_up"

    @property
    def working_time(self) -> timedelta:
        """The office time of the day (zero on a day off)."""
        return timedelta(microseconds=sum(_us(b) - _us(a) for a, b in self.sessions))

    def __repr__(self) -> str:
        hours = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.sessions) or "closed"
        why = f" ({self.reason})" if self.reason else ""
        src = f" [{self.hours_source}]" if self.hours_source else ""
        return f"<{self.day:%a} {self.day.isoformat()} {self.kind}{why}: {hours}{src}>"


@attrs.frozen(slots=True, repr=False, eq=False)
class WorkingTimeTables:
    """The compiled office-time tables of a calendar (built by :class:`~tthc.calendar.WorkingCalendar`).

    ``pid[i]`` is the session pattern of day ``i`` (0: closed all day), ``hid[i]`` the pattern of the hours in force
    on day ``i`` whether or not it is worked (``pid == where(working, hid, 0)``), ``cum[i]`` the office time in
    microseconds before day ``i`` (``len(cum) == n + 1``).
    """

    first: date
    last: date
    hours: DatedOfficeHours
    weekmask: str
    patterns: tuple[OfficeHours | None, ...]
    spans: tuple[tuple[tuple[int, int, int], ...], ...]  # per pattern: (start µs, end µs, office µs at the end)
    notes_off: Mapping[date, str]
    notes_work: Mapping[date, str]
    off_kinds: Mapping[date, OffKind]
    # the tables as plain-Python arrays (the scalar path), viewed as numpy arrays by the batch path (pid, hid, cum)
    _o0: int
    _n: int
    _pids: array.array[int]
    _hids: array.array[int]
    _cums: array.array[int]
    _uniform: int  # the one open pattern when every working day has the same sessions, else 0
    # the batch path's padded per-pattern arrays, built on first use (a frozen class may fill a dict it holds)
    _arrays: dict[str, npt.NDArray[np.int64]] = attrs.field(factory=dict)

    @property
    def pid(self) -> npt.NDArray[np.int16]:
        import numpy as np  # deferred: the batch path alone needs numpy

        arr = np.frombuffer(self._pids, np.int16)
        arr.flags.writeable = False  # a view of the tables: never written through
        return arr

    @property
    def hid(self) -> npt.NDArray[np.int16]:
        import numpy as np

        arr = np.frombuffer(self._hids, np.int16)
        arr.flags.writeable = False  # a view of the tables: never written through
        return arr

    @property
    def cum(self) -> npt.NDArray[np.int64]:
        import numpy as np

        arr = np.frombuffer(self._cums, np.int64)
        arr.flags.writeable = False  # a view of the tables: never written through
        return arr

    def _padded(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Per pattern and session (padded with empty sessions at the day's last close): the start, the length and
        the office time at the end, in µs."""
        import numpy as np

        if not self._arrays:
            width = max(len(s) for s in self.spans)
            starts = np.zeros((len(self.spans), width), np.int64)
            lengths = np.zeros((len(self.spans), width), np.int64)
            cum_ends = np.zeros((len(self.spans), width), np.int64)
            for k, row in enumerate(self.spans):
                last_end, last_done = (row[-1][1], row[-1][2]) if row else (0, 0)
                for j in range(width):
                    a, b, c = row[j] if j < len(row) else (last_end, last_end, last_done)
                    starts[k, j], lengths[k, j], cum_ends[k, j] = a, b - a, c
            self._arrays.update(starts=starts, lengths=lengths, cum_ends=cum_ends)
        return self._arrays["starts"], self._arrays["lengths"], self._arrays["cum_ends"]

    @classmethod
    def build(
        cls,
        first: date,
        mask: bytes,
        hours: DatedOfficeHours,
        weekmask: str,
        notes_off: Mapping[date, str],
        notes_work: Mapping[date, str],
        off_kinds: Mapping[date, OffKind],
    ) -> WorkingTimeTables:
        """Compile the tables: the default hours on every working day, then the dated periods, then the overrides.

        Raises:
            ConflictError: an override falls on a day that is not a working day (an override changes the hours of a
                working day; make the day a working day with ``extra_working_days`` first).
        """
        check_overrides(first, mask, hours)
        o0, n = first.toordinal(), len(mask)
        patterns: list[OfficeHours | None] = [None]
        ids: dict[OfficeHours, int] = {}

        def pattern(h: OfficeHours) -> int:
            if h not in ids:
                ids[h] = len(patterns)
                patterns.append(h)
            return ids[h]

        hid = array.array("h", [pattern(hours.default)]) * n
        for p in hours.periods:
            lo = max(p.valid_from.toordinal() - o0, 0)
            hi = n - 1 if p.valid_until is None else min(p.valid_until.toordinal() - o0, n - 1)
            if lo <= hi:
                hid[lo : hi + 1] = array.array("h", [pattern(p.hours)]) * (hi - lo + 1)
        for o in hours.overrides:
            i = o.day.toordinal() - o0
            if 0 <= i < n:  # outside the compiled range, like the parts of periods that are, it is ignored
                hid[i] = pattern(o.hours)
        if len(patterns) == 2:  # the usual case, one pattern (1) every day: pid is the mask, widened without a loop
            wide = bytearray(2 * n)
            wide[0 if sys.byteorder == "little" else 1 :: 2] = mask
            pid = array.array("h", bytes(wide))
        else:
            pid = array.array("h", map(operator.mul, hid, mask))  # 0 (closed) on a day that is not worked
        spans: list[tuple[tuple[int, int, int], ...]] = [()]
        for h in patterns[1:]:
            assert h is not None
            done, built = 0, []
            for t0, t1 in h.sessions:
                done += _us(t1) - _us(t0)
                built.append((_us(t0), _us(t1), done))
            spans.append(tuple(built))
        per_day = [row[-1][2] if row else 0 for row in spans]
        cum = array.array("q", itertools.accumulate(map(per_day.__getitem__, pid), initial=0))
        return cls(
            first,
            date.fromordinal(o0 + n - 1),
            hours,
            weekmask,
            tuple(patterns),
            tuple(spans),
            notes_off,
            notes_work,
            off_kinds,
            o0,
            n,
            pid,
            hid,
            cum,
            0 if max(pid, default=0) > 1 else 1,  # the default is pattern 1
        )

    @property
    def nbytes(self) -> int:
        batch = sum(a.nbytes for a in self._arrays.values())
        return int(2 * len(self._pids) + 2 * len(self._hids) + 8 * len(self._cums) + batch)

    # -- the function W and its inverses (scalar) -------------------------------------------------------------

    def split(self, instant: datetime | date, field: str) -> tuple[int, int, bool]:
        """``(day index, µs of the day, aware?)`` of an instant in Vietnam local time.

        Raises:
            InvalidValueError: not a datetime or a date.
            CalendarRangeError: outside the compiled range.
        """
        if instant.__class__ is datetime and instant.tzinfo is None:  # the common case, without building a time
            aware = False
            us = ((instant.hour * 60 + instant.minute) * 60 + instant.second) * _US + instant.microsecond
        elif is_nat(instant):  # pandas NaT: refused as a missing value is
            raise InvalidValueError(field, N_("a datetime (naive = Vietnam time) or a date"), instant)
        elif isinstance(instant, datetime):
            aware = instant.tzinfo is not None
            if aware:
                try:
                    # a tzinfo that gives no offset makes a naive datetime, as Python says: Vietnam time here, which
                    # astimezone would take for the machine's local time
                    aware = instant.utcoffset() is not None
                    instant = instant.astimezone(_VN_TZ) if aware else instant
                    instant = instant.replace(tzinfo=None)
                except OverflowError:  # datetime.max in UTC is past the year 9999 in Vietnam
                    raise InvalidValueError(
                        field, N_("a datetime within year 1..9999 in Vietnam time"), instant
                    ) from None
                except Exception:  # a tzinfo of the caller's that fails in its own way
                    raise InvalidValueError(field, N_("a datetime whose tzinfo is a time zone"), instant) from None
            us = _us(instant.time())
        elif isinstance(instant, date):
            aware, us = False, 0
        else:
            raise InvalidValueError(field, N_("a datetime (naive = Vietnam time) or a date"), instant)
        i = instant.toordinal() - self._o0
        if not 0 <= i < self._n:
            template = N_("{field}: expected an instant in {first}..{last} (the compiled range), got {given}")
            raise self._range_error(template, field=field, given=instant.isoformat())
        return i, us, aware

    def make(self, i: int, us: int, aware: bool) -> datetime:
        s, micro = divmod(us, _US)
        d = date.fromordinal(i + self._o0)
        # the constructor with a positional tzinfo: replace(tzinfo=...) costs several times more
        return datetime(d.year, d.month, d.day, s // 3600, s // 60 % 60, s % 60, micro, _VN_TZ if aware else None)

    def elapsed(self, i: int, us: int) -> int:
        """``W``: office µs from the start of the range to µs ``us`` of day ``i``."""
        total: int = self._cums[i]
        for a, b, _ in self.spans[self._pids[i]]:
            if us <= a:
                break
            total += (us if us < b else b) - a
        return total

    def earliest(self, x: int, field: str) -> tuple[int, int]:
        """The earliest instant at which ``W == x`` (``x > 0``): inside a session or at its close."""
        if not 0 < x <= self._cums[self._n]:
            raise self._out_of_range(field, x)
        j = bisect_left(self._cums, x) - 1
        rem = x - self._cums[j]
        for _, b, done in self.spans[self._pids[j]]:
            if rem <= done:
                return j, b - (done - rem)
        raise AssertionError("unreachable: cum and spans disagree")  # pragma: no cover

    def latest(self, x: int, field: str) -> tuple[int, int]:
        """The latest instant at which ``W == x`` (``x >= 0``): inside a session or at its opening."""
        if not 0 <= x < self._cums[self._n]:
            raise self._out_of_range(field, x)
        j = bisect_right(self._cums, x) - 1
        rem = x - self._cums[j]
        for _, b, done in self.spans[self._pids[j]]:
            if rem < done:
                return j, b - (done - rem)
        raise AssertionError("unreachable: cum and spans disagree")  # pragma: no cover

    def _out_of_range(self, field: str, x: int) -> CalendarRangeError:
        template = (
            N_("{field}: the answer lies before the first opening of the compiled range {first}..{last}")
            if x <= 0
            else N_("{field}: the answer lies after the last close of the compiled range {first}..{last}")
        )
        return self._range_error(template, field=field)

    def _range_error(self, template: str, **values: object) -> CalendarRangeError:
        """A refusal naming the compiled range, worded in the reader's language when shown."""
        return CalendarRangeError(words(template, first=self.first, last=self.last, **values))

    # -- the batch path ---------------------------------------------------------------------------------------

    def split_many(
        self, instants: npt.ArrayLike, field: str
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """``(day index, µs of the day, NaT?)`` of a ``datetime64`` array (Vietnam local time)."""
        import numpy as np  # deferred: the batch path alone needs numpy

        a = np.asarray(instants)
        if a.dtype.kind != "M":
            raise InvalidValueError(field, N_("a datetime64 array (Vietnam local time)"), a.dtype)
        us = a.astype("datetime64[us]", copy=False).view(np.int64)
        nat = us == _NAT
        day = us // _US_PER_DAY
        idx = day - (self._o0 - _EPOCH_ORDINAL)
        sod = us - day * _US_PER_DAY
        bad = (idx < 0) | (idx >= self._n)
        if bad.any():
            bad &= ~nat
            if bad.any():
                first_bad = a.ravel()[np.flatnonzero(bad.ravel())[0]]
                template = N_(
                    "{field}: expected instants in {first}..{last} (the compiled range), got {given} ({n} such rows)"
                )
                raise self._range_error(template, field=field, given=first_bad, n=int(bad.sum()))
            idx = np.where(nat, 0, idx)
            sod = np.where(nat, 0, sod)
        return idx, sod, nat

    def elapsed_many(self, idx: npt.NDArray[np.int64], sod: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`elapsed`."""
        import numpy as np  # deferred: the batch path alone needs numpy

        p = self.pid.take(idx)
        starts, lengths, _ = self._padded()
        if self._uniform:
            inside = np.zeros(idx.shape, np.int64)
            for a, length in zip(starts[1], lengths[1], strict=True):
                inside += np.clip(sod - a, 0, length)
            inside *= p != 0
        else:
            inside = np.zeros(idx.shape, np.int64)
            for k in range(starts.shape[1]):
                inside += np.clip(sod - starts[:, k].take(p), 0, lengths[:, k].take(p))
        result: npt.NDArray[np.int64] = self.cum.take(idx) + inside
        return result

    def inverse_many(
        self, x: npt.NDArray[np.int64], forward: npt.NDArray[np.bool_], field: str
    ) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`earliest` (rows where ``forward``) and :meth:`latest` (the others), as local µs since
        1970-01-01."""
        import numpy as np  # deferred: the batch path alone needs numpy

        total = int(self.cum[-1])
        bad = np.where(forward, (x <= 0) | (x > total), (x < 0) | (x >= total))
        if bad.any():
            template = N_("{field}: some answers lie outside the compiled range {first}..{last} ({n} rows)")
            raise self._range_error(template, field=field, n=int(bad.sum()))
        j = np.where(forward, np.searchsorted(self.cum, x, "left"), np.searchsorted(self.cum, x, "right")) - 1
        rem = x - self.cum.take(j)
        p = self.pid.take(j)
        sod = np.zeros(x.shape, np.int64)
        starts, lengths, cum_ends = self._padded()
        for k in reversed(range(starts.shape[1])):
            done = cum_ends[:, k].take(p)
            end = starts[:, k].take(p) + lengths[:, k].take(p)
            hit = np.where(forward, rem <= done, rem < done)
            sod = np.where(hit, end - (done - rem), sod)
        result: npt.NDArray[np.int64] = (j + (self._o0 - _EPOCH_ORDINAL)) * _US_PER_DAY + sod
        return result


def check_overrides(first: date, mask: bytes, hours: DatedOfficeHours) -> None:
    """Refuse an office-hours override on a day of the compiled range that is not a working day.

    Raises:
        ConflictError: naming the day (an override changes the hours of a working day; make the day a working day
            with ``extra_working_days`` first).
    """
    o0, n = first.toordinal(), len(mask)
    for o in hours.overrides:
        i = o.day.toordinal() - o0
        if 0 <= i < n and not mask[i]:
            raise ConflictError(words(_OVERRIDE_OFF_DAY, day=o.day, reason=o.reason))


_ONE_US = timedelta(microseconds=1)


def _as_timedelta(duration: timedelta, field: str) -> int:
    if not isinstance(duration, timedelta):
        raise InvalidValueError(field, N_("a datetime.timedelta"), duration)
    return duration // _ONE_US


class WorkingTimeMixin:
    """The working-time methods of :class:`~tthc.calendar.WorkingCalendar` (see the module docstring for the
    boundary conventions)."""

    __slots__ = ()

    @property
    def _time(self) -> WorkingTimeTables:
        """The calendar's working-time tables (the class using this mixin provides them)."""
        raise NotImplementedError  # pragma: no cover

    @property
    def dated_hours(self) -> DatedOfficeHours:
        """The office hours by date compiled into this calendar."""
        return self._time.hours

    def office_hours_on(self, d: date) -> OfficeHours:
        """The office hours in force on ``d`` (the override, else the dated period, else the default).

        On a day off this is the hours that would apply (the office is closed all day: see :meth:`sessions_on`).

        Raises:
            CalendarRangeError: ``d`` is outside the compiled range.
        """
        t = self._time
        i, _, _ = t.split(d, "date")
        h = t.patterns[t._hids[i]]
        assert h is not None  # hid is never the closed pattern
        return h

    def office_hours_many(self, dates: npt.ArrayLike) -> tuple[tuple[OfficeHours, ...], npt.NDArray[np.intp]]:
        """Vectorised :meth:`office_hours_on`: ``(hours, which)`` with ``hours[which[k]]`` the hours in force on
        ``dates[k]`` — the distinct hours of the calendar, and an index per date (-1 for ``NaT``).

        Args:
            dates: ``datetime64`` (any unit; a time of day is ignored) in Vietnam local time.

        Raises:
            InvalidValueError: not a ``datetime64`` array.
            CalendarRangeError: a date outside the compiled range.
        """
        import numpy as np  # deferred: the batch path alone needs numpy

        t = self._time
        idx, _, nat = t.split_many(np.asarray(dates), "dates")
        which = t.hid.take(idx).astype(np.intp) - 1
        if nat.any():
            which = np.where(nat, -1, which)
        hours = tuple(h for h in t.patterns if h is not None)
        return hours, which

    def sessions_on(self, d: date) -> tuple[tuple[time, time], ...]:
        """The office sessions of ``d``; empty on a day that is not a working day."""
        t = self._time
        i, _, _ = t.split(d, "date")
        h = t.patterns[t._pids[i]]
        return () if h is None else h.sessions

    def is_open_at(self, instant: datetime | date) -> bool:
        """True when ``instant`` falls inside an office session of a working day.

        Open at a session's opening instant, closed at its closing instant and during the lunch break.
        """
        t = self._time
        i, us, _ = t.split(instant, "instant")
        return any(a <= us < b for a, b, _ in t.spans[t._pids[i]])

    def next_open(self, instant: datetime | date) -> datetime:
        """``instant`` when the office is open then, else the next session opening (the next working day's when
        the day's last session has closed).

        Raises:
            CalendarRangeError: the instant, or the next opening, lies outside the compiled range.
        """
        t = self._time
        i, us, aware = t.split(instant, "instant")
        return t.make(*t.latest(t.elapsed(i, us), "instant"), aware)

    def previous_close(self, instant: datetime | date) -> datetime:
        """The latest session close at or before ``instant`` (``instant`` itself when it is a closing instant).

        Inside a session this is the close of the session before (11:30 for 14:00 with the default hours).

        Raises:
            CalendarRangeError: the instant, or that close, lies outside the compiled range.
        """
        t = self._time
        i, us, aware = t.split(instant, "instant")
        for a, b, _ in t.spans[t._pids[i]]:
            if a < us < b:
                us = a  # inside a session: the close before it is the close before its opening
                break
        return t.make(*t.earliest(t.elapsed(i, us), "instant"), aware)

    def add_working_time(self, instant: datetime | date, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of office time has elapsed after ``instant``.

        Positive: the earliest such instant (07:30 + 4 h = 11:30 with the default hours, the close, not 13:00).
        Negative: the latest instant ``|duration|`` of office time before (14:00 − 1 h = 13:00). Zero: ``instant``.
        Always ``working_time_between(instant, result) == duration``.

        Raises:
            InvalidValueError: ``duration`` is not a ``timedelta``; ``instant`` not a datetime or date.
            CalendarRangeError: the instant or the answer lies outside the compiled range.
        """
        d = _as_timedelta(duration, "duration")
        t = self._time
        i, us, aware = t.split(instant, "instant")
        if d == 0:
            return t.make(i, us, aware)
        x = t.elapsed(i, us) + d
        return t.make(*(t.earliest(x, "duration") if d > 0 else t.latest(x, "duration")), aware)

    def working_time_between(self, start: datetime | date, end: datetime | date) -> timedelta:
        """The office time from ``start`` to ``end``: positive when ``end`` is later, negative when it is earlier,
        zero when nothing of a session lies between (antisymmetric and additive over consecutive intervals).

        Raises:
            CalendarRangeError: an instant outside the compiled range.
        """
        t = self._time
        a = t.elapsed(*t.split(start, "start")[:2])
        b = t.elapsed(*t.split(end, "end")[:2])
        return timedelta(microseconds=b - a)

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days ``d`` with ``start <= d <= end`` (both included; empty when ``end < start``)."""
        t = self._time
        i, _, _ = t.split(start, "start")
        j, _, _ = t.split(end, "end")
        return [date.fromordinal(k + t._o0) for k in itertools.compress(range(i, j + 1), t._pids[i : j + 1])]

    def schedule(self, start: date, end: date) -> list[ScheduledDay]:
        """Each day ``start <= d <= end`` with its kind, reason and office sessions (see :class:`ScheduledDay`)."""
        t = self._time
        i, _, _ = t.split(start, "start")
        j, _, _ = t.split(end, "end")
        rows: list[ScheduledDay] = []
        for k in range(i, j + 1):
            d = date.fromordinal(k + t._o0)
            h = t.patterns[t._pids[k]]
            weekly = t.weekmask[d.weekday()] == "1"
            kind: ScheduleKind
            if h is not None:
                kind = "working" if weekly else "make_up"
                rows.append(ScheduledDay(d, kind, t.notes_work.get(d), h.sessions, t.hours.source_on(d)[1]))
                continue
            if d in t.off_kinds:
                kind = t.off_kinds[d]
            elif d in t.notes_off:
                kind = "holiday"
            else:
                kind = "weekend"
            rows.append(ScheduledDay(d, kind, t.notes_off.get(d), ()))
        return rows

    # -- vectorised -------------------------------------------------------------------------------------------

    def working_time_between_many(self, start: npt.ArrayLike, end: npt.ArrayLike) -> npt.NDArray[np.timedelta64]:
        """Vectorised :meth:`working_time_between`: ``datetime64`` arrays (Vietnam local time, any unit) in,
        ``timedelta64[us]`` out; ``NaT`` in either gives ``NaT``. Equal to the scalar path row by row.

        Raises:
            InvalidValueError: an input that is not a ``datetime64`` array.
            CalendarRangeError: an instant outside the compiled range (nothing is answered wrongly).
        """
        import numpy as np  # deferred: the batch path alone needs numpy

        t = self._time
        ia, sa, na = t.split_many(start, "start")
        ib, sb, nb = t.split_many(end, "end")
        out = t.elapsed_many(ib, sb) - t.elapsed_many(ia, sa)
        nat = na | nb
        if nat.any():
            out = np.where(nat, _NAT, out)
        return out.view("timedelta64[us]")

    def add_working_time_many(self, instants: npt.ArrayLike, durations: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
        """Vectorised :meth:`add_working_time`: ``datetime64`` instants (Vietnam local time) and ``timedelta64``
        durations (broadcast) in, ``datetime64[us]`` out; ``NaT`` in either gives ``NaT``.

        Raises:
            InvalidValueError: inputs of the wrong kind.
            CalendarRangeError: an instant or an answer outside the compiled range.
        """
        import numpy as np  # deferred: the batch path alone needs numpy

        t = self._time
        dur = np.asarray(durations)
        if dur.dtype.kind != "m":
            raise InvalidValueError("durations", N_("a timedelta64 array"), dur.dtype)
        idx, sod, nat = t.split_many(instants, "instants")
        d = dur.astype("timedelta64[us]").view(np.int64)
        idx, sod, nat, d = np.broadcast_arrays(idx, sod, nat, d)
        nat = nat | (d == _NAT)
        d = np.where(nat, 0, d)
        here = (idx + (t._o0 - _EPOCH_ORDINAL)) * _US_PER_DAY + sod
        moving = d != 0
        out = here.copy()
        if moving.any():
            x = t.elapsed_many(idx[moving], sod[moving]) + d[moving]
            out[moving] = t.inverse_many(x, d[moving] > 0, "durations")
        if nat.any():
            out = np.where(nat, _NAT, out)
        return out.view("datetime64[us]")
