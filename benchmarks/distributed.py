"""Benchmark: validation + KPIs of N generated records (default 10,000,000) on a local Dask cluster of 2 worker
processes vs the single-process path on the same file.

Run: ``python benchmarks/distributed.py [--rows 10000000] [--workers 2] [--partition-mb 64] [--dir /tmp] [--keep]
[--data FILE]``

What is measured, in one run, on one CSV file written under ``--dir`` (about 175 bytes a row; deleted afterwards
unless ``--keep``; ``--data`` reuses a file written before):

* **single** — :func:`tthc.validation.validate_files` + :func:`tthc.kpi.compute_kpis` in a fresh interpreter:
  wall time, CPU time of the process (all its threads), peak RSS.
* **dask** — :func:`tthc.scale.dask.validate_files` + ``compute_kpis`` on ``local_client`` (``--workers``
  processes, one thread each; its low-overhead settings), timed from submitting to the summary (the cluster is
  started before and not counted; both sides import the batch core before their clock starts); CPU time of each
  worker process and of this process (client, scheduler and, in a ``LocalCluster``, the nannies); peak RSS of each
  worker (``getrusage`` inside the worker) and of the client.

Printed: throughput of both, the scaling ratio (dask / single), and the throughput per core read two ways:

* **wall-clock reading** = scaling / workers — the target check uses this one: it is the issue's wording (2 workers,
  2 cores) and the stricter reading, since the single path's extra Arrow parser thread and the client's and
  scheduler's CPU count as free;
* **CPU reading** = (dask rows per CPU-second consumed) / (single rows per CPU-second consumed) — how much work each
  path spends per row, whatever the number of cores it kept busy.

Also peak memory per worker, and whether the results agree (rows, valid/invalid, findings by code, KPIs).
Targets (issue 7): ≤ 1.2 GB per worker; throughput per core within 15 % of the single-process path.
The records are the bundled sample tiled with fresh dossier codes (``benchmarks/records.py``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

# Run as a script, this file's folder is sys.path[0] and this file would shadow the `distributed` package it uses
# (and worker processes inherit the path): drop the folder.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]


def _make_file(path: Path, rows: int) -> None:
    """Tile the bundled sample (valid records) to ``rows`` rows, every dossier code new and still valid.

    A copy ``c`` moves each code's sequence number up by ``(c % 1000) * 9`` (the sample's are 1..7) and, every
    thousand copies, the second group of the agency prefix (``000.00.12.H21`` -> ``000.01.12.H21``): 100,000
    copies, far beyond 10 million rows, before a code repeats. (``benchmarks/records.py`` tiles differently and
    gets codes with 6-digit sequences — invalid — past about 1.8 million rows.)
    """
    from tthc.records.sample import sample_path

    with sample_path().open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        base = list(reader)
    code_col = header.index("dossier_code")
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        written = copy = 0
        while written < rows:
            for row in base[: rows - written]:
                prefix, day, seq = row[code_col].rsplit("-", 2)
                groups = prefix.split(".")
                groups[1] = f"{copy // 1000 % 100:02d}"
                new = list(row)
                new[code_col] = f"{'.'.join(groups)}-{day}-{(copy % 1000) * 9 + int(seq):04d}"
                w.writerow(new)
            written += min(len(base), rows - written)
            copy += 1


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _digest(summary: object, indicators: Sequence[object]) -> dict[str, object]:
    d = summary.to_dict()  # type: ignore[attr-defined]
    return {
        "rows": d["rows"],
        "valid": d["valid_rows"],
        "invalid": d["invalid_rows"],
        "by_code": {c["code"]: c["count"] for c in d["by_code"]},
        "timeliness": d["timeliness"],
        "kpis": [json.loads(i.model_dump_json()) for i in indicators],  # type: ignore[attr-defined]
    }


def run_single(path: Path) -> dict[str, object]:
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.scale.dask import _warm
    from tthc.validation.run import validate_files

    cat = Catalog.sample()
    _warm()  # the modules the dask workers import when the cluster starts, so both clocks start warm
    c0 = time.process_time()
    t0 = time.perf_counter()
    summary = validate_files([path], cat)
    kpis = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
    elapsed = time.perf_counter() - t0
    return {"elapsed": elapsed, "cpu": time.process_time() - c0, "rss_mb": _peak_rss_mb(), **_digest(summary, kpis)}


def _worker_peak_mb() -> float:
    import resource as r

    return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> tuple[int, float]:
    """Process id and user + system CPU of the calling process, all its threads (run inside workers and nannies)."""
    import os as o
    import resource as r

    u = r.getrusage(r.RUSAGE_SELF)
    return o.getpid(), u.ru_utime + u.ru_stime


def _cpu_by_pid(client: object, nanny: bool = False) -> dict[int, float]:
    # a LocalCluster's nannies live in this process (already counted by process_time): count other processes only
    got = client.run(_cpu_seconds, nanny=nanny).values()  # type: ignore[attr-defined]
    return {pid: cpu for pid, cpu in got if pid != os.getpid()}


def run_dask(path: Path, workers: int, partition_bytes: int) -> dict[str, object]:
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.scale import dask as tthc_dask

    cat = Catalog.sample()
    with tthc_dask.local_client(workers) as client:
        client.run(lambda: None)
        w0, n0 = _cpu_by_pid(client), _cpu_by_pid(client, nanny=True)
        c0 = time.process_time()  # this process: the client and, in a LocalCluster, the scheduler and nannies
        t0 = time.perf_counter()
        summary = tthc_dask.validate_files(path, cat, client=client, partition_bytes=partition_bytes)
        kpis = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
        elapsed = time.perf_counter() - t0
        client_cpu = time.process_time() - c0
        w1, n1 = _cpu_by_pid(client), _cpu_by_pid(client, nanny=True)
        peaks = client.run(_worker_peak_mb)
    return {
        "elapsed": elapsed,
        "worker_cpu": sorted(w1[k] - w0[k] for k in w1),
        "nanny_cpu": sum(n1[k] - n0[k] for k in n1),
        "client_cpu": client_cpu,
        "worker_rss_mb": sorted(peaks.values()),
        "client_rss_mb": _peak_rss_mb(),
        **_digest(summary, kpis),
    }


def _child(mode: str, path: Path, *extra: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, f"--{mode}", str(path), *extra], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-mb", type=int, default=64)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV")
    ap.add_argument("--data", type=Path, help="an existing generated CSV to use (not deleted) instead of writing one")
    ap.add_argument("--single", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--dask", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.single:
        print(json.dumps(run_single(args.single)))
        return 0
    if args.dask:
        print(json.dumps(run_dask(args.dask, args.workers, args.partition_mb << 20)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="tthc-dist-bench-", dir=args.dir))
    path = args.data or work / "records.csv"
    try:
        free_gb = shutil.disk_usage(work).free / 1e9
        print(f"{os.cpu_count()} cores; {free_gb:.0f} GB free under {work}")
        t0 = time.perf_counter()
        if args.data is None:
            _make_file(path, args.rows)
            made = f"generated {args.rows:,} rows"
        else:
            made = "using the existing file"
        print(f"{made} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.0f} s")
        single = _child("single", path)
        dist = _child("dask", path, "--workers", str(args.workers), "--partition-mb", str(args.partition_mb))
        rows = int(single["rows"])  # type: ignore[call-overload]
        s_rate = rows / float(single["elapsed"])  # type: ignore[arg-type]
        d_rate = rows / float(dist["elapsed"])  # type: ignore[arg-type]
        print(
            f"single process: {rows:,} rows in {single['elapsed']:.1f} s (CPU {single['cpu']:.1f} s) "
            f"= {s_rate:,.0f} rows/s; peak RSS {single['rss_mb']:,.0f} MB"
        )
        peaks = dist["worker_rss_mb"]
        worker_cpu = dist["worker_cpu"]
        assert isinstance(worker_cpu, list)
        w_cpu = [float(c) for c in worker_cpu]
        d_cpu = sum(w_cpu) + float(str(dist["nanny_cpu"])) + float(str(dist["client_cpu"]))
        s_cpu = float(single["cpu"])  # type: ignore[arg-type]
        assert isinstance(peaks, list)
        print(
            f"dask, {args.workers} workers: {rows:,} rows in {dist['elapsed']:.1f} s = {d_rate:,.0f} rows/s; "
            f"peak RSS per worker {', '.join(f'{p:,.0f}' for p in peaks)} MB; client {dist['client_rss_mb']:,.0f} MB"
        )
        print(
            f"  CPU: workers {' + '.join(f'{c:.1f}' for c in w_cpu)} s, "
            f"other nanny processes {dist['nanny_cpu']:.1f} s, "
            f"client + scheduler + nannies {dist['client_cpu']:.1f} s = {d_cpu:.1f} s "
            f"(cores busy on average: single {s_cpu / float(single['elapsed']):.2f}, "  # type: ignore[arg-type]
            f"dask {d_cpu / float(dist['elapsed']):.2f} of {os.cpu_count()})"  # type: ignore[arg-type]
        )
        scaling = d_rate / s_rate
        per_core = scaling / args.workers
        s_eff, d_eff = rows / s_cpu, rows / d_cpu
        print(f"scaling ratio (dask / single): {scaling:.2f}x")
        print(f"per core, wall-clock reading (scaling / {args.workers} workers): {per_core:.2f} of the single path")
        print(
            f"per core, CPU reading (rows per CPU-second actually consumed, all threads and processes): "
            f"single {s_eff:,.0f}, dask {d_eff:,.0f} -> {d_eff / s_eff:.2f} of the single path"
        )
        keys = ("rows", "valid", "invalid", "by_code", "timeliness", "kpis")
        same = all(single[k] == dist[k] for k in keys)
        print(f"results identical (rows, valid/invalid, findings by code, timeliness, KPIs): {same}")
        ok_mem = max(float(p) for p in peaks) <= 1200
        ok_rate = per_core >= 0.85
        print(
            "the target check uses the wall-clock reading: it is what the issue states (2 workers = 2 cores) and the "
            "stricter one (it credits the single path's extra parser thread and the client/scheduler's CPU as free)"
        )
        print(
            f"targets: <= 1.2 GB per worker {'met' if ok_mem else 'NOT met'}; throughput per core within 15 % "
            f"(wall-clock reading >= 0.85) {'met' if ok_rate else 'NOT met'}"
            f" [CPU reading {'>=' if d_eff / s_eff >= 0.85 else '<'} 0.85]"
        )
    finally:
        if args.keep and args.data is None:
            print(f"kept {path}")
        else:  # the generated file, or the empty folder when --data named an existing file
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
