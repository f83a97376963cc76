"""Shared by ``tthc validate`` and ``tthc kpi``: input options, catalog loading, the streaming run with a progress
bar, the KPI outputs of a run and the terminal summary. Either command writes findings and KPIs from one read of the
input (``tthc validate --report F --kpi-html K``, ``tthc kpi --report F --html K``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click

from tthc.cli._common import check_encoding, cli_lang, console, data_text, legend, print_table, terminal_text
from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.i18n import N_, format_number, gettext
from tthc.foundation.output_files import refuse_overwriting_inputs

F = TypeVar("F", bound=Callable[..., Any])

PROGRESS_MIN_BYTES = 8 << 20
"""Show a progress bar from this input size on (a long run), never with ``--json``."""


MAX_LOCAL_WORKERS = 4 * (os.cpu_count() or 1)
"""``--workers`` above this would start processes the machine cannot run (each worker holds a chunk in memory);
a bigger cluster is an existing one, named with ``--scheduler``."""


def input_options(func: F) -> F:
    """The options every record-reading command takes."""
    opts = [
        click.argument("files", nargs=-1),
        click.option(
            "--table",
            callback=_remember,
            expose_value=False,
            help=N_("With a postgresql:// source: the table to read (rows in primary-key order; extra 'postgres')."),
        ),
        click.option(
            "--query",
            callback=_remember,
            expose_value=False,
            help=N_(
                "With a postgresql:// source: a read-only SELECT to read instead of a table (give it an ORDER BY)."
            ),
        ),
        click.option("--sample", is_flag=True, help=N_("Use the bundled sample dataset (sample_dossiers.csv).")),
        click.option(
            "--catalog",
            "catalog_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=N_(
                "A tthc catalog file (.json/.jsonl) or a national-portal export (JSON Lines, .gz ok). "
                "Default: the bundled sample catalog."
            ),
        ),
        click.option(
            "--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), help=N_("Default: from the suffix.")
        ),
        click.option(
            "--encoding",
            callback=check_encoding,
            help=N_("Text encoding (default: detected; UTF-8 with/without BOM, else cp1258)."),
        ),
        click.option(
            "--delimiter",
            callback=_check_delimiter,
            help=N_("CSV delimiter (default: detected among , ; TAB |). Use '\\t' for a tab."),
        ),
        click.option(
            "--mapping",
            "mapping_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=N_("Column mapping JSON like tthc/data/portal_columns.json (replaces the bundled one)."),
        ),
        click.option(
            "--alias", "aliases", multiple=True, metavar="NAME=COLUMN", help=N_("Map a header to a canonical column.")
        ),
        click.option(
            "--as-of",
            "as_of",
            help=N_("Judge open dossiers at this instant (Vietnam time): '2026-10-31 17:00' or '31/10/2026 17:00'."),
        ),
        click.option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help=N_("Run on this Dask cluster (extra 'distributed'); files must be readable by the workers."),
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1, max=MAX_LOCAL_WORKERS),
            help=N_(
                "Run on a local Dask cluster with N worker processes, at most 4 per CPU core (extra 'distributed')."
            ),
        ),
        click.option(
            "--jobs",
            type=click.IntRange(min=1, max=MAX_LOCAL_WORKERS),
            help=N_(
                "Read and check CSV and Parquet files in N processes on this machine (default: one per two cores "
                "available; 1: in this process). The results do not depend on it."
            ),
        ),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


@attrs.frozen
class DatabaseSource:
    """A ``postgresql://`` source given as FILES, opened (with the column mapping) when the run starts."""

    url: str
    table: str | None
    query: str | None

    def open(self, mapping: Any) -> Any:
        from tthc.records.database import open_database

        return open_database(self.url, table=self.table, query=self.query, mapping=mapping)


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Keep --table / --query for :func:`resolve_files` (they only mean something with a database source)."""
    if value is not None and param.name is not None:
        ctx.meta[f"tthc.{param.name}"] = value


def _check_delimiter(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> str | None:
    from tthc.records.chunks import check_delimiter

    delimiter = unescape_delimiter(value)
    if delimiter is None:
        return None
    try:
        return check_delimiter(delimiter)  # the readers' rule, worded for the option (with examples, as typed)
    except InvalidValueError:
        raise InvalidValueError(
            "--delimiter", N_("one ASCII character other than a quote or a line break, e.g. ';' or '\\t'"), value
        ) from None


def refuse_outputs_over_inputs(
    outputs: Mapping[str, Path | None], files: list[Path | DatabaseSource], data_files: Mapping[str, Path | None]
) -> None:
    """Refuse, before anything is opened, an output (``--report``, ``--html``, ``--out``) that is an input: a record
    file (after glob expansion) or a data file given to an option (``--catalog``, ``--mapping``, ...)."""
    inputs = [("FILES", f) for f in files if isinstance(f, Path)] + list(data_files.items())
    refuse_overwriting_inputs(outputs, inputs)


def resolve_files(names: tuple[str, ...], sample: bool) -> list[Path | DatabaseSource]:
    """The record sources: each argument is a file, a glob (quote it: ``'exports/*.csv'``; matches sorted) or a
    ``postgresql://`` URL read with ``--table`` or ``--query``. A file named again — twice, by an overlapping glob,
    through a symlink or a hard link — is read once, where it is first named (and the same database source once)."""
    from tthc.records.database import is_database_url
    from tthc.records.readers import distinct_files

    meta = click.get_current_context().meta
    table, query = meta.get("tthc.table"), meta.get("tthc.query")
    out: list[Path | DatabaseSource] = []
    if sample:
        from tthc.records.sample import sample_path

        out.append(sample_path())
    elif not names:
        raise click.UsageError(
            gettext("give one or more record files, or --sample for the bundled sample dataset", cli_lang())
        )
    databases = [n for n in names if is_database_url(n)]
    if (table is not None or query is not None) and not databases:
        raise click.UsageError(gettext("--table and --query go with a postgresql:// source", cli_lang()))
    if databases and (table is None) == (query is None):
        raise click.UsageError(
            gettext("a postgresql:// source needs --table NAME or --query 'SELECT ...' (one of them)", cli_lang())
        )
    for name in names:
        if is_database_url(name):
            out.append(DatabaseSource(name, table, query))
            continue
        f = Path(name)
        if f.is_file():
            out.append(f)
            continue
        if f.exists():
            raise click.BadParameter(gettext("{path} is not a file", cli_lang()).format(path=f), param_hint="FILES")
        import glob

        hits = sorted(Path(h) for h in glob.glob(str(f), recursive=True) if Path(h).is_file())
        if not hits:
            raise click.BadParameter(
                gettext("{path}: no such file, and no file matches it as a glob", cli_lang()).format(path=f),
                param_hint="FILES",
            )
        out.extend(hits)
    return distinct_files(dict.fromkeys(out))  # dict: an identical database source once too (attrs values hash)


def load_catalog(path: Path | None) -> Any:
    """A tthc catalog file, or a national-portal JSON Lines export imported on the fly; default the sample."""
    from tthc.catalog.collection import Catalog

    if path is None:
        return Catalog.sample()
    # told by what the file holds, not by its name (a catalog written as portal_catalog.jsonl is a catalog): a
    # portal export is refused by the catalog reader at its first line, then imported
    try:
        return Catalog.load(path)
    except DataFileError as exc:
        refused = exc
    from tthc.catalog.portal_files import read_portal_jsonl

    catalog, report = Catalog.from_portal(read_portal_jsonl(path), source=str(path))
    if len(catalog) == 0:
        # neither a catalog nor an export of any procedure (every row would be an unknown procedure): the catalog
        # reader's refusal says what is wrong with the file
        raise refused from None
    _note_left_out(path, len(report.failed), len(report))
    return catalog


def _note_left_out(path: Path, failed: int, records: int) -> None:
    """Say on stderr (stdout and the exit code are the command's) that records of an export were left out: the
    command's results are of a catalog without them, which the user must not take for the whole."""
    if not failed:
        return
    lang = cli_lang()
    note = gettext(_LEFT_OUT, lang).format(
        failed=format_number(failed, lang), records=format_number(records, lang), path=terminal_text(path)
    )
    text = f"tthc: {note}"
    try:  # a note never turns a run into an error: a terminal without Vietnamese letters, a closed stderr
        try:
            click.echo(text, err=True)
        except UnicodeEncodeError:
            click.echo(text.encode("ascii", "backslashreplace").decode("ascii"), err=True)
    except OSError:
        pass


_LEFT_OUT = N_(
    "note: {failed} of {records} records of {path} could not be imported and are left out (tthc import-portal "
    "{path} lists them and why)"
)


def column_mapping(mapping_path: Path | None, aliases: tuple[str, ...]) -> Any:
    from tthc.records.layout import ColumnMapping

    mapping = ColumnMapping.load(mapping_path) if mapping_path else ColumnMapping.default()
    extra: dict[str, str] = {}
    for item in aliases:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise InvalidValueError("--alias", N_("NAME=COLUMN, e.g. 'SoHoSo=dossier_code'"), item)
        extra[name.strip()] = column.strip()
    return mapping.with_aliases(extra) if extra else mapping


def parse_as_of(text: str | None) -> datetime | None:
    if text is None:
        return None
    from tthc.foundation.datetimes import parse_local_datetime  # the one rule of the readers and every date option

    return parse_local_datetime(text, "--as-of")


def unescape_delimiter(d: str | None) -> str | None:
    return "\t" if d in ("\\t", "tab", "TAB") else d


def run_validation(
    files: list[Path | DatabaseSource],
    catalog: Any,
    options: Any,
    *,
    fmt: str | None,
    encoding: str | None,
    delimiter: str | None,
    mapping: Any,
    report: Any = None,
    duplicates: bool = True,
    quiet: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    jobs: int | None = None,
) -> Any:
    """Stream the files through validation with a rich progress bar on long runs (stderr); on a Dask cluster when
    ``scheduler`` (an address) or ``workers`` (a local cluster of that many processes) is given, else in ``jobs``
    processes (default: one per two cores available)."""
    if scheduler is not None or workers is not None:
        if not all(isinstance(f, Path) for f in files):
            raise click.UsageError(
                gettext("a postgresql:// source is read on this machine: leave out --scheduler/--workers", cli_lang())
            )
        paths = [f for f in files if isinstance(f, Path)]
        return _run_on_dask(
            paths, catalog, options, fmt=fmt, encoding=encoding, delimiter=delimiter, mapping=mapping, report=report,
            duplicates=duplicates, scheduler=scheduler, workers=workers,
        )  # fmt: skip
    from tthc.validation.run import validate_files
    from tthc.validation.workers import default_jobs

    sources = [f.open(mapping) if isinstance(f, DatabaseSource) else f for f in files]
    total = sum(p.stat().st_size for p in files if isinstance(p, Path))
    kwargs: dict[str, Any] = {
        "report": report,
        "format": fmt,
        "mapping": mapping,
        "encoding": encoding,
        "delimiter": unescape_delimiter(delimiter),
        "duplicates": duplicates,
        "jobs": jobs or default_jobs(),
    }
    if quiet or total < PROGRESS_MIN_BYTES:
        return validate_files(sources, catalog, options, **kwargs)
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(gettext("checking", cli_lang()), style="bold"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("validate", total=total, rows=0)

        def progress(done: int, all_bytes: int, rows: int) -> None:
            bar.update(task, completed=done, rows=rows)

        return validate_files(sources, catalog, options, progress=progress, **kwargs)


def _run_on_dask(
    files: list[Path],
    catalog: Any,
    options: Any,
    *,
    fmt: str | None,
    encoding: str | None,
    delimiter: str | None,
    mapping: Any,
    report: Any,
    duplicates: bool,
    scheduler: str | None,
    workers: int | None,
) -> Any:
    if scheduler is not None and workers is not None:
        raise click.UsageError(
            gettext("give --scheduler (an existing cluster) or --workers (a local one), not both", cli_lang())
        )
    from contextlib import ExitStack

    from tthc.scale import dask as tthc_dask

    tthc_dask._require()
    kwargs: dict[str, Any] = {
        "report": report,
        "format": fmt,
        "mapping": mapping,
        "encoding": encoding,
        "delimiter": unescape_delimiter(delimiter),
        "duplicates": duplicates,
    }
    with ExitStack() as stack:
        if scheduler is not None:
            client = stack.enter_context(_connect(scheduler))
        else:
            client = stack.enter_context(tthc_dask.local_client(workers or 1))
        return tthc_dask.validate_files(files, catalog, options, client=client, **kwargs)


def _connect(scheduler: str) -> Any:
    """A client of the Dask scheduler at ``scheduler``; an unreachable or malformed address is one clear error."""
    from distributed import Client

    try:
        return Client(scheduler)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        from tthc.foundation.words import words

        # distributed retries until its connect timeout (distributed.comm.timeouts.connect, 30 s by default)
        raise InvalidValueError(
            "--scheduler",
            N_("the address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786"),
            scheduler,
            detail=words(
                N_("cannot connect: {error}; start one with 'dask scheduler', or use --workers N for a local cluster"),
                error=f"{type(exc).__name__}: {exc}",
            ),
        ) from None


def kpi_html(
    summary: Any,
    catalog: Any,
    kpi_options: Any,
    files: list[Path | DatabaseSource],
    *,
    catalog_path: Path | None = None,
    agency_names: Any = None,
    min_dossiers: int | None = None,
) -> str:
    """The HTML KPI report of a run (``tthc kpi --html``, ``tthc validate --kpi-html``): the indicators grouped as
    ``kpi_options`` says, the months, and the validation findings by code — all from the one read of the input —
    in the language of the run, agencies named from the catalog, ``agency_names`` and the bundled province list.
    The footer names the catalog file's version (``catalog_path``, else the bundled sample) beside the calendar's
    and the rules'."""
    from tthc.catalog.collection import SAMPLE_CATALOG
    from tthc.foundation.data_files import bundled_path
    from tthc.foundation.i18n import format_number, gettext
    from tthc.kpi.agency_names import AgencyNames
    from tthc.kpi.indicators import compute_kpis
    from tthc.kpi.labels import period_text
    from tthc.kpi.report_html import MIN_DOSSIERS, render_html, report_versions
    from tthc.records.database import display_url

    lang = cli_lang()
    indicators = compute_kpis(summary.kpi, catalog, kpi_options, lang=lang)
    by_month = compute_kpis(summary.kpi, catalog, attrs.evolve(kpi_options, by="month"), lang=lang)
    names = ", ".join(p.name if isinstance(p, Path) else display_url(p.url) for p in files)
    subtitle = gettext("{files}; period {period}; {rows} rows ({invalid} invalid)", lang).format(
        files=names,
        period=period_text(str(kpi_options.period), lang),
        rows=format_number(summary.rows, lang),
        invalid=format_number(summary.invalid_rows, lang),
    )
    return str(
        render_html(
            indicators,
            by_month,
            subtitle=subtitle,
            validation=summary.to_dict(lang),
            lang=lang,
            agency_names=AgencyNames.from_catalog(catalog) | (agency_names or AgencyNames()),
            rules=kpi_options.rules,
            min_dossiers=MIN_DOSSIERS if min_dossiers is None else min_dossiers,
            by=kpi_options.by,
            versions=report_versions(kpi_options.rules, catalog=catalog_path or bundled_path(SAMPLE_CATALOG)),
        )
    )


def kpi_json(indicators: Any) -> list[Any]:
    """The indicators as JSON values: one object per (group, indicator) (``tthc kpi --json``)."""
    import json

    return [json.loads(i.model_dump_json()) for i in indicators]


def print_validation_summary(summary: Any, *, title: str = "tthc validate") -> None:
    """A readable summary on stdout, in the run's language: rows, findings by code with an example, timeliness;
    then the legend of the marks in the sources shown."""
    from rich.table import Table

    from tthc.validation.rules import CHECKS, check_title

    lang = cli_lang()
    out = console(min_width=100)
    for f in summary.files:
        # every piece of data (file names, header names, cells in messages) is escaped: never markup, never ESC
        parts = [f.format]
        if f.encoding:
            template = N_("encoding {encoding} with BOM") if f.bom else N_("encoding {encoding}")
            parts.append(gettext(template, lang).format(encoding=f.encoding))
        if f.delimiter:
            parts.append(gettext("delimiter {delimiter}", lang).format(delimiter=repr(f.delimiter)))
        line = f"{f.file}: {', '.join(parts)}"
        if f.header and f.header.ignored:
            line += "; " + gettext("ignored columns: {columns}", lang).format(columns=", ".join(f.header.ignored))
        out.print(data_text(line, style="dim"))
    ok = summary.invalid_rows == 0
    counts = {
        "rows": summary.rows,
        "valid": summary.valid_rows,
        "invalid": summary.invalid_rows,
        "warnings": summary.warning_rows,
        "blank": summary.blank_lines,
    }
    template = (
        N_("{rows} rows: {valid} valid, {invalid} invalid ({warnings} with warnings only; {blank} blank lines skipped)")
        if summary.blank_lines
        else N_("{rows} rows: {valid} valid, {invalid} invalid ({warnings} with warnings only)")
    )
    numbers = {k: format_number(v, lang) for k, v in counts.items()}
    out.print(data_text(gettext(template, lang).format(**numbers), style=f"bold {'green' if ok else 'red'}"))
    shown: list[str] = []
    if summary.by_code:
        table = Table(title=gettext("Findings by code", lang), title_justify="left")
        for col in (N_("code"), N_("count"), N_("what"), N_("source"), N_("example")):
            table.add_column(gettext(col, lang), overflow="fold")
        for code, count in sorted(summary.by_code.items(), key=lambda kv: (not kv[0].startswith("E_"), kv[0])):
            check = CHECKS.get(code)
            ex = summary.examples.get(code, ())
            example = (
                gettext("row {row} ({field}): {message}", lang).format(
                    row=ex[0].row, field=ex[0].field, message=ex[0].message
                )
                if ex
                else ""
            )
            # E_ (error) and W_ (warning) say the severity in the code itself: the colour only repeats it
            style = "red" if code.startswith("E_") else "yellow"
            source = gettext(check.source, lang) if check and check.source else ""
            table.add_row(
                data_text(code, style=style),
                format_number(count, lang),
                data_text(check_title(code, lang) if check else ""),
                data_text(source),
                data_text(example[:300]),
            )
            shown.append(source)
        print_table(out, table)
    t = Table(title=gettext("Timeliness (per dossier)", lang), title_justify="left")
    t.add_column(gettext("reading", lang))
    names = tuple(_TIMELINESS_HEADINGS)
    for n in names:
        # English shows the codes of --json and the report, as typed; other languages the class in words
        t.add_column(n if lang == "en" else gettext(_TIMELINESS_HEADINGS[n], lang), justify="right")
    for label, tally in (
        (gettext("QĐ 766 (supplement paused)", lang), summary.timeliness_pause),
        (gettext("NĐ 61/2018 Điều 19.4 (restart)", lang), summary.timeliness_restart),
    ):
        t.add_row(label, *(format_number(tally.get(n, 0), lang) for n in names))
    print_table(out, t)
    marks = legend("\n".join(shown), lang)
    if marks is not None:
        out.print(data_text(marks))


_TIMELINESS_HEADINGS = {
    "early": N_("early"),
    "on_time": N_("on time"),
    "late": N_("late"),
    "open_within_time": N_("open, within time"),
    "open_overdue": N_("open, overdue"),
    "unknown": N_("unknown"),
}
"""The timeliness classes of the summary table (``tthc.validation.Timeliness.NAMES``) and their headings."""


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
