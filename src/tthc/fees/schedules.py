"""Dated fee schedules: phí / lệ phí per procedure and channel, overriding the catalog's published fee.

The catalog says what a procedure costs as published; a fee schedule says what a fee circular set for a period — for
instance the online driving-licence fee of 115,000 đ from 1 Dec 2023 to 31 Dec 2025 against 135,000 đ on paper
(TT 63/2023/TT-BTC as reported, [2nd]). Rates for the same subject, channel and kind form a :class:`Timeline`, so
two rates can never be in force for the same thing on the same day. Bundled: ``fee_schedules.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import attrs
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tthc.catalog.model import FeeKind, Procedure
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import as_day, expect
from tthc.foundation.channels import Channel
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.dated import DatedValue, Timeline
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.money import Money
from tthc.foundation.references import DateRange, LegalReference
from tthc.foundation.text import fold as _fold_text
from tthc.foundation.words import Joined, Words, words

# procedure names and fields repeat across calls: folding them once keeps quotes cheap
fold = lru_cache(maxsize=8192)(_fold_text)

__all__ = ["FeeLookup", "FeeMatch", "FeeRate", "FeeSchedule"]


@attrs.frozen(slots=True)
class FeeMatch:
    """Which procedures a rate covers: any national code, any field, or any name fragment (accent-insensitive)."""

    procedure_codes: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()  # folded
    name_contains: tuple[str, ...] = ()  # folded

    def matches(self, procedure: Procedure) -> bool:
        if str(procedure.code.national) in self.procedure_codes:
            return True
        if procedure.field is not None and fold(procedure.field) in self.fields:
            return True
        name = fold(procedure.name)
        return any(fragment in name for fragment in self.name_contains)

    def __repr__(self) -> str:
        parts = [*sorted(self.procedure_codes), *(f"field={f}" for f in sorted(self.fields))]
        parts += [f"name~{n!r}" for n in self.name_contains]
        return " or ".join(parts) or "nothing"


@attrs.frozen(slots=True)
class FeeRate:
    """One fee rate: a kind (phí / lệ phí), an amount, the channels it applies to, the procedures it covers."""

    id: str
    subject: str
    label_vi: str
    kind: FeeKind
    amount: Money
    channels: frozenset[Channel]
    match: FeeMatch
    exempt_groups: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        if self.amount.minor < 0:
            raise InvalidValueError("amount", N_("an amount >= 0"), self.amount.minor, detail=self.id)

    def __repr__(self) -> str:
        chans = "|".join(sorted(c.value for c in self.channels))
        return f"<{self.kind.value} {self.amount.format_vi()} for {chans} ({self.match!r})>"


@attrs.frozen(slots=True)
class FeeLookup:
    """The rates found for a procedure, channel and date, and the matching rates not in force that day (``missing``,
    worded when shown: :attr:`not_in_force`; ``unpriced``: the fee kinds of those rates, for which no rate is known
    that day)."""

    rates: tuple[DatedValue[FeeRate], ...]
    missing: tuple[Words, ...]
    unpriced: frozenset[FeeKind] = frozenset()

    @property
    def not_in_force(self) -> tuple[str, ...]:
        """The rates not in force, in the default language (``TTHC_LANG``, else Vietnamese)."""
        return tuple(w.text() for w in self.missing)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _MatchModel(_Frozen):
    procedure_codes: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    name_contains: tuple[str, ...] = ()


class _RateModel(_Frozen):
    id: str
    subject: str
    label_vi: str
    match: _MatchModel
    channels: tuple[Channel, ...] = (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL)
    kind: FeeKind
    amount: int = Field(ge=0)
    currency: str = "VND"
    exempt_groups: tuple[str, ...] = ()
    valid_from: IsoDay | None = None
    valid_until: IsoDay | None = None
    reference: LegalReference

    @model_validator(mode="after")
    def _dates(self) -> _RateModel:
        DateRange(self.valid_from, self.valid_until)
        return self


class _ScheduleFile(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    comment: str | None = Field(default=None, alias="$comment")
    schedules: tuple[_RateModel, ...]


@attrs.frozen(slots=True)
class FeeSchedule:
    """Dated fee rates; rates for the same (subject, channel, kind) may not overlap.

    Raises:
        ConflictError: two rates for the same subject, channel and kind are in force on the same day.
    """

    timelines: tuple[tuple[Channel, Timeline[FeeRate]], ...] = ()

    def __repr__(self) -> str:
        return f"<fee schedule: {sum(len(t) for _, t in self.timelines)} dated rates>"

    @classmethod
    def of(cls, rates: Iterable[DatedValue[FeeRate]]) -> FeeSchedule:
        """Group dated rates into timelines (one per subject, channel and kind)."""
        groups: dict[tuple[str, Channel, FeeKind], list[DatedValue[FeeRate]]] = {}
        if isinstance(rates, str | bytes) or not isinstance(rates, Iterable):
            raise InvalidValueError("rates", N_("an iterable of DatedValue[FeeRate]"), type(rates).__name__)
        rates = tuple(rates)
        for i, dv in enumerate(rates):
            if not (isinstance(dv, DatedValue) and isinstance(dv.value, FeeRate)):
                raise InvalidValueError(f"rates[{i}]", N_("a DatedValue of a FeeRate"), type(dv).__name__)
        for dv in rates:
            for ch in dv.value.channels:
                groups.setdefault((dv.value.subject, ch, dv.value.kind), []).append(dv)
        return cls(
            tuple(
                (ch, Timeline(f"fee {s} / {ch.value} / {k.value}", vals)) for (s, ch, k), vals in sorted(groups.items())
            )
        )

    @classmethod
    def bundled(cls) -> FeeSchedule:
        return _bundled_schedule()

    @classmethod
    def empty(cls) -> FeeSchedule:
        return cls(())

    @classmethod
    def load(cls, path: str | Path) -> FeeSchedule:
        return cls.from_dict(read_json_file(path), source=str(path))

    @classmethod
    def from_dict(cls, raw: object, *, source: str = "<fee schedule>") -> FeeSchedule:
        """Build from the file shape.

        Raises:
            DataFileError: the data does not match the format (the message names the field).
            ConflictError: two rates overlap for the same subject, channel and kind.
        """
        parsed = validate_data(_ScheduleFile, raw, source)
        rates = []
        for r in parsed.schedules:
            rate = FeeRate(
                r.id,
                r.subject,
                r.label_vi,
                r.kind,
                Money(r.amount, r.currency),
                frozenset(r.channels),
                FeeMatch(
                    frozenset(r.match.procedure_codes),
                    frozenset(fold(f) for f in r.match.fields),
                    tuple(fold(n) for n in r.match.name_contains),
                ),
                frozenset(r.exempt_groups),
            )
            rates.append(DatedValue(rate, r.valid_from, r.valid_until, r.reference))
        return cls.of(rates)

    def lookup(self, procedure: Procedure, channel: Channel, on: date) -> FeeLookup:
        """The rates in force on ``on`` for ``procedure`` filed through ``channel`` (one per subject and kind)."""
        expect(procedure, Procedure, "procedure", "a tthc.Procedure")
        channel = Channel.parse(channel)
        on = as_day(on, "on")
        found: list[DatedValue[FeeRate]] = []
        missing: list[Words] = []
        unpriced: set[FeeKind] = set()
        for ch, t in self.timelines:
            if ch is not channel or not any(x.value.match.matches(procedure) for x in t.values):
                continue
            v = t.get(on)
            if v is None or not v.value.match.matches(procedure):
                covered = Joined(tuple(x.period for x in t.values), ", ")
                unpriced.add(t.values[0].value.kind)
                missing.append(
                    words(
                        N_("{rate}: not in force on {day} (in force {periods})"), rate=t.name, day=on, periods=covered
                    )
                )
            else:
                found.append(v)
        return FeeLookup(tuple(found), tuple(missing), frozenset(unpriced - {dv.value.kind for dv in found}))


@cache
def _bundled_schedule() -> FeeSchedule:
    return FeeSchedule.from_dict(load_json("fee_schedules.json"), source="fee_schedules.json")
