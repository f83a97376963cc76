"""Due-date recomputation for bulk validation: per-row processing times gathered from the catalog, the vectorised
deadline engine (:func:`tthc.deadlines.compute_due_many`) for the whole chunk, the scalar engine for the trace of
the few rows that disagree.

The steps :func:`tthc.validation.validate_chunk` runs are :func:`recompute_due`, :func:`check_due_mismatch`
(E_DUE_MISMATCH) and :func:`restart_due` (the legal reading of timeliness); the building blocks below them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.model import Procedure
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import TthcError
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.records.columns import CHANNELS, LEVELS
from tthc.records.layout import VN_TZ
from tthc.validation.checks import by_row_or_none, channel_text, fmt_instant, instant_text
from tthc.validation.rules import message

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar
    from tthc.deadlines.compute import CountingRules, DueDate
    from tthc.deadlines.reductions import Reduction, ReductionSet
    from tthc.validation.steps import CatalogMatch, ChunkRows

    Reductions = ReductionSet | Sequence[Reduction]

__all__ = [
    "DueLookup",
    "ProcessingTimeTable",
    "RecomputedDue",
    "RowContext",
    "check_due_in_range",
    "check_due_mismatch",
    "due_for_rows",
    "due_for_rows_in_range",
    "due_trace",
    "local_instant",
    "recompute_due",
    "reduce_amounts",
    "restart_due",
    "scalar_due",
]

I64 = npt.NDArray[np.int64]
DtArray = npt.NDArray[np.datetime64]
Bool = npt.NDArray[np.bool_]
NAT = np.datetime64("NaT", "s")

_UNSPECIFIED = 5


class ProcessingTimeTable:
    """Unit codes and amounts of the first published processing time per (procedure, channel) of a chunk.

    Rows ``[procedure index, channel - 1]``; unit code 5 (unspecified) where nothing is published.
    """

    def __init__(self, times: list[tuple[tuple[ProcessingTime, ...], ...]]) -> None:
        from tthc.deadlines.batch import UNIT_CODES

        p = len(times)
        self.units = np.full((max(p, 1), 3), _UNSPECIFIED, dtype=np.int64)
        self.amounts = np.zeros((max(p, 1), 3), dtype=np.int64)
        self.first: list[list[ProcessingTime | None]] = []
        for i, per_channel in enumerate(times):
            row: list[ProcessingTime | None] = []
            for c, pts in enumerate(per_channel):
                pt = pts[0] if pts else None
                row.append(pt)
                if pt is not None:
                    self.units[i, c] = UNIT_CODES[pt.unit]
                    self.amounts[i, c] = pt.amount or 0
            self.first.append(row)

    def gather(self, proc: I64, chan: I64, rows: Bool) -> tuple[I64, I64]:
        """Per-row unit codes and amounts (unspecified where ``rows`` is False)."""
        c = np.where(chan > 0, chan - 1, 0)
        units = np.where(rows, self.units[proc, c], _UNSPECIFIED)
        amounts = np.where(rows, self.amounts[proc, c], 0)
        return units, amounts


def due_for_rows(
    received: DtArray, units: I64, amounts: I64, chan: I64, calendar: WorkingCalendar, rules: CountingRules | None
) -> tuple[DtArray, Bool]:
    """Due instants (Vietnam wall time, ``datetime64[s]``) and whether each row has one (``NaT`` / False also where
    the due date would fall outside the calendar's range: :func:`due_for_rows_in_range` says which)."""
    due, has, _ = due_for_rows_in_range(received, units, amounts, chan, calendar, rules)
    return due, has


def due_for_rows_in_range(
    received: DtArray, units: I64, amounts: I64, chan: I64, calendar: WorkingCalendar, rules: CountingRules | None
) -> tuple[DtArray, Bool, Bool]:
    """:func:`due_for_rows` and the rows whose due date lies outside the calendar's range (no answer for them; the
    answers of the other rows are unaffected)."""
    from tthc.deadlines.batch import compute_due_many

    n = len(received)
    channels = np.where(chan > 0, chan, 1)
    # only the rows with a receipt are counted (the others have no due date, and often they are most of the rows:
    # a restart after a supplement, say)
    present = np.flatnonzero(~np.isnat(received))
    whole = len(present) == n

    def compute(i: I64) -> DtArray:
        # every row in order (the first call of by_row_or_none, when every row has a receipt): no copies
        rows = slice(None) if whole and len(i) == n else present[i]
        due: DtArray = compute_due_many(
            received[rows], amounts[rows], units[rows], channels=channels[rows], calendar=calendar, rules=rules
        ).astype("datetime64[s]")
        return due

    if whole:
        due, outside = by_row_or_none(n, compute, np.full(n, NAT))
    else:
        due = np.full(n, NAT)
        outside = np.zeros(n, dtype=bool)
        due[present], outside[present] = by_row_or_none(len(present), compute, np.full(len(present), NAT))
    return due, ~np.isnat(due), outside


@attrs.frozen(slots=True)
class RowContext:
    """What the scalar engine needs about one row besides its receipt and processing time."""

    channel: Channel
    procedure: Procedure | None = None
    online_level: OnlineLevel | None = None
    postal: PostalService | None = None


def scalar_due(
    received: np.datetime64,
    pt: ProcessingTime,
    row: RowContext,
    calendar: WorkingCalendar,
    rules: CountingRules | None,
    reductions: Reductions,
) -> DueDate:
    """The scalar engine for one row (rare paths: traces, half-day reductions, alternative published times)."""
    from tthc.deadlines.compute import compute_due

    when = received.astype("datetime64[s]").astype(datetime)
    return compute_due(
        when,
        pt,
        channel=row.channel,
        calendar=calendar,
        rules=rules,
        reductions=reductions,
        procedure=row.procedure,
        online_level=row.online_level,
        postal=row.postal,
    )


def due_trace(
    received: np.datetime64,
    pt: ProcessingTime | None,
    row: RowContext,
    calendar: WorkingCalendar,
    rules: CountingRules | None,
    reductions: Reductions = (),
    lang: str = "en",
) -> str:
    """The scalar engine's explanation, one line per step joined with ``' → '``, in ``lang``."""
    if pt is None or np.isnat(received):
        return message("no_time_published", lang)
    try:
        return " → ".join(scalar_due(received, pt, row, calendar, rules, reductions).steps_in(lang))
    except TthcError as exc:  # the engine cannot count there (outside the calendar's range): say why
        return message("trace_not_available", lang).format(error=exc)


def local_instant(due: DueDate) -> np.datetime64:
    """A DueDate's instant as Vietnam wall time (``NaT`` when there is none)."""
    if due.due_at is None:
        return np.datetime64("NaT", "s")
    return np.datetime64(due.due_at.astimezone(VN_TZ).replace(tzinfo=None), "s")


def reduce_amounts(
    units: I64,
    amounts: I64,
    rows: Bool,
    first: list[list[ProcessingTime | None]],
    key_parts: tuple[I64, I64, I64, I64],
    received_day: npt.NDArray[np.datetime64],
    context: Callable[[int], RowContext],
    reductions: ReductionSet,
) -> tuple[I64, I64, Bool]:
    """Apply priority reductions to the per-row amounts for the batch engine.

    Reductions are worked out once per (procedure, channel, online level, postal option, stretch of receipt dates
    between reduction validity bounds). Rows whose reduced time is not whole (half a working day) are flagged for
    the scalar engine, which knows how to count them.
    """
    from tthc.deadlines.reductions import apply_reductions

    units = units.copy()
    amounts = amounts.copy()
    scalar = np.zeros(len(units), dtype=bool)
    idx = np.flatnonzero(rows)
    if not len(idx) or not len(reductions):
        return units, amounts, scalar
    bounds: set[date] = set()
    for r in reductions.rules:
        if r.valid.start is not None:
            bounds.add(r.valid.start)
        if r.valid.end is not None:
            bounds.add(date.fromordinal(r.valid.end.toordinal() + 1))
    edges = np.array(sorted(bounds), dtype="datetime64[D]")
    stretch = np.searchsorted(edges, received_day[idx], side="right")
    proc, chan, level, postal = (part[idx] for part in key_parts)
    key = np.stack([proc, chan, level, postal, stretch], axis=1)
    _, first_rows, back = np.unique(key, axis=0, return_index=True, return_inverse=True)
    back = back.reshape(-1)
    new_amount = np.zeros(len(first_rows), dtype=np.int64)
    fractional = np.zeros(len(first_rows), dtype=bool)
    for j, r in enumerate(first_rows):
        k = int(idx[r])
        pt = first[int(proc[r])][int(chan[r]) - 1]
        if pt is None or pt.amount is None:
            new_amount[j] = amounts[k]
            continue
        row = context(k)
        outcome = apply_reductions(
            pt,
            reductions,
            channel=row.channel,
            on=received_day[k].astype(date),
            procedure=row.procedure,
            online_level=row.online_level,
            postal=row.postal,
        )
        effective = outcome.effective.amount
        value = Fraction(effective if effective is not None else pt.amount)
        if value.denominator == 1:
            new_amount[j] = int(value)
        else:
            fractional[j] = True
            new_amount[j] = amounts[k]
    amounts[idx] = new_amount[back]
    scalar[idx] = fractional[back]
    return units, amounts, scalar


# ------------------------------------------------------------------------------------------------------ the steps


@attrs.frozen(slots=True)
class DueLookup:
    """What the engines need per row of a chunk besides the receipt: the published processing times of its
    procedure and channel, its online level and postal option (``postal_code``: 1 send, 2 return, 3 both)."""

    rows: ChunkRows
    match: CatalogMatch
    table: ProcessingTimeTable
    level: I64
    postal_code: I64

    @classmethod
    def build(cls, rows: ChunkRows, match: CatalogMatch) -> DueLookup:
        table = ProcessingTimeTable([info.times for info in match.infos])
        level = rows.tc.enums["online_level"].astype(np.int64)
        postal_code = np.where(rows.chan == 3, 1, 0) + np.where(rows.result_chan == 3, 2, 0)
        return cls(rows, match, table, level, postal_code)

    def context(self, i: int) -> RowContext:
        """Row ``i`` for the scalar engine."""
        chan, service = self.rows.chan, (None, PostalService.SEND, PostalService.RETURN, PostalService.BOTH)
        return RowContext(
            CHANNELS[chan[i] - 1] if chan[i] > 0 else Channel.DIRECT,
            self.match.infos[self.match.inv[i]].procedure,
            LEVELS[self.level[i] - 1] if self.level[i] > 0 else None,
            service[int(self.postal_code[i])],
        )

    def processing_time(self, i: int) -> ProcessingTime | None:
        """The first published processing time of row ``i``'s procedure and channel."""
        chan, inv = self.rows.chan, self.match.inv
        return (
            self.table.first[inv[i]][chan[i] - 1]
            if chan[i] > 0 and self.match.infos[inv[i]].procedure is not None
            else None
        )

    def scalar(self, start: np.datetime64, pt: ProcessingTime, i: int) -> DueDate:
        """The scalar engine for row ``i`` from ``start`` with the run's options."""
        opts = self.rows.ctx.options
        return scalar_due(start, pt, self.context(i), self.rows.ctx.calendar, opts.deadline_rules, opts.reductions)

    def scalar_or_none(self, start: np.datetime64, pt: ProcessingTime, i: int) -> DueDate | None:
        """:meth:`scalar`, or ``None`` where the engine cannot answer (a due date outside the calendar's range)."""
        try:
            return self.scalar(start, pt, i)
        except TthcError:
            return None


@attrs.frozen(slots=True)
class RecomputedDue:
    """The due date recomputed for every row of a chunk.

    Attributes:
        computable: rows with a receipt, a known procedure and a published channel.
        units / amounts: each row's processing time for the batch engine (reduced when reductions apply).
        scalar_rows: rows whose reduced time is not whole: counted by the scalar engine.
        expected / has_time: the recomputed due instant (Vietnam wall time) and whether there is one.
        outside: rows whose due date would fall outside the calendar's range (no due date; reported E_RANGE by
            :func:`check_due_in_range`).
    """

    lookup: DueLookup
    computable: Bool
    units: I64
    amounts: I64
    scalar_rows: Bool
    expected: DtArray
    has_time: Bool
    outside: Bool = attrs.field(factory=lambda: np.zeros(0, dtype=bool))


def recompute_due(rows: ChunkRows, match: CatalogMatch) -> RecomputedDue:
    """Due dates from receipt, procedure and channel (and reductions): the batch engine for the chunk, the scalar
    engine for the rows it cannot count (no findings)."""
    opts, n, chan, received = rows.ctx.options, rows.n, rows.chan, rows.received
    lookup = DueLookup.build(rows, match)
    computable = match.chan_ok & match.known & match.offered & ~np.isnat(received)
    proc_idx = match.inv if n else np.zeros(0, dtype=np.int64)
    units, amounts = lookup.table.gather(proc_idx, chan, computable)
    reductions = _reduction_set(opts.reductions)
    scalar_rows = np.zeros(n, dtype=bool)
    if reductions is not None and computable.any():
        units, amounts, scalar_rows = reduce_amounts(
            units, amounts, computable, lookup.table.first, (proc_idx, chan, lookup.level, lookup.postal_code),
            rows.recv_day, lookup.context, reductions,
        )  # fmt: skip
    expected, has_time, outside = due_for_rows_in_range(
        received, units, amounts, chan, rows.ctx.calendar, opts.deadline_rules
    )
    for k in np.flatnonzero(scalar_rows):
        pt = lookup.processing_time(int(k))
        if pt is not None:
            one = lookup.scalar_or_none(received[k], pt, int(k))
            expected[k] = NAT if one is None else local_instant(one)
            has_time[k] = one is not None and one.due_at is not None
            outside[k] = one is None
    return RecomputedDue(lookup, computable, units, amounts, scalar_rows, expected, has_time, outside)


def check_due_in_range(rows: ChunkRows, due: RecomputedDue) -> None:
    """E_RANGE: the due date would fall outside the working calendar's range, so it cannot be recomputed (the row's
    receipt is inside the range; a longer calendar answers it)."""
    cal, received = rows.ctx.calendar, rows.received
    span, outside = f"{cal.first.isoformat()}..{cal.last.isoformat()}", message("due_outside_calendar", rows.ctx.lang)
    rows.findings.add(
        due.outside,
        "due_at",
        "E_RANGE",
        lambda i: outside.format(span=span, received=fmt_instant(received[i]), time=due.lookup.processing_time(i)),
        lambda i: fmt_instant(received[i]),
    )


def check_due_mismatch(rows: ChunkRows, due: RecomputedDue) -> None:
    """E_DUE_MISMATCH: the recorded due date is not the recomputed one (by day or to the second, per
    ``due_check``), nor one from another published processing time of the channel (NĐ 61/2018 Điều 18.2)."""
    opts = rows.ctx.options
    if opts.due_check == "off":
        return
    lookup, received, chan, expected = due.lookup, rows.received, rows.chan, due.expected
    infos, inv = due.lookup.match.infos, due.lookup.match.inv
    recorded_due = rows.tc.datetimes["due_at"]
    by_day = opts.due_check == "date"

    def same_due(a: np.datetime64, b: np.datetime64) -> bool:
        if by_day:
            return bool(a.astype("datetime64[D]") == b.astype("datetime64[D]"))
        return bool(a == b)

    recorded = ~np.isnat(recorded_due) & due.has_time
    if by_day:
        differs = recorded & (recorded_due.astype("datetime64[D]") != expected.astype("datetime64[D]"))
    else:
        differs = recorded & (recorded_due != expected)
    # several published rows for one channel (normal / complex case): any of them may apply
    for k in np.flatnonzero(differs):
        for pt in infos[inv[k]].times[chan[k] - 1][1:]:
            alt = lookup.scalar_or_none(received[k], pt, int(k))
            if alt is not None and alt.due_at is not None and same_due(local_instant(alt), recorded_due[k]):
                differs[k] = False
                break
    lang = rows.ctx.lang
    mismatch = message("due_mismatch", lang)
    rows.findings.add(
        differs,
        "due_at",
        "E_DUE_MISMATCH",
        lambda i: mismatch.format(
            recorded=instant_text(recorded_due[i], lang),
            expected=instant_text(expected[i], lang),
            received=instant_text(received[i], lang),
            time=lookup.processing_time(i),
            channel=channel_text(CHANNELS[chan[i] - 1], lang),
            trace=due_trace(
                received[i],
                lookup.processing_time(i),
                lookup.context(i),
                rows.ctx.calendar,
                opts.deadline_rules,
                opts.reductions,
                lang,
            ),
        ),
        lambda i: fmt_instant(recorded_due[i]),
    )


def restart_due(rows: ChunkRows, due: RecomputedDue, completed: DtArray, base_due: DtArray) -> DtArray:
    """The due date when time restarts at the supplement's completion (NĐ 61/2018 Điều 19.4), ``base_due`` for
    rows without a completed supplement or a computable due date (a new array)."""
    restarted = ~np.isnat(completed) & due.computable
    if not restarted.any():
        return base_due.copy()
    opts, cal = rows.ctx.options, rows.ctx.calendar
    again, ok, outside = due_for_rows_in_range(
        np.where(restarted, completed, NAT), due.units, due.amounts, rows.chan, cal, opts.deadline_rules
    )
    for k in np.flatnonzero(restarted & due.scalar_rows):
        pt = due.lookup.processing_time(int(k))
        if pt is not None:
            one = due.lookup.scalar_or_none(completed[k], pt, int(k))
            again[k], ok[k] = (NAT, False) if one is None else (local_instant(one), one.due_at is not None)
            outside[k] = one is None
    restart_outside = message("restart_outside_calendar", rows.ctx.lang).format(
        span=f"{cal.first.isoformat()}..{cal.last.isoformat()}"
    )
    rows.findings.add(
        outside,
        "supplement_completed_at",
        "E_RANGE",
        lambda i: restart_outside,
        lambda i: fmt_instant(completed[i]),
    )
    # no answer in the legal reading for those rows (rather than silently the first due date)
    return np.where(restarted & ok, again, np.where(outside, NAT, base_due))


def _reduction_set(reductions: ReductionSet | Sequence[Reduction]) -> ReductionSet | None:
    if not reductions:
        return None
    from tthc.deadlines.reductions import ReductionSet

    return reductions if isinstance(reductions, ReductionSet) else ReductionSet(tuple(reductions))


_ = TimeUnit
