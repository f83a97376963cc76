"""Dossiers: the event-driven :class:`Dossier` (hồ sơ) — lifecycle, findings, due instant now, remaining time.

* :mod:`tthc.dossiers.events` — the typed events (:class:`Received`, :class:`PostalPickup`, :class:`HandedOver`,
  :class:`SupplementRequested`, ... :class:`Delivered`) and :class:`ImpossibleEventError`.
* :mod:`tthc.dossiers.dossier` — :class:`Dossier`: ``start``, ``apply``, ``status``, ``due``, ``timeliness``,
  ``remaining``/``overdue``, ``postal_legs``, ``quote``, ``explain``, JSON.
* :mod:`tthc.dossiers.lifecycle` — the state and the transition of each event, with the legal checks.
* :mod:`tthc.dossiers.setup` — the value types (setup, due instant, timeliness, postal legs).
* :mod:`tthc.dossiers.findings` — :class:`DossierFinding` and :data:`FINDING_CODES`.
* :mod:`tthc.dossiers.rows` — the canonical record row (``to_record`` / ``from_record``).
* :mod:`tthc.dossiers.history` — the JSON snapshot and the explanation.
"""

from __future__ import annotations

from tthc.dossiers.dossier import Dossier
from tthc.dossiers.events import (
    Delivered,
    DeliveryAttempted,
    DossierEvent,
    Extended,
    Finished,
    HandedOver,
    ImpossibleEventError,
    PostalPickup,
    ProcessingStarted,
    Received,
    Refused,
    ResultCollected,
    ResultDispatched,
    ReturnedToAgency,
    Stopped,
    SupplementCompleted,
    SupplementRequested,
    Withdrawn,
    parse_event,
)
from tthc.dossiers.findings import FINDING_CODES, DossierFinding
from tthc.dossiers.history import DossierSnapshot
from tthc.dossiers.setup import DossierDue, DossierSetup, DossierTiming, PostalLeg, Timing

__all__ = [
    "FINDING_CODES",
    "Delivered",
    "DeliveryAttempted",
    "Dossier",
    "DossierDue",
    "DossierEvent",
    "DossierFinding",
    "DossierSetup",
    "DossierSnapshot",
    "DossierTiming",
    "Extended",
    "Finished",
    "HandedOver",
    "ImpossibleEventError",
    "PostalLeg",
    "PostalPickup",
    "ProcessingStarted",
    "Received",
    "Refused",
    "ResultCollected",
    "ResultDispatched",
    "ReturnedToAgency",
    "Stopped",
    "SupplementCompleted",
    "SupplementRequested",
    "Timing",
    "Withdrawn",
    "parse_event",
]
