"""The check steps of :func:`tthc.validation.validate_chunk`, each a function of the chunk's rows.

A step reads the typed columns of one chunk (:class:`ChunkRows`), adds its findings (vectorised masks in,
:class:`~tthc.records.readers.RowProblem` objects out) and returns what later steps need: the catalog match, the
supplement and extension counts, the timeliness codes. Steps run in a fixed order, which is also the order of the
findings of one row. The due-date steps (recomputation, mismatch, restart after a supplement) are in
:mod:`tthc.validation.due`; the vectorised primitives the steps use are in :mod:`tthc.validation.checks`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from tthc.foundation.channels import Channel, PostalService
from tthc.foundation.i18n import gettext
from tthc.foundation.ids import AgencyCode, DossierCode
from tthc.records.chunks import RowProblem, localize
from tthc.records.columns import CHANNELS, StrCol, TypedColumns, typed_columns
from tthc.records.layout import DossierStatus
from tthc.validation.checks import (
    NAT_INSTANT,
    byte_set,
    channel_text,
    day_text,
    dossier_code_checks,
    fmt_instant,
    instant_text,
    instants,
    s10_check_digit,
    tracking_checks,
    validity_bound,
)
from tthc.validation.rules import message

if TYPE_CHECKING:
    from tthc.calendar.working_calendar import WorkingCalendar
    from tthc.postal.eligibility import EligibilityReason
    from tthc.validation.context import ValidationContext, _ProcInfo

__all__ = [
    "DATE_ORDER",
    "CatalogMatch",
    "ChunkRows",
    "Findings",
    "check_channel_offered",
    "check_date_order",
    "check_identifiers",
    "check_in_force",
    "check_postal",
    "check_procedure_known",
    "check_required",
    "check_status",
    "match_catalog",
]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Bool = npt.NDArray[np.bool_]
DtArray = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "s")
_NAT_SECONDS = np.iinfo(np.int64).min
_ORDINAL_1970 = date(1970, 1, 1).toordinal()


class Findings:
    """Collects findings row by row (vectorised masks in, RowProblem objects out) and which rows have errors."""

    def __init__(self, tc: TypedColumns) -> None:
        self.tc = tc
        self.items: list[RowProblem] = list(tc.problems)
        self.error_rows: set[int] = {p.row for p in tc.problems if p.code.startswith("E_")}

    def add(
        self,
        mask: Bool,
        field: str,
        code: str,
        message: Callable[[int], str],
        value: Callable[[int], object] | None = None,
    ) -> None:
        """One finding per row selected by ``mask``; ``message`` and ``value`` are called with the row's index."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        rows = self.tc.rows
        error = code.startswith("E_")
        for k in idx:
            i = int(k)
            row = int(rows[i])
            v = value(i) if value is not None else None
            self.items.append(RowProblem(self.tc.file, row, field, code, message(i), None if v is None else str(v)))
            if error:
                self.error_rows.add(row)

    def valid(self) -> Bool:
        """Per row of the chunk: no error-level finding."""
        n = len(self.tc)
        if not self.error_rows:
            return np.ones(n, dtype=bool)
        return ~np.isin(self.tc.rows, np.fromiter(self.error_rows, dtype=np.int64))

    def by_row(self) -> tuple[RowProblem, ...]:
        """Every finding, by row number; within a row in the order found (the sort is stable)."""
        return tuple(sorted(self.items, key=lambda p: p.row))


@attrs.frozen(slots=True)
class ChunkRows:
    """One chunk being checked: its typed columns, the arrays most steps use, and the findings so far.

    Attributes:
        chan / result_chan: channel codes (0 empty, then the portal codes 1 direct, 2 online, 3 postal).
        received / recv_day: the receipt instant and day (``NaT`` when empty or unreadable).
        agency_values / agency_inv: the distinct agency codes and each row's index into them.
    """

    tc: TypedColumns
    ctx: ValidationContext
    findings: Findings
    chan: I64
    result_chan: I64
    received: DtArray
    recv_day: DtArray
    agency_values: list[str | None]
    agency_inv: I64

    @classmethod
    def read(cls, chunk: object, ctx: ValidationContext, pre: tuple[RowProblem, ...]) -> ChunkRows:
        """Type the chunk's columns; ``pre``: problems of rows the reader could not read (findings only)."""
        typed = typed_columns(chunk)
        typed = attrs.evolve(typed, problems=localize(typed.problems, ctx.lang))  # cells the reader could not type
        tc = _within_calendar(typed, ctx.calendar, ctx.lang)
        findings = Findings(tc)
        findings.items.extend(pre)
        received = tc.datetimes["received_at"]
        agency_values, agency_inv = tc.codes["agency_code"].factorize()
        return cls(
            tc,
            ctx,
            findings,
            tc.enums["channel"].astype(np.int64),
            tc.enums["result_channel"].astype(np.int64),
            received,
            received.astype("datetime64[D]"),
            agency_values,
            agency_inv,
        )

    @property
    def n(self) -> int:
        return len(self.tc)


def _within_calendar(tc: TypedColumns, calendar: WorkingCalendar, lang: str) -> TypedColumns:
    """E_RANGE: a date outside the working calendar's compiled range cannot be counted in working days. Such a cell
    is reported and then treated as empty, as an unreadable cell is, so the row's other checks still run (and the
    deadline engine is never asked about a day it does not know)."""
    lo = int(np.datetime64(calendar.first, "D").astype("datetime64[s]").astype(np.int64))
    hi = int((np.datetime64(calendar.last, "D") + 1).astype("datetime64[s]").astype(np.int64))
    span = f"{calendar.first.isoformat()}..{calendar.last.isoformat()}"
    template = message("date_outside_calendar", lang)
    problems: list[RowProblem] = []
    datetimes = dict(tc.datetimes)
    for name, values in tc.datetimes.items():
        # on the seconds as integers (numpy's datetime comparisons cost twice theirs): one unsigned comparison tells
        # both sides — below the first day wraps around to a large number — and NaT (the smallest int64) is then
        # taken back out
        seconds = values.astype("datetime64[s]", copy=False).view(np.int64)
        outside = (seconds - np.int64(lo)).view(np.uint64) >= np.uint64(hi - lo)
        if not outside.any():
            continue
        outside &= seconds != _NAT_SECONDS
        if not outside.any():
            continue
        for k in np.flatnonzero(outside).tolist():
            given = fmt_instant(values[k])
            problems.append(
                RowProblem(
                    tc.file,
                    int(tc.rows[k]),
                    name,
                    "E_RANGE",
                    template.format(span=span, given=given),
                    given,
                )
            )
        datetimes[name] = np.where(outside, NAT, values)
    if not problems:
        return tc
    return attrs.evolve(tc, datetimes=datetimes, problems=tc.problems + tuple(problems))


# ---------------------------------------------------------------------------------------------- schema, codes


def check_required(rows: ChunkRows) -> None:
    """E_SCHEMA: a required value is empty (a cell that could not be read is already reported as E_TYPE)."""
    tc, f = rows.tc, rows.findings
    # the rows whose channel or receipt cell was there but unreadable (one pass: a bad chunk has many problems)
    unreadable: dict[str, list[int]] = {"channel": [], "received_at": []}
    for p in tc.problems:
        if p.field in unreadable:
            unreadable[p.field].append(p.row)

    def empty(mask: Bool, name: str) -> Bool:
        bad_rows = unreadable[name]
        if bad_rows:
            mask = mask & ~np.isin(tc.rows, np.asarray(bad_rows, dtype=np.int64))
        return mask

    required = message("required_empty", rows.ctx.lang)
    for name in ("dossier_code", "procedure_code", "agency_code"):
        text = required.format(column=name)
        f.add(tc.codes[name].is_null(), name, "E_SCHEMA", lambda i, m=text: m)  # type: ignore[misc]
    text = required.format(column="channel")
    f.add(empty(rows.chan == 0, "channel"), "channel", "E_SCHEMA", lambda i: text)
    on_receipt = required.format(column="received_at")
    f.add(empty(np.isnat(rows.received), "received_at"), "received_at", "E_SCHEMA", lambda i: on_receipt)


def check_identifiers(rows: ChunkRows) -> None:
    """Dossier code form and date (TT 01/2018 Điều 19), agency code form (QCVN 102:2016)."""
    f, n, received, recv_day = rows.findings, rows.n, rows.received, rows.recv_day
    dossier = rows.tc.codes["dossier_code"]
    code_date, bad_code = dossier_code_checks(dossier)
    lang = rows.ctx.lang
    expected_given, code_says = message("expected_given", lang), message("code_date", lang)
    dossier_form, agency_form = gettext(DossierCode._expected, lang), gettext(AgencyCode._expected, lang)
    f.add(
        bad_code,
        "dossier_code",
        "E_DOSSIER_CODE",
        lambda i: expected_given.format(expected=dossier_form, given=repr(dossier[i])),
        lambda i: dossier[i],
    )
    f.add(
        ~np.isnat(code_date) & ~np.isnat(recv_day) & (code_date != recv_day),
        "dossier_code",
        "W_DOSSIER_CODE_DATE",
        lambda i: code_says.format(code_day=day_text(code_date[i], lang), received=instant_text(received[i], lang)),
        lambda i: dossier[i],
    )
    agency = rows.tc.codes["agency_code"]
    values, inv = rows.agency_values, rows.agency_inv
    agency_ok = (
        np.array([v is not None and AgencyCode.is_valid(v) for v in values], dtype=bool)[inv]
        if n
        else np.zeros(0, dtype=bool)
    )
    agency_null = np.array([v is None for v in values], dtype=bool)[inv] if n else np.zeros(0, dtype=bool)
    f.add(
        ~agency_ok & ~agency_null,
        "agency_code",
        "W_AGENCY_CODE",
        lambda i: expected_given.format(expected=agency_form, given=repr(agency[i])),
        lambda i: agency[i],
    )


# ---------------------------------------------------------------------------------------------- catalog, channel


@attrs.frozen(slots=True)
class CatalogMatch:
    """Each row's procedure in the catalog, looked up once per distinct code.

    Attributes:
        codes: the procedure code column; ``uniq`` its distinct values, ``inv`` each row's index into them.
        infos: the catalog entry of each distinct code.
        known: the row's procedure is in the catalog.
        chan_ok: the row has a channel; ``offered``: the procedure publishes that channel.
    """

    codes: StrCol
    uniq: list[str | None]
    inv: I64
    infos: list[_ProcInfo]
    known: Bool
    null: Bool
    chan_ok: Bool
    offered: Bool


def match_catalog(rows: ChunkRows) -> CatalogMatch:
    """Look every distinct procedure code up in the catalog (no findings)."""
    n, chan = rows.n, rows.chan
    proc_col = rows.tc.codes["procedure_code"]
    uniq, inv = proc_col.factorize()
    infos = [rows.ctx.proc(u) for u in uniq]
    known_u = np.array([i.procedure is not None for i in infos], dtype=bool)
    null_u = np.array([u is None for u in uniq], dtype=bool)
    known = known_u[inv] if n else np.zeros(0, dtype=bool)
    offers_u = np.array([i.offers for i in infos], dtype=bool).reshape(len(infos), 3)
    chan_ok = chan > 0
    offered = np.zeros(n, dtype=bool)
    if n and len(infos):
        offered[chan_ok] = offers_u[inv[chan_ok], chan[chan_ok] - 1]
    return CatalogMatch(proc_col, uniq, inv, infos, known, null_u[inv] if n else known, chan_ok, offered)


def check_procedure_known(rows: ChunkRows, match: CatalogMatch) -> None:
    """E_UNKNOWN_PROCEDURE: a procedure code not in the catalog (an empty one is E_SCHEMA)."""
    proc_col = match.codes
    unknown = message("unknown_procedure", rows.ctx.lang)
    rows.findings.add(
        ~match.known & ~match.null,
        "procedure_code",
        "E_UNKNOWN_PROCEDURE",
        lambda i: unknown.format(procedure=proc_col[i]),
        lambda i: proc_col[i],
    )


def check_channel_offered(rows: ChunkRows, match: CatalogMatch) -> None:
    """E_CHANNEL_NOT_OFFERED: the catalog publishes no such channel for the procedure (NĐ 61/2018 Điều 16)."""
    chan, proc_col, infos, inv = rows.chan, match.codes, match.infos, match.inv
    lang = rows.ctx.lang
    not_offered = message("channel_not_offered", lang)
    rows.findings.add(
        match.known & match.chan_ok & ~match.offered,
        "channel",
        "E_CHANNEL_NOT_OFFERED",
        lambda i: not_offered.format(
            procedure=proc_col[i],
            channel=channel_text(CHANNELS[chan[i] - 1], lang),
            published=", ".join(channel_text(c, lang) for c in sorted(_published(infos[inv[i]]))),
        ),
        lambda i: CHANNELS[chan[i] - 1].value,
    )


def check_in_force(rows: ChunkRows, match: CatalogMatch) -> None:
    """W_PROCEDURE_NOT_IN_FORCE: received outside the procedure's validity (bounds per procedure, compared per row)."""
    n, recv_day, proc_col, infos, inv = rows.n, rows.recv_day, match.codes, match.infos, match.inv
    lo_u = np.array(
        [validity_bound(i.procedure.valid_from if i.procedure else None, "min") for i in infos], dtype="datetime64[D]"
    )
    hi_u = np.array(
        [validity_bound(i.procedure.valid_until if i.procedure else None, "max") for i in infos], dtype="datetime64[D]"
    )
    not_in_force = match.known & ~np.isnat(recv_day)
    if n and len(infos):
        not_in_force &= (recv_day < lo_u[inv]) | (recv_day > hi_u[inv])
    lang = rows.ctx.lang
    in_force = message("not_in_force", lang)
    rows.findings.add(
        not_in_force,
        "procedure_code",
        "W_PROCEDURE_NOT_IN_FORCE",
        lambda i: in_force.format(
            procedure=proc_col[i], validity=_validity(infos[inv[i]], lang), day=day_text(recv_day[i], lang)
        ),
        lambda i: proc_col[i],
    )


def _published(info: _ProcInfo) -> frozenset[Channel]:
    return info.procedure.channel_set if info.procedure is not None else frozenset()


def _validity(info: _ProcInfo, lang: str) -> str:
    p = info.procedure
    if p is None:
        return "?"
    first = day_text(p.valid_from, lang) if p.valid_from else "…"
    last = day_text(p.valid_until, lang) if p.valid_until else "…"
    return f"{first}–{last}"


# ---------------------------------------------------------------------------------------------- date order

DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("received_at", "finished_at", "finished before it was received"),
    ("received_at", "due_at", "due before it was received"),
    ("finished_at", "returned_at", "result returned before processing finished"),
    ("received_at", "returned_at", "result returned before the dossier was received"),
    ("received_at", "supplement_requested_at", "supplement requested before receipt"),
    ("supplement_requested_at", "supplement_completed_at", "supplement completed before it was requested"),
)
"""E_DATE_ORDER pairs (earlier column, later column, what it means when the later one is before)."""


def check_date_order(rows: ChunkRows) -> None:
    """E_DATE_ORDER for each pair of :data:`DATE_ORDER` (NĐ 61/2018 Điều 17–20)."""
    dts, lang = rows.tc.datetimes, rows.ctx.lang
    template = message("date_order", lang)
    for a_name, b_name, what in DATE_ORDER:
        said = template.replace("{what}", message(what, lang))  # the pair's meaning, in the run's language
        _date_order(rows.findings, dts[a_name], dts[b_name], a_name, b_name, said)


def _date_order(f: Findings, a: DtArray, b: DtArray, a_name: str, b_name: str, template: str) -> None:
    # as integers (twice as fast as numpy's datetime comparison): NaT is the smallest, so a NaT later instant is
    # taken out, and a NaT earlier one is never after a later one
    a_s, b_s = instants(a, b)
    f.add(
        (b_s < a_s) & (b_s != NAT_INSTANT),
        b_name,
        "E_DATE_ORDER",
        lambda i: template.format(
            later=b_name, later_at=fmt_instant(b[i]), earlier=a_name, earlier_at=fmt_instant(a[i])
        ),
        lambda i: fmt_instant(b[i]),
    )


# ---------------------------------------------------------------------------------------------- postal


def check_postal(rows: ChunkRows, match: CatalogMatch) -> None:
    """Tracking numbers (UPU S10; QĐ 45/2016 Điều 6–7) and, when switched on, postal eligibility (QĐ 45/2016
    Điều 1.2)."""
    f, lang = rows.findings, rows.ctx.lang
    postal_in = rows.chan == 3
    postal_out = rows.result_chan == 3
    tracking = rows.tc.codes["tracking_number"]
    t_missing = tracking.is_null()
    missing = message("tracking_missing", lang)
    f.add((postal_in | postal_out) & t_missing, "tracking_number", "W_TRACKING_MISSING", lambda i: missing)
    form, digit = message("tracking_format", lang), message("tracking_digit", lang)
    t_form, t_digit = tracking_checks(tracking)
    f.add(
        ~t_missing & ~t_form,
        "tracking_number",
        "E_TRACKING_FORMAT",
        lambda i: form.format(given=repr(tracking[i])),
        lambda i: tracking[i],
    )
    f.add(
        ~t_missing & t_form & ~t_digit,
        "tracking_number",
        "E_TRACKING_CHECK_DIGIT",
        lambda i: digit.format(
            digit=s10_check_digit(str(tracking[i])), serial=str(tracking[i])[2:10], given=str(tracking[i])[10]
        ),
        lambda i: tracking[i],
    )
    if rows.ctx.options.postal_eligibility:
        proc_col = match.codes
        need = (postal_in | postal_out) & match.known & ~np.isnat(rows.recv_day)
        inel, reason = _ineligible(rows, match, need, postal_in, postal_out)
        ineligible = message("postal_ineligible", lang)
        f.add(
            inel,
            "channel",
            "E_POSTAL_INELIGIBLE",
            lambda i: ineligible.format(procedure=proc_col[i], reason=reason[i]),
            lambda i: proc_col[i],
        )


def _ineligible(
    rows: ChunkRows, match: CatalogMatch, need: Bool, postal_in: Bool, postal_out: Bool
) -> tuple[Bool, dict[int, str]]:
    """Postal eligibility per distinct (procedure, service, agency, stretch of dates with the same rules); the reasons
    worded per distinct (verdict, receipt day): a reason naming the day names the row's own."""
    ctx, inv, infos = rows.ctx, match.inv, match.infos
    agency_inv, agency_values, recv_day = rows.agency_inv, rows.agency_values, rows.recv_day
    n = len(need)
    inel = np.zeros(n, dtype=bool)
    reason: dict[int, str] = {}
    idx = np.flatnonzero(need)
    if not len(idx):
        return inel, reason
    service = np.where(postal_in & postal_out, 2, np.where(postal_in, 0, 1))[idx]
    bounds = ctx.eligibility_boundaries()
    if len(bounds):
        stretch = np.searchsorted(bounds, recv_day[idx], side="right").astype(np.int64)
        base, stretches = 0, len(bounds) + 1
    else:  # pragma: no cover - no boundaries known: every day is its own stretch, its ordinal (as the context's)
        stretch = recv_day[idx].view(np.int64) + _ORDINAL_1970
        base = int(stretch.min())
        stretches = int(stretch.max()) - base + 1
    space = len(infos) * 3 * (len(agency_values) + 1) * stretches
    key = ((inv[idx] * 3 + service) * (len(agency_values) + 1) + agency_inv[idx]) * stretches + (stretch - base)
    first, back = _distinct(key, space)
    services = (PostalService.SEND, PostalService.RETURN, PostalService.BOTH)
    # one verdict per distinct key, from the context's cache: Python values, no numpy scalar per key
    rows_u = idx[first]
    verdicts: list[tuple[bool | None, tuple[EligibilityReason, ...]]] = []
    for k, p, s, st, a in zip(
        rows_u.tolist(),
        inv[rows_u].tolist(),
        service[first].tolist(),
        stretch[first].tolist(),
        agency_inv[rows_u].tolist(),
        strict=True,
    ):
        procedure = infos[p].procedure
        assert procedure is not None
        verdicts.append(ctx.stretch_eligibility(procedure, services[s], st, agency_values[a], _day_of(recv_day, k)))
    bad_u = np.array([v[0] is False for v in verdicts], dtype=bool)
    hit = bad_u[back]
    inel[idx[hit]] = True
    days = recv_day[idx].view(np.int64)
    worded: dict[tuple[int, int], str] = {}
    for j in np.flatnonzero(hit):
        u, d = int(back[j]), int(days[j])
        text = worded.get((u, d))
        if text is None:
            day = recv_day[int(idx[j])].astype(date)
            text = worded[u, d] = "; ".join(r.text(ctx.lang, day=day) for r in verdicts[u][1])
        reason[int(idx[j])] = text
    return inel, reason


def _distinct(key: I64, space: int) -> tuple[I64, I64]:
    """What ``np.unique(key, return_index=True, return_inverse=True)`` gives after the distinct keys — each distinct
    key's first place, in key order, and each key's index among them — without a sort when the keys (from 0) are
    few enough to count in a table."""
    n = len(key)
    if space > 4 * n + 65_536:
        _uniq, first, back = np.unique(key, return_index=True, return_inverse=True)
        return first, back.reshape(-1)
    at = np.full(space, n, dtype=np.int64)
    np.minimum.at(at, key, np.arange(n, dtype=np.int64))
    seen = at < n
    return at[seen], (np.cumsum(seen) - 1)[key]


def _day_of(days: DtArray, k: int) -> Callable[[], date]:
    """The day at row ``k``, asked for only when needed."""
    return lambda: days[k].astype(date)


# ---------------------------------------------------------------------------------------------- status

_DONE_CODES = np.array(
    [
        s.portal_code
        for s in DossierStatus
        if s.is_terminal and s is not DossierStatus.WITHDRAWN and s is not DossierStatus.STOPPED
    ]
)
_OPEN_CODES = [
    s.portal_code
    for s in (
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.AWAITING_PAYMENT,
    )
]


_DONE_SET, _OPEN_SET = byte_set(_DONE_CODES.tolist()), byte_set(_OPEN_CODES)


def check_status(rows: ChunkRows) -> None:
    """W_STATUS: the status and the end dates disagree (portal sync codes)."""
    f, dts = rows.findings, rows.tc.datetimes
    finished = dts["finished_at"]
    returned = dts["returned_at"]
    codes = rows.tc.enums["status"]
    status = codes.astype(np.int64)
    done_status = _DONE_SET[codes.view(np.uint8)]
    open_status = _OPEN_SET[codes.view(np.uint8)]
    lang = rows.ctx.lang
    no_finish, open_finished = message("status_no_finish", lang), message("status_open_finished", lang)
    f.add(
        done_status & np.isnat(finished),
        "finished_at",
        "W_STATUS",
        lambda i: no_finish.format(status=DossierStatus.parse(int(status[i])).value),
    )
    f.add(
        open_status & ~np.isnat(finished),
        "status",
        "W_STATUS",
        lambda i: open_finished.format(
            status=DossierStatus.parse(int(status[i])).value, finished=fmt_instant(finished[i])
        ),
        lambda i: status[i],
    )
    no_return = message("status_no_return", lang)
    f.add(
        (status == DossierStatus.RETURNED.portal_code) & np.isnat(returned) & ~np.isnat(finished),
        "returned_at",
        "W_STATUS",
        lambda i: no_return,
    )
