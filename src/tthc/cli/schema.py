"""`tthc schema` — print the JSON Schema of the catalog model."""

from __future__ import annotations

import click

from tthc.catalog.collection import catalog_json_schema
from tthc.cli._common import EXIT_OK, echo_json


@click.command()
@click.argument("which", type=click.Choice(["catalog", "procedure"]), default="catalog")
def command(which: str) -> int:
    """Print the JSON Schema of a catalog file (default) or of one procedure.

    A catalog file is what `tthc import-portal --out` and `Catalog.dump` write: {"about": ..., "procedures": [...]}.
    """
    echo_json(catalog_json_schema("procedure" if which == "procedure" else "catalog"))
    return EXIT_OK
