"""Bulk validation checks, each against its source, invalid-on-purpose rows, and the batch core's contracts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from tthc.catalog.collection import Catalog
from tthc.cli import main
from tthc.kpi.indicators import KpiPartial, compute_kpis
from tthc.records.model import VN_TZ
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.rules import CHECKS, Timeliness
from tthc.validation.run import FindingWriter, validate_files

CAT = Catalog.sample()


def _check(
    *rows: dict[str, str], options: ValidationOptions | None = None
) -> tuple[list[tuple[int, str, str]], object]:
    chunk = {k: [r[k] for r in rows] for k in HEADER}
    result = validate_chunk(chunk, CAT, options)
    return [(p.row, p.code, p.message) for p in result.findings], result


def _codes(*rows: dict[str, str], options: ValidationOptions | None = None) -> set[str]:
    return {c for _, c, _ in _check(*rows, options=options)[0]}


def test_a_good_row_has_no_finding() -> None:
    findings, result = _check(row())
    assert findings == []
    assert result.valid.tolist() == [True]  # type: ignore[attr-defined]
    assert result.timeliness_pause.tolist() == [Timeliness.EARLY]  # type: ignore[attr-defined]


def test_every_code_has_a_source() -> None:
    for code, check in CHECKS.items():
        assert check.source
        assert check.title
        assert check.severity == ("error" if code.startswith("E_") else "warning")


def test_unknown_procedure() -> None:
    assert "E_UNKNOWN_PROCEDURE" in _codes(row(procedure_code="9.999999"))


def test_channel_not_offered_names_the_published_channels() -> None:
    """NĐ 61/2018 Điều 16: channels are those the procedure publishes (2.000884 is direct only)."""
    findings, _ = _check(row(procedure_code="2.000884", channel="online", due_at=""))
    msg = next(m for _, c, m in findings if c == "E_CHANNEL_NOT_OFFERED")
    assert "publishes no online channel" in msg
    assert "direct" in msg


def test_dates_out_of_order() -> None:
    findings, _ = _check(row(finished_at="2025-03-02 10:00:00", returned_at="2025-03-01 10:00:00"))
    msgs = [m for _, c, m in findings if c == "E_DATE_ORDER"]
    assert any("finished before it was received" in m for m in msgs)
    assert any("returned before processing finished" in m for m in msgs)


def test_due_mismatch_reports_both_values_and_the_trace() -> None:
    """The due date recomputed from receipt, procedure and channel (NĐ 61/2018 Điều 18.2; BLDS 2015 Điều 147–148)."""
    findings, _ = _check(row(due_at="2025-03-14 17:00:00"))
    msg = next(m for _, c, m in findings if c == "E_DUE_MISMATCH")
    # seconds are written only when not :00
    assert "recorded due 2025-03-14 17:00, recomputed 2025-03-17 17:00 from 2025-03-" in msg
    assert "trace:" in msg
    assert "2025" in msg.split("trace:")[1]


def test_due_check_by_instant_and_off() -> None:
    late_hour = row(due_at="2025-03-17 11:30:00")
    assert "E_DUE_MISMATCH" not in _codes(late_hour)  # same day: fine by default
    assert "E_DUE_MISMATCH" in _codes(late_hour, options=ValidationOptions(due_check="instant"))
    assert "E_DUE_MISMATCH" not in _codes(row(due_at="2025-03-14 17:00:00"), options=ValidationOptions(due_check="off"))


def test_cut_off_moves_the_due_date() -> None:
    """NĐ 61/2018 Điều 18.2: received after 15:00 counts from the next working day."""
    assert "E_DUE_MISMATCH" in _codes(row(channel="direct", online_level="", received_at="2025-03-03 15:30:00"))
    assert "E_DUE_MISMATCH" not in _codes(
        row(channel="direct", online_level="", received_at="2025-03-03 15:30:00", due_at="2025-03-18 17:00:00")
    )


def test_second_extension_and_late_extension() -> None:
    """NĐ 61/2018 Điều 19.9: the return date may be moved once, at the latest 1 day before it expires."""
    twice = row(extended_due_at="2025-03-20 17:00:00", extension_count="2", extension_issued_at="2025-03-13 10:00:00")
    assert "E_SECOND_EXTENSION" in _codes(twice)
    late = row(extended_due_at="2025-03-20 17:00:00", extension_count="1", extension_issued_at="2025-03-17 09:00:00")
    codes = _codes(late)
    assert "W_LATE_EXTENSION" in codes
    assert "E_SECOND_EXTENSION" not in codes
    timely = row(extended_due_at="2025-03-20 17:00:00", extension_count="1", extension_issued_at="2025-03-13 10:00:00")
    assert _codes(timely) == set()
    assert "W_EXTENSION_NOT_LATER" in _codes(row(extended_due_at="2025-03-10 17:00:00"))


def test_supplement_rules() -> None:
    """NĐ 61/2018 Điều 19.4: ask within 3 working days; asked once (Điều 17)."""
    late = row(supplement_requested_at="2025-03-10 09:00:00", supplement_completed_at="2025-03-11 09:00:00",
               supplement_count="1")  # fmt: skip
    assert "W_LATE_SUPPLEMENT_REQUEST" in _codes(late)
    twice = row(supplement_requested_at="2025-03-04 09:00:00", supplement_completed_at="2025-03-05 09:00:00",
                supplement_count="2")  # fmt: skip
    findings, result = _check(twice)
    assert "W_REPEATED_SUPPLEMENT" in {c for _, c, _ in findings}
    # QĐ 766: more than one supplement request counts the dossier late even when it finished early
    assert result.timeliness_pause.tolist() == [Timeliness.LATE]  # type: ignore[attr-defined]
    assert result.timeliness_restart.tolist() == [Timeliness.EARLY]  # type: ignore[attr-defined]


def test_pause_and_restart_readings_differ() -> None:
    """QĐ 766 subtracts the supplement interval (pause); NĐ 61/2018 Điều 19.4 restarts the time from zero.

    Received Mon 3 Mar 2025 09:00, 10 working days → due 17 Mar. Supplement asked Tue 4 Mar, completed Fri 7 Mar
    14:00. Pause: due + 3 working days = Thu 20 Mar 17:00. Restart: 10 working days from 7 Mar = Fri 21 Mar 17:00.
    Finished Fri 21 Mar 10:00: late in the pause reading, on time in the legal reading.
    """
    r = row(supplement_requested_at="2025-03-04 09:00:00", supplement_completed_at="2025-03-07 14:00:00",
            supplement_count="1", finished_at="2025-03-21 10:00:00", returned_at="2025-03-21 11:00:00")  # fmt: skip
    findings, result = _check(r)
    assert findings == []
    assert result.timeliness_pause.tolist() == [Timeliness.LATE]  # type: ignore[attr-defined]
    assert result.timeliness_restart.tolist() == [Timeliness.ON_TIME]  # type: ignore[attr-defined]


def test_postal_checks() -> None:
    """QĐ 45/2016/QĐ-TTg Điều 1.2 (in person and no authorisation: not by post); UPU S10 check digit."""
    marriage = row(procedure_code="1.000894", channel="direct", online_level="", result_channel="postal",
                   due_at="", tracking_number="EB123456785VN")  # fmt: skip
    findings, _ = _check(marriage)
    assert any(c == "E_POSTAL_INELIGIBLE" and "1.000894" in m for _, c, m in findings)
    assert "E_TRACKING_CHECK_DIGIT" in _codes(row(result_channel="postal", tracking_number="EB123456789VN"))
    assert "E_TRACKING_FORMAT" in _codes(row(result_channel="postal", tracking_number="EB12345VN"))
    assert "W_TRACKING_MISSING" in _codes(row(result_channel="postal"))
    assert _codes(row(result_channel="postal", tracking_number="eb123456785vn")) == set()


def test_identifier_checks() -> None:
    """TT 01/2018/TT-VPCP Điều 19 dossier codes; QCVN 102:2016 agency codes."""
    assert "E_DOSSIER_CODE" in _codes(row(dossier_code="000.00.12.H21-250230-0001"))  # 30 Feb
    assert "E_DOSSIER_CODE" in _codes(row(dossier_code="abc"))
    assert "W_DOSSIER_CODE_DATE" in _codes(row(dossier_code="000.00.12.H21-250304-0001"))
    assert _codes(row(dossier_code="H21.65-250303-0011")) == set()
    assert _codes(row(dossier_code="00352112000539")) == set()
    assert "W_AGENCY_CODE" in _codes(row(agency_code="H21.12"))


def test_status_and_in_force() -> None:
    assert "W_STATUS" in _codes(row(finished_at="", returned_at="", status="returned"))
    assert "W_STATUS" in _codes(row(status="processing"))
    # the H21 local instance of 1.001193 is in force from 1 Jul 2025 (Nghị quyết 202/2025/QH15 reform)
    early = row(procedure_code="1.001193.000.00.00.H21", due_at="", channel="direct", online_level="")
    assert "W_PROCEDURE_NOT_IN_FORCE" in _codes(early)


def test_required_values_and_unreadable_cells() -> None:
    findings, result = _check(row(channel="", received_at="yesterday", procedure_code=""))
    codes = [(c, m) for _, c, m in findings]
    assert ("E_SCHEMA", "expected a value in required column channel, got an empty cell") in codes
    assert any(c == "E_TYPE" and "yesterday" in m for c, m in codes)
    assert not any(c == "E_SCHEMA" and "received_at" in m for c, m in codes)  # already an E_TYPE
    assert result.valid.tolist() == [False]  # type: ignore[attr-defined]


def test_open_dossiers_are_judged_at_as_of() -> None:
    """QĐ 766 2.1: open dossiers are judged at the period end; still within time counts as on time."""
    open_row = row(finished_at="", returned_at="", result_channel="", status="processing")
    _, r0 = _check(open_row)
    assert r0.timeliness_pause.tolist() == [Timeliness.UNKNOWN]  # type: ignore[attr-defined]
    _, r1 = _check(open_row, options=ValidationOptions(as_of=datetime(2025, 3, 10, tzinfo=VN_TZ)))
    assert r1.timeliness_pause.tolist() == [Timeliness.OPEN_WITHIN]  # type: ignore[attr-defined]
    _, r2 = _check(open_row, options=ValidationOptions(as_of=datetime(2025, 3, 18, tzinfo=VN_TZ)))
    assert r2.timeliness_pause.tolist() == [Timeliness.OPEN_OVERDUE]  # type: ignore[attr-defined]


def test_batch_timeliness_equals_the_scalar_classify() -> None:
    """The vectorised classes equal tthc.deadlines.compute.classify_detail row by row on the sample."""
    import pandas as pd

    from tthc.deadlines.compute import Timeliness as T
    from tthc.deadlines.compute import classify_detail
    from tthc.records.sample import sample_path

    frame = pd.read_csv(sample_path(), dtype=str, keep_default_na=False)
    plain = frame[(frame.supplement_count == "0") & (frame.extended_due_at == "") & (frame.finished_at != "")]
    plain = plain[plain.due_at != ""].head(600)
    result = validate_chunk(plain, CAT)
    names = {T.EARLY: Timeliness.EARLY, T.ON_TIME: Timeliness.ON_TIME, T.LATE: Timeliness.LATE}
    for k, (_, r) in enumerate(plain.iterrows()):
        expected = classify_detail(datetime.fromisoformat(r.due_at), datetime.fromisoformat(r.finished_at))
        assert result.timeliness_pause[k] == names[expected.timeliness], r.dossier_code


def test_chunk_types_agree(tmp_path: Path) -> None:
    """The same rows as a reader chunk, a pandas frame and an Arrow table give the same findings and KPIs."""
    import pandas as pd
    import pyarrow as pa

    rows = [row(), row(procedure_code="9.999999"), row(due_at="2025-03-14 17:00:00")]
    p = write_csv(tmp_path / "r.csv", rows)
    from tthc.records.readers import open_records

    chunk = next(iter(open_records(p)))
    frame = pd.DataFrame(rows)
    results = [validate_chunk(c, CAT) for c in (chunk, frame, pa.Table.from_pandas(frame))]
    keys = [sorted((f.row, f.code) for f in r.findings) for r in results]
    assert keys[0] == keys[1] == keys[2]
    for r in results[1:]:
        assert np.array_equal(r.timeliness_pause, results[0].timeliness_pause)
        assert compute_kpis(r.kpi, CAT) == compute_kpis(results[0].kpi, CAT)  # type: ignore[arg-type]


def test_sample_dataset_validates_clean() -> None:
    """The bundled sample is valid (invalid-on-purpose rows live in these tests)."""
    from tthc.records.sample import sample_path

    s = validate_files([sample_path()], CAT)
    assert s.rows > 3000
    assert s.invalid_rows == 0
    assert s.warning_rows == 0
    assert s.by_code == {}
    assert s.timeliness_pause["late"] > 0
    assert s.timeliness_pause["early"] > 0


def test_partials_from_chunks_add_up_to_the_whole() -> None:
    """KPI partials are counts: summing chunk partials equals one pass (what partition-wise runs rely on)."""
    from tthc.records.sample import sample_path

    whole = validate_files([sample_path()], CAT)
    parts: list[KpiPartial] = []
    validate_files([sample_path()], CAT, chunk_bytes=20_000, on_chunk=lambda r: parts.append(r.kpi))  # type: ignore[arg-type]
    assert len(parts) > 5
    assert compute_kpis(KpiPartial.sum(parts), CAT) == compute_kpis(whole.kpi, CAT)
    assert compute_kpis(parts[0] + parts[1], CAT) == compute_kpis(KpiPartial.sum(parts[:2]), CAT)


def test_duplicates_across_chunks(tmp_path: Path) -> None:
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 400)]
    rows.append(row(dossier_code="000.00.12.h21-250303-0007"))
    p = write_csv(tmp_path / "d.csv", rows)
    s = validate_files([p], CAT, chunk_bytes=4096)
    assert s.by_code == {"E_DUPLICATE_DOSSIER": 1}
    assert "already on row 7" in s.examples["E_DUPLICATE_DOSSIER"][0].message


@pytest.mark.parametrize("suffix", ["csv", "json", "jsonl"])
def test_report_formats_hold_every_finding(tmp_path: Path, suffix: str) -> None:
    import csv
    import json

    p = write_csv(tmp_path / "r.csv", [row(), row(procedure_code="9.999999"), row(channel="fax")])
    out = tmp_path / f"report.{suffix}"
    with FindingWriter(out) as w:
        s = validate_files([p], CAT, report=w)
    if suffix == "csv":
        with out.open(encoding="utf-8") as fh:
            items = list(csv.DictReader(fh))
    elif suffix == "json":
        items = json.loads(out.read_text(encoding="utf-8"))
    else:
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(items) == sum(s.by_code.values())
    assert {(str(i["row"]), i["code"]) for i in items} >= {("2", "E_UNKNOWN_PROCEDURE"), ("3", "E_TYPE")}
    assert all(set(i) >= {"file", "row", "field", "code", "message"} for i in items)


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["validate", "--sample", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == data["valid_rows"] > 3000
    bad = write_csv(tmp_path / "bad.csv", [row(), row(procedure_code="9.999999")])
    assert main(["validate", str(bad), "--report", str(tmp_path / "r.csv")]) == 1
    out = capsys.readouterr().out
    assert "E_UNKNOWN_PROCEDURE" in out
    assert "1 invalid" in out
    warn = write_csv(tmp_path / "warn.csv", [row(status="processing")])
    assert main(["validate", str(warn)]) == 0
    assert main(["validate", str(warn), "--strict"]) == 1
    assert main(["validate"]) == 2


def test_progress_bar_on_long_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A long run shows a rich progress bar on stderr; --json never does."""
    import tthc.cli._records as rec

    seen: list[tuple[int, int, int]] = []
    real = rec.run_validation

    def spy(*a: object, **k: object) -> object:
        import tthc.validation.run as vr

        original = vr.validate_files

        def wrapped(*aa: object, **kk: object) -> object:
            progress = kk.get("progress")
            if callable(progress):

                def record(done: int, total: int, rows: int) -> None:
                    seen.append((done, total, rows))
                    progress(done, total, rows)

                kk["progress"] = record
            return original(*aa, **kk)  # type: ignore[arg-type]

        monkeypatch.setattr(vr, "validate_files", wrapped)
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(rec, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.setattr(rec, "run_validation", spy)
    monkeypatch.setattr("tthc.cli.validate.run_validation", spy)
    assert main(["validate", "--sample"]) == 0
    assert seen
    assert seen[-1][2] > 3000
    seen.clear()
    assert main(["validate", "--sample", "--json"]) == 0
    assert seen == []
    capsys.readouterr()


def test_reductions_in_bulk_equal_the_scalar_engine() -> None:
    """Priority reductions (domain.md §3, [open]; bundled EXAMPLE figures): the batch recomputation, including the
    half-day rows handed to the scalar engine, equals tthc.deadlines.compute.compute_due row by row."""
    import pandas as pd

    from tthc.catalog.model import Procedure
    from tthc.deadlines.compute import compute_due
    from tthc.deadlines.reductions import load_reductions
    from tthc.foundation.channels import Channel, OnlineLevel, PostalService
    from tthc.records.sample import sample_path

    examples = load_reductions()
    frame = pd.read_csv(sample_path(), dtype=str, keep_default_na=False).iloc[::7].head(400)
    result = validate_chunk(frame, CAT, ValidationOptions(reductions=examples, due_check="off"))
    checked = reduced = 0
    for k, (_, r) in enumerate(frame.iterrows()):
        proc = CAT.get(r.procedure_code)
        assert isinstance(proc, Procedure)
        ch = Channel(r.channel)
        pt = proc.options(ch)[0].processing_time
        if pt is None or (pt.amount is None and pt.unit.value != "within_day"):
            continue
        postal = {
            (True, True): PostalService.BOTH,
            (True, False): PostalService.SEND,
            (False, True): PostalService.RETURN,
        }.get((r.channel == "postal", r.result_channel == "postal"))
        level = OnlineLevel(r.online_level) if r.online_level else None
        want = compute_due(datetime.fromisoformat(r.received_at), pt, channel=ch, reductions=examples,
                           procedure=proc, online_level=level, postal=postal)  # fmt: skip
        got = result.due_expected[k]
        assert want.due_at is not None
        assert got == np.datetime64(want.due_at.replace(tzinfo=None), "s"), (r.dossier_code, want.explain())
        checked += 1
        reduced += r.due_at[:10] != str(got)[:10]
    assert checked > 300
    assert reduced > 50  # the examples do shorten many of the sample's (unreduced) due dates
    plain = validate_chunk(frame, CAT, ValidationOptions(reductions=examples))
    assert any(f.code == "E_DUE_MISMATCH" for f in plain.findings)


def test_half_day_reductions_go_through_the_scalar_engine(tmp_path: Path) -> None:
    """A reduction to 7½ working days (half-day rounding) is counted by the scalar engine, row by row."""
    import json

    from tthc.catalog.model import Procedure
    from tthc.deadlines.compute import compute_due
    from tthc.deadlines.reductions import load_reductions
    from tthc.foundation.channels import Channel, OnlineLevel

    f = tmp_path / "r.json"
    f.write_text(
        json.dumps(
            {
                "combination": "most_favourable",
                "reductions": [
                    {"name": "test: a quarter off online", "condition": {"channel": "online"}, "percent": 25,
                     "rounding": "half_day", "reference": {"document": "test", "tag": "example"}}
                ],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    reductions = load_reductions(f)
    proc = CAT.get("2.001417")
    assert isinstance(proc, Procedure)
    want = compute_due(datetime(2025, 3, 3, 9), "10 ngày làm việc", channel=Channel.ONLINE, reductions=reductions,
                       procedure=proc, online_level=OnlineLevel.FULL)  # fmt: skip
    assert want.due_at is not None
    recorded = want.due_at.replace(tzinfo=None).isoformat(sep=" ")
    findings, result = _check(
        row(due_at=recorded), options=ValidationOptions(reductions=reductions, due_check="instant")
    )
    assert findings == []
    assert result.due_expected[0] == np.datetime64(want.due_at.replace(tzinfo=None), "s")  # type: ignore[attr-defined]
    assert "E_DUE_MISMATCH" in _codes(row(due_at=recorded), options=ValidationOptions(due_check="instant"))


def test_checking_in_worker_processes_gives_the_same_answer(tmp_path: Path) -> None:
    from tthc.records.sample import sample_path

    one = validate_files([sample_path()], CAT, chunk_bytes=50_000)
    two = validate_files([sample_path()], CAT, chunk_bytes=50_000, jobs=3)
    assert one.to_dict() == two.to_dict()
    assert compute_kpis(one.kpi, CAT) == compute_kpis(two.kpi, CAT)


def test_stdlib_and_pyarrow_readers_agree(tmp_path: Path) -> None:
    """Without pyarrow (stdlib csv + Python parsing) the checks find exactly the same things."""
    from tthc.records.readers import open_records

    rows = [
        row(),
        row(dossier_code="000.00.12.h21-250303-0002", tracking_number="EB123456789VN", result_channel="postal"),
        row(dossier_code="H21.65-250303-0011", received_at="03/03/2025 09:00", due_at="14/03/2025"),
        row(dossier_code="bad code", channel="fax", fee_vnd="30.000", status="7"),
        row(procedure_code="1.000894", channel="direct", online_level="", result_channel="postal", due_at=""),
    ]
    p = write_csv(tmp_path / "mix.csv", rows)
    results = []
    for arrow in (True, False):
        chunk = next(iter(open_records(p, use_pyarrow=arrow)))
        results.append(validate_chunk(chunk, CAT))
    a, b = results
    assert sorted((f.row, f.field, f.code, f.message) for f in a.findings) == sorted(
        (f.row, f.field, f.code, f.message) for f in b.findings
    )
    assert np.array_equal(a.timeliness_pause, b.timeliness_pause)
    assert np.array_equal(a.due_expected, b.due_expected, equal_nan=True)
    assert len(a.findings) >= 5


def test_results_and_partials_pickle_for_partition_wise_runs() -> None:
    """Dask / multiprocessing ship chunk results and KPI partials between processes."""
    import pickle

    import pandas as pd

    from tthc.records.sample import sample_path

    frame = pd.read_csv(sample_path(), dtype=str, keep_default_na=False).head(300)
    result = validate_chunk(frame, CAT)
    again = pickle.loads(pickle.dumps(result))
    assert np.array_equal(again.timeliness_restart, result.timeliness_restart)
    assert again.dossier_codes[0] == result.dossier_codes[0]
    assert compute_kpis(pickle.loads(pickle.dumps(result.kpi)), CAT) == compute_kpis(result.kpi, CAT)  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(ValidationOptions())) == ValidationOptions()
