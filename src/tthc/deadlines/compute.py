"""The deadline engine: from a receipt instant and a processing time to a due instant, with its explanation.

Counting rules (defaults in ``counting_rules.json``, each switchable through :class:`CountingRules`):

* **effective receipt** — a dossier received at/after the 15:00 cut-off (NĐ 61/2018/NĐ-CP Điều 18.2), after office
  hours or on a non-working day counts as received at the opening of the next working day; before opening or during
  the lunch break it counts from the next session of the same day. The cut-off for online dossiers is [open]
  (``online_cutoff``, default the same 15:00).
* **working days** — due at the end of office hours of the N-th working day after the receipt day; the receipt day is
  not counted (Bộ luật Dân sự 2015 Điều 147.2; end of the last day, Điều 148.1).
* **calendar days** — N days after the receipt day; a last day that is not a working day rolls to the next working
  day (Điều 148.5).
* **months** — the same day of the month N months later, clamped to the month end (Điều 148), then rolled.
* **working hours** — N working hours inside office sessions from the effective receipt instant [2nd].
* **within the day** — end of office hours of the receipt day.
* **unspecified** — no due date, said plainly. A bare number with no unit raises (or, with
  ``CountingRules(unknown_unit=UnknownUnitPolicy.NO_DUE_DATE)``, gives no due date with the reason).
* **rules versioned by date** — the cut-off and the postal handover rule cite the instrument in force on the receipt
  date (NĐ 61/2018/NĐ-CP until 30 Jun 2025, NĐ 118/2025/NĐ-CP from 1 Jul 2025; ``counting_rules.json``), and the
  default cut-off is that version's.
* **office hours by date** — with dated hours on the calendar (:class:`~tthc.calendar.DatedOfficeHours`) and no
  ``CountingRules.office_hours``, each day's: the receipt day's for the cut-off and the session start, the next
  working day's opening, the due day's close; working hours run through each day's sessions
  (:meth:`~tthc.calendar.WorkingCalendar.add_working_time`).
* **portal profiles** — ``profile="opencps"`` counts the way a named one-stop system does
  (:mod:`tthc.deadlines.profiles`).

Naive datetimes are Vietnam local time; aware ones are converted. Results are aware (Asia/Ho_Chi_Minh).
Counting rules live in :mod:`tthc.deadlines.counting`, timeliness in :mod:`tthc.deadlines.timeliness`, the batch path
(:func:`compute_due_many`, :func:`classify_many`) in :mod:`tthc.deadlines.batch`; all are re-exported here (the batch
names on first use: the batch path imports numpy, which a scalar call never needs). What a receipt's era and channel
decide, and the usual call's answer straight through (its trace computed on first read, by the general path here),
are in :mod:`tthc.deadlines.straight`.

Why one module of this length: the computation and its trace are written side by side — each step appends the trace
entry its formatter words (in Vietnamese or English), so a trace line can never describe a rule the code did not
apply; splitting them would make every step cross a module boundary.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import attrs

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.deadlines.counting import (
    VN_TZ,
    CountingRules,
    DueInstant,
    MonthEnd,
    UnknownUnitPolicy,
    _era,
    _plan,
    _rules_of_era,
    _time_of,
    cite,
    counting_references,
    counting_rule,
    to_local,
)
from tthc.deadlines.procedure_facts import ProcedureFacts, PublishedTime, published_time
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.deadlines.profiles import STATUTORY, PortalProfile, portal_profile
from tthc.deadlines.reductions import (
    EffectiveTime,
    Reduction,
    ReductionNote,
    ReductionSet,
    apply_reductions,
    format_reduction_note,
)
from tthc.deadlines.straight import _CONTEXT, _context, _era_day, _Facts, _straight
from tthc.deadlines.timeliness import ClassifiedFinish, Timeliness, classify, classify_detail
from tthc.errors import CalendarRangeError, InvalidValueError
from tthc.foundation.arguments import expect
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.i18n import N_, Lang, format_day, format_instant, format_time, gettext, resolve_lang
from tthc.foundation.references import LegalReference
from tthc.foundation.words import Words, words

if TYPE_CHECKING:
    from tthc.deadlines.batch import TIMELINESS_CODES, UNIT_CODES, classify_many, compute_due_many

_BATCH_NAMES = frozenset({"TIMELINESS_CODES", "UNIT_CODES", "classify_many", "compute_due_many"})


def __getattr__(name: str) -> object:
    # the re-exported batch names, loaded on first use (PEP 562): importing numpy costs more than a scalar call needs
    if name in _BATCH_NAMES:
        from tthc.deadlines import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # the lazily loaded names too, as dir() of a package shows its lazy names (lazy_loader)
    return sorted({*globals(), *_BATCH_NAMES})


__all__ = [
    "TIMELINESS_CODES",
    "UNIT_CODES",
    "VN_TZ",
    "ClassifiedFinish",
    "CountingRules",
    "DueDate",
    "DueInstant",
    "MonthEnd",
    "Timeliness",
    "UnknownUnitPolicy",
    "classify",
    "classify_detail",
    "classify_many",
    "compute_due",
    "compute_due_many",
    "counting_references",
    "to_local",
]

# -- the result ---------------------------------------------------------------------------------------------------


_Step = tuple[object, ...]
"""One trace line as ``(kind, *args)``, worded only when read, in the language asked (keeps compute_due cheap)."""


def _format_step(cal: WorkingCalendar, step: _Step, lang: Lang) -> str:
    formatter: Callable[..., str] = _FORMATTERS[str(step[0])]
    return formatter(cal, lang, *step[1:])


def _d(d: date, lang: Lang) -> str:
    return format_day(d, lang)


def _dt(at: datetime, lang: Lang) -> str:
    return format_instant(at, lang)


# why a receipt counts from a later instant (step "received"), and the notes of the count and due steps: marked
# here, translated when the trace is read
_OUTSIDE_SESSIONS = N_("outside the office sessions")
_NOT_WORKING = N_("not a working day")
_AFTER_HOURS = N_("after office hours")
_DAY_NOTE = (
    N_("receipt day not counted, BLDS 2015 Điều 147.2"),
    N_("receipt day counted as day 1 (CountingRules option)"),
)
_HOURS_NOTE = N_("inside office sessions, from the effective receipt instant")
_IN_SESSION = N_("inside office sessions")
_END_OF_DAY = N_("end of day, BLDS 2015 Điều 148.1")
_END_OF_HOURS = N_("end of office hours, BLDS 2015 Điều 148.1")


def _fmt_received(
    cal: WorkingCalendar, lang: Lang, local: datetime, how: str, eff: datetime | None, why: object
) -> str:
    day = local.date()
    if isinstance(why, tuple):
        cut, channel, ref = why
        if channel is Channel.ONLINE:
            why = gettext("at/after the {cutoff} cut-off ({ref}) — the online cut-off is [open]", lang)
        else:
            why = gettext("at/after the {cutoff} cut-off ({ref})", lang)
        why = why.format(cutoff=format_time(cut), ref=cite(ref, lang))
    else:
        why = gettext(str(why), lang)
    try:
        kind = cal.describe_day(day, lang=lang)
    except Exception:  # outside the range: say what we can
        kind = gettext("a day outside the compiled calendar", lang)
    when = _dt(local, lang)
    if how == "counted":
        return gettext("received {when} — {kind}, counted", lang).format(when=when, kind=kind)
    if how == "saturday":
        return gettext(
            "received {when} — {kind}; Saturday reception: Saturday is the receipt day ({why})", lang
        ).format(when=when, kind=kind, why=why)
    assert eff is not None
    return gettext("received {when} — {kind}; {why}: counts as received {effective}", lang).format(
        when=when, kind=kind, why=why, effective=_dt(eff, lang)
    )


def _fmt_skips(cal: WorkingCalendar, lang: Lang, start: date, end: date, make_up: bool = True) -> str:
    if end <= start:
        return ""
    runs: list[list[object]] = []  # [first, last, reason], consecutive days with one reason grouped
    for d, reason in cal.days_off(start + timedelta(days=1), end, lang=lang):
        if runs and runs[-1][2] == reason and runs[-1][1] == d - timedelta(days=1):
            runs[-1][1] = d
        else:
            runs.append([d, d, reason])
    one, many = gettext("{day} {reason}", lang), gettext("{first} – {last} {reason}", lang)
    skipped = [
        one.format(day=_d(a, lang), reason=reason)  # type: ignore[arg-type]
        if b == a
        else many.format(first=_d(a, lang), last=_d(b, lang), reason=reason)  # type: ignore[arg-type]
        for a, b, reason in runs
    ]
    made = [_d(d, lang) for d in cal.make_up_days(start + timedelta(days=1), end)] if make_up else []
    out = ""
    if skipped:
        out += "; " + gettext("skipped: {days}", lang).format(days="; ".join(skipped))
    if made:
        out += "; " + gettext("counted make-up working day(s): {days}", lang).format(days=", ".join(made))
    return out


def _fmt_count(
    cal: WorkingCalendar,
    lang: Lang,
    what: EffectiveTime,
    start: date,
    end: date,
    note: str,
    moved_from: date | None = None,
) -> str:
    """``moved_from``: for calendar days and months, the last day of the period before the roll — only the days
    off from there to the due day moved the due date, so only they are named (None: working units, where every day
    off and make-up day in the period counts). A count of hours starts at the receipt instant, on ``start`` ("from"),
    a count of days after the day ``start`` ("after"): each has its own template (Vietnamese "kể từ" / "kể từ
    sau")."""
    template = _HOURS_COUNT if note == _HOURS_NOTE else _DAYS_COUNT
    note = gettext(note, lang)
    if moved_from is None:
        skips = _fmt_skips(cal, lang, start, end)
    elif moved_from < end:
        skips = _fmt_skips(cal, lang, moved_from - timedelta(days=1), end - timedelta(days=1), make_up=False)
        note = gettext("{note}; last day {day} is not a working day, moved (BLDS 2015 Điều 148.5)", lang).format(
            note=note, day=_d(moved_from, lang)
        )
    else:
        skips = ""
    return (
        gettext(template, lang).format(time=what.text(lang), start=_d(start, lang), note=note, end=_d(end, lang))
        + skips
    )


_DAYS_COUNT = N_("{time} after {start} ({note}) → {end}")
_HOURS_COUNT = N_("{time} from {start} ({note}) → {end}")


def _fmt_text(cal: WorkingCalendar, lang: Lang, text: str) -> str:
    return text


def _fmt_published(cal: WorkingCalendar, lang: Lang, published: PublishedTime, code: str) -> str:
    return published.describe(code, lang)


def _fmt_reduction(cal: WorkingCalendar, lang: Lang, note: ReductionNote) -> str:
    return format_reduction_note(note, lang)


def _fmt_no_due(cal: WorkingCalendar, lang: Lang, pt: ProcessingTime) -> str:
    return _no_due_words(pt).text(lang)


def _no_due_words(pt: ProcessingTime) -> Words:
    """Why ``pt`` gives no due date (:attr:`DueDate.reason_words`; its English text is :attr:`DueDate.reason`)."""
    if pt.unit is TimeUnit.UNSPECIFIED:
        return words(N_("processing time not specified (không quy định): no due date"))
    return words(N_("processing time {amount} has no unit: no due date"), amount=pt.amount)


def _fmt_as_hours(cal: WorkingCalendar, lang: Lang, effective: EffectiveTime, hours: object, per_day: int) -> str:
    return gettext("{time} counted as {hours} working hours (1 day = {per_day} h)", lang).format(
        time=effective.text(lang), hours=hours, per_day=per_day
    )


def _fmt_within_day(cal: WorkingCalendar, lang: Lang, due_day: date) -> str:
    return gettext("within the day → {day}", lang).format(day=_d(due_day, lang))


def _fmt_rounded(cal: WorkingCalendar, lang: Lang, due_at: datetime, rounded: datetime) -> str:
    return gettext("{before} rounded up to {after} (profile convention)", lang).format(
        before=f"{due_at:%H:%M:%S}", after=format_time(rounded.time())
    )


def _fmt_due(cal: WorkingCalendar, lang: Lang, due: datetime, note: str, dated: bool = False) -> str:
    source = cal.dated_hours.source_text(due.date(), lang) if dated else None  # which dated hours set the due instant
    note = gettext(note, lang)
    if source:
        note = gettext("{note}; office hours: {source}", lang).format(note=note, source=source)
    return gettext("due {when} ({note})", lang).format(when=_dt(due, lang), note=note)


def _fmt_projected(cal: WorkingCalendar, lang: Lang, year: int) -> str:
    return gettext(
        "{year}: public-sector schedule not announced — projected from statutory holidays (no swaps); "
        "the due date may move when the schedule is announced",
        lang,
    ).format(year=year)


def _fmt_postal(cal: WorkingCalendar, lang: Lang, era: int) -> str:
    ref = counting_rule("postal_handover", _era_day(era)).reference
    return gettext(
        "postal dossier: the agency clock starts at the handover record (biên bản giao nhận; {ref})", lang
    ).format(ref=cite(ref, lang))


@cache
def _default_calendar() -> WorkingCalendar:
    return public_sector_calendar()


_FORMATTERS: dict[str, Callable[..., str]] = {
    "received": _fmt_received,
    "count": _fmt_count,
    "text": _fmt_text,
    "published": _fmt_published,
    "reduction": _fmt_reduction,
    "no_due": _fmt_no_due,
    "as_hours": _fmt_as_hours,
    "within_day": _fmt_within_day,
    "rounded": _fmt_rounded,
    "due": _fmt_due,
    "projected": _fmt_projected,
    "postal": _fmt_postal,
}


_Known = tuple[_Facts, "tuple[_Step, ...] | Channel", WorkingCalendar]
"""The facts, the trace and the calendar of a :class:`DueDate`; until its trace is first read, a due date answered
straight through holds its channel in the trace's place (see :mod:`tthc.deadlines.straight`)."""


@attrs.frozen(slots=True, repr=False, eq=False)
class DueDate:
    """A due date with its explanation.

    Attributes:
        due_at: the due instant (aware, Asia/Ho_Chi_Minh); None when there is none (``reason`` says why).
        received_at: the receipt instant as given, in Vietnam time.
        effective_received_at: the instant counting is anchored on after the cut-off / office-hours rules.
        counted_from: the receipt day the count starts after (itself not counted, BLDS 2015 Điều 147.2).
        processing_time: the published time; ``effective_time`` the time after reductions.
        projected: the due date lies in a year whose public-sector schedule is not announced.
        reason: why there is no due date, in English (None when there is one); ``reason_words`` and the trace word
            it in each language.
        rules_applied: the references of the rules used.
        calendar: the calendar used (for traces and follow-up questions).

    Equal and hashed by the due instant and the facts above, never by the calendar or the trace. The usual call
    (see :func:`compute_due`) computes the due instant and the facts straight through; its trace is the general
    path's, computed when first read.
    """

    due_at: datetime | None
    # the rest of the answer — the facts, the trace and the calendar — in one slot, read through the properties
    # below: a frozen class sets each field with a call of its own, and eleven of them cost more than the rest of a
    # scalar compute_due (see _Known)
    _known: _Known

    @property
    def calendar(self) -> WorkingCalendar:
        """The calendar used (for traces and follow-up questions)."""
        return self._known[2]

    @property
    def _facts(self) -> _Facts:
        return self._known[0]

    def _trace(self) -> tuple[_Step, ...]:
        facts, trace, cal = self._known
        if trace.__class__ is not tuple:  # answered straight through: the general path's trace, computed once
            full = _compute(facts[0], facts[3], trace, cal, None, (), None, None, None, None)  # type: ignore[arg-type]
            if full.due_at != self.due_at or full._facts != facts:
                # a bug of ours, never the caller's input: not a TthcError (a caller's ``except TthcError`` must not
                # take it for a bad value), and raised even under ``python -O`` (no ``assert``) — a trace that
                # explains another answer than the one given would be worse than none. The CLI and the service
                # show it as one "internal error" line.
                raise AssertionError(
                    f"tthc bug: compute_due's straight path and general path disagree for {facts[0]!r} + {facts[3]}:"
                    f" {self.due_at} vs {full.due_at} — please report"
                )
            trace = full._known[1]
            object.__setattr__(self, "_known", (facts, trace, cal))  # one slot: a reader sees the channel or all
        return trace  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not DueDate:
            return NotImplemented
        assert isinstance(other, DueDate)
        return self.due_at == other.due_at and self._known[0] == other._known[0]

    def __hash__(self) -> int:
        return hash((self.due_at, self._known[0]))

    @property
    def received_at(self) -> datetime:
        """The receipt instant as given, in Vietnam time (aware)."""
        return self._facts[0].replace(tzinfo=VN_TZ)

    @property
    def effective_received_at(self) -> datetime | None:
        """The instant the count is anchored on (aware), None when there is no due date."""
        local = self._facts[1]
        return None if local is None else local.replace(tzinfo=VN_TZ)

    @property
    def counted_from(self) -> date | None:
        """The receipt day the count starts after (itself not counted, BLDS 2015 Điều 147.2)."""
        return self._facts[2]

    @property
    def processing_time(self) -> ProcessingTime:
        """The published processing time."""
        return self._facts[3]

    @property
    def effective_time(self) -> EffectiveTime:
        """The processing time after reductions."""
        return self._facts[4]

    @property
    def projected(self) -> bool:
        """The due date lies in a year whose public-sector schedule is not announced."""
        return self._facts[5]

    @property
    def reason(self) -> str | None:
        """Why there is no due date, in English (None when there is one); :attr:`reason_words` words it."""
        return self._known[0][6]

    @property
    def reason_words(self) -> Words | None:
        """Why there is no due date, worded in each language (``text("vi")``; ``str()`` is :attr:`reason`), None
        when there is one."""
        return None if self._known[0][6] is None else _no_due_words(self.processing_time)

    @property
    def rules_applied(self) -> tuple[LegalReference, ...]:
        """The references of the rules used."""
        return self._facts[7]

    @property
    def due_date(self) -> date | None:
        return None if self.due_at is None else self.due_at.date()

    @property
    def steps(self) -> tuple[str, ...]:
        """The human-readable trace, one line per step, in the default language (``TTHC_LANG``, else Vietnamese);
        :meth:`steps_in` words it in a given language."""
        return self.steps_in()

    def steps_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The trace in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese), one line per step.

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        return tuple(_format_step(self.calendar, s, code) for s in self._trace())

    def explain(self, lang: str | None = None) -> str:
        """The trace as text, one line per step, in ``lang`` (see :meth:`steps_in`)."""
        return "\n".join(self.steps_in(lang))

    def __repr__(self) -> str:
        due = "no due date" if self.due_at is None else self.due_at.isoformat(timespec="minutes")
        proj = " projected" if self.projected else ""
        return f"<due {due}{proj} for {self.effective_time} received {self.received_at.isoformat(timespec='minutes')}>"


# DueDate built without attrs' __init__ on the straight path (a call per field): its two slots set directly
_new_object = object.__new__
_set_due_at, _set_known = DueDate.__dict__["due_at"].__set__, DueDate.__dict__["_known"].__set__


# -- computing ----------------------------------------------------------------------------------------------------


def _add_months(d: date, n: int, month_end: MonthEnd) -> date:
    m0 = d.month - 1 + n
    y, m = d.year + m0 // 12, m0 % 12 + 1
    last = (date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)).day
    if d.day <= last:
        return d.replace(year=y, month=m, day=d.day)
    if month_end is MonthEnd.CLAMP:
        return d.replace(year=y, month=m, day=last)
    return date(y, m, last) + timedelta(days=1)


# the members compute_due compares against, bound once: an enum member read through its class costs ~0.1 µs, and
# the scalar path reads a dozen of them per call
_ONLINE, _POSTAL = Channel.ONLINE, Channel.POSTAL
_WORKING_DAYS, _CALENDAR_DAYS, _MONTHS = TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS, TimeUnit.MONTHS
_WORKING_HOURS, _WITHIN_DAY = TimeUnit.WORKING_HOURS, TimeUnit.WITHIN_DAY
_UNSPECIFIED, _UNKNOWN_UNIT = TimeUnit.UNSPECIFIED, TimeUnit.UNKNOWN_UNIT


def compute_due(
    received_at: datetime | date | str,
    processing_time: ProcessingTime | str | None = None,
    *,
    channel: Channel | str = Channel.DIRECT,
    calendar: WorkingCalendar | None = None,
    rules: CountingRules | None = None,
    reductions: ReductionSet | Sequence[Reduction] = (),
    procedure: ProcedureFacts | None = None,
    online_level: OnlineLevel | None = None,
    postal: PostalService | None = None,
    profile: PortalProfile | str | None = None,
) -> DueDate:
    """The due instant of a dossier, with its trace.

    Args:
        received_at: the receipt instant (naive = Vietnam time; aware converted; ISO text accepted). For a postal
            dossier pass the handover record instant (biên bản giao nhận, QĐ 45/2016 Điều 7.4), not the pickup.
        processing_time: a :class:`ProcessingTime` or its portal text (``"5 ngày làm việc"``); ``None`` takes the
            time ``procedure`` publishes for ``channel`` (its first row stating one; the trace says which row) and,
            unless ``online_level`` is given, that row's online level.
        channel: direct (default), online or postal; selects the cut-off, the published row and the reductions.
        calendar: the working calendar (default :func:`public_sector_calendar`).
        rules: counting rules (default: :class:`CountingRules` with the cut-off of the ``receipt_cutoff`` version in
            force on the receipt date).
        reductions: priority reduction rules; those covering the dossier apply (see :mod:`tthc.deadlines.reductions`).
        procedure, online_level, postal: the procedure (its published times; the reductions' scope) and what the
            reductions' channel condition looks at.
        profile: a portal convention profile (:mod:`tthc.deadlines.profiles`) applied on top of ``rules``.

    Raises:
        InvalidValueError: a bad receipt instant, processing time, channel or profile; no processing time given and
            none published for the channel; a time with no unit under the default ``UnknownUnitPolicy.RAISE``.
        CalendarRangeError: the receipt or due date lies outside the compiled calendar.
    """
    cal = calendar if calendar is not None else _default_calendar()
    if (
        rules is None
        and profile is None
        and procedure is None
        and not reductions
        and received_at.__class__ is datetime
        and received_at.tzinfo is None
        and channel.__class__ is Channel
        and cal.__class__ is WorkingCalendar
    ):  # the usual call: its answer straight through when it can, its trace on first read (tthc.deadlines.straight)
        pt = processing_time  # a value: one class check; a text: parsed once (cached)
        if pt.__class__ is not ProcessingTime:
            pt = _parse_text(pt)[0] if pt.__class__ is str else None
        if pt is not None:
            got = _straight(received_at, pt, channel, cal)
            if got is not None:
                due = _new_object(DueDate)  # built without attrs' __init__ (a call per field): the slots set directly
                _set_due_at(due, got[0])
                _set_known(due, (got[1], channel, cal))
                return due
    return _compute(
        received_at, processing_time, channel, cal, rules, reductions, procedure, online_level, postal, profile
    )


def _compute(
    received_at: datetime | date | str,
    processing_time: ProcessingTime | str | None,
    channel: Channel | str,
    cal: WorkingCalendar,
    rules: CountingRules | None,
    reductions: ReductionSet | Sequence[Reduction],
    procedure: ProcedureFacts | None,
    online_level: OnlineLevel | None,
    postal: PostalService | None,
    profile: PortalProfile | str | None,
    rules_on: date | None = None,
) -> DueDate:
    """The general path of :func:`compute_due` (its arguments; the calendar resolved): every rule, every step.

    ``rules_on``: the day whose versions of the counting conventions apply (the default rules, and the references
    the trace cites and ``rules_applied`` lists), when it is not the receipt day — the restart after a supplement
    counts from the complete dossier under the rules in force on the first receipt (see
    :func:`~tthc.deadlines.supplements.due_after_supplement`)."""
    if cal.__class__ is not WorkingCalendar:
        expect(cal, WorkingCalendar, "calendar", "a tthc.WorkingCalendar (e.g. tthc.public_sector_calendar())")
    if rules is not None and rules.__class__ is not CountingRules:
        expect(rules, CountingRules, "rules", "a tthc.CountingRules")
    if procedure is not None and not callable(getattr(procedure, "options", None)):
        raise InvalidValueError("procedure", N_("a tthc.Procedure"), type(procedure).__name__)
    if channel.__class__ is not Channel:
        channel = Channel.parse(channel)
    if received_at.__class__ is datetime and received_at.tzinfo is None:
        local: datetime = received_at
    else:
        local = to_local(received_at)
    day = local.date()
    era = _era(day if rules_on is None else rules_on)
    if rules is None and profile is None:  # the usual call: what the era and channel decide, looked up once
        context = cal._memo.get((_CONTEXT, era, channel._value_))
        if context is None:
            context = cal._memo[_CONTEXT, era, channel._value_] = _context(cal, _rules_of_era(era), era, channel)
    else:
        if rules is None:
            rules = _rules_of_era(era)
        if profile is not None and profile != STATUTORY:
            rules = portal_profile(profile).apply(rules)
        context = _context(cal, rules, era, channel)
    rules, dated, plan, refs = context
    published: PublishedTime | None = None
    if processing_time is None:
        if procedure is None:
            raise InvalidValueError(
                "processing_time", N_("a processing time, or procedure= to take the published one"), None
            )
        published = published_time(procedure, channel)
        processing_time = published.processing_time
        if online_level is None:  # the reductions' condition reads the level the row publishes
            online_level = published.online_level
    plain: EffectiveTime | None = None  # the time without reductions, when known already
    if processing_time.__class__ is not ProcessingTime:
        if isinstance(processing_time, str):
            processing_time, plain = _parse_text(processing_time)
        elif not isinstance(processing_time, ProcessingTime):
            raise InvalidValueError(
                "processing_time", N_("a ProcessingTime or text such as '5 ngày làm việc'"), processing_time
            )
    if (processing_time.amount or 0) > cal._n // 28 and processing_time.min_days() > cal._n:
        # no receipt date can bring such a time inside the calendar (and counting it would overflow a date)
        raise CalendarRangeError(
            words(
                N_("processing_time: expected a time that fits the compiled range {first}..{last}, got {given}"),
                first=cal.first,
                last=cal.last,
                given=str(processing_time),
            )
        )
    unit = processing_time.unit
    if unit is _UNSPECIFIED:
        return _no_due(local, processing_time, cal)
    if unit is _UNKNOWN_UNIT:
        if rules.unknown_unit is UnknownUnitPolicy.RAISE:
            raise InvalidValueError(
                "processing_time",
                N_("a time with a unit (ngày làm việc, ngày, giờ, tháng, trong ngày)"),
                processing_time.text or processing_time.amount,
                detail=N_(
                    "a bare number: the unit is not stated; pass CountingRules(unknown_unit='no_due_date') to "
                    "get no due date instead"
                ),
            )
        return _no_due(local, processing_time, cal)

    # 1. effective receipt (the calendar tables are read inline: this is the hot path of every slip)
    s = local.hour * 3600 + local.minute * 60 + local.second
    o0, cum, pos = cal._o0, cal._cum, cal._pos
    i = day.toordinal() - o0
    if not 0 <= i < cal._n:
        cal.is_working_day(day)  # raises CalendarRangeError naming the range
    working = cal._bits[i] == 1
    if dated:
        plan = _plan(rules, cal.office_hours_on(day))
    steps: list[_Step] = []
    if published is not None:
        assert procedure is not None
        steps.append(("published", published, str(procedure.code)))
    if channel is _POSTAL:
        steps.append(("postal", era))
    hours_day: date
    if working and s < (plan.cut_online if channel is _ONLINE else plan.cut_direct):
        receipt_day = hours_day = day
        start_s = plan.next_session_start(s)
        eff = local if start_s == s else datetime.combine(day, _time_of(start_s))
        if start_s == s:
            steps.append(("received", local, "counted", None, ""))
        else:
            steps.append(("received", local, "moved", eff, _OUTSIDE_SESSIONS))
    else:
        k = cum[i]
        nxt = date.fromordinal(pos[k] + o0) if k < len(pos) else cal.add_working_days(day, 1)
        opens = _plan(rules, cal.office_hours_on(nxt)) if dated else plan
        eff = datetime.combine(nxt, opens.opening_time)
        hours_day, start_s = nxt, opens.opening
        if (
            rules.saturday_receipt_counts
            and day.weekday() == 5
            and not working
            and any(a <= s < b for a, b in plan.saturday)
        ):
            receipt_day = day
            steps.append(("received", local, "saturday", eff, "CountingRules.saturday_receipt_counts [open]"))
        else:
            receipt_day = nxt
            if not working:
                why: object = _NOT_WORKING
            elif s >= plan.closing:
                why = _AFTER_HOURS
            else:
                why = (rules.cutoff_for(channel), channel, refs[0])  # formatted lazily: strftime is slow
            steps.append(("received", local, "moved", eff, why))

    # 2. reductions
    if reductions:
        outcome = apply_reductions(
            processing_time, reductions, channel=channel, on=day, procedure=procedure,
            code=str(procedure.code) if procedure is not None else None, online_level=online_level, postal=postal,
        )  # fmt: skip
        effective = outcome.effective
        steps.extend(("reduction", note) for note in outcome.notes)
        applied_refs: tuple[LegalReference, ...] = outcome.references
    else:
        if plain is not None:
            effective = plain
        else:  # one EffectiveTime per distinct time: building one per call costs more than looking it up
            given = processing_time.amount
            effective = _EFFECTIVE.get((unit._value_, given.__class__, given)) or _remember_effective(processing_time)
        applied_refs = ()
    if rules.day_as_working_hours is not None and unit is _WORKING_DAYS:
        # a portal convention (profiles): the days become hours counted from the effective receipt instant
        hours = effective.amount * rules.day_as_working_hours if effective.amount is not None else None
        steps.append(("as_hours", effective, hours, rules.day_as_working_hours))
        unit = _WORKING_HOURS
        effective = attrs.evolve(effective, unit=unit, amount=hours)
    amount = effective.amount
    assert amount is not None or unit is _WITHIN_DAY

    # 3. count; a due instant inside the sessions (hours, half a day) sets ``due_time``, else the due day's close
    due_time: time | None = None
    shift = 1 if rules.receipt_day_counted else 0
    if unit is _WORKING_DAYS:
        assert amount is not None
        whole = amount if amount.__class__ is int else math.floor(amount)
        if amount.__class__ is int and amount > shift:
            k = cum[receipt_day.toordinal() - o0] + amount - shift - 1
            due_day = date.fromordinal(pos[k] + o0) if k < len(pos) else cal.add_working_days(receipt_day, amount)
        elif amount == whole:
            n = max(int(whole) - shift, 0)
            due_day = cal.add_working_days(receipt_day, n) if n else cal.roll_forward(receipt_day)
        else:  # a half day (a reduction's rounding): that part of the due day's office time
            n = max(int(whole) + 1 - shift, 0)
            due_day = cal.add_working_days(receipt_day, n) if n else cal.roll_forward(receipt_day)
            part = _plan(rules, cal.office_hours_on(due_day)) if dated else plan
            due_time = _time_of(part.instant_at(int((amount - whole) * part.per_day)))
        steps.append(("count", effective, receipt_day, due_day, _DAY_NOTE[shift]))
    elif unit is _CALENDAR_DAYS or unit is _MONTHS:
        assert amount is not None
        n = int(amount)
        if unit is _CALENDAR_DAYS:
            last = receipt_day + timedelta(days=max(n - shift, 0))
        else:
            last = _add_months(receipt_day, n, rules.month_end)
        cal.is_working_day(last)  # range check
        due_day = cal.roll_forward(last) if rules.roll_to_working_day else last
        steps.append(("count", effective, receipt_day, due_day, _DAY_NOTE[shift], last))
    elif unit is _WITHIN_DAY:
        due_day = cal.roll_forward(receipt_day)
        steps.append(("within_day", due_day))
    else:  # WORKING_HOURS
        assert amount is not None
        secs = int(amount * 3600)
        if dated:  # through each day's own sessions
            moved = cal.add_working_time(eff, timedelta(seconds=secs))
            due_day, due_time = moved.date(), moved.time()
        elif secs == 0:
            due_day, due_time = hours_day, _time_of(start_s)
        else:
            total = plan.worked_before(start_s) + secs
            k, rem = divmod(total, plan.per_day)
            if rem == 0:
                k, rem = k - 1, plan.per_day
            if k:  # the k-th working day after hours_day, read inline like the working-days count
                j = cum[hours_day.toordinal() - o0] + k - 1
                due_day = date.fromordinal(pos[j] + o0) if j < len(pos) else cal.add_working_days(hours_day, k)
            else:
                due_day = hours_day
            due_time = _time_of(plan.instant_at(rem))
        steps.append(("count", effective, hours_day, due_day, _HOURS_NOTE))

    in_session = due_time is not None
    if due_time is None:
        due_time = (_plan(rules, cal.office_hours_on(due_day)) if dated else plan).due_time
    due_at = datetime.combine(due_day, due_time, VN_TZ)  # positional: the tzinfo= keyword costs ~0.2 µs
    if rules.round_due_up_minutes is not None:
        rounded = rules.round_up(due_at)
        if rounded != due_at:
            steps.append(("rounded", due_at, rounded))
            due_at, due_day, in_session = rounded, rounded.date(), True
    if in_session:
        due_note = _IN_SESSION
    elif rules.due_instant is DueInstant.END_OF_DAY:
        due_note = _END_OF_DAY
    else:
        due_note = _END_OF_HOURS
    steps.append(("due", due_at, due_note, dated))
    last_year = cal.last_announced_year
    projected = last_year is None or due_day.year > last_year
    if projected:
        steps.append(("projected", due_day.year))
    facts = (local, eff, receipt_day, processing_time, effective, projected, None, refs + applied_refs)
    return DueDate(due_at, (facts, tuple(steps), cal))


_EFFECTIVE: dict[tuple[str, type, object], EffectiveTime] = {}
_MEMO_SIZE = 1024  # effective times kept before the memo starts again


def _remember_effective(pt: ProcessingTime) -> EffectiveTime:
    if len(_EFFECTIVE) >= _MEMO_SIZE:
        _EFFECTIVE.clear()
    # the amount's type is part of the key: 5 and Fraction(5) are equal keys but print differently
    effective = _EFFECTIVE[(pt.unit._value_, pt.amount.__class__, pt.amount)] = EffectiveTime.of(pt)
    return effective


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> tuple[ProcessingTime, EffectiveTime]:
    """A processing-time text parsed once (:meth:`ProcessingTime.parse`, itself cached) with its time before
    reductions: both immutable, so a text seen again costs one cache look-up instead of a parse look-up and an
    ``EffectiveTime`` built per call. A text that does not parse raises every time (errors are not cached)."""
    pt = ProcessingTime.parse(text)
    return pt, EffectiveTime.of(pt)


def _no_due(local: datetime, pt: ProcessingTime, cal: WorkingCalendar) -> DueDate:
    reason = str(_no_due_words(pt))  # English, for programs and JSON; reason_words words it
    return DueDate(None, ((local, None, None, pt, EffectiveTime.of(pt), False, reason, ()), (("no_due", pt),), cal))
