"""A run that fails part-way throws its report away quietly, whatever the report's format: the older file stays, no
temporary file is left, and nothing is printed later ("Exception ignored ... write to closed file": the Parquet
writer was left open on the discarded file, and its finaliser wrote to it — found by session 11's review of the data
bridges, which had to work around it)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from tthc.records.chunks import RowProblem
from tthc.validation.run import FindingWriter


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl", ".json"])
def test_an_aborted_report_leaves_the_older_file_and_says_nothing_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    raised: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: raised.append(info.exc_value))
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"older")
    writer = FindingWriter(path)
    writer.write([RowProblem("f.csv", 2, "received_at", "E_DATE", "expected a date, got 'x'", "x")])
    writer.abort()
    del writer
    gc.collect()
    assert path.read_bytes() == b"older"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert raised == []
