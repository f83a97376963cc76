"""Bulk validation of dossier records: every row ends up valid or in the report.

* :mod:`tthc.validation.chunk` — :func:`validate_chunk`, the driver of the named check steps.
* :mod:`tthc.validation.steps`, :mod:`tthc.validation.due`, :mod:`tthc.validation.timeliness` — the steps.
* :mod:`tthc.validation.checks` — the findings collector; :mod:`tthc.validation.rules` — the cited codes.
* :mod:`tthc.validation.run` — :func:`validate_files`: files in, findings and KPI counts out.
"""

from __future__ import annotations

from tthc.validation.chunk import (
    ChunkResult,
    validate_chunk,
)
from tthc.validation.context import (
    ValidationContext,
    ValidationOptions,
)
from tthc.validation.rules import (
    CHECKS,
    Check,
    RecordRules,
    Timeliness,
)
from tthc.validation.run import (
    FindingWriter,
    ValidationSummary,
    validate_files,
)

__all__ = [
    "CHECKS",
    "Check",
    "ChunkResult",
    "FindingWriter",
    "RecordRules",
    "Timeliness",
    "ValidationContext",
    "ValidationOptions",
    "ValidationSummary",
    "validate_chunk",
    "validate_files",
]
