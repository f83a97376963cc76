"""Access to the bundled, cited data files in ``tthc/data/``, and the one reader of JSON inputs.

Every JSON input of the library — bundled data, a user's data-file option (reductions, tariffs, discounts, fee
schedules, the column mapping, KPI thresholds, record rules, the schedule), a catalog file, a line of a portal export —
goes through :func:`parse_json_text` (or :func:`read_json_file`, which reads a file and calls it). Whatever the bytes,
the result is a plain JSON value or a :class:`~tthc.errors.DataFileError` naming the file, the line and the field:

* a file may be gzip-compressed (told by its first bytes, whatever its name), and is decompressed within a bound
  (:data:`GZIP_MAX_RATIO` times its compressed size, past :data:`GZIP_RATIO_GRACE_BYTES`): a truncated or corrupt
  stream and a decompression bomb are refused naming the file;
* UTF-8 (a UTF-8 byte-order mark is skipped); UTF-16 and UTF-32 *with* a byte-order mark are decoded; bytes that
  look like UTF-16/32 without one, and bytes that are not UTF-8, are refused with the encoding they look like;
* ``NaN``, ``Infinity`` and numbers too large for a float (``1e999``) are refused: they are not JSON (RFC 8259 §6);
* a NUL byte in the text is refused with its line and column (an escaped ``\\u0000`` inside a string is JSON and is
  kept: a catalog written by :meth:`~tthc.catalog.Catalog.dump` always reads back);
* half of a surrogate pair (``\\ud800`` alone: JSON's grammar takes any ``\\u`` escape) is refused: it is no text,
  and nothing holding it could be written out in UTF-8 (a catalog, a report);
* integers outside the signed 64-bit range and nesting deeper than :data:`MAX_JSON_DEPTH` levels are refused with the
  field path where they were found, before any loader sees them.

What is wrong with a JSON text is worded here, once, for every reader (:func:`try_parse_json`, and the record reader's
own line parser through :func:`decoder_reason`): English in ``str(exc)``, the reader's language where it is shown
(the decoder's "Expecting ',' delimiter" reads "thiếu dấu phân cách ','"; an unknown decoder message stays as
Python wrote it).
"""

from __future__ import annotations

import codecs
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.error_words import ErrorWords, PydanticWords
from tthc.foundation.i18n import N_
from tthc.foundation.words import Worded, words

if TYPE_CHECKING:
    from pydantic import BaseModel

    from tthc.foundation.data_value import DataValue

__all__ = [
    "GZIP_MAGIC",
    "GZIP_MAX_RATIO",
    "GZIP_RATIO_GRACE_BYTES",
    "LONE_SURROGATE",
    "MAX_JSON_DEPTH",
    "MAX_JSON_INT",
    "as_file_path",
    "bundled_path",
    "decoder_reason",
    "iter_json_lines",
    "load_json",
    "lone_surrogate",
    "parse_json_text",
    "read_json_file",
    "try_parse_json",
    "validate_data",
]

M = TypeVar("M", bound="BaseModel | DataValue")

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a JSON input (the deepest data file has six levels)."""

MAX_JSON_INT = 2**63 - 1
"""Largest magnitude of a JSON integer accepted: every count and amount must fit a signed 64-bit column."""

GZIP_MAGIC = b"\x1f\x8b"
"""The first bytes of a gzip stream: how a compressed input is told (its name may say anything)."""
GZIP_MAX_RATIO = 100
"""Bound on decompressed / compressed size of a gzip input, judged once more than :data:`GZIP_RATIO_GRACE_BYTES`
came out (JSON compresses 5-20 times; a decompression bomb, thousands of times)."""
GZIP_RATIO_GRACE_BYTES = 64 << 20

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The folder of the bundled data files, beside the package's modules (the package is installed as files, which
the readers open by path; ``importlib.resources`` loaded its readers and ``zipfile`` at every start and resolved
the package again on each call: ≈ 25 ms of ``tthc validate --sample``, docs/performance.md)."""


def bundled_path(name: str) -> Path:
    """The path of a bundled data file (``tthc/data/<name>``)."""
    return _DATA_DIR / name


@cache
def load_json(name: str) -> Any:
    """Load a bundled JSON data file (cached: bundled files do not change while the process runs).

    Callers must not mutate the result.
    """
    return read_json_file(bundled_path(name))


def as_file_path(path: object, field: str = "path") -> Path:
    """``path`` as a :class:`~pathlib.Path`.

    Raises:
        InvalidValueError: ``path`` is not a ``str`` or ``os.PathLike`` of text, or it holds a NUL character.
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidValueError(field, N_("a file path (str or os.PathLike)"), path)
    try:
        out = Path(path)
    except TypeError:  # a PathLike whose __fspath__ returns bytes
        raise InvalidValueError(field, N_("a file path (str or os.PathLike)"), path) from None
    if "\x00" in str(out):  # the OS cannot name such a file; open() would raise a bare ValueError
        raise InvalidValueError(field, N_("a file path without a NUL character"), f"{str(out)!r:.80}")
    return out


def _read_bytes(path: object) -> tuple[Path, bytes]:
    p = as_file_path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataFileError(words(N_("{path}: data file not found"), path=str(p))) from None
    except IsADirectoryError:
        raise DataFileError(words(N_("{path}: expected a file, got a directory"), path=str(p))) from None
    except OSError as exc:  # the system's own reason, as it gives it
        raise DataFileError(
            words(N_("{path}: cannot read ({reason})"), path=str(p), reason=exc.strerror or exc)
        ) from None
    except ValueError as exc:  # a NUL character in the path
        raise DataFileError(
            words(N_("path: expected a file path, got {given} ({reason})"), given=f"{str(p)!r:.80}", reason=str(exc))
        ) from None
    return p, _gunzipped(p, data) if data[:2] == GZIP_MAGIC else data


def _gunzipped(p: Path, data: bytes) -> bytes:
    """The content of a gzip file, within :data:`GZIP_MAX_RATIO` times its size (past the grace bytes)."""
    import gzip  # only for a compressed input: not on every command's start
    import io
    import zlib

    bound = max(GZIP_RATIO_GRACE_BYTES, GZIP_MAX_RATIO * len(data))
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as fh:
            out = fh.read(bound + 1)
    except (OSError, EOFError, zlib.error) as exc:  # cut short, or not gzip after its first two bytes
        raise DataFileError(
            words(N_("{path}: expected a complete gzip file, got {reason}"), path=str(p), reason=str(exc) or "EOF")
        ) from None
    if len(out) > bound:
        raise DataFileError(
            words(
                N_(
                    "{path}: expected a gzip file within {ratio} times its compressed size ({size} bytes), got more "
                    "than {bound} bytes out of it — a decompression bomb or a wrong file"
                ),
                path=str(p),
                ratio=GZIP_MAX_RATIO,
                size=len(data),
                bound=bound,
            )
        )
    return out


def read_json_file(path: str | Path) -> Any:
    """Read a JSON file (the whole file is one document).

    Raises:
        DataFileError: naming the file and what is wrong — missing, unreadable, not UTF-8 (or UTF-16/32 with a BOM),
            not JSON (with line and column), or a value :func:`parse_json_text` refuses (with its field path).
    """
    p, data = _read_bytes(path)
    return parse_json_text(data, str(p))


def iter_json_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Read a JSON Lines file: ``(line number, value)`` for each line that is not blank.

    Raises:
        DataFileError: as :func:`read_json_file`, naming the line.
    """
    p, data = _read_bytes(path)
    text = _decode(data, str(p))
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield lineno, parse_json_text(line, str(p), line=lineno)


def _decode(data: bytes, where: object) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                said = words(_AFTER_BOM, where=where, encoding=encoding.upper(), offset=exc.start + len(bom))
                raise DataFileError(said) from None
    wide = _looks_wide(data)
    if wide is not None:
        raise DataFileError(words(_LOOKS_WIDE, where=where, encoding=wide))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        said = words(_NOT_UTF8, where=where, byte=f"0x{data[exc.start]:02x}", offset=exc.start)
        raise DataFileError(said) from None


_AFTER_BOM = N_("{where}: expected {encoding} text after its byte-order mark, got undecodable bytes at offset {offset}")
_LOOKS_WIDE = N_(
    "{where}: expected UTF-8 text, got bytes that look like {encoding} without a byte-order mark (NUL bytes between "
    "the characters); save the file as UTF-8"
)
_NOT_UTF8 = N_("{where}: expected UTF-8 text, got undecodable byte {byte} at offset {offset}")


def _looks_wide(data: bytes) -> str | None:
    """The wide encoding a BOM-less sample of ASCII-range JSON looks like (NUL in every other / fourth byte)."""
    head = data[:64]
    if len(head) < 4 or b"\x00" not in head[:4]:
        return None
    if head[0] == 0 and head[1] == 0:
        return "UTF-32-BE"
    if head[2] == 0 and head[3] == 0 and head[0] != 0:
        return "UTF-32-LE"
    if head[0] == 0:
        return "UTF-16-BE"
    if head[1] == 0:
        return "UTF-16-LE"
    return None


class _NotJson:
    """A token Python's reader accepts but JSON does not (``NaN``, ``Infinity``, ``1e999``), found by the walk."""

    __slots__ = ("shown", "text")

    def __init__(self, text: str, shown: object = None) -> None:
        next(_REFUSALS)  # told to try_parse_json: a decode that made none needs no walk for one
        self.text = text
        self.shown = text if shown is None else shown


_REFUSALS = itertools.count()
"""Ticks once for every :class:`_NotJson` made, by any decode (``next`` of a count is one atomic step): a decode that
made one always sees it move; a tick from another thread only costs this decode the walk."""


def _parse_float(text: str) -> float | _NotJson:
    value = float(text)
    return value if math.isfinite(value) else _NotJson(text)


def _parse_int(text: str) -> int | _NotJson:
    # longer than any int64 (19 digits and a sign): refused before int() is asked to convert thousands of digits
    if len(text) > 20:
        return _NotJson(text[:12], words(N_("{start}… ({n} digits)"), start=text[:12], n=len(text.lstrip("-"))))
    value = int(text)
    return value if -MAX_JSON_INT - 1 <= value <= MAX_JSON_INT else _NotJson(text)


_DECODER = json.JSONDecoder(parse_float=_parse_float, parse_int=_parse_int, parse_constant=_NotJson)


def parse_json_text(text: str | bytes, source: str, *, line: int | None = None) -> Any:
    """Parse one JSON document, refusing what is not portable JSON (see the module docstring).

    Args:
        text: the document (bytes are decoded as :func:`read_json_file` does).
        source: the file (or other origin) named in errors.
        line: the line number of a JSON Lines record, named in errors.

    Raises:
        DataFileError: ``<source>: [line N: ]<where>: expected ..., got ...`` (worded: ``said``).
    """
    where = words(_SOURCE_LINE, source=source, line=line) if line is not None else source
    if isinstance(text, bytes | bytearray):
        text = _decode(bytes(text), where)
    elif not isinstance(text, str):
        raise DataFileError(words(N_("{where}: expected JSON text, got {type}"), where=where, type=type(text).__name__))
    value, problem = try_parse_json(text, in_line=line is not None)
    if problem is not None:
        if line is None:
            raise DataFileError(words(_IN_FILE, source=source, problem=problem))
        raise DataFileError(words(_IN_LINE, source=source, line=line, problem=problem))
    return value


_SOURCE_LINE = N_("{source}: line {line}")
_IN_FILE = N_("{source}: {problem}")
_IN_LINE = N_("{source}: line {line}: {problem}")


def try_parse_json(text: str, *, in_line: bool = False) -> tuple[Any, Worded | None]:
    """:func:`parse_json_text` for callers that report rather than raise (one line of an export is one finding).

    Returns:
        ``(value, None)``, or ``(None, problem)`` where ``problem`` says where and what, without the source, worded
        in any language (``problem.text("en")``: ``"expected JSON, invalid at line 3 column 7: Expecting ','
        delimiter"``; only the column when ``in_line``).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        column = nul - text.rfind("\n", 0, nul)
        if in_line:
            return None, words(_NUL_AT_COLUMN, column=column)
        line = text.count("\n", 0, nul) + 1
        return None, words(_NUL_AT_LINE, line=line, column=column)
    before = next(_REFUSALS)
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        if in_line:
            return None, words(_INVALID_AT_COLUMN, column=exc.colno, reason=decoder_reason(exc))
        return None, words(_INVALID_AT_LINE, line=exc.lineno, column=exc.colno, reason=decoder_reason(exc))
    except RecursionError:
        return None, words(_TOO_DEEP, depth=MAX_JSON_DEPTH)
    problem = _check_values(value, refused=next(_REFUSALS) != before + 1)
    if problem is None and _SURROGATE_ESCAPE.search(text) is not None and lone_surrogate(value):
        problem = words(LONE_SURROGATE)
    return (None, problem) if problem is not None else (value, None)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A surrogate's escape (U+D800-U+DFFF) in the raw text: rare (an emoji is a pair of them), so the exact test
(:func:`lone_surrogate`) runs on few texts."""
LONE_SURROGATE = N_("expected text, got a lone surrogate escape (\\ud800-\\udfff)")
"""What :func:`try_parse_json` says of half a surrogate pair (and the importer of one decoded from a nested value)."""


def lone_surrogate(value: object) -> bool:
    """Whether ``value`` (a JSON value, or any value Python's JSON encoder takes) holds half of a surrogate pair: a
    text no UTF-8 file can hold."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_NUL_AT_COLUMN = N_("expected JSON text, got a NUL character at column {column}")
_NUL_AT_LINE = N_("expected JSON text, got a NUL character at line {line} column {column}")
_INVALID_AT_COLUMN = N_("expected JSON, invalid at column {column}: {reason}")
_INVALID_AT_LINE = N_("expected JSON, invalid at line {line} column {column}: {reason}")
_TOO_DEEP = N_("expected JSON nested at most {depth} levels, got deeper")

# the messages of CPython's JSON decoder (json/decoder.py, Modules/_json.c; the trailing commas since Python 3.13),
# marked as Python writes them: the English text stays the decoder's own
_DECODER_MESSAGES = frozenset(
    {
        N_("Expecting value"),
        N_("Expecting ',' delimiter"),
        N_("Expecting ':' delimiter"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
        N_("Extra data"),
        N_("Illegal trailing comma before end of object"),
        N_("Illegal trailing comma before end of array"),
    }
)
# the pure-Python decoder (no C accelerator) names the character
_DECODER_PATTERNS = (
    (re.compile(r"Invalid control character (?P<char>.+) at"), N_("Invalid control character {char} at")),
    (re.compile(r"Invalid \\escape: (?P<char>.+)"), N_("Invalid \\escape: {char}")),
)


def decoder_reason(exc: json.JSONDecodeError) -> Worded:
    """What Python's JSON decoder found wrong (``exc.msg``, without the position), worded in any language; a message
    this library does not know is shown as the decoder wrote it."""
    if exc.msg in _DECODER_MESSAGES:
        return words(exc.msg)
    for pattern, template in _DECODER_PATTERNS:
        m = pattern.fullmatch(exc.msg)
        if m is not None:
            return words(template, char=m["char"])
    return words("{text}", text=exc.msg)  # "{text}" is its own translation: the decoder's English as it is


def _check_values(value: object, *, refused: bool = True) -> Worded | None:
    """The first thing refused in the parsed value (a token JSON does not allow, nesting too deep), if any.

    Every line of a portal export goes through here, and almost none has a problem, so nothing is walked that need
    not be: ``refused`` is False when the decode made no refused token (:data:`_REFUSALS` did not move), and then
    only the containers are looked at, for their depth (iteratively: the depth is what is being checked) — the
    leaves, most of a record, are never visited. Only when something is found is the value walked again, in order,
    to name where (:func:`_locate_problem`).
    """
    if refused:
        return _locate_problem(value)
    stack: list[tuple[dict[str, object] | list[object], int]] = []
    if isinstance(value, dict | list):
        stack.append((value, 0))  # containers only
    while stack:
        item, depth = stack.pop()
        if depth >= MAX_JSON_DEPTH:
            return _locate_problem(value)
        children: Iterable[object] = item.values() if type(item) is dict else item
        if not _CONTAINERS.isdisjoint(map(type, children)):  # one C-level look over the leaves
            depth += 1
            stack.extend((v, depth) for v in children if type(v) is dict or type(v) is list)
    return None


_CONTAINERS = frozenset({dict, list})  # what the JSON decoder makes (exactly these types)


def _locate_problem(value: object) -> Worded | None:
    """:func:`_check_values` with the field path of what it refuses (the same walk, in the same order)."""
    stack: list[tuple[object, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                return words(N_("{path}…: {problem}"), path=path[:40], problem=words(_TOO_DEEP, depth=MAX_JSON_DEPTH))
            if isinstance(item, list):
                stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item))
                continue
            for k, v in item.items():
                stack.append((v, f"{path}.{k}" if path else k, depth + 1))
        elif isinstance(item, _NotJson):
            is_int = item.text.lstrip("-")[:1].isdigit() and not any(c in item.text for c in ".eE")
            where = path or words(_TOP_LEVEL)
            if is_int:
                return words(_NOT_INT64, path=where, max=MAX_JSON_INT, given=item.shown)
            return words(_NOT_FINITE, path=where, given=item.shown)
    return None


_TOP_LEVEL = N_("(top level)")
_NOT_THE_MODEL = N_("{source}: {where}: {problem} (given {given})")
_NOT_INT64 = N_("{path}: expected an integer within ±{max}, got {given}")
_NOT_FINITE = N_("{path}: expected a finite number (NaN and Infinity are not JSON), got {given}")


def validate_data(model: type[M], raw: object, source: str | Worded) -> M:
    """Validate a data file's content against its pydantic model; ``source`` names the file (worded when it says
    more than the file's name: ``words(N_("{path}: expected KPI rules like ..."), path=...)``).

    Raises:
        DataFileError: naming the file (``source``), the field path, what was expected and what was given.
    """
    from pydantic import ValidationError  # here: reading a data file as written needs no pydantic (tthc due)

    try:
        return cast(M, model.model_validate(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or words(_TOP_LEVEL)
        problem = PydanticWords(first, first["msg"], framed=True)
        given = _short(first.get("input"))
        raise DataFileError(words(_NOT_THE_MODEL, source=source, where=where, problem=problem, given=given)) from None
    except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
        # a model's own constructor refusing a value pydantic let through (e.g. an attrs rule object)
        raise DataFileError(words(N_("{source}: {problem}"), source=source, problem=ErrorWords(exc))) from None


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "…"
