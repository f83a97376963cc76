"""`tthc audit` — catalog audits: fees without online payment, upgrade candidates, BCCI lists vs channels."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, data_text, echo_json
from tthc.cli._records import load_catalog


@click.command()
@click.argument("catalog_path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--agency-lists",
    "lists_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Published BCCI lists (format of tthc/data/postal_agency_lists.json). Default: the bundled ones.",
)
@click.option("--include-examples", is_flag=True, help="Also use the bundled EXAMPLE agency lists (not real lists).")
@click.option("--on", "on", help="Judge the agency lists on this date (YYYY-MM-DD; default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
def command(
    catalog_path: Path | None, lists_path: Path | None, include_examples: bool, on: str | None, as_json: bool
) -> int:
    """Audit a catalog (a tthc catalog file or a national-portal JSON Lines export; default the bundled sample):
    level 4 / full online procedures with a fee but no online payment; upgrade candidates (2 → 3, 3 → 4,
    partial → full) with their blockers; BCCI lists against the published postal channels. Exit 1 when there are
    findings (info-level notes alone exit 0).
    """
    from tthc.errors import InvalidValueError
    from tthc.kpi.audit import AUDIT_CODES, audit_catalog
    from tthc.postal.eligibility import AgencyLists

    catalog = load_catalog(catalog_path)
    lists = AgencyLists.load(lists_path) if lists_path else AgencyLists.bundled(include_examples=include_examples)
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise InvalidValueError("--on", "a date YYYY-MM-DD", on) from None
    findings = audit_catalog(catalog, agency_lists=lists, on=day)
    if as_json:
        echo_json([f.model_dump(mode="json") for f in findings])
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console(highlight=False, width=max(110, Console().width))
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        title = f"Catalog audit: {len(catalog)} procedures, {len(findings)} findings"
        table = Table(title=title, title_justify="left")
        for col in ("procedure", "code", "finding", "blockers", "source"):
            table.add_column(col, overflow="fold")
        for f in findings:
            style = "dim" if f.severity == "info" else ""
            table.add_row(  # catalog texts are data: shown as typed, never as markup or control sequences
                data_text(f.procedure, f.name),
                data_text(f.code, style=style),
                data_text(f.message),
                data_text(*f.blockers),
                data_text(AUDIT_CODES[f.code][1], *([f.list_reference] if f.list_reference else [])),
            )
        console.print(table)
        for code, n in sorted(counts.items()):
            console.print(data_text(f"{code}: {n} — {AUDIT_CODES[code][0]}"))
    return EXIT_FINDINGS if any(f.severity == "finding" for f in findings) else EXIT_OK
