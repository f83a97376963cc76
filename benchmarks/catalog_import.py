"""Benchmark the portal importer and catalog I/O against peers reading the same files, in one run.

Run: ``.venv/bin/python benchmarks/catalog_import.py [--data ../shared/data/real] [--repeat 3]``

Peers: ``json.loads`` of every line (the floor: decoding only) and ``pandas.read_json(lines=True)`` (a table, no
parsing of the free text). ``tthc`` does much more per record (splits the flattened channel table, parses times, fees,
levels, legal basis, reads presence statements, builds validated models and a report), so the ratio says what that
costs, not that it is slower at the same job.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tthc.catalog.collection import Catalog, import_portal_files

FILES = ("portal_national_2642.jsonl.gz", "portal_defence_207.jsonl.gz")


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
    ap.add_argument("--repeat", type=int, default=3)
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

    result = import_portal_files(paths)
    rows = {
        "json.loads (decode only)": best(json_only, args.repeat),
        "pandas.read_json(lines=True)": best(pandas_read, args.repeat),
        "tthc import_portal_files": best(lambda: import_portal_files(paths), args.repeat),
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "catalog.jsonl"
        rows["tthc Catalog.dump (.jsonl)"] = best(lambda: result.catalog.dump(out), args.repeat)
        rows["tthc Catalog.load (.jsonl)"] = best(lambda: Catalog.load(out), args.repeat)
    floor = rows["json.loads (decode only)"]
    print(f"{n} records, {result.report.coverage.channel_rows} channel rows; best of {args.repeat}")
    for name, secs in rows.items():
        print(f"  {name:<32} {secs * 1000:9.1f} ms  {n / secs:10.0f} rec/s  x{secs / floor:6.1f} vs json.loads")


if __name__ == "__main__":
    main()
