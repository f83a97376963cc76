"""The findings report as a schema other tools read: one definition of its columns, from which the CSV header, the
Parquet schema, the JSON Schema and the Frictionless Table Schema all come.

A report has one row per finding; a row of the input with several problems has several findings. Codes and their
legal sources are listed in ``docs/records.md`` (:data:`tthc.validation.CHECKS`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["FINDING_COLUMNS", "findings_json_schema", "findings_table_schema"]

FINDING_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("file", "string", "the input the row comes from (a file path, or a database source without its password)"),
    ("row", "integer", "1-based data row number in that input (CSV: line n + 1 holds it; Parquet/database: n-th row)"),
    ("field", "string", "the canonical column the finding is about, or '(row)' for the whole row"),
    ("code", "string", "the finding code (E_… error, W_… warning), listed with its source in docs/records.md"),
    ("severity", "string", "'error' (the row is invalid) or 'warning'"),
    ("message", "string", "what was expected and what was given"),
    ("value", "string", "the cell as read (empty when none)"),
)
"""``(name, type, description)`` of each report column, in order."""

_JSON_TYPES = {"string": "string", "integer": "integer"}


def findings_json_schema() -> dict[str, Any]:
    """The JSON Schema of one finding (a line of a ``.jsonl`` report, an item of a ``.json`` one)."""
    properties: dict[str, Any] = {}
    for name, kind, description in FINDING_COLUMNS:
        prop: dict[str, Any] = {"type": _JSON_TYPES[kind], "description": description}
        if name == "value":
            prop["type"] = ["string", "null"]
        if name == "severity":
            prop["enum"] = ["error", "warning"]
        if name == "row":
            prop["minimum"] = 0
        properties[name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "tthc finding",
        "type": "object",
        "properties": properties,
        "required": [name for name, _, _ in FINDING_COLUMNS if name != "value"],
        "additionalProperties": False,
    }


def findings_table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of a CSV (or Parquet) findings report."""
    fields: list[dict[str, Any]] = []
    for name, kind, description in FINDING_COLUMNS:
        field: dict[str, Any] = {"name": name, "type": kind, "description": description}
        constraints: dict[str, Any] = {}
        if name != "value":
            constraints["required"] = True
        if name == "severity":
            constraints["enum"] = ["error", "warning"]
        if name == "row":
            constraints["minimum"] = 0
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "fields": fields,
        "missingValues": [""],
    }
