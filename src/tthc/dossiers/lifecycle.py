"""The lifecycle of a dossier: its state and the transition each event makes, with the legal checks.

Each transition is a function of (the dossier's setup and calendar, the event, the state so far) that returns the
new state, recording findings (legal constraints not met) and raising
:class:`~tthc.dossiers.events.ImpossibleEventError` for a sequence that cannot happen. :class:`tthc.dossiers.Dossier`
drives it; the figures come from ``counting_rules.json`` / ``record_rules.json`` in the version in force on the
dossier's receipt date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

import attrs

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.deadlines.compute import DueDate, compute_due
from tthc.deadlines.counting import RuleVersion, counting_rule
from tthc.deadlines.supplements import supplement_window_start
from tthc.dossiers.events import DossierEvent, Extended, ImpossibleEventError, PostalPickup, Received, ResultDispatched
from tthc.dossiers.findings import DossierFinding, max_supplement_requests
from tthc.dossiers.setup import DossierSetup
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel
from tthc.foundation.i18n import N_
from tthc.foundation.ids import TrackingNumber
from tthc.foundation.references import LegalReference
from tthc.foundation.words import words
from tthc.records.model import DossierStatus

__all__ = ["STEPS", "Lifecycle", "State", "channel_of", "first_day"]


class _State(NamedTuple):
    """What the events have established so far (internal; the dossier's queries read it)."""

    channel: Channel
    status: DossierStatus
    first_at: datetime
    last_at: datetime
    clock_start: datetime | None = None
    pickup_at: datetime | None = None
    pickup_tracking: TrackingNumber | None = None
    handover_at: datetime | None = None
    processing_at: datetime | None = None
    sup_first_at: datetime | None = None
    sup_done_at: datetime | None = None
    sup_pending: bool = False
    sup_count: int = 0
    ext_count: int = 0
    ext_due: datetime | None = None
    ext_issued: datetime | None = None
    ext_issued_known: bool = True
    ended: str | None = None  # refused / withdrawn / stopped / finished
    end_at: datetime | None = None
    dispatched_at: datetime | None = None
    tracking: TrackingNumber | None = None
    attempts: tuple[datetime, ...] = ()
    delivered_at: datetime | None = None
    back_at: datetime | None = None
    collected_at: datetime | None = None
    base_due: DueDate | None = None  # from the clock start
    restart_due: DueDate | None = None  # from the last complete supplement
    findings: tuple[DossierFinding, ...] = ()


_DONE = frozenset({"refused", "withdrawn", "stopped"})


State = _State


def first_day(s: _State) -> date:
    """The day the dossier's rules are judged on: the clock start (receipt or handover), else the pickup."""
    return (s.clock_start or s.first_at).date()


@attrs.frozen(slots=True)
class Lifecycle:
    """The transitions of one dossier: its setup and calendar, and a method per kind of event."""

    setup: DossierSetup
    calendar: WorkingCalendar

    def begin(self, first: DossierEvent) -> _State:
        """The state after the first event."""
        return self.move(first, _State(Channel.DIRECT, DossierStatus.NEW, first.at, first.at), initial=True)

    def move(self, event: DossierEvent, s: _State, *, initial: bool = False) -> _State:
        """The state after ``event``.

        Raises:
            ImpossibleEventError: the event cannot happen now. InvalidValueError: not a dossier event.
        """
        kind = getattr(event, "kind", None)
        step = STEPS.get(kind) if isinstance(kind, str) else None
        if step is None or not isinstance(kind, str):
            raise InvalidValueError("event", N_("a dossier event (tthc.dossiers.Received, ...)"), event)
        if not initial:
            if event.at < s.last_at:
                raise ImpossibleEventError(
                    kind,
                    words(
                        N_("events arrive in time order (the previous one is at {at})"),
                        at=f"{s.last_at:%Y-%m-%d %H:%M}",
                    ),
                    event,
                )
            if s.ended in _DONE:
                raise ImpossibleEventError(
                    kind, words(N_("nothing happens to a dossier after it was {ended}"), ended=s.ended), event
                )
        return step(self, event, s, initial)._replace(last_at=event.at)

    def _receive(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        if not initial:
            raise ImpossibleEventError(e.kind, N_("a dossier is received once, as its first event"), e)
        if isinstance(e, PostalPickup):
            return s._replace(
                channel=Channel.POSTAL, status=DossierStatus.NEW, pickup_at=e.at, pickup_tracking=e.tracking_number
            )
        assert isinstance(e, Received)
        channel = channel_of(e)
        s = s._replace(channel=channel, status=DossierStatus.RECEIVED)
        if channel is Channel.POSTAL:
            s = s._replace(handover_at=e.at)
        return self._start_clock(s, e.at)

    def _hand_over(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        if initial or s.pickup_at is None or s.handover_at is not None:
            raise ImpossibleEventError(e.kind, N_("the handover record follows a postal pickup, once"), e)
        return self._start_clock(s._replace(handover_at=e.at, status=_active(s, DossierStatus.RECEIVED)), e.at)

    def _start_clock(self, s: _State, at: datetime) -> _State:
        return s._replace(clock_start=at, base_due=self.due_from(at, s.channel))

    def _processing(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        self._not_after_result(e, s)
        if s.processing_at is not None:
            raise ImpossibleEventError(e.kind, N_("processing starts once"), e)
        s = self._before_handover(e, s)
        return s._replace(processing_at=e.at, status=_active(s, DossierStatus.PROCESSING))

    def _sup_request(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        self._not_after_result(e, s)
        if s.sup_pending:
            raise ImpossibleEventError(e.kind, N_("a supplement request is answered before the next one"), e)
        s = self._before_handover(e, s)
        found = list(s.findings)
        count = s.sup_count + 1
        if count == 1 and s.clock_start is not None:
            rule = self.rule("supplement_request_within", s)
            limit = rule.working_days if rule.working_days is not None else 3
            start = self.window_start(s)
            elapsed = self.calendar.working_days_between(start, e.at.date())
            if elapsed > limit:
                found.append(
                    _finding(
                        "W_LATE_SUPPLEMENT_REQUEST",
                        e,
                        N_(
                            "supplement requested {day}, {elapsed} working days after the receipt day {start} "
                            "(received {received}); at most {limit}"
                        ),
                        {
                            "day": e.at.date(),
                            "elapsed": elapsed,
                            "start": start,
                            "received": s.clock_start,
                            "limit": limit,
                        },
                        rule.reference,
                    )
                )
        most, ref = max_supplement_requests()
        if count > most:
            found.append(
                _finding(
                    "W_REPEATED_SUPPLEMENT",
                    e,
                    N_("supplement request {count}; the law allows {most} (QĐ 766 counts the dossier late)"),
                    {"count": count, "most": most},
                    ref,
                )
            )
        return s._replace(
            sup_count=count,
            sup_pending=True,
            sup_first_at=s.sup_first_at or e.at,
            status=DossierStatus.SUPPLEMENT_REQUESTED,
            findings=tuple(found),
        )

    def _sup_complete(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        if not s.sup_pending:
            raise ImpossibleEventError(e.kind, N_("a supplement is completed after it was requested"), e)
        restart = self.due_from(e.at, s.channel) if s.clock_start is not None else None
        return s._replace(sup_pending=False, sup_done_at=e.at, restart_due=restart, status=DossierStatus.PROCESSING)

    def _extend(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        assert isinstance(e, Extended)
        self._not_after_result(e, s)
        s = self._before_handover(e, s)
        rule = self.rule("extension_once", s)
        found = list(s.findings)
        count = s.ext_count + 1
        allowed = rule.max_extensions if rule.max_extensions is not None else 1
        if count > allowed:
            found.append(
                _finding(
                    "E_SECOND_EXTENSION",
                    e,
                    N_(
                        "the return date is moved {count} times; at most {allowed} (the new date {new} is not honoured)"
                    ),
                    {"count": count, "allowed": allowed, "new": e.new_due_at},
                    rule.reference,
                )
            )
            return s._replace(ext_count=count, findings=tuple(found))
        current = self.legal_due(s)
        if current is not None:
            if e.new_due_at <= current:
                found.append(
                    _finding(
                        "W_EXTENSION_NOT_LATER",
                        e,
                        N_("new return date {new} is not after the due date {current}"),
                        {"new": e.new_due_at, "current": current},
                        rule.reference,
                    )
                )
            notice = rule.notice_working_days_before if rule.notice_working_days_before is not None else 1
            if e.issued_known and self.calendar.working_days_between(e.at.date(), current.date()) < notice:
                found.append(
                    _finding(
                        "W_LATE_EXTENSION",
                        e,
                        N_("apology issued {issued}, less than {notice} working day(s) before the due date {current}"),
                        {"issued": e.at, "notice": notice, "current": current},
                        rule.reference,
                    )
                )
        return s._replace(
            ext_count=count,
            ext_due=e.new_due_at,
            ext_issued=e.at,
            ext_issued_known=e.issued_known,
            findings=tuple(found),
        )

    def _finish(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        self._not_after_result(e, s)
        if s.sup_pending:
            raise ImpossibleEventError(e.kind, N_("the result is ready after the supplement is completed"), e)
        s = self._before_handover(e, s)
        return s._replace(ended="finished", end_at=e.at, status=DossierStatus.PROCESSED)

    def _dispatch(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        assert isinstance(e, ResultDispatched)
        if s.ended != "finished":
            raise ImpossibleEventError(e.kind, N_("the result is dispatched after it is ready (finished)"), e)
        if s.dispatched_at is not None or s.collected_at is not None:
            raise ImpossibleEventError(e.kind, N_("the result is dispatched once"), e)
        return s._replace(dispatched_at=e.at, tracking=e.tracking_number)

    def _delivery(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        if s.dispatched_at is None:
            raise ImpossibleEventError(e.kind, N_("a delivery comes after the result is dispatched by post"), e)
        if s.delivered_at is not None or s.back_at is not None:
            raise ImpossibleEventError(
                e.kind, N_("nothing is delivered after the result was delivered or sent back"), e
            )
        if e.kind == "delivery_attempted":
            return s._replace(attempts=(*s.attempts, e.at))
        if e.kind == "delivered":
            return s._replace(delivered_at=e.at, status=DossierStatus.RETURNED)
        return s._replace(back_at=e.at)

    def _collect(self, e: DossierEvent, s: _State, initial: bool) -> _State:
        if s.ended != "finished":
            raise ImpossibleEventError(e.kind, N_("the result is collected after it is ready (finished)"), e)
        if s.collected_at is not None or s.delivered_at is not None:
            raise ImpossibleEventError(e.kind, N_("the result is handed over once"), e)
        if s.dispatched_at is not None and s.back_at is None:
            raise ImpossibleEventError(
                e.kind, N_("a result in the post is collected after it is back at the agency"), e
            )
        return s._replace(collected_at=e.at, status=DossierStatus.RETURNED)

    # -- checks shared by the transitions ----------------------------------------------------------------------------

    def _not_after_result(self, e: DossierEvent, s: _State) -> None:
        if s.ended is not None:
            raise ImpossibleEventError(
                e.kind,
                words(N_("no {event} after the dossier was {ended}"), event=e.kind.replace("_", " "), ended=s.ended),
                e,
            )

    def _before_handover(self, e: DossierEvent, s: _State) -> _State:
        if s.channel is not Channel.POSTAL or s.handover_at is not None:
            return s
        rule = self.rule("postal_handover", s)
        return s._replace(
            findings=(
                *s.findings,
                _finding(
                    "W_PROCESSING_BEFORE_HANDOVER",
                    e,
                    N_(
                        "{event} before the handover record of the postal dossier (picked up {pickup}); the clock "
                        "starts at the handover"
                    ),
                    {"event": e.kind, "pickup": s.pickup_at},
                    rule.reference,
                ),
            ),
        )

    def rule(self, key: str, s: _State) -> RuleVersion:
        """The version of ``key`` in force for this dossier (on its receipt, or pickup, date)."""
        return counting_rule(key, first_day(s))

    def due_from(self, at: datetime, channel: Channel) -> DueDate | None:
        pt = self.setup.processing_time
        if pt is None:
            return None
        return compute_due(
            at,
            pt,
            channel=channel,
            calendar=self.calendar,
            procedure=self.setup.procedure,
            online_level=self.setup.online_level,
            profile=self.setup.profile,
        )

    def window_start(self, s: _State) -> date:
        """The day the supplement-request window counts from: the effective receipt day (after the cut-off, the
        next working day), as :func:`tthc.deadlines.supplements.supplement_window_start` reads it."""
        assert s.clock_start is not None
        base = s.base_due
        if base is not None and base.counted_from is not None:
            return base.counted_from
        return supplement_window_start(
            s.clock_start, channel=s.channel, calendar=self.calendar, profile=self.setup.profile
        )

    def legal_due(self, s: _State) -> datetime | None:
        """The due instant in force (restart reading) before any extension."""
        due = s.restart_due if s.restart_due is not None else s.base_due
        return None if due is None else due.due_at


_Transition = Callable[["Lifecycle", DossierEvent, _State, bool], _State]


def _ending(status: DossierStatus) -> _Transition:
    """Refused, withdrawn, stopped: processing ends (QĐ 766: the end of processing) with that status."""

    def step(d: Lifecycle, e: DossierEvent, s: _State, initial: bool) -> _State:
        d._not_after_result(e, s)
        return s._replace(ended=e.kind, end_at=e.at, status=status)

    return step


def channel_of(e: Received | PostalPickup) -> Channel:
    if isinstance(e, PostalPickup) or e.via == "postal":
        return Channel.POSTAL
    return Channel.ONLINE if e.via == "online" else Channel.DIRECT


def _active(s: _State, status: DossierStatus) -> DossierStatus:
    """A move to ``status`` unless a supplement is pending (the dossier stays with the citizen)."""
    return DossierStatus.SUPPLEMENT_REQUESTED if s.sup_pending else status


def _finding(
    code: str, e: DossierEvent, template: str, values: dict[str, object], ref: LegalReference
) -> DossierFinding:
    return DossierFinding.worded(code, e.kind, e.at, template, values, ref)


STEPS: dict[str, _Transition] = {
    "received": Lifecycle._receive,
    "postal_pickup": Lifecycle._receive,
    "handed_over": Lifecycle._hand_over,
    "processing_started": Lifecycle._processing,
    "supplement_requested": Lifecycle._sup_request,
    "supplement_completed": Lifecycle._sup_complete,
    "extended": Lifecycle._extend,
    "finished": Lifecycle._finish,
    "refused": _ending(DossierStatus.NOT_RECEIVED),
    "withdrawn": _ending(DossierStatus.WITHDRAWN),
    "stopped": _ending(DossierStatus.STOPPED),
    "result_dispatched": Lifecycle._dispatch,
    "delivery_attempted": Lifecycle._delivery,
    "delivered": Lifecycle._delivery,
    "returned_to_agency": Lifecycle._delivery,
    "result_collected": Lifecycle._collect,
}
