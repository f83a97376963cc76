"""``tthc`` in polars expressions (extra ``polars``): the public-sector calendar and the deadline engine as an
expression namespace.

Importing this module registers the namespace ``.tthc`` on polars expressions::

    import polars as pl
    import tthc.polars  # noqa: F401  (registers .tthc)

    df.with_columns(
        pl.col("received_on").tthc.add_working_days(5).alias("due_on"),
        pl.col("received_at").tthc.due(pl.col("amount"), pl.col("unit"), pl.col("channel")).alias("due_at"),
        pl.col("received_on").tthc.is_working_day().alias("working"),
    )

Unlike ``pl.Expr.dt.add_business_days`` (a weekmask and a holiday list), the namespace knows make-up Saturdays and
the announced swaps. Each method takes ``calendar=`` (default :func:`tthc.calendar.public_sector_calendar`). Where
``tthc`` has no answer — a null, a day outside the compiled calendar, an unknown unit, a negative amount, a count
whose answer lies outside the calendar — the result is null, never a wrong value (the contract of
:mod:`tthc.deadlines.per_row`), and the answers are those of the DuckDB functions for the same rows: a zoned datetime
is read as Vietnam wall time (as the file readers read it), a count must be a whole number (a float, decimal or text
column is refused with :class:`~tthc.DataError`, never truncated; DuckDB refuses it at bind), and an integer channel
is a portal code (2 = online).
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
from tthc.errors import DataError, DataFileError, InvalidValueError, MissingExtraError
from tthc.foundation.channels import Channel
from tthc.foundation.datetimes import VN_TZ
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.model import ColumnMapping
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

try:
    import polars as pl
except ImportError:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("polars", "polars") from None

__all__ = ["TthcExpressions", "validate"]


def _calendar(calendar: WorkingCalendar | None) -> WorkingCalendar:
    cal = calendar if calendar is not None else public_sector_calendar()
    if not isinstance(cal, WorkingCalendar):
        raise InvalidValueError("calendar", N_("a tthc WorkingCalendar"), type(cal).__name__)
    return cal


def _expr(value: Any) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value)


def _count(value: Any, field: str) -> pl.Expr:
    """A count (``n``, ``amount``): an expression, or a whole number — refused at once otherwise, as the scalar
    API refuses ``add_working_days(d, 2.5)`` (a column's type is checked when it runs: :func:`_ints`)."""
    if isinstance(value, pl.Expr):
        return value
    if value is None:
        return pl.lit(None, dtype=pl.Int64)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidValueError(field, N_("a whole number or a polars expression"), value)
    return pl.lit(max(min(value, _INT64_MAX), _INT64_MIN), dtype=pl.Int64)  # beyond int64: no answer either way


_INT64_MAX = 2**63 - 1
_INT64_MIN = -(2**63)
_WIDE_INTEGERS = (pl.UInt64, pl.Int128, pl.UInt128)


def _column_error(field: str, expected: str, dtype: object) -> DataError:
    # raised inside a polars function: polars re-raises it as type(exc)(message) in an eager select, which only
    # a one-message error survives (an InvalidValueError would turn into a TypeError there)
    return DataError(
        words(N_("{field}: expected {expected}, got {dtype}"), field=field, expected=words(expected), dtype=str(dtype))
    )


def _ints(s: pl.Series, field: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Whole numbers as int64 and their nulls. Floats, decimals and text are refused, not truncated (DuckDB
    refuses them at bind: ``tthc_add_working_days(d, 2.5)``); values beyond int64 become its bounds, which lie
    outside every calendar (null answers)."""
    if not (s.dtype.is_integer() or s.dtype == pl.Null):
        raise _column_error(field, N_("whole numbers (an integer column)"), s.dtype)
    null = s.is_null().to_numpy()
    if s.dtype in _WIDE_INTEGERS:
        s = s.clip(_INT64_MIN if s.dtype == pl.Int128 else 0, _INT64_MAX)
    return s.fill_null(0).cast(pl.Int64).to_numpy(), null


def _wall(s: pl.Series, field: str, to: pl.DataType) -> pl.Series:
    """Dates or instants as ``to``; an instant with a zone becomes Vietnam wall time first — as the file readers
    and :func:`tthc.compute_due` read it — never the wall time of its own zone (UTC, often)."""
    if isinstance(s.dtype, pl.Datetime) and s.dtype.time_zone is not None:
        s = s.dt.convert_time_zone(VN_TZ.key).dt.replace_time_zone(None)
    try:
        return s.cast(to)
    except pl.exceptions.PolarsError:
        raise _column_error(field, N_("dates or datetimes"), s.dtype) from None


def _days(s: pl.Series, field: str) -> np.ndarray[Any, Any]:
    return _wall(s, field, pl.Date()).to_numpy()


def _instants(s: pl.Series, field: str) -> np.ndarray[Any, Any]:
    return _wall(s, field, pl.Datetime("us")).to_numpy()


def _channels(s: pl.Series) -> np.ndarray[Any, Any]:
    """Channel names, or the portal codes 1/2/3 as the batch path reads them (2 = online); null is direct."""
    if s.dtype.is_integer():
        s = s.cast(pl.String)  # "2": the text the batch path reads as the portal code (as DuckDB's VARCHAR does)
    elif s.dtype in (pl.String, pl.Categorical, pl.Null) or isinstance(s.dtype, pl.Enum):
        s = s.cast(pl.String)
    else:
        raise _column_error("channel", N_("channel names or portal codes 1/2/3"), s.dtype)
    return s.fill_null(Channel.DIRECT.value).to_numpy().astype(object)


@pl.api.register_expr_namespace("tthc")
class TthcExpressions:
    """The ``.tthc`` namespace on polars expressions (dates for day arithmetic, datetimes for instants; naive
    datetimes are Vietnam local time, zoned ones are converted to it; counts are whole numbers — a float or decimal
    column is refused, never rounded)."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def is_working_day(self, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """Whether each date is a working day of the public sector (make-up Saturdays included)."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            answer, null = is_working_day_or_null(_days(s, "date"), cal)
            return pl.Series(s.name, answer).set(pl.Series(null), None)

        return self._expr.map_batches(run, return_dtype=pl.Boolean)

    def add_working_days(self, n: int | pl.Expr, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """The ``n``-th working day after each date (the date itself not counted; ``n`` may be an expression of
        whole numbers)."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            days = _days(s.struct.field("d"), "date")
            ns, null = _ints(s.struct.field("n"), "n")
            days = np.where(null, np.datetime64("NaT", "D"), days)
            return pl.Series("d", add_working_days_or_nat(days, ns, cal), dtype=pl.Date)

        return pl.struct(self._expr.alias("d"), _count(n, "n").alias("n")).map_batches(run, return_dtype=pl.Date)

    def working_days_between(self, end: Any, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """Working days ``d`` with ``self < d <= end``."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            a = _days(s.struct.field("a"), "start")
            b = _days(s.struct.field("b"), "end")
            counts, null = working_days_between_or_null(a, b, cal)
            return pl.Series("n", counts, dtype=pl.Int64).set(pl.Series(null), None)

        return pl.struct(self._expr.alias("a"), _expr(end).alias("b")).map_batches(run, return_dtype=pl.Int64)

    def due(
        self,
        amount: Any,
        unit: Any,
        channel: Any = "direct",
        *,
        calendar: WorkingCalendar | None = None,
        rules: CountingRules | None = None,
    ) -> pl.Expr:
        """The due instant of dossiers received at ``self`` (:func:`tthc.deadlines.compute_due_many`, row by row
        equal to :func:`tthc.compute_due`): ``unit`` is a :class:`~tthc.deadlines.TimeUnit` value
        (``"working_days"``, ``"calendar_days"``, ``"working_hours"``, ``"months"``, ...); ``channel`` a channel
        name or a portal code (1/2/3), null for direct."""
        cal = _calendar(calendar)
        if rules is not None and not isinstance(rules, CountingRules):
            raise InvalidValueError("rules", N_("tthc CountingRules"), type(rules).__name__)

        def run(s: pl.Series) -> pl.Series:
            received = _instants(s.struct.field("r"), "received_at")
            amounts, null = _ints(s.struct.field("a"), "amount")
            received = np.where(null, np.datetime64("NaT", "us"), received)
            units = s.struct.field("u").cast(pl.String).to_numpy()
            chans = _channels(s.struct.field("c"))
            answer = due_or_nat(received, amounts, units, channels=chans, calendar=cal, rules=rules)
            return pl.Series("due", answer, dtype=pl.Datetime("us"))

        parts = (
            self._expr.alias("r"),
            _count(amount, "amount").alias("a"),
            _expr(unit).alias("u"),
            _expr(channel).alias("c"),
        )
        return pl.struct(*parts).map_batches(run, return_dtype=pl.Datetime("us"))

    def timeliness(self, finished_at: Any, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """``'early'`` / ``'on_time'`` / ``'late'`` for dossiers due at ``self`` and finished at ``finished_at``."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            due = _instants(s.struct.field("d"), "due_at")
            fin = _instants(s.struct.field("f"), "finished_at")
            return pl.Series("timeliness", timeliness_or_null(due, fin, cal), dtype=pl.String)

        return pl.struct(self._expr.alias("d"), _expr(finished_at).alias("f")).map_batches(run, return_dtype=pl.String)


_SOURCE = "polars frame"


def validate(
    df: pl.DataFrame | pl.LazyFrame,
    catalog: Catalog | None = None,
    options: ValidationOptions | None = None,
    *,
    mapping: ColumnMapping | None = None,
    batch_rows: int = 65_536,
) -> tuple[ValidationSummary, pl.DataFrame]:
    """Validate the dossier records of a polars frame with every rule of ``tthc validate``.

    Only the columns mapped to dossier columns are read (a lazy frame computes only those); the others are listed
    as ignored, whatever their type. A mapped column of 128-bit integers is read as text.

    Returns:
        ``(summary, findings)``: the run's summary (rows, valid, invalid, counts per code, KPI counts) and the
        findings as a DataFrame in the columns of ``tthc schema findings`` (rows numbered from 1 in frame order).

    Raises:
        DataFileError: a required column is missing (portal names are accepted, as in files), a lazy frame fails
            to compute, or a mapped column has a type Arrow cannot take.
    """
    import tempfile
    from pathlib import Path

    from tthc.records.formats import open_arrow

    if not isinstance(df, pl.DataFrame | pl.LazyFrame):
        raise InvalidValueError("df", N_("a polars DataFrame or LazyFrame"), type(df).__name__)
    cols = mapping or ColumnMapping.default()
    try:
        schema = df.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise _frame_error(exc) from None
    names = list(schema.names())
    header = cols.resolve(names, file=_SOURCE)  # a missing or doubled column, before anything is computed
    read = {names[i] for i in header.columns.values()}
    # the columns not read become nulls of the same name (listed as ignored, never converted: an Int128 or an
    # Object column pyarrow cannot take does not matter there); 128-bit integers read as their digits
    picked = [
        (pl.col(n).cast(pl.String) if schema[n] in (pl.Int128, pl.UInt128) else pl.col(n))
        if n in read
        else pl.lit(None, dtype=pl.Null).alias(n)
        for n in names
    ]
    try:
        frame = df.select(picked)
        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
    except pl.exceptions.PolarsError as exc:
        raise _frame_error(exc) from None
    table = _to_arrow(frame, read)
    stream = open_arrow(table.to_batches(batch_rows), table.schema, _SOURCE, cols)
    with tempfile.TemporaryDirectory(prefix="tthc-") as tmp:
        path = Path(tmp) / "findings.parquet"
        with FindingWriter(path, "parquet") as writer:
            summary = validate_files(
                [stream], catalog if catalog is not None else Catalog.sample(), options, report=writer
            )
        findings = pl.read_parquet(path)
    return summary, findings


def _frame_error(exc: BaseException) -> DataFileError:
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    return DataFileError(words(N_("{source}: {problem}"), source=_SOURCE, problem=reason))


def _to_arrow(frame: pl.DataFrame, read: set[str]) -> Any:
    import pyarrow as pa  # polars hands its frames over through pyarrow

    unconvertible = (pa.ArrowException, pl.exceptions.PolarsError)  # a type the other side cannot hold
    try:
        return frame.to_arrow()
    except unconvertible:
        for name in sorted(read):
            try:
                frame.select(name).to_arrow()
            except unconvertible:
                raise DataFileError(
                    words(
                        N_("{source}: column {column}: expected a type Arrow can hold, got {type}"),
                        source=_SOURCE,
                        column=repr(name),
                        type=str(frame.schema[name]),
                    )
                ) from None
        raise
