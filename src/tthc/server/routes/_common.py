"""What every route shares: the documented error responses (RFC 9457 problem details), the ``lang`` check of every
``/v1`` request and the ``Content-Type`` check of the routes that read a JSON body."""

from __future__ import annotations

import email.message
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from tthc.foundation.i18n import N_, Lang, gettext, resolve_lang
from tthc.server.middleware import Refused
from tthc.server.problems import PROBLEM_MEDIA_TYPE, problem, problem_lang

__all__ = ["CHECKED", "ERRORS", "JSON_CHECKED", "JSON_ERRORS", "MEDIA_TYPE_ERROR", "PROBLEM_REF", "LangQ", "lang_of"]

LangQ = Annotated[
    str | None,
    Query(
        description="the language of the human-facing text: the answer's where it has any (traces, day descriptions, "
        "quote labels and notes, eligibility reasons) and every problem's; vi or en, default the service's TTHC_LANG, "
        "else vi; any other value is a 422 problem naming lang (on every route)",
        examples=["vi", "en"],
    ),
]
"""The ``lang`` query parameter: checked on every ``/v1`` route (:data:`CHECKED`), read by the routes that word text."""


def lang_of(lang: str | None) -> Lang:
    """The language asked (``?lang=``), else the service's default (a bad value is a 422 problem naming ``lang``)."""
    return resolve_lang(lang)


def _checked_lang(lang: LangQ = None) -> None:
    """Every ``/v1`` route's ``?lang=``: a bad value is a 422 problem naming ``lang`` on every route, also on those
    whose answer has no text of its own (their problems follow it); listed in the OpenAPI document of each."""
    lang_of(lang)


_JSON = "application/json"
_UNSUPPORTED = N_("Unsupported media type")
_CONTENT_TYPE_LINE = N_("{field}: expected {expected}, got {given}")
_NO_CONTENT_TYPE = N_("no Content-Type header")


def _is_json(content_type: str) -> bool:
    # FastAPI's own test of a JSON body: application/json or application/<anything>+json, parameters allowed
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


async def _checked_json(request: Request) -> None:
    """A body sent to a JSON route must say it is JSON (``Content-Type: application/json``, or ``…+json``): any other
    type, or none, is a 415 problem naming ``Content-Type`` — as FastAPI refuses a body not declared JSON, but worded,
    and alike on every JSON route (also the due-date routes, which read their body themselves). An empty body is
    left to the route (the problem of a missing body)."""
    if request.method != "POST" or not await request.body():
        return
    given = request.headers.get("content-type")
    if given is not None and _is_json(given):
        return
    lang = problem_lang(request.query_params.get("lang"))
    shown = given if given is not None else gettext(_NO_CONTENT_TYPE, lang)
    detail = gettext(_CONTENT_TYPE_LINE, lang).format(field="Content-Type", expected=_JSON, given=shown)
    answer = problem(
        "unsupported-media-type",
        _UNSUPPORTED,
        415,
        detail,
        lang,
        instance=request.url.path,
        field="Content-Type",
        expected=_JSON,
        given=given,
    )
    raise Refused(answer)


CHECKED = [Depends(_checked_lang)]
"""The dependencies of every ``/v1`` router: ``?lang=`` checked (and documented) once for all routes."""
JSON_CHECKED = [*CHECKED, Depends(_checked_json)]
"""The dependencies of the routers whose ``POST`` routes read a JSON body: also its ``Content-Type``."""


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}


ERRORS: dict[int | str, dict[str, Any]] = {
    400: _problem("Malformed request (e.g. a bad Content-Length)"),
    401: _problem("API key missing or wrong (only when the service is configured with one)"),
    404: _problem("A code that is not in the catalog"),
    408: _problem("The request body did not arrive within the time limit"),
    413: _problem("The request body is larger than the limit"),
    422: _problem(
        "A value the request carries is invalid: the problem names the field, what was expected and what was given"
    ),
    500: _problem("An unexpected error (no traceback is ever shown)"),
}
"""The error responses of every ``/v1`` route, each an ``application/problem+json`` :class:`Problem`."""
MEDIA_TYPE_ERROR: dict[int | str, dict[str, Any]] = {
    415: _problem("A body whose Content-Type is not application/json (or none)"),
}
"""The error response of a route that reads a JSON body (besides :data:`ERRORS`)."""
JSON_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, **MEDIA_TYPE_ERROR}
"""The error responses of the routers whose routes all read a JSON body."""
