"""The language of human-facing text: Vietnamese by default, English on request.

Every text a person reads (due-date traces, eligibility reasons, quote labels, validation messages, KPI names, CLI
output, the HTML report) is written in English in the code, marked for translation, and looked up in a gettext
catalog: ``src/tthc/locale/vi/LC_MESSAGES/tthc.po`` in the repository, compiled to ``tthc.mo`` when the package is
built or installed (``hatch_build.py``; ``scripts/translations.sh`` extracts, updates and compiles by hand).
Code names, enum values and JSON keys stay English.

The language is chosen, first match wins, by the ``lang=`` argument of the function producing the text, the
``--lang`` option of the CLI, the ``TTHC_LANG`` environment variable, and finally Vietnamese — the people who read
``tthc``'s words are Vietnamese clerks, officials and citizens.

How to write a translatable text::

    from tthc.foundation.i18n import N_, gettext

    _TITLE = N_("Due date")                         # a constant: marked here, translated where it is shown
    gettext("due {when}", lang).format(when=...)    # a template: translate first, then fill in the values

Values are filled in after translation (``str.format`` with named fields), so a translation can reorder them.
Dates, numbers and weekdays follow the language too (:func:`format_day`, :func:`format_instant`,
:func:`format_number`): ``Thứ Sáu, 13/02/2026``, ``17:00 ngày 02/03/2026``, ``1.234.567``.
"""

from __future__ import annotations

import gettext as _gettext
import os
import struct
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Final, Literal, cast

from tthc.errors import DataFileError, InvalidValueError

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "LANG_ENV",
    "N_",
    "Lang",
    "format_day",
    "format_instant",
    "format_number",
    "format_time",
    "gettext",
    "ngettext",
    "resolve_lang",
    "weekday",
]

Lang = Literal["vi", "en"]
LANGS: Final = ("vi", "en")
DEFAULT_LANG: Final[Lang] = "vi"
LANG_ENV: Final = "TTHC_LANG"
DOMAIN: Final = "tthc"
LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"


def resolve_lang(lang: str | None = None) -> Lang:
    """The language to write in: ``lang`` when given, else ``TTHC_LANG``, else Vietnamese.

    ``vi_VN``, ``vi-VN``, ``VI`` and ``en_US.UTF-8`` are read as ``vi`` and ``en``.

    Raises:
        InvalidValueError: a language other than Vietnamese or English (``lang``, or ``TTHC_LANG`` naming itself).
    """
    if lang is None:
        env = os.environ.get(LANG_ENV) or DEFAULT_LANG
        code = _EXACT.get(env)  # called for every phrase of a trace: the plain codes take no parsing
        return code if code is not None else _normalise(env, LANG_ENV)
    code = _EXACT.get(lang) if isinstance(lang, str) else None
    return code if code is not None else _normalise(lang, "lang")


_EXACT: Final[dict[str, Lang]] = {"vi": "vi", "en": "en"}


def _normalise(lang: object, field: str) -> Lang:
    if not isinstance(lang, str):
        raise InvalidValueError(field, N_("'vi' or 'en'"), type(lang).__name__)
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    if code not in LANGS:
        raise InvalidValueError(field, N_("'vi' or 'en'"), lang)
    return cast(Lang, code)


def N_(message: str) -> str:  # the gettext convention for "mark now, translate where shown"
    """Mark ``message`` for extraction without translating it (module constants, translated where shown)."""
    return message


@cache
def _catalog(lang: Lang) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()  # the code's own text
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    # These two stay English on purpose: the Vietnamese catalog itself is missing or unreadable, so there is
    # nothing to word them with (tests/test_error_texts_marked.py lists them as English by design).
    except FileNotFoundError:
        raise DataFileError(
            f"{path}: the compiled {lang} translations are missing — reinstall tthc "
            "(pip install -e .) or run `bash scripts/translations.sh compile`"
        ) from None
    except (OSError, struct.error, IndexError, UnicodeDecodeError) as exc:  # a truncated or foreign file
        raise DataFileError(f"{path}: unreadable translations ({exc})") from None


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (see :func:`resolve_lang`); the English text itself when no translation exists."""
    return _catalog(resolve_lang(lang)).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form of a message for ``n``, in ``lang``."""
    return _catalog(resolve_lang(lang)).ngettext(singular, plural, n)


_WEEKDAYS: Final = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday(d: date, lang: str | None = None) -> str:
    """``Fri`` in English, ``Thứ Sáu`` in Vietnamese."""
    return gettext(_WEEKDAYS[d.weekday()], lang)


def format_day(d: date, lang: str | None = None, *, with_weekday: bool = True) -> str:
    """``Fri 2026-02-13`` in English, ``Thứ Sáu, 13/02/2026`` in Vietnamese (ISO 8601 / the dd/mm/yyyy of official
    Vietnamese documents)."""
    code = resolve_lang(lang)
    text = d.isoformat() if code == "en" else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    if not with_weekday:
        return text
    return f"{weekday(d, code)} {text}" if code == "en" else f"{weekday(d, code)}, {text}"


def format_time(t: time) -> str:
    """``17:00`` — 24-hour clock in both languages."""
    return f"{t.hour:02d}:{t.minute:02d}"


def format_instant(at: datetime, lang: str | None = None, *, with_weekday: bool = True) -> str:
    """``Mon 2026-03-02 17:00`` in English; in Vietnamese time first, as on official slips:
    ``17:00 Thứ Hai, ngày 02/03/2026`` (``17:00 ngày 02/03/2026`` without the weekday)."""
    code = resolve_lang(lang)
    if code == "en":
        return f"{format_day(at.date(), code, with_weekday=with_weekday)} {format_time(at.time())}"
    day = format_day(at.date(), code, with_weekday=False)
    head = f"{format_time(at.time())} {weekday(at.date(), code)}," if with_weekday else format_time(at.time())
    return f"{head} ngày {day}"


_VI_SEPARATORS: Final = str.maketrans(",.", ".,")


def format_number(n: int | float, lang: str | None = None, *, decimals: int = 0) -> str:
    """``1,234,567.5`` in English, ``1.234.567,5`` in Vietnamese (TCVN: dot groups thousands, comma marks decimals)."""
    text = f"{n:,.{decimals}f}"
    if resolve_lang(lang) == "vi":
        text = text.translate(_VI_SEPARATORS)
    return text
