"""What a service instance is configured with, and the data it loads once at start.

:class:`ServerConfig` is plain configuration (paths, limits, switches); :class:`ServiceData` is what the service
answers from — the calendar, the catalog, the fee and postal data and their versions — loaded once, immutable, and
shared by every request. Neither imports FastAPI: the ``tthc batch`` command uses them without the ``server`` extra.

Data versions. The bundled data files carry no version field, so every answer names its data by a derived version:

* ``calendar`` — ``"<last announced year>-<digest>"``, the digest covering every compiled day:
  :func:`tthc.calendar.calendar_data_version`, the same string as the pytest pin ``tthc_calendar_version`` checks;
* ``catalog``, ``tariffs``, ``postal`` — ``"<tthc version>+<digest>"``, the digest being the first 8 hex digits of
  the SHA-256 of the files' bytes (the catalog file in use; ``bcci_tariffs.json`` + ``discounts.json`` +
  ``fee_schedules.json`` + ``postal_beneficiaries.json``; ``postal_rules.json`` + ``postal_agency_lists.json``).

A version changes exactly when the data it names changes (or tthc is upgraded, for the bundled files).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import attrs
from pydantic import BaseModel, ConfigDict, Field

from tthc._version import __version__
from tthc.calendar.data_version import calendar_data_version
from tthc.calendar.schedule import ScheduleFile, load_schedule
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.catalog.collection import SAMPLE_CATALOG, Catalog
from tthc.deadlines.counting import CountingRules
from tthc.deadlines.reductions import ReductionSet, load_reductions
from tthc.errors import InvalidValueError
from tthc.foundation.data_files import bundled_path
from tthc.foundation.i18n import N_
from tthc.foundation.references import LegalReference

__all__ = ["API_KEY_ENV", "DataVersions", "ServerConfig", "ServiceData"]

API_KEY_ENV = "TTHC_API_KEY"
"""The environment variable holding the API key (unset or empty: no key is asked for)."""

_TARIFF_FILES = ("bcci_tariffs.json", "discounts.json", "fee_schedules.json", "postal_beneficiaries.json")
_POSTAL_FILES = ("postal_rules.json", "postal_agency_lists.json")


@attrs.frozen(slots=True, kw_only=True)
class ServerConfig:
    """How a service instance runs. Every field has a safe default.

    Attributes:
        catalog: a catalog file (``Catalog.load``); None: the bundled sample catalog.
        schedule: a public-sector schedule file replacing the bundled one (``public_sector_calendar(schedule=)``).
        culture_day: keep 24 Nov (Ngày Văn hóa Việt Nam) as a day off ([open]; default True, as ``tthc due``).
        reductions: a reductions file applied to every due date; ``example_reductions`` applies the bundled
            EXAMPLE file instead (not real figures). Default: none.
        rules: counting rules (default :class:`~tthc.deadlines.counting.CountingRules`).
        max_batch_items: most items in one ``/v1/due/batch`` request.
        max_body_bytes: largest JSON request body (413 beyond it).
        max_upload_bytes: largest record file uploaded for validation or KPIs (413 beyond it).
        upload_timeout_s: the longest a client may take to send a request body (408 beyond it).
        max_schedule_days: longest range ``/v1/calendar/schedule`` lists.
        cors_origins: origins allowed by CORS; empty (default): no CORS headers at all.
        api_key: the key clients must send in ``X-API-Key``; None: no key. :meth:`from_env` reads it from
            ``TTHC_API_KEY``.
        access_log: write one structured line per request to the ``tthc.server.access`` logger.
    """

    catalog: Path | None = None
    schedule: Path | None = None
    culture_day: bool = True
    reductions: Path | None = None
    example_reductions: bool = False
    rules: CountingRules | None = None
    max_batch_items: int = 10_000
    max_body_bytes: int = 8 << 20
    max_upload_bytes: int = 64 << 20
    upload_timeout_s: float = 120.0
    max_schedule_days: int = 3 * 366
    cors_origins: tuple[str, ...] = ()
    api_key: str | None = attrs.field(default=None, repr=lambda key: "None" if key is None else "'***'")
    access_log: bool = True

    def __attrs_post_init__(self) -> None:
        for name in ("max_batch_items", "max_body_bytes", "max_upload_bytes", "max_schedule_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidValueError(name, N_("a whole number >= 1"), value)
        if not self.upload_timeout_s > 0:
            raise InvalidValueError("upload_timeout_s", N_("a number of seconds > 0"), self.upload_timeout_s)

    @classmethod
    def from_env(cls, **fields: object) -> ServerConfig:
        """A config with ``api_key`` read from ``TTHC_API_KEY`` (unless given); other fields as passed."""
        if "api_key" not in fields:
            fields["api_key"] = os.environ.get(API_KEY_ENV) or None
        return cls(**fields)  # type: ignore[arg-type]


class DataVersions(BaseModel):
    """The versions of the data an answer used (the module docstring says how each is derived)."""

    model_config = ConfigDict(frozen=True)

    tthc: str = Field(description="the tthc release", examples=["0.1.0"])
    calendar: str = Field(
        description="'<last announced year>-<digest of the compiled days>'", examples=["2026-3733461f"]
    )
    catalog: str = Field(description="'<tthc version>+<digest of the catalog file>'", examples=["0.1.0+1c2d3e4f"])
    tariffs: str = Field(description="'<tthc version>+<digest of tariffs, discounts, fee schedules, beneficiaries>'")
    postal: str = Field(description="'<tthc version>+<digest of the postal rules and agency lists>'")


@attrs.frozen(slots=True, kw_only=True)
class ServiceData:
    """Everything a request is answered from, loaded once from a :class:`ServerConfig`."""

    config: ServerConfig
    calendar: WorkingCalendar
    catalog: Catalog
    reductions: ReductionSet | tuple[()]
    rules: CountingRules | None
    schedule: ScheduleFile
    versions: DataVersions

    @classmethod
    def load(cls, config: ServerConfig | None = None) -> ServiceData:
        """Load the data a config names.

        Raises:
            DataFileError: a data file cannot be read or validated (the message names the file).
            DuplicateCodeError, ConflictError: inconsistent data.
        """
        config = config if config is not None else ServerConfig()
        schedule = load_schedule(config.schedule)
        calendar = public_sector_calendar(culture_day=config.culture_day, schedule=config.schedule)
        catalog = Catalog.load(config.catalog) if config.catalog is not None else Catalog.sample()
        if config.reductions is not None:
            reductions: ReductionSet | tuple[()] = load_reductions(config.reductions)
        elif config.example_reductions:
            reductions = load_reductions()
        else:
            reductions = ()
        versions = DataVersions(
            tthc=__version__,
            calendar=calendar_data_version(calendar),
            catalog=file_version([config.catalog or bundled_path(SAMPLE_CATALOG)]),
            tariffs=file_version(bundled_path(n) for n in _TARIFF_FILES),
            postal=file_version(bundled_path(n) for n in _POSTAL_FILES),
        )
        return cls(
            config=config,
            calendar=calendar,
            catalog=catalog,
            reductions=reductions,
            rules=config.rules,
            schedule=schedule,
            versions=versions,
        )

    def references_by_day(self) -> dict[date, LegalReference]:
        """The schedule's reference for each day it lists (days off, swapped weekdays and make-up days)."""
        out: dict[date, LegalReference] = {}
        for occ in self.schedule.occasions:
            for d in occ.off_days():
                out[d] = occ.reference
            if occ.swapped_weekday_off is not None:
                out[occ.swapped_weekday_off] = occ.reference
            for d in occ.make_up_working_days:
                out[d] = occ.reference
        return out


def file_version(paths: Iterable[Path]) -> str:
    """``"<tthc version>+<first 8 hex digits of the SHA-256 of the files' bytes>"``."""
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return f"{__version__}+{h.hexdigest()[:8]}"
