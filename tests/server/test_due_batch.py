"""The due-date batch path (tthc.server.due_batch): plain-dict parsing that refuses exactly what DueItem refuses, rows
equal to the single answer item by item, hostile items answered inline, and both faces (HTTP, ``tthc batch due``)
giving the same answers."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tthc.deadlines.counting import CountingRules
from tthc.errors import TthcError
from tthc.server import ServerConfig, ServiceData
from tthc.server.due_batch import DueItemFields, Refused, due_rows, parse_batch, parse_item
from tthc.server.routes.deadlines import DueBatchRequest
from tthc.server.service import DueItem, DueRequest, due_one

_DATA = ServiceData.load(ServerConfig(access_log=False))
_NO_ONLINE_CUTOFF = ServiceData.load(ServerConfig(access_log=False, rules=CountingRules(online_cutoff=None)))
"""An [open] option under which online dossiers have no 15:00 cut-off: the channel reaches the engine or not."""

# -- parsing: the TypedDict is DueItem's twin ------------------------------------------------------------------------


def _shape(schema: Any) -> Any:
    """A JSON schema without its prose (titles, descriptions, defaults, examples): what it accepts."""
    if isinstance(schema, dict):
        return {k: _shape(v) for k, v in schema.items() if k not in ("title", "description", "default", "examples")}
    if isinstance(schema, list):
        return [_shape(v) for v in schema]
    return schema


def test_the_plain_dict_item_accepts_what_the_documented_item_accepts() -> None:
    from pydantic import TypeAdapter

    assert _shape(TypeAdapter(DueItemFields).json_schema()) == _shape(DueItem.model_json_schema())


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.sampled_from(["2026-11-20T16:30:00", "2026-11-20T16:30:00.25Z", "2026-11-20", "2026-13-01T00:00:00", "",
                     "x" * 201, "5 ngày làm việc", "direct", "online", "postal", "full", "partial", "1.002809",
                     "DIRECT"]),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)  # fmt: skip
FIELDS = st.sampled_from(["received_at", "processing_time", "procedure", "channel", "online_level", "postal", "extra"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(FIELDS, VALUES, max_size=6))
def test_parse_item_refuses_exactly_what_due_item_refuses(obj: dict[str, Any]) -> None:
    text = json.dumps(obj)
    model, model_errors = _outcome(DueItem.model_validate_json, text)
    fields, fields_errors = _outcome(parse_item, text)
    assert fields_errors == model_errors
    if isinstance(model, DueItem):
        assert isinstance(fields, dict)
        assert {**model.model_dump(), **fields} == model.model_dump()  # the same values; absent keys are defaults


def _outcome(validate: Any, text: str) -> tuple[object, list[tuple[Any, ...]]]:
    try:
        return validate(text), []
    except ValidationError as exc:
        return None, _errors(exc)


def _errors(exc: ValidationError) -> list[tuple[Any, ...]]:
    return [(e["loc"], e["type"], e["msg"]) for e in exc.errors()]


def test_a_bad_item_is_refused_alone_with_the_error_the_documented_model_gives() -> None:
    body = json.dumps({"items": [{"received_at": "2026-11-20T16:30:00"}, {"received_at": "soon"}]})
    good, bad = parse_batch(body)
    assert not isinstance(good, Refused)
    assert isinstance(bad, Refused)
    with pytest.raises(ValidationError) as documented:
        DueBatchRequest.model_validate_json(body)
    assert [e["loc"] for e in documented.value.errors()] == [("items", 1, "received_at")]
    # the same error, named from the item
    assert _errors(bad.error) == [(loc[2:], kind, msg) for loc, kind, msg in _errors(documented.value)]


@pytest.mark.parametrize("body", ['{"items": {}}', '{"items": [], "more": 1}', "[]", '{"item": []}'])
def test_a_body_that_is_no_list_of_items_still_fails_whole(body: str) -> None:
    with pytest.raises(ValidationError):
        parse_batch(body)


# -- rows equal the single answer ----------------------------------------------------------------------------------

TIMES = ["5 ngày làm việc", "1 Ngày làm việc", "0 ngày làm việc", "15 Ngày", "8 Giờ", "4 giờ làm việc", "03 Tháng",
         "Trong ngày", "Không quy định", "20", "2 Tuần", "10 ngày làm việc kể từ ngày nhận đủ hồ sơ"]  # fmt: skip
OFFSETS = [None, UTC, *(timezone(timedelta(hours=h)) for h in (7, -5, 14))]
instants = st.builds(
    lambda d, tz: d.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(2023, 12, 20), max_value=datetime(2027, 1, 10)),
    st.sampled_from(OFFSETS),
)
items = st.builds(
    DueItem,
    received_at=instants | st.sampled_from([datetime(1990, 1, 1), datetime(2099, 12, 1, 9), datetime(2100, 12, 30)]),
    processing_time=st.sampled_from([*TIMES, None]),
    procedure=st.sampled_from([None, None, "1.002809", "2.002209", "1.001193", "9.999999"]),
    channel=st.sampled_from(["direct", "online", "postal"]),
    online_level=st.sampled_from([None, "full", "partial"]),
)


def _single(data: ServiceData, item: DueItem) -> tuple[object, ...]:
    try:
        one = due_one(data, DueRequest(**item.model_dump()))
    except TthcError as exc:
        return ("error", type(exc).__name__, str(exc))
    return (one.due_at.isoformat() if one.due_at else None, one.projected, one.reason)


_KIND = {"urn:tthc:problem:invalid-value": "InvalidValueError", "urn:tthc:problem:not-found": "NotFoundError",
         "urn:tthc:problem:calendar-range": "CalendarRangeError"}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(items, min_size=1, max_size=60), st.sampled_from([_DATA, _NO_ONLINE_CUTOFF]))
def test_rows_equal_the_single_answer_item_by_item(batch: list[DueItem], data: ServiceData) -> None:
    fields = [parse_item(item.model_dump_json()) for item in batch]
    rows = due_rows(data, fields)
    assert [r["index"] for r in rows] == list(range(len(batch)))
    for item, r in zip(batch, rows, strict=True):
        error = r["error"]
        if isinstance(error, dict):
            got: tuple[object, ...] = ("error", _KIND.get(str(error["type"])), error["detail"])
        else:
            got = (r["due_at"], r["projected"], r["reason"])
        assert got == _single(data, item), item


# -- hostile items are answered inline, the others still answered ------------------------------------------------------


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_an_instant_that_overflows_in_vietnam_time_is_that_items_error(client: TestClient, instant: str) -> None:
    good = {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"}
    r = client.post("/v1/due/batch", json={"items": [good, {**good, "received_at": instant}, good]})
    assert r.status_code == 200, r.text
    first, bad, last = r.json()["results"]
    assert first["due_at"] == last["due_at"] == "2026-12-01T17:00:00+07:00"
    assert bad["due_at"] is None
    assert bad["error"]["field"] == "received_at"
    assert bad["error"]["status"] == 422


def test_one_item_past_the_calendar_does_not_push_the_others_off_the_vectorised_path() -> None:
    good = DueItemFields(received_at=datetime(2026, 11, 20, 16, 30), processing_time="5 ngày làm việc")
    far = DueItemFields(received_at=datetime(2100, 12, 20, 9), processing_time="30 ngày làm việc")
    rows = due_rows(_DATA, [good, far, good])
    assert [r["due_at"] for r in rows] == ["2026-12-01T17:00:00+07:00", None, "2026-12-01T17:00:00+07:00"]
    error = rows[1]["error"]
    assert isinstance(error, dict)
    assert error["type"] == "urn:tthc:problem:calendar-range"


def test_the_same_bad_procedure_in_many_items_gets_one_error_each() -> None:
    item = parse_item('{"received_at": "2026-11-20T16:30:00", "procedure": "9.999999"}')
    rows = due_rows(_DATA, [item] * 3)
    assert [r["index"] for r in rows] == [0, 1, 2]
    assert all(isinstance(r["error"], dict) and r["error"]["status"] == 404 for r in rows)


# -- both faces answer alike ---------------------------------------------------------------------------------------


def test_the_http_batch_and_tthc_batch_due_give_the_same_answers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.cli._app import app

    lines = [
        {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"},
        {"received_at": "2026-11-20T09:30:00Z", "processing_time": "8 Giờ", "channel": "online"},
        {"received_at": "2026-02-13T16:30:00", "procedure": "1.002809", "channel": "online"},
        {"received_at": "2026-11-20T16:30:00", "processing_time": "Không quy định"},
        {"received_at": "2026-11-20T16:30:00", "processing_time": "20"},
        {"received_at": "2100-12-20T09:00:00", "processing_time": "30 ngày làm việc"},
    ]
    http = client.post("/v1/due/batch", json={"items": lines}).json()["results"]
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    assert app(["batch", "due", "--chunk", "4"]) == 1
    cli = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(cli) == len(http)
    for h, c in zip(http, cli, strict=True):
        assert c["line"] == h["index"] + 1
        if h["error"] is not None:
            assert c["error"] == {k: v for k, v in h["error"].items() if v is not None}
        else:
            assert c == {"line": c["line"], "due_at": h["due_at"], "projected": h["projected"], "reason": h["reason"]}
