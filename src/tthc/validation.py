"""Bulk validation of dossier records: the batch core.

:func:`validate_chunk` is a pure function of (chunk, catalog, options): it checks every row of one chunk — a reader
chunk, a pyarrow table or a pandas frame — with vectorised numpy code and returns a :class:`ChunkResult`: per-row
results (validity, timeliness in both readings, the recomputed due date), the findings (each with file, row,
field, code and message) and combinable KPI partials (:class:`tthc.kpi.KpiPartial`, counts only). The same function
can therefore run partition-wise (Dask, multiprocessing) and the partials be added up.

Streaming a whole file, the report and the summary are in :mod:`tthc.validation_run`. Every check, with its code
and source, is listed in :data:`CHECKS` and in ``docs/records.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog import Catalog, Procedure
from tthc.channels import Channel, PostalService
from tthc.ids import AgencyCode, DossierCode
from tthc.processing_time import ProcessingTime
from tthc.records import VN_TZ, DossierStatus
from tthc.records_columns import CHANNELS, LEVELS, StrCol, TypedColumns, typed_columns
from tthc.records_io import RowProblem
from tthc.validation_checks import (
    classify_rows,
    dossier_code_checks,
    s10_check_digit,
    shift_working_days,
    tracking_checks,
    validity_bound,
    working_days_between,
)
from tthc.validation_due import (
    ProcessingTimeTable,
    RowContext,
    due_for_rows,
    due_trace,
    local_instant,
    reduce_amounts,
    scalar_due,
)
from tthc.validation_rules import CHECKS, Check, RecordRules, Timeliness

if TYPE_CHECKING:
    from tthc.calendar import WorkingCalendar
    from tthc.deadlines import CountingRules
    from tthc.reductions import Reduction, ReductionSet

__all__ = [
    "CHECKS",
    "Check",
    "ChunkResult",
    "RecordRules",
    "Timeliness",
    "ValidationContext",
    "ValidationOptions",
    "validate_chunk",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]
DtArray = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "s")


DueComparison = Literal["date", "instant", "off"]


@attrs.frozen(slots=True)
class ValidationOptions:
    """How :func:`validate_chunk` checks rows.

    Attributes:
        calendar: the working calendar (default: :func:`tthc.calendar.public_sector_calendar`).
        due_check: ``"date"`` (default) — the recorded due date must fall on the recomputed day; ``"instant"`` —
            also the same time; ``"off"`` — no recomputation.
        deadline_rules: counting rules handed to the deadline engine (cut-off, office hours); ``None`` = its default.
        reductions: priority reductions applied when recomputing due dates (``tthc.reductions``); default none.
        as_of: judge open dossiers at this instant (QĐ 766: at the period end). ``None``: open dossiers are not
            judged (timeliness ``UNKNOWN``).
        honour_extension: a single, timely extension moves the due date to ``extended_due_at`` in both readings
            (NĐ 61/2018 Điều 19.9). [open] for the QĐ 766 reading; switch off to judge against the first due date.
        postal_eligibility: check postal rows with :func:`tthc.postal.check_postal_eligibility`.
        rules: the legal numbers (:class:`RecordRules`).
    """

    calendar: WorkingCalendar | None = None
    due_check: DueComparison = "date"
    deadline_rules: CountingRules | None = None
    reductions: ReductionSet | Sequence[Reduction] = ()
    as_of: datetime | None = None
    honour_extension: bool = True
    postal_eligibility: bool = True
    rules: RecordRules = attrs.field(factory=RecordRules.default)


# ------------------------------------------------------------------------------------------------------ context


@attrs.frozen(slots=True)
class _ProcInfo:
    procedure: Procedure | None
    offers: tuple[bool, bool, bool]  # direct, online, postal
    times: tuple[tuple[ProcessingTime, ...], ...]  # per channel: the published processing times


@attrs.define
class ValidationContext:
    """What a run looks up over and over, computed once: catalog entries per code, eligibility verdicts.

    Building one is optional (``validate_chunk`` makes a fresh one); reusing it across the chunks of a file saves
    the look-ups. It holds caches only — results never depend on what it has seen before.
    """

    catalog: Catalog
    options: ValidationOptions
    calendar: WorkingCalendar
    _procs: dict[str, _ProcInfo] = attrs.field(factory=dict)
    _eligible: dict[tuple[str, str, date, str], tuple[bool | None, str]] = attrs.field(factory=dict)
    _bounds: npt.NDArray[np.datetime64] | None = None

    @classmethod
    def build(cls, catalog: Catalog, options: ValidationOptions | None = None) -> ValidationContext:
        opts = options or ValidationOptions()
        cal = opts.calendar
        if cal is None:
            from tthc.calendar import public_sector_calendar

            cal = public_sector_calendar()
        return cls(catalog, opts, cal)

    def proc(self, code: str | None) -> _ProcInfo:
        key = code or ""
        hit = self._procs.get(key)
        if hit is None:
            p = self.catalog.get(key) if key else None
            if p is None:
                hit = _ProcInfo(None, (False, False, False), ((), (), ()))
            else:
                times = tuple(
                    tuple(o.processing_time for o in p.options(ch) if o.processing_time is not None) for ch in CHANNELS
                )
                hit = _ProcInfo(p, (p.offers(CHANNELS[0]), p.offers(CHANNELS[1]), p.offers(CHANNELS[2])), times)
            self._procs[key] = hit
        return hit

    def eligibility_boundaries(self) -> npt.NDArray[np.datetime64]:
        """Days on which some postal rule may change (list or procedure validity bounds), sorted.

        Between two boundaries every eligibility verdict is the same, so one verdict per stretch is enough.
        """
        if self._bounds is None:
            days: set[date] = set()
            for p in self.catalog:
                days.update(d for d in (p.valid_from, p.valid_until) if d is not None)
                if p.valid_until is not None:
                    days.add(date.fromordinal(p.valid_until.toordinal() + 1))
            try:
                from tthc.postal import AgencyLists

                for lst in AgencyLists.bundled().lists:
                    if lst.valid_from is not None:
                        days.add(lst.valid_from)
                    if lst.valid_until is not None:
                        days.add(date.fromordinal(lst.valid_until.toordinal() + 1))
                from tthc import postal

                period = postal._rules().eligibility_period
                for d in (period.start, period.end):
                    if d is not None:
                        days.update((d, date.fromordinal(d.toordinal() + 1)))
            except (ImportError, AttributeError):  # pragma: no cover - then every day is its own stretch
                return np.zeros(0, dtype="datetime64[D]")
            self._bounds = np.array(sorted(days), dtype="datetime64[D]")
        return self._bounds

    def eligibility(
        self, procedure: Procedure, service: PostalService, on: date, agency: str | None
    ) -> tuple[bool | None, str]:
        key = (str(procedure.code), service.value, on, agency or "")
        hit = self._eligible.get(key)
        if hit is None:
            try:
                from tthc.postal import check_postal_eligibility
            except ImportError:  # pragma: no cover - the postal module ships with the library
                return None, "postal eligibility rules not available"
            try:
                verdict = check_postal_eligibility(procedure, service, on=on, agency=agency)
            except ValueError:  # an agency code the postal rules cannot read: judge by the general rule
                verdict = check_postal_eligibility(procedure, service, on=on)
            reasons = "; ".join(str(r) for r in getattr(verdict, "reasons", ()))
            hit = (verdict.eligible, reasons)
            self._eligible[key] = hit
        return hit


# ------------------------------------------------------------------------------------------------------ result


@attrs.frozen(slots=True)
class ChunkResult:
    """What :func:`validate_chunk` found in one chunk.

    Attributes:
        file: file name of the rows.
        rows: 1-based data row numbers of the rows read (rows that could not be read at all are only in findings).
        valid: per row: no error-level finding.
        timeliness_pause / timeliness_restart: per-row :class:`Timeliness` codes in the QĐ 766 reading (supplement
            interval paused) and the legal reading (NĐ 61/2018 Điều 19.4: time restarts after a supplement).
        due_expected: the recomputed due instant (Vietnam wall time; ``NaT`` when none can be computed).
        findings: every problem found, rows that could not be read included.
        kpi: combinable KPI counts of the rows (:class:`tthc.kpi.KpiPartial`).
        dossier_codes: the dossier code of each row (``None`` when empty).
        unreadable: rows of the chunk that could not be read at all (in ``findings`` only).
        blank_lines: empty lines met (not rows).
    """

    file: str
    rows: I64
    valid: Bool
    timeliness_pause: I8
    timeliness_restart: I8
    due_expected: DtArray
    findings: tuple[RowProblem, ...]
    kpi: object
    dossier_codes: StrCol = attrs.field(factory=lambda: StrCol(obj=np.zeros(0, dtype=object)))
    unreadable: int = 0
    blank_lines: int = 0

    @property
    def n_rows(self) -> int:
        """Rows accounted for: read rows plus unreadable rows."""
        return len(self.rows) + self.unreadable


# ------------------------------------------------------------------------------------------------------ the core


class _Findings:
    """Collects findings row by row (vectorised masks in, RowProblem objects out)."""

    def __init__(self, tc: TypedColumns) -> None:
        self.tc = tc
        self.items: list[RowProblem] = list(tc.problems)
        self.error_rows: set[int] = {p.row for p in tc.problems if p.code.startswith("E_")}

    def add(
        self,
        mask: Bool,
        field: str,
        code: str,
        message: Callable[[int], str],
        value: Callable[[int], object] | None = None,
    ) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        rows = self.tc.rows
        error = code.startswith("E_")
        for k in idx:
            i = int(k)
            row = int(rows[i])
            v = value(i) if value is not None else None
            self.items.append(RowProblem(self.tc.file, row, field, code, message(i), None if v is None else str(v)))
            if error:
                self.error_rows.add(row)


def _fmt(dt: np.datetime64) -> str:
    return "" if np.isnat(dt) else str(dt).replace("T", " ")


def validate_chunk(
    chunk: object,
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    context: ValidationContext | None = None,
    unreadable: tuple[RowProblem, ...] = (),
) -> ChunkResult:
    """Validate one chunk of dossier records.

    Args:
        chunk: a :class:`~tthc.records_io.RawChunk`, a pyarrow Table/RecordBatch, a pandas DataFrame, or a
            mapping column -> sequence (canonical or portal column names).
        catalog: the procedures the records refer to.
        options: how to check (default :class:`ValidationOptions`).
        context: caches to reuse across chunks (built from ``catalog`` and ``options`` when omitted).
        unreadable: problems for rows the reader could not read (taken from a ``RawChunk`` automatically).

    Returns:
        A :class:`ChunkResult`; ``result.n_rows`` equals the number of rows given.
    """
    from tthc.kpi import KpiPartial

    ctx = context or ValidationContext.build(catalog, options)
    opts = ctx.options
    rules = opts.rules
    cal = ctx.calendar
    pre = tuple(getattr(chunk, "problems", ())) + unreadable
    tc = typed_columns(chunk)
    n = len(tc)
    f = _Findings(tc)
    f.items.extend(pre)
    codes, dts, ints, enums = tc.codes, tc.datetimes, tc.integers, tc.enums

    # -- required values (an unreadable cell is already reported as E_TYPE) ------------------------------------
    unreadable_cells = {(p.row, p.field) for p in tc.problems}

    def empty(mask: Bool, name: str) -> Bool:
        if unreadable_cells:
            bad_rows = [r for r, fld in unreadable_cells if fld == name]
            if bad_rows:
                mask = mask & ~np.isin(tc.rows, np.asarray(bad_rows, dtype=np.int64))
        return mask

    for name in ("dossier_code", "procedure_code", "agency_code"):
        message = f"expected a value in required column {name}, got an empty cell"
        f.add(codes[name].is_null(), name, "E_SCHEMA", lambda i, m=message: m)  # type: ignore[misc]
    chan = enums["channel"].astype(np.int64)
    f.add(
        empty(chan == 0, "channel"),
        "channel",
        "E_SCHEMA",
        lambda i: "expected a value in required column channel, got an empty cell",
    )
    received = dts["received_at"]
    f.add(
        empty(np.isnat(received), "received_at"),
        "received_at",
        "E_SCHEMA",
        lambda i: "expected a value in required column received_at, got an empty cell",
    )

    # -- identifiers (TT 01/2018 Điều 19; QCVN 102:2016) -----------------------------------------------------------
    dossier = codes["dossier_code"]
    code_date, bad_code = dossier_code_checks(dossier)
    f.add(
        bad_code,
        "dossier_code",
        "E_DOSSIER_CODE",
        lambda i: f"expected {DossierCode._expected}, got {dossier[i]!r}",
        lambda i: dossier[i],
    )
    recv_day = received.astype("datetime64[D]")
    f.add(
        ~np.isnat(code_date) & ~np.isnat(recv_day) & (code_date != recv_day),
        "dossier_code",
        "W_DOSSIER_CODE_DATE",
        lambda i: f"the code says received on {code_date[i]}, received_at is {_fmt(received[i])}",
        lambda i: dossier[i],
    )
    agency = codes["agency_code"]
    agency_values, agency_inv = agency.factorize()
    agency_ok = (
        np.array([v is not None and AgencyCode.is_valid(v) for v in agency_values], dtype=bool)[agency_inv]
        if n
        else np.zeros(0, dtype=bool)
    )
    agency_null = np.array([v is None for v in agency_values], dtype=bool)[agency_inv] if n else np.zeros(0, dtype=bool)
    f.add(
        ~agency_ok & ~agency_null,
        "agency_code",
        "W_AGENCY_CODE",
        lambda i: f"expected {AgencyCode._expected}, got {agency[i]!r}",
        lambda i: agency[i],
    )

    # -- catalog -------------------------------------------------------------------------------------------------
    proc_col = codes["procedure_code"]
    uniq, inv = proc_col.factorize()
    infos = [ctx.proc(u) for u in uniq]
    known_u = np.array([i.procedure is not None for i in infos], dtype=bool)
    null_u = np.array([u is None for u in uniq], dtype=bool)
    known = known_u[inv] if n else np.zeros(0, dtype=bool)
    f.add(
        ~known & ~(null_u[inv] if n else known),
        "procedure_code",
        "E_UNKNOWN_PROCEDURE",
        lambda i: f"procedure {proc_col[i]} is not in the catalog",
        lambda i: proc_col[i],
    )
    offers_u = np.array([i.offers for i in infos], dtype=bool).reshape(len(infos), 3)
    chan_ok = chan > 0
    offered = np.zeros(n, dtype=bool)
    if n and len(infos):
        offered[chan_ok] = offers_u[inv[chan_ok], chan[chan_ok] - 1]
    not_offered = known & chan_ok & ~offered
    f.add(
        not_offered,
        "channel",
        "E_CHANNEL_NOT_OFFERED",
        lambda i: (
            f"procedure {proc_col[i]} publishes no {CHANNELS[chan[i] - 1].value} channel "
            f"(published: {', '.join(sorted(c.value for c in _published(infos[inv[i]])))})"
        ),
        lambda i: CHANNELS[chan[i] - 1].value,
    )
    # in force on the receipt day: bounds per procedure, compared per row
    lo_u = np.array(
        [validity_bound(i.procedure.valid_from if i.procedure else None, "min") for i in infos], dtype="datetime64[D]"
    )
    hi_u = np.array(
        [validity_bound(i.procedure.valid_until if i.procedure else None, "max") for i in infos], dtype="datetime64[D]"
    )
    not_in_force = known & ~np.isnat(recv_day)
    if n and len(infos):
        not_in_force &= (recv_day < lo_u[inv]) | (recv_day > hi_u[inv])
    f.add(
        not_in_force,
        "procedure_code",
        "W_PROCEDURE_NOT_IN_FORCE",
        lambda i: f"procedure {proc_col[i]} is in force {_validity(infos[inv[i]])}, received {recv_day[i]}",
        lambda i: proc_col[i],
    )

    # -- date order ----------------------------------------------------------------------------------------------
    due = dts["due_at"]
    finished = dts["finished_at"]
    returned = dts["returned_at"]
    sup_req = dts["supplement_requested_at"]
    sup_done = dts["supplement_completed_at"]
    ext_due = dts["extended_due_at"]
    ext_issued = dts["extension_issued_at"]
    for a_name, b_name, what in (
        ("received_at", "finished_at", "finished before it was received"),
        ("received_at", "due_at", "due before it was received"),
        ("finished_at", "returned_at", "result returned before processing finished"),
        ("received_at", "returned_at", "result returned before the dossier was received"),
        ("received_at", "supplement_requested_at", "supplement requested before receipt"),
        ("supplement_requested_at", "supplement_completed_at", "supplement completed before it was requested"),
    ):
        _date_order(f, dts[a_name], dts[b_name], a_name, b_name, what)

    # -- due date recomputation ----------------------------------------------------------------------------------
    table = ProcessingTimeTable([info.times for info in infos])
    computable = chan_ok & known & offered & ~np.isnat(received)
    proc_idx = inv if n else np.zeros(0, dtype=np.int64)
    units, amounts = table.gather(proc_idx, chan, computable)
    level = enums["online_level"].astype(np.int64)
    result_chan = enums["result_channel"].astype(np.int64)
    postal_code = np.where(chan == 3, 1, 0) + np.where(result_chan == 3, 2, 0)  # 1 send, 2 return, 3 both
    reductions = _reduction_set(opts.reductions)

    def row_context(i: int) -> RowContext:
        service = (None, PostalService.SEND, PostalService.RETURN, PostalService.BOTH)[int(postal_code[i])]
        return RowContext(
            CHANNELS[chan[i] - 1] if chan[i] > 0 else Channel.DIRECT,
            infos[inv[i]].procedure,
            LEVELS[level[i] - 1] if level[i] > 0 else None,
            service,
        )

    def pt_of(i: int) -> ProcessingTime | None:
        return table.first[inv[i]][chan[i] - 1] if chan[i] > 0 and infos[inv[i]].procedure is not None else None

    scalar_rows = np.zeros(n, dtype=bool)
    if reductions is not None and computable.any():
        units, amounts, scalar_rows = reduce_amounts(
            units, amounts, computable, table.first, (proc_idx, chan, level, postal_code), recv_day, row_context,
            reductions,
        )  # fmt: skip
    expected, has_time = due_for_rows(received, units, amounts, chan, cal, opts.deadline_rules)
    for k in np.flatnonzero(scalar_rows):
        pt = pt_of(int(k))
        if pt is not None:
            one = scalar_due(received[k], pt, row_context(int(k)), cal, opts.deadline_rules, opts.reductions)
            expected[k] = local_instant(one)
            has_time[k] = one.due_at is not None

    def same_due(a: np.datetime64, b: np.datetime64) -> bool:
        if opts.due_check == "date":
            return bool(a.astype("datetime64[D]") == b.astype("datetime64[D]"))
        return bool(a == b)

    if opts.due_check != "off":
        recorded = ~np.isnat(due) & has_time
        if opts.due_check == "date":
            differs = recorded & (due.astype("datetime64[D]") != expected.astype("datetime64[D]"))
        else:
            differs = recorded & (due != expected)
        # several published rows for one channel (normal / complex case): any of them may apply
        for k in np.flatnonzero(differs):
            for pt in infos[inv[k]].times[chan[k] - 1][1:]:
                alt = scalar_due(received[k], pt, row_context(int(k)), cal, opts.deadline_rules, opts.reductions)
                if alt.due_at is not None and same_due(local_instant(alt), due[k]):
                    differs[k] = False
                    break
        f.add(
            differs,
            "due_at",
            "E_DUE_MISMATCH",
            lambda i: (
                f"recorded due {_fmt(due[i])}, recomputed {_fmt(expected[i])} "
                f"from {_fmt(received[i])} + {pt_of(i)} ({CHANNELS[chan[i] - 1].value}); trace: "
                + due_trace(received[i], pt_of(i), row_context(i), cal, opts.deadline_rules, opts.reductions)
            ),
            lambda i: _fmt(due[i]),
        )

    # -- supplements and extensions ------------------------------------------------------------------------------
    sup_count = ints["supplement_count"]
    sup_count = np.where(sup_count < 0, 0, sup_count)
    sup_count = np.where((sup_count == 0) & ~np.isnat(sup_req), 1, sup_count)
    limit = rules.supplement_request_within_working_days.value
    late_req = ~np.isnat(sup_req) & ~np.isnat(received)
    if late_req.any():
        wd = working_days_between(cal, received.astype("datetime64[D]"), sup_req.astype("datetime64[D]"))
        late_req &= wd > limit
    f.add(
        late_req,
        "supplement_requested_at",
        "W_LATE_SUPPLEMENT_REQUEST",
        lambda i: (
            f"supplement requested {_fmt(sup_req[i])}, more than {limit} working days after receipt {_fmt(received[i])}"
        ),
        lambda i: _fmt(sup_req[i]),
    )
    max_sup = rules.max_supplement_requests.value
    f.add(
        sup_count > max_sup,
        "supplement_count",
        "W_REPEATED_SUPPLEMENT",
        lambda i: f"{sup_count[i]} supplement requests; the law allows {max_sup} (QĐ 766 counts the dossier late)",
        lambda i: sup_count[i],
    )
    ext_count = ints["extension_count"]
    ext_count = np.where((ext_count < 0) & ~np.isnat(ext_due), 1, ext_count)
    max_ext = rules.max_extensions.value
    f.add(
        ext_count > max_ext,
        "extension_count",
        "E_SECOND_EXTENSION",
        lambda i: f"the return date was moved {ext_count[i]} times; at most {max_ext} allowed",
        lambda i: ext_count[i],
    )
    base_due = np.where(np.isnat(due), expected, due)
    f.add(
        ~np.isnat(ext_due) & ~np.isnat(base_due) & (ext_due <= base_due),
        "extended_due_at",
        "W_EXTENSION_NOT_LATER",
        lambda i: f"new appointment {_fmt(ext_due[i])} is not after the due date {_fmt(base_due[i])}",
        lambda i: _fmt(ext_due[i]),
    )
    notice = rules.extension_notice_days_before_due.value
    late_ext = ~np.isnat(ext_issued) & ~np.isnat(base_due)
    if late_ext.any():
        late_ext &= (
            working_days_between(cal, ext_issued.astype("datetime64[D]"), base_due.astype("datetime64[D]")) < notice
        )
    f.add(
        late_ext,
        "extension_issued_at",
        "W_LATE_EXTENSION",
        lambda i: (
            f"apology issued {_fmt(ext_issued[i])}, less than {notice} working day(s) before the due date "
            f"{_fmt(base_due[i])}"
        ),
        lambda i: _fmt(ext_issued[i]),
    )

    # -- postal ------------------------------------------------------------------------------------------------
    postal_in = chan == 3
    postal_out = result_chan == 3
    tracking = codes["tracking_number"]
    t_missing = tracking.is_null()
    f.add(
        (postal_in | postal_out) & t_missing,
        "tracking_number",
        "W_TRACKING_MISSING",
        lambda i: "postal dossier or result without a tracking number",
    )
    t_form, t_digit = tracking_checks(tracking)
    f.add(
        ~t_missing & ~t_form,
        "tracking_number",
        "E_TRACKING_FORMAT",
        lambda i: f"expected a UPU S10 id such as 'EB123456785VN', got {tracking[i]!r}",
        lambda i: tracking[i],
    )
    f.add(
        ~t_missing & t_form & ~t_digit,
        "tracking_number",
        "E_TRACKING_CHECK_DIGIT",
        lambda i: (
            f"expected check digit {s10_check_digit(str(tracking[i]))} for serial {str(tracking[i])[2:10]}, "
            f"got {str(tracking[i])[10]} (UPU S10)"
        ),
        lambda i: tracking[i],
    )
    if opts.postal_eligibility:
        need = (postal_in | postal_out) & known & ~np.isnat(recv_day)
        inel, reason = _ineligible(ctx, need, postal_in, postal_out, inv, infos, agency_inv, agency_values, recv_day)
        f.add(
            inel,
            "channel",
            "E_POSTAL_INELIGIBLE",
            lambda i: f"procedure {proc_col[i]} cannot be done by post: {reason[i]}",
            lambda i: proc_col[i],
        )

    # -- status ------------------------------------------------------------------------------------------------
    status = enums["status"].astype(np.int64)
    terminal_codes = np.array(
        [
            s.portal_code
            for s in DossierStatus
            if s.is_terminal and s is not DossierStatus.WITHDRAWN and s is not DossierStatus.STOPPED
        ]
    )
    done_status = np.isin(status, terminal_codes)
    open_status = np.isin(
        status,
        [
            s.portal_code
            for s in (
                DossierStatus.RECEIVED,
                DossierStatus.PROCESSING,
                DossierStatus.SUPPLEMENT_REQUESTED,
                DossierStatus.AWAITING_PAYMENT,
            )
        ],
    )
    f.add(
        done_status & np.isnat(finished),
        "finished_at",
        "W_STATUS",
        lambda i: f"status {DossierStatus.parse(int(status[i])).value} but no finished_at",
    )
    f.add(
        open_status & ~np.isnat(finished),
        "status",
        "W_STATUS",
        lambda i: f"status {DossierStatus.parse(int(status[i])).value} but finished_at is {_fmt(finished[i])}",
        lambda i: status[i],
    )
    f.add(
        (status == DossierStatus.RETURNED.portal_code) & np.isnat(returned) & ~np.isnat(finished),
        "returned_at",
        "W_STATUS",
        lambda i: "status returned but no returned_at",
    )

    # -- timeliness in both readings ---------------------------------------------------------------------------
    not_judged = np.isin(status, [DossierStatus.NOT_RECEIVED.portal_code, DossierStatus.NEW.portal_code])
    pause_due = base_due.copy()
    gap = ~np.isnat(sup_req) & ~np.isnat(sup_done) & ~np.isnat(pause_due)
    if gap.any():
        days = working_days_between(cal, sup_req.astype("datetime64[D]"), sup_done.astype("datetime64[D]"))
        pause_due = np.where(gap, shift_working_days(cal, pause_due, np.where(gap, days, 0)), pause_due)
    restart_due = base_due.copy()
    restarted = ~np.isnat(sup_done) & computable
    if restarted.any():
        again, ok = due_for_rows(np.where(restarted, sup_done, NAT), units, amounts, chan, cal, opts.deadline_rules)
        for k in np.flatnonzero(restarted & scalar_rows):
            pt = pt_of(int(k))
            if pt is not None:
                one = scalar_due(sup_done[k], pt, row_context(int(k)), cal, opts.deadline_rules, opts.reductions)
                again[k], ok[k] = local_instant(one), one.due_at is not None
        restart_due = np.where(restarted & ok, again, restart_due)
    if opts.honour_extension:
        use_ext = ~np.isnat(ext_due) & (np.where(ext_count < 0, 1, ext_count) <= max_ext)
        pause_due = np.where(use_ext, np.maximum(pause_due, ext_due), pause_due)
        restart_due = np.where(use_ext, np.maximum(restart_due, ext_due), restart_due)
    as_of = np.datetime64(opts.as_of.astimezone(VN_TZ).replace(tzinfo=None), "s") if opts.as_of else NAT
    t_pause = classify_rows(pause_due, finished, as_of)
    t_pause = np.where(sup_count > max_sup, np.where(t_pause == 0, 0, Timeliness.LATE), t_pause).astype(np.int8)
    t_restart = classify_rows(restart_due, finished, as_of)
    t_pause[not_judged] = 0
    t_restart[not_judged] = 0

    valid = ~np.isin(tc.rows, np.fromiter(f.error_rows, dtype=np.int64)) if f.error_rows else np.ones(n, dtype=bool)
    kpi = KpiPartial.from_rows(tc, inv, uniq, agency_inv, agency_values, t_pause, t_restart, as_of)
    f.items.sort(key=lambda p: p.row)
    unread = sum(1 for p in pre if p.field == "(row)")
    return ChunkResult(
        tc.file,
        tc.rows,
        valid,
        t_pause,
        t_restart.astype(np.int8),
        expected,
        tuple(f.items),
        kpi,
        dossier,
        unread,
        int(getattr(chunk, "blank_lines", 0)),
    )


# ------------------------------------------------------------------------------------------------------ helpers


def _published(info: _ProcInfo) -> frozenset[Channel]:
    return info.procedure.channel_set if info.procedure is not None else frozenset()


def _validity(info: _ProcInfo) -> str:
    p = info.procedure
    return "?" if p is None else f"{p.valid_from or '…'}..{p.valid_until or '…'}"


def _date_order(f: _Findings, a: DtArray, b: DtArray, a_name: str, b_name: str, what: str) -> None:
    f.add(
        ~np.isnat(a) & ~np.isnat(b) & (b < a),
        b_name,
        "E_DATE_ORDER",
        lambda i: f"{what}: {b_name} {_fmt(b[i])} < {a_name} {_fmt(a[i])}",
        lambda i: _fmt(b[i]),
    )


def _ineligible(
    ctx: ValidationContext,
    need: Bool,
    postal_in: Bool,
    postal_out: Bool,
    inv: I64,
    infos: list[_ProcInfo],
    agency_inv: I64,
    agency_values: list[str | None],
    recv_day: npt.NDArray[np.datetime64],
) -> tuple[Bool, dict[int, str]]:
    """Postal eligibility per distinct (procedure, service, agency, stretch of dates with the same rules)."""
    n = len(need)
    inel = np.zeros(n, dtype=bool)
    reason: dict[int, str] = {}
    rows = np.flatnonzero(need)
    if not len(rows):
        return inel, reason
    service = np.where(postal_in & postal_out, 2, np.where(postal_in, 0, 1))[rows]
    stretch = np.searchsorted(ctx.eligibility_boundaries(), recv_day[rows], side="right")
    key = ((inv[rows] * 3 + service) * (len(agency_values) + 1) + agency_inv[rows]) * 4096 + stretch
    _uniq, first, back = np.unique(key, return_index=True, return_inverse=True)
    services = (PostalService.SEND, PostalService.RETURN, PostalService.BOTH)
    verdicts: list[tuple[bool | None, str]] = []
    for j in first:
        k = int(rows[j])
        p = infos[inv[k]].procedure
        assert p is not None
        verdicts.append(
            ctx.eligibility(p, services[int(service[j])], recv_day[k].astype(date), agency_values[agency_inv[k]])
        )
    bad_u = np.array([v[0] is False for v in verdicts], dtype=bool)
    hit = bad_u[back]
    inel[rows[hit]] = True
    for j in np.flatnonzero(hit):
        reason[int(rows[j])] = verdicts[int(back[j])][1]
    return inel, reason


def _reduction_set(reductions: ReductionSet | Sequence[Reduction]) -> ReductionSet | None:
    if not reductions:
        return None
    from tthc.reductions import ReductionSet

    return reductions if isinstance(reductions, ReductionSet) else ReductionSet(tuple(reductions))
