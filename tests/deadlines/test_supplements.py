"""Dossier timeline: supplement restart (NĐ 61/2018 Điều 19.4) vs QĐ 766 pause; one-time extension (Điều 19.9)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tthc.deadlines.compute import VN_TZ, compute_due
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.supplements import SupplementReading, due_after_supplement, extend_due, supplement_readings
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
    assert "Điều 19.4" in out.steps[0]
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
