"""What a receipt's era and channel decide, and the usual call of :func:`~tthc.deadlines.compute_due` straight through.

* **the context** (:func:`_context`): the counting rules, whether the office hours change by date, the plan of the
  hours (seconds of the day) and the references a trace cites — what the general path reads, memoised per era of
  receipt dates and channel in the calendar's memo (it goes with the calendar).
* **the usual call** (:func:`_straight`): a naive receipt, a whole number of working days or hours, the default rules
  of the receipt's era, no reductions, no procedure, no profile, office hours that do not change by date — what a
  slip, a portal or a loop over a register asks. Its answer is computed on day indices and seconds, with the
  calendar's tables read inline (one subtraction gives the day index and the second of the day; the dates and
  datetimes built are those of the answer): the due instant, the effective receipt instant, the receipt day, whether
  the due day is projected. The trace of the :class:`~tthc.deadlines.compute.DueDate` is the general path's, computed
  when first read (``DueDate._trace``, which also checks that both paths give the same answer). Anything else — and
  every edge where the general path raises — returns None and the general path answers.
  ``tests/deadlines/test_scalar_fast_paths.py`` compares both over random receipts (both sides of the cut-off, the
  1 Jul 2025 switch, Tết, swaps, make-up Saturdays, every channel).

No cache here is keyed on a receipt: the memo entries are per calendar, era and channel.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time
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
    "tuple[tuple[int, int], ...]",  # the sessions (start, end), seconds
    "tuple[tuple[int, int, int], ...]",  # the sessions (start, office seconds before it, at its end)
    int,  # the opening, seconds
    time,  # the opening
    int,  # office seconds per day
    time,  # the due time of a count in working days
    int,  # 1 when the receipt day counts as day 1
    "tuple[LegalReference, ...]",  # the references
]

_Straight = tuple[datetime, datetime, date, bool, "tuple[LegalReference, ...]"]
"""The due instant (aware), the effective receipt instant (naive), the receipt day the count starts after, whether the
due day is projected, and the references."""


def _usual_contexts(
    cal: WorkingCalendar,
) -> tuple[datetime, tuple[int, ...], dict[str, tuple[_Usual | None, ...]], int]:
    """The first midnight of the calendar, the switch days of the rules (day indices), per channel and era of receipt
    dates what the straight path reads (None where the era's default rules need the general path), and the last day
    index of the last announced year (later due days are projected)."""
    by_channel: dict[str, tuple[_Usual | None, ...]] = {}
    for channel in Channel:
        contexts: list[_Usual | None] = []
        for era in range(len(_switch_days()) + 1):
            # the rules of the era read through their module: one place says which rules are in force
            rules, dated, plan, refs = _context(cal, counting._rules_of_era(era), era, channel)
            if dated or rules.saturday_receipt_counts or rules.day_as_working_hours or rules.round_due_up_minutes:
                contexts.append(None)
            else:
                cut = plan.cut_online if channel is _ONLINE else plan.cut_direct
                shift = 1 if rules.receipt_day_counted else 0
                contexts.append(
                    (cut, plan.sessions, plan.steps, plan.opening, plan.opening_time, plan.per_day, plan.due_time,
                     shift, refs)
                )  # fmt: skip
        by_channel[channel._value_] = tuple(contexts)
    switches = tuple(d.toordinal() - cal._o0 for d in _switch_days())
    year = cal.last_announced_year
    last = -1 if year is None else date(year, 12, 31).toordinal() - cal._o0
    entry = cal._memo[_USUAL] = datetime.combine(cal.first, time()), switches, by_channel, last
    return entry


def _straight(local: datetime, pt: ProcessingTime, channel: Channel, cal: WorkingCalendar) -> _Straight | None:
    """The answer of the usual call (see above) but its trace, or None when the general path must answer."""
    amount = pt.amount
    if amount.__class__ is not int or amount > cal._n // 28:
        return None
    base, switches, by_channel, last = cal._memo.get(_USUAL) or _usual_contexts(cal)
    since = local - base  # the day index and the second of the day in one subtraction
    i = since.days
    if not 0 <= i < cal._n:
        return None
    usual = by_channel[channel._value_][bisect_right(switches, i)]
    if usual is None:
        return None
    cut, sessions, walk, opening, opening_time, per_day, day_due, shift, refs = usual
    cum, pos, o0 = cal._cum, cal._pos, cal._o0
    s = since.seconds
    # 1. the effective receipt: day index and second
    if cal._bits[i] and s < cut:
        receipt_i, start, receipt_day = i, s, local.date()
        for a, b in sessions:
            if s < a:
                start = a
                break
            if s < b:
                break
        eff = local if start == s else _combine(receipt_day, time(start // 3600, start % 3600 // 60, start % 60))
    else:  # the next working day's opening
        k = cum[i]
        if k >= len(pos):
            return None
        receipt_i, start = pos[k], opening
        receipt_day = _fromordinal(receipt_i + o0)
        eff = _combine(receipt_day, opening_time)
    # 2. the count
    unit = pt.unit
    if unit is _WORKING_DAYS:
        j = cum[receipt_i] + amount - shift - 1
        if amount <= shift or j >= len(pos):
            return None
        due_i = pos[j]
        return _combine(_fromordinal(due_i + o0), day_due, VN_TZ), eff, receipt_day, due_i > last, refs
    if unit is not _WORKING_HOURS or amount <= 0:
        return None
    total = amount * 3600
    for a, b in sessions:  # plus the office time of the day before the effective receipt
        if start <= a:
            break
        total += (start if start < b else b) - a
    k, rem = divmod(total, per_day)
    if rem == 0:
        k, rem = k - 1, per_day
    due_i = receipt_i
    if k:
        j = cum[receipt_i] + k - 1
        if j >= len(pos):
            return None
        due_i = pos[j]
    for a, before, done in walk:
        if rem <= done:
            at = a + rem - before
            due_at = _combine(_fromordinal(due_i + o0), time(at // 3600, at % 3600 // 60, at % 60), VN_TZ)
            return due_at, eff, receipt_day, due_i > last, refs
    raise AssertionError("unreachable: rem is at most the office time of a day")  # pragma: no cover
