"""The duplicate dossier code check of a whole run (``E_DUPLICATE_DOSSIER``): exact, O(n log n) in total, in memory
that does not grow with the input.

A code repeats when an earlier row (in file order, then row order) has the same code, case-insensitive
(upper-cased as Arrow's ``utf8_upper`` does, or ``str.upper`` without pyarrow). Every occurrence after the first is
reported, naming where the first is. Which rows repeat is only known once every row has been read, so the findings
come **after all the other findings of the run**, in file and row order.

How (:class:`DuplicateCodes`):

1. Each checked piece hands over its codes with their place (file, row) and what its other checks found on each row
   (:func:`row_status`: nothing, warnings only, an error). Each code gets a 64-bit key (:func:`code_keys`): a code
   of the canonical form (``000.00.53.H48-220921-0099``, the national portal's form) is packed into it
   exactly — equal keys are equal codes, and the code is read back from its key — any other code gets a hash. The
   key decides the bucket.
2. Codes are held in memory up to a bound (:data:`MEMORY_BYTES`); past it, the held codes are written, bucket by
   bucket, to an anonymous temporary file (hash partitions spilled to disk) and memory is freed.
3. At the end, the buckets are read back a run of consecutive buckets at a time — as many as fit the memory bound
   (equal codes are always in one bucket, so any run of buckets holds all of each code's occurrences; the codes still
   held are read where they are, each run picking its buckets' codes) — and sorted by key, :data:`END_THREADS` runs at
   once, each within its share of the memory bound; only hashed codes whose hash occurs
   more than once are compared — on the codes themselves, so a hash collision is never reported as a duplicate (a
   packed key needs no comparison, and its code is not kept). Each run gives its repeats sorted by row; the runs
   are merged once into file and row order (kept in memory while few, spilled and merged from disk when a file
   repeats codes by the million).

Memory: the held codes (:data:`MEMORY_BYTES`: about 21 bytes a packed code — 600,000 of them — 50 a hashed one);
at the end, those still held and one run of buckets (each within the same bound), and the repeats while few (the
same bound). Disk: the same bytes per code in the temporary folder, only for what passes the bound. Time: one key per
code, one sort of the keys (and of the places of the repeats).
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import numpy as np
import numpy.typing as npt

from tthc.foundation.cores import ordered_map, usable_cores
from tthc.foundation.i18n import N_, resolve_lang
from tthc.foundation.output_files import temporary_space
from tthc.records.arrays import from_numpy, string_array, to_numpy
from tthc.records.chunks import RowProblem
from tthc.records.columns import StrCol
from tthc.validation.chunk import ChunkResult
from tthc.validation.code_keys import (
    Codes,
    Hasher,
    code_hashes,
    code_keys,
    identity,
    mix,
    strings_from_buffers,
    unpacked,
    utf8_buffers,
)
from tthc.validation.rules import message

__all__ = [
    "BUCKETS",
    "MEMORY_BYTES",
    "ROW_ERROR",
    "ROW_OK",
    "ROW_WARNING",
    "DuplicateCodes",
    "code_hashes",
    "code_keys",
    "duplicate_message",
    "row_status",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]

ROW_OK, ROW_WARNING, ROW_ERROR = 0, 1, 2
"""What a row's own checks found (:func:`row_status`): nothing, warnings only, at least one error."""

MEMORY_BYTES = 12 << 20
"""Bytes of codes held in memory (keys, places, statuses, the text of hashed codes) before they are spilled to the
temporary file."""
_WITHOUT = N_("check without looking for repeated codes (--no-duplicates; duplicates=False)")

BUCKETS = 256
"""Hash partitions of the spill; the end reads one at a time."""

_ROW_BITS = 40
"""A code's place is one integer: the input's index (which file) above the row number (rows < 2**40)."""
_ROW_MASK = (1 << _ROW_BITS) - 1
_RUN_BLOCK = 1 << 16
"""Repeats per block of a spilled run (the merge holds one block per bucket)."""
END_THREADS = 2
"""Runs of buckets looked through at once at the end, in threads (each within its share of the memory bound): nothing
else runs then, and the sorts and gathers of numpy and Arrow release the GIL."""
_THREADED_CODES = 1 << 17
"""Fewer codes than this are looked through in one thread (a thread pool costs more than it saves)."""


def row_status(result: ChunkResult) -> I8:
    """Per read row of ``result`` (aligned with ``result.rows``): :data:`ROW_ERROR` when one of its findings is an
    error, :data:`ROW_WARNING` when it has warnings only, :data:`ROW_OK` otherwise — the classes
    :class:`~tthc.validation.run.Tally` counts, so a row that turns out to be a duplicate is counted once."""
    status = np.where(np.asarray(result.valid, dtype=bool), ROW_OK, ROW_ERROR).astype(np.int8)
    if result.findings and (status == ROW_OK).any():
        warned = [p.row for p in result.findings if p.code.startswith("W_")]
        if warned:
            status[(status == ROW_OK) & np.isin(result.rows, np.asarray(warned, dtype=np.int64))] = ROW_WARNING
    return status


def _have_arrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def present_codes(col: StrCol, present: npt.NDArray[np.intp]) -> Codes:
    """The non-empty codes at ``present``, as Arrow strings when pyarrow is there (whatever reader gave them, so every
    code of a run is normalised and hashed by one rule), else as a numpy object array."""
    if not _have_arrow():
        return np.asarray(col.objects()[present], dtype=object)

    if col.arrow is not None:
        return col.arrow if len(present) == len(col) else col.arrow.take(from_numpy(present.astype(np.int64)))
    return string_array([str(v) for v in col.objects()[present]])


def _to_bytes_column(codes: Codes) -> tuple[I64, npt.NDArray[np.uint8]]:
    """(offsets, UTF-8 bytes) of the codes: how the spill stores them."""
    if not isinstance(codes, np.ndarray):
        return utf8_buffers(codes)
    encoded = [str(v).encode("utf-8") for v in codes]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8)


def _take(codes: Codes, idx: npt.NDArray[np.intp]) -> Codes:
    if isinstance(codes, np.ndarray):
        return codes[idx]

    return codes.take(from_numpy(idx.astype(np.int64)))


def _text_bytes(codes: Codes) -> int:
    """Bytes of text in the codes (an estimate without pyarrow)."""
    return int(codes.nbytes) if not isinstance(codes, np.ndarray) else 48 * len(codes)


def _nbytes(block: Block | Run) -> int:
    """Bytes a block of codes (or a run of repeats) holds in memory."""
    return int(block[0].nbytes + block[1].nbytes + block[2].nbytes) + _text_bytes(block[3])


def _no_codes(n: int, arrow: bool) -> Codes:
    """``n`` empty codes, held in place of codes their keys hold."""
    if not arrow:
        return np.full(n, "", dtype=object)
    return strings_from_buffers(np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8), True)


def _concat_codes(parts: Sequence[Codes]) -> Codes:
    if isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)
    import pyarrow as pa

    kinds = {p.type for p in parts}
    if len(kinds) > 1:  # string and large_string (inputs written by different tools): one type to concatenate
        parts = [p.cast(pa.large_string()) for p in parts]
    return pa.concat_arrays(list(parts))


def _normalised_keys(codes: Codes) -> I64:
    """An integer per code, equal exactly when the upper-cased codes are equal."""
    if isinstance(codes, np.ndarray):
        table: dict[str, int] = {}
        return np.fromiter(
            (table.setdefault(str(v).upper(), len(table)) for v in codes), dtype=np.int64, count=len(codes)
        )
    import pyarrow.compute as pc

    return to_numpy(pc.utf8_upper(codes).dictionary_encode().indices).astype(np.int64)


Block = tuple[I64, I64, I8, Codes]
"""(hashes, places, row statuses, codes) of some codes of the run."""
Run = tuple[I64, I64, I8, Codes]
"""(places of the repeats, places of their first occurrences, row statuses, the repeated codes), by place."""


def _concat(blocks: Sequence[Block]) -> Block:
    if len(blocks) == 1:
        return blocks[0]
    return (
        np.concatenate([b[0] for b in blocks]),
        np.concatenate([b[1] for b in blocks]),
        np.concatenate([b[2] for b in blocks]),
        _concat_codes([b[3] for b in blocks]),
    )


def _repeats(block: Block) -> Run | None:
    """The repeats among codes whose equal codes are all in ``block`` (a bucket, or everything), by place."""
    keys, place, status, codes = block
    ident = identity(keys)
    # the keys that occur more than once (sorting values is several times faster than sorting positions) ...
    ordered = np.sort(ident)
    again = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(again):
        return None
    distinct = np.ones(len(again), dtype=bool)
    distinct[1:] = again[1:] != again[:-1]
    again = again[distinct]
    # ... and the codes that have them: repeats, or (rarely) a hash collision
    cand = np.flatnonzero(again[np.minimum(np.searchsorted(again, ident), len(again) - 1)] == ident)
    # a packed key is its code; hashed codes are compared on the codes themselves
    same = np.zeros(len(cand), dtype=np.int64)
    hashed = np.flatnonzero(keys[cand] >= 0)
    if len(hashed):
        same[hashed] = _normalised_keys(_take(codes, cand[hashed]))
    by = np.lexsort((place[cand], same, ident[cand]))
    idx, k, c = cand[by], same[by], ident[cand][by]
    first = np.ones(len(idx), dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (c[1:] != c[:-1])
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(idx)), 0))
    rep = np.flatnonzero(~first)
    if not len(rep):
        return None
    dup, orig = idx[rep], idx[group_start[rep]]
    o = np.argsort(place[dup], kind="stable")
    dup, orig = dup[o], orig[o]
    return place[dup], place[orig], status[dup], _written(keys[dup], codes, dup)


def _written(keys: I64, codes: Codes, idx: npt.NDArray[np.intp]) -> Codes:
    """The codes at ``idx`` as written: read back from their keys where packed, else taken from ``codes``."""
    packed = keys < 0
    if not packed.any():
        return _take(codes, idx)
    if packed.all():
        return unpacked(keys)
    at = np.empty(len(idx), dtype=np.intp)
    at[packed] = np.arange(int(packed.sum()))
    at[~packed] = int(packed.sum()) + np.arange(int((~packed).sum()))
    return _take(_concat_codes([unpacked(keys[packed]), _take(codes, idx[~packed])]), at)


def duplicate_message(code: object, row: int, first_file: str | None, lang: str | None = None) -> str:
    """``dossier code X already on row 12`` (``… of a.csv`` when the first is in another file), in ``lang``: the one
    wording of an ``E_DUPLICATE_DOSSIER`` message."""
    if first_file is None:
        return message("duplicate_code", resolve_lang(lang)).format(code=code, row=row)
    return message("duplicate_code_in_file", resolve_lang(lang)).format(code=code, row=row, file=first_file)


class DuplicateCodes:
    """The duplicate dossier codes of one run, found once every code is in (see the module docstring).

    Use: :meth:`start_file` before each input, :meth:`add` for each checked piece (in file and row order),
    :meth:`found` once at the end, :meth:`close` (or a ``with`` block) to remove the temporary file.

    Args:
        memory_bytes: bytes of codes held in memory before spilling (default :data:`MEMORY_BYTES`).
        buckets: hash partitions of the spill (default :data:`BUCKETS`).
        spill_dir: folder of the temporary file (default: the system's, ``TMPDIR``).
        hasher: the hash of a block of codes (:func:`code_hashes`); tests force collisions with it.
        lang: the language of the findings' messages (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese),
            as ``ValidationOptions.lang`` of the run.

    Raises:
        InvalidValueError: a language other than Vietnamese or English.
    """

    def __init__(
        self,
        *,
        memory_bytes: int | None = None,
        buckets: int | None = None,
        spill_dir: str | Path | None = None,
        hasher: Hasher | None = None,
        lang: str | None = None,
    ) -> None:
        self._lang = resolve_lang(lang)
        self._memory = max(1, MEMORY_BYTES if memory_bytes is None else memory_bytes)
        self._buckets = min(max(1, BUCKETS if buckets is None else buckets), 1 << 16)
        self._dir = spill_dir
        self._hash = hasher or code_hashes
        self._files: list[str] = []
        self._held: list[Block] = []
        self._held_n = 0
        self._spill: IO[bytes] | None = None
        self._segments: list[_Segment] = []
        self._arrow = _have_arrow()
        self.codes = 0
        """Codes added so far."""

    @property
    def spilled(self) -> bool:
        """Whether codes were written to the temporary file."""
        return self._spill is not None

    def start_file(self, file: str) -> None:
        """The next input begins (its rows come after every row of the inputs before it)."""
        self._files.append(file)

    def add(self, rows: I64, codes: StrCol, status: I8, hashes: I64 | None = None) -> None:
        """The codes of some rows of the current input (``None`` = no code; not checked), with each row's status;
        ``hashes``: the keys of the non-empty codes, when made already (by :func:`code_keys`, in a worker)."""
        if not self._files:
            self.start_file("")
        present = np.flatnonzero(~codes.is_null())
        if not len(present):
            return
        c = present_codes(codes, present) if hashes is None or (hashes >= 0).any() else None
        place = (np.int64(len(self._files) - 1) << np.int64(_ROW_BITS)) | rows[present].astype(np.int64)
        h = code_keys(c, self._hash) if hashes is None else hashes
        if (h < 0).all():  # every code packed into its key: none needs keeping
            c = _no_codes(len(h), self._arrow)
        block = (h, place, status[present].astype(np.int8), c)
        self._held.append(block)
        self._held_n += _nbytes(block)
        self.codes += len(present)
        if self._held_n >= self._memory:
            self._flush()

    def _bucket_of(self, h: I64) -> npt.NDArray[np.uint16]:
        """The bucket of each key."""
        bits = max(1, (self._buckets - 1).bit_length())
        shift = np.uint64(64 - bits)
        # buckets as 16-bit numbers: numpy's stable sort is then a radix sort, linear; mixed, as packed keys and
        # 63-bit hashes do not spread over the top bits
        with np.errstate(over="ignore"):
            spread = mix(identity(h).view(np.uint64))
        top = spread >> shift  # below 2**bits: already a bucket when there are 2**bits buckets
        return (top if self._buckets == 1 << bits else top % np.uint64(self._buckets)).astype(np.uint16)

    def _by_bucket(self, blocks: Sequence[Block]) -> _Held:
        """The codes of ``blocks`` sorted by bucket (stable: in the order added within a bucket)."""
        h, place, status, codes = _concat(blocks)
        bucket = self._bucket_of(h)
        order = np.argsort(bucket, kind="stable")
        if _has_text(codes):
            offsets, data = _to_bytes_column(_take(codes, order))
        else:  # every code is in its key
            offsets, data = np.zeros(len(order) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
        return _Held(self._bounds(bucket), h[order], place[order], status[order], offsets, data)

    def _bounds(self, bucket: npt.NDArray[np.uint16]) -> I64:
        """Where each bucket starts among codes sorted by bucket (and where the last ends)."""
        bounds = np.zeros(self._buckets + 1, dtype=np.int64)
        np.cumsum(np.bincount(bucket, minlength=self._buckets), out=bounds[1:])
        return bounds

    def _in_place(self, blocks: Sequence[Block]) -> _Bucketed:
        """The codes of ``blocks`` as they are, with each one's bucket: read a run of buckets at a time at the end
        (no sort of the codes still held by bucket: each run picks its own)."""
        h, place, status, codes = _concat(blocks)
        bucket = self._bucket_of(h)
        return _Bucketed(self._bounds(bucket), bucket, h, place, status, codes if _has_text(codes) else None)

    def _flush(self) -> None:
        """Write the held codes to the temporary file as one segment sorted by bucket, column after column (keys,
        places, statuses, code offsets, code bytes): the end reads a range of buckets as five contiguous reads."""
        if not self._held:
            return
        held = self._by_bucket(self._held)
        self._held, self._held_n = [], 0
        with temporary_space(self._dir, without=_WITHOUT):
            if self._spill is None:
                self._spill = tempfile.TemporaryFile(prefix="tthc-duplicates-", dir=self._dir)  # noqa: SIM115
            self._spill.seek(0, 2)
            start = self._spill.tell()
            for column in held.columns():
                self._spill.write(np.ascontiguousarray(column).data.cast("B"))
        self._segments.append(_Segment(start, held.bounds, len(held.data)))

    def _group(self, parts: Sequence[_Bucketed | _Segment], lo: int, hi: int, lock: threading.Lock) -> Block:
        """Buckets ``lo`` to ``hi`` of every segment and of the codes still held, as one block."""
        got = []
        for p in parts:
            if p.bounds[hi] > p.bounds[lo]:
                if isinstance(p, _Segment):
                    assert self._spill is not None
                    with lock:  # one file position for every thread
                        got.append(p.read(self._spill, lo, hi))
                else:
                    got.append(p.read(lo, hi))
        if not got:
            return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0, dtype=object))
        shift = np.cumsum([0] + [int(p[3][-1]) for p in got[:-1]])
        offsets = np.concatenate([got[0][3][:1]] + [p[3][1:] + k for p, k in zip(got, shift, strict=True)])
        codes = strings_from_buffers(offsets, np.concatenate([p[4] for p in got]), self._arrow)
        return (
            np.concatenate([p[0] for p in got]),
            np.concatenate([p[1] for p in got]),
            np.concatenate([p[2] for p in got]),
            codes,
        )

    def _runs(self) -> Iterator[Run]:
        # the codes still held stay in memory as they are; then the buckets, a few at a time: as many as fit the
        # memory bound (equal codes are always in one bucket, so any range of buckets is exact), shared out among
        # END_THREADS threads — each range within its share of the bound, so memory is what one thread would hold
        parts: list[_Bucketed | _Segment] = list(self._segments)
        if self._held:
            parts.append(self._in_place(self._held))
            self._held, self._held_n = [], 0
        if not parts:
            return
        per_bucket = np.sum([np.diff(p.bounds) for p in parts], axis=0)
        codes = int(per_bucket.sum())
        threads = min(END_THREADS, usable_cores()) if codes >= _THREADED_CODES else 1
        if self._spill is None:  # every code in memory already: ranges only to share out among the threads
            most = -(-codes // threads)
        else:
            text = sum(p.text_bytes for p in parts)
            per_code = 25 + text / max(1, codes)  # key, place, status, offset and the average text
            most = max(1, int(self._memory / per_code / threads))
        ends = _bucket_ranges(per_bucket, most)
        ranges = list(zip([0, *ends[:-1]], ends, strict=True))
        lock = threading.Lock()

        def look(bounds: tuple[int, int]) -> Run | None:
            block = self._group(parts, *bounds, lock)
            return _repeats(block) if len(block[0]) > 1 else None

        if threads < 2 or len(ranges) < 2:
            found: Iterator[Run | None] = map(look, ranges)
            yield from (run for run in found if run is not None)
            return
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(threads, thread_name_prefix="tthc-duplicates")
        try:
            yield from (run for run in ordered_map(pool, look, ranges, threads) if run is not None)
        finally:  # also when the caller stops early: nothing left running
            pool.shutdown(wait=True, cancel_futures=True)

    def found(self) -> Iterator[tuple[RowProblem, int]]:
        """Every repeat as an ``E_DUPLICATE_DOSSIER`` finding with the status its row had (:func:`row_status`), in
        file and row order. Call once, after the last :meth:`add`."""
        runs = _RunStore(self._memory, self._dir)
        try:
            for run in self._runs():
                runs.add(run)
            for place, first, status, code in runs.merged():
                yield self._problem(place, first, code), status
        finally:
            runs.close()

    def _problem(self, place: int, first: int, code: object) -> RowProblem:
        file, first_file = self._files[place >> _ROW_BITS], self._files[first >> _ROW_BITS]
        return RowProblem(
            file, place & _ROW_MASK, "dossier_code", "E_DUPLICATE_DOSSIER",
            duplicate_message(code, first & _ROW_MASK, None if first_file == file else first_file, self._lang),
            str(code),
        )  # fmt: skip

    def close(self) -> None:
        """Remove the temporary file (the codes are gone)."""
        self._held, self._held_n = [], 0
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def __enter__(self) -> DuplicateCodes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _bucket_ranges(per_bucket: I64, most: int) -> list[int]:
    """Ends of consecutive ranges of buckets holding about ``most`` codes each (a bucket larger than that alone)."""
    ends: list[int] = []
    held = 0
    for b, n in enumerate(per_bucket.tolist()):
        if held and held + n > most:
            ends.append(b)
            held = 0
        held += n
    ends.append(len(per_bucket))
    return ends


@attrs.frozen(slots=True)
class _Held:
    """Codes sorted by bucket, as a flush writes them: bucket ``b`` is rows ``bounds[b]`` to ``bounds[b + 1]``."""

    bounds: I64
    keys: I64
    places: I64
    statuses: I8
    offsets: I64
    data: npt.NDArray[np.uint8]

    def columns(self) -> tuple[npt.NDArray[np.generic], ...]:
        return self.keys, self.places, self.statuses, self.offsets, self.data


@attrs.frozen(slots=True)
class _Bucketed:
    """Codes in the order added, with each one's bucket: bucket ``b`` holds ``bounds[b + 1] - bounds[b]`` of them.
    ``codes``: None when every code is in its key."""

    bounds: I64
    bucket: npt.NDArray[np.uint16]
    keys: I64
    places: I64
    statuses: I8
    codes: Codes | None

    @property
    def text_bytes(self) -> int:
        return 0 if self.codes is None else _text_bytes(self.codes)

    def read(self, lo: int, hi: int) -> tuple[I64, I64, I8, I64, npt.NDArray[np.uint8]]:
        """Buckets ``lo`` to ``hi`` (in the order added): keys, places, statuses, offsets (from 0) and bytes."""
        if lo == 0 and hi == len(self.bounds) - 1:
            at = None
            keys, places, statuses = self.keys, self.places, self.statuses
        else:
            at = np.flatnonzero((self.bucket >= lo) & (self.bucket < hi))
            keys, places, statuses = self.keys[at], self.places[at], self.statuses[at]
        if self.codes is None:
            return keys, places, statuses, np.zeros(len(keys) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
        offsets, data = _to_bytes_column(self.codes if at is None else _take(self.codes, at))
        return keys, places, statuses, offsets, data


@attrs.frozen(slots=True)
class _Segment:
    """One flush of held codes in the temporary file from byte ``start``, sorted by bucket and written column after
    column (keys, places, statuses, code offsets, code bytes; :meth:`_Held.columns`): bucket ``b`` is rows
    ``bounds[b]`` to ``bounds[b + 1]``."""

    start: int
    bounds: I64
    text_bytes: int

    def read(self, fh: IO[bytes], lo: int, hi: int) -> tuple[I64, I64, I8, I64, npt.NDArray[np.uint8]]:
        """Buckets ``lo`` to ``hi``: keys, places, statuses, offsets (from 0) and bytes."""
        n = int(self.bounds[-1])
        a, b = int(self.bounds[lo]), int(self.bounds[hi])
        h = _read(fh, self.start + 8 * a, b - a, np.int64)
        place = _read(fh, self.start + 8 * (n + a), b - a, np.int64)
        status = _read(fh, self.start + 16 * n + a, b - a, np.int8)
        offsets = _read(fh, self.start + 17 * n + 8 * a, b - a + 1, np.int64)
        data = _read(fh, self.start + 25 * n + 8 + int(offsets[0]), int(offsets[-1] - offsets[0]), np.uint8)
        return h, place, status, offsets - offsets[0], data


def _read(fh: IO[bytes], at: int, count: int, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """``count`` values of ``dtype`` from byte ``at`` of ``fh``, read straight into a new array."""
    out = np.empty(count, dtype=dtype)
    fh.seek(at)
    view = out.data.cast("B")
    got = fh.readinto(view)  # type: ignore[attr-defined]
    if got != len(view):  # pragma: no cover - our own temporary file, written whole
        raise OSError("tthc: the duplicate check's temporary file was cut short")
    return out


class _RunStore:
    """The buckets' runs of repeats, each sorted by place: held while few, written to a temporary file past
    ``memory`` bytes; :meth:`merged` gives them all in place order (one sort in memory, or one k-way merge)."""

    def __init__(self, memory: int, spill_dir: str | Path | None) -> None:
        self._memory = memory
        self._dir = spill_dir
        self._held: list[Run] = []
        self._held_n = 0
        self._spill: IO[bytes] | None = None
        self._spilled: list[list[int]] = []  # per spilled run, the offsets of its blocks

    def add(self, run: Run) -> None:
        self._held.append(run)
        self._held_n += _nbytes(run)
        if self._spill is not None or self._held_n > self._memory:
            self._write_held()

    def _write_held(self) -> None:
        with temporary_space(self._dir, without=_WITHOUT):
            if self._spill is None:
                self._spill = tempfile.TemporaryFile(prefix="tthc-duplicates-", dir=self._dir)  # noqa: SIM115
            self._spill.seek(0, 2)
            for run in self._held:
                offsets = []
                for lo in range(0, len(run[0]), _RUN_BLOCK):
                    hi = lo + _RUN_BLOCK
                    piece = (run[0][lo:hi], run[1][lo:hi], run[2][lo:hi], _block_codes(run[3], lo, hi))
                    offsets.append(self._spill.tell())
                    pickle.dump(piece, self._spill, protocol=5)
                self._spilled.append(offsets)
        self._held, self._held_n = [], 0

    def merged(self) -> Iterator[tuple[int, int, int, object]]:
        if self._spill is None:
            if not self._held:
                return
            place, first, status, codes = _concat(self._held)
            order = np.argsort(place, kind="stable")
            yield from zip(
                place[order].tolist(), first[order].tolist(), status[order].tolist(), _as_list(_take(codes, order)),
                strict=True,
            )  # fmt: skip
            return
        yield from heapq.merge(*(self._read(offsets) for offsets in self._spilled), key=lambda item: item[0])

    def _read(self, offsets: list[int]) -> Iterator[tuple[int, int, int, object]]:
        assert self._spill is not None
        for offset in offsets:
            self._spill.seek(offset)
            place, first, status, codes = pickle.load(self._spill)  # our own temporary file
            yield from zip(place.tolist(), first.tolist(), status.tolist(), _as_list(codes), strict=True)

    def close(self) -> None:
        self._held = []
        if self._spill is not None:
            self._spill.close()
            self._spill = None


def _block_codes(codes: Codes, lo: int, hi: int) -> Codes:
    # a slice of an Arrow array pickles its whole buffer: take a copy of just the slice
    return _take(codes, np.arange(lo, min(hi, len(codes)), dtype=np.intp))


def _has_text(codes: Codes) -> bool:
    """Whether some code has text (else every code is in its key: an Arrow array of empty strings has no bytes)."""
    if isinstance(codes, np.ndarray):
        return len(codes) > 0
    data = codes.buffers()[2]
    return data is not None and data.size > 0


def _as_list(codes: Codes) -> list[object]:
    return list(codes.tolist()) if isinstance(codes, np.ndarray) else list(codes.to_pylist())
