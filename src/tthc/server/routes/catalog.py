"""``/v1/procedures`` (lookup, search, filters), ``/v1/quote`` and ``/v1/eligibility``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from tthc.catalog.model import Level, Procedure
from tthc.foundation.channels import Channel
from tthc.foundation.text import fold
from tthc.server.config import DataVersions, ServiceData
from tthc.server.routes._common import ERRORS, JSON_CHECKED, MEDIA_TYPE_ERROR, LangQ, lang_of
from tthc.server.service import (
    DayIn,
    EligibilityRequest,
    EligibilityResponse,
    QuoteRequest,
    QuoteResponse,
    eligibility_one,
    quote_one,
)

__all__ = ["ProcedureResponse", "ProcedureSummary", "SearchResponse", "router"]


class ProcedureResponse(BaseModel):
    """One procedure as the catalog holds it."""

    procedure: Procedure
    data_versions: DataVersions


class ProcedureSummary(BaseModel):
    """A search hit: enough to show in a list and to look the procedure up."""

    code: str
    name: str
    field: str | None
    levels: list[Level]
    channels: list[Channel]
    agencies: list[str]


class SearchResponse(BaseModel):
    """The procedures matching every given criterion, in catalog order, one page at a time."""

    total: int = Field(description="how many procedures match (all pages)")
    offset: int
    limit: int
    items: list[ProcedureSummary]
    data_versions: DataVersions


def _summary(p: Procedure) -> ProcedureSummary:
    channels = sorted(p.channel_set, key=lambda c: c.portal_code)
    return ProcedureSummary(
        code=str(p.code),
        name=p.name,
        field=p.field,
        levels=list(p.levels),
        channels=channels,
        agencies=list(p.agencies),
    )


def router(data: ServiceData) -> APIRouter:
    api = APIRouter(
        prefix="/v1", tags=["catalog, fees and postal channel"], responses=ERRORS, dependencies=JSON_CHECKED
    )
    catalog = data.catalog
    folded_names = {p.code: fold(p.name) for p in catalog}

    @api.get("/procedures/{code}", summary="A procedure by its code")
    async def procedure(
        code: Annotated[str, Path(max_length=64, description="national (1.000178) or local code")],
    ) -> ProcedureResponse:
        """Lookup rules: the exact code; a local code not present falls back to its national record; a national
        code with a single local instance gives that instance."""
        return ProcedureResponse(procedure=catalog[code], data_versions=data.versions)

    @api.get("/procedures", summary="Search procedures by name and filter them")
    async def search(
        q: Annotated[
            str | None, Query(max_length=200, description="words of the name, with or without diacritics")
        ] = None,
        level: Annotated[Level | None, Query(description="implementing level")] = None,
        field: Annotated[str | None, Query(max_length=200, description="lĩnh vực, accents optional")] = None,
        channel: Annotated[Channel | None, Query(description="a channel the procedure offers")] = None,
        agency: Annotated[
            str | None, Query(max_length=200, description="agency id, province code (H48) or part of a name")
        ] = None,
        on: Annotated[DayIn | None, Query(description="in force on this date")] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> SearchResponse:
        """``q`` matches when every word of it appears in the procedure's name, compared without case or
        diacritics (``ho chieu`` finds ``Cấp hộ chiếu``)."""
        words = fold(q).split() if q else []
        predicate = (lambda p: all(w in folded_names[p.code] for w in words)) if words else None
        hits = catalog.filter(level=level, field=field, channel=channel, agency=agency, on=on, predicate=predicate)
        page = hits.procedures[offset : offset + limit]
        return SearchResponse(
            total=len(hits), offset=offset, limit=limit, items=[_summary(p) for p in page], data_versions=data.versions
        )

    @api.post("/quote", summary="What filing a procedure costs", responses=MEDIA_TYPE_ERROR)
    async def quote(request: QuoteRequest, lang: LangQ = None) -> QuoteResponse:
        """An itemised quote: the fee (a dated fee schedule or the catalog's published row), postage per leg with
        surcharges, beneficiary reductions, temporary discounts and VAT, and the remittance charge; each line with its
        rule and source. Lines that cannot be priced are kept with ``amount: null`` and make ``complete`` false.
        The labels, notes and steps are in ``lang`` (vi or en)."""
        return quote_one(data, request, lang_of(lang))

    @api.post("/eligibility", summary="May a procedure be done by post (QĐ 45/2016/QĐ-TTg)", responses=MEDIA_TYPE_ERROR)
    async def eligibility(request: EligibilityRequest, lang: LangQ = None) -> EligibilityResponse:
        """The verdict of QĐ 45/2016/QĐ-TTg Điều 1.2 (every procedure except those that require personal presence
        and forbid authorisation), or of a published agency list in force; ``eligible`` is null when the facts do not
        settle it (``missing`` says which). The reasons' messages are in ``lang`` (vi or en)."""
        return eligibility_one(data, request, lang_of(lang))

    return api
