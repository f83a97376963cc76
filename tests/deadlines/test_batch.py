"""The batch path equals the scalar path (hypothesis), accounts for every row and refuses out-of-range dates."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import OfficeHours, public_sector_calendar
from tthc.deadlines.batch import UNIT_CODES
from tthc.deadlines.compute import (
    TIMELINESS_CODES,
    CountingRules,
    DueInstant,
    MonthEnd,
    UnknownUnitPolicy,
    classify_detail,
    classify_many,
    compute_due,
    compute_due_many,
)
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import CalendarRangeError, InvalidValueError
from tthc.foundation.channels import Channel

SAT_HOURS = OfficeHours.of(("07:30", "11:30"), ("13:00", "17:00"), saturday_reception=[("07:30", "11:30")])
CALS = [public_sector_calendar(), public_sector_calendar(office_hours=SAT_HOURS, culture_day=False)]
RULES = [
    CountingRules(),
    CountingRules(receipt_day_counted=True, due_instant=DueInstant.END_OF_DAY),
    CountingRules(online_cutoff=None, month_end=MonthEnd.NEXT_DAY, roll_to_working_day=False),
    CountingRules(saturday_receipt_counts=True),
]

instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
row = st.tuples(
    instants,
    st.integers(0, 40),
    st.sampled_from(list(UNIT_CODES)),
    st.sampled_from(list(Channel)),
)


def scalar(r: datetime, n: int, unit: TimeUnit, ch: Channel, cal_i: int, rules: CountingRules) -> np.datetime64:
    pt = ProcessingTime(unit) if unit in (TimeUnit.WITHIN_DAY, TimeUnit.UNSPECIFIED) else ProcessingTime(unit, n)
    if unit is TimeUnit.UNKNOWN_UNIT:
        return np.datetime64("NaT")
    d = compute_due(r, pt, channel=ch, calendar=CALS[cal_i], rules=rules)
    if d.due_at is None:
        return np.datetime64("NaT")
    return np.datetime64(d.due_at.replace(tzinfo=None), "us")


@settings(max_examples=150, deadline=None)
@given(st.lists(row, min_size=1, max_size=40), st.integers(0, len(CALS) - 1), st.integers(0, len(RULES) - 1))
def test_batch_equals_scalar(rows: list[tuple[datetime, int, TimeUnit, Channel]], cal_i: int, rules_i: int) -> None:
    """compute_due_many == compute_due row by row, for every unit, channel and rules variant."""
    rules = RULES[rules_i]
    received = np.array([r for r, *_ in rows], dtype="datetime64[s]")
    amounts = np.array([n for _, n, *_ in rows])
    units = np.array([UNIT_CODES[u] for _, _, u, _ in rows])
    channels = np.array([c.portal_code for *_, c in rows])
    got = compute_due_many(received, amounts, units, channels=channels, calendar=CALS[cal_i], rules=rules)
    want = np.array([scalar(r, n, u, c, cal_i, rules) for r, n, u, c in rows], dtype="datetime64[us]")
    np.testing.assert_array_equal(got, want)
    # the same with unit and channel names instead of codes
    got2 = compute_due_many(
        received,
        amounts,
        np.array([u.value for _, _, u, _ in rows]),
        channels=np.array([c.value for *_, c in rows]),
        calendar=CALS[cal_i],
        rules=rules,
    )
    np.testing.assert_array_equal(got2, want)


def test_every_row_accounted_for() -> None:
    """NaT receipt, unspecified, unknown unit and negative amounts give NaT; the others a due instant."""
    received = np.array(["2026-11-20T16:30", "NaT", "2026-11-20T10:00", "2026-11-20T10:00", "2026-11-20T10:00"],
                        dtype="datetime64[s]")  # fmt: skip
    out = compute_due_many(received, np.array([5, 5, 0, 7, -1]), np.array([0, 0, 5, 6, 0]))
    assert out[0] == np.datetime64("2026-12-01T17:00")
    assert np.isnat(out[1:]).all()
    assert out.shape == received.shape
    # the scalar path agrees: unknown unit raises by default, gives no due date on request
    soft = CountingRules(unknown_unit=UnknownUnitPolicy.NO_DUE_DATE)
    assert compute_due(datetime(2026, 11, 20, 10), "7", rules=soft).due_at is None


def test_batch_refuses_out_of_range() -> None:
    with pytest.raises(CalendarRangeError):
        compute_due_many(np.array(["2100-12-30T10:00"], dtype="datetime64[s]"), np.array([10]), np.array([0]))
    with pytest.raises(CalendarRangeError):
        compute_due_many(np.array(["1999-12-30T10:00"], dtype="datetime64[s]"), np.array([1]), np.array([0]))
    with pytest.raises(InvalidValueError, match="units"):
        compute_due_many(np.array(["2026-01-05T10:00"], dtype="datetime64[s]"), np.array([1]), np.array(["weeks"]))
    with pytest.raises(InvalidValueError, match="received_at"):
        compute_due_many(np.array([1, 2]), np.array([1, 1]), np.array([0, 0]))


def test_large_batch_runs() -> None:
    rng = np.random.default_rng(1)
    n = 20_000
    base = np.datetime64("2024-01-01T00:00", "s")
    received = base + rng.integers(0, 3 * 365 * 86400, n).astype("timedelta64[s]")
    out = compute_due_many(received, rng.integers(0, 30, n), rng.integers(0, 5, n))
    assert not np.isnat(out).any()
    assert (out >= received).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(instants, instants), min_size=1, max_size=30))
def test_classify_many_equals_classify_detail(pairs: list[tuple[datetime, datetime]]) -> None:
    due = np.array([a for a, _ in pairs], dtype="datetime64[us]")
    fin = np.array([b for _, b in pairs], dtype="datetime64[us]")
    codes, overdue = classify_many(due, fin)
    for (a, b), c, o in zip(pairs, codes, overdue, strict=True):
        detail = classify_detail(a, b)
        assert TIMELINESS_CODES[int(c)] == detail.timeliness.value
        assert int(o) == detail.overdue_working_days


def test_classify_many_nat() -> None:
    codes, overdue = classify_many(
        np.array(["2026-11-27T17:00", "NaT"], dtype="datetime64[s]"),
        np.array(["2026-12-02T09:00", "2026-12-02T09:00"], dtype="datetime64[s]"),
    )
    assert list(codes) == [2, -1]
    assert list(overdue) == [3, 0]


@pytest.mark.parametrize(
    ("unit", "shift"), [("s", 2**58), ("h", 2**54), ("D", 2**51), ("W", 2**51)], ids=["s", "h", "D", "W"]
)
def test_per_row_answers_for_instants_far_outside_the_calendar_are_null_not_a_wrapped_date(
    unit: str, shift: int
) -> None:
    """``due_or_nat`` / ``timeliness_or_null`` (one answer per row: the SQL functions and dataframe expressions)
    converted their input to microseconds before checking it lay in the calendar; numpy does not check that
    conversion for overflow, so an instant beyond ±292,000 years wrapped to an arbitrary one, now and then inside
    the calendar, and got a due date. Realistic input: epoch microseconds handed over as seconds (21 of 200,000
    receipts of 2025 got a due date). Here also values ``shift`` units beyond days of 2025, whose microseconds wrap
    exactly onto them. Expected: NaT / None for every such row; the row inside the calendar keeps its answer."""
    from tthc.deadlines.per_row import due_or_nat, timeliness_or_null

    cal = public_sector_calendar()
    inside = np.array(["2025-03-03T08:00"], dtype=f"datetime64[{unit}]")
    far = (inside.astype(np.int64) + shift + np.arange(-50, 50)).view(f"datetime64[{unit}]")
    if unit == "s":  # epoch microseconds read as seconds
        start = np.datetime64("2025-01-01T00:00:00", "us").astype(np.int64)
        mixed_up = start + np.random.default_rng(1).integers(0, 365 * 86_400 * 10**6, 200_000)
        far = np.concatenate([far, mixed_up.view("datetime64[s]")])
    received = np.concatenate([far, inside])
    due = due_or_nat(received, np.full(len(received), 5), np.zeros(len(received), dtype=np.int64), calendar=cal)
    assert np.isnat(due[:-1]).all(), f"{int((~np.isnat(due[:-1])).sum())} far receipts got a due date"
    assert not np.isnat(due[-1])
    finished = np.full(len(received), np.datetime64("2025-03-05T10:00", "us"))
    classes = timeliness_or_null(received, finished, cal)
    assert set(classes[:-1].tolist()) == {None}
    assert classes[-1] is not None


def test_per_row_helpers_never_wrap_an_unsigned_count_to_a_negative_one() -> None:
    """An unsigned count past int64's largest (2**64 - 1) became -1 in ``add_working_days_or_nat`` — the working day
    *before* — and a negative amount in ``due_or_nat``: it is out of every range, so no answer (NaT), like the
    largest signed count (found by session 11's review of the data bridges)."""
    from tthc.deadlines.per_row import add_working_days_or_nat, due_or_nat

    cal = public_sector_calendar()
    day = np.array(["2026-03-02", "2026-03-02"], "datetime64[D]")
    got = add_working_days_or_nat(day, np.array([2**64 - 1, 1], dtype=np.uint64), cal)
    assert np.isnat(got[0])
    assert got[1] == np.datetime64("2026-03-03")
    received = np.array(["2026-03-02T09:00", "2026-03-02T09:00"], "datetime64[s]")
    due = due_or_nat(received, np.array([2**64 - 1, 1], np.uint64), np.zeros(2, np.int64), calendar=cal)
    assert np.isnat(due[0])
    assert due[1] == np.datetime64("2026-03-03T17:00")


def test_due_or_nat_reads_integer_channels_as_portal_codes() -> None:
    """Channel 2 (online) as an integer array was compared with the texts "online" / "2" and read as direct: the
    online cut-off was lost. As ``compute_due_many`` reads it, 2 is online."""
    from tthc.deadlines.counting import CountingRules
    from tthc.deadlines.per_row import due_or_nat

    cal = public_sector_calendar()
    rules = CountingRules(online_cutoff=None)  # online dossiers: no cut-off (an option: the law is open)
    received = np.array(["2026-03-02T16:00"] * 3, "datetime64[s]")  # after the desk's 15:00 cut-off
    args = (received, np.full(3, 1), np.zeros(3, np.int64))
    by_code = due_or_nat(*args, channels=np.array([1, 2, 3]), calendar=cal, rules=rules)
    by_name = due_or_nat(*args, channels=np.array(["direct", "online", "postal"]), calendar=cal, rules=rules)
    assert by_code.tolist() == by_name.tolist()
    assert by_code[1] < by_code[0]  # online at 16:00 counts from that day, the desk's receipt from the next
