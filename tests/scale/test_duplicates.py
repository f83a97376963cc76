"""The bucketed duplicate dossier code check (tthc.scale.combine.find_duplicates) equals the single-machine rule
however the codes are cut into partitions and buckets: every occurrence of a code (case-insensitive) after its first
in file order is reported, naming the first row."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.records.chunks import StreamInfo

pa = pytest.importorskip("pyarrow", reason="the 'data' extra (pyarrow) is not installed")

from tthc.scale.combine import Keyed, _bucketise, _keyed  # noqa: E402
from tthc.scale.partitions import Partition, find_duplicates, row_offsets  # noqa: E402

INFO = StreamInfo("f.csv", "csv", 0)
I64 = np.typing.NDArray[np.int64]
CANONICAL = [
    "000.00.12.H21-250303-0001",
    "000.00.12.h21-250303-0001",
    "000.00.12.H21-250303-0002",
    "000.01.12.K21-250303-0001",
]


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


def _halves(codes: list[str], split: int) -> list[tuple[int, int]]:
    cut = min(split, len(codes))
    return [(0, cut), (cut, len(codes))]


def _piece(codes: list[str], a: int, b: int, hasher: Callable[[Any], I64] | None) -> Keyed:
    return _keyed(
        np.arange(a + 1, b + 1, dtype=np.int64),
        pa.array(codes[a:b], pa.string()),
        np.zeros(b - a, np.int8),
        hasher,
    )


@settings(max_examples=80, deadline=None)
@given(
    # canonical codes (packed exactly into their keys, the letter's case kept), and others (hashed, then confirmed)
    codes=st.lists(st.sampled_from([*CANONICAL, "A-1", "a-1", "B-2", "C-3", "c-3", "D-44", "EE-5"]), max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=5),
    buckets=st.integers(min_value=1, max_value=4),
    collide=st.booleans(),
    workers=st.integers(min_value=1, max_value=3),
    split=st.integers(min_value=0, max_value=60),
)
def test_repeats_name_the_first_occurrence_whatever_the_cut(
    codes: list[str], cuts: list[int], buckets: int, collide: bool, workers: int, split: int
) -> None:
    """Duplicate rule of the single-machine run (``E_DUPLICATE_DOSSIER``), kept across partitions and buckets — and
    when every code that is not canonical gets the same hash (``collide``): the codes themselves decide, a shared
    hash is never a repeat; a canonical code is named as written (``h21`` stays lower-case).
    Each bucket's task sees only the keys of its worker's buckets (``DuplicateKeys.only``), as on a cluster; a
    partition's codes come keyed piece by piece (``split``: where its second piece starts), the hashed codes' texts
    kept per piece."""
    hasher = (lambda c: np.zeros(len(c), dtype=np.int64)) if collide else None
    bounds = sorted({0, len(codes), *(min(c, len(codes)) for c in cuts)})
    pieces = [codes[a:b] for a, b in itertools.pairwise(bounds)] or [[]]
    parts = [Partition(i, 0, INFO, 0, 0) for i in range(len(pieces))]
    keys = [_bucketise([_piece(p, a, b, hasher) for a, b in _halves(p, split)], buckets) for p in pieces]
    offsets = row_offsets(parts, [len(p) for p in pieces])
    moved = [[k.only(frozenset(range(g, buckets, workers))) for k in keys] for g in range(workers)]
    found = [
        problem for b in range(buckets) for _, problem, _ in find_duplicates(b, moved[b % workers], parts, offsets)
    ]
    got = sorted((p.row, p.message) for p in found)
    assert got == _reference(codes)
    assert all(p.code == "E_DUPLICATE_DOSSIER" and p.field == "dossier_code" for p in found)


def test_partitioned_run_counts_repeats_like_one_machine(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Repeats on a valid row, a warnings-only row and a row with an error: the partitioned run (duplicates found
    per bucket, reported last) gives the single-machine summary and report, whatever the cut."""
    from tthc.catalog.collection import Catalog
    from tthc.scale.partitions import validate_partitions_locally
    from tthc.testing.record_files import row, write_csv
    from tthc.validation.run import FindingWriter, validate_files

    cat = Catalog.sample()
    root = tmp_path_factory.mktemp("dups")
    codes = [f"000.00.12.H21-250303-{i % 7:04d}" for i in range(30)]
    changes = [{}, {"status": "processing"}, {"procedure_code": "9.999999"}]
    a = write_csv(root / "a.csv", [row(dossier_code=c, **changes[i % 3]) for i, c in enumerate(codes[:18])])
    b = write_csv(root / "b.csv", [row(dossier_code=c.lower(), **changes[i % 3]) for i, c in enumerate(codes[18:])])
    with FindingWriter(root / "one.csv") as w:
        one = validate_files([a, b], cat, report=w)
    for partition_bytes in (300, 1000, 5000):
        with FindingWriter(root / "cut.csv") as w:
            cut = validate_partitions_locally([a, b], cat, report=w, partition_bytes=partition_bytes)
        assert cut.to_dict() == one.to_dict()
        assert (root / "cut.csv").read_bytes() == (root / "one.csv").read_bytes()
    assert one.by_code["E_DUPLICATE_DOSSIER"] == 23
    assert one.rows == one.valid_rows + one.invalid_rows
