"""compute_due, compute_due_many and the Dossier on a calendar with dated office hours: the receipt day's hours for
the cut-off, the opening and the session start; the due day's close; working hours counted through each day's own
sessions. The bundled ``example-northern-winter`` office: summer 07:00–11:30, 13:30–17:00; winter (1 Oct – 31 Mar)
07:30–12:00, 13:00–16:30; a half-day closure on Fri 6 Mar 2026 (07:30–12:00); an extra evening session on Tue 30 Jun
2026 (17:30–19:30)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar import DatedOfficeHours, OfficeHours, OfficeHoursPeriod, load_office_hours, public_sector_calendar
from tthc.deadlines.batch import UNIT_CODES
from tthc.deadlines.compute import CountingRules, DueInstant, compute_due, compute_due_many
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.deadlines.profiles import portal_profile
from tthc.deadlines.reductions import EffectiveTime
from tthc.foundation.channels import Channel

WD = ProcessingTime.working_days
WH = ProcessingTime.working_hours
EX = public_sector_calendar(office_hours=load_office_hours("example-northern-winter"))
PLAIN = public_sector_calendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def due(text: str, pt: ProcessingTime | str, cal: object = EX, **kw: object) -> datetime:
    d = compute_due(at(text), pt, calendar=cal, **kw)  # type: ignore[arg-type]
    assert d.due_at is not None
    return d.due_at.replace(tzinfo=None)


def eff(text: str, cal: object = EX, **kw: object) -> datetime:
    d = compute_due(at(text), WD(1), calendar=cal, **kw)  # type: ignore[arg-type]
    assert d.effective_received_at is not None
    return d.effective_received_at.replace(tzinfo=None)


# -- the receipt day: opening, lunch break, cut-off and the next day's opening ----------------------------------------


@pytest.mark.parametrize(
    ("received", "effective"),
    [
        # last summer day (Tue 30 Sep 2025): opens 07:00, lunch 11:30–13:30
        ("2025-09-30 06:59", "2025-09-30 07:00"),
        ("2025-09-30 07:10", "2025-09-30 07:10"),
        ("2025-09-30 11:45", "2025-09-30 13:30"),
        ("2025-09-30 12:30", "2025-09-30 13:30"),
        # first winter day (Wed 1 Oct 2025): opens 07:30, lunch 12:00–13:00
        ("2025-10-01 07:10", "2025-10-01 07:30"),
        ("2025-10-01 11:45", "2025-10-01 11:45"),
        ("2025-10-01 12:30", "2025-10-01 13:00"),
        # after the cut-off: the opening of the next working day under that day's hours
        ("2025-09-30 15:00", "2025-10-01 07:30"),  # summer receipt, winter opening
        ("2026-03-31 15:00", "2026-04-01 07:00"),  # winter receipt, summer opening
        ("2025-09-29 15:00", "2025-09-30 07:00"),  # both summer
    ],
)
def test_receipt_uses_the_hours_of_the_receipt_day_and_of_the_next_opening(received: str, effective: str) -> None:
    assert eff(received) == at(effective)


def test_without_dated_hours_the_same_receipts_keep_the_default_hours() -> None:
    assert eff("2025-10-01 07:10", PLAIN) == at("2025-10-01 07:30")
    assert eff("2025-09-30 07:10", PLAIN) == at("2025-09-30 07:30")  # the default opens at 07:30
    assert eff("2025-09-30 15:00", PLAIN) == at("2025-10-01 07:30")


def test_closing_of_the_receipt_day_decides_after_office_hours() -> None:
    """Online without a cut-off (``online_cutoff=None``) counts up to the day's close: 17:00 in summer, 16:30 in
    winter."""
    rules = CountingRules(online_cutoff=None)
    summer = compute_due(at("2025-09-30 16:40"), WD(1), channel=Channel.ONLINE, calendar=EX, rules=rules)
    assert summer.counted_from == date(2025, 9, 30)
    assert summer.effective_received_at is not None
    assert summer.effective_received_at.replace(tzinfo=None) == at("2025-09-30 16:40")
    winter = compute_due(at("2025-10-01 16:40"), WD(1), channel=Channel.ONLINE, calendar=EX, rules=rules)
    assert winter.counted_from == date(2025, 10, 2)
    assert "after office hours" in winter.steps[0]
    assert eff("2025-10-01 16:29", channel=Channel.ONLINE, rules=rules) == at("2025-10-01 16:29")
    assert eff("2025-10-01 16:30", channel=Channel.ONLINE, rules=rules) == at("2025-10-02 07:30")


# -- the due day's close ---------------------------------------------------------------------------------------------


def test_due_at_the_close_of_the_due_day() -> None:
    assert due("2025-09-29 09:00", WD(1)) == at("2025-09-30 17:00")  # due on the last summer day
    assert due("2025-09-30 09:00", WD(1)) == at("2025-10-01 16:30")  # due on the first winter day
    assert due("2026-03-30 09:00", WD(1)) == at("2026-03-31 16:30")  # the last winter day
    assert due("2026-03-31 09:00", WD(1)) == at("2026-04-01 17:00")  # back to summer
    assert due("2025-09-30 09:00", WD(1), PLAIN) == at("2025-10-01 17:00")  # no dated hours: nothing changes


def test_the_trace_names_the_hours_the_due_instant_comes_from() -> None:
    d = compute_due(at("2025-09-30 09:00"), WD(1), calendar=EX)
    assert "winter schedule 2025–2026" in d.steps[-1]
    summer = compute_due(at("2025-09-29 09:00"), WD(1), calendar=EX)
    assert "schedule" not in summer.steps[-1]  # the default hours: nothing to name
    assert d.steps[-1].startswith("due Wed 2025-10-01 16:30 (end of office hours")


def test_due_on_a_half_day_closure_is_due_at_that_days_close() -> None:
    assert due("2026-03-05 09:00", WD(1)) == at("2026-03-06 12:00")
    assert due("2026-03-06 09:00", "Trong ngày") == at("2026-03-06 12:00")
    d = compute_due(at("2026-03-05 09:00"), WD(1), calendar=EX)
    assert "half-day closure" in d.steps[-1]
    # the half day closes at 12:00: the cut-off is that close, not 15:00
    assert eff("2026-03-06 11:59") == at("2026-03-06 11:59")
    moved = compute_due(at("2026-03-06 12:00"), WD(1), calendar=EX)
    assert moved.effective_received_at is not None
    assert moved.effective_received_at.replace(tzinfo=None) == at("2026-03-09 07:30")
    assert "after office hours" in moved.steps[0]
    assert moved.due_at is not None
    assert moved.due_at.replace(tzinfo=None) == at("2026-03-10 16:30")


def test_extra_evening_session() -> None:
    """Tue 30 Jun 2026 has a third session 17:30–19:30: a due day's close is 19:30; the gap at 17:00–17:30 is a
    break like lunch."""
    assert due("2026-06-29 09:00", WD(1)) == at("2026-06-30 19:30")
    rules = CountingRules(online_cutoff=None)
    assert eff("2026-06-30 17:10", channel=Channel.ONLINE, rules=rules) == at("2026-06-30 17:30")
    assert eff("2026-06-30 19:30", channel=Channel.ONLINE, rules=rules) == at("2026-07-01 07:00")


def test_end_of_day_due_instant_is_unchanged_by_dated_hours() -> None:
    rules = CountingRules(due_instant=DueInstant.END_OF_DAY)
    assert due("2025-09-30 09:00", WD(1), rules=rules) == datetime.combine(date(2025, 10, 1), datetime.max.time())


def test_counting_rules_office_hours_win_over_the_calendars() -> None:
    rules = CountingRules(office_hours=OfficeHours.default())
    assert due("2025-09-30 09:00", WD(1), rules=rules) == at("2025-10-01 17:00")
    assert eff("2025-10-01 07:10", rules=rules) == at("2025-10-01 07:30")
    assert due("2025-09-30 14:00", WH(8), rules=rules) == at("2025-10-01 14:00")


def test_half_working_day_is_half_of_the_due_days_sessions() -> None:
    """A reduction can leave half a day (``Fraction(7, 2)``); the half is of the due day's own office time."""
    from tthc.deadlines.reductions import ChannelCondition, Reduction, ReductionRounding
    from tthc.foundation.references import LegalReference

    half = Reduction(
        ChannelCondition(Channel.ONLINE),
        LegalReference(document="test", tag="example"),
        percent=Fraction(50),
        rounding=ReductionRounding.HALF_DAY,
    )  # 1 working day → ½
    d = compute_due(at("2026-03-05 09:00"), WD(1), channel=Channel.ONLINE, calendar=EX, reductions=[half])
    assert d.effective_time == EffectiveTime(TimeUnit.WORKING_DAYS, Fraction(1, 2))
    # due day Fri 6 Mar, the half-day closure: 4 h 30 of office time, half of it is 2 h 15 after 07:30
    assert d.due_at is not None
    assert d.due_at.replace(tzinfo=None) == at("2026-03-06 09:45")
    assert "inside office sessions" in d.steps[-1]


# -- working hours -----------------------------------------------------------------------------------------------------


def test_working_hours_cross_from_summer_into_winter() -> None:
    # Tue 30 Sep 14:00–17:00 = 3 h (summer); Wed 1 Oct 07:30–12:00 = 4 h 30 (winter); 30 min more from 13:00
    assert due("2025-09-30 14:00", WH(8)) == at("2025-10-01 13:30")
    assert due("2025-09-30 14:00", WH(8), PLAIN) == at("2025-10-01 14:00")
    # winter into summer: Tue 31 Mar 14:00–16:30 = 2 h 30; Wed 1 Apr 07:00–11:30 = 4 h 30; 1 h from 13:30
    assert due("2026-03-31 14:00", WH(8)) == at("2026-04-01 14:30")
    # exactly the rest of the day: due at the close of that day (the earliest instant, not the next opening)
    assert due("2025-09-30 14:00", WH(3)) == at("2025-09-30 17:00")
    assert due("2025-10-01 14:00", WH(2)) == at("2025-10-01 16:00")
    assert due("2025-09-30 14:00", WH(0)) == at("2025-09-30 14:00")


def test_working_hours_through_a_half_day_closure() -> None:
    assert due("2026-03-06 10:00", WH(4)) == at("2026-03-09 09:30")  # 2 h on the half day, 2 h on Monday
    assert due("2026-03-06 10:00", WH(2)) == at("2026-03-06 12:00")


def test_opencps_days_as_hours_follow_the_dated_hours() -> None:
    assert due("2025-09-30 14:00", WD(1), profile="opencps") == at("2025-10-01 13:30")


def test_working_hours_agree_with_add_working_time() -> None:
    for text in ("2025-09-30 14:00", "2025-10-01 09:10", "2026-03-06 08:00", "2026-06-30 16:00"):
        for hours in (1, 5, 8, 13, 40):
            start = eff(text)
            assert due(text, WH(hours)) == EX.add_working_time(start, timedelta(hours=hours))


# -- the Dossier ---------------------------------------------------------------------------------------------------


def test_dossier_due_uses_the_dated_hours() -> None:
    from tthc.dossiers import Dossier, Received

    d = Dossier.start(Received(at=at("2025-09-30 09:00")), processing_time="1 ngày làm việc", calendar=EX)
    got = d.due().due_at
    assert got is not None
    assert got.replace(tzinfo=None) == at("2025-10-01 16:30")


# -- batch = scalar on dated calendars (hypothesis) --------------------------------------------------------------------

SAT = OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00"), saturday_reception=[("07:30", "11:30")])
SHORT = OfficeHours.of(("08:00", "11:00"), ("14:00", "16:00"))  # 5 h, no Saturday reception
OWN = public_sector_calendar(
    office_hours=DatedOfficeHours(
        SAT,
        (
            OfficeHoursPeriod(SHORT, date(2025, 10, 4), date(2025, 10, 12), "short"),
            OfficeHoursPeriod(OfficeHours.of(("09:00", "16:00")), date(2026, 3, 1), date(2026, 3, 20), "no lunch"),
        ),
    ),
    culture_day=False,
)
DATED_CALS = [EX, OWN]
DATED_RULES = [
    CountingRules(),
    CountingRules(online_cutoff=None, receipt_day_counted=True),
    CountingRules(due_instant=DueInstant.END_OF_DAY),
    CountingRules(saturday_receipt_counts=True),
    portal_profile("opencps").apply(CountingRules()),
    CountingRules(office_hours=OfficeHours.of(("08:00", "12:00"), ("13:00", "17:00"))),
]
_WINDOWS = [(datetime(2025, 9, 20), datetime(2025, 10, 20)), (datetime(2026, 2, 25), datetime(2026, 4, 10)),
            (datetime(2026, 6, 25), datetime(2026, 7, 5))]  # fmt: skip
near_changes = st.one_of(*(st.datetimes(min_value=a, max_value=b) for a, b in _WINDOWS)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
row = st.tuples(near_changes, st.integers(0, 30), st.sampled_from(list(UNIT_CODES)), st.sampled_from(list(Channel)))


def _scalar(r: datetime, n: int, unit: TimeUnit, ch: Channel, cal: object, rules: CountingRules) -> np.datetime64:
    if unit is TimeUnit.UNKNOWN_UNIT:
        return np.datetime64("NaT")
    pt = ProcessingTime(unit) if unit in (TimeUnit.WITHIN_DAY, TimeUnit.UNSPECIFIED) else ProcessingTime(unit, n)
    d = compute_due(r, pt, channel=ch, calendar=cal, rules=rules)  # type: ignore[arg-type]
    return np.datetime64("NaT") if d.due_at is None else np.datetime64(d.due_at.replace(tzinfo=None), "us")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(row, min_size=1, max_size=40),
    st.integers(0, len(DATED_CALS) - 1),
    st.integers(0, len(DATED_RULES) - 1),
)
def test_batch_equals_scalar_on_dated_hours(
    rows: list[tuple[datetime, int, TimeUnit, Channel]], cal_i: int, rules_i: int
) -> None:
    cal, rules = DATED_CALS[cal_i], DATED_RULES[rules_i]
    got = compute_due_many(
        np.array([r for r, *_ in rows], dtype="datetime64[s]"),
        np.array([n for _, n, *_ in rows]),
        np.array([UNIT_CODES[u] for _, _, u, _ in rows]),
        channels=np.array([c.portal_code for *_, c in rows]),
        calendar=cal,
        rules=rules,
    )
    want = np.array([_scalar(r, n, u, c, cal, rules) for r, n, u, c in rows], dtype="datetime64[us]")
    np.testing.assert_array_equal(got, want)


def test_batch_on_the_boundaries() -> None:
    received = np.array(
        ["2025-09-30T15:00", "2025-09-30T09:00", "2025-09-30T14:00", "2026-03-05T09:00", "2026-03-06T10:00"],
        dtype="datetime64[s]",
    )
    got = compute_due_many(received, np.array([0, 1, 8, 1, 4]), np.array([2, 0, 2, 0, 2]), calendar=EX)
    want = ["2025-10-01T07:30", "2025-10-01T16:30", "2025-10-01T13:30", "2026-03-06T12:00", "2026-03-09T09:30"]
    np.testing.assert_array_equal(got, np.array(want, dtype="datetime64[us]"))


def test_batch_working_hours_beyond_the_calendar_are_flagged_not_wrong() -> None:
    from tthc.deadlines.batch import compute_due_many_checked
    from tthc.errors import CalendarRangeError

    received = np.array(["2100-12-31T09:00", "2100-12-31T09:00"], dtype="datetime64[s]")
    due_at, flagged = compute_due_many_checked(received, np.array([2, 40]), np.array([2, 2]), calendar=EX)
    assert flagged.tolist() == [False, True]
    assert due_at[0] == np.datetime64("2100-12-31T11:00")
    assert np.isnat(due_at[1])
    with pytest.raises(CalendarRangeError, match="row 1"):
        compute_due_many(received, np.array([2, 40]), np.array([2, 2]), calendar=EX)
