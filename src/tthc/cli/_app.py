"""The click application: one module per command, registered here; the error contract of the command line.

Exit codes: 0 ok, 1 findings, 2 usage or input error — never a traceback. Every error is one line on stderr
(``tthc: <field>: expected X, got Y``); with ``--json`` it is a JSON object on stdout instead (see
:func:`tthc.cli._common.error_payload`), so a program reading stdout always gets JSON. An exception the library did not
raise on purpose (a bug) is still one line, ``tthc: internal error: <type>: <message> — please report``, exit 2.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from tthc._version import __version__
from tthc.cli._common import EXIT_USAGE, echo_error
from tthc.errors import TthcError

# command name -> module in tthc.cli defining a click command named `command`
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tthc")
def group() -> None:
    """tthc — Vietnamese administrative procedures: deadlines, fees, postal channel, records and KPIs."""


for _name, _module in COMMANDS.items():
    group.add_command(importlib.import_module(f"tthc.cli.{_module}").command, _name)


def _wants_json(args: list[str]) -> bool:
    # read before click parses, so that even a usage error is answered in JSON; "--" ends the options
    head = args[: args.index("--")] if "--" in args else args
    return "--json" in head


def app(argv: list[str] | None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``) and return the exit code; never raises."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(args)
    try:
        result = group.main(args=args, prog_name="tthc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:  # Ctrl-C or end of input: the outputs were written atomically, nothing is half done
        echo_error(None, as_json=as_json, kind="interrupted", message="interrupted; no output was written")
        return EXIT_USAGE
    except click.ClickException as exc:  # usage: a missing or malformed option (click's exit 1 is ours to map to 2)
        echo_error(exc, as_json=as_json, kind="usage")
        return EXIT_USAGE
    except TthcError as exc:
        echo_error(exc, as_json=as_json, kind="input")
        return EXIT_USAGE
    except BrokenPipeError:  # `tthc ... | head`: the reader left; say nothing more and exit quietly
        _silence_stdout()
        return EXIT_USAGE
    except Exception as exc:  # a bug: still one line and exit 2, never a traceback and never 1 ("findings")
        echo_error(exc, as_json=as_json, kind="internal")
        return EXIT_USAGE
    return int(result) if isinstance(result, int) else 0


def _silence_stdout() -> None:
    # Python flushes stdout again at exit and would print a second BrokenPipeError; point it at devnull instead
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's buffer)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
