"""Bulk validation of dossier records: the batch core.

:func:`validate_chunk` is a pure function of (chunk, catalog, options): it checks every row of one chunk — a reader
chunk, a pyarrow table or a pandas frame — with vectorised numpy code and returns a :class:`ChunkResult`: per-row
results (validity, timeliness in both readings, the recomputed due date), the findings (each with file, row,
field, code and message) and combinable KPI partials (:class:`tthc.kpi.KpiPartial`, counts only). The same function
can therefore run partition-wise (Dask, multiprocessing) and the partials be added up.

:func:`validate_chunk` is a short driver over named check steps: schema, codes, catalog, channel, date order and
postal checks in :mod:`tthc.validation_steps`, due-date recomputation in :mod:`tthc.validation_due`, supplements,
extensions and timeliness in :mod:`tthc.validation_timeliness`, on the vectorised primitives of
:mod:`tthc.validation_checks`. Streaming a whole file, the report and the summary are in
:mod:`tthc.validation_run`. Every check, with its code and source, is listed in :data:`CHECKS` and in
``docs/records.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog import Catalog, Procedure
from tthc.channels import PostalService
from tthc.processing_time import ProcessingTime
from tthc.records_columns import CHANNELS, StrCol
from tthc.records_io import RowProblem
from tthc.validation_due import check_due_mismatch, recompute_due
from tthc.validation_rules import CHECKS, Check, RecordRules, Timeliness
from tthc.validation_steps import (
    ChunkRows,
    check_channel_offered,
    check_date_order,
    check_identifiers,
    check_in_force,
    check_postal,
    check_procedure_known,
    check_required,
    check_status,
    match_catalog,
)
from tthc.validation_timeliness import check_extensions, check_supplements, judge_timeliness

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
    pre = tuple(getattr(chunk, "problems", ())) + unreadable
    rows = ChunkRows.read(chunk, ctx, pre)
    # the order of the steps is the order of one row's findings
    check_required(rows)
    check_identifiers(rows)
    match = match_catalog(rows)
    check_procedure_known(rows, match)
    check_channel_offered(rows, match)
    check_in_force(rows, match)
    check_date_order(rows)
    due = recompute_due(rows, match)
    check_due_mismatch(rows, due)
    sup_count = check_supplements(rows)
    extensions = check_extensions(rows, due)
    check_postal(rows, match)
    check_status(rows)
    judged = judge_timeliness(rows, due, sup_count, extensions)

    tc = rows.tc
    kpi = KpiPartial.from_rows(
        tc, match.inv, match.uniq, rows.agency_inv, rows.agency_values, judged.pause, judged.restart, judged.as_of
    )
    return ChunkResult(
        tc.file,
        tc.rows,
        rows.findings.valid(),
        judged.pause,
        judged.restart,
        due.expected,
        rows.findings.by_row(),
        kpi,
        tc.codes["dossier_code"],
        sum(1 for p in pre if p.field == "(row)"),
        int(getattr(chunk, "blank_lines", 0)),
    )
