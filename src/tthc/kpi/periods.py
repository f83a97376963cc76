"""Months of KPI figures: :class:`Period`, the months a KPI run keeps, and :func:`month_days`, the days a range of
months covers (the days an agency's records in a report fall on, for naming it as of those days)."""

from __future__ import annotations

import calendar
import re
from datetime import date

import attrs

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_

__all__ = ["Period", "month_days"]

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_REVERSED = N_("a range of months whose first is not after its last")


@attrs.frozen(slots=True)
class Period:
    """An inclusive range of months (``2025-01..2025-06``); ``None`` ends are open.

    Raises:
        InvalidValueError: a month that is not ``YYYY-MM``, or a range whose last month comes before its first.
    """

    start: str | None = None
    end: str | None = None

    def __attrs_post_init__(self) -> None:
        for month in (self.start, self.end):
            if month is not None and not (isinstance(month, str) and _MONTH.fullmatch(month)):
                raise InvalidValueError("period", N_("months YYYY-MM (or None: open)"), month)
        if self.start is not None and self.end is not None and self.end < self.start:
            # a range that keeps no month would be a report of nothing, given as if it were one
            raise InvalidValueError("period", _REVERSED, f"{self.start}..{self.end}")

    @classmethod
    def parse(cls, text: str | None) -> Period:
        """Read ``2025``, ``2025-03``, ``2025-Q2``, ``2025-01..2025-06``, ``2025..2026`` or ``..2025-06``.

        Digits are ASCII ``0-9`` only, as in the records' months: full-width (``２０２５``) or Arabic-Indic digits are
        refused, never kept as months that no record would fall in.

        Raises:
            InvalidValueError: the text is none of those.
        """
        if text is None or not text.strip():
            return cls()
        t = text.strip()
        if ".." in t:
            a, b = t.split("..", 1)
            if ".." in b:  # one range only: "2025..2026..2027" is none of the forms
                raise InvalidValueError("period", N_("YYYY, YYYY-MM, YYYY-Qn, or A..B of those"), text)
            lo, hi = cls.parse(a) if a else cls(), cls.parse(b) if b else cls()
            if lo.start is not None and hi.end is not None and hi.end < lo.start:
                raise InvalidValueError("period", _REVERSED, text)  # as the user wrote it
            return cls(lo.start, hi.end)
        if re.fullmatch(r"[0-9]{4}", t):
            return cls(f"{t}-01", f"{t}-12")
        if _MONTH.fullmatch(t):
            return cls(t, t)
        m = re.fullmatch(r"([0-9]{4})-?Q([1-4])", t, flags=re.IGNORECASE)
        if m:
            q = int(m.group(2))
            return cls(f"{m.group(1)}-{3 * q - 2:02d}", f"{m.group(1)}-{3 * q:02d}")
        raise InvalidValueError("period", N_("YYYY, YYYY-MM, YYYY-Qn, or A..B of those"), text)

    def __contains__(self, month: object) -> bool:
        return (
            isinstance(month, str)
            and (self.start is None or month >= self.start)
            and (self.end is None or month <= self.end)
        )

    def __str__(self) -> str:
        if self.start is None and self.end is None:
            return "all"
        if self.start == self.end:
            return str(self.start)
        return f"{self.start or '…'}..{self.end or '…'}"


def month_days(first: str, last: str) -> tuple[date, date]:
    """The first day of the month ``first`` and the last day of the month ``last`` (``YYYY-MM`` each).

    Raises:
        InvalidValueError: a month is not ``YYYY-MM``, or ``last`` comes before ``first``.
    """
    found = [_MONTH.fullmatch(m) if isinstance(m, str) else None for m in (first, last)]
    if found[0] is None or found[1] is None or last < first:
        raise InvalidValueError("months", N_("two months YYYY-MM, the first not after the last"), (first, last))
    year, month = int(found[1].group(1)), int(found[1].group(2))
    end = date(year, month, calendar.monthrange(year, month)[1])
    return date(int(found[0].group(1)), int(found[0].group(2)), 1), end
