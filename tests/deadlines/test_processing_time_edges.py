"""Processing times at their edges: every unit's amount rule and label, each accepted phrase around the figure, the
reasons a text is refused, and the pydantic form (issue 11, item 14: tests found missing by mutation testing)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

import tthc
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit

_WITH_AMOUNT = [TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.MONTHS]


def test_which_units_carry_an_amount() -> None:
    assert [u for u in TimeUnit if u.has_amount] == [*_WITH_AMOUNT, TimeUnit.UNKNOWN_UNIT]


@pytest.mark.parametrize(
    ("pt", "text"),
    [
        (ProcessingTime.working_days(30), "30 ngày làm việc"),
        (ProcessingTime.calendar_days(15), "15 ngày"),
        (ProcessingTime.working_hours(4), "4 giờ làm việc"),
        (ProcessingTime.months(3), "3 tháng"),
        (ProcessingTime.within_day(), "trong ngày"),
        (ProcessingTime.unspecified(), "không quy định"),
        (ProcessingTime(TimeUnit.UNKNOWN_UNIT, 20), "20 (không rõ đơn vị)"),
        (ProcessingTime.working_days(0), "0 ngày làm việc"),
    ],
)
def test_vietnamese_text_of_each_unit_reads_back(pt: ProcessingTime, text: str) -> None:
    assert str(pt) == text
    assert ProcessingTime.parse(text) == pt


def test_builders_give_their_unit() -> None:
    assert (ProcessingTime.months(2).unit, ProcessingTime.months(2).amount) == (TimeUnit.MONTHS, 2)
    assert (ProcessingTime.working_hours(8).unit, ProcessingTime.working_hours(8).amount) == (TimeUnit.WORKING_HOURS, 8)
    assert (ProcessingTime.calendar_days(1).unit, ProcessingTime.working_days(1).unit) == (
        TimeUnit.CALENDAR_DAYS,
        TimeUnit.WORKING_DAYS,
    )
    assert (ProcessingTime.within_day().amount, ProcessingTime.unspecified().amount) == (None, None)


@pytest.mark.parametrize("amount", [-1, None, True, 2.0, "3"])
@pytest.mark.parametrize("unit", [*_WITH_AMOUNT, TimeUnit.UNKNOWN_UNIT])
def test_a_unit_with_an_amount_needs_a_whole_number_from_zero_up(unit: TimeUnit, amount: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        ProcessingTime(unit, amount)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("processing_time.amount: expected a whole number ")
    assert message.endswith(f", got {amount!r}")


@pytest.mark.parametrize("unit", [TimeUnit.WITHIN_DAY, TimeUnit.UNSPECIFIED])
def test_a_unit_without_an_amount_refuses_one(unit: TimeUnit) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        ProcessingTime(unit, 0)
    assert str(info.value) == f"processing_time.amount: expected no amount for unit {unit.value}, got 0"


def test_the_text_is_kept_but_not_compared() -> None:
    parsed = ProcessingTime.parse("  30 Ngày làm việc. ")
    assert parsed.text == "  30 Ngày làm việc. "
    assert parsed == ProcessingTime.working_days(30)
    assert ProcessingTime.working_days(30).text == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chậm nhất là 10 ngày", ProcessingTime.calendar_days(10)),
        ("Chậm nhất trong 3 ngày làm việc", ProcessingTime.working_days(3)),
        ("chậm nhất 2 tháng", ProcessingTime.months(2)),
        ("Trong thời hạn 15 ngày", ProcessingTime.calendar_days(15)),
        ("Trong thời gian 7 ngày làm việc", ProcessingTime.working_days(7)),
        ("Không quá 04 giờ làm việc", ProcessingTime.working_hours(4)),
        ("TỐI ĐA 1 NĂM", ProcessingTime.months(12)),
        ("0 Tuần", ProcessingTime.calendar_days(0)),
        ("3 tuần", ProcessingTime.calendar_days(21)),
        ("2 năm", ProcessingTime.months(24)),
        ("10 ngày;", ProcessingTime.calendar_days(10)),
        (": 10 ngày.", ProcessingTime.calendar_days(10)),
    ],
)
def test_phrases_around_the_figure(text: str, expected: ProcessingTime) -> None:
    assert ProcessingTime.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Trong ngày", "Trong ngày.", "Ngay trong ngày", "Trả kết quả trong ngày", "Giải quyết trong ngày làm việc"],
)
def test_within_the_day_phrases(text: str) -> None:
    assert ProcessingTime.parse(text).unit is TimeUnit.WITHIN_DAY


@pytest.mark.parametrize(
    "text", ["Không quy định", "Chưa quy định", "Không phải trả kết quả cho tổ chức, cá nhân", "không quy định."]
)
def test_unspecified_phrases(text: str) -> None:
    pt = ProcessingTime.parse(text)
    assert (pt.unit, pt.amount, pt.text) == (TimeUnit.UNSPECIFIED, None, text)


@pytest.mark.parametrize("text", ["Trong ngày hôm sau", "Trong ngày kế tiếp", "trong ngày 15"])
def test_a_later_day_is_not_within_the_day(text: str) -> None:
    with pytest.raises(tthc.ParseError):
        ProcessingTime.parse(text)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("10 - 15 ngày", "a range, not one amount"),
        ("10 – 15 ngày", "a range, not one amount"),
        ("10 đến 15 ngày", "a range, not one amount"),
        ("10 tới 15 ngày", "a range, not one amount"),
        ("0,5 giờ", "the amount '0,5' is not a whole number"),
        ("Trong vòng 15", "a figure without a unit after a phrase"),
        ("Không quá 15 (không rõ đơn vị)", "a figure without a unit after a phrase"),
        ("16 giờ chiều", "a time of day, not a duration"),
        ("8 giờ sáng", "a time of day, not a duration"),
        ("3 tuanle", "unknown unit 'tuanle'"),
        ("5 ngàyx", "unknown unit 'ngayx'"),
        ("5 ngàyx kể từ ngày nhận", "unknown unit 'ngayx'"),  # only the very next letter decides
        ("hai ngày", "no leading figure"),
        (" .;: ", "empty"),
    ],
)
def test_refusals_say_why(text: str, detail: str) -> None:
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse(text)
    assert info.value.detail == detail
    assert info.value.given == text
    expected = "text such as '30 Ngày làm việc'" if detail == "empty" else _EXPECTED
    assert str(info.value) == f"processing_time: expected {expected}, got {text!r} ({detail})"


_EXPECTED = "'<n> Ngày làm việc' | '<n> Ngày' | '<n> Giờ' | '<n> Tháng' | 'Trong ngày' | 'Không quy định' | '<n>'"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("-5 Ngày làm việc", "a negative amount"),
        ("1000000 ngày", "an amount above 999999"),
        ("5 giờ 30 phút", "a compound duration (e.g. '5 giờ 30 phút', '1 ngày 4 giờ'): not one amount of one unit"),
    ],
)
def test_texts_that_would_be_misread_are_refused(text: str, detail: str) -> None:
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse(text)
    assert str(info.value) == f"processing_time: expected {_EXPECTED}, got {text!r} ({detail})"


def test_the_largest_amount_is_accepted() -> None:
    assert ProcessingTime.parse("999999 ngày") == ProcessingTime.calendar_days(999_999)
    assert ProcessingTime.parse("0000999999 ngày") == ProcessingTime.calendar_days(999_999)


def test_every_parsed_form_keeps_its_text() -> None:
    for text in ("Trong ngày", "20", "Không quy định", "03 Tháng"):
        assert ProcessingTime.parse(text).text == text


def test_unit_and_text_are_checked_when_built() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        ProcessingTime("weeks", 2)
    units = ", ".join(u.value for u in TimeUnit)
    assert str(info.value) == f"processing_time.unit: expected one of {units}, got 'weeks'"
    assert ProcessingTime("months", 2) == ProcessingTime.months(2)
    with pytest.raises(tthc.InvalidValueError) as info:
        ProcessingTime(TimeUnit.MONTHS, 1, 5)  # type: ignore[arg-type]
    assert str(info.value) == "processing_time.text: expected the text it was read from (a str), got 5"


@pytest.mark.parametrize(
    ("pt", "days"),
    [
        (ProcessingTime.working_days(10), 10),
        (ProcessingTime.calendar_days(7), 7),
        (ProcessingTime.months(2), 56),
        (ProcessingTime.working_hours(23), 0),
        (ProcessingTime.working_hours(24), 1),
        (ProcessingTime.working_hours(49), 2),
        (ProcessingTime.within_day(), 0),
        (ProcessingTime.unspecified(), 0),
        (ProcessingTime(TimeUnit.UNKNOWN_UNIT, 20), 0),
        (ProcessingTime.working_days(0), 0),
    ],
)
def test_fewest_calendar_days_a_time_can_span(pt: ProcessingTime, days: int) -> None:
    assert pt.min_days() == days


def test_refusal_message_lists_the_accepted_forms() -> None:
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse("12 lần")
    assert str(info.value) == (
        "processing_time: expected '<n> Ngày làm việc' | '<n> Ngày' | '<n> Giờ' | '<n> Tháng' | 'Trong ngày' |"
        " 'Không quy định' | '<n>', got '12 lần' (unknown unit 'lan')"
    )
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse(30)  # type: ignore[arg-type]
    assert str(info.value) == "processing_time: expected text such as '30 Ngày làm việc', got 30"


# -- pydantic ------------------------------------------------------------------------------------------------------


# Each test builds its own adapter: pydantic asks ProcessingTime for its schema when an adapter is built, so a
# module-level model would exercise __get_pydantic_core_schema__ once, at import, outside every test.


def test_pydantic_reads_dicts_with_optional_amount_and_text() -> None:
    ta = TypeAdapter(ProcessingTime)
    assert ta.validate_python({"unit": "months", "amount": 3}) == ProcessingTime.months(3)
    within = ta.validate_python({"unit": "within_day"})
    assert (within.unit, within.amount, within.text) == (TimeUnit.WITHIN_DAY, None, "")
    kept = ta.validate_json('{"unit": "working_days", "amount": 5, "text": "05 Ngày làm việc"}')
    assert (kept, kept.text) == (ProcessingTime.working_days(5), "05 Ngày làm việc")
    same = ProcessingTime.calendar_days(4)
    assert ta.validate_python(same) is same


def test_pydantic_writes_unit_amount_and_text() -> None:
    ta = TypeAdapter(ProcessingTime)
    assert ta.dump_python(ProcessingTime.parse("05 Ngày làm việc")) == {
        "unit": "working_days",
        "amount": 5,
        "text": "05 Ngày làm việc",
    }
    assert ta.dump_python(ProcessingTime.unspecified()) == {"unit": "unspecified", "amount": None, "text": ""}


@pytest.mark.parametrize(
    "value",
    [
        {"unit": "weeks", "amount": 2},
        {"amount": 2},
        {"unit": "months", "amount": -1},
        {"unit": "within_day", "amount": 1},
    ],
)
def test_pydantic_refuses_bad_dicts(value: object) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(ProcessingTime).validate_python(value)
