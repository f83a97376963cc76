"""`tthc audit` — catalog audits: fees without online payment, upgrade candidates, BCCI lists vs channels."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tthc.cli._common import (
    DAY,
    EXIT_FINDINGS,
    EXIT_OK,
    WordedCommand,
    cli_lang,
    console,
    data_text,
    echo_json,
    examples,
    legend,
    print_table,
)
from tthc.cli._records import load_catalog
from tthc.foundation.i18n import N_


@click.command(
    "audit",
    cls=WordedCommand,
    help=N_(
        "Audit a catalog (a tthc catalog file or a national-portal JSON Lines export; default the bundled "
        "sample): level 4 / full online procedures with a fee but no online payment; upgrade candidates (2 → "
        "3, 3 → 4, partial → full) with their blockers; BCCI lists against the published postal channels. "
        "Exit 1 when there are findings (info-level notes alone exit 0)."
    ),
    epilog=examples("tthc audit", "tthc audit --include-examples --on 01/07/2025 --json"),
)
@click.argument("catalog_path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--agency-lists",
    "lists_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("Published BCCI lists (format of tthc/data/postal_agency_lists.json). Default: the bundled ones."),
)
@click.option(
    "--include-examples", is_flag=True, help=N_("Also use the bundled EXAMPLE agency lists (not real lists).")
)
@click.option(
    "--on", "on", type=DAY, help=N_("Judge the agency lists on this date: 2026-02-13 or 13/02/2026 (default today).")
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the findings as a JSON list."))
def command(
    catalog_path: Path | None, lists_path: Path | None, include_examples: bool, on: date | None, as_json: bool
) -> int:
    from tthc.kpi.audit import audit_catalog, audit_source, audit_title
    from tthc.postal.eligibility import AgencyLists

    lang = cli_lang()
    catalog = load_catalog(catalog_path)
    lists = AgencyLists.load(lists_path) if lists_path else AgencyLists.bundled(include_examples=include_examples)
    findings = audit_catalog(catalog, agency_lists=lists, on=on, lang=lang)
    if as_json:
        echo_json([f.model_dump(mode="json") for f in findings])
    else:
        from rich.table import Table

        from tthc.foundation.i18n import gettext

        out = console(min_width=110)
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        title = gettext("Catalog audit: {procedures} procedures, {findings} findings", lang).format(
            procedures=len(catalog), findings=len(findings)
        )
        table = Table(title=title, title_justify="left")
        for col in (N_("procedure"), N_("code"), N_("finding"), N_("blockers"), N_("source")):
            table.add_column(gettext(col, lang), overflow="fold")
        shown: list[str] = []
        for f in findings:
            # an info-level note says so in words, not only in a dim style (lost when piped)
            note = [gettext("(a note, not a finding)", lang)] if f.severity == "info" else []
            sources = [audit_source(f.code, lang), *([f.list_reference] if f.list_reference else [])]
            table.add_row(  # catalog texts are data: shown as typed, never as markup or control sequences
                data_text(f.procedure, f.name),
                data_text(f.code, *note, style="dim" if note else ""),
                data_text(f.message),
                data_text(*f.blockers),
                data_text(*sources),
            )
            shown += [f.message, *f.blockers, *sources]
        print_table(out, table)
        for code, n in sorted(counts.items()):
            out.print(data_text(f"{code}: {n} — {audit_title(code, lang)}"))
        marks = legend("\n".join(shown), lang)
        if marks is not None:
            out.print(data_text(marks))
    return EXIT_FINDINGS if any(f.severity == "finding" for f in findings) else EXIT_OK
