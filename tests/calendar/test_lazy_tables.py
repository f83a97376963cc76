"""The calendar's tables without numpy (issue 16, item 5): the scalar path runs on plain-Python tables, the numpy
arrays of the batch path are zero-copy views built on first use, and the working-time tables are compiled on first
use — with the same answers as before and the same errors at the same moment."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.office_hours import DatedOfficeHours, OfficeHours, OfficeHoursOverride
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.errors import CalendarRangeError, ConflictError

CAL = public_sector_calendar(first_year=2024, last_year=2027)


def _fresh() -> WorkingCalendar:
    return CAL.with_overlay(extra_days_off={date(2026, 3, 2): "closure"})


def test_numpy_views_equal_the_scalar_tables_and_are_read_only() -> None:
    cal = _fresh()
    days = [cal.first + timedelta(days=k) for k in range((cal.last - cal.first).days + 1)]
    assert cal.mask.tolist() == [cal.is_working_day(d) for d in days]
    assert cal.cumulative.tolist() == [cal.working_days_between(cal.first, d) + cal.mask[0] for d in days]
    assert cal.positions.tolist() == [k for k, d in enumerate(days) if cal.is_working_day(d)]
    for arr in (cal.mask, cal.cumulative, cal.positions):
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0  # a view of the calendar's own tables: never written through
    assert [str(a.dtype) for a in (cal.mask, cal.cumulative, cal.positions)] == ["bool", "int32", "int32"]


def test_working_time_tables_are_built_on_first_use_only() -> None:
    cal = _fresh()
    assert cal.add_working_days(date(2026, 2, 27), 1) == date(2026, 3, 3)  # the overlay's closure skipped
    assert cal.dated_hours.is_constant
    assert cal._tables == []  # a count in working days never compiles office time
    assert cal.add_working_time(datetime(2026, 2, 27, 16, 0), timedelta(hours=2)) == datetime(2026, 3, 3, 8, 30)
    assert len(cal._tables) == 1
    built = cal._tables[0]
    cal.is_open_at(datetime(2026, 3, 3, 8, 0))
    assert cal._tables == [built]  # built once


def test_an_override_on_a_day_off_still_fails_when_the_calendar_is_built() -> None:
    hours = DatedOfficeHours(
        OfficeHours.default(),
        overrides=(OfficeHoursOverride(date(2026, 3, 7), OfficeHours(((time(8), time(11)),)), "Saturday"),),
    )
    with pytest.raises(ConflictError, match="2026-03-07"):
        CAL.with_overlay(office_hours=hours)  # not at the first working-time question


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(date(2024, 1, 1), date(2027, 11, 30)),
    n=st.integers(0, 20),
    minutes=st.integers(0, 24 * 60 - 1),
    hours=st.integers(-30, 30),
)
def test_a_pickled_calendar_answers_like_the_original(day: date, n: int, minutes: int, hours: int) -> None:
    """Dask ships calendars to workers: the lazily built parts travel (or are rebuilt) with the same answers."""
    cal = _fresh()
    copy = pickle.loads(pickle.dumps(cal))
    at = datetime.combine(day, time()) + timedelta(minutes=minutes)
    assert copy.add_working_days(day, n) == cal.add_working_days(day, n)
    assert _outcome(copy.add_working_time, at, hours) == _outcome(cal.add_working_time, at, hours)
    ds = np.array([day], "datetime64[D]")
    assert copy.add_working_days_many(ds, np.array([n])).tolist() == [cal.add_working_days(day, n)]


def _outcome(add: Callable[[datetime, timedelta], datetime], at: datetime, hours: int) -> object:
    """The answer, or the error's text: back from the first days of the range, both refuse alike."""
    try:
        return add(at, timedelta(hours=hours))
    except CalendarRangeError as exc:
        return str(exc)


def test_scalar_calendar_work_imports_no_numpy() -> None:
    code = (
        "import sys, datetime as d\n"
        "from tthc.calendar.working_calendar import public_sector_calendar\n"
        "cal = public_sector_calendar(first_year=2024, last_year=2027)\n"
        "cal.add_working_days(d.date(2026, 2, 12), 3); cal.with_overlay(extra_days_off=[d.date(2026, 3, 2)])\n"
        "cal.add_working_time(d.datetime(2026, 2, 12, 9), d.timedelta(hours=30)); cal.days_off(cal.first, cal.last)\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
