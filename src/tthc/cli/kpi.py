"""`tthc kpi` — the seed BCCI criteria and the QĐ 766 indicators per agency / procedure / month."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tthc.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    WordedCommand,
    cli_lang,
    console,
    data_text,
    echo_json,
    examples,
    print_table,
)
from tthc.cli._records import (
    column_mapping,
    input_options,
    kpi_html,
    kpi_json,
    load_catalog,
    parse_as_of,
    refuse_outputs_over_inputs,
    resolve_files,
    run_validation,
)
from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.output_files import atomic_output
from tthc.foundation.words import words
from tthc.kpi.defaults import MIN_DOSSIERS

if TYPE_CHECKING:
    from tthc.kpi.agency_names import AgencyNames
    from tthc.kpi.indicators import Indicator


def _thresholds(items: tuple[str, ...]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise InvalidValueError("--threshold", N_("ID=RATIO, e.g. bcci_received_share=0.2 (or ID=none)"), item)
        out[name.strip()] = _threshold_number(value)
    return out


def _threshold_number(value: str) -> float | None:
    """A ratio or a percentage read exactly: ``10.4%`` is ``Decimal("10.4") / 100``, rounded once to the float of
    ``0.104`` (``float("10.4") / 100`` is one ulp above it, and a group at exactly 10.4 % would fail ``>=``)."""
    text = value.strip()
    percent = text.endswith("%")
    number_text = text.removesuffix("%").strip()
    if number_text.lower() in ("none", "null", ""):
        return None
    refused = InvalidValueError("--threshold", N_("a ratio 0-1 (or a percentage such as 20%)"), value)
    if not number_text.isascii():  # Decimal and float read full-width digits; figures are ASCII in tthc
        raise refused
    try:
        number = Decimal(number_text)
        return float(number / 100 if percent else number)
    except (InvalidOperation, ValueError):  # not a number, or a signalling NaN
        raise refused from None


def _bcci_lists(path: Path | None) -> dict[str, frozenset[str]]:
    """``{"000.00.12.H21": ["2.001417", ...], ...}``: the procedures each agency opened to BCCI."""
    if path is None:
        return {}
    from tthc.foundation.data_files import read_json_file

    raw = read_json_file(path)
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise DataFileError(
            words(N_("{path}: expected an object agency code -> list of procedure codes"), path=str(path))
        )
    return {str(k).strip().upper(): frozenset(str(c).strip().upper() for c in v) for k, v in raw.items()}


@click.command(
    "kpi",
    cls=WordedCommand,
    help=N_(
        "Compute the KPIs: the seed BCCI criteria (> 50 % / > 10 % / > 15 %, strict), the on-time rate in "
        "both readings (QĐ 766 pause, NĐ 61/2018 restart), the online share and the early / on-time / late "
        "counts; each with numerator, denominator, value (n/a for a zero denominator), threshold, verdict, "
        "rule and source.\n\n"
        "One read of the input gives the KPIs and, with --report, every validation finding. Exit code 1 when "
        "a threshold is failed or an input row is invalid, 0 otherwise."
    ),
    epilog=examples(
        "tthc kpi --sample --by month",
        "tthc kpi dossiers.csv --period 2024-Q2 --html kpi.html --report findings.csv",
    ),
)
@input_options
@click.option(
    "--by",
    type=click.Choice(["agency", "procedure", "month", "total"]),
    default="agency",
    show_default=True,
    help=N_("Group by: agency, procedure, month, or total (one row for everything)."),
)
@click.option("--period", help=N_("Months to keep: 2025, 2025-03, 2025-Q2, 2025-01..2025-06."))
@click.option("--threshold", "threshold_items", multiple=True, metavar="ID=RATIO", help=N_("Override a threshold."))
@click.option(
    "--thresholds",
    "thresholds_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("KPI rules JSON like tthc/data/kpi_rules.json."),
)
@click.option(
    "--opened",
    type=click.Choice(["catalog_postal_channel", "eligible"]),
    default="catalog_postal_channel",
    show_default=True,
    help=N_("Which procedures count as opened to BCCI."),
)
@click.option(
    "--bcci-lists",
    "bcci_lists_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_(
        "JSON {agency: [procedure codes]} — the lists agencies published (QĐ 45/2016 Điều 13); overrides --opened."
    ),
)
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write an HTML report."))
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_(
        "Also write every validation finding here (.csv, .json, .jsonl or .parquet), from the same read of the "
        "input: the report `tthc validate --report` writes with its default checks."
    ),
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Also write the KPI table as CSV (one row per group and indicator; UTF-8 with BOM)."),
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Also write the KPI table as an Excel workbook (needs the xlsx extra: pip install 'tthc[xlsx]')."),
)
@click.option(
    "--agency-names",
    "agency_names_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("Agency names: CSV with a code,name header, or JSON {code: name}; shown beside the codes."),
)
@click.option(
    "--min-dossiers",
    type=click.IntRange(min=0),
    default=MIN_DOSSIERS,  # the library's constant (tthc.kpi.MIN_DOSSIERS), shown as the default
    show_default=True,
    help=N_("HTML report: months with fewer dossiers judged or received are greyed out in the monthly chart."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print a JSON list, one object per (group, indicator)."))
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
    jobs: int | None,
    by: str,
    period: str | None,
    threshold_items: tuple[str, ...],
    thresholds_path: Path | None,
    opened: str,
    bcci_lists_path: Path | None,
    html_path: Path | None,
    report_path: Path | None,
    csv_path: Path | None,
    xlsx_path: Path | None,
    agency_names_path: Path | None,
    min_dossiers: int | None,
    as_json: bool,
) -> int:
    from tthc.kpi.agency_names import AgencyNames
    from tthc.kpi.export import kpi_csv_text, kpi_xlsx_bytes, require_xlsx
    from tthc.kpi.indicators import KpiOptions, KpiRules, Period, compute_kpis
    from tthc.validation.context import ValidationOptions
    from tthc.validation.run import FindingWriter

    paths = resolve_files(files, sample)
    refuse_outputs_over_inputs(
        {"--html": html_path, "--report": report_path, "--csv": csv_path, "--xlsx": xlsx_path},
        paths,
        {
            "--catalog": catalog_path,
            "--mapping": mapping_path,
            "--thresholds": thresholds_path,
            "--bcci-lists": bcci_lists_path,
            "--agency-names": agency_names_path,
        },
    )
    if xlsx_path is not None:
        require_xlsx()  # before the run: a missing extra is told in a second, not after an hour
    extra_names = AgencyNames.load(agency_names_path) if agency_names_path is not None else AgencyNames()
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
        csv_out = (
            stack.enter_context(atomic_output(csv_path, encoding="utf-8-sig", newline="", field="--csv"))
            if csv_path is not None
            else None
        )
        xlsx_out = stack.enter_context(atomic_output(xlsx_path, "wb", field="--xlsx")) if xlsx_path else None
        writer = stack.enter_context(FindingWriter(report_path, field="--report")) if report_path else None
        summary = run_validation(
            paths,
            catalog,
            ValidationOptions(as_of=parse_as_of(as_of), lang=cli_lang()),
            fmt=fmt,
            encoding=encoding,
            delimiter=delimiter,
            mapping=column_mapping(mapping_path, aliases),
            report=writer,
            quiet=as_json,
            scheduler=scheduler,
            workers=workers,
            jobs=jobs,
        )
        lang = cli_lang()
        indicators = compute_kpis(summary.kpi, catalog, kpi_options, lang=lang)
        names = AgencyNames.from_catalog(catalog) | extra_names
        if html_out is not None:
            html_out.write(
                kpi_html(
                    summary,
                    catalog,
                    kpi_options,
                    paths,
                    catalog_path=catalog_path,
                    agency_names=extra_names,
                    min_dossiers=min_dossiers,
                )
            )
        if csv_out is not None:
            csv_out.write(kpi_csv_text(indicators, lang=lang, agency_names=names, rules=rules))
        if xlsx_out is not None:
            xlsx_out.write(kpi_xlsx_bytes(indicators, lang=lang, agency_names=names, rules=rules))
    if as_json:
        echo_json(kpi_json(indicators))
    else:
        written = {"HTML": html_path, "CSV": csv_path, "XLSX": xlsx_path}
        _print(indicators, summary, by, names, {k: v for k, v in written.items() if v is not None})
    failed = any(i.passed is False for i in indicators)
    return EXIT_FINDINGS if failed or summary.invalid_rows else EXIT_OK


_SHOWN = (
    "dossiers",
    "bcci_procedures_with_postal",
    "bcci_received_share",
    "bcci_returned_share",
    "on_time_rate",
    "on_time_rate_restart",
    "online_share",
    "late_count",
)


def _print(
    indicators: Sequence[Indicator], summary: object, by: str, names: AgencyNames, written: dict[str, Path]
) -> None:
    """The terminal table: one row per group; each judged figure carries ✓ or ✗ (colour only adds to the mark, so
    a piped or colourless table says the same), the headings show the thresholds as applied, data is escaped."""
    from rich.table import Table
    from rich.text import Text

    from tthc.foundation.i18n import format_number, gettext
    from tthc.kpi.labels import (
        GROUP_HEADINGS,
        format_ratio,
        format_threshold,
        group_text,
        indicator_short,
        verdict_mark,
    )

    lang = cli_lang()
    out = console(min_width=132)
    groups = sorted({i.group for i in indicators})
    by_key = {(i.group, i.indicator): i for i in indicators}
    named = names.for_rows(indicators, lang)  # each agency as of its records' days
    table = Table(title=gettext("KPIs", lang), title_justify="left")
    # a name as of the records' days can be long (a merged province: both names): it wraps, never cut
    table.add_column(Text(gettext(GROUP_HEADINGS.get(by, GROUP_HEADINGS["group"]), lang)), min_width=26, max_width=48)
    for name in _SHOWN:
        first = next((by_key[(g, name)] for g in groups if (g, name) in by_key), None)
        thr = format_threshold(first.comparison, first.threshold, lang) if first is not None else ""
        head = indicator_short(name, lang)
        table.add_column(Text(f"{head}\n{thr}" if thr else head), justify="right", min_width=10)
    for g in groups:
        cells: list[Text] = []
        for name in _SHOWN:
            ind = by_key.get((g, name))
            if ind is None:
                cells.append(Text(""))
                continue
            if ind.denominator is None:
                cells.append(Text(format_number(ind.numerator, lang)))
                continue
            text = format_ratio(ind.value, lang)
            if ind.passed is not None:
                text = f"{verdict_mark(ind.passed)} {text}"
            if ind.value is not None and name.startswith("bcci"):
                text += f"\n{format_number(ind.numerator, lang)}/{format_number(ind.denominator, lang)}"
            style = "" if ind.passed is None else ("green" if ind.passed else "red")
            cells.append(Text(text, style=style))
        # as the HTML report names them: an agency with its name, the total and the months in the run's language
        label = named[g].label if by == "agency" else group_text(g, lang)
        table.add_row(data_text(label), *cells)  # a group is an agency or procedure code from the data
    print_table(out, table)
    invalid = getattr(summary, "invalid_rows", 0)
    if invalid:
        line = gettext("{count} input rows are invalid; --report FILE lists their findings", lang)
        out.print(Text(line.format(count=format_number(invalid, lang)), style="yellow"))
    out.print(
        Text(
            gettext(
                "✓ passed, ✗ failed. BCCI criteria: strict >, over the procedures the catalog opens to the postal "
                "channel; on time: QĐ 766 (supplement paused; > 1 supplement = late) and NĐ 61/2018 Điều 19.4 "
                "(restart); n/a = denominator 0. --json for numerators, denominators, rules and sources.",
                lang,
            ),
            style="dim",
        )
    )
    for kind, path in written.items():
        out.print(data_text(gettext("{kind} report: {path}", lang).format(kind=kind, path=path)))
