"""compute_due straight through (tthc.deadlines.straight) where the other tests cannot reach it: its per-calendar
contexts built in the test, the references each era cites, rules in force other than today's, and the edges of the
compiled range — found by mutation testing (scripts/mutation.sh).

The straight path reads what a receipt's era and channel decide from the calendar's memo, built on the first call.
The default calendar's memo is built once per process, so a test on it checks the building only once; here every
test builds its own calendar (``CAL.with_overlay()``: the same days, an empty memo) and forgets the cached
references, so the building runs inside the test. What is built is checked against the general path (the same call
with the rules passed explicitly) and, for what both paths share (the references), against the data directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import attrs
import pytest

from tthc.calendar.office_hours import DatedOfficeHours, OfficeHours
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines import compute as compute_module
from tthc.deadlines import counting, straight
from tthc.deadlines.compute import DueDate, compute_due
from tthc.deadlines.counting import VN_TZ, CountingRules, counting_references, counting_rule
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import CalendarRangeError
from tthc.foundation.channels import Channel

CAL = public_sector_calendar()
CHANNELS = list(Channel)


@pytest.fixture(autouse=True)
def _fresh_references() -> Iterator[None]:
    straight._refs.cache_clear()  # built again in the test, by the code under test
    yield
    straight._refs.cache_clear()


def _fresh(cal: WorkingCalendar = CAL) -> WorkingCalendar:
    fresh = cal.with_overlay()
    assert not fresh._memo
    return fresh


def _is_straight(due: DueDate) -> bool:
    return due._known[1].__class__ is not tuple  # answered straight through: the channel in the trace's place


def _facts(due: DueDate) -> tuple[object, ...]:
    return (
        due.due_at, due.received_at, due.effective_received_at, due.counted_from, due.processing_time,
        due.effective_time, due.projected, due.reason, due.rules_applied, repr(due),
    )  # fmt: skip


def _same_as_general(
    received: datetime, pt: ProcessingTime, channel: Channel, cal: WorkingCalendar, rules: CountingRules | None = None
) -> DueDate:
    """The usual call answered straight through, checked fact by fact and trace against the general path (the rules
    of the receipt's era, or ``rules``, passed explicitly)."""
    due = compute_due(received, pt, channel=channel, calendar=cal)
    assert _is_straight(due)
    explicit = rules or counting._rules_of_era(counting._era(received.date()))
    ref = compute_due(received, pt, channel=channel, calendar=cal, rules=explicit)
    assert not _is_straight(ref)
    assert _facts(due) == _facts(ref)
    assert due.steps_in("en") == ref.steps_in("en")
    return due


# both sides of each switch of the cut-off's instrument (16 Dec 2016, 1 Jul 2025), before and after the 15:00 cut-off
RECEIPTS = [
    datetime(2016, 12, 15, 10), datetime(2016, 12, 16, 15, 30), datetime(2025, 6, 30, 14, 59, 59),
    datetime(2025, 7, 1, 10), datetime(2026, 3, 2, 16),
]  # fmt: skip


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_references_are_those_in_force_on_the_receipt_day(channel: Channel) -> None:
    """The cut-off's instrument in force on the receipt day first (NĐ 61/2018 before 1 Jul 2025, NĐ 118/2025 from
    then), then the Civil Code rules, then the postal handover's for a postal dossier — built in this test."""
    cal = _fresh()
    table = counting_references()
    for received in RECEIPTS:
        for pt in (ProcessingTime.working_days(3), ProcessingTime.working_hours(5)):
            due = _same_as_general(received, pt, channel, cal)
            expected = [counting_rule("receipt_cutoff", received.date()).reference]
            expected += [table["receipt_day_not_counted"], table["due_at_end_of_office_hours"]]
            if channel is Channel.POSTAL:
                expected.append(counting_rule("postal_handover", received.date()).reference)
            assert list(due.rules_applied) == expected
    assert (
        counting_rule("receipt_cutoff", date(2025, 6, 30)).reference
        != counting_rule("receipt_cutoff", date(2025, 7, 1)).reference
    )  # the two eras cite different instruments: the test can tell them apart


@pytest.mark.parametrize(
    ("received", "pt", "projected"),
    [
        (datetime(2026, 12, 30, 10), ProcessingTime.working_days(1), False),  # due Thu 31 Dec 2026: announced
        (datetime(2026, 12, 31, 9), ProcessingTime.working_hours(2), False),
        (datetime(2026, 12, 31, 10), ProcessingTime.working_days(1), True),  # due Mon 4 Jan 2027: projected
        (datetime(2026, 12, 31, 16, 30), ProcessingTime.working_hours(1), True),
    ],
)
def test_projected_from_the_day_after_the_last_announced_year(
    received: datetime, pt: ProcessingTime, projected: bool
) -> None:
    due = _same_as_general(received, pt, Channel.DIRECT, _fresh())
    assert due.projected is projected


def test_a_calendar_without_an_announced_year_projects_every_due_day() -> None:
    """Even a due day on the first or second day of the range (day index 0 and 1)."""
    weekly = WorkingCalendar.compile(first=date(2026, 3, 2), last=date(2026, 12, 31), days_off={}, working_days={})
    assert weekly.last_announced_year is None
    for received, pt, due_on in [
        (datetime(2026, 3, 2, 9), ProcessingTime.working_hours(2), date(2026, 3, 2)),
        (datetime(2026, 3, 2, 9), ProcessingTime.working_days(1), date(2026, 3, 3)),
        (datetime(2026, 3, 2, 15), ProcessingTime.working_hours(1), date(2026, 3, 3)),
    ]:
        due = _same_as_general(received, pt, Channel.DIRECT, weekly)
        assert due.projected is True
        assert due.due_date == due_on


def test_session_starts_off_the_whole_minute() -> None:
    """A receipt in the lunch break counts from the afternoon's opening to the second (13:00:30)."""
    hours = OfficeHours(((time(7, 30, 15), time(11, 30, 45)), (time(13, 0, 30), time(17, 0, 10))))
    cal = CAL.with_overlay(office_hours=DatedOfficeHours(hours))
    for channel in CHANNELS:
        due = _same_as_general(datetime(2026, 3, 2, 12), ProcessingTime.working_hours(2), channel, cal)
        assert due.effective_received_at == datetime(2026, 3, 2, 13, 0, 30, tzinfo=VN_TZ)
        assert due.due_at == datetime(2026, 3, 2, 15, 0, 30, tzinfo=VN_TZ)
        due = _same_as_general(datetime(2026, 3, 2, 16), ProcessingTime.working_days(1), channel, cal)
        assert due.effective_received_at == datetime(2026, 3, 3, 7, 30, 15, tzinfo=VN_TZ)
        assert due.due_at == datetime(2026, 3, 4, 17, 0, 10, tzinfo=VN_TZ)


def test_zero_working_days_is_the_receipt_day() -> None:
    cal = _fresh()
    for received, day in [
        (datetime(2026, 3, 2, 9), date(2026, 3, 2)),
        (datetime(2026, 3, 2, 15), date(2026, 3, 3)),
        (datetime(2026, 3, 7, 9), date(2026, 3, 9)),  # a Saturday: the next working day
    ]:
        due = compute_due(received, ProcessingTime.working_days(0), calendar=cal)
        ref = compute_due(received, ProcessingTime.working_days(0), calendar=cal, rules=counting._rules_of_era(2))
        assert _facts(due) == _facts(ref)
        assert due.due_date == day


# -- rules in force other than today's: the straight path follows the era's rules, whatever they say ----------------


def _in_force(monkeypatch: pytest.MonkeyPatch, **changes: object) -> CountingRules:
    """Make the default rules of every era those rules with ``changes``, as a new decree would: for the straight
    path and for the general path without rules (which explains a straight answer)."""
    changed = attrs.evolve(counting._rules_of_era(2), **changes)  # type: ignore[arg-type]
    monkeypatch.setattr(counting, "_rules_of_era", lambda era: changed)
    monkeypatch.setattr(compute_module, "_rules_of_era", lambda era: changed)
    return changed


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_online_cutoff_other_than_the_counter_s(monkeypatch: pytest.MonkeyPatch, channel: Channel) -> None:
    """An online cut-off of 16:30: an online dossier received at 15:30 counts that day, one at the counter or by post
    the next working day."""
    rules = _in_force(monkeypatch, online_cutoff=time(16, 30))
    cal = _fresh()
    cases = [
        (datetime(2026, 3, 2, 15, 30), datetime(2026, 3, 2, 16, 30)),
        (datetime(2026, 3, 2, 16, 29, 59), datetime(2026, 3, 3, 7, 59, 59)),  # 30 min 1 s that day, the rest next
        (datetime(2026, 3, 2, 16, 30), datetime(2026, 3, 3, 8, 30)),
    ]
    for received, online_due in cases:
        due = _same_as_general(received, ProcessingTime.working_hours(1), channel, cal, rules)
        expected = online_due if channel is Channel.ONLINE else datetime(2026, 3, 3, 8, 30)
        assert due.due_at == expected.replace(tzinfo=VN_TZ)


def test_a_receipt_day_that_counts_as_day_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _in_force(monkeypatch, receipt_day_counted=True)
    cal = _fresh()
    for days, due_on in [(2, date(2026, 3, 3)), (5, date(2026, 3, 6)), (6, date(2026, 3, 9))]:
        due = _same_as_general(datetime(2026, 3, 2, 9), ProcessingTime.working_days(days), Channel.DIRECT, cal, rules)
        assert due.due_date == due_on
    for received, day in [(datetime(2026, 3, 2, 9), date(2026, 3, 2)), (datetime(2026, 3, 2, 15), date(2026, 3, 3))]:
        one = compute_due(received, ProcessingTime.working_days(1), calendar=cal)  # the receipt day itself
        assert _facts(one) == _facts(compute_due(received, ProcessingTime.working_days(1), calendar=cal, rules=rules))
        assert one.due_date == day


def test_office_hours_of_the_rules_win_over_the_calendar_s(monkeypatch: pytest.MonkeyPatch) -> None:
    hours = OfficeHours(((time(8), time(12)), (time(13), time(16, 30))))
    rules = _in_force(monkeypatch, office_hours=hours)
    cal = _fresh()
    due = _same_as_general(datetime(2026, 3, 2, 7, 45), ProcessingTime.working_hours(4), Channel.DIRECT, cal, rules)
    assert due.effective_received_at == datetime(2026, 3, 2, 8, tzinfo=VN_TZ)
    assert due.due_at == datetime(2026, 3, 2, 12, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    "changes",
    [{"saturday_receipt_counts": True}, {"day_as_working_hours": 8}, {"round_due_up_minutes": 15}],
)
def test_rules_the_straight_path_cannot_follow_go_to_the_general_path(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, object]
) -> None:
    _in_force(monkeypatch, **changes)
    cal = _fresh()
    for pt in (ProcessingTime.working_days(3), ProcessingTime.working_hours(5)):
        assert not _is_straight(compute_due(datetime(2026, 3, 2, 9), pt, calendar=cal))


# -- the edges of the compiled range (2000-01-01..2100-12-31; Friday 31 Dec 2100 is its last working day) -----------


@pytest.mark.parametrize(
    ("received", "pt"),
    [
        (datetime(2101, 1, 1, 9), ProcessingTime.working_days(1)),  # the day after the range
        (datetime(2100, 12, 31, 9), ProcessingTime.working_days(1)),  # one working day past the last
        (datetime(2100, 12, 31, 9), ProcessingTime.working_hours(9)),  # the next day's second hour
    ],
)
def test_just_past_the_range_is_a_range_error(received: datetime, pt: ProcessingTime) -> None:
    with pytest.raises(CalendarRangeError):
        compute_due(received, pt, calendar=CAL)


def test_the_last_day_of_the_range_is_answered() -> None:
    due = _same_as_general(datetime(2100, 12, 31, 9), ProcessingTime.working_hours(6), Channel.DIRECT, CAL)
    assert due.due_at == datetime(2100, 12, 31, 16, 30, tzinfo=VN_TZ)
    first = _same_as_general(datetime(2000, 1, 3, 9), ProcessingTime.working_days(1), Channel.DIRECT, CAL)
    assert first.counted_from is not None
    assert first.due_date == CAL.add_working_days(first.counted_from, 1)
