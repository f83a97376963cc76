"""`tthc quote` — placeholder until its issue lands (its module replaces this file)."""

from __future__ import annotations

import click


@click.command()
def command() -> int:
    """Not available yet."""
    click.echo("tthc quote: not available in this build", err=True)
    return 2
