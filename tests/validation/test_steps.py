"""The check steps of the batch core: the order of one row's findings and the findings collector's accounting."""

from __future__ import annotations

import numpy as np

from tthc.catalog.collection import Catalog
from tthc.testing.record_files import HEADER, row
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationContext
from tthc.validation.steps import ChunkRows

CAT = Catalog.sample()


def _chunk(*rows: dict[str, str]) -> dict[str, list[str]]:
    return {k: [r[k] for r in rows] for k in HEADER}


def test_one_rows_findings_come_in_the_order_of_the_steps() -> None:
    """validate_chunk runs codes → catalog → date order → due date → supplements → postal → status; a row breaking
    one check of each keeps that order in ``findings`` (reports and examples depend on it)."""
    bad = row(
        dossier_code="000.00.12.H21-250304-0001",  # W_DOSSIER_CODE_DATE (TT 01/2018 Điều 19)
        agency_code="XYZ-1",  # W_AGENCY_CODE (QCVN 102:2016)
        finished_at="2025-03-01 10:00:00",  # E_DATE_ORDER (NĐ 61/2018 Điều 17–20)
        due_at="2025-03-20 17:00:00",  # E_DUE_MISMATCH (NĐ 61/2018 Điều 18.2)
        supplement_count="3",  # W_REPEATED_SUPPLEMENT (NĐ 61/2018 Điều 17)
        tracking_number="EB12345678VN",  # E_TRACKING_FORMAT (UPU S10)
        status="processing",  # W_STATUS
    )
    result = validate_chunk(_chunk(row(), bad), CAT)
    assert [(p.row, p.code) for p in result.findings] == [
        (2, "W_DOSSIER_CODE_DATE"),
        (2, "W_AGENCY_CODE"),
        (2, "E_DATE_ORDER"),
        (2, "E_DUE_MISMATCH"),
        (2, "W_REPEATED_SUPPLEMENT"),
        (2, "E_TRACKING_FORMAT"),
        (2, "W_STATUS"),
    ]
    assert result.valid.tolist() == [True, False]


def test_findings_mark_only_rows_with_an_error_invalid() -> None:
    rows = ChunkRows.read(_chunk(row(), row(), row()), ValidationContext.build(CAT), ())
    f = rows.findings
    f.add(np.array([True, False, False]), "status", "W_STATUS", lambda i: "a warning")
    f.add(np.array([False, False, True]), "due_at", "E_DUE_MISMATCH", lambda i: f"an error on index {i}")
    assert f.valid().tolist() == [True, True, False]
    assert [(p.row, p.code, p.message) for p in f.by_row()] == [
        (1, "W_STATUS", "a warning"),
        (3, "E_DUE_MISMATCH", "an error on index 2"),
    ]
