"""Typed columns of a chunk of dossier records: text cells → numpy arrays, vectorised, with per-cell problems.

:func:`typed_columns` accepts whatever a chunk is — a :class:`~tthc.records.readers.RawChunk` from the readers, a
pyarrow ``Table``/``RecordBatch``, a pandas ``DataFrame`` or a mapping of column -> sequence — and returns
:class:`TypedColumns`: datetimes as ``datetime64[s]`` in Vietnam wall time (``NaT`` = empty), small enums as
``int8`` codes, integers as ``int64`` (``-1`` = empty), codes as object arrays. Cells that cannot be read are
reported (:class:`~tthc.records.readers.RowProblem`, code ``E_TYPE``) and treated as empty, so one bad cell never hides
the row's other findings.

Text parsing uses pyarrow compute kernels when the column is an Arrow array and plain Python otherwise. A pandas
column is read through Arrow (:func:`pandas_column`), so pandas' missing values are empty cells.

Why one module of this length: each column type has two readers — Arrow kernels and plain Python — that must agree
cell for cell (tests/hostile checks it); keeping both halves of each type side by side is what keeps them in step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np
import numpy.typing as npt

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import is_nat
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.datetimes import DATETIME_EXPECTED
from tthc.foundation.i18n import N_
from tthc.foundation.words import marked, words
from tthc.records.arrays import cast_array, from_numpy, kernel, scalar, to_numpy
from tthc.records.chunks import RawChunk, RowProblem
from tthc.records.layout import ALL_COLUMNS, DATETIME_COLUMNS, INTEGER_COLUMNS, VN_TZ, ColumnMapping, DossierStatus
from tthc.records.layout import parse_local_datetime as _parse_dt

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["CHANNELS", "LEVELS", "STATUSES", "StrCol", "TypedColumns", "typed_columns", "vietnam_wall_time"]

CHANNELS: tuple[Channel, ...] = (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL)
"""Code ``k`` (1..3) of a channel column is ``CHANNELS[k - 1]`` (the portal sync code); 0 = empty."""
LEVELS: tuple[OnlineLevel, ...] = tuple(OnlineLevel)
STATUSES: tuple[DossierStatus, ...] = tuple(DossierStatus)
"""Code ``k`` (1..10) of the status column is the portal status code; 0 = empty."""

CODE_COLUMNS = ("dossier_code", "procedure_code", "agency_code", "tracking_number")
ENUM_COLUMNS = ("channel", "result_channel", "status", "online_level")
FEW_CODES = ("procedure_code", "agency_code")
"""Code columns with few distinct values (a file's procedures and agencies): a reader that has them
dictionary-encoded (Parquet) hands them over so, and they are trimmed and told apart once per dictionary entry
instead of once per cell."""

ObjArray = npt.NDArray[np.object_]
DtArray = npt.NDArray[np.datetime64]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]

NAT = np.datetime64("NaT", "s")


class StrCol:
    """A column of codes (text, ``None`` = empty), kept in Arrow when it came from Arrow: materialising millions of
    Python strings costs more than checking them."""

    __slots__ = ("_arrow_values", "_decode", "_memo", "_null", "_obj", "_upper")

    def __init__(self, arrow: pa.Array | None = None, obj: ObjArray | None = None) -> None:
        self._arrow_values = arrow
        self._decode: tuple[int, Callable[[], pa.Array]] | None = None
        self._obj = obj
        self._upper: pa.Array | None = None
        self._null: Bool | None = None
        self._memo: dict[str, Any] = {}

    @classmethod
    def factorized(cls, values: list[str | None], inv: I64, decode: Callable[[], pa.Array]) -> StrCol:
        """A column known by its distinct values and each row's index among them (:meth:`factorize`); its cells in
        Arrow (``decode()``) are made only if something asks for them (most checks of a procedure or agency code
        need only the distinct values)."""
        col = cls()
        col._decode = (len(inv), decode)
        col._memo["factorize"] = (values, inv)
        return col

    @property
    def _arrow(self) -> pa.Array | None:
        if self._decode is not None:
            self._arrow_values, self._decode = self._decode[1](), None
        return self._arrow_values

    def __len__(self) -> int:
        if self._decode is not None:
            return self._decode[0]
        return len(self._arrow) if self._arrow is not None else len(self._obj)  # type: ignore[arg-type]

    def __getstate__(self) -> tuple[pa.Array | None, ObjArray | None]:
        # sent to or from a worker process: the values only (not the caches), and an Arrow slice without the rest
        # of the buffers it points into (pickle would send them whole)
        if self._arrow is not None:
            import pyarrow as pa

            return pa.concat_arrays([self._arrow]), None
        return None, self._obj

    def __setstate__(self, state: tuple[pa.Array | None, ObjArray | None]) -> None:
        self.__init__(*state)  # type: ignore[misc]

    @property
    def arrow(self) -> pa.Array | None:
        return self._arrow

    def objects(self) -> ObjArray:
        """All values as a numpy object array (materialised on first use)."""
        if self._obj is None:
            assert self._arrow is not None
            self._obj = np.empty(len(self._arrow), dtype=object)
            self._obj[:] = self._arrow.to_pylist()
        return self._obj

    def __getitem__(self, i: int) -> str | None:
        if self._obj is not None:
            v = self._obj[i]
            return None if v is None else str(v)
        assert self._arrow is not None
        value: str | None = self._arrow[i].as_py()
        return value

    def is_null(self) -> Bool:
        """Per row: the value is empty (computed once; a read-only array)."""
        if self._null is None:
            if self._decode is not None:  # from the distinct values: the rows whose value is None
                values, inv = self._memo["factorize"]
                null = inv == values.index(None) if None in values else np.zeros(len(inv), dtype=np.bool_)
            elif self._arrow is not None:
                null = to_numpy(kernel("is_null", self._arrow))
            else:
                null = np.fromiter((v is None for v in self.objects()), dtype=np.bool_, count=len(self))
            null.flags.writeable = False  # shared by every caller: none may change it
            self._null = null
        return self._null

    def factorize(self) -> tuple[list[str | None], I64]:
        """(distinct values in order of first appearance, index of each row's value); ``None`` is a value like any
        other."""
        known = self._memo.get("factorize")
        if known is not None:  # from the reader's dictionary (_dictionary_codes)
            return list(known[0]), known[1]
        if self._arrow is not None:
            enc = kernel("dictionary_encode", self._arrow, null_encoding="encode")
            values: list[str | None] = enc.dictionary.to_pylist()
            return values, to_numpy(enc.indices).astype(np.int64)
        table: dict[object, int] = {}
        col = self.objects()
        inv = np.fromiter((table.setdefault(v, len(table)) for v in col), dtype=np.int64, count=len(col))
        return list(table), inv  # type: ignore[arg-type]

    def matches(self, pattern: str, *, upper: bool = True) -> Bool:
        """Rows whose (upper-cased) value matches the regular expression (``None`` never matches)."""
        if self._arrow is not None:
            import pyarrow.compute as pc

            if upper and self._upper is None:
                self._upper = pc.utf8_upper(self._arrow)
            arr = self._upper if upper else self._arrow
            return to_numpy(pc.match_substring_regex(arr, pattern), null=False)
        rx = re.compile(pattern)
        return np.fromiter(
            (v is not None and rx.search(str(v).upper() if upper else str(v)) is not None for v in self.objects()),
            dtype=bool,
            count=len(self),
        )

    def fixed_width(self, width: int) -> tuple[Bool, npt.NDArray[np.uint8]] | None:
        """The rows whose value is exactly ``width`` bytes of UTF-8, and those bytes as an ``(n, width)`` matrix (zero
        in the other rows) — read straight from the Arrow buffers, for checks by byte position that a regular
        expression would make slower. ``None`` when the column is not held in Arrow. Made once per width (read-only:
        the checks of the codes and their duplicate keys share it)."""
        if self._arrow is None:
            return None
        arr = self._arrow

        def made() -> tuple[Bool, npt.NDArray[np.uint8]] | None:
            got = self._fixed_width(arr, width)
            for part in got or ():
                part.flags.writeable = False
            return got

        return cast(tuple[Bool, npt.NDArray[np.uint8]] | None, self.memo(f"fixed_width {width}", made))

    def memo(self, name: str, make: Callable[[], Any]) -> Any:
        """What ``make()`` gives, made once per column and ``name``: a result derived from the values that several
        checks use (the form of a piece's dossier codes serves their finding and their duplicate key). Treat it as
        read-only."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    @staticmethod
    def _fixed_width(arr: pa.Array, width: int) -> tuple[Bool, npt.NDArray[np.uint8]] | None:
        import pyarrow as pa

        n = len(arr)
        if not n:
            return np.zeros(0, dtype=bool), np.zeros((0, width), dtype=np.uint8)
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            return None
        validity, offsets_buf, data_buf = arr.buffers()
        wide = np.int64 if pa.types.is_large_string(arr.type) else np.int32
        offsets = np.frombuffer(offsets_buf, dtype=wide)[arr.offset : arr.offset + n + 1].astype(np.int64)
        fits = np.diff(offsets) == width
        if validity is not None:
            fits &= to_numpy(kernel("is_valid", arr))
        if data_buf is None:
            return fits, np.zeros((n, width), dtype=np.uint8)
        data = np.frombuffer(data_buf, dtype=np.uint8)
        if fits.all():  # every value has the width: the buffer is the matrix (no copy)
            start = int(offsets[0])
            return fits, data[start : start + n * width].reshape(n, width)
        matrix = np.zeros((n, width), dtype=np.uint8)
        sel = np.flatnonzero(fits)
        if len(sel):
            matrix[sel] = data[offsets[sel, None] + np.arange(width, dtype=np.int64)]
        return fits, matrix

    def hash64(self) -> I64:
        """A 64-bit hash per row (of the upper-cased value; 0 for ``None``) for duplicate detection."""
        n = len(self)
        if self._arrow is not None and n:
            import pyarrow as pa
            import pyarrow.compute as pc

            width = 32
            arr = pc.utf8_upper(self._arrow.fill_null(scalar("", self._arrow.type)))
            if int(pc.max(pc.binary_length(arr)).as_py() or 0) <= width:
                padded = pc.utf8_rpad(arr, width, " ")
                if pc.min_max(pc.binary_length(padded)).as_py() == {"min": width, "max": width}:
                    padded = pa.concat_arrays([padded])
                    data = np.frombuffer(padded.buffers()[2], dtype=np.uint8)
                    start = int(np.frombuffer(padded.buffers()[1], dtype=np.int32)[padded.offset])
                    words = data[start : start + n * width].reshape(n, width).view(np.uint64)
                    h = np.full(n, 1469598103934665603, dtype=np.uint64)
                    with np.errstate(over="ignore"):
                        for j in range(words.shape[1]):
                            h = (h ^ words[:, j]) * np.uint64(1099511628211)
                            h ^= h >> np.uint64(29)
                    return h.view(np.int64)
        return np.fromiter(
            (0 if v is None else hash(str(v).strip().upper()) for v in self.objects()), dtype=np.int64, count=n
        )


@attrs.frozen(slots=True)
class TypedColumns:
    """The canonical columns of a chunk as typed numpy arrays (missing columns are all-empty arrays)."""

    file: str
    rows: I64
    codes: dict[str, StrCol]
    enums: dict[str, I8]
    datetimes: dict[str, DtArray]
    integers: dict[str, I64]
    present: frozenset[str]
    problems: tuple[RowProblem, ...]

    def __len__(self) -> int:
        return len(self.rows)


def _arrow_types() -> tuple[type, ...]:
    try:
        import pyarrow as pa
    except ImportError:
        return ()
    return (pa.Array, pa.ChunkedArray)


def _is_arrow(col: object) -> bool:
    types = _arrow_types()
    return bool(types) and isinstance(col, types)


def _source_columns(
    chunk: object, mapping: ColumnMapping | None
) -> tuple[str, I64, dict[str, object], list[RowProblem]]:
    """Normalise any chunk type to (file, row numbers, canonical column -> column, problems)."""
    if isinstance(chunk, RawChunk):
        return chunk.file, chunk.rows, dict(chunk.columns), []
    m = mapping or ColumnMapping.default()
    columns: dict[str, object] = {}
    n: int
    if hasattr(chunk, "schema") and hasattr(chunk, "column") and hasattr(chunk, "num_rows"):  # pyarrow
        names = list(chunk.schema.names)
        n = int(chunk.num_rows)
        for name in names:
            c = m.canonical(name)
            if c is not None:
                columns[c] = chunk.column(name)
    elif hasattr(chunk, "columns") and hasattr(chunk, "iloc"):  # pandas
        n = len(chunk)  # type: ignore[arg-type]
        for name in chunk.columns:
            c = m.canonical(str(name))
            if c is not None:
                columns[c] = pandas_column(chunk[name], c)  # type: ignore[index]
    elif isinstance(chunk, Mapping):
        n = -1
        for name, col in chunk.items():
            c = m.canonical(str(name))
            if c is not None:
                columns[c] = pandas_column(col, c) if _is_pandas_series(col) else col
                n = len(col)
        n = max(n, 0)
    else:
        raise InvalidValueError(
            "chunk",
            N_("a RawChunk, a pyarrow Table/RecordBatch, a pandas DataFrame or a mapping"),
            type(chunk).__name__,
        )
    rows = np.arange(1, n + 1, dtype=np.int64)
    return "(chunk)", rows, columns, []


def _is_pandas_series(col: object) -> bool:
    return hasattr(col, "iloc") and hasattr(col, "dtype") and not hasattr(col, "columns")


def pandas_column(series: Any, name: str = "") -> object:
    """A pandas column as the checks read it: an Arrow array, as ``pyarrow.Table.from_pandas`` gives it (the Dask
    path's partitions, a pandas frame given to :func:`typed_columns`, a Series in a mapping all come here).

    Through Arrow, pandas' missing values — ``None``, ``NaN``, ``pd.NA``, ``NaT`` (zoned or not) — are nulls, i.e.
    empty cells as in a CSV file; nullable ``Int64`` keeps its exact integers (``to_numpy`` turns a column with a gap
    into float64); ``string`` / ``pyarrow`` / categorical columns are text and dictionaries; tz-aware datetimes keep
    their zone. A column Arrow cannot type (Python values of mixed kinds, integers past 64 bits) is read cell by cell
    as a list is, its missing values as ``None`` — the text of a code column (``name`` in :data:`CODE_COLUMNS`) as
    Arrow strings, so that its duplicate keys hash as every other chunk's do.
    """
    import pyarrow as pa

    try:
        return pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        values = series.to_numpy(dtype=object, na_value=None)
    if name in CODE_COLUMNS:
        return pa.array([None if v is None else str(v) for v in values.tolist()], type=pa.string())
    return cast(ObjArray, values)


def typed_columns(chunk: object, mapping: ColumnMapping | None = None) -> TypedColumns:
    """Convert a chunk to :class:`TypedColumns`, reporting every cell that cannot be read.

    Args:
        chunk: a reader chunk, a pyarrow Table/RecordBatch, a pandas DataFrame, or a mapping column -> sequence.
            Outside reader chunks, row numbers are 1..n within the chunk.
        mapping: header mapping for non-reader chunks (default :meth:`ColumnMapping.default`).
    """
    file, rows, columns, problems = _source_columns(chunk, mapping)
    n = len(rows)
    codes: dict[str, StrCol] = {}
    enums: dict[str, I8] = {}
    datetimes: dict[str, DtArray] = {}
    integers: dict[str, I64] = {}
    for name in ALL_COLUMNS:
        col = columns.get(name)
        if name in CODE_COLUMNS:
            codes[name] = _codes(col, n)
        elif name in ENUM_COLUMNS:
            enums[name] = _enum(col, n, name, _ENUM_PARSERS[name], file, rows, problems)
        elif name in DATETIME_COLUMNS:
            datetimes[name] = _datetimes(col, n, name, file, rows, problems)
        elif name in INTEGER_COLUMNS:
            integers[name] = _integers(col, n, name, file, rows, problems)
    present = frozenset(c for c in columns if c in ALL_COLUMNS)
    return TypedColumns(file, rows, codes, enums, datetimes, integers, present, tuple(problems))


# ------------------------------------------------------------------------------------------------------ codes


def _codes(col: object, n: int) -> StrCol:
    if col is None:
        return StrCol(obj=np.full(n, None, dtype=object))
    if _is_arrow(col):
        dictionary = _dictionary_codes(col, n)
        if dictionary is not None:
            return dictionary
        arr = _as_string(col)
        if _may_have_spaces(arr):
            import pyarrow.compute as pc

            arr = pc.utf8_trim_whitespace(arr)
        return StrCol(arrow=_empty_as_null(arr))  # an empty code is a missing code
    out = np.empty(n, dtype=object)
    out[:] = [None if _missing(v) or not str(v).strip() else str(v).strip() for v in _seq(col)]
    return StrCol(obj=out)


def _dictionary_codes(col: object, n: int) -> StrCol | None:
    """A dictionary-encoded column of text (:data:`FEW_CODES` as Parquet gives them) read through its dictionary:
    each entry trimmed once, an empty one missing, and the column's distinct values with each row's index among them
    (what :meth:`StrCol.factorize` gives) worked out from the entries' indices — equal, value for value and in the
    same order, to what the cells read one by one give. ``None`` when the column is not dictionary-encoded text, or
    its dictionary is larger than the chunk (then the cells are read one by one)."""
    import pyarrow as pa

    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if not isinstance(arr, pa.DictionaryArray):
        return None
    entries = arr.dictionary
    text = pa.types.is_string(entries.type) or pa.types.is_large_string(entries.type)
    if not text or not pa.types.is_signed_integer(arr.indices.type) or len(entries) > max(n, 1):
        return None
    if not _valid_text(entries):
        return None
    if _may_have_spaces(entries):
        import pyarrow.compute as pc

        entries = pc.utf8_trim_whitespace(entries)
    entries = _empty_as_null(entries)
    k = len(entries)
    idx = to_numpy(arr.indices, null=-1).astype(np.int64)
    idx[idx < 0] = k  # a missing cell: the extra entry k (None)
    # the distinct values in order of first appearance (as Arrow's dictionary_encode of the cells orders them): each
    # entry's first row, then entries equal once trimmed (or both missing) merged into the first of them
    first = np.full(k + 1, n, dtype=np.int64)
    np.minimum.at(first, idx, np.arange(n, dtype=np.int64))
    used = np.flatnonzero(first < n)
    names: list[str | None] = [*entries.to_pylist(), None]
    value_of: dict[str | None, int] = {}
    remap = np.zeros(k + 1, dtype=np.int64)
    for e in used[np.argsort(first[used], kind="stable")].tolist():
        remap[e] = value_of.setdefault(names[e], len(value_of))
    return StrCol.factorized(list(value_of), remap[idx], lambda: entries.take(arr.indices))


def _valid_text(entries: pa.Array) -> bool:
    """Whether a dictionary's entries are valid UTF-8. Parquet readers do not check it, and a dictionary is the row
    group's: one bad entry read through it would fail every piece of the row group, not only the rows holding it
    (those fail alone when the piece's own cells are read)."""
    import pyarrow as pa

    try:
        entries.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _utf8(arr: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """(offsets of the values into the data, the data) of an Arrow string array, read in place."""
    import pyarrow as pa

    wide = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=wide)[arr.offset : arr.offset + len(arr) + 1].astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, dtype=np.uint8)
    return offsets, data


def _may_have_spaces(arr: pa.Array) -> bool:
    """Whether some value may start or end with white space: its first or last byte is ASCII white space or a
    control character, or not ASCII (every Unicode space is one of those) — else trimming changes nothing."""
    if not len(arr):
        return False
    offsets, data = _utf8(arr)
    lengths = np.diff(offsets)
    width = int(lengths[0])
    if width and (lengths == width).all():
        # every value of one width (codes often are): their first and last bytes are every width-th byte, read in
        # place rather than gathered
        run = data[int(offsets[0]) : int(offsets[-1])]
        edges = np.concatenate([run[::width], run[width - 1 :: width]])
    else:
        filled = lengths > 0
        if not filled.any():
            return False
        edges = np.concatenate([data[offsets[:-1][filled]], data[offsets[1:][filled] - 1]])
    return bool(((edges <= 0x20) | (edges >= 0x7F)).any())


def _empty_as_null(arr: pa.Array) -> pa.Array:
    """Empty strings as nulls (a cell holding nothing is a missing value)."""
    if not len(arr):
        return arr
    offsets, _ = _utf8(arr)
    empty = offsets[1:] == offsets[:-1]
    if arr.null_count:
        empty &= to_numpy(kernel("is_valid", arr))
    if not empty.any():
        return arr
    return kernel("if_else", from_numpy(empty), scalar(None, arr.type), arr)


def _missing(v: object) -> bool:
    """An empty cell in a column of Python values: ``None``, a float NaN, a NaT (numpy's or pandas') or ``pd.NA``
    (a pandas column given as a list) — each is its own unequal, but ``pd.NA``'s comparison is not a bool."""
    if v is None:
        return True
    if isinstance(v, float | np.floating | np.datetime64):
        return bool(v != v)
    return is_nat(v) or type(v).__name__ == "NAType"


def _seq(col: object) -> Sequence[object]:
    if isinstance(col, np.ndarray):
        return cast(Sequence[object], col.tolist())
    return cast(Sequence[object], col)


def _as_string(col: object) -> pa.Array:
    import pyarrow as pa

    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    assert isinstance(arr, pa.Array)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    return arr


# ------------------------------------------------------------------------------------------------------ enums


def _parse_channel(v: object) -> int:
    return CHANNELS.index(Channel.parse(v)) + 1


def _parse_status(v: object) -> int:
    return DossierStatus.parse(v).portal_code


def _parse_level(v: object) -> int:
    return LEVELS.index(OnlineLevel.parse(v)) + 1


def _has_foreign_digit(text: str) -> bool:
    """A digit that is not 0-9 (superscripts, Arabic-Indic, full-width ...)."""
    return not text.isascii() and any(ch.isdigit() and not ch.isascii() for ch in text)


_ENUM_PARSERS: dict[str, Callable[[object], int]] = {
    "channel": _parse_channel,
    "result_channel": _parse_channel,
    "status": _parse_status,
    "online_level": _parse_level,
}
_CHANNEL_EXPECTED = N_("direct|online|postal or the portal code 1|2|3")
_ENUM_EXPECTED = {
    "channel": _CHANNEL_EXPECTED,
    "result_channel": _CHANNEL_EXPECTED,
    "status": N_("a portal status code 1-10 or its name (received, processing, returned, ...)"),
    "online_level": N_("1-4, full or partial"),
}
_EXPECTED_GIVEN = N_("expected {expected}, got {given}")
_EXPECTED_GIVEN_DETAIL = N_("expected {expected}, got {given} ({detail})")
_DT_EXPECTED = words(DATETIME_EXPECTED)


_FEW_VALUES = 256
"""Up to this many distinct values, an enumeration the reader dictionary-encoded is looked up through its dictionary."""


def _enum(
    col: object, n: int, name: str, parse: Callable[[object], int], file: str, rows: I64, problems: list[RowProblem]
) -> I8:
    """Codes: 0 empty, >0 the value's code; unreadable cells are reported and left empty."""
    if col is None:
        return np.zeros(n, dtype=np.int8)
    if _is_arrow(col):
        import pyarrow as pa

        arr: pa.Array = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if pa.types.is_dictionary(arr.type) and (
            not pa.types.is_string(arr.type.value_type) or len(arr.dictionary) > _FEW_VALUES
        ):
            arr = arr.dictionary_decode()  # a dictionary of the whole file or block: only this chunk's values count
        if pa.types.is_dictionary(arr.type) and not _valid_text(arr.dictionary):
            arr = arr.dictionary_decode()
        if pa.types.is_dictionary(arr.type):
            # encoded by the reader already: trim the few distinct values, not every cell (values that are equal
            # once trimmed are looked up twice, with the same answer)
            encoded = arr
            dictionary = kernel("utf8_trim_whitespace", arr.dictionary)
        else:
            import pyarrow.compute as pc

            encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(_as_string(arr)))
            dictionary = encoded.dictionary
        values = dictionary.to_pylist()
        idx = to_numpy(encoded.indices, null=-1).astype(np.int64)
    else:
        seq = [None if _missing(v) else v for v in _seq(col)]
        keys: dict[object, int] = {}
        idx_list = []
        for v in seq:
            key = v.strip() if isinstance(v, str) else v
            idx_list.append(-1 if key is None or key == "" else keys.setdefault(key, len(keys)))
        values = list(keys)
        idx = np.asarray(idx_list, dtype=np.int64)
    table = np.zeros(len(values) + 1, dtype=np.int8)  # last slot: the empty cell (index -1)
    bad_values: set[int] = set()
    for i, v in enumerate(values):
        if v is None or v == "":
            continue
        if isinstance(v, str) and _has_foreign_digit(v):
            # int() and str.isdigit() take '²', '٢' and '２' for digits; a code column is written in ASCII digits
            bad_values.add(i)
            continue
        if isinstance(v, str) and v.isascii() and v.isdigit():
            v = int(v)
        try:
            table[i] = parse(v)
        except (InvalidValueError, ValueError, OverflowError):
            bad_values.add(i)
    out: I8 = table[idx]
    if bad_values:
        bad = np.isin(idx, np.fromiter(bad_values, dtype=np.int64))
        for k in np.flatnonzero(bad):
            given = values[int(idx[k])]
            problems.append(
                RowProblem.of(
                    file,
                    int(rows[k]),
                    name,
                    "E_TYPE",
                    words(_EXPECTED_GIVEN, expected=words(_ENUM_EXPECTED[name]), given=repr(given)),
                    str(given),
                )
            )
    return out


# ------------------------------------------------------------------------------------------------------ datetimes

_ARROW_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)


def _dt_problem(exc: InvalidValueError, file: str, row: int, name: str, raw: str) -> RowProblem:
    """The scalar parser's words, without the field name (the finding has its own field)."""
    expected = words(exc.expected)  # the parser's own wording, marked for translation
    said = (
        words(_EXPECTED_GIVEN_DETAIL, expected=expected, given=repr(raw), detail=marked(exc.detail_words))
        if exc.detail
        else words(_EXPECTED_GIVEN, expected=expected, given=repr(raw))
    )
    return RowProblem.of(file, row, name, "E_TYPE", said, raw)


def _local_naive(dt: datetime) -> np.datetime64:
    return np.datetime64(dt.astimezone(VN_TZ).replace(tzinfo=None), "s")


def _datetimes(col: object, n: int, name: str, file: str, rows: I64, problems: list[RowProblem]) -> DtArray:
    if col is None:
        return np.full(n, NAT)
    if isinstance(col, np.ndarray) and col.dtype.kind == "M":
        # already typed (numpy, in a mapping): naive values are Vietnam wall time
        return col.astype("datetime64[s]")
    if _is_arrow(col):
        import pyarrow as pa

        arr: pa.Array = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
            if pa.types.is_timestamp(arr.type) and arr.type.tz is not None:
                arr = vietnam_wall_time(arr)
            seconds = _timestamp_seconds(arr) if pa.types.is_timestamp(arr.type) else None
            return seconds if seconds is not None else _ts_to_numpy(cast_array(arr, pa.timestamp("s"), safe=False))
        return _datetimes_arrow(_as_string(arr), name, file, rows, problems)
    out = np.full(n, NAT)
    cache: dict[str, np.datetime64 | InvalidValueError] = {}
    for k, v in enumerate(_seq(col)):
        if _missing(v):
            continue
        if isinstance(v, datetime):
            try:
                out[k] = _local_naive(_parse_dt(v, name))
            except (InvalidValueError, ValueError, OverflowError):
                problems.append(
                    RowProblem.of(
                        file, int(rows[k]), name, "E_TYPE", words(_EXPECTED_GIVEN, expected=_DT_EXPECTED, given=repr(v))
                    )
                )
            continue
        key = str(v)
        if not key.strip():
            continue
        hit = cache.get(key, NAT)
        if hit is NAT:
            try:
                hit = _local_naive(_parse_dt(key, name))
            except InvalidValueError as exc:
                hit = exc
            cache[key] = hit
        if isinstance(hit, InvalidValueError):
            problems.append(_dt_problem(hit, file, int(rows[k]), name, key))
        else:
            out[k] = hit
    return out


def _ts_to_numpy(arr: pa.Array) -> DtArray:
    """A ``timestamp[s]`` Arrow array as ``datetime64[s]`` (nulls -> NaT) without going through pandas."""
    import pyarrow as pa

    return to_numpy(cast_array(arr, pa.int64()), null=int(np.iinfo(np.int64).min)).view("datetime64[s]")


_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _timestamp_seconds(arr: pa.Array) -> DtArray | None:
    """A zoneless timestamp array as ``datetime64[s]`` (nulls -> NaT), the fraction of a second dropped from the wall
    time as the text readers drop it — numpy's ``//`` rounds down, also before 1970, where Arrow's cast (truncating
    toward zero) would roll 1969-12-31 23:59:59.5 over to 1970-01-01 00:00:00 — in a third less CPU than Arrow's cast
    and the conversion after it."""
    per = _PER_SECOND.get(arr.type.unit)
    if per is None:  # pragma: no cover - Arrow's four units
        return None
    if per == 1:
        return _ts_to_numpy(arr)
    import pyarrow as pa

    n = len(arr)
    if not n or arr.buffers()[1] is None:
        return _ts_to_numpy(cast_array(arr, pa.timestamp("s"), safe=False))
    # the values in place, the slots of nulls included (they hold anything): divided, then the nulls put back as NaT
    # — one pass fewer than filling the nulls first
    seconds = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n] // per
    nulls = arr.null_count
    if nulls:
        seconds = np.where(to_numpy(kernel("is_valid", arr)), seconds, np.iinfo(np.int64).min)
    return seconds.view("datetime64[s]")


def vietnam_wall_time(arr: pa.Array) -> pa.Array:
    """A zoned timestamp array as Vietnam wall time: zoneless, in seconds (the fraction of a second dropped
    downwards, as :func:`_timestamp_seconds` drops it), nulls kept.

    The instants are made seconds before the zone's offset is added: added to nanoseconds, seven hours carry the
    last instants int64 nanoseconds hold (up to 2262-04-11 23:47:16 UTC) past its end, and Arrow's
    ``local_timestamp`` wraps them round to 1677."""
    import pyarrow as pa

    zoned = pa.timestamp("s", "Asia/Ho_Chi_Minh")
    per = _PER_SECOND.get(arr.type.unit, 1)
    n = len(arr)
    if per == 1 or not n or arr.buffers()[1] is None:
        return kernel("local_timestamp", cast_array(arr, zoned, safe=False))
    seconds = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n] // per
    mask = ~to_numpy(kernel("is_valid", arr)) if arr.null_count else None
    return kernel("local_timestamp", pa.array(seconds, zoned, mask=mask))


def _datetimes_arrow(arr: pa.Array, name: str, file: str, rows: I64, problems: list[RowProblem]) -> DtArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if arr.null_count == len(arr):
        return np.full(len(arr), NAT)
    try:
        # Arrow's ISO 8601 parser (YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, 'T' separator): the fast path
        return _ts_to_numpy(pc.cast(arr, pa.timestamp("s")))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    text = pc.utf8_trim_whitespace(arr)
    text = _empty_as_null(text)
    formats = list(_ARROW_FORMATS)
    first = text.drop_null()[0].as_py() if text.null_count < len(text) else ""
    if "/" in first:  # a dd/mm/yyyy file: try those formats first
        formats.sort(key=lambda f: not f.startswith("%d/"))
    result = pa.nulls(len(text), pa.timestamp("s"))
    remaining = pc.is_valid(text)
    for fmt in formats:
        if not pc.any(remaining).as_py():
            break
        parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
        # strptime rolls 30/02 over to 1 March and reads '24' as the year 0024; a value is taken only when it
        # prints back as the text it came from — anything else is left to the scalar parser, which decides
        exact = pc.equal(pc.strftime(parsed, format=fmt), text).fill_null(scalar(False, pa.bool_()))
        parsed = pc.if_else(exact, parsed, scalar(None, pa.timestamp("s")))
        result = pc.coalesce(result, parsed)
        remaining = pc.and_(remaining, pc.invert(exact))
    out = _ts_to_numpy(result).copy()
    if pc.any(remaining).as_py():
        # zones, fractions of a second, one-digit hours...: the scalar parser decides, one cell at a time
        idx = np.flatnonzero(to_numpy(remaining, null=False))
        for k in idx:
            raw = text[int(k)].as_py()
            try:
                out[k] = _local_naive(_parse_dt(raw, name))
            except InvalidValueError as exc:
                problems.append(_dt_problem(exc, file, int(rows[k]), name, raw))
    return out


# ------------------------------------------------------------------------------------------------------ integers

MAX_INTEGER = 10**18 - 1
"""The largest whole number a count or an amount in đồng may hold (18 digits; int64 holds a little more)."""
_EXPECTED_INTEGER = N_("expected a whole number from 0 to {max}, got {given}")
_INT_RE = re.compile(r"^[0-9]+$")  # ASCII digits only: '\d' and int() also take '²', '٢' and '２'
_GROUPED_RE = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{3})+$")


_ZERO_FRACTION_RE = re.compile(r"^([0-9]+)\.0+$")
_DIGITS_ARROW = r"^[0-9]{1,18}(?:\.0+)?$"
"""Up to 18 ASCII digits, perhaps a zero fraction after a point: a number with no grouping (a decimal's text)."""
_PLAIN_ARROW = r"^(?:[0-9]{1,18}|[0-9]{4,18}\.0+|[0-9]{1,3}\.(?:0{1,2}|0{4,}))$"
"""What Arrow's kernels read of a text cell without Python: :data:`_DIGITS_ARROW` except three zeros after one to
three digits (``115.000``), which are thousands (:data:`_GROUPED_RE`), read by :func:`_int_from_text`."""
_FRACTION_ARROW = r"\.0+$"


def _int_from_text(s: str) -> int | None:
    """``30000``, ``30.000``, ``30,000`` or ``30000.00`` (a zero fraction after a point, any number of zeros) as a
    whole number in range; ``None`` for anything else. Three digits after one point are thousands (``30.000``)."""
    if _INT_RE.match(s):
        digits = s
    elif _GROUPED_RE.match(s):
        digits = re.sub(r"[.,]", "", s)
    elif (zero_fraction := _ZERO_FRACTION_RE.match(s)) is not None:
        digits = zero_fraction[1]
    else:
        return None
    value = int(digits) if len(digits) <= 19 else MAX_INTEGER + 1
    return value if value <= MAX_INTEGER else None


def _int_problem(file: str, row: int, name: str, given: object) -> RowProblem:
    text = str(given)
    said = words(_EXPECTED_INTEGER, max=MAX_INTEGER, given=repr(text[:60]))
    return RowProblem.of(file, row, name, "E_TYPE", said, text[:200])


def _typed_integers(
    values: npt.NDArray[np.integer[Any]],
    null: Bool,
    name: str,
    file: str,
    rows: I64,
    problems: list[RowProblem],
    spell: Callable[[I64], list[str]] | None = None,
) -> I64:
    """Integers already typed (Parquet, pandas): the same range as text — negative or too large is a finding.
    ``spell``: the cells at some indexes as the source writes them (default: the integers)."""
    if values.dtype.kind == "u":
        bad = values > np.uint64(MAX_INTEGER)
    else:  # one comparison for both sides: as unsigned, a negative number is past the largest too
        bad = values.astype(np.int64, copy=False).view(np.uint64) > np.uint64(MAX_INTEGER)
    if not bad.any():  # the usual case: the values as they are, -1 where empty
        return np.where(null, np.int64(-1), values.astype(np.int64, copy=False))
    bad &= ~null
    out = np.where(bad | null, 0, values).astype(np.int64)
    out[bad | null] = -1
    where = np.flatnonzero(bad)
    given = spell(where) if spell is not None else [str(values[k].item()) for k in where.tolist()]
    for k, text in zip(where.tolist(), given, strict=True):
        problems.append(_int_problem(file, int(rows[k]), name, text))
    return out


_FLOAT_LIMIT = float(MAX_INTEGER + 1)
"""10**18, exactly a float: a float below it is at most :data:`MAX_INTEGER` (``float(MAX_INTEGER)`` rounds up to it)."""


def _float_integers(
    values: npt.NDArray[np.floating[Any]], null: Bool, name: str, file: str, rows: I64, problems: list[RowProblem]
) -> I64:
    """Numbers typed as floats (a Parquet ``double``, a pandas column with a gap): a whole one in range is that whole
    number, as ``115000.0`` written as text is; a fraction, a negative number, one past the range, NaN (unless
    ``null`` says it is empty) or an infinity is a finding naming the number (numpy's shortest spelling)."""
    with np.errstate(invalid="ignore"):  # NaN and the infinities compare False: not whole
        whole = (values >= 0) & (values < _FLOAT_LIMIT) & (np.floor(values) == values)
    out = np.where(whole, values, -1.0).astype(np.int64)
    bad = ~(whole | null)
    for k in np.flatnonzero(bad).tolist():
        problems.append(_int_problem(file, int(rows[k]), name, str(values[k])))
    return out


def _plain_integers(text: pa.Array, pattern: str = _PLAIN_ARROW) -> tuple[pa.Array, pa.Array]:
    """(the values, which cells hold them) of the text cells ``pattern`` takes (ASCII digits, perhaps a zero
    fraction) — read by Arrow's kernels, without Python; the other cells' values are null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pc.match_substring_regex(text, pattern).fill_null(scalar(False, pa.bool_()))
    digits = pc.if_else(plain, text, scalar(None, pa.string()))
    offsets, data = _utf8(text)
    if (data[int(offsets[0]) : int(offsets[-1])] == ord(".")).any():  # a zero fraction: dropped before the cast
        digits = pc.replace_substring_regex(digits, _FRACTION_ARROW, "")
    return cast_array(digits, pa.int64()), plain


def _decimal_integers(arr: pa.Array, name: str, file: str, rows: I64, problems: list[RowProblem]) -> I64:
    """A typed decimal column (Parquet ``decimal(18,2)``): a whole value — any zero fraction — is that number; a
    fraction, a negative or too large value is a finding naming the decimal as written at its scale
    (``'115000.50'``). Read by its digits, never as grouped text: ``decimal(18,3)`` 115.000 is 115."""
    import pyarrow.compute as pc

    text = _as_string(arr)  # digits, a point and the scale's digits; a sign; an exponent for a negative scale
    values, plain = _plain_integers(text, _DIGITS_ARROW)
    out = to_numpy(values, null=-1).astype(np.int64)
    bad = to_numpy(pc.and_(pc.invert(plain), pc.is_valid(text)), null=False)
    for k in np.flatnonzero(bad).tolist():
        problems.append(_int_problem(file, int(rows[k]), name, text[k].as_py()))
    return out


def _integers(col: object, n: int, name: str, file: str, rows: I64, problems: list[RowProblem]) -> I64:
    """Whole numbers from 0 to :data:`MAX_INTEGER` (``30000``, ``30.000``, ``30,000``, ``30000.00``); -1 = empty.

    Numbers already typed — integers, floats, decimals — are read by their value: a whole one (any zero fraction) is
    that number, anything else a finding naming it."""
    if col is None:
        return np.full(n, -1, dtype=np.int64)
    if isinstance(col, np.ndarray) and col.dtype.kind in "iu":
        return _typed_integers(col, np.zeros(len(col), dtype=bool), name, file, rows, problems)
    if isinstance(col, np.ndarray) and col.dtype.kind == "f":  # numpy floats (a mapping's column): NaN is missing
        return _float_integers(col, np.isnan(col), name, file, rows, problems)
    if _is_arrow(col):
        import pyarrow as pa

        arr: pa.Array = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if pa.types.is_integer(arr.type):
            values = to_numpy(arr, null=0)
            null = to_numpy(arr.is_null()) if arr.null_count else np.zeros(len(values), dtype=np.bool_)
            return _typed_integers(values, null, name, file, rows, problems)
        if pa.types.is_floating(arr.type):  # Arrow: a null is missing, NaN is a value (and not a whole number)
            null = to_numpy(arr.is_null()) if arr.null_count else np.zeros(len(arr), dtype=np.bool_)
            return _float_integers(arr.to_numpy(zero_copy_only=False), null, name, file, rows, problems)
        if pa.types.is_decimal(arr.type):
            return _decimal_integers(arr, name, file, rows, problems)
        raw = _as_string(arr)
        if raw.null_count == len(raw):
            return np.full(n, -1, dtype=np.int64)
        # Arrow's cast takes the ASCII digits the text rule takes — and also '-0', '0x10' (hex) and 19-digit
        # numbers: it is used only on cells of ASCII digits, and its answers only when they are all in range
        if kernel("all", kernel("ascii_is_decimal", raw)).as_py():
            try:
                fast = cast_array(raw, pa.int64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # an empty cell, a number past int64
                pass
            else:
                low, high = kernel("min_max", fast).values()
                if low.as_py() is None or high.as_py() <= MAX_INTEGER:
                    return to_numpy(fast, null=-1).astype(np.int64)
        import pyarrow.compute as pc

        text = pc.utf8_trim_whitespace(raw)
        vals, plain = _plain_integers(text)
        if pc.all(pc.or_(plain, pc.is_null(_empty_as_null(text)))).as_py():
            return to_numpy(vals, null=-1).astype(np.int64)
        seq: Sequence[object] = text.to_pylist()
    else:
        seq = _seq(col)
    out = np.full(n, -1, dtype=np.int64)
    for k, v in enumerate(seq):
        if _missing(v):
            continue
        if isinstance(v, int) and not isinstance(v, bool):
            if 0 <= v <= MAX_INTEGER:
                out[k] = v
            else:
                problems.append(_int_problem(file, int(rows[k]), name, v))
            continue
        if isinstance(v, float | Decimal):  # a number, read by its value (as the typed columns are), not as text
            finite = v.is_finite() if isinstance(v, Decimal) else math.isfinite(v)
            if finite and v == int(v) and 0 <= v <= MAX_INTEGER:
                out[k] = int(v)
                continue
            problems.append(_int_problem(file, int(rows[k]), name, v))
            continue
        s = str(v).strip()
        if not s:
            continue
        value = _int_from_text(s)
        if value is None:
            problems.append(_int_problem(file, int(rows[k]), name, s))
        else:
            out[k] = value
    return out
