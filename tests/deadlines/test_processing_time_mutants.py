"""Processing times: the tests that mutation testing of ``tthc.deadlines.processing_time`` found missing from the
deadline tests (session 12) — "ngày" then "làm việc" with punctuation between is working days, a two-word unit glued
to the next cell still has what follows it read, an amount in weeks or years is bounded once converted (both sides of
each limit, with the exact refusal), and the amount bound of a built processing time is quoted in its error."""

from __future__ import annotations

import pytest

import tthc
from tthc.deadlines.processing_time import MAX_AMOUNT, ProcessingTime, TimeUnit

_EXPECTED = "'<n> Ngày làm việc' | '<n> Ngày' | '<n> Giờ' | '<n> Tháng' | 'Trong ngày' | 'Không quy định' | '<n>'"


# -- "ngày" then "làm việc" ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "5 ngày (làm việc)",
        "5 ngày-làm việc",
        "5 ngày, làm việc",
        "5 ngày làmviệc",
        "5 ngàylàm việc",
        "5 ngày\u200blàm việc",
        "5 NGÀY (LÀM VIỆC)",
        "5 ngày lv",
        "5 ngày (LV)",
        "5 ngày - làm việc kể từ ngày nhận đủ hồ sơ",
    ],
)
def test_day_then_working_with_only_punctuation_between_is_working_days(text: str) -> None:
    pt = ProcessingTime.parse(text)
    assert (pt.unit, pt.amount, pt.text) == (TimeUnit.WORKING_DAYS, 5, text)


@pytest.mark.parametrize(
    "text", ["5 ngày lễ", "5 ngày kể từ ngày làm việc đầu tiên", "5 ngày (kể từ ngày nhận)", "5 ngày lvx"]
)
def test_words_between_day_and_working_leave_calendar_days(text: str) -> None:
    pt = ProcessingTime.parse(text)
    assert (pt.unit, pt.amount) == (TimeUnit.CALENDAR_DAYS, 5)


def test_what_follows_day_then_working_is_still_read() -> None:
    """The working-days rule ends after "làm việc" and its closing bracket: a second amount after them is refused."""
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse("5 ngày (làm việc) hoặc 7 ngày")
    assert info.value.detail == "two alternative amounts (e.g. '5 ngày hoặc 7 ngày'): not one amount of one unit"


# -- a two-word unit glued to the next cell ------------------------------------------------------------------------


def test_hours_glued_to_the_next_cell_are_read_as_working_hours() -> None:
    pt = ProcessingTime.parse("04 Giờ làm việcLệ phí")
    assert (pt.unit, pt.amount) == (TimeUnit.WORKING_HOURS, 4)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("4 giờ làm việcrưỡi", "a fraction ('rưỡi', and a half), not a whole number"),
        (
            "4 giờ làm việcvà 30 phút",
            "a compound duration (e.g. '5 giờ 30 phút', '1 ngày 4 giờ'): not one amount of one unit",
        ),
    ],
)
def test_what_follows_a_glued_two_word_unit_is_read_from_its_end(text: str, detail: str) -> None:
    """The unit "giờ làm việc" holds even with a letter right after it, so the check for a second amount starts after
    "việc" — not after "giờ", where "làm việc..." would hide the half or the compound."""
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse(text)
    assert info.value.detail == detail
    assert info.value.given == text


# -- amounts in weeks and years: the bound once converted ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("83333 năm", ProcessingTime.months(999_996)),
        ("142857 tuần", ProcessingTime.calendar_days(999_999)),
    ],
)
def test_the_largest_amounts_in_years_and_weeks_are_read(text: str, expected: ProcessingTime) -> None:
    assert 83333 * 12 <= MAX_AMOUNT < 83334 * 12
    assert MAX_AMOUNT == 142857 * 7
    assert ProcessingTime.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("83334 năm", "83333 năm"),
        ("999999 năm", "83333 năm"),
        ("142858 tuần", "142857 tuần"),
        ("142858 Tuần", "142857 tuần"),
        ("999999 tuần", "142857 tuần"),
    ],
)
def test_an_amount_above_the_bound_once_converted_is_refused_in_the_unit_typed(text: str, most: str) -> None:
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse(text)
    assert info.value.detail == f"an amount above {most}"
    assert info.value.given == text
    assert str(info.value) == f"processing_time: expected {_EXPECTED}, got {text!r} (an amount above {most})"


# -- the amount bound of a built processing time -------------------------------------------------------------------


@pytest.mark.parametrize("unit", [TimeUnit.WORKING_DAYS, TimeUnit.MONTHS, TimeUnit.UNKNOWN_UNIT])
def test_a_built_amount_above_the_bound_quotes_the_bound(unit: TimeUnit) -> None:
    assert ProcessingTime(unit, MAX_AMOUNT).amount == 999_999
    with pytest.raises(tthc.InvalidValueError) as info:
        ProcessingTime(unit, MAX_AMOUNT + 1)
    assert str(info.value) == "processing_time.amount: expected a whole number in 0..999999, got 1000000"
