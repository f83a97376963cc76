"""Errors as RFC 9457 problem details (``application/problem+json``): one shape for the HTTP API and for the inline
error objects of ``tthc batch``.

Every problem names the ``field``, what was ``expected`` and what was ``given`` when the error knows them (they come
from :class:`tthc.InvalidValueError` and from pydantic's validation errors), plus a stable ``type`` URI per kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tthc.errors import CalendarRangeError, DataError, InvalidValueError, NotFoundError, TthcError
from tthc.foundation.error_words import (
    detail_text,
    error_text,
    expected_text,
    main_error,
    own_errors,
    pydantic_expected,
)
from tthc.foundation.i18n import DEFAULT_LANG, N_, Lang, gettext, resolve_lang
from tthc.foundation.words import Words, word

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


def _safe(text: str) -> str:
    """``text`` as it can be written in UTF-8: a lone surrogate (a JSON ``\\ud800`` escape the client sent) shown as
    its escape, so that the problem about it can be sent at all."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r"})


def _text(value: object) -> str:
    """A value given, as one line of text: a string as it is (a line break shown as its escape ``\\n``, so that the
    problem's detail stays one line), a date or instant in ISO 8601, bytes decoded (never a Python ``b'...'``
    literal), cut at 200 characters."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, date):  # a date or an instant as the client writes it, not its Python repr
        text = value.isoformat()
    elif isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "backslashreplace")
    else:
        text = repr(value)
    text = _safe(text).translate(_LINE_BREAKS)
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
    safe = {k: _safe(v) if isinstance(v, str) else v for k, v in fields.items()}
    return Problem(
        type=_TYPE + kind, title=gettext(title, problem_lang(lang)), status=status, detail=_safe(detail), **safe
    )


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
    expected = _expected(exc.said, code) if isinstance(exc.said, Words) else None
    if expected is None and rest.startswith("expected ") and detail == english:
        # a plain-text message (English in every language): ``expected`` read from it, in every language alike
        expected = rest.removeprefix("expected ").split(", got ", 1)[0]
    # an error worded with the value it refused (a date outside the calendar) gives it as ``given``
    values = dict(exc.said.values) if isinstance(exc.said, Words) else {}
    given = _text(values["given"]) if values.get("given") is not None else None
    return problem(kind, title, status, detail, code, instance=instance, field=field, expected=expected, given=given)


_TEMPLATE_FIELD = re.compile(r"^(?:\{field\}|[A-Za-z_][\w.\[\]/-]*): ")


def _expected(said: Words, lang: Lang) -> str | None:
    """What an error worded ``field: expected X, got Y`` (its template in the house frame) expected, worded in
    ``lang`` as its detail is: X read from the template in ``lang`` (the value given and any detail after it are
    placeholders, so no text they hold can be taken for the frame), then filled in. None when the template is not in
    that frame in every language: a problem has the same members in every language."""
    found: dict[str, str | None] = {}
    for code in get_args(Lang):
        frame = _TEMPLATE_FIELD.sub("", gettext(_WITH_FIELD, code), count=1)
        head, _, rest = frame.partition("{expected}")
        middle, _, tail = rest.partition("{given}")
        pattern = re.escape(head) + "(.+)" + re.escape(middle) + r"\{\w+\}" + re.escape(tail) + r"(?: \(.*\))?"
        m = re.fullmatch(pattern, _TEMPLATE_FIELD.sub("", gettext(said.template, code), count=1), re.DOTALL)
        found[code] = m.group(1) if m else None
    template = found[lang]
    if template is None or None in found.values():
        return None
    return template.format(**{k: word(v, lang) for k, v in said.values})


_REQUEST_PARTS = ("body", "query", "path", "header")


_WITH_FIELD = N_("{field}: expected {expected}, got {given}")
_MORE = N_(" (+{n} more)")


def _item(error: Mapping[str, Any], lang: Lang) -> tuple[ProblemItem, str]:
    """One pydantic error as a problem item, and why (a library check's detail; ``""`` when none).

    The path is :func:`~tthc.foundation.error_words.main_error`'s: no branch tags (``function-after[...]``), and the
    field a library check inside a union's branch names joined to it (``processing_time.amount``). What a library
    check raised in a validator is said by its own parts — what it expected, the value it refused — not as its whole
    line framed again."""
    loc = tuple(p for p in error.get("loc", ()) if p not in _REQUEST_PARTS)
    field, shown = main_error([{**error, "loc": loc}])
    cause = (shown.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValueError):
        # the check's own value when the path names a part of the input (an amount inside a processing time)
        own = field != ".".join(str(p) for p in loc) or "input" not in shown
        given: object = cause.given if own else shown["input"]
        # a value the check describes in words (a file part sent as a text field) rather than shows
        said = cause.given if isinstance(cause.given, Words) else None
        shown_given = said.text(lang) if said is not None else _text(given)
        item = ProblemItem(field=_safe(field) or "(request)", expected=expected_text(cause, lang), given=shown_given)
        return item, detail_text(cause, lang)
    expected = _safe(pydantic_expected(shown, lang))
    given_text = _text(shown["input"]) if "input" in shown else None
    return ProblemItem(field=_safe(field) or "(request)", expected=expected, given=given_text), ""


def problem_from_validation(
    errors: list[Any] | ValidationError, instance: str | None = None, lang: str | None = None
) -> Problem:
    """The 422 problem for pydantic validation errors (a request body, query or path that does not fit the model),
    worded in ``lang`` (see :func:`problem_lang`). A union's "should be an instance" branch is no error of its own
    when the other branch says what is wrong (the catalog reader counts them the same way)."""
    code = problem_lang(lang)
    raw = errors.errors() if isinstance(errors, ValidationError) else errors
    kept = own_errors(raw)
    said = [_item(e, code) for e in kept]
    items = [item for item, _ in said]
    first, why = (
        said[0] if said else (ProblemItem(field="(request)", expected=gettext(N_("a valid request"), code)), "")
    )
    more = gettext(_MORE, code).format(n=len(items) - 1) if len(items) > 1 else ""
    line = gettext(_WITH_FIELD, code).format(field=first.field, expected=first.expected, given=first.given)
    return problem(
        "invalid-request",
        N_("Invalid request"),
        422,
        line + (f" ({why})" if why else "") + more,
        code,
        instance=instance,
        field=first.field,
        expected=first.expected,
        given=first.given,
        errors=items,
    )
