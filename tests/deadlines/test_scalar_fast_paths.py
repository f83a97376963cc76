"""The inlined scalar paths of compute_due agree with the general ones they stand for.

* working hours under constant office hours walk the plan of the day and read the calendar tables inline; the general
  path is :meth:`WorkingCalendar.add_working_time` from the effective receipt instant;
* working days read the k-th working day inline; the general path is :meth:`WorkingCalendar.add_working_days`;
* a processing-time text is parsed once with its time before reductions; the general path is the value itself.

No timing here (benchmarks/deadlines.py measures).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.office_hours import DatedOfficeHours, OfficeHours
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines import compute as compute_module
from tthc.deadlines.compute import DueDate, compute_due
from tthc.deadlines.counting import VN_TZ, CountingRules, UnknownUnitPolicy
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
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


# -- the memos of the usual call (rules and profile not given) and the packed result -----------------------------------


def _reference(received: datetime, pt: ProcessingTime, channel: str, cal: WorkingCalendar) -> DueDate:
    """The same call with every memo bypassed: the rules of the receipt's era passed explicitly."""
    from tthc.deadlines.counting import _era, _rules_of_era

    return compute_due(received, pt, channel=channel, calendar=cal, rules=_rules_of_era(_era(received.date())))


units = st.sampled_from([ProcessingTime.working_hours, ProcessingTime.working_days, ProcessingTime.calendar_days])


@settings(max_examples=300, deadline=None)
@given(received=receipts, amount=st.integers(0, 40), unit=units, channel=channels, lang=st.sampled_from(["vi", "en"]))
def test_the_memoised_context_gives_what_explicit_rules_give(
    received: datetime, amount: int, unit: Callable[[int], ProcessingTime], channel: str, lang: str
) -> None:
    """Across the switch of instrument on 1 Jul 2025 (another era: other rules, other references) and every channel:
    the due instant, the effective time, the references and the trace in both languages are the same."""
    pt = unit(amount)
    due = compute_due(received, pt, channel=channel, calendar=CAL)
    ref = _reference(received, pt, channel, CAL)
    assert due == ref
    assert (due.due_at, due.effective_time, due.rules_applied) == (ref.due_at, ref.effective_time, ref.rules_applied)
    assert due.steps_in(lang) == ref.steps_in(lang)


def test_the_context_memo_follows_the_calendar() -> None:
    received = datetime(2026, 11, 20, 10, 0)
    pt = ProcessingTime.working_days(1)
    plain = compute_due(received, pt, calendar=CAL)
    for k in range(50):  # overlays made per request: each is its own calendar, with its own memo
        closed = CAL.with_overlay(extra_days_off={date(2026, 11, 23): f"closure {k}"})
        due = compute_due(received, pt, calendar=closed)
        assert due.due_date == date(2026, 11, 25)  # Mon 23 closed, Tue 24 Ngày Văn hóa: Wed 25
        assert len(closed._memo) == 1  # nothing kept outside the calendar: it goes when the calendar goes
    assert compute_due(received, pt, calendar=CAL) == plain
    hours = DatedOfficeHours(OfficeHours(((time(8), time(12)),)))
    short = CAL.with_overlay(office_hours=hours)
    assert compute_due(received, pt, calendar=short).due_at == datetime(2026, 11, 23, 12, tzinfo=VN_TZ)  # its close


def test_equal_amounts_of_another_type_keep_their_own_effective_time() -> None:
    """5 and Fraction(5) are equal dictionary keys; the memo of effective times tells them apart."""
    whole = compute_module._remember_effective(ProcessingTime.working_days(5))
    half = EffectiveTime(TimeUnit.WORKING_DAYS, Fraction(5))
    key = (TimeUnit.WORKING_DAYS._value_, Fraction, Fraction(5))
    assert compute_module._EFFECTIVE.get(key) is None
    assert type(whole.amount) is int
    assert half.amount == whole.amount


@settings(max_examples=200, deadline=None)
@given(received=receipts, days=st.integers(0, 30), text=st.sampled_from(["", "không quy định", "5"]))
def test_the_packed_result_reads_like_its_fields(received: datetime, days: int, text: str) -> None:
    """DueDate keeps its answer in one tuple; every public attribute reads the same, equality and hashing cover
    the same facts (never the calendar or the trace), with a due date or without one."""
    pt = ProcessingTime.parse(text) if text else ProcessingTime.working_days(days)
    rules = CountingRules(unknown_unit=UnknownUnitPolicy.NO_DUE_DATE)
    due = compute_due(received, pt, calendar=CAL, rules=rules)
    again = compute_due(received, pt, calendar=CAL.with_overlay(), rules=rules)  # another calendar object
    assert due == again
    assert hash(due) == hash(again)
    assert due.received_at == received.replace(tzinfo=VN_TZ)
    assert due.processing_time == pt
    if due.due_at is None:
        assert (due.counted_from, due.effective_received_at, due.projected) == (None, None, False)
        assert due.reason is not None
        assert due.rules_applied == ()
    else:
        assert due.reason is None
        assert due.counted_from is not None
        assert due.effective_received_at is not None
        assert due.effective_received_at.tzinfo is VN_TZ
        assert due.effective_time == EffectiveTime.of(pt)
        assert due.projected is CAL.is_projected(due.due_at.date())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        due.due_at = None  # type: ignore[misc]
