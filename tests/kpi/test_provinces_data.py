"""The bundled province list as data (issue 14, agency names): every QCVN 102:2016 level-1 code well-formed, on one
province and cited; a code of a former province names the province in force on the record's day."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.data_files import load_json, validate_data
from tthc.kpi.agency_names import AgencyNames, ProvinceList

MERGER = date(2025, 6, 30)  # last day of the 63 provinces (Nghị quyết 202/2025/QH15: the 34 from 1 Jul 2025)


def _raw() -> dict[str, Any]:
    raw = copy.deepcopy(dict(load_json("provinces.json")))
    raw["comment"] = raw.pop("$comment")
    return raw


def _province(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in raw["provinces"] if p["name"] == name)


# -- the file refuses what would make a wrong name (hostile cases first) --------------------------------------------


def test_a_code_on_two_provinces_is_refused() -> None:
    raw = _raw()
    _province(raw, "Lạng Sơn")["agency_code"] = "H21"  # Gia Lai's
    with pytest.raises(DataFileError, match=r"provinces\.json: .*H21 more than once"):
        validate_data(ProvinceList, raw, "provinces.json")


def test_a_code_without_a_source_and_a_source_without_a_code_are_refused() -> None:
    raw = _raw()
    del raw["agency_code_sources"]["H55"]
    with pytest.raises(DataFileError, match=r"expected a source for every code, got none for \['H55'\]"):
        validate_data(ProvinceList, raw, "provinces.json")
    raw = _raw()
    raw["agency_code_sources"]["H01"] = {"document": "a guess", "tag": "open"}
    with pytest.raises(DataFileError, match=r"expected only codes of a province, got \['H01'\]"):
        validate_data(ProvinceList, raw, "provinces.json")


@pytest.mark.parametrize("bad", ["H5", "H555", "h21", "K21", "21", "H2l", " H21"])
def test_a_malformed_code_is_refused(bad: str) -> None:
    raw = _raw()
    _province(raw, "Lạng Sơn")["agency_code"] = bad
    raw["agency_code_sources"][bad] = {"document": "x"}
    with pytest.raises(DataFileError, match=r"provinces\.\d+\.agency_code"):
        validate_data(ProvinceList, raw, "provinces.json")


@pytest.mark.parametrize(("field", "value"), [("merged_into", "Hà Tây"), ("merged_into", None), ("valid_until", None)])
def test_a_former_province_must_say_when_it_ended_and_where_it_went(field: str, value: object) -> None:
    raw = _raw()
    raw["former_provinces"][0][field] = value
    with pytest.raises(DataFileError, match=r"former_provinces: expected valid_until and merged_into"):
        validate_data(ProvinceList, raw, "provinces.json")


# -- the bundled file ------------------------------------------------------------------------------------------------


def test_every_bundled_code_is_well_formed_unique_and_cited() -> None:
    data = ProvinceList.default()
    units = (*data.provinces, *data.former_provinces)
    codes = [p.agency_code for p in units if p.agency_code]
    assert all(re.fullmatch(r"H\d{2}", c) for c in codes)
    assert len(codes) == len(set(codes)) == len(data.agency_code_sources) == 18
    for code in codes:
        source = data.agency_code_sources[code]
        assert source.tag == "2nd"  # secondary sources, none of them the QCVN's own list
        assert source.note is not None
        assert code in source.note  # each source shows the code it confirms, quoted as the source writes it
        assert source.url is None or source.url.startswith(("http://", "https://"))
    assert data.agency_code_reference.document == "QCVN 102:2016/BTTTT"


def test_former_provinces_are_old_provinces_of_the_province_they_went_into() -> None:
    data = ProvinceList.default()
    by_name = {p.name: p for p in data.provinces}
    assert [(p.name, p.merged_into) for p in data.former_provinces] == [
        ("Thái Bình", "Hưng Yên"),
        ("Hậu Giang", "Thành phố Cần Thơ"),
        ("Sóc Trăng", "Thành phố Cần Thơ"),
        ("Trà Vinh", "Vĩnh Long"),
    ]
    for p in data.former_provinces:
        assert p.valid_until == MERGER
        assert p.name in by_name[p.merged_into or ""].merged_from
        assert p.name not in by_name  # a province that kept its name is not former: it keeps its code


def test_a_merged_province_keeps_the_code_of_the_old_province_whose_name_it_kept() -> None:
    data = ProvinceList.default()
    for p in data.provinces:
        if p.agency_code and p.merged_from:
            assert p.name.removeprefix("Thành phố ") in {m.removeprefix("Thành phố ") for m in p.merged_from}


# -- names: a former province, a merged one, a kept one (the record's day decides) -----------------------------------


def test_a_former_code_names_the_old_province_then_the_province_it_went_into() -> None:
    names = AgencyNames()
    assert names.label("000.00.00.H30", "vi") == "UBND tỉnh Hậu Giang (tỉnh cũ, đến 30/06/2025) (000.00.00.H30)"
    assert names.name("000.00.00.H30", "vi", on=MERGER) == "UBND tỉnh Hậu Giang"
    after = "UBND Thành phố Cần Thơ (trước 01/07/2025: UBND tỉnh Hậu Giang)"  # the old name kept as a hint
    assert names.name("000.00.00.H30", "vi", on=MERGER + timedelta(days=1)) == after
    assert names.name("H30", "en", on=date(2026, 1, 5)) == (
        "Thành phố Cần Thơ People's Committee (before 2025-07-01: Hậu Giang Provincial People's Committee)"
    )
    assert names.province("000.18.29.H51", "vi", on=date(2024, 3, 1)) == "Sóc Trăng"
    assert (
        names.province("000.18.29.H51", "vi", on=date(2025, 7, 1)) == "Thành phố Cần Thơ (trước 01/07/2025: Sóc Trăng)"
    )
    assert (
        names.label("000.00.01.H59", "vi", on=date(2025, 7, 1))
        == "000.00.01.H59 (Vĩnh Long (trước 01/07/2025: Trà Vinh))"
    )
    assert names.label("000.00.01.H59", "en") == "000.00.01.H59 (Trà Vinh (former province, until 2025-06-30))"


def test_the_day_may_be_a_datetime_taken_in_vietnam_time_and_nothing_else() -> None:
    names = AgencyNames()
    assert names.name("H54", "vi", on=datetime(2025, 6, 30, 23, 59)) == "UBND tỉnh Thái Bình"
    assert (
        names.name("H54", "vi", on=datetime(2025, 7, 1, 0, 0))
        == "UBND tỉnh Hưng Yên (trước 01/07/2025: UBND tỉnh Thái Bình)"
    )
    with pytest.raises(InvalidValueError, match=r"^on: "):
        names.name("H54", "vi", on="2025-07-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"^on: "):
        names.label("000.00.12.H21", "vi", on=20250701)  # type: ignore[arg-type]  # checked for any province


def test_a_kept_and_an_unmerged_code_name_the_same_province_on_any_day() -> None:
    names = AgencyNames()
    for day in (None, MERGER, MERGER + timedelta(days=1)):
        assert names.name("000.00.00.H55", "vi", on=day) == "UBND tỉnh Thái Nguyên"  # Thái Nguyên + Bắc Kạn
        assert names.name("000.00.00.H27", "en", on=day) == "Hà Tĩnh Provincial People's Committee"
        assert names.label("000.00.14.H20", "vi", on=day) == "000.00.14.H20 (Đồng Tháp)"
    assert names.label("000.00.00.H26", "vi") == "000.00.00.H26"  # Hà Nội: no source confirmed the code yet


def test_a_name_file_still_wins_over_the_province_on_any_day() -> None:
    names = AgencyNames({"000.00.00.H30": "Văn phòng UBND tỉnh Hậu Giang"})
    assert names.name("000.00.00.H30", "vi", on=date(2026, 1, 1)) == "Văn phòng UBND tỉnh Hậu Giang"


_FORMER_CODES = ["H30", "H51", "H54", "H59"]


@given(
    code=st.sampled_from(_FORMER_CODES),
    days=st.lists(st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=2),
    lang=st.sampled_from(["vi", "en"]),
)
def test_a_former_code_names_the_provinces_of_its_records_days(code: str, days: list[date], lang: str) -> None:
    """Before the merger only the old province, after it the new one first (the old one a hint after it), across
    it both in order; never the undated "former" mark."""
    data = ProvinceList.default()
    old = next(p for p in data.former_provinces if p.agency_code == code)
    first, last = min(days), max(days)
    province = AgencyNames().province(code, lang, on=(first, last))
    name = AgencyNames().name(f"000.00.00.{code}", lang, on=(first, last))
    assert province is not None
    assert name is not None
    assert AgencyNames().province(code, lang, on=last) == AgencyNames().province(code, lang, on=(last, last))
    if last <= MERGER:
        assert province == old.name
        assert "(" not in name
    elif first > MERGER:
        assert province.startswith(f"{old.merged_into} (")
        assert province.endswith(f": {old.name})")
        assert name.index(old.merged_into or "") < name.index(old.name)
    else:
        assert province.index(old.name) < province.index(old.merged_into or "")
        assert name.index(old.name) < name.index(old.merged_into or "")
    assert "former" not in province
    assert "tỉnh cũ" not in province


@given(
    code=st.sampled_from([p.agency_code for p in ProvinceList.default().provinces if p.agency_code]),
    day=st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)),
)
def test_a_code_of_a_province_in_force_does_not_depend_on_the_day(code: str, day: date) -> None:
    names = AgencyNames()
    assert names.label(f"000.00.00.{code}", "vi", on=day) == names.label(f"000.00.00.{code}", "vi")
