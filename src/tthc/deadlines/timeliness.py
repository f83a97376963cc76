"""Timeliness of a finished dossier: early / on time / late, with overdue working days (domain.md §6)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import attrs

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines.counting import to_local
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import expect
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_

__all__ = ["ClassifiedFinish", "Timeliness", "classify", "classify_detail"]


class _HasDue(Protocol):
    """Anything with a ``due_at`` and a ``reason`` (a :class:`tthc.deadlines.compute.DueDate`)."""

    @property
    def due_at(self) -> datetime | None: ...

    @property
    def reason(self) -> str | None: ...


class Timeliness(TthcStrEnum):
    """Per-dossier class used by portals (domain.md §6; TT 01/2018 Điều 13 scores them 2 / 1 / 0)."""

    EARLY = "early"  # trước hạn: finished on a day before the due day
    ON_TIME = "on_time"  # đúng hạn: on the due day, not after the due instant
    LATE = "late"  # trễ hạn / quá hạn: after the due instant


@attrs.frozen(slots=True)
class ClassifiedFinish:
    """A timeliness class with the overdue working days (0 unless late)."""

    timeliness: Timeliness
    overdue_working_days: int
    due_at: datetime
    finished_at: datetime | None

    @property
    def score(self) -> int:
        """TT 01/2018 Điều 13: early 2, on time 1, late 0."""
        return {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}[self.timeliness]


def classify_detail(
    due_at: datetime | _HasDue,
    finished_at: datetime | None,
    *,
    calendar: WorkingCalendar | None = None,
    as_of: datetime | None = None,
) -> ClassifiedFinish:
    """Classify a finish against a due instant, with the overdue working days.

    Early: finished on a day before the due day. On time: on the due day, not after the due instant. Late: after
    the due instant; ``overdue_working_days`` = working days d with due day < d <= finish day (a late finish on
    the due day itself counts 0). An unfinished dossier (``finished_at`` None) is judged at ``as_of`` (required):
    still within time counts as on time (QĐ 766 2.1 "or still within time").

    Raises:
        InvalidValueError: no due instant, or an unfinished dossier without ``as_of``.
    """
    if not isinstance(due_at, datetime) and hasattr(due_at, "due_at"):
        if due_at.due_at is None:
            why = getattr(due_at, "reason_words", None) or due_at.reason or ""  # worded when it can be
            raise InvalidValueError("due_at", N_("a due instant"), None, detail=why)
        due_at = due_at.due_at
    if not isinstance(due_at, datetime):
        raise InvalidValueError("due_at", N_("a datetime"), due_at)
    cal = calendar if calendar is not None else public_sector_calendar()
    expect(cal, WorkingCalendar, "calendar", "a tthc.WorkingCalendar (e.g. tthc.public_sector_calendar())")
    due = to_local(due_at, "due_at")
    if finished_at is None:
        if as_of is None:
            raise InvalidValueError("finished_at", N_("a datetime, or as_of to judge an open dossier"), None)
        at = to_local(as_of, "as_of")
        if at <= due:
            return ClassifiedFinish(Timeliness.ON_TIME, 0, due_at, None)
        return ClassifiedFinish(Timeliness.LATE, max(cal.working_days_between(due.date(), at.date()), 0), due_at, None)
    fin = to_local(finished_at, "finished_at")
    if fin.date() < due.date():
        return ClassifiedFinish(Timeliness.EARLY, 0, due_at, finished_at)
    if fin <= due:
        return ClassifiedFinish(Timeliness.ON_TIME, 0, due_at, finished_at)
    return ClassifiedFinish(
        Timeliness.LATE, max(cal.working_days_between(due.date(), fin.date()), 0), due_at, finished_at
    )


def classify(
    due_at: datetime | _HasDue, finished_at: datetime, *, calendar: WorkingCalendar | None = None
) -> Timeliness:
    """EARLY / ON_TIME / LATE (domain.md §6). See :func:`classify_detail` for the overdue working days."""
    return classify_detail(due_at, finished_at, calendar=calendar).timeliness
