"""Validate whole files, streaming: chunks through :func:`tthc.validation.validate_chunk`, findings straight to the
report file, counts and KPI partials summed — memory stays flat as the file grows and whatever the share of bad
rows: reader chunks are checked in pieces sized to hold about :data:`~tthc.validation.chunk.FINDINGS_PER_PIECE`
findings, and only one piece's findings are held at a time (:class:`Tally` keeps counts and a few examples per code).
The duplicate dossier code check (:mod:`tthc.validation.duplicates`) holds a bounded number of codes and spills the
rest to a temporary file; its findings come last, once every code is in.

One read gives both the findings and the KPIs: ``summary.kpi`` is the summed :class:`~tthc.kpi.KpiPartial` of every
row, ready for :func:`tthc.kpi.compute_kpis`.

Every input row is accounted for: ``summary.rows == summary.valid_rows + summary.invalid_rows`` where invalid rows
include the rows that could not be read at all; each invalid row has at least one error-level finding in the
report (file, row, field, code, message).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, nullcontext
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError, MissingExtraError
from tthc.foundation import stops
from tthc.foundation.arguments import expect, expect_optional, expect_whole
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.output_files import atomic_output, output_format, refuse_overwriting_inputs, safe_csv_cell
from tthc.foundation.words import words
from tthc.kpi.indicators import KpiPartial
from tthc.records.chunks import (
    DEFAULT_CHUNK_BYTES,
    FileFormat,
    RecordStream,
    RowProblem,
    StreamInfo,
    check_chunk_bytes,
    check_delimiter,
)
from tthc.records.layout import ColumnMapping
from tthc.records.readers import distinct_files, open_records
from tthc.validation.chunk import ChunkResult, PieceSize
from tthc.validation.context import ValidationContext, ValidationOptions
from tthc.validation.duplicates import (
    ROW_ERROR,
    ROW_OK,
    ROW_WARNING,
    DuplicateCodes,
    row_status,
)
from tthc.validation.report_schema import FINDING_COLUMNS
from tthc.validation.rules import CHECKS, Timeliness
from tthc.validation.workers import Checker

__all__ = ["FindingWriter", "Tally", "ValidationSummary", "validate_files"]

I64 = npt.NDArray[np.int64]
REPORT_FIELDS = tuple(name for name, _, _ in FINDING_COLUMNS)
REPORT_BATCH = 8_192
"""Findings handed to the report writer at a time."""
Progress = Callable[[int, int, int], None]
"""progress(bytes_done, bytes_total, rows_done)."""


@attrs.frozen(slots=True)
class ValidationSummary:
    """What a validation run found, file by file and in total.

    Attributes:
        rows: data rows accounted for (read + unreadable); blank lines are not rows.
        valid_rows / invalid_rows: rows without / with an error-level finding (``rows == valid + invalid``).
        warning_rows: rows with warnings only.
        by_code: number of findings per code.
        examples: up to ``max_examples`` findings per code.
        timeliness_pause / timeliness_restart: rows per timeliness class (:attr:`Timeliness.NAMES`).
        kpi: the summed KPI partial (feed it to :func:`tthc.kpi.compute_kpis`).
        files: what the reader found out about each file (encoding, delimiter, header mapping).
    """

    rows: int
    valid_rows: int
    invalid_rows: int
    warning_rows: int
    blank_lines: int
    by_code: dict[str, int]
    examples: dict[str, tuple[RowProblem, ...]]
    timeliness_pause: dict[str, int]
    timeliness_restart: dict[str, int]
    kpi: KpiPartial
    files: tuple[StreamInfo, ...]

    @property
    def errors(self) -> int:
        return sum(v for k, v in self.by_code.items() if k.startswith("E_"))

    @property
    def warnings(self) -> int:
        return sum(v for k, v in self.by_code.items() if k.startswith("W_"))

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        """A JSON-ready summary (no per-row data).

        Args:
            lang: the language of each check's ``title`` and ``source`` (``vi`` or ``en``); None keeps them as
                :data:`~tthc.validation.rules.CHECKS` writes them (English). ``code`` is the same in every language.
        """
        if lang is not None:
            lang = resolve_lang(lang)

        def shown(text: str) -> str:
            return text if lang is None or not text else gettext(text, lang)

        return {
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "invalid_rows": self.invalid_rows,
            "warning_rows": self.warning_rows,
            "blank_lines": self.blank_lines,
            "errors": self.errors,
            "warnings": self.warnings,
            "by_code": [
                {
                    "code": code,
                    "severity": CHECKS[code].severity if code in CHECKS else "error",
                    "count": count,
                    "title": shown(CHECKS[code].title) if code in CHECKS else "",
                    "source": shown(CHECKS[code].source) if code in CHECKS else "",
                    "examples": [_finding_dict(p) for p in self.examples.get(code, ())],
                }
                for code, count in sorted(self.by_code.items())
            ],
            "timeliness": {"qd766_pause": self.timeliness_pause, "nd61_restart": self.timeliness_restart},
            "files": [
                {
                    "file": f.file,
                    "format": f.format,
                    "encoding": f.encoding,
                    "bom": f.bom,
                    "delimiter": f.delimiter,
                    "columns": dict(f.header.source_names) if f.header else None,
                    "ignored_columns": list(f.header.ignored) if f.header else [],
                }
                for f in self.files
            ],
        }


def _severity(code: str) -> str:
    return "warning" if code.startswith("W_") else "error"


def _finding_dict(p: RowProblem) -> dict[str, object]:
    return {
        "file": p.file,
        "row": p.row,
        "field": p.field,
        "code": p.code,
        "severity": _severity(p.code),
        "message": p.message,
        "value": p.value,
    }


REPORT_FORMATS: tuple[Literal["csv", "json", "jsonl", "parquet"], ...] = ("csv", "json", "jsonl", "parquet")
"""The formats of a findings report, named by the suffix of its file."""


class FindingWriter:
    """Streams findings to a CSV (``.csv``), JSON Lines (``.jsonl``), JSON array (``.json``) or Parquet
    (``.parquet``, extra ``data``) report, in the columns of :mod:`tthc.validation.report_schema` (``tthc schema
    findings``).

    The report is written atomically (:func:`tthc.foundation.output_files.atomic_output`): it appears at ``path``
    only when :meth:`close` is called after a complete run. :meth:`abort`, or leaving a ``with`` block on an
    exception, throws the partial report away and leaves an older file at ``path`` untouched. A run never writes it
    over one of its inputs: :func:`validate_files` (and the Dask one) refuse such a writer before reading anything
    (:meth:`refuse_inputs`).

    CSV cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, TAB, CR at the start) get a
    leading single quote (:func:`~tthc.foundation.output_files.safe_csv_cell`); JSON reports hold the values as read.

    Raises:
        OutputFileError: the report cannot be written (missing folder, permission denied, no space left), or
            ``fmt`` is not given and the name ends in none of the suffixes above; ``field`` names it in the message
            (``"--report"`` for the CLI).
        InvalidValueError: ``fmt`` is not one of :data:`REPORT_FORMATS`.
    """

    def __init__(
        self,
        path: str | Path,
        fmt: Literal["csv", "json", "jsonl", "parquet"] | None = None,
        *,
        field: str = "report",
    ) -> None:
        self.path = Path(path)
        self._field = field
        if fmt is None:  # by the name (none: CSV, e.g. /dev/stdout); another suffix is refused before any write
            self.fmt = output_format(self.path, REPORT_FORMATS, field=field, bare="csv")
        elif fmt in REPORT_FORMATS:
            self.fmt = fmt
        else:
            raise InvalidValueError("fmt", words(N_("one of {choices}"), choices=", ".join(REPORT_FORMATS)), fmt)
        self._output = ExitStack()
        self._closed = False
        self._count = 0
        self._parquet: Any = None
        if self.fmt == "parquet":
            self._parquet = _ParquetFindings(self._output.enter_context(atomic_output(self.path, "wb", field=field)))
            self._csv = None
            return
        self._fh: IO[str] = self._output.enter_context(atomic_output(self.path, "w", newline="", field=field))
        self._csv = csv.writer(self._fh) if self.fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow(REPORT_FIELDS)
        elif self.fmt == "json":
            self._fh.write("[")

    def write(self, findings: Iterable[RowProblem]) -> None:
        if self._parquet is not None:
            self._count += self._parquet.write(findings)
            return
        for p in findings:
            if self._csv is not None:
                cells = (p.file, p.row, p.field, p.code, _severity(p.code), p.message, p.value or "")
                self._csv.writerow([safe_csv_cell(c) for c in cells])
            else:
                text = json.dumps(_finding_dict(p), ensure_ascii=False)
                if self.fmt == "json":
                    self._fh.write(("\n" if self._count == 0 else ",\n") + text)
                else:
                    self._fh.write(text + "\n")
            self._count += 1

    def close(self) -> None:
        """Finish the report and move it into place (once; later calls do nothing)."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._parquet is not None:
                self._parquet.close()
            elif self.fmt == "json":
                self._fh.write("\n]\n" if self._count else "]\n")
        except BaseException as exc:
            self._output.__exit__(type(exc), exc, exc.__traceback__)
            raise
        self._output.close()

    def abort(self) -> None:
        """Throw the partial report away; an older file at ``path`` stays as it was."""
        if self._closed:
            return
        self._closed = True
        if self._parquet is not None:  # closed before its file: else its finaliser writes to the discarded file
            self._parquet.discard()
        stop = _ReportAborted()
        self._output.__exit__(_ReportAborted, stop, None)

    def refuse_inputs(self, inputs: Iterable[str | Path | RecordStream]) -> None:
        """Refuse to go on when ``path`` is one of the files a run reads — the same file, a symlink or a hard link to
        it, another spelling of it (:func:`~tthc.foundation.output_files.refuse_overwriting_inputs`): closing the
        report would replace that file. The run calls it before it reads anything; the report is then thrown away
        (:meth:`abort`), so a :meth:`close` that follows writes nothing. Streams count by their file.

        Raises:
            OutputFileError: naming the writer's ``field``, its path and the input it would replace.
        """
        named = [("paths", p.info.file if isinstance(p, RecordStream) else p) for p in inputs]
        try:
            refuse_overwriting_inputs({self._field: self.path}, named)
        except BaseException:
            self.abort()
            raise

    def __enter__(self) -> FindingWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()


class _ParquetFindings:
    """Findings as Parquet row groups, one per batch written (the columns of ``tthc schema findings``)."""

    def __init__(self, fh: IO[bytes]) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise MissingExtraError("data", "pyarrow") from None
        self._pa = pa
        types = {"string": pa.string(), "integer": pa.int64()}
        self._schema = pa.schema([pa.field(n, types[k], nullable=n == "value") for n, k, _ in FINDING_COLUMNS])
        self._writer = pq.ParquetWriter(fh, self._schema, compression="zstd")

    def write(self, findings: Iterable[RowProblem]) -> int:
        rows = list(findings)
        if rows:
            columns = [
                [p.file for p in rows],
                [p.row for p in rows],
                [p.field for p in rows],
                [p.code for p in rows],
                [_severity(p.code) for p in rows],
                [p.message for p in rows],
                [p.value for p in rows],
            ]
            self._writer.write_table(self._pa.Table.from_arrays(columns, schema=self._schema))
        return len(rows)

    def close(self) -> None:
        self._writer.close()

    def discard(self) -> None:
        """End the writer of a report being thrown away (its footer, if it can still be written, goes with it)."""
        with contextlib.suppress(Exception):
            self._writer.close()


class _ReportAborted(Exception):
    """Thrown into the atomic output to discard it (never escapes :meth:`FindingWriter.abort`)."""


class Tally:
    """The counts of a run, fed its findings in order (by file, then row; then the late ones, :meth:`add_late`):
    rows with an error, rows with only warnings, findings per code, the first ``max_examples`` findings of each code;
    the findings themselves go on to ``report`` and are not kept, so memory does not depend on how many there are.
    Shared by the single-machine run and the partition combiner (:class:`tthc.scale.partitions.Combiner`), so both
    count alike."""

    def __init__(self, report: FindingWriter | None = None, max_examples: int = 3) -> None:
        self.report = report
        self.max_examples = max_examples
        self.by_code: Counter[str] = Counter()
        self.examples: dict[str, list[RowProblem]] = {}
        self.pause: Counter[int] = Counter()
        self.restart: Counter[int] = Counter()
        self.parts: list[KpiPartial] = []
        self.rows = self.invalid = self.warning_rows = self.blank = 0
        self._row: tuple[str, int] | None = None
        self._error = self._warning = False

    def add_rows(self, n: int) -> None:
        """``n`` more rows accounted for (read or unreadable)."""
        self.rows += n

    def add_findings(self, findings: Iterable[RowProblem]) -> None:
        """The next findings of the run, sorted by row within a file (one row's findings may span calls)."""

        def rows_closed() -> Iterator[RowProblem]:
            for p in findings:
                key = (p.file, p.row)
                if key != self._row:
                    self._close_row()
                    self._row = key
                if p.code.startswith("E_"):
                    self._error = True
                elif p.code.startswith("W_"):
                    self._warning = True
                yield p

        self._record(rows_closed())

    def add_late(self, findings: Iterable[tuple[RowProblem, int]]) -> None:
        """Findings known only once every row has been read (duplicate dossier codes), after all the others: each
        with the status its row had from its own checks (:func:`~tthc.validation.duplicates.row_status`), sorted
        by file and row. An error turns a row that was valid, or had warnings only, invalid; a row that already had
        an error stays one invalid row."""
        self._close_row()

        def recounted() -> Iterator[RowProblem]:
            last: tuple[str, int] | None = None
            now = ROW_OK
            for p, had in findings:
                key = (p.file, p.row)
                if key != last:
                    last, now = key, had
                if p.code.startswith("E_") and now != ROW_ERROR:
                    self.invalid += 1
                    if now == ROW_WARNING:
                        self.warning_rows -= 1
                    now = ROW_ERROR
                elif p.code.startswith("W_") and now == ROW_OK:
                    self.warning_rows += 1
                    now = ROW_WARNING
                yield p

        self._record(recounted())

    def _record(self, findings: Iterable[RowProblem]) -> None:
        """Count each finding by code, keep the first examples of each, pass them on to the report in batches."""
        batch: list[RowProblem] = []
        for p in findings:
            self.by_code[p.code] += 1
            ex = self.examples.setdefault(p.code, [])
            if len(ex) < self.max_examples:
                ex.append(p)
            if self.report is not None:
                batch.append(p)
                if len(batch) >= REPORT_BATCH:
                    self.report.write(batch)
                    batch = []
        if batch and self.report is not None:
            self.report.write(batch)

    def add_unreadable(self, problem: RowProblem, rows: int) -> None:
        """A range of ``rows`` rows that could not be read at all, reported by one finding: all counted invalid."""
        self._close_row()
        self.rows += rows
        self.invalid += rows
        self._record((problem,))

    def add_counts(
        self, blank: int, pause: Iterable[tuple[int, int]], restart: Iterable[tuple[int, int]], kpi: KpiPartial
    ) -> None:
        """Blank lines, timeliness counts ``(code, rows)`` in both readings and a KPI partial."""
        self.blank += blank
        self.pause.update(dict(pause))
        self.restart.update(dict(restart))
        self.parts.append(kpi)
        if len(self.parts) > 8:
            self.parts = [KpiPartial.sum(self.parts)]

    def _close_row(self) -> None:
        if self._row is not None:
            if self._error:
                self.invalid += 1
            elif self._warning:
                self.warning_rows += 1
        self._row = None
        self._error = self._warning = False

    def summary(self, files: Sequence[StreamInfo]) -> ValidationSummary:
        self._close_row()
        return ValidationSummary(
            rows=self.rows,
            valid_rows=self.rows - self.invalid,
            invalid_rows=self.invalid,
            warning_rows=self.warning_rows,
            blank_lines=self.blank,
            by_code=dict(self.by_code),
            examples={k: tuple(v) for k, v in self.examples.items()},
            timeliness_pause={Timeliness.NAMES[k]: v for k, v in sorted(self.pause.items()) if v},
            timeliness_restart={Timeliness.NAMES[k]: v for k, v in sorted(self.restart.items()) if v},
            kpi=KpiPartial.sum(self.parts),
            files=tuple(files),
        )


def check_run_arguments(
    *,
    catalog: object,
    options: object,
    report: object,
    mapping: object,
    encoding: object,
    delimiter: object,
    chunk_bytes: object,
    duplicates: object,
    max_examples: object,
    progress: object,
) -> None:
    """The argument checks of a validation run, before any file is opened: a wrong type or value is one
    InvalidValueError naming the argument. Shared by :func:`validate_files` and the engines that run it elsewhere
    (:mod:`tthc.scale.dask`), so every path takes and refuses the same arguments."""
    expect(catalog, Catalog, "catalog", "a tthc.Catalog")
    expect_optional(options, ValidationOptions, "options", "ValidationOptions or None")
    expect_optional(report, FindingWriter, "report", "a FindingWriter or None")
    expect_optional(mapping, ColumnMapping, "mapping", "a ColumnMapping or None")
    expect_optional(encoding, str, "encoding", "a codec name or None")
    expect_optional(delimiter, str, "delimiter", "one character or None")
    if isinstance(delimiter, str):
        check_delimiter(delimiter)  # before any file is opened
    check_chunk_bytes(chunk_bytes)
    expect(duplicates, bool, "duplicates", "True or False")
    expect_whole(max_examples, "max_examples", 0)
    if progress is not None and not callable(progress):
        raise InvalidValueError("progress", N_("a callable or None"), progress)


def validate_files(
    paths: Sequence[str | Path | RecordStream],
    catalog: Catalog,
    options: ValidationOptions | None = None,
    *,
    report: FindingWriter | None = None,
    format: FileFormat | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    duplicates: bool = True,
    max_examples: int = 3,
    progress: Progress | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    jobs: int = 1,
) -> ValidationSummary:
    """Validate record files chunk by chunk; findings go to ``report`` as they are found.

    ``paths`` are record files, or streams already open (:func:`tthc.records.open_records`,
    :func:`tthc.records.database.open_database`, :func:`tthc.records.formats.open_arrow`) — every source is counted
    row by row the same way. A file named more than once — the same path twice, another spelling of it, a symlink or
    a hard link to it (the same device and inode) — is read once, where it is first named
    (:func:`tthc.records.readers.distinct_files`); two files with the same bytes are two files, and streams are read
    as given.

    Reader chunks are checked in pieces (:class:`~tthc.validation.chunk.PieceSize`: up to
    :data:`~tthc.validation.chunk.CHECK_ROWS` rows, fewer where rows are bad); ``on_chunk`` is called with the
    result of each piece. A bad value is a finding, never the end of the run: a date outside the calendar's range
    is ``E_RANGE`` on its row, a check that fails unexpectedly marks only the rows that trigger it
    (``E_CHECK_FAILED``).

    ``duplicates`` reports every dossier code already met on an earlier row (case-insensitive;
    :mod:`tthc.validation.duplicates`): those findings are known only once every row is read, so they come after all
    the other findings, in file and row order, and a row they make invalid is counted so in the summary.

    ``jobs`` > 1 reads and checks the stretches of a CSV or Parquet file (blocks of lines, row groups) in that many
    worker processes at once, where the platform can fork them (Linux) and the file has more than one stretch; the
    results are used in file order, so the report and the summary are the same whatever ``jobs`` is
    (:func:`~tthc.validation.workers.available_jobs`: the cores this process may use). The default, 1, checks in
    this process — a background thread reads ahead and two threads check pieces at once
    (:data:`~tthc.validation.workers.CHECK_THREADS`; one where the process may use one core only), their results
    used in input order: a library call inside a threaded server should not fork.

    Raises:
        DataFileError: a file cannot be opened or its header lacks a required column (before any row is read).
        InvalidValueError: an argument of the wrong type (named), such as one path given instead of a list, a
            ``delimiter`` that is not one ASCII character other than a quote or a line break, or a ``chunk_bytes``
            outside 1..:data:`~tthc.records.chunks.MAX_CHUNK_BYTES` (before any file is opened).
        OutputFileError: ``report`` would be written over one of ``paths`` (the same file, a symlink or a hard link
            to it, another spelling of it): refused before any file is read, and the report is thrown away
            (:meth:`FindingWriter.refuse_inputs`).
        WorkerLostError: ``jobs`` > 1 and a worker process ended before its work was done (killed, often for lack of
            memory, or crashed; the message says which): nothing more is written; fewer jobs need less memory.
    """
    if isinstance(paths, str | bytes | os.PathLike) or not isinstance(paths, Sequence):
        raise InvalidValueError("paths", N_("a list of record files or open streams (a list, even for one)"), paths)
    check_run_arguments(
        catalog=catalog, options=options, report=report, mapping=mapping, encoding=encoding, delimiter=delimiter,
        chunk_bytes=chunk_bytes, duplicates=duplicates, max_examples=max_examples, progress=progress,
    )  # fmt: skip
    expect_whole(jobs, "jobs", 1)
    if on_chunk is not None and not callable(on_chunk):
        raise InvalidValueError("on_chunk", N_("a callable or None"), on_chunk)
    if report is not None:
        report.refuse_inputs(paths)  # before anything is read: the report never replaces one of them
    ctx = ValidationContext.build(catalog, options)
    streams = [
        p
        if isinstance(p, RecordStream)
        else open_records(
            p, format=format, mapping=mapping, encoding=encoding, delimiter=delimiter, chunk_bytes=chunk_bytes
        )
        for p in distinct_files(paths)
    ]
    total_bytes = sum(s.info.size for s in streams)
    tally = Tally(report, max_examples)
    done_bytes = 0
    size = PieceSize()
    with (
        DuplicateCodes(lang=ctx.lang) if duplicates else nullcontext() as dup,
        Checker(catalog, ctx, jobs, size, duplicates) as checker,
    ):
        for stream in streams:
            if dup is not None:
                dup.start_file(stream.info.file)
            for chunk_bytes_done, result, hashes in checker.check(stream):
                stops.check()  # a stop whose exception Python swallowed (in a callback) ends the run here
                if dup is not None:
                    dup.add(result.rows, result.dossier_codes, row_status(result), hashes)
                tally.add_rows(result.n_rows)
                tally.add_findings(result.findings)
                tally.add_counts(
                    result.blank_lines,
                    _tally(result.timeliness_pause).items(),
                    _tally(result.timeliness_restart).items(),
                    result.kpi,  # type: ignore[arg-type]
                )
                if on_chunk is not None:
                    on_chunk(result)
                if progress is not None:
                    progress(done_bytes + chunk_bytes_done, total_bytes, tally.rows)
            done_bytes += stream.info.size
        if dup is not None:
            # known only now that every code is in: after all the other findings, in file and row order
            tally.add_late(dup.found())
    return tally.summary([s.info for s in streams])


def _tally(codes: npt.NDArray[np.int8]) -> Counter[int]:
    counts = np.bincount(codes.astype(np.int64), minlength=6)
    return Counter({i: int(c) for i, c in enumerate(counts.tolist()) if c})
