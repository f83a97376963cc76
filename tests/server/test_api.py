"""The HTTP API: answers equal the library's, errors are problem details naming field / expected / given, every answer
carries its data versions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

import tthc
from tthc.calendar.working_calendar import public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.deadlines.compute import compute_due
from tthc.records.sample import sample_path
from tthc.server import ServiceData
from tthc.testing import calendar_data_version

PROBLEM = "application/problem+json"


def _problem(response: object, status: int) -> dict[str, object]:
    assert getattr(response, "status_code", None) == status, getattr(response, "text", response)
    assert response.headers["content-type"].startswith(PROBLEM)  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    assert "Traceback" not in json.dumps(body)
    return body


# -- errors first ----------------------------------------------------------------------------------------------------


def test_a_bare_number_is_a_problem_naming_field_expected_and_given(client: TestClient) -> None:
    body = _problem(client.post("/v1/due", json={"received_at": "2026-11-20T09:00:00", "processing_time": "20"}), 422)
    assert body["field"] == "processing_time"
    assert body["given"] == "20"
    assert "unit" in str(body["expected"])


def test_a_malformed_body_lists_every_bad_field(client: TestClient) -> None:
    body = _problem(client.post("/v1/due", json={"received_at": "yesterday", "channel": "fax", "extra": 1}), 422)
    fields = {e["field"] for e in body["errors"]}  # type: ignore[attr-defined]
    assert fields == {"received_at", "channel", "extra"}
    assert body["given"] == "yesterday"


def test_invalid_json_is_a_422_problem_not_a_500(client: TestClient) -> None:
    r = client.post("/v1/due", content=b"{not json", headers={"content-type": "application/json"})
    _problem(r, 422)


def test_unknown_procedure_is_404_and_out_of_range_date_is_422(client: TestClient) -> None:
    body = _problem(client.get("/v1/procedures/9.999999"), 404)
    assert "9.999999" in str(body["detail"])
    body = _problem(
        client.post("/v1/due", json={"received_at": "1999-12-31T09:00:00", "processing_time": "1 ngày"}), 422
    )
    assert body["type"] == "urn:tthc:problem:calendar-range"
    _problem(client.get("/v1/nowhere"), 404)
    _problem(client.put("/v1/due"), 405)


def test_an_unexpected_error_is_a_500_problem_without_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tthc.server.routes.deadlines as routes

    def boom(*args: object) -> object:
        raise RuntimeError("secret internals /srv/tthc")

    monkeypatch.setattr(routes, "classify_one", boom)
    body = _problem(client.post("/v1/classify", json={"due_at": "2026-12-01T17:00:00"}), 500)
    assert "secret" not in json.dumps(body)


# -- due dates -------------------------------------------------------------------------------------------------------


def test_due_equals_the_library_with_its_trace_and_versions(client: TestClient, service_data: ServiceData) -> None:
    r = client.post("/v1/due", json={"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"})
    assert r.status_code == 200, r.text
    body = r.json()
    lib = compute_due(datetime(2026, 11, 20, 16, 30), "5 ngày làm việc")
    assert body["due_at"] == lib.due_at.isoformat() == "2026-12-01T17:00:00+07:00"  # type: ignore[union-attr]
    assert body["steps"] == list(lib.steps)
    assert any(ref["document"] for ref in body["rules_applied"])
    assert body["data_versions"] == service_data.versions.model_dump()


def test_an_instant_with_an_offset_is_converted_to_vietnam_time(client: TestClient) -> None:
    # 08:30Z is 15:30 in Hà Nội: after the cut-off, so counted from the next working day
    utc = client.post("/v1/due", json={"received_at": "2026-11-20T08:30:00Z", "processing_time": "5 ngày làm việc"})
    local = client.post("/v1/due", json={"received_at": "2026-11-20T15:30:00", "processing_time": "5 ngày làm việc"})
    assert utc.json()["due_at"] == local.json()["due_at"] == "2026-12-01T17:00:00+07:00"


def test_due_from_a_procedure_uses_its_published_time(client: TestClient) -> None:
    r = client.post(
        "/v1/due", json={"received_at": "2026-02-13T16:30:00", "procedure": "1.002809", "channel": "online"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["procedure"] == "1.002809"
    assert r.json()["due_at"] == "2026-03-02T17:00:00+07:00"  # the README's Tết example


def test_batch_answers_in_order_with_inline_errors(client: TestClient) -> None:
    items = [
        {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"},
        {"received_at": "2026-11-20T16:30:00", "processing_time": "20"},
        {"received_at": "2026-11-20T16:30:00", "procedure": "9.999999"},
        {"received_at": "2026-11-20T16:30:00", "processing_time": "Không quy định"},
        {"received_at": "2100-12-20T09:00:00", "processing_time": "30 ngày làm việc"},
        {"received_at": "2026-12-28T09:00:00", "processing_time": "10 ngày làm việc"},
    ]
    r = client.post("/v1/due/batch", json={"items": items})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["index"] for x in results] == list(range(len(items)))
    assert results[0]["due_at"] == "2026-12-01T17:00:00+07:00"
    assert results[0]["error"] is None
    assert results[1]["error"]["field"] == "processing_time"
    assert results[1]["due_at"] is None
    assert results[2]["error"]["status"] == 404
    assert results[3]["due_at"] is None
    assert "không quy định" in results[3]["reason"]
    assert results[4]["error"]["type"] == "urn:tthc:problem:calendar-range"  # the due date leaves 2100
    assert results[5]["projected"] is True


def test_batch_size_limit_at_its_boundary(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_batch_items=2)
    item = {"received_at": "2026-11-20T16:30:00", "processing_time": "1 ngày làm việc"}
    assert c.post("/v1/due/batch", json={"items": [item] * 2}).status_code == 200
    body = _problem(c.post("/v1/due/batch", json={"items": [item] * 3}), 422)
    assert body["field"] == "items"
    assert body["given"] == "3 items"


def test_classify_on_both_sides_of_the_due_instant(client: TestClient) -> None:
    def cls(finished: str) -> dict[str, object]:
        r = client.post("/v1/classify", json={"due_at": "2026-12-01T17:00:00", "finished_at": finished})
        assert r.status_code == 200, r.text
        body: dict[str, object] = r.json()
        return body

    assert cls("2026-11-30T17:00:00")["timeliness"] == "early"
    assert cls("2026-12-01T17:00:00")["timeliness"] == "on_time"
    late = cls("2026-12-01T17:00:01")
    assert (late["timeliness"], late["overdue_working_days"], late["score"]) == ("late", 0, 0)
    assert cls("2026-12-02T08:00:00")["overdue_working_days"] == 1
    body = _problem(client.post("/v1/classify", json={"due_at": "2026-12-01T17:00:00"}), 422)
    assert body["field"] == "finished_at"


# -- calendar --------------------------------------------------------------------------------------------------------


def test_working_day_arithmetic_equals_the_calendar(client: TestClient) -> None:
    cal = public_sector_calendar()
    for d, n in [(date(2026, 2, 13), 5), (date(2026, 2, 16), 0), (date(2026, 3, 2), -5), (date(2025, 12, 31), 1)]:
        body = client.get("/v1/calendar/add", params={"date": d.isoformat(), "n": n}).json()
        assert body["result"] == cal.add_working_days(d, n).isoformat()
    body = client.get("/v1/calendar/between", params={"start": "2026-02-13", "end": "2026-03-02"}).json()
    assert body["working_days"] == cal.working_days_between(date(2026, 2, 13), date(2026, 3, 2)) == 6
    day = client.get("/v1/calendar/days/2026-02-16").json()
    assert (day["working"], day["kind"], day["projected"]) == (False, "day_off", False)
    assert client.get("/v1/calendar/days/2027-03-01").json()["projected"] is True


def test_schedule_range_limit_at_its_boundary(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_schedule_days=7)
    ok = c.get("/v1/calendar/schedule", params={"start": "2026-02-13", "end": "2026-02-19"})
    assert ok.status_code == 200
    assert len(ok.json()["days"]) == 7
    assert ok.json()["working_days"] == 1  # Fri 13; Tết from Sat 14
    body = _problem(c.get("/v1/calendar/schedule", params={"start": "2026-02-13", "end": "2026-02-20"}), 422)
    assert body["field"] == "end"
    _problem(c.get("/v1/calendar/schedule", params={"start": "2026-02-13", "end": "2026-02-12"}), 422)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-11-20T16:00:00", "2026-11-20T17:00:00", 1.0),  # the last hour of a day
        ("2026-11-20T11:00:00", "2026-11-20T13:30:00", 1.0),  # the lunch break does not count
        ("2026-11-20T17:00:00", "2026-11-23T07:30:00", 0.0),  # a weekend between two sessions
        ("2026-11-20T16:00:00", "2026-11-25T08:30:00", 10.0),  # Mon 23 (8 h) + Tue 24 is off (culture day) + 1 h
        ("2026-11-23T08:30:00", "2026-11-20T16:00:00", -2.0),  # reversed: negated
        ("2026-11-21T09:00:00", "2026-11-21T10:00:00", 0.0),  # a Saturday
    ],
)
def test_working_time_between_instants(client: TestClient, start: str, end: str, hours: float) -> None:
    r = client.get("/v1/calendar/working-time", params={"start": start, "end": end})
    assert r.status_code == 200, r.text
    assert r.json()["hours"] == hours


def test_feed_json_csv_and_ics_agree(client: TestClient, service_data: ServiceData) -> None:
    from icalendar import Calendar

    feed = client.get("/v1/calendar/feed/2026").json()
    days = {(d["date"], d["kind"]) for d in feed["days"]}
    assert ("2026-02-16", "day_off") in days
    assert ("2026-08-22", "make_up_day") in days
    assert not feed["projected"]
    tet = next(d for d in feed["days"] if d["date"] == "2026-02-16")
    assert tet["source"] == "public_sector_schedule"
    assert tet["reference"]["document"]
    r = client.get("/v1/calendar/feed/2026", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {(row["date"], row["kind"]) for row in rows} == days
    assert {row["data_version"] for row in rows} == {service_data.versions.calendar}
    r = client.get("/v1/calendar/feed/2026", params={"format": "ics"})
    assert r.headers["content-type"].startswith("text/calendar")
    assert r.headers["x-tthc-calendar-version"] == service_data.versions.calendar
    events = Calendar.from_ical(r.content).walk("VEVENT")
    got = {(e.decoded("dtstart").isoformat(), "day_off" if "DAY_OFF" in e.to_ical().decode() else "make_up_day")
           for e in events}  # fmt: skip
    assert got == days
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(days=1) for e in events)


def test_feed_of_a_projected_year_says_so(client: TestClient) -> None:
    feed = client.get("/v1/calendar/feed/2027").json()
    assert feed["projected"] is True
    assert all(d["projected"] for d in feed["days"])
    assert all(d["kind"] == "day_off" for d in feed["days"])  # no swaps are projected
    _problem(client.get("/v1/calendar/feed/1999"), 422)


# -- catalog, quotes, eligibility ------------------------------------------------------------------------------------


def test_procedure_lookup_and_search_with_or_without_diacritics(client: TestClient) -> None:
    body = client.get("/v1/procedures/1.002809").json()
    assert body["procedure"]["name"] == Catalog.sample()["1.002809"].name
    with_marks = client.get("/v1/procedures", params={"q": "hộ chiếu"}).json()
    without = client.get("/v1/procedures", params={"q": "HO CHIEU"}).json()
    assert with_marks["items"] == without["items"]
    assert with_marks["total"] >= 1
    assert all("chiếu" in i["name"] for i in without["items"])
    everything = client.get("/v1/procedures", params={"limit": 500}).json()
    assert everything["total"] == len(Catalog.sample())
    postal = client.get("/v1/procedures", params={"channel": "postal", "limit": 500}).json()
    assert postal["total"] == len(Catalog.sample().filter(channel="postal"))
    page = client.get("/v1/procedures", params={"offset": 1, "limit": 1}).json()
    assert page["items"][0]["code"] == everything["items"][1]["code"]
    _problem(client.get("/v1/procedures", params={"limit": 0}), 422)


def test_quote_and_eligibility_equal_the_library(client: TestClient) -> None:
    cat = Catalog.sample()
    r = client.post("/v1/quote", json={"procedure": "1.002809", "channel": "online", "on": "2025-03-03"})
    assert r.status_code == 200, r.text
    lib = tthc.quote(cat["1.002809"], channel="online", on=date(2025, 3, 3))
    assert r.json()["total"] == {"VND": str(lib.total.amount)}
    assert r.json()["quote"] == json.loads(lib.model_dump_json())
    r = client.post("/v1/eligibility", json={"procedure": "2.002209", "service": "both", "on": "2026-03-02"})
    assert r.json()["verdict"]["eligible"] is False
    assert r.json()["verdict"]["reasons"]
    body = _problem(client.post("/v1/quote", json={"procedure": "1.002809", "channel": "online", "weight_g": -1}), 422)
    assert body["field"] == "weight_g"


# -- records ---------------------------------------------------------------------------------------------------------


def test_validate_streams_findings_and_a_summary_that_accounts_for_every_row(client: TestClient) -> None:
    text = sample_path().read_text(encoding="utf-8")
    head = "\n".join(text.splitlines()[:301]) + "\n"
    broken = head.replace("2024-01-02 09:09:00", "2024-13-02 09:09:00", 1)  # one impossible receipt instant
    r = client.post("/v1/records/validate", files={"file": ("../../etc/my records.csv", broken.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert lines[-1]["type"] == "summary"
    assert all(x["type"] == "finding" for x in lines[:-1])
    summary = lines[-1]["summary"]
    assert summary["rows"] == 300 == summary["valid_rows"] + summary["invalid_rows"]
    assert summary["invalid_rows"] >= 1
    assert any(x["row"] == 1 and x["field"] == "received_at" for x in lines[:-1])
    assert {x["file"] for x in lines[:-1]} == {"my records.csv"}  # the client's name, never a server path
    assert "tthc-upload" not in r.text
    assert "/tmp" not in r.text


def test_kpis_over_an_upload(client: TestClient) -> None:
    r = client.post(
        "/v1/records/kpis", params={"by": "total"}, files={"file": ("s.csv", sample_path().read_bytes(), "text/csv")}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == len(sample_path().read_text(encoding="utf-8").splitlines()) - 1
    assert {i["indicator"] for i in body["indicators"]} >= {"on_time_rate", "bcci_received_share"}


def test_upload_format_and_limits(client: TestClient, client_with: Callable[..., TestClient]) -> None:
    body = _problem(client.post("/v1/records/validate", files={"file": ("records.xlsx", b"x", "text/plain")}), 422)
    assert body["field"] == "format"
    small = client_with(max_upload_bytes=1000)
    payload = sample_path().read_bytes()[:5000]
    body = _problem(small.post("/v1/records/validate", files={"file": ("s.csv", payload, "text/csv")}), 413)
    assert body["field"] == "body"


# -- versions --------------------------------------------------------------------------------------------------------


def test_versions_name_the_data(client: TestClient, service_data: ServiceData, tmp_path: object) -> None:
    from pathlib import Path

    from tthc.server import ServerConfig

    v = client.get("/v1/version").json()
    assert v["data_versions"]["calendar"] == calendar_data_version()  # the same string the pytest pin uses
    assert v["tthc"] == tthc.__version__
    assert v["procedures"] == len(Catalog.sample())
    smaller = Path(str(tmp_path)) / "cat.json"
    Catalog(list(Catalog.sample())[:3], about="three").dump(smaller)
    other = ServiceData.load(ServerConfig(catalog=smaller))
    assert other.versions.catalog != service_data.versions.catalog
    assert other.versions.calendar == service_data.versions.calendar
    no_culture = ServiceData.load(ServerConfig(culture_day=False))
    assert no_culture.versions.calendar != service_data.versions.calendar


# -- dossiers --------------------------------------------------------------------------------------------------------


def test_a_dossier_round_trips_through_its_snapshot(client: TestClient) -> None:
    first = {"kind": "received", "at": "2026-11-20T16:30:00", "via": "online"}
    created = client.post("/v1/dossiers", json={"first": first, "procedure": "1.002809"})
    assert created.status_code == 200, created.text
    snap = created.json()["dossier"]
    restart = created.json()["due"][0]
    assert restart["reading"] == "restart"
    assert restart["due_at"] == "2026-12-01T17:00:00+07:00"  # 5 working days, the cut-off and 24 Nov as /v1/due
    state = client.post("/v1/dossiers/state", json={"dossier": snap, "as_of": "2026-11-24T10:00:00"}).json()
    assert state["timeliness_restart"] == "open_within_time"
    assert state["remaining_seconds"] > 0
    done = client.post(
        "/v1/dossiers/events", json={"dossier": snap, "events": [{"kind": "finished", "at": "2026-11-25T10:00:00"}]}
    )
    assert done.status_code == 200, done.text
    assert done.json()["timeliness_restart"] == "early"
    assert len(done.json()["dossier"]["events"]) == 2


def test_an_impossible_event_is_a_problem(client: TestClient) -> None:
    first = {"kind": "received", "at": "2026-11-20T16:30:00"}
    snap = client.post("/v1/dossiers", json={"first": first, "processing_time": "5 ngày làm việc"}).json()["dossier"]
    earlier = {"kind": "finished", "at": "2026-11-19T10:00:00"}
    body = _problem(client.post("/v1/dossiers/events", json={"dossier": snap, "events": [earlier]}), 422)
    assert body["field"] == "event"
    _problem(client.post("/v1/dossiers", json={"first": {"kind": "finished", "at": "2026-11-19T10:00:00"}}), 422)
