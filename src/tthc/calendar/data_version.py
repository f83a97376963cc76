"""The version of a calendar's data, as the HTTP service reports it and the pytest pin checks it.

The bundled data files carry no version field, so a calendar is named by what it compiles to: the last announced year
and a digest of every compiled day (and, when they are not the bundled default, the office hours in force on each
day). One function computes it; :mod:`tthc.server` and :mod:`tthc.testing` call it.
"""

from __future__ import annotations

import hashlib

import numpy as np

from tthc.calendar.office_hours import DatedOfficeHours
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar

__all__ = ["calendar_data_version"]


def calendar_data_version(calendar: WorkingCalendar | None = None) -> str:
    """The version of a calendar's data: ``"<last announced year>-<digest>"``, e.g. ``"2026-3733461f"``.

    The digest (the first 8 hex digits of a SHA-256) covers every compiled day — the bundled public-sector schedule,
    the ``holidays`` package's statutory days and any overlay — so it changes whenever a working day changes (a new
    year's swaps announced, a ``holidays`` upgrade that moves a day) and stays the same otherwise. Office hours other
    than the bundled default (constant or by date) are part of the digest too, since due instants depend on them;
    with the default hours the digest is that of the days alone, as it was before hours were covered. The year part
    says how far the schedule is announced; later years are projected.

    Args:
        calendar: the calendar to describe (default: the bundled public-sector calendar).
    """
    if calendar is None:
        calendar = public_sector_calendar()
    digest = hashlib.sha256(calendar.first.isoformat().encode() + calendar.mask.tobytes())
    if calendar.dated_hours != DatedOfficeHours():
        first = np.datetime64(calendar.first, "D")
        days = first + np.arange((calendar.last - calendar.first).days + 1)
        hours, which = calendar.office_hours_many(days)
        digest.update(repr([(h.sessions, h.saturday_reception) for h in hours]).encode())
        digest.update(which.astype(np.int16).tobytes())
    year = calendar.last_announced_year
    return f"{year if year is not None else 'none'}-{digest.hexdigest()[:8]}"
