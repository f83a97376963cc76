"""Legal references carried by every rule, and inclusive date ranges.

Every piece of law-as-data in ``tthc`` (a holiday swap, a reduction, a tariff, a discount, a postal exclusion list)
carries a :class:`LegalReference` so that answers can say where a rule comes from.

A reference's ``note`` (what the rule says, in a line) is English in the data files and has its Vietnamese sibling
``note_vi``; so has a ``document`` that describes its source in English (``document_vi``).
:meth:`LegalReference.note_in` and :meth:`LegalReference.document_in` read them in a language,
:meth:`LegalReference.in_lang` gives the reference as an answer in that language shows it (the JSON keys stay
``document`` and ``note``) and :meth:`LegalReference.text` cites it in a line.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, cast, get_type_hints

import attrs

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_, format_day, resolve_lang
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.words import DataText, words

__all__ = ["DateRange", "LegalReference", "SourceTag", "bundled_reference"]

if TYPE_CHECKING:
    from pydantic import BaseModel, GetCoreSchemaHandler, TypeAdapter
    from pydantic_core.core_schema import CoreSchema

SourceTag = Literal["law", "2nd", "open", "example"]
"""How a fact is known: read in the legal text, read in a secondary source, not confirmed, or a made-up example."""


@attrs.frozen(slots=True, init=False)
class LegalReference:
    """Where a rule comes from: document number, date, article, title, URL, how it is known and a note.

    ``note`` is English and ``note_vi`` its Vietnamese sibling (the bundled data files carry both; a test checks).
    ``note_vi`` needs a ``note``; a user's file may give ``note`` alone, which is then shown in both languages as
    written.

    ``document`` names the source as it is issued: an official number or title (``61/2018/NĐ-CP``,
    ``Thông báo 9441/TB-BNV``, ``Cổng dịch vụ công tỉnh Sóc Trăng``) is the same in both languages and has no
    sibling. A ``document`` that *describes* the source in English instead (a practice, a default of the library, an
    example, a schedule as reported, public code) has its Vietnamese in ``document_vi`` (the bundled data files carry
    it; a test fails on a descriptive English document without it). A user's file may give ``document`` alone.

    ``note_vi`` and ``document_vi`` are read from files but never serialised: an answer carries the reference in its
    own language under ``note`` and ``document`` (:meth:`in_lang`).

    Raises (on validation):
        InvalidValueError: ``note_vi`` without ``note``.
    """

    # An attrs value, not a pydantic model, so that a command which validates nothing (``tthc due``) never imports
    # pydantic: the constructor, ``model_validate`` and every model embedding a reference validate it with its pydantic
    # form (_form: the model it was, built from these fields on first use, e.g. by __get_pydantic_core_schema__),
    # which has the same fields, check, error texts and JSON schema; the package's own files build it as written
    # (bundled_reference).

    document: str
    issued: IsoDay | None = None
    article: str | None = None
    title: str | None = None
    url: str | None = None
    tag: SourceTag = "law"
    note: str | None = None
    note_vi: str | None = None
    document_vi: str | None = None

    def __init__(
        self,
        *,
        document: str,
        issued: date | None = None,
        article: str | None = None,
        title: str | None = None,
        url: str | None = None,
        tag: SourceTag = "law",
        note: str | None = None,
        note_vi: str | None = None,
        document_vi: str | None = None,
        **unknown: object,
    ) -> None:
        """Validated as pydantic validates a model (an ISO text for ``issued`` is read as a date, and so on).

        Raises:
            InvalidValueError: naming the first field in error (an unknown keyword too).
        """
        checked = _form()(
            document=document,
            issued=issued,
            article=article,
            title=title,
            url=url,
            tag=tag,
            note=note,
            note_vi=note_vi,
            document_vi=document_vi,
            **unknown,
        )
        self.__attrs_init__(**{name: getattr(checked, name) for name in _FIELD_NAMES})

    @classmethod
    def model_construct(cls, **fields: Any) -> LegalReference:
        """A reference built as given, without validation (as pydantic's ``model_construct``; unknown keys are left
        out)."""
        ref = cls.__new__(cls)
        ref.__attrs_init__(**{name: value for name, value in fields.items() if name in _FIELD_NAMES})
        return ref

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> LegalReference:
        """A reference validated from a mapping (or a reference) as a model embedding it does; ``options`` are
        pydantic's (``strict=``, ``from_attributes=``, ``context=``).

        Raises:
            pydantic.ValidationError: every field in error, as pydantic reports them.
        """
        return _adapter().validate_python(obj, **options)

    @classmethod
    def model_json_schema(
        cls, mode: Literal["validation", "serialization"] = "validation", **options: Any
    ) -> dict[str, Any]:
        """The reference's JSON schema (``note_vi`` and ``document_vi`` are read, never written); ``options`` are
        pydantic's (``by_alias=``, ``ref_template=``, ``schema_generator=``).

        Raises:
            InvalidValueError: a mode other than ``"validation"`` or ``"serialization"``.
        """
        if mode not in ("validation", "serialization"):
            raise InvalidValueError("mode", words(N_("one of {choices}"), choices="validation, serialization"), mode)
        return _adapter().json_schema(mode=mode, **options)

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """The reference as a dict, as a model embedding it dumps it (``note_vi`` and ``document_vi`` left out);
        ``options`` are pydantic's (``mode="json"``, ``exclude_none=True``, ...)."""
        return cast(dict[str, Any], _adapter().dump_python(self, **options))

    def model_dump_json(self, **options: Any) -> str:
        """The reference as JSON text (see :meth:`model_dump`)."""
        return _adapter().dump_json(self, **options).decode()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> LegalReference:
        """A copy with the fields of ``update`` replaced, not validated (as pydantic's ``model_copy``; ``deep``
        copies the values too)."""
        fields = {**attrs.asdict(self, recurse=False), **(update or {})}
        return LegalReference.model_construct(**(copy.deepcopy(fields) if deep else fields))

    @property
    def model_fields_set(self) -> set[str]:
        """The fields whose value is not their default (what a dump with ``exclude_unset`` keeps)."""
        return {a.name for a in _FIELDS if getattr(self, a.name) != a.default}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """As a pydantic field: validated, dumped and described as its pydantic form, a :class:`LegalReference` in
        Python (a reference given is taken as it is, as a model instance was)."""
        from pydantic_core import core_schema

        form = handler.generate_schema(_form())

        def validate(value: Any, check: core_schema.ValidatorFunctionWrapHandler) -> LegalReference:
            if isinstance(value, LegalReference):
                return value
            checked = check(value)
            return cls.model_construct(**{name: getattr(checked, name) for name in _FIELD_NAMES})

        def dumped(ref: LegalReference) -> Any:
            return _form().model_construct(**{name: getattr(ref, name) for name in ref.model_fields_set})

        def dump_as_form(ref: LegalReference, form_dump: core_schema.SerializerFunctionWrapHandler) -> Any:
            return form_dump(dumped(ref))

        # wrapped, not plain: the form's serializer then applies the caller's include / exclude to the fields
        dump = core_schema.wrap_serializer_function_ser_schema(dump_as_form, schema=form)
        return core_schema.no_info_wrap_validator_function(validate, form, serialization=dump)

    def note_in(self, lang: str | None = None) -> str | None:
        """The note in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese); None without a note.

        Vietnamese is ``note_vi``, or the note as written when the file gives only ``note``.

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)  # refused even without a note
        return DataText(self.note, self.note_vi or "").text(code) if self.note is not None else None

    def document_in(self, lang: str | None = None) -> str:
        """The document in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese): in Vietnamese
        ``document_vi`` where there is one, else the document as written.

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        return DataText(self.document, self.document_vi or "").text(lang)

    def in_lang(self, lang: str | None = None) -> LegalReference:
        """This reference as an answer in ``lang`` shows it: ``note`` and ``document`` in that language
        (:meth:`note_in`, :meth:`document_in`), in one language only (no ``note_vi``, no ``document_vi``).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        if self.note_vi is None and self.document_vi is None:
            return self
        shown = {"note": self.note_in(code), "document": self.document_in(code)}
        return self.model_copy(update={**shown, "note_vi": None, "document_vi": None})

    def text(self, lang: str | None = None) -> str:
        """The reference cited in a line in ``lang`` (``61/2018/NĐ-CP, Điều 18.2``; ``str()`` cites it as written).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        return str(self.in_lang(lang))

    def __str__(self) -> str:
        parts = [self.document]
        if self.article:
            parts.append(self.article)
        if self.issued:
            parts.append(self.issued.strftime("%d/%m/%Y"))
        text = ", ".join(parts)
        return text if self.tag == "law" else f"{text} [{self.tag}]"


_FIELDS = attrs.fields(LegalReference)
_FIELD_NAMES = frozenset(a.name for a in _FIELDS)


@cache
def _form() -> type[BaseModel]:
    """The pydantic form of :class:`LegalReference` (its fields, its check, its docstring: the error texts and JSON
    schemas of the model it was before it became an attrs value), built on first use."""
    from pydantic import ConfigDict, Field, create_model, model_validator

    from tthc.foundation.checked_model import CheckedModel

    class Frozen(CheckedModel):
        model_config = ConfigDict(frozen=True, extra="forbid")

    def note_pair(model: Any) -> Any:
        if model.note_vi is not None and model.note is None:
            raise InvalidValueError("note", N_("a note (in English) beside note_vi"), None)
        return model

    hints = get_type_hints(LegalReference, include_extras=True)  # keeps IsoDay's rule
    fields: dict[str, Any] = {
        a.name: (hints[a.name], ... if a.default is attrs.NOTHING else a.default) for a in _FIELDS
    }
    for name in ("note_vi", "document_vi"):  # read from files, never serialised
        fields[name] = (hints[name], Field(default=None, exclude=True))
    return create_model(
        "LegalReference",  # the name JSON schemas give it
        __base__=Frozen,
        __doc__=LegalReference.__doc__,  # the schema's description
        __validators__={"_note_pair": cast(Any, model_validator(mode="after")(note_pair))},  # typed as a function
        **fields,
    )


@cache
def _adapter() -> TypeAdapter[LegalReference]:
    """Validates, dumps and describes one reference (``LegalReference.model_validate`` and friends)."""
    from pydantic import TypeAdapter

    return TypeAdapter(LegalReference)


def bundled_reference(raw: Mapping[str, Any]) -> LegalReference:
    """A reference from one of the package's own data files, built without validation.

    The bundled files ship with the package and the tests validate each of their references against
    :class:`LegalReference` and compare the two (``tests/deadlines/test_counting_data.py``); building them as written
    spares a scalar command (``tthc due``) pydantic's validators, which it would otherwise build at start for data it
    does not need to check. A user's file is always validated (``LegalReference.model_validate``).
    """
    fields = dict(raw)
    issued = fields.get("issued")
    if isinstance(issued, str):
        fields["issued"] = date.fromisoformat(issued)
    return LegalReference.model_construct(**fields)


@attrs.frozen(slots=True)
class DateRange:
    """An inclusive range of dates; ``None`` on either side means open-ended.

    A range from 23 Mar to 30 May contains both 23 Mar and 30 May.
    """

    start: date | None = None
    end: date | None = None

    def __attrs_post_init__(self) -> None:
        for name, day in (("valid_from", self.start), ("valid_until", self.end)):
            if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
                raise InvalidValueError(name, N_("a date or None"), day)
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvalidValueError(
                "valid_until", words(N_("a date on or after valid_from {day}"), day=self.start), self.end.isoformat()
            )

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, other: DateRange) -> bool:
        if not isinstance(other, DateRange):
            raise InvalidValueError("other", N_("a DateRange"), type(other).__name__)
        lo = max(self.start or date.min, other.start or date.min)
        hi = min(self.end or date.max, other.end or date.max)
        return lo <= hi

    def __str__(self) -> str:
        a = self.start.isoformat() if self.start else "…"
        b = self.end.isoformat() if self.end else "…"
        return f"{a}..{b}"

    def text(self, lang: str | None = None) -> str:
        """``2020-03-23..2020-05-30`` in English, ``23/03/2020–30/05/2020`` in Vietnamese (``…`` for an open end)."""
        code = resolve_lang(lang)
        if code == "en":
            return str(self)
        a = format_day(self.start, code, with_weekday=False) if self.start else "…"
        b = format_day(self.end, code, with_weekday=False) if self.end else "…"
        return f"{a}–{b}"
