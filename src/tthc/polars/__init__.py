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
``tthc`` has no answer — a null, a day outside the compiled calendar, an unknown unit, a negative amount — the result
is null, never a wrong value (the contract of :mod:`tthc.deadlines.per_row`).
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
from tthc.errors import InvalidValueError, MissingExtraError
from tthc.foundation.i18n import N_
from tthc.records.model import ColumnMapping
from tthc.validation.context import ValidationOptions
from tthc.validation.run import ValidationSummary

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


def _ints(s: pl.Series) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    null = s.is_null().to_numpy()
    return s.fill_null(0).cast(pl.Int64).to_numpy(), null


@pl.api.register_expr_namespace("tthc")
class TthcExpressions:
    """The ``.tthc`` namespace on polars expressions (dates for day arithmetic, datetimes for instants; naive
    datetimes are Vietnam local time)."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def is_working_day(self, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """Whether each date is a working day of the public sector (make-up Saturdays included)."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            answer, null = is_working_day_or_null(s.cast(pl.Date).to_numpy(), cal)
            return pl.Series(s.name, answer).set(pl.Series(null), None)

        return self._expr.map_batches(run, return_dtype=pl.Boolean)

    def add_working_days(self, n: int | pl.Expr, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """The ``n``-th working day after each date (the date itself not counted; ``n`` may be an expression)."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            days = s.struct.field("d").cast(pl.Date).to_numpy()
            ns, null = _ints(s.struct.field("n"))
            days = np.where(null, np.datetime64("NaT", "D"), days)
            return pl.Series("d", add_working_days_or_nat(days, ns, cal), dtype=pl.Date)

        return pl.struct(self._expr.alias("d"), _expr(n).alias("n")).map_batches(run, return_dtype=pl.Date)

    def working_days_between(self, end: Any, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """Working days ``d`` with ``self < d <= end``."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            a = s.struct.field("a").cast(pl.Date).to_numpy()
            b = s.struct.field("b").cast(pl.Date).to_numpy()
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
        (``"working_days"``, ``"calendar_days"``, ``"working_hours"``, ``"months"``, ...)."""
        cal = _calendar(calendar)
        if rules is not None and not isinstance(rules, CountingRules):
            raise InvalidValueError("rules", N_("tthc CountingRules"), type(rules).__name__)

        def run(s: pl.Series) -> pl.Series:
            received = s.struct.field("r").cast(pl.Datetime("us")).to_numpy()
            amounts, null = _ints(s.struct.field("a"))
            received = np.where(null, np.datetime64("NaT", "us"), received)
            units = s.struct.field("u").cast(pl.String).to_numpy()
            chans = np.array([c if isinstance(c, str) else "direct" for c in s.struct.field("c").to_list()])
            answer = due_or_nat(received, amounts, units, channels=chans.astype(object), calendar=cal, rules=rules)
            return pl.Series("due", answer, dtype=pl.Datetime("us"))

        parts = (self._expr.alias("r"), _expr(amount).alias("a"), _expr(unit).alias("u"), _expr(channel).alias("c"))
        return pl.struct(*parts).map_batches(run, return_dtype=pl.Datetime("us"))

    def timeliness(self, finished_at: Any, *, calendar: WorkingCalendar | None = None) -> pl.Expr:
        """``'early'`` / ``'on_time'`` / ``'late'`` for dossiers due at ``self`` and finished at ``finished_at``."""
        cal = _calendar(calendar)

        def run(s: pl.Series) -> pl.Series:
            due = s.struct.field("d").cast(pl.Datetime("us")).to_numpy()
            fin = s.struct.field("f").cast(pl.Datetime("us")).to_numpy()
            return pl.Series("timeliness", timeliness_or_null(due, fin, cal), dtype=pl.String)

        return pl.struct(self._expr.alias("d"), _expr(finished_at).alias("f")).map_batches(run, return_dtype=pl.String)


def validate(
    df: pl.DataFrame | pl.LazyFrame,
    catalog: Catalog | None = None,
    options: ValidationOptions | None = None,
    *,
    mapping: ColumnMapping | None = None,
    batch_rows: int = 65_536,
) -> tuple[ValidationSummary, pl.DataFrame]:
    """Validate the dossier records of a polars frame with every rule of ``tthc validate``.

    Returns:
        ``(summary, findings)``: the run's summary (rows, valid, invalid, counts per code, KPI counts) and the
        findings as a DataFrame in the columns of ``tthc schema findings`` (rows numbered from 1 in frame order).

    Raises:
        DataFileError: a required column is missing (portal names are accepted, as in files).
    """
    import tempfile
    from pathlib import Path

    from tthc.records.formats import open_arrow
    from tthc.validation.run import FindingWriter, validate_files

    if isinstance(df, pl.LazyFrame):
        df = df.collect()
    if not isinstance(df, pl.DataFrame):
        raise InvalidValueError("df", N_("a polars DataFrame or LazyFrame"), type(df).__name__)
    table = df.to_arrow()
    stream = open_arrow(table.to_batches(batch_rows), table.schema, "polars frame", mapping or ColumnMapping.default())
    with tempfile.TemporaryDirectory(prefix="tthc-") as tmp:
        path = Path(tmp) / "findings.parquet"
        with FindingWriter(path, "parquet") as writer:
            summary = validate_files(
                [stream], catalog if catalog is not None else Catalog.sample(), options, report=writer
            )
        findings = pl.read_parquet(path)
    return summary, findings
