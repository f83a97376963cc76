"""One pure-ASGI guard in front of the app: the API key, request body size and time limits, and the access log.

Pure ASGI (not Starlette's ``BaseHTTPMiddleware``) because it sits on the hot path of every request: it adds a few
microseconds, never a task or a copy of the body.

* **API key** — when configured, every ``/v1`` request except ``/v1/health`` must carry it in ``X-API-Key``
  (compared in constant time); otherwise 401.
* **Body size** — a ``Content-Length`` over the limit is refused (413) before the app sees the request; a body sent
  without one is counted as it arrives and cut at the limit. Record uploads (``/v1/records/*``) have their own,
  larger limit.
* **Time** — the whole body must arrive within ``upload_timeout_s`` (408 otherwise): a slow client cannot hold a
  worker.
* **HEAD** — answered as the GET of the same URL without its body (the same status and headers), as RFC 9110
  asks of every server: FastAPI's routes answer only the methods they declare.
* **Access log** — one JSON line per request on the ``tthc.server.access`` logger: method, path (no query string),
  status, bytes and duration. No client address, no query, no header, no body: nothing personal is written.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from tthc.foundation.i18n import N_, gettext
from tthc.server.problems import PROBLEM_MEDIA_TYPE, Problem, problem, problem_lang

__all__ = ["ACCESS_LOGGER", "GuardMiddleware", "Refused"]

ACCESS_LOGGER = "tthc.server.access"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_log = logging.getLogger(ACCESS_LOGGER)


class Refused(HTTPException):
    """A request refused by the guard. An HTTPException, so that FastAPI lets it through when it is raised while the
    body is read (the app's handler then answers with :attr:`problem`)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.status, problem.detail)
        self.problem = problem


def _lang(scope: Scope) -> str:
    """The language a refused request asked for (``?lang=``; read only when refusing: not on the hot path)."""
    from urllib.parse import parse_qs

    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang")
    return problem_lang(asked[-1] if asked else None)


_FRAME = N_("{field}: expected {expected}, got {given}")


def _refused(
    status: int,
    kind: str,
    title: str,
    lang: str,
    path: str,
    *,
    field: str,
    expected: str,
    got: str,
    shown: str | None = None,
    **fields: str,
) -> Refused:
    """A refusal about ``field``: ``title`` (marked with ``N_``) worded in ``lang``, ``detail`` the one line
    ``field: expected X, got Y`` from ``shown`` (default ``expected``) and ``got`` (already worded); ``expected`` is
    also a member."""
    detail = gettext(_FRAME, lang).format(field=field, expected=shown or expected, given=got)
    return Refused(problem(kind, title, status, detail, lang, instance=path, field=field, expected=expected, **fields))


class GuardMiddleware:
    """API key, body limits, body time limit and access log (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        upload_timeout_s: float,
        api_key: str | None,
        access_log: bool,
        upload_prefix: str = "/v1/records/",
        open_paths: frozenset[str] = frozenset({"/v1/health"}),
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_upload = max_upload_bytes
        self.timeout = upload_timeout_s
        self.key = api_key.encode() if api_key else None
        self.access_log = access_log
        self.upload_prefix = upload_prefix
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path: str = scope.get("path", "")
        method = scope.get("method")
        status = [0]
        sent = [0]
        head = method == "HEAD"
        if head:  # the GET of the same URL, its body left out (in every chunk: a streamed answer too)
            scope = {**scope, "method": "GET"}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                if head:
                    if message.get("more_body", False):
                        return
                    message = {"type": "http.response.body", "body": b"", "more_body": False}
                sent[0] += len(message.get("body", b""))
            await send(message)

        limit = self.max_upload if path.startswith(self.upload_prefix) else self.max_body
        try:
            self._check_key(scope, path)
            self._check_length(scope, path, limit)
            await self.app(scope, self._limited(scope, receive, path, limit), send_logged)
        except Refused as refused:
            if status[0]:  # the response has started: nothing more can be said to this client
                raise
            await _send_problem(send_logged, refused.problem)
        finally:
            if self.access_log:
                _log.info(
                    json.dumps(
                        {
                            "method": method,
                            "path": path,
                            "status": status[0] or 500,
                            "bytes_out": sent[0],
                            "ms": round((time.perf_counter() - start) * 1000, 3),
                        }
                    )
                )

    def _check_key(self, scope: Scope, path: str) -> None:
        if self.key is None or not path.startswith("/v1/") or path in self.open_paths:
            return
        given = next((v for k, v in scope.get("headers", ()) if k == b"x-api-key"), b"")
        if not hmac.compare_digest(given, self.key):
            lang = _lang(scope)
            raise _refused(
                401,
                "unauthorized",
                N_("API key required"),
                lang,
                path,
                field="X-API-Key",
                expected=gettext(N_("the service's API key"), lang),
                got=gettext(N_("a wrong key") if given else N_("none"), lang),
            )

    def _too_large(self, scope: Scope, path: str, limit: int, size: int | None) -> Refused:
        # size: the announced Content-Length; None when the body ran past the limit as it arrived
        given = f"{size} bytes" if size is not None else f"more than {limit} bytes"
        lang = _lang(scope)
        got = N_("{n} bytes") if size is not None else N_("more than {n} bytes")
        return _refused(
            413,
            "too-large",
            N_("Request body too large"),
            lang,
            path,
            field="body",
            expected=gettext(N_("at most {n} bytes"), lang).format(n=limit),
            got=gettext(got, lang).format(n=size if size is not None else limit),
            given=given,
        )

    def _check_length(self, scope: Scope, path: str, limit: int) -> None:
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    lang = _lang(scope)
                    detail = gettext(N_("{field}: expected a number"), lang).format(field="Content-Length")
                    raise Refused(problem("bad-request", N_("Bad request"), 400, detail, lang, instance=path)) from None
                if n > limit:
                    raise self._too_large(scope, path, limit, n)
                return

    def _limited(self, scope: Scope, receive: Receive, path: str, limit: int) -> Receive:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        seen = 0
        complete = False

        async def limited_receive() -> Message:
            nonlocal seen, complete
            if complete:  # the whole body is in: what follows (a disconnect) has no time limit
                return await receive()
            if loop.time() >= deadline:
                raise _timeout(scope, path, self.timeout)
            # a timer handle, not asyncio.wait_for: wait_for wraps every receive in a new task, which cost more than
            # the rest of this guard together
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _timeout(scope, path, self.timeout) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise self._too_large(scope, path, limit, None)
                complete = not message.get("more_body", False)
            return message

        return limited_receive


def _timeout(scope: Scope, path: str, seconds: float) -> Refused:
    lang = _lang(scope)
    return _refused(
        408,
        "timeout",
        N_("Request body too slow"),
        lang,
        path,
        field="body",
        expected=gettext(N_("the whole body within {seconds} s"), lang).format(seconds=f"{seconds:g}"),
        shown=gettext(N_("within {seconds} s"), lang).format(seconds=f"{seconds:g}"),
        got=gettext(N_("a slower upload"), lang),
    )


async def _send_problem(send: Send, problem: Problem) -> None:
    body = problem.model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
