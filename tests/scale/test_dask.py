"""Validation and KPIs on a real local Dask cluster (2 worker processes) equal the single-machine run, error report
included; a corrupt partition is reported with its file and range and every row is still accounted for."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import KpiOptions, KpiPartial, compute_kpis
from tthc.records.sample import sample_path
from tthc.testing.record_files import row, write_csv
from tthc.validation.duplicates import duplicate_message
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

dd = pytest.importorskip("dask.dataframe", reason="the 'distributed' extra (dask, distributed) is not installed")
distributed = pytest.importorskip("distributed", reason="the 'distributed' extra is not installed")
pa = pytest.importorskip("pyarrow", reason="the 'data' extra (pyarrow) is not installed")

from tthc.scale import dask as tthc_dask  # noqa: E402
from tthc.scale.partitions import UNREADABLE_RANGE, plan_partitions, validate_partitions_locally  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with tthc_dask.local_client(2, processes=True) as c:
        yield c


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.sample()


def _unknown_procedure(line: str) -> str:
    cells = line.split(",")
    cells[1] = "9.999999"
    return ",".join(cells)


def _bad_rows(lines: list[str]) -> list[str]:
    """The sample with mistakes on purpose: a malformed line, a blank line, an unknown procedure, a wrong due date,
    a repeated dossier code, undecodable bytes."""
    out = list(lines)
    out.insert(40, "garbage,line\n")
    out.insert(90, "\n")
    out[150] = _unknown_procedure(out[150])
    cells = out[300].split(",")
    cells[6] = "2020-01-01 08:00:00"
    out[300] = ",".join(cells)
    out.append(lines[7])
    return out


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four files from the project's sample generator: three CSV (one with mistakes, one with a code repeated from
    another file) and one Parquet file with several row groups."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("dask-data")
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    third = len(body) // 3
    (root / "part-1.csv").write_text(header + "".join(_bad_rows(body[:third])), encoding="utf-8")
    raw = (header + "".join(body[third : 2 * third]) + body[3]).encode("utf-8")
    (root / "part-2.csv").write_bytes(raw[: len(raw) // 2] + b"\xff\xfe broken,\n" + raw[len(raw) // 2 :])
    (root / "part-3.csv").write_text(header + "".join(body[2 * third :]), encoding="utf-8")
    tmp = root / "source.tmp"
    tmp.write_text(header + "".join(body[:500]), encoding="utf-8")
    names = header.strip().split(",")
    table = pacsv.read_csv(tmp, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())))
    pq.write_table(table, root / "part-4.parquet", row_group_size=120)
    tmp.unlink()
    return sorted(root.glob("part-*"))


def _kpi_table(partial: KpiPartial) -> dict[str, dict[tuple[str, str, str], tuple[int, ...]]]:
    return {
        name: {k: tuple(int(x) for x in v) for k, v in getattr(partial, name).items()}
        for name in ("reception", "judged_pause", "judged_restart")
    }


def _assert_same(a: ValidationSummary, b: ValidationSummary, catalog: Catalog) -> None:
    assert a.to_dict() == b.to_dict()
    assert a.examples == b.examples
    assert _kpi_table(a.kpi) == _kpi_table(b.kpi)
    assert a.kpi.unkeyed == b.kpi.unkeyed
    for by in ("agency", "procedure", "month", "total"):
        opts = KpiOptions(by=by)
        assert compute_kpis(a.kpi, catalog, opts) == compute_kpis(b.kpi, catalog, opts)


def test_cluster_equals_single_machine_including_the_error_report(
    client: Any, catalog: Catalog, dataset: list[Path], tmp_path: Path
) -> None:
    with FindingWriter(tmp_path / "single.csv") as w:
        single = validate_files(dataset, catalog, report=w)
    with FindingWriter(tmp_path / "dask.csv") as w:
        spread = tthc_dask.validate_files(
            str(dataset[0].parent / "part-*"), catalog, client=client, report=w, partition_bytes=60_000
        )
    assert len(plan_partitions(dataset, partition_bytes=60_000)[1]) > len(dataset)  # files really were cut
    _assert_same(single, spread, catalog)
    report = (tmp_path / "dask.csv").read_text(encoding="utf-8")
    assert report == (tmp_path / "single.csv").read_text(encoding="utf-8")
    # the mistakes are there, with rows of the original files (not partition offsets)
    for code in ("E_SCHEMA", "E_UNKNOWN_PROCEDURE", "E_DUE_MISMATCH", "E_DUPLICATE_DOSSIER", "E_ENCODING"):
        assert spread.by_code.get(code), code
    assert spread.rows == spread.valid_rows + spread.invalid_rows


def test_a_run_takes_few_tasks_per_partition(client: Any, catalog: Catalog, dataset: list[Path]) -> None:
    """Each task costs the scheduler and both workers' event loops CPU taken from the partitions' cores: per
    partition its own task, its result for the client and one task per worker picking its keys there (there were
    two per worker: a pick, then a move; and a meta per partition, with a layout of them all, until the buckets'
    tasks no longer needed the row offsets); per run, the buckets' tasks and the memory release per worker."""
    workers = len(client.nthreads())
    parts = len(plan_partitions(dataset, partition_bytes=60_000, threads=workers)[1])
    buckets = tthc_dask._buckets(client, parts)
    with distributed.get_task_stream(client) as stream:
        tthc_dask.validate_files(dataset, catalog, client=client, partition_bytes=60_000)
    tasks = {str(rec["key"]) for rec in stream.data}
    assert parts > 2 * len(dataset)  # files really were cut
    assert sum(k.startswith("tthc-validate") for k in tasks) == parts
    assert len(tasks) <= parts * (2 + workers) + buckets + workers


def test_the_workers_of_a_local_cluster_freeze_their_start_up_objects(client: Any) -> None:
    """Full collections in a worker then skip the imported modules (about 120,000 objects in a fresh worker)."""
    import gc

    assert all(n > 10_000 for n in client.run(gc.get_freeze_count).values())


def test_a_record_spanning_lines_is_read_whole_on_a_cluster(client: Any, catalog: Catalog, tmp_path: Path) -> None:
    """A quoted field holding line breaks, in the middle of a file cut in many partitions: the partition that meets
    it says its cuts cannot be trusted, the rest of the file is read again as one partition — the single-machine
    report, and a plain file after it still cut and read as usual."""
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    cells = body[600].rstrip("\n").split(",")
    cells[10] = f'"{cells[10]}\nsee the note, page 2"'
    body[600] = ",".join(cells) + "\n"
    (tmp_path / "a.csv").write_text(header + "".join(body[:1500]), encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "".join(body[1500:3000]) + body[10], encoding="utf-8")
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    with FindingWriter(tmp_path / "single.csv") as w:
        single = validate_files(files, catalog, report=w)
    with FindingWriter(tmp_path / "dask.csv") as w:
        spread = tthc_dask.validate_files(files, catalog, client=client, report=w, partition_bytes=20_000)
    _assert_same(single, spread, catalog)
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == (tmp_path / "single.csv").read_text(encoding="utf-8")
    assert "E_SCHEMA" not in spread.by_code  # the record was read as one
    assert spread.by_code["E_DUPLICATE_DOSSIER"] == 1  # and the duplicate check saw the re-read partition


def test_records_spanning_lines_in_two_files_are_read_whole_as_results_come_in(
    client: Any, catalog: Catalog, tmp_path: Path
) -> None:
    """The client folds the results in as they come and learns only then that a partition's cuts cannot be
    trusted: with such a record in each of two files, the rest of each file is read again (planned anew when the
    first is met, from what every partition not yet folded in says), the duplicates' tasks are redone for the new
    plan, and the report is the single machine's; the progress reaches the whole input, never going back."""
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]

    def spanning(line: str) -> str:
        cells = line.rstrip("\n").split(",")
        cells[10] = f'"{cells[10]}\nsee the note, page 2"'
        return ",".join(cells) + "\n"

    a = [*body[:900], spanning(body[900]), *body[901:1500]]
    b = [*body[1500:2700], spanning(body[2700]), *body[2701:3000], body[10], body[1600]]
    (tmp_path / "a.csv").write_text(header + "".join(a), encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "".join(b), encoding="utf-8")
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    with FindingWriter(tmp_path / "single.csv") as w:
        single = validate_files(files, catalog, report=w)
    seen: list[tuple[int, int]] = []
    with FindingWriter(tmp_path / "dask.csv") as w:
        spread = tthc_dask.validate_files(
            files, catalog, client=client, report=w, partition_bytes=15_000,
            progress=lambda done, total, _rows: seen.append((done, total)),
        )  # fmt: skip
    _assert_same(single, spread, catalog)
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == (tmp_path / "single.csv").read_text(encoding="utf-8")
    assert "E_SCHEMA" not in spread.by_code
    assert spread.by_code["E_DUPLICATE_DOSSIER"] == 2  # one across the files, one within b (a re-read part)
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert done[-1] == seen[-1][1] == sum(f.stat().st_size for f in files)


def test_day_first_dates_and_runs_one_after_another_on_a_cluster_match_one_machine(
    client: Any, catalog: Catalog, tmp_path: Path
) -> None:
    """Each worker keeps, per run, the piece size and what the CSV reader learned (day-first date columns are read
    as text): the half of each file with ISO 8601 dates and the half with day-first dates, in either order, give the
    single-machine results, run after run on the same cluster (each run its own state)."""
    import re

    from tthc.validation.context import ValidationOptions

    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:1201]

    def day_first(line: str) -> str:
        return re.sub(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}):\d{2}", r"\3/\2/\1 \4", line)

    (tmp_path / "a.csv").write_text(header + "".join([*body[:600], *map(day_first, body[600:])]), encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "".join([*map(day_first, body[:600]), *body[600:]]), encoding="utf-8")
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for opts in (ValidationOptions(), ValidationOptions(due_check="instant")):
        with FindingWriter(tmp_path / "single.csv") as w:
            single = validate_files(files, catalog, opts, report=w)
        with FindingWriter(tmp_path / "dask.csv") as w:
            spread = tthc_dask.validate_files(files, catalog, opts, client=client, report=w, partition_bytes=20_000)
        _assert_same(single, spread, catalog)
        assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == (tmp_path / "single.csv").read_text("utf-8")
        assert spread.by_code["E_DUPLICATE_DOSSIER"] == 1200  # b repeats every code of a


def test_row_numbers_refer_to_the_file_not_the_partition(client: Any, catalog: Catalog, tmp_path: Path) -> None:
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines[1:]
    body[2000] = _unknown_procedure(body[2000])  # data row 2001, far into a later partition
    path = tmp_path / "one.csv"
    path.write_text(lines[0] + "".join(body), encoding="utf-8")
    summary = tthc_dask.validate_files(path, catalog, client=client, partition_bytes=20_000)
    (finding,) = summary.examples["E_UNKNOWN_PROCEDURE"]
    assert (finding.file, finding.row) == (str(path), 2001)


def test_duplicates_across_files_name_the_first_file(client: Any, catalog: Catalog, tmp_path: Path) -> None:
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("".join(lines[:200]), encoding="utf-8")
    b.write_text(lines[0] + lines[150], encoding="utf-8")
    summary = tthc_dask.validate_files([a, b], catalog, client=client, partition_bytes=10_000)
    (dup,) = summary.examples["E_DUPLICATE_DOSSIER"]
    assert (dup.file, dup.row) == (str(b), 1)
    assert dup.message.endswith(f"already on row 150 of {a}")


def test_a_corrupt_row_group_is_reported_and_the_rest_validated(
    client: Any, catalog: Catalog, dataset: list[Path], tmp_path: Path
) -> None:
    """A corrupt Parquet page: the rows of its row group are reported (row by row, with the group and its row range)
    and every other row is validated — on one machine and on the cluster alike."""
    import pyarrow.parquet as pq

    good = [p for p in dataset if p.suffix == ".csv"]
    parquet = next(p for p in dataset if p.suffix == ".parquet")
    _, parts = plan_partitions([parquet], partition_bytes=1)
    damaged = parts[1]
    data = bytearray(parquet.read_bytes())
    data[damaged.start + 8 : damaged.end - 8] = b"\xff" * (damaged.end - damaged.start - 16)
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(bytes(data))
    with FindingWriter(tmp_path / "single.csv") as w:
        single = validate_files([*good, corrupt], catalog, report=w)
    with FindingWriter(tmp_path / "dask.csv") as w:
        spread = tthc_dask.validate_files([*good, corrupt], catalog, client=client, partition_bytes=5_000, report=w)
    _assert_same(single, spread, catalog)
    assert (tmp_path / "single.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    meta = pq.ParquetFile(parquet).metadata
    group_rows = meta.row_group(1).num_rows
    first = meta.row_group(0).num_rows + 1
    failure = spread.examples[UNREADABLE_RANGE][0]
    assert (failure.file, failure.row) == (str(corrupt), first)
    assert f"row group 2 (rows {first}-{first + group_rows - 1} of the file)" in failure.message
    assert spread.by_code[UNREADABLE_RANGE] == group_rows
    # every row accounted for: the good files as on one machine, the corrupt file's rows all counted
    alone = validate_files(good, catalog)
    assert spread.rows == alone.rows + meta.num_rows
    assert spread.rows == spread.valid_rows + spread.invalid_rows
    assert spread.invalid_rows >= alone.invalid_rows + group_rows
    # the other row groups of the corrupt file were validated: their rows repeat codes of part-1.csv
    dups = spread.by_code["E_DUPLICATE_DOSSIER"] - alone.by_code["E_DUPLICATE_DOSSIER"]
    assert dups == meta.num_rows - group_rows
    assert spread.to_dict() == validate_partitions_locally([*good, corrupt], catalog, partition_bytes=5_000).to_dict()


def test_a_partition_that_cannot_be_read_is_reported_whole(catalog: Catalog, tmp_path: Path) -> None:
    """Should a reader still fail on a partition, the partition is not dropped: its range is one finding and all its
    lines are counted invalid."""
    from tthc.scale.combine import Combiner
    from tthc.scale.partitions import PartitionResult, row_offsets, validate_partition

    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "r.csv"
    path.write_text("".join(lines[:301]), encoding="utf-8")
    infos, parts = plan_partitions([path], partition_bytes=10_000)
    results = [validate_partition(p, catalog)[0] for p in parts]
    broken = PartitionResult(parts[1], results[1].lines, error="OSError: disk on fire")
    results[1] = broken
    combiner = Combiner(infos)
    for result, offset in zip(results, row_offsets(parts, [r.lines for r in results]), strict=True):
        combiner.add(result, offset)
    s = combiner.summary()
    assert (s.rows, s.rows - s.valid_rows) == (300, broken.lines)
    (finding,) = s.examples[UNREADABLE_RANGE]
    assert finding.message.endswith("OSError: disk on fire")
    assert f"bytes {parts[1].start}..{parts[1].end}" in finding.message


def test_a_dask_dataframe_is_validated_partition_by_partition(
    client: Any, catalog: Catalog, dataset: list[Path]
) -> None:
    path = dataset[-2]  # part-3.csv, clean
    frame = dd.read_csv(str(path), dtype=str, blocksize=40_000)
    assert frame.npartitions > 1
    spread = tthc_dask.validate_dataframe(frame, catalog, client=client)
    single = validate_files([path], catalog)
    assert (spread.rows, spread.valid_rows, spread.by_code) == (single.rows, single.valid_rows, single.by_code)
    assert _kpi_table(spread.kpi) == _kpi_table(single.kpi)


def test_a_repeat_across_the_partitions_of_a_dask_dataframe_names_its_first_row(
    client: Any, catalog: Catalog, tmp_path: Path
) -> None:
    """The frame's partitions are learned from their results as they come: a code repeated three partitions later
    is reported at its row of the frame, naming the row of its first occurrence, as one machine reports it."""
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "frame.csv"
    path.write_text(lines[0] + "".join(lines[1:1200]) + lines[5], encoding="utf-8")
    frame = dd.read_csv(str(path), dtype=str, blocksize=40_000)
    assert frame.npartitions > 3
    spread = tthc_dask.validate_dataframe(frame, catalog, client=client, label=str(path))
    single = validate_files([path], catalog)
    assert (spread.rows, spread.valid_rows, spread.by_code) == (single.rows, single.valid_rows, single.by_code)
    (got,) = spread.examples["E_DUPLICATE_DOSSIER"]
    (want,) = single.examples["E_DUPLICATE_DOSSIER"]
    assert (got.file, got.row, got.message, got.value) == (want.file, want.row, want.message, want.value)
    assert got.row == 1200
    assert got.message == duplicate_message(got.value, 5, None)  # the first occurrence: row 5 of the same input


def test_a_glob_that_matches_nothing_is_a_clear_error(client: Any, catalog: Catalog) -> None:
    from tthc.errors import DataFileError

    with pytest.raises(DataFileError, match="no record file matches"):
        tthc_dask.validate_files("/nonexistent/*.csv", catalog, client=client)


def test_importing_tthc_and_the_cli_does_not_import_dask() -> None:
    code = (
        "import sys, tthc, tthc.cli, tthc.scale.partitions, tthc.cli.validate, tthc.cli.kpi; "
        "print(any(m == 'dask' or m.startswith(('dask.', 'distributed')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_tthc_dask_does_not_shadow_the_dask_package() -> None:
    """``import dask`` inside tthc is the real package, not :mod:`tthc.scale.dask` (whatever the checkout is called)."""
    import dask

    import tthc

    package = Path(tthc.__file__).resolve().parent
    assert not Path(dask.__file__ or "").resolve().is_relative_to(package)
    assert hasattr(dask, "delayed")


def test_cli_validate_and_kpi_on_an_existing_cluster_match_one_machine(
    client: Any, dataset: list[Path], tmp_path: Path
) -> None:
    import json

    from click.testing import CliRunner

    from tthc.cli._app import group

    pattern = str(dataset[0].parent / "part-*.csv")
    address = client.scheduler.address
    runner = CliRunner()
    one = runner.invoke(
        group, ["validate", pattern, "--json", "--report", str(tmp_path / "one.csv")], standalone_mode=False
    )
    many = runner.invoke(
        group,
        ["validate", pattern, "--json", "--scheduler", address, "--report", str(tmp_path / "many.csv")],
        standalone_mode=False,
    )
    assert one.return_value == many.return_value == 1  # the dataset has mistakes on purpose
    drop = {"report"}
    assert {k: v for k, v in json.loads(one.output).items() if k not in drop} == {
        k: v for k, v in json.loads(many.output).items() if k not in drop
    }
    assert (tmp_path / "one.csv").read_text(encoding="utf-8") == (tmp_path / "many.csv").read_text(encoding="utf-8")
    k_one = runner.invoke(group, ["kpi", pattern, "--json", "--by", "month"], standalone_mode=False)
    k_many = runner.invoke(
        group, ["kpi", pattern, "--json", "--by", "month", "--scheduler", address], standalone_mode=False
    )
    assert k_one.return_value == k_many.return_value == 1
    assert json.loads(k_one.output) == json.loads(k_many.output)


def test_cli_one_pass_on_a_cluster_writes_findings_and_kpis(client: Any, dataset: list[Path], tmp_path: Path) -> None:
    """``tthc validate --kpi-json`` on a cluster: the findings and the KPIs of one machine, from one read."""
    import json

    from click.testing import CliRunner

    from tthc.cli._app import group

    pattern = str(dataset[0].parent / "part-*.csv")
    runner = CliRunner()
    many = runner.invoke(
        group,
        ["validate", pattern, "--scheduler", client.scheduler.address, "--report", str(tmp_path / "many.csv"),
         "--kpi-json", str(tmp_path / "k.json")],
        standalone_mode=False,
    )  # fmt: skip
    assert many.return_value == 1
    one = runner.invoke(group, ["kpi", pattern, "--json", "--report", str(tmp_path / "one.csv")], standalone_mode=False)
    assert json.loads((tmp_path / "k.json").read_text(encoding="utf-8")) == json.loads(one.output)
    assert (tmp_path / "many.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_cli_refuses_scheduler_and_workers_together(dataset: list[Path]) -> None:
    from tthc.cli import main

    assert main(["validate", str(dataset[0]), "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"]) == 2


def test_cli_glob_without_dask_reads_every_match(dataset: list[Path]) -> None:
    from click.testing import CliRunner

    from tthc.cli._app import group

    result = CliRunner().invoke(group, ["validate", str(dataset[0].parent / "part-*.csv"), "--json"])
    import json

    assert [f["file"] for f in json.loads(result.output)["files"]] == [str(p) for p in dataset if p.suffix == ".csv"]


_STOP_WHILE_THE_CLUSTER_STARTS = """
import os, signal, sys
from distributed import Nanny
from tthc.cli import main

real, parent = Nanny.start_unsafe, os.getpid()

async def stopped_while_starting(self):
    # the stop arrives while the local cluster's workers are starting (the first seconds of every --workers run)
    if os.getpid() == parent and not os.path.exists("sent"):
        open("sent", "w").close()
        os.kill(parent, signal.SIGTERM)
    return await real(self)

Nanny.start_unsafe = stopped_while_starting
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals as on Linux")
def test_a_stop_while_the_local_dask_cluster_starts_is_one_line_not_a_traceback_at_exit(tmp_path: Path) -> None:
    """``tthc validate x.csv --workers 2`` stopped (SIGTERM or Ctrl-C) while its local cluster starts: after the
    right line, distributed's exit hook printed a 25-line traceback (``AssertionError: Status.init``) — the cluster,
    interrupted in its constructor, was never handed back, so never closed. Expected: the one line, exit 2, nothing
    at exit."""
    path = write_csv(tmp_path / "d.csv", [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 400)])
    english = {k: v for k, v in os.environ.items() if k != "TTHC_LANG"}
    proc = subprocess.run(
        [sys.executable, "-c", _STOP_WHILE_THE_CLUSTER_STARTS, "--lang", "en", "validate", str(path), "--workers", "2",
         "--report", "r.csv"],
        cwd=tmp_path, env=english, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (tmp_path / "sent").exists()
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert (proc.returncode, lines) == (2, ["tthc: interrupted; no output was written"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "sent"]


def test_a_local_cluster_started_while_port_8787_is_taken_says_nothing_about_it() -> None:
    """Another cluster's scheduler (a second run, a notebook) holds port 8787: the scheduler's health routes, which
    default to it, made every ``--workers`` run print distributed's "Port 8787 is already in use" warning."""
    import socket
    import warnings

    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:  # taken already, which is the case under test
        pass
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            with tthc_dask.local_client(workers=1, processes=False, warm=False) as client:
                assert client.submit(sum, [1, 2]).result() == 3
    finally:
        holder.close()
    assert [str(w.message) for w in seen if "8787" in str(w.message)] == []
