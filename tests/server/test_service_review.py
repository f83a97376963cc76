"""The defects found by a hostile review of the service, session 11 (/tmp/s11/hostile/R1), each kept fixed.

1. A bad ``as_of`` on the record routes is one 422 naming ``as_of`` (not an ``E_CHECK_FAILED`` on every row); the
   Python API (``ValidationOptions``) and the command line (``--as-of``) refuse it too.
2. ``/v1/due/batch`` and ``tthc batch due`` take ``postal`` like ``/v1/due``, and answer the same due date under a
   reduction conditioned on the postal legs.
3. Every line of ``/v1/records/validate`` is JSON whatever the upload's file name (a ``"``, a TAB).
4. A lone surrogate in a JSON string is a 422 naming the field (its ``given`` escaped), never a 500.
5. With an API key and ``--cors-origin``, a browser's preflight is answered with the CORS headers without the key;
   the request itself still needs the key, and its refusal carries the CORS headers.
6. ``HEAD`` on a GET route answers like GET without a body.
7. A date outside the compiled calendar is named by the request's field, with ``given``.
8. An error raised inside a validator is said once; a union is reported by its real error, not its is-instance
   branch.
9. No English inside a Vietnamese problem: a too deeply nested body on a route FastAPI parses is the worded 422 of
   ``/v1/due``; speedate's "year 0 is out of range" is worded.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tthc.cli._app import app as cli_app
from tthc.errors import InvalidValueError
from tthc.records.sample import sample_path
from tthc.server import ServiceData
from tthc.validation.context import ValidationOptions

PROBLEM = "application/problem+json"
ORIGIN = "https://portal.example.gov.vn"
FIRST = {"kind": "received", "at": "2026-11-20T16:30:00", "via": "online"}
DOSSIER_BODY = {"first": FIRST, "processing_time": "5 ngày làm việc"}


def _sample_csv(rows: int = 20) -> bytes:
    lines = sample_path().read_text(encoding="utf-8").splitlines()
    return ("\n".join(lines[: rows + 1]) + "\n").encode()


# -- 1. as_of ------------------------------------------------------------------------------------------------------

BAD_AS_OF = "0001-01-01T00:00:00+14:00"  # valid ISO 8601; 31 Dec of year 0 in Vietnam time


@pytest.mark.parametrize(
    ("path", "params"),
    [("/v1/records/validate", {}), ("/v1/records/kpis", {"by": "total"})],
    ids=["validate", "kpis"],
)
@pytest.mark.parametrize("as_of", [BAD_AS_OF, "9999-12-31T23:59:59-12:00"])
def test_a_bad_as_of_is_one_422_naming_it(client: TestClient, path: str, params: dict[str, str], as_of: str) -> None:
    r = client.post(path, params={**params, "as_of": as_of, "lang": "vi"}, files={"file": ("d.csv", _sample_csv())})
    assert r.status_code == 422, r.text[:300]
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert (problem["type"], problem["field"]) == ("urn:tthc:problem:invalid-value", "as_of")
    assert problem["given"] == as_of
    assert problem["detail"] == f"as_of: cần một thời điểm trong các năm 1..9999 theo giờ Việt Nam, nhận được '{as_of}'"


def test_validation_options_refuse_an_as_of_outside_years_1_to_9999() -> None:
    with pytest.raises(InvalidValueError) as info:
        ValidationOptions(as_of=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
    assert info.value.field == "as_of"
    assert ValidationOptions(as_of=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=14)))).as_of is not None


@pytest.mark.parametrize("command", [["validate", "--sample"], ["kpi", "--sample", "--by", "total"]])
def test_the_command_line_refuses_a_bad_as_of_in_one_line(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli_app([*command, "--as-of", BAD_AS_OF])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith("tthc: --as-of: "), err


# -- 2. postal in batches ------------------------------------------------------------------------------------------

POSTAL = {"received_at": "2026-11-20T10:00:00", "processing_time": "5 ngày làm việc", "channel": "postal"}


@pytest.fixture(scope="module")
def reductions_client(service_data: ServiceData) -> TestClient:
    import attrs

    data = ServiceData.load(attrs.evolve(service_data.config, example_reductions=True))
    return TestClient(__import__("tthc.server", fromlist=["create_app"]).create_app(data=data))


def test_the_batch_takes_postal_and_answers_as_due_does(reductions_client: TestClient) -> None:
    items = [{**POSTAL, "postal": p} for p in ("send", "return", "both")] + [POSTAL]
    singles = [reductions_client.post("/v1/due", json=item).json()["due_at"] for item in items]
    # the bundled example reduction is conditioned on the send leg: it shortens "send" and "both" only
    assert singles == [
        "2026-11-27T17:00:00+07:00",
        "2026-11-30T17:00:00+07:00",
        "2026-11-27T17:00:00+07:00",
        "2026-11-30T17:00:00+07:00",
    ]
    batch = reductions_client.post("/v1/due/batch", json={"items": items})
    assert batch.status_code == 200, batch.text[:300]
    assert [row["due_at"] for row in batch.json()["results"]] == singles


def test_the_fast_path_takes_postal_too(client: TestClient) -> None:
    # without reductions the legs change nothing: the vectorised answer equals /v1/due's
    item = {**POSTAL, "postal": "send"}
    single = client.post("/v1/due", json=item).json()
    batch = client.post("/v1/due/batch", json={"items": [item, {**item, "postal": "nope"}]})
    assert batch.status_code == 200  # a bad value of the new field is refused like any other: in its item alone
    refused = batch.json()["results"][1]
    assert (refused["due_at"], refused["error"]["field"]) == (None, "postal")
    batch = client.post("/v1/due/batch", json={"items": [item]})
    assert batch.json()["results"][0]["due_at"] == single["due_at"] == "2026-11-30T17:00:00+07:00"


def test_due_many_passes_postal_through(service_data: ServiceData) -> None:
    import attrs

    from tthc.server.due_batch import due_many
    from tthc.server.service import DueItem, DueRequest, due_one

    data = ServiceData.load(attrs.evolve(service_data.config, example_reductions=True))
    item = {**POSTAL, "postal": "send"}
    (row,) = due_many(data, [DueItem.model_validate(item)])
    assert row.due_at == due_one(data, DueRequest.model_validate(item)).due_at
    assert row.due_at is not None
    assert row.due_at.isoformat() == "2026-11-27T17:00:00+07:00"


def test_tthc_batch_due_takes_a_due_body(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = "".join(json.dumps({**POSTAL, "postal": p}) + "\n" for p in ("send", "return"))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode()), encoding="utf-8"))
    code = cli_app(["batch", "due", "--example-reductions"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [(o["line"], o["due_at"]) for o in out] == [
        (1, "2026-11-27T17:00:00+07:00"),
        (2, "2026-11-30T17:00:00+07:00"),
    ]


# -- 3. the summary line whatever the file name --------------------------------------------------------------------


def _multipart(disposition_filename: str, content: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = "s11boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; {disposition_filename}\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), {
        "content-type": f"multipart/form-data; boundary={boundary}"
    }


@pytest.mark.parametrize(
    ("header", "name"),
    [(r'filename="h\"o so.csv"', 'h"o so.csv'), ('filename="ho\tso.csv"', "ho\tso.csv")],
    ids=["double-quote", "tab"],
)
def test_every_line_is_json_whatever_the_file_name(client: TestClient, header: str, name: str) -> None:
    lines = sample_path().read_text(encoding="utf-8").splitlines()
    bad = lines[3].replace("online,full", "fax,full", 1)  # one finding: the summary carries an example of it
    assert bad != lines[3]
    body, headers = _multipart(header, ("\n".join([*lines[:3], bad]) + "\n").encode())
    r = client.post("/v1/records/validate", content=body, headers=headers)
    assert r.status_code == 200
    answer = [json.loads(line) for line in r.text.splitlines()]
    summary = answer[-1]
    assert summary["type"] == "summary"
    assert [f["file"] for f in summary["summary"]["files"]] == [name]
    examples = [e for item in summary["summary"]["by_code"] for e in item.get("examples", [])]
    assert examples
    assert {e["file"] for e in examples} == {name}
    assert "upload." not in r.text  # the private path is never shown
    assert {a["file"] for a in answer[:-1]} == {name}


# -- 4. lone surrogates ------------------------------------------------------------------------------------------

SURROGATES = [
    ("/v1/quote", b'{"procedure": "1.002809", "channel": "online", "case": "\\ud800"}', "case", "\\ud800"),
    ("/v1/eligibility", b'{"procedure": "1.002809", "agency": "\\udc00"}', "agency", "\\udc00"),
    ("/v1/classify", b'{"due_at": "\\ud800"}', "due_at", "\\ud800"),
    (
        "/v1/dossiers",
        b'{"first": {"kind": "received", "at": "2026-11-20T16:30:00", "via": "online"},'
        b' "processing_time": "5 ng\\u00e0y l\\u00e0m vi\\u1ec7c", "dossier_code": "a\\ud800b"}',
        "dossier_code",
        "a\\ud800b",
    ),
]


@pytest.mark.parametrize(("path", "body", "field", "given"), SURROGATES, ids=[c[0] for c in SURROGATES])
def test_a_lone_surrogate_is_a_422_naming_the_field(
    client: TestClient, path: str, body: bytes, field: str, given: str
) -> None:
    r = client.post(f"{path}?lang=vi", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert (problem["type"], problem["field"], problem["given"]) == ("urn:tthc:problem:invalid-request", field, given)
    # a date field reads text by the library's date rule, which refuses it in its own words (session 12)
    expected = "ngày giờ theo ISO 8601" if field == "due_at" else "một chuỗi văn bản Unicode hợp lệ"
    assert problem["detail"].startswith(f"{field}: cần {expected}"), problem["detail"]
    assert problem["detail"].endswith(f", nhận được {given}"), problem["detail"]


def test_a_lone_surrogate_in_a_key_is_a_422_too(client: TestClient) -> None:
    body = b'{"procedure": "1.002809", "channel": "online", "\\ud800": 1}'
    r = client.post("/v1/quote?lang=en", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422  # the key cannot be read as text: the request is refused where it is, not a 500
    assert (r.json()["type"], r.json()["given"]) == ("urn:tthc:problem:invalid-request", "\\ud800")


# -- 5. CORS with an API key ---------------------------------------------------------------------------------------


def test_a_keyed_service_answers_the_browsers_preflight(client_with: Callable[..., TestClient]) -> None:
    c = client_with(api_key="secret", cors_origins=(ORIGIN,))
    preflight = c.options(
        "/v1/due",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-api-key",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "x-api-key" in preflight.headers["access-control-allow-headers"].lower()
    body = {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"}
    refused = c.post("/v1/due", json=body, headers={"Origin": ORIGIN})
    assert refused.status_code == 401
    assert refused.json()["type"] == "urn:tthc:problem:unauthorized"
    assert refused.headers["access-control-allow-origin"] == ORIGIN  # a browser can read why
    ok = c.post("/v1/due", json=body, headers={"Origin": ORIGIN, "X-API-Key": "secret"})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ORIGIN


def test_an_options_request_that_is_no_preflight_still_needs_the_key(client_with: Callable[..., TestClient]) -> None:
    c = client_with(api_key="secret", cors_origins=(ORIGIN,))
    assert c.options("/v1/due").status_code == 401
    assert client_with(api_key="secret").options("/v1/due", headers={"Origin": ORIGIN}).status_code == 401


# -- 6. HEAD -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1/health",
        "/v1/version",
        "/v1/calendar/feed/2026?format=csv",
        "/v1/calendar/feed/2026?format=ics",
        "/v1/procedures/1.002809",
        "/v1/calendar/days/2026-02-16",
    ],
)
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "x-tthc-calendar-version"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_keeps_the_errors_of_get(client: TestClient, client_with: Callable[..., TestClient]) -> None:
    missing = client.head("/v1/procedures/9.999999")
    assert (missing.status_code, missing.content) == (404, b"")
    post_only = client.head("/v1/due")
    assert (post_only.status_code, post_only.headers["allow"]) == (405, "POST")
    keyed = client_with(api_key="secret")
    assert keyed.head("/v1/version").status_code == 401
    assert keyed.head("/v1/health").status_code == 200


def test_the_openapi_document_lists_get_only(client: TestClient) -> None:
    spec = client.get("/v1/openapi.json").json()
    methods = {m for ops in spec["paths"].values() for m in ops}
    assert methods == {"get", "post"}


# -- 7. calendar range named by the request's field ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field", "given"),
    [
        ("/v1/due", {"received_at": "1999-12-31T09:00:00", "processing_time": "1 ngày"}, "received_at",
         "1999-12-31T09:00:00"),
        ("/v1/due", {"received_at": "2100-12-31T09:00:00", "processing_time": "5 ngày làm việc"}, "received_at",
         "2100-12-31T09:00:00"),
        ("/v1/classify", {"due_at": "1999-12-31T09:00:00", "finished_at": "2026-01-05T09:00:00"}, "due_at",
         "1999-12-31T09:00:00"),
        ("/v1/classify", {"due_at": "2026-12-31T09:00:00", "finished_at": "2101-12-31T09:00:00"}, "finished_at",
         "2101-12-31T09:00:00"),
        ("/v1/classify", {"due_at": "2026-12-31T09:00:00", "as_of": "2101-01-01T00:00:00"}, "as_of",
         "2101-01-01T00:00:00"),
        ("/v1/dossiers", {**DOSSIER_BODY, "first": {**FIRST, "at": "1999-12-31T09:00:00"}}, "first.at",
         "1999-12-31T09:00:00+07:00"),  # as the event holds it
        ("/v1/dossiers", {**DOSSIER_BODY, "first": {**FIRST, "at": "2100-12-31T09:00:00"}}, "first.at",
         "2100-12-31T09:00:00+07:00"),
    ],
    ids=["due.received_at", "due.received_at.answer", "classify.due_at", "classify.finished_at", "classify.as_of",
         "dossiers.first.at", "dossiers.first.at.answer"],
)  # fmt: skip
def test_a_calendar_range_problem_names_the_request_field(
    client: TestClient, path: str, body: dict[str, Any], field: str, given: str
) -> None:
    r = client.post(f"{path}?lang=vi", json=body)
    assert r.status_code == 422
    problem = r.json()
    assert (problem["type"], problem["field"], problem["given"]) == ("urn:tthc:problem:calendar-range", field, given)
    assert problem["detail"].startswith(f"{field}: "), problem["detail"]
    assert "01/01/2000..31/12/2100" in problem["detail"]


def test_the_batch_names_received_at_as_due_does(client: TestClient) -> None:
    item = {"received_at": "1999-12-31T09:00:00", "processing_time": "1 ngày"}
    single = client.post("/v1/due", json=item).json()
    error = client.post("/v1/due/batch", json={"items": [item]}).json()["results"][0]["error"]
    assert (error["field"], error["given"], error["detail"]) == ("received_at", single["given"], single["detail"])


def test_dossier_state_names_as_of(client: TestClient) -> None:
    dossier = client.post("/v1/dossiers", json=DOSSIER_BODY).json()["dossier"]
    r = client.post("/v1/dossiers/state", json={"dossier": dossier, "as_of": "2101-01-01T00:00:00"})
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["given"]) == ("as_of", "2101-01-01T00:00:00")


def test_dossier_events_name_the_event(client: TestClient) -> None:
    dossier = client.post("/v1/dossiers", json=DOSSIER_BODY).json()["dossier"]
    events = [
        {"kind": "supplement_requested", "at": "2026-11-23T10:00:00"},
        {"kind": "supplement_completed", "at": "2100-12-31T10:00:00"},  # the restarted due date falls past 2100
    ]
    r = client.post("/v1/dossiers/events", json={"dossier": dossier, "events": events})
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["given"]) == (
        "events.1.at",
        "2100-12-31T10:00:00+07:00",
    )  # as the event holds it
    r = client.post(
        "/v1/dossiers/events", json={"dossier": dossier, "events": [{**events[0], "at": "2101-01-01T00:00:00"}]}
    )
    assert (r.json()["field"], r.json()["given"]) == ("events.0.at", "2101-01-01T00:00:00+07:00")


@pytest.mark.parametrize(
    ("url", "field", "given"),
    [
        ("/v1/calendar/days/1999-12-31", "day", "1999-12-31"),  # the path's name
        ("/v1/calendar/between?start=1999-12-31&end=2000-01-05", "start", "1999-12-31"),
        ("/v1/calendar/add?date=2101-01-01&n=1", "date", "2101-01-01"),
        ("/v1/calendar/working-time?start=2026-01-05T09:00:00&end=2101-01-05T00:00:00", "end", "2101-01-05T00:00:00"),
    ],
)
def test_the_calendar_routes_name_their_parameter(client: TestClient, url: str, field: str, given: str) -> None:
    r = client.get(url)
    assert r.status_code == 422
    problem = r.json()
    assert (problem["type"], problem["field"], problem["given"]) == ("urn:tthc:problem:calendar-range", field, given)


# -- 8. validator errors said once, unions by their real error -----------------------------------------------------


@pytest.mark.parametrize(("lang", "got"), [("en", "got"), ("vi", "nhận được")])
def test_an_event_instant_refused_by_its_check_is_said_once(client: TestClient, lang: str, got: str) -> None:
    body = {"first": {**FIRST, "at": BAD_AS_OF}, "processing_time": "5 ngày làm việc"}
    r = client.post(f"/v1/dossiers?lang={lang}", json=body)
    assert r.status_code == 422
    problem = r.json()
    expected = {
        "en": "a datetime within year 1..9999 in Vietnam time",
        "vi": "một thời điểm trong các năm 1..9999 theo giờ Việt Nam",
    }[lang]
    assert problem["expected"] == expected
    assert problem["given"] == BAD_AS_OF
    assert (
        problem["detail"]
        == f"{problem['field']}: {'expected' if lang == 'en' else 'cần'} {expected}, {got} {BAD_AS_OF}"
    )
    assert problem["detail"].count(got) == 1


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_bad_processing_time_in_a_snapshot_names_its_real_error(client: TestClient, lang: str) -> None:
    dossier = client.post("/v1/dossiers", json=DOSSIER_BODY).json()["dossier"]
    bad = copy.deepcopy(dossier)
    bad["setup"]["processing_time"]["amount"] = -1
    r = client.post(f"/v1/dossiers/events?lang={lang}", json={"dossier": bad, "events": []})
    assert r.status_code == 422
    problem = r.json()
    assert (problem["field"], problem["given"]) == ("dossier.setup.processing_time.amount", "-1")
    expected = {"en": "a whole number in 0..999999", "vi": "một số nguyên trong khoảng 0..999999"}[lang]
    assert problem["expected"] == expected
    assert [e["field"] for e in problem["errors"]] == ["dossier.setup.processing_time.amount"]  # no is-instance branch


def test_a_bad_procedure_code_in_a_snapshot_is_said_once(client: TestClient) -> None:
    dossier = client.post("/v1/dossiers", json=DOSSIER_BODY).json()["dossier"]
    bad = copy.deepcopy(dossier)
    bad["setup"]["procedure"] = {"code": "x"}
    r = client.post("/v1/dossiers/events?lang=vi", json={"dossier": bad, "events": []})
    problem = r.json()
    assert (problem["field"], problem["given"]) == ("dossier.setup.procedure.code", "x")
    assert problem["detail"].startswith("dossier.setup.procedure.code: cần dạng 'd.dddddd'")
    assert problem["detail"].count("nhận được") == 1


# -- 9. Vietnamese problems stay Vietnamese ------------------------------------------------------------------------

DEEP = b"[" * 3000


@pytest.mark.parametrize("path", ["/v1/quote", "/v1/eligibility", "/v1/classify", "/v1/dossiers", "/v1/dossiers/state"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_deeply_nested_body_is_the_worded_422_of_due(client: TestClient, path: str, lang: str) -> None:
    due = client.post(f"/v1/due?lang={lang}", content=DEEP, headers={"content-type": "application/json"})
    r = client.post(f"{path}?lang={lang}", content=DEEP, headers={"content-type": "application/json"})
    assert due.status_code == r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    assert {**r.json(), "instance": None} == {**due.json(), "instance": None}
    assert r.json()["type"] == "urn:tthc:problem:invalid-request"


DUE = "/v1/due", "received_at", {"processing_time": "1 ngày"}
QUOTE = "/v1/quote", "on", {"procedure": "1.002809", "channel": "online"}  # a day

_INSTANT_VI = "ngày giờ theo ISO 8601 hoặc 'dd/mm/yyyy [HH:MM[:SS]]' (không ghi múi giờ = giờ Việt Nam)"
_DAY_VI = "một ngày theo ISO 8601 hoặc dd/mm/yyyy (2026-02-13 hoặc 13/02/2026)"


@pytest.mark.parametrize(
    ("route", "value", "given", "expected_vi", "why_vi"),
    [
        (DUE, "0000-01-01T09:00:00", "0000-01-01T09:00:00", _INSTANT_VI, " (không có năm 0)"),
        (DUE, 1e20, "1e+20", _INSTANT_VI, ""),
        (DUE, -1e20, "-1e+20", _INSTANT_VI, ""),
        (QUOTE, "2026-01-01T00:00:00+14", "2026-01-01T00:00:00+14", _DAY_VI, " (chỉ ghi ngày, không ghi giờ)"),
        (QUOTE, "2026-01-01T00:00:00.", "2026-01-01T00:00:00.", _DAY_VI, " (chỉ ghi ngày, không ghi giờ)"),
        (QUOTE, "2026-01-01T00:00:00+99:00", "2026-01-01T00:00:00+99:00", _DAY_VI, " (chỉ ghi ngày, không ghi giờ)"),
    ],
)
def test_the_date_fields_refusals_are_worded(
    client: TestClient, route: tuple[str, str, dict[str, str]], value: object, given: str, expected_vi: str, why_vi: str
) -> None:
    """Session 12: a request's dates are read by the library's one rule (as `tthc due --received` and the CLI's day
    options read them), so its refusal is the rule's, worded in both languages — no longer pydantic's parser's
    reasons (a number read as Unix time among them)."""
    path, field, body = route
    r = client.post(f"{path}?lang=vi", json={**body, field: value})
    assert r.status_code == 422
    assert r.json()["detail"] == f"{field}: cần {expected_vi}, nhận được {given}{why_vi}"
    english = client.post(f"{path}?lang=en", json={**body, field: value}).json()
    assert english["detail"].startswith(f"{field}: expected "), english["detail"]
    assert f", got {given}" in english["detail"]


def test_docs_service_says_what_changed() -> None:
    text = (Path(__file__).parents[2] / "docs" / "service.md").read_text(encoding="utf-8")
    for said in ("`HEAD`", "preflight", '`"postal"`', "naming\n`as_of`"):
        assert said in text, said


@pytest.mark.parametrize("level", [4, "4", "mức độ 4"])
def test_the_online_level_is_read_as_the_library_reads_it(client: TestClient, level: object) -> None:
    """``quote()``, ``compute_due()``, ``Dossier.start()`` and the CLI read ``4`` / ``"mức độ 4"`` as ``level_4``;
    the HTTP models refused them with a 422 (found by session 11's review of fees and dossiers)."""
    quote = {"procedure": "1.002809", "channel": "online"}
    want = client.post("/v1/quote", json={**quote, "online_level": "level_4"})
    got = client.post("/v1/quote", json={**quote, "online_level": level})
    assert (got.status_code, got.json()["total"]) == (200, want.json()["total"])
    due = {**POSTAL, "channel": "online", "postal": None}
    want = client.post("/v1/due", json={**due, "online_level": "level_4"}).json()["due_at"]
    assert client.post("/v1/due", json={**due, "online_level": level}).json()["due_at"] == want
    batch = client.post("/v1/due/batch", json={"items": [{**due, "online_level": level}]})
    assert batch.status_code == 200, batch.text[:300]
    assert batch.json()["results"][0]["due_at"] == want


def test_an_unknown_online_level_is_a_422_naming_it(client: TestClient) -> None:
    r = client.post("/v1/quote?lang=en", json={"procedure": "1.002809", "channel": "online", "online_level": 9})
    assert r.status_code == 422
    assert r.json()["field"] == "online_level"
