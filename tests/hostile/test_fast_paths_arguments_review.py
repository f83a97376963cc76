"""Hostile review S (session 12), the fast paths: the Python API's report over an input, the Dask entry points'
arguments, ``chunk_bytes`` bounds, blank lines in an unreadable partition, and Ctrl-C to the process group of a
local Dask cluster run.

* ``validate_files(..., report=FindingWriter(<an input>))`` — the same path, a symlink, another spelling (also
  through a folder that does not exist), with jobs 1 and 2 and on Dask — is refused with an ``OutputFileError``
  naming ``report`` before anything is read, the input is kept, and the writer is thrown away (closing it later
  writes nothing); a report to another file still works.
* The Dask entry points (``tthc.scale.dask.validate_files`` / ``validate_dataframe``) refuse a wrong argument as
  the single machine does — one ``InvalidValueError`` naming it, before any file is looked at (a missing glob is
  not what is reported) and never an ``AttributeError`` after the run.
* ``chunk_bytes`` is a whole number in 1..``MAX_CHUNK_BYTES`` on every path (``open_records`` too): the maximum
  itself reads a 1 kB file without allocating it, one more is refused.
* A partition that cannot be read counts its non-blank lines as invalid rows and its blank lines as blank lines,
  as the single-machine reader counts them.
* Ctrl-C sent to the process group while a ``--workers 2`` run's partitions run: exit 2 and the one line only.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError, OutputFileError
from tthc.records.chunks import MAX_CHUNK_BYTES
from tthc.records.readers import open_records
from tthc.testing.record_files import row, write_csv
from tthc.validation.run import FindingWriter, validate_files

CAT = Catalog.sample()


def _codes(n: int) -> list[dict[str, str]]:
    return [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(n)]


def _bad_input(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "d.csv", [row(received_at="not a date") for _ in range(6)])


def _spelling(tmp_path: Path, path: Path, spelling: str) -> Path:
    if spelling == "same":
        return path
    if spelling == "symlink":
        os.symlink(path, tmp_path / "link.csv")
        return tmp_path / "link.csv"
    if spelling == "dotted":
        (tmp_path / "x").mkdir()
        return tmp_path / "x" / ".." / "d.csv"
    assert spelling == "dotted-missing-folder"  # os.stat fails, but the writer resolves the path to d.csv
    return tmp_path / "nowhere" / ".." / "d.csv"


SPELLINGS = ["same", "symlink", "dotted", "dotted-missing-folder"]


# --------------------------------------------------------------------------------------- the report over an input


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_finding_writer_on_the_input_is_refused_and_the_input_kept(tmp_path: Path, spelling: str, jobs: int) -> None:
    path = _bad_input(tmp_path)
    before = path.read_bytes()
    target = _spelling(tmp_path, path, spelling)
    with pytest.raises(OutputFileError) as caught, FindingWriter(target) as report:
        validate_files([path], CAT, report=report, jobs=jobs)
    message = str(caught.value)
    assert message.startswith("report: expected a file that is not one of the inputs, got ")
    assert "\n" not in message
    assert "d.csv" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["d.csv"] + (
        ["link.csv"] if spelling == "symlink" else []
    )


def test_a_refused_writer_is_thrown_away_so_closing_it_later_writes_nothing(tmp_path: Path) -> None:
    """Without ``with``: the caller's ``finally: report.close()`` must not put the findings over the input."""
    path = _bad_input(tmp_path)
    before = path.read_bytes()
    report = FindingWriter(path)
    try:
        with pytest.raises(OutputFileError):
            validate_files([path], CAT, report=report)
    finally:
        report.close()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.csv"]  # no temporary file left either


def test_the_input_named_among_several_is_refused_too(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", _codes(3))
    second = _bad_input(tmp_path)
    with pytest.raises(OutputFileError, match=r"^report: .*d\.csv"), FindingWriter(second) as report:
        validate_files([first, second], CAT, report=report)
    assert "not a date" in second.read_text(encoding="utf-8")


def test_a_report_to_another_file_is_written(tmp_path: Path) -> None:
    """The other side: a report beside the input (an existing file or a new one) is the run's report."""
    path = _bad_input(tmp_path)
    old = tmp_path / "old.csv"
    old.write_text("older report\n", encoding="utf-8")
    for target in (old, tmp_path / "new.csv"):
        with FindingWriter(target) as report:
            summary = validate_files([path], CAT, report=report)
        assert summary.invalid_rows == 6
        assert target.read_text(encoding="utf-8").startswith("file,row,field,code")


def test_refuse_overwriting_inputs_resolves_an_output_as_the_writer_does(tmp_path: Path) -> None:
    """``nowhere/../d.csv``: os.stat fails (no folder ``nowhere``), but atomic_output writes os.path.realpath of
    it — d.csv itself. The shared check (the CLI's, the duckdb bridge's) compares what would be written."""
    from tthc.foundation.output_files import refuse_overwriting_inputs

    path = _bad_input(tmp_path)
    with pytest.raises(OutputFileError, match=r"^--report: expected a file that is not one of the inputs"):
        refuse_overwriting_inputs({"--report": tmp_path / "nowhere" / ".." / "d.csv"}, [("FILES", path)])
    refuse_overwriting_inputs({"--report": tmp_path / "nowhere" / ".." / "e.csv"}, [("FILES", path)])  # a new file


def test_the_command_line_refuses_a_report_spelled_through_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--report nowhere/../d.csv`` named the input d.csv, and the run replaced it with its findings (exit 1)."""
    from tthc.cli import main

    path = _bad_input(tmp_path)
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["--lang", "en", "validate", "d.csv", "--report", "nowhere/../d.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("tthc: --report: expected a file that is not one of the inputs, got 'nowhere/../d.csv'")
    assert path.read_bytes() == before


# ------------------------------------------------------------------------------------------------ chunk_bytes bound


@pytest.mark.parametrize("chunk_bytes", [0, -1, 0.5, "65536", True, MAX_CHUNK_BYTES + 1, 1 << 44])
def test_a_chunk_bytes_outside_its_range_is_refused_on_one_machine(tmp_path: Path, chunk_bytes: object) -> None:
    path = write_csv(tmp_path / "d.csv", _codes(5))
    with pytest.raises(InvalidValueError) as caught:
        validate_files([path], CAT, chunk_bytes=chunk_bytes)  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"chunk_bytes: expected a whole number in 1..{MAX_CHUNK_BYTES}, got ")
    with pytest.raises(InvalidValueError, match=r"^chunk_bytes: "):
        open_records(path, chunk_bytes=chunk_bytes)  # type: ignore[arg-type]


@pytest.mark.parametrize("chunk_bytes", [1, MAX_CHUNK_BYTES])
def test_chunk_bytes_at_its_bounds_reads_every_row(tmp_path: Path, chunk_bytes: int) -> None:
    """The maximum on a 1 kB file reads the file (the reader asks no more than the file holds: no MemoryError)."""
    path = write_csv(tmp_path / "d.csv", _codes(5))
    assert validate_files([path], CAT, chunk_bytes=chunk_bytes).rows == 5
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"dossier_code": "A"}\n\n{"dossier_code": "B"}\n', encoding="utf-8")
    stream = open_records(jsonl, chunk_bytes=chunk_bytes)
    assert sum(len(c.rows) for c in stream) == 2


def test_the_reader_asks_no_more_than_the_file_holds() -> None:
    import io

    from tthc.records.chunks import _iter_blocks

    asked: list[int] = []

    class Spy(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            asked.append(-1 if size is None else size)
            return super().read(size)

    data = b"a,b\n1,2\n"
    # a stream without a file number: chunk_bytes as given (capped by MAX_CHUNK_BYTES at the entry checks)
    assert [b for b, _ in _iter_blocks(Spy(data), 1 << 20)] == [data]
    assert asked == [1 << 20, 1 << 20]


def test_a_regular_file_is_read_in_blocks_no_larger_than_itself(tmp_path: Path) -> None:
    from tthc.records.chunks import _iter_blocks

    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b\n1,2\n" * 100)
    asked: list[int] = []
    with path.open("rb") as fh:
        real = fh.read

        class Reading:
            def read(self, size: int = -1) -> bytes:
                asked.append(size)
                return real(size)

            def fileno(self) -> int:
                return fh.fileno()

            def tell(self) -> int:
                return fh.tell()

        blocks = [b for b, _ in _iter_blocks(Reading(), MAX_CHUNK_BYTES)]  # type: ignore[arg-type]
    assert b"".join(blocks) == path.read_bytes()
    assert asked
    assert max(asked) <= 64 << 10


# ----------------------------------------------------------------------------------------- the Dask entry points


def _have(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


needs_dask = pytest.mark.skipif(
    not _have("distributed", "pyarrow", "pandas"), reason="the 'distributed' and 'data' extras are not installed"
)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    from tthc.scale import dask as tthc_dask

    with tthc_dask.local_client(1, processes=False) as c:
        yield c


@needs_dask
def test_chunk_bytes_zero_on_a_cluster_is_refused_not_every_row_dropped(client: Any, tmp_path: Path) -> None:
    from tthc.scale import dask as tthc_dask

    path = write_csv(tmp_path / "d.csv", _codes(50))
    with pytest.raises(InvalidValueError, match=r"^chunk_bytes: expected a whole number in 1\.\."):
        tthc_dask.validate_files([path], CAT, client=client, chunk_bytes=0)
    assert tthc_dask.validate_files([path], CAT, client=client, chunk_bytes=1).rows == 50  # the other side


@needs_dask
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"chunk_bytes": 0.5}, "chunk_bytes"),
        ({"chunk_bytes": "65536"}, "chunk_bytes"),
        ({"chunk_bytes": 1 << 44}, "chunk_bytes"),
        ({"catalog": None}, "catalog"),
        ({"options": {"as_of": None}}, "options"),
        ({"report": "findings.csv"}, "report"),
        ({"client": "tcp://127.0.0.1:8786"}, "client"),
        ({"duplicates": "no"}, "duplicates"),
        ({"max_examples": -1}, "max_examples"),
        ({"partition_bytes": 0}, "partition_bytes"),
        ({"progress": "yes"}, "progress"),
        ({"delimiter": "ab"}, "delimiter"),
        ({"mapping": {"a": "b"}}, "mapping"),
        ({"encoding": 8}, "encoding"),
    ],
    ids=lambda v: next(iter(v)) + "=" + repr(v[next(iter(v))]) if isinstance(v, dict) else None,
)
def test_a_wrong_argument_on_a_cluster_is_one_invalid_value_error_before_any_file_is_looked_at(
    client: Any, tmp_path: Path, kwargs: dict[str, Any], field: str
) -> None:
    """The pattern matches nothing: had the files been looked at first, a DataFileError would be raised."""
    from tthc.scale import dask as tthc_dask

    kw: dict[str, Any] = {"client": client, "catalog": CAT, **kwargs}
    catalog = kw.pop("catalog")
    options = kw.pop("options", None)
    with pytest.raises(InvalidValueError) as caught:
        tthc_dask.validate_files(str(tmp_path / "missing-*.csv"), catalog, options, **kw)
    message = str(caught.value)
    assert message.startswith(f"{field}: expected "), message
    assert "\n" not in message


@needs_dask
def test_the_dask_arguments_accepted_on_one_machine_still_run(client: Any, tmp_path: Path) -> None:
    from tthc.scale import dask as tthc_dask
    from tthc.validation.context import ValidationOptions

    path = write_csv(tmp_path / "d.csv", [*_codes(5), row(dossier_code="000.00.12.H21-250303-0001")])
    seen: list[int] = []
    with FindingWriter(tmp_path / "r.csv") as report:
        summary = tthc_dask.validate_files(
            [path], CAT, ValidationOptions(), client=client, report=report, duplicates=False, max_examples=0,
            chunk_bytes=MAX_CHUNK_BYTES, progress=lambda done, total, rows: seen.append(rows),
        )  # fmt: skip
    assert (summary.rows, summary.examples, seen[-1]) == (6, {}, 6)
    assert "E_DUPLICATE" not in "".join(summary.by_code)


@needs_dask
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_finding_writer_on_the_input_is_refused_on_a_cluster(client: Any, tmp_path: Path, spelling: str) -> None:
    from tthc.scale import dask as tthc_dask

    path = _bad_input(tmp_path)
    before = path.read_bytes()
    target = _spelling(tmp_path, path, spelling)
    with pytest.raises(OutputFileError, match=r"^report: "), FindingWriter(target) as report:
        tthc_dask.validate_files(str(tmp_path / "*.csv"), CAT, client=client, report=report)
    assert path.read_bytes() == before


@needs_dask
@pytest.mark.parametrize(
    ("frame", "kwargs", "field"),
    [
        ("pandas", {}, "frame"),
        ("list", {}, "frame"),
        ("dask", {"catalog": None}, "catalog"),
        ("dask", {"label": 5}, "label"),
        ("dask", {"options": {"as_of": None}}, "options"),
        ("dask", {"report": "findings.csv"}, "report"),
        ("dask", {"client": "tcp://127.0.0.1:8786"}, "client"),
        ("dask", {"duplicates": 1}, "duplicates"),
        ("dask", {"max_examples": "3"}, "max_examples"),
    ],
)
def test_validate_dataframe_refuses_a_wrong_argument_naming_it(
    client: Any, frame: str, kwargs: dict[str, Any], field: str
) -> None:
    import dask.dataframe as dd
    import pandas as pd

    from tthc.scale import dask as tthc_dask

    pandas_frame = pd.DataFrame([row()])
    dask_frame = dd.from_pandas(pandas_frame, npartitions=1)  # type: ignore[no-untyped-call]
    given: Any = {"pandas": pandas_frame, "list": [row()], "dask": dask_frame}[frame]
    kw: dict[str, Any] = {"client": client, "catalog": CAT, **kwargs}
    catalog = kw.pop("catalog")
    options = kw.pop("options", None)
    with pytest.raises(InvalidValueError) as caught:
        tthc_dask.validate_dataframe(given, catalog, options, **kw)
    assert str(caught.value).startswith(f"{field}: expected "), str(caught.value)


@needs_dask
def test_validate_dataframe_with_good_arguments_runs(client: Any) -> None:
    import dask.dataframe as dd
    import pandas as pd

    from tthc.scale import dask as tthc_dask

    frame = dd.from_pandas(pd.DataFrame(_codes(4)), npartitions=2)  # type: ignore[no-untyped-call]
    assert tthc_dask.validate_dataframe(frame, CAT, client=client, label="frame").rows == 4


# ------------------------------------------------------------------------------- blank lines in an unreadable range


def test_an_unreadable_partition_counts_its_blank_lines_as_blank_not_as_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition whose reading fails (an I/O error on a worker) is ``E_UNREADABLE_RANGE``, every row of it
    invalid — its rows as the single machine counts them: a blank line is not a row."""
    pytest.importorskip("pyarrow")
    from tthc.scale import partitions

    rows = [",".join(r.values()) for r in _codes(40)]
    text = "\n".join(rows[:20]) + "\n\n   \n\t\n" + "\n".join(rows[20:]) + "\n\n"
    plain = write_csv(tmp_path / "d.csv", _codes(1))
    header = plain.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "blank.csv"
    path.write_text(header + "\n" + text, encoding="utf-8")
    single = validate_files([path], CAT, duplicates=False)
    assert (single.rows, single.blank_lines) == (40, 4)

    def unreadable(*args: object, **kwargs: object) -> Iterator[object]:
        raise OSError(5, "Input/output error")
        yield  # pragma: no cover

    monkeypatch.setattr(partitions, "_chunks", unreadable)
    for partition_bytes in (300, 1 << 20):  # windows of the file, and the file whole
        summary = partitions.validate_partitions_locally([path], CAT, partition_bytes=partition_bytes)
        assert (summary.rows, summary.invalid_rows, summary.blank_lines) == (40, 40, 4), partition_bytes
        assert set(summary.by_code) == {"E_UNREADABLE_RANGE"}


# ------------------------------------------------------------------------------------ Ctrl-C to the process group

_CTRL_C_MIDWAY = """
import os, signal, sys
from tthc.cli import main
from tthc.scale import dask as tthc_dask

real = tthc_dask._finish

def ctrl_c_midway(*args, **kwargs):
    # the partitions are submitted and running on the workers: the user presses Ctrl-C, which the terminal sends to
    # the whole foreground process group -- this command, its nannies and its worker processes
    open("sent", "w").close()
    os.killpg(os.getpgrp(), signal.SIGINT)
    return real(*args, **kwargs)

tthc_dask._finish = ctrl_c_midway
sys.exit(main(sys.argv[1:]))
"""


@needs_dask
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and process groups as on Linux")
def test_ctrl_c_to_the_process_group_midway_through_a_local_cluster_run_is_one_line(tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches the nannies and worker processes too: they leave it to the command (no
    'Process Dask Worker process' traceback, no scheduler WARNING/ERROR about lost workers), whose one line and
    exit 2 are all that is seen; no output is written."""
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i % 10_000:04d}") for i in range(30_000)]
    path = write_csv(tmp_path / "d.csv", rows)
    english = {k: v for k, v in os.environ.items() if k != "TTHC_LANG"}
    proc = subprocess.run(
        [sys.executable, "-c", _CTRL_C_MIDWAY, "--lang", "en", "validate", str(path), "--workers", "2",
         "--report", "r.csv", "--kpi-json", "k.json"],
        cwd=tmp_path, env=english, capture_output=True, text=True, timeout=120, start_new_session=True,
    )  # fmt: skip
    assert (tmp_path / "sent").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "sent"]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert (proc.returncode, lines) == (2, ["tthc: interrupted; no output was written"]), proc.stderr[-3000:]
