"""Defaults of the KPI report that the CLI shows in its help: a module importing nothing, so that ``tthc kpi --help``
reads them without loading numpy."""

from __future__ import annotations

from typing import Final

__all__ = ["MIN_DOSSIERS"]

MIN_DOSSIERS: Final = 30
"""Default minimum number of dossiers behind a monthly figure: a month with fewer dossiers judged (on-time rate) or
received (online share) is greyed out and its points are not joined, since a handful of dossiers moves a rate by
tens of points (``render_html(min_dossiers=...)``, ``tthc kpi --min-dossiers``)."""
