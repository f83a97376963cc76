"""Bulk validation of dossier records: every row ends up valid or in the report.

* :mod:`tthc.validation.chunk` — :func:`validate_chunk`, the driver of the named check steps.
* :mod:`tthc.validation.steps`, :mod:`tthc.validation.due`, :mod:`tthc.validation.timeliness` — the steps.
* :mod:`tthc.validation.checks` — the findings collector; :mod:`tthc.validation.rules` — the cited codes.
* :mod:`tthc.validation.run` — :func:`validate_files`: files in, findings and KPI counts out.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
