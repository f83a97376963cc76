"""Text helpers for tolerant matching of Vietnamese labels.

:func:`fold` is on the hot path of the portal importer (every cell, and megabytes of prose searched for presence and
proxy statements), so it has three exact paths chosen by the text: plain ASCII; short text (Unicode decomposition,
then the marks dropped by one ASCII encoding when they are all in the combining-diacritics block); long text (one
table look-up per UTF-16 code unit, in numpy). :func:`fold_reference` is the definition all three must equal
(``tests/catalog/test_fold.py`` checks it on random Unicode and on the real exports).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["fold", "fold_reference"]


def fold_reference(text: str) -> str:
    """:func:`fold` written as its definition, one character at a time (slow; the tests compare against it)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    return " ".join(stripped.lower().split())


_DROPPED_CATEGORIES = frozenset({"Mn", "Cf"})
"""Nonspacing marks (the accents, once decomposed) and format characters (invisible: zero-width space U+200B, soft
hyphen U+00AD, word joiner U+2060, BOM U+FEFF, bidi controls — text copied from web pages and Word carries them)."""


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: ``'Ngày  Làm việc'`` → ``'ngay lam viec'``.

    Exactly: ``đ``/``Đ`` become ``d``/``D`` (they have no combining mark to strip), the text is decomposed (NFD),
    every nonspacing mark (category Mn) and every format character (category Cf: zero-width space, soft hyphen,
    word joiner, BOM, bidi controls — invisible, so ``'ngày\u200blàm việc'`` must not read differently from what it
    shows) is dropped, the rest is lower-cased, and runs of whitespace become one space (none at either end). A
    dropped format character joins what it stood between: ``'ngày\u00adlàm'`` → ``'ngaylam'``.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    if len(text) >= _LONG:
        return _fold_long(text)
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    if _OTHER_THAN_ASCII_AND_MARKS.search(decomposed) is None:
        # what is left besides ASCII is U+0300..U+036F, all nonspacing marks: the ASCII encoding drops exactly them
        stripped = decomposed.encode("ascii", "ignore").decode("ascii")
    else:
        stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    return " ".join(stripped.lower().split())


_OTHER_THAN_ASCII_AND_MARKS = re.compile(r"[^\x00-\x7f\u0300-\u036f]")
_WHITESPACE = re.compile(r"\s")  # str.isspace() characters (both ask Py_UNICODE_ISSPACE)

_LONG = 128
"""From this length on, the table path (numpy) is taken: on Vietnamese text it is as fast as decomposing at ~64
characters and 3-4 times faster from 192 on; 128 keeps short labels (which need no table) off it."""

_DROPPED = 0x0000  # the table's value for a character folding to nothing (NUL itself is therefore 'complex')
_COMPLEX = 0xFFFF  # a character the table cannot fold alone: the text takes the reference path (U+FFFF included)


def _fold_long(text: str) -> str:
    """:func:`fold` as one look-up per UTF-16 code unit, for texts whose every character folds on its own."""
    import numpy as np

    try:
        units = np.frombuffer(text.encode("utf-16-le"), np.uint16)
    except UnicodeEncodeError:  # a lone surrogate (JSON can carry one)
        return fold_reference(text)
    mapped = _fold_table().take(units).tobytes().decode("utf-16-le")
    if "\uffff" in mapped:
        return fold_reference(text)
    if "\x00" in mapped:
        mapped = mapped.replace("\x00", "")
    return _SPACE_RUNS.sub(" ", mapped).strip(" ")  # every whitespace character is a space by now


_SPACE_RUNS = re.compile("   *")
"""Two spaces or more. Written as two literal spaces and a repeat, so the regular expression engine searches for
the pair (runs are rare: about two per text of the national export) instead of trying every single space; one pass
costs about half of replacing ``"  "`` until none is left (a pass per halving of the longest run)."""


@cache
def _fold_table() -> npt.NDArray[np.uint16]:
    """What each BMP character folds to when it folds on its own: itself, another character, a space (any
    whitespace), nothing (:data:`_DROPPED`: a nonspacing mark or a format character), or :data:`_COMPLEX`.

    Folding a text is then folding each character, because the table keeps only characters that leave at most one
    starter (combining class 0) and need no context. Complex: characters leaving several characters or a
    non-starter (NFD would reorder it), capital sigma (lower-cased by context, final ``ς``), characters lower-cased
    outside the BMP, the surrogates (astral characters) and the two sentinels. Built once, on first use: the
    decomposition and the lower case of every character come from one call each over all of them (≈ 35–70 ms).
    """
    import numpy as np

    chars = [chr(cp) for cp in range(1, 0xD800)] + [chr(cp) for cp in range(0xE000, 0xFFFF)]
    joined = "\x00".join(chars)  # NUL is a starter: decomposing (or lower-casing) the whole is doing each part
    decomposed = unicodedata.normalize("NFD", joined.replace("đ", "d").replace("Đ", "D")).split("\x00")
    lowered = joined.lower().split("\x00")
    # only a few thousand characters change: find them with C-level passes, then look at each of them — but the
    # 11,172 Hangul syllables, which all decompose into two or three jamo (starters, so complex), are set as a block
    around_hangul = (slice(None, _HANGUL.start - 1), slice(_HANGUL.stop - 1, None))  # places in the lists (from 1)
    changed = [
        (ch, nfd)
        for part in around_hangul
        for ch, nfd, low, combining in zip(
            chars[part], decomposed[part], lowered[part], map(unicodedata.combining, chars[part]), strict=True
        )
        if nfd != ch or low != ch or combining
    ]
    dropped = [
        ord(ch)
        for ch, category in zip(chars, map(unicodedata.category, chars), strict=True)
        if category in _DROPPED_CATEGORIES
    ]
    table = np.arange(0x10000, dtype=np.uint16)
    table[_HANGUL.start : _HANGUL.stop] = _COMPLEX
    table[[ord(ch) for ch, _ in changed]] = [_fold_char(nfd) for _, nfd in changed]
    table[[ord(ch) for ch in _WHITESPACE.findall(joined)]] = 0x20  # what str.split() splits at
    table[dropped] = _DROPPED  # after the spaces: dropped first, then split (no character is both, as of Unicode 15)
    table[[0x0000, 0xFFFF, 0x03A3, *range(0xD800, 0xE000)]] = _COMPLEX
    return table


_HANGUL = range(0xAC00, 0xD7A4)
"""The Hangul syllables (U+AC00..U+D7A3; below the surrogates, so their places in the table's character list are
their code points minus one)."""


def _fold_char(decomposed: str) -> int:
    """The table entry of one character, from its decomposition (see :func:`_fold_table`)."""
    stripped = "".join(c for c in decomposed if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    folded = stripped.lower()
    if not folded:
        return _DROPPED
    if (
        len(stripped) == 1
        and len(folded) == 1
        and unicodedata.combining(stripped) == 0
        and unicodedata.combining(folded) == 0
        and not folded.isspace()
        and ord(folded) < 0xD800
    ):
        return ord(folded)
    return _COMPLEX
