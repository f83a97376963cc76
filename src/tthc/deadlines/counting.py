"""Counting rules (how time is counted) and their compiled per-office plan.

Defaults come from ``counting_rules.json`` (each with its legal source) and are switchable through
:class:`CountingRules`. See :mod:`tthc.deadlines.compute` for the engine that uses them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

import attrs

from tthc.calendar.working_calendar import OfficeHours
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel
from tthc.foundation.data_files import load_json
from tthc.foundation.references import LegalReference

__all__ = [
    "VN_TZ",
    "CountingRules",
    "DueInstant",
    "MonthEnd",
    "UnknownUnitPolicy",
    "counting_references",
    "to_local",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam time (UTC+7, no daylight saving since 1975)."""


class DueInstant(enum.StrEnum):
    """When on the last day a period ends."""

    END_OF_OFFICE_HOURS = "end_of_office_hours"  # default: the close of the last session (domain.md §3)
    END_OF_DAY = "end_of_day"  # 23:59:59.999999, the literal reading of BLDS 2015 Điều 148.1


class MonthEnd(enum.StrEnum):
    """A month period starting on a day the last month lacks (31 Jan + 1 month)."""

    CLAMP = "clamp"  # the last day of that month (BLDS 2015 Điều 148) — default
    NEXT_DAY = "next_day"  # the first day of the following month


class UnknownUnitPolicy(enum.StrEnum):
    """What to do with a bare number whose unit is not stated (``TimeUnit.UNKNOWN_UNIT``)."""

    RAISE = "raise"  # default: InvalidValueError naming the processing time
    NO_DUE_DATE = "no_due_date"  # a DueDate with due_at None and the reason


@cache
def counting_references() -> dict[str, LegalReference]:
    """The legal reference of each counting convention (from ``counting_rules.json``)."""
    raw = load_json("counting_rules.json")
    return {k: LegalReference.model_validate(v["reference"]) for k, v in raw.items() if isinstance(v, dict)}


@cache
def _default_times() -> tuple[time, time | None]:
    raw = load_json("counting_rules.json")
    online = raw["online_cutoff"]["time"]
    return time.fromisoformat(raw["receipt_cutoff"]["time"]), (time.fromisoformat(online) if online else None)


def _default_cutoff() -> time:
    return _default_times()[0]


def _default_online_cutoff() -> time | None:
    return _default_times()[1]


@attrs.frozen(slots=True)
class CountingRules:
    """How time is counted. Defaults follow domain.md §3; each is switchable.

    Attributes:
        cutoff: receipt cut-off for direct and postal dossiers (default 15:00, NĐ 61/2018 Điều 18.2); a dossier
            received at or after it counts from the next working day.
        online_cutoff: cut-off for online dossiers ([open]; default the same 15:00); ``None`` means online dossiers
            received any time within office hours count that day.
        receipt_day_counted: count the receipt day as day 1 (default False, BLDS 2015 Điều 147.2).
        due_instant: end of office hours (default) or end of day (BLDS 2015 Điều 148.1).
        month_end: clamp to the month end (default) or the first day of the next month.
        roll_to_working_day: for calendar days and months, move a non-working last day to the next working day
            (default True, BLDS 2015 Điều 148.5).
        saturday_receipt_counts: when the office receives on Saturday morning (:class:`OfficeHours`), make that
            Saturday the receipt day (counting starts on the next working day) instead of counting from the next
            working day's opening (default False, [open]).
        office_hours: the sessions; None uses the calendar's (:attr:`WorkingCalendar.office_hours`).
        unknown_unit: a bare number with no unit raises (default) or gives no due date.
    """

    cutoff: time = attrs.field(factory=_default_cutoff)
    online_cutoff: time | None = attrs.field(factory=_default_online_cutoff)
    receipt_day_counted: bool = False
    due_instant: DueInstant = DueInstant.END_OF_OFFICE_HOURS
    month_end: MonthEnd = MonthEnd.CLAMP
    roll_to_working_day: bool = True
    saturday_receipt_counts: bool = False
    office_hours: OfficeHours | None = None
    unknown_unit: UnknownUnitPolicy = UnknownUnitPolicy.RAISE

    def cutoff_for(self, channel: Channel) -> time | None:
        return self.online_cutoff if channel is Channel.ONLINE else self.cutoff


# -- the plan: office hours and cut-offs as seconds of the day, cached per (rules, office hours) -----------------


@attrs.frozen(slots=True)
class _Plan:
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    cum_ends: tuple[int, ...]  # working seconds at the end of each session
    opening: int
    opening_time: time
    closing: int
    per_day: int
    cut: dict[Channel, int]
    cut_direct: int  # = cut[DIRECT] = cut[POSTAL]; plain attributes keep enum hashing off the hot path
    cut_online: int
    due_time: time
    due_seconds: int
    saturday: tuple[tuple[int, int], ...]

    def worked_before(self, s: int) -> int:
        """Working seconds elapsed in the day up to second ``s``."""
        total = 0
        for a, b in zip(self.starts, self.ends, strict=True):
            if s <= a:
                break
            total += min(s, b) - a
        return total

    def instant_at(self, w: int) -> int:
        """The earliest second of the day at which ``w`` working seconds (0 < w <= per_day) have elapsed."""
        prev = 0
        for a, c in zip(self.starts, self.cum_ends, strict=True):
            if w <= c:
                return a + (w - prev)
            prev = c
        return self.closing

    def next_session_start(self, s: int) -> int:
        """``s`` when inside a session, else the start of the next session (``s`` is before the cut-off)."""
        for a, b in zip(self.starts, self.ends, strict=True):
            if s < a:
                return a
            if s < b:
                return s
        return self.closing


_PLANS: dict[tuple[int, int], tuple[CountingRules, OfficeHours, _Plan]] = {}


def _sec(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


_LAST_PLAN: list[tuple[CountingRules, OfficeHours, _Plan]] = []


def _plan(rules: CountingRules, hours: OfficeHours) -> _Plan:
    if _LAST_PLAN:
        last = _LAST_PLAN[0]
        if last[0] is rules and last[1] is hours:
            return last[2]
    plan = _plan_lookup(rules, hours)
    _LAST_PLAN[:] = [(rules, hours, plan)]
    return plan


def _plan_lookup(rules: CountingRules, hours: OfficeHours) -> _Plan:
    key = (id(rules), id(hours))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is rules and hit[1] is hours:
        return hit[2]
    starts = tuple(_sec(a) for a, _ in hours.sessions)
    ends = tuple(_sec(b) for _, b in hours.sessions)
    cum: list[int] = []
    total = 0
    for a, b in zip(starts, ends, strict=True):
        total += b - a
        cum.append(total)
    closing = ends[-1]
    cut = {}
    for ch in Channel:
        c = rules.cutoff_for(ch)
        cut[ch] = closing if c is None else min(_sec(c), closing)
    if rules.due_instant is DueInstant.END_OF_DAY:
        due_time, due_seconds = time.max, 86400
    else:
        due_time, due_seconds = hours.closing, closing
    plan = _Plan(
        starts,
        ends,
        tuple(cum),
        starts[0],
        hours.opening,
        closing,
        total,
        cut,
        cut[Channel.DIRECT],
        cut[Channel.ONLINE],
        due_time,
        due_seconds,
        tuple((_sec(a), _sec(b)) for a, b in hours.saturday_reception),
    )
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[key] = (rules, hours, plan)
    return plan


def to_local(value: datetime | date | str, field: str = "received_at") -> datetime:
    """A naive Vietnam-local datetime: naive input is taken as local, aware input is converted.

    A ``date`` alone becomes 00:00 of that day (before opening, so it counts from the day's first session).
    ISO text is accepted.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValueError(field, "an ISO date-time such as '2026-11-20 16:30'", value) from None
    if isinstance(value, datetime):
        tz = value.tzinfo
        if tz is None:
            return value
        try:
            return value.astimezone(VN_TZ).replace(tzinfo=None)
        except (TypeError, ValueError, AttributeError):
            raise InvalidValueError(field, "a datetime whose tzinfo is a time zone", value) from None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise InvalidValueError(field, "a datetime (naive = Vietnam time), a date or ISO text", value)


@cache
def _time_of(s: int) -> time:
    return time(s // 3600, s % 3600 // 60, s % 60) if s < 86400 else time.max


_DEFAULT_RULES = CountingRules()
