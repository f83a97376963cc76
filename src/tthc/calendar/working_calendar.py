"""The public-sector working calendar (lịch làm việc khu vực nhà nước), compiled into tables.

A working calendar is a weekly rule (Mon–Fri) **minus** days off **plus** make-up working days — the
``dateutil.rruleset`` idea — compiled once into tables over a fixed range of years: a working-day mask, the
cumulative count of working days and the positions of working days. Every scalar call is index arithmetic (O(1)) on
plain-Python copies of the tables (``bytes``, ``array.array``); the batch path is numpy over zero-copy views of the
same tables, so both agree by construction, and a process that only asks scalar questions never imports numpy.

Sources of days, in order of precedence (later wins):

1. the weekly rule (``weekmask``, Mon–Fri by default);
2. ``holidays.VN``: statutory days (Labour Code 2019 Điều 112) and compensatory days (Điều 111.3), and its swaps
   (``Day off (substituted …)`` paired with a ``weekend_workdays`` make-up day) for every year up to the last
   announced one, except the swaps of the occasions the schedule data lists; Ngày Văn hóa Việt Nam (24 Nov, from
   2026) is kept unless ``culture_day=False`` — flagged [open];
3. the public-sector schedule data (``public_sector_schedule.json``): the government's days off and make-up
   Saturdays per occasion, each with its letter — the authority for the occasions it lists. A ``holidays.VN`` swap
   belongs to a listed occasion when its weekday off lies within ``SWAP_REACH`` (3) days of the occasion's days off
   (a swap bridges a holiday to a weekend, so its day off adjoins the break) or its make-up day is one the
   occasion lists; an occasion the file does not list keeps ``holidays.VN``'s swap (Tết 2015: Mon 16 Feb off,
   Sat 14 Feb worked);
4. user overlays: extra days off (a provincial closure) and extra working days.

Years after the last announced year are **projected**: statutory and compensatory days only, no swaps.
:meth:`WorkingCalendar.is_projected` says so, and every due date that reaches such a year is marked projected.

Office hours, constant or by date (:class:`~tthc.calendar.office_hours.DatedOfficeHours`), are compiled with the days
into the working-time tables of :mod:`tthc.calendar.working_time` (``is_open_at``, ``add_working_time``,
``working_time_between``, ``schedule`` ...).

The compiled range starts in 2000: the public sector moved to the five-day week in October 1999, so a Mon–Fri rule
would be wrong before that. Dates outside the range raise :class:`~tthc.errors.CalendarRangeError`.

Why one module of this length: the calendar and the compiler of the bundled public-sector calendar share the private
constructors (``compile``, ``_from_mask``) and the shape of the day notes; the compiler is the only caller of those
constructors that must stay in step with them, and the disk cache keys on this module's source as one unit.
"""

from __future__ import annotations

import array
import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import attrs

from tthc.calendar.cache import CompiledDays, file_digest, load_days, store_days
from tthc.calendar.notes import day_note
from tthc.calendar.office_hours import DatedOfficeHours, OfficeHours
from tthc.calendar.working_time import OffKind, WorkingTimeMixin, WorkingTimeTables, check_overrides
from tthc.errors import CalendarRangeError, ConflictError, InvalidValueError
from tthc.foundation import references as _references_module
from tthc.foundation.arguments import is_nat
from tthc.foundation.data_files import bundled_path
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.words import words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from tthc.calendar.schedule import ScheduleFile

__all__ = ["OfficeHours", "WorkingCalendar", "public_sector_calendar"]

_EPOCH_ORDINAL: int = date(1970, 1, 1).toordinal()  # numpy datetime64[D] counts from here
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SUBSTITUTED = "Day off (substituted"
_CULTURE_DAY = "Vietnam Cultural Day"
_SUBSTITUTED_FROM = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")  # en_US labels: MM/DD/YYYY

T = TypeVar("T", bound="np.generic")

_SCHEDULE_MODULE = Path(__file__).with_name("schedule.py")
"""The schedule's models, part of the code the compiled days depend on (a path: importing it would load pydantic)."""

DayKind = Literal["working", "make_up", "weekend", "day_off"]


class _TextPrinter(Protocol):
    def text(self, obj: str) -> None: ...


@attrs.frozen(slots=True, repr=False, eq=False)
class WorkingCalendar(WorkingTimeMixin):
    """A compiled working calendar. Build it with :func:`public_sector_calendar` or :meth:`compile`.

    The day methods take ``datetime.date`` (a ``datetime`` is taken by its date); the working-time methods
    (:class:`~tthc.calendar.working_time.WorkingTimeMixin`: ``is_open_at``, ``next_open``, ``previous_close``,
    ``add_working_time``, ``working_time_between``, ``working_days``, ``schedule`` and their batch forms) take
    instants. ``office_hours`` is the default hours; :attr:`dated_hours` holds the hours by date.
    """

    first: date
    last: date
    last_announced_year: int | None
    weekmask: str
    office_hours: OfficeHours
    description: str
    _notes_off: Mapping[date, str] = attrs.field(repr=False)
    _notes_work: Mapping[date, str] = attrs.field(repr=False)
    # the tables as plain-Python values: the scalar path indexes them (several times cheaper than indexing numpy
    # arrays) and the batch path views them as numpy arrays without a copy (mask, cumulative, positions)
    _o0: int = attrs.field(repr=False)
    _n: int = attrs.field(repr=False)
    _bits: bytes = attrs.field(repr=False)  # one byte per day: 1 working, 0 not
    _cum: array.array[int] = attrs.field(repr=False)  # working days up to and including each day
    _pos: array.array[int] = attrs.field(repr=False)  # the index of each working day
    _off_kinds: Mapping[date, OffKind] = attrs.field(repr=False)
    _names_vi: Mapping[date, str] = attrs.field(repr=False)
    _hours: DatedOfficeHours = attrs.field(repr=False)  # compiled with the days into _time on first use
    # The caches below are not constructor arguments: every calendar starts its own (``attrs.evolve`` of a calendar
    # with another announced year would otherwise share the original's and be answered from its tables).
    # numpy tables of the batch path, built on first use (a frozen class may fill a dict it holds)
    _arrays: dict[str, npt.NDArray[np.int64]] = attrs.field(init=False, repr=False, factory=dict)
    # the working-time tables (working_time.py), built on first use: a due date in working days never needs them
    _tables: list[WorkingTimeTables] = attrs.field(init=False, repr=False, factory=list)
    # what the layers above derive from this calendar and keep with it (compute_due: the rules, plan and references
    # of each era and channel), so that it goes when the calendar goes
    _memo: dict[Any, Any] = attrs.field(init=False, repr=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        # the days and hours are compiled into the tables: a calendar whose fields say otherwise (``attrs.evolve``
        # with other dates or hours) would answer from tables that are not its own
        try:
            days_match = self.first.toordinal() == self._o0 and (self.last - self.first).days + 1 == self._n
        except (AttributeError, TypeError):  # not dates at all
            days_match = False
        if not days_match:
            raise InvalidValueError(
                "first/last",
                N_("the days compiled into the calendar (build another with WorkingCalendar.compile)"),
                (self.first, self.last),
            )
        if self.office_hours is not self._hours.default and self.office_hours != self._hours.default:
            raise InvalidValueError(
                "office_hours",
                N_("the hours compiled into the calendar (other hours: calendar.with_overlay(office_hours=...))"),
                self.office_hours,
            )

    @property
    def _time(self) -> WorkingTimeTables:
        if not self._tables:
            days = (self._notes_off, self._notes_work, self._off_kinds)
            self._tables.append(WorkingTimeTables.build(self.first, self._bits, self._hours, self.weekmask, *days))
        return self._tables[0]

    @property
    def dated_hours(self) -> DatedOfficeHours:
        """The office hours by date compiled into this calendar."""
        return self._hours

    @property
    def mask(self) -> npt.NDArray[np.bool_]:
        """One bool per compiled day from :attr:`first` (True: a working day); a read-only numpy array."""
        import numpy as np  # deferred: the scalar path never needs numpy

        return np.frombuffer(self._bits, np.bool_)

    @property
    def cumulative(self) -> npt.NDArray[np.int32]:
        """Per compiled day, the working days from :attr:`first` up to and including it; a read-only numpy array."""
        import numpy as np

        return _read_only(np.frombuffer(self._cum, np.int32))

    @property
    def positions(self) -> npt.NDArray[np.int32]:
        """The table index (days since :attr:`first`) of each working day, in order; a read-only numpy array."""
        import numpy as np

        return _read_only(np.frombuffer(self._pos, np.int32))

    def _epoch_tables(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The batch fast path's tables, indexed by days since 1970-01-01 (numpy's ``datetime64[D]`` value, so no
        subtraction per row): the cumulative count minus one, and the positions of working days."""
        import numpy as np

        found = self._arrays.get("cum_minus1_epoch")
        if found is None:
            lead = np.zeros(max(self._o0 - _EPOCH_ORDINAL, 0), np.int64)
            self._arrays["cum_minus1_epoch"] = np.concatenate([lead, self.cumulative.astype(np.int64)]) - 1
            self._arrays["pos_epoch"] = self.positions.astype(np.int64) + (self._o0 - _EPOCH_ORDINAL)
        return self._arrays["cum_minus1_epoch"], self._arrays["pos_epoch"]

    # -- building ---------------------------------------------------------------------------------------------

    @classmethod
    def compile(
        cls,
        *,
        first: date,
        last: date,
        days_off: Mapping[date, str],
        working_days: Mapping[date, str],
        weekmask: str = "1111100",
        last_announced_year: int | None = None,
        office_hours: OfficeHours | DatedOfficeHours | None = None,
        description: str = "custom calendar",
        off_kinds: Mapping[date, OffKind] | None = None,
        names_vi: Mapping[date, str] | None = None,
    ) -> WorkingCalendar:
        """Compile a calendar: the weekly rule minus ``days_off`` plus ``working_days`` (working days win).

        Args:
            first, last: the inclusive compiled range.
            days_off: day → reason (printed in traces).
            working_days: day → reason; a make-up day overrides a day off.
            weekmask: seven ``0``/``1`` characters, Monday first.
            last_announced_year: years after it are projected (None: every year is projected).
            office_hours: constant or dated office hours (default: the bundled hours every day).
            off_kinds: day → ``holiday`` / ``swap`` / ``user_day_off`` for :meth:`schedule` (default ``holiday``).
            names_vi: day off whose reason is ``holidays.VN``'s English name → its Vietnamese name, for Vietnamese
                traces (:attr:`holiday_names_vi`; default none: every reason is shown as written).

        Raises:
            ConflictError: an office-hours override falls on a day that is not a working day.
        """
        for name, day in (("first", first), ("last", last)):
            if not isinstance(day, date) or isinstance(day, datetime):
                raise InvalidValueError(name, N_("a datetime.date"), day)
        for name, days in (("days_off", days_off), ("working_days", working_days)):
            if not isinstance(days, Mapping) or not all(isinstance(d, date) for d in days):
                raise InvalidValueError(name, N_("a mapping of datetime.date to a reason"), type(days).__name__)
        if not (isinstance(weekmask, str) and len(weekmask) == 7 and set(weekmask) <= {"0", "1"}):
            raise InvalidValueError("weekmask", N_("seven '0'/'1' characters, Monday first (e.g. '1111100')"), weekmask)
        if "1" not in weekmask:
            raise InvalidValueError("weekmask", N_("at least one working weekday"), weekmask)
        if last < first:
            raise InvalidValueError("last", words(N_("a date on or after {day}"), day=first), last)
        o0 = first.toordinal()
        n = last.toordinal() - o0 + 1
        week = bytes(c == "1" for c in weekmask)
        shift = (o0 - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
        mask = bytearray(((week[shift:] + week[:shift]) * (n // 7 + 1))[:n])
        for d in days_off:
            i = d.toordinal() - o0
            if 0 <= i < n:
                mask[i] = 0
        for d in working_days:
            i = d.toordinal() - o0
            if 0 <= i < n:
                mask[i] = 1
        return cls._from_mask(
            first,
            bytes(mask),
            last_announced_year,
            weekmask,
            DatedOfficeHours.of(office_hours),
            description,
            dict(days_off),
            dict(working_days),
            {d: k for d, k in (off_kinds or {}).items() if d in days_off and d not in working_days},
            {d: str(v) for d, v in (names_vi or {}).items() if d in days_off and d not in working_days},
        )

    @classmethod
    def _from_mask(
        cls,
        first: date,
        mask: bytes,
        last_announced_year: int | None,
        weekmask: str,
        hours: DatedOfficeHours,
        description: str,
        notes_off: dict[date, str],
        notes_work: dict[date, str],
        off_kinds: dict[date, OffKind],
        names_vi: dict[date, str],
    ) -> WorkingCalendar:
        # plain Python, no numpy: a few ms for a century of days, what a scalar process pays instead of importing
        # numpy; the working-time tables are built on first use, but a misplaced office-hours override fails now
        check_overrides(first, mask, hours)
        o0 = first.toordinal()
        n = len(mask)
        return cls(
            first,
            date.fromordinal(o0 + n - 1),
            last_announced_year,
            weekmask,
            hours.default,
            description,
            notes_off,
            notes_work,
            o0,
            n,
            mask,
            array.array("i", list(itertools.accumulate(mask))),  # from a list: twice as fast as from the iterator
            array.array("i", itertools.compress(range(n), mask)),
            off_kinds,
            names_vi,
            hours,
        )

    # -- scalar queries (O(1)) --------------------------------------------------------------------------------

    def _index(self, d: date, field: str = "date") -> int:
        try:
            i: int = d.toordinal() - self._o0
        except AttributeError:
            raise InvalidValueError(field, N_("a datetime.date"), d) from None
        except ValueError:  # pandas NaT (a datetime that is none): refused as a missing value is
            if is_nat(d):
                raise InvalidValueError(field, N_("a datetime.date"), d) from None
            raise
        if 0 <= i < self._n:
            return i
        raise CalendarRangeError(
            words(
                N_("{field}: expected a date in {first}..{last} (the compiled range), got {given}"),
                field=field,
                first=self.first,
                last=self.last,
                given=d.isoformat(),
            )
        )

    def is_working_day(self, d: date) -> bool:
        """True when ``d`` is a working day (a make-up Saturday is one; a swapped weekday off is not)."""
        return self._bits[self._index(d)] == 1

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted).

        ``n == 0`` returns ``d`` unchanged, even when ``d`` is not a working day (zero days added), so that
        ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``; use :meth:`roll_forward` to
        move a non-working day onto a working day. A negative ``n`` gives the ``|n|``-th working day before ``d``.

        Raises:
            CalendarRangeError: ``d`` or the answer lies outside the compiled range.
        """
        try:
            i = d.toordinal() - self._o0
        except (AttributeError, ValueError):  # not a date, or pandas NaT
            i = self._index(d)  # raises InvalidValueError naming the field
        if not 0 <= i < self._n:
            self._index(d)  # raises CalendarRangeError naming the range
        if n.__class__ is int and n > 0:  # the hot path, inline
            k = self._cum[i] + n - 1
            if k < len(self._pos):
                return date.fromordinal(self._pos[k] + self._o0)
        if not isinstance(n, int):
            try:
                n = operator.index(n)  # numpy integers
            except TypeError:
                raise InvalidValueError("n", N_("a whole number of working days"), n) from None
        if n > 0:
            k = self._cum[i] + n - 1
        elif n == 0:
            return d if d.__class__ is date else date.fromordinal(i + self._o0)
        else:
            k = self._cum[i] - self._bits[i] + n
        try:
            if k < 0:
                raise IndexError
            return date.fromordinal(self._pos[k] + self._o0)
        except IndexError:
            raise CalendarRangeError(
                words(
                    N_("n: {n} working days from {day} lands outside the compiled range {first}..{last}"),
                    n=n,
                    day=d,
                    first=self.first,
                    last=self.last,
                )
            ) from None

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days ``d`` with ``start < d <= end`` (negative when ``end < start``)."""
        return self._cum[self._index(end, "end")] - self._cum[self._index(start, "start")]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def roll_forward(self, d: date) -> date:
        """``d`` when it is a working day, else the next working day (Civil Code 2015 Điều 148.5)."""
        i = self._index(d)
        if self._bits[i]:
            return d if d.__class__ is date else date.fromordinal(i + self._o0)
        return self.add_working_days(d, 1)

    def is_projected(self, d: date) -> bool:
        """True when the public-sector schedule of ``d``'s year is not announced (statutory days only, no swaps)."""
        self._index(d)
        return self.last_announced_year is None or d.year > self.last_announced_year

    def day_kind(self, d: date) -> DayKind:
        """``working``, ``make_up`` (a make-up day that would otherwise be off), ``weekend`` or ``day_off``."""
        i = self._index(d)
        weekly = self.weekmask[d.weekday()] == "1"
        if self._bits[i]:
            return "working" if weekly else "make_up"
        return "weekend" if weekly is False and d not in self._notes_off else "day_off"

    def describe_day(self, d: date, *, lang: str | None = None) -> str:
        """A short phrase for traces: ``a make-up working day (Tết Dương lịch 2026, 12729/VPCP-KGVX …)``, in
        ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese; see :func:`day_note`)."""
        code = resolve_lang(lang)
        kind = self.day_kind(d)
        if kind == "make_up":
            note = day_note(d, self._notes_work.get(d, "overlay"), code, self._names_vi)
            return gettext("a make-up working day ({note})", code).format(note=note)
        if kind == "working":
            given = self._notes_work.get(d)
            if given:
                return gettext("a working day ({note})", code).format(note=day_note(d, given, code, self._names_vi))
            return gettext("a working day", code)
        if kind == "weekend":
            return gettext("a weekly rest day", code)
        note = day_note(d, self._notes_off.get(d, "day off"), code, self._names_vi)
        return gettext("a day off ({note})", code).format(note=note)

    def days_off(self, start: date, end: date, *, lang: str | None = None) -> Iterator[tuple[date, str]]:
        """Non-working days ``start <= d <= end`` other than weekly rest days, with their reasons in ``lang``
        (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese; see :func:`day_note`)."""
        code = resolve_lang(lang)
        i, j = self._index(start, "start"), self._index(end, "end")
        for k in range(i, j + 1):
            if not self._bits[k]:
                d = date.fromordinal(k + self._o0)
                if d in self._notes_off:
                    yield d, day_note(d, self._notes_off[d], code, self._names_vi)

    def make_up_days(self, start: date, end: date) -> list[date]:
        """Working days ``start <= d <= end`` that the weekly rule would have off (make-up Saturdays, overlays)."""
        self._index(start, "start")
        self._index(end, "end")
        return sorted(
            d for d in self._notes_work if start <= d <= end and self.weekmask[d.weekday()] == "0" and self._bits[
                d.toordinal() - self._o0]
        )  # fmt: skip

    @property
    def holiday_names_vi(self) -> Mapping[date, str]:
        """The Vietnamese names (``holidays`` ``language="vi"``) of the days off whose reason is ``holidays.VN``'s
        English name, read when the calendar was compiled: :func:`~tthc.calendar.notes.day_note` words a holiday
        with them, without importing ``holidays``."""
        return self._names_vi

    # -- vectorised -------------------------------------------------------------------------------------------

    def _indices(self, dates: npt.ArrayLike, field: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        import numpy as np  # deferred: the batch path alone needs numpy

        try:
            d = np.asarray(dates)
            if d.dtype.kind != "M":
                d = d.astype("datetime64[D]")
        except (TypeError, ValueError, OverflowError):
            raise InvalidValueError(field, N_("an array of dates (datetime64[D])"), dates) from None
        d = d.astype("datetime64[D]")
        nat = np.isnat(d)
        idx = d.astype(np.int64) - (self._o0 - _EPOCH_ORDINAL)
        bad = ((idx < 0) | (idx >= self._n)) & ~nat
        if bad.any():
            first_bad = d.ravel()[np.flatnonzero(bad)[0]]
            raise CalendarRangeError(
                words(
                    N_("{field}: expected dates in {first}..{last} (the compiled range), got {given} ({n} such rows)"),
                    field=field,
                    first=self.first,
                    last=self.last,
                    given=first_bad,
                    n=int(bad.sum()),
                )
            )
        if nat.any():
            idx = np.where(nat, 0, idx)
        return idx, nat

    def _to_dates(self, idx: npt.NDArray[np.int64], nat: npt.NDArray[np.bool_]) -> npt.NDArray[np.datetime64]:
        import numpy as np  # deferred: the batch path alone needs numpy

        out = (idx + (self._o0 - _EPOCH_ORDINAL)).astype("datetime64[D]")
        if nat.any():
            out[nat] = np.datetime64("NaT")
        return out

    def add_working_days_indices(self, idx: npt.NDArray[np.int64], ns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Table indices version of :meth:`add_working_days_many` (inputs already range-checked)."""
        import numpy as np  # deferred: the batch path alone needs numpy

        idx, ns = np.asarray(idx), np.asarray(ns)
        if idx.dtype.kind not in "iu" or ns.dtype.kind not in "iu":
            raise InvalidValueError("idx/ns", N_("arrays of whole numbers"), (idx.dtype, ns.dtype))
        ns = self._bounded(ns)
        if ((idx < 0) | (idx >= self._n)).any():
            raise CalendarRangeError(words(N_("idx: expected table indices in 0..{last}"), last=self._n - 1))
        k = self.cumulative[idx].astype(np.int64) + ns - 1
        nonpos = ns <= 0
        if nonpos.any():
            k = np.where(ns < 0, k + 1 - self.mask[idx], k)
        zero = ns == 0  # zero days from a date is that date, even in a calendar without a working day
        kk = np.where(zero, 0, k)
        if (((kk < 0) | (kk >= len(self.positions))) & ~zero).any():
            raise CalendarRangeError(
                words(
                    N_("ns: some answers lie outside the compiled range {first}..{last}"),
                    first=self.first,
                    last=self.last,
                )
            )
        out = self.positions[kk].astype(np.int64) if len(self.positions) else np.zeros(kk.shape, np.int64)
        if nonpos.any():
            out = np.where(zero, idx, out)
        return out

    def add_working_days_many(self, dates: npt.ArrayLike, ns: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
        """Vectorised :meth:`add_working_days`: element-wise ``add_working_days(dates[i], ns[i])``.

        Args:
            dates: dates (``datetime64[D]`` or anything numpy converts to it); ``NaT`` gives ``NaT``.
            ns: whole numbers, broadcast against ``dates``.

        Returns:
            ``datetime64[D]`` array equal to the scalar path.

        Raises:
            CalendarRangeError: a date or an answer lies outside the compiled range (nothing is answered wrongly).
        """
        import numpy as np  # deferred: the batch path alone needs numpy

        n = np.asarray(ns)
        if n.dtype.kind not in "iu":
            raise InvalidValueError("ns", N_("an array of whole numbers"), ns)
        n = self._bounded(n)
        fast = self._fast_add(dates, n)
        if fast is not None:
            return fast
        idx, nat = self._indices(dates, "dates")
        try:
            idx, n = np.broadcast_arrays(idx, n.astype(np.int64))
        except ValueError:
            raise InvalidValueError(
                "ns", words(N_("an array that broadcasts with dates {shape}"), shape=idx.shape), n.shape
            ) from None
        nat = np.broadcast_to(nat, idx.shape)
        n = np.where(nat, 0, n)
        return self._to_dates(self.add_working_days_indices(idx, n), nat)

    def _bounded(self, n: npt.NDArray[np.integer]) -> npt.NDArray[np.int64]:
        """``n`` as int64, every count beyond the calendar's working days (whose answer lies outside it whatever the
        date) brought to one past that count: no later sum can overflow int64 and wrap round to an index inside
        the tables (``INT64_MAX`` is a common "missing" sentinel; a uint64 above it would read as negative)."""
        import numpy as np  # deferred: the batch path alone needs numpy

        limit = len(self.positions) + 1
        out: npt.NDArray[np.int64]
        if n.size == 0 or (n.max() <= limit and (n.dtype.kind == "u" or n.min() >= -limit)):
            out = n.astype(np.int64, copy=False)  # the common case: two reductions, no copy
        elif n.dtype.kind == "u":
            out = np.minimum(n, np.uint64(limit)).astype(np.int64)
        else:
            out = np.clip(n.astype(np.int64, copy=False), -limit, limit)
        return out

    def _fast_add(self, dates: npt.ArrayLike, n: npt.NDArray[np.integer]) -> npt.NDArray[np.datetime64] | None:
        """The common case (same shapes, n > 0, every date and answer in range) in a few numpy passes."""
        import numpy as np  # deferred: the batch path alone needs numpy

        d = np.asarray(dates)
        if d.dtype != np.dtype("datetime64[D]") or d.shape != n.shape or d.size == 0 or d.ndim != 1:
            return None
        days = d.view(np.int64)
        first = self._o0 - _EPOCH_ORDINAL
        if first < 0 or days.min() < first or days.max() >= first + self._n or n.min() <= 0:
            return None  # NaT is the smallest int64, so it takes the general path too
        cum_minus1_epoch, pos_epoch = self._epoch_tables()
        k = cum_minus1_epoch.take(days)
        k += n
        if k.max() >= len(pos_epoch):
            return None
        result: npt.NDArray[np.datetime64] = pos_epoch.take(k).view("datetime64[D]")
        return result

    def working_days_between_many(self, start: npt.ArrayLike, end: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`working_days_between` (rows with a ``NaT`` give 0; check ``NaT`` yourself)."""
        import numpy as np  # deferred: the batch path alone needs numpy

        a, _ = self._indices(start, "start")
        b, _ = self._indices(end, "end")
        result: npt.NDArray[np.int64] = self.cumulative[b].astype(np.int64) - self.cumulative[a]
        return result

    def is_working_day_many(self, dates: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Vectorised :meth:`is_working_day` (``NaT`` gives False)."""

        idx, nat = self._indices(dates, "dates")
        result: npt.NDArray[np.bool_] = self.mask[idx] & ~nat
        return result

    # -- misc -------------------------------------------------------------------------------------------------

    @property
    def nbytes(self) -> int:
        """Memory held by the compiled tables (the numpy arrays :attr:`mask`, :attr:`cumulative` and
        :attr:`positions` are views of them; the batch path's own tables count once built), in bytes."""
        return int(
            len(self._bits)
            + self._cum.itemsize * len(self._cum)
            + self._pos.itemsize * len(self._pos)
            + sum(a.nbytes for a in self._arrays.values())
            + self._time.nbytes
        )

    def with_overlay(
        self,
        *,
        extra_days_off: Mapping[date, str] | Iterable[date] = (),
        extra_working_days: Mapping[date, str] | Iterable[date] = (),
        office_hours: OfficeHours | DatedOfficeHours | None = None,
    ) -> WorkingCalendar:
        """A new calendar with extra days off / working days (e.g. a provincial closure) on top of this one.

        ``office_hours`` replaces the hours (constant or by date); None keeps this calendar's.

        Raises:
            ConflictError: a day is in both overlays, or an office-hours override falls on a day that is not a
                working day.
        """
        off = _as_notes(extra_days_off, "extra day off (overlay)")
        work = _as_notes(extra_working_days, "extra working day (overlay)")
        _check_overlay_conflicts(off, work)
        mask = bytearray(self._bits)
        notes_off = dict(self._notes_off)
        notes_work = dict(self._notes_work)
        kinds = dict(self._off_kinds)
        names_vi = dict(self._names_vi)  # an overlaid day's reason is the user's: its holiday name goes with it
        for d, reason in off.items():
            mask[self._index(d, "extra_days_off")] = 0
            notes_off[d] = reason
            notes_work.pop(d, None)
            kinds[d] = "user_day_off"
            names_vi.pop(d, None)
        for d, reason in work.items():
            mask[self._index(d, "extra_working_days")] = 1
            notes_work[d] = reason
            notes_off.pop(d, None)
            kinds.pop(d, None)
            names_vi.pop(d, None)
        return WorkingCalendar._from_mask(
            self.first,
            bytes(mask),
            self.last_announced_year,
            self.weekmask,
            self._hours if office_hours is None else DatedOfficeHours.of(office_hours),
            f"{self.description} + overlay" if (off or work) else self.description,
            notes_off,
            notes_work,
            kinds,
            names_vi,
        )

    def _repr_pretty_(self, printer: _TextPrinter, cycle: bool) -> None:
        # pretty printers (hypothesis' falsifying examples, IPython) would otherwise walk the compiled tables
        printer.text(repr(self))

    def __repr__(self) -> str:
        proj = f", projected after {self.last_announced_year}" if self.last_announced_year else ", all projected"
        return (
            f"<working calendar {self.description}: {self.first.isoformat()}..{self.last.isoformat()}, "
            f"weekmask {self.weekmask}{proj}>"
        )


def _read_only(arr: npt.NDArray[T]) -> npt.NDArray[T]:
    """``arr`` marked read-only: a view of a calendar's own table is never written through."""
    arr.flags.writeable = False
    return arr


def _as_notes(days: Mapping[date, str] | Iterable[date], default: str) -> dict[date, str]:
    items = list(days.items()) if isinstance(days, Mapping) else [(d, default) for d in days]
    out: dict[date, str] = {}
    for d, reason in items:
        if not isinstance(d, date) or isinstance(d, datetime):
            raise InvalidValueError("overlay", N_("datetime.date values"), d)
        out[d] = str(reason)
    return out


def _check_overlay_conflicts(off: Mapping[date, str], work: Mapping[date, str]) -> None:
    both = sorted(set(off) & set(work))
    if both:
        raise ConflictError(
            words(
                N_(
                    "overlay: {day} is both an extra day off and an extra working day; expected each day in one "
                    "overlay only ({n} such days)"
                ),
                day=both[0],
                n=len(both),
            )
        )


def public_sector_calendar(
    *,
    culture_day: bool = True,
    extra_days_off: Mapping[date, str] | Iterable[date] = (),
    extra_working_days: Mapping[date, str] | Iterable[date] = (),
    weekmask: str = "1111100",
    office_hours: OfficeHours | DatedOfficeHours | None = None,
    schedule: ScheduleFile | str | Path | None = None,
    first_year: int = 2000,
    last_year: int = 2100,
) -> WorkingCalendar:
    """The Vietnamese public-sector working calendar (the default one is compiled once and cached).

    Args:
        culture_day: keep Ngày Văn hóa Việt Nam (24 Nov, from 2026) as a day off, as ``holidays`` ≥ 0.108 has it
            (Nghị quyết 80-NQ/TW; the Labour Code amendment was pending — [open]).
        extra_days_off: a provincial closure etc. (dates, or a mapping date → reason).
        extra_working_days: extra working days (dates, or date → reason). A day in both overlays raises
            :class:`~tthc.errors.ConflictError`.
        weekmask: seven ``0``/``1`` characters, Monday first.
        office_hours: the office's sessions and Saturday reception (default 07:30–11:30, 13:00–17:00), or its
            hours by date (:class:`~tthc.calendar.office_hours.DatedOfficeHours`, e.g.
            ``load_office_hours("example-northern-winter")``): working time and :meth:`WorkingCalendar.schedule`
            use the hours in force on each day.
        schedule: a schedule file (path or loaded :class:`~tthc.calendar.schedule.ScheduleFile`) replacing ours.
        first_year, last_year: the compiled range (inclusive). Years before 2000 are refused: the Mon–Fri week
            of the public sector dates from October 1999; so are years after the last one ``holidays.VN`` knows
            (2100), which would have no holiday.

    Raises:
        ConflictError: contradicting overlays or schedule entries; an office-hours override on a day off.
        DataFileError: the schedule file cannot be read or validated.
    """
    off = _as_notes(extra_days_off, "extra day off (overlay)")
    work = _as_notes(extra_working_days, "extra working day (overlay)")
    _check_overlay_conflicts(off, work)
    if schedule is not None:
        # the schedule's pydantic models are loaded only when a schedule is given or compiled: the usual start reads
        # the compiled days from the cache and never imports pydantic (tests/cli/test_startup.py)
        from tthc.calendar.schedule import ScheduleFile, load_schedule

        if isinstance(schedule, str | Path):
            schedule = load_schedule(schedule)
        elif not isinstance(schedule, ScheduleFile):
            raise InvalidValueError("schedule", N_("a schedule file path or a loaded ScheduleFile, or None"), schedule)
    if schedule is None:
        base = _cached_calendar(culture_day, weekmask, first_year, last_year)
    else:
        base = _build(schedule, culture_day, weekmask, first_year, last_year)
    if off or work or office_hours is not None:
        return base.with_overlay(extra_days_off=off, extra_working_days=work, office_hours=office_hours)
    return base


@cache
def _cached_calendar(culture_day: bool, weekmask: str, first_year: int, last_year: int) -> WorkingCalendar:
    # the compiled days are also cached on disk (tthc.calendar.cache): a new process maps them instead of importing
    # holidays and compiling a century again
    key = _disk_key(culture_day, weekmask, first_year, last_year)
    days = load_days(key)
    if days is not None:
        return WorkingCalendar._from_mask(
            days.first,
            days.mask,
            days.last_announced_year,
            weekmask,
            DatedOfficeHours.of(None),
            days.description,
            dict(days.notes_off),
            dict(days.notes_work),
            dict(days.off_kinds),
            dict(days.names_vi),
        )
    from tthc.calendar.schedule import load_schedule

    cal = _build(load_schedule(None), culture_day, weekmask, first_year, last_year)
    compiled = (cal.first, cal._bits, cal._notes_off, cal._notes_work, cal._off_kinds, cal.last_announced_year)
    store_days(key, CompiledDays(*compiled, cal.description, cal._names_vi))
    return cal


def _disk_key(culture_day: bool, weekmask: str, first_year: int, last_year: int) -> dict[str, object]:
    """Everything the compiled days of the bundled schedule depend on (the cache adds its format and our version)."""
    return {
        "schedule": file_digest(bundled_path("public_sector_schedule.json")),
        "holidays": _holidays_version(),
        # the code that compiles the days (and words their notes): a changed module is a new key while developing
        "code": file_digest(__file__, _SCHEDULE_MODULE, _references_module.__file__),
        "culture_day": culture_day,
        "weekmask": weekmask,
        "first_year": first_year,
        "last_year": last_year,
    }


def _holidays_version() -> str:
    """The installed ``holidays`` version, read without importing it (importing it is what the cache saves)."""
    from importlib.util import find_spec  # deferred: only for the disk cache

    # the dist-info folder beside the package names the version ("holidays-0.86.dist-info"): reading it spares every
    # warm start importing importlib.metadata (as long as starting takes otherwise); anything unusual asks it
    spec = find_spec("holidays")
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
        if len(found) == 1:
            return found[0].name.removeprefix("holidays-").removesuffix(".dist-info")
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        # the header of METADATA, not ``version()``: that parses the whole file (the README) with the email parser
        head = (distribution("holidays").read_text("METADATA") or "").partition("\n\n")[0]
    except PackageNotFoundError:
        return "unknown"
    found_version = _METADATA_VERSION.search(head)
    return found_version[1] if found_version else "unknown"


_METADATA_VERSION = re.compile(r"^Version:\s*(\S+)", re.MULTILINE)


def _build(
    schedule: ScheduleFile, culture_day: bool, weekmask: str, first_year: int, last_year: int
) -> WorkingCalendar:
    import holidays  # deferred: building the calendar is the only place that needs it

    # holidays.VN knows no day after its end year (2100): a later year would be compiled without a single holiday
    end: int = holidays.country_holidays("VN").end_year
    years_ok = isinstance(first_year, int) and isinstance(last_year, int)
    if not (years_ok and 2000 <= first_year <= last_year <= end):
        raise InvalidValueError(
            "first_year/last_year",
            words(N_("2000 <= first_year <= last_year <= {end}"), end=end),
            (first_year, last_year),
        )
    last_announced = schedule.last_announced_year
    years = range(first_year - 1, last_year + 2)
    vn = holidays.country_holidays("VN", years=years, language="en_US")
    days_off: dict[date, str] = {}
    working: dict[date, str] = {}
    kinds: dict[date, OffKind] = {}
    paired: set[date] = set()
    from_vn: dict[date, str] = {}  # the days off whose reason is holidays.VN's name, as written here
    for d, name in sorted(vn.items()):
        if name.startswith(_SUBSTITUTED):
            make_up = _substituted_from(name)
            if make_up is not None:
                paired.add(make_up)
            if last_announced is None or d.year > last_announced or schedule.lists_swap(d, make_up):
                continue  # projected years have no swaps; a listed occasion's swaps come from the file
            days_off[d], kinds[d] = f"{name} [holidays.VN swap]", "swap"
            from_vn[d] = days_off[d]
            if make_up is not None:
                working[make_up] = f"make-up working day for {d.isoformat()} [holidays.VN swap]"
            continue
        if name.startswith(_CULTURE_DAY):
            if not culture_day:
                continue
            name = f"{name} (Ngày Văn hóa Việt Nam, Nghị quyết 80-NQ/TW) [open]"
        days_off[d], kinds[d] = name, "holiday"
        from_vn[d] = name
    for d in getattr(vn, "weekend_workdays", ()):
        if d not in paired and last_announced is not None and d.year <= last_announced:
            working[d] = "make-up working day [holidays.VN swap]"  # a label we could not pair: keep the day
    for occ in schedule.occasions:
        for d in occ.off_days():
            working.pop(d, None)
            days_off[d], kinds[d] = occ.describe(), "holiday"
        if occ.swapped_weekday_off is not None:
            d = occ.swapped_weekday_off
            days_off[d], kinds[d] = f"swapped weekday off, {occ.describe()}", "swap"
    for occ in schedule.occasions:
        for d in occ.make_up_working_days:
            days_off.pop(d, None)
            kinds.pop(d, None)
            working[d] = occ.describe()
    # their Vietnamese names, read now (holidays is imported anyway) so that a Vietnamese trace need not import it
    vi = holidays.country_holidays("VN", years=years, language="vi")
    names_vi = {d: vi[d] for d, note in from_vn.items() if days_off.get(d) == note and d not in working and d in vi}
    return WorkingCalendar.compile(
        first=date(first_year, 1, 1),
        last=date(last_year, 12, 31),
        days_off=days_off,
        working_days=working,
        weekmask=weekmask,
        last_announced_year=last_announced,
        description="public sector (holidays.VN + public_sector_schedule.json)"
        + ("" if culture_day else ", without 24 Nov"),
        off_kinds=kinds,
        names_vi=names_vi,
    )


def _substituted_from(label: str) -> date | None:
    """The make-up day named in a ``holidays.VN`` swap label (``Day off (substituted from 02/14/2015)``)."""
    m = _SUBSTITUTED_FROM.search(label)
    if m is None:
        return None
    try:
        return date(int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        return None


def weekday_name(d: date) -> str:
    """``Mon`` … ``Sun``."""
    return _WEEKDAYS[d.weekday()]
