"""The dossier record's layout: the canonical columns, the statuses and the portal-name mapping
(:class:`ColumnMapping`, ``tthc/data/portal_columns.json``), without the validated record model.

The bulk path (the readers, the column typing, the checks) needs only these; :mod:`tthc.records.model` holds
:class:`~tthc.records.model.DossierRecord`, a pydantic model, and exports everything here too (one place to import
the record API from). Kept apart so that a run of the bulk checks (``tthc validate``) does not import pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

import attrs

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.data_files import load_json, read_json_file
from tthc.foundation.datetimes import parse_local_datetime  # the one reading rule, shared with the CLI options
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_
from tthc.foundation.text import fold
from tthc.foundation.words import Words, words

__all__ = [
    "ALL_COLUMNS",
    "CANONICAL_COLUMNS",
    "DATETIME_COLUMNS",
    "EXTENSION_COLUMNS",
    "INTEGER_COLUMNS",
    "REQUIRED_COLUMNS",
    "VN_TZ",
    "ColumnMapping",
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
