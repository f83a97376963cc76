"""Benchmark the portal importer against ``json.loads`` of the same lines, and catalog I/O (issue 16, item 6).

Run: ``.venv/bin/python benchmarks/catalog_import.py [--data ../shared/data/real] [--repeat 5] [--profile]``

Anchors, measured in this process: ``json.loads`` of every line of the same gzip files (the floor: decompressing and
decoding only) and ``pandas.read_json(lines=True)`` (a table, no parsing of the free text). ``tthc`` does much more
per record (splits the flattened channel table, parses times, fees, levels, legal basis, folds and searches the prose
for presence and proxy statements, builds validated models and a report), so the ratio says what that costs.

Each figure is the best of ``--repeat`` runs, as wall clock and as CPU time of the process (steadier on a shared
machine); the targets of issue 16 (≥ 10,000 records/s, ≤ 2.5× ``json.loads``) are printed beside them with the load
averages before and after — read the figures next to the load. The first import (one-off: imports, the folding
table, the parser caches filling) is timed apart, and so is an import with the parsers' caches emptied before it
(the repeated imports find every recurring cell cached; a process usually imports once). ``--profile`` prints
where an import spends its time (cProfile).
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import io
import json
import os
import platform
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tthc.catalog import free_text, portal_import
from tthc.catalog.collection import Catalog, import_portal_files
from tthc.deadlines import processing_time

FILES = ("portal_national_2642.jsonl.gz", "portal_defence_207.jsonl.gz")
TARGET_RATE = 10_000  # records per second
TARGET_RATIO = 2.5  # × json.loads of the same lines


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = [timed(fn) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def clear_parser_caches() -> None:
    """Empty the parsers' LRU caches (not the folding table): an import as the first one of a process would run it,
    once the one-off costs are paid. The repeated imports of this benchmark otherwise find every cell cached."""
    for module in (free_text, portal_import, processing_time):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and hasattr(value, "cache_info"):
                clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    paths = [args.data / f for f in FILES]
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

    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {load()}")
    first_wall, first_cpu = timed(lambda: import_portal_files(paths))
    result = import_portal_files(paths)
    rows: dict[str, tuple[float, float]] = {}
    # the floor and the import alternate, so both see the same load
    floor_runs, import_runs, cold_runs = [], [], []
    for _ in range(args.repeat):
        floor_runs.append(timed(json_only))
        import_runs.append(timed(lambda: import_portal_files(paths)))
        clear_parser_caches()
        cold_runs.append(timed(lambda: import_portal_files(paths)))
    rows["json.loads (decode only)"] = (min(w for w, _ in floor_runs), min(c for _, c in floor_runs))
    rows["pandas.read_json(lines=True)"] = best(pandas_read, args.repeat)
    rows["tthc import_portal_files"] = (min(w for w, _ in import_runs), min(c for _, c in import_runs))
    rows["  the same, parser caches empty"] = (min(w for w, _ in cold_runs), min(c for _, c in cold_runs))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "catalog.jsonl"
        rows["tthc Catalog.dump (.jsonl)"] = best(lambda: result.catalog.dump(out), args.repeat)
        rows["tthc Catalog.load (.jsonl)"] = best(lambda: Catalog.load(out), args.repeat)
    floor_wall, floor_cpu = rows["json.loads (decode only)"]
    print(f"{n} records, {result.report.coverage.channel_rows} channel rows; best of {args.repeat}")
    print(f"  {'':<30} {'wall':>9} {'CPU':>9} {'rec/s (CPU)':>12} {'× json.loads (CPU)':>19}")
    for name, (wall, cpu) in rows.items():
        print(f"  {name:<30} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms {n / cpu:12,.0f} {cpu / floor_cpu:19.2f}")
    print(f"  first import (one-off costs)   {first_wall * 1000:6.0f} ms {first_cpu * 1000:6.0f} ms")
    wall, cpu = rows["tthc import_portal_files"]
    rate, ratio = n / cpu, cpu / floor_cpu
    print(
        f"import: {rate:,.0f} records/s CPU ({n / wall:,.0f} wall), target ≥ {TARGET_RATE:,} — "
        f"{'met' if rate >= TARGET_RATE else 'not met'}; {ratio:.2f}× json.loads CPU ({wall / floor_wall:.2f}× wall), "
        f"target ≤ {TARGET_RATIO}× — {'met' if ratio <= TARGET_RATIO else 'not met'}"
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
