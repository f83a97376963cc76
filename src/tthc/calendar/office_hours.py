"""Office hours of a public office: the working sessions and optional Saturday-morning reception.

The default (07:30–11:30, 13:00–17:00; 8 working hours) is data in ``counting_rules.json`` — a common provincial
schedule [2nd]; each office can have its own (``public_sector_calendar(office_hours=...)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from functools import cache

import attrs

from tthc.errors import InvalidValueError
from tthc.foundation.data_files import load_json
from tthc.foundation.references import LegalReference

__all__ = ["OfficeHours"]


def _parse_hhmm(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidValueError("office_hours", "a time 'HH:MM'", text) from None


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@attrs.frozen(slots=True)
class OfficeHours:
    """The office sessions of a working day, and optional Saturday-morning reception.

    Attributes:
        sessions: ordered, non-overlapping ``(start, end)`` pairs (default 07:30–11:30 and 13:00–17:00, 8 working
            hours — common provincial schedule [2nd]).
        saturday_reception: sessions on Saturday when the office receives dossiers although Saturday is not a
            working day (no national rule; per office, [open]). Whether such a receipt makes Saturday the receipt day
            is :attr:`tthc.deadlines.compute.CountingRules.saturday_receipt_counts`.
        reference: where the schedule comes from.
    """

    sessions: tuple[tuple[time, time], ...]
    saturday_reception: tuple[tuple[time, time], ...] = ()
    reference: LegalReference | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        for field, spans in (("office_hours.sessions", self.sessions), ("saturday_reception", self.saturday_reception)):
            last = -1
            for span in spans:
                if len(span) != 2 or not all(isinstance(t, time) for t in span):
                    raise InvalidValueError(field, "(start, end) pairs of datetime.time", span)
                a, b = _seconds(span[0]), _seconds(span[1])
                if not last <= a < b:
                    raise InvalidValueError(field, "ordered, non-overlapping sessions with start < end", spans)
                last = b
        if not self.sessions:
            raise InvalidValueError("office_hours.sessions", "at least one session", self.sessions)

    @classmethod
    def default(cls) -> OfficeHours:
        """The bundled default (``counting_rules.json``)."""
        return _default_office_hours()

    @classmethod
    def of(cls, *sessions: tuple[str, str], saturday_reception: Iterable[tuple[str, str]] = ()) -> OfficeHours:
        """Build from ``"HH:MM"`` text: ``OfficeHours.of(("07:00", "11:00"), ("13:30", "17:30"))``."""
        return cls(
            tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in sessions),
            tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in saturday_reception),
        )

    @property
    def opening(self) -> time:
        return self.sessions[0][0]

    @property
    def closing(self) -> time:
        return self.sessions[-1][1]

    @property
    def seconds_per_day(self) -> int:
        return sum(_seconds(b) - _seconds(a) for a, b in self.sessions)

    def receives_on_saturday_at(self, t: time) -> bool:
        s = _seconds(t)
        return any(_seconds(a) <= s < _seconds(b) for a, b in self.saturday_reception)

    def __repr__(self) -> str:
        parts = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.sessions)
        sat = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.saturday_reception)
        return f"<office hours {parts}" + (f"; Saturday reception {sat}>" if sat else ">")


@cache
def _default_office_hours() -> OfficeHours:
    raw = load_json("counting_rules.json")["office_hours"]
    return OfficeHours(
        tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in raw["sessions"]),
        reference=LegalReference.model_validate(raw["reference"]),
    )
