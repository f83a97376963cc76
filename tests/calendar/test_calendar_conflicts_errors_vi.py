"""Office hours and overlays that contradict themselves, refused in the run's language (issue 14); ``str()`` stays
English."""

from __future__ import annotations

from datetime import date

import pytest

from tthc.calendar import (
    DatedOfficeHours,
    OfficeHours,
    OfficeHoursOverride,
    OfficeHoursPeriod,
    load_office_hours,
    public_sector_calendar,
)
from tthc.errors import ConflictError, NotFoundError
from tthc.foundation.error_words import error_text

D = date.fromisoformat
SUMMER = OfficeHours.of(("07:00", "11:30"), ("13:30", "17:00"))
WINTER = OfficeHours.of(("07:30", "12:00"), ("13:00", "16:00"))
HALF = OfficeHours.of(("07:30", "11:30"))


def test_two_office_hours_periods_sharing_a_day() -> None:
    with pytest.raises(ConflictError) as info:
        DatedOfficeHours(
            SUMMER,
            (
                OfficeHoursPeriod(WINTER, D("2025-10-01"), D("2026-03-31"), "winter 2025–2026"),
                OfficeHoursPeriod(HALF, D("2026-03-31"), D("2026-04-30"), "spring"),
            ),
        )
    assert error_text(info.value, "vi") == (
        "periods: winter 2025–2026 và spring cùng có ngày 31/03/2026; mỗi ngày chỉ được thuộc tối đa một giai đoạn"
    )
    assert str(info.value) == (
        "periods: winter 2025–2026 and spring share 2026-03-31; expected each day in one period at most"
    )


def test_two_overrides_on_one_day() -> None:
    with pytest.raises(ConflictError) as info:
        DatedOfficeHours(
            SUMMER,
            (),
            (OfficeHoursOverride(D("2026-03-06"), HALF, "a"), OfficeHoursOverride(D("2026-03-06"), WINTER, "b")),
        )
    assert error_text(info.value, "vi") == (
        "overrides: ngày 06/03/2026 có hai mức điều chỉnh giờ làm việc; mỗi ngày chỉ được có một"
    )


def test_an_override_on_a_day_off() -> None:
    hours = DatedOfficeHours(SUMMER, (), (OfficeHoursOverride(D("2026-03-07"), HALF, "đóng cửa nửa ngày"),))
    with pytest.raises(ConflictError) as info:
        public_sector_calendar(office_hours=hours)
    assert error_text(info.value, "vi") == (
        "office_hours.overrides: ngày 07/03/2026 (đóng cửa nửa ngày) không phải ngày làm việc; chỉ được điều chỉnh giờ "
        "làm việc của ngày làm việc (thêm ngày này vào extra_working_days để cơ quan làm việc ngày đó)"
    )
    assert str(info.value).startswith("office_hours.overrides: 2026-03-07 (đóng cửa nửa ngày) is not a working day;")


def test_a_day_both_off_and_worked_in_an_overlay() -> None:
    with pytest.raises(ConflictError) as info:
        public_sector_calendar().with_overlay(
            extra_days_off=[D("2026-03-10"), D("2026-03-09"), D("2026-03-11")],
            extra_working_days=[D("2026-03-10"), D("2026-03-09")],
        )
    assert error_text(info.value, "vi") == (
        "overlay: ngày 09/03/2026 vừa là ngày nghỉ bổ sung vừa là ngày làm việc bổ sung; mỗi ngày chỉ được thuộc một "
        "lịch riêng (2 ngày như vậy)"
    )
    assert str(info.value) == (
        "overlay: 2026-03-09 is both an extra day off and an extra working day; expected each day in one overlay only "
        "(2 such days)"
    )


def test_an_unknown_office_in_the_default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    with pytest.raises(NotFoundError) as info:
        load_office_hours("nowhere")
    assert error_text(info.value) == (
        "office: cần một trong các cơ quan có trong office_hours.json (bundled) (example-northern-winter), "
        "nhận được 'nowhere'"
    )
    assert str(info.value) == (
        "office: expected one of the offices in office_hours.json (bundled) (example-northern-winter), got 'nowhere'"
    )
