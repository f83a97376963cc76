"""The 64-bit key of each dossier code that the duplicate check (:mod:`tthc.validation.duplicates`) sorts: a code of
the canonical form packed exactly into it, any other code hashed; and the Arrow string buffers both modules read.

A canonical code ``000.00.53.H48-220921-0099`` (TT 01/2018 Điều 19; the form of the national portal's codes) is 21
digits and a letter: its fields fit 61 bits, so the key *is* the code — equal keys are equal codes (case-insensitive),
no hash to confirm, and the code is read back from its key (:func:`unpacked`). Any other code gets a hash
(:func:`code_hashes`) with the top bit clear, confirmed on the code's text by the duplicate check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from tthc.records.arrays import from_numpy, to_numpy
from tthc.records.columns import StrCol
from tthc.validation.checks import CANONICAL_WIDTH, canonical_rows

__all__ = [
    "Codes",
    "Hasher",
    "code_hashes",
    "code_keys",
    "identity",
    "mix",
    "strings_from_buffers",
    "unpacked",
    "utf8_buffers",
]

I64 = npt.NDArray[np.int64]

Codes = Any
"""The codes of a block: a ``pyarrow.Array`` of strings, or a numpy object array without pyarrow."""
Hasher = Callable[[Codes], I64]


def code_hashes(codes: Codes) -> I64:
    """A 64-bit hash of each upper-cased code, the same for the same code in every block of a run: it decides the
    bucket and finds the candidate repeats, and the codes themselves confirm them — so it only needs to spread codes
    well. With pyarrow: the UTF-8 bytes padded with spaces to 32 (a longer code: its first 32 bytes and its last 8)
    and the length, mixed in numpy with no Python per code; without pyarrow: Python's ``hash`` of each upper-cased
    string."""
    if isinstance(codes, np.ndarray):
        return np.fromiter((hash(str(v).upper()) for v in codes), dtype=np.int64, count=len(codes))
    import pyarrow.compute as pc

    upper = pc.utf8_upper(codes)
    n = len(upper)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lengths = to_numpy(pc.binary_length(upper)).astype(np.int64)
    tail: tuple[npt.NDArray[np.bool_], npt.NDArray[np.uint64]] | None = None
    if lengths.max() <= _WIDTH and pc.all(pc.string_is_ascii(upper)).as_py():
        # the usual block: Arrow pads every code to one width, and the bytes are read as 64-bit words in place
        _, data = utf8_buffers(pc.utf8_rpad(upper, _WIDTH, " "))
        words = data.view(np.uint64).reshape(n, _WIDTH // 8)
    else:
        words, tail = _words(*utf8_buffers(upper))
    h = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for k in range(words.shape[1]):
            h = mix(h ^ words[:, k])
        if tail is not None:
            long, last = tail
            h[long] = mix(h[long] ^ last)
    return h.view(np.int64)


def _words(
    offsets: I64, data: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.uint64], tuple[npt.NDArray[np.bool_], npt.NDArray[np.uint64]] | None]:
    """For codes of any length and alphabet, what :func:`code_hashes` mixes: per code its first 32 bytes padded
    with spaces (as ``utf8_rpad`` pads ASCII, so a code hashes alike in every block), and for the codes longer than
    that, which they are and their last 8 bytes."""
    starts, ends = offsets[:-1], offsets[1:]
    lengths = ends - starts
    padded = np.concatenate([data, np.zeros(_WIDTH, dtype=np.uint8)])  # reads past the last code stay in bounds
    at = np.arange(_WIDTH)
    head = np.where(at < lengths[:, None], padded[starts[:, None] + at], 0x20).astype(np.uint8)
    long = lengths > _WIDTH
    if not long.any():
        return head.view(np.uint64), None
    last = padded[(ends[long] - 8)[:, None] + np.arange(8)].view(np.uint64).reshape(-1)
    return head.view(np.uint64), (long, last)


_WIDTH = 32
"""Bytes of a code's head that the Arrow-side hash reads (dossier codes are about 25)."""


def mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    # the finaliser of MurmurHash3 (fmix64): every input bit reaches the top bits, which choose the bucket
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def utf8_buffers(arr: Any) -> tuple[I64, npt.NDArray[np.uint8]]:
    """(offsets from 0, bytes) of an Arrow string array without nulls."""
    import pyarrow as pa

    if pa.types.is_large_string(arr.type):
        raw = np.frombuffer(arr.buffers()[1], dtype=np.int64)
    else:
        raw = np.frombuffer(arr.buffers()[1], dtype=np.int32)
    offsets = raw[arr.offset : arr.offset + len(arr) + 1].astype(np.int64)
    buf = arr.buffers()[2]
    data = np.frombuffer(buf, dtype=np.uint8) if buf is not None else np.zeros(0, dtype=np.uint8)
    data = data[offsets[0] : offsets[-1]]
    return offsets - offsets[0], data


# A canonical code '000.00.53.H48-220921-0099' packed exactly into one int64: its fields in the bits below (so a month
# up to 15 and a day up to 31 — any other code is hashed). The top bit marks a packed key (a hash has it clear), bit 62
# a lower-case level letter: kept to give the code back as written, left out of equality (:func:`identity`).
_FIELDS: tuple[tuple[Sequence[int], int, int], ...] = (
    (range(21, 25), 0, 14),
    (range(18, 20), 14, 5),
    (range(16, 18), 19, 4),
    (range(14, 16), 23, 7),
)
"""(bytes, lowest bit, bits) of the serial number, the day, the month and the year."""
_LETTER_AT, _LETTER_BIT = 10, 30
"""The level letter (H 0, K 1) ..."""
_AGENCY: tuple[Sequence[int], int, int] = ((0, 1, 2, 4, 5, 7, 8, 11, 12), 31, 30)
"""... and the nine digits of the agency code."""
_PACKED = np.int64(np.iinfo(np.int64).min)
_LOWER = np.int64(1 << 62)
_HASH = np.int64(np.iinfo(np.int64).max)


def _number(m: npt.NDArray[np.uint8], at: Sequence[int]) -> I64:
    """The decimal number that the ASCII digits of ``m`` at the byte positions ``at`` spell, per row."""
    value = m[:, at[0]].astype(np.int64)
    for k in at[1:]:
        value *= 10
        value += m[:, k]
    return value - int("1" * len(at)) * ord("0")  # each byte less the byte of 0


def code_keys(codes: Codes, hasher: Hasher | None = None, *, column: StrCol | None = None) -> I64:
    """A 64-bit key per code, equal for equal codes (case-insensitive, once :func:`identity` has dropped the case
    flag): the code itself, packed, when it has the canonical form (a negative key); else its hash (``hasher``,
    default :func:`code_hashes`) with the top bit clear. Only Arrow strings are packed: a run without pyarrow hashes
    every code. ``column``: the column ``codes`` are all the values of (none empty), whose form the checks have
    read already (:func:`~tthc.validation.checks.canonical_rows`)."""
    hash_of = hasher or code_hashes
    if isinstance(codes, np.ndarray) or not len(codes):
        return hash_of(codes) & _HASH
    got = canonical_rows(column) if column is not None and len(column) == len(codes) else None
    if got is None:
        got = canonical_rows(StrCol(arrow=codes))
    assert got is not None  # an Arrow column
    packed, m = got[0].copy(), got[1]
    if not packed.any():
        return hash_of(codes) & _HASH
    letter = m[:, _LETTER_AT]
    keys = _number(m, _AGENCY[0]) << _AGENCY[1]
    keys |= ((letter | 0x20) == ord("k")).astype(np.int64) << _LETTER_BIT
    for at, bit, bits in _FIELDS:
        value = _number(m, at)
        packed &= value < 1 << bits
        keys |= value << bit
    keys |= np.where(letter >= ord("a"), _PACKED | _LOWER, _PACKED)
    if not packed.all():
        rest = np.flatnonzero(~packed)
        keys[rest] = hash_of(codes.take(from_numpy(rest.astype(np.int64)))) & _HASH
    return keys


def identity(keys: I64) -> I64:
    """Keys as compared: a packed key without its lower-case flag."""
    return np.where(keys < 0, keys & ~_LOWER, keys)


def unpacked(keys: I64) -> Codes:
    """The canonical codes, as written, that packed keys hold (an Arrow string array)."""
    m = np.frombuffer(b"000.00.00.H00-000000-0000", dtype=np.uint8)[None, :].repeat(len(keys), axis=0)
    m[:, _LETTER_AT] = np.where((keys >> _LETTER_BIT) & 1, ord("K"), ord("H")) | np.where(keys & _LOWER, 0x20, 0)
    for at, bit, bits in (_AGENCY, *_FIELDS):
        value = (keys >> bit) & ((1 << bits) - 1)
        for k in reversed(at):
            m[:, k] += (value % 10).astype(np.uint8)
            value //= 10
    return strings_from_buffers(np.arange(len(keys) + 1, dtype=np.int64) * CANONICAL_WIDTH, m.reshape(-1), True)


def strings_from_buffers(offsets: I64, data: npt.NDArray[np.uint8], arrow: bool) -> Codes:
    """Strings from their offsets and UTF-8 bytes: an Arrow string array, or a numpy object array without Arrow."""
    if not arrow:
        raw = data.tobytes()
        return np.array(
            [raw[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)],
            dtype=object,
        )
    import pyarrow as pa

    large = offsets[-1] >= 1 << 31
    kind = pa.large_string() if large else pa.string()
    offs = offsets.astype(np.int64 if large else np.int32)
    return pa.Array.from_buffers(kind, len(offsets) - 1, [None, pa.py_buffer(offs), pa.py_buffer(data.tobytes())])
