"""``validate_files(jobs=N)``: stretches of a file (CSV blocks, Parquet row groups) read and checked in worker
processes give the same report, summary and KPIs as one process — findings in the same order, duplicates across
stretches, malformed lines, unreadable cells, a worker asked again for the rest of a long stretch."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import random
import sys
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import KpiOptions, compute_kpis
from tthc.records.readers import open_records
from tthc.records.sample import sample_path
from tthc.validation import chunk, workers
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, validate_files
from tthc.validation.workers import available_jobs

pa = pytest.importorskip("pyarrow")
pacsv = pytest.importorskip("pyarrow.csv")
pq = pytest.importorskip("pyarrow.parquet")
pc = pytest.importorskip("pyarrow.compute")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes are forked on Linux")

CAT = Catalog.sample()


def _mixed_csv(path: Path, rows: int = 2_400, seed: int = 7) -> Path:
    """Sample rows with damage: repeated dossier codes (near and far), malformed lines, bad dates and numbers,
    blank lines, an unknown procedure — about one row in six has a finding."""
    rng = random.Random(seed)
    header, *lines = sample_path().read_text(encoding="utf-8").splitlines()
    out = [header]
    for i in range(rows):
        cells = lines[i % len(lines)].split(",")
        roll = rng.random()
        if roll < 0.03:
            cells[0] = lines[rng.randrange(len(lines))].split(",")[0]  # a repeat, often far away
        elif roll < 0.05:
            out.append("a,b,c")  # a malformed line
            continue
        elif roll < 0.07:
            cells[5] = "31/02/2024 25:00"
        elif roll < 0.09:
            cells[15] = "-12"
        elif roll < 0.10:
            out.append("")
            continue
        elif roll < 0.12:
            cells[1] = "9.999999"
        elif roll < 0.13:
            cells[6] = "2030-01-01 08:00:00"
        out.append(",".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _parquet(csv_path: Path, typed: bool, group_rows: int) -> Path:
    header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
    types = dict.fromkeys(header, pa.string())
    table = pacsv.read_csv(
        csv_path,
        parse_options=pacsv.ParseOptions(invalid_row_handler=lambda row: "skip"),
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
    )
    if typed:
        for name in ("received_at", "finished_at"):
            i = table.schema.get_field_index(name)
            table = table.set_column(i, name, pc.strptime(table[name], "%Y-%m-%d %H:%M:%S", "s", True))
    out = csv_path.with_name(f"{csv_path.stem}-{'typed' if typed else 'text'}.parquet")
    pq.write_table(table, out, row_group_size=group_rows)
    return out


def _run(path: Path, jobs: int, report: Path, **kw: object) -> tuple[dict[str, object], bytes, object]:
    with FindingWriter(report) as writer:
        summary = validate_files([path], CAT, ValidationOptions(lang="en"), report=writer, jobs=jobs, **kw)  # type: ignore[arg-type]
    return summary.to_dict(), report.read_bytes(), compute_kpis(summary.kpi, CAT, KpiOptions(by="agency"))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("jobs")
    csv_path = _mixed_csv(folder / "mixed.csv")
    return {
        "csv": csv_path,
        "parquet-text": _parquet(csv_path, typed=False, group_rows=300),
        "parquet-typed": _parquet(csv_path, typed=True, group_rows=300),
    }


@pytest.mark.parametrize("kind", ["csv", "parquet-text", "parquet-typed"])
def test_the_same_results_whatever_the_number_of_jobs(files: dict[str, Path], tmp_path: Path, kind: str) -> None:
    path = files[kind]
    stream = open_records(path, chunk_bytes=20_000)
    tasks = stream.tasks()
    assert tasks is not None
    assert len(list(tasks)) > 4  # several stretches: the workers do get work
    one = _run(path, 1, tmp_path / "one.csv", chunk_bytes=20_000)
    two = _run(path, 2, tmp_path / "two.csv", chunk_bytes=20_000)
    codes = {c["code"] for c in one[0]["by_code"]}  # type: ignore[attr-defined]
    assert "E_DUPLICATE_DOSSIER" in codes
    assert "E_TYPE" in codes
    assert kind != "csv" or "E_SCHEMA" in codes  # the malformed lines
    assert one == two
    assert _run(path, 3, tmp_path / "three.csv", chunk_bytes=20_000) == one


def test_a_worker_hands_back_a_long_stretch_in_parts(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few rows or findings per hand-back: every stretch is asked for several times, resuming where it stopped."""
    from tthc.validation.context import ValidationContext

    path = files["csv"]
    one = _run(path, 1, tmp_path / "one.csv")
    monkeypatch.setattr(workers, "TASK_ROWS", 150)
    monkeypatch.setattr(workers, "TASK_FINDINGS", 40)
    monkeypatch.setattr(chunk, "CHECK_ROWS", 128)  # pieces of this small file as small as in a large one
    assert _run(path, 2, tmp_path / "two.csv", chunk_bytes=60_000) == one  # the workers inherit the budgets
    # what a worker does, here: the parts of one stretch, resumed, are the pieces of the whole (started in this
    # process, the worker's set-up must leave it as it was: Ctrl-C still works, Arrow's threads, no worker state)
    import pyarrow as pa

    monkeypatch.setattr(workers, "leave_interrupts_to_parent", lambda: None)
    monkeypatch.setattr(workers, "_WORKER", None)
    monkeypatch.setattr(pa, "set_cpu_count", lambda n: None)
    workers._start_worker(CAT, ValidationContext.build(CAT, ValidationOptions(lang="en")), 1)
    task = next(iter(open_records(path, chunk_bytes=1 << 20).tasks() or ()))  # the whole file: one stretch
    parts, resume, resumes = [], (0, 0), 0
    while True:
        done, again, _ = workers._check_task(task, resume)
        parts += done
        if again is None:
            break
        assert again != resume
        resume, resumes = again, resumes + 1
    assert resumes >= 2
    monkeypatch.setattr(workers, "TASK_ROWS", 10**9)
    monkeypatch.setattr(workers, "TASK_FINDINGS", 10**9)
    whole, again, _ = workers._check_task(task, (0, 0))
    assert again is None
    assert [f for _, r, _ in parts for f in r.findings] == [f for _, r, _ in whole for f in r.findings]
    assert [int(x) for _, r, _ in parts for x in r.rows] == [int(x) for _, r, _ in whole for x in r.rows]
    assert sum(r.blank_lines for _, r, _ in parts) == sum(r.blank_lines for _, r, _ in whole) > 0


def test_one_stretch_is_checked_here(files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of one block or row group starts no worker."""

    def refuse(*a: object, **k: object) -> object:
        raise AssertionError("no worker for one stretch")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)  # imported by the pool's first start
    one = _run(files["csv"], 1, tmp_path / "one.csv")
    assert _run(files["csv"], 2, tmp_path / "two.csv") == one


def test_jobs_is_checked() -> None:
    with pytest.raises(Exception, match="jobs"):
        validate_files([sample_path()], CAT, jobs=0)
    assert available_jobs() >= 1


@pytest.mark.parametrize("kind", ["csv", "parquet-typed"])
def test_threads_check_pieces_at_once_with_the_same_results(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """One process, several threads checking pieces at once: the same report, summary and KPIs as one thread."""
    import threading

    monkeypatch.setattr(workers, "available_jobs", lambda: 4)  # threads even on a one-core machine
    monkeypatch.setattr(workers, "CHECK_THREADS", 1)
    one = _run(files[kind], 1, tmp_path / "one.csv", chunk_bytes=20_000)
    from tthc.validation.chunk import validate_chunk as check

    seen: set[str] = set()

    def spy(*a: object, **k: object) -> object:
        seen.add(threading.current_thread().name)
        return check(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "validate_chunk", spy)
    for threads in (2, 3):
        monkeypatch.setattr(workers, "CHECK_THREADS", threads)
        assert _run(files[kind], 1, tmp_path / f"{threads}.csv", chunk_bytes=20_000) == one
    assert any(name.startswith("tthc-check") for name in seen)  # the pieces did go to the checking threads


def test_a_run_stopped_early_leaves_no_checking_or_reader_thread_and_no_open_file(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    monkeypatch.setattr(workers, "available_jobs", lambda: 2)
    calls = []

    def stop(result: object) -> None:
        calls.append(result)
        if len(calls) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        validate_files([files["csv"]], CAT, ValidationOptions(lang="en"), chunk_bytes=20_000, on_chunk=stop)
    assert not [t for t in threading.enumerate() if t.name.startswith("tthc-check")]
    # nor the read-ahead thread, which was left blocked on its full queue holding the input open
    assert not [t for t in threading.enumerate() if t.name == "tthc-reader"]
    fds = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # an fd closed meanwhile
            fds.append(os.readlink(f"/proc/self/fd/{fd}"))
    assert str(files["csv"]) not in fds


@pytest.mark.parametrize(("cores", "jobs"), [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (8, 4)])
def test_the_cli_default_is_one_process_per_two_cores(monkeypatch: pytest.MonkeyPatch, cores: int, jobs: int) -> None:
    """One process already keeps two cores busy (its checking threads, pyarrow's reader): on two cores one process
    beat two worker processes (1.50 s against 2.28 s for 1M rows, docs/performance.md), so a worker per two cores."""
    monkeypatch.setattr(workers, "available_jobs", lambda: cores)
    assert workers.default_jobs() == jobs
