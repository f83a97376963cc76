"""Postal tariffs (giá cước) of the public postal service for dossiers and results, as data.

A :class:`Tariff` prices a postal leg — sending the dossier (gửi hồ sơ) or returning the result (chuyển trả kết
quả) — by route zone and weight bracket, plus the charge for remitting the fee through the post. Each price is a
dated value with its reference; VAT treatment and surcharges are part of the format. The bundled tariff
(``bcci_tariffs.json``) holds only what Vietnam Post published (domain.md §5, [2nd]): one way up to 100 g within the
province 26,000 đ (same district) / 30,000 đ (between districts), between provinces 30,500–31,500 đ by region
distance, fee remittance 8,000 đ per dossier. Brackets above 100 g, surcharges and VAT are [open]: pass your own
tariff file in the same format (:meth:`Tariff.load`).

References:
    * Vietnam Post notice for Khánh Hòa (URL in the data file); QĐ 45/2016/QĐ-TTg Điều 12.3 (the applicant pays).
    * TT 22/2017/TT-BTTTT: exemptions and 50% reductions for beneficiary groups (``postal_beneficiaries.json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Literal

import attrs
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tthc.errors import ConflictError, InvalidValueError, NotFoundError
from tthc.foundation.arguments import as_day, expect
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.dated import DatedValue, Timeline
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.money import Money, Rounding
from tthc.foundation.references import DateRange, LegalReference
from tthc.foundation.words import DataText, Words, words
from tthc.postal.zones import Zone, ZoneVocabulary, lookup_zone, zone_vocabulary

__all__ = [
    "Beneficiary",
    "Leg",
    "LegPrice",
    "Surcharge",
    "Tariff",
    "TariffEntry",
    "TariffService",
    "VatTreatment",
    "beneficiary_groups",
    "validate_weight",
]


class Leg(TthcStrEnum):
    """One postal leg: the dossier to the agency, or the result back to the applicant."""

    SEND = "send"
    RETURN = "return"


# a leg named inside a message ("the send leg" / "chiều gửi hồ sơ")
LEG_WORDS = {Leg.SEND: N_("send"), Leg.RETURN: N_("return")}


class TariffService(TthcStrEnum):
    """What a tariff entry prices: one leg either way, a specific leg, or remitting the fee."""

    ONE_WAY = "one_way"
    SEND = "send"
    RETURN = "return"
    FEE_REMITTANCE = "fee_remittance"

    def covers(self, leg: Leg) -> bool:
        return self is TariffService.ONE_WAY or self.value == leg.value


class VatTreatment(TthcStrEnum):
    INCLUDED = "included"
    EXCLUDED = "excluded"  # a VAT line is added at rate_percent
    UNKNOWN = "unknown"  # not published: no VAT line, and the quote says so


def validate_weight(weight_g: object) -> int:
    """A weight in whole grams, ``>= 0``.

    Raises:
        InvalidValueError: negative, fractional or not a number.
    """
    if isinstance(weight_g, bool) or not isinstance(weight_g, int) or weight_g < 0:
        raise InvalidValueError("weight_g", N_("a whole number of grams >= 0"), weight_g)
    return weight_g


# ---------------------------------------------------------------------------------------------------- file models
class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _EntryModel(_Frozen):
    service: TariffService
    zone: Zone | None = None
    weight_above_g: int | None = Field(default=None, ge=0)
    weight_up_to_g: int | None = Field(default=None, ge=0)
    amount: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    per: Literal["item", "dossier"] = "item"
    label_vi: str | None = None
    note: str | None = None
    valid_from: IsoDay | None = None
    valid_until: IsoDay | None = None
    reference: LegalReference | None = None

    @model_validator(mode="after")
    def _check(self) -> _EntryModel:
        DateRange(self.valid_from, self.valid_until)
        if (self.amount is None) == (self.min is None or self.max is None):
            # worded: pydantic shows a validator's ValueError as the field's error (tthc.foundation.error_words)
            raise ValueError(words(N_("give either amount, or both min and max")))
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(words(N_("max {max} below min {min}"), max=self.max, min=self.min))
        lo, hi = self.weight_above_g, self.weight_up_to_g
        if lo is not None and hi is not None and hi <= lo:
            raise ValueError(words(N_("weight_up_to_g {hi} must exceed weight_above_g {lo}"), hi=hi, lo=lo))
        if self.service is not TariffService.FEE_REMITTANCE and self.zone is None:
            raise ValueError(words(N_("a {service} entry needs a zone"), service=self.service.value))
        return self


class _SurchargeModel(_Frozen):
    id: str
    label_vi: str
    amount: int | None = Field(default=None, ge=0)
    percent: Fraction | None = None
    services: tuple[TariffService, ...] = (TariffService.ONE_WAY,)
    optional: bool = True
    reference: LegalReference | None = None

    @model_validator(mode="after")
    def _one(self) -> _SurchargeModel:
        if (self.amount is None) == (self.percent is None):
            raise ValueError(words(N_("give either amount or percent")))
        if self.percent is not None and self.percent < 0:
            raise ValueError(words(N_("percent must be >= 0")))
        return self


class _VatModel(_Frozen):
    treatment: VatTreatment = VatTreatment.UNKNOWN
    rate_percent: Fraction | None = None
    note: str | None = None
    note_vi: str | None = None


class _TariffModel(_Frozen):
    id: str
    name: str
    provinces: tuple[str, ...] | None = None
    currency: str = "VND"
    rounding: Rounding = Rounding.HALF_UP
    reference: LegalReference
    vat: _VatModel = _VatModel()
    includes: tuple[str, ...] = ()
    entries: tuple[_EntryModel, ...]
    surcharges: tuple[_SurchargeModel, ...] = ()


class _TariffFile(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    comment: str | None = Field(default=None, alias="$comment")
    tariffs: tuple[_TariffModel, ...]


class _BeneficiaryModel(_Frozen):
    id: str
    label_vi: str
    label_en: str | None = None
    percent: int = Field(ge=0, le=100)
    applies_to: tuple[Leg, ...] = (Leg.SEND, Leg.RETURN)


class _BeneficiaryFile(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    comment: str | None = Field(default=None, alias="$comment")
    groups: tuple[_BeneficiaryModel, ...]
    rounding: Rounding = Rounding.HALF_UP
    reference: LegalReference
    valid_from: IsoDay | None = None
    valid_until: IsoDay | None = None


# ---------------------------------------------------------------------------------------------------- core objects
@attrs.frozen(slots=True)
class TariffEntry:
    """One published price: a service, a zone and a weight bracket (``above < weight <= up_to``)."""

    service: TariffService
    zone: Zone | None
    weight_above_g: int | None
    weight_up_to_g: int | None
    low: Money
    high: Money  # equal to ``low`` unless the published value is a range
    per: str = "item"
    label_vi: str | None = None
    note: str | None = None

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def fits(self, weight_g: int) -> bool:
        return (self.weight_above_g is None or weight_g > self.weight_above_g) and (
            self.weight_up_to_g is None or weight_g <= self.weight_up_to_g
        )

    def bracket(self) -> str:
        lo, hi = self.weight_above_g, self.weight_up_to_g
        if lo is None and hi is None:
            return "any weight"
        return f"{lo or 0}<w<={hi if hi is not None else '∞'} g"

    def __repr__(self) -> str:
        price = self.low.format_vi() if not self.is_range else f"{self.low.format_vi()}–{self.high.format_vi()}"
        zone = f" {self.zone.value}" if self.zone else ""
        return f"<tariff {self.service.value}{zone} {self.bracket()}: {price} per {self.per}>"


@attrs.frozen(slots=True)
class Surcharge:
    """An extra charge on a leg (fixed or a percentage of the leg's price); optional ones apply only when asked."""

    id: str
    label_vi: str
    amount: Money | None
    percent: Fraction | None
    services: tuple[TariffService, ...]
    optional: bool
    reference: LegalReference | None

    def __repr__(self) -> str:
        what = self.amount.format_vi() if self.amount is not None else f"{self.percent}%"
        return f"<surcharge {self.id} {what}{' (optional)' if self.optional else ''}>"


@attrs.frozen(slots=True)
class Beneficiary:
    """A TT 22/2017 group with its postage reduction (100 = exempt)."""

    id: str
    label_vi: str
    percent: int
    applies_to: tuple[Leg, ...]
    rounding: Rounding
    reference: LegalReference

    def __repr__(self) -> str:
        what = "exempt" if self.percent == 100 else f"-{self.percent}%"
        return f"<beneficiary {self.id}: postage {what} ({self.reference.document})>"


@attrs.frozen(slots=True)
class LegPrice:
    """The price found for a leg, with the entry, reference and how the zone was read (``messages``, worded when
    shown: :meth:`notes_in`)."""

    amount: Money
    entry: TariffEntry
    reference: LegalReference
    messages: tuple[Words, ...]
    estimate: bool  # True when a published range had to be narrowed to one value

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes in the default language (``TTHC_LANG``, else Vietnamese)."""
        return self.notes_in()

    def notes_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The notes in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        return tuple(w.text(lang) for w in self.messages)


RangePolicy = Literal["max", "min", "error"]

_RANGE_USED = {
    "max": N_("published range {low}–{high}: max used"),
    "min": N_("published range {low}–{high}: min used"),
}


@attrs.frozen(slots=True)
class Tariff:
    """A postal tariff: dated prices per (service, zone, weight bracket), VAT treatment and surcharges.

    Build one from a file (:meth:`load`), a mapping (:meth:`from_dict`) or use :meth:`bundled`.

    Raises:
        ConflictError: two prices for the same service, zone and bracket are in force on the same day.
    """

    id: str
    name: str
    reference: LegalReference
    rounding: Rounding
    currency: str
    vat: VatTreatment
    vat_rate_percent: Fraction | None
    vat_note: str | None
    provinces: tuple[str, ...] | None
    surcharges: tuple[Surcharge, ...]
    timelines: tuple[Timeline[TariffEntry], ...]
    zones: ZoneVocabulary = attrs.field(factory=zone_vocabulary)
    vat_note_vi: str | None = None

    @property
    def vat_remark(self) -> DataText | None:
        """The VAT note in both languages (None when the tariff has none)."""
        return DataText(self.vat_note, self.vat_note_vi or "") if self.vat_note else None

    def __repr__(self) -> str:
        return f"<tariff {self.id} ({self.reference.document}), {sum(len(t) for t in self.timelines)} prices>"

    # -- construction
    @classmethod
    def bundled(cls) -> Tariff:
        """The bundled published tariff (``bcci_tariffs.json``)."""
        return _bundled_tariff()

    @classmethod
    def load(cls, path: str | Path, tariff_id: str | None = None) -> Tariff:
        """Read a tariff file in the bundled format (the first tariff, or the one named ``tariff_id``)."""
        return cls.from_dict(read_json_file(path), source=str(path), tariff_id=tariff_id)

    @classmethod
    def from_dict(cls, raw: object, *, source: str = "<tariff>", tariff_id: str | None = None) -> Tariff:
        """Build from the file shape.

        Raises:
            DataFileError: the data does not match the format (the message names the field).
            NotFoundError: ``tariff_id`` is not in the file.
        """
        parsed = validate_data(_TariffFile, raw, source)
        chosen = [t for t in parsed.tariffs if tariff_id is None or t.id == tariff_id]
        if not chosen:
            raise NotFoundError(
                words(N_("{source}: no tariff with id {tariff_id}"), source=source, tariff_id=repr(tariff_id))
            )
        m = chosen[0]
        groups: dict[tuple[TariffService, Zone | None, int | None, int | None], list[DatedValue[TariffEntry]]] = {}
        for e in m.entries:
            low = e.amount if e.amount is not None else e.min
            high = e.amount if e.amount is not None else e.max
            assert low is not None
            assert high is not None
            entry = TariffEntry(
                e.service,
                e.zone,
                e.weight_above_g,
                e.weight_up_to_g,
                Money(low, m.currency),
                Money(high, m.currency),
                e.per,
                e.label_vi,
                e.note,
            )
            key = (e.service, e.zone, e.weight_above_g, e.weight_up_to_g)
            dv = DatedValue(entry, e.valid_from, e.valid_until, e.reference or m.reference, e.note)
            groups.setdefault(key, []).append(dv)
        _check_brackets(m.id, groups)
        timelines: tuple[Timeline[TariffEntry], ...] = tuple(
            Timeline(f"{m.id}: {s.value} {z.value if z else ''} {lo}<w<={hi}", vals)
            for (s, z, lo, hi), vals in groups.items()
        )
        surcharges = tuple(
            Surcharge(
                s.id,
                s.label_vi,
                Money(s.amount, m.currency) if s.amount is not None else None,
                s.percent,
                s.services,
                s.optional,
                s.reference,
            )
            for s in m.surcharges
        )
        return cls(
            m.id,
            m.name,
            m.reference,
            m.rounding,
            m.currency,
            m.vat.treatment,
            m.vat.rate_percent,
            m.vat.note,
            m.provinces,
            surcharges,
            timelines,
            vat_note_vi=m.vat.note_vi,
        )

    # -- look-ups
    def _in_force(self, on: date) -> list[TariffEntry]:
        on = as_day(on, "on")
        return [v.value for t in self.timelines if (v := t.get(on)) is not None]

    def price(
        self, leg: Leg, zone: Zone, on: date, *, weight_g: int | None = None, range_policy: RangePolicy = "max"
    ) -> LegPrice:
        """The price of one leg on ``on``.

        Args:
            leg: send or return.
            zone: the route zone; a post-2025 zone is read through the zone vocabulary ([open] mapping, noted).
            on: the date the price is judged on.
            weight_g: the item's weight; ``None`` means the lightest bracket (noted).
            range_policy: what to do with a published range (a coarse zone, or a range in the data): take the
                ``max`` (default: a quote should not understate), the ``min``, or raise (``error``).

        Raises:
            InvalidValueError: a negative weight, a district zone after the cut-over, an unknown policy.
            NotFoundError: no price for the zone or the weight on that date.
        """
        if range_policy not in ("max", "min", "error"):
            raise InvalidValueError("range_policy", N_("'max', 'min' or 'error'"), range_policy)
        leg = expect(leg, Leg, "leg", "a Leg (send or return)")
        on = as_day(on, "on")
        if weight_g is not None:
            validate_weight(weight_g)
        zone = Zone.parse(zone)
        notes: list[Words] = []
        key_zone, mapped_note, _ = self.zones.normalise(zone, on)
        if mapped_note:
            notes.append(mapped_note)
        candidates = [e for e in self._in_force(on) if e.service.covers(leg) and e.zone is not None]
        if not candidates:
            raise NotFoundError(
                words(
                    N_("tariff {tariff}: no {leg} price in force on {day}"),
                    tariff=self.id,
                    leg=words(LEG_WORDS[leg]),
                    day=on,
                )
            )
        if weight_g is None:
            lightest = min((e.weight_up_to_g or 0) for e in candidates)
            weight = lightest
            notes.append(words(N_("weight not given: the lightest bracket (up to {grams} g) used"), grams=lightest))
        else:
            weight = weight_g
        by_weight = [e for e in candidates if e.fits(weight)]
        # a price for this very leg wins over the one_way price of the same zone (they are not a published range)
        specific = {e.zone for e in by_weight if e.service is not TariffService.ONE_WAY}
        by_weight = [e for e in by_weight if e.service is not TariffService.ONE_WAY or e.zone not in specific]
        if not by_weight:
            brackets = sorted({e.bracket() for e in candidates})
            raise NotFoundError(
                words(
                    N_(
                        "tariff {tariff}: no {leg} price for {weight} g on {day} (brackets: {brackets}; supply a "
                        "tariff with heavier brackets)"
                    ),
                    tariff=self.id,
                    leg=words(LEG_WORDS[leg]),
                    weight=weight,
                    day=on,
                    brackets=", ".join(brackets),
                )
            )
        found = lookup_zone(key_zone, {e.zone for e in by_weight if e.zone is not None}, what=f"tariff {self.id}")
        if key_zone is not zone or found.keys != (zone,):
            notes.append(found.words())
        entries = [e for e in by_weight if e.zone in found.keys]
        low = min(e.low for e in entries)
        high = max(e.high for e in entries)
        estimate = low != high
        if estimate:
            if range_policy == "error":
                raise InvalidValueError(
                    "route",
                    N_("a zone with a single published price (give a finer zone)"),
                    zone.value,
                    detail=words(N_("{low}–{high}"), low=low, high=high),
                )
            amount = high if range_policy == "max" else low
            notes.append(words(_RANGE_USED[range_policy], low=low, high=high))
            entry = next(e for e in entries if (e.high if range_policy == "max" else e.low) == amount)
        else:
            amount = low
            entry = entries[0]
        ref = self._reference_of(entry, on)
        return LegPrice(amount, entry, ref, tuple(notes), estimate)

    def _reference_of(self, entry: TariffEntry, on: date) -> LegalReference:
        for t in self.timelines:
            v = t.get(on)
            if v is not None and v.value is entry:
                return v.reference or self.reference
        return self.reference

    def remittance(self, on: date) -> tuple[Money, LegalReference]:
        """The charge for remitting the fee through the post (per dossier) on ``on``.

        Raises:
            NotFoundError: the tariff has no remittance price in force.
        """
        for e in self._in_force(on):
            if e.service is TariffService.FEE_REMITTANCE:
                return e.high, self._reference_of(e, on)
        raise NotFoundError(
            words(N_("tariff {tariff}: no fee_remittance price in force on {day}"), tariff=self.id, day=on)
        )

    def applies_in(self, province: str | None) -> bool:
        return self.provinces is None or province is None or province in self.provinces


def _check_brackets(
    tariff_id: str,
    groups: Mapping[tuple[TariffService, Zone | None, int | None, int | None], list[DatedValue[TariffEntry]]],
) -> None:
    """Different but overlapping weight brackets for the same service and zone, in force on the same day, conflict."""
    keys = list(groups)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a[:2] != b[:2]:
                continue
            lo = max(-1 if a[2] is None else a[2], -1 if b[2] is None else b[2])
            hi = min(a[3] if a[3] is not None else 1 << 62, b[3] if b[3] is not None else 1 << 62)
            if lo >= hi:
                continue
            for va in groups[a]:
                for vb in groups[b]:
                    if va.period.overlaps(vb.period):
                        raise ConflictError(
                            words(
                                N_(
                                    "tariff {tariff}: two prices in force on the same days for {service} {zone}: "
                                    "{first} and {second} (overlapping weight brackets)"
                                ),
                                tariff=tariff_id,
                                service=a[0].value,
                                zone=a[1].value if a[1] else "",
                                first=repr(va),
                                second=repr(vb),
                            )
                        )


_BENEFICIARIES: dict[str, Beneficiary] | None = None


def beneficiary_groups(raw: Mapping[str, object] | None = None) -> Mapping[str, Beneficiary]:
    """The TT 22/2017 beneficiary groups by id (bundled ``postal_beneficiaries.json`` unless ``raw`` is given)."""
    global _BENEFICIARIES
    if raw is None and _BENEFICIARIES is not None:
        return _BENEFICIARIES
    parsed = validate_data(
        _BeneficiaryFile, raw if raw is not None else load_json("postal_beneficiaries.json"), "beneficiaries"
    )
    groups = {
        g.id: Beneficiary(g.id, g.label_vi, g.percent, g.applies_to, parsed.rounding, parsed.reference)
        for g in parsed.groups
    }
    if raw is None:
        _BENEFICIARIES = groups
    return groups


def resolve_beneficiary(
    group: str | Beneficiary | None, groups: Mapping[str, Beneficiary] | None = None
) -> Beneficiary | None:
    """A beneficiary group from its id.

    Raises:
        InvalidValueError: the id names no group.
    """
    if group is None or isinstance(group, Beneficiary):
        return group
    table = groups if groups is not None else beneficiary_groups()
    found = table.get(group)
    if found is None:
        raise InvalidValueError("beneficiary", words(N_("one of {choices}"), choices=", ".join(sorted(table))), group)
    return found


def surcharges_for(tariff: Tariff, leg: Leg, asked: Iterable[str]) -> tuple[Surcharge, ...]:
    """The surcharges that apply to ``leg``: every mandatory one, and the optional ones asked for by id.

    Raises:
        InvalidValueError: an asked id is not in the tariff.
    """
    asked_set = set(asked)
    known = {s.id for s in tariff.surcharges}
    unknown = asked_set - known
    if unknown:
        raise InvalidValueError(
            "surcharges",
            words(N_("ids from the tariff ({ids})"), ids=", ".join(sorted(known)) or words(N_("none"))),
            sorted(unknown),
        )
    return tuple(
        s
        for s in tariff.surcharges
        if any(sv.covers(leg) for sv in s.services) and (not s.optional or s.id in asked_set)
    )


@cache
def _bundled_tariff() -> Tariff:
    # immutable, so one instance serves every caller (quotes in a loop do not re-validate the file)
    return Tariff.from_dict(load_json("bcci_tariffs.json"), source="bcci_tariffs.json")
