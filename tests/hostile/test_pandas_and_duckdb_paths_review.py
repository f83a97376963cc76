"""Paths that must agree (review P, session 12).

* ``validate_chunk`` on a pandas frame reads the rows as the same rows read through Arrow, through the Dask path
  (``tthc.scale.partitions.validate_frame``) and from the CSV file: pandas' missing values (``pd.NA``, ``NaT`` in a
  zoned column, ``NaN``) are empty cells, nullable ``Int64`` / ``Float64`` columns are read by their exact values,
  whatever way the file was loaded (``dtype=str``, ``dtype="string"``, ``dtype_backend="pyarrow"`` /
  ``"numpy_nullable"``, categorical, tz-aware datetimes); object columns of Python values keep working, and a column of
  mixed Python values no longer fails a whole Dask partition.
* The DuckDB macro ``tthc_due`` reads the channel as ``compute_due``, its own Arrow function ``_tthc_due`` and polars
  do: every spelling ``Channel.parse`` takes (Vietnamese label, case, spaces), NULL for an unknown or empty channel —
  under the default rules and ``CountingRules(online_cutoff=None)``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import duckdb
import polars as pl
import tthc
import tthc.duckdb
import tthc.polars  # registers .tthc
from tthc.catalog import Catalog
from tthc.deadlines import compute_due
from tthc.deadlines.counting import CountingRules
from tthc.scale.partitions import validate_frame
from tthc.testing.record_files import row, write_csv
from tthc.validation import ValidationOptions, validate_chunk, validate_files

CAT = Catalog.sample()
EN = ValidationOptions(lang="en")
OPEN = {"dossier_code": "000.00.12.H21-250303-0002", "finished_at": "", "returned_at": "", "status": "processing"}

Finding = tuple[int, str, str]


def _findings(result: Any) -> list[Finding]:
    return sorted((p.row, p.field, p.code) for p in result.findings)


def _arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


# ------------------------------------------------------------------------------------------------ pandas frames


def test_an_open_dossier_with_a_zoned_nat_finish_is_valid_in_a_pandas_chunk_as_through_arrow(tmp_path: Path) -> None:
    df = pd.DataFrame([row(), row(**OPEN)])
    for c in ["received_at", "due_at", "finished_at", "returned_at"]:
        df[c] = pd.to_datetime(df[c].replace("", None)).dt.tz_localize("Asia/Ho_Chi_Minh")
    assert validate_files([write_csv(tmp_path / "r.csv", [row(), row(**OPEN)])], CAT, EN).invalid_rows == 0
    assert _findings(validate_chunk(_arrow(df), CAT, EN)) == []
    dask_part, _ = validate_frame(df, 0, CAT, EN)
    assert dask_part.error is None
    assert dask_part.findings is None
    result = validate_chunk(df, CAT, EN)
    # before: [(2, 'finished_at', 'E_TYPE'), (2, 'returned_at', 'E_TYPE')] "... got NaT", row 2 invalid
    assert _findings(result) == []
    assert result.valid.tolist() == [True, True]


def test_a_missing_zoned_receipt_is_an_empty_cell_in_a_pandas_chunk_as_through_arrow() -> None:
    df = pd.DataFrame([row(), row(dossier_code="000.00.12.H21-250303-0002")])
    receipts: list[Any] = ["2025-03-03 09:00", None]
    df["received_at"] = pd.to_datetime(receipts).tz_localize("Asia/Ho_Chi_Minh")
    via_arrow = _findings(validate_chunk(_arrow(df), CAT, EN))
    assert via_arrow == [(2, "received_at", "E_SCHEMA")]
    # before: [(2, 'received_at', 'E_TYPE')] "expected an ISO 8601 datetime ..., got NaT"
    assert _findings(validate_chunk(df, CAT, EN)) == via_arrow


def _two_fees(values: list[Any], dtype: Any) -> pd.DataFrame:
    df = pd.DataFrame([row(dossier_code=f"000.00.12.H21-250303-000{i}") for i in (1, 2)])
    df["fee_vnd"] = pd.array(values, dtype=dtype)
    return df


def test_a_nullable_int64_fee_is_read_exactly_in_a_pandas_chunk_as_through_arrow() -> None:
    # the largest fee the rules accept, in a column with a gap (pandas' nullable integers hold it exactly)
    df = _two_fees([999_999_999_999_999_999, None], "Int64")
    assert _findings(validate_chunk(_arrow(df), CAT, EN)) == []
    result = validate_chunk(df, CAT, EN)
    # before: [(1, 'fee_vnd', 'E_TYPE')] "expected a whole number from 0 to 999999999999999999, got '1e+18'"
    assert [(p.row, p.field, p.code, p.message) for p in result.findings] == []
    assert result.valid.tolist() == [True, True]


def test_a_nullable_int64_fee_one_past_the_range_or_negative_is_named_as_written() -> None:
    over = validate_chunk(_two_fees([1_000_000_000_000_000_000, None], "Int64"), CAT, EN)
    assert [(p.row, p.field, p.code) for p in over.findings] == [(1, "fee_vnd", "E_TYPE")]
    assert "got '1000000000000000000'" in over.findings[0].message
    negative = validate_chunk(_two_fees([-1, None], "Int64"), CAT, EN)
    assert [(p.row, p.field, p.code) for p in negative.findings] == [(1, "fee_vnd", "E_TYPE")]
    # before: "got '-1.0'" (the column went through float64); CSV, Arrow and Dask say '-1'
    assert "got '-1'" in negative.findings[0].message
    assert [p.message for p in negative.findings] == [
        p.message for p in validate_chunk(_arrow(_two_fees([-1, None], "Int64")), CAT, EN).findings
    ]


def test_a_nullable_int64_fee_past_two_to_the_53_keeps_its_digits() -> None:
    """Read exactly, not through float64 (9007199254740993 was read as ...992): checked through the fee the
    KPI partial and the result keep — the value itself, compared with the Arrow path's reading."""
    from tthc.records.columns import typed_columns

    df = _two_fees([2**53 + 1, None], "Int64")
    assert typed_columns(df).integers["fee_vnd"].tolist() == [2**53 + 1, -1]
    assert typed_columns(_arrow(df)).integers["fee_vnd"].tolist() == [2**53 + 1, -1]


@pytest.mark.parametrize("dtype", ["Float64", "float64"])
def test_a_float_fee_with_a_gap_is_read_by_value(dtype: Any) -> None:
    df = pd.DataFrame([row(dossier_code=f"000.00.12.H21-250303-000{i}") for i in (1, 2, 3)])
    fees: list[Any] = [200000.0, None, 0.5]
    df["fee_vnd"] = pd.array(fees, dtype=dtype)
    result = validate_chunk(df, CAT, EN)
    assert _findings(result) == [(3, "fee_vnd", "E_TYPE")] == _findings(validate_chunk(_arrow(df), CAT, EN))
    assert result.valid.tolist() == [True, True, False]


def _hostile_rows() -> list[dict[str, str]]:
    """Valid rows, an open dossier, and rows with one bad cell each (so that both sides of "read the same" show)."""
    return [
        row(),
        row(**OPEN),
        row(dossier_code="000.00.12.H21-250303-0003", fee_vnd="-5"),
        row(dossier_code="000.00.12.H21-250303-0004", received_at="31/02/2025"),
        row(dossier_code="000.00.12.H21-250303-0005", channel="Trực tuyến", result_channel=""),
        row(dossier_code="000.00.12.H21-250303-0006", channel="nowhere"),
        row(dossier_code="000.00.12.H21-250303-0007", supplement_count="", tracking_number=""),
        row(dossier_code="", procedure_code="2.001417"),
        row(dossier_code="000.00.12.H21-250303-0009", fee_vnd="999999999999999999"),
    ]


def _file_findings(path: Path) -> list[Finding]:
    out: list[Any] = []
    validate_files([path], CAT, EN, on_chunk=lambda r: out.extend(r.findings))
    return sorted((p.row, p.field, p.code) for p in out)


READS: list[dict[str, Any]] = [
    {},
    {"dtype": str},
    {"dtype": "string"},
    {"dtype_backend": "pyarrow"},
    {"dtype_backend": "numpy_nullable"},
    {"dtype": "category"},
]


@pytest.mark.parametrize("read", READS, ids=lambda r: ",".join(f"{k}={v}" for k, v in r.items()) or "default")
def test_a_file_through_pandas_gives_the_findings_of_the_file(tmp_path: Path, read: dict[str, Any]) -> None:
    path = write_csv(tmp_path / "r.csv", _hostile_rows())
    expected = _file_findings(path)
    # the bad cells only: not the open dossier, the empty supplement count or tracking number, the largest fee
    assert expected == [
        (3, "fee_vnd", "E_TYPE"),
        (4, "received_at", "E_TYPE"),
        (6, "channel", "E_TYPE"),
        (8, "dossier_code", "E_SCHEMA"),
    ]
    df = pd.read_csv(path, **read)
    result = validate_chunk(df, CAT, EN)
    # before (dtype="string", pyarrow, numpy_nullable): '<NA>' in empty cells, E_TYPE / E_TRACKING_FORMAT everywhere
    assert _findings(result) == expected
    assert _findings(validate_chunk(_arrow(df), CAT, EN)) == expected


@pytest.mark.parametrize("read", [{"dtype": "string"}, {"dtype_backend": "pyarrow"}], ids=str)
def test_a_pandas_frame_in_a_mapping_reads_pandas_missing_values_as_empty(tmp_path: Path, read: dict[str, Any]) -> None:
    path = write_csv(tmp_path / "r.csv", [row(), row(**OPEN)])
    df = pd.read_csv(path, **read)
    as_series = validate_chunk({c: df[c] for c in df.columns}, CAT, EN)
    as_lists = validate_chunk({c: df[c].tolist() for c in df.columns}, CAT, EN)  # pd.NA in Python lists
    assert _findings(as_series) == _findings(as_lists) == []
    assert as_lists.valid.tolist() == [True, True]


def test_a_mapping_of_lists_with_nat_and_pd_na_reads_them_as_empty() -> None:
    cells: dict[str, list[Any]] = {k: [v, v] for k, v in row().items()}
    cells["dossier_code"] = ["000.00.12.H21-250303-0001", "000.00.12.H21-250303-0002"]
    cells["finished_at"] = [datetime(2025, 3, 14, 10, 0), pd.NaT]
    cells["returned_at"] = ["2025-03-14 15:00:00", pd.NA]
    cells["status"] = ["returned", "processing"]
    cells["supplement_count"] = [0, pd.NA]
    cells["tracking_number"] = [pd.NA, None]
    assert _findings(validate_chunk(cells, CAT, EN)) == []
    cells["channel"] = ["online", pd.NA]
    assert _findings(validate_chunk(cells, CAT, EN)) == [(2, "channel", "E_SCHEMA")]


def test_object_columns_of_python_text_and_none_still_read() -> None:
    df = pd.DataFrame([{k: v or None for k, v in r.items()} for r in (row(), row(**OPEN))], dtype=object)
    assert df["finished_at"].tolist()[1] is None
    result = validate_chunk(df, CAT, EN)
    assert _findings(result) == []
    df.loc[1, "fee_vnd"] = "12,5"
    assert _findings(validate_chunk(df, CAT, EN)) == [(2, "fee_vnd", "E_TYPE")]


def test_a_column_of_mixed_python_values_is_read_cell_by_cell_in_a_chunk_and_a_dask_partition() -> None:
    """Arrow cannot type ``[200000, 'abc']``: the column is read as a list is, and the Dask partition is checked
    (before: the whole partition failed with ArrowInvalid)."""
    df = pd.DataFrame([row(), row(dossier_code="000.00.12.H21-250303-0002")])
    df["fee_vnd"] = pd.Series([200000, "abc"], dtype=object)
    df["finished_at"] = pd.Series([datetime(2025, 3, 14, 10, 0), pd.NaT], dtype=object)
    df["status"] = ["returned", "processing"]
    df["returned_at"] = ["2025-03-14 15:00:00", None]
    assert _findings(validate_chunk(df, CAT, EN)) == [(2, "fee_vnd", "E_TYPE")]
    part, _ = validate_frame(df, 0, CAT, EN)
    assert part.error is None
    assert part.findings is not None
    assert len(part.findings) == 1


def test_a_categorical_channel_with_a_gap_reads_as_its_text() -> None:
    df = pd.DataFrame([row(), row(dossier_code="000.00.12.H21-250303-0002", channel="Trực tuyến")])
    df["channel"] = pd.Categorical(["online", None])
    assert _findings(validate_chunk(df, CAT, EN)) == [(2, "channel", "E_SCHEMA")]
    df["channel"] = pd.Categorical(["online", "Trực tuyến"])
    assert _findings(validate_chunk(df, CAT, EN)) == []


# ------------------------------------------------------------------------------------------------ DuckDB tthc_due

NO_ONLINE_CUTOFF = CountingRules(online_cutoff=None)  # the documented [open] option: online dossiers have no cut-off
RECEIVED = datetime(2026, 3, 3, 16, 0)  # Tuesday, after the 15:00 cut-off
ONLINE_DUE = datetime(2026, 3, 10, 17, 0)
DIRECT_DUE = datetime(2026, 3, 11, 17, 0)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    tthc.duckdb.register(c, rules=NO_ONLINE_CUTOFF)
    return c


def _sql_and_arrow(c: duckdb.DuckDBPyConnection, channel: str | None, unit: str = "working_days") -> tuple[Any, Any]:
    got = c.execute(
        "select tthc_due(?, 5, ?, ?), _tthc_due(?, 5, ?, ?)", [RECEIVED, unit, channel, RECEIVED, unit, channel]
    ).fetchone()
    assert got is not None
    return got[0], got[1]


def _polars(channel: str | None, rules: CountingRules | None = NO_ONLINE_CUTOFF) -> Any:
    frame = pl.DataFrame({"r": [RECEIVED], "c": pl.Series([channel], dtype=pl.String)})
    received: Any = pl.col("r")  # .tthc: registered by tthc.polars, unknown to the type checker
    return frame.select(received.tthc.due(5, "working_days", pl.col("c"), rules=rules)).item()


def test_the_spellings_read_in_sql_are_the_librarys_own_each_as_channel_parse_reads_it() -> None:
    from tthc.duckdb._sql import channel_spellings

    spellings = channel_spellings()
    for ch in tthc.Channel:
        assert {s for s, c in spellings.items() if c is ch} == {ch.value, str(ch.portal_code), ch.label_vi}
    assert all(tthc.Channel.parse(s) is c for s, c in spellings.items())
    assert "ONLINE" not in spellings
    assert " online" not in spellings


@pytest.mark.parametrize("channel", ["online", "2", "Trực tuyến", "ONLINE", " online", "dịch vụ công trực tuyến"])
def test_every_online_spelling_gives_the_online_due_date_in_sql(con: duckdb.DuckDBPyConnection, channel: str) -> None:
    scalar = compute_due(
        RECEIVED, tthc.ProcessingTime.working_days(5), channel=tthc.Channel.parse(channel), rules=NO_ONLINE_CUTOFF
    )
    sql, arrow = _sql_and_arrow(con, channel)
    assert scalar.due_at is not None
    assert scalar.due_at.replace(tzinfo=None) == _polars(channel) == arrow == ONLINE_DUE
    # before: the macro read anything but 'online' / '2' as direct: 2026-03-11 17:00, a day late
    assert sql == ONLINE_DUE


@pytest.mark.parametrize("channel", ["direct", "1", "Trực tiếp", "DIRECT", "postal", "3", "Dịch vụ bưu chính", None])
def test_direct_and_postal_spellings_and_null_keep_the_direct_cutoff_in_sql(
    con: duckdb.DuckDBPyConnection, channel: str | None
) -> None:
    sql, arrow = _sql_and_arrow(con, channel)
    assert sql == arrow == _polars(channel) == DIRECT_DUE


@pytest.mark.parametrize("channel", ["x", "", "  ", "4", "online-ish?"])
def test_an_unknown_or_empty_channel_is_null_in_sql_as_in_the_arrow_function_and_polars(
    con: duckdb.DuckDBPyConnection, channel: str
) -> None:
    with pytest.raises(tthc.errors.TthcError):
        tthc.Channel.parse(channel)
    sql, arrow = _sql_and_arrow(con, channel)
    assert _polars(channel) is None
    assert arrow is None
    # before: the macro answered 2026-03-11 17:00 (as if direct) where tthc has no answer
    assert sql is None


def test_with_the_default_rules_an_unknown_channel_is_null_in_sql_too() -> None:
    c = duckdb.connect()
    tthc.duckdb.register(c)
    got = c.execute(
        "select tthc_due(TIMESTAMP '2026-03-03 09:00', 5, 'working_days', 'x'),"
        " tthc_due(TIMESTAMP '2026-03-03 09:00', 5, 'calendar_days', 'x'),"
        " tthc_due(TIMESTAMP '2026-03-03 09:00', 5, 'working_days', 'Trực tuyến'),"
        " tthc_due(TIMESTAMP '2026-03-03 16:00', 5, 'working_days', ' ONLINE ')"
    ).fetchone()
    # before: 2026-03-10 17:00 for working days, NULL for calendar days — same row, two answers
    assert got == (None, None, datetime(2026, 3, 10, 17, 0), datetime(2026, 3, 11, 17, 0))


def test_a_column_of_channel_spellings_in_sql_matches_the_arrow_function_row_by_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    channels = ["online", "Trực tuyến", "ONLINE", "direct", " Trực tiếp", "3", "x", "", None, "bcci"]
    chans = pa.table({"c": pa.array(channels, pa.string())})  # noqa: F841  (read by the query below)
    got = con.execute(
        f"select c, tthc_due(TIMESTAMP '{RECEIVED}', 5, 'working_days', c),"
        f" _tthc_due(TIMESTAMP '{RECEIVED}', 5, 'working_days', c) from chans"
    ).fetchall()
    assert len(got) == len(channels)
    assert all(sql == arrow for _, sql, arrow in got), got
    assert [sql for _, sql, _ in got] == [ONLINE_DUE] * 3 + [DIRECT_DUE] * 3 + [None] * 2 + [DIRECT_DUE] * 2
