"""The compiled calendar as tables of a DuckDB connection, and the ``tthc_*`` functions as SQL macros that join them.

Why macros: an Arrow UDF costs a Python round trip per 2,048-row vector — about a millisecond even for a few numpy
takes, more than the rest of a query. The working-day arithmetic needs nothing but the compiled tables of
:class:`~tthc.calendar.WorkingCalendar` (``mask``, ``cumulative``, ``positions``), so :func:`compile_sql` puts them in
the connection and each macro looks a row up in them with a scalar subquery; DuckDB plans it as a hash join:

* ``tthc_calendar_days(day DATE, is_working BOOLEAN, working_index INTEGER, cutoff_direct TIME, cutoff_online TIME)``
  — one row per compiled day: ``working_index`` counts the working days up to and including ``day``; the cut-offs are
  those in force for a dossier received that day (the instrument of that receipt date — NĐ 61/2018/NĐ-CP until
  30 Jun 2025, NĐ 118/2025/NĐ-CP from 1 Jul 2025 — on that day's office hours), as the engine's plan sets them;
* ``tthc_working_days(working_index INTEGER, day DATE, due_at TIMESTAMP)`` — the working days in order, and the due
  instant of a period in working days that ends on each (that day's close, by its office hours, the ``DueInstant``
  and the rounding of the rules — taken from the engine itself).

The ``n``-th working day after ``d`` is the row of ``tthc_working_days`` whose ``working_index`` is ``d``'s plus
``n`` — the same arithmetic as :meth:`WorkingCalendar.add_working_days`, on the same tables.

Tried and dropped (DuckDB 2.0, 10M rows): the calendar as one list indexed per row — fast alone, but the optimizer
may put the one-row list relation on the build side of the user's join, and a hash join copies the list into every
output row (minutes, gigabytes); the list as a constant or a variable — rebuilt for every 2,048-row vector (~10 s).
A one-key subquery per lookup is planned as a join, and stays a join whatever the query around it.

Each macro answers the rows SQL answers and hands the others — a date outside the compiled range, a unit other than
working days, rules the SQL does not model — to the Arrow UDF of the same name with ``_`` in front, which stays the
reference path. Calling that UDF also keeps its argument typing: a query binds exactly when it bound before
(``tthc_add_working_days(d, 2.5)`` is refused, not rounded).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.deadlines.batch import TIMELINESS_CODES, UNIT_CODES, compute_due_many

# the engine's own plan (cut-offs as seconds) and instrument switch days: no second copy of those rules here
from tthc.deadlines.counting import CountingRules, _plan, _switch_days, default_rules_on
from tthc.deadlines.processing_time import MAX_AMOUNT, TimeUnit
from tthc.foundation.channels import Channel

__all__ = ["DAYS_TABLE", "WORKING_DAYS_TABLE", "CalendarSql", "arrow_name", "channel_spellings", "compile_sql"]

DAYS_TABLE = "tthc_calendar_days"
WORKING_DAYS_TABLE = "tthc_working_days"


def arrow_name(name: str) -> str:
    """The name of the Arrow UDF behind the macro ``name``."""
    return "_" + name


@attrs.frozen(slots=True)
class CalendarSql:
    """What :func:`compile_sql` gives: the two tables (Arrow) and the macros (``name -> (params) AS expression``)."""

    days: Any
    working_days: Any
    macros: dict[str, str]


def compile_sql(cal: WorkingCalendar, rules: CountingRules | None) -> CalendarSql:
    """The tables and macros of ``cal`` and ``rules`` (``None``: the default rules of each receipt date)."""
    import pyarrow as pa

    days = np.arange(np.datetime64(cal.first), np.datetime64(cal.last) + 1)
    cut_direct, cut_online = _cutoffs(cal, rules, days)
    table = pa.table(
        {
            "day": pa.array(days, type=pa.date32()),
            "is_working": pa.array(cal.mask),
            "working_index": pa.array(cal.cumulative, type=pa.int32()),
            "cutoff_direct": pa.array(cut_direct * 1_000_000, type=pa.time64("us")),
            "cutoff_online": pa.array(cut_online * 1_000_000, type=pa.time64("us")),
        }
    )
    working_days = days[cal.positions]
    # the due instant of a working-day period ending on each working day: 0 working days counted from that day's
    # first instant (no cut-off may move it), so the close is the engine's own — dated hours, end of day, rounding
    base = rules if rules is not None else CountingRules()
    at_start = attrs.evolve(base, receipt_cutoff=False, day_as_working_hours=None, saturday_receipt_counts=False)
    due = compute_due_many(
        working_days.astype("datetime64[us]"),
        np.zeros(len(working_days), dtype=np.int64),
        np.full(len(working_days), UNIT_CODES[TimeUnit.WORKING_DAYS]),
        calendar=cal,
        rules=at_start,
    )
    working = pa.table(
        {
            "working_index": pa.array(np.arange(1, len(working_days) + 1, dtype=np.int32)),
            "day": pa.array(working_days, type=pa.date32()),
            "due_at": pa.array(due, type=pa.timestamp("us")),
        }
    )
    return CalendarSql(table, working, _macros(cal, rules))


def _cutoffs(
    cal: WorkingCalendar, rules: CountingRules | None, days: npt.NDArray[np.datetime64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per compiled day, the second of the day from which a dossier received that day counts from the next working
    day — direct/postal and online — as the engine's plan sets it for that receipt date's rules (the given rules,
    else the default rules of the instrument in force then, as ``compute_due`` takes them) and office hours."""
    if rules is None:  # the stretches of receipt dates between the days an instrument changes: same era, same rules
        switches = _switch_days()
        era = np.searchsorted(np.array(switches, dtype="datetime64[D]"), days, side="right")
        by_era = [default_rules_on(switches[e - 1] if e else cal.first) for e in range(len(switches) + 1)]
    else:
        era, by_era = np.zeros(len(days), dtype=np.intp), [rules]
    if any(r.office_hours is None for r in by_era) and not cal.dated_hours.is_constant:
        hours, which = cal.office_hours_many(days)  # each receipt day's own hours
    else:
        hours, which = (cal.office_hours,), np.zeros(len(days), dtype=np.intp)
    key = era * len(hours) + which
    direct = np.empty(len(by_era) * len(hours), dtype=np.int64)
    online = np.empty_like(direct)
    for k in np.unique(key).tolist():
        r = by_era[k // len(hours)]
        plan = _plan(r, r.office_hours or hours[k % len(hours)])
        direct[k], online[k] = plan.cut_direct, plan.cut_online
    return direct[key], online[key]


def _lit_date(d: date) -> str:
    return f"DATE '{d.isoformat()}'"


def _lit_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# the tables as the macros name them (the connection's temp schema, whatever the user's own tables are called) and
# their aliases: names a user's query will not use, since an argument such as ``c.day`` is read inside the subquery
_DAYS = f"temp.{DAYS_TABLE} _tthc_d"
_WORKING = f"temp.{WORKING_DAYS_TABLE} _tthc_w"


def _macros(cal: WorkingCalendar, rules: CountingRules | None) -> dict[str, str]:
    """``name -> (params) AS expression`` of every ``tthc_*`` macro."""
    first, last = _lit_date(cal.first), _lit_date(cal.last)
    npos = len(cal.positions)

    def day(x: str) -> str:
        return f"CAST({x} AS DATE)"

    def inside(x: str) -> str:
        return f"{day(x)} BETWEEN {first} AND {last}"

    def index_of(x: str) -> str:
        return f"(SELECT _tthc_d.working_index FROM {_DAYS} WHERE _tthc_d.day = {day(x)})"

    out: dict[str, str] = {}
    out["tthc_is_working_day"] = f"""(d) AS CASE
        WHEN d IS NULL THEN NULL
        WHEN {inside("d")} THEN (SELECT _tthc_d.is_working FROM {_DAYS} WHERE _tthc_d.day = {day("d")})
        ELSE {arrow_name("tthc_is_working_day")}(d) END"""

    n = "CAST(n AS BIGINT)"
    # the join key is computed for every row, the CASE only chooses which result to keep (DuckDB decorrelates the
    # subquery into a join): n is brought within ±(npos + 1) first, so that no n (INT64_MAX, a "missing" sentinel
    # in some data) overflows the sum; those rows go to the UDF, which answers NULL
    bounded = f"least(greatest({n}, {-npos - 1}), {npos + 1})"
    # n > 0: the working day n places after d's working_index; n < 0: |n| places before the first working day
    # counted from d (d itself when it is one, hence the + 1 - is_working); no such row: NULL, as the UDF's NaT
    out["tthc_add_working_days"] = f"""(d, n) AS CASE
        WHEN d IS NULL OR n IS NULL THEN NULL
        WHEN {n} = 0 AND {inside("d")} THEN {day("d")}
        WHEN {inside("d")} AND {n} BETWEEN {-npos} AND {npos} THEN (
            SELECT _tthc_w.day FROM {_DAYS} JOIN {_WORKING} ON _tthc_w.working_index = _tthc_d.working_index
                + {bounded} + CASE WHEN {n} < 0 AND NOT _tthc_d.is_working THEN 1 ELSE 0 END
            WHERE _tthc_d.day = {day("d")})
        ELSE {arrow_name("tthc_add_working_days")}(d, n) END"""

    # two lookups of one key each: a subquery over the table twice would be planned as a cross product
    out["tthc_working_days_between"] = f"""(a, b) AS CASE
        WHEN a IS NULL OR b IS NULL THEN NULL
        WHEN {inside("a")} AND {inside("b")} THEN CAST({index_of("b")} - {index_of("a")} AS BIGINT)
        ELSE {arrow_name("tthc_working_days_between")}(a, b) END"""

    out["tthc_due"] = _due_macro(rules, first, last)

    labels = {code: _lit_str(label) for code, label in TIMELINESS_CODES.items()}
    due_at, finished_at = "CAST(due_at AS TIMESTAMP)", "CAST(finished_at AS TIMESTAMP)"
    out["tthc_timeliness"] = f"""(due_at, finished_at) AS CASE
        WHEN due_at IS NULL OR finished_at IS NULL THEN NULL
        WHEN {inside(due_at)} AND {inside(finished_at)} THEN CASE
            WHEN {day(finished_at)} < {day(due_at)} THEN {labels[0]}
            WHEN {finished_at} <= {due_at} THEN {labels[1]}
            ELSE {labels[2]} END
        ELSE {arrow_name("tthc_timeliness")}(due_at, finished_at) END"""
    return out


def channel_spellings() -> dict[str, Channel]:
    """The channel spellings ``tthc_due`` reads in SQL: each channel's code name, portal sync code and Vietnamese
    label exactly as the library writes them (:class:`~tthc.foundation.channels.Channel`), each mapped by
    :meth:`Channel.parse` itself — one place decides what a spelling means. Any other spelling (another case, spaces,
    a longer label, an unknown channel) goes to the Arrow UDF, which parses it as ``compute_due`` does (NULL when it
    names no channel)."""
    return {s: Channel.parse(s) for ch in Channel for s in (ch.value, str(ch.portal_code), ch.label_vi)}


def _due_macro(rules: CountingRules | None, first: str, last: str) -> str:
    """``tthc_due``: working days in SQL for a channel spelled as :func:`channel_spellings` lists (or NULL: direct,
    as the UDF takes it) — the cut-off of the receipt day for the channel, the receipt day not counted (unless the
    rules count it), the due day's close — everything else through the Arrow UDF."""
    udf = f"{arrow_name('tthc_due')}(received_at, amount, unit, channel)"
    if rules is not None and (rules.day_as_working_hours is not None or rules.saturday_receipt_counts):
        # days counted as hours, or a Saturday as the receipt day: the engine's batch path answers every row
        return f"(received_at, amount, unit, channel) AS {udf}"
    r = "CAST(received_at AS TIMESTAMP)"
    amount = "CAST(amount AS BIGINT)"
    spellings = channel_spellings()
    channel = "CAST(channel AS VARCHAR)"
    known = ", ".join(_lit_str(v) for v in spellings)
    online = ", ".join(_lit_str(v) for v, ch in spellings.items() if ch is Channel.ONLINE)
    cut = f"CASE WHEN {channel} IN ({online}) THEN _tthc_d.cutoff_online ELSE _tthc_d.cutoff_direct END"
    shift = 1 if rules is not None and rules.receipt_day_counted else 0
    # received on a working day before the cut-off: the count starts after that day (its working_index), else after
    # the next working day (working_index + 1); then `amount` working days (less one when the receipt day counts) —
    # the amount brought within 0..MAX_AMOUNT + 1 first: the join key is computed for every row, whatever the CASE
    # keeps, and must not overflow (the rows outside go to the UDF)
    bounded = f"least(greatest({amount}, 0), {MAX_AMOUNT + 1})"
    return f"""(received_at, amount, unit, channel) AS CASE
        WHEN received_at IS NULL OR amount IS NULL OR unit IS NULL THEN NULL
        WHEN CAST(unit AS VARCHAR) = {_lit_str(TimeUnit.WORKING_DAYS.value)}
            AND (channel IS NULL OR {channel} IN ({known}))
            AND CAST({r} AS DATE) BETWEEN {first} AND {last} AND {amount} BETWEEN 0 AND {MAX_AMOUNT} THEN (
            SELECT _tthc_w.due_at FROM {_DAYS} JOIN {_WORKING} ON _tthc_w.working_index = _tthc_d.working_index
                + CASE WHEN _tthc_d.is_working AND CAST({r} AS TIME) < {cut} THEN 0 ELSE 1 END
                + greatest({bounded} - {shift}, 0)
            WHERE _tthc_d.day = CAST({r} AS DATE))
        ELSE {udf} END"""
