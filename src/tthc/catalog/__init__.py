"""The procedure catalog and the national-portal importer.

* :mod:`tthc.catalog.model` — :class:`Procedure`, :class:`ChannelOption`, :class:`FeeLine`, levels.
* :mod:`tthc.catalog.collection` — :class:`Catalog` (load, dump, look up, filter) and :func:`import_portal`.
* :mod:`tthc.catalog.portal_files` — reading export files (``.jsonl``, ``.jsonl.gz``).
* :mod:`tthc.catalog.portal_import` — one export row to one procedure.
* :mod:`tthc.catalog.free_text` — the parsers for the portal's free-text cells (times, fees, channels).
* :mod:`tthc.catalog.import_report` — the per-record import report.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
