"""The procedure catalog: procedures as the national TTHC database publishes them.

Vietnamese terms (domain.md glossary): thủ tục hành chính → :class:`Procedure`; cấp thực hiện → :class:`Level`;
lĩnh vực → ``field``; cách thức thực hiện → :class:`ChannelOption`; thời hạn giải quyết → ``processing_time``;
phí / lệ phí → :class:`FeeKind`; yêu cầu, điều kiện → ``conditions``.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tthc._data import load_json, read_json_file
from tthc._text import fold
from tthc.channels import Channel, OnlineLevel
from tthc.errors import DataFileError, DuplicateCodeError, InvalidValueError, NotFoundError, ParseError
from tthc.ids import ProcedureCode
from tthc.money import Money
from tthc.processing_time import ProcessingTime

if TYPE_CHECKING:
    from tthc.portal import PortalImport

__all__ = [
    "SAMPLE_CATALOG",
    "Catalog",
    "CatalogFile",
    "ChannelOption",
    "FeeKind",
    "FeeLine",
    "LegalBasis",
    "Level",
    "Procedure",
    "Tri",
    "catalog_json_schema",
    "parse_level",
]


class Tri(enum.StrEnum):
    """A fact that may be known true, known false, or not known (never guessed)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Level(enum.StrEnum):
    """Implementing level (cấp thực hiện). ``district`` exists only before 1 Jul 2025 (Nghị quyết 202/2025/QH15)."""

    MINISTRY = "ministry"  # Cấp bộ
    PROVINCE = "province"  # Cấp tỉnh
    DISTRICT = "district"  # Cấp huyện (historic)
    COMMUNE = "commune"  # Cấp xã
    OTHER = "other"  # Cơ quan khác


class FeeKind(enum.StrEnum):
    """Phí (a charge for a service) and lệ phí (a state fee) are distinct kinds (domain.md §5)."""

    CHARGE = "charge"  # phí
    STATE_FEE = "state_fee"  # lệ phí
    UNKNOWN = "unknown"  # the text does not say which


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FeeLine(_Frozen):
    """One fee of a channel option, as published.

    Exactly one reading holds: ``free`` (Miễn phí / 0 đồng), an ``amount``, a ``percentage`` of something described
    in ``note``, or nothing understood (all empty; ``text`` keeps what was published).
    """

    kind: FeeKind = FeeKind.UNKNOWN
    amount: Money | None = None
    free: bool = False
    percentage: Decimal | None = None
    text: str = ""
    note: str | None = None

    @property
    def parsed(self) -> bool:
        return self.free or self.amount is not None or self.percentage is not None


class ChannelOption(_Frozen):
    """One row of the published channel table: a channel with its own processing time, fees and note.

    A channel may have several rows (a normal and a complex case, say); ``case`` tells them apart when known.
    ``processing_time`` is ``None`` when the published text could not be understood; ``processing_time_text``
    always keeps the original.
    """

    channel: Channel
    processing_time: ProcessingTime | None = None
    processing_time_text: str = ""
    fees: tuple[FeeLine, ...] = ()
    fee_text: str = ""
    online_level: OnlineLevel | None = None
    online_payment: Tri = Tri.UNKNOWN
    case: str | None = None
    note: str | None = None


class LegalBasis(_Frozen):
    """One entry of căn cứ pháp lý: a document number and its title."""

    number: str | None = None
    title: str


class Procedure(_Frozen):
    """An administrative procedure (thủ tục hành chính) as published in the national TTHC database.

    ``requires_personal_presence`` and ``authorisation_allowed`` drive postal eligibility
    (QĐ 45/2016/QĐ-TTg Điều 1.2); they are tri-state because the published text often does not say.
    """

    code: ProcedureCode
    name: str
    field: str | None = None
    decision: str | None = None  # số quyết định công bố
    levels: tuple[Level, ...] = ()
    agencies: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    channels: tuple[ChannelOption, ...] = ()
    result: str | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    conditions: str | None = None
    requires_personal_presence: Tri = Tri.UNKNOWN
    authorisation_allowed: Tri = Tri.UNKNOWN
    valid_from: date | None = None
    valid_until: date | None = Field(default=None, description="inclusive")
    source: str | None = None

    def options(self, channel: Channel | str | int) -> tuple[ChannelOption, ...]:
        """The published rows for ``channel`` (empty when the channel is not offered).

        ``channel`` is a :class:`Channel` or anything :meth:`Channel.parse` reads (``'postal'``, ``3``,
        ``'Dịch vụ bưu chính'``).

        Raises:
            InvalidValueError: ``channel`` names no channel.
        """
        ch = Channel.parse(channel)
        return tuple(o for o in self.channels if o.channel is ch)

    def offers(self, channel: Channel | str | int) -> bool:
        """Whether the procedure publishes at least one row for ``channel`` (as :meth:`options` reads it)."""
        ch = Channel.parse(channel)
        return any(o.channel is ch for o in self.channels)

    @property
    def channel_set(self) -> frozenset[Channel]:
        return frozenset(o.channel for o in self.channels)

    def in_force(self, on: date) -> bool:
        """Whether the procedure is in force on ``on`` (both bounds inclusive; a missing bound is open)."""
        return (self.valid_from is None or on >= self.valid_from) and (
            self.valid_until is None or on <= self.valid_until
        )


# --------------------------------------------------------------------------------------------------------------------
# The catalog: an immutable, indexed set of procedures
# --------------------------------------------------------------------------------------------------------------------

SAMPLE_CATALOG = "sample_catalog.json"
"""Name of the bundled sample catalog (written by this project, not an official list)."""


class CatalogFile(_Frozen):
    """The on-disk JSON form of a catalog: ``{"about": ..., "procedures": [...]}``.

    JSON Lines catalogs (suffix ``.jsonl``) hold one :class:`Procedure` per line instead.
    """

    about: str | None = Field(default=None, description="what this catalog is and where it comes from")
    procedures: tuple[Procedure, ...] = ()


def _unpickle_catalog(procedures: tuple[Procedure, ...], about: str | None) -> Catalog:
    return Catalog(procedures, about=about)


def _describe(p: Procedure) -> str:
    where = f", source {p.source}" if p.source else ""
    return f"{p.code} {p.name!r}{where}"


class Catalog:
    """An immutable set of procedures, indexed by code (national ``1.000178`` or local ``1.001612.000.00.00.H48``).

    Lookup rules (``cat[code]``):

    1. the exact code, if present;
    2. for a local code (``<national>.<agency>``) not present, the national record it instantiates;
    3. for a national code not present, its only local instance (several instances: :class:`NotFoundError`
       listing them — ask for one of them by its local code).

    Two procedures with the same code are an error (:class:`DuplicateCodeError` naming both records).

    Example:
        >>> cat = Catalog.sample()
        >>> "1.001193" in cat
        True
    """

    __slots__ = ("_about", "_by_code", "_by_national", "_procedures")

    _about: str | None
    _procedures: tuple[Procedure, ...]
    _by_code: dict[str, Procedure]
    _by_national: dict[str, tuple[Procedure, ...]]

    def __init__(self, procedures: Iterable[Procedure] = (), *, about: str | None = None) -> None:
        procs = tuple(procedures)
        by_code: dict[str, Procedure] = {}
        position: dict[str, int] = {}
        by_national: dict[str, list[Procedure]] = {}
        for i, p in enumerate(procs):
            if not isinstance(p, Procedure):
                raise InvalidValueError(f"procedures[{i}]", "a tthc.Procedure", type(p).__name__)
            first = by_code.get(p.code)
            if first is not None:
                raise DuplicateCodeError(
                    f"procedure code {p.code} appears twice: record #{position[p.code]} {_describe(first)} "
                    f"and record #{i} {_describe(p)}"
                )
            by_code[p.code] = p
            position[p.code] = i
            by_national.setdefault(p.code.national, []).append(p)
        object.__setattr__(self, "_about", about)
        object.__setattr__(self, "_procedures", procs)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_national", {k: tuple(v) for k, v in by_national.items()})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Catalog is immutable (cannot set {name!r}); build a new one")

    def __reduce__(self) -> tuple[Callable[..., Catalog], tuple[tuple[Procedure, ...], str | None]]:
        # pickled as its constructor call (the slots are derived data, and __setattr__ refuses the default path),
        # so a catalog can be shipped to Dask workers and other processes
        return (_unpickle_catalog, (self._procedures, self._about))

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Catalog is immutable (cannot delete {name!r})")

    # -- container protocol ----------------------------------------------------------------------------------------

    @property
    def about(self) -> str | None:
        """What this catalog is (``about`` of the file it was loaded from)."""
        return self._about

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        """The procedures in their original order."""
        return self._procedures

    @property
    def codes(self) -> tuple[ProcedureCode, ...]:
        return tuple(p.code for p in self._procedures)

    def __len__(self) -> int:
        return len(self._procedures)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._procedures)

    def __contains__(self, code: object) -> bool:
        if isinstance(code, Procedure):
            return self._by_code.get(code.code) == code
        return self.get(code) is not None if isinstance(code, str) else False

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalog):
            return NotImplemented
        return self._procedures == other._procedures and self._about == other._about

    def __hash__(self) -> int:
        return hash(self._procedures)

    def __repr__(self) -> str:
        about = f" ({self._about[:40]}...)" if self._about and len(self._about) > 40 else f" ({self._about})"
        return f"<Catalog of {len(self)} procedures{about if self._about else ''}>"

    def _resolve(self, code: str) -> Procedure:
        try:
            key = ProcedureCode(code)
        except InvalidValueError as exc:
            raise NotFoundError(f"procedure_code: expected a procedure code, got {code!r} ({exc})") from None
        hit = self._by_code.get(key)
        if hit is not None:
            return hit
        if key.is_local:
            national = self._by_code.get(key.national)
            if national is not None:
                return national
            raise NotFoundError(f"procedure {key} is not in the catalog (nor its national code {key.national})")
        instances = self._by_national.get(key, ())
        if len(instances) == 1:
            return instances[0]
        if instances:
            listed = ", ".join(p.code for p in instances)
            raise NotFoundError(
                f"procedure {key}: {len(instances)} local instances ({listed}); look one up by its local code"
            )
        raise NotFoundError(f"procedure {key} is not in the catalog")

    def __getitem__(self, code: str) -> Procedure:
        """The procedure with ``code`` (see the lookup rules in the class docstring).

        Raises:
            NotFoundError: no procedure answers to ``code`` (the message names it).
        """
        if not isinstance(code, str):
            raise NotFoundError(f"procedure_code: expected a code string such as '1.000178', got {code!r}")
        return self._resolve(code)

    def get(self, code: str, default: Procedure | None = None) -> Procedure | None:
        """Like ``cat[code]`` but returns ``default`` instead of raising."""
        try:
            return self[code]
        except NotFoundError:
            return default

    def instances(self, code: str) -> tuple[Procedure, ...]:
        """Every record of the national procedure ``code`` (the national one and its local instances)."""
        try:
            return self._by_national.get(ProcedureCode(code).national, ())
        except InvalidValueError:
            return ()

    # -- filters ---------------------------------------------------------------------------------------------------

    def filter(
        self,
        *,
        level: Level | str | None = None,
        field: str | None = None,
        channel: Channel | str | int | None = None,
        agency: str | None = None,
        on: date | None = None,
        predicate: Callable[[Procedure], bool] | None = None,
    ) -> Catalog:
        """The procedures matching every given criterion, as a new catalog (order kept).

        Args:
            level: a :class:`Level` or a label (``'province'``, ``'Cấp tỉnh'``).
            field: lĩnh vực, compared without case or accents (``'ho tich'`` matches ``'Hộ tịch'``).
            channel: a :class:`Channel` or anything :meth:`Channel.parse` accepts.
            agency: an agency id (``'000.00.00.H48'``), a province code (``'H48'``) matched against local procedure
                codes, or a part of an agency name (accent-insensitive).
            on: keep procedures in force on this date (``valid_from``/``valid_until`` inclusive; unknown = in force).
            predicate: any further test.

        Raises:
            InvalidValueError: ``level`` or ``channel`` names nothing known.
        """
        tests: list[Callable[[Procedure], bool]] = []
        if level is not None:
            lv = parse_level(level) if not isinstance(level, Level) else level
            tests.append(lambda p: lv in p.levels)
        if field is not None:
            f = fold(field)
            tests.append(lambda p: p.field is not None and fold(p.field) == f)
        if channel is not None:
            ch = Channel.parse(channel)
            tests.append(lambda p: p.offers(ch))
        if agency is not None:
            tests.append(_agency_test(agency))
        if on is not None:
            tests.append(lambda p: p.in_force(on))
        if predicate is not None:
            tests.append(predicate)
        return Catalog((p for p in self._procedures if all(t(p) for t in tests)), about=self._about)

    # -- files -----------------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Catalog:
        """Load a catalog written by :meth:`dump`: JSON (``{"about", "procedures"}``) or JSON Lines (``.jsonl``).

        Raises:
            DataFileError: the file cannot be read or a record does not match the model (file, record, field named).
            DuplicateCodeError: two records carry the same code.
        """
        p = Path(path)
        if p.suffix.lower() == ".jsonl":
            return cls(_read_jsonl_procedures(p))
        raw = read_json_file(p)
        return _catalog_from_raw(raw, str(p))

    def dump(self, path: str | Path) -> Path:
        """Write the catalog as JSON (or JSON Lines when the suffix is ``.jsonl``); returns the path."""
        p = Path(path)
        if p.suffix.lower() == ".jsonl":
            with p.open("w", encoding="utf-8") as fh:
                for proc in self._procedures:
                    fh.write(json.dumps(proc.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False))
                    fh.write("\n")
        else:
            # defaults are left out of each procedure (smaller files), never the two top-level keys
            doc = {
                "about": self._about,
                "procedures": [proc.model_dump(mode="json", exclude_defaults=True) for proc in self._procedures],
            }
            p.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return p

    def to_file_model(self) -> CatalogFile:
        return CatalogFile(about=self._about, procedures=self._procedures)

    @classmethod
    def sample(cls) -> Catalog:
        """The bundled sample catalog (a few dozen procedures written by this project, not an official list)."""
        return _sample()

    @classmethod
    def from_portal(cls, rows: Iterable[object], *, source: str | None = None) -> PortalImport:
        """Import national-portal export rows (both shapes in ``data/real``) → a catalog and an import report.

        See :func:`tthc.portal.import_portal`. Every row is accounted for in the report; nothing is dropped silently.
        """
        from tthc.portal import import_portal

        return import_portal(rows, source=source)


SchemaName = Literal["catalog", "procedure"]


def catalog_json_schema(which: SchemaName = "catalog") -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a catalog file (:class:`CatalogFile`) or of one :class:`Procedure`.

    Raises:
        InvalidValueError: ``which`` is neither ``'catalog'`` nor ``'procedure'``.
    """
    models: dict[str, type[BaseModel]] = {"catalog": CatalogFile, "procedure": Procedure}
    if which not in models:
        raise InvalidValueError("schema", "'catalog' or 'procedure'", which)
    schema: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **models[which].model_json_schema(mode="validation"),
    }
    return schema


def _agency_test(agency: str) -> Callable[[Procedure], bool]:
    wanted = agency.strip().upper()
    folded = fold(agency)

    def test(p: Procedure) -> bool:
        suffix = p.code.agency
        if suffix is not None and (suffix == wanted or suffix.endswith("." + wanted) or suffix[-3:] == wanted):
            return True
        return any(folded in fold(a) for a in p.agencies)

    return test


def _catalog_from_raw(raw: object, where: str) -> Catalog:
    if isinstance(raw, list):
        raw = {"procedures": raw}
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: expected a JSON object with 'procedures' (or a list), got {type(raw).__name__}")
    procs_raw = raw.get("procedures")
    if not isinstance(procs_raw, list):
        raise DataFileError(f"{where}: expected 'procedures' to be a list, got {type(procs_raw).__name__}")
    procs = [_procedure_from_raw(r, f"{where}: procedures[{i}]") for i, r in enumerate(procs_raw)]
    about = raw.get("about")
    if about is not None and not isinstance(about, str):
        raise DataFileError(f"{where}: expected 'about' to be text, got {type(about).__name__}")
    extra = set(raw) - {"about", "procedures", "$schema", "$comment"}
    if extra:
        raise DataFileError(f"{where}: unexpected top-level keys {sorted(extra)} (expected 'about', 'procedures')")
    return Catalog(procs, about=about)


def _procedure_from_raw(raw: object, where: str) -> Procedure:
    try:
        return Procedure.model_validate(raw)
    except ValidationError as exc:
        code = raw.get("code") if isinstance(raw, dict) else None
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise DataFileError(
            f"{where} (code {code!r}): field {loc}: {first['msg']}, got {first.get('input')!r}"
            + (f" (+{exc.error_count() - 1} more errors)" if exc.error_count() > 1 else "")
        ) from None


def _read_jsonl_procedures(p: Path) -> list[Procedure]:
    out: list[Procedure] = []
    try:
        with p.open(encoding="utf-8-sig") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataFileError(f"{p}: line {lineno}: expected a JSON object, invalid: {exc.msg}") from None
                out.append(_procedure_from_raw(raw, f"{p}: line {lineno}"))
    except FileNotFoundError:
        raise DataFileError(f"{p}: data file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{p}: expected UTF-8 text, got undecodable bytes at offset {exc.start}") from None
    return out


@cache
def _sample() -> Catalog:
    return _catalog_from_raw(load_json(SAMPLE_CATALOG), f"bundled {SAMPLE_CATALOG}")


_LEVEL_WORDS: tuple[tuple[str, Level], ...] = (
    ("cap bo", Level.MINISTRY),
    ("cap trung uong", Level.MINISTRY),
    ("cap tinh", Level.PROVINCE),
    ("cap huyen", Level.DISTRICT),
    ("cap xa", Level.COMMUNE),
    ("co quan khac", Level.OTHER),
)


def parse_level(value: str | Level) -> Level:
    """One implementing level from its code name (``'province'``) or Vietnamese label (``'Cấp tỉnh'``).

    Raises:
        ParseError: the text names no level.
    """
    if isinstance(value, Level):
        return value
    if isinstance(value, str):
        folded = fold(value)
        for lv in Level:
            if folded == lv.value:
                return lv
        for words, lv in _LEVEL_WORDS:
            if folded == words or folded == words.removeprefix("cap "):
                return lv
    raise ParseError(
        "level",
        "ministry|province|district|commune|other or 'Cấp bộ'|'Cấp tỉnh'|'Cấp huyện'|'Cấp xã'|'Cơ quan khác'",
        value,
    )
