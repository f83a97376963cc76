"""The value types of a dossier: how it was set up (serialised with its events), its due instant, timeliness and
postal legs."""

from __future__ import annotations

import enum
from datetime import date, datetime

import attrs
from pydantic import ConfigDict

from tthc.catalog.model import Procedure
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.profiles import STATUTORY
from tthc.deadlines.supplements import SupplementReading
from tthc.foundation.arguments import CheckedModel
from tthc.foundation.channels import OnlineLevel
from tthc.foundation.ids import DossierCode
from tthc.postal.timeline import TransitEstimate
from tthc.postal.zones import Zone

__all__ = ["DossierDue", "DossierSetup", "DossierTiming", "PostalLeg", "Timing"]


class DossierSetup(CheckedModel):
    """What a dossier is created with (serialised with its events).

    Attributes:
        procedure: the procedure (its published processing time, its fees); None when only a time is known.
        processing_time: the time counted; ``processing_time_source`` which published row it came from.
        dossier_code, agency_code: the codes its record row carries (needed by :meth:`Dossier.to_record`).
        online_level: the online service level of an online dossier.
        result_by_post: the applicant chose to receive the result by post (QĐ 45/2016 Điều 5).
        route: the postal route zone between the applicant and the agency (transit standards, postage).
        profile: the counting convention (:mod:`tthc.deadlines.profiles`; default the law as read).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    procedure: Procedure | None = None
    processing_time: ProcessingTime | None = None
    processing_time_source: str | None = None
    dossier_code: DossierCode | None = None
    agency_code: str | None = None
    online_level: OnlineLevel | None = None
    result_by_post: bool = False
    route: Zone = Zone.WITHIN_PROVINCE
    profile: str = STATUTORY


class Timing(enum.StrEnum):
    """A dossier's timeliness (the bulk validator's names: :attr:`tthc.validation.Timeliness.NAMES`)."""

    UNKNOWN = "unknown"  # no due date, not received, or open and not judged
    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # trễ hạn
    OPEN_WITHIN = "open_within_time"  # still open, within time at the instant asked (QĐ 766: counted on time)
    OPEN_OVERDUE = "open_overdue"  # still open, overdue at the instant asked


@attrs.frozen(slots=True)
class DossierTiming:
    """Timeliness in both readings: ``pause`` (QĐ 766: supplement interval paused, more than one request late) and
    ``restart`` (NĐ 61/2018 Điều 19.4: time restarts at the complete dossier)."""

    pause: Timing
    restart: Timing


@attrs.frozen(slots=True)
class DossierDue:
    """The due instant now under one reading.

    Attributes:
        due_at: the due instant (aware, Vietnam time); None before the clock starts or without a processing time.
        reading: restart (the law) or pause (QĐ 766).
        projected: the due date lies in a year whose public-sector schedule is not announced.
        suspended: a supplement is pending: the clock waits for the complete dossier.
        forced_late: the pause reading counts the dossier late whatever the finish (more than one request).
        steps: how it was reached.
    """

    due_at: datetime | None
    reading: SupplementReading
    projected: bool
    suspended: bool
    forced_late: bool
    steps: tuple[str, ...]


@attrs.frozen(slots=True)
class PostalLeg:
    """One postal leg: the dossier to the agency (``dossier``) or the result to the applicant (``result``).

    Attributes:
        accepted_on: J (pickup) or R (the post collects the result).
        estimate: the TT 17/2017 Điều 7 standard (J+n working days).
        arrived_at: the actual arrival (the handover record, or the delivery); None while in transit.
        attempts: failed delivery attempts (result leg); ``back_to_agency_at`` when it went back.
        on_time: arrived within the standard (None while in transit).
    """

    leg: str
    accepted_on: date
    estimate: TransitEstimate
    arrived_at: datetime | None
    attempts: tuple[datetime, ...] = ()
    back_to_agency_at: datetime | None = None
    planned_attempts: tuple[date, ...] = ()

    @property
    def on_time(self) -> bool | None:
        return None if self.arrived_at is None else self.arrived_at.date() <= self.estimate.arrives_by
