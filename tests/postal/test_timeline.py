"""Postal dossier timeline: transit standards, handover record, failed deliveries (issue 4 item 8)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tthc
from tthc.calendar.working_calendar import public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.deadlines.compute import compute_due
from tthc.postal.timeline import (
    EventKind,
    TransitTable,
    delivery_attempts,
    postal_dossier_timeline,
    transit_estimate,
)
from tthc.postal.zones import Zone

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = public_sector_calendar()
CAT = Catalog.sample()
MON = date(2024, 3, 4)  # an ordinary Monday


@pytest.mark.parametrize(
    ("zone", "n", "n_slip"),
    [
        (Zone.SAME_DISTRICT, 1, 2),
        (Zone.BETWEEN_DISTRICTS, 2, 4),
        (Zone.BETWEEN_PROVINCES_MAJOR_CITY, 3, 6),
        (Zone.BETWEEN_PROVINCES_OTHER, 4, 8),
    ],
)
def test_transit_standards_tt17_2017_art_7(zone: Zone, n: int, n_slip: int) -> None:
    """TT 17/2017/TT-BTTTT Điều 7: J+1 / J+2 / J+3 / J+4, doubled with delivery of the appointment slip."""
    t = transit_estimate(MON, zone)
    assert t.days == n
    assert t.arrives_by == CAL.add_working_days(MON, n)
    assert t.reference.document == "17/2017/TT-BTTTT"
    assert transit_estimate(MON, zone, with_appointment_slip=True).days == n_slip


def test_transit_counts_working_days() -> None:
    """J+1 from Wed 1 Apr 2020 skips Hùng Kings day (Thu 2 Apr 2020): Fri 3 Apr."""
    assert transit_estimate(date(2020, 4, 1), Zone.SAME_DISTRICT).arrives_by == date(2020, 4, 3)
    assert transit_estimate(date(2024, 3, 8), Zone.SAME_DISTRICT).arrives_by == date(2024, 3, 11)  # Fri → Mon


def test_coarse_and_post_2025_zones_take_the_longest_standard() -> None:
    t = transit_estimate(MON, Zone.BETWEEN_PROVINCES)
    assert t.days == 4
    assert t.estimate_range
    after = transit_estimate(date(2025, 7, 7), Zone.SAME_COMMUNE)
    assert after.days == 1
    assert any("[open]" in n for n in after.notes)
    assert transit_estimate(date(2025, 7, 7), Zone.WITHIN_PROVINCE).days == 2
    with pytest.raises(tthc.InvalidValueError) as info:
        transit_estimate(date(2025, 7, 7), Zone.SAME_DISTRICT)
    assert info.value.field == "route"


def test_failed_delivery_attempts_tt17_2017_art_5_2() -> None:
    """TT 17/2017/TT-BTTTT Điều 5.2: two attempts, 2 working days apart, then back to the agency."""
    plan = delivery_attempts(date(2024, 3, 7))  # Thursday
    assert plan.attempts == (date(2024, 3, 7), date(2024, 3, 11))
    assert plan.back_to_agency_after == date(2024, 3, 11)
    assert plan.reference.article == "Điều 5.2"


def test_the_agency_clock_starts_at_the_handover_record() -> None:
    """QĐ 45/2016/QĐ-TTg Điều 7.4: processing time counts from the signed handover record, not from pickup."""
    p = CAT["2.001417"]  # judicial record: a processing time in working days
    handover = datetime(2024, 3, 6, 9, 0, tzinfo=VN)
    tl = postal_dossier_timeline(p, service="both", route="between_districts", picked_up_on=MON, handover_at=handover)
    assert tl.due is not None
    expected = compute_due(handover, p.options(tthc.Channel.POSTAL)[0].processing_time or "", channel="postal")
    assert tl.due.due_at == expected.due_at
    kinds = [e.kind for e in tl.events]
    assert kinds[:3] == [EventKind.PICKUP, EventKind.ARRIVAL, EventKind.HANDOVER]
    assert kinds[-1] is EventKind.DELIVERY
    h = tl.event(EventKind.HANDOVER)
    assert h is not None
    assert not h.estimated
    assert h.reference is not None
    assert h.reference.article == "Điều 7.4"
    assert [e.day for e in tl.events] == sorted(e.day for e in tl.events)


def test_estimated_handover_is_said_to_be_an_estimate() -> None:
    tl = postal_dossier_timeline(CAT["2.001417"], service="send", route="same_district", picked_up_on=MON)
    h = tl.event(EventKind.HANDOVER)
    assert h is not None
    assert h.estimated
    assert h.at == datetime.combine(CAL.add_working_days(MON, 1), time(8, 0), VN)
    assert tl.event(EventKind.DELIVERY) is None  # send only: the result is collected at the desk
    assert tl.event(EventKind.APPOINTMENT_SLIP) is not None
    assert any("handover record not given" in n for n in tl.notes)


def test_return_only_timeline_and_failed_delivery() -> None:
    received = datetime(2024, 3, 4, 9, 0, tzinfo=VN)
    tl = postal_dossier_timeline(
        CAT["2.001417"],
        service="return",
        route="same_district",
        received_at=received,
        channel=tthc.Channel.ONLINE,
        failed_attempts=2,
    )
    kinds = [e.kind for e in tl.events]
    assert kinds[0] is EventKind.RECEIPT
    assert kinds.count(EventKind.DELIVERY_ATTEMPT) == 2
    assert kinds[-1] is EventKind.BACK_TO_AGENCY
    one_fail = postal_dossier_timeline(
        CAT["2.001417"], service="return", route="same_district", received_at=received, failed_attempts=1
    )
    assert [e.kind for e in one_fail.events][-2:] == [EventKind.DELIVERY_ATTEMPT, EventKind.DELIVERY]


def test_timeline_bad_input() -> None:
    p = CAT["2.001417"]
    with pytest.raises(tthc.InvalidValueError) as info:
        postal_dossier_timeline(p, service="send", route="same_district")
    assert info.value.field == "picked_up_on"
    with pytest.raises(tthc.InvalidValueError) as info:
        postal_dossier_timeline(p, service="return", route="same_district")
    assert info.value.field == "received_at"
    with pytest.raises(tthc.InvalidValueError):
        postal_dossier_timeline(p, service="both", route="x", picked_up_on=MON)
    with pytest.raises(tthc.InvalidValueError):
        postal_dossier_timeline(p, service="both", route="same_district", picked_up_on=MON, failed_attempts=-1)


def test_transit_table_is_data() -> None:
    t = TransitTable.bundled()
    assert repr(t.rules[Zone.SAME_DISTRICT]) == "<transit same_district: J+1 (J+2 with appointment slip)>"


@given(st.dates(date(2017, 1, 1), date(2025, 6, 30)), st.sampled_from(list(Zone)))
def test_slip_delivery_never_precedes_arrival(day: date, zone: Zone) -> None:
    plain = transit_estimate(day, zone)
    slip = transit_estimate(day, zone, with_appointment_slip=True)
    assert day <= plain.arrives_by <= slip.arrives_by
    assert CAL.working_days_between(day, plain.arrives_by) == plain.days
