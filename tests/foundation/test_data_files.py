"""The one reader of JSON inputs (issue 11, item 5): every data-file option, catalog file and portal export line
turns hostile bytes into a DataFileError (or a per-line finding) naming the file and the line or field."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tthc
from tthc.calendar.schedule import load_schedule
from tthc.catalog.portal_files import decode_line
from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.data_files import (
    MAX_JSON_DEPTH,
    MAX_JSON_INT,
    bundled_path,
    parse_json_text,
    read_json_file,
    try_parse_json,
)
from tthc.validation.rules import RecordRules

HOSTILE: dict[str, bytes] = {
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "deep_just_over": b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
    "deep_objects": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "huge_int": b'{"a": ' + b"9" * 5000 + b"}",
    "int64_plus_one": b'{"a": ' + str(MAX_JSON_INT + 1).encode() + b"}",
    "nan": b'{"a": NaN}',
    "infinity": b'{"a": [1, -Infinity]}',
    "float_overflow": b'{"a": 1e999}',
    "nul_byte": b'{"a": "x\x00y"}',
    "nul_outside": b'{"a": 1}\x00',
    "empty": b"",
    "truncated": b'{"a": [1, 2',
    "utf16_no_bom": '{"a": 1}'.encode("utf-16-le"),
    "utf32_no_bom": '{"a": 1}'.encode("utf-32-be"),
    "latin1": '{"a": "Hà Nam"}'.encode("latin-1"),
    "top_list": b"[]",
    "top_string": b'"x"',
    "top_number": b"42",
    "top_null": b"null",
    "wrong_shape": b'{"unexpected": {"deeply": [1, 2, {"x": null}]}}',
}

LOADERS: dict[str, Callable[[Path], object]] = {
    "reductions": tthc.load_reductions,
    "tariff": tthc.Tariff.load,
    "discounts": tthc.DiscountSet.load,
    "fee_schedule": tthc.FeeSchedule.load,
    "mapping": tthc.ColumnMapping.load,
    "kpi_thresholds": tthc.KpiRules.load,
    "record_rules": RecordRules.load,
    "schedule": load_schedule,
    "agency_lists": tthc.AgencyLists.load,
    "catalog_json": tthc.Catalog.load,
}


@pytest.mark.parametrize("loader", LOADERS, ids=list(LOADERS))
@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_every_data_file_option_refuses_hostile_json_with_a_data_file_error(
    tmp_path: Path, loader: str, case: str
) -> None:
    path = tmp_path / f"{case}.json"
    path.write_bytes(HOSTILE[case])
    if (loader, case) == ("catalog_json", "top_list"):
        assert len(tthc.Catalog.load(path)) == 0  # a bare list of procedures is a catalog file (documented)
        return
    with pytest.raises(DataFileError) as info:
        LOADERS[loader](path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("loader", LOADERS, ids=list(LOADERS))
def test_missing_file_and_directory_and_bad_path(tmp_path: Path, loader: str) -> None:
    with pytest.raises(DataFileError, match="not found"):
        LOADERS[loader](tmp_path / "absent.json")
    with pytest.raises(DataFileError, match="directory"):
        LOADERS[loader](tmp_path)


@pytest.mark.parametrize("bad", [None, 3, b"x.json"])
def test_a_path_of_the_wrong_type_is_an_invalid_value(bad: object) -> None:
    with pytest.raises(InvalidValueError, match="path"):
        read_json_file(bad)  # type: ignore[arg-type]


def test_messages_name_the_field_path_and_the_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"f\.json: a\[1\]: expected a finite number .*got -Infinity"):
        parse_json_text('{"a": [1, -Infinity]}', "f.json")
    with pytest.raises(DataFileError, match=r"f\.json: a: expected an integer within .*5000 digits"):
        parse_json_text('{"a": ' + "9" * 5000 + "}", "f.json")
    with pytest.raises(DataFileError, match=r"f\.json: expected JSON text, got a NUL character at line 2 column 7"):
        parse_json_text('{"a":\n "x", \x00}', "f.json")
    with pytest.raises(DataFileError, match=r"f\.json: line 7: expected JSON, invalid at column 7"):
        parse_json_text('{"a": }', "f.json", line=7)
    with pytest.raises(DataFileError, match="UTF-16-LE without a byte-order mark"):
        parse_json_text('{"a": 1}'.encode("utf-16-le"), "f.json")


def test_int64_bounds_both_sides() -> None:
    assert parse_json_text(str(MAX_JSON_INT), "f") == MAX_JSON_INT
    assert parse_json_text(str(-MAX_JSON_INT - 1), "f") == -MAX_JSON_INT - 1
    for text in (str(MAX_JSON_INT + 1), str(-MAX_JSON_INT - 2)):
        with pytest.raises(DataFileError, match="integer within"):
            parse_json_text(text, "f")


def test_nesting_bound_both_sides() -> None:
    at_bound = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert parse_json_text(at_bound, "f") is not None
    over = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(DataFileError, match="nested at most"):
        parse_json_text(over, "f")


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16", "utf-32"])
def test_unicode_with_a_byte_order_mark_is_read(tmp_path: Path, bom: str) -> None:
    """A bundled file saved by an editor as UTF-16 with a BOM still loads (RFC 8259 wants UTF-8; refusing a file
    whose encoding is certain helps no one)."""
    path = tmp_path / "reductions.json"
    path.write_bytes(bundled_path("reductions.json").read_text(encoding="utf-8").encode(bom))
    assert tthc.load_reductions(path) == tthc.load_reductions()
    assert path.read_bytes()[:3] != codecs.BOM_UTF8 or bom == "utf-8-sig"


def test_an_escaped_nul_inside_a_string_is_json_and_kept() -> None:
    """The other side of the NUL rule: ``\\u0000`` is a JSON string escape; a catalog dumped with it reads back."""
    assert parse_json_text('{"a": "x\\u0000y"}', "f") == {"a": "x\x00y"}


def test_catalog_jsonl_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    good = json.dumps(tthc.Catalog.sample().procedures[0].model_dump(mode="json"), ensure_ascii=False)
    path.write_text(good + "\n\n" + '{"code": NaN}\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"c\.jsonl: line 3: code: expected a finite number"):
        tthc.Catalog.load(path)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b'{"ma_thu_tuc": NaN}', "finite number"),
        (b'{"ma_thu_tuc": ' + b"1" * 5000 + b"}", "integer within"),
        (b"[" * 50_000, "nested at most"),
        (b'{"a": "\x00"}', "NUL character"),
        (b"[1, 2]", "expected an object"),
        (b'"x"', "expected an object"),
    ],
)
def test_a_hostile_portal_line_is_that_lines_finding(line: bytes, why: str) -> None:
    rec = decode_line("export.jsonl", 4, line)
    assert rec.data is None
    assert rec.error is not None
    assert why in rec.error
    catalog, report = tthc.import_portal([line], source="export.jsonl")
    assert len(catalog) == 0
    assert [r.status for r in report.records] == ["failed"]


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(), st.lists, max_leaves=20))
def test_try_parse_json_never_raises(value: object) -> None:
    """Property: whatever Python's json module writes (NaN, Infinity, huge integers included), the reader returns a
    value or a problem, never an exception."""
    text = json.dumps(value)
    parsed, problem = try_parse_json(text)
    assert (parsed is None) or (problem is None)


def test_bundled_files_are_the_packages_own_data_folder() -> None:
    """Found beside the modules (no importlib.resources at start-up): the same folder the package ships, every file
    of it, and a name that is not there is still a path (its reader says the file is missing)."""
    from importlib import resources

    folder = Path(str(resources.files("tthc"))) / "data"
    assert bundled_path("sample_catalog.json") == (folder / "sample_catalog.json").resolve()
    assert {p.name for p in folder.iterdir()} <= {p.name for p in bundled_path("x").parent.iterdir()}
    with pytest.raises(DataFileError, match=r"no_such_file\.json: data file not found"):
        read_json_file(bundled_path("no_such_file.json"))
