"""Working time at the instant: boundary conventions, the inverse pairs, the schedule table, scalar = batch."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar import DatedOfficeHours, OfficeHours, OfficeHoursOverride, OfficeHoursPeriod, public_sector_calendar
from tthc.errors import CalendarRangeError, InvalidValueError

CAL = public_sector_calendar()  # default hours 07:30–11:30, 13:00–17:00
VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = date.fromisoformat
T = datetime.fromisoformat
H = timedelta(hours=1)
M = timedelta(minutes=1)
US = timedelta(microseconds=1)

# -- boundary conventions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        ("2026-03-02 07:29:59.999999", False),  # Mon, just before opening
        ("2026-03-02 07:30", True),  # the opening instant is open
        ("2026-03-02 11:29:59.999999", True),
        ("2026-03-02 11:30", False),  # the closing instant is closed
        ("2026-03-02 12:15", False),  # lunch break
        ("2026-03-02 13:00", True),
        ("2026-03-02 16:59:59", True),
        ("2026-03-02 17:00", False),
        ("2026-03-07 09:00", False),  # Saturday
        ("2026-02-18 09:00", False),  # Tết Bính Ngọ
        ("2026-01-10 09:00", True),  # make-up Saturday (12729/VPCP-KGVX)
        ("2026-01-02 09:00", False),  # the Friday swapped for it
    ],
)
def test_is_open_at_boundaries(instant: str, is_open: bool) -> None:
    assert CAL.is_open_at(T(instant)) is is_open


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-03-02 07:30", "2026-03-02 07:30"),  # open: itself
        ("2026-03-02 06:00", "2026-03-02 07:30"),
        ("2026-03-02 09:10", "2026-03-02 09:10"),
        ("2026-03-02 11:30", "2026-03-02 13:00"),  # at the close: the next opening
        ("2026-03-02 12:59:59", "2026-03-02 13:00"),
        ("2026-03-02 17:00", "2026-03-03 07:30"),
        ("2026-03-06 17:00", "2026-03-09 07:30"),  # Friday evening → Monday
        ("2026-02-13 16:59", "2026-02-13 16:59"),
        ("2026-02-13 17:00", "2026-02-23 07:30"),  # across Tết
        ("2026-01-09 18:00", "2026-01-10 07:30"),  # onto the make-up Saturday
    ],
)
def test_next_open(instant: str, expected: str) -> None:
    assert CAL.next_open(T(instant)) == T(expected)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2026-03-02 11:30", "2026-03-02 11:30"),  # a closing instant: itself
        ("2026-03-02 11:29", "2026-02-27 17:00"),  # inside the first session: the last working day's close
        ("2026-03-02 12:00", "2026-03-02 11:30"),  # lunch
        ("2026-03-02 13:00", "2026-03-02 11:30"),  # at the reopening
        ("2026-03-02 14:00", "2026-03-02 11:30"),  # inside the afternoon session
        ("2026-03-02 07:30", "2026-02-27 17:00"),  # Monday opening → Friday close
        ("2026-02-23 08:00", "2026-02-13 17:00"),  # back across Tết
        ("2026-03-02 17:00", "2026-03-02 17:00"),
        ("2026-03-02 22:00", "2026-03-02 17:00"),
    ],
)
def test_previous_close(instant: str, expected: str) -> None:
    assert CAL.previous_close(T(instant)) == T(expected)


@pytest.mark.parametrize(
    ("instant", "duration", "expected"),
    [
        ("2026-03-02 07:30", 4 * H, "2026-03-02 11:30"),  # earliest: the close, not 13:00
        ("2026-03-02 07:30", 4 * H + US, "2026-03-02 13:00:00.000001"),
        ("2026-03-02 11:30", M, "2026-03-02 13:01"),
        ("2026-03-02 12:00", M, "2026-03-02 13:01"),  # from the lunch break
        ("2026-03-02 06:00", 8 * H, "2026-03-02 17:00"),  # a whole day, from before opening
        ("2026-03-02 16:00", 2 * H, "2026-03-03 08:30"),
        ("2026-03-06 16:00", 2 * H, "2026-03-09 08:30"),  # over the weekend
        ("2026-02-13 16:00", 2 * H, "2026-02-23 08:30"),  # over Tết
        ("2026-01-09 16:00", 2 * H, "2026-01-10 08:30"),  # onto the make-up Saturday
        ("2026-03-02 14:00", -H, "2026-03-02 13:00"),  # latest: the reopening, not 11:30
        ("2026-03-02 14:00", -H - US, "2026-03-02 11:29:59.999999"),
        ("2026-03-02 07:30", -M, "2026-02-27 16:59"),
        ("2026-03-02 12:00", timedelta(0), "2026-03-02 12:00"),  # zero: the instant itself, even when closed
    ],
)
def test_add_working_time(instant: str, duration: timedelta, expected: str) -> None:
    out = CAL.add_working_time(T(instant), duration)
    assert out == T(expected)
    assert CAL.working_time_between(T(instant), out) == duration


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-03-02 10:00", "2026-03-02 14:00", 2 * H + 30 * M),  # 1 h 30 before lunch, 1 h after
        ("2026-03-02 11:45", "2026-03-02 12:45", timedelta(0)),  # inside the lunch break
        ("2026-03-06 17:00", "2026-03-09 07:30", timedelta(0)),  # a weekend is no time
        ("2026-03-02 10:00", "2026-03-03 10:00", 8 * H),
        ("2026-03-02 14:00", "2026-03-02 10:00", -(2 * H + 30 * M)),  # signed
        ("2026-02-13 16:00", "2026-02-23 08:30", 2 * H),
    ],
)
def test_working_time_between(a: str, b: str, expected: timedelta) -> None:
    assert CAL.working_time_between(T(a), T(b)) == expected


def test_time_zones_and_dates() -> None:
    """Naive = Vietnam time; aware instants are converted and the answer is aware (Vietnam time); a date is its
    midnight."""
    utc = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 07:30 in Vietnam
    assert CAL.is_open_at(utc)
    out = CAL.add_working_time(utc, H)
    assert out.tzinfo is not None
    assert out.utcoffset() == timedelta(hours=7)
    assert out == datetime(2026, 3, 2, 8, 30, tzinfo=VN)
    assert CAL.next_open(T("2026-03-02 07:00")).tzinfo is None
    assert CAL.next_open(D("2026-03-02")) == T("2026-03-02 07:30")
    assert CAL.working_time_between(D("2026-03-02"), D("2026-03-03")) == 8 * H
    assert CAL.working_time_between(utc, T("2026-03-02 08:30")) == H


def test_bad_input_and_range() -> None:
    with pytest.raises(InvalidValueError, match="instant: expected a datetime"):
        CAL.is_open_at("2026-03-02 09:00")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"duration: expected a datetime\.timedelta"):
        CAL.add_working_time(T("2026-03-02 09:00"), 60)  # type: ignore[arg-type]
    with pytest.raises(CalendarRangeError, match="compiled range"):
        CAL.is_open_at(T("1999-12-31 09:00"))
    with pytest.raises(CalendarRangeError, match="after the last close"):
        CAL.add_working_time(T("2100-12-31 09:00"), 8 * H)
    with pytest.raises(CalendarRangeError, match="before the first opening"):
        CAL.add_working_time(T("2000-01-04 09:00"), -30 * 8 * H)
    with pytest.raises(CalendarRangeError):
        CAL.next_open(T("2100-12-31 18:00"))
    with pytest.raises(CalendarRangeError):
        CAL.previous_close(T("2000-01-03 08:00"))  # no close before the first working day's first session
    assert CAL.add_working_time(T("2100-12-29 09:00"), 8 * H) == T("2100-12-30 09:00")


def test_working_days_inclusive() -> None:
    """Both ends included; Tết skipped; empty when end < start."""
    assert CAL.working_days(D("2026-02-13"), D("2026-02-23")) == [D("2026-02-13"), D("2026-02-23")]
    assert CAL.working_days(D("2026-02-14"), D("2026-02-22")) == []
    assert CAL.working_days(D("2026-01-09"), D("2026-01-10")) == [D("2026-01-09"), D("2026-01-10")]
    assert CAL.working_days(D("2026-03-03"), D("2026-03-02")) == []
    days = CAL.working_days(D("2026-01-01"), D("2026-12-31"))
    assert len(days) == CAL.working_days_between(D("2025-12-31"), D("2026-12-31"))


def test_schedule_kinds() -> None:
    """The schedule table names each kind: working, make-up, weekend, holiday, swap, user day off."""
    cal = CAL.with_overlay(extra_days_off={D("2026-01-07"): "provincial closure (storm)"})
    rows = {r.day: r for r in cal.schedule(D("2026-01-01"), D("2026-01-12"))}
    assert len(rows) == 12
    assert rows[D("2026-01-01")].kind == "holiday"
    assert "12729/VPCP-KGVX" in (rows[D("2026-01-01")].reason or "")
    assert rows[D("2026-01-02")].kind == "swap"
    assert rows[D("2026-01-05")].kind == "working"
    assert rows[D("2026-01-05")].reason is None
    assert rows[D("2026-01-07")].kind == "user_day_off"
    assert rows[D("2026-01-07")].reason == "provincial closure (storm)"
    assert rows[D("2026-01-10")].kind == "make_up"
    assert rows[D("2026-01-10")].is_working
    assert rows[D("2026-01-11")].kind == "weekend"
    assert rows[D("2026-01-11")].sessions == ()
    assert rows[D("2026-01-05")].working_time == 8 * H
    assert rows[D("2026-01-11")].working_time == timedelta(0)
    assert "holiday" in repr(rows[D("2026-01-01")])
    for r in rows.values():
        assert r.is_working == cal.is_working_day(r.day)
    # the weekly rest days inside an announced break are part of it
    assert {r.kind for r in CAL.schedule(D("2026-02-14"), D("2026-02-22"))} == {"holiday"}


# -- properties and scalar = batch --------------------------------------------------------------------------------

# ±200 days of office time is about 600 working days: keep the answers inside 2000–2100
instants = st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2096, 12, 31))
durations = st.timedeltas(min_value=-timedelta(days=200), max_value=timedelta(days=200))

# non-uniform dated hours: a shorter winter, a half day, an extra evening session
WINTER = OfficeHours.of(("08:00", "12:00"), ("13:30", "16:30"))
DATED = DatedOfficeHours(
    OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00")),
    (
        OfficeHoursPeriod(WINTER, D("2025-10-01"), D("2026-03-31"), "winter 2025–2026"),
        OfficeHoursPeriod(WINTER, D("2040-10-01"), D("2041-03-31"), "winter 2040–2041"),
    ),
    (
        OfficeHoursOverride(D("2026-03-06"), OfficeHours.of(("08:00", "12:00")), "half day"),
        OfficeHoursOverride(D("2026-06-30"), OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00"), ("18:00", "20:00")),
                            "extra session"),
    ),
)  # fmt: skip
DATED_CAL = public_sector_calendar(office_hours=DATED)
near = st.datetimes(min_value=datetime(2025, 9, 1), max_value=datetime(2026, 8, 1))


@settings(max_examples=300)
@given(st.sampled_from([CAL, DATED_CAL]), instants, durations)
def test_add_then_between_is_the_duration(cal: object, t: datetime, d: timedelta) -> None:
    """working_time_between(t, add_working_time(t, d)) == d, both directions; the answer lands on office time."""
    assert isinstance(cal, type(CAL))
    out = cal.add_working_time(t, d)
    assert cal.working_time_between(t, out) == d
    if d > timedelta(0):
        assert out > t
        assert cal.is_open_at(out - US)  # the earliest instant: just before it the office was open
    elif d < timedelta(0):
        assert out < t
        assert cal.is_open_at(out)  # the latest instant: an open one


@settings(max_examples=200)
@given(st.sampled_from([CAL, DATED_CAL]), near, near, near)
def test_between_is_antisymmetric_and_additive(cal: object, a: datetime, b: datetime, c: datetime) -> None:
    assert isinstance(cal, type(CAL))
    ab, bc = cal.working_time_between(a, b), cal.working_time_between(b, c)
    assert cal.working_time_between(b, a) == -ab
    assert ab + bc == cal.working_time_between(a, c)
    assert ab >= timedelta(0) if a <= b else ab <= timedelta(0)


@settings(max_examples=200)
@given(st.sampled_from([CAL, DATED_CAL]), near)
def test_next_open_and_previous_close(cal: object, t: datetime) -> None:
    assert isinstance(cal, type(CAL))
    nxt = cal.next_open(t)
    assert nxt >= t
    assert cal.is_open_at(nxt)
    assert cal.working_time_between(t, nxt) == timedelta(0)  # nothing of a session lies between
    prev = cal.previous_close(t)
    assert prev <= t
    assert not cal.is_open_at(prev)
    assert cal.is_open_at(prev - US)


@settings(max_examples=100)
@given(st.sampled_from([CAL, DATED_CAL]), st.lists(st.tuples(instants, instants), min_size=1, max_size=40))
def test_between_many_equals_scalar(cal: object, rows: list[tuple[datetime, datetime]]) -> None:
    assert isinstance(cal, type(CAL))
    a = np.array([x for x, _ in rows], dtype="datetime64[us]")
    b = np.array([y for _, y in rows], dtype="datetime64[us]")
    out = cal.working_time_between_many(a, b)
    assert out.dtype == np.dtype("timedelta64[us]")
    assert [x.astype(object) for x in out] == [cal.working_time_between(x, y) for x, y in rows]


@settings(max_examples=100)
@given(st.sampled_from([CAL, DATED_CAL]), st.lists(st.tuples(instants, durations), min_size=1, max_size=40))
def test_add_many_equals_scalar(cal: object, rows: list[tuple[datetime, timedelta]]) -> None:
    assert isinstance(cal, type(CAL))
    t = np.array([x for x, _ in rows], dtype="datetime64[us]")
    d = np.array([y for _, y in rows], dtype="timedelta64[us]")
    out = cal.add_working_time_many(t, d)
    assert [x.astype(object) for x in out] == [cal.add_working_time(x, y) for x, y in rows]


def test_batch_nat_units_and_errors() -> None:
    a = np.array(["2026-03-02T10:00", "NaT", "2026-03-02T10:00"], dtype="datetime64[m]")
    b = np.array(["2026-03-02T14:00", "2026-03-02T14:00", "NaT"], dtype="datetime64[s]")
    out = CAL.working_time_between_many(a, b)
    assert out[0] == np.timedelta64(150, "m")
    assert np.isnat(out[1])
    assert np.isnat(out[2])
    moved = CAL.add_working_time_many(a, np.timedelta64(4, "h"))
    assert moved[0] == np.datetime64("2026-03-02T15:30")
    assert np.isnat(moved[1])
    with pytest.raises(InvalidValueError, match="start: expected a datetime64 array"):
        CAL.working_time_between_many(["2026-03-02"], b[:1])
    with pytest.raises(InvalidValueError, match="durations"):
        CAL.add_working_time_many(a, np.array([1, 2, 3]))
    with pytest.raises(CalendarRangeError, match=r"compiled range.*1 such rows"):
        CAL.working_time_between_many(np.array(["1999-06-01T08:00"], dtype="datetime64[us]"), b[:1])
    with pytest.raises(CalendarRangeError, match="outside the compiled range"):
        CAL.add_working_time_many(np.array(["2100-12-31T09:00"], dtype="datetime64[us]"), np.timedelta64(9, "h"))


def test_walk_agrees_minute_by_minute() -> None:
    """Office time over two weeks of the dated calendar (winter → summer, a half day, a make-up day) equals a
    minute-by-minute count of open minutes."""
    for start in (T("2026-03-02 00:00"), T("2026-03-25 06:00"), T("2026-06-26 00:00")):
        t, open_minutes = start, 0
        end = start + timedelta(days=14)
        while t < end:
            open_minutes += DATED_CAL.is_open_at(t)
            t += M
        assert DATED_CAL.working_time_between(start, end) == open_minutes * M
