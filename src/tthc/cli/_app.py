"""The click application: one module per command, registered here."""

from __future__ import annotations

import importlib

import click

from tthc._version import __version__
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
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tthc")
def group() -> None:
    """tthc — Vietnamese administrative procedures: deadlines, fees, postal channel, records and KPIs."""


for _name, _module in COMMANDS.items():
    group.add_command(importlib.import_module(f"tthc.cli.{_module}").command, _name)


def app(argv: list[str] | None) -> int:
    try:
        result = group.main(args=argv, prog_name="tthc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except TthcError as exc:
        click.echo(f"tthc: {exc}", err=True)
        return 2
    return int(result) if isinstance(result, int) else 0
