"""Dossier timeline helpers: supplements (two named readings, side by side) and the one-time extension.

* **Restart** (NĐ 61/2018/NĐ-CP Điều 19.4, [law]): once the complete dossier arrives the processing time restarts
  from zero — the due date is computed from the completion instant.
* **Pause** (QĐ 766/QĐ-TTg indicator 2.1, [2nd]): the KPI subtracts the supplement interval from the elapsed time
  — the original due date moves by the working days the dossier spent with the citizen — and counts a dossier with
  more than one supplement request as late.
* **Extension** (Điều 19.9, [law]): the agency apologises and sets a new return date at the latest 1 day before
  expiry; the date may be moved only once (a second extension raises; a late notice is flagged).

The figures come from ``counting_rules.json``; each result names the reading it uses.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, datetime

import attrs

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar, weekday_name
from tthc.deadlines.compute import VN_TZ, CountingRules, DueDate, compute_due, to_local
from tthc.deadlines.procedure_facts import ProcedureFacts
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.reductions import Reduction, ReductionSet
from tthc.errors import ConflictError, InvalidValueError
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.data_files import load_json
from tthc.foundation.references import LegalReference

__all__ = [
    "Extension",
    "SupplementOutcome",
    "SupplementReading",
    "due_after_supplement",
    "extend_due",
    "supplement_readings",
]


class SupplementReading(enum.StrEnum):
    """Which reading of a supplement a figure uses."""

    RESTART = "restart"  # NĐ 61/2018 Điều 19.4: the clock restarts from zero (the legal rule)
    PAUSE = "pause"  # QĐ 766 KPI: the supplement interval is subtracted; > 1 request = late


def _rule(key: str) -> tuple[LegalReference, dict[str, object]]:
    raw = load_json("counting_rules.json")[key]
    return LegalReference.model_validate(raw["reference"]), raw


def _d(d: date) -> str:
    return f"{weekday_name(d)} {d.isoformat()}"


@attrs.frozen(slots=True)
class SupplementOutcome:
    """The due date under one supplement reading.

    Attributes:
        reading: the reading used.
        due_at: the due instant under that reading (aware, Vietnam time); None when the time is unspecified.
        forced_late: the reading counts the dossier late whatever the finish (PAUSE with more than one request).
        request_late: the supplement was requested later than the legal window after receipt (Điều 19.4).
        steps: the trace.
        reference: the source of the reading.
        base: the underlying :class:`DueDate` (from the completion instant for RESTART, from receipt for PAUSE).
    """

    reading: SupplementReading
    due_at: datetime | None
    forced_late: bool
    request_late: bool
    steps: tuple[str, ...]
    reference: LegalReference
    base: DueDate = attrs.field(eq=False, repr=False)


def due_after_supplement(
    received_at: datetime | date | str,
    processing_time: ProcessingTime | str,
    *,
    supplement_requested_at: datetime | str,
    supplement_completed_at: datetime | str,
    supplement_count: int = 1,
    reading: SupplementReading = SupplementReading.RESTART,
    channel: Channel | str = Channel.DIRECT,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
    reductions: ReductionSet | Sequence[Reduction] = (),
    procedure: ProcedureFacts | None = None,
    online_level: OnlineLevel | None = None,
    postal: PostalService | None = None,
) -> SupplementOutcome:
    """The due date of a dossier that went back to the citizen for a supplement, under one named reading.

    Raises:
        InvalidValueError: the instants are out of order or ``supplement_count`` < 1.
    """
    cal = calendar if calendar is not None else public_sector_calendar()
    received = to_local(received_at)
    requested = to_local(supplement_requested_at, "supplement_requested_at")
    completed = to_local(supplement_completed_at, "supplement_completed_at")
    if not received <= requested <= completed:
        raise InvalidValueError(
            "supplement_completed_at",
            "received_at <= supplement_requested_at <= supplement_completed_at",
            (received.isoformat(), requested.isoformat(), completed.isoformat()),
        )
    if not isinstance(supplement_count, int) or supplement_count < 1:
        raise InvalidValueError("supplement_count", "a whole number >= 1", supplement_count)
    kw = {
        "channel": channel, "calendar": cal, "rules": rules, "reductions": reductions, "procedure": procedure,
        "online_level": online_level, "postal": postal,
    }  # fmt: skip
    window_ref, window = _rule("supplement_request_within")
    window_days = int(str(window["working_days"]))
    original = compute_due(received, processing_time, **kw)  # type: ignore[arg-type]
    latest_request = cal.add_working_days(original.counted_from or received.date(), window_days)
    request_late = requested.date() > latest_request
    lines: list[str] = []
    if request_late:
        lines.append(
            f"supplement requested {_d(requested.date())}, later than {window_days} working days after receipt "
            f"(latest {_d(latest_request)}; {window_ref})"
        )
    if reading is SupplementReading.RESTART:
        ref, _ = _rule("supplement_restart")
        base = compute_due(completed, processing_time, **kw)  # type: ignore[arg-type]
        lines.insert(0, f"reading: restart from zero at the complete dossier ({ref})")
        lines.extend(base.steps)
        return SupplementOutcome(reading, base.due_at, False, request_late, tuple(lines), ref, base)
    ref, raw = _rule("supplement_pause_qd766")
    max_requests = int(str(raw["max_requests"]))
    lines.insert(0, f"reading: pause — the supplement interval is subtracted ({ref})")
    lines.extend(original.steps)
    due_at = original.due_at
    if due_at is not None:
        paused = cal.working_days_between(requested.date(), completed.date())
        new_day = cal.add_working_days(due_at.date(), paused)
        due_at = datetime.combine(new_day, due_at.timetz())
        lines.append(
            f"supplement {_d(requested.date())} → {_d(completed.date())}: {paused} working day(s) paused → due "
            f"{_d(new_day)} {due_at:%H:%M}"
        )
    forced = supplement_count > max_requests
    if forced:
        lines.append(f"{supplement_count} supplement requests (> {max_requests}): counted late under this reading")
    return SupplementOutcome(reading, due_at, forced, request_late, tuple(lines), ref, original)


def supplement_readings(
    received_at: datetime | date | str,
    processing_time: ProcessingTime | str,
    *,
    supplement_requested_at: datetime | str,
    supplement_completed_at: datetime | str,
    supplement_count: int = 1,
    channel: Channel | str = Channel.DIRECT,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
    reductions: ReductionSet | Sequence[Reduction] = (),
    procedure: ProcedureFacts | None = None,
    online_level: OnlineLevel | None = None,
    postal: PostalService | None = None,
) -> dict[SupplementReading, SupplementOutcome]:
    """Both readings side by side: ``{RESTART: …, PAUSE: …}``."""
    return {
        r: due_after_supplement(
            received_at,
            processing_time,
            supplement_requested_at=supplement_requested_at,
            supplement_completed_at=supplement_completed_at,
            supplement_count=supplement_count,
            reading=r,
            channel=channel,
            calendar=calendar,
            rules=rules,
            reductions=reductions,
            procedure=procedure,
            online_level=online_level,
            postal=postal,
        )
        for r in SupplementReading
    }


@attrs.frozen(slots=True)
class Extension:
    """A one-time re-appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả, form 04).

    Attributes:
        late_notice: the notice was issued later than the legal minimum before expiry (flagged, not refused).
        notice_deadline: the last day the notice could be issued on time.
    """

    original_due_at: datetime
    new_due_at: datetime
    issued_at: datetime
    late_notice: bool
    notice_deadline: date
    steps: tuple[str, ...]
    reference: LegalReference


def extend_due(
    due_at: datetime | DueDate,
    new_due_at: datetime,
    *,
    issued_at: datetime,
    previous_extensions: int = 0,
    calendar: WorkingCalendar | None = None,
    notice_in_working_days: bool = True,
) -> Extension:
    """Move a return date once (NĐ 61/2018 Điều 19.9).

    Args:
        due_at: the current due instant (or the :class:`DueDate`).
        new_due_at: the new return instant (must be later).
        issued_at: when the apology / new appointment was issued.
        previous_extensions: extensions already granted for this dossier.
        notice_in_working_days: "1 day before expiry" read as a working day (default) or a calendar day ([open]).

    Raises:
        ConflictError: the date was already moved once (a second extension is not allowed).
        InvalidValueError: no due instant, or the new date is not later than the current one.
    """
    ref, raw = _rule("extension_once")
    if isinstance(due_at, DueDate):
        if due_at.due_at is None:
            raise InvalidValueError("due_at", "a due instant", None, detail=due_at.reason or "")
        due_at = due_at.due_at
    if not isinstance(previous_extensions, int) or previous_extensions < 0:
        raise InvalidValueError("previous_extensions", "a whole number >= 0", previous_extensions)
    if previous_extensions >= 1:
        raise ConflictError(f"new_due_at: the return date may be moved only once ({ref}); it was already moved")
    due_local = to_local(due_at, "due_at")
    new_local = to_local(new_due_at, "new_due_at")
    issued = to_local(issued_at, "issued_at")
    if new_local <= due_local:
        raise InvalidValueError("new_due_at", f"an instant after the current due {due_local.isoformat()}", new_due_at)
    cal = calendar if calendar is not None else public_sector_calendar()
    before = int(str(raw["notice_working_days_before"]))
    if notice_in_working_days:
        deadline = cal.add_working_days(due_local.date(), -before)
    else:
        deadline = date.fromordinal(due_local.date().toordinal() - before)
    late = issued.date() > deadline
    unit = "working day(s)" if notice_in_working_days else "day(s)"
    steps = [
        f"due {_d(due_local.date())} {due_local:%H:%M} moved once to {_d(new_local.date())} {new_local:%H:%M} ({ref})",
        f"notice issued {_d(issued.date())}; due at the latest {_d(deadline)} ({before} {unit} before expiry)"
        + (" — LATE notice" if late else ""),
    ]
    return Extension(
        due_local.replace(tzinfo=VN_TZ),
        new_local.replace(tzinfo=VN_TZ),
        issued.replace(tzinfo=VN_TZ),
        late,
        deadline,
        tuple(steps),
        ref,
    )
