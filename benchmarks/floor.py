"""Benchmark: the whole validation job against the floor — how close ``tthc validate`` (every finding, every KPI) comes
to merely reading the same file (issue 16, item 4).

Run: ``python benchmarks/floor.py [--rows 1000000] [--repeat 3] [--jobs N] [--keep DIR] [--profile]``

One set of files of dossier records (the bundled sample tiled with fresh dossier codes, ``benchmarks/records.py``):
a CSV, a Parquet file with typed timestamps and integers, and a Parquet file whose every column is text (the dates
as the CSV spells them). Then, in this one process, best of ``--repeat`` runs each:

* **pyarrow read_csv** — ``pyarrow.csv.read_csv`` of the CSV (all columns, types inferred, threads on): the floor
  for a CSV.
* **pyarrow read_table** — ``pyarrow.parquet.read_table`` of the typed Parquet file: the floor for Parquet.
* **DuckDB KPI SQL** — DuckDB over the same CSV computing only KPIs: per agency, procedure and month the dossiers
  received, by post, returned by post, online, and the naive on-time rate (finished at or before the recorded due
  date), then the BCCI criteria per agency. No validation, no due date recomputed, no calendar.
* **tthc** — :func:`tthc.validation.validate_files` (streaming reader, every check, due dates recomputed, duplicate
  check) plus :func:`tthc.kpi.compute_kpis`, from the CSV, the typed Parquet file and the text Parquet file, in
  ``--jobs`` worker processes (default: the cores available, as ``tthc validate``) and in one process (``jobs=1``:
  pieces checked in two threads at once, ``tthc.validation.workers.CHECK_THREADS``), and, to compare, in one process
  checking one piece at a time.

It prints each time — wall clock and CPU time of the process and its worker processes (all their threads; steadier
than the wall clock on a shared machine, and what a busier machine would have to give) — the ratios the issue sets as
targets (CSV ≤ 3× read_csv and ≤ 4× DuckDB; Parquet ≤ 3× read_table; text-date Parquet no slower than the CSV), and
the load averages before and after (read the figures next to them). ``--profile`` also prints where the CSV run
spends its time in one process (cProfile, the top functions). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATETIME_COLUMNS = (
    "received_at", "due_at", "finished_at", "returned_at", "supplement_requested_at", "supplement_completed_at",
    "extended_due_at", "extension_issued_at",
)  # fmt: skip
INTEGER_COLUMNS = ("supplement_count", "fee_vnd", "postage_vnd", "extension_count")

KPI_SQL = """
with r as (
    select agency_code, procedure_code, date_trunc('month', received_at) as month,
           channel, result_channel, due_at, finished_at
    from read_csv('{path}', header = true, auto_detect = true)
    where received_at is not null and agency_code is not null and procedure_code is not null
),
g as (
    select agency_code, procedure_code, month,
           count(*) as received,
           count(*) filter (where channel = 'postal') as postal_in,
           count(*) filter (where result_channel = 'postal') as postal_out,
           count(*) filter (where channel = 'online') as online,
           count(*) filter (where channel = 'postal' or result_channel = 'postal') as postal_any,
           count(*) filter (where finished_at is not null and due_at is not null) as judged,
           count(*) filter (where finished_at <= due_at) as on_time
    from r group by all
)
select agency_code,
       sum(received) as received,
       sum(postal_in) / sum(received) > 0.1 as bcci_received,
       sum(postal_out) / sum(received) > 0.15 as bcci_returned,
       count(distinct procedure_code) filter (where postal_any > 0) / count(distinct procedure_code) > 0.5
           as bcci_procedures,
       sum(online) / sum(received) as online_share,
       sum(on_time) / nullif(sum(judged), 0) as on_time_rate
from g group by agency_code order by agency_code
"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def make_files(folder: Path, rows: int) -> tuple[Path, Path, Path]:
    """(CSV, typed Parquet, text Parquet) of ``rows`` rows, reused when already in ``folder``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    sys.path.insert(0, str(ROOT))
    from benchmarks.records import make_file

    csv_path = folder / f"records-{rows}.csv"
    typed = folder / f"records-{rows}.parquet"
    text = folder / f"records-{rows}-text.parquet"
    if not csv_path.exists():
        make_file(csv_path, rows)
    header = csv_path.open(encoding="utf-8").readline().strip().split(",")
    if not typed.exists():
        types = {n: pa.timestamp("us") if n in DATETIME_COLUMNS else pa.string() for n in header}
        types.update({n: pa.int64() for n in INTEGER_COLUMNS if n in header})
        table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(column_types=types))
        pq.write_table(table, typed, row_group_size=1 << 17)
    if not text.exists():
        types = dict.fromkeys(header, pa.string())
        table = pacsv.read_csv(
            csv_path, convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
        )
        pq.write_table(table, text, row_group_size=1 << 17)
    return csv_path, typed, text


def cpu_time() -> float:
    """CPU seconds of this process (every thread) and of its worker processes that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process and its workers) of the fastest of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        c0, t0 = cpu_time(), time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0, cpu_time() - c0))
    return min(times)


def read_csv(path: Path) -> None:
    import pyarrow.csv as pacsv

    pacsv.read_csv(path)


def read_table(path: Path) -> None:
    import pyarrow.parquet as pq

    pq.read_table(path)


def duckdb_kpis(path: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(KPI_SQL.format(path=path)).fetchall()
    con.close()


def tthc_job(path: Path, jobs: int = 1, threads: int | None = None) -> tuple[int, int]:
    """validate_files + compute_kpis in ``jobs`` processes (``threads``: checking threads of a one-process run,
    default :data:`~tthc.validation.workers.CHECK_THREADS`): (rows, findings)."""
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.validation import workers
    from tthc.validation.run import validate_files

    cat = Catalog.sample()
    default = workers.CHECK_THREADS
    workers.CHECK_THREADS = threads or default
    try:
        summary = validate_files([path], cat, jobs=jobs)
    finally:
        workers.CHECK_THREADS = default
    compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
    return summary.rows, sum(summary.by_code.values())


def profile(path: Path, top: int = 30) -> str:
    prof = cProfile.Profile()
    prof.enable()
    tthc_job(path)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest counts (shared machines)")
    ap.add_argument("--jobs", type=int, help="worker processes of the tthc runs (default: the cores available)")
    ap.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated files in")
    ap.add_argument("--profile", action="store_true", help="also print where the CSV run spends its time")
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tthc-floor-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        csv_path, typed, text = make_files(folder, args.rows)
        mb = [f.stat().st_size / 1e6 for f in (csv_path, typed, text)]
        print(f"{args.rows:,} rows: CSV {mb[0]:.0f} MB, Parquet {mb[1]:.0f} MB (typed), {mb[2]:.0f} MB (text)")
        print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
              f"{platform.python_version()}; load average before: {load()}")  # fmt: skip
        first = time.perf_counter()
        rows, findings = tthc_job(csv_path)  # also warms the caches: the compiled calendar, the catalog
        first = time.perf_counter() - first
        r = args.repeat
        from tthc.validation.workers import default_jobs

        jobs = args.jobs or default_jobs()
        steps = {
            "pyarrow read_csv (CSV)": best(lambda: read_csv(csv_path), r),
            "pyarrow read_table (Parquet)": best(lambda: read_table(typed), r),
            "DuckDB KPI-only SQL (CSV)": best(lambda: duckdb_kpis(csv_path), r),
            "tthc validate + KPIs, CSV": best(lambda: tthc_job(csv_path, jobs), r),
            "tthc validate + KPIs, Parquet": best(lambda: tthc_job(typed, jobs), r),
            "tthc validate + KPIs, Parquet text": best(lambda: tthc_job(text, jobs), r),
            "tthc, CSV, one process": best(lambda: tthc_job(csv_path), r),
            "tthc, Parquet, one process": best(lambda: tthc_job(typed), r),
            "tthc, CSV, one process, 1 thread": best(lambda: tthc_job(csv_path, threads=1), r),
            "tthc, Parquet, one process, 1 thread": best(lambda: tthc_job(typed, threads=1), r),
        }
        print(f"best of {r} runs each (tthc's first run, caches cold: {first:.2f} s); tthc in {jobs} worker "
              f"processes unless said; {rows:,} rows, {findings:,} findings")  # fmt: skip
        print(f"  {'':38s} {'wall':>8s} {'CPU':>8s}")
        for label, (wall, cpu) in steps.items():
            rate = f"{rows / wall:12,.0f} rows/s" if label.startswith("tthc") else ""
            print(f"  {label:38s} {wall:7.3f}s {cpu:7.3f}s {rate}")
        ratios = (
            ("CSV / read_csv", "tthc validate + KPIs, CSV", "pyarrow read_csv (CSV)", 3.0),
            ("CSV / DuckDB KPI SQL", "tthc validate + KPIs, CSV", "DuckDB KPI-only SQL (CSV)", 4.0),
            ("Parquet / read_table", "tthc validate + KPIs, Parquet", "pyarrow read_table (Parquet)", 3.0),
            ("Parquet text dates / CSV", "tthc validate + KPIs, Parquet text", "tthc validate + KPIs, CSV", 1.0),
            ("CSV one process / read_csv", "tthc, CSV, one process", "pyarrow read_csv (CSV)", 3.0),
            ("Parquet one process / read_table", "tthc, Parquet, one process", "pyarrow read_table (Parquet)", 3.0),
        )
        print(f"  {'ratio':32s} {'wall':>7s} {'CPU':>7s}  target")
        for label, ours, anchor, target in ratios:
            wall, cpu = steps[ours][0] / steps[anchor][0], steps[ours][1] / steps[anchor][1]
            verdict = "met" if wall <= target else "NOT met"
            print(f"  {label:32s} {wall:6.2f}x {cpu:6.2f}x  <= {target:g}x on the wall clock: {verdict}")
        print(f"load average after: {load()}")
        if args.profile:
            print(profile(csv_path))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
