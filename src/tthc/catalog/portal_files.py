"""Reading portal exports line by line: JSON Lines, gzip-compressed or not, every line accounted for."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import attrs

from tthc.errors import DataFileError

__all__ = ["RawRecord", "decode_line", "read_portal_jsonl"]


@attrs.frozen(slots=True)
class RawRecord:
    """One input line before it is understood: where it comes from, and either its JSON object or why not."""

    source: str | None
    row: int  # 1-based line number in ``source`` (or position in the input)
    data: object = None
    error: str | None = None
    text: str = ""


def read_portal_jsonl(path: str | Path) -> Iterator[RawRecord]:
    """Read a portal export in JSON Lines (``.gz`` compressed or not), one :class:`RawRecord` per line.

    Lines that are blank, not UTF-8 or not a JSON object come out as records with an ``error`` (never skipped); a
    corrupt or truncated gzip stream ends with one record saying after which line the file became unreadable.

    Raises:
        DataFileError: the file cannot be opened (missing, no permission).
    """
    p = Path(path)
    src = str(p)
    try:
        fh = gzip.open(p, "rb") if p.suffix == ".gz" else p.open("rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise DataFileError(f"{p}: cannot open ({exc.strerror or exc})") from None
    with fh:
        lineno = 0
        try:
            for lineno, raw in enumerate(fh, 1):
                yield decode_line(src, lineno, raw)
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip stream
            yield RawRecord(src, lineno + 1, error=f"file unreadable after line {lineno}: {exc}")


def decode_line(source: str | None, lineno: int, raw: bytes | str) -> RawRecord:
    if isinstance(raw, bytes):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return RawRecord(
                source,
                lineno,
                error=f"encoding: expected UTF-8, got undecodable byte 0x{raw[exc.start]:02x} at offset {exc.start}",
                text=raw.decode("utf-8", "replace")[:200],
            )
    else:
        text = raw
    if not text.strip():
        return RawRecord(source, lineno, error="blank line", text="")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRecord(source, lineno, error=f"JSON: invalid at column {exc.colno}: {exc.msg}", text=text[:200])
    if not isinstance(data, dict):
        return RawRecord(source, lineno, error=f"JSON: expected an object, got {type(data).__name__}", text=text[:200])
    return RawRecord(source, lineno, data=data, text="")
