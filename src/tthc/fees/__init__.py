"""Fees, postal tariffs, dated discounts and quotes — the money side of a procedure, in one namespace.

``tthc.fees`` gathers what a caller needs to price a dossier:

* :class:`Money` / :class:`Rounding` (from :mod:`tthc.foundation.money`): whole-đồng integers, currency kept, Vietnamese
  formatting (``30.500 đ``), named rounding for derived amounts.
* :class:`DatedValue` / :class:`Timeline` (:mod:`tthc.foundation.dated`): values with inclusive validity and references.
* :class:`FeeSchedule` (:mod:`tthc.fees.schedules`): dated phí / lệ phí per procedure and channel.
* :class:`Tariff` (:mod:`tthc.fees.tariffs`): postage per leg, zone and weight; beneficiary reductions (TT 22/2017).
* :class:`Discount` / :class:`DiscountSet` (:mod:`tthc.fees.discounts`): temporary, scoped, cited discounts.
* :func:`quote` / :class:`Quote` (:mod:`tthc.fees.quotes`): the itemised total.

See ``docs/fees.md`` for worked examples.
"""

from __future__ import annotations

from tthc.fees.discounts import (
    Combination,
    DecidingDate,
    Direction,
    Discount,
    DiscountContext,
    DiscountKind,
    DiscountSet,
    Scope,
)
from tthc.fees.quotes import LineKind, Quote, QuoteLine, quote
from tthc.fees.schedules import FeeMatch, FeeRate, FeeSchedule
from tthc.fees.tariffs import (
    Beneficiary,
    Leg,
    Surcharge,
    Tariff,
    TariffEntry,
    TariffService,
    VatTreatment,
    beneficiary_groups,
)
from tthc.foundation.dated import DatedValue, Timeline
from tthc.foundation.money import Money, Rounding
from tthc.postal.zones import Zone

__all__ = [
    "Beneficiary",
    "Combination",
    "DatedValue",
    "DecidingDate",
    "Direction",
    "Discount",
    "DiscountContext",
    "DiscountKind",
    "DiscountSet",
    "FeeMatch",
    "FeeRate",
    "FeeSchedule",
    "Leg",
    "LineKind",
    "Money",
    "Quote",
    "QuoteLine",
    "Rounding",
    "Scope",
    "Surcharge",
    "Tariff",
    "TariffEntry",
    "TariffService",
    "Timeline",
    "VatTreatment",
    "Zone",
    "beneficiary_groups",
    "quote",
]
