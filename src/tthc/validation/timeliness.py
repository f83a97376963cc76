"""The steps of :func:`tthc.validation.validate_chunk` that move or judge the due date: supplement requests,
extensions (NĐ 61/2018 Điều 19) and the timeliness of each row in both readings (QĐ 766 and NĐ 61/2018).

They run on the :class:`~tthc.validation.steps.ChunkRows` of a chunk after the due date has been recomputed
(:func:`tthc.validation.due.recompute_due`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.deadlines.batch import UNIT_CODES, compute_due_many_checked
from tthc.deadlines.processing_time import TimeUnit
from tthc.foundation.datetimes import parse_local_datetime
from tthc.records.layout import DossierStatus
from tthc.validation.checks import (
    byte_set,
    classify_rows,
    day_text,
    fmt_instant,
    instant_text,
    shift_working_days,
    working_days_between,
)
from tthc.validation.due import restart_due
from tthc.validation.rules import Timeliness, message

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar
    from tthc.validation.due import RecomputedDue
    from tthc.validation.steps import ChunkRows

__all__ = ["Extensions", "Judged", "check_extensions", "check_supplements", "judge_timeliness"]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
DtArray = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "s")

_NOT_JUDGED = byte_set([DossierStatus.NOT_RECEIVED.portal_code, DossierStatus.NEW.portal_code])


# ---------------------------------------------------------------------------------------------- supplements, extensions


def check_supplements(rows: ChunkRows) -> I64:
    """W_LATE_SUPPLEMENT_REQUEST, W_REPEATED_SUPPLEMENT (NĐ 61/2018 Điều 17, 19.4); returns the supplement count
    per row (a request date with no count counts as one)."""
    f, rules, received = rows.findings, rows.ctx.options.rules, rows.received
    sup_req = rows.tc.datetimes["supplement_requested_at"]
    sup_count = rows.tc.integers["supplement_count"]
    sup_count = np.where(sup_count < 0, 0, sup_count)
    sup_count = np.where((sup_count == 0) & ~np.isnat(sup_req), 1, sup_count)
    limit = rules.supplement_request_within_working_days.value
    late_req = ~np.isnat(sup_req) & ~np.isnat(received)
    start = received.astype("datetime64[D]")
    if late_req.any():
        start = _receipt_days(rows, late_req)
        idx = np.flatnonzero(late_req)  # counted for the rows with a request only
        wd = working_days_between(rows.ctx.calendar, start[idx], sup_req[idx].astype("datetime64[D]"))
        late_req[idx] = wd > limit
    lang = rows.ctx.lang
    late_supplement = message("late_supplement", lang)
    f.add(
        late_req,
        "supplement_requested_at",
        "W_LATE_SUPPLEMENT_REQUEST",
        lambda i: late_supplement.format(
            requested=instant_text(sup_req[i], lang),
            limit=limit,
            day=day_text(start[i], lang),
            received=instant_text(received[i], lang),
        ),
        lambda i: fmt_instant(sup_req[i]),
    )
    max_sup = rules.max_supplement_requests.value
    repeated = message("repeated_supplement", lang)
    f.add(
        sup_count > max_sup,
        "supplement_count",
        "W_REPEATED_SUPPLEMENT",
        lambda i: repeated.format(count=sup_count[i], limit=max_sup),
        lambda i: sup_count[i],
    )
    return sup_count


def _receipt_days(rows: ChunkRows, which: npt.NDArray[np.bool_]) -> npt.NDArray[np.datetime64]:
    """The effective receipt day of the ``which`` rows (after the cut-off, outside office hours or on a day off:
    the next working day), the day the supplement window counts from
    (:func:`tthc.deadlines.supplements.supplement_window_start`); the recorded day elsewhere and where the calendar
    cannot answer. The batch engine's "within the day" due date is that day."""
    received = rows.received
    day = received.astype("datetime64[D]")
    idx = np.flatnonzero(which & ~np.isnat(received))  # a few rows: only they are counted
    eff, outside = compute_due_many_checked(
        received[idx],
        np.zeros(len(idx), dtype=np.int64),
        np.full(len(idx), UNIT_CODES[TimeUnit.WITHIN_DAY], dtype=np.int64),
        channels=np.where(rows.chan[idx] > 0, rows.chan[idx], 1),
        calendar=rows.ctx.calendar,
        rules=rows.ctx.options.deadline_rules,
    )
    eff_day = eff.astype("datetime64[D]")
    out = day.copy()
    out[idx] = np.where(~outside & ~np.isnat(eff_day), eff_day, day[idx])
    return out


@attrs.frozen(slots=True)
class Extensions:
    """Extension counts per row (a new appointment with no count counts as one), the due date an extension
    moves (``base_due``: the recorded one, else the recomputed one) and the due date when time restarts at the
    completed supplement (``restart_due``, NĐ 61/2018 Điều 19.4; ``base_due`` for rows without one)."""

    count: I64
    base_due: DtArray
    restart_due: DtArray


def check_extensions(rows: ChunkRows, due: RecomputedDue) -> Extensions:
    """E_SECOND_EXTENSION, W_EXTENSION_NOT_LATER, W_LATE_EXTENSION (NĐ 61/2018 Điều 19.9).

    The extension is judged against the due date in force when it was issued: the restarted one when it was issued
    at or after the supplement's completion (or its issue instant is not recorded), else the appointment — the
    reading of :class:`tthc.dossiers.Dossier`. ``extended_due_at`` / ``extension_issued_at`` describe the first
    extension, the only lawful one, so the checks read it whatever ``extension_count`` says."""
    f, rules, dts = rows.findings, rows.ctx.options.rules, rows.tc.datetimes
    ext_due = dts["extended_due_at"]
    ext_issued = dts["extension_issued_at"]
    sup_done = dts["supplement_completed_at"]
    ext_count = rows.tc.integers["extension_count"]
    ext_count = np.where((ext_count < 0) & ~np.isnat(ext_due), 1, ext_count)
    max_ext = rules.max_extensions.value
    lang = rows.ctx.lang
    second, not_later, late = (
        message("second_extension", lang),
        message("extension_not_later", lang),
        message("late_extension", lang),
    )
    f.add(
        ext_count > max_ext,
        "extension_count",
        "E_SECOND_EXTENSION",
        lambda i: second.format(count=ext_count[i], limit=max_ext),
        lambda i: ext_count[i],
    )
    recorded = dts["due_at"]
    base_due = np.where(np.isnat(recorded), due.expected, recorded)
    restart = restart_due(rows, due, sup_done, base_due)
    after_sup = ~np.isnat(sup_done) & (np.isnat(ext_issued) | (ext_issued >= sup_done))
    in_force = np.where(after_sup, restart, base_due)
    f.add(
        ~np.isnat(ext_due) & ~np.isnat(in_force) & (ext_due <= in_force),
        "extended_due_at",
        "W_EXTENSION_NOT_LATER",
        lambda i: not_later.format(new=instant_text(ext_due[i], lang), due=instant_text(in_force[i], lang)),
        lambda i: fmt_instant(ext_due[i]),
    )
    notice = rules.extension_notice_days_before_due.value
    late_ext = ~np.isnat(ext_issued) & ~np.isnat(in_force)
    if late_ext.any():
        idx = np.flatnonzero(late_ext)  # counted for the rows with an extension only
        days_before = working_days_between(
            rows.ctx.calendar, ext_issued[idx].astype("datetime64[D]"), in_force[idx].astype("datetime64[D]")
        )
        late_ext[idx] = days_before < notice
    f.add(
        late_ext,
        "extension_issued_at",
        "W_LATE_EXTENSION",
        lambda i: late.format(
            issued=instant_text(ext_issued[i], lang), notice=notice, due=instant_text(in_force[i], lang)
        ),
        lambda i: fmt_instant(ext_issued[i]),
    )
    return Extensions(ext_count, base_due, restart)


# ---------------------------------------------------------------------------------------------- timeliness


def _keep_at_close(cal: WorkingCalendar, before: DtArray, after: DtArray, rows: npt.NDArray[np.bool_]) -> None:
    """Where a due instant was at the close of its day's office hours, put the moved one at the close of the new
    day's hours (which may differ: winter office hours), as :func:`tthc.deadlines.supplements.paused_due` does;
    ``after`` is changed in place. Only calendars whose hours change by date need it."""
    for k in np.flatnonzero(rows):
        old = before[k].astype(datetime)
        new = after[k].astype(datetime)
        if old.time() == cal.office_hours_on(old.date()).closing:
            after[k] = np.datetime64(datetime.combine(new.date(), cal.office_hours_on(new.date()).closing), "s")


@attrs.frozen(slots=True)
class Judged:
    """Per-row :class:`~tthc.validation.rules.Timeliness` codes in both readings and the instant open rows were
    judged at (``NaT``: not judged)."""

    pause: I8
    restart: I8
    as_of: np.datetime64


def judge_timeliness(rows: ChunkRows, due: RecomputedDue, sup_count: I64, ext: Extensions) -> Judged:
    """Timeliness in the QĐ 766 reading (the supplement interval is paused; more supplement requests than allowed
    count late) and the legal one (NĐ 61/2018 Điều 19.4: time restarts when the supplement is complete); a single
    timely extension moves the due date in both when ``honour_extension`` is on."""
    opts, cal, dts = rows.ctx.options, rows.ctx.calendar, rows.tc.datetimes
    sup_req = dts["supplement_requested_at"]
    sup_done = dts["supplement_completed_at"]
    ext_due = dts["extended_due_at"]
    finished = dts["finished_at"]
    max_sup = opts.rules.max_supplement_requests.value
    not_judged = _NOT_JUDGED[rows.tc.enums["status"].view(np.uint8)]
    pause_due = ext.base_due.copy()
    gap = ~np.isnat(sup_req) & ~np.isnat(sup_done) & ~np.isnat(pause_due)
    if gap.any():
        # counted for the rows with a supplement interval only
        idx = np.flatnonzero(gap)
        days = np.zeros(len(gap), dtype=np.int64)
        days[idx] = working_days_between(
            cal, sup_req[idx].astype("datetime64[D]"), sup_done[idx].astype("datetime64[D]")
        )
        shifted = pause_due.copy()
        outside = np.zeros(len(gap), dtype=bool)
        shifted[idx], outside[idx] = shift_working_days(cal, pause_due[idx], days[idx])
        if not cal.dated_hours.is_constant:
            _keep_at_close(cal, pause_due, shifted, gap & ~outside)
        pause_due = np.where(gap, shifted, pause_due)
        moved_outside = message("pause_outside_calendar", rows.ctx.lang)
        span = f"{cal.first.isoformat()}..{cal.last.isoformat()}"
        rows.findings.add(
            outside,
            "supplement_completed_at",
            "E_RANGE",
            lambda i: moved_outside.format(days=days[i], span=span),
            lambda i: fmt_instant(sup_done[i]),
        )
    restart = ext.restart_due.copy()
    if opts.honour_extension:
        # the first extension is lawful whatever came after it (Điều 19.9: the date is moved once; a second move
        # is E_SECOND_EXTENSION and not honoured) — extended_due_at is the first one
        use_ext = ~np.isnat(ext_due)
        pause_due = np.where(use_ext, np.maximum(pause_due, ext_due), pause_due)
        restart = np.where(use_ext, np.maximum(restart, ext_due), restart)
    # naive = Vietnam time (astimezone would take a naive as_of for the machine's local time)
    as_of = np.datetime64(parse_local_datetime(opts.as_of, "as_of").replace(tzinfo=None), "s") if opts.as_of else NAT
    t_pause = classify_rows(pause_due, finished, as_of)
    t_pause = np.where(sup_count > max_sup, np.where(t_pause == 0, 0, Timeliness.LATE), t_pause).astype(np.int8)
    t_restart = classify_rows(restart, finished, as_of)
    t_pause[not_judged] = 0
    t_restart[not_judged] = 0
    return Judged(t_pause, t_restart.astype(np.int8), as_of)
