"""Arrow ↔ numpy without pandas (:mod:`tthc.records.arrays`): the helpers give what pyarrow's own conversions give,
and neither they nor ``tthc validate --sample`` load pandas (pyarrow would, on its first conversion of a Python
value or a numpy array)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.records.arrays import from_numpy, scalar, string_array, to_numpy

pa = pytest.importorskip("pyarrow")

texts = st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=40)


@settings(deadline=None)  # the first example imports pandas (the reference conversions)
@given(texts)
def test_string_array_is_pa_array(values: list[str | None]) -> None:
    got = string_array(values)
    assert got.equals(pa.array(values, pa.string()))
    assert got.to_pylist() == values


@settings(deadline=None)  # the first example imports pandas (the reference conversions)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=40), st.integers(0, 5))
def test_int64_both_ways(values: list[int], lo: int) -> None:
    arr = from_numpy(np.array(values, dtype=np.int64))
    assert arr.to_pylist() == values
    part = arr.slice(min(lo, len(values)))  # an offset into the buffer
    assert to_numpy(part).tolist() == values[min(lo, len(values)) :]


@settings(deadline=None)  # the first example imports pandas (the reference conversions)
@given(st.lists(st.booleans(), max_size=70), st.integers(0, 9))
def test_bool_both_ways(values: list[bool], lo: int) -> None:
    arr = from_numpy(np.array(values, dtype=bool))
    assert arr.to_pylist() == values
    lo = min(lo, len(values))
    got = to_numpy(arr.slice(lo))
    assert got.dtype == np.bool_
    assert got.tolist() == values[lo:]


@settings(deadline=None)  # the first example imports pandas (the reference conversions)
@given(st.lists(st.one_of(st.none(), st.integers(-1000, 1000)), max_size=40), st.integers(-5, 5))
def test_nulls_take_the_given_value(values: list[int | None], fill: int) -> None:
    arr = pa.array(values, pa.int32())
    assert to_numpy(arr, null=fill).tolist() == [fill if v is None else v for v in values]
    if any(v is None for v in values):
        with pytest.raises(ValueError, match="nulls"):
            to_numpy(arr)


def test_timestamps_read_as_their_count_since_the_epoch() -> None:
    arr = pa.array([0, None, 86_400], pa.timestamp("s"))
    low = int(np.iinfo(np.int64).min)
    got = to_numpy(arr, null=low).view("datetime64[s]")
    assert got[0] == np.datetime64("1970-01-01T00:00:00")
    assert np.isnat(got[1])
    assert got[2] == np.datetime64("1970-01-02T00:00:00")


def test_unsigned_and_text_arrays() -> None:
    assert to_numpy(pa.array([1, 2**64 - 1], pa.uint64())).tolist() == [1, 2**64 - 1]
    with pytest.raises(ValueError, match="expected"):
        to_numpy(pa.array(["a"]))


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", pa.string()),
        ("ý", pa.string()),
        (0, pa.int64()),
        (-1, pa.int32()),
        (False, pa.bool_()),
        (None, pa.string()),
    ],
)
def test_scalar_is_pa_scalar(value: object, kind: object) -> None:
    assert scalar(value, kind).equals(pa.scalar(value, kind))  # type: ignore[arg-type]


PROBE = """
import json, sys
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tthc.records.arrays import from_numpy, scalar, string_array, to_numpy
a = string_array(["1", None, ""])
pc.if_else(from_numpy(np.array([True, False, True])), scalar(None, pa.string()), a)
to_numpy(string_array(["1", None]).cast(pa.int64()), null=0)
to_numpy(pc.is_null(a))
print(json.dumps("pandas" in sys.modules))
"""


def test_the_helpers_do_not_load_pandas() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) is False


@settings(deadline=None)  # the first example imports pandas (the reference conversions)
@given(st.lists(st.one_of(st.none(), st.integers(-(2**40), 2**40)), max_size=70), st.integers(0, 9), st.data())
def test_nulls_filled_in_slices_of_every_kind(values: list[int | None], lo: int, data: st.DataObject) -> None:
    """Nulls read from the validity bits, at any offset into the buffers: integers, timestamps, booleans."""
    lo = min(lo, len(values))
    want = values[lo:]
    fill = data.draw(st.integers(-5, 5))
    ints = pa.array(values, pa.int64()).slice(lo)
    assert to_numpy(ints, null=fill).tolist() == [fill if v is None else v for v in want]
    stamps = pa.array(values, pa.timestamp("s")).slice(lo)
    got = to_numpy(stamps, null=np.iinfo(np.int64).min)
    assert got.dtype == np.int64
    assert got.tolist() == [np.iinfo(np.int64).min if v is None else v for v in want]
    flags = [None if v is None else v % 2 == 0 for v in values]
    bools = pa.array(flags, pa.bool_()).slice(lo)
    for null in (True, False):
        assert to_numpy(bools, null=null).tolist() == [null if f is None else f for f in flags[lo:]]


def test_an_array_of_nulls_only() -> None:
    for kind in (pa.int64(), pa.int8(), pa.timestamp("us"), pa.bool_()):
        got = to_numpy(pa.nulls(5, kind).slice(1), null=1)
        assert got.tolist() == ([True] * 4 if kind == pa.bool_() else [1] * 4)
        with pytest.raises(ValueError, match="nulls"):
            to_numpy(pa.nulls(3, kind))
