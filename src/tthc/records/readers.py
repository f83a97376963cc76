"""Streaming readers for dossier record files: CSV, JSON Lines and Parquet, in chunks of raw columns.

Every reader yields :class:`RawChunk` objects: the canonical columns of a run of rows (``None`` = empty; as text,
or typed where that loses nothing — see :attr:`RawChunk.columns`),
the 1-based **data row number** of each row, and the rows that could not be read at all (wrong number of fields,
undecodable bytes, a JSON line that is not an object) as :class:`RowProblem`. Together they account for every line
of the file: ``len(chunk.rows) + len(chunk.problems) + chunk.blank_lines`` is the number of lines the chunk covers.

Row numbers: in CSV and JSON Lines, row *n* is the *n*-th line after the header (for JSON Lines, the *n*-th line),
blank lines included — open the file in an editor and go to line *n* + 1 (CSV) or *n* (JSON Lines). A line ends at
LF, CRLF or a lone CR. A quoted CSV field may hold line breaks (RFC 4180): the record gets the number of its first
line and the rows after it keep the numbers of their own lines; a quote that does not close into a well-formed
record is reported as one malformed row (its first line) and reading resumes on the next line — never merged. In
Parquet, row *n* is the *n*-th row of the file. Details in :mod:`tthc.records.csv_reader`.

Encodings: UTF-8 with or without BOM, UTF-16 and UTF-32 with a BOM, Windows-1258 (``cp1258``, common in older
Vietnamese systems) and anything Python can decode. Without ``encoding`` the reader follows the BOM, else tries UTF-8
on the first 64 KiB and falls back to ``cp1258``; a BOM-less file that looks like UTF-16/UTF-32 (NUL bytes between
the characters) is refused with the encoding to pass. The choice is in :attr:`StreamInfo.encoding`. The delimiter is
detected among ``, ; TAB |`` from the header (the one that yields the most known column names).

The CSV and JSON Lines readers use pyarrow when it is installed (extra ``data``) and the standard library otherwise;
Parquet needs pyarrow.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tthc.errors import DataFileError, InvalidValueError, MissingExtraError
from tthc.foundation.data_files import as_file_path
from tthc.foundation.error_words import PydanticWords
from tthc.foundation.i18n import N_
from tthc.foundation.output_files import file_identity
from tthc.foundation.words import Words, words
from tthc.records.chunks import (
    DEFAULT_CHUNK_BYTES,
    FileFormat,
    RawChunk,
    RecordStream,
    RowProblem,
    StreamInfo,
    _have_pyarrow,
    check_chunk_bytes,
    check_delimiter,
    check_encoding,
)
from tthc.records.csv_reader import open_csv
from tthc.records.formats import open_jsonl, open_parquet
from tthc.records.layout import ColumnMapping

if TYPE_CHECKING:
    from tthc.records.model import DossierRecord

__all__ = [
    "FileFormat",
    "RawChunk",
    "RecordStream",
    "RowProblem",
    "StreamInfo",
    "distinct_files",
    "iter_records",
    "open_records",
]

_Source = TypeVar("_Source")


def distinct_files(sources: Iterable[_Source]) -> list[_Source]:
    """``sources`` in their order, each file once: a path naming the same file as a path before it — the same
    device and inode (:func:`os.stat` follows symlinks), so the same name twice, another spelling of it, a symlink or a
    hard link to it — is left out, so that its rows are not read (and counted, and reported as repeats of themselves)
    twice. Two files holding the same bytes are two files. Anything else (an open stream, a database source, a path
    that cannot be looked up, which the reader then refuses) is kept as given."""
    seen: set[tuple[int, int]] = set()
    out: list[_Source] = []
    for source in sources:
        # a path that names no file (missing, unreadable, a NUL in it) is kept: the reader says what is wrong
        key = file_identity(source) if isinstance(source, str | os.PathLike) else None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(source)
    return out


def _guess_format(path: Path) -> FileFormat:
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"


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
        chunk_bytes: about how many bytes of text each chunk holds (memory stays flat as the file grows): 1 to
            :data:`~tthc.records.chunks.MAX_CHUNK_BYTES` (1 GiB).
        use_pyarrow: force (``True``) or avoid (``False``) pyarrow for CSV and JSON Lines; default: use it when
            installed.

    Raises:
        DataFileError: the file is missing, empty, looks like UTF-16/UTF-32 without a BOM, or its header lacks a
            required column (named in the message).
        InvalidValueError: ``encoding`` names no text codec, ``delimiter`` is not one ASCII character other than a
            quote or a line break, or ``chunk_bytes`` is not a whole number from 1 to
            :data:`~tthc.records.chunks.MAX_CHUNK_BYTES` (checked before the file is opened).
        MissingExtraError: a Parquet file and pyarrow is not installed.
    """
    check_chunk_bytes(chunk_bytes)
    if delimiter is not None:
        check_delimiter(delimiter)  # before the file is looked at
    p = as_file_path(path)
    try:
        found = p.is_file()
    except OSError as exc:  # a name too long for the file system, a permission denied on a folder
        raise DataFileError(
            words(N_("{path}: cannot open ({reason})"), path=f"{str(p)!r:.120}", reason=exc.strerror or str(exc))
        ) from None
    if not found:
        raise DataFileError(words(N_("{path}: record file not found"), path=str(p)))
    if encoding is not None:
        check_encoding(encoding)
    fmt = format or _guess_format(p)
    m = mapping or ColumnMapping.default()
    arrow = _have_pyarrow() if use_pyarrow is None else use_pyarrow
    if use_pyarrow and not _have_pyarrow():
        raise MissingExtraError("data", "pyarrow")
    if fmt == "parquet":
        return open_parquet(p, m, chunk_bytes)
    if fmt == "jsonl":
        return open_jsonl(p, m, encoding, chunk_bytes)
    if fmt == "csv":
        return open_csv(p, m, encoding, delimiter, chunk_bytes, arrow)
    raise InvalidValueError("format", N_("csv | jsonl | parquet"), fmt)


def iter_records(
    path: str | Path, *, skip_invalid: bool = False, **options: object
) -> Iterator[tuple[int, DossierRecord]]:
    """Row by row, as :class:`~tthc.records.model.DossierRecord` objects: ``(row number, record)``.

    Convenient for small files and for code that wants pydantic objects; for volume use :func:`open_records` and
    :func:`tthc.validation.validate_chunk`. Takes the options of :func:`open_records`.

    Raises:
        InvalidValueError: a row cannot be read or fails the model (the message names the file, the row and the
            field), unless ``skip_invalid``.
    """
    from pydantic import ValidationError

    from tthc.records.model import DossierRecord

    stream = open_records(path, **options)  # type: ignore[arg-type]
    for chunk in stream:
        if chunk.problems and not skip_invalid:
            p = chunk.problems[0]
            raise InvalidValueError(_place(p.file, p.row), N_("a readable row"), p.value, detail=p.said or p.message)
        names = list(chunk.columns)
        cols = [c if isinstance(c, list) else c.to_pylist() for c in chunk.columns.values()]
        for k, row in enumerate(chunk.rows.tolist()):
            data = {n: col[k] for n, col in zip(names, cols, strict=True) if col[k] is not None}
            try:
                yield row, DossierRecord.model_validate(data)
            except (ValidationError, ValueError) as exc:
                if skip_invalid:
                    continue
                english = str(exc).splitlines()[0]  # pydantic's count of errors ("1 validation error for ...")
                first = exc.errors()[0] if isinstance(exc, ValidationError) and exc.errors() else None
                if first is None:
                    raise InvalidValueError(
                        _place(chunk.file, row), N_("a valid dossier record"), data, detail=english
                    ) from None
                raise InvalidValueError(
                    _place(chunk.file, row, ".".join(str(x) for x in first["loc"])),
                    N_("a valid dossier record"),
                    data,
                    detail=PydanticWords(first, english, framed=True),  # in Vietnamese, what the field expected
                ) from None


def _place(file: str, row: int, field: str = "") -> Words:
    """A row of a record file (and its field), worded: ``r.csv: row 2 fee_vnd`` / ``r.csv: dòng 2, trường fee_vnd``."""
    if field:
        return words(N_("{file}: row {row} {field}"), file=file, row=row, field=field)
    return words(N_("{file}: row {row}"), file=file, row=row)
