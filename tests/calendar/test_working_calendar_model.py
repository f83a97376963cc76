"""The working calendar against a day-by-day model, on calendars generated and compiled inside each example.

Every day method and every batch form must agree with the definition (the weekly rule, minus the days off, plus the
working days, within the compiled range) on any calendar: ranges that start before, on and after 1970-01-01 (the
origin of numpy's day numbers, which the batch fast path indexes by), any weekly rule, days off and working days in
and outside the range. The batch forms are fed every shape of input their fast path must tell from its general path
— NaT, dates and answers outside the range, counts of zero and below, other date units, two dimensions, a scalar
count — and must give the scalar answers element by element, or refuse with the scalar's error (issue 11, item 14:
mutation testing compiles each example's calendar under the mutant).
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.calendar.working_calendar import WorkingCalendar

D = date.fromisoformat
EPOCH = D("1970-01-01")


@attrs.frozen
class Model:
    """The definition of a working calendar, evaluated one day at a time."""

    first: date
    last: date
    weekmask: str
    days_off: frozenset[date]
    working_days: frozenset[date]

    def in_range(self, d: date) -> bool:
        return self.first <= d <= self.last

    def is_working_day(self, d: date) -> bool:
        if d in self.working_days:
            return True
        return d not in self.days_off and self.weekmask[d.weekday()] == "1"

    def add(self, d: date, n: int) -> date | None:
        """The n-th working day after d (before it when n < 0); None when the walk leaves the range."""
        if not self.in_range(d):
            return None
        step = timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        while left:
            d += step
            if not self.in_range(d):
                return None
            left -= self.is_working_day(d)
        return d

    def between(self, a: date, b: date) -> int:
        lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
        return sign * sum(self.is_working_day(lo + timedelta(days=k)) for k in range(1, (hi - lo).days + 1))

    def compile(self) -> WorkingCalendar:
        return WorkingCalendar.compile(
            first=self.first,
            last=self.last,
            days_off={d: f"off {d}" for d in self.days_off},
            working_days={d: f"worked {d}" for d in self.working_days},
            weekmask=self.weekmask,
            description="model",
        )


@st.composite
def models(draw: st.DrawFn) -> Model:
    # around 1970-01-01 (before, on and after the origin of numpy's day numbers), or in an ordinary year
    anchor = draw(st.sampled_from([D("1969-12-31"), EPOCH, D("1970-01-02"), D("1969-11-20"), D("2030-01-01")]))
    first = anchor + timedelta(days=draw(st.integers(-3, 3)))
    last = first + timedelta(days=draw(st.integers(0, 40)))
    weekmask = draw(st.text("01", min_size=7, max_size=7).filter(lambda w: "1" in w))
    near = st.dates(min_value=first - timedelta(days=5), max_value=last + timedelta(days=5))
    days_off = draw(st.frozensets(near, max_size=8))
    working = draw(st.frozensets(near, max_size=8))
    return Model(first, last, weekmask, days_off, working)


def _queries(model: Model) -> st.SearchStrategy[list[tuple[date | None, int]]]:
    day = st.dates(min_value=model.first - timedelta(days=3), max_value=model.last + timedelta(days=3))
    return st.lists(st.tuples(st.none() | day, st.integers(-12, 12)), min_size=1, max_size=12)


def _scalar_batch(model: Model, rows: list[tuple[date | None, int]]) -> list[date | None] | None:
    """What the batch form must answer: the scalar answers (None for NaT), or None when one is out of range."""
    out: list[date | None] = []
    for d, n in rows:
        if d is None:
            out.append(None)
            continue
        answer = model.add(d, n)
        if answer is None:
            return None
        out.append(answer)
    return out


def _as_dates(values: np.ndarray) -> list[date | None]:
    return [None if np.isnat(v) else v.astype("datetime64[D]").astype(object) for v in values.ravel()]


@settings(max_examples=60)
@given(models(), st.data())
def test_day_methods_follow_the_definition(model: Model, data: st.DataObject) -> None:
    cal = model.compile()
    assert (cal.first, cal.last, cal.weekmask) == (model.first, model.last, model.weekmask)
    days = [model.first + timedelta(days=k) for k in range((model.last - model.first).days + 1)]
    assert [cal.is_working_day(d) for d in days] == [model.is_working_day(d) for d in days]
    assert list(cal.mask) == [model.is_working_day(d) for d in days]
    for d, n in data.draw(_queries(model)):
        if d is None:
            continue
        expected = model.add(d, n)
        if expected is None:
            with pytest.raises(tthc.CalendarRangeError):
                cal.add_working_days(d, n)
        else:
            assert cal.add_working_days(d, n) == expected, (d, n)
            assert cal.add_working_days(d, np.int64(n)) == expected  # type: ignore[arg-type]
        if model.in_range(d):
            assert cal.working_days_between(model.first, d) == model.between(model.first, d)
            assert cal.working_days_between(d, model.first) == -model.between(model.first, d)
            following = model.add(d, 1)
            if following is not None:
                assert cal.next_working_day(d) == following
            rolled = d if model.is_working_day(d) else following
            if rolled is not None:
                assert cal.roll_forward(d) == rolled


@settings(max_examples=80)
@given(models(), st.data(), st.sampled_from(["D", "s"]), st.booleans())
def test_batch_add_equals_the_scalar_answers(model: Model, data: st.DataObject, unit: str, two_rows: bool) -> None:
    cal = model.compile()
    rows = data.draw(_queries(model))
    dates = np.array([np.datetime64("NaT") if d is None else np.datetime64(d) for d, _ in rows], f"datetime64[{unit}]")
    # unsigned counts too when no count is negative: any whole-number dtype takes the same paths
    kinds = [np.int64, np.int32, np.uint8] if all(n >= 0 for _, n in rows) else [np.int64, np.int32]
    ns = np.array([n for _, n in rows], dtype=data.draw(st.sampled_from(kinds)))
    if two_rows and len(rows) % 2 == 0:
        dates, ns = dates.reshape(2, -1), ns.reshape(2, -1)
    expected = _scalar_batch(model, rows)
    if expected is None:
        with pytest.raises(tthc.CalendarRangeError):
            cal.add_working_days_many(dates, ns)
        return
    out = cal.add_working_days_many(dates, ns)
    assert out.dtype == np.dtype("datetime64[D]")
    assert out.shape == dates.shape
    assert _as_dates(out) == expected


@settings(max_examples=60)
@given(models(), st.data())
def test_batch_add_with_one_count_for_every_date(model: Model, data: st.DataObject) -> None:
    cal = model.compile()
    n = data.draw(st.integers(-12, 12))
    rows = [(d, n) for d, _ in data.draw(_queries(model))]
    dates = np.array([np.datetime64("NaT") if d is None else np.datetime64(d) for d, _ in rows], "datetime64[D]")
    expected = _scalar_batch(model, rows)
    if expected is None:
        with pytest.raises(tthc.CalendarRangeError):
            cal.add_working_days_many(dates, n)
    else:
        assert _as_dates(cal.add_working_days_many(dates, n)) == expected


@settings(max_examples=60)
@given(models(), st.data())
def test_batch_day_tests_and_counts_equal_the_scalar_answers(model: Model, data: st.DataObject) -> None:
    cal = model.compile()
    days = data.draw(
        st.lists(st.none() | st.dates(min_value=model.first, max_value=model.last), min_size=1, max_size=10)
    )
    arr = np.array([np.datetime64("NaT") if d is None else np.datetime64(d) for d in days], "datetime64[D]")
    assert list(cal.is_working_day_many(arr)) == [d is not None and model.is_working_day(d) for d in days]
    ends = arr[::-1]
    between = cal.working_days_between_many(arr, ends)
    for d, e, got in zip(days, days[::-1], between.tolist(), strict=True):
        if d is not None and e is not None:
            assert got == model.between(d, e)


@settings(max_examples=40)
@given(models(), st.data())
def test_table_indices_equal_the_scalar_answers(model: Model, data: st.DataObject) -> None:
    cal = model.compile()
    size = (model.last - model.first).days + 1
    rows = data.draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(-12, 12)), min_size=1, max_size=10))
    idx = np.array([i for i, _ in rows], dtype=np.int64)
    ns = np.array([n for _, n in rows], dtype=np.int64)
    answers = [model.add(model.first + timedelta(days=i), n) for i, n in rows]
    if any(a is None for a in answers):
        with pytest.raises(tthc.CalendarRangeError) as info:
            cal.add_working_days_indices(idx, ns)
        assert str(info.value) == (
            f"ns: some answers lie outside the compiled range {model.first.isoformat()}..{model.last.isoformat()}"
        )
    else:
        out = cal.add_working_days_indices(idx, ns)
        assert out.dtype == np.int64
        assert [model.first + timedelta(days=int(k)) for k in out] == answers


def test_table_indices_are_checked() -> None:
    model = Model(D("2030-01-01"), D("2030-01-10"), "1111100", frozenset(), frozenset())
    cal = model.compile()
    for idx in ([-1], [10], [0, 10]):
        with pytest.raises(tthc.CalendarRangeError) as info:
            cal.add_working_days_indices(np.array(idx), np.array([1] * len(idx)))
        assert str(info.value) == "idx: expected table indices in 0..9"
    assert list(cal.add_working_days_indices(np.array([0, 9]), np.array([0, 0]))) == [0, 9]
    with pytest.raises(tthc.InvalidValueError) as bad:
        cal.add_working_days_indices(np.array([0.0]), np.array([1]))
    assert (bad.value.field, bad.value.expected) == ("idx/ns", "arrays of whole numbers")
    assert bad.value.given == (np.dtype("float64"), np.dtype("int64"))
    with pytest.raises(tthc.InvalidValueError) as bad:
        cal.add_working_days_indices(np.array([0]), np.array([1.0]))
    assert bad.value.given == (np.dtype("int64"), np.dtype("float64"))


def test_batch_counts_must_be_whole_numbers_and_broadcast() -> None:
    cal = Model(D("2030-01-01"), D("2030-01-31"), "1111100", frozenset(), frozenset()).compile()
    dates = np.array(["2030-01-01", "2030-01-02"], "datetime64[D]")
    with pytest.raises(tthc.InvalidValueError) as bad:
        cal.add_working_days_many(dates, np.array([1.0, 2.0]))
    assert (bad.value.field, bad.value.expected) == ("ns", "an array of whole numbers")
    with pytest.raises(tthc.InvalidValueError) as bad:
        cal.add_working_days_many(dates, np.array([1, 2, 3]))
    assert (bad.value.field, bad.value.expected, bad.value.given) == (
        "ns",
        "an array that broadcasts with dates (2,)",
        (3,),
    )
    # one row per date and per count, the fast path's own shape, gives the same as a broadcast count
    assert list(cal.add_working_days_many(dates, np.array([1, 1]))) == list(cal.add_working_days_many(dates, 1))
    assert cal.add_working_days_many(dates[:0], np.array([], dtype=np.int64)).shape == (0,)
    one = cal.add_working_days_many(np.datetime64("2030-01-04", "D"), np.int64(1))  # a Friday: Monday next
    assert (one.shape, one.dtype, one.item()) == ((), np.dtype("datetime64[D]"), D("2030-01-07"))


def test_a_calendar_without_a_working_day_still_adds_zero_days() -> None:
    # a weekend alone: no working day in the range. Zero days from a date is that date on the batch path as on the
    # scalar path (the batch path used to refuse it as "outside the compiled range")
    cal = Model(D("2030-01-05"), D("2030-01-06"), "1111100", frozenset(), frozenset()).compile()
    dates = np.array(["2030-01-05", "NaT", "2030-01-06"], "datetime64[D]")
    assert _as_dates(cal.add_working_days_many(dates, 0)) == [D("2030-01-05"), None, D("2030-01-06")]
    assert cal.add_working_days(D("2030-01-06"), 0) == D("2030-01-06")
    indices = cal.add_working_days_indices(np.array([1, 0]), np.array([0, 0]))
    assert (indices.dtype, list(indices)) == (np.dtype(np.int64), [1, 0])
    with pytest.raises(tthc.CalendarRangeError):
        cal.add_working_days_many(dates, np.array([0, 0, 1]))
    with pytest.raises(tthc.CalendarRangeError):
        cal.add_working_days(D("2030-01-05"), 1)


def test_a_calendar_from_1970_01_01_answers_batches_like_the_scalar_path() -> None:
    # day 0 of numpy's day numbers is the first day of the range: the batch fast path indexes its tables from there
    model = Model(EPOCH, D("1970-03-31"), "1111100", frozenset({D("1970-01-05")}), frozenset({D("1970-01-10")}))
    cal = model.compile()
    days = [EPOCH + timedelta(days=k) for k in range(0, 60, 3)]
    dates = np.array(days, "datetime64[D]")
    for n in (1, 2, 7):
        assert _as_dates(cal.add_working_days_many(dates, np.full(len(days), n))) == [model.add(d, n) for d in days]


def test_batch_counts_between_are_whole_numbers_and_name_the_end_outside_the_range() -> None:
    cal = Model(D("2030-01-01"), D("2030-01-31"), "1111100", frozenset(), frozenset()).compile()
    inside = np.array(["2030-01-01", "2030-01-31"], "datetime64[D]")
    counts = cal.working_days_between_many(inside, inside[::-1])
    assert (counts.dtype, list(counts)) == (np.dtype(np.int64), [22, -22])
    outside = np.array(["2030-01-01", "2030-02-01"], "datetime64[D]")
    expected = "expected dates in 2030-01-01..2030-01-31 (the compiled range), got 2030-02-01 (1 such rows)"
    with pytest.raises(tthc.CalendarRangeError) as info:
        cal.working_days_between_many(outside, inside)
    assert str(info.value) == f"start: {expected}"
    with pytest.raises(tthc.CalendarRangeError) as info:
        cal.working_days_between_many(inside, outside)
    assert str(info.value) == f"end: {expected}"


def test_batch_add_takes_any_spelling_of_dates() -> None:
    model = Model(EPOCH, D("1970-01-31"), "1111100", frozenset(), frozenset())
    cal = model.compile()
    expected = [model.add(D("1970-01-02"), 1), model.add(D("1970-01-05"), 2)]
    for dates in (
        ["1970-01-02", "1970-01-05"],  # text
        [D("1970-01-02"), D("1970-01-05")],  # date objects
        np.array(["1970-01-02T10:00", "1970-01-05T00:00"], "datetime64[s]"),  # seconds since the epoch are small
        np.array(["1970-01-02T10", "1970-01-05T23"], "datetime64[h]"),
    ):
        assert _as_dates(cal.add_working_days_many(dates, np.array([1, 2]))) == expected  # type: ignore[arg-type]


def test_batch_forms_name_what_they_refuse() -> None:
    cal = Model(D("2030-01-01"), D("2030-01-31"), "1111100", frozenset(), frozenset()).compile()
    bad = ["not a date"]
    with pytest.raises(tthc.InvalidValueError) as info:
        cal.is_working_day_many(bad)
    assert (info.value.field, info.value.expected) == ("dates", "an array of dates (datetime64[D])")
    assert info.value.given is bad
    counts = np.array([1.5])
    with pytest.raises(tthc.InvalidValueError) as info:
        cal.add_working_days_many(np.array(["2030-01-02"], "datetime64[D]"), counts)
    assert info.value.given is counts
    with pytest.raises(tthc.CalendarRangeError) as rng:
        cal.add_working_days_many(np.array(["2030-01-02", "2030-02-02"], "datetime64[D]"), np.array([1, 1]))
    assert str(rng.value) == (
        "dates: expected dates in 2030-01-01..2030-01-31 (the compiled range), got 2030-02-02 (1 such rows)"
    )
