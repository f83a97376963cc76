"""Reading portal exports line by line: JSON Lines, gzip-compressed or not, every line accounted for."""

from __future__ import annotations

import gzip
import os
import re
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import attrs

from tthc.errors import DataFileError
from tthc.foundation.data_files import GZIP_MAGIC, GZIP_MAX_RATIO, GZIP_RATIO_GRACE_BYTES, as_file_path, try_parse_json
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words

__all__ = ["MAX_DECOMPRESSED_BYTES", "MAX_RATIO", "RawRecord", "decode_line", "read_portal_jsonl", "read_portal_lines"]


@attrs.frozen(slots=True)
class RawRecord:
    """One input line before it is understood: where it comes from, and either its JSON object or why not.

    ``error`` is in English; ``said`` keeps what it says, to word in the reader's language (:meth:`failed`).
    """

    source: str | None
    row: int  # 1-based line number in ``source`` (or position in the input)
    data: object = None
    error: str | None = None
    text: str = ""
    said: Words | None = attrs.field(default=None, eq=False, repr=False)
    no_control_escape: bool = attrs.field(default=False, eq=False, repr=False)
    """The line held no JSON escape of a C0 control character (``\\u0000``-``\\u001f``, ``\\b``, ``\\f``), so no
    text of ``data`` holds one and the importer need not look (a JSON text holds such a character only escaped)."""

    @classmethod
    def failed(cls, source: str | None, row: int, said: Words, text: str = "") -> RawRecord:
        """A line that could not be read, and why (``error`` is ``said`` in English)."""
        return cls(source, row, error=said.text("en"), text=text, said=said)


MAX_DECOMPRESSED_BYTES = 4 << 30
"""Default bound on what a ``.gz`` export may decompress to (4 GiB; the national catalog is a few hundred MiB)."""
MAX_RATIO = GZIP_MAX_RATIO
"""Default bound on decompressed / compressed size, checked once more than :data:`RATIO_GRACE_BYTES` came out: the
bound of every gzip input (:data:`tthc.foundation.data_files.GZIP_MAX_RATIO`)."""
RATIO_GRACE_BYTES = GZIP_RATIO_GRACE_BYTES
_READ = 1 << 20


def read_portal_jsonl(
    path: str | Path, *, max_decompressed_bytes: int = MAX_DECOMPRESSED_BYTES, max_ratio: float = MAX_RATIO
) -> Iterator[RawRecord]:
    """Read a portal export in JSON Lines (gzip-compressed or not: told by its first bytes), one record per line.

    A line ends at LF, CRLF or a lone CR alike (Python's universal newlines), wherever the reads cut the file.

    Lines that are blank, not UTF-8 or not a JSON object come out as records with an ``error`` (never skipped); a
    corrupt or truncated gzip stream ends with one record saying after which line the file became unreadable.

    A ``.gz`` file is decompressed as it is read, within bounds: at most ``max_decompressed_bytes``, and — once more
    than 64 MiB came out — at most ``max_ratio`` times the compressed size. Beyond either, reading stops with a
    :class:`DataFileError` (a decompression bomb is reported, not followed until memory runs out); a single line
    is never held beyond the bound either.

    Raises:
        DataFileError: the file cannot be opened (missing, no permission), or it decompresses beyond the bounds.
    """
    src = str(as_file_path(path))
    for lineno, line in read_portal_lines(path, max_decompressed_bytes=max_decompressed_bytes, max_ratio=max_ratio):
        yield line if isinstance(line, RawRecord) else decode_line(src, lineno, line)


def read_portal_lines(
    path: str | Path, *, max_decompressed_bytes: int = MAX_DECOMPRESSED_BYTES, max_ratio: float = MAX_RATIO
) -> Iterator[tuple[int, bytes | RawRecord]]:
    """:func:`read_portal_jsonl` without decoding: each line as ``(line number, its bytes)``, and a corrupt or
    truncated gzip stream as a last ``(line, RawRecord)`` saying why (the bounds and errors are the same).

    :func:`decode_line` makes the record of a line: the importer's worker processes decode the lines they are given.
    """
    p = as_file_path(path)
    src = str(p)
    try:
        raw = p.open("rb")  # closed by the with below
        try:
            st = os.fstat(raw.fileno())
            # gzip is told by its first bytes, not by the name: EXPORT.JSONL.GZ, a pipe (peek reads without consuming)
            gz = raw.peek(2)[:2] == GZIP_MAGIC
        except OSError:
            raw.close()
            raise
    except OSError as exc:
        raise DataFileError(
            words(N_("{path}: cannot open ({reason})"), path=str(p), reason=exc.strerror or str(exc))
        ) from None
    fh = gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw
    # the ratio is judged where the compressed size is known (a regular file; a pipe has none)
    compressed = st.st_size if stat.S_ISREG(st.st_mode) else None
    out = 0

    def check(lineno: int) -> None:
        if not gz:
            return
        if out > max_decompressed_bytes or (
            compressed is not None and out > RATIO_GRACE_BYTES and out > max_ratio * max(compressed, 1)
        ):
            raise DataFileError(
                words(
                    N_(
                        "{path}: expected a gzip export within {bound} bytes and {ratio} times its compressed size "
                        "({compressed} bytes), got more than {size} bytes by line {line} — a decompression bomb or a "
                        "wrong file (raise max_decompressed_bytes / max_ratio if it is genuine)"
                    ),
                    path=str(p),
                    bound=max_decompressed_bytes,
                    ratio=f"{max_ratio:g}",
                    compressed=compressed if compressed is not None else "?",
                    size=out,
                    line=lineno,
                )
            )

    with raw, fh:
        lineno = 0
        parts: list[bytes] = []  # the pieces read of a line whose end is not read yet
        cr = False  # the line in ``parts`` ended in CR: an LF starting the next piece belongs to it (CRLF)
        try:
            while True:
                # up to LF (or _READ bytes): a line ending in LF or CRLF, and holding no other CR, is one line as
                # read (the usual export: one memchr of it more than before); anything else is split below
                piece = fh.readline(_READ)
                if not piece:
                    break
                out += len(piece)
                check(lineno + 1)
                if not parts:
                    cr_at = piece.find(b"\r")
                    if (cr_at < 0 or cr_at == len(piece) - 2) and piece[-1:] == b"\n":
                        lineno += 1
                        yield lineno, piece
                        continue
                # CR, LF and CRLF end a line alike (bytes.splitlines knows no other line end)
                lines = piece.splitlines(keepends=True)
                first = 0
                if cr:  # the line before ended in CR: it ends here, with this LF when there is one
                    if piece[:1] == b"\n":
                        parts.append(lines[0])
                        first = 1
                    lineno += 1
                    yield lineno, b"".join(parts)
                    parts, cr = [], False
                last = len(lines) - 1
                for i in range(first, last + 1):  # each ends with its line end, but perhaps the last
                    line = lines[i]
                    if i == last and line[-1:] != b"\n":  # not ended yet, or in CR an LF may follow in the next piece
                        parts.append(line)  # joined once, when its end is read
                        cr = line[-1:] == b"\r"
                        break
                    if parts:
                        line = b"".join([*parts, line])
                        parts = []
                    lineno += 1
                    yield lineno, line
            if parts:
                lineno += 1
                yield lineno, b"".join(parts)
        except (OSError, EOFError, zlib.error) as exc:  # a truncated or corrupt gzip stream
            said = words(N_("file unreadable after line {line}: {problem}"), line=lineno, problem=str(exc))
            yield lineno + 1, RawRecord.failed(src, lineno + 1, said)


def decode_line(source: str | None, lineno: int, raw: bytes | str) -> RawRecord:
    if isinstance(raw, bytes):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            said = words(
                N_("encoding: expected UTF-8, got undecodable byte {byte} at offset {offset}"),
                byte=f"0x{raw[exc.start]:02x}",
                offset=exc.start,
            )
            return RawRecord.failed(source, lineno, said, raw.decode("utf-8", "replace")[:200])
    else:
        text = raw
    if not text or text.isspace():  # (not text.strip(): no copy of a long line)
        return RawRecord.failed(source, lineno, _BLANK)
    # the one JSON reader of the library: NaN, huge integers, NUL characters, deep nesting and half a surrogate pair
    # are this line's finding
    data, problem = try_parse_json(text, in_line=True)
    if problem is not None:
        # the problem is worded by the JSON reader (tthc.foundation.data_files), in English
        return RawRecord.failed(source, lineno, words(N_("JSON: {problem}"), problem=problem), text[:200])
    if not isinstance(data, dict):
        said = words(N_("JSON: expected an object, got {type}"), type=type(data).__name__)
        return RawRecord.failed(source, lineno, said, text[:200])
    # (one search of the line, ≈ 5 % of reading it and < 2 % of an import; the importer walks the values of the
    # few records it finds one in — walking every record would cost half as much as reading it)
    return RawRecord(source, lineno, data=data, text="", no_control_escape=_CONTROL_ESCAPE.search(text) is None)


_CONTROL_ESCAPE = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bf]")
"""A JSON escape that may decode to a C0 control character (a false alarm — an escaped backslash before ``b``, a
``\\u000a`` — costs only a look at the record's values)."""
_BLANK = words(N_("blank line"))
