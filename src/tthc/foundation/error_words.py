"""A library error worded in a language: the one place the CLI and the HTTP service turn a :class:`~tthc.TthcError`
into the words a person reads.

``str(exc)`` is English. An :class:`~tthc.errors.InvalidValueError` keeps its ``expected`` and ``detail`` as given
(``expected_words`` / ``detail_words``: a text marked with ``N_``, or a text that words itself), and an error raised
with one worded message keeps it (``said``), so the whole line can be worded in Vietnamese:

    >>> from tthc.errors import InvalidValueError
    >>> from tthc.foundation.i18n import N_
    >>> exc = InvalidValueError("max_batch_items", N_("a whole number >= 1"), 0)
    >>> error_text(exc, "vi")
    'max_batch_items: cần một số nguyên >= 1, nhận được 0'
    >>> error_text(exc, "en")
    'max_batch_items: expected a whole number >= 1, got 0'

English is ``str(exc)`` exactly. An error with a plain-text message (no words kept) is shown as it is, in English.

Also here, so that every part of the library words an error the same way: :class:`ErrorWords` keeps an error as a
text to word later (a parser's reason in the import report), :func:`renamed` shows an error's private path under
another name (an upload), and :func:`pydantic_expected` words what one of pydantic's validation errors expected, for
every error type of ``pydantic_core`` (the HTTP problems, and :func:`tthc.foundation.arguments.invalid_value` through
:class:`PydanticWords`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs

from tthc.errors import DataError, InvalidValueError, TthcError, Wordable
from tthc.foundation.i18n import N_, gettext, resolve_lang

__all__ = [
    "ErrorWords",
    "PydanticWords",
    "detail_text",
    "error_text",
    "expected_text",
    "main_error",
    "own_errors",
    "pydantic_expected",
    "renamed",
    "say",
]

E = TypeVar("E", bound=DataError)

_WITH_FIELD = N_("{field}: expected {expected}, got {given}")
_WITHOUT_FIELD = N_("expected {expected}, got {given}")
_EXPECTED = N_("expected {expected}")


def say(text: str | Wordable, lang: str | None = None) -> str:
    """``text`` in ``lang``: a text marked with ``N_`` is translated, a :class:`~tthc.errors.Wordable` words
    itself; an empty text stays empty (``gettext("")`` would be the catalog's header)."""
    if not isinstance(text, str):
        return text.text(resolve_lang(lang))
    return gettext(text, lang) if text else text


def expected_text(exc: InvalidValueError, lang: str | None = None) -> str:
    """What ``exc`` expected, in ``lang`` (None: ``TTHC_LANG``, else Vietnamese)."""
    return say(exc.expected_words, lang)


def detail_text(exc: InvalidValueError, lang: str | None = None) -> str:
    """Why the value was refused (``""`` when ``exc`` says no more than what it expected), in ``lang``."""
    return say(exc.detail_words, lang) if exc.detail else ""


def error_text(exc: BaseException, lang: str | None = None) -> str:
    """The message of ``exc`` in ``lang`` (None: ``TTHC_LANG``, else Vietnamese), on one line as the library wrote
    it: ``field: expected X, got Y (detail)`` for a bad value, the worded message of an error raised with one (a
    library error, or a validator's ``ValueError(words(N_(...), ...))``), and ``str(exc)`` otherwise (and always in
    English).

    Field names and the value given stay as they are: they are what the user typed (a place given worded, such as
    a file's row, is worded: ``dòng 2``).

    Raises:
        InvalidValueError: ``lang`` names neither Vietnamese nor English.
    """
    code = resolve_lang(lang)
    if code == "en":
        return str(exc)
    if isinstance(exc, InvalidValueError):
        template = _WITH_FIELD if exc.field else _WITHOUT_FIELD
        field = exc.field_words if isinstance(exc.field_words, str) else exc.field_words.text(code)
        text = gettext(template, code).format(field=field, expected=expected_text(exc, code), given=repr(exc.given))
        return f"{text} ({detail_text(exc, code)})" if exc.detail else text
    said = _said(exc)
    return str(exc) if said is None else said.text(code)


def _said(exc: object) -> Wordable | None:
    """The worded message of an error raised with one: a library error's ``said``, or the one argument of any other
    error raised with a worded text — a pydantic validator's ``ValueError(words(N_(...), ...))`` (pydantic wraps only
    a ``ValueError`` or ``AssertionError`` as the field's error)."""
    if isinstance(exc, TthcError):
        return exc.said
    args = exc.args if isinstance(exc, BaseException) else ()
    return args[0] if len(args) == 1 and not isinstance(args[0], str) and isinstance(args[0], Wordable) else None


def _refused_by_validator(error: Mapping[str, Any]) -> BaseException | None:
    """The error a validator raised for one pydantic error when it is the library's own or worded (see
    :func:`_said`), to word as :func:`error_text` does; None for any other."""
    cause = (error.get("ctx") or {}).get("error")
    if error.get("type") != "value_error" or not isinstance(cause, BaseException):
        return None
    return cause if isinstance(cause, TthcError) or _said(cause) is not None else None


def own_errors(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The errors of a pydantic ``ValidationError`` that are errors of the input: a union's "should be an instance
    of" branch is passed over when another error says what is wrong (all of them when none does)."""
    return [e for e in errors if e.get("type") != "is_instance_of"] or list(errors)


def main_error(errors: Sequence[Mapping[str, Any]]) -> tuple[str, Mapping[str, Any]]:
    """The error of a pydantic ``ValidationError`` to show, and the path of the field it is about.

    A value that takes an instance or its JSON form (``Money``, ``ProcessingTime``: a union of the two) fails both
    branches: the "should be an instance of" one is passed over when the other says what is wrong, and the branches'
    tags (``function-after[...]``) are no field. The error a validator raised in such a branch names its own field
    (``currency``): it is joined to the path of the value (``amount.currency``).
    """
    shown = own_errors(errors)[0]
    loc = [str(part) for part in shown["loc"]]
    path = [part for part in loc if not _BRANCH_TAG.fullmatch(part)]
    cause = (shown.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValueError) and cause.field and len(path) < len(loc):
        parts = cause.field.split(".")
        if path and parts[0] == path[-1]:  # the value's own name, said by its check
            path.pop()
        path += parts
    return ".".join(path), shown


_BRANCH_TAG = re.compile(r"[a-z-]+\[.*\]", re.DOTALL)
"""How pydantic tags a branch of a union or a validator in an error's location (``is-instance[Money]``)."""


@attrs.frozen(slots=True)
class ErrorWords:
    """A library error kept as a text worded when shown: ``text(lang)`` is :func:`error_text` of ``error`` — how a
    parser that meets the error reports it (an import report's reason) in the reader's language.

    ``str()`` is ``str(error)``. Two are equal when their English messages are (an exception itself compares by
    identity, and a report read twice must compare equal).
    """

    error: BaseException = attrs.field(eq=False)
    english: str = attrs.field(init=False, default=attrs.Factory(lambda self: str(self.error), takes_self=True))

    def text(self, lang: str | None = None) -> str:
        """The error's message in ``lang`` (None: ``TTHC_LANG``, else Vietnamese)."""
        return error_text(self.error, lang)

    def __str__(self) -> str:
        return self.english


@attrs.frozen(slots=True)
class _Renamed:
    """A worded message with one name shown as another, in every language."""

    said: Wordable
    old: str
    new: str

    def text(self, lang: str | None = None) -> str:
        return self.said.text(lang).replace(self.old, self.new)

    def __str__(self) -> str:
        return self.text("en")


def renamed(exc: E, old: str, new: str) -> E:
    """``exc`` again, naming ``new`` wherever it named ``old`` (an upload's private path shown as the client's file
    name), still worded in every language when it was."""
    if exc.said is None:
        return type(exc)(str(exc).replace(old, new))
    return type(exc)(_Renamed(exc.said, old, new))


# -- pydantic's validation errors ------------------------------------------------------------------------------------


def _expected(msg: str) -> str:
    # pydantic says "Input should be a valid date"; the house style is "expected a valid date"
    msg = msg.removeprefix("Value error, ")
    if msg == "Field required":
        return "a value (the field is required)"
    if msg.startswith("Extra inputs are not permitted"):
        return "no such field"
    return msg.removeprefix("Input should be ")


# pydantic's error types (stable, unlike its messages) and what each expected, in the house style; ``{...}`` are the
# error's context values. In English, pydantic's own text (as :func:`_expected` frames it).
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
    # the other types of pydantic_core's ErrorType (tests/server/test_problems_vi.py walks the whole list): most
    # cannot arise from a JSON request, but a new model or validator must never print English in a Vietnamese line
    "json_type": N_("JSON text (a string, bytes or bytearray)"),
    "recursion_loop": N_("a value without cyclic references"),
    "recursion_depth_exceeded": N_("a value nested less deeply"),
    "frozen_field": N_("no change (the field is frozen)"),
    "frozen_instance": N_("no change (the instance is frozen)"),
    "invalid_key": N_("keys that are strings"),
    "none_required": N_("null (no value)"),
    "multiple_of": N_("a multiple of {multiple_of}"),
    "finite_number": N_("a finite number"),
    "too_short": N_("at least {min_length} items"),
    "too_long": N_("at most {max_length} items"),
    "iterable_type": N_("an iterable"),
    "iteration_error": N_("an iterable that can be read ({error})"),
    "string_unicode": N_("a valid string of Unicode text"),
    "string_pattern_mismatch": N_("text matching the pattern {pattern}"),
    "string_not_ascii": N_("ASCII characters only"),
    "frozen_dict_type": N_("a valid frozendict"),
    "ordered_dict_type": N_("a valid OrderedDict"),
    "counter_type": N_("a valid Counter"),
    "mapping_type": N_("a valid mapping ({error})"),
    "deque_type": N_("a valid deque"),
    "tuple_type": N_("a valid tuple (a list)"),
    "set_type": N_("a valid set (a list)"),
    "frozen_set_type": N_("a valid frozenset (a list)"),
    "set_item_not_hashable": N_("set items that can be hashed"),
    "int_parsing_size": N_("a valid integer, the text is too long to read as one"),
    "bytes_type": N_("valid bytes"),
    "bytes_too_short": N_("at least {min_length} bytes"),
    "bytes_too_long": N_("at most {max_length} bytes"),
    "bytes_invalid_encoding": N_("valid {encoding} data ({encoding_error})"),
    "value_error": N_("a valid value ({error})"),
    "assertion_error": N_("a value that passes the check ({error})"),
    "date_from_datetime_inexact": N_("a date (a datetime at midnight exactly)"),
    "date_past": N_("a date in the past"),
    "date_future": N_("a date in the future"),
    "time_type": N_("a valid time of day"),
    "time_parsing": N_("a valid time of day, {error}"),
    "datetime_object_invalid": N_("a valid datetime object, {error}"),
    "datetime_past": N_("a datetime in the past"),
    "datetime_future": N_("a datetime in the future"),
    "timezone_naive": N_("a datetime without a time zone"),
    "timezone_aware": N_("a datetime with a time zone"),
    "timezone_offset": N_("a time zone offset of {tz_expected} seconds"),
    "time_delta_type": N_("a valid duration"),
    "time_delta_parsing": N_("a valid duration, {error}"),
    "is_instance_of": N_("an instance of {class}"),
    "is_subclass_of": N_("a subclass of {class}"),
    "callable_type": N_("a callable"),
    "dataclass_type": N_("a valid dictionary or instance of {class_name}"),
    "dataclass_exact_type": N_("an instance of {class_name}"),
    "named_tuple_type": N_("a valid tuple or instance of {class_name}"),
    "no_such_attribute": N_("an existing attribute ({attribute} is not one)"),
    "needs_python_object": N_("a Python object for {method_name}, not JSON"),
    "get_attribute_error": N_("an object whose attributes can be read ({error})"),
    "default_factory_not_called": N_("valid data for the default value"),
    "arguments_type": N_("arguments as a tuple, list or dictionary"),
    "missing_argument": N_("a value (the argument is required)"),
    "unexpected_keyword_argument": N_("no such keyword argument"),
    "missing_keyword_only_argument": N_("a value (the keyword argument is required)"),
    "unexpected_positional_argument": N_("no further positional argument"),
    "missing_positional_only_argument": N_("a value (the positional argument is required)"),
    "multiple_argument_values": N_("one value per argument"),
    "missing_sentinel_error": N_("the MISSING sentinel"),
    "ellipsis_error": N_("the Ellipsis literal"),
    "url_type": N_("a URL"),
    "url_parsing": N_("a valid URL, {error}"),
    "url_syntax_violation": N_("a valid URL, {error}"),
    "url_too_long": N_("a URL of at most {max_length} characters"),
    "url_scheme": N_("a URL with the scheme {expected_schemes}"),
    "uuid_type": N_("a UUID (text, bytes or a UUID object)"),
    "uuid_parsing": N_("a valid UUID, {error}"),
    "uuid_version": N_("a UUID of version {expected_version}"),
    "decimal_type": N_("a decimal number (an integer, float, string or Decimal)"),
    "decimal_parsing": N_("a valid decimal number"),
    "decimal_max_digits": N_("at most {max_digits} digits in all"),
    "decimal_max_places": N_("at most {decimal_places} decimal places"),
    "decimal_whole_digits": N_("at most {whole_digits} digits before the decimal point"),
    "fraction_type": N_("a fraction (an integer, float, string or Fraction)"),
    "fraction_parsing": N_("a valid fraction"),
    "complex_type": N_("a valid complex number"),
    "complex_str_parsing": N_("a valid complex number"),
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
        N_("invalid character in second"),
        N_("invalid character in second fraction"),
        N_("invalid timezone hour"),
        N_("invalid timezone minute"),
        N_("timezone minute value is outside expected range of 0-59"),
        N_("timezone offset must be less than 24 hours"),
        N_("second fraction value is more than 6 digits long"),
        N_("second fraction digits missing after `.`"),
        N_("millisecond fraction value is more than 3 digits long"),
        N_("dates before 0000 are not supported as unix timestamps"),
        N_("dates after 9999 are not supported as unix timestamps"),
        N_("numeric times may not exceed 86,399 seconds"),
        N_("Timestamp is not an exact date"),
        # pydantic's own, beside speedate's
        N_("year 0 is out of range"),
        N_("NaN values not permitted"),
    }
)


def _context_value(key: str, value: object, lang: str) -> str:
    if key == "error" and isinstance(value, str) and value in _PARSER_REASONS:
        return gettext(value, lang)
    if key == "expected" and isinstance(value, str):
        return value.replace("' or '", "', '")  # pydantic's "'a', 'b' or 'c'": the "or" is English
    return str(value)


def pydantic_expected(error: Mapping[str, Any], lang: str | None = None) -> str:
    """What one pydantic error (an item of ``ValidationError.errors()``) expected, in ``lang`` (None: ``TTHC_LANG``,
    else Vietnamese): by its type (every type of ``pydantic_core``'s ``ErrorType`` is worded), a library error or a
    worded ``ValueError`` raised by a validator as :func:`error_text` words it, and pydantic's own text (``"a valid
    integer"`` for ``"Input should be a valid integer"``) in English or for a type this version does not know."""
    code = resolve_lang(lang)
    english = _expected(str(error.get("msg", "a valid value")))
    if code == "en":
        return english
    cause = _refused_by_validator(error)
    if cause is not None:  # a validator refused it with a library error or a worded one
        return error_text(cause, code)
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    template = _PYDANTIC.get(kind) if isinstance(kind, str) else None
    if template is None:
        return english
    try:
        return gettext(template, code).format(**{k: _context_value(k, v, code) for k, v in ctx.items()})
    except (KeyError, IndexError):  # a context pydantic no longer gives: its own text rather than a broken one
        return english


@attrs.frozen(slots=True)
class PydanticWords:
    """One pydantic error kept to word when shown: English is pydantic's message as it wrote it, any other language
    :func:`pydantic_expected` — what was expected (the ``expected`` of an :class:`~tthc.errors.InvalidValueError`
    made from a ``ValidationError``), or, ``framed``, a whole statement ("cần ...", or the library error a validator
    raised, worded). Equal when their English texts are."""

    error: Mapping[str, Any] = attrs.field(eq=False)
    english: str
    framed: bool = False

    def text(self, lang: str | None = None) -> str:
        code = resolve_lang(lang)
        if code == "en":
            return self.english
        cause = _refused_by_validator(self.error) if self.framed else None
        if cause is not None:
            return error_text(cause, code)
        expected = pydantic_expected(self.error, code)
        return gettext(_EXPECTED, code).format(expected=expected) if self.framed else expected

    def __str__(self) -> str:
        return self.english
