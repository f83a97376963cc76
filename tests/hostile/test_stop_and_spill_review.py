"""A hostile review of session 8's fast paths and stop handling (issue 16): properties that held when attacked.

* procedure and agency codes read through a Parquet file's dictionaries (``records.columns.StrCol.factorized``):
  row groups with different dictionaries, a dictionary falling back to plain pages within a row group,
  ``large_string``, values padded with ASCII, NBSP, ideographic or zero-width spaces, NFC beside NFD, a 300-byte
  value, empty and blank cells — the findings, summary and KPI tables of the same rows as CSV;
* the batch due engine on integer seconds (``deadlines.batch``) against ``compute_due`` without explicit rules:
  receipts with a fraction of a second, at 15:00:00 exactly and a microsecond either side, on the first and last days
  of the compiled calendar, before 1970 and far in the future (flagged, never a wrong date);
* the duplicate check (``validation.duplicates``) on codes whose case mapping differs between Python and Arrow or
  that share their first 32 and last 8 bytes, spilled or held, on one machine and in partitions (in-process Dask
  too); its runs of repeats written in many blocks and merged back in file and row order;
* ``compute_due`` straight through under plans of hours with a session starting or ending at the cut-off, the
  cut-off inside a session, midnight starts and half-second bounds, at each bound and on the calendar's edges;
* a SIGTERM in the middle of ``tthc kpi``, of ``tthc validate`` on Parquet with ``--jobs 2`` and of
  ``tthc import-portal --jobs 2``: one line, exit 2, nothing written, no process left.

The bugs this review found are failing tests outside the tree (the lead's list, session 9), not here.
"""

from __future__ import annotations

import csv
import random
import sys
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hostile.stopping import STOPPED, run_stopped
from tthc.catalog.collection import Catalog
from tthc.records.columns import StrCol
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation import duplicates
from tthc.validation.duplicates import DuplicateCodes
from tthc.validation.run import FindingWriter, ValidationSummary, validate_files

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

CAT = Catalog.sample()
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and fork as on Linux")


def _code(i: int) -> str:
    return f"000.00.12.H21-250303-{i:04d}"


def _run(paths: list[Path], report: Path, **kw: Any) -> tuple[dict[str, Any], list[list[str]], ValidationSummary]:
    """The summary (without what it says of the files: format, names), every finding without its file column, and
    the summary object of one run."""
    with FindingWriter(report) as w:
        summary = validate_files(paths, CAT, report=w, **kw)
    with report.open(encoding="utf-8", newline="") as f:
        found = [r[1:] for r in list(csv.reader(f))[1:]]
    return _without_files(summary.to_dict()), found, summary


def _without_files(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_files(v) for k, v in value.items() if k not in ("file", "files")}
    if isinstance(value, list):
        return [_without_files(v) for v in value]
    return value


def _tables(summary: ValidationSummary) -> list[dict[tuple[str, str, str], list[int]]]:
    k = summary.kpi
    return [{key: v.tolist() for key, v in t.items()} for t in (k.reception, k.judged_pause, k.judged_restart)]


# -- Parquet codes through their row groups' dictionaries ------------------------------------------------------------

_PROCEDURES = [
    "2.001417", " 2.001417", "2.001417 ", "\t2.001417", "2.001417\u00a0", "\u30002.001417", "2.001417\u200b", "",
    "  ", "2.000815", "1.001193.000.00.00.H21", "x" * 300, "2.00141", "Ạ.001", unicodedata.normalize("NFD", "Ạ.001"),
]  # fmt: skip
_AGENCIES = [
    "000.00.12.H21", " 000.00.12.H21", "000.00.12.h21", "", "000.00.12.H2l", "Đ00.00.12.H21",
    unicodedata.normalize("NFD", "Ạ00.00.12.H21"), "000.00.12.H21\u3000",
]  # fmt: skip


def test_codes_read_through_each_row_groups_dictionary_give_what_csv_gives(tmp_path: Path) -> None:
    """Per row group its own dictionary (entries in another order, some unused there), a dictionary that overflows
    its page and falls back to plain pages within the row group, and ``large_string`` (read cell by cell): the same
    findings, summary and KPI tables as the CSV of the same rows."""
    rng = random.Random(16)
    rows = [
        row(dossier_code=_code(i), procedure_code=rng.choice(_PROCEDURES), agency_code=rng.choice(_AGENCIES))
        for i in range(2_500)
    ]
    # each row group drawn from its own part of the values: dictionaries that differ from one group to the next
    for start in range(0, len(rows), 700):
        keep = rng.sample(range(len(_PROCEDURES)), 6)
        for r in rows[start : start + 700]:
            r["procedure_code"] = _PROCEDURES[rng.choice(keep)]
    table = pa.table({k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER})
    pq.write_table(table, tmp_path / "groups.parquet", row_group_size=700)
    pq.write_table(table, tmp_path / "fallback.parquet", row_group_size=2_000, dictionary_pagesize_limit=64)
    pq.write_table(table.cast(pa.schema([(k, pa.large_string()) for k in HEADER])), tmp_path / "large.parquet")
    groups = pq.ParquetFile(tmp_path / "groups.parquet", read_dictionary=["procedure_code"])
    dictionaries = {
        tuple(groups.read_row_group(g, columns=["procedure_code"]).column(0).chunk(0).dictionary.to_pylist())
        for g in range(groups.num_row_groups)
    }
    assert len(dictionaries) == groups.num_row_groups  # each row group its own dictionary
    meta = pq.ParquetFile(tmp_path / "fallback.parquet").metadata.row_group(0).column(HEADER.index("procedure_code"))
    assert meta.has_dictionary_page  # dictionary pages, then plain ones
    assert "PLAIN" in meta.encodings
    summary, found, whole = _run([write_csv(tmp_path / "d.csv", rows)], tmp_path / "csv.csv")
    assert whole.invalid_rows > 500  # both kinds, so the comparison can tell
    assert whole.valid_rows > 500
    for name in ("groups", "fallback", "large"):
        got, got_found, got_whole = _run([tmp_path / f"{name}.parquet"], tmp_path / f"{name}.csv")
        assert (got, got_found) == (summary, found), name
        assert _tables(got_whole) == _tables(whole), name


# -- the batch due engine on integer seconds ----------------------------------------------------------------------


def _receipts(rng: random.Random, first: date, last: date) -> list[datetime]:
    out = []
    fractions = [0, 1, 500_000, 999_999]
    for _ in range(150):  # anywhere in four years, with a fraction of a second
        at = datetime(2024, 1, 1) + timedelta(seconds=rng.randrange(4 * 365 * 86_400))
        out.append(at.replace(microsecond=rng.choice(fractions)))
    for day in (first, last):  # the compiled calendar's first and last days, and a microsecond outside them
        for _ in range(40):
            out.append(
                datetime.combine(day, datetime.min.time()) + timedelta(microseconds=rng.randrange(86_400_000_000))
            )
    out += [datetime.combine(first, datetime.min.time()) - timedelta(microseconds=1)]
    out += [
        datetime.combine(last, datetime.max.time()),
        datetime.combine(last + timedelta(days=1), datetime.min.time()),
    ]
    for month in range(1, 13):  # the cut-off to the microsecond
        out += [datetime(2025, month, 12, 15), datetime(2025, month, 12, 15, 0, 0, 1)]
        out += [datetime(2025, month, 12, 14, 59, 59, 999_999)]
    return out


def test_the_batch_engine_on_whole_seconds_gives_compute_dues_answer_to_the_microsecond() -> None:
    """Receipts with fractions of a second (cut to their second on integer seconds, as ``compute_due`` counts them),
    at the cut-off, on the compiled range's first and last days and just outside it, every unit and channel, with
    the rules of each receipt's own era (no ``rules``): ``compute_due_many_checked`` gives ``compute_due``'s due
    instant, and flags exactly the rows ``compute_due`` refuses as out of range."""
    from tthc.calendar.working_calendar import public_sector_calendar
    from tthc.deadlines.batch import UNIT_CODES, compute_due_many_checked
    from tthc.deadlines.compute import compute_due
    from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
    from tthc.errors import CalendarRangeError
    from tthc.foundation.channels import Channel

    cal = public_sector_calendar()
    rng = random.Random(8)
    units = [
        TimeUnit.WORKING_DAYS,
        TimeUnit.CALENDAR_DAYS,
        TimeUnit.WORKING_HOURS,
        TimeUnit.MONTHS,
        TimeUnit.WITHIN_DAY,
    ]
    cases = [
        (at, rng.randint(0, 30), rng.choice(units), rng.choice(list(Channel)))
        for at in _receipts(rng, cal.first, cal.last)
    ]
    got, flagged = compute_due_many_checked(
        np.array([np.datetime64(at, "us") for at, *_ in cases]),
        np.array([n for _, n, *_ in cases]),
        np.array([UNIT_CODES[u] for _, _, u, _ in cases]),
        channels=np.array([c.portal_code for *_, c in cases]),
    )
    for (at, n, unit, channel), due, flag in zip(cases, got.tolist(), flagged.tolist(), strict=True):
        pt = ProcessingTime(unit) if unit is TimeUnit.WITHIN_DAY else ProcessingTime(unit, n)
        try:
            want = compute_due(at, pt, channel=channel).due_at
        except CalendarRangeError:
            assert (due, flag) == (None, True), (at, n, unit, channel)
            continue
        assert want is not None
        assert (due, flag) == (want.replace(tzinfo=None), False), (at, n, unit, channel)
    assert flagged.sum() >= 3  # the rows just outside the range, at least


@pytest.mark.parametrize("unit", ["us", "ns", "s", "D", "h"])
def test_receipts_before_1970_and_far_beyond_the_calendar_are_flagged_never_a_date(unit: str) -> None:
    """Before 1970 with a fraction (numpy floors those to the second), centuries before and after the calendar, and
    values at the ends of int64 in each unit: flagged out of range, no due date, no overflow."""
    from tthc.deadlines.batch import compute_due_many_checked

    values = ["1969-12-31T23:59:59.5", "1900-01-01", "1600-06-01", "9999-12-31", "1999-12-31T23:59:59.999999"]
    received = np.array(values, dtype="datetime64[us]").astype(f"datetime64[{unit}]")
    extremes = np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min + 1], dtype=np.int64).view(
        f"datetime64[{unit}]"
    )
    received = np.concatenate([received, extremes])
    due, flagged = compute_due_many_checked(
        received, np.full(len(received), 5), np.zeros(len(received), dtype=np.int64)
    )
    assert flagged.tolist() == [True] * len(received)
    assert np.isnat(due).all()


# -- the duplicate check -------------------------------------------------------------------------------------------

# spelt alike once upper-cased by Arrow (the single-machine rule) or not: ß and ẞ and SS, ǅ ǆ Ǆ, ﬀ and FF, ı I i,
# the Kelvin sign and k, final and medial sigma; 52-byte codes equal in their first 32 and last 8 bytes (what the
# hash reads); NFD beside NFC; a month past what a packed key holds (hashed)
_LOOK_ALIKES = [
    "000.00.12.H21-250303-0001", "000.00.12.h21-250303-0001", "HS-Đ-1", "hs-đ-1", "HS-ß-1", "HS-SS-1", "HS-ẞ-1",
    "x" * 40 + "A" + "y" * 11, "x" * 40 + "B" + "y" * 11, "X" * 40 + "a" + "Y" * 11,
    unicodedata.normalize("NFD", "HỒ-SƠ-1"), "HỒ-SƠ-1", "hồ-sơ-1", "000.00.12.H21-251603-0001",
    "000.00.12.h21-251603-0001", "ǅ-1", "ǆ-1", "Ǆ-1", "ﬀ-1", "FF-1", "ı-1", "I-1", "i-1", "\u212a-1", "k-1", "ς-1",
    "σ-1", "Σ-1",
]  # fmt: skip


def _look_alike_rows(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        row(dossier_code=rng.choice(_LOOK_ALIKES) if rng.random() < 0.7 else _code(rng.randrange(4_000)))
        for _ in range(n)
    ]


def test_look_alike_codes_repeat_alike_spilled_or_held_on_one_machine_or_in_partitions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV and a Parquet file of look-alike codes: the same report and summary with the codes held in memory or
    spilled under a bound of 2,000 bytes, and partitioned (two cuts) or on an in-process Dask cluster."""
    from tthc.scale.partitions import validate_partitions_locally

    a = write_csv(tmp_path / "a.csv", _look_alike_rows(1_500, 1))
    rows_b = _look_alike_rows(1_000, 2)
    b = tmp_path / "b.parquet"
    pq.write_table(
        pa.table({k: pa.array([r[k] or None for r in rows_b], pa.string()) for k in HEADER}), b, row_group_size=300
    )
    held = _run([a, b], tmp_path / "held.csv")
    assert held[0]["rows"] == 2_500
    repeats = [f for f in held[1] if f[2] == "E_DUPLICATE_DOSSIER"]
    assert len(repeats) > 500
    spills: list[bool] = []
    real_found = DuplicateCodes.found

    def found(self: DuplicateCodes) -> Any:
        spills.append(self.spilled)
        return real_found(self)

    with monkeypatch.context() as m:
        m.setattr(duplicates, "MEMORY_BYTES", 2_000)
        m.setattr(DuplicateCodes, "found", found)
        spilled = _run([a, b], tmp_path / "spilled.csv")
    assert spills == [True]
    assert spilled[:2] == held[:2]
    for partition_bytes in (5_000, 40_000):
        with FindingWriter(tmp_path / "cut.csv") as w:
            cut = validate_partitions_locally([a, b], CAT, report=w, partition_bytes=partition_bytes)
        assert _without_files(cut.to_dict()) == held[0]
        assert (tmp_path / "cut.csv").read_bytes() == (tmp_path / "held.csv").read_bytes()


def test_look_alike_codes_repeat_alike_on_an_in_process_dask_cluster(tmp_path: Path) -> None:
    """The same look-alike codes through Dask's duplicate stage (``repeated_codes`` per bucket, ``duplicate_findings``
    on the client) on an in-process cluster: the single machine's report and summary, byte for byte."""
    pytest.importorskip("distributed", reason="the 'distributed' extra is not installed")
    from tthc.scale import dask as tthc_dask

    a = write_csv(tmp_path / "a.csv", _look_alike_rows(1_200, 3))
    held = _run([a], tmp_path / "held.csv")
    with tthc_dask.local_client(2, processes=False) as client, FindingWriter(tmp_path / "dask.csv") as w:
        many = tthc_dask.validate_files([a], CAT, client=client, report=w, partition_bytes=20_000)
    assert _without_files(many.to_dict()) == held[0]
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "held.csv").read_bytes()


def test_runs_of_repeats_written_in_many_blocks_merge_back_in_file_and_row_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One code repeated in every piece of two files, others now and then, a bound of 64 bytes (every run of repeats
    goes to the temporary file) and blocks of 3 repeats (each run in many blocks, merged from disk): every repeat in
    file and row order, each naming the first occurrence; no findings for a run without codes."""
    monkeypatch.setattr(duplicates, "_RUN_BLOCK", 3)
    blocks: list[int] = []
    real_write = duplicates._RunStore._write_held

    def write_held(self: Any) -> None:
        blocks.extend(len(run[0]) for run in self._held)
        real_write(self)

    monkeypatch.setattr(duplicates._RunStore, "_write_held", write_held)
    rng = random.Random(4)
    files = [
        [
            _code(1) if rng.random() < 0.4 else rng.choice(["A-1", "a-1", "B-2", _code(rng.randrange(30))])
            for _ in range(120)
        ]
        for _ in range(2)
    ]
    first: dict[str, tuple[int, int]] = {}
    want = []
    for f, codes in enumerate(files):
        for r, code in enumerate(codes, 1):
            if code.upper() in first:
                want.append((f, r, first[code.upper()]))
            else:
                first[code.upper()] = (f, r)
    with DuplicateCodes(memory_bytes=64, buckets=4) as check:
        for f, codes in enumerate(files):
            check.start_file(f"f{f}")
            for lo in range(0, len(codes), 25):
                part = codes[lo : lo + 25]
                check.add(
                    np.arange(lo + 1, lo + 1 + len(part)), StrCol(arrow=pa.array(part)), np.zeros(len(part), np.int8)
                )
        got = [(int(p.file[1:]), p.row, p.message) for p, _ in check.found()]
        assert check.spilled  # the codes
    assert len(blocks) > 1  # the runs of repeats, written to disk, each in blocks of 3
    assert max(blocks) > 3
    expected = [(f, r, (ff, fr)) for f, r, (ff, fr) in want]
    assert [(f, r) for f, r, _ in got] == [(f, r) for f, r, _ in expected]
    for (_, _, message), (f, _, (ff, fr)) in zip(got, expected, strict=True):
        assert message.endswith(f"row {fr}" + (f" of f{ff}" if ff != f else ""))
    with DuplicateCodes(memory_bytes=64) as empty:
        empty.start_file("none")
        empty.add(np.arange(1, 4), StrCol(arrow=pa.array([None, None, None], pa.string())), np.zeros(3, np.int8))
        assert list(empty.found()) == []
        assert not empty.spilled


# -- compute_due straight through at the edges of plans of hours ------------------------------------------------------

_PLANS = {
    "cut-off inside the second session": (("07:00", "11:00"), ("14:00", "18:00")),
    "a session from the cut-off": (("15:00", "19:00"),),
    "a session to the cut-off": (("08:00", "15:00"),),
    "from midnight": (("00:00", "04:00"), ("20:00", "23:59:59.999999")),
    "half-second bounds": (("08:00:00.5", "12:00:00.5"), ("13:00:00.5", "17:00:00.5")),
}


@pytest.mark.parametrize("name", sorted(_PLANS))
def test_the_straight_path_at_each_bound_of_a_plan_of_hours_is_the_general_paths_answer(name: str) -> None:
    """Receipts at each session bound, the cut-off, midnight, a second and a microsecond either side, on both sides
    of 1 Jul 2025 and on the compiled calendar's first and last days, in working days and hours up to 5,000: the
    answer (or the error) of a usual call is that of the general path (the same call with explicit rules)."""
    from datetime import time as clock

    from tthc import public_sector_calendar
    from tthc.calendar.office_hours import OfficeHours
    from tthc.deadlines import compute_due
    from tthc.deadlines.counting import _era, _rules_of_era
    from tthc.deadlines.processing_time import ProcessingTime
    from tthc.errors import TthcError
    from tthc.foundation.channels import Channel

    sessions = tuple((clock.fromisoformat(a), clock.fromisoformat(b)) for a, b in _PLANS[name])
    cal = public_sector_calendar().with_overlay(office_hours=OfficeHours(sessions))
    bounds = [t for span in sessions for t in span] + [clock(15), clock(0), clock(23, 59, 59)]
    days = [date(2025, 6, 30), date(2025, 7, 1), date(2026, 2, 13), cal.first, cal.last, date(2100, 12, 29)]
    rng = random.Random(name)
    straight = 0
    for _ in range(120):
        at = datetime.combine(rng.choice(days), rng.choice(bounds))
        at += timedelta(seconds=rng.choice([-1, 0, 0, 1]), microseconds=rng.choice([0, 0, 1, -1]))
        amount = rng.choice([0, 1, 7, 8, 9, 40, 5_000])
        pt = ProcessingTime.working_days(amount) if rng.random() < 0.5 else ProcessingTime.working_hours(amount)
        channel = rng.choice(list(Channel))
        answers: list[object] = []
        for rules in (None, _rules_of_era(_era(at.date()))):
            try:
                due = compute_due(at, pt, channel=channel, calendar=cal, rules=rules)
            except TthcError as exc:
                answers.append(type(exc).__name__)
                continue
            straight += rules is None and due._known[1].__class__ is not tuple
            answers.append((due.due_at, due.effective_received_at, due.counted_from, due.steps_in("en")))
        assert answers[0] == answers[1], (at, pt, channel)
    assert straight >= 40


# -- stops of the other commands -----------------------------------------------------------------------------------

_STOPPED_MIDWAY = """
import os, signal, sys
from tthc.catalog import portal_jobs
from tthc.cli import main
from tthc.validation import run, workers

parent = os.getpid()
portal_jobs.RUN_BYTES, portal_jobs.POOL_MIN_BYTES = 300, 600  # several runs, forked workers
real_check, real_parse, real_run = workers.validate_chunk, portal_jobs.parse_record, run.validate_files

def stop_once():
    try:  # one SIGTERM to the command, from the first piece checked or record parsed (here or in a worker)
        os.close(os.open("sent", os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return
    os.kill(parent, signal.SIGTERM)

def checked(*args, **kwargs):
    stop_once()
    return real_check(*args, **kwargs)

def parsed(record):
    stop_once()
    return real_parse(record)

def small_pieces(*args, **kwargs):
    return real_run(*args, **{**kwargs, "chunk_bytes": 60_000})

workers.validate_chunk, portal_jobs.parse_record, run.validate_files = checked, parsed, small_pieces
sys.exit(main(sys.argv[1:]))
"""


def _national(i: int) -> str:
    return (
        f'{{"ma_thu_tuc": "1.{i:06d}", "ten_thu_tuc": "Cấp giấy phép", '
        '"cach_thuc_thuc_hien": "Trực tiếp 5 ngày làm việc"}'
    )


@linux_only
@pytest.mark.parametrize(
    "command",
    [
        ["kpi", "d.csv", "--jobs", "1", "--html", "k.html", "--report", "r.csv"],
        ["validate", "d.parquet", "--jobs", "2", "--report", "r.csv", "--kpi-json", "k.json"],
        ["import-portal", "e.jsonl", "--jobs", "2", "--out", "c.json"],
    ],
    ids=["kpi", "validate-parquet-jobs-2", "import-portal-jobs-2"],
)
def test_sigterm_midway_through_kpi_parquet_and_import_is_one_line_exit_2_and_nothing_left(
    tmp_path: Path, command: list[str]
) -> None:
    """SIGTERM while a piece is checked or a record parsed: the command says it was interrupted in one line (exit
    2), no output and no ``.tmp`` is left, and no worker outlives it."""
    rows = [
        row(dossier_code=_code(i), due_at="2025-03-18 17:00:00" if i % 5 else row()["due_at"]) for i in range(3_000)
    ]
    write_csv(tmp_path / "d.csv", rows)
    pq.write_table(
        pa.table({k: pa.array([r[k] or None for r in rows], pa.string()) for k in HEADER}),
        tmp_path / "d.parquet",
        row_group_size=512,
    )
    (tmp_path / "e.jsonl").write_text("\n".join(_national(i) for i in range(1, 61)) + "\n", encoding="utf-8")
    inputs = {"d.csv", "d.parquet", "e.jsonl", "sent"}
    ended = run_stopped(_STOPPED_MIDWAY, ["--lang", "en", *command], tmp_path)
    assert (tmp_path / "sent").exists()  # the stop was sent midway, not after the command's end
    assert (ended.returncode, ended.lines) == (2, [STOPPED]), ended.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in inputs) == []
    assert not ended.left, "a worker process outlived the run"
