"""Fixtures of the HTTP API tests: the service data is loaded once per session; apps over it are cheap."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the 'server' extra is not installed")

with warnings.catch_warnings():  # starlette asks for httpx2 in TestClient; httpx still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tthc.server import ServerConfig, ServiceData, create_app


@pytest.fixture(scope="session")
def service_data() -> ServiceData:
    return ServiceData.load(ServerConfig(access_log=False))


@pytest.fixture(scope="session")
def client(service_data: ServiceData) -> Iterator[TestClient]:
    with TestClient(create_app(data=service_data), raise_server_exceptions=False) as c:
        yield c


def make_client(data: ServiceData, **config: Any) -> TestClient:
    """A client over an app with another config (same data files)."""
    import attrs

    app = create_app(data=attrs.evolve(data, config=attrs.evolve(data.config, **config)))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client_with(service_data: ServiceData) -> Callable[..., TestClient]:
    """``client_with(api_key="k", max_body_bytes=100)``: a client over an app configured so."""

    def build(**config: Any) -> TestClient:
        return make_client(service_data, **config)

    return build
