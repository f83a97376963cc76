"""Legal references carried by every rule, and inclusive date ranges.

Every piece of law-as-data in ``tthc`` (a holiday swap, a reduction, a tariff, a discount, a postal exclusion list)
carries a :class:`LegalReference` so that answers can say where a rule comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

import attrs
from pydantic import ConfigDict

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import CheckedModel
from tthc.foundation.i18n import N_, format_day, resolve_lang
from tthc.foundation.words import words

__all__ = ["DateRange", "LegalReference", "SourceTag", "bundled_reference"]

SourceTag = Literal["law", "2nd", "open", "example"]
"""How a fact is known: read in the legal text, read in a secondary source, not confirmed, or a made-up example."""


class LegalReference(CheckedModel):
    """Where a rule comes from: document number, date, article, title, URL and how it is known."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    document: str
    issued: date | None = None
    article: str | None = None
    title: str | None = None
    url: str | None = None
    tag: SourceTag = "law"
    note: str | None = None

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
