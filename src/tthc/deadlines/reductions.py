"""Priority reductions of processing time (ưu tiên cắt giảm thời gian) as cited data.

Provinces shorten processing times for dossiers filed online (levels 3/4, full/partial) or through the public postal
service (BCCI). No national rule fixes the size (domain.md §3, [open]), so a reduction is data: scope (procedure codes,
fields, levels, province), channel condition, validity by receipt date, amount (a percentage or a fixed number of
days/hours), rounding (floor, ceil, half working day = 4 working hours), a floor value, and its legal source.
Whether several reductions stack is an explicit rule; the default is the single most favourable one.

The bundled ``reductions.json`` holds **examples** (``tag: "example"``): no real figure was found nationally.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from tthc.deadlines.procedure_facts import ProcedureFacts
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import ConflictError, InvalidValueError
from tthc.foundation.arguments import expect, expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.combination import Combination
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import DateRange, LegalReference
from tthc.foundation.words import words

__all__ = [
    "ChannelCondition",
    "Combination",
    "EffectiveTime",
    "Reduction",
    "ReductionNote",
    "ReductionOutcome",
    "ReductionRounding",
    "ReductionScope",
    "ReductionSet",
    "apply_reductions",
    "format_reduction_note",
    "load_reductions",
]

HALF_DAY_HOURS = 4
"""Half a working day in working hours (8-hour office day, domain.md §3)."""


UNIT_EN = {
    TimeUnit.WORKING_DAYS: "working days",
    TimeUnit.CALENDAR_DAYS: "calendar days",
    TimeUnit.WORKING_HOURS: "working hours",
    TimeUnit.MONTHS: "months",
    TimeUnit.WITHIN_DAY: "within the day",
    TimeUnit.UNSPECIFIED: "unspecified",
    TimeUnit.UNKNOWN_UNIT: "(unit not stated)",
}
"""English unit names used in traces (Vietnamese: :attr:`TimeUnit.label_vi`)."""


def unit_label(unit: TimeUnit, lang: str, amount: object = None) -> str:
    """The unit's name in ``lang`` (a resolved code): ``working day(s)`` / ``ngày làm việc``."""
    if lang == "vi":
        return unit.label_vi
    label = UNIT_EN[unit]
    return label[:-1] if amount == 1 and label.endswith("s") else label


class ReductionRounding(enum.StrEnum):
    """How a reduced amount is rounded: down or up to a whole unit, or down to half a working day (4 hours)."""

    FLOOR = "floor"
    CEIL = "ceil"
    HALF_DAY = "half_day"


@attrs.frozen(slots=True)
class EffectiveTime:
    """A processing time after reductions. ``amount`` may be a half working day (``Fraction(7, 2)``)."""

    unit: TimeUnit
    amount: int | Fraction | None

    @classmethod
    def of(cls, pt: ProcessingTime) -> EffectiveTime:
        return cls(pt.unit, pt.amount)

    def __str__(self) -> str:
        return self.text("en")

    @property
    def label_vi(self) -> str:
        return self.text("vi")

    def text(self, lang: str | None = None) -> str:
        """``3½ working days`` in English, ``3½ ngày làm việc`` in Vietnamese."""
        return self._text(unit_label(self.unit, resolve_lang(lang), self.amount))

    def _text(self, label: str) -> str:
        if self.amount is None:
            return label
        a = Fraction(self.amount)
        text = str(a.numerator) if a.denominator == 1 else f"{math.floor(a)}½" if a.denominator == 2 else str(float(a))
        return f"{text} {label}"


@attrs.frozen(slots=True)
class ReductionScope:
    """Which procedures a reduction covers; an empty set means "any". A procedure must match every non-empty set."""

    procedures: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()

    def matches(self, procedure: ProcedureFacts | None, code: str | None = None) -> bool:
        if not (self.procedures or self.fields or self.levels):
            return True
        if procedure is None and code is None:
            return False
        pcode = str(procedure.code) if procedure is not None else str(code)
        if self.procedures and pcode not in self.procedures:
            return False
        if self.fields and (procedure is None or procedure.field not in self.fields):
            return False
        return not (self.levels and (procedure is None or not {str(lv) for lv in procedure.levels} & self.levels))

    def overlaps(self, other: ReductionScope) -> bool:
        return all(not a or not b or bool(a & b) for a, b in self._pairs(other))

    def _pairs(self, other: ReductionScope) -> Iterable[tuple[frozenset[str], frozenset[str]]]:
        yield self.procedures, other.procedures
        yield self.fields, other.fields
        yield self.levels, other.levels

    def __str__(self) -> str:
        parts = []
        if self.procedures:
            parts.append("procedures=" + ",".join(sorted(self.procedures)))
        if self.fields:
            parts.append("fields=" + ",".join(sorted(self.fields)))
        if self.levels:
            parts.append("levels=" + ",".join(sorted(self.levels)))
        return " ".join(parts)


@attrs.frozen(slots=True)
class ChannelCondition:
    """The channel a dossier must use: online (optionally at given levels) or postal (send and/or return)."""

    channel: Channel
    online_levels: frozenset[OnlineLevel] = frozenset()
    postal: PostalService | None = None

    def matches(self, channel: Channel, online_level: OnlineLevel | None, postal: PostalService | None) -> bool:
        if channel is not self.channel:
            return False
        if self.online_levels and online_level not in self.online_levels:
            return False
        if self.postal is not None:
            if postal is None:
                return False
            if self.postal.sends and not postal.sends:
                return False
            if self.postal.returns and not postal.returns:
                return False
        return True

    def overlaps(self, other: ChannelCondition) -> bool:
        if self.channel is not other.channel:
            return False
        return not (self.online_levels and other.online_levels and not self.online_levels & other.online_levels)

    def __str__(self) -> str:
        text = f"channel={self.channel.value}"
        if self.online_levels:
            text += "(" + "|".join(sorted(lv.value for lv in self.online_levels)) + ")"
        if self.postal is not None:
            text += f"(postal {self.postal.value})"
        return text


@attrs.frozen(slots=True, repr=False)
class Reduction:
    """One priority reduction rule.

    Exactly one of ``percent`` (e.g. ``Fraction(30)`` for 30 %) and ``fixed`` (a processing time to subtract, in the
    same unit as the time it reduces) is set.
    """

    condition: ChannelCondition
    reference: LegalReference
    percent: Fraction | None = None
    fixed: ProcessingTime | None = None
    scope: ReductionScope = attrs.field(factory=ReductionScope)
    valid: DateRange = attrs.field(factory=DateRange)
    rounding: ReductionRounding = ReductionRounding.FLOOR
    floor: ProcessingTime | None = None
    name: str = ""
    name_vi: str = ""

    def __attrs_post_init__(self) -> None:
        expect(self.condition, ChannelCondition, "reduction.condition", "a ChannelCondition")
        expect(self.reference, LegalReference, "reduction.reference", "a LegalReference")
        if self.percent is not None and (
            isinstance(self.percent, bool) or not isinstance(self.percent, Fraction | int)
        ):
            raise InvalidValueError("reduction.percent", N_("a percentage as a Fraction or an int"), self.percent)
        expect_optional(self.fixed, ProcessingTime, "reduction.fixed", "a ProcessingTime")
        expect(self.scope, ReductionScope, "reduction.scope", "a ReductionScope")
        expect(self.valid, DateRange, "reduction.valid", "a DateRange")
        expect(self.rounding, ReductionRounding, "reduction.rounding", "a ReductionRounding")
        expect_optional(self.floor, ProcessingTime, "reduction.floor", "a ProcessingTime")
        expect(self.name, str, "reduction.name", "text")
        expect(self.name_vi, str, "reduction.name_vi", "text")
        if (self.percent is None) == (self.fixed is None):
            raise InvalidValueError("reduction", N_("exactly one of percent and fixed"), (self.percent, self.fixed))
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise InvalidValueError("reduction.percent", N_("a percentage in 0..100"), self.percent)
        if self.fixed is not None and self.fixed.unit not in (
            TimeUnit.WORKING_DAYS,
            TimeUnit.CALENDAR_DAYS,
            TimeUnit.WORKING_HOURS,
            TimeUnit.MONTHS,
        ):
            raise InvalidValueError("reduction.fixed", N_("an amount of days, hours or months"), self.fixed)

    def applies(
        self,
        *,
        channel: Channel,
        on: date,
        procedure: ProcedureFacts | None = None,
        code: str | None = None,
        online_level: OnlineLevel | None = None,
        postal: PostalService | None = None,
    ) -> bool:
        """Whether the rule covers a dossier received on ``on`` through ``channel``."""
        return (
            on in self.valid
            and self.condition.matches(channel, online_level, postal)
            and self.scope.matches(procedure, code)
        )

    def overlaps(self, other: Reduction) -> bool:
        """Whether some dossier could be covered by both rules."""
        return (
            self.valid.overlaps(other.valid)
            and self.condition.overlaps(other.condition)
            and self.scope.overlaps(other.scope)
        )

    def reduce(self, unit: TimeUnit, amount: int | Fraction) -> tuple[Fraction, str] | None:
        """The reduced amount and how it was rounded (in English); None when the rule does not fit ``unit``."""
        out = self._reduce(unit, amount)
        return None if out is None else (out[0], _how_text(out[1], unit, "en"))

    def _reduce(self, unit: TimeUnit, amount: int | Fraction) -> tuple[Fraction, _How] | None:
        """The reduced amount and how it was rounded (a message and its floor amount, worded when shown)."""
        if unit not in (TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.MONTHS):
            return None
        if self.fixed is not None:
            if self.fixed.unit is not unit or self.fixed.amount is None:
                return None
            raw = Fraction(amount) - self.fixed.amount
        else:
            assert self.percent is not None
            raw = Fraction(amount) * (100 - self.percent) / 100
        value, msg = _round(raw, unit, self.rounding)
        how: _How = (msg, None)
        fl = self.floor
        if fl is not None and fl.unit is unit and fl.amount is not None and value < fl.amount:
            value, how = Fraction(fl.amount), (_RAISED_TO_FLOOR, fl.amount)
        if value < 0:
            value, how = Fraction(0), (N_("not below zero"), None)
        if value > amount:  # rounding up never lengthens the published time
            value, how = Fraction(amount), (N_("capped at the published time"), None)
        return value, how

    def __repr__(self) -> str:
        amount = (
            f"{_fmt_percent(self.percent)}%"
            if self.percent is not None
            else f"-{self.fixed.amount} {UNIT_EN[self.fixed.unit]}"
            if self.fixed
            else ""
        )
        scope = str(self.scope)
        valid = f" {self.valid}" if self.valid.start or self.valid.end else ""
        scope = f" {scope}" if scope else ""
        return f"<reduction {amount} for {self.condition}{scope}{valid} ({self.reference.document})>"


def _fmt_percent(p: Fraction | None) -> str:
    if p is None:
        return ""
    return str(p.numerator) if p.denominator == 1 else str(float(p))


_How = tuple[str, int | float | None]
"""How a reduced amount was rounded: a marked message and, for the floor, the floor amount."""

_RAISED_TO_FLOOR = N_("raised to the floor of {amount} {unit}")


def _how_text(how: _How, unit: TimeUnit, lang: str) -> str:
    msg, floor = how
    text = gettext(msg, lang)
    # the English floor text has always said the plural unit ("1 working days"): kept as it is
    return text if floor is None else text.format(amount=floor, unit=unit.label_vi if lang == "vi" else UNIT_EN[unit])


def _round(raw: Fraction, unit: TimeUnit, rounding: ReductionRounding) -> tuple[Fraction, str]:
    if rounding is ReductionRounding.HALF_DAY and unit is TimeUnit.WORKING_HOURS and raw % HALF_DAY_HOURS:
        return Fraction(math.floor(raw / HALF_DAY_HOURS) * HALF_DAY_HOURS), N_("rounded down to 4 working hours")
    if raw.denominator == 1:
        return raw, N_("exact")
    if rounding is ReductionRounding.CEIL:
        return Fraction(math.ceil(raw)), N_("rounded up")
    if rounding is ReductionRounding.HALF_DAY and unit is TimeUnit.WORKING_DAYS:
        return Fraction(math.floor(raw * 2), 2), N_("rounded down to half a working day")
    return Fraction(math.floor(raw)), N_("rounded down")


@attrs.frozen(slots=True)
class ReductionSet:
    """Reduction rules with their combination rule.

    ``Combination.REJECT`` means the source declares no combination: rules whose scopes overlap then raise
    :class:`~tthc.errors.ConflictError` when the set is built (the library will not guess whether they stack).
    """

    rules: tuple[Reduction, ...]
    combination: Combination = Combination.MOST_FAVOURABLE

    def __attrs_post_init__(self) -> None:
        expected = N_("a tuple of Reduction")
        for rule in expect(self.rules, tuple, "rules", expected):
            expect(rule, Reduction, "rules", expected)
        expect(self.combination, Combination, "combination", "a Combination")
        if self.combination is Combination.REJECT:
            for i, a in enumerate(self.rules):
                for b in self.rules[i + 1 :]:
                    if a.overlaps(b):
                        raise ConflictError(
                            words(
                                N_(
                                    "reductions: {first} and {second} overlap and no combination rule is given; "
                                    "expected 'combination': 'most_favourable' or 'stack'"
                                ),
                                first=repr(a),
                                second=repr(b),
                            )
                        )

    def __iter__(self) -> Iterator[Reduction]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


ReductionNote = tuple[object, ...]
"""One line of what the reductions did, as ``(kind, *values)``, worded in a language when shown
(:func:`format_reduction_note`)."""


@attrs.frozen(slots=True)
class ReductionOutcome:
    """What the reductions did: the effective time and one note per considered rule.

    ``lines`` words the notes in the default language, :meth:`lines_in` in a given one.
    """

    effective: EffectiveTime
    applied: tuple[Reduction, ...]
    notes: tuple[ReductionNote, ...]

    @property
    def references(self) -> tuple[LegalReference, ...]:
        return tuple(r.reference for r in self.applied)

    @property
    def lines(self) -> tuple[str, ...]:
        """The notes in the default language (see :func:`tthc.foundation.i18n.resolve_lang`)."""
        return self.lines_in()

    def lines_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The notes in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        code = resolve_lang(lang)
        return tuple(format_reduction_note(n, code) for n in self.notes)


def apply_reductions(
    pt: ProcessingTime,
    reductions: ReductionSet | Sequence[Reduction],
    *,
    channel: Channel,
    on: date,
    procedure: ProcedureFacts | None = None,
    code: str | None = None,
    online_level: OnlineLevel | None = None,
    postal: PostalService | None = None,
) -> ReductionOutcome:
    """Apply the rules that cover a dossier to its processing time. A reduction never lengthens the time."""
    base = EffectiveTime.of(pt)
    if not reductions or base.amount is None:
        return ReductionOutcome(base, (), ())
    rset = reductions if isinstance(reductions, ReductionSet) else ReductionSet(tuple(reductions))
    candidates = [
        r
        for r in rset.rules
        if r.applies(channel=channel, on=on, procedure=procedure, code=code, online_level=online_level, postal=postal)
    ]
    notes: list[ReductionNote] = []
    results: list[tuple[Reduction, Fraction, _How]] = []
    amount = base.amount
    for r in candidates:
        out = r._reduce(base.unit, amount if rset.combination is Combination.STACK else base.amount)
        if out is None:
            notes.append(("no_fit", r, base.unit))
            continue
        results.append((r, out[0], out[1]))
        if rset.combination is Combination.STACK:
            amount = out[0]
            notes.append(("applied", r, EffectiveTime(base.unit, amount), out[1]))
    if not results:
        return ReductionOutcome(base, (), tuple(notes))
    if rset.combination is Combination.STACK:
        return ReductionOutcome(EffectiveTime(base.unit, amount), tuple(r for r, _, _ in results), tuple(notes))
    best = min(results, key=lambda t: t[1])
    notes.append(("applied", best[0], EffectiveTime(base.unit, best[1]), best[2]))
    if len(results) > 1:
        notes.append(("several", len(results)))
    return ReductionOutcome(EffectiveTime(base.unit, best[1]), (best[0],), tuple(notes))


def format_reduction_note(note: ReductionNote, lang: str) -> str:
    """One note of :class:`ReductionOutcome` worded in ``lang`` (a resolved code, ``"vi"`` or ``"en"``)."""
    kind = note[0]
    if kind == "no_fit":
        r, unit = note[1], note[2]
        assert isinstance(r, Reduction)
        assert isinstance(unit, TimeUnit)
        return gettext("{rule} does not fit a time in {unit}: not applied", lang).format(
            rule=repr(r), unit=unit.label_vi
        )
    if kind == "applied":
        r, effective, how = note[1], note[2], note[3]
        assert isinstance(r, Reduction)
        assert isinstance(effective, EffectiveTime)
        return gettext("reduction {amount} ({name}) → {time}, {how}", lang).format(
            amount=_amount(r, lang),
            name=_name(r, lang),
            time=effective.text(lang),
            how=_how_text(how, effective.unit, lang),  # type: ignore[arg-type]
        )
    return gettext("{n} reductions apply; the most favourable single one is used", lang).format(n=note[1])


def _amount(r: Reduction, lang: str) -> str:
    if r.percent is not None:
        return f"{_fmt_percent(r.percent)}%"
    if r.fixed is None:
        return ""
    # the English line has always shown the bare subtracted figure ("-1"); Vietnamese names the unit ("1 ngày")
    return f"-{r.fixed.amount}" if lang == "en" else f"{r.fixed.amount} {r.fixed.unit.label_vi}"


def _name(r: Reduction, lang: str) -> str:
    name = (r.name_vi if lang == "vi" and r.name_vi else r.name) or r.reference.document_in(lang)
    return name if r.reference.tag == "law" else f"{name} [{r.reference.tag}]"


# -- data file -------------------------------------------------------------------------------------------------------


@cache
def _file_model() -> Any:
    """The reductions file's pydantic model, defined on first use: every ``compute_due`` imports this module, only a
    reductions file needs pydantic."""
    from pydantic import BaseModel, ConfigDict, Field

    class _ScopeModel(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        procedures: tuple[str, ...] = ()
        fields: tuple[str, ...] = ()
        levels: tuple[str, ...] = ()

    class _ConditionModel(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        channel: Channel
        online_levels: tuple[OnlineLevel, ...] = ()
        postal: PostalService | None = None

    class _ReductionModel(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        name: str = ""
        name_vi: str = Field(default="", description="the name in Vietnamese (traces in Vietnamese show it)")
        condition: _ConditionModel
        scope: _ScopeModel = Field(default_factory=_ScopeModel)
        valid_from: IsoDay | None = None
        valid_until: IsoDay | None = Field(default=None, description="inclusive")
        percent: Fraction | None = None
        fixed: ProcessingTime | None = None
        rounding: ReductionRounding = ReductionRounding.FLOOR
        floor: ProcessingTime | None = None
        reference: LegalReference

    class _ReductionFile(BaseModel):
        model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")
        comment: str | None = None
        combination: Combination = Combination.REJECT  # a file that names no rule may not have overlapping scopes
        reductions: tuple[_ReductionModel, ...]

    return _ReductionFile


def load_reductions(path: str | Path | None = None) -> ReductionSet:
    """Load a reductions file (the bundled examples when ``path`` is None).

    Raises:
        DataFileError: unreadable or invalid file (the message names the file and the field).
        ConflictError: overlapping rules and no ``combination`` in the file.
    """
    raw = load_json("reductions.json") if path is None else read_json_file(path)
    name = "reductions.json (bundled)" if path is None else str(path)
    if isinstance(raw, dict) and "$comment" in raw:
        raw = {("comment" if k == "$comment" else k): v for k, v in raw.items()}
    model = validate_data(_file_model(), raw, name)
    rules = tuple(
        Reduction(
            condition=ChannelCondition(m.condition.channel, frozenset(m.condition.online_levels), m.condition.postal),
            reference=m.reference,
            percent=m.percent,
            fixed=m.fixed,
            scope=ReductionScope(frozenset(m.scope.procedures), frozenset(m.scope.fields), frozenset(m.scope.levels)),
            valid=DateRange(m.valid_from, m.valid_until),
            rounding=m.rounding,
            floor=m.floor,
            name=m.name,
            name_vi=m.name_vi,
        )
        for m in model.reductions
    )
    return ReductionSet(rules, model.combination)
