"""Dossier timeline: supplement restart (NĐ 61/2018 Điều 19.4) vs QĐ 766 pause; one-time extension (Điều 19.9)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tthc.calendar.office_hours import load_office_hours
from tthc.calendar.working_calendar import public_sector_calendar
from tthc.deadlines.compute import VN_TZ, compute_due
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.supplements import (
    SupplementReading,
    due_after_supplement,
    extend_due,
    paused_due,
    supplement_readings,
    supplement_window_start,
)
from tthc.errors import ConflictError, InvalidValueError

WD = ProcessingTime.working_days


def test_restart_after_complete_supplement() -> None:
    """NĐ 61/2018 Điều 19.4: the processing time restarts from zero once the complete dossier arrives."""
    out = due_after_supplement(
        datetime(2026, 3, 2, 9), WD(10),
        supplement_requested_at=datetime(2026, 3, 4, 10), supplement_completed_at=datetime(2026, 3, 11, 9),
    )  # fmt: skip
    assert out.reading is SupplementReading.RESTART
    assert out.due_at == datetime(2026, 3, 25, 17, 0, tzinfo=VN_TZ)
    assert out.due_at == compute_due(datetime(2026, 3, 11, 9), WD(10)).due_at
    assert "118/2025/NĐ-CP [open]" in out.steps[0]  # the decree in force on the receipt date (2 Mar 2026)
    assert out.reference.document == "118/2025/NĐ-CP"
    assert not out.forced_late
    assert not out.request_late


def test_pause_reading_qd766_and_more_than_one_request_is_late() -> None:
    """QĐ 766 indicator 2.1: the supplement interval is subtracted; more than one supplement request = late."""
    both = supplement_readings(
        datetime(2026, 3, 2, 9), WD(10),
        supplement_requested_at=datetime(2026, 3, 4, 10), supplement_completed_at=datetime(2026, 3, 11, 9),
        supplement_count=2,
    )  # fmt: skip
    pause = both[SupplementReading.PAUSE]
    # original due Mon 16 Mar; 5 working days paused (Thu 5 – Wed 11 Mar) → Mon 23 Mar
    assert pause.due_at == datetime(2026, 3, 23, 17, 0, tzinfo=VN_TZ)
    assert pause.forced_late
    assert "766/QĐ-TTg" in pause.steps[0]
    assert not both[SupplementReading.RESTART].forced_late


def test_late_supplement_request_is_flagged() -> None:
    """Điều 19.4: the agency must ask for a supplement within 3 working days of receipt."""
    out = due_after_supplement(
        datetime(2026, 3, 2, 9), WD(10),
        supplement_requested_at=datetime(2026, 3, 9, 9), supplement_completed_at=datetime(2026, 3, 10, 9),
    )  # fmt: skip
    assert out.request_late
    assert "later than 3 working days" in out.steps[1]


def test_supplement_order_checked() -> None:
    with pytest.raises(InvalidValueError, match="supplement"):
        due_after_supplement(
            datetime(2026, 3, 2, 9), WD(10),
            supplement_requested_at=datetime(2026, 3, 10, 9), supplement_completed_at=datetime(2026, 3, 4, 9),
        )  # fmt: skip


def test_extension_once_and_late_notice() -> None:
    """NĐ 61/2018 Điều 19.9: new return date at the latest 1 day before expiry; moved only once."""
    due = datetime(2026, 3, 16, 17, tzinfo=VN_TZ)
    ok = extend_due(due, datetime(2026, 3, 20, 17), issued_at=datetime(2026, 3, 13, 10))
    assert not ok.late_notice
    late = extend_due(due, datetime(2026, 3, 20, 17), issued_at=datetime(2026, 3, 16, 9))
    assert late.late_notice
    assert "LATE" in late.steps[1]
    calendar_day = extend_due(
        due, datetime(2026, 3, 20, 17), issued_at=datetime(2026, 3, 15, 9), notice_in_working_days=False
    )
    assert not calendar_day.late_notice
    with pytest.raises(ConflictError, match="only once"):
        extend_due(due, datetime(2026, 3, 25, 17), issued_at=datetime(2026, 3, 12, 9), previous_extensions=1)
    with pytest.raises(InvalidValueError, match="new_due_at"):
        extend_due(due, datetime(2026, 3, 10, 17), issued_at=datetime(2026, 3, 9, 9))


@pytest.mark.parametrize(
    ("received", "document", "article"),
    [(datetime(2025, 6, 30, 9), "61/2018/NĐ-CP", "Điều 19.4"), (datetime(2025, 7, 1, 9), "118/2025/NĐ-CP", None)],
)
def test_supplement_rules_cite_the_version_in_force_on_the_receipt_date(
    received: datetime, document: str, article: str | None
) -> None:
    out = due_after_supplement(
        received,
        WD(5),
        supplement_requested_at=datetime(2025, 7, 10, 9),
        supplement_completed_at=datetime(2025, 7, 11, 9),
    )
    assert (out.reference.document, out.reference.article) == (document, article)
    assert out.request_late
    assert document in out.steps[1]


def test_extension_cites_the_version_in_force_on_the_receipt_date() -> None:
    due = datetime(2025, 7, 14, 17, tzinfo=VN_TZ)
    old = extend_due(
        due, datetime(2025, 7, 20, 17), issued_at=datetime(2025, 7, 10, 9), received_at=datetime(2025, 6, 30)
    )
    new = extend_due(due, datetime(2025, 7, 20, 17), issued_at=datetime(2025, 7, 10, 9))
    assert (old.reference.document, old.reference.article) == ("61/2018/NĐ-CP", "Điều 19.9")
    assert new.reference.document == "118/2025/NĐ-CP"


@pytest.mark.parametrize(("minute", "late"), [(59, True), (60, False)])
def test_supplement_window_counts_from_the_effective_receipt_day(minute: int, late: bool) -> None:
    """Điều 19.4 "3 working days from receipt" and the 15:00 cut-off (Điều 18.2): received Mon 2 Mar 2026 at 14:59
    the window ends Thu 5 Mar; at 15:00 the dossier counts as received Tue 3 Mar and the window ends Fri 6 Mar."""
    received = datetime(2026, 3, 2, 14, 0) + timedelta(minutes=minute)
    out = due_after_supplement(
        received, WD(10),
        supplement_requested_at=datetime(2026, 3, 6, 9), supplement_completed_at=datetime(2026, 3, 9, 9),
    )  # fmt: skip
    assert out.request_late is late
    assert supplement_window_start(received) == (date(2026, 3, 2) if late else date(2026, 3, 3))


def test_supplement_window_start_without_a_due_date() -> None:
    """An unspecified processing time has no due date, but the window still counts from the effective receipt."""
    out = due_after_supplement(
        datetime(2026, 3, 2, 15, 0), ProcessingTime.parse("Không quy định"),
        supplement_requested_at=datetime(2026, 3, 6, 9), supplement_completed_at=datetime(2026, 3, 9, 9),
    )  # fmt: skip
    assert out.request_late is False


def test_pause_keeps_the_due_at_the_close_of_the_new_days_hours() -> None:
    """QĐ 766 pause across the end of winter office hours (example data: 16:30 until 31 Mar 2026, then 17:00): a
    due instant at the close stays at the close of the new due day; one inside the sessions keeps its time."""
    cal = public_sector_calendar(office_hours=load_office_hours("example-northern-winter"))
    due_close = datetime(2026, 3, 30, 16, 30, tzinfo=VN_TZ)
    assert paused_due(cal, due_close, 3) == datetime(2026, 4, 2, 17, 0, tzinfo=VN_TZ)
    assert paused_due(cal, due_close, 0) == due_close
    inside = datetime(2026, 3, 30, 10, 15, tzinfo=VN_TZ)
    assert paused_due(cal, inside, 3) == datetime(2026, 4, 2, 10, 15, tzinfo=VN_TZ)
    # the reverse change (summer → winter): 17:00 on Tue 30 Sep 2025 → 16:30 on Thu 2 Oct 2025
    assert paused_due(cal, datetime(2025, 9, 30, 17, 0, tzinfo=VN_TZ), 2) == datetime(2025, 10, 2, 16, 30, tzinfo=VN_TZ)
    out = due_after_supplement(
        datetime(2026, 3, 16, 9), WD(10), reading=SupplementReading.PAUSE, calendar=cal,
        supplement_requested_at=datetime(2026, 3, 17, 9), supplement_completed_at=datetime(2026, 3, 20, 9),
    )  # fmt: skip
    assert out.base.due_at == datetime(2026, 3, 30, 16, 30, tzinfo=VN_TZ)
    assert out.due_at == datetime(2026, 4, 2, 17, 0, tzinfo=VN_TZ)
