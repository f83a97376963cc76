"""Writing output files safely: atomically, never over an input, never as a spreadsheet formula.

Three rules every writer in ``tthc`` follows (the CLI's ``--report``, ``--html``, ``--out``, :meth:`Catalog.dump`,
the validation report):

* :func:`atomic_output` writes to a temporary file beside the target, flushes it to disk and renames it into place
  only when the whole output was written. An interrupted run (an error, Ctrl-C, a full disk) leaves no half-written
  file and the older file, if any, untouched. A target that exists and is not a regular file (``/dev/stdout``, a
  named pipe, ``/dev/null``) is written directly: there is nothing to rename and nothing to destroy.
* :func:`refuse_overwriting_inputs` compares device and inode numbers (:func:`os.stat`), so a symlink or a hard link
  to an input counts as that input; :func:`refuse_same_outputs` refuses two outputs naming one file (existing or
  not). Both are called before anything is opened for writing.
* :func:`output_format` reads an output's format from its name's suffix and refuses a suffix it does not know, so
  that ``--report r.txt`` is not written silently in some format the name does not say.
* :func:`safe_csv_cell` neutralises text cells a spreadsheet would run as a formula (CSV injection).

Failures are :class:`OutputFileError` (an :class:`~tthc.errors.InvalidValueError`: the field is the option or the
argument, the given value the path) with a hint saying what to do: a missing folder, permission denied, no space
left, a read-only file system, a folder where a file was expected.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, Literal

from tthc.errors import InvalidValueError, OutputFileError
from tthc.foundation import stops
from tthc.foundation.i18n import N_
from tthc.foundation.words import Words, words

__all__ = [
    "atomic_output",
    "file_identity",
    "output_format",
    "refuse_overwriting_inputs",
    "refuse_same_outputs",
    "safe_csv_cell",
    "temporary_space",
]

PathLike = str | os.PathLike[str]


# errno -> (what was expected of the path, what to do); the message reads "field: expected X, got 'path' (hint)"
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOENT: (
        N_("a path in an existing folder"),
        N_("the folder does not exist; create it first or choose another"),
    ),
    errno.ENOTDIR: (N_("a path in an existing folder"), N_("a part of the path is a file, not a folder")),
    errno.EACCES: (
        N_("a path you may write to"),
        N_("permission denied; choose another folder or fix its permissions"),
    ),
    errno.EPERM: (N_("a path you may write to"), N_("operation not permitted; choose another folder")),
    errno.EROFS: (N_("a path on a writable file system"), N_("the file system is read-only; write elsewhere")),
    errno.ENOSPC: (
        N_("a device with free space"),
        N_("no space left on the device; free some space or write elsewhere"),
    ),
    errno.EDQUOT: (N_("a device with free space"), N_("disk quota exceeded; free some space or write elsewhere")),
    errno.EFBIG: (N_("a device that takes a file this large"), N_("file too large for the device; write elsewhere")),
    errno.EISDIR: (N_("a file path, not a folder"), N_("the path is a folder; name a file inside it")),
    errno.ENAMETOOLONG: (N_("a shorter path"), N_("the file name is too long for the file system")),
}

# errors that can only come from writing, so they belong to the output even when raised inside the `with` body
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _output_error(field: str, path: PathLike, exc: OSError) -> OutputFileError:
    """The :class:`OutputFileError` for an :class:`OSError` met while writing ``path``."""
    known = _OS_ERRORS.get(exc.errno or 0)
    folder = os.path.dirname(os.path.realpath(path)) if exc.errno == errno.ENOENT else ""
    if folder and os.path.isdir(folder):
        # the folder is there but refuses to create the file (/proc, /sys and the like say ENOENT)
        said = words(N_("{folder} exists but takes no new files; choose another folder"), folder=folder)
        return OutputFileError(field, words(N_("a folder that takes new files")), os.fspath(path), detail=said)
    if known is None:
        return OutputFileError(
            field, words(N_("a writable path")), os.fspath(path), detail=exc.strerror or type(exc).__name__
        )
    return OutputFileError(field, words(known[0]), os.fspath(path), detail=words(known[1]))


@contextmanager
def temporary_space(folder: PathLike | None, *, without: str | Words) -> Iterator[None]:
    """Around creating and writing a temporary file in ``folder`` (``None``: TMPDIR): a full or closed folder (a
    container's small ``/tmp``, a quota) is an :class:`OutputFileError` naming ``TMPDIR``, what went wrong and how
    to do without the temporary file (``without``) — not a bare :class:`OSError`, which the command line could only
    call an internal error."""
    try:
        yield
    except OSError as exc:
        import tempfile

        raise OutputFileError(
            "TMPDIR",
            N_("a temporary folder with free space that you may write to"),
            folder or tempfile.gettempdir(),
            detail=words(
                N_("{error}; set TMPDIR to another folder, or {without}"),
                error=exc.strerror or type(exc).__name__,
                without=words(without) if isinstance(without, str) else without,  # a marked text, translated
            ),
        ) from None


@contextmanager
def atomic_output(
    path: PathLike,
    mode: Literal["w", "wb"] = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
    field: str = "path",
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing so that it appears complete or not at all.

    The content goes to a hidden temporary file in the target's folder (``.<name>.<random>.tmp``, created with the
    usual permissions, or the mode and, when allowed, the owner of the file it replaces), is flushed and
    ``fsync``-ed, then renamed over the target with :func:`os.replace` when the ``with`` block ends without an
    exception. On any exception the temporary file is removed and the target keeps its older content. A target you
    may not write (a read-only file) is refused, as a plain :func:`open` would refuse it. A symlink target is
    followed (the file it points to is replaced, the link stays); another hard link to the target keeps the older
    content, since the new file is a new inode. A target that exists and is not a regular file (a terminal, a pipe,
    ``/dev/null``, ``/dev/full``) is opened and written directly.

    Args:
        path: the file to write.
        mode: ``"w"`` (text) or ``"wb"`` (bytes).
        encoding: the text encoding (ignored in binary mode).
        newline: as for :func:`open`; ``""`` for the :mod:`csv` module.
        field: the option or parameter named in errors (``"--report"``).

    Raises:
        OutputFileError: the folder is missing, permission denied, no space left, read-only file system, ...
    """
    if mode not in ("w", "wb"):
        raise InvalidValueError("mode", N_("'w' or 'wb'"), mode)
    text_kwargs: dict[str, Any] = {} if mode == "wb" else {"encoding": encoding, "newline": newline}
    try:
        target = Path(os.path.realpath(path))
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _output_error(field, path, exc) from None
    except ValueError:  # a NUL byte in the path
        raise OutputFileError(field, N_("a file path without NUL characters"), os.fspath(path)) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _output_error(field, path, IsADirectoryError(errno.EISDIR, "Is a directory"))
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _direct(target, mode, text_kwargs, field, path)
        return
    if st is not None and not os.access(target, os.W_OK):
        # the rename would replace a read-only file that a plain open() could not write: keep that protection
        raise _output_error(field, path, PermissionError(errno.EACCES, "Permission denied"))
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        # O_EXCL: never reuse or follow anything already there; 0o666 lets the umask decide, as for a plain open()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise _output_error(field, path, exc) from None
    try:
        if st is not None:
            _keep_mode_and_owner(fd, st)
        fh = os.fdopen(fd, mode, **text_kwargs)
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    committed = False
    try:
        try:
            yield fh
        except OSError as exc:
            if exc.errno in _WRITE_ERRNOS:  # a full disk met by the caller's own write
                raise _output_error(field, path, exc) from None
            raise  # the caller's error (reading an input, ...): not ours to rename
        stops.commit_point()  # a stop from here on lets the command finish rather than leave some outputs in place
        try:
            fh.flush()  # buffered text reaches the disk here: ENOSPC often shows up now, not at write()
            os.fsync(fh.fileno())
            fh.close()
            os.replace(tmp, target)
        except OSError as exc:
            raise _output_error(field, path, exc) from None
        committed = True
        _fsync_folder(target.parent)
    finally:
        if not committed:
            _close_quietly(fh)
            _unlink(tmp)


def _keep_mode_and_owner(fd: int, st: os.stat_result) -> None:
    # the renamed file is a new inode: give it the mode (and, when allowed, the owner) of the file it replaces
    if os.chmod in os.supports_fd:
        os.chmod(fd, stat.S_IMODE(st.st_mode))
    if os.chown in os.supports_fd and hasattr(os, "getuid") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
        with suppress(OSError):  # only root may give a file away; anyone else keeps their own ownership
            os.chown(fd, st.st_uid, st.st_gid)


def _direct(target: Path, mode: str, text_kwargs: dict[str, Any], field: str, path: PathLike) -> Iterator[IO[Any]]:
    try:
        fh = open(target, mode, **text_kwargs)  # noqa: SIM115 - closed below, errors mapped to OutputFileError
    except OSError as exc:
        raise _output_error(field, path, exc) from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:
            raise _output_error(field, path, exc) from None
        raise


def _close_quietly(fh: IO[Any]) -> None:
    # closing flushes the buffer, which fails again on a full disk; the file is being thrown away anyway
    with suppress(OSError):
        fh.close()


def _unlink(p: Path) -> None:
    with suppress(OSError):
        p.unlink()


def _fsync_folder(folder: Path) -> None:
    # makes the rename itself durable; not possible on every platform or file system, and harmless to skip
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refuse_overwriting_inputs(
    outputs: Mapping[str, PathLike | None], inputs: Iterable[tuple[str, PathLike | None]]
) -> None:
    """Refuse any output that is the same file as an input, before anything is opened for writing.

    Files are compared by device and inode (:func:`os.stat` follows symlinks), so a symlink or a hard link to an
    input is that input; an output is the file :func:`atomic_output` would write, its path resolved first
    (``nowhere/../x.csv`` is ``x.csv``). An output that does not exist yet cannot be an input. Character devices (a
    terminal, ``/dev/null``) are never refused: writing to them destroys nothing. Two outputs naming the same file
    are refused too (the second would replace the first).

    Args:
        outputs: option name -> path (``{"--report": "x.csv"}``); ``None`` paths are skipped.
        inputs: ``(option name, path)`` pairs (``("FILES", "x.csv")``, ``("--catalog", "c.json")``).

    Raises:
        OutputFileError: naming the output option and path, and the input it would overwrite.
    """
    refuse_same_outputs(outputs)
    seen: dict[tuple[int, int], Words] = {}
    for label, p in inputs:
        key = file_identity(p)
        if key is not None and p is not None:
            seen.setdefault(key, words(N_("the input {path} ({option})"), path=os.fspath(p), option=label))
    for field, p in outputs.items():
        key = file_identity(_written(p))
        if key is None or p is None:
            continue
        if key in seen:
            raise OutputFileError(
                field,
                N_("a file that is not one of the inputs"),
                os.fspath(p),
                detail=words(N_("it is {what}; writing would destroy it — choose another path"), what=seen[key]),
            )


def output_format(path: PathLike, formats: Iterable[str], *, field: str, bare: str | None = None) -> str:
    """The format an output's name says: its suffix, in lower case and without the dot, when it is one of
    ``formats`` (``("csv", "json", "jsonl", "parquet")``). Call it before any work, as :func:`refuse_same_outputs`.

    Args:
        bare: the format of a name with no suffix at all (``/dev/stdout``, ``findings``); None refuses it too.

    Raises:
        OutputFileError: another suffix (or none, without ``bare``): ``--report: expected a name ending in one of
            .csv, .json, .jsonl, .parquet, got 'r.txt'``.
    """
    known = tuple(formats)
    suffix = Path(path).suffix.lower().removeprefix(".")
    if not suffix and bare is not None:
        return bare
    if suffix not in known:
        raise OutputFileError(
            field,
            words(N_("a name ending in one of {suffixes}"), suffixes=", ".join(f".{f}" for f in known)),
            os.fspath(path),
        )
    return suffix


def _written(p: PathLike | None) -> PathLike | None:
    """The file :func:`atomic_output` writes for ``p``: its resolved path (``nowhere/../x.csv`` is ``x.csv`` even
    where there is no folder ``nowhere``, which :func:`os.stat` refuses)."""
    if p is None:
        return None
    try:
        return os.path.realpath(p)
    except (OSError, ValueError):
        return p


def refuse_same_outputs(outputs: Mapping[str, PathLike | None]) -> None:
    """Refuse two outputs naming one file, before anything is opened for writing: the second would replace the first.

    An existing file is compared by device and inode (a symlink or a hard link to it is that file); a file that does
    not exist yet by its resolved path (:func:`os.path.realpath`: ``./a/../x``, ``x`` and a symlinked folder
    compare equal). Character devices (a terminal, ``/dev/null``) are never refused: writing to them twice destroys
    nothing. :func:`refuse_overwriting_inputs` calls it.

    Args:
        outputs: option name -> path (``{"--csv": "k.csv", "--xlsx": "k.xlsx"}``); ``None`` paths are skipped.

    Raises:
        OutputFileError: naming the second option and the path, and the first option naming it.
    """
    seen: dict[object, str] = {}
    for field, p in outputs.items():
        key = _output_key(p)
        if key is None or p is None:
            continue
        if key in seen:
            raise OutputFileError(
                field,
                words(N_("different files for {first} and {second}"), first=seen[key], second=field),
                os.fspath(p),
                detail=words(N_("it is the output of {option} too; choose another path"), option=seen[key]),
            )
        seen[key] = field


def _output_key(p: PathLike | None) -> object:
    # an existing file is its (device, inode); a new one its resolved path; a character device nothing
    if p is None:
        return None
    try:
        st = os.stat(p)
    except (OSError, ValueError):
        try:
            return ("path", os.path.realpath(p))
        except (OSError, ValueError):
            return None
    if stat.S_ISCHR(st.st_mode):
        return None
    return ("file", st.st_dev, st.st_ino)


def file_identity(p: PathLike | None) -> tuple[int, int] | None:
    """Which file ``p`` is — (device, inode), symlinks followed: two spellings, a symlink and a hard link are the
    same file — or ``None`` for a path that names no existing file (missing, unreadable, a NUL in it) and for a
    character device (a terminal, ``/dev/null``: never one file's rows)."""
    if p is None:
        return None
    try:
        st = os.stat(p)
    except (OSError, ValueError):  # missing, unreadable, or a NUL in the path: it cannot be an existing input
        return None
    if stat.S_ISCHR(st.st_mode):
        return None
    return (st.st_dev, st.st_ino)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def safe_csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (CSV injection).

    Following OWASP's CSV-injection guidance (and ASVS 1.2.10, which adds NUL), a text cell starting with ``=``,
    ``+``, ``-``, ``@``, TAB, CR or NUL gets a leading single quote: ``=HYPERLINK(...)`` is written
    ``'=HYPERLINK(...)``. Quoting of commas, quotes and newlines is left to the :mod:`csv` module (RFC 4180).

    Two exceptions keep numbers readable: a value that is not text (an ``int`` row number, a ``float``) is returned
    unchanged, and so is a text cell that is a plain signed decimal number and nothing else (``-5``, ``+12``,
    ``-1.5``, ``-1,5``): a spreadsheet reads it as a number and cannot run it. Anything more (``-5+cmd|...``,
    ``-5 `` with a space, ``-1e3``) is quoted.

    The quote is visible to programs reading the CSV as plain text; strip one leading ``'`` when a cell's second
    character is one of the characters above to get the value back. JSON reports are never altered.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value
