"""Strategies for working calendars, receipt instants biased towards the hard cases, and dossiers whose due dates
are computed by the engine (see :mod:`tthc.testing.strategies`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from hypothesis import strategies as st

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines.compute import VN_TZ, CountingRules

__all__ = [
    "DEFAULT_YEARS",
    "calendar_overlays",
    "hard_days",
    "received_at",
    "times_of_day",
    "working_calendars",
]

DEFAULT_YEARS: tuple[int, int] = (2020, 2027)
"""Default inclusive range of receipt years: the 2020 discount window, the 2025 reform, the 2026 swaps and 24 Nov,
and a projected year (2027)."""


def _default_calendar() -> WorkingCalendar:
    return public_sector_calendar()


def calendar_overlays(
    *, calendar: WorkingCalendar | None = None, years: tuple[int, int] = DEFAULT_YEARS, max_days: int = 4
) -> st.SearchStrategy[tuple[dict[date, str], dict[date, str]]]:
    """``(extra_days_off, extra_working_days)`` overlays with no day in both (a day in both is a ConflictError).

    Extra days off are drawn among working days (a provincial closure), extra working days among days off
    (a Saturday opening), so every overlay day changes the calendar.
    """
    cal = calendar if calendar is not None else _default_calendar()
    first, last = date(years[0], 1, 1), date(years[1], 12, 31)
    days = st.dates(first, last)
    off = st.lists(days.filter(cal.is_working_day), max_size=max_days, unique=True)
    work = st.lists(days.filter(lambda d: not cal.is_working_day(d)), max_size=max_days, unique=True)

    def build(a: list[date], b: list[date]) -> tuple[dict[date, str], dict[date, str]]:
        taken = set(a)
        return (
            dict.fromkeys(a, "generated closure (overlay)"),
            {d: "generated opening (overlay)" for d in b if d not in taken},
        )

    return st.builds(build, off, work)


def working_calendars(
    *,
    base: WorkingCalendar | None = None,
    overlays: st.SearchStrategy[tuple[dict[date, str], dict[date, str]]] | None = None,
    culture_day: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[WorkingCalendar]:
    """Public-sector calendars with overlays (extra days off / working days) on top.

    Args:
        base: the calendar to overlay (default: the bundled public-sector calendar, with or without 24 Nov as
            drawn from ``culture_day``).
        overlays: ``(extra_days_off, extra_working_days)`` pairs (default :func:`calendar_overlays`).
        culture_day: whether Ngày Văn hóa Việt Nam (24 Nov, [open]) is a day off (default both, when no ``base``).
    """
    over = overlays if overlays is not None else calendar_overlays(calendar=base)
    if base is not None:
        bases: st.SearchStrategy[WorkingCalendar] = st.just(base)
    else:
        flag = culture_day if culture_day is not None else st.booleans()
        bases = flag.map(lambda c: public_sector_calendar(culture_day=c))

    def build(cal: WorkingCalendar, ov: tuple[dict[date, str], dict[date, str]]) -> WorkingCalendar:
        off, work = ov
        if not off and not work:
            return cal
        return cal.with_overlay(extra_days_off=off, extra_working_days=work)

    return st.builds(build, bases, over)


@lru_cache(maxsize=16)  # keyed by calendar identity: generated calendars must not pile up
def _hard_days(cal: WorkingCalendar, first_year: int, last_year: int) -> tuple[date, ...]:
    """Days where counting goes wrong: days off that are not weekly rest days (Tết, 30/4, 2/9, 24 Nov, swapped
    weekdays), the working days just before and after each run of them, make-up Saturdays and the Fridays before
    them."""
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    out: set[date] = set()
    for d, _reason in cal.days_off(first, last):
        out.add(d)
        for step in (-1, 1):
            n = d + timedelta(days=step)
            while cal.first <= n <= cal.last and not cal.is_working_day(n):
                n += timedelta(days=step)
            if first <= n <= last:
                out.add(n)
    d = first
    while d <= last:
        if cal.day_kind(d) == "make_up":
            out.add(d)
            out.add(d - timedelta(days=d.weekday() - 4 if d.weekday() >= 4 else d.weekday() + 3))
        d += timedelta(days=1)
    return tuple(sorted(x for x in out if first <= x <= last))


def hard_days(
    *, calendar: WorkingCalendar | None = None, years: tuple[int, int] = DEFAULT_YEARS
) -> st.SearchStrategy[date]:
    """Days around holidays (Tết, 30/4–1/5, National Day, 24 Nov), swapped weekdays and make-up Saturdays, read
    from the calendar's own data — never from dates written in code."""
    cal = calendar if calendar is not None else _default_calendar()
    days = _hard_days(cal, years[0], years[1])
    if not days:
        return st.dates(date(years[0], 1, 1), date(years[1], 12, 31))
    return st.sampled_from(days)


def _fridays(years: tuple[int, int]) -> st.SearchStrategy[date]:
    return st.dates(date(years[0], 1, 8), date(years[1], 12, 24)).map(
        lambda d: d + timedelta(days=(4 - d.weekday()) % 7)
    )


def _near(t: time, minutes: int) -> st.SearchStrategy[time]:
    base = t.hour * 60 + t.minute

    def at(delta: int, second: int) -> time:
        m = min(max(base + delta, 0), 24 * 60 - 1)
        return time(m // 60, m % 60, second)

    return st.builds(at, st.integers(-minutes, minutes), st.sampled_from([0, 0, 0, 1, 59]))


def times_of_day(
    *, calendar: WorkingCalendar | None = None, rules: CountingRules | None = None
) -> st.SearchStrategy[time]:
    """Times of day biased towards the edges: the receipt cut-off (15:00 by default, NĐ 61/2018 Điều 18.2) ± a few
    minutes, opening and closing, the lunch break, the evening and midnight; and any time at all."""
    cal = calendar if calendar is not None else _default_calendar()
    r = rules if rules is not None else CountingRules()
    hours = r.office_hours or cal.office_hours
    edges: list[st.SearchStrategy[time]] = [_near(r.cutoff, 3)]
    if r.online_cutoff is not None and r.online_cutoff != r.cutoff:
        edges.append(_near(r.online_cutoff, 3))
    for a, b in hours.sessions:
        edges += [_near(a, 2), _near(b, 2)]
    evening = st.builds(lambda m: time(17 + m // 60, m % 60), st.integers(0, 6 * 60 + 59))
    anytime = st.times()
    return st.one_of(*edges, evening, st.just(time(0, 0)), anytime)


def received_at(
    *,
    calendar: WorkingCalendar | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    days: st.SearchStrategy[date] | None = None,
    times: st.SearchStrategy[time] | None = None,
    aware: bool = False,
) -> st.SearchStrategy[datetime]:
    """Receipt instants biased towards the hard cases: Tết and other holidays and the days around them, make-up
    Saturdays, Friday evenings, 24 Nov, and the 15:00 cut-off ± minutes — plus ordinary instants.

    Args:
        calendar: the calendar whose days off and make-up days are the hard cases (default public sector).
        years: inclusive range of years.
        days: override the day strategy.
        times: override the time-of-day strategy (default :func:`times_of_day`).
        aware: return aware datetimes (Asia/Ho_Chi_Minh) instead of naive Vietnam wall time.
    """
    cal = calendar if calendar is not None else _default_calendar()
    day_s = (
        days
        if days is not None
        else st.one_of(
            hard_days(calendar=cal, years=years),
            _fridays(years),
            st.dates(date(years[0], 1, 1), date(years[1], 12, 31)),
        )
    )
    time_s = times if times is not None else times_of_day(calendar=cal)
    combined = st.builds(datetime.combine, day_s, time_s)
    return combined.map(lambda dt: dt.replace(tzinfo=VN_TZ)) if aware else combined
