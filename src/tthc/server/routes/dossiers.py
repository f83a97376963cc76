"""``/v1/dossiers``: the event-driven dossier (:class:`tthc.dossiers.Dossier`), stateless.

The service keeps no dossier: every answer carries the dossier's snapshot (its setup and events, the JSON of
:meth:`Dossier.to_json`); the client stores it and sends it back with the next events. Findings, due instants and
timeliness are recomputed from the events each time, on the service's calendar.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tthc.deadlines.supplements import SupplementReading
from tthc.dossiers import Dossier, DossierEvent, DossierFinding, DossierSnapshot
from tthc.dossiers.setup import Timing
from tthc.foundation.channels import OnlineLevel
from tthc.postal.zones import Zone
from tthc.records.model import DossierStatus
from tthc.server.config import DataVersions, ServiceData
from tthc.server.routes._common import JSON_CHECKED, JSON_ERRORS, LangQ, lang_of
from tthc.server.service import InstantIn, calendar_field, check_in_calendar

__all__ = ["DossierApply", "DossierCreate", "DossierRead", "DossierState", "router"]


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DossierCreate(_In):
    """A new dossier from its first event (``received`` or ``postal_pickup``)."""

    first: DossierEvent
    procedure: str | None = Field(default=None, max_length=64, description="its published time is used")
    processing_time: str | None = Field(default=None, max_length=200, description="'5 ngày làm việc'")
    dossier_code: str | None = Field(default=None, max_length=64)
    agency_code: str | None = Field(default=None, max_length=64)
    online_level: OnlineLevel | None = None
    result_by_post: bool = False
    route: Zone = Zone.WITHIN_PROVINCE


class DossierApply(_In):
    """Events to apply, in order, to a dossier (its snapshot as last answered)."""

    dossier: DossierSnapshot
    events: list[DossierEvent] = Field(max_length=1000)


class DossierRead(_In):
    """A dossier's state, judged at ``as_of`` (default: now)."""

    dossier: DossierSnapshot
    as_of: InstantIn | None = None


class DueView(BaseModel):
    """The due instant under one reading: restart (NĐ 61/2018 Điều 19.4) or pause (QĐ 766)."""

    reading: SupplementReading
    due_at: datetime | None
    projected: bool
    suspended: bool = Field(description="a supplement is pending: the clock waits for the complete dossier")
    forced_late: bool
    steps: list[str]


class DossierState(BaseModel):
    """A dossier now: its snapshot (send it back with the next events), status, findings, due instants, timeliness."""

    dossier: DossierSnapshot
    status: DossierStatus
    findings: list[DossierFinding]
    due: list[DueView]
    timeliness_pause: Timing
    timeliness_restart: Timing
    remaining_seconds: int | None = Field(description="office time left under the restart reading, at as_of")
    data_versions: DataVersions


def _state(data: ServiceData, dossier: Dossier, as_of: datetime | None, lang: str | None) -> DossierState:
    code = lang_of(lang)
    dues = [dossier.due(r, lang=code) for r in (SupplementReading.RESTART, SupplementReading.PAUSE)]
    timing = dossier.timeliness(as_of)
    remaining = None
    if as_of is not None and dues[0].due_at is not None:
        remaining = int(dossier.remaining(as_of).total_seconds())
    return DossierState(
        dossier=DossierSnapshot(setup=dossier.setup, events=dossier.events),
        status=dossier.status,
        # a finding keeps its message in English (``message``); the answer carries it (and its reference's note) in
        # the language asked
        findings=[
            f.model_copy(update={"message": f.message_in(code), "reference": f.reference.in_lang(code)})
            for f in dossier.findings
        ],
        due=[
            DueView(
                reading=d.reading,
                due_at=d.due_at,
                projected=d.projected,
                suspended=d.suspended,
                forced_late=d.forced_late,
                steps=list(d.steps),
            )
            for d in dues
        ],
        timeliness_pause=timing.pause,
        timeliness_restart=timing.restart,
        remaining_seconds=remaining,
        data_versions=data.versions,
    )


def _load(data: ServiceData, snapshot: DossierSnapshot) -> Dossier:
    return Dossier.from_json(snapshot.model_dump_json(), calendar=data.calendar)


def router(data: ServiceData) -> APIRouter:
    api = APIRouter(prefix="/v1/dossiers", tags=["dossiers"], responses=JSON_ERRORS, dependencies=JSON_CHECKED)

    @api.post("", summary="Create a dossier from its first event")
    async def create(request: DossierCreate, lang: LangQ = None) -> DossierState:
        """The dossier after its receipt (desk, online, postal handover) or its postal pickup; the processing time is
        the one given, else the one the procedure publishes for the dossier's channel."""
        procedure = data.catalog[request.procedure] if request.procedure else None
        # every instant of a new dossier counts from its first event: a date outside the calendar is named by it
        with calendar_field("first.at", request.first.at):
            dossier = Dossier.start(
                request.first,
                procedure=procedure,
                processing_time=request.processing_time,
                dossier_code=request.dossier_code,
                agency_code=request.agency_code,
                online_level=request.online_level,
                result_by_post=request.result_by_post,
                route=request.route,
                calendar=data.calendar,
            )
            return _state(data, dossier, None, lang)

    @api.post("/events", summary="Apply events to a dossier")
    async def apply(request: DossierApply, lang: LangQ = None) -> DossierState:
        """The dossier after the events, in order; an impossible event (a delivery before dispatch, an event earlier
        than the previous one) is a 422 problem naming the event and the rule."""
        dossier = _load(data, request.dossier)
        for i, event in enumerate(request.events):  # Dossier.apply_all, each event named by its place
            with calendar_field(f"events.{i}.at", event.at):
                dossier = dossier.apply(event)
        return _state(data, dossier, None, lang)

    @api.post("/state", summary="A dossier's state at an instant")
    async def state(request: DossierRead, lang: LangQ = None) -> DossierState:
        """Status, findings, due instants in both readings, timeliness and the office time left at ``as_of``."""
        if request.as_of is not None:
            check_in_calendar(data.calendar, "as_of", request.as_of)
        return _state(data, _load(data, request.dossier), request.as_of, lang)

    return api
