"""One answer to "how many cores, and may we fork" for every pool (record checks and the catalog import)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tthc.catalog import portal_jobs
from tthc.foundation import cores
from tthc.validation import workers


def test_usable_cores_is_this_process_s_affinity_within_its_quota() -> None:
    import math

    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = cores.cpu_quota()
    assert cores.usable_cores() == (expected if quota is None else max(1, min(expected, math.ceil(quota))))


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


# -- control groups: a container's --cpus -----------------------------------------------------------------------------


@pytest.fixture
def cgroups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """A fake ``/sys/fs/cgroup`` and ``/proc/self/cgroup`` on a machine of 16 cores: ``make(membership, files)``."""
    root = tmp_path / "cgroup"
    proc = tmp_path / "proc-self-cgroup"
    monkeypatch.setattr(cores, "CGROUP_ROOT", root)
    monkeypatch.setattr(cores, "_PROC_CGROUP", proc)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)

    def make(membership: str, files: dict[str, str]) -> None:
        proc.write_text(membership, encoding="utf-8")
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(text.encode("latin-1"))
        cores.cpu_quota.cache_clear()

    cores.cpu_quota.cache_clear()
    yield make
    cores.cpu_quota.cache_clear()


@pytest.mark.parametrize(
    ("cpu_max", "quota", "usable"),
    [
        ("150000 100000\n", 1.5, 2),  # --cpus=1.5: two threads, each ~75 % of a core
        ("100000 100000\n", 1.0, 1),
        ("100001 100000\n", 1.00001, 2),  # just over one core: rounded up
        ("50000 100000\n", 0.5, 1),  # half a core: still one
        ("1600000 100000\n", 16.0, 16),
        ("3200000 100000\n", 32.0, 16),  # a quota above the cores seen: the cores
        ("max 100000\n", None, 16),
    ],
)
def test_a_v2_container_quota_bounds_the_cores(
    cgroups: Callable[..., None], cpu_max: str, quota: float | None, usable: int
) -> None:
    cgroups("0::/\n", {"cpu.max": cpu_max})
    assert cores.cpu_quota() == quota
    assert cores.usable_cores() == usable


def test_a_nested_group_is_no_freer_than_the_groups_above_it(cgroups: Callable[..., None]) -> None:
    cgroups(
        "0::/kubepods/pod1/ctr\n",
        {
            "kubepods/pod1/ctr/cpu.max": "max 100000",
            "kubepods/pod1/cpu.max": "250000 100000",
            "cpu.max": "400000 100000",
        },
    )
    assert cores.cpu_quota() == 2.5
    assert cores.usable_cores() == 3


def test_a_group_path_of_the_host_not_mounted_in_the_container_reads_the_root(cgroups: Callable[..., None]) -> None:
    cgroups("0::/docker/0123abcd\n", {"cpu.max": "200000 100000"})
    assert cores.usable_cores() == 2


@pytest.mark.parametrize("folder", ["cpu,cpuacct", "cpu"])
def test_a_v1_hybrid_layout_reads_the_cfs_quota(cgroups: Callable[..., None], folder: str) -> None:
    """As on this project's own machines: v1 controllers beside a ``unified`` v2 tree without ``cpu.max``."""
    membership = f"9:name=systemd:/\n4:memory:/x/y\n2:{folder}:/job\n0::/\n"
    cgroups(membership, {f"{folder}/job/cpu.cfs_quota_us": "300000\n", f"{folder}/job/cpu.cfs_period_us": "100000\n"})
    assert cores.cpu_quota() == 3.0
    assert cores.usable_cores() == 3
    cgroups(membership, {f"{folder}/job/cpu.cfs_quota_us": "-1\n"})
    assert cores.cpu_quota() is None
    assert cores.usable_cores() == 16


def test_the_cli_default_and_the_import_follow_the_quota(
    cgroups: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``docker run --cpus=1`` on a 16-core host: one process by default (not eight), one import worker."""
    cgroups("0::/\n", {"cpu.max": "100000 100000"})
    monkeypatch.setattr(portal_jobs, "can_fork", lambda: True)
    assert workers.available_jobs() == 1
    assert workers.default_jobs() == 1
    assert portal_jobs.usable_jobs() == 1


@pytest.mark.parametrize(
    ("membership", "files"),
    [
        ("0::/\n", {"cpu.max": "lots 100000"}),
        ("0::/\n", {"cpu.max": "100000 0"}),
        ("0::/\n", {"cpu.max": "0 100000"}),
        ("0::/\n", {"cpu.max": "-5 100000"}),
        ("0::/\n", {"cpu.max": ""}),
        ("0::/\n", {"cpu.max": "1 2 3"}),
        ("0::/\n", {"cpu.max/inside": "a folder where the file should be"}),
        ("0::/\n", {"cpu.max": "\xff\xfe"}),
        ("0::/../../etc\n", {}),
        ("no colons here\n0:\n", {"cpu.max": "100000 100000"}),
        ("", {"cpu.max": "100000 100000"}),
        ("2:cpu:/\n", {"cpu/cpu.cfs_quota_us": "100000"}),  # no period
        ("2:cpu:/\n", {"cpu/cpu.cfs_quota_us": "x", "cpu/cpu.cfs_period_us": "100000"}),
    ],
)
def test_unreadable_or_odd_control_group_files_mean_no_quota(
    cgroups: Callable[..., None], membership: str, files: dict[str, str]
) -> None:
    cgroups(membership, files)
    assert cores.cpu_quota() is None
    assert cores.usable_cores() == 16


def test_no_proc_cgroup_means_no_quota(cgroups: Callable[..., None], tmp_path: Path) -> None:
    cgroups("0::/\n", {"cpu.max": "100000 100000"})
    (tmp_path / "proc-self-cgroup").unlink()
    cores.cpu_quota.cache_clear()
    assert cores.cpu_quota() is None
    assert cores.usable_cores() == 16


def test_this_machines_quota_reads_without_error() -> None:
    quota = cores.cpu_quota()
    assert quota is None or quota > 0
    assert 1 <= cores.usable_cores() <= (os.cpu_count() or 1)


# -- helpers for the pools ---------------------------------------------------------------------------------------------


def _sigint_disposition() -> str:
    import signal

    return repr(signal.getsignal(signal.SIGINT))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is Linux's way only")
def test_a_worker_started_with_leave_interrupts_to_parent_ignores_ctrl_c() -> None:
    import signal
    from concurrent.futures import ProcessPoolExecutor

    before = signal.getsignal(signal.SIGINT)
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=ctx, initializer=cores.leave_interrupts_to_parent) as pool:
        assert "SIG_IGN" in pool.submit(_sigint_disposition).result()
    with ProcessPoolExecutor(1, mp_context=ctx) as pool:  # the control: a plain worker would raise KeyboardInterrupt
        assert "SIG_IGN" not in pool.submit(_sigint_disposition).result()
    assert signal.getsignal(signal.SIGINT) is before  # the parent keeps its own
