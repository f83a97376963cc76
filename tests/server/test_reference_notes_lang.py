"""The ``note`` of every legal reference in an answer follows ``?lang=`` (issue 14); the JSON key stays ``note``."""

from __future__ import annotations

from typing import Any

import pytest

DUE = {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"}
QUOTE = {"procedure": "1.002809", "channel": "postal", "on": "2026-03-02", "postal": "both"}
ELIGIBILITY = {"procedure": "1.002809", "service": "both", "on": "2026-03-02"}

CUTOFF_118_VI = (
    "thay thế NĐ 61/2018/NĐ-CP đối với hồ sơ tiếp nhận từ ngày 01/07/2025 [2nd]; chưa xác nhận điều khoản quy định "
    "lại mốc tiếp nhận 15:00, nội dung được coi là không đổi [open]"
)
CUTOFF_118_EN = (
    "replaces NĐ 61/2018/NĐ-CP for dossiers received from 1 Jul 2025 [2nd]; the article restating the 15:00 receipt "
    "cut-off is not confirmed and the content is assumed unchanged [open]"
)


def _due_notes(client: Any, query: str = "") -> dict[str, str]:
    answer = client.post(f"/v1/due{query}", json=DUE).json()
    return {f"{r['document']} {r.get('article') or ''}".strip(): r["note"] for r in answer["rules_applied"]}


def test_due_rules_applied_notes_follow_lang(client: Any) -> None:
    vi, en = _due_notes(client, "?lang=vi"), _due_notes(client, "?lang=en")
    assert vi == {
        "118/2025/NĐ-CP": CUTOFF_118_VI,
        "Bộ luật Dân sự 2015 (91/2015/QH13) Điều 147.2": (
            "khi thời hạn tính bằng ngày thì ngày đầu tiên của thời hạn không được tính"
        ),
        "Bộ luật Dân sự 2015 (91/2015/QH13) Điều 148.1": (
            "thời hạn tính bằng ngày kết thúc vào cuối ngày cuối cùng của thời hạn; với cơ quan, đó là lúc hết giờ "
            "hành chính"
        ),
    }
    assert en == {  # the English notes exactly as before
        "118/2025/NĐ-CP": CUTOFF_118_EN,
        "Bộ luật Dân sự 2015 (91/2015/QH13) Điều 147.2": "for periods in days the first day is not counted",
        "Bộ luật Dân sự 2015 (91/2015/QH13) Điều 148.1": (
            "a period in days ends at the end of its last day; for an office that is the end of office hours"
        ),
    }


def test_no_answer_has_a_note_vi_key(client: Any) -> None:
    for query in ("?lang=vi", "?lang=en"):
        body = client.post(f"/v1/due{query}", json=DUE).text
        assert '"note":' in body
        assert "note_vi" not in body


def test_the_default_is_vietnamese(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _due_notes(client)["118/2025/NĐ-CP"] == CUTOFF_118_VI


# (route, body, the Vietnamese note, the English note) of one reference each answer cites
CITED = [
    (
        "/v1/quote",
        QUOTE,
        "thông báo không ghi ngày; giá một chiều = giá của một bưu gửi đến 100 g, đã gồm việc chuyển phiếu hẹn trả "
        "kết quả và chuyển trả giấy tờ thu hồi cho cơ quan; hai chiều = cả chiều gửi hồ sơ và chiều trả kết quả",
        "undated notice; one-way price = price of a postal item up to 100 g; includes delivering the appointment slip "
        "and returning recovered papers to the agency; two-way = both legs",
    ),
    (
        "/v1/eligibility",
        ELIGIBILITY,
        "quyết định không áp dụng cho thủ tục vừa yêu cầu người nộp phải có mặt trực tiếp VÀ vừa không cho phép ủy "
        "quyền cho người khác; phải thỏa mãn cả hai điều kiện",
        "the decision does not cover procedures that require the applicant to appear in person AND do not allow "
        "authorising someone else; both conditions must hold",
    ),
]


@pytest.mark.parametrize(("path", "body", "vi", "en"), CITED, ids=[c[0] for c in CITED])
def test_quote_and_eligibility_reference_notes_follow_lang(
    client: Any, path: str, body: dict[str, str], vi: str, en: str
) -> None:
    def notes(lang: str) -> set[str]:
        answer = client.post(f"{path}?lang={lang}", json=body).json()
        items = answer["quote"]["lines"] if "quote" in answer else answer["verdict"]["reasons"]
        return {x["reference"]["note"] for x in items if x.get("reference") and x["reference"].get("note")}

    in_vi, in_en = notes("vi"), notes("en")
    assert vi in in_vi
    assert en in in_en
    assert en not in in_vi
    assert vi not in in_en


def test_calendar_feed_reference_notes_follow_lang(client: Any) -> None:
    def note(lang: str) -> str:
        days = client.get(f"/v1/calendar/feed/2026?lang={lang}").json()["days"]
        return str(next(d["reference"]["note"] for d in days if d["date"] == "2026-01-10"))  # the make-up Saturday

    assert note("vi") == (
        "nghỉ từ Thứ Năm 01/01 đến Chủ Nhật 04/01/2026, hoán đổi Thứ Sáu 02/01 với Thứ Bảy 10/01/2026 (khu vực "
        "công); thư viện holidays 0.109 chưa có"
    )
    assert note("en") == (
        "Thu 1/1 – Sun 4/1/2026 off, Fri 2/1 swapped with Sat 10/1/2026 (public sector); missing from holidays 0.109"
    )


def test_dossier_findings_reference_notes_follow_lang(client: Any) -> None:
    """A second supplement request: the finding cites NĐ 61/2018 Điều 17 and 19.4 with a note on QĐ 766."""
    opened = {"first": {"kind": "received", "at": "2026-03-02T09:00:00"}, "processing_time": "5 ngày làm việc"}
    snapshot = client.post("/v1/dossiers", json=opened).json()["dossier"]
    kinds = ("supplement_requested", "supplement_completed", "supplement_requested")
    events = [{"kind": k, "at": f"2026-03-{day}T09:00:00"} for k, day in zip(kinds, (20, 21, 23), strict=True)]

    def notes(lang: str) -> list[str | None]:
        answer = client.post(f"/v1/dossiers/events?lang={lang}", json={"dossier": snapshot, "events": events}).json()
        return [f["reference"].get("note") for f in answer["findings"]]

    vi, en = notes("vi"), notes("en")
    once_vi = (
        "chỉ yêu cầu bổ sung hồ sơ một lần, đầy đủ; QĐ 766/QĐ-TTg tính việc yêu cầu bổ sung quá một lần là quá hạn"
    )
    once_en = (
        "the supplement is requested once, completely; QĐ 766/QĐ-TTg counts more than one supplement request as late"
    )
    assert once_vi in vi
    assert once_en not in vi
    assert once_en in en
    assert once_vi not in en
    assert len(vi) == len(en)
    assert vi != en
