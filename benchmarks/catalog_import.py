"""Benchmark the portal importer against ``json.loads`` of the same lines, and catalog I/O (issue 16, item 6).

Run: ``.venv/bin/python benchmarks/catalog_import.py [--data ../shared/data/real] [--repeat 5] [--jobs N] [--profile]``
(``--count 0`` / ``--count 1`` under ``valgrind --tool=callgrind``: instructions of one import, parser caches empty)

Anchors, measured in this process: ``json.loads`` of every line of the same gzip files (the floor: decompressing and
decoding only) and ``pandas.read_json(lines=True)`` (a table, no parsing of the free text). ``tthc`` does much more
per record (splits the flattened channel table, parses times, fees, levels, legal basis, folds and searches the prose
for presence and proxy statements, builds validated models and a report), so the ratio says what that costs.

Each figure is the best of ``--repeat`` runs, as wall clock and as CPU time of the process (steadier on a shared
machine); the targets of issue 16 (≥ 10,000 records/s, ≤ 2.5× ``json.loads``) are printed beside them with the load
averages before and after — read the figures next to the load. The first import (one-off: imports, the folding
table, the parser caches filling) is timed apart, and so is an import with the parsers' caches emptied before it
(the repeated imports find every recurring cell cached; a process usually imports once). The import with ``--jobs``
processes (default: the cores available; ``jobs - 1`` forked workers and the importing process, which parses runs
too) is timed with the parsers' caches emptied before it, so the workers are forked with empty caches as in a
process that imports once; its CPU time counts the workers' (they are shut down before the import returns), and the
pool's own start-up (forking the workers, one empty task each) is timed apart. On several cores the pool is judged
on the wall clock — against ``json.loads`` and against one process with the caches empty (issue 16's pool target:
≤ 0.6× one process) —, one process on its CPU time. ``--profile`` prints where an import in one process spends its
time (cProfile).
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import io
import json
import multiprocessing
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from tthc.catalog import free_text, legal_basis, portal_import
from tthc.catalog.collection import Catalog, import_portal_files
from tthc.catalog.portal_jobs import usable_jobs
from tthc.deadlines import processing_time

FILES = ("portal_national_2642.jsonl.gz", "portal_defence_207.jsonl.gz")
TARGET_RATE = 10_000  # records per second
TARGET_RATIO = 2.5  # × json.loads of the same lines
TARGET_POOL = 0.6  # the pool's wall clock × one process's, on 2 idle cores (issue 16, session 9)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def cpu() -> float:
    """CPU time of this process and of its children that have ended (the worker processes of a pool, once shut
    down: the pool is shut down before an import returns)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    c0, t0 = cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, cpu() - c0


def pool_start(workers: int) -> None:
    """What a pool costs beyond the work: forking ``workers`` workers from this process, one empty task each,
    shutting them down."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(abs, range(workers)))


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    return best_of([timed(fn) for _ in range(repeat)])


def best_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(w for w, _ in runs), min(c for _, c in runs)


FRESH = """
import json, os, sys, time
from tthc.catalog.collection import import_portal_files
import tthc.catalog.portal_jobs, tthc.catalog.portal_import  # imported by the first import: not timed
paths, jobs = json.loads(sys.argv[1]), int(sys.argv[2])
t, w = os.times(), time.perf_counter()
import_portal_files(paths, jobs=jobs)
w, u = time.perf_counter() - w, os.times()
cpu = lambda t: t.user + t.system + t.children_user + t.children_system
print(w, cpu(u) - cpu(t))
"""


def fresh_import(paths: list[Path], jobs: int) -> tuple[float, float]:
    """Wall clock and CPU time (its workers' included) of the one import of a fresh process, as ``tthc
    import-portal`` runs it: the modules imported first (not timed); the parser caches and the folding table empty
    (built during the import, in one process as in the pool); no earlier import's objects in the heap that a forked
    worker shares."""
    out = subprocess.run(
        [sys.executable, "-c", FRESH, json.dumps([str(p) for p in paths]), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def clear_parser_caches() -> None:
    """Empty the parsers' LRU caches (not the folding table): an import as the first one of a process would run it,
    once the one-off costs are paid. The repeated imports of this benchmark otherwise find every cell cached."""
    for module in (free_text, legal_basis, portal_import, processing_time):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and hasattr(value, "cache_info"):
                clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: the cores available; 1: none)")
    ap.add_argument(
        "--count",
        type=int,
        choices=(0, 1),
        help="for an instruction counter (callgrind): import once, empty the parser caches, import COUNT more times, "
        "print nothing; one import with the caches empty is the difference of the counts of 1 and 0",
    )
    args = ap.parse_args()
    paths = [args.data / f for f in FILES]
    if args.count is not None:
        import_portal_files(paths)
        clear_parser_caches()
        for _ in range(args.count):
            import_portal_files(paths)
        return
    n = 0
    for p in paths:
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            n += sum(1 for _ in fh)

    def json_only() -> None:
        for p in paths:
            with gzip.open(p, "rt", encoding="utf-8") as fh:
                for line in fh:
                    json.loads(line)

    def pandas_read() -> None:
        for p in paths:
            pd.read_json(p, lines=True, compression="gzip")

    jobs = args.jobs or usable_jobs()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {load()}")
    first_wall, first_cpu = timed(lambda: import_portal_files(paths))
    result = import_portal_files(paths)
    rows: dict[str, tuple[float, float]] = {}
    # the floor and the imports alternate, so all see the same load
    floor_runs, import_runs, cold_runs, pool_runs = [], [], [], []
    for _ in range(args.repeat):
        floor_runs.append(timed(json_only))
        import_runs.append(timed(lambda: import_portal_files(paths)))
        clear_parser_caches()
        cold_runs.append(timed(lambda: import_portal_files(paths)))
        if jobs > 1:  # the workers are forked with the parsers' caches empty, as in a process that imports once
            clear_parser_caches()
            pool_runs.append(timed(lambda: import_portal_files(paths, jobs=jobs)))
    if jobs > 1:  # the pool as a command runs it: in a fresh process, against one process in a fresh process
        fresh_one, fresh_pool = [], []
        for _ in range(args.repeat):
            fresh_one.append(fresh_import(paths, 1))
            fresh_pool.append(fresh_import(paths, jobs))
    rows["json.loads (decode only)"] = best_of(floor_runs)
    rows["pandas.read_json(lines=True)"] = best(pandas_read, args.repeat)
    rows["import, repeated in a process"] = best_of(import_runs)
    rows["import, parser caches empty"] = best_of(cold_runs)
    if jobs > 1:
        rows[f"import, {jobs} processes"] = best_of(pool_runs)
        rows[f"  of which pool start-up ({jobs - 1})"] = best(lambda: pool_start(jobs - 1), args.repeat)
        rows["fresh process, import alone"] = best_of(fresh_one)
        rows[f"fresh process, import, {jobs} procs"] = best_of(fresh_pool)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "catalog.jsonl"
        rows["Catalog.dump (.jsonl)"] = best(lambda: result.catalog.dump(out), args.repeat)
        rows["Catalog.load (.jsonl)"] = best(lambda: Catalog.load(out), args.repeat)
    floor_wall, floor_cpu = rows["json.loads (decode only)"]
    print(f"{n} records, {result.report.coverage.channel_rows} channel rows; best of {args.repeat}; CPU counts the")
    print("worker processes too; × json.loads compares wall with wall and CPU with CPU")
    head = f"{'wall':>9} {'CPU':>9} {'rec/s wall':>11} {'rec/s CPU':>10} {'× wall':>7} {'× CPU':>6}"
    print(f"  {'':<33} {head}")
    for name, (wall, cpu) in rows.items():
        print(
            f"  {name:<33} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms {n / wall:11,.0f} {n / cpu:10,.0f} "
            f"{wall / floor_wall:7.2f} {cpu / floor_cpu:6.2f}"
        )
    print(f"  {'first import (one-off costs)':<33} {first_wall * 1000:6.0f} ms {first_cpu * 1000:6.0f} ms")
    verdicts = [("one process, caches empty (CPU)", rows["import, parser caches empty"][1], floor_cpu)]
    if jobs > 1:
        verdicts.append((f"{jobs} processes (wall)", rows[f"import, {jobs} processes"][0], floor_wall))
    for what, seconds, floor in verdicts:
        rate, ratio = n / seconds, seconds / floor
        print(
            f"import, {what}: {rate:,.0f} records/s, target ≥ {TARGET_RATE:,} — "
            f"{'met' if rate >= TARGET_RATE else 'not met'}; {ratio:.2f}× json.loads, target ≤ {TARGET_RATIO}× — "
            f"{'met' if ratio <= TARGET_RATIO else 'not met'}"
        )
    if jobs > 1:
        pairs = {
            "in this process": ("import, parser caches empty", f"import, {jobs} processes"),
            "each in a fresh process": (
                "fresh process, import alone",
                f"fresh process, import, {jobs} procs",
            ),
        }
        for where, (one, many) in pairs.items():
            (alone_wall, alone_cpu), (pooled_wall, pooled_cpu) = rows[one], rows[many]
            print(
                f"import, {jobs} processes against one process ({where}): wall {pooled_wall / alone_wall:.2f}×, "
                f"target ≤ {TARGET_POOL}× — {'met' if pooled_wall <= TARGET_POOL * alone_wall else 'not met'}; "
                f"CPU {pooled_cpu / alone_cpu:.2f}× (the price of the pool)"
            )
    print(f"load average after: {load()}")
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(import_portal_files, paths)
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
        print(buf.getvalue())


if __name__ == "__main__":
    main()
