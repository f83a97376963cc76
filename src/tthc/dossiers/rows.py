"""A dossier as a canonical dossier-record row (:class:`tthc.records.DossierRecord`), and back.

What a row keeps of a dossier (``docs/dossiers.md``):

* ``received_at`` is the instant the agency clock started: the receipt, or for a postal dossier the handover record
  (the bulk validator recomputes the due date from it); a postal dossier not yet handed over writes its pickup and
  status 1 (new);
* ``due_at`` is the due date computed at the receipt (the appointment slip); ``supplement_requested_at`` is the
  first request, ``supplement_completed_at`` the last completion, ``supplement_count`` the requests;
  ``extended_due_at`` / ``extension_issued_at`` the first (the only legal) extension, ``extension_count`` all of them;
* ``finished_at`` is the end of processing (finished, withdrawn or stopped); ``returned_at`` the delivery or the
  hand-over of the result; ``result_channel`` postal when the result went (or is to go) by post;
* ``tracking_number`` is the result's item when dispatched, else the dossier's;
* ``status`` is read back too: a refused row (not received) is rebuilt refused at its receipt instant, and a row whose
  status says a supplement is requested keeps its last request pending.

A row keeps less than the events (no pickup, no delivery attempts, no time of a second supplement), so
:func:`record_events` rebuilds the events a row implies: a postal row becomes ``Received(via="postal")``.
"""

from __future__ import annotations

from collections.abc import Mapping

from tthc.catalog.model import Procedure
from tthc.dossiers.events import (
    Delivered,
    DossierEvent,
    Extended,
    Finished,
    Received,
    Refused,
    ResultCollected,
    ResultDispatched,
    Stopped,
    SupplementCompleted,
    SupplementRequested,
    Withdrawn,
)
from tthc.dossiers.lifecycle import State
from tthc.dossiers.setup import DossierSetup
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.model import DossierRecord, DossierStatus

__all__ = ["record_events", "record_of"]


def record_of(setup: DossierSetup, s: State) -> DossierRecord:
    """The canonical record row of a dossier with this setup and state.

    Raises:
        InvalidValueError: the dossier has no dossier code, agency code or procedure (a row needs them).
    """
    for name, value in (("dossier_code", setup.dossier_code), ("agency_code", setup.agency_code)):
        if value is None:
            raise InvalidValueError(
                name, words(N_("a dossier created with {name}= (a record row needs it)"), name=name), None
            )
    if setup.procedure is None:
        raise InvalidValueError(
            "procedure", N_("a dossier created with a procedure (a record row needs its code)"), None
        )
    base = s.base_due
    result_by_post = setup.result_by_post or s.dispatched_at is not None
    returned = s.delivered_at or s.collected_at
    return DossierRecord(
        dossier_code=setup.dossier_code,
        procedure_code=setup.procedure.code,
        agency_code=setup.agency_code,
        channel=s.channel,
        online_level=setup.online_level,
        received_at=s.clock_start or s.first_at,
        due_at=base.due_at if base is not None else None,
        finished_at=s.end_at if s.ended in ("finished", "withdrawn", "stopped") else None,
        returned_at=returned,
        result_channel=Channel.POSTAL if result_by_post else None,
        status=s.status,
        supplement_requested_at=s.sup_first_at,
        supplement_completed_at=s.sup_done_at,
        supplement_count=s.sup_count,
        extended_due_at=s.ext_due,
        extension_issued_at=s.ext_issued if s.ext_issued_known else None,
        extension_count=s.ext_count or None,
        tracking_number=s.tracking or s.pickup_tracking,
    )


def record_events(
    row: DossierRecord | Mapping[str, object], procedure: Procedure | None = None
) -> tuple[DossierRecord, list[DossierEvent]]:
    """The record and the events a record row implies, in time order (see the module docstring).

    Raises:
        InvalidValueError: the row is not a dossier record, or ``procedure`` is not the row's procedure.
    """
    rec = row if isinstance(row, DossierRecord) else _record(row)
    if procedure is not None and str(procedure.code) != str(rec.procedure_code):
        raise InvalidValueError(
            "procedure",
            words(N_("the row's procedure {procedure}"), procedure=str(rec.procedure_code)),
            str(procedure.code),
        )
    via = {Channel.DIRECT: "desk", Channel.ONLINE: "online", Channel.POSTAL: "postal"}[rec.channel]
    events: list[DossierEvent] = [Received(at=rec.received_at, via=via)]
    if rec.supplement_requested_at is not None:
        done = rec.supplement_completed_at
        events.append(SupplementRequested(at=rec.supplement_requested_at))
        for _ in range(max(rec.supplement_count, 1) - 1):  # later requests: only their number is kept
            if done is None:
                break
            events += [SupplementCompleted(at=done), SupplementRequested(at=done)]
        if done is not None and rec.status is not DossierStatus.SUPPLEMENT_REQUESTED:
            events.append(SupplementCompleted(at=done))  # the row's status says whether the last request is pending
    if rec.extended_due_at is not None:
        issued = rec.extension_issued_at
        for i in range(max(rec.extension_count or 1, 1)):
            at = issued if issued is not None else max(e.at for e in events)
            events.append(Extended(at=at, new_due_at=rec.extended_due_at, issued_known=issued is not None and i == 0))
    status = rec.status
    if rec.finished_at is not None:
        ends: dict[DossierStatus | None, type[Finished | Withdrawn | Stopped | Refused]] = {
            DossierStatus.WITHDRAWN: Withdrawn,
            DossierStatus.STOPPED: Stopped,
            DossierStatus.NOT_RECEIVED: Refused,
        }
        end = ends.get(status, Finished)
        events.append(end(at=rec.finished_at))
        if rec.returned_at is not None:
            if rec.result_channel is Channel.POSTAL and rec.tracking_number is not None:
                events += [
                    ResultDispatched(at=rec.finished_at, tracking_number=rec.tracking_number),
                    Delivered(at=rec.returned_at),
                ]
            else:
                events.append(ResultCollected(at=rec.returned_at))
    elif status is DossierStatus.NOT_RECEIVED:
        events.append(Refused(at=rec.received_at))  # the row keeps no refusal instant: the receipt's is used
    events.sort(key=lambda e: e.at)  # stable: same-instant events keep the order above
    return rec, events


def _record(row: Mapping[str, object]) -> DossierRecord:
    if not isinstance(row, Mapping):
        raise InvalidValueError("row", N_("a DossierRecord or a mapping of dossier columns"), row)
    return DossierRecord.from_row(row)
