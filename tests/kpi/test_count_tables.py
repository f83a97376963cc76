"""Tables of KPI counters kept as codes (``tthc.kpi.tables.CountTable``) add up, read and travel exactly as the
dictionaries they stand for: key by key, keys in order of first appearance."""

from __future__ import annotations

import pickle
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.kpi.indicators import KpiPartial
from tthc.kpi.tables import CountTable, Key, summed

AGENCIES = ["A", "B", "000.00.53.H48"]
PROCEDURES = ["1.001", "2.002", "None"]
MONTHS = ["2024-12", "2025-01", "2025-02"]


@st.composite
def _table(draw: st.DrawFn) -> CountTable:
    """A table as a chunk makes it: distinct keys, each a code into label lists of the chunk's own order."""
    a_labels = draw(st.permutations(AGENCIES))
    p_labels = draw(st.permutations(PROCEDURES))
    m_labels = draw(st.permutations(MONTHS))
    cells = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2))
    codes = draw(st.lists(cells, unique=True, max_size=12))
    counts = draw(
        st.lists(st.lists(st.integers(0, 10**6), min_size=3, max_size=3), min_size=len(codes), max_size=len(codes))
    )
    return CountTable(
        (a_labels, p_labels, m_labels),
        np.array(codes, dtype=np.int64).reshape(-1, 3),
        np.array(counts, dtype=np.int64).reshape(-1, 3),
    )


def _by_key(tables: list[Mapping[Key, npt.NDArray[np.int64]]]) -> dict[Key, list[int]]:
    total: dict[Key, list[int]] = {}
    for t in tables:
        for key, v in t.items():
            total[key] = [a + b for a, b in zip(total.get(key, [0, 0, 0]), v.tolist(), strict=True)]
    return total


@settings(max_examples=150, deadline=None)
@given(st.lists(_table(), min_size=0, max_size=6), st.booleans())
def test_tables_of_codes_add_up_key_by_key_in_order_of_first_appearance(
    tables: list[CountTable], one_as_dict: bool
) -> None:
    given_tables: list[Mapping[Key, npt.NDArray[np.int64]]] = list(tables)
    if one_as_dict and tables and len(tables[0]):  # a caller's dictionary among them (never empty: sum skips those)
        given_tables[0] = dict(tables[0])
    total = summed(given_tables, 3)
    expected = _by_key(given_tables)
    assert list(total) == list(expected)
    assert {k: v.tolist() for k, v in total.items()} == expected
    assert len(total) == len(expected)


def test_a_table_reads_as_the_dictionary_it_stands_for() -> None:
    table = CountTable(
        (["A", "B"], ["1.001"], ["2025-01", "2024-12"]),
        np.array([[1, 0, 0], [0, 0, 1]], dtype=np.int64),
        np.array([[1, 2], [3, 4]], dtype=np.int64),
    )
    as_dict = {("B", "1.001", "2025-01"): [1, 2], ("A", "1.001", "2024-12"): [3, 4]}
    assert {k: v.tolist() for k, v in table.items()} == as_dict
    assert ("A", "1.001", "2024-12") in table
    assert ("A", "1.001", "2025-01") not in table
    assert repr(table).startswith("{('B', '1.001', '2025-01'): array([1, 2])")


def test_a_partial_of_code_tables_travels_between_processes_as_it_is() -> None:
    table = CountTable(
        (["A"], ["1.001"], ["2025-01"]), np.zeros((1, 3), dtype=np.int64), np.arange(5, dtype=np.int64)[None, :]
    )
    part = KpiPartial(table, {("A", "1.001", "2025-01"): np.arange(5, dtype=np.int64)}, {}, 2)
    back = pickle.loads(pickle.dumps(part))
    assert isinstance(back.reception, CountTable)
    assert back.reception.labels == table.labels
    assert {k: v.tolist() for k, v in back.reception.items()} == {("A", "1.001", "2025-01"): [0, 1, 2, 3, 4]}
    assert {k: v.tolist() for k, v in back.judged_pause.items()} == {("A", "1.001", "2025-01"): [0, 1, 2, 3, 4]}
    assert dict(back.judged_restart) == {}
    assert back.unkeyed == 2
