"""The public names of :mod:`tthc.calendar`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .data_version import calendar_data_version as calendar_data_version
from .office_hours import DatedOfficeHours as DatedOfficeHours
from .office_hours import OfficeHours as OfficeHours
from .office_hours import OfficeHoursOverride as OfficeHoursOverride
from .office_hours import OfficeHoursPeriod as OfficeHoursPeriod
from .office_hours import load_office_hours as load_office_hours
from .schedule import DaySpan as DaySpan
from .schedule import ScheduleFile as ScheduleFile
from .schedule import ScheduleOccasion as ScheduleOccasion
from .schedule import ScheduleYear as ScheduleYear
from .schedule import load_schedule as load_schedule
from .working_calendar import WorkingCalendar as WorkingCalendar
from .working_calendar import public_sector_calendar as public_sector_calendar
from .working_time import ScheduledDay as ScheduledDay
