"""Calendar phrases in Vietnamese: day descriptions and the reasons of days off, with holiday names from
``holidays`` in Vietnamese, the schedule's Vietnamese references, and users' own reasons kept as written; and every
human-facing data text of the schedule and the reductions in both languages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tthc.calendar.working_calendar import public_sector_calendar
from tthc.foundation.data_files import load_json

CAL = public_sector_calendar()
D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "vi", "en"),
    [
        ("2026-03-02", "ngày làm việc", "a working day"),
        ("2026-03-01", "ngày nghỉ hằng tuần", "a weekly rest day"),
        ("2027-02-04", "ngày nghỉ (29 Tết)", "a day off (29 of Lunar New Year)"),
        ("2027-02-07", "ngày nghỉ (Mùng hai Tết Nguyên Đán)", "a day off (Second Day of Lunar New Year)"),
        (
            "2026-01-10",
            "ngày làm bù (Tết Dương lịch 2026 (12729/VPCP-KGVX, 25/12/2025 [2nd]))",
            "a make-up working day (Tết Dương lịch 2026 (12729/VPCP-KGVX, 25/12/2025 [2nd]))",
        ),
        (
            "2026-01-02",
            "ngày nghỉ (ngày thường được đổi thành ngày nghỉ, Tết Dương lịch 2026 (12729/VPCP-KGVX, 25/12/2025 [2nd]))",
            "a day off (swapped weekday off, Tết Dương lịch 2026 (12729/VPCP-KGVX, 25/12/2025 [2nd]))",
        ),
        (
            "2015-02-16",
            "ngày nghỉ (Ngày nghỉ (thay cho ngày 14/02/2015) [hoán đổi theo gói holidays.VN])",
            "a day off (Day off (substituted from 02/14/2015) [holidays.VN swap])",
        ),
        (
            "2015-02-14",
            "ngày làm bù (ngày làm bù cho ngày 16/02/2015 [hoán đổi theo gói holidays.VN])",
            "a make-up working day (make-up working day for 2015-02-16 [holidays.VN swap])",
        ),
        (
            "2026-11-24",
            "ngày nghỉ (Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW) [open])",
            "a day off (Vietnam Cultural Day (Ngày Văn hóa Việt Nam, Nghị quyết 80-NQ/TW) [open])",
        ),
        (
            "2026-04-27",
            "ngày nghỉ (Giỗ Tổ Hùng Vương 2026 (Bộ luật Lao động 2019 Điều 111.3 (ngày nghỉ bù) [2nd]))",
            "a day off (Giỗ Tổ Hùng Vương 2026 (Labour Code 2019 Điều 111.3 (compensatory day) [2nd]))",
        ),
    ],
)
def test_describe_day_in_both_languages(day: str, vi: str, en: str) -> None:
    assert CAL.describe_day(D(day), lang="vi") == vi
    assert CAL.describe_day(D(day), lang="en") == en


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert CAL.describe_day(D("2027-02-04")) == "ngày nghỉ (29 Tết)"
    assert dict(CAL.days_off(D("2027-02-04"), D("2027-02-05")))[D("2027-02-05")] == "Giao thừa Tết Nguyên Đán"


def test_days_off_reasons_follow_the_language() -> None:
    assert list(CAL.days_off(D("2026-08-31"), D("2026-09-02"), lang="vi")) == [
        (
            D("2026-08-31"),
            "ngày thường được đổi thành ngày nghỉ, Quốc khánh 2026 (Thông báo 9441/TB-BNV, 16/10/2025 [2nd])",
        ),
        (D("2026-09-01"), "Quốc khánh 2026 (Thông báo 9441/TB-BNV, 16/10/2025 [2nd])"),
        (D("2026-09-02"), "Quốc khánh 2026 (Thông báo 9441/TB-BNV, 16/10/2025 [2nd])"),
    ]


def test_overlay_reasons_are_the_users_own_and_defaults_are_translated() -> None:
    cal = CAL.with_overlay(extra_days_off=[D("2026-11-25")], extra_working_days={D("2026-11-28"): "catch-up Saturday"})
    assert cal.describe_day(D("2026-11-25"), lang="vi") == "ngày nghỉ (ngày nghỉ bổ sung (lịch riêng))"
    assert cal.describe_day(D("2026-11-25"), lang="en") == "a day off (extra day off (overlay))"
    assert cal.describe_day(D("2026-11-28"), lang="vi") == "ngày làm bù (catch-up Saturday)"


def test_an_unknown_language_is_refused() -> None:
    from tthc.errors import InvalidValueError

    with pytest.raises(InvalidValueError, match="lang"):
        CAL.describe_day(D("2026-03-02"), lang="fr")


# a reference's document is a letter number ("12729/VPCP-KGVX", "Thông báo 3238/TB-LĐTBXH (2018)") or words; words
# need their Vietnamese sibling (document_vi), shown in Vietnamese traces
_LETTER = re.compile(r"^(Thông báo )?\d+/[A-ZĐ\-]+( \(\d{4}\))?$")


def test_every_schedule_reference_in_words_has_its_vietnamese_sibling() -> None:
    occasions = load_json("public_sector_schedule.json")["occasions"]
    missing = [
        f"{o['occasion']} {o['year']}"
        for o in occasions
        if not _LETTER.match(o["reference"]["document"]) and not o["reference"].get("document_vi")
    ]
    assert missing == []
    assert all(o["reference"].get("document_vi") != "" for o in occasions)


def test_every_reduction_has_a_name_in_both_languages() -> None:
    rows = load_json("reductions.json")["reductions"]
    assert [r for r in rows if not r.get("name") or not r.get("name_vi")] == []
