"""Hostile use of the command line (issue 11, items 1, 2, 3 and 8): outputs never touch inputs, outputs are atomic,
every error is exit 2 with one line (or a JSON object under ``--json``), data is never terminal markup, CSV reports
are safe to open in a spreadsheet.

Every test runs ``tthc`` in-process through :func:`tthc.cli._app.app` (the entry point's own error handling) and
checks the exit code, stdout / stderr, and the bytes of every file involved.
"""

from __future__ import annotations

import csv
import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hostile.corpus import CorpusFile
from tthc.cli._app import app
from tthc.foundation.data_files import bundled_path
from tthc.testing.record_files import row, write_csv

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("validate", "x.csv", ...)`` → (exit code, stdout, stderr)."""

    def _run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = app([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tthc: ")
    assert "Traceback" not in err
    return lines[0]


def json_error(out: str) -> dict[str, Any]:
    doc = json.loads(out)
    assert set(doc) == {"error"}
    error: dict[str, Any] = doc["error"]
    assert set(error) == {"kind", "field", "expected", "given", "message"}
    return error


def no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "x.csv", [row(), row(dossier_code="000.00.12.H21-250303-0002", fee_vnd="-5")])


@pytest.fixture
def data_files(tmp_path: Path) -> dict[str, Path]:
    """A copy of a bundled data file for each data-file option (never the bundled file itself: a failing guard
    would replace it)."""
    out: dict[str, Path] = {}
    for option, name in (
        ("--mapping", "portal_columns.json"),
        ("--thresholds", "kpi_rules.json"),
        ("--reductions", "reductions.json"),
    ):
        src = bundled_path(name)
        if src.is_file():
            out[option] = tmp_path / name
            out[option].write_bytes(src.read_bytes())
    catalog = tmp_path / "catalog.json"
    from tthc.catalog.collection import Catalog

    Catalog.sample().dump(catalog)
    out["--catalog"] = catalog
    lists = tmp_path / "bcci_lists.json"
    lists.write_text(json.dumps({"000.00.12.H21": ["2.001417"]}), encoding="utf-8")
    out["--bcci-lists"] = lists
    return out


# --- 1. outputs never touch inputs ---------------------------------------------------------------------------------


def test_report_over_its_own_input_is_refused_and_the_input_survives(run: Run, records: Path) -> None:
    """Before: `tthc validate x.csv --report x.csv` emptied x.csv."""
    before = records.read_bytes()
    code, _out, err = run("validate", records, "--report", records)
    assert code == 2
    line = one_line(err)
    assert line.startswith(f"tthc: --report: expected a file that is not one of the inputs, got '{records}'")
    assert f"it is the input {records} (FILES)" in line
    assert records.read_bytes() == before
    no_leftovers(records.parent)


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_links_to_an_input_count_as_the_input(run: Run, records: Path, link: str) -> None:
    alias = records.parent / "alias.csv"
    if link == "symlink":
        alias.symlink_to(records)
    else:
        os.link(records, alias)
    before = records.read_bytes()
    code, _, err = run("validate", records, "--report", alias)
    assert code == 2
    assert "--report" in one_line(err)
    assert records.read_bytes() == before


def test_an_input_reached_through_a_glob_is_refused(run: Run, records: Path) -> None:
    other = write_csv(records.parent / "y.csv", [row()])
    before = other.read_bytes()
    code, _, err = run("validate", str(records.parent / "*.csv"), "--report", other)
    assert code == 2
    assert f"it is the input {other} (FILES)" in one_line(err)
    assert other.read_bytes() == before


@pytest.mark.parametrize(
    ("command", "output", "data_option"),
    [
        ("validate", "--report", "--catalog"),
        ("validate", "--report", "--mapping"),
        ("validate", "--report", "--reductions"),
        ("kpi", "--html", "--catalog"),
        ("kpi", "--html", "--mapping"),
        ("kpi", "--html", "--thresholds"),
        ("kpi", "--html", "--bcci-lists"),
    ],
)
def test_an_output_over_a_data_file_option_is_refused(
    run: Run, records: Path, data_files: dict[str, Path], command: str, output: str, data_option: str
) -> None:
    if data_option not in data_files:  # pragma: no cover - every bundled file is there today
        pytest.skip(f"no bundled file for {data_option}")
    target = data_files[data_option]
    before = target.read_bytes()
    code, out, err = run(command, records, data_option, target, output, target, "--json")
    assert code == 2
    error = json_error(out)
    assert error["field"] == output
    assert error["given"] == str(target)
    assert f"({data_option})" in error["message"]
    assert err == ""
    assert target.read_bytes() == before


def test_kpi_html_over_a_record_file_is_refused(run: Run, records: Path) -> None:
    before = records.read_bytes()
    code, _, err = run("kpi", records, "--html", records)
    assert code == 2
    assert one_line(err).startswith("tthc: --html: expected a file that is not one of the inputs")
    assert records.read_bytes() == before


def test_import_portal_out_over_its_input_is_refused(run: Run, tmp_path: Path) -> None:
    export = tmp_path / "portal.jsonl"
    export.write_text('{"MaTTHC": "1.000178"}\n', encoding="utf-8")
    before = export.read_bytes()
    code, _, err = run("import-portal", export, "--out", export)
    assert code == 2
    assert one_line(err).startswith("tthc: --out: expected a file that is not one of the inputs")
    assert export.read_bytes() == before


# --- 2. outputs are atomic; the places they cannot go are one clear line ---------------------------------------------


def test_missing_report_folder(run: Run, records: Path) -> None:
    """Before: a FileNotFoundError traceback with exit 1."""
    code, _, err = run("validate", records, "--report", records.parent / "nodir" / "x.csv")
    assert code == 2
    assert "--report: expected a path in an existing folder" in one_line(err)
    assert "create it first" in err


def test_missing_html_folder_fails_before_the_run(run: Run, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tthc.validation.run as run_module

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("the run must not start when the output cannot be written")

    monkeypatch.setattr(run_module, "validate_files", never)
    code, _, err = run("kpi", records, "--html", records.parent / "nodir" / "k.html")
    assert code == 2
    assert "--html: expected a path in an existing folder" in one_line(err)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux only")
@pytest.mark.parametrize(("command", "option"), [("validate", "--report"), ("kpi", "--html")])
def test_no_space_left(run: Run, records: Path, command: str, option: str) -> None:
    """Before: an OSError traceback with exit 1."""
    code, _, err = run(command, records, option, "/dev/full")
    assert code == 2
    assert f"tthc: {option}: expected a device with free space, got '/dev/full'" in one_line(err)


def test_permission_denied(run: Run, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # simulated: the tests may run as root, who may write anywhere
    real_open = os.open

    def denied(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    code, out, _ = run("validate", records, "--report", records.parent / "r.csv", "--json")
    assert code == 2
    error = json_error(out)
    assert (error["kind"], error["field"]) == ("input", "--report")
    assert "permission denied" in error["message"]


def test_an_interrupted_run_keeps_the_older_report(run: Run, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tthc.validation.run as run_module

    report = records.parent / "report.csv"
    report.write_text("the report of yesterday\n", encoding="utf-8")

    def interrupted(files: object, catalog: object, options: object, *, report: Any, **kwargs: object) -> object:
        from tthc.records.chunks import RowProblem

        report.write([RowProblem(str(records), 2, "fee_vnd", "E_TYPE", "half a report")])
        raise KeyboardInterrupt

    monkeypatch.setattr(run_module, "validate_files", interrupted)
    code, _, err = run("validate", records, "--report", report)
    assert code == 2
    assert "interrupted" in one_line(err.lstrip("\n"))  # click ends the ^C line first
    assert report.read_text(encoding="utf-8") == "the report of yesterday\n"
    no_leftovers(records.parent)


def test_a_failing_run_keeps_the_older_html(run: Run, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tthc.validation.run as run_module

    html = records.parent / "kpi.html"
    html.write_text("<p>older</p>", encoding="utf-8")

    def failing(*args: object, **kwargs: object) -> object:
        raise MemoryError("simulated")

    monkeypatch.setattr(run_module, "validate_files", failing)
    code, _, err = run("kpi", records, "--html", html)
    assert code == 2
    assert "internal error: MemoryError: simulated" in one_line(err)
    assert html.read_text(encoding="utf-8") == "<p>older</p>"
    no_leftovers(records.parent)


@pytest.mark.parametrize("encoding", ["nope", "hex", "rot13", "undefined", ""])
def test_unknown_encoding_is_refused_up_front(run: Run, records: Path, encoding: str) -> None:
    """Before: a LookupError traceback with exit 1."""
    code, _, err = run("validate", records, "--encoding", encoding, "--report", records.parent / "r.csv")
    assert code == 2
    assert "tthc: --encoding: expected a text encoding Python knows, e.g. utf-8" in one_line(err)
    assert not (records.parent / "r.csv").exists()


@pytest.mark.parametrize("delimiter", [",,", "", '"', "\n", "¦"])
def test_an_impossible_delimiter_is_refused_up_front(run: Run, records: Path, delimiter: str) -> None:
    code, _, err = run("validate", records, "--delimiter", delimiter)
    assert code == 2
    assert "--delimiter: expected one ASCII character other than a quote or a line break" in one_line(err)


def test_unreachable_scheduler(run: Run, records: Path) -> None:
    pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, out, _ = run("validate", records, "--scheduler", "tcp://127.0.0.1:9", "--json")
    assert code == 2
    error = json_error(out)
    assert error["field"] == "--scheduler"
    assert error["given"] == "tcp://127.0.0.1:9"
    assert "use --workers N" in error["message"]


# --- 3. never a traceback, never exit 1 for an error ----------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_exit_2(run: Run, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tthc.validation.run as run_module

    def bug(*args: object, **kwargs: object) -> object:
        raise KeyError("a bug\nover two lines")

    monkeypatch.setattr(run_module, "validate_files", bug)
    code, _, err = run("validate", records)
    assert code == 2
    line = one_line(err)
    assert line.startswith("tthc: internal error: KeyError: ")
    assert line.endswith("— please report")
    code, out, err = run("validate", records, "--json")
    assert code == 2
    assert err == ""
    assert json_error(out)["kind"] == "internal"


def test_a_huge_message_is_cut(run: Run, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tthc.validation.run as run_module

    def bug(*args: object, **kwargs: object) -> object:
        raise RecursionError("x" * 100_000)

    monkeypatch.setattr(run_module, "validate_files", bug)
    code, _, err = run("validate", records)
    assert code == 2
    assert len(one_line(err)) < 500


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],  # no files
        ["validate", "--nope"],
        ["nosuchcommand"],
        ["kpi", "--sample", "--threshold", "nonsense"],
        ["kpi", "--sample", "--period", "2025-13"],
        ["validate", "--sample", "--as-of", "yesterday"],
        ["validate", "--sample", "--alias", "=x"],
        ["validate", "--sample", "--workers", str(10**11)],  # before: tried to start them all and was killed
        ["due", "--received", "2026-11-20 16:30", "--processing-time", "5 ngày làm việc", "--channel", "fax"],
        ["quote", "9.999999", "--channel", "postal"],
        ["quote", "1.011432", "--channel", "postal", "--weight", str(10**30)],
        ["eligibility", "1.001193", "--service", "fax"],
        ["audit", "--on", "2025-02-30"],
    ],
)
def test_usage_and_input_errors_are_one_line_or_one_json_object(run: Run, args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert "internal error" not in one_line(err)
    code, out, err = run(*args, "--json")
    assert code == 2
    assert err == ""
    assert json_error(out)["kind"] in ("usage", "input")


# --- 8. output safety -----------------------------------------------------------------------------------------------


def test_markup_in_an_agency_code_is_shown_as_typed(run: Run, tmp_path: Path) -> None:
    """Before: `[/]` in an agency code was a rich MarkupError traceback with exit 1."""
    f = write_csv(tmp_path / "m.csv", [row(), row(dossier_code="000.00.12.H21-250303-0002", agency_code="[/]")])
    code, out, err = run("kpi", f, "--by", "agency")
    assert code in (0, 1)
    assert err == ""
    assert "[/]" in out
    code, out, err = run("validate", f)
    assert code in (0, 1)
    assert err == ""
    assert "'[/]'" in out


def test_markup_and_escape_sequences_in_cells_never_reach_the_terminal_raw(run: Run, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "e.csv", [row(dossier_code="[bold]x\x1b[2J")])
    code, out, _ = run("validate", f)
    assert code == 1
    assert "\x1b" not in out
    assert "[bold]x\\x1b[2J" in out


def test_report_cells_are_safe_to_open_in_a_spreadsheet(run: Run, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "f.csv",
        [
            row(fee_vnd='=HYPERLINK("http://evil.example","click")'),
            row(dossier_code="000.00.12.H21-250303-0002", fee_vnd="@SUM(A1)"),
            row(dossier_code="000.00.12.H21-250303-0003", fee_vnd="-5"),
        ],
    )
    report = tmp_path / "r.csv"
    assert run("validate", f, "--report", report)[0] == 1
    values = {int(r["row"]): r["value"] for r in csv.DictReader(report.open(encoding="utf-8", newline=""))}
    assert values[1] == '\'=HYPERLINK("http://evil.example","click")'
    assert values[2] == "'@SUM(A1)"
    assert values[3] == "-5"  # a plain negative number is a number, not a formula: kept as read
    json_report = tmp_path / "r.json"
    assert run("validate", f, "--report", json_report)[0] == 1
    assert {r["value"] for r in json.loads(json_report.read_text(encoding="utf-8"))} >= {"@SUM(A1)"}


# --- the hostile corpus through the command line ---------------------------------------------------------------------


def _validate_corpus(run: Run, corpus: list[CorpusFile], folder: Path) -> list[str]:
    """Run ``tthc validate --json --report`` on every corpus file, check the CLI contract, return internal errors."""
    internal: list[str] = []
    for f in corpus:
        report = folder / f"{f.name}.report.csv"
        code, out, err = run("validate", f.path, "--json", "--report", report)
        assert code in (0, 1, 2), f.name
        assert "Traceback" not in err, f.name
        doc = json.loads(out)  # stdout is JSON whatever happened
        if code == 2:
            if json_error(out)["kind"] == "internal":
                internal.append(f"{f.name}: {doc['error']['message']}")
            assert not report.exists(), f.name  # an aborted run leaves no report
        else:
            assert doc["rows"] == doc["valid_rows"] + doc["invalid_rows"], f.name
            assert report.exists(), f.name
            assert not f.file_error, f"{f.name} should be refused as a whole"
    no_leftovers(folder)
    return internal


def test_every_corpus_file_gets_an_exit_code_of_the_contract(
    run: Run, hostile_corpus: list[CorpusFile], tmp_path: Path
) -> None:
    """0 or 1 with a JSON summary and a report, or 2 with a JSON error and no report; never a traceback, never an
    internal error. Before: ² in a channel cell, a 20-digit fee, a Parquet list column ... were tracebacks, exit 1."""
    internal = _validate_corpus(run, hostile_corpus, tmp_path)
    assert internal == [], "\n".join(internal)
