"""The import over worker processes (``jobs`` > 1): the same catalog and report, byte for byte, as in one process.

The runs are made tiny here (a few lines each) so that small hostile files are split across several workers: a
duplicate code in two runs, bad lines, blank lines, a BOM, a truncated gzip, two files.
"""

from __future__ import annotations

import gc
import gzip
import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.catalog import portal_import, portal_jobs
from tthc.catalog.collection import PortalImport, import_portal, import_portal_files
from tthc.catalog.import_report import ImportReport, RecordReport
from tthc.catalog.model import Procedure
from tthc.catalog.portal_files import RawRecord, read_portal_jsonl
from tthc.errors import DataFileError, InvalidValueError

NATIONAL = {
    "ma_thu_tuc": "1.000178",
    "ten_thu_tuc": "Giải quyết khiếu nại",
    "cap_thuc_hien": "Cấp bộ, Cấp tỉnh",
    "linh_vuc": "Khiếu nại, tố cáo",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến40 NgàyMiễn phíTrực tiếp7 Ngày làm việc"
    "2,000,000 Việt Nam Đồng(2.000.000 đồng/lần)Nộp tại trụ sở.",
    "yeu_cau_dieu_kien": "Người khiếu nại phải trực tiếp đến; không được ủy quyền.",
}
DEFENCE = {
    "thu_tuc_id": "1.000200",
    "metadata": {"mã_thủ_tục": "1.000200", "tên_thủ_tục": "Đăng ký nghĩa vụ quân sự", "cấp_thực_hiện": "Cấp xã"},
    "tables": {"hinh_thuc_nop": [{"hinh_thuc": "Trực tiếp", "thoi_han_giai_quyet": "1 ngày", "phi_le_phi": "Không"}]},
}


def national(code: str, **more: object) -> bytes:
    return json.dumps({**NATIONAL, "ma_thu_tuc": code, **more}, ensure_ascii=False).encode() + b"\n"


def canonical(result: PortalImport, tmp_path: Path, name: str) -> tuple[bytes, str]:
    """The catalog as written and the report as JSON: what must not depend on ``jobs``."""
    out = tmp_path / f"{name}.jsonl"
    result.catalog.dump(out)
    return out.read_bytes(), result.report.model_dump_json()


@pytest.fixture
def tiny_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Runs of about 300 bytes and a pool from 600 bytes on; counts the imports that started a pool."""
    monkeypatch.setattr(portal_jobs, "RUN_BYTES", 300)
    monkeypatch.setattr(portal_jobs, "POOL_MIN_BYTES", 600)
    pooled: list[int] = []
    real = portal_jobs._pooled

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        pooled.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(portal_jobs, "_pooled", counting)
    return pooled


HOSTILE_A = [
    b"\xef\xbb\xbf" + national("1.000001"),  # a BOM on the first line
    national("1.000002"),
    b"\n",  # blank: not a record
    b"{broken\n",
    national("1.000001"),  # a duplicate of row 1, in a later run (another worker)
    b"   \t \n",
    b'{"ma_thu_tuc": NaN}\n',
    b"\xff\xfe not utf-8\n",
    b"[1, 2]\n",
    b'{"neither": "shape"}\n',
    json.dumps(DEFENCE, ensure_ascii=False).encode() + b"\n",
    national("9.9"),  # an impossible code
    national("1.000003", cach_thuc_thuc_hien=""),
    national("1.000002"),  # a duplicate of row 2, far from it
]
HOSTILE_B = [
    national("1.000003"),  # a duplicate of a record of the other file
    json.dumps({**DEFENCE, "tables": str(DEFENCE["tables"])}, ensure_ascii=False).encode() + b"\n",
    national("1.000004"),
]


def hostile_files(tmp_path: Path) -> list[Path]:
    a = tmp_path / "a.jsonl"
    a.write_bytes(b"".join(HOSTILE_A))
    b = tmp_path / "b.jsonl.gz"
    data = gzip.compress(b"".join(HOSTILE_B) * 3)
    b.write_bytes(data[: len(data) * 3 // 4])  # truncated: the rest is one unreadable record
    return [a, b]


def test_hostile_lines_split_across_workers_give_the_same_result(tmp_path: Path, tiny_runs: list[int]) -> None:
    files = hostile_files(tmp_path)
    one = import_portal_files(files)
    assert not tiny_runs  # jobs=1: never a pool
    # the records as read one by one by the public reader, imported in this process: the reference
    reference = import_portal([r for f in files for r in read_portal_jsonl(f) if r.error != "blank line"])
    expected = canonical(reference, tmp_path, "reference")
    assert canonical(one, tmp_path, "one") == expected
    for jobs in (2, 3):
        assert canonical(import_portal_files(files, jobs=jobs), tmp_path, f"jobs{jobs}") == expected
    assert len(tiny_runs) == 2  # both went through a pool
    # what the merge decided across runs and files, stated once more
    failed = {(r.source, r.row): r for r in one.report.failed}
    assert "already imported from row 1;" in failed[(str(files[0]), 5)].issues[-1].reason
    assert "already imported from row 2;" in failed[(str(files[0]), 14)].issues[-1].reason
    assert f"row 13 of {files[0]}" in failed[(str(files[1]), 1)].issues[-1].reason
    assert any("unreadable" in i.reason for r in one.report.failed for i in r.issues)
    assert len(one.report) == len(HOSTILE_A) - 2 + sum(1 for r in read_portal_jsonl(files[1]))


def test_a_small_import_runs_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pooled: list[object] = []
    monkeypatch.setattr(portal_jobs, "_pooled", lambda *a: pooled.append(a))
    files = hostile_files(tmp_path)
    assert len(import_portal_files(files, jobs=4).report) > 10
    assert not pooled  # far below POOL_MIN_BYTES


def test_one_byte_over_the_pool_threshold_starts_the_pool(tmp_path: Path, tiny_runs: list[int]) -> None:
    path = tmp_path / "x.jsonl"
    line = national("1.000001")
    path.write_bytes(line)
    portal_jobs.POOL_MIN_BYTES = len(line)  # (monkeypatched by the fixture: restored after the test)
    import_portal_files([path], jobs=2)
    assert not tiny_runs  # exactly at the threshold: here
    path.write_bytes(line + national("1.000002"))
    import_portal_files([path], jobs=2)
    assert len(tiny_runs) == 1


def test_a_file_failing_after_the_pool_started_raises(tmp_path: Path, tiny_runs: list[int]) -> None:
    files = hostile_files(tmp_path)
    with pytest.raises(DataFileError, match="cannot open"):
        import_portal_files([*files, tmp_path / "gone.jsonl"], jobs=2)
    assert len(tiny_runs) == 1


def test_the_import_leaves_the_cycle_collector_as_it_found_it(
    tmp_path: Path, tiny_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Objects are frozen only for the length of an import; objects the caller froze stay frozen, none more."""
    files = hostile_files(tmp_path)
    during: list[int] = []
    real = portal_import.keep_first

    def watching(results: Iterable[tuple[Procedure | None, RecordReport]]) -> tuple[list[Procedure], ImportReport]:
        during.append(gc.get_freeze_count())
        return real(results)

    monkeypatch.setattr(portal_jobs, "keep_first", watching)
    assert gc.get_freeze_count() == 0
    for jobs in (1, 2):
        import_portal_files(files, jobs=jobs)
        assert gc.get_freeze_count() == 0
    assert len(during) == 2
    assert all(during)  # frozen meanwhile
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        for jobs in (1, 2):
            import_portal_files(files, jobs=jobs)
            assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert len(tiny_runs) == 2


def test_workers_are_capped(tmp_path: Path, tiny_runs: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = portal_jobs._pooled

    def spy(head: object, rest: object, jobs: int, **kwargs: bool):  # type: ignore[no-untyped-def]
        asked.append(jobs)
        return real(head, rest, jobs, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(portal_jobs, "_pooled", spy)
    monkeypatch.setattr(portal_jobs, "MAX_JOBS", 3)
    files = hostile_files(tmp_path)
    expected = canonical(import_portal_files(files), tmp_path, "one")
    assert canonical(import_portal_files(files, jobs=10**6), tmp_path, "many") == expected
    assert asked == [3]


def slowed_workers(monkeypatch: pytest.MonkeyPatch, seconds: float) -> list[int]:
    """Each record parsed by a worker process takes ``seconds`` more; the rows parsed in this process are listed."""
    import os
    import time

    parent = os.getpid()
    here: list[int] = []
    real = portal_import.parse_record

    def slow_in_workers(rec: RawRecord) -> portal_import.Parsed | RecordReport:
        if os.getpid() == parent:
            here.append(rec.row)
        else:
            time.sleep(seconds)
        return real(rec)

    monkeypatch.setattr(portal_jobs, "parse_record", slow_in_workers)
    return here


@pytest.mark.parametrize("jobs", [2, 3])
def test_the_importing_process_parses_runs_while_the_workers_hold_their_share(
    tmp_path: Path, tiny_runs: list[int], monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """``jobs`` processes in all: ``jobs - 1`` forked workers, and this process parsing a run itself whenever the
    workers hold their share and the oldest is not back (here the workers are slowed down so that it must) — the
    same result as one process, whoever parsed which run."""
    from concurrent import futures

    files = hostile_files(tmp_path)
    expected = canonical(import_portal_files(files), tmp_path, "one")
    here = slowed_workers(monkeypatch, 0.02)
    workers: list[int | None] = []

    class Counting(futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int | None = None, **kwargs: object) -> None:
            workers.append(max_workers)
            super().__init__(max_workers, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(futures, "ProcessPoolExecutor", Counting)
    assert canonical(import_portal_files(files, jobs=jobs), tmp_path, "pooled") == expected
    assert workers == [jobs - 1]
    assert here  # some runs were parsed here, never pickled
    assert len(tiny_runs) == 1


def test_runs_parsed_here_wait_behind_a_slow_worker_within_a_bound(
    tmp_path: Path, tiny_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker far slower than this process (descheduled, swapping): this process parses the runs after the
    worker's, but stops reading once a bounded number wait behind the worker's oldest run (what waits in memory stays
    bounded) — and the result is still that of one process."""
    path = tmp_path / "many.jsonl"
    path.write_bytes(b"".join(national(f"1.{i:06d}") for i in range(1, 61)))  # one record per run of ~300 bytes
    expected = canonical(import_portal_files([path]), tmp_path, "one")
    here = slowed_workers(monkeypatch, 0.1)
    parsed_here_at_first_result: list[int] = []
    keep = portal_import.keep_first

    def watching(results: Iterable[tuple[Procedure | None, RecordReport]]) -> tuple[list[Procedure], ImportReport]:
        def each() -> Iterable[tuple[Procedure | None, RecordReport]]:
            for result in results:
                parsed_here_at_first_result.append(len(here))
                yield result

        return keep(each())

    monkeypatch.setattr(portal_jobs, "keep_first", watching)
    assert canonical(import_portal_files([path], jobs=2), tmp_path, "pooled") == expected
    bound = 4 * portal_jobs._ahead(1)
    assert 0 < parsed_here_at_first_result[0] <= bound  # not all 57 runs after the worker's first three
    assert len(here) > bound  # this process went on parsing after the first results


@pytest.mark.parametrize("jobs", [1, 2])
def test_what_each_run_kept_is_frozen_as_the_import_goes(
    tmp_path: Path, tiny_runs: list[int], monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The models and reports of the runs already imported are frozen before the next run: the collections the
    import sets off do not walk them again and again (and none of them is set off by their number alone)."""
    files = hostile_files(tmp_path)
    seen: list[int] = []
    real = portal_import.keep_first

    def watching(results: Iterable[tuple[Procedure | None, RecordReport]]) -> tuple[list[Procedure], ImportReport]:
        def each() -> Iterable[tuple[Procedure | None, RecordReport]]:
            for result in results:
                seen.append(gc.get_freeze_count())
                yield result

        return real(each())

    expected = canonical(import_portal_files(files, jobs=jobs), tmp_path, "plain")
    monkeypatch.setattr(portal_jobs, "keep_first", watching)
    result = import_portal_files(files, jobs=jobs)
    assert gc.get_freeze_count() == 0
    assert len(seen) == len(result.report)
    assert seen[-1] > seen[0]  # the first runs' objects were frozen while the import went on
    assert canonical(result, tmp_path, "watched") == expected


@pytest.mark.parametrize("jobs", [0, -1, True, 1.5, "2", None])
def test_jobs_must_be_a_whole_number_from_1(tmp_path: Path, jobs: object) -> None:
    files = hostile_files(tmp_path)
    with pytest.raises(InvalidValueError, match="jobs: expected a whole number >= 1"):
        import_portal_files(files, jobs=jobs)  # type: ignore[arg-type]


LINES = st.lists(
    st.one_of(
        st.sampled_from(["1.000001", "1.000002", "1.000003", "x"]).map(national),
        st.sampled_from([b"\n", b"{bad\n", b"\xc3(\n", b"null\n"]),
    ),
    min_size=1,
    max_size=14,
).filter(lambda lines: any(line != b"\n" for line in lines))  # blank lines only: no export (refused whole)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES, run_bytes=st.integers(1, 900), jobs=st.integers(2, 3))
def test_any_split_gives_the_result_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: list[bytes], run_bytes: int, jobs: int
) -> None:
    """Property: wherever the runs are cut and however many workers take them, the result is that of one process."""
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"".join(lines))
    one = canonical(import_portal_files([path]), tmp_path, "one")
    monkeypatch.setattr(portal_jobs, "RUN_BYTES", run_bytes)
    monkeypatch.setattr(portal_jobs, "POOL_MIN_BYTES", 0)
    assert canonical(import_portal_files([path], jobs=jobs), tmp_path, "many") == one


def test_cli_jobs_option(tmp_path: Path, tiny_runs: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    files = [str(f) for f in hostile_files(tmp_path)]
    outputs = []
    for jobs in ("1", "2"):
        assert main(["--lang", "en", "import-portal", *files, "--all", "--jobs", jobs]) == 1  # failed records
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "already imported from row 13 of" in outputs[1]
    assert len(tiny_runs) == 1
    assert main(["--lang", "en", "import-portal", *files, "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.realdata
def test_real_exports_same_with_workers(real_data: Path, tmp_path: Path) -> None:
    """The two real exports (22.5 MB of JSON): the default runs and pool threshold, two workers, as one process."""
    files = [real_data / "portal_national_2642.jsonl.gz", real_data / "portal_defence_207.jsonl.gz"]
    one = canonical(import_portal_files(files), tmp_path, "one")
    assert canonical(import_portal_files(files, jobs=2), tmp_path, "two") == one
