"""Office hours of a public office: the working sessions, optional Saturday-morning reception, and hours by date.

The default (07:30–11:30, 13:00–17:00; 8 working hours) is data in ``counting_rules.json`` — a common provincial
schedule [2nd]; each office can have its own (``public_sector_calendar(office_hours=...)``).

Several northern provinces switch to winter office hours each year (domain.md §2) [2nd]: :class:`DatedOfficeHours`
holds the hours an office keeps by date — a default, dated periods (a summer or winter schedule, inclusive dates)
and per-day overrides (a half-day closure, an extra session). ``data/office_hours.json`` holds such schedules per
office; :func:`load_office_hours` reads one (the bundled file has an ``example`` office only).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from tthc.errors import ConflictError, InvalidValueError, NotFoundError
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import LegalReference, bundled_reference
from tthc.foundation.words import words

__all__ = ["DatedOfficeHours", "OfficeHours", "OfficeHoursOverride", "OfficeHoursPeriod", "load_office_hours"]


def _parse_hhmm(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidValueError("office_hours", N_("a time 'HH:MM'"), text) from None


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@attrs.frozen(slots=True)
class OfficeHours:
    """The office sessions of a working day, and optional Saturday-morning reception.

    Attributes:
        sessions: ordered, non-overlapping ``(start, end)`` pairs (default 07:30–11:30 and 13:00–17:00, 8 working
            hours — common provincial schedule [2nd]).
        saturday_reception: sessions on Saturday when the office receives dossiers although Saturday is not a
            working day (no national rule; per office, [open]). Whether such a receipt makes Saturday the receipt day
            is :attr:`tthc.deadlines.compute.CountingRules.saturday_receipt_counts`.
        reference: where the schedule comes from.
    """

    sessions: tuple[tuple[time, time], ...]
    saturday_reception: tuple[tuple[time, time], ...] = ()
    reference: LegalReference | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        for field, spans in (("office_hours.sessions", self.sessions), ("saturday_reception", self.saturday_reception)):
            last = -1
            for span in spans:
                if len(span) != 2 or not all(isinstance(t, time) for t in span):
                    raise InvalidValueError(field, N_("(start, end) pairs of datetime.time"), span)
                a, b = _seconds(span[0]), _seconds(span[1])
                if not last <= a < b:
                    raise InvalidValueError(field, N_("ordered, non-overlapping sessions with start < end"), spans)
                last = b
        if not self.sessions:
            raise InvalidValueError("office_hours.sessions", N_("at least one session"), self.sessions)

    @classmethod
    def default(cls) -> OfficeHours:
        """The bundled default (``counting_rules.json``)."""
        return _default_office_hours()

    @classmethod
    def of(cls, *sessions: tuple[str, str], saturday_reception: Iterable[tuple[str, str]] = ()) -> OfficeHours:
        """Build from ``"HH:MM"`` text: ``OfficeHours.of(("07:00", "11:00"), ("13:30", "17:30"))``."""
        return cls(_text_pairs(sessions, "sessions"), _text_pairs(saturday_reception, "saturday_reception"))

    @property
    def opening(self) -> time:
        return self.sessions[0][0]

    @property
    def closing(self) -> time:
        return self.sessions[-1][1]

    @property
    def seconds_per_day(self) -> int:
        return sum(_seconds(b) - _seconds(a) for a, b in self.sessions)

    def receives_on_saturday_at(self, t: time) -> bool:
        s = _seconds(t)
        return any(_seconds(a) <= s < _seconds(b) for a, b in self.saturday_reception)

    def __repr__(self) -> str:
        parts = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.sessions)
        sat = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.saturday_reception)
        return f"<office hours {parts}" + (f"; Saturday reception {sat}>" if sat else ">")


def _text_pairs(value: object, field: str) -> tuple[tuple[time, time], ...]:
    """``(("07:00", "11:00"), ...)`` read as pairs of times; anything else is an InvalidValueError naming ``field``."""
    expected = N_("pairs of 'HH:MM' texts such as ('07:00', '11:00')")
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidValueError(field, expected, value)
    pairs = []
    for pair in value:
        if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            raise InvalidValueError(field, expected, pair)
        pairs.append((_parse_hhmm(pair[0]), _parse_hhmm(pair[1])))
    return tuple(pairs)


@cache
def _default_office_hours() -> OfficeHours:
    raw = load_json("counting_rules.json")["office_hours"]
    return OfficeHours(
        tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in raw["sessions"]),
        reference=bundled_reference(raw["reference"]),  # validated by tests/deadlines/test_counting_data.py
    )


# -- office hours by date ---------------------------------------------------------------------------------------


def _check_day(field: str, value: object) -> None:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidValueError(field, N_("a datetime.date"), value)


def _check_hours(field: str, value: object) -> None:
    if not isinstance(value, OfficeHours):
        raise InvalidValueError(field, N_("an OfficeHours"), value)


@attrs.frozen(slots=True)
class OfficeHoursPeriod:
    """Office hours in force from ``valid_from`` to ``valid_until``, both days included (e.g. a winter schedule).

    Attributes:
        hours: the sessions of each working day of the period.
        valid_from: the first day.
        valid_until: the last day (inclusive); None for open-ended.
        label: how traces and :meth:`~tthc.calendar.WorkingCalendar.schedule` name the period
            (``winter schedule 2025–2026``).
        reference: the decision that sets the hours.
        label_vi: the label in Vietnamese (``label`` when empty), for Vietnamese traces (the reference's document
            in Vietnamese is its ``document_vi``).
    """

    hours: OfficeHours
    valid_from: date
    valid_until: date | None = None
    label: str = "dated office hours"
    reference: LegalReference | None = attrs.field(default=None, eq=False)
    label_vi: str = attrs.field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        _check_hours("period.hours", self.hours)
        _check_day("period.valid_from", self.valid_from)
        if self.valid_until is not None:
            _check_day("period.valid_until", self.valid_until)
            if self.valid_until < self.valid_from:
                raise InvalidValueError(
                    "period.valid_until", words(N_("a date on or after valid_from {day}"), day=self.valid_from),
                    self.valid_until.isoformat(),
                )  # fmt: skip

    def covers(self, d: date) -> bool:
        return self.valid_from <= d and (self.valid_until is None or d <= self.valid_until)

    def describe(self, lang: str = "en") -> str:
        """``winter schedule 2025–2026 (…)``; in Vietnamese (``lang="vi"``) the ``_vi`` texts where given."""
        if lang != "vi":
            return self.label if self.reference is None else f"{self.label} ({self.reference})"
        label = self.label_vi or self.label
        if self.reference is None:
            return label
        return f"{label} ({self.reference.text(lang)})"


@attrs.frozen(slots=True)
class OfficeHoursOverride:
    """Office hours of one day, replacing whatever period or default applies (a half-day closure, an extra session).

    An override changes the hours of a working day only; it does not make a day a working day or a day off (use
    the calendar's ``extra_working_days`` / ``extra_days_off`` for that).
    """

    day: date
    hours: OfficeHours
    reason: str
    reason_vi: str = attrs.field(default="", eq=False)  # the reason in Vietnamese (``reason`` when empty)

    def __attrs_post_init__(self) -> None:
        _check_day("override.day", self.day)
        _check_hours("override.hours", self.hours)


@attrs.frozen(slots=True)
class DatedOfficeHours:
    """The office hours an office keeps, by date: per-day overrides win over dated periods, which win over the default.

    Attributes:
        default: the hours outside every period.
        periods: dated periods; two periods may not share a day (:class:`~tthc.errors.ConflictError`).
        overrides: per-day hours; at most one per day.
        office: whose hours these are (an office or province id).
    """

    default: OfficeHours = attrs.field(factory=lambda: OfficeHours.default())
    periods: tuple[OfficeHoursPeriod, ...] = ()
    overrides: tuple[OfficeHoursOverride, ...] = ()
    office: str = ""

    def __attrs_post_init__(self) -> None:
        _check_hours("default", self.default)
        if not isinstance(self.periods, tuple) or not isinstance(self.overrides, tuple):
            raise InvalidValueError("periods/overrides", N_("tuples"), (self.periods, self.overrides))
        for p in self.periods:
            if not isinstance(p, OfficeHoursPeriod):
                raise InvalidValueError("periods", N_("OfficeHoursPeriod values"), p)
        ordered = sorted(self.periods, key=lambda p: p.valid_from)
        for a, b in itertools.pairwise(ordered):
            if a.valid_until is None or a.valid_until >= b.valid_from:
                raise ConflictError(
                    words(
                        N_("periods: {first} and {second} share {day}; expected each day in one period at most"),
                        first=a.label,
                        second=b.label,
                        day=b.valid_from,
                    )
                )
        seen: set[date] = set()
        for o in self.overrides:
            if not isinstance(o, OfficeHoursOverride):
                raise InvalidValueError("overrides", N_("OfficeHoursOverride values"), o)
            if o.day in seen:
                raise ConflictError(words(N_("overrides: {day} has two overrides; expected one per day"), day=o.day))
            seen.add(o.day)

    @classmethod
    def of(cls, hours: OfficeHours | DatedOfficeHours | None) -> DatedOfficeHours:
        """``hours`` as dated hours (plain :class:`OfficeHours` hold every day; None is the bundled default)."""
        if isinstance(hours, DatedOfficeHours):
            return hours
        if hours is None:
            return cls()
        _check_hours("office_hours", hours)
        return cls(hours)

    @property
    def is_constant(self) -> bool:
        """True when every day has the default hours (no periods, no overrides)."""
        return not self.periods and not self.overrides

    def on(self, d: date) -> OfficeHours:
        """The hours in force on ``d`` (whether or not ``d`` is a working day)."""
        return self.source_on(d)[0]

    def source_on(self, d: date) -> tuple[OfficeHours, str | None]:
        """The hours in force on ``d`` and where they come from (None for the default)."""
        for o in self.overrides:
            if o.day == d:
                return o.hours, o.reason
        for p in self.periods:
            if p.covers(d):
                return p.hours, p.describe()
        return self.default, None

    def source_text(self, d: date, lang: str = "en") -> str | None:
        """Where the hours of ``d`` come from, as :meth:`source_on` says it, in ``lang`` (``"vi"``: the ``_vi``
        texts of the data file where given); None for the default hours."""
        if lang != "vi":
            return self.source_on(d)[1]
        for o in self.overrides:
            if o.day == d:
                return o.reason_vi or o.reason
        for p in self.periods:
            if p.covers(d):
                return p.describe("vi")
        return None

    def __repr__(self) -> str:
        who = f" of {self.office}" if self.office else ""
        return (
            f"<dated office hours{who}: default {self.default!r}, {len(self.periods)} period(s), "
            f"{len(self.overrides)} override(s)>"
        )


# -- the data file (data/office_hours.json) ---------------------------------------------------------------------


@cache
def _file_model() -> Any:
    """The office-hours file's pydantic model (``OfficeHoursFile``), defined on first use: importing pydantic for it
    would cost every start (``tthc due``) what only :func:`load_office_hours` needs."""
    from pydantic import BaseModel, ConfigDict, field_validator

    class _SessionsModel(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

        sessions: tuple[tuple[str, str], ...]
        saturday_reception: tuple[tuple[str, str], ...] = ()

        @field_validator("sessions", "saturday_reception")
        @classmethod
        def _times(cls, spans: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
            for span in spans:
                for t in span:
                    time.fromisoformat(t)  # ValueError -> pydantic names the field
            return spans

        def hours(self, reference: LegalReference | None = None) -> OfficeHours:
            built = OfficeHours.of(*self.sessions, saturday_reception=self.saturday_reception)
            return attrs.evolve(built, reference=reference)

    class _PeriodModel(_SessionsModel):
        label: str
        label_vi: str = ""
        valid_from: IsoDay
        valid_until: IsoDay | None = None
        reference: LegalReference | None = None

    class _OverrideModel(_SessionsModel):
        day: IsoDay
        reason: str
        reason_vi: str = ""

    class _OfficeModel(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

        office: str
        name: str
        default: _SessionsModel | None = None
        periods: tuple[_PeriodModel, ...] = ()
        overrides: tuple[_OverrideModel, ...] = ()
        reference: LegalReference

    class OfficeHoursFile(BaseModel):
        """The office-hours data file: dated office hours per office, each with its reference."""

        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

        comment: str | None = None
        offices: tuple[_OfficeModel, ...]

    return OfficeHoursFile


def load_office_hours(office: str, path: str | Path | None = None) -> DatedOfficeHours:
    """The dated office hours of ``office`` from an office-hours file (the bundled ``office_hours.json`` by default).

    Args:
        office: the office id in the file (the bundled file has ``example-northern-winter`` only — made-up hours
            showing a northern-province winter schedule, tagged ``example``).
        path: your own file in the same shape.

    Raises:
        DataFileError: the file cannot be read or does not match the schema (names the file and the field).
        InvalidValueError: a session in the file is not an ordered pair of times (names the office).
        ConflictError: two periods share a day, or a day has two overrides.
        NotFoundError: no office with that id (the message lists the ids there are).
    """
    raw = load_json("office_hours.json") if path is None else read_json_file(path)
    name = "office_hours.json (bundled)" if path is None else str(path)
    if isinstance(raw, dict) and "$comment" in raw:
        raw = {("comment" if k == "$comment" else k): v for k, v in raw.items()}
    data = validate_data(_file_model(), raw, name)
    for entry in data.offices:
        if entry.office != office:
            continue
        try:
            return _dated_hours(entry)
        except InvalidValueError as exc:
            raise InvalidValueError(f"{name}: {office}.{exc.field}", exc.expected_words, exc.given) from None
    known = ", ".join(e.office for e in data.offices) or words(N_("none"))
    raise NotFoundError(
        words(
            N_("office: expected one of the offices in {file} ({known}), got {office}"),
            file=name,
            known=known,
            office=repr(office),
        )
    )


def _dated_hours(entry: Any) -> DatedOfficeHours:  # an office of the file
    ref = entry.reference
    return DatedOfficeHours(
        OfficeHours.default() if entry.default is None else entry.default.hours(ref),
        tuple(
            OfficeHoursPeriod(
                p.hours(p.reference or ref),
                p.valid_from,
                p.valid_until,
                p.label,
                p.reference or ref,
                p.label_vi,
            )
            for p in entry.periods
        ),
        tuple(OfficeHoursOverride(o.day, o.hours(ref), o.reason, o.reason_vi) for o in entry.overrides),
        office=entry.office,
    )
