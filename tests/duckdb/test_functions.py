"""The tthc_* SQL functions equal the scalar path row by row, and give NULL (never a wrong value) without an answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.calendar import public_sector_calendar

duckdb = pytest.importorskip("duckdb", reason="extra 'duckdb' not installed")
import tthc.duckdb as tthc_duckdb  # noqa: E402

CAL = public_sector_calendar()


def _local(due: tthc.DueDate) -> datetime | None:
    """The due instant as Vietnam wall time (what SQL and polars hold)."""
    return None if due.due_at is None else due.due_at.replace(tzinfo=None)


@pytest.fixture(scope="module")
def con() -> Any:
    c = duckdb.connect()
    tthc_duckdb.register(c)
    return c


def test_make_up_saturday_and_tet(con: Any) -> None:
    row = con.execute(
        "select tthc_is_working_day(DATE '2026-01-10'), tthc_is_working_day(DATE '2026-01-02'), "
        "tthc_add_working_days(DATE '2026-02-13', 5), tthc_working_days_between(DATE '2026-02-13', DATE '2026-02-27')"
    ).fetchone()
    # Sat 10 Jan 2026 is worked for Fri 2 Jan (the New Year swap); Tết 2026 moves five working days to 27 Feb
    assert row == (True, False, date(2026, 2, 27), 5)


def test_due_and_timeliness_equal_the_scalar_engine(con: Any) -> None:
    received = datetime(2026, 2, 13, 16, 30)
    due = _local(tthc.compute_due(received, "5 ngày làm việc", channel="online"))
    assert due is not None
    row = con.execute(
        "select tthc_due(?, 5, 'working_days', 'online'), tthc_timeliness(?, ?), tthc_timeliness(?, ?)",
        [received, due, due - timedelta(days=3), due, due + timedelta(minutes=1)],
    ).fetchone()
    assert row == (due, "early", "late")


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("tthc_add_working_days(NULL, 3)", "a null date"),
        ("tthc_add_working_days(DATE '2026-03-02', NULL)", "a null count"),
        ("tthc_add_working_days(DATE '1999-12-31', 1)", "a date before the compiled calendar"),
        ("tthc_add_working_days(DATE '2100-12-30', 5)", "an answer after the compiled calendar"),
        ("tthc_is_working_day(DATE '1999-12-31')", "a date before the compiled calendar"),
        ("tthc_working_days_between(DATE '1999-12-31', DATE '2026-01-01')", "a start before the calendar"),
        ("tthc_due(TIMESTAMP '2026-03-02 09:00', 5, 'fortnights', 'direct')", "an unknown unit"),
        ("tthc_due(TIMESTAMP '2026-03-02 09:00', -5, 'working_days', 'direct')", "a negative amount"),
        ("tthc_due(TIMESTAMP '2100-12-30 09:00', 5, 'working_days', 'direct')", "a due date after the calendar"),
        ("tthc_timeliness(NULL, TIMESTAMP '2026-03-02 09:00')", "no due instant"),
    ],
)
def test_no_answer_is_null(con: Any, sql: str, why: str) -> None:
    assert con.execute(f"select {sql}").fetchone() == (None,), why


def test_one_row_without_an_answer_leaves_the_others_answered(con: Any) -> None:
    rows = con.execute(
        "select d, tthc_add_working_days(d, 1) from (values (DATE '2026-03-02'), (DATE '2100-12-31'), "
        "(DATE '2026-03-06')) t(d) order by d"
    ).fetchall()
    assert rows == [
        (date(2026, 3, 2), date(2026, 3, 3)),
        (date(2026, 3, 6), date(2026, 3, 9)),
        (date(2100, 12, 31), None),
    ]


def test_register_refuses_a_wrong_calendar_and_can_replace() -> None:
    c = duckdb.connect()
    with pytest.raises(tthc.InvalidValueError, match="calendar"):
        tthc_duckdb.register(c, calendar="public")  # type: ignore[arg-type]
    tthc_duckdb.register(c)
    tthc_duckdb.register(c, calendar=CAL.with_overlay(extra_days_off=[date(2026, 3, 3)]), replace=True)
    assert c.execute("select tthc_add_working_days(DATE '2026-03-02', 1)").fetchone() == (date(2026, 3, 4),)


days = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, st.integers(-300, 300), days), min_size=1, max_size=40))
def test_day_functions_equal_the_scalar_path(rows: list[tuple[date, int, date]]) -> None:
    c = duckdb.connect()
    tthc_duckdb.register(c)
    c.execute("create table t (i int, d date, n bigint, e date)")
    c.executemany("insert into t values (?, ?, ?, ?)", [(i, d, n, e) for i, (d, n, e) in enumerate(rows)])
    got = c.execute(
        "select tthc_is_working_day(d), tthc_add_working_days(d, n), tthc_working_days_between(d, e) from t order by i"
    ).fetchall()
    expected = [(CAL.is_working_day(d), CAL.add_working_days(d, n), CAL.working_days_between(d, e)) for d, n, e in rows]
    assert got == expected


instants = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2027, 12, 31))
units = st.sampled_from(["working_days", "calendar_days", "working_hours", "months"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(instants, st.integers(0, 60), units, st.sampled_from(["direct", "online", "postal"]))))
def test_due_equals_compute_due(rows: list[tuple[datetime, int, str, str]]) -> None:
    c = duckdb.connect()
    tthc_duckdb.register(c)
    c.execute("create table t (i int, r timestamp, a bigint, u varchar, ch varchar)")
    if rows:
        c.executemany("insert into t values (?, ?, ?, ?, ?)", [(i, *row) for i, row in enumerate(rows)])
    got = [g for (g,) in c.execute("select tthc_due(r, a, u, ch) from t order by i").fetchall()]
    expected = []
    for r, a, u, ch in rows:
        pt = tthc.ProcessingTime(unit=tthc.TimeUnit(u), amount=a)
        expected.append(_local(tthc.compute_due(r, pt, channel=ch)))
    assert got == expected


def test_validate_a_relation_equals_validating_the_file(tmp_path: Path) -> None:
    from tthc.testing.record_files import row, write_csv

    rows = [
        row(),
        row(channel="fax", dossier_code="000.00.12.H21-250303-0003"),
        row(due_at="2025-03-18 17:00:00", dossier_code="000.00.12.H21-250303-0002"),
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    con = duckdb.connect()
    result = tthc_duckdb.validate(con, f"select * from read_csv('{path}', all_varchar=true)")
    alone = tthc.validate_files([path], tthc.Catalog.sample())
    assert (result.summary.rows, result.summary.invalid_rows) == (alone.rows, alone.invalid_rows) == (3, 2)
    got = sorted(tuple(r) for r in result.findings.project("row, field, code").fetchall())
    assert got == [(2, "channel", "E_TYPE"), (3, "due_at", "E_DUE_MISMATCH")]


def test_validate_refuses_a_report_that_is_not_parquet_and_names_a_bad_query() -> None:
    con = duckdb.connect()
    with pytest.raises(tthc.InvalidValueError, match="parquet"):
        tthc_duckdb.validate(con, "select 1", report="findings.csv")
    with pytest.raises(tthc.DataFileError, match="duckdb query"):
        tthc_duckdb.validate(con, "select * from no_such_table")
    with pytest.raises(tthc.DataFileError, match="missing required column"):
        tthc_duckdb.validate(con, "select 1 as x")
