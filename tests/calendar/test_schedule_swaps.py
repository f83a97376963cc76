"""Listing a year in public_sector_schedule.json drops no holidays.VN swap of an occasion the file does not list
(issue 12, item 9); a listed occasion replaces holidays.VN's swap for it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import holidays
import pytest

from tthc.calendar import public_sector_calendar
from tthc.calendar.schedule import SWAP_REACH
from tthc.foundation.data_files import bundled_path

CAL = public_sector_calendar()
D = date.fromisoformat


def test_tet_2015_swap_kept_although_2015_is_listed() -> None:
    """2015 is listed for its New Year swap only: holidays.VN's Tết swap stays (Mon 16/2 off, Sat 14/2 worked)."""
    assert not CAL.is_working_day(D("2015-02-16"))
    assert CAL.is_working_day(D("2015-02-14"))
    assert CAL.day_kind(D("2015-02-14")) == "make_up"
    assert CAL.schedule(D("2015-02-16"), D("2015-02-16"))[0].kind == "swap"
    # the listed New Year occasion is the file's
    assert not CAL.is_working_day(D("2015-01-02"))
    assert CAL.is_working_day(D("2014-12-27"))
    assert "Tết Dương lịch 2015" in CAL.describe_day(D("2014-12-27"))


@pytest.mark.parametrize(
    ("off", "worked", "occasion"),
    [("2018-12-31", "2019-01-05", "Tết Dương lịch 2019"), ("2019-04-29", "2019-05-04", "30/4 & 1/5 2019")],
)
def test_2019_swaps_cite_3238(off: str, worked: str, occasion: str) -> None:
    """Thông báo 3238/TB-LĐTBXH (2018): Mon 31/12/2018 off for Sat 5/1/2019; Mon 29/4 off for Sat 4/5/2019."""
    assert not CAL.is_working_day(D(off))
    assert CAL.is_working_day(D(worked))
    for d in (off, worked):
        reason = CAL.describe_day(D(d))
        assert "3238/TB-LĐTBXH" in reason
        assert occasion in reason
    assert CAL.is_working_day(D("2019-01-04"))
    assert CAL.is_working_day(D("2019-04-26"))


def test_2026_national_day_cites_9441() -> None:
    """Thông báo 9441/TB-BNV of 16/10/2025: Sat 22/8/2026 worked for Mon 31/8/2026."""
    assert "9441/TB-BNV" in CAL.describe_day(D("2026-08-22"))
    assert "9441/TB-BNV" in CAL.describe_day(D("2026-08-31"))
    assert CAL.schedule(D("2026-08-31"), D("2026-08-31"))[0].kind == "swap"


def test_every_holidays_swap_up_to_the_last_announced_year_is_applied() -> None:
    """Each holidays.VN swap (2000–2026) is in force: either holidays.VN's or the file's for a listed occasion
    (which agree on every one of them)."""
    vn = holidays.country_holidays("VN", years=range(2000, 2027), language="en_US")
    swaps = [d for d, name in vn.items() if name.startswith("Day off (substituted")]
    assert len(swaps) >= 9
    assert all(not CAL.is_working_day(d) for d in swaps)
    assert all(CAL.is_working_day(d) for d in vn.weekend_workdays)


def _schedule_with(tmp_path: Path, occasions: list[dict[str, Any]]) -> Path:
    raw = json.loads(bundled_path("public_sector_schedule.json").read_text("utf-8"))
    raw["occasions"].extend(occasions)
    p = tmp_path / "schedule.json"
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return p


def _tet_2015(first_off: date) -> dict[str, Any]:
    return {
        "year": 2015,
        "occasion": "test Tết 2015 without swap",
        "days_off": [{"start": first_off.isoformat(), "end": "2015-02-23"}],
        "reference": {"document": "test", "tag": "example"},
    }


def test_listing_the_occasion_replaces_the_holidays_swap(tmp_path: Path) -> None:
    """An occasion in the file is the authority for that occasion: a Tết 2015 entry with no swap removes
    holidays.VN's (Mon 16/2 works, Sat 14/2 is a weekend again)."""
    cal = public_sector_calendar(schedule=_schedule_with(tmp_path, [_tet_2015(D("2015-02-17"))]))
    assert cal.is_working_day(D("2015-02-16"))
    assert not cal.is_working_day(D("2015-02-14"))
    assert cal.day_kind(D("2015-02-14")) == "weekend"


@pytest.mark.parametrize(("gap", "replaced"), [(SWAP_REACH, True), (SWAP_REACH + 1, False)])
def test_swap_reach_boundary(tmp_path: Path, gap: int, replaced: bool) -> None:
    """A swap belongs to a listed occasion when its weekday off is within SWAP_REACH days of the occasion's days
    off: at SWAP_REACH it is replaced, one day further it is kept."""
    first_off = D("2015-02-16") + timedelta(days=gap)  # days off starting `gap` days after the swapped Monday
    cal = public_sector_calendar(schedule=_schedule_with(tmp_path, [_tet_2015(first_off)]))
    assert cal.is_working_day(D("2015-02-16")) is replaced
    assert cal.is_working_day(D("2015-02-14")) is not replaced


def test_a_listed_make_up_day_claims_the_swap(tmp_path: Path) -> None:
    """An occasion listing holidays.VN's make-up day owns that swap, however far its days off are."""
    occ = {
        "year": 2015,
        "occasion": "test: Sat 14/2 worked for a day off far away",
        "days_off": [{"start": "2015-03-02", "end": "2015-03-02"}],
        "make_up_working_days": ["2015-02-14"],
        "reference": {"document": "test", "tag": "example"},
    }
    cal = public_sector_calendar(schedule=_schedule_with(tmp_path, [occ]))
    assert cal.is_working_day(D("2015-02-16"))  # holidays.VN's day off for it is gone
    assert cal.is_working_day(D("2015-02-14"))
    assert not cal.is_working_day(D("2015-03-02"))


def test_projected_years_take_no_holidays_swap(tmp_path: Path) -> None:
    """A schedule announcing up to 2024 only: the 2025 and 2026 swaps holidays.VN knows are not used (projected)."""
    raw = json.loads(bundled_path("public_sector_schedule.json").read_text("utf-8"))
    raw["years"] = [y for y in raw["years"] if y["year"] <= 2024]
    raw["occasions"] = [o for o in raw["occasions"] if o["year"] <= 2024]
    p = tmp_path / "upto2024.json"
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    cal = public_sector_calendar(schedule=p)
    assert cal.is_projected(D("2025-05-02"))
    assert cal.is_working_day(D("2025-05-02"))
    assert not cal.is_working_day(D("2025-04-26"))
    assert not cal.is_working_day(D("2024-04-29"))
    assert cal.is_working_day(D("2024-05-04"))
