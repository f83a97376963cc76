"""Dated values: inclusive validity, references per value, overlap detection, NotInForceError (issue 4 item 2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tthc
from tthc.foundation.dated import DatedModel, DatedValue, Timeline
from tthc.foundation.money import Money
from tthc.foundation.references import LegalReference

TT63 = LegalReference(document="63/2023/TT-BTC", tag="2nd")
START, END = date(2023, 12, 1), date(2025, 12, 31)


def online_fee() -> Timeline[Money]:
    return Timeline("driving licence fee, online", [DatedValue(Money.vnd(115_000), START, END, reference=TT63)])


def test_both_ends_are_inclusive() -> None:
    """TT 63/2023/TT-BTC as reported: 115,000 đ from 1 Dec 2023 to 31 Dec 2025, both days included."""
    fee = online_fee()
    assert fee.at(START).value == Money.vnd(115_000)
    assert fee.at(END).value == Money.vnd(115_000)
    assert fee.at(START).reference == TT63
    assert fee.get(START - timedelta(days=1)) is None
    assert fee.get(END + timedelta(days=1)) is None


def test_nothing_in_force_is_a_clear_error() -> None:
    with pytest.raises(tthc.NotInForceError) as info:
        online_fee().at(date(2026, 1, 1))
    message = str(info.value)
    assert "driving licence fee, online" in message
    assert "2026-01-01" in message
    assert "2023-12-01..2025-12-31" in message
    assert isinstance(info.value, LookupError)


def test_overlapping_values_conflict() -> None:
    a = DatedValue(1, date(2020, 1, 1), date(2020, 12, 31))
    b = DatedValue(2, date(2020, 12, 31), None)
    with pytest.raises(tthc.ConflictError, match="two values in force on the same days"):
        Timeline("x", [a, b])


def test_adjacent_values_do_not_conflict_and_gaps_are_reported() -> None:
    t = Timeline(
        "x",
        [
            DatedValue(3, date(2021, 3, 1), None),
            DatedValue(1, None, date(2020, 12, 31)),
            DatedValue(2, date(2021, 1, 1), date(2021, 1, 31)),
        ],
    )
    assert [v.value for v in t] == [1, 2, 3]  # sorted by start
    assert t.at(date(2021, 1, 1)).value == 2
    assert t.gaps() == (tthc.DateRange(date(2021, 2, 1), date(2021, 2, 28)),)


def test_end_before_start_names_the_field() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        DatedValue(1, date(2020, 5, 30), date(2020, 3, 23))
    assert info.value.field == "valid_until"
    assert info.value.given == "2020-03-23"


def test_dated_model_validates_order() -> None:
    ref = {"document": "x", "tag": "open"}
    ok = DatedModel.model_validate({"valid_from": "2020-01-01", "valid_until": "2020-01-01", "reference": ref})
    assert date(2020, 1, 1) in ok.period
    with pytest.raises(ValueError, match="valid_until"):
        DatedModel.model_validate({"valid_from": "2020-02-01", "valid_until": "2020-01-01", "reference": ref})


def test_repr_reads_like_the_rule() -> None:
    assert (
        repr(online_fee())
        == "<timeline driving licence fee, online: <Money('115.000 đ') 2023-12-01..2025-12-31 (63/2023/TT-BTC)>>"
    )


@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), min_size=1, max_size=6),
    st.integers(-10, 500),
)
def test_at_most_one_value_in_force(spans: list[tuple[int, int]], probe: int) -> None:
    """Property: a timeline either rejects overlaps or answers with the single value whose range holds the day."""
    base = date(2020, 1, 1)
    values = [DatedValue(i, base + timedelta(s), base + timedelta(s + n)) for i, (s, n) in enumerate(spans)]
    day = base + timedelta(probe)
    try:
        t = Timeline("p", values)
    except tthc.ConflictError:
        assert any(a.period.overlaps(b.period) for i, a in enumerate(values) for b in values[i + 1 :])
        return
    holding = [v for v in values if day in v.period]
    assert len(holding) <= 1
    assert t.get(day) == (holding[0] if holding else None)
