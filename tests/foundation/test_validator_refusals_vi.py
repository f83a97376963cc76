"""A data file's own rule refused by a model validator, worded in the reader's language (issue 14).

pydantic wraps what a validator raises as a ``value_error`` and needs a ``ValueError``; a validator raises one with
a worded text (``ValueError(words(N_(...), ...))``), so the frame ("cần ...") and the reason read in one language:
no English inside a Vietnamese line. In English, the message is the one pydantic always gave ("Value error, ...").
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from tthc.calendar.schedule import DaySpan, ScheduleFile
from tthc.errors import DataFileError
from tthc.fees.tariffs import _EntryModel, _SurchargeModel
from tthc.foundation.data_files import validate_data
from tthc.foundation.data_value import DataValue
from tthc.foundation.error_words import error_text
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.kpi.agency_names import ProvinceList
from tthc.postal.eligibility import _ListModel

REF = {"document": "19/2025/QĐ-TTg", "issued": "2025-06-30"}
PROVINCE = {"name": "Gia Lai", "kind": "province", "agency_code": "H21"}
PROVINCES = {
    "valid_from": "2025-07-01",
    "reference": REF,
    "agency_code_reference": REF,
    "agency_code_sources": {"H21": REF},
    "provinces": [PROVINCE],
}
ENTRY = {"service": "one_way", "zone": "within_province"}
OCCASION = {"year": 2026, "occasion": "Tết", "days_off": [], "reference": REF}

CASES: list[tuple[type[BaseModel] | type[DataValue], object, str, str]] = [
    (
        DaySpan,
        {"start": "2026-02-20", "end": "2026-02-16"},
        "days_off.end: cần một ngày từ 20/02/2026 trở đi, nhận được 16/02/2026",
        "days_off.end: expected a date on or after 2026-02-20, got 2026-02-16",
    ),
    (
        ScheduleFile,
        {"years": [{"year": 2026, "status": "announced"}, {"year": 2026, "status": "projected"}]},
        "years: cần mỗi năm ghi một lần, nhận được một năm ghi hai lần",
        "years: expected each year once, got a year listed twice",
    ),
    (
        ScheduleFile,
        {"years": [{"year": 2026, "status": "announced"}], "occasions": [{**OCCASION, "year": 2027}]},
        "occasions: cần một năm có trong 'years', nhận được Tết 2027",
        "occasions: expected a year listed in 'years', got Tết 2027",
    ),
    (
        _EntryModel,
        {**ENTRY, "amount": 5, "min": 1, "max": 3},
        "cần ghi hoặc amount, hoặc cả min và max",
        "give either amount, or both min and max",
    ),
    (
        _EntryModel,
        {**ENTRY, "min": 30000, "max": 12000},
        "max 12000 nhỏ hơn min 30000",
        "max 12000 below min 30000",
    ),
    (
        _EntryModel,
        {**ENTRY, "amount": 5, "weight_above_g": 500, "weight_up_to_g": 250},
        "weight_up_to_g 250 phải lớn hơn weight_above_g 500",
        "weight_up_to_g 250 must exceed weight_above_g 500",
    ),
    (
        _EntryModel,
        {"service": "return", "amount": 5},
        "mục cước return cần ghi vùng tính cước (zone)",  # the code the file gives,
        "a return entry needs a zone",
    ),
    (
        _SurchargeModel,
        {"id": "cod", "label_vi": "Thu hộ", "amount": 1000, "percent": "1/2"},
        "cần ghi hoặc amount, hoặc percent",
        "give either amount or percent",
    ),
    (
        _SurchargeModel,
        {"id": "cod", "label_vi": "Thu hộ", "percent": "-1/2"},
        "percent phải >= 0",
        "percent must be >= 0",
    ),
    (
        ProvinceList,
        {**PROVINCES, "provinces": [PROVINCE, {**PROVINCE, "name": "Đắk Lắk"}]},
        "agency_code: cần mỗi mã thuộc đúng một tỉnh, thành phố, nhận được H21 ở nhiều hơn một tỉnh",
        "agency_code: expected each code on one province, got H21 more than once",
    ),
    (
        ProvinceList,
        {**PROVINCES, "agency_code_sources": {}},
        "agency_code_sources: cần nguồn cho mọi mã, nhận được các mã không có nguồn ['H21']",
        "agency_code_sources: expected a source for every code, got none for ['H21']",
    ),
    (
        ProvinceList,
        {**PROVINCES, "agency_code_sources": {"H21": REF, "H99": REF}},
        "agency_code_sources: cần chỉ mã của các tỉnh, thành phố trong danh sách, nhận được ['H99']",
        "agency_code_sources: expected only codes of a province, got ['H99']",
    ),
    (
        ProvinceList,
        {**PROVINCES, "former_provinces": [{"name": "Bình Định", "kind": "province", "merged_into": "Gia Lai"}]},
        "former_provinces: cần valid_until và merged_into là một trong các tỉnh, thành phố cho Bình Định, nhận được "
        "None và 'Gia Lai'",
        "former_provinces: expected valid_until and merged_into one of the provinces for Bình Định, got None and "
        "'Gia Lai'",
    ),
    (
        _ListModel,
        {"id": "x", "name": "X", "kind": "included", "reference": REF, "procedures": []},
        "danh sách cần ghi tỉnh (province) hoặc cơ quan (agencies)",
        "a list needs a province or agencies",
    ),
]


@pytest.mark.parametrize(("model", "raw", "vi", "en"), CASES)
def test_a_validator_refusal_reads_in_one_language(
    model: type[BaseModel] | type[DataValue], raw: object, vi: str, en: str
) -> None:
    with pytest.raises(DataFileError) as info:
        validate_data(model, raw, "f.json")
    assert error_text(info.value, "vi").startswith(f"f.json: (cấp ngoài cùng): {vi} (nhận được {{")
    assert str(info.value).startswith(f"f.json: (top level): Value error, {en} (given {{")
    assert error_text(info.value, "en") == str(info.value)


def test_a_worded_plain_error_is_worded_and_any_other_shown_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")  # the default is Vietnamese
    worded = ValueError(words(N_("percent must be >= 0")))
    assert (error_text(worded), error_text(worded, "en"), str(worded)) == (
        "percent phải >= 0",
        "percent must be >= 0",
        "percent must be >= 0",
    )
    assert error_text(ValueError("something else")) == "something else"


class _Refusing(BaseModel):
    """A model whose own construction refuses a value pydantic let through, with an error pydantic does not wrap."""

    n: int

    def model_post_init(self, context: object, /) -> None:
        if self.n < 0:
            raise TypeError(words(N_("percent must be >= 0")))


def test_a_refusal_pydantic_does_not_wrap_is_framed_in_the_same_language() -> None:
    source = words(N_("{path}: expected KPI rules like tthc/data/kpi_rules.json"), path="k.json")
    with pytest.raises(DataFileError) as info:
        validate_data(_Refusing, {"n": -1}, source)
    assert (
        error_text(info.value, "vi")
        == "k.json: cần các quy tắc KPI theo mẫu tthc/data/kpi_rules.json: percent phải >= 0"
    )
    assert str(info.value) == "k.json: expected KPI rules like tthc/data/kpi_rules.json: percent must be >= 0"
