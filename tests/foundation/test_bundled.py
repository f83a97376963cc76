"""The package's data files read as written (:func:`tthc.foundation.bundled.bundled_model`, issue 16 item 5) equal the
same files validated by their models — value by value, type by type, the fields set included.

The start of ``tthc validate --sample`` builds no pydantic validator (``tests/cli/test_startup.py``): the sample
catalog, the record rules and the postal files are read without one. These tests are what makes that safe; a field
validator that changes a value, a new field type the builder does not know or a key the model does not read shows
here as a difference.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from tthc.catalog.collection import SAMPLE_CATALOG, Catalog, _catalog_from_raw
from tthc.catalog.model import Procedure
from tthc.foundation.bundled import bundled_model
from tthc.foundation.data_files import load_json
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.references import LegalReference
from tthc.postal import eligibility
from tthc.validation.rules import RecordRules


def _differences(fast: object, checked: object, where: str = "") -> list[str]:
    """Where ``fast`` and ``checked`` differ in value, in type or in the fields a model was given."""
    if type(fast) is not type(checked):
        return [f"{where}: {type(fast).__name__} != {type(checked).__name__}"]
    if isinstance(fast, BaseModel):
        assert isinstance(checked, BaseModel)
        out = [] if fast.model_fields_set == checked.model_fields_set else [f"{where}: fields set differ"]
        for name in type(fast).model_fields:
            out += _differences(getattr(fast, name), getattr(checked, name), f"{where}.{name}")
        return out
    if isinstance(fast, tuple | list):
        assert isinstance(checked, tuple | list)
        if len(fast) != len(checked):
            return [f"{where}: {len(fast)} items != {len(checked)}"]
        return [
            d for i, (a, b) in enumerate(zip(fast, checked, strict=True)) for d in _differences(a, b, f"{where}[{i}]")
        ]
    return [] if fast == checked else [f"{where}: {fast!r} != {checked!r}"]


def test_the_sample_catalog_read_as_written_is_the_validated_catalog() -> None:
    fast = Catalog.sample()
    checked = _catalog_from_raw(load_json(SAMPLE_CATALOG), SAMPLE_CATALOG)
    assert len(fast) == len(checked) >= 30
    assert fast.about == checked.about
    for a, b in zip(fast, checked, strict=True):
        assert _differences(a, b, str(b.code)) == []
    # the sample exercises every kind of value the builder converts
    channels = [o for p in fast for o in p.channels]
    assert any(o.processing_time is not None and o.processing_time.amount is not None for o in channels)
    assert any(f.amount is not None for o in channels for f in o.fees)
    assert any(p.valid_from is not None or p.valid_until is not None for p in fast)


def test_the_record_rules_read_as_written_are_the_validated_rules() -> None:
    assert _differences(RecordRules.default(), RecordRules.model_validate(load_json("record_rules.json"))) == []


def test_the_postal_rules_read_as_written_are_the_validated_rules() -> None:
    raw = load_json("postal_rules.json")
    assert _differences(eligibility._rules_file(), eligibility._RulesFile.model_validate(raw)) == []


def test_the_agency_lists_read_as_written_are_the_validated_lists() -> None:
    raw = load_json("postal_agency_lists.json")
    assert raw["lists"], "the bundled file has lists to compare"
    fast = eligibility.AgencyLists.bundled(include_examples=True)
    checked = eligibility.AgencyLists.from_dict(raw, source="postal_agency_lists.json")
    assert fast == checked
    assert _differences(bundled_model(eligibility._ListsFile, raw), eligibility._ListsFile.model_validate(raw)) == []


# -------------------------------------------------------------------------------------------- the builder itself


class _Colour(enum.StrEnum):
    RED = "red"


class _Inner(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)
    code: ProcedureCode
    on: date | None = None


class _Outer(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True, populate_by_name=True)
    comment: str | None = Field(default=None, alias="$comment")
    colour: _Colour = _Colour.RED
    share: Decimal | None = None
    tag: Literal["law", "open"] = "law"
    items: tuple[_Inner, ...] = ()
    reference: LegalReference | None = None
    extra: Any = None


def test_the_builder_reads_each_kind_of_field_as_validation_does() -> None:
    raw = {
        "$comment": "aliased key",
        "colour": "red",
        "share": "0.5",
        "tag": "open",
        "items": [{"code": "1.000178", "on": "2026-02-13"}, {"code": "2.002154.000.00.00.H29"}],
        "reference": {"document": "61/2018/NĐ-CP", "issued": "2018-04-23"},
        "extra": [1, {"a": None}],
    }
    assert _differences(bundled_model(_Outer, raw), _Outer.model_validate(raw)) == []


def test_the_builder_leaves_unset_fields_to_their_defaults_and_unknown_keys_out() -> None:
    built = bundled_model(_Outer, {"reference": None, "not_a_field": 1})
    assert built.model_fields_set == {"reference"}
    assert built.colour is _Colour.RED
    assert built.items == ()
    assert built.reference is None
    assert not hasattr(built, "not_a_field")


def test_the_builder_builds_no_validator() -> None:
    class Fresh(BaseModel):
        model_config = ConfigDict(defer_build=True)
        day: date

    built = bundled_model(Fresh, {"day": "2026-02-13"})
    assert built.day == date(2026, 2, 13)
    assert not Fresh.__pydantic_complete__  # read as written: the validator was never needed


SAMPLE = load_json(SAMPLE_CATALOG)["procedures"]


@pytest.mark.parametrize("raw", SAMPLE, ids=lambda p: str(p["code"]))
def test_a_sample_procedure_answers_as_the_validated_one(raw: dict[str, Any]) -> None:
    """Behaviour, not only equality: what the validation steps ask of a procedure is answered the same."""
    fast = Catalog.sample()[raw["code"]]
    checked = Procedure.model_validate(raw)
    channels = ("direct", "online", "postal")
    assert [fast.offers(c) for c in channels] == [checked.offers(c) for c in channels]
    assert [fast.options(c) for c in channels] == [checked.options(c) for c in channels]
    assert fast.model_dump(mode="json") == checked.model_dump(mode="json")
    assert fast.model_dump(exclude_defaults=True) == checked.model_dump(exclude_defaults=True)
