"""How much of the machine a run may use — the cores this process may run on, whether worker processes can be
forked — and how a pool's results come back in input order. One answer for every pool in ``tthc`` (record checks,
the catalog import)."""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

__all__ = ["can_fork", "ordered_map", "usable_cores"]

T = TypeVar("T")
R = TypeVar("R")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says; else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Worker processes are forked (they inherit the imported modules, the catalog and the compiled calendar): only
    where fork is the platform's way (Linux), and never from a daemonic process (which may not have children)."""
    if not sys.platform.startswith("linux"):
        return False
    import multiprocessing  # only when a pool is considered: a small run in one process never loads it

    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


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
