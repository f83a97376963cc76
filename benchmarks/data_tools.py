"""Benchmark: tthc inside the data teams' own tools, side by side with what they write without it.

Run: ``python benchmarks/data_tools.py [--rows 10000000] [--keep DIR]``

One Parquet file of dossier records (the bundled sample tiled with fresh dossier codes, timestamps typed), then, each
in a fresh interpreter (wall time, peak RSS of that process):

* **(a) DuckDB + tthc** — SQL with ``tthc_due`` / ``tthc_timeliness`` (:mod:`tthc.duckdb`): the due instant of every
  working-day row and the on-time rate. The functions are SQL macros joining the calendar tables ``register`` puts in
  the connection (make-up Saturdays, swaps, the dated cut-off), so the query runs without Python.
* **(b) DuckDB + a hand-made calendar** — what a data team writes today: a calendar table (Mon–Fri minus
  ``holidays.VN``'s days off, with a cumulative working-day index) joined twice, the 15:00 cut-off applied by hand.
  It cannot know make-up Saturdays or the public-sector schedule; the rows where its due day differs from tthc's are
  counted.
* **(c) tthc validate** — every check and every KPI (``validate_files`` + ``compute_kpis``), from the same Parquet.
* **polars** — ``.tthc.add_working_days`` (:mod:`tthc.polars`) against polars' own ``dt.add_business_days`` with
  the same holiday list, on the same dates; rows that differ are counted.

Targets (issue 15): (a) within 1.5x of (b); the polars namespace within 2x of ``add_business_days``.
Timings are printed, never asserted, with the load averages before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOLIDAY_YEARS = range(2018, 2031)


def write_parquet(rows: int, path: Path) -> None:
    """Tile the sample to ``rows`` rows (benchmarks/records.py), then store it as Parquet with typed timestamps."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    sys.path.insert(0, str(ROOT))
    from benchmarks.records import make_file

    csv_path = path.with_suffix(".csv")
    make_file(csv_path, rows)
    stamp = pa.timestamp("us")
    columns = ("received_at", "due_at", "finished_at", "returned_at", "supplement_requested_at",
               "supplement_completed_at", "extended_due_at")  # fmt: skip
    header = csv_path.open(encoding="utf-8").readline().strip().split(",")
    types = {name: (stamp if name in columns else pa.string()) for name in header}
    types.update({name: pa.int64() for name in ("supplement_count", "fee_vnd", "postage_vnd") if name in header})
    convert = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
    table = pacsv.read_csv(csv_path, convert_options=convert)
    pq.write_table(table, path, row_group_size=1 << 20)
    csv_path.unlink()


def procedures_table() -> list[tuple[str, str, int, str]]:
    """(procedure_code, channel, amount, unit) of every published processing time in the sample catalog."""
    from tthc.catalog import Catalog

    out: list[tuple[str, str, int, str]] = []
    seen: set[tuple[str, str]] = set()
    for proc in Catalog.sample():
        for option in proc.channels:
            key = (str(proc.code), option.channel.value)
            pt = option.processing_time
            if key in seen or pt is None or pt.amount is None:
                continue
            seen.add(key)
            out.append((*key, int(pt.amount), pt.unit.value))
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_duckdb_tthc(path: str) -> dict[str, float]:
    import duckdb
    import tthc.duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # its bar would end up in the JSON line this step prints
    t0 = time.perf_counter()
    tthc.duckdb.register(con)
    con.execute("create table procs (procedure_code varchar, channel varchar, amount bigint, unit varchar)")
    con.executemany("insert into procs values (?, ?, ?, ?)", procedures_table())
    con.execute(
        f"""create table a as
        select r.dossier_code, tthc_due(r.received_at, p.amount, p.unit, r.channel) as due_at, r.finished_at
        from read_parquet('{path}') r join procs p using (procedure_code, channel)
        where p.unit = 'working_days'"""
    )
    n, on_time = con.execute(
        "select count(*), avg(case when tthc_timeliness(due_at, finished_at) in ('early', 'on_time') then 1.0"
        " when finished_at is not null then 0.0 end) from a"
    ).fetchone() or (0, 0.0)
    seconds = time.perf_counter() - t0
    con.execute(f"copy (select dossier_code, due_at from a) to '{path}.a.parquet' (format parquet)")
    return {"seconds": seconds, "rows": float(n), "on_time": float(on_time or 0), "peak_mb": peak_mb()}


def run_duckdb_naive(path: str) -> dict[str, float]:
    import holidays
    import numpy as np

    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # its bar would end up in the JSON line this step prints
    t0 = time.perf_counter()
    # the hand-made calendar: weekdays minus the holidays package's days off, a cumulative working-day index
    days = np.arange(np.datetime64("2018-01-01"), np.datetime64("2031-01-01"))
    off = np.array(sorted(holidays.country_holidays("VN", years=HOLIDAY_YEARS)), dtype="datetime64[D]")
    working = np.is_busday(days, holidays=off)
    idx = np.cumsum(working)
    con.execute("create table cal (d date, working boolean, idx bigint)")
    import pyarrow as pa

    con.register("cal_arrow", pa.table({"d": pa.array(days, type=pa.date32()), "working": working, "idx": idx}))
    con.execute("insert into cal select * from cal_arrow")
    con.execute("create table procs (procedure_code varchar, channel varchar, amount bigint, unit varchar)")
    con.executemany("insert into procs values (?, ?, ?, ?)", procedures_table())
    con.execute(
        f"""create table b as
        with r as (
            select r.dossier_code, r.received_at, r.finished_at, p.amount
            from read_parquet('{path}') r join procs p using (procedure_code, channel)
            where p.unit = 'working_days'
        )
        select r.dossier_code, r.finished_at,
               c2.d + interval 17 hour as due_at
        from r
        join cal c1 on c1.d = cast(r.received_at as date)
        join cal c2 on c2.working and c2.idx = c1.idx + r.amount
             + case when c1.working and hour(r.received_at) >= 15 then 1 else 0 end"""
    )
    n, on_time = con.execute(
        "select count(*), avg(case when finished_at <= due_at then 1.0 when finished_at is not null then 0.0 end)"
        " from b"
    ).fetchone() or (0, 0.0)
    seconds = time.perf_counter() - t0
    differ = con.execute(
        f"select count(*) from b join read_parquet('{path}.a.parquet') a using (dossier_code)"
        " where cast(a.due_at as date) is distinct from cast(b.due_at as date)"
    ).fetchone()
    return {
        "seconds": seconds,
        "rows": float(n),
        "on_time": float(on_time or 0),
        "differ": float(differ[0] if differ else -1),
        "peak_mb": peak_mb(),
    }


def run_tthc_validate(path: str) -> dict[str, float]:
    import tthc
    from tthc.catalog import Catalog

    t0 = time.perf_counter()
    cat = Catalog.sample()
    summary = tthc.validate_files([path], cat)
    tthc.compute_kpis(summary.kpi, cat, tthc.KpiOptions(by="agency"))
    return {"seconds": time.perf_counter() - t0, "rows": float(summary.rows), "peak_mb": peak_mb()}


def run_polars(path: str) -> dict[str, float]:
    import holidays

    import polars as pl
    import tthc.polars  # noqa: F401

    df = pl.read_parquet(path, columns=["received_at"]).select(pl.col("received_at").dt.date().alias("d"))
    off = sorted(holidays.country_holidays("VN", years=HOLIDAY_YEARS))
    theirs_expr = pl.col("d").dt.add_business_days(5, holidays=off, roll="forward")
    ours_expr = pl.col("d").tthc.add_working_days(5)  # type: ignore[attr-defined]  # registered at run time
    df.head(1000).select(ours_expr)  # compile the calendar outside the timing
    best_ours = best_theirs = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        ours = df.select(ours_expr)
        best_ours = min(best_ours, time.perf_counter() - t0)
        t0 = time.perf_counter()
        theirs = df.select(theirs_expr)
        best_theirs = min(best_theirs, time.perf_counter() - t0)
    differ = int((ours.to_series() != theirs.to_series()).sum())
    return {"ours": best_ours, "theirs": best_theirs, "differ": float(differ), "rows": float(len(df))}


RUNNERS = {"a": run_duckdb_tthc, "b": run_duckdb_naive, "c": run_tthc_validate, "polars": run_polars}


def in_child(which: str, path: Path) -> dict[str, float]:
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.data_tools import RUNNERS; "
        f"print(json.dumps(RUNNERS[{which!r}]({str(path)!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {which} failed:\n{done.stderr}")
    out = done.stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated Parquet file in")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tthc-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"records-{args.rows}.parquet"
    if not path.exists():
        t0 = time.perf_counter()
        # in a child of its own: a peak RSS survives fork + exec, so generating here would inflate every reading
        code = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.data_tools import write_parquet; "
            f"write_parquet({args.rows}, __import__('pathlib').Path({str(path)!r}))"
        )
        subprocess.run([sys.executable, "-c", code], check=True)
        size, took = path.stat().st_size / 1e6, time.perf_counter() - t0
        print(f"wrote {args.rows:,} rows to {path} ({size:.0f} MB) in {took:.1f} s")
    load = os.getloadavg()
    a = in_child("a", path)
    b = in_child("b", path)
    c = in_child("c", path)
    p = in_child("polars", path)
    print("load averages (1/5/15 min): before " + " ".join(f"{x:.2f}" for x in load)
          + ", after " + " ".join(f"{x:.2f}" for x in os.getloadavg()))  # fmt: skip
    print(f"(a) DuckDB + tthc functions : {a['seconds']:7.2f} s  peak {a['peak_mb']:6.0f} MB  "
          f"{a['rows']:,.0f} working-day rows, on time {a['on_time']:.2%}")  # fmt: skip
    print(f"(b) DuckDB + hand calendar  : {b['seconds']:7.2f} s  peak {b['peak_mb']:6.0f} MB  "
          f"{b['rows']:,.0f} rows, on time {b['on_time']:.2%}; "
          f"due day differs from tthc on {b['differ']:,.0f} rows")  # fmt: skip
    print(f"(c) tthc validate + KPIs    : {c['seconds']:7.2f} s  peak {c['peak_mb']:6.0f} MB  {c['rows']:,.0f} rows")
    print(f"    ratio (a)/(b) = {a['seconds'] / b['seconds']:.2f}  (target <= 1.5)")
    print(f"polars .tthc.add_working_days: {p['ours']:.3f} s; dt.add_business_days: {p['theirs']:.3f} s; "
          f"ratio {p['ours'] / p['theirs']:.2f} (target <= 2); "
          f"results differ on {p['differ']:,.0f} of {p['rows']:,.0f}")  # fmt: skip
    if args.keep is None:
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
