"""The OpenAPI document: the file in docs/ is the served one, and schemathesis finds no 5xx and no response that
violates it (property-based requests generated from the document, sent in process — no network)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from tthc.server import ServerConfig, ServiceData, create_app

ROOT = Path(__file__).resolve().parents[2]
SPEC_FILE = ROOT / "docs" / "openapi.json"
REGENERATE = ".venv/bin/tthc serve --print-openapi > docs/openapi.json"

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )


def test_docs_openapi_json_is_the_served_document(client: TestClient) -> None:
    served = client.get("/v1/openapi.json").json()
    written = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    assert written == served, f"docs/openapi.json is out of date; regenerate it: {REGENERATE}"


def test_the_document_is_openapi_3_1_and_every_error_is_a_problem(client: TestClient) -> None:
    spec = client.get("/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "Problem" in spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status in ("404", "413", "422", "500"):
                content = op["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)


_APP = create_app(data=ServiceData.load(ServerConfig(access_log=False, max_batch_items=50)))
_SCHEMA = schemathesis.openapi.from_asgi("/v1/openapi.json", _APP)
_CHECKS: list[Any] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@_SCHEMA.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_no_response_outside_the_spec(case: Any) -> None:
    case.call_and_validate(checks=_CHECKS)


@pytest.mark.parametrize("path", ["/v1/due", "/v1/due/batch", "/v1/quote"])
def test_every_example_in_the_document_is_answered(client: TestClient, path: str) -> None:
    spec = client.get("/v1/openapi.json").json()
    ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    for example in schema.get("examples", [{"items": [spec["components"]["schemas"]["DueRequest"]["examples"][0]]}]):
        assert client.post(path, json=example).status_code == 200, example
