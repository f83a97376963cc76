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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar

__all__ = ["calendar_data_version", "calendar_version_matches"]


def calendar_data_version(calendar: WorkingCalendar | None = None) -> str:
    """The version of a calendar's data, ``"<last announced year>-<digest>"``, as
    :func:`tthc.calendar.calendar_data_version` computes it (imported when called: loading the pytest plugin must
    not compile a calendar or import numpy).

    Args:
        calendar: the calendar to describe (default: the bundled public-sector calendar).
    """
    from tthc.calendar.data_version import calendar_data_version as version

    return version(calendar)


def calendar_version_matches(pinned: str, actual: str) -> bool:
    """Whether a pinned version accepts ``actual``: the whole version (``"2026-3733461f"``) must be equal; a bare
    year (``"2026"``) only asks that the schedule is announced up to that same year."""
    pinned = pinned.strip()
    if "-" in pinned:
        return pinned == actual
    return actual.split("-", 1)[0] == pinned
