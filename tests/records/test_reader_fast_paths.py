"""The readers' fast paths give what the slow ones give (issue 16, item 4): blank lines found by one scan of a block,
byte-matrix views of code columns, datetimes and enumerations typed by pyarrow's CSV reader, dictionary-encoded
enumerations — each checked against the reading it replaces, on hostile values too."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.records.chunks import _blank_lines, _is_blank, _iter_blocks, _line_count, _normalize_eol, _split_lines
from tthc.records.columns import StrCol, TypedColumns, typed_columns
from tthc.records.readers import open_records
from tthc.testing.record_files import row, write_csv

# ------------------------------------------------------------------------------------------------ blocks


def _blocks_as_before(data: bytes, size: int) -> list[tuple[bytes, int]]:
    """The block cutting as it was before it copied each block once (the reference)."""
    fh, carry, out = io.BytesIO(data), b"", []
    while True:
        read = fh.read(size)
        if not read:
            if carry:
                out.append((_normalize_eol(carry), len(carry)))
            return out
        read = carry + read
        search = read[:-1] if read.endswith(b"\r") else read
        cut = max(search.rfind(b"\n"), search.rfind(b"\r"))
        if cut < 0:
            carry = read
            continue
        carry = read[cut + 1 :]
        out.append((_normalize_eol(read[: cut + 1]), cut + 1))


@given(
    st.lists(st.sampled_from([b"a", b",", b"\n", b"\r", b"\r\n", b"xyz"]), max_size=60).map(b"".join), st.integers(1, 9)
)
@settings(max_examples=500, deadline=None)
def test_blocks_are_cut_at_the_same_line_ends_as_before(data: bytes, size: int) -> None:
    """CRLF split across two reads, lone CRs at a block's end, lines longer than a block: the same blocks, and the
    bytes each used add up to the file."""
    got = list(_iter_blocks(io.BytesIO(data), size))
    assert got == _blocks_as_before(data, size)
    assert sum(used for _, used in got) == len(data)
    for block, _ in got:
        assert _line_count(block) == len(_split_lines(block))


# ------------------------------------------------------------------------------------------------ blank lines


@given(st.lists(st.sampled_from([b" ", b"\t", b"\n", b"a", b","]), max_size=40).map(b"".join))
@settings(max_examples=400, deadline=None)
def test_blank_lines_of_a_block_are_the_lines_that_hold_only_spaces_and_tabs(data: bytes) -> None:
    if not data:
        return
    lines = _split_lines(data)
    assert _line_count(data) == len(lines)
    assert _blank_lines(data, len(lines)) == {i for i, line in enumerate(lines) if _is_blank(line)}


def test_blank_lines_at_the_edges_of_a_block() -> None:
    assert _blank_lines(b"\n", 1) == {0}
    assert _blank_lines(b"a\n\n", 2) == {1}  # the "line" after the final LF is none
    assert _blank_lines(b"a\n \t", 2) == {1}  # a last line without its LF
    assert _blank_lines(b" \na\n\t\n", 3) == {0, 2}


# ------------------------------------------------------------------------------------------------ fixed width


def test_fixed_width_reads_the_arrow_buffers_of_a_slice_with_nulls() -> None:
    arr = pa.array(["xxABCyy", "ABC", None, "AB", "DEF", "ABCD", "ĐEF"[:2] + "F", "GHI"], pa.string())
    for lo in range(len(arr)):
        part = arr.slice(lo)
        got = StrCol(arrow=part).fixed_width(3)
        assert got is not None
        fits, matrix = got
        values = part.to_pylist()
        want = [v is not None and len(v.encode()) == 3 for v in values]
        assert fits.tolist() == want
        for k, v in enumerate(values):
            if want[k]:
                assert bytes(matrix[k]) == v.encode()


def test_fixed_width_when_every_value_fits_is_a_view_and_python_lists_have_none() -> None:
    arr = pa.array(["abc", "def", "ghi"], pa.string()).slice(1)
    fits, matrix = StrCol(arrow=arr).fixed_width(3)  # type: ignore[misc]
    assert fits.all()
    assert [bytes(r) for r in matrix] == [b"def", b"ghi"]
    assert StrCol(obj=np.array(["abc"], dtype=object)).fixed_width(3) is None
    assert StrCol(arrow=pa.array(["é"], pa.large_string())).fixed_width(2)[0].tolist() == [True]  # type: ignore[index]


# ------------------------------------------------------------------------------------------------ typed CSV reading


def _typed(path: Path, arrow: bool) -> TypedColumns:
    chunks = list(open_records(path, use_pyarrow=arrow))
    assert len(chunks) == 1
    return typed_columns(chunks[0])


def _same(a: TypedColumns, b: TypedColumns) -> None:
    assert a.rows.tolist() == b.rows.tolist()
    for name in a.datetimes:
        assert a.datetimes[name].tolist() == b.datetimes[name].tolist(), name
    for name in a.enums:
        assert a.enums[name].tolist() == b.enums[name].tolist(), name
    assert [(p.row, p.field, p.code, p.message, p.value) for p in a.problems] == [
        (p.row, p.field, p.code, p.message, p.value) for p in b.problems
    ]


def test_the_csv_reader_types_iso_datetimes_and_encodes_enumerations(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [row(), row(channel=" postal ", result_channel="postal"), row(status="")])
    chunk = next(iter(open_records(path)))
    assert pa.types.is_timestamp(chunk.columns["received_at"].type)  # type: ignore[union-attr]
    assert pa.types.is_dictionary(chunk.columns["channel"].type)  # type: ignore[union-attr]
    _same(typed_columns(chunk), _typed(path, arrow=False))


@pytest.mark.parametrize(
    "cell",
    ["2025-03-03 9:05", "03/03/2025 09:05", "2025-02-30 09:05", "2025-03-03T09:05:00+07:00", "soon", " 2025-03-03"],
)
def test_a_datetime_column_with_a_cell_that_is_not_iso_is_typed_as_text_is(tmp_path: Path, cell: str) -> None:
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 6)]
    rows[3]["finished_at"] = cell
    path = write_csv(tmp_path / "r.csv", rows)
    chunk = next(iter(open_records(path)))
    assert pa.types.is_string(chunk.columns["finished_at"].type)  # type: ignore[union-attr]
    assert pa.types.is_timestamp(chunk.columns["received_at"].type)  # type: ignore[union-attr]
    _same(typed_columns(chunk), _typed(path, arrow=False))


def test_a_column_found_not_iso_stays_text_for_the_rest_of_the_file(tmp_path: Path) -> None:
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 2001)]
    rows[0]["due_at"] = "13/03/2025 17:00"
    path = write_csv(tmp_path / "r.csv", rows)
    chunks = list(open_records(path, chunk_bytes=4096))
    assert len(chunks) > 5
    assert all(pa.types.is_string(c.columns["due_at"].type) for c in chunks)  # type: ignore[union-attr]
    assert all(pa.types.is_timestamp(c.columns["received_at"].type) for c in chunks)  # type: ignore[union-attr]


def test_enumerations_through_a_reader_dictionary_read_as_text_does() -> None:
    values = [" postal", "postal", None, "fax", "2", "²", "", "online ", "fax"]
    text = typed_columns({"channel": pa.array(values, pa.string())})
    encoded = typed_columns({"channel": pa.array(values, pa.string()).dictionary_encode()})
    assert encoded.enums["channel"].tolist() == text.enums["channel"].tolist()
    assert [(p.row, p.message, p.value) for p in encoded.problems] == [
        (p.row, p.message, p.value) for p in text.problems
    ]
    many = [f"v{i}" for i in range(1000)] + ["direct"]  # a dictionary larger than the chunk needs: decoded first
    sliced = pa.array(many, pa.string()).dictionary_encode().slice(995)
    assert typed_columns({"channel": sliced}).enums["channel"].tolist() == [0, 0, 0, 0, 0, 1]


@given(st.lists(st.one_of(st.none(), st.text(alphabet="0123456789xX-+., e٢\t", max_size=22)), min_size=1, max_size=12))
@settings(max_examples=400, deadline=None)
def test_whole_numbers_from_arrow_text_are_read_as_the_python_reader_reads_them(values: list[str | None]) -> None:
    # Arrow's own cast also takes '0x10' (hex) and '-0': the fast path must not let them through
    arrow = typed_columns({"fee_vnd": pa.array(values, pa.string())})
    python = typed_columns({"fee_vnd": values})
    assert arrow.integers["fee_vnd"].tolist() == python.integers["fee_vnd"].tolist()
    assert [(p.row, p.message) for p in arrow.problems] == [(p.row, p.message) for p in python.problems]


@pytest.mark.parametrize("cell", ["0x10", "-0", "0X1f"])
def test_hex_and_minus_zero_are_not_whole_numbers(cell: str) -> None:
    tc = typed_columns({"fee_vnd": pa.array([cell, "16"], pa.string())})
    assert tc.integers["fee_vnd"].tolist() == [-1, 16]
    assert [p.code for p in tc.problems] == ["E_TYPE"]


def test_parquet_text_dates_are_typed_in_the_reader_as_csv_ones_are(tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 6)]
    rows[2]["finished_at"] = "04/03/2025 10:00"  # not ISO 8601: that column stays text
    path = write_csv(tmp_path / "r.csv", rows)
    names = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True)
    pq.write_table(pacsv.read_csv(path, convert_options=convert), tmp_path / "r.parquet")
    chunk = next(iter(open_records(tmp_path / "r.parquet")))
    assert pa.types.is_timestamp(chunk.columns["received_at"].type)  # type: ignore[union-attr]
    assert pa.types.is_string(chunk.columns["finished_at"].type)  # type: ignore[union-attr]
    assert pa.types.is_dictionary(chunk.columns["channel"].type)  # type: ignore[union-attr]
    _same(typed_columns(chunk), _typed(path, arrow=False))
