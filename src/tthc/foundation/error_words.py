"""A library error worded in a language: the one place the CLI and the HTTP service turn a :class:`~tthc.TthcError`
into the words a person reads.

``str(exc)`` is English. An :class:`~tthc.errors.InvalidValueError` keeps its ``expected`` and ``detail`` as given
(``expected_words`` / ``detail_words``: a text marked with ``N_``, or a text that words itself), and an error raised
with one worded message keeps it (``said``), so the whole line can be worded in Vietnamese:

    >>> from tthc.errors import InvalidValueError
    >>> from tthc.foundation.i18n import N_
    >>> exc = InvalidValueError("max_batch_items", N_("a whole number >= 1"), 0)
    >>> error_text(exc, "vi")
    'max_batch_items: cần một số nguyên >= 1, nhận được 0'
    >>> error_text(exc, "en")
    'max_batch_items: expected a whole number >= 1, got 0'

English is ``str(exc)`` exactly. An error with a plain-text message (no words kept) is shown as it is, in English.
"""

from __future__ import annotations

from tthc.errors import InvalidValueError, TthcError, Wordable
from tthc.foundation.i18n import N_, gettext, resolve_lang

__all__ = ["detail_text", "error_text", "expected_text", "say"]

_WITH_FIELD = N_("{field}: expected {expected}, got {given}")
_WITHOUT_FIELD = N_("expected {expected}, got {given}")


def say(text: str | Wordable, lang: str | None = None) -> str:
    """``text`` in ``lang``: a text marked with ``N_`` is translated, a :class:`~tthc.errors.Wordable` words
    itself; an empty text stays empty (``gettext("")`` would be the catalog's header)."""
    if not isinstance(text, str):
        return text.text(resolve_lang(lang))
    return gettext(text, lang) if text else text


def expected_text(exc: InvalidValueError, lang: str | None = None) -> str:
    """What ``exc`` expected, in ``lang`` (None: ``TTHC_LANG``, else Vietnamese)."""
    return say(exc.expected_words, lang)


def detail_text(exc: InvalidValueError, lang: str | None = None) -> str:
    """Why the value was refused (``""`` when ``exc`` says no more than what it expected), in ``lang``."""
    return say(exc.detail_words, lang) if exc.detail else ""


def error_text(exc: BaseException, lang: str | None = None) -> str:
    """The message of ``exc`` in ``lang`` (None: ``TTHC_LANG``, else Vietnamese), on one line as the library wrote
    it: ``field: expected X, got Y (detail)`` for a bad value, the worded message of an error raised with one, and
    ``str(exc)`` otherwise (and always in English).

    Field names and the value given stay as they are: they are what the user typed.

    Raises:
        InvalidValueError: ``lang`` names neither Vietnamese nor English.
    """
    code = resolve_lang(lang)
    if code == "en":
        return str(exc)
    if isinstance(exc, InvalidValueError):
        template = _WITH_FIELD if exc.field else _WITHOUT_FIELD
        text = gettext(template, code).format(field=exc.field, expected=expected_text(exc, code), given=repr(exc.given))
        return f"{text} ({detail_text(exc, code)})" if exc.detail else text
    if isinstance(exc, TthcError) and exc.said is not None:
        return exc.said.text(code)
    return str(exc)
