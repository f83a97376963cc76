"""``tthc`` inside DuckDB SQL (extra ``duckdb``): the public-sector calendar and the deadline engine as SQL
functions.

A data team's usual working-day arithmetic — a weekmask and a holiday list — cannot express make-up Saturdays, so it
disagrees with the public-sector calendar on every swap. After :func:`register`, SQL gets the real calendar::

    import duckdb, tthc.duckdb
    con = duckdb.connect()
    tthc.duckdb.register(con)
    con.sql("select tthc_add_working_days(DATE '2026-02-13', 5)")   # 2026-02-27: Tết 2026 skipped

The functions (every argument may be a column):

==========================================================  ==========================================================
``tthc_is_working_day(d DATE) → BOOLEAN``                   :meth:`WorkingCalendar.is_working_day`
``tthc_add_working_days(d DATE, n BIGINT) → DATE``          :meth:`WorkingCalendar.add_working_days`
``tthc_working_days_between(a DATE, b DATE) → BIGINT``      working days ``d`` with ``a < d <= b``
``tthc_due(received_at TIMESTAMP, amount BIGINT,            :func:`tthc.deadlines.compute_due` (Vietnam local
unit VARCHAR, channel VARCHAR) → TIMESTAMP``                time; ``unit``: a :class:`~tthc.deadlines.TimeUnit` value)
``tthc_timeliness(due_at TIMESTAMP, finished_at             ``'early'`` / ``'on_time'`` / ``'late'``
TIMESTAMP) → VARCHAR``                                      (:func:`tthc.deadlines.classify_many`)
==========================================================  ==========================================================

They are SQL macros over the compiled calendar, which :func:`register` puts in the connection as two temporary
tables — ``tthc_calendar_days`` (one row per day: ``is_working``, ``working_index``, the receipt cut-offs in force)
and ``tthc_working_days`` (the working days in order, with the close of each) — so DuckDB runs them as joins, with
no Python in the query. The rows SQL does not answer (a unit other than working days, a date outside the compiled
range, a portal profile counting days as hours) go to vectorised Arrow UDFs of the same names with ``_`` in front:
the same answers, a Python call per 2,048 rows. See :mod:`tthc.duckdb._sql`.

NULL conventions: a function returns NULL where ``tthc`` has no answer — a NULL argument, a date outside the compiled
calendar range, an unknown unit, a negative amount — and never a wrong value. Validation
(``tthc validate``) is where such rows are reported with their reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.deadlines.counting import CountingRules
from tthc.deadlines.per_row import (
    add_working_days_or_nat,
    due_or_nat,
    is_working_day_or_null,
    timeliness_or_null,
    working_days_between_or_null,
)
from tthc.duckdb._sql import DAYS_TABLE, WORKING_DAYS_TABLE, arrow_name, compile_sql
from tthc.errors import DataFileError, InvalidValueError, MissingExtraError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.model import ColumnMapping
from tthc.validation.context import ValidationOptions
from tthc.validation.run import ValidationSummary

if TYPE_CHECKING:
    import duckdb

__all__ = ["FUNCTIONS", "DuckDBValidation", "register", "validate"]

FUNCTIONS = (
    "tthc_is_working_day",
    "tthc_add_working_days",
    "tthc_working_days_between",
    "tthc_due",
    "tthc_timeliness",
)
"""The SQL functions :func:`register` creates."""


def _pyarrow() -> Any:
    try:
        import pyarrow as pa

        import duckdb  # noqa: F401
    except ImportError:
        raise MissingExtraError("duckdb", "duckdb") from None
    return pa


def register(
    con: duckdb.DuckDBPyConnection,
    *,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
    replace: bool = False,
) -> None:
    """Create the ``tthc_*`` SQL functions on a DuckDB connection.

    Args:
        con: the connection.
        calendar: the working calendar (default :func:`tthc.calendar.public_sector_calendar`).
        rules: counting rules for ``tthc_due`` (cut-off, office hours; default: those ``compute_due`` takes — the
            cut-off of the instrument in force on each receipt date).
        replace: drop functions and tables of the same names first (to register again with another calendar).

    The macros and tables are temporary: they belong to ``con`` alone (register again on a ``con.cursor()``).

    Raises:
        MissingExtraError: duckdb or pyarrow is not installed (``pip install "tthc[duckdb]"``).
        InvalidValueError: ``calendar`` or ``rules`` is of the wrong type.
    """
    pa = _pyarrow()
    cal = calendar if calendar is not None else public_sector_calendar()
    if not isinstance(cal, WorkingCalendar):
        raise InvalidValueError("calendar", N_("a tthc WorkingCalendar"), type(cal).__name__)
    if rules is not None and not isinstance(rules, CountingRules):
        raise InvalidValueError("rules", N_("tthc CountingRules"), type(rules).__name__)

    # DuckDB reads each function's annotations at registration: the inner functions are annotated with Any.
    def is_working_day(d: Any) -> Any:
        answer, null = is_working_day_or_null(_numpy(d), cal)
        return pa.array(answer, mask=null, type=pa.bool_())

    def add_working_days(d: Any, n: Any) -> Any:
        ns, null = _ints(n)
        days = np.where(null, np.datetime64("NaT", "D"), _numpy(d).astype("datetime64[D]"))
        return pa.array(add_working_days_or_nat(days, ns, cal), type=pa.date32(), from_pandas=True)

    def working_days_between(a: Any, b: Any) -> Any:
        counts, null = working_days_between_or_null(_numpy(a), _numpy(b), cal)
        return pa.array(counts, mask=null, type=pa.int64())

    def due(received: Any, amount: Any, unit: Any, channel: Any) -> Any:
        amounts, null = _ints(amount)
        r = np.where(null, np.datetime64("NaT", "us"), _numpy(received).astype("datetime64[us]"))
        chans = _numpy(channel if channel.null_count == 0 else channel.fill_null("direct"))
        answer = due_or_nat(r, amounts, _numpy(unit), channels=chans, calendar=cal, rules=rules)
        return pa.array(answer, type=pa.timestamp("us"), from_pandas=True)

    def timeliness(due_at: Any, finished_at: Any) -> Any:
        return pa.array(timeliness_or_null(_numpy(due_at), _numpy(finished_at), cal), type=pa.string())

    functions: dict[str, tuple[Callable[..., Any], list[str], str]] = {
        "tthc_is_working_day": (is_working_day, ["DATE"], "BOOLEAN"),
        "tthc_add_working_days": (add_working_days, ["DATE", "BIGINT"], "DATE"),
        "tthc_working_days_between": (working_days_between, ["DATE", "DATE"], "BIGINT"),
        "tthc_due": (due, ["TIMESTAMP", "BIGINT", "VARCHAR", "VARCHAR"], "TIMESTAMP"),
        "tthc_timeliness": (timeliness, ["TIMESTAMP", "TIMESTAMP"], "VARCHAR"),
    }
    sql = compile_sql(cal, rules)
    # the string forms of the UDF options work in every duckdb release; their enums moved between releases
    target: Any = con
    for name, (fn, params, ret) in functions.items():
        udf = arrow_name(name)
        if replace:
            with contextlib.suppress(Exception):  # duckdb's own error type when the function is absent
                target.remove_function(udf)
        target.create_function(udf, fn, params, ret, type="arrow", null_handling="special", side_effects=False)
    create = "CREATE OR REPLACE TEMP" if replace else "CREATE TEMP"
    for table, data in ((DAYS_TABLE, sql.days), (WORKING_DAYS_TABLE, sql.working_days)):
        view = f"_tthc_new_{table}"
        target.register(view, data)
        try:
            target.execute(f"{create} TABLE {table} AS SELECT * FROM {view}")
        finally:
            target.unregister(view)
    for name, body in sql.macros.items():
        target.execute(f"{create} MACRO {name}{body}")


def _numpy(col: Any) -> npt.NDArray[Any]:
    """An Arrow (chunked) array as numpy; NULL dates and timestamps become NaT."""
    arr = col.combine_chunks() if hasattr(col, "combine_chunks") else col
    return np.asarray(arr.to_numpy(zero_copy_only=False))


def _ints(col: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    arr = col.combine_chunks() if hasattr(col, "combine_chunks") else col
    if arr.null_count == 0:  # the common case, without a compute kernel per call
        return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=np.int64), np.zeros(len(arr), dtype=bool)
    null = np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    values = np.asarray(arr.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return values, null


class DuckDBValidation(NamedTuple):
    """What :func:`validate` gives: the run's summary (rows, valid, invalid, counts per code, KPI counts) and the
    findings as a DuckDB relation (the columns of ``tthc schema findings``)."""

    summary: ValidationSummary
    findings: duckdb.DuckDBPyRelation


def validate(
    con: duckdb.DuckDBPyConnection,
    query: str,
    catalog: Catalog | None = None,
    options: ValidationOptions | None = None,
    *,
    report: str | Path | None = None,
    mapping: ColumnMapping | None = None,
    batch_rows: int = 65_536,
) -> DuckDBValidation:
    """Validate the dossier records of any relation — ``"select * from 'exports/*.parquet'"``, a table, a join —
    with every rule of ``tthc validate``, streaming Arrow batches (memory stays flat whatever the relation's size).

    Rows are numbered from 1 in the relation's order: give the query an ``ORDER BY`` for stable row numbers.

    Args:
        con: the connection; query: the relation (any SELECT).
        catalog: the procedures (default: the bundled sample catalog); options: as for ``validate_files``.
        report: keep the findings in this Parquet file too (by default they live in a temporary Parquet file, read
            back into the returned relation).
        mapping: column names -> canonical columns (portal names accepted by default).

    Raises:
        DataFileError: the query fails, or the relation lacks a required column.
    """
    import tempfile

    from tthc.records.formats import open_arrow
    from tthc.validation.run import FindingWriter, validate_files

    _pyarrow()
    if report is not None and Path(report).suffix.lower() != ".parquet":
        raise InvalidValueError("report", N_("a .parquet path"), str(report))
    cat = catalog if catalog is not None else Catalog.sample()
    try:
        # a cursor of its own: the caller's connection may hold an unfinished result
        relation = con.cursor().sql(query)
        to_reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_record_batch
        reader = to_reader(batch_rows)
    except Exception as exc:  # duckdb's own error family
        raise DataFileError(words(N_("duckdb query: {reason}"), reason=str(exc).strip().splitlines()[0])) from None
    stream = open_arrow(reader, reader.schema, "duckdb query", mapping or ColumnMapping.default())
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix="tthc-") as tmp:
        path = Path(report) if report is not None else Path(tmp) / "findings.parquet"
        with FindingWriter(path, "parquet", field="report") as writer:
            summary = validate_files([stream], cat, options, report=writer)
        findings = con.from_arrow(pq.read_table(path))
    return DuckDBValidation(summary, findings)
