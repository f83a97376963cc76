"""Findings and KPIs from one read of the input: ``tthc validate --kpi-html/--kpi-json`` and ``tthc kpi --report``
read the records once and write what the two commands would write separately; their outputs obey the output rules
(never an input, never each other, written atomically)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tthc.cli import main
from tthc.testing.record_files import row, write_csv
from tthc.validation import run as run_module


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """Two valid rows, an unknown procedure, a repeated dossier code."""
    return write_csv(
        tmp_path / "records.csv",
        [
            row(),
            row(dossier_code="000.00.12.H21-250303-0002"),
            row(dossier_code="000.00.12.H21-250303-0003", procedure_code="9.999999"),
            row(),
        ],
    )


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the records are validated (each call of validate_files reads them once)."""
    calls: list[int] = []
    real: Callable[..., object] = run_module.validate_files

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module, "validate_files", counted)
    return calls


def _json_out(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_validate_writes_findings_and_kpis_from_one_read(
    records: Path, tmp_path: Path, reads: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["validate", str(records), "--report", str(out / "f.csv"), "--kpi-json", str(out / "k.json")]
    assert main([*args, "--kpi-html", str(out / "k.html"), "--json"]) == 1
    assert len(reads) == 1
    summary = _json_out(capsys)
    assert isinstance(summary, dict)
    assert (summary["rows"], summary["invalid_rows"]) == (4, 2)
    assert summary["kpi_json"] == str(out / "k.json")
    # the same as the two commands run apart
    assert main(["validate", str(records), "--report", str(tmp_path / "alone.csv")]) == 1
    assert (out / "f.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()
    capsys.readouterr()
    assert main(["kpi", str(records), "--json"]) == 1
    assert json.loads((out / "k.json").read_text(encoding="utf-8")) == _json_out(capsys)
    html = (out / "k.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "E_DUPLICATE_DOSSIER" in html
    assert sorted(p.name for p in out.iterdir()) == ["f.csv", "k.html", "k.json"]  # no temporary file left


def test_kpi_writes_the_findings_report_from_the_same_read(
    records: Path, tmp_path: Path, reads: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "findings.jsonl"
    assert main(["kpi", str(records), "--report", str(report), "--html", str(tmp_path / "k.html"), "--json"]) == 1
    assert len(reads) == 1
    indicators = _json_out(capsys)
    assert isinstance(indicators, list)
    assert indicators
    assert main(["validate", str(records), "--report", str(tmp_path / "alone.jsonl")]) == 1
    assert report.read_bytes() == (tmp_path / "alone.jsonl").read_bytes()
    codes = [json.loads(line)["code"] for line in report.read_text(encoding="utf-8").splitlines()]
    assert codes[-1] == "E_DUPLICATE_DOSSIER"  # the duplicates come last, once every row is read


@pytest.mark.parametrize("option", ["--kpi-json", "--kpi-html"])
def test_a_kpi_output_over_the_input_is_refused(records: Path, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = records.read_bytes()
    assert main(["validate", str(records), option, str(records)]) == 2
    err = capsys.readouterr().err
    assert option in err
    assert "input" in err
    assert records.read_bytes() == before


def test_two_outputs_on_one_path_are_refused(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "same.json"
    same.write_text("older", encoding="utf-8")
    assert main(["validate", str(records), "--report", str(same), "--kpi-json", str(same)]) == 2
    assert "--kpi-json" in capsys.readouterr().err
    assert main(["kpi", str(records), "--report", str(same), "--html", str(same)]) == 2
    assert same.read_text(encoding="utf-8") == "older"


def test_a_kpi_output_in_a_missing_folder_fails_before_reading(
    records: Path, tmp_path: Path, reads: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(records), "--kpi-json", str(tmp_path / "nowhere" / "k.json")]) == 2
    assert reads == []
    assert "--kpi-json" in capsys.readouterr().err


def test_an_interrupted_run_leaves_older_outputs_alone(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = {name: f"older {name}" for name in ("f.csv", "k.json", "k.html")}
    for name, text in older.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> object:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(run_module, "validate_files", broken)
    code = main(
        ["validate", str(records), "--report", str(tmp_path / "f.csv"), "--kpi-json", str(tmp_path / "k.json"),
         "--kpi-html", str(tmp_path / "k.html")]
    )  # fmt: skip
    assert code == 2
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in older} == older
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*older, "records.csv"])
