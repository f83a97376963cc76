"""Dossier timeline helpers: supplements (two named readings, side by side) and the one-time extension.

* **Restart** (NĐ 61/2018/NĐ-CP Điều 19.4, [law]): once the complete dossier arrives the processing time restarts
  from zero — the due date is computed from the completion instant.
* **Pause** (QĐ 766/QĐ-TTg indicator 2.1, [2nd]): the KPI subtracts the supplement interval from the elapsed time
  — the original due date moves by the working days the dossier spent with the citizen — and counts a dossier with
  more than one supplement request as late.
* **Extension** (Điều 19.9, [law]): the agency apologises and sets a new return date at the latest 1 day before
  expiry; the date may be moved only once (a second extension raises; a late notice is flagged).
* **The request window** counts 3 working days from the effective receipt day (:func:`supplement_window_start`):
  the day the processing time counts from, so a dossier received after the 15:00 cut-off has until the 3rd working
  day after the next working day. The Dossier and the bulk validator read it the same way.

The figures come from ``counting_rules.json``, in the version in force on the receipt date (NĐ 61/2018/NĐ-CP until
30 Jun 2025, NĐ 118/2025/NĐ-CP from 1 Jul 2025); each result names the reading it uses and cites that version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import attrs

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines.compute import VN_TZ, CountingRules, DueDate, _compute, compute_due, to_local
from tthc.deadlines.counting import cite, counting_rule
from tthc.deadlines.procedure_facts import ProcedureFacts
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.profiles import PortalProfile
from tthc.deadlines.reductions import Reduction, ReductionSet
from tthc.errors import ConflictError, InvalidValueError
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.data_files import load_json
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_, Lang, format_day, format_instant, gettext, resolve_lang
from tthc.foundation.references import LegalReference
from tthc.foundation.words import words

__all__ = [
    "Extension",
    "SupplementOutcome",
    "SupplementReading",
    "due_after_supplement",
    "extend_due",
    "paused_due",
    "supplement_readings",
    "supplement_window_start",
]


class SupplementReading(TthcStrEnum):
    """Which reading of a supplement a figure uses."""

    RESTART = "restart"  # NĐ 61/2018 Điều 19.4: the clock restarts from zero (the legal rule)
    PAUSE = "pause"  # QĐ 766 KPI: the supplement interval is subtracted; > 1 request = late


_CALENDAR = N_("a tthc.WorkingCalendar (e.g. tthc.public_sector_calendar()) or None")


def _rule(key: str) -> tuple[LegalReference, dict[str, object]]:
    raw = load_json("counting_rules.json")[key]
    return LegalReference.model_validate(raw["reference"]), raw


def _d(d: date, lang: Lang) -> str:
    return format_day(d, lang)


def _instant(at: datetime, lang: Lang) -> str:
    """``Mon 2026-03-02 17:00`` / ``17:00 Thứ Hai, ngày 02/03/2026``."""
    return format_instant(at, lang)


def supplement_window_start(
    received_at: datetime | date | str,
    *,
    channel: Channel | str = Channel.DIRECT,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
    profile: PortalProfile | str | None = None,
) -> date:
    """The day the 3-working-day window for a supplement request counts from (NĐ 61/2018 Điều 19.4: "kể từ ngày
    tiếp nhận hồ sơ"): the effective receipt day, the same day the processing time counts from — a dossier received
    at or after the cut-off (15:00), outside office hours or on a day off counts as received on the next working day.

    One reading for :func:`due_after_supplement`, the :class:`~tthc.dossiers.Dossier` and the bulk validator; the
    cut-off (``rules`` / ``profile``) moves both counts together.
    """
    day = compute_due(
        received_at, ProcessingTime.within_day(), channel=channel, calendar=calendar, rules=rules, profile=profile
    ).counted_from
    assert day is not None  # "within the day" always has a receipt day
    return day


def paused_due(calendar: WorkingCalendar, due_at: datetime, paused_days: int) -> datetime:
    """The QĐ 766 pause: ``due_at`` moved by ``paused_days`` working days. A due instant at the close of office
    hours stays at the close — of the new day's hours, which may differ (winter office hours); any other instant
    (a time in working hours) keeps its time of day."""
    new_day = calendar.add_working_days(due_at.date(), paused_days)
    if (
        not calendar.dated_hours.is_constant
        and due_at.timetz().replace(tzinfo=None) == calendar.office_hours_on(due_at.date()).closing
    ):
        return datetime.combine(new_day, calendar.office_hours_on(new_day).closing, due_at.tzinfo)
    return datetime.combine(new_day, due_at.timetz())


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
    profile: PortalProfile | str | None = None,
    lang: str | None = None,
) -> SupplementOutcome:
    """The due date of a dossier that went back to the citizen for a supplement, under one named reading.

    The legal window for the request and the restart rule are the versions in force on the receipt date. ``steps``
    are worded in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

    Raises:
        InvalidValueError: the instants are out of order, ``supplement_count`` < 1, or an unknown language.
    """
    code = resolve_lang(lang)
    cal = expect_optional(calendar, WorkingCalendar, "calendar", _CALENDAR) or public_sector_calendar()
    expect(reading, SupplementReading, "reading", "a SupplementReading")
    received = to_local(received_at)
    requested = to_local(supplement_requested_at, "supplement_requested_at")
    completed = to_local(supplement_completed_at, "supplement_completed_at")
    if not received <= requested <= completed:
        raise InvalidValueError(
            "supplement_completed_at",
            N_("received_at <= supplement_requested_at <= supplement_completed_at"),
            (received.isoformat(), requested.isoformat(), completed.isoformat()),
        )
    if not isinstance(supplement_count, int) or isinstance(supplement_count, bool) or supplement_count < 1:
        raise InvalidValueError("supplement_count", N_("a whole number >= 1"), supplement_count)
    kw = {
        "channel": channel, "calendar": cal, "rules": rules, "reductions": reductions, "procedure": procedure,
        "online_level": online_level, "postal": postal, "profile": profile,
    }  # fmt: skip
    window_rule = counting_rule("supplement_request_within", received.date())
    window_ref = window_rule.reference
    window_days = window_rule.working_days if window_rule.working_days is not None else 3
    original = compute_due(received, processing_time, **kw)  # type: ignore[arg-type]
    window_from = original.counted_from or supplement_window_start(
        received, channel=channel, calendar=cal, rules=rules, profile=profile
    )
    latest_request = cal.add_working_days(window_from, window_days)
    request_late = requested.date() > latest_request
    lines: list[str] = []
    if request_late:
        lines.append(
            gettext(
                "supplement requested {requested}, later than {days} working days after the receipt day {received} "
                "(latest {latest}; {ref})",
                code,
            ).format(
                requested=_d(requested.date(), code),
                days=window_days,
                received=_d(window_from, code),
                latest=_d(latest_request, code),
                ref=cite(window_ref, code),
            )
        )
    if reading is SupplementReading.RESTART:
        ref = counting_rule("supplement_restart", received.date()).reference
        # counted from the complete dossier, under the versions in force on the receipt date (the cut-off and what
        # the trace cites): the dossier's rules do not change because its supplement came after a switch day
        base = _compute(
            completed, processing_time, channel, cal, rules, reductions, procedure, online_level, postal, profile,
            rules_on=received.date(),
        )  # fmt: skip
        lines.insert(
            0, gettext("reading: restart from zero at the complete dossier ({ref})", code).format(ref=cite(ref, code))
        )
        lines.extend(base.steps_in(code))
        return SupplementOutcome(reading, base.due_at, False, request_late, tuple(lines), ref, base)
    ref, raw = _rule("supplement_pause_qd766")
    max_requests = int(str(raw["max_requests"]))
    lines.insert(0, gettext("reading: pause — the supplement interval is subtracted ({ref})", code).format(ref=ref))
    lines.extend(original.steps_in(code))
    due_at = original.due_at
    if due_at is not None:
        paused = cal.working_days_between(requested.date(), completed.date())
        due_at = paused_due(cal, due_at, paused)
        lines.append(
            gettext("supplement {requested} → {completed}: {days} working day(s) paused → due {due}", code).format(
                requested=_d(requested.date(), code),
                completed=_d(completed.date(), code),
                days=paused,
                due=_instant(due_at, code),
            )
        )
    forced = supplement_count > max_requests
    if forced:
        lines.append(
            gettext("{count} supplement requests (> {most}): counted late under this reading", code).format(
                count=supplement_count, most=max_requests
            )
        )
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
    profile: PortalProfile | str | None = None,
    lang: str | None = None,
) -> dict[SupplementReading, SupplementOutcome]:
    """Both readings side by side: ``{RESTART: …, PAUSE: …}`` (steps in ``lang``, see :func:`due_after_supplement`)."""
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
            profile=profile,
            lang=lang,
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
    received_at: datetime | date | None = None,
    lang: str | None = None,
) -> Extension:
    """Move a return date once (NĐ 61/2018 Điều 19.9; from 1 Jul 2025 NĐ 118/2025, article [open]).

    Args:
        due_at: the current due instant (or the :class:`DueDate`).
        new_due_at: the new return instant (must be later).
        issued_at: when the apology / new appointment was issued.
        previous_extensions: extensions already granted for this dossier.
        notice_in_working_days: "1 day before expiry" read as a working day (default) or a calendar day ([open]).
        received_at: the dossier's receipt; the rule is the version in force on that date (default: the version in
            force on the day the notice is issued).
        lang: the language of ``steps`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

    Raises:
        ConflictError: the date was already moved once (a second extension is not allowed).
        InvalidValueError: no due instant, or the new date is not later than the current one.
    """
    code = resolve_lang(lang)
    if isinstance(due_at, DueDate):
        if due_at.due_at is None:
            raise InvalidValueError("due_at", N_("a due instant"), None, detail=due_at.reason_words or "")
        due_at = due_at.due_at
    if not isinstance(previous_extensions, int) or isinstance(previous_extensions, bool) or previous_extensions < 0:
        raise InvalidValueError("previous_extensions", N_("a whole number >= 0"), previous_extensions)
    cal = expect_optional(calendar, WorkingCalendar, "calendar", _CALENDAR) or public_sector_calendar()
    due_local = to_local(due_at, "due_at")
    new_local = to_local(new_due_at, "new_due_at")
    issued = to_local(issued_at, "issued_at")
    rule = counting_rule("extension_once", issued.date() if received_at is None else to_local(received_at).date())
    ref = rule.reference
    if new_local <= due_local:
        raise InvalidValueError(
            "new_due_at", words(N_("an instant after the current due {due}"), due=due_local.isoformat()), new_due_at
        )
    if previous_extensions >= (rule.max_extensions or 1):
        raise ConflictError(
            words(
                N_("new_due_at: the return date may be moved only once ({reference}); it was already moved"),
                reference=cite(ref),
            )
        )
    before = rule.notice_working_days_before if rule.notice_working_days_before is not None else 1
    if notice_in_working_days:
        deadline = cal.add_working_days(due_local.date(), -before)
    else:
        try:
            deadline = due_local.date() - timedelta(days=before)
        except OverflowError:  # a due instant in the first days of year 1
            raise InvalidValueError("due_at", N_("a due instant after year 1"), due_at) from None
    late = issued.date() > deadline
    if notice_in_working_days:
        notice = gettext(
            "notice issued {issued}; due at the latest {deadline} ({n} working day(s) before expiry)", code
        )
    else:
        notice = gettext("notice issued {issued}; due at the latest {deadline} ({n} day(s) before expiry)", code)
    notice = notice.format(issued=_d(issued.date(), code), deadline=_d(deadline, code), n=before)
    steps = [
        gettext("due {due} moved once to {new} ({ref})", code).format(
            due=_instant(due_local, code), new=_instant(new_local, code), ref=cite(ref, code)
        ),
        gettext("{notice} — LATE notice", code).format(notice=notice) if late else notice,
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
