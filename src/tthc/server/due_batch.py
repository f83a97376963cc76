"""Due dates in bulk — the hot path of a portal's nightly run: items parsed once into plain dicts, turned into columns
(one plan per distinct processing time, procedure and channel), computed by the vectorised engine
(:func:`~tthc.deadlines.batch.compute_due_many_checked`) and returned as JSON-ready rows.

Both faces use it: ``POST /v1/due/batch`` (the whole body in one pydantic pass) and ``tthc batch due`` (one pass per
line, then blocks of lines together). Nothing here imports FastAPI or a JSON library beyond pydantic: each face
writes the rows its own way.

Why plain dicts and not :class:`~tthc.server.service.DueItem` models: at 1,000 items, building a model per item
costs as much as the due dates themselves. :class:`DueItemFields` validates the same fields with the same rules (a
test keeps the two JSON schemas equal), so a bad item is refused exactly as ``/v1/due`` refuses it.

Rows the engine cannot answer on its own — a unit it does not vectorise (unspecified, unknown), a reductions file in
force (the only thing the postal legs change), a receipt or due date outside the compiled calendar — go through the
scalar path of ``/v1/due``, so every row equals the single answer (property-tested). A row that cannot be answered
gets an inline ``error`` (a problem object) and never fails the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, NamedTuple, NotRequired, cast

import numpy as np
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic reads typing.TypedDict only from Python 3.12

from tthc.deadlines.batch import UNIT_CODES, compute_due_many_checked
from tthc.deadlines.counting import to_local
from tthc.deadlines.procedure_facts import published_time
from tthc.deadlines.processing_time import ProcessingTime
from tthc.errors import InvalidValueError, TthcError
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.i18n import N_, Lang, resolve_lang
from tthc.server.config import ServiceData
from tthc.server.problems import problem_from_exception, problem_from_validation
from tthc.server.service import DueBatchResult, DueItem, InstantIn, OnlineLevelIn, _compute, _resolve, reason_text

__all__ = ["DueItemFields", "Refused", "due_many", "due_rows", "parse_batch", "parse_item"]


@with_config(ConfigDict(extra="forbid"))
class DueItemFields(TypedDict):
    """The fields of :class:`~tthc.server.service.DueItem` as a plain dict, validated by the same rules."""

    received_at: InstantIn
    processing_time: NotRequired[Annotated[str | None, Field(max_length=200)]]
    procedure: NotRequired[Annotated[str | None, Field(max_length=64)]]
    channel: NotRequired[Channel]
    online_level: NotRequired[OnlineLevelIn]
    postal: NotRequired[PostalService | None]


@with_config(ConfigDict(extra="forbid"))
class _Batch(TypedDict):
    items: list[DueItemFields]


@with_config(ConfigDict(extra="forbid"))
class _Items(TypedDict):
    items: list[object]


_BATCH: TypeAdapter[_Batch] = TypeAdapter(_Batch)
_ITEMS: TypeAdapter[_Items] = TypeAdapter(_Items)
_ITEM: TypeAdapter[DueItemFields] = TypeAdapter(DueItemFields)


class Refused(NamedTuple):
    """An item of a batch that does not fit :class:`DueItemFields`: answered by its own inline ``error``."""

    error: ValidationError


def parse_batch(body: bytes | str) -> list[DueItemFields | Refused]:
    """The items of a ``{"items": [...]}`` body (the schema of ``DueBatchRequest``), in one pass over the bytes; an
    item that does not fit (an unreadable ``received_at``, an unknown field) is :class:`Refused`, never a failure of
    the others (it is validated again alone only when the one pass fails).

    Raises:
        pydantic.ValidationError: the body is no ``{"items": [...]}`` object.
    """
    try:
        return list(_BATCH.validate_json(body)["items"])
    except ValidationError:
        items = _ITEMS.validate_json(body)["items"]  # (an error here is the body's: the whole request's 422)
    out: list[DueItemFields | Refused] = []
    for item in items:
        try:
            out.append(_ITEM.validate_python(item))
        except ValidationError as exc:
            out.append(Refused(exc))
    return out


def parse_item(line: bytes | str) -> DueItemFields:
    """One item (a JSON object with :class:`~tthc.server.service.DueItem`'s fields).

    Raises:
        pydantic.ValidationError: the text is not such an object.
    """
    return _ITEM.validate_json(line)


_Key = tuple[str | None, str | None, Channel, OnlineLevel | None]
_Plan = tuple[int, int] | dict[str, object] | None
"""Per distinct key: ``(amount, unit code)`` for the engine, the problem of an item that cannot be answered, or None
for the scalar path. The postal legs are no part of the key: they are only a condition of reductions, and with
reductions in force every item takes the scalar path, which reads them."""

_VECTOR_UNITS = frozenset(u for u, c in UNIT_CODES.items() if c <= 4)
_EPOCH_SECONDS = datetime(1970, 1, 1).toordinal() * 86_400
_OFFSET = "+07:00"  # Asia/Ho_Chi_Minh has kept UTC+7 since 1975, the whole compiled range


def due_rows(
    data: ServiceData, items: Sequence[DueItemFields | Refused], lang: str | None = None
) -> list[dict[str, object]]:
    """One JSON-ready row per item, in order: ``{"index", "due_at", "projected", "reason", "error"}`` with ``due_at``
    as ISO text with its ``+07:00`` offset and ``error`` a problem object (or None); equal item by item to
    ``/v1/due`` without the trace. ``reason`` and the problems are worded in ``lang`` (None: ``TTHC_LANG``, else
    Vietnamese); a :class:`Refused` item's problem names its field as ``/v1/due`` would."""
    lang = resolve_lang(lang)
    n = len(items)
    rows: list[dict[str, object] | None] = [None] * n
    plans: dict[_Key, _Plan] = {}
    parsed: dict[str, ProcessingTime] = {}
    vec_rows: list[int] = []
    received: list[int] = []  # seconds since 0001-01-01 local: plain ints convert to numpy far faster than datetimes
    amounts: list[int] = []
    units: list[int] = []
    online: list[bool] = []
    scalar_rows: list[int] = []
    for i, item in enumerate(items):
        if isinstance(item, Refused):
            error = problem_from_validation(item.error, lang=lang).model_dump(mode="json")
            rows[i] = {"index": i, "due_at": None, "projected": None, "reason": None, "error": error}
            continue
        channel = item.get("channel", Channel.DIRECT)
        key = (item.get("processing_time"), item.get("procedure"), channel, item.get("online_level"))
        if key in plans:
            plan = plans[key]
        else:
            plan = plans[key] = _plan(data, key, parsed, lang)
        if plan is None:
            scalar_rows.append(i)
            continue
        if isinstance(plan, dict):
            rows[i] = {"index": i, "due_at": None, "projected": None, "reason": None, "error": plan}
            continue
        at = item["received_at"]
        if at.tzinfo is not None:
            try:
                at = to_local(at)
            except (TthcError, OverflowError):  # the scalar path names the problem
                scalar_rows.append(i)
                continue
        vec_rows.append(i)
        received.append(at.toordinal() * 86_400 + at.hour * 3600 + at.minute * 60 + at.second)
        amounts.append(plan[0])
        units.append(plan[1])
        online.append(channel is Channel.ONLINE)
    if vec_rows:
        due, _ = compute_due_many_checked(
            (np.array(received, dtype=np.int64) - _EPOCH_SECONDS).view("datetime64[s]"),
            np.array(amounts, dtype=np.int64),
            np.array(units, dtype=np.int64),
            channels=np.where(np.array(online, dtype=np.bool_), Channel.ONLINE.portal_code, 1),
            calendar=data.calendar,
            rules=data.rules,
        )
        seconds = due.astype("datetime64[s]")
        text = np.char.add(np.datetime_as_string(seconds, unit="s"), _OFFSET).tolist()
        last = data.calendar.last_announced_year
        years = seconds.astype("datetime64[Y]").astype(np.int64) + 1970
        projected = (years > last if last is not None else np.ones(len(years), dtype=np.bool_)).tolist()
        missing = np.isnat(seconds).tolist()
        for k, i in enumerate(vec_rows):
            if missing[k]:  # outside the compiled calendar: the scalar path names the error
                scalar_rows.append(i)
            else:
                rows[i] = {"index": i, "due_at": text[k], "projected": projected[k], "reason": None, "error": None}
    for i in scalar_rows:
        rows[i] = _scalar_row(data, i, cast(DueItemFields, items[i]), parsed, lang)
    return cast(list[dict[str, object]], rows)  # every index was filled above: by a plan error, the engine or scalar


def due_many(data: ServiceData, items: Sequence[DueItem], lang: str | None = None) -> list[DueBatchResult]:
    """:func:`due_rows` for :class:`~tthc.server.service.DueItem` models, as :class:`DueBatchResult` models (the
    Python face of ``/v1/due/batch``)."""
    fields = [cast(DueItemFields, item.model_dump()) for item in items]
    return [DueBatchResult.model_validate(row) for row in due_rows(data, fields, lang)]


def _plan(data: ServiceData, key: _Key, parsed: dict[str, ProcessingTime], lang: Lang) -> _Plan:
    processing_time, code, channel, online_level = key
    # the key holds every field _resolve reads; received_at is not one of them
    probe = DueItem.model_construct(
        received_at=datetime.min, processing_time=processing_time, procedure=code, channel=channel,
        online_level=online_level,
    )  # fmt: skip
    try:
        pt, procedure = _resolve(data, probe, parsed)
        if pt is None:
            assert procedure is not None  # _resolve refuses an item with neither
            pt = published_time(procedure, channel).processing_time
    except TthcError as exc:
        return _problem(exc, lang)
    if data.reductions or pt.unit not in _VECTOR_UNITS:
        return None
    return (pt.amount or 0, UNIT_CODES[pt.unit])


def _scalar_row(
    data: ServiceData, i: int, item: DueItemFields, parsed: dict[str, ProcessingTime], lang: Lang
) -> dict[str, object]:
    try:
        one = _compute(data, DueItem.model_construct(**item), parsed)
    except TthcError as exc:
        return {"index": i, "due_at": None, "projected": None, "reason": None, "error": _problem(exc, lang)}
    except OverflowError:
        # an offset that pushes the instant past year 1 or 9999: the client's value, so this item's error
        bad = InvalidValueError(
            "received_at", N_("an instant within years 1..9999 in Vietnam time"), item["received_at"]
        )
        return {"index": i, "due_at": None, "projected": None, "reason": None, "error": _problem(bad, lang)}
    due_at = None if one.due_at is None else one.due_at.isoformat()
    return {"index": i, "due_at": due_at, "projected": one.projected, "reason": reason_text(one, lang), "error": None}


def _problem(exc: TthcError, lang: Lang) -> dict[str, object]:
    return problem_from_exception(exc, lang=lang).model_dump(mode="json")
