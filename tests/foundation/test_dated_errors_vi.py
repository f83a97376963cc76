"""A dated value asked on a day nothing is in force, or two values on the same days, worded in the run's language
(issue 14); ``str()`` stays English."""

from __future__ import annotations

from datetime import date

import pytest

from tthc.errors import ConflictError, NotInForceError
from tthc.foundation.dated import DatedValue, Timeline
from tthc.foundation.error_words import error_text
from tthc.foundation.money import Money

D = date.fromisoformat
FEE = Timeline(
    "lệ phí cấp GPLX, trực tuyến",
    [
        DatedValue(Money.vnd(115_000), D("2023-12-01"), D("2025-12-31")),
        DatedValue(Money.vnd(135_000), D("2026-03-01"), None),
    ],
)


def test_a_day_in_the_gap_between_two_values() -> None:
    with pytest.raises(NotInForceError) as info:
        FEE.at(D("2026-01-15"))
    assert error_text(info.value, "vi") == (
        "lệ phí cấp GPLX, trực tuyến: không có giá trị nào có hiệu lực vào ngày 15/01/2026 (thời gian có hiệu lực: "
        "01/12/2023–31/12/2025, 01/03/2026–…)"
    )
    assert str(info.value) == (
        "lệ phí cấp GPLX, trực tuyến: nothing in force on 2026-01-15 (in force: 2023-12-01..2025-12-31, 2026-03-01..…)"
    )


def test_a_timeline_with_no_value_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)  # the default language is Vietnamese
    with pytest.raises(NotInForceError) as info:
        Timeline("x", []).at(D("2026-01-15"))
    assert error_text(info.value) == (
        "x: không có giá trị nào có hiệu lực vào ngày 15/01/2026 (thời gian có hiệu lực: không có thời gian nào)"
    )
    assert str(info.value) == "x: nothing in force on 2026-01-15 (in force: no period at all)"


def test_two_values_in_force_on_the_same_day() -> None:
    with pytest.raises(ConflictError) as info:
        Timeline("x", [DatedValue(1, D("2020-01-01"), D("2020-12-31")), DatedValue(2, D("2020-12-31"), None)])
    assert error_text(info.value, "vi").startswith(
        "x: hai giá trị cùng có hiệu lực trong cùng những ngày: <1 2020-01-01..2020-12-31> và <2 2020-12-31..…> ("
    )
