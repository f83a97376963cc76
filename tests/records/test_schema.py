"""The published record schemas accept what tthc writes and reject what its validator rejects at the schema level."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tthc.records.model import ALL_COLUMNS, REQUIRED_COLUMNS
from tthc.records.sample import sample_path
from tthc.records.schema import records_json_schema, records_table_schema


def test_table_schema_lists_every_column_once_with_the_portal_names() -> None:
    schema = records_table_schema()
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == list(ALL_COLUMNS)
    assert {n for n, f in fields.items() if f.get("constraints", {}).get("required")} == set(REQUIRED_COLUMNS)
    assert "NgayTiepNhan" in fields["received_at"]["x-portal-names"]
    assert fields["fee_vnd"]["type"] == "integer"
    assert fields["fee_vnd"]["constraints"] == {"minimum": 0}
    assert fields["received_at"]["type"] == "datetime"


def test_json_schema_is_the_record_model_with_portal_names() -> None:
    schema = records_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    props = schema["properties"]
    assert isinstance(props, dict)
    assert "MaHoSo" in props["dossier_code"]["x-portal-names"]
    assert set(schema["required"]) == set(REQUIRED_COLUMNS)


def test_the_sample_passes_the_table_schema_in_frictionless(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed (dev extra)")
    rows = list(csv.DictReader(sample_path().open(encoding="utf-8")))[:400]
    path = tmp_path / "sample.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    schema = records_table_schema()
    schema.pop("$schema")
    # the sample holds only the canonical columns: describe those
    schema["fields"] = [f for f in schema["fields"] if f["name"] in rows[0]]
    with frictionless.system.use_context(trusted=True):  # a file in tmp_path, outside the working directory
        report = frictionless.validate(str(path), schema=frictionless.Schema.from_descriptor(schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_the_table_schema_rejects_a_negative_fee_and_an_unknown_channel(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed (dev extra)")
    path = tmp_path / "bad.csv"
    path.write_text(
        "dossier_code,procedure_code,agency_code,channel,received_at,fee_vnd\n"
        "000.00.12.H21-250303-0001,2.001417,000.00.12.H21,fax,2025-03-03 09:00:00,-5\n",
        encoding="utf-8",
    )
    schema = records_table_schema()
    schema.pop("$schema")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    schema["fields"] = [f for f in schema["fields"] if f["name"] in header]
    with frictionless.system.use_context(trusted=True):  # a file in tmp_path, outside the working directory
        report = frictionless.validate(str(path), schema=frictionless.Schema.from_descriptor(schema))
    flagged = {(e[0], e[1]) for e in report.flatten(["fieldName", "type"])}
    assert flagged == {("channel", "constraint-error"), ("fee_vnd", "constraint-error")}


def test_a_sample_row_passes_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed (dev extra)")
    row = next(csv.DictReader(sample_path().open(encoding="utf-8")))
    doc = {k: v for k, v in row.items() if v != ""}
    doc["supplement_count"] = int(doc.get("supplement_count", "0"))
    for key in ("fee_vnd", "postage_vnd"):
        if key in doc:
            doc[key] = int(doc[key])
    jsonschema.validate(json.loads(json.dumps(doc)), records_json_schema())
