"""Readers: encodings, delimiters, bad lines, truncation, row accounting (issue 5, 'Bad input')."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.catalog.collection import Catalog
from tthc.cli import main
from tthc.errors import DataFileError
from tthc.records.columns import typed_columns
from tthc.records.readers import open_records
from tthc.testing.record_files import HEADER, csv_text, row, to_cp1258, write_csv
from tthc.validation.run import validate_files

CAT = Catalog.sample()
BOTH = pytest.mark.parametrize("arrow", [True, False], ids=["pyarrow", "stdlib"])


def _rows(n: int) -> list[dict[str, str]]:
    return [row(dossier_code=f"000.00.12.H21-250303-{i + 1:04d}") for i in range(n)]


def _read_all(path: Path, arrow: bool = True, **kw: object) -> tuple[list[int], list[str], int]:
    stream = open_records(path, use_pyarrow=arrow, **kw)  # type: ignore[arg-type]
    rows: list[int] = []
    problems: list[str] = []
    blank = 0
    for chunk in stream:
        rows.extend(chunk.rows.tolist())
        problems.extend(f"{p.row}:{p.code}" for p in chunk.problems)
        blank += chunk.blank_lines
    return rows, problems, blank


@BOTH
def test_utf8_with_and_without_bom(tmp_path: Path, arrow: bool) -> None:
    text = csv_text(_rows(3))
    plain = tmp_path / "plain.csv"
    plain.write_bytes(text.encode("utf-8"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for p in (plain, bom):
        stream = open_records(p, use_pyarrow=arrow)
        assert stream.info.encoding == "utf-8"
        assert stream.info.header is not None
        assert "dossier_code" in stream.info.header.columns
        assert _read_all(p, arrow) == ([1, 2, 3], [], 0)
    assert open_records(bom).info.bom
    assert not open_records(plain).info.bom


@BOTH
def test_windows_1258_is_detected_and_labels_read(tmp_path: Path, arrow: bool) -> None:
    """Windows-1258 (cp1258) exports of older Vietnamese systems: tone marks stored as combining characters."""
    rows = [row(status="Đã trả kết quả", channel="Trực tuyến")]
    p = tmp_path / "cp1258.csv"
    p.write_bytes(to_cp1258(csv_text(rows)))
    stream = open_records(p, use_pyarrow=arrow)
    assert stream.info.encoding == "cp1258"
    chunk = next(iter(stream))
    tc = typed_columns(chunk)
    assert tc.enums["status"].tolist() == [10]
    assert tc.enums["channel"].tolist() == [2]
    assert not tc.problems


@BOTH
def test_semicolon_delimiter_is_detected(tmp_path: Path, arrow: bool) -> None:
    p = tmp_path / "semi.csv"
    p.write_text(csv_text(_rows(2), delimiter=";"), encoding="utf-8")
    assert open_records(p, use_pyarrow=arrow).info.delimiter == ";"
    assert _read_all(p, arrow)[0] == [1, 2]


def test_wrong_delimiter_given_is_reported_clearly(tmp_path: Path) -> None:
    p = tmp_path / "semi.csv"
    p.write_text(csv_text(_rows(2), delimiter=";"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"missing required column.*looks ';'-separated"):
        open_records(p, delimiter=",")


def test_header_missing_a_required_column_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "h.csv"
    header = [h for h in HEADER if h != "received_at"]
    write_csv(p, _rows(2), header=header)
    with pytest.raises(DataFileError, match="received_at"):
        open_records(p)
    assert main(["validate", str(p)]) == 2
    assert "missing required column(s) received_at" in capsys.readouterr().err


@BOTH
def test_truncated_file_reports_the_last_row_and_finishes(tmp_path: Path, arrow: bool) -> None:
    text = csv_text(_rows(5))
    p = tmp_path / "t.csv"
    p.write_text(text[: text.rindex(",2025-03-03") + 5], encoding="utf-8")  # cut inside the last row
    rows, problems, _ = _read_all(p, arrow)
    assert rows == [1, 2, 3, 4]
    assert problems == ["5:E_SCHEMA"]


@BOTH
def test_one_bad_line_among_many_is_that_row_only(tmp_path: Path, arrow: bool) -> None:
    """A bad line in the middle of a large file: reported with its row number, nothing lost, nothing invented."""
    n, bad = 30_000, 17_321
    lines = csv_text(_rows(1)).splitlines()
    header, good = lines[0], lines[1]
    body = [good] * n
    body[bad - 1] = good.replace(",", ";", 3)  # wrong field count
    p = tmp_path / "big.csv"
    p.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    rows, problems, blank = _read_all(p, arrow, chunk_bytes=64 << 10)  # many chunks
    assert problems == [f"{bad}:E_SCHEMA"]
    assert blank == 0
    assert rows == [r for r in range(1, n + 1) if r != bad]


@BOTH
def test_undecodable_bytes_are_one_row_in_the_report(tmp_path: Path, arrow: bool) -> None:
    good = csv_text(_rows(3)).encode("utf-8")
    lines = good.split(b"\n")
    lines[2] = lines[2].replace(b"online", b"onl\xffine", 1)  # row 2
    p = tmp_path / "enc.csv"
    p.write_bytes(b"\n".join(lines))
    rows, problems, _ = _read_all(p, arrow, encoding="utf-8")
    assert rows == [1, 3]
    assert problems == ["2:E_ENCODING"]


@BOTH
def test_blank_lines_are_counted_not_rows(tmp_path: Path, arrow: bool) -> None:
    lines = csv_text(_rows(3)).splitlines()
    p = tmp_path / "b.csv"
    p.write_text("\n".join([lines[0], lines[1], "", lines[2], "", lines[3]]) + "\n", encoding="utf-8")
    rows, problems, blank = _read_all(p, arrow)
    assert rows == [1, 3, 5]  # row n is line n + 1 of the file
    assert (problems, blank) == ([], 2)


def test_json_lines_with_portal_names_and_a_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    good = {"MaHoSo": "000.00.12.H21-250303-0001", "MaTTHC": "2.001417", "MaDonVi": "000.00.12.H21",
            "KenhThucHien": 2, "NgayTiepNhan": "03/03/2025 09:00", "SoLanBoSung": 0}  # fmt: skip
    p.write_text(json.dumps(good) + "\n{not json\n[1, 2]\n\n" + json.dumps(good) + "\n", encoding="utf-8")
    rows, problems, blank = _read_all(p)
    assert rows == [1, 5]
    assert problems == ["2:E_SCHEMA", "3:E_SCHEMA"]
    assert blank == 1
    chunk = next(iter(open_records(p)))
    tc = typed_columns(chunk)
    assert tc.enums["channel"].tolist() == [2, 2]
    assert tc.datetimes["received_at"][0] == np.datetime64("2025-03-03T09:00:00")


def test_json_lines_lone_surrogates_in_either_case_are_findings_and_a_pair_is_text(tmp_path: Path) -> None:
    # the exact test (can the value be written out in UTF-8?) runs only on lines with a surrogate's escape: the
    # prefilter must catch a high or a low half, in upper or lower case, and let a pair (an emoji) through as text
    good = {"MaHoSo": "000.00.12.H21-250303-0001", "MaTTHC": "2.001417", "MaDonVi": "000.00.12.H21",
            "KenhThucHien": 2, "NgayTiepNhan": "03/03/2025 09:00", "GhiChu": "Hồ sơ"}  # fmt: skip
    line = json.dumps(good)  # ASCII escapes: every line holds a \u escape that is no surrogate
    lines = [
        line,
        line.replace("H21-250303", "H21\\uD801-250303", 1),  # a high half, upper case
        line.replace("H21-250303", "H21\\udc00-250303", 1),  # a low half alone
        line.replace("H21-250303", "H21\\uDFFF-250303", 1),  # the last low half, upper case
        line.replace("H21-250303", "H21\\ud83d\\ude00-250303", 1),  # a pair: 😀
        line.replace("H21-250303", "H21\\\\ud800-250303", 1),  # an escaped backslash, then text: no escape
    ]
    p = tmp_path / "r.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, problems, _ = _read_all(p)
    assert rows == [1, 5, 6]
    assert problems == ["2:E_SCHEMA", "3:E_SCHEMA", "4:E_SCHEMA"]
    codes = [str(c) for chunk in open_records(p) for c in chunk.columns["dossier_code"]]
    assert codes[1:] == ["000.00.12.H21😀-250303-0001", "000.00.12.H21\\ud800-250303-0001"]


def test_parquet_with_zoned_timestamps(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from datetime import UTC, datetime

    table = pa.table(
        {
            "MaHoSo": ["000.00.12.H21-250303-0001"],
            "MaTTHC": ["2.001417"],
            "MaDonVi": ["000.00.12.H21"],
            "KenhThucHien": [2],
            "NgayTiepNhan": pa.array([datetime(2025, 3, 3, 2, 0, tzinfo=UTC)], pa.timestamp("s", "UTC")),
        }
    )
    p = tmp_path / "r.parquet"
    pq.write_table(table, p)
    chunk = next(iter(open_records(p)))
    tc = typed_columns(chunk)
    assert tc.datetimes["received_at"][0] == np.datetime64("2025-03-03T09:00:00")  # 02:00 UTC = 09:00 Vietnam
    assert tc.enums["channel"].tolist() == [2]


def test_parquet_without_pyarrow_says_which_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from tthc.errors import MissingExtraError

    real_import = builtins.__import__

    def fake(name: str, *a: object, **k: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *a, **k)  # type: ignore[arg-type]

    p = tmp_path / "r.parquet"
    p.write_bytes(b"PAR1")
    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(MissingExtraError, match=r"tthc\[data\]"):
        open_records(p)


_LINE = st.sampled_from(["good", "short", "long", "blank", "badtype"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=40), st.booleans())
def test_every_line_is_accounted_for(kinds: list[str], arrow: bool) -> None:
    """Property: every data line ends up valid, in the report, or counted as blank — never lost, never invented."""
    import tempfile

    lines = csv_text(_rows(1)).splitlines()
    header, good = lines[0], lines[1]
    body = []
    for i, k in enumerate(kinds):
        code = f"000.00.12.H21-250303-{i + 1:04d}"
        g = good.replace("000.00.12.H21-250303-0001", code)
        body.append(
            {
                "good": g,
                "short": g.rsplit(",", 3)[0],
                "long": g + ",x",
                "blank": "",
                "badtype": g.replace("online", "fax", 1),
            }[k]
        )
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.csv"
        p.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
        from tthc.validation.context import ValidationOptions

        s = validate_files([p], CAT, ValidationOptions(postal_eligibility=False), chunk_bytes=256)
    expected_rows = sum(1 for k in kinds if k != "blank")
    assert s.rows == expected_rows
    assert s.rows == s.valid_rows + s.invalid_rows
    assert s.blank_lines == kinds.count("blank")
    assert s.invalid_rows == sum(1 for k in kinds if k in ("short", "long", "badtype"))
    del arrow


def test_iter_records_gives_pydantic_objects(tmp_path: Path) -> None:
    from tthc.errors import InvalidValueError
    from tthc.records.readers import iter_records

    p = write_csv(tmp_path / "r.csv", [*_rows(2), row(dossier_code="000.00.12.H21-250303-0009", channel="fax")])
    with pytest.raises(InvalidValueError, match="row 3 channel"):
        list(iter_records(p))
    got = list(iter_records(p, skip_invalid=True))
    assert [r for r, _ in got] == [1, 2]
    assert got[0][1].procedure_code == "2.001417"
    assert str(got[0][1].channel) == "online"
