"""The canonical dossier record as schema files other tools read: JSON Schema (draft 2020-12) and a Frictionless
Table Schema (what frictionless, pandera's and Great Expectations' importers, and CSV validators take).

They describe the canonical form — what ``tthc`` itself writes (the bundled sample, ``Dossier.to_record``): canonical
column names, ``direct|online|postal`` or the portal codes 1/2/3. The readers accept more (the portal names below,
Vietnamese labels), and map them to this form.

Both are generated from :class:`~tthc.records.model.DossierRecord` and the column mapping, so they cannot drift from
what the readers accept. Each field carries ``x-portal-names``: the portal sync names (``MaHoSo``, ``NgayTiepNhan``,
…) the readers also accept for it (``data/portal_columns.json``, tagged there as secondary-source / [open]).

What a schema cannot say, the validator checks (identifier syntax and check digits, the due date recomputed on the
public-sector calendar, the catalog match, the order of dates …): a file that passes the Table Schema can still have
findings.
"""

from __future__ import annotations

from typing import Any

from tthc.foundation.channels import Channel, OnlineLevel
from tthc.records.model import (
    ALL_COLUMNS,
    DATETIME_COLUMNS,
    INTEGER_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnMapping,
    DossierRecord,
    DossierStatus,
)

__all__ = ["records_json_schema", "records_table_schema"]

_DATETIME_FORMATS = (
    "ISO 8601 (2026-03-02T09:00:00, 2026-03-02 09:00) or dd/mm/yyyy [HH:MM[:SS]]; no zone = Vietnam time"
)


def _enum(column: str) -> list[str] | None:
    if column in ("channel", "result_channel"):
        return [c.value for c in Channel] + [str(c.portal_code) for c in Channel]
    if column == "status":
        return [s.value for s in DossierStatus] + [str(s.portal_code) for s in DossierStatus]
    if column == "online_level":
        return [lv.value for lv in OnlineLevel]
    return None


def records_json_schema() -> dict[str, Any]:
    """The JSON Schema of one canonical dossier record (a JSON Lines row), with ``x-portal-names`` per property."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **DossierRecord.model_json_schema(mode="validation"),
    }
    names = ColumnMapping.default().names
    for column, prop in schema.get("properties", {}).items():
        if names.get(column):
            prop["x-portal-names"] = list(names[column])
    return schema


def records_table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of a dossier-record CSV file (canonical column names)."""
    names = ColumnMapping.default().names
    descriptions = {name: field.description for name, field in DossierRecord.model_fields.items()}
    fields: list[dict[str, object]] = []
    for column in ALL_COLUMNS:
        field: dict[str, object] = {"name": column}
        constraints: dict[str, object] = {}
        if column in DATETIME_COLUMNS:
            # 'any': the readers accept ISO 8601 and dd/mm/yyyy; the format is in the description
            field.update(type="datetime", format="any", description=_DATETIME_FORMATS)
        elif column in INTEGER_COLUMNS:
            field["type"] = "integer"
            constraints["minimum"] = 0
        else:
            field["type"] = "string"
        if descriptions.get(column):
            field["description"] = descriptions[column]
        if column in REQUIRED_COLUMNS:
            constraints["required"] = True
        allowed = _enum(column)
        if allowed is not None:
            constraints["enum"] = allowed
        if constraints:
            field["constraints"] = constraints
        if names.get(column):
            field["x-portal-names"] = list(names[column])
        fields.append(field)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["dossier_code"],
    }
