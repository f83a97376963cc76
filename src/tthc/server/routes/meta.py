"""``/v1/health`` and ``/v1/version``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from tthc._version import __version__
from tthc.server.config import DataVersions, ServiceData
from tthc.server.routes._common import CHECKED, ERRORS

__all__ = ["Health", "VersionInfo", "router"]

API_VERSION = "1"


class Health(BaseModel):
    """The service is up and its data is loaded (open even when an API key is configured)."""

    status: Literal["ok"]
    data_versions: DataVersions


class VersionInfo(BaseModel):
    """The tthc release, the API version and the versions of the data loaded."""

    tthc: str
    api: str = Field(description="the major version of this API (the /v1 prefix)")
    last_announced_year: int | None = Field(description="the last year whose public-sector schedule is announced")
    procedures: int = Field(description="procedures in the catalog served")
    data_versions: DataVersions


def router(data: ServiceData) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["service"], responses=ERRORS, dependencies=CHECKED)

    @api.get("/health", summary="Liveness")
    async def health() -> Health:
        return Health(status="ok", data_versions=data.versions)

    @api.get("/version", summary="Versions of tthc, the API and the data")
    async def version() -> VersionInfo:
        return VersionInfo(
            tthc=__version__,
            api=API_VERSION,
            last_announced_year=data.calendar.last_announced_year,
            procedures=len(data.catalog),
            data_versions=data.versions,
        )

    return api
