"""The service's inputs, after the hostile schema-fuzzing review of session 12 (/tmp/s12/hostile/Q), each kept fixed.

1. Every date and date-time of a request (body fields, query and path parameters) is read by the library's one rule,
   the rule of ``tthc due --received`` and the CLI's day options: ``20261120`` is 2026-11-20 as on the command line,
   ``dd/mm/yyyy`` is read, and a number (or digits that are no ISO date) is refused naming the field — never read as
   seconds since 1970. The OpenAPI document still says ``string`` / ``date-time`` (``date``).
2. Two ``file`` parts in a records upload are one 422 naming ``file`` ("expected one file, got 2"), never the last
   file validated alone.
3. A ``file`` part sent as a text field (or with an empty file name) is a one-line problem in words, without the
   content as ``given``; a ``given`` is always one line, and never a Python ``b'...'`` literal.
4. A bad ``?lang=`` is a 422 naming ``lang`` on every ``/v1`` route, and every route lists ``lang`` in the OpenAPI.
5. A body with a Content-Type other than JSON (or none) is a 415 problem naming ``Content-Type`` on every JSON route,
   ``/v1/due`` and ``/v1/due/batch`` included.
"""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tthc.cli._app import app as cli_app
from tthc.testing.record_files import csv_text, row

PROBLEM = "application/problem+json"
DUE = {"processing_time": "5 ngày làm việc"}
INSTANT_EN = "an ISO 8601 datetime or 'dd/mm/yyyy [HH:MM[:SS]]' (no zone = Vietnam time)"
DAY_EN = "a date, ISO 8601 or dd/mm/yyyy (2026-02-13 or 13/02/2026)"
SNAPSHOT_FIRST = {"kind": "received", "at": "2026-11-20T16:30:00", "via": "online"}


def _problem(r: Any, status: int, field: str) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = r.json()
    assert body["field"] == field, body
    return body


# -- 1. dates and instants by the one rule ---------------------------------------------------------------------------


def test_a_compact_iso_date_is_read_as_tthc_due_reads_it(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_app(["--lang", "en", "due", "--received", "20261120", "--processing-time", "5 ngày làm việc"]) == 0
    assert "2026-11-30 17:00" in capsys.readouterr().out
    r = client.post("/v1/due?lang=en", json={"received_at": "20261120", **DUE})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["due_at"] == "2026-11-30T17:00:00+07:00"


@pytest.mark.parametrize("value", ["1763630000", 1763630000, 1763630000000, 0, 1.5, True])
def test_a_number_is_no_receipt_instant(client: TestClient, value: object) -> None:
    """`tthc due --received 1763630000` is refused; so is the same text, or a JSON number, over HTTP."""
    body = _problem(client.post("/v1/due?lang=en", json={"received_at": value, **DUE}), 422, "received_at")
    given = value if isinstance(value, str) else repr(value)
    assert body["detail"] == f"received_at: expected {INSTANT_EN}, got {given}"
    assert (body["expected"], body["given"]) == (INSTANT_EN, given)


@pytest.mark.parametrize(
    "value", ["2026-11-20T16:30:00", "2026-11-20 16:30", "20/11/2026 16:30", "20261120T163000", "2026-11-20T09:30:00Z"]
)
def test_every_spelling_of_the_rule_is_the_same_instant(client: TestClient, value: str) -> None:
    r = client.post("/v1/due", json={"received_at": value, **DUE})
    assert r.status_code == 200, r.text[:300]
    assert (r.json()["received_at"], r.json()["due_at"]) == ("2026-11-20T16:30:00+07:00", "2026-12-01T17:00:00+07:00")


def test_a_receipt_outside_the_calendar_is_given_as_sent(client: TestClient) -> None:
    body = _problem(
        client.post("/v1/due?lang=en", json={"received_at": "1990-01-01T09:00:00", **DUE}), 422, "received_at"
    )
    assert body["given"] == "1990-01-01T09:00:00"  # as sent: no zone added, not 1970 either


def test_the_batch_reads_each_item_by_the_same_rule(client: TestClient) -> None:
    good = client.post("/v1/due/batch", json={"items": [{"received_at": "20261120", **DUE}]})
    assert good.status_code == 200
    assert good.json()["results"][0]["due_at"] == "2026-11-30T17:00:00+07:00"
    r = client.post("/v1/due/batch?lang=en", json={"items": [{"received_at": "2026-11-20", **DUE}, {"received_at": 0}]})
    assert r.status_code == 200  # a bad item is answered by its own error, never fails the others
    first, second = r.json()["results"]
    assert first["error"] is None
    assert first["due_at"] == good.json()["results"][0]["due_at"]  # "2026-11-20" reads as "20261120" does
    assert second["error"]["field"] == "received_at"
    assert second["error"]["detail"] == f"received_at: expected {INSTANT_EN}, got 0"


@pytest.mark.parametrize(
    ("field", "value", "good"),
    [("due_at", 0, "2026-12-01T17:00:00"), ("finished_at", "1764583200", "01/12/2026 16:00")],
)
def test_classify_reads_its_instants_by_the_rule(client: TestClient, field: str, value: object, good: str) -> None:
    base = {"due_at": "2026-12-01T17:00:00", "finished_at": "2026-12-02T08:00:00"}
    body = _problem(client.post("/v1/classify?lang=en", json={**base, field: value}), 422, field)
    assert body["expected"] == INSTANT_EN
    assert client.post("/v1/classify", json={**base, field: good}).status_code == 200


@pytest.mark.parametrize("path", ["/v1/quote", "/v1/eligibility"])
def test_a_day_in_a_body_is_read_by_the_rule(client: TestClient, path: str) -> None:
    base = {"procedure": "1.002809", "channel": "online"} if path == "/v1/quote" else {"procedure": "1.002809"}
    body = _problem(client.post(f"{path}?lang=en", json={**base, "on": 1740960000}), 422, "on")
    assert body["detail"] == f"on: expected {DAY_EN}, got 1740960000"
    iso = client.post(path, json={**base, "on": "2025-03-03"})
    dmy = client.post(path, json={**base, "on": "03/03/2025"})
    assert iso.status_code == dmy.status_code == 200
    assert iso.json() == dmy.json()


def test_a_day_in_the_query_or_the_path_is_read_by_the_rule(client: TestClient) -> None:
    _problem(client.get("/v1/procedures?on=0"), 422, "on")
    assert (
        client.get("/v1/procedures?on=2026-03-02").json()["total"]
        == client.get("/v1/procedures?on=02/03/2026").json()["total"]
    )
    # the CLI's day options refuse the basic format (20260213) and a time of day: so does the service
    _problem(client.get("/v1/calendar/add?date=20260213&n=5"), 422, "date")
    _problem(client.get("/v1/calendar/between?start=1770940800&end=2026-03-02"), 422, "start")
    _problem(client.get("/v1/calendar/days/0"), 422, "day")
    one = client.get("/v1/calendar/add?date=13/02/2026&n=5").json()
    assert (one["date"], one["result"]) == ("2026-02-13", "2026-02-27")


def test_an_instant_in_the_query_is_read_by_the_rule(client: TestClient) -> None:
    _problem(client.get("/v1/calendar/working-time?start=1763630000&end=2026-11-25T08:30:00"), 422, "start")
    r = client.get("/v1/calendar/working-time?start=20/11/2026 16:00&end=20261125T0830")
    assert r.status_code == 200, r.text[:300]
    assert (
        r.json()["seconds"]
        == client.get("/v1/calendar/working-time?start=2026-11-20T16:00:00&end=2026-11-25T08:30:00").json()["seconds"]
    )
    upload = {"file": ("a.csv", _csv("A", 1))}
    _problem(client.post("/v1/records/kpis?by=total&as_of=0", files=upload), 422, "as_of")


def test_a_dossier_state_as_of_is_read_by_the_rule(client: TestClient) -> None:
    created = client.post("/v1/dossiers", json={"first": SNAPSHOT_FIRST, **DUE})
    assert created.status_code == 200
    snapshot = created.json()["dossier"]
    _problem(client.post("/v1/dossiers/state", json={"dossier": snapshot, "as_of": 1764000000}), 422, "as_of")
    r = client.post("/v1/dossiers/state", json={"dossier": snapshot, "as_of": "25/11/2026 08:00"})
    assert r.status_code == 200, r.text[:300]


def test_the_openapi_still_says_string_date_time(client: TestClient) -> None:
    spec = client.get("/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {k: schemas["DueRequest"]["properties"]["received_at"][k] for k in ("type", "format")} == {
        "type": "string",
        "format": "date-time",
    }
    assert {"type": "string", "format": "date"} in schemas["QuoteRequest"]["properties"]["on"]["anyOf"]
    add = spec["paths"]["/v1/calendar/add"]["get"]["parameters"]
    assert next(p for p in add if p["name"] == "date")["schema"]["format"] == "date"


# -- 2. one file per upload ------------------------------------------------------------------------------------------


def _csv(code: str, n: int) -> bytes:
    return csv_text([row(dossier_code=f"{code}{i}") for i in range(n)]).encode()


@pytest.mark.parametrize("path", ["/v1/records/validate", "/v1/records/kpis?by=total"])
def test_two_files_are_refused_naming_file(client: TestClient, path: str) -> None:
    files = [("file", ("a.csv", _csv("A", 3))), ("file", ("b.csv", _csv("B", 1)))]
    body = _problem(client.post(path + ("&" if "?" in path else "?") + "lang=en", files=files), 422, "file")
    assert body["detail"] == "file: expected one file, got 2"
    assert (body["expected"], body["given"]) == ("one file", "2")


@pytest.mark.parametrize("path", ["/v1/records/validate", "/v1/records/kpis?by=total"])
def test_one_file_is_answered_whole(client: TestClient, path: str) -> None:
    r = client.post(path, files=[("file", ("a.csv", _csv("A", 3)))])
    assert r.status_code == 200
    rows = json.loads(r.text.splitlines()[-1])["summary"]["rows"] if "validate" in path else r.json()["rows"]
    assert rows == 3


# -- 3. a file sent as text; one-line given -------------------------------------------------------------------------

CONTENT = "a,b\n1,2\n"


@pytest.mark.parametrize("how", ["text field", "empty file name"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_file_sent_as_text_is_a_one_line_worded_problem(client: TestClient, how: str, lang: str) -> None:
    if how == "text field":
        r = client.post(f"/v1/records/validate?lang={lang}", data={"file": CONTENT})
    else:
        r = client.post(f"/v1/records/validate?lang={lang}", files={"file": ("", CONTENT.encode())})
    body = _problem(r, 422, "file")
    assert "\n" not in body["detail"], body["detail"]
    assert "a,b" not in body["detail"], body["detail"]
    assert "a,b" not in (body.get("given") or "")
    assert "<class" not in body["detail"]
    assert "UploadFile" not in body["detail"]
    if lang == "en":
        assert body["detail"] == "file: expected a file upload (multipart part with a filename), got a text field"


def test_a_given_with_line_breaks_is_shown_on_one_line(client: TestClient) -> None:
    body = _problem(
        client.post("/v1/quote?lang=en", json={"procedure": "1.002809", "channel": "fax\r\nx"}), 422, "channel"
    )
    assert body["given"] == "fax\\r\\nx"
    assert "\n" not in body["detail"]
    assert "\r" not in body["detail"]


def test_a_body_that_is_no_json_is_never_shown_as_a_python_bytes_literal(client: TestClient) -> None:
    packed = gzip.compress(json.dumps({"procedure": "1.002809", "channel": "online"}).encode())
    r = client.post("/v1/quote?lang=en", content=packed, headers={"content-type": "application/json"})
    assert r.status_code in (400, 422), r.text[:300]
    body = r.json()
    assert not (body.get("given") or "").startswith("b'"), body
    assert "b'\\x1f" not in body["detail"], body["detail"]


# -- 4. ?lang= on every route ----------------------------------------------------------------------------------------


def _operations(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/v1/openapi.json").json()
    return [(method, path) for path, ops in spec["paths"].items() for method in ops]


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: {"day": "2026-02-16", "year": "2026", "code": "1.002809"}[m[1]], path)


def test_every_operation_is_checked(client: TestClient) -> None:
    assert len(_operations(client)) == 20


@pytest.mark.parametrize("lang", ["fr", "", "xx-YY"])
def test_a_bad_lang_is_a_422_naming_lang_on_every_route(client: TestClient, lang: str) -> None:
    for method, path in _operations(client):
        r = client.request(method.upper(), f"{_url(path)}?lang={lang}")
        body = _problem(r, 422, "lang")
        assert body["given"] == lang, (method, path, body)


def test_a_valid_lang_is_accepted_on_the_routes_that_word_nothing(client: TestClient) -> None:
    for url in [
        "/v1/health?lang=en",
        "/v1/version?lang=vi",
        "/v1/calendar/add?date=2026-02-13&n=5&lang=en",
        "/v1/calendar/between?start=2026-02-13&end=2026-03-02&lang=vi",
        "/v1/procedures/1.002809?lang=en",
        "/v1/procedures?lang=en",
    ]:
        assert client.get(url).status_code == 200, url
    r = client.post(
        "/v1/classify?lang=en", json={"due_at": "2026-12-01T17:00:00", "finished_at": "2026-12-02T08:00:00"}
    )
    assert r.status_code == 200


def test_every_operation_lists_lang_once(client: TestClient) -> None:
    spec = client.get("/v1/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
            assert names.count("lang") == 1, (method, path, names)


# -- 5. a JSON body must say it is JSON ------------------------------------------------------------------------------

JSON_ROUTES: list[tuple[str, dict[str, Any]]] = [
    ("/v1/due", {"received_at": "2026-11-20T16:30:00", **DUE}),
    ("/v1/due/batch", {"items": [{"received_at": "2026-11-20T16:30:00", **DUE}]}),
    ("/v1/classify", {"due_at": "2026-12-01T17:00:00", "finished_at": "2026-12-02T08:00:00"}),
    ("/v1/quote", {"procedure": "1.002809", "channel": "online", "on": "2025-03-03"}),
    ("/v1/eligibility", {"procedure": "2.002209", "service": "both", "on": "2026-03-02"}),
    ("/v1/dossiers", {"first": SNAPSHOT_FIRST, **DUE}),
]


@pytest.mark.parametrize(("path", "body"), JSON_ROUTES, ids=[p for p, _ in JSON_ROUTES])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/jsonx"])
def test_a_json_body_with_another_content_type_is_a_415(
    client: TestClient, path: str, body: dict[str, Any], content_type: str
) -> None:
    r = client.post(f"{path}?lang=en", content=json.dumps(body), headers={"content-type": content_type})
    problem = _problem(r, 415, "Content-Type")
    assert problem["type"] == "urn:tthc:problem:unsupported-media-type"
    assert problem["detail"] == f"Content-Type: expected application/json, got {content_type}"
    assert (problem["expected"], problem["given"]) == ("application/json", content_type)


@pytest.mark.parametrize(("path", "body"), JSON_ROUTES, ids=[p for p, _ in JSON_ROUTES])
def test_a_json_body_without_a_content_type_is_a_415(client: TestClient, path: str, body: dict[str, Any]) -> None:
    r = client.post(f"{path}?lang=en", content=json.dumps(body))
    problem = _problem(r, 415, "Content-Type")
    assert problem["detail"] == "Content-Type: expected application/json, got no Content-Type header"
    assert "given" not in problem


@pytest.mark.parametrize(("path", "body"), JSON_ROUTES, ids=[p for p, _ in JSON_ROUTES])
@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "application/x+json"])
def test_a_json_content_type_is_read(client: TestClient, path: str, body: dict[str, Any], content_type: str) -> None:
    r = client.post(path, content=json.dumps(body), headers={"content-type": content_type})
    assert r.status_code == 200, r.text[:300]


def test_an_empty_body_is_left_to_the_route(client: TestClient) -> None:
    r = client.post("/v1/quote?lang=en", content=b"", headers={"content-type": "text/plain"})
    assert r.status_code == 422
    assert r.json()["type"] == "urn:tthc:problem:invalid-request"


def test_the_415_is_documented_on_the_json_routes_only(client: TestClient) -> None:
    spec = client.get("/v1/openapi.json").json()
    json_paths = {p for p, _ in JSON_ROUTES} | {"/v1/dossiers/events", "/v1/dossiers/state"}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert ("415" in op["responses"]) == (path in json_paths), (method, path)
