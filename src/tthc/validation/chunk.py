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

import bisect
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.i18n import N_
from tthc.records.arrays import string_array
from tthc.records.chunks import RawChunk, RowProblem, localize
from tthc.records.columns import StrCol
from tthc.validation.context import ValidationContext, ValidationOptions
from tthc.validation.due import check_due_in_range, check_due_mismatch, recompute_due
from tthc.validation.rules import message
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

__all__ = ["CHECK_ROWS", "FINDINGS_PER_PIECE", "ChunkResult", "PieceSize", "split_chunk", "validate_chunk"]

CHECK_ROWS = 65_536
"""The most rows the file runs check at once (:func:`split_chunk`, :class:`PieceSize`)."""
FINDINGS_PER_PIECE = 16_384
"""About how many findings a piece may hold: a row can have a finding in nearly every column, so a reader chunk of
bad rows is checked a few hundred rows at a time, and memory does not grow with the error rate."""
_FIRST_PIECE_ROWS = 256
_MIN_PIECE_ROWS = 64
_GROWTH = CHECK_ROWS // _FIRST_PIECE_ROWS
"""How many times larger than the last a piece may be cut: from the first piece (a probe of the error rate), the
full :data:`CHECK_ROWS` at once where its rows are clean. A piece costs 4-6 ms of fixed work whatever its rows;
doubling took seven pieces to reach the full size. The worst case — a full piece of rows bad in every cell right
after clean ones — is the same whatever the growth."""

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
        continuation_lines: lines that continue a record begun on an earlier line (a quoted field with line breaks).
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
    continuation_lines: int = 0

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
            mapping column -> sequence (canonical or portal column names). A pandas column is read through Arrow
            (:func:`tthc.records.columns.pandas_column`): ``None``, ``NaN``, ``pd.NA`` and ``NaT`` are empty cells,
            nullable integers exact — the findings of the same rows read from CSV.
        catalog: the procedures the records refer to.
        options: how to check (default :class:`ValidationOptions`).
        context: caches to reuse across chunks (built from ``catalog`` and ``options`` when omitted).
        unreadable: problems for rows the reader could not read (taken from a ``RawChunk`` automatically).

    Returns:
        A :class:`ChunkResult`; ``result.n_rows`` equals the number of rows given.

    Never raises for what is in the cells: bad values are findings. Should a check still fail with an unexpected
    error (a defect), the chunk is split until the rows that cause it are found; those rows get ``E_CHECK_FAILED``
    (counted invalid, the error in the message) and every other row is checked as usual.

    Raises:
        InvalidValueError: ``chunk`` is none of the kinds above, or its columns differ in length.
    """
    expect(catalog, Catalog, "catalog", "a tthc.Catalog")
    expect_optional(options, ValidationOptions, "options", "ValidationOptions or None")
    expect_optional(context, ValidationContext, "context", "a ValidationContext or None")
    expect(unreadable, tuple, "unreadable", "a tuple of RowProblem")
    ctx = context or ValidationContext.build(catalog, options)
    # the readers write no language: their problems take the run's here, where they become findings
    pre = localize(tuple(getattr(chunk, "problems", ())) + unreadable, ctx.lang)
    try:
        return _validate(chunk, ctx, pre)
    except Exception as exc:  # a defect in a check: find the rows that trigger it, check the others
        return _isolate(_Rows.of(chunk), ctx, pre, exc)


def _validate(chunk: object, ctx: ValidationContext, pre: tuple[RowProblem, ...]) -> ChunkResult:
    """The steps, in order, over the whole chunk."""
    from tthc.kpi.indicators import KpiPartial

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
    check_due_in_range(rows, due)
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
        int(getattr(chunk, "continuation_lines", 0)),
    )


class PieceSize:
    """How many rows of a reader chunk to check at once (:func:`split_chunk`): as many as keep about
    :data:`FINDINGS_PER_PIECE` findings in memory, judged from the pieces checked so far.

    A clean stretch is checked :data:`CHECK_ROWS` rows at a time (fast); a stretch where every cell is wrong, a few
    hundred rows at a time — so the findings held at once stay about the same whatever the error rate. The first
    piece is small, and the size grows at most :data:`_GROWTH` times from one piece to the next.
    """

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows = _FIRST_PIECE_ROWS

    def __call__(self) -> int:
        return self.rows

    def observe(self, rows: int, findings: int) -> None:
        """A piece of ``rows`` rows gave ``findings`` findings."""
        fit = FINDINGS_PER_PIECE * rows // findings if findings else CHECK_ROWS
        self.rows = max(_MIN_PIECE_ROWS, min(CHECK_ROWS, _GROWTH * self.rows, fit))


def split_chunk(chunk: object, size: Callable[[], int] | None = None, start: int = 0) -> Iterator[object]:
    """A reader chunk as pieces of ``size()`` rows each (asked before each piece; default :data:`CHECK_ROWS`), in
    order; other chunk kinds are not split.

    Each piece keeps the unreadable rows (``problems``) that lie before the next piece's first row; the first piece
    keeps the chunk's blank and continuation line counts. Cutting only bounds memory: results per row are the
    same whatever the cut. ``start``: begin at that row of the chunk (the pieces before it were checked already:
    their unreadable rows and line counts are left out).
    """
    if not isinstance(chunk, RawChunk):
        yield chunk
        return
    n = len(chunk.rows)
    rows = _Rows.of(chunk)
    problems = sorted(chunk.problems, key=lambda p: p.row)
    problem_rows = [p.row for p in problems]
    lo = start
    taken = (
        bisect.bisect_left(problem_rows, int(rows.numbers[start])) if 0 < start < n else len(problems) if start else 0
    )
    while lo < n or lo == 0:
        want = max(1, size() if size is not None else CHECK_ROWS)
        hi = min(n, lo + want)
        if n - hi < want // 2:  # a remnant under half a piece goes with this one: a piece's fixed cost less
            hi = n
        upto = len(problems) if hi >= n else bisect.bisect_left(problem_rows, int(rows.numbers[hi]))
        piece = rows.piece(lo, hi)
        assert isinstance(piece, RawChunk)
        yield attrs.evolve(
            piece,
            problems=tuple(problems[taken:upto]),
            blank_lines=chunk.blank_lines if lo == 0 else 0,
            continuation_lines=chunk.continuation_lines if lo == 0 else 0,
        )
        taken, lo = upto, hi
        if hi >= n:
            return


# ------------------------------------------------------------------------------------------------------ isolation

_MAX_FAILED_SPLITS = 64
"""How many failing pieces :func:`_isolate` splits further; past that, a failing piece is reported whole (so a check
that fails on every row costs about as much as checking the chunk twice, not once per row)."""


@attrs.frozen(slots=True)
class _Rows:
    """Any chunk kind :func:`validate_chunk` takes, as rows that can be cut into pieces (positions ``[lo, hi)``)."""

    chunk: object
    n: int
    file: str
    numbers: I64

    @classmethod
    def of(cls, chunk: object) -> _Rows:
        if isinstance(chunk, RawChunk):
            return cls(chunk, len(chunk.rows), chunk.file, np.asarray(chunk.rows, dtype=np.int64))
        if hasattr(chunk, "schema") and hasattr(chunk, "num_rows"):  # pyarrow Table / RecordBatch
            n = int(chunk.num_rows)
        elif hasattr(chunk, "iloc") and hasattr(chunk, "columns"):  # pandas
            n = len(chunk)  # type: ignore[arg-type]
        elif isinstance(chunk, Mapping):
            lengths = {len(v) for v in chunk.values()}
            if len(lengths) > 1:
                raise InvalidValueError("chunk", N_("columns of equal length"), sorted(lengths))
            n = lengths.pop() if lengths else 0
        else:
            raise InvalidValueError(
                "chunk",
                N_("a RawChunk, a pyarrow Table/RecordBatch, a pandas DataFrame or a mapping"),
                type(chunk).__name__,
            )
        return cls(chunk, n, "(chunk)", np.arange(1, n + 1, dtype=np.int64))

    def piece(self, lo: int, hi: int) -> object:
        """Rows ``[lo, hi)`` as a chunk of the same kind (a reader chunk keeps its row numbers, without the
        unreadable rows, which the whole chunk reports once)."""
        c = self.chunk
        if isinstance(c, RawChunk):
            cols = {k: _slice(v, lo, hi) for k, v in c.columns.items()}
            return RawChunk(c.file, self.numbers[lo:hi], cols, (), 0, c.bytes_read)
        if hasattr(c, "schema") and hasattr(c, "slice"):  # pyarrow
            return c.slice(lo, hi - lo)
        if hasattr(c, "iloc"):
            return c.iloc[lo:hi]
        assert isinstance(c, Mapping)
        return {k: _slice(v, lo, hi) for k, v in c.items()}

    def renumber(self, result: ChunkResult, lo: int) -> ChunkResult:
        """A piece's result with the chunk's row numbers (other kinds than reader chunks number rows from 1)."""
        if isinstance(self.chunk, RawChunk) or lo == 0:
            return result
        return attrs.evolve(
            result,
            rows=result.rows + lo,
            findings=tuple(attrs.evolve(p, row=p.row + lo) for p in result.findings),
        )


def _slice(col: object, lo: int, hi: int) -> object:
    if hasattr(col, "iloc"):  # a pandas Series: by position, not by label
        return col.iloc[lo:hi]
    if hasattr(col, "slice") and hasattr(col, "type"):  # Arrow
        return col.slice(lo, hi - lo)
    return col[lo:hi]  # type: ignore[index]


def _isolate(rows: _Rows, ctx: ValidationContext, pre: tuple[RowProblem, ...], error: Exception) -> ChunkResult:
    """Check the chunk in halves, and halves of the failing halves, until the failing rows are alone."""
    done: list[tuple[int, ChunkResult]] = []
    failures = 1
    pending = _halves(0, rows.n) if rows.n > 1 else []
    if rows.n == 1:
        done.append((0, _failed(rows, 0, 1, error, ctx.lang)))
    while pending:
        lo, hi = pending.pop()
        try:
            done.append((lo, rows.renumber(_validate(rows.piece(lo, hi), ctx, ()), lo)))
        except Exception as exc:  # the same defect (or another one) in this piece
            failures += 1
            if hi - lo == 1 or failures > _MAX_FAILED_SPLITS:
                done.append((lo, _failed(rows, lo, hi, exc, ctx.lang)))
            else:
                pending += _halves(lo, hi)
    done.sort(key=lambda item: item[0])
    return _merge(rows, [r for _, r in done], pre)


def _halves(lo: int, hi: int) -> list[tuple[int, int]]:
    mid = (lo + hi) // 2
    return [(mid, hi), (lo, mid)]  # popped from the end: the first half first


def _failed(rows: _Rows, lo: int, hi: int, error: Exception, lang: str) -> ChunkResult:
    """Rows ``[lo, hi)`` that could not be checked: each with an E_CHECK_FAILED finding (worded in ``lang``), none of
    them valid."""
    from tthc.kpi.indicators import KpiPartial

    n = hi - lo
    numbers = rows.numbers[lo:hi]
    what = f"{type(error).__name__}: {error}"[:300]
    text = message("check_failed", lang).format(error=what)
    findings = tuple(RowProblem(rows.file, int(r), "(row)", "E_CHECK_FAILED", text) for r in numbers.tolist())
    return ChunkResult(
        rows.file,
        numbers,
        np.zeros(n, dtype=bool),
        np.zeros(n, dtype=np.int8),
        np.zeros(n, dtype=np.int8),
        np.full(n, np.datetime64("NaT", "s")),
        findings,
        KpiPartial(unkeyed=n),  # not counted in any KPI (no agency or procedure could be read); in the report
        StrCol(obj=np.full(n, None, dtype=object)),
    )


def _merge(rows: _Rows, parts: list[ChunkResult], pre: tuple[RowProblem, ...]) -> ChunkResult:
    from tthc.kpi.indicators import KpiPartial

    findings = sorted(itertools.chain(pre, *(p.findings for p in parts)), key=lambda p: p.row)
    return ChunkResult(
        rows.file,
        np.concatenate([p.rows for p in parts]),
        np.concatenate([p.valid for p in parts]),
        np.concatenate([p.timeliness_pause for p in parts]),
        np.concatenate([p.timeliness_restart for p in parts]),
        np.concatenate([p.due_expected for p in parts]),
        tuple(findings),
        KpiPartial.sum(p.kpi for p in parts),  # type: ignore[misc]
        _concat_codes([p.dossier_codes for p in parts]),
        sum(1 for p in pre if p.field == "(row)"),
        int(getattr(rows.chunk, "blank_lines", 0)),
        int(getattr(rows.chunk, "continuation_lines", 0)),
    )


def _concat_codes(cols: list[StrCol]) -> StrCol:
    # kept in Arrow when the chunk was: duplicate detection hashes Arrow and Python strings differently
    if any(c.arrow is not None for c in cols):
        import pyarrow as pa

        parts = [c.arrow.cast(pa.string()) if c.arrow is not None else string_array(list(c.objects())) for c in cols]
        return StrCol(arrow=pa.concat_arrays(parts))
    return StrCol(obj=np.concatenate([c.objects() for c in cols]) if cols else np.zeros(0, dtype=object))
