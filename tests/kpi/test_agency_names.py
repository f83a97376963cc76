"""Agency names: a name file (CSV / JSON), the catalog where unambiguous, the bundled province list (34 provinces
from 1 Jul 2025, old codes kept), and the code itself when nothing names it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import DataFileError, InvalidValueError
from tthc.kpi.agency_names import AgencyNames, ProvinceList


def test_name_file_wins_then_province_then_code(tmp_path: Path) -> None:
    f = tmp_path / "names.csv"
    f.write_text("\ufeffCode,Name\n 000.00.12.h21 ,Sở  Tư pháp\n000.00.00.H48,Trung tâm Phục vụ hành chính công\n")
    names = AgencyNames.load(f)
    assert names.label("000.00.12.H21", "vi") == "Sở Tư pháp (000.00.12.H21)"
    assert names.label("000.00.00.H48", "vi") == "Trung tâm Phục vụ hành chính công (000.00.00.H48)"
    assert names.label("000.00.00.H21", "vi") == "UBND tỉnh Gia Lai (000.00.00.H21)"
    assert names.label("000.00.00.H21", "en") == "Gia Lai Provincial People's Committee (000.00.00.H21)"
    assert names.label("000.00.00.H29", "vi") == "UBND Thành phố Hồ Chí Minh (000.00.00.H29)"
    assert names.label("000.00.14.H21", "vi") == "000.00.14.H21 (Gia Lai)"
    assert names.label("000.00.14.H99", "vi") == "000.00.14.H99"  # unknown province: the code as it is
    assert names.label("G11", "vi") == "G11"


def test_old_codes_are_kept_for_old_records() -> None:
    names = AgencyNames()
    assert names.label("000.00.00.H54", "vi") == "UBND tỉnh Thái Bình (tỉnh cũ, đến 30/06/2025) (000.00.00.H54)"
    assert names.province("000.00.03.H54", "en") == "Thái Bình (former province, until 2025-06-30)"


def test_json_forms_and_bad_files(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    a.write_text('{"000.00.12.H21": "Sở Tư pháp"}', encoding="utf-8")
    b = tmp_path / "b.json"
    b.write_text('[{"code": "000.00.12.H21", "name": "Sở Tư pháp"}]', encoding="utf-8")
    assert AgencyNames.load(a) == AgencyNames.load(b) == AgencyNames({"000.00.12.H21": "Sở Tư pháp"})
    bad = tmp_path / "bad.csv"
    bad.write_text("ma,ten\nx,y\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="code and name"):
        AgencyNames.load(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("code,name\n000.00.12.H21,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"line 2: expected a name for 000\.00\.12\.H21"):
        AgencyNames.load(empty)
    c = tmp_path / "c.json"
    c.write_text("42", encoding="utf-8")
    with pytest.raises(DataFileError, match="expected an object code -> name"):
        AgencyNames.load(c)
    with pytest.raises(InvalidValueError, match="names"):
        AgencyNames({"x": 1})  # type: ignore[dict-item]


def test_catalog_names_only_when_unambiguous_and_never_for_the_province_level() -> None:
    assert AgencyNames.from_catalog(Catalog.sample()).names == {}  # the sample's local codes are province-level
    with_names = AgencyNames({"000.00.12.H21": "A"}) | AgencyNames({"000.00.12.H21": "B", "000.00.14.H21": "C"})
    assert with_names.names == {"000.00.12.H21": "B", "000.00.14.H21": "C"}


def test_bundled_provinces_are_the_34_and_agree_with_vietnam_provinces() -> None:
    data = ProvinceList.default()
    assert len(data.provinces) == 34
    assert sum(len(p.merged_from) or 1 for p in data.provinces) == 63  # every old province lands in one new one
    assert all(unicodedata.is_normalized("NFC", p.name) for p in data.provinces)
    codes = [p.agency_code for p in (*data.provinces, *data.former_provinces) if p.agency_code]
    assert sorted(codes) == [  # only the confirmed ones, each with its source (tests/kpi/test_provinces_data.py)
        *("H14", "H19", "H20", "H21", "H27", "H29", "H30", "H38", "H41"),
        *("H48", "H49", "H50", "H51", "H54", "H55", "H56", "H57", "H59"),
    ]
    vp = pytest.importorskip("vietnam_provinces", reason="the vietnam-provinces package is not installed")
    theirs = {int(p.code): p.name for p in vp.Province.iter_all()}
    assert {p.gso_code: p.name for p in data.provinces} == theirs
