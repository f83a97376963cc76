"""Safe by default: API key, body size and time limits, CORS off unless configured, access log without personal data."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tthc.server import ServerConfig
from tthc.server.middleware import ACCESS_LOGGER, GuardMiddleware

DUE = {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc"}


def test_the_default_config_is_safe() -> None:
    config = ServerConfig()
    assert config.api_key is None
    assert config.cors_origins == ()
    assert config.max_body_bytes <= 8 << 20
    assert config.max_upload_bytes <= 64 << 20
    assert "***" in repr(ServerConfig(api_key="s3cret"))
    assert "s3cret" not in repr(ServerConfig(api_key="s3cret"))


def test_api_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTHC_API_KEY", "k1")
    assert ServerConfig.from_env().api_key == "k1"
    monkeypatch.setenv("TTHC_API_KEY", "")
    assert ServerConfig.from_env().api_key is None


def test_api_key_is_asked_for_when_configured(client_with: Callable[..., TestClient]) -> None:
    c = client_with(api_key="k1")
    missing = c.post("/v1/due", json=DUE)
    assert missing.status_code == 401
    assert missing.json()["field"] == "X-API-Key"
    assert c.post("/v1/due", json=DUE, headers={"X-API-Key": "k2"}).status_code == 401
    assert c.post("/v1/due", json=DUE, headers={"X-API-Key": "k1"}).status_code == 200
    assert c.get("/v1/health").status_code == 200  # liveness stays open for load balancers
    assert "apiKey" in c.get("/v1/openapi.json", headers={"X-API-Key": "k1"}).json()["components"]["securitySchemes"]


def test_body_limit_at_its_boundary(client_with: Callable[..., TestClient]) -> None:
    body = json.dumps(DUE).encode()
    exact = client_with(max_body_bytes=len(body))
    assert exact.post("/v1/due", content=body, headers={"content-type": "application/json"}).status_code == 200
    short = client_with(max_body_bytes=len(body) - 1)
    r = short.post("/v1/due", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["expected"] == f"at most {len(body) - 1} bytes"


def _call(app: Any, receive: Callable[[], Any], headers: list[tuple[bytes, bytes]]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/due", "headers": headers, "query_string": b""}
    asyncio.run(app(scope, receive, send))
    return sent


async def _echo_app(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _guard(**overrides: Any) -> GuardMiddleware:
    options: dict[str, Any] = {
        "max_body_bytes": 10,
        "max_upload_bytes": 10,
        "upload_timeout_s": 5.0,
        "api_key": None,
        "access_log": False,
    }
    options.update(overrides)
    return GuardMiddleware(_echo_app, **options)


def test_a_body_without_content_length_is_cut_at_the_limit() -> None:
    chunks = iter([b"12345", b"67890", b"1"])

    async def receive() -> dict[str, Any]:
        chunk = next(chunks)
        return {"type": "http.request", "body": chunk, "more_body": chunk != b"1"}

    sent = _call(_guard(), receive, [])
    assert sent[0]["status"] == 413


def test_a_slow_body_is_refused_with_408() -> None:
    async def never() -> dict[str, Any]:
        await asyncio.Event().wait()  # a client that never sends its body
        return {}

    sent = _call(_guard(upload_timeout_s=0.01), never, [(b"content-length", b"5")])
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["type"] == "urn:tthc:problem:timeout"


def test_the_time_limit_ends_with_the_body() -> None:
    # an app that, once the body is in, waits for the client to go away (as a streamed answer does): that wait is
    # not an upload, so a limit far shorter than it must not cut it
    messages: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        messages.append(await receive())
        messages.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> dict[str, Any]:
        if not messages:
            return {"type": "http.request", "body": b"12345", "more_body": False}
        await asyncio.sleep(0.05)  # five times the limit below
        return {"type": "http.disconnect"}

    guard = GuardMiddleware(app, max_body_bytes=10, max_upload_bytes=10, upload_timeout_s=0.01, api_key=None,
                            access_log=False)  # fmt: skip
    sent = _call(guard, receive, [(b"content-length", b"5")])
    assert sent[0]["status"] == 200
    assert [m["type"] for m in messages] == ["http.request", "http.disconnect"]


def test_cors_is_off_unless_configured(client: TestClient, client_with: Callable[..., TestClient]) -> None:
    headers = {"Origin": "https://portal.example.vn"}
    assert "access-control-allow-origin" not in client.get("/v1/health", headers=headers).headers
    c = client_with(cors_origins=("https://portal.example.vn",))
    assert c.get("/v1/health", headers=headers).headers["access-control-allow-origin"] == "https://portal.example.vn"


def test_access_log_is_structured_and_holds_no_personal_data(
    client_with: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    c = client_with(access_log=True)
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        c.get("/v1/procedures", params={"q": "Nguyễn Văn A"}, headers={"X-API-Key": "secret-token"})
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(records) == 1
    line = records[0]
    assert set(line) == {"method", "path", "status", "bytes_out", "ms"}
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/procedures", 200)
    text = json.dumps(line, ensure_ascii=False)
    assert "Nguy" not in text
    assert "secret" not in text
    assert "testclient" not in text


def test_no_endpoint_takes_a_server_path(client: TestClient) -> None:
    """Every parameter of every operation is a value, never a file to open: no 'path'/'file' named parameter except
    the uploaded record file itself (read from the request body)."""
    spec = client.get("/v1/openapi.json").json()
    names = {p["name"] for op in spec["paths"].values() for m in op.values() for p in m.get("parameters", [])}
    assert not {n for n in names if "path" in n.lower() or "file" in n.lower() or "dir" in n.lower()}
