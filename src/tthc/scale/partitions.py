"""Record files cut into independent partitions, validated one by one and combined exactly — the engine-neutral part
of running :func:`tthc.validation.validate_chunk` on a cluster (Dask: :mod:`tthc.scale.dask`; anything else that maps a
function over pieces and gathers the results).

* :func:`plan_partitions` cuts each file into :class:`Partition` objects: byte ranges that start right after a line
  break (CSV, JSON Lines) or runs of row groups (Parquet), without reading the data (the header, then a seek to
  each cut). A CSV cut holds only where no record spans it (a quoted field may hold line breaks): each partition
  says, from its reading, whether its quoting could let a record run past its end (:attr:`PartitionResult.synced`
  — the reader's own test of every block), and :func:`resync` then makes the rest of that file one partition, to
  be read again. A file in an encoding whose line breaks are not single bytes (UTF-16, UTF-32) is one partition
  read like one machine reads it.
* :func:`validate_partition` reads one partition with the library's own readers (the same code as the
  single-machine path) and validates it piece by piece, findings packed as they come (:class:`FindingTable`). Rows
  are numbered from 1 *within the partition*; the result says how many lines the partition covered, so the
  combiner turns them into the row numbers of the original file. A partition that fails to read is never dropped:
  the result carries the error, and the combiner reports the whole range (file, bytes, rows) as
  ``E_UNREADABLE_RANGE`` with every line of it counted as an invalid row.
* :class:`DuplicateKeys` / :func:`find_duplicates` are the duplicate dossier code check as a two-stage, bucketed
  job: each partition splits its codes into buckets by their keys (:func:`bucket_of`: the single-machine check's
  keys, the same in every process), each bucket finds its repeats with absolute row numbers. The first occurrence
  in file order wins, and the findings come after all the others (in file and row order), as in the single-machine
  run.
* :class:`Combiner` folds the results **in partition order** into the same
  :class:`~tthc.validation.run.ValidationSummary` (and the same report lines, in the same order) that
  :func:`tthc.validation.validate_files` gives on one machine.

Nothing here imports Dask.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.foundation.arguments import expect_whole
from tthc.kpi.indicators import KpiPartial
from tthc.records.chunks import (
    DEFAULT_CHUNK_BYTES,
    FileFormat,
    RawChunk,
    StreamInfo,
    _ascii_compatible,
    _blank_lines,
    _bom_length,
    _is_blank,
    _iter_blocks,
    _line_count,
)
from tthc.records.readers import distinct_files, open_records
from tthc.scale.combine import (
    UNREADABLE_RANGE,
    Combiner,
    DuplicateKeys,
    FindingTable,
    Keyed,
    Partition,
    PartitionResult,
    Repeats,
    _bucketise,
    _codes_of,
    bucket_of,
    duplicate_findings,
    find_duplicates,
    repeated_codes,
    row_offsets,
)
from tthc.validation.chunk import PieceSize, split_chunk, validate_chunk
from tthc.validation.context import ValidationContext, ValidationOptions
from tthc.validation.run import FindingWriter, ValidationSummary

if TYPE_CHECKING:
    from tthc.records.model import ColumnMapping

__all__ = [
    "DEFAULT_PARTITION_BYTES",
    "UNREADABLE_RANGE",
    "Combiner",
    "DuplicateKeys",
    "FindingTable",
    "Partition",
    "PartitionResult",
    "Repeats",
    "bucket_of",
    "duplicate_findings",
    "find_duplicates",
    "plan_partitions",
    "release_memory",
    "repeated_codes",
    "resync",
    "row_offsets",
    "validate_frame",
    "validate_partition",
    "validate_partitions_locally",
]

DEFAULT_PARTITION_BYTES = 64 << 20
"""About how many bytes of a text file one partition covers (Parquet: row groups adding up to about as much)."""

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


# ------------------------------------------------------------------------------------------------------ planning


def plan_partitions(
    paths: Sequence[str | Path],
    *,
    format: FileFormat | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    threads: int = 1,
) -> tuple[list[StreamInfo], list[Partition]]:
    """Open each file (header, encoding, delimiter — exactly as the single-machine reader) and cut it. A file named
    again (the same device and inode) is planned once, where it is first named, as the single-machine run reads it
    (:func:`tthc.records.readers.distinct_files`).

    ``threads``: how many partitions run at once. Above 1, the partitions at the end of the input get smaller
    (:class:`_Guide`), so the tasks that run at once finish together instead of all but one waiting for the last
    full-size partition.

    Raises:
        DataFileError: a file is missing, empty, or its header lacks a required column — as in the single-machine
            run, before any row is read.
        InvalidValueError: ``partition_bytes`` or ``threads`` is not a whole number from 1.
    """
    expect_whole(partition_bytes, "partition_bytes", 1)
    expect_whole(threads, "threads", 1)
    paths = distinct_files(paths)
    infos = [
        open_records(p, format=format, mapping=mapping, encoding=encoding, delimiter=delimiter).info for p in paths
    ]
    guide = _Guide(partition_bytes, threads)
    parts: list[Partition] = []
    for fi, (p, info) in enumerate(zip(paths, infos, strict=True)):
        path = Path(p)
        guide.left = sum(i.size for i in infos[fi:])  # this file and the ones after it
        if info.format == "parquet":
            pieces = _parquet_pieces(path, guide)
            for k, (start, end, groups, rows) in enumerate(pieces):
                parts.append(Partition(len(parts), fi, info, start, end, groups, rows, k == 0))
            continue
        if not _ascii_compatible(info.encoding or "utf-8"):
            # UTF-16, UTF-32...: a line break is not one byte, the bytes cannot be cut; read whole, as on one machine
            parts.append(Partition(len(parts), fi, info, 0, info.size, whole=True))
            continue
        begin = _data_start(path, info) if info.format == "csv" else 0
        # CSV cuts are trusted here and checked by the partitions as they read (resync): scanning the quoting of the
        # whole file on the client cost about 0.14 CPU-seconds per million rows, serially, the workers idle
        ranges = _text_ranges(path, begin, info.size, guide)
        for k, (start, end) in enumerate(ranges):
            parts.append(Partition(len(parts), fi, info, start, end, first=k == 0))
    return infos, parts


def _data_start(path: Path, info: StreamInfo) -> int:
    """The byte where the data lines of a CSV file begin: after the byte-order mark and the header line, which ends
    at the first LF, CRLF or lone CR (the reader's rule)."""
    skip = _bom_length(info)
    with path.open("rb") as fh:
        fh.seek(skip)
        head = b""
        while block := fh.read(1 << 16):
            head += block
            ends = [i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0]
            if ends and (min(ends) < len(head) - 1 or head[-1:] == b"\n"):
                end = min(ends)
                return skip + end + (2 if head[end : end + 2] == b"\r\n" else 1)
    return skip + len(head)


@attrs.define
class _Guide:
    """How many bytes the next partition covers: ``full``, then less towards the end of the input — a share of what
    is left (``left / (2 * threads)``, no less than an eighth of ``full``): the last tasks are short, so the
    ``threads`` that run them at once finish within one short partition of each other (guided self-scheduling).

    With 2 threads and 64 MiB partitions, the last 256 MiB of the input are cut into 11 partitions of 50 down to
    8 MiB (and what is left); one thread (or ``threads`` = 1) keeps every partition full-size.
    """

    full: int
    threads: int = 1
    left: int = 0

    def next(self) -> int:
        if self.threads <= 1:
            return self.full
        return max(1, min(self.full, max(self.full // 8, self.left // (2 * self.threads))))

    def took(self, size: int) -> None:
        self.left -= size


def _text_ranges(path: Path, begin: int, size: int, target: int | _Guide) -> list[tuple[int, int]]:
    """Cut ``[begin, size)`` about every ``target`` bytes (or as the guide says), each cut right after a line
    break."""
    guide = target if isinstance(target, _Guide) else _Guide(target)
    guide.took(begin)  # the header
    cuts = [begin]
    with path.open("rb") as fh:
        pos = begin + guide.next()
        while pos < size:
            fh.seek(pos - 1)
            while True:
                probe = fh.read(1 << 16)
                if not probe:
                    pos = size
                    break
                nl = probe.find(b"\n")
                if nl >= 0:
                    pos = fh.tell() - len(probe) + nl + 1
                    break
            if pos >= size:
                break
            guide.took(pos - cuts[-1])
            cuts.append(pos)
            pos += guide.next()
    guide.took(size - cuts[-1])
    cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a] or [(begin, max(begin, size))]


def _parquet_pieces(path: Path, target: int | _Guide) -> list[tuple[int, int, tuple[int, ...], int]]:
    import pyarrow.parquet as pq

    guide = target if isinstance(target, _Guide) else _Guide(target)
    meta = pq.ParquetFile(path).metadata
    out: list[tuple[int, int, tuple[int, ...], int]] = []
    groups: list[int] = []
    start = end = rows = 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        offsets = [
            min(o for o in (c.dictionary_page_offset, c.data_page_offset) if o is not None and o > 0)
            for c in (rg.column(j) for j in range(rg.num_columns))
        ]
        g_start = min(offsets) if offsets else 0
        g_end = g_start + sum(rg.column(j).total_compressed_size for j in range(rg.num_columns))
        if not groups:
            start = g_start
        groups.append(g)
        end = max(end, g_end)
        rows += rg.num_rows
        if end - start >= guide.next():
            guide.took(end - start)
            out.append((start, end, tuple(groups), rows))
            groups, rows, end = [], 0, 0
    if groups or not out:
        out.append((start, end, tuple(groups), rows))
    return out


# ------------------------------------------------------------------------------------------------------ reading


class _Window(io.RawIOBase):
    """Bytes ``[start, end)`` of a file, seen as a file of their own (the readers read it like a whole file)."""

    def __init__(self, path: str, start: int, end: int) -> None:
        super().__init__()
        self._fh = open(path, "rb")  # noqa: SIM115 - closed with the window
        self._start, self._size, self._pos = start, end - start, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._size - self._pos)
        if n <= 0:
            return 0
        self._fh.seek(self._start + self._pos)
        got = self._fh.readinto(memoryview(buffer)[:n]) or 0
        self._pos += got
        return got

    def close(self) -> None:
        self._fh.close()
        super().close()


@attrs.frozen(slots=True)
class _WindowPath:
    """Stands in for the ``Path`` the text readers open: opening it gives the partition's byte window."""

    path: str
    start: int
    end: int

    def open(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_Window(self.path, self.start, self.end), buffer_size=1 << 20)


@attrs.define
class _Quoting:
    """Whether every block a partition's CSV reader met was simple (:func:`tthc.records.csv_reader._simple_block`:
    no quoted field spans lines) — then no record runs past the partition's end."""

    simple: bool = True


def _chunks(
    part: Partition,
    mapping: ColumnMapping | None,
    chunk_bytes: int,
    quoting: _Quoting | None = None,
    lessons: dict[str, object] | None = None,
) -> Iterator[RawChunk]:
    """The partition's rows through the library's own readers (rows numbered from 1 within the partition).

    ``lessons``: per file, what the CSV reader learned in this process's earlier partitions of the run (the datetime
    columns that are not ISO 8601 and are read as text): it is handed to the reader as the single-machine reader
    carries it from block to block. Without it each partition would learn it again — one failed pyarrow parse of
    its first block per such column, about 0.1 CPU-second per partition. It changes only how a column is parsed,
    never a value."""
    info = part.info
    if part.whole:
        yield from open_records(
            info.file,
            format=info.format,
            mapping=mapping,
            encoding=info.encoding,
            delimiter=info.delimiter,
            chunk_bytes=chunk_bytes,
        )
        return
    if info.format == "parquet":
        import pyarrow.parquet as pq

        from tthc.records.formats import _parquet_chunks

        # rows numbered from 1 within the partition's row groups; a corrupt group is reported row by row
        yield from _parquet_chunks(pq.ParquetFile(info.file), info, chunk_bytes, row_groups=part.row_groups)
        return
    window = cast(Path, _WindowPath(info.file, part.start, part.end))
    if info.format == "csv":
        from tthc.records.chunks import ChunkTask, _have_pyarrow
        from tthc.records.csv_reader import _csv_tasks

        # the reader hands a block it had to read line by line (its quoting not simple, or no pyarrow) as a ChunkTask
        for task in _csv_tasks(window, info, 0, chunk_bytes, _have_pyarrow()):
            if quoting is not None and isinstance(task, ChunkTask):
                quoting.simple = False
                if part.end < info.size:
                    return  # a record may run past the end: resync reads the rest of the file again, stop here
            if lessons is not None:
                task.learn(lessons.get(info.file))
            yield from task.chunks()
            if lessons is not None and (lesson := task.learned()):
                lessons[info.file] = lesson
    else:
        from tthc.records.formats import _jsonl_chunks
        from tthc.records.model import ColumnMapping

        yield from _jsonl_chunks(
            window, attrs.evolve(info, bom=info.bom and part.first), mapping or ColumnMapping.default(), chunk_bytes
        )


def _count_lines(part: Partition) -> tuple[int, int]:
    """Lines of a text partition, as the readers number them — a line ends at LF, CRLF or a lone CR, and a last line
    without a break counts — and how many of them are blank (only spaces and tabs: not rows, as the readers count
    them); Parquet: its rows, none blank."""
    if part.info.format == "parquet":
        return part.parquet_rows, 0
    n = blank = 0
    if part.whole:
        with open(part.file, encoding=part.info.encoding, errors="replace", newline=None) as text:
            for n, line in enumerate(text, 1):
                if (n > 1 or part.info.format != "csv") and _is_blank(line.rstrip("\n")):
                    blank += 1
        return n - (1 if part.info.format == "csv" and n else 0), blank
    with _WindowPath(part.file, part.start, part.end).open() as fh:
        for block, _ in _iter_blocks(fh, 1 << 22):  # whole lines, line ends made LF
            lines = _line_count(block)
            n += lines
            blank += len(_blank_lines(block, lines))
    return n, blank


def _tally(codes: npt.NDArray[np.int8], into: Counter[int]) -> None:
    for i, c in enumerate(np.bincount(codes.astype(np.int64), minlength=6).tolist()):
        if c:
            into[i] += int(c)


def validate_partition(
    part: Partition,
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    mapping: ColumnMapping | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    duplicate_buckets: int = 0,
) -> tuple[PartitionResult, DuplicateKeys | None]:
    """Validate one partition; never raises for a bad partition (the error is in the result).

    Returns:
        The result and, when ``duplicate_buckets`` > 0, the partition's dossier codes split into that many buckets
        for :func:`find_duplicates`.
    """
    quoting = _Quoting()
    run = _run(catalog, options)
    result, keys = _validate_chunks(
        part, lambda: _chunks(part, mapping, chunk_bytes, quoting, run.lessons), catalog, options, duplicate_buckets
    )
    if quoting.simple or part.end >= part.info.size:
        return result, keys
    return PartitionResult(part, result.lines, synced=False), None


def validate_frame(
    frame: object,
    index: int,
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    label: str = "(dataframe)",
    duplicate_buckets: int = 0,
) -> tuple[PartitionResult, DuplicateKeys | None]:
    """Validate one partition of a data frame (pandas, pyarrow or a column mapping) as partition ``index`` of the
    input called ``label``; rows are numbered from 1 within it (the combiner adds the earlier partitions' rows)."""
    n = len(frame)  # type: ignore[arg-type]
    part = Partition(index, 0, StreamInfo(label, "csv", 0), 0, 0, parquet_rows=n, first=index == 0)

    def chunks() -> Iterator[object]:
        # a pandas frame as it is: validate_chunk reads each of its columns through Arrow
        # (tthc.records.columns.pandas_column) — pandas' missing values become nulls, the checks run on Arrow
        # kernels, and a column Arrow cannot type is read cell by cell instead of failing the partition
        yield frame

    result, keys = _validate_chunks(part, chunks, catalog, options, duplicate_buckets, label=label)
    return attrs.evolve(result, lines=n), keys


def _validate_chunks(
    part: Partition,
    chunks: Callable[[], Iterable[object]],
    catalog: Catalog,
    options: ValidationOptions | None,
    duplicate_buckets: int,
    *,
    label: str | None = None,
) -> tuple[PartitionResult, DuplicateKeys | None]:
    run = _run(catalog, options)
    ctx, size = run.context, run.size
    findings: list[FindingTable] = []
    pause: Counter[int] = Counter()
    restart: Counter[int] = Counter()
    kpis: list[KpiPartial] = []
    rows = blank = continued = 0
    keys: list[Keyed] = []
    try:
        for chunk in chunks():
            # piece by piece, findings packed as soon as found: memory stays bounded however many rows are bad
            for piece in split_chunk(chunk, size):
                result = validate_chunk(piece, catalog, context=ctx)
                size.observe(len(result.rows), len(result.findings))
                rows += result.n_rows
                blank += result.blank_lines
                continued += result.continuation_lines
                if result.findings:
                    findings.append(FindingTable.pack(result.findings, file=label))
                _tally(result.timeliness_pause, pause)
                _tally(result.timeliness_restart, restart)
                kpis.append(result.kpi)  # type: ignore[arg-type]
                if len(kpis) > 8:
                    kpis = [KpiPartial.sum(kpis)]
                if duplicate_buckets:
                    keys.append(_codes_of(result))
        lines = _lines_covered(part, rows, blank, continued)
    except Exception as exc:  # a partition that cannot be read is reported, never dropped
        try:
            lines, blank = _count_lines(part)  # its rows are its lines but the blank ones, as the readers count
        except Exception:  # the bytes cannot even be counted: one unreadable "row" stands for the range
            lines, blank = 1, 0
        return PartitionResult(part, lines, blank_lines=blank, error=f"{type(exc).__name__}: {exc}"), None
    dup = _bucketise(keys, duplicate_buckets) if duplicate_buckets else None
    return (
        PartitionResult(
            part, lines, rows, blank, FindingTable.concat(findings), dict(pause), dict(restart), KpiPartial.sum(kpis)
        ),
        dup,
    )


@attrs.define(eq=False)
class _Run:
    """What a process keeps for the partitions of one run (one catalog and one options object, scattered once per
    run to every worker), so the second partition a worker checks costs what the single-machine run pays per row:

    * ``context``: what the catalog says per procedure and the postal verdicts per stretch of days — about 0.1
      CPU-second to build, as much as 6 % of a 64 MiB partition's work;
    * ``size``: the checked piece size (:class:`~tthc.validation.chunk.PieceSize`), learned from the pieces checked
      so far as the single-machine run learns it over the whole run — new for each partition it started at 256 rows
      and took eight small pieces to reach full size (measured in one process, with the trim after each partition
      that :func:`release_memory` no longer does: 16 MiB partitions cost 1.2-1.3x the CPU per row of the single
      path, 64 MiB ones up to 1.2x; now neither costs more than the single path);
    * ``lessons``: per file, what the CSV reader learned (:func:`_chunks`).

    Pieces' sizes and the reader's lessons change how rows are cut and parsed, never a result.
    """

    catalog: Catalog
    options: ValidationOptions | None
    context: ValidationContext
    size: PieceSize = attrs.field(factory=PieceSize)
    lessons: dict[str, object] = attrs.field(factory=dict)


_RUNS: dict[tuple[int, int], _Run] = {}
_KEEP_RUNS = 2


def _run(catalog: Catalog, options: ValidationOptions | None) -> _Run:
    """The :class:`_Run` of ``catalog`` and ``options`` in this process, built on first use and reused by every
    partition that comes with the same objects (calls that pass ``options=None`` all share one). The last few are
    kept, with the objects themselves (so an id is never reused while cached)."""
    key = (id(catalog), id(options))
    hit = _RUNS.get(key)
    if hit is not None and hit.catalog is catalog and hit.options is options:
        return hit
    run = _Run(catalog, options, ValidationContext.build(catalog, options))
    while len(_RUNS) >= _KEEP_RUNS:
        _RUNS.pop(next(iter(_RUNS)))
    _RUNS[key] = run
    return run


def release_memory() -> None:
    """Hand the freed heap back to the operating system (glibc's and Arrow's pool): run once on every worker after
    a run (:func:`tthc.scale.dask.validate_files`), so an idle worker does not keep a run's high-water mark.

    Not after each partition: the next partition then faulted every page in again (measured in one process: with a
    trim after each, 16 MiB partitions cost 1.2-1.3x the CPU per row they cost without), while a worker's peak
    memory is about the same either way (malloc reuses what it keeps; 506 MB with, 520 MB without, over 12
    partitions of 64 MiB with their duplicate keys held)."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - older pyarrow
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def resync(parts: Sequence[Partition], synced: Sequence[bool]) -> list[tuple[Partition, int | None]]:
    """The plan to use once the partitions have been read: per partition, in order, the partition and where its
    result is in ``parts`` — or ``None``: to be read (again).

    In a file, the partitions up to the first one that is not ``synced`` (a record may run past its end: its
    reading is not to be trusted, nor are the cuts after it) are kept; from that one, the rest of the file is one
    partition to read, as one machine reads it. Other files are untouched. When every partition is synced, the
    plan is ``parts`` itself.
    """
    out: list[tuple[Partition, int | None]] = []
    ends: dict[int, int] = {}
    for p in parts:
        ends[p.file_index] = max(ends.get(p.file_index, 0), p.end)
    merged: set[int] = set()
    for k, (part, ok) in enumerate(zip(parts, synced, strict=True)):
        if part.file_index in merged:
            continue
        if ok or part.end >= ends[part.file_index]:
            out.append((part, k))
            continue
        merged.add(part.file_index)
        out.append((attrs.evolve(part, end=ends[part.file_index]), None))
    return out


def _lines_covered(part: Partition, rows: int, blank: int, continued: int) -> int:
    # every line is a row, an unreadable row, a blank line or the continuation of a record spanning lines (the
    # readers' accounting rule)
    return part.parquet_rows if part.info.format == "parquet" else rows + blank + continued


def validate_partitions_locally(
    paths: Sequence[str | Path],
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    report: FindingWriter | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    duplicates: bool = True,
    **read: object,
) -> ValidationSummary:
    """The partitioned algorithm run in this process, partition after partition — the reference the engines are
    tested against, and a template for wiring another engine (map :func:`validate_partition`, then
    :func:`find_duplicates` per bucket, then :class:`Combiner` in order, the duplicates last)."""
    infos, parts = plan_partitions(paths, partition_bytes=partition_bytes, **read)  # type: ignore[arg-type]
    mapping = cast("ColumnMapping | None", read.get("mapping"))
    options = options or ValidationOptions()  # an object of this run's own: its run state is this run's (_run)
    buckets = 2 if duplicates else 0

    def run(p: Partition) -> tuple[PartitionResult, DuplicateKeys | None]:
        return validate_partition(p, catalog, options, mapping=mapping, duplicate_buckets=buckets)

    first = [run(p) for p in parts]
    plan = resync(parts, [r.synced for r, _ in first])
    parts = [p for p, _ in plan]
    done = [first[k] if k is not None else run(p) for p, k in plan]
    offsets = row_offsets(parts, [r.lines for r, _ in done])
    combiner = Combiner(infos, report, lang=options.lang)
    for (result, _), offset in zip(done, offsets, strict=True):
        combiner.add(result, offset)
    lang = options.lang
    keys = [k for _, k in done]
    combiner.add_late(d for b in range(buckets) for d in find_duplicates(b, keys, parts, offsets, lang=lang))
    return combiner.summary()
