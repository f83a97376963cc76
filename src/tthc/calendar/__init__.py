"""The public-sector working calendar: ``holidays.VN`` + the cited public-sector schedule + overlays + office hours.

* :mod:`tthc.calendar.working_calendar` — :class:`WorkingCalendar` and :func:`public_sector_calendar`.
* :mod:`tthc.calendar.schedule` — the cited public-sector schedule (``data/public_sector_schedule.json``).
* :mod:`tthc.calendar.office_hours` — office hours and reception sessions.
"""

from __future__ import annotations

from tthc.calendar.office_hours import (
    OfficeHours,
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

__all__ = [
    "DaySpan",
    "OfficeHours",
    "ScheduleFile",
    "ScheduleOccasion",
    "ScheduleYear",
    "WorkingCalendar",
    "load_schedule",
    "public_sector_calendar",
]
