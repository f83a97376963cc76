"""Validate whole files, streaming: chunks through :func:`tthc.validation.validate_chunk`, findings straight to the
report file, counts and KPI partials summed — memory stays flat as the file grows (only the duplicate check keeps
16 bytes per row).

Every input row is accounted for: ``summary.rows == summary.valid_rows + summary.invalid_rows`` where invalid rows
include the rows that could not be read at all; each invalid row has at least one error-level finding in the
report (file, row, field, code, message).
"""

from __future__ import annotations

import csv
import json
import queue
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import KpiPartial
from tthc.records.chunks import DEFAULT_CHUNK_BYTES, FileFormat, RawChunk, RowProblem, StreamInfo
from tthc.records.columns import StrCol
from tthc.records.model import ColumnMapping
from tthc.records.readers import open_records
from tthc.validation.chunk import ChunkResult, validate_chunk
from tthc.validation.context import ValidationContext, ValidationOptions
from tthc.validation.rules import CHECKS, Timeliness

__all__ = ["FindingWriter", "ValidationSummary", "validate_files"]

REPORT_FIELDS = ("file", "row", "field", "code", "severity", "message", "value")
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

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary (no per-row data)."""
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
                    "title": CHECKS[code].title if code in CHECKS else "",
                    "source": CHECKS[code].source if code in CHECKS else "",
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


class FindingWriter:
    """Streams findings to a CSV (``.csv``), JSON Lines (``.jsonl``) or JSON array (``.json``) report."""

    def __init__(self, path: str | Path, fmt: Literal["csv", "json", "jsonl"] | None = None) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower().lstrip(".")
        self.fmt = fmt or (suffix if suffix in ("csv", "json", "jsonl") else "csv")
        self._fh: IO[str] = self.path.open("w", encoding="utf-8", newline="")
        self._count = 0
        self._csv = csv.writer(self._fh) if self.fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow(REPORT_FIELDS)
        elif self.fmt == "json":
            self._fh.write("[")

    def write(self, findings: Iterable[RowProblem]) -> None:
        for p in findings:
            if self._csv is not None:
                self._csv.writerow((p.file, p.row, p.field, p.code, _severity(p.code), p.message, p.value or ""))
            else:
                text = json.dumps(_finding_dict(p), ensure_ascii=False)
                if self.fmt == "json":
                    self._fh.write(("\n" if self._count == 0 else ",\n") + text)
                else:
                    self._fh.write(text + "\n")
            self._count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self._fh.write("\n]\n" if self._count else "]\n")
        self._fh.close()

    def __enter__(self) -> FindingWriter:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


class _Duplicates:
    """Dossier codes seen so far, as sorted 64-bit hashes with the first row of each (16 bytes per code)."""

    def __init__(self) -> None:
        self.hashes = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int64)
        self.files: list[str] = []
        self.file_of = np.zeros(0, dtype=np.int32)

    def check(self, file: str, codes: StrCol, rows: npt.NDArray[np.int64]) -> list[RowProblem]:
        present = np.flatnonzero(~codes.is_null())
        if not len(present):
            return []
        h = codes.hash64()[present]
        r = rows[present]
        if file not in self.files:
            self.files.append(file)
        fi = self.files.index(file)
        out: list[RowProblem] = []
        # against earlier chunks
        pos = np.searchsorted(self.hashes, h)
        pos_c = np.minimum(pos, max(len(self.hashes) - 1, 0))
        seen = (len(self.hashes) > 0) & (self.hashes[pos_c] == h) if len(self.hashes) else np.zeros(len(h), dtype=bool)
        # within this chunk: every occurrence after the first
        _, first_idx, back = np.unique(h, return_index=True, return_inverse=True)
        repeat = np.ones(len(h), dtype=bool)
        repeat[first_idx] = False
        first_row = r[first_idx][back.reshape(-1)]
        for j in np.flatnonzero(seen | repeat):
            if seen[j]:
                k = int(pos_c[j])
                where = f"row {self.rows[k]}" + (
                    f" of {self.files[self.file_of[k]]}" if self.files[self.file_of[k]] != file else ""
                )
            else:
                where = f"row {first_row[j]}"
            code = codes[present[j]]
            out.append(
                RowProblem(
                    file,
                    int(r[j]),
                    "dossier_code",
                    "E_DUPLICATE_DOSSIER",
                    f"dossier code {code} already on {where}",
                    str(code),
                )
            )
        new = ~seen & ~repeat
        if new.any():
            hh = np.concatenate([self.hashes, h[new]])
            rr = np.concatenate([self.rows, r[new]])
            ff = np.concatenate([self.file_of, np.full(int(new.sum()), fi, dtype=np.int32)])
            o = np.argsort(hh, kind="stable")
            self.hashes, self.rows, self.file_of = hh[o], rr[o], ff[o]
        return out


def validate_files(
    paths: Sequence[str | Path],
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
    workers: int | None = None,
) -> ValidationSummary:
    """Validate record files chunk by chunk; findings go to ``report`` as they are found.

    ``workers`` > 1 checks that many chunks at the same time in threads (results are still used in file order, so
    reports and summaries do not depend on it). The default, 1, is fastest on two cores: the CSV parser already
    runs in a background thread and the checks hold the GIL part of the time; try more on bigger machines.

    Raises:
        DataFileError: a file cannot be opened or its header lacks a required column (before any row is read).
    """
    ctx = ValidationContext.build(catalog, options)
    if workers is None:
        workers = 1
    streams = [
        open_records(p, format=format, mapping=mapping, encoding=encoding, delimiter=delimiter, chunk_bytes=chunk_bytes)
        for p in paths
    ]
    total_bytes = sum(s.info.size for s in streams)
    by_code: Counter[str] = Counter()
    examples: dict[str, list[RowProblem]] = {}
    t_pause: Counter[int] = Counter()
    t_restart: Counter[int] = Counter()
    parts: list[KpiPartial] = []
    rows = valid = invalid = warning_rows = blank = 0
    done_bytes = 0
    dup = _Duplicates() if duplicates else None
    for stream in streams:
        for chunk, result in _validated(_prefetch(stream), catalog, ctx, workers):
            findings = list(result.findings)
            if dup is not None:
                extra = dup.check(result.file, result.dossier_codes, result.rows)
                if extra:
                    findings.extend(extra)
                    findings.sort(key=lambda p: p.row)
            error_rows = {p.row for p in findings if p.code.startswith("E_")}
            warn_rows = {p.row for p in findings if p.code.startswith("W_")} - error_rows
            rows += result.n_rows
            invalid += len(error_rows)
            valid += result.n_rows - len(error_rows)
            warning_rows += len(warn_rows)
            blank += result.blank_lines
            for p in findings:
                by_code[p.code] += 1
                ex = examples.setdefault(p.code, [])
                if len(ex) < max_examples:
                    ex.append(p)
            if report is not None:
                report.write(findings)
            t_pause.update(_tally(result.timeliness_pause))
            t_restart.update(_tally(result.timeliness_restart))
            parts.append(result.kpi)  # type: ignore[arg-type]
            if len(parts) > 8:
                parts = [KpiPartial.sum(parts)]
            if on_chunk is not None:
                on_chunk(result)
            if progress is not None:
                chunk_bytes_done = getattr(chunk, "bytes_read", 0)
                progress(done_bytes + chunk_bytes_done, total_bytes, rows)
        done_bytes += stream.info.size
    return ValidationSummary(
        rows=rows,
        valid_rows=valid,
        invalid_rows=invalid,
        warning_rows=warning_rows,
        blank_lines=blank,
        by_code=dict(by_code),
        examples={k: tuple(v) for k, v in examples.items()},
        timeliness_pause={Timeliness.NAMES[k]: v for k, v in sorted(t_pause.items())},
        timeliness_restart={Timeliness.NAMES[k]: v for k, v in sorted(t_restart.items())},
        kpi=KpiPartial.sum(parts),
        files=tuple(s.info for s in streams),
    )


def _tally(codes: npt.NDArray[np.int8]) -> Counter[int]:
    counts = np.bincount(codes.astype(np.int64), minlength=6)
    return Counter({i: int(c) for i, c in enumerate(counts.tolist()) if c})


def _validated(
    chunks: Iterable[RawChunk], catalog: Catalog, ctx: ValidationContext, workers: int
) -> Iterator[tuple[RawChunk, ChunkResult]]:
    """(chunk, result) in order, with up to ``workers`` chunks being checked at once."""
    if workers <= 1:
        for chunk in chunks:
            yield chunk, validate_chunk(chunk, catalog, context=ctx)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tthc-validate") as pool:
        window: deque[tuple[RawChunk, Future[ChunkResult]]] = deque()
        for chunk in chunks:
            window.append((chunk, pool.submit(validate_chunk, chunk, catalog, context=ctx)))
            if len(window) >= workers:
                done_chunk, future = window.popleft()
                yield done_chunk, future.result()
        while window:
            done_chunk, future = window.popleft()
            yield done_chunk, future.result()


def _prefetch(chunks: Iterable[RawChunk], depth: int = 2) -> Iterator[RawChunk]:
    """Read the next chunk in a background thread while this one is checked (the CSV parser releases the GIL)."""
    q: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)

    def produce() -> None:
        try:
            for c in chunks:
                q.put(("chunk", c))
        except BaseException as exc:  # handed to the consumer, raised there
            q.put(("error", exc))
        else:
            q.put(("end", None))

    t = threading.Thread(target=produce, name="tthc-reader", daemon=True)
    t.start()
    while True:
        kind, item = q.get()
        if kind == "chunk":
            assert isinstance(item, RawChunk)
            yield item
        elif kind == "error":
            assert isinstance(item, BaseException)
            raise item
        else:
            break
    t.join()
