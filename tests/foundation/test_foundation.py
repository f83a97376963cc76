"""Package foundation: the exception tree, the flat namespace, money and processing-time basics."""

from __future__ import annotations

import pickle
from datetime import date
from fractions import Fraction

import pytest

import tthc
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.foundation.money import Money, Rounding
from tthc.foundation.references import DateRange


def test_exception_tree() -> None:
    assert issubclass(tthc.InvalidValueError, tthc.TthcError)
    assert issubclass(tthc.InvalidValueError, ValueError)
    assert issubclass(tthc.ParseError, tthc.InvalidValueError)
    assert issubclass(tthc.NotInForceError, LookupError)
    err = tthc.InvalidValueError("fee_vnd", "an integer >= 0", -5)
    assert str(err) == "fee_vnd: expected an integer >= 0, got -5"
    again = pickle.loads(pickle.dumps(err))
    assert (again.field, again.expected, again.given) == ("fee_vnd", "an integer >= 0", -5)


def test_money_formats_the_vietnamese_way() -> None:
    assert Money.vnd(30_500).format_vi() == "30.500 đ"
    assert str(Money.vnd(30_500)) == "30500 VND"
    usd = Money.of("1.5", "USD")
    assert usd.minor == 150
    assert usd.format_vi() == "1,50 USD"


def test_money_never_mixes_currencies() -> None:
    with pytest.raises(tthc.InvalidValueError, match="currency"):
        Money.vnd(1) + Money.of("1", "USD")


def test_money_scale_uses_the_named_rounding() -> None:
    price = Money.vnd(30_500)
    assert price.scale(Fraction(7, 10), Rounding.HALF_UP) == Money.vnd(21_350)
    assert Money.vnd(5).scale(Fraction(1, 2), Rounding.HALF_UP) == Money.vnd(3)
    assert Money.vnd(5).scale(Fraction(1, 2), Rounding.HALF_EVEN) == Money.vnd(2)
    assert Money.vnd(5).scale(Fraction(1, 2), Rounding.FLOOR) == Money.vnd(2)


def test_processing_time_parses_the_portal_units() -> None:
    assert ProcessingTime.parse("30 Ngày làm việc") == ProcessingTime.working_days(30)
    assert ProcessingTime.parse("15 Ngày") == ProcessingTime.calendar_days(15)
    assert ProcessingTime.parse("01 Giờ") == ProcessingTime.working_hours(1)
    assert ProcessingTime.parse("Trong ngày").unit is TimeUnit.WITHIN_DAY
    assert ProcessingTime.parse("Không quy định").unit is TimeUnit.UNSPECIFIED
    bare = ProcessingTime.parse("20")
    assert (bare.unit, bare.amount) == (TimeUnit.UNKNOWN_UNIT, 20)


def test_processing_time_rejects_nonsense_and_keeps_the_text() -> None:
    with pytest.raises(tthc.ParseError) as info:
        ProcessingTime.parse("theo quy định")
    assert info.value.given == "theo quy định"
    with pytest.raises(tthc.InvalidValueError):
        ProcessingTime(TimeUnit.WORKING_DAYS, -1)


def test_date_range_is_inclusive_and_ordered() -> None:
    """Design principle 3: valid_from / valid_until are inclusive."""
    window = DateRange(date(2020, 3, 23), date(2020, 5, 30))
    assert date(2020, 3, 23) in window
    assert date(2020, 5, 30) in window
    assert date(2020, 3, 22) not in window
    assert date(2020, 5, 31) not in window
    with pytest.raises(tthc.InvalidValueError, match="valid_until"):
        DateRange(date(2020, 5, 30), date(2020, 3, 23))


def test_online_level_mapping_says_which_rule() -> None:
    m = tthc.map_online_level(tthc.OnlineLevel.parse("mức độ 4"))
    assert m.level is tthc.OnlineLevel.FULL
    assert not m.official
    assert tthc.map_online_level(tthc.OnlineLevel.LEVEL_2).level is None
    assert tthc.OnlineLevel.parse("Toàn trình") is tthc.OnlineLevel.FULL


def test_channel_parse_accepts_labels_and_portal_codes() -> None:
    assert tthc.Channel.parse("Dịch vụ bưu chính") is tthc.Channel.POSTAL
    assert tthc.Channel.parse(2) is tthc.Channel.ONLINE
    assert tthc.Channel.parse("1") is tthc.Channel.DIRECT
    with pytest.raises(tthc.InvalidValueError, match="channel"):
        tthc.Channel.parse("fax")


def test_cli_runs() -> None:
    from tthc.cli import main

    assert main(["--version"]) == 0
