"""tthc — Vietnamese administrative procedures (thủ tục hành chính) done right.

One flat public namespace. Names are loaded on first use, so ``import tthc`` stays light (it never imports an
optional extra, and numpy-backed parts load only when touched).

Exceptions (see :mod:`tthc.errors` for the tree): :class:`TthcError` is the root; errors about bad values also
inherit ``ValueError``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tthc._version import __version__
from tthc.errors import (
    CalendarRangeError,
    ConflictError,
    DataError,
    DataFileError,
    DuplicateCodeError,
    InvalidCodeError,
    InvalidValueError,
    MissingExtraError,
    NotFoundError,
    NotInForceError,
    ParseError,
    TthcError,
)

# public name -> module that defines it
_LAZY: dict[str, str] = {
    # identifiers
    "AgencyCode": "tthc.ids",
    "DossierCode": "tthc.ids",
    "ProcedureCode": "tthc.ids",
    "TrackingNumber": "tthc.ids",
    # channels and levels
    "Channel": "tthc.channels",
    "OnlineLevel": "tthc.channels",
    "PostalService": "tthc.channels",
    "LevelMapping": "tthc.channels",
    "map_online_level": "tthc.channels",
    # shared values
    "DateRange": "tthc.references",
    "LegalReference": "tthc.references",
    "Money": "tthc.money",
    "Rounding": "tthc.money",
    "ProcessingTime": "tthc.processing_time",
    "TimeUnit": "tthc.processing_time",
    # catalog
    "ChannelOption": "tthc.catalog",
    "FeeKind": "tthc.catalog",
    "FeeLine": "tthc.catalog",
    "LegalBasis": "tthc.catalog",
    "Level": "tthc.catalog",
    "Procedure": "tthc.catalog",
    "Tri": "tthc.catalog",
}

if TYPE_CHECKING:
    from tthc.catalog import ChannelOption, FeeKind, FeeLine, LegalBasis, Level, Procedure, Tri
    from tthc.channels import (
        Channel,
        LevelMapping,
        OnlineLevel,
        PostalService,
        map_online_level,
    )
    from tthc.ids import (
        AgencyCode,
        DossierCode,
        ProcedureCode,
        TrackingNumber,
    )
    from tthc.money import Money, Rounding
    from tthc.processing_time import ProcessingTime, TimeUnit
    from tthc.references import DateRange, LegalReference


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tthc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# literal, so type checkers see the namespace; a test keeps it equal to the lazy table plus the errors
__all__ = [
    "AgencyCode",
    "CalendarRangeError",
    "Channel",
    "ChannelOption",
    "ConflictError",
    "DataError",
    "DataFileError",
    "DateRange",
    "DossierCode",
    "DuplicateCodeError",
    "FeeKind",
    "FeeLine",
    "InvalidCodeError",
    "InvalidValueError",
    "LegalBasis",
    "LegalReference",
    "Level",
    "LevelMapping",
    "MissingExtraError",
    "Money",
    "NotFoundError",
    "NotInForceError",
    "OnlineLevel",
    "ParseError",
    "PostalService",
    "Procedure",
    "ProcedureCode",
    "ProcessingTime",
    "Rounding",
    "TimeUnit",
    "TrackingNumber",
    "Tri",
    "TthcError",
    "__version__",
    "map_online_level",
]
