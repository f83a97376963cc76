"""`tthc schema` — print the schema of what tthc reads and writes: catalogs, dossier records, findings reports."""

from __future__ import annotations

import click

from tthc.cli._common import EXIT_OK, WordedCommand, cli_lang, echo_json, examples
from tthc.foundation.i18n import N_, gettext


@click.command(
    "schema",
    cls=WordedCommand,
    help=N_(
        "Print the JSON Schema (or Frictionless Table Schema) of a catalog file, one procedure, one dossier "
        "record (with the portal sync names each column also accepts) or one finding of a validation report."
    ),
    epilog=examples("tthc schema records --as table-schema > records.schema.json", "tthc schema findings"),
)
@click.argument("which", type=click.Choice(["catalog", "procedure", "records", "findings"]), default="catalog")
@click.option(
    "--as",
    "kind",
    type=click.Choice(["json-schema", "table-schema"]),
    default="json-schema",
    show_default=True,
    help=N_("JSON Schema (draft 2020-12), or a Frictionless Table Schema (records and findings: CSV/Parquet columns)."),
)
def command(which: str, kind: str) -> int:
    if which in ("catalog", "procedure"):
        if kind != "json-schema":
            raise click.UsageError(
                gettext("the {which} schema exists as --as json-schema only", cli_lang()).format(which=which)
            )
        from tthc.catalog.collection import catalog_json_schema

        echo_json(catalog_json_schema("procedure" if which == "procedure" else "catalog"))
    elif which == "records":
        from tthc.records.schema import records_json_schema, records_table_schema

        echo_json(records_table_schema() if kind == "table-schema" else records_json_schema())
    else:
        from tthc.validation.report_schema import findings_json_schema, findings_table_schema

        echo_json(findings_table_schema() if kind == "table-schema" else findings_json_schema())
    return EXIT_OK
