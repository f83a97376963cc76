"""What every route shares: the documented error responses (RFC 9457 problem details)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from tthc.foundation.i18n import Lang, resolve_lang
from tthc.server.problems import PROBLEM_MEDIA_TYPE

__all__ = ["ERRORS", "PROBLEM_REF", "LangQ", "lang_of"]

LangQ = Annotated[
    str | None,
    Query(
        description="the language of the human-facing text (traces, day descriptions, quote labels and notes, "
        "eligibility reasons): vi or en; default the service's TTHC_LANG, else vi",
        examples=["vi", "en"],
    ),
]
"""The ``lang`` query parameter of the routes that return human-facing text."""


def lang_of(lang: str | None) -> Lang:
    """The language asked (``?lang=``), else the service's default (a bad value is a 422 problem naming ``lang``)."""
    return resolve_lang(lang)


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
