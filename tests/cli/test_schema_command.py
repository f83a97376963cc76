"""`tthc schema` prints each published schema; the findings schema matches what the report writer writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tthc.cli import main
from tthc.testing.record_files import row, write_csv
from tthc.validation.report_schema import FINDING_COLUMNS, findings_json_schema


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["schema"], "properties"),
        (["schema", "procedure"], "properties"),
        (["schema", "records"], "properties"),
        (["schema", "records", "--as", "table-schema"], "fields"),
        (["schema", "findings"], "properties"),
        (["schema", "findings", "--as", "table-schema"], "fields"),
    ],
)
def test_every_schema_prints_as_json(args: list[str], key: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    assert key in json.loads(capsys.readouterr().out)


def test_a_table_schema_of_the_catalog_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "catalog", "--as", "table-schema"]) == 2
    assert "json-schema only" in capsys.readouterr().err


def test_the_report_writer_writes_exactly_the_published_columns(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed (dev extra)")
    records = write_csv(
        tmp_path / "records.csv",
        [row(), row(due_at="2025-03-18 17:00:00"), row(channel="fax"), row(fee_vnd="-5", dossier_code="x")],
    )
    report_csv, report_jsonl = tmp_path / "f.csv", tmp_path / "f.jsonl"
    assert main(["validate", str(records), "--report", str(report_csv)]) == 1
    assert main(["validate", str(records), "--report", str(report_jsonl)]) == 1
    with report_csv.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == [name for name, _, _ in FINDING_COLUMNS]
    lines = report_jsonl.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 4
    for line in lines:
        jsonschema.validate(json.loads(line), findings_json_schema())
