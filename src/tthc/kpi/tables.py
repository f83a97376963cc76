"""Tables of KPI counters keyed by (agency, procedure, month): how a chunk's rows are counted into one
(:func:`group_counts`), and how tables add up (:func:`summed`) — the counting half of :mod:`tthc.kpi.indicators`.

A table made here keeps its keys as codes into lists of labels (:class:`CountTable`): chunks' tables are summed on
their codes, and the ``(agency, procedure, "YYYY-MM")`` keys are made once, when the total is read.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping
from typing import cast

import numpy as np
import numpy.typing as npt

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

__all__ = [
    "NO_MONTH",
    "CountTable",
    "Key",
    "group_counts",
    "merged",
    "month_index",
    "packed",
    "summed",
    "unpacked",
]

I64 = npt.NDArray[np.int64]
Key = tuple[str, str, str]  # agency, procedure, month (YYYY-MM)


class CountTable(Mapping[Key, I64]):
    """A table of counters made by :func:`group_counts` or :func:`summed`: its keys as codes — each row's agency,
    procedure and month an index into a list of labels — and its counters the rows of one matrix. The dictionary of
    ``(agency, procedure, "YYYY-MM")`` keys is made only when the table is read as one: a chunk's table is summed,
    never read, and the sum works on the codes (a key made and looked up per key and chunk cost more than the
    counting). Never changed once made."""

    __slots__ = ("_keys", "codes", "labels", "matrix")

    def __init__(self, labels: tuple[list[str], list[str], list[str]], codes: I64, matrix: I64) -> None:
        self.labels = labels  # the agencies, procedures and months the codes index
        self.codes = codes  # (rows, 3)
        self.matrix = matrix
        self._keys: dict[Key, I64] | None = None

    def _dict(self) -> dict[Key, I64]:
        if self._keys is None:
            a, p, m = self.labels
            keys = [(a[x], p[y], m[z]) for x, y, z in self.codes.tolist()]
            self._keys = dict(zip(keys, self.matrix, strict=True))
        return self._keys

    def __getitem__(self, key: Key) -> I64:
        return self._dict()[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self.matrix)

    def __contains__(self, key: object) -> bool:
        return key in self._dict()

    def __repr__(self) -> str:
        return repr(self._dict())

    def __getstate__(self) -> tuple[tuple[list[str], list[str], list[str]], I64, I64]:
        return self.labels, self.codes, self.matrix  # sent as codes: the keys are made again where read

    def __setstate__(self, state: tuple[tuple[list[str], list[str], list[str]], I64, I64]) -> None:
        self.__init__(*state)  # type: ignore[misc]


def _empty_table(width: int) -> CountTable:
    """A table of no keys, ``width`` counters each."""
    return CountTable(([], [], []), np.zeros((0, 3), dtype=np.int64), np.zeros((0, width), dtype=np.int64))


def summed(tables: list[Mapping[Key, I64]], width: int) -> Mapping[Key, I64]:
    """The tables added up key by key (keys in order of first appearance). Tables made here are added on their codes:
    the labels of every table mapped into one list each (a look-up per label, not per key), then one sort of all the
    keys; any other tables (a dictionary given by a caller) key by key."""
    stacks = [_stacked(t, width) for t in tables]
    if not all(isinstance(t, CountTable) for t in tables):
        index = dict.fromkeys(itertools.chain.from_iterable(tables))  # every key once, in order of first appearance
        position = dict(zip(index, range(len(index)), strict=True))
        total = np.zeros((len(index), width), dtype=np.int64)
        for t, m in zip(tables, stacks, strict=True):
            total[np.fromiter(map(position.__getitem__, t), dtype=np.intp, count=len(t))] += m  # each key once a table
        return dict(zip(index, total, strict=True))
    coded = cast(list[CountTable], tables)
    if len(coded) <= 1:
        return CountTable(coded[0].labels, coded[0].codes, stacks[0].copy()) if coded else _empty_table(width)
    seen: tuple[dict[str, int], ...] = ({}, {}, {})
    parts = []
    for t in coded:
        maps = [
            np.array([d.setdefault(v, len(d)) for v in values], dtype=np.int64)
            for d, values in zip(seen, t.labels, strict=True)
        ]
        parts.append(np.stack([m[t.codes[:, j]] for j, m in enumerate(maps)], axis=1) if len(t.codes) else t.codes)
    codes = np.concatenate(parts)
    labels = (list(seen[0]), list(seen[1]), list(seen[2]))
    key = (codes[:, 0] * len(labels[1]) + codes[:, 1]) * len(labels[2]) + codes[:, 2]
    _uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    total = np.zeros((len(first), width), dtype=np.int64)
    np.add.at(total, inverse, np.concatenate(stacks))
    order = np.argsort(first)  # each key where it first appears (the first places are distinct)
    return CountTable(labels, codes[first[order]], total[order])


def _stacked(table: Mapping[Key, I64], width: int) -> I64:
    """A table's counters as one matrix, refused unless every key holds ``width`` whole-number counters."""
    if isinstance(table, CountTable) and table.matrix.shape[1:] == (width,):
        return table.matrix
    if isinstance(table, Mapping) and not table:  # no key (what group_counts gives a piece without keyed rows)
        return np.zeros((0, width), dtype=np.int64)
    try:
        m = np.stack(list(table.values()))
    except (ValueError, TypeError):  # vectors of different shapes, or values that are not arrays of numbers
        m = np.array(None)
    if m.shape[1:] != (width,) or m.dtype.kind not in "iub":
        raise InvalidValueError("parts", words(N_("count tables of {w} whole-number counters per key"), w=width), m)
    return m.astype(np.int64, copy=False)


Packed = CountTable | tuple[list[Key], I64]


def packed(table: Mapping[Key, I64]) -> Packed:
    """A table as it is sent between processes: one made here as its codes, any other as its keys and one matrix (a
    dictionary of small arrays pickles one array at a time)."""
    if isinstance(table, CountTable):
        return table
    width = len(next(iter(table.values()))) if table else 0
    return list(table), np.stack(list(table.values())) if table else np.zeros((0, width), dtype=np.int64)


def unpacked(table: object) -> Mapping[Key, I64]:
    """The table :func:`packed` sent."""
    if isinstance(table, CountTable):
        return table
    keys, counts = cast(tuple[list[Key], I64], table)
    return dict(zip(keys, counts, strict=True))


NO_MONTH = np.iinfo(np.int64).min


_TABLE_DAYS = 400_000
"""Instants spanning up to this many days get their month from a table of the days (numpy's own conversion to months
works out the calendar for every value, which costs several times more)."""


def month_index(values: npt.NDArray[np.datetime64]) -> I64:
    """Months since 1970-01 of each instant (``NO_MONTH`` for ``NaT``)."""
    missing = np.isnat(values)
    days = values.astype("datetime64[D]").astype(np.int64)
    present = days[~missing]
    if len(present) and int(present.max()) - int(present.min()) < _TABLE_DAYS:
        lo = int(present.min())
        table = np.arange(lo, int(present.max()) + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        out = table[np.where(missing, 0, days - lo)]
    else:
        out = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.where(missing, NO_MONTH, out)


@functools.lru_cache(maxsize=4096)
def month_label(index: int) -> str:
    """``"YYYY-MM"`` of a month since 1970-01 (kept: every piece's tables label the same few months)."""
    return str(np.datetime64(index, "M"))


def group_counts(
    a: I64,
    p: I64,
    m: I64,
    keep: npt.NDArray[np.bool_],
    state: I64,
    counters: I64,
    a_values: list[str | None],
    p_values: list[str | None],
) -> Mapping[Key, I64]:
    """Counters per (agency, procedure, month) of the kept rows: each row is in one ``state``, and ``counters[s]``
    is what a row in state ``s`` adds — so one count per row, whatever the number of counters."""
    keep = keep & (m != NO_MONTH)
    if not keep.any():
        return {}
    if not keep.all():
        a, p, m, state = a[keep], p[keep], m[keep], state[keep]
    n_states = len(counters)
    m0 = int(m.min())
    span = int(m.max()) - m0 + 1
    key = (a * len(p_values) + p) * span + (m - m0)
    size = len(a_values) * len(p_values) * span
    if size * n_states <= 4 * len(key) + 65_536:
        # a small key space: count straight into it (no sort), then keep the keys that occur
        dense = np.bincount(key * n_states + state, minlength=size * n_states).reshape(size, n_states)
        occurs = np.zeros(size, dtype=np.bool_)
        occurs[key] = True  # the keys that occur: one write per row, not a read of every counter of every key
        uniq = np.flatnonzero(occurs)
        per_state = dense[uniq]
    else:
        uniq, inv = np.unique(key, return_inverse=True)
        per_state = np.bincount(inv * n_states + state, minlength=len(uniq) * n_states).reshape(-1, n_states)
    sums: I64 = per_state.astype(np.int64) @ counters
    # the parts of each key taken apart in numpy; labels once per distinct value, the keys made only if read
    rest, mi = np.divmod(uniq, span)
    ai, pi = np.divmod(rest, len(p_values))
    months, m_idx = np.unique(mi, return_inverse=True)
    labels = (
        [str(v) for v in a_values],
        [str(v) for v in p_values],
        [month_label(m0 + i) for i in months.tolist()],
    )
    return CountTable(labels, np.stack([ai, pi, m_idx.reshape(-1)], axis=1).astype(np.int64), sums)


def merged(x: Mapping[Key, I64], y: Mapping[Key, I64]) -> dict[Key, I64]:
    out = dict(x)
    for k, v in y.items():
        out[k] = out[k] + v if k in out else v
    return out
