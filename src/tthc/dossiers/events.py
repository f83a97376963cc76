"""The events that move a :class:`~tthc.dossiers.Dossier`, as typed, frozen pydantic models.

Each event has a ``kind`` (its JSON tag), the instant ``at`` it happened (naive = Vietnam time, aware converted) and
the few facts it carries. :data:`DossierEvent` is their union, read from JSON by ``kind``.

==========================  ================================================================================
event                       what happened (the form or record of NĐ 61/2018 / QĐ 45/2016 / TT 17/2017)
==========================  ================================================================================
Received                    the dossier is received at the desk, online, or by post (``via="postal"``: the handover
                            record, pickup not recorded); form 01 receipt slip
PostalPickup                the post accepts and seals the dossier at the applicant's (J; QĐ 45/2016 Điều 6)
HandedOver                  the handover record is signed at the agency: the clock starts (QĐ 45/2016 Điều 7.4)
ProcessingStarted           the agency starts processing
SupplementRequested         a supplement is asked for (form 02; NĐ 61/2018 Điều 19.4)
SupplementCompleted         the complete dossier is back: time restarts from zero
Extended                    apology and new return date (form 04; NĐ 61/2018 Điều 19.9)
Finished                    the result is ready (processing ended)
Refused                     the dossier is not received (form 03)
Withdrawn                   the applicant withdraws the dossier
Stopped                     processing is stopped
ResultDispatched            the post collects the result (tracking number, UPU S10 checked)
DeliveryAttempted           a delivery attempt failed (TT 17/2017 Điều 5.2)
Delivered                   the result reaches the applicant
ReturnedToAgency            the undelivered result goes back to the agency
ResultCollected             the result is handed over at the desk or online
==========================  ================================================================================
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, field_validator

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import CheckedModel, invalid_value
from tthc.foundation.i18n import N_
from tthc.foundation.ids import TrackingNumber
from tthc.foundation.words import Worded, marked, words
from tthc.records.model import parse_local_datetime

__all__ = [
    "Delivered",
    "DeliveryAttempted",
    "DossierEvent",
    "Extended",
    "Finished",
    "HandedOver",
    "ImpossibleEventError",
    "PostalPickup",
    "ProcessingStarted",
    "Received",
    "Refused",
    "ResultCollected",
    "ResultDispatched",
    "ReturnedToAgency",
    "Stopped",
    "SupplementCompleted",
    "SupplementRequested",
    "Withdrawn",
    "parse_event",
]


class ImpossibleEventError(InvalidValueError):
    """An event that cannot happen at this point of a dossier's life (an event before receipt, a delivery before
    dispatch, an event earlier than the previous one). The message names the event and the rule."""

    def __init__(self, event: str, rule: str | Worded, given: object) -> None:
        # ``rule`` is marked with N_ (or worded with its values) where raised, so the whole line reads in one language
        super().__init__("event", words(N_("{rule} — {event} cannot come here"), rule=marked(rule), event=event), given)


class _Event(CheckedModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: datetime
    note: str | None = None

    @field_validator("at", "new_due_at", mode="before", check_fields=False)
    @classmethod
    def _instant(cls, value: object, info: ValidationInfo) -> datetime:
        field = info.field_name or "at"  # the field being read (``at`` or ``new_due_at``), named in the error
        if isinstance(value, date) and not isinstance(value, datetime):
            raise InvalidValueError(field, N_("an instant (a datetime), not a date"), value)
        return parse_local_datetime(value, field)

    def __str__(self) -> str:
        kind: str = getattr(self, "kind", "event")
        return f"{kind} {self.at:%Y-%m-%d %H:%M}"


class Received(_Event):
    """The dossier is received: at the desk, online, or by post (the handover record; use :class:`PostalPickup`
    then :class:`HandedOver` when the pickup is known)."""

    kind: Literal["received"] = "received"
    via: Literal["desk", "online", "postal"] = "desk"


class PostalPickup(_Event):
    """The post accepts the dossier from the applicant (day J of the transit standard)."""

    kind: Literal["postal_pickup"] = "postal_pickup"
    tracking_number: TrackingNumber | None = None


class HandedOver(_Event):
    """The handover record (biên bản giao nhận) between the postal worker and the agency is signed."""

    kind: Literal["handed_over"] = "handed_over"
    record_number: str | None = None


class ProcessingStarted(_Event):
    """The agency starts processing the dossier."""

    kind: Literal["processing_started"] = "processing_started"


class SupplementRequested(_Event):
    """A supplement is asked for (form 02): asked once, completely, within 3 working days of receipt."""

    kind: Literal["supplement_requested"] = "supplement_requested"
    reason: str | None = None


class SupplementCompleted(_Event):
    """The complete dossier is back: the processing time restarts from zero (NĐ 61/2018 Điều 19.4)."""

    kind: Literal["supplement_completed"] = "supplement_completed"


class Extended(_Event):
    """An apology and a new return date (form 04), issued at ``at``.

    ``issued_known=False`` when the issue instant was not recorded (rebuilt from a record): ``at`` is then only an
    ordering point and the notice is not judged.
    """

    kind: Literal["extended"] = "extended"
    new_due_at: datetime
    reason: str | None = None
    issued_known: bool = True


class Finished(_Event):
    """The result is ready: processing ended."""

    kind: Literal["finished"] = "finished"


class Refused(_Event):
    """The dossier is not received (form 03)."""

    kind: Literal["refused"] = "refused"
    reason: str | None = None


class Withdrawn(_Event):
    """The applicant withdraws the dossier."""

    kind: Literal["withdrawn"] = "withdrawn"


class Stopped(_Event):
    """Processing is stopped."""

    kind: Literal["stopped"] = "stopped"
    reason: str | None = None


class ResultDispatched(_Event):
    """The post collects the result at the agency (day R of the transit standard)."""

    kind: Literal["result_dispatched"] = "result_dispatched"
    tracking_number: TrackingNumber


class DeliveryAttempted(_Event):
    """A delivery attempt that failed."""

    kind: Literal["delivery_attempted"] = "delivery_attempted"


class Delivered(_Event):
    """The result reaches the applicant."""

    kind: Literal["delivered"] = "delivered"


class ReturnedToAgency(_Event):
    """The undelivered result goes back to the agency (TT 17/2017 Điều 5.2)."""

    kind: Literal["returned_to_agency"] = "returned_to_agency"


class ResultCollected(_Event):
    """The result is handed over at the desk (or delivered online)."""

    kind: Literal["result_collected"] = "result_collected"


DossierEvent = Annotated[
    Received
    | PostalPickup
    | HandedOver
    | ProcessingStarted
    | SupplementRequested
    | SupplementCompleted
    | Extended
    | Finished
    | Refused
    | Withdrawn
    | Stopped
    | ResultDispatched
    | DeliveryAttempted
    | Delivered
    | ReturnedToAgency
    | ResultCollected,
    Field(discriminator="kind"),
]
"""Any dossier event; JSON objects are read by their ``kind``."""

EVENT_TYPES: tuple[type[_Event], ...] = (
    Received,
    PostalPickup,
    HandedOver,
    ProcessingStarted,
    SupplementRequested,
    SupplementCompleted,
    Extended,
    Finished,
    Refused,
    Withdrawn,
    Stopped,
    ResultDispatched,
    DeliveryAttempted,
    Delivered,
    ReturnedToAgency,
    ResultCollected,
)

_ADAPTER: TypeAdapter[DossierEvent] = TypeAdapter(DossierEvent)


def parse_event(data: object) -> DossierEvent:
    """An event from a mapping or JSON text with its ``kind`` (``{"kind": "received", "at": "..."}``).

    Raises:
        InvalidValueError: not an event (the message names the field, what was expected and what was given).
    """
    try:
        if isinstance(data, str | bytes):
            return _ADAPTER.validate_json(data)
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise invalid_value(exc, "event") from None
