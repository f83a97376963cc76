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

__all__ = ["PROBLEM_MEDIA_TYPE", "Problem", "ProblemItem", "problem_from_exception", "problem_from_validation"]

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


def problem_from_exception(exc: TthcError, instance: str | None = None) -> Problem:
    """The problem for a library error: 422 for a bad value, 404 for a code not found, 422 for inconsistent data."""
    if isinstance(exc, InvalidValueError):
        return Problem(
            type=_TYPE + "invalid-value",
            title="Invalid value",
            status=422,
            detail=str(exc),
            instance=instance,
            field=exc.field or None,
            expected=exc.expected,
            given=_text(exc.given),
        )
    field, rest = _split_field(str(exc))
    if isinstance(exc, NotFoundError):
        kind, title, status = "not-found", "Not found", 404
    elif isinstance(exc, CalendarRangeError):
        kind, title, status = "calendar-range", "Outside the compiled calendar", 422
    elif isinstance(exc, DataError):
        kind, title, status = "data-error", "Inconsistent data", 422
    else:
        kind, title, status = "error", "Request cannot be answered", 422
    expected = rest.removeprefix("expected ").split(", got ", 1)[0] if rest.startswith("expected ") else None
    return Problem(
        type=_TYPE + kind,
        title=title,
        status=status,
        detail=str(exc),
        instance=instance,
        field=field,
        expected=expected,
    )


def _expected(msg: str) -> str:
    # pydantic says "Input should be a valid date"; the house style is "expected a valid date"
    msg = msg.removeprefix("Value error, ")
    if msg == "Field required":
        return "a value (the field is required)"
    if msg.startswith("Extra inputs are not permitted"):
        return "no such field"
    return msg.removeprefix("Input should be ")


def _loc(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "(request)"


def problem_from_validation(errors: list[Any] | ValidationError, instance: str | None = None) -> Problem:
    """The 422 problem for pydantic validation errors (a request body, query or path that does not fit the model)."""
    raw = errors.errors() if isinstance(errors, ValidationError) else errors
    items = [
        ProblemItem(
            field=_loc(tuple(e.get("loc", ()))),
            expected=_expected(str(e.get("msg", "a valid value"))),
            given=_text(e["input"]) if "input" in e else None,
        )
        for e in raw
    ]
    first = items[0] if items else ProblemItem(field="(request)", expected="a valid request")
    more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
    return Problem(
        type=_TYPE + "invalid-request",
        title="Invalid request",
        status=422,
        detail=f"{first.field}: expected {first.expected}, got {first.given}{more}",
        instance=instance,
        field=first.field,
        expected=first.expected,
        given=first.given,
        errors=items,
    )
