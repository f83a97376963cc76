"""`tthc eligibility` — may a procedure be done through the public postal service (QĐ 45/2016/QĐ-TTg)?"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tthc.cli._common import DAY, EXIT_FINDINGS, EXIT_OK, WordedCommand, cli_lang, echo_json, echo_with_legend, examples
from tthc.foundation.i18n import N_

if TYPE_CHECKING:
    from tthc.postal.eligibility import EligibilityVerdict

_USE_LISTS = N_("no published agency list is bundled (only examples); use --lists FILE to apply one")
"""The library's hint names its keyword argument (``agency_lists=``); on the command line it is the option."""


@click.command(
    "eligibility",
    cls=WordedCommand,
    help=N_(
        "Check whether procedure CODE may be done by post. Exit 0 eligible, 1 not eligible or unknown, 2 usage error."
    ),
    epilog=examples(
        "tthc eligibility 1.011432.000.00.00.H21 --service return --on 15/04/2020",
        "tthc eligibility 2.001417 --agency H21 --example-lists --json",
    ),
)
@click.argument("code")
@click.option("--service", default="both", show_default=True, help=N_("send | return | both (QĐ 45/2016 Điều 5)."))
@click.option(
    "--on", "on_", type=DAY, default=None, help=N_("The date judged: 2026-02-13 or 13/02/2026 (default today).")
)
@click.option("--agency", default=None, help=N_("Handling agency (000.00.00.H21) or province (H21)."))
@click.option("--catalog", "catalog_path", type=click.Path(path_type=Path), default=None, help=N_("Catalog file."))
@click.option("--lists", "lists_path", type=click.Path(path_type=Path), default=None, help=N_("Agency lists file."))
@click.option("--example-lists", is_flag=True, help=N_("Apply the bundled EXAMPLE agency lists (for demonstration)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Machine-readable output."))
def command(
    code: str,
    service: str,
    on_: date | None,
    agency: str | None,
    catalog_path: Path | None,
    lists_path: Path | None,
    example_lists: bool,
    as_json: bool,
) -> int:
    from tthc.catalog.collection import Catalog
    from tthc.postal.eligibility import AgencyLists, check_postal_eligibility

    # errors (a code not in the catalog, a bad option value) go to the CLI's one error contract in _app
    catalog = Catalog.load(catalog_path) if catalog_path else Catalog.sample()
    procedure = catalog[code]
    if lists_path is not None:
        lists: AgencyLists | None = AgencyLists.load(lists_path)
    elif example_lists:
        lists = AgencyLists.bundled(include_examples=True)
    else:
        lists = None
    verdict = _said_for_the_command_line(
        check_postal_eligibility(procedure, service, on=on_, agency=agency, agency_lists=lists, lang=cli_lang())
    )
    if as_json:
        echo_json(verdict)
    else:
        echo_with_legend(verdict.explain(cli_lang()))
    return EXIT_OK if verdict.eligible is True else EXIT_FINDINGS


def _said_for_the_command_line(verdict: EligibilityVerdict) -> EligibilityVerdict:
    """The verdict with its hints worded for this command: the missing agency lists are applied with ``--lists``."""
    from tthc.foundation.words import words
    from tthc.postal.eligibility import EligibilityReason

    if not any(r.code == "no_agency_lists" for r in verdict.reasons):
        return verdict
    lang = cli_lang()
    reasons = tuple(
        EligibilityReason.worded(r.code, words(_USE_LISTS), r.severity, r._source() or r.reference, lang)
        if r.code == "no_agency_lists"
        else r
        for r in verdict.reasons
    )
    return verdict.model_copy(update={"reasons": reasons})
