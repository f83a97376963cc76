"""The fast paths keep the guarantees of the general ones (issue 16 "depends on": layout and hostile input).

Each fast path skips work the general path does; each is attacked here where messy input could be lost, rolled over,
mis-counted or end in a traceback:

* ``compute_due`` answered straight through (:mod:`tthc.deadlines.straight`): the edges of the compiled range, the
  last microsecond of a day, aware receipts, ``datetime`` subclasses (pandas ``Timestamp`` with nanoseconds), huge
  counts, copies of a due date whose trace was never read, and what happens if the two paths ever disagreed — even
  under ``python -O``;
* the dated counting rules read from the bundled file without validation: only the dated conventions are reachable,
  by a date;
* the calendar cache (:mod:`tthc.calendar.cache`): a FIFO or a device in the file's place, a folder of the user's own
  ``calendar-*.npy`` files, a cache path that is a folder;
* the lazy packages: every name of every ``__all__`` importable and listed by ``dir()``, a misspelt one an
  ``AttributeError``;
* the readers' lessons and typed columns: files whose date columns are ISO in one and ``dd/mm/yyyy`` in the next,
  as CSV and Parquet, give what each file gives alone, in one process and partitioned; a KPI month across the
  1 Jul 2025 switch gives the same counts however the rows are cut;
* the duplicate check's packed keys: look-alike codes across a CSV and a Parquet file give the duplicates the rule
  says (equal once upper-cased by Arrow), nothing more.
"""

from __future__ import annotations

import copy
import importlib
import os
import pickle
import pkgutil
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import tthc
from tthc.calendar import cache
from tthc.calendar.cache import CompiledDays, load_days, store_days
from tthc.deadlines import compute_due
from tthc.deadlines.compute import DueDate, _default_calendar
from tthc.deadlines.counting import VERSIONED_RULES, _era, _rules_of_era, counting_rule
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import InvalidValueError, TthcError

CAL = _default_calendar()
DAYS, HOURS = ProcessingTime.working_days, ProcessingTime.working_hours


def _straight(due: DueDate) -> bool:
    return due._known[1].__class__ is not tuple  # answered straight through, its trace not read yet


def _general(received: datetime, pt: ProcessingTime) -> DueDate:
    """The same call through the general path (the era's rules passed explicitly)."""
    local = received if received.tzinfo is None else received.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    return compute_due(received, pt, rules=_rules_of_era(_era(local.date())))


def _outcome(call: Any) -> object:
    try:
        due = call()
    except TthcError as exc:
        return type(exc), str(exc)
    return due.due_at, due.effective_received_at, due.counted_from, due.projected, due.steps_in("en")


# -- compute_due straight through ---------------------------------------------------------------------------------

_FIRST = datetime.combine(CAL.first, time())
_LAST = datetime.combine(CAL.last, time())
_TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    "received",
    [
        _FIRST, _FIRST - _TICK, _FIRST + timedelta(hours=9), _LAST + timedelta(hours=9),
        _LAST + timedelta(days=1) - _TICK, _LAST + timedelta(days=1), datetime.min, datetime.max,
        datetime(2026, 3, 2, 14, 59, 59, 999_999), datetime(2026, 3, 2, 15), datetime(2026, 3, 2, 23, 59, 59, 999_999),
        datetime(2026, 3, 2, 11, 29, 59, 999_999), datetime(2026, 3, 2, 7, 29, 59, 999_999),
        datetime(2025, 6, 30, 23, 59, 59, 999_999), datetime(2025, 7, 1),
    ],
)  # fmt: skip
@pytest.mark.parametrize("pt", [DAYS(1), HOURS(1), HOURS(8), DAYS(CAL._n // 28), HOURS(CAL._n // 28), HOURS(999_999)])
def test_the_straight_path_at_the_edges_answers_or_raises_as_the_general_path(
    received: datetime, pt: ProcessingTime
) -> None:
    """First and last compiled day, a microsecond either side, the last microsecond before the cut-off, the lunch
    break, the opening and midnight, the 1 Jul 2025 switch; counts at the straight path's limit and far past it."""
    assert _outcome(lambda: compute_due(received, pt)) == _outcome(lambda: _general(received, pt))


@pytest.mark.parametrize("years", [(2026, 2027), (2020, 2024), (2025, 2025)])
def test_a_calendar_of_another_range_answers_straight_through_as_the_general_path(years: tuple[int, int]) -> None:
    """The straight path indexes the 1 Jul 2025 switch from the calendar's first day: a calendar that starts after
    it, ends before it or holds only its year gives the era of each receipt as the general path does."""
    from tthc import public_sector_calendar

    cal = public_sector_calendar(first_year=years[0], last_year=years[1])
    first, last = datetime.combine(cal.first, time()), datetime.combine(cal.last, time())
    receipts = [first, first + timedelta(hours=14, minutes=59), last + timedelta(hours=9), last + timedelta(hours=16)]
    receipts += [datetime(2025, 6, 30, 16), datetime(2025, 7, 1, 9), datetime(2024, 12, 31, 10)]
    for received in receipts:
        for pt in (DAYS(1), DAYS(12), HOURS(3), HOURS(20)):
            rules = _rules_of_era(_era(received.date()))
            straight = _outcome(lambda r=received, p=pt: compute_due(r, p, calendar=cal))
            general = _outcome(lambda r=received, p=pt, k=rules: compute_due(r, p, calendar=cal, rules=k))
            assert straight == general, (received, pt)


class _Instant(datetime):
    """A ``datetime`` subclass (as a pandas ``Timestamp`` is): the general path answers it."""


@pytest.mark.parametrize(
    "received",
    [
        _Instant(2026, 3, 2, 14, 59, 59, 999_999),
        datetime(2026, 3, 2, 7, 59, 59, 999_999, tzinfo=UTC),  # 14:59:59.999999 in Vietnam
        datetime(2026, 3, 2, 8, tzinfo=UTC),  # 15:00 in Vietnam: after the cut-off
        datetime(2026, 3, 2, 14, 59, tzinfo=timezone(timedelta(hours=7))),
        datetime(2026, 3, 2, 14, 59, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        datetime(2025, 6, 30, 17, 0, tzinfo=UTC),  # 1 Jul 2025 00:00 in Vietnam: the new era
    ],
)
@pytest.mark.parametrize("pt", [DAYS(1), HOURS(1), HOURS(9)])
def test_subclasses_and_aware_receipts_read_like_their_naive_vietnam_time(
    received: datetime, pt: ProcessingTime
) -> None:
    local = received.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")) if received.tzinfo else received
    naive = datetime.combine(local.date(), local.time())
    due, ref = compute_due(received, pt), compute_due(naive, pt)
    assert _straight(ref)
    assert (due.due_at, due.effective_received_at, due.counted_from) == (
        ref.due_at,
        ref.effective_received_at,
        ref.counted_from,
    )
    assert due.steps_in("en")[1:] == ref.steps_in("en")[1:]  # the first step quotes the receipt as given


def test_a_pandas_timestamp_with_nanoseconds_is_its_microsecond() -> None:
    pd = pytest.importorskip("pandas")
    last = pd.Timestamp("2026-03-02 14:59:59.999999999")  # the last nanosecond before the cut-off
    due = compute_due(last, HOURS(1))
    assert due.due_at == compute_due(datetime(2026, 3, 2, 14, 59, 59, 999_999), HOURS(1)).due_at
    assert compute_due(pd.Timestamp("2026-03-02 15:00"), HOURS(1)).due_at == datetime(
        2026, 3, 3, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )


class _NoOffset(tzinfo):
    """A tzinfo that gives no offset: Python calls such a datetime naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


class _Broken(_NoOffset):
    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        raise RuntimeError("no offset today")


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The process's local time zone is not Vietnam's (what Python assumes for a naive datetime it converts)."""
    import time as clock

    if not hasattr(clock, "tzset"):
        pytest.skip("no time.tzset on this platform")
    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


@pytest.mark.usefixtures("new_york")
@pytest.mark.parametrize("pt", [DAYS(1), HOURS(1), "1 giờ làm việc"])
def test_a_tzinfo_that_gives_no_offset_is_vietnam_time_whatever_the_machines_zone(pt: ProcessingTime | str) -> None:
    """Naive is Vietnam time, and Python calls naive a datetime whose tzinfo gives no offset: not the machine's local
    time (``astimezone`` would take it so)."""
    naive = datetime(2026, 3, 2, 14, 59)
    assert compute_due(naive.replace(tzinfo=_NoOffset()), pt).due_at == compute_due(naive, pt).due_at


@pytest.mark.usefixtures("new_york")
def test_working_time_takes_a_tzinfo_that_gives_no_offset_as_vietnam_time() -> None:
    """The calendar's own working-time arithmetic follows the same rule as ``compute_due``: 09:00 with a tzinfo that
    gives no offset is 09:00 in Vietnam, one working hour later 10:00 (taken as New York time it was 21:00 here)."""
    cal = _default_calendar()
    naive = datetime(2026, 3, 2, 9)
    odd = naive.replace(tzinfo=_NoOffset())
    assert cal.add_working_time(odd, timedelta(hours=1)) == datetime(2026, 3, 2, 10)
    assert cal.is_open_at(odd) == cal.is_open_at(naive)
    assert cal.working_time_between(odd, datetime(2026, 3, 2, 11)) == timedelta(hours=2)


def test_working_time_refuses_a_tzinfo_that_fails() -> None:
    with pytest.raises(InvalidValueError, match="instant"):
        _default_calendar().add_working_time(datetime(2026, 3, 2, 9, tzinfo=_Broken()), timedelta(hours=1))


@pytest.mark.usefixtures("new_york")
def test_parse_local_datetime_takes_a_tzinfo_that_gives_no_offset_as_vietnam_time() -> None:
    """The edge every other instant goes through (records, options, reports) follows the same rule."""
    from tthc.foundation.datetimes import parse_local_datetime

    naive = datetime(2026, 3, 2, 9)
    assert parse_local_datetime(naive.replace(tzinfo=_NoOffset())) == parse_local_datetime(naive)
    assert parse_local_datetime(naive).utcoffset() == timedelta(hours=7)
    with pytest.raises(InvalidValueError, match="when"):
        parse_local_datetime(naive.replace(tzinfo=_Broken()), "when")


def test_a_tzinfo_that_fails_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValueError, match="received_at"):
        compute_due(datetime(2026, 3, 2, 9, tzinfo=_Broken()), DAYS(1))


@pytest.mark.parametrize(
    "clone", [copy.copy, copy.deepcopy, lambda d: pickle.loads(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL))]
)
def test_a_copy_of_a_due_date_whose_trace_was_never_read(clone: Any) -> None:
    """Copied while still pending: equal, same hash, and its trace (computed from the copy) the general path's."""
    received, pt = datetime(2026, 2, 13, 14, 59, 59, 999_999), HOURS(9)  # Friday before Tết 2026
    pending = compute_due(received, pt)
    assert _straight(pending)
    again = clone(pending)
    assert again == pending
    assert hash(again) == hash(pending)
    assert again.steps_in("vi") == _general(received, pt).steps_in("vi")
    assert _straight(pending)  # the copy's trace is its own
    assert pending.steps_in("en") == again.steps_in("en")


_DISAGREE = textwrap.dedent(
    """
    from datetime import datetime, timedelta
    import tthc.deadlines.compute as c
    from tthc.deadlines.processing_time import ProcessingTime
    from tthc.errors import TthcError

    real = c._straight

    def wrong(*args):  # a straight path one hour off
        got = real(*args)
        return None if got is None else (got[0] + timedelta(hours=1), *got[1:])

    c._straight = wrong
    due = c.compute_due(datetime(2026, 3, 2, 9), ProcessingTime.working_days(3))
    try:
        due.steps_in("en")
    except TthcError:
        print("TthcError")
    except AssertionError as exc:
        print("AssertionError", "please report" in str(exc))
    else:
        print("silent")
    """
)


@pytest.mark.parametrize("optimize", [[], ["-O"]])
def test_if_the_two_paths_ever_disagreed_reading_the_trace_says_so_even_under_python_O(optimize: list[str]) -> None:
    """A bug of ours, never the caller's input: an ``AssertionError`` (not a ``TthcError``, which a caller handles as
    a bad value; the CLI prints it as one "internal error" line), raised under ``python -O`` too — a trace that
    explains another due instant than the one given would be worse than none."""
    out = subprocess.run(
        [sys.executable, *optimize, "-c", _DISAGREE], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["AssertionError", "True"]


# -- the dated counting rules, read as written -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["office_hours", "online_cutoff", "receipt_day_not_counted", "$comment", "", ["x"], None]
)
def test_only_the_dated_conventions_are_read_from_the_bundled_file(key: Any) -> None:
    """The bundled file is read without validation: a caller's key must not pick any other record of it (nor end
    in the cache's ``TypeError`` for an unhashable key)."""
    with pytest.raises(InvalidValueError, match="rule"):
        counting_rule(key, date(2026, 1, 1))


@pytest.mark.parametrize("on", ["2026-01-01", None, 20260101, 2026.0])
def test_a_rule_asked_for_something_else_than_a_day_is_refused_not_the_earliest_version(on: Any) -> None:
    with pytest.raises(InvalidValueError, match="on"):
        counting_rule("receipt_cutoff", on)


@pytest.mark.parametrize("key", VERSIONED_RULES)
def test_a_datetime_is_taken_by_its_vietnam_day(key: str) -> None:
    late = datetime(2025, 6, 30, 17, 30, tzinfo=UTC)  # 1 Jul 2025 00:30 in Vietnam: the new instrument
    assert counting_rule(key, late) == counting_rule(key, date(2025, 7, 1))
    assert counting_rule(key, datetime(2025, 6, 30, 23, 59)) == counting_rule(key, date(2025, 6, 30))


# -- the calendar cache ----------------------------------------------------------------------------------------------

_KEY: dict[str, object] = {"test": "fast paths"}


def _days() -> CompiledDays:
    return CompiledDays(date(2026, 1, 1), bytes([1, 0, 1]), {date(2026, 1, 2): "closure"}, {}, {}, 2026, "test")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def test_the_users_own_calendar_files_in_the_cache_folder_are_never_removed(cache_dir: Path) -> None:
    """``TTHC_CACHE_DIR`` may name a folder of the user's: only files named as the cache names them are pruned."""
    cache_dir.mkdir()
    theirs = [cache_dir / f"calendar-{y}.npy" for y in range(2015, 2027)] + [cache_dir / "calendar-notes.npy"]
    for i, p in enumerate(theirs):
        p.write_bytes(b"theirs")
        os.utime(p, (1_000_000 + i, 1_000_000 + i))  # older than any cache file
    for n in range(cache.MAX_FILES + 2):
        assert store_days({"n": n}, _days()) is not None
    assert all(p.read_bytes() == b"theirs" for p in theirs)
    ours = [p for p in cache_dir.iterdir() if p not in theirs]
    assert len(ours) == cache.MAX_FILES  # the cache's own files are still pruned


_LOAD = "import sys; from tthc.calendar.cache import load_days; print(load_days({'test': 'fast paths'}))"


def _load_in_a_child(cache_dir: Path) -> str:
    """load_days in a child process with bounded time and memory: a hang or a read without end fails the test."""

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, cache.CACHE_ENV: str(cache_dir)}
    out = subprocess.run(
        [sys.executable, "-c", _LOAD], env=env, capture_output=True, text=True, timeout=60, preexec_fn=limit
    )
    return out.stdout.strip() + out.stderr.strip()[-200:]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_in_the_cache_files_place_is_a_miss_not_a_hang(cache_dir: Path) -> None:
    target = store_days(_KEY, _days())
    assert target is not None
    target.unlink()
    os.mkfifo(target)
    assert _load_in_a_child(cache_dir) == "None"


def test_a_cache_file_over_the_size_bound_is_a_miss(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = store_days(_KEY, _days())
    assert target is not None
    assert load_days(_KEY) is not None
    monkeypatch.setattr(cache, "MAX_BYTES", target.stat().st_size - 1)
    assert load_days(_KEY) is None


def test_a_folder_in_the_cache_files_place_and_a_file_in_the_folders_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    target = store_days(_KEY, _days())
    assert target is not None
    target.unlink()
    target.mkdir()
    assert load_days(_KEY) is None
    assert store_days(_KEY, _days()) is None
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_bytes(b"not a folder")
    assert load_days(_KEY) is None
    assert store_days(_KEY, _days()) is None


@pytest.mark.parametrize("xdg", ["", "relative/cache", "/dev/null", "/proc/no/such/place"])
def test_an_odd_user_cache_folder_still_gives_the_right_calendar(
    xdg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ``TTHC_CACHE_DIR``: ``XDG_CACHE_HOME`` empty, relative, a device or a place that cannot be made. A fresh
    process builds the calendar and answers as a process with a working cache does."""
    env = {k: v for k, v in os.environ.items() if k != cache.CACHE_ENV}
    env["XDG_CACHE_HOME"] = xdg
    env["HOME"] = str(tmp_path)
    code = (
        "from datetime import datetime; from tthc import compute_due; "
        "print(compute_due(datetime(2026, 2, 13, 16), '9 giờ làm việc').due_at)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert (out.returncode, out.stdout.strip(), out.stderr) == (0, "2026-02-24 08:30:00+07:00", "")


# -- lazy packages ---------------------------------------------------------------------------------------------------


def _modules() -> list[Any]:
    mods = [tthc]
    for info in pkgutil.walk_packages(tthc.__path__, "tthc."):
        if info.name.startswith(("tthc.cli.", "tthc.__main__")):
            continue  # the CLI's modules build click commands on import; tthc.cli itself is kept
        try:
            mods.append(importlib.import_module(info.name))
        except ImportError:  # an extra that is not installed (MissingExtraError is an ImportError)
            continue
    return [m for m in mods if hasattr(m, "__all__")]


def test_every_name_of_every_all_is_importable_and_listed() -> None:
    """Packages load their names lazily (``__init__.pyi`` + lazy_loader) and some modules too (PEP 562): each name
    of ``__all__`` resolves, ``dir()`` lists it, and a misspelt one is an ``AttributeError`` as Python's."""
    problems = []
    for mod in _modules():
        listed = set(dir(mod))
        for name in mod.__all__:
            try:
                getattr(mod, name)
            except Exception as exc:
                problems.append(f"{mod.__name__}.{name}: {type(exc).__name__}: {exc}")
            if name not in listed:
                problems.append(f"{mod.__name__}.{name}: not in dir()")
        with pytest.raises(AttributeError):
            mod.compute_duee  # noqa: B018
    assert problems == []


def test_a_misspelt_name_from_a_lazy_package_is_an_import_error() -> None:
    with pytest.raises(ImportError):
        exec("from tthc.deadlines import compute_duee")
    with pytest.raises(ImportError):
        exec("from tthc.deadlines.compute import compute_due_manyy")
    from tthc.deadlines.compute import compute_due_many  # the lazily loaded name itself

    assert callable(compute_due_many)


# -- readers' lessons, typed columns, KPI chunks, duplicates -----------------------------------------------------------

_DATES = ("received_at", "due_at", "finished_at", "returned_at")


def _rows(style: str, n: int, first: int, bad_every: int = 0) -> list[dict[str, str]]:
    from tthc.testing.record_files import row

    out = []
    for i in range(n):
        r = row(dossier_code=f"000.00.12.H21-250303-{first + i:04d}")
        for col in _DATES:
            at = datetime.fromisoformat(r[col])
            r[col] = at.strftime("%d/%m/%Y %H:%M:%S" if style == "dmy" else "%Y-%m-%d %H:%M:%S")
        if bad_every and i % bad_every == 3:
            r["received_at"] = "31/02/2025 09:00:00" if style == "dmy" else "2025-02-31 09:00:00"
        out.append(r)
    return out


def _write(folder: Path, name: str, rows: list[dict[str, str]]) -> tuple[Path, Path]:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tthc.testing.record_files import HEADER, write_csv

    text = write_csv(folder / f"{name}.csv", rows)
    table = pa.table({k: [r[k] for r in rows] for k in HEADER})
    pq.write_table(table, folder / f"{name}.parquet", row_group_size=400)
    return text, folder / f"{name}.parquet"


def _report(paths: list[Path], folder: Path, how: str) -> tuple[tuple[int, int, int], list[str]]:
    from tthc.catalog.collection import Catalog
    from tthc.scale.partitions import validate_partitions_locally
    from tthc.validation.run import FindingWriter, validate_files

    out = folder / f"{how}.findings.csv"
    with FindingWriter(out) as w:
        if how == "one":
            s = validate_files(paths, Catalog.sample(), report=w, chunk_bytes=30_000)
        else:
            s = validate_partitions_locally(paths, Catalog.sample(), report=w, partition_bytes=30_000)
    return (s.rows, s.valid_rows, s.invalid_rows), out.read_text(encoding="utf-8").splitlines()[1:]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_iso_and_day_first_files_in_one_run_give_what_each_gives_alone(fmt: str, tmp_path: Path) -> None:
    """The readers learn that a column is not ISO 8601 and carry it from block to block (and a Dask worker from
    partition to partition): a run over an ISO file, a ``dd/mm/yyyy`` one and an ISO one again — each with
    impossible dates — must give, file by file, what each file gives alone."""
    files = [
        _write(tmp_path, "a", _rows("iso", 1500, 0, 97)),
        _write(tmp_path, "b", _rows("dmy", 1500, 1500, 89)),
        _write(tmp_path, "c", _rows("iso", 1500, 3000, 101)),
    ]
    paths = [p for pair in files for p in pair if p.suffix == f".{fmt}"]
    alone: list[str] = []
    counts = [0, 0, 0]
    for p in paths:
        c, lines = _report([p], tmp_path, "one")
        alone += lines
        counts = [a + b for a, b in zip(counts, c, strict=True)]
    assert counts[2] > 0  # the impossible dates are findings
    for how in ("one", "parts"):
        c, lines = _report(paths, tmp_path, how)
        assert (list(c), lines) == (counts, alone)


def test_a_kpi_month_across_the_1_july_2025_switch_is_the_same_however_the_rows_are_cut(tmp_path: Path) -> None:
    """Rows received 30 Jun and 1 Jul 2025 (both sides of 15:00 and midnight, the old and the new instrument),
    on time and late, cut into many pieces, partitions, or none: the same KPI counts."""
    pytest.importorskip("pyarrow")
    from tthc.catalog.collection import Catalog
    from tthc.kpi.indicators import KpiOptions, compute_kpis
    from tthc.scale.partitions import validate_partitions_locally
    from tthc.testing.record_files import row, write_csv
    from tthc.validation.run import validate_files

    rows = []
    received = [datetime(2025, 6, 30, 14, 59), datetime(2025, 6, 30, 15), datetime(2025, 6, 30, 23, 59, 59)]
    received += [datetime(2025, 7, 1), datetime(2025, 7, 1, 9), datetime(2025, 7, 1, 15, 30)]
    for i in range(600):
        at = received[i % len(received)]
        due = compute_due(at, "10 ngày làm việc").due_at
        assert due is not None
        done = due.replace(tzinfo=None) + timedelta(days=(i % 5) - 2)  # early, on the day, late
        rows.append(
            row(
                dossier_code=f"000.00.12.H21-{at:%y%m%d}-{i:04d}",
                received_at=f"{at:%Y-%m-%d %H:%M:%S}",
                due_at=f"{due:%Y-%m-%d %H:%M:%S}",
                finished_at=f"{done:%Y-%m-%d %H:%M:%S}",
                returned_at=f"{done + timedelta(hours=1):%Y-%m-%d %H:%M:%S}",
            )
        )
    path = write_csv(tmp_path / "era.csv", rows)
    cat = Catalog.sample()

    def kpis(summary: Any) -> list[object]:
        return [compute_kpis(summary.kpi, cat, KpiOptions(by=by)) for by in ("agency", "total")]

    whole = kpis(validate_files([path], cat))
    assert kpis(validate_files([path], cat, chunk_bytes=2_000)) == whole
    assert kpis(validate_partitions_locally([path], cat, partition_bytes=5_000)) == whole


def test_look_alike_codes_across_csv_and_parquet_are_duplicates_exactly_as_the_rule_says(tmp_path: Path) -> None:
    """Canonical codes are packed into their keys without confirmation, others hashed and confirmed: across a CSV
    and a Parquet file, spellings that differ by case only repeat; padding, full-width digits, Đ for D, NFD for NFC,
    a leading zero, a field past what a key holds do not (the rule: equal once trimmed of white space and upper-cased by
    Arrow)."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.compute as pc

    base = "000.00.12.H21-250303-0001"
    codes = [
        base, "\u00a0" + base, "\u200b" + base, base.lower(), "000.00.12.h21-250303-0001", " " + base, base + " ",
        base.replace("1", "１", 1),
        "ĐĐ0.00.12.H21-250303-0001", "DD0.00.12.H21-250303-0001", "đđ0.00.12.h21-250303-0001",
        "000.00.12.H21-250303-00001", "0000.00.12.H21-250303-0001", "000.00.12.H21-251603-0001",
        "000.00.12.h21-251603-0001", "000.00.12.H21-250332-0001", "999.99.99.K99-991531-9999",
        "999.99.99.k99-991531-9999", "Ấ-1", "A\u0302\u0301-1", "ấ-1", "ß-1", "ẞ-1", "SS-1",
    ]  # fmt: skip
    first_half, second_half = codes[::2], codes[1::2]
    csv_rows = _rows("iso", len(first_half), 0)
    pq_rows = _rows("iso", len(second_half), 100)
    for r, c in zip(csv_rows, first_half, strict=True):
        r["dossier_code"] = c
    for r, c in zip(pq_rows, second_half, strict=True):
        r["dossier_code"] = c
    csv_path, _ = _write(tmp_path, "x", csv_rows)
    _, pq_path = _write(tmp_path, "y", pq_rows)
    # the reference: the first occurrence of each upper-cased code, over the rows in run order
    order = [(csv_path, i + 1, c) for i, c in enumerate(first_half)] + [
        (pq_path, i + 1, c) for i, c in enumerate(second_half)
    ]
    # (cells are read without the white space around them, CSV and Parquet alike)
    upper = pc.utf8_upper(pc.utf8_trim_whitespace(pa.array([c for _, _, c in order]))).to_pylist()
    seen: dict[str, tuple[Path, int]] = {}
    expected = []
    for (path, at, _), u in zip(order, upper, strict=True):
        if u in seen:
            expected.append((str(path), at))
        else:
            seen[u] = (path, at)
    assert len(expected) >= 5
    for how in ("one", "parts"):
        _, lines = _report([csv_path, pq_path], tmp_path, how)
        found = [tuple(x.split(",")[:2]) for x in lines if ",E_DUPLICATE_DOSSIER," in x]
        assert [(f, int(r)) for f, r in found] == expected


@pytest.mark.parametrize(
    ("column", "values", "text"),
    [
        ("received_at", "int64", "20250303"),
        ("received_at", "float64", "1.5"),
        ("received_at", "bool", "true"),
        ("received_at", "timestamp_utc", "2025-03-03T02:00:00Z"),
        ("received_at", "timestamp_far", "2999-01-01 00:00:00"),
        ("received_at", "date32", "2025-03-03"),
        ("received_at", "binary", "2025-02-30 09:00:00"),
        ("received_at", "dictionary", "31/04/2025 09:00"),
        ("fee_vnd", "uint64_max", "18446744073709551615"),
        ("fee_vnd", "int64_max", "9223372036854775807"),
        ("fee_vnd", "float_half", "200000.5"),
        ("fee_vnd", "float_whole", "200000.0"),
        ("supplement_count", "int8_negative", "-1"),
        ("dossier_code", "int64", "7"),
    ],
)
def test_a_parquet_column_of_another_physical_type_is_checked_like_its_text(
    column: str, values: str, text: str, tmp_path: Path
) -> None:
    """A typed Parquet column is read by its own fast path (no text round trip): it gives the findings the CSV with
    the same cell text gives — never a value wrapped round (uint64), a float taken for a whole number, a typed
    negative number or a far timestamp let through."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tthc.testing.record_files import HEADER, row, write_csv

    n = 3
    arrays = {
        "int64": pa.array([20250303] * n, pa.int64()),
        "float64": pa.array([1.5] * n),
        "bool": pa.array([True] * n),
        "timestamp_utc": pa.array([datetime(2025, 3, 3, 2)] * n, pa.timestamp("us", tz="UTC")),
        "timestamp_far": pa.array([datetime(2999, 1, 1)] * n, pa.timestamp("s")),
        "date32": pa.array([date(2025, 3, 3)] * n, pa.date32()),
        "binary": pa.array([b"2025-02-30 09:00:00"] * n, pa.binary()),
        "dictionary": pa.array(["31/04/2025 09:00"] * n).dictionary_encode(),
        "uint64_max": pa.array([2**64 - 1] * n, pa.uint64()),
        "int64_max": pa.array([2**63 - 1] * n, pa.int64()),
        "float_half": pa.array([200000.5] * n),
        "float_whole": pa.array([200000.0] * n),
        "int8_negative": pa.array([-1] * n, pa.int8()),
    }
    if column == "dossier_code":
        arrays["int64"] = pa.array([7] * n, pa.int64())
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(n)]
    table = {k: pa.array([r[k] for r in rows]) for k in HEADER}
    table[column] = arrays[values]
    pq.write_table(pa.table(table), tmp_path / "typed.parquet")
    for r in rows:
        r[column] = text
    write_csv(tmp_path / "text.csv", rows)

    def findings(path: Path) -> tuple[tuple[int, int, int], list[tuple[str, ...]]]:
        counts, lines = _report([path], tmp_path, "one")
        return counts, [tuple(x.split(",")[1:4]) for x in lines]

    typed, as_text = findings(tmp_path / "typed.parquet"), findings(tmp_path / "text.csv")
    assert typed == as_text


def test_a_dask_worker_keeps_no_lesson_that_changes_a_later_run_of_a_rewritten_file(tmp_path: Path) -> None:
    """A worker keeps the CSV reader's lessons per run and file (the date columns that are not ISO 8601) for the
    calls that share one catalog and options object: the same path rewritten between two runs — ``dd/mm/yyyy``
    first, ISO then, and back — gives what a fresh one-process run gives each time."""
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    from tthc.catalog.collection import Catalog
    from tthc.scale import dask as tthc_dask
    from tthc.testing.record_files import write_csv
    from tthc.validation.run import FindingWriter, validate_files

    cat = Catalog.sample()
    path = tmp_path / "same.csv"
    contents = [_rows("dmy", 800, 0, 89), _rows("iso", 800, 0, 97), _rows("dmy", 800, 0, 83)]
    with tthc_dask.local_client(2, processes=False) as client:
        for rows in contents:
            write_csv(path, rows)
            with FindingWriter(tmp_path / "dask.findings.csv") as w:
                tthc_dask.validate_files([path], cat, client=client, report=w, partition_bytes=20_000)
            with FindingWriter(tmp_path / "one.findings.csv") as w:
                validate_files([path], cat, report=w)
            assert (tmp_path / "dask.findings.csv").read_bytes() == (tmp_path / "one.findings.csv").read_bytes()


def test_a_file_that_turns_from_iso_to_day_first_halfway_reads_alike_in_every_format_and_cut(tmp_path: Path) -> None:
    """One file whose date columns are ISO for the first rows and ``dd/mm/yyyy`` after (the reader learns the column
    is not ISO in a later block, a later row group, a later partition), then ISO again: the same findings as CSV and
    as Parquet, in one process and partitioned."""
    rows = _rows("iso", 500, 0, 47) + _rows("dmy", 500, 500, 43) + _rows("iso", 500, 1000, 41)
    csv_path, pq_path = _write(tmp_path, "mixed", rows)
    seen = set()
    for path in (csv_path, pq_path):
        for how in ("one", "parts"):
            counts, lines = _report([path], tmp_path, how)
            seen.add((counts, tuple(tuple(x.split(",")[1:4]) for x in lines)))
    assert len(seen) == 1
    ((counts, found),) = seen
    assert counts[2] == len(found) > 20  # each impossible date is its row's one finding


@pytest.mark.parametrize(
    "received",
    [
        "2025-03-03T08:30:00Z", "2025-03-03 08:30:00+0000", "2025-03-03T10:30:00+02:00", "2025-03-03T16:30:00+08",
        "2025-03-03 15:30:00 +07:00", "2025-03-03T15:30:00.5", "20250303T153000", "2025-03-03 15:30",
        "03/03/2025 15:30", "2025-03-03T08:30:00z", "2025-03-03 9:00:00", "2025-03-03 24:00:00",
    ],
)  # fmt: skip
def test_an_instant_reads_alike_through_the_typed_csv_parser_the_reference_one_and_parquet_text(
    received: str, tmp_path: Path
) -> None:
    """A CSV block is parsed as typed timestamps by pyarrow when it can (the fast path), by the reference parser when
    its quoting is not simple; a Parquet text column by the vectorised text path. 15:30 in Vietnam is after the
    cut-off: an offset dropped or misread would move the due day, and the recorded due date would be a finding."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tthc.testing.record_files import HEADER, row, write_csv

    due = compute_due(datetime(2025, 3, 3, 15, 30), "10 ngày làm việc").due_at
    assert due is not None
    rows = [row(received_at=received, due_at=f"{due:%Y-%m-%d %H:%M:%S}")]
    rows.append(row(dossier_code="000.00.12.H21-250303-0002"))
    simple = write_csv(tmp_path / "simple.csv", rows)
    quoted = write_csv(tmp_path / "quoted.csv", [*rows, row(dossier_code="000.00.12.H21-250303-0003", status="a\nb")])
    pq.write_table(pa.table({k: [r[k] for r in rows] for k in HEADER}), tmp_path / "text.parquet")

    def first_row(path: Path) -> list[tuple[str, ...]]:
        import csv

        _report([path], tmp_path, "one")
        with (tmp_path / "one.findings.csv").open(encoding="utf-8", newline="") as f:
            return [tuple(r[1:4]) for r in list(csv.reader(f))[1:] if r[1] == "1"]

    found = first_row(simple)
    assert first_row(quoted) == found
    assert first_row(tmp_path / "text.parquet") == found
    assert found in ([], [("1", "received_at", "E_TYPE")])  # read as 15:30 in Vietnam, or refused: never misread
