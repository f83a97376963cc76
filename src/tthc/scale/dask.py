"""Validation and KPIs on a Dask cluster, with exactly the single-machine results (extra ``distributed``).

.. code-block:: python

    from distributed import Client
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.scale import dask as tthc_dask

    client = Client("tcp://scheduler:8786")              # or tthc_dask.local_client(workers=2)
    cat = Catalog.sample()
    summary = tthc_dask.validate_files("exports/2025-*.csv", cat, client=client)
    indicators = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))

How it runs (``docs/scale.md``):

1. **Plan** (on the client): each file is opened like the single-machine reader does (header, encoding, delimiter)
   and cut into partitions — byte ranges starting after a line break, or runs of Parquet row groups
   (:func:`tthc.scale.partitions.plan_partitions`); the data is not read here. The last partitions are smaller
   (down to an eighth), so the workers finish together.
2. **Broadcast**: the catalog and the options (with the compiled working calendar) are scattered to every worker
   once; tasks refer to them, nothing is re-read per partition.
3. **Map**: one task per partition reads it with the library's own readers and runs
   :func:`tthc.validation.validate_chunk` on its chunks; it returns counts, findings (rows numbered within the
   partition), a :class:`~tthc.kpi.KpiPartial` (counts only) and its dossier codes split into buckets. A partition
   that cannot be read returns its error instead of raising: it is reported as ``E_UNREADABLE_RANGE`` with its
   file, byte range and rows, every line of it counted invalid. A CSV partition whose quoting lets a record run
   past its end says so, and the rest of its file is read again as one partition
   (:func:`tthc.scale.partitions.resync`).
4. **Duplicates**: each bucket's task has a worker from the start, and a partition's codes of those buckets move
   there as soon as it is done (a canonical code as its 8-byte key, others with their text); once the last
   partition's codes are in, one task per bucket finds the repeated dossier codes
   (:func:`~tthc.scale.partitions.repeated_codes`: packed arrays, rows within their partitions — it waits for
   nothing else).
5. **Combine** (on the client, in partition order, each result as soon as it and the ones before it are in, while
   the later partitions are still being validated): row numbers shifted to the file's, findings streamed to the
   report, counts and KPI partials added; then the duplicate findings, given the rows of the files and worded
   (:func:`~tthc.scale.partitions.duplicate_findings`), last — the same
   :class:`~tthc.validation.run.ValidationSummary` (KPIs included: one pass gives both) and the same report lines as
   :func:`tthc.validation.validate_files`.

The module is named after the engine it drives; it imports the ``dask`` and ``distributed`` packages with absolute
imports (``from __future__ import annotations`` and Python 3 make ``import dask`` inside ``tthc/scale/dask.py`` mean the
top-level package), and only inside functions, so importing ``tthc`` never imports Dask.
"""

from __future__ import annotations

import glob
import logging
import operator
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import attrs

from tthc.catalog.collection import Catalog
from tthc.errors import DataFileError, InvalidValueError, MissingExtraError
from tthc.foundation import stops
from tthc.foundation.arguments import expect, expect_whole
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.chunks import DEFAULT_CHUNK_BYTES, FileFormat
from tthc.records.readers import distinct_files
from tthc.scale.partitions import (
    DEFAULT_PARTITION_BYTES,
    Combiner,
    DuplicateKeys,
    Partition,
    PartitionResult,
    Repeats,
    duplicate_findings,
    plan_partitions,
    release_memory,
    repeated_codes,
    resync,
    validate_frame,
    validate_partition,
)
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, ValidationSummary, check_run_arguments

if TYPE_CHECKING:
    from distributed import Client

    from tthc.records.model import ColumnMapping

__all__ = ["LOW_OVERHEAD_CONFIG", "expand_paths", "local_client", "validate_dataframe", "validate_files"]

Progress = Callable[[int, int, int], None]


def _require() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise MissingExtraError("distributed", "dask") from None


def expand_paths(patterns: str | Path | Sequence[str | Path]) -> list[Path]:
    """Files named or matched by glob patterns (``exports/*.csv``, ``data/**/*.parquet``), sorted per pattern; a file
    named again (an overlapping pattern, a symlink, a hard link) once, where it is first named, as the one-machine
    run reads it (:func:`tthc.records.readers.distinct_files`).

    Raises:
        DataFileError: a pattern matches no file (a name without wildcards that does not exist counts).
    """
    items = [patterns] if isinstance(patterns, str | Path) else list(patterns)
    out: list[Path] = []
    for item in items:
        text = str(item)
        if Path(text).is_file():
            out.append(Path(text))
            continue
        hits = sorted(p for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not hits:
            raise DataFileError(
                words(N_("{path}: no record file matches (expected a file or a glob such as 'data/*.csv')"), path=text)
            )
        out.extend(Path(h) for h in hits)
    return distinct_files(out)


# A batch cluster on few cores: Dask's defaults sample every worker's stack every 10 ms (the profiler behind the
# dashboard), tick every process's event loop every 20 ms and poll memory and system counters 2-10 times a second.
# On the 2-core development machine that bookkeeping took about 15 % of the CPU of a validation run (measured with
# benchmarks/distributed.py); these settings keep the memory safety net (checked every second) and drop the rest.
LOW_OVERHEAD_CONFIG: Mapping[str, object] = MappingProxyType(
    {
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
)
"""Dask settings :func:`local_client` starts its cluster with (pass ``low_overhead=False`` for Dask's defaults)."""

WORKER_PRELOAD = "tthc.scale._worker_start"
"""The preload :func:`local_client` gives its worker processes: they leave Ctrl-C to the process that started them."""

_WARM_MODULES = (
    "pyarrow",
    "pyarrow.compute",
    "pyarrow.csv",
    "pandas",
    "tthc.scale.partitions",
    "tthc.deadlines.batch",
    # imported by the checks on first use: about 0.3 CPU-second in each worker's first partition otherwise
    "tthc.deadlines.compute",
    "tthc.postal.eligibility",
)


def _warm() -> None:
    # import the batch core once when the cluster starts, as a long-running cluster would have it, instead of in
    # the first task of the first run
    import importlib
    from contextlib import suppress

    for name in _WARM_MODULES:
        with suppress(ImportError):  # an optional extra is absent: the task that needs it says so
            importlib.import_module(name)


def _warm_worker() -> None:
    """:func:`_warm`, then the worker's objects so far (the imported modules, Dask's own) are moved out of the
    collector's way (:func:`gc.freeze`): in a worker of a fresh cluster that is about 120,000 objects, and each full
    collection during a run visited them all — 85-95 ms each, about 0.09 CPU-second per million rows a worker checks
    (measured at 2 million rows; 0.02 with them frozen). Only in the workers :func:`local_client` starts: a user's
    own process or cluster is left as it is (frozen objects are never collected)."""
    import gc

    _warm()
    gc.freeze()


@contextmanager
def local_client(
    workers: int = 2,
    *,
    threads_per_worker: int = 1,
    processes: bool = True,
    low_overhead: bool = True,
    warm: bool = True,
    **cluster: Any,
) -> Iterator[Client]:
    """A :class:`distributed.LocalCluster` with ``workers`` worker processes and a client for it (closed on exit).

    Args:
        threads_per_worker: one by default: the batch core is single-threaded Python and numpy around Arrow kernels,
            and Dask's default ``OMP_NUM_THREADS=1`` for workers also gives each worker one Arrow CPU thread, so
            ``workers`` processes use ``workers`` cores without oversubscribing them.
        low_overhead: start with :data:`LOW_OVERHEAD_CONFIG` (no stack sampling, slower bookkeeping ticks).
        warm: import the batch core in every worker before returning, and freeze what the workers hold then
            (:func:`gc.freeze`: the collector no longer visits the imported modules in every full collection).
        cluster: further ``LocalCluster`` arguments (a ``preload`` list is kept; :data:`WORKER_PRELOAD` is added to
            it when the workers are processes of their own).

    Worker processes ignore Ctrl-C (SIGINT), which a terminal sends them along with this process: the caller ends
    the run and leaving the ``with`` block closes the cluster, which ends them (:mod:`tthc.scale._worker_start`).
    """
    _require()
    import dask.config
    from distributed import Client, LocalCluster

    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536; any fixed value switches off glibc's adaptive mmap
    # threshold, and the batch core's large numpy arrays then cost a page fault storm (measured: twice the time per
    # partition). Workers here start without it.
    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items() if "MALLOC" not in k}
    settings: dict[str, object] = {"distributed.nanny.pre-spawn-environ": environ}
    if low_overhead:
        settings.update(LOW_OVERHEAD_CONFIG)
    scheduler = {"dashboard_address": ":0", **cluster.pop("scheduler_kwargs", {})}
    if processes:
        # worker processes of their own leave Ctrl-C to this process (tthc.scale._worker_start): a terminal sends it
        # to them too, and each printed its KeyboardInterrupt traceback before the command's one line
        given = cluster.pop("preload", None) or dask.config.get("distributed.worker.preload") or []
        cluster["preload"] = [*([given] if isinstance(given, str) else given), WORKER_PRELOAD]
    with dask.config.set(settings):
        lc = _started(
            LocalCluster, n_workers=workers, threads_per_worker=threads_per_worker, processes=processes,
            dashboard_address=None, **cluster,
            # no dashboard, and the scheduler's health routes on a free port rather than 8787: a second cluster
            # (another run, a notebook's) otherwise makes every run warn "Port 8787 is already in use"
            scheduler_kwargs=scheduler,
        )  # fmt: skip
        with lc, Client(lc) as client:  # type: ignore[no-untyped-call]
            if warm:
                # in-process workers (processes=False) share the caller's heap: it is not ours to freeze
                client.run(_warm_worker if processes else _warm)
            try:
                yield client
            except KeyboardInterrupt:
                if stops.requested():  # the command line is ending the run: its one line says so
                    _quiet_distributed()
                raise


def _started(make: Callable[..., Any], **kwargs: Any) -> Any:
    """The cluster ``make(**kwargs)`` starts. Stopped while its workers start (Ctrl-C, SIGTERM), it was never handed
    back, so nobody closed it: distributed's exit hook then failed on a worker still starting and printed a
    traceback after the command's one line. Such a cluster is closed here, as far as it can be, and left out of that
    hook; a stopped start's own complaints as it is torn down (a nanny that could not start, a task never awaited)
    are not logged when the command line is ending the run — saying so is its one line (a program's own Ctrl-C, in
    a notebook, keeps its logging as it was)."""
    from distributed.deploy.spec import SpecCluster

    before = list(SpecCluster._instances)
    try:
        return make(**kwargs)
    except BaseException as exc:
        ending = isinstance(exc, KeyboardInterrupt) and stops.requested()  # the command line's run, ending now
        if ending:
            _quiet_distributed()
        for started in list(SpecCluster._instances):
            if not any(started is known for known in before):
                with suppress(Exception):
                    started.close(timeout=5)
                started.shutdown_on_close = False
        if ending:
            _end_children()
        raise


def _quiet_distributed() -> None:
    """No more log lines from Dask (nor asyncio) in this process: the command line is ending a stopped run, and the
    cluster torn down under it complains — workers removed with the run's scattered data, tasks cancelled — at
    WARNING and ERROR. The command's one line says what happened. Never for a program's own Ctrl-C (a notebook's):
    only once :func:`tthc.foundation.stops.requested`."""
    for name in ("distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _end_children() -> None:
    """End the worker processes a stopped start leaves behind, before this process exits: one still being spawned
    would read its start-up state from this process after it is gone and print that failure (a traceback) on the
    terminal it shares. Only where the command line is ending the run: every child of the process is ended."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        with suppress(Exception):
            child.terminate()
    for child in children:
        with suppress(Exception):
            child.join(timeout=5)


def _calendar_ready(options: ValidationOptions | None) -> ValidationOptions:
    # compile the working calendar once here: workers receive it with the options instead of each loading it
    opts = options or ValidationOptions()
    if opts.calendar is None:
        from tthc.calendar.working_calendar import public_sector_calendar

        opts = attrs.evolve(opts, calendar=public_sector_calendar())
    return opts


def _client(client: object) -> Any:
    """The client to run on: ``client``, else the current one.

    Raises:
        InvalidValueError: ``client`` is not a ``distributed.Client`` (an address is not one: ``Client(address)``
            makes one), or it is None and no client is current.
    """
    from distributed import Client, get_client

    if client is not None:
        return expect(client, Client, "client", "a distributed.Client (or one made current)")
    try:
        return get_client()
    except ValueError:
        raise InvalidValueError("client", N_("a distributed.Client (or one made current)"), None) from None


def _threads(client: Any) -> int:
    return sum(client.nthreads().values()) or 1


def _buckets(client: Any, n_parts: int) -> int:
    # several buckets per thread: a bucket's task holds all its codes at once (plus their upper-case copy and hash
    # table); with 8 per thread a worker's peak memory at 10 million rows fell from 1.2 GB (2 per thread) to
    # about 0.75 GB, and the run got faster (smaller tasks balance better)
    return max(1, min(n_parts, 8 * _threads(client), 64))


def validate_files(
    paths: str | Path | Sequence[str | Path],
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    client: Client | None = None,
    report: FindingWriter | None = None,
    format: FileFormat | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    duplicates: bool = True,
    max_examples: int = 3,
    progress: Progress | None = None,
) -> ValidationSummary:
    """Validate record files (paths or globs) on a Dask cluster; the same summary, report and KPI counts as
    :func:`tthc.validation.validate_files` on the same files. Should a partition still fail to read (a defect, an
    I/O error on a worker), it is reported as ``E_UNREADABLE_RANGE`` with its rows all counted invalid, and the
    run goes on.

    Args:
        client: a ``distributed.Client``; default: the current one (``distributed.get_client()``).
        partition_bytes: about how many bytes one task reads.
        Others: as :func:`tthc.validation.validate_files`, and checked as it checks them
            (:func:`~tthc.validation.run.check_run_arguments`). The files must be readable by the client and the
            workers under the same names (a shared file system).

    Raises:
        MissingExtraError: Dask is not installed (``pip install 'tthc[distributed]'``).
        InvalidValueError: an argument of the wrong type or out of range (named), ``client`` is not a
            ``distributed.Client``, or there is no client to run on — before any file is looked at.
        DataFileError: a pattern matches nothing, a file is missing or its header lacks a required column.
        OutputFileError: ``report`` would be written over one of the files (refused before any is read).
    """
    _require()
    if isinstance(paths, bytes) or not isinstance(paths, str | os.PathLike | Sequence):
        raise InvalidValueError("paths", N_("a path, a glob pattern or a list of them"), type(paths).__name__)
    check_run_arguments(
        catalog=catalog, options=options, report=report, mapping=mapping, encoding=encoding, delimiter=delimiter,
        chunk_bytes=chunk_bytes, duplicates=duplicates, max_examples=max_examples, progress=progress,
    )  # fmt: skip
    expect_whole(partition_bytes, "partition_bytes", 1)
    cl = _client(client)  # every argument checked before a file is looked at or a task submitted
    files = expand_paths(paths)
    if report is not None:
        report.refuse_inputs(files)  # before anything is read: the report never replaces one of them
    infos, parts = plan_partitions(
        files, format=format, mapping=mapping, encoding=encoding, delimiter=delimiter, partition_bytes=partition_bytes,
        threads=_threads(cl),
    )  # fmt: skip
    opts = _calendar_ready(options)
    cat_f, opt_f = cl.scatter([catalog, opts], broadcast=True, hash=False)
    buckets = _buckets(cl, len(parts)) if duplicates else 0
    run = uuid.uuid4().hex

    def submit(p: Partition, again: bool = False) -> Any:
        return cl.submit(
            validate_partition, p, cat_f, opt_f, mapping=mapping, chunk_bytes=chunk_bytes, duplicate_buckets=buckets,
            key=f"tthc-validate-{run}-{p.index}{'-rest' if again else ''}", pure=False,
        )  # fmt: skip

    both = [submit(p) for p in parts]
    total = sum(i.size for i in infos)
    return _finish(
        cl, infos, parts, both, buckets, report, max_examples, progress, total, opts.lang, lambda p: submit(p, True)
    )


def validate_dataframe(
    frame: Any,
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    client: Client | None = None,
    report: FindingWriter | None = None,
    label: str = "(dataframe)",
    duplicates: bool = True,
    max_examples: int = 3,
) -> ValidationSummary:
    """Validate a ``dask.dataframe.DataFrame`` of dossier records (canonical or portal column names), partition by
    partition. Row numbers are positions in the frame (1-based, across partitions), reported under ``label``.

    Raises:
        MissingExtraError: Dask is not installed.
        InvalidValueError: ``frame`` is not a ``dask.dataframe.DataFrame`` (a pandas one: ``dd.from_pandas``),
            another argument is of the wrong type (named, as :func:`validate_files` checks it), or there is no
            client to run on — before anything is submitted.
    """
    _require()
    import dask.dataframe as dd

    expect(frame, dd.DataFrame, "frame", "a dask.dataframe.DataFrame")
    check_run_arguments(
        catalog=catalog, options=options, report=report, mapping=None, encoding=None, delimiter=None,
        chunk_bytes=DEFAULT_CHUNK_BYTES, duplicates=duplicates, max_examples=max_examples, progress=None,
    )  # fmt: skip
    expect(label, str, "label", "text")
    cl = _client(client)
    opts = _calendar_ready(options)
    cat_f, opt_f = cl.scatter([catalog, opts], broadcast=True, hash=False)
    pieces = cl.compute(frame.to_delayed())
    buckets = _buckets(cl, len(pieces)) if duplicates else 0
    run = uuid.uuid4().hex
    both = [
        cl.submit(
            validate_frame, piece, i, cat_f, opt_f, label=label, duplicate_buckets=buckets,
            key=f"tthc-frame-{run}-{i}", pure=False,
        )
        for i, piece in enumerate(pieces)
    ]  # fmt: skip
    del pieces
    return _finish(cl, (), None, both, buckets, report, max_examples, None, 0, opts.lang)


def _finish(
    cl: Any,
    infos: Sequence[Any],
    parts: Sequence[Partition] | None,
    both: list[Any],
    buckets: int,
    report: FindingWriter | None,
    max_examples: int,
    progress: Progress | None,
    total_bytes: int,
    lang: str | None,
    again: Callable[[Partition], Any] | None = None,
) -> ValidationSummary:
    # each bucket's duplicate task runs on a worker chosen now; each partition's keys of those buckets move there as
    # soon as the partition is done, while the others are still being validated — not all at the end, when the
    # workers would wait for the transfers (1.8 s of them at 10 million rows, 28 bytes a row)
    homes = list(cl.nthreads()) or [None]
    groups = [[b for b in range(buckets) if b % len(homes) == g] for g in range(len(homes))]

    def split(pairs: list[Any]) -> tuple[list[Any], list[Any]]:
        # as few tasks as the data needs — per partition its result for the client and, per worker, its keys of
        # that worker's buckets: each task costs the scheduler (in the client's process) and both workers' event
        # loops a few milliseconds of CPU taken from the cores the partitions run on, whatever the bytes it moves
        # (docs/scale.md, "Performance"); one map per kind of task, not a submission per task
        if not pairs:
            return [], []
        results = cl.map(operator.getitem, pairs, [0] * len(pairs), pure=False)
        return results, _moved(cl, pairs, groups, homes) if buckets else []

    def find(keys: list[Any]) -> list[Any]:
        # the buckets' tasks need the keys only (their rows are the partitions' own; the findings are made here once
        # the row offsets are known): they start on the workers as soon as the last partition's keys are in
        return [
            cl.submit(
                repeated_codes, b, [k[b % len(homes)] for k in keys], pure=False, **_at(homes[b % len(homes)])
            )
            for b in range(buckets)
        ]  # fmt: skip

    results, keys = split(both)
    both.clear()  # the (result, keys) pairs are no longer needed once split: let the cluster free them
    found = find(keys) if buckets else []  # submitted now, gathered last
    partitions: list[Partition | None] = list(parts) if parts is not None else [None] * len(results)
    combiner = Combiner(infos, report, max_examples, lang=lang)
    offsets: list[int] = []  # per partition folded in, the file row just before its first row
    lines: dict[int, int] = {}  # per file, the lines of its partitions folded in so far
    done_bytes = i = 0
    while i < len(results):
        # the results in order, as they come: folded in while the later partitions are still being validated (a
        # few per round trip, so the client never holds more than a few partitions' findings)
        for result in cl.gather(results[i : i + max(2, len(homes))]):
            if not result.synced and again is not None:
                cl.cancel(found)  # their partitions are not the plan's any more
                results, keys, partitions = _read_again(cl, split, again, results, keys, partitions, i)
                found = find(keys) if buckets else []
                break
            results[i] = None  # release it on the cluster as soon as it is folded in
            part = partitions[i] = result.partition
            offsets.append(lines.get(part.file_index, 0))
            lines[part.file_index] = offsets[-1] + result.lines
            combiner.add(result, offsets[-1])
            done_bytes += part.end - part.start
            i += 1
            if progress is not None:
                progress(min(done_bytes, total_bytes), total_bytes, combiner.rows)
    if progress is not None and done_bytes < total_bytes:
        # every row is in: the bytes no partition covers (CSV headers, Parquet footers) are read too
        progress(total_bytes, total_bytes, combiner.rows)
    del keys
    repeats: list[Repeats] = cl.gather(found) if found else []
    del found
    folded = cast(list[Partition], partitions)  # every one folded in by now
    # last, as the single-machine run reports them
    combiner.add_late(d for r in repeats for d in duplicate_findings(r, folded, offsets, lang=lang))
    _release_after(cl)
    return combiner.summary()


def _release_after(cl: Any) -> None:
    """Each worker hands its freed heap back once the run is over (not after each partition: see
    :func:`~tthc.scale.partitions.release_memory`) — a task per worker, not waited for."""
    from distributed import fire_and_forget

    for worker in cl.nthreads():
        task = cl.submit(release_memory, workers=[worker], allow_other_workers=False, pure=False)
        fire_and_forget(task)  # type: ignore[no-untyped-call]


def _at(worker: str | None) -> dict[str, Any]:
    # preferred, not required: should the worker be gone, another one runs the task
    return {} if worker is None else {"workers": [worker], "allow_other_workers": True}


def _moved(cl: Any, pairs: list[Any], groups: list[list[int]], homes: list[str | None]) -> list[list[Any]]:
    """Per partition, per group of buckets, a future of the partition's keys of those buckets on the group's
    worker: one task, run there (the partition's result and keys are fetched when it ran elsewhere — a few MB that
    cost less than the second task a pick-then-move took)."""
    per_group = [
        cl.map(_pick, pairs, wanted=frozenset(wanted), pure=False, **_at(home))
        for wanted, home in zip(groups, homes, strict=True)
    ]
    return [list(k) for k in zip(*per_group, strict=True)]


def _pick(pair: tuple[PartitionResult, DuplicateKeys | None], wanted: frozenset[int]) -> DuplicateKeys | None:
    keys = pair[1]
    return None if keys is None else keys.only(wanted)


def _read_again(
    cl: Any,
    split: Callable[[list[Any]], tuple[list[Any], list[Any]]],
    again: Callable[[Partition], Any],
    results: list[Any],
    keys: list[Any],
    partitions: list[Partition | None],
    at: int,
) -> tuple[list[Any], list[Any], list[Partition | None]]:
    """Partition ``at``'s quoting let a record run past its end (the ones before it are folded in): the plan after
    :func:`resync`, the rest of each such file read again as one partition (the results of the partitions it
    replaces are dropped)."""
    synced = [True] * at + cl.gather(cl.map(_synced, results[at:], pure=False))
    plan = resync(cast(list[Partition], partitions), synced)
    redo = [p for p, k in plan if k is None]
    r2, k2 = split([again(p) for p in redo])
    fresh = iter(zip(r2, k2 or [None] * len(r2), strict=True))
    out_r: list[Any] = []
    out_k: list[Any] = []
    for _, k in plan:
        r, kk = (results[k], keys[k] if keys else None) if k is not None else next(fresh)
        out_r.append(r)
        out_k.append(kk)
    return out_r, out_k if keys else [], [p for p, _ in plan]


def _synced(result: PartitionResult) -> bool:
    return result.synced
