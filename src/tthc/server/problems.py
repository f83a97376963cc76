"""Errors as RFC 9457 problem details (``application/problem+json``): one shape for the HTTP API and for the inline
error objects of ``tthc batch``.

Every problem names the ``field``, what was ``expected`` and what was ``given`` when the error knows them (they come
from :class:`tthc.InvalidValueError` and from pydantic's validation errors), plus a stable ``type`` URI per kind.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tthc.errors import CalendarRangeError, DataError, InvalidValueError, NotFoundError, TthcError
from tthc.foundation.error_words import error_text, expected_text, pydantic_expected
from tthc.foundation.i18n import DEFAULT_LANG, N_, Lang, gettext, resolve_lang

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "Problem",
    "ProblemItem",
    "problem",
    "problem_from_exception",
    "problem_from_validation",
    "problem_lang",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE = "urn:tthc:problem:"
_FIELD_PREFIX = re.compile(r"^([A-Za-z_][\w.\[\]/-]*): (.*)$", re.DOTALL)
_GIVEN_MAX = 200


class ProblemItem(BaseModel):
    """One error among several (a request body with more than one bad field)."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="where: a dotted path into the request (``items.3.received_at``)")
    expected: str = Field(description="what would have been accepted")
    given: str | None = Field(default=None, description="the value received, as text (cut at 200 characters)")


class Problem(BaseModel):
    """An RFC 9457 problem: ``type``, ``title``, ``status``, ``detail``, plus ``field`` / ``expected`` / ``given``."""

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:tthc:problem:invalid-value",
                    "title": "Invalid value",
                    "status": 422,
                    "detail": "processing_time: expected text such as '30 Ngày làm việc', got '' (empty)",
                    "field": "processing_time",
                    "expected": "text such as '30 Ngày làm việc'",
                    "given": "''",
                    "errors": [],
                }
            ]
        },
    )

    type: str = Field(default="about:blank", description="a URI naming the kind of problem (urn:tthc:problem:...)")
    title: str = Field(description="a short summary of the kind of problem")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="this occurrence, in one line: 'field: expected X, got Y'")
    instance: str | None = Field(default=None, description="the request path")
    field: str | None = Field(default=None, description="the offending field, when known")
    expected: str | None = Field(default=None, description="what would have been accepted, when known")
    given: str | None = Field(default=None, description="the value received, as text, when known")
    errors: list[ProblemItem] = Field(default_factory=list, description="every error, when there are several")


def _text(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _GIVEN_MAX else text[: _GIVEN_MAX - 1] + "…"


def _split_field(message: str) -> tuple[str | None, str]:
    m = _FIELD_PREFIX.match(message)
    return (m.group(1), m.group(2)) if m else (None, message)


def problem_lang(lang: str | None) -> Lang:
    """The language of a problem: ``lang`` (the request's ``?lang=``) when it names one, else ``TTHC_LANG``, else
    Vietnamese — never an error itself (a bad ``?lang=`` is the problem being worded, in the service's language)."""
    for asked in (lang, None):
        try:
            return resolve_lang(asked)
        except InvalidValueError:
            continue
    return DEFAULT_LANG


def problem(kind: str, title: str, status: int, detail: str, lang: str | None = None, **fields: Any) -> Problem:
    """A problem of ``kind`` (``urn:tthc:problem:<kind>``) whose ``title`` (a text marked with ``N_``) is worded in
    ``lang``; ``detail`` and the ``fields`` (``instance``, ``field``, ``expected``, ``given``) as given."""
    return Problem(type=_TYPE + kind, title=gettext(title, problem_lang(lang)), status=status, detail=detail, **fields)


_INVALID_VALUE = N_("Invalid value")
_TITLES: tuple[tuple[type[TthcError], str, str, int], ...] = (
    (NotFoundError, "not-found", N_("Not found"), 404),
    (CalendarRangeError, "calendar-range", N_("Outside the compiled calendar"), 422),
    (DataError, "data-error", N_("Inconsistent data"), 422),
    (TthcError, "error", N_("Request cannot be answered"), 422),
)


def problem_from_exception(exc: TthcError, instance: str | None = None, lang: str | None = None) -> Problem:
    """The problem for a library error: 422 for a bad value, 404 for a code not found, 422 for inconsistent data;
    its title, detail and expected worded in ``lang`` (see :func:`problem_lang`)."""
    code = problem_lang(lang)
    if isinstance(exc, InvalidValueError):
        return problem(
            "invalid-value",
            _INVALID_VALUE,
            422,
            error_text(exc, code),
            code,
            instance=instance,
            field=exc.field or None,
            expected=expected_text(exc, code),
            given=_text(exc.given),
        )
    kind, title, status = next((k, t, s) for cls, k, t, s in _TITLES if isinstance(exc, cls))
    english = str(exc)
    field, rest = _split_field(english)
    detail = error_text(exc, code)
    # ``expected`` is read from the English message: given only when the detail is that message too (an error
    # raised with a plain text, or an English answer), never English beside a worded detail
    expected = None
    if rest.startswith("expected ") and detail == english:
        expected = rest.removeprefix("expected ").split(", got ", 1)[0]
    return problem(kind, title, status, detail, code, instance=instance, field=field, expected=expected)


def _loc(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "(request)"


_WITH_FIELD = N_("{field}: expected {expected}, got {given}")
_MORE = N_(" (+{n} more)")


def problem_from_validation(
    errors: list[Any] | ValidationError, instance: str | None = None, lang: str | None = None
) -> Problem:
    """The 422 problem for pydantic validation errors (a request body, query or path that does not fit the model),
    worded in ``lang`` (see :func:`problem_lang`)."""
    code = problem_lang(lang)
    raw = errors.errors() if isinstance(errors, ValidationError) else errors
    items = [
        ProblemItem(
            field=_loc(tuple(e.get("loc", ()))),
            expected=pydantic_expected(e, code),
            given=_text(e["input"]) if "input" in e else None,
        )
        for e in raw
    ]
    first = items[0] if items else ProblemItem(field="(request)", expected=gettext(N_("a valid request"), code))
    more = gettext(_MORE, code).format(n=len(items) - 1) if len(items) > 1 else ""
    line = gettext(_WITH_FIELD, code).format(field=first.field, expected=first.expected, given=first.given)
    return problem(
        "invalid-request",
        N_("Invalid request"),
        422,
        line + more,
        code,
        instance=instance,
        field=first.field,
        expected=first.expected,
        given=first.given,
        errors=items,
    )
