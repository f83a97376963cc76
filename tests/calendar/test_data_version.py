"""calendar_data_version: one function (tthc.calendar) for the service, the testing kit and the pytest pin."""

from __future__ import annotations

import hashlib
from datetime import date

from tthc.calendar import (
    DatedOfficeHours,
    OfficeHours,
    OfficeHoursOverride,
    calendar_data_version,
    load_office_hours,
    public_sector_calendar,
)
from tthc.testing import calendar_data_version as kit_version

BASE = public_sector_calendar()


def test_the_testing_kit_gives_the_same_version() -> None:
    assert kit_version() == calendar_data_version() == calendar_data_version(BASE)
    other = BASE.with_overlay(extra_days_off={date(2026, 3, 2): "closure"})
    assert kit_version(other) == calendar_data_version(other)


def test_with_the_default_hours_the_digest_is_that_of_the_days_alone() -> None:
    """Versions published before office hours were covered stay valid (pins keep passing)."""
    days_only = hashlib.sha256(BASE.first.isoformat().encode() + BASE.mask.tobytes()).hexdigest()[:8]
    assert calendar_data_version(BASE) == f"{BASE.last_announced_year}-{days_only}"
    same_hours = public_sector_calendar(office_hours=OfficeHours.default())
    assert calendar_data_version(same_hours) == calendar_data_version(BASE)


def test_every_day_and_every_change_of_hours_changes_the_version() -> None:
    v = calendar_data_version(BASE)
    assert calendar_data_version(BASE.with_overlay(extra_days_off=[date(2026, 3, 2)])) != v
    own = public_sector_calendar(office_hours=OfficeHours.of(("07:00", "11:00"), ("13:30", "17:30")))
    winter = public_sector_calendar(office_hours=load_office_hours("example-northern-winter"))
    assert len({v, calendar_data_version(own), calendar_data_version(winter)}) == 3
    assert calendar_data_version(winter).split("-")[0] == v.split("-")[0]
    # one override on one day is a different calendar
    half = DatedOfficeHours(overrides=(OfficeHoursOverride(date(2026, 3, 6), OfficeHours.of(("07:30", "11:30")), "x"),))
    assert calendar_data_version(public_sector_calendar(office_hours=half)) != v
    assert calendar_data_version(public_sector_calendar(office_hours=half)) == calendar_data_version(
        public_sector_calendar(office_hours=half)
    )
