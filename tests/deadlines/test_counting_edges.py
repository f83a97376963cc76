"""Counting rules at their edges: option bounds on both sides, the cut-off per channel, rounding exactly on and just
past a step, local time from every accepted input, and the dated versions around the 1 July 2025 switch (issue 11,
item 14: tests found missing by mutation testing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import pytest

import tthc
from tthc.calendar.working_calendar import OfficeHours, public_sector_calendar
from tthc.deadlines.compute import compute_due
from tthc.deadlines.counting import (
    VN_TZ,
    CountingRules,
    cite,
    counting_references,
    counting_rule,
    default_rules_on,
    to_local,
)
from tthc.deadlines.processing_time import ProcessingTime
from tthc.foundation.channels import Channel
from tthc.foundation.references import LegalReference


@pytest.mark.parametrize("hours", [1, 8, 24])
def test_day_as_working_hours_accepts_1_to_24(hours: int) -> None:
    assert CountingRules(day_as_working_hours=hours).day_as_working_hours == hours


@pytest.mark.parametrize("hours", [0, 25, -8, True, 8.0, "8"])
def test_day_as_working_hours_refuses_the_rest(hours: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        CountingRules(day_as_working_hours=hours)  # type: ignore[arg-type]
    assert str(info.value) == f"day_as_working_hours: expected None or a whole number of hours 1..24, got {hours!r}"


@pytest.mark.parametrize("minutes", [1, 15, 60])
def test_round_due_up_minutes_accepts_1_to_60(minutes: int) -> None:
    assert CountingRules(round_due_up_minutes=minutes).round_due_up_minutes == minutes


@pytest.mark.parametrize("minutes", [0, 61, False, "15"])
def test_round_due_up_minutes_refuses_the_rest(minutes: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        CountingRules(round_due_up_minutes=minutes)  # type: ignore[arg-type]
    assert str(info.value) == f"round_due_up_minutes: expected None or a whole number of minutes 1..60, got {minutes!r}"


def test_cutoff_per_channel() -> None:
    rules = CountingRules(cutoff=time(15, 0), online_cutoff=time(16, 30))
    assert rules.cutoff_for(Channel.DIRECT) == time(15, 0)
    assert rules.cutoff_for(Channel.POSTAL) == time(15, 0)
    assert rules.cutoff_for(Channel.ONLINE) == time(16, 30)
    no_online = CountingRules(online_cutoff=None)
    assert no_online.cutoff_for(Channel.ONLINE) is None
    assert no_online.cutoff_for(Channel.DIRECT) == time(15, 0)
    off = CountingRules(receipt_cutoff=False)
    assert [off.cutoff_for(c) for c in Channel] == [None] * len(Channel)


def test_the_default_cutoff_is_the_data_files_1500_for_every_channel() -> None:
    rules = CountingRules()
    assert (rules.cutoff, rules.online_cutoff) == (time(15, 0), time(15, 0))


@pytest.mark.parametrize(
    ("given", "step", "expected"),
    [
        ("10:30:00", 30, "10:30:00"),  # on a step: unchanged
        ("10:30:00.000001", 30, "11:00:00"),  # one microsecond past: the next step
        ("10:59:59.999999", 30, "11:00:00"),
        ("10:07:00", 1, "10:07:00"),
        ("10:07:00.5", 1, "10:08:00"),
        ("10:05:00", 60, "11:00:00"),
        ("00:00:00", 60, "00:00:00"),
    ],
)
def test_round_up_on_and_past_a_step(given: str, step: int, expected: str) -> None:
    day = date(2026, 3, 2)
    instant = datetime.combine(day, time.fromisoformat(given))
    assert CountingRules(round_due_up_minutes=step).round_up(instant) == datetime.combine(
        day, time.fromisoformat(expected)
    )


def test_round_up_leaves_the_end_of_day_and_unset_rules_alone() -> None:
    end = datetime.combine(date(2026, 3, 2), time.max)
    assert CountingRules(round_due_up_minutes=15).round_up(end) == end
    odd = datetime(2026, 3, 2, 10, 7, 3)
    assert CountingRules().round_up(odd) == odd


def test_to_local_reads_every_accepted_input() -> None:
    assert to_local("2026-11-20 16:30") == datetime(2026, 11, 20, 16, 30)
    assert to_local(" 2026-11-20T16:30 ") == datetime(2026, 11, 20, 16, 30)
    assert to_local(datetime(2026, 11, 20, 9, 30, tzinfo=UTC)) == datetime(2026, 11, 20, 16, 30)
    assert to_local(datetime(2026, 11, 20, 23, 30, tzinfo=timezone(timedelta(hours=-5)))) == datetime(
        2026, 11, 21, 11, 30
    )
    naive = datetime(2026, 11, 20, 16, 30)
    assert to_local(naive) is naive
    assert to_local(date(2026, 11, 20)) == datetime(2026, 11, 20, 0, 0)


def test_to_local_names_the_field_and_the_value() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        to_local("20/11/2026", "finished_at")
    assert str(info.value) == "finished_at: expected an ISO date-time such as '2026-11-20 16:30', got '20/11/2026'"
    with pytest.raises(tthc.InvalidValueError) as info:
        to_local(1_763_630_000)  # type: ignore[arg-type]
    assert str(info.value) == (
        "received_at: expected a datetime (naive = Vietnam time), a date or ISO text, got 1763630000"
    )


def test_cite_adds_the_tag_unless_it_is_law() -> None:
    assert cite(LegalReference(document="61/2018/NĐ-CP", article="Điều 18.2", tag="law")) == "61/2018/NĐ-CP Điều 18.2"
    assert cite(LegalReference(document="118/2025/NĐ-CP", tag="open")) == "118/2025/NĐ-CP [open]"
    assert cite(LegalReference(document="x", article="Điều 1", tag="2nd")) == "x Điều 1 [2nd]"


@pytest.mark.parametrize(
    ("day", "document"),
    [
        (date(2025, 6, 30), "61/2018/NĐ-CP"),  # the last day under NĐ 61/2018
        (date(2025, 7, 1), "118/2025/NĐ-CP"),  # the first day under NĐ 118/2025
        (date(2018, 4, 23), "61/2018/NĐ-CP"),
        (date(2000, 1, 1), "61/2018/NĐ-CP"),  # before every instrument: the earliest version
    ],
)
def test_receipt_cutoff_version_on_each_side_of_the_switch(day: date, document: str) -> None:
    assert counting_rule("receipt_cutoff", day).reference.document == document


def test_rule_versions_read_back_their_values_and_repr() -> None:
    old = counting_rule("extension_once", date(2025, 6, 30))
    assert (old.notice_working_days_before, old.max_extensions, old.working_days, old.cutoff) == (1, 1, None, None)
    assert repr(old) == "<extension_once …..2025-06-30: 61/2018/NĐ-CP Điều 19.9>"
    new = counting_rule("receipt_cutoff", date(2025, 7, 1))
    assert repr(new) == "<receipt_cutoff 2025-07-01..…: 118/2025/NĐ-CP [open]>"
    handover = counting_rule("postal_handover", date(2010, 1, 1))
    assert handover.valid.start == date(2016, 12, 16)  # the earliest version answers for earlier dates


def test_unknown_rule_lists_the_versioned_ones() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        counting_rule("speed_limit", date(2026, 1, 1))
    assert str(info.value) == (
        "rule: expected one of receipt_cutoff, supplement_request_within, supplement_restart, extension_once,"
        " postal_handover, got 'speed_limit'"
    )


def test_default_rules_on_either_side_of_the_switch_keep_the_1500_cutoff() -> None:
    assert default_rules_on(date(2025, 6, 30)).cutoff == time(15, 0)
    assert default_rules_on(date(2025, 7, 1)).cutoff == time(15, 0)
    assert default_rules_on(date(2025, 7, 1)) == CountingRules()


def test_every_counting_reference_is_cited() -> None:
    refs = counting_references()
    assert refs["receipt_cutoff"].document
    assert all(r.document for r in refs.values())


class _BrokenZone(tzinfo):
    """A tzinfo whose offset is not a timedelta (a broken third-party zone)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return "7 hours"  # type: ignore[return-value]

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


def test_to_local_refuses_a_broken_time_zone() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        to_local(datetime(2026, 11, 20, 9, 30, tzinfo=_BrokenZone()), "finished_at")
    assert str(info.value).startswith("finished_at: expected a datetime whose tzinfo is a time zone, got datetime.")


# -- working hours counted through the office sessions (the compiled plan of the counting rules) ---------------------

CAL = public_sector_calendar()
ONE_SESSION = OfficeHours.of(("07:30", "16:30"))
THREE_SESSIONS = OfficeHours.of(("07:00", "09:00"), ("10:00", "12:00"), ("13:00", "17:00"))


@pytest.mark.parametrize(
    ("received", "hours", "office", "due"),
    [
        ("2026-11-16 08:00", 6, None, "2026-11-16 15:30"),  # 3.5 h in the morning, 2.5 h after 13:00
        ("2026-11-16 07:30", 8, None, "2026-11-16 17:00"),  # exactly one day: the close, not the next opening
        ("2026-11-16 07:30", 9, None, "2026-11-17 08:30"),
        ("2026-11-16 07:45", 3, None, "2026-11-16 10:45"),
        ("2026-11-16 11:30", 1, None, "2026-11-16 14:00"),  # at the end of the morning: counts from 13:00
        ("2026-11-16 16:00", 2, None, "2026-11-17 09:30"),  # after the 15:00 cut-off: from the next opening
        ("2026-11-16 08:00", 10, ONE_SESSION, "2026-11-17 09:00"),  # 8.5 h on Monday, 1.5 h on Tuesday
        ("2026-11-16 08:00", 4, THREE_SESSIONS, "2026-11-16 14:00"),  # 1 h + 2 h + 1 h
    ],
)
def test_working_hours_run_through_the_sessions(
    received: str, hours: int, office: OfficeHours | None, due: str
) -> None:
    rules = CountingRules(office_hours=office) if office is not None else None
    result = compute_due(
        datetime.fromisoformat(received),
        ProcessingTime.working_hours(hours),
        channel=Channel.DIRECT,
        calendar=CAL,
        rules=rules,
    )
    assert result.due_at == datetime.fromisoformat(due).replace(tzinfo=VN_TZ)


def test_one_rules_object_with_two_office_hours_gives_two_answers() -> None:
    # the same rules object used with the calendar's hours, then with other hours, must not reuse the first plan
    rules = CountingRules()
    received, six_hours = datetime(2026, 11, 16, 8, 0), ProcessingTime.working_hours(6)
    first = compute_due(received, six_hours, channel=Channel.DIRECT, calendar=CAL, rules=rules)
    other = public_sector_calendar(office_hours=ONE_SESSION)
    second = compute_due(received, six_hours, channel=Channel.DIRECT, calendar=other, rules=rules)
    assert first.due_at is not None
    assert second.due_at is not None
    assert (first.due_at.time(), second.due_at.time()) == (time(15, 30), time(14, 0))


def test_to_local_refuses_an_instant_past_the_year_9999_in_vietnam() -> None:
    late = datetime(9999, 12, 31, 20, 0, tzinfo=UTC)  # 03:00 on 1 Jan 10000 in Vietnam
    with pytest.raises(tthc.InvalidValueError) as info:
        to_local(late)
    assert str(info.value) == f"received_at: expected a datetime within year 1..9999 in Vietnam time, got {late!r}"


@pytest.mark.parametrize(("received", "counted_from"), [("15:00:29", "2026-11-16"), ("15:00:30", "2026-11-17")])
def test_a_cutoff_with_seconds_is_honoured_to_the_second(received: str, counted_from: str) -> None:
    rules = CountingRules(cutoff=time(15, 0, 30))
    result = compute_due(
        datetime.fromisoformat(f"2026-11-16 {received}"),
        ProcessingTime.working_days(1),
        channel=Channel.DIRECT,
        calendar=CAL,
        rules=rules,
    )
    assert str(result.counted_from)[:10] == counted_from
