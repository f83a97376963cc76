"""The legal basis (căn cứ pháp lý) of a portal record, as the national export flattens it.

The national export glues the cells of its legal-basis table into one text —
``Tên văn bản pháp lýMã văn bản<title><number><title><number>...`` — split here into
:class:`~tthc.catalog.model.LegalBasis` entries (best effort: a text that cannot be split stays one entry, never
dropped). The same laws and decrees are cited by hundreds of procedures, and whole lists recur: both are read once
(bounded caches of immutable results).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from tthc.catalog.free_text import _CACHE_SIZE
from tthc.catalog.model import LegalBasis

__all__ = ["flat_legal_basis", "legal_basis"]

_DOC_NUMBER_FROM_SLASH = r"/(?:\d{4}/)?[A-ZĐ]{1,5}\d{0,2}(?:-[A-ZĐ]+?(?:Tg)?)?(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]|\d|$|\W)"
_DOC_NUMBER = re.compile(r"\d{1,4}" + _DOC_NUMBER_FROM_SLASH)
"""A document number (``51/2019/QH14``, ``06/2021/TT-BYT``): what :func:`_doc_numbers` finds."""
_SLASH_OF_NUMBER = re.compile(_DOC_NUMBER_FROM_SLASH)
_FLAT_BASIS_HEADER = "Tên văn bản pháp lýMã văn bản"


def flat_legal_basis(text: str | None) -> tuple[LegalBasis, ...]:
    """Split ``Tên văn bản pháp lýMã văn bản<title><number><title><number>...`` (best effort).

    The number cell is glued to the next title (or ends the text); a number followed by a space, punctuation or
    another glued number (``Luật 51/2019/QH1451/2019/QH14``) is part of a title.
    """
    if text is None:
        return ()
    return _legal_basis_list(text) if type(text) is str else _legal_basis_list.__wrapped__(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _legal_basis_list(text: str) -> tuple[LegalBasis, ...]:
    # whole lists recur (1,935 distinct in the 2,642 records of the national export): one reading each
    body = text[len(_FLAT_BASIS_HEADER) :] if text.startswith(_FLAT_BASIS_HEADER) else text
    out: list[LegalBasis] = []
    start = 0
    for a, b in _doc_numbers(body):
        after = body[b : b + 1]
        if after and not after.isupper():
            continue  # inside a title
        number = body[a:b]
        title = body[start:a].strip()
        out.append(legal_basis(number, title or number))
        start = b
    tail = body[start:].strip()
    if tail:
        out.append(legal_basis(None, tail))
    return tuple(out)


def _doc_numbers(body: str) -> Iterator[tuple[int, int]]:
    """Where :data:`_DOC_NUMBER` matches in ``body``, as ``finditer`` finds them (leftmost, not overlapping).

    The search starts at the slash, a literal the regular expression engine jumps to (a pattern that starts with
    digits is tried at every position, and legal text is full of figures); the one to four digits before it are
    then taken back. Every match has its first slash right after its digits, and whether the rest matches does not
    depend on how many digits there are, so the leftmost match is the first slash that has a digit before it and
    whose rest matches, started at its furthest digit (at most four back, not before the end of the last match).
    """
    pos = 0
    m = _SLASH_OF_NUMBER.search(body)
    while m is not None:
        slash = m.start()
        a = slash
        while a > pos and slash - a < 4 and body[a - 1].isdecimal():  # \d is a Unicode decimal digit
            a -= 1
        if a == slash:  # no digit before this slash
            m = _SLASH_OF_NUMBER.search(body, slash + 1)
            continue
        yield a, m.end()
        pos = m.end()
        m = _SLASH_OF_NUMBER.search(body, pos)


@lru_cache(maxsize=_CACHE_SIZE)
def legal_basis(number: str | None, title: str) -> LegalBasis:
    """One entry of a legal basis; the same laws and decrees are cited by hundreds of procedures: one (immutable)
    object each."""
    return LegalBasis(number=number, title=title)
