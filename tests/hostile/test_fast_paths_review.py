"""A hostile review of session 7's fast paths (issue 16): properties that held when attacked, kept so they keep holding.

* typed Arrow columns handed in as record batches (:func:`tthc.records.formats.open_arrow`: DuckDB, polars, a
  cursor) — timestamps of every unit, dictionary-encoded, in zones east and west of UTC and with daylight saving,
  nulls, batches of three rows; text as ``large_string``, dictionary or ``string_view`` — give the findings the same
  instants give as CSV text (instants from 1970 on: the cut of earlier ones is a known bug, reported apart);
* instants with a fraction of a second (at the 15:00 cut-off, at midnight, across 30 Jun / 1 Jul 2025, a finish a
  microsecond after its due instant) give the same findings and KPI tables as CSV, Parquet text and typed Parquet of
  every unit, checked whole or in small pieces;
* postal verdicts, asked once per stretch of days with the same rules, give row by row what
  :func:`tthc.postal.check_postal_eligibility` gives for the row's own day: unsorted receipt days on both sides of
  the rule's first day in force, of procedures' last and first days, a procedure in force for one day, Tết;
* agency codes spelt in NFC and in NFD, in lower case, padded, ``Đ``: the KPI tables count every keyed row once,
  alike in CSV and Parquet, whole, in pieces and partitioned;
* ``compute_due`` straight through under odd constant office hours (a session of the whole day, bounds to the second
  or the microsecond, a session after the cut-off, one-second sessions, one ending a second before midnight, 127
  short sessions — the most its byte tables hold): what the general path gives, trace included.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel

from tthc.catalog.collection import Catalog
from tthc.deadlines import compute_due
from tthc.foundation import references
from tthc.foundation.references import LegalReference
from tthc.kpi.indicators import KpiOptions, compute_kpis
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation.context import ValidationOptions
from tthc.validation.run import FindingWriter, validate_files

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SAMPLE = Catalog.sample()
TEN_DAYS = "10 ngày làm việc"


def _run(
    source: Path | object, folder: Path, catalog: Catalog = SAMPLE, options: ValidationOptions | None = None, **kw: Any
) -> tuple[tuple[int, int, int], list[list[str]], Any]:
    """(rows, valid, invalid), every finding without its file column, and the KPI partial of one run."""
    out = folder / "findings.csv"
    with FindingWriter(out) as w:
        s = validate_files([source], catalog, options, report=w, **kw)  # type: ignore[list-item]
    with out.open(encoding="utf-8", newline="") as f:
        found = [r[1:] for r in list(csv.reader(f))[1:]]
    return (s.rows, s.valid_rows, s.invalid_rows), found, s.kpi


def _tables(kpi: Any) -> list[dict[tuple[str, str, str], list[int]]]:
    return [{k: v.tolist() for k, v in t.items()} for t in (kpi.reception, kpi.judged_pause, kpi.judged_restart)]


def _parquet(path: Path, rows: list[dict[str, str]], **typed: object) -> Path:
    table = {k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER}
    table.update(typed)
    pq.write_table(pa.table(table), path, row_group_size=50)
    return path


# -- typed Arrow batches -------------------------------------------------------------------------------------------

_INSTANTS = [
    datetime(2025, 3, 3, 14, 59, 59, 900_000),  # a tenth of a second before the cut-off
    datetime(2025, 3, 3, 15),
    None,
    datetime(2025, 6, 30, 23, 59, 59, 999_000),  # the last millisecond under the old instrument
    datetime(2025, 7, 1, 0, 0, 0, 1_000),
    datetime(2025, 3, 3, 9),
    datetime(2026, 2, 13, 16, 30, 0, 500_000),  # the Friday before Tết 2026, after the cut-off
]


def _received_rows() -> list[dict[str, str]]:
    rows = []
    for i, at in enumerate(_INSTANTS):
        due = compute_due((at or datetime(2025, 3, 3, 9)).replace(microsecond=0), TEN_DAYS).due_at
        assert due is not None
        rows.append(
            row(
                dossier_code=f"000.00.12.H21-250303-{i:04d}",
                received_at="" if at is None else str(at),
                due_at=f"{due:%Y-%m-%d %H:%M:%S}",
                finished_at="",
                returned_at="",
                status="processing",
            )
        )
    return rows


def _received_arrays() -> dict[str, Any]:
    naive = pa.array(_INSTANTS, pa.timestamp("us"))
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    aware = pa.array([None if a is None else a.replace(tzinfo=vn) for a in _INSTANTS], pa.timestamp("us", "UTC"))
    text = pa.array([None if a is None else str(a) for a in _INSTANTS], pa.string())
    arrays: dict[str, Any] = {}
    for unit in ("s", "ms", "us", "ns"):
        arrays[unit] = naive.cast(pa.timestamp(unit), safe=False)
        arrays[f"{unit} dictionary"] = arrays[unit].dictionary_encode()
    for zone in ("UTC", "+07:00", "Asia/Ho_Chi_Minh", "America/New_York", "-03:30", "+14:00"):
        arrays[f"zone {zone}"] = aware.cast(pa.timestamp("ns", zone))
        arrays[f"zone {zone} dictionary"] = aware.cast(pa.timestamp("ms", zone), safe=False).dictionary_encode()
    arrays["large_string"] = text.cast(pa.large_string())
    arrays["dictionary string"] = text.dictionary_encode()
    if hasattr(pa, "string_view"):
        arrays["string_view"] = text.cast(pa.string_view())
    padding = pa.array([datetime(2020, 1, 1)] * 5, pa.timestamp("ms"))
    arrays["sliced"] = pa.concat_arrays([padding, naive.cast(pa.timestamp("ms"), safe=False)]).slice(5)
    return arrays


_ARRAYS = _received_arrays()


@pytest.mark.parametrize("kind", sorted(_ARRAYS))
def test_typed_arrow_batches_read_as_the_same_instants_in_csv_text(kind: str, tmp_path: Path) -> None:
    """Arrow batches (what DuckDB, polars or a cursor hand in) are read without a text round trip; a typed receipt
    column — any unit, dictionary-encoded, in any zone, with nulls, in batches of three rows — gives the findings of
    the same instants written as CSV text (the cut-off is read to the second: 14:59:59.9 is before it)."""
    from tthc.records.formats import open_arrow
    from tthc.records.model import ColumnMapping

    rows = _received_rows()
    expected = _run(write_csv(tmp_path / "text.csv", rows), tmp_path)
    assert expected[1], "the null receipt is a finding"
    columns = {k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER}
    columns["received_at"] = _ARRAYS[kind]
    table = pa.table(columns)
    stream = open_arrow(table.to_batches(max_chunksize=3), table.schema, "batches", ColumnMapping.default())
    got = _run(stream, tmp_path)
    assert got[:2] == expected[:2]
    assert _tables(got[2]) == _tables(expected[2])


# -- fractions of a second in every format -------------------------------------------------------------------------

_DATES = ("received_at", "due_at", "finished_at", "returned_at")


def _fraction_rows(n: int, seed: int) -> tuple[list[dict[str, str]], dict[str, list[datetime]]]:
    rng = random.Random(seed)
    receipts = [
        datetime(2025, 3, 3, 14, 59, 59),
        datetime(2025, 6, 30, 23, 59, 59),
        datetime(2025, 7, 1),
        datetime(2026, 2, 13, 16),
        datetime(2025, 1, 24, 15),
    ]
    rows, typed = [], {c: [] for c in _DATES}  # type: ignore[var-annotated]
    for i in range(n):
        at = rng.choice(receipts) + timedelta(microseconds=rng.choice([0, 1, 1_000, 500_000, 999_999]))
        due_at = compute_due(at, TEN_DAYS).due_at
        assert due_at is not None
        due = due_at.replace(tzinfo=None) + timedelta(microseconds=rng.choice([0, 1, 999_999]))
        if i % 7 == 3:
            due += timedelta(days=1)  # a recorded due date a day off: a finding
        done = due + timedelta(seconds=rng.choice([-86_400, -1, 0, 1]), microseconds=rng.choice([0, 1, 999_999]))
        if i % 11 == 5:
            done = at - timedelta(microseconds=1)  # finished before received: a finding
        values = {"received_at": at, "due_at": due, "finished_at": done, "returned_at": done + timedelta(hours=1)}
        code = f"000.00.12.H21-{at:%y%m%d}-{i:04d}"
        rows.append(row(dossier_code=code, **{k: str(v) for k, v in values.items()}))
        for k, v in values.items():
            typed[k].append(v)
    return rows, typed


@pytest.mark.parametrize("seed", [1, 2])
def test_fractions_of_a_second_give_the_same_findings_and_kpis_in_every_format(seed: int, tmp_path: Path) -> None:
    """Instants are read to the second in every format (typed Parquet timestamps cut in numpy, text parsed): at
    the cut-off, at midnight, across the 1 Jul 2025 switch and with a finish a microsecond after its due instant,
    CSV, Parquet text and typed Parquet of each unit give the same findings and KPI tables, whole or in pieces."""
    rows, typed = _fraction_rows(300, seed)
    sources = {"csv": write_csv(tmp_path / "x.csv", rows), "text": _parquet(tmp_path / "text.parquet", rows)}
    for unit in ("s", "ms", "us", "ns"):
        arrays = {k: pa.array(v, pa.timestamp("us")).cast(pa.timestamp(unit), safe=False) for k, v in typed.items()}
        sources[unit] = _parquet(tmp_path / f"{unit}.parquet", rows, **arrays)
    counts, found, kpi = _run(sources["csv"], tmp_path)
    assert counts[2] > 20
    assert {f[2] for f in found} >= {"E_DUE_MISMATCH", "E_DATE_ORDER"}
    for name, path in sources.items():
        for chunk in (1 << 20, 6_000):
            got = _run(path, tmp_path, chunk_bytes=chunk)
            assert (got[0], got[1]) == (counts, found), (name, chunk)
            assert _tables(got[2]) == _tables(kpi), (name, chunk)


# -- postal verdicts per stretch of days ---------------------------------------------------------------------------


def _postal_catalog() -> Catalog:
    """The sample with dated procedures: two never possible by post (in person, no authorisation) — one out of force
    after 30 Jun 2025, one in force from 1 Jul 2025 — one in force for a single day, and the rest as they are."""
    dated = {
        "2.002209": {"valid_until": date(2025, 6, 30)},
        "1.002804": {"valid_from": date(2025, 7, 1)},
        "2.000884": {"valid_from": date(2026, 2, 13), "valid_until": date(2026, 2, 13)},
    }
    return Catalog([p.model_copy(update=dated.get(str(p.code), {})) for p in SAMPLE])


_POSTAL_DAYS = [
    date(2016, 12, 15), date(2016, 12, 16), date(2025, 6, 30), date(2025, 7, 1), date(2026, 2, 12),
    date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 17), date(2026, 2, 23),
]  # fmt: skip
"""The day before the postal rule is in force and its first; the switch; around a one-day procedure and Tết 2026."""


def _postal_rows(seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    services = [("postal", "online"), ("online", "postal"), ("postal", "postal")]
    for i in range(400):
        day = rng.choice(_POSTAL_DAYS)
        channel, result = rng.choice(services)
        rows.append(
            row(
                dossier_code=f"000.00.12.H21-{day:%y%m%d}-{i:04d}",
                procedure_code=rng.choice(["2.002209", "1.002804", "2.000884", "2.001417", "1.000894"]),
                agency_code=rng.choice(["000.00.12.H21", "000.00.12.h21", "H48", "not an agency", ""]),
                channel=channel,
                result_channel=result,
                received_at=f"{day} {rng.choice(['07:00:00', '09:00:00', '16:59:59'])}",
                due_at="",
                finished_at="",
                returned_at="",
                status="processing",
            )
        )
    return rows


def _verdicts(rows: Iterable[dict[str, str]], catalog: Catalog) -> dict[int, str | None]:
    """Row number → the reasons of the scalar verdict when it is ineligible, else None — each row asked alone."""
    from tthc.foundation.channels import PostalService
    from tthc.postal.eligibility import check_postal_eligibility

    out: dict[int, str | None] = {}
    for n, r in enumerate(rows, 1):
        into, back = r["channel"] == "postal", r["result_channel"] == "postal"
        service = PostalService.BOTH if into and back else PostalService.SEND if into else PostalService.RETURN
        on = date.fromisoformat(r["received_at"][:10])
        procedure = catalog[r["procedure_code"]]
        try:
            verdict = check_postal_eligibility(procedure, service, on=on, agency=r["agency_code"] or None, lang="en")
        except ValueError:  # an agency the postal rules cannot read: the general rule (documented)
            verdict = check_postal_eligibility(procedure, service, on=on, lang="en")
        reasons = "; ".join(x.text("en", day=on) for x in verdict.reasons)
        out[n] = reasons if verdict.eligible is False else None
    return out


@pytest.mark.parametrize("seed", [3, 4])
def test_postal_verdicts_per_stretch_are_each_rows_own_verdict(seed: int, tmp_path: Path) -> None:
    """One verdict per (procedure, service, agency, stretch of days with the same rules), met first on whichever
    of its days: row by row, the same findings as the scalar check asked on the row's own day — unsorted days on
    both sides of the rule's first day in force, of a procedure's last and first day, of a one-day procedure and of
    Tết; in CSV and Parquet, whole and in small pieces."""
    catalog = _postal_catalog()
    rows = _postal_rows(seed)
    expected = _verdicts(rows, catalog)
    assert 30 < sum(v is not None for v in expected.values()) < len(rows) - 30
    options = ValidationOptions(lang="en")
    sources = [write_csv(tmp_path / "p.csv", rows), _parquet(tmp_path / "p.parquet", rows)]
    for path in sources:
        for chunk in (1 << 20, 4_000):
            _, found, _ = _run(path, tmp_path, catalog, options, chunk_bytes=chunk, duplicates=False)
            postal = {int(f[0]): f[4] for f in found if f[2] == "E_POSTAL_INELIGIBLE"}
            assert set(postal) == {n for n, v in expected.items() if v is not None}, (path.name, chunk)
            for n, message in postal.items():
                assert message.endswith(str(expected[n])), (n, message)


# -- Unicode agency codes in the KPI tables ------------------------------------------------------------------------


def test_agency_codes_in_every_spelling_count_alike_in_every_format_and_cut(tmp_path: Path) -> None:
    """The KPI tables are summed on codes into labels, chunk by chunk: agency codes that differ only by their
    Unicode form (NFC / NFD), case, padding or ``Đ`` for ``D`` give the same tables in CSV and Parquet, whole, in
    pieces of a few rows and partitioned, and every keyed row is counted once."""
    from tthc.scale.partitions import validate_partitions_locally

    nfc = "000.00.12.Ấ21"
    spellings = [nfc, unicodedata.normalize("NFD", nfc), "000.00.12.H21", "000.00.12.h21", " 000.00.12.H21", "Đ", "D"]
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}", agency_code=spellings[i % 7]) for i in range(40)]
    rows[5]["received_at"] = ""  # a row without a receipt: not keyed
    sources = [write_csv(tmp_path / "a.csv", rows), _parquet(tmp_path / "a.parquet", rows)]
    _, _, kpi = _run(sources[0], tmp_path)
    tables = _tables(kpi)
    assert sum(v[0] for v in tables[0].values()) == len(rows) - 1 == 40 - kpi.unkeyed
    by_agency = compute_kpis(kpi, SAMPLE, KpiOptions(by="agency"))
    for path in sources:
        for chunk in (1 << 20, 600):
            _, _, got = _run(path, tmp_path, chunk_bytes=chunk)
            assert _tables(got) == tables, (path.name, chunk)
            assert compute_kpis(got, SAMPLE, KpiOptions(by="agency")) == by_agency
        with FindingWriter(tmp_path / "parts.csv") as w:
            parts = validate_partitions_locally([path], SAMPLE, report=w, partition_bytes=2_000)
        assert _tables(parts.kpi) == tables, path.name


# -- compute_due straight through under odd office hours -------------------------------------------------------------


def _sessions(*spans: tuple[str, str]) -> tuple[tuple[time, time], ...]:
    return tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in spans)


_SLOTS = tuple(
    (
        (datetime(2025, 1, 1, 6) + timedelta(minutes=5 * i)).time(),
        (datetime(2025, 1, 1, 6, 2) + timedelta(minutes=5 * i)).time(),
    )
    for i in range(127)
)
_ODD_HOURS = {
    "whole day": _sessions(("00:00", "23:59:59")),
    "to the second": _sessions(("08:00:30", "12:00:15"), ("13:00:01", "17:00:59")),
    "after the cut-off": _sessions(("16:00", "20:00")),
    "one-second sessions": _sessions(("06:00", "06:00:01"), ("14:59:59", "15:00:01")),
    "to the microsecond": _sessions(("07:30", "12:00:00.500000"), ("13:00", "17:00:00.000001")),
    "before midnight": _sessions(("23:59:58", "23:59:59.999999")),
    "127 sessions": _SLOTS,
}


@pytest.mark.parametrize("name", sorted(_ODD_HOURS))
def test_odd_office_hours_are_answered_straight_through_as_the_general_path(name: str) -> None:
    """The straight path reads a receipt's slot and a due second from byte tables built from the hours' bounds in
    whole seconds; under odd constant hours, at random receipts (the cut-off, midnight and the 1 Jul 2025 switch
    among them) through every channel, in working days and hours, it gives the general path's answer and trace."""
    from tthc import public_sector_calendar
    from tthc.calendar.office_hours import OfficeHours
    from tthc.deadlines.counting import _era, _rules_of_era
    from tthc.deadlines.processing_time import ProcessingTime
    from tthc.errors import TthcError
    from tthc.foundation.channels import Channel

    cal = public_sector_calendar().with_overlay(office_hours=OfficeHours(_ODD_HOURS[name]))
    rng = random.Random(name)

    def answer(at: datetime, pt: ProcessingTime, channel: Channel, explicit: bool) -> object:
        rules = _rules_of_era(_era(at.date())) if explicit else None
        try:
            due = compute_due(at, pt, channel=channel, calendar=cal, rules=rules)
        except TthcError as exc:
            return type(exc).__name__
        straight.append(due._known[1].__class__ is not tuple)  # answered straight through, its trace not read yet
        return due.due_at, due.effective_received_at, due.counted_from, due.projected, due.steps_in("en")

    straight: list[bool] = []

    for _ in range(60):
        at = datetime(2025, 6, 28) + timedelta(seconds=rng.randrange(6 * 86_400), microseconds=rng.choice([0, 1]))
        if rng.random() < 0.3:
            at = at.replace(hour=rng.choice([0, 14, 15, 23]), minute=rng.choice([0, 59]), second=rng.choice([0, 59]))
        amount = rng.choice([1, 2, 8, 30])
        pt = ProcessingTime.working_days(amount) if rng.random() < 0.5 else ProcessingTime.working_hours(amount)
        channel = rng.choice(list(Channel))
        assert answer(at, pt, channel, False) == answer(at, pt, channel, True), (at, pt, channel)
    assert sum(straight) >= 30  # most usual calls (not those with explicit rules) went straight through


# -- LegalReference as an attrs value (session 7): as the pydantic model it was ---------------------------------


_FULL: dict[str, Any] = {"document": "61/2018/NĐ-CP", "issued": date(2018, 4, 23), "article": "Điều 18.2", "url": "https://example.gov.vn/61",
         "note": "the 15:00 cut-off", "note_vi": "giờ tiếp nhận 15:00"}  # fmt: skip


class _Holder(BaseModel):
    reference: LegalReference
    others: tuple[LegalReference, ...] = ()


class _FormHolder(BaseModel):
    """The same fields with the pydantic form the reference was before session 7."""

    reference: references._form()  # type: ignore[valid-type]
    others: tuple[references._form(), ...] = ()  # type: ignore[valid-type]


def test_include_and_exclude_reach_a_legal_reference_as_they_reached_the_model_it_was() -> None:
    """Since ``LegalReference`` became an attrs value (session 7), its pydantic serialisation is a *plain*
    function serializer (``references.LegalReference.__get_pydantic_core_schema__``: ``dumped`` with
    ``return_schema=form``), which pydantic-core calls without the ``include`` / ``exclude`` filters: they are
    silently ignored — ``LegalReference.model_dump(exclude={"url"})`` still holds ``url``, and a model holding a
    reference dumps the whole reference under ``exclude={"reference": {"url"}}`` or
    ``include={"reference": {"document"}}``. The CHANGELOG promises the same JSON shapes and a ``model_dump`` whose
    ``options are pydantic's``.

    Expected: the same dumps as the pydantic form (the model the reference was).
    """
    ref, form = LegalReference(**_FULL), references._form()(**_FULL)
    assert ref.model_dump(exclude={"url"}) == form.model_dump(exclude={"url"})
    assert ref.model_dump(include={"document", "issued"}) == form.model_dump(include={"document", "issued"})
    held = _Holder(reference=ref, others=(ref,))
    old = _FormHolder(reference=form, others=(form,))
    for options in (
        {"exclude": {"reference": {"url", "note"}}},
        {"include": {"reference": {"document"}}},
        {"include": {"others": {0: {"document"}}}},
        {"mode": "json", "exclude_defaults": True, "exclude": {"reference": {"article"}}},
    ):
        assert held.model_dump(**options) == old.model_dump(**options), options
    assert held.model_dump_json(exclude={"reference": {"url"}}) == old.model_dump_json(exclude={"reference": {"url"}})


def test_the_pydantic_methods_a_legal_reference_keeps_take_pydantics_keywords() -> None:
    """The CHANGELOG says ``LegalReference`` "keeps ``model_validate``, ``model_dump``,
    ``model_dump_json``, ``model_copy``, ``model_construct`` and ``model_json_schema``"; ``model_dump`` and
    ``model_dump_json`` take pydantic's keywords, but ``model_copy(deep=True)``, ``model_validate(obj, strict=True)``
    / ``context=`` / ``from_attributes=`` and ``model_json_schema(by_alias=...)`` / ``ref_template=`` raise
    ``TypeError`` (unexpected keyword) where the model it was (session 6) answered.

    Expected: the same answers as the pydantic form for these keywords.
    """
    ref = LegalReference(document="x", issued=date(2020, 1, 1), note="n", note_vi="v")
    assert ref.model_copy(deep=True) == ref
    assert ref.model_copy(update={"url": "u"}, deep=True).url == "u"
    assert LegalReference.model_validate({"document": "x"}, strict=True) == LegalReference(document="x")
    assert LegalReference.model_validate({"document": "x"}, context={"k": 1}) == LegalReference(document="x")
    form = references._form()
    assert LegalReference.model_json_schema(by_alias=True) == form.model_json_schema(by_alias=True)
    template = "#/$defs/{model}"
    assert LegalReference.model_json_schema(ref_template=template) == form.model_json_schema(ref_template=template)


# -- found by the review, fixed in session 8 ------------------------------------------------------------------


def _report_rows(path: Path, out: Path) -> list[list[str]]:
    from tthc.catalog.collection import Catalog
    from tthc.validation.run import FindingWriter, validate_files

    with FindingWriter(out) as w:
        validate_files([path], Catalog.sample(), report=w)
    with out.open(encoding="utf-8", newline="") as f:
        return [r[1:] for r in list(csv.reader(f))[1:]]  # every column but the file


def test_a_typed_timestamp_before_1970_is_cut_to_its_second_not_rolled_over_to_the_next(tmp_path: Path) -> None:
    """A typed Parquet timestamp (ms/us/ns) before 1970 with a fraction of a second is cut by Arrow's cast
    (``records/columns.py`` ``_datetimes`` → ``arr.cast(timestamp("s"), safe=False)``, which truncates the epoch
    count toward zero): 1969-12-31 23:59:59.500 becomes 1970-01-01 00:00:00 (the next day, the next year) and
    1969-07-01 12:00:00.001 becomes 12:00:01. Session 7's numpy cut (``_timestamp_seconds``) floors, as the text
    readers do (they drop the fraction of the wall time), but hands every column holding a value before 1970 back
    to Arrow's cast. The finding then names another instant than the cell holds, and differs from the same cell as
    CSV or Parquet text.

    Expected: the same findings, word for word, as the CSV and the Parquet text of the same instants.
    """
    pa = __import__("pyarrow")
    import pyarrow.parquet as pq

    from tthc.testing.record_files import HEADER, row, write_csv

    instants = [datetime(1969, 12, 31, 23, 59, 59, 500_000), datetime(1969, 7, 1, 12, 0, 0, 1_000)]
    rows = [row(dossier_code=f"000.00.12.H21-250303-000{i}", received_at=str(at)) for i, at in enumerate(instants)]
    text = _report_rows(write_csv(tmp_path / "text.csv", rows), tmp_path / "text.findings.csv")
    assert [r[:3] for r in text] == [["1", "received_at", "E_RANGE"], ["2", "received_at", "E_RANGE"]]
    for unit in ("ms", "us", "ns"):
        table = {k: pa.array([r[k] or None for r in rows]) for k in HEADER}
        table["received_at"] = pa.array(instants, pa.timestamp("us")).cast(pa.timestamp(unit))
        pq.write_table(pa.table(table), tmp_path / f"{unit}.parquet")
        # 1970-01-01 00:00:00
        assert _report_rows(tmp_path / f"{unit}.parquet", tmp_path / f"{unit}.findings.csv") == text, unit


def test_summed_adds_the_empty_table_group_counts_gives_for_a_chunk_without_keyed_rows() -> None:
    """``tthc.kpi.tables`` (in docs/reference/kpi.md) documents ``group_counts``,
    which returns ``{}`` for a chunk with no keyed row, and ``summed``, which adds tables up; but ``summed`` refuses
    the empty table: ``_stacked({})`` cannot ``np.stack`` no rows and raises ``InvalidValueError("parts: expected
    count tables of 5 whole-number counters per key, got array(None, dtype=object)")``. (``KpiPartial.sum`` skips
    empty tables itself, so the library's own runs are not hit.)

    Expected: an empty table adds nothing — ``summed([t, {}], w)`` reads as ``t``, ``summed([{}], w)`` is empty.
    """
    import numpy as np

    from tthc.kpi.indicators import _RECEPTION_STATES
    from tthc.kpi.tables import group_counts, summed

    a, p, months = np.array([0, 0]), np.array([0, 0]), np.array([660, 661])  # Jan and Feb 2025
    states = np.array([2 * 4 + 2, 3 * 4 + 3])  # online/online, postal/postal
    args = (a, p, months)
    full = group_counts(*args, np.array([True, True]), states, _RECEPTION_STATES, ["A"], ["1.001"])
    none = group_counts(*args, np.array([False, False]), states, _RECEPTION_STATES, ["A"], ["1.001"])
    assert dict(none) == {}
    expected = {k: v.tolist() for k, v in full.items()}
    for parts in ([full, none], [none, full]):
        assert {k: v.tolist() for k, v in summed(parts, 5).items()} == expected
    assert dict(summed([none], 5)) == {}


@pytest.mark.parametrize("column", ["channel", "status", "procedure_code", "agency_code"])
def test_one_invalid_utf8_cell_in_parquet_fails_its_own_row_not_its_whole_row_group(
    tmp_path: Path, column: str
) -> None:
    """The Parquet reader reads enumeration columns and the few-valued code columns dictionary-encoded
    (``records/formats.py``: ``read_dictionary``), and a dictionary is the row group's. Parquet readers do not
    validate UTF-8, so a file whose column holds one cell of invalid UTF-8 (another tool's writer, bytes labelled as
    text) made every piece of that row group fail — even a piece of one good row, since a slice keeps the whole
    dictionary — and the defect isolation reported all 400 rows of the row group (or 340 of them) ``E_CHECK_FAILED``.
    The same batch handed in through ``open_arrow`` marks only the bad row.

    Expected: only the row holding the bad bytes gets a finding; the other rows of its row group are valid.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tthc.testing.record_files import HEADER, row

    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1000)]
    cells = [str(r[column]).encode() for r in rows]
    cells[500] = cells[500][:-1] + b"\xff"  # not UTF-8
    offsets = np.cumsum([0] + [len(c) for c in cells]).astype(np.int32)
    table = {k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER}
    table[column] = pa.Array.from_buffers(
        pa.string(), len(cells), [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(cells))]
    )
    pq.write_table(pa.table(table), tmp_path / "c.parquet", row_group_size=400)
    found = _report_rows(tmp_path / "c.parquet", tmp_path / "c.findings.csv")
    assert [r[0] for r in found] == ["501"]  # 400 findings: rows 401..800, every row of the row group
