"""Fast paths of a piece's checks give what the plain ones give (issue 16, item 4): the batch due-date engine on
integer seconds whatever unit the receipts come in, dossier-code dates read two digits at a time, the duplicate
check's end reading several buckets at once, and postal keys told apart without a sort."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import public_sector_calendar
from tthc.deadlines.batch import compute_due_many_checked
from tthc.deadlines.counting import CountingRules
from tthc.validation.checks import _yymmdd, _yymmdd_many
from tthc.validation.duplicates import _bucket_ranges
from tthc.validation.steps import _distinct

CAL = public_sector_calendar()
FIRST = int(np.datetime64(CAL.first, "s").astype(np.int64))
LAST = int((np.datetime64(CAL.last, "D") + 1).astype("datetime64[s]").astype(np.int64))
DAY = 86_400


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(FIRST // 60 - 400 * 24 * 60, LAST // 60 + 400 * 24 * 60), min_size=1, max_size=40),
    st.data(),
    st.sampled_from(["m", "s", "us", "ns"]),
    st.booleans(),
)
def test_due_dates_do_not_depend_on_the_unit_of_the_receipts(
    minutes: list[int], data: st.DataObject, unit: str, counted: bool
) -> None:
    """The same instants in minutes, seconds, micro- or nanoseconds: the same due dates and flags — days before
    and after the calendar's range included (flagged, never wrong)."""
    n = len(minutes)
    amounts = np.array(data.draw(st.lists(st.integers(-1, 40), min_size=n, max_size=n)), dtype=np.int64)
    units = np.array(data.draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=np.int64)
    channels = np.array(data.draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)), dtype=np.int64)
    rules = CountingRules(receipt_day_counted=counted)
    received = np.array(minutes, dtype=np.int64).astype("datetime64[m]")
    want = compute_due_many_checked(received, amounts, units, channels=channels, calendar=CAL, rules=rules)
    got = compute_due_many_checked(
        received.astype(f"datetime64[{unit}]"), amounts, units, channels=channels, calendar=CAL, rules=rules
    )
    assert got[0].view(np.int64).tolist() == want[0].view(np.int64).tolist()
    assert got[1].tolist() == want[1].tolist()


def test_far_days_in_a_coarse_unit_are_flagged_not_wrapped() -> None:
    """A day whose seconds overflow int64 is outside the calendar — not the day inside it its seconds wrap to (2**57
    days after 2024-10-04 wrap to 2024-10-04 itself)."""
    days = [20_000 + 2**57, -(10**17), 20_000]  # the last one: 2024-10-04
    far = np.array(days, dtype=np.int64).astype("datetime64[D]")
    due, flagged = compute_due_many_checked(far, np.array([1, 1, 1]), np.array([0, 0, 0]), calendar=CAL)
    assert flagged.tolist() == [True, True, False]
    assert np.isnat(due[:2]).all()
    assert not np.isnat(due[2])


DIGIT_ROWS = st.lists(
    st.text(alphabet="0123456789x/", min_size=6, max_size=6) | st.from_regex(r"\A[0-9]{6}\Z"), max_size=50
)


@settings(max_examples=200, deadline=None)
@given(DIGIT_ROWS)
def test_code_dates_read_two_digits_at_a_time_as_one_by_one(rows: list[str]) -> None:
    m = np.frombuffer("".join(rows).encode(), dtype=np.uint8).reshape(len(rows), 6)
    want = [_yymmdd(f"x-{r}-1") if r.isdigit() else np.datetime64("NaT", "D") for r in rows]
    got = _yymmdd_many(m[:, :6])
    assert [str(v) for v in got] == [str(v) for v in want]


def test_code_dates_on_both_sides_of_the_month_ends() -> None:
    rows = ["240229", "250229", "250228", "250431", "250430", "251301", "250100", "991231", "000101"]
    got = _yymmdd_many(np.frombuffer("".join(rows).encode(), dtype=np.uint8).reshape(-1, 6))
    expected = [date(2024, 2, 29), None, date(2025, 2, 28), None, date(2025, 4, 30), None, None, date(2099, 12, 31)]
    expected.append(date(2000, 1, 1))
    assert [None if np.isnat(v) else v.astype(date) for v in got] == expected


@given(st.lists(st.integers(0, 50), min_size=1, max_size=40), st.integers(1, 120))
def test_bucket_ranges_cover_every_bucket_once_within_the_bound(counts: list[int], most: int) -> None:
    ends = _bucket_ranges(np.array(counts, dtype=np.int64), most)
    starts = [0, *ends[:-1]]
    assert ends[-1] == len(counts)
    assert all(a < b for a, b in zip(starts, ends, strict=True))
    for a, b in zip(starts, ends, strict=True):
        # within the bound, or one bucket larger than it (with empty ones beside it)
        assert sum(counts[a:b]) <= most or sum(1 for c in counts[a:b] if c) == 1


@given(st.lists(st.integers(0, 60), min_size=1, max_size=80), st.integers(0, 40))
def test_distinct_postal_keys_as_numpy_unique_finds_them(keys: list[int], extra: int) -> None:
    """Counted in a table when the keys are few, sorted when they are not: numpy's first places and indices."""
    key = np.array(keys, dtype=np.int64)
    _uniq, first, back = np.unique(key, return_index=True, return_inverse=True)
    for space in (max(keys) + 1 + extra, 10**9):
        got_first, got_back = _distinct(key, space)
        assert got_first.tolist() == first.tolist()
        assert got_back.tolist() == back.reshape(-1).tolist()
