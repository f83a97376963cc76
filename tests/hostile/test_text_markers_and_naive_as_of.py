"""Two answers that must not depend on where they are computed: a cell spelt like a spreadsheet's "missing" marker
reads as the text it is whichever parser reads its block, and a naive ``as_of`` is Vietnam time whatever the
machine's zone."""

from __future__ import annotations

import csv
import time as clock
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import KpiOptions, compute_kpis
from tthc.testing.record_files import row, write_csv
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, validate_files


def _findings(path: Path, tmp_path: Path) -> list[tuple[str, ...]]:
    out = tmp_path / f"{path.stem}.findings.csv"
    with FindingWriter(out) as w:
        validate_files([path], Catalog.sample(), report=w)
    with out.open(encoding="utf-8", newline="") as f:
        return [tuple(r[1:4]) for r in list(csv.reader(f))[1:]]


@pytest.mark.parametrize(
    ("column", "cell"),
    [("fee_vnd", "NA"), ("supplement_count", "nan"), ("dossier_code", "null"), ("postage_vnd", "#N/A"),
     ("tracking_number", "NULL"), ("received_at", "N/A")],
)  # fmt: skip
def test_a_cell_reads_the_same_whichever_parser_reads_its_block(column: str, cell: str, tmp_path: Path) -> None:
    """pyarrow's CSV parser reads ``NA``, ``nan``, ``null``, ``#N/A``… as missing by default; the reference parser (a
    block whose quoting is not simple) and the Parquet reader keep them as text. Only an empty cell is missing."""
    rows = [row(**{column: cell}), row(dossier_code="000.00.12.H21-250303-0002")]
    simple = write_csv(tmp_path / "simple.csv", rows)
    # the same two rows, then one whose quoted cell holds a line break: the block is read by the reference parser
    quoted = write_csv(tmp_path / "quoted.csv", [*rows, row(dossier_code="000.00.12.H21-250303-0003", status="a\nb")])
    from_simple = _findings(simple, tmp_path)
    assert from_simple  # the marker is a finding (not a number, not a code, not a date), as the reference parser says
    assert from_simple == [f for f in _findings(quoted, tmp_path) if f[0] in ("1", "2")]


@pytest.fixture
def utc_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(clock, "tzset"):
        pytest.skip("no time.tzset on this platform")
    monkeypatch.setenv("TZ", "UTC")  # a server's usual zone
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


@pytest.mark.usefixtures("utc_machine")
def test_a_naive_as_of_is_vietnam_time_on_any_machine(tmp_path: Path) -> None:
    """An open dossier due 17 Mar 2025 17:00 is not late at 12:00 that day (read as UTC, 12:00 was 19:00 here)."""
    path = write_csv(tmp_path / "open.csv", [row(finished_at="", returned_at="", status="processing")])
    cat = Catalog.sample()

    def kpis(as_of: datetime) -> object:
        return compute_kpis(validate_files([path], cat, ValidationOptions(as_of=as_of)).kpi, cat, KpiOptions())

    naive = datetime(2025, 3, 17, 12)
    assert kpis(naive) == kpis(naive.replace(tzinfo=timezone(timedelta(hours=7))))
    assert kpis(naive) != kpis(datetime(2025, 3, 17, 18))  # the as_of matters here: past 17:00 it is late
