"""``/v1/calendar/*``: working-day arithmetic and the yearly feed (JSON, CSV, iCalendar) for portals' holiday tables."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tthc.calendar.notes import day_note
from tthc.calendar.working_calendar import DayKind, WorkingCalendar, weekday_name
from tthc.deadlines.counting import to_local
from tthc.errors import CalendarRangeError, InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.references import LegalReference
from tthc.foundation.words import words
from tthc.server.config import DataVersions, ServiceData
from tthc.server.routes._common import CHECKED, ERRORS, LangQ, lang_of
from tthc.server.service import DayIn, InstantIn, check_in_calendar

__all__ = ["CalendarFeed", "FeedDay", "router", "working_seconds"]

_FIRST_YEAR, _LAST_YEAR = 2000, 2100  # the bundled calendar's compiled range (public_sector_calendar defaults)

Day = date  # an alias: models below have a field named ``date``, which would shadow the type
Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class DayInfo(BaseModel):
    """One day of the calendar."""

    date: Day
    weekday: Weekday
    working: bool
    kind: DayKind = Field(description="working, make_up (a make-up working day), weekend, or day_off")
    description: str = Field(description="why, with the source: 'a day off (Tết Nguyên đán 2026 (…/VPCP-KGVX))'")
    projected: bool = Field(description="the year's public-sector schedule is not announced")


class DayResponse(DayInfo):
    data_versions: DataVersions


class AddResponse(BaseModel):
    """The ``n``-th working day after ``date`` (``date`` itself not counted; negative ``n`` counts back)."""

    date: Day
    n: int
    result: Day
    projected: bool
    data_versions: DataVersions


class BetweenResponse(BaseModel):
    """The number of working days ``d`` with ``start < d <= end`` (negative when ``end < start``)."""

    start: Day
    end: Day
    working_days: int
    data_versions: DataVersions


class ScheduleResponse(BaseModel):
    """Every day of ``start..end`` (inclusive) with its kind and reason."""

    start: Day
    end: Day
    working_days: int
    days: list[DayInfo]
    data_versions: DataVersions


class WorkingTimeResponse(BaseModel):
    """Working time between two instants, inside the office sessions of working days."""

    start: datetime
    end: datetime
    seconds: int = Field(description="working seconds (negative when end < start)")
    hours: float = Field(description="the same in hours")
    office_hours: list[str] = Field(description="the sessions counted: ['07:30-11:30', '13:00-17:00']")
    data_versions: DataVersions


FeedSource = Literal["public_sector_schedule", "holidays.VN", "overlay"]


class FeedDay(BaseModel):
    """A row of a portal's holiday table: a day off or a make-up working day, with its source."""

    date: Day
    weekday: Weekday
    kind: Literal["day_off", "make_up_day"]
    name: str = Field(description="the occasion and its document, as the calendar describes it")
    projected: bool = Field(description="the year's schedule is not announced: statutory days only, may change")
    source: FeedSource = Field(description="which data the day comes from")
    reference: LegalReference | None = Field(description="the legal reference, for schedule days")


class CalendarFeed(BaseModel):
    """The days off and make-up working days of one year (weekly rest days are not listed)."""

    year: int
    projected: bool
    last_announced_year: int | None
    days: list[FeedDay]
    data_versions: DataVersions


_FEED_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "text/calendar": {"schema": {"type": "string"}},
}
_CSV_FIELDS = ("date", "weekday", "kind", "name", "projected", "source", "reference", "url", "data_version")

DateQ = Annotated[DayIn, Query(description="a date, YYYY-MM-DD (or dd/mm/yyyy)")]


def _day(cal: WorkingCalendar, d: date, lang: str) -> DayInfo:
    return DayInfo(
        date=d,
        weekday=weekday_name(d),
        working=cal.is_working_day(d),
        kind=cal.day_kind(d),
        description=cal.describe_day(d, lang=lang),
        projected=cal.is_projected(d),
    )


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def working_seconds(cal: WorkingCalendar, start: datetime, end: datetime, sessions: list[tuple[int, int]]) -> int:
    """Working seconds in ``[start, end)`` inside ``sessions`` (seconds of the day) on working days of ``cal``.

    ``start`` and ``end`` are naive Vietnam-local instants; ``end < start`` gives the negated time.
    """
    if end < start:
        return -working_seconds(cal, end, start, sessions)
    per_day = sum(b - a for a, b in sessions)

    def within(d: date, lo: int, hi: int) -> int:
        if not cal.is_working_day(d):
            return 0
        return sum(max(0, min(b, hi) - max(a, lo)) for a, b in sessions)

    d0, d1 = start.date(), end.date()
    s0 = _seconds(start.time())
    s1 = _seconds(end.time())
    if d0 == d1:
        return within(d0, s0, s1)
    middle = cal.working_days_between(d0, d1 - timedelta(days=1)) if d1 - d0 > timedelta(days=1) else 0
    return within(d0, s0, 86_400) + middle * per_day + within(d1, 0, s1)


def _feed(data: ServiceData, year: int, lang: str) -> CalendarFeed:
    cal = data.calendar
    first, last = date(year, 1, 1), date(year, 12, 31)
    refs = {d: ref.in_lang(lang) for d, ref in data.references_by_day().items()}  # notes in the language asked
    projected = cal.is_projected(first)

    def source(d: date, reason: str) -> FeedSource:
        if d in refs:
            return "public_sector_schedule"
        return "overlay" if "overlay" in reason else "holidays.VN"

    # the source is read from the notes as built (English); the names are worded in the language asked
    days = [
        FeedDay(
            date=d,
            weekday=weekday_name(d),
            kind="day_off",
            name=day_note(d, reason, lang, cal.holiday_names_vi),
            projected=projected,
            source=source(d, reason),
            reference=refs.get(d),
        )
        for d, reason in cal.days_off(first, last, lang="en")
    ]
    for d in cal.make_up_days(first, last):
        name = cal.describe_day(d, lang="en").removeprefix("a make-up working day (").removesuffix(")")
        days.append(
            FeedDay(
                date=d,
                weekday=weekday_name(d),
                kind="make_up_day",
                name=day_note(d, name, lang, cal.holiday_names_vi),
                projected=projected,
                source=source(d, name),
                reference=refs.get(d),
            )
        )
    days.sort(key=lambda f: f.date)
    return CalendarFeed(
        year=year,
        projected=projected,
        last_announced_year=cal.last_announced_year,
        days=days,
        data_versions=data.versions,
    )


def _csv(feed: CalendarFeed) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(_CSV_FIELDS)
    for d in feed.days:
        ref = d.reference
        writer.writerow(
            (
                d.date.isoformat(),
                d.weekday,
                d.kind,
                d.name,
                str(d.projected).lower(),
                d.source,
                str(ref) if ref else "",
                (ref.url or "") if ref else "",
                feed.data_versions.calendar,
            )
        )
    return out.getvalue()


def _ics(feed: CalendarFeed) -> bytes:
    from icalendar import Calendar, Event

    ical = Calendar()
    ical.add("prodid", f"-//tthc//public-sector calendar {feed.data_versions.tthc}//VI")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", f"Lịch làm việc khu vực nhà nước {feed.year}")
    ical.add(
        "x-wr-caldesc",
        f"Days off and make-up working days of the Vietnamese public sector, {feed.year} "
        f"(data version {feed.data_versions.calendar}"
        + ("; PROJECTED: schedule not announced)" if feed.projected else ")"),
    )
    stamp = datetime.now(UTC).replace(microsecond=0)
    for d in feed.days:
        event = Event()
        event.add("uid", f"{d.date.isoformat()}-{d.kind}@tthc")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.date)
        event.add("dtend", d.date + timedelta(days=1))
        event.add("summary", ("Nghỉ: " if d.kind == "day_off" else "Làm bù: ") + d.name)
        event.add("categories", ["DAY_OFF" if d.kind == "day_off" else "MAKE_UP_WORKING_DAY"])
        event.add("transp", "TRANSPARENT" if d.kind == "make_up_day" else "OPAQUE")
        text = f"source: {d.source}"
        if d.reference is not None:
            text += f"; reference: {d.reference}"
        if d.projected:
            text += "; PROJECTED (schedule not announced)"
        event.add("description", text)
        if d.reference is not None and d.reference.url:
            event.add("url", d.reference.url)
        event.add("x-tthc-projected", "TRUE" if d.projected else "FALSE")
        event.add("x-tthc-data-version", feed.data_versions.calendar)
        ical.add_component(event)
    return bytes(ical.to_ical())


def router(data: ServiceData) -> APIRouter:
    api = APIRouter(prefix="/v1/calendar", tags=["calendar"], responses=ERRORS, dependencies=CHECKED)
    cal = data.calendar
    hours = (data.rules.office_hours if data.rules is not None else None) or cal.office_hours
    sessions = [(_seconds(a), _seconds(b)) for a, b in hours.sessions]

    @api.get("/days/{day}", summary="Is a day a working day, and why")
    async def day(day: Annotated[DayIn, Path(description="YYYY-MM-DD")], lang: LangQ = None) -> DayResponse:
        check_in_calendar(cal, "day", day)  # named as the path names it
        info = _day(cal, day, lang_of(lang))
        return DayResponse(**info.model_dump(), data_versions=data.versions)

    @api.get("/add", summary="The n-th working day after a date")
    async def add(
        date_: Annotated[DayIn, Query(alias="date", description="the start date (not counted)")],
        n: Annotated[int, Query(ge=-100_000, le=100_000, description="working days to add (negative: back)")],
    ) -> AddResponse:
        result = cal.add_working_days(date_, n)
        return AddResponse(
            date=date_, n=n, result=result, projected=cal.is_projected(result), data_versions=data.versions
        )

    @api.get("/between", summary="Working days between two dates")
    async def between(start: DateQ, end: DateQ) -> BetweenResponse:
        return BetweenResponse(
            start=start, end=end, working_days=cal.working_days_between(start, end), data_versions=data.versions
        )

    @api.get("/schedule", summary="Every day of a range with its kind and reason")
    async def schedule(start: DateQ, end: DateQ, lang: LangQ = None) -> ScheduleResponse:
        span = (end - start).days + 1
        if not 1 <= span <= data.config.max_schedule_days:
            raise InvalidValueError(
                "end",
                words(
                    N_("a date 0..{most} days on or after start {start}"),
                    most=data.config.max_schedule_days - 1,
                    start=start,
                ),
                end.isoformat(),
            )
        code = lang_of(lang)
        days = [_day(cal, start + timedelta(days=k), code) for k in range(span)]
        return ScheduleResponse(
            start=start, end=end, working_days=sum(d.working for d in days), days=days, data_versions=data.versions
        )

    @api.get("/working-time", summary="Working time between two instants")
    async def working_time(
        start: Annotated[InstantIn, Query(description="ISO instant; no offset: Vietnam time")],
        end: Annotated[InstantIn, Query(description="ISO instant; no offset: Vietnam time")],
    ) -> WorkingTimeResponse:
        """Seconds inside the office sessions of working days between ``start`` and ``end`` — the clock of a
        processing time in working hours."""
        check_in_calendar(cal, "start", start)  # each named: the count itself would say "date" for either
        check_in_calendar(cal, "end", end)
        secs = working_seconds(cal, to_local(start, "start"), to_local(end, "end"), sessions)
        return WorkingTimeResponse(
            start=start,
            end=end,
            seconds=secs,
            hours=round(secs / 3600, 6),
            office_hours=[f"{a:%H:%M}-{b:%H:%M}" for a, b in hours.sessions],
            data_versions=data.versions,
        )

    @api.get(
        "/feed/{year}",
        summary="The days off and make-up days of a year: JSON, CSV or iCalendar",
        response_model=CalendarFeed,
        responses={200: {"content": _FEED_CONTENT, "description": "the feed in the asked format"}},
    )
    async def feed(
        year: Annotated[int, Path(ge=_FIRST_YEAR, le=_LAST_YEAR, description="the year")],
        format: Annotated[
            Literal["json", "csv", "ics"], Query(description="json (default), csv (RFC 4180) or ics (RFC 5545)")
        ] = "json",
        lang: LangQ = None,
    ) -> CalendarFeed | Response:
        """A holiday table for a portal: each day off and make-up working day with its name, whether the year is
        projected, its source and legal reference, and the calendar data version (in the body, in a CSV column,
        in the iCalendar description; CSV and iCalendar also carry it in the ``X-Tthc-Calendar-Version`` header)."""
        if not cal.first.year <= year <= cal.last.year:
            raise CalendarRangeError(
                words(
                    N_("year: expected a year in {first}..{last}, got {year}"),
                    first=cal.first.year,
                    last=cal.last.year,
                    year=year,
                    given=str(year),  # the problem's given (the template names it {year})
                )
            )
        result = _feed(data, year, lang_of(lang))
        header = {"X-Tthc-Calendar-Version": result.data_versions.calendar}
        if format == "csv":
            return Response(_csv(result), media_type="text/csv; charset=utf-8", headers=header)
        if format == "ics":
            return Response(_ics(result), media_type="text/calendar; charset=utf-8", headers=header)
        return result

    return api
