"""The service's operations on JSON-shaped input, independent of HTTP: due dates (one here; many through the
vectorised path in :mod:`tthc.server.due_batch`), timeliness, quotes and postal eligibility.

Both faces use them: the HTTP API (:mod:`tthc.server.app`) and ``tthc batch`` (which must run without FastAPI, so
nothing here imports it). Requests and answers are pydantic models, so the OpenAPI document is generated from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Literal

import attrs
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.catalog.model import Procedure
from tthc.deadlines._calendar_range import receipt_outside_calendar
from tthc.deadlines.compute import DueDate, compute_due
from tthc.deadlines.counting import to_local
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.timeliness import Timeliness, classify_detail
from tthc.errors import CalendarRangeError, InvalidValueError, TthcError
from tthc.fees.discounts import DiscountSet
from tthc.fees.quotes import Quote, quote
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.datetimes import parse_local_date, parse_local_datetime
from tthc.foundation.i18n import N_, resolve_lang
from tthc.foundation.references import LegalReference
from tthc.foundation.today import vn_today
from tthc.foundation.words import words
from tthc.postal.eligibility import EligibilityVerdict, check_postal_eligibility
from tthc.postal.zones import Zone
from tthc.server.config import DataVersions, ServiceData
from tthc.server.problems import Problem

__all__ = [
    "ClassifyRequest",
    "ClassifyResponse",
    "DayIn",
    "DueBatchResult",
    "DueItem",
    "DueRequest",
    "DueResponse",
    "EligibilityRequest",
    "EligibilityResponse",
    "InstantIn",
    "QuoteRequest",
    "QuoteResponse",
    "calendar_field",
    "check_in_calendar",
    "classify_one",
    "due_one",
    "eligibility_one",
    "quote_one",
    "reason_text",
]


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- dates and instants: the one reading rule of the library and the CLI -------------------------------------------


def _instant(value: object, info: ValidationInfo) -> object:
    """An instant read by the rule of ``tthc due --received`` (:func:`~tthc.foundation.datetimes.
    parse_local_datetime`): ISO 8601 (``2026-11-20T16:30``, the basic ``20261120``) or ``dd/mm/yyyy [HH:MM[:SS]]``;
    a number, or digits that are no ISO date (``1763630000``), is refused — never read as seconds since 1970.

    ISO text keeps its zone as written (none: Vietnam time, as everywhere in the service), so that a problem's
    ``given`` is the instant as sent and a batch item whose offset overflows is that item's error."""
    if isinstance(value, datetime):  # a Python caller's (``tthc batch``, a model built in code)
        return value
    if isinstance(value, str) and value.isascii():
        try:
            return datetime.fromisoformat(value.strip())  # the rule's ISO 8601 branch, without the zone conversion
        except ValueError:
            pass
    return parse_local_datetime(value, info.field_name or "").replace(tzinfo=None)  # dd/mm/yyyy, or the refusal


def _day(value: object, info: ValidationInfo) -> object:
    """A day read by the rule of the CLI's day options (:func:`~tthc.foundation.datetimes.parse_local_date`):
    ``2026-02-13`` or ``13/02/2026``; a number, a time of day, a 2-digit year are refused."""
    return parse_local_date(value, info.field_name or "")


InstantIn = Annotated[datetime, BeforeValidator(_instant)]
"""A request's date and time (a body field, a query parameter): ISO 8601 or ``dd/mm/yyyy [HH:MM[:SS]]``, no zone =
Vietnam time; the OpenAPI type stays ``string``, ``format: date-time``."""
DayIn = Annotated[date, BeforeValidator(_day)]
"""A request's day: ``YYYY-MM-DD`` or ``dd/mm/yyyy``; the OpenAPI type stays ``string``, ``format: date``."""


# -- dates outside the compiled calendar, named by the request's field ---------------------------------------------

# the calendar's own words for a day outside its range (one msgid): here with the request's field and value
_OUTSIDE = N_("{field}: expected a date in {first}..{last} (the compiled range), got {given}")
_NAMED = N_("{field}: {reason}")
_WITH_FIELD = N_("{field}: expected {expected}, got {given}")
_WITH_DETAIL = N_("{field}: expected {expected}, got {given} ({detail})")


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def check_in_calendar(cal: WorkingCalendar, field: str, value: datetime | date) -> None:
    """Refuse ``value`` (an instant: its day in Vietnam time) when its day lies outside ``cal``'s compiled range,
    naming the request's ``field`` and the value given — before the calendar refuses it under its own parameter
    name (``date``, ``start``).

    Raises:
        CalendarRangeError: the day is outside the range; InvalidValueError: an instant past years 1..9999 in Vietnam
            time.
    """
    day = to_local(value, field).date() if isinstance(value, datetime) else value
    if not cal.first <= day <= cal.last:
        raise CalendarRangeError(words(_OUTSIDE, field=field, first=cal.first, last=cal.last, given=_shown(value)))


@attrs.frozen(slots=True)
class _Reason:
    """A calendar's refusal without the parameter name it starts with (``n: 5 working days from ... lands outside
    the compiled range``), worded when shown."""

    error: CalendarRangeError

    def text(self, lang: str | None = None) -> str:
        said = self.error.said
        line = said.text(lang) if said is not None else str(self.error)
        return line.split(": ", 1)[-1]

    def __str__(self) -> str:
        return self.text("en")


@contextmanager
def calendar_field(field: str, given: object) -> Iterator[None]:
    """Name a date outside the compiled calendar met inside the block by the request's ``field`` (the one value
    the computation starts from: a receipt, an event's instant) and its ``given`` value, in place of the calendar's
    internal parameter name (``date``, ``n``, ``start``)."""
    try:
        yield
    except CalendarRangeError as exc:
        raise _named(exc, field, given) from None


def _named(exc: CalendarRangeError, field: str, given: object) -> CalendarRangeError:
    return CalendarRangeError(words(_NAMED, field=field, reason=_Reason(exc), given=_shown(given)))


# -- due dates -----------------------------------------------------------------------------------------------------


def _online_level(value: object) -> object:
    return value if value is None or isinstance(value, OnlineLevel) else OnlineLevel.parse(value)


OnlineLevelIn = Annotated[
    OnlineLevel | None,
    BeforeValidator(_online_level, json_schema_input_type=OnlineLevel | int | str | None),
]
"""An online level as the library reads it (``OnlineLevel.parse``): ``"level_4"``, ``4``, ``"4"``, ``"mức độ 4"``,
``"toàn trình"``..."""

_RECEIVED = (
    "the receipt instant, ISO 8601 or dd/mm/yyyy [HH:MM[:SS]] (as `tthc due --received` reads it; never a number); "
    "without an offset it is Vietnam time (UTC+7): '2026-11-20T16:30:00', '2026-11-20T09:30:00Z', '20/11/2026 16:30'"
)
_PT = "the processing time as published: '5 ngày làm việc', '8 Giờ', 'Trong ngày' (or give a procedure)"


class DueItem(_In):
    """One dossier whose due date is asked for."""

    received_at: InstantIn = Field(description=_RECEIVED)
    processing_time: str | None = Field(default=None, max_length=200, description=_PT)
    procedure: str | None = Field(
        default=None, max_length=64, description="a procedure code; its published time for the channel is used"
    )
    channel: Channel = Field(default=Channel.DIRECT, description="how the dossier was filed")
    online_level: OnlineLevelIn = Field(default=None, description="the online level (reductions' condition)")
    postal: PostalService | None = Field(default=None, description="postal legs (reductions' condition)")


class DueRequest(DueItem):
    """A due-date request (``/v1/due``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"received_at": "2026-11-20T16:30:00", "processing_time": "5 ngày làm việc", "channel": "online"}
            ]
        }
    )


class DueResponse(BaseModel):
    """A due date with its explanation (the trace), as printed on a receipt slip."""

    due_at: datetime | None = Field(description="the due instant (Asia/Ho_Chi_Minh); null when there is none")
    reason: str | None = Field(description="why there is no due date (null when there is one)")
    received_at: datetime
    effective_received_at: datetime | None = Field(description="the instant counting is anchored on")
    counted_from: date | None = Field(description="the receipt day the count starts after (itself not counted)")
    processing_time: str
    effective_time: str = Field(description="the processing time after reductions")
    projected: bool = Field(description="the due date lies in a year whose schedule is not announced")
    procedure: str | None
    channel: Channel
    steps: list[str] = Field(description="the trace, one line per step")
    rules_applied: list[LegalReference]
    data_versions: DataVersions


class DueBatchResult(BaseModel):
    """The answer for one item of a batch, at its ``index``: a due date, or an ``error`` (never both)."""

    index: int
    due_at: datetime | None = None
    projected: bool | None = None
    reason: str | None = Field(default=None, description="why there is no due date")
    error: Problem | None = None


def _resolve(
    data: ServiceData, item: DueItem, parsed: dict[str, ProcessingTime]
) -> tuple[ProcessingTime | None, Procedure | None]:
    """An item's own processing time (each distinct text parsed once; None when not given) and its procedure.

    Without a time, :func:`~tthc.deadlines.compute_due` takes the procedure's published one (and its online level)
    through :func:`~tthc.deadlines.procedure_facts.published_time`, the one place that picks it.
    """
    if item.processing_time is None and item.procedure is None:
        raise InvalidValueError("processing_time", N_("a processing time, or a procedure that publishes one"), None)
    pt: ProcessingTime | None = None
    if item.processing_time is not None:
        pt = parsed.get(item.processing_time)
        if pt is None:
            pt = parsed[item.processing_time] = ProcessingTime.parse(item.processing_time)
    procedure = data.catalog[item.procedure] if item.procedure is not None else None
    return pt, procedure


def _compute(data: ServiceData, item: DueItem, parsed: dict[str, ProcessingTime]) -> DueDate:
    pt, procedure = _resolve(data, item, parsed)
    try:  # not calendar_field: a context manager costs more than a try on the hot path of /v1/due
        return compute_due(
            item.received_at,
            pt,
            channel=item.channel,
            calendar=data.calendar,
            rules=data.rules,
            reductions=data.reductions,
            procedure=procedure,
            online_level=item.online_level,
            postal=item.postal,
        )
    except CalendarRangeError as exc:
        raise _outside(exc, data.calendar, item, pt) from None


def _outside(exc: CalendarRangeError, cal: WorkingCalendar, item: DueItem, pt: ProcessingTime | None) -> TthcError:
    """The receipt named as the client sent it (``received_at``), in the words ``tthc due`` uses
    (:func:`~tthc.deadlines._calendar_range.receipt_outside_calendar`); ``exc`` itself when it names the processing
    time already (a time no receipt in the range can fit)."""
    said = receipt_outside_calendar(exc, item.received_at, pt, item.procedure, cal.first, cal.last)
    if said is None:
        return exc
    given = _shown(item.received_at)
    if said.detail_words is None:
        return CalendarRangeError(words(_WITH_FIELD, field="received_at", expected=said.expected_words, given=given))
    return CalendarRangeError(
        words(_WITH_DETAIL, field="received_at", expected=said.expected_words, given=given, detail=said.detail_words)
    )


def reason_text(due: DueDate, lang: str | None = None) -> str | None:
    """Why ``due`` has no due date, in ``lang`` (None when it has one). :attr:`DueDate.reason` is English only; a
    due date without one has a one-step trace saying why, and that step is worded in each language."""
    return None if due.reason is None else due.steps_in(lang)[-1]


def due_one(data: ServiceData, request: DueRequest, lang: str | None = None) -> DueResponse:
    """The due date of one dossier with its trace in ``lang`` (None: ``TTHC_LANG``, else Vietnamese).

    Raises:
        InvalidValueError: no usable processing time; NotFoundError: an unknown procedure; CalendarRangeError.
    """
    due = _compute(data, request, {})
    code = resolve_lang(lang)
    return DueResponse(
        due_at=due.due_at,
        reason=reason_text(due, code),
        received_at=due.received_at,
        effective_received_at=due.effective_received_at,
        counted_from=due.counted_from,
        processing_time=str(due.processing_time),
        effective_time=due.effective_time.text(code),
        projected=due.projected,
        procedure=str(request.procedure) if request.procedure else None,
        channel=request.channel,
        steps=list(due.steps_in(code)),
        rules_applied=[r.in_lang(code) for r in due.rules_applied],
        data_versions=data.versions,
    )


# -- timeliness ------------------------------------------------------------------------------------------------------


class ClassifyRequest(_In):
    """A finish (or an open dossier judged ``as_of``) against a due instant."""

    due_at: InstantIn = Field(description="the due instant (no offset: Vietnam time)")
    finished_at: InstantIn | None = Field(default=None, description="when the result was finished; null: still open")
    as_of: InstantIn | None = Field(default=None, description="the instant an open dossier is judged at")


class ClassifyResponse(BaseModel):
    """Early / on time / late (domain.md §6), the overdue working days and the TT 01/2018 Điều 13 score."""

    timeliness: Timeliness
    overdue_working_days: int
    score: int = Field(description="TT 01/2018 Điều 13: early 2, on time 1, late 0")
    data_versions: DataVersions


def classify_one(data: ServiceData, request: ClassifyRequest) -> ClassifyResponse:
    """Classify a finish. Raises InvalidValueError for an open dossier without ``as_of``; CalendarRangeError naming
    the field whose day lies outside the compiled calendar."""
    check_in_calendar(data.calendar, "due_at", request.due_at)
    if request.finished_at is not None:
        check_in_calendar(data.calendar, "finished_at", request.finished_at)
    elif request.as_of is not None:  # an open dossier is judged at as_of (and only then)
        check_in_calendar(data.calendar, "as_of", request.as_of)
    got = classify_detail(request.due_at, request.finished_at, calendar=data.calendar, as_of=request.as_of)
    return ClassifyResponse(
        timeliness=got.timeliness,
        overdue_working_days=got.overdue_working_days,
        score=got.score,
        data_versions=data.versions,
    )


# -- quotes and postal eligibility -----------------------------------------------------------------------------------


class QuoteRequest(_In):
    """What filing a procedure costs (``tthc quote``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"procedure": "1.002809", "channel": "online", "on": "2025-03-03"}],
        }
    )

    procedure: str = Field(max_length=64, description="the procedure code")
    channel: Channel
    on: DayIn | None = Field(default=None, description="the date of the quote (default: today)")
    postal: PostalService | None = Field(default=None, description="postal legs (postal channel default: send)")
    weight_g: int | None = Field(default=None, ge=0, le=1_000_000, description="item weight in grams")
    route: Zone | None = Field(default=None, description="route zone (default within_province, noted)")
    beneficiary: str | None = Field(default=None, max_length=64, description="TT 22/2017 beneficiary group id")
    online_level: OnlineLevelIn = None
    province: str | None = Field(default=None, max_length=8, description="province code (H21)")
    case: str | None = Field(default=None, max_length=200, description="which published channel row, when several")
    fee_via_post: bool = Field(default=False, description="the fee is paid through the post (remittance charge)")
    discounts: bool = Field(default=True, description="apply the bundled temporary discounts")


class QuoteResponse(BaseModel):
    """An itemised quote with the rule and source of every line, and its total per currency."""

    quote: Quote
    total: dict[str, str] = Field(description="currency -> amount in major units (VND: đồng)")
    data_versions: DataVersions


def quote_one(data: ServiceData, request: QuoteRequest, lang: str | None = None) -> QuoteResponse:
    """Quote a procedure, its labels, notes and steps in ``lang`` (None: ``TTHC_LANG``, else Vietnamese). Raises
    NotFoundError (unknown code), InvalidValueError (inconsistent options, a bad ``lang``)."""
    result = quote(
        data.catalog[request.procedure],
        channel=request.channel,
        on=request.on or vn_today(),
        postal=request.postal,
        weight_g=request.weight_g,
        route=request.route,
        beneficiary=request.beneficiary,
        online_level=request.online_level,
        province=request.province,
        case=request.case,
        fee_via_post=request.fee_via_post,
        discounts=None if request.discounts else DiscountSet.none(),
        lang=lang,
    )
    return QuoteResponse(
        quote=result, total={m.currency: str(m.amount) for m in result.totals}, data_versions=data.versions
    )


class EligibilityRequest(_In):
    """May a procedure be done through the public postal service (QĐ 45/2016/QĐ-TTg)?"""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"procedure": "1.002809", "service": "both", "on": "2026-03-02"}]}
    )

    procedure: str = Field(max_length=64, description="the procedure code")
    service: PostalService = Field(default=PostalService.BOTH, description="send, return or both (Điều 5)")
    on: DayIn | None = Field(default=None, description="the date judged (default: today)")
    agency: str | None = Field(default=None, max_length=64, description="agency (000.00.00.H21) or province (H21)")


class EligibilityResponse(BaseModel):
    """The verdict (eligible true / false / null = unknown), its reasons with references, and missing facts."""

    verdict: EligibilityVerdict
    data_versions: DataVersions


def eligibility_one(data: ServiceData, request: EligibilityRequest, lang: str | None = None) -> EligibilityResponse:
    """Judge postal eligibility, the reasons worded in ``lang`` (None: ``TTHC_LANG``, else Vietnamese). Raises
    NotFoundError (unknown code), InvalidValueError (a malformed agency, a bad ``lang``)."""
    verdict = check_postal_eligibility(
        data.catalog[request.procedure], request.service, on=request.on, agency=request.agency, lang=lang
    )
    return EligibilityResponse(verdict=verdict, data_versions=data.versions)


BatchKind = Literal["due", "quote", "eligibility"]
