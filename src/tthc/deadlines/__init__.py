"""Deadlines: processing times, due dates on the working calendar, reductions, supplements, timeliness.

* :mod:`tthc.deadlines.processing_time` — :class:`ProcessingTime` (``"30 Ngày làm việc"``).
* :mod:`tthc.deadlines.counting` — :class:`CountingRules` (the 15:00 cut-off, BLDS counting, month ends).
* :mod:`tthc.deadlines.compute` — :func:`compute_due` and its trace.
* :mod:`tthc.deadlines.batch` — the vectorised path (:func:`compute_due_many`).
* :mod:`tthc.deadlines.reductions` — cited reductions for online/postal dossiers.
* :mod:`tthc.deadlines.supplements` — supplement restart / pause readings and the one-time extension.
* :mod:`tthc.deadlines.timeliness` — early / on time / late.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
