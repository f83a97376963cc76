"""Money in tthc.fees and dated fee schedules (issue 4 items 1 and 3)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

import tthc
import tthc.fees as fees
from tthc.catalog.collection import Catalog
from tthc.catalog.model import FeeKind
from tthc.fees.quotes import LineKind, quote
from tthc.fees.schedules import FeeSchedule
from tthc.foundation.channels import Channel
from tthc.foundation.data_files import load_json
from tthc.foundation.money import Money

CAT = Catalog.sample()
EXCHANGE = CAT["1.002809"]  # cấp đổi giấy phép lái xe
EXAM = CAT["1.002804"]  # sát hạch cấp giấy phép lái xe: a charge and a state fee


def test_money_is_re_exported_not_redefined() -> None:
    assert fees.Money is tthc.Money
    assert fees.Rounding is tthc.Rounding
    assert Money.vnd(30_500).format_vi() == "30.500 đ"
    assert str(Money.vnd(30_500)) == "30500 VND"


@pytest.mark.parametrize(
    ("day", "amount"),
    [(date(2023, 11, 30), None), (date(2023, 12, 1), 115_000), (date(2025, 12, 31), 115_000), (date(2026, 1, 1), None)],
)
def test_online_driving_licence_fee_is_dated(day: date, amount: int | None) -> None:
    """TT 63/2023/TT-BTC [2nd]: online driving-licence fee 115,000 đ from 1 Dec 2023 to 31 Dec 2025 inclusive."""
    found = FeeSchedule.bundled().lookup(EXCHANGE, Channel.ONLINE, day)
    if amount is None:
        assert not found.rates
        assert found.not_in_force
        assert "2023-12-01..2025-12-31" in found.not_in_force[0]
    else:
        (rate,) = found.rates
        assert rate.value.amount == Money.vnd(amount)
        assert rate.reference is not None
        assert rate.reference.document == "63/2023/TT-BTC"


def test_paper_rate_and_the_schedule_replaces_only_its_kind() -> None:
    """The paper rate (135,000 đ) replaces the catalog's lệ phí line; the exam charge (phí) stays."""
    q = quote(EXAM, channel="direct", on=date(2024, 6, 1))
    fee_lines = [(ln.fee_kind, ln.amount) for ln in q.lines if ln.kind is LineKind.FEE]
    assert (FeeKind.STATE_FEE, Money.vnd(135_000)) in fee_lines
    assert (FeeKind.CHARGE, Money.vnd(350_000)) in fee_lines
    assert len(fee_lines) == 2


def test_fee_schedule_overlap_is_a_conflict() -> None:
    raw = copy.deepcopy(load_json("fee_schedules.json"))
    clash = copy.deepcopy(raw["schedules"][0])
    clash["id"] = "clash"
    clash["valid_from"] = "2025-12-31"
    clash["valid_until"] = None
    raw["schedules"].append(clash)
    with pytest.raises(tthc.ConflictError, match="driving_licence / online"):
        FeeSchedule.from_dict(raw)


def test_fee_schedule_bad_input() -> None:
    raw = copy.deepcopy(load_json("fee_schedules.json"))
    raw["schedules"][0]["amount"] = -1
    with pytest.raises(tthc.DataFileError, match="amount"):
        FeeSchedule.from_dict(raw)


def test_fee_exemption_for_a_group() -> None:
    raw = copy.deepcopy(load_json("fee_schedules.json"))
    raw["schedules"][1]["exempt_groups"] = ["war_invalid"]
    q = quote(
        EXAM, channel="direct", on=date(2024, 6, 1), beneficiary="war_invalid", fee_schedule=FeeSchedule.from_dict(raw)
    )
    exempt = [ln for ln in q.lines if ln.fee_kind is FeeKind.STATE_FEE]
    assert exempt[0].amount == Money.vnd(0)
    assert "exempt" in exempt[0].label


def test_catalog_fees_per_channel() -> None:
    """Fees come from the procedure's channel rows (online may be cheaper)."""
    status = CAT["1.000893"]
    assert quote(status, channel="direct", on=date(2024, 1, 1), fee_schedule=FeeSchedule.empty()).total == Money.vnd(
        5_000
    )
    assert quote(status, channel="online", on=date(2024, 1, 1)).total == Money.vnd(2_500)
