"""The Vietnamese names of the holidays.VN days, read when the calendar is compiled and kept with its days.

A warm process (the compiled days mapped from the disk cache) words a Vietnamese trace over Tết without importing
``holidays``; the names are the ones ``holidays`` gives in Vietnamese; they survive the cache, overlays and a
schedule of one's own; a day whose reason a user replaced loses its holiday name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc.calendar.working_calendar as wc
from tthc.calendar import cache as disk
from tthc.calendar.cache import CompiledDays, load_days, store_days
from tthc.calendar.notes import HOLIDAYS_SWAP, day_note
from tthc.calendar.schedule import load_schedule
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar

CAL = public_sector_calendar()
NO_CULTURE_DAY = public_sector_calendar(culture_day=False)
D = date.fromisoformat
_CULTURE_SUFFIX = " (Ngày Văn hóa Việt Nam, Nghị quyết 80-NQ/TW) [open]"


@cache
def _holidays_vn(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language=language).items())


# -- a warm start never imports holidays ------------------------------------------------------------------------

_CHILD = """
import sys
from datetime import datetime
from tthc.deadlines import compute_due
text = compute_due(datetime(2027, 2, 3, 9), "5 ngày làm việc").explain(lang="vi")
print("holidays" in sys.modules, "Mùng hai Tết Nguyên Đán" in text, "29 Tết" in text)
"""


def test_a_warm_vietnamese_trace_over_tet_does_not_import_holidays(tmp_path: Path) -> None:
    env = {**os.environ, disk.CACHE_ENV: str(tmp_path / "cache"), "TTHC_LANG": "vi"}

    def child() -> str:
        done = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert child() == "True True True"  # cold: compiles the calendar (importing holidays) and stores its days
    assert child() == "False True True"  # warm: the same Vietnamese names, holidays never imported


# -- the names are holidays' own ---------------------------------------------------------------------------------


def _holiday_name(note: str) -> str:
    """The holidays.VN name in a calendar note (without the suffixes the calendar adds)."""
    return note.removesuffix(HOLIDAYS_SWAP).removesuffix(_CULTURE_SUFFIX)


@settings(max_examples=40, deadline=None)
@given(year=st.integers(2000, 2100), cal=st.sampled_from([CAL, NO_CULTURE_DAY]))
def test_names_are_those_holidays_gives_in_vietnamese(year: int, cal: WorkingCalendar) -> None:
    en, vi = _holidays_vn(year, "en_US"), _holidays_vn(year, "vi")
    named = {d: n for d, n in cal.holiday_names_vi.items() if d.year == year}
    # exactly the days off whose reason is holidays.VN's English name (as day_note used to check), with its Vietnamese
    expected = {
        d: vi[d]
        for d, note in cal.days_off(D(f"{year}-01-01"), D(f"{year}-12-31"), lang="en")
        if en.get(d) == _holiday_name(note) and d in vi
    }
    assert named == expected


@settings(max_examples=40, deadline=None)
@given(year=st.integers(2000, 2100))
def test_vietnamese_reasons_word_every_holiday_and_nothing_else(year: int) -> None:
    first, last = D(f"{year}-01-01"), D(f"{year}-12-31")
    en = dict(CAL.days_off(first, last, lang="en"))
    for d, worded in CAL.days_off(first, last, lang="vi"):
        if d in CAL.holiday_names_vi:
            assert worded.startswith(_holidays_vn(year, "vi")[d])
            # the swap mark is worded in the language asked
            assert worded.endswith(" [hoán đổi theo gói holidays.VN]") == en[d].endswith(HOLIDAYS_SWAP)
        else:
            assert worded == day_note(d, en[d], "vi")  # worded without the holiday names: not a holidays.VN day


def test_the_suffixes_are_worded() -> None:
    assert CAL.describe_day(D("2027-02-04"), lang="vi") == "ngày nghỉ (29 Tết)"
    assert (
        CAL.describe_day(D("2026-11-24"), lang="vi") == "ngày nghỉ (Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW) [open])"
    )
    assert dict(CAL.days_off(D("2015-02-16"), D("2015-02-16"), lang="vi")) == {
        D("2015-02-16"): "Ngày nghỉ (thay cho ngày 14/02/2015) [hoán đổi theo gói holidays.VN]"
    }


def test_day_note_without_names_keeps_the_note_as_written() -> None:
    note = "29 of Lunar New Year"
    assert day_note(D("2027-02-04"), note, "vi") == note
    assert day_note(D("2027-02-04"), note, "vi", {}) == note
    assert day_note(D("2027-02-04"), note, "vi", {D("2027-02-04"): "29 Tết"}) == "29 Tết"
    assert day_note(D("2027-02-04"), note, "en", {D("2027-02-04"): "29 Tết"}) == note


def test_only_days_off_have_names() -> None:
    assert CAL.holiday_names_vi
    in_range = [d for d in CAL.holiday_names_vi if CAL.first <= d <= CAL.last]  # notes reach a year either side
    assert all(not CAL.is_working_day(d) and CAL.day_kind(d) == "day_off" for d in in_range)
    # a schedule occasion's day is worded from the schedule, not from holidays (Tết 2026 is listed)
    assert D("2026-02-17") not in CAL.holiday_names_vi
    assert D("2027-02-08") in CAL.holiday_names_vi  # 2027 is projected: holidays.VN's own days


# -- the names travel with the days -----------------------------------------------------------------------------


def test_the_cache_round_trips_the_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(disk.CACHE_ENV, str(tmp_path))
    days = CompiledDays(
        first=D("2027-02-01"),
        mask=bytes([1, 1, 1, 0, 0, 0, 0]),
        notes_off={D("2027-02-04"): "29 of Lunar New Year", D("2027-02-05"): "closure"},
        notes_work={},
        off_kinds={},
        last_announced_year=2026,
        description="names",
        names_vi={D("2027-02-04"): "29 Tết"},
    )
    assert store_days({"k": "names"}, days) is not None
    got = load_days({"k": "names"})
    assert got is not None
    assert got.names_vi == {D("2027-02-04"): "29 Tết"}
    assert got.notes_off == days.notes_off
    # a name for a day that is not off would be a calendar that contradicts itself: never written
    bad = CompiledDays(days.first, days.mask, days.notes_off, {}, {}, 2026, "bad", {D("2027-02-01"): "x"})
    assert store_days({"k": "bad"}, bad) is None
    assert load_days({"k": "bad"}) is None


def test_a_file_of_the_previous_format_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(disk.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(disk, "_FORMAT", 1)
    days = CompiledDays(D("2027-02-01"), bytes([1, 1, 1]), {}, {}, {}, 2026, "old")
    assert store_days({"k": 1}, days) is not None
    monkeypatch.undo()
    monkeypatch.setenv(disk.CACHE_ENV, str(tmp_path))
    assert disk._FORMAT >= 2
    assert load_days({"k": 1}) is None  # the names were not in format 1: its files are rebuilt


def test_the_cached_calendar_has_the_compiled_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(disk.CACHE_ENV, str(tmp_path))
    compiled = wc._cached_calendar.__wrapped__(True, "1111100", 2026, 2028)  # miss: builds and stores
    mapped = wc._cached_calendar.__wrapped__(True, "1111100", 2026, 2028)  # hit
    assert mapped.holiday_names_vi == compiled.holiday_names_vi
    in_range = {d: n for d, n in mapped.holiday_names_vi.items() if 2026 <= d.year <= 2028}
    assert in_range == {d: n for d, n in CAL.holiday_names_vi.items() if 2026 <= d.year <= 2028}
    assert mapped.describe_day(D("2027-02-07"), lang="vi") == "ngày nghỉ (Mùng hai Tết Nguyên Đán)"


def test_an_overlay_keeps_the_names_of_the_days_it_leaves_alone() -> None:
    cal = CAL.with_overlay(
        extra_days_off={D("2027-02-08"): "đóng cửa trụ sở"},  # a Tết day whose reason the user replaced
        extra_working_days={D("2027-02-10"): "trực Tết"},
    )
    assert cal.describe_day(D("2027-02-07"), lang="vi") == "ngày nghỉ (Mùng hai Tết Nguyên Đán)"
    assert cal.describe_day(D("2027-02-08"), lang="vi") == "ngày nghỉ (đóng cửa trụ sở)"
    assert cal.describe_day(D("2027-02-10"), lang="vi") == "ngày làm việc (trực Tết)"
    assert set(CAL.holiday_names_vi) - set(cal.holiday_names_vi) == {D("2027-02-08"), D("2027-02-10")}
    # the overlay of an overlay, and new office hours only, keep them too
    again = cal.with_overlay(extra_days_off=[D("2027-03-01")])
    assert again.holiday_names_vi == cal.holiday_names_vi


def test_a_schedule_of_ones_own_has_the_names() -> None:
    own = public_sector_calendar(schedule=load_schedule(None), first_year=2026, last_year=2027)
    in_range = {d: n for d, n in own.holiday_names_vi.items() if d.year in (2026, 2027)}
    assert in_range == {d: n for d, n in CAL.holiday_names_vi.items() if d.year in (2026, 2027)}
    assert own.describe_day(D("2027-02-04"), lang="vi") == "ngày nghỉ (29 Tết)"


def test_a_calendar_compiled_by_hand_takes_names_for_its_days_off_only() -> None:
    first = D("2027-02-01")
    cal = WorkingCalendar.compile(
        first=first,
        last=first + timedelta(days=30),
        days_off={D("2027-02-04"): "29 of Lunar New Year", D("2027-02-05"): "Lunar New Year's Eve"},
        working_days={D("2027-02-05"): "on duty"},
        names_vi={D("2027-02-04"): "29 Tết", D("2027-02-05"): "Giao thừa", D("2027-02-09"): "x"},
    )
    assert cal.holiday_names_vi == {D("2027-02-04"): "29 Tết"}
    assert cal.describe_day(D("2027-02-04"), lang="vi") == "ngày nghỉ (29 Tết)"
    assert cal.describe_day(D("2027-02-05"), lang="vi") == "ngày làm việc (on duty)"
    plain = WorkingCalendar.compile(first=first, last=first, days_off={first: "29 of Lunar New Year"}, working_days={})
    assert plain.holiday_names_vi == {}
    assert plain.describe_day(first, lang="vi") == "ngày nghỉ (29 of Lunar New Year)"


def test_the_occasion_wording_read_as_written_is_the_validated_schedules() -> None:
    """The Vietnamese wording of the bundled occasions is read without the schedule's pydantic models (a trace through
    a listed occasion imports no pydantic): it must be what the validated file says, occasion by occasion."""
    from tthc.calendar import notes

    occasions = load_schedule(None).occasions
    assert len(occasions) >= 10
    assert any(o.reference.document_vi for o in occasions)  # a described document, worded in Vietnamese
    assert notes._occasions_vi() == {o.describe(): o.describe_vi() for o in occasions}
