"""The postal timeline in Vietnamese (the default) and English (unchanged)."""

from __future__ import annotations

from datetime import date

import pytest

from tthc.errors import InvalidValueError
from tthc.postal.timeline import PostalTimeline, postal_dossier_timeline


def _timeline() -> PostalTimeline:
    return postal_dossier_timeline(processing_time="5 ngày làm việc", picked_up_on=date(2026, 3, 2), failed_attempts=1)


def test_explain_in_vietnamese() -> None:
    lines = _timeline().explain("vi").splitlines()
    assert lines[0] == "tiến trình bưu chính (gửi hồ sơ và trả kết quả qua bưu chính, tuyến within_province)"
    assert lines[2] == (
        "  Thứ Tư, 04/03/2026 (ước tính): hồ sơ đến cơ quan chậm nhất J+2 ngày làm việc — 17/2017/TT-BTTTT, Điều 7"
    )
    assert lines[5] == (
        "  17:00 Thứ Tư, ngày 11/03/2026 (ước tính): hạn giải quyết của cơ quan (5 ngày làm việc; các bước tính xem "
        ".due.explain())"
    )
    assert lines[7] == "  Thứ Sáu, 13/03/2026 (ước tính): phát lần 1 không thành công — 17/2017/TT-BTTTT, Điều 5.2"
    assert lines[-1] == "  · chưa có biên bản giao nhận: giả định ký vào ngày hồ sơ đến, lúc 08:00"


def test_explain_in_english_is_unchanged() -> None:
    tl = _timeline()
    lines = tl.explain("en").splitlines()
    assert lines[0] == "postal timeline (both, route within_province)"
    assert lines[7] == "  2026-03-13 (estimate): delivery attempt 1 fails — 17/2017/TT-BTTTT, Điều 5.2"
    assert lines[-1] == "  · handover record not given: assumed on the arrival day at 08:00"
    assert tl.notes[-1] == "handover record not given: assumed on the arrival day at 08:00"
    assert tl.events[6].description == "delivery attempt 1 fails"


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    tl = _timeline()
    assert tl.explain().startswith("tiến trình bưu chính")
    assert str(tl.events[6]).endswith("phát lần 1 không thành công — 17/2017/TT-BTTTT, Điều 5.2")


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="lang"):
        _timeline().explain("fr")
