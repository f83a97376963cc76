"""Testing kit for downstream suites (extra ``testing``): hypothesis strategies and a pytest plugin.

* :mod:`tthc.testing.strategies` — hypothesis strategies, valid by construction or invalid on purpose (imports
  hypothesis, never pytest);
* :mod:`tthc.testing.plugin` — the pytest plugin (entry point ``pytest11``, loaded automatically once ``tthc`` is
  installed): fixtures ``tthc_calendar``, ``tthc_sample_catalog``, ``tthc_dossiers``, ``tthc_dossier_file``,
  ``tthc_calendar_version`` and the marker ``tthc_calendar_version("...")``;
* :mod:`tthc.testing.hypothesis_setup` — registration so that ``st.from_type(tthc.Procedure)`` works (entry point
  ``hypothesis``, run by hypothesis itself when it loads).

This package itself imports neither hypothesis nor pytest.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar

__all__ = ["calendar_data_version", "calendar_version_matches"]


def calendar_data_version(calendar: WorkingCalendar | None = None) -> str:
    """The version of a calendar's data: ``"<last announced year>-<digest>"``, e.g. ``"2026-3733461f"``.

    The digest covers every compiled day (the bundled public-sector schedule, the ``holidays`` package's statutory
    days and any overlay), so it changes whenever any working day changes — a new year's swaps announced, a
    ``holidays`` upgrade that moves a day — and stays the same otherwise. The year part says how far the schedule
    is announced; later years are projected.

    Args:
        calendar: the calendar to describe (default: the bundled public-sector calendar).
    """
    if calendar is None:
        from tthc.calendar.working_calendar import public_sector_calendar

        calendar = public_sector_calendar()
    digest = hashlib.sha256(calendar.first.isoformat().encode() + calendar.mask.tobytes()).hexdigest()[:8]
    year = calendar.last_announced_year
    return f"{year if year is not None else 'none'}-{digest}"


def calendar_version_matches(pinned: str, actual: str) -> bool:
    """Whether a pinned version accepts ``actual``: the whole version (``"2026-3733461f"``) must be equal; a bare
    year (``"2026"``) only asks that the schedule is announced up to that same year."""
    pinned = pinned.strip()
    if "-" in pinned:
        return pinned == actual
    return actual.split("-", 1)[0] == pinned
