"""Data values (:mod:`tthc.foundation.data_value`): frozen, slotted dataclasses with pydantic's model API — validated,
dumped and described by pydantic as the ``BaseModel`` classes they replace were, defined without importing it."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys
from datetime import date
from typing import Annotated, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tthc.errors import InvalidValueError
from tthc.foundation.data_value import DataValue, Described, data_value


@data_value
class _Part(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}
    label: str
    size: int = 0


@data_value
class _Whole(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}
    name: str = "unnamed"
    parts: tuple[_Part, ...] = ()
    tags: dict[str, int] = dataclasses.field(default_factory=dict)
    until: Annotated[date | None, Described("inclusive")] = None
    count: int  # required after defaulted fields: keyword-only

    def __post_init__(self) -> None:  # pydantic calls it when it validates
        if self.count < 0:
            raise ValueError("count: expected a whole number >= 0")


class _PartModel(BaseModel):  # the same shapes as pydantic models, to compare with
    model_config = ConfigDict(frozen=True, extra="forbid", title="_Part")
    label: str
    size: int = 0


class _WholeModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", title="_Whole")
    name: str = "unnamed"
    parts: tuple[_PartModel, ...] = ()
    tags: dict[str, int] = Field(default_factory=dict)
    until: date | None = Field(default=None, description="inclusive")
    count: int


RAW = {"name": "n", "parts": [{"label": "a", "size": 2}, {"label": "b"}], "until": "2026-12-31", "count": 3}


def test_the_constructor_validates_and_raises_invalid_value_error() -> None:
    whole = _Whole(count="4", parts=[{"label": "x"}])  # coerced as pydantic does
    assert whole.count == 4
    assert whole.parts == (_Part(label="x"),)
    with pytest.raises(InvalidValueError) as caught:
        _Whole(count=1, parts=[{"label": "x", "size": "many"}])
    assert caught.value.field == "parts.0.size"
    with pytest.raises(InvalidValueError):
        _Whole(count=1, colour="red")  # unknown fields refused
    with pytest.raises(InvalidValueError):
        _Whole(count=-1)  # __post_init__'s check


def test_model_validate_keeps_pydantics_errors() -> None:
    with pytest.raises(ValidationError) as caught:
        _Whole.model_validate({"count": "x", "parts": [{"size": 1}]})
    assert caught.value.error_count() == 2
    assert {e["loc"] for e in caught.value.errors()} == {("count",), ("parts", 0, "label")}


def test_dumps_and_schema_as_the_pydantic_model() -> None:
    whole = _Whole.model_validate(RAW)
    model = _WholeModel.model_validate(RAW)
    assert whole.model_dump() == model.model_dump()
    assert whole.model_dump(mode="json", exclude_defaults=True) == model.model_dump(mode="json", exclude_defaults=True)
    assert json.loads(whole.model_dump_json()) == json.loads(model.model_dump_json())
    assert _Whole.model_validate_json(whole.model_dump_json()) == whole
    ours, theirs = _Whole.model_json_schema(), _WholeModel.model_json_schema()
    assert ours["properties"] == json.loads(json.dumps(theirs["properties"]).replace("_PartModel", "_Part"))
    assert ours["properties"]["until"]["description"] == "inclusive"
    assert ours["required"] == theirs["required"]


def test_construct_and_copy_do_not_validate() -> None:
    built = _Whole.model_construct(count="not checked", colour="left out")
    assert built.count == "not checked"  # type: ignore[comparison-overlap]
    assert (built.name, built.tags, built.parts) == ("unnamed", {}, ())
    assert not hasattr(built, "colour")
    whole = _Whole.model_validate(RAW)
    copied = whole.model_copy(update={"name": "m"})
    assert copied.name == "m"
    assert copied.parts is whole.parts
    deep = whole.model_copy(deep=True)
    assert deep == whole
    assert deep.tags is not whole.tags


@given(st.text(max_size=5), st.integers(0, 10), st.integers(0, 10))
def test_equality_hashing_and_pickling_by_value(label: str, size: int, count: int) -> None:
    whole = _Whole(count=count, parts=(_Part(label=label, size=size),))
    again = _Whole.model_validate(whole.model_dump())
    assert again == whole
    assert hash(again.parts) == hash((_Part(label=label, size=size),))  # (a dict field is unhashable, as in pydantic)
    assert pickle.loads(pickle.dumps(whole)) == whole
    assert _Whole(count=count + 1, parts=whole.parts) != whole
    assert _Part(label=label, size=size) != _PartModel(label=label, size=size)  # type: ignore[comparison-overlap]


def test_frozen() -> None:
    whole = _Whole(count=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        whole.count = 2  # refused at run time (mypy is not told the class is frozen)


def test_a_worded_reason_keeps_its_wording_through_pickle() -> None:
    """A verdict's reason keeps what it needs to be worded again (not fields: neither dumped nor compared)."""
    from tthc.catalog import Catalog
    from tthc.postal.eligibility import check_postal_eligibility

    proc = next(p for p in Catalog.sample() if p.requires_personal_presence.value == "no")
    verdict = check_postal_eligibility(proc, on=date(2026, 6, 1), lang="en")
    back = pickle.loads(pickle.dumps(verdict))
    assert back == verdict
    assert [r.text("vi") for r in back.reasons] == [r.text("vi") for r in verdict.reasons]
    assert back.explain("vi") == verdict.explain("vi") != verdict.explain("en")
    read = type(verdict).model_validate_json(verdict.model_dump_json())  # from JSON: worded as it was written
    assert read == verdict
    assert read.explain("en") == verdict.explain("en")


def test_defining_data_values_imports_no_pydantic() -> None:
    code = (
        "import sys\n"
        "from tthc.catalog import Catalog\n"
        "from tthc.postal.eligibility import check_postal_eligibility\n"
        "from tthc.validation.rules import RecordRules\n"
        "from tthc.kpi.indicators import KpiOptions\n"
        "p = next(iter(Catalog.sample()))\n"
        "check_postal_eligibility(p, on=p.valid_from or __import__('datetime').date(2026, 1, 1))\n"
        "RecordRules.default()\n"
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[]"


def test_the_signature_lists_the_fields_as_pydantic_gives_a_models() -> None:
    import inspect

    sig = inspect.signature(_Whole)
    assert list(sig.parameters) == [f.name for f in dataclasses.fields(_Whole)]  # type: ignore[arg-type]
    assert all(p.kind is p.KEYWORD_ONLY for p in sig.parameters.values())
    assert sig.parameters["count"].default is inspect.Parameter.empty
    assert sig.parameters["name"].default == "unnamed"
    assert sig.parameters["tags"].default == {}
    assert sig.parameters["parts"].annotation == tuple[_Part, ...]
    assert list(sig.parameters) == list(inspect.signature(_WholeModel).parameters)
    assert str(inspect.signature(DataValue)) == "(**data) -> None"  # a base class: the constructor's own
