"""The public-sector working calendar: ``holidays.VN`` + the cited public-sector schedule + overlays + office hours.

* :mod:`tthc.calendar.working_calendar` — :class:`WorkingCalendar` and :func:`public_sector_calendar`.
* :mod:`tthc.calendar.working_time` — working time at the instant (``is_open_at``, ``add_working_time``,
  ``working_time_between``, ``schedule`` ...), the methods :class:`WorkingCalendar` carries.
* :mod:`tthc.calendar.schedule` — the cited public-sector schedule (``data/public_sector_schedule.json``).
* :mod:`tthc.calendar.office_hours` — office hours and reception sessions, and office hours by date
  (``data/office_hours.json``).
* :mod:`tthc.calendar.data_version` — :func:`calendar_data_version`, the version of a calendar's data.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
