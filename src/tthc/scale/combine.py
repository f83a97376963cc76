"""The combining half of :mod:`tthc.scale.partitions`: packed findings, the bucketed duplicate dossier code check, row
offsets and the :class:`Combiner` that folds partition results, in order, into the single-machine summary."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, cast

import attrs
import numpy as np
import numpy.typing as npt

from tthc.foundation.i18n import N_, resolve_lang
from tthc.foundation.words import Joined, Words, words
from tthc.kpi.indicators import KpiPartial
from tthc.records.chunks import RowProblem, StreamInfo
from tthc.validation.chunk import ChunkResult
from tthc.validation.code_keys import code_keys, identity, mix, unpacked
from tthc.validation.duplicates import duplicate_message, present_codes, row_status
from tthc.validation.run import FindingWriter, Tally, ValidationSummary

if TYPE_CHECKING:
    import pyarrow as pa

    from tthc.records.columns import StrCol

__all__ = [
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
    "repeated_codes",
    "row_offsets",
]

UNREADABLE_RANGE = "E_UNREADABLE_RANGE"
"""Finding code of a partition that could not be read: its rows are counted invalid, the range is in the message."""

# E_UNREADABLE_RANGE, worded like the readers' findings (tthc.records.formats): a template and its values
_UNREADABLE = N_("rows {first}..{last} ({what}) could not be read; all {count} counted invalid: {error}")
_GROUPS = N_("row groups {groups}")
_BYTES = N_("bytes {start}..{end}")
_PART = N_("partition {index}")

I64 = npt.NDArray[np.int64]
U16 = npt.NDArray[np.uint16]
I8 = npt.NDArray[np.int8]


@attrs.frozen(slots=True)
class Partition:
    """One independent piece of one input file.

    Attributes:
        index: position in the whole input (file order, then byte order) — results are combined in this order.
        file_index: which input file.
        info: what the reader found out about the file (encoding, delimiter, header mapping).
        start / end: the byte range ``[start, end)``; text partitions start right after a line break.
        row_groups: the Parquet row groups of the partition (empty for text).
        parquet_rows: rows in those row groups (known from the file's metadata).
        first: the partition holds the file's first data line (a UTF-8 BOM is skipped only there).
        whole: the whole file, read by the single-machine reader (a file in an encoding whose line breaks are not
            single bytes cannot be cut).
    """

    index: int
    file_index: int
    info: StreamInfo
    start: int
    end: int
    row_groups: tuple[int, ...] = ()
    parquet_rows: int = 0
    first: bool = True
    whole: bool = False

    @property
    def file(self) -> str:
        return self.info.file

    def __repr__(self) -> str:
        where = f"row groups {self.row_groups[0]}..{self.row_groups[-1]}" if self.row_groups else "bytes"
        return f"<partition #{self.index} {self.file} {where} {self.start}..{self.end}>"


@attrs.frozen(slots=True)
class PartitionResult:
    """What one partition gave, everything needed to combine it exactly (no per-row arrays).

    Attributes:
        partition: which piece.
        lines: lines (text) or rows (Parquet) the partition covers — the next partition's rows start after them.
        rows / blank_lines / findings / timeliness_* / kpi: as in :class:`~tthc.validation.chunk.ChunkResult` (findings
            packed in a :class:`FindingTable`: millions of them fit in a worker's memory), with rows
            numbered from 1 within the partition.
        error: why the partition could not be read (then only ``lines`` and ``blank_lines`` are meaningful: every
            line but the blank ones counts as an unreadable row).
        synced: no record runs past the partition's end (always, but for a CSV partition whose quoting lets a
            record span lines and which is not the last of its file: then nothing else in the result counts, and
            :func:`~tthc.scale.partitions.resync` has the rest of the file read again as one partition).
    """

    partition: Partition
    lines: int
    rows: int = 0
    blank_lines: int = 0
    findings: FindingTable | None = None
    timeliness_pause: dict[int, int] = attrs.field(factory=dict)
    timeliness_restart: dict[int, int] = attrs.field(factory=dict)
    kpi: KpiPartial = attrs.field(factory=KpiPartial)
    error: str | None = None
    synced: bool = True


@attrs.frozen(slots=True)
class DuplicateKeys:
    """The non-empty dossier codes of one partition, split into buckets by their key: per bucket (relative rows, the
    single-machine check's 64-bit keys — :func:`~tthc.validation.code_keys.code_keys`: a canonical code packed
    exactly, any other code hashed —, what each row's own checks found —
    :func:`~tthc.validation.duplicates.row_status` — and the text of the codes whose key is a hash, in order).

    A canonical code travels as its 8-byte key alone (its text is read back from the key); only the other codes
    travel with their text, which confirms a shared hash."""

    buckets: tuple[tuple[I64, I64, I8, pa.Array], ...]

    def only(self, wanted: frozenset[int]) -> DuplicateKeys:
        """The same keys with the buckets not ``wanted`` emptied (what one bucket task's worker needs)."""
        return DuplicateKeys(tuple(b if i in wanted else _empty_bucket() for i, b in enumerate(self.buckets)))


def _empty_bucket() -> tuple[I64, I64, I8, pa.Array]:
    import pyarrow as pa

    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8), pa.array([], pa.string())


@attrs.frozen(slots=True)
class FindingTable:
    """Findings packed as compressed Arrow IPC streams, one block per checked piece.

    A partition of bad rows can have millions of findings; as Python objects they would take gigabytes in the worker
    and again on the client. Packed, their repetitive messages compress to a few bytes each, and the combiner
    unpacks one block at a time (:meth:`batches`).
    """

    blocks: tuple[bytes, ...]
    count: int

    @classmethod
    def pack(cls, findings: Sequence[RowProblem], *, file: str | None = None) -> FindingTable:
        import pyarrow as pa

        table = pa.table(
            {
                "file": pa.array([file or p.file for p in findings], pa.string()).dictionary_encode(),
                "row": pa.array([p.row for p in findings], pa.int64()),
                "field": pa.array([p.field for p in findings], pa.string()).dictionary_encode(),
                "code": pa.array([p.code for p in findings], pa.string()).dictionary_encode(),
                "message": pa.array([p.message for p in findings], pa.string()),
                "value": pa.array([p.value for p in findings], pa.string()),
            }
        )
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression=_codec())) as out:
            out.write_table(table)
        return cls((sink.getvalue().to_pybytes(),), len(findings))

    @classmethod
    def concat(cls, parts: Sequence[FindingTable]) -> FindingTable | None:
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return cls(tuple(b for p in parts for b in p.blocks), sum(p.count for p in parts))

    def __len__(self) -> int:
        return self.count

    @property
    def nbytes(self) -> int:
        """Bytes the packed findings take."""
        return sum(len(b) for b in self.blocks)

    def batches(self, offset: int = 0) -> Iterator[list[RowProblem]]:
        """The findings block by block (in order), rows shifted by ``offset``."""
        import pyarrow as pa

        for block in self.blocks:
            cols = pa.ipc.open_stream(pa.py_buffer(block)).read_all().to_pydict()
            rows = [r + offset for r in cols["row"]] if offset else cols["row"]
            yield [
                RowProblem(f, r, fld, c, m, v)
                for f, r, fld, c, m, v in zip(
                    cols["file"], rows, cols["field"], cols["code"], cols["message"], cols["value"], strict=True
                )
            ]

    def unpack(self, offset: int = 0) -> list[RowProblem]:
        """All the findings, rows shifted by ``offset`` (for small tables; :meth:`batches` streams)."""
        return [p for batch in self.batches(offset) for p in batch]


def _codec() -> str | None:
    import pyarrow as pa

    return next((c for c in ("zstd", "lz4") if pa.Codec.is_available(c)), None)


# ------------------------------------------------------------------------------------------------------ duplicates


Keyed = tuple[I64, I64, I8, "pa.Array"]
"""A piece's non-empty dossier codes as the duplicate stage needs them: (rows, keys —
:func:`~tthc.validation.code_keys.code_keys` —, each row's status from its own checks, the text of the codes whose key
is a hash, in order)."""


def _codes_of(result: ChunkResult) -> Keyed:
    """The keys of a checked piece's codes, made as the single-machine check makes them: from the column the checks
    read, whose form they found already (:func:`~tthc.validation.checks.canonical_rows`) — not found again on a copy
    of the codes (a few % of a partition's CPU)."""
    col = result.dossier_codes
    present = np.flatnonzero(~col.is_null())
    codes = cast("pa.Array", present_codes(col, present))  # an Arrow array: the stage runs with pyarrow
    whole = col if len(present) == len(col) and col.arrow is not None else None
    return _keyed(result.rows[present], codes, row_status(result)[present], column=whole)


def _keyed(
    rows: I64,
    codes: pa.Array,
    status: I8,
    hasher: Callable[[pa.Array], I64] | None = None,
    *,
    column: StrCol | None = None,
) -> Keyed:
    """``codes``' keys (``hasher``: the hash of the codes that are not canonical; ``column``: the checked column
    ``codes`` are all of), with the text of only the hashed ones: a canonical code's text is read back from its key
    when it is reported, so the text of almost every code is dropped here, in the partition."""
    import pyarrow as pa

    key = code_keys(codes, hasher, column=column)
    hashed = np.flatnonzero(key >= 0)
    texts = codes.take(pa.array(hashed)) if len(hashed) else _no_text()
    return rows, key, status, texts


def bucket_of(codes: pa.Array, buckets: int, hasher: Callable[[pa.Array], I64] | None = None) -> tuple[I64, U16]:
    """The single-machine check's key of each code (:func:`~tthc.validation.code_keys.code_keys`; ``hasher``: the
    hash of the codes that are not canonical) and its bucket among ``buckets`` — the same in every process (Python's
    ``hash`` of a string is salted per process, so it cannot decide which worker gets which code). Equal codes
    (case-insensitive) always go to one bucket."""
    key = code_keys(codes, hasher)
    return key, _bucket_of_keys(key, buckets)


def _bucket_of_keys(key: I64, buckets: int) -> U16:
    # the top bits of the mixed key choose the bucket (a packed key's own top bits are the agency: one bucket for
    # all of an agency's codes)
    shift = np.uint64(64 - max(1, (buckets - 1).bit_length()))
    return ((mix(identity(key).view(np.uint64)) >> shift) % np.uint64(buckets)).astype(np.uint16)


def _bucketise(keyed: list[Keyed], buckets: int) -> DuplicateKeys:
    """Split a partition's keyed codes (:func:`_keyed`, piece by piece) into ``buckets`` by their keys."""
    import pyarrow as pa

    rows = np.concatenate([k[0] for k in keyed]) if keyed else np.zeros(0, dtype=np.int64)
    key = np.concatenate([k[1] for k in keyed]) if keyed else np.zeros(0, dtype=np.int64)
    status = np.concatenate([k[2] for k in keyed]) if keyed else np.zeros(0, dtype=np.int8)
    texts = pa.concat_arrays([_no_text(), *(k[3].cast(pa.string()) for k in keyed)])
    which = _bucket_of_keys(key, buckets)
    order = np.argsort(which, kind="stable")  # 16-bit numbers: the stable sort is a radix sort (one pass, linear)
    bounds = np.searchsorted(which[order], np.arange(buckets + 1)).tolist()
    hashed = key >= 0
    rank = np.cumsum(hashed) - 1  # where a hashed key's text is among the texts
    out = []
    for b in range(buckets):
        idx = order[bounds[b] : bounds[b + 1]]
        mine = rank[idx[hashed[idx]]]
        # take, not slice: a slice of an Arrow array pickles its whole buffer
        out.append((rows[idx], key[idx], status[idx], texts.take(pa.array(mine)) if len(mine) else _no_text()))
    return DuplicateKeys(tuple(out))


def _no_text() -> pa.Array:
    import pyarrow as pa

    return pa.array([], pa.string())


@attrs.frozen(slots=True)
class Repeats:
    """The repeated codes of one bucket (:func:`repeated_codes`), as packed arrays — per occurrence of a code after
    its first in input order: the position of its partition among the pieces and its row within that partition,
    the same two for the code's first occurrence, the row's status from its own checks, and the code as written.
    Rows are the partitions' own: the findings (:func:`duplicate_findings`) are made where the row offsets are
    known, so the buckets' tasks need not wait for them."""

    at: I64
    row: I64
    first_at: I64
    first_row: I64
    status: I8
    codes: pa.Array

    def __len__(self) -> int:
        return len(self.at)


def find_duplicates(
    bucket: int,
    pieces: Sequence[DuplicateKeys | None],
    partitions: Sequence[Partition],
    offsets: Sequence[int],
    *,
    lang: str | None = None,
) -> list[tuple[int, RowProblem, int]]:
    """``E_DUPLICATE_DOSSIER`` findings of one bucket: every occurrence of a code (case-insensitive) after its first
    in file order, naming the first — as :func:`tthc.validation.validate_files` words them
    (:func:`repeated_codes`, then :func:`duplicate_findings`).

    Args:
        bucket: which bucket of each partition's :class:`DuplicateKeys`.
        pieces: per partition (in order) its keys (``None`` for a failed partition).
        partitions: the partitions, in order.
        offsets: per partition, the file row number just before its first row.
        lang: the language of the messages — the run's ``ValidationOptions.lang`` (None: ``TTHC_LANG``, else
            Vietnamese).

    Returns:
        (partition index, finding, status of the row from its own checks) — for :meth:`Combiner.add_late`.
    """
    return duplicate_findings(repeated_codes(bucket, pieces), partitions, offsets, lang=lang)


def repeated_codes(bucket: int, pieces: Sequence[DuplicateKeys | None]) -> Repeats:
    """The codes of one bucket met more than once (case-insensitive), each occurrence after the first with where
    the first is: ``pieces`` are the partitions' keys in input order (``None`` for a failed partition)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    at: list[int] = []
    rows: list[I64] = []
    held: list[I64] = []
    statuses: list[I8] = []
    texts: list[pa.Array] = []
    for k, piece in enumerate(pieces):
        if piece is None:
            continue
        r, kk, st, tx = piece.buckets[bucket]
        at.append(k)
        rows.append(r)
        held.append(kk)
        statuses.append(st)
        texts.append(tx)
    none = Repeats(*(np.zeros(0, np.int64),) * 4, np.zeros(0, np.int8), _no_text())
    if not rows:
        return none
    # candidates: codes whose key is not alone (almost every code is unique) — equal packed keys are equal codes,
    # and for hashed ones the codes themselves decide below, so a hash shared by different codes is never reported.
    # The keys are sorted, not argsorted: numpy sorts 64-bit integers with SIMD, 3.5x faster than an argsort of the
    # same (9 against 33 ms for 600,000 keys, a bucket's at 10 million rows), and this stage runs after the last
    # partition, while the cluster waits on it
    every = np.concatenate(held)
    ident = identity(every)
    ks = np.sort(ident)
    repeat = ks[1:] == ks[:-1]
    if not repeat.any():
        return none
    cand = np.flatnonzero(np.isin(ident, ks[1:][repeat]))
    # the partition of each key, made only now: almost every bucket has no repeat and stops above
    p = np.repeat(np.asarray(at, dtype=np.int64), [len(r) for r in rows])[cand]
    r = np.concatenate(rows)[cand]
    c = _texts(every, cand, texts)
    status = np.concatenate(statuses)[cand]
    key = np.asarray(pc.utf8_upper(c).dictionary_encode().indices, dtype=np.int64)
    repeated = np.flatnonzero(np.bincount(key)[key] > 1)
    if not len(repeated):
        return none
    # in input order within each code: partition, then row (rows of one partition share its offset)
    order = repeated[np.lexsort((r[repeated], p[repeated], key[repeated]))]
    keys = key[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = keys[1:] == keys[:-1]
    group_start = np.maximum.accumulate(np.where(~same, np.arange(len(order)), 0))
    later = np.flatnonzero(same)
    i, f = order[later], order[group_start[later]]
    return Repeats(p[i], r[i], p[f], r[f], status[i], c.take(pa.array(i)))


def duplicate_findings(
    repeats: Repeats, partitions: Sequence[Partition], offsets: Sequence[int], *, lang: str | None = None
) -> list[tuple[int, RowProblem, int]]:
    """The ``E_DUPLICATE_DOSSIER`` findings of :func:`repeated_codes`, with the rows of the files (``offsets``: per
    partition, the file row number just before its first row), worded as one machine words them.

    Returns:
        (partition index, finding, status of the row from its own checks) — for :meth:`Combiner.add_late`.
    """
    out: list[tuple[int, RowProblem, int]] = []
    columns = (repeats.at, repeats.row, repeats.first_at, repeats.first_row, repeats.status)
    for (k, row, kf, first_row, status), code in zip(
        zip(*(c.tolist() for c in columns), strict=True), repeats.codes.to_pylist(), strict=True
    ):
        part, first = partitions[k], partitions[kf]
        said = duplicate_message(
            code, offsets[kf] + first_row, None if first.file_index == part.file_index else first.file, lang
        )
        problem = RowProblem(part.file, offsets[k] + row, "dossier_code", "E_DUPLICATE_DOSSIER", said, str(code))
        out.append((part.index, problem, status))
    return out


def _texts(keys: I64, cand: npt.NDArray[np.intp], texts: Sequence[pa.Array]) -> pa.Array:
    """The codes, as written, at ``cand``: read back from a packed key, else the text that came with the hash (the
    ``texts`` hold the hashed keys' codes in order)."""
    import pyarrow as pa

    hashed = keys >= 0
    at = cand[hashed[cand]]
    rank = np.cumsum(hashed)[at] - 1  # where each one's text is among the hashed keys' texts
    written = pa.concat_arrays([*(t.cast(pa.string()) for t in texts), _no_text()]).take(pa.array(rank))
    mine = unpacked(keys[cand[~hashed[cand]]]).cast(pa.string())
    # back in candidate order: the packed ones first, then the hashed ones, each in order
    first = np.concatenate([np.flatnonzero(~hashed[cand]), np.flatnonzero(hashed[cand])])
    return pa.concat_arrays([mine, written]).take(pa.array(np.argsort(first, kind="stable")))


def row_offsets(partitions: Sequence[Partition], lines: Sequence[int]) -> list[int]:
    """Per partition, the file row number just before its first row (rows of earlier partitions of its file)."""
    out: list[int] = []
    done: dict[int, int] = {}
    for part, n in zip(partitions, lines, strict=True):
        before = done.get(part.file_index, 0)
        out.append(before)
        done[part.file_index] = before + n
    return out


# ------------------------------------------------------------------------------------------------------ combining


class Combiner:
    """Folds partition results, fed in partition order, into a :class:`ValidationSummary` — the single-machine
    run's counting (:class:`~tthc.validation.run.Tally`), applied to whole partitions (findings to ``report`` in the
    same order, examples the same). Findings are unpacked one block at a time and not kept. ``lang``: the language
    of the messages the combiner writes itself (``E_UNREADABLE_RANGE``) — the run's ``ValidationOptions.lang``
    (None: ``TTHC_LANG``, else Vietnamese)."""

    def __init__(
        self,
        infos: Sequence[StreamInfo],
        report: FindingWriter | None = None,
        max_examples: int = 3,
        *,
        lang: str | None = None,
    ) -> None:
        self.infos = tuple(infos)
        self.tally = Tally(report, max_examples)
        self.failed: list[Partition] = []
        self.lang = resolve_lang(lang)

    @property
    def rows(self) -> int:
        """Rows accounted for so far."""
        return self.tally.rows

    def add(self, result: PartitionResult, offset: int) -> None:
        """Add one partition's result; ``offset`` is the file row number just before its first row."""
        part = result.partition
        if result.error is not None:
            self.failed.append(part)
            first, last = offset + 1, offset + result.lines
            rows = max(result.lines - result.blank_lines, 0)  # a blank line is not a row, read or not
            where: list[Words] = [words(_GROUPS, groups=",".join(map(str, part.row_groups)))] if part.row_groups else []
            where.append(words(_BYTES, start=part.start, end=part.end) if part.end else words(_PART, index=part.index))
            said = words(_UNREADABLE, first=first, last=last, what=Joined(tuple(where)), count=rows, error=result.error)
            value = f"bytes {part.start}..{part.end}" if part.end else None  # the range as data, like a cell
            problem = RowProblem.of(part.file, first, "(range)", UNREADABLE_RANGE, said, value).in_language(self.lang)
            self.tally.add_unreadable(problem, rows)
            self.tally.blank += result.blank_lines
            return
        own: Iterable[RowProblem] = (
            itertools.chain.from_iterable(result.findings.batches(offset)) if result.findings is not None else ()
        )
        self.tally.add_rows(result.rows)
        self.tally.add_findings(own)
        self.tally.add_counts(
            result.blank_lines, result.timeliness_pause.items(), result.timeliness_restart.items(), result.kpi
        )

    def add_late(self, duplicates: Iterable[tuple[int, RowProblem, int]]) -> None:
        """After the last partition: the :func:`find_duplicates` findings of every bucket, in any order — reported
        after all the others in partition (file) and row order, as the single-machine run reports them."""
        ordered = sorted(duplicates, key=lambda d: (d[0], d[1].row))
        self.tally.add_late((problem, status) for _, problem, status in ordered)

    def summary(self) -> ValidationSummary:
        return self.tally.summary(self.infos)
