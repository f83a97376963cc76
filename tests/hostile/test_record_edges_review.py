"""Three edges of the dossier record readers found by the session-10 review (session 11, H), fixed, and the rules
that now hold.

* **A whole number written with a zero fraction** is that whole number in every format: the CSV or JSON Lines text
  ``115000.00`` (as ``115000.0`` already was), a JSON number ``115000.00``, a Parquet ``decimal(18,2)`` holding
  ``115000.00`` and a Parquet ``double`` holding ``115000.0`` all read as 115000 in ``fee_vnd``, ``postage_vnd`` and
  the counts — while a non-zero fraction (``115000.50``) stays one ``E_TYPE`` finding on every path, naming the value
  as the file holds it. A typed decimal is read by its value, never as grouped text: ``decimal(18,3)`` ``115.000``
  is 115 (the text ``115.000`` is still 115 000, the documented thousands grouping).
* **A zoned timestamp in nanoseconds near 2262** (the end of int64 nanoseconds) is turned into Vietnam wall time
  without wrapping round: its ``E_RANGE`` finding names 2262-04-12, as the same instant written as text does, not
  1677-09-21.
* **A quoted cell with line breaks whose continuation line holds undecodable bytes** is one record: one
  ``E_ENCODING`` finding on the record's row (the row number of its first line), its continuation lines counted as
  such, the rows after it keeping their numbers — the same with pyarrow and the standard library's parser, in any
  block size (a record straddling blocks included). Before, the continuation line was reported as a row of its own
  (one row too many) and the record itself counted valid.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tthc.catalog.collection import Catalog
from tthc.records.columns import typed_columns
from tthc.records.readers import open_records
from tthc.testing.record_files import HEADER, csv_text, row, write_csv
from tthc.validation import ValidationOptions
from tthc.validation.run import FindingWriter, validate_files

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
SAMPLE = Catalog.sample()
_WHOLE = "expected a whole number from 0 to 999999999999999999, got {}"


def _rows(n: int) -> list[dict[str, str]]:
    return [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, n + 1)]


def _run(path: Path, folder: Path, **kw: Any) -> tuple[tuple[int, int, int], list[tuple[str, str, str, str, str]]]:
    """(rows, valid rows, invalid rows) and every finding as (row, field, code, message, value) of one run."""
    out = folder / f"{path.name}.findings.csv"
    kw.setdefault("options", _en())
    with FindingWriter(out) as w:
        s = validate_files([path], SAMPLE, report=w, **kw)
    with out.open(encoding="utf-8", newline="") as f:
        found = [(r[1], r[2], r[3], r[5], r[6]) for r in list(csv.reader(f))[1:]]
    return (s.rows, s.valid_rows, s.invalid_rows), found


def _integers(path: Path, column: str) -> list[int]:
    """The typed values of an integer column as the checks see them (-1 = empty), read through the reader."""
    values: list[int] = []
    for chunk in open_records(path):
        values += typed_columns(chunk).integers[column].tolist()
    return values


def _table(rows: list[dict[str, str]], **columns: object) -> object:
    table = {k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER}
    table.update(columns)
    return pa.table(table)


# ------------------------------------------------------------------------- 1. whole numbers with a zero fraction

_FEES = ["115000.00", "115000.50", "30000.000", "0.00", "200000"]
_POSTAGE = ["25000.00", "", "25000.0", "7.10", ""]
_COUNTS = ["1.00", "0", "", "0.0", "2.5"]


def _amount_files(folder: Path) -> dict[str, Path]:
    rows = _rows(5)
    for r, fee, postage, count in zip(rows, _FEES, _POSTAGE, _COUNTS, strict=True):
        r.update(fee_vnd=fee, postage_vnd=postage, supplement_count=count)
        if count not in ("", "0", "0.0"):
            r.update(supplement_requested_at="2025-03-04 09:00:00", supplement_completed_at="2025-03-05 09:00:00")
    files = {"csv": write_csv(folder / "amounts.csv", rows)}
    as_text = folder / "amounts_text.jsonl"
    as_text.write_text("".join(json.dumps({k: v for k, v in r.items() if v}) + "\n" for r in rows), encoding="utf-8")
    files["jsonl text"] = as_text
    # JSON numbers written with their fraction as the file holds it (json.dumps would write 115000.0)
    as_numbers = folder / "amounts_numbers.jsonl"
    lines = []
    for r in rows:
        plain = {k: v for k, v in r.items() if v and k not in ("fee_vnd", "postage_vnd", "supplement_count")}
        numbers = ", ".join(f'"{k}": {r[k]}' for k in ("fee_vnd", "postage_vnd", "supplement_count") if r[k])
        lines.append(json.dumps(plain)[:-1] + ", " + numbers + "}\n")
    as_numbers.write_text("".join(lines), encoding="utf-8")
    files["jsonl numbers"] = as_numbers

    def decimal(values: list[str], scale: int) -> object:
        return pa.array([Decimal(v) if v else None for v in values], pa.decimal128(18, scale))

    files["parquet decimal"] = folder / "amounts_decimal.parquet"
    pq.write_table(
        _table(
            rows,
            fee_vnd=decimal(_FEES, 3),
            postage_vnd=decimal(_POSTAGE, 2),
            supplement_count=decimal(_COUNTS, 2),
        ),
        files["parquet decimal"],
    )

    def floats(values: list[str]) -> object:
        return pa.array([float(v) if v else None for v in values], pa.float64())

    files["parquet double"] = folder / "amounts_double.parquet"
    pq.write_table(
        _table(rows, fee_vnd=floats(_FEES), postage_vnd=floats(_POSTAGE), supplement_count=floats(_COUNTS)),
        files["parquet double"],
    )
    return files


def test_a_whole_number_with_a_zero_fraction_reads_as_that_number_in_every_format(tmp_path: Path) -> None:
    """CSV = JSON Lines (text and numbers) = Parquet (decimal, double): the same values, rows and findings; only the
    non-zero fractions are findings, each naming the value as its file holds it."""
    files = _amount_files(tmp_path)
    for name, path in files.items():
        assert _integers(path, "fee_vnd") == [115000, -1, 30000, 0, 200000], name
        assert _integers(path, "postage_vnd") == [25000, -1, 25000, -1, -1], name
        assert _integers(path, "supplement_count") == [1, 0, -1, 0, -1], name
    results = {name: _run(path, tmp_path) for name, path in files.items()}
    expected_rows = [("2", "fee_vnd", "E_TYPE"), ("4", "postage_vnd", "E_TYPE"), ("5", "supplement_count", "E_TYPE")]
    for name, (counts, found) in results.items():
        assert counts == (5, 2, 3), name
        assert [f[:3] for f in found if f[2] == "E_TYPE"] == expected_rows, name
        assert [f[:3] for f in found] == [f[:3] for f in results["csv"][1]], name
    given = {
        "csv": ["'115000.50'", "'7.10'", "'2.5'"],
        "jsonl text": ["'115000.50'", "'7.10'", "'2.5'"],
        "jsonl numbers": ["'115000.5'", "'7.1'", "'2.5'"],  # a JSON number is a float: its shortest spelling
        "parquet decimal": ["'115000.500'", "'7.10'", "'2.50'"],  # the decimal at its scale
        "parquet double": ["'115000.5'", "'7.1'", "'2.5'"],
    }
    for name, (_, found) in results.items():
        messages = [f[3] for f in found if f[2] == "E_TYPE"]
        assert messages == [_WHOLE.format(g) for g in given[name]], name


def test_a_typed_decimal_is_read_by_its_value_never_as_grouped_text(tmp_path: Path) -> None:
    """``decimal(18,3)`` 115.000 is 115 đồng; the text ``115.000`` is 115 000 (thousands grouped, documented); a
    negative or too large decimal and a float that is not finite are findings naming the value."""
    rows = _rows(6)
    path = tmp_path / "decimals.parquet"
    fees = pa.array(
        [Decimal("115.000"), Decimal("-5.000"), Decimal("1000000000000000.000"), None, Decimal("0.001"), Decimal(7)],
        pa.decimal128(22, 3),
    )
    postage = pa.array([1e17, float("nan"), float("inf"), 1e18, -0.0, None], pa.float64())
    pq.write_table(_table(rows, fee_vnd=fees, postage_vnd=postage), path)
    assert _integers(path, "fee_vnd") == [115, -1, 10**15, -1, -1, 7]
    assert _integers(path, "postage_vnd") == [10**17, -1, -1, -1, 0, -1]
    _, found = _run(path, tmp_path)
    assert [(f[0], f[1], f[3]) for f in found if f[2] == "E_TYPE"] == [
        ("2", "fee_vnd", _WHOLE.format("'-5.000'")),
        ("2", "postage_vnd", _WHOLE.format("'nan'")),
        ("3", "postage_vnd", _WHOLE.format("'inf'")),
        ("4", "postage_vnd", _WHOLE.format("'1e+18'")),
        ("5", "fee_vnd", _WHOLE.format("'0.001'")),
    ]
    text = _rows(1)
    text[0]["fee_vnd"] = "115.000"
    assert _integers(write_csv(tmp_path / "grouped.csv", text), "fee_vnd") == [115000]


def test_a_decimal_too_wide_for_int64_is_a_finding_not_an_error(tmp_path: Path) -> None:
    rows = _rows(2)
    path = tmp_path / "wide.parquet"
    fees = pa.array([Decimal(10**30), Decimal("200000.00")], pa.decimal128(38, 2))
    pq.write_table(_table(rows, fee_vnd=fees), path)
    assert _integers(path, "fee_vnd") == [-1, 200000]
    _, found = _run(path, tmp_path)
    assert [(f[0], f[1], f[2], f[3]) for f in found] == [
        ("1", "fee_vnd", "E_TYPE", _WHOLE.format("'1000000000000000000000000000000.00'"))
    ]


def test_float_columns_of_a_frame_read_whole_amounts_and_report_fractions() -> None:
    """A pandas or numpy float column (an integer column with a gap becomes one): NaN is empty, a whole value is
    read, a fraction or a value past the range is a finding — as the text gives it."""
    fees = np.array([115000.0, np.nan, 115000.5, 1e17, -1.0])
    tc = typed_columns({"fee_vnd": fees})
    assert tc.integers["fee_vnd"].tolist() == [115000, -1, -1, 10**17, -1]
    assert [(p.row, p.field, p.code, p.message) for p in tc.problems] == [
        (3, "fee_vnd", "E_TYPE", _WHOLE.format("'115000.5'")),
        (5, "fee_vnd", "E_TYPE", _WHOLE.format("'-1.0'")),
    ]
    arrow = typed_columns(pa.table({"fee_vnd": pa.array([115000.0, None, 115000.5, 1e17, -1.0])}))
    assert arrow.integers["fee_vnd"].tolist() == [115000, -1, -1, 10**17, -1]
    assert [(p.row, p.message) for p in arrow.problems] == [
        (3, _WHOLE.format("'115000.5'")),
        (5, _WHOLE.format("'-1.0'")),
    ]


def test_text_with_a_zero_fraction_is_read_by_both_text_paths_alike() -> None:
    """The Arrow text kernels and the plain Python reading agree cell for cell (a column of ``.00`` amounts takes
    the vectorised path)."""
    cells = ["115000.00", " 30000.0 ", "7.", ".00", "115000.50", "1.000.00", "0000000000000000000001.0", None, ""]
    cells += ["115.000", "115.00", "1.0000", "1,000.00", "-0.00"]
    plain = typed_columns({"fee_vnd": cells})
    arrow = typed_columns({"fee_vnd": pa.array(cells, pa.string())})
    assert plain.integers["fee_vnd"].tolist() == [115000, 30000, -1, -1, -1, -1, -1, -1, -1, 115000, 115, 1, -1, -1]
    assert arrow.integers["fee_vnd"].tolist() == plain.integers["fee_vnd"].tolist()
    assert [(p.row, p.message) for p in arrow.problems] == [(p.row, p.message) for p in plain.problems]
    assert [p.row for p in plain.problems] == [3, 4, 5, 6, 7, 13, 14]
    whole = typed_columns({"fee_vnd": pa.array(["115000.00", "25000.0", None] * 3)})
    assert whole.integers["fee_vnd"].tolist() == [115000, 25000, -1] * 3
    assert whole.problems == ()


# --------------------------------------------------------------------------------- 2. timestamps near 2262


def test_a_zoned_nanosecond_timestamp_near_2262_is_named_as_given(tmp_path: Path) -> None:
    """The last nanoseconds of int64 (2262-04-11 23:47:16 UTC) are 2262-04-12 06:47:16 in Vietnam: the finding names
    that instant, as the CSV holding the same instant as text does (it used to wrap round to 1677-09-21)."""
    rows = _rows(3)
    last = 2**63 - 1
    stamps = [last, 1741917600 * 10**9, last - 5 * 3600 * 10**9]
    path = tmp_path / "edge.parquet"
    pq.write_table(_table(rows, finished_at=pa.array(stamps, pa.timestamp("ns", tz="UTC"))), path)
    as_text = _rows(3)
    for r, ns in zip(as_text, stamps, strict=True):
        at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=ns // 1000)
        r["finished_at"] = at.isoformat()
    text = write_csv(tmp_path / "edge.csv", as_text)
    typed, written = _run(path, tmp_path), _run(text, tmp_path)
    ranges = [(f[0], f[1], f[2], f[3]) for f in typed[1] if f[2] == "E_RANGE"]
    assert ranges == [
        ("1", "finished_at", "E_RANGE", _RANGE.format("2262-04-12 06:47:16")),
        ("3", "finished_at", "E_RANGE", _RANGE.format("2262-04-12 01:47:16")),
    ]
    assert typed[0] == written[0]
    assert [f[:4] for f in typed[1]] == [f[:4] for f in written[1]]


def test_zoned_timestamps_of_every_unit_become_wall_time_without_wrapping() -> None:
    """Straight through :func:`typed_columns` (an Arrow table given by the caller) too, nulls kept, the fraction of
    a second dropped downwards (before 1970 as after)."""
    second = 10**9
    ns = [2**63 - 1, None, -1, 1741917600 * second + second // 2]
    table = pa.table({"finished_at": pa.array(ns, pa.timestamp("ns", tz="UTC"))})
    got = typed_columns(table).datetimes["finished_at"]
    assert [str(v) for v in got] == [
        "2262-04-12T06:47:16",
        "NaT",
        "1970-01-01T07:59:59",  # UTC+8 in Vietnam in 1970 (tzdb), as ZoneInfo says
        "2025-03-14T09:00:00",
    ]
    for unit, per in (("us", 10**6), ("ms", 10**3), ("s", 1)):
        arr = pa.array([1741917600 * per, None, -1], pa.timestamp(unit, tz="Asia/Bangkok"))
        got = typed_columns(pa.table({"finished_at": arr})).datetimes["finished_at"]
        last = "1970-01-01T07:59:59"
        assert [str(v) for v in got] == ["2025-03-14T09:00:00", "NaT", last], unit


def _en() -> ValidationOptions:
    return ValidationOptions(lang="en")


_RANGE = "expected a date in 2000-01-01..2100-12-31 (the working calendar's range), got {}"


# ------------------------------------------------------------- 3. undecodable continuation of a quoted cell


def _note_file(folder: Path, note: str, bad: bytes, rows: int = 4, at: int = 1) -> Path:
    """``rows`` records with a ``note`` column (ignored); record ``at`` (0-based) holds ``note`` in which the marker
    ``@`` stands for ``bad`` (bytes that are not UTF-8)."""
    records = _rows(rows)
    for r in records:
        r["note"] = "x"
    records[at]["note"] = note
    data = csv_text(records, header=[*HEADER, "note"]).encode("utf-8").replace(b"@", bad)
    path = folder / "notes.csv"
    path.write_bytes(data)
    return path


def _accounting(path: Path, arrow: bool, chunk_bytes: int) -> tuple[list[int], list[tuple[int, str]], int, int]:
    rows: list[int] = []
    problems: list[tuple[int, str]] = []
    blank = continued = 0
    for chunk in open_records(path, use_pyarrow=arrow, chunk_bytes=chunk_bytes, encoding="utf-8"):
        rows += chunk.rows.tolist()
        problems += [(p.row, p.code) for p in chunk.problems]
        blank += chunk.blank_lines
        continued += chunk.continuation_lines
    return rows, problems, blank, continued


_BLOCKS = (1 << 20, 97, 250, 330, 400, 520, 700)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # the second line of the cell undecodable: one record, one finding on its row, rows after keep their numbers
        ("first line\nNGUYEN VAN @\nthird line", ([1, 5, 6], [(2, "E_ENCODING")], 0, 2)),
        # the closing quote on the undecodable line: the record still ends there
        ("first line\nNGUYEN VAN @", ([1, 4, 5], [(2, "E_ENCODING")], 0, 1)),
        # the opening line undecodable: the record is one finding, its continuation lines are not rows
        ("@ first line\nsecond line\nthird line", ([1, 5, 6], [(2, "E_ENCODING")], 0, 2)),
        # two undecodable lines in one record: one finding
        ("@\n@\nthird", ([1, 5, 6], [(2, "E_ENCODING")], 0, 2)),
        # a single-line cell: as before, the line is the finding
        ("single @ line", ([1, 3, 4], [(2, "E_ENCODING")], 0, 0)),
    ],
)
def test_an_undecodable_line_inside_a_quoted_cell_is_one_finding_on_the_record(
    note: str, expected: tuple[list[int], list[tuple[int, str]], int, int], tmp_path: Path
) -> None:
    path = _note_file(tmp_path, note, b"\xc0\xff")
    for arrow in (True, False):
        for chunk_bytes in _BLOCKS:
            assert _accounting(path, arrow, chunk_bytes) == expected, (arrow, chunk_bytes)


def test_the_run_counts_the_records_of_a_file_with_an_undecodable_continuation_line(tmp_path: Path) -> None:
    """``rows`` is the number of records (4), the record with the bad bytes its one invalid row, the finding names
    its row and the line of the record the bytes are on; whatever the block size."""
    path = _note_file(tmp_path, "first line\nNGUYEN VAN @\nthird line", b"\xc0\xff")
    for chunk_bytes in _BLOCKS:
        counts, found = _run(path, tmp_path, chunk_bytes=chunk_bytes, encoding="utf-8")
        assert counts == (4, 3, 1), chunk_bytes
        assert found == [
            (
                "2",
                "(row)",
                "E_ENCODING",
                "expected text in utf-8, got undecodable bytes b'\\xc0' at byte 11 of line 2 of the record (pass "
                "--encoding to read the file in another encoding)",
                "",
            )
        ], chunk_bytes
    for jobs in (1, 2):
        assert _run(path, tmp_path, chunk_bytes=250, encoding="utf-8", jobs=jobs) == (counts, found), jobs


def test_a_partitioned_run_counts_such_a_record_once(tmp_path: Path) -> None:
    """The partitioned algorithm (what Dask runs) cuts the file where no record can span the cut: the same counts and
    findings as one machine, whatever the partition size."""
    from tthc.scale.partitions import validate_partitions_locally

    path = _note_file(tmp_path, "first line\nNGUYEN VAN @\nthird line", b"\xc0\xff", rows=12, at=5)
    one = _run(path, tmp_path, encoding="utf-8")
    assert one[0] == (12, 11, 1)
    for partition_bytes in (300, 700, 1 << 20):
        out = tmp_path / f"parts{partition_bytes}.csv"
        with FindingWriter(out) as w:
            s = validate_partitions_locally(
                [path], SAMPLE, _en(), report=w, partition_bytes=partition_bytes, encoding="utf-8"
            )
        with out.open(encoding="utf-8", newline="") as f:
            found = [(r[1], r[2], r[3], r[5], r[6]) for r in list(csv.reader(f))[1:]]
        assert ((s.rows, s.valid_rows, s.invalid_rows), found) == one, partition_bytes


def test_a_stray_quote_on_an_undecodable_line_is_read_as_the_line_holds_it(tmp_path: Path) -> None:
    """The bytes around an undecodable one (quotes, delimiters) keep their meaning: a line whose only fault is its
    encoding is still one line of one row, and a quote it opens that never closes into a record merges nothing."""
    records = _rows(3)
    data = csv_text(records).encode("utf-8")
    lines = data.split(b"\n")
    lines.insert(2, b'"\xff unterminated')
    path = tmp_path / "stray.csv"
    path.write_bytes(b"\n".join(lines))
    for arrow in (True, False):
        for chunk_bytes in _BLOCKS:
            assert _accounting(path, arrow, chunk_bytes) == ([1, 3, 4], [(2, "E_ENCODING")], 0, 0), (arrow, chunk_bytes)
