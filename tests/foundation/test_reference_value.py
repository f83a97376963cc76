"""``LegalReference`` as an attrs value (issue 16, item 5): what it was as a pydantic model — constructor, checks,
error texts, equality, hashing, pickling, dumps and JSON schemas, inside other models and alone — without importing
pydantic until something validates, dumps or describes one.

Its pydantic form (the model it used to be, built on first use) is the reference here: each public behaviour is
compared with it, so a field added to one and not the other fails.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tthc.errors import InvalidValueError
from tthc.foundation import references
from tthc.foundation.references import LegalReference, bundled_reference

FULL: dict[str, Any] = {
    "document": "61/2018/NĐ-CP",
    "issued": "2018-04-23",
    "article": "Điều 18.2",
    "title": "Nghị định về một cửa",
    "url": "https://example.gov.vn/61",
    "tag": "2nd",
    "note": "the 15:00 cut-off",
    "note_vi": "giờ tiếp nhận 15:00",
    "document_vi": "nghị định",
}


class _Holder(BaseModel):
    reference: LegalReference
    others: tuple[LegalReference, ...] = ()
    maybe: LegalReference | None = None


class _OldHolder(BaseModel):
    """The same fields, with the pydantic form the reference was before."""

    reference: references._form()  # type: ignore[valid-type]
    others: tuple[references._form(), ...] = ()  # type: ignore[valid-type]
    maybe: references._form() | None = None  # type: ignore[valid-type]


def test_the_fields_are_the_pydantic_forms() -> None:
    form = references._form()
    assert [a.name for a in attrs.fields(LegalReference)] == list(form.model_fields)
    assert {a.name: a.default for a in attrs.fields(LegalReference)} == {
        n: attrs.NOTHING if f.is_required() else f.default for n, f in form.model_fields.items()
    }
    assert form.__doc__ == LegalReference.__doc__  # the JSON schema's description


def test_the_constructor_validates_and_converts_as_pydantic_did() -> None:
    ref = LegalReference(**FULL)
    assert ref.issued == date(2018, 4, 23)
    assert type(ref.issued) is date
    assert ref == bundled_reference(FULL)
    with pytest.raises(InvalidValueError, match=r"^issued: expected") as bad_day:
        LegalReference(document="x", issued="23/04/2018")  # type: ignore[arg-type]
    assert bad_day.value.given == "23/04/2018"
    with pytest.raises(InvalidValueError, match=r"^note: expected a note \(in English\) beside note_vi, got None$"):
        LegalReference(document="x", note_vi="chỉ tiếng Việt")
    with pytest.raises(InvalidValueError, match=r"^tag: expected"):
        LegalReference(document="x", tag="rumour")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"^document: expected"):
        LegalReference(document=None)  # type: ignore[arg-type]


def test_an_unknown_keyword_is_a_worded_error_not_a_type_error() -> None:
    with pytest.raises(InvalidValueError, match=r"^articel: expected") as caught:
        LegalReference(document="x", articel="Điều 1")
    assert caught.value.given == "Điều 1"


def test_only_keywords() -> None:
    with pytest.raises(TypeError):
        LegalReference("61/2018/NĐ-CP")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        LegalReference()  # type: ignore[call-arg]


def test_the_same_errors_as_the_pydantic_form() -> None:
    bad: list[dict[str, Any]] = [
        {"document": "x", "issued": "2018-13-01"},
        {"document": "x", "note_vi": "v"},
        {"document": 7},
        {"document": "x", "tag": "law!"},
        {"document": "x", "extra": 1},
        {},
    ]
    for raw in bad:
        with pytest.raises(ValidationError) as new:
            LegalReference.model_validate(raw)
        with pytest.raises(ValidationError) as old:
            references._form().model_validate(raw)
        assert new.value.errors(include_context=False) == old.value.errors(include_context=False), raw
        with pytest.raises(ValidationError) as held:
            _Holder.model_validate({"reference": raw})
        with pytest.raises(ValidationError) as was:
            _OldHolder.model_validate({"reference": raw})
        assert held.value.errors(include_context=False) == was.value.errors(include_context=False), raw


def test_a_value_equal_hashable_and_picklable() -> None:
    a, b = LegalReference(**FULL), LegalReference(**FULL)
    assert a == b
    assert a is not b
    assert hash(a) == hash(b)
    assert len({a, b, LegalReference(document="other")}) == 2
    assert a != LegalReference(**{**FULL, "note_vi": "khác"})  # the Vietnamese siblings count, as before
    assert pickle.loads(pickle.dumps(a)) == a
    with pytest.raises(AttributeError):
        a.document = "changed"  # type: ignore[misc]


def test_str_and_repr() -> None:
    ref = LegalReference(document="61/2018/NĐ-CP", article="Điều 18.2", issued=date(2018, 4, 23), tag="open")
    assert str(ref) == "61/2018/NĐ-CP, Điều 18.2, 23/04/2018 [open]"
    assert repr(ref).startswith("LegalReference(document='61/2018/NĐ-CP', issued=datetime.date(2018, 4, 23), ")


def test_dumps_and_schemas_are_the_pydantic_forms() -> None:
    ref = LegalReference(**FULL)
    old = references._form()(**FULL)
    for options in ({}, {"mode": "json"}, {"exclude_none": True}, {"mode": "json", "exclude_none": True}):
        assert ref.model_dump(**options) == old.model_dump(**options)
    assert ref.model_dump_json() == old.model_dump_json()
    assert "note_vi" not in ref.model_dump()
    assert "document_vi" not in ref.model_dump()
    for mode in ("validation", "serialization"):
        assert LegalReference.model_json_schema(mode) == references._form().model_json_schema(mode=mode)
        held, was = _Holder.model_json_schema(mode=mode), _OldHolder.model_json_schema(mode=mode)
        assert (held["$defs"], held["properties"]) == (was["$defs"], was["properties"])


@given(
    st.fixed_dictionaries(
        {"document": st.text(min_size=1, max_size=8)},
        optional={
            "issued": st.dates(),
            "article": st.text(max_size=5),
            "tag": st.sampled_from(["law", "2nd", "open", "example"]),
            "note": st.text(max_size=5),
            "document_vi": st.text(max_size=5),
        },
    )
)
def test_inside_a_model_it_reads_and_dumps_as_the_pydantic_form(raw: dict[str, Any]) -> None:
    data = {"reference": raw, "others": [raw, {"document": "y"}], "maybe": None}
    new, old = _Holder.model_validate(data), _OldHolder.model_validate(data)
    assert type(new.reference) is LegalReference
    assert new.model_dump(mode="json") == old.model_dump(mode="json")
    assert new.model_dump(mode="json", exclude_none=True) == old.model_dump(mode="json", exclude_none=True)
    assert json.loads(new.model_dump_json()) == json.loads(old.model_dump_json())
    assert _Holder.model_validate_json(new.model_dump_json()).model_dump() == new.model_dump()


def test_a_reference_given_to_a_model_is_kept_as_it_is() -> None:
    ref = LegalReference(**FULL)
    assert _Holder(reference=ref).reference is ref
    assert LegalReference.model_validate(ref) is ref


def test_model_copy_does_not_validate_as_pydantics_did_not() -> None:
    ref = LegalReference(**FULL)
    copy = ref.model_copy(update={"note": None})
    assert copy.note is None
    assert copy.note_vi == FULL["note_vi"]
    assert ref.model_copy() == ref
    assert ref.model_copy(update={"article": "Điều 6"}).article == "Điều 6"


def test_model_construct_keeps_only_the_fields() -> None:
    ref = LegalReference.model_construct(document="x", unknown="dropped")
    assert ref == LegalReference(document="x")
    assert ref.model_fields_set == {"document"}
    assert LegalReference(**FULL).model_fields_set == set(FULL)


def test_importing_or_building_a_reference_imports_no_pydantic() -> None:
    code = (
        "import sys\n"
        "from tthc.foundation.references import LegalReference, bundled_reference\n"
        "ref = bundled_reference({'document': 'x', 'issued': '2020-01-02', 'note': 'n', 'note_vi': 'v'})\n"
        "print(ref.text('vi'), ref.in_lang('en').note, ref == ref.model_copy(), hash(ref) == hash(ref.model_copy()))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.splitlines() == ["x, 02/01/2020 n True True", "[]"]


def test_a_schema_mode_other_than_the_two_is_a_worded_error() -> None:
    with pytest.raises(InvalidValueError, match=r"^mode: expected one of validation, serialization, got None$"):
        LegalReference.model_json_schema(None)  # type: ignore[arg-type]
