"""The CSV reader: blocks of lines parsed by pyarrow (extra ``data``) or the standard library; every line counted.

How lines and records are read (both parsers agree, checked on the hostile corpus):

* A line ends at LF, CRLF or a lone CR (Python's universal newlines; a CR-only or mixed file reads like any other).
* A quoted field may hold line breaks (RFC 4180): the record spans several lines and gets the row number of its
  first line; the rows after it keep the numbers of their own lines (so row *n* is still line *n* + 1 of the file).
  Its line breaks are read as LF.
* A record spanning lines must be well-formed: each quoted field closes right before a delimiter or the end of the
  record, and the record has the header's number of fields. Otherwise (typically an unterminated quote that would
  swallow the lines after it) nothing is merged: its first line is reported as one malformed row and reading
  resumes on the next line. A quote still open at the end of the file is the same.
* A line with undecodable bytes is read with those bytes as U+FFFD (its quotes and delimiters keep their meaning)
  and reported (``E_ENCODING``), not read as a row; a record spanning lines one of whose lines is undecodable is one
  such finding, on the record's row, and its other lines stay continuation lines.
* A line of only spaces and tabs is blank (not a row), judged on the line as written — by both parsers, whatever the
  delimiter: ``""`` is a quoted cell, so a row of one field. A line longer than the block is read whole (the block
  grows).

The fast pyarrow parser reads blocks in which no quoted field can span lines (every quote sits at a field's edge and
every line holds an even number of them); any other block is parsed by the standard library's ``csv`` module, one
record at a time, which is the reference reading. The pyarrow parser also types what it can without changing a
value, in its own threads: datetime columns as timestamps while every cell is ISO 8601 (the reading
:mod:`tthc.records.columns` tries first on text; a column with another cell is read as text for the rest of the
file) and the enumerations dictionary-encoded.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import time
import unicodedata
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.errors import DataFileError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.arrays import from_numpy, string_array
from tthc.records.chunks import (
    _SNIFF_BYTES,
    DELIMITERS,
    ChunkTask,
    RawChunk,
    ReadTask,
    RecordStream,
    RowProblem,
    StreamInfo,
    TextColumn,
    _blank_lines,
    _bom_length,
    _decode_block,
    _detect_encoding,
    _is_blank,
    _iter_blocks,
    _line_count,
    _split_lines,
    _text_stream,
    check_delimiter,
    run_tasks,
)
from tthc.records.columns import ENUM_COLUMNS
from tthc.records.layout import DATETIME_COLUMNS, REQUIRED_COLUMNS, ColumnMapping, HeaderMap

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.csv as pacsv

__all__ = ["open_csv"]

MAX_PENDING_BYTES = 64 << 20
"""A record still open at the end of a block is carried into the next one, up to this size; beyond it, its first
line is reported as malformed (an unterminated quote must not pull the whole file into memory)."""


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


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
        raise DataFileError(
            words(N_("{path}: the file is empty (expected a header line naming the columns)"), path=str(path))
        )
    enc, bom_len = _detect_encoding(sample, encoding, str(path))
    stream, stream_enc = _text_stream(path, enc, bom_len)
    with stream:
        head = stream.read(_SNIFF_BYTES)
        while head and b"\n" not in head and b"\r" not in head and len(head) < MAX_PENDING_BYTES:
            more = stream.read(_SNIFF_BYTES)
            if not more:
                break
            head += more
    cuts = [i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0]
    end = min(cuts) if cuts else len(head)
    header_bytes = head[:end]
    header_len = end + (2 if head[end : end + 2] == b"\r\n" else 1 if cuts else 0)
    try:
        header_text = unicodedata.normalize("NFC", header_bytes.decode(stream_enc))
    except UnicodeDecodeError:
        raise DataFileError(
            words(
                N_("{path}: header: expected text in {encoding}, got undecodable bytes (pass --encoding)"),
                path=str(path),
                encoding=enc,
            )
        ) from None
    if not header_text.strip():
        raise DataFileError(
            words(
                N_("{path}: header: expected a header line naming the columns, got an empty first line"), path=str(path)
            )
        )
    delim = check_delimiter(delimiter) if delimiter is not None else _sniff_delimiter(header_text, mapping)
    try:
        header = mapping.resolve(_split_header(header_text, delim), file=str(path))
    except DataFileError as exc:
        for d in DELIMITERS:
            if d != delim and sum(1 for n in _split_header(header_text, d) if mapping.canonical(n)) >= len(
                REQUIRED_COLUMNS
            ):
                said = exc.said if exc.said is not None else str(exc)
                raise DataFileError(
                    words(
                        N_("{error} — the header looks {found}-separated, not {given}: pass --delimiter {found}"),
                        error=said,
                        found=repr(d),
                        given=repr(delim),
                    )
                ) from None
        raise
    info = StreamInfo(str(path), "csv", size, enc, bom_len > 0, delim, header)
    return RecordStream(
        info,
        _csv_chunks(path, info, header_len, chunk_bytes, arrow),
        _csv_tasks(path, info, header_len, chunk_bytes, arrow),
    )


_WRONG_WIDTH = N_(
    "expected {width} fields separated by {delimiter}, got {got} (a truncated or malformed line, or an unterminated "
    "quote)"
)


def _csv_chunks(path: Path, info: StreamInfo, header_len: int, chunk_bytes: int, arrow: bool) -> Iterator[RawChunk]:
    """The chunks of a CSV file from byte ``header_len`` of its text (after the BOM, transcoded to UTF-8 when the
    encoding is not ASCII-compatible)."""
    return run_tasks(_csv_tasks(path, info, header_len, chunk_bytes, arrow))


def _csv_tasks(path: Path, info: StreamInfo, header_len: int, chunk_bytes: int, arrow: bool) -> Iterator[ReadTask]:
    """:func:`_csv_chunks` as tasks: a block pyarrow can parse (no record can span its edges) is a
    :class:`_CsvBlock` to parse wherever it is run; any other block is parsed here, in order (a record still open at
    its end is carried into the next block), and handed on as a chunk already read."""
    assert info.header is not None
    assert info.encoding is not None
    assert info.delimiter is not None
    header, delimiter, file = info.header, info.delimiter, info.file
    # header_len 0: a window of the file after its header (tthc.scale.partitions), which starts after the BOM too
    skip = _bom_length(info) if header_len else 0
    stream, stream_enc = _text_stream(path, info.encoding, skip)
    next_row = 1
    consumed = skip + header_len
    pending = b""
    as_text: set[str] = set()  # datetime columns pyarrow cannot type in this file (_parse_block_arrow)
    with stream:
        if header_len:
            stream.read(header_len)
        blocks = _iter_blocks(stream, chunk_bytes)
        block: bytes | None = b""
        while block is not None:
            raw, used = next(blocks, (None, 0))
            block = raw
            final = raw is None
            data_raw = pending + (raw or b"")
            consumed += used
            if not data_raw:
                continue
            data, problems, undecodable = _decode_block(data_raw, stream_enc, file, next_row, info.encoding)
            n_lines = _line_count(data)
            if arrow and _simple_block(data, delimiter):
                yield _CsvBlock(
                    file, header, delimiter, data, n_lines, next_row, consumed, tuple(problems),
                    frozenset(undecodable), as_text,
                )  # fmt: skip
                pending = b""
                next_row += n_lines
                continue
            parsed = _parse_block_python(
                _split_lines(data), header, delimiter, final or len(data_raw) > MAX_PENDING_BYTES
            )
            if arrow:
                parsed = (_to_arrow_columns(parsed[0]), *parsed[1:])
            if parsed[5] is not None:
                # the last record is still open: carry its lines (as read, not yet decoded) into the next block
                open_from = parsed[5]
                pending = data_raw.split(b"\n", open_from)[-1] if open_from else data_raw
                problems = [p for p in problems if p.row < next_row + open_from]
                n_lines = open_from
            else:
                pending = b""
            if n_lines == 0 and not final:
                continue
            yield ChunkTask(
                _block_chunk(parsed, file, header, delimiter, next_row, consumed, problems, set(undecodable))
            )
            next_row += n_lines


@attrs.define
class _CsvBlock:
    """A block of whole lines that pyarrow can parse on its own (its rows are numbered from ``next_row``): a
    :class:`~tthc.records.chunks.ReadTask`. ``as_text``: the file's datetime columns known not to be ISO 8601 — shared
    with the planner in this process, a copy elsewhere (handed back through :meth:`learned`)."""

    file: str
    header: HeaderMap
    delimiter: str
    data: bytes
    n_lines: int
    next_row: int
    consumed: int
    problems: tuple[RowProblem, ...]
    undecodable: frozenset[int]
    as_text: set[str]

    def chunks(self) -> Iterator[RawChunk]:
        parsed = _parse_block_arrow(self.data, self.n_lines, self.header, self.delimiter, self.as_text)
        if parsed is None:
            # pyarrow's rows do not match the lines: the reference reading (no record can be open at the end of a
            # block whose quotes all sit at field edges, two to a line)
            parsed = _parse_block_python(_split_lines(self.data), self.header, self.delimiter, True)
            parsed = (_to_arrow_columns(parsed[0]), *parsed[1:])
        yield _block_chunk(
            parsed, self.file, self.header, self.delimiter, self.next_row, self.consumed, list(self.problems),
            set(self.undecodable),
        )  # fmt: skip

    def learned(self) -> object:
        return frozenset(self.as_text)

    def learn(self, lesson: object) -> None:
        if isinstance(lesson, frozenset):
            self.as_text.update(lesson)


def _block_chunk(
    parsed: ParsedBlock,
    file: str,
    header: HeaderMap,
    delimiter: str,
    next_row: int,
    consumed: int,
    problems: list[RowProblem],
    undecodable: set[int],
) -> RawChunk:
    """A parsed block as a chunk: malformed lines reported, blank and undecodable lines dropped."""
    columns, line_idx, bad, blank, continued, _, spans = parsed
    if spans and undecodable:
        problems, undecodable = _undecodable_records(problems, spans, undecodable, next_row)
    blank = blank - undecodable
    for i, text in bad:
        if i not in undecodable and i not in blank:
            problems.append(
                RowProblem.of(
                    file,
                    next_row + i,
                    "(row)",
                    "E_SCHEMA",
                    words(
                        _WRONG_WIDTH, width=header.width, delimiter=repr(delimiter), got=_count_fields(text, delimiter)
                    ),
                    text[:200],
                )
            )
    drop = undecodable | blank
    if drop and len(line_idx):
        keep = ~np.isin(line_idx, np.fromiter(drop, dtype=np.int64))
        if not keep.all():
            columns = _take_columns(columns, keep)
            line_idx = line_idx[keep]
    problems.sort(key=lambda p: p.row)
    return RawChunk(file, line_idx + next_row, columns, tuple(problems), len(blank), consumed, continued)


_UNDECODABLE_IN_RECORD = N_(
    "expected text in {encoding}, got undecodable bytes {bytes} at byte {at} of line {line} of the record (pass "
    "--encoding to read the file in another encoding)"
)


def _undecodable_records(
    problems: list[RowProblem], spans: list[tuple[int, int]], undecodable: set[int], next_row: int
) -> tuple[list[RowProblem], set[int]]:
    """A record spanning lines (``spans``: its first line and the line after its last) one of whose lines cannot be
    decoded is one ``E_ENCODING`` finding on the record's row, naming the first such line of the record, and is not
    read (as an undecodable line alone is not); its other lines stay continuation lines. Returns the problems and
    the lines not to read as rows (the records' first lines added)."""
    starts = np.fromiter((start for start, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((end for _, end in spans), dtype=np.int64, count=len(spans))
    record_of: dict[int, int] = {}  # an undecodable line inside a record spanning lines -> the record's first line
    for line in undecodable:
        k = int(np.searchsorted(starts, line, side="right")) - 1
        if k >= 0 and line < ends[k]:
            record_of[line] = int(starts[k])
    if not record_of:
        return problems, undecodable
    out: list[RowProblem] = []
    reported: set[int] = set()
    for p in sorted(problems, key=lambda p: p.row):
        start = record_of.get(p.row - next_row) if p.code == "E_ENCODING" else None
        if start is None:
            out.append(p)
            continue
        if start in reported:  # a later undecodable line of a record already reported
            continue
        reported.add(start)
        line = p.row - next_row - start + 1
        if line > 1 and p.said is not None:
            said = words(_UNDECODABLE_IN_RECORD, **dict(p.said.values), line=line)
            p = RowProblem.of(p.file, next_row + start, p.field, p.code, said, p.value)
        out.append(p)
    return out, undecodable | reported


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
            out[name] = col.filter(from_numpy(keep))
    return out


ParsedBlock = tuple[
    dict[str, "pa.Array | TextColumn"],
    npt.NDArray[np.int64],
    list[tuple[int, str]],
    set[int],
    int,
    int | None,
    list[tuple[int, int]],
]
"""(columns, line index of each row, malformed lines (index, text), blank line indexes, continuation lines, index of
the first line of a record still open at the end of the block or ``None``, the records spanning lines as (first
line, line after the last) in order)."""


def _simple_block(data: bytes, delimiter: str) -> bool:
    """No quoted field of this block can span lines, and every quote sits at the edge of a field — the blocks where
    pyarrow's parser and the reference reading agree line for line."""
    if b'"' not in data:
        return True
    arr = np.frombuffer(data, dtype=np.uint8)
    q = np.flatnonzero(arr == ord('"'))
    edge = np.array([ord("\n"), ord(delimiter), ord('"')], dtype=np.uint8)
    before = np.isin(arr[np.maximum(q - 1, 0)], edge) | (q == 0)
    after = np.isin(arr[np.minimum(q + 1, len(arr) - 1)], edge) | (q == len(arr) - 1)
    if not (before | after).all():
        return False
    nl = np.flatnonzero(arr == ord("\n"))
    per_line = np.bincount(np.searchsorted(nl, q), minlength=len(nl) + 1)
    return not (per_line % 2).any()


_CONVERSION_ERROR = re.compile(r"^In CSV column #(\d+): CSV conversion error")


def _parse_block_arrow(
    data: bytes, n_lines: int, header: HeaderMap, delimiter: str, as_text: set[str] | None = None
) -> ParsedBlock | None:
    """Parse a simple block with pyarrow; ``None`` when pyarrow's rows do not match the lines one for one (the
    caller then uses the reference reading).

    Datetime columns are read as timestamps and the small enumerations (channel, status ...) dictionary-encoded by
    pyarrow's own threads, while the cells allow it: Arrow's ISO 8601 reading is the one
    :mod:`tthc.records.columns` tries first on text, so the values are the same, and where a cell is not ISO 8601
    the column is read as text and typed there, cell by cell as before. ``as_text``: the datetime columns of this
    file already found to need that (the set is updated, so later blocks do not try again).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(header.width)]
    wanted = {f"c{i}": canonical for canonical, i in header.columns.items()}
    as_text = set() if as_text is None else as_text
    bad: list[tuple[int | None, str]] = []

    def types() -> dict[str, pa.DataType]:
        out = dict.fromkeys(names, pa.string())
        for c, canonical in wanted.items():
            if canonical in DATETIME_COLUMNS and canonical not in as_text:
                out[c] = pa.timestamp("s")
            elif canonical in ENUM_COLUMNS:
                out[c] = pa.dictionary(pa.int32(), pa.string())
        return out

    def read(threads: bool, block_size: int) -> pa.Table:
        while True:
            bad.clear()
            try:
                return _read_csv(
                    data,
                    bad,
                    read_options=pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=block_size),
                    parse_options={"delimiter": delimiter, "ignore_empty_lines": False},
                    convert_options=pacsv.ConvertOptions(
                        column_types=types(),
                        include_columns=list(wanted),
                        # only an empty cell is missing, as the reference parser and Parquet say: pyarrow's default
                        # markers (NA, null, nan, #N/A, …) would make a cell's meaning depend on its block's parser
                        null_values=[""],
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                    ),
                )
            except pa.ArrowInvalid as exc:
                failed = _CONVERSION_ERROR.match(str(exc))
                if failed is None:
                    raise
                # a cell that is not ISO 8601: that column as text from now on (read this block again)
                before = len(as_text)
                column = wanted.get(f"c{failed.group(1)}")
                as_text.update((column,) if column in DATETIME_COLUMNS else DATETIME_COLUMNS)
                if len(as_text) == before:  # nothing left to read as text: not ours to recover from
                    raise

    block_size = 4 << 20
    try:
        try:
            table = read(True, block_size)
        except pa.ArrowInvalid:
            # a line longer than pyarrow's block ("straddling object"): one block for all
            block_size = len(data) + 1
            table = read(True, block_size)
        if bad:
            # the threaded reader does not know line numbers of bad rows; read this block again serially
            table = read(False, block_size)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if any(num is None for num, _ in bad):
        return None
    bad_idx = [(int(num) - 1, text) for num, text in bad if num is not None]
    line_idx = np.arange(n_lines, dtype=np.int64)
    if bad_idx:
        line_idx = np.delete(line_idx, [i for i, _ in bad_idx])
    if len(line_idx) != table.num_rows:
        return None
    columns: dict[str, pa.Array | TextColumn] = {
        wanted[c]: table.column(c).combine_chunks() if table.num_rows else string_array([]) for c in wanted
    }
    # A blank line is either a row pyarrow could not read (spaces and tabs are one field, too few) or a row with no
    # value at all (pyarrow reads an empty line as a row of empty cells): the bytes are scanned only in that case.
    if table.num_rows and all(col.null_count for col in columns.values()):  # type: ignore[union-attr]
        blank = _blank_lines(data, n_lines)
    else:
        blank = {i for i, text in bad_idx if _is_blank(text)}
    return columns, line_idx, bad_idx, blank, 0, None, []


_LET_GO_SECONDS = 2.0
"""How long a block's reading waits for pyarrow to drop the Python objects it was given (:func:`_read_csv`); a few
microseconds when it has to wait at all."""


def _read_csv(
    data: bytes,
    bad: list[tuple[int | None, str]],
    *,
    read_options: pacsv.ReadOptions,
    parse_options: dict[str, object],
    convert_options: pacsv.ConvertOptions,
) -> pa.Table:
    """``pyarrow.csv.read_csv`` of ``data`` (the rows it cannot read appended to ``bad``), returning — or raising —
    only once pyarrow holds none of the Python objects it was given.

    Why wait: Arrow destroys its threaded reader in one of its own threads, at times after ``read_csv`` has returned
    (about one read in ten; more after a conversion error). Dropping the file object and the bad-row callback then
    takes the GIL, and while the interpreter exits Python 3.11 ends a thread taking the GIL with ``pthread_exit``,
    which cannot unwind through Arrow's C++ frames: the process aborts ("terminate called without an active
    exception"). A run stopped by SIGTERM or Ctrl-C exits right after its last block, so that race was met in CI."""
    import pyarrow.csv as pacsv

    source = io.BytesIO(data)

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    held = (weakref.ref(source), weakref.ref(on_invalid))
    try:
        return pacsv.read_csv(
            source,
            read_options=read_options,
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, **parse_options),
            convert_options=convert_options,
        )
    finally:
        del source, on_invalid  # ours; what is left is pyarrow's
        deadline = time.monotonic() + _LET_GO_SECONDS
        while any(ref() is not None for ref in held) and time.monotonic() < deadline:
            time.sleep(0.0001)


class _Lines:
    """Feeds lines to ``csv.reader`` and remembers how far it read — and whether it asked for more than there is
    (the record it then returns was cut by the end of the block)."""

    __slots__ = ("lines", "pos", "ran_out")

    def __init__(self, lines: list[str], pos: int = 0) -> None:
        self.lines = lines
        self.pos = pos
        self.ran_out = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            self.ran_out = True
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _parse_block_python(lines_b: list[bytes], header: HeaderMap, delimiter: str, final: bool) -> ParsedBlock:
    """The reference reading: ``csv`` (RFC 4180 quoting, lenient about text after a closing quote), record by
    record, with the recovery rule for quotes that do not close into a well-formed record."""
    lines = [b.decode("utf-8") + "\n" for b in lines_b]
    longest = max((len(x) for x in lines), default=0)
    if longest > csv.field_size_limit():
        # the module's default limit (128 KiB) would make a long cell an exception; pyarrow has no such limit
        csv.field_size_limit(min(sys.maxsize, max(longest * 2, 1 << 20)))
    width = header.width
    index = header.columns
    cols: dict[str, TextColumn] = {c: [] for c in index}
    good: list[int] = []
    bad: list[tuple[int, str]] = []
    blank: set[int] = set()
    continued = 0
    spans: list[tuple[int, int]] = []
    feed = _Lines(lines)
    reader = csv.reader(feed, delimiter=delimiter, strict=False)
    n = len(lines)
    while feed.pos < n:
        start = feed.pos
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error:
            fields = None
        span = feed.pos - start
        cut = feed.ran_out
        if cut and not final:
            return _columns(cols), np.asarray(good, dtype=np.int64), bad, blank, continued, start, spans
        line = lines[start]
        if span == 1 and not cut and line[0] in " \t\n" and not line.strip(" \t\n"):
            # blank (chunks._is_blank) judged on the line as written (with its LF), as pyarrow's reading is: a quoted
            # cell ('""') is a row, and a line of tabs is blank even when tabs are the delimiter (the first character
            # is tested first: no copy of every line)
            blank.add(start)
            continue
        if fields is not None and span > 1 and not cut and len(fields) == width:
            fields = _strict(lines[start : feed.pos], delimiter)
        if fields is None or cut or len(fields) != width:
            bad.append((start, lines[start].rstrip("\n")))
            if span > 1 or fields is None or cut:
                # never merge: resume on the line after the one that opened the bad record
                feed = _Lines(lines, start + 1)
                reader = csv.reader(feed, delimiter=delimiter, strict=False)
            continue
        good.append(start)
        continued += span - 1
        if span > 1:
            spans.append((start, feed.pos))
        for c, j in index.items():
            v = fields[j]
            cols[c].append(v if v != "" else None)
    return _columns(cols), np.asarray(good, dtype=np.int64), bad, blank, continued, None, spans


def _strict(lines: list[str], delimiter: str) -> list[str] | None:
    """The fields of a record spanning lines when its quoting is well-formed (each quoted field closes right before
    a delimiter or the end of the record), else ``None``: an unterminated quote that happens to close on a later
    line must not merge the lines in between into one record."""
    try:
        return next(csv.reader(lines, delimiter=delimiter, strict=True), None)
    except csv.Error:
        return None


def _columns(cols: dict[str, TextColumn]) -> dict[str, pa.Array | TextColumn]:
    return dict(cols.items())


def _to_arrow_columns(cols: dict[str, pa.Array | TextColumn]) -> dict[str, pa.Array | TextColumn]:
    """Every chunk of an Arrow reading has Arrow columns, whichever parser read its block."""
    return {c: string_array(v) if isinstance(v, list) else v for c, v in cols.items()}
