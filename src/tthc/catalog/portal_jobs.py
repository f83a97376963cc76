"""Importing portal export files in this process or, for a large import, with a pool of forked worker processes.

The lines are read here (decompressed, split, within the reader's bounds) and cut into contiguous runs of about
:data:`RUN_BYTES`. Each record is decoded, parsed and made into models here
(:func:`~tthc.catalog.portal_import.import_record`), or — ``jobs`` > 1 and more than :data:`POOL_MIN_BYTES` to read
— ``jobs`` processes share the runs: ``jobs - 1`` forked workers decode and parse the runs they are handed
(:func:`~tthc.catalog.portal_import.parse_record`: plain data, cheap to hand back), and this process parses a run
itself whenever the workers hold their share and the oldest is not back yet (:func:`_pooled`); the models of every
run are built here (:func:`~tthc.catalog.portal_import.assemble`). The runs' results are used in input order and
duplicate codes are looked for over all of them at the end (:func:`~tthc.catalog.portal_import.keep_first`), so the
catalog and the report are the same byte for byte whatever the number of jobs and whoever parsed which run: a code
repeated in two runs parsed in two processes is reported exactly as in one process.

Why forked workers: a fork inherits the imported modules, the folding table and the parsers' patterns (built here
once, before the pool starts), so a worker starts in milliseconds; a spawned one would import ``tthc``, pydantic and
numpy again (≈ 0.5 s each). Where fork is not the platform's way, or in a daemonic process, the import runs here.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Union

from tthc.catalog.import_report import ImportReport, RecordReport
from tthc.catalog.model import Procedure
from tthc.catalog.portal_files import RawRecord, decode_line, read_portal_lines
from tthc.catalog.portal_import import Parsed, assemble, import_record, keep_first, parse_record
from tthc.errors import DataFileError
from tthc.foundation import cores, stops
from tthc.foundation.cores import MAX_JOBS, can_fork, usable_cores
from tthc.foundation.data_files import as_file_path
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

if TYPE_CHECKING:  # the pool is started only for a large import
    from concurrent.futures import Future

__all__ = ["MAX_JOBS", "POOL_MIN_BYTES", "RUN_BYTES", "parse_portal_files", "usable_jobs"]

RUN_BYTES = 256 << 10
"""What one task reads (≈ 33 records of the national export, ≈ 10 ms of parsing): small enough to share the work
evenly — when every run is read, this process waits for the runs the workers still hold — and to keep what waits in
memory bounded, large enough that handing it over costs little."""
POOL_MIN_BYTES = 4 << 20
"""Below this much JSON (≈ 500 records, ≈ 0.2 s of parsing) the import runs in this process: starting workers and
passing the results back would cost more than it saves."""

Line = tuple[str, int, "bytes | RawRecord"]
"""(file, line number, the line's bytes — or the record saying why the rest of the file is unreadable)."""
Result = tuple[Procedure | None, RecordReport]


def usable_jobs() -> int:
    """How many processes an import may use: the cores this process may run on (1 where no pool can be forked)."""
    return usable_cores() if can_fork() else 1


def parse_portal_files(paths: Iterable[str | Path], *, jobs: int = 1) -> tuple[list[Procedure], ImportReport]:
    """The procedures and the report of the export files ``paths``, read one after another (blank lines are not
    records), parsed in this process or — ``jobs`` > 1 and a large import — in ``jobs`` worker processes (at most
    :data:`MAX_JOBS`).

    Raises:
        DataFileError: a file cannot be opened, or decompresses beyond the reader's bounds; the files hold no record
            at all (empty, blank lines only, a gzip of nothing: a failed download, not a catalog of nothing).
        WorkerLostError: a worker process ended before its work was done (killed, often for lack of memory).
    """
    files = list(paths)
    procedures, report = _parsed(files, jobs)
    if not report.records:
        raise DataFileError(words(_NO_RECORD, path=", ".join(str(as_file_path(p)) for p in files)))
    return procedures, report


_NO_RECORD = N_("{path}: expected an export holding at least one record, got none")


def _parsed(paths: list[str | Path], jobs: int) -> tuple[list[Procedure], ImportReport]:
    with _frozen_heap() as frozen:
        runs = _runs(paths)
        if jobs <= 1 or not can_fork():
            return keep_first(_here(runs, freeze=frozen))
        head: list[list[Line]] = []
        read = 0
        for run in runs:
            head.append(run)
            read += sum(len(line) for _, _, line in run if isinstance(line, bytes))
            if read > POOL_MIN_BYTES:
                return keep_first(_pooled(head, runs, min(jobs, MAX_JOBS), freeze=frozen))
        return keep_first(_here(head, freeze=frozen))


@contextlib.contextmanager
def _frozen_heap() -> Iterator[bool]:
    """The objects of the process frozen (:func:`gc.freeze`) for the length of the import; whether they were.

    An import makes about a hundred thousand objects that live on (the models, the report); as they pile up, the
    cycle collector walks every object of the process again and again (≈ 12 % of an import), finding nothing to
    free among those that were there before. Frozen, they are left out of its walks (≈ 5 % less CPU for an import in
    a fresh process). What each run of records made and kept is frozen too once the run is imported (:func:`_here`,
    :func:`_pooled`): else the collections walk it again at every later run, and its number alone sets off a full
    collection of the process near the end (50-120 ms) — unfrozen at the end, it joins the oldest generation like
    any object that survived. A process that froze objects itself keeps them as it froze them (nothing is frozen
    or unfrozen here).
    """
    if gc.get_freeze_count():
        yield False
        return
    gc.freeze()
    try:
        yield True
    finally:
        gc.unfreeze()


def _runs(paths: Iterable[str | Path]) -> Iterator[list[Line]]:
    """The lines of the files in order, in runs of about :data:`RUN_BYTES` (a run may hold lines of two files). A run
    ends after a whole line as the reader ends it (LF, CRLF or CR: a CRLF is never cut in two), so a line is numbered
    and parsed once whichever process parses its run."""
    run: list[Line] = []
    size = 0
    for path in paths:
        src = str(as_file_path(path))
        for lineno, line in read_portal_lines(path):
            run.append((src, lineno, line))
            size += len(line) if isinstance(line, bytes) else 0
            if size >= RUN_BYTES:
                stops.check()  # a stop whose exception Python swallowed (in a callback) still ends the import here
                yield run
                run, size = [], 0
    if run:
        yield run


def _records(run: list[Line]) -> Iterator[RawRecord]:
    """The records of a run of lines, decoded; blank lines are not records."""
    for src, lineno, line in run:
        rec = line if isinstance(line, RawRecord) else decode_line(src, lineno, line)
        if rec.error != "blank line":
            yield rec


def _parse_run(run: list[Line]) -> list[Parsed | RecordReport]:
    """In a worker: each record of a run parsed, its models left to build (:func:`assemble`) where they are used."""
    return [parse_record(rec) for rec in _records(run)]


def _here(runs: Iterable[list[Line]], *, freeze: bool) -> Iterator[Result]:
    for run in runs:
        for rec in _records(run):
            yield import_record(rec)
        if freeze:
            gc.freeze()  # what the run made and kept: see _frozen_heap


def _pooled(head: list[list[Line]], rest: Iterator[list[Line]], jobs: int, *, freeze: bool) -> Iterator[Result]:
    """The runs' results in order, parsed by ``jobs - 1`` worker processes and by this process.

    The workers hold up to :func:`_ahead` runs at once (what waits stays bounded); whenever they hold that many and
    the oldest is not back yet, this process parses the next run itself instead of waiting. So ``jobs`` processes
    share the cores — not ``jobs`` workers and this process besides — and the runs parsed here are neither pickled
    nor sent back. What this process does besides (reading the lines, building the models of every run) sets how
    many runs it parses: the balance finds itself. (Behind a worker far slower than this process, at most a bounded
    number of runs parsed here wait for its oldest: then this process waits for it rather than read on.)
    """
    from concurrent.futures import ProcessPoolExecutor

    _warm_up()
    workers = max(1, jobs - 1)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=cores.leave_interrupts_to_parent,
    )
    abandoned = True  # until every run is in: an error, Ctrl-C or a caller that stops reading ends the workers
    pending: deque[_Task] = deque()  # in input order
    try:
        if freeze:  # the objects made since the import began too (the workers are forked at the first task): their
            # cycle collector then never walks what they inherit, which would copy each page it touches
            gc.freeze()
        with cores.worker_losses(jobs, pool):
            for run in _chain(head, rest):
                # (runs parsed here wait behind the oldest worker's: past a bound, wait for it rather than read on)
                while pending and (_done(pending[0]) or len(pending) > 4 * _ahead(workers)):
                    yield from _assembled(pending.popleft(), freeze=freeze)
                if sum(not isinstance(task, list) for task in pending) < _ahead(workers):
                    pending.append(pool.submit(_parse_run, run))
                else:  # the workers have their share in hand and the oldest is not back: this process takes it
                    pending.append(_parse_run(run))
            while pending:
                yield from _assembled(pending.popleft(), freeze=freeze)
        abandoned = False
    finally:
        cores.end_pool(pool, abandoned=abandoned)


_Runs = list[Parsed | RecordReport]
_Task = Union["Future[_Runs]", _Runs]
"""A run handed to a worker (its future), or parsed here (its records)."""


def _ahead(workers: int) -> int:
    """How many runs the workers may hold at once: the one each parses, the next waiting in its queue, and one more
    so that none is left without work while this process parses a run of its own."""
    return 3 * workers


def _done(task: _Task) -> bool:
    return isinstance(task, list) or task.done()


def _assembled(task: _Task, *, freeze: bool) -> Iterator[Result]:
    yield from map(assemble, task if isinstance(task, list) else task.result())
    if freeze:
        gc.freeze()  # what the run made and kept: see _frozen_heap


def _chain(head: list[list[Line]], rest: Iterator[list[Line]]) -> Iterator[list[Line]]:
    while head:  # handed over as they go: the runs read ahead are not kept beyond their task
        yield head.pop(0)
    yield from rest


def _warm_up() -> None:
    """Build here what every worker would otherwise build for itself on its first record (the folding table, the
    parsers' patterns): a fork inherits it. (The models' validators, built too, are used here.)"""
    from tthc.foundation.text import fold

    fold("Trực tiếp " * 16)  # a long text: the table path
    import_record(RawRecord(None, 0, data={"ma_thu_tuc": "1.000000", "ten_thu_tuc": "Thủ tục"}))
