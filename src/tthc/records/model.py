"""Dossier records (hồ sơ): the canonical columns, the portal-name mapping and the :class:`DossierRecord` model.

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

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

import attrs
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.arguments import CheckedModel, expect_optional, invalid_value
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.data_files import load_json, read_json_file
from tthc.foundation.datetimes import parse_local_datetime  # the one reading rule, shared with the CLI options
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.ids import DossierCode, ProcedureCode, TrackingNumber
from tthc.foundation.text import fold
from tthc.foundation.words import Words, words

__all__ = [
    "CANONICAL_COLUMNS",
    "DATETIME_COLUMNS",
    "EXTENSION_COLUMNS",
    "REQUIRED_COLUMNS",
    "VN_TZ",
    "ColumnMapping",
    "DossierRecord",
    "DossierStatus",
    "HeaderMap",
    "parse_local_datetime",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam local time: UTC+7 all year (no daylight saving since 1975)."""

CANONICAL_COLUMNS: tuple[str, ...] = (
    "dossier_code",
    "procedure_code",
    "agency_code",
    "channel",
    "online_level",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "result_channel",
    "status",
    "supplement_requested_at",
    "supplement_completed_at",
    "supplement_count",
    "extended_due_at",
    "fee_vnd",
    "postage_vnd",
    "tracking_number",
)
"""The canonical dossier columns, in the documented order (design.md)."""

EXTENSION_COLUMNS: tuple[str, ...] = ("extension_issued_at", "extension_count")
"""Optional columns beyond the canonical set: when the apology/new-appointment slip (form 04) was issued and how
many were issued — the only way to check NĐ 61/2018 Điều 19.9 (at the latest 1 day before expiry; once)."""

ALL_COLUMNS: tuple[str, ...] = CANONICAL_COLUMNS + EXTENSION_COLUMNS

REQUIRED_COLUMNS: tuple[str, ...] = ("dossier_code", "procedure_code", "agency_code", "channel", "received_at")
"""A file without one of these columns is rejected as a whole (nothing useful can be checked without them)."""

DATETIME_COLUMNS: tuple[str, ...] = (
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "supplement_requested_at",
    "supplement_completed_at",
    "extended_due_at",
    "extension_issued_at",
)
INTEGER_COLUMNS: tuple[str, ...] = ("supplement_count", "fee_vnd", "postage_vnd", "extension_count")


class DossierStatus(TthcStrEnum):
    """Dossier status with the national portal's sync codes (``TrangThaiHoSo``, domain.md §1 [2nd])."""

    NEW = "new"  # 1 mới (online, chờ tiếp nhận)
    RECEIVED = "received"  # 2 đã tiếp nhận
    NOT_RECEIVED = "not_received"  # 3 không được tiếp nhận (refused)
    PROCESSING = "processing"  # 4 đang xử lý
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 5 yêu cầu bổ sung
    AWAITING_PAYMENT = "awaiting_payment"  # 6 chờ thực hiện nghĩa vụ tài chính
    WITHDRAWN = "withdrawn"  # 7 công dân yêu cầu rút hồ sơ
    STOPPED = "stopped"  # 8 dừng xử lý
    PROCESSED = "processed"  # 9 đã xử lý xong
    RETURNED = "returned"  # 10 đã trả kết quả

    @property
    def portal_code(self) -> int:
        return _STATUS_CODES[self]

    @property
    def is_terminal(self) -> bool:
        """Processing has ended (QĐ 766: processed, returned, stopped; withdrawal also ends)."""
        return self in (DossierStatus.PROCESSED, DossierStatus.RETURNED, DossierStatus.STOPPED, DossierStatus.WITHDRAWN)

    @classmethod
    def parse(cls, value: object) -> DossierStatus:
        """Read a status from its code name, its portal code (1–10) or a Vietnamese label.

        Raises:
            InvalidValueError: the value names no status.
        """
        if isinstance(value, DossierStatus):
            return value
        by_code: DossierStatus | None = cls._by_code(value, _STATUS_CODES)
        if by_code is not None:
            return by_code
        if isinstance(value, str):
            folded = fold(value)
            for status in cls:
                if folded == status.value or folded.replace(" ", "_") == status.value:
                    return status
            for label, status in _STATUS_LABELS.items():
                if folded == label:
                    return status
        raise InvalidValueError(
            "status",
            words(N_("a portal status code 1-10 or one of {choices}"), choices="|".join(s.value for s in cls)),
            value,
        )


_STATUS_CODES = {status: i for i, status in enumerate(DossierStatus, start=1)}
_STATUS_LABELS = {
    "moi": DossierStatus.NEW,
    "cho tiep nhan": DossierStatus.NEW,
    "da tiep nhan": DossierStatus.RECEIVED,
    "khong duoc tiep nhan": DossierStatus.NOT_RECEIVED,
    "tu choi": DossierStatus.NOT_RECEIVED,
    "dang xu ly": DossierStatus.PROCESSING,
    "yeu cau bo sung": DossierStatus.SUPPLEMENT_REQUESTED,
    "cho thuc hien nghia vu tai chinh": DossierStatus.AWAITING_PAYMENT,
    "rut ho so": DossierStatus.WITHDRAWN,
    "dung xu ly": DossierStatus.STOPPED,
    "da xu ly xong": DossierStatus.PROCESSED,
    "da xu ly": DossierStatus.PROCESSED,
    "da tra ket qua": DossierStatus.RETURNED,
}


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", fold(name))


@attrs.frozen(slots=True)
class HeaderMap:
    """How the columns of one file map to the canonical columns.

    Attributes:
        columns: canonical column -> index of the source column.
        source_names: canonical column -> the header as written in the file.
        ignored: headers that map to no canonical column (kept in the summary, never silently dropped).
    """

    columns: dict[str, int]
    source_names: dict[str, str]
    ignored: tuple[str, ...]
    width: int

    def __repr__(self) -> str:
        pairs = ", ".join(f"{self.source_names[c]}->{c}" for c in self.columns if self.source_names[c] != c)
        return f"<header map {len(self.columns)} columns{'; ' + pairs if pairs else ''}>"


@attrs.frozen(slots=True)
class ColumnMapping:
    """Which header names map to which canonical column (case-, accent-, space- and underscore-insensitive).

    The default (:meth:`default`) accepts the canonical names and the portal sync names listed in
    ``tthc/data/portal_columns.json``. Extend it with :meth:`with_aliases` or load your own file with :meth:`load`.
    """

    aliases: Mapping[str, str]  # header key -> canonical column
    source: str = "tthc/data/portal_columns.json"
    names: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)  # canonical -> alias names as written

    @classmethod
    def default(cls) -> ColumnMapping:
        """The bundled mapping: canonical names plus the portal sync names."""
        return cls._from_raw(load_json("portal_columns.json"), "tthc/data/portal_columns.json")

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        """A mapping from a JSON file shaped like the bundled one: ``{"aliases": {canonical: [names...]}}``.

        Raises:
            DataFileError: the file is missing, not JSON, or names an unknown canonical column.
        """
        return cls._from_raw(read_json_file(path), str(path))

    @classmethod
    def _from_raw(cls, raw: Any, source: str) -> ColumnMapping:
        if not isinstance(raw, dict) or not isinstance(raw.get("aliases"), dict):
            raise DataFileError(
                words(N_("{source}: expected an object with 'aliases': {{canonical: [names...]}}"), source=source)
            )
        table: dict[str, str] = {_header_key(c): c for c in ALL_COLUMNS}
        written: dict[str, tuple[str, ...]] = {}
        for canonical, names in raw["aliases"].items():
            if canonical not in ALL_COLUMNS:
                raise DataFileError(
                    words(
                        N_("{source}: aliases: expected a canonical column, got {given}"),
                        source=source,
                        given=repr(canonical),
                    )
                )
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise DataFileError(
                    words(
                        N_("{source}: aliases.{column}: expected a list of names, got {given}"),
                        source=source,
                        column=canonical,
                        given=repr(names),
                    )
                )
            for name in names:
                table[_header_key(name)] = canonical
            written[canonical] = tuple(names)
        return cls(table, source, written)

    def with_aliases(self, extra: Mapping[str, str]) -> Self:
        """A copy where each header name in ``extra`` maps to the given canonical column (overriding the bundle).

        Raises:
            InvalidValueError: a target is not a canonical column.
        """
        table = dict(self.aliases)
        written = dict(self.names)
        for name, canonical in extra.items():
            if canonical not in ALL_COLUMNS:
                raise InvalidValueError(
                    "column mapping", words(N_("one of {choices}"), choices=", ".join(ALL_COLUMNS)), canonical
                )
            table[_header_key(name)] = canonical
            written[canonical] = (*written.get(canonical, ()), name)
        return attrs.evolve(self, aliases=table, source=f"{self.source} + user aliases", names=written)

    def canonical(self, header: str) -> str | None:
        """The canonical column a header name maps to, or ``None``."""
        return self.aliases.get(_header_key(header))

    def resolve(self, header: Iterable[str], *, file: str = "") -> HeaderMap:
        """Map a file's header; raise when a required column is missing or a column appears twice.

        Raises:
            DataFileError: names the missing required column(s), the duplicated column, and the header as given.
        """
        names = list(header)
        columns: dict[str, int] = {}
        source_names: dict[str, str] = {}
        ignored: list[str] = []
        where = f"{file}: " if file else ""
        for i, name in enumerate(names):
            canonical = self.canonical(name)
            if canonical is None:
                ignored.append(name)
                continue
            if canonical in columns:
                raise DataFileError(
                    words(
                        N_("{where}header: columns {first} and {second} both map to {canonical}"),
                        where=where,
                        first=repr(source_names[canonical]),
                        second=repr(name),
                        canonical=repr(canonical),
                    )
                )
            columns[canonical] = i
            source_names[canonical] = name
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise DataFileError(
                words(
                    N_(
                        "{where}header: missing required column(s) {missing} (expected the canonical names or their "
                        "portal names, e.g. {hint}); got {names}"
                    ),
                    where=where,
                    missing=", ".join(missing),
                    hint=_portal_hint(missing[0], self),
                    names=repr(names),
                )
            )
        return HeaderMap(columns, source_names, tuple(ignored), len(names))


def _portal_hint(canonical: str, mapping: ColumnMapping) -> str | Words:
    names = mapping.names.get(canonical, ())
    return words(N_("{name} or {portal}"), name=repr(canonical), portal=repr(names[0])) if names else repr(canonical)


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
