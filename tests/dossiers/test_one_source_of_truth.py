"""One source of truth: dossiers built from generated event histories, turned into record rows and validated in bulk
(tthc.validation.validate_chunk with the sample catalog), give the same due dates, timeliness and findings as the
dossiers themselves."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.calendar.office_hours import load_office_hours
from tthc.calendar.working_calendar import public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.deadlines.supplements import SupplementReading
from tthc.dossiers import (
    FINDING_CODES,
    Dossier,
    DossierEvent,
    Extended,
    Finished,
    Received,
    ResultCollected,
    Stopped,
    SupplementCompleted,
    SupplementRequested,
    Withdrawn,
)
from tthc.foundation.data_files import bundled_path
from tthc.records.model import VN_TZ
from tthc.validation import ValidationOptions, validate_chunk
from tthc.validation.rules import Timeliness

CAT = Catalog.load(bundled_path("sample_catalog.json"))
CAL = public_sector_calendar()
# procedures in force throughout 2024–2026 with working-day and calendar-day times on several channels
CODES = ("2.001417", "1.002809", "1.000893", "1.009972", "2.001610", "1.001822")
AS_OF = datetime(2026, 10, 1, 12, 0, tzinfo=VN_TZ)


@st.composite
def histories(draw: st.DrawFn, n: int) -> tuple[Dossier, datetime]:
    """One dossier with a generated history; instants advance by working hours so that they stay in order."""
    code = draw(st.sampled_from(CODES))
    p = CAT[code]
    via = draw(st.sampled_from([v for v, ch in (("desk", "direct"), ("online", "online"), ("postal", "postal"))
                                if p.offers(ch)]))  # fmt: skip
    day = CAL.roll_forward(draw(st.dates(min_value=date(2024, 1, 2), max_value=date(2026, 6, 1))))
    # around the 15:00 cut-off often: the supplement window and the due date count from the next working day then
    minute = draw(st.one_of(st.integers(7 * 60 + 30, 17 * 60 + 30), st.sampled_from([14 * 60 + 59, 15 * 60])))
    t = datetime.combine(day, time(minute // 60, minute % 60), VN_TZ)
    d = Dossier.start(
        Received(at=t, via=via),
        procedure=p,
        dossier_code=f"000.00.53.H48-{day:%y%m%d}-{n:04d}",
        agency_code="000.00.53.H48",
    )

    def later(hours_max: int, minutes_min: int = 0) -> datetime:
        nonlocal t
        step = timedelta(minutes=draw(st.integers(minutes_min, hours_max * 60)))
        t = CAL.add_working_time(t.replace(tzinfo=None), step).replace(tzinfo=VN_TZ)
        return t

    def extensions() -> list[DossierEvent]:
        # up to two: the first is the lawful one, a second is E_SECOND_EXTENSION and not honoured
        out: list[DossierEvent] = []
        for _ in range(draw(st.integers(0, 2))):
            issued = later(80)
            out.append(Extended(at=issued, new_due_at=issued + timedelta(days=draw(st.integers(-3, 20)))))
        return out

    ext_first = draw(st.booleans())  # extensions before the supplements (judged against the appointment) or after
    events: list[DossierEvent] = extensions() if ext_first else []
    supplements = draw(st.integers(0, 2))
    for _ in range(supplements):
        events.append(SupplementRequested(at=later(40, 1 if events else 0)))
        if draw(st.booleans()) or _ < supplements - 1:
            events.append(SupplementCompleted(at=later(40)))
        else:
            break
    pending = bool(events) and events[-1].kind == "supplement_requested"
    if not ext_first:
        events += extensions()
    end = draw(st.sampled_from(["open", "finished", "finished", "collected", "withdrawn", "stopped"]))
    if end != "open" and not (pending and end in ("finished", "collected")):
        ends: dict[str, type[Finished | Withdrawn | Stopped]] = {
            "finished": Finished, "collected": Finished, "withdrawn": Withdrawn, "stopped": Stopped,
        }  # fmt: skip
        kind = ends[end]
        events.append(kind(at=later(120)))
        if end == "collected":
            events.append(ResultCollected(at=later(16)))
    return d.apply_all(events), AS_OF


def _columns(dossiers: list[Dossier]) -> dict[str, list[object]]:
    rows = [d.to_record().model_dump() for d in dossiers]
    cols: dict[str, list[object]] = {k: [] for k in rows[0]}
    for r in rows:
        for k, v in r.items():
            if isinstance(v, datetime):
                v = v.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M:%S")
            cols[k].append(None if v is None else str(v.value if hasattr(v, "value") else v))
    return cols


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.integers(0, 9999), min_size=1, max_size=6, unique=True).flatmap(
    lambda ns: st.tuples(*(histories(n) for n in ns))
))  # fmt: skip
def test_bulk_validation_agrees_with_the_dossiers(generated: tuple[tuple[Dossier, datetime], ...]) -> None:
    dossiers = [d for d, _ in generated]
    result = validate_chunk(_columns(dossiers), CAT, ValidationOptions(as_of=AS_OF, postal_eligibility=False))
    by_row: dict[int, set[str]] = {}
    for f in result.findings:
        by_row.setdefault(f.row, set()).add(f.code)
    for i, d in enumerate(dossiers):
        row = int(result.rows[i])
        # the due date recorded at receipt is the validator's recomputed one: no E_DUE_MISMATCH
        base = d.to_record().due_at
        assert base is not None
        assert result.due_expected[i] == np.datetime64(base.astimezone(VN_TZ).replace(tzinfo=None), "s"), d.explain()
        # timeliness in both readings
        timing = d.timeliness(AS_OF)
        got = (Timeliness.NAMES[result.timeliness_pause[i]], Timeliness.NAMES[result.timeliness_restart[i]])
        assert got == (timing.pause.value, timing.restart.value), d.explain()
        # the lifecycle findings, all of them
        mine = {f.code for f in d.findings}
        theirs = by_row.get(row, set()) & set(FINDING_CODES)
        assert mine == theirs, d.explain()
        assert "E_DUE_MISMATCH" not in by_row.get(row, set())


def test_a_portal_profile_tells_its_convention_from_a_real_mismatch() -> None:
    """Rows written by an OpenCPS-like system (1 day = 8 h from the instant, no cut-off, quarter-hour rounding):
    validated under the law they all mismatch; under --profile opencps only the row with a real error does."""
    p = CAT["2.001417"]
    dossiers = [
        Dossier.start(
            Received(at=datetime(2026, 3, 2, 8 + i, 7, tzinfo=VN_TZ)),
            procedure=p,
            dossier_code=f"000.00.53.H48-260302-{i:04d}",
            agency_code="000.00.53.H48",
            profile="opencps",
        )
        for i in range(4)
    ]
    cols = _columns(dossiers)
    cols["due_at"][3] = "2026-03-20 10:15:00"  # a real error: not the portal's convention either
    for profile, expected in ((None, {0, 1, 2, 3}), ("opencps", {3})):
        options = ValidationOptions(due_check="instant", postal_eligibility=False, profile=profile)
        result = validate_chunk(cols, CAT, options)
        mismatched = {int(i) for i, row in enumerate(result.rows) if any(
            f.row == row and f.code == "E_DUE_MISMATCH" for f in result.findings)}  # fmt: skip
        assert mismatched == expected, profile


# -- the readings the dossier and the validator share, at their boundaries ------------------------------------------

TEN_DAYS = CAT["2.001417"]  # 10 ngày làm việc


def _both(received: datetime, events: list[DossierEvent]) -> tuple[set[str], set[str], Dossier, tuple[str, str]]:
    """The dossier's finding codes, the validator's lifecycle finding codes for its row, the dossier, and the
    validator's timeliness (pause, restart)."""
    d = Dossier.start(
        Received(at=received), procedure=TEN_DAYS, dossier_code="000.00.53.H48-260302-0001", agency_code="000.00.53.H48"
    ).apply_all(events)
    result = validate_chunk(_columns([d]), CAT, ValidationOptions(as_of=AS_OF, postal_eligibility=False))
    theirs = {f.code for f in result.findings} & set(FINDING_CODES)
    timing = (Timeliness.NAMES[result.timeliness_pause[0]], Timeliness.NAMES[result.timeliness_restart[0]])
    return {f.code for f in d.findings}, theirs, d, timing


def _vn(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@pytest.mark.parametrize(("minute", "late"), [(59, True), (60, False)])
def test_supplement_window_after_the_cutoff(minute: int, late: bool) -> None:
    """Received Mon 2 Mar 2026 at 14:59 the 3-working-day window ends Thu 5 Mar; at 15:00 the dossier counts as
    received Tue 3 Mar (Điều 18.2) and the window ends Fri 6 Mar: a request on Fri 6 Mar is late only in the first."""
    received = _vn(2026, 3, 2, 14, 0) + timedelta(minutes=minute)
    mine, theirs, _, _ = _both(
        received, [SupplementRequested(at=_vn(2026, 3, 6, 9, 0)), SupplementCompleted(at=_vn(2026, 3, 9, 9, 0))]
    )
    assert mine == theirs
    assert ("W_LATE_SUPPLEMENT_REQUEST" in mine) is late


@pytest.mark.parametrize("second", [False, True])
def test_the_first_extension_is_honoured_after_a_second(second: bool) -> None:
    """Due Mon 16 Mar 2026; the first apology moves it to Fri 20 Mar. A second one (to 27 Mar) is E_SECOND_EXTENSION
    and not honoured — the first still is: finished Thu 19 Mar is early in both readings, either way."""
    events: list[DossierEvent] = [Extended(at=_vn(2026, 3, 11, 9, 0), new_due_at=_vn(2026, 3, 20, 17, 0))]
    if second:
        events.append(Extended(at=_vn(2026, 3, 12, 9, 0), new_due_at=_vn(2026, 3, 27, 17, 0)))
    mine, theirs, d, timing = _both(_vn(2026, 3, 2, 9, 0), [*events, Finished(at=_vn(2026, 3, 19, 10, 0))])
    assert mine == theirs == ({"E_SECOND_EXTENSION"} if second else set())
    assert timing == ("early", "early")
    assert (d.timeliness(AS_OF).pause.value, d.timeliness(AS_OF).restart.value) == timing
    assert d.due().due_at == _vn(2026, 3, 20, 17, 0)


@pytest.mark.parametrize(
    ("issued", "expected"), [((2026, 3, 12, 10, 0), set()), ((2026, 3, 16, 10, 0), {"W_EXTENSION_NOT_LATER"})]
)
def test_extension_judged_against_the_due_date_in_force(
    issued: tuple[int, int, int, int, int], expected: set[str]
) -> None:
    """Appointment Mon 16 Mar 2026; supplement asked Tue 3 Mar, completed Fri 13 Mar 09:00, so time restarts
    (Điều 19.4) and the due date becomes Fri 27 Mar. A new date of Fri 20 Mar is later than the appointment, so an
    apology issued before the completion is fine; issued after it, the date is not later than the due date in force."""
    events: list[DossierEvent] = [
        SupplementRequested(at=_vn(2026, 3, 3, 9, 0)),
        SupplementCompleted(at=_vn(2026, 3, 13, 9, 0)),
        Extended(at=_vn(*issued), new_due_at=_vn(2026, 3, 20, 17, 0)),
    ]
    events.sort(key=lambda e: e.at)
    mine, theirs, d, _ = _both(_vn(2026, 3, 2, 9, 0), events)
    assert mine == theirs == expected
    assert d.due().due_at == _vn(2026, 3, 27, 17, 0)


def test_the_pause_reading_takes_the_new_due_days_close() -> None:
    """Winter office hours (example data) end on 31 Mar 2026: due Mon 30 Mar 16:30, three working days paused →
    Thu 2 Apr at 17:00 (the summer close), in the dossier and in the bulk validator alike."""
    cal = public_sector_calendar(office_hours=load_office_hours("example-northern-winter"))
    d = Dossier.start(
        Received(at=_vn(2026, 3, 16, 9, 0)), procedure=TEN_DAYS, dossier_code="000.00.53.H48-260316-0001",
        agency_code="000.00.53.H48", calendar=cal,
    ).apply_all([
        SupplementRequested(at=_vn(2026, 3, 17, 9, 0)), SupplementCompleted(at=_vn(2026, 3, 20, 9, 0)),
        Finished(at=_vn(2026, 4, 2, 16, 45)),
    ])  # fmt: skip
    assert d.due(SupplementReading.PAUSE).due_at == _vn(2026, 4, 2, 17, 0)
    options = ValidationOptions(as_of=AS_OF, postal_eligibility=False, calendar=cal)
    result = validate_chunk(_columns([d]), CAT, options)
    assert Timeliness.NAMES[result.timeliness_pause[0]] == d.timeliness(AS_OF).pause.value == "on_time"
