"""JSON Lines and Parquet readers of dossier records (the CSV reader and the shared types are in
:mod:`tthc.records.readers`; use :func:`tthc.records.readers.open_records`, which picks the reader)."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import attrs
import numpy as np

from tthc.errors import DataFileError, MissingExtraError
from tthc.foundation.data_files import decoder_reason, lone_surrogate
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words
from tthc.records.arrays import string_array
from tthc.records.chunks import (
    RawChunk,
    RecordStream,
    RowProblem,
    StreamInfo,
    TextColumn,
    _bom_length,
    _decode_block,
    _detect_encoding,
    _is_blank,
    _iter_blocks,
    _split_lines,
    _text_stream,
)
from tthc.records.columns import ENUM_COLUMNS as _ENUM_COLUMNS
from tthc.records.columns import FEW_CODES as _FEW_CODES
from tthc.records.columns import vietnam_wall_time
from tthc.records.layout import ALL_COLUMNS, REQUIRED_COLUMNS, ColumnMapping
from tthc.records.layout import DATETIME_COLUMNS as _DATETIME_COLUMNS
from tthc.records.layout import INTEGER_COLUMNS as _INTEGER_COLUMNS

__all__ = ["arrow_batch_chunk", "open_arrow", "open_jsonl", "open_parquet"]

_SNIFF_BYTES = 64 << 10
_DICTIONARY_COLUMNS = frozenset(_ENUM_COLUMNS + _FEW_CODES)
"""Columns of text read dictionary-encoded from Parquet and handed over so (few distinct values)."""


# --------------------------------------------------------------------------------------------------------- JSONL


def open_jsonl(path: Path, mapping: ColumnMapping, encoding: str | None, chunk_bytes: int) -> RecordStream:
    size = path.stat().st_size
    with path.open("rb") as fh:
        sample = fh.read(_SNIFF_BYTES)
    enc, bom_len = _detect_encoding(sample, encoding, str(path))
    if path.name.lower().endswith(".json") and _starts_an_array(sample[bom_len:], enc):
        raise DataFileError(words(_JSON_ARRAY, path=str(path)))
    info = StreamInfo(str(path), "jsonl", size, enc, bom_len > 0)
    return RecordStream(info, _jsonl_chunks(path, info, mapping, chunk_bytes))


_JSON_ARRAY = N_("{path}: expected JSON Lines (one object per line), got a JSON array — convert it, e.g. jq -c '.[]'")


def _starts_an_array(head: bytes, encoding: str) -> bool:
    """Whether the first character of the text after white space is ``[``: a ``.json`` file holding one JSON array
    (the usual shape of a ``.json`` export) rather than one object per line; read line by line, each of its lines
    would be a bogus row."""
    try:
        text = head.decode(encoding, "replace")  # a character cut at the end of the sample is of no matter here
    except (UnicodeError, LookupError, ValueError):  # a codec that cannot even replace: the reading will say so
        return False
    return text.lstrip(" \t\r\n").startswith("[")


def _no_constant(name: str) -> object:
    raise ValueError(words(_NOT_A_NUMBER, name=name))  # worded where the line is refused (_parse_object)


_NOT_AN_OBJECT = N_("expected a JSON object, got {error}")
_TOO_DEEP = N_("expected a JSON object, got a value nested too deeply to read")
_NOT_A_NUMBER = N_("{name} is not a number in JSON")
_NOT_PARQUET = N_("{path}: expected a Parquet file, could not read it: {error}")
_COLUMN_TYPE = N_(
    "{path}: column {column} ({canonical}): expected text, whole numbers, dates or timestamps, got {type}"
)


class _Pairs(list[tuple[str, object]]):
    """A JSON object as the (key, value) pairs written, in order and with any key given twice (a dict would keep the
    last value silently): what :data:`_DECODER` makes of every object."""

    __slots__ = ()


_DECODER = json.JSONDecoder(parse_constant=_no_constant, object_pairs_hook=_Pairs)
"""Built once (``json.loads`` with an argument builds a decoder per call); the pairs hook is the list type itself,
so no Python code runs per object."""
_PLAIN_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def _parse_object(line: bytes) -> tuple[_Pairs | None, Words | None]:
    """The line's JSON object as its pairs, or why not: never an exception, whatever the line (deep nesting,
    5000-digit integers, NaN/Infinity, control characters, lone surrogate escapes)."""
    try:
        obj = _DECODER.decode(_text(line))
    except json.JSONDecodeError as exc:
        return None, words(
            N_("expected a JSON object, got invalid JSON at column {column}: {error}"),
            column=exc.colno,
            error=decoder_reason(exc),
        )
    except RecursionError:
        return None, words(_TOO_DEEP)
    except ValueError as exc:  # NaN/Infinity, an integer longer than Python's digit limit
        said = exc.args[0] if exc.args and isinstance(exc.args[0], Words) else str(exc).split(";")[0]
        return None, words(_NOT_AN_OBJECT, error=said)
    if not isinstance(obj, _Pairs):
        return None, words(_NOT_AN_OBJECT, error=type(obj).__name__)
    if _SURROGATE_ESCAPE.search(line):
        try:
            # on the line read with dicts: pairs are written out as lists of pairs, two levels a level
            lone = lone_surrogate(_as_dicts(line))
        except RecursionError:
            return None, words(_TOO_DEEP)
        if lone:
            return None, words(N_("expected a JSON object of text, got a lone surrogate escape (\\ud800-\\udfff)"))
    return obj, None


def _as_dicts(line: bytes) -> object:
    """The line read as ``json.loads`` reads it (objects as dicts, the last of a repeated key), in C: for what needs
    a line's value as plain JSON again, rarely — converting the pairs in Python would take frames per level, and a
    value nested nearly as deep as the decoder allows would overflow."""
    return _PLAIN_DECODER.decode(_text(line))


def _text(line: bytes) -> str:
    """The line as ``json.loads`` decodes bytes: in the encoding its first bytes tell."""
    return line.decode(json.detect_encoding(line), "surrogatepass")


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A surrogate's escape (U+D800-U+DFFF) in the raw line: rare, while a line written with JSON's default ASCII
escapes holds a ``\\u`` in every Vietnamese word; only the lines holding one are written out again to find a half
left alone (an emoji is a pair, and text)."""


_CLASH = N_("expected one key per column, got {first} and {second} for {column}")
_TWICE = N_("expected one key per column, got {key} twice")


def _jsonl_chunks(path: Path, info: StreamInfo, mapping: ColumnMapping, chunk_bytes: int) -> Iterator[RawChunk]:
    assert info.encoding is not None
    file = info.file
    next_row = 1
    skip = _bom_length(info)
    consumed = skip
    key_cache: dict[str, str | None] = {}
    stream, stream_enc = _text_stream(path, info.encoding, skip)
    with stream:
        for block, used in _iter_blocks(stream, chunk_bytes):
            consumed += used
            data, problems, undecodable = _decode_block(block, stream_enc, file, next_row, info.encoding)
            lines = _split_lines(data)
            cols: dict[str, TextColumn] = {c: [] for c in ALL_COLUMNS}
            rows: list[int] = []
            blank = 0
            for i, line in enumerate(lines):
                if i in undecodable:
                    continue
                if _is_blank(line):
                    blank += 1
                    continue
                obj, why = _parse_object(line)
                if obj is None:
                    assert why is not None
                    problems.append(RowProblem.of(file, next_row + i, "(row)", "E_SCHEMA", why, _excerpt(line)))
                    continue
                row: dict[str, str | None] = {}
                source: dict[str, str] = {}
                clash: Words | None = None
                for key, value in obj:
                    if key not in key_cache:
                        key_cache[key] = mapping.canonical(key)
                    canonical = key_cache[key]
                    if canonical is None:
                        continue  # a key of no column: ignored, however often it is given
                    if canonical in source:
                        first = source[canonical]
                        clash = (
                            words(_TWICE, key=repr(key))
                            if first == key
                            else words(_CLASH, first=repr(first), second=repr(key), column=repr(canonical))
                        )
                        break
                    source[canonical] = key
                    if isinstance(value, list):  # an object or an array given as a cell: its JSON text
                        try:
                            row[canonical] = _cell(_nested(line, key))
                        except RecursionError:  # read, but too deep to read again or to write out
                            clash = words(_TOO_DEEP)
                            break
                        continue
                    row[canonical] = _cell(value)
                if clash is not None:
                    problems.append(RowProblem.of(file, next_row + i, "(row)", "E_SCHEMA", clash, _excerpt(line)))
                    continue
                rows.append(next_row + i)
                for c, col in cols.items():
                    col.append(row.get(c))
            problems.sort(key=lambda p: p.row)
            present = {c: col for c, col in cols.items() if any(v is not None for v in col)}
            for c in REQUIRED_COLUMNS:
                present.setdefault(c, cols[c])
            yield RawChunk(
                file, np.asarray(rows, dtype=np.int64), dict(present.items()), tuple(problems), blank, consumed
            )
            next_row += len(lines)


def _excerpt(line: bytes) -> str:
    return line[:200].decode("utf-8", "replace")


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _nested(line: bytes, key: str) -> object:
    """The value of ``key`` in ``line``, an object or an array given as a cell (never a column's value; the cell's
    text is its JSON), with its objects as dicts (:func:`_as_dicts`). Should ``key`` be given again further on, the
    row is refused for it and the value is of no matter."""
    obj = _as_dicts(line)
    assert isinstance(obj, dict)
    return obj[key]


# --------------------------------------------------------------------------------------------------------- Parquet


def _unsupported(t: object) -> bool:
    """Column types no dossier column can come from: nested values (lists, structs, maps, unions)."""
    import pyarrow as pa

    assert isinstance(t, pa.DataType)
    if pa.types.is_dictionary(t):
        return _unsupported(t.value_type)
    return bool(pa.types.is_nested(t) or pa.types.is_union(t) or pa.types.is_map(t))


def open_parquet(path: Path, mapping: ColumnMapping, chunk_bytes: int) -> RecordStream:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("data", "pyarrow") from None
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataFileError(words(_NOT_PARQUET, path=str(path), error=str(exc))) from None
    header = mapping.resolve(schema.names, file=str(path))
    for canonical, i in header.columns.items():
        t = schema.field(i).type
        if _unsupported(t):
            raise DataFileError(
                words(_COLUMN_TYPE, path=str(path), column=repr(schema.names[i]), canonical=canonical, type=str(t))
            )
    # the enumerations (channel, status ...) and the procedure and agency codes as the file stores them,
    # dictionary-encoded: a few distinct values to look up instead of a string per row
    encoded = [
        schema.names[i]
        for canonical, i in header.columns.items()
        if canonical in _DICTIONARY_COLUMNS and pa.types.is_string(schema.field(i).type)
    ]
    if encoded:
        try:
            pf = pq.ParquetFile(path, read_dictionary=encoded)
        except Exception as exc:  # as above: the file changed between the two openings
            raise DataFileError(words(_NOT_PARQUET, path=str(path), error=str(exc))) from None
    info = StreamInfo(str(path), "parquet", path.stat().st_size, header=header)
    tasks = (_ParquetGroup(str(path), tuple(encoded), info, chunk_bytes, g) for g in range(pf.num_row_groups))
    return RecordStream(info, _parquet_chunks(pf, info, chunk_bytes), tasks)


@attrs.frozen(slots=True)
class _ParquetGroup:
    """One row group of a Parquet file, read on its own (a :class:`~tthc.records.chunks.ReadTask`): rows numbered as
    in the whole file."""

    path: str
    encoded: tuple[str, ...]
    info: StreamInfo
    chunk_bytes: int
    group: int

    def chunks(self) -> Iterator[RawChunk]:
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(self.path, read_dictionary=list(self.encoded) or None)
        except Exception as exc:  # as in open_parquet: the file changed since it was opened
            raise DataFileError(words(_NOT_PARQUET, path=self.path, error=str(exc))) from None
        yield from _parquet_chunks(pf, self.info, self.chunk_bytes, row_groups=[self.group], numbered_in_file=True)

    def learned(self) -> object:
        return None

    def learn(self, lesson: object) -> None:
        return None


def _as_text(arr: object) -> object:
    """A column read as text: bytes that are not UTF-8 keep their escapes (``\\xff``) so the checks report them."""
    import pyarrow as pa

    assert isinstance(arr, pa.Array)
    try:
        return arr.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = [
            None if v is None else v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else str(v)
            for v in arr.to_pylist()
        ]
        return string_array(values)


def arrow_batch_chunk(batch: object, wanted: dict[str, str], file: str, first: int, done: int = 0) -> RawChunk:
    """One Arrow record batch (a Parquet file's, a database query's) as a :class:`RawChunk`.

    Args:
        batch: a ``pyarrow.RecordBatch``.
        wanted: source column name -> canonical column.
        file: the name findings carry; first: the row number of the batch's first row; done: bytes read so far.

    Typed columns (timestamps, dates, integers; floats and decimals in the integer columns) stay typed and go through
    the same checks as text; a zoned timestamp becomes Vietnam wall time (the dossier columns are local time);
    anything else is read as text.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    assert isinstance(batch, pa.RecordBatch)
    cols: dict[str, pa.Array | TextColumn] = {}
    for name, canonical in wanted.items():
        arr = batch.column(name)
        if pa.types.is_dictionary(arr.type) and not (
            canonical in _DICTIONARY_COLUMNS and pa.types.is_string(arr.type.value_type)
        ):  # enumerations, procedure and agency codes are read through their dictionary (tthc.records.columns)
            arr = arr.dictionary_decode()
        if pa.types.is_timestamp(arr.type) and arr.type.tz is not None:
            arr = vietnam_wall_time(arr)  # in seconds: nanoseconds near 2262 would wrap round to 1677
        typed = pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type) or pa.types.is_integer(arr.type)
        if canonical in _INTEGER_COLUMNS and (pa.types.is_floating(arr.type) or pa.types.is_decimal(arr.type)):
            typed = True  # an amount or a count, read by its value (decimal(18,2) 115000.00 is 115000)
        if not typed and not pa.types.is_string(arr.type) and not pa.types.is_dictionary(arr.type):
            arr = _as_text(arr)
        if canonical in _DATETIME_COLUMNS and pa.types.is_string(arr.type) and arr.null_count < len(arr):
            # text dates typed here, in the reading thread, when Arrow's ISO 8601 reading takes every cell — the
            # reading tthc.records.columns tries first on text (the CSV reader does the same); else left as text
            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowNotImplementedError):
                arr = pc.cast(arr, pa.timestamp("s"))
        cols[canonical] = arr
    n = batch.num_rows
    return RawChunk(file, np.arange(first, first + n, dtype=np.int64), cols, (), 0, done)


def open_arrow(batches: Iterable[object], schema: object, name: str, mapping: ColumnMapping) -> RecordStream:
    """Records from Arrow record batches (a DuckDB relation, a polars frame, a database cursor): rows numbered from 1
    in the order given, columns matched like a file header (portal names accepted).

    Raises:
        DataFileError: a required column is missing, or a column holds nested values (lists, structs, maps).
    """
    import pyarrow as pa

    assert isinstance(schema, pa.Schema)
    header = mapping.resolve(schema.names, file=name)
    for canonical, i in header.columns.items():
        if _unsupported(schema.field(i).type):
            raise DataFileError(
                words(
                    _COLUMN_TYPE,
                    path=name,
                    column=repr(schema.names[i]),
                    canonical=canonical,
                    type=str(schema.field(i).type),
                )
            )
    info = StreamInfo(name, "database", 0, header=header)
    wanted = {schema.names[i]: c for c, i in header.columns.items()}

    def chunks() -> Iterator[RawChunk]:
        first = 1
        for batch in batches:
            assert isinstance(batch, pa.RecordBatch)
            yield arrow_batch_chunk(batch, wanted, name, first)
            first += batch.num_rows

    return RecordStream(info, chunks())


def _parquet_chunks(
    pf: object,
    info: StreamInfo,
    chunk_bytes: int,
    row_groups: Sequence[int] | None = None,
    *,
    numbered_in_file: bool = False,
) -> Iterator[RawChunk]:
    """The rows of a Parquet file, row group by row group: a row group that cannot be read (a corrupt page) is
    reported row by row (``E_UNREADABLE_RANGE``, with its row range) and the next one is read. Rows are numbered
    from 1 at the first of ``row_groups``, or as in the whole file (``numbered_in_file``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert isinstance(pf, pq.ParquetFile)
    assert info.header is not None
    names = pf.schema_arrow.names
    wanted = {names[i]: c for c, i in info.header.columns.items()}
    total_rows = max(pf.metadata.num_rows, 1)
    # about chunk_bytes of rows, rounded down to a power of two: a row group of 2**k rows (what writers default to)
    # then splits into whole pieces of the checks (tthc.validation.chunk.CHECK_ROWS), not into a piece and a remnant
    batch_rows = 1 << max(10, (chunk_bytes // 200).bit_length() - 1)

    def convert(batch: pa.RecordBatch, first: int) -> RawChunk:
        done = int(info.size * (first + batch.num_rows - 1) / total_rows)
        return arrow_batch_chunk(batch, wanted, info.file, first, done)

    if type(pf).iter_batches is not pq.ParquetFile.iter_batches:
        # a caller's ParquetFile that chooses its own row groups (older tthc.scale): one pass
        next_row = 1
        for batch in pf.iter_batches(batch_size=batch_rows, columns=list(wanted)):
            yield convert(batch, next_row)
            next_row += batch.num_rows
        return
    groups = range(pf.num_row_groups) if row_groups is None else row_groups
    starts = np.concatenate([[0], np.cumsum([pf.metadata.row_group(g).num_rows for g in range(pf.num_row_groups)])])
    next_row = 1
    for g in groups:
        if numbered_in_file:
            next_row = int(starts[g]) + 1
        group_rows = pf.metadata.row_group(g).num_rows
        end = next_row + group_rows
        try:
            for batch in pf.iter_batches(batch_size=batch_rows, columns=list(wanted), row_groups=[g]):
                chunk = convert(batch, next_row)
                next_row += batch.num_rows
                yield chunk
        except (OSError, pa.ArrowException, ValueError, IndexError) as exc:
            first_in_file = int(starts[g]) + 1
            lost = RowProblem.of(
                info.file,
                next_row,
                "(row)",
                "E_UNREADABLE_RANGE",
                words(
                    N_("row group {group} (rows {first}-{last} of the file) could not be read: {error}"),
                    group=g + 1,
                    first=first_in_file,
                    last=int(starts[g + 1]),
                    error=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                ),
            )
            problems = tuple(attrs.evolve(lost, row=r) for r in range(next_row, end))
            yield RawChunk(info.file, np.zeros(0, dtype=np.int64), {}, problems, 0, 0)
        next_row = end
