"""The package's own data files as models, built as written — without pydantic's validators.

A data file that ships with the package is checked by the tests, not at every start: each bundled file read through
:func:`bundled_model` is also validated with its model in ``tests/foundation/test_bundled.py`` and the two results are
compared field by field. Building a model's validator costs little once pydantic's schema machinery is loaded, but the
first one loads it (its plugin scan imports ``importlib.metadata`` and walks every installed distribution): a command
that validates nothing of the user's (``tthc validate --sample``, ``tthc due``) then skips it all. A user's file is
always validated (``Model.model_validate``, :func:`tthc.foundation.data_files.validate_data`).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Hashable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from tthc.foundation.data_value import DataValue
from tthc.foundation.references import LegalReference, bundled_reference

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["bundled_model"]

M = TypeVar("M", bound="BaseModel | DataValue")

Converters = Mapping[type, Callable[[Any], Any]]
"""How to build a value of a type that reads itself from JSON by a pydantic hook of its own (a processing time, an
amount of money): the type, and a function from the JSON value to the value."""


def bundled_model(model: type[M], raw: Mapping[str, Any], converters: Converters | None = None) -> M:
    """``model`` built from ``raw`` (one of the package's data files, parsed JSON) as written, nested models too.

    Fields left out take their defaults; keys the model does not know are left out (the tests compare every bundled
    file with its validated form, so none is lost unnoticed). Dates are read from ISO text, enumerations by value,
    decimals from their text; a type of ``converters`` by its function; any other class from its one argument
    (the identifiers: ``ProcedureCode("1.000178")``).
    """
    conv = converters or {}
    values: dict[str, Any] = {}
    for name, keys, read in _plan(cast(type, model)):
        key = next((k for k in keys if k in raw), None)
        if key is not None:
            values[name] = read(raw[key], conv)
    return cast(M, model.model_construct(**values))


Reader = Callable[[Any, Converters], Any]


@cache
def _plan(model: type) -> tuple[tuple[str, tuple[str, ...], Reader], ...]:
    """Per field of ``model``: its name, the key that gives it (its alias first, when it has one) and its reader —
    worked out once per model (the sample catalog builds several hundred models)."""
    if dataclasses.is_dataclass(model):  # a data value (tthc.foundation.data_value): aliases from its config
        hints = get_type_hints(model)
        alias = cast(Mapping[str, Any], getattr(model, "__pydantic_config__", {})).get("alias_generator")
        return tuple(
            (
                f.name,
                (alias(f.name), f.name) if alias and alias(f.name) != f.name else (f.name,),
                _reader(hints[f.name]),
            )
            for f in dataclasses.fields(model)
        )
    return tuple(
        (
            name,
            (field.alias, name) if field.alias not in (None, name) else (name,),
            _reader(cast(Hashable, field.annotation)),
        )
        for name, field in cast("type[BaseModel]", model).model_fields.items()
    )


def _as_is(raw: Any, converters: Converters) -> Any:
    return raw


@cache
def _reader(tp: Any) -> Reader:
    """How to read a JSON value as ``tp`` (worked out once per annotation); JSON ``null`` is ``None`` throughout."""
    origin = get_origin(tp)
    if origin is Annotated:  # a field type with a rule of its own (IsoDay): read as the type it annotates
        return _reader(get_args(tp)[0])
    if origin is Union or origin is types.UnionType:
        kinds = [a for a in get_args(tp) if a is not type(None)]
        return _reader(kinds[0]) if len(kinds) == 1 else _as_is
    if origin is tuple:
        item = _reader(get_args(tp)[0])
        return lambda raw, conv: None if raw is None else tuple(item(v, conv) for v in raw)
    if origin is Literal or tp is Any or not isinstance(tp, type) or tp in (str, int, float, bool):
        return _as_is
    build: Callable[[Any, Converters], Any]
    if tp is LegalReference:  # an attrs value (its pydantic form is built on first use)
        build = lambda raw, conv: bundled_reference(raw)  # noqa: E731
    elif dataclasses.is_dataclass(tp) or hasattr(tp, "model_fields"):  # a data value, a pydantic model
        build = lambda raw, conv: bundled_model(tp, raw, conv)  # noqa: E731
    elif tp is datetime or tp is date:
        build = lambda raw, conv: tp.fromisoformat(raw)  # noqa: E731
    elif tp is Decimal:
        build = lambda raw, conv: Decimal(str(raw))  # noqa: E731
    else:  # an enumeration by its value, an identifier from its text
        cls: Callable[[Any], Any] = tp
        build = lambda raw, conv: cls(raw)  # noqa: E731

    def read(raw: Any, conv: Converters) -> Any:
        if raw is None:
            return None
        own = conv.get(tp)
        return own(raw) if own is not None else build(raw, conv)

    return read
