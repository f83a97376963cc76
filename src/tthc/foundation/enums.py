"""The base of every ``tthc`` enumeration: looking up a value that is not a member raises
:class:`~tthc.errors.InvalidValueError` (a ``ValueError``, as before) naming the enumeration and its values, so
``Channel(None)`` obeys the API's error contract like ``Channel.parse(None)`` does."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Any

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words

__all__ = ["TthcStrEnum"]


class TthcStrEnum(enum.StrEnum):
    """A :class:`enum.StrEnum` whose failed lookups raise :class:`InvalidValueError`.

    pydantic validates these enumerations with its own message (``Input should be 'direct', ...``); only direct calls
    such as ``Channel("fax")`` go through :meth:`_missing_`.
    """

    @classmethod
    def _by_code(cls, value: object, codes: Mapping[Any, int]) -> Any:
        """The member whose portal sync code is ``value`` — an int, or a text of ASCII digits (``'²'`` and ``'٢'``
        are digits to ``str.isdigit``, not codes; a 5000-digit figure is no code either) — else ``None``."""
        if isinstance(value, str):
            text = value.strip()
            if not (text.isascii() and text.isdigit() and len(text) <= 4):
                return None
            value = int(text)
        if isinstance(value, int) and not isinstance(value, bool):
            for member, code in codes.items():
                if code == value:
                    return member
        return None

    @classmethod
    def _missing_(cls, value: object) -> TthcStrEnum:
        field = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        raise InvalidValueError(
            field, words(N_("one of {choices}"), choices=", ".join(repr(m.value) for m in cls)), value
        )
