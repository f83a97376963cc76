"""The values of a portal export's record as text (:mod:`tthc.catalog.portal_import` reads them here): a value that
is not text where text is expected, a text no catalog may hold (a C0 control character, half of a surrogate pair),
and nested values given as JSON or Python-repr strings.

Where text is expected, a JSON number is read as written (with a note) and an object, a list or true/false leaves the
field empty with an issue — never its repr. A control character or half a surrogate pair, wherever it was decoded
from, fails the record.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Mapping

from tthc.catalog.free_text import _PLACEHOLDER_MAX, is_no_information
from tthc.catalog.import_report import ImportIssue
from tthc.foundation.data_files import LONE_SURROGATE, lone_surrogate, try_parse_json
from tthc.foundation.i18n import N_
from tthc.foundation.words import Worded, Words, words

__all__ = [
    "CONTROL",
    "RefusedText",
    "as_text",
    "cell_text",
    "code_hint",
    "control_character",
    "decode_nested",
    "field_text",
]


def field_text(value: object, where: str, issues: list[ImportIssue]) -> str | None:
    """The text of the field ``where`` (``None``: absent, a placeholder, or not text — then said in ``issues``)."""
    if type(value) is not str:
        if value is None:
            return None
        value = as_text(value, where, issues)
        if value is None:
            return None
    value = value.strip()
    if len(value) > _PLACEHOLDER_MAX:  # is_no_information's first test, without the call (40,000 cells an import)
        return value
    return None if is_no_information(value) else value


def as_text(value: object, where: str, issues: list[ImportIssue]) -> str | None:
    """A JSON value that is not a string, where text is expected: a number as it is written in JSON (``12`` →
    ``"12"``, what the portal means by a code or a count), with a note; anything else — an object, a list, true or
    false — is no text: ``None``, and an ``unparsed`` issue of the field (never its Python repr: ``"{'a': 1}"``)."""
    if isinstance(value, str):
        return str(value)  # (a subclass: its plain text)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        written = json.dumps(value)
        issues.append(ImportIssue.worded(where, written, _NUMBER_AS_TEXT, "note"))
        return written
    if isinstance(value, Mapping):
        said: Worded = _GOT_OBJECT
    elif isinstance(value, list | tuple):
        said = _GOT_LIST
    elif isinstance(value, bool):
        said = _GOT_BOOLEAN
    else:  # (from Python rows: a date, bytes, NaN...)
        said = words(N_("expected text, got {type}"), type=type(value).__name__)
    issues.append(ImportIssue.worded(where, _written(value), said, "unparsed"))
    return None


def _written(value: object) -> str:
    """``value`` as JSON writes it, shortened for a report."""
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)[:120]
    except (TypeError, ValueError, RecursionError):  # keys that are not text, a cycle: Python rows only
        return repr(value)[:120]


_NUMBER_AS_TEXT = words(N_("expected text, got a number; read as written"))
_GOT_OBJECT = words(N_("expected text, got an object"))
_GOT_LIST = words(N_("expected text, got a list"))
_GOT_BOOLEAN = words(N_("expected text, got a boolean (true or false)"))


def cell_text(row: dict[object, object], key: str, where: str, issues: list[ImportIssue]) -> str | None:
    """The text of a cell of a table row, as given (``None``: not text, said in ``issues``; absent: ``""``)."""
    value = row.get(key)
    if type(value) is str:
        return value
    return "" if value is None else as_text(value, where, issues)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The C0 control characters a text of the catalog may not hold: all but tab, line feed and carriage return (which
prose has). No one types them; a NUL ends a C string and is refused by PostgreSQL's text and by XML, an ESC drives a
terminal — in an export they are damage, and its record fails rather than carry them into a catalog."""


def control_character(value: object, where: str) -> tuple[str, str, Words] | None:
    """The first text of ``value`` (a JSON value; keys included) holding a :data:`CONTROL` character: ``(field,
    the text with the character escaped, why)``; ``None`` when there is none."""
    if isinstance(value, str):
        found = CONTROL.search(value)
        return None if found is None else (where or "record", _escaped(value), _control_said(found.group()))
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            path = f"{where}.{name}" if where else name
            if CONTROL.search(name) is not None:
                return control_character(name, where)
            refused = control_character(item, path)
            if refused is not None:
                return refused
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value, 1):
            refused = control_character(item, f"{where}[{i}]")
            if refused is not None:
                return refused
    return None


def _escaped(text: str) -> str:
    """``text`` shortened for a report, its control characters written as JSON escapes (``\\u0000``)."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text[:120])


def _control_said(char: str) -> Words:
    if char == "\x00":
        return _GOT_NUL
    return words(N_("expected text, got the control character {char}"), char=f"U+{ord(char):04X}")


_GOT_NUL = words(N_("expected text, got a NUL character (U+0000)"))


def code_hint(data: dict[str, object]) -> str | None:
    """The code a record says it has, for the report of a record that failed before it was read (or ``None``)."""
    code = data.get("ma_thu_tuc", data.get("thu_tuc_id"))
    if not isinstance(code, str) or CONTROL.search(code) is not None:
        return None
    return code.strip() or None


def decode_nested(value: object, field: str, issues: list[ImportIssue]) -> object:
    """A nested value given as a JSON or Python-repr string (``"{'hinh_thuc': ...}"``) is decoded, and said so."""
    if not (isinstance(value, str) and value.strip()[:1] in ("{", "[")):
        return value
    decoded, problem = try_parse_json(value)
    said = _DECODED_JSON
    if problem is not None:
        try:
            decoded, said = ast.literal_eval(value), _DECODED_REPR
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return value
    if "\\" in value:  # what an escape became
        if lone_surrogate(decoded):
            # an escape of half a surrogate pair (\\ud800, \\U0000dfff) became one: no UTF-8 file could hold it
            raise RefusedText(field, _LONE_SURROGATE)
        refused = control_character(decoded, field)
        if refused is not None:  # \\u0000, \\x00, \\x1b...
            raise RefusedText(field, refused[2])
    issues.append(ImportIssue.worded(field, value[:120], said, "note"))
    return decoded


class RefusedText(Exception):
    """A nested value decoded into a text no catalog may hold (half of a surrogate pair, a control character): its
    record fails (:func:`parse_record`)."""

    def __init__(self, field: str, said: Words) -> None:
        super().__init__(field)
        self.field = field
        self.said = said


_LONE_SURROGATE = words(LONE_SURROGATE)


_DECODED_JSON = words(N_("value given as a JSON string; decoded"))
_DECODED_REPR = words(N_("value given as a Python repr string; decoded"))
