"""The event-driven Dossier: lifecycle and status codes, findings at their boundaries (both sides), impossible
sequences, the due instant in both readings, remaining / overdue working time, postal legs, JSON and record rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.deadlines.supplements import SupplementReading
from tthc.dossiers import (
    Delivered,
    DeliveryAttempted,
    Dossier,
    Extended,
    Finished,
    HandedOver,
    ImpossibleEventError,
    PostalPickup,
    ProcessingStarted,
    Received,
    Refused,
    ResultCollected,
    ResultDispatched,
    ReturnedToAgency,
    Stopped,
    SupplementCompleted,
    SupplementRequested,
    Timing,
    Withdrawn,
    parse_event,
)
from tthc.errors import InvalidCodeError, InvalidValueError, TthcError
from tthc.foundation.data_files import bundled_path
from tthc.records.model import VN_TZ, DossierRecord, DossierStatus

CAT = Catalog.load(bundled_path("sample_catalog.json"))
TEN_DAYS = CAT["2.001417"]  # 10 ngày làm việc on every channel; postal allowed
TRACK = "EB123456785VN"


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def desk(at: str = "2026-03-02 09:00", procedure: Procedure = TEN_DAYS, **kw: object) -> Dossier:
    return Dossier.start(
        Received(at=at),
        procedure=procedure,
        dossier_code="000.00.53.H48-260302-0001",
        agency_code="000.00.53.H48",
        **kw,  # type: ignore[arg-type]
    )


def codes(d: Dossier) -> list[str]:
    return [f.code for f in d.findings]


# -- lifecycle and status codes ----------------------------------------------------------------------------------------


def test_a_desk_dossier_moves_through_the_portal_status_codes() -> None:
    d = desk()
    assert (d.status, d.status.portal_code) == (DossierStatus.RECEIVED, 2)
    d2 = d.apply(ProcessingStarted(at="2026-03-02 10:00"))
    assert d2.status.portal_code == 4
    assert d.status.portal_code == 2  # immutable: apply returns a new dossier
    d3 = d2.apply(SupplementRequested(at="2026-03-03 09:00"))
    assert d3.status.portal_code == 5
    d4 = d3.apply(SupplementCompleted(at="2026-03-05 09:00"))
    assert d4.status.portal_code == 4
    d5 = d4.apply(Finished(at="2026-03-10 09:00"))
    assert d5.status.portal_code == 9
    assert d5.apply(ResultCollected(at="2026-03-11 09:00")).status.portal_code == 10
    assert d.apply(Refused(at="2026-03-02 09:30")).status.portal_code == 3
    assert d.apply(Withdrawn(at="2026-03-03 09:30")).status.portal_code == 7
    assert d.apply(Stopped(at="2026-03-03 09:30")).status.portal_code == 8
    assert Dossier.start(PostalPickup(at="2026-03-02 09:00"), processing_time="3 ngày làm việc").status.portal_code == 1


def test_the_processing_time_comes_from_the_published_row_of_the_channel() -> None:
    d = desk()
    assert str(d.processing_time) == "10 ngày làm việc"
    assert "row 1 of 1" in (d.setup.processing_time_source or "")
    given = Dossier.start(Received(at="2026-03-02 09:00"), processing_time="2 ngày làm việc")
    assert given.due().due_at == vn("2026-03-04 17:00")
    with pytest.raises(InvalidValueError, match="online"):
        Dossier.start(Received(at="2026-03-02 09:00", via="online"), procedure=CAT["1.002804"])


# -- findings, each at its boundary ------------------------------------------------------------------------------------


def test_supplement_requested_within_3_working_days_is_fine_and_later_is_a_finding() -> None:
    d = desk("2026-03-02 09:00")  # Mon; 3 working days later is Thu 5 Mar
    assert codes(d.apply(SupplementRequested(at="2026-03-05 16:59"))) == []
    late = d.apply(SupplementRequested(at="2026-03-06 08:00"))
    assert codes(late) == ["W_LATE_SUPPLEMENT_REQUEST"]
    f = late.findings[0]
    assert f.reference.document == "118/2025/NĐ-CP"
    assert f.reference.tag == "open"
    old = desk("2025-06-02 09:00").apply(SupplementRequested(at="2025-06-06 09:00"))
    assert old.findings[0].reference.document == "61/2018/NĐ-CP"
    assert old.findings[0].reference.article == "Điều 19.4"


def test_the_supplement_window_counts_working_days_across_a_weekend() -> None:
    d = desk("2026-03-05 09:00")  # Thu; Fri 6, Mon 9, Tue 10 → the 3rd working day is Tue 10 Mar
    assert codes(d.apply(SupplementRequested(at="2026-03-10 10:00"))) == []
    assert codes(d.apply(SupplementRequested(at="2026-03-11 10:00"))) == ["W_LATE_SUPPLEMENT_REQUEST"]


def test_a_second_supplement_request_is_a_finding_and_late_under_qd766() -> None:
    d = desk().apply_all(
        [
            SupplementRequested(at="2026-03-03 09:00"),
            SupplementCompleted(at="2026-03-04 09:00"),
        ]
    )
    assert codes(d) == []
    again = d.apply(SupplementRequested(at="2026-03-05 09:00"))
    assert codes(again) == ["W_REPEATED_SUPPLEMENT"]
    done = again.apply_all([SupplementCompleted(at="2026-03-06 09:00"), Finished(at="2026-03-09 09:00")])
    assert done.timeliness().pause is Timing.LATE  # QĐ 766: more than one request counts late
    assert done.timeliness().restart is Timing.EARLY


def test_extension_notice_one_working_day_before_the_due_date() -> None:
    d = desk("2026-03-02 09:00")  # 10 working days → due Mon 16 Mar 17:00
    assert d.due().due_at == vn("2026-03-16 17:00")
    # the notice must leave at least 1 working day up to the due day (the bulk validator's reading: working days d
    # with issue day < d <= due day): Sunday 15 Mar still leaves Monday 16 Mar; Monday itself leaves none
    on_time = d.apply(Extended(at="2026-03-15 09:00", new_due_at="2026-03-20 17:00"))
    assert codes(on_time) == []
    late = d.apply(Extended(at="2026-03-16 08:00", new_due_at="2026-03-20 17:00"))
    assert codes(late) == ["W_LATE_EXTENSION"]
    assert late.due().due_at == vn("2026-03-20 17:00")  # flagged, still honoured


def test_a_second_extension_is_a_finding_and_not_honoured() -> None:
    d = desk().apply(Extended(at="2026-03-10 09:00", new_due_at="2026-03-20 17:00"))
    twice = d.apply(Extended(at="2026-03-18 09:00", new_due_at="2026-03-27 17:00"))
    assert codes(twice) == ["E_SECOND_EXTENSION"]
    assert twice.due().due_at == vn("2026-03-20 17:00")
    assert "not honoured" in twice.findings[0].message


def test_an_extension_not_later_than_the_due_date_is_a_finding() -> None:
    d = desk()
    assert codes(d.apply(Extended(at="2026-03-10 09:00", new_due_at="2026-03-16 17:00"))) == ["W_EXTENSION_NOT_LATER"]
    assert codes(d.apply(Extended(at="2026-03-10 09:00", new_due_at="2026-03-16 17:01"))) == []


def test_processing_before_the_postal_handover_is_a_finding() -> None:
    d = Dossier.start(PostalPickup(at="2026-03-02 09:00"), procedure=TEN_DAYS)
    early = d.apply(ProcessingStarted(at="2026-03-03 09:00"))
    assert codes(early) == ["W_PROCESSING_BEFORE_HANDOVER"]
    assert early.findings[0].reference.document == "45/2016/QĐ-TTg"
    after = d.apply(HandedOver(at="2026-03-03 09:00")).apply(ProcessingStarted(at="2026-03-03 09:00"))
    assert codes(after) == []


# -- impossible sequences raise, naming the event and the rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "then", "words"),
    [
        (None, Delivered(at="2026-03-03 09:00"), "dispatched"),
        (None, ResultDispatched(at="2026-03-03 09:00", tracking_number=TRACK), "ready"),
        (None, Received(at="2026-03-03 09:00"), "received once"),
        (None, SupplementCompleted(at="2026-03-03 09:00"), "requested"),
        (None, HandedOver(at="2026-03-03 09:00"), "postal pickup"),
        (None, SupplementRequested(at="2026-03-01 09:00"), "time order"),
        (Withdrawn(at="2026-03-02 10:00"), Finished(at="2026-03-03 09:00"), "withdrawn"),
        (Finished(at="2026-03-02 10:00"), Extended(at="2026-03-03 09:00", new_due_at="2026-04-01 17:00"), "finished"),
        (SupplementRequested(at="2026-03-02 10:00"), Finished(at="2026-03-03 09:00"), "supplement"),
    ],
)
def test_impossible_sequences_raise(first: object, then: object, words: str) -> None:
    d = desk()
    if first is not None:
        d = d.apply(first)  # type: ignore[arg-type]
    with pytest.raises(ImpossibleEventError, match=words) as e:
        d.apply(then)  # type: ignore[arg-type]
    assert isinstance(e.value, TthcError)
    assert then.kind in str(e.value)  # type: ignore[attr-defined]


def test_a_dossier_starts_with_a_receipt_and_events_are_checked() -> None:
    with pytest.raises(ImpossibleEventError, match="starts with its receipt"):
        Dossier.start(Finished(at="2026-03-02 09:00"), processing_time="1 ngày làm việc")
    with pytest.raises(InvalidValueError, match="event"):
        desk().apply("finished")  # type: ignore[arg-type]
    with pytest.raises(InvalidCodeError, match="check digit"):
        ResultDispatched(at="2026-03-02 09:00", tracking_number="EB123456789VN")
    with pytest.raises(InvalidValueError, match="at"):
        Received(at="yesterday")


# -- what a portal asks ------------------------------------------------------------------------------------------------


def test_due_now_after_a_supplement_in_both_readings() -> None:
    d = desk("2026-03-02 09:00").apply_all(
        [SupplementRequested(at="2026-03-03 09:00"), SupplementCompleted(at="2026-03-06 09:00")]
    )
    restart = d.due()
    assert restart.due_at == vn("2026-03-20 17:00")  # 10 working days from Fri 6 Mar
    assert any("restarts" in s for s in restart.steps)
    pause = d.due(SupplementReading.PAUSE)
    assert pause.due_at == vn("2026-03-19 17:00")  # 16 Mar + 3 working days paused (Tue 3 → Fri 6)
    pending = desk().apply(SupplementRequested(at="2026-03-03 09:00")).due()
    assert pending.suspended


def test_remaining_and_overdue_working_time() -> None:
    d = desk("2026-03-02 09:00")  # due Mon 16 Mar 17:00
    assert d.remaining(datetime(2026, 3, 16, 15, 0)) == timedelta(hours=2)
    assert d.remaining(datetime(2026, 3, 13, 17, 0)) == timedelta(hours=8)  # Fri close → Mon: one office day
    assert d.overdue(datetime(2026, 3, 16, 15, 0)) == timedelta(0)
    assert d.overdue(datetime(2026, 3, 17, 9, 30)) == timedelta(hours=2)
    assert d.remaining(datetime(2026, 3, 17, 9, 30)) == timedelta(0)
    done = d.apply(Finished(at="2026-03-17 08:30"))
    assert done.overdue(datetime(2026, 4, 1)) == timedelta(hours=1)  # frozen at the end of processing
    assert done.timeliness().restart is Timing.LATE
    assert desk().timeliness(datetime(2026, 3, 16, 17, 0)).restart is Timing.OPEN_WITHIN
    assert desk().timeliness(datetime(2026, 3, 16, 17, 1)).restart is Timing.OPEN_OVERDUE
    assert desk().timeliness().restart is Timing.UNKNOWN


def test_the_postal_lifecycle_with_one_failed_delivery() -> None:
    d = Dossier.start(
        PostalPickup(at="2026-03-02 09:00", tracking_number=TRACK),
        procedure=TEN_DAYS,
        dossier_code="000.00.53.H48-260304-0001",
        agency_code="000.00.53.H48",
        result_by_post=True,
    )
    assert d.due().due_at is None
    assert "handover" in d.due().steps[0]
    d = d.apply_all(
        [
            HandedOver(at="2026-03-04 10:00"),
            SupplementRequested(at="2026-03-05 14:00"),
            SupplementCompleted(at="2026-03-09 09:00"),
            Finished(at="2026-03-19 16:00"),
            ResultDispatched(at="2026-03-20 09:00", tracking_number="EE123456785VN"),
            DeliveryAttempted(at="2026-03-23 10:00"),
            Delivered(at="2026-03-25 11:00"),
        ]
    )
    assert d.status is DossierStatus.RETURNED
    assert d.clock_started_at == vn("2026-03-04 10:00")  # the handover, not the pickup
    assert d.due().due_at == vn("2026-03-23 17:00")  # 10 working days from Mon 9 Mar (complete dossier)
    send, back = d.postal_legs()
    assert (send.estimate.days, send.on_time) == (2, True)
    assert back.attempts == (vn("2026-03-23 10:00"),)
    assert back.arrived_at == vn("2026-03-25 11:00")
    text = d.explain()
    for needle in ("45/2016/QĐ-TTg Điều 7.4", "17/2017/TT-BTTTT Điều 5.2", "17/2017/TT-BTTTT Điều 7", "restarts"):
        assert needle in text
    q = d.quote()
    assert {line.leg.value for line in q.lines if line.leg is not None} == {"send", "return"}


def test_returned_to_agency_then_collected() -> None:
    d = desk().apply_all(
        [
            Finished(at="2026-03-05 09:00"),
            ResultDispatched(at="2026-03-05 10:00", tracking_number=TRACK),
            DeliveryAttempted(at="2026-03-09 10:00"),
            DeliveryAttempted(at="2026-03-11 10:00"),
            ReturnedToAgency(at="2026-03-12 10:00"),
        ]
    )
    assert d.status is DossierStatus.PROCESSED
    with pytest.raises(ImpossibleEventError):
        d.apply(Delivered(at="2026-03-13 10:00"))
    assert d.apply(ResultCollected(at="2026-03-13 10:00")).status is DossierStatus.RETURNED


# -- JSON and record rows ----------------------------------------------------------------------------------------------


def test_json_round_trip_replays_the_events() -> None:
    d = desk().apply_all(
        [
            SupplementRequested(at="2026-03-09 09:00"),
            SupplementCompleted(at="2026-03-10 09:00"),
            Extended(at="2026-03-20 09:00", new_due_at="2026-03-30 17:00", reason="cần xác minh"),
        ]
    )
    back = Dossier.from_json(d.to_json())
    assert back == d
    assert back.findings == d.findings
    assert codes(back) == ["W_LATE_SUPPLEMENT_REQUEST"]
    assert back.due() == d.due()
    assert parse_event({"kind": "delivered", "at": "2026-03-02T09:00"}).kind == "delivered"
    with pytest.raises(InvalidValueError):
        Dossier.from_json('{"setup": {}, "events": [{"kind": "nope"}]}')


def test_record_round_trip() -> None:
    d = desk().apply_all(
        [
            SupplementRequested(at="2026-03-03 09:00"),
            SupplementCompleted(at="2026-03-04 09:00"),
            Extended(at="2026-03-12 09:00", new_due_at="2026-03-25 17:00"),
            Finished(at="2026-03-24 09:00"),
            ResultCollected(at="2026-03-24 10:00"),
        ]
    )
    rec = d.to_record()
    assert isinstance(rec, DossierRecord)
    assert (rec.status, rec.supplement_count, rec.extension_count) == (DossierStatus.RETURNED, 1, 1)
    assert rec.due_at == vn("2026-03-16 17:00")  # the appointment at receipt
    back = Dossier.from_record(rec, procedure=TEN_DAYS)
    assert back.to_record() == rec
    assert back.due() == d.due()
    assert back.timeliness() == d.timeliness()
    row = {k: v for k, v in rec.model_dump(mode="json").items() if v is not None}
    assert Dossier.from_record(row, procedure=TEN_DAYS).to_record() == rec
    with pytest.raises(InvalidValueError, match="dossier_code"):
        Dossier.start(Received(at="2026-03-02 09:00"), procedure=TEN_DAYS).to_record()
    with pytest.raises(InvalidValueError, match="procedure"):
        Dossier.from_record(rec, procedure=CAT["1.002809"])


def test_profile_applies_to_the_dossier() -> None:
    law = desk("2026-03-02 10:07")
    portal = desk("2026-03-02 10:07", profile="opencps")
    assert law.due().due_at == vn("2026-03-16 17:00")
    assert portal.due().due_at == vn("2026-03-16 10:15")
    assert "opencps" in portal.explain()
    with pytest.raises(InvalidValueError, match="profile"):
        desk(profile="nope")


def test_an_impossible_event_is_worded_in_one_language() -> None:
    from tthc.foundation.error_words import error_text

    d = desk()
    with pytest.raises(ImpossibleEventError) as early:
        d.apply(SupplementRequested(at="2026-03-01 09:00"))
    assert error_text(early.value, "vi").startswith(
        "event: cần các sự kiện phải theo thứ tự thời gian (sự kiện trước lúc 2026-03-02 09:00) — sự kiện "
        "supplement_requested không thể xảy ra ở bước này, nhận được "
    )
    with pytest.raises(ImpossibleEventError) as twice:
        d.apply(Received(at="2026-03-03 09:00"))
    assert "hồ sơ chỉ được tiếp nhận một lần, là sự kiện đầu tiên — sự kiện received" in error_text(twice.value, "vi")
    # English stays the library's own line
    assert error_text(twice.value, "en") == str(twice.value)
    assert "a dossier is received once, as its first event — received cannot come here" in str(twice.value)
