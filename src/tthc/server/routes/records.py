"""``/v1/records/validate`` (findings streamed as JSON Lines) and ``/v1/records/kpis`` over an uploaded record file.

The upload goes to a private temporary directory under a name the service chooses (``upload.<format>``; the
client's file name is only echoed back in findings, never used as a path), is validated there by
:func:`tthc.validation.run.validate_files` in a worker thread, and is deleted when the answer has been sent. Its
size and the time it may take to arrive are limited by the service's guard (``max_upload_bytes``,
``upload_timeout_s``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, BeforeValidator
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.error_words import renamed
from tthc.foundation.i18n import N_, Lang
from tthc.foundation.words import words
from tthc.kpi.indicators import Indicator, KpiOptions, Period, compute_kpis
from tthc.records.chunks import FileFormat
from tthc.server.config import DataVersions, ServiceData
from tthc.server.routes._common import CHECKED, ERRORS, LangQ, lang_of
from tthc.server.service import InstantIn
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

__all__ = ["JsonLinesResponse", "KpiResponse", "router"]

JSON_LINES = "application/x-ndjson"
_FORMATS: dict[str, FileFormat] = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "parquet": "parquet"}


class JsonLinesResponse(StreamingResponse):
    media_type = JSON_LINES


class KpiResponse(BaseModel):
    """The indicators (each with numerator, denominator, value, threshold, verdict, rule and source) and the counts of
    the validation that fed them."""

    indicators: list[Indicator]
    rows: int
    invalid_rows: int
    data_versions: DataVersions


def _format(fmt: str | None, filename: str | None) -> FileFormat:
    if fmt is not None:
        return _FORMATS[fmt]
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if suffix not in _FORMATS:
        raise InvalidValueError(
            "format", N_("csv, jsonl or parquet (or a file name ending in .csv, .jsonl, .parquet)"), filename or ""
        )
    return _FORMATS[suffix]


def _display_name(filename: str | None) -> str:
    # the client's name, echoed back only: its last path component, never opened
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:200] or "upload"


async def _save(file: UploadFile, fmt: FileFormat) -> tuple[Path, Path]:
    folder = Path(tempfile.mkdtemp(prefix="tthc-upload-"))
    path = folder / f"upload.{fmt}"
    try:
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, path


def _run(
    data: ServiceData, path: Path, fmt: FileFormat, name: str, options: ValidationOptions, report: Path | None
) -> ValidationSummary:
    writer = FindingWriter(report, "jsonl") if report is not None else None
    try:
        return validate_files([path], data.catalog, options, report=writer, format=fmt)
    except DataFileError as exc:  # name the upload, not the private path
        raise renamed(exc, str(path), name) from None
    finally:
        if writer is not None:
            writer.close()


def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` (JSON-shaped data) with ``old`` shown as ``new`` in every text it holds."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_renamed(v, old, new) for v in value]
    return value


DueCheck = Literal["date", "instant", "off"]


def _options(data: ServiceData, as_of: datetime | None, due_check: DueCheck, lang: Lang) -> ValidationOptions:
    return ValidationOptions(
        calendar=data.calendar,
        deadline_rules=data.rules,
        reductions=data.reductions,
        as_of=as_of,
        due_check=due_check,
        lang=lang,
    )


FormatQ = Annotated[
    Literal["csv", "jsonl", "ndjson", "parquet"] | None,
    Query(description="the file's format (default: from the file name's suffix)"),
]
AsOfQ = Annotated[InstantIn | None, Query(description="judge open dossiers at this instant (QĐ 766: period end)")]
_TEXT_FIELD = N_("a text field")


def _file_part(value: object) -> object:
    """A ``file`` part sent as a text field (``curl -F 'file=<x.csv'``, or a file part without a file name, which
    multipart parsers read as text) is refused in words, never with its content as the value given."""
    if isinstance(value, str):
        raise InvalidValueError("file", N_("a file upload (multipart part with a filename)"), words(_TEXT_FIELD))
    return value


UploadF = Annotated[
    UploadFile,
    BeforeValidator(_file_part),
    File(description="the record file (canonical or portal column names); exactly one `file` part"),
]


async def _one_file(request: Request) -> None:
    """Refuse a form with more than one ``file`` part: the route answers for one file, and taking one of them (the
    last, as a form field is read) would leave the others' rows unaccounted for."""
    count = len((await request.form()).getlist("file"))  # the form FastAPI read already (kept by the request)
    if count > 1:
        raise InvalidValueError("file", N_("one file"), count)


def router(data: ServiceData) -> APIRouter:
    api = APIRouter(prefix="/v1/records", tags=["records"], responses=ERRORS, dependencies=CHECKED)

    @api.post(
        "/validate",
        summary="Validate an uploaded record file; findings streamed as JSON Lines",
        response_class=JsonLinesResponse,
        responses={200: {"description": "JSON Lines", "content": {JSON_LINES: {"schema": {"type": "string"}}}}},
    )
    async def validate(
        request: Request,
        file: UploadF,
        format: FormatQ = None,
        as_of: AsOfQ = None,
        due_check: Annotated[
            Literal["date", "instant", "off"], Query(description="compare recorded due dates by day, instant or not")
        ] = "date",
        lang: LangQ = None,
    ) -> JsonLinesResponse:
        """Every row is accounted for: one line per finding ``{"type": "finding", "file", "row", "field", "code",
        "severity", "message", "value"}``, then one last line ``{"type": "summary", "summary": {...},
        "data_versions": {...}}`` with the counts (``rows == valid_rows + invalid_rows``). Messages are in ``lang``
        (vi or en)."""
        await _one_file(request)
        options = _options(data, as_of, due_check, lang_of(lang))
        fmt = _format(format, file.filename)
        name = _display_name(file.filename)
        folder, path = await _save(file, fmt)
        report = folder / "findings.jsonl"
        try:
            summary = await run_in_threadpool(_run, data, path, fmt, name, options, report)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        private = str(path)

        def lines() -> Iterator[bytes]:
            with report.open(encoding="utf-8") as fh:
                for line in fh:
                    finding = json.loads(line)
                    finding["file"] = name
                    yield (json.dumps({"type": "finding", **finding}, ensure_ascii=False) + "\n").encode()
            # the private path is renamed in the data (files, examples, any message naming it), never in the JSON
            # text: the client's name may hold a quote or a control character, which json.dumps escapes;
            # the checks' titles and sources in the answer's language
            totals = _renamed(summary.to_dict(options.lang), private, name)
            for f in totals.get("files", []):
                f["file"] = name
            tail = {"type": "summary", "summary": totals, "data_versions": data.versions.model_dump()}
            yield (json.dumps(tail, ensure_ascii=False, default=str) + "\n").encode()

        return JsonLinesResponse(lines(), background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    @api.post("/kpis", summary="KPIs over an uploaded record file")
    async def kpis(
        request: Request,
        file: UploadF,
        format: FormatQ = None,
        as_of: AsOfQ = None,
        by: Annotated[Literal["agency", "procedure", "month", "total"], Query(description="group by")] = "agency",
        period: Annotated[
            str | None, Query(max_length=40, description="2025, 2025-03, 2025-Q2, 2025-01..2025-06")
        ] = None,
        lang: LangQ = None,
    ) -> KpiResponse:
        """The seed BCCI criteria (strictly greater than the threshold), the on-time rate in both readings (QĐ 766
        pause, NĐ 61/2018 restart), the online share and the early / on-time / late counts, per group; their rules and
        sources in ``lang`` (vi or en)."""
        await _one_file(request)
        code = lang_of(lang)
        kpi_options = KpiOptions(by=by, period=Period.parse(period))
        options = _options(data, as_of, "date", code)  # a bad as_of is refused before the upload is saved
        fmt = _format(format, file.filename)
        name = _display_name(file.filename)
        folder, path = await _save(file, fmt)
        try:
            summary = await run_in_threadpool(_run, data, path, fmt, name, options, None)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        indicators = compute_kpis(summary.kpi, data.catalog, kpi_options, lang=code)
        return KpiResponse(
            indicators=indicators, rows=summary.rows, invalid_rows=summary.invalid_rows, data_versions=data.versions
        )

    return api
