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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction

import attrs
from pydantic import ConfigDict

from tthc.catalog.model import ChannelOption, FeeKind, Procedure
from tthc.errors import InvalidValueError
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
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.money import Money, Rounding
from tthc.foundation.references import LegalReference
from tthc.postal.zones import Zone

__all__ = ["LineKind", "Quote", "QuoteLine", "quote"]


class LineKind(TthcStrEnum):
    """What a quote line is: a fee, postage, a surcharge, a beneficiary reduction, a discount, VAT or remittance."""

    FEE = "fee"
    POSTAGE = "postage"
    SURCHARGE = "surcharge"
    BENEFICIARY_REDUCTION = "beneficiary_reduction"
    DISCOUNT = "discount"
    VAT = "vat"
    REMITTANCE = "remittance"


class QuoteLine(CheckedModel):
    """One line of a quote; ``amount`` is ``None`` when it cannot be priced (never read as zero)."""

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

    def __str__(self) -> str:
        amount = self.amount.format_vi() if self.amount is not None else "(not priced)"
        leg = f" [{self.leg.value}]" if self.leg else ""
        ref = f" — {self.reference}" if self.reference else ""
        return f"{self.label}{leg}: {amount}{' ~' if self.estimate else ''}{ref}"


class Quote(CheckedModel):
    """An itemised quote. ``totals`` has one amount per currency; ``total`` is the single one (or an error)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    procedure: ProcedureCode
    channel: Channel
    postal: PostalService | None
    on: date
    route: Zone | None
    lines: tuple[QuoteLine, ...]
    totals: tuple[Money, ...]
    complete: bool
    steps: tuple[str, ...]

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
                "currency", "a quote in one currency (read .totals)", [m.currency for m in self.totals]
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

    def explain(self) -> str:
        """A printable, line-by-line explanation."""
        out = [f"Quote for {self.procedure} via {self.channel.value} on {self.on.isoformat()}"]
        out += [f"  {line}" for line in self.lines]
        out += [f"  total: {m.format_vi()}" for m in self.totals]
        if not self.complete:
            out.append("  (incomplete: some lines could not be priced)")
        out += [f"  · {s}" for s in self.steps]
        return "\n".join(out)


_PROVINCE_RE = re.compile(r"([HK]\d{2})$")


def _province_of(procedure: Procedure) -> str | None:
    suffix = procedure.code.agency
    m = _PROVINCE_RE.search(suffix) if suffix else None
    return m.group(1) if m else None


def _fee_lines(
    procedure: Procedure,
    channel: Channel,
    on: date,
    schedule: FeeSchedule,
    beneficiary: str | None,
    case: str | None,
    steps: list[str],
) -> list[QuoteLine]:
    """Fee lines: the catalog's published row, with lines of a kind a dated schedule covers replaced by it."""
    catalog_lines = _catalog_fee_lines(procedure, channel, case, steps)
    found = schedule.lookup(procedure, channel, on)
    steps.extend(found.not_in_force)
    if not found.rates:
        return catalog_lines
    scheduled = []
    for dv in found.rates:
        rate = dv.value
        exempt = beneficiary is not None and beneficiary in rate.exempt_groups
        scheduled.append(
            QuoteLine(
                kind=LineKind.FEE,
                label=f"{rate.label_vi} (exempt: {beneficiary})" if exempt else rate.label_vi,
                amount=Money(0, rate.amount.currency) if exempt else rate.amount,
                fee_kind=rate.kind,
                rule=f"fee schedule {rate.id} {dv.period}: {rate!r}",
                reference=dv.reference,
            )
        )
    kinds = {ln.fee_kind for ln in scheduled}
    kept = [ln for ln in catalog_lines if ln.fee_kind not in kinds]
    steps.append(
        "the dated fee schedule replaces the catalog's "
        + "/".join(sorted(k.value for k in kinds if k is not None))
        + " line(s)"
    )
    return [*scheduled, *kept]


def _catalog_fee_lines(procedure: Procedure, channel: Channel, case: str | None, steps: list[str]) -> list[QuoteLine]:
    options: tuple[ChannelOption, ...] = procedure.options(channel)
    source_channel = channel
    if not options and channel is Channel.POSTAL:
        options = procedure.options(Channel.DIRECT)
        source_channel = Channel.DIRECT
        if options:
            steps.append("no postal row published: the fee of the direct-channel row is used")
    if not options:
        steps.append(f"the catalog publishes no {channel.value} row for {procedure.code}: fee unknown")
        return [
            QuoteLine(
                kind=LineKind.FEE,
                label="fee (not published for this channel)",
                amount=None,
                rule="catalog: no channel row",
                notes=("fee unknown",),
            )
        ]
    option = options[0]
    if case is not None:
        picked = [o for o in options if o.case == case]
        if not picked:
            cases = [o.case for o in options]
            raise InvalidValueError("case", f"one of {cases}", case)
        option = picked[0]
    elif len(options) > 1:
        steps.append(f"{len(options)} {source_channel.value} rows published; the first (case {option.case!r}) used")
    rule = f"catalog {procedure.code} / {source_channel.value} row"
    if not option.fees:
        return [
            QuoteLine(
                kind=LineKind.FEE,
                label="fee (none listed)",
                amount=None,
                rule=rule,
                notes=(option.fee_text or "no fee text published",),
            )
        ]
    lines = []
    for fee in option.fees:
        label = {FeeKind.CHARGE: "phí", FeeKind.STATE_FEE: "lệ phí"}.get(fee.kind, "phí, lệ phí")
        if fee.free:
            amount: Money | None = Money.vnd(0)
        elif fee.amount is not None:
            amount = fee.amount
        else:
            amount = None
        notes = tuple(x for x in (fee.text, fee.note) if x)
        if fee.percentage is not None:
            notes = (f"{fee.percentage}% of a base the catalog does not give", *notes)
        lines.append(
            QuoteLine(kind=LineKind.FEE, label=label, amount=amount, fee_kind=fee.kind, rule=rule, notes=notes)
        )
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
    dates: Mapping[DecidingDate, date] | None = None,
    range_policy: RangePolicy = "max",
    rounding: Rounding | None = None,
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
        province: province code (``H21``) for province-scoped discounts (``None``: from a local procedure code).
        case: which published channel row to use when there are several (normal / complex case).
        fee_via_post: the fee is paid through the post (adds the remittance charge when there is a fee).
        surcharges: ids of optional tariff surcharges to apply (mandatory ones always apply).
        tariff, discounts, fee_schedule: data to use instead of the bundled files (``discounts=()`` for none).
        combination: override the discount set's combination rule.
        range_policy: how a published price range is narrowed (``max`` default).
        rounding: override the rounding of every derived amount (else each rule's own, recorded per line).

    Raises:
        InvalidValueError: a negative weight, an unknown zone, service, level or beneficiary, postal legs that do not
            fit the channel, fee_via_post without a postal leg or online filing.
        NotFoundError: the tariff has no price for the zone or weight on that date.
        ConflictError: several discounts apply and the combination rule is ``reject``.
    """
    if not isinstance(procedure, Procedure):
        raise InvalidValueError("procedure", "a tthc.catalog.model.Procedure", type(procedure).__name__)
    on = as_day(on, "on")
    expect_optional(tariff, Tariff, "tariff", "a tthc.Tariff or None")
    expect_optional(fee_schedule, FeeSchedule, "fee_schedule", "a tthc.FeeSchedule or None")
    channel = Channel.parse(channel)
    service = _postal_service(postal, channel)
    if weight_g is not None:
        validate_weight(weight_g)
    level = OnlineLevel.parse(online_level) if online_level is not None else None
    steps: list[str] = []
    if level is None and channel is Channel.ONLINE:
        published = next((o.online_level for o in procedure.options(Channel.ONLINE) if o.online_level), None)
        if published is not None:
            level = published
            steps.append(f"online level not given: the published level {published.value} used")
    if province is None:
        province = _province_of(procedure)
        if province:
            steps.append(f"province {province} read from the procedure code")
    schedule = fee_schedule if fee_schedule is not None else FeeSchedule.bundled()
    group = resolve_beneficiary(beneficiary)

    lines = _fee_lines(procedure, channel, on, schedule, beneficiary, case, steps)

    zone: Zone | None = None
    if service is not None:
        tariff = tariff if tariff is not None else Tariff.bundled()
        discount_set = DiscountSet.of(discounts, combination)
        if route is None:
            zone = Zone.WITHIN_PROVINCE
            steps.append("route not given: within_province assumed")
        else:
            zone = Zone.parse(route)
        if not tariff.applies_in(province):
            steps.append(f"tariff {tariff.id} is published for {tariff.provinces}, not {province}: used as given")
        if tariff.vat is VatTreatment.UNKNOWN:
            steps.append(
                f"tariff {tariff.id}: VAT treatment not published ({tariff.vat_note or '[open]'}); no VAT line"
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
                        dates=dict(dates or {}),
                    ),
                    rounding=rounding,
                    steps=steps,
                )
            )
    if fee_via_post:
        if service is None and channel is not Channel.ONLINE:
            raise InvalidValueError(
                "fee_via_post", "a postal leg or online filing (NĐ 61/2018 Điều 22)", f"channel={channel.value}"
            )
        fee_amounts = [ln.amount for ln in lines if ln.kind is LineKind.FEE]
        if fee_amounts and all(a is not None and a.is_zero() for a in fee_amounts):
            steps.append("no fee to remit: no remittance charge")
        else:
            tariff = tariff if tariff is not None else Tariff.bundled()
            amount, ref = tariff.remittance(on)
            lines.append(
                QuoteLine(
                    kind=LineKind.REMITTANCE,
                    label="cước chuyển tiền phí, lệ phí",
                    amount=amount,
                    rule=f"tariff {tariff.id}: fee_remittance {amount.format_vi()} per dossier",
                    reference=ref,
                )
            )
    totals: dict[str, Money] = {}
    for line in lines:
        if line.amount is not None:
            cur = line.amount.currency
            totals[cur] = totals.get(cur, Money(0, cur)) + line.amount
    return Quote(
        procedure=procedure.code,
        channel=channel,
        postal=service,
        on=on,
        route=zone,
        lines=tuple(lines),
        totals=tuple(totals[c] for c in sorted(totals, key=lambda c: (c != "VND", c))),
        complete=all(line.amount is not None for line in lines),
        steps=tuple(steps),
    )


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
            raise InvalidValueError("postal", "send, return or both (QĐ 45/2016 Điều 5)", postal) from None
    if channel is Channel.POSTAL and service is PostalService.RETURN:
        raise InvalidValueError(
            "postal", "send or both when the dossier is filed by post", "return", detail="channel=postal"
        )
    if channel is not Channel.POSTAL and service is not None and service.sends:
        raise InvalidValueError(
            "postal", f"return (or nothing) for a dossier filed {channel.value}", service.value, detail="channel"
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
    steps: list[str],
) -> list[QuoteLine]:
    priced_on = ctx.date_for(DecidingDate.PICKUP)
    price = tariff.price(leg, zone, priced_on, weight_g=weight_g, range_policy=range_policy)
    label = "cước gửi hồ sơ" if leg is Leg.SEND else "cước chuyển trả kết quả"
    out = [
        QuoteLine(
            kind=LineKind.POSTAGE,
            label=label,
            amount=price.amount,
            leg=leg,
            rule=repr(price.entry),
            reference=price.reference,
            estimate=price.estimate,
            notes=price.notes,
        )
    ]
    current = price.amount
    for s in surcharges_for(tariff, leg, surcharges):
        r = rounding or tariff.rounding
        extra = s.amount if s.amount is not None else price.amount.scale(Fraction(s.percent or 0) / 100, r)
        out.append(
            QuoteLine(
                kind=LineKind.SURCHARGE,
                label=s.label_vi,
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
    outcomes, skipped = discount_set.apply(leg, current, ctx)
    for o in outcomes:
        d = o.discount
        if o.reduction.is_zero():
            steps.append(f"{leg.value} leg: discount {d.id} applies but takes nothing off the price already reached")
            continue
        out.append(
            QuoteLine(
                kind=LineKind.DISCOUNT,
                label=d.name,
                amount=-o.reduction,
                leg=leg,
                rule=repr(d),
                reference=d.reference,
                rounding=d.rounding,
                payers=_payers(d),
                notes=(*o.notes, *(f"{f} [open]: {n}" for f, n in d.assumptions)),
            )
        )
        current = o.after
    for d, why in skipped:
        if d.provinces is not None and ctx.province is not None and ctx.province not in d.provinces:
            continue  # another province's rule: not worth a line in the explanation
        steps.append(f"{leg.value} leg: discount {d.id} not applied ({why})")
    if tariff.vat is VatTreatment.EXCLUDED and tariff.vat_rate_percent:
        r = rounding or tariff.rounding
        vat = current.scale(tariff.vat_rate_percent / 100, r)
        out.append(
            QuoteLine(
                kind=LineKind.VAT,
                label=f"VAT {tariff.vat_rate_percent}%",
                amount=vat,
                leg=leg,
                rule=f"tariff {tariff.id}: prices exclude VAT",
                reference=tariff.reference,
                rounding=r,
            )
        )
    if group is not None and leg not in group.applies_to:
        steps.append(f"beneficiary {group.id}: no reduction on the {leg.value} leg")
    return out


def _with_zone(ctx: DiscountContext, zone: Zone | None) -> DiscountContext:
    return attrs.evolve(ctx, zone=zone)


def _rounded(d: Discount, rounding: Rounding) -> Discount:
    return attrs.evolve(d, rounding=rounding)
