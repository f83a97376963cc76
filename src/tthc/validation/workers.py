"""Checking the pieces of a stream, in order: in this process (a background thread reading ahead, two threads
checking pieces at once), or in a pool of forked worker processes (``jobs`` > 1) that read and check whole stretches
of the file (CSV blocks no quoted field crosses, Parquet row groups) and hand their results back in file order — what
:func:`tthc.validation.run.validate_files` sums, whatever the number of jobs or threads.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.foundation.cores import (
    MAX_JOBS,
    can_fork,
    end_pool,
    heap_kept_from_workers,
    leave_interrupts_to_parent,
    ordered_map,
    usable_cores,
    worker_losses,
)
from tthc.records.chunks import RawChunk, ReadTask, RecordStream, run_tasks
from tthc.validation.chunk import CHECK_ROWS, FINDINGS_PER_PIECE, ChunkResult, PieceSize, split_chunk, validate_chunk
from tthc.validation.context import ValidationContext
from tthc.validation.duplicates import code_keys, present_codes

if TYPE_CHECKING:  # the pool is started on first need: a run in this process (a small file) never imports it
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["CHECK_THREADS", "TASK_FINDINGS", "TASK_ROWS", "Checked", "Checker", "available_jobs", "default_jobs"]

I64 = npt.NDArray[np.int64]


def _hashes(result: ChunkResult) -> I64:
    codes = result.dossier_codes
    present = np.flatnonzero(~codes.is_null())
    # every code there: the column the checks read, whose form they found already
    return code_keys(present_codes(codes, present), column=codes if len(present) == len(codes) else None)


available_jobs = usable_cores
"""The cores this process may use (:func:`tthc.foundation.cores.usable_cores`): the default number of jobs."""


CHECK_THREADS = 2
"""Pieces checked at once in one process, in threads (no more than the cores this process may use). Most checks are
numpy and Arrow kernels over whole columns, which release the GIL: under ``py-spy --gil`` a piece's checks hold it
about 40 % of their time, so a second thread keeps the second core busy. Results are taken in input order."""


def default_jobs() -> int:
    """The processes a command uses unless told (``tthc validate --jobs``): one per :data:`CHECK_THREADS` cores this
    process may use. One process keeps about that many cores busy — its checking threads, pyarrow's reader threads —
    so a worker process per core only adds pipes: on 2 cores one process took 1.50 s for 1M rows of CSV and two
    worker processes 2.28 s (docs/performance.md)."""
    return max(1, available_jobs() // max(1, CHECK_THREADS))


TASK_ROWS = 8 * CHECK_ROWS
"""A worker hands back what it checked of a stretch after about this many rows ..."""
TASK_FINDINGS = 4 * FINDINGS_PER_PIECE
"""... or this many findings, and is asked again for the rest: what waits to be used stays bounded however large
the stretch (a Parquet row group of millions of rows) and however many of its rows are bad."""

Checked = tuple[int, ChunkResult, "I64 | None"]
"""(bytes of the file read up to the piece, the piece's result, the keys of its dossier codes when a worker made
them for the duplicate check: :func:`~tthc.validation.duplicates.code_keys`)."""
_Resume = tuple[int, int]
"""(chunk of the stretch, row of that chunk) to resume from."""


class Checker:
    """Checks the pieces of one stream after another, in order: in this process (a background thread reading ahead,
    :data:`CHECK_THREADS` threads checking), or — ``jobs`` > 1 and a stream of several stretches — in a pool of worker
    processes, started on first need."""

    def __init__(self, catalog: Catalog, ctx: ValidationContext, jobs: int, size: PieceSize, hashes: bool) -> None:
        self.catalog, self.ctx, self.size, self.hashes = catalog, ctx, size, hashes
        self.jobs = min(jobs, MAX_JOBS) if jobs > 1 and can_fork() else 1
        self.pool: ProcessPoolExecutor | None = None
        self._heap = contextlib.ExitStack()  # the heap frozen while the pool runs: heap_kept_from_workers

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        with self._heap:  # unfrozen once the workers are gone
            if self.pool is not None:  # a run abandoned (an error, Ctrl-C, SIGTERM) ends its workers at once
                end_pool(self.pool, abandoned=exc_type is not None)

    def check(self, stream: RecordStream) -> Iterator[Checked]:
        tasks = stream.tasks() if self.jobs > 1 else None
        if tasks is None:
            yield from self._here(_prefetch(stream))
            return
        first = list(itertools.islice(tasks, 2))
        if len(first) < 2:  # one stretch: nothing to share out
            yield from self._here(_prefetch(run_tasks(iter(first))))
            return
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            # imported and worked out once here, inherited by every worker rather than redone in each: Arrow's
            # compute functions (made on import) and the days postal rules change on
            with contextlib.suppress(ImportError):  # no pyarrow: no stretches to share out either
                import pyarrow.compute  # noqa: F401
            if self.ctx.options.postal_eligibility:
                self.ctx.eligibility_boundaries()

            # forked before the reader starts a thread; the workers inherit the catalog and the caches — and
            # whatever else the process holds, its garbage too: frozen, a worker's collector leaves it alone (a
            # dropped DuckDB connection, freed in a worker, ran a destructor that joins threads a fork does not
            # copy: SIGSEGV). Forked, not started from a fresh interpreter ("forkserver", "spawn"): those import
            # the caller's main script again, and each pool's start took 0.7-1.1 s more (docs/reliability.md).
            self._heap.enter_context(heap_kept_from_workers())
            self.pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=get_context("fork"),
                initializer=_start_worker,
                initargs=(self.catalog, self.ctx, self.jobs, self.hashes),
            )
        with worker_losses(self.jobs, self.pool):  # a worker lost (killed, crashed): a TthcError worded by how
            yield from self._pooled(self.pool, itertools.chain(first, tasks))

    def _here(self, chunks: Iterable[RawChunk]) -> Iterator[Checked]:
        """The pieces of ``chunks`` checked in this process: up to :data:`CHECK_THREADS` at once, in order."""
        pieces = self._pieces(chunks)
        first = next(pieces, None)
        if first is None:
            return
        # the first piece (a small one, PieceSize) alone: the caches the threads then share are warm
        yield self._check(first)
        threads = min(CHECK_THREADS, available_jobs())
        if threads < 2:
            yield from map(self._check, pieces)
            return
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(threads, thread_name_prefix="tthc-check")
        try:
            yield from ordered_map(pool, self._check, pieces, threads)  # one more cut and waiting than threads
        finally:  # also when the run stops early: nothing left running
            pool.shutdown(wait=True, cancel_futures=True)

    def _pieces(self, chunks: Iterable[RawChunk]) -> Iterator[RawChunk]:
        for chunk in chunks:
            for piece in split_chunk(chunk, self.size):
                assert isinstance(piece, RawChunk)
                yield piece

    def _check(self, piece: RawChunk) -> Checked:
        result = validate_chunk(piece, self.catalog, context=self.ctx)
        # observed as soon as it is known (in the checking thread): the next pieces are cut to the new size
        self.size.observe(len(result.rows), len(result.findings))
        # the duplicate check's keys too, in the checking thread rather than in the one that sums the results
        return piece.bytes_read, result, _hashes(result) if self.hashes else None

    def _pooled(self, pool: ProcessPoolExecutor, tasks: Iterator[ReadTask]) -> Iterator[Checked]:
        """The tasks' results in order, with up to ``jobs + 1`` of them being read and checked at once."""
        window: deque[tuple[ReadTask, Future[tuple[list[Checked], _Resume | None, object]]]] = deque()

        def take() -> Iterator[Checked]:
            task, future = window.popleft()
            done, resume, lesson = future.result()
            task.learn(lesson)
            if resume is not None:  # the rest of the stretch next, before any later one
                window.appendleft((task, pool.submit(_check_task, task, resume)))
            yield from done

        for task in tasks:
            window.append((task, pool.submit(_check_task, task, (0, 0))))
            while len(window) > self.jobs + 1:  # one waiting for each worker to take up as it finishes
                yield from take()
        while window:
            yield from take()


_WORKER: tuple[Catalog, ValidationContext, PieceSize, bool] | None = None


def _start_worker(catalog: Catalog, ctx: ValidationContext, jobs: int, hashes: bool = False) -> None:
    global _WORKER  # one per worker process, set once as it starts
    leave_interrupts_to_parent()
    _WORKER = (catalog, ctx, PieceSize(), hashes)
    try:
        import pyarrow as pa

        # the workers share the cores: each parses with its share of them
        pa.set_cpu_count(max(1, available_jobs() // jobs))
    except ImportError:  # pragma: no cover - no pyarrow, no tasks
        pass


def _check_task(task: ReadTask, resume: _Resume) -> tuple[list[Checked], _Resume | None, object]:
    """In a worker: read the stretch and check its pieces from ``resume`` on; stop early (saying where to resume)
    once :data:`TASK_ROWS` rows or :data:`TASK_FINDINGS` findings are waiting to be handed back."""
    assert _WORKER is not None
    catalog, ctx, size, hashes = _WORKER
    done: list[Checked] = []
    rows = findings = 0
    for c, chunk in enumerate(task.chunks()):
        if c < resume[0]:
            continue
        at = resume[1] if c == resume[0] else 0
        for piece in split_chunk(chunk, size, at):
            if rows >= TASK_ROWS or findings >= TASK_FINDINGS:
                return done, (c, at), task.learned()
            assert isinstance(piece, RawChunk)
            result = validate_chunk(piece, catalog, context=ctx)
            size.observe(len(result.rows), len(result.findings))
            # the duplicate check's keys too, here rather than in the process that collects the results
            done.append((piece.bytes_read, result, _hashes(result) if hashes else None))
            rows += len(result.rows)
            findings += len(result.findings)
            at += len(piece.rows)
    return done, None, task.learned()


def _prefetch(chunks: Iterable[RawChunk], depth: int = 2) -> Iterator[RawChunk]:
    """Read the next chunk in a background thread while this one is checked (the CSV parser releases the GIL).

    The thread ends with the run, also when the run stops early (an error, Ctrl-C, a caller that stops reading):
    told to stop, it finishes the block it is reading and is joined, and the reader is closed — no thread is left
    blocked on a full queue holding the input open (nor inside the reader when the interpreter exits)."""
    q: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        it = iter(chunks)
        try:
            for c in it:
                q.put(("chunk", c))
                if stop.is_set():
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            if not stop.is_set():
                q.put(("error", exc))
        else:
            q.put(("end", None))
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                close()

    t = threading.Thread(target=produce, name="tthc-reader", daemon=True)
    t.start()
    try:
        while True:
            kind, item = q.get()
            if kind == "chunk":
                assert isinstance(item, RawChunk)
                yield item
            elif kind == "error":
                assert isinstance(item, BaseException)
                raise item
            else:
                break
    finally:
        stop.set()
        while t.is_alive():  # a put waiting for room gets it; the thread then sees ``stop``
            with contextlib.suppress(queue.Empty):
                q.get_nowait()
            t.join(0.01)
