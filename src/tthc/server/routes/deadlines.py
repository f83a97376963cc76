"""``/v1/due``, ``/v1/due/batch`` and ``/v1/classify``.

The two due-date routes are the hot paths (a portal asks one per receipt slip, or thousands a night), so they read
their body and write their answer themselves: one pydantic pass over the request bytes, the answer serialised once.
FastAPI's generic path would parse the JSON into Python objects first, validate those, then validate the returned
model again and serialise it through an intermediate dict — more than the due date itself costs. The batch answer
is written from plain rows by pydantic-core's serialiser (``to_json``: three times faster than ``json.dumps`` at 1,000
rows, and already a dependency). Their request schemas are named in :data:`BODY_MODELS`, which the OpenAPI document
adds to its components.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from pydantic_core import to_json

from tthc.errors import InvalidValueError
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.server.config import DataVersions, ServiceData
from tthc.server.due_batch import due_rows, parse_batch
from tthc.server.routes._common import JSON_CHECKED, JSON_ERRORS, LangQ, lang_of
from tthc.server.service import (
    ClassifyRequest,
    ClassifyResponse,
    DueBatchResult,
    DueItem,
    DueRequest,
    DueResponse,
    classify_one,
    due_one,
)

__all__ = ["BODY_MODELS", "DueBatchRequest", "DueBatchResponse", "router"]


class DueBatchRequest(BaseModel):
    """Many dossiers at once (at most the service's ``max_batch_items``, 10,000 by default)."""

    model_config = {"extra": "forbid"}

    items: list[DueItem] = Field(description="the dossiers, answered in this order")


class DueBatchResponse(BaseModel):
    """One result per item, in order (``results[i].index == i``); a bad item has an ``error`` and no due date."""

    results: list[DueBatchResult]
    data_versions: DataVersions


BODY_MODELS: tuple[type[BaseModel], ...] = (DueRequest, DueBatchRequest)
"""The request bodies the routes here read themselves (their schemas are added to the OpenAPI components)."""


def _body(model: type[BaseModel]) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def router(data: ServiceData) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["deadlines"], responses=JSON_ERRORS, dependencies=JSON_CHECKED)
    versions = data.versions.model_dump()

    @api.post(
        "/due",
        summary="The due date of a dossier, with its trace",
        response_model=DueResponse,
        openapi_extra=_body(DueRequest),
    )
    async def due(request: Request, lang: LangQ = None) -> Response:
        """The due instant (ngày hẹn trả) of one dossier and the steps that produced it: the 15:00 cut-off, office
        hours, days skipped (Tết, swaps, make-up Saturdays), reductions in force, the counting rule with its legal
        reference, and whether the year is projected. The steps are in ``lang`` (vi or en)."""
        code = lang_of(lang)
        answer = due_one(data, DueRequest.model_validate_json(await request.body()), code)
        return Response(answer.model_dump_json(), media_type="application/json")

    @api.post(
        "/due/batch",
        summary="Due dates of many dossiers (vectorised)",
        response_model=DueBatchResponse,
        openapi_extra=_body(DueBatchRequest),
    )
    async def due_batch(request: Request, lang: LangQ = None) -> Response:
        """Due dates for up to ``max_batch_items`` dossiers in one call, equal item by item to ``/v1/due`` (without
        the trace). A bad item gets an inline ``error`` (a problem object) and never fails the others. Reasons and
        errors are in ``lang`` (vi or en)."""
        code = lang_of(lang)
        items = parse_batch(await request.body())
        if len(items) > data.config.max_batch_items:
            raise InvalidValueError(
                "items",
                words(N_("at most {most} items per batch"), most=data.config.max_batch_items),
                f"{len(items)} items",
            )
        payload = {"results": due_rows(data, items, code), "data_versions": versions}
        return Response(to_json(payload), media_type="application/json")

    @api.post("/classify", summary="Early, on time or late")
    async def classify(request: ClassifyRequest) -> ClassifyResponse:
        """Classify a finish against its due instant (domain.md §6): early (a day before the due day), on time (on
        the due day, not after the instant), late (after it, with the overdue working days). An open dossier is
        judged at ``as_of``."""
        return classify_one(data, request)

    return api
