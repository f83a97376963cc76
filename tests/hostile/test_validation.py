"""Hostile input against bulk validation: a run never aborts on a row, dates outside the calendar are row findings,
every row is accounted for (``rows == valid + invalid``) in every path, and findings do not pile up in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.records.chunks import RowProblem
from tthc.records.model import ALL_COLUMNS
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation import chunk as chunk_module
from tthc.validation.chunk import ChunkResult, validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.rules import CHECKS
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

CAT = Catalog.sample()
# a calendar of one year, so both edges of its range are easy to reach with the sample row (received 2025-03-03)
YEAR_2025 = ValidationOptions(calendar=public_sector_calendar(first_year=2025, last_year=2025))


def _accounted(s: ValidationSummary) -> None:
    assert s.rows == s.valid_rows + s.invalid_rows
    assert s.valid_rows >= 0
    assert s.invalid_rows >= 0


def _numbered(*rows: dict[str, str]) -> list[dict[str, str]]:
    """The rows with distinct dossier codes (the sample row's code repeated would be E_DUPLICATE_DOSSIER)."""
    return [{**r, "dossier_code": f"000.00.12.H21-250303-{k:04d}"} for k, r in enumerate(rows, 1)]


def _by_row(path: Path, report: Path) -> dict[int, set[tuple[str, str]]]:
    out: dict[int, set[tuple[str, str]]] = {}
    with report.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            assert r["file"] == str(path)
            out.setdefault(int(r["row"]), set()).add((r["field"], r["code"]))
    return out


# ---------------------------------------------------------------------------------------------- calendar range


def test_a_date_outside_the_calendar_is_a_finding_on_its_row(tmp_path: Path) -> None:
    """Today one such date raised CalendarRangeError out of the due-date recomputation and aborted the run."""
    path = write_csv(
        tmp_path / "r.csv",
        _numbered(
            row(),  # 1: valid
            row(received_at="2024-12-31 23:59:59"),  # 2: one second before the range
            row(received_at="2025-01-01 00:00:00", due_at=""),  # 3: the first instant of the range
            row(received_at="2026-01-01 00:00:00"),  # 4: just after the range
            row(finished_at="2026-01-01 08:00:00", returned_at=""),  # 5: a later column out of range
            row(supplement_requested_at="2024-12-31 10:00:00"),  # 6
        ),
    )
    with FindingWriter(tmp_path / "report.csv") as w:
        s = validate_files([path], CAT, YEAR_2025, report=w)
    _accounted(s)
    assert (s.rows, s.valid_rows) == (6, 2)
    found = _by_row(path, tmp_path / "report.csv")
    assert ("received_at", "E_RANGE") in found[2]
    assert not any(code == "E_RANGE" for _, code in found.get(3, set()))
    assert ("received_at", "E_RANGE") in found[4]
    assert ("finished_at", "E_RANGE") in found[5]
    assert ("supplement_requested_at", "E_RANGE") in found[6]
    # an out-of-range cell counts as empty afterwards, like an unreadable one: no second finding about it
    assert ("received_at", "E_SCHEMA") not in found[2]
    assert CHECKS["E_RANGE"].source


def test_a_due_date_that_falls_outside_the_calendar_is_a_finding_too(tmp_path: Path) -> None:
    """Received on the last day of the range, the 10 working days end after it: the row says so, the run goes on."""
    path = write_csv(
        tmp_path / "r.csv",
        _numbered(
            row(received_at="2025-12-31 09:00:00", due_at="", finished_at="", returned_at="", status="processing"),
            row(),
        ),
    )
    with FindingWriter(tmp_path / "report.csv") as w:
        s = validate_files([path], CAT, YEAR_2025, report=w)
    _accounted(s)
    assert (s.rows, s.valid_rows) == (2, 1)
    assert ("due_at", "E_RANGE") in _by_row(path, tmp_path / "report.csv")[1]


def test_dates_far_outside_the_calendar_in_text_and_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = _numbered(
        row(), row(received_at="1999-12-31 09:00:00"), row(received_at="02/01/24 09:00"), row(due_at="9999-12-31")
    )
    text = write_csv(tmp_path / "r.csv", rows)
    s = validate_files([text], CAT)
    _accounted(s)
    assert (s.rows, s.valid_rows) == (4, 1)
    assert s.by_code.get("E_RANGE", 0) >= 2  # 1999 and 9999 (02/01/24 is E_RANGE as year 0024 or E_TYPE)
    table = pa.table({k: [r[k] or None for r in rows] for k in HEADER})
    stamps = pa.array(
        [np.datetime64("2025-03-17T17:00:00"), None, None, np.datetime64("9999-12-31T00:00:00")], pa.timestamp("s")
    )
    table = table.set_column(HEADER.index("due_at"), "due_at", stamps)
    pq.write_table(table, tmp_path / "r.parquet")
    s = validate_files([tmp_path / "r.parquet"], CAT)
    _accounted(s)
    assert s.rows == 4
    assert s.examples["E_RANGE"][0].field in ("received_at", "due_at")


def test_the_trace_of_a_mismatch_near_the_edge_never_raises() -> None:
    """A recorded due date that differs, on a receipt whose recomputation leaves the range: E_RANGE, no crash."""
    chunk = {k: [v] for k, v in row(received_at="2025-12-31 09:00:00", due_at="2025-12-31 17:00:00").items()}
    result = validate_chunk(chunk, CAT, YEAR_2025)
    assert {p.code for p in result.findings} >= {"E_RANGE"}
    assert result.valid.tolist() == [False]


# ---------------------------------------------------------------------------------------------- never abort


def _chunk(*rows: dict[str, str]) -> dict[str, list[str]]:
    return {k: [r[k] for r in rows] for k in HEADER}


def test_a_check_that_fails_on_some_rows_reports_only_those_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception in a step: the rows that cause it get E_CHECK_FAILED; the others are checked as
    usual (the chunk is split until the failing rows are found)."""
    from tthc.validation.steps import check_status as real

    def fragile(rows: object) -> None:
        codes = rows.tc.codes["dossier_code"]  # type: ignore[attr-defined]
        if any(codes[i] == "BOOM" for i in range(len(codes))):
            raise ZeroDivisionError("a bug in a check")
        real(rows)  # type: ignore[arg-type]

    monkeypatch.setattr(chunk_module, "check_status", fragile)
    rows = [row(dossier_code=f"000.00.12.H21-250303-{k:04d}") for k in range(1, 40)]
    rows[7] = row(dossier_code="BOOM")
    rows[30] = row(dossier_code="BOOM", due_at="2025-03-14 17:00:00")
    rows[12] = row(dossier_code="000.00.12.H21-250303-0013", procedure_code="9.999999")
    result = validate_chunk(_chunk(*rows), CAT)
    assert result.n_rows == 39
    assert result.rows.tolist() == list(range(1, 40))
    failed = [p for p in result.findings if p.code == "E_CHECK_FAILED"]
    assert [(p.row, p.field) for p in failed] == [(8, "(row)"), (31, "(row)")]
    assert "ZeroDivisionError: a bug in a check" in failed[0].message
    assert [p.row for p in result.findings if p.code == "E_UNKNOWN_PROCEDURE"] == [13]  # the rest was checked
    assert np.flatnonzero(~result.valid).tolist() == [7, 12, 30]
    assert [p.row for p in result.findings] == sorted(p.row for p in result.findings)
    assert "E_CHECK_FAILED" in CHECKS


def test_a_check_that_always_fails_still_accounts_for_every_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(rows: object) -> None:
        raise RuntimeError("everything is broken")

    monkeypatch.setattr(chunk_module, "check_date_order", broken)
    path = write_csv(tmp_path / "r.csv", [row(dossier_code=f"000.00.12.H21-250303-{k:04d}") for k in range(1, 301)])
    with FindingWriter(tmp_path / "report.csv") as w:
        s = validate_files([path], CAT, report=w)
    _accounted(s)
    assert (s.rows, s.invalid_rows, s.by_code) == (300, 300, {"E_CHECK_FAILED": 300})


_GARBAGE = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "1999-12-31",
            "9999-12-31 23:59:59",
            "0001-01-01",
            "02/01/24",
            "2024-02-30",
            "30/02/2024",
            "²",
            "٢",
            "１.０００１７８",
            "-5",
            "99999999999999999999",
            "NaN",
            "2.001417",
            "postal",
            "online",
            "returned",
            "EB123456785VN",
            "000.00.12.H21",
            "000.00.12.H21-250303-0001",
            "2025-03-03 09:00:00",
            "2100-12-31 16:59:59",
            "[/]",
            "=1+1",
            "\x00",
            "\u202e",
        ]
    ),
)


@st.composite
def _messy_chunks(draw: st.DrawFn) -> dict[str, list[object]]:
    n = draw(st.integers(0, 12))
    names = draw(st.lists(st.sampled_from(list(ALL_COLUMNS)), unique=True, max_size=len(ALL_COLUMNS)))
    base = [row() for _ in range(n)]
    out: dict[str, list[object]] = {k: [r[k] for r in base] for k in HEADER}
    for name in names:
        out[name] = [draw(_GARBAGE) for _ in range(n)]
    return out


def _check_result(result: ChunkResult, n: int) -> None:
    assert result.n_rows == n
    assert len(result.valid) == len(result.rows) == len(result.timeliness_pause) == len(result.due_expected)
    error_rows = {p.row for p in result.findings if p.code.startswith("E_")}
    assert error_rows <= set(result.rows.tolist())
    assert set(np.asarray(result.rows)[~result.valid].tolist()) == error_rows
    for p in result.findings:
        assert isinstance(p, RowProblem)
        assert p.code in CHECKS
        assert p.file
        assert p.field
        assert p.message


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_messy_chunks())
def test_garbage_chunks_never_raise(chunk: dict[str, list[object]]) -> None:
    n = len(chunk["dossier_code"])
    _check_result(validate_chunk(chunk, CAT), n)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_messy_chunks())
def test_garbage_chunks_in_a_narrow_calendar_never_raise(chunk: dict[str, list[object]]) -> None:
    n = len(chunk["dossier_code"])
    _check_result(validate_chunk(chunk, CAT, YEAR_2025), n)


# ---------------------------------------------------------------------------------------------- every path counts

_CELL = st.one_of(_GARBAGE.filter(lambda v: v is not None), st.sampled_from(['"', '""', '"a,b"', "a\rb", ",", ";"]))


@st.composite
def _messy_files(draw: st.DrawFn) -> str:
    """CSV text under the canonical header: good rows, rows with garbage cells, short and long lines, blank lines."""
    lines = [",".join(HEADER)]
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["good", "cells", "short", "long", "blank", "raw"]))
        r = row()
        if kind == "cells":
            for name in draw(st.lists(st.sampled_from(HEADER), max_size=6)):
                r[name] = str(draw(_CELL))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow([r[k] for k in HEADER])
        text = buf.getvalue()
        if kind == "short":
            text = ",".join(text.split(",")[:5])
        elif kind == "long":
            text += ",extra"
        elif kind == "blank":
            text = ""
        elif kind == "raw":
            text = draw(st.text(alphabet=st.characters(exclude_characters="\n\r", codec="utf-8"), max_size=40))
        lines.append(text)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_messy_files())
def test_rows_are_valid_plus_invalid_on_one_machine_and_in_partitions(text: str) -> None:
    pytest.importorskip("pyarrow")
    import tempfile

    from tthc.scale.partitions import validate_partitions_locally

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.csv"
        path.write_text(text, encoding="utf-8")
        one = validate_files([path], CAT, chunk_bytes=512)
        _accounted(one)
        parts = validate_partitions_locally([path], CAT, partition_bytes=700)
        _accounted(parts)
        assert parts.to_dict() == one.to_dict()


# ---------------------------------------------------------------------------------------------- memory


def test_findings_are_streamed_chunk_by_chunk_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary keeps counts and a few examples; the report receives findings in bounded batches, never the
    whole file's at once (memory must not grow with the error rate)."""
    rows = [row(dossier_code="x", procedure_code="9.999999", channel="fax", received_at="yesterday")] * 3000
    path = write_csv(tmp_path / "bad.csv", rows)
    batches: list[int] = []
    pieces: list[int] = []
    monkeypatch.setattr(chunk_module, "FINDINGS_PER_PIECE", 1000)

    class Counting(FindingWriter):
        def write(self, findings: object) -> None:
            items = list(findings)  # type: ignore[call-overload]
            batches.append(len(items))
            super().write(items)

    with Counting(tmp_path / "report.jsonl") as w:
        s = validate_files(
            [path], CAT, report=w, chunk_bytes=1 << 20, max_examples=2, on_chunk=lambda r: pieces.append(r.n_rows)
        )
    _accounted(s)
    assert (s.rows, s.invalid_rows) == (3000, 3000)
    assert sum(batches) == sum(s.by_code.values())
    # one reader chunk (1 MiB), checked a small piece first, then as many rows as give about 1000 findings (the
    # same number each time: every row has the same mistakes); the report gets each piece's findings at once
    # (the repeated code "x" is reported last, once every row is read: one batch of 2999 duplicate findings)
    own = sum(batches) - s.by_code["E_DUPLICATE_DOSSIER"]
    per_row = round(own / 3000)
    assert sum(pieces) == 3000
    assert pieces[0] == 256
    assert set(pieces[1:-1]) == {1000 // per_row}
    assert max(batches[1:-1]) <= 1000 < own
    assert batches[-1] == s.by_code["E_DUPLICATE_DOSSIER"] == 2999
    assert all(len(v) <= 2 for v in s.examples.values())


def _lines(n: int) -> Iterator[str]:
    for k in range(n):
        yield f"000.00.12.H21-250303-{k:04d}"


def test_partition_results_hold_findings_packed(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from tthc.scale.partitions import plan_partitions, validate_partition

    rows = [row(dossier_code=c, procedure_code="9.999999") for c in _lines(2000)]
    path = write_csv(tmp_path / "bad.csv", rows)
    _, parts = plan_partitions([path])
    result, _ = validate_partition(parts[0], CAT)
    assert result.findings is not None
    assert len(result.findings) == 2000
    # packed: well under the size of 2000 RowProblem objects with their strings
    assert result.findings.nbytes < 2000 * 120


def test_the_range_is_the_calendars_not_a_constant() -> None:
    wide = ValidationOptions(calendar=public_sector_calendar(first_year=2000, last_year=2100))
    chunk = _chunk(row(received_at="2025-12-31 09:00:00", due_at="2026-01-15 17:00:00"))
    assert not any(p.code == "E_RANGE" for p in validate_chunk(chunk, CAT, wide).findings)
    assert any(p.code == "E_RANGE" for p in validate_chunk(chunk, CAT, YEAR_2025).findings)
    assert date(2025, 1, 1) == YEAR_2025.calendar.first  # type: ignore[union-attr]


def test_pieces_of_a_reader_chunk_keep_every_row_and_line() -> None:
    from tthc.records.chunks import RawChunk
    from tthc.validation.chunk import split_chunk

    cells = ["a", "b", "c", "d", "e"]
    chunk = RawChunk(
        "f.csv",
        np.array([1, 2, 4, 5, 7], dtype=np.int64),
        {"dossier_code": list(cells)},
        tuple(RowProblem("f.csv", r, "(row)", "E_SCHEMA", "bad") for r in (8, 3, 6)),
        blank_lines=2,
        continuation_lines=1,
    )
    pieces = list(split_chunk(chunk, lambda: 2))
    assert [p.rows.tolist() for p in pieces] == [[1, 2], [4, 5], [7]]  # type: ignore[attr-defined]
    assert [p.columns["dossier_code"] for p in pieces] == [["a", "b"], ["c", "d"], ["e"]]  # type: ignore[attr-defined]
    assert [[q.row for q in p.problems] for p in pieces] == [[3], [6], [8]]  # type: ignore[attr-defined]
    assert [(p.blank_lines, p.continuation_lines) for p in pieces] == [(2, 1), (0, 0), (0, 0)]  # type: ignore[attr-defined]
    whole = validate_chunk(chunk, CAT)
    parts = [validate_chunk(p, CAT) for p in pieces]
    assert sum(r.n_rows for r in parts) == whole.n_rows == 8
    assert [f for r in parts for f in r.findings] == list(whole.findings)
