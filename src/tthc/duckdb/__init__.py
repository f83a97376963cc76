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
calendar range, an unknown unit, a negative amount, a count whose answer lies outside the calendar (up to
``INT64_MAX``: the macros bound a count before adding it, so no row overflows) — and never a wrong value; the other
rows are answered. Validation (``tthc validate``) is where such rows are reported with their reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
from collections.abc import Callable, Iterator
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
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

if TYPE_CHECKING:
    import duckdb

__all__ = ["FUNCTIONS", "DuckDBValidation", "files_read_by", "register", "validate"]

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

    The query runs on ``con`` itself, so it sees what your own queries see there: temporary tables, views and frames
    registered with ``con.register``, the ``tthc_*`` macros. A connection holding an unfinished result (an
    ``execute`` not yet fetched to its end) is refused, as DuckDB refuses any other work on it then. A Python
    variable named in the query (DuckDB's replacement scan) is looked up from ``tthc``'s own frame, not yours:
    ``con.register`` it.

    Rows are numbered from 1 in the relation's order: give the query an ``ORDER BY`` for stable row numbers.

    Args:
        con: the connection; query: the relation (any SELECT).
        catalog: the procedures (default: the bundled sample catalog); options: as for ``validate_files``.
        report: keep the findings in this Parquet file too (by default they live in a temporary Parquet file, read
            back into the returned relation). It appears only once the whole relation is validated, and is refused
            when it is a file the query reads (see :func:`files_read_by`).
        mapping: column names -> canonical columns (portal names accepted by default).

    Raises:
        DataFileError: the query fails (when it starts or partway through), or the relation lacks a required column.
        OutputFileError: ``report`` is a file the query reads, or cannot be written.
    """
    import tempfile
    from contextlib import ExitStack

    from tthc.foundation.output_files import atomic_output, refuse_overwriting_inputs
    from tthc.records.formats import open_arrow

    _pyarrow()
    if report is not None and Path(report).suffix.lower() != ".parquet":
        raise InvalidValueError("report", N_("a .parquet path"), str(report))
    cat = catalog if catalog is not None else Catalog.sample()
    try:
        inputs = files_read_by(con, query) if report is not None else []
        # on the caller's connection: a cursor is another connection, blind to its temp tables and registrations
        relation = con.sql(query)
    except Exception as exc:  # duckdb's own error family
        raise DataFileError(words(N_("duckdb query: {reason}"), reason=_first_line(exc))) from None
    # before the query runs (a relation is only bound): an output never overwrites an input
    refuse_overwriting_inputs({"report": report}, [("query", p) for p in inputs])
    try:
        to_reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_record_batch
        reader = to_reader(batch_rows)
    except Exception as exc:  # duckdb's own error family
        raise DataFileError(words(N_("duckdb query: {reason}"), reason=_first_line(exc))) from None
    import pyarrow.parquet as pq

    with ExitStack() as stack:
        stack.callback(reader.close)  # frees the connection, however the run ends
        # the report is opened (its folder checked) before the run and moved into place only after it
        out = stack.enter_context(atomic_output(report, "wb", field="report")) if report is not None else None
        stream = open_arrow(_batches(reader), reader.schema, "duckdb query", mapping or ColumnMapping.default())
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="tthc-"))
        path = Path(tmp) / "findings.parquet"
        with FindingWriter(path, "parquet") as writer:
            summary = validate_files([stream], cat, options, report=writer)
        if out is not None:
            with path.open("rb") as fh:
                shutil.copyfileobj(fh, out)
        findings = con.from_arrow(pq.read_table(path))
    return DuckDBValidation(summary, findings)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _batches(reader: Any) -> Iterator[Any]:
    """The reader's batches; a query failing partway through (a cast, ``error()``, a file gone) is a
    :class:`DataFileError` naming the rows read before it, never pyarrow's :class:`OSError`."""
    done = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except Exception as exc:  # duckdb's, or pyarrow's OSError / ArrowException carrying duckdb's
            raise DataFileError(
                words(
                    N_("{source}: reading after row {row} failed: {reason}"),
                    source="duckdb query",
                    row=done,
                    reason=_first_line(exc),
                )
            ) from None
        done += batch.num_rows
        yield batch


# tokens of a query that may name a file: '...' (a string), "..." (a quoted name), a dotted bare name
# (``from dossiers.parquet``: DuckDB's replacement scan); comments are skipped, never read
_TOKENS = re.compile(
    r"'((?:[^']|'')*)'"
    r'|"((?:[^"]|"")*)"'
    r"|--[^\n]*|/\*.*?\*/"
    r"|([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*)",
    re.DOTALL,
)


def files_read_by(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """The local files a query names, as far as they can be known before it runs — for refusing to write over them.

    Found: every quoted string and quoted name that is a path of an existing file (``'x.parquet'``,
    ``read_parquet(['a.parquet', 'b.parquet'])``, ``read_csv('x.csv', ...)``, ``"x.parquet"``), a bare dotted
    name that is one (``from x.parquet``), the files a glob matches (``'exports/**/*.parquet'``), the same in the
    definitions of the views the query names (views of views too), and the connection's database files.

    Not found: a path built while the query runs (a concatenation, ``getvariable(...)``, a table macro's body, a
    secret or a remote URL) — give such a query a report path of its own.

    Raises:
        duckdb.Error: the connection cannot list its views (an unfinished result).
    """
    # relations, not execute(): an unfinished result of the caller's is refused here too, never silently replaced
    views = {
        str(name).lower(): str(sql)
        for name, sql in con.sql("select view_name, sql from duckdb_views() where not internal").fetchall()
    }
    found = [str(p) for (p,) in con.sql("select path from duckdb_databases() where path is not null").fetchall()]
    ((search,),) = con.sql("select current_setting('file_search_path')").fetchall()
    folders = ["", *(f for f in str(search or "").split(",") if f)]  # where DuckDB looks for a relative path
    texts, seen = [query], set()
    while texts:
        for m in _TOKENS.finditer(texts.pop()):
            text, quoted, bare = m.group(1), m.group(2), m.group(3)
            if text is not None:
                found += _paths(text.replace("''", "'"), folders)
                continue
            name = quoted.replace('""', '"') if quoted is not None else bare
            if name is None:
                continue  # a comment
            if quoted is not None or "." in name:
                found += _paths(name, folders)
            view = name.rsplit(".", 1)[-1].lower()
            if view in views and view not in seen:
                seen.add(view)
                texts.append(views[view])
    return found


def _paths(text: str, folders: list[str]) -> list[str]:
    path = os.path.expanduser(text.removeprefix("file://"))
    if not path or "\0" in path or "://" in path:
        return []
    out: list[str] = []
    for folder in folders if not os.path.isabs(path) else [""]:
        where = os.path.join(os.path.expanduser(folder), path)
        out += glob.glob(where, recursive=True) if any(c in where for c in "*?[") else [where]
    return out
