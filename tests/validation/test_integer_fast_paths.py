"""Session 7's cheaper passes over whole columns give what the plain numpy or Arrow expressions give (issue 16, item
4): byte-range checks over flat runs, instants compared as integers, typed timestamps cut to seconds in numpy, and
postal verdicts looked up per stretch of days."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.catalog.collection import Catalog
from tthc.foundation.channels import PostalService
from tthc.records.columns import StrCol, _timestamp_seconds, _ts_to_numpy
from tthc.validation import checks
from tthc.validation.checks import NAT_INSTANT, canonical_rows, classify_rows, instants
from tthc.validation.code_keys import code_keys
from tthc.validation.context import ValidationContext
from tthc.validation.rules import Timeliness

NAT = np.datetime64("NaT")


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(0, 400),
    width=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
    block=st.integers(1, 4000),
    one_pair=st.booleans(),
)
def test_byte_ranges_over_flat_runs_agree_with_the_plain_expression(
    rows: int, width: int, seed: int, block: int, one_pair: bool
) -> None:
    """Every block size (rows cut across blocks, blocks shorter than a row), bounds per column or one pair, a
    matrix that is a strided view: the answer of ``((m >= low) & (m <= high)).all(axis=1)``."""
    rng = np.random.default_rng(seed)
    m = rng.integers(40, 60, size=(rows, width + 3), dtype=np.uint8)[:, 1 : width + 1]  # not contiguous
    per_column = rng.integers(40, 50, size=width, dtype=np.uint8)
    low: npt.NDArray[np.uint8] | np.uint8 = np.uint8(42) if one_pair else per_column
    high: npt.NDArray[np.uint8] | np.uint8 = (
        np.uint8(57) if one_pair else np.maximum(per_column, rng.integers(45, 60, size=width, dtype=np.uint8))
    )
    expected = ((m >= low) & (m <= high)).all(axis=1)
    saved = checks._FLAT_BYTES
    checks._FLAT_BYTES = block
    checks._FLAT.clear()
    try:
        got = checks._rows_within(m, low, high)
    finally:
        checks._FLAT_BYTES = saved
        checks._FLAT.clear()
    assert got.tolist() == expected.tolist()


def test_byte_ranges_at_the_bounds_on_both_sides() -> None:
    low, high = np.array([48, 65], dtype=np.uint8), np.array([57, 70], dtype=np.uint8)
    m = np.array([[48, 65], [57, 70], [47, 65], [48, 64], [58, 70], [57, 71], [0, 255]], dtype=np.uint8)
    assert checks._rows_within(m, low, high).tolist() == [True, True, False, False, False, False, False]


def _instants(draw: st.DrawFn, n: int, unit: str) -> npt.NDArray[np.datetime64]:
    values = draw(st.lists(st.one_of(st.none(), st.integers(-(10**12), 10**12)), min_size=n, max_size=n))
    counts = np.array([np.iinfo(np.int64).min if v is None else v for v in values], dtype=np.int64)
    return counts.view(f"datetime64[{unit}]")


@st.composite
def _judged(draw: st.DrawFn) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64], np.datetime64]:
    n = draw(st.integers(0, 40))
    due = _instants(draw, n, draw(st.sampled_from(["s", "ms", "us"])))
    finished = _instants(draw, n, draw(st.sampled_from(["s", "us"])))
    if n and draw(st.booleans()):  # the same day, and the same instant, are the edges that matter
        finished[: n // 2] = due[: n // 2].astype(finished.dtype)
    seconds = draw(st.one_of(st.none(), st.integers(-(10**12), 10**12)))
    as_of = np.datetime64("NaT", "s") if seconds is None else np.datetime64(seconds, "s")
    return due, finished, as_of


@settings(max_examples=200, deadline=None)
@given(_judged())
def test_timeliness_classes_as_integers_agree_with_datetime_comparisons(
    case: tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64], np.datetime64],
) -> None:
    due, finished, as_of = case
    done = ~np.isnat(finished) & ~np.isnat(due)
    late = done & (finished > due)
    expected = np.zeros(len(due), dtype=np.int8)
    expected[done] = Timeliness.ON_TIME
    expected[done & ~late & (finished.astype("datetime64[D]") < due.astype("datetime64[D]"))] = Timeliness.EARLY
    expected[late] = Timeliness.LATE
    if not np.isnat(as_of):
        open_ = np.isnat(finished) & ~np.isnat(due)
        expected[open_ & (due >= as_of)] = Timeliness.OPEN_WITHIN
        expected[open_ & (due < as_of)] = Timeliness.OPEN_OVERDUE
    assert classify_rows(due, finished, as_of).tolist() == expected.tolist()


def test_instants_keep_the_finest_unit_and_nat_is_the_smallest() -> None:
    a = np.array(["2024-01-01T00:00:01", "NaT"], dtype="datetime64[s]")
    b = np.array(["2024-01-01T00:00:00.500", "2024-01-01"], dtype="datetime64[ms]")
    a_i, b_i = instants(a, b)
    assert a_i.tolist()[0] > b_i.tolist()[0]  # 1 s against 0.5 s: compared in milliseconds, not cut to seconds
    assert a_i.tolist()[1] == NAT_INSTANT


@pytest.mark.parametrize("unit", ["ms", "us", "ns"])
@pytest.mark.parametrize("offset", [0, 3])
def test_typed_timestamps_cut_to_seconds_as_arrow_casts_them(unit: str, offset: int) -> None:
    """From 1970 on, numpy's ``//`` (rounding down) gives Arrow's cast (dropping the fraction); before it, the
    fraction is dropped from the wall time as the text readers drop it (rounding down), where Arrow's cast would
    round toward 1970 (1969-12-31 23:59:59.5 to 1970-01-01 00:00:00)."""
    per = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[unit]
    values = [0, 1, per - 1, per, per + 1, 5 * per - 1, None, 1_700_000_000 * per + per - 1]
    arr = pa.array(values, pa.int64()).cast(pa.timestamp(unit)).slice(offset)
    got = _timestamp_seconds(arr)
    assert got is not None
    expected = _ts_to_numpy(arr.cast(pa.timestamp("s"), safe=False))
    assert got.dtype == expected.dtype
    assert got.view(np.int64).tolist() == expected.view(np.int64).tolist()
    before = pa.array([-1, -per, -per - 1, None, -86_400 * per + 1], pa.int64()).cast(pa.timestamp(unit))
    got_before = _timestamp_seconds(before)
    assert got_before is not None
    assert got_before.astype(str).tolist() == [
        "1969-12-31T23:59:59", "1969-12-31T23:59:59", "1969-12-31T23:59:58", "NaT", "1969-12-31T00:00:00",
    ]  # fmt: skip


def test_a_columns_code_form_is_read_once_and_the_keys_agree_without_it() -> None:
    codes = pa.array(["000.00.53.H48-220921-0099", "000.00.53.h48-220921-0099", "X-1", "000.00.53.H48-221301-0001"])
    col = StrCol(arrow=codes)
    first = canonical_rows(col)
    assert first is not None
    assert canonical_rows(col) is first  # made once per column
    assert first[0].tolist() == [True, True, False, True]
    assert not first[0].flags.writeable
    assert code_keys(codes, column=col).tolist() == code_keys(codes).tolist()
    other = StrCol(arrow=pa.array(["000.00.53.H48-220921-0099"]))  # a column that is not all of the codes: unused
    assert code_keys(codes, column=other).tolist() == code_keys(codes).tolist()


def test_a_postal_verdict_is_the_same_asked_by_day_or_by_stretch() -> None:
    cat = Catalog.sample()
    ctx = ValidationContext.build(cat)
    procedure = next(iter(cat))
    asked: list[date] = []
    days = (date(2020, 1, 1), date(2024, 6, 3), date(2025, 7, 1))
    for day in days:
        by_day = ValidationContext.build(cat).eligibility(procedure, PostalService.SEND, day, None)

        def on(d: date = day) -> date:
            asked.append(d)
            return d

        by_stretch = ctx.stretch_eligibility(procedure, PostalService.SEND, ctx.stretch_of(day), None, on)
        assert by_stretch == by_day
        again = ctx.stretch_eligibility(procedure, PostalService.SEND, ctx.stretch_of(day), None, on)
        assert again is by_stretch
    # each stretch asks for a day once, on its first verdict
    assert len(asked) == len({ctx.stretch_of(d) for d in days}) == 2
