"""The public-sector schedule data file: pydantic models, validation and loading.

The bundled file ``tthc/data/public_sector_schedule.json`` lists, per year, the government's public-sector days off
and make-up working Saturdays (làm bù), each with the letter it comes from (Văn phòng Chính phủ ``…/VPCP-KGVX`` and
the pages that report it). Users can pass their own file in the same shape (e.g. a provincial schedule) to
:func:`tthc.calendar.working_calendar.public_sector_calendar`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from tthc.calendar.notes import occasion_text
from tthc.errors import ConflictError
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import LegalReference
from tthc.foundation.words import DataText, words

__all__ = ["SWAP_REACH", "DaySpan", "ScheduleFile", "ScheduleOccasion", "ScheduleYear", "load_schedule"]

ScheduleStatus = Literal["announced", "projected"]

SWAP_REACH = 3
"""Days between a ``holidays.VN`` swap's weekday off and a listed occasion's days off for the swap to belong to that
occasion: a swapped weekday adjoins the break, or the weekend next to it."""


class DaySpan(BaseModel):
    """An inclusive span of days (``start`` and ``end`` both belong to it)."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    start: IsoDay
    end: IsoDay

    @model_validator(mode="after")
    def _ordered(self) -> DaySpan:
        if self.end < self.start:
            # worded: pydantic shows a validator's ValueError as the field's error (tthc.foundation.error_words)
            raise ValueError(
                words(
                    N_("days_off.end: expected a date on or after {start}, got {end}"), start=self.start, end=self.end
                )
            )
        return self

    def days(self) -> Iterator[date]:
        d = self.start
        while d <= self.end:
            yield d
            d += timedelta(days=1)


class ScheduleOccasion(BaseModel):
    """One occasion of one year (Tết, 30/4 & 1/5, National Day...): days off, the swapped weekday, make-up days."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    year: int
    occasion: str
    days_off: tuple[DaySpan, ...]
    swapped_weekday_off: IsoDay | None = None
    make_up_working_days: tuple[IsoDay, ...] = ()
    status: ScheduleStatus = "announced"
    reference: LegalReference

    def off_days(self) -> Iterator[date]:
        for span in self.days_off:
            yield from span.days()

    def describe(self) -> str:
        """``Tết Dương lịch 2026 (12729/VPCP-KGVX, 25/12/2025 [2nd])``."""
        return occasion_text(self.occasion, self.year, str(self.reference))

    def describe_vi(self) -> str:
        """:meth:`describe` with the document in Vietnamese (the reference's ``document_vi``, when given)."""
        return occasion_text(self.occasion, self.year, self.reference.text("vi"))


class ScheduleYear(BaseModel):
    """Whether a year's public-sector schedule is announced (the data is the authority) or projected."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    year: int
    status: ScheduleStatus
    note: str | None = None


class ScheduleFile(BaseModel):
    """The whole schedule file."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid", populate_by_name=True)

    comment: str | None = None
    years: tuple[ScheduleYear, ...]
    occasions: tuple[ScheduleOccasion, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleFile:
        known = {y.year for y in self.years}
        if len(known) != len(self.years):
            raise ValueError(words(N_("years: expected each year once, got a year listed twice")))
        for occ in self.occasions:
            if occ.year not in known:
                raise ValueError(
                    words(
                        N_("occasions: expected a year listed in 'years', got {occasion} {year}"),
                        occasion=occ.occasion,
                        year=occ.year,
                    )
                )
        return self

    @property
    def announced_years(self) -> frozenset[int]:
        return frozenset(y.year for y in self.years if y.status == "announced")

    @property
    def last_announced_year(self) -> int | None:
        years = self.announced_years
        return max(years) if years else None

    def lists_swap(self, day_off: date, make_up: date | None) -> bool:
        """True when the file lists the occasion a ``holidays.VN`` swap belongs to, so the file's entry replaces it.

        A swap belongs to an occasion whose days off lie within :data:`SWAP_REACH` days of its weekday off, whose
        swapped weekday is that day, or whose make-up days include its make-up day.
        """
        reach = timedelta(days=SWAP_REACH)
        for occ in self.occasions:
            if occ.swapped_weekday_off == day_off or (make_up is not None and make_up in occ.make_up_working_days):
                return True
            if any(span.start - reach <= day_off <= span.end + reach for span in occ.days_off):
                return True
        return False

    def check_conflicts(self) -> None:
        """Raise :class:`ConflictError` when a day is both a day off and a make-up working day."""
        off: dict[date, ScheduleOccasion] = {}
        for occ in self.occasions:
            for d in occ.off_days():
                off[d] = occ
        for occ in self.occasions:
            for d in occ.make_up_working_days:
                if d in off:
                    raise ConflictError(
                        words(
                            N_(
                                "{day}: a make-up working day in {occasion} and a day off in {other}; expected each "
                                "day to be one or the other"
                            ),
                            day=d,
                            occasion=DataText(occ.describe(), occ.describe_vi()),
                            other=DataText(off[d].describe(), off[d].describe_vi()),
                        )
                    )


def load_schedule(path: str | Path | None = None) -> ScheduleFile:
    """Load and validate a schedule file (the bundled one when ``path`` is None).

    Raises:
        DataFileError: the file cannot be read or does not match the schema (the message names the file and field).
        ConflictError: a day is listed both as a day off and as a make-up working day.
    """
    raw = load_json("public_sector_schedule.json") if path is None else read_json_file(path)
    name = "public_sector_schedule.json (bundled)" if path is None else str(path)
    if isinstance(raw, dict) and "$comment" in raw:
        raw = {("comment" if k == "$comment" else k): v for k, v in raw.items()}
    schedule = validate_data(ScheduleFile, raw, name)
    schedule.check_conflicts()
    return schedule
