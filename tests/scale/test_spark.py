"""The Spark worked example of docs/scale.md runs (``mapInArrow`` over the batch core) and gives the single-machine
figures; skipped with the reason when pyspark or Java is missing. The plain-Python ``mapInArrow`` simulation in the
same page runs as a doctest (tests/test_docs.py) and below against the single-machine run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import KpiOptions, compute_kpis
from tthc.records.sample import sample_path
from tthc.validation.run import validate_files

pa = pytest.importorskip("pyarrow", reason="the 'data' extra (pyarrow) is not installed")

from tthc.scale.arrow_batches import OUTPUT_DDL, collect, output_schema, validate_batches  # noqa: E402

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale.md"


def _spark_example() -> str:
    blocks = re.findall(r"```python\n(# spark-example\n.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 1, "docs/scale.md must hold exactly one '# spark-example' block"
    return str(blocks[0])


def _single_machine() -> tuple[object, Catalog]:
    cat = Catalog.sample()
    return validate_files([sample_path()], cat), cat


def test_batches_in_batches_out_equals_the_single_machine_run() -> None:
    import pyarrow.csv as pacsv

    single, cat = _single_machine()
    names = sample_path().read_text(encoding="utf-8").splitlines()[0].split(",")
    table = pacsv.read_csv(
        sample_path(), convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    )
    table = table.append_column("row", pa.array(range(1, table.num_rows + 1), pa.int64()))
    out = list(validate_batches(iter(table.to_batches(max_chunksize=500)), cat, row_column="row"))
    assert all(b.schema == output_schema() for b in out)
    result = collect(out)
    assert (result.rows, result.valid_rows) == (single.rows, single.valid_rows)  # type: ignore[attr-defined]
    for by in ("agency", "month", "total"):
        opts = KpiOptions(by=by)
        assert compute_kpis(result.kpi, cat, opts) == compute_kpis(single.kpi, cat, opts)  # type: ignore[attr-defined]


def test_output_ddl_names_the_output_schema() -> None:
    names = [part.strip().split(" ")[0] for part in OUTPUT_DDL.split(",")]
    assert names == output_schema().names


def test_spark_worked_example_runs_and_matches_one_machine() -> None:
    pytest.importorskip(
        "pyspark", reason="pyspark is not installed (pip install pyspark) — the Spark example is skipped"
    )
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH — Spark needs one; the Spark example is skipped")
    namespace: dict[str, object] = {}
    exec(compile(_spark_example(), str(DOC), "exec"), namespace)
    single, cat = _single_machine()
    result = namespace["result"]
    assert (result.rows, result.valid_rows) == (single.rows, single.valid_rows)  # type: ignore[attr-defined]
    assert namespace["indicators"] == compute_kpis(single.kpi, cat, KpiOptions(by="agency"))  # type: ignore[attr-defined]
