"""What a receipt's era and channel decide, and the usual call of :func:`~tthc.deadlines.compute_due` straight through.

* **the context** (:func:`_context`): the counting rules, whether the office hours change by date, the plan of the
  hours (seconds of the day) and the references a trace cites — what the general path reads, memoised per era of
  receipt dates and channel in the calendar's memo (it goes with the calendar).
* **the usual call** (:func:`_straight`): a naive receipt, a whole number of working days or hours, the default rules of
  the receipt's era, no reductions, no procedure, no profile, office hours that do not change by date — what a slip, a
  portal or a loop over a register asks. Its answer is computed on day indices and seconds from tables built once per
  calendar (:func:`_tables`): per era and channel the slot of each second of the day (before or inside which session)
  and the session of each office second, read as one index of a byte string each; and, filled as they are first read,
  per channel and receipt day what that day decides (worked or not, its position among the working days, the next
  working day and its opening, that day's session starts, the era's tables: :func:`_day`), the aware midnight of each
  due day by its position among the working days (:func:`_midnight`), and per plan of hours the due time of each office
  second of the day (:func:`_dues`) — the due instant is that midnight plus that time. The time before reductions and
  the office seconds of each whole number of hours are read from one table per calendar. One subtraction gives the day
  index and the second of the day. The trace of the :class:`~tthc.deadlines.compute.DueDate` is the general path's,
  computed when first read (``DueDate._trace``, which also checks that both paths give the same answer). Anything else —
  and every edge where the general path raises — returns None and the general path answers.
  ``tests/deadlines/test_scalar_fast_paths.py`` compares both over random receipts (both sides of the cut-off, of every
  session bound and of every session's close for the due second, the 1 Jul 2025 switch, Tết, swaps, make-up Saturdays,
  every channel, other constant office hours).

No cache here is keyed on a receipt instant: the memo entries are per calendar, era, channel and day of the calendar
(at most :data:`_DAYS_KEPT` days each, then they start again), per whole amount (at most the calendar's largest
amount answered here) and per office second of a plan's day.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from functools import cache

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.deadlines import counting
from tthc.deadlines.counting import (
    VN_TZ,
    CountingRules,
    _Plan,
    _plan,
    _switch_days,
    counting_references,
    counting_rule,
)
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.deadlines.reductions import EffectiveTime
from tthc.foundation.channels import Channel
from tthc.foundation.references import LegalReference

_ONLINE, _POSTAL = Channel.ONLINE, Channel.POSTAL
_WORKING_DAYS, _WORKING_HOURS = TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS
_combine, _fromordinal = datetime.combine, date.fromordinal

_REF_KEYS = ("receipt_cutoff", "receipt_day_not_counted", "due_at_end_of_office_hours")


def _era_day(era: int) -> date:
    return _switch_days()[era - 1] if era > 0 else date.min


_Context = tuple[CountingRules, bool, _Plan, tuple[LegalReference, ...]]
"""What a due date's receipt era and channel decide: the rules, whether office hours change by date, the plan of the
rules' (or the calendar's) hours, and the references the trace cites."""

_CONTEXT = "compute_due context"  # its key in the calendar's memo: one per era and channel, kept with the calendar


def _context(cal: WorkingCalendar, rules: CountingRules, era: int, channel: Channel) -> _Context:
    # the rules' office hours win; else the calendar's, which may change by date (then each day's: the receipt
    # day's for the cut-off and the session start, the next working day's opening, the due day's close)
    dated = rules.office_hours is None and not cal.dated_hours.is_constant
    return rules, dated, _plan(rules, rules.office_hours or cal.office_hours), _refs(era, channel is _POSTAL)


@cache
def _refs(era: int, postal: bool) -> tuple[LegalReference, ...]:
    """The references of a due date received in ``era``: the cut-off version in force first (the trace cites it),
    then the Civil Code rules, then the postal handover version for a postal dossier."""
    day = _era_day(era)
    table = counting_references()
    refs = [counting_rule("receipt_cutoff", day).reference]
    refs += [table[k] for k in _REF_KEYS[1:] if k in table]
    if postal:
        refs.append(counting_rule("postal_handover", day).reference)
    return tuple(refs)


_USUAL = "compute_due straight"  # its key in the calendar's memo, kept with the calendar

_Usual = tuple[
    int,  # the cut-off of the channel, seconds of the day
    bytes,  # per second of the day, its slot: 2j before session j, 2j + 1 inside it
    "tuple[time | None, ...]",  # per slot, the session start a receipt there counts from (None: in a session)
    "tuple[int, ...]",  # per slot, the office seconds of the day before it (in a session: minus the session's start)
    time,  # the opening
    int,  # office seconds per day
    "list[timedelta | None]",  # per office second of the day (from 0), the due time from midnight (see _dues)
    bytes,  # per office second of the day (from 0), its session
    "tuple[int, ...]",  # per session, its start minus the office seconds before it, plus 1 (see _due_time)
    timedelta,  # the due time of a count in working days, from midnight
    int,  # 1 when the receipt day counts as day 1
    "tuple[LegalReference, ...]",  # the references
]

_Straight = tuple[datetime, "_Facts"]
"""The due instant (aware) and the facts of its :class:`~tthc.deadlines.compute.DueDate`."""

_Facts = tuple[
    datetime,  # the receipt instant, Vietnam local time (naive)
    "datetime | None",  # the effective receipt instant, local
    "date | None",  # counted_from
    ProcessingTime,
    EffectiveTime,
    bool,  # projected
    "str | None",  # reason
    "tuple[LegalReference, ...]",  # rules_applied
]
"""What a :class:`~tthc.deadlines.compute.DueDate` holds besides its due instant, calendar and trace, compared in this
order for equality."""

_Day = tuple[
    int,  # the channel's cut-off when the day is worked, else -1 (a receipt that day counts from the next one)
    int,  # the day's position among the working days (when it is one)
    date,  # the day
    "tuple[int, date, datetime] | None",  # the next working day's position, date and opening (naive); None: none
    bytes,  # the slot of each second of the day (the era's)
    "tuple[datetime | None, ...]",  # per slot, the session start that day a receipt there counts from (naive)
    "tuple[int, ...]",  # then the era's _Usual from its office seconds before each slot: ...
    int,
    "list[timedelta | None]",
    bytes,
    "tuple[int, ...]",
    timedelta,
    int,
    "tuple[LegalReference, ...]",
]
"""What a receipt on one day through one channel reads (see :func:`_day`)."""

_Tables = tuple[
    datetime,  # the first midnight of the calendar (naive)
    "dict[str, dict[int, _Day | None]]",  # per channel, the receipt days seen (see _day)
    int,  # the position of the last working day of the last announced year (later due days are projected)
    "dict[int, tuple[EffectiveTime, int]]",  # per whole number of working hours: the time before reductions, its
    # office seconds minus one (the due instant is the end of the office second reached)
    "dict[int, EffectiveTime]",  # per whole number of working days: the time before reductions
    int,  # the largest amount answered here
    "dict[int, datetime]",  # the aware midnight of each working day seen as a due day, by position (see _midnight)
    "dict[str, tuple[_Usual | None, ...]]",  # per channel and era of receipt dates (None: the general path answers)
    "tuple[int, ...]",  # the switch days of the rules, day indices
]

_MOST_SESSIONS = 127
"""The most sessions a day's hours may have for the straight path: it keeps the slot of each second of the day in a
byte (``2 * sessions + 1`` slots). Hours cut finer (appointment slots of a few minutes) are answered by the general
path."""

_DAYS_KEPT = 4096
"""Days kept per channel (receipt days) and for the due days before the memo starts again: eleven years of a
register; a day's entry costs about 0.3 kB."""


def _usual_of(plan: _Plan, cut: int, shift: int, refs: tuple[LegalReference, ...]) -> _Usual:
    """What the straight path reads for one era and channel, from the plan of its hours (seconds of the day)."""
    bounds: list[int] = []
    froms: list[time | None] = []
    before: list[int] = []
    for a, done_before, done in plan.steps:
        bounds += [a, a + done - done_before]
        froms += [_time_of_second(a), None]  # before the session: its start; inside: the receipt itself
        before += [done_before, done_before - a]
    # the due second of the day of office second ``rem + 1`` (0 <= rem < per_day) is ``rem + shifts[session]``
    shifts = tuple(a - done_before + 1 for a, done_before, _ in plan.steps)
    t = plan.due_time
    due = timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)
    return (cut, _runs((0, *bounds, 86400)), tuple(froms), tuple(before), plan.opening_time, plan.per_day,
            _dues(plan.steps), _runs((0, *plan.cum_ends)), shifts, due, shift, refs)  # fmt: skip


@cache
def _runs(edges: tuple[int, ...]) -> bytes:
    """``k`` for each of ``edges[k] <= x < edges[k + 1]``: what ``bisect_right(edges[1:-1], x)`` gives, read as one
    index of a byte string instead of a call (kept per plan: 86 kB for the seconds of a day)."""
    return b"".join(bytes((k,)) * (b - a) for k, (a, b) in enumerate(itertools.pairwise(edges)))


@cache
def _dues(steps: tuple[tuple[int, int, int], ...]) -> list[timedelta | None]:
    """Per office second of a day of these sessions, the due time (from midnight) of a count that ends on it, filled
    as first read (:func:`_due_time`): one index instead of a session look-up, a sum and a ``timedelta`` built per
    call. One list per plan of hours (shared by its eras, channels and calendars), at most one entry per office
    second of the day (28,800 with the default hours, ≈ 1.4 MB when every one has been read)."""
    return [None] * steps[-1][2]


def _due_time(dues: list[timedelta | None], rem: int, sessions: bytes, shifts: tuple[int, ...]) -> timedelta:
    """The due time of office second ``rem + 1`` of the day, kept in ``dues``."""
    due = dues[rem] = timedelta(seconds=rem + shifts[sessions[rem]])
    return due


def _time_of_second(s: int) -> time:
    return time(s // 3600, s % 3600 // 60, s % 60)


def _tables(cal: WorkingCalendar) -> _Tables:
    """The tables of the straight path for ``cal``, built once and kept in its memo (see :data:`_Tables`)."""
    by_channel: dict[str, tuple[_Usual | None, ...]] = {}
    for channel in Channel:
        contexts: list[_Usual | None] = []
        for era in range(len(_switch_days()) + 1):
            # the rules of the era read through their module: one place says which rules are in force
            rules, dated, plan, refs = _context(cal, counting._rules_of_era(era), era, channel)
            if (
                dated
                or rules.saturday_receipt_counts
                or rules.day_as_working_hours
                or rules.round_due_up_minutes
                or len(plan.steps) > _MOST_SESSIONS
            ):
                contexts.append(None)
            else:
                cut = plan.cut_online if channel is _ONLINE else plan.cut_direct  # at most the close (the plan's)
                contexts.append(_usual_of(plan, cut, 1 if rules.receipt_day_counted else 0, refs))
        by_channel[channel._value_] = tuple(contexts)
    switches = tuple(d.toordinal() - cal._o0 for d in _switch_days())
    year = cal.last_announced_year
    last = -1 if year is None else date(year, 12, 31).toordinal() - cal._o0
    # a due day at position k is projected when k > the position of the last working day on or before ``last``
    last_k = cal._cum[min(last, cal._n - 1)] - 1 if last >= 0 else -1
    base = datetime.combine(cal.first, time())
    days: dict[str, dict[int, _Day | None]] = {c: {} for c in by_channel}
    entry: _Tables = (base, days, last_k, {}, {}, cal._n // 28, {}, by_channel, switches)
    cal._memo[_USUAL] = entry
    return entry


def _day(cal: WorkingCalendar, channel: Channel, i: int) -> _Day | None:
    """What a receipt on day index ``i`` through ``channel`` reads, kept per calendar and channel; None when the
    general path answers (outside the calendar, or rules the straight path does not follow)."""
    base, days, _, _, _, _, _, by_channel, switches = cal._memo.get(_USUAL) or _tables(cal)
    if not 0 <= i < cal._n:
        return None
    usual = by_channel[channel._value_][bisect_right(switches, i)]
    if usual is None:
        day = None
    else:
        cut, slots, froms, before, opening_time, *rest = usual
        the_day = _fromordinal(base.toordinal() + i)
        q = cal._cum[i]  # the next working day's position
        nxt = None
        if q < len(cal._pos):
            opening = _combine(_fromordinal(base.toordinal() + cal._pos[q]), opening_time)
            nxt = q, opening.date(), opening
        starts = tuple(None if t is None else _combine(the_day, t) for t in froms)  # that day's session starts
        day = (cut if cal._bits[i] else -1, q - 1, the_day, nxt, slots, starts, before, *rest)
    kept = days[channel._value_]
    if len(kept) >= _DAYS_KEPT:
        kept.clear()
    kept[i] = day
    return day


def _midnight(cal: WorkingCalendar, mids: dict[int, datetime], k: int) -> datetime | None:
    """The aware midnight of the working day at position ``k``, kept per calendar (see :data:`_DAYS_KEPT`); None past
    the last working day of the calendar."""
    if k >= len(cal._pos):
        return None
    if len(mids) >= _DAYS_KEPT:
        mids.clear()
    at = mids[k] = _combine(_fromordinal(cal._o0 + cal._pos[k]), _MIDNIGHT, VN_TZ)
    return at


_MIDNIGHT = time()


def _straight(local: datetime, pt: ProcessingTime, channel: Channel, cal: WorkingCalendar) -> _Straight | None:
    """The answer of the usual call (see above) but its trace, or None when the general path must answer."""
    try:
        base, days, last_k, hours, whole_days, most, mids, _, _ = cal._memo[_USUAL]
    except KeyError:
        base, days, last_k, hours, whole_days, most, mids, _, _ = _tables(cal)
    amount = pt.amount
    if amount.__class__ is not int:  # 5 and Fraction(5) are one key of the tables below
        return None
    since = local - base  # the day index and the second of the day in one subtraction
    i = since.days
    try:
        day = days[channel._value_][i]
    except KeyError:
        day = _day(cal, channel, i)
    if day is None:
        return None
    cut, p, receipt_day, after, slots, starts, before, per_day, dues, sessions, shifts, day_due, shift, refs = day
    # 1. the effective receipt: its working day's position among the working days, and the office seconds of that
    #    day already elapsed (s < cut <= the close: the receipt is in a session or before one)
    s = since.seconds
    if s < cut:
        slot = slots[s]
        eff = starts[slot]
        if eff is None:  # inside a session: the receipt itself
            eff, done = local, s + before[slot]
        else:
            done = before[slot]
    elif after is None:
        return None
    else:  # the next working day's opening
        p, receipt_day, eff = after
        done = 0
    # 2. the count: the due day's position k and the time of day
    unit = pt.unit
    if unit is _WORKING_HOURS:
        try:
            effective, secs = hours[amount]
        except KeyError:
            if not 0 < amount <= most:
                return None
            effective, secs = hours[amount] = EffectiveTime.of(pt), amount * 3600 - 1
        # office second rem + 1 of the k-th working day (// and % cost less than a call of divmod)
        total = done + secs
        k = p + total // per_day
        rem = total % per_day
        due_in_day = dues[rem] or _due_time(dues, rem, sessions, shifts)  # never 0: a due second follows an opening
    elif unit is _WORKING_DAYS:
        if amount <= shift:  # the receipt day counted as day 1 (another era's rules): the general path
            return None
        try:
            effective = whole_days[amount]
        except KeyError:
            if amount > most:
                return None
            effective = whole_days[amount] = EffectiveTime.of(pt)
        k = p + amount - shift
        due_in_day = day_due
    else:
        return None
    try:
        due_at = mids[k] + due_in_day
    except KeyError:
        midnight = _midnight(cal, mids, k)
        if midnight is None:  # past the calendar: the general path says so
            return None
        due_at = midnight + due_in_day
    return due_at, (local, eff, receipt_day, pt, effective, k > last_k, None, refs)
