"""Streaming readers for dossier record files: CSV, JSON Lines and Parquet, in chunks of raw (text) columns.

Every reader yields :class:`RawChunk` objects: the canonical columns of a run of rows as text (``None`` = empty),
the 1-based **data row number** of each row, and the rows that could not be read at all (wrong number of fields,
undecodable bytes, a JSON line that is not an object) as :class:`RowProblem`. Together they account for every line
of the file: ``len(chunk.rows) + len(chunk.problems) + chunk.blank_lines`` is the number of lines the chunk covers.

Row numbers: in CSV and JSON Lines, row *n* is the *n*-th line after the header (for JSON Lines, the *n*-th line),
blank lines included — open the file in an editor and go to line *n* + 1 (CSV) or *n* (JSON Lines). Fields that
contain line breaks are not supported (a quoted field is not allowed to span lines): such a line is reported as
malformed rather than silently merged. In Parquet, row *n* is the *n*-th row of the file.

Encodings: UTF-8 with or without BOM, Windows-1258 (``cp1258``, common in older Vietnamese systems) and anything
Python can decode. Without ``encoding`` the reader tries UTF-8 on the first 64 KiB and falls back to ``cp1258``;
the choice is in :attr:`StreamInfo.encoding`. The delimiter is detected among ``, ; TAB |`` from the header (the one
that yields the most known column names).

The CSV and JSON Lines readers use pyarrow when it is installed (extra ``data``) and the standard library otherwise;
Parquet needs pyarrow.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.errors import DataFileError, InvalidValueError, MissingExtraError
from tthc.records import REQUIRED_COLUMNS, ColumnMapping, DossierRecord, HeaderMap

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FileFormat", "RawChunk", "RecordStream", "RowProblem", "StreamInfo", "iter_records", "open_records"]

FileFormat = Literal["csv", "jsonl", "parquet"]
DELIMITERS = (",", ";", "\t", "|")
DEFAULT_CHUNK_BYTES = 16 << 20
_SNIFF_BYTES = 64 << 10

TextColumn = list[str | None]
"""A column of text cells (``None`` = empty) when pyarrow is not installed."""


@attrs.frozen(slots=True)
class RowProblem:
    """A row that could not be read or checked: where it is, which field, which code, and why."""

    file: str
    row: int
    field: str
    code: str
    message: str
    value: str | None = None

    def __repr__(self) -> str:
        return f"<{self.code} {self.file}:{self.row} {self.field}: {self.message}>"


@attrs.frozen(slots=True)
class RawChunk:
    """A run of rows as canonical text columns.

    Attributes:
        file: the file name the rows come from.
        rows: 1-based data row numbers of the rows in ``columns`` (int64).
        columns: canonical column -> text cells (a pyarrow ``StringArray`` or a list of ``str | None``).
        problems: rows of this stretch that could not be read (they are not in ``rows``).
        blank_lines: lines of this stretch that hold nothing at all (they are not rows).
        bytes_read: bytes of the file consumed so far (for progress bars).
    """

    file: str
    rows: npt.NDArray[np.int64]
    columns: dict[str, pa.Array | TextColumn]
    problems: tuple[RowProblem, ...] = ()
    blank_lines: int = 0
    bytes_read: int = 0

    def __len__(self) -> int:
        return len(self.rows)


@attrs.frozen(slots=True)
class StreamInfo:
    """What the reader found out about a file before reading its rows."""

    file: str
    format: FileFormat
    size: int
    encoding: str | None = None
    bom: bool = False
    delimiter: str | None = None
    header: HeaderMap | None = None


def _have_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _guess_format(path: Path) -> FileFormat:
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"


@attrs.define
class RecordStream:
    """An open record file: :attr:`info` is known at once (header errors raise when opening); iterate for chunks."""

    info: StreamInfo
    _chunks: Iterator[RawChunk]

    def __iter__(self) -> Iterator[RawChunk]:
        return self._chunks


def open_records(
    path: str | Path,
    *,
    format: FileFormat | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    use_pyarrow: bool | None = None,
) -> RecordStream:
    """Open a dossier record file for streaming.

    Args:
        path: a CSV, JSON Lines or Parquet file.
        format: ``csv`` / ``jsonl`` / ``parquet``; guessed from the file name when omitted.
        mapping: header names -> canonical columns (default :meth:`ColumnMapping.default`).
        encoding: text encoding; detected when omitted (UTF-8 with/without BOM, else ``cp1258``).
        delimiter: CSV delimiter; detected from the header when omitted.
        chunk_bytes: about how many bytes of text each chunk holds (memory stays flat as the file grows).
        use_pyarrow: force (``True``) or avoid (``False``) pyarrow for CSV and JSON Lines; default: use it when
            installed.

    Raises:
        DataFileError: the file is missing, empty, or its header lacks a required column (named in the message).
        MissingExtraError: a Parquet file and pyarrow is not installed.
    """
    p = Path(path)
    if not p.is_file():
        raise DataFileError(f"{p}: record file not found")
    fmt = format or _guess_format(p)
    m = mapping or ColumnMapping.default()
    arrow = _have_pyarrow() if use_pyarrow is None else use_pyarrow
    if use_pyarrow and not _have_pyarrow():
        raise MissingExtraError("data", "pyarrow")
    if fmt == "parquet":
        from tthc.records_formats import open_parquet

        return open_parquet(p, m, chunk_bytes)
    if fmt == "jsonl":
        from tthc.records_formats import open_jsonl

        return open_jsonl(p, m, encoding, chunk_bytes)
    if fmt == "csv":
        return _open_csv(p, m, encoding, delimiter, chunk_bytes, arrow)
    raise InvalidValueError("format", "csv | jsonl | parquet", fmt)


def iter_records(
    path: str | Path, *, skip_invalid: bool = False, **options: object
) -> Iterator[tuple[int, DossierRecord]]:
    """Row by row, as :class:`~tthc.records.DossierRecord` objects: ``(row number, record)``.

    Convenient for small files and for code that wants pydantic objects; for volume use :func:`open_records` and
    :func:`tthc.validation.validate_chunk`. Takes the options of :func:`open_records`.

    Raises:
        InvalidValueError: a row cannot be read or fails the model (the message names the file, the row and the
            field), unless ``skip_invalid``.
    """
    from pydantic import ValidationError

    from tthc.records import DossierRecord

    stream = open_records(path, **options)  # type: ignore[arg-type]
    for chunk in stream:
        if chunk.problems and not skip_invalid:
            p = chunk.problems[0]
            raise InvalidValueError(f"{p.file}: row {p.row}", "a readable row", p.value, detail=p.message)
        names = list(chunk.columns)
        cols = [c if isinstance(c, list) else c.to_pylist() for c in chunk.columns.values()]
        for k, row in enumerate(chunk.rows.tolist()):
            data = {n: col[k] for n, col in zip(names, cols, strict=True) if col[k] is not None}
            try:
                yield row, DossierRecord.model_validate(data)
            except (ValidationError, ValueError) as exc:
                if skip_invalid:
                    continue
                field = ""
                if isinstance(exc, ValidationError) and exc.errors():
                    field = ".".join(str(x) for x in exc.errors()[0]["loc"])
                raise InvalidValueError(
                    f"{chunk.file}: row {row}" + (f" {field}" if field else ""),
                    "a valid dossier record",
                    data,
                    detail=str(exc).splitlines()[0],
                ) from None


# --------------------------------------------------------------------------------------------------------- text


def _detect_encoding(sample: bytes, given: str | None) -> tuple[str, bool]:
    bom = sample.startswith(codecs.BOM_UTF8)
    if given is not None:
        try:
            codecs.lookup(given)
        except LookupError:
            raise InvalidValueError("encoding", "a Python codec name such as utf-8 or cp1258", given) from None
        return given, bom
    if bom:
        return "utf-8", True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample boundary is not evidence against UTF-8
        if exc.start < len(sample) - 3:
            return "cp1258", False
    return "utf-8", False


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _decode_block(block: bytes, encoding: str, file: str, first_row: int) -> tuple[bytes, list[RowProblem], set[int]]:
    """Return the block re-encoded as UTF-8 (lines that cannot be decoded emptied), the problems, and the emptied
    line indexes (0-based within the block)."""
    utf8 = _is_utf8(encoding)
    try:
        text = block.decode(encoding)
    except UnicodeDecodeError:
        pass
    else:
        if utf8:
            return block, [], set()
        return unicodedata.normalize("NFC", text).encode("utf-8"), [], set()
    problems: list[RowProblem] = []
    bad: set[int] = set()
    out: list[bytes] = []
    for i, line in enumerate(block.split(b"\n")):
        try:
            decoded = line.decode(encoding)
        except UnicodeDecodeError as exc:
            bad.add(i)
            problems.append(
                RowProblem(
                    file,
                    first_row + i,
                    "(row)",
                    "E_ENCODING",
                    f"expected text in {encoding}, got undecodable bytes {line[exc.start : exc.end]!r} "
                    f"at byte {exc.start} of the line (pass --encoding to read the file in another encoding)",
                )
            )
            out.append(b"")
            continue
        out.append(line if utf8 else unicodedata.normalize("NFC", decoded).encode("utf-8"))
    return b"\n".join(out), problems, bad


def _split_header(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _sniff_delimiter(header: str, mapping: ColumnMapping) -> str:
    best, best_known = ",", -1
    for d in DELIMITERS:
        known = sum(1 for name in _split_header(header, d) if mapping.canonical(name) is not None)
        if known > best_known:
            best, best_known = d, known
    return best


def _iter_blocks(fh: io.BufferedReader, chunk_bytes: int) -> Iterator[bytes]:
    """Blocks of whole lines (each ends with a newline except possibly the file's last)."""
    carry = b""
    while True:
        data = fh.read(chunk_bytes)
        if not data:
            if carry:
                yield carry
            return
        data = carry + data
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        carry = data[cut + 1 :]
        yield data[: cut + 1]


_BLANK_LINE = re.compile(rb"(?m)^\r?$")


def _blank_lines(
    data: bytes, columns: dict[str, pa.Array | TextColumn], line_idx: npt.NDArray[np.int64], arrow: bool
) -> set[int]:
    """Indexes of the empty lines of a block. A blank line parses as a row whose required cells are all empty, so
    the text is only searched when such a row exists."""
    if arrow and len(line_idx):
        import pyarrow.compute as pc

        empty = None
        for c in REQUIRED_COLUMNS:
            col = columns.get(c)
            if col is not None and not isinstance(col, list):
                m = pc.is_null(col)
                empty = m if empty is None else pc.and_(empty, m)
        if empty is not None and not pc.any(empty).as_py():
            return set()
    return _blank_line_indexes(data)


def _blank_line_indexes(block: bytes) -> set[int]:
    if b"\n\n" not in block and b"\n\r\n" not in block and not block.startswith((b"\n", b"\r\n")):
        return set()
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    return {i for i, line in enumerate(lines) if not line.strip(b"\r \t")}


def _open_csv(
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
            from tthc.records_columns import to_arrow

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
