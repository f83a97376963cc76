"""compute_due: each counting rule with its source, worked examples across Tết 2026 and the 2026 make-up Saturdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import OfficeHours, public_sector_calendar
from tthc.deadlines.compute import (
    VN_TZ,
    CountingRules,
    DueInstant,
    MonthEnd,
    Timeliness,
    UnknownUnitPolicy,
    classify,
    classify_detail,
    compute_due,
)
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import CalendarRangeError, InvalidValueError, ParseError
from tthc.foundation.channels import Channel

WD = ProcessingTime.working_days
CAL = public_sector_calendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def due(text: str, pt: ProcessingTime | str, **kw: object) -> datetime:
    d = compute_due(at(text), pt, **kw)  # type: ignore[arg-type]
    assert d.due_at is not None
    return d.due_at.replace(tzinfo=None)


# -- effective receipt -----------------------------------------------------------------------------------------------


def test_cutoff_1500_moves_to_next_working_day() -> None:
    """NĐ 61/2018 Điều 18.2: received after 15:00 → forwarded at the start of the next working day; the 2026-11-20
    example also skips Ngày Văn hóa Việt Nam (24 Nov 2026)."""
    d = compute_due(at("2026-11-20 16:30"), "5 ngày làm việc")
    assert d.due_at == datetime(2026, 12, 1, 17, 0, tzinfo=VN_TZ)
    assert d.effective_received_at == datetime(2026, 11, 23, 7, 30, tzinfo=VN_TZ)
    assert d.counted_from == date(2026, 11, 23)
    assert "15:00 cut-off (118/2025/NĐ-CP [open])" in d.steps[0]  # the decree in force on the receipt date
    assert "Vietnam Cultural Day" in d.steps[1]
    assert due("2026-11-20 14:59", WD(5)) == at("2026-11-30 17:00")  # Fri counted as receipt day
    assert due("2026-11-20 15:00", WD(5)) == at("2026-12-01 17:00")
    no_culture = public_sector_calendar(culture_day=False)
    assert due("2026-11-20 16:30", WD(5), calendar=no_culture) == at("2026-11-30 17:00")


def test_before_opening_and_lunch_break_count_that_day() -> None:
    """Domain.md §3 effective receipt: before opening or in the break counts from the next session, same day."""
    d = compute_due(at("2026-11-23 06:00"), WD(1))
    assert d.effective_received_at == datetime(2026, 11, 23, 7, 30, tzinfo=VN_TZ)
    assert d.due_at == datetime(2026, 11, 24, 17, 0, tzinfo=VN_TZ) + timedelta(days=1)  # 24 Nov off → Wed 25
    lunch = compute_due(at("2026-11-23 12:00"), ProcessingTime.working_hours(1))
    assert lunch.effective_received_at == datetime(2026, 11, 23, 13, 0, tzinfo=VN_TZ)
    assert lunch.due_at == datetime(2026, 11, 23, 14, 0, tzinfo=VN_TZ)


def test_non_working_day_receipt() -> None:
    """Received on a Sunday → counts as received at the opening of the next working day."""
    d = compute_due(at("2026-11-22 10:00"), WD(2))
    assert d.counted_from == date(2026, 11, 23)
    assert d.due_at == datetime(2026, 11, 26, 17, 0, tzinfo=VN_TZ)
    assert "a weekly rest day" in d.steps[0]


def test_online_cutoff_is_an_open_option() -> None:
    """The online cut-off is [open]: default the same 15:00; None counts online receipt until closing that day."""
    assert due("2026-11-19 16:00", WD(1), channel=Channel.ONLINE) == at("2026-11-23 17:00")
    relaxed = CountingRules(online_cutoff=None)
    assert due("2026-11-19 16:00", WD(1), channel="online", rules=relaxed) == at("2026-11-20 17:00")
    assert due("2026-11-19 16:00", WD(1), channel="direct", rules=relaxed) == at("2026-11-23 17:00")
    assert "[open]" in compute_due(at("2026-11-19 16:00"), WD(1), channel="online").steps[0]


def test_saturday_reception_option() -> None:
    """Saturday-morning reception (per office, [open]): by default counting starts after the next working day's
    opening; with saturday_receipt_counts the Saturday is the receipt day."""
    hours = OfficeHours.of(("07:30", "11:30"), ("13:00", "17:00"), saturday_reception=[("07:30", "11:30")])
    cal = public_sector_calendar(office_hours=hours)
    assert due("2026-11-21 09:00", WD(1), calendar=cal) == at("2026-11-25 17:00")
    rules = CountingRules(saturday_receipt_counts=True)
    d = compute_due(at("2026-11-21 09:00"), WD(1), calendar=cal, rules=rules)
    assert d.counted_from == date(2026, 11, 21)
    assert d.due_at == datetime(2026, 11, 23, 17, 0, tzinfo=VN_TZ)
    assert "Saturday reception" in d.steps[0]
    assert due("2026-11-21 14:00", WD(1), calendar=cal, rules=rules) == at("2026-11-25 17:00")


def test_aware_and_naive_and_text_inputs() -> None:
    """Naive datetimes are Vietnam time; aware ones are converted; ISO text is accepted."""
    utc = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    assert compute_due(utc, WD(1)).received_at == datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ)
    plus9 = datetime(2026, 11, 23, 11, 0, tzinfo=timezone(timedelta(hours=9)))
    assert compute_due(plus9, WD(1)).due_at == compute_due(at("2026-11-23 09:00"), WD(1)).due_at
    assert compute_due("2026-11-23 09:00", "1 Ngày làm việc").due_at == compute_due(utc, WD(1)).due_at


# -- units -----------------------------------------------------------------------------------------------------------


def test_working_days_receipt_day_not_counted() -> None:
    """BLDS 2015 Điều 147.2 (first day not counted) and 148.1 (end of the last day = end of office hours)."""
    assert due("2026-11-25 09:00", WD(1)) == at("2026-11-26 17:00")
    assert due("2026-11-25 09:00", WD(0)) == at("2026-11-25 17:00")
    counted = CountingRules(receipt_day_counted=True)
    assert due("2026-11-25 09:00", WD(1), rules=counted) == at("2026-11-25 17:00")
    assert due("2026-11-25 09:00", WD(2), rules=counted) == at("2026-11-26 17:00")


def test_due_instant_end_of_day_option() -> None:
    """BLDS 2015 Điều 148.1 literal reading: end of the day (24:00), a named option."""
    d = compute_due(at("2026-11-25 09:00"), WD(1), rules=CountingRules(due_instant=DueInstant.END_OF_DAY))
    assert d.due_at == datetime.combine(date(2026, 11, 26), time.max, tzinfo=VN_TZ)
    assert "end of day" in d.steps[-1]


def test_worked_example_tet_2026() -> None:
    """Tết Bính Ngọ 2026: Sat 14 – Sun 22 Feb off; 3 working days from Thu 12 Feb end Tue 24 Feb."""
    d = compute_due(at("2026-02-12 10:00"), WD(3))
    assert d.due_at == datetime(2026, 2, 24, 17, 0, tzinfo=VN_TZ)
    assert "Tết Bính Ngọ 2026" in d.steps[1]
    assert due("2026-02-13 16:00", WD(1)) == at("2026-02-24 17:00")


def test_worked_example_make_up_saturday_10_jan_2026() -> None:
    """12729/VPCP-KGVX: Sat 10 Jan 2026 is worked; Fri 2 Jan is off."""
    assert due("2025-12-31 10:00", WD(5)) == at("2026-01-09 17:00")
    assert due("2025-12-31 10:00", WD(6)) == at("2026-01-10 17:00")
    d = compute_due(at("2026-01-09 16:00"), WD(1))  # after cut-off → make-up Saturday is the receipt day
    assert d.effective_received_at == datetime(2026, 1, 10, 7, 30, tzinfo=VN_TZ)
    assert d.due_at == datetime(2026, 1, 12, 17, 0, tzinfo=VN_TZ)
    sat = compute_due(at("2026-01-10 09:10"), WD(1))
    assert sat.steps[0].startswith("received Sat 2026-01-10 09:10 — a make-up working day")
    assert sat.steps[0].endswith("counted")


def test_worked_example_make_up_saturday_22_aug_2026() -> None:
    """National Day 2026: Sat 22 Aug worked, Sat 29 Aug – Wed 2 Sep off (Mon 31 Aug swapped)."""
    assert due("2026-08-21 10:00", WD(2)) == at("2026-08-24 17:00")
    d = compute_due(at("2026-08-27 10:00"), WD(3))
    assert d.due_at == datetime(2026, 9, 4, 17, 0, tzinfo=VN_TZ)
    assert "swapped weekday off" in d.steps[1]


def test_issue_example_26_april_2025() -> None:
    """Received Sat 2025-04-26 09:10 — a make-up working day (6150/TB-BLĐTBXH), counted; 5 days → Wed 7 May."""
    d = compute_due(at("2025-04-26 09:10"), WD(5))
    assert d.steps[0].startswith("received Sat 2025-04-26 09:10 — a make-up working day")
    assert d.due_at == datetime(2025, 5, 7, 17, 0, tzinfo=VN_TZ)


def test_calendar_days_roll_off_non_working_last_day() -> None:
    """BLDS 2015 Điều 148.5: a last day that is a rest day or holiday moves to the next working day."""
    d = compute_due(at("2026-02-09 10:00"), ProcessingTime.calendar_days(5))
    assert d.due_at == datetime(2026, 2, 23, 17, 0, tzinfo=VN_TZ)
    assert "Điều 148.5" in d.steps[1]
    assert due("2026-02-09 10:00", ProcessingTime.calendar_days(2)) == at("2026-02-11 17:00")
    no_roll = CountingRules(roll_to_working_day=False)
    assert due("2026-02-09 10:00", ProcessingTime.calendar_days(5), rules=no_roll) == at("2026-02-14 17:00")


def test_months_clamp_to_month_end() -> None:
    """BLDS 2015 Điều 148: a month period with no corresponding day ends on the month's last day (option)."""
    assert due("2024-12-31 10:00", ProcessingTime.months(2)) == at("2025-02-28 17:00")
    nxt = CountingRules(month_end=MonthEnd.NEXT_DAY)
    assert due("2024-12-31 10:00", ProcessingTime.months(2), rules=nxt) == at("2025-03-03 17:00")
    assert due("2026-01-15 10:00", ProcessingTime.months(1)) == at("2026-02-23 17:00")  # 15 Feb is Tết


def test_working_hours_inside_sessions() -> None:
    """Working hours count inside office sessions from the effective receipt instant (portal practice [2nd])."""
    h = ProcessingTime.working_hours
    assert due("2026-02-12 10:00", h(8)) == at("2026-02-13 10:00")
    assert due("2026-02-12 10:00", h(16)) == at("2026-02-23 10:00")
    assert due("2026-11-23 14:00", h(4)) == at("2026-11-25 08:30")
    assert due("2026-11-23 09:30", h(2)) == at("2026-11-23 11:30")
    assert due("2026-11-23 09:30", h(3)) == at("2026-11-23 14:00")
    assert due("2026-11-23 09:30", h(0)) == at("2026-11-23 09:30")
    assert due("2026-11-23 07:30", h(8)) == at("2026-11-23 17:00")


def test_within_the_day() -> None:
    """Trong ngày: end of office hours of the (effective) receipt day; after 15:00 → the next working day."""
    assert due("2026-11-23 14:59", ProcessingTime.within_day()) == at("2026-11-23 17:00")
    assert due("2026-11-23 15:00", "Trong ngày") == at("2026-11-25 17:00")


def test_unspecified_gives_no_due_date() -> None:
    d = compute_due(at("2026-11-23 09:00"), "Không quy định")
    assert d.due_at is None
    assert d.due_date is None
    assert d.reason is not None
    assert "không quy định" in d.reason
    assert d.steps == (d.reason,)
    assert "no due date" in repr(d)


def test_unknown_unit_raises_or_gives_no_due_date() -> None:
    """A bare number has no unit: raise by default, or no due date with the reason (a named option)."""
    with pytest.raises(InvalidValueError, match="unit is not stated"):
        compute_due(at("2026-11-23 09:00"), "15")
    d = compute_due(at("2026-11-23 09:00"), "15", rules=CountingRules(unknown_unit=UnknownUnitPolicy.NO_DUE_DATE))
    assert d.due_at is None
    assert d.reason
    assert "no unit" in d.reason


def test_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="received_at"):
        compute_due("not a date", WD(1))
    with pytest.raises(InvalidValueError, match="received_at"):
        compute_due(12345, WD(1))  # type: ignore[arg-type]
    with pytest.raises(ParseError):
        compute_due(at("2026-11-23 09:00"), "năm ngày")
    with pytest.raises(InvalidValueError, match="channel"):
        compute_due(at("2026-11-23 09:00"), WD(1), channel="fax")
    with pytest.raises(InvalidValueError):
        ProcessingTime.working_days(-1)
    with pytest.raises(CalendarRangeError):
        compute_due(at("1995-01-01 09:00"), WD(1))


def test_projected_due_dates_say_so() -> None:
    """A due date in a year whose schedule is not announced (2027) is marked projected and says so."""
    d = compute_due(at("2026-12-28 10:00"), WD(10))
    assert d.projected
    assert "not announced" in d.steps[-1]
    assert not compute_due(at("2026-12-01 10:00"), WD(3)).projected


def test_rules_applied_carry_references() -> None:
    d = compute_due(at("2026-11-23 09:00"), WD(1))
    docs = {r.document for r in d.rules_applied}
    assert "118/2025/NĐ-CP" in docs
    assert "61/2018/NĐ-CP" not in docs
    assert any(r.article == "Điều 147.2" for r in d.rules_applied)


# -- classify --------------------------------------------------------------------------------------------------------


def test_classify_per_domain_section_6() -> None:
    """QĐ 766 / TT 01/2018 Điều 13: early = before the due day, on time = on the due day not after the due instant,
    late = after it; overdue working days counted."""
    due_at = datetime(2026, 11, 27, 17, 0, tzinfo=VN_TZ)
    assert classify(due_at, at("2026-11-26 16:00")) is Timeliness.EARLY
    assert classify(due_at, at("2026-11-27 16:59")) is Timeliness.ON_TIME
    assert classify(due_at, at("2026-11-27 17:00")) is Timeliness.ON_TIME
    assert classify(due_at, at("2026-11-27 17:01")) is Timeliness.LATE
    late = classify_detail(due_at, at("2026-12-02 09:00"))
    assert late.timeliness is Timeliness.LATE
    assert late.overdue_working_days == 3
    assert late.score == 0
    assert classify_detail(due_at, at("2026-11-20 09:00")).score == 2
    open_now = classify_detail(due_at, None, as_of=at("2026-11-25 09:00"))
    assert open_now.timeliness is Timeliness.ON_TIME
    with pytest.raises(InvalidValueError, match="as_of"):
        classify_detail(due_at, None)
    d = compute_due(at("2026-11-20 16:30"), WD(5))
    assert classify(d, at("2026-12-01 10:00")) is Timeliness.ON_TIME


# -- properties ------------------------------------------------------------------------------------------------------

instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
units = st.sampled_from(
    [TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.MONTHS, TimeUnit.WITHIN_DAY]
)


def pt_of(unit: TimeUnit, n: int) -> ProcessingTime:
    return ProcessingTime(unit) if unit is TimeUnit.WITHIN_DAY else ProcessingTime(unit, n)


@settings(max_examples=300)
@given(instants, instants, units, st.integers(0, 60))
def test_later_receipt_never_earlier_due(a: datetime, b: datetime, unit: TimeUnit, n: int) -> None:
    a, b = min(a, b), max(a, b)
    da, db = compute_due(a, pt_of(unit, n)).due_at, compute_due(b, pt_of(unit, n)).due_at
    assert da is not None
    assert db is not None
    assert da <= db


@settings(max_examples=300)
@given(instants, units, st.integers(0, 60), st.integers(0, 60))
def test_more_time_never_earlier_due_and_due_on_working_day(r: datetime, unit: TimeUnit, m: int, n: int) -> None:
    m, n = min(m, n), max(m, n)
    dm, dn = compute_due(r, pt_of(unit, m)).due_at, compute_due(r, pt_of(unit, n)).due_at
    assert dm is not None
    assert dn is not None
    assert dm <= dn
    assert CAL.is_working_day(dn.date())
    assert dn >= r.replace(tzinfo=VN_TZ) or dn.date() >= r.date()


def test_real_portal_processing_times_all_get_an_answer(real_data: object) -> None:
    """Every processing time published in the real Ministry of Defence export that parses gets a due date on a
    working day, or no due date with a reason (unspecified / no unit) — never a crash or a silent guess."""
    import gzip
    import json
    from pathlib import Path

    from tthc.errors import ParseError as _ParseError

    path = Path(str(real_data)) / "portal_defence_207.jsonl.gz"
    soft = CountingRules(unknown_unit=UnknownUnitPolicy.NO_DUE_DATE)
    seen = answered = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            for row in json.loads(line)["tables"].get("hinh_thuc_nop") or ():
                try:
                    pt = ProcessingTime.parse(row["thoi_han_giai_quyet"])
                except _ParseError:
                    continue
                seen += 1
                d = compute_due(at("2026-11-20 16:30"), pt, channel=Channel.parse(row["hinh_thuc"]), rules=soft)
                if d.due_at is None:
                    assert d.reason
                else:
                    assert CAL.is_working_day(d.due_at.date())
                    answered += 1
    assert seen > 300
    assert answered > 0.8 * seen


@settings(max_examples=200)
@given(instants, st.integers(0, 60), st.integers(0, 100))
def test_a_reduction_never_gives_a_later_due_date(r: datetime, n: int, pct: int) -> None:
    """compute_due with a reduction is never later than without it."""
    from fractions import Fraction

    from tthc.deadlines.reductions import ChannelCondition, Reduction, ReductionRounding
    from tthc.foundation.references import LegalReference

    red = Reduction(
        ChannelCondition(Channel.ONLINE),
        LegalReference(document="test", tag="example"),
        percent=Fraction(pct),
        rounding=ReductionRounding.HALF_DAY,
    )
    plain = compute_due(r, WD(n), channel=Channel.ONLINE).due_at
    reduced = compute_due(r, WD(n), channel=Channel.ONLINE, reductions=[red]).due_at
    assert plain is not None
    assert reduced is not None
    assert reduced <= plain


# -- rules versioned by date (NĐ 61/2018 until 30 Jun 2025, NĐ 118/2025 from 1 Jul 2025) -----------------------------


@pytest.mark.parametrize(
    ("received", "document", "article"),
    [
        ("2025-06-30 16:00", "61/2018/NĐ-CP", "Điều 18.2"),  # last day of NĐ 61/2018
        ("2025-07-01 16:00", "118/2025/NĐ-CP", None),  # first day of NĐ 118/2025: the article is [open]
        ("2026-02-10 16:00", "118/2025/NĐ-CP", None),
    ],
)
def test_trace_cites_the_decree_in_force_on_the_receipt_date(received: str, document: str, article: str | None) -> None:
    d = compute_due(at(received), WD(2))
    cutoff = d.rules_applied[0]
    assert (cutoff.document, cutoff.article) == (document, article)
    assert document in d.steps[0]
    other = "118/2025/NĐ-CP" if document.startswith("61") else "61/2018/NĐ-CP"
    assert all(other not in step for step in d.steps)
    if article is None:
        assert cutoff.tag == "open"


def test_versioned_rule_values_come_from_the_data_file() -> None:
    from tthc.deadlines.counting import counting_rule

    for day in (date(2025, 6, 30), date(2025, 7, 1)):
        assert counting_rule("receipt_cutoff", day).cutoff == time(15, 0)
        assert counting_rule("supplement_request_within", day).working_days == 3
        assert counting_rule("extension_once", day).notice_working_days_before == 1
    assert counting_rule("postal_handover", date(2025, 6, 30)).reference.article == "Điều 7.4"
    with pytest.raises(InvalidValueError, match="rule"):
        counting_rule("no_such_rule", date(2026, 1, 1))


def test_postal_trace_cites_the_handover_rule() -> None:
    d = compute_due(at("2026-03-02 09:00"), WD(2), channel=Channel.POSTAL)
    assert any("handover record" in s and "45/2016/QĐ-TTg Điều 7.4" in s for s in d.steps)
    assert any(r.document == "45/2016/QĐ-TTg" for r in d.rules_applied)
    direct = compute_due(at("2026-03-02 09:00"), WD(2))
    assert not any("handover" in s for s in direct.steps)
    assert direct.due_at == d.due_at


# -- explanations that are true ---------------------------------------------------------------------------------------


def test_calendar_day_trace_names_no_day_that_did_not_move_the_due_date() -> None:
    """15 ngày from Tue 10 Feb 2026: 10 + 15 = Wed 25 Feb, a working day — Tết (14–22 Feb) lies inside the period
    but moved nothing, so the trace must not say it was skipped."""
    d = compute_due(at("2026-02-10 09:00"), ProcessingTime.calendar_days(15))
    assert d.due_at == datetime(2026, 2, 25, 17, 0, tzinfo=VN_TZ)
    assert not any("skipped" in s or "Tết" in s for s in d.steps)


def test_calendar_day_trace_names_the_days_that_moved_the_due_date() -> None:
    """15 ngày from Thu 29 Jan 2026 ends Fri 13 Feb, a working day: nothing moved. From Fri 30 Jan the last day is
    Sat 14 Feb, inside Tết: the due date moves to Mon 23 Feb and the trace names 14–22 Feb only."""
    d = compute_due(at("2026-01-29 09:00"), ProcessingTime.calendar_days(15))
    assert d.due_at == datetime(2026, 2, 13, 17, 0, tzinfo=VN_TZ)
    assert not any("skipped" in s for s in d.steps)
    d = compute_due(at("2026-01-30 09:00"), ProcessingTime.calendar_days(15))
    assert d.due_at == datetime(2026, 2, 23, 17, 0, tzinfo=VN_TZ)
    count = next(s for s in d.steps if "→" in s and "after" in s)
    assert "skipped: Sat 2026-02-14 – Sun 2026-02-22" in count
    assert "2026-02-01" not in count  # the Sunday inside the period moved nothing
    assert "make-up" not in count


def test_month_trace_names_only_the_roll() -> None:
    d = compute_due(at("2026-01-15 10:00"), ProcessingTime.months(1))  # 15 Feb is in Tết → Mon 23 Feb
    count = next(s for s in d.steps if "→" in s and "after" in s)
    assert "skipped: Sun 2026-02-15 – Sun 2026-02-22" in count
    assert "2026-01-18" not in count
    assert "2026-02-14" not in count


def test_working_day_trace_still_names_every_skipped_day() -> None:
    d = compute_due(at("2026-02-12 10:00"), WD(3))
    assert "Tết Bính Ngọ 2026" in d.steps[1]


# -- the procedure's published processing time -------------------------------------------------------------------------


def _procedure() -> object:
    from tthc.catalog.model import ChannelOption, Procedure

    return Procedure(
        code="1.000178",
        name="test",
        channels=(
            ChannelOption(channel=Channel.DIRECT, processing_time=ProcessingTime.parse("10 Ngày làm việc")),
            ChannelOption(channel=Channel.POSTAL, processing_time=None, processing_time_text="theo quy định"),
            ChannelOption(
                channel=Channel.POSTAL, processing_time=ProcessingTime.parse("08 Ngày làm việc"), case="thông thường"
            ),
        ),
    )


def test_compute_due_takes_the_published_time_of_the_channel_and_says_which_row() -> None:
    p = _procedure()
    d = compute_due(at("2026-03-02 09:00"), procedure=p, channel="postal")  # type: ignore[arg-type]
    assert d.processing_time == WD(8)
    assert "row 2 of 2" in d.steps[0]
    assert "thông thường" in d.steps[0]
    assert "postal" in d.steps[0]
    direct = compute_due(at("2026-03-02 09:00"), procedure=p, channel="direct")  # type: ignore[arg-type]
    assert direct.processing_time == WD(10)
    assert "row 1 of 1" in direct.steps[0]
    given = compute_due(at("2026-03-02 09:00"), WD(3), procedure=p, channel="postal")  # type: ignore[arg-type]
    assert given.processing_time == WD(3)
    assert not any("published" in s for s in given.steps)


def test_compute_due_without_a_time_says_what_is_missing() -> None:
    p = _procedure()
    with pytest.raises(InvalidValueError, match="online") as e:
        compute_due(at("2026-03-02 09:00"), procedure=p, channel="online")  # type: ignore[arg-type]
    assert "1.000178" in str(e.value)
    with pytest.raises(InvalidValueError, match="processing_time"):
        compute_due(at("2026-03-02 09:00"))


# -- portal convention profiles ----------------------------------------------------------------------------------------


def test_opencps_profile_counts_days_as_8_hours_from_the_instant_and_rounds_to_the_quarter() -> None:
    # Mon 2 Mar 2026 10:07, 2 working days: the law → Wed 4 Mar 17:00; OpenCPS → 16 working hours from 10:07
    # = Wed 4 Mar 10:07, rounded up to 10:15
    assert due("2026-03-02 10:07", WD(2)) == at("2026-03-04 17:00")
    d = compute_due(at("2026-03-02 10:07"), WD(2), profile="opencps")
    assert d.due_at == datetime(2026, 3, 4, 10, 15, tzinfo=VN_TZ)
    assert any("16 working hours" in s for s in d.steps)
    assert any("rounded up to 10:15" in s for s in d.steps)
    # no 15:00 cut-off: received at 16:00 counts from 16:00
    assert due("2026-03-02 16:00", WD(1), profile="opencps") == at("2026-03-03 16:00")
    assert due("2026-03-02 16:00", WD(1)) == at("2026-03-04 17:00")
    # on a quarter already: no rounding step
    d = compute_due(at("2026-03-02 10:15"), WD(1), profile="opencps")
    assert d.due_at == datetime(2026, 3, 3, 10, 15, tzinfo=VN_TZ)
    assert not any("rounded" in s for s in d.steps)


def test_statutory_profile_changes_nothing_and_unknown_profiles_are_refused() -> None:
    assert due("2026-03-02 16:00", WD(1), profile="statutory") == due("2026-03-02 16:00", WD(1))
    with pytest.raises(InvalidValueError, match="opencps"):
        compute_due(at("2026-03-02 10:00"), WD(1), profile="no-such-portal")


def test_profiles_are_cited_data() -> None:
    from tthc.deadlines.profiles import load_profiles

    profiles = load_profiles()
    assert {"statutory", "opencps"} <= set(profiles)
    assert profiles["opencps"].reference.tag == "2nd"
    assert "8 working hours" in repr(profiles["opencps"])


def test_rounding_up_boundaries() -> None:
    r = CountingRules(round_due_up_minutes=15)
    assert r.round_up(at("2026-03-02 10:00")) == at("2026-03-02 10:00")
    assert r.round_up(at("2026-03-02 10:00:01")) == at("2026-03-02 10:15")
    assert r.round_up(at("2026-03-02 10:14:59")) == at("2026-03-02 10:15")
    assert r.round_up(at("2026-03-02 23:50")) == at("2026-03-03 00:00")
    for bad in (0, 61, True, 1.5):
        with pytest.raises(InvalidValueError, match="round_due_up_minutes"):
            CountingRules(round_due_up_minutes=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="day_as_working_hours"):
        CountingRules(day_as_working_hours=0)


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 10, 1)),
    st.sampled_from(["opencps", "sync_hours", "statutory"]),
    st.integers(0, 40),
)
def test_profiles_batch_equals_scalar(r: datetime, profile: str, n: int) -> None:
    import numpy as np

    from tthc.deadlines.batch import compute_due_many
    from tthc.deadlines.counting import default_rules_on
    from tthc.deadlines.profiles import portal_profile

    rules = portal_profile(profile).apply(default_rules_on(r.date()))
    scalar = compute_due(r, WD(n), rules=rules).due_at
    assert scalar == compute_due(r, WD(n), profile=profile).due_at
    many = compute_due_many(np.array([r], dtype="datetime64[s]"), [n], [0], rules=rules)
    assert scalar is not None
    assert many[0] == np.datetime64(scalar.replace(tzinfo=None), "us")
