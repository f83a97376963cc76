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

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
