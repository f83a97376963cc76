"""What every record reader yields — :class:`RawChunk` (rows as canonical text columns) and :class:`RowProblem`
(a row that could not be read) — and the byte-level helpers the readers share (encoding detection, block splitting).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, Protocol, cast

import attrs
import numpy as np
import numpy.typing as npt

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.i18n import N_, Lang
from tthc.foundation.words import Words, words
from tthc.records.layout import HeaderMap

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "MAX_CHUNK_BYTES",
    "ChunkTask",
    "FileFormat",
    "RawChunk",
    "ReadTask",
    "RecordStream",
    "RowProblem",
    "StreamInfo",
    "check_chunk_bytes",
    "check_delimiter",
    "check_encoding",
    "localize",
    "run_tasks",
]

FileFormat = Literal["csv", "jsonl", "parquet", "database"]
DELIMITERS = (",", ";", "\t", "|")
DEFAULT_CHUNK_BYTES = 16 << 20
MAX_CHUNK_BYTES = 1 << 30
"""The largest ``chunk_bytes`` a reader takes (1 GiB): a chunk's rows, their columns and the checks' arrays take
several times its bytes in memory, so a larger one only fails for lack of memory. A file smaller than
``chunk_bytes`` is read in one block of its own size, never ``chunk_bytes``."""
_SNIFF_BYTES = 64 << 10

TextColumn = list[str | None]
"""A column of text cells (``None`` = empty) when pyarrow is not installed."""


@attrs.frozen(slots=True)
class RowProblem:
    """A row that could not be read or checked: where it is, which field, which code, and why.

    The readers know no language: a problem they report (:meth:`of`) keeps what it says as
    :class:`~tthc.foundation.words.Words` and its message in English; the validator writes the message again in the
    run's language (:meth:`in_language`). Problems are equal when what they show is equal (``said`` is not compared).
    """

    file: str
    row: int
    field: str
    code: str
    message: str
    value: str | None = None
    said: Words | None = attrs.field(default=None, eq=False)
    """What ``message`` says, to word again in another language (None: the message is final)."""

    @classmethod
    def of(cls, file: str, row: int, field: str, code: str, said: Words, value: str | None = None) -> RowProblem:
        """A problem whose message is ``said``, in English until :meth:`in_language`."""
        return cls(file, row, field, code, said.text("en"), value, said)

    def in_language(self, lang: Lang) -> RowProblem:
        """The problem with its message in ``lang`` (a resolved code); itself when there is nothing to word."""
        if self.said is None:
            return self
        return attrs.evolve(self, message=self.said.text(lang))

    def __repr__(self) -> str:
        return f"<{self.code} {self.file}:{self.row} {self.field}: {self.message}>"


def localize(problems: tuple[RowProblem, ...], lang: Lang) -> tuple[RowProblem, ...]:
    """``problems`` with their messages in ``lang`` (see :meth:`RowProblem.in_language`)."""
    if not any(p.said is not None for p in problems):
        return problems
    return tuple(p.in_language(lang) for p in problems)


@attrs.frozen(slots=True)
class RawChunk:
    """A run of rows as canonical text columns.

    Attributes:
        file: the file name the rows come from.
        rows: 1-based data row numbers of the rows in ``columns`` (int64).
        columns: canonical column -> cells: a list of ``str | None`` (no pyarrow), else a pyarrow array — text, or
            already typed where the file or pyarrow's reader types it without loss: timestamps (Parquet; CSV
            datetime columns whose every cell in the block is ISO 8601), integers (Parquet), dictionary-encoded
            text (the enumerations: channel, status ...). :func:`tthc.records.columns.typed_columns` reads them all
            alike.
        problems: rows of this stretch that could not be read (they are not in ``rows``).
        blank_lines: lines of this stretch that hold nothing at all (they are not rows).
        bytes_read: bytes of the file consumed so far (for progress bars).
        continuation_lines: lines of this stretch that continue a record begun on an earlier line (a quoted field
            with line breaks); the record has the row number of its first line.
    """

    file: str
    rows: npt.NDArray[np.int64]
    columns: dict[str, pa.Array | TextColumn]
    problems: tuple[RowProblem, ...] = ()
    blank_lines: int = 0
    bytes_read: int = 0
    continuation_lines: int = 0

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


class ReadTask(Protocol):
    """A stretch of a file that can be read on its own, in this process or in another one (it pickles): a CSV block
    whose records cannot span its edges, a Parquet row group. Running it gives the same chunks wherever it runs."""

    def chunks(self) -> Iterator[RawChunk]:
        """The stretch's chunks, in order, rows numbered as in the whole file."""
        ...

    def learned(self) -> object:
        """What reading taught (to hand to :meth:`learn` of the task as planned, in the planning process)."""
        ...

    def learn(self, lesson: object) -> None:
        """Take what a copy of this task learned when it ran elsewhere (it speeds up the later stretches)."""
        ...


@attrs.define
class RecordStream:
    """An open record file: :attr:`info` is known at once (header errors raise when opening); iterate for chunks.

    :meth:`tasks` gives the same rows as stretches to read elsewhere, where the reader can cut the file so
    (``None`` otherwise): iterating the stream runs them one after the other in this process.
    """

    info: StreamInfo
    _chunks: Iterator[RawChunk]
    _tasks: Iterator[ReadTask] | None = None

    def __iter__(self) -> Iterator[RawChunk]:
        return self._chunks

    def tasks(self) -> Iterator[ReadTask] | None:
        """The file as :class:`ReadTask` objects in file order (use either this or iteration, not both), or ``None``
        when the reader reads in one go (JSON Lines, databases)."""
        return self._tasks


def run_tasks(tasks: Iterator[ReadTask]) -> Iterator[RawChunk]:
    """The chunks of ``tasks``, read here, one after the other."""
    for task in tasks:
        yield from task.chunks()


@attrs.frozen(slots=True)
class ChunkTask:
    """A chunk already read, as a task (a stretch the reader had to read in order, in the planning process)."""

    chunk: RawChunk

    def chunks(self) -> Iterator[RawChunk]:
        yield self.chunk

    def learned(self) -> object:
        return None

    def learn(self, lesson: object) -> None:
        return None


# --------------------------------------------------------------------------------------------------------- text

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {name: bom for bom, name in _BOMS}
_ASCII_PROBE = '\n\r,;|\t"{}[]:-./ 0123456789abcdefxyzABCXYZ'


def check_encoding(encoding: str) -> str:
    """The encoding name, refused up front when Python has no text codec of that name.

    Raises:
        InvalidValueError: unknown, or not a text encoding (``base64``, ``rot13``, ``zip`` ...).
    """
    expected = N_("a Python text codec name such as utf-8, utf-16-le or cp1258")
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise InvalidValueError("encoding", expected, encoding) from None
    # str.encode/bytes.decode refuse the bytes-to-bytes and str-to-str codecs the same way
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidValueError("encoding", expected, encoding)
    return encoding


def check_chunk_bytes(chunk_bytes: object) -> int:
    """``chunk_bytes`` when it is a whole number (an ``int``, not a ``bool``) in 1..:data:`MAX_CHUNK_BYTES`.

    Raises:
        InvalidValueError: naming ``chunk_bytes``, the range and the value given.
    """
    if isinstance(chunk_bytes, bool) or not isinstance(chunk_bytes, int) or not 1 <= chunk_bytes <= MAX_CHUNK_BYTES:
        raise InvalidValueError(
            "chunk_bytes", words(N_("a whole number in {least}..{most}"), least=1, most=MAX_CHUNK_BYTES), chunk_bytes
        )
    return chunk_bytes


def check_delimiter(delimiter: str) -> str:
    """The CSV delimiter, refused up front unless it is one ASCII character other than a quote or a line break: the
    readers split and test lines byte by byte (pyarrow takes one ASCII byte; ``¦`` or ``；`` is two or three bytes in
    UTF-8).

    Raises:
        InvalidValueError: naming ``delimiter``, what it must be and the value given.
    """
    if not isinstance(delimiter, str) or len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
        raise InvalidValueError("delimiter", N_("one ASCII character other than a quote or a line break"), delimiter)
    return delimiter


def _ascii_compatible(encoding: str) -> bool:
    """Whether line breaks, delimiters and quotes are the ASCII bytes in this encoding (so lines can be split before
    decoding); UTF-16/UTF-32 and EBCDIC are not, and are transcoded to UTF-8 first."""
    try:
        return _ASCII_PROBE.encode(encoding) == _ASCII_PROBE.encode("ascii")
    except (UnicodeError, LookupError):
        return False


def _looks_wide(sample: bytes) -> str | None:
    """The UTF-16/UTF-32 variant a BOM-less sample looks like (NUL bytes in a fixed position of each unit)."""
    n = len(sample) - len(sample) % 4
    if n < 8 or sample.count(0) < n // 4:
        return None
    zeros = [sample[k:n:4].count(0) / (n // 4) for k in range(4)]
    if min(zeros[1:]) > 0.9 and zeros[0] < 0.5:
        return "utf-32-le"
    if min(zeros[:3]) > 0.9 and zeros[3] < 0.5:
        return "utf-32-be"
    even, odd = (zeros[0] + zeros[2]) / 2, (zeros[1] + zeros[3]) / 2
    if odd > 0.6 and even < 0.2:
        return "utf-16-le"
    if even > 0.6 and odd < 0.2:
        return "utf-16-be"
    return None


def _detect_encoding(sample: bytes, given: str | None, file: str = "") -> tuple[str, int]:
    """(encoding, length of the byte-order mark to skip).

    With ``given``, a BOM of that very encoding is skipped. Without: a BOM decides (UTF-8/16/32); else UTF-8 when
    the sample decodes, else ``cp1258``. A BOM-less sample with NUL bytes in every other (or every fourth) byte is
    refused with the encoding it looks like rather than read as garbage.

    Raises:
        InvalidValueError: ``given`` names no text codec.
        DataFileError: no ``given``, no BOM, and the sample looks like UTF-16 or UTF-32.
    """
    if given is not None:
        check_encoding(given)
        bom = _BOM_OF.get(codecs.lookup(given).name)
        return given, len(bom) if bom is not None and sample.startswith(bom) else 0
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, len(bom)
    wide = _looks_wide(sample)
    if wide is not None:
        where = f"{file}: " if file else ""
        raise DataFileError(
            words(
                N_(
                    "{where}encoding: expected UTF-8, a byte-order mark or --encoding, got bytes that look like {wide} "
                    "without a BOM (NUL bytes between the characters); pass --encoding {wide}"
                ),
                where=where,
                wide=wide,
            )
        )
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample boundary is not evidence against UTF-8
        if exc.start < len(sample) - 3:
            return "cp1258", 0
    return "utf-8", 0


def _undecodable(exc: UnicodeError) -> tuple[str, int]:
    # a lone surrogate: encoded with surrogatepass it becomes bytes that are not UTF-8, so the line that held the
    # bad bytes is reported as undecodable by the UTF-8 reading that follows
    assert isinstance(exc, UnicodeDecodeError)
    return "\udcff", exc.end


codecs.register_error("tthc.undecodable", _undecodable)


class _Transcoded(io.RawIOBase):
    """A byte stream in a wide encoding (UTF-16, UTF-32, EBCDIC ...) read as UTF-8, so lines can be split on bytes."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)("tthc.undecodable")
        self._buf = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = -1 if size is None else size
        while (want < 0 or len(self._buf) < want) and not self._eof:
            data = self._raw.read(1 << 20)
            self._eof = not data
            text = self._decoder.decode(data, final=self._eof)
            self._buf += text.encode("utf-8", "surrogatepass")
        if want < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:want], self._buf[want:]
        return out

    def close(self) -> None:
        self._raw.close()
        super().close()


def _text_stream(path: Path, encoding: str, skip: int) -> tuple[IO[bytes], str]:
    """The file from byte ``skip`` on, as bytes in which lines can be split, and the encoding of those bytes."""
    fh = path.open("rb")
    if skip:
        fh.read(skip)
    if _ascii_compatible(encoding):
        return fh, encoding
    return cast(IO[bytes], _Transcoded(fh, encoding)), "utf-8"


def _bom_length(info: StreamInfo) -> int:
    """Bytes of the byte-order mark at the start of the file (0 without one)."""
    if not info.bom or info.encoding is None:
        return 0
    return len(_BOM_OF.get(codecs.lookup(info.encoding).name, b""))


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


_UNDECODABLE = N_(
    "expected text in {encoding}, got undecodable bytes {bytes} at byte {at} of the line (pass --encoding to read "
    "the file in another encoding)"
)


def _decode_block(
    block: bytes, encoding: str, file: str, first_row: int, label: str | None = None
) -> tuple[bytes, list[RowProblem], set[int]]:
    """Return the block re-encoded as UTF-8, the problems, and the indexes (0-based within the block) of the lines
    that cannot be decoded. ``label``: the file's encoding as the user knows it (for messages).

    An undecodable line keeps its other characters (the bytes that cannot be decoded become U+FFFD): its quotes and
    delimiters still tell where a quoted cell with line breaks ends, so the lines of the file are read as records
    the same way whatever their bytes (the reader then drops the record and reports it once)."""
    utf8 = _is_utf8(encoding)
    if utf8 and block.isascii():  # the common case, checked without building a str of the whole block
        return block, [], set()
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
                RowProblem.of(
                    file,
                    first_row + i,
                    "(row)",
                    "E_ENCODING",
                    words(
                        _UNDECODABLE, encoding=label or encoding, bytes=repr(line[exc.start : exc.end]), at=exc.start
                    ),
                )
            )
            try:
                decoded = line.decode(encoding, "replace")
            except (UnicodeError, LookupError, ValueError, TypeError):  # a codec of the user's without "replace"
                decoded = ""
            out.append(decoded.encode("utf-8") if utf8 else _nfc_utf8(decoded))
            continue
        out.append(line if utf8 else _nfc_utf8(decoded))
    return b"\n".join(out), problems, bad


def _nfc_utf8(text: str) -> bytes:
    return unicodedata.normalize("NFC", text).encode("utf-8")


def _normalize_eol(data: bytes) -> bytes:
    """CRLF and a lone CR become LF: a line ends at LF, CRLF or CR, as in Python's universal newlines."""
    if b"\r" not in data:
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _iter_blocks(fh: IO[bytes], chunk_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole lines with line ends normalised to LF, and the bytes of the file each block used.

    A block ends at a line end (except possibly the file's last); a line longer than ``chunk_bytes`` makes its
    block longer (the line is read whole, never cut). A CR at the end of what was read is kept for the next block:
    it may be the first half of a CRLF.
    """
    carry = b""
    step = _read_size(fh, chunk_bytes)
    while True:
        data = fh.read(step)
        if not data:
            if carry:
                yield _normalize_eol(carry), len(carry)
            return
        cut = _last_line_end(data)
        if cut >= 0:  # the usual case: the block is the carry and what was read up to its last line end, one copy
            block = b"".join((carry, memoryview(data)[: cut + 1])) if carry else data[: cut + 1]
            used = len(carry) + cut + 1
        else:  # no line end in what was read (a line longer than a block): the carry may still hold one (a CR)
            data = carry + data
            cut = _last_line_end(data)
            if cut < 0:
                carry = data
                continue
            block, used = data[: cut + 1], cut + 1
        carry = data[cut + 1 :]
        yield _normalize_eol(block), used


def _read_size(fh: IO[bytes], chunk_bytes: int) -> int:
    """How much :func:`_iter_blocks` asks of ``fh`` at a time: ``chunk_bytes``, or what is left of a regular file when
    that is less (at least :data:`_SNIFF_BYTES`, should the file grow) — ``read(n)`` allocates ``n`` bytes before it
    reads, whatever the file holds."""
    try:
        st = os.fstat(fh.fileno())
        left = st.st_size - fh.tell()
    except (AttributeError, OSError, ValueError):  # no file number (a window, a transcoding stream): as given
        return chunk_bytes
    if not stat.S_ISREG(st.st_mode):
        return chunk_bytes
    return min(chunk_bytes, max(left + 1, _SNIFF_BYTES))


def _last_line_end(data: bytes) -> int:
    """The place of the last LF or CR of ``data`` (-1: none), a CR at the very end left out: it may be the first
    half of a CRLF whose LF is still to be read."""
    end = len(data) - 1 if data.endswith(b"\r") else len(data)
    return max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end))


def _split_lines(data: bytes) -> list[bytes]:
    """The lines of a normalised block (without their LF; a final LF ends the last line, it starts none)."""
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    return lines


def _line_count(data: bytes) -> int:
    """How many lines :func:`_split_lines` finds in a normalised block, without splitting it."""
    # numpy compares a stretch at a time (the comparison's result stays small): about twice bytes.count
    arr = np.frombuffer(data, dtype=np.uint8)
    step = _COUNT_STEP
    ends = sum(int(np.count_nonzero(arr[i : i + step] == _LF)) for i in range(0, len(arr), step))
    return ends + (0 if data.endswith(b"\n") else 1)


_COUNT_STEP = 1 << 20
_LF = np.uint8(ord("\n"))


_BLANK_AFTER_LF = re.compile(rb"\n[ \t]*(?=\n|\Z)")


def _blank_lines(data: bytes, n_lines: int) -> set[int]:
    """The indexes of the lines of a normalised block that :func:`_is_blank` calls blank, found by one regex scan of
    the block (in C) rather than by a Python call per line."""
    first_end = data.find(b"\n")
    blank = {0} if n_lines and _is_blank(data if first_end < 0 else data[:first_end]) else set()
    line = at = 0
    for m in _BLANK_AFTER_LF.finditer(data):
        # the match starts at the LF before a blank line: that line's index is the number of LFs up to it
        end = m.start() + 1
        line += data.count(b"\n", at, end)
        at = end
        if line < n_lines:  # not the empty "line" after the block's final LF
            blank.add(line)
    return blank


def _is_blank(line: bytes | str) -> bool:
    """A line that holds nothing but spaces and tabs: not a row (counted as a blank line)."""
    if isinstance(line, bytes):
        return not line.strip(b" \t")
    return not line.strip(" \t")
