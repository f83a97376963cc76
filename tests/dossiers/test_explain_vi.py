"""A dossier's history in Vietnamese (the default) and English (unchanged): events, postal legs, findings, due."""

from __future__ import annotations

import pytest

import tthc
from tthc.catalog import Catalog
from tthc.errors import InvalidValueError


def _postal() -> tthc.Dossier:
    p = Catalog.sample()["2.001417"]
    d = tthc.Dossier.start(
        tthc.PostalPickup(at="2026-03-02 09:00"), procedure=p, dossier_code="000.00.53.H48-260304-0001",
        result_by_post=True,
    )  # fmt: skip
    return d.apply_all([tthc.HandedOver(at="2026-03-04 10:00"), tthc.SupplementRequested(at="2026-03-09 14:00")])


def test_explain_in_vietnamese() -> None:
    lines = _postal().explain(lang="vi").splitlines()
    assert lines[0] == (
        "hồ sơ 000.00.53.H48-260304-0001: dịch vụ bưu chính, đã yêu cầu bổ sung (5), hạn giải quyết 17:00 ngày "
        "18/03/2026; 3 sự kiện, 0 phát hiện"
    )
    assert (
        lines[2]
        == "  09:00 ngày 02/03/2026 postal_pickup: bưu chính nhận và niêm phong hồ sơ (ngày J) — 45/2016/QĐ-TTg Điều 6"
    )
    assert lines[5] == (
        "  chặng bưu chính (hồ sơ): nhận gửi ngày 02/03/2026, chỉ tiêu J+2 → chậm nhất ngày 04/03/2026 "
        "(17/2017/TT-BTTTT Điều 7); đã đến ngày 04/03/2026 — trong chỉ tiêu thời gian"
    )
    assert not any("phát hiện W_" in line for line in lines)  # the request came within the window
    assert "  hạn giải quyết (tính lại từ đầu): 17:00 ngày 18/03/2026 tạm dừng (đang chờ bổ sung hồ sơ)" in lines


def test_explain_in_english_is_unchanged() -> None:
    text = _postal().explain(lang="en")
    assert text.splitlines()[0] == (
        "<dossier 000.00.53.H48-260304-0001 postal supplement_requested (5), due 2026-03-18 17:00, 3 events, "
        "0 findings>"
    )
    assert (
        "  2026-03-04 10:00 handed_over: handover record signed at the agency: the clock starts here, not at the "
        "pickup — 45/2016/QĐ-TTg Điều 7.4 [open]" in text
    )
    assert "  due (restart): 2026-03-18 17:00 suspended (supplement pending)" in text


def test_the_default_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _postal().explain().startswith("hồ sơ 000.00.53.H48-260304-0001: dịch vụ bưu chính")
    assert _postal().due().steps[0].startswith("tính từ khi tiếp nhận: hồ sơ gửi qua dịch vụ bưu chính công ích")


def test_a_late_supplement_finding_in_both_languages() -> None:
    p = Catalog.sample()["2.001417"]
    d = tthc.Dossier.start(tthc.Received(at="2026-03-02 09:00"), procedure=p)
    f = d.apply(tthc.SupplementRequested(at="2026-03-06 08:00")).findings[0]
    assert f.text("vi") == (
        "W_LATE_SUPPLEMENT_REQUEST (đã yêu cầu bổ sung lúc 08:00 ngày 06/03/2026): yêu cầu bổ sung ngày 06/03/2026, "
        "sau 4 ngày làm việc kể từ ngày tiếp nhận 02/03/2026 (tiếp nhận lúc 09:00 ngày 02/03/2026); tối đa 3 ngày — "
        "118/2025/NĐ-CP [open]"
    )
    assert f.text("en") == (
        "W_LATE_SUPPLEMENT_REQUEST (supplement_requested 2026-03-06 08:00): supplement requested 2026-03-06, 4 working "
        "days after the receipt day 2026-03-02 (received 2026-03-02 09:00); at most 3 — 118/2025/NĐ-CP [open]"
    )
    assert f.message == (  # the field stays English, for programs
        "supplement requested 2026-03-06, 4 working days after the receipt day 2026-03-02 (received 2026-03-02 "
        "09:00); at most 3"
    )
    read_back = type(f).model_validate_json(f.model_dump_json())
    assert read_back.message_in("vi") == f.message  # the template is not serialised: the English message remains


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="lang"):
        _postal().explain(lang="fr")
