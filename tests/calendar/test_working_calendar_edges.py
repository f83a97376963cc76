"""The working calendar at its edges: each overlay on its own, the next working day never skipping one, both ends
of every range, day kinds and their descriptions, and the batch forms around NaT and negative counts (issue 11,
item 14: tests found missing by mutation testing)."""

from __future__ import annotations

from datetime import date, datetime, time

import attrs
import numpy as np
import pytest

import tthc
from tthc.calendar.schedule import load_schedule
from tthc.calendar.working_calendar import OfficeHours, WorkingCalendar, public_sector_calendar
from tthc.errors import InvalidValueError

CAL = public_sector_calendar()
D = date.fromisoformat
CLOSURE = D("2026-11-25")  # a Wednesday, a working day in the bundled calendar
SATURDAY = D("2026-11-28")


def _mini() -> WorkingCalendar:
    """January 2030 (1 Jan is a Tuesday): Wed 2 Jan off, Sat 5 Jan worked.

    Built inside each test rather than at import, so that every test exercises ``compile`` itself.
    """
    return WorkingCalendar.compile(
        first=D("2030-01-01"),
        last=D("2030-01-31"),
        days_off={D("2030-01-02"): "mini day off", D("2029-12-31"): "outside the range"},
        working_days={D("2030-01-05"): "mini make-up", D("2030-02-02"): "outside the range"},
        last_announced_year=2030,
        description="mini",
    )


# -- overlays, each on its own -------------------------------------------------------------------------------------


def test_extra_days_off_alone_close_the_office() -> None:
    cal = public_sector_calendar(extra_days_off=[CLOSURE])
    assert not cal.is_working_day(CLOSURE)
    assert cal.describe_day(CLOSURE) == "a day off (extra day off (overlay))"
    assert cal.next_working_day(D("2026-11-24")) == D("2026-11-26")
    assert cal.working_days_between(D("2026-11-23"), D("2026-11-27")) == 2  # 24 Nov is off too
    assert cal.description.endswith(" + overlay")


def test_extra_working_days_alone_open_the_office() -> None:
    cal = public_sector_calendar(extra_working_days={SATURDAY: "catch-up Saturday"})
    assert cal.is_working_day(SATURDAY)
    assert cal.day_kind(SATURDAY) == "make_up"
    assert cal.describe_day(SATURDAY) == "a make-up working day (catch-up Saturday)"
    assert cal.next_working_day(D("2026-11-27")) == SATURDAY
    assert cal.make_up_days(SATURDAY, SATURDAY) == [SATURDAY]


def test_office_hours_alone_replace_the_hours_and_keep_the_days() -> None:
    hours = OfficeHours.of(("07:00", "11:00"), ("13:30", "17:30"))
    cal = public_sector_calendar(office_hours=hours)
    assert cal.office_hours == hours
    assert cal.is_working_day(CLOSURE)
    assert cal.description == CAL.description  # no day changed


def test_an_extra_working_day_on_a_holiday_drops_its_day_off_note() -> None:
    holiday = D("2026-09-02")
    cal = CAL.with_overlay(extra_working_days=[holiday])
    assert cal.is_working_day(holiday)
    assert cal.day_kind(holiday) == "working"
    assert cal.describe_day(holiday) == "a working day (extra working day (overlay))"
    assert holiday not in dict(cal.days_off(D("2026-08-29"), D("2026-09-02")))


def test_an_extra_day_off_on_a_make_up_saturday_removes_it() -> None:
    make_up = D("2026-01-10")
    cal = CAL.with_overlay(extra_days_off={make_up: "storm"})
    assert not cal.is_working_day(make_up)
    assert cal.day_kind(make_up) == "day_off"
    assert cal.describe_day(make_up) == "a day off (storm)"
    assert cal.make_up_days(D("2026-01-01"), D("2026-12-31")) == [D("2026-08-22")]


def test_an_empty_overlay_changes_nothing() -> None:
    cal = _mini().with_overlay()
    assert cal.description == "mini"
    assert [cal.is_working_day(D(f"2030-01-{d:02d}")) for d in range(1, 8)] == [
        _mini().is_working_day(D(f"2030-01-{d:02d}")) for d in range(1, 8)
    ]


def test_overlay_conflict_message_names_the_first_day_and_the_count() -> None:
    days = [D("2026-11-26"), CLOSURE]
    with pytest.raises(tthc.ConflictError) as info:
        public_sector_calendar(extra_days_off=days, extra_working_days=days)
    assert str(info.value) == (
        "overlay: 2026-11-25 is both an extra day off and an extra working day; expected each day in one overlay only"
        " (2 such days)"
    )


def test_overlay_values_must_be_dates_in_range() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        public_sector_calendar(extra_days_off=[datetime(2026, 11, 25, 8)])
    assert str(info.value) == "overlay: expected datetime.date values, got datetime.datetime(2026, 11, 25, 8, 0)"
    with pytest.raises(tthc.CalendarRangeError, match=r"^extra_working_days: expected a date in 2030-01-01\.\."):
        _mini().with_overlay(extra_working_days=[D("2030-02-02")])
    with pytest.raises(tthc.CalendarRangeError, match=r"^extra_days_off: expected a date in 2030-01-01\.\."):
        _mini().with_overlay(extra_days_off=[D("2029-12-31")])


# -- the next working day never skips one ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "following"),
    [
        ("2026-11-16", "2026-11-17"),  # Monday -> Tuesday
        ("2026-11-20", "2026-11-23"),  # Friday -> Monday
        ("2026-11-21", "2026-11-23"),  # Saturday -> Monday
        ("2026-01-09", "2026-01-10"),  # Friday -> the make-up Saturday
        ("2026-02-13", "2026-02-23"),  # across Tết 2026
        ("2026-11-23", "2026-11-25"),  # Monday -> Wednesday: Tuesday 24 Nov is Ngày Văn hóa Việt Nam
    ],
)
def test_next_working_day_is_the_first_working_day_after(day: str, following: str) -> None:
    assert CAL.next_working_day(D(day)) == D(following)


def test_next_working_day_equals_a_day_by_day_walk_over_a_year() -> None:
    day = D("2026-01-01")
    while day < D("2027-01-01"):
        nxt = CAL.next_working_day(day)
        assert CAL.is_working_day(nxt)
        assert CAL.working_days_between(day, nxt) == 1
        assert all(not CAL.is_working_day(date.fromordinal(o)) for o in range(day.toordinal() + 1, nxt.toordinal()))
        day = date.fromordinal(day.toordinal() + 1)


def test_roll_forward_keeps_a_working_day_and_moves_others() -> None:
    assert CAL.roll_forward(D("2026-11-23")) == D("2026-11-23")
    assert CAL.roll_forward(D("2026-01-10")) == D("2026-01-10")  # make-up Saturday
    assert CAL.roll_forward(D("2026-02-14")) == D("2026-02-23")
    assert CAL.roll_forward(datetime(2026, 11, 23, 16, 0)) == D("2026-11-23")
    assert type(CAL.roll_forward(datetime(2026, 11, 23, 16, 0))) is date


# -- counting both ways, both ends -----------------------------------------------------------------------------------


def test_mini_calendar_counts() -> None:
    # Jan 2030: Tue 1 work, Wed 2 off, Thu 3, Fri 4, Sat 5 (make-up), Sun 6 rest, Mon 7
    assert [_mini().is_working_day(D(f"2030-01-{d:02d}")) for d in range(1, 8)] == [
        True,
        False,
        True,
        True,
        True,
        False,
        True,
    ]
    assert _mini().add_working_days(D("2030-01-01"), 1) == D("2030-01-03")
    assert _mini().add_working_days(D("2030-01-01"), 3) == D("2030-01-05")
    assert _mini().add_working_days(D("2030-01-01"), 4) == D("2030-01-07")
    assert _mini().add_working_days(D("2030-01-07"), -1) == D("2030-01-05")
    assert _mini().add_working_days(D("2030-01-06"), -1) == D("2030-01-05")
    assert _mini().add_working_days(D("2030-01-03"), -1) == D("2030-01-01")
    assert _mini().working_days_between(D("2030-01-01"), D("2030-01-07")) == 4
    assert _mini().working_days_between(D("2030-01-07"), D("2030-01-01")) == -4
    assert _mini().working_days_between(D("2030-01-02"), D("2030-01-02")) == 0


def test_first_and_last_day_of_the_range_are_usable() -> None:
    assert _mini().first == D("2030-01-01")
    assert _mini().last == D("2030-01-31")
    assert _mini().is_working_day(D("2030-01-31"))  # a Thursday
    assert _mini().add_working_days(D("2030-01-30"), 1) == D("2030-01-31")
    assert _mini().add_working_days(D("2030-01-04"), -2) == D("2030-01-01")


def test_answers_outside_the_range_are_range_errors() -> None:
    with pytest.raises(tthc.CalendarRangeError) as info:
        _mini().add_working_days(D("2030-01-31"), 1)
    assert (
        str(info.value) == "n: 1 working days from 2030-01-31 lands outside the compiled range 2030-01-01..2030-01-31"
    )
    with pytest.raises(tthc.CalendarRangeError, match=r"^n: -1 working days from 2030-01-01 lands outside"):
        _mini().add_working_days(D("2030-01-01"), -1)
    with pytest.raises(tthc.CalendarRangeError) as info:
        _mini().is_working_day(D("2030-02-01"))
    assert str(info.value) == "date: expected a date in 2030-01-01..2030-01-31 (the compiled range), got 2030-02-01"
    with pytest.raises(tthc.CalendarRangeError, match=r"^end: expected a date in"):
        _mini().working_days_between(D("2030-01-01"), D("2030-02-01"))
    with pytest.raises(tthc.CalendarRangeError, match=r"^start: expected a date in"):
        _mini().working_days_between(D("2029-12-31"), D("2030-01-02"))
    with pytest.raises(tthc.CalendarRangeError, match=r"^date: expected"):
        _mini().add_working_days(D("2030-02-01"), 0)


def test_zero_days_from_a_datetime_is_its_date() -> None:
    out = CAL.add_working_days(datetime(2026, 11, 22, 9, 30), 0)
    assert (out, type(out)) == (D("2026-11-22"), date)
    with pytest.raises(tthc.InvalidValueError) as info:
        CAL.add_working_days("2026-11-22", 1)  # type: ignore[arg-type]
    assert str(info.value) == "date: expected a datetime.date, got '2026-11-22'"


def test_add_working_days_refuses_a_fraction_with_its_message() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        CAL.add_working_days(D("2026-11-23"), 1.5)  # type: ignore[arg-type]
    assert str(info.value) == "n: expected a whole number of working days, got 1.5"


# -- day kinds, descriptions, lists of days ---------------------------------------------------------------------------


def test_day_kinds_and_descriptions() -> None:
    assert (_mini().day_kind(D("2030-01-01")), _mini().describe_day(D("2030-01-01"))) == ("working", "a working day")
    assert (_mini().day_kind(D("2030-01-02")), _mini().describe_day(D("2030-01-02"))) == (
        "day_off",
        "a day off (mini day off)",
    )
    assert (_mini().day_kind(D("2030-01-05")), _mini().describe_day(D("2030-01-05"))) == (
        "make_up",
        "a make-up working day (mini make-up)",
    )
    assert (_mini().day_kind(D("2030-01-06")), _mini().describe_day(D("2030-01-06"))) == (
        "weekend",
        "a weekly rest day",
    )


def test_a_listed_weekend_day_off_is_a_day_off() -> None:
    # Sat 29 Aug 2026 lies inside the Quốc khánh break the schedule lists
    assert CAL.day_kind(D("2026-08-29")) == "day_off"
    assert CAL.day_kind(D("2026-08-22")) == "make_up"


def test_days_off_lists_both_ends_and_skips_weekly_rest() -> None:
    got = list(CAL.days_off(D("2026-08-29"), D("2026-09-02")))
    assert [d for d, _ in got] == [D("2026-08-29"), D("2026-08-30"), D("2026-08-31"), D("2026-09-01"), D("2026-09-02")]
    assert got[2][1].startswith("swapped weekday off, Quốc khánh 2026")
    assert list(CAL.days_off(D("2026-11-21"), D("2026-11-23"))) == []  # a plain weekend
    assert list(_mini().days_off(D("2030-01-02"), D("2030-01-02"))) == [(D("2030-01-02"), "mini day off")]


def test_make_up_days_are_inclusive_at_both_ends() -> None:
    assert CAL.make_up_days(D("2026-01-10"), D("2026-08-22")) == [D("2026-01-10"), D("2026-08-22")]
    assert CAL.make_up_days(D("2026-01-11"), D("2026-08-21")) == []
    assert _mini().make_up_days(D("2030-01-01"), D("2030-01-31")) == [D("2030-01-05")]


def test_projection_boundary() -> None:
    assert not _mini().is_projected(D("2030-01-31"))
    unannounced = WorkingCalendar.compile(first=D("2030-01-01"), last=D("2030-01-31"), days_off={}, working_days={})
    assert unannounced.is_projected(D("2030-01-01"))
    assert repr(unannounced) == (
        "<working calendar custom calendar: 2030-01-01..2030-01-31, weekmask 1111100, all projected>"
    )
    assert repr(_mini()) == "<working calendar mini: 2030-01-01..2030-01-31, weekmask 1111100, projected after 2030>"


# -- building --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekmask", "expected"),
    [
        ("111110", "seven '0'/'1' characters, Monday first (e.g. '1111100')"),
        ("11111000", "seven '0'/'1' characters, Monday first (e.g. '1111100')"),
        ("1111102", "seven '0'/'1' characters, Monday first (e.g. '1111100')"),
        ("0000000", "at least one working weekday"),
    ],
)
def test_weekmask_is_checked(weekmask: str, expected: str) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        WorkingCalendar.compile(
            first=D("2030-01-01"), last=D("2030-01-31"), days_off={}, working_days={}, weekmask=weekmask
        )
    assert str(info.value) == f"weekmask: expected {expected}, got {weekmask!r}"


def test_a_single_working_weekday_and_a_one_day_range() -> None:
    sundays = WorkingCalendar.compile(
        first=D("2030-01-01"), last=D("2030-01-31"), days_off={}, working_days={}, weekmask="0000001"
    )
    assert sundays.add_working_days(D("2030-01-01"), 1) == D("2030-01-06")
    one = WorkingCalendar.compile(first=D("2030-01-01"), last=D("2030-01-01"), days_off={}, working_days={})
    assert one.is_working_day(D("2030-01-01"))
    with pytest.raises(tthc.InvalidValueError) as info:
        WorkingCalendar.compile(first=D("2030-01-02"), last=D("2030-01-01"), days_off={}, working_days={})
    assert str(info.value) == "last: expected a date on or after 2030-01-02, got datetime.date(2030, 1, 1)"


def test_working_days_win_over_days_off_when_compiling() -> None:
    cal = WorkingCalendar.compile(
        first=D("2030-01-01"),
        last=D("2030-01-31"),
        days_off={D("2030-01-03"): "off"},
        working_days={D("2030-01-03"): "on"},
    )
    assert cal.is_working_day(D("2030-01-03"))


def test_the_year_range_is_checked() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        public_sector_calendar(first_year=2031, last_year=2030)
    assert str(info.value) == "first_year/last_year: expected 2000 <= first_year <= last_year <= 2100, got (2031, 2030)"
    with pytest.raises(tthc.InvalidValueError, match="first_year/last_year"):
        public_sector_calendar(first_year=1999, last_year=2001)
    with pytest.raises(tthc.InvalidValueError, match="first_year/last_year"):
        public_sector_calendar(first_year=2100, last_year=2201)


def test_a_narrow_range_from_2000_builds() -> None:
    cal = public_sector_calendar(first_year=2000, last_year=2000)
    assert (cal.first, cal.last) == (D("2000-01-01"), D("2000-12-31"))
    assert not cal.is_working_day(D("2000-01-01"))


def test_culture_day_switch_names_itself() -> None:
    without = public_sector_calendar(culture_day=False)
    assert without.description.endswith(", without 24 Nov")
    assert without.is_working_day(D("2026-11-24"))
    assert not CAL.is_working_day(D("2026-11-24"))
    assert "Ngày Văn hóa Việt Nam" in CAL.describe_day(D("2026-11-24"))


# -- batch forms ------------------------------------------------------------------------------------------------------


def test_batch_with_a_scalar_count_negative_and_zero() -> None:
    days = np.array(["2030-01-01", "2030-01-02", "2030-01-06", "NaT"], dtype="datetime64[D]")
    assert list(_mini().add_working_days_many(days, 1).astype(str)) == ["2030-01-03", "2030-01-03", "2030-01-07", "NaT"]
    assert list(_mini().add_working_days_many(days, 0).astype(str)) == ["2030-01-01", "2030-01-02", "2030-01-06", "NaT"]
    back = _mini().add_working_days_many(days[:3], np.array([0, -1, -2]))
    assert list(back.astype(str)) == ["2030-01-01", "2030-01-01", "2030-01-04"]


def test_batch_answers_outside_the_range_are_refused() -> None:
    with pytest.raises(tthc.CalendarRangeError):
        _mini().add_working_days_many(np.array(["2030-01-31"], dtype="datetime64[D]"), np.array([1]))
    with pytest.raises(tthc.CalendarRangeError):
        _mini().add_working_days_many(np.array(["2030-01-01", "2030-01-03"], dtype="datetime64[D]"), np.array([1, -2]))
    with pytest.raises(tthc.CalendarRangeError) as info:
        _mini().is_working_day_many(np.array(["2030-01-01", "2030-02-01", "2030-03-01"], dtype="datetime64[D]"))
    assert str(info.value) == (
        "dates: expected dates in 2030-01-01..2030-01-31 (the compiled range), got 2030-02-01 (2 such rows)"
    )


def test_batch_accepts_text_dates_and_refuses_garbage() -> None:
    assert list(_mini().is_working_day_many(["2030-01-01", "2030-01-02", "NaT"])) == [True, False, False]
    with pytest.raises(tthc.InvalidValueError) as info:
        _mini().is_working_day_many(["not a date"])
    assert str(info.value).startswith("dates: expected an array of dates (datetime64[D]), got ")


def test_batch_between_matches_the_scalar_path_both_ways() -> None:
    a = np.array(["2030-01-01", "2030-01-07", "2030-01-02"], dtype="datetime64[D]")
    b = np.array(["2030-01-07", "2030-01-01", "2030-01-02"], dtype="datetime64[D]")
    assert list(_mini().working_days_between_many(a, b)) == [4, -4, 0]


# -- the calendar built from a schedule file ---------------------------------------------------------------------------


def test_the_bundled_schedule_passed_as_a_file_gives_the_default_calendar() -> None:
    first, last = D("2014-01-01"), D("2027-12-31")
    cal = public_sector_calendar(schedule=load_schedule(None), first_year=2014, last_year=2027)
    assert (cal.first, cal.last, cal.last_announced_year) == (first, last, 2026)
    assert cal.description == "public sector (holidays.VN + public_sector_schedule.json)"
    offset = first.toordinal() - CAL.first.toordinal()
    assert np.array_equal(cal.mask, CAL.mask[offset : offset + len(cal.mask)])
    assert list(cal.days_off(first, last)) == list(CAL.days_off(first, last))
    assert cal.make_up_days(first, last) == CAL.make_up_days(first, last)
    # the facts behind it: a listed occasion's swap (Tết Dương lịch 2026, 12729/VPCP-KGVX) ...
    assert cal.describe_day(D("2026-01-02")).startswith("a day off (swapped weekday off, Tết Dương lịch 2026")
    assert cal.describe_day(D("2026-01-10")).startswith("a make-up working day (Tết Dương lịch 2026")
    # ... an occasion the file does not list keeps holidays.VN's swap (Tết 2015) ...
    assert cal.describe_day(D("2015-02-16")) == "a day off (Day off (substituted from 02/14/2015) [holidays.VN swap])"
    assert cal.describe_day(D("2015-02-14")) == (
        "a make-up working day (make-up working day for 2015-02-16 [holidays.VN swap])"
    )
    # ... and a projected year has the statutory days only
    assert cal.is_projected(D("2027-02-08"))
    assert cal.describe_day(D("2027-02-08")) == "a day off (Third Day of Lunar New Year)"
    assert cal.make_up_days(D("2027-01-01"), last) == []


# -- attrs.evolve: the standard way to "modify" a frozen value (found by a hostile review, session 8) ----------------


def test_a_calendar_evolved_with_another_announced_year_is_answered_from_its_own_tables() -> None:
    """The caches (batch arrays, working-time tables, what ``compute_due`` keeps per calendar) were constructor
    fields, so ``attrs.evolve`` handed the original's to the new calendar: a 2027 due date on a calendar announced up
    to 2030 still said ``projected`` (the original's 2026), and reading its trace raised a bare ``AssertionError``."""
    from tthc import compute_due

    cal = public_sector_calendar()
    later = datetime(2027, 3, 1, 9)
    assert compute_due(later, "10 ngày làm việc", calendar=cal).projected  # the original's tables are built
    cal.add_working_days_many(np.array(["2027-03-01"], dtype="datetime64[D]"), 3)
    announced = attrs.evolve(cal, last_announced_year=2030)
    assert not announced.is_projected(later.date())
    due = compute_due(later, "10 ngày làm việc", calendar=announced)
    assert due.projected is False
    assert due.steps_in("en")  # the trace agrees with the answer
    assert compute_due(later, "10 ngày làm việc", calendar=cal).projected  # the original is unchanged


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"office_hours": OfficeHours(((time(8), time(12)), (time(13, 30), time(17, 30))))},
         "office_hours"),
        ({"first": date(2020, 1, 1)}, "first/last"),
        ({"last": date(2099, 12, 31)}, "first/last"),
    ],
)  # fmt: skip
def test_evolving_what_is_compiled_into_the_tables_is_refused_naming_the_way(
    change: dict[str, object], field: str
) -> None:
    """Other hours or days through ``attrs.evolve`` would answer from tables compiled for the original ones (12:30 +
    8 working hours due 11:30 under 08:00–12:00 / 13:30–17:30 hours): refused, naming the field and the way to do it."""
    cal = public_sector_calendar()
    with pytest.raises(InvalidValueError) as info:
        attrs.evolve(cal, **change)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "with_overlay" in str(info.value) or "compile" in str(info.value)
