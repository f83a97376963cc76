"""The HTTP service (extra ``server``): ``pip install 'tthc[server]'``, then ``tthc serve``.

* :func:`create_app` (:mod:`tthc.server.app`) — the FastAPI application, for uvicorn or any ASGI server;
* :class:`ServerConfig`, :class:`ServiceData` (:mod:`tthc.server.config`) — limits, switches, the data it loads and
  the versions of that data;
* :mod:`tthc.server.service` — the operations on JSON-shaped input, shared with ``tthc batch``;
* :mod:`tthc.server.problems` — errors as RFC 9457 problem details;
* :mod:`tthc.server.middleware` — API key, body size and time limits, access log;
* :mod:`tthc.server.routes` — the ``/v1`` routes.

Importing this package imports neither FastAPI nor the data: :func:`create_app` loads FastAPI on first use (and says
how to install the extra when it is missing), so ``tthc batch`` works with the ``cli`` extra alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tthc.server.config import API_KEY_ENV, DataVersions, ServerConfig, ServiceData

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["API_KEY_ENV", "DataVersions", "ServerConfig", "ServiceData", "create_app"]


def create_app(config: ServerConfig | None = None, *, data: ServiceData | None = None) -> FastAPI:
    """The FastAPI application (see :func:`tthc.server.app.create_app`).

    Raises:
        MissingExtraError: FastAPI is not installed (``pip install 'tthc[server]'``).
    """
    try:
        from tthc.server.app import create_app as build
    except ImportError as exc:
        from tthc.errors import MissingExtraError

        raise MissingExtraError("server", exc.name or "fastapi") from None
    return build(config, data=data)
