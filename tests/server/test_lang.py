"""The service's ``lang`` query parameter: Vietnamese by default, English on request, anything else a 422."""

from __future__ import annotations

from typing import Any

import pytest

BODY = {"received_at": "2026-02-13T16:30:00", "processing_time": "5 ngày làm việc", "channel": "online"}


def test_due_steps_follow_lang(client: Any) -> None:
    vi = client.post("/v1/due?lang=vi", json=BODY).json()
    en = client.post("/v1/due?lang=en", json=BODY).json()
    assert (
        vi["steps"][-1] == "hạn giải quyết: 17:00 Thứ Hai, ngày 02/03/2026 (hết giờ hành chính, BLDS 2015 Điều 148.1)"
    )
    assert en["steps"][-1] == "due Mon 2026-03-02 17:00 (end of office hours, BLDS 2015 Điều 148.1)"
    assert vi["due_at"] == en["due_at"]


def test_the_service_default_is_vietnamese(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    steps = client.post("/v1/due", json=BODY).json()["steps"]
    assert steps[0].startswith("tiếp nhận lúc 16:30 Thứ Sáu, ngày 13/02/2026")


def test_an_unknown_lang_is_a_problem_naming_it(client: Any) -> None:
    r = client.post("/v1/due?lang=fr", json=BODY)
    assert r.status_code == 422
    assert "lang" in r.json()["detail"]
    assert client.get("/v1/calendar/days/2027-02-04?lang=xx").status_code == 422


def test_calendar_day_and_feed_in_both_languages(client: Any) -> None:
    assert client.get("/v1/calendar/days/2027-02-04?lang=vi").json()["description"] == "ngày nghỉ (29 Tết)"
    assert client.get("/v1/calendar/days/2027-02-04?lang=en").json()["description"] == (
        "a day off (29 of Lunar New Year)"
    )
    vi = {d["date"]: d for d in client.get("/v1/calendar/feed/2026?lang=vi").json()["days"]}
    en = {d["date"]: d for d in client.get("/v1/calendar/feed/2026?lang=en").json()["days"]}
    assert vi["2026-01-10"]["name"] == "Tết Dương lịch 2026 (12729/VPCP-KGVX, 25/12/2025 [2nd])"
    assert vi["2026-11-24"]["name"] == "Ngày Văn hóa Việt Nam (Nghị quyết 80-NQ/TW) [open]"
    assert en["2026-11-24"]["name"] == "Vietnam Cultural Day (Ngày Văn hóa Việt Nam, Nghị quyết 80-NQ/TW) [open]"
    assert vi["2026-11-24"]["source"] == en["2026-11-24"]["source"] == "holidays.VN"  # read from the notes as built


def test_dossier_steps_follow_lang(client: Any) -> None:
    body = {"first": {"kind": "received", "at": "2026-03-02T09:00:00"}, "processing_time": "5 ngày làm việc"}
    vi = client.post("/v1/dossiers?lang=vi", json=body).json()
    en = client.post("/v1/dossiers?lang=en", json=body).json()
    assert (
        vi["due"][0]["steps"][0] == "tính từ khi tiếp nhận: tiếp nhận lúc 09:00 Thứ Hai, ngày 02/03/2026 — ngày "
        "làm việc, tính từ thời điểm này"
    )
    assert en["due"][0]["steps"][0] == "from the receipt: received Mon 2026-03-02 09:00 — a working day, counted"
