"""Benchmark the HTTP API on loopback: one worker, bounded request loops, the same work as direct Python calls.

Run: ``nice -n 10 .venv/bin/python benchmarks/server.py [--single 3000] [--batches 60] [--soak 100000]``

* **single** — ``POST /v1/due`` one request at a time on one keep-alive connection: requests/s, p50 and p99 latency
  (client-side, so they include the loopback round trip and the client's own work); target p99 <= 5 ms;
* **batch** — ``POST /v1/due/batch`` with 1,000 dossiers per request: dossiers/s; target >= 100,000 per worker;
* **direct** — the same work as Python calls in this process, from request bytes to answer bytes (``due_one`` per
  dossier; ``parse_batch`` + ``due_rows`` + ``to_json`` per 1,000), printed as the ratio HTTP / direct;
* **soak** — a mix of every cheap endpoint (due, batch of 50, calendar, quote, eligibility, lookup, search,
  classify): errors (anything but 2xx) must be 0 and the server's resident memory flat (printed at each quarter).

Besides the wall-clock figures it prints the **server's own CPU time** per request (user + system of the server
process, from ``/proc``): on a machine shared with other work the wall clock measures the queue for a core as much
as the service, the CPU time measures the service. ``os.getloadavg()`` is printed beside each part for the same
reason.

The server is ``tthc serve`` in a child process (uvicorn, 1 worker, access log off) bound to 127.0.0.1 on a free
port; the script never touches another host. Request bodies are encoded before the timed loops, so the client's
JSON encoding is not counted. Numbers depend on the machine and its load: run it niced, once.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from pydantic_core import to_json

from tthc.server import ServerConfig, ServiceData
from tthc.server.due_batch import due_rows, parse_batch
from tthc.server.service import DueRequest, due_one

TIMES = ["5 ngày làm việc", "10 ngày làm việc", "15 Ngày", "3 ngày làm việc", "8 Giờ", "20 ngày làm việc"]
_TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _items(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 7)
    return [
        {
            "received_at": (start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))).isoformat(),
            "processing_time": rng.choice(TIMES),
            "channel": rng.choice(["direct", "online", "postal"]),
        }
        for _ in range(n)
    ]


def _encode(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} CPUs"


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            status, _ = Client(port).request("GET", "/v1/health")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start within 60 s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--single", type=int, default=3000, help="single due requests")
    ap.add_argument("--batches", type=int, default=60, help="batch requests of --batch-size dossiers")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--soak", type=int, default=100_000, help="mixed requests in the soak run")
    args = ap.parse_args()

    port = _free_port()
    tthc = Path(sys.executable).parent / "tthc"
    proc = subprocess.Popen(
        [str(tthc), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-access-log"],
        env={**os.environ, "TTHC_API_KEY": ""},
    )
    try:
        _wait(port, proc)
        print(f"machine: {_load()}; server niceness {os.getpriority(os.PRIO_PROCESS, proc.pid)}")
        run(port, proc.pid, args)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run(port: int, pid: int, args: argparse.Namespace) -> None:
    client = Client(port)
    data = ServiceData.load(ServerConfig(access_log=False))
    singles = [_encode(x) for x in _items(args.single, 1)]

    # warm up both sides
    for body in singles[:200]:
        client.request("POST", "/v1/due", body)

    lat = np.empty(len(singles))
    cpu0 = _cpu_s(pid)
    t0 = time.perf_counter()
    for i, body in enumerate(singles):
        t = time.perf_counter()
        status, _ = client.request("POST", "/v1/due", body)
        lat[i] = time.perf_counter() - t
        assert status == 200, status
    http_single = time.perf_counter() - t0
    server_single = _cpu_s(pid) - cpu0
    t0, c0 = time.perf_counter(), time.process_time()
    for body in singles:
        due_one(data, DueRequest.model_validate_json(body)).model_dump_json()
    direct_single, direct_single_cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(singles)
    p50, p99 = np.percentile(lat, 50) * 1000, np.percentile(lat, 99) * 1000
    print(f"single POST /v1/due, 1 worker, {n:,} requests on one connection ({_load()}):")
    print(f"  {n / http_single:,.0f} requests/s; p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {lat.max() * 1000:.2f} ms "
          f"(target p99 <= 5 ms: {'met' if p99 <= 5 else f'missed by {p99 - 5:.2f} ms'})")  # fmt: skip
    print(f"  server CPU {server_single / n * 1000:.3f} ms per request (of {http_single / n * 1000:.3f} ms wall)")
    print(f"  direct (parse + due_one with trace + JSON): {n / direct_single:,.0f} calls/s, "
          f"{direct_single_cpu / n * 1000:.3f} ms CPU per call — HTTP costs {http_single / direct_single:.1f}x wall, "
          f"{server_single / direct_single_cpu:.1f}x CPU")  # fmt: skip

    size = args.batch_size
    bodies = [_encode({"items": _items(size, 100 + k)}) for k in range(min(args.batches, 10))]
    client.request("POST", "/v1/due/batch", bodies[0])  # warm up
    cpu0 = _cpu_s(pid)
    t0 = time.perf_counter()
    for k in range(args.batches):
        status, body = client.request("POST", "/v1/due/batch", bodies[k % len(bodies)])
        assert status == 200, body[:300]
    http_batch = time.perf_counter() - t0
    server_batch = _cpu_s(pid) - cpu0
    versions = data.versions.model_dump()
    t0, c0 = time.perf_counter(), time.process_time()
    for k in range(args.batches):
        to_json({"results": due_rows(data, parse_batch(bodies[k % len(bodies)])), "data_versions": versions})
    direct_batch, direct_batch_cpu = time.perf_counter() - t0, time.process_time() - c0
    n = args.batches * size
    rate = n / http_batch
    print(f"batch POST /v1/due/batch, {args.batches} requests of {size:,} dossiers ({_load()}):")
    print(f"  {rate:,.0f} dossiers/s ({http_batch / args.batches * 1000:.1f} ms per request; target >= 100,000 "
          f"dossiers/s per worker: {'met' if rate >= 100_000 else f'missed by {100_000 - rate:,.0f}'})")  # fmt: skip
    if server_batch > 0:
        print(f"  server CPU {server_batch / args.batches * 1000:.1f} ms per request: {n / server_batch:,.0f} "
              "dossiers per server CPU-second")  # fmt: skip
    print(f"  direct (parse_batch + due_rows + to_json, bytes to bytes): {n / direct_batch:,.0f} dossiers/s, "
          f"{n / direct_batch_cpu:,.0f} per CPU-second — HTTP costs {http_batch / direct_batch:.1f}x wall, "
          f"{server_batch / direct_batch_cpu:.1f}x CPU")  # fmt: skip

    soak(client, pid, args.soak)


def soak(client: Client, pid: int, n: int) -> None:
    rng = random.Random(7)
    items = [_encode(x) for x in _items(500, 3)]
    mix: list[tuple[str, str, bytes | None]] = [
        ("POST", "/v1/due", None),
        ("POST", "/v1/due/batch", _encode({"items": _items(50, 4)})),
        ("GET", "/v1/calendar/add?date=2026-02-13&n=5", None),
        ("GET", "/v1/calendar/days/2026-02-16", None),
        ("GET", "/v1/calendar/between?start=2026-01-01&end=2026-12-31", None),
        ("POST", "/v1/quote", _encode({"procedure": "1.002809", "channel": "online", "on": "2025-03-03"})),
        ("POST", "/v1/eligibility", _encode({"procedure": "2.002209", "on": "2026-03-02"})),
        ("GET", "/v1/procedures/1.002809", None),
        ("GET", "/v1/procedures?q=ho%20chieu", None),
        ("POST", "/v1/classify", _encode({"due_at": "2026-12-01T17:00:00", "finished_at": "2026-12-02T08:00:00"})),
    ]
    errors = 0
    rss = [_rss_kb(pid)]
    cpu0 = _cpu_s(pid)
    t0 = time.perf_counter()
    for i in range(n):
        method, path, body = mix[i % len(mix)]
        if body is None and method == "POST":
            body = rng.choice(items)
        status, _ = client.request(method, path, body)
        errors += not 200 <= status < 300
        if (i + 1) % max(n // 4, 1) == 0:
            rss.append(_rss_kb(pid))
    elapsed = time.perf_counter() - t0
    cpu = _cpu_s(pid) - cpu0
    print(f"soak: {n:,} mixed requests in {elapsed:.1f} s ({n / elapsed:,.0f}/s; server CPU {cpu / n * 1000:.3f} ms "
          f"per request), errors {errors} ({_load()})")  # fmt: skip
    growth = (rss[-1] - rss[1]) / 1024 if len(rss) > 2 else 0.0
    print("  server RSS (MB) at start and each quarter: " + ", ".join(f"{kb / 1024:.1f}" for kb in rss)
          + f" (first to last quarter: {growth:+.1f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
