"""`tthc import-portal` — import national-portal exports, print coverage, optionally write the catalog."""

from __future__ import annotations

from pathlib import Path

import click

from tthc.catalog.collection import import_portal_files
from tthc.catalog.import_report import Coverage, ImportReport
from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, echo_json, terminal_text
from tthc.errors import OutputFileError
from tthc.foundation.output_files import refuse_overwriting_inputs

# the issue's conformance targets (issue 2, item 7); overridable on the command line
DEFAULT_MIN_TIME = 0.99
DEFAULT_MIN_FEE = 0.97


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the catalog (.json or .jsonl).")
@click.option("--top", default=20, show_default=True, help="How many unparsed texts to list.")
@click.option("--all", "show_all", is_flag=True, help="List every unparsed text.")
@click.option("--records", is_flag=True, help="With --json: include the per-record report.")
@click.option("--min-time", default=DEFAULT_MIN_TIME, show_default=True, help="Required share of explicit times.")
@click.option("--min-fee", default=DEFAULT_MIN_FEE, show_default=True, help="Required share of parsed fee texts.")
def command(
    files: tuple[Path, ...],
    as_json: bool,
    out: Path | None,
    top: int,
    show_all: bool,
    records: bool,
    min_time: float,
    min_fee: float,
) -> int:
    """Import portal export FILES (.jsonl or .jsonl.gz, both real shapes) and report coverage.

    Exit code 1 when a record failed or coverage is below --min-time / --min-fee.
    """
    refuse_overwriting_inputs({"--out": out}, [("FILES", f) for f in files])
    catalog, report = import_portal_files(files)
    cov = report.coverage
    unparsed = report.unparsed_texts(None if show_all else top)
    if out is not None:
        try:
            catalog.dump(out)  # atomic: an older catalog at --out survives a failed write
        except OutputFileError as exc:
            raise OutputFileError("--out", exc.expected, exc.given, detail=exc.detail) from None
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
        _print_text(files, cov, report, unparsed_limit=None if show_all else top, min_time=min_time, min_fee=min_fee)
        if out is not None:
            click.echo(f"catalog of {len(catalog)} procedures written to {terminal_text(out)}")
    return EXIT_FINDINGS if findings else EXIT_OK


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
) -> None:
    ts, fs = cov.time_status, cov.fee_status
    stated = cov.channel_rows - fs.get("not_stated", 0)
    lines = [
        f"{len(files)} file(s), {cov.records_in} records in",
        f"  imported          {cov.imported:>7}  (with unparsed texts: {cov.imported_with_issues})",
        f"  failed            {cov.failed:>7}",
        f"channel rows        {cov.channel_rows:>7}",
        f"  processing time explicit {_pct(cov.share_time_explicit):>8}  target {_pct(min_time)}"
        f"  (parsed {ts.get('parsed', 0)}, unknown unit {ts.get('unknown_unit', 0)},"
        f" unspecified {ts.get('unspecified', 0)}, not stated {ts.get('not_stated', 0)},"
        f" unparsed {ts.get('unparsed', 0)})",
        f"    without 'not stated'   {_pct(cov.share_time_parsed_or_unknown_unit):>8}",
        f"  fee texts parsed         {_pct(cov.share_fee_parsed):>8}  target {_pct(min_fee)}"
        f"  (of {stated} stated: amount {fs.get('parsed', 0)}, free {fs.get('free', 0)},"
        f" partial {fs.get('partial', 0)}, unparsed {fs.get('unparsed', 0)}; not stated {fs.get('not_stated', 0)})",
        "  units: " + ", ".join(f"{unit} {n}" for unit, n in cov.time_units.items()),
        "issues: " + ", ".join(f"{sev} {n}" for sev, n in cov.issues.items()) + "  (--json --records for each record)",
    ]
    for line in lines:
        click.echo(line)
    failed = report.failed
    if failed:
        click.echo(f"failed records ({len(failed)}):")
        for r in failed[: unparsed_limit or len(failed)]:
            why = "; ".join(i.reason for i in r.issues if i.severity == "error")
            click.echo(terminal_text(f"  {r.source or ''}:{r.row} code={r.code or '-'}: {why}"))
    texts = report.unparsed_texts(unparsed_limit)
    total = len(report.unparsed_texts(None))
    if texts:
        click.echo(f"unparsed texts ({len(texts)} of {total} distinct; --all for every one):")
        for u in texts:
            click.echo(terminal_text(f"  {u.count:>4}x {u.field:<16} {u.text[:70]!r}: {u.reason}"))
