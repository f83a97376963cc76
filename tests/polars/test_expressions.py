"""The .tthc polars namespace equals the scalar path row by row, and gives null (never a wrong value) without an
answer."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.calendar import public_sector_calendar

pl = pytest.importorskip("polars", reason="extra 'polars' not installed")
import tthc.polars  # noqa: E402  (registers the namespace)

CAL = public_sector_calendar()


def _local(due: tthc.DueDate) -> datetime | None:
    """The due instant as Vietnam wall time (what SQL and polars hold)."""
    return None if due.due_at is None else due.due_at.replace(tzinfo=None)


def test_make_up_saturday_tet_and_nulls() -> None:
    df = pl.DataFrame({"d": [date(2026, 1, 10), date(2026, 2, 13), None, date(1999, 12, 31)], "n": [1, 5, 5, 1]})
    out = df.select(
        pl.col("d").tthc.is_working_day().alias("w"),
        pl.col("d").tthc.add_working_days(pl.col("n")).alias("a"),
        pl.col("d").tthc.add_working_days(2).alias("two"),
    )
    assert out["w"].to_list() == [True, True, None, None]
    assert out["a"].to_list() == [date(2026, 1, 12), date(2026, 2, 27), None, None]
    assert out["two"].to_list() == [date(2026, 1, 13), date(2026, 2, 24), None, None]


def test_polars_own_business_days_miss_the_make_up_saturday() -> None:
    """Why the namespace exists: a weekmask cannot work Sat 10 Jan 2026 (worked for Fri 2 Jan)."""
    df = pl.DataFrame({"d": [date(2026, 1, 9)]})
    ours = df.select(pl.col("d").tthc.add_working_days(1)).item()
    theirs = df.select(pl.col("d").dt.add_business_days(1, holidays=[date(2026, 1, 1), date(2026, 1, 2)])).item()
    assert (ours, theirs) == (date(2026, 1, 10), date(2026, 1, 12))


def test_due_and_timeliness() -> None:
    df = pl.DataFrame(
        {
            "r": [datetime(2026, 2, 13, 16, 30), datetime(2026, 3, 2, 9), None],
            "a": [5, -1, 5],
            "u": ["working_days", "working_days", "working_days"],
            "c": ["online", "direct", None],
            "f": [datetime(2026, 3, 3, 8), datetime(2026, 3, 2, 10), None],
        }
    )
    out = df.select(pl.col("r").tthc.due(pl.col("a"), pl.col("u"), pl.col("c")).alias("due"), "f").with_columns(
        pl.col("due").tthc.timeliness(pl.col("f")).alias("t")
    )
    assert out["due"].to_list() == [datetime(2026, 3, 2, 17), None, None]
    assert out["t"].to_list() == ["late", None, None]


def test_a_wrong_calendar_is_refused() -> None:
    with pytest.raises(tthc.InvalidValueError, match="calendar"):
        pl.col("d").tthc.is_working_day(calendar="public")


days = st.dates(min_value=date(2002, 1, 1), max_value=date(2098, 12, 31))  # ±300 working days stay in 2000..2100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, st.integers(-300, 300), days), min_size=1, max_size=40))
def test_day_expressions_equal_the_scalar_path(rows: list[tuple[date, int, date]]) -> None:
    df = pl.DataFrame({"d": [r[0] for r in rows], "n": [r[1] for r in rows], "e": [r[2] for r in rows]})
    out = df.select(
        pl.col("d").tthc.is_working_day().alias("w"),
        pl.col("d").tthc.add_working_days(pl.col("n")).alias("a"),
        pl.col("d").tthc.working_days_between(pl.col("e")).alias("b"),
    )
    assert out["w"].to_list() == [CAL.is_working_day(d) for d, _, _ in rows]
    assert out["a"].to_list() == [CAL.add_working_days(d, n) for d, n, _ in rows]
    assert out["b"].to_list() == [CAL.working_days_between(d, e) for d, _, e in rows]


instants = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2027, 12, 31))
units = st.sampled_from(["working_days", "calendar_days", "working_hours", "months"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(instants, st.integers(0, 60), units, st.sampled_from(["direct", "online"])), min_size=1))
def test_due_equals_compute_due(rows: list[tuple[datetime, int, str, str]]) -> None:
    df = pl.DataFrame(rows, schema=["r", "a", "u", "c"], orient="row")
    got = df.select(pl.col("r").tthc.due(pl.col("a"), pl.col("u"), pl.col("c"))).to_series().to_list()
    expected = [
        _local(tthc.compute_due(r, tthc.ProcessingTime(unit=tthc.TimeUnit(u), amount=a), channel=c))
        for r, a, u, c in rows
    ]
    assert got == expected


def test_validate_a_frame() -> None:
    from tthc.testing.record_files import row

    rows = [
        row(),
        row(channel="fax", dossier_code="000.00.12.H21-250303-0003"),
        row(fee_vnd="-5", dossier_code="000.00.12.H21-250303-0002"),
    ]
    df = pl.DataFrame(rows).with_columns(pl.col("fee_vnd").cast(pl.Int64, strict=False))
    summary, findings = tthc.polars.validate(df)
    assert (summary.rows, summary.invalid_rows) == (3, 2)
    assert sorted(zip(findings["row"], findings["field"], findings["code"], strict=True)) == [
        (2, "channel", "E_TYPE"),
        (3, "fee_vnd", "E_TYPE"),
    ]


def test_validate_catches_codes_a_float_column_has_eaten() -> None:
    """polars' schema inference reads '2.001410' as a float: the trailing zero is gone, and the code is unknown."""
    from tthc.testing.record_files import row

    df = pl.DataFrame([row(procedure_code="2.001417")]).with_columns(pl.lit(2.00141).alias("procedure_code"))
    _, findings = tthc.polars.validate(df)
    assert findings["code"].to_list() == ["E_UNKNOWN_PROCEDURE"]
