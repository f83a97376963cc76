"""Hypothesis strategies for ``tthc`` values: valid by construction, or invalid on purpose (extra ``testing``).

Generic generators fail on this domain's cross-field rules — a due date must follow the receipt and the calendar, a
discount window must be ordered, a tracking number needs its check digit — so these strategies build values the
library accepts, and the ``invalid_*`` strategies build values that break exactly one named rule and return it with
the value as ``(value, reason)``.

Every strategy is a function with keyword-only arguments; most arguments accept a sub-strategy, so strategies
compose::

    from hypothesis import given
    from tthc.testing import strategies as tst

    @given(tst.dossiers(received=tst.received_at(years=(2026, 2026))))
    def test_receipt_slip(d):
        assert d.due.due_at is None or d.due.due_at > d.due.received_at

The module imports hypothesis but never pytest. Groups:

* identifiers — :func:`procedure_codes`, :func:`agency_codes`, :func:`dossier_codes`, :func:`tracking_numbers`;
* catalog — :func:`processing_times`, :func:`money`, :func:`fee_lines`, :func:`channel_options`,
  :func:`procedures`, :func:`catalogs`;
* time — :func:`working_calendars`, :func:`calendar_overlays`, :func:`hard_days`, :func:`times_of_day`,
  :func:`received_at`;
* dossiers and records — :func:`dossiers`, :func:`record_files`, :func:`invalid_dossier_rows`,
  :func:`invalid_record_files`;
* fees — :func:`tariff_files`, :func:`tariffs`, :func:`discount_files`, :func:`discount_sets`;
* invalid on purpose — every ``invalid_*`` function.
"""

from __future__ import annotations

from tthc.testing.strategies.core import (
    KNOWN_PROVINCES,
    ProcedureCodeForm,
    agency_codes,
    catalogs,
    channel_options,
    dossier_codes,
    fee_lines,
    invalid_agency_codes,
    invalid_dossier_codes,
    invalid_procedure_codes,
    invalid_processing_times,
    invalid_tracking_numbers,
    money,
    procedure_codes,
    procedures,
    processing_times,
    province_codes,
    sample_procedures,
    tracking_numbers,
    validity_windows,
)
from tthc.testing.strategies.fees import (
    INVALID_DISCOUNT_REASONS,
    INVALID_TARIFF_REASONS,
    discount_files,
    discount_sets,
    invalid_discount_files,
    invalid_tariff_files,
    tariff_files,
    tariffs,
)
from tthc.testing.strategies.records import (
    INVALID_FILE_REASONS,
    INVALID_RECORD_REASONS,
    GeneratedDossier,
    Outcome,
    dossiers,
    invalid_dossier_rows,
    invalid_record_files,
    record_files,
    rows_to_csv,
)
from tthc.testing.strategies.time import (
    DEFAULT_YEARS,
    calendar_overlays,
    hard_days,
    received_at,
    times_of_day,
    working_calendars,
)

__all__ = [
    "DEFAULT_YEARS",
    "INVALID_DISCOUNT_REASONS",
    "INVALID_FILE_REASONS",
    "INVALID_RECORD_REASONS",
    "INVALID_TARIFF_REASONS",
    "KNOWN_PROVINCES",
    "GeneratedDossier",
    "Outcome",
    "ProcedureCodeForm",
    "agency_codes",
    "calendar_overlays",
    "catalogs",
    "channel_options",
    "discount_files",
    "discount_sets",
    "dossier_codes",
    "dossiers",
    "fee_lines",
    "hard_days",
    "invalid_agency_codes",
    "invalid_discount_files",
    "invalid_dossier_codes",
    "invalid_dossier_rows",
    "invalid_procedure_codes",
    "invalid_processing_times",
    "invalid_record_files",
    "invalid_tariff_files",
    "invalid_tracking_numbers",
    "money",
    "procedure_codes",
    "procedures",
    "processing_times",
    "province_codes",
    "received_at",
    "record_files",
    "rows_to_csv",
    "sample_procedures",
    "tariff_files",
    "tariffs",
    "times_of_day",
    "tracking_numbers",
    "validity_windows",
    "working_calendars",
]
