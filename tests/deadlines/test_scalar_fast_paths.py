"""The inlined scalar paths of compute_due agree with the general ones they stand for.

* working hours under constant office hours walk the plan of the day and read the calendar tables inline; the general
  path is :meth:`WorkingCalendar.add_working_time` from the effective receipt instant;
* working days read the k-th working day inline; the general path is :meth:`WorkingCalendar.add_working_days`;
* a processing-time text is parsed once with its time before reductions; the general path is the value itself.

No timing here (benchmarks/deadlines.py measures).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import public_sector_calendar
from tthc.deadlines.compute import compute_due
from tthc.deadlines.counting import VN_TZ
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.reductions import EffectiveTime
from tthc.errors import ParseError

CAL = public_sector_calendar()

receipts = st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31))
channels = st.sampled_from(["direct", "online", "postal"])


@settings(max_examples=400, deadline=None)
@given(received=receipts, hours=st.integers(0, 200), channel=channels)
def test_working_hours_equal_add_working_time_from_the_effective_receipt(
    received: datetime, hours: int, channel: str
) -> None:
    received = received.replace(microsecond=0)  # the engine counts whole seconds; add_working_time microseconds
    due = compute_due(received, ProcessingTime.working_hours(hours), channel=channel, calendar=CAL)
    assert due.due_at is not None
    assert due.effective_received_at is not None
    general = CAL.add_working_time(due.effective_received_at, timedelta(hours=hours))
    assert due.due_at == general
    assert due.due_at.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(received=receipts, days=st.integers(1, 60), channel=channels)
def test_working_days_equal_add_working_days_from_the_receipt_day(received: datetime, days: int, channel: str) -> None:
    due = compute_due(received, ProcessingTime.working_days(days), channel=channel, calendar=CAL)
    assert due.counted_from is not None
    assert due.due_date is not None
    assert due.due_date == CAL.add_working_days(due.counted_from, days)
    assert due.due_at is not None
    assert due.due_at.time() == time(17)


@settings(max_examples=200, deadline=None)
@given(received=receipts, hours=st.integers(0, 60), unit=st.sampled_from(["Giờ", "Giờ làm việc", "ngày làm việc"]))
def test_a_text_seen_again_gives_the_same_result_and_effective_time(received: datetime, hours: int, unit: str) -> None:
    text = f"{hours} {unit}"
    value = ProcessingTime.parse(text)
    first, again = compute_due(received, text, calendar=CAL), compute_due(received, text, calendar=CAL)
    by_value = compute_due(received, value, calendar=CAL)
    assert first == again == by_value
    assert first.steps == by_value.steps
    assert first.effective_time == EffectiveTime.of(value)


def test_a_text_that_does_not_parse_is_refused_every_time() -> None:
    for _ in range(3):
        with pytest.raises(ParseError):
            compute_due(datetime(2026, 3, 2, 9), "năm ngày", calendar=CAL)


def test_aware_and_naive_instants_of_add_working_time() -> None:
    """The naive fast path of the working-time split gives what the aware path gives, in local time."""
    naive = datetime(2026, 3, 2, 14, 0, 0, 250)
    aware = naive.replace(tzinfo=VN_TZ)
    got_naive = CAL.add_working_time(naive, timedelta(hours=5))
    got_aware = CAL.add_working_time(aware, timedelta(hours=5))
    assert got_naive.tzinfo is None
    assert got_aware.tzinfo is VN_TZ
    assert got_aware.replace(tzinfo=None) == got_naive == datetime(2026, 3, 3, 9, 30, 0, 250)
    assert CAL.add_working_time(date(2026, 3, 2), timedelta(hours=1)) == datetime(2026, 3, 2, 8, 30)
