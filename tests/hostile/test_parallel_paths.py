"""The parallel paths under hostile input (issue 16: "their guarantees must hold on every fast path").

Session 6 added two checking threads in one process (``validation.workers``), one place for "how many cores, may
we fork, results in input order" (``foundation.cores``) and the catalog import over forked workers
(``catalog.portal_jobs``). Here they are attacked: an error in one piece while another is being checked, a worker
process that dies, a run interrupted midway, findings in every piece over many runs, inputs of zero rows, a header
only, exactly one piece, a quoted multi-line cell across every block boundary, odd ``jobs`` values on the API and the
command line, a machine without ``sched_getaffinity``. Two threads and two workers are forced with the existing
options on small inputs (never large files).
"""

from __future__ import annotations

import csv
import gc
import io
import json
import multiprocessing
import os
import random
import signal
import sys
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from hostile.stopping import STOPPED, run_stopped
from tthc.catalog import portal_jobs
from tthc.catalog.collection import Catalog, import_portal_files
from tthc.catalog.portal_import import parse_record
from tthc.cli import main
from tthc.errors import DataFileError, InvalidValueError, WorkerLostError
from tthc.foundation import cores
from tthc.kpi.indicators import KpiOptions, compute_kpis
from tthc.testing.record_files import HEADER, csv_text, row, write_csv
from tthc.validation import workers
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, validate_files

CAT = Catalog.sample()
EN = ValidationOptions(lang="en")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes are forked on Linux")


@pytest.fixture
def two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two checking threads in one process, even on a one-core machine."""
    monkeypatch.setattr(workers, "available_jobs", lambda: 2)
    monkeypatch.setattr(workers, "CHECK_THREADS", 2)


def _code(i: int) -> str:
    return f"000.00.12.H21-250303-{i:04d}"


def _damaged_rows(n: int, seed: int) -> list[dict[str, str]]:
    """Rows with a finding about every fourth row — so in every piece — of several kinds, repeats near and far."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = row(dossier_code=_code(i))
        roll = rng.random()
        if roll < 0.06:
            r["fee_vnd"] = "hai trăm"
        elif roll < 0.12:
            r["due_at"] = "2025-03-18 17:00:00"
        elif roll < 0.16:
            r["received_at"] = "2025-02-31 09:00:00"
        elif roll < 0.20:
            r["dossier_code"] = _code(rng.randrange(max(1, i)))  # a repeat of an earlier row
        elif roll < 0.25:
            r.update(finished_at="2025-03-20 10:00:00", returned_at="2025-03-21 08:00:00")  # late
        out.append(r)
    return out


def _run(path: Path, report: Path, **kw: Any) -> tuple[dict[str, object], bytes, object]:
    """What must not depend on threads, piece sizes or the run: the summary, the report's bytes and the KPIs."""
    with FindingWriter(report) as writer:
        summary = validate_files([path], CAT, EN, report=writer, **kw)
    return summary.to_dict(), report.read_bytes(), compute_kpis(summary.kpi, CAT, KpiOptions(by="agency"))


def _leftovers(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# -- two checking threads --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("two_threads")
def test_findings_in_every_piece_give_the_same_report_and_kpis_on_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which thread checks which piece, and when each piece's size is observed, changes from run to run: the report
    (bytes), the summary and the KPIs must not. One thread is the reference."""
    path = write_csv(tmp_path / "damaged.csv", _damaged_rows(1_500, seed=16))
    monkeypatch.setattr(workers, "available_jobs", lambda: 1)
    reference = _run(path, tmp_path / "one.csv", chunk_bytes=1 << 20)
    assert reference[0]["invalid_rows"] > 250  # type: ignore[operator]
    monkeypatch.setattr(workers, "available_jobs", lambda: 2)
    for i, chunk_bytes in enumerate((9_000, 20_000, 9_000, 1 << 20, 9_000)):
        assert _run(path, tmp_path / f"two-{i}.csv", chunk_bytes=chunk_bytes) == reference, chunk_bytes


@pytest.mark.usefixtures("two_threads")
def test_a_quoted_multi_line_cell_across_every_block_boundary(tmp_path: Path) -> None:
    """Cells holding line breaks (LF, CRLF, a lone CR, a quote) in every row: wherever the reader's block ends —
    before, inside or after such a cell — the rows and the report are those of one block."""
    header = [*HEADER, "note"]
    notes = ["dòng 1\ndòng 2", 'a\r\nb, "c"', "x\ry", '\n\n"\n', "một\nhai\nba"]
    rows = [{**r, "note": notes[i % len(notes)]} for i, r in enumerate(_damaged_rows(120, seed=3))]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", quoting=csv.QUOTE_ALL)  # a lone CR too
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "notes.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    whole = _run(path, tmp_path / "whole.csv", chunk_bytes=1 << 20)
    assert whole[0]["rows"] == 120
    for chunk_bytes in (97, 333, 1_000, 4_096):
        assert _run(path, tmp_path / f"{chunk_bytes}.csv", chunk_bytes=chunk_bytes) == whole, chunk_bytes


@pytest.mark.usefixtures("two_threads")
@pytest.mark.parametrize("rows", [0, 1, 255, 256, 257, 700])
def test_zero_one_and_exactly_one_piece_read_as_with_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """A header only (zero rows), one row, one row less / exactly / one more than the first piece (checked alone,
    before the threads start), and a few pieces: the same as one thread."""
    path = write_csv(tmp_path / "few.csv", _damaged_rows(rows, seed=rows))
    two = _run(path, tmp_path / "two.csv", chunk_bytes=4_096)
    monkeypatch.setattr(workers, "available_jobs", lambda: 1)
    assert _run(path, tmp_path / "one.csv", chunk_bytes=4_096) == two
    assert two[0]["rows"] == rows


@pytest.mark.usefixtures("two_threads")
def test_an_internal_error_in_a_piece_surfaces_once_in_input_order_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every piece after the first fails (a bug of ours, not a bad cell: those are findings) while the other thread
    checks the next one: the error of the earliest failing piece in input order is raised, whichever thread failed
    first; no checking thread is left; the report never appears and no temporary file is left beside it."""
    path = write_csv(tmp_path / "damaged.csv", _damaged_rows(2_000, seed=5))
    real = validate_chunk

    def failing(piece: Any, *args: Any, **kwargs: Any) -> Any:
        first = int(piece.rows[0]) if len(piece.rows) else 0
        if first != 1:  # the first piece (checked alone, before the threads start) passes
            raise RuntimeError(f"bug at the piece from row {first}")
        return real(piece, *args, **kwargs)

    monkeypatch.setattr(workers, "validate_chunk", failing)
    out = tmp_path / "out"
    out.mkdir()
    seen: set[str] = set()
    for _ in range(3):
        with pytest.raises(RuntimeError) as info:
            _run(path, out / "report.csv", chunk_bytes=9_000)
        seen.add(str(info.value))
        assert not [t for t in threading.enumerate() if t.name.startswith("tthc-check")]
        assert _leftovers(out) == []
    assert len(seen) == 1, seen  # the same (earliest) piece's error on every run


@pytest.mark.usefixtures("two_threads")
def test_ctrl_c_in_a_checking_thread_is_one_line_exit_2_and_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while two pieces are being checked: the command says it was interrupted in one line (exit 2), and
    neither the report nor the KPI file appears — complete or absent, never a truncated file that looks whole."""
    path = write_csv(tmp_path / "damaged.csv", _damaged_rows(2_000, seed=9))
    real = validate_chunk
    calls = []

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:  # pieces of 256, 512, 512 ... rows: the third is checked beside the second
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr("tthc.validation.chunk.CHECK_ROWS", 512)  # several pieces in this small file
    monkeypatch.setattr(workers, "validate_chunk", interrupted)
    monkeypatch.setattr(workers, "default_jobs", lambda: 1)
    monkeypatch.chdir(tmp_path)
    code = main(["--lang", "en", "validate", str(path), "--jobs", "1", "--report", "r.csv", "--kpi-json", "k.json"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(calls) >= 3
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == ["tthc: interrupted; no output was written"], err
    assert "Traceback" not in err
    assert _leftovers(tmp_path, "damaged.csv") == []


_TERM_MIDWAY = """
import os, signal, sys
from tthc.cli import main
from tthc.validation import run, workers
from tthc.validation.run import validate_files

real, parent = workers.validate_chunk, os.getpid()

def terminated(*args, **kwargs):
    try:  # the first piece checked (here or in a worker) sends one SIGTERM: kill PID, a CI timeout;
        # "twice": the second piece sends another, the run being stopped (an impatient user, a supervisor)
        os.close(os.open("sent" if sys.argv[1] != "twice" or not os.path.exists("sent") else "sent2",
                         os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        pass
    else:
        if sys.argv[1] == "group":  # systemd, docker stop: every process of the group at once
            os.killpg(0, signal.SIGTERM)
        else:
            os.kill(parent, signal.SIGTERM)
    return real(*args, **kwargs)

def small_pieces(*args, **kwargs):  # several stretches, so that --jobs 2 forks its workers
    return validate_files(*args, **{**kwargs, "chunk_bytes": 60_000})

workers.validate_chunk, run.validate_files = terminated, small_pieces
sys.exit(main(sys.argv[2:]))
"""


@linux_only
@pytest.mark.parametrize("to", ["command", "group", "twice"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_midway_is_one_line_exit_2_no_output_and_no_process_left(tmp_path: Path, jobs: str, to: str) -> None:
    """SIGTERM while the report is being written: as Ctrl-C — one line, exit 2, neither the outputs nor their
    temporary files left, and (``--jobs 2``) no worker process outliving the run. Python's default for SIGTERM
    ends the process on the spot: exit 143, ``.tmp`` files beside the outputs, forked workers orphaned. Sent to the
    command, to its whole process group (systemd, ``docker stop``), or twice (the second while the run is being
    stopped: waiting for the workers then left them waiting for tasks, and the command hanging as it exited)."""

    path = write_csv(tmp_path / "damaged.csv", _damaged_rows(3_000, seed=5))
    args = ["--lang", "en", "validate", str(path), "--jobs", jobs, "--report", "r.csv", "--kpi-json", "k.json"]
    ended = run_stopped(_TERM_MIDWAY, [to, *args], tmp_path)
    assert (ended.returncode, ended.lines) == (2, [STOPPED]), ended.stderr
    assert _leftovers(tmp_path, "damaged.csv", "sent", "sent2") == []
    assert not ended.left, "a worker process outlived the run"


_STOP_WHILE_A_RESULT_IS_SENT = """
import os, signal, struct, sys, time
from multiprocessing import connection
from tthc.catalog import portal_jobs
from tthc.cli import main
from tthc.validation import run
from tthc.validation.run import validate_files

parent = os.getpid()
real_send = connection.Connection._send_bytes
portal_jobs.RUN_BYTES, portal_jobs.POOL_MIN_BYTES = 20_000, 40_000  # several runs of records, forked workers

def half_sent(self, buf):
    # in a worker, its first result (a checked stretch, tens of kB): the length and half of the bytes are in the pipe
    # when the stop arrives -- as when a result larger than the pipe's 64 kB is being written and the parent's
    # reading thread waits for the rest; the pool then ends the worker (end_pool: terminate)
    if os.getpid() != parent and len(buf) > 4096:
        self._send(struct.pack("!i", len(buf)))
        self._send(bytes(buf[: len(buf) // 2]))
        os.kill(parent, signal.SIGTERM)
        time.sleep(120)
    return real_send(self, buf)

def small_pieces(*args, **kwargs):  # several stretches, so that --jobs 2 forks its workers
    return validate_files(*args, **{**kwargs, "chunk_bytes": 60_000})

connection.Connection._send_bytes = half_sent
run.validate_files = small_pieces
sys.exit(main(sys.argv[1:]))
"""


@linux_only
@pytest.mark.parametrize("command", ["validate", "import-portal"])
def test_a_stop_while_a_worker_writes_its_result_ends_the_run_instead_of_hanging_for_ever(
    tmp_path: Path, command: str
) -> None:
    """A run stopped while a worker process is writing a result to the pool's result pipe (a checked stretch is
    often larger than the pipe's 64 kB) hung for ever with its ``.tmp`` files beside the outputs (6 in 82 stops of
    ``validate x.parquet --jobs 2`` sent to the process group): the abandoned pool's workers were terminated, but
    the pool's own thread waited for the rest of the half-written result, and this process held the pipe's last
    write end, so it never saw the end of the file. ``import-portal`` shares the pool's end. Expected: exit 2, the one
    line, no output and no ``.tmp`` within seconds."""
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}", due_at="2025-03-18 17:00:00") for i in range(3_000)]
    write_csv(tmp_path / "d.csv", rows)  # every row with a finding: results of some size
    record = '{{"ma_thu_tuc": "1.{:06d}", "ten_thu_tuc": "{}", "cach_thuc_thuc_hien": "Trực tiếp 5 ngày làm việc"}}'
    lines = [record.format(i, "Cấp giấy phép " * 20) for i in range(1, 400)]
    (tmp_path / "e.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = ["--report", "r.csv", "--kpi-json", "k.json"] if command == "validate" else ["--out", "c.json"]
    source = "d.csv" if command == "validate" else "e.jsonl"
    args = ["--lang", "en", command, source, "--jobs", "2", *outputs]
    ended = run_stopped(_STOP_WHILE_A_RESULT_IS_SENT, args, tmp_path, timeout=30)
    assert (ended.returncode, ended.lines, ended.left) == (2, [STOPPED], False), ended.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "e.jsonl"]


@pytest.mark.parametrize("damaged", [False, True])
def test_pyarrow_has_let_go_of_every_python_object_of_a_block_when_its_reading_returns(
    monkeypatch: pytest.MonkeyPatch, damaged: bool
) -> None:
    """pyarrow's threaded CSV reader is destroyed in one of Arrow's threads, sometimes after ``read_csv`` has returned
    (about one read in ten, more when the block fails on a datetime cell that is not ISO 8601); dropping the file
    object and the bad-row callback it was given then takes the GIL. When that happens as the interpreter exits — a
    run stopped by SIGTERM or Ctrl-C ends right after its last block — Python 3.11 ends the Arrow thread inside C++
    code and the process aborts ("terminate called without an active exception", exit -6, seen in CI). A block's
    reading returns only once pyarrow holds none of them."""
    import pyarrow.csv as pacsv

    from tthc.records import csv_reader
    from tthc.records.model import ColumnMapping

    real = pacsv.read_csv
    held: list[int] = []
    reads: list[tuple[weakref.ref[Any], weakref.ref[Any]]] = []

    def watched(source: Any, **kwargs: Any) -> Any:
        reads.append((weakref.ref(source), weakref.ref(kwargs["parse_options"].invalid_row_handler)))
        try:
            return real(source, **kwargs)
        finally:  # an error's traceback holds this frame: it must not hold them either
            del source, kwargs

    monkeypatch.setattr(pacsv, "read_csv", watched)
    rows = [row(dossier_code=f"HS-{i:05d}", received_at="2025-03-03 08:00:00") for i in range(2_000)]
    if damaged:  # the first block fails on its first datetime cell and is read again with that column as text
        rows[0] = row(dossier_code="HS-BAD", received_at="03/03/2025")
    data = csv_text(rows).encode().split(b"\n", 1)[1]
    header = ColumnMapping.default().resolve(HEADER)
    for _ in range(150):
        assert csv_reader._parse_block_arrow(data, len(rows), header, ",", set()) is not None
        held.extend(n for n, refs in enumerate(reads) if any(ref() is not None for ref in refs))
        reads.clear()
    assert held == []


@linux_only
def test_a_handler_of_the_callers_own_for_sigterm_is_kept_and_restored() -> None:
    """A program embedding ``main()`` that handles SIGTERM itself keeps its handler during and after the run."""
    seen: list[object] = []

    def mine(signum: int, frame: object) -> None:  # pragma: no cover - never sent
        pass

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        assert main(["--version"]) == 0
        seen.append(signal.getsignal(signal.SIGTERM))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen == [mine]


@linux_only
def test_after_a_run_sigterm_is_back_to_pythons_default() -> None:
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert main(["--version"]) == 0
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


@linux_only
@pytest.mark.parametrize("how", ["kill", "exit"])
def test_a_worker_lost_mid_check_is_a_tthc_error_saying_to_use_fewer_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    """The out-of-memory killer takes a worker of ``--jobs 2``: the API raises a TthcError (not the pool's
    ``BrokenProcessPool``), the command says what happened and what to do in one line, exit 2 — not "internal error
    ... please report" — no output is written and no worker is left."""
    real = validate_chunk
    parent = os.getpid()

    def dying(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            if how == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    monkeypatch.setattr(workers, "validate_chunk", dying)
    path = write_csv(tmp_path / "damaged.csv", _damaged_rows(3_000, seed=2))
    with pytest.raises(WorkerLostError, match="fewer jobs than 2"):
        validate_files([path], CAT, EN, chunk_bytes=60_000, jobs=2)
    assert _children_left() == []
    run = validate_files
    monkeypatch.setattr("tthc.validation.run.validate_files", lambda *a, **k: run(*a, **{**k, "chunk_bytes": 60_000}))
    monkeypatch.chdir(tmp_path)
    code = main(["--lang", "en", "validate", str(path), "--jobs", "2", "--report", "r.csv"])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith("tthc: a worker process ended before its work was done"), lines
    assert "fewer jobs than 2" in lines[0]
    assert _leftovers(tmp_path, "damaged.csv") == []
    assert _children_left() == []


def test_commands_run_in_threads_leave_the_processs_settings_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program running commands in threads: the collector's thresholds and the SIGTERM handler are the
    process's, so only a command on the main thread changes them (two runs at once restored each other's saved
    threshold out of order, leaving it raised for good)."""
    import tthc.cli

    seen: list[tuple[tuple[int, int, int], object]] = []

    def record(argv: object) -> int:
        seen.append((gc.get_threshold(), signal.getsignal(signal.SIGTERM)))
        return 0

    monkeypatch.setattr(tthc.cli, "_main", record)
    before = (gc.get_threshold(), signal.getsignal(signal.SIGTERM))
    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(main, [["--version"]] * 4)) == [0] * 4
    assert seen == [before] * 4
    assert (gc.get_threshold(), signal.getsignal(signal.SIGTERM)) == before
    assert main(["--version"]) == 0  # on the main thread: both changed during the run, both put back
    assert seen[4][0][0] == max(before[0][0], tthc.cli.GC_FIRST_THRESHOLD)
    assert seen[4][1] != before[1]
    assert (gc.get_threshold(), signal.getsignal(signal.SIGTERM)) == before


# -- foundation.cores ------------------------------------------------------------------------------------------------


def test_without_sched_getaffinity_the_machines_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform (or a container's Python) without ``os.sched_getaffinity``: the machine's count; none known: 1."""
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert cores.usable_cores() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert cores.usable_cores() == 1


def test_an_affinity_that_cannot_be_read_or_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(pid: int) -> set[int]:
        raise OSError("sched_getaffinity refused")

    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    monkeypatch.setattr(os, "sched_getaffinity", refused, raising=False)
    assert cores.usable_cores() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(), raising=False)
    assert cores.usable_cores() == 1


def test_an_affinity_mask_narrower_than_the_machine_is_what_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """``taskset -c 5`` on a 64-core machine: one core, so one checking thread and one process by default."""
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {5}, raising=False)
    assert cores.usable_cores() == 1
    assert workers.default_jobs() == 1
    monkeypatch.setattr(cores, "can_fork", lambda: True)
    monkeypatch.setattr(portal_jobs, "can_fork", lambda: True)
    assert portal_jobs.usable_jobs() == 1


def _square(i: int) -> int:
    return i * i


class _Boom(Exception):
    pass


def _fails_at(k: int) -> Any:
    def fn(i: int) -> int:
        if i == k:
            raise _Boom(f"item {i}")
        return i * i

    return fn


def _taking(results: Iterator[int], into: list[int]) -> list[int]:
    """The results one by one into ``into`` (kept when the iterator raises midway); nothing left to add."""
    for r in results:
        into.append(r)
    return []


@pytest.mark.parametrize("ahead", [0, 1, 2, 5])
@pytest.mark.parametrize("k", [0, 4, 9])  # the first, a middle and the last item
def test_ordered_map_gives_the_results_before_a_failing_item_in_order_then_its_error(ahead: int, k: int) -> None:
    got: list[int] = []
    with ThreadPoolExecutor(2) as pool:
        with pytest.raises(_Boom, match=f"item {k}$"):
            got.extend(_taking(cores.ordered_map(pool, _fails_at(k), range(10), ahead), got))
        assert got == [i * i for i in range(k)]
        # the pool is the caller's and still works
        assert list(cores.ordered_map(pool, _square, range(3), ahead)) == [0, 1, 4]


def test_ordered_map_of_nothing_submits_nothing() -> None:
    class Refusing(ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("nothing to submit")

    with Refusing(1) as pool:
        assert list(cores.ordered_map(pool, _square, [], 3)) == []
        assert list(cores.ordered_map(pool, _square, iter(()), 0)) == []


def test_ordered_map_over_a_generator_that_raises_raises_its_error_once() -> None:
    def items() -> Iterator[int]:
        yield from range(5)
        raise _Boom("the reader failed")

    got: list[int] = []
    with ThreadPoolExecutor(2) as pool, pytest.raises(_Boom, match="the reader failed"):
        got.extend(_taking(cores.ordered_map(pool, _square, items(), 1), got))
    assert got == [i * i for i in range(len(got))]  # whatever came before, in order, none twice
    assert len(got) <= 5


# -- jobs: the Python API and the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [0, -1, -(2**70), 2.5, 2.0, True, False, "2", None])
def test_validate_files_refuses_a_jobs_that_is_not_a_whole_number_from_1(tmp_path: Path, jobs: object) -> None:
    path = write_csv(tmp_path / "r.csv", [row()])
    with pytest.raises(InvalidValueError) as info:
        validate_files([path], CAT, EN, jobs=jobs)  # type: ignore[arg-type]
    assert info.value.field == "jobs"


@pytest.mark.parametrize("command", ["validate", "kpi", "import-portal"])
@pytest.mark.parametrize("jobs", ["0", "-1", "2.5", "abc", "", "99999999999999999999"])
def test_a_bad_jobs_on_the_command_line_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, jobs: str
) -> None:
    path = write_csv(tmp_path / "r.csv", [row()]) if command != "import-portal" else tmp_path / "p.jsonl"
    if command == "import-portal":
        path.write_text('{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Thủ tục"}\n', encoding="utf-8")
    assert main(["--lang", "en", command, str(path), "--jobs", jobs]) == 2
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.strip()] == [err.strip()]
    assert "--jobs" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("jobs", [2, 64])
def test_where_fork_is_not_the_platforms_way_jobs_run_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A spawn-only platform (macOS, Windows) or a daemonic process: ``jobs`` > 1 starts no pool (a spawned worker
    would import everything again) and gives what one process gives."""
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no process pool where fork is not the way")

    path = write_csv(tmp_path / "damaged.csv", _damaged_rows(1_200, seed=8))
    one = _run(path, tmp_path / "one.csv", chunk_bytes=20_000)
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert _run(path, tmp_path / "many.csv", chunk_bytes=20_000, jobs=jobs) == one


# -- the catalog import over forked workers --------------------------------------------------------------------------


def _national(code: str) -> bytes:
    record = {"ma_thu_tuc": code, "ten_thu_tuc": "Cấp giấy phép", "cach_thuc_thuc_hien": "Trực tiếp 5 ngày làm việc"}
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


@pytest.fixture
def small_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Runs of ~300 bytes, a pool from 600 bytes on: 40 records over many runs and two workers."""
    monkeypatch.setattr(portal_jobs, "RUN_BYTES", 300)
    monkeypatch.setattr(portal_jobs, "POOL_MIN_BYTES", 600)
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"".join(_national(f"1.{i:06d}") for i in range(1, 41)))
    return path


def _children_left() -> list[Any]:
    return multiprocessing.active_children()  # (also reaps the ones that ended)


@linux_only
@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_worker_that_dies_mid_import_ends_the_import_with_nothing_left_running(
    small_runs: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A worker killed (the OOM killer, ``kill -9``) or exiting while parsing a run: the import stops with an error
    instead of hanging, no worker process is left, the collector is unfrozen."""
    import signal

    real = parse_record
    parent = os.getpid()  # (this process may parse runs too: it must not die)

    def dying(rec: Any) -> Any:
        if os.getpid() != parent:
            if how == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(rec)

    monkeypatch.setattr(portal_jobs, "parse_record", dying)
    frozen = gc.get_freeze_count()
    with pytest.raises(WorkerLostError, match="fewer jobs than 2"):  # not the pool's BrokenProcessPool
        import_portal_files([small_runs], jobs=2)
    assert gc.get_freeze_count() == frozen
    assert _children_left() == []


@linux_only
def test_a_parser_crash_in_a_worker_is_raised_as_in_one_process_and_unfreezes(
    small_runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the parser met by a worker reaches the caller as the same exception (not a hang, not a lost run)."""
    real = parse_record
    parent = os.getpid()

    def crashing(rec: Any) -> Any:
        if os.getpid() != parent and rec.row >= 4:  # the second run of 3 records, in a worker
            raise LookupError(f"a parser bug at row {rec.row}")
        return real(rec)

    monkeypatch.setattr(portal_jobs, "parse_record", crashing)
    frozen = gc.get_freeze_count()
    with pytest.raises(LookupError, match="a parser bug at row"):
        import_portal_files([small_runs], jobs=2)
    assert gc.get_freeze_count() == frozen
    assert _children_left() == []


def test_an_import_on_a_spawn_only_platform_runs_here(small_runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = import_portal_files([small_runs])
    pooled: list[object] = []
    monkeypatch.setattr(portal_jobs, "can_fork", lambda: False)
    monkeypatch.setattr(portal_jobs, "_pooled", lambda *a, **k: pooled.append(a))
    there = import_portal_files([small_runs], jobs=4)
    assert not pooled
    assert there.report.model_dump_json() == here.report.model_dump_json()


@linux_only
def test_a_file_missing_after_the_workers_started_unfreezes_and_leaves_no_worker(
    small_runs: Path, tmp_path: Path
) -> None:
    frozen = gc.get_freeze_count()
    with pytest.raises(DataFileError):
        import_portal_files([small_runs, tmp_path / "gone.jsonl"], jobs=2)
    assert gc.get_freeze_count() == frozen
    assert _children_left() == []


@linux_only
def test_an_import_from_a_thread_gives_what_it_gives_in_the_main_thread(small_runs: Path) -> None:
    """Called from a thread (a server's request), with workers: the same catalog and report, the collector as it
    was when it ends."""
    frozen = gc.get_freeze_count()
    here = import_portal_files([small_runs], jobs=2)
    got: list[Any] = []
    t = threading.Thread(target=lambda: got.append(import_portal_files([small_runs], jobs=2)))
    t.start()
    t.join(60)
    assert not t.is_alive()
    assert [p.code for p in got[0].catalog] == [p.code for p in here.catalog]
    assert got[0].report.model_dump_json() == here.report.model_dump_json()
    assert gc.get_freeze_count() == frozen
    assert _children_left() == []


# Found by the review and fixed (each failed before its fix) --------------------------------------------------------
def test_a_huge_jobs_on_the_python_api_never_asks_for_that_many_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate_files(jobs=100_000)``: a fork context starts every worker at once on the first task (Python 3.11),
    so the pool must be capped (as the import caps at ``MAX_JOBS`` and the CLI at ``MAX_LOCAL_WORKERS``)."""
    import concurrent.futures

    asked: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers: int | None = None, **kwargs: Any) -> None:
            asked.append(max_workers or 0)
            super().__init__(max_workers=2, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    path = write_csv(tmp_path / "r.csv", _damaged_rows(3_000, seed=1))
    validate_files([path], CAT, EN, chunk_bytes=50_000, jobs=100_000)
    from tthc.foundation.cores import MAX_JOBS

    assert asked
    assert max(asked) <= MAX_JOBS


@pytest.mark.parametrize("partition_bytes", [0, -5, 2.5, True])
def test_a_partition_size_that_is_not_a_whole_number_from_1_is_refused_not_a_hang(
    tmp_path: Path, partition_bytes: object
) -> None:
    from tthc.scale.partitions import plan_partitions

    path = write_csv(tmp_path / "r.csv", [row()] * 10)
    got: list[object] = []

    def plan() -> None:
        try:
            plan_partitions([path], partition_bytes=partition_bytes)  # type: ignore[arg-type]
        except Exception as exc:
            got.append(exc)
        else:
            got.append("returned")

    t = threading.Thread(target=plan, daemon=True)
    t.start()
    t.join(5)
    assert got, "plan_partitions did not return within 5 s"
    assert isinstance(got[0], InvalidValueError), got[0]
    assert got[0].field == "partition_bytes"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_worker_process_leaves_ctrl_c_to_the_parent_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in a terminal reaches the whole process group: a worker waiting for its next task printed
    ``Process ForkProcess-1: Traceback ... KeyboardInterrupt`` (20+ lines) before the parent's one line (seen in 1 of
    4-5 interrupted ``tthc validate --jobs 2`` runs). A worker must ignore SIGINT: the parent ends the run and the
    pool."""

    def report_disposition(piece: Any, *args: Any, **kwargs: Any) -> Any:
        raise LookupError(f"SIGINT in a worker: {signal.getsignal(signal.SIGINT)!r}")

    monkeypatch.setattr(workers, "validate_chunk", report_disposition)
    path = write_csv(tmp_path / "r.csv", _damaged_rows(3_000, seed=1))
    with pytest.raises(LookupError) as info:
        validate_files([path], CAT, EN, chunk_bytes=50_000, jobs=2)
    assert "SIG_IGN" in str(info.value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_worker_process_leaves_ctrl_c_to_the_parent_import(small_runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tthc.catalog import portal_jobs
    from tthc.catalog.collection import import_portal_files

    real = getattr(portal_jobs, "parse_record")  # noqa: B009 - a name the module uses, not one it exports
    parent = os.getpid()

    def report_disposition(rec: Any) -> Any:
        if os.getpid() == parent:  # this process may parse runs too
            return real(rec)
        raise LookupError(f"SIGINT in a worker: {signal.getsignal(signal.SIGINT)!r}")

    monkeypatch.setattr(portal_jobs, "parse_record", report_disposition)
    with pytest.raises(LookupError) as info:
        import_portal_files([small_runs], jobs=2)
    assert "SIG_IGN" in str(info.value)


def test_an_in_process_local_cluster_leaves_the_callers_collector_as_it_was() -> None:
    """``local_client(processes=False)`` runs its workers as threads of the caller's process: ``_warm_worker``'s
    ``gc.freeze()`` then froze the caller's whole heap for good (328,085 objects in a pytest session, after
    tests/hostile/test_fast_paths.py's in-process cluster) — never collected, and every later catalog import skips
    its own freeze. Freeze only in worker processes (``client.run(_warm_worker if processes else _warm)``)."""
    import gc

    pytest.importorskip("distributed")
    from tthc.scale import dask as tthc_dask

    before = gc.get_freeze_count()
    try:
        with tthc_dask.local_client(1, processes=False):
            pass
        assert gc.get_freeze_count() == before
    finally:
        if not before:
            gc.unfreeze()
