"""Benchmark: validation + KPIs of N generated records (default 10,000,000) on a local Dask cluster of 2 worker
processes vs the single-process path on the same file.

Run: ``python benchmarks/distributed.py [--rows 10000000] [--workers 2] [--partition-mb 64] [--single-cores 1,all]
[--worker-saturation X]
[--dir /tmp] [--keep] [--data FILE]``

What is measured, in one run, on one CSV file written under ``--dir`` (about 175 bytes a row; deleted afterwards
unless ``--keep``; ``--data`` reuses a file written before):

* **single** — :func:`tthc.validation.validate_files` (``jobs=1``: checks in one thread, a background thread reading
  ahead) + :func:`tthc.kpi.compute_kpis` in a fresh interpreter, once per ``--single-cores`` entry: ``1`` = the
  process pinned to one core (``sched_setaffinity``; Arrow told it has one CPU, as Dask tells each worker) — one
  worker's resources, the reference of the issue's target; ``all`` = free to use every core. Wall time, CPU time of
  the process (all its threads), peak RSS.
* **dask** — :func:`tthc.scale.dask.validate_files` + ``compute_kpis`` on ``local_client`` (``--workers``
  processes, one thread each; its low-overhead settings), timed from submitting to the summary (the cluster is
  started before and not counted; both sides import the batch core before their clock starts); CPU time of each
  worker process and of this process (client, scheduler and, in a ``LocalCluster``, the nannies), the client's
  planning apart; the busy time of the tasks per stage (Dask's task stream: validating partitions, finding
  duplicates, moving data between workers) and their CPU time per stage (measured inside the tasks, ``_stage_cpu``;
  a worker's CPU outside its tasks is moving data and Dask's bookkeeping), and the CPU of the workers' event loops
  (their main threads: Dask's messages and data moves, during the tasks too; Linux ``/proc``); peak RSS of each worker
  (``getrusage`` inside the worker) and of the client.

``--overhead N`` (instead of the comparison): Dask's own CPU per run, apart from the checks — the real task graph of
a run on the file's plan, with a stand-in partition task that returns one real partition's result and duplicate keys
(made once before the clock starts; every stand-in's codes unique), N runs on one cluster: the CPU of this process
(client, scheduler, nannies) and of the workers per run. Load-robust where whole runs are not: it measures what a
change to the graph (tasks per partition, what moves) costs, whatever the checks cost.

Printed: throughput of each, the scaling ratio (dask / single) against each single run, CPU-seconds per million rows
on each side, peak memory per worker, a timeline of the Dask run (seconds from submitting: each worker's first task
and last partition, the duplicate stage, the summary — how evenly the workers finish and how long the end takes),
and whether the results agree (rows, valid/invalid, findings by code,
timeliness, KPIs). Targets: issue 16 item 8, dask >= 1.8x the single process on one core (2 workers, 10 million
rows, identical results); issue 7, <= 1.2 GB per worker.
The records are the bundled sample tiled with fresh dossier codes (``_make_file``).
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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


def run_single(path: Path, cores: int | None) -> dict[str, object]:
    import inspect

    if cores is not None:  # one worker's resources: this many cores, and Arrow told so (as Dask tells each worker)
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
        import pyarrow as pa

        pa.set_cpu_count(cores)
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.scale.dask import _warm
    from tthc.validation.run import validate_files

    cat = Catalog.sample()
    _warm()  # the modules the dask workers import when the cluster starts, so both clocks start warm
    # jobs=1: checks in this process (no worker processes of its own), where the option exists
    extra: dict[str, Any] = {"jobs": 1} if "jobs" in inspect.signature(validate_files).parameters else {}
    c0 = time.process_time()
    t0 = time.perf_counter()
    summary = validate_files([path], cat, **extra)
    kpis = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
    elapsed = time.perf_counter() - t0
    return {
        "elapsed": elapsed,
        "cpu": time.process_time() - c0,
        "rss_mb": _peak_rss_mb(),
        "jobs": extra.get("jobs"),
        **_digest(summary, kpis),
    }


def _worker_peak_mb() -> float:
    import resource as r

    return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> tuple[int, float]:
    """Process id and user + system CPU of the calling process, all its threads (run inside workers and nannies)."""
    import os as o
    import resource as r

    u = r.getrusage(r.RUSAGE_SELF)
    return o.getpid(), u.ru_utime + u.ru_stime


def _event_loop_cpu() -> float | None:
    """CPU seconds of the calling process's main thread — in a Dask worker, its event loop (messages to and from the
    scheduler, moving data between processes); the tasks run in other threads. ``None`` without Linux's ``/proc``."""
    import os as o

    try:
        with open(f"/proc/self/task/{o.getpid()}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / o.sysconf("SC_CLK_TCK")


def _cpu_by_pid(client: object, nanny: bool = False) -> dict[int, float]:
    # a LocalCluster's nannies live in this process (already counted by process_time): count other processes only
    got = client.run(_cpu_seconds, nanny=nanny).values()  # type: ignore[attr-defined]
    return {pid: cpu for pid, cpu in got if pid != os.getpid()}


def _stage_cpu(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as a task that adds the CPU time of its worker process while it runs (its Arrow threads included) to
    that worker's tally for ``stage``; same name, so Dask's task keys and the stage table are unchanged."""

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        import time as t

        from distributed import get_worker

        c0 = t.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            worker = get_worker()
            tally = getattr(worker, "tthc_stage_cpu", None) or {}
            tally[stage] = tally.get(stage, 0.0) + t.process_time() - c0
            setattr(worker, "tthc_stage_cpu", tally)  # noqa: B010 - an attribute of our own on a Dask object

    return timed


def _worker_stage_cpu(dask_worker: Any) -> dict[str, float]:
    return dict(getattr(dask_worker, "tthc_stage_cpu", None) or {})


def _stand_in(part: Any, catalog: Any, options: Any, **_: Any) -> Any:
    """The partition task of ``--overhead``: the real partition's result and keys read once per worker (from the
    file ``_STAND_IN``), given this partition and keys no other stand-in has (non-negative, hash-like: never a
    repeat, so the buckets' tasks do their usual work and report nothing)."""
    import pickle

    import attrs
    import numpy as np
    from distributed import get_worker

    from tthc.scale.partitions import DuplicateKeys

    worker = get_worker()
    pair = getattr(worker, "tthc_stand_in", None)
    if pair is None:
        with open(os.environ["TTHC_STAND_IN"], "rb") as fh:
            pair = pickle.load(fh)
        setattr(worker, "tthc_stand_in", pair)  # noqa: B010 - an attribute of our own on a Dask object
    result, keys = pair
    base = np.int64(part.index) << np.int64(32)
    fresh = tuple(
        (r, base + np.arange(len(k), dtype=np.int64) * 64 + b, st, tx[:0])
        for b, (r, k, st, tx) in enumerate(keys.buckets)
    )
    return attrs.evolve(result, partition=part), DuplicateKeys(fresh)


def run_overhead(path: Path, workers: int, partition_bytes: int, runs: int) -> dict[str, object]:
    import pickle

    from tthc.catalog.collection import Catalog
    from tthc.scale import dask as tthc_dask
    from tthc.scale.partitions import plan_partitions, validate_partition
    from tthc.validation.context import ValidationOptions

    cat = Catalog.sample()
    _, parts = plan_partitions([path], partition_bytes=partition_bytes, threads=workers)
    opts = tthc_dask._calendar_ready(ValidationOptions())
    buckets = max(1, min(len(parts), 8 * workers, 64))  # as tthc.scale.dask._buckets gives one thread per worker
    pair = validate_partition(parts[min(1, len(parts) - 1)], cat, opts, duplicate_buckets=buckets)
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as fh:
        pickle.dump(pair, fh)
    os.environ["TTHC_STAND_IN"] = fh.name  # the workers are started below: they inherit it
    tthc_dask.validate_partition = _stand_in  # type: ignore[attr-defined,assignment]
    out: list[tuple[float, float]] = []
    try:
        with tthc_dask.local_client(workers) as client:
            client.run(lambda: None)
            for _ in range(runs):
                w0 = _cpu_by_pid(client)
                c0 = time.process_time()
                tthc_dask.validate_files(path, cat, client=client, partition_bytes=partition_bytes)
                cc = time.process_time() - c0
                w1 = _cpu_by_pid(client)
                out.append((cc, sum(w1[k] - w0[k] for k in w1)))
    finally:
        os.unlink(fh.name)
    return {"partitions": len(parts), "runs": out}


def run_dask(path: Path, workers: int, partition_bytes: int, saturation: float | None = None) -> dict[str, object]:
    import dask.config
    from distributed import get_task_stream

    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.scale import dask as tthc_dask

    cat = Catalog.sample()
    planning = [0.0]
    plan = tthc_dask.plan_partitions  # type: ignore[attr-defined]

    def timed_plan(*args: object, **kwargs: object) -> object:
        p0 = time.process_time()
        try:
            return plan(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            planning[0] += time.process_time() - p0

    tthc_dask.plan_partitions = timed_plan  # type: ignore[attr-defined,assignment]
    # CPU per stage, measured inside the tasks (the task stream gives only their wall time)
    for name, stage in _STAGE_TASKS.items():
        if hasattr(tthc_dask, name):  # the buckets' task was find_duplicates before session 8
            setattr(tthc_dask, name, _stage_cpu(stage, getattr(tthc_dask, name)))
    # the scheduler sends a worker its next partition while it holds fewer than ceil(saturation x threads) tasks,
    # its small tasks included (Dask's default 1.1: two with one thread); a try on a quiet machine, not a default
    settings = {} if saturation is None else {"distributed.scheduler.worker-saturation": saturation}
    with dask.config.set(settings), tthc_dask.local_client(workers) as client:
        client.run(lambda: None)
        w0, n0 = _cpu_by_pid(client), _cpu_by_pid(client, nanny=True)
        loops0 = client.run(_event_loop_cpu)
        with get_task_stream(client) as stream:
            c0 = time.process_time()  # this process: the client and, in a LocalCluster, the scheduler and nannies
            t0 = time.perf_counter()
            epoch = time.time()  # the task stream's clock
            summary = tthc_dask.validate_files(path, cat, client=client, partition_bytes=partition_bytes)
            summarised = time.time() - epoch
            kpis = compute_kpis(summary.kpi, cat, KpiOptions(by="agency"))
            elapsed = time.perf_counter() - t0
            client_cpu = time.process_time() - c0
        w1, n1 = _cpu_by_pid(client), _cpu_by_pid(client, nanny=True)
        loops1 = client.run(_event_loop_cpu)
        peaks = client.run(_worker_peak_mb)
        stage_cpu: dict[str, float] = {}
        for tally in client.run(_worker_stage_cpu).values():
            for k, v in tally.items():
                stage_cpu[k] = stage_cpu.get(k, 0.0) + v
    return {
        "elapsed": elapsed,
        "planning_cpu": planning[0],
        "stages": _stages(stream.data),
        "timeline": {**_timeline(stream.data, epoch), "summary": summarised},
        "stage_cpu": stage_cpu,
        "event_loop_cpu": None
        if None in (*loops0.values(), *loops1.values())
        else sum(loops1.values()) - sum(loops0.values()),
        "worker_cpu": sorted(w1[k] - w0[k] for k in w1),
        "nanny_cpu": sum(n1[k] - n0[k] for k in n1),
        "client_cpu": client_cpu,
        "worker_rss_mb": sorted(peaks.values()),
        "client_rss_mb": _peak_rss_mb(),
        **_digest(summary, kpis),
    }


_STAGE_TASKS = {
    "validate_partition": "validate partitions",
    "repeated_codes": "find duplicates",
    "find_duplicates": "find duplicates",
}
"""The tasks timed by stage, by function name (Dask names a task after its function)."""


def _stages(records: Sequence[dict[str, object]]) -> dict[str, float]:
    """Busy seconds of the tasks by stage, summed over the workers (from Dask's task stream)."""
    out: dict[str, float] = {}
    for rec in records:
        name = str(rec.get("key", ""))
        stage = (
            "validate partitions" if name.startswith("tthc-validate") else _STAGE_TASKS.get(name.split("-")[0], "other")
        )
        for ss in rec.get("startstops", ()):  # type: ignore[attr-defined]
            what = stage if ss["action"] == "compute" else f"{ss['action']} (between workers)"
            out[what] = out.get(what, 0.0) + float(ss["stop"]) - float(ss["start"])
    return out


def _timeline(records: Sequence[dict[str, object]], epoch: float) -> dict[str, object]:
    """Seconds from submitting: per worker, its first task's start, its last partition's end and the time it was
    computing in between; the duplicate stage's first start and last end (from Dask's task stream)."""
    workers: dict[str, dict[str, float]] = {}
    dup = [float("inf"), 0.0]
    for rec in records:
        name = str(rec.get("key", ""))
        for ss in rec.get("startstops", ()):  # type: ignore[attr-defined]
            if ss["action"] != "compute":
                continue
            start, stop = float(ss["start"]) - epoch, float(ss["stop"]) - epoch
            if _STAGE_TASKS.get(name.split("-")[0]) == "find duplicates":
                dup = [min(dup[0], start), max(dup[1], stop)]
                continue
            w = workers.setdefault(str(rec.get("worker")), {"first": start, "last": 0.0, "busy": 0.0})
            w["first"] = min(w["first"], start)
            w["busy"] += stop - start
            if name.startswith("tthc-validate"):
                w["last"] = max(w["last"], stop)
    return {"workers": sorted(workers.values(), key=lambda w: w["first"]), "duplicates": dup}


def _child(mode: str, path: Path, *extra: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, f"--{mode}", str(path), *extra], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def _cores(text: str) -> list[int | None]:
    out: list[int | None] = []
    for item in text.split(","):
        out.append(None if item.strip() == "all" else int(item))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-mb", type=int, default=64)
    ap.add_argument("--overhead", type=int, metavar="N", help="Dask's own CPU per run, N runs (stand-in partitions)")
    ap.add_argument("--worker-saturation", type=float, help="Dask's distributed.scheduler.worker-saturation (a try)")
    ap.add_argument(
        "--single-cores", default="1,all", help="single runs: cores each may use, comma-separated ('all': no pinning)"
    )
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV")
    ap.add_argument("--data", type=Path, help="an existing generated CSV to use (not deleted) instead of writing one")
    ap.add_argument("--single", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cores", default="all", help=argparse.SUPPRESS)
    ap.add_argument("--dask", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.single:
        print(json.dumps(run_single(args.single, _cores(args.cores)[0])))
        return 0
    if args.dask:
        print(json.dumps(run_dask(args.dask, args.workers, args.partition_mb << 20, args.worker_saturation)))
        return 0
    if args.overhead and not args.data:
        ap.error("--overhead needs --data FILE (a file written before, e.g. with --keep)")
    if args.overhead:
        got = run_overhead(args.data, args.workers, args.partition_mb << 20, args.overhead)
        runs = sorted(got["runs"], key=sum)  # type: ignore[call-overload]
        print(
            f"Dask's own CPU per run ({got['partitions']} partitions of {args.partition_mb} MiB, stand-in partition "
            f"tasks; load average {_load()}), client side + workers = total, by total: "
            + "; ".join(f"{c:.2f} + {w:.2f} = {c + w:.2f}" for c, w in runs)
        )
        return 0
    work = Path(tempfile.mkdtemp(prefix="tthc-dist-bench-", dir=args.dir))
    path = args.data or work / "records.csv"
    try:
        free_gb = shutil.disk_usage(work).free / 1e9
        print(f"{os.cpu_count()} cores; {free_gb:.0f} GB free under {work}; load average {_load()}")
        t0 = time.perf_counter()
        if args.data is None:
            _make_file(path, args.rows)
            made = f"generated {args.rows:,} rows"
        else:
            made = "using the existing file"
        print(f"{made} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.0f} s")
        singles = []
        for cores in _cores(args.single_cores):
            single = _child("single", path, "--cores", "all" if cores is None else str(cores))
            singles.append((cores, single))
        sat = [] if args.worker_saturation is None else ["--worker-saturation", str(args.worker_saturation)]
        dist = _child("dask", path, "--workers", str(args.workers), "--partition-mb", str(args.partition_mb), *sat)
        _report(args, singles, dist)
    finally:
        if args.keep and args.data is None:
            print(f"kept {path}")
        else:  # the generated file, or the empty folder when --data named an existing file
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _saturation(args: argparse.Namespace) -> str:
    return "" if args.worker_saturation is None else f" (worker-saturation {args.worker_saturation:g})"


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


Singles = list[tuple[int | None, dict[str, object]]]


def _report(args: argparse.Namespace, singles: Singles, dist: dict[str, object]) -> None:
    rows = int(dist["rows"])  # type: ignore[call-overload]
    per_m = 1e6 / rows
    d_el = float(dist["elapsed"])  # type: ignore[arg-type]
    w_cpu = [float(c) for c in dist["worker_cpu"]]  # type: ignore[attr-defined]
    client_cpu = float(dist["client_cpu"])  # type: ignore[arg-type]
    d_cpu = sum(w_cpu) + float(str(dist["nanny_cpu"])) + client_cpu
    peaks = [float(p) for p in dist["worker_rss_mb"]]  # type: ignore[attr-defined]
    for cores, single in singles:
        s_el, s_cpu = float(single["elapsed"]), float(single["cpu"])  # type: ignore[arg-type]
        where = "pinned to 1 core" if cores == 1 else ("all cores" if cores is None else f"pinned to {cores} cores")
        print(
            f"single process ({where}, jobs={single['jobs']}): {rows:,} rows in {s_el:.1f} s = {rows / s_el:,.0f} "
            f"rows/s; CPU {s_cpu:.1f} s ({s_cpu * per_m:.2f} s per million rows, {s_cpu / s_el:.2f} cores busy); "
            f"peak RSS {single['rss_mb']:,.0f} MB"
        )
    print(
        f"dask, {args.workers} workers{_saturation(args)}: {rows:,} rows in {d_el:.1f} s = {rows / d_el:,.0f} rows/s; "
        f"peak RSS per worker {', '.join(f'{p:,.0f}' for p in peaks)} MB; client {dist['client_rss_mb']:,.0f} MB"
    )
    print(
        f"  CPU: workers {' + '.join(f'{c:.1f}' for c in w_cpu)} s, other nanny processes {dist['nanny_cpu']:.1f} s, "
        f"client + scheduler + nannies {client_cpu:.1f} s (of which planning {dist['planning_cpu']:.2f} s) "
        f"= {d_cpu:.1f} s ({d_cpu * per_m:.2f} s per million rows; workers {sum(w_cpu) * per_m:.2f}, client side "
        f"{(d_cpu - sum(w_cpu)) * per_m:.2f}); {d_cpu / d_el:.2f} cores busy of {os.cpu_count()}"
    )
    stages = dist["stages"]
    assert isinstance(stages, dict)
    print("  task time by stage (busy seconds summed over workers): " + ", ".join(
        f"{k} {v:.1f} s ({v * per_m:.2f} per million rows)" for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
    ))  # fmt: skip
    stage_cpu = {str(k): float(v) for k, v in dist.get("stage_cpu", {}).items()}  # type: ignore[attr-defined]
    if stage_cpu:
        outside = sum(w_cpu) - sum(stage_cpu.values())
        print(
            "  CPU by stage (CPU-seconds per million rows): "
            + ", ".join(f"{k} {v * per_m:.2f}" for k, v in sorted(stage_cpu.items(), key=lambda kv: -kv[1]))
            + f", workers outside tasks (moving data, bookkeeping) {outside * per_m:.2f}, client side "
            f"{(d_cpu - sum(w_cpu)) * per_m:.2f}"
        )
    loops = dist.get("event_loop_cpu")
    if loops is not None:
        print(
            f"  the workers' event loops (Dask's messages and data moves, during tasks and between them): "
            f"{float(str(loops)) * per_m:.2f} CPU-s per million rows — part of the stages above"
        )
    tl = dist.get("timeline")
    if isinstance(tl, dict):
        ws = tl["workers"]
        print(
            "  timeline (s from submitting): first task "
            + " / ".join(f"{w['first']:.2f}" for w in ws)
            + "; last partition done "
            + " / ".join(f"{w['last']:.2f}" for w in ws)
            + "; computing between first and last task "
            + " / ".join(f"{w['busy']:.1f}" for w in ws)
            + f" s; duplicates {tl['duplicates'][0]:.2f}-{tl['duplicates'][1]:.2f}; summary {tl['summary']:.2f}; "
            f"with the KPIs {d_el:.2f}"
        )
    keys = ("rows", "valid", "invalid", "by_code", "timeliness", "kpis")
    for cores, single in singles:
        s_el, s_cpu = float(single["elapsed"]), float(single["cpu"])  # type: ignore[arg-type]
        label = "1 core" if cores == 1 else ("all cores" if cores is None else f"{cores} cores")
        same = all(single[k] == dist[k] for k in keys)
        print(
            f"dask / single ({label}): scaling {s_el / d_el:.2f}x; CPU per row {d_cpu / s_cpu:.2f}x the single "
            f"path's; results identical (rows, valid/invalid, findings by code, timeliness, KPIs): {same}"
        )
    ref = next((sg for c, sg in singles if c == 1), None)
    if ref is not None:
        scaling = float(ref["elapsed"]) / d_el  # type: ignore[arg-type]
        same = all(ref[k] == dist[k] for k in keys)
        print(
            f"target (issue 16 item 8): dask on {args.workers} workers >= 1.8x one process on one core, results "
            f"identical: {scaling:.2f}x -> {'met' if scaling >= 1.8 and same else 'NOT met'}"
        )
    print(f"target (issue 7): <= 1.2 GB per worker: {'met' if max(peaks) <= 1200 else 'NOT met'}")
    print(f"load average at the end {_load()}")


if __name__ == "__main__":
    sys.exit(main())
