"""Catalog audits the provincial letters ask for.

:func:`audit_catalog` reads a catalog (and, when given, the BCCI lists agencies published under QĐ 45/2016/QĐ-TTg
Điều 13) and reports, each finding with its source:

* ``FEE_WITHOUT_ONLINE_PAYMENT`` — offered at online level 4 / full online, carries a fee, but publishes no online
  payment (level 4 includes online payment: NĐ 43/2011/NĐ-CP Điều 3.4; full online means submission *and*
  processing entirely online: NĐ 42/2022/NĐ-CP). ``ONLINE_PAYMENT_UNKNOWN`` when the catalog does not say.
* ``UPGRADE_CANDIDATE`` — level 2 → 3, level 3 → 4, partial → full, with what blocks the upgrade in the published
  data: personal presence (``requires_personal_presence``), paper originals (``bản chính`` in the name or
  conditions), no online payment while a fee is charged. No blocker found is said as such.
* ``BCCI_LISTED_NO_POSTAL_CHANNEL`` — an agency lists the procedure as done via BCCI, but its published channel table
  has no postal row; ``POSTAL_CHANNEL_BUT_EXCLUDED`` — the reverse: a postal row is published but an agency list
  excludes the procedure; ``POSTAL_CHANNEL_NOT_ELIGIBLE`` — a postal row is published although the procedure needs
  the applicant in person with no authorisation allowed (QĐ 45/2016/QĐ-TTg Điều 1.2).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import ConfigDict

from tthc.catalog.collection import Catalog
from tthc.catalog.model import ChannelOption, Procedure, Tri
from tthc.foundation.arguments import CheckedModel, as_day, expect, expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.text import fold

__all__ = ["AUDIT_CODES", "AuditFinding", "audit_catalog"]

AUDIT_CODES: dict[str, tuple[str, str]] = {
    "FEE_WITHOUT_ONLINE_PAYMENT": (
        "offered at level 4 / full online with a fee but no online payment",
        "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]",
    ),
    "ONLINE_PAYMENT_UNKNOWN": (
        "offered at level 4 / full online with a fee; the catalog does not say whether payment is online",
        "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]",
    ),
    "UPGRADE_CANDIDATE": (
        "online service that could move up a level (2 → 3, 3 → 4, partial → full), with its blockers",
        "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]; provincial letters",
    ),
    "BCCI_LISTED_NO_POSTAL_CHANNEL": (
        "an agency lists it as done via BCCI but no postal channel is published",
        "QĐ 45/2016/QĐ-TTg Điều 13",
    ),
    "POSTAL_CHANNEL_BUT_EXCLUDED": (
        "a postal channel is published but an agency list excludes it from BCCI",
        "QĐ 45/2016/QĐ-TTg Điều 13",
    ),
    "POSTAL_CHANNEL_NOT_ELIGIBLE": (
        "a postal channel is published but the applicant must appear in person with no authorisation",
        "QĐ 45/2016/QĐ-TTg Điều 1.2",
    ),
}

Severity = Literal["finding", "info"]


class AuditFinding(CheckedModel):
    """One audit finding about one procedure."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity = "finding"
    procedure: str
    name: str
    message: str
    blockers: tuple[str, ...] = ()
    source: str
    list_reference: str | None = None

    def __str__(self) -> str:
        blockers = f" — blocked by: {'; '.join(self.blockers)}" if self.blockers else ""
        return f"{self.code} {self.procedure} {self.name}: {self.message}{blockers} [{self.source}]"


def _charges(option: ChannelOption) -> bool:
    return any((f.amount is not None and f.amount.minor > 0) or f.percentage is not None for f in option.fees)


def _needs_originals(p: Procedure) -> bool:
    text = fold(" ".join(x for x in (p.name, p.conditions or "") if x))
    return "ban chinh" in text


def _blockers(p: Procedure, option: ChannelOption, target: OnlineLevel) -> list[str]:
    out: list[str] = []
    if p.requires_personal_presence is Tri.YES:
        tail = "" if p.authorisation_allowed is Tri.YES else ", no authorisation allowed"
        out.append(f"the applicant must appear in person{tail}")
    if _needs_originals(p):
        out.append("paper originals must be presented (bản chính)")
    if target in (OnlineLevel.LEVEL_4, OnlineLevel.FULL) and _charges(option) and option.online_payment is not Tri.YES:
        out.append(
            "a fee is charged and online payment is "
            + ("not offered" if option.online_payment is Tri.NO else "not confirmed")
        )
    return out


_UPGRADES = {
    OnlineLevel.LEVEL_2: OnlineLevel.LEVEL_3,
    OnlineLevel.LEVEL_3: OnlineLevel.LEVEL_4,
    OnlineLevel.PARTIAL: OnlineLevel.FULL,
}


def audit_catalog(
    catalog: Catalog | Iterable[Procedure],
    *,
    agency_lists: object | None = None,
    on: date | None = None,
) -> list[AuditFinding]:
    """Audit a catalog; findings sorted by procedure code, then code.

    Args:
        catalog: the procedures.
        agency_lists: a :class:`tthc.postal.eligibility.AgencyLists` (default: the bundled lists, without examples).
        on: the date the agency lists are judged on (default: today).
    """
    from tthc.postal.eligibility import AgencyLists

    expected = "a Catalog or an iterable of Procedure"
    procs = [expect(p, Procedure, "catalog", expected) for p in expect(catalog, Iterable, "catalog", expected)]
    expect_optional(agency_lists, AgencyLists, "agency_lists", "AgencyLists")
    day = date.today() if on is None else as_day(on, "on")
    out: list[AuditFinding] = []
    for p in procs:
        for option in p.options(Channel.ONLINE):
            level = option.online_level
            if level in (OnlineLevel.LEVEL_4, OnlineLevel.FULL) and _charges(option):
                if option.online_payment is Tri.NO:
                    out.append(
                        _finding(
                            "FEE_WITHOUT_ONLINE_PAYMENT",
                            p,
                            f"{level.value} with fee {option.fee_text!r}, online payment: no",
                        )
                    )
                elif option.online_payment is Tri.UNKNOWN:
                    out.append(
                        _finding(
                            "ONLINE_PAYMENT_UNKNOWN", p, f"{level.value} with fee {option.fee_text!r}", severity="info"
                        )
                    )
            if level in _UPGRADES:
                target = _UPGRADES[level]
                blockers = _blockers(p, option, target)
                msg = f"{level.value} → {target.value}" + ("" if blockers else " (no blocker in the published data)")
                out.append(_finding("UPGRADE_CANDIDATE", p, msg, blockers=tuple(blockers)))
        if p.offers(Channel.POSTAL) and p.requires_personal_presence is Tri.YES and p.authorisation_allowed is Tri.NO:
            out.append(
                _finding(
                    "POSTAL_CHANNEL_NOT_ELIGIBLE",
                    p,
                    "the published channel table has a postal row, but the applicant must appear in person and may "
                    "not authorise someone else",
                )
            )
    out.extend(_list_findings(procs, agency_lists, day))
    out.sort(key=lambda f: (f.procedure, f.code))
    return out


def _finding(
    code: str,
    p: Procedure,
    message: str,
    *,
    blockers: tuple[str, ...] = (),
    severity: Severity = "finding",
    list_reference: str | None = None,
) -> AuditFinding:
    return AuditFinding(
        code=code,
        severity=severity,
        procedure=str(p.code),
        name=p.name,
        message=message,
        blockers=blockers,
        source=AUDIT_CODES[code][1] + (f"; catalog record: {p.source}" if p.source else ""),
        list_reference=list_reference,
    )


def _list_findings(procs: list[Procedure], agency_lists: object | None, day: date) -> list[AuditFinding]:
    from tthc.postal.eligibility import AgencyListKind, AgencyLists

    lists = agency_lists if isinstance(agency_lists, AgencyLists) else AgencyLists.bundled()
    by_national: dict[str, list[Procedure]] = {}
    for p in procs:
        by_national.setdefault(str(p.code.national), []).append(p)
    out: list[AuditFinding] = []
    for lst in lists.lists:
        if day not in lst.period:
            continue
        where = ",".join(sorted(lst.agencies)) or lst.province or "?"
        ref = str(lst.reference)
        for national, services in lst.entries:
            for p in by_national.get(national, ()):
                sends = services is None or any(s.sends for s in services) or PostalService.BOTH in services
                if lst.kind is AgencyListKind.INCLUDED and not p.offers(Channel.POSTAL) and sends is not None:
                    out.append(
                        _finding(
                            "BCCI_LISTED_NO_POSTAL_CHANNEL",
                            p,
                            f"listed as done via BCCI by {where} ({lst.name}) but the published channel table has no "
                            "postal row",
                            list_reference=ref,
                        )
                    )
                elif lst.kind is AgencyListKind.EXCLUDED and p.offers(Channel.POSTAL):
                    out.append(
                        _finding(
                            "POSTAL_CHANNEL_BUT_EXCLUDED",
                            p,
                            f"a postal row is published but {where} excludes it from BCCI ({lst.name})",
                            list_reference=ref,
                        )
                    )
    return out
