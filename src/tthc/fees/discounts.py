"""Temporary postage discounts as cited, dated, scoped rules.

Provinces ran temporary discounts on the public-postal postage for administrative dossiers (domain.md §5): Gia Lai
(Công văn 659/UBND-KGVX, 27 Mar 2020) took 30% off the postage for *returning results* of dossiers filed online at
level 3 or 4 and of secured-transaction registration dossiers, 23 Mar – 30 May 2020; Quảng Ngãi's post cut its
intra-province prices up to 100 g, 1 Mar – 30 Apr 2020; Thừa Thiên Huế (Công văn 1991/UBND-HCC) waived the postage
for online-service users until 30 Jun 2020. They are bundled in ``discounts.json``; pass your own rules or file.

A :class:`Discount` states: its window and **which date of the dossier decides** (:class:`DecidingDate`), the legs
it covers, the dossiers it covers (any of its :class:`Scope` s), province, route and weight limits, beneficiary
groups, the reduction (a percentage, or a set price that never raises the price), who pays, and rounding. A
:class:`DiscountSet` adds the combination rule (default: the best single discount; prices never go below zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from functools import cache, lru_cache
from pathlib import Path

import attrs
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tthc.catalog.model import Procedure
from tthc.errors import ConflictError, DataFileError, InvalidValueError
from tthc.fees.tariffs import LEG_WORDS, Leg
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, map_online_level, online_level_regime
from tthc.foundation.combination import Combination
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.error_words import ErrorWords
from tthc.foundation.i18n import N_
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.money import Money, Rounding
from tthc.foundation.references import DateRange, LegalReference
from tthc.foundation.text import fold as _fold_text
from tthc.foundation.words import DataText, Joined, Words, words
from tthc.postal.zones import Zone

# procedure names and fields repeat across calls: folding them once keeps quotes cheap
fold = lru_cache(maxsize=8192)(_fold_text)

__all__ = [
    "Combination",
    "DecidingDate",
    "Direction",
    "Discount",
    "DiscountContext",
    "DiscountKind",
    "DiscountOutcome",
    "DiscountSet",
    "Scope",
]


class DecidingDate(TthcStrEnum):
    """Which date of a dossier must fall inside a discount's window."""

    PICKUP = "pickup"  # the post accepts the item for the leg
    RECEIPT = "receipt"  # the agency receives the dossier
    RETURN = "return"  # the result is returned


class Direction(TthcStrEnum):
    """The postal legs a discount covers."""

    SEND = "send"
    RETURN = "return"
    BOTH = "both"

    def covers(self, leg: Leg) -> bool:
        return self is Direction.BOTH or self.value == leg.value


class DiscountKind(TthcStrEnum):
    PERCENT = "percent"  # take ``percent`` off the leg's price
    PRICE = "price"  # the leg costs the listed price for its zone (never more than it would otherwise)


@attrs.frozen(slots=True)
class DiscountContext:
    """The facts about a dossier and a leg that discounts are judged on (``None`` = not known).

    ``dates`` gives the date for each :class:`DecidingDate`; a missing one falls back to ``on``.
    """

    on: date
    channel: Channel
    procedure: Procedure | None = None
    online_level: OnlineLevel | None = None
    province: str | None = None
    zone: Zone | None = None  # the zone the price was found at
    weight_g: int | None = None
    beneficiary: str | None = None
    dates: Mapping[DecidingDate, date] = attrs.field(factory=dict)

    def date_for(self, which: DecidingDate) -> date:
        return self.dates.get(which, self.on)


@attrs.frozen(slots=True)
class Scope:
    """Dossiers a discount covers: every condition given must hold (``None`` = no condition)."""

    channels: frozenset[Channel] | None = None
    online_levels: frozenset[OnlineLevel] | None = None
    fields: frozenset[str] | None = None  # field names as published, compared accent-insensitively
    procedure_codes: frozenset[str] | None = None  # national codes

    def __repr__(self) -> str:
        parts: list[str] = []
        if self.channels:
            parts.append("channel=" + "|".join(sorted(c.value for c in self.channels)))
        if self.online_levels:
            parts.append("level=" + "|".join(sorted(lv.value for lv in self.online_levels)))
        if self.fields:
            parts.append("field=" + "|".join(sorted(self.fields)))
        if self.procedure_codes:
            parts.append("code=" + "|".join(sorted(self.procedure_codes)))
        return " ".join(parts) or "any dossier"

    def judge(self, ctx: DiscountContext, *, lang: str | None = None) -> tuple[bool, tuple[str, ...]]:
        """Whether the dossier meets this scope, with notes in ``lang`` (unknown facts never meet a condition)."""
        ok, why = self.judge_worded(ctx)
        return ok, tuple(w.text(lang) for w in why)

    def judge_worded(self, ctx: DiscountContext) -> tuple[bool, tuple[Words, ...]]:
        """:meth:`judge` with the notes worded when shown."""
        notes: list[Words] = []
        if self.channels is not None and ctx.channel not in self.channels:
            needs = "|".join(sorted(c.value for c in self.channels))
            return False, (words(N_("filed {channel}, needs {channels}"), channel=ctx.channel.value, channels=needs),)
        if self.online_levels is not None:
            ok, note = _level_matches(self.online_levels, ctx.online_level, ctx.on)
            if note:
                notes.append(note)
            if not ok:
                return False, tuple(notes)
        if self.fields is not None:
            field = ctx.procedure.field if ctx.procedure is not None else None
            if field is None:
                return False, (words(N_("procedure field not known")),)
            if fold(field) not in {fold(f) for f in self.fields}:
                return False, (words(N_("field {field} not covered"), field=repr(field)),)
        if self.procedure_codes is not None:
            if ctx.procedure is None:
                return False, (words(N_("procedure not known")),)
            if str(ctx.procedure.code.national) not in self.procedure_codes:
                return False, (words(N_("procedure {code} not covered"), code=str(ctx.procedure.code)),)
        return True, tuple(notes)


def _level_matches(wanted: frozenset[OnlineLevel], level: OnlineLevel | None, on: date) -> tuple[bool, Words | None]:
    """Judge a level condition on the level the dossier had, mapping regimes only when they differ (and saying so)."""
    if level is None:
        return False, words(N_("online level not known"))
    regimes = {w.regime for w in wanted}
    if level.regime in regimes:
        note = None
        if level.regime != online_level_regime(on):
            note = words(
                N_("level {level} judged as given, though the {regime} regime was in force"),
                level=level,
                regime=online_level_regime(on),
            )
        matched = level in wanted
        if not matched and note is None:
            note = words(N_("level {level} not covered"), level=level)
        return matched, note
    # condition and dossier speak different regimes: compare in the NĐ 42/2022 vocabulary
    mapped_wanted = {m.level for w in wanted if (m := map_online_level(w)).level is not None}
    mapped = map_online_level(level)
    ok = mapped.level in mapped_wanted
    return ok, words(
        N_("level {level} compared through the library default mapping ({reference}, not official)"),
        level=level,
        reference=str(mapped.reference),
    )


@attrs.frozen(slots=True)
class DiscountOutcome:
    """A discount applied to one leg: what it took off, the price before and after."""

    discount: Discount
    leg: Leg
    before: Money
    after: Money
    notes: tuple[str, ...] = ()  # in the language asked of DiscountSet.apply
    messages: tuple[Words, ...] = attrs.field(default=(), eq=False, repr=False)  # the notes, worded when shown

    @property
    def reduction(self) -> Money:
        return self.before - self.after


@attrs.frozen(slots=True)
class Discount:
    """A temporary postage discount (a rule read from a cited document).

    Raises:
        InvalidValueError: the window ends before it starts, a percent outside 0..100, a negative price, payers'
            shares not summing to 1.
    """

    id: str
    name: str
    valid_from: date | None
    valid_until: date | None
    deciding_date: DecidingDate
    direction: Direction
    kind: DiscountKind
    reference: LegalReference
    percent: Fraction | None = None
    prices: Mapping[Zone, Money] = attrs.field(factory=dict)
    scopes: tuple[Scope, ...] = ()  # any of them; empty = every dossier
    provinces: frozenset[str] | None = None
    routes: frozenset[Zone] | None = None
    max_weight_g: int | None = None
    beneficiaries: frozenset[str] | None = None
    payers: tuple[tuple[str, Fraction], ...] = ()
    rounding: Rounding = Rounding.HALF_UP
    assumptions: tuple[tuple[str, str], ...] = ()  # (field, note) for values not read in the source
    name_vi: str = ""  # the name in Vietnamese (``name`` when empty)
    assumptions_vi: tuple[str, ...] = ()  # the assumption notes in Vietnamese, in the same order

    @property
    def title(self) -> DataText:
        """The name in both languages."""
        return DataText(self.name, self.name_vi)

    def assumption_notes(self) -> tuple[Words, ...]:
        """``deciding_date [open]: read as …`` for each assumption, worded when shown."""
        vi = self.assumptions_vi + ("",) * (len(self.assumptions) - len(self.assumptions_vi))
        return tuple(
            words(N_("{field} [open]: {note}"), field=f, note=DataText(n, v))
            for (f, n), v in zip(self.assumptions, vi, strict=False)
        )

    def __attrs_post_init__(self) -> None:
        self._check_types()
        DateRange(self.valid_from, self.valid_until)  # names valid_until when it precedes valid_from
        if self.kind is DiscountKind.PERCENT and (self.percent is None or not 0 <= self.percent <= 100):
            raise InvalidValueError("percent", N_("a percentage from 0 to 100"), self.percent, detail=self.id)
        if self.kind is DiscountKind.PRICE:
            if not self.prices:
                raise InvalidValueError(
                    "prices", N_("at least one zone price for a 'price' discount"), {}, detail=self.id
                )
            for z, p in self.prices.items():
                if p.minor < 0:
                    raise InvalidValueError("prices", N_("amounts >= 0"), f"{z.value}: {p.minor}", detail=self.id)
        if not isinstance(self.payers, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], Fraction | int)
            for p in self.payers
        ):
            raise InvalidValueError("payers", N_("a tuple of (payer, Fraction share) pairs"), self.payers)
        if self.payers and sum(share for _, share in self.payers) != 1:
            raise InvalidValueError("payers", N_("shares summing to 1"), [f"{p}={s}" for p, s in self.payers])
        if self.max_weight_g is not None and self.max_weight_g < 0:
            raise InvalidValueError("max_weight_g", N_("grams >= 0"), self.max_weight_g)

    @property
    def period(self) -> DateRange:
        return DateRange(self.valid_from, self.valid_until)

    def _check_types(self) -> None:
        expect(self.id, str, "id", "text")
        expect(self.name, str, "name", "text")
        expect(self.name_vi, str, "name_vi", "text")
        if not isinstance(self.assumptions_vi, tuple) or not all(isinstance(t, str) for t in self.assumptions_vi):
            raise InvalidValueError("assumptions_vi", N_("a tuple of texts"), self.assumptions_vi)
        expect(self.deciding_date, DecidingDate, "deciding_date", "a DecidingDate")
        expect(self.direction, Direction, "direction", "a Direction")
        expect(self.kind, DiscountKind, "kind", "a DiscountKind")
        expect(self.reference, LegalReference, "reference", "a LegalReference")
        # a Fraction only: an int or a float percent would turn the price arithmetic into floats
        expect_optional(self.percent, Fraction, "percent", "a Fraction such as Fraction(30) for 30 %")
        for z, p in expect(self.prices, Mapping, "prices", "a mapping of Zone to Money").items():
            if not (isinstance(z, Zone) and isinstance(p, Money)):
                raise InvalidValueError("prices", N_("a mapping of Zone to Money"), f"{z!r}: {p!r}")
        for scope in expect(self.scopes, tuple, "scopes", "a tuple of Scope"):
            expect(scope, Scope, "scopes", "a tuple of Scope")
        for field, value, cls in (
            ("provinces", self.provinces, str),
            ("routes", self.routes, Zone),
            ("beneficiaries", self.beneficiaries, str),
        ):
            if value is not None and not (isinstance(value, frozenset) and all(isinstance(v, cls) for v in value)):
                raise InvalidValueError(field, words(N_("None or a frozenset of {kind}"), kind=cls.__name__), value)
        weight = self.max_weight_g
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int)):
            raise InvalidValueError("max_weight_g", N_("grams (an int) or None"), self.max_weight_g)
        expect(self.rounding, Rounding, "rounding", "a Rounding")
        if not isinstance(self.assumptions, tuple) or not all(
            isinstance(a, tuple) and len(a) == 2 and all(isinstance(t, str) for t in a) for a in self.assumptions
        ):
            raise InvalidValueError("assumptions", N_("a tuple of (field, note) text pairs"), self.assumptions)

    def __repr__(self) -> str:
        if self.kind is DiscountKind.PERCENT:
            what = f"reduction {self.percent}%"
        else:
            what = "price " + ", ".join(f"{z.value}={p.format_vi()}" for z, p in self.prices.items())
        scope = " or ".join(repr(s) for s in self.scopes) if self.scopes else "any dossier"
        where = f" in {'|'.join(sorted(self.provinces))}" if self.provinces else ""
        legs = "send+return" if self.direction is Direction.BOTH else self.direction.value
        return (
            f"<{what} on {legs} postage for {scope}{where} {self.period} by {self.deciding_date.value} date"
            f" ({self.reference.document})>"
        )

    def judge(self, leg: Leg, ctx: DiscountContext, *, lang: str | None = None) -> tuple[bool, tuple[str, ...]]:
        """Whether this discount covers ``leg`` of the dossier in ``ctx``, with the reasons in ``lang`` (``"vi"`` or
        ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        ok, why = self.judge_worded(leg, ctx)
        return ok, tuple(w.text(lang) for w in why)

    def judge_worded(self, leg: Leg, ctx: DiscountContext) -> tuple[bool, tuple[Words, ...]]:
        """:meth:`judge` with the reasons worded when shown."""
        if not self.direction.covers(leg):
            return False, (words(_COVERS_ONLY[self.direction]),)
        which = self.deciding_date
        day = ctx.date_for(which)
        if day not in self.period:
            return False, (words(_OUTSIDE[which], day=day, period=self.period),)
        if self.provinces is not None:
            if ctx.province is None:
                return False, (words(N_("province not known (give province= or a local procedure code)")),)
            if ctx.province not in self.provinces:
                return False, (words(N_("province {province} not covered"), province=ctx.province),)
        if self.routes is not None and (ctx.zone is None or not any(z in self.routes for z in ctx.zone.ancestors())):
            if ctx.zone is None:
                return False, (words(N_("route unknown not covered")),)
            return False, (words(N_("route {zone} not covered"), zone=ctx.zone),)
        notes: list[Words] = []
        if self.max_weight_g is not None:
            if ctx.weight_g is None:
                notes.append(words(N_("weight not given: read as within {grams} g"), grams=self.max_weight_g))
            elif ctx.weight_g > self.max_weight_g:
                return False, (
                    words(N_("weight {grams} g over {limit} g"), grams=ctx.weight_g, limit=self.max_weight_g),
                )
        if self.beneficiaries is not None and ctx.beneficiary not in self.beneficiaries:
            return False, (words(N_("beneficiary group not covered")),)
        if self.scopes:
            misses: list[Words] = []
            for s in self.scopes:
                ok, why = s.judge_worded(ctx)
                if ok:
                    return True, (*notes, *why)
                misses.append(words(N_("{scope}: {why}"), scope=repr(s), why=Joined(why, "; ")))
            return False, tuple(misses)
        return True, tuple(notes)

    def apply(self, price: Money, zone: Zone | None) -> Money:
        """The price after this discount; never above ``price`` and never below zero."""
        if self.kind is DiscountKind.PERCENT:
            assert self.percent is not None
            off = price.scale(self.percent / 100, self.rounding)
            return max(price - off, Money(0, price.currency))
        target = None
        for z in zone.ancestors() if zone else ():
            if z in self.prices:
                target = self.prices[z]
                break
        if target is None or target.currency != price.currency:
            return price
        return max(min(price, target), Money(0, price.currency))


# ---------------------------------------------------------------------------------------------------- file models
class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _ScopeModel(_Frozen):
    channels: tuple[Channel, ...] | None = None
    online_levels: tuple[OnlineLevel, ...] | None = None
    fields: tuple[str, ...] | None = None
    procedure_codes: tuple[str, ...] | None = None


class _PayerModel(_Frozen):
    payer: str
    share: Fraction


class _AssumptionModel(_Frozen):
    field: str
    tag: str = "open"
    note: str
    note_vi: str = ""


class _DiscountModel(_Frozen):
    id: str
    name: str
    name_vi: str = ""
    provinces: tuple[str, ...] | None = None
    valid_from: IsoDay | None
    valid_until: IsoDay | None
    deciding_date: DecidingDate
    direction: Direction
    kind: DiscountKind
    percent: Fraction | None = None
    prices: dict[Zone, int] = Field(default_factory=dict)
    regular_prices: dict[Zone, int] = Field(default_factory=dict)
    max_weight_g: int | None = None
    routes: tuple[Zone, ...] | None = None
    beneficiaries: tuple[str, ...] | None = None
    scopes: tuple[_ScopeModel, ...] = ()
    payers: tuple[_PayerModel, ...] = ()
    rounding: Rounding = Rounding.HALF_UP
    currency: str = "VND"
    reference: LegalReference
    assumptions: tuple[_AssumptionModel, ...] = ()

    @model_validator(mode="after")
    def _dates(self) -> _DiscountModel:
        DateRange(self.valid_from, self.valid_until)
        return self


class _DiscountFile(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    comment: str | None = Field(default=None, alias="$comment")
    combination: Combination = Combination.MOST_FAVOURABLE
    discounts: tuple[_DiscountModel, ...]


def _to_discount(m: _DiscountModel) -> Discount:
    return Discount(
        id=m.id,
        name=m.name,
        valid_from=m.valid_from,
        valid_until=m.valid_until,
        deciding_date=m.deciding_date,
        direction=m.direction,
        kind=m.kind,
        reference=m.reference,
        percent=m.percent,
        prices={z: Money(p, m.currency) for z, p in m.prices.items()},
        scopes=tuple(
            Scope(
                frozenset(s.channels) if s.channels is not None else None,
                frozenset(s.online_levels) if s.online_levels is not None else None,
                frozenset(s.fields) if s.fields is not None else None,
                frozenset(s.procedure_codes) if s.procedure_codes is not None else None,
            )
            for s in m.scopes
        ),
        provinces=frozenset(m.provinces) if m.provinces is not None else None,
        routes=frozenset(m.routes) if m.routes is not None else None,
        max_weight_g=m.max_weight_g,
        beneficiaries=frozenset(m.beneficiaries) if m.beneficiaries is not None else None,
        payers=tuple((p.payer, p.share) for p in m.payers),
        rounding=m.rounding,
        assumptions=tuple((a.field, a.note) for a in m.assumptions),
        name_vi=m.name_vi,
        assumptions_vi=tuple(a.note_vi for a in m.assumptions),
    )


@attrs.frozen(slots=True)
class DiscountSet:
    """Discounts with their combination rule.

    Raises:
        DuplicateCodeError-like ConflictError: two discounts share an id.
    """

    discounts: tuple[Discount, ...] = ()
    combination: Combination = Combination.MOST_FAVOURABLE

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.discounts, tuple) or not all(isinstance(d, Discount) for d in self.discounts):
            raise InvalidValueError("discounts", N_("a tuple of tthc.Discount"), self.discounts)
        object.__setattr__(self, "combination", Combination(self.combination))
        seen: set[str] = set()
        for d in self.discounts:
            if d.id in seen:
                raise ConflictError(
                    words(N_("discounts: two discounts with id {id} (expected unique ids)"), id=repr(d.id))
                )
            seen.add(d.id)

    def __repr__(self) -> str:
        return f"<discounts ({self.combination.value}): {', '.join(d.id for d in self.discounts) or 'none'}>"

    @classmethod
    def bundled(cls) -> DiscountSet:
        """The bundled discounts (``discounts.json``)."""
        return _bundled_discounts()

    @classmethod
    def none(cls) -> DiscountSet:
        return cls(())

    @classmethod
    def load(cls, path: str | Path) -> DiscountSet:
        return cls.from_dict(read_json_file(path), source=str(path))

    @classmethod
    def from_dict(cls, raw: object, *, source: str = "<discounts>") -> DiscountSet:
        """Build from the file shape.

        Raises:
            DataFileError: the data does not match the format (names the field, e.g. a window ending before it
                starts, a percent out of range).
        """
        parsed = validate_data(_DiscountFile, raw, source)
        try:
            return cls(tuple(_to_discount(d) for d in parsed.discounts), parsed.combination)
        except InvalidValueError as exc:
            raise DataFileError(words(N_("{source}: {problem}"), source=source, problem=ErrorWords(exc))) from None

    @classmethod
    def of(
        cls, discounts: Iterable[Discount] | DiscountSet | None, combination: Combination | None = None
    ) -> DiscountSet:
        """Accept a set, an iterable of discounts, or ``None`` (the bundled set)."""
        if discounts is None:
            base = cls.bundled()
        elif isinstance(discounts, DiscountSet):
            base = discounts
        elif isinstance(discounts, str | bytes) or not isinstance(discounts, Iterable):
            raise InvalidValueError("discounts", N_("a DiscountSet, an iterable of Discount, or None"), discounts)
        else:
            base = cls(tuple(discounts))
        return base if combination is None else attrs.evolve(base, combination=combination)

    def apply(
        self, leg: Leg, price: Money, ctx: DiscountContext, *, lang: str | None = None
    ) -> tuple[tuple[DiscountOutcome, ...], tuple[tuple[Discount, str], ...]]:
        """Apply the discounts to one leg's price.

        Returns:
            The outcomes applied (in order), and the discounts considered but not applied with the reason — the
            notes and reasons in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

        Raises:
            ConflictError: several discounts apply and the combination rule is ``reject``.
        """
        outcomes, skipped = self.apply_worded(leg, price, ctx)
        return (
            tuple(attrs.evolve(o, notes=tuple(w.text(lang) for w in o.messages)) for o in outcomes),
            tuple((d, why.text(lang)) for d, why in skipped),
        )

    def apply_worded(
        self, leg: Leg, price: Money, ctx: DiscountContext
    ) -> tuple[tuple[DiscountOutcome, ...], tuple[tuple[Discount, Joined | Words], ...]]:
        """:meth:`apply` with the outcomes' notes (``messages``) and the reasons worded when shown."""
        leg = Leg(leg)
        expect(price, Money, "price", "a tthc.Money")
        expect(ctx, DiscountContext, "ctx", "a DiscountContext")
        candidates: list[tuple[Discount, tuple[Words, ...]]] = []
        skipped: list[tuple[Discount, Joined | Words]] = []
        for d in self.discounts:
            ok, why = d.judge_worded(leg, ctx)
            if ok:
                candidates.append((d, why))
            else:
                skipped.append((d, Joined(why, "; ")))
        if not candidates:
            return (), tuple(skipped)
        if self.combination is Combination.REJECT and len(candidates) > 1:
            names = ", ".join(repr(d) for d, _ in candidates)
            raise ConflictError(
                words(
                    N_("{leg} leg: {n} discounts apply and no combination rule allows it: {names}"),
                    leg=words(LEG_WORDS[leg]),
                    n=len(candidates),
                    names=names,
                )
            )
        if self.combination is Combination.STACK:
            outcomes: list[DiscountOutcome] = []
            current = price
            for d, why in candidates:
                after = d.apply(current, ctx.zone)
                outcomes.append(DiscountOutcome(d, leg, current, after, messages=why))
                current = after
            return tuple(outcomes), tuple(skipped)
        best: DiscountOutcome | None = None
        for d, why in candidates:
            o = DiscountOutcome(d, leg, price, d.apply(price, ctx.zone), messages=why)
            if best is None or o.after < best.after:
                best = o
        assert best is not None
        for d, _ in candidates:
            if d is not best.discount:
                skipped.append(
                    (d, words(_NOT_COMBINED[self.combination], chosen=best.discount.id)),
                )
        return (best,), tuple(skipped)


_COVERS_ONLY = {
    Direction.SEND: N_("covers send legs only"),
    Direction.RETURN: N_("covers return legs only"),
    Direction.BOTH: N_("covers both legs only"),
}
_OUTSIDE = {
    DecidingDate.PICKUP: N_("pickup date {day} outside {period}"),
    DecidingDate.RECEIPT: N_("receipt date {day} outside {period}"),
    DecidingDate.RETURN: N_("return date {day} outside {period}"),
}
_NOT_COMBINED = {
    Combination.MOST_FAVOURABLE: N_("not combined: most_favourable chose {chosen}"),
    Combination.STACK: N_("not combined: stack chose {chosen}"),
    Combination.REJECT: N_("not combined: reject chose {chosen}"),
}


@cache
def _bundled_discounts() -> DiscountSet:
    return DiscountSet.from_dict(load_json("discounts.json"), source="discounts.json")
