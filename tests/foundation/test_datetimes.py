"""The one reading rule for dates and instants: ISO 8601 and dd/mm/yyyy, impossible dates refused, never rolled."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc.errors import InvalidValueError
from tthc.foundation.datetimes import DATE_EXPECTED, VN_TZ, parse_local_date, parse_local_datetime


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-02-13", date(2026, 2, 13)), ("13/02/2026", date(2026, 2, 13)), ("1/2/2026", date(2026, 2, 1)),
     (" 29/02/2028 ", date(2028, 2, 29)), ("31/12/9999", date(9999, 12, 31)), ("01/01/0001", date(1, 1, 1))],
)  # fmt: skip
def test_a_day_in_either_form(text: str, day: date) -> None:
    assert parse_local_date(text, "--on") == day


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("29/02/2027", "02/2027 has 28 days"),  # 2027 is no leap year (2028 is: above)
        ("30/02/2026", "02/2026 has 28 days"),
        ("31/04/2026", "04/2026 has 30 days"),
        ("00/01/2026", "01/2026 has 31 days"),
        ("13/13/2026", "there is no month 13"),
        ("2026-02-30", "02/2026 has 28 days"),
        ("2026-W07-5", ""),  # an ISO week date: valid ISO, not a form people type here
        ("20260213", ""),
        ("13-02-2026", ""),
        ("١٣/٠٢/٢٠٢٦", ""),  # Arabic-Indic digits
        ("", ""),
        ("13/02/26", "a 2-digit year is ambiguous: write the year in full"),
        ("13/02/2026 16:30", "a day, without a time of day"),
        ("2026-02-13T16:30", "a day, without a time of day"),
        ("2026-02-13 16:30", "a day, without a time of day"),
    ],
)
def test_not_a_day(text: str, detail: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        parse_local_date(text, "--on")
    assert (info.value.field, info.value.expected, info.value.given, info.value.detail) == (
        "--on", DATE_EXPECTED, text, detail,
    )  # fmt: skip


def test_a_date_object_is_kept_and_a_datetime_refused() -> None:
    assert parse_local_date(date(2026, 2, 13)) == date(2026, 2, 13)
    with pytest.raises(InvalidValueError):
        parse_local_date(datetime(2026, 2, 13, 9))
    with pytest.raises(InvalidValueError):
        parse_local_date(20260213)


@given(st.dates())
def test_both_forms_read_the_same_day(d: date) -> None:
    assert parse_local_date(d.isoformat()) == parse_local_date(f"{d.day:02d}/{d.month:02d}/{d.year:04d}") == d


WHOLE_SECONDS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
    lambda t: t.replace(microsecond=0)
)


@given(WHOLE_SECONDS)
def test_both_forms_read_the_same_instant(t: datetime) -> None:
    iso = parse_local_datetime(t.isoformat(sep=" "))
    dmy = parse_local_datetime(f"{t.day:02d}/{t.month:02d}/{t.year:04d} {t:%H:%M:%S}")
    assert iso == dmy == t.replace(tzinfo=VN_TZ)


@pytest.mark.parametrize("text", ["30/02/2026 10:00", "13/02/2026 24:00", "13/02/2026 16:60", "2026-02-30T10:00"])
def test_an_impossible_instant_is_refused(text: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        parse_local_datetime(text, "--received")
    assert info.value.field == "--received"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("29/02/2023 09:00", "02/2023 has 28 days"),  # not a leap year
        ("2100-02-29", "02/2100 has 28 days"),  # a century that is not a leap year
        ("2025-04-31T08:00", "04/2025 has 30 days"),
        ("2025-00-10", "there is no month 0"),
        ("0000-01-01", "there is no year 0"),
        ("30/04/2025 24:00", "there is no time of day 24:00"),
        ("30/04/2025 10:60", "there is no time of day 10:60"),
        ("30/04/2025 10:59:60", "there is no time of day 10:59:60"),
        ("soon", ""),  # no date's shape: nothing to say beyond the forms
    ],
)
def test_an_impossible_instant_says_which_part_does_not_exist(text: str, detail: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        parse_local_datetime(text, "--received")
    assert (info.value.given, info.value.detail) == (text, detail)


@pytest.mark.parametrize("text", ["29/02/2024 09:00", "2000-02-29", "2025-04-30T23:59:59", "31/12/2025 00:00"])
def test_the_other_side_the_last_day_and_second_that_exist_are_read(text: str) -> None:
    assert parse_local_datetime(text).tzinfo is VN_TZ


def test_the_reason_is_worded_in_the_language_of_the_finding() -> None:
    from tthc.foundation.words import word

    with pytest.raises(InvalidValueError) as info:
        parse_local_datetime("30/02/2024 10:00", "received_at")
    assert word(info.value.detail_words, "vi") == "tháng 02/2024 chỉ có 29 ngày"
