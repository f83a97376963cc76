"""Vectorised checks of bulk validation over numpy / Arrow columns: identifiers, tracking numbers, working-day
arithmetic on instants, timeliness classes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tthc.records.columns import StrCol, _ts_to_numpy, to_arrow
from tthc.validation.rules import Timeliness

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar

__all__ = [
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


_CANONICAL_RE = r"^\d{3}\.\d{2}\.\d{2}\.[HK]\d{2}-\d{6}-\d{4}$"
_SHORT_RE = r"^[HK]\d{2}(?:\.\d{1,3}){0,3}-\d{6}-\d{4,6}$"
_NUMERIC_RE = r"^\d{10,20}$"


def dossier_code_checks(col: StrCol) -> tuple[npt.NDArray[np.datetime64], Bool]:
    """Vectorised :class:`~tthc.foundation.ids.DossierCode` validation: (date inside the code or NaT, malformed)."""
    n = len(col)
    null = col.is_null()
    canonical = col.matches("(?i)" + _CANONICAL_RE, upper=False)
    short = np.zeros(n, dtype=bool)
    rest = ~canonical & ~null
    if rest.any():
        short = col.matches("(?i)" + _SHORT_RE, upper=False) & rest
    numeric = np.zeros(n, dtype=bool)
    rest &= ~short
    if rest.any():
        numeric = col.matches(_NUMERIC_RE, upper=False) & rest
    dated = canonical | short
    code_date = np.full(n, np.datetime64("NaT", "D"))
    if dated.any():
        if col.arrow is not None:
            import pyarrow.compute as pc

            # canonical codes end in '-YYMMDD-NNNN': the date sits at a fixed distance from the end
            part = pc.utf8_slice_codeunits(col.arrow, -11, -5)
            if short.any():
                alt = pc.extract_regex(col.arrow, r"-(?P<d>\d{6})-\d+$").field("d")
                part = pc.if_else(to_arrow(short), alt, part)
            parsed = pc.strptime(part, format="%y%m%d", unit="s", error_is_null=True)
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
    form = col.matches(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
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


def shift_working_days(cal: WorkingCalendar, when: DtArray, days: I64) -> DtArray:
    """Move instants by whole working days, keeping the time of day."""
    day = when.astype("datetime64[D]")
    tod = when - day.astype("datetime64[s]")
    moved = cal.add_working_days_many(day, days)
    return np.asarray(moved.astype("datetime64[s]") + tod, dtype="datetime64[s]")


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
