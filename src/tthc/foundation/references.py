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

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

import attrs
from pydantic import ConfigDict, Field, model_validator

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import CheckedModel
from tthc.foundation.i18n import N_, format_day, resolve_lang
from tthc.foundation.words import DataText, words

__all__ = ["DateRange", "LegalReference", "SourceTag", "bundled_reference"]

SourceTag = Literal["law", "2nd", "open", "example"]
"""How a fact is known: read in the legal text, read in a secondary source, not confirmed, or a made-up example."""


class LegalReference(CheckedModel):
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

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    document: str
    issued: date | None = None
    article: str | None = None
    title: str | None = None
    url: str | None = None
    tag: SourceTag = "law"
    note: str | None = None
    note_vi: str | None = Field(default=None, exclude=True)
    document_vi: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _note_pair(self) -> LegalReference:
        if self.note_vi is not None and self.note is None:
            raise InvalidValueError("note", N_("a note (in English) beside note_vi"), None)
        return self

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
        return self.model_copy(
            update={
                "note": self.note_in(code),
                "note_vi": None,
                "document": self.document_in(code),
                "document_vi": None,
            }
        )

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
