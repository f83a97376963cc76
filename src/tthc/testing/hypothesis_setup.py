"""Hypothesis entry point: ``st.from_type`` learns the ``tthc`` types.

Hypothesis calls :func:`_hypothesis_setup_hook` when it loads its plugins (entry point group ``hypothesis``), so
the registration costs nothing until hypothesis is imported, and importing ``tthc`` never imports hypothesis.
Each registration is a function of the type, so :mod:`tthc.testing.strategies` is imported only when
``st.from_type`` first asks for one of these types.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


__all__ = ["REGISTRY", "registered_types"]

REGISTRY: tuple[tuple[str, str, str], ...] = (
    ("tthc.foundation.ids", "ProcedureCode", "procedure_codes"),
    ("tthc.foundation.ids", "AgencyCode", "agency_codes"),
    ("tthc.foundation.ids", "DossierCode", "dossier_codes"),
    ("tthc.foundation.ids", "TrackingNumber", "tracking_numbers"),
    ("tthc.deadlines.processing_time", "ProcessingTime", "processing_times"),
    ("tthc.foundation.money", "Money", "money"),
    ("tthc.catalog.model", "FeeLine", "fee_lines"),
    ("tthc.catalog.model", "ChannelOption", "channel_options"),
    ("tthc.catalog.model", "Procedure", "procedures"),
    ("tthc.catalog.collection", "Catalog", "catalogs"),
)
"""``(module, type name, strategy in tthc.testing.strategies)`` for every type ``st.from_type`` resolves."""


def registered_types() -> tuple[type, ...]:
    """The types ``st.from_type`` resolves through this hook."""
    out: list[type] = []
    for module, name, _ in REGISTRY:
        cls = getattr(importlib.import_module(module), name)
        assert isinstance(cls, type)
        out.append(cls)
    return tuple(out)


def _deferred(strategy_name: str) -> Callable[[type], SearchStrategy[object]]:
    def resolve(_cls: type) -> SearchStrategy[object]:
        from tthc.testing import strategies

        factory: Callable[[], SearchStrategy[object]] = getattr(strategies, strategy_name)
        return factory()

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each ``tthc`` type (called by hypothesis, once, when it loads)."""
    from hypothesis import strategies as st

    for cls, (_, _, strategy_name) in zip(registered_types(), REGISTRY, strict=True):
        st.register_type_strategy(cls, _deferred(strategy_name))
