"""Bulk validation of dossier records: the batch core.

:func:`validate_chunk` is a pure function of (chunk, catalog, options): it checks every row of one chunk — a reader
chunk, a pyarrow table or a pandas frame — with vectorised numpy code and returns a :class:`ChunkResult`: per-row
results (validity, timeliness in both readings, the recomputed due date), the findings (each with file, row,
field, code and message) and combinable KPI partials (:class:`tthc.kpi.KpiPartial`, counts only). The same function
can therefore run partition-wise (Dask, multiprocessing) and the partials be added up.

:func:`validate_chunk` is a short driver over named check steps: schema, codes, catalog, channel, date order and
postal checks in :mod:`tthc.validation.steps`, due-date recomputation in :mod:`tthc.validation.due`, supplements,
extensions and timeliness in :mod:`tthc.validation.timeliness`, on the vectorised primitives of
:mod:`tthc.validation.checks`. Streaming a whole file, the report and the summary are in
:mod:`tthc.validation.run`. Every check, with its code and source, is listed in :data:`CHECKS` and in
``docs/records.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.records.chunks import RowProblem
from tthc.records.columns import StrCol
from tthc.validation.context import ValidationContext, ValidationOptions
from tthc.validation.due import check_due_mismatch, recompute_due
from tthc.validation.steps import (
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
from tthc.validation.timeliness import check_extensions, check_supplements, judge_timeliness

if TYPE_CHECKING:
    pass

__all__ = ["ChunkResult", "validate_chunk"]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]
DtArray = npt.NDArray[np.datetime64]


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
        chunk: a :class:`~tthc.records.readers.RawChunk`, a pyarrow Table/RecordBatch, a pandas DataFrame, or a
            mapping column -> sequence (canonical or portal column names).
        catalog: the procedures the records refer to.
        options: how to check (default :class:`ValidationOptions`).
        context: caches to reuse across chunks (built from ``catalog`` and ``options`` when omitted).
        unreadable: problems for rows the reader could not read (taken from a ``RawChunk`` automatically).

    Returns:
        A :class:`ChunkResult`; ``result.n_rows`` equals the number of rows given.
    """
    from tthc.kpi.indicators import KpiPartial

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
