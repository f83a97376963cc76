"""The duplicate dossier code check of a whole run (tthc.validation.duplicates): exact whatever the hash does, the
same findings whether the codes stay in memory or are spilled, reported last in file and row order, and every
row counted once in the summary."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.catalog.collection import Catalog
from tthc.records.columns import StrCol
from tthc.testing.record_files import row, write_csv
from tthc.validation import duplicates as dup_module
from tthc.validation.duplicates import ROW_ERROR, ROW_OK, ROW_WARNING, DuplicateCodes
from tthc.validation.run import FindingWriter, validate_files

CAT = Catalog.sample()
CODES = ["A-1", "a-1", "B-2", "C-3", "c-3", "D-44", "EE-5", "Đ-6", "đ-6", "X" * 40, "x" * 40]
# canonical codes (packed into their keys) beside codes one step from the form (hashed): a month or day past what
# the key holds, a lower-case level letter, a code one byte longer, padded, another letter, a full-width digit
CANONICAL = [
    "000.00.12.H21-250303-0001", "000.00.12.h21-250303-0001", "000.00.12.K21-250303-0001",
    "999.99.99.k99-991531-9999", "999.99.99.K99-991531-9999", "000.00.12.H21-251603-0001",
    "000.00.12.h21-251603-0001", "000.00.12.H21-250332-0001", "000.00.12.H21-250303-00011",
    " 000.00.12.H21-250303-0001", "000.00.12.X21-250303-0001", "000.00.12.H21-250303-000１",
    "000.00.12.H21-250303-0002",
]  # fmt: skip


def _code(i: int) -> str:
    return f"000.00.12.H21-250303-{i:04d}"


def _reference(files: list[list[str | None]]) -> list[tuple[int, int, str]]:
    """(file, row, message) of every repeat in file and row order, the first occurrence named (rows from 1)."""
    first: dict[str, tuple[int, int]] = {}
    out = []
    for f, codes in enumerate(files):
        for r, code in enumerate(codes, 1):
            if code is None:
                continue
            key = code.upper()
            if key in first:
                ff, fr = first[key]
                where = f"row {fr}" + (f" of f{ff}" if ff != f else "")
                out.append((f, r, f"dossier code {code} already on {where}"))
            else:
                first[key] = (f, r)
    return out


def _zero_hash(codes: object) -> np.ndarray:
    # every code collides with every other: only the comparison of the codes themselves can tell them apart
    return np.zeros(len(codes), dtype=np.int64)  # type: ignore[arg-type]


def _run(
    files: list[list[str | None]], pieces: int, check: DuplicateCodes, *, arrow: bool = True
) -> list[tuple[int, int, str]]:
    with check:
        for f, codes in enumerate(files):
            check.start_file(f"f{f}")
            rows = np.arange(1, len(codes) + 1, dtype=np.int64)
            for part in np.array_split(np.arange(len(codes)), pieces):
                if arrow:
                    import pyarrow as pa

                    col = StrCol(arrow=pa.array([codes[i] for i in part], pa.string()))
                else:
                    col = StrCol(obj=np.array([codes[i] for i in part], dtype=object))
                check.add(rows[part], col, np.zeros(len(part), dtype=np.int8))
        found = [(p, s) for p, s in check.found()]
    assert all(s == ROW_OK and p.code == "E_DUPLICATE_DOSSIER" and p.field == "dossier_code" for p, s in found)
    return [(int(p.file[1:]), p.row, p.message) for p, _ in found]


files_strategy = st.lists(
    st.lists(st.one_of(st.none(), st.sampled_from(CODES), st.sampled_from(CANONICAL)), max_size=40),
    min_size=1,
    max_size=3,
)


@settings(max_examples=80, deadline=None)
@given(
    files=files_strategy,
    pieces=st.integers(min_value=1, max_value=4),
    memory=st.integers(min_value=1, max_value=2000),
    buckets=st.integers(min_value=1, max_value=8),
    collide=st.booleans(),
    threads=st.sampled_from([1, 2, 3]),
)
def test_repeats_are_exact_in_memory_or_spilled(
    files: list[list[str | None]], pieces: int, memory: int, buckets: int, collide: bool, threads: int
) -> None:
    """Whatever the memory bound (spilled or not), the buckets, the hash (even one where every code collides) and the
    threads the end looks through runs of buckets in, the repeats are those of the plain rule, in file and row
    order, each naming the first occurrence."""
    check = DuplicateCodes(memory_bytes=memory, buckets=buckets, hasher=_zero_hash if collide else None)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(dup_module, "END_THREADS", threads)
        m.setattr(dup_module, "usable_cores", lambda: threads)
        m.setattr(dup_module, "_THREADED_CODES", 0)  # these few codes too
        assert _run(files, pieces, check) == _reference(files)


@settings(max_examples=30, deadline=None)
@given(files=files_strategy, memory=st.integers(min_value=1, max_value=2000))
def test_without_pyarrow_the_same_repeats(files: list[list[str | None]], memory: int) -> None:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(dup_module, "_have_arrow", lambda: False)
        got = _run(files, 2, DuplicateCodes(memory_bytes=memory, hasher=_zero_hash), arrow=False)
    assert got == _reference(files)


def test_a_code_hashes_alike_in_every_block() -> None:
    """The hash of a code does not depend on the other codes of its block (short ASCII blocks take a faster path)."""
    import pyarrow as pa

    from tthc.validation.duplicates import code_hashes

    codes = ["A-1", "Đ-6", "X" * 40, "b-2", "X" * 39 + "Y"]
    alone = [int(code_hashes(pa.array([c]))[0]) for c in codes]
    assert code_hashes(pa.array(codes)).tolist() == alone
    assert int(code_hashes(pa.array(["a-1", "B-2"]))[0]) == alone[0]
    assert len(set(alone)) == len(alone)


def test_canonical_codes_are_their_keys() -> None:
    """A canonical code is packed exactly (negative key, read back as written, equal keys for the two cases of its
    letter); a code one step from the form is hashed (key from 0 up)."""
    import pyarrow as pa

    from tthc.validation.code_keys import code_keys, identity, unpacked

    keys = code_keys(pa.array(CANONICAL))
    packed = keys < 0
    assert packed.tolist() == [True, True, True, True, True, False, False, False, False, False, False, False, True]
    assert unpacked(keys[packed]).to_pylist() == [c for c, p in zip(CANONICAL, packed, strict=True) if p]
    ident = identity(keys)
    assert ident[0] == ident[1] != ident[2]
    assert ident[3] == ident[4]
    assert len(set(ident[[0, 2, 3, 12]].tolist())) == 4
    assert code_keys(pa.array(CANONICAL[5:7])).tolist() == keys[5:7].tolist()  # the same key in any block


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text("0123456789", min_size=9, max_size=9),
            st.sampled_from("HKhk"),
            st.integers(0, 99),
            st.integers(0, 15),
            st.integers(0, 31),
            st.integers(0, 9999),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_packing_is_exact(parts: list[tuple[str, str, int, int, int, int]]) -> None:
    """Every code of the canonical form with a month up to 15 and a day up to 31 packs into a key it is read back
    from; two codes have equal keys exactly when they are equal but for the case of the letter."""
    import pyarrow as pa

    from tthc.validation.code_keys import code_keys, identity, unpacked

    codes = [f"{a[:3]}.{a[3:5]}.{a[5:7]}.{x}{a[7:]}-{y:02d}{m:02d}{d:02d}-{n:04d}" for a, x, y, m, d, n in parts]
    keys = code_keys(pa.array(codes))
    assert (keys < 0).all()
    assert unpacked(keys).to_pylist() == codes
    ident = identity(keys).tolist()
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            assert (ident[i] == ident[j]) == (a.upper() == b.upper())


def test_a_forced_collision_is_not_a_duplicate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two different codes with the same hash are both valid; only a real repeat is reported (short codes: hashed,
    not packed)."""
    short = [f"H21-250303-{i:04d}" for i in range(4)]
    path = write_csv(tmp_path / "r.csv", [row(dossier_code=short[i]) for i in (1, 2, 3, 2)])
    monkeypatch.setattr(dup_module, "code_hashes", _zero_hash)
    s = validate_files([path], CAT)
    assert s.by_code == {"E_DUPLICATE_DOSSIER": 1}
    (p,) = s.examples["E_DUPLICATE_DOSSIER"]
    assert (p.row, p.message) == (4, f"dossier code {short[2]} already on row 2")
    assert (s.valid_rows, s.invalid_rows) == (3, 1)


def test_spilling_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same report, byte for byte, with every code held in memory and with the codes spilled every few rows."""
    rows = [row(dossier_code=_code(i % 150 + 1)) for i in range(400)]
    path = write_csv(tmp_path / "r.csv", rows)
    with FindingWriter(tmp_path / "held.csv") as w:
        held = validate_files([path], CAT, report=w, chunk_bytes=4096)
    spills: list[bool] = []
    real = DuplicateCodes.found

    def found(self: DuplicateCodes) -> object:
        spills.append(self.spilled)
        return real(self)

    monkeypatch.setattr(dup_module, "MEMORY_BYTES", 150)
    monkeypatch.setattr(DuplicateCodes, "found", found)
    with FindingWriter(tmp_path / "spilled.csv") as w:
        spilled = validate_files([path], CAT, report=w, chunk_bytes=4096)
    assert spills == [True]
    assert spilled.to_dict() == held.to_dict()
    assert (tmp_path / "spilled.csv").read_bytes() == (tmp_path / "held.csv").read_bytes()
    assert held.by_code == {"E_DUPLICATE_DOSSIER": 250}


def test_duplicates_come_last_in_file_and_row_order(tmp_path: Path) -> None:
    a = write_csv(
        tmp_path / "a.csv",
        [row(dossier_code=_code(1)), row(dossier_code=_code(2)), row(dossier_code=_code(1), procedure_code="9.9")],
    )
    b = write_csv(tmp_path / "b.csv", [row(dossier_code=_code(2).lower()), row(dossier_code=_code(3))])
    with FindingWriter(tmp_path / "report.csv") as w:
        s = validate_files([a, b], CAT, report=w)
    with (tmp_path / "report.csv").open(encoding="utf-8") as fh:
        items = [(Path(r["file"]).name, int(r["row"]), r["code"], r["message"]) for r in csv.DictReader(fh)]
    codes = [c for _, _, c, _ in items]
    assert codes[-2:] == ["E_DUPLICATE_DOSSIER", "E_DUPLICATE_DOSSIER"]
    assert "E_DUPLICATE_DOSSIER" not in codes[:-2]
    assert items[-2][:2] == ("a.csv", 3)
    assert items[-2][3] == f"dossier code {_code(1)} already on row 1"
    assert items[-1][:2] == ("b.csv", 1)
    assert items[-1][3] == f"dossier code {_code(2).lower()} already on row 2 of {a}"
    assert (s.rows, s.valid_rows, s.invalid_rows) == (5, 3, 2)


def test_a_duplicate_is_counted_once_whatever_its_row_had(tmp_path: Path) -> None:
    """A repeat makes a valid row invalid, moves a warnings-only row to the invalid ones, and leaves a row that
    already had an error one invalid row."""
    rows = [
        row(dossier_code=_code(1)),
        row(dossier_code=_code(2)),
        row(dossier_code=_code(3)),
        row(dossier_code=_code(1)),  # was valid
        row(dossier_code=_code(2), status="processing"),  # had a warning only
        row(dossier_code=_code(3), procedure_code="9.999999"),  # already had an error
        row(dossier_code=_code(4), status="processing"),  # a warning, no repeat
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    s = validate_files([path], CAT)
    without = validate_files([path], CAT, duplicates=False)
    assert (without.valid_rows, without.invalid_rows, without.warning_rows) == (6, 1, 2)
    assert s.by_code["E_DUPLICATE_DOSSIER"] == 3
    assert (s.rows, s.valid_rows, s.invalid_rows, s.warning_rows) == (7, 4, 3, 1)
    assert s.rows == s.valid_rows + s.invalid_rows


def test_late_findings_recount_each_row_once() -> None:
    """Tally.add_late: two late errors on one row count it once; a late warning on a clean row makes it a
    warnings-only row."""
    from tthc.records.chunks import RowProblem
    from tthc.validation.run import Tally

    t = Tally()
    t.add_rows(4)

    def p(r: int, code: str = "E_DUPLICATE_DOSSIER") -> RowProblem:
        return RowProblem("f", r, "dossier_code", code, "m", None)

    t.add_findings([p(2, "W_X"), p(3, "E_X")])
    t.add_late([(p(1), ROW_OK), (p(1), ROW_OK), (p(2), ROW_WARNING), (p(3), ROW_ERROR), (p(4, "W_Y"), ROW_OK)])
    s = t.summary([])
    assert (s.rows, s.invalid_rows, s.warning_rows, s.valid_rows) == (4, 3, 1, 1)
    assert s.by_code == {"W_X": 1, "E_X": 1, "E_DUPLICATE_DOSSIER": 4, "W_Y": 1}


def test_the_temporary_file_goes_when_closed(tmp_path: Path) -> None:
    import pyarrow as pa

    check = DuplicateCodes(memory_bytes=40, spill_dir=tmp_path)
    with check:
        check.start_file("f")
        codes = pa.array([_code(i % 3) for i in range(10)], pa.string())
        check.add(np.arange(1, 11, dtype=np.int64), StrCol(arrow=codes), np.zeros(10, dtype=np.int8))
        assert check.spilled
        assert len(list(check.found())) == 7
    assert not check.spilled
    assert list(tmp_path.iterdir()) == []  # an anonymous temporary file: nothing left behind


def test_rows_across_pieces_and_files_pair(tmp_path: Path) -> None:
    """Many pieces, two files: the findings equal the plain rule on the concatenated rows."""
    codes_a = [_code(i % 37) for i in range(300)]
    codes_b = [_code(i % 53).lower() for i in range(200)]
    a = write_csv(tmp_path / "a.csv", [row(dossier_code=c) for c in codes_a])
    b = write_csv(tmp_path / "b.csv", [row(dossier_code=c) for c in codes_b])
    with FindingWriter(tmp_path / "r.jsonl") as w:
        s = validate_files([a, b], CAT, report=w, chunk_bytes=2048)
    import json

    got = [
        json.loads(line)
        for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
        if "DUPLICATE" in line
    ]
    names = {str(a): "f0", str(b): "f1"}
    expected = _reference([list(codes_a), list(codes_b)])
    assert [(names[g["file"]], g["row"]) for g in got] == [(f"f{f}", r) for f, r, _ in expected]
    for g, (_, _, message) in zip(got, expected, strict=True):
        assert g["message"] == message.replace(" of f0", f" of {a}")
    assert s.by_code["E_DUPLICATE_DOSSIER"] == len(expected) == 500 - 53
    assert got[0]["row"] == 38


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EACCES"])
def test_a_full_or_closed_temporary_folder_for_the_spill_is_one_line_naming_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], errno_name: str
) -> None:
    """Past its memory bound the duplicate check writes its codes to a temporary file in TMPDIR. A full ``/tmp`` (a
    container's small tmpfs) or one the user may not write ended ``tthc validate`` with "internal error: OSError ...
    please report", and ``validate_files`` raised a bare ``OSError``. Expected: a ``TthcError`` — one line naming
    TMPDIR, what went wrong and what to do — exit 2, no report left."""
    import errno
    import os
    import types

    from tthc.cli import main
    from tthc.errors import OutputFileError
    from tthc.records.sample import sample_path

    def unusable(*args: object, **kwargs: object) -> object:
        code = getattr(errno, errno_name)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(dup_module, "MEMORY_BYTES", 200)  # the sample's codes pass the bound, as millions would
    monkeypatch.setattr(dup_module, "tempfile", types.SimpleNamespace(TemporaryFile=unusable))
    with pytest.raises(OutputFileError, match=r"^TMPDIR: expected a temporary folder .*--no-duplicates"):
        validate_files([sample_path()], Catalog.sample())
    monkeypatch.chdir(tmp_path)
    code = main(["--lang", "en", "validate", "--sample", "--report", "r.csv"])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith("tthc: TMPDIR: expected a temporary folder"), err[0]
    assert os.strerror(getattr(errno, errno_name)) in err[0]
    assert list(tmp_path.iterdir()) == []
