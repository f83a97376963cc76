"""The engine-neutral partitioned algorithm (tthc.scale.partitions), no cluster: however the files are cut, the result
is the single-machine result — rows, findings, report lines, KPI counts."""

from __future__ import annotations

import itertools
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.catalog.collection import Catalog
from tthc.records.chunks import RowProblem
from tthc.records.sample import sample_path
from tthc.validation.run import FindingWriter, validate_files

pa = pytest.importorskip("pyarrow", reason="the 'data' extra (pyarrow) is not installed")

from tthc.scale.partitions import (  # noqa: E402
    FindingTable,
    _Guide,
    _text_ranges,
    bucket_of,
    plan_partitions,
    validate_partitions_locally,
)

CATALOG = Catalog.sample()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two small files with mistakes: a malformed line, blank lines, a repeated code within and across files, a
    CRLF line, a last line without a line break."""
    root = tmp_path_factory.mktemp("parts")
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:400]
    a = [*body[:100], "x,y\n", "\n", *body[100:200], body[5], body[200:201][0].replace("\n", "\r\n"), *body[201:300]]
    (root / "a.csv").write_text(header + "".join(a), encoding="utf-8")
    (root / "b.csv").write_text(header + "".join([*body[300:399], body[7].rstrip("\n")]), encoding="utf-8")
    return [root / "a.csv", root / "b.csv"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(partition_bytes=st.integers(min_value=1, max_value=120_000), threads=st.integers(min_value=1, max_value=3))
def test_any_cut_gives_the_single_machine_result(
    files: list[Path], tmp_path: Path, partition_bytes: int, threads: int
) -> None:
    with FindingWriter(tmp_path / "one.jsonl") as w:
        one = validate_files(files, CATALOG, report=w)
    with FindingWriter(tmp_path / "cut.jsonl") as w:
        cut = validate_partitions_locally(files, CATALOG, report=w, partition_bytes=partition_bytes, threads=threads)
    assert cut.to_dict() == one.to_dict()
    assert (tmp_path / "cut.jsonl").read_text(encoding="utf-8") == (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    assert cut.rows == cut.valid_rows + cut.invalid_rows
    assert {"E_SCHEMA", "E_DUPLICATE_DOSSIER"} <= set(cut.by_code)


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(alphabet="ab\n", max_size=60),
    target=st.integers(min_value=1, max_value=20),
    threads=st.integers(min_value=1, max_value=4),
)
def test_text_ranges_tile_the_file_and_start_after_line_breaks(
    tmp_path_factory: pytest.TempPathFactory, text: str, target: int, threads: int
) -> None:
    path = tmp_path_factory.mktemp("ranges") / "f.txt"
    data = ("h\n" + text).encode()
    path.write_bytes(data)
    ranges = _text_ranges(path, 2, len(data), _Guide(target, threads, len(data)))
    assert ranges[0][0] == 2
    assert ranges[-1][1] == max(2, len(data))
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end == start
        assert data[start - 1 : start] == b"\n"


def _sizes(path: Path, **plan: Any) -> list[int]:
    return [p.end - p.start for p in plan_partitions([path], **plan)[1]]


def test_the_last_partitions_shrink_so_the_threads_finish_together(tmp_path: Path) -> None:
    """With 2 threads the tail of the input is cut ever smaller (no partition under an eighth of the full size but
    the last), so the two finish within a short partition of each other; one thread keeps every partition
    full-size. The partitions tile the file either way."""
    line = "x" * 99 + "\n"
    path = tmp_path / "f.csv"
    header = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)[0]
    path.write_text(header + line * 2_000, encoding="utf-8")
    full = 10_000  # 100 lines
    one = _sizes(path, partition_bytes=full)
    assert one == [full] * 20
    two = _sizes(path, partition_bytes=full, threads=2)
    assert sum(two) == sum(one)
    shrinking = two[two.index(max(s for s in two if s < full)) :]
    assert two[: len(two) - len(shrinking)] == [full] * (len(two) - len(shrinking))  # full-size first ...
    assert shrinking == sorted(shrinking, reverse=True)  # ... then ever smaller
    assert all(s >= full // 8 for s in two[:-1])
    assert two[-1] <= full // 8 + len(line)
    assert sum(shrinking) <= 4 * full  # only the last 2 * threads partitions' worth is cut finer
    assert len(two) <= len(one) + 12
    assert _sizes(path, partition_bytes=full, threads=1) == one


def test_buckets_are_the_same_in_every_process() -> None:
    codes = ["000.00.12.H21-250303-0001", "000.00.12.h21-250303-0001", "", "ĐÀ NẴNG-1", "x" * 100, "ab", "AB"]
    here = [b.tolist() for b in bucket_of(pa.array(codes), 64)]
    script = (
        "import pyarrow as pa; from tthc.scale.partitions import bucket_of; "
        f"print([b.tolist() for b in bucket_of(pa.array({codes!r}), 64)])"
    )
    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert str(here) == there.strip()
    keys, buckets = here
    assert keys[0] < 0
    assert keys[3] >= 0
    assert buckets[0] == buckets[1]
    assert buckets[5] == buckets[6]
    # the codes of one agency spread over the buckets (a packed key's top bits are the agency)
    same_agency = [f"000.00.12.H21-250303-{i:04d}" for i in range(1, 200)]
    assert len(set(bucket_of(pa.array(same_agency), 16)[1].tolist())) == 16


def test_packed_findings_round_trip_with_an_offset() -> None:
    findings = [
        RowProblem("a.csv", 3, "due_at", "E_DUE_MISMATCH", "recorded …, recomputed …", "2025-03-14"),
        RowProblem("a.csv", 9, "(row)", "E_SCHEMA", "expected 20 fields", None),
    ]
    table = FindingTable.pack(findings)
    assert len(table) == 2
    back = pickle.loads(pickle.dumps(table)).unpack(100)
    assert [(p.row, p.code, p.value) for p in back] == [(103, "E_DUE_MISMATCH", "2025-03-14"), (109, "E_SCHEMA", None)]


def test_a_missing_required_column_stops_the_plan_like_the_single_run(tmp_path: Path) -> None:
    from tthc.errors import DataFileError

    bad = tmp_path / "bad.csv"
    bad.write_text("dossier_code,channel\nX,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing required column"):
        plan_partitions([bad])


def _quoted_line_break(line: str) -> str:
    """The row with its status quoted and holding a line break (RFC 4180 allows it; the reader reads one record)."""
    cells = line.rstrip("\n").split(",")
    cells[10] = f'"{cells[10]}\nsee the attached note"'
    return ",".join(cells) + "\n"


@pytest.fixture(scope="module")
def quoted(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Files where a quoted field spans lines: late in one file (after many plain lines, so cuts before it hold and
    cuts after it must not be trusted), early in another, and a third plain file after them."""
    root = tmp_path_factory.mktemp("quoted")
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:301]
    late = [*body[:220], _quoted_line_break(body[220]), *body[221:260], _quoted_line_break(body[260]), *body[261:]]
    early = [_quoted_line_break(body[0]), *body[1:150]]
    (root / "a-late.csv").write_text(header + "".join(late), encoding="utf-8")
    (root / "b-early.csv").write_text(header + "".join(early), encoding="utf-8")
    (root / "c-plain.csv").write_text(header + "".join(body[150:]) + body[3], encoding="utf-8")
    return sorted(root.glob("*.csv"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(partition_bytes=st.integers(min_value=200, max_value=40_000))
def test_records_spanning_lines_are_never_cut(quoted: list[Path], tmp_path: Path, partition_bytes: int) -> None:
    """The plan cuts without reading the files; a partition whose quoting lets a record span its end says so, and
    the rest of its file is read again as one partition — the same result as one machine, whatever the cut."""
    with FindingWriter(tmp_path / "one.jsonl") as w:
        one = validate_files(quoted, CATALOG, report=w)
    with FindingWriter(tmp_path / "cut.jsonl") as w:
        cut = validate_partitions_locally(quoted, CATALOG, report=w, partition_bytes=partition_bytes)
    assert cut.to_dict() == one.to_dict()
    assert (tmp_path / "cut.jsonl").read_text(encoding="utf-8") == (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    assert one.rows == 300 + 150 + 151
    assert one.by_code.get("E_SCHEMA", 0) == 0  # each spanning record read as one record


def test_the_plan_does_not_read_the_data(quoted: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning a CSV file reads its header and seeks to the cuts, never scans its bytes (a serial cost on the client
    that grew with the file): the quoting is judged by the workers as they read."""
    from tthc.scale import partitions

    def no_scan(self: object, mode: str = "rb") -> object:
        raise AssertionError("the plan read a range of the data")

    monkeypatch.setattr(partitions._WindowPath, "open", no_scan)  # how a range is read (and was scanned)
    _, parts = plan_partitions(quoted, partition_bytes=500)
    per_file = [sum(1 for p in parts if p.file_index == i) for i in range(3)]
    assert all(n > 2 for n in per_file)  # cut everywhere, the quoted files too


def test_a_worker_builds_the_validation_context_once_per_catalog_and_options() -> None:
    """Every partition a worker runs with the same (scattered) catalog and options shares one run state — the
    context (its caches are per catalog, not per partition), the piece size, the reader's lessons; other options
    get their own, and only the last few are kept."""
    from tthc.scale.partitions import _KEEP_RUNS, _run
    from tthc.validation.context import ValidationOptions

    opts = ValidationOptions()
    first = _run(CATALOG, opts)
    assert _run(CATALOG, opts) is first
    other = ValidationOptions(due_check="instant")
    assert _run(CATALOG, other) is not first
    assert _run(CATALOG, other).context is _run(CATALOG, other).context
    for _ in range(_KEEP_RUNS):
        _run(CATALOG, ValidationOptions())  # new objects each time: the oldest entries go
    assert _run(CATALOG, opts) is not first


def test_a_partition_starts_at_the_piece_size_earlier_partitions_reached(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The piece size is learned over the run, as on one machine: a new partition does not start again from the
    small first piece (eight small pieces per partition cost 10-40 % of the CPU per row)."""
    from tthc.scale import partitions
    from tthc.validation.chunk import PieceSize, split_chunk
    from tthc.validation.context import ValidationOptions

    opts = ValidationOptions()
    _, parts = plan_partitions(files[1:], partition_bytes=5_000)
    assert len(parts) > 2
    partitions.validate_partition(parts[0], CATALOG, opts)
    learned = partitions._run(CATALOG, opts).size()
    assert learned > PieceSize()()
    sizes: list[int] = []

    def spy(chunk: object, size: Callable[[], int] | None = None, start: int = 0) -> Iterator[object]:
        assert size is not None
        sizes.append(size())
        return split_chunk(chunk, size, start)

    monkeypatch.setattr(partitions, "split_chunk", spy)
    partitions.validate_partition(parts[1], CATALOG, opts)
    assert sizes[0] >= learned


def _day_first(line: str) -> str:
    """The row with its dates written day first (``02/01/2024 09:09``), as portals export them."""
    import re

    return re.sub(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}):\d{2}", r"\3/\2/\1 \4", line)


@pytest.fixture(scope="module")
def mixed_dates(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Files whose dates are ISO 8601 in one half and day first in the other (in both orders), with a duplicate
    code: the CSV reader learns, per file, which datetime columns pyarrow cannot type, and a partition hands that
    lesson to the next one."""
    root = tmp_path_factory.mktemp("dates")
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:301]
    iso_first = [*body[:150], *(_day_first(x) for x in body[150:]), body[4]]
    day_first = [*(_day_first(x) for x in body[:150]), *body[150:]]
    (root / "a.csv").write_text(header + "".join(iso_first), encoding="utf-8")
    (root / "b.csv").write_text(header + "".join(day_first), encoding="utf-8")
    return [root / "a.csv", root / "b.csv"]


@pytest.mark.parametrize("partition_bytes", [3_000, 9_000, 40_000])
def test_the_readers_lessons_carried_between_partitions_change_no_result(
    mixed_dates: list[Path], tmp_path: Path, partition_bytes: int
) -> None:
    from tthc.scale.partitions import _run
    from tthc.validation.context import ValidationOptions

    opts = ValidationOptions()
    with FindingWriter(tmp_path / "one.jsonl") as w:
        one = validate_files(mixed_dates, CATALOG, opts, report=w)
    with FindingWriter(tmp_path / "cut.jsonl") as w:
        cut = validate_partitions_locally(mixed_dates, CATALOG, opts, report=w, partition_bytes=partition_bytes)
    assert cut.to_dict() == one.to_dict()
    assert (tmp_path / "cut.jsonl").read_text(encoding="utf-8") == (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    assert one.by_code == {"E_DUPLICATE_DOSSIER": 301}  # b repeats a's codes; a repeats one; both date forms valid
    assert set(_run(CATALOG, opts).lessons) == {str(p) for p in mixed_dates}  # both files taught something


def test_a_partition_does_not_learn_again_what_the_run_learned(
    mixed_dates: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day-first date column fails pyarrow's ISO 8601 reading once per file and run, not once per partition (one
    parse of the partition's first block thrown away per such column)."""
    import pyarrow.csv as pacsv

    from tthc.scale.partitions import _run, validate_partition
    from tthc.validation.context import ValidationOptions

    _, parts = plan_partitions(mixed_dates[1:], partition_bytes=3_000)
    day_first = [p for p in parts if p.end < mixed_dates[1].stat().st_size // 2]
    assert len(day_first) >= 3
    real = pacsv.read_csv
    calls: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pacsv, "read_csv", counting)
    opts = ValidationOptions()
    for p in day_first:
        validate_partition(p, CATALOG, opts)
    learned = _run(CATALOG, opts).lessons[str(mixed_dates[1])]
    assert isinstance(learned, frozenset)
    assert len(learned) >= 4  # received_at, due_at, finished_at, returned_at at least
    assert len(calls) == len(day_first) + len(learned)  # one block per partition, one failed try per column
