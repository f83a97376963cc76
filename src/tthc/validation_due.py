"""Due-date recomputation for bulk validation: per-row processing times gathered from the catalog, the vectorised
deadline engine (:func:`tthc.deadlines.compute_due_many`) for the whole chunk, the scalar engine for the trace of
the few rows that disagree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog import Procedure
from tthc.channels import Channel, OnlineLevel, PostalService
from tthc.processing_time import ProcessingTime, TimeUnit
from tthc.records import VN_TZ

if TYPE_CHECKING:
    from tthc.calendar import WorkingCalendar
    from tthc.deadlines import CountingRules, DueDate
    from tthc.reductions import Reduction, ReductionSet

    Reductions = ReductionSet | Sequence[Reduction]

__all__ = [
    "ProcessingTimeTable",
    "RowContext",
    "due_for_rows",
    "due_trace",
    "local_instant",
    "reduce_amounts",
    "scalar_due",
]

I64 = npt.NDArray[np.int64]
DtArray = npt.NDArray[np.datetime64]
Bool = npt.NDArray[np.bool_]

_UNSPECIFIED = 5


class ProcessingTimeTable:
    """Unit codes and amounts of the first published processing time per (procedure, channel) of a chunk.

    Rows ``[procedure index, channel - 1]``; unit code 5 (unspecified) where nothing is published.
    """

    def __init__(self, times: list[tuple[tuple[ProcessingTime, ...], ...]]) -> None:
        from tthc.deadlines_batch import UNIT_CODES

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
    """Due instants (Vietnam wall time, ``datetime64[s]``) and whether each row has one."""
    from tthc.deadlines import compute_due_many

    n = len(received)
    if n == 0:
        return np.zeros(0, dtype="datetime64[s]"), np.zeros(0, dtype=bool)
    due = compute_due_many(
        received,
        amounts,
        units,
        channels=np.where(chan > 0, chan, 1),
        calendar=calendar,
        rules=rules,
    ).astype("datetime64[s]")
    return due, ~np.isnat(due)


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
    from tthc.deadlines import compute_due

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
) -> str:
    """The scalar engine's explanation, one line per step joined with ``' → '``."""
    if pt is None or np.isnat(received):
        return "no processing time published for this channel"
    return " → ".join(scalar_due(received, pt, row, calendar, rules, reductions).steps)


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
    from tthc.reductions import apply_reductions

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


_ = TimeUnit
