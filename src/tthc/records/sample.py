"""The bundled sample dossier records: generated deterministically from the sample catalog and the deadline engine.

``tthc/data/sample_dossiers.csv`` is the output of :func:`write_sample` with the default seed; a test regenerates
it and compares byte for byte. Regenerate after a change to the catalog, the calendar or the engine with::

    python -m tthc.records.sample            # rewrites src/tthc/data/sample_dossiers.csv

What the sample covers (all rows valid — invalid-on-purpose rows live in the tests):

* receipts 2 Jan 2024 – 30 Oct 2026 on working days (make-up Saturdays included: 4 May 2024, 26 Apr 2025,
  10 Jan 2026, 22 Aug 2026), extra receipts in the fortnight before Tết so that due dates cross the holiday, some
  after the 15:00 cut-off;
* six agencies of Gia Lai (H21) and Quảng Ngãi (H48), each with its procedures; district-level procedures until
  30 Jun 2025 and local instances from 1 Jul 2025 (the 2025 reform);
* the three channels (postal only where the catalog publishes it and the postal rules allow it), results
  returned by post, online levels;
* supplements (one request within 3 working days, QĐ 766 pause and NĐ 61 restart readings differ), timely
  extensions (form 04 at least one working day before the due date, once), early / on-time / late finishes,
  a few withdrawn dossiers and a few still open at the end;
* recorded due dates equal to the engine's (so ``E_DUE_MISMATCH`` never fires on the sample).

Agency codes and dossier codes are illustrative, not real registrations.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.deadlines.processing_time import TimeUnit
from tthc.foundation.channels import Channel, PostalService
from tthc.foundation.data_files import bundled_path
from tthc.foundation.ids import TrackingNumber
from tthc.records.layout import CANONICAL_COLUMNS, DossierStatus

__all__ = ["SAMPLE_FILE", "SAMPLE_SEED", "generate_sample", "sample_path", "write_sample"]

SAMPLE_FILE = "sample_dossiers.csv"
SAMPLE_SEED = 766_2022
FIRST_DAY = (2024, 1, 2)
LAST_DAY = (2026, 10, 30)


@dataclass(frozen=True)
class _Agency:
    code: str
    name: str
    procedures: tuple[str, ...]  # national codes; the local instance is used where in force
    postal_weight: float  # propensity to use the postal channel (varies so that some agencies pass, some fail)
    online_weight: float
    postal_only_for: tuple[str, ...] = ()  # when given, the post is used for these procedures only


AGENCIES: tuple[_Agency, ...] = (
    _Agency("000.00.12.H21", "Sở Tư pháp tỉnh Gia Lai", ("2.001417", "1.001022", "2.001652"), 0.30, 0.45),
    _Agency(
        "000.00.31.H21",
        "UBND phường (Gia Lai)",
        ("1.001193", "1.000656", "1.000893", "2.000815", "1.000894"),
        0.12,
        0.55,
    ),
    _Agency(
        "000.00.14.H21", "Văn phòng đăng ký đất đai tỉnh Gia Lai", ("1.011432", "1.012760", "1.012762"), 0.22, 0.25
    ),
    _Agency("000.00.53.H48", "UBND phường (Quảng Ngãi)", ("1.001193", "2.000720", "1.004194", "2.000635"), 0.05, 0.60),
    _Agency("000.00.21.H48", "Sở Tài chính tỉnh Quảng Ngãi", ("2.001610", "1.005398"), 0.18, 0.70),
    _Agency(
        "000.00.22.H48", "Sở Xây dựng tỉnh Quảng Ngãi", ("1.002809", "1.009972", "1.002804"), 0.16, 0.40, ("1.002809",)
    ),
)


def sample_path() -> Path:
    """Path of the bundled sample dataset."""
    return bundled_path(SAMPLE_FILE)


def _pick_procedure(cat: Catalog, national: str, agency: _Agency, on: date) -> Procedure | None:
    local = cat.get(f"{national}.{agency.code}") if f"{national}.{agency.code}" in cat else None
    for p in (local, cat.get(national)):
        if p is not None and p.code in (national, f"{national}.{agency.code}") and p.in_force(on):
            return p
    return None


def _fmt(dt: datetime | None) -> str:
    return "" if dt is None else dt.strftime("%Y-%m-%d %H:%M:%S")


def _at(d: date, minutes_after_opening: int) -> datetime:
    # office hours 07:30-11:30, 13:00-17:00: 480 working minutes
    m = minutes_after_opening
    base = datetime.combine(d, time(7, 30))
    return base + timedelta(minutes=m if m < 240 else m + 90)


def generate_sample(
    n: int = 4000, *, seed: int = SAMPLE_SEED, catalog: Catalog | None = None
) -> Iterator[dict[str, str]]:
    """Yield ``n`` (about) sample records as canonical text rows, sorted by receipt.

    Deterministic for a given seed, catalog and calendar.
    """
    from tthc.calendar.working_calendar import public_sector_calendar
    from tthc.deadlines.compute import compute_due
    from tthc.postal.eligibility import check_postal_eligibility

    rng = random.Random(seed)
    cat = catalog or Catalog.sample()
    cal = public_sector_calendar()
    first, last = date(*FIRST_DAY), date(*LAST_DAY)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if cal.is_working_day(d)]
    # the fortnight before each Tết weighs three times: due dates then cross the holiday
    weights = []
    tet_starts = sorted({d for d in days if not cal.is_working_day(d) and d.month in (1, 2) and d.weekday() < 5})
    for d in working:
        near_tet = any(timedelta(0) < (t - d) <= timedelta(days=14) for t in tet_starts)
        weights.append(3.0 if near_tet else (4.0 if d.weekday() == 5 else 1.0))
    picks = sorted(rng.choices(working, weights=weights, k=n))
    sequence: dict[tuple[str, date], int] = {}
    rows: list[dict[str, str]] = []
    serial = 10_000_000
    for day in picks:
        agency = rng.choice(AGENCIES)
        proc = _pick_procedure(cat, rng.choice(agency.procedures), agency, day)
        if proc is None:
            continue
        offered = [ch for ch in (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL) if proc.offers(ch)]
        online_option = proc.options(Channel.ONLINE)[0] if Channel.ONLINE in offered else None
        if (
            online_option is not None
            and online_option.online_level
            and not online_option.online_level.allows_online_submission
        ):
            offered.remove(Channel.ONLINE)  # levels 1-2 publish information and forms only (NĐ 43/2011 Điều 3.4)
        postal_ok = (
            Channel.POSTAL in offered
            and check_postal_eligibility(proc, PostalService.BOTH, on=day, agency=agency.code).eligible is not False
            and (not agency.postal_only_for or str(proc.code.national) in agency.postal_only_for)
        )
        r = rng.random()
        if postal_ok and r < agency.postal_weight:
            channel = Channel.POSTAL
        elif Channel.ONLINE in offered and r < agency.postal_weight + agency.online_weight:
            channel = Channel.ONLINE
        else:
            channel = Channel.DIRECT
        option = proc.options(channel)[0]
        pt = option.processing_time
        received = _at(day, rng.randrange(0, 480))
        seq = sequence[(agency.code, day)] = sequence.get((agency.code, day), 0) + 1
        row = dict.fromkeys(CANONICAL_COLUMNS, "")
        row.update(
            dossier_code=f"{agency.code}-{day:%y%m%d}-{seq:04d}",
            procedure_code=str(proc.code),
            agency_code=agency.code,
            channel=channel.value,
            online_level=option.online_level.value if channel is Channel.ONLINE and option.online_level else "",
            received_at=_fmt(received),
            supplement_count="0",
        )
        due = None
        if pt is not None and pt.unit not in (TimeUnit.UNSPECIFIED, TimeUnit.UNKNOWN_UNIT):
            due = compute_due(received, pt, channel=channel, calendar=cal).due_at
        due_local = due.replace(tzinfo=None) if due is not None else None
        row["due_at"] = _fmt(due_local)
        horizon = due_local or (received + timedelta(days=20))
        # supplements: requested within 3 working days, completed a few working days later (QĐ 766 pause)
        pause_days = 0
        if due_local is not None and rng.random() < 0.08:
            asked = cal.add_working_days(received.date(), rng.randint(1, 3))
            pause_days = rng.randint(1, 5)
            done = cal.add_working_days(asked, pause_days)
            row["supplement_requested_at"] = _fmt(datetime.combine(asked, time(9, rng.randrange(60))))
            row["supplement_completed_at"] = _fmt(datetime.combine(done, time(14, rng.randrange(60))))
            row["supplement_count"] = "1"
            horizon = datetime.combine(cal.add_working_days(horizon.date(), pause_days), horizon.time())
        # extensions: issued at least one working day before the due date, once (NĐ 61/2018 Điều 19.9)
        if due_local is not None and pause_days == 0 and rng.random() < 0.03:
            issued_day = cal.add_working_days(due_local.date(), -rng.randint(1, 2))
            if issued_day > received.date():
                new_due = datetime.combine(cal.add_working_days(due_local.date(), rng.randint(2, 5)), due_local.time())
                row["extended_due_at"] = _fmt(new_due)
                row["extension_issued_at"] = _fmt(datetime.combine(issued_day, time(10, 0)))
                row["extension_count"] = "1"
                horizon = new_due
        still_open = day >= last - timedelta(days=6) and rng.random() < 0.7
        outcome = rng.random()
        if still_open:
            row["status"] = DossierStatus.PROCESSING.value
        elif outcome < 0.01:
            row["status"] = DossierStatus.WITHDRAWN.value
            row["finished_at"] = _fmt(received + timedelta(hours=rng.randint(2, 48)))
        else:
            lateness = rng.random()
            span = cal.working_days_between(received.date(), horizon.date())
            if lateness < 0.70 and span >= 1:
                k = rng.randint(0, span - 1)
                fin_day = received.date() if k == 0 else cal.add_working_days(received.date(), k)
                finished = max(_at(fin_day, rng.randrange(0, 480)), received + timedelta(minutes=30))
                if finished >= horizon:
                    finished = received + (horizon - received) / 2
            elif lateness < 0.90:
                finished = max(horizon - timedelta(minutes=rng.randint(5, 240)), received + timedelta(minutes=10))
            else:
                late_day = cal.add_working_days(horizon.date(), rng.randint(1, 6))
                finished = _at(late_day, rng.randrange(0, 480))
            row["finished_at"] = _fmt(finished)
            result = channel
            if channel is Channel.DIRECT and postal_ok and rng.random() < agency.postal_weight * 0.6:
                result = Channel.POSTAL
            if channel is Channel.ONLINE and postal_ok and rng.random() < agency.postal_weight:
                result = Channel.POSTAL
            if channel is Channel.POSTAL and rng.random() < 0.1:
                result = Channel.DIRECT
            row["result_channel"] = result.value
            back_day = (
                cal.add_working_days(finished.date(), rng.randint(0, 2))
                if cal.is_working_day(finished.date())
                else cal.add_working_days(finished.date(), 1)
            )
            returned = max(_at(back_day, rng.randrange(0, 480)), finished + timedelta(minutes=15))
            row["returned_at"] = _fmt(returned)
            row["status"] = DossierStatus.RETURNED.value
        if channel is Channel.POSTAL or row["result_channel"] == Channel.POSTAL.value:
            serial += rng.randint(1, 97)
            row["tracking_number"] = str(TrackingNumber.build("RR", serial))
            row["postage_vnd"] = str(rng.choice((26_000, 30_000, 30_500, 31_500)))
        fee = next((f.amount for f in option.fees if f.amount is not None and f.amount.currency == "VND"), None)
        row["fee_vnd"] = str(fee.minor) if fee is not None else "0"
        rows.append(row)
    rows.sort(key=lambda r: (r["received_at"], r["dossier_code"]))
    yield from rows


def render_sample(n: int = 4000, *, seed: int = SAMPLE_SEED) -> str:
    """The sample as CSV text (canonical header plus the two extension columns)."""
    out = io.StringIO()
    fields = [*CANONICAL_COLUMNS, "extension_issued_at", "extension_count"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in generate_sample(n, seed=seed):
        writer.writerow({k: row.get(k, "") for k in fields})
    return out.getvalue()


def write_sample(path: str | Path | None = None, *, n: int = 4000, seed: int = SAMPLE_SEED) -> Path:
    """Write the sample CSV (default: the bundled file) and return its path."""
    p = Path(path) if path is not None else Path(__file__).parents[1] / "data" / SAMPLE_FILE
    p.write_text(render_sample(n, seed=seed), encoding="utf-8")
    return p


if __name__ == "__main__":  # pragma: no cover
    print(write_sample())
