"""A downstream suite: the example portal's receipt slip tested with the tthc fixtures and strategies, the way a
one-stop backend's own tests would use the kit."""

from __future__ import annotations

from datetime import datetime

import pytest
from example_portal import render_receipt_slip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.catalog.collection import Catalog
from tthc.foundation.channels import Channel
from tthc.foundation.ids import DossierCode
from tthc.foundation.money import Money
from tthc.records.model import DossierRecord
from tthc.testing import strategies as tst
from tthc.testing.strategies import GeneratedDossier

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(tst.dossiers(outcomes=["open"]))
def test_the_slip_prints_the_engines_due_date_and_never_a_blank(d: GeneratedDossier) -> None:
    slip = render_receipt_slip(
        d.procedure,
        dossier_code=DossierCode(d.row["dossier_code"]),
        channel=d.channel,
        received_at=d.received_at,
        calendar=d.calendar,
    )
    assert slip.due == d.due
    assert str(slip.dossier_code) in slip.text
    assert "None" not in slip.text
    if d.due.due_at is None:
        assert "không quy định thời hạn" in slip.text
    else:
        assert d.due.due_at >= d.due.received_at
        assert f"{d.due.due_at:%d/%m/%Y}" in slip.text
        # a due date on a day off would send the applicant to a closed office
        assert d.calendar.is_working_day(d.due.due_at.date())
    assert ("chưa công bố" in slip.text) == (d.due.projected and d.due.due_at is not None)


@PROPS
@given(tst.dossiers(channels=[Channel.DIRECT], outcomes=["open"]))
def test_a_free_procedure_prints_zero(d: GeneratedDossier) -> None:
    slip = render_receipt_slip(
        d.procedure,
        dossier_code=DossierCode(d.row["dossier_code"]),
        channel=d.channel,
        received_at=d.received_at,
        calendar=d.calendar,
    )
    if d.option.fees and all(f.free for f in d.option.fees):
        assert slip.fee == Money.vnd(0)
        assert "Phí, lệ phí: 0 đ" in slip.text


CLOSURES_ONLY = tst.working_calendars(
    culture_day=st.just(True), overlays=tst.calendar_overlays(max_days=6).map(lambda ov: (ov[0], {}))
)


@PROPS
@given(tst.dossiers(outcomes=["open"]), CLOSURES_ONLY)
def test_a_provincial_closure_never_brings_the_due_date_forward(d: GeneratedDossier, closed: WorkingCalendar) -> None:
    """Extra days off (an overlay: a provincial closure) can only push a due date later, never earlier."""
    slip = render_receipt_slip(
        d.procedure,
        dossier_code=DossierCode(d.row["dossier_code"]),
        channel=d.channel,
        received_at=d.received_at,
        calendar=closed,
    )
    if d.due.due_at is not None:
        assert slip.due.due_at is not None
        assert slip.due.due_at >= d.due.due_at


@pytest.mark.tthc_calendar_version("2026")
def test_slip_for_a_friday_evening_before_tet(tthc_sample_catalog: Catalog, tthc_calendar: WorkingCalendar) -> None:
    """Received Fri 13 Feb 2026 16:30 (after the 15:00 cut-off, NĐ 61/2018 Điều 18.2), Tết off 14–22 Feb:
    a same-day procedure is due at the close of Mon 23 Feb 2026."""
    slip = render_receipt_slip(
        tthc_sample_catalog["1.001193.000.00.00.H21"],
        dossier_code=DossierCode("000.00.00.H21-260213-0001"),
        channel=Channel.DIRECT,
        received_at=datetime(2026, 2, 13, 16, 30),
        calendar=tthc_calendar,
    )
    assert "Ngày hẹn trả kết quả: 17:00 ngày 23/02/2026" in slip.text


def test_every_sample_dossier_gets_a_slip(
    tthc_dossiers: tuple[DossierRecord, ...], tthc_sample_catalog: Catalog, tthc_calendar: WorkingCalendar
) -> None:
    """The portal copes with the whole fixture dataset and agrees with the due dates recorded there."""
    for r in tthc_dossiers:
        slip = render_receipt_slip(
            tthc_sample_catalog[r.procedure_code],
            dossier_code=r.dossier_code,
            channel=r.channel,
            received_at=r.received_at,
            calendar=tthc_calendar,
        )
        if r.due_at is not None and slip.due.due_at is not None:
            assert slip.due.due_at.date() == r.due_at.date()
