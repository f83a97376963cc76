"""What validation runs with: the options (:class:`ValidationOptions`) and the per-run caches built from the catalog
(:class:`ValidationContext`), shared by the check steps and :func:`tthc.validation.validate_chunk`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np
import numpy.typing as npt

from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import InvalidValueError
from tthc.foundation.channels import PostalService
from tthc.foundation.i18n import Lang, resolve_lang
from tthc.records.columns import CHANNELS
from tthc.validation.rules import RecordRules

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar
    from tthc.deadlines.counting import CountingRules
    from tthc.deadlines.reductions import Reduction, ReductionSet
    from tthc.postal.eligibility import EligibilityReason

__all__ = ["ValidationContext", "ValidationOptions"]


DueComparison = Literal["date", "instant", "off"]


@attrs.frozen(slots=True)
class ValidationOptions:
    """How :func:`validate_chunk` checks rows.

    Attributes:
        calendar: the working calendar (default: :func:`tthc.calendar.working_calendar.public_sector_calendar`).
        due_check: ``"date"`` (default) — the recorded due date must fall on the recomputed day; ``"instant"`` —
            also the same time; ``"off"`` — no recomputation.
        deadline_rules: counting rules handed to the deadline engine (cut-off, office hours); ``None`` = its default.
        reductions: priority reductions applied when recomputing due dates (:mod:`tthc.deadlines.reductions`);
            none by default.
        as_of: judge open dossiers at this instant (QĐ 766: at the period end). ``None``: open dossiers are not
            judged (timeliness ``UNKNOWN``).
        honour_extension: a single, timely extension moves the due date to ``extended_due_at`` in both readings
            (NĐ 61/2018 Điều 19.9). [open] for the QĐ 766 reading; switch off to judge against the first due date.
        postal_eligibility: check postal rows with :func:`tthc.postal.check_postal_eligibility`.
        rules: the legal numbers (:class:`RecordRules`).
        profile: a portal convention profile (``"opencps"``, :mod:`tthc.deadlines.profiles`): due dates are
            recomputed the way that system counts, so that its convention is not reported as E_DUE_MISMATCH;
            ``None`` (default) is the law as read. Folded into ``deadline_rules`` when the options are made.
        lang: the language of the findings' messages (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese),
            resolved once when the options are made (a run writes one language; codes and fields stay English).

    Raises:
        InvalidValueError: a language other than Vietnamese or English; an ``as_of`` that is not an instant within
            years 1..9999 in Vietnam time (checked once here, not on every row).
    """

    calendar: WorkingCalendar | None = None
    due_check: DueComparison = "date"
    deadline_rules: CountingRules | None = None
    reductions: ReductionSet | Sequence[Reduction] = ()
    as_of: datetime | None = None
    honour_extension: bool = True
    postal_eligibility: bool = True
    rules: RecordRules = attrs.field(factory=RecordRules.default)
    profile: str | None = None
    lang: Lang | str | None = None

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "lang", resolve_lang(self.lang))  # frozen: resolved once, as it is made
        if self.as_of is not None:
            from tthc.foundation.datetimes import parse_local_datetime

            # the run reads it in Vietnam time on every chunk: a value that cannot be read so is the caller's one
            # bad option, refused here, never a failed check on every row
            try:
                parse_local_datetime(self.as_of, "as_of")
            except InvalidValueError as exc:  # given as the instant is written, not as Python's repr of it
                given = self.as_of.isoformat() if isinstance(self.as_of, datetime) else self.as_of
                raise InvalidValueError("as_of", exc.expected_words, given, detail=exc.detail_words) from None
        if self.profile is not None:
            from tthc.deadlines.counting import CountingRules
            from tthc.deadlines.profiles import portal_profile

            rules = portal_profile(self.profile).apply(self.deadline_rules or CountingRules())
            object.__setattr__(self, "deadline_rules", rules)  # frozen: set once, as it is made


# ------------------------------------------------------------------------------------------------------ context


@attrs.frozen(slots=True)
class _ProcInfo:
    procedure: Procedure | None
    offers: tuple[bool, bool, bool]  # direct, online, postal
    times: tuple[tuple[ProcessingTime, ...], ...]  # per channel: the published processing times


@attrs.define
class ValidationContext:
    """What a run looks up over and over, computed once: catalog entries per code, eligibility verdicts.

    Building one is optional (``validate_chunk`` makes a fresh one); reusing it across the chunks of a file saves
    the look-ups. It holds caches only — results never depend on what it has seen before.
    """

    catalog: Catalog
    options: ValidationOptions
    calendar: WorkingCalendar
    _procs: dict[str, _ProcInfo] = attrs.field(factory=dict)
    _eligible: dict[tuple[str, str, int, str], tuple[bool | None, tuple[EligibilityReason, ...]]] = attrs.field(
        factory=dict
    )
    _bounds: npt.NDArray[np.datetime64] | None = None

    @classmethod
    def build(cls, catalog: Catalog, options: ValidationOptions | None = None) -> ValidationContext:
        opts = options or ValidationOptions()
        cal = opts.calendar
        if cal is None:
            from tthc.calendar.working_calendar import public_sector_calendar

            cal = public_sector_calendar()
        return cls(catalog, opts, cal)

    def proc(self, code: str | None) -> _ProcInfo:
        key = code or ""
        hit = self._procs.get(key)
        if hit is None:
            p = self.catalog.get(key) if key else None
            if p is None:
                hit = _ProcInfo(None, (False, False, False), ((), (), ()))
            else:
                times = tuple(
                    tuple(o.processing_time for o in p.options(ch) if o.processing_time is not None) for ch in CHANNELS
                )
                hit = _ProcInfo(p, (p.offers(CHANNELS[0]), p.offers(CHANNELS[1]), p.offers(CHANNELS[2])), times)
            self._procs[key] = hit
        return hit

    def eligibility_boundaries(self) -> npt.NDArray[np.datetime64]:
        """Days on which some postal rule may change (list or procedure validity bounds), sorted.

        Between two boundaries every eligibility verdict is the same, so one verdict per stretch is enough.
        """
        if self._bounds is None:
            days: set[date] = set()
            for p in self.catalog:
                days.update(d for d in (p.valid_from, p.valid_until) if d is not None)
                if p.valid_until is not None:
                    days.add(date.fromordinal(p.valid_until.toordinal() + 1))
            try:
                from tthc.postal.eligibility import AgencyLists

                for lst in AgencyLists.bundled().lists:
                    if lst.valid_from is not None:
                        days.add(lst.valid_from)
                    if lst.valid_until is not None:
                        days.add(date.fromordinal(lst.valid_until.toordinal() + 1))
                from tthc.postal import eligibility as postal

                period = postal._rules().eligibility_period
                for d in (period.start, period.end):
                    if d is not None:
                        days.update((d, date.fromordinal(d.toordinal() + 1)))
            except (ImportError, AttributeError):  # pragma: no cover - then every day is its own stretch
                return np.zeros(0, dtype="datetime64[D]")
            self._bounds = np.array(sorted(days), dtype="datetime64[D]")
        return self._bounds

    @property
    def lang(self) -> Lang:
        """The language of the run's messages (resolved from the options)."""
        return resolve_lang(self.options.lang)

    def eligibility(
        self, procedure: Procedure, service: PostalService, on: date, agency: str | None
    ) -> tuple[bool | None, tuple[EligibilityReason, ...]]:
        """The verdict on ``on`` and its reasons (word them with ``text(lang, day=...)``: the verdict holds for the
        whole stretch of days :meth:`eligibility_boundaries` puts ``on`` in, each row names its own day)."""
        return self.stretch_eligibility(procedure, service, self.stretch_of(on), agency, lambda: on)

    def stretch_of(self, on: date) -> int:
        """Which stretch of days of :meth:`eligibility_boundaries` ``on`` lies in (with no boundaries known, every
        day is its own stretch: its ordinal)."""
        bounds = self.eligibility_boundaries()
        return int(np.searchsorted(bounds, np.datetime64(on, "D"), side="right")) if len(bounds) else on.toordinal()

    def stretch_eligibility(
        self, procedure: Procedure, service: PostalService, stretch: int, agency: str | None, on: Callable[[], date]
    ) -> tuple[bool | None, tuple[EligibilityReason, ...]]:
        """:meth:`eligibility` for a day whose stretch (:meth:`stretch_of`) is known; ``on()`` gives the day, asked
        only when the stretch has no verdict yet (one verdict per stretch, met first on whichever of its days)."""
        key = (str(procedure.code), service.value, stretch, agency or "")
        hit = self._eligible.get(key)
        if hit is None:
            day = on()
            try:
                from tthc.postal.eligibility import check_postal_eligibility
            except ImportError:  # pragma: no cover - the postal module ships with the library
                return None, ()
            try:
                verdict = check_postal_eligibility(procedure, service, on=day, agency=agency, lang=self.lang)
            except ValueError:  # an agency code the postal rules cannot read: judge by the general rule
                verdict = check_postal_eligibility(procedure, service, on=day, lang=self.lang)
            hit = (verdict.eligible, verdict.reasons)
            self._eligible[key] = hit
        return hit
