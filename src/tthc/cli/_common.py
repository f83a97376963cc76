"""Helpers shared by the CLI commands: JSON output, exit codes, errors on one line (or as JSON), option checks, the
language and colours of a run, date options, help examples and the legend of the marks [open], [2nd] and ~."""

from __future__ import annotations

import codecs
import copy
import json
import math
import os
import re
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

import click

from tthc.errors import InvalidValueError, TthcError
from tthc.foundation.error_words import error_text, say
from tthc.foundation.i18n import N_, Lang, gettext, resolve_lang

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

__all__ = [
    "COLOR_KEY",
    "DAY",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "INSTANT",
    "LANG_KEY",
    "WordedCommand",
    "WordedGroup",
    "check_encoding",
    "cli_lang",
    "color_enabled",
    "console",
    "data_text",
    "echo_error",
    "echo_json",
    "echo_with_legend",
    "error_payload",
    "examples",
    "legend",
    "terminal_text",
    "to_jsonable",
    "word_path_names",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

LANG_KEY = "tthc.lang"
"""``ctx.meta`` key of the language the root group resolved (``--lang`` > ``TTHC_LANG`` > Vietnamese)."""
COLOR_KEY = "tthc.color"
"""``ctx.meta`` key: False under ``--no-color`` or ``NO_COLOR``."""


def cli_lang() -> Lang:
    """The language of this run's output: what the root group resolved, else ``TTHC_LANG``, else Vietnamese."""
    ctx = click.get_current_context(silent=True)
    code = ctx.meta.get(LANG_KEY) if ctx is not None else None
    return code if code is not None else resolve_lang(None)


def color_enabled() -> bool:
    """False under ``--no-color`` or when ``NO_COLOR`` is set (https://no-color.org); rich also drops colours when
    the output is not a terminal."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and COLOR_KEY in ctx.meta:
        return bool(ctx.meta[COLOR_KEY])
    return not os.environ.get("NO_COLOR")


def console(*, stderr: bool = False, min_width: int = 0) -> Console:
    """A rich console for this run: no markup highlighting of data, colours as :func:`color_enabled` says, at least
    ``min_width`` columns wide (tables stay readable when piped).

    Text given as ``str`` (titles, headings, numbers) is printed as written: neither read as markup (``[bold]``)
    nor as emoji codes (``:warning:``). The commands style what they print with :class:`rich.text.Text`
    (:func:`data_text`), so rich's markup parser and its emoji table (≈ 3 ms of a ``tthc validate --sample``) are
    never needed."""
    from rich.console import Console

    width = max(min_width, Console(stderr=stderr).width) if min_width else None
    return Console(stderr=stderr, highlight=False, no_color=not color_enabled(), width=width, markup=False, emoji=False)


def print_table(out: Console, table: Table) -> None:
    """Print ``table`` whole: on a terminal it fits the window (rich wraps cells); piped to a file or a program,
    which has no right edge, the console widens to the table's natural width so that no column is cut off."""
    if not out.is_terminal:
        natural = out.measure(table, options=out.options.update_width(10_000)).maximum  # not capped at the width
        out.width = max(out.width, natural)
    out.print(table)


_EXAMPLES = N_("Examples:")


def examples(*lines: str) -> str:
    """A help epilog listing example command lines, kept as typed (click's ``\\b`` paragraph: no rewrapping);
    ``tests/cli/test_help_examples.py`` runs each of them. The heading is translated when the help is shown, the
    command lines never are."""
    return f"\b\n{_EXAMPLES}\n" + "\n".join(f"  {line}" for line in lines)


# click's own words in a help page (click words them with the stdlib's global gettext domain, not ours)
_USAGE = N_("Usage: ")
_CLICK_WORDS = (
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("required"),
)
_DEFAULT = N_("default: {default}")
_CLICK_DEFAULT = "default: "


# click's own error messages, worded the same way: click words them with the stdlib's gettext (a module-level `_` and
# `ngettext` in each click module), which knows no catalog of ours; `_word_click_messages` points those names at the
# run's language. Marked here so that the catalog carries them (both forms of a plural: Vietnamese has one).
_CLICK_MESSAGES = (
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Did you mean {possibility}?"),
    N_("(Did you mean one of: {possibilities}?)"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("file"),
    N_("directory"),
    N_("path"),
)
_PATH_NAMES = {(True, False): N_("file"), (False, True): N_("directory")}  # click.Path's own choice, else "path"


def word_path_names(command: click.Command, lang: Lang) -> None:
    """Name the path options of ``command`` in ``lang`` (``Tệp 'x.json' không tồn tại``, metavar ``TỆP``): click
    words that name once, when the command is defined, and the commands are shared by every run of the process."""
    for param in command.params:
        if isinstance(param.type, click.Path):
            english = _PATH_NAMES.get((param.type.file_okay, param.type.dir_okay), "path")
            param.type.name = gettext(english, lang)


_ERROR_LANG: ContextVar[Lang | None] = ContextVar("tthc_error_lang", default=None)
"""The language of an error line click formats after the run's context is closed (:func:`_message`)."""


def _click_gettext(message: str) -> str:
    try:
        return gettext(message, _ERROR_LANG.get() or cli_lang())
    except InvalidValueError:  # TTHC_LANG names no language: the line about it is still written
        return message


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _click_gettext(singular if n == 1 else plural)


def _word_click_messages() -> None:
    """Let click word its usage errors (``Missing option``, ``No such option``, ``… is not one of …``) in the run's
    language, through the catalog (:data:`_CLICK_MESSAGES`); English texts stay click's own."""
    import click.core
    import click.exceptions
    import click.parser
    import click.types

    for module in (click.core, click.exceptions, click.parser, click.types):
        module._ = _click_gettext  # type: ignore[attr-defined]
        module.ngettext = _click_ngettext  # type: ignore[attr-defined]


_word_click_messages()


class _WordedFormatter(click.HelpFormatter):
    """A help formatter writing click's own headings (``Usage:``, ``Options``, ``Commands``) in the run's language;
    the command's words come worded already (:class:`WordedCommand`)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, gettext(_USAGE, cli_lang()) if prefix is None else prefix)

    def section(self, name: str) -> Any:  # a context manager: click's own annotation differs across versions
        return super().section(gettext(name, cli_lang()))


def _word_extras(text: str, lang: Lang) -> str:
    """``… [default: direct; required]`` with ``default`` and ``required`` in ``lang`` (the values stay as typed)."""
    if lang == "en" or not text.endswith("]"):
        return text
    head, sep, extras = text[:-1].rpartition("[")
    if head and not head.endswith("  "):  # a bracket of the help text itself, not click's extras
        return text
    items = [
        gettext(_DEFAULT, lang).format(default=item.removeprefix(_CLICK_DEFAULT))
        if item.startswith(_CLICK_DEFAULT)
        else gettext(item, lang)
        for item in extras.split("; ")
    ]
    return f"{head}{sep}{'; '.join(items)}]"


class _WordedContext(click.Context):
    formatter_class = _WordedFormatter


class WordedCommand(click.Command):
    """A command whose help page is in the run's language (:func:`cli_lang`): its help, short help, option help
    texts and the heading of its examples are marked with ``N_`` in the code and translated here, when the help is
    shown — the example command lines stay as typed. ``tthc --lang vi due --help`` is Vietnamese."""

    context_class = _WordedContext

    def _worded(self) -> Any:
        """A shallow copy of this command with its own texts translated (click's methods then format it)."""
        lang = cli_lang()
        worded = copy.copy(self)
        worded.help = say(self.help, lang) if self.help else self.help
        worded.short_help = say(self.short_help, lang) if self.short_help else self.short_help
        if self.epilog and self.epilog.startswith(f"\b\n{_EXAMPLES}\n"):
            worded.epilog = self.epilog.replace(_EXAMPLES, gettext(_EXAMPLES, lang), 1)
        return worded

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Command.get_short_help_str(self._worded(), limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help_text(self._worded(), ctx, formatter)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_epilog(self._worded(), ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own loop over the options, each option worded (a copy: parsing keeps the originals)
        lang = cli_lang()
        rows = [
            (record[0], _word_extras(record[1], lang))
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument)
            and (record := _worded_param(param, lang).get_help_record(ctx)) is not None
        ]
        if rows:
            with formatter.section("Options"):  # worded by the formatter, like click's other headings
                formatter.write_dl(rows)


class WordedGroup(WordedCommand, click.Group):
    """A group whose help page is in the run's language, its commands' short help too (see :class:`WordedCommand`)."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)


def _worded_param(param: click.Parameter, lang: Lang) -> click.Parameter:
    text = getattr(param, "help", None)
    if not text:
        return param
    worded = copy.copy(param)
    worded.help = say(text, lang)
    return worded


class _Instant(click.ParamType):  # type: ignore[type-arg]  # generic in click >= 8.2 only: no subscript at runtime
    """A date and time option read by the library's one rule (:func:`tthc.foundation.datetimes.parse_local_datetime`):
    ``2026-02-13 16:30``, ``2026-02-13T16:30``, ``13/02/2026 16:30`` (a day alone is its 00:00); Vietnam time."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        from tthc.foundation.datetimes import parse_local_datetime

        return value if isinstance(value, datetime) else parse_local_datetime(value, _option_name(param))


class _Day(click.ParamType):  # type: ignore[type-arg]
    """A day option read by the library's one rule (:func:`tthc.foundation.datetimes.parse_local_date`):
    ``2026-02-13`` or ``13/02/2026``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        from tthc.foundation.datetimes import parse_local_date

        return parse_local_date(value, _option_name(param))


def _option_name(param: click.Parameter | None) -> str:
    if param is None:
        return "date"
    return param.opts[0] if param.opts and param.param_type_name == "option" else (param.name or "date").upper()


INSTANT = _Instant()
"""A date-time option: ISO 8601 or ``dd/mm/yyyy [HH:MM[:SS]]``, Vietnam time; an impossible date is one error line."""
DAY = _Day()
"""A day option: ``YYYY-MM-DD`` or ``dd/mm/yyyy``; an impossible date (``30/02/2026``) is one error line."""


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
    """Print ``value`` as JSON. ``NaN`` and ``Infinity`` are not JSON: a float that is not finite is a bug (an
    internal error), never invalid JSON on stdout."""
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, allow_nan=False))


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


def error_payload(
    exc: BaseException | None, *, kind: ErrorKind, message: str | None = None, lang: str | None = None
) -> dict[str, object]:
    """The ``--json`` form of an error: ``{"error": {"kind", "field", "expected", "given", "message"}}``.

    ``field``, ``expected`` and ``given`` are those of an :class:`~tthc.errors.InvalidValueError` (``given`` as
    JSON text, number, boolean or null — anything else as its ``repr``); for a usage error the option click names;
    ``null`` otherwise. ``message`` is the line printed without ``--json``, minus its ``tthc:`` prefix, in ``lang``
    (the fields stay as the library gave them, for programs).
    """
    field: str | None = None
    expected: str | None = None
    given: object = None
    if isinstance(exc, InvalidValueError):
        field, expected, given = exc.field or None, exc.expected, _plain(exc.given)
    elif isinstance(exc, click.ClickException):
        field = _click_field(exc)
    if message is None:
        message = _message(exc, kind, resolve_lang(lang))
    return {
        "error": {"kind": kind, "field": field, "expected": expected, "given": given, "message": _one_line(message)}
    }


_INTERRUPTED = N_("interrupted; no output was written")


def _message(exc: BaseException | None, kind: ErrorKind, lang: Lang) -> str:
    if exc is None:
        return gettext(_INTERRUPTED, lang) if kind == "interrupted" else kind
    if isinstance(exc, click.ClickException):
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "tthc"
        command = where.partition(" ")[2]  # "validate" in "tthc validate"; the line already starts with "tthc: "
        token = _ERROR_LANG.set(lang)
        try:
            text = f"{command + ': ' if command else ''}{exc.format_message()}"
        finally:
            _ERROR_LANG.reset(token)
        return gettext("{message} (see '{where} --help')", lang).format(message=text, where=where)
    if kind == "internal":
        return gettext("internal error: {kind}: {message} — please report", lang).format(
            kind=type(exc).__name__,
            message=terminal_text(_short(exc)),  # a bug's message may quote raw data
        )
    if isinstance(exc, TthcError):  # the library's words in the run's language (English: str(exc))
        return error_text(exc, lang)
    return str(exc)


def _short(exc: BaseException) -> str:
    # a RecursionError or a 5000-digit number must not print a page; the type and the start say enough
    try:
        text = str(exc)
    except Exception:  # an exception whose __str__ itself fails (a 5000-digit int in an f-string, ...)
        text = "(no message)"
    return text if len(text) <= 300 else text[:300] + "…"


def echo_error(
    exc: BaseException | None,
    *,
    as_json: bool,
    kind: ErrorKind,
    message: str | None = None,
    lang: str | None = None,
) -> None:
    """Print an error: one line on stderr, or the :func:`error_payload` JSON object on stdout under ``--json``."""
    payload = error_payload(exc, kind=kind, message=message, lang=lang)
    if as_json:
        _echo_safely(json.dumps(payload, ensure_ascii=False, indent=2), err=False)
    else:
        text = payload["error"]["message"]  # type: ignore[index]
        _echo_safely(f"tthc: {text}", err=True)


def _echo_safely(text: str, *, err: bool) -> None:
    # a terminal that cannot show Vietnamese letters must not turn an error message into a second error; nor must a
    # stdout that takes nothing more (full, closed): the message goes to stderr, and if that fails too, nowhere
    try:
        try:
            click.echo(text, err=err)
        except UnicodeEncodeError:
            click.echo(text.encode("ascii", "backslashreplace").decode("ascii"), err=err)
    except OSError:
        if not err:
            _echo_safely(text, err=True)


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
            N_("a text encoding Python knows, e.g. utf-8, utf-8-sig, cp1258, utf-16, latin-1"),
            value,
            detail=N_("leave --encoding out to have it detected"),
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


# The marks of the domain notes, as they appear in traces, quotes, reasons and sources; explained under the output
# that shows them (only those it shows).
_MARKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("[open]", re.compile(r"\[open\]"), N_("[open] = not settled by the law: a documented default, configurable")),
    (
        "[2nd]",
        re.compile(r"\[2nd\]"),
        N_("[2nd] = read in a secondary source (news, a portal, another system), not in the legal text"),
    ),
    (
        "~",
        re.compile(r"(?:^|\s)~(?=\s|$)", re.MULTILINE),
        N_("~ = an estimate: the published price is a range, one value of it is shown"),
    ),
)


def legend(text: str, lang: str | None = None) -> str | None:
    """One line explaining the marks ``[open]``, ``[2nd]`` and ``~`` that ``text`` contains; None when it has none."""
    code = resolve_lang(lang)
    found = [gettext(meaning, code) for _, pattern, meaning in _MARKS if pattern.search(text)]
    return gettext("Marks: {marks}", code).format(marks="; ".join(found)) if found else None


def echo_with_legend(text: str) -> None:
    """Print a text the library composed line by line (escaped for the terminal), then the legend of its marks."""
    click.echo(terminal_text(text, keep_newlines=True))
    line = legend(text, cli_lang())
    if line is not None:
        click.echo(line)
