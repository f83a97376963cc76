"""tthc — Vietnamese administrative procedures (thủ tục hành chính) done right.

One flat public namespace. Names are loaded on first use, so ``import tthc`` stays light (it never imports an
optional extra, and numpy-backed parts load only when touched).

Exceptions (see :mod:`tthc.errors` for the tree): :class:`TthcError` is the root; errors about bad values also
inherit ``ValueError``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tthc._version import __version__
from tthc.errors import (
    CalendarRangeError,
    ConflictError,
    DataError,
    DataFileError,
    DuplicateCodeError,
    InvalidCodeError,
    InvalidValueError,
    MissingExtraError,
    NotFoundError,
    NotInForceError,
    ParseError,
    TthcError,
)

# public name -> module that defines it
_LAZY: dict[str, str] = {
    # identifiers
    "AgencyCode": "tthc.ids",
    "DossierCode": "tthc.ids",
    "ProcedureCode": "tthc.ids",
    "TrackingNumber": "tthc.ids",
    # channels and levels
    "Channel": "tthc.channels",
    "OnlineLevel": "tthc.channels",
    "PostalService": "tthc.channels",
    "LevelMapping": "tthc.channels",
    "map_online_level": "tthc.channels",
    # shared values
    "DateRange": "tthc.references",
    "LegalReference": "tthc.references",
    "Money": "tthc.money",
    "Rounding": "tthc.money",
    "ProcessingTime": "tthc.processing_time",
    "TimeUnit": "tthc.processing_time",
    # catalog
    "ChannelOption": "tthc.catalog",
    "FeeKind": "tthc.catalog",
    "FeeLine": "tthc.catalog",
    "LegalBasis": "tthc.catalog",
    "Level": "tthc.catalog",
    "Procedure": "tthc.catalog",
    "Tri": "tthc.catalog",
    # tthc.calendar
    "public_sector_calendar": "tthc.calendar",
    "WorkingCalendar": "tthc.calendar",
    # tthc.office_hours
    "OfficeHours": "tthc.office_hours",
    # tthc.deadlines
    "compute_due": "tthc.deadlines",
    "compute_due_many": "tthc.deadlines",
    "DueDate": "tthc.deadlines",
    "CountingRules": "tthc.deadlines",
    "DueInstant": "tthc.deadlines",
    "MonthEnd": "tthc.deadlines",
    "UnknownUnitPolicy": "tthc.deadlines",
    "Timeliness": "tthc.deadlines",
    "classify": "tthc.deadlines",
    "classify_detail": "tthc.deadlines",
    "classify_many": "tthc.deadlines",
    # tthc.reductions
    "Reduction": "tthc.reductions",
    "ReductionSet": "tthc.reductions",
    "load_reductions": "tthc.reductions",
    # tthc.timeline
    "SupplementReading": "tthc.timeline",
    "due_after_supplement": "tthc.timeline",
    "supplement_readings": "tthc.timeline",
    "extend_due": "tthc.timeline",
    "Extension": "tthc.timeline",
    # tthc.quotes
    "quote": "tthc.quotes",
    "Quote": "tthc.quotes",
    "QuoteLine": "tthc.quotes",
    "LineKind": "tthc.quotes",
    # tthc.fee_schedules
    "FeeSchedule": "tthc.fee_schedules",
    # tthc.tariffs
    "Tariff": "tthc.tariffs",
    "Leg": "tthc.tariffs",
    # tthc.discounts
    "Discount": "tthc.discounts",
    "DiscountSet": "tthc.discounts",
    # tthc.dated
    "DatedValue": "tthc.dated",
    "Timeline": "tthc.dated",
    # tthc.zones
    "Zone": "tthc.zones",
    # tthc.postal
    "check_postal_eligibility": "tthc.postal",
    "EligibilityVerdict": "tthc.postal",
    "AgencyLists": "tthc.postal",
    "check_tracking_number": "tthc.postal",
    # tthc.postal_timeline
    "postal_dossier_timeline": "tthc.postal_timeline",
    "transit_estimate": "tthc.postal_timeline",
    "PostalTimeline": "tthc.postal_timeline",
    # tthc.catalog
    "Catalog": "tthc.catalog",
    "catalog_json_schema": "tthc.catalog",
    # tthc.portal
    "PortalImport": "tthc.portal",
    "import_portal": "tthc.portal",
    "import_portal_files": "tthc.portal",
    "read_portal_jsonl": "tthc.portal",
    # tthc.portal_report
    "ImportReport": "tthc.portal_report",
    # tthc.records
    "DossierRecord": "tthc.records",
    "DossierStatus": "tthc.records",
    "ColumnMapping": "tthc.records",
    # tthc.records_io
    "open_records": "tthc.records_io",
    "iter_records": "tthc.records_io",
    # tthc.validation
    "validate_chunk": "tthc.validation",
    "ValidationOptions": "tthc.validation",
    "ChunkResult": "tthc.validation",
    # tthc.validation_run
    "validate_files": "tthc.validation_run",
    "ValidationSummary": "tthc.validation_run",
    # tthc.kpi
    "compute_kpis": "tthc.kpi",
    "KpiOptions": "tthc.kpi",
    "KpiPartial": "tthc.kpi",
    "KpiRules": "tthc.kpi",
    "Indicator": "tthc.kpi",
    # tthc.audit
    "audit_catalog": "tthc.audit",
    "AuditFinding": "tthc.audit",
    # tthc.report_html
    "render_html": "tthc.report_html",
    # tthc.combination
    "Combination": "tthc.combination",
}

if TYPE_CHECKING:
    from tthc.audit import AuditFinding, audit_catalog
    from tthc.calendar import WorkingCalendar, public_sector_calendar
    from tthc.catalog import (
        Catalog,
        ChannelOption,
        FeeKind,
        FeeLine,
        LegalBasis,
        Level,
        Procedure,
        Tri,
        catalog_json_schema,
    )
    from tthc.channels import (
        Channel,
        LevelMapping,
        OnlineLevel,
        PostalService,
        map_online_level,
    )
    from tthc.combination import Combination
    from tthc.dated import DatedValue, Timeline
    from tthc.deadlines import (
        CountingRules,
        DueDate,
        DueInstant,
        MonthEnd,
        Timeliness,
        UnknownUnitPolicy,
        classify,
        classify_detail,
        classify_many,
        compute_due,
        compute_due_many,
    )
    from tthc.discounts import Discount, DiscountSet
    from tthc.fee_schedules import FeeSchedule
    from tthc.ids import (
        AgencyCode,
        DossierCode,
        ProcedureCode,
        TrackingNumber,
    )
    from tthc.kpi import Indicator, KpiOptions, KpiPartial, KpiRules, compute_kpis
    from tthc.money import Money, Rounding
    from tthc.office_hours import OfficeHours
    from tthc.portal import PortalImport, import_portal, import_portal_files, read_portal_jsonl
    from tthc.portal_report import ImportReport
    from tthc.postal import AgencyLists, EligibilityVerdict, check_postal_eligibility, check_tracking_number
    from tthc.postal_timeline import PostalTimeline, postal_dossier_timeline, transit_estimate
    from tthc.processing_time import ProcessingTime, TimeUnit
    from tthc.quotes import LineKind, Quote, QuoteLine, quote
    from tthc.records import ColumnMapping, DossierRecord, DossierStatus
    from tthc.records_io import iter_records, open_records
    from tthc.reductions import Reduction, ReductionSet, load_reductions
    from tthc.references import DateRange, LegalReference
    from tthc.report_html import render_html
    from tthc.tariffs import Leg, Tariff
    from tthc.timeline import Extension, SupplementReading, due_after_supplement, extend_due, supplement_readings
    from tthc.validation import ChunkResult, ValidationOptions, validate_chunk
    from tthc.validation_run import ValidationSummary, validate_files
    from tthc.zones import Zone


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tthc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# literal, so type checkers see the namespace; a test keeps it equal to the lazy table plus the errors
__all__ = [
    "AgencyCode",
    "AgencyLists",
    "AuditFinding",
    "CalendarRangeError",
    "Catalog",
    "Channel",
    "ChannelOption",
    "ChunkResult",
    "ColumnMapping",
    "Combination",
    "ConflictError",
    "CountingRules",
    "DataError",
    "DataFileError",
    "DateRange",
    "DatedValue",
    "Discount",
    "DiscountSet",
    "DossierCode",
    "DossierRecord",
    "DossierStatus",
    "DueDate",
    "DueInstant",
    "DuplicateCodeError",
    "EligibilityVerdict",
    "Extension",
    "FeeKind",
    "FeeLine",
    "FeeSchedule",
    "ImportReport",
    "Indicator",
    "InvalidCodeError",
    "InvalidValueError",
    "KpiOptions",
    "KpiPartial",
    "KpiRules",
    "Leg",
    "LegalBasis",
    "LegalReference",
    "Level",
    "LevelMapping",
    "LineKind",
    "MissingExtraError",
    "Money",
    "MonthEnd",
    "NotFoundError",
    "NotInForceError",
    "OfficeHours",
    "OnlineLevel",
    "ParseError",
    "PortalImport",
    "PostalService",
    "PostalTimeline",
    "Procedure",
    "ProcedureCode",
    "ProcessingTime",
    "Quote",
    "QuoteLine",
    "Reduction",
    "ReductionSet",
    "Rounding",
    "SupplementReading",
    "Tariff",
    "TimeUnit",
    "Timeline",
    "Timeliness",
    "TrackingNumber",
    "Tri",
    "TthcError",
    "UnknownUnitPolicy",
    "ValidationOptions",
    "ValidationSummary",
    "WorkingCalendar",
    "Zone",
    "__version__",
    "audit_catalog",
    "catalog_json_schema",
    "check_postal_eligibility",
    "check_tracking_number",
    "classify",
    "classify_detail",
    "classify_many",
    "compute_due",
    "compute_due_many",
    "compute_kpis",
    "due_after_supplement",
    "extend_due",
    "import_portal",
    "import_portal_files",
    "iter_records",
    "load_reductions",
    "map_online_level",
    "open_records",
    "postal_dossier_timeline",
    "public_sector_calendar",
    "quote",
    "read_portal_jsonl",
    "render_html",
    "supplement_readings",
    "transit_estimate",
    "validate_chunk",
    "validate_files",
]
