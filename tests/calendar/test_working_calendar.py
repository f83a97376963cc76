"""The public-sector working calendar: schedule rows of domain.md §3, holidays.VN agreement, overlays, tables."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.schedule import load_schedule
from tthc.calendar.working_calendar import OfficeHours, WorkingCalendar, public_sector_calendar
from tthc.errors import CalendarRangeError, ConflictError, DataFileError, InvalidValueError
from tthc.foundation.data_files import bundled_path

CAL = public_sector_calendar()
D = date.fromisoformat

# domain.md §3 table: (days off inclusive, swapped weekday, make-up Saturday)
SCHEDULE_ROWS = [
    ("2024-04-27", "2024-05-01", "2024-04-29", "2024-05-04"),
    ("2025-01-25", "2025-02-02", None, None),
    ("2025-04-07", "2025-04-07", None, None),
    ("2025-04-30", "2025-05-04", "2025-05-02", "2025-04-26"),
    ("2025-08-30", "2025-09-02", None, None),
    ("2026-01-01", "2026-01-04", "2026-01-02", "2026-01-10"),
    ("2026-02-14", "2026-02-22", None, None),
    ("2026-04-26", "2026-04-27", None, None),
    ("2026-04-30", "2026-05-03", None, None),
    ("2026-08-29", "2026-09-02", "2026-08-31", "2026-08-22"),
]


@pytest.mark.parametrize(("first", "last", "swapped", "make_up"), SCHEDULE_ROWS)
def test_domain_schedule_rows(first: str, last: str, swapped: str | None, make_up: str | None) -> None:
    """Every row of the domain.md §3 public-sector schedule table (VPCP letters 2450/VPCP-KGVX 2024,
    8726/VPCP-KGVX 2025, 12729/VPCP-KGVX 2026): days off are off, the make-up Saturday is worked, and the working
    days around the span are working days."""
    d = D(first)
    while d <= D(last):
        assert not CAL.is_working_day(d), d
        d += timedelta(days=1)
    if swapped:
        assert not CAL.is_working_day(D(swapped))
        assert D(swapped).weekday() < 5
    if make_up:
        assert CAL.is_working_day(D(make_up))
        assert D(make_up).weekday() == 5
        assert CAL.day_kind(D(make_up)) == "make_up"
    assert CAL.is_working_day(CAL.next_working_day(D(last)))


def test_new_year_2026_swap_missing_from_holidays_is_right() -> None:
    """12729/VPCP-KGVX (25 Dec 2025): Fri 2 Jan 2026 off, Sat 10 Jan 2026 worked — the known holidays 0.109 gap."""
    assert not CAL.is_working_day(D("2026-01-02"))
    assert CAL.is_working_day(D("2026-01-10"))
    vn = holidays.country_holidays("VN", years=2026)
    assert D("2026-01-02") not in vn  # the gap this data file fills
    assert "12729/VPCP-KGVX" in CAL.describe_day(D("2026-01-10"))
    # Wed 31 Dec 2025 + 1 working day = Mon 5 Jan 2026; Fri 9 Jan + 1 = Sat 10 Jan
    assert CAL.add_working_days(D("2025-12-31"), 1) == D("2026-01-05")
    assert CAL.add_working_days(D("2026-01-09"), 1) == D("2026-01-10")


def test_make_up_saturday_2026_national_day() -> None:
    """Sat 22 Aug 2026 is a make-up working day for Mon 31 Aug 2026 (National Day 2026)."""
    assert CAL.add_working_days(D("2026-08-21"), 1) == D("2026-08-22")
    assert CAL.add_working_days(D("2026-08-28"), 1) == D("2026-09-03")


def test_culture_day_is_on_by_default_and_switchable() -> None:
    """Ngày Văn hóa Việt Nam (24 Nov, Nghị quyết 80-NQ/TW; [open]) is off by default, as holidays ≥ 0.108 has it."""
    assert not CAL.is_working_day(D("2026-11-24"))
    assert "[open]" in CAL.describe_day(D("2026-11-24"))
    without = public_sector_calendar(culture_day=False)
    assert without.is_working_day(D("2026-11-24"))
    assert not without.is_working_day(D("2026-09-02"))


def test_agreement_with_real_schedule(real_data: Path) -> None:
    """Every day off in the real public_sector_schedule.json is a non-working day, every make-up day a working day."""
    raw = json.loads((real_data / "public_sector_schedule.json").read_text(encoding="utf-8"))
    checked = 0
    for entry in raw["entries"]:
        start, end = D(entry["days_off"][0]), D(entry["days_off"][-1])
        d = start
        while d <= end:
            assert not CAL.is_working_day(d), (entry["event"], d)
            d += timedelta(days=1)
            checked += 1
        for m in entry["make_up_working_days"]:
            assert CAL.is_working_day(D(m)), (entry["event"], m)
            checked += 1
        if entry.get("swapped_weekday_off"):
            assert not CAL.is_working_day(D(entry["swapped_weekday_off"]))
    assert checked > 40


def test_statutory_holidays_agree_with_holidays_vn() -> None:
    """Labour Code 2019 Điều 112 / 111.3: every statutory or compensatory day holidays.VN lists (not a swap) is a
    non-working day 2000–2100."""
    vn = holidays.country_holidays("VN", years=range(2000, 2101), language="en_US")
    statutory = [d for d, name in vn.items() if not name.startswith("Day off (substituted")]
    assert len(statutory) > 1000
    assert all(not CAL.is_working_day(d) for d in statutory)


def test_projected_years() -> None:
    """Years after the last announced schedule (2026 in the bundled data) are projected."""
    assert not CAL.is_projected(D("2026-12-31"))
    assert CAL.is_projected(D("2027-01-01"))
    assert CAL.last_announced_year == 2026
    # projected years have statutory days but no swaps: Tết 2027 days off from holidays.VN
    assert not CAL.is_working_day(D("2027-02-08"))


def test_weekends_and_plain_days() -> None:
    assert CAL.is_working_day(D("2026-11-23"))
    assert not CAL.is_working_day(D("2026-11-22"))
    assert CAL.day_kind(D("2026-11-22")) == "weekend"
    assert CAL.describe_day(D("2026-11-23")) == "a working day"


def test_add_working_days_zero_and_negative() -> None:
    """n = 0 returns the date unchanged (even a non-working day); negative n counts backwards."""
    assert CAL.add_working_days(D("2026-11-22"), 0) == D("2026-11-22")
    assert CAL.roll_forward(D("2026-11-22")) == D("2026-11-23")
    assert CAL.add_working_days(D("2026-11-23"), -1) == D("2026-11-20")
    assert CAL.add_working_days(D("2026-11-22"), -1) == D("2026-11-20")
    assert CAL.add_working_days(D("2026-01-12"), -1) == D("2026-01-10")


def test_range_errors() -> None:
    with pytest.raises(CalendarRangeError, match="compiled range"):
        CAL.is_working_day(D("1999-12-31"))
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(D("2100-12-30"), 5)
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days_many(np.array(["2101-01-01"], dtype="datetime64[D]"), np.array([1]))
    with pytest.raises(InvalidValueError, match=r"datetime\.date"):
        CAL.is_working_day("2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="first_year"):
        public_sector_calendar(first_year=1990)


def test_overlays() -> None:
    """Provincial closure and extra working day overlays; a day in both raises ConflictError."""
    cal = public_sector_calendar(
        extra_days_off={D("2026-11-25"): "provincial closure (storm)"}, extra_working_days=[D("2026-11-28")]
    )
    assert not cal.is_working_day(D("2026-11-25"))
    assert "storm" in cal.describe_day(D("2026-11-25"))
    assert cal.is_working_day(D("2026-11-28"))
    assert CAL.is_working_day(D("2026-11-25"))  # the default is untouched
    with pytest.raises(ConflictError, match="both"):
        public_sector_calendar(extra_days_off=[D("2026-11-25")], extra_working_days=[D("2026-11-25")])


def test_weekmask_and_office_hours() -> None:
    six = public_sector_calendar(weekmask="1111110")
    assert six.is_working_day(D("2026-11-21"))
    with pytest.raises(InvalidValueError, match="weekmask"):
        public_sector_calendar(weekmask="11111")
    hours = OfficeHours.of(("07:00", "11:00"), ("13:30", "17:30"), saturday_reception=[("07:30", "11:30")])
    cal = public_sector_calendar(office_hours=hours)
    assert cal.office_hours.seconds_per_day == 8 * 3600
    assert "Saturday reception" in repr(cal.office_hours)
    with pytest.raises(InvalidValueError, match="sessions"):
        OfficeHours.of(("13:00", "11:00"))


def test_schedule_conflict_and_bad_file(tmp_path: Path) -> None:
    """A schedule file listing a day both off and make-up raises ConflictError; a bad file DataFileError."""
    bad = {
        "years": [{"year": 2030, "status": "announced"}],
        "occasions": [
            {
                "year": 2030,
                "occasion": "x",
                "days_off": [{"start": "2030-01-01", "end": "2030-01-05"}],
                "make_up_working_days": ["2030-01-05"],
                "reference": {"document": "test", "tag": "example"},
            }
        ],
    }
    p = tmp_path / "s.json"
    p.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ConflictError, match="2030-01-05"):
        load_schedule(p)
    p.write_text(json.dumps({"years": "x"}), encoding="utf-8")
    with pytest.raises(DataFileError, match="years"):
        load_schedule(p)


def test_user_schedule_extends_announced_years(tmp_path: Path) -> None:
    """A user schedule announcing 2027 with a swap makes 2027 not projected and applies the swap."""
    raw = json.loads(bundled_path("public_sector_schedule.json").read_text("utf-8"))
    raw["years"].append({"year": 2027, "status": "announced"})
    raw["occasions"].append(
        {
            "year": 2027,
            "occasion": "test swap",
            "days_off": [{"start": "2027-01-01", "end": "2027-01-03"}],
            "swapped_weekday_off": None,
            "make_up_working_days": ["2027-01-09"],
            "reference": {"document": "test letter", "tag": "example"},
        }
    )
    p = tmp_path / "s.json"
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    cal = public_sector_calendar(schedule=p)
    assert not cal.is_projected(D("2027-06-01"))
    assert cal.is_working_day(D("2027-01-09"))


def test_compiled_size_is_small() -> None:
    assert CAL.nbytes < 5_000_000
    assert "projected after 2026" in repr(CAL)


dates = st.dates(min_value=D("2000-01-01"), max_value=D("2098-12-31"))


@settings(max_examples=300)
@given(dates, st.integers(min_value=0, max_value=400))
def test_between_inverts_add(d: date, n: int) -> None:
    """working_days_between(d, add_working_days(d, n)) == n, and the answer is a working day when n > 0."""
    e = CAL.add_working_days(d, n)
    assert CAL.working_days_between(d, e) == n
    if n > 0:
        assert CAL.is_working_day(e)
        assert e > d


@settings(max_examples=200)
@given(dates, st.integers(min_value=1, max_value=30))
def test_add_matches_naive_walk(d: date, n: int) -> None:
    """The O(1) table lookup equals a day-by-day walk."""
    e, k = d, 0
    while k < n:
        e += timedelta(days=1)
        k += CAL.is_working_day(e)
    assert CAL.add_working_days(d, n) == e


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(st.dates(min_value=D("2001-01-01"), max_value=D("2098-12-31")), st.integers(-20, 300)),
        min_size=1,
        max_size=50,
    )
)
def test_batch_equals_scalar(rows: list[tuple[date, int]]) -> None:
    """add_working_days_many equals the scalar path element-wise (including n <= 0)."""
    ds = np.array([d for d, _ in rows], dtype="datetime64[D]")
    ns = np.array([n for _, n in rows])
    out = CAL.add_working_days_many(ds, ns)
    assert [x.astype(object) for x in out] == [CAL.add_working_days(d, n) for d, n in rows]
    assert list(CAL.is_working_day_many(ds)) == [CAL.is_working_day(d) for d, _ in rows]


def test_batch_nat_passes_through() -> None:
    out = CAL.add_working_days_many(np.array(["2026-01-09", "NaT"], dtype="datetime64[D]"), 1)
    assert out[0] == np.datetime64("2026-01-10")
    assert np.isnat(out[1])


def test_compile_custom_calendar() -> None:
    cal = WorkingCalendar.compile(
        first=D("2030-01-01"), last=D("2030-12-31"), days_off={D("2030-01-01"): "x"}, working_days={}
    )
    assert cal.is_projected(D("2030-05-05"))
    assert not cal.is_working_day(D("2030-01-01"))


@settings(max_examples=100)
@given(st.lists(st.tuples(dates, st.integers(1, 300)), min_size=1, max_size=50))
def test_batch_fast_path_equals_scalar(rows: list[tuple[date, int]]) -> None:
    """The fast batch path (all n > 0, all in range) equals the scalar path too."""
    ds = np.array([d for d, _ in rows], dtype="datetime64[D]")
    out = CAL.add_working_days_many(ds, np.array([n for _, n in rows]))
    assert [x.astype(object) for x in out] == [CAL.add_working_days(d, n) for d, n in rows]
    between = CAL.working_days_between_many(ds, out)
    assert list(between) == [n for _, n in rows]


def test_add_working_days_checks_n() -> None:
    """n must be a whole number (numpy integers accepted)."""
    assert CAL.add_working_days(D("2026-02-12"), np.int64(3)) == D("2026-02-24")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="whole number"):
        CAL.add_working_days(D("2026-02-12"), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="whole number"):
        CAL.add_working_days(D("2026-02-12"), "3")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="ns"):
        CAL.add_working_days_many(np.array(["2026-02-12"], dtype="datetime64[D]"), np.array([1.5]))
