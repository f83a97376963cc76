"""The postal dossier timeline: pickup, transit, handover, the agency's clock, the return leg and failed deliveries.

Rules (data in ``postal_transit.json``):

* QĐ 45/2016/QĐ-TTg Điều 5 — three options: send the dossier, receive the result, or both.
* QĐ 45/2016/QĐ-TTg Điều 7.4 — the agency's processing time starts at the **handover record** (biên bản giao nhận)
  signed between the postal worker and the agency, not at pickup.
* TT 17/2017/TT-BTTTT Điều 7 — transit standards, J+n working days after J, the day the post accepts the item:
  same district J+1, between districts J+2, between provinces J+3 (special / class-I cities) or J+4 (elsewhere);
  doubled (J+2 / J+4 / J+6 / J+8) when the post also brings the appointment slip back to the applicant.
* TT 17/2017/TT-BTTTT Điều 5.2 — a result that cannot be delivered: at least two attempts, 2 working days apart, then
  back to the agency.

Transit times are *standards* (maximums the post must meet), so every date they give is an estimate and says so.
Working days come from :func:`tthc.calendar.working_calendar.public_sector_calendar`; the agency's part from
:func:`tthc.deadlines.compute_due`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs
from pydantic import BaseModel, ConfigDict, PrivateAttr

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.catalog.model import Procedure
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import as_day, expect, expect_optional
from tthc.foundation.channels import Channel, PostalService
from tthc.foundation.data_files import load_json
from tthc.foundation.datetimes import parse_local_datetime
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_, format_day, format_instant, gettext, resolve_lang
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import LegalReference
from tthc.foundation.words import Words, words
from tthc.postal.zones import Zone, ZoneVocabulary, lookup_zone

__all__ = [
    "DeliveryAttempts",
    "EventKind",
    "PostalTimeline",
    "TimelineEvent",
    "TransitEstimate",
    "TransitTable",
    "delivery_attempts",
    "postal_dossier_timeline",
    "transit_estimate",
]

if TYPE_CHECKING:
    from tthc.deadlines.compute import DueDate

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@attrs.frozen(slots=True)
class TransitRule:
    zone: Zone
    days: int
    days_with_appointment_slip: int

    def __repr__(self) -> str:
        return f"<transit {self.zone.value}: J+{self.days} (J+{self.days_with_appointment_slip} with appointment slip)>"


@attrs.frozen(slots=True)
class TransitEstimate:
    """A transit estimate: the item accepted on ``accepted_on`` arrives by ``arrives_by`` (J+``days``)."""

    zone: Zone
    accepted_on: date
    days: int
    arrives_by: date
    with_appointment_slip: bool
    estimate_range: bool  # a coarse zone spanning several standards: the longest was used
    notes: tuple[str, ...]  # in English; ``note_words`` words them in a language
    reference: LegalReference
    note_words: tuple[Words, ...] = attrs.field(default=(), eq=False, repr=False)

    def __repr__(self) -> str:
        slip = " with appointment slip" if self.with_appointment_slip else ""
        return f"<transit {self.zone.value}{slip}: J+{self.days}, {self.accepted_on} -> by {self.arrives_by}>"


@attrs.frozen(slots=True)
class DeliveryAttempts:
    """Planned delivery attempts of a result; after the last failed one it goes back to the agency."""

    attempts: tuple[date, ...]
    back_to_agency_after: date
    reference: LegalReference


@attrs.frozen(slots=True)
class TransitTable:
    """The TT 17/2017 Điều 7 table and the failed-delivery rule, as data."""

    rules: Mapping[Zone, TransitRule]
    reference: LegalReference
    attempts: int
    working_days_between_attempts: int
    failed_delivery_reference: LegalReference
    handover_reference: LegalReference
    zones: ZoneVocabulary

    @classmethod
    def bundled(cls) -> TransitTable:
        return cls.from_dict(load_json("postal_transit.json"))

    @classmethod
    def from_dict(cls, raw: Mapping[str, object]) -> TransitTable:
        """Build from the ``postal_transit.json`` shape (validated)."""
        m = _TransitFile.model_validate(raw)
        for row in m.transit.table:
            if row.days < 0 or row.days_with_appointment_slip < row.days:
                raise InvalidValueError(
                    "days_with_appointment_slip",
                    words(N_(">= days >= 0 for {zone}"), zone=row.zone.value),
                    row.days_with_appointment_slip,
                )
        return cls(
            {r.zone: TransitRule(r.zone, r.days, r.days_with_appointment_slip) for r in m.transit.table},
            m.transit.reference,
            m.failed_delivery.attempts,
            m.failed_delivery.working_days_between_attempts,
            m.failed_delivery.reference,
            m.handover.reference,
            ZoneVocabulary.from_dict(raw["zones"]),  # type: ignore[arg-type]
        )

    def days(
        self, zone: Zone | str, on: date, *, with_appointment_slip: bool = False
    ) -> tuple[int, bool, tuple[str, ...]]:
        """J+n for ``zone`` on ``on``: (n, whether a coarse zone's longest standard was taken, notes in English).

        Raises:
            InvalidValueError: an unknown zone, or a district zone after the 2025 cut-over.
        """
        n, is_range, notes = self.days_worded(zone, on, with_appointment_slip=with_appointment_slip)
        return n, is_range, tuple(str(w) for w in notes)

    def days_worded(
        self, zone: Zone | str, on: date, *, with_appointment_slip: bool = False
    ) -> tuple[int, bool, tuple[Words, ...]]:
        """:meth:`days` with the notes worded when shown (``note.text("vi")``)."""
        z = Zone.parse(zone)
        key, mapped, _ = self.zones.normalise(z, on)
        notes = [mapped] if mapped else []
        found = lookup_zone(key, frozenset(self.rules), what="transit table")
        if found.keys != (z,):
            notes.append(found.words())
        values = [
            self.rules[k].days_with_appointment_slip if with_appointment_slip else self.rules[k].days
            for k in found.keys
        ]
        if found.is_range:
            notes.append(words(N_("standards J+{low}..J+{high}: the longest used"), low=min(values), high=max(values)))
        return max(values), found.is_range, tuple(notes)


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    zone: Zone
    days: int
    days_with_appointment_slip: int
    label_vi: str | None = None


class _Transit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    valid_from: IsoDay | None = None
    valid_until: IsoDay | None = None
    reference: LegalReference
    table: tuple[_Row, ...]


class _Failed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    attempts: int
    working_days_between_attempts: int
    then: str
    reference: LegalReference


class _Handover(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    reference: LegalReference


class _TransitFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)
    transit: _Transit
    failed_delivery: _Failed
    handover: _Handover


_TABLE: TransitTable | None = None


def _table(table: TransitTable | None) -> TransitTable:
    global _TABLE
    if table is not None:
        return expect(table, TransitTable, "table", "a TransitTable or None")
    if _TABLE is None:
        _TABLE = TransitTable.bundled()
    return _TABLE


def transit_estimate(
    accepted_on: date,
    route: Zone | str,
    *,
    with_appointment_slip: bool = False,
    calendar: WorkingCalendar | None = None,
    table: TransitTable | None = None,
) -> TransitEstimate:
    """When an item accepted on ``accepted_on`` (day J) arrives at the latest, by the TT 17/2017 Điều 7 standard.

    Args:
        accepted_on: J, the day the post accepts the dossier (or collects the result).
        route: the route zone (post-2025 zones are read through the [open] mapping, noted).
        with_appointment_slip: the post also brings the appointment slip back (the doubled column).

    Raises:
        InvalidValueError: an unknown or out-of-era zone.
        CalendarRangeError: the date lies outside the calendar.
    """
    accepted_on = as_day(accepted_on, "accepted_on")
    t = _table(table)
    cal = expect_optional(calendar, WorkingCalendar, "calendar", "a tthc.WorkingCalendar or None") or (
        public_sector_calendar()
    )
    z = Zone.parse(route)
    n, is_range, notes = t.days_worded(z, accepted_on, with_appointment_slip=with_appointment_slip)
    return TransitEstimate(
        z,
        accepted_on,
        n,
        cal.add_working_days(accepted_on, n),
        with_appointment_slip,
        is_range,
        tuple(str(w) for w in notes),
        t.reference,
        notes,
    )


def delivery_attempts(
    first_attempt: date, *, calendar: WorkingCalendar | None = None, table: TransitTable | None = None
) -> DeliveryAttempts:
    """The delivery attempts of a result (TT 17/2017 Điều 5.2): the first on ``first_attempt``, the next ones
    2 working days apart; after the last failed attempt the result goes back to the agency."""
    t = _table(table)
    cal = calendar if calendar is not None else public_sector_calendar()
    days = [first_attempt]
    for _ in range(t.attempts - 1):
        days.append(cal.add_working_days(days[-1], t.working_days_between_attempts))
    return DeliveryAttempts(tuple(days), days[-1], t.failed_delivery_reference)


class EventKind(TthcStrEnum):
    PICKUP = "pickup"  # the post accepts the dossier from the applicant (J)
    ARRIVAL = "arrival"  # the dossier reaches the agency (by J+n)
    HANDOVER = "handover"  # handover record signed: the agency clock starts
    APPOINTMENT_SLIP = "appointment_slip"  # the slip is back with the applicant (by J+2n)
    RECEIPT = "receipt"  # a dossier filed at the desk or online is received
    DUE = "due"  # the agency's due instant
    RESULT_PICKUP = "result_pickup"  # the post collects the result
    DELIVERY = "delivery"  # the result reaches the applicant (by R+n)
    DELIVERY_ATTEMPT = "delivery_attempt"
    BACK_TO_AGENCY = "back_to_agency"


class TimelineEvent(BaseModel):
    """One step of a postal dossier's life, with the rule that dates it.

    ``description`` is in English; :meth:`text` and :meth:`description_in` word the event in a language.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: EventKind
    day: IsoDay
    at: datetime | None = None
    estimated: bool
    description: str
    reference: LegalReference | None = None
    # the description as a marked template and its values (not serialised: an event read back shows its English)
    _words: _Words | None = PrivateAttr(default=None)

    @classmethod
    def worded(cls, template: str, values: Mapping[str, object] | None = None, **fields: object) -> TimelineEvent:
        """An event whose description is ``template`` (marked with ``N_``) filled with ``values``."""
        words: _Words = (template, dict(values or {}))
        event = cls.model_validate({**fields, "description": _fill(words, "en")})
        event._words = words
        return event

    def description_in(self, lang: str | None = None) -> str:
        """The description in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        code = resolve_lang(lang)
        return self.description if self._words is None or code == "en" else _fill(self._words, code)

    def text(self, lang: str | None = None) -> str:
        """``2026-03-02 (estimate): the dossier reaches the agency by J+2 working days — TT 17/2017/TT-BTTTT …``."""
        code = resolve_lang(lang)
        if code == "en":
            when = self.at.isoformat(timespec="minutes") if self.at else self.day.isoformat()
        else:
            when = format_instant(self.at, code) if self.at else format_day(self.day, code)
        if self.estimated:
            when = gettext("{when} (estimate)", code).format(when=when)
        ref = f" — {self.reference}" if self.reference else ""
        return f"{when}: {self.description_in(code)}{ref}"

    def __str__(self) -> str:
        return self.text()


_Words = tuple[str, Mapping[str, object]]
"""A text to word later: a marked template and its values."""


def _fill(words: _Words | Words | str, lang: str) -> str:
    if isinstance(words, Words):
        return words.text(lang)  # a note from the transit table (zones)
    if isinstance(words, str):
        return words
    template, values = words
    filled: dict[str, str] = {}
    for k, v in values.items():
        if isinstance(v, Channel):
            filled[k] = v.label_vi.lower() if lang == "vi" else v.value
        elif hasattr(v, "steps_in"):  # a DueDate without a due date: its reason, worded
            filled[k] = v.steps_in(lang)[0]
        else:
            filled[k] = str(v)
    return gettext(template, lang).format(**filled)


@attrs.frozen(slots=True)
class PostalTimeline:
    """The events of a postal dossier, in order, with the agency's due date (``due``: a DueDate or None).

    ``notes`` are in English; :meth:`explain` words the timeline in a language.
    """

    service: PostalService
    route: Zone
    events: tuple[TimelineEvent, ...]
    due: DueDate | None
    notes: tuple[str, ...]
    _note_words: tuple[_Words | Words | str, ...] = attrs.field(default=(), eq=False, repr=False, alias="note_words")

    def event(self, kind: EventKind) -> TimelineEvent | None:
        return next((e for e in self.events if e.kind is kind), None)

    def explain(self, lang: str | None = None) -> str:
        """The timeline as text in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        service = gettext(_SERVICES[self.service], code) if code == "vi" else self.service.value
        out = [
            gettext("postal timeline ({service}, route {route})", code).format(service=service, route=self.route.value)
        ]
        out += [f"  {e.text(code)}" for e in self.events]
        notes = [_fill(w, code) for w in self._note_words] if self._note_words else list(self.notes)
        out += [f"  · {n}" for n in dict.fromkeys(notes)]
        return "\n".join(out)


_SERVICES = {
    PostalService.SEND: N_("the dossier is sent by post"),
    PostalService.RETURN: N_("the result is returned by post"),
    PostalService.BOTH: N_("the dossier is sent and the result returned by post"),
}


def _processing_time(procedure: Procedure | None, given: ProcessingTime | str | None) -> ProcessingTime | None:
    if given is not None:
        return given if isinstance(given, ProcessingTime) else ProcessingTime.parse(given)
    if procedure is None:
        return None
    for ch in (Channel.POSTAL, Channel.DIRECT):
        for o in procedure.options(ch):
            if o.processing_time is not None:
                return o.processing_time
    return None


def postal_dossier_timeline(
    procedure: Procedure | None = None,
    *,
    service: PostalService | str = PostalService.BOTH,
    route: Zone | str = Zone.WITHIN_PROVINCE,
    picked_up_on: date | None = None,
    received_at: datetime | None = None,
    handover_at: datetime | None = None,
    processing_time: ProcessingTime | str | None = None,
    channel: Channel = Channel.DIRECT,
    with_appointment_slip: bool = True,
    result_ready_on: date | None = None,
    failed_attempts: int = 0,
    assumed_handover_time: time = time(8, 0),
    calendar: WorkingCalendar | None = None,
    table: TransitTable | None = None,
) -> PostalTimeline:
    """The timeline of a dossier using the postal service option ``service``.

    Args:
        procedure: the procedure (its processing time is read from the postal, else the direct row).
        service: send (the dossier goes by post), return (the result comes back by post), or both.
        route: route zone between the applicant and the agency.
        picked_up_on: J, the day the post accepts the dossier (required when the dossier is sent by post).
        received_at: the receipt instant at the agency when the dossier is not sent by post (``return``).
        handover_at: the signed handover record instant; when absent it is estimated as the arrival day at
            ``assumed_handover_time`` (noted).
        processing_time: overrides the procedure's processing time.
        channel: how a ``return``-only dossier was filed (direct or online).
        with_appointment_slip: the post brings the appointment slip back to the applicant (doubled standard).
        result_ready_on: the day the post collects the result (default: the due date).
        failed_attempts: 0 for a delivered result; 1.. to lay out failed attempts (all failed = back to agency).

    Raises:
        InvalidValueError: a missing pickup day or receipt instant, an unknown service or zone, negative attempts.
    """
    from tthc.deadlines.compute import compute_due
    from tthc.postal.eligibility import parse_postal_service

    svc = parse_postal_service(service)
    zone = Zone.parse(route)
    if not isinstance(failed_attempts, int) or isinstance(failed_attempts, bool) or failed_attempts < 0:
        raise InvalidValueError("failed_attempts", N_("a whole number >= 0"), failed_attempts)
    picked_up_on = as_day(picked_up_on, "picked_up_on") if picked_up_on is not None else None
    result_ready_on = as_day(result_ready_on, "result_ready_on") if result_ready_on is not None else None
    expect_optional(handover_at, datetime, "handover_at", "a datetime (naive = Vietnam time) or None")
    expect_optional(received_at, datetime, "received_at", "a datetime (naive = Vietnam time) or None")
    expect(assumed_handover_time, time, "assumed_handover_time", "a datetime.time")
    t = _table(table)
    cal = expect_optional(calendar, WorkingCalendar, "calendar", "a tthc.WorkingCalendar or None") or (
        public_sector_calendar()
    )
    events: list[TimelineEvent] = []
    notes: list[_Words | Words | str] = []
    start: datetime | None
    if svc.sends:
        if picked_up_on is None:
            raise InvalidValueError("picked_up_on", N_("the day the post accepts the dossier (J)"), None)
        events.append(
            TimelineEvent.worded(
                N_("the post accepts and seals the dossier (J)"),
                kind=EventKind.PICKUP,
                day=picked_up_on,
                estimated=False,
                reference=t.handover_reference.model_copy(update={"article": "Điều 6", "note": None, "note_vi": None}),
            )
        )
        arrive = transit_estimate(picked_up_on, zone, calendar=cal, table=t)
        notes.extend(arrive.note_words)
        events.append(
            TimelineEvent.worded(
                N_("the dossier reaches the agency by J+{days} working days"),
                {"days": arrive.days},
                kind=EventKind.ARRIVAL,
                day=arrive.arrives_by,
                estimated=True,
                reference=t.reference,
            )
        )
        if handover_at is None:
            start = datetime.combine(arrive.arrives_by, assumed_handover_time, VN_TZ)
            notes.append(
                (
                    N_("handover record not given: assumed on the arrival day at {time}"),
                    {"time": assumed_handover_time.isoformat("minutes")},
                )
            )
        else:
            start = parse_local_datetime(handover_at, "handover_at")  # its Vietnam instant and day
            if start.date() < picked_up_on:
                raise InvalidValueError(
                    "handover_at",
                    words(N_("on or after the pickup day J ({day})"), day=picked_up_on),
                    handover_at,
                )
        events.append(
            TimelineEvent.worded(
                N_("handover record signed at the agency: the processing time starts here, not at pickup"),
                kind=EventKind.HANDOVER,
                day=start.date(),
                at=start,
                estimated=handover_at is None,
                reference=t.handover_reference,
            )
        )
        if with_appointment_slip:
            slip = transit_estimate(picked_up_on, zone, with_appointment_slip=True, calendar=cal, table=t)
            events.append(
                TimelineEvent.worded(
                    N_("the appointment slip is back with the applicant by J+{days} working days"),
                    {"days": slip.days},
                    kind=EventKind.APPOINTMENT_SLIP,
                    day=slip.arrives_by,
                    estimated=True,
                    reference=t.reference,
                )
            )
        due_channel = Channel.POSTAL
    else:
        if received_at is None:
            raise InvalidValueError("received_at", N_("the receipt instant of a dossier not sent by post"), None)
        start = parse_local_datetime(received_at, "received_at")  # its Vietnam instant and day
        events.append(
            TimelineEvent.worded(
                N_("dossier received ({channel})"),
                {"channel": channel},
                kind=EventKind.RECEIPT,
                day=start.date(),
                at=start,
                estimated=False,
            )
        )
        due_channel = channel
    if result_ready_on is not None and result_ready_on < start.date():
        raise InvalidValueError(
            "result_ready_on", words(N_("on or after the receipt day ({day})"), day=start.date()), result_ready_on
        )
    pt = _processing_time(procedure, processing_time)
    due = None
    ready: date | None = result_ready_on
    if pt is None:
        notes.append((N_("no processing time known: no due date, the return leg is not dated"), {}))
    else:
        due = compute_due(start, pt, channel=due_channel, calendar=cal, procedure=procedure, postal=svc)
        if due.due_at is not None:
            events.append(
                TimelineEvent.worded(
                    N_("the agency's due instant ({time}; the steps are in .due.explain())"),
                    {"time": pt},
                    kind=EventKind.DUE,
                    day=due.due_at.date(),
                    at=due.due_at,
                    estimated=handover_at is None and svc.sends,
                )
            )
            ready = ready or due.due_at.date()
        else:
            notes.append((N_("no due date: {reason}"), {"reason": due}))
    if svc.returns and ready is not None:
        events.append(
            TimelineEvent.worded(
                N_("the post collects the result at the agency (R)"),
                kind=EventKind.RESULT_PICKUP,
                day=ready,
                estimated=result_ready_on is None,
                reference=t.reference,
            )
        )
        back = transit_estimate(ready, zone, calendar=cal, table=t)
        notes.extend(back.note_words)
        if failed_attempts == 0:
            events.append(
                TimelineEvent.worded(
                    N_("the result reaches the applicant by R+{days} working days"),
                    {"days": back.days},
                    kind=EventKind.DELIVERY,
                    day=back.arrives_by,
                    estimated=True,
                    reference=t.reference,
                )
            )
        else:
            plan = delivery_attempts(back.arrives_by, calendar=cal, table=t)
            shown = plan.attempts[: min(failed_attempts, len(plan.attempts))]
            for i, d in enumerate(shown, 1):
                events.append(
                    TimelineEvent.worded(
                        N_("delivery attempt {n} fails"),
                        {"n": i},
                        kind=EventKind.DELIVERY_ATTEMPT,
                        day=d,
                        estimated=True,
                        reference=plan.reference,
                    )
                )
            if failed_attempts >= len(plan.attempts):
                events.append(
                    TimelineEvent.worded(
                        N_("after {n} failed attempts the result goes back to the agency"),
                        {"n": len(plan.attempts)},
                        kind=EventKind.BACK_TO_AGENCY,
                        day=plan.back_to_agency_after,
                        estimated=True,
                        reference=plan.reference,
                    )
                )
            else:
                nxt = plan.attempts[len(shown)]
                events.append(
                    TimelineEvent.worded(
                        N_("the result is delivered at attempt {n}"),
                        {"n": len(shown) + 1},
                        kind=EventKind.DELIVERY,
                        day=nxt,
                        estimated=True,
                        reference=plan.reference,
                    )
                )
    order = {k: i for i, k in enumerate(EventKind)}
    events.sort(key=lambda e: (e.day, order[e.kind]))
    english = {_fill(w, "en"): w for w in reversed(notes)}  # each note once, first occurrence kept
    ordered = dict.fromkeys(_fill(w, "en") for w in notes)
    return PostalTimeline(
        svc, zone, tuple(events), due, tuple(ordered), note_words=tuple(english[text] for text in ordered)
    )
