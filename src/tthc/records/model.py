"""Dossier records (hồ sơ): the canonical columns, the portal-name mapping and the :class:`DossierRecord` model.

The columns, statuses and mapping are defined in :mod:`tthc.records.layout` (exported here too), the modules of the
bulk path import them from there: this module imports pydantic for :class:`DossierRecord`.

A dossier record is one row of an export of a one-stop system or of the national portal's sync data. The canonical
columns (``docs/records.md``) are::

    dossier_code, procedure_code, agency_code, channel, online_level, received_at, due_at, finished_at,
    returned_at, result_channel, status, supplement_requested_at, supplement_completed_at, supplement_count,
    extended_due_at, fee_vnd, postage_vnd, tracking_number

plus two optional extension columns (``extension_issued_at``, ``extension_count``) that make the NĐ 61/2018
Điều 19.9 checks possible when a system exports them.

Headers may use the portal sync names instead (``MaHoSo``, ``MaTTHC``, ``KenhThucHien`` 1/2/3, ``NgayTiepNhan``,
``NgayHenTra``, ``NgayKetThucXuLy``, ``TrangThaiHoSo`` 1–10, ...): :class:`ColumnMapping` holds that mapping as data
(``tthc/data/portal_columns.json``), and users extend or replace it. Datetimes without a zone are Vietnam local time
(UTC+7, no daylight saving); ``dd/mm/yyyy [HH:MM[:SS]]`` and ISO 8601 are accepted.

Readers for CSV, JSON Lines and Parquet live in :mod:`tthc.records.readers`; bulk validation in :mod:`tthc.validation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from tthc.errors import InvalidValueError
from tthc.foundation.arguments import CheckedModel, expect_optional, invalid_value
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.i18n import N_
from tthc.foundation.ids import DossierCode, ProcedureCode, TrackingNumber
from tthc.records.layout import (
    ALL_COLUMNS,
    CANONICAL_COLUMNS,
    DATETIME_COLUMNS,
    EXTENSION_COLUMNS,
    INTEGER_COLUMNS,
    REQUIRED_COLUMNS,
    VN_TZ,
    ColumnMapping,
    DossierStatus,
    HeaderMap,
    parse_local_datetime,
)

__all__ = [
    "ALL_COLUMNS",
    "CANONICAL_COLUMNS",
    "DATETIME_COLUMNS",
    "EXTENSION_COLUMNS",
    "INTEGER_COLUMNS",
    "REQUIRED_COLUMNS",
    "VN_TZ",
    "ColumnMapping",
    "DossierRecord",
    "DossierStatus",
    "HeaderMap",
    "parse_local_datetime",
]


def _ascii_digits(value: object, field: str) -> object:
    """Refuse '²', '٢', '２' where a portal code is expected (``int()`` and ``str.isdigit`` take them for digits)."""
    if isinstance(value, str) and not value.isascii() and any(c.isdigit() and not c.isascii() for c in value):
        raise InvalidValueError(field, N_("a code written with the digits 0-9"), value)
    return value


class DossierRecord(CheckedModel):
    """One dossier record with the canonical columns (pydantic, frozen).

    Datetimes are aware (naive input is read as Vietnam local time). ``channel`` and ``result_channel`` accept the
    portal codes 1/2/3, ``status`` the portal codes 1–10. Cross-field rules (date order, due dates, postal
    eligibility) are checked by :mod:`tthc.validation.chunk`, not here: a record with a late finish is still a record.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_code: DossierCode
    procedure_code: ProcedureCode
    agency_code: str = Field(min_length=1, description="QCVN 102:2016 agency id; other forms are warned about")
    channel: Channel
    online_level: OnlineLevel | None = None
    received_at: datetime
    due_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    result_channel: Channel | None = None
    status: DossierStatus | None = None
    supplement_requested_at: datetime | None = None
    supplement_completed_at: datetime | None = None
    supplement_count: int = Field(default=0, ge=0)
    extended_due_at: datetime | None = None
    fee_vnd: int | None = Field(default=None, ge=0)
    postage_vnd: int | None = Field(default=None, ge=0)
    tracking_number: TrackingNumber | None = None
    extension_issued_at: datetime | None = None
    extension_count: int | None = Field(default=None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        # exports write a missing value as an empty cell; a blank string is "no value", never a value
        if isinstance(data, dict):
            return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in data.items()}
        return data

    @field_validator("channel", "result_channel", mode="before")
    @classmethod
    def _channel(cls, value: object) -> object:
        return None if value is None else Channel.parse(_ascii_digits(value, "channel"))

    @field_validator("online_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return None if value is None else OnlineLevel.parse(_ascii_digits(value, "online_level"))

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        return None if value is None else DossierStatus.parse(value)

    @field_validator(
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "supplement_requested_at",
        "supplement_completed_at",
        "extended_due_at",
        "extension_issued_at",
        mode="before",
    )
    @classmethod
    def _datetime(cls, value: object) -> object:
        return None if value is None else parse_local_datetime(value)

    @field_validator("supplement_count", mode="before")
    @classmethod
    def _count(cls, value: object) -> object:
        return 0 if value is None else value

    @field_validator("agency_code", mode="before")
    @classmethod
    def _agency(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @classmethod
    def from_row(cls, row: Mapping[str, object], mapping: ColumnMapping | None = None) -> DossierRecord:
        """Build a record from a row keyed by canonical or portal names (unknown keys are ignored)."""
        if not isinstance(row, Mapping):
            raise InvalidValueError("row", N_("a mapping of dossier columns"), type(row).__name__)
        m = expect_optional(mapping, ColumnMapping, "mapping", "a ColumnMapping") or ColumnMapping.default()
        data: dict[str, object] = {}
        for key, value in row.items():
            canonical = m.canonical(key) if isinstance(key, str) else None
            if canonical is not None:
                data[canonical] = value
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise invalid_value(exc, "row") from None
