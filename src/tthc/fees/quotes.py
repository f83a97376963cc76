"""Quotes: what filing a procedure costs, itemised, with the rule and source of every line.

``quote(procedure, channel=..., on=...)`` adds up:

* the **fee** (phí / lệ phí) — from a dated fee schedule when one covers the procedure and channel on that date,
  else from the catalog's published channel table (``procedure.options(channel)[i].fees``);
* the **postage** per postal leg (sending the dossier, returning the result) from a :class:`~tthc.fees.tariffs.Tariff`,
  with surcharges, the TT 22/2017 beneficiary reduction, temporary discounts (their combination rule) and VAT when
  the tariff says it is excluded;
* the **remittance** charge when the fee is paid through the post (NĐ 61/2018 Điều 22; 8,000 đ in the bundled tariff).

Totals are per currency (USD fees stay USD). Every derived amount names its rounding. Lines that cannot be priced (a
fee given as a percentage of something, or fee text that was not understood) are kept with ``amount=None`` and make
the quote ``complete=False``; they are never counted as zero.

The labels, notes and steps are in the language asked (``quote(..., lang=)``; Vietnamese by default, see
:mod:`tthc.foundation.i18n`), and :meth:`Quote.explain` words the whole quote again in any language. Amounts are
written ``30.500 đ`` in both; the ``rule`` of a line is the rule's own notation, not translated.

Why one module of this length: a quote's lines (fee, postage, surcharges, reductions, discounts, VAT, remittance) are
made and worded where they are decided, so a line can never say what its rule did not do; the inputs that only need
reading (province, deciding dates) live in :mod:`tthc.fees._quote_inputs`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction

import attrs
from pydantic import ConfigDict, PrivateAttr

from tthc.catalog.model import ChannelOption, FeeKind, Procedure
from tthc.errors import InvalidValueError
from tthc.fees._quote_inputs import DatesKey, leg_dates, parse_province
from tthc.fees.discounts import Combination, DecidingDate, Discount, DiscountContext, DiscountSet
from tthc.fees.schedules import FeeSchedule
from tthc.fees.tariffs import (
    Beneficiary,
    Leg,
    RangePolicy,
    Tariff,
    VatTreatment,
    resolve_beneficiary,
    surcharges_for,
    validate_weight,
)
from tthc.foundation.arguments import CheckedModel, as_day, expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_, Lang, gettext, resolve_lang
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.money import Money, Rounding
from tthc.foundation.references import LegalReference
from tthc.foundation.words import DataText, word, words
from tthc.postal.zones import Zone

__all__ = ["DatesKey", "LineKind", "Quote", "QuoteLine", "parse_province", "quote"]


class LineKind(TthcStrEnum):
    """What a quote line is: a fee, postage, a surcharge, a beneficiary reduction, a discount, VAT or remittance."""

    FEE = "fee"
    POSTAGE = "postage"
    SURCHARGE = "surcharge"
    BENEFICIARY_REDUCTION = "beneficiary_reduction"
    DISCOUNT = "discount"
    VAT = "vat"
    REMITTANCE = "remittance"


Said = object
"""A text of a quote: plain text shown as written (a Vietnamese label, catalog text), or something worded in the
reader's language when shown (:class:`~tthc.foundation.words.Words`, :class:`~tthc.foundation.words.DataText`)."""


class QuoteLine(CheckedModel):
    """One line of a quote; ``amount`` is ``None`` when it cannot be priced (never read as zero).

    ``label`` and ``notes`` are in the language the quote was made in; :meth:`text`, :meth:`label_in` and
    :meth:`notes_in` word them in any language.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: LineKind
    label: str
    amount: Money | None
    leg: Leg | None = None
    fee_kind: FeeKind | None = None
    rule: str
    reference: LegalReference | None = None
    rounding: Rounding | None = None
    estimate: bool = False
    payers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    _said: tuple[Said, tuple[Said, ...]] | None = PrivateAttr(default=None)  # label and notes, to word again
    _cited: LegalReference | None = PrivateAttr(default=None)  # the reference in both languages, to cite again

    def _remember(self, label: Said, notes: Sequence[Said]) -> QuoteLine:
        self._said = (label, tuple(notes))
        return self

    def label_in(self, lang: str | None = None) -> str:
        """The label in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        return word(self._said[0], resolve_lang(lang)) if self._said is not None else self.label

    def notes_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The notes in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        code = resolve_lang(lang)
        return tuple(word(n, code) for n in self._said[1]) if self._said is not None else self.notes

    def text(self, lang: str | None = None) -> str:
        """``cước gửi hồ sơ: 30.000 đ — …`` in ``lang`` (None: ``TTHC_LANG``, else Vietnamese); in English the leg's
        mark follows the Vietnamese label (``cước gửi hồ sơ [send]: …``)."""
        code = resolve_lang(lang)
        amount = self.amount.format_vi() if self.amount is not None else gettext("(not priced)", code)
        # a postage line's label is the leg's legal name ("cước chuyển trả kết quả"): in Vietnamese the mark would only
        # repeat it; in English it says which leg that is
        named = self.kind is LineKind.POSTAGE and code == "vi"
        leg = f" {gettext(_LEG_MARKS[self.leg], code)}" if self.leg and not named else ""
        ref = f" — {(self._cited or self.reference).text(code)}" if self.reference else ""
        return f"{self.label_in(code)}{leg}: {amount}{' ~' if self.estimate else ''}{ref}"

    def __str__(self) -> str:
        return self.text()


_LEG_MARKS = {Leg.SEND: N_("[send]"), Leg.RETURN: N_("[return]")}


def _worded(line: QuoteLine, label: Said, lang: Lang, notes: Sequence[Said] = ()) -> QuoteLine:
    """``line`` with its label and notes worded in ``lang``, kept to be worded again."""
    worded = line.model_copy(update={"label": word(label, lang), "notes": tuple(word(n, lang) for n in notes)})
    return worded._remember(label, notes)


def _cited(line: QuoteLine, lang: Lang) -> QuoteLine:
    """``line`` with its reference in ``lang`` (keys ``note``, ``document``), kept in both languages to cite again."""
    shown = line.reference.in_lang(lang) if line.reference is not None else None
    cited = line if shown is line.reference else line.model_copy(update={"reference": shown})
    cited._cited = line.reference  # a new line of this quote (the same one when the reference reads alike)
    return cited


class Quote(CheckedModel):
    """An itemised quote. ``totals`` has one amount per currency; ``total`` is the single one (or an error)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    procedure: ProcedureCode
    channel: Channel
    postal: PostalService | None
    on: IsoDay
    route: Zone | None
    lines: tuple[QuoteLine, ...]
    totals: tuple[Money, ...]
    complete: bool
    steps: tuple[str, ...]
    _said: tuple[Said, ...] | None = PrivateAttr(default=None)  # the steps, to word again

    @property
    def total(self) -> Money:
        """The total when the quote is in one currency (``0 đ`` for an empty quote).

        Raises:
            InvalidValueError: the quote mixes currencies (use ``totals``; amounts are never converted).
        """
        if not self.totals:
            return Money.vnd(0)
        if len(self.totals) > 1:
            raise InvalidValueError(
                "currency", N_("a quote in one currency (read .totals)"), [m.currency for m in self.totals]
            )
        return self.totals[0]

    def total_in(self, currency: str) -> Money:
        return next((m for m in self.totals if m.currency == currency), Money(0, currency))

    @property
    def postage(self) -> Money:
        """Postage after reductions, discounts and VAT (VND), without the fee and the remittance charge."""
        kinds = {LineKind.POSTAGE, LineKind.SURCHARGE, LineKind.BENEFICIARY_REDUCTION, LineKind.DISCOUNT, LineKind.VAT}
        total = Money.vnd(0)
        for line in self.lines:
            if line.kind in kinds and line.amount is not None and line.amount.currency == "VND":
                total = total + line.amount
        return total

    def steps_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The steps in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        code = resolve_lang(lang)
        return tuple(word(s, code) for s in self._said) if self._said is not None else self.steps

    def explain(self, lang: str | None = None) -> str:
        """A printable, line-by-line explanation in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else
        Vietnamese).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        out = [
            gettext("Quote for {procedure} via {channel} on {day}", code).format(
                procedure=self.procedure, channel=word(self.channel, code), day=word(self.on, code)
            )
        ]
        out += [f"  {line.text(code)}" for line in self.lines]
        out += ["  " + gettext("total: {total}", code).format(total=m.format_vi()) for m in self.totals]
        if not self.complete:
            out.append("  " + gettext("(incomplete: some lines could not be priced)", code))
        out += [f"  · {s}" for s in self.steps_in(code)]
        return "\n".join(out)


_PROVINCE_RE = re.compile(r"([HK]\d{2})$")


def _province_of(procedure: Procedure) -> str | None:
    suffix = procedure.code.agency
    m = _PROVINCE_RE.search(suffix) if suffix else None
    return m.group(1) if m else None


_FEE_KINDS_VI = {FeeKind.CHARGE: "phí", FeeKind.STATE_FEE: "lệ phí"}  # the legal terms (domain.md §5)


def _fee_lines(
    procedure: Procedure,
    channel: Channel,
    on: date,
    schedule: FeeSchedule,
    beneficiary: str | None,
    case: str | None,
    steps: list[Said],
    lang: Lang,
) -> list[QuoteLine]:
    """Fee lines: the catalog's published row, with lines of a kind a dated schedule covers replaced by it."""
    catalog_lines = _catalog_fee_lines(procedure, channel, case, steps, lang)
    found = schedule.lookup(procedure, channel, on)
    steps.extend(found.missing)
    catalog_lines = [_unpriced(ln, on, lang) if ln.fee_kind in found.unpriced else ln for ln in catalog_lines]
    if not found.rates:
        return catalog_lines
    scheduled = []
    for dv in found.rates:
        rate = dv.value
        exempt = beneficiary is not None and beneficiary in rate.exempt_groups
        line = QuoteLine(
            kind=LineKind.FEE,
            label="",
            amount=Money(0, rate.amount.currency) if exempt else rate.amount,
            fee_kind=rate.kind,
            rule=f"fee schedule {rate.id} {dv.period}: {rate!r}",
            reference=dv.reference,
        )
        label = (
            words(N_("{label} (exempt: {group})"), label=rate.label_vi, group=beneficiary) if exempt else rate.label_vi
        )
        scheduled.append(_worded(line, label, lang))
    kinds = sorted((k for k in {ln.fee_kind for ln in scheduled} if k is not None), key=lambda k: k.value)
    steps.append(
        words(
            N_("the dated fee schedule replaces the catalog's {kinds} line(s)"),
            kinds=DataText("/".join(k.value for k in kinds), "/".join(_FEE_KINDS_VI.get(k, k.value) for k in kinds)),
        )
    )
    kept = [ln for ln in catalog_lines if ln.fee_kind not in set(kinds)]
    return [*scheduled, *kept]


def _unpriced(line: QuoteLine, on: date, lang: Lang) -> QuoteLine:
    """A catalog fee line of a kind a dated schedule covers, on a day none of its rates is in force: the published
    amount may be that schedule's rate (a temporary rate outside its window), so the fee is not known — never the
    published amount re-used as a guess."""
    if line.amount is None:
        return line
    label, notes = line._said if line._said is not None else (line.label, line.notes)
    note = words(
        N_("published {amount}, but a dated rate of this kind covers the procedure and none is in force on {day}:"
           " fee unknown"),
        amount=line.amount.format_vi(),
        day=on,
    )  # fmt: skip
    unknown = line.model_copy(update={"amount": None, "rule": f"{line.rule} (dated rate not in force: unknown)"})
    return _worded(unknown, label, lang, (note, *notes))


def _catalog_fee_lines(
    procedure: Procedure, channel: Channel, case: str | None, steps: list[Said], lang: Lang
) -> list[QuoteLine]:
    options: tuple[ChannelOption, ...] = procedure.options(channel)
    source_channel = channel
    if not options and channel is Channel.POSTAL:
        options = procedure.options(Channel.DIRECT)
        source_channel = Channel.DIRECT
        if options:
            steps.append(words(N_("no postal row published: the fee of the direct-channel row is used")))
    if not options:
        steps.append(
            words(
                N_("the catalog publishes no {channel} row for {code}: fee unknown"),
                channel=channel,
                code=str(procedure.code),
            )
        )
        line = QuoteLine(kind=LineKind.FEE, label="", amount=None, rule="catalog: no channel row")
        return [_worded(line, words(N_("fee (not published for this channel)")), lang, [words(N_("fee unknown"))])]
    option = options[0]
    if case is not None:
        picked = [o for o in options if o.case == case]
        if not picked:
            cases = [o.case for o in options]
            raise InvalidValueError("case", words(N_("one of {choices}"), choices=str(cases)), case)
        option = picked[0]
    elif len(options) > 1:
        steps.append(
            words(
                N_("{n} {channel} rows published; the first (case {case}) used"),
                n=len(options),
                channel=source_channel,
                case=repr(option.case),
            )
        )
    rule = f"catalog {procedure.code} / {source_channel.value} row"
    if not option.fees:
        line = QuoteLine(kind=LineKind.FEE, label="", amount=None, rule=rule)
        note = option.fee_text or words(N_("no fee text published"))
        return [_worded(line, words(N_("fee (none listed)")), lang, [note])]
    lines = []
    for fee in option.fees:
        label = {FeeKind.CHARGE: "phí", FeeKind.STATE_FEE: "lệ phí"}.get(fee.kind, "phí, lệ phí")
        if fee.free:
            amount: Money | None = Money.vnd(0)
        elif fee.amount is not None:
            amount = fee.amount
        else:
            amount = None
        notes: tuple[Said, ...] = tuple(x for x in (fee.text, fee.note) if x)
        if fee.percentage is not None:
            base = words(N_("{percent} of a base the catalog does not give"), percent=f"{fee.percentage}%")
            notes = (base, *notes)
        line = QuoteLine(kind=LineKind.FEE, label=label, amount=amount, fee_kind=fee.kind, rule=rule)
        lines.append(_worded(line, label, lang, notes))
    return lines


def _payers(discount: Discount) -> tuple[str, ...]:
    return tuple(f"{p} {share}" for p, share in discount.payers)


def quote(
    procedure: Procedure,
    *,
    channel: Channel | str,
    on: date,
    postal: PostalService | str | None = None,
    weight_g: int | None = None,
    route: Zone | str | None = None,
    beneficiary: str | None = None,
    online_level: OnlineLevel | str | int | None = None,
    province: str | None = None,
    case: str | None = None,
    fee_via_post: bool = False,
    surcharges: Iterable[str] = (),
    tariff: Tariff | None = None,
    discounts: DiscountSet | Iterable[Discount] | None = None,
    combination: Combination | None = None,
    fee_schedule: FeeSchedule | None = None,
    dates: Mapping[DatesKey, date] | None = None,
    range_policy: RangePolicy = "max",
    rounding: Rounding | None = None,
    lang: str | None = None,
) -> Quote:
    """Quote filing ``procedure`` through ``channel`` on ``on``.

    Args:
        procedure: the procedure (from :class:`tthc.catalog.model.Catalog`).
        channel: how the dossier is filed (direct, online, postal).
        on: the date the quote is for (a ``datetime`` is taken by its date in Vietnam time); also the date each
            discount is judged on unless ``dates`` gives the date of its deciding kind (pickup / receipt / return).
        postal: postal legs: ``send`` / ``both`` when the channel is postal (default ``send``), ``return`` (or none)
            for a dossier filed at the desk or online.
        weight_g: item weight in grams (``None``: the lightest bracket, noted).
        route: route zone (``None``: ``within_province``, noted); see :class:`tthc.postal.zones.Zone`.
        beneficiary: a TT 22/2017 group id (``postal_beneficiaries.json``) for the postage reduction, also matched
            against fee-schedule exemptions.
        online_level: the online level the dossier had (``None``: the procedure's published online row, if any).
        province: province code (``H21``; spaces stripped, upper-cased) for province-scoped discounts (``None``: from
            a local procedure code; a code contradicting the procedure code's province is used, with a step).
        case: which published channel row to use when there are several (normal / complex case).
        fee_via_post: the fee is paid through the post (adds the remittance charge when there is a fee).
        surcharges: ids of optional tariff surcharges to apply (mandatory ones always apply).
        tariff, discounts, fee_schedule: data to use instead of the bundled files (``discounts=()`` for none).
        combination: override the discount set's combination rule.
        dates: the date of each deciding kind (``pickup`` / ``receipt`` / ``return``, a :class:`DecidingDate` or its
            value) for both legs, or of one leg with a ``(leg, kind)`` key (``(Leg.RETURN, "pickup")``: the day the
            post accepted the result); a leg's own date wins over the shared one. A ``datetime`` is taken by its date
            in Vietnam time. The ``pickup`` date of a leg also prices its postage.
        range_policy: how a published price range is narrowed (``max`` default).
        rounding: override the rounding of every derived amount (else each rule's own, recorded per line).
        lang: the language of the labels, notes and steps (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else
            Vietnamese); :meth:`Quote.explain` can word them again in another.

    Raises:
        InvalidValueError: a negative weight, an unknown zone, service, level or beneficiary, postal legs that do not
            fit the channel, fee_via_post without a postal leg or online filing, a province that is no province code,
            a ``dates`` key or value that is not a deciding kind (or leg) and a date.
        NotFoundError: the tariff has no price for the zone or weight on that date.
        ConflictError: several discounts apply and the combination rule is ``reject``.
    """
    code = resolve_lang(lang)
    if not isinstance(procedure, Procedure):
        raise InvalidValueError("procedure", N_("a tthc.catalog.model.Procedure"), type(procedure).__name__)
    on = as_day(on, "on")
    expect_optional(tariff, Tariff, "tariff", "a tthc.Tariff or None")
    expect_optional(fee_schedule, FeeSchedule, "fee_schedule", "a tthc.FeeSchedule or None")
    channel = Channel.parse(channel)
    service = _postal_service(postal, channel)
    if weight_g is not None:
        validate_weight(weight_g)
    level = OnlineLevel.parse(online_level) if online_level is not None else None
    dates_of = leg_dates(dates)
    steps: list[Said] = []
    if level is None and channel is Channel.ONLINE:
        published = next((o.online_level for o in procedure.options(Channel.ONLINE) if o.online_level), None)
        if published is not None:
            level = published
            # {level} names itself ("mức độ 4", "toàn trình"): the sentence does not say "level" before it
            steps.append(words(N_("online level not given: the published one used ({level})"), level=published))
    coded = _province_of(procedure)
    province_given = province is not None
    if province is None:
        province = coded
        if province:
            steps.append(words(N_("province {province} read from the procedure code"), province=province))
    else:
        province = parse_province(province, "province")
        if coded is not None and coded != province:
            steps.append(
                words(
                    N_("province {province} given, the procedure code says {coded}: {province} used"),
                    province=province,
                    coded=coded,
                )
            )
    schedule = fee_schedule if fee_schedule is not None else FeeSchedule.bundled()
    group = resolve_beneficiary(beneficiary)

    lines = _fee_lines(procedure, channel, on, schedule, beneficiary, case, steps, code)

    zone: Zone | None = None
    if service is not None:
        tariff = tariff if tariff is not None else Tariff.bundled()
        discount_set = DiscountSet.of(discounts, combination)
        if route is None:
            zone = Zone.WITHIN_PROVINCE
            steps.append(words(N_("route not given: {zone} assumed"), zone=zone))
        else:
            zone = Zone.parse(route)
        if not tariff.applies_in(province):
            steps.append(
                words(
                    N_("tariff {tariff} is published for {provinces}, not {province}: used as given"),
                    tariff=tariff.id,
                    provinces=str(tariff.provinces),
                    province=str(province),
                )
            )
        if tariff.vat is VatTreatment.UNKNOWN:
            steps.append(
                words(
                    N_("tariff {tariff}: VAT treatment not published ({note}); no VAT line"),
                    tariff=tariff.id,
                    note=tariff.vat_remark or "[open]",
                )
            )
        legs = [leg for leg, on_leg in ((Leg.SEND, service.sends), (Leg.RETURN, service.returns)) if on_leg]
        for leg in legs:
            lines.extend(
                _leg_lines(
                    leg,
                    zone,
                    on,
                    tariff=tariff,
                    weight_g=weight_g,
                    range_policy=range_policy,
                    surcharges=tuple(surcharges),
                    group=group,
                    discount_set=discount_set,
                    ctx=DiscountContext(
                        on=on,
                        channel=channel,
                        procedure=procedure,
                        online_level=level,
                        province=province,
                        weight_g=weight_g,
                        beneficiary=beneficiary,
                        dates=dates_of[leg],
                    ),
                    rounding=rounding,
                    steps=steps,
                    lang=code,
                    province_given=province_given,
                )
            )
    if fee_via_post:
        if service is None and channel is not Channel.ONLINE:
            raise InvalidValueError(
                "fee_via_post", N_("a postal leg or online filing (NĐ 61/2018 Điều 22)"), f"channel={channel.value}"
            )
        fee_amounts = [ln.amount for ln in lines if ln.kind is LineKind.FEE]
        if fee_amounts and all(a is not None and a.is_zero() for a in fee_amounts):
            steps.append(words(N_("no fee to remit: no remittance charge")))
        else:
            tariff = tariff if tariff is not None else Tariff.bundled()
            amount, ref = tariff.remittance(on)
            line = QuoteLine(
                kind=LineKind.REMITTANCE,
                label="",
                amount=amount,
                rule=f"tariff {tariff.id}: fee_remittance {amount.format_vi()} per dossier",
                reference=ref,
            )
            lines.append(_worded(line, "cước chuyển tiền phí, lệ phí", code))
    totals: dict[str, Money] = {}
    for line in lines:
        if line.amount is not None:
            cur = line.amount.currency
            totals[cur] = totals.get(cur, Money(0, cur)) + line.amount
    result = Quote(
        procedure=procedure.code,
        channel=channel,
        postal=service,
        on=on,
        route=zone,
        lines=tuple(_cited(line, code) for line in lines),
        totals=tuple(totals[c] for c in sorted(totals, key=lambda c: (c != "VND", c))),
        complete=all(line.amount is not None for line in lines),
        steps=tuple(word(s, code) for s in steps),
    )
    result._said = tuple(steps)
    return result


def _postal_service(postal: PostalService | str | None, channel: Channel) -> PostalService | None:
    service: PostalService | None
    if postal is None:
        service = PostalService.SEND if channel is Channel.POSTAL else None
    elif isinstance(postal, PostalService):
        service = postal
    else:
        try:
            service = PostalService(str(postal).strip().lower())
        except ValueError:
            raise InvalidValueError("postal", N_("send, return or both (QĐ 45/2016 Điều 5)"), postal) from None
    if channel is Channel.POSTAL and service is PostalService.RETURN:
        raise InvalidValueError(
            "postal", N_("send or both when the dossier is filed by post"), "return", detail=N_("channel=postal")
        )
    if channel is not Channel.POSTAL and service is not None and service.sends:
        raise InvalidValueError(
            "postal",
            words(N_("return (or nothing) for a dossier filed {channel}"), channel=channel),
            service.value,
            detail=N_("channel"),
        )
    return service


def _leg_lines(
    leg: Leg,
    zone: Zone,
    on: date,
    *,
    tariff: Tariff,
    weight_g: int | None,
    range_policy: RangePolicy,
    surcharges: tuple[str, ...],
    group: Beneficiary | None,
    discount_set: DiscountSet,
    ctx: DiscountContext,
    rounding: Rounding | None,
    steps: list[Said],
    lang: Lang,
    province_given: bool = False,
) -> list[QuoteLine]:
    priced_on = ctx.date_for(DecidingDate.PICKUP)
    price = tariff.price(leg, zone, priced_on, weight_g=weight_g, range_policy=range_policy)
    label = "cước gửi hồ sơ" if leg is Leg.SEND else "cước chuyển trả kết quả"  # the legal terms, in both languages
    postage = QuoteLine(
        kind=LineKind.POSTAGE,
        label="",
        amount=price.amount,
        leg=leg,
        rule=repr(price.entry),
        reference=price.reference,
        estimate=price.estimate,
    )
    out = [_worded(postage, label, lang, price.messages)]
    current = price.amount
    for s in surcharges_for(tariff, leg, surcharges):
        r = rounding or tariff.rounding
        extra = s.amount if s.amount is not None else price.amount.scale(Fraction(s.percent or 0) / 100, r)
        out.append(
            QuoteLine(
                kind=LineKind.SURCHARGE,
                label=s.label_vi,  # a label from the tariff file, in Vietnamese
                amount=extra,
                leg=leg,
                rule=repr(s),
                reference=s.reference or tariff.reference,
                rounding=r if s.amount is None else None,
            )
        )
        current = current + extra
    if group is not None and leg in group.applies_to and group.percent:
        r = rounding or group.rounding
        off = current.scale(Fraction(group.percent, 100), r)
        out.append(
            QuoteLine(
                kind=LineKind.BENEFICIARY_REDUCTION,
                label=f"miễn/giảm cước: {group.label_vi}",
                amount=-off,
                leg=leg,
                rule=repr(group),
                reference=group.reference,
                rounding=r,
            )
        )
        current = current - off
    ctx = _with_zone(ctx, price.entry.zone)
    if rounding is not None:
        discount_set = DiscountSet(
            tuple(_rounded(d, rounding) for d in discount_set.discounts), discount_set.combination
        )
    outcomes, skipped = discount_set.apply_worded(leg, current, ctx)
    for o in outcomes:
        d = o.discount
        if o.reduction.is_zero():
            steps.append(words(_DISCOUNT_TAKES_NOTHING[leg], discount=d.id))
            continue
        line = QuoteLine(
            kind=LineKind.DISCOUNT,
            label="",
            amount=-o.reduction,
            leg=leg,
            rule=repr(d),
            reference=d.reference,
            rounding=d.rounding,
            payers=_payers(d),
        )
        out.append(_worded(line, d.title, lang, (*o.messages, *d.assumption_notes())))
        current = o.after
    for d, why in skipped:
        provinces = d.provinces or frozenset()
        foreign = bool(provinces) and ctx.province is not None and ctx.province not in provinces
        coded = _province_of(ctx.procedure) if ctx.procedure is not None else None
        if foreign and not (province_given and coded in provinces):
            continue  # another province's rule: not worth a line (kept when a given province overrides the code's)
        steps.append(words(_DISCOUNT_NOT_APPLIED[leg], discount=d.id, why=why))
    if tariff.vat is VatTreatment.EXCLUDED and tariff.vat_rate_percent:
        r = rounding or tariff.rounding
        vat = current.scale(tariff.vat_rate_percent / 100, r)
        line = QuoteLine(
            kind=LineKind.VAT,
            label="",
            amount=vat,
            leg=leg,
            rule=f"tariff {tariff.id}: prices exclude VAT",
            reference=tariff.reference,
            rounding=r,
        )
        out.append(_worded(line, words(N_("VAT {percent}%"), percent=str(tariff.vat_rate_percent)), lang))
    if group is not None and leg not in group.applies_to:
        steps.append(words(_NO_BENEFICIARY_REDUCTION[leg], group=group.id))
    return out


_DISCOUNT_TAKES_NOTHING = {
    Leg.SEND: N_("send leg: discount {discount} applies but takes nothing off the price already reached"),
    Leg.RETURN: N_("return leg: discount {discount} applies but takes nothing off the price already reached"),
}
_DISCOUNT_NOT_APPLIED = {
    Leg.SEND: N_("send leg: discount {discount} not applied ({why})"),
    Leg.RETURN: N_("return leg: discount {discount} not applied ({why})"),
}
_NO_BENEFICIARY_REDUCTION = {
    Leg.SEND: N_("beneficiary {group}: no reduction on the send leg"),
    Leg.RETURN: N_("beneficiary {group}: no reduction on the return leg"),
}


def _with_zone(ctx: DiscountContext, zone: Zone | None) -> DiscountContext:
    return attrs.evolve(ctx, zone=zone)


def _rounded(d: Discount, rounding: Rounding) -> Discount:
    return attrs.evolve(d, rounding=rounding)
