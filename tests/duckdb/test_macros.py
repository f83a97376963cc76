"""The tthc_* SQL macros over the calendar tables: equal to the scalar engine on the rows they answer themselves.

The Arrow UDFs behind the macros are replaced by sentinels here, so a row that left SQL for Python shows the
sentinel instead of the right answer: these tests check the SQL path, not the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.calendar import public_sector_calendar
from tthc.calendar.office_hours import DatedOfficeHours, OfficeHours, OfficeHoursOverride, load_office_hours
from tthc.deadlines import compute as compute_module
from tthc.deadlines import counting
from tthc.deadlines.counting import CountingRules, DueInstant

duckdb = pytest.importorskip("duckdb", reason="extra 'duckdb' not installed")
pa = pytest.importorskip("pyarrow")
import tthc.duckdb as tthc_duckdb  # noqa: E402

CAL = public_sector_calendar()
SENTINEL_DAY = date(1999, 9, 9)
SENTINEL = datetime(1999, 9, 9, 9, 9)
_SENTINELS: dict[str, tuple[list[str], str, Callable[[int], Any]]] = {
    "_tthc_is_working_day": (["DATE"], "BOOLEAN", lambda n: pa.nulls(n, pa.bool_())),
    "_tthc_add_working_days": (["DATE", "BIGINT"], "DATE", lambda n: pa.array([SENTINEL_DAY] * n, pa.date32())),
    "_tthc_working_days_between": (["DATE", "DATE"], "BIGINT", lambda n: pa.array([-999_999] * n, pa.int64())),
    "_tthc_due": (
        ["TIMESTAMP", "BIGINT", "VARCHAR", "VARCHAR"],
        "TIMESTAMP",
        lambda n: pa.array([SENTINEL] * n, pa.timestamp("us")),
    ),
    "_tthc_timeliness": (["TIMESTAMP", "TIMESTAMP"], "VARCHAR", lambda n: pa.array(["sentinel"] * n)),
}


def _of_arity(arity: int, answer: Callable[[int], Any]) -> Callable[..., Any]:
    """A UDF of ``arity`` columns (DuckDB reads the parameter count) answering ``answer(rows)``."""

    def one(a: Any) -> Any:
        return answer(len(a))

    def two(a: Any, b: Any) -> Any:
        return answer(len(a))

    def four(a: Any, b: Any, c: Any, d: Any) -> Any:
        return answer(len(a))

    by_arity: dict[int, Callable[..., Any]] = {1: one, 2: two, 4: four}
    return by_arity[arity]


def sql_only(calendar: tthc.WorkingCalendar = CAL, rules: CountingRules | None = None) -> Any:
    """A connection with the macros, whose Arrow fallbacks answer a sentinel."""
    con = duckdb.connect()
    tthc_duckdb.register(con, calendar=calendar, rules=rules)
    for name, (params, ret, answer) in _SENTINELS.items():
        con.remove_function(name)
        con.create_function(name, _of_arity(len(params), answer), params, ret, type="arrow", null_handling="special")
    return con


def _local(due: tthc.DueDate) -> datetime | None:
    return None if due.due_at is None else due.due_at.replace(tzinfo=None)


# -- receipt instants where the rules turn: swaps, make-up Saturdays, Tết, 1 Jul 2025, the cut-off, the sessions --

_SWAPS = sorted(
    {d for y in range(2019, 2027) for d, _ in CAL.days_off(date(y, 1, 1), date(y, 12, 31))}
    | set(CAL.make_up_days(date(2019, 1, 1), date(2026, 12, 31)))
    | {date(2025, 6, 30), date(2025, 7, 1)}
)
_EDGE_DAYS = sorted({d + timedelta(days=k) for d in _SWAPS for k in (-1, 0, 1)})
_EDGE_TIMES = [
    time(0, 0),
    time(7, 29, 59),
    time(7, 30),
    time(11, 30),
    time(12, 15),
    time(14, 59, 59, 999_999),
    time(15, 0),
    time(15, 0, 0, 1),
    time(16, 59, 59),
    time(17, 0),
    time(17, 0, 1),
    time(23, 59, 59, 999_999),
]
days = st.one_of(st.sampled_from(_EDGE_DAYS), st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)))
times = st.one_of(st.sampled_from(_EDGE_TIMES), st.times())
instants = st.builds(datetime.combine, days, times)
channels = st.sampled_from(["direct", "online", "postal", "1", "2", "3", None])
Row = tuple[datetime, int, str | None]
rows = st.lists(st.tuples(instants, st.integers(0, 60), channels), min_size=1, max_size=30)


def _due_in_sql(con: Any, rows: Sequence[Row]) -> list[datetime | None]:
    con.execute("create or replace table t (i int, r timestamp, a bigint, ch varchar)")
    con.executemany("insert into t values (?, ?, ?, ?)", [(i, *row) for i, row in enumerate(rows)])
    return [g for (g,) in con.execute("select tthc_due(r, a, 'working_days', ch) from t order by i").fetchall()]


def _due_in_python(
    rows: Sequence[Row],
    calendar: tthc.WorkingCalendar = CAL,
    rules: CountingRules | None = None,
) -> list[datetime | None]:
    return [
        _local(tthc.compute_due(r, tthc.ProcessingTime.working_days(a), channel=ch or "direct", calendar=calendar,
                                rules=rules))
        for r, a, ch in rows
    ]  # fmt: skip


@pytest.fixture(scope="module")
def con() -> Any:
    return sql_only()


@settings(max_examples=80, deadline=None)
@given(rows)
def test_working_day_due_in_sql_equals_compute_due(con: Any, rows: list[Row]) -> None:
    assert _due_in_sql(con, rows) == _due_in_python(rows)


_HALF_DAY = OfficeHours.of(("07:30", "11:30"))
_WINTER = load_office_hours("example-northern-winter")
_DATED = DatedOfficeHours(
    _WINTER.default,
    _WINTER.periods,
    (
        *_WINTER.overrides,
        OfficeHoursOverride(date(2025, 7, 1), _HALF_DAY, "half day: closing 11:30 before the cut-off"),
    ),
)
_VARIANTS: dict[str, tuple[tthc.WorkingCalendar, CountingRules | None]] = {
    "receipt day counted": (CAL, CountingRules(receipt_day_counted=True)),
    "end of day": (CAL, CountingRules(due_instant=DueInstant.END_OF_DAY)),
    "16:00 direct, no online cut-off": (CAL, CountingRules(cutoff=time(16, 0), online_cutoff=None)),
    "no cut-off": (CAL, CountingRules(receipt_cutoff=False)),
    "rounded up to 15 min": (
        CAL,
        CountingRules(round_due_up_minutes=15, office_hours=OfficeHours.of(("08:00", "16:52"))),
    ),
    "dated office hours": (public_sector_calendar(office_hours=_DATED), None),
    "overlay": (CAL.with_overlay(extra_days_off=[date(2025, 7, 1)], extra_working_days=[date(2025, 7, 5)]), None),
}


@pytest.mark.parametrize("variant", list(_VARIANTS))
@settings(max_examples=25, deadline=None)
@given(rows=rows)
def test_every_calendar_and_rule_variant_stays_equal(
    variant: str, rows: list[tuple[datetime, int, str | None]]
) -> None:
    calendar, rules = _VARIANTS[variant]
    assert _due_in_sql(_connection(variant), rows) == _due_in_python(rows, calendar, rules)


_CONNECTIONS: dict[str, Any] = {}


def _connection(variant: str) -> Any:
    if variant not in _CONNECTIONS:
        _CONNECTIONS[variant] = sql_only(*_VARIANTS[variant])
    return _CONNECTIONS[variant]


def test_a_half_day_moves_the_cut_off_of_that_day_only() -> None:
    con = _connection("dated office hours")
    got = con.execute(
        "select cutoff_direct from tthc_calendar_days where day in (DATE '2025-06-30', DATE '2025-07-01') order by day"
    ).fetchall()
    assert got == [(time(15, 0),), (time(11, 30),)]
    # received at 12:00 on the half day: after its close, so counted from the next working day
    rows = [(datetime(2025, 7, 1, 12, 0), 1, "direct"), (datetime(2025, 7, 1, 11, 0), 1, "direct")]
    assert _due_in_sql(con, rows) == _due_in_python(rows, *_VARIANTS["dated office hours"])


def test_the_cut_off_follows_the_instrument_of_the_receipt_date(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Were NĐ 118/2025 to set 16:00, a dossier received at 15:30 on 1 Jul 2025 counts from that day, one received
    at 15:30 on 30 Jun from the next: both are due on 2 Jul (one cut-off for both would move one of them)."""
    later = CountingRules(cutoff=time(16, 0))

    def rules_of_era(era: int) -> CountingRules:  # an era starts on a switch day of any versioned convention
        starts = counting._switch_days()[era - 1] if era else date.min
        return later if starts >= date(2025, 7, 1) else counting._DEFAULT_RULES

    monkeypatch.setattr(counting, "_rules_of_era", rules_of_era)
    monkeypatch.setattr(compute_module, "_rules_of_era", rules_of_era)
    # compute_due keeps the rules of each era in the calendar's memo: start and end with it empty, so that neither
    # an earlier test's rules hide the patched ones nor the patched ones outlive this test
    CAL._memo.clear()
    request.addfinalizer(CAL._memo.clear)
    con = sql_only()
    rows = [(datetime(2025, 6, 30, 15, 30), 1, "direct"), (datetime(2025, 7, 1, 15, 30), 1, "direct")]
    expected = _due_in_python(rows)
    assert expected == [datetime(2025, 7, 2, 17, 0), datetime(2025, 7, 2, 17, 0)]
    assert _due_in_sql(con, rows) == expected


def test_days_as_hours_go_to_the_engine() -> None:
    rules = CountingRules(day_as_working_hours=8)
    con = duckdb.connect()
    tthc_duckdb.register(con, rules=rules)
    rows = [(datetime(2026, 3, 2, 10, 15), 2, "online"), (datetime(2026, 3, 6, 16, 0), 1, "direct")]
    assert _due_in_sql(con, rows) == _due_in_python(rows, rules=rules)


day_pairs = st.tuples(days, st.integers(-400, 400), days)


@settings(max_examples=60, deadline=None)
@given(st.lists(day_pairs, min_size=1, max_size=30))
def test_day_macros_in_sql_equal_the_calendar(con: Any, rows: list[tuple[date, int, date]]) -> None:
    con.execute("create or replace table t (i int, d date, n bigint, e date)")
    con.executemany("insert into t values (?, ?, ?, ?)", [(i, *row) for i, row in enumerate(rows)])
    got = con.execute(
        "select tthc_is_working_day(d), tthc_add_working_days(d, n), tthc_working_days_between(d, e) from t order by i"
    ).fetchall()
    assert got == [
        (CAL.is_working_day(d), CAL.add_working_days(d, n), CAL.working_days_between(d, e)) for d, n, e in rows
    ]


@pytest.mark.parametrize(
    ("due", "finished", "expected"),
    [
        ("2026-03-02 17:00", "2026-02-27 16:00", "early"),
        ("2026-03-02 17:00", "2026-03-02 08:00", "on_time"),
        ("2026-03-02 17:00", "2026-03-02 17:00", "on_time"),
        ("2026-03-02 17:00", "2026-03-02 17:00:00.000001", "late"),
        ("2026-03-02 17:00", "2026-03-03 08:00", "late"),
    ],
)
def test_timeliness_in_sql_at_its_edges(con: Any, due: str, finished: str, expected: str) -> None:
    got = con.execute("select tthc_timeliness(CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP))", [due, finished]).fetchone()
    assert got == (expected,)
    codes, _ = tthc.deadlines.classify_many(np.array([due], "datetime64[us]"), np.array([finished], "datetime64[us]"))
    assert tthc.deadlines.TIMELINESS_CODES[int(codes[0])] == expected


def test_the_tables_are_the_compiled_calendar(con: Any) -> None:
    table = con.execute("select is_working, working_index from tthc_calendar_days order by day").fetchnumpy()
    assert table["is_working"].tolist() == CAL.mask.tolist()
    assert table["working_index"].tolist() == CAL.cumulative.tolist()
    assert con.execute("select count(*), max(working_index) from tthc_working_days").fetchone() == (
        len(CAL.positions),
        len(CAL.positions),
    )
    # Sat 10 Jan 2026 is worked for Fri 2 Jan: a working day with its own close
    assert con.execute("select due_at from tthc_working_days where day = DATE '2026-01-10'").fetchone() == (
        datetime(2026, 1, 10, 17, 0),
    )


def test_arguments_named_like_the_tables_columns_and_aliases(con: Any) -> None:
    """A macro argument is read inside the macro's subquery: a user's `w.day` or `day` must stay the user's."""
    friday = date(2026, 1, 9)
    expected = (
        False,
        CAL.add_working_days(friday, 2),
        CAL.working_days_between(date(2026, 1, 2), friday),
        _local(tthc.compute_due(datetime(2026, 1, 9), "2 ngày làm việc")),
    )
    plain = con.execute(
        "select tthc_is_working_day(day - 7), tthc_add_working_days(day, working_index), "
        "tthc_working_days_between(day - 7, day), tthc_due(day, working_index, 'working_days', 'direct') "
        "from (select DATE '2026-01-09' as day, 2 as working_index)"
    ).fetchone()
    qualified = con.execute(
        "select tthc_is_working_day(w.day), tthc_add_working_days(c.day, w.working_index), "
        "tthc_working_days_between(w.day, c.day), tthc_due(c.day, w.working_index, 'working_days', 'direct') "
        "from (select DATE '2026-01-02' as day, 2 as working_index) w, (select DATE '2026-01-09' as day) c"
    ).fetchone()
    assert plain == qualified == expected


def test_types_bind_as_the_udfs_did(con: Any) -> None:
    """A fractional count is refused, not rounded; a date written as text is read, as the UDF's typing had it."""
    with pytest.raises(duckdb.BinderException):
        con.execute("select tthc_add_working_days(DATE '2026-01-09', 2.5)")
    assert con.execute("select tthc_add_working_days('2026-01-09', 1)").fetchone() == (date(2026, 1, 10),)


@pytest.mark.parametrize(
    "call",
    [
        "tthc_is_working_day(d)",
        "tthc_add_working_days(d, n)",
        "tthc_working_days_between(d, e)",
        "tthc_due(d, n, 'working_days', 'online')",
    ],
)
def test_no_macro_is_planned_as_a_cross_product(con: Any, call: str) -> None:
    """A lookup written as a join of the calendar with itself would be planned as 37k x 37k rows (seen once)."""
    con.execute("create or replace table p (d date, n bigint, e date)")
    plan = "\n".join(row[1] for row in con.execute(f"explain select {call} from p").fetchall())
    assert "CROSS_PRODUCT" not in plan.upper().replace(" ", "_")
