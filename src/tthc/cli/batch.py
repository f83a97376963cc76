"""`tthc batch due|quote|eligibility` — JSON Lines on stdin, one JSON line per input line on stdout, in order.

Each input line is one request object, the same shape as the HTTP API's body (``POST /v1/due``, ``/v1/quote``,
``/v1/eligibility``). Each output line is ``{"line": n, ...result}`` or, for a line that cannot be answered,
``{"line": n, "error": {problem}}`` (RFC 9457 fields: ``field``, ``expected``, ``given``, ``detail``); a bad line
never stops the stream. Due dates go through the vectorised path ``--chunk`` lines at a time.

Exit code: 0 every line answered, 1 some line has an error, 2 a usage error.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

import click

from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, WordedCommand, cli_lang, examples
from tthc.foundation.i18n import N_

if TYPE_CHECKING:
    from pydantic import BaseModel

Kind = Literal["due", "quote", "eligibility"]
T = TypeVar("T")


@click.command(
    "batch",
    cls=WordedCommand,
    help=N_(
        "Answer KIND requests read as JSON Lines on stdin, one output line per input line: the bodies of the "
        'HTTP API\'s POST /v1/due, /v1/quote and /v1/eligibility; each answer is {"line": n, ...} or {"line": '
        'n, "error": ...}.'
    ),
    epilog=examples(
        """echo '{"received_at": "2026-11-20T16:30", "processing_time": "5 ngày làm việc"}' | tthc batch due""",
        "tthc batch quote < quotes.jsonl > answers.jsonl",
    ),
)
@click.argument("kind", type=click.Choice(["due", "quote", "eligibility"]))
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("Catalog file (default: the bundled sample)."))  # fmt: skip
@click.option("--schedule", "schedule_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("A public-sector schedule file replacing the bundled one."))  # fmt: skip
@click.option(
    "--no-culture-day", is_flag=True, help=N_("Treat 24 Nov (Ngày Văn hóa Việt Nam, [open]) as a working day.")
)
@click.option("--reductions", "reductions_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("A reductions file applied to every due date."))  # fmt: skip
@click.option("--example-reductions", is_flag=True, help=N_("Apply the bundled EXAMPLE reductions (not real figures)."))
@click.option("--chunk", type=click.IntRange(1, 1_000_000), default=1000, show_default=True,
              help=N_("Due-date lines computed together (and written together)."))  # fmt: skip
def command(
    kind: Kind,
    catalog_path: Path | None,
    schedule_path: Path | None,
    no_culture_day: bool,
    reductions_path: Path | None,
    example_reductions: bool,
    chunk: int,
) -> int:
    from tthc.server.config import ServerConfig, ServiceData

    data = ServiceData.load(
        ServerConfig(
            catalog=catalog_path,
            schedule=schedule_path,
            culture_day=not no_culture_day,
            reductions=reductions_path,
            example_reductions=example_reductions,
        )
    )
    # JSON Lines are UTF-8 whatever the terminal's encoding; undecodable input bytes become U+FFFD in that line only
    buffer = getattr(sys.stdin, "buffer", None)
    stdin = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace") if buffer is not None else sys.stdin
    failed = False
    for out in _answers(kind, data, _lines(stdin), chunk):
        failed = failed or "error" in out
        _write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_FINDINGS if failed else EXIT_OK


def _write(text: str) -> None:
    out = getattr(sys.stdout, "buffer", None)
    if out is not None:
        out.write(text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _lines(stream: IO[str]) -> Iterator[tuple[int, str]]:
    for n, line in enumerate(stream, 1):
        yield n, line.removeprefix("\ufeff") if n == 1 else line


def _answers(kind: Kind, data: Any, lines: Iterator[tuple[int, str]], chunk: int) -> Iterator[dict[str, object]]:
    if kind == "due":
        yield from _due_answers(data, lines, chunk)
        return
    from tthc.server import service

    model: type[BaseModel] = service.QuoteRequest if kind == "quote" else service.EligibilityRequest
    for n, text in lines:
        request, error = _parse(model.model_validate_json, text)
        yield {"line": n, **(_one(kind, data, request) if request is not None else error)}


def _due_answers(data: Any, lines: Iterator[tuple[int, str]], chunk: int) -> Iterator[dict[str, object]]:
    """Due dates ``chunk`` lines at a time through the HTTP batch's path (:mod:`tthc.server.due_batch`): each line
    parsed into a plain dict, the block computed in one vectorised pass."""
    from tthc.server.due_batch import DueItemFields, due_rows, parse_item

    block: list[tuple[int, dict[str, object] | None]] = []  # (line, its parse error or None: its item is in items)
    items: list[DueItemFields] = []

    def flush() -> Iterator[dict[str, object]]:
        rows = iter(due_rows(data, items, cli_lang()))
        for n, error in block:
            if error is not None:
                yield {"line": n, **error}
                continue
            row = next(rows)
            if isinstance(problem := row["error"], dict):
                yield {"line": n, "error": {k: v for k, v in problem.items() if v is not None}}
            else:
                yield {"line": n, "due_at": row["due_at"], "projected": row["projected"], "reason": row["reason"]}
        block.clear()
        items.clear()

    for n, text in lines:
        item, error = _parse(parse_item, text)
        if item is not None:
            items.append(item)
        block.append((n, None if item is not None else error))
        if len(block) >= chunk:
            yield from flush()
    yield from flush()


def _parse(validate: Callable[[str], T], text: str) -> tuple[T | None, dict[str, object]]:
    """``(value, {})`` for a line that parses, ``(None, {"error": problem})`` for one that does not."""
    from pydantic import ValidationError

    from tthc.foundation.i18n import gettext
    from tthc.server.problems import problem, problem_from_validation

    lang = cli_lang()  # the inline errors are worded in the run's language (--lang, TTHC_LANG, else Vietnamese)
    if not text.strip():
        detail = gettext(N_("(line): expected a JSON object, got an empty line"), lang)
        empty = problem(
            "invalid-request", N_("Invalid request"), 422, detail, lang, field="(line)",
            expected=gettext(N_("a JSON object"), lang), given="",
        )  # fmt: skip
        return None, {"error": empty.model_dump(mode="json", exclude_none=True)}
    try:
        return validate(text), {}
    except ValidationError as exc:
        return None, {"error": problem_from_validation(exc, lang=lang).model_dump(mode="json", exclude_none=True)}


def _one(kind: Kind, data: Any, request: BaseModel) -> dict[str, object]:
    from tthc.errors import TthcError
    from tthc.server import service
    from tthc.server.problems import problem_from_exception

    lang = cli_lang()
    try:
        if kind == "quote":
            assert isinstance(request, service.QuoteRequest)
            result: BaseModel = service.quote_one(data, request, lang)
        else:
            assert isinstance(request, service.EligibilityRequest)
            result = service.eligibility_one(data, request, lang)
    except TthcError as exc:
        return {"error": problem_from_exception(exc, lang=lang).model_dump(mode="json", exclude_none=True)}
    return result.model_dump(mode="json", exclude={"data_versions"})
