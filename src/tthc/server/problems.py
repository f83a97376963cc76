"""Errors as RFC 9457 problem details (``application/problem+json``): one shape for the HTTP API and for the inline
error objects of ``tthc batch``.

Every problem names the ``field``, what was ``expected`` and what was ``given`` when the error knows them (they come
from :class:`tthc.InvalidValueError` and from pydantic's validation errors), plus a stable ``type`` URI per kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tthc.errors import CalendarRangeError, DataError, InvalidValueError, NotFoundError, TthcError
from tthc.foundation.error_words import error_text, expected_text
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


def _expected(msg: str) -> str:
    # pydantic says "Input should be a valid date"; the house style is "expected a valid date"
    msg = msg.removeprefix("Value error, ")
    if msg == "Field required":
        return "a value (the field is required)"
    if msg.startswith("Extra inputs are not permitted"):
        return "no such field"
    return msg.removeprefix("Input should be ")


# pydantic's error types (stable, unlike its messages) and what each expected, in the house style; ``{...}`` are the
# error's context values. In English the problem keeps pydantic's own text (as :func:`_expected` frames it).
_PYDANTIC: dict[str, str] = {
    "missing": N_("a value (the field is required)"),
    "extra_forbidden": N_("no such field"),
    "date_type": N_("a valid date"),
    "date_parsing": N_("a valid date, {error}"),
    "date_from_datetime_parsing": N_("a valid date or datetime, {error}"),
    "datetime_type": N_("a valid datetime"),
    "datetime_parsing": N_("a valid datetime, {error}"),
    "datetime_from_date_parsing": N_("a valid datetime or date, {error}"),
    "int_type": N_("a valid integer"),
    "int_parsing": N_("a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("a valid integer, got a number with a fractional part"),
    "float_type": N_("a valid number"),
    "float_parsing": N_("a valid number, unable to parse string as a number"),
    "bool_type": N_("a valid boolean"),
    "bool_parsing": N_("a valid boolean, unable to interpret input"),
    "string_type": N_("a valid string"),
    "string_too_long": N_("at most {max_length} characters"),
    "string_too_short": N_("at least {min_length} characters"),
    "greater_than": N_("greater than {gt}"),
    "greater_than_equal": N_("greater than or equal to {ge}"),
    "less_than": N_("less than {lt}"),
    "less_than_equal": N_("less than or equal to {le}"),
    "enum": N_("one of {expected}"),
    "literal_error": N_("one of {expected}"),
    "list_type": N_("a valid list"),
    "dict_type": N_("a valid dictionary"),
    "model_type": N_("a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_("a valid dictionary or object to extract fields from"),
    "json_invalid": N_("valid JSON ({error})"),
    "union_tag_invalid": N_("{discriminator} one of {expected_tags}"),
    "union_tag_not_found": N_("an object with a {discriminator} field"),
}

# the date and time parser's reasons (speedate), the ``{error}`` of the date and datetime types above
_PARSER_REASONS = frozenset(
    {
        N_("day value is outside expected range"),
        N_("month value is outside expected range of 1-12"),
        N_("input is too short"),
        N_("input is too long"),
        N_("invalid character in year"),
        N_("invalid character in month"),
        N_("invalid character in day"),
        N_("invalid character in hour"),
        N_("invalid character in minute"),
        N_("invalid date separator, expected `-`"),
        N_("invalid time separator, expected `:`"),
        N_("hour value is outside expected range of 0-23"),
        N_("minute value is outside expected range of 0-59"),
        N_("second value is outside expected range of 0-59"),
        N_("unexpected extra characters at the end of the input"),
        N_("invalid timezone sign"),
        N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
    }
)


def _context_value(key: str, value: object, lang: Lang) -> str:
    if key == "error" and isinstance(value, str) and value in _PARSER_REASONS:
        return gettext(value, lang)
    if key == "expected" and isinstance(value, str):
        return value.replace("' or '", "', '")  # pydantic's "'a', 'b' or 'c'": the "or" is English
    return str(value)


def _worded_expected(error: Mapping[str, Any], lang: Lang) -> str:
    """What one pydantic error expected, in ``lang``: by its type, or pydantic's own text for a type not listed."""
    english = _expected(str(error.get("msg", "a valid value")))
    if lang == "en":
        return english
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, TthcError):  # a validator refused it with a library error
        return error_text(cause, lang)
    template = _PYDANTIC.get(kind) if isinstance(kind, str) else None
    if template is None:
        return english
    try:
        return gettext(template, lang).format(**{k: _context_value(k, v, lang) for k, v in ctx.items()})
    except (KeyError, IndexError):  # a context pydantic no longer gives: its own text rather than a broken one
        return english


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
            expected=_worded_expected(e, code),
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
