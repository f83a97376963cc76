"""Session 12, fixer C: the documentation does what it says, and a due date the compiled calendar cannot answer is
said in one way everywhere.

* O1 — docs/scale.md's Dask recipe imported ``tthc.dask`` (no such module); the check of every ```` ```python ````
  block (tests/test_docs.py) now fails on such an import.
* O2 — the service's ``calendar-range`` problem for ``/v1/due``: the detail the page quotes (the value sent, not the
  day the calendar looked up), and ``expected`` in Vietnamese as in English (the same members in both languages).
* D7 — ``tthc due``, ``/v1/due``, ``/v1/due/batch`` and ``tthc batch due`` name a receipt out of range, and a due date
  past the range, with the same words (:mod:`tthc.deadlines._calendar_range`): both sides of 2000-01-01 and of
  2100-12-31, in working days, months and "Trong ngày".
* O4 — the calendar-version pin example is not a stale literal, the postal timeline example prints what the page
  shows, and ``--report`` names its formats (:func:`tthc.foundation.output_files.output_format`).

Vietnamese texts of the due-date-past-the-range case use a msgid new in this session
(``{field}: expected {expected}, got {given} ({detail})``): they hold once the lead merges /tmp/s12/C/po.txt.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tthc.cli._app import app
from tthc.errors import OutputFileError
from tthc.foundation.output_files import output_format

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RANGE_EN = "2000-01-01..2100-12-31 (the compiled range)"
RANGE_VI = "01/01/2000..31/12/2100 (khoảng lịch đã biên dịch)"
RECEIPT_EN = f"a receipt in {RANGE_EN}"
RECEIPT_VI = f"thời điểm tiếp nhận trong khoảng {RANGE_VI}"
DUE_EN = f"a receipt whose due date falls in {RANGE_EN}"
DUE_VI = f"thời điểm tiếp nhận có ngày hẹn trả nằm trong khoảng {RANGE_VI}"


# ---------------------------------------------------------------- O1: the Dask recipe's imports, and the check


def _cluster_snippet() -> str:
    text = (DOCS / "scale.md").read_text(encoding="utf-8")
    m = re.search(r"## From Python, on an existing cluster\n\n(?:<!--[^\n]*-->\n)?```python\n(.*?)```", text, re.DOTALL)
    assert m is not None
    return m.group(1)


def test_every_tthc_import_of_the_cluster_snippet_works() -> None:
    imports = [line for line in _cluster_snippet().splitlines() if re.match(r"(from tthc\b|import tthc\b)", line)]
    assert "from tthc.scale import dask as tthc_dask" in imports
    for line in imports:
        exec(line, {})  # the documented line, verbatim


def _block_check() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import test_docs  # tests/test_docs.py: not a package module
    finally:
        sys.path.remove(str(ROOT / "tests"))
    return test_docs


def test_the_block_check_fails_on_the_old_scale_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page as it was (marked not run: a cluster) fails on its import line; the corrected one passes."""
    docs = _block_check()
    page = tmp_path / "scale.md"
    old = "<!-- docs-test: not run (a cluster) -->\n```python\nfrom tthc import dask as tthc_dask\n```\n"
    page.write_text(old, encoding="utf-8")
    (block,) = docs._python_blocks(page)
    with pytest.raises(AssertionError, match="imports that fail as written"):
        docs.test_python_blocks_compile_import_and_run(block, monkeypatch, tmp_path, capsys)
    page.write_text(old.replace("from tthc import dask", "from tthc.scale import dask"), encoding="utf-8")
    (block,) = docs._python_blocks(page)
    docs.test_python_blocks_compile_import_and_run(block, monkeypatch, tmp_path, capsys)


def test_the_block_check_runs_an_unmarked_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _block_check()
    page = tmp_path / "p.md"
    page.write_text("```python\nfrom tthc.catalog import Catalog\nCatalog.sample()['9.999999']\n```\n", "utf-8")
    (block,) = docs._python_blocks(page)
    with pytest.raises(LookupError):  # an unmarked block is run, and its error is the test's
        docs.test_python_blocks_compile_import_and_run(block, monkeypatch, tmp_path, capsys)
    page.write_text("```python\nx = (\n```\n", "utf-8")
    (block,) = docs._python_blocks(page)
    with pytest.raises(SyntaxError):
        docs.test_python_blocks_compile_import_and_run(block, monkeypatch, tmp_path, capsys)


# ---------------------------------------------------------------- O2 / D7: the service's words


@pytest.fixture(scope="module")
def client() -> Any:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from tthc.server import ServerConfig, create_app

    return TestClient(create_app(ServerConfig.from_env()))


def _due(client: Any, body: dict[str, Any], lang: str) -> dict[str, Any]:
    r = client.post(f"/v1/due?lang={lang}", json=body)
    assert r.status_code == 422, r.text
    answer: dict[str, Any] = r.json()
    return answer


def test_the_detail_is_the_one_the_page_quotes(client: Any) -> None:
    body = {"received_at": "1990-01-01T09:00:00", "processing_time": "5 ngày làm việc"}
    vi, en = _due(client, body, "vi"), _due(client, body, "en")
    assert vi["detail"] == f"received_at: cần {RECEIPT_VI}, nhận được 1990-01-01T09:00:00"
    assert en["detail"] == f"received_at: expected {RECEIPT_EN}, got 1990-01-01T09:00:00"
    page = " ".join((DOCS / "service.md").read_text(encoding="utf-8").split())
    assert f"`{vi['detail']}`" in page
    assert f"`{en['detail']}`" in page
    assert (vi["expected"], en["expected"]) == (RECEIPT_VI, RECEIPT_EN)
    assert sorted(vi) == sorted(en)


RECEIPTS = [  # both sides of each end of the range: the receipt out, in
    ("1999-12-31T23:59:59", "1 ngày", RECEIPT_EN, None),
    ("2101-01-01T00:00:00", "1 ngày", RECEIPT_EN, None),
    ("2100-12-31T10:00:00", "1 ngày", DUE_EN, "1 ngày from it ends after 2100-12-31"),
    ("2100-12-31T10:00:00", "5 ngày làm việc", DUE_EN, "5 ngày làm việc from it ends after 2100-12-31"),
    ("2026-01-05T10:00:00", "1000 tháng", DUE_EN, "1000 tháng from it ends after 2100-12-31"),
    ("2100-12-31T16:00:00", "Trong ngày", DUE_EN, "Trong ngày from it ends after 2100-12-31"),
]


@pytest.mark.parametrize(("received", "time", "expected", "detail"), RECEIPTS)
def test_the_service_names_the_receipt_as_sent(
    client: Any, received: str, time: str, expected: str, detail: str | None
) -> None:
    en = _due(client, {"received_at": received, "processing_time": time}, "en")
    tail = f" ({detail})" if detail else ""
    assert en["detail"] == f"received_at: expected {expected}, got {received}{tail}"
    assert (en["type"], en["field"], en["given"], en["expected"]) == (
        "urn:tthc:problem:calendar-range",
        "received_at",
        received,
        expected,
    )
    vi = _due(client, {"received_at": received, "processing_time": time}, "vi")
    assert sorted(vi) == sorted(en)
    assert vi["expected"] == (RECEIPT_VI if expected == RECEIPT_EN else DUE_VI)
    assert vi["detail"].startswith(f"received_at: cần {vi['expected']}, nhận được {received}")


@pytest.mark.parametrize(
    ("received", "time"),
    [("2000-01-01T00:00:00", "1 ngày"), ("2100-12-31T10:00:00", "Trong ngày"), ("2100-12-30T10:00:00", "1 ngày")],
)
def test_inside_the_range_a_due_date_is_answered(client: Any, received: str, time: str) -> None:
    r = client.post("/v1/due", json={"received_at": received, "processing_time": time})
    assert r.status_code == 200, r.text
    assert r.json()["due_at"] <= "2100-12-31T23:59:59+07:00"


def test_the_batch_answers_each_item_as_due_does(client: Any) -> None:
    items = [{"received_at": r, "processing_time": t} for r, t, _, _ in RECEIPTS]
    for lang in ("vi", "en"):
        results = client.post(f"/v1/due/batch?lang={lang}", json={"items": items}).json()["results"]
        for item, result in zip(items, results, strict=True):
            assert result["error"] == {**_due(client, item, lang), "instance": None}


def test_a_time_no_receipt_can_fit_is_named_by_itself(client: Any) -> None:
    en = _due(client, {"received_at": "2026-01-05T10:00:00", "processing_time": "99999 tháng"}, "en")
    assert (en["field"], en["expected"]) == (
        "processing_time",
        "a time that fits the compiled range 2000-01-01..2100-12-31",
    )
    vi = _due(client, {"received_at": "2026-01-05T10:00:00", "processing_time": "99999 tháng"}, "vi")
    assert vi["expected"] == "thời hạn nằm gọn trong khoảng lịch đã biên dịch 01/01/2000..31/12/2100"


def test_every_calendar_range_problem_has_expected_in_both_languages(client: Any) -> None:
    for url in ("/v1/calendar/days/1990-01-01", "/v1/calendar/add?date=2101-01-01&n=1"):
        vi, en = (
            client.get(f"{url}&lang=vi" if "?" in url else f"{url}?lang=vi"),
            client.get(f"{url}&lang=en" if "?" in url else f"{url}?lang=en"),
        )
        vi_body, en_body = vi.json(), en.json()
        assert sorted(vi_body) == sorted(en_body)
        assert en_body["expected"] == f"a date in {RANGE_EN}"
        assert vi_body["expected"] == f"một ngày trong {RANGE_VI}"


# ---------------------------------------------------------------- D7: the CLI says it as the service does


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = app(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("received", "time", "expected", "detail"), RECEIPTS)
def test_tthc_due_and_the_service_say_the_same(
    client: Any, capsys: pytest.CaptureFixture[str], received: str, time: str, expected: str, detail: str | None
) -> None:
    code, out, _ = _cli(capsys, "--lang", "en", "due", "--received", received, "--processing-time", time, "--json")
    assert code == 2
    error = json.loads(out)["error"]
    assert (error["field"], error["expected"]) == ("--received", expected)
    service = _due(client, {"received_at": received, "processing_time": time}, "en")
    assert service["expected"] == error["expected"]
    if detail:
        assert error["message"].endswith(f"({detail})")
        assert service["detail"].endswith(f"({detail})")
    code, _, err = _cli(capsys, "--lang", "vi", "due", "--received", received, "--processing-time", time)
    assert code == 2
    assert err.startswith(f"tthc: --received: cần {RECEIPT_VI if expected == RECEIPT_EN else DUE_VI}, "), err


def test_tthc_batch_due_words_a_due_date_past_the_range_by_the_receipt() -> None:
    lines = "".join(json.dumps({"received_at": r, "processing_time": t}) + "\n" for r, t, _, _ in RECEIPTS)
    run = subprocess.run(
        [sys.executable, "-m", "tthc", "--lang", "en", "batch", "due"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(answers) == len(RECEIPTS), run.stderr
    for answer, (received, _, expected, detail) in zip(answers, RECEIPTS, strict=True):
        error = answer["error"]
        assert (error["field"], error["given"], error["expected"]) == ("received_at", received, expected)
        assert "got 2101-01-01" not in error["detail"] or received.startswith("2101-01-01")
        assert error["detail"].endswith(f"({detail})" if detail else received)


def test_the_shared_mapping_is_the_only_one() -> None:
    """``cli/due.py`` and ``server/service.py`` word a receipt outside the calendar through one function."""
    for path in ("src/tthc/cli/due.py", "src/tthc/server/service.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "receipt_outside_calendar(" in text, path
        assert "a receipt in {first}" not in text, path
    assert "def _outside_calendar" not in (ROOT / "src/tthc/cli/due.py").read_text(encoding="utf-8")


# ---------------------------------------------------------------- O4: minors


def test_the_calendar_pin_example_shows_no_literal_version() -> None:
    text = (DOCS / "test-authors.md").read_text(encoding="utf-8")
    assert re.findall(r"\b20\d\d-[0-9a-f]{8}\b", text) == []
    assert "calendar_data_version(cal)" in text


def test_the_postal_timeline_example_prints_what_the_page_shows(capsys: pytest.CaptureFixture[str]) -> None:
    text = (DOCS / "postal.md").read_text(encoding="utf-8")
    code = re.search(r"## The postal dossier timeline\n\n```python\n(.*?)```", text, re.DOTALL)
    shown = re.search(r"handover signed\nWed 6 Mar 09:00\):\n\n```\n(.*?)```", text, re.DOTALL)
    assert code is not None
    assert shown is not None
    capsys.readouterr()
    exec(code.group(1), {})  # the page's example
    assert capsys.readouterr().out == shown.group(1)


@pytest.mark.parametrize(("name", "fmt"), [("r.csv", "csv"), ("R.JSONL", "jsonl"), ("r.json", "json"),
                                           ("dir.v2/r.parquet", "parquet")])  # fmt: skip
def test_output_format_reads_the_suffix(name: str, fmt: str) -> None:
    assert output_format(name, ("csv", "json", "jsonl", "parquet"), field="--report") == fmt


@pytest.mark.parametrize(("name", "bare"), [("r.txt", "csv"), ("r.csv.gz", "csv"), ("report", None), ("csv", None)])
def test_output_format_refuses_another_suffix(name: str, bare: str | None) -> None:
    with pytest.raises(OutputFileError) as caught:
        output_format(name, ("csv", "json", "jsonl", "parquet"), field="--report", bare=bare)
    assert str(caught.value) == (
        f"--report: expected a name ending in one of .csv, .json, .jsonl, .parquet, got {name!r}"
    )
    assert caught.value.field == "--report"


@pytest.mark.parametrize("name", ["/dev/stdout", "findings", "dir.v2/findings"])
def test_a_name_without_a_suffix_takes_the_bare_format(name: str) -> None:
    assert output_format(name, ("csv", "json", "jsonl", "parquet"), field="--report", bare="csv") == "csv"


def test_the_records_page_names_every_report_format() -> None:
    page = " ".join((DOCS / "records.md").read_text(encoding="utf-8").split())
    for suffix in ("`.csv`", "`.json`", "`.jsonl`", "`.parquet`"):
        assert suffix in page
    assert "--report: expected a name ending in one of .csv, .json, .jsonl, .parquet, got 'r.txt'" in page
