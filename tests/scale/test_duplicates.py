"""The bucketed duplicate dossier code check (tthc.scale.combine.find_duplicates) equals the single-machine rule
however the codes are cut into partitions and buckets: every occurrence of a code (case-insensitive) after its first
in file order is reported, naming the first row."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.records.chunks import StreamInfo

pa = pytest.importorskip("pyarrow", reason="the 'data' extra (pyarrow) is not installed")

from tthc.scale.combine import _bucketise  # noqa: E402
from tthc.scale.partitions import Partition, find_duplicates, row_offsets  # noqa: E402

INFO = StreamInfo("f.csv", "csv", 0)


def _reference(codes: list[str]) -> list[tuple[int, str]]:
    """(row, message) of every repeat, as the single-machine run words it (rows from 1)."""
    first: dict[str, int] = {}
    out = []
    for row, code in enumerate(codes, 1):
        key = code.upper()
        if key in first:
            out.append((row, f"dossier code {code} already on row {first[key]}"))
        else:
            first[key] = row
    return out


@settings(max_examples=60, deadline=None)
@given(
    codes=st.lists(st.sampled_from(["A-1", "a-1", "B-2", "C-3", "c-3", "D-44", "EE-5"]), max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=5),
    buckets=st.integers(min_value=1, max_value=4),
)
def test_repeats_name_the_first_occurrence_whatever_the_cut(codes: list[str], cuts: list[int], buckets: int) -> None:
    """Duplicate rule of the single-machine run (``E_DUPLICATE_DOSSIER``), kept across partitions and buckets."""
    bounds = sorted({0, len(codes), *(min(c, len(codes)) for c in cuts)})
    pieces = [codes[a:b] for a, b in itertools.pairwise(bounds)] or [[]]
    parts = [Partition(i, 0, INFO, 0, 0) for i in range(len(pieces))]
    keys = [_bucketise([(np.arange(1, len(p) + 1, dtype=np.int64), pa.array(p, pa.string()))], buckets) for p in pieces]
    offsets = row_offsets(parts, [len(p) for p in pieces])
    found = [problem for b in range(buckets) for _, problem in find_duplicates(b, keys, parts, offsets)]
    got = sorted((p.row, p.message) for p in found)
    assert got == _reference(codes)
    assert all(p.code == "E_DUPLICATE_DOSSIER" and p.field == "dossier_code" for p in found)
