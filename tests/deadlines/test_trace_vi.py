"""Due-date traces in Vietnamese (the default for people) and English (unchanged), asserted line by line on
non-symmetric cases: the cut-off before Tết, a make-up Saturday, calendar days rolling over Tết, a projected year,
a postal dossier either side of 1 Jul 2025 (NĐ 61 vs NĐ 118), working hours, reductions and supplements."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from tthc.catalog import Catalog
from tthc.deadlines import DueDate, compute_due, due_after_supplement, extend_due, load_reductions
from tthc.deadlines.supplements import SupplementReading
from tthc.errors import InvalidValueError
from tthc.foundation.channels import OnlineLevel, PostalService

README_VI = (
    "tiếp nhận lúc 16:30 Thứ Sáu, ngày 13/02/2026 — ngày làm việc; nhận từ 15:00 trở đi (118/2025/NĐ-CP [open]) — "
    "giờ chốt nhận hồ sơ trực tuyến là [open]: tính là tiếp nhận lúc 07:30 Thứ Hai, ngày 23/02/2026",
    "5 ngày làm việc kể từ sau Thứ Hai, 23/02/2026 (không tính ngày tiếp nhận, BLDS 2015 Điều 147.2) → "
    "Thứ Hai, 02/03/2026",
    "hạn giải quyết: 17:00 Thứ Hai, ngày 02/03/2026 (hết giờ hành chính, BLDS 2015 Điều 148.1)",
)
README_EN = (
    "received Fri 2026-02-13 16:30 — a working day; at/after the 15:00 cut-off (118/2025/NĐ-CP [open]) — the online "
    "cut-off is [open]: counts as received Mon 2026-02-23 07:30",
    "5 working days after Mon 2026-02-23 (receipt day not counted, BLDS 2015 Điều 147.2) → Mon 2026-03-02",
    "due Mon 2026-03-02 17:00 (end of office hours, BLDS 2015 Điều 148.1)",
)


def _readme() -> DueDate:
    licence = Catalog.sample()["1.002809"]
    return compute_due(datetime(2026, 2, 13, 16, 30), channel="online", procedure=licence)  # the published time


def test_readme_example_in_vietnamese_and_english() -> None:
    due = compute_due(datetime(2026, 2, 13, 16, 30), "5 ngày làm việc", channel="online")
    assert due.steps_in("vi") == README_VI
    assert due.explain(lang="vi") == "\n".join(README_VI)
    assert due.steps_in("en") == README_EN
    assert due.explain(lang="en") == "\n".join(README_EN)


def test_the_published_row_is_worded_in_each_language() -> None:
    due = _readme()
    assert due.steps_in("vi")[0] == (
        "thời hạn giải quyết công bố cho thủ tục 1.002809, cách thức trực tuyến: dòng 1/1 ('05 Ngày làm việc')"
    )
    assert due.steps_in("en")[0] == (
        "processing time published for procedure 1.002809, channel online: row 1 of 1 ('05 Ngày làm việc')"
    )


def test_vietnamese_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    due = compute_due(datetime(2026, 2, 13, 16, 30), "5 ngày làm việc", channel="online")
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert due.steps == README_VI
    assert due.explain() == "\n".join(README_VI)
    monkeypatch.setenv("TTHC_LANG", "en")
    assert due.steps == README_EN  # the same DueDate: worded when read


def test_an_unknown_language_is_refused() -> None:
    due = compute_due(datetime(2026, 2, 13, 16, 30), "5 ngày làm việc")
    with pytest.raises(InvalidValueError, match="lang: expected 'vi' or 'en', got 'fr'"):
        due.explain(lang="fr")
    with pytest.raises(InvalidValueError, match="lang"):
        due.steps_in("de_DE")


def test_a_make_up_saturday_in_the_period() -> None:
    due = compute_due(datetime(2026, 1, 8, 10, 30), "3 ngày làm việc")
    assert due.steps_in("vi")[1] == (
        "3 ngày làm việc kể từ sau Thứ Năm, 08/01/2026 (không tính ngày tiếp nhận, BLDS 2015 Điều 147.2) → "
        "Thứ Hai, 12/01/2026; có tính ngày làm bù: Thứ Bảy, 10/01/2026"
    )
    assert due.steps_in("en")[1] == (
        "3 working days after Thu 2026-01-08 (receipt day not counted, BLDS 2015 Điều 147.2) → Mon 2026-01-12; "
        "counted make-up working day(s): Sat 2026-01-10"
    )


def test_calendar_days_rolling_over_tet() -> None:
    due = compute_due(datetime(2026, 2, 9, 10, 30), "7 ngày")
    assert due.steps_in("vi")[1] == (
        "7 ngày kể từ sau Thứ Hai, 09/02/2026 (không tính ngày tiếp nhận, BLDS 2015 Điều 147.2; ngày cuối cùng "
        "Thứ Hai, 16/02/2026 không phải ngày làm việc, chuyển sang ngày làm việc tiếp theo (BLDS 2015 Điều 148.5)) → "
        "Thứ Hai, 23/02/2026; không tính các ngày nghỉ: Thứ Hai, 16/02/2026 – Chủ Nhật, 22/02/2026: Tết Bính Ngọ "
        "2026 (lịch nghỉ Tết 2026 (5 ngày chính thức Thứ Hai 16/2 – Thứ Sáu 20/2/2026 và hai kỳ nghỉ cuối tuần) [2nd])"
    )
    assert due.steps_in("en")[1] == (
        "7 calendar days after Mon 2026-02-09 (receipt day not counted, BLDS 2015 Điều 147.2; last day Mon 2026-02-16 "
        "is not a working day, moved (BLDS 2015 Điều 148.5)) → Mon 2026-02-23; skipped: Mon 2026-02-16 – Sun "
        "2026-02-22 Tết Bính Ngọ 2026 (Tết 2026 schedule (5 official days Mon 16/2 – Fri 20/2/2026 + two weekends) "
        "[2nd])"
    )


def test_a_projected_year_names_tet_days_in_vietnamese() -> None:
    due = compute_due(datetime(2027, 1, 29, 10, 30), "10 ngày làm việc")
    vi = due.steps_in("vi")
    assert vi[1].endswith(
        "không tính các ngày nghỉ: Thứ Năm, 04/02/2027: 29 Tết; Thứ Sáu, 05/02/2027: Giao thừa Tết Nguyên Đán; "
        "Thứ Bảy, 06/02/2027: Tết Nguyên Đán; Chủ Nhật, 07/02/2027: Mùng hai Tết Nguyên Đán; Thứ Hai, 08/02/2027: "
        "Mùng ba Tết Nguyên Đán; Thứ Ba, 09/02/2027: Mùng bốn Tết Nguyên Đán; Thứ Tư, 10/02/2027: Mùng năm Tết "
        "Nguyên Đán"
    )
    assert "of Lunar New Year" not in "\n".join(vi)
    assert vi[3] == (
        "2027: lịch làm việc khu vực nhà nước chưa được công bố — dự tính theo các ngày nghỉ lễ luật định (không "
        "hoán đổi ngày làm việc); hạn giải quyết có thể thay đổi khi lịch được công bố"
    )
    assert due.steps_in("en")[3].startswith("2027: public-sector schedule not announced — projected")
    assert "Thu 2027-02-04 29 of Lunar New Year" in due.steps_in("en")[1]


@pytest.mark.parametrize(
    ("received", "handover_ref", "cutoff_ref"),
    [
        (datetime(2025, 6, 30, 16, 0), "45/2016/QĐ-TTg Điều 7.4)", "(61/2018/NĐ-CP Điều 18.2)"),
        (datetime(2025, 7, 1, 16, 0), "45/2016/QĐ-TTg Điều 7.4 [open])", "(118/2025/NĐ-CP [open])"),
    ],
)
def test_a_postal_dossier_either_side_of_1_july_2025(received: datetime, handover_ref: str, cutoff_ref: str) -> None:
    vi = compute_due(received, "2 ngày làm việc", channel="postal").steps_in("vi")
    assert vi[0] == (
        "hồ sơ gửi qua dịch vụ bưu chính công ích: thời hạn giải quyết của cơ quan tính từ khi ký biên bản giao "
        "nhận (" + handover_ref
    )
    assert f"nhận từ 15:00 trở đi {cutoff_ref}: tính là tiếp nhận lúc 07:30" in vi[1]


def test_the_postal_lines_before_1_july_2025_exactly() -> None:
    vi = compute_due(datetime(2025, 6, 30, 16, 0), "2 ngày làm việc", channel="postal").steps_in("vi")
    assert vi[1:] == (
        "tiếp nhận lúc 16:00 Thứ Hai, ngày 30/06/2025 — ngày làm việc; nhận từ 15:00 trở đi (61/2018/NĐ-CP Điều "
        "18.2): tính là tiếp nhận lúc 07:30 Thứ Ba, ngày 01/07/2025",
        "2 ngày làm việc kể từ sau Thứ Ba, 01/07/2025 (không tính ngày tiếp nhận, BLDS 2015 Điều 147.2) → Thứ Năm, "
        "03/07/2025",
        "hạn giải quyết: 17:00 Thứ Năm, ngày 03/07/2025 (hết giờ hành chính, BLDS 2015 Điều 148.1)",
    )


def test_working_hours() -> None:
    due = compute_due(datetime(2025, 12, 29, 10, 30), "12 giờ làm việc")
    assert due.steps_in("vi")[1:] == (
        "12 giờ làm việc kể từ Thứ Hai, 29/12/2025 (trong các buổi làm việc, từ thời điểm được tính là tiếp nhận) "
        "→ Thứ Ba, 30/12/2025",
        "hạn giải quyết: 16:00 Thứ Ba, ngày 30/12/2025 (trong buổi làm việc)",
    )
    assert due.steps_in("en")[2] == "due Tue 2025-12-30 16:00 (inside office sessions)"


def test_outside_office_sessions_and_a_day_off() -> None:
    early = compute_due(datetime(2026, 3, 2, 6, 45), "1 ngày làm việc").steps_in("vi")[0]
    assert early == (
        "tiếp nhận lúc 06:45 Thứ Hai, ngày 02/03/2026 — ngày làm việc; ngoài các buổi làm việc: tính là tiếp nhận "
        "lúc 07:30 Thứ Hai, ngày 02/03/2026"
    )
    sunday = compute_due(datetime(2026, 3, 1, 9, 0), "1 ngày làm việc").steps_in("vi")[0]
    assert sunday == (
        "tiếp nhận lúc 09:00 Chủ Nhật, ngày 01/03/2026 — ngày nghỉ hằng tuần; không phải ngày làm việc: tính là tiếp "
        "nhận lúc 07:30 Thứ Hai, ngày 02/03/2026"
    )


def test_no_due_date_is_said_in_each_language() -> None:
    due = compute_due(datetime(2026, 3, 2, 9, 0), "Không quy định")
    assert due.steps_in("vi") == ("thời hạn giải quyết không quy định: không có hạn giải quyết",)
    assert due.steps_in("en") == ("processing time not specified (không quy định): no due date",)
    assert due.reason == "processing time not specified (không quy định): no due date"  # English, for programs


def test_a_reduction_is_worded_with_its_vietnamese_name() -> None:
    due = compute_due(
        datetime(2026, 3, 2, 10, 30), "10 ngày làm việc", channel="online", online_level=OnlineLevel.FULL,
        reductions=load_reductions(),
    )  # fmt: skip
    assert due.steps_in("vi")[1] == (
        "giảm 30% (ví dụ: hồ sơ trực tuyến toàn trình [example]) → 7 ngày làm việc, không phải làm tròn"
    )
    assert due.steps_in("en")[1] == (
        "reduction 30% (example: online full-service (toàn trình) dossiers [example]) → 7 working days, exact"
    )


def test_a_fixed_reduction_raised_to_its_floor() -> None:
    due = compute_due(
        datetime(2026, 3, 2, 10, 30),
        "1 ngày làm việc",
        channel="postal",
        postal=PostalService.SEND,
        reductions=load_reductions(),
    )
    assert due.steps_in("vi")[2] == (
        "giảm 1 ngày làm việc (ví dụ: hồ sơ gửi qua dịch vụ bưu chính công ích [example]) → 1 ngày làm việc, nâng lên "
        "mức tối thiểu 1 ngày làm việc"
    )
    assert due.steps_in("en")[2] == (
        "reduction -1 (example: dossiers sent through the public postal service [example]) → 1 working day, raised "
        "to the floor of 1 working days"
    )


def test_supplement_and_extension_steps() -> None:
    out = due_after_supplement(
        datetime(2026, 3, 2, 9, 0), "5 ngày làm việc", supplement_requested_at=datetime(2026, 3, 9, 9, 0),
        supplement_completed_at=datetime(2026, 3, 11, 9, 0), reading=SupplementReading.PAUSE, lang="vi",
    )  # fmt: skip
    assert out.steps[0].startswith("cách tính: tạm dừng — trừ khoảng thời gian bổ sung hồ sơ (")
    assert out.steps[1] == (
        "yêu cầu bổ sung ngày Thứ Hai, 09/03/2026, muộn hơn 3 ngày làm việc kể từ ngày tiếp nhận Thứ Hai, 02/03/2026 "
        "(chậm nhất Thứ Năm, 05/03/2026; 118/2025/NĐ-CP [open])"
    )
    assert out.steps[-1] == (
        "bổ sung hồ sơ Thứ Hai, 09/03/2026 → Thứ Tư, 11/03/2026: tạm dừng 2 ngày làm việc → hạn giải quyết 17:00 "
        "Thứ Tư, ngày 11/03/2026"
    )
    ext = extend_due(
        datetime(2026, 3, 9, 17, 0), datetime(2026, 3, 12, 17, 0), issued_at=datetime(2026, 3, 9, 8, 0), lang="vi"
    )
    assert ext.steps[1] == (
        "thông báo ngày Thứ Hai, 09/03/2026; chậm nhất phải thông báo ngày Thứ Sáu, 06/03/2026 (1 ngày làm việc "
        "trước khi hết hạn) — thông báo MUỘN"
    )
    en = extend_due(
        datetime(2026, 3, 9, 17, 0), datetime(2026, 3, 12, 17, 0), issued_at=datetime(2026, 3, 9, 8, 0), lang="en"
    )
    assert en.steps[0].startswith("due Mon 2026-03-09 17:00 moved once to Thu 2026-03-12 17:00 (")
    assert en.steps[1] == (
        "notice issued Mon 2026-03-09; due at the latest Fri 2026-03-06 (1 working day(s) before expiry) — LATE notice"
    )


def test_vietnamese_traces_are_nfc() -> None:
    text = compute_due(datetime(2027, 1, 29, 10, 30), "10 ngày làm việc", channel="postal").explain(lang="vi")
    assert unicodedata.normalize("NFC", text) == text
