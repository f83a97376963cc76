"""Counting rules (how time is counted) and their compiled per-office plan.

Defaults come from ``counting_rules.json`` (each with its legal source) and are switchable through
:class:`CountingRules`. See :mod:`tthc.deadlines.compute` for the engine that uses them.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, time, timedelta
from functools import cache
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from tthc.calendar.working_calendar import OfficeHours
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import as_day, is_nat
from tthc.foundation.channels import Channel
from tthc.foundation.data_files import load_json, validate_data
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import DateRange, LegalReference, bundled_reference
from tthc.foundation.words import words

__all__ = [
    "VERSIONED_RULES",
    "VN_TZ",
    "CountingRules",
    "DueInstant",
    "MonthEnd",
    "RuleVersion",
    "UnknownUnitPolicy",
    "cite",
    "counting_references",
    "counting_rule",
    "to_local",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam time (UTC+7, no daylight saving since 1975)."""


class DueInstant(TthcStrEnum):
    """When on the last day a period ends."""

    END_OF_OFFICE_HOURS = "end_of_office_hours"  # default: the close of the last session (domain.md §3)
    END_OF_DAY = "end_of_day"  # 23:59:59.999999, the literal reading of BLDS 2015 Điều 148.1


class MonthEnd(TthcStrEnum):
    """A month period starting on a day the last month lacks (31 Jan + 1 month)."""

    CLAMP = "clamp"  # the last day of that month (BLDS 2015 Điều 148) — default
    NEXT_DAY = "next_day"  # the first day of the following month


class UnknownUnitPolicy(TthcStrEnum):
    """What to do with a bare number whose unit is not stated (``TimeUnit.UNKNOWN_UNIT``)."""

    RAISE = "raise"  # default: InvalidValueError naming the processing time
    NO_DUE_DATE = "no_due_date"  # a DueDate with due_at None and the reason


@cache
def counting_references() -> dict[str, LegalReference]:
    """The legal reference of each counting convention (from ``counting_rules.json``)."""
    raw = load_json("counting_rules.json")
    # the bundled file's references, as written (tests/deadlines/test_counting_data.py validates and compares them)
    return {k: bundled_reference(v["reference"]) for k, v in raw.items() if isinstance(v, dict)}


VERSIONED_RULES: tuple[str, ...] = (
    "receipt_cutoff",
    "supplement_request_within",
    "supplement_restart",
    "extension_once",
    "postal_handover",
)
"""The counting conventions whose instrument changes with the receipt date (``versions`` in ``counting_rules.json``):
NĐ 61/2018/NĐ-CP for dossiers received until 30 Jun 2025, NĐ 118/2025/NĐ-CP from 1 Jul 2025."""
_VERSIONED = frozenset(VERSIONED_RULES)


@cache
def _version_row() -> Any:
    """The model of a version row, defined on first use (only the tests validate the bundled file: a start reads it
    as written without importing pydantic)."""
    from pydantic import BaseModel, ConfigDict

    class _VersionRow(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        valid_from: IsoDay | None = None
        valid_until: IsoDay | None = None
        reference: LegalReference
        time: str | None = None
        working_days: int | None = None
        notice_working_days_before: int | None = None
        max_extensions: int | None = None

    return _VersionRow


_ROW_FIELDS = ("valid_from", "valid_until", "time", "working_days", "notice_working_days_before", "max_extensions")


@attrs.frozen(slots=True)
class RuleVersion:
    """One dated version of a counting convention: the instrument in force over ``valid`` (inclusive) and the
    values it sets (``None`` where the convention has no number).

    Attributes:
        key: the convention (``receipt_cutoff``, ``supplement_request_within``, ``supplement_restart``,
            ``extension_once``, ``postal_handover``).
        valid: the receipt dates the version governs (inclusive; open-ended where ``None``).
        reference: the instrument and article (tagged ``[open]`` where the article is not confirmed).
    """

    key: str
    valid: DateRange
    reference: LegalReference
    cutoff: time | None = None
    working_days: int | None = None
    notice_working_days_before: int | None = None
    max_extensions: int | None = None

    def __repr__(self) -> str:
        return f"<{self.key} {self.valid}: {cite(self.reference)}>"


def cite(ref: LegalReference, lang: str | None = None) -> str:
    """A short citation for traces: ``61/2018/NĐ-CP Điều 18.2``, with the tag when it is not ``law``.

    ``lang``: the trace's language, which names a document described in words in that language
    (:meth:`~tthc.foundation.references.LegalReference.document_in`); None cites it as written (a repr, an error).
    """
    text = (ref.document if lang is None else ref.document_in(lang)) + (f" {ref.article}" if ref.article else "")
    return text if ref.tag == "law" else f"{text} [{ref.tag}]"


@cache
def _versions(key: str) -> tuple[RuleVersion, ...]:
    return _read_versions(key, validate=False)


def _read_versions(key: str, *, validate: bool) -> tuple[RuleVersion, ...]:
    """The versions of ``key`` in the bundled ``counting_rules.json``: validated row by row by its model
    (:func:`_version_row`) when ``validate`` (the tests do, and compare), else read as written (the file ships with
    the package)."""
    raw = load_json("counting_rules.json").get(key)
    if not isinstance(raw, dict):
        raise InvalidValueError("rule", words(N_("one of {choices}"), choices=", ".join(VERSIONED_RULES)), key)
    rows = raw.get("versions") or [{"reference": raw["reference"], **{k: raw[k] for k in ("time",) if k in raw}}]
    out = []
    for i, r in enumerate(rows):
        if validate:
            row = validate_data(_version_row(), r, f"counting_rules.json: {key}.versions[{i}]")
        else:
            dates = {k: date.fromisoformat(r[k]) for k in ("valid_from", "valid_until") if r.get(k)}
            row = SimpleNamespace(
                **{**dict.fromkeys(_ROW_FIELDS), **r, **dates, "reference": bundled_reference(r["reference"])}
            )
        out.append(
            RuleVersion(
                key,
                DateRange(row.valid_from, row.valid_until),
                row.reference,
                time.fromisoformat(row.time) if row.time else None,
                row.working_days,
                row.notice_working_days_before,
                row.max_extensions,
            )
        )
    return tuple(sorted(out, key=lambda v: v.valid.start or date.min))


def counting_rule(key: str, on: date) -> RuleVersion:
    """The version of counting convention ``key`` in force for a dossier received on ``on``.

    A date no version covers (before the first instrument) gets the earliest version.

    ``on``: a date; a datetime is taken by its date in Vietnam time.

    Raises:
        InvalidValueError: ``key`` is not one of :data:`VERSIONED_RULES`; ``on`` is not a date.
    """
    if not isinstance(key, str) or key not in _VERSIONED:
        # only the dated conventions: the file is read as written (_versions), so no other record of it may be
        # taken for one (an unhashable key would end in the cache's TypeError)
        raise InvalidValueError("rule", words(N_("one of {choices}"), choices=", ".join(VERSIONED_RULES)), key)
    if on.__class__ is not date:
        on = as_day(on, "on")  # a text or a number would otherwise match no version and get the earliest
    versions = _versions(key)
    for v in versions:
        if on in v.valid:
            return v
    return versions[0]


@cache
def _switch_days() -> tuple[date, ...]:
    """The days on which some versioned convention changes instrument, sorted."""
    days = {v.valid.start for key in VERSIONED_RULES for v in _versions(key) if v.valid.start is not None}
    return tuple(sorted(days))


def _era(on: date) -> int:
    """The index of the stretch of receipt dates (between switch days) ``on`` falls in: same era, same rules."""
    return bisect.bisect_right(_switch_days(), on)


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
        receipt_cutoff: apply the cut-off (default True). False: a dossier received within office hours counts
            from that instant whatever the hour — a portal convention (:mod:`tthc.deadlines.profiles`), not the law.
        day_as_working_hours: count a time in working days as that many working hours per day from the effective
            receipt instant (OpenCPS keeps days as ``8`` hours) instead of to the end of the N-th working day;
            ``None`` (default) is the legal reading (BLDS 2015 Điều 147–148).
        round_due_up_minutes: round a due instant up to the next multiple of this many minutes of the wall clock
            (OpenCPS: 15); ``None`` (default) does not round.

    The default ``cutoff`` is the time of the ``receipt_cutoff`` version in force on the receipt date
    (``counting_rules.json``), when :func:`tthc.deadlines.compute_due` is called without ``rules``.
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
    receipt_cutoff: bool = True
    day_as_working_hours: int | None = attrs.field(default=None)
    round_due_up_minutes: int | None = attrs.field(default=None)

    @day_as_working_hours.validator
    def _check_hours(self, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24):
            raise InvalidValueError("day_as_working_hours", N_("None or a whole number of hours 1..24"), value)

    @round_due_up_minutes.validator
    def _check_round(self, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60):
            raise InvalidValueError("round_due_up_minutes", N_("None or a whole number of minutes 1..60"), value)

    def cutoff_for(self, channel: Channel) -> time | None:
        if not self.receipt_cutoff:
            return None
        return self.online_cutoff if channel is Channel.ONLINE else self.cutoff

    def round_up(self, instant: datetime) -> datetime:
        """``instant`` rounded up to the next multiple of ``round_due_up_minutes`` (unchanged when not set)."""
        step = self.round_due_up_minutes
        if step is None or instant.time() == time.max:  # the end of the day is not a clock reading to round
            return instant
        us = ((instant.hour * 60 + instant.minute) * 60 + instant.second) * 1_000_000 + instant.microsecond
        quantum = step * 60_000_000
        extra = -us % quantum
        return instant if extra == 0 else instant + timedelta(microseconds=extra)


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
    cut_direct: int  # the cut-off of direct and postal dossiers; plain ints keep enum hashing off the hot path
    cut_online: int
    due_time: time
    due_seconds: int
    saturday: tuple[tuple[int, int], ...]
    # the sessions as (start, end) and (start, working seconds before it, at its end): the scalar path walks these
    # pairs (a zip per call costs more than the walk)
    sessions: tuple[tuple[int, int], ...]
    steps: tuple[tuple[int, int, int], ...]

    def worked_before(self, s: int) -> int:
        """Working seconds elapsed in the day up to second ``s``."""
        total = 0
        for a, b in self.sessions:
            if s <= a:
                break
            total += (s if s < b else b) - a
        return total

    def instant_at(self, w: int) -> int:
        """The earliest second of the day at which ``w`` working seconds (0 < w <= per_day) have elapsed."""
        for a, before, c in self.steps:
            if w <= c:
                return a + (w - before)
        return self.closing

    def next_session_start(self, s: int) -> int:
        """``s`` when inside a session, else the start of the next session (``s`` is before the cut-off)."""
        for a, b in self.sessions:
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
        cut[Channel.DIRECT],
        cut[Channel.ONLINE],
        due_time,
        due_seconds,
        tuple((_sec(a), _sec(b)) for a, b in hours.saturday_reception),
        tuple(zip(starts, ends, strict=True)),
        tuple(zip(starts, (0, *cum[:-1]), cum, strict=True)),
    )
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[key] = (rules, hours, plan)
    return plan


def to_local(value: datetime | date | str, field: str = "received_at") -> datetime:
    """A naive Vietnam-local datetime: naive input (no tzinfo, or one that gives no offset) is taken as local, aware
    input is converted.

    A ``date`` alone becomes 00:00 of that day (before opening, so it counts from the day's first session).
    ISO text is accepted. pandas ``NaT`` is refused as a missing value is.
    """
    if value.__class__ is not datetime and is_nat(value):
        raise InvalidValueError(field, N_("a datetime (naive = Vietnam time), a date or ISO text"), value)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValueError(field, N_("an ISO date-time such as '2026-11-20 16:30'"), value) from None
    if isinstance(value, datetime):
        tz = value.tzinfo
        if tz is None:
            return value
        try:
            if value.utcoffset() is None:
                # naive as Python says (a tzinfo that gives no offset): Vietnam time, as any naive datetime here —
                # astimezone would take it for the machine's local time
                return value.replace(tzinfo=None)
            return value.astimezone(VN_TZ).replace(tzinfo=None)
        except OverflowError:  # datetime.max in UTC is past the year 9999 in Vietnam
            raise InvalidValueError(field, N_("a datetime within year 1..9999 in Vietnam time"), value) from None
        except Exception:  # a tzinfo of the caller's that fails in its own way
            raise InvalidValueError(field, N_("a datetime whose tzinfo is a time zone"), value) from None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise InvalidValueError(field, N_("a datetime (naive = Vietnam time), a date or ISO text"), value)


@cache
def _time_of(s: int) -> time:
    return time(s // 3600, s % 3600 // 60, s % 60) if s < 86400 else time.max


_DEFAULT_RULES = CountingRules()


@cache
def _rules_of_era(era: int) -> CountingRules:
    # the default rules with the cut-off of the receipt_cutoff version in force in that era
    first = _switch_days()[era - 1] if era > 0 else date.min
    cut = counting_rule("receipt_cutoff", first).cutoff
    return _DEFAULT_RULES if cut is None or cut == _DEFAULT_RULES.cutoff else attrs.evolve(_DEFAULT_RULES, cutoff=cut)


def default_rules_on(on: date) -> CountingRules:
    """The default :class:`CountingRules` for a dossier received on ``on`` (the cut-off of the version in force).

    ``on``: a date; a datetime is taken by its date in Vietnam time.

    Raises:
        InvalidValueError: ``on`` is not a date.
    """
    if on.__class__ is not date:
        on = as_day(on, "on")
    return _rules_of_era(_era(on))
