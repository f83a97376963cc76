"""The on-disk cache of compiled calendar days (tthc.calendar.cache) and its hook in public_sector_calendar.

Each test points ``TTHC_CACHE_DIR`` at its own folder and compiles a few years only (the range is part of the key).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import tthc.calendar.working_calendar as wc
from tthc.calendar import cache
from tthc.calendar.cache import CompiledDays, load_days, store_days
from tthc.calendar.data_version import calendar_data_version
from tthc.calendar.schedule import load_schedule
from tthc.calendar.working_calendar import WorkingCalendar
from tthc.errors import CalendarRangeError

YEARS = (2024, 2027)
OPTIONS = (True, "1111100", *YEARS)
KEY: dict[str, object] = {"schedule": "abc", "holidays": "0.109", "culture_day": True, "first_year": 2024}


def _days() -> CompiledDays:
    mask = bytes([1, 0, 1, 1, 0, 0, 1])
    return CompiledDays(
        first=date(2026, 1, 1),
        mask=mask,
        notes_off={date(2026, 1, 2): "Tết Dương lịch 2026 (12729/VPCP-KGVX)", date(2026, 1, 5): "closure"},
        notes_work={date(2026, 1, 3): "make-up working day (12729/VPCP-KGVX)"},
        off_kinds={date(2026, 1, 2): "swap"},
        last_announced_year=2026,
        description="test calendar",
    )


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Records every compilation of the days (a cache miss)."""
    calls: list[tuple[object, ...]] = []
    real = wc._build

    def counting(*args: Any) -> WorkingCalendar:
        calls.append(args[1:])
        return real(*args)

    monkeypatch.setattr(wc, "_build", counting)
    return calls


def _bundled(culture_day: bool = True) -> WorkingCalendar:
    """The bundled calendar through the disk cache, bypassing the in-process memo."""
    return wc._cached_calendar.__wrapped__(culture_day, "1111100", *YEARS)


def _compiled(culture_day: bool = True) -> WorkingCalendar:
    return wc._build(load_schedule(None), culture_day, "1111100", *YEARS)


def _same(a: WorkingCalendar, b: WorkingCalendar) -> None:
    assert (a.first, a.last, a.last_announced_year, a.weekmask, a.description, a.office_hours) == (
        b.first,
        b.last,
        b.last_announced_year,
        b.weekmask,
        b.description,
        b.office_hours,
    )
    for name in ("mask", "cumulative", "positions"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a._notes_off == b._notes_off
    assert a._notes_work == b._notes_work
    assert a._off_kinds == b._off_kinds
    assert calendar_data_version(a) == calendar_data_version(b)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*")) if folder.is_dir() else []


# -- the store -------------------------------------------------------------------------------------------------------


def test_store_then_load_gives_the_same_days(cache_dir: Path) -> None:
    days = _days()
    path = store_days(KEY, days)
    assert path is not None
    assert path.parent == cache_dir
    assert path.suffix == ".npy"
    got = load_days(KEY)
    assert got is not None
    assert got.first == days.first
    assert got.mask == days.mask
    assert type(got.mask) is bytes  # plain bytes: reading the cache never imports numpy
    assert (got.notes_off, got.notes_work, got.off_kinds) == (days.notes_off, days.notes_work, days.off_kinds)
    assert (got.last_announced_year, got.description) == (2026, "test calendar")


def test_the_file_is_the_npy_file_numpy_writes_and_reads(cache_dir: Path) -> None:
    """Written without numpy, the file is still a uint8 ``.npy`` file: ``np.load`` reads it, and a file written by
    ``np.save`` (as earlier versions did) is read back."""
    days = _days()
    path = store_days(KEY, days)
    assert path is not None
    blob = cache._encode(days, cache._key_text(KEY))
    loaded = np.load(path, allow_pickle=False)
    assert loaded.dtype == np.uint8
    assert loaded.tobytes() == blob
    np.save(path, np.frombuffer(blob, np.uint8))
    assert path.read_bytes() == cache._wrap(blob)  # byte for byte what numpy writes
    got = load_days(KEY)
    assert got is not None
    assert (got.mask, got.notes_off) == (days.mask, days.notes_off)


@settings(max_examples=50, deadline=None)
@given(
    mask=st.binary(min_size=1, max_size=400).map(lambda b: bytes(x & 1 for x in b)),
    notes=st.dictionaries(st.integers(0, 399), st.text(max_size=30), max_size=12),
    kinds=st.lists(st.sampled_from(["holiday", "swap", "user_day_off", None]), min_size=12, max_size=12),
)
def test_encode_decode_round_trip(mask: bytes, notes: dict[int, str], kinds: list[Any]) -> None:
    first = date(2026, 1, 1)
    off = {date.fromordinal(first.toordinal() + k): r for k, r in notes.items()}
    off_kinds = {d: k for d, k in zip(sorted(off), kinds, strict=False) if k is not None}
    days = CompiledDays(first, mask, off, {first: "make-up"}, off_kinds, None, "round trip", {})
    got = cache._decode(cache._unwrap(cache._wrap(cache._encode(days, "k"))) or b"", "k")
    assert got is not None
    assert (got.first, got.mask, got.notes_off, got.notes_work, got.off_kinds) == (
        first, mask, off, {first: "make-up"}, off_kinds
    )  # fmt: skip


def test_a_mask_of_other_bytes_than_0_and_1_is_never_written_nor_read(cache_dir: Path) -> None:
    days = _days()
    bad = CompiledDays(days.first, bytes([1, 0, 2]), {}, {}, {}, 2026, "bad")
    assert store_days(KEY, bad) is None
    blob = bytearray(cache._encode(days, cache._key_text(KEY)))
    at = blob.index(days.mask, 48)  # the mask is the first array after the meta
    blob[at] = 2
    tail = bytes(blob[40:])
    blob[8:40] = hashlib.sha256(tail).digest()  # a well-formed file with a bad mask
    assert cache._decode(bytes(blob), cache._key_text(KEY)) is None


@pytest.mark.parametrize(
    "change",
    [
        {"schedule": "abd"},  # the schedule data changed
        {"holidays": "0.110"},  # a holidays upgrade: the statutory days may move
        {"culture_day": False},  # an option
        {"first_year": 2025},
        {"extra": 1},
    ],
)
def test_any_change_of_the_key_is_a_miss(cache_dir: Path, change: dict[str, object]) -> None:
    store_days(KEY, _days())
    assert load_days(KEY) is not None
    assert load_days({**KEY, **change}) is None


def test_the_tthc_version_is_part_of_the_key(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_days(KEY, _days())
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert load_days(KEY) is None


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-1], id="truncated by one byte"),
        pytest.param(lambda b: b[: len(b) // 2], id="truncated by half"),
        pytest.param(lambda b: b[:-3] + bytes([b[-3] ^ 1]) + b[-2:], id="one bit flipped in the last array"),
        pytest.param(lambda b: b[:300] + bytes([b[300] ^ 0x20]) + b[301:], id="one bit flipped in the meta"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b"not a numpy file at all", id="foreign text"),
    ],
)
def test_a_damaged_file_is_a_miss_never_trusted(cache_dir: Path, damage: Callable[[bytes], bytes]) -> None:
    path = store_days(KEY, _days())
    assert path is not None
    path.write_bytes(damage(path.read_bytes()))
    assert load_days(KEY) is None


def test_a_foreign_npy_file_and_a_file_of_another_key_are_misses(cache_dir: Path) -> None:
    path = store_days(KEY, _days())
    other = store_days({**KEY, "holidays": "0.110"}, _days())
    assert path is not None
    assert other is not None
    os.replace(other, path)  # a valid cache file, but written for another key
    assert load_days(KEY) is None
    np.save(path, np.arange(100, dtype=np.uint8))  # a numpy file of the right dtype, not ours
    assert load_days(KEY) is None
    np.save(path, np.arange(100, dtype=np.int64))
    assert load_days(KEY) is None


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no", "none"])
def test_disabled_cache_reads_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.CACHE_ENV, value)
    assert cache.cache_dir() is None
    assert store_days(KEY, _days()) is None
    assert load_days(KEY) is None
    assert _files(tmp_path) == []


def test_default_directory_is_the_user_cache_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("tthc", appauthor=False))
    monkeypatch.setenv(cache.CACHE_ENV, "  ")  # blank is unset, not a directory named "  "
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("tthc", appauthor=False))


def test_an_unusable_directory_means_no_cache_silently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))  # cannot be created: a file is in the way
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store_days(KEY, _days()) is None
        assert load_days(KEY) is None


def test_a_read_only_directory_still_serves_what_it_holds(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_days(KEY, _days())

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tthc.calendar.cache.tempfile.mkstemp", refuse)  # what a read-only directory does to a writer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store_days({**KEY, "holidays": "0.110"}, _days()) is None
        assert load_days(KEY) is not None
    assert len(_files(cache_dir)) == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_for_real(cache_dir: Path) -> None:
    store_days(KEY, _days())
    cache_dir.chmod(0o555)
    try:
        assert store_days({**KEY, "holidays": "0.110"}, _days()) is None
        assert load_days(KEY) is not None
    finally:
        cache_dir.chmod(0o755)


def test_a_failed_write_leaves_no_temporary_file(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tthc.calendar.cache.os.replace", broken)
    assert store_days(KEY, _days()) is None
    assert _files(cache_dir) == []


def test_old_files_are_pruned(cache_dir: Path) -> None:
    for i in range(cache.MAX_FILES + 3):
        assert store_days({**KEY, "holidays": f"0.{i}"}, _days()) is not None
    assert len(_files(cache_dir)) == cache.MAX_FILES
    assert load_days({**KEY, "holidays": f"0.{cache.MAX_FILES + 2}"}) is not None  # the newest is kept


# -- the hook in public_sector_calendar ------------------------------------------------------------------------------


def test_miss_builds_and_stores_then_hit_does_not_build(cache_dir: Path, builds: list[tuple[object, ...]]) -> None:
    first = _bundled()
    assert builds == [OPTIONS]
    assert len(_files(cache_dir)) == 1
    second = _bundled()
    assert builds == [OPTIONS]  # served from the file
    _same(first, second)
    assert not second.mask.flags.writeable


def test_cached_and_compiled_calendars_are_equal(cache_dir: Path) -> None:
    _bundled()
    cached = _bundled()
    compiled = _compiled()
    _same(cached, compiled)
    # and so are the answers, down to the trace wording and the overlays built on top
    d = date(2026, 2, 13)
    assert cached.describe_day(d) == compiled.describe_day(d)
    assert list(cached.days_off(date(2024, 1, 1), date(2027, 12, 31))) == list(
        compiled.days_off(date(2024, 1, 1), date(2027, 12, 31))
    )
    assert cached.schedule(date(2026, 2, 1), date(2026, 3, 1)) == compiled.schedule(date(2026, 2, 1), date(2026, 3, 1))
    overlay = {date(2026, 3, 2): "closure"}
    _same(cached.with_overlay(extra_days_off=overlay), compiled.with_overlay(extra_days_off=overlay))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[WorkingCalendar, WorkingCalendar]:
    """A calendar served from the cache file and one compiled in memory."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv(cache.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        _bundled()
        return _bundled(), _compiled()


def _added(cal: WorkingCalendar, day: date, n: int) -> object:
    try:
        return cal.add_working_days(day, n)
    except CalendarRangeError as exc:  # refused alike: the same message
        return str(exc)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(date(2024, 3, 1), date(2027, 6, 30)), n=st.integers(-40, 120))
@example(day=date(2024, 3, 1), n=-39)  # before the compiled range (Tết 2024 took a week of February): refused alike
def test_cached_calendar_answers_like_the_compiled_one(
    pair: tuple[WorkingCalendar, WorkingCalendar], day: date, n: int
) -> None:
    cached, compiled = pair
    assert cached.is_working_day(day) is compiled.is_working_day(day)
    assert _added(cached, day, n) == _added(compiled, day, n)
    assert cached.day_kind(day) == compiled.day_kind(day)
    assert cached.describe_day(day) == compiled.describe_day(day)


def test_option_changes_use_their_own_file(cache_dir: Path, builds: list[tuple[object, ...]]) -> None:
    with_day, without = _bundled(True), _bundled(False)
    assert len(builds) == 2
    assert len(_files(cache_dir)) == 2
    assert with_day.is_working_day(date(2026, 11, 24)) is False  # Ngày Văn hóa Việt Nam
    assert without.is_working_day(date(2026, 11, 24)) is True
    _same(_bundled(False), without)
    assert len(builds) == 2


@pytest.mark.parametrize(
    "patch",
    [
        pytest.param(lambda m: m.setattr(wc, "_holidays_version", lambda: "0.999"), id="holidays upgraded"),
        pytest.param(
            lambda m: m.setattr(wc, "file_digest", lambda *p: "another schedule" if len(p) == 1 else "code"),
            id="schedule data or code changed",
        ),
    ],
)
def test_a_data_change_is_a_rebuild(
    cache_dir: Path,
    builds: list[tuple[object, ...]],
    monkeypatch: pytest.MonkeyPatch,
    patch: Callable[[pytest.MonkeyPatch], None],
) -> None:
    _bundled()
    patch(monkeypatch)
    _bundled()
    assert len(builds) == 2
    assert len(_files(cache_dir)) == 2


def test_a_corrupt_file_is_rebuilt_and_replaced(cache_dir: Path, builds: list[tuple[object, ...]]) -> None:
    _bundled()
    (path,) = _files(cache_dir)
    raw = bytearray(path.read_bytes())
    raw[-10] ^= 0xFF  # a day's reason index, the kind of damage that would silently change an answer
    path.write_bytes(bytes(raw))
    rebuilt = _bundled()
    assert len(builds) == 2
    _bundled()
    assert len(builds) == 2  # the rebuilt file is good again
    _same(rebuilt, _compiled())


def test_disabled_cache_always_builds(monkeypatch: pytest.MonkeyPatch, builds: list[tuple[object, ...]]) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    _bundled()
    _bundled()
    assert len(builds) == 2


# -- processes ---------------------------------------------------------------------------------------------------

_CHILD = """
import sys
import tthc
cal = tthc.public_sector_calendar(first_year=2024, last_year=2027)
print(cal.add_working_days(__import__("datetime").date(2026, 2, 12), 3), "holidays" in sys.modules,
      "dateutil" in sys.modules)
"""


def _run(folder: Path, n: int) -> list[str]:
    env = {**os.environ, cache.CACHE_ENV: str(folder)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _CHILD], env=env, stdout=subprocess.PIPE, text=True) for _ in range(n)
    ]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    return outs


def test_two_processes_building_at_once_both_succeed(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    outs = _run(folder, 2)  # both start on an empty cache: both build and rename into place — or, on a loaded
    # machine, the later one already finds the earlier one's file; either way both answer and one whole file is left
    assert sorted(outs)[-1] == "2026-02-24 True True"
    assert set(outs) <= {"2026-02-24 True True", "2026-02-24 False False"}
    files = _files(folder)
    assert len(files) == 1
    assert files[0].suffix == ".npy"
    # a warm start maps the file and imports neither holidays nor dateutil
    assert _run(folder, 1) == ["2026-02-24 False False"]


_WRITER = """
import sys
from datetime import date
from tthc.calendar.cache import CompiledDays, store_days
mask = bytes([1, 1, 1, 1, 1, 0, 0]) * 600
notes = {date(2026, 1, d): "reason " * 50 + str(d) for d in range(1, 29)}
days = CompiledDays(date(2026, 1, 1), mask, notes, {}, {}, 2026, sys.argv[1])
for _ in range(40):
    assert store_days({"k": 1}, days) is not None
"""


def test_readers_never_see_a_partial_file_while_writers_replace_it(cache_dir: Path) -> None:
    env = {**os.environ, cache.CACHE_ENV: str(cache_dir)}
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, name], env=env) for name in ("one", "two")]
    seen: set[str] = set()
    while any(w.poll() is None for w in writers):
        got = load_days({"k": 1})
        if got is not None:  # None only before the first rename
            seen.add(got.description)
            assert len(got.notes_off) == 28
            assert len(got.mask) == 4200
    assert all(w.returncode == 0 for w in writers)
    assert load_days({"k": 1}) is not None
    assert seen <= {"one", "two"}
    assert [p.suffix for p in _files(cache_dir)] == [".npy"]
