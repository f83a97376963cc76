"""`tthc validate` — bulk validation of dossier records (CSV, JSON Lines, Parquet), streaming."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, WordedCommand, cli_lang, echo_json, examples, terminal_text
from tthc.cli._records import (
    column_mapping,
    input_options,
    kpi_html,
    kpi_json,
    load_catalog,
    parse_as_of,
    print_validation_summary,
    refuse_outputs_over_inputs,
    resolve_files,
    run_validation,
)
from tthc.foundation.i18n import N_, gettext
from tthc.foundation.output_files import atomic_output

_WRITTEN = {"report": N_("report"), "kpi_html": N_("kpi html"), "kpi_json": N_("kpi json")}
"""The outputs named after a run (``report: findings.csv``): in English the option's name, as before."""


@click.command(
    "validate",
    cls=WordedCommand,
    help=N_(
        "Validate dossier records: schema, catalog codes, channels, date order, due dates recomputed, "
        "supplements and extensions, postal eligibility and tracking numbers; timeliness per dossier.\n\n"
        "Every row is accounted for: valid, or in the report with its row number, field, code and message. "
        "Exit code 0 when no row has an error (warnings allowed unless --strict), 1 otherwise, 2 on a usage "
        "or input error (a header missing a required column, an unreadable file). --kpi-html / --kpi-json "
        "write the KPIs from the same read (for other groupings, periods or thresholds: `tthc kpi --report`, "
        "which writes the findings as well); a failed KPI threshold does not change this command's exit code."
    ),
    epilog=examples(
        "tthc validate --sample",
        "tthc validate dossiers.csv --report findings.csv --as-of '31/12/2025 17:00'",
    ),
)
@input_options
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_(
        "Write every finding here, in the format the suffix names: .csv, .json, .jsonl or .parquet (no suffix: CSV; "
        "another suffix is refused); columns file, row, field, code, severity, message, value. Written "
        "atomically; never one of the inputs. In CSV, a cell starting with = + - @ TAB or CR gets a leading ' "
        "(CSV injection)."
    ),
)
@click.option(
    "--due-check",
    type=click.Choice(["date", "instant", "off"]),
    default="date",
    show_default=True,
    help=N_("Compare the recorded due date with the recomputed one by day, to the second, or not at all."),
)
@click.option(
    "--reductions",
    "reductions_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("Priority reductions to apply when recomputing due dates (format: docs/deadlines.md)."),
)
@click.option("--example-reductions", is_flag=True, help=N_("Apply the bundled EXAMPLE reductions (not real figures)."))
@click.option("--no-postal-eligibility", is_flag=True, help=N_("Skip the QĐ 45/2016 postal eligibility check."))
@click.option(
    "--profile",
    help=N_(
        "Recompute due dates the way a portal counts (statutory | opencps | sync_hours; docs/dossiers.md), so its "
        "convention is told apart from a real mismatch."
    ),
)
@click.option(
    "--no-duplicates",
    is_flag=True,
    help=N_(
        "Skip the duplicate dossier code check (its findings come last; past 12 MiB of codes, some 250,000 to"
        " 600,000, it spills to TMPDIR)."
    ),
)
@click.option(
    "--kpi-html",
    "kpi_html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Also write the HTML KPI report (`tthc kpi --html`, by agency) from the same read of the input."),
)
@click.option(
    "--kpi-json",
    "kpi_json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Also write the KPIs as JSON (`tthc kpi --json`, by agency) from the same read of the input."),
)
@click.option("--strict", is_flag=True, help=N_("Exit 1 on warnings too (default: on errors only)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the summary as JSON (no progress bar)."))
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
    report_path: Path | None,
    due_check: str,
    reductions_path: Path | None,
    example_reductions: bool,
    no_postal_eligibility: bool,
    profile: str | None,
    no_duplicates: bool,
    kpi_html_path: Path | None,
    kpi_json_path: Path | None,
    strict: bool,
    as_json: bool,
) -> int:
    from tthc.validation.context import ValidationOptions
    from tthc.validation.run import FindingWriter

    paths = resolve_files(files, sample)
    outputs = {"--report": report_path, "--kpi-html": kpi_html_path, "--kpi-json": kpi_json_path}
    refuse_outputs_over_inputs(
        outputs,
        paths,
        {"--catalog": catalog_path, "--mapping": mapping_path, "--reductions": reductions_path},
    )
    reductions: Any = ()
    if reductions_path or example_reductions:
        from tthc.deadlines.reductions import load_reductions  # the reductions module only when there are some

        reductions = load_reductions(reductions_path) if reductions_path else load_reductions()
    catalog = load_catalog(catalog_path)
    options = ValidationOptions(
        due_check=due_check,  # type: ignore[arg-type]
        as_of=parse_as_of(as_of),
        reductions=reductions,
        postal_eligibility=not no_postal_eligibility,
        profile=profile,
        lang=cli_lang(),
    )
    mapping = column_mapping(mapping_path, aliases)
    with ExitStack() as stack:
        # the report is written atomically: it appears complete when the run ends, and an error or Ctrl-C midway
        # leaves an older report at that path as it was (FindingWriter.__exit__ aborts on an exception)
        writer = stack.enter_context(FindingWriter(report_path, field="--report")) if report_path else None
        # opened before the run too, so that a bad place fails at once; written only when the run ends well
        html_out = stack.enter_context(atomic_output(kpi_html_path, field="--kpi-html")) if kpi_html_path else None
        json_out = stack.enter_context(atomic_output(kpi_json_path, field="--kpi-json")) if kpi_json_path else None
        summary = run_validation(
            paths,
            catalog,
            options,
            fmt=fmt,
            encoding=encoding,
            delimiter=delimiter,
            mapping=mapping,
            report=writer,
            duplicates=not no_duplicates,
            quiet=as_json,
            scheduler=scheduler,
            workers=workers,
            jobs=jobs,
        )
        if html_out is not None or json_out is not None:
            from tthc.kpi.indicators import KpiOptions, compute_kpis

            kpi_options = KpiOptions()
            if html_out is not None:
                html_out.write(kpi_html(summary, catalog, kpi_options, paths, catalog_path=catalog_path))
            if json_out is not None:
                json.dump(kpi_json(compute_kpis(summary.kpi, catalog, kpi_options)), json_out, ensure_ascii=False)
                json_out.write("\n")
    written = {k.lstrip("-").replace("-", "_"): v for k, v in outputs.items() if v is not None}
    if as_json:
        data = summary.to_dict(cli_lang())  # the titles and sources of the checks in the run's language
        data.update({k: str(v) for k, v in written.items()})
        echo_json(data)
    else:
        print_validation_summary(summary)
        lang = cli_lang()
        for name, path in written.items():
            click.echo(f"{gettext(_WRITTEN[name], lang)}: {terminal_text(path)}")
    failing = summary.invalid_rows > 0 or (strict and summary.warning_rows > 0)
    return EXIT_FINDINGS if failing else EXIT_OK
