"""Benchmark working time at the instant: remaining office time for many open dossiers, and adding working minutes,
against ``exchange_calendars``' minute arithmetic on the same sessions and days off, in one run.

Run: ``.venv/bin/python benchmarks/working_time.py [--n-vector 1000000] [--n-scalar 20000] [--n-peer 20000]``

The peer: an ``exchange_calendars.ExchangeCalendar`` built here with our sessions (07:30–11:30 and 13:00–17:00,
Asia/Ho_Chi_Minh, the lunch break as its break) and our days: a seven-day weekmask minus every day our calendar has
off, so make-up Saturdays are sessions and swapped weekdays are not (the script checks both calendars have the same
working days). What differs, and how the script accounts for it:

* ``exchange_calendars`` counts whole trading minutes labelled on the left (a session 07:30–11:30 has the minutes
  07:30 … 11:29); a minute offset must start on a trading minute. ``tthc`` counts time to the microsecond from any
  instant. Inputs are therefore trading minutes, and durations whole minutes.
* When an offset ends exactly at a close, ``tthc`` answers the close (11:30: the earliest instant the time has
  elapsed) and ``exchange_calendars`` the next trading minute (13:00). Every such row is checked to be
  ``next_open`` of our answer; every other row must be equal.
* ``exchange_calendars`` precomputes every trading minute of its range (here 2024–2028) and offsets by index; its
  scalar ``minute_offset`` parses and validates a ``pd.Timestamp`` per call. Its vectorised form is not public, so
  the script times the same index arithmetic written by hand on ``minutes_nanos`` as the fairest batch peer.
* Dated office hours (a winter schedule) have no counterpart in ``exchange_calendars`` beyond per-period open/close
  times; they are timed on our side only.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from tthc.calendar import load_office_hours, public_sector_calendar
from tthc.calendar.working_calendar import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST, LAST = date(2024, 1, 1), date(2028, 12, 31)


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        gc.disable()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        gc.enable()
    return min(times)


def peer_calendar(cal: WorkingCalendar) -> object:
    """An exchange_calendars calendar with our sessions and days off (imported here: a dev dependency)."""
    import exchange_calendars as xcals  # type: ignore[import-untyped]

    off = [pd.Timestamp(d) for d in pd.date_range(FIRST, LAST).date if not cal.is_working_day(d)]

    class PublicSectorVN(xcals.ExchangeCalendar):  # type: ignore[misc]
        name = "TTHC-VN-PUBLIC-SECTOR"
        tz = VN
        open_times = ((None, dtime(7, 30)),)
        break_start_times = ((None, dtime(11, 30)),)
        break_end_times = ((None, dtime(13, 0)),)
        close_times = ((None, dtime(17, 0)),)
        weekmask = "1111111"  # every day, minus our days off: make-up Saturdays are sessions

        @property
        def adhoc_holidays(self) -> list[pd.Timestamp]:
            return off

    return PublicSectorVN(start=pd.Timestamp(FIRST), end=pd.Timestamp(LAST))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-vector", type=int, default=1_000_000)
    ap.add_argument("--n-scalar", type=int, default=20_000)
    ap.add_argument("--n-peer", type=int, default=20_000, help="scalar minute offsets timed for the peer")
    args = ap.parse_args()
    rng = np.random.default_rng(20261122)

    t0 = time.perf_counter()
    cal = public_sector_calendar()
    build_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    winter = public_sector_calendar(office_hours=load_office_hours("example-northern-winter"))
    build_winter = time.perf_counter() - t0

    # -- remaining working time for N open dossiers ------------------------------------------------------------------
    n = args.n_vector
    base = np.datetime64("2026-03-02T00:00", "us")
    now = np.full(n, np.datetime64("2026-03-16T09:41:27", "us"))  # "now", the same for every open dossier
    due = base + rng.integers(0, 60 * 86_400 * 1_000_000, n).astype("timedelta64[us]")
    k = min(args.n_scalar, n)
    now_s = [now[0].astype(datetime)] * k
    due_s = [d.astype(datetime) for d in due[:k]]
    for name, c in (("default hours", cal), ("dated winter hours", winter)):
        out = c.working_time_between_many(now, due)

        def batch(c: WorkingCalendar = c) -> object:
            return c.working_time_between_many(now, due)

        def scalar(c: WorkingCalendar = c) -> list[timedelta]:
            return [c.working_time_between(a, b) for a, b in zip(now_s, due_s, strict=True)]

        assert [x.astype(timedelta) for x in out[:k]] == scalar(), "batch != scalar"
        t_vec = best(batch)
        t_sc = best(scalar, 3) / k
        overdue = int((out < np.timedelta64(0, "us")).sum())
        print(
            f"remaining working time, {n:,} open dossiers ({name}): {t_vec:.3f} s vectorised "
            f"({t_vec / n * 1e9:.0f} ns/row; target ≤ 0.5 s), scalar {t_sc * 1e6:.2f} µs/call → "
            f"batch is {t_sc * n / t_vec:.0f}× the scalar path; {overdue:,} overdue"
        )

    # -- adding working minutes: tthc vs exchange_calendars ----------------------------------------------------------
    t0 = time.perf_counter()
    peer = peer_calendar(cal)
    build_peer = time.perf_counter() - t0
    days = [d.date() for d in pd.date_range(FIRST, LAST)]
    ours_days = {d for d in days if cal.is_working_day(d)}
    peer_days = {s.date() for s in peer.sessions}  # type: ignore[attr-defined]
    assert ours_days == peer_days, "the two calendars disagree on working days"
    minutes_ns = peer.minutes_nanos  # type: ignore[attr-defined]  # every trading minute, UTC nanoseconds
    # start on trading minutes of 2025–2026, offsets of 1 minute to 20 working days, staying inside 2024–2028
    lo = int(np.searchsorted(minutes_ns, pd.Timestamp("2025-01-01", tz=VN).value))
    hi = int(np.searchsorted(minutes_ns, pd.Timestamp("2027-01-01", tz=VN).value))
    m = args.n_vector
    start_idx = rng.integers(lo, hi, m)
    offsets = rng.integers(1, 20 * 480, m)
    starts_utc = minutes_ns[start_idx]
    local = (starts_utc + 7 * 3600 * 10**9).astype("datetime64[ns]").astype("datetime64[us]")  # UTC+7, no DST
    mins = offsets.astype("timedelta64[m]")

    ours_vec = cal.add_working_time_many(local, mins)
    t_ours_vec = best(lambda: cal.add_working_time_many(local, mins))

    def peer_vec() -> np.ndarray:
        return minutes_ns[np.searchsorted(minutes_ns, starts_utc) + offsets]  # type: ignore[no-any-return]

    peer_out = peer_vec()
    t_peer_vec = best(peer_vec)
    peer_local = (peer_out + 7 * 3600 * 10**9).astype("datetime64[ns]").astype("datetime64[us]")
    same = ours_vec == peer_local
    at_close = ~same
    nxt = np.array([cal.next_open(t.astype(datetime)) for t in ours_vec[at_close]], dtype="datetime64[us]")
    assert (nxt == peer_local[at_close]).all(), "a difference that is not the close/next-opening convention"
    print(
        f"adding working minutes, {m:,} rows vectorised: tthc {t_ours_vec:.3f} s, exchange_calendars index "
        f"arithmetic by hand {t_peer_vec:.3f} s → ratio {t_ours_vec / t_peer_vec:.2f}; "
        f"{int(same.sum()):,} equal, {int(at_close.sum()):,} end exactly at a close (tthc: the close, "
        "exchange_calendars: the next trading minute — checked to be next_open of ours)"
    )

    k = min(args.n_scalar, m)
    ours_in = [t.astype(datetime) for t in local[:k]]
    ours_d = [timedelta(minutes=int(x)) for x in offsets[:k]]
    t_ours_sc = best(lambda: [cal.add_working_time(t, d) for t, d in zip(ours_in, ours_d, strict=True)], 3) / k
    kp = min(args.n_peer, m)
    peer_in = [pd.Timestamp(int(x), tz="UTC") for x in starts_utc[:kp]]
    peer_n = [int(x) for x in offsets[:kp]]
    offset = peer.minute_offset  # type: ignore[attr-defined]
    expected = [pd.Timestamp(int(x), tz="UTC") for x in peer_out[:100]]
    assert [offset(t, c) for t, c in zip(peer_in[:100], peer_n[:100], strict=True)] == expected
    t_peer_sc = best(lambda: [offset(t, c) for t, c in zip(peer_in, peer_n, strict=True)], 3) / kp
    print(
        f"adding working minutes, scalar: tthc add_working_time {t_ours_sc * 1e6:.2f} µs/call, exchange_calendars "
        f"minute_offset {t_peer_sc * 1e6:.2f} µs/call → tthc is {t_peer_sc / t_ours_sc:.1f}× faster; "
        f"tthc batch vs tthc scalar: {t_ours_sc * m / t_ours_vec:.0f}×"
    )
    print(
        f"build: tthc calendar 2000–2100 {build_ours * 1e3:.0f} ms (first call, holidays.VN included), with dated "
        f"hours {build_winter * 1e3:.0f} ms; exchange_calendars 2024–2028 {build_peer * 1e3:.0f} ms; tables "
        f"tthc {cal.nbytes / 1e6:.1f} MB, exchange_calendars minutes {minutes_ns.nbytes / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
