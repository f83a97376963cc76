"""The CSV reader: blocks of lines parsed by pyarrow (extra ``data``) or the standard library; every line counted."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tthc.errors import DataFileError, InvalidValueError
from tthc.records.model import REQUIRED_COLUMNS, ColumnMapping, HeaderMap

if TYPE_CHECKING:
    import pyarrow as pa
from tthc.records.chunks import (
    _SNIFF_BYTES,
    DELIMITERS,
    RawChunk,
    RecordStream,
    RowProblem,
    StreamInfo,
    TextColumn,
    _blank_lines,
    _decode_block,
    _detect_encoding,
    _iter_blocks,
)
from tthc.records.columns import to_arrow

__all__ = ["open_csv"]


def _split_header(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _sniff_delimiter(header: str, mapping: ColumnMapping) -> str:
    best, best_known = ",", -1
    for d in DELIMITERS:
        known = sum(1 for name in _split_header(header, d) if mapping.canonical(name) is not None)
        if known > best_known:
            best, best_known = d, known
    return best


def open_csv(
    path: Path, mapping: ColumnMapping, encoding: str | None, delimiter: str | None, chunk_bytes: int, arrow: bool
) -> RecordStream:
    size = path.stat().st_size
    with path.open("rb") as fh:
        sample = fh.read(_SNIFF_BYTES)
    if not sample.strip():
        raise DataFileError(f"{path}: the file is empty (expected a header line naming the columns)")
    enc, bom = _detect_encoding(sample, encoding)
    first_nl = sample.find(b"\n")
    header_bytes = sample if first_nl < 0 else sample[:first_nl]
    if bom:
        header_bytes = header_bytes[len(codecs.BOM_UTF8) :]
    try:
        header_text = unicodedata.normalize("NFC", header_bytes.decode(enc)).rstrip("\r")
    except UnicodeDecodeError:
        raise DataFileError(
            f"{path}: header: expected text in {enc}, got undecodable bytes (pass --encoding)"
        ) from None
    delim = delimiter if delimiter is not None else _sniff_delimiter(header_text, mapping)
    if len(delim) != 1:
        raise InvalidValueError("delimiter", "a single character such as ',' ';' or a tab", delim)
    try:
        header = mapping.resolve(_split_header(header_text, delim), file=str(path))
    except DataFileError as exc:
        hint = ""
        for d in DELIMITERS:
            if d != delim and sum(1 for n in _split_header(header_text, d) if mapping.canonical(n)) >= len(
                REQUIRED_COLUMNS
            ):
                hint = f" — the header looks {d!r}-separated, not {delim!r}: pass --delimiter {d!r}"
                break
        raise DataFileError(f"{exc}{hint}") from None
    info = StreamInfo(str(path), "csv", size, enc, bom, delim, header)
    header_len = (first_nl + 1) if first_nl >= 0 else len(sample)
    return RecordStream(info, _csv_chunks(path, info, header_len, chunk_bytes, arrow))


def _csv_chunks(path: Path, info: StreamInfo, header_len: int, chunk_bytes: int, arrow: bool) -> Iterator[RawChunk]:
    assert info.header is not None
    assert info.encoding is not None
    assert info.delimiter is not None
    file = info.file
    next_row = 1
    consumed = header_len
    with path.open("rb") as fh:
        fh.seek(header_len)
        for block in _iter_blocks(fh, chunk_bytes):
            consumed += len(block)
            n_lines = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
            data, problems, undecodable = _decode_block(block, info.encoding, file, next_row)
            parse = _parse_block_arrow if arrow else _parse_block_python
            columns, line_idx, bad = parse(data, info.header, info.delimiter, n_lines)
            blank = _blank_lines(data, columns, line_idx, arrow) - undecodable
            for i, text in bad:
                if i not in undecodable and i not in blank:
                    width = info.header.width
                    problems.append(
                        RowProblem(
                            file,
                            next_row + i,
                            "(row)",
                            "E_SCHEMA",
                            f"expected {width} fields separated by {info.delimiter!r}, got "
                            f"{_count_fields(text, info.delimiter)} (a truncated or malformed line)",
                            text[:200],
                        )
                    )
            keep = np.ones(len(line_idx), dtype=bool)
            drop = undecodable | blank
            if drop:
                keep = ~np.isin(line_idx, np.fromiter(drop, dtype=np.int64))
            if not keep.all():
                columns = _take_columns(columns, keep)
                line_idx = line_idx[keep]
            problems.sort(key=lambda p: p.row)
            yield RawChunk(file, line_idx + next_row, columns, tuple(problems), len(blank), consumed)
            next_row += n_lines


def _count_fields(text: str, delimiter: str) -> int:
    return len(_split_header(text, delimiter)) if text else 0


def _take_columns(
    columns: dict[str, pa.Array | TextColumn], keep: npt.NDArray[np.bool_]
) -> dict[str, pa.Array | TextColumn]:
    out: dict[str, pa.Array | TextColumn] = {}
    for name, col in columns.items():
        if isinstance(col, list):
            out[name] = [v for v, k in zip(col, keep, strict=True) if k]
        else:
            out[name] = col.filter(to_arrow(keep))
    return out


ParsedBlock = tuple[dict[str, "pa.Array | TextColumn"], npt.NDArray[np.int64], list[tuple[int, str]]]


def _parse_block_arrow(data: bytes, header: HeaderMap, delimiter: str, n_lines: int) -> ParsedBlock:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(header.width)]
    wanted = {f"c{i}": canonical for canonical, i in header.columns.items()}
    bad: list[tuple[int | None, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    def read(threads: bool) -> pa.Table:
        bad.clear()
        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=4 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, invalid_row_handler=on_invalid, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                include_columns=list(wanted),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    table = read(True)
    if bad:
        # the threaded reader does not know line numbers of bad rows; read this block again serially
        table = read(False)
    bad_idx = [((num or 0) - 1, text) for num, text in bad]
    line_idx = np.arange(n_lines, dtype=np.int64)
    if bad_idx:
        line_idx = np.delete(line_idx, [i for i, _ in bad_idx])
    if len(line_idx) != table.num_rows:  # pragma: no cover - defensive: never lose or invent a row silently
        raise DataFileError(
            f"internal: {table.num_rows} rows parsed from {n_lines} lines with {len(bad_idx)} bad lines"
        )
    columns: dict[str, pa.Array | TextColumn] = {
        wanted[c]: table.column(c).combine_chunks() if table.num_rows else pa.array([], pa.string()) for c in wanted
    }
    return columns, line_idx, bad_idx


def _parse_block_python(data: bytes, header: HeaderMap, delimiter: str, n_lines: int) -> ParsedBlock:
    text = data.decode("utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    width = header.width
    index = header.columns
    cols: dict[str, TextColumn] = {c: [] for c in index}
    good: list[int] = []
    bad: list[tuple[int, str]] = []
    for i, fields in enumerate(csv.reader(lines, delimiter=delimiter, strict=False)):
        if not fields:
            good.append(i)  # blank line: dropped by the caller, which counts it
            for c in index:
                cols[c].append(None)
            continue
        if len(fields) != width:
            bad.append((i, lines[i].rstrip("\r")))
            continue
        good.append(i)
        for c, j in index.items():
            v = fields[j]
            cols[c].append(v if v != "" else None)
    return dict(cols.items()), np.asarray(good, dtype=np.int64), bad
