"""The public-sector working calendar: ``holidays.VN`` + the cited public-sector schedule + overlays + office hours.

* :mod:`tthc.calendar.working_calendar` — :class:`WorkingCalendar` and :func:`public_sector_calendar`.
* :mod:`tthc.calendar.working_time` — working time at the instant (``is_open_at``, ``add_working_time``,
  ``working_time_between``, ``schedule`` ...), the methods :class:`WorkingCalendar` carries.
* :mod:`tthc.calendar.schedule` — the cited public-sector schedule (``data/public_sector_schedule.json``).
* :mod:`tthc.calendar.office_hours` — office hours and reception sessions, and office hours by date
  (``data/office_hours.json``).
* :mod:`tthc.calendar.data_version` — :func:`calendar_data_version`, the version of a calendar's data.
"""

from __future__ import annotations

from tthc.calendar.data_version import calendar_data_version
from tthc.calendar.office_hours import (
    DatedOfficeHours,
    OfficeHours,
    OfficeHoursOverride,
    OfficeHoursPeriod,
    load_office_hours,
)
from tthc.calendar.schedule import (
    DaySpan,
    ScheduleFile,
    ScheduleOccasion,
    ScheduleYear,
    load_schedule,
)
from tthc.calendar.working_calendar import (
    WorkingCalendar,
    public_sector_calendar,
)
from tthc.calendar.working_time import (
    ScheduledDay,
)

__all__ = [
    "DatedOfficeHours",
    "DaySpan",
    "OfficeHours",
    "OfficeHoursOverride",
    "OfficeHoursPeriod",
    "ScheduleFile",
    "ScheduleOccasion",
    "ScheduleYear",
    "ScheduledDay",
    "WorkingCalendar",
    "calendar_data_version",
    "load_office_hours",
    "load_schedule",
    "public_sector_calendar",
]
