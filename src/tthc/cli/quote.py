"""`tthc quote` — an itemised quote (fee, postage per leg, discounts, remittance) for a procedure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from tthc.cli._common import EXIT_OK, ISO_DATE, echo_json, terminal_text


@click.command()
@click.argument("code")
@click.option("--channel", required=True, help="direct | online | postal (or 1/2/3).")
@click.option("--on", "on_", type=ISO_DATE, default=None, help="The date of the quote (YYYY-MM-DD; default today).")
@click.option("--postal", default=None, help="Postal legs: send | return | both (postal channel default: send).")
@click.option("--route", default=None, help="Route zone, e.g. same_district, within_province, between_provinces.")
@click.option("--weight", "weight_g", type=int, default=None, help="Item weight in grams.")
@click.option("--online-level", default=None, help="Online level the dossier had: 1-4, full, partial.")
@click.option("--province", default=None, help="Province code (H21) for province-scoped discounts.")
@click.option("--beneficiary", default=None, help="TT 22/2017 beneficiary group id (postage reduction).")
@click.option("--fee-via-post", is_flag=True, help="The fee is paid through the post (adds the remittance charge).")
@click.option("--case", default=None, help="Which published channel row to use when there are several.")
@click.option("--catalog", "catalog_path", type=click.Path(path_type=Path), default=None, help="Catalog file.")
@click.option("--tariff", "tariff_path", type=click.Path(path_type=Path), default=None, help="Tariff file.")
@click.option("--discounts", "discounts_path", type=click.Path(path_type=Path), default=None, help="Discounts file.")
@click.option("--no-discounts", is_flag=True, help="Quote without temporary discounts.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(
    code: str,
    channel: str,
    on_: datetime | None,
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
    """Quote what filing procedure CODE costs: fee, postage per leg, discounts and remittance, with sources.

    Example: tthc quote 1.011432.000.00.00.H21 --channel online --postal return --on 2020-04-01
    """
    from tthc.catalog.collection import Catalog
    from tthc.fees.discounts import DiscountSet
    from tthc.fees.quotes import quote
    from tthc.fees.tariffs import Tariff

    # errors (a code not in the catalog, a bad option value) go to the CLI's one error contract in _app
    catalog = Catalog.load(catalog_path) if catalog_path else Catalog.sample()
    procedure = catalog[code]
    discounts = DiscountSet.none() if no_discounts else DiscountSet.load(discounts_path) if discounts_path else None
    result = quote(
        procedure,
        channel=channel,
        on=on_.date() if on_ else date.today(),
        postal=postal,
        weight_g=weight_g,
        route=route,
        beneficiary=beneficiary,
        online_level=online_level,
        province=province,
        case=case,
        fee_via_post=fee_via_post,
        tariff=Tariff.load(tariff_path) if tariff_path else None,
        discounts=discounts,
    )
    if as_json:
        data = result.model_dump(mode="json")
        data["total"] = {m.currency: str(m.amount) for m in result.totals}
        echo_json(data)
    else:
        click.echo(terminal_text(result.explain(), keep_newlines=True))
    return EXIT_OK
