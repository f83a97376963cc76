"""What the deadline engine reads of a procedure, as a protocol.

The deadline layer sits below the catalog (the catalog's procedures carry processing times, not the other way
round), so it names the few attributes it needs instead of importing :class:`tthc.catalog.Procedure`, which
satisfies this protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

__all__ = ["ProcedureFacts"]


class ProcedureFacts(Protocol):
    """A procedure as the deadline engine sees it: its code, its field (lĩnh vực) and its implementing levels."""

    @property
    def code(self) -> str: ...

    @property
    def field(self) -> str | None: ...

    @property
    def levels(self) -> Iterable[str]: ...
