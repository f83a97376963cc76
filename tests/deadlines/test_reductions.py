"""Priority reductions (domain.md §3, ưu tiên cắt giảm thời gian): scope, channel, validity, rounding, combining."""

from __future__ import annotations

import json
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.deadlines.compute import VN_TZ, compute_due
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.deadlines.reductions import (
    ChannelCondition,
    Combination,
    EffectiveTime,
    Reduction,
    ReductionRounding,
    ReductionScope,
    ReductionSet,
    apply_reductions,
    load_reductions,
)
from tthc.errors import ConflictError, DataFileError, InvalidValueError
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.references import DateRange, LegalReference

REF = LegalReference(document="659/UBND-KGVX", tag="example")
ONLINE = ChannelCondition(Channel.ONLINE)
WD = ProcessingTime.working_days
DAY = date(2020, 4, 1)


def test_repr_reads_like_the_rule() -> None:
    r = Reduction(ONLINE, REF, percent=Fraction(30), valid=DateRange(date(2020, 3, 23), date(2020, 5, 30)))
    assert repr(r) == "<reduction 30% for channel=online 2020-03-23..2020-05-30 (659/UBND-KGVX)>"


def test_bundled_examples_are_labelled_examples() -> None:
    """domain.md §3: no national figure was found, so every bundled rule is tagged 'example'."""
    rules = load_reductions()
    assert len(rules) >= 3
    assert all(r.reference.tag == "example" for r in rules.rules)
    assert rules.combination is Combination.MOST_FAVOURABLE


def test_percentage_floor_rounding_in_compute_due() -> None:
    """30% off 5 working days = 3.5 → rounded down to 3; the trace says so."""
    r = Reduction(ONLINE, REF, percent=Fraction(30), name="online 30%")
    d = compute_due(datetime(2026, 11, 23, 9), WD(5), channel=Channel.ONLINE, reductions=[r])
    assert d.effective_time == EffectiveTime(TimeUnit.WORKING_DAYS, Fraction(3))
    assert any("reduction 30% (online 30% [example]) → 3 working days, rounded down" in s for s in d.steps)
    assert d.rules_applied[-1] == REF
    direct = compute_due(datetime(2026, 11, 23, 9), WD(5), channel=Channel.DIRECT, reductions=[r])
    assert direct.effective_time.amount == 5


def test_half_day_rounding_gives_a_morning_due_instant() -> None:
    """Half-day rounding (4 working hours): 20% off 7 days = 5.6 → 5½ days → 11:30 on the 6th working day."""
    r = Reduction(ONLINE, REF, percent=Fraction(20), rounding=ReductionRounding.HALF_DAY)
    d = compute_due(datetime(2026, 11, 23, 9), WD(7), channel="online", reductions=[r])
    assert str(d.effective_time) == "5½ working days"
    # Mon 23 Nov received; 24 Nov off; 25,26,27,30 Nov, 1 Dec (5), 2 Dec (6) morning
    assert d.due_at == datetime(2026, 12, 2, 11, 30, tzinfo=VN_TZ)


def test_ceil_fixed_and_floor_value() -> None:
    ceil = Reduction(ONLINE, REF, percent=Fraction(30), rounding=ReductionRounding.CEIL)
    assert ceil.reduce(TimeUnit.WORKING_DAYS, 5) == (Fraction(4), "rounded up")
    fixed = Reduction(ONLINE, REF, fixed=WD(2), floor=WD(1))
    assert fixed.reduce(TimeUnit.WORKING_DAYS, 2) == (Fraction(1), "raised to the floor of 1 working days")
    assert fixed.reduce(TimeUnit.WORKING_HOURS, 8) is None  # a fixed day amount does not fit hours
    hours = Reduction(ONLINE, REF, percent=Fraction(50), rounding=ReductionRounding.HALF_DAY)
    assert hours.reduce(TimeUnit.WORKING_HOURS, 10) == (Fraction(4), "rounded down to 4 working hours")


def test_validity_by_receipt_date_and_channel_condition() -> None:
    r = Reduction(
        ChannelCondition(Channel.ONLINE, frozenset({OnlineLevel.LEVEL_4, OnlineLevel.FULL})),
        REF,
        percent=Fraction(50),
        valid=DateRange(date(2020, 3, 23), date(2020, 5, 30)),
    )
    kw = {"channel": Channel.ONLINE, "online_level": OnlineLevel.LEVEL_4}
    assert r.applies(on=DAY, **kw)  # type: ignore[arg-type]
    assert not r.applies(on=date(2020, 6, 1), **kw)  # type: ignore[arg-type]
    assert not r.applies(on=DAY, channel=Channel.ONLINE, online_level=OnlineLevel.LEVEL_3)
    postal = Reduction(ChannelCondition(Channel.POSTAL, postal=PostalService.SEND), REF, fixed=WD(1))
    assert postal.applies(on=DAY, channel=Channel.POSTAL, postal=PostalService.BOTH)
    assert not postal.applies(on=DAY, channel=Channel.POSTAL, postal=PostalService.RETURN)


def test_scope_by_code_field_level() -> None:
    scope = ReductionScope(procedures=frozenset({"1.000178"}))
    r = Reduction(ONLINE, REF, percent=Fraction(10), scope=scope)
    assert r.applies(on=DAY, channel=Channel.ONLINE, code="1.000178")
    assert not r.applies(on=DAY, channel=Channel.ONLINE, code="1.000179")
    assert not r.applies(on=DAY, channel=Channel.ONLINE)


def test_most_favourable_single_by_default_and_stack_on_request() -> None:
    """Combination is an explicit rule; the default applies the single most favourable reduction."""
    a = Reduction(ONLINE, REF, percent=Fraction(20), name="a")
    b = Reduction(ONLINE, REF, fixed=WD(3), name="b")
    out = apply_reductions(WD(10), [a, b], channel=Channel.ONLINE, on=DAY)
    assert out.effective.amount == 7
    assert out.applied == (b,)
    assert "most favourable" in out.lines[-1]
    stacked = apply_reductions(WD(10), ReductionSet((a, b), Combination.STACK), channel=Channel.ONLINE, on=DAY)
    assert stacked.effective.amount == 5


def test_overlapping_rules_without_combination_conflict(tmp_path: Path) -> None:
    """Overlapping scopes and no combination rule → ConflictError (the library does not guess)."""
    a = Reduction(ONLINE, REF, percent=Fraction(20))
    b = Reduction(ONLINE, REF, percent=Fraction(30))
    with pytest.raises(ConflictError, match="combination"):
        ReductionSet((a, b), combination=Combination.REJECT)
    c = Reduction(ChannelCondition(Channel.POSTAL), REF, percent=Fraction(30))
    assert len(ReductionSet((a, c), combination=Combination.REJECT)) == 2
    raw = json.loads((Path(__file__).parents[2] / "src/tthc/data/reductions.json").read_text("utf-8"))
    del raw["combination"]
    raw["reductions"].append(raw["reductions"][0])
    p = tmp_path / "r.json"
    p.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConflictError):
        load_reductions(p)
    p.write_text(json.dumps({"reductions": [{"percent": 10}]}), encoding="utf-8")
    with pytest.raises(DataFileError, match="condition"):
        load_reductions(p)


def test_bad_rules() -> None:
    with pytest.raises(InvalidValueError, match="exactly one"):
        Reduction(ONLINE, REF)
    with pytest.raises(InvalidValueError, match=r"0\.\.100"):
        Reduction(ONLINE, REF, percent=Fraction(120))


@settings(max_examples=300)
@given(
    st.integers(0, 200),
    st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.MONTHS]),
    st.integers(0, 100),
    st.sampled_from(list(ReductionRounding)),
    st.integers(0, 10),
)
def test_a_reduction_never_lengthens(n: int, unit: TimeUnit, pct: int, rounding: ReductionRounding, fl: int) -> None:
    r = Reduction(ONLINE, REF, percent=Fraction(pct), rounding=rounding, floor=ProcessingTime(unit, fl))
    out = r.reduce(unit, n)
    assert out is not None
    assert 0 <= out[0] <= n
