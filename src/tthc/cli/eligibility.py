"""`tthc eligibility` — may a procedure be done through the public postal service (QĐ 45/2016/QĐ-TTg)?"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, ISO_DATE, echo_json, terminal_text


@click.command()
@click.argument("code")
@click.option("--service", default="both", show_default=True, help="send | return | both (QĐ 45/2016 Điều 5).")
@click.option("--on", "on_", type=ISO_DATE, default=None, help="The date judged (YYYY-MM-DD; default today).")
@click.option("--agency", default=None, help="Handling agency (000.00.00.H21) or province (H21).")
@click.option("--catalog", "catalog_path", type=click.Path(path_type=Path), default=None, help="Catalog file.")
@click.option("--lists", "lists_path", type=click.Path(path_type=Path), default=None, help="Agency lists file.")
@click.option("--example-lists", is_flag=True, help="Apply the bundled EXAMPLE agency lists (for demonstration).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(
    code: str,
    service: str,
    on_: datetime | None,
    agency: str | None,
    catalog_path: Path | None,
    lists_path: Path | None,
    example_lists: bool,
    as_json: bool,
) -> int:
    """Check whether procedure CODE may be done by post. Exit 0 eligible, 1 not eligible or unknown, 2 usage error."""
    from tthc.catalog.collection import Catalog
    from tthc.postal.eligibility import AgencyLists, check_postal_eligibility

    # errors (a code not in the catalog, a bad option value) go to the CLI's one error contract in _app
    day = on_.date() if on_ is not None else None
    catalog = Catalog.load(catalog_path) if catalog_path else Catalog.sample()
    procedure = catalog[code]
    if lists_path is not None:
        lists: AgencyLists | None = AgencyLists.load(lists_path)
    elif example_lists:
        lists = AgencyLists.bundled(include_examples=True)
    else:
        lists = None
    verdict = check_postal_eligibility(procedure, service, on=day, agency=agency, agency_lists=lists)
    if as_json:
        echo_json(verdict)
    else:
        click.echo(terminal_text(verdict.explain(), keep_newlines=True))
    return EXIT_OK if verdict.eligible is True else EXIT_FINDINGS
