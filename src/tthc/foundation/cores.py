"""How much of the machine a run may use — the cores this process may run on, whether worker processes can be
forked — how a pool's results come back in input order, and how a pool ends (a run abandoned, a worker lost). One
answer for every pool in ``tthc`` (record checks, the catalog import)."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tthc.errors import WorkerLostError
from tthc.foundation import stops
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future, ProcessPoolExecutor

__all__ = [
    "MAX_JOBS",
    "can_fork",
    "cpu_quota",
    "end_pool",
    "exit_codes",
    "heap_kept_from_workers",
    "leave_interrupts_to_parent",
    "lost_worker",
    "ordered_map",
    "usable_cores",
    "worker_losses",
]

T = TypeVar("T")
R = TypeVar("R")

MAX_JOBS = 4 * (os.cpu_count() or 1)
"""The most worker processes a pool starts, whatever ``jobs`` asks: more would only wait for the cores, and a pool
forked with N workers starts all N at once (a ``jobs`` of 100,000 would try to fork as many processes)."""

CGROUP_ROOT = Path("/sys/fs/cgroup")
"""Where Linux shows the control groups (cgroup v2 there or in ``unified/``; v1 in a folder per controller)."""
_PROC_CGROUP = Path("/proc/self/cgroup")


def usable_cores() -> int:
    """The cores this process may keep busy: its CPU affinity where the platform says (``taskset``, a container's
    ``--cpuset-cpus``; else the machine's count), and no more than its control groups' CPU quota rounded up
    (:func:`cpu_quota`: a container's ``--cpus``, a systemd ``CPUQuota=``) — a pool of one process per core seen
    would otherwise share a quota of one core, each slice throttled."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux, or refused
        cores = os.cpu_count() or 1
    quota = cpu_quota()
    if quota is not None:
        cores = min(cores, math.ceil(quota))
    return max(1, cores)


@functools.cache  # read once per process: a few small files (~0.1 ms each on some virtual machines)
def cpu_quota() -> float | None:
    """The CPUs this process's control groups allow it (``1.5``: one and a half cores' time per period), the
    smallest over its group and every group above it; ``None`` where none is set or none can be read (not Linux, no
    ``/proc``). cgroup v2 ``cpu.max`` and v1 ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``."""
    try:
        lines = _PROC_CGROUP.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    limits: list[float] = []
    for line in lines:
        _, _, rest = line.partition(":")
        controllers, sep, path = rest.partition(":")
        if not sep:
            continue
        if not controllers:  # cgroup v2 (pure, or the unified half of a hybrid layout)
            limits += _levels((CGROUP_ROOT, CGROUP_ROOT / "unified"), path, _v2_limit)
        elif "cpu" in controllers.split(","):  # cgroup v1: cpu alone or mounted with cpuacct
            limits += _levels((CGROUP_ROOT / controllers, CGROUP_ROOT / "cpu"), path, _v1_limit)
    return min(limits, default=None)


def _levels(mounts: Iterable[Path], path: str, read: Callable[[Path], float | None]) -> list[float]:
    """The limits set in the group's folder and each one above it, under each place the hierarchy may be mounted (a
    container that sees its own group as ``/``, or the host's path with only the root mounted)."""
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    found: list[float] = []
    for mount in dict.fromkeys(mounts):
        for depth in range(len(parts), -1, -1):
            limit = read(mount.joinpath(*parts[:depth]))
            if limit is not None:
                found.append(limit)
    return found


def _v2_limit(folder: Path) -> float | None:
    """``cpu.max``: ``"max 100000"`` (no limit) or ``"150000 100000"`` (quota and period, microseconds)."""
    try:
        quota, period = (folder / "cpu.max").read_text(encoding="ascii").split()
        return None if quota == "max" else _ratio(int(quota), int(period))
    except (OSError, ValueError):
        return None


def _v1_limit(folder: Path) -> float | None:
    """``cpu.cfs_quota_us`` (``-1``: no limit) over ``cpu.cfs_period_us``."""
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="ascii"))
        period = int((folder / "cpu.cfs_period_us").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    return _ratio(quota, period)


def _ratio(quota: int, period: int) -> float | None:
    return quota / period if quota > 0 and period > 0 else None


def can_fork() -> bool:
    """Worker processes are forked (they inherit the imported modules, the catalog and the compiled calendar): only
    where fork is the platform's way (Linux), and never from a daemonic process (which may not have children)."""
    if not sys.platform.startswith("linux"):
        return False
    import multiprocessing  # only when a pool is considered: a small run in one process never loads it

    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def leave_interrupts_to_parent() -> None:
    """In a worker process, as it starts (a pool's ``initializer``): Ctrl-C is left to the process that started it.

    A terminal sends SIGINT to the whole process group; a worker waiting for its next task would print its own
    ``KeyboardInterrupt`` traceback. The parent ends the run instead (and shuts the pool down: a worker finishes the
    task in hand), so the command's one line is all that is seen."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ordered_map(pool: Executor, fn: Callable[[T], R], items: Iterable[T], ahead: int) -> Iterator[R]:
    """``fn`` over ``items`` in ``pool``, the results in input order, with at most ``ahead`` of them submitted and not
    yet taken: one waiting for each worker to take up as it finishes, and what waits in memory stays bounded. The
    caller owns the pool (and shuts it down, also when it stops reading early)."""
    window: deque[Future[R]] = deque()
    for item in items:
        window.append(pool.submit(fn, item))
        while len(window) > ahead:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()


@contextlib.contextmanager
def heap_kept_from_workers() -> Iterator[None]:
    """Around starting a forked pool and using it: the objects of this process frozen (:func:`gc.freeze`), so the
    collector of a forked worker never visits nor frees what the worker inherited.

    A fork copies the heap but only the thread that forks: what this process's libraries' threads own is a shell in
    the child. Garbage inherited from this process — a cycle holding a DuckDB connection a notebook dropped, not yet
    collected — freed by the worker's collector runs its destructor there: DuckDB's joins its scheduler threads,
    which do not exist in the worker, and the worker died of SIGSEGV (``validate_files(jobs=2)`` after
    ``tthc.duckdb.validate`` and ``tthc.polars.validate`` in one process). Frozen, inherited objects are left alone
    in every worker (workers end with ``os._exit``: nothing is freed as they exit either); the workers make and
    collect their own garbage as usual. Freezing is O(1) and this process collects as before what it makes
    meanwhile; the objects are unfrozen as the pool ends (they join the oldest generation, like any object that
    survived).

    A process that froze objects itself keeps them as it froze them: its garbage is collected here instead
    (:func:`gc.collect`, in the process whose threads its destructors expect), then the workers are forked.
    """
    import gc

    if gc.get_freeze_count():
        gc.collect()
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


CRASH_SIGNALS = frozenset({"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT", "SIGSYS", "SIGTRAP"})
"""The signals a process dies of when it crashes (a fault of native code, an ``abort()``), not when it is killed."""

EXIT_WAIT = 2.0
"""Seconds a lost pool's workers are given to report how they ended (the pool is ending them already)."""


@contextlib.contextmanager
def worker_losses(jobs: int, pool: ProcessPoolExecutor | None = None) -> Iterator[None]:
    """Around taking a pool's results: a worker process that ended abruptly is a :class:`~tthc.errors.WorkerLostError`
    saying to run with fewer jobs, not the pool's ``BrokenProcessPool`` (which the command line could only call an
    internal error). Worded by how the worker ended, as far as ``pool``'s processes tell (:func:`lost_worker`):
    killed by SIGKILL (the out-of-memory killer, ``kill -9``), crashed (SIGSEGV, SIGABRT, ...), or another end."""
    from concurrent.futures.process import BrokenProcessPool  # only where a pool runs: it is imported already

    try:
        yield
    except BrokenProcessPool as exc:
        if stops.requested():  # the user stopped the run (SIGTERM to the process group ends the workers too)
            raise KeyboardInterrupt from exc
        raise WorkerLostError(lost_worker(jobs, exit_codes(pool))) from exc


def exit_codes(pool: ProcessPoolExecutor | None, wait: float = EXIT_WAIT) -> list[int]:
    """The exit codes of ``pool``'s worker processes that ended (``-11``: killed by signal 11), waiting up to
    ``wait`` seconds in all for those still ending; empty where the pool does not show its processes."""
    import time

    processes = list((getattr(pool, "_processes", None) or {}).values())
    deadline = time.monotonic() + wait
    codes: list[int] = []
    for process in processes:
        with contextlib.suppress(Exception):  # a process the pool's own thread is reaping at the same time
            process.join(max(0.0, deadline - time.monotonic()))
        code = getattr(process, "exitcode", None)
        if isinstance(code, int):
            codes.append(code)
    return codes


def lost_worker(jobs: int, codes: Iterable[int]) -> Words:
    """What a lost pool's error says, from its workers' exit codes (:func:`exit_codes`): a crash signal first (the
    cause: the pool then ends the other workers with SIGTERM), then SIGKILL, then any other end; a neutral wording
    when none is known."""
    import signal

    def name(code: int) -> str:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"

    ended = list(codes)
    names = [name(c) for c in ended if c < 0]
    crash = next((n for n in names if n in CRASH_SIGNALS), None)
    if crash is not None:
        return words(
            N_(
                "a worker process crashed ({signal}) before its work was done: nothing was written; run again with"
                " fewer jobs than {jobs} (1: everything in this process)"
            ),
            signal=crash,
            jobs=jobs,
        )
    if "SIGKILL" in names:
        return words(
            N_(
                "a worker process ended before its work was done (killed, often for lack of memory): nothing was"
                " written; run again with fewer jobs than {jobs} (1: everything in this process)"
            ),
            jobs=jobs,
        )
    other = [name(c) if c < 0 else str(c) for c in ended if c != -signal.SIGTERM] or names
    if other:
        return words(
            N_(
                "a worker process ended before its work was done (exit status {status}): nothing was written; run"
                " again with fewer jobs than {jobs} (1: everything in this process)"
            ),
            status=other[0],
            jobs=jobs,
        )
    return words(
        N_(
            "a worker process ended before its work was done: nothing was written; run again with fewer jobs than"
            " {jobs} (1: everything in this process)"
        ),
        jobs=jobs,
    )


def end_pool(pool: ProcessPoolExecutor, *, abandoned: bool) -> None:
    """Shut ``pool`` down. A run that ends normally lets each worker finish and exit. A run abandoned (an error,
    Ctrl-C, SIGTERM) ends its workers at once instead of waiting for the tasks in hand: waiting could be interrupted
    by a second Ctrl-C or SIGTERM, which left the workers waiting for tasks that never came and the command hanging
    as it exited."""
    if abandoned:
        terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
        if terminate is not None:
            terminate()
        else:  # the pool's own worker processes (never other children of the program)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        # A worker ended while writing a result leaves part of it in the result pipe, and the pool's own thread,
        # reading it, waits for the rest for ever — this process holds the pipe's last write end. Closing it ends
        # that read (end of file): the thread finds the pool broken and stops, and the shutdown below returns.
        writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
        if writer is not None:
            with contextlib.suppress(OSError):
                writer.close()
    pool.shutdown(wait=True, cancel_futures=True)
