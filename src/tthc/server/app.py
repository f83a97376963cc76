"""The FastAPI application: ``create_app(config)`` for uvicorn (``tthc serve``) or any ASGI server.

Safe by default: no CORS headers unless origins are configured; request bodies and uploads limited in size and time;
an API key when one is configured; no endpoint reads a path a client chose; errors as RFC 9457 problem details and
never a traceback; access logs without personal data. See ``docs/service.md``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from starlette.exceptions import HTTPException

from tthc._version import __version__
from tthc.errors import TthcError
from tthc.foundation.i18n import N_, Lang, gettext
from tthc.server.config import API_KEY_ENV, ServerConfig, ServiceData
from tthc.server.middleware import GuardMiddleware, Refused
from tthc.server.problems import (
    PROBLEM_MEDIA_TYPE,
    Problem,
    problem,
    problem_from_exception,
    problem_from_validation,
    problem_lang,
)
from tthc.server.routes import calendar, catalog, deadlines, dossiers, meta, records
from tthc.server.routes.deadlines import BODY_MODELS

__all__ = ["CONFIG_ENV", "OPENAPI_PATH", "app_from_environment", "build_openapi", "create_app"]

OPENAPI_PATH = "/v1/openapi.json"

_log = logging.getLogger("tthc.server")

_DESCRIPTION = """\
Vietnamese administrative procedures (thủ tục hành chính) over HTTP: due dates on the public-sector working calendar
(with their trace and legal references), working-day arithmetic, the yearly calendar feed (JSON, CSV, iCalendar),
quotes, postal-channel eligibility, the procedure catalog, and validation and KPIs over record files.

Every answer carries `data_versions`: the versions of the calendar, catalog, tariffs and postal data it used.
Errors are RFC 9457 problem details (`application/problem+json`) naming the field, what was expected and what was
given. Instants without an offset are Vietnam time (UTC+7); answers are in Asia/Ho_Chi_Minh (+07:00).
"""


def _problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _lang(request: Request) -> Lang:
    # the problem is worded in the language the request asked for; a bad ?lang= is itself the problem, worded in the
    # service's language
    return problem_lang(request.query_params.get("lang"))


_HTTP_TITLES = {404: N_("Not found"), 405: N_("Method not allowed")}
_NO_SUCH_PATH = N_("no such path")
_METHOD_REFUSED = N_("this path does not answer {method} (allowed: {allow})")
_METHOD_REFUSED_BARE = N_("this path does not answer {method}")


def _http_reason(exc: HTTPException, method: str, lang: Lang) -> str:
    """Why Starlette refused a request, worded in ``lang``: a 404 and a 405 as statements (a 405 names the methods
    the path answers, from its ``Allow`` header); another status keeps Starlette's English reason."""
    if exc.status_code == 404:
        return gettext(_NO_SUCH_PATH, lang)
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow")
        if allow:
            return gettext(_METHOD_REFUSED, lang).format(method=method, allow=allow)
        return gettext(_METHOD_REFUSED_BARE, lang).format(method=method)
    return str(exc.detail)


_ANY_JSON: TypeAdapter[Any] = TypeAdapter(Any)


async def _body_refusal(request: Request) -> ValidationError | None:
    """Why pydantic's JSON parser refuses the request's body, or None when it reads it (or the body is not at hand).

    FastAPI hands the handler the request it read the body through, which keeps it (``Request.body`` caches it in
    ``_body``); reading it again through ``body()`` would wait for a body the client has finished sending."""
    body = getattr(request, "_body", None)
    if not isinstance(body, bytes):
        return None
    try:
        _ANY_JSON.validate_json(body)
    except ValidationError as exc:
        return exc
    return None


def _install_handlers(app: FastAPI) -> None:
    async def on_tthc(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TthcError)
        return _problem_response(problem_from_exception(exc, request.url.path, _lang(request)))

    async def on_invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError | ValidationError)
        errors = list(exc.errors())
        return _problem_response(problem_from_validation(errors, request.url.path, _lang(request)))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        if isinstance(exc, Refused):
            return _problem_response(exc.problem)
        lang = _lang(request)
        if exc.status_code == 400 and exc.__cause__ is not None:
            # FastAPI could not parse a JSON body (nested too deeply for json.loads, not UTF-8): the same problem as
            # the routes that parse their body with pydantic give for those bytes, not Starlette's English 400
            refused = await _body_refusal(request)
            if refused is not None:
                return _problem_response(problem_from_validation(refused, request.url.path, lang))
        title = _HTTP_TITLES.get(exc.status_code, N_("Request refused"))
        reason = exc.detail if lang == "en" else _http_reason(exc, request.method, lang)
        answer = problem(
            f"http-{exc.status_code}",
            title,
            exc.status_code,
            f"{request.method} {request.url.path}: {reason}",
            lang,
            instance=request.url.path,
        )
        return _problem_response(answer, dict(exc.headers) if exc.headers else None)

    async def on_overflow(request: Request, exc: Exception) -> JSONResponse:
        # an instant whose offset pushes it past year 1 or 9999 overflows inside a validator before any library
        # check can name it; it is the client's value, so a 422, not a 500
        lang = _lang(request)
        detail = N_("a date or number out of range: expected years 1..9999, got a value that overflows ({error})")
        return _problem_response(
            problem(
                "invalid-value",
                N_("Invalid value"),
                422,
                gettext(detail, lang).format(error=exc),
                lang,
                instance=request.url.path,
                expected=gettext(N_("a date or number within range"), lang),
            )
        )

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        # logged with its traceback on the server; the client gets a problem without one
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        lang = _lang(request)
        detail = N_("the service failed to answer this request; the error is logged on the server")
        return _problem_response(
            problem(
                "internal",
                N_("Internal error"),
                500,
                gettext(detail, lang),
                lang,
                instance=request.url.path,
            )
        )

    app.add_exception_handler(TthcError, on_tthc)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(ValidationError, on_invalid)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(OverflowError, on_overflow)
    app.add_exception_handler(Exception, on_error)


def create_app(config: ServerConfig | None = None, *, data: ServiceData | None = None) -> FastAPI:
    """The HTTP API over the data ``config`` names (loaded once, here).

    Args:
        config: limits, data files, CORS, API key (default :meth:`ServerConfig.from_env`: no CORS, the API key from
            ``TTHC_API_KEY`` if set, the bundled data).
        data: already loaded service data (shared between apps in tests); default ``ServiceData.load(config)``.

    Raises:
        DataFileError: a data file named by the config cannot be read or validated.
    """
    if data is not None:
        config = data.config
    config = config if config is not None else ServerConfig.from_env()
    data = data if data is not None else ServiceData.load(config)
    app = FastAPI(
        title="tthc",
        version=__version__,
        summary="Vietnamese administrative procedures: deadlines, calendar, fees, postal channel, catalog, records",
        description=_DESCRIPTION,
        openapi_url=OPENAPI_PATH,
        docs_url="/docs",
        redoc_url=None,
    )
    for module in (meta, deadlines, calendar, catalog, dossiers, records):
        app.include_router(module.router(data))
    _install_handlers(app)
    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=config.max_body_bytes,
        max_upload_bytes=config.max_upload_bytes,
        upload_timeout_s=config.upload_timeout_s,
        api_key=config.api_key,
        access_log=config.access_log,
    )
    if config.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        # in front of the guard (added last: outermost): a browser's preflight never carries the API key (the Fetch
        # standard), so it is answered here, and the guard's refusals (401, 408, 413) carry the CORS headers that let
        # the portal's page read them
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    app.state.tthc = data

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app, api_key=config.api_key is not None)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def build_openapi(app: FastAPI, *, api_key: bool = False) -> dict[str, Any]:
    """FastAPI's document plus the :class:`Problem` schema the error responses refer to (and the API key scheme when
    the service asks for one)."""
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    # the due-date routes read their bodies themselves (one pydantic pass over the bytes); their schemas go here
    for model in BODY_MODELS:
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(body.pop("$defs", {}))
        schemas[model.__name__] = body
    if api_key:
        spec["components"]["securitySchemes"] = {
            "apiKey": {
                "type": "apiKey",
                "in": "header",
                "name": "X-API-Key",
                "description": f"the key the service was started with ({API_KEY_ENV})",
            }
        }
        spec["security"] = [{"apiKey": []}]
    return spec


CONFIG_ENV = "TTHC_SERVER_CONFIG"
"""Environment variable through which ``tthc serve --workers N`` hands its config to the worker processes."""


def app_from_environment() -> FastAPI:
    """The app for a uvicorn worker process: :class:`ServerConfig` fields from ``TTHC_SERVER_CONFIG`` (JSON), the API
    key from ``TTHC_API_KEY``; the access log to stderr when the config asks for it."""
    import json
    import os
    import sys
    from pathlib import Path

    raw = json.loads(os.environ.get(CONFIG_ENV, "{}"))
    for key in ("catalog", "schedule", "reductions"):
        if raw.get(key) is not None:
            raw[key] = Path(raw[key])
    if "cors_origins" in raw:
        raw["cors_origins"] = tuple(raw["cors_origins"])
    config = ServerConfig.from_env(**raw)
    if config.access_log:
        access = logging.getLogger("tthc.server.access")
        access.addHandler(logging.StreamHandler(sys.stderr))
        access.setLevel(logging.INFO)
    return create_app(config)
