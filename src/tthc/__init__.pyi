"""The public namespace of :mod:`tthc`, listed once.

Type checkers read this stub; at run time ``tthc/__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads
each name from its module on first use (so ``import tthc`` stays light). To make a name public, add it here.
"""

from ._version import __version__ as __version__

__all__: list[str]

from .calendar.office_hours import (
    DatedOfficeHours as DatedOfficeHours,
)
from .calendar.office_hours import (
    OfficeHours as OfficeHours,
)
from .calendar.office_hours import (
    load_office_hours as load_office_hours,
)
from .calendar.working_calendar import (
    WorkingCalendar as WorkingCalendar,
)
from .calendar.working_calendar import (
    public_sector_calendar as public_sector_calendar,
)
from .catalog.collection import (
    Catalog as Catalog,
)
from .catalog.collection import (
    PortalImport as PortalImport,
)
from .catalog.collection import (
    catalog_json_schema as catalog_json_schema,
)
from .catalog.collection import (
    import_portal as import_portal,
)
from .catalog.collection import (
    import_portal_files as import_portal_files,
)
from .catalog.import_report import (
    ImportReport as ImportReport,
)
from .catalog.model import (
    ChannelOption as ChannelOption,
)
from .catalog.model import (
    FeeKind as FeeKind,
)
from .catalog.model import (
    FeeLine as FeeLine,
)
from .catalog.model import (
    LegalBasis as LegalBasis,
)
from .catalog.model import (
    Level as Level,
)
from .catalog.model import (
    Procedure as Procedure,
)
from .catalog.model import (
    Tri as Tri,
)
from .catalog.portal_files import (
    read_portal_jsonl as read_portal_jsonl,
)
from .deadlines.batch import (
    classify_many as classify_many,
)
from .deadlines.batch import (
    compute_due_many as compute_due_many,
)
from .deadlines.compute import (
    DueDate as DueDate,
)
from .deadlines.compute import (
    compute_due as compute_due,
)
from .deadlines.counting import (
    CountingRules as CountingRules,
)
from .deadlines.counting import (
    DueInstant as DueInstant,
)
from .deadlines.counting import (
    MonthEnd as MonthEnd,
)
from .deadlines.counting import (
    UnknownUnitPolicy as UnknownUnitPolicy,
)
from .deadlines.counting import (
    counting_rule as counting_rule,
)
from .deadlines.processing_time import (
    ProcessingTime as ProcessingTime,
)
from .deadlines.processing_time import (
    TimeUnit as TimeUnit,
)
from .deadlines.profiles import (
    PortalProfile as PortalProfile,
)
from .deadlines.profiles import (
    portal_profile as portal_profile,
)
from .deadlines.reductions import (
    Reduction as Reduction,
)
from .deadlines.reductions import (
    ReductionSet as ReductionSet,
)
from .deadlines.reductions import (
    load_reductions as load_reductions,
)
from .deadlines.supplements import (
    Extension as Extension,
)
from .deadlines.supplements import (
    SupplementReading as SupplementReading,
)
from .deadlines.supplements import (
    due_after_supplement as due_after_supplement,
)
from .deadlines.supplements import (
    extend_due as extend_due,
)
from .deadlines.supplements import (
    supplement_readings as supplement_readings,
)
from .deadlines.timeliness import (
    Timeliness as Timeliness,
)
from .deadlines.timeliness import (
    classify as classify,
)
from .deadlines.timeliness import (
    classify_detail as classify_detail,
)
from .dossiers.dossier import (
    Dossier as Dossier,
)
from .dossiers.events import (
    Delivered as Delivered,
)
from .dossiers.events import (
    DeliveryAttempted as DeliveryAttempted,
)
from .dossiers.events import (
    Extended as Extended,
)
from .dossiers.events import (
    Finished as Finished,
)
from .dossiers.events import (
    HandedOver as HandedOver,
)
from .dossiers.events import (
    ImpossibleEventError as ImpossibleEventError,
)
from .dossiers.events import (
    PostalPickup as PostalPickup,
)
from .dossiers.events import (
    ProcessingStarted as ProcessingStarted,
)
from .dossiers.events import (
    Received as Received,
)
from .dossiers.events import (
    Refused as Refused,
)
from .dossiers.events import (
    ResultCollected as ResultCollected,
)
from .dossiers.events import (
    ResultDispatched as ResultDispatched,
)
from .dossiers.events import (
    ReturnedToAgency as ReturnedToAgency,
)
from .dossiers.events import (
    Stopped as Stopped,
)
from .dossiers.events import (
    SupplementCompleted as SupplementCompleted,
)
from .dossiers.events import (
    SupplementRequested as SupplementRequested,
)
from .dossiers.events import (
    Withdrawn as Withdrawn,
)
from .dossiers.findings import (
    DossierFinding as DossierFinding,
)
from .errors import (
    CalendarRangeError as CalendarRangeError,
)
from .errors import (
    ConflictError as ConflictError,
)
from .errors import (
    DataError as DataError,
)
from .errors import (
    DataFileError as DataFileError,
)
from .errors import (
    DuplicateCodeError as DuplicateCodeError,
)
from .errors import (
    InvalidCodeError as InvalidCodeError,
)
from .errors import (
    InvalidValueError as InvalidValueError,
)
from .errors import (
    MissingExtraError as MissingExtraError,
)
from .errors import (
    NotFoundError as NotFoundError,
)
from .errors import (
    NotInForceError as NotInForceError,
)
from .errors import (
    OutputFileError as OutputFileError,
)
from .errors import (
    ParseError as ParseError,
)
from .errors import (
    TthcError as TthcError,
)
from .errors import (
    WorkerLostError as WorkerLostError,
)
from .fees.discounts import (
    Discount as Discount,
)
from .fees.discounts import (
    DiscountSet as DiscountSet,
)
from .fees.quotes import (
    LineKind as LineKind,
)
from .fees.quotes import (
    Quote as Quote,
)
from .fees.quotes import (
    QuoteLine as QuoteLine,
)
from .fees.quotes import (
    quote as quote,
)
from .fees.schedules import (
    FeeSchedule as FeeSchedule,
)
from .fees.tariffs import (
    Leg as Leg,
)
from .fees.tariffs import (
    Tariff as Tariff,
)
from .foundation.channels import (
    Channel as Channel,
)
from .foundation.channels import (
    LevelMapping as LevelMapping,
)
from .foundation.channels import (
    OnlineLevel as OnlineLevel,
)
from .foundation.channels import (
    PostalService as PostalService,
)
from .foundation.channels import (
    map_online_level as map_online_level,
)
from .foundation.combination import (
    Combination as Combination,
)
from .foundation.dated import (
    DatedValue as DatedValue,
)
from .foundation.dated import (
    Timeline as Timeline,
)
from .foundation.ids import (
    AgencyCode as AgencyCode,
)
from .foundation.ids import (
    DossierCode as DossierCode,
)
from .foundation.ids import (
    ProcedureCode as ProcedureCode,
)
from .foundation.ids import (
    TrackingNumber as TrackingNumber,
)
from .foundation.money import (
    Money as Money,
)
from .foundation.money import (
    Rounding as Rounding,
)
from .foundation.references import (
    DateRange as DateRange,
)
from .foundation.references import (
    LegalReference as LegalReference,
)
from .kpi.audit import (
    AuditFinding as AuditFinding,
)
from .kpi.audit import (
    audit_catalog as audit_catalog,
)
from .kpi.indicators import (
    Indicator as Indicator,
)
from .kpi.indicators import (
    KpiOptions as KpiOptions,
)
from .kpi.indicators import (
    KpiPartial as KpiPartial,
)
from .kpi.indicators import (
    KpiRules as KpiRules,
)
from .kpi.indicators import (
    compute_kpis as compute_kpis,
)
from .kpi.report_html import (
    render_html as render_html,
)
from .postal.eligibility import (
    AgencyLists as AgencyLists,
)
from .postal.eligibility import (
    EligibilityVerdict as EligibilityVerdict,
)
from .postal.eligibility import (
    check_postal_eligibility as check_postal_eligibility,
)
from .postal.eligibility import (
    check_tracking_number as check_tracking_number,
)
from .postal.timeline import (
    PostalTimeline as PostalTimeline,
)
from .postal.timeline import (
    postal_dossier_timeline as postal_dossier_timeline,
)
from .postal.timeline import (
    transit_estimate as transit_estimate,
)
from .postal.zones import (
    Zone as Zone,
)
from .records.layout import (
    ColumnMapping as ColumnMapping,
)
from .records.layout import (
    DossierStatus as DossierStatus,
)
from .records.model import (
    DossierRecord as DossierRecord,
)
from .records.readers import (
    iter_records as iter_records,
)
from .records.readers import (
    open_records as open_records,
)
from .validation.chunk import (
    ChunkResult as ChunkResult,
)
from .validation.chunk import (
    validate_chunk as validate_chunk,
)
from .validation.context import (
    ValidationOptions as ValidationOptions,
)
from .validation.run import (
    ValidationSummary as ValidationSummary,
)
from .validation.run import (
    validate_files as validate_files,
)
