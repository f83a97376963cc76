"""Processing time (thời hạn giải quyết) as the portal writes it.

Sources: domain.md §1 (the forms published on the national portal: ``30 Ngày làm việc``, ``15 Ngày``, ``01 Giờ``,
``Trong ngày``, ``Không quy định``, bare numbers, prose) and §3 (units); Bộ luật Dân sự 2015 Điều 145.1 for weeks
and years.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc.deadlines.processing_time import MAX_AMOUNT, ProcessingTime, TimeUnit
from tthc.errors import InvalidValueError, ParseError


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("30 Ngày làm việc", TimeUnit.WORKING_DAYS, 30),
        ("07 Ngày làm việc", TimeUnit.WORKING_DAYS, 7),
        ("15 Ngày", TimeUnit.CALENDAR_DAYS, 15),
        ("01 Giờ", TimeUnit.WORKING_HOURS, 1),
        ("04 Giờ làm việc", TimeUnit.WORKING_HOURS, 4),
        ("0 Giờ", TimeUnit.WORKING_HOURS, 0),
        ("6 Tháng", TimeUnit.MONTHS, 6),
    ],
)
def test_portal_units_domain_1(text: str, unit: TimeUnit, amount: int) -> None:
    """domain.md §1: the units of the portal's channel table."""
    pt = ProcessingTime.parse(text)
    assert (pt.unit, pt.amount, pt.text) == (unit, amount, text)


def test_bare_number_has_unknown_unit_and_is_never_guessed() -> None:
    """data/real README: 358 national records give a bare number; the unit is kept unknown."""
    pt = ProcessingTime.parse("20")
    assert pt.unit is TimeUnit.UNKNOWN_UNIT
    assert pt.amount == 20


@pytest.mark.parametrize("text", ["Trong ngày", "Trong ngày làm việc", "Ngay trong ngày", "trong ngày"])
def test_within_the_day(text: str) -> None:
    assert ProcessingTime.parse(text) == ProcessingTime.within_day()


@pytest.mark.parametrize(
    "text", ["Không quy định", "Không quy định thời hạn", "Không phải trả kết quả cho người nộp thuế"]
)
def test_unspecified_forms(text: str) -> None:
    """``Không quy định`` (defence export); ``Không phải trả kết quả`` (national export, tax procedures: no result is
    returned, so there is no time limit)."""
    assert ProcessingTime.parse(text).unit is TimeUnit.UNSPECIFIED


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", TimeUnit.WORKING_DAYS, 5),
        ("Không quá 20 ngày kể từ ngày thụ lý", TimeUnit.CALENDAR_DAYS, 20),
        ("Trong 05 ngày làm việc", TimeUnit.WORKING_DAYS, 5),
        ("Tối đa 3 tháng", TimeUnit.MONTHS, 3),
        ("Trong vòng 24 giờ", TimeUnit.WORKING_HOURS, 24),
        ("30 ngày, trường hợp phức tạp 45 ngày", TimeUnit.CALENDAR_DAYS, 30),
    ],
)
def test_prose_with_a_leading_figure(text: str, unit: TimeUnit, amount: int) -> None:
    """Prose with a leading figure (domain.md §1 'or prose'): the leading figure is the time; the text is kept."""
    pt = ProcessingTime.parse(text)
    assert (pt.unit, pt.amount, pt.text) == (unit, amount, text)


def test_weeks_and_years_civil_code_145() -> None:
    """Bộ luật Dân sự 2015 Điều 145.1: a week is seven days, a year twelve months."""
    assert ProcessingTime.parse("2 Tuần") == ProcessingTime.calendar_days(14)
    assert ProcessingTime.parse("01 Năm") == ProcessingTime.months(12)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Chậm nhất là ngay trước khi tàu rời cảng", "no leading figure"),
        ("10-25", "a range"),
        ("0.5 Giờ", "not a whole number"),
        ("1.5 Ngày làm việc", "not a whole number"),
        ("15 giờ cùng ngày", "time of day"),
        ("Trong thời hạn 15", "without a unit"),
        ("", "empty"),
        ("12 lần", "unknown unit"),
    ],
)
def test_rejects_what_it_cannot_read_and_keeps_the_text(text: str, why: str) -> None:
    """Defence export forms that are not one duration: the error keeps the text and says why."""
    with pytest.raises(ParseError) as info:
        ProcessingTime.parse(text)
    assert info.value.given == text
    assert why in info.value.detail
    assert info.value.field == "processing_time"


def test_non_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        ProcessingTime.parse(30)  # type: ignore[arg-type]


_TIMES = st.one_of(
    st.builds(ProcessingTime, st.sampled_from([u for u in TimeUnit if u.has_amount]), st.integers(0, 10_000)),
    st.sampled_from([ProcessingTime.within_day(), ProcessingTime.unspecified()]),
)


@given(_TIMES)
def test_parse_of_str_round_trips(pt: ProcessingTime) -> None:
    """Property: ``parse(str(x)) == x`` for every processing time."""
    assert ProcessingTime.parse(str(pt)) == pt


@given(st.integers(0, 999), st.sampled_from(["Ngày làm việc", "Ngày", "Giờ", "Tháng"]), st.booleans())
def test_portal_spelling_round_trips(n: int, unit_word: str, zero_pad: bool) -> None:
    """Property: the portal's own spelling (``07 Ngày làm việc``) reads back to the same amount."""
    text = f"{n:02d} {unit_word}" if zero_pad else f"{n} {unit_word}"
    assert ProcessingTime.parse(text).amount == n


@given(_TIMES)
def test_pydantic_json_round_trip(pt: ProcessingTime) -> None:
    from pydantic import TypeAdapter

    ta = TypeAdapter(ProcessingTime)
    assert ta.validate_json(ta.dump_json(pt)) == pt


def test_next_working_day_is_not_within_the_day() -> None:
    """'Trong ngày làm việc tiếp theo' (by the next working day) must not read as 'Trong ngày'."""
    with pytest.raises(ParseError):
        ProcessingTime.parse("Trong ngày làm việc tiếp theo")
    with pytest.raises(ParseError):
        ProcessingTime.parse("Trong buổi sáng")


def test_a_working_day_unit_glued_to_the_next_cell_stays_working_days() -> None:
    """Flattened portal tables glue cells: '03 Ngày làm việcLệ phí : …' is 3 working days, not 3 calendar days."""
    parsed = ProcessingTime.parse("03 Ngày làm việcLệ phí : 50.000 Đồng")
    assert (parsed.unit, parsed.amount) == (TimeUnit.WORKING_DAYS, 3)


# -- hostile input (issue 11) -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["-5 Ngày làm việc", "-5", " -5 ngày", "−5 ngày", "- 5 ngày", "–3 Giờ", "－2 Tháng", "Trong -5 ngày"]
)
def test_a_negative_amount_is_refused_not_read_as_positive(text: str) -> None:
    """'-5 Ngày làm việc' was read as +5 days: a sign (or a dash) before the figure is refused."""
    with pytest.raises(ParseError) as info:
        ProcessingTime.parse(text)
    assert info.value.given == text


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("5 giờ 30 phút", "compound"),
        ("1 ngày 4 giờ", "compound"),
        ("2 ngày 4 giờ làm việc", "compound"),
        ("02 ngày làm việc và 45 ngày", "compound"),
        ("24 giờ/07 ngày", "compound"),
        ("1 giờ 30", "second figure"),
        ("1 ngày rưỡi", "rưỡi"),
    ],
)
def test_a_compound_duration_is_not_understood_never_truncated(text: str, why: str) -> None:
    """'5 giờ 30 phút' was read as 5 hours: a second figure after the unit makes the text not understood."""
    with pytest.raises(ParseError) as info:
        ProcessingTime.parse(text)
    assert why in info.value.detail


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("30 ngày, trường hợp phức tạp 45 ngày", 30),  # prose after a comma: the leading figure is the time
        ("05 ngày làm việc kể từ ngày nhận đủ hồ sơ", 5),  # "ngày" again in the prose, without a figure
        ("15 ngày (20 ngày đối với hồ sơ phức tạp)", 15),
    ],
)
def test_prose_after_the_unit_is_still_read(text: str, amount: int) -> None:
    """The other side of the compound rule: only a figure right after the unit makes a compound."""
    assert ProcessingTime.parse(text).amount == amount


@pytest.mark.parametrize("text", ["３０ Ngày", "٣٠ ngày", "²0 ngày", "３ Giờ"])
def test_figures_are_ascii_digits(text: str) -> None:
    """The identifier rule (docs/catalog.md) holds for processing times: full-width or Arabic-Indic figures are
    refused, never read as 30 (or crash int())."""
    with pytest.raises(ParseError):
        ProcessingTime.parse(text)


def test_amount_bounds_on_both_sides() -> None:
    """MAX_AMOUNT is accepted, one more is refused — in text and in code — and a 5000-digit figure is a ParseError,
    not the ValueError of int()."""
    assert ProcessingTime.parse(f"{MAX_AMOUNT} ngày").amount == MAX_AMOUNT
    assert ProcessingTime.parse(f"000{MAX_AMOUNT} ngày").amount == MAX_AMOUNT
    for text in (f"{MAX_AMOUNT + 1} ngày", "9" * 5000 + " ngày", "9" * 5000):
        with pytest.raises(ParseError, match="above"):
            ProcessingTime.parse(text)
    assert ProcessingTime.working_days(MAX_AMOUNT).amount == MAX_AMOUNT
    with pytest.raises(InvalidValueError):
        ProcessingTime.working_days(MAX_AMOUNT + 1)
    with pytest.raises(InvalidValueError):
        ProcessingTime.working_days(-1)


@pytest.mark.parametrize("unit", ["working_days", TimeUnit.WORKING_DAYS])
def test_unit_given_as_its_value(unit: object) -> None:
    assert ProcessingTime(unit, 3) == ProcessingTime.working_days(3)


@pytest.mark.parametrize(
    ("unit", "amount", "text"), [("weeks", 3, ""), (None, 3, ""), (3, 3, ""), (TimeUnit.WORKING_DAYS, 3, None)]
)
def test_bad_fields_are_invalid_values(unit: object, amount: object, text: object) -> None:
    with pytest.raises(InvalidValueError):
        ProcessingTime(unit, amount, text)  # type: ignore[arg-type]


@given(st.integers(1, MAX_AMOUNT), st.sampled_from(["Ngày làm việc", "Ngày", "Giờ", "Tháng"]))
def test_a_signed_figure_never_parses(n: int, unit_word: str) -> None:
    """Property: whatever the amount and unit, '-<n> <unit>' is refused and '<n> <unit>' is read as n."""
    assert ProcessingTime.parse(f"{n} {unit_word}").amount == n
    with pytest.raises(ParseError):
        ProcessingTime.parse(f"-{n} {unit_word}")
