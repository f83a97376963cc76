"""Building the public-sector calendar, inside each test: every option of ``public_sector_calendar`` with a schedule
given (so the calendar is compiled by the test, never taken from the cache of an earlier call), compared day by day
with the default calendar and with the facts of the schedule; and every argument check of ``WorkingCalendar.compile``
with its exact message (issue 11, item 14: mutation testing runs each mutant on calendars compiled under it)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis.vendor.pretty import pretty

import tthc
from tthc.calendar import schedule as schedule_module
from tthc.calendar import working_calendar as wc
from tthc.calendar.schedule import load_schedule
from tthc.calendar.working_calendar import OfficeHours, WorkingCalendar, public_sector_calendar
from tthc.foundation import references as references_module
from tthc.foundation.data_files import bundled_path

D = date.fromisoformat
CAL = public_sector_calendar()
SCHEDULE = load_schedule(None)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _same_days(cal: WorkingCalendar, other: WorkingCalendar, first: date, last: date) -> None:
    """Day by day: working or not, the kind, the words, the schedule's kind and reason."""
    assert [cal.is_working_day(d) for d in _days(first, last)] == [other.is_working_day(d) for d in _days(first, last)]
    assert [cal.day_kind(d) for d in _days(first, last)] == [other.day_kind(d) for d in _days(first, last)]
    for lang in ("en", "vi"):
        assert [cal.describe_day(d, lang=lang) for d in _days(first, last)] == [
            other.describe_day(d, lang=lang) for d in _days(first, last)
        ]
        assert list(cal.days_off(first, last, lang=lang)) == list(other.days_off(first, last, lang=lang))
    assert cal.make_up_days(first, last) == other.make_up_days(first, last)
    assert [(s.day, s.kind, s.reason) for s in cal.schedule(first, last)] == [
        (s.day, s.kind, s.reason) for s in other.schedule(first, last)
    ]


@pytest.mark.parametrize(("first_year", "last_year"), [(2000, 2001), (2014, 2016), (2019, 2021), (2025, 2027)])
def test_a_calendar_built_from_the_bundled_schedule_is_the_default_one(first_year: int, last_year: int) -> None:
    cal = public_sector_calendar(schedule=SCHEDULE, first_year=first_year, last_year=last_year)
    first, last = D(f"{first_year}-01-01"), D(f"{last_year}-12-31")
    assert (cal.first, cal.last, cal.weekmask) == (first, last, "1111100")
    assert (cal.last_announced_year, cal.description) == (CAL.last_announced_year, CAL.description)
    _same_days(cal, CAL, first, last)
    assert cal.is_projected(D(f"{last_year}-12-31")) == CAL.is_projected(D(f"{last_year}-12-31"))


def test_the_facts_of_a_built_calendar() -> None:
    cal = public_sector_calendar(schedule=SCHEDULE, first_year=2025, last_year=2027)
    # a listed occasion: Tết Dương lịch 2026 (12729/VPCP-KGVX), Fri 2 Jan off, Sat 10 Jan worked
    assert cal.day_kind(D("2026-01-02")) == "day_off"
    assert [s.kind for s in cal.schedule(D("2026-01-01"), D("2026-01-02"))] == ["holiday", "swap"]
    assert cal.day_kind(D("2026-01-10")) == "make_up"
    assert cal.make_up_days(D("2026-01-01"), D("2026-01-31")) == [D("2026-01-10")]
    # statutory days, the culture day (24 Nov, from 2026) and a projected year
    assert not cal.is_working_day(D("2025-09-02"))
    assert [s.kind for s in cal.schedule(D("2026-11-23"), D("2026-11-24"))] == ["working", "holiday"]
    assert cal.is_working_day(D("2025-11-24"))  # a Monday before the culture day existed
    assert cal.is_projected(D("2027-01-01"))
    assert not cal.is_projected(D("2026-12-31"))
    assert cal.make_up_days(D("2027-01-01"), D("2027-12-31")) == []


def test_without_the_culture_day_only_24_november_changes() -> None:
    cal = public_sector_calendar(schedule=SCHEDULE, culture_day=False, first_year=2026, last_year=2027)
    assert cal.description == CAL.description + ", without 24 Nov"
    assert cal.is_working_day(D("2026-11-24"))
    assert cal.day_kind(D("2026-11-24")) == "working"
    changed = [d for d in _days(D("2026-01-01"), D("2027-12-31")) if cal.is_working_day(d) != CAL.is_working_day(d)]
    assert changed == [D("2026-11-24"), D("2027-11-24")]


def test_a_six_day_week_opens_every_saturday_but_the_days_off() -> None:
    cal = public_sector_calendar(schedule=SCHEDULE, weekmask="1111110", first_year=2026, last_year=2026)
    assert cal.weekmask == "1111110"
    assert cal.is_working_day(D("2026-01-17"))  # a Saturday
    assert not cal.is_working_day(D("2026-01-18"))  # a Sunday
    assert not cal.is_working_day(D("2026-01-01"))  # a holiday
    # Tết 2026: the announced break holds whatever the week
    assert all(not cal.is_working_day(d) for d in _days(D("2026-02-14"), D("2026-02-22")) if d.weekday() != 6)


@pytest.mark.parametrize(("first_year", "last_year"), [(2000, 2000), (2100, 2100), (2099, 2100)])
def test_the_year_bounds_are_inclusive(first_year: int, last_year: int) -> None:
    cal = public_sector_calendar(schedule=SCHEDULE, first_year=first_year, last_year=last_year)
    assert (cal.first, cal.last) == (date(first_year, 1, 1), date(last_year, 12, 31))
    assert not cal.is_working_day(date(first_year, 1, 1))  # New Year's Day
    assert not cal.is_working_day(date(last_year, 9, 2))  # National Day


@pytest.mark.parametrize(
    ("first_year", "last_year"),
    [(1999, 2001), (2031, 2030), (2100, 2101), ("2020", 2021), (2020.0, 2021), (2020, "2021"), (2020, 2021.0)],
)
def test_the_year_bounds_are_checked_before_building(first_year: object, last_year: object) -> None:
    # after 2100 holidays.VN knows no holiday: such a year used to be compiled as weekends only, without a word;
    # a year that is not an int used to raise TypeError
    with pytest.raises(tthc.InvalidValueError) as info:
        public_sector_calendar(schedule=SCHEDULE, first_year=first_year, last_year=last_year)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == (
        "first_year/last_year",
        "2000 <= first_year <= last_year <= 2100",
        (first_year, last_year),
    )


def test_the_schedule_argument_is_checked() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        public_sector_calendar(schedule=3)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == (
        "schedule",
        "a schedule file path or a loaded ScheduleFile, or None",
        3,
    )


# -- WorkingCalendar.compile ------------------------------------------------------------------------------------------


def _compile(**kw: object) -> WorkingCalendar:
    args: dict[str, object] = {"first": D("2030-01-01"), "last": D("2030-01-31"), "days_off": {}, "working_days": {}}
    args.update(kw)
    return WorkingCalendar.compile(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["first", "last"])
@pytest.mark.parametrize("value", [datetime(2030, 1, 1), "2030-01-01", None])
def test_the_range_ends_must_be_dates(field: str, value: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        _compile(**{field: value})
    assert (info.value.field, info.value.expected, info.value.given) == (field, "a datetime.date", value)


@pytest.mark.parametrize("field", ["days_off", "working_days"])
@pytest.mark.parametrize(
    ("value", "given"),
    [([D("2030-01-02")], "list"), ({"2030-01-02": "x"}, "dict"), ({D("2030-01-02"): "x", 3: "y"}, "dict")],
)
def test_the_day_maps_must_map_dates(field: str, value: object, given: str) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        _compile(**{field: value})
    assert (info.value.field, info.value.expected, info.value.given) == (
        field,
        "a mapping of datetime.date to a reason",
        given,
    )


@pytest.mark.parametrize("weekmask", [1111100, ["1"] * 7])
def test_the_weekmask_must_be_text(weekmask: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        _compile(weekmask=weekmask)
    assert info.value.field == "weekmask"
    assert info.value.given == weekmask


def test_a_range_of_one_day_and_days_outside_the_range() -> None:
    one = _compile(
        last=D("2030-01-01"),
        days_off={D("2029-12-31"): "before", D("2030-01-02"): "after"},
        working_days={D("2029-12-30"): "before", D("2030-01-05"): "after"},
    )
    assert (one.first, one.last) == (D("2030-01-01"), D("2030-01-01"))
    assert one.is_working_day(D("2030-01-01"))
    # days off at both ends of the range are applied
    ends = _compile(days_off={D("2030-01-01"): "first", D("2030-01-31"): "last"})
    assert not ends.is_working_day(D("2030-01-01"))
    assert not ends.is_working_day(D("2030-01-31"))
    assert ends.describe_day(D("2030-01-31"), lang="en") == "a day off (last)"
    opened = _compile(working_days={D("2030-01-05"): "a Saturday"})
    assert opened.is_working_day(D("2030-01-05"))


def test_off_kinds_keep_only_days_that_are_off() -> None:
    cal = _compile(
        days_off={D("2030-01-02"): "holiday", D("2030-01-03"): "swap", D("2030-01-04"): "overruled"},
        working_days={D("2030-01-04"): "worked", D("2030-01-05"): "make-up"},
        off_kinds={
            D("2030-01-02"): "holiday",
            D("2030-01-03"): "swap",
            D("2030-01-04"): "swap",
            D("2030-01-06"): "swap",
        },
    )
    kinds = {s.day: s.kind for s in cal.schedule(D("2030-01-01"), D("2030-01-07"))}
    assert kinds == {
        D("2030-01-01"): "working",
        D("2030-01-02"): "holiday",
        D("2030-01-03"): "swap",
        D("2030-01-04"): "working",  # the working day wins, and its kind is dropped
        D("2030-01-05"): "make_up",
        D("2030-01-06"): "weekend",  # a kind without a day off is dropped
        D("2030-01-07"): "working",
    }


# -- a schedule of one's own ----------------------------------------------------------------------------------------


def _schedule(tmp_path: Path, last_year: int, occasions: list[dict[str, object]]) -> Path:
    raw = {
        "years": [{"year": y, "status": "announced"} for y in range(2014, last_year + 1)],
        "occasions": occasions,
    }
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_holidays_vn_swaps_hold_up_to_and_in_the_last_announced_year(tmp_path: Path) -> None:
    # announced up to 2015 and no occasion listed: holidays.VN's own swaps of 2015 are the schedule
    cal = public_sector_calendar(schedule=_schedule(tmp_path, 2015, []), first_year=2014, last_year=2016)
    assert cal.last_announced_year == 2015
    swaps = {s.day: (s.kind, s.reason) for s in cal.schedule(D("2015-01-02"), D("2015-02-16")) if s.kind == "swap"}
    assert swaps == {
        D("2015-01-02"): ("swap", "Day off (substituted from 12/27/2014) [holidays.VN swap]"),
        D("2015-02-16"): ("swap", "Day off (substituted from 02/14/2015) [holidays.VN swap]"),
    }
    assert cal.make_up_days(D("2014-12-01"), D("2015-02-28")) == [D("2014-12-27"), D("2015-02-14")]
    assert cal.describe_day(D("2015-02-16"), lang="vi") != cal.describe_day(D("2015-02-16"), lang="en")
    # a year later is projected: statutory days only, no swap
    assert [s.kind for s in cal.schedule(D("2016-01-01"), D("2016-12-31")) if s.kind in ("swap", "make_up")] == []


def test_an_occasion_day_off_closes_a_holidays_vn_make_up_day(tmp_path: Path) -> None:
    # the letter closes Sat 27 Dec 2014, the day holidays.VN has worked for its 2 Jan 2015 swap (6 days away: not
    # the same occasion, so the swap itself stays)
    closure = {
        "year": 2014,
        "occasion": "closure",
        "days_off": [{"start": "2014-12-27", "end": "2014-12-27"}],
        "swapped_weekday_off": None,
        "make_up_working_days": [],
        "reference": {"document": "test letter", "tag": "example"},
    }
    cal = public_sector_calendar(schedule=_schedule(tmp_path, 2015, [closure]), first_year=2014, last_year=2015)
    assert not cal.is_working_day(D("2014-12-27"))
    assert cal.describe_day(D("2014-12-27"), lang="en") == "a day off (closure 2014 (test letter [example]))"
    assert not cal.is_working_day(D("2015-01-02"))  # the swap's day off stays


# -- the key of the on-disk cache -------------------------------------------------------------------------------------


def test_the_disk_key_holds_the_installed_holidays_version() -> None:
    assert wc._holidays_version() == metadata.version("holidays")
    assert wc._disk_key(True, "1111100", 2000, 2100)["holidays"] == metadata.version("holidays")


@pytest.mark.parametrize("module", [wc, schedule_module, references_module], ids=lambda m: m.__name__)
def test_the_disk_key_changes_with_each_module_that_compiles_the_days(
    module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = wc._disk_key(True, "1111100", 2000, 2100)
    changed = tmp_path / "changed.py"
    changed.write_text(Path(str(module.__file__)).read_text("utf-8") + "\n# changed\n", encoding="utf-8")
    if module is schedule_module:  # named by its path: the calendar does not import it to read the cached days
        assert Path(str(module.__file__)) == wc._SCHEDULE_MODULE
        monkeypatch.setattr(wc, "_SCHEDULE_MODULE", changed)
    else:
        monkeypatch.setattr(module, "__file__", str(changed))
    assert wc._disk_key(True, "1111100", 2000, 2100) != before


def test_the_disk_key_changes_with_the_schedule_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = wc._disk_key(True, "1111100", 2000, 2100)
    changed = tmp_path / "public_sector_schedule.json"
    changed.write_text(bundled_path("public_sector_schedule.json").read_text("utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(
        wc, "bundled_path", lambda name: changed if name == "public_sector_schedule.json" else bundled_path(name)
    )
    assert wc._disk_key(True, "1111100", 2000, 2100) != before


@pytest.mark.parametrize(
    "options", [(False, "1111100", 2000, 2100), (True, "1111110", 2000, 2100), (True, "1111100", 2001, 2100),
                (True, "1111100", 2000, 2099)],
)  # fmt: skip
def test_the_disk_key_changes_with_each_option(options: tuple[bool, str, int, int]) -> None:
    assert wc._disk_key(*options) != wc._disk_key(True, "1111100", 2000, 2100)


# -- listing days: the ends of a listing are named in its errors --------------------------------------------------


@pytest.mark.parametrize("listing", ["days_off", "make_up_days"])
def test_a_listing_names_the_end_outside_the_range(listing: str) -> None:
    cal = _compile()
    method = getattr(cal, listing)
    inside, before, after = D("2030-01-15"), D("2029-12-31"), D("2030-02-01")
    with pytest.raises(tthc.CalendarRangeError) as info:
        list(method(before, inside))
    assert str(info.value) == "start: expected a date in 2030-01-01..2030-01-31 (the compiled range), got 2029-12-31"
    with pytest.raises(tthc.CalendarRangeError) as info:
        list(method(inside, after))
    assert str(info.value) == "end: expected a date in 2030-01-01..2030-01-31 (the compiled range), got 2030-02-01"


def test_pretty_printers_print_the_repr_not_the_tables() -> None:
    cal = _compile(description="pretty")
    assert (
        pretty(cal)
        == repr(cal)
        == ("<working calendar pretty: 2030-01-01..2030-01-31, weekmask 1111100, all projected>")
    )


def test_compile_keeps_the_office_hours_it_is_given() -> None:
    hours = OfficeHours.of(("07:00", "11:00"), ("13:30", "17:30"))
    cal = _compile(office_hours=hours)
    assert cal.office_hours == hours
    # 2 Jan 2030 is a Wednesday: opened at 07:00, not at the default 07:30
    assert cal.is_open_at(datetime(2030, 1, 2, 7, 10))
    assert not _compile().is_open_at(datetime(2030, 1, 2, 7, 10))


def test_a_working_day_with_a_note_words_the_note_in_the_language_asked() -> None:
    # a six-day week: holidays.VN's make-up Saturday of Tết 2015 is a working day by the week itself, with its note
    six = public_sector_calendar(schedule=SCHEDULE, weekmask="1111110", first_year=2015, last_year=2015)
    day = D("2015-02-14")
    assert six.day_kind(day) == "working"
    assert six.describe_day(day, lang="en") == "a working day (make-up working day for 2015-02-16 [holidays.VN swap])"
    vi = "ngày làm việc (ngày làm bù cho ngày 16/02/2015 [hoán đổi theo gói holidays.VN])"
    assert six.describe_day(day, lang="vi") == vi


def test_overlay_days_given_without_reasons_are_named_as_overlays() -> None:
    cal = public_sector_calendar(extra_working_days=[D("2026-11-28")], extra_days_off=[D("2026-11-25")])
    assert cal.describe_day(D("2026-11-28"), lang="en") == "a make-up working day (extra working day (overlay))"
    assert cal.describe_day(D("2026-11-25"), lang="en") == "a day off (extra day off (overlay))"
