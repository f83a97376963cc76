"""The hostile corpus on a real local Dask cluster: the same summary, findings, report and KPI counts as one machine,
however small the partitions (a cut never splits a record that spans lines, a bad cell is a finding on both sides)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hostile.corpus import CorpusFile
from tthc.catalog.collection import Catalog
from tthc.errors import DataFileError
from tthc.kpi.indicators import KpiOptions, KpiPartial, compute_kpis
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

pytest.importorskip("distributed", reason="the 'distributed' extra is not installed")
pytest.importorskip("pyarrow", reason="the 'data' extra (pyarrow) is not installed")

from tthc.scale import dask as tthc_dask
from tthc.scale.partitions import (
    UNREADABLE_RANGE,
    plan_partitions,
    resync,
    validate_partition,
    validate_partitions_locally,
)

CAT = Catalog.sample()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with tthc_dask.local_client(2, processes=True) as c:
        yield c


@pytest.fixture(scope="module")
def readable(hostile_corpus: list[CorpusFile]) -> list[Path]:
    return [f.path for f in hostile_corpus if not f.file_error]


def _kpis(partial: KpiPartial) -> dict[str, dict[tuple[str, str, str], tuple[int, ...]]]:
    return {
        name: {k: tuple(int(x) for x in v) for k, v in getattr(partial, name).items()}
        for name in ("reception", "judged_pause", "judged_restart")
    }


def _same(a: ValidationSummary, b: ValidationSummary) -> None:
    assert a.to_dict() == b.to_dict()
    assert a.examples == b.examples
    assert _kpis(a.kpi) == _kpis(b.kpi)
    assert a.kpi.unkeyed == b.kpi.unkeyed
    for by in ("agency", "total"):
        assert compute_kpis(a.kpi, CAT, KpiOptions(by=by)) == compute_kpis(b.kpi, CAT, KpiOptions(by=by))


def test_the_corpus_gives_the_same_answer_on_a_cluster(client: Any, readable: list[Path], tmp_path: Path) -> None:
    partition_bytes = 300  # most files are cut at least once
    assert len(readable) > 100
    with FindingWriter(tmp_path / "one.csv") as w:
        one = validate_files(readable, CAT, report=w)
    with FindingWriter(tmp_path / "many.csv") as w:
        many = tthc_dask.validate_files(readable, CAT, client=client, report=w, partition_bytes=partition_bytes)
    _same(one, many)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "many.csv").read_bytes()
    assert many.rows == many.valid_rows + many.invalid_rows
    # no file fell back to "this byte range could not be read": every bad row is reported as itself
    failed = [p for p in many.examples.get(UNREADABLE_RANGE, ()) if p.field == "(range)"]
    assert failed == []
    assert len(plan_partitions(readable, partition_bytes=partition_bytes)[1]) > len(readable)


def test_each_corpus_file_alone_agrees_with_its_partitioned_run(hostile_corpus: list[CorpusFile]) -> None:
    """File by file (so a disagreement names its file), the partitioned algorithm without a cluster."""
    for f in hostile_corpus:
        if f.file_error:
            continue
        one = validate_files([f.path], CAT)
        for partition_bytes in (40,):
            cut = validate_partitions_locally([f.path], CAT, partition_bytes=partition_bytes)
            assert cut.to_dict() == one.to_dict(), (f.name, f.attacks, partition_bytes)


def test_files_refused_whole_are_refused_alike(client: Any, hostile_corpus: list[CorpusFile]) -> None:
    refused = [f for f in hostile_corpus if f.file_error]
    assert refused
    for f in refused:
        with pytest.raises(DataFileError):
            validate_files([f.path], CAT)
        with pytest.raises(DataFileError):
            tthc_dask.validate_files([f.path], CAT, client=client)


def test_a_record_spanning_lines_is_never_cut(tmp_path: Path) -> None:
    """A quoted note with line breaks in the middle of a file: the partition that meets it says so, the rest of the
    file is read again as one partition (no cut after the note survives), and the reader reads it as one record,
    like one machine does (the row keeps the number of its first line)."""
    from tthc.testing.record_files import HEADER, row

    rows = [row(dossier_code=f"000.00.12.H21-250303-{k:04d}") for k in range(1, 61)]
    head = ",".join([*HEADER, "note"]) + "\n"
    lines = [",".join(r[h] for h in HEADER) + "," for r in rows]
    lines[30] += '"first line\nsecond line\r\nthird, with a comma"'
    path = tmp_path / "notes.csv"
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    one = validate_files([path], CAT)
    assert (one.rows, one.valid_rows) == (60, 60)
    for partition_bytes in range(50, 3000, 150):
        _, planned = plan_partitions([path], partition_bytes=partition_bytes)
        parts = [p for p, _ in resync(planned, [validate_partition(p, CAT)[0].synced for p in planned])]
        cut = validate_partitions_locally([path], CAT, partition_bytes=partition_bytes)
        assert cut.to_dict() == one.to_dict(), partition_bytes
        opening = path.read_bytes().index(b'"first')
        assert not any(p.start > opening for p in parts)  # no cut after the quoted note
