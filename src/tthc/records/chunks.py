"""What every record reader yields — :class:`RawChunk` (rows as canonical text columns) and :class:`RowProblem`
(a row that could not be read) — and the byte-level helpers the readers share (encoding detection, block splitting).
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.errors import InvalidValueError
from tthc.records.model import REQUIRED_COLUMNS, HeaderMap

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FileFormat", "RawChunk", "RecordStream", "RowProblem", "StreamInfo"]

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


@attrs.define
class RecordStream:
    """An open record file: :attr:`info` is known at once (header errors raise when opening); iterate for chunks."""

    info: StreamInfo
    _chunks: Iterator[RawChunk]

    def __iter__(self) -> Iterator[RawChunk]:
        return self._chunks


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
