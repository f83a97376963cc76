"""`tthc kpi` — the seed BCCI criteria and the QĐ 766 indicators per agency / procedure / month."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, data_text, echo_json
from tthc.cli._records import (
    column_mapping,
    input_options,
    load_catalog,
    parse_as_of,
    refuse_outputs_over_inputs,
    resolve_files,
    run_validation,
)
from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.output_files import atomic_output


def _thresholds(items: tuple[str, ...]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise InvalidValueError("--threshold", "ID=RATIO, e.g. bcci_received_share=0.2 (or ID=none)", item)
        text = value.strip().rstrip("%")
        try:
            number = None if text.lower() in ("none", "null", "") else float(text)
        except ValueError:
            raise InvalidValueError("--threshold", "a ratio 0-1 (or a percentage such as 20%)", value) from None
        if number is not None and value.strip().endswith("%"):
            number /= 100
        out[name.strip()] = number
    return out


def _bcci_lists(path: Path | None) -> dict[str, frozenset[str]]:
    """``{"000.00.12.H21": ["2.001417", ...], ...}``: the procedures each agency opened to BCCI."""
    if path is None:
        return {}
    from tthc.foundation.data_files import read_json_file

    raw = read_json_file(path)
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise DataFileError(f"{path}: expected an object agency code -> list of procedure codes")
    return {str(k).strip().upper(): frozenset(str(c).strip().upper() for c in v) for k, v in raw.items()}


@click.command()
@input_options
@click.option("--by", type=click.Choice(["agency", "procedure", "month", "total"]), default="agency", show_default=True)
@click.option("--period", help="Months to keep: 2025, 2025-03, 2025-Q2, 2025-01..2025-06.")
@click.option("--threshold", "threshold_items", multiple=True, metavar="ID=RATIO", help="Override a threshold.")
@click.option(
    "--thresholds",
    "thresholds_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="KPI rules JSON like tthc/data/kpi_rules.json.",
)
@click.option(
    "--opened",
    type=click.Choice(["catalog_postal_channel", "eligible"]),
    default="catalog_postal_channel",
    show_default=True,
    help="Which procedures count as opened to BCCI.",
)
@click.option(
    "--bcci-lists",
    "bcci_lists_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON {agency: [procedure codes]} — the lists agencies published (QĐ 45/2016 Điều 13); overrides --opened.",
)
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write an HTML report.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per (group, indicator).")
def command(
    files: tuple[str, ...],
    sample: bool,
    catalog_path: Path | None,
    fmt: str | None,
    encoding: str | None,
    delimiter: str | None,
    mapping_path: Path | None,
    aliases: tuple[str, ...],
    as_of: str | None,
    scheduler: str | None,
    workers: int | None,
    by: str,
    period: str | None,
    threshold_items: tuple[str, ...],
    thresholds_path: Path | None,
    opened: str,
    bcci_lists_path: Path | None,
    html_path: Path | None,
    as_json: bool,
) -> int:
    """Compute the KPIs: the seed BCCI criteria (> 50 % / > 10 % / > 15 %, strict), the on-time rate in both
    readings (QĐ 766 pause, NĐ 61/2018 restart), the online share and the early / on-time / late counts; each with
    numerator, denominator, value (n/a for a zero denominator), threshold, verdict, rule and source.

    Exit code 1 when a threshold is failed or an input row is invalid, 0 otherwise.
    """
    from tthc.kpi.indicators import KpiOptions, KpiRules, Period, compute_kpis
    from tthc.validation.context import ValidationOptions

    paths = resolve_files(files, sample)
    refuse_outputs_over_inputs(
        {"--html": html_path},
        paths,
        {
            "--catalog": catalog_path,
            "--mapping": mapping_path,
            "--thresholds": thresholds_path,
            "--bcci-lists": bcci_lists_path,
        },
    )
    catalog = load_catalog(catalog_path)
    rules = KpiRules.load(thresholds_path) if thresholds_path else KpiRules.default()
    if threshold_items:
        rules = rules.with_thresholds(_thresholds(threshold_items))
    kpi_options = KpiOptions(
        by=by,  # type: ignore[arg-type]
        period=Period.parse(period),
        rules=rules,
        opened_rule=opened,  # type: ignore[arg-type]
        bcci_lists=_bcci_lists(bcci_lists_path),
    )
    with ExitStack() as stack:
        # opened before the run, so that a missing folder or a read-only place fails in a second, not after an hour;
        # written atomically: an error midway leaves an older report as it was
        html_out = stack.enter_context(atomic_output(html_path, field="--html")) if html_path is not None else None
        summary = run_validation(
            paths,
            catalog,
            ValidationOptions(as_of=parse_as_of(as_of)),
            fmt=fmt,
            encoding=encoding,
            delimiter=delimiter,
            mapping=column_mapping(mapping_path, aliases),
            quiet=as_json,
            scheduler=scheduler,
            workers=workers,
        )
        indicators = compute_kpis(summary.kpi, catalog, kpi_options)
        if html_out is not None:
            import attrs

            from tthc.kpi.report_html import render_html
            from tthc.records.database import display_url

            by_month = compute_kpis(summary.kpi, catalog, attrs.evolve(kpi_options, by="month"))
            names = ", ".join(p.name if isinstance(p, Path) else display_url(p.url) for p in paths)
            html_out.write(
                render_html(
                    indicators,
                    by_month,
                    title=f"KPI report — by {by}",
                    subtitle=f"{names}; period {kpi_options.period}; {summary.rows:,} rows "
                    f"({summary.invalid_rows:,} invalid)",
                    validation=summary.to_dict(),
                )
            )
    if as_json:
        echo_json([json.loads(i.model_dump_json()) for i in indicators])
    else:
        _print(indicators, summary, html_path)
    failed = any(i.passed is False for i in indicators)
    return EXIT_FINDINGS if failed or summary.invalid_rows else EXIT_OK


def _print(indicators: Sequence[object], summary: object, html_path: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from tthc.kpi.indicators import Indicator

    console = Console(highlight=False, width=max(110, Console().width))
    rows = [i for i in indicators if isinstance(i, Indicator)]
    groups = sorted({i.group for i in rows})
    shown = (
        "dossiers",
        "bcci_procedures_with_postal",
        "bcci_received_share",
        "bcci_returned_share",
        "on_time_rate",
        "on_time_rate_restart",
        "online_share",
        "late_count",
    )
    heads = (
        "dossiers",
        "BCCI 1 >50%",
        "BCCI 2 >10%",
        "BCCI 3 >15%",
        "on time 766",
        "on time restart",
        "online",
        "late",
    )
    table = Table(title="KPIs", title_justify="left")
    table.add_column("group", no_wrap=True)
    for h in heads:
        table.add_column(h, justify="right")
    by = {(i.group, i.indicator): i for i in rows}
    for g in groups:
        cells = []
        for name in shown:
            ind = by.get((g, name))
            if ind is None:
                cells.append("")
                continue
            text = ind.display if ind.denominator is not None else f"{ind.numerator:,}"
            if ind.denominator is not None and ind.value is not None and name.startswith("bcci"):
                text = f"{text} ({ind.numerator}/{ind.denominator})"
            style = "" if ind.passed is None else ("green" if ind.passed else "red")
            cells.append(f"[{style}]{text}[/]" if style else text)
        table.add_row(data_text(g), *cells)  # a group is an agency or procedure code from the data
    console.print(table)
    invalid = getattr(summary, "invalid_rows", 0)
    if invalid:
        console.print(f"[yellow]{invalid:,} input rows are invalid; run `tthc validate` for the report[/]")
    console.print(
        "[dim]BCCI criteria: strict >, over the procedures the catalog opens to the postal channel; "
        "on time: QĐ 766 (supplement paused; > 1 supplement = late) and NĐ 61/2018 Điều 19.4 (restart); "
        "n/a = denominator 0. --json for numerators, denominators, rules and sources.[/dim]"
    )
    if html_path is not None:
        console.print(data_text(f"HTML report: {html_path}"))
