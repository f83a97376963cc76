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
from tthc.deadlines.reductions import ChannelCondition, EffectiveTime, Reduction
from tthc.errors import CalendarRangeError, ParseError
from tthc.foundation.channels import Channel
from tthc.foundation.references import LegalReference

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


# -- the usual call straight through (compute_due's _straight) against the general path -------------------------------

# days where the count turns: both sides of the 1 Jul 2025 switch of instrument, Tết 2025/2026/2027, the 2024–2026
# swaps and make-up Saturdays, the New Year 2026 swap, the Culture Day, a projected year (2027)
_EDGE_DAYS = [
    date(2025, 6, 30), date(2025, 7, 1), date(2025, 1, 24), date(2025, 1, 25), date(2026, 2, 13), date(2026, 2, 14),
    date(2027, 2, 3), date(2024, 4, 26), date(2024, 5, 4), date(2025, 4, 26), date(2025, 5, 2), date(2026, 1, 2),
    date(2026, 1, 10), date(2026, 8, 22), date(2026, 8, 31), date(2026, 11, 23), date(2026, 12, 31), date(2024, 2, 7),
]  # fmt: skip
# seconds on both sides of the opening, the lunch break, the 15:00 cut-off and the close (default hours)
_EDGE_SECONDS = [
    0, 7 * 3600 + 1799, 7 * 3600 + 1800, 11 * 3600 + 1799, 11 * 3600 + 1800, 12 * 3600 + 3599, 13 * 3600,
    14 * 3600 + 3599, 15 * 3600, 16 * 3600 + 3599, 17 * 3600, 86399,
]  # fmt: skip

edge_receipts = st.builds(
    lambda d, shift, s, micro: (
        datetime.combine(d + timedelta(days=shift), time()) + timedelta(seconds=s, microseconds=micro)
    ),
    st.sampled_from(_EDGE_DAYS),
    st.integers(-3, 3),
    st.one_of(st.sampled_from(_EDGE_SECONDS), st.integers(0, 86399)),
    st.sampled_from([0, 0, 1, 999_999]),
)
any_receipts = st.one_of(edge_receipts, st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31)))
straight_times = st.one_of(
    st.builds(ProcessingTime.working_hours, st.integers(1, 120)),
    st.builds(ProcessingTime.working_days, st.integers(1, 90)),
    st.sampled_from(["5 ngày làm việc", "8 Giờ", "04 Giờ làm việc", "1 ngày làm việc", "20 Ngày làm việc"]),
)


def _general(received: datetime, pt: ProcessingTime | str, channel: str, cal: WorkingCalendar = CAL) -> DueDate:
    """The general path: the same call with the rules of the receipt's era passed explicitly."""
    from tthc.deadlines.counting import _era, _rules_of_era

    return compute_due(received, pt, channel=channel, calendar=cal, rules=_rules_of_era(_era(received.date())))


def _straight(due: DueDate) -> bool:
    return due._known[1].__class__ is not tuple  # answered straight through: the channel in the trace's place


def _facts(due: DueDate) -> tuple[object, ...]:
    return (
        due.due_at, due.received_at, due.effective_received_at, due.counted_from, due.processing_time,
        due.effective_time, due.projected, due.reason, due.rules_applied, due.due_date, repr(due),
    )  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(received=any_receipts, pt=straight_times, channel=st.sampled_from(["direct", "online", "postal"]))
def test_the_straight_path_gives_what_the_general_path_gives(
    received: datetime, pt: ProcessingTime | str, channel: str
) -> None:
    """Every fact, the trace in both languages, equality and hashing: a due date answered straight through reads
    like the general path's, wherever the receipt falls (cut-off, sessions, days off, make-up days, eras). Its trace is
    the general path's, computed on first read."""
    ch = Channel(channel)
    due = compute_due(received, pt, channel=ch, calendar=CAL)
    ref = _general(received, pt, channel)
    assert _straight(due)
    assert due.due_at == ref.due_at  # read before anything else: computed straight through
    assert due.due_at is not None
    assert due.due_at.tzinfo is VN_TZ
    assert _facts(due) == _facts(ref)
    assert due == ref
    assert _straight(due)  # the facts, equality and hash need no trace
    assert due.steps_in("vi") == ref.steps_in("vi")
    assert not _straight(due)  # the trace, once read, is kept
    assert due.steps_in("en") == ref.steps_in("en")
    assert due == ref
    assert hash(due) == hash(ref)
    assert due.calendar is CAL


@settings(max_examples=200, deadline=None)
@given(received=any_receipts, pt=straight_times, lang=st.sampled_from(["vi", "en"]))
def test_the_trace_of_a_straight_answer_read_first(received: datetime, pt: ProcessingTime | str, lang: str) -> None:
    """The trace read before any fact, equality before the trace: the same as the general path's."""
    ref = _general(received, pt, "direct")
    first, second = compute_due(received, pt, calendar=CAL), compute_due(received, pt, calendar=CAL)
    assert first.steps_in(lang) == ref.steps_in(lang)
    assert second == ref  # compared while still pending
    assert compute_due(received, pt, calendar=CAL).reason is None  # read without explaining: there is a due date


def test_a_straight_answer_survives_pickling_pending_or_explained() -> None:
    import pickle

    pending = compute_due(datetime(2026, 2, 13, 16, 0), ProcessingTime.working_hours(9), calendar=CAL)
    assert _straight(pending)
    again = pickle.loads(pickle.dumps(pending))
    assert again == pending
    assert again.steps_in("en") == pending.steps_in("en")
    assert pickle.loads(pickle.dumps(pending)) == again


@pytest.mark.parametrize(
    ("received", "pt", "expected"),
    [
        # 14:59:59 counts that day; 15:00 counts from the next working day's opening (NĐ 61/2018 Điều 18.2)
        (datetime(2026, 3, 2, 14, 59, 59), ProcessingTime.working_hours(1), datetime(2026, 3, 2, 15, 59, 59)),
        (datetime(2026, 3, 2, 15, 0), ProcessingTime.working_hours(1), datetime(2026, 3, 3, 8, 30)),
        (datetime(2026, 3, 2, 14, 59, 59), ProcessingTime.working_days(1), datetime(2026, 3, 3, 17, 0)),
        (datetime(2026, 3, 2, 15, 0), ProcessingTime.working_days(1), datetime(2026, 3, 4, 17, 0)),
        # the lunch break: counts from 13:00; 4 hours is the close of the afternoon, not the next opening
        (datetime(2026, 3, 2, 12, 0), ProcessingTime.working_hours(4), datetime(2026, 3, 2, 17, 0)),
        (datetime(2026, 3, 2, 11, 29, 59), ProcessingTime.working_hours(1), datetime(2026, 3, 2, 13, 59, 59)),
        # Friday 13 Feb 2026 after the cut-off: Tết 16–20 Feb, counting from Monday 23 Feb
        (datetime(2026, 2, 13, 16, 0), ProcessingTime.working_hours(9), datetime(2026, 2, 24, 8, 30)),
        # the make-up Saturday 10 Jan 2026 is a working day; the swapped Friday 2 Jan 2026 is not
        (datetime(2026, 1, 9, 15, 30), ProcessingTime.working_days(1), datetime(2026, 1, 12, 17, 0)),
        (datetime(2026, 1, 1, 9, 0), ProcessingTime.working_hours(8), datetime(2026, 1, 5, 17, 0)),
    ],
)
def test_straight_answers_at_the_boundaries(received: datetime, pt: ProcessingTime, expected: datetime) -> None:
    due = compute_due(received, pt, calendar=CAL)
    assert _straight(due)
    assert due.due_at == expected.replace(tzinfo=VN_TZ)
    assert due == _general(received, pt, "direct")


_HALF_ONLINE = Reduction(
    ChannelCondition(Channel.ONLINE), LegalReference(document="659/UBND-KGVX", tag="example"), percent=Fraction(50)
)


@pytest.mark.parametrize(
    "call",
    [
        {"received_at": datetime(2026, 3, 2, 9, tzinfo=VN_TZ)},  # aware: converted by the general path
        {"received_at": "2026-03-02 09:00"},
        {"channel": "online"},  # text: parsed by the general path
        {"processing_time": ProcessingTime.working_hours(0)},
        {"reductions": [_HALF_ONLINE], "channel": Channel.ONLINE},  # reductions: the general path applies them
        {"processing_time": ProcessingTime.calendar_days(5)},
        {"processing_time": "Trong ngày"},
        {"rules": CountingRules(receipt_day_counted=True)},
        {"profile": "opencps"},
    ],
)
def test_other_calls_take_the_general_path(call: dict[str, object]) -> None:
    args: dict[str, object] = {
        "received_at": datetime(2026, 3, 2, 9),
        "processing_time": ProcessingTime.working_days(3),
    }
    args.update(call)
    due = compute_due(**args)  # type: ignore[arg-type]
    assert not _straight(due)


@settings(max_examples=100, deadline=None)
@given(received=any_receipts, pt=straight_times)
def test_other_constant_hours_are_answered_straight_through(received: datetime, pt: ProcessingTime | str) -> None:
    """One morning session (the cut-off past the close), Saturday reception, three sessions with a short break."""
    for cal in _OTHER_HOURS:
        due = compute_due(received, pt, calendar=cal)
        assert _straight(due)
        ref = _general(received, pt, "direct", cal)
        assert _facts(due) == _facts(ref)
        assert due.steps_in("en") == ref.steps_in("en")


_OTHER_HOURS = [
    CAL.with_overlay(office_hours=DatedOfficeHours(OfficeHours(((time(8), time(12)),)))),
    CAL.with_overlay(  # Saturday reception: not office time, and by default not the receipt day
        office_hours=DatedOfficeHours(
            OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00"), saturday_reception=[("07:30", "11:30")])
        )
    ),
    CAL.with_overlay(
        office_hours=DatedOfficeHours(
            OfficeHours(((time(7), time(9, 15)), (time(9, 45), time(12)), (time(13), time(16))))
        )
    ),
]


def test_a_calendar_with_dated_hours_is_answered_by_the_general_path() -> None:
    from tthc.calendar.office_hours import OfficeHoursPeriod

    summer = OfficeHoursPeriod(
        OfficeHours(((time(7), time(11)), (time(13), time(17)))), date(2026, 4, 1), date(2026, 9, 30)
    )
    dated = CAL.with_overlay(office_hours=DatedOfficeHours(CAL.office_hours, (summer,)))
    due = compute_due(datetime(2026, 5, 4, 16, 30), ProcessingTime.working_hours(2), calendar=dated)
    assert not _straight(due)
    assert due.due_at == datetime(2026, 5, 5, 9, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("received", "pt"),
    [
        (datetime(2100, 12, 31, 16), ProcessingTime.working_days(1)),  # after the cut-off on the last compiled day
        (datetime(2100, 12, 30, 9), ProcessingTime.working_hours(40)),
        (datetime(1999, 12, 31, 9), ProcessingTime.working_days(1)),
        (datetime(2100, 6, 1, 9), ProcessingTime.working_days(300)),
        (datetime(2026, 3, 2, 9), ProcessingTime.working_days(20_000)),
    ],
)
def test_out_of_range_straight_candidates_still_raise(received: datetime, pt: ProcessingTime) -> None:
    with pytest.raises(CalendarRangeError):
        compute_due(received, pt, calendar=CAL)


@pytest.mark.parametrize(
    ("received", "pt", "projected"),
    [
        (datetime(2026, 12, 30, 10), ProcessingTime.working_days(1), False),  # due Thu 31 Dec 2026: announced
        (datetime(2026, 12, 31, 9), ProcessingTime.working_hours(2), False),  # due 31 Dec 2026 11:00
        (datetime(2026, 12, 31, 10), ProcessingTime.working_days(1), True),  # due Mon 4 Jan 2027: projected
        (datetime(2026, 12, 31, 16, 30), ProcessingTime.working_hours(1), True),  # due 4 Jan 2027 08:30
    ],
)
def test_projected_on_both_sides_of_the_last_announced_year(
    received: datetime, pt: ProcessingTime, projected: bool
) -> None:
    due = compute_due(received, pt, calendar=CAL)
    assert _straight(due)
    assert due.projected is projected
    ref = _general(received, pt, "direct")
    assert due.projected is ref.projected
    assert due.steps_in("en") == ref.steps_in("en")


# -- the straight path's tables on both sides of each of their boundaries ---------------------------------------------


def _bound_seconds(cal: WorkingCalendar) -> list[int]:
    """The seconds where the straight path's tables turn for ``cal``'s hours: each session's start and end (the slot of
    a receipt), the 15:00 cut-off, midnight and the last second of the day."""
    secs = [0, 86399, 15 * 3600]
    for a, b in cal.office_hours.sessions:
        secs += [a.hour * 3600 + a.minute * 60 + a.second, b.hour * 3600 + b.minute * 60 + b.second]
    return secs


_CALENDARS = [CAL, *_OTHER_HOURS]


@st.composite
def _near_a_bound(draw: st.DrawFn) -> tuple[WorkingCalendar, datetime]:
    """A calendar and a receipt on one side or the other of one of its bounds, or a quarter-hour multiple away from
    one (whole hours from there end on both sides of a session's close: the due session's table)."""
    cal = draw(st.sampled_from(_CALENDARS))
    day = draw(st.sampled_from(_EDGE_DAYS)) + timedelta(days=draw(st.integers(-3, 3)))
    second = (
        draw(st.sampled_from(_bound_seconds(cal))) + 900 * draw(st.integers(-8, 8)) + draw(st.sampled_from([-1, 0, 1]))
    )
    micro = draw(st.sampled_from([0, 999_999]))
    return cal, datetime.combine(day, time()) + timedelta(seconds=min(max(second, 0), 86399), microseconds=micro)


@settings(max_examples=600, deadline=None)
@given(
    case=_near_a_bound(),
    pt=st.one_of(
        st.builds(ProcessingTime.working_hours, st.integers(1, 40)),
        st.builds(ProcessingTime.working_days, st.integers(1, 25)),
    ),
    channel=channels,
)
def test_the_tables_of_the_straight_path_on_both_sides_of_their_bounds(
    case: tuple[WorkingCalendar, datetime], pt: ProcessingTime, channel: str
) -> None:
    """The slot of the receipt second, the session of the due office second, the receipt day's entry (worked or
    not, its next working day) and the due day's midnight: every fact as the general path's, for the default hours
    and the other constant hours, every channel; the working hours also as add_working_time from the effective
    receipt (whole seconds)."""
    cal, received = case
    due = compute_due(received, pt, channel=Channel(channel), calendar=cal)
    assert _straight(due)
    ref = _general(received, pt, channel, cal)
    assert _facts(due) == _facts(ref)
    if pt.unit is TimeUnit.WORKING_HOURS and received.microsecond == 0:  # the engine counts whole seconds
        assert due.effective_received_at is not None
        assert due.due_at == cal.add_working_time(due.effective_received_at, timedelta(hours=pt.amount or 0))


def test_the_days_kept_start_again_past_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The receipt days and due days kept per calendar start again at _DAYS_KEPT: answers stay the general path's."""
    from tthc.deadlines import straight

    monkeypatch.setattr(straight, "_DAYS_KEPT", 3)
    cal = CAL.with_overlay()  # its own memo
    for k in range(12):
        received = datetime(2026, 1, 1, 9) + timedelta(days=5 * k, hours=k)
        for pt in (ProcessingTime.working_hours(k + 1), ProcessingTime.working_days(k + 1)):
            due = compute_due(received, pt, calendar=cal)
            assert _straight(due)
            assert _facts(due) == _facts(_general(received, pt, "direct", cal))
    tables = cal._memo[straight._USUAL]
    assert all(len(kept) <= 3 for kept in tables[1].values())
    assert len(tables[6]) <= 3


# -- session 8: the due time of each office second, the tables per calendar, positions of the due days ---------------


def test_every_office_second_of_the_day_as_a_due_second_reads_the_general_answer() -> None:
    """The due time of each office second of a day (``straight._dues``, filled as first read): receipts at every
    second of a working day before the cut-off, 1 and 4 hours — every office second of the due day is reached, both
    sides of each session's close and opening — and each entry equals the plan's instant of that office second."""
    from tthc.deadlines import straight
    from tthc.deadlines.counting import _plan, _rules_of_era, _time_of

    cal = CAL.with_overlay()  # its own memo; the table is per plan of hours, filled here or before
    monday = datetime(2026, 3, 2)
    for second in range(7 * 3600 + 1800, 15 * 3600):
        received = monday + timedelta(seconds=second)
        for hours in (1, 4):
            due = compute_due(received, ProcessingTime.working_hours(hours), calendar=cal)
            assert _straight(due)
            if second % 97 == 0:  # a sample through the general path (the whole table is checked below)
                assert due.due_at == cal.add_working_time(received.replace(tzinfo=VN_TZ), timedelta(hours=hours))
    plan = _plan(_rules_of_era(1), CAL.office_hours)
    dues = straight._dues(plan.steps)
    assert len(dues) == plan.per_day == 8 * 3600
    assert all(d is not None for d in dues)  # every office second reached
    for rem, due_time in enumerate(dues):
        assert due_time is not None
        seconds = int(due_time.total_seconds())
        assert _time_of(seconds) == _time_of(plan.instant_at(rem + 1))
    # both sides of the lunch break: office second 4 h ends 11:30:00, the next one 13:00:01
    assert (dues[4 * 3600 - 1], dues[4 * 3600]) == (timedelta(hours=11, minutes=30), timedelta(hours=13, seconds=1))
    assert dues[-1] == timedelta(hours=17)


@pytest.mark.parametrize("hours", [26, 27, 500])
def test_the_hours_kept_are_each_calendars_own(hours: int) -> None:
    """The largest amount answered straight through is the calendar's (its range // 28): an amount kept for the
    century calendar is not taken for a two-year one, whose general path answers (or raises) instead."""
    received = datetime(2026, 3, 2, 9)
    pt = ProcessingTime.working_hours(hours)
    assert _straight(compute_due(received, pt, calendar=CAL))  # kept in CAL's table
    short = public_sector_calendar(first_year=2026, last_year=2027)  # 730 days: at most 26 hours or days here
    for take in (pt, ProcessingTime.working_days(hours)):
        try:
            due = compute_due(received, take, calendar=short)
        except CalendarRangeError:
            with pytest.raises(CalendarRangeError):
                _general(received, take, "direct", short)
            continue
        assert _straight(due) is (hours <= short._n // 28)
        assert _facts(due) == _facts(_general(received, take, "direct", short))


@pytest.mark.parametrize("year", [None, 1990, 2024, 2025, 2026, 2027, 2100, 2200])
@pytest.mark.parametrize(
    ("received", "pt"),
    [
        (datetime(2025, 12, 31, 9), ProcessingTime.working_hours(8)),  # due Wed 31 Dec 2025 or Fri 2 Jan 2026
        (datetime(2025, 12, 31, 9), ProcessingTime.working_hours(7)),
        (datetime(2026, 12, 31, 16), ProcessingTime.working_hours(1)),
        (datetime(2026, 12, 30, 10), ProcessingTime.working_days(1)),
        (datetime(2026, 12, 31, 10), ProcessingTime.working_days(1)),
        (datetime(2100, 12, 30, 9), ProcessingTime.working_hours(4)),  # the last compiled days
    ],
)
def test_projected_follows_each_calendars_last_announced_year(
    year: int | None, received: datetime, pt: ProcessingTime
) -> None:
    """Projected is read from the due day's position among the working days against the last working day of the
    last announced year: none announced, one before the calendar's range, within it, its last year, past it."""
    cal = attrs.evolve(CAL, last_announced_year=year)
    due = compute_due(received, pt, calendar=cal)
    assert _straight(due)
    ref = _general(received, pt, "direct", cal)
    assert _facts(due) == _facts(ref)
    assert due.projected is cal.is_projected(ref.due_date or date.min)


@settings(max_examples=200, deadline=None)
@given(
    received=any_receipts,
    amount=st.integers(1, 16),
    channel=channels,
    first=st.sampled_from([ProcessingTime.working_days, ProcessingTime.working_hours]),
)
def test_a_count_kept_for_one_unit_is_not_read_for_the_other(
    received: datetime, amount: int, channel: str, first: Callable[[int], ProcessingTime]
) -> None:
    """The times before reductions are kept per unit and whole amount: the same amount in days and in hours, in
    either order on a fresh calendar, each reads its own effective time and due instant."""
    cal = CAL.with_overlay()
    other = ProcessingTime.working_hours if first is ProcessingTime.working_days else ProcessingTime.working_days
    for make in (first, other):
        pt = make(amount)
        due = compute_due(received, pt, channel=Channel(channel), calendar=cal)
        assert _straight(due)
        assert _facts(due) == _facts(_general(received, pt, channel, cal))


@pytest.mark.parametrize("n", [127, 128, 200])
def test_hours_cut_into_more_sessions_than_the_slot_bytes_hold_are_answered_by_the_general_path(n: int) -> None:
    """The straight path keeps the slot of each second of the day in a byte: 128 sessions and more (appointment slots
    of two minutes every five) raised a bare ``ValueError`` for every usual call; the general path answers them (found
    by the hostile review, session 8). 127 sessions is the last the straight path takes."""
    from tthc.deadlines.counting import _era, _rules_of_era

    start = datetime(2025, 1, 1, 6)
    sessions = tuple(
        ((start + timedelta(minutes=5 * i)).time(), (start + timedelta(minutes=5 * i + 2)).time()) for i in range(n)
    )
    cal = public_sector_calendar().with_overlay(office_hours=OfficeHours(sessions))
    for at in (datetime(2025, 3, 3, 9), datetime(2025, 3, 3, 9, 3, 30), datetime(2025, 7, 1, 5)):
        for text in ("8 giờ làm việc", "3 ngày làm việc"):
            general = compute_due(at, text, calendar=cal, rules=_rules_of_era(_era(at.date())))
            assert compute_due(at, text, calendar=cal).due_at == general.due_at, (n, at, text)
