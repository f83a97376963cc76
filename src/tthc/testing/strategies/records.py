"""Strategies for dossiers (due dates computed by the engine), dossier record files, and records that break one
validation rule on purpose (see :mod:`tthc.testing.strategies`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.catalog.model import ChannelOption, Procedure
from tthc.deadlines.compute import VN_TZ, DueDate, compute_due
from tthc.deadlines.processing_time import TimeUnit
from tthc.errors import InvalidValueError
from tthc.foundation.channels import Channel, OnlineLevel, PostalService, online_level_regime
from tthc.foundation.data_files import load_json
from tthc.foundation.i18n import N_
from tthc.foundation.ids import AgencyCode, TrackingNumber
from tthc.foundation.words import words
from tthc.records.model import ALL_COLUMNS, DossierRecord
from tthc.testing.strategies.core import agency_codes, tracking_numbers
from tthc.testing.strategies.time import received_at

__all__ = [
    "INVALID_FILE_REASONS",
    "INVALID_RECORD_REASONS",
    "GeneratedDossier",
    "Outcome",
    "dossiers",
    "invalid_dossier_rows",
    "invalid_record_files",
    "record_files",
    "rows_to_csv",
]


class _Printer(Protocol):
    def text(self, obj: str) -> None: ...


Outcome = Literal["open", "processed", "returned", "withdrawn"]
"""How far a generated dossier got: still open, processed, result returned, or withdrawn by the applicant."""

_FMT = "%Y-%m-%d %H:%M:%S"


def _fmt(dt: datetime | None) -> str:
    return "" if dt is None else dt.strftime(_FMT)


@attrs.frozen(slots=True)
class GeneratedDossier:
    """A dossier generated valid by construction: the procedure, the channel row used, the receipt instant, the due
    date the engine computed (with its explanation), and the record as a row of the canonical columns.

    Attributes:
        procedure: the catalog entry the dossier is for.
        channel: the channel it was filed through.
        option: the published channel row whose processing time was counted (the first row of that channel, as
            bulk validation reads it).
        received_at: the receipt instant, Vietnam wall time (naive).
        due: the engine's :class:`~tthc.deadlines.compute.DueDate` (``due.due_at`` is None for an unspecified time).
        cells: the record as ``(column, text)`` pairs in canonical column order (see :attr:`row`).
        calendar: the working calendar the due date was computed on (validate with the same one).
    """

    procedure: Procedure
    channel: Channel
    option: ChannelOption
    received_at: datetime
    due: DueDate
    cells: tuple[tuple[str, str], ...]
    calendar: WorkingCalendar = attrs.field(eq=False, repr=False)

    @property
    def row(self) -> dict[str, str]:
        """The record as a CSV row (canonical column → text; empty text is a missing value)."""
        return dict(self.cells)

    @property
    def record(self) -> DossierRecord:
        """The record as a :class:`~tthc.records.model.DossierRecord`."""
        return DossierRecord.model_validate(self.row)

    def __repr__(self) -> str:
        row = self.row
        return (
            f"<dossier {row['dossier_code']} {self.procedure.code} via {self.channel.value} "
            f"received {_fmt(self.received_at)} due {row['due_at'] or 'none'} ({row['status']})>"
        )

    def _repr_pretty_(self, printer: _Printer, cycle: bool) -> None:
        # hypothesis prints falsifying examples with its pretty printer, which would walk every attrs field
        # (the procedure, the calendar's tables); the short repr is what a failing test should show
        printer.text(repr(self))


def _usable_channels(proc: Procedure, on: date, agency: str) -> list[Channel]:
    from tthc.postal.eligibility import check_postal_eligibility

    out: list[Channel] = []
    for ch in Channel:
        opts = proc.options(ch)
        if not opts:
            continue
        pt = opts[0].processing_time
        if pt is None or pt.unit is TimeUnit.UNKNOWN_UNIT:
            continue  # bulk validation counts the first published row; no due date can be computed from it
        level = opts[0].online_level
        if ch is Channel.ONLINE and level is not None and not level.allows_online_submission:
            continue  # levels 1-2 publish information and forms only (NĐ 43/2011 Điều 3.4)
        if (
            ch is Channel.POSTAL
            and check_postal_eligibility(proc, PostalService.SEND, on=on, agency=agency).eligible is False
        ):
            continue
        out.append(ch)
    return out


def _returns_by_post(proc: Procedure, on: date, agency: str) -> bool:
    from tthc.postal.eligibility import check_postal_eligibility

    return check_postal_eligibility(proc, PostalService.RETURN, on=on, agency=agency).eligible is not False


def _online_level(option: ChannelOption, on: date, draw: st.DrawFn) -> OnlineLevel:
    if option.online_level is not None:
        return option.online_level
    if online_level_regime(on) == "nd42_2022":
        return draw(st.sampled_from([OnlineLevel.FULL, OnlineLevel.PARTIAL]))
    return draw(st.sampled_from([OnlineLevel.LEVEL_3, OnlineLevel.LEVEL_4]))


def _fee(option: ChannelOption) -> str:
    for f in option.fees:
        if f.amount is not None and f.amount.currency == "VND":
            return str(f.amount.minor)
        if f.free:
            return "0"
    return ""


def _agency_for(proc: Procedure, draw: st.DrawFn) -> AgencyCode:
    full = proc.code.agency_code
    if full is not None:
        return full
    suffix = proc.code.agency
    provinces = st.just(suffix) if suffix is not None else None
    return draw(agency_codes(provinces=provinces))


def dossiers(
    *,
    catalog: Catalog | None = None,
    procedures: st.SearchStrategy[Procedure] | None = None,
    calendar: WorkingCalendar | None = None,
    received: st.SearchStrategy[datetime] | None = None,
    channels: Collection[Channel] = tuple(Channel),
    outcomes: Collection[Outcome] = ("open", "processed", "returned", "withdrawn"),
) -> st.SearchStrategy[GeneratedDossier]:
    """Dossiers valid by construction, their due dates computed by :func:`tthc.deadlines.compute_due`.

    The record follows the rules bulk validation checks (``docs/records.md``): a dossier code built from the agency
    and the receipt date (TT 01/2018/TT-VPCP Điều 19), a channel the procedure publishes, postal legs only when
    the procedure is not excluded from BCCI (QĐ 45/2016/QĐ-TTg Điều 1.2), dates in order, the due date the engine
    gives for the first published row of the channel, a UPU S10 tracking number on postal legs.

    Args:
        catalog: procedures to draw from (default the bundled sample catalog); ignored when ``procedures`` is given.
        procedures: a strategy of procedures instead (validate against a catalog holding them).
        calendar: the working calendar (default public sector); validate with the same calendar.
        received: receipt instants (naive = Vietnam time; default :func:`received_at`, biased to the hard cases).
        channels: channels to file through (a procedure not offering any of them is skipped).
        outcomes: lifecycle outcomes to generate.
    """
    cal = calendar if calendar is not None else public_sector_calendar()
    cat = catalog if catalog is not None else (Catalog.sample() if procedures is None else None)
    recv_s = received if received is not None else received_at(calendar=cal)
    wanted = frozenset(channels)
    outs = tuple(outcomes)
    if not wanted:
        raise InvalidValueError("channels", N_("at least one channel"), channels)
    if not outs:
        raise InvalidValueError("outcomes", N_("at least one outcome"), outcomes)

    @st.composite
    def build(draw: st.DrawFn) -> GeneratedDossier:
        recv = draw(recv_s)
        if recv.tzinfo is not None:
            recv = recv.astimezone(VN_TZ).replace(tzinfo=None)
        recv = recv.replace(microsecond=0)  # records keep whole seconds; count from what the record says
        day = recv.date()
        if procedures is not None:
            proc = draw(procedures)
            if not proc.in_force(day):
                reject()
        else:
            assert cat is not None
            in_force = [p for p in cat.procedures if p.in_force(day)]
            if not in_force:
                reject()
            proc = draw(st.sampled_from(in_force))
        agency = _agency_for(proc, draw)
        usable = [c for c in _usable_channels(proc, day, agency) if c in wanted]
        if not usable:
            reject()
        channel = draw(st.sampled_from(usable))
        option = proc.options(channel)[0]
        assert option.processing_time is not None
        due = compute_due(recv, option.processing_time, channel=channel, calendar=cal, procedure=proc)
        due_local = None if due.due_at is None else due.due_at.astimezone(VN_TZ).replace(tzinfo=None)
        outcome = draw(st.sampled_from(outs))
        finished = returned = None
        result_channel: Channel | None = None
        status = "processing"
        if outcome != "open":
            span = (due_local - recv) if due_local is not None and due_local > recv else timedelta(days=3)
            # early, on time or late: up to the span plus a few days past the due date
            minutes = draw(st.integers(1, int(span.total_seconds() // 60) + 5 * 24 * 60))
            finished = recv + timedelta(minutes=minutes)
            status = {"processed": "processed", "returned": "returned", "withdrawn": "withdrawn"}[outcome]
            if outcome == "returned":
                returned = finished + timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
                choices = [channel, Channel.DIRECT]
                if _returns_by_post(proc, day, agency):
                    choices.append(Channel.POSTAL)
                result_channel = draw(st.sampled_from(choices))
        postal = channel is Channel.POSTAL or result_channel is Channel.POSTAL
        tracking: TrackingNumber | None = draw(tracking_numbers()) if postal else None
        seq = draw(st.integers(1, 9999))
        row = {
            "dossier_code": f"{agency}-{day:%y%m%d}-{seq:04d}",
            "procedure_code": str(proc.code),
            "agency_code": str(agency),
            "channel": channel.value,
            "online_level": _online_level(option, day, draw).value if channel is Channel.ONLINE else "",
            "received_at": _fmt(recv),
            "due_at": _fmt(due_local),
            "finished_at": _fmt(finished),
            "returned_at": _fmt(returned),
            "result_channel": result_channel.value if result_channel is not None else "",
            "status": status,
            "supplement_requested_at": "",
            "supplement_completed_at": "",
            "supplement_count": "0",
            "extended_due_at": "",
            "fee_vnd": _fee(option),
            "postage_vnd": "",
            "tracking_number": str(tracking) if tracking is not None else "",
            "extension_issued_at": "",
            "extension_count": "",
        }
        cells = tuple((c, row[c]) for c in ALL_COLUMNS)
        return GeneratedDossier(proc, channel, option, recv, due, cells, cal)

    return build()


# ---------------------------------------------------------------------------------------------------- files

Header = Literal["canonical", "portal"]


def _portal_names() -> dict[str, str]:
    aliases: Mapping[str, list[str]] = load_json("portal_columns.json")["aliases"]
    return {c: (aliases.get(c) or [c])[0] for c in ALL_COLUMNS}


def rows_to_csv(rows: Collection[Mapping[str, str]], *, header: Header = "canonical", delimiter: str = ",") -> str:
    """CSV text of records (canonical columns in the documented order; ``portal`` writes the portal sync names)."""
    names = _portal_names() if header == "portal" else {c: c for c in ALL_COLUMNS}
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow([names[c] for c in ALL_COLUMNS])
    for r in rows:
        w.writerow([r.get(c, "") for c in ALL_COLUMNS])
    return buf.getvalue()


def record_files(
    *,
    dossiers: st.SearchStrategy[GeneratedDossier] | None = None,
    min_rows: int = 1,
    max_rows: int = 20,
    headers: Collection[Header] = ("canonical", "portal"),
    delimiters: Collection[str] = (",", ";"),
) -> st.SearchStrategy[tuple[str, tuple[GeneratedDossier, ...]]]:
    """Dossier record files as CSV text, with the dossiers they hold: ``(csv_text, dossiers)``.

    Dossier codes are unique within a file (a repeated code is an error, TT 01/2018/TT-VPCP Điều 19).
    """
    ds = dossiers if dossiers is not None else _dossiers_default()
    rows = st.lists(ds, min_size=min_rows, max_size=max_rows, unique_by=lambda d: d.row["dossier_code"])
    return st.builds(
        lambda items, h, sep: (rows_to_csv([d.row for d in items], header=h, delimiter=sep), tuple(items)),
        rows,
        st.sampled_from(sorted(headers)),
        st.sampled_from(sorted(delimiters)),
    )


def _dossiers_default() -> st.SearchStrategy[GeneratedDossier]:
    return dossiers()


def _postal_default() -> st.SearchStrategy[GeneratedDossier]:
    return dossiers(channels=(Channel.POSTAL,))


# ---------------------------------------------------------------------------------------------------- invalid

INVALID_RECORD_REASONS: tuple[str, ...] = (
    "E_DOSSIER_CODE",
    "E_TYPE",
    "E_DATE_ORDER",
    "E_DUE_MISMATCH",
    "E_UNKNOWN_PROCEDURE",
    "E_TRACKING_FORMAT",
    "E_TRACKING_CHECK_DIGIT",
    "E_CHANNEL_NOT_OFFERED",
)
"""The validation check codes (:data:`tthc.validation.chunk.CHECKS`) :func:`invalid_dossier_rows` can break."""

INVALID_FILE_REASONS: tuple[str, ...] = (*INVALID_RECORD_REASONS, "E_DUPLICATE_DOSSIER")
"""What :func:`invalid_record_files` can break: a row rule, or a dossier code repeated within the file."""

_DESK_CHANNELS = (Channel.DIRECT, Channel.ONLINE)


def _break(d: GeneratedDossier, reason: str, draw: st.DrawFn) -> dict[str, str]:
    row = d.row
    if reason == "E_DOSSIER_CODE":
        row["dossier_code"] = row["dossier_code"].replace("-", "/", 1)
    elif reason == "E_TYPE":
        row["received_at"] = draw(st.sampled_from(["not a date", "2026-13-01 08:00:00", "32/01/2026"]))
    elif reason == "E_DATE_ORDER":
        recv = d.received_at
        row["finished_at"] = _fmt(recv - timedelta(minutes=draw(st.integers(1, 30 * 24 * 60))))
        row["returned_at"] = ""
        row["result_channel"] = ""
        row["status"] = "processed"
    elif reason == "E_DUE_MISMATCH":
        assert d.due.due_at is not None
        local = d.due.due_at.astimezone(VN_TZ).replace(tzinfo=None)
        row["due_at"] = _fmt(local + timedelta(days=draw(st.sampled_from([1, 2, 3, 7, 30]))))
    elif reason == "E_UNKNOWN_PROCEDURE":
        row["procedure_code"] = "9.999999"
    elif reason == "E_TRACKING_FORMAT":
        row["tracking_number"] = draw(st.sampled_from(["EB12345678VN", "1234567890123", "EB-123456785-VN"]))
    elif reason == "E_TRACKING_CHECK_DIGIT":
        t = TrackingNumber(row["tracking_number"])
        row["tracking_number"] = f"{t[:10]}{(t.check_digit + draw(st.integers(1, 9))) % 10}{t[11:]}"
    elif reason == "E_CHANNEL_NOT_OFFERED":
        # direct or online only: a postal row for an excluded procedure would also break QĐ 45/2016 Điều 1.2
        channel = draw(st.sampled_from([c for c in _DESK_CHANNELS if not d.procedure.offers(c)]))
        row["channel"] = channel.value
        row["online_level"] = ""
    else:  # pragma: no cover - guarded by the caller
        raise ValueError(f"reason: expected one of {INVALID_RECORD_REASONS}, got {reason!r}")
    return row


def _applicable(d: GeneratedDossier, reason: str) -> bool:
    if reason == "E_DUE_MISMATCH":
        return d.due.due_at is not None
    if reason in ("E_TRACKING_FORMAT", "E_TRACKING_CHECK_DIGIT"):
        return bool(d.row["tracking_number"])
    if reason == "E_CHANNEL_NOT_OFFERED":
        return any(not d.procedure.offers(c) for c in _DESK_CHANNELS)
    return True


def _check_reasons(reasons: Collection[str], allowed: tuple[str, ...]) -> None:
    """Refuse an empty or unknown choice of reasons before any example is drawn (the kit is public API)."""
    unknown = sorted(set(reasons) - set(allowed))
    if unknown or not reasons:
        expected = words(N_("a non-empty subset of {reasons}"), reasons=", ".join(allowed))
        raise InvalidValueError("reasons", expected, unknown or list(reasons))


def invalid_dossier_rows(
    *,
    dossiers: st.SearchStrategy[GeneratedDossier] | None = None,
    reasons: Collection[str] = INVALID_RECORD_REASONS,
) -> st.SearchStrategy[tuple[dict[str, str], str]]:
    """Records that break exactly one validation rule: ``(row, reason)`` where ``reason`` is the check code bulk
    validation must report (``E_DATE_ORDER``, ``E_TRACKING_CHECK_DIGIT``, ...; see :data:`INVALID_RECORD_REASONS`).

    Each row starts as a valid generated dossier; one cell is then changed so that exactly that rule fails.
    """
    _check_reasons(reasons, INVALID_RECORD_REASONS)
    chosen = tuple(reasons)
    pick = _broken_row(dossiers)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[dict[str, str], str]:
        reason = draw(st.sampled_from(chosen))
        return pick(draw, reason)[0], reason

    return build()


_Pick = Callable[[st.DrawFn, str], tuple[dict[str, str], GeneratedDossier]]


def _broken_row(dossiers: st.SearchStrategy[GeneratedDossier] | None) -> _Pick:
    """A drawing function: a valid dossier fit for ``reason``, broken for it."""
    ds = dossiers if dossiers is not None else _dossiers_default()
    # postal legs and channel gaps are a minority of dossiers: ask for them rather than filter for them
    postal = ds.filter(lambda x: bool(x.row["tracking_number"])) if dossiers is not None else _postal_default()
    gaps = (
        ds.filter(lambda x: _applicable(x, "E_CHANNEL_NOT_OFFERED")) if dossiers is not None else _channel_gap_default()
    )

    def pick(draw: st.DrawFn, reason: str) -> tuple[dict[str, str], GeneratedDossier]:
        if reason in ("E_TRACKING_FORMAT", "E_TRACKING_CHECK_DIGIT"):
            d = draw(postal)
        elif reason == "E_CHANNEL_NOT_OFFERED":
            d = draw(gaps)
        else:
            d = draw(ds.filter(lambda x: _applicable(x, reason)))
        return _break(d, reason, draw), d

    return pick


def _channel_gap_default() -> st.SearchStrategy[GeneratedDossier]:
    sample = Catalog.sample()
    gaps = Catalog((p for p in sample if any(not p.offers(c) for c in _DESK_CHANNELS)), about=sample.about)
    return dossiers(catalog=gaps)


def invalid_record_files(
    *,
    dossiers: st.SearchStrategy[GeneratedDossier] | None = None,
    reasons: Collection[str] = INVALID_FILE_REASONS,
    max_rows: int = 8,
    header: Header = "canonical",
) -> st.SearchStrategy[tuple[str, str]]:
    """CSV files of valid records with exactly one problem: ``(csv_text, reason)``.

    The problem is one broken row (a reason of :data:`INVALID_RECORD_REASONS`) or, for ``E_DUPLICATE_DOSSIER``, a
    row repeated later in the file (TT 01/2018/TT-VPCP Điều 19: one code per dossier). Bulk validation must report
    that code and no other error, on exactly one row.
    """
    _check_reasons(reasons, INVALID_FILE_REASONS)
    ds = dossiers if dossiers is not None else _dossiers_default()
    chosen = tuple(reasons)
    pick = _broken_row(dossiers)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, str]:
        reason = draw(st.sampled_from(chosen))
        if reason == "E_DUPLICATE_DOSSIER":
            base = draw(ds)
            broken, code = base.row, base.row["dossier_code"]
        else:
            broken, d = pick(draw, reason)
            code = d.row["dossier_code"]
        others = draw(st.lists(ds, max_size=max_rows - 1, unique_by=lambda x: x.row["dossier_code"]))
        rows = [o.row for o in others if o.row["dossier_code"] != code]
        if reason == "E_DUPLICATE_DOSSIER":
            rows.insert(draw(st.integers(0, len(rows))), broken)
            rows.insert(draw(st.integers(rows.index(broken) + 1, len(rows))), dict(broken))
        else:
            rows.insert(draw(st.integers(0, len(rows))), broken)
        return rows_to_csv(rows, header=header), reason

    return build()
