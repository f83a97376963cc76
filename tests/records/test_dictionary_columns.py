"""Columns read the fast way give what the plain way gives (issue 16, item 4): procedure and agency codes that a
Parquet file hands over dictionary-encoded are trimmed and told apart once per dictionary entry, typed timestamps
are cut to seconds in numpy, typed integers checked in one comparison — each equal, value for value and in the same
order, to reading the same cells one by one."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.records.columns import _codes, _integers, _timestamp_seconds, _ts_to_numpy
from tthc.records.readers import open_records

# entries equal once trimmed, empty and blank ones, case, non-ASCII: what a dictionary may hold
CELLS = st.sampled_from(["1.001", " 1.001", "1.001 ", "", "  ", None, "1.002", "1.00l", "Đ1\t", "\u00a0x", "x"])


def _plain_and_encoded(cells: list[str | None], index_type: pa.DataType) -> tuple[pa.Array, pa.Array]:
    plain = pa.array(cells, pa.string())
    encoded = plain.dictionary_encode()
    indices = encoded.indices.cast(index_type)
    # the entries in another order than first appearance, one entry no row uses: as a row group's dictionary is
    entries = pa.concat_arrays([pa.array(["unused"], pa.string()), encoded.dictionary])[::-1]
    position = {v: k for k, v in enumerate(entries.to_pylist())}
    remapped = pa.array(
        [None if i is None else position[encoded.dictionary[i].as_py()] for i in indices.to_pylist()], index_type
    )
    return plain, pa.DictionaryArray.from_arrays(remapped, entries)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(CELLS, max_size=60),
    st.sampled_from([pa.int8(), pa.int16(), pa.int32(), pa.int64()]),
    st.integers(0, 20),
    st.integers(0, 60),
)
def test_a_dictionary_encoded_code_column_reads_as_its_cells(
    cells: list[str | None], index_type: pa.DataType, lo: int, length: int
) -> None:
    plain, encoded = _plain_and_encoded(cells, index_type)
    lo = min(lo, len(cells))
    plain, encoded = plain.slice(lo, length), encoded.slice(lo, length)  # a piece of a batch: offsets in play
    n = len(plain)
    one_by_one, through_entries = _codes(plain, n), _codes(encoded, n)
    values, inv = one_by_one.factorize()
    got_values, got_inv = through_entries.factorize()
    assert got_values == values  # the same distinct values, in order of first appearance
    assert got_inv.tolist() == inv.tolist()
    assert len(through_entries) == n
    assert through_entries.is_null().tolist() == one_by_one.is_null().tolist()
    assert [through_entries[i] for i in range(n)] == [one_by_one[i] for i in range(n)]
    assert through_entries.objects().tolist() == one_by_one.objects().tolist()


def test_a_dictionary_larger_than_the_piece_is_read_cell_by_cell() -> None:
    entries = pa.array([f"P{k}" for k in range(50)], pa.string())
    col = pa.DictionaryArray.from_arrays(pa.array([3, 3, 7], pa.int32()), entries)
    got = _codes(col, 3)
    assert got.factorize()[0] == ["P3", "P7"]
    assert got.factorize()[1].tolist() == [0, 0, 1]


def test_parquet_hands_procedure_and_agency_codes_over_encoded(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    table = pa.table(
        {
            "dossier_code": ["000.00.53.H48-220921-0099", "000.00.53.H48-220921-0100", "x"],
            "procedure_code": [" 1.001", "1.001", ""],
            "agency_code": ["000.00.53.H48", None, "000.00.53.H48 "],
            "channel": ["direct", "online", "postal"],
            "received_at": ["2025-03-03 08:00:00", "2025-03-04 08:00:00", "2025-03-05 08:00:00"],
        }
    )
    pq.write_table(table, path)
    (chunk,) = list(open_records(path))
    assert isinstance(chunk.columns["procedure_code"], pa.DictionaryArray)
    assert isinstance(chunk.columns["agency_code"], pa.DictionaryArray)
    procedures, agencies = _codes(chunk.columns["procedure_code"], 3), _codes(chunk.columns["agency_code"], 3)
    assert procedures.factorize()[0] == ["1.001", None]
    assert procedures.factorize()[1].tolist() == [0, 0, 1]
    assert agencies.factorize()[0] == ["000.00.53.H48", None]
    assert agencies.factorize()[1].tolist() == [0, 1, 0]


SECONDS = st.integers(-9 * 10**9, 9 * 10**9)  # within int64 in nanoseconds


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), SECONDS), max_size=40),
    st.sampled_from(["ms", "us", "ns"]),
    st.integers(0, 10),
)
def test_timestamps_cut_to_seconds_as_the_text_readers_cut_them(values: list[int | None], unit: str, lo: int) -> None:
    """The fraction of a second dropped from the wall time (rounding down, before 1970 too); from 1970 on, what
    Arrow's cast gives."""
    per = {"ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    arr = pa.array([None if v is None else v * per + (v % 7) * (per // 7) for v in values], pa.timestamp(unit))
    arr = arr.slice(min(lo, len(arr)))
    got = _timestamp_seconds(arr)
    assert got is not None
    counts = arr.cast(pa.int64()).to_pylist()
    assert got.astype(object).tolist() == [None if c is None else datetime(1970, 1, 1) + timedelta(seconds=c // per)
                                           for c in counts]  # fmt: skip
    if all(c is None or c >= 0 for c in counts):
        expected = _ts_to_numpy(arr.cast(pa.timestamp("s"), safe=False))
        assert got.view(np.int64).tolist() == expected.view(np.int64).tolist()


def test_an_all_empty_timestamp_column_is_all_nat() -> None:
    got = _timestamp_seconds(pa.nulls(4, pa.timestamp("us")))
    assert got is not None
    assert np.isnat(got).all()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=30),
    st.sampled_from([pa.int8(), pa.int32(), pa.int64(), pa.uint64()]),
)
def test_typed_integers_keep_the_range_of_text(values: list[int | None], kind: pa.DataType) -> None:
    lo, hi = (0, 2**64 - 1) if kind == pa.uint64() else (-(2 ** (kind.bit_width - 1)), 2 ** (kind.bit_width - 1) - 1)
    cells = [None if v is None else min(max(v, lo), hi) for v in values]
    problems: list[object] = []
    rows = np.arange(1, len(cells) + 1, dtype=np.int64)
    got = _integers(pa.array(cells, kind), len(cells), "fee_vnd", "f", rows, problems)  # type: ignore[arg-type]
    in_range = [v is not None and 0 <= v <= 10**18 - 1 for v in cells]
    assert got.tolist() == [v if ok else -1 for v, ok in zip(cells, in_range, strict=True)]
    assert len(problems) == sum(v is not None and not ok for v, ok in zip(cells, in_range, strict=True))


def test_parquet_batches_are_a_power_of_two_rows_whatever_the_chunk_bytes(tmp_path: Path) -> None:
    """Batches of about ``chunk_bytes`` of rows rounded down to a power of two (whole pieces of the checks), at least
    1,024 rows — a tiny ``chunk_bytes`` included — and every row read once, in order."""
    path = tmp_path / "r.parquet"
    n = 5_000
    table = pa.table(
        {
            "dossier_code": [f"000.00.53.H48-220921-{k:04d}" for k in range(n)],
            "procedure_code": ["1.001"] * n,
            "agency_code": ["000.00.53.H48"] * n,
            "channel": ["direct"] * n,
            "received_at": ["2025-03-03 08:00:00"] * n,
        }
    )
    pq.write_table(table, path, row_group_size=4_096)
    for chunk_bytes in (1, 300_000):  # under 200 bytes a row, and 1,500 rows: 1,024 rows a batch
        sizes = [len(c.rows) for c in open_records(path, chunk_bytes=chunk_bytes)]
        assert sizes == [1_024] * 4 + [904]  # a row group of 4,096 rows, then the last 904
    sizes = [len(c.rows) for c in open_records(path, chunk_bytes=2_000_000)]  # 10,000 rows: 8,192, cut by groups
    assert sizes == [4_096, 904]
    numbers = np.concatenate([c.rows for c in open_records(path, chunk_bytes=1)])
    assert numbers.tolist() == list(range(1, n + 1))
