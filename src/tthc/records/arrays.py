"""Arrow ↔ numpy for the records, validation and KPI code, without pandas.

pyarrow imports pandas (about a third of a second) the first time it converts a Python value or a numpy array —
``pa.array``, ``pa.scalar``, ``Array.to_numpy``, ``np.asarray(array)``, ``fill_null(0)``, a compute kernel given
``""`` or ``0`` — to ask whether the object is a pandas one. Nothing here needs pandas, so every such conversion goes
through these helpers, which build from and read the Arrow buffers instead (``tthc validate --sample`` never loads
pandas; ``tests/cli/test_startup.py`` pins it). Building from buffers is also what pyarrow does underneath, so the
helpers cost no more than the calls they replace.

:func:`kernel` and :func:`cast_array` call Arrow's compute functions without importing ``pyarrow.compute``, which wraps
each of its ≈ 290 kernels in a Python function, signature and docstring included, when it is imported (≈ 40 ms,
a tenth of ``tthc validate --sample``). pyarrow's own array methods ``cast``, ``is_null``, ``is_valid``,
``fill_null``, ``filter`` and ``dictionary_encode`` import it too: the common path (a CSV of typed dates and plain
codes, as the sample is) calls their kernels through here; rarer paths import ``pyarrow.compute`` when a column
needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["cast_array", "from_numpy", "kernel", "scalar", "string_array", "to_numpy"]

_WIDTHS = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}


def kernel(name: str, *args: object, **options: object) -> Any:
    """Arrow's compute function ``name`` on ``args``, its options given by name as to ``pyarrow.compute``: what
    ``pyarrow.compute.<name>(*args, **options)`` returns, without importing ``pyarrow.compute`` (see the module's
    docstring)."""
    from pyarrow import _compute

    if not options:  # the function's default options
        return _compute.call_function(name, list(args))
    func = _compute.get_function(name)
    return func.call(list(args), getattr(_compute, func._doc.options_class)(**options))


def cast_array(arr: pa.Array, kind: pa.DataType, *, safe: bool = True) -> pa.Array:
    """``arr.cast(kind, safe=safe)`` without importing ``pyarrow.compute``.

    Raises:
        pyarrow.ArrowInvalid: a value cannot be cast (``safe``: nor lose precision), as ``Array.cast`` raises.
    """
    from pyarrow._compute import CastOptions, call_function

    return call_function("cast", [arr], CastOptions.safe(kind) if safe else CastOptions.unsafe(kind))


def from_numpy(values: npt.NDArray[Any]) -> pa.Array:
    """A numpy bool or integer array as an Arrow ``bool`` or ``int64`` array, built from its buffer."""
    import pyarrow as pa

    if values.dtype == np.bool_:
        bits = np.packbits(values.astype(np.bool_), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits.tobytes())])
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data.tobytes())])


def string_array(values: Sequence[str | None]) -> pa.Array:
    """Python strings (``None`` = null) as an Arrow ``string`` array (``large_string`` past 2 GiB of text)."""
    import pyarrow as pa

    n = len(values)
    encoded = [b"" if v is None else v.encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(n + 1, dtype=np.int64)
    if n:
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
    large = offsets[-1] >= 1 << 31
    kind = pa.large_string() if large else pa.string()
    valid = np.fromiter((v is not None for v in values), dtype=np.bool_, count=n)
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    offs = pa.py_buffer(offsets.astype(np.int64 if large else np.int32).tobytes())
    return pa.Array.from_buffers(kind, n, [validity, offs, pa.py_buffer(b"".join(encoded))])


def scalar(value: str | int | bool | None, kind: pa.DataType) -> pa.Scalar:
    """An Arrow scalar of type ``kind`` (``None``: its null) — to hand a compute kernel a value."""
    import pyarrow as pa

    if value is None:
        return pa.nulls(1, kind)[0]
    if isinstance(value, str):
        return cast_array(string_array([value]), kind)[0]
    return cast_array(from_numpy(np.array([value], dtype=np.bool_ if isinstance(value, bool) else np.int64)), kind)[0]


def to_numpy(arr: pa.Array, null: int | bool | None = None) -> npt.NDArray[Any]:
    """A fixed-width Arrow array (booleans, integers, timestamps, dates) as numpy: booleans as ``bool``, the others
    as integers of their width (timestamps and dates as their count since the epoch); nulls become ``null`` (which
    must then be given). A view of the Arrow buffer where it can be (read-only), else a new array.

    Raises:
        ValueError: the array has nulls and no ``null`` is given, or its type is not fixed-width.
    """
    import pyarrow as pa

    n = len(arr)
    t = arr.type
    if arr.null_count and null is None:
        raise ValueError("to_numpy: the array has nulls and no value to put in their place")
    validity, data = arr.buffers()[:2]
    if pa.types.is_boolean(t):
        values = _bits(data, arr.offset, n)
    else:
        fixed = pa.types.is_integer(t) or pa.types.is_timestamp(t) or pa.types.is_date(t)
        width = t.bit_width // 8 if fixed else 0
        if width not in _WIDTHS:
            raise ValueError(f"to_numpy: expected a boolean, integer, timestamp or date array, got {t}")
        dtype = np.dtype(_WIDTHS[width])
        if pa.types.is_unsigned_integer(t):
            dtype = np.dtype(dtype.str.replace("i", "u"))
        if not n:
            return np.zeros(0, dtype=dtype)
        if data is None:  # no values at all (every one null)
            return np.full(n, null, dtype=dtype)
        values = np.frombuffer(data, dtype=dtype)[arr.offset : arr.offset + n]
    if not arr.null_count:
        return values
    # the nulls' slots hold whatever was there: the value given in their place, read from the validity bits (in
    # numpy: no Arrow kernel, no scalar to build)
    filled: npt.NDArray[Any] = np.where(_bits(validity, arr.offset, n), values, np.array(null, dtype=values.dtype))
    return filled


def _bits(buffer: pa.Buffer | None, offset: int, n: int) -> npt.NDArray[np.bool_]:
    """``n`` bits of an Arrow bitmap from bit ``offset`` on, as booleans (no buffer: all False)."""
    if buffer is None:
        return np.zeros(n, dtype=np.bool_)
    bits = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(bits, count=offset + n, bitorder="little")[offset:].astype(np.bool_)
