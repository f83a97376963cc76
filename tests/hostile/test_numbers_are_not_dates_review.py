"""A number is never a date in a data file (session 12): every ``date`` field of a model that reads input is an
:data:`tthc.foundation.iso_day.IsoDay`.

pydantic alone reads a JSON number (and digits in a string) as seconds since 1970: ``"valid_from": 0`` in a catalog
file was 1970-01-01, silently. Covered here, both sides of the rule, through the documented loaders: the catalog file
(:meth:`Catalog.load`), a discounts file (:meth:`DiscountSet.load`), the public-sector schedule
(:func:`load_schedule`) and a KPI rules file (:meth:`KpiRules.load`, whose only dates are its references'
``issued``); then the models themselves (``model_validate`` keeps raising ``pydantic.ValidationError``, a constructor
an ``InvalidValueError``), the bundled files read as written, and the JSON Schema (``type: string, format: date``).
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tthc.calendar.office_hours import load_office_hours
from tthc.calendar.schedule import ScheduleOccasion, load_schedule
from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.deadlines.reductions import load_reductions
from tthc.errors import DataFileError, InvalidValueError
from tthc.fees.discounts import DiscountSet
from tthc.foundation.data_files import load_json
from tthc.foundation.iso_day import read_iso_day
from tthc.foundation.references import LegalReference
from tthc.kpi.indicators import KpiRules

EXPECTED = "expected an ISO date such as '2024-01-01'"

# what pydantic read as a date before (a number, digits, a midnight datetime) and other non-ISO text
REFUSED: list[Any] = [
    0,
    1_700_000_000,
    1.5,
    True,
    "0",
    "1700000000",
    "20240101",
    "13/02/2024",
    "2024-1-1",
    "2024-02-30",
    "2024-W01-1",
    "2024-01-01T00:00:00",
    " 2024-01-01",
    "2024-01-01\n",
    "",
    None,
]
REFUSED_NOT_NONE = [v for v in REFUSED if v is not None]


def _write(tmp_path: Path, name: str, raw: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


# -- the catalog file -------------------------------------------------------------------------------------------


def _catalog(field: str, value: object) -> dict[str, Any]:
    raw = copy.deepcopy(load_json("sample_catalog.json"))
    raw["procedures"][0][field] = value
    return dict(raw)


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
@pytest.mark.parametrize("value", REFUSED_NOT_NONE)
def test_catalog_file_refuses_a_number_or_non_iso_text(tmp_path: Path, field: str, value: object) -> None:
    path = _write(tmp_path, "catalog.json", _catalog(field, value))
    with pytest.raises(DataFileError) as caught:
        Catalog.load(path)
    text = str(caught.value)
    assert f"{field}: {EXPECTED}, got {value!r}" in text
    assert "procedures.0." in text or "procedures[0]" in text or "0" in text


def test_catalog_file_reads_an_iso_date(tmp_path: Path) -> None:
    raw = _catalog("valid_from", "2024-01-01")
    raw["procedures"][0]["valid_until"] = "2024-12-31"
    catalog = Catalog.load(_write(tmp_path, "catalog.json", raw))
    code = raw["procedures"][0]["code"]
    assert catalog[code].valid_from == date(2024, 1, 1)
    assert catalog[code].valid_until == date(2024, 12, 31)


def test_catalog_jsonl_refuses_a_number(tmp_path: Path) -> None:
    raw = _catalog("valid_from", 0)
    path = tmp_path / "catalog.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in raw["procedures"]), encoding="utf-8")
    with pytest.raises(DataFileError, match=f"valid_from: {EXPECTED}, got 0"):
        Catalog.load(path)


def test_procedure_model_validate_and_constructor() -> None:
    raw = load_json("sample_catalog.json")["procedures"][0]
    with pytest.raises(pydantic.ValidationError, match=f"valid_from: {EXPECTED}, got '20240101'"):
        Procedure.model_validate({**raw, "valid_from": "20240101"})
    with pytest.raises(pydantic.ValidationError, match=f"valid_until: {EXPECTED}, got 0"):
        Procedure.model_validate_json(json.dumps({**raw, "valid_until": 0}))
    # the other side: ISO text (Python and JSON), a date instance
    assert Procedure.model_validate({**raw, "valid_from": "2024-01-01"}).valid_from == date(2024, 1, 1)
    assert Procedure.model_validate_json(json.dumps({**raw, "valid_from": "2024-01-01"})).valid_from == date(2024, 1, 1)
    assert Procedure.model_validate({**raw, "valid_from": date(2024, 1, 1)}).valid_from == date(2024, 1, 1)
    assert Procedure.model_validate({**raw, "valid_from": None}).valid_from is None
    # a datetime is not a day (pydantic took one at midnight)
    with pytest.raises(pydantic.ValidationError, match=f"valid_from: {EXPECTED}"):
        Procedure.model_validate({**raw, "valid_from": datetime(2024, 1, 1)})
    # a dossier's catalog snapshot is a Procedure dumped and read back: the dump is ISO text, read again
    proc = Procedure.model_validate({**raw, "valid_from": "2024-01-01"})
    assert Procedure.model_validate_json(proc.model_dump_json()) == proc
    assert Procedure.model_validate(proc.model_dump(mode="json")) == proc


# -- a discounts file ---------------------------------------------------------------------------------------------


def _discounts(field: str, value: object) -> dict[str, Any]:
    raw = copy.deepcopy(load_json("discounts.json"))
    raw.pop("$comment", None)
    raw["discounts"] = raw["discounts"][:1]
    raw["discounts"][0][field] = value
    return dict(raw)


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
@pytest.mark.parametrize("value", [0, 20240101, "20240101", "23/03/2020", True])
def test_discounts_file_refuses_a_number_or_non_iso_text(tmp_path: Path, field: str, value: object) -> None:
    with pytest.raises(DataFileError) as caught:
        DiscountSet.load(_write(tmp_path, "discounts.json", _discounts(field, value)))
    assert f"{field}: {EXPECTED}, got {value!r}" in str(caught.value)
    assert "discounts.0" in str(caught.value)


def test_discounts_file_reads_iso_dates(tmp_path: Path) -> None:
    raw = _discounts("valid_from", "2020-03-24")
    loaded = DiscountSet.load(_write(tmp_path, "discounts.json", raw))
    assert loaded.discounts[0].valid_from == date(2020, 3, 24)
    assert loaded.discounts[0].valid_until == date(2020, 5, 30)


def test_discounts_reference_issued_refuses_a_number(tmp_path: Path) -> None:
    raw = _discounts("valid_from", "2020-03-23")
    raw["discounts"][0]["reference"]["issued"] = 0
    with pytest.raises(DataFileError, match=f"issued: {EXPECTED}, got 0"):
        DiscountSet.load(_write(tmp_path, "discounts.json", raw))


# -- the public-sector schedule -----------------------------------------------------------------------------------


def _schedule() -> dict[str, Any]:
    raw = copy.deepcopy(load_json("public_sector_schedule.json"))
    raw.pop("$comment", None)
    first = next(o for o in raw["occasions"] if o.get("make_up_working_days") and o.get("swapped_weekday_off"))
    raw["occasions"] = [first]
    raw["years"] = [y for y in raw["years"] if y["year"] == first["year"]]
    return dict(raw)


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (("days_off", 0, "start"), "start"),
        (("days_off", 0, "end"), "end"),
        (("swapped_weekday_off",), "swapped_weekday_off"),
        (("make_up_working_days", 0), "make_up_working_days"),
    ],
)
@pytest.mark.parametrize("value", [0, 1_420_070_400, "20150102", "02/01/2015"])
def test_schedule_file_refuses_a_number_or_non_iso_text(
    tmp_path: Path, where: tuple[Any, ...], field: str, value: object
) -> None:
    raw = _schedule()
    target: Any = raw["occasions"][0]
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(DataFileError) as caught:
        load_schedule(_write(tmp_path, "schedule.json", raw))
    assert f"{field}: {EXPECTED}, got {value!r}" in str(caught.value)


def test_schedule_file_reads_iso_dates(tmp_path: Path) -> None:
    raw = _schedule()
    occ = raw["occasions"][0]
    schedule = load_schedule(_write(tmp_path, "schedule.json", raw))
    assert schedule.occasions[0].swapped_weekday_off == date.fromisoformat(occ["swapped_weekday_off"])
    assert schedule.occasions[0].make_up_working_days == tuple(
        date.fromisoformat(d) for d in occ["make_up_working_days"]
    )
    assert schedule.occasions[0].days_off[0].start == date.fromisoformat(occ["days_off"][0]["start"])


def test_schedule_occasion_takes_date_instances() -> None:
    occ = _schedule()["occasions"][0]
    day = date.fromisoformat(occ["swapped_weekday_off"])
    built = ScheduleOccasion.model_validate({**occ, "swapped_weekday_off": day, "make_up_working_days": [day]})
    assert built.swapped_weekday_off == day
    assert built.make_up_working_days == (day,)


# -- a KPI rules file (dates: its references' issued) -------------------------------------------------------------


def _kpi(issued: object) -> dict[str, Any]:
    raw = copy.deepcopy(load_json("kpi_rules.json"))
    raw.pop("$comment", None)
    rule = raw["indicators"]["on_time_rate"]
    raw["indicators"] = {"on_time_rate": rule}
    rule["reference"]["issued"] = issued
    return dict(raw)


@pytest.mark.parametrize("value", [0, 1_655_942_400, "20220623", "23/06/2022", False])
def test_kpi_rules_file_refuses_a_number_or_non_iso_text(tmp_path: Path, value: object) -> None:
    with pytest.raises(DataFileError) as caught:
        KpiRules.load(_write(tmp_path, "rules.json", _kpi(value)))
    text = str(caught.value)
    assert f"issued: {EXPECTED}, got {value!r}" in text
    assert "indicators.on_time_rate.reference" in text


@pytest.mark.parametrize("value", ["2022-06-23", None])
def test_kpi_rules_file_reads_an_iso_date(tmp_path: Path, value: object) -> None:
    rules = KpiRules.load(_write(tmp_path, "rules.json", _kpi(value)))
    assert rules.indicators["on_time_rate"].reference.issued == (None if value is None else date(2022, 6, 23))


def test_legal_reference_constructor_and_model_validate() -> None:
    with pytest.raises(InvalidValueError, match=f"issued: {EXPECTED}, got 0"):
        LegalReference(document="x", issued=0)  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError, match=f"issued: {EXPECTED}, got '20220623'"):
        LegalReference.model_validate({"document": "x", "issued": "20220623"})
    assert LegalReference(document="x", issued=date(2022, 6, 23)).issued == date(2022, 6, 23)
    assert LegalReference.model_validate({"document": "x", "issued": "2022-06-23"}).issued == date(2022, 6, 23)


# -- a reductions file and an office-hours file (models built inside their loaders) -------------------------------


def _reductions(value: object) -> dict[str, Any]:
    raw = copy.deepcopy(load_json("reductions.json"))
    raw.pop("$comment", None)
    raw["reductions"] = raw["reductions"][:1]
    raw["reductions"][0]["valid_from"] = value
    return dict(raw)


@pytest.mark.parametrize("value", [0, "20240101", "01/01/2024"])
def test_reductions_file_refuses_a_number_or_non_iso_text(tmp_path: Path, value: object) -> None:
    with pytest.raises(DataFileError) as caught:
        load_reductions(_write(tmp_path, "reductions.json", _reductions(value)))
    assert f"valid_from: {EXPECTED}, got {value!r}" in str(caught.value)


def test_reductions_file_reads_an_iso_date(tmp_path: Path) -> None:
    loaded = load_reductions(_write(tmp_path, "reductions.json", _reductions("2024-01-01")))
    assert loaded.rules[0].valid.start == date(2024, 1, 1)


def _office(field: str, value: object) -> dict[str, Any]:
    raw = copy.deepcopy(load_json("office_hours.json"))
    raw.pop("$comment", None)
    office = raw["offices"][0]
    target = office["periods"][0] if field == "valid_from" else office["overrides"][0]
    target["valid_from" if field == "valid_from" else "day"] = value
    return dict(raw)


@pytest.mark.parametrize("field", ["valid_from", "day"])
@pytest.mark.parametrize("value", [0, "20241101"])
def test_office_hours_file_refuses_a_number_or_non_iso_text(tmp_path: Path, field: str, value: object) -> None:
    raw = _office(field, value)
    with pytest.raises(DataFileError) as caught:
        load_office_hours(raw["offices"][0]["office"], _write(tmp_path, "office.json", raw))
    assert f"{field}: {EXPECTED}, got {value!r}" in str(caught.value)


# -- the rule itself, the bundled files, the schema ---------------------------------------------------------------


@pytest.mark.parametrize("value", REFUSED)
def test_read_iso_day_refuses(value: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        read_iso_day(value, "valid_from")
    reason = {"2024-02-30": " (02/2024 has 29 days)"}.get(value, "") if isinstance(value, str) else ""
    assert str(caught.value) == f"valid_from: {EXPECTED}, got {value!r}{reason}"


def test_read_iso_day_reads() -> None:
    assert read_iso_day("2024-01-01") == date(2024, 1, 1)
    assert read_iso_day("2024-02-29") == date(2024, 2, 29)
    assert read_iso_day(date(2024, 1, 1)) == date(2024, 1, 1)


def test_bundled_models_still_read_their_dates() -> None:
    # the bundled files are built as written (no validator): an IsoDay field is still read as a date
    assert all(isinstance(d.valid_from, date) for d in DiscountSet.bundled().discounts if d.valid_from is not None)
    schedule = load_schedule()
    assert all(isinstance(d, date) for o in schedule.occasions for d in o.make_up_working_days)


@pytest.mark.parametrize("model", [Procedure, ScheduleOccasion])
def test_json_schema_stays_string_date(model: Any) -> None:
    text = json.dumps(model.model_json_schema())
    assert '"format": "date"' in text
    assert "IsoDay" not in text
    props = model.model_json_schema()["properties"]
    for name, prop in props.items():
        if "date" in json.dumps(prop) and name in ("valid_from", "swapped_weekday_off"):
            assert {"type": "string", "format": "date"} in prop.get("anyOf", [prop])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-02-30", "02/2024 has 29 days"),
        ("2023-02-29", "02/2023 has 28 days"),
        ("2024-13-01", "there is no month 13"),
    ],
)
def test_an_impossible_iso_day_says_which_part_does_not_exist(text: str, reason: str) -> None:
    from tthc.errors import InvalidValueError
    from tthc.foundation.iso_day import read_iso_day

    with pytest.raises(InvalidValueError) as info:
        read_iso_day(text, "valid_from")
    assert str(info.value) == f"valid_from: expected an ISO date such as '2024-01-01', got {text!r} ({reason})"
    assert read_iso_day("2024-02-29", "valid_from").isoformat() == "2024-02-29"  # the other side
