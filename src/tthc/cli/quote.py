"""`tthc quote` — an itemised quote (fee, postage per leg, discounts, remittance) for a procedure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tthc.cli._common import DAY, EXIT_OK, WordedCommand, cli_lang, echo_json, echo_with_legend, examples
from tthc.foundation.i18n import N_


@click.command(
    "quote",
    cls=WordedCommand,
    help=N_("Quote what filing procedure CODE costs: fee, postage per leg, discounts and remittance, with sources."),
    epilog=examples(
        "tthc quote 1.011432.000.00.00.H21 --channel online --postal return --on 01/04/2020",
        "tthc quote 2.001417 --channel postal --postal both --route between_provinces --json",
    ),
)
@click.argument("code")
@click.option("--channel", required=True, help=N_("direct | online | postal (or 1/2/3)."))
@click.option(
    "--on", "on_", type=DAY, default=None, help=N_("The date of the quote: 2026-02-13 or 13/02/2026 (default today).")
)
@click.option("--postal", default=None, help=N_("Postal legs: send | return | both (postal channel default: send)."))
@click.option("--route", default=None, help=N_("Route zone, e.g. same_district, within_province, between_provinces."))
@click.option("--weight", "weight_g", type=int, default=None, help=N_("Item weight in grams."))
@click.option("--online-level", default=None, help=N_("Online level the dossier had: 1-4, full, partial."))
@click.option("--province", default=None, help=N_("Province code (H21) for province-scoped discounts."))
@click.option("--beneficiary", default=None, help=N_("TT 22/2017 beneficiary group id (postage reduction)."))
@click.option("--fee-via-post", is_flag=True, help=N_("The fee is paid through the post (adds the remittance charge)."))
@click.option("--case", default=None, help=N_("Which published channel row to use when there are several."))
@click.option("--catalog", "catalog_path", type=click.Path(path_type=Path), default=None, help=N_("Catalog file."))
@click.option("--tariff", "tariff_path", type=click.Path(path_type=Path), default=None, help=N_("Tariff file."))
@click.option(
    "--discounts", "discounts_path", type=click.Path(path_type=Path), default=None, help=N_("Discounts file.")
)
@click.option("--no-discounts", is_flag=True, help=N_("Quote without temporary discounts."))
@click.option("--json", "as_json", is_flag=True, help=N_("Machine-readable output."))
def command(
    code: str,
    channel: str,
    on_: date | None,
    postal: str | None,
    route: str | None,
    weight_g: int | None,
    online_level: str | None,
    province: str | None,
    beneficiary: str | None,
    fee_via_post: bool,
    case: str | None,
    catalog_path: Path | None,
    tariff_path: Path | None,
    discounts_path: Path | None,
    no_discounts: bool,
    as_json: bool,
) -> int:
    from tthc.catalog.collection import Catalog
    from tthc.fees.discounts import DiscountSet
    from tthc.fees.quotes import parse_province, quote
    from tthc.fees.tariffs import Tariff
    from tthc.foundation.today import vn_today

    # errors (a code not in the catalog, a bad option value) go to the CLI's one error contract in _app
    catalog = Catalog.load(catalog_path) if catalog_path else Catalog.sample()
    procedure = catalog[code]
    discounts = DiscountSet.none() if no_discounts else DiscountSet.load(discounts_path) if discounts_path else None
    result = quote(
        procedure,
        channel=channel,
        on=on_ or vn_today(),
        postal=postal,
        weight_g=weight_g,
        route=route,
        beneficiary=beneficiary,
        online_level=online_level,
        province=parse_province(province, "--province") if province is not None else None,
        case=case,
        fee_via_post=fee_via_post,
        tariff=Tariff.load(tariff_path) if tariff_path else None,
        discounts=discounts,
        lang=cli_lang(),
    )
    if as_json:
        data = result.model_dump(mode="json")
        data["total"] = {m.currency: str(m.amount) for m in result.totals}
        echo_json(data)
    else:
        echo_with_legend(result.explain(cli_lang()))
    return EXIT_OK
