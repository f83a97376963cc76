"""`tthc due` — the due date of a dossier and its trace, as printed on a receipt slip."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tthc.cli._common import (
    EXIT_OK,
    INSTANT,
    WordedCommand,
    cli_lang,
    echo_json,
    echo_with_legend,
    examples,
    terminal_text,
)
from tthc.errors import CalendarRangeError, InvalidValueError
from tthc.foundation.i18n import N_

if TYPE_CHECKING:
    from tthc.deadlines.processing_time import ProcessingTime


@click.command(
    "due",
    cls=WordedCommand,
    help=N_("Compute the due date (ngày hẹn trả) of a dossier and explain it."),
    epilog=examples(
        "tthc due --received '20/11/2026 16:30' --processing-time '5 ngày làm việc'",
        "tthc due --received 2026-11-23T09:00 --procedure 2.000720.000.00.00.H48 --channel online --json",
    ),
)
@click.option(
    "--received",
    "received",
    type=INSTANT,
    required=True,
    help=N_("Receipt instant, Vietnam time: '2026-11-20 16:30' or '20/11/2026 16:30' (a day alone: its 00:00)."),
)
@click.option(
    "--processing-time", "processing_time", help=N_("As published: '5 ngày làm việc', '8 Giờ', 'Trong ngày'.")
)
@click.option("--channel", default="direct", show_default=True, help=N_("direct | online | postal (or 1/2/3)."))
@click.option("--online-level", "online_level", help=N_("Online level for reductions: full | partial | 3 | 4."))
@click.option("--procedure", "procedure_code", help=N_("Procedure code; its published time for the channel is used."))
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("Catalog file for --procedure (default: the bundled sample)."))  # fmt: skip
@click.option("--reductions", "reductions_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("A reductions file to apply (see docs/deadlines.md)."))  # fmt: skip
@click.option("--example-reductions", is_flag=True, help=N_("Apply the bundled EXAMPLE reductions (not real figures)."))
@click.option(
    "--no-culture-day", is_flag=True, help=N_("Treat 24 Nov (Ngày Văn hóa Việt Nam, [open]) as a working day.")
)
@click.option("--json", "as_json", is_flag=True, help=N_("Machine-readable output."))
def command(
    received: datetime,
    processing_time: str | None,
    channel: str,
    online_level: str | None,
    procedure_code: str | None,
    catalog_path: Path | None,
    reductions_path: Path | None,
    example_reductions: bool,
    no_culture_day: bool,
    as_json: bool,
) -> int:
    from tthc.calendar.working_calendar import public_sector_calendar
    from tthc.deadlines._calendar_range import receipt_outside_calendar
    from tthc.deadlines.compute import compute_due
    from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
    from tthc.deadlines.reductions import Reduction, ReductionSet, load_reductions
    from tthc.foundation.channels import Channel, OnlineLevel

    ch = Channel.parse(channel)
    level = OnlineLevel.parse(online_level) if online_level else None
    procedure = None
    pt: ProcessingTime | None = ProcessingTime.parse(processing_time) if processing_time else None
    if procedure_code:
        from tthc.catalog.collection import Catalog

        cat = Catalog.load(catalog_path) if catalog_path else Catalog.sample()
        procedure = cat[procedure_code]
    elif pt is None:
        from tthc.foundation.i18n import gettext

        raise click.UsageError(
            gettext("give --processing-time or --procedure", cli_lang()), click.get_current_context()
        )
    if pt is not None and pt.unit is TimeUnit.UNKNOWN_UNIT:  # tthc never guesses a unit: say what to type
        from tthc.foundation.words import words

        raise InvalidValueError(
            "--processing-time",
            words(N_("a time with its unit, e.g. '{amount} ngày làm việc' or '{amount} ngày'"), amount=pt.amount),
            pt.text,
            detail=N_("a bare number does not say its unit, and tthc does not guess it"),
        )
    reductions: ReductionSet | tuple[Reduction, ...] = ()
    if reductions_path is not None:
        reductions = load_reductions(reductions_path)
    elif example_reductions:
        reductions = load_reductions()
    cal = public_sector_calendar(culture_day=not no_culture_day)
    # without --processing-time, compute_due takes the procedure's published time (and its online level)
    try:
        due = compute_due(
            received, pt, channel=ch, calendar=cal, reductions=reductions, procedure=procedure, online_level=level
        )
    except InvalidValueError as exc:
        if pt is None and exc.field == "processing_time" and exc.given is None:  # none published for the channel
            from tthc.foundation.words import words

            raise InvalidValueError(
                "--procedure",
                exc.expected_words,
                procedure_code,
                detail=words(N_("{detail}; pass --processing-time"), detail=exc.detail_words),
            ) from None
        raise
    except CalendarRangeError as exc:
        said = receipt_outside_calendar(exc, received, pt, procedure_code, cal.first, cal.last)
        if said is None:  # a time no receipt in the range can fit: named already
            raise
        # named as the user gave it: --received, with the processing time counted from it
        shown = received.isoformat(sep=" ", timespec="minutes")
        raise InvalidValueError("--received", said.expected_words, shown, detail=said.detail_words or "") from None
    if as_json:
        echo_json(
            {
                "due_at": due.due_at,
                "reason": due.reason,
                "received_at": due.received_at,
                "effective_received_at": due.effective_received_at,
                "counted_from": due.counted_from,
                "processing_time": str(due.processing_time),
                "effective_time": due.effective_time.text(cli_lang()),
                "projected": due.projected,
                "procedure": str(procedure.code) if procedure else None,
                "channel": ch.value,
                "steps": list(due.steps),
                "rules_applied": [
                    r.in_lang(cli_lang()).model_dump(mode="json", exclude_none=True) for r in due.rules_applied
                ],
            }
        )
        return EXIT_OK
    from tthc.foundation.i18n import format_instant, gettext

    lang = cli_lang()
    if due.due_at is None:
        # the English reason as the library gives it; in other languages the steps below word it
        click.echo(terminal_text(f"No due date: {due.reason}" if lang == "en" else gettext("No due date", lang)))
    else:
        when = format_instant(due.due_at, lang)
        head = gettext("Due: {when} (Asia/Ho_Chi_Minh)", lang).format(when=when)
        if due.projected:
            head += "  " + gettext("(PROJECTED — schedule not announced)", lang)
        click.echo(head)
    echo_with_legend("\n".join(f"  - {line}" for line in due.steps_in(lang)))
    return EXIT_OK
