"""`tthc validate` — bulk validation of dossier records (CSV, JSON Lines, Parquet), streaming."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, echo_json, terminal_text
from tthc.cli._records import (
    column_mapping,
    input_options,
    load_catalog,
    parse_as_of,
    print_validation_summary,
    refuse_outputs_over_inputs,
    resolve_files,
    run_validation,
)


@click.command()
@input_options
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every finding here: .csv, .json or .jsonl (file, row, field, code, severity, message, value). "
    "Written atomically; never one of the inputs. In CSV, a cell starting with = + - @ TAB or CR gets a leading ' "
    "(CSV injection).",
)
@click.option(
    "--due-check",
    type=click.Choice(["date", "instant", "off"]),
    default="date",
    show_default=True,
    help="Compare the recorded due date with the recomputed one by day, to the second, or not at all.",
)
@click.option(
    "--reductions",
    "reductions_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Priority reductions to apply when recomputing due dates (format: docs/deadlines.md).",
)
@click.option("--example-reductions", is_flag=True, help="Apply the bundled EXAMPLE reductions (not real figures).")
@click.option("--no-postal-eligibility", is_flag=True, help="Skip the QĐ 45/2016 postal eligibility check.")
@click.option(
    "--profile",
    help="Recompute due dates the way a portal counts (statutory | opencps | sync_hours; docs/dossiers.md), so its "
    "convention is told apart from a real mismatch.",
)
@click.option(
    "--no-duplicates", is_flag=True, help="Skip the duplicate dossier code check (it keeps 16 bytes per row)."
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (default: on errors only).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (no progress bar).")
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
    report_path: Path | None,
    due_check: str,
    reductions_path: Path | None,
    example_reductions: bool,
    no_postal_eligibility: bool,
    profile: str | None,
    no_duplicates: bool,
    strict: bool,
    as_json: bool,
) -> int:
    """Validate dossier records: schema, catalog codes, channels, date order, due dates recomputed, supplements and
    extensions, postal eligibility and tracking numbers; timeliness per dossier.

    Every row is accounted for: valid, or in the report with its row number, field, code and message. Exit code 0
    when no row has an error (warnings allowed unless --strict), 1 otherwise, 2 on a usage or input error (a header
    missing a required column, an unreadable file).
    """
    from tthc.deadlines.reductions import load_reductions
    from tthc.validation.context import ValidationOptions
    from tthc.validation.run import FindingWriter

    paths = resolve_files(files, sample)
    refuse_outputs_over_inputs(
        {"--report": report_path},
        paths,
        {"--catalog": catalog_path, "--mapping": mapping_path, "--reductions": reductions_path},
    )
    reductions = (
        load_reductions(reductions_path) if reductions_path else load_reductions() if example_reductions else ()
    )
    catalog = load_catalog(catalog_path)
    options = ValidationOptions(
        due_check=due_check,  # type: ignore[arg-type]
        as_of=parse_as_of(as_of),
        reductions=reductions,
        postal_eligibility=not no_postal_eligibility,
        profile=profile,
    )
    mapping = column_mapping(mapping_path, aliases)
    with ExitStack() as stack:
        # the report is written atomically: it appears complete when the run ends, and an error or Ctrl-C midway
        # leaves an older report at that path as it was (FindingWriter.__exit__ aborts on an exception)
        writer = stack.enter_context(FindingWriter(report_path, field="--report")) if report_path else None
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
        )
    if as_json:
        data = summary.to_dict()
        if report_path:
            data["report"] = str(report_path)
        echo_json(data)
    else:
        print_validation_summary(summary)
        if report_path:
            click.echo(f"report: {terminal_text(report_path)}")
    failing = summary.invalid_rows > 0 or (strict and summary.warning_rows > 0)
    return EXIT_FINDINGS if failing else EXIT_OK
