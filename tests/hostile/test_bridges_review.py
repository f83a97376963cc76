"""Found by a hostile review of the data bridges, session 11: DuckDB, polars and PostgreSQL give the answers of the
files and of the scalar API for the same rows — no input overwritten, no wrong value, no foreign exception.

The PostgreSQL tests need a server in the ``PG*`` variables (``eval "$(bash scripts/postgres.sh start)"``) and skip
without one.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import tthc
from tthc.deadlines import CountingRules
from tthc.testing.record_files import HEADER, row

duckdb = pytest.importorskip("duckdb", reason="extra 'duckdb' not installed")
pl = pytest.importorskip("polars", reason="extra 'polars' not installed")
pa = pytest.importorskip("pyarrow", reason="extra 'data' not installed")
import pyarrow.parquet as pq  # noqa: E402

import tthc.duckdb as tthc_duckdb  # noqa: E402
import tthc.polars  # noqa: E402  (registers .tthc)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIVE_DAYS = tthc.ProcessingTime.parse("5 ngày làm việc")
CAL = tthc.public_sector_calendar()
INT64_MAX = int(np.iinfo(np.int64).max)
INT64_MIN = int(np.iinfo(np.int64).min)


def _table(rows: list[dict[str, str]]) -> Any:
    return pa.table({k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER})


def _two_rows() -> Any:
    return _table([row(dossier_code=f"000.00.12.H21-250303-000{i}") for i in (1, 2)])


# -- F1: tthc.duckdb.validate(report=...) never overwrites a file the query reads ------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "select * from '{src}'",
        "select * from read_parquet('{src}')",
        "select * from read_parquet(['{other}', '{src}'])",
        'select * from "{src}"',
        "select * from '{folder}/*.parquet'",
        "select * from read_parquet('{folder}/**/*.parquet', union_by_name = true)",
        "select * from dossiers.parquet",  # DuckDB's replacement scan reads a bare file name too
        "select * from v_dossiers",  # a view over the file
    ],
)
def test_duckdb_validate_refuses_a_report_that_the_query_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    monkeypatch.chdir(tmp_path)
    src, other = tmp_path / "dossiers.parquet", tmp_path / "other.parquet"
    pq.write_table(_two_rows(), src)
    pq.write_table(_two_rows(), other)
    before = src.read_bytes()
    con = duckdb.connect()
    con.execute(f"create view v_dossiers as select * from '{src}'")
    sql = query.format(src=src, other=other, folder=tmp_path)
    with pytest.raises(tthc.OutputFileError) as caught:
        tthc_duckdb.validate(con, sql, report=src)
    assert caught.value.field == "report"
    assert re.search(r"\(it is the input \S*dossiers\.parquet \(query\); writing would destroy it", str(caught.value))
    assert src.read_bytes() == before


def test_duckdb_validate_refuses_a_symlink_to_the_input(tmp_path: Path) -> None:
    src = tmp_path / "dossiers.parquet"
    pq.write_table(_two_rows(), src)
    link = tmp_path / "findings.parquet"
    link.symlink_to(src)
    before = src.read_bytes()
    with pytest.raises(tthc.OutputFileError):
        tthc_duckdb.validate(duckdb.connect(), f"select * from '{src}'", report=link)
    assert src.read_bytes() == before


def test_duckdb_validate_writes_a_report_beside_the_input(tmp_path: Path) -> None:
    src, report = tmp_path / "dossiers.parquet", tmp_path / "findings.parquet"
    pq.write_table(_table([row(), row(dossier_code="bad")]), src)
    result = tthc_duckdb.validate(duckdb.connect(), f"select * from '{src}'", report=report)
    assert (result.summary.rows, result.summary.invalid_rows) == (2, 1)
    assert pq.read_table(report).num_rows == len(result.findings.fetchall()) >= 1


# -- F2: polars reads a zoned datetime as Vietnam wall time, as the file readers and compute_due do ------------------


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC", "Europe/Paris"])
def test_polars_due_of_a_zoned_receipt_equals_compute_due(zone: str) -> None:
    """16:00 in Vietnam is after the 15:00 cut-off: the count starts the next working day, whatever the zone the
    column is stored in."""
    received = datetime(2026, 3, 2, 16, 0, tzinfo=VN)
    expected = tthc.compute_due(received, FIVE_DAYS).due_at
    assert expected == datetime(2026, 3, 10, 17, 0, tzinfo=VN)
    df = pl.DataFrame({"r": [received]}).with_columns(pl.col("r").dt.convert_time_zone(zone))
    got = df.select(pl.col("r").tthc.due(5, "working_days")).item()
    assert got == expected.replace(tzinfo=None)


def test_polars_day_expressions_of_a_zoned_instant_use_the_vietnam_day() -> None:
    """Monday 2 Mar 2026 03:00 +07 is Sunday 1 Mar in UTC: every day expression takes the Vietnam day (Monday)."""
    monday_3am = datetime(2026, 3, 2, 3, 0, tzinfo=VN)
    df = pl.DataFrame({"r": [monday_3am]}).with_columns(pl.col("r").dt.convert_time_zone("UTC"))
    out = df.select(
        pl.col("r").tthc.is_working_day().alias("w"),
        pl.col("r").tthc.add_working_days(1).alias("a"),
        pl.col("r").tthc.working_days_between(pl.lit(date(2026, 3, 3))).alias("b"),
    )
    assert CAL.is_working_day(date(2026, 3, 2))
    assert not CAL.is_working_day(date(2026, 3, 1))
    assert out.row(0) == (True, CAL.add_working_days(date(2026, 3, 2), 1), 1)


def test_polars_timeliness_of_zoned_instants_equals_the_scalar_classification() -> None:
    """Due Tue 3 Mar 17:00 +07, finished Tue 3 Mar 06:00 +07 (Monday 23:00 in UTC): on time, by the Vietnam day —
    not early, as the UTC days would say."""
    due = datetime(2026, 3, 3, 17, 0, tzinfo=VN)
    finished = datetime(2026, 3, 3, 6, 0, tzinfo=VN)
    expected = tthc.classify(due, finished, calendar=CAL)
    assert expected == tthc.Timeliness.ON_TIME
    df = pl.DataFrame({"d": [due], "f": [finished]}).with_columns(pl.all().dt.convert_time_zone("UTC"))
    assert df.select(pl.col("d").tthc.timeliness(pl.col("f"))).item() == expected.value


# -- F3: add_working_days_many with a huge n: CalendarRangeError like the scalar path, never IndexError --------------


@pytest.mark.parametrize("n", [INT64_MAX, INT64_MAX - 6000, INT64_MIN, INT64_MIN + 1, 10**12, -(10**12)])
def test_add_working_days_many_with_a_huge_n_raises_calendar_range_error_like_the_scalar_path(n: int) -> None:
    with pytest.raises(tthc.CalendarRangeError):
        CAL.add_working_days(date(2026, 3, 2), n)
    with pytest.raises(tthc.CalendarRangeError):
        CAL.add_working_days_many(np.array(["2026-03-02"], "datetime64[D]"), np.array([n], dtype=np.int64))
    with pytest.raises(tthc.CalendarRangeError):  # beside a row that has an answer (the fast path's shape)
        CAL.add_working_days_many(np.array(["2026-03-02"] * 2, "datetime64[D]"), np.array([1, n], dtype=np.int64))


def test_add_working_days_many_with_an_unsigned_n_beyond_int64_is_out_of_range_not_wrapped() -> None:
    """2**64 - 1 as int64 is -1: it must not become 'the working day before'."""
    with pytest.raises(tthc.CalendarRangeError):
        CAL.add_working_days_many(np.array(["2026-03-02"], "datetime64[D]"), np.array([2**64 - 1], dtype=np.uint64))
    got = CAL.add_working_days_many(np.array(["2026-03-02"], "datetime64[D]"), np.array([3], dtype=np.uint64))
    assert got.tolist() == [CAL.add_working_days(date(2026, 3, 2), 3)]


def test_polars_add_working_days_gives_null_for_a_huge_n_and_answers_the_other_rows() -> None:
    df = pl.DataFrame({"d": [date(2026, 3, 2)] * 4, "n": [1, INT64_MAX, INT64_MIN, -1]})
    out = df.select(pl.col("d").tthc.add_working_days(pl.col("n"))).to_series().to_list()
    assert out == [date(2026, 3, 3), None, None, date(2026, 2, 27)]


def test_polars_add_working_days_with_an_unsigned_n_beyond_int64_is_null() -> None:
    df = pl.DataFrame({"d": [date(2026, 3, 2)] * 2, "n": pl.Series([1, 2**64 - 1], dtype=pl.UInt64)})
    assert df.select(pl.col("d").tthc.add_working_days(pl.col("n"))).to_series().to_list() == [date(2026, 3, 3), None]


def test_duckdb_udf_gives_null_for_a_huge_n() -> None:
    con = duckdb.connect()
    tthc_duckdb.register(con)
    got = con.execute(
        "select _tthc_add_working_days(DATE '2026-03-02', 9223372036854775807), "
        "_tthc_add_working_days(DATE '2026-03-02', 1)"
    ).fetchall()
    assert got == [(None, date(2026, 3, 3))]


# -- F4: the DuckDB macros never overflow: NULL for the row, the others answered -------------------------------------


@pytest.mark.parametrize("n", [INT64_MAX, INT64_MAX - 6000, INT64_MIN, INT64_MIN + 1])
def test_duckdb_add_working_days_huge_n_is_null_not_a_query_error(n: int) -> None:
    con = duckdb.connect()
    tthc_duckdb.register(con)
    got = con.execute(
        "select tthc_add_working_days(d, n) from (values (0, DATE '2026-03-02', 1::BIGINT), "
        "(1, DATE '2026-03-02', ?::BIGINT)) t(k, d, n) order by k",
        [n],
    ).fetchall()
    assert got == [(date(2026, 3, 3),), (None,)]


@pytest.mark.parametrize("counted", [False, True])
@pytest.mark.parametrize("amount", [INT64_MAX, INT64_MIN, 1_000_000])
def test_duckdb_due_huge_amount_is_null_not_a_query_error(amount: int, counted: bool) -> None:
    rules = CountingRules(receipt_day_counted=True) if counted else None
    con = duckdb.connect()
    tthc_duckdb.register(con, rules=rules)
    got = con.execute(
        "select tthc_due(r, a, 'working_days', 'direct') from (values (0, TIMESTAMP '2026-03-02 09:00', 5::BIGINT), "
        "(1, TIMESTAMP '2026-03-02 09:00', ?::BIGINT)) t(k, r, a) order by k",
        [amount],
    ).fetchall()
    expected = tthc.compute_due(datetime(2026, 3, 2, 9), FIVE_DAYS, rules=rules).due_at
    assert expected is not None
    assert got == [(expected.replace(tzinfo=None),), (None,)]


# -- F5: polars refuses fractional counts as DuckDB does; an integer channel is a portal code --------------------------


def test_polars_add_working_days_refuses_a_fractional_n_column_as_duckdb_does() -> None:
    con = duckdb.connect()
    tthc_duckdb.register(con)
    with pytest.raises(duckdb.Error):  # DuckDB: a DOUBLE count does not bind
        con.execute("select tthc_add_working_days(DATE '2026-03-02', n) from (values (2.9::DOUBLE)) t(n)")
    df = pl.DataFrame({"d": [date(2026, 3, 2)], "n": [2.9]})
    with pytest.raises(tthc.DataError, match=r"n: expected whole numbers .*got Float64"):
        df.select(pl.col("d").tthc.add_working_days(pl.col("n")))
    with pytest.raises(tthc.DataError, match=r"n: expected whole numbers .*got Float64"):
        df.lazy().select(pl.col("d").tthc.add_working_days(pl.col("n"))).collect()


def test_polars_due_refuses_a_fractional_amount_column() -> None:
    df = pl.DataFrame({"r": [datetime(2026, 3, 2, 9)], "a": [4.5]})
    with pytest.raises(tthc.DataError, match=r"amount: expected whole numbers .*got Float64"):
        df.select(pl.col("r").tthc.due(pl.col("a"), "working_days"))


@pytest.mark.parametrize("value", [2.5, 2.0, "2", True])
def test_polars_refuses_a_count_that_is_not_a_whole_number_at_once(value: object) -> None:
    with pytest.raises(tthc.InvalidValueError, match=r"^n: expected a whole number or a polars expression, got "):
        pl.col("d").tthc.add_working_days(value)
    with pytest.raises(tthc.InvalidValueError, match=r"^amount: expected a whole number or a polars expression"):
        pl.col("r").tthc.due(value, "working_days")


@pytest.mark.parametrize("channel", [2, "2", "online"])
def test_polars_due_reads_the_portal_channel_code_2_as_online(channel: object) -> None:
    """With an online cut-off of its own (none: every receipt of a working day counts from the next), the channel
    decides the due date; 2 is the portal's code for online, as Channel.parse and compute_due_many read it."""
    rules = CountingRules(online_cutoff=None)
    received = datetime(2026, 3, 2, 15, 30)
    online = tthc.compute_due(received, FIVE_DAYS, channel=tthc.Channel.parse(channel), rules=rules).due_at
    direct = tthc.compute_due(received, FIVE_DAYS, channel=tthc.Channel.DIRECT, rules=rules).due_at
    assert online is not None
    assert direct is not None
    assert online != direct
    df = pl.DataFrame({"r": [received, received, received], "c": [channel, None, channel]})
    got = df.select(pl.col("r").tthc.due(5, "working_days", pl.col("c"), rules=rules)).to_series().to_list()
    assert got == [online.replace(tzinfo=None), direct.replace(tzinfo=None), online.replace(tzinfo=None)]


@pytest.mark.parametrize("dtype", [pl.Categorical, pl.Enum(["direct", "online", "postal"])])
def test_polars_due_reads_a_categorical_channel_by_its_text(dtype: Any) -> None:
    rules = CountingRules(online_cutoff=None)
    received = datetime(2026, 3, 2, 15, 30)
    df = pl.DataFrame({"r": [received] * 2, "c": pl.Series(["online", "direct"], dtype=dtype)})
    got = df.select(pl.col("r").tthc.due(5, "working_days", pl.col("c"), rules=rules)).to_series().to_list()
    want = [tthc.compute_due(received, FIVE_DAYS, channel=c, rules=rules).due_at for c in ("online", "direct")]
    assert got == [w.replace(tzinfo=None) for w in want if w is not None]


def test_polars_due_refuses_a_float_channel_column() -> None:
    df = pl.DataFrame({"r": [datetime(2026, 3, 2, 9)], "c": [2.0]})
    with pytest.raises(tthc.DataError, match=r"^channel: expected channel names or portal codes 1/2/3, got Float64"):
        df.select(pl.col("r").tthc.due(5, "working_days", pl.col("c")))


def test_polars_due_with_an_integer_channel_equals_duckdb_with_its_text() -> None:
    rules = CountingRules(online_cutoff=None)
    received = datetime(2026, 3, 2, 15, 30)
    con = duckdb.connect()
    tthc_duckdb.register(con, rules=rules)
    sql = con.execute("select tthc_due(?, 5, 'working_days', c) from (values ('1'), ('2'), ('3')) t(c)", [received])
    df = pl.DataFrame({"r": [received] * 3, "c": [1, 2, 3]})
    got = df.select(pl.col("r").tthc.due(5, "working_days", pl.col("c"), rules=rules)).to_series().to_list()
    assert got == [r[0] for r in sql.fetchall()]


# -- F6: a query failing partway through tthc.duckdb.validate: DataFileError, no noise -------------------------------


def test_duckdb_validate_a_query_failing_mid_stream_raises_data_file_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    con = duckdb.connect()
    con.register("src", _table([row()]))
    con.execute("create table one as select * from src")
    query = "select one.*, case when i = 4000 then error('boom') end as x from one, range(5000) t(i)"
    report = tmp_path / "findings.parquet"
    with pytest.raises(tthc.DataFileError, match=r"^duckdb query: reading after row \d+ failed: .*boom"):
        tthc_duckdb.validate(con, query, batch_rows=8, report=report)
    import gc

    gc.collect()  # a ParquetWriter left open would complain here, on stderr
    assert "Exception ignored" not in capfd.readouterr().err
    assert not report.exists()  # no partial report
    assert con.execute("select count(*) from one").fetchall() == [(1,)]  # the connection is usable again


def test_polars_validate_a_lazy_frame_failing_to_collect_raises_data_file_error() -> None:
    frame = pl.DataFrame([row(fee_vnd="abc")], schema=dict.fromkeys(HEADER, pl.String))
    lazy = frame.lazy().with_columns(pl.col("fee_vnd").cast(pl.Int64))  # fails when collected
    with pytest.raises(tthc.DataFileError, match=r"^polars frame: .*abc"):
        tthc.polars.validate(lazy)


# -- F7: tthc.duckdb.validate runs where the caller's connection sees its temp tables, views and macros --------------


def test_duckdb_validate_sees_the_connections_temp_table() -> None:
    con = duckdb.connect()
    con.register("src", _table([row()]))
    con.execute("create temp table dossiers as select * from src")
    result = tthc_duckdb.validate(con, "select * from dossiers")
    assert (result.summary.rows, result.summary.invalid_rows) == (1, 0)


def test_duckdb_validate_sees_a_registered_arrow_table() -> None:
    con = duckdb.connect()
    con.register("dossiers", _table([row(), row(dossier_code="bad")]))
    result = tthc_duckdb.validate(con, "select * from dossiers")
    assert (result.summary.rows, result.summary.invalid_rows) == (2, 1)


def test_duckdb_validate_sees_the_tthc_macros_registered_on_the_connection() -> None:
    con = duckdb.connect()
    tthc_duckdb.register(con)
    con.register("src", _table([row()]))
    query = "select * replace (cast(tthc_add_working_days(DATE '2026-03-02', 0) as varchar) as status) from src"
    result = tthc_duckdb.validate(con, query)
    assert result.summary.rows == 1


@pytest.mark.parametrize("report", [False, True])
def test_duckdb_validate_with_an_unfinished_result_says_so_and_leaves_it(tmp_path: Path, report: bool) -> None:
    """A relation on a connection with an unfinished execute() is refused by DuckDB; validate says so, and the
    caller's result is still there to fetch (never silently replaced by validate's own queries)."""
    con = duckdb.connect()
    con.register("dossiers", _table([row()]))
    assert con.execute("select * from range(3)").fetchone() == (0,)
    with pytest.raises(tthc.DataFileError, match=r"^duckdb query: .*unfinished result"):
        tthc_duckdb.validate(con, "select * from dossiers", report=tmp_path / "f.parquet" if report else None)
    assert con.fetchall() == [(1,), (2,)]
    assert not (tmp_path / "f.parquet").exists()


def test_duckdb_validate_refuses_a_report_read_through_the_file_search_path(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    src = data / "dossiers.parquet"
    pq.write_table(_two_rows(), src)
    before = src.read_bytes()
    con = duckdb.connect()
    con.execute(f"set file_search_path = '{data}'")
    with pytest.raises(tthc.OutputFileError):
        tthc_duckdb.validate(con, "select * from 'dossiers.parquet'", report=src)
    assert src.read_bytes() == before


# -- F8: tthc.polars.validate: a column it does not read never matters ------------------------------------------------


def test_polars_validate_with_an_int128_extra_column() -> None:
    df = pl.DataFrame([row()], schema=dict.fromkeys(HEADER, pl.String)).with_columns(
        pl.lit(1, dtype=pl.Int128).alias("row_id")
    )
    try:
        summary, findings = tthc.polars.validate(df)
    except tthc.TthcError:
        raise
    except Exception as exc:  # reported without a traceback: pytest's formatting of pyarrow's error trips CPython
        pytest.fail(f"{type(exc).__module__}.{type(exc).__name__}: {exc}", pytrace=False)
    assert (summary.rows, summary.invalid_rows, findings.height) == (1, 0, 0)
    assert summary.files[0].header is not None
    assert summary.files[0].header.ignored == ("row_id",)


def test_polars_validate_reads_an_int128_fee_by_its_value() -> None:
    df = pl.DataFrame([row(fee_vnd="0"), row(fee_vnd="0")], schema=dict.fromkeys(HEADER, pl.String))
    df = df.with_columns(pl.Series("fee_vnd", [0, -5], dtype=pl.Int128))
    try:
        summary, findings = tthc.polars.validate(df)
    except tthc.TthcError:
        raise
    except Exception as exc:
        pytest.fail(f"{type(exc).__module__}.{type(exc).__name__}: {exc}", pytrace=False)
    assert (summary.rows, summary.invalid_rows) == (2, 1)
    assert findings.filter(pl.col("field") == "fee_vnd")["row"].to_list() == [2]


# -- F9: PostgreSQL: the primary key of the table read, quoted by the server; queries as written ----------------------

COLS = [
    "dossier_code", "procedure_code", "agency_code", "channel", "online_level", "received_at", "due_at",
    "finished_at", "returned_at", "result_channel", "status", "fee_vnd",
]  # fmt: skip
WANT = [f"000.00.12.H21-250303-000{k}" for k in (1, 2, 3)]


@pytest.fixture(scope="module")
def pg_url() -> str:
    pytest.importorskip("adbc_driver_postgresql", reason="extra 'postgres' not installed")
    if not os.environ.get("PGHOST"):
        pytest.skip('no PostgreSQL server: set the PG* variables, e.g. eval "$(bash scripts/postgres.sh start)"')
    import adbc_driver_postgresql.dbapi as pg

    try:
        pg.connect("postgresql://").close()
    except Exception as exc:
        pytest.skip(f"PostgreSQL server in PG* variables not reachable: {exc}")
    return "postgresql://"


def _make_table(url: str, name_sql: str, key_sql: str) -> None:
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(url) as con:
        cur = con.cursor()
        cur.execute(f"drop table if exists {name_sql}")
        cols = ", ".join(f"{c} text" for c in COLS)
        cur.execute(f"create table {name_sql} ({key_sql} bigint primary key, {cols})")
        for key in (3, 1, 2):  # inserted out of key order: the physical order is 3, 1, 2
            r = row(dossier_code=f"000.00.12.H21-250303-000{key}")
            cur.execute(f"insert into {name_sql} values ({key}, {', '.join(repr(r[c]) for c in COLS)})")
        con.commit()


def _codes(stream: Any) -> list[str]:
    out: list[str] = []
    for chunk in stream:
        col = chunk.columns["dossier_code"]
        out += [str(v) for v in (col.to_pylist() if hasattr(col, "to_pylist") else col)]
    return out


def test_postgres_mixed_case_table_is_read_in_primary_key_order(pg_url: str) -> None:
    from tthc.records.database import open_database

    _make_table(pg_url, '"B11Dossiers"', "id")
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(pg_url) as con:  # a lower-case twin without a key must not lend its (lack of) key
        cur = con.cursor()
        cur.execute("drop table if exists b11dossiers")
        cur.execute("create table b11dossiers (x int)")
        con.commit()
    assert _codes(open_database(pg_url, table="B11Dossiers")) == WANT
    assert _codes(open_database(pg_url, table="public.B11Dossiers")) == WANT


@pytest.mark.parametrize("key", ['"we""ird"', '"x"" desc, (select pg_sleep(5)) is null, ""x"', '"Key Two"', '"ключ"'])
def test_postgres_primary_key_names_are_quoted_by_the_server(pg_url: str, key: str) -> None:
    from tthc.records.database import open_database

    _make_table(pg_url, "b11_quoted_key", key)
    assert _codes(open_database(pg_url, table="b11_quoted_key")) == WANT


@pytest.mark.parametrize(
    "tail", [";", " ;\n", ";;", " -- stable order", "\n-- a comment; with a semicolon", " /* done */ ;"]
)
def test_postgres_query_ending_in_a_semicolon_or_a_comment_is_read(pg_url: str, tail: str) -> None:
    from tthc.records.database import open_database

    _make_table(pg_url, "b11_tail", "id")
    assert _codes(open_database(pg_url, query="select * from b11_tail order by id" + tail)) == WANT
