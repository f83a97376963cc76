"""The event-driven :class:`Dossier`: an immutable dossier moved by typed events, with the legal checks, the due
instant in both readings, the remaining working time, the postal legs, the quote and its whole history explained.

Rules, each from cited data and in the version in force on the receipt date (``counting_rules.json``):

* the clock starts at the receipt — for a postal dossier at the handover record, not the pickup (QĐ 45/2016/QĐ-TTg
  Điều 7.4); the due instant is :func:`tthc.deadlines.compute_due` from there;
* a supplement is asked within 3 working days of receipt and once (NĐ 61/2018/NĐ-CP Điều 17, 19.4); time restarts
  from zero at the complete dossier (the legal reading) — the QĐ 766 KPI pauses it instead; both are given;
* the return date is moved once, by an apology issued at the latest 1 working day before the due date (Điều 19.9);
* the result by post: transit standards J+n (TT 17/2017/TT-BTTTT Điều 7), failed deliveries (Điều 5.2).

A broken rule is a finding on the dossier (:class:`~tthc.dossiers.findings.DossierFinding`), not an exception; an
impossible sequence (an event before the receipt, a delivery before dispatch, an event earlier than the one before)
raises :class:`~tthc.dossiers.events.ImpossibleEventError` naming the event and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache

import attrs

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.catalog.model import Procedure
from tthc.deadlines.counting import cite, counting_rule
from tthc.deadlines.procedure_facts import published_time
from tthc.deadlines.processing_time import ProcessingTime
from tthc.deadlines.profiles import STATUTORY, portal_profile
from tthc.deadlines.supplements import SupplementReading, paused_due
from tthc.dossiers.events import DossierEvent, ImpossibleEventError, PostalPickup, Received
from tthc.dossiers.findings import DossierFinding, max_supplement_requests, word_value
from tthc.dossiers.history import DossierSnapshot, event_line
from tthc.dossiers.lifecycle import Lifecycle, State, channel_of, first_day
from tthc.dossiers.rows import record_events, record_of
from tthc.dossiers.setup import DossierDue, DossierSetup, DossierTiming, PostalLeg, Timing
from tthc.errors import InvalidValueError
from tthc.fees.discounts import DecidingDate
from tthc.fees.quotes import DatesKey, Quote, quote
from tthc.fees.tariffs import Leg
from tthc.foundation.arguments import expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.datetimes import parse_local_datetime
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.foundation.ids import DossierCode
from tthc.postal.timeline import delivery_attempts, transit_estimate
from tthc.postal.zones import Zone, zone_vocabulary
from tthc.records.model import VN_TZ, DossierRecord, DossierStatus

__all__ = ["Dossier"]


_LEGS = {"dossier": N_("dossier"), "result": N_("result")}
_READINGS = {SupplementReading.RESTART: N_("restart"), SupplementReading.PAUSE: N_("pause")}
_PROJECTED = N_("projected")
_SUSPENDED = N_("suspended (supplement pending)")
# the dossier statuses as words, for the first line of explain() in a language (English shows the repr)
_STATUS_WORDS = (
    N_("new"), N_("received"), N_("not received"), N_("processing"), N_("supplement requested"),
    N_("awaiting payment"), N_("withdrawn"), N_("stopped"), N_("processed"), N_("returned"),
)  # fmt: skip


_AGENCY_PROVINCE = re.compile(r"\.([HK]\d{2})$", re.ASCII)  # the province part of an agency id (QCVN 102:2016)


def _route_on(route: Zone, day: date) -> Zone:
    """The dossier's route for a leg on ``day``: a district zone chosen before 1 Jul 2025 is read, for a leg on or
    after the cut-over, as the first coarser zone that still exists (``same_district`` → ``within_province``: the
    slower standard, never a shorter one) — the estimate's ``zone`` says which was used."""
    vocab = zone_vocabulary()
    if day < vocab.cutover or route not in vocab.pre_cutover_only:
        return route
    return next((z for z in route.ancestors() if z not in vocab.pre_cutover_only), route)


@cache
def _default_calendar() -> WorkingCalendar:
    return public_sector_calendar()


@attrs.frozen(slots=True, repr=False)
class Dossier:
    """An administrative dossier (hồ sơ) moved by events; every "change" returns a new dossier.

    Create one with :meth:`start` (a procedure or a processing time and the first event), move it with
    :meth:`apply`. Read it back from JSON with :meth:`from_json` and from a record row with :meth:`from_record`.
    """

    setup: DossierSetup
    events: tuple[DossierEvent, ...]
    _state: State
    _life: Lifecycle = attrs.field(eq=False)

    @property
    def calendar(self) -> WorkingCalendar:
        """The working calendar the dossier counts on (the public-sector calendar by default; not serialised)."""
        return self._life.calendar

    # -- creating and moving ---------------------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        first: DossierEvent,
        *,
        procedure: Procedure | None = None,
        processing_time: ProcessingTime | str | None = None,
        dossier_code: DossierCode | str | None = None,
        agency_code: str | None = None,
        online_level: OnlineLevel | str | int | None = None,
        result_by_post: bool = False,
        route: Zone | str = Zone.WITHIN_PROVINCE,
        profile: str = STATUTORY,
        calendar: WorkingCalendar | None = None,
    ) -> Dossier:
        """A new dossier from its first event: :class:`Received` (desk / online / postal) or :class:`PostalPickup`.

        The processing time is ``processing_time`` when given, else the one ``procedure`` publishes for the
        dossier's channel (the row used is recorded) — and then, unless ``online_level`` is given, that row's online
        level, as :func:`tthc.deadlines.compute_due` takes it.

        Raises:
            ImpossibleEventError: the first event is not a receipt or a postal pickup.
            InvalidValueError: a bad processing time, code, zone or profile; a procedure that publishes no time
                for the channel (pass ``processing_time``).
        """
        if not isinstance(first, Received | PostalPickup):
            raise ImpossibleEventError(
                getattr(first, "kind", type(first).__name__),
                N_("a dossier starts with its receipt (desk / online / postal) or the postal pickup"),
                first,
            )
        expect_optional(procedure, Procedure, "procedure", "a Procedure or None")
        expect_optional(calendar, WorkingCalendar, "calendar", "a tthc.WorkingCalendar or None")
        channel = channel_of(first)
        # the level as quote() and compute_due() read it (4, "level_4", "full"...)
        online_level = OnlineLevel.parse(online_level) if online_level is not None else None
        source = None
        if processing_time is None and procedure is not None:
            pub = published_time(procedure, channel)
            processing_time, source = pub.processing_time, pub.describe(str(procedure.code))
            if online_level is None:  # as compute_due does: the level the published row states
                online_level = pub.online_level
        elif isinstance(processing_time, str):
            processing_time = ProcessingTime.parse(processing_time)
        portal_profile(profile)  # refuse an unknown name now, not at the first due date
        setup = DossierSetup(
            procedure=procedure,
            processing_time=processing_time,
            processing_time_source=source,
            dossier_code=DossierCode(dossier_code) if isinstance(dossier_code, str) else dossier_code,
            agency_code=agency_code,
            online_level=online_level,
            result_by_post=result_by_post,
            route=Zone.parse(route),
            profile=profile,
        )
        return cls._begin(setup, first, calendar)

    @classmethod
    def _begin(cls, setup: DossierSetup, first: DossierEvent, calendar: WorkingCalendar | None) -> Dossier:
        life = Lifecycle(setup, calendar if calendar is not None else _default_calendar())
        return cls(setup, (first,), life.begin(first), life)

    def apply(self, event: DossierEvent) -> Dossier:
        """The dossier after ``event``; findings are recorded, impossible sequences raise.

        Raises:
            ImpossibleEventError: the event cannot happen now (names the event and the rule).
            InvalidValueError: ``event`` is not a dossier event.
        """
        return Dossier(self.setup, (*self.events, event), self._life.move(event, self._state), self._life)

    def apply_all(self, events: Iterable[DossierEvent]) -> Dossier:
        """The dossier after each event in turn."""
        d = self
        for e in events:
            d = d.apply(e)
        return d

    # -- what a portal asks ------------------------------------------------------------------------------------------

    @property
    def status(self) -> DossierStatus:
        """The status, with its portal sync code (``dossier.status.portal_code``, 1–10)."""
        return self._state.status

    @property
    def channel(self) -> Channel:
        return self._state.channel

    @property
    def findings(self) -> tuple[DossierFinding, ...]:
        return self._state.findings

    @property
    def received_at(self) -> datetime:
        """The instant of the first event (the receipt, or the postal pickup)."""
        return self.events[0].at

    @property
    def clock_started_at(self) -> datetime | None:
        """When the agency clock started: the receipt, or the handover record of a postal dossier."""
        return self._state.clock_start

    @property
    def processing_time(self) -> ProcessingTime | None:
        return self.setup.processing_time

    @property
    def ended_at(self) -> datetime | None:
        """The end of processing (finished, refused, withdrawn or stopped)."""
        return self._state.end_at

    def due(
        self, reading: SupplementReading | str = SupplementReading.RESTART, *, lang: str | None = None
    ) -> DossierDue:
        """The due instant now, after supplements and the extension, under ``reading`` (the law by default); its
        steps in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        reading = SupplementReading(reading)
        code = resolve_lang(lang)
        s = self._state
        base = s.base_due
        if base is None or base.due_at is None:
            if s.clock_start is None:
                why = gettext("the clock has not started: waiting for the handover record (postal dossier)", code)
            elif base is not None and base.reason:
                why = base.steps_in(code)[0]
            else:
                why = gettext("no processing time known", code)
            return DossierDue(None, reading, False, s.sup_pending, False, (why,))
        steps = [gettext("from the receipt: {step}", code).format(step=line) for line in base.steps_in(code)]
        due_at: datetime = base.due_at
        projected = base.projected
        forced = False
        if reading is SupplementReading.RESTART:
            if s.restart_due is not None and s.restart_due.due_at is not None:
                ref = counting_rule("supplement_restart", first_day(s)).reference
                due_at, projected = s.restart_due.due_at, s.restart_due.projected
                steps.append(
                    gettext("supplement completed {at}: time restarts ({ref})", code).format(
                        at=word_value(s.sup_done_at, code), ref=cite(ref, code)
                    )
                )
                steps += [
                    gettext("from the complete dossier: {step}", code).format(step=line)
                    for line in s.restart_due.steps_in(code)
                ]
        else:
            if s.sup_first_at is not None and s.sup_done_at is not None:
                paused = self.calendar.working_days_between(s.sup_first_at.date(), s.sup_done_at.date())
                due_at = paused_due(self.calendar, due_at, paused)
                steps.append(
                    gettext("supplement interval: {days} working day(s) paused → {due} (QĐ 766)", code).format(
                        days=paused, due=word_value(due_at, code)
                    )
                )
            most, _ = max_supplement_requests()
            forced = s.sup_count > most
            if forced:
                steps.append(
                    gettext(
                        "{count} supplement requests (> {most}): late under QĐ 766 whatever the finish", code
                    ).format(count=s.sup_count, most=most)
                )
        if s.ext_due is not None and s.ext_due > due_at:
            due_at = s.ext_due
            steps.append(
                gettext("return date moved once to {due} (apology {issued})", code).format(
                    due=word_value(due_at, code), issued=word_value(s.ext_issued.date() if s.ext_issued else None, code)
                )
            )
        return DossierDue(due_at, reading, projected, s.sup_pending, forced, tuple(steps))

    def timeliness(self, as_of: datetime | None = None) -> DossierTiming:
        """Timeliness in both readings; an open dossier is judged at ``as_of`` (UNKNOWN without it)."""
        when = _aware(as_of, "as_of") if as_of is not None else None
        if self._state.status in (DossierStatus.NEW, DossierStatus.NOT_RECEIVED):
            return DossierTiming(Timing.UNKNOWN, Timing.UNKNOWN)
        end = self._state.end_at
        pause = self.due(SupplementReading.PAUSE)
        t_pause = _classify(pause.due_at, end, when)
        if pause.forced_late and t_pause is not Timing.UNKNOWN:
            t_pause = Timing.LATE
        return DossierTiming(t_pause, _classify(self.due().due_at, end, when))

    def remaining(self, as_of: datetime, reading: SupplementReading | str = SupplementReading.RESTART) -> timedelta:
        """Office time left until the due instant ("còn 2 ngày 3 giờ"); zero when overdue or without a due date.

        Raises:
            InvalidValueError: a bad instant. CalendarRangeError: outside the compiled calendar.
        """
        return max(self._left(as_of, reading), timedelta(0))

    def overdue(self, as_of: datetime, reading: SupplementReading | str = SupplementReading.RESTART) -> timedelta:
        """Office time past the due instant at ``as_of`` (or at the end of processing when earlier); zero when on
        time or without a due date."""
        return max(-self._left(as_of, reading), timedelta(0))

    def _left(self, as_of: datetime, reading: SupplementReading | str) -> timedelta:
        due = self.due(reading).due_at
        if due is None:
            return timedelta(0)
        at = _aware(as_of, "as_of")
        end = self._state.end_at
        if end is not None and end < at:
            at = end
        return self.calendar.working_time_between(at.replace(tzinfo=None), due.astimezone(VN_TZ).replace(tzinfo=None))

    def postal_legs(self) -> tuple[PostalLeg, ...]:
        """The postal legs so far, each with its TT 17/2017 Điều 7 transit standard and what actually happened."""
        s = self._state
        legs = []
        if s.pickup_at is not None:
            est = transit_estimate(
                s.pickup_at.date(), _route_on(self.setup.route, s.pickup_at.date()), calendar=self.calendar
            )
            legs.append(PostalLeg("dossier", s.pickup_at.date(), est, s.handover_at))
        if s.dispatched_at is not None:
            est = transit_estimate(
                s.dispatched_at.date(), _route_on(self.setup.route, s.dispatched_at.date()), calendar=self.calendar
            )
            plan = delivery_attempts(est.arrives_by, calendar=self.calendar)
            legs.append(
                PostalLeg("result", s.dispatched_at.date(), est, s.delivered_at, s.attempts, s.back_at, plan.attempts)
            )
        return tuple(legs)

    def quote(self, *, on: date | None = None, weight_g: int | None = None, beneficiary: str | None = None) -> Quote:
        """The fee and postage quote (:func:`tthc.fees.quote`) for this dossier's procedure, channel and postal legs,
        on ``on`` (default: the receipt day).

        Each discount is judged on the dossier's own dates when they are known (``on`` otherwise): the pickup date of
        the send leg is the postal pickup, of the return leg the day the post took the result (``ResultDispatched``);
        the receipt date is the clock start; the return date the delivery or collection. The province of
        province-scoped discounts is the one of the dossier's ``agency_code`` (else of the procedure code).

        Raises:
            InvalidValueError: the dossier has no procedure.
        """
        p = self.setup.procedure
        if p is None:
            raise InvalidValueError("procedure", N_("a dossier created with a procedure"), None)
        s = self._state
        sends = self.channel is Channel.POSTAL
        returns = self.setup.result_by_post or s.dispatched_at is not None
        postal = (
            PostalService.BOTH if sends and returns else PostalService.SEND if sends else
            PostalService.RETURN if returns else None
        )  # fmt: skip
        dates: dict[DatesKey, date] = {}
        if s.clock_start is not None:
            dates[DecidingDate.RECEIPT] = s.clock_start.date()
        returned = s.delivered_at or s.collected_at
        if returned is not None:
            dates[DecidingDate.RETURN] = returned.date()
        if s.pickup_at is not None:
            dates[(Leg.SEND, DecidingDate.PICKUP)] = s.pickup_at.date()
        if s.dispatched_at is not None:
            dates[(Leg.RETURN, DecidingDate.PICKUP)] = s.dispatched_at.date()
        route = self.setup.route
        latest = max((d for d in (s.pickup_at, s.dispatched_at) if d is not None), default=None)
        day = on or (latest.date() if latest is not None else self.received_at.date())
        route = _route_on(route, max(day, latest.date()) if latest is not None else day)
        agency = self.setup.agency_code
        found = _AGENCY_PROVINCE.search(agency.strip().upper()) if agency else None
        return quote(
            p,
            channel=self.channel,
            on=on or self.received_at.date(),
            postal=postal,
            route=route,
            weight_g=weight_g,
            beneficiary=beneficiary,
            online_level=self.setup.online_level,
            province=found.group(1) if found else None,
            dates=dates,
        )

    def explain(self, lang: str | None = None) -> str:
        """The whole history: each event with the rule it brought in and its source, the postal legs, the findings,
        and the due instant now in both readings — in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else
        Vietnamese).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        d = self
        day = first_day(self._state)
        out = [repr(d) if code == "en" else d._header(code)]
        if d.setup.processing_time_source:
            source = d.setup.processing_time_source
            if code != "en" and d.setup.procedure is not None:  # the published row, worded again in the language
                source = published_time(d.setup.procedure, d.channel).describe(str(d.setup.procedure.code), code)
            out.append(f"  {source}")
        if d.setup.profile != STATUTORY:
            out.append(
                "  " + gettext("counted under the portal profile {profile}", code).format(profile=repr(d.setup.profile))
            )
        attempts = 0
        for e in d.events:
            attempts += e.kind == "delivery_attempted"
            out.append(f"  {word_value(e.at, code)} {e.kind}: {event_line(e, day, attempts, code)}")
        for leg in d.postal_legs():
            est = leg.estimate
            if est.zone is not d.setup.route:
                where = gettext("route {route} read as {zone} after the district reform [open]; ", code).format(
                    route=d.setup.route.value, zone=est.zone.value
                )
            else:
                where = ""
            if leg.back_to_agency_at is not None:
                back = word_value(leg.back_to_agency_at.date(), code)
                where += gettext("back at the agency {day}", code).format(day=back)
            elif leg.arrived_at is None:
                where += gettext("in transit", code)
            else:
                where += gettext("arrived {day}", code).format(day=word_value(leg.arrived_at.date(), code))
            if leg.on_time is True:
                where = gettext("{where} — within the standard", code).format(where=where)
            elif leg.on_time is False:
                where = gettext("{where} — LATER than the standard", code).format(where=where)
            out.append(
                "  "
                + gettext(
                    "postal leg ({leg}): accepted {accepted}, standard J+{days} → by {by} ({ref}); {where}", code
                ).format(
                    leg=gettext(_LEGS[leg.leg], code),
                    accepted=word_value(leg.accepted_on, code),
                    days=est.days,
                    by=word_value(est.arrives_by, code),
                    ref=cite(est.reference, code),
                    where=where,
                )
            )
        for f in d.findings:
            out.append("  " + gettext("finding {finding}", code).format(finding=f.text(code)))
        for reading in SupplementReading:
            due = d.due(reading, lang=code)
            name = gettext(_READINGS[reading], code)
            if due.due_at is None:
                out.append("  " + gettext("due ({reading}): none — {why}", code).format(reading=name, why=due.steps[0]))
                continue
            flags = [gettext(f, code) for f, on in ((_PROJECTED, due.projected), (_SUSPENDED, due.suspended)) if on]
            out.append(
                "  "
                + gettext("due ({reading}): {due}", code).format(reading=name, due=word_value(due.due_at, code))
                + "".join(" " + f for f in flags)
            )
            out.extend(f"    {line}" for line in due.steps)
        return "\n".join(out)

    def _header(self, lang: str) -> str:
        """The first line of :meth:`explain` in ``lang`` (English: the ``repr``)."""
        due = self.due(lang=lang).due_at
        n = len(self.findings)
        # English shows the repr; this line is only ever worded in a translation (one plural form in Vietnamese)
        return gettext(
            "dossier{code}: {channel}, {status} ({portal_code}){due}; {events} events, {n} findings", lang
        ).format(
            code=f" {self.setup.dossier_code}" if self.setup.dossier_code else "",
            channel=self.channel.label_vi.lower() if lang == "vi" else self.channel.value,
            status=gettext(self.status.value.replace("_", " "), lang),
            portal_code=self.status.portal_code,
            due=gettext(", due {due}", lang).format(due=word_value(due, lang)) if due else "",
            events=len(self.events),
            n=n,
        )

    # -- serialising -------------------------------------------------------------------------------------------------

    def to_json(self) -> str:
        """JSON text: the setup and the events (findings and due dates are recomputed when read back)."""
        return DossierSnapshot(setup=self.setup, events=self.events).model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes, *, calendar: WorkingCalendar | None = None) -> Dossier:
        """Rebuild a dossier from :meth:`to_json` text by replaying its events.

        Raises:
            InvalidValueError: not a dossier snapshot. ImpossibleEventError: the events cannot happen in that order.
        """
        snap = DossierSnapshot.parse(text)
        if not snap.events:
            raise InvalidValueError("events", N_("at least the first event"), [])
        d = cls._begin(snap.setup, snap.events[0], calendar)
        return d.apply_all(snap.events[1:])

    def to_record(self) -> DossierRecord:
        """The canonical dossier-record row (:class:`tthc.records.DossierRecord`); :mod:`tthc.dossiers.rows` says
        what a row keeps.

        Raises:
            InvalidValueError: the dossier has no dossier code, agency code or procedure (a row needs them).
        """
        return record_of(self.setup, self._state)

    @classmethod
    def from_record(
        cls,
        row: DossierRecord | Mapping[str, object],
        *,
        procedure: Procedure | None = None,
        processing_time: ProcessingTime | str | None = None,
        profile: str = STATUTORY,
        calendar: WorkingCalendar | None = None,
    ) -> Dossier:
        """Rebuild a dossier from a record row (a :class:`~tthc.records.DossierRecord` or a mapping with canonical
        or portal column names); see :mod:`tthc.dossiers.rows`."""
        expect_optional(procedure, Procedure, "procedure", "a Procedure or None")
        rec, events = record_events(row, procedure)
        d = cls.start(
            events[0],
            procedure=procedure,
            processing_time=processing_time,
            dossier_code=rec.dossier_code,
            agency_code=rec.agency_code,
            online_level=rec.online_level,
            result_by_post=rec.result_channel is Channel.POSTAL,
            profile=profile,
            calendar=calendar,
        )
        return d.apply_all(events[1:])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dossier):
            return NotImplemented
        return self.setup == other.setup and self.events == other.events

    def __hash__(self) -> int:
        return hash((self.setup.dossier_code, len(self.events)))

    def __repr__(self) -> str:
        code = f" {self.setup.dossier_code}" if self.setup.dossier_code else ""
        due = self.due().due_at
        when = f", due {due:%Y-%m-%d %H:%M}" if due else ""
        n = len(self.findings)
        return (
            f"<dossier{code} {self.channel.value} {self.status.value} ({self.status.portal_code}){when}, "
            f"{len(self.events)} events, {n} finding{'s' if n != 1 else ''}>"
        )


def _aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidValueError(field, N_("a datetime (naive = Vietnam time)"), value)
    return parse_local_datetime(value, field)


def _classify(due: datetime | None, end: datetime | None, as_of: datetime | None) -> Timing:
    """The bulk validator's classes (tthc.validation.checks.classify_rows), for one dossier."""
    if due is None:
        return Timing.UNKNOWN
    if end is not None:
        if end > due:
            return Timing.LATE
        return Timing.EARLY if end.astimezone(VN_TZ).date() < due.astimezone(VN_TZ).date() else Timing.ON_TIME
    if as_of is None:
        return Timing.UNKNOWN
    return Timing.OPEN_WITHIN if due >= as_of else Timing.OPEN_OVERDUE
