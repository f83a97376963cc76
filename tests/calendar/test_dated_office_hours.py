"""Office hours by date: periods (inclusive on both sides), per-day overrides, the data file, compiled into working
time."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from tthc.calendar import (
    DatedOfficeHours,
    OfficeHours,
    OfficeHoursOverride,
    OfficeHoursPeriod,
    load_office_hours,
    public_sector_calendar,
)
from tthc.errors import ConflictError, DataFileError, InvalidValueError, NotFoundError

D = date.fromisoformat
T = datetime.fromisoformat
H = timedelta(hours=1)
M = timedelta(minutes=1)

SUMMER = OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00"))  # 8 h
WINTER = OfficeHours.of(("07:30", "12:00"), ("13:00", "16:00"))  # 7 h 30: not the same length on purpose
HALF = OfficeHours.of(("07:30", "11:30"))
EXTRA = OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00"), ("18:00", "20:00"))
HOURS = DatedOfficeHours(
    SUMMER,
    (OfficeHoursPeriod(WINTER, D("2025-10-01"), D("2026-03-31"), "winter 2025–2026"),),
    (
        OfficeHoursOverride(D("2026-03-06"), HALF, "half-day closure"),
        OfficeHoursOverride(D("2026-06-30"), EXTRA, "extra evening session"),
    ),
    office="test",
)
CAL = public_sector_calendar(office_hours=HOURS)


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        ("2025-09-30", SUMMER),  # the day before the period
        ("2025-10-01", WINTER),  # valid_from is included
        ("2026-03-31", WINTER),  # valid_until is included
        ("2026-04-01", SUMMER),  # the day after
        ("2026-03-06", HALF),  # an override wins over the period
        ("2026-06-30", EXTRA),
    ],
)
def test_hours_in_force_on_each_side_of_a_period(day: str, hours: OfficeHours) -> None:
    assert HOURS.on(D(day)) == hours
    assert CAL.office_hours_on(D(day)) == hours
    assert CAL.sessions_on(D(day)) == hours.sessions


def test_day_off_has_no_sessions_but_knows_its_hours() -> None:
    assert CAL.sessions_on(D("2026-03-07")) == ()  # Saturday
    assert CAL.office_hours_on(D("2026-03-07")) == WINTER


def test_working_time_uses_the_hours_of_each_day() -> None:
    # winter Tue 31 Mar: 7 h 30; summer Wed 1 Apr: 8 h; the opening moves from 07:30 to 07:00
    assert CAL.working_time_between(T("2026-03-31 00:00"), T("2026-04-01 00:00")) == 7 * H + 30 * M
    assert CAL.working_time_between(T("2026-04-01 00:00"), T("2026-04-02 00:00")) == 8 * H
    assert CAL.next_open(T("2026-03-31 17:00")) == T("2026-04-01 07:00")
    assert CAL.previous_close(T("2026-04-01 08:00")) == T("2026-03-31 16:00")
    assert CAL.is_open_at(T("2026-03-31 16:15")) is False  # winter close 16:00
    assert CAL.is_open_at(T("2026-04-01 16:15")) is True
    # half-day closure: Fri 6 Mar closes at 11:30 for the day; 2 h from 10:30 ends Mon 9 Mar 08:30 (winter)
    assert CAL.add_working_time(T("2026-03-06 10:30"), 2 * H) == T("2026-03-09 08:30")
    assert not CAL.is_open_at(T("2026-03-06 14:00"))
    # extra session: 30 Jun 17:00 + 1 h = 19:00 (not 1 Jul)
    assert CAL.add_working_time(T("2026-06-30 17:00"), H) == T("2026-06-30 19:00")
    assert CAL.is_open_at(T("2026-06-30 19:59"))


def test_schedule_names_the_hours_source() -> None:
    rows = {r.day: r for r in CAL.schedule(D("2026-03-05"), D("2026-04-01"))}
    assert rows[D("2026-03-05")].hours_source == "winter 2025–2026"
    assert rows[D("2026-03-06")].hours_source == "half-day closure"
    assert rows[D("2026-03-06")].working_time == 4 * H
    assert rows[D("2026-04-01")].hours_source is None
    assert rows[D("2026-03-07")].hours_source is None
    assert rows[D("2026-03-07")].sessions == ()


def test_default_behaviour_unchanged_without_dated_hours() -> None:
    cal = public_sector_calendar()
    assert cal.dated_hours.is_constant
    assert cal.office_hours == OfficeHours.default()
    assert cal.office_hours_on(D("2026-01-05")) == OfficeHours.default()
    plain = public_sector_calendar(office_hours=SUMMER)
    assert plain.office_hours == SUMMER
    assert plain.dated_hours.is_constant
    assert CAL.office_hours == SUMMER  # the attribute stays the default hours
    assert CAL.with_overlay(extra_working_days=[D("2026-03-07")]).sessions_on(D("2026-03-07")) == WINTER.sessions


def test_conflicts_and_bad_values() -> None:
    with pytest.raises(ConflictError, match="share 2026-03-31"):
        DatedOfficeHours(
            SUMMER,
            (
                OfficeHoursPeriod(WINTER, D("2025-10-01"), D("2026-03-31"), "a"),
                OfficeHoursPeriod(HALF, D("2026-03-31"), D("2026-04-30"), "b"),
            ),
        )
    DatedOfficeHours(  # adjacent periods do not conflict
        SUMMER,
        (
            OfficeHoursPeriod(WINTER, D("2025-10-01"), D("2026-03-31"), "a"),
            OfficeHoursPeriod(HALF, D("2026-04-01"), None, "b"),
        ),
    )
    with pytest.raises(ConflictError, match="share 2026-04-01"):  # an open-ended period overlaps
        DatedOfficeHours(
            SUMMER,
            (
                OfficeHoursPeriod(WINTER, D("2025-10-01"), None, "a"),
                OfficeHoursPeriod(HALF, D("2026-04-01"), None, "b"),
            ),
        )
    with pytest.raises(ConflictError, match="two overrides"):
        DatedOfficeHours(
            SUMMER,
            (),
            (OfficeHoursOverride(D("2026-03-06"), HALF, "x"), OfficeHoursOverride(D("2026-03-06"), HALF, "y")),
        )
    with pytest.raises(InvalidValueError, match=r"period\.valid_until: expected a date on or after"):
        OfficeHoursPeriod(WINTER, D("2026-03-31"), D("2026-03-30"))
    OfficeHoursPeriod(WINTER, D("2026-03-31"), D("2026-03-31"))  # a one-day period
    with pytest.raises(InvalidValueError, match=r"override\.day"):
        OfficeHoursOverride(datetime(2026, 3, 6, 8), HALF, "x")
    with pytest.raises(InvalidValueError, match=r"override\.hours"):
        OfficeHoursOverride(D("2026-03-06"), (time(8), time(9)), "x")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="office_hours"):
        public_sector_calendar(office_hours="07:30-17:00")  # type: ignore[arg-type]


def test_override_on_a_day_off_is_a_conflict() -> None:
    on_saturday = DatedOfficeHours(SUMMER, (), (OfficeHoursOverride(D("2026-03-07"), HALF, "Saturday session"),))
    with pytest.raises(ConflictError, match=r"2026-03-07.*not a working day"):
        public_sector_calendar(office_hours=on_saturday)
    # opening the day first is the way to do it
    opened = public_sector_calendar(office_hours=on_saturday, extra_working_days=[D("2026-03-07")])
    assert opened.sessions_on(D("2026-03-07")) == HALF.sessions
    with pytest.raises(ConflictError, match="2026-03-06"):
        CAL.with_overlay(extra_days_off=[D("2026-03-06")])


def test_bundled_example_file() -> None:
    hours = load_office_hours("example-northern-winter")
    assert hours.office == "example-northern-winter"
    assert hours.default.sessions[0] == (time(7), time(11, 30))
    winter = hours.on(D("2026-01-05"))
    assert winter.sessions == ((time(7, 30), time(12)), (time(13), time(16, 30)))
    assert hours.on(D("2026-04-01")) == hours.default
    assert all(p.reference is not None and p.reference.tag == "example" for p in hours.periods)
    cal = public_sector_calendar(office_hours=hours)
    assert cal.next_open(T("2026-03-31 17:00")) == T("2026-04-01 07:00")
    assert len(cal.sessions_on(D("2026-03-06"))) == 1  # the example half-day closure
    with pytest.raises(NotFoundError, match="example-northern-winter"):
        load_office_hours("no-such-office")


def test_bad_office_hours_files(tmp_path: Path) -> None:
    p = tmp_path / "hours.json"
    p.write_text(json.dumps({"offices": [{"office": "x", "name": "x", "periods": "nope", "reference": {}}]}), "utf-8")
    with pytest.raises(DataFileError, match=r"hours\.json: offices\.0\.periods"):
        load_office_hours("x", p)
    entry = {
        "office": "x",
        "name": "x",
        "default": {"sessions": [["13:00", "11:00"]]},
        "reference": {"document": "test", "tag": "example"},
    }
    p.write_text(json.dumps({"offices": [entry]}), "utf-8")
    with pytest.raises(InvalidValueError, match=r"x\.office_hours\.sessions"):
        load_office_hours("x", p)
    entry["default"] = {"sessions": [["7h30", "11:00"]]}
    p.write_text(json.dumps({"offices": [entry]}), "utf-8")
    with pytest.raises(DataFileError, match="sessions"):
        load_office_hours("x", p)
