"""One answer to "how many cores, and may we fork" for every pool (record checks and the catalog import)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator

import pytest

from tthc.catalog import portal_jobs
from tthc.foundation import cores
from tthc.validation import workers


def test_usable_cores_is_this_process_s_affinity() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert cores.usable_cores() == expected


def test_every_pool_asks_the_same_place() -> None:
    assert workers.available_jobs is cores.usable_cores
    assert portal_jobs.usable_jobs() == (cores.usable_cores() if cores.can_fork() else 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is Linux's way only")
def test_a_daemonic_process_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cores.can_fork()
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True)
    assert not cores.can_fork()
    assert portal_jobs.usable_jobs() == 1


def test_no_fork_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not cores.can_fork()


def test_ordered_map_gives_results_in_input_order_with_a_bounded_window() -> None:
    """Results in input order whatever order the workers finish in, and never more than ``ahead`` submitted ahead
    of what was taken."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    submitted = 0
    taken = 0
    lock = threading.Lock()

    def items() -> Iterator[int]:
        nonlocal submitted
        for i in range(12):
            with lock:
                assert submitted - taken <= 3  # the window: at most ``ahead`` waiting when the next is asked for
                submitted += 1
            yield i

    def slow_first(i: int) -> int:
        time.sleep(0.002 * (12 - i))  # the later ones finish first
        return i * i

    with ThreadPoolExecutor(3) as pool:
        out = []
        for r in cores.ordered_map(pool, slow_first, items(), 3):
            taken += 1
            out.append(r)
    assert out == [i * i for i in range(12)]
    assert submitted == 12
