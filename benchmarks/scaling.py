"""Benchmark: does the cost per row and the peak memory stay flat as the file grows? (issue 16, items 2 and 3)

Run: ``python benchmarks/scaling.py [--rows 1000000 4000000] [--repeat 2] [--jobs N] [--keep DIR] [--no-duplicates]``

The same records (the bundled sample tiled with fresh dossier codes, :func:`benchmarks.floor.make_files`) at each
size, as a CSV and as a Parquet file with typed timestamps and integers. For each format and size, in a fresh
interpreter (best of ``--repeat`` by wall time): :func:`tthc.validation.validate_files` with the duplicate dossier
code check on, plus :func:`tthc.kpi.compute_kpis` — one read of the file gives both — in ``--jobs`` worker processes
(default: the cores available, as ``tthc validate``), timed from the call (imports, catalog and calendar before the
clock), with CPU time (the process and its workers) and peak RSS (``getrusage``; it includes the interpreter and the
libraries) of the process and of its largest worker. The anchor measured in the same child: ``pyarrow.csv.read_csv`` /
``pyarrow.parquet.read_table`` of the same file.

Printed per format: time per row at each size, the ratio of the largest size to the smallest (target ≤ 1.10; read
from the wall clock and from the CPU time, which a loaded machine disturbs less), the peak RSS at each size and its
ratio (target ≤ 1.15), each time also as a multiple of the pyarrow read. The files are generated in a child process
(Linux keeps a process's peak RSS across fork + exec, so the parent stays small). Load averages before and after:
the machine is shared, read the figures next to them. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME_TARGET = 1.10
MEMORY_TARGET = 1.15


def measure(path: Path, duplicates: bool, jobs: int | None = None) -> dict[str, float]:
    """Validate + KPIs of ``path`` in this (fresh) process, then the bare pyarrow read of it."""
    from tthc.calendar.working_calendar import public_sector_calendar
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.validation.context import ValidationOptions
    from tthc.validation.run import validate_files
    from tthc.validation.workers import default_jobs

    cat = Catalog.sample()
    options = ValidationOptions(calendar=public_sector_calendar())
    t0, c0 = time.perf_counter(), _cpu()
    summary = validate_files([path], cat, options, duplicates=duplicates, jobs=jobs or default_jobs())
    kpis = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
    elapsed, cpu = time.perf_counter() - t0, _cpu() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    t1 = time.perf_counter()
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        pq.read_table(path)
    else:
        import pyarrow.csv as pacsv

        pacsv.read_csv(path)
    floor = time.perf_counter() - t1
    return {
        "elapsed": elapsed,
        "cpu": cpu,
        "rss_mb": rss,
        "rss_workers_mb": rss_workers,
        "floor": floor,
        "rows": summary.rows,
        "invalid": summary.invalid_rows,
        "kpis": len(kpis),
    }


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _make(folder: Path, rows: int) -> list[Path]:
    # in a child: the peak RSS of a process survives fork + exec on Linux, so this process stays small for the
    # measuring children it starts (generating the Parquet file holds the whole table)
    args = [sys.executable, __file__, "--make", str(folder), "--rows", str(rows)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return [Path(p) for p in json.loads(out.strip().splitlines()[-1])]


def in_child(path: Path, duplicates: bool, jobs: int | None) -> dict[str, float]:
    args = [sys.executable, __file__, "--measure", str(path)] + ([] if duplicates else ["--no-duplicates"])
    args += ["--jobs", str(jobs)] if jobs else []
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"measuring {path} failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "NOT met"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 4_000_000])
    ap.add_argument("--repeat", type=int, default=2, help="fresh interpreters per point; the fastest counts")
    ap.add_argument("--keep", type=Path, help="folder for the generated files (reused when already there)")
    ap.add_argument("--no-duplicates", action="store_true", help="run with the duplicate check off (comparison)")
    ap.add_argument("--jobs", type=int, help="worker processes (default: the cores available; 1: one process)")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    duplicates = not args.no_duplicates
    if args.measure:
        print(json.dumps(measure(args.measure, duplicates, args.jobs)))
        return 0
    if args.make:
        sys.path.insert(0, str(ROOT))
        from benchmarks.floor import make_files

        print(json.dumps([str(p) for p in make_files(args.make, args.rows[0])[:2]]))
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tthc-scaling-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load {os.getloadavg()}")
    sizes = sorted(args.rows)
    files = {n: _make(folder, n) for n in sizes}
    results: dict[tuple[str, int], dict[str, float]] = {}
    for fmt, k in (("CSV", 0), ("Parquet", 1)):
        for n in sizes:
            runs = [in_child(files[n][k], duplicates, args.jobs) for _ in range(args.repeat)]
            m = min(runs, key=lambda r: r["elapsed"])
            results[(fmt, n)] = m
            print(
                f"{fmt:7} {n:>10,} rows: {m['elapsed']:6.2f} s (CPU {m['cpu']:.2f} s) = "
                f"{m['elapsed'] / m['rows'] * 1e6:.2f} µs/row, {m['elapsed'] / m['floor']:.1f}x the pyarrow read "
                f"({m['floor']:.2f} s); peak RSS {m['rss_mb']:,.0f} MB (largest worker {m['rss_workers_mb']:,.0f} MB); "
                f"{int(m['invalid']):,} invalid",
                flush=True,
            )
    small, large = sizes[0], sizes[-1]
    print(f"duplicate check {'on' if duplicates else 'OFF'}; ratios {large:,} rows against {small:,} rows:")
    for fmt in ("CSV", "Parquet"):
        a, b = results[(fmt, small)], results[(fmt, large)]
        per_row = (b["elapsed"] / b["rows"]) / (a["elapsed"] / a["rows"])
        cpu_row = (b["cpu"] / b["rows"]) / (a["cpu"] / a["rows"])
        memory = b["rss_mb"] / a["rss_mb"]
        workers = b["rss_workers_mb"] / a["rss_workers_mb"] if a["rss_workers_mb"] else 1.0
        print(
            f"{fmt:7} time per row x{per_row:.2f} wall-clock, x{cpu_row:.2f} CPU (target <= {TIME_TARGET}: "
            f"{_verdict(per_row, TIME_TARGET)} / {_verdict(cpu_row, TIME_TARGET)}); "
            f"peak RSS x{memory:.2f}, largest worker x{workers:.2f} (target <= {MEMORY_TARGET}: "
            f"{_verdict(max(memory, workers), MEMORY_TARGET)})"
        )
    print(f"load after: {os.getloadavg()}")
    if not args.keep:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
