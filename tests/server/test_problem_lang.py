"""Problems and answers in the reader's language: ``?lang=``, else ``TTHC_LANG``, else Vietnamese.

``title``, ``detail`` and ``expected`` are human text and follow the language; ``type``, ``status``, ``field`` and
``given`` are for programs and never change with it. ``?lang=en`` keeps the English the service always gave.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tthc.errors import CalendarRangeError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.server.problems import problem_from_exception, problem_from_validation, problem_lang

GOOD = {"received_at": "2026-02-13T16:30:00", "processing_time": "5 ngày làm việc"}
MACHINE = ("type", "status", "field", "given", "instance")
_EXPECTED_PT = "'<n> Ngày làm việc' | '<n> Ngày' | '<n> Giờ' | '<n> Tháng' | 'Trong ngày' | 'Không quy định' | '<n>'"


def _words(body: dict[str, Any]) -> tuple[object, object, object]:
    return body["title"], body["detail"], body.get("expected")


def _both(client: TestClient, send: Callable[[str], Any], status: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The problem asked in Vietnamese and in English; the machine-readable members must be equal."""
    vi, en = send("vi"), send("en")
    assert vi.status_code == en.status_code == status, vi.text
    assert vi.headers["content-type"].startswith("application/problem+json")
    a, b = vi.json(), en.json()
    assert {k: a.get(k) for k in MACHINE} == {k: b.get(k) for k in MACHINE}
    return a, b


def test_a_bad_value(client: TestClient) -> None:
    body = {**GOOD, "processing_time": "abc"}
    vi, en = _both(client, lambda lang: client.post(f"/v1/due?lang={lang}", json=body), 422)
    assert _words(vi) == (
        "Giá trị không hợp lệ",
        f"processing_time: cần {_EXPECTED_PT}, nhận được 'abc' (không có con số ở đầu)",
        _EXPECTED_PT,
    )
    assert _words(en) == (
        "Invalid value",
        f"processing_time: expected {_EXPECTED_PT}, got 'abc' (no leading figure)",
        _EXPECTED_PT,
    )
    assert vi["type"] == "urn:tthc:problem:invalid-value"
    assert vi["field"] == "processing_time"
    assert vi["given"] == "abc"


def test_a_missing_field(client: TestClient) -> None:
    body = {"processing_time": "5 ngày làm việc"}
    vi, en = _both(client, lambda lang: client.post(f"/v1/due?lang={lang}", json=body), 422)
    given = "{'processing_time': '5 ngày làm việc'}"
    assert _words(vi) == (
        "Yêu cầu không hợp lệ",
        f"received_at: cần một giá trị (trường này là bắt buộc), nhận được {given}",
        "một giá trị (trường này là bắt buộc)",
    )
    assert _words(en) == (
        "Invalid request",
        f"received_at: expected a value (the field is required), got {given}",
        "a value (the field is required)",
    )
    assert vi["errors"] == [
        {"field": "received_at", "expected": "một giá trị (trường này là bắt buộc)", "given": given}
    ]


def test_an_impossible_date(client: TestClient) -> None:
    body = {**GOOD, "received_at": "2026-02-30"}
    vi, en = _both(client, lambda lang: client.post(f"/v1/due?lang={lang}", json=body), 422)
    # read by the library's one rule (the words of `tthc due --received`), not pydantic's parser (session 12)
    expected_vi = "ngày giờ theo ISO 8601 hoặc 'dd/mm/yyyy [HH:MM[:SS]]' (không ghi múi giờ = giờ Việt Nam)"
    expected_en = "an ISO 8601 datetime or 'dd/mm/yyyy [HH:MM[:SS]]' (no zone = Vietnam time)"
    vi_said = f"received_at: cần {expected_vi}, nhận được 2026-02-30 (tháng 02/2026 chỉ có 28 ngày)"
    assert _words(vi) == ("Yêu cầu không hợp lệ", vi_said, expected_vi)
    en_said = f"received_at: expected {expected_en}, got 2026-02-30 (02/2026 has 28 days)"
    assert _words(en) == ("Invalid request", en_said, expected_en)


def test_a_value_not_among_the_choices_is_worded_without_an_english_or(client: TestClient) -> None:
    body = {**GOOD, "channel": "fax"}
    vi, en = _both(client, lambda lang: client.post(f"/v1/due?lang={lang}", json=body), 422)
    assert vi["detail"] == "channel: cần một trong các giá trị 'direct', 'online', 'postal', nhận được fax"
    assert en["detail"] == "channel: expected 'direct', 'online' or 'postal', got fax"


def test_several_errors_say_how_many_more(client: TestClient) -> None:
    vi, en = _both(client, lambda lang: client.post(f"/v1/due?lang={lang}", json={"x": 1}), 422)
    assert vi["detail"].endswith(" (+1 lỗi khác)")
    assert en["detail"].endswith(" (+1 more)")
    assert [e["expected"] for e in vi["errors"]] == ["một giá trị (trường này là bắt buộc)", "không có trường này"]


def test_an_unknown_procedure_is_404(client: TestClient) -> None:
    body = {"received_at": "2026-02-13T16:30:00", "procedure": "9.999999"}
    vi, en = _both(client, lambda lang: client.post(f"/v1/due?lang={lang}", json=body), 404)
    assert _words(vi) == ("Không tìm thấy", "thủ tục 9.999999 không có trong danh mục TTHC", None)
    assert _words(en) == ("Not found", "procedure 9.999999 is not in the catalog", None)
    vi, en = _both(client, lambda lang: client.get(f"/v1/procedures/9.999999?lang={lang}"), 404)
    assert vi["detail"] == "thủ tục 9.999999 không có trong danh mục TTHC"


def test_a_calendar_range_error_worded_by_its_raiser() -> None:
    exc = CalendarRangeError(
        words(N_("year: expected a year in {first}..{last}, got {year}"), first=2000, last=2100, year=2101)
    )
    vi, en = problem_from_exception(exc, "/v1/calendar/feed/2101", "vi"), problem_from_exception(exc, None, "en")
    assert (vi.title, vi.detail, vi.expected) == (
        "Ngoài phạm vi lịch đã biên dịch",
        "year: cần một năm trong khoảng 2000..2100, nhận được 2101",
        "một năm trong khoảng 2000..2100",  # expected in the answer's language, as the detail
    )
    assert (en.title, en.detail, en.expected) == (
        "Outside the compiled calendar",
        "year: expected a year in 2000..2100, got 2101",
        "a year in 2000..2100",
    )
    assert vi.type == en.type == "urn:tthc:problem:calendar-range"
    assert vi.field == en.field == "year"


def test_a_calendar_range_error_over_http_has_a_vietnamese_title(client: TestClient) -> None:
    vi, en = _both(client, lambda lang: client.get(f"/v1/calendar/days/1990-01-01?lang={lang}"), 422)
    assert vi["title"] == "Ngoài phạm vi lịch đã biên dịch"
    assert en["title"] == "Outside the compiled calendar"
    assert en["detail"] == "day: expected a date in 2000-01-01..2100-12-31 (the compiled range), got 1990-01-01"
    assert vi["field"] == "day"


def test_an_unknown_path_and_method(client: TestClient) -> None:
    vi, en = _both(client, lambda lang: client.get(f"/v1/nothing?lang={lang}"), 404)
    assert (vi["title"], vi["detail"]) == ("Không tìm thấy", "GET /v1/nothing: không có đường dẫn này")
    assert (en["title"], en["detail"]) == ("Not found", "GET /v1/nothing: Not Found")
    vi, en = _both(client, lambda lang: client.get(f"/v1/due?lang={lang}"), 405)
    assert vi["title"] == "Phương thức không được phép"
    assert en["detail"] == "GET /v1/due: Method Not Allowed"


def test_the_default_is_vietnamese(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    body = client.post("/v1/due", json={**GOOD, "processing_time": "abc"}).json()
    assert body["title"] == "Giá trị không hợp lệ"
    assert body["detail"].startswith("processing_time: cần ")
    assert client.get("/v1/classify").json()["title"] == "Phương thức không được phép"


def test_the_service_language_applies_without_lang(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTHC_LANG", "en")
    assert client.post("/v1/due", json={"processing_time": "5"}).json()["title"] == "Invalid request"
    monkeypatch.setenv("TTHC_LANG", "vi")
    assert client.post("/v1/due", json={"processing_time": "5"}).json()["title"] == "Yêu cầu không hợp lệ"


def test_a_bad_lang_is_a_problem_worded_in_the_service_language(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    body = client.post("/v1/due?lang=fr", json=GOOD).json()
    assert (body["title"], body["field"], body["given"]) == ("Giá trị không hợp lệ", "lang", "fr")
    assert body["detail"] == "lang: cần 'vi' (tiếng Việt) hoặc 'en' (tiếng Anh), nhận được 'fr'"
    monkeypatch.setenv("TTHC_LANG", "en")
    assert client.post("/v1/due?lang=fr", json=GOOD).json()["detail"] == "lang: expected 'vi' or 'en', got 'fr'"


def test_problem_lang_never_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTHC_LANG", "klingon")
    assert problem_lang("en") == "en"
    assert problem_lang("fr") == "vi"  # neither the asked language nor the service's: Vietnamese
    assert problem_lang(None) == "vi"


def test_a_pydantic_error_type_not_listed_keeps_pydantic_english() -> None:
    error = {"type": "some_future_type", "loc": ("body", "x"), "msg": "Input should be shiny", "input": 1}
    problem = problem_from_validation([error], "/v1/x", "vi")
    assert (problem.title, problem.expected) == ("Yêu cầu không hợp lệ", "shiny")
    assert problem.detail == "x: cần shiny, nhận được 1"


def test_a_pydantic_context_it_no_longer_gives_falls_back_to_its_text() -> None:
    error = {"type": "less_than_equal", "loc": ("query", "n"), "msg": "Input should be at most 5", "ctx": {}}
    assert problem_from_validation([error], None, "vi").expected == "at most 5"


def test_answer_fields_follow_lang(client: TestClient) -> None:
    vi = client.post("/v1/due?lang=vi", json=GOOD).json()
    en = client.post("/v1/due?lang=en", json=GOOD).json()
    assert (vi["effective_time"], en["effective_time"]) == ("5 ngày làm việc", "5 working days")
    assert vi["processing_time"] == en["processing_time"] == "5 ngày làm việc"  # as published
    none = {**GOOD, "processing_time": "Không quy định"}
    vi = client.post("/v1/due?lang=vi", json=none).json()
    en = client.post("/v1/due?lang=en", json=none).json()
    assert vi["reason"] == "thời hạn giải quyết không quy định: không có hạn giải quyết"
    assert en["reason"] == "processing time not specified (không quy định): no due date"
    assert (vi["effective_time"], en["effective_time"]) == ("không quy định", "unspecified")


def test_batch_reasons_and_inline_errors_follow_lang(client: TestClient) -> None:
    items = [{**GOOD, "processing_time": "Không quy định"}, {**GOOD, "processing_time": "x"}]
    vi = client.post("/v1/due/batch?lang=vi", json={"items": items}).json()["results"]
    en = client.post("/v1/due/batch?lang=en", json={"items": items}).json()["results"]
    assert vi[0]["reason"] == "thời hạn giải quyết không quy định: không có hạn giải quyết"
    assert en[0]["reason"] == "processing time not specified (không quy định): no due date"
    assert vi[1]["error"]["title"] == "Giá trị không hợp lệ"
    assert vi[1]["error"]["detail"] == f"processing_time: cần {_EXPECTED_PT}, nhận được 'x' (không có con số ở đầu)"
    assert en[1]["error"]["detail"] == f"processing_time: expected {_EXPECTED_PT}, got 'x' (no leading figure)"


def test_dossier_findings_follow_lang(client: TestClient) -> None:
    first = {"first": {"kind": "received", "at": "2026-03-02T09:00:00"}, "processing_time": "5 ngày làm việc"}
    snapshot = client.post("/v1/dossiers?lang=vi", json=first).json()["dossier"]
    events = [
        {"kind": "supplement_requested", "at": "2026-03-20T09:00:00"},
        {"kind": "supplement_completed", "at": "2026-03-21T09:00:00"},
        {"kind": "supplement_requested", "at": "2026-03-23T09:00:00"},
    ]
    answers = {
        lang: client.post(f"/v1/dossiers/events?lang={lang}", json={"dossier": snapshot, "events": events}).json()
        for lang in ("vi", "en")
    }
    vi, en = ([f["message"] for f in answers[lang]["findings"]] for lang in ("vi", "en"))
    assert vi[1] == "yêu cầu bổ sung lần 2; pháp luật chỉ cho phép 1 lần (QĐ 766 tính hồ sơ là quá hạn)"
    assert en[1] == "supplement request 2; the law allows 1 (QĐ 766 counts the dossier late)"
    assert answers["vi"]["dossier"] == answers["en"]["dossier"]  # the snapshot holds no words


def test_guard_refusals_follow_lang(client_with: Callable[..., TestClient]) -> None:
    small = client_with(max_body_bytes=10)
    vi = small.post("/v1/due?lang=vi", content=b"x" * 11, headers={"content-type": "application/json"}).json()
    en = small.post("/v1/due?lang=en", content=b"x" * 11, headers={"content-type": "application/json"}).json()
    assert (vi["title"], vi["detail"], vi["expected"]) == (
        "Nội dung yêu cầu quá lớn",
        "body: cần tối đa 10 byte, nhận được 11 byte",
        "tối đa 10 byte",
    )
    assert (en["title"], en["detail"], en["expected"]) == (
        "Request body too large",
        "body: expected at most 10 bytes, got 11 bytes",
        "at most 10 bytes",
    )
    assert vi["given"] == en["given"] == "11 bytes"
    keyed = client_with(api_key="k")
    vi = keyed.get("/v1/version?lang=vi").json()
    en = keyed.get("/v1/version?lang=en").json()
    assert (vi["title"], vi["detail"]) == ("Cần khóa API", "X-API-Key: cần khóa API của dịch vụ, nhận được không có")
    assert (en["title"], en["detail"]) == ("API key required", "X-API-Key: expected the service's API key, got none")


def test_tthc_batch_inline_errors_follow_the_run_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.cli._app import app

    lines = "\n".join(["", json.dumps({**GOOD, "processing_time": "x"}), "{}"]) + "\n"

    def run(lang: str) -> list[dict[str, Any]]:
        stdin = io.TextIOWrapper(io.BytesIO(lines.encode("utf-8")), encoding="utf-8")
        monkeypatch.setattr("sys.stdin", stdin)
        assert app(["--lang", lang, "batch", "due"]) == 1
        return [json.loads(line)["error"] for line in capsys.readouterr().out.splitlines()]

    vi, en = run("vi"), run("en")
    assert [e["detail"] for e in vi] == [
        "(line): cần một đối tượng JSON, nhận được một dòng trống",
        f"processing_time: cần {_EXPECTED_PT}, nhận được 'x' (không có con số ở đầu)",
        "received_at: cần một giá trị (trường này là bắt buộc), nhận được {}",
    ]
    assert [e["title"] for e in vi] == ["Yêu cầu không hợp lệ", "Giá trị không hợp lệ", "Yêu cầu không hợp lệ"]
    assert [e["detail"] for e in en] == [
        "(line): expected a JSON object, got an empty line",
        f"processing_time: expected {_EXPECTED_PT}, got 'x' (no leading figure)",
        "received_at: expected a value (the field is required), got {}",
    ]
    assert [e.get("field") for e in vi] == [e.get("field") for e in en]
