"""The record readers under hostile input (issue 11, items 2-7): every file of the corpus is read without an exception
other than a ``DataFileError`` for a file-level problem, every row is accounted for, and the pyarrow reader and the
plain-Python reader agree row for row, finding for finding — the differential test."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile.corpus import CorpusFile, good_rows
from tthc.catalog.collection import Catalog
from tthc.catalog.portal_files import read_portal_jsonl
from tthc.errors import DataFileError, InvalidValueError
from tthc.records.columns import typed_columns
from tthc.records.model import parse_local_datetime
from tthc.records.readers import open_records
from tthc.testing.record_files import HEADER, csv_text, row
from tthc.validation.context import ValidationOptions
from tthc.validation.run import validate_files

CAT = Catalog.sample()
Reading = tuple[list[int], list[tuple[int, str, str]], int, int, dict[str, list[object]]]


def _read(path: Path, arrow: bool, chunk_bytes: int = 16 << 20) -> Reading:
    """Rows, findings (row, field, code) of the reader and of the typed columns, blank and continuation lines, and
    the typed values — everything two readings must agree on."""
    rows: list[int] = []
    findings: list[tuple[int, str, str]] = []
    blank = continued = 0
    values: dict[str, list[object]] = {}
    for chunk in open_records(path, use_pyarrow=arrow, chunk_bytes=chunk_bytes):
        for p in chunk.problems:
            assert p.file
            assert p.row >= 1
            assert p.field
            assert p.code.startswith(("E_", "W_"))
            assert p.message
        rows.extend(chunk.rows.tolist())
        findings.extend((p.row, p.field, p.code) for p in chunk.problems)
        blank += chunk.blank_lines
        continued += chunk.continuation_lines
        tc = typed_columns(chunk)
        findings.extend((p.row, p.field, p.code) for p in tc.problems)
        for name, arr in [*tc.datetimes.items(), *tc.integers.items(), *tc.enums.items()]:
            values.setdefault(name, []).extend(arr.tolist())
        for name, col in tc.codes.items():
            values.setdefault(name, []).extend(col.objects().tolist())
    return rows, sorted(findings), blank, continued, values


def _text_files(corpus: list[CorpusFile]) -> list[CorpusFile]:
    return [f for f in corpus if f.format != "parquet" and not f.file_error]


def test_the_corpus_covers_every_class(hostile_corpus: list[CorpusFile]) -> None:
    assert len(hostile_corpus) >= 120
    names = " ".join(f.name for f in hostile_corpus)
    for needle in ("eol_cr", "bom_", "delim_", "blank_", "quote_newline", "quote_unclosed", "cr_bare", "garbage_",
                   "huge_", "header_empty", "header_only", "header_duplicate", "header_one_column", "nul_",
                   "cp1258", "utf-16", "utf-32", "json_deep", "json_huge_int", "json_nan", "pq_corrupt_page",
                   "pq_fee_list", "pq_fee_uint64", "pq_fee_decimal", "pq_received_time"):  # fmt: skip
        assert needle in names, needle


def test_file_level_problems_are_a_data_file_error(hostile_corpus: list[CorpusFile]) -> None:
    for f in hostile_corpus:
        if not f.file_error:
            continue
        for arrow in (True, False) if f.format != "parquet" else (True,):
            with pytest.raises(DataFileError):
                list(open_records(f.path, use_pyarrow=arrow))


def test_both_readers_agree_on_every_text_file(hostile_corpus: list[CorpusFile]) -> None:
    """The differential test: pyarrow and the standard library give the same rows, findings, counts and values."""
    for f in _text_files(hostile_corpus):
        fast, plain = _read(f.path, True), _read(f.path, False)
        assert fast == plain, f.name


def test_small_blocks_read_like_one_block(hostile_corpus: list[CorpusFile]) -> None:
    """Block boundaries (a record spanning them, a CR at the end of one) change nothing."""
    for f in _text_files(hostile_corpus):
        if f.path.stat().st_size > 1 << 20:
            continue
        whole = _read(f.path, False)
        for arrow in (True, False):
            assert _read(f.path, arrow, chunk_bytes=97) == whole, (f.name, arrow)


def test_parquet_files_read_without_exception(hostile_corpus: list[CorpusFile]) -> None:
    for f in hostile_corpus:
        if f.format == "parquet" and not f.file_error:
            rows, findings, _, _, _ = _read(f.path, True)
            assert len(rows) + sum(1 for _, field, _ in findings if field == "(row)") == f.rows, f.name


def test_every_row_is_accounted_for(hostile_corpus: list[CorpusFile]) -> None:
    """rows == valid + invalid, and the stated accounting where the corpus states it."""
    opts = ValidationOptions(postal_eligibility=False)
    for f in hostile_corpus:
        if f.file_error:
            continue
        s = validate_files([f.path], CAT, opts)
        assert s.rows == s.valid_rows + s.invalid_rows, f.name
        for expected, got in ((f.rows, s.rows), (f.valid, s.valid_rows), (f.invalid, s.invalid_rows)):
            if expected is not None:
                assert got == expected, (f.name, (s.rows, s.valid_rows, s.invalid_rows))


# ------------------------------------------------------------------------------------------------ quoted newlines


@pytest.mark.parametrize("arrow", [True, False], ids=["pyarrow", "stdlib"])
def test_a_quoted_newline_is_one_record_numbered_by_its_first_line(tmp_path: Path, arrow: bool) -> None:
    rows = good_rows(3)
    text = csv_text([rows[0], {**rows[1], "agency_code": "000.00.12.\nH21"}, rows[2]])
    p = tmp_path / "q.csv"
    p.write_text(text, encoding="utf-8")
    got, findings, blank, continued, values = _read(p, arrow)
    assert got == [1, 2, 4]  # the record on lines 2-3 is row 2; the next row keeps its line's number
    assert continued == 1
    assert blank == 0
    assert values["agency_code"][1] == "000.00.12.\nH21"
    assert not [f for f in findings if f[1] == "(row)"]


@pytest.mark.parametrize("arrow", [True, False], ids=["pyarrow", "stdlib"])
def test_an_unterminated_quote_is_one_bad_row_and_swallows_nothing(tmp_path: Path, arrow: bool) -> None:
    rows = [csv_text([r]).splitlines()[1] for r in good_rows(4)]
    rows[1] = '"' + rows[1]
    p = tmp_path / "q.csv"
    p.write_text("\n".join([",".join(HEADER), *rows, '"quoted","x"']) + "\n", encoding="utf-8")
    got, findings, _, continued, _ = _read(p, arrow)
    assert got == [1, 3, 4]
    assert [(r, c) for r, field, c in findings if field == "(row)"] == [(2, "E_SCHEMA"), (5, "E_SCHEMA")]
    assert continued == 0


@pytest.mark.parametrize("eol", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_line_endings_read_alike(tmp_path: Path, eol: str) -> None:
    p = tmp_path / "e.csv"
    p.write_text(csv_text(good_rows(3)).replace("\n", eol), encoding="utf-8", newline="")
    assert _read(p, True)[:3] == ([1, 2, 3], [], 0)
    assert _read(p, False)[:3] == ([1, 2, 3], [], 0)


def test_a_line_longer_than_the_block_is_read(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_text(csv_text([row(agency_code="X" * 300_000), *good_rows(2, start=2)]), encoding="utf-8")
    for arrow in (True, False):
        assert _read(p, arrow, chunk_bytes=4096)[0] == [1, 2, 3]


# ------------------------------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_wide_encoding_without_bom_names_itself(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "w.csv"
    p.write_bytes(csv_text(good_rows(2)).encode(encoding))
    with pytest.raises(DataFileError, match=f"pass --encoding {encoding}"):
        open_records(p)
    stream = open_records(p, encoding=encoding)
    assert [r for c in stream for r in c.rows.tolist()] == [1, 2]


@pytest.mark.parametrize("encoding", ["no-such-codec", "rot13", "base64", "zip", ""])
def test_an_unusable_encoding_is_refused_up_front(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "r.csv"
    p.write_text(csv_text(good_rows(1)), encoding="utf-8")
    with pytest.raises(InvalidValueError, match="encoding"):
        open_records(p, encoding=encoding)


def test_a_bom_decides_the_encoding(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b"\xff\xfe" + '{"dossier_code": "Đ"}\n'.encode("utf-16-le"))
    stream = open_records(p)
    assert stream.info.encoding == "utf-16-le"
    assert stream.info.bom
    chunks = list(stream)
    assert chunks[0].columns["dossier_code"] == ["Đ"]


# ------------------------------------------------------------------------------------------------------ dates


_VALID_DATES = st.builds(
    lambda d, fmt: d.strftime(fmt),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.sampled_from(
        ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S"]
    ),
)
_PIECES = st.sampled_from(["30", "31", "29", "02", "13", "00", "1", "24", "25", "61", "60", "2024", "0024", "٢", "²"])
_BROKEN_DATES = st.one_of(
    st.builds(lambda d, m, y: f"{d}/{m}/{y}", _PIECES, _PIECES, _PIECES),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", _PIECES, _PIECES, _PIECES),
    st.builds(lambda y, m, d, h, mi: f"{y}-{m}-{d} {h}:{mi}", _PIECES, _PIECES, _PIECES, _PIECES, _PIECES),
    st.builds(lambda d, m, y, h, mi: f"{d}/{m}/{y} {h}:{mi}", _PIECES, _PIECES, _PIECES, _PIECES, _PIECES),
)


def _scalar(text: str) -> object:
    try:
        return np.datetime64(parse_local_datetime(text).replace(tzinfo=None), "s")
    except InvalidValueError:
        return None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_VALID_DATES, _BROKEN_DATES), min_size=1, max_size=12))
def test_vectorised_dates_reject_exactly_what_the_scalar_parser_rejects(texts: list[str]) -> None:
    pa = pytest.importorskip("pyarrow")
    for col in (pa.array(texts, pa.string()), list(texts)):
        tc = typed_columns({"received_at": col})
        bad = {p.row - 1 for p in tc.problems}
        for k, text in enumerate(texts):
            expected = _scalar(text)
            if expected is None:
                assert k in bad, text
            else:
                assert k not in bad, text
                assert tc.datetimes["received_at"][k] == expected, text


def test_a_two_digit_year_is_rejected_with_a_reason() -> None:
    with pytest.raises(InvalidValueError, match="2-digit year"):
        parse_local_datetime("02/01/24")
    tc = typed_columns({"received_at": ["02/01/24", "2024-02-30 09:09", "30/02/2024"]})
    assert [p.row for p in tc.problems] == [1, 2, 3]
    assert "2-digit year" in tc.problems[0].message


# ------------------------------------------------------------------------------------------------------ cells


@pytest.mark.parametrize("cell", ["²", "٢", "２", "¹⁰"])
@pytest.mark.parametrize("column", ["channel", "status", "online_level", "fee_vnd", "supplement_count"])
def test_non_ascii_digits_are_a_type_finding(column: str, cell: str) -> None:
    for col in ([cell, "2"], pytest.importorskip("pyarrow").array([cell, "2"])):
        tc = typed_columns({column: col})
        assert [(p.row, p.field, p.code) for p in tc.problems] == [(1, column, "E_TYPE")]


@pytest.mark.parametrize(
    ("cell", "ok"),
    [("999999999999999999", True), ("1000000000000000000", False), ("12345678901234567890", False), ("-5", False),
     ("-0", False), ("+5", False), ("200.000", True), ("200000.0", True)],
)  # fmt: skip
def test_integer_range_is_the_same_on_both_paths(cell: str, ok: bool) -> None:
    pa = pytest.importorskip("pyarrow")
    for col in ([cell], pa.array([cell])):
        tc = typed_columns({"fee_vnd": col})
        assert (not tc.problems) is ok


def test_typed_parquet_numbers_get_the_text_range_checks(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    tc = typed_columns({"fee_vnd": pa.array([-5, 10, None], pa.int64())})
    assert [(p.row, p.code) for p in tc.problems] == [(1, "E_TYPE")]
    assert tc.integers["fee_vnd"].tolist() == [-1, 10, -1]
    tc = typed_columns({"fee_vnd": pa.array([2**64 - 1, 7], pa.uint64())})
    assert [(p.row, p.code) for p in tc.problems] == [(1, "E_TYPE")]


# ------------------------------------------------------------------------------------------------------ Parquet


def test_a_corrupt_row_group_is_reported_and_the_rest_read(hostile_corpus_by_name: dict[str, CorpusFile]) -> None:
    f = hostile_corpus_by_name["pq_corrupt_page.parquet"]
    rows, findings, _, _, _ = _read(f.path, True)
    assert rows == [1, 2, 5, 6]
    assert [(r, c) for r, field, c in findings if field == "(row)"] == [
        (3, "E_UNREADABLE_RANGE"),
        (4, "E_UNREADABLE_RANGE"),
    ]


# ------------------------------------------------------------------------------------------------------ gzip


def test_a_gzip_bomb_is_a_data_file_error(tmp_path: Path) -> None:
    p = tmp_path / "bomb.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b'{"a": 1}\n' + b" " * (4 << 20))
    with pytest.raises(DataFileError, match="decompression bomb"):
        list(read_portal_jsonl(p, max_decompressed_bytes=1 << 20))


def test_the_ratio_bound_applies_past_the_grace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tthc.catalog import portal_files

    monkeypatch.setattr(portal_files, "RATIO_GRACE_BYTES", 1 << 16)
    p = tmp_path / "bomb.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b"0" * (2 << 20))
    with pytest.raises(DataFileError, match="times its compressed size"):
        list(read_portal_jsonl(p, max_ratio=50))
    ok = tmp_path / "ok.jsonl.gz"
    with gzip.open(ok, "wb") as fh:
        fh.write(b'{"a": 1}\n{"b": 2}\n')
    assert [r.data for r in read_portal_jsonl(ok, max_ratio=50)] == [{"a": 1}, {"b": 2}]
