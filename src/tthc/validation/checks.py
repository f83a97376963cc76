"""Vectorised checks of bulk validation over numpy / Arrow columns: identifiers, tracking numbers, working-day
arithmetic on instants, timeliness classes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tthc.errors import TthcError
from tthc.records.columns import StrCol, _ts_to_numpy, to_arrow
from tthc.validation.rules import Timeliness

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar

__all__ = [
    "by_row_or_none",
    "classify_rows",
    "dossier_code_checks",
    "fmt_instant",
    "s10_check_digit",
    "shift_working_days",
    "tracking_checks",
    "validity_bound",
    "working_days_between",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]
DtArray = npt.NDArray[np.datetime64]


def fmt_instant(dt: np.datetime64) -> str:
    """An instant as findings show it, ``YYYY-MM-DD hh:mm:ss``; empty for ``NaT``."""
    return "" if np.isnat(dt) else str(dt).replace("T", " ")


def validity_bound(d: date | None, default: str) -> np.datetime64:
    if d is None:
        return np.datetime64("0001-01-01" if default == "min" else "9999-12-31", "D")
    return np.datetime64(d, "D")


# ASCII only, as the scalar codes (tthc.foundation.ids): Python's \d and (?i) take '２' and the Kelvin sign, RE2's
# do not; spelt out, both engines give the same answer
_CANONICAL_RE = r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[HKhk][0-9]{2}-[0-9]{6}-[0-9]{4}$"
_SHORT_RE = r"^[HKhk][0-9]{2}(?:\.[0-9]{1,3}){0,3}-[0-9]{6}-[0-9]{4,6}$"
_NUMERIC_RE = r"^[0-9]{10,20}$"


def dossier_code_checks(col: StrCol) -> tuple[npt.NDArray[np.datetime64], Bool]:
    """Vectorised :class:`~tthc.foundation.ids.DossierCode` validation: (date inside the code or NaT, malformed)."""
    n = len(col)
    null = col.is_null()
    canonical = col.matches(_CANONICAL_RE, upper=False)
    short = np.zeros(n, dtype=bool)
    rest = ~canonical & ~null
    if rest.any():
        short = col.matches(_SHORT_RE, upper=False) & rest
    numeric = np.zeros(n, dtype=bool)
    rest &= ~short
    if rest.any():
        numeric = col.matches(_NUMERIC_RE, upper=False) & rest
    dated = canonical | short
    code_date = np.full(n, np.datetime64("NaT", "D"))
    if dated.any():
        if col.arrow is not None:
            import pyarrow as pa
            import pyarrow.compute as pc

            # canonical codes end in '-YYMMDD-NNNN': the date sits at a fixed distance from the end
            part = pc.utf8_slice_codeunits(col.arrow, -11, -5)
            if short.any():
                alt = pc.extract_regex(col.arrow, r"-(?P<d>[0-9]{6})-[0-9]+$").field("d")
                part = pc.if_else(to_arrow(short), alt, part)
            parsed = pc.strptime(part, format="%y%m%d", unit="s", error_is_null=True)
            # Arrow's strptime rolls 30 February over to 1 March: a date that does not print back is not a date
            rolled = pc.fill_null(pc.not_equal(pc.strftime(parsed, format="%y%m%d"), part), False)
            parsed = pc.if_else(rolled, pa.scalar(None, parsed.type), parsed)
            days = _ts_to_numpy(parsed).astype("datetime64[D]")
            code_date = np.where(dated, days, code_date)
        else:
            idx = np.flatnonzero(dated)
            code_date[idx] = np.array([_yymmdd(str(col[int(k)])) for k in idx], dtype="datetime64[D]")
    bad = ~null & ~numeric & (~dated | np.isnat(code_date))
    return code_date, bad


def _yymmdd(code: str) -> np.datetime64:
    text = code.strip().rsplit("-", 2)[1]
    try:
        return np.datetime64(date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6])), "D")
    except ValueError:
        return np.datetime64("NaT", "D")


_S10_WEIGHTS = np.array([8, 6, 4, 2, 3, 5, 9, 7], dtype=np.int64)


def s10_check_digit(code: str) -> int:
    c = 11 - int(np.dot(np.frombuffer(code[2:10].encode(), dtype=np.uint8).astype(np.int64) - 48, _S10_WEIGHTS)) % 11
    return 0 if c == 10 else 5 if c == 11 else c


def tracking_checks(col: StrCol) -> tuple[Bool, Bool]:
    """Vectorised UPU S10: (well-formed, check digit right) per row."""
    n = len(col)
    # ASCII letters matched before upper-casing: upper() turns the long s into 'S'
    form = col.matches(r"^[A-Za-z]{2}[0-9]{9}[A-Za-z]{2}$", upper=False)
    digit = np.zeros(n, dtype=bool)
    sel = np.flatnonzero(form)
    if not len(sel):
        return form, digit
    text = "".join(str(col[int(k)]).strip().upper() for k in sel) if col.arrow is None else None
    if text is None:
        import pyarrow as pa
        import pyarrow.compute as pc

        part = pa.concat_arrays([pc.utf8_upper(col.arrow.take(to_arrow(sel.astype(np.int64))))])  # type: ignore[union-attr]
        data = np.frombuffer(part.buffers()[2], dtype=np.uint8)
        start = int(np.frombuffer(part.buffers()[1], dtype=np.int32)[part.offset])
        m = data[start : start + 13 * len(sel)].reshape(-1, 13)
    else:
        m = np.frombuffer(text.encode("ascii"), dtype=np.uint8).reshape(-1, 13)
    s = (m[:, 2:10].astype(np.int64) - 48) @ _S10_WEIGHTS
    c = 11 - s % 11
    c = np.where(c == 10, 0, np.where(c == 11, 5, c))
    digit[sel] = c == (m[:, 10].astype(np.int64) - 48)
    return form, digit


def working_days_between(
    cal: WorkingCalendar, start: npt.NDArray[np.datetime64], end: npt.NDArray[np.datetime64]
) -> I64:
    # rows missing either date are answered 0; they are filled with a day inside the calendar's range
    filler = np.datetime64(cal.first.isoformat(), "D")
    s = np.where(np.isnat(start) | np.isnat(end), filler, start.astype("datetime64[D]"))
    e = np.where(np.isnat(start) | np.isnat(end), filler, end.astype("datetime64[D]"))
    result: I64 = cal.working_days_between_many(s, e)
    return result


def by_row_or_none(n: int, compute: Callable[[I64], DtArray], empty: DtArray) -> tuple[DtArray, Bool]:
    """``compute`` over all ``n`` rows at once, and where one row makes it fail, over every other row still.

    ``compute(idx)`` answers rows ``idx`` in one vectorised call; a :class:`~tthc.errors.TthcError` (a day outside
    the calendar's range) or an arithmetic overflow for one row would lose the answers of all the others, so the rows
    are split in halves until each failing row is alone. It costs a few extra calls per failing row (about
    ``2 log2 n``), and nothing when no row fails.

    Returns:
        The answers (``empty``'s value where a row failed; ``empty`` must have ``n`` elements) and the failed rows.
    """
    out = empty.copy()
    failed = np.zeros(n, dtype=bool)
    pending = [np.arange(n, dtype=np.int64)] if n else []
    while pending:
        idx = pending.pop()
        try:
            out[idx] = compute(idx)
        except (TthcError, ArithmeticError):
            if len(idx) == 1:
                failed[idx] = True
            else:
                half = len(idx) // 2
                pending += [idx[half:], idx[:half]]
    return out, failed


def shift_working_days(cal: WorkingCalendar, when: DtArray, days: I64) -> tuple[DtArray, Bool]:
    """Move instants by whole working days, keeping the time of day; rows whose answer would leave the calendar's
    range are ``NaT`` and flagged (second value)."""
    day = when.astype("datetime64[D]")
    tod = when - day.astype("datetime64[s]")
    moved, failed = by_row_or_none(
        len(when), lambda i: cal.add_working_days_many(day[i], days[i]), np.full(len(when), np.datetime64("NaT", "D"))
    )
    return np.asarray(moved.astype("datetime64[s]") + tod, dtype="datetime64[s]"), failed


def classify_rows(due: DtArray, finished: DtArray, as_of: np.datetime64) -> I8:
    """Vectorised portal classes: early (finished on a day before the due day), on time (on the due day, not
    after the due instant), late (after); open dossiers judged at ``as_of``."""
    out = np.zeros(len(due), dtype=np.int8)
    has_due = ~np.isnat(due)
    done = ~np.isnat(finished) & has_due
    late = done & (finished > due)
    early = done & ~late & (finished.astype("datetime64[D]") < due.astype("datetime64[D]"))
    out[done] = Timeliness.ON_TIME
    out[early] = Timeliness.EARLY
    out[late] = Timeliness.LATE
    if not np.isnat(as_of):
        open_ = np.isnat(finished) & has_due
        out[open_ & (due >= as_of)] = Timeliness.OPEN_WITHIN
        out[open_ & (due < as_of)] = Timeliness.OPEN_OVERDUE
    return out
