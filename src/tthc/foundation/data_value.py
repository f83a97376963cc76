"""Public values validated by pydantic without being pydantic models: frozen, slotted stdlib dataclasses with
pydantic's model API.

A :func:`data_value` class is a frozen, slotted, keyword-only :mod:`dataclasses` class. pydantic-core validates
stdlib dataclasses natively (their ``__pydantic_config__`` is a plain dict; their checks go in ``__post_init__``,
which it calls), so the class needs no pydantic import to be *defined*: a command that validates nothing
(``tthc validate --sample``, whose catalog, rules and verdicts are the package's own values) never imports pydantic
(≈ 0.1 s of its start), while a user's file, the HTTP service and every model embedding one validate, dump and
describe it as before. :class:`DataValue` gives the model API the classes had as ``BaseModel`` subclasses —
``model_validate``, ``model_validate_json``, ``model_dump``, ``model_dump_json``, ``model_json_schema``,
``model_construct``, ``model_copy`` and a constructor that validates and raises
:class:`~tthc.errors.InvalidValueError` (as :class:`~tthc.foundation.checked_model.CheckedModel`'s does) — through
one cached ``TypeAdapter`` per class, built on first use. Validating a record costs what the ``BaseModel`` did.

Equality and hashing are the dataclass's: by field values, and only between instances of the same class.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, get_type_hints

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

if TYPE_CHECKING:
    import inspect

    from pydantic import TypeAdapter
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = ["DataValue", "Described", "data_value"]

C = TypeVar("C", bound=type)


def data_value(cls: C) -> C:
    """``cls`` as a frozen, slotted, keyword-only dataclass whose constructor validates (:class:`DataValue`)."""
    return dataclasses.dataclass(frozen=True, slots=True, kw_only=True, init=False)(cls)  # type: ignore[return-value]


class _FieldSignature:
    """``inspect.signature(cls)`` of a data value class: its fields as keyword-only parameters with their types and
    defaults, as pydantic gives a model's (the constructor itself takes ``**data``) — what ``help()``, IDEs and
    hypothesis's ``builds`` read. Worked out on first use, once per class."""

    def __get__(self, obj: object, cls: type) -> inspect.Signature:
        import inspect

        sig = _SIGNATURES.get(cls)
        if sig is None and not dataclasses.is_dataclass(cls):  # a base class (DataValue itself): the constructor's
            return inspect.Signature([inspect.Parameter("data", inspect.Parameter.VAR_KEYWORD)], return_annotation=None)
        if sig is None:
            hints = get_type_hints(cls)
            sig = _SIGNATURES[cls] = inspect.Signature(
                [
                    inspect.Parameter(
                        name,
                        inspect.Parameter.KEYWORD_ONLY,
                        default=factory() if factory is not None else default,
                        annotation=hints[name],
                    )
                    if factory is not None or default is not dataclasses.MISSING
                    else inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[name])
                    for name, default, factory in _defaults(cls)
                ],
                return_annotation=None,
            )
        return sig


class DataValue:
    """The model API of a :func:`data_value` class (see the module's docstring)."""

    __slots__ = ()
    __signature__ = _FieldSignature()

    def __init__(self, /, **data: Any) -> None:
        """Validated as :meth:`model_validate` does (values are coerced as pydantic coerces them: mypy takes any
        value, as it did for the pydantic models with pydantic's plugin).

        Raises:
            InvalidValueError: the first field in error, named by its path.
        """
        from pydantic import ValidationError

        from tthc.foundation.checked_model import invalid_value

        try:
            checked = _adapter(type(self)).validate_python(data)
        except ValidationError as exc:
            raise invalid_value(exc, type(self).__name__) from None
        for name in _names(type(self)):
            object.__setattr__(self, name, getattr(checked, name))

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """A value validated from a mapping (or an instance); ``options`` are pydantic's (``strict=``,
        ``from_attributes=``, ``context=``).

        Raises:
            pydantic.ValidationError: every field in error, as pydantic reports them.
        """
        return _adapter(cls).validate_python(obj, **options)  # type: ignore[no-any-return]

    @classmethod
    def model_validate_json(cls, text: str | bytes, **options: Any) -> Self:
        """A value validated from JSON text (see :meth:`model_validate`)."""
        return _adapter(cls).validate_json(text, **options)  # type: ignore[no-any-return]

    @classmethod
    def model_json_schema(
        cls, mode: Literal["validation", "serialization"] = "validation", **options: Any
    ) -> dict[str, Any]:
        """The class's JSON schema; ``options`` are pydantic's (``by_alias=``, ``ref_template=``).

        Raises:
            InvalidValueError: a mode other than ``"validation"`` or ``"serialization"``.
        """
        if mode not in ("validation", "serialization"):
            raise InvalidValueError("mode", words(N_("one of {choices}"), choices="validation, serialization"), mode)
        return _adapter(cls).json_schema(mode=mode, **options)

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """The value as a dict; ``options`` are pydantic's (``mode="json"``, ``exclude_none=True``, ...).

        Raises:
            InvalidValueError: ``exclude_unset=True`` — a data value keeps no record of which fields were set (a
                ``BaseModel`` did); ``exclude_defaults=True`` leaves out the fields that hold their default.
        """
        return _adapter(type(self)).dump_python(self, **_dump_options(options))  # type: ignore[no-any-return]

    def model_dump_json(self, **options: Any) -> str:
        """The value as JSON text (see :meth:`model_dump`)."""
        return _adapter(type(self)).dump_json(self, **_dump_options(options)).decode()

    @classmethod
    def model_construct(cls, **fields: Any) -> Self:
        """A value built as given, without validation (as pydantic's ``model_construct``): fields left out take
        their defaults, unknown keys are left out."""
        obj = cls.__new__(cls)
        for name, default, factory in _defaults(cls):
            if name in fields:
                value = fields[name]
            elif factory is not None:
                value = factory()
            elif default is dataclasses.MISSING:
                continue
            else:
                value = default
            object.__setattr__(obj, name, value)
        return obj

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with the fields of ``update`` replaced, not validated (as pydantic's ``model_copy``; ``deep``
        copies the values too)."""
        fields = {**{name: getattr(self, name) for name in _names(type(self))}, **(update or {})}
        copied = type(self).model_construct(**(copy.deepcopy(fields) if deep else fields))
        for name in _private_slots(type(self)):  # what a class keeps beside its fields (a reason's wording)
            if hasattr(self, name):
                value = getattr(self, name)
                object.__setattr__(copied, name, copy.deepcopy(value) if deep else value)
        return copied


@dataclasses.dataclass(frozen=True, slots=True)
class Described:
    """``Annotated[T, Described("...")]``: the field's ``description`` in the JSON schema, as pydantic's
    ``Field(description=...)`` gives it (which a dataclass defined without pydantic cannot use)."""

    description: str

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: Callable[[CoreSchema], JsonSchemaValue]
    ) -> JsonSchemaValue:
        return {**handler(schema), "description": self.description}


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}
_SIGNATURES: dict[type, inspect.Signature] = {}
_FIELDS: dict[type, tuple[tuple[str, Any, Callable[[], Any] | None], ...]] = {}


def _adapter(cls: type) -> TypeAdapter[Any]:
    """The class's pydantic ``TypeAdapter``, built on first use (two threads may both build it: either is kept)."""
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def _defaults(cls: type) -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """Per field of the dataclass ``cls``: its name, its default and its default factory (``None``: none)."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = tuple(
            (f.name, f.default, None if f.default_factory is dataclasses.MISSING else f.default_factory)
            for f in dataclasses.fields(cls)
        )
    return known


def _names(cls: type) -> tuple[str, ...]:
    return tuple(name for name, _, _ in _defaults(cls))


def _private_slots(cls: type) -> tuple[str, ...]:
    """The slots of ``cls`` and its bases that hold no field (kept by :meth:`DataValue.model_copy`, as pydantic's
    copies a model's private attributes)."""
    fields = set(_names(cls))
    slots = (name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ()))
    return tuple(dict.fromkeys(name for name in slots if name not in fields and name != "__weakref__"))


def _dump_options(options: dict[str, Any]) -> dict[str, Any]:
    if options.get("exclude_unset"):
        raise InvalidValueError(
            "exclude_unset",
            N_(
                "False: a data value keeps no record of which fields were set (exclude_defaults=True leaves out "
                "the fields that hold their default)"
            ),
            options["exclude_unset"],
        )
    return options
