"""The batch core as an Arrow-batches-in, Arrow-batches-out function — the shape Spark's ``DataFrame.mapInArrow``
(and other engines that stream Arrow record batches) expects.

:func:`validate_batches` turns each input batch of dossier records into one output batch with a fixed schema
(:data:`OUTPUT_DDL`, :data:`output_schema`): one line per finding (``kind="finding"``), and the batch's **counts**
— the KPI counters per (agency, procedure, month) (``kind`` = ``reception`` / ``judged_pause`` /
``judged_restart``, counters in ``c0..c4``) and its row accounting (``kind="rows"``: rows, invalid rows, rows with
warnings only, rows without a KPI key). Counts add up exactly in any order, so the engine can sum them
(``groupBy(kind, agency, procedure, month).sum(c0..c4)``); :func:`collect` turns the summed table back into a
:class:`~tthc.kpi.KpiPartial` for :func:`tthc.kpi.compute_kpis` plus the findings and the totals.

Row numbers: give ``row_column`` (and ``file_column``) when the frame carries the original position of each record;
otherwise findings say ``row`` *k* of the batch, which means nothing once an engine has shuffled the data. The
duplicate dossier code check needs all rows at once and is not done here (``docs/scale.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import attrs
import numpy as np

from tthc.catalog.collection import Catalog
from tthc.errors import MissingExtraError
from tthc.kpi.indicators import KpiPartial
from tthc.records.chunks import RowProblem
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationContext, ValidationOptions

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["OUTPUT_DDL", "BatchOutcome", "collect", "output_schema", "validate_batches"]

OUTPUT_DDL = (
    "kind string, file string, row long, field string, code string, message string, value string, "
    "agency string, procedure string, month string, c0 long, c1 long, c2 long, c3 long, c4 long"
)
"""The output schema in Spark's DDL form (``df.mapInArrow(func, OUTPUT_DDL)``)."""

_TABLES = ("reception", "judged_pause", "judged_restart")


def output_schema() -> pa.Schema:
    """The output schema as a pyarrow schema (the same columns as :data:`OUTPUT_DDL`)."""
    try:
        import pyarrow as pa
    except ImportError:
        raise MissingExtraError("data", "pyarrow") from None
    text = ("file", "field", "code", "message", "value", "agency", "procedure", "month")
    fields = [pa.field("kind", pa.string())]
    for name in ("file", "row", "field", "code", "message", "value", "agency", "procedure", "month"):
        fields.append(pa.field(name, pa.string() if name in text else pa.int64()))
    fields += [pa.field(f"c{i}", pa.int64()) for i in range(5)]
    return pa.schema(fields)


def validate_batches(
    batches: Iterable[pa.RecordBatch],
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    file_column: str | None = None,
    row_column: str | None = None,
    file: str = "(batch)",
) -> Iterator[pa.RecordBatch]:
    """Validate each record batch; yield one output batch per input batch (schema :func:`output_schema`).

    Args:
        batches: record batches with canonical or portal column names.
        catalog / options: as :func:`tthc.validation.validate_chunk` (build them once per executor: broadcast).
        file_column / row_column: columns holding each record's file name and 1-based row in it.
        file: the file name to report when there is no ``file_column``.
    """
    import pyarrow as pa

    schema = output_schema()
    ctx = ValidationContext.build(catalog, options)
    for batch in batches:
        result = validate_chunk(batch, catalog, context=ctx)
        rows_of = batch.column(row_column).to_numpy(zero_copy_only=False) if row_column else None
        files_of = batch.column(file_column).to_pylist() if file_column else None
        cols: dict[str, list[object]] = {f.name: [] for f in schema}

        errors: set[int] = set()
        warnings: set[int] = set()
        for p in result.findings:
            k = p.row - 1
            (errors if p.code.startswith("E_") else warnings).add(p.row)
            _emit(
                cols,
                "finding",
                file=files_of[k] if files_of is not None else file,
                row=int(rows_of[k]) if rows_of is not None else p.row,
                field=p.field,
                code=p.code,
                message=p.message,
                value=p.value,
            )
        kpi = result.kpi
        assert isinstance(kpi, KpiPartial)
        for name in _TABLES:
            for (agency, procedure, month), v in getattr(kpi, name).items():
                counters: dict[str, object] = {f"c{i}": int(x) for i, x in enumerate(v.tolist())}
                _emit(cols, name, agency=agency, procedure=procedure, month=month, **counters)
        _emit(
            cols,
            "rows",
            c0=result.n_rows,
            c1=len(errors),
            c2=len(warnings - errors),
            c3=kpi.unkeyed,
            c4=0,
        )
        yield pa.RecordBatch.from_pydict(cols, schema=schema)


def _emit(cols: dict[str, list[object]], kind: str, **values: object) -> None:
    for name, col in cols.items():
        col.append(kind if name == "kind" else values.get(name))


@attrs.frozen(slots=True)
class BatchOutcome:
    """What :func:`collect` read back: the findings, the summed KPI counts and the row accounting."""

    findings: tuple[RowProblem, ...]
    kpi: KpiPartial
    rows: int
    invalid_rows: int
    warning_rows: int

    @property
    def valid_rows(self) -> int:
        return self.rows - self.invalid_rows


def collect(table: pa.Table | Iterable[pa.RecordBatch]) -> BatchOutcome:
    """Read the output of :func:`validate_batches` back — as produced, or with the counts already summed by the
    engine (count lines with the same kind and key are added here either way)."""
    import pyarrow as pa

    if not isinstance(table, pa.Table):
        table = pa.Table.from_batches(list(table), schema=output_schema())
    data = table.to_pydict()
    findings: list[RowProblem] = []
    tables: dict[str, dict[tuple[str, str, str], np.ndarray]] = {name: {} for name in _TABLES}
    rows = invalid = warning = unkeyed = 0
    for i, kind in enumerate(data["kind"]):
        if kind == "finding":
            findings.append(
                RowProblem(
                    data["file"][i], data["row"][i], data["field"][i], data["code"][i], data["message"][i],
                    data["value"][i],
                )
            )  # fmt: skip
        elif kind == "rows":
            rows += data["c0"][i]
            invalid += data["c1"][i]
            warning += data["c2"][i]
            unkeyed += data["c3"][i]
        else:
            key = (data["agency"][i], data["procedure"][i], data["month"][i])
            v = np.array([data[f"c{j}"][i] for j in range(5)], dtype=np.int64)
            acc = tables[kind]
            acc[key] = acc[key] + v if key in acc else v
    findings.sort(key=lambda p: (p.file, p.row))
    partial = KpiPartial(tables["reception"], tables["judged_pause"], tables["judged_restart"], unkeyed)
    return BatchOutcome(tuple(findings), partial, rows, invalid, warning)
