""" "Today" as the library means it: the current date in Vietnam (Asia/Ho_Chi_Minh), whatever the machine's zone.

Every default day is this date: ``quote(on=None)``, ``check_postal_eligibility(on=None)``, the audit's day and the
KPI rules' month, the ``--on`` of ``tthc quote`` and ``tthc eligibility``, the HTTP quote. A server running in UTC
is still on yesterday from 00:00 to 07:00 Vietnam time.
"""

from __future__ import annotations

from datetime import date, datetime

from tthc.foundation.datetimes import VN_TZ

__all__ = ["vn_today"]


def vn_today() -> date:
    """The current date in Vietnam (UTC+7)."""
    return datetime.now(VN_TZ).date()
