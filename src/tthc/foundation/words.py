"""Texts worded when they are shown: a marked template and its values, in the reader's language.

A verdict, a quote or a finding is made once and may be read in Vietnamese and in English. What it says is kept as
:class:`Words` — the English template (marked with ``N_`` so the catalog extracts it) and its values — and worded by
:meth:`Words.text` in the language asked: the template is translated first, then the values are filled in, each
worded in the same language (:func:`word`: a day ``2020-05-30`` / ``30/05/2020``, a zone ``within_province`` /
``nội tỉnh``, money ``30.000 đ`` in both).

    >>> from tthc.foundation.i18n import N_
    >>> from datetime import date
    >>> w = words(N_("the procedure is not in force on {day}"), day=date(2026, 1, 1))
    >>> w.text("en")
    'the procedure is not in force on 2026-01-01'
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Protocol, runtime_checkable

import attrs

from tthc.foundation.i18n import format_day, gettext, resolve_lang

__all__ = ["DataText", "Joined", "Worded", "Words", "marked", "word", "words"]


@runtime_checkable
class Worded(Protocol):
    """Anything that words itself in a language (``text("vi")``)."""

    def text(self, lang: str | None = None) -> str: ...


@attrs.frozen(slots=True)
class Words:
    """A text worded when shown: ``template`` (English, marked for translation) and its ``values``.

    ``str()`` is the English text (logs, reprs); :meth:`text` words it in a language.
    """

    template: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str | None = None) -> str:
        """The text in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        template = gettext(self.template, code)
        if not self.values:
            return template
        return template.format(**{k: word(v, code) for k, v in self.values})

    def __str__(self) -> str:
        return self.text("en")


@attrs.frozen(slots=True)
class DataText:
    """A text read from a data file in both languages (``name`` / ``name_vi``): data, not catalog material.

    An empty ``vi`` falls back to the English text (a user's own file may give one language only).
    """

    en: str
    vi: str = ""

    def text(self, lang: str | None = None) -> str:
        return self.vi if self.vi and resolve_lang(lang) == "vi" else self.en

    def __str__(self) -> str:
        return self.en


@attrs.frozen(slots=True)
class Joined:
    """Several values worded one by one and joined: ``Joined(("a", words(...)), "; ")``."""

    parts: tuple[object, ...]
    sep: str = "; "

    def text(self, lang: str | None = None) -> str:
        code = resolve_lang(lang)
        return self.sep.join(word(p, code) for p in self.parts)

    def __str__(self) -> str:
        return self.text("en")


def words(template: str, /, **values: object) -> Words:
    """``words(N_("zone {zone} read at {key}"), zone=..., key=...)``: a :class:`Words` to word later."""
    return Words(template, tuple(values.items()))


def marked(text: str | Worded) -> Worded:
    """A text to word as a value of another: a text marked with ``N_`` is translated (``words(text)``; a plain
    ``str`` value is data and stays as it is), a :class:`Worded` one words itself — e.g. an error's
    ``expected_words`` quoted in another message."""
    return words(text) if isinstance(text, str) else text


def word(value: object, lang: str) -> str:
    """One value of a text in ``lang`` (a resolved code).

    Worded: :class:`Words` and anything :class:`Worded` — date ranges (``2020-03-23..2020-05-30`` /
    ``23/03/2020–30/05/2020``, ``…`` for an open end) and money (``30.000 đ`` in both languages) word themselves, so
    that the modules below this one can word their errors with :func:`words`; days (``2020-05-30`` /
    ``30/05/2020``); enums with a Vietnamese label (``label_vi``: channels, zones) by their code name in English and
    their label in Vietnamese (first letter in lower case). Anything else as it prints.
    """
    if isinstance(value, Enum):  # before str: the code enums are str too
        label = getattr(value, "label_vi", None)
        if lang == "vi" and isinstance(label, str):
            return label[:1].lower() + label[1:]
        return str(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, Worded):
        return value.text(lang)
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_day(value, lang, with_weekday=False)
    return str(value)
