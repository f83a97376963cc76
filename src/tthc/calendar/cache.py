"""The on-disk cache of compiled calendar days, so that a new process does not recompile them.

Compiling the public-sector calendar for 2000–2100 reads every ``holidays.VN`` day of a century (importing
``holidays`` and ``dateutil`` on the way) and merges the cited schedule into it: 0.1–0.3 s, on every start of a CLI
command or a worker. What it yields — the working-day mask and the reasons of the days off and make-up days — is
written once to the user cache directory and read back by later processes (≈ 50 kB, checked then decoded into plain
``bytes`` and ``array.array``: no numpy, so that a scalar command such as ``tthc due`` never imports it); the remaining
tables are a few passes over the mask. The Vietnamese names of the ``holidays.VN`` days are kept too, so that a
Vietnamese trace never imports ``holidays`` to word a holiday.

* **Where**: ``TTHC_CACHE_DIR`` when set, else the user cache directory (``platformdirs``: ``~/.cache/tthc`` on
  Linux, ``~/Library/Caches/tthc`` on macOS, ``%LOCALAPPDATA%\\tthc\\Cache`` on Windows). ``TTHC_CACHE_DIR=off``
  (or ``0``, ``false``, ``no``, ``none``) disables the cache.
* **Key**: whatever changes the days — the caller's key (the schedule file's digest, the ``holidays`` version, the
  source of the modules that compile, the calendar options) plus the cache format and the ``tthc`` version. A file
  is named by the digest of its key and repeats the key inside, so a changed input is a different file and a file
  is never read for another key.
* **Never trusted**: a file whose magic, length, key or SHA-256 checksum does not match is a miss; it is rebuilt and
  replaced.
* **Concurrent builds**: each process writes its own temporary file in the cache directory and renames it into
  place (``os.replace``, atomic); the last rename wins, and both files are complete and equal.
* **Best effort**: a cache directory that cannot be created, read or written means no cache — no error, no
  warning. At most :data:`MAX_FILES` files are kept; the oldest go first, and only files named as this module names
  them (``calendar-`` and 24 hex digits): ``TTHC_CACHE_DIR`` may point at a folder that holds other files. Only a
  regular file of at most :data:`MAX_BYTES` is read back (a FIFO or a device in its place is a miss, never a hang).
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Final

import attrs

from tthc._version import __version__
from tthc.calendar.working_time import OffKind

__all__ = ["CACHE_ENV", "MAX_BYTES", "MAX_FILES", "CompiledDays", "cache_dir", "file_digest", "load_days", "store_days"]

CACHE_ENV: Final = "TTHC_CACHE_DIR"
"""The environment variable naming the cache directory (``off`` disables the cache)."""

MAX_FILES: Final = 8
"""Cache files kept in the directory (one per key: options, data, versions); older ones are removed."""

MAX_BYTES: Final = 16 << 20
"""The largest file read back (the days of 2000–2100 take about 50 kB): anything larger is a miss."""

_OFF: Final = frozenset({"off", "0", "false", "no", "none"})
_FORMAT: Final = 2  # bump when the layout below changes (2: the Vietnamese holiday names)
_MAGIC: Final = b"TTHCDAY\x01"
_HEAD: Final = 48  # magic (8) | SHA-256 of everything after the head (32) | length of the JSON meta (8)
_KINDS: Final[tuple[OffKind, ...]] = ("holiday", "swap", "user_day_off")
_PREFIX: Final = "calendar-"


@attrs.frozen(slots=True, eq=False)
class CompiledDays:
    """What compiling a calendar's days yields: the working-day mask from ``first`` and the notes of its days.

    Attributes:
        first: the first compiled day.
        mask: one byte per day from ``first`` (1: a working day, 0: not).
        notes_off: day off → reason; notes_work: make-up or listed working day → reason.
        off_kinds: day off → ``holiday`` / ``swap`` / ``user_day_off`` (a subset of ``notes_off``).
        last_announced_year: years after it are projected.
        description: the calendar's description.
        names_vi: day off whose note is ``holidays.VN``'s English name → its Vietnamese name (a subset of
            ``notes_off``).
    """

    first: date
    mask: bytes
    notes_off: Mapping[date, str]
    notes_work: Mapping[date, str]
    off_kinds: Mapping[date, OffKind]
    last_announced_year: int | None
    description: str
    names_vi: Mapping[date, str] = attrs.field(factory=dict)


def cache_dir() -> Path | None:
    """The cache directory: ``TTHC_CACHE_DIR``, else the user cache directory; None when the cache is off."""
    env = os.environ.get(CACHE_ENV)
    if env is not None and env.strip():
        return None if env.strip().lower() in _OFF else Path(env)
    import platformdirs  # deferred: only when no directory is given

    return Path(platformdirs.user_cache_dir("tthc", appauthor=False))


def file_digest(*paths: str | Path) -> str:
    """SHA-256 (hex, 16 digits) of the files' bytes, in order; ``"unreadable"`` when one cannot be read."""
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(Path(path).read_bytes())
    except OSError:
        return "unreadable"
    return digest.hexdigest()[:16]


def _key_text(key: Mapping[str, object]) -> str:
    full = {"format": _FORMAT, "tthc": __version__, **key}
    return json.dumps(full, sort_keys=True, ensure_ascii=True, default=repr)


def _path(directory: Path, key_text: str) -> Path:
    return directory / f"{_PREFIX}{hashlib.sha256(key_text.encode()).hexdigest()[:24]}.npy"


_NAME: Final = re.compile(rf"{_PREFIX}[0-9a-f]{{24}}\.npy")
"""The name :func:`_path` gives a cache file (the only files :func:`_prune` removes)."""


def load_days(key: Mapping[str, object]) -> CompiledDays | None:
    """The cached days for ``key``, or None (cache off, no file, or a file that does not check out)."""
    directory = cache_dir()
    if directory is None:
        return None
    text = _key_text(key)
    try:
        data = _read(_path(directory, text))
        blob = None if data is None else _unwrap(data)
        return None if blob is None else _decode(blob, text)
    except Exception:  # a missing, unreadable, truncated, corrupt or foreign file is a miss, whatever it raises
        return None


def _read(path: Path) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of at most :data:`MAX_BYTES`, else None: a FIFO put in the
    file's place would block the read (and the process) forever, a link to a device or a huge file would fill the
    memory — whatever sits there, the cache is a miss."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:  # closes fd, whatever happens next
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        return f.read(MAX_BYTES + 1)


def store_days(key: Mapping[str, object], days: CompiledDays) -> Path | None:
    """Write ``days`` under ``key`` (atomically); the file written, or None when the cache is off or unwritable."""
    directory = cache_dir()
    if directory is None:
        return None
    text = _key_text(key)
    target = _path(directory, text)
    tmp: str | None = None
    try:
        data = _wrap(_encode(days, text))
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.stem}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache holds public data, shared dirs may read it
        os.replace(tmp, target)  # atomic: readers see the old file or the new one, never half of one
        tmp = None
    except (OSError, ValueError, TypeError):
        return None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _prune(directory, keep=target)
    return target


def _prune(directory: Path, keep: Path) -> None:
    with contextlib.suppress(OSError):  # another process may prune at the same time
        # only names this module gives: TTHC_CACHE_DIR may point at a folder that holds the user's own files
        ours = [p for p in directory.glob(f"{_PREFIX}*.npy") if _NAME.fullmatch(p.name)]
        files = sorted(ours, key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in files if p != keep][MAX_FILES - 1 :]:
            old.unlink()


# -- the file: one uint8 .npy array holding a head, a JSON meta and the arrays -------------------------------------
# Written and read with the standard library (``np.load`` reads it too): a scalar command never imports numpy.

_NPY_MAGIC: Final = b"\x93NUMPY\x01\x00"  # .npy format 1.0
_NPY_HEADER: Final = re.compile(rb"\{'descr': '\|u1', 'fortran_order': False, 'shape': \((\d+),\), \} *\n")
# the arrays' dtypes (numpy's names, kept in the layout) and their array.array type codes
_TYPECODES: Final = {"|u1": "B", "|i1": "b", "<i4": "i"}
_BIG_ENDIAN: Final = sys.byteorder == "big"


def _wrap(blob: bytes) -> bytes:
    """``blob`` as a one-dimensional uint8 ``.npy`` file (what ``np.save`` writes)."""
    header = f"{{'descr': '|u1', 'fortran_order': False, 'shape': ({len(blob)},), }}".encode()
    pad = -(len(_NPY_MAGIC) + 2 + len(header) + 1) % 64  # numpy aligns the data on 64 bytes
    header += b" " * pad + b"\n"
    return _NPY_MAGIC + len(header).to_bytes(2, "little") + header + blob


def _unwrap(data: bytes) -> bytes | None:
    """The uint8 array of a ``.npy`` file written by :func:`_wrap` (or ``np.save``); None for anything else."""
    if not data.startswith(_NPY_MAGIC) or len(data) < 10:
        return None
    size = int.from_bytes(data[8:10], "little")
    found = _NPY_HEADER.fullmatch(data, 10, 10 + size)
    if found is None or int(found[1]) != len(data) - 10 - size:
        return None
    return data[10 + size :]


def _pack(typecode: str, values: list[int]) -> bytes:
    arr = array.array(typecode, values)
    if _BIG_ENDIAN:
        arr.byteswap()  # the file is little-endian, as numpy's '<i4' says
    return arr.tobytes()


def _unpack(typecode: str, data: bytes) -> list[int]:
    arr = array.array(typecode, data)
    if _BIG_ENDIAN:
        arr.byteswap()
    return arr.tolist()


def _encode(days: CompiledDays, key_text: str) -> bytes:
    strings: dict[str, int] = {}

    def index(text: str) -> int:
        return strings.setdefault(text, len(strings))

    off = sorted(days.notes_off.items())
    work = sorted(days.notes_work.items())
    names = sorted(days.names_vi.items())
    kinds = [_KINDS.index(days.off_kinds[d]) if d in days.off_kinds else -1 for d, _ in off]
    mask = bytes(days.mask)
    if mask.translate(None, b"\x00\x01"):
        raise ValueError("mask: expected one byte 0 or 1 per day")
    if not set(days.off_kinds) <= set(days.notes_off):
        raise ValueError("off_kinds: expected days listed in notes_off")
    if not set(days.names_vi) <= set(days.notes_off):
        raise ValueError("names_vi: expected days listed in notes_off")
    arrays: dict[str, tuple[str, bytes]] = {
        "mask": ("|u1", mask),
        "off_day": ("<i4", _pack("i", [d.toordinal() for d, _ in off])),
        "off_reason": ("<i4", _pack("i", [index(r) for _, r in off])),
        "off_kind": ("|i1", _pack("b", kinds)),
        "work_day": ("<i4", _pack("i", [d.toordinal() for d, _ in work])),
        "work_reason": ("<i4", _pack("i", [index(r) for _, r in work])),
        "name_day": ("<i4", _pack("i", [d.toordinal() for d, _ in names])),
        "name_vi": ("<i4", _pack("i", [index(r) for _, r in names])),
    }
    layout: dict[str, tuple[int, str, int]] = {}
    offset = 0
    body = bytearray()
    for name, (dtype, data) in arrays.items():
        layout[name] = (offset, dtype, len(data) // array.array(_TYPECODES[dtype]).itemsize)
        body += data + b"\x00" * (-len(data) % 8)  # 8-byte aligned
        offset = len(body)
    meta = json.dumps(
        {
            "key": key_text,
            "first": days.first.toordinal(),
            "last_announced_year": days.last_announced_year,
            "description": days.description,
            "strings": list(strings),
            "layout": layout,
        },
        ensure_ascii=True,
    ).encode()
    tail = len(meta).to_bytes(8, "little") + meta + b"\x00" * (-(_HEAD + len(meta)) % 8) + body
    return _MAGIC + hashlib.sha256(tail).digest() + tail


def _decode(blob: bytes, key_text: str) -> CompiledDays | None:
    if len(blob) < _HEAD or blob[:8] != _MAGIC:
        return None
    if hashlib.sha256(blob[40:]).digest() != blob[8:40]:
        return None  # corrupt or truncated: the checksum covers the meta and every array
    size = int.from_bytes(blob[40:48], "little")
    meta = json.loads(blob[_HEAD : _HEAD + size])
    if meta["key"] != key_text:
        return None  # a digest collision or a file copied under another name: never read for another key
    start = -(-(_HEAD + size) // 8) * 8
    arrays: dict[str, bytes] = {}
    for name, (offset, dtype, count) in meta["layout"].items():
        at = start + offset
        nbytes = count * array.array(_TYPECODES[dtype]).itemsize
        if at + nbytes > len(blob):
            return None
        arrays[name] = blob[at : at + nbytes]
    mask = arrays["mask"]
    if mask.translate(None, b"\x00\x01"):
        return None
    strings: list[str] = meta["strings"]
    off_days = [date.fromordinal(o) for o in _unpack("i", arrays["off_day"])]
    kinds = _unpack("b", arrays["off_kind"])
    return CompiledDays(
        first=date.fromordinal(meta["first"]),
        mask=mask,
        notes_off=dict(zip(off_days, [strings[i] for i in _unpack("i", arrays["off_reason"])], strict=True)),
        notes_work={
            date.fromordinal(o): strings[i]
            for o, i in zip(_unpack("i", arrays["work_day"]), _unpack("i", arrays["work_reason"]), strict=True)
        },
        off_kinds={d: _KINDS[k] for d, k in zip(off_days, kinds, strict=True) if k >= 0},
        last_announced_year=meta["last_announced_year"],
        description=meta["description"],
        names_vi={
            date.fromordinal(o): strings[i]
            for o, i in zip(_unpack("i", arrays["name_day"]), _unpack("i", arrays["name_vi"]), strict=True)
        },
    )
