"""The scalar fast paths: a processing-time text is parsed once; compute_due answers the same with text or value.

No timing here (benchmarks/deadlines.py measures); these tests pin what the fast paths must keep: the same results,
the same errors, every time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.deadlines import processing_time as pt_module
from tthc.deadlines.compute import compute_due
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import CalendarRangeError, ParseError

TEXTS = [
    "5 ngày làm việc",
    "05 Ngày làm việc",
    "15 Ngày",
    "8 Giờ",
    "04 Giờ làm việc",
    "03 Tháng",
    "2 Tuần",
    "Trong ngày",
    "Không quy định",
    "20",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_is_parsed_once_and_reads_the_same(text: str) -> None:
    first = ProcessingTime.parse(text)
    again = ProcessingTime.parse(text)
    assert again is first  # served from the cache
    fresh = ProcessingTime._parse(text)  # the parser itself, uncached
    assert (first.unit, first.amount, first.text) == (fresh.unit, fresh.amount, fresh.text)
    assert first.text == text


def test_equal_values_from_different_texts_keep_their_own_text() -> None:
    a, b = ProcessingTime.parse("5 ngày làm việc"), ProcessingTime.parse("05 Ngày làm việc")
    assert a == b
    assert (a.text, b.text) == ("5 ngày làm việc", "05 Ngày làm việc")


@pytest.mark.parametrize("text", ["10-25 ngày", "0.5 Giờ", "-5 Ngày làm việc", "", "abc", "5 giờ 30 phút"])
def test_a_text_that_does_not_parse_raises_every_time(text: str) -> None:
    for _ in range(3):
        with pytest.raises(ParseError) as err:
            ProcessingTime.parse(text)
        assert err.value.given == text


@pytest.mark.parametrize("value", [None, 5, ["5 ngày"], {"a": 1}, b"5 ngay"])
def test_a_value_that_is_not_text_is_a_parse_error_not_a_type_error(value: object) -> None:
    with pytest.raises(ParseError):
        ProcessingTime.parse(value)  # type: ignore[arg-type]


def test_the_cache_is_bounded() -> None:
    info = pt_module._parse_cached.cache_info()
    assert info.maxsize is not None
    for n in range(info.maxsize + 10):
        ProcessingTime.parse(f"{n} ngày")
    assert pt_module._parse_cached.cache_info().currsize == info.maxsize


def test_a_subclass_parses_to_itself() -> None:
    class Mine(ProcessingTime):
        __slots__ = ()

    got = Mine.parse("5 ngày làm việc")
    assert type(got) is Mine
    assert (got.unit, got.amount) == (TimeUnit.WORKING_DAYS, 5)


_TEXT_OF = {
    TimeUnit.WORKING_DAYS: "{} ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "{} Ngày",
    TimeUnit.WORKING_HOURS: "{} Giờ",
    TimeUnit.MONTHS: "{} Tháng",
}


@settings(max_examples=300, deadline=None)
@given(
    received=st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31)),
    unit=st.sampled_from(sorted(_TEXT_OF)),
    amount=st.integers(0, 60),
    channel=st.sampled_from(["direct", "online", "postal"]),
)
def test_compute_due_with_text_equals_compute_due_with_the_value(
    received: datetime, unit: TimeUnit, amount: int, channel: str
) -> None:
    text = _TEXT_OF[unit].format(amount)
    by_text = compute_due(received, text, channel=channel)
    by_value = compute_due(received, ProcessingTime(unit, amount), channel=channel)
    assert by_text == by_value
    assert by_text.steps == by_value.steps
    assert by_text.processing_time.text == text


def test_a_time_longer_than_the_calendar_is_still_refused() -> None:
    """The range guard is skipped for small amounts only: every unit's large amounts still reach it."""
    for pt in (
        ProcessingTime.months(1400),
        ProcessingTime.working_days(40_000),
        ProcessingTime.calendar_days(40_000),
        ProcessingTime.working_hours(24 * 40_000),
    ):
        with pytest.raises(CalendarRangeError):
            compute_due(datetime(2026, 3, 10, 9), pt)


def test_the_range_guard_at_its_boundary() -> None:
    """2000–2100 holds 36,890 days: 1,318 months (at least 36,904 days) can never fit, 1,317 (36,876) might."""
    received = datetime(2026, 3, 10, 9)
    with pytest.raises(CalendarRangeError, match="processing_time: expected a time that fits"):
        compute_due(received, ProcessingTime.months(1318))
    with pytest.raises(CalendarRangeError) as err:
        compute_due(received, ProcessingTime.months(1317))  # refused by the count from this receipt date instead
    assert "processing_time" not in str(err.value)
    due = compute_due(datetime(2000, 1, 4, 9), ProcessingTime.months(1200))
    assert due.due_date is not None
    assert timedelta(0) <= due.due_date - date(2100, 1, 4) < timedelta(days=5)
