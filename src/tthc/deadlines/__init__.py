"""Deadlines: processing times, due dates on the working calendar, reductions, supplements, timeliness.

* :mod:`tthc.deadlines.processing_time` — :class:`ProcessingTime` (``"30 Ngày làm việc"``).
* :mod:`tthc.deadlines.counting` — :class:`CountingRules` (the 15:00 cut-off, BLDS counting, month ends).
* :mod:`tthc.deadlines.compute` — :func:`compute_due` and its trace.
* :mod:`tthc.deadlines.batch` — the vectorised path (:func:`compute_due_many`).
* :mod:`tthc.deadlines.reductions` — cited reductions for online/postal dossiers.
* :mod:`tthc.deadlines.supplements` — supplement restart / pause readings and the one-time extension.
* :mod:`tthc.deadlines.timeliness` — early / on time / late.
"""

from __future__ import annotations

from tthc.deadlines.batch import (
    TIMELINESS_CODES,
    UNIT_CODES,
    classify_many,
    compute_due_many,
)
from tthc.deadlines.compute import (
    DueDate,
    compute_due,
)
from tthc.deadlines.counting import (
    VN_TZ,
    CountingRules,
    DueInstant,
    MonthEnd,
    UnknownUnitPolicy,
    counting_references,
    to_local,
)
from tthc.deadlines.processing_time import (
    ProcessingTime,
    TimeUnit,
)
from tthc.deadlines.reductions import (
    ChannelCondition,
    EffectiveTime,
    Reduction,
    ReductionOutcome,
    ReductionRounding,
    ReductionScope,
    ReductionSet,
    apply_reductions,
    load_reductions,
)
from tthc.deadlines.supplements import (
    Extension,
    SupplementOutcome,
    SupplementReading,
    due_after_supplement,
    extend_due,
    supplement_readings,
)
from tthc.deadlines.timeliness import (
    ClassifiedFinish,
    Timeliness,
    classify,
    classify_detail,
)

__all__ = [
    "TIMELINESS_CODES",
    "UNIT_CODES",
    "VN_TZ",
    "ChannelCondition",
    "ClassifiedFinish",
    "CountingRules",
    "DueDate",
    "DueInstant",
    "EffectiveTime",
    "Extension",
    "MonthEnd",
    "ProcessingTime",
    "Reduction",
    "ReductionOutcome",
    "ReductionRounding",
    "ReductionScope",
    "ReductionSet",
    "SupplementOutcome",
    "SupplementReading",
    "TimeUnit",
    "Timeliness",
    "UnknownUnitPolicy",
    "apply_reductions",
    "classify",
    "classify_detail",
    "classify_many",
    "compute_due",
    "compute_due_many",
    "counting_references",
    "due_after_supplement",
    "extend_due",
    "load_reductions",
    "supplement_readings",
    "to_local",
]
