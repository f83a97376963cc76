"""`tthc import-portal` — import national-portal exports, print coverage, optionally write the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, WordedCommand, cli_lang, echo_json, examples, terminal_text
from tthc.cli._records import MAX_LOCAL_WORKERS
from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_, Lang, gettext

if TYPE_CHECKING:
    from tthc.catalog.import_report import Coverage, ImportIssue, ImportReport

# the issue's conformance targets (issue 2, item 7); overridable on the command line
DEFAULT_MIN_TIME = 0.99
DEFAULT_MIN_FEE = 0.97


def _share(ctx: click.Context | None, param: click.Parameter | None, value: float) -> float:
    """A coverage target: a share 0-1. ``nan`` (no comparison with it ever fails, so the gate would never close),
    ``inf`` and shares outside 0-1 are refused, as ``tthc kpi --threshold`` refuses them."""
    if not 0 <= value <= 1:  # False for nan too
        name = f"--{param.name.replace('_', '-')}" if param is not None and param.name else "share"
        raise InvalidValueError(name, N_("a share between 0 and 1"), value)
    return value


@click.command(
    "import-portal",
    cls=WordedCommand,
    help=N_(
        "Import portal export FILES (.jsonl or .jsonl.gz, both real shapes) and report coverage.\n\n"
        "Exit code 1 when a record failed or coverage is below --min-time / --min-fee."
    ),
    epilog=examples(
        "tthc import-portal portal_national_2642.jsonl.gz --out catalog.json",
        "tthc import-portal portal_national_2642.jsonl.gz --json --top 5 > coverage.json",
    ),
)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=N_("Machine-readable output."))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Write the catalog (.json or .jsonl; gzip-compressed when the name ends in .gz)."),
)
@click.option("--top", default=20, show_default=True, help=N_("How many unparsed texts to list."))
@click.option("--all", "show_all", is_flag=True, help=N_("List every unparsed text."))
@click.option("--records", is_flag=True, help=N_("With --json: include the per-record report."))
@click.option(
    "--min-time",
    type=click.FLOAT,
    default=DEFAULT_MIN_TIME,
    show_default=True,
    callback=_share,
    help=N_("Required share of explicit times."),
)
@click.option(
    "--min-fee",
    type=click.FLOAT,
    default=DEFAULT_MIN_FEE,
    show_default=True,
    callback=_share,
    help=N_("Required share of parsed fee texts."),
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=MAX_LOCAL_WORKERS),
    help=N_(
        "Parse a large import in N processes on this machine (default: the cores available; 1: in this process). "
        "The results do not depend on it."
    ),
)
def command(
    files: tuple[Path, ...],
    as_json: bool,
    out: Path | None,
    top: int,
    show_all: bool,
    records: bool,
    min_time: float,
    min_fee: float,
    jobs: int | None,
) -> int:
    from tthc.catalog.collection import import_portal_files
    from tthc.catalog.portal_jobs import usable_jobs
    from tthc.errors import OutputFileError
    from tthc.foundation.output_files import refuse_overwriting_inputs

    refuse_overwriting_inputs({"--out": out}, [("FILES", f) for f in files])
    catalog, report = import_portal_files(files, jobs=jobs or usable_jobs())
    cov = report.coverage
    unparsed = report.unparsed_texts(None if show_all else top)
    if out is not None:
        try:
            catalog.dump(out)  # atomic: an older catalog at --out survives a failed write
        except OutputFileError as exc:
            raise OutputFileError("--out", exc.expected_words, exc.given, detail=exc.detail_words) from None
    findings = cov.failed > 0 or cov.share_time_explicit < min_time or cov.share_fee_parsed < min_fee
    if as_json:
        payload: dict[str, object] = {
            "files": [str(f) for f in files],
            "coverage": cov,
            "targets": {"min_time": min_time, "min_fee": min_fee, "met": not findings},
            "unparsed": list(unparsed),
            "failed": [r for r in report.records if r.status == "failed"],
            "out": str(out) if out else None,
        }
        if records:
            payload["records"] = list(report.records)
        echo_json(payload)
    else:
        lang = cli_lang()
        limit = None if show_all else top
        _print_text(files, cov, report, unparsed_limit=limit, min_time=min_time, min_fee=min_fee, lang=lang)
        if out is not None:
            written = gettext("catalog of {n} procedures written to {path}", lang)
            click.echo(written.format(n=len(catalog), path=terminal_text(out)))
    return EXIT_FINDINGS if findings else EXIT_OK


def _said(issue: ImportIssue, lang: Lang) -> str:
    """Why a record failed, with the export's field it failed on (a whole-record reason names none)."""
    reason = issue.reason_in(lang)
    return reason if issue.field == "record" else f"{issue.field}: {reason}"


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def _print_text(
    files: tuple[Path, ...],
    cov: Coverage,
    report: ImportReport,
    *,
    unparsed_limit: int | None,
    min_time: float,
    min_fee: float,
    lang: Lang,
) -> None:
    from tthc.catalog.import_report import severity_name
    from tthc.deadlines.processing_time import TimeUnit
    from tthc.foundation.words import word

    ts, fs = cov.time_status, cov.fee_status
    stated = cov.channel_rows - fs.get("not_stated", 0)
    lines = [
        gettext("{files} file(s), {records} records in", lang).format(files=len(files), records=cov.records_in),
        gettext("  imported          {imported}  (with unparsed texts: {with_issues})", lang).format(
            imported=f"{cov.imported:>7}", with_issues=cov.imported_with_issues
        ),
        gettext("  failed            {failed}", lang).format(failed=f"{cov.failed:>7}"),
        gettext("channel rows        {rows}", lang).format(rows=f"{cov.channel_rows:>7}"),
        gettext(
            "  processing time explicit {share}  target {target}  (parsed {parsed}, unknown unit {unknown_unit}, "
            "unspecified {unspecified}, not stated {not_stated}, unparsed {unparsed})",
            lang,
        ).format(
            share=f"{_pct(cov.share_time_explicit):>8}",
            target=_pct(min_time),
            parsed=ts.get("parsed", 0),
            unknown_unit=ts.get("unknown_unit", 0),
            unspecified=ts.get("unspecified", 0),
            not_stated=ts.get("not_stated", 0),
            unparsed=ts.get("unparsed", 0),
        ),
        gettext("    without 'not stated'   {share}", lang).format(
            share=f"{_pct(cov.share_time_parsed_or_unknown_unit):>8}"
        ),
        gettext(
            "  fee texts parsed         {share}  target {target}  (of {stated} stated: amount {parsed}, free {free}, "
            "partial {partial}, unparsed {unparsed}; not stated {not_stated})",
            lang,
        ).format(
            share=f"{_pct(cov.share_fee_parsed):>8}",
            target=_pct(min_fee),
            stated=stated,
            parsed=fs.get("parsed", 0),
            free=fs.get("free", 0),
            partial=fs.get("partial", 0),
            unparsed=fs.get("unparsed", 0),
            not_stated=fs.get("not_stated", 0),
        ),
        gettext("  units: {units}", lang).format(
            units=", ".join(f"{word(TimeUnit(u), lang)} {n}" for u, n in cov.time_units.items())
        ),
        gettext("issues: {issues}  (--json --records for each record)", lang).format(
            issues=", ".join(f"{severity_name(sev, lang)} {n}" for sev, n in cov.issues.items())
        ),
    ]
    for line in lines:
        click.echo(line)
    failed = report.failed
    if failed:
        click.echo(gettext("failed records ({n}):", lang).format(n=len(failed)))
        for r in failed[: unparsed_limit or len(failed)]:
            why = "; ".join(_said(i, lang) for i in r.issues if i.severity == "error")
            click.echo(terminal_text(f"  {r.source or ''}:{r.row} code={r.code or '-'}: {why}"))
    texts = report.unparsed_texts(unparsed_limit)
    total = len(report.unparsed_texts(None))
    if texts:
        head = gettext("unparsed texts ({shown} of {total} distinct; --all for every one):", lang)
        click.echo(head.format(shown=len(texts), total=total))
        for u in texts:
            click.echo(terminal_text(f"  {u.count:>4}x {u.field:<16} {u.text[:70]!r}: {u.reason_in(lang)}"))
