"""A hostile review of the record readers (session 10, H2): five defects, fixed, and the rules that now hold.

* **Blank lines are judged on the raw line, by both CSV parsers and whatever the block cut**: a line of nothing but
  spaces and tabs is blank (tab-delimited too: ``\\t``, `` \\t ``), while a line holding a quoted cell (``""``,
  ``" "``) is a row of one field — an ``E_SCHEMA`` row — for pyarrow and for the reference ``csv`` reading alike,
  in any block size (before, the reference reading judged the parsed fields, so the count of a file depended on
  which parser its block got);
* **a JSON Lines key given twice** (the same key, or a portal name twice) is one ``E_SCHEMA`` row, worded like two
  spellings of one column; a key that maps to no column may repeat (it is ignored, as in a CSV header); nested
  values keep their JSON text, and values nested hundreds of levels deep are read or refused, never raised;
* **a non-ASCII delimiter** (``¦``, ``；``) is refused up front with an ``InvalidValueError`` naming ``delimiter``
  (``--delimiter`` on the command line: one line, exit 2; under ``--json`` the JSON error object, not "internal"),
  before any file is opened — in :func:`~tthc.records.open_records`, :func:`~tthc.validation.validate_files` and the
  partition planner of :mod:`tthc.scale`;
* **one file named twice** — twice, through an overlapping glob, a symlink or a hard link — is read once, at its
  first place (device and inode), on the command line, in :func:`~tthc.validation.validate_files`, in
  :func:`tthc.scale.dask.expand_paths` and in the partition planner (the partitioned run equals one machine); two
  files with the same bytes are still two files;
* **a ``.json`` file holding a JSON array** is refused whole (``DataFileError`` naming the file and saying how to
  convert it), not read line by line as JSON Lines; a ``.json`` file of JSON Lines is read as before.
"""

from __future__ import annotations

import csv
import json
import os
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import DataFileError, InvalidValueError
from tthc.records.readers import open_records
from tthc.testing.record_files import csv_text, row, write_csv
from tthc.validation.run import FindingWriter, validate_files

pytest.importorskip("pyarrow")
SAMPLE = Catalog.sample()


def _rows(n: int) -> list[dict[str, str]]:
    return [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, n + 1)]


def _run(source: object, folder: Path, **kw: Any) -> tuple[tuple[int, int, int], list[tuple[str, ...]]]:
    """(rows, invalid rows, blank lines) and every finding as (row, field, code, message) of one run."""
    out = folder / "findings.csv"
    with FindingWriter(out) as w:
        s = validate_files([source], SAMPLE, report=w, **kw)  # type: ignore[list-item]
    with out.open(encoding="utf-8", newline="") as f:
        found = [tuple(r[1:4] + r[5:6]) for r in list(csv.reader(f))[1:]]
    return (s.rows, s.invalid_rows, s.blank_lines), found


def _accounting(
    path: Path, delimiter: str, arrow: bool, chunk_bytes: int
) -> tuple[list[int], list[tuple[int, str]], int]:
    """What the reader alone makes of a file: the row numbers read, the (row, code) problems, the blank lines."""
    rows: list[int] = []
    problems: list[tuple[int, str]] = []
    blank = 0
    for chunk in open_records(path, delimiter=delimiter, use_pyarrow=arrow, chunk_bytes=chunk_bytes):
        rows += chunk.rows.tolist()
        problems += [(p.row, p.code) for p in chunk.problems]
        blank += chunk.blank_lines
    return rows, problems, blank


# --------------------------------------------------------------------------------------------- 1. blank lines


def _with_odd_line(folder: Path, delimiter: str, odd_line: str) -> Path:
    lines = csv_text(_rows(3), delimiter=delimiter).splitlines()
    path = folder / "x.csv"
    path.write_text("\n".join([*lines[:2], odd_line, *lines[2:]]) + "\n", encoding="utf-8")
    return path


BLANK = [(",", "   "), (",", "\t"), (",", " \t "), ("\t", "\t"), ("\t", " \t "), ("\t", "\t\t"), (";", ""), (";", " ")]
NOT_BLANK = [(",", '""', 1), (",", '" "', 1), (",", '"\t"', 1), (",", '"" ', 1), ("\t", '""', 1), ("\t", '""\t', 2)]


@pytest.mark.parametrize(("delimiter", "odd_line"), BLANK)
@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize("chunk_bytes", [97, 16 << 20])
def test_a_line_of_spaces_and_tabs_is_blank_for_both_parsers(
    tmp_path: Path, delimiter: str, odd_line: str, arrow: bool, chunk_bytes: int
) -> None:
    path = _with_odd_line(tmp_path, delimiter, odd_line)
    reader = open_records(path, delimiter=delimiter, use_pyarrow=arrow, chunk_bytes=chunk_bytes)
    assert _run(reader, tmp_path) == ((3, 0, 1), [])


@pytest.mark.parametrize(("delimiter", "odd_line", "fields"), NOT_BLANK)
@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize("chunk_bytes", [97, 16 << 20])
def test_a_line_holding_a_quoted_cell_is_a_malformed_row_for_both_parsers(
    tmp_path: Path, delimiter: str, odd_line: str, fields: int, arrow: bool, chunk_bytes: int
) -> None:
    path = _with_odd_line(tmp_path, delimiter, odd_line)
    reader = open_records(path, delimiter=delimiter, use_pyarrow=arrow, chunk_bytes=chunk_bytes)
    message = (
        f"expected 20 fields separated by {delimiter!r}, got {fields} (a truncated or malformed line, or an "
        "unterminated quote)"
    )
    assert _run(reader, tmp_path) == ((4, 1, 0), [("2", "(row)", "E_SCHEMA", message)])


def test_the_same_file_counts_the_same_rows_whatever_the_block_cut(tmp_path: Path) -> None:
    rows = _rows(10)
    rows[8]["tracking_number"] = "a\nb"  # a quoted field spanning two lines: its block goes to the reference reading
    lines = csv_text(rows).split("\n")
    path = tmp_path / "x.csv"
    path.write_text("\n".join([*lines[:3], '""', *lines[3:]]), encoding="utf-8")
    whole = _run(path, tmp_path, duplicates=False)  # one block, read by the reference reading
    cut = _run(path, tmp_path, duplicates=False, chunk_bytes=600)  # the '""' line's block is simple: pyarrow
    assert whole == cut
    assert whole[0] == (11, 2, 0)
    assert [f[:3] for f in whole[1]] == [("3", "(row)", "E_SCHEMA"), ("10", "tracking_number", "E_TRACKING_FORMAT")]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_every_short_odd_line_is_read_alike_by_both_parsers_and_blank_only_when_its_bytes_are(
    tmp_path: Path, delimiter: str
) -> None:
    """Every line of up to 3 characters over quote, space, tab, the delimiter and a letter, between two rows."""
    alphabet = sorted({'"', " ", "\t", delimiter, "a"})
    header, first, second = csv_text(_rows(2), delimiter=delimiter).splitlines()
    path = tmp_path / "x.csv"
    for n in range(4):
        for chars in product(alphabet, repeat=n):
            odd = "".join(chars)
            path.write_text(f"{header}\n{first}\n{odd}\n{second}\n", encoding="utf-8")
            plain = _accounting(path, delimiter, False, 1 << 20)
            assert _accounting(path, delimiter, True, 1 << 20) == plain, repr(odd)
            assert _accounting(path, delimiter, True, 40) == plain, repr(odd)
            if not odd.strip(" \t"):
                assert plain == ([1, 3], [], 1), repr(odd)
            else:
                assert plain[2] == 0, repr(odd)


# ------------------------------------------------------------------------------------ 2. JSON keys given twice


def _jsonl(folder: Path, *lines: str, name: str = "x.jsonl") -> Path:
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _line(**changes: str) -> str:
    return json.dumps({k: v for k, v in row(**changes).items() if v}, ensure_ascii=False)


def _findings(path: Path, folder: Path) -> tuple[tuple[int, int, int], list[tuple[str, ...]]]:
    out = folder / "findings.csv"
    with FindingWriter(out) as w:
        s = validate_files([path], SAMPLE, report=w)
    with out.open(encoding="utf-8", newline="") as f:
        found = [tuple(r[1:4] + r[5:7]) for r in list(csv.reader(f))[1:]]
    return (s.rows, s.valid_rows, s.invalid_rows), found


@pytest.mark.parametrize(
    ("key", "value"),
    [("received_at", "2025-03-04 09:00:00"), ("received_at", "2025-03-03 09:00:00"), ("status", "processing")],
)
def test_a_key_given_twice_is_one_schema_finding(tmp_path: Path, key: str, value: str) -> None:
    first = _line()
    twice = _line(dossier_code="000.00.12.H21-250303-0002")[:-1] + f', "{key}": "{value}"}}'
    counts, found = _findings(_jsonl(tmp_path, first, twice), tmp_path)
    assert counts == (2, 1, 1)
    assert found == [("2", "(row)", "E_SCHEMA", f"expected one key per column, got {key!r} twice", twice[:200])]


def test_a_column_spelt_two_ways_and_one_of_them_twice_names_the_first_clash(tmp_path: Path) -> None:
    line = _line()[:-1] + ', "NgayTiepNhan": "03/03/2025 09:00", "NgayTiepNhan": "04/03/2025 09:00"}'
    counts, found = _findings(_jsonl(tmp_path, line), tmp_path)
    assert counts == (1, 0, 1)
    assert [f[:4] for f in found] == [
        ("1", "(row)", "E_SCHEMA", "expected one key per column, got 'received_at' and 'NgayTiepNhan' for "
         "'received_at'")
    ]  # fmt: skip


def test_a_portal_name_alone_given_twice(tmp_path: Path) -> None:
    base = {k: v for k, v in row().items() if v and k != "received_at"}
    line = json.dumps(base)[:-1] + ', "NgayTiepNhan": "03/03/2025 09:00", "NgayTiepNhan": "03/03/2025 09:00"}'
    counts, found = _findings(_jsonl(tmp_path, line), tmp_path)
    assert counts == (1, 0, 1)
    assert [f[:4] for f in found] == [
        ("1", "(row)", "E_SCHEMA", "expected one key per column, got 'NgayTiepNhan' twice")
    ]


def test_a_key_of_no_column_may_repeat_and_nested_values_keep_their_json_text(tmp_path: Path) -> None:
    note_twice = _line()[:-1] + ', "note": "a", "note": "b"}'
    nested = _line(dossier_code="000.00.12.H21-250303-0002")[:-1] + ', "status": {"code": 10, "x": [1, {"y": 2}]}}'
    nested = nested.replace('"status": "returned", ', "")
    counts, found = _findings(_jsonl(tmp_path, note_twice, nested), tmp_path)
    assert counts == (2, 1, 1)
    text = '{"code": 10, "x": [1, {"y": 2}]}'
    assert [f[:3] + f[4:] for f in found] == [("2", "status", "E_TYPE", text)]


def test_values_nested_deep_are_read_or_refused_never_raised(tmp_path: Path) -> None:
    """Pairs nest a level deeper than dicts (a list of pairs per object): a cell nested 600 objects deep, with and
    without a lone surrogate elsewhere on its line, is read as dicts are (the text, or the surrogate's refusal)."""
    deep = '{"a": ' * 600 + "1" + "}" * 600
    base = _line()[:-1].replace('"status": "returned", ', "")
    lines = [base + f', "status": {deep}}}', base + f', "note": "\\ud800", "status": {deep}}}']
    counts, found = _findings(_jsonl(tmp_path, *lines), tmp_path)
    assert counts == (2, 0, 2)
    assert [f[:3] for f in found] == [("1", "status", "E_TYPE"), ("2", "(row)", "E_SCHEMA")]
    assert found[0][4] == deep  # the cell's text: the value's JSON, whole
    assert found[1][3] == "expected a JSON object of text, got a lone surrogate escape (\\ud800-\\udfff)"


def test_a_line_that_is_no_object_is_still_named_by_its_type(tmp_path: Path) -> None:
    counts, found = _findings(_jsonl(tmp_path, "[1, 2]", '"text"', _line()), tmp_path)
    assert counts == (3, 1, 2)
    assert [f[:4] for f in found] == [
        ("1", "(row)", "E_SCHEMA", "expected a JSON object, got list"),
        ("2", "(row)", "E_SCHEMA", "expected a JSON object, got str"),
    ]


# ---------------------------------------------------------------------------------- 3. a non-ASCII delimiter


EXPECTED_DELIMITER = "one ASCII character other than a quote or a line break"


@pytest.mark.parametrize("delimiter", ["¦", "；", "§", "\u00a0"])
def test_a_non_ascii_delimiter_is_refused_before_any_file_is_opened(tmp_path: Path, delimiter: str) -> None:
    missing = tmp_path / "missing.csv"  # never opened: the option is checked first
    for call in (
        lambda: validate_files([missing], SAMPLE, delimiter=delimiter),
        lambda: open_records(missing, delimiter=delimiter),
    ):
        with pytest.raises(InvalidValueError) as info:
            call()
        assert (info.value.field, info.value.expected, info.value.given) == ("delimiter", EXPECTED_DELIMITER, delimiter)
        assert str(info.value) == f"delimiter: expected {EXPECTED_DELIMITER}, got {delimiter!r}"


@pytest.mark.parametrize("delimiter", ["", ";;", '"', "\n", "\r"])
def test_other_impossible_delimiters_get_the_same_message(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "x.csv", _rows(1))
    with pytest.raises(InvalidValueError) as info:
        validate_files([path], SAMPLE, delimiter=delimiter)
    assert (info.value.field, info.value.expected) == ("delimiter", EXPECTED_DELIMITER)


def test_an_ascii_delimiter_of_any_kind_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(csv_text(_rows(2), delimiter="~"), encoding="utf-8")
    assert _run(path, tmp_path, delimiter="~") == ((2, 0, 0), [])


def test_the_partition_planner_refuses_it_too(tmp_path: Path) -> None:
    from tthc.scale.partitions import plan_partitions

    path = tmp_path / "x.csv"
    path.write_text(csv_text(_rows(2), delimiter="¦"), encoding="utf-8")
    with pytest.raises(InvalidValueError) as info:
        plan_partitions([path], delimiter="¦")
    assert (info.value.field, info.value.expected) == ("delimiter", EXPECTED_DELIMITER)


@pytest.mark.parametrize("delimiter", ["¦", "；"])
def test_the_command_line_refuses_it_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str
) -> None:
    from tthc.cli import main

    path = tmp_path / "x.csv"
    path.write_text(csv_text(_rows(1), delimiter=delimiter), encoding="utf-8")
    capsys.readouterr()
    assert main(["--lang", "en", "validate", str(path), "--delimiter", delimiter]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"tthc: --delimiter: expected {EXPECTED_DELIMITER}, e.g. ';' or '\\t', got {delimiter!r}\n"
    assert main(["--lang", "en", "validate", str(path), "--delimiter", delimiter, "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error == {
        "kind": "input",
        "field": "--delimiter",
        "expected": f"{EXPECTED_DELIMITER}, e.g. ';' or '\\t'",
        "given": delimiter,
        "message": f"--delimiter: expected {EXPECTED_DELIMITER}, e.g. ';' or '\\t', got {delimiter!r}",
    }


# ---------------------------------------------------------------------------------- 4. one file named twice


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object], str]:
    from tthc.cli import main

    capsys.readouterr()
    code = main(["--lang", "en", "validate", *args, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.mark.parametrize("second", ["same", "glob", "symlink", "hardlink", "dotted"])
def test_a_file_named_twice_on_the_command_line_is_read_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, second: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "a.csv", _rows(3))
    if second == "symlink":
        os.symlink(tmp_path / "a.csv", tmp_path / "link.csv")
    if second == "hardlink":
        os.link(tmp_path / "a.csv", tmp_path / "link.csv")
    other = {"same": "a.csv", "glob": "a*.csv", "symlink": "link.csv", "hardlink": "link.csv", "dotted": "./a.csv"}
    once = _cli(["a.csv"], capsys)
    assert once[0] == 0
    assert (once[1]["rows"], once[1]["invalid_rows"]) == (3, 0)
    assert _cli(["a.csv", other[second]], capsys) == once
    if second == "glob":
        assert _cli(["a*.csv", "a.csv"], capsys) == once  # the glob's spelling comes first, read once


def test_validate_files_reads_a_file_named_twice_once_at_its_first_place(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", _rows(3))
    b = write_csv(tmp_path / "b.csv", [row(dossier_code="000.00.12.H21-250303-0009")])
    os.symlink(a, tmp_path / "link.csv")
    summary = validate_files([b, tmp_path / "link.csv", str(a), b, a], SAMPLE)
    assert (summary.rows, summary.valid_rows, summary.invalid_rows) == (4, 4, 0)
    assert [f.file for f in summary.files] == [str(b), str(tmp_path / "link.csv")]


def test_two_files_with_the_same_bytes_are_two_files(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", _rows(3))
    b = write_csv(tmp_path / "b.csv", _rows(3))
    out = tmp_path / "findings.csv"
    with FindingWriter(out) as w:
        summary = validate_files([a, b], SAMPLE, report=w)
    assert (summary.rows, summary.invalid_rows) == (6, 3)
    assert summary.by_code == {"E_DUPLICATE_DOSSIER": 3}


def test_the_dask_path_expands_a_file_named_twice_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from tthc.scale.dask import expand_paths

    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "a.csv", _rows(1))
    write_csv(tmp_path / "b.csv", _rows(1))
    os.symlink(tmp_path / "a.csv", tmp_path / "link.csv")
    assert expand_paths(["a.csv", "*.csv", "link.csv", "./b.csv"]) == [Path("a.csv"), Path("b.csv")]


def test_the_partitioned_run_reads_a_file_named_twice_once_as_one_machine(tmp_path: Path) -> None:
    from tthc.scale.partitions import validate_partitions_locally

    a = write_csv(tmp_path / "a.csv", _rows(3))
    os.link(a, tmp_path / "hard.csv")
    one = validate_files([a], SAMPLE)
    twice = validate_partitions_locally([a, tmp_path / "hard.csv", str(a)], SAMPLE, partition_bytes=300)
    assert (
        (twice.rows, twice.valid_rows, twice.invalid_rows) == (one.rows, one.valid_rows, one.invalid_rows) == (3, 3, 0)
    )
    assert [f.file for f in twice.files] == [str(a)]


# ----------------------------------------------------------------------------------- 5. a .json array file


ARRAY = "{path}: expected JSON Lines (one object per line), got a JSON array — convert it, e.g. jq -c '.[]'"


def _records() -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if v} for r in _rows(2)]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(_records(), indent=2),
        json.dumps(_records()),
        "\n\n  \t" + json.dumps(_records()),
        "\ufeff" + json.dumps(_records(), indent=1),
        "[]",
    ],
    ids=["indented", "one-line", "after-blank-lines", "bom", "empty-array"],
)
def test_a_json_array_file_is_refused_whole_naming_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "dossiers.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        validate_files([path], SAMPLE)
    assert str(info.value) == ARRAY.format(path=path)
    with pytest.raises(DataFileError):
        open_records(path)


def test_a_json_array_file_in_utf16_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "dossiers.JSON"
    path.write_bytes(json.dumps(_records(), indent=2).encode("utf-16"))
    with pytest.raises(DataFileError) as info:
        open_records(path)
    assert str(info.value) == ARRAY.format(path=path)


def test_a_json_file_of_json_lines_is_read_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "dossiers.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    summary = validate_files([path], SAMPLE)
    assert (summary.rows, summary.valid_rows, summary.invalid_rows) == (2, 2, 0)


def test_a_jsonl_file_whose_first_line_is_an_array_is_read_line_by_line(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, "[1]", _line())
    counts, found = _findings(path, tmp_path)
    assert counts == (2, 1, 1)
    assert [f[:4] for f in found] == [("1", "(row)", "E_SCHEMA", "expected a JSON object, got list")]


def test_the_command_line_says_so_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    path = tmp_path / "dossiers.json"
    path.write_text(json.dumps(_records(), indent=2), encoding="utf-8")
    capsys.readouterr()
    assert main(["--lang", "en", "validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "tthc: " + ARRAY.format(path=path) + "\n")
