"""The click application: one module per command, registered here; the error contract of the command line.

Exit codes: 0 ok, 1 findings, 2 usage or input error — never a traceback. Every error is one line on stderr
(``tthc: <field>: expected X, got Y``); with ``--json`` it is a JSON object on stdout instead (see
:func:`tthc.cli._common.error_payload`), so a program reading stdout always gets JSON. An exception the library did not
raise on purpose (a bug) is still one line, ``tthc: internal error: <type>: <message> — please report``, exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import io
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import click

from tthc._version import __version__
from tthc.cli._common import (
    COLOR_KEY,
    EXIT_USAGE,
    LANG_KEY,
    WordedGroup,
    cli_lang,
    echo_error,
    examples,
    word_path_names,
)
from tthc.errors import InvalidValueError, TthcError
from tthc.foundation import stops
from tthc.foundation.i18n import LANGS, N_

# command name -> module in tthc.cli defining it as `command`; imported only when that command runs (or for help), so
# `tthc due` never loads what `tthc validate` needs. The order is the order of `tthc --help`.
COMMANDS: dict[str, str] = {
    "due": "due",
    "quote": "quote",
    "eligibility": "eligibility",
    "import-portal": "import_portal",
    "validate": "validate",
    "kpi": "kpi",
    "audit": "audit",
    "schema": "schema",
    "batch": "batch",
    "serve": "serve",
}


class LazyGroup(WordedGroup):
    """A group whose commands are imported when asked for (click's documented lazy-loading pattern)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `--help` acts while the options are parsed, before the callback below resolves `--lang`: the help page is
        # worded in the language asked for (the callback then checks it, and stores it again for the command)
        ctx.meta[LANG_KEY] = _wanted_lang(args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(f"tthc.cli.{module}").command  # named cmd_name (a test)
        word_path_names(command, cli_lang())
        return command


@click.group(
    "tthc",
    help=N_("tthc — Vietnamese administrative procedures: deadlines, fees, postal channel, records and KPIs."),
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=examples(
        "tthc due --received '13/02/2026 16:30' --processing-time '5 ngày làm việc'",
        "tthc --lang en validate --sample",
    ),
)
@click.option(
    "--lang",
    metavar="vi|en",
    shell_complete=lambda ctx, param, incomplete: [code for code in LANGS if code.startswith(incomplete)],
    help=N_(
        "Language of the output: vi (Vietnamese, the default) or en. Default: the TTHC_LANG environment variable, "
        "else vi."
    ),
)
@click.option("--no-color", is_flag=True, help=N_("No colours in the output (also when NO_COLOR is set)."))
@click.version_option(__version__, prog_name="tthc")
@click.pass_context
def group(ctx: click.Context, lang: str | None, no_color: bool) -> None:
    from tthc.foundation.i18n import LANG_ENV, resolve_lang

    try:
        code = resolve_lang(lang)
    except InvalidValueError as exc:
        raise InvalidValueError("--lang" if lang is not None else exc.field, exc.expected_words, exc.given) from None
    ctx.meta[LANG_KEY] = code
    ctx.meta[COLOR_KEY] = not no_color and not os.environ.get("NO_COLOR")
    # The chosen language and colour reach every text of the run, those the commands word with `lang=` and those
    # the library words deeper down from TTHC_LANG (validation messages in a worker, a rich table's styles): set for
    # the run, put back when it ends (the CLI is also called in-process, by tests and by `tthc.cli.main`).
    overrides = {LANG_ENV: code, **({"NO_COLOR": "1"} if no_color else {})}
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    ctx.call_on_close(lambda: _restore(saved))
    if no_color:
        ctx.color = False


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _wants_json(args: list[str]) -> bool:
    # read before click parses, so that even a usage error is answered in JSON; "--" ends the options
    head = args[: args.index("--")] if "--" in args else args
    return "--json" in head


def _wanted_lang(args: list[str]) -> str:
    """The language of an error line: ``--lang`` as typed (read before click parses, like ``--json``), else
    ``TTHC_LANG``, else Vietnamese; a value that is itself wrong does not stop the error about it being worded."""
    from tthc.foundation.i18n import DEFAULT_LANG, resolve_lang

    head = args[: args.index("--")] if "--" in args else args
    given: str | None = None
    for i, arg in enumerate(head):
        if arg == "--lang" and i + 1 < len(head):
            given = head[i + 1]
        elif arg.startswith("--lang="):
            given = arg.partition("=")[2]
    for candidate in (given, None):
        try:
            return resolve_lang(candidate)
        except InvalidValueError:
            continue
    return DEFAULT_LANG


def app(argv: list[str] | None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``) and return the exit code; never raises."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(args)
    lang = _wanted_lang(args)
    # the process's own command line (the console script, ``python -m tthc``): the process ends after it
    own = argv is None and threading.current_thread() is threading.main_thread()
    with _one_blas_thread() if own else contextlib.nullcontext(), _streams_that_show_vietnamese():
        code = _run(args, as_json, lang)
    if own:
        _hand_over_to_exit()
    return code


def _hand_over_to_exit() -> None:
    """The process's own command line has run (``main()`` without arguments: the console script, ``python -m tthc``)
    and the process ends next: its objects are frozen (:func:`gc.freeze`), so the collector walks them neither when
    ``main`` restores its threshold (the young generation of the whole run: ≈ 100,000 objects) nor at interpreter
    exit — two walks that found nothing to free (≈ 30 ms of CPU each in a ``tthc validate --sample`` on a loaded
    machine; docs/performance.md). Files are closed and outputs written before this point; ``atexit`` handlers and
    the flushing of the standard streams at exit do not depend on the collector. A program calling ``main`` with an
    argument list, or from another thread than the main one, keeps its collector as it was."""
    gc.freeze()


VIETNAMESE_PROBE = "ạ"
"""A precomposed Vietnamese letter (U+1EA1) that neither latin-1 nor cp1258 — the ANSI code page of Vietnamese
Windows, what Python uses there for a stdout redirected to a file — can encode."""


@contextlib.contextmanager
def _streams_that_show_vietnamese() -> Iterator[None]:
    """A stdout or stderr whose encoding cannot write Vietnamese letters (``PYTHONIOENCODING=cp1258``, latin-1, a
    Windows console redirected to a file) writes them as backslash escapes (``\\u1ea1``) for the run rather than
    failing on the first one: the result stays complete and readable, and a display limit is never an error (it
    was an "internal error", exit 2). The files the command line writes are UTF-8 whatever the streams' encoding.
    The streams' error handler is put back when the run ends (the CLI is also called in-process)."""
    restore: list[tuple[io.TextIOWrapper[Any], str]] = []
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or _takes_vietnamese(stream.encoding):
            continue
        errors = stream.errors or "strict"
        try:
            stream.reconfigure(errors="backslashreplace")
        except (OSError, ValueError):  # closed, or already written to in a way that forbids it: left as it is
            continue
        restore.append((stream, errors))
    try:
        yield
    finally:
        for stream, errors in restore:
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors=errors)


def _takes_vietnamese(encoding: str | None) -> bool:
    try:
        VIETNAMESE_PROBE.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


BLAS_THREADS = "OPENBLAS_NUM_THREADS"
"""The variable OpenBLAS (numpy's linear algebra in its wheels) reads its thread count from when numpy loads it."""


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """OpenBLAS, loaded with numpy, starts a thread per extra core that then spins for a while: CPU taken from the
    command's own threads at every start (≈ 20–45 ms of a ``tthc validate --sample`` on 2 cores, more with more
    cores). tthc does no floating-point linear algebra — its matrix products are of integers, which numpy computes
    without BLAS — so the process's own command line loads it with one thread, unless the user set a count or numpy
    is loaded already; the variable is removed again when the command returns. A program calling ``main`` with an
    argument list or from another thread keeps its environment and its BLAS threads (a numpy it loads later would
    otherwise keep one thread for good)."""
    if BLAS_THREADS in os.environ or "numpy" in sys.modules:
        yield
        return
    os.environ[BLAS_THREADS] = "1"
    try:
        yield
    finally:
        os.environ.pop(BLAS_THREADS, None)


def _run(args: list[str], as_json: bool, lang: str) -> int:
    stdout = _stdout_file()
    try:
        stops.check()  # a stop while the command line loaded
        result = group.main(args=args, prog_name="tthc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Ctrl-C, SIGTERM or end of input: the outputs were written atomically, nothing is half done
        echo_error(None, as_json=as_json, kind="interrupted", lang=lang)
        return EXIT_USAGE
    except click.ClickException as exc:  # usage: a missing or malformed option (click's exit 1 is ours to map to 2)
        echo_error(exc, as_json=as_json, kind="usage", lang=lang)
        return EXIT_USAGE
    except TthcError as exc:
        echo_error(exc, as_json=as_json, kind="input", lang=lang)
        return EXIT_USAGE
    except BrokenPipeError:  # `tthc ... | head`: the reader left; say nothing more and exit quietly
        _silence_stdout()
        return EXIT_USAGE
    except SystemExit as exc:
        # click (an EPIPE met by click.echo) and rich (by a console) end the program themselves, with exit 1 —
        # "findings" here — when stdout's reader has gone: that is the quiet exit above
        if exc.code == 1 and _stdout_gone(stdout):
            _silence_stdout()
            return EXIT_USAGE
        raise
    except OSError as exc:
        if exc.errno not in _FULL_ERRNOS:
            echo_error(exc, as_json=as_json, kind="internal", lang=lang)
            return EXIT_USAGE
        # stdout could not take what was printed (`> /dev/full`, a full disk; the outputs name their own): said on
        # stderr, whatever the format — stdout takes nothing more
        from tthc.foundation.output_files import _output_error

        _silence_stdout()
        echo_error(_output_error("stdout", "<stdout>", exc), as_json=False, kind="input", lang=lang)
        return EXIT_USAGE
    except Exception as exc:  # a bug: still one line and exit 2, never a traceback and never 1 ("findings")
        echo_error(exc, as_json=as_json, kind="internal", lang=lang)
        return EXIT_USAGE
    return int(result) if isinstance(result, int) else 0


_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""What a write to a full device raises."""


def _stdout_file() -> tuple[int, int] | None:
    """Which file descriptor 1 is (device, inode), or ``None``."""
    try:
        st = os.fstat(1)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _stdout_gone(before: tuple[int, int] | None) -> bool:
    """Whether stdout's reader has gone: descriptor 1 now another file (rich points it at the null device) or a pipe
    no one reads (the kernel reports an error on its write end)."""
    if _stdout_file() != before:
        return True
    try:
        import select

        poll = select.poll()
        poll.register(1, select.POLLOUT)
        return any(events & select.POLLERR for _, events in poll.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), no descriptor 1
        return False


def _silence_stdout() -> None:
    # Python flushes stdout again at exit and would print a second BrokenPipeError; point it at devnull instead
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's buffer)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
