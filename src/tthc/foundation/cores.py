"""How much of the machine a run may use: the cores this process may run on, and whether worker processes can be
forked. One answer for every pool in ``tthc`` (record checks, the catalog import)."""

from __future__ import annotations

import os
import sys

__all__ = ["can_fork", "usable_cores"]


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
