"""The base of every ``tthc`` enumeration: looking up a value that is not a member raises
:class:`~tthc.errors.InvalidValueError` (a ``ValueError``, as before) naming the enumeration and its values, so
``Channel(None)`` obeys the API's error contract like ``Channel.parse(None)`` does."""

from __future__ import annotations

import enum
import re

from tthc.errors import InvalidValueError

__all__ = ["TthcStrEnum"]


class TthcStrEnum(enum.StrEnum):
    """A :class:`enum.StrEnum` whose failed lookups raise :class:`InvalidValueError`.

    pydantic validates these enumerations with its own message (``Input should be 'direct', ...``); only direct calls
    such as ``Channel("fax")`` go through :meth:`_missing_`.
    """

    @classmethod
    def _missing_(cls, value: object) -> TthcStrEnum:
        field = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        raise InvalidValueError(field, "one of " + ", ".join(repr(m.value) for m in cls), value)
