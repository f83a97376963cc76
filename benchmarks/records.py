"""Benchmark: validate (with due-date recomputation) and compute KPIs over 1,000,000 dossier records from CSV.

Run: ``python benchmarks/records.py [--rows 1000000] [--baseline-rows 20000] [--keep FILE] [--garbage]``

What is measured, in one run:

* **tthc** — ``validate_files`` (streaming CSV reader, vectorised checks, due dates recomputed with
  ``compute_due_many``, duplicate check) followed by ``compute_kpis``, each size in a fresh interpreter: wall time
  (including compiling the calendar and reading the catalog, not the imports), CPU time and peak memory
  (``resource.getrusage`` max RSS, which includes the interpreter and the libraries). It runs on the first half of
  the file too: memory staying flat as the file grows shows as a peak RSS ratio near 1 (the duplicate check holds a
  bounded number of codes and spills the rest to a temporary file; ``benchmarks/scaling.py`` compares 1M and 4M
  rows, CSV and Parquet).
* **baseline** — the plain approach: ``csv.DictReader`` → ``DossierRecord.model_validate`` per row → catalog look-up,
  channel check, scalar ``compute_due`` and ``classify`` per row, KPI counts in dicts. It runs on the first
  ``--baseline-rows`` rows and is **extrapolated** linearly to the full size (it is row-by-row, so linear).

The records are the bundled sample (valid, generated from the sample catalog and the deadline engine) repeated
with fresh dossier codes until the size is reached; they are written once to a temporary CSV file.
Targets (issue 5): < 5 s and < 1.5 GB for 1M rows from CSV on a 2-core machine; ≥ 5× the baseline.

``--garbage`` also validates a file of as many rows where **every row is invalid** and nearly every cell wrong
(``make_garbage_file``: unreadable and out-of-range dates, unknown procedures, bad codes, words for numbers — about
18 findings per row) and prints both peaks. Memory must not grow with the error rate (issue 11): the all-garbage
peak must stay under the clean file's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_file(path: Path, rows: int) -> None:
    """Tile the bundled sample to ``rows`` rows with unique, valid dossier codes (same day, new sequence)."""
    from tthc.records.sample import sample_path

    with sample_path().open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        base = list(reader)
    code_col = header.index("dossier_code")
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        written = 0
        copy = 0
        while written < rows:
            for row in base:
                if written >= rows:
                    break
                prefix, day, seq = row[code_col].rsplit("-", 2)
                # a canonical code has a 4-digit sequence per agency and day (TT 01/2018 Điều 19): once the copies
                # would pass 9999, vary the lowest agency level inside the code instead, so every code stays valid
                block, offset = divmod(copy, 450)
                if block:
                    prefix = f"{block:03d}{prefix[3:]}"
                new = list(row)
                new[code_col] = f"{prefix}-{day}-{offset * 20 + int(seq):04d}"
                w.writerow(new)
                written += 1
            copy += 1


_GARBAGE_CELLS: dict[str, tuple[str, ...]] = {
    # every cell wrong in its own way: codes of the wrong form, dates that cannot be read or lie outside the
    # calendar, words where numbers belong — so each row carries a finding for nearly every column
    # (codes vary per row only where the clean file's do, so both files have as many distinct agencies and
    # procedures, and the KPI tables are the same size: the difference measured is the error rate)
    "dossier_code": ("???", "x-{n}", "H48-999999-{n}", "{n}{n}"),
    "procedure_code": ("9.999999", "abc", "1.0001789"),
    "agency_code": ("XYZ-1", "[/]", "000.00.9"),
    "channel": ("fax", "7", "by pigeon"),
    "online_level": ("9", "half", "x"),
    "received_at": ("1999-12-31 09:00:00", "2024-02-30 09:09", "yesterday", "31/12/1899"),
    "due_at": ("2101-01-01 17:00:00", "25:00", "n/a"),
    "finished_at": ("1999-01-01", "2024-13-01 10:00:00", "soon"),
    "returned_at": ("00/00/0000", "2024-01-01T25:61", "-"),
    "result_channel": ("email", "0", "mail"),
    "status": ("lost", "99", "??"),
    "supplement_requested_at": ("1900-01-01", "later", "2024-02-31"),
    "supplement_completed_at": ("never", "2024-04-31 08:00", "x"),
    "supplement_count": ("-1", "two", "1.5"),
    "extended_due_at": ("9999-12-31", "tomorrow", "32/01/2024"),
    "fee_vnd": ("-5", "free", "1e9"),
    "postage_vnd": ("abc", "-100", "12.5"),
    "tracking_number": ("EB12345678VN", "XX", "tracking-{n}"),
    "extension_issued_at": ("2000-00-00", "xx", "2024-06-31"),
    "extension_count": ("-3", "many", "2.0.0"),
}


def make_garbage_file(path: Path, rows: int, seed: int = 11) -> None:
    """``rows`` rows under the sample's header where every row is invalid and nearly every cell is wrong."""
    import random

    from tthc.records.sample import sample_path

    with sample_path().open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    rnd = random.Random(seed)
    choices = [_GARBAGE_CELLS.get(name, ("junk",)) for name in header]
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        for n in range(rows):
            w.writerow([rnd.choice(c).format(n=n) for c in choices])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_tthc(path: Path) -> tuple[float, int, int, int, int]:
    """(seconds, rows, KPI rows, invalid rows, findings)."""
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.validation.run import validate_files

    cat = Catalog.sample()
    t0 = time.perf_counter()
    summary = validate_files([path], cat)
    kpis = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
    elapsed = time.perf_counter() - t0
    return elapsed, summary.rows, len(kpis), summary.invalid_rows, sum(summary.by_code.values())


def run_baseline(path: Path, limit: int) -> tuple[float, int]:
    from tthc.catalog.collection import Catalog
    from tthc.deadlines.compute import classify, compute_due
    from tthc.records.model import DossierRecord

    cat = Catalog.sample()
    counts: dict[tuple[str, str], int] = {}
    t0 = time.perf_counter()
    n = 0
    with path.open(encoding="utf-8") as fh:
        for raw in csv.DictReader(fh):
            if n >= limit:
                break
            n += 1
            rec = DossierRecord.model_validate(raw)
            proc = cat.get(rec.procedure_code)
            if proc is None or not proc.offers(rec.channel):
                continue
            pt = proc.options(rec.channel)[0].processing_time
            if pt is None:
                continue
            due = compute_due(rec.received_at, pt, channel=rec.channel)
            if due.due_at is not None and rec.due_at is not None and due.due_at.date() != rec.due_at.date():
                counts[("mismatch", rec.agency_code)] = counts.get(("mismatch", rec.agency_code), 0) + 1
            if due.due_at is not None and rec.finished_at is not None:
                t = classify(rec.due_at or due.due_at, rec.finished_at)
                counts[(t.value, rec.agency_code)] = counts.get((t.value, rec.agency_code), 0) + 1
            counts[("all", rec.agency_code)] = counts.get(("all", rec.agency_code), 0) + 1
    return time.perf_counter() - t0, n


def measure_in_child(path: Path) -> dict[str, float]:
    """Validate + KPIs in a fresh interpreter: wall time, CPU time and peak RSS of that process alone."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def head_file(src: Path, dst: Path, rows: int) -> None:
    with src.open("rb") as fin, dst.open("wb") as fout:
        for i, line in enumerate(fin):
            if i > rows:
                break
            fout.write(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--baseline-rows", type=int, default=20_000)
    ap.add_argument("--keep", type=Path, help="write the generated CSV here and keep it")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest counts (shared machines)")
    ap.add_argument("--garbage", action="store_true", help="also validate an all-invalid file of as many rows")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        c0 = time.process_time()
        elapsed, rows, n_kpis, invalid, findings = run_tthc(args.measure)
        cpu = time.process_time() - c0
        print(
            json.dumps(
                {
                    "elapsed": elapsed,
                    "cpu": cpu,
                    "rows": rows,
                    "kpis": n_kpis,
                    "invalid": invalid,
                    "findings": findings,
                    "rss_mb": peak_rss_mb(),
                }
            )
        )
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="tthc-bench-"))
    path = args.keep or workdir / "records.csv"
    try:
        t0 = time.perf_counter()
        make_file(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        half = workdir / "half.csv"
        head_file(path, half, args.rows // 2)
        small = min((measure_in_child(half) for _ in range(args.repeat)), key=lambda m: m["elapsed"])
        full = min((measure_in_child(path) for _ in range(args.repeat)), key=lambda m: m["elapsed"])
        print(f"tthc runs: best of {args.repeat} fresh interpreters per size")
        for label, m in (("half size", small), ("full size", full)):
            print(
                f"tthc     validate + KPIs, {label}: {int(m['rows']):,} rows in {m['elapsed']:.2f} s "
                f"(CPU {m['cpu']:.2f} s) = {m['rows'] / m['elapsed']:,.0f} rows/s; peak RSS {m['rss_mb']:,.0f} MB"
            )
        print(f"memory: peak RSS x{full['rss_mb'] / small['rss_mb']:.2f} for x{full['rows'] / small['rows']:.0f} rows")
        b_elapsed, b_rows = run_baseline(path, args.baseline_rows)
        b_rate = b_rows / b_elapsed
        b_full = full["rows"] / b_rate
        print(
            f"baseline row-by-row pydantic + scalar engine: {b_rows:,} rows in {b_elapsed:.2f} s "
            f"= {b_rate:,.0f} rows/s (extrapolated to {int(full['rows']):,}: {b_full:.1f} s)"
        )
        ratio = b_full / full["elapsed"]
        print(f"ratio: tthc is {ratio:.1f}x the baseline")
        ok = full["elapsed"] < 5 and full["rss_mb"] < 1536 and ratio >= 5
        print(f"targets (<5 s, <1.5 GB, >=5x): {'met' if ok else 'NOT met'} on {os.cpu_count()} cores")
        if args.garbage:
            bad = workdir / "garbage.csv"
            make_garbage_file(bad, args.rows)
            g = measure_in_child(bad)  # once: it is slow (every cell of every row is reported)
            print(
                f"all-garbage file, {int(g['rows']):,} rows ({bad.stat().st_size / 1e6:.0f} MB), "
                f"{int(g['invalid']):,} invalid, {int(g['findings']):,} findings: {g['elapsed']:.1f} s; "
                f"peak RSS {g['rss_mb']:,.0f} MB"
            )
            print(
                f"memory whatever the error rate: clean {full['rss_mb']:,.0f} MB, all-garbage {g['rss_mb']:,.0f} MB "
                f"({'within' if g['rss_mb'] <= full['rss_mb'] else 'ABOVE'} the clean file's peak)"
            )
    finally:
        for f in workdir.iterdir():
            f.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
