"""Helpers shared by the CLI commands: JSON output, exit codes, errors on one line (or as JSON), option checks."""

from __future__ import annotations

import codecs
import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

import click

from tthc.errors import InvalidValueError

if TYPE_CHECKING:
    from rich.text import Text

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "ISO_DATE",
    "check_encoding",
    "data_text",
    "echo_error",
    "echo_json",
    "error_payload",
    "terminal_text",
    "to_jsonable",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])
"""A ``YYYY-MM-DD`` option; click names the option and the expected format when the value is wrong."""


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from the library's values (dates as ISO text, enums as values, Decimal as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return to_jsonable(value.model_dump(mode="json"))
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


ErrorKind = Literal["usage", "input", "internal", "interrupted"]
"""``usage`` (a missing or malformed option), ``input`` (a value, a file or an output the library refused),
``internal`` (a bug: please report), ``interrupted`` (Ctrl-C)."""


def _one_line(text: str) -> str:
    # data inside a message (a cell, a file name) may hold line breaks; one error is one line
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _plain(value: object) -> object:
    """A JSON scalar for ``given``: text, a finite number, a boolean or null; anything else as its ``repr``."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return repr(value)


def _click_field(exc: click.ClickException) -> str | None:
    if isinstance(exc, click.BadParameter):
        if isinstance(exc.param_hint, str):
            return exc.param_hint
        if exc.param is not None:
            return exc.param.opts[0] if exc.param.opts else exc.param.name
    if isinstance(exc, click.NoSuchOption):
        return exc.option_name
    return None


def error_payload(exc: BaseException | None, *, kind: ErrorKind, message: str | None = None) -> dict[str, object]:
    """The ``--json`` form of an error: ``{"error": {"kind", "field", "expected", "given", "message"}}``.

    ``field``, ``expected`` and ``given`` are those of an :class:`~tthc.errors.InvalidValueError` (``given`` as
    JSON text, number, boolean or null — anything else as its ``repr``); for a usage error the option click names;
    ``null`` otherwise. ``message`` is the line printed without ``--json``, minus its ``tthc:`` prefix.
    """
    field: str | None = None
    expected: str | None = None
    given: object = None
    if isinstance(exc, InvalidValueError):
        field, expected, given = exc.field or None, exc.expected, _plain(exc.given)
    elif isinstance(exc, click.ClickException):
        field = _click_field(exc)
    if message is None:
        message = _message(exc, kind)
    return {
        "error": {"kind": kind, "field": field, "expected": expected, "given": given, "message": _one_line(message)}
    }


def _message(exc: BaseException | None, kind: ErrorKind) -> str:
    if exc is None:
        return kind
    if isinstance(exc, click.ClickException):
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "tthc"
        command = where.partition(" ")[2]  # "validate" in "tthc validate"; the line already starts with "tthc: "
        return f"{command + ': ' if command else ''}{exc.format_message()} (see '{where} --help')"
    if kind == "internal":
        return f"internal error: {type(exc).__name__}: {_short(exc)} — please report"
    return str(exc)


def _short(exc: BaseException) -> str:
    # a RecursionError or a 5000-digit number must not print a page; the type and the start say enough
    try:
        text = str(exc)
    except Exception:  # an exception whose __str__ itself fails (a 5000-digit int in an f-string, ...)
        text = "(no message)"
    return text if len(text) <= 300 else text[:300] + "…"


def echo_error(exc: BaseException | None, *, as_json: bool, kind: ErrorKind, message: str | None = None) -> None:
    """Print an error: one line on stderr, or the :func:`error_payload` JSON object on stdout under ``--json``."""
    payload = error_payload(exc, kind=kind, message=message)
    if as_json:
        _echo_safely(json.dumps(payload, ensure_ascii=False, indent=2), err=False)
    else:
        text = payload["error"]["message"]  # type: ignore[index]
        _echo_safely(f"tthc: {text}", err=True)


def _echo_safely(text: str, *, err: bool) -> None:
    # a terminal that cannot show Vietnamese letters must not turn an error message into a second error
    try:
        click.echo(text, err=err)
    except UnicodeEncodeError:
        click.echo(text.encode("ascii", "backslashreplace").decode("ascii"), err=err)


def check_encoding(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> str | None:
    """A click callback: ``--encoding`` must name a text codec Python has (checked before any file is opened)."""
    if value is None:
        return None
    try:
        info = codecs.lookup(value)
        if not getattr(info, "_is_text_encoding", True):  # hex, base64, rot13, zlib: bytes-to-bytes, not text
            raise LookupError(value)
        codecs.getincrementaldecoder(value)().decode(b"", final=True)  # 'undefined' fails on anything
    except (LookupError, ValueError, TypeError):
        raise InvalidValueError(
            "--encoding",
            "a text encoding Python knows, e.g. utf-8, utf-8-sig, cp1258, utf-16, latin-1",
            value,
            detail="leave --encoding out to have it detected",
        ) from None
    return value


# C0 and C1 control characters and DEL: ESC starts terminal control sequences (colours, cursor moves, window titles)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def terminal_text(value: object, *, keep_newlines: bool = False) -> str:
    """Data made safe to print on a terminal: control characters shown as ``\\x1b`` instead of sent to it.

    A cell holding ``ESC [ 2 J`` would otherwise clear the screen of whoever reads the report. ``keep_newlines``
    keeps line feeds for texts the library composed line by line (an explanation).
    """
    pattern = _CONTROL_BUT_LINES if keep_newlines else _CONTROL
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


def data_text(*lines: object, style: str = "") -> Text:
    """Data to print through rich, as a :class:`rich.text.Text`: never parsed as markup, so an agency code ``[/]``
    or a name ``[bold]`` is shown as typed (a markup string with :func:`rich.markup.escape` is not exact: a value
    ending in a backslash would escape the tag after it). Each argument is one line; control characters are shown
    escaped (:func:`terminal_text`)."""
    from rich.text import Text

    return Text("\n".join(terminal_text(line) for line in lines), style=style)
