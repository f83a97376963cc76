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

Messages and blockers are worded in the language asked (``lang=``; Vietnamese by default); the codes stay English.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

import attrs
from pydantic import ConfigDict, PrivateAttr

from tthc.catalog.collection import Catalog
from tthc.catalog.model import ChannelOption, Procedure, Tri
from tthc.foundation.arguments import CheckedModel, as_day, expect, expect_optional
from tthc.foundation.channels import Channel, OnlineLevel, PostalService
from tthc.foundation.i18n import N_, Lang, gettext, resolve_lang
from tthc.foundation.text import fold
from tthc.foundation.today import vn_today
from tthc.foundation.words import Words, words

__all__ = ["AUDIT_CODES", "AuditFinding", "audit_catalog", "audit_source", "audit_title"]

AUDIT_CODES: dict[str, tuple[str, str]] = {
    "FEE_WITHOUT_ONLINE_PAYMENT": (
        N_("offered at level 4 / full online with a fee but no online payment"),
        "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]",
    ),
    "ONLINE_PAYMENT_UNKNOWN": (
        N_("offered at level 4 / full online with a fee; the catalog does not say whether payment is online"),
        "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]",
    ),
    "UPGRADE_CANDIDATE": (
        N_("online service that could move up a level (2 → 3, 3 → 4, partial → full), with its blockers"),
        "NĐ 43/2011/NĐ-CP Điều 3.4; NĐ 42/2022/NĐ-CP [2nd]; provincial letters",
    ),
    "BCCI_LISTED_NO_POSTAL_CHANNEL": (
        N_("an agency lists it as done via BCCI but no postal channel is published"),
        "QĐ 45/2016/QĐ-TTg Điều 13",
    ),
    "POSTAL_CHANNEL_BUT_EXCLUDED": (
        N_("a postal channel is published but an agency list excludes it from BCCI"),
        "QĐ 45/2016/QĐ-TTg Điều 13",
    ),
    "POSTAL_CHANNEL_NOT_ELIGIBLE": (
        N_("a postal channel is published but the applicant must appear in person with no authorisation"),
        "QĐ 45/2016/QĐ-TTg Điều 1.2",
    ),
}

Severity = Literal["finding", "info"]


def audit_title(code: str, lang: str | None = None) -> str:
    """What an audit code means (:data:`AUDIT_CODES`), in ``lang`` (None: ``TTHC_LANG``, else Vietnamese).

    Raises:
        KeyError: not an audit code.
    """
    return gettext(AUDIT_CODES[code][0], lang)


_PROVINCIAL_LETTERS = N_("provincial letters")


def audit_source(code: str, lang: str | None = None) -> str:
    """Where an audit code's rule comes from (:data:`AUDIT_CODES`), in ``lang``: the legal citations as they are
    written, the provincial letters named in the language.

    Raises:
        KeyError: not an audit code.
    """
    resolved = resolve_lang(lang)
    parts = AUDIT_CODES[code][1].split("; ")
    return "; ".join(gettext(part, resolved) if part == _PROVINCIAL_LETTERS else part for part in parts)


@attrs.frozen(slots=True)
class _Source:
    """A finding's source, worded when shown: the rule's (:func:`audit_source`) and the catalog record's."""

    code: str
    record: str | None

    def text(self, lang: str | None = None) -> str:
        rule = audit_source(self.code, lang)
        if not self.record:
            return rule
        return gettext("{rule}; catalog record: {record}", lang).format(rule=rule, record=self.record)


class AuditFinding(CheckedModel):
    """One audit finding about one procedure; ``message`` and ``blockers`` in the language the audit was asked in
    (:meth:`text` words the finding in any language)."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity = "finding"
    procedure: str
    name: str
    message: str
    blockers: tuple[str, ...] = ()
    source: str
    list_reference: str | None = None
    # message, blockers and source, to word again
    _said: tuple[Words, tuple[Words, ...], _Source] | None = PrivateAttr(default=None)

    def message_in(self, lang: str | None = None) -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        return self._said[0].text(lang) if self._said is not None else self.message

    def blockers_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The blockers in ``lang``."""
        return tuple(b.text(lang) for b in self._said[1]) if self._said is not None else self.blockers

    def text(self, lang: str | None = None) -> str:
        """``UPGRADE_CANDIDATE 1.000893 …: level_3 → level_4 — blocked by: … [source]`` in ``lang``."""
        code = resolve_lang(lang)
        blockers = self.blockers_in(code)
        tail = " — " + gettext("blocked by: {blockers}", code).format(blockers="; ".join(blockers)) if blockers else ""
        source = self._said[2].text(code) if self._said is not None else self.source
        return f"{self.code} {self.procedure} {self.name}: {self.message_in(code)}{tail} [{source}]"

    def __str__(self) -> str:
        return self.text()


def _charges(option: ChannelOption) -> bool:
    return any((f.amount is not None and f.amount.minor > 0) or f.percentage is not None for f in option.fees)


def _needs_originals(p: Procedure) -> bool:
    text = fold(" ".join(x for x in (p.name, p.conditions or "") if x))
    return "ban chinh" in text


def _blockers(p: Procedure, option: ChannelOption, target: OnlineLevel) -> list[Words]:
    out: list[Words] = []
    if p.requires_personal_presence is Tri.YES:
        if p.authorisation_allowed is Tri.YES:
            out.append(words(N_("the applicant must appear in person")))
        else:
            out.append(words(N_("the applicant must appear in person, no authorisation allowed")))
    if _needs_originals(p):
        out.append(words(N_("paper originals must be presented (bản chính)")))
    if target in (OnlineLevel.LEVEL_4, OnlineLevel.FULL) and _charges(option) and option.online_payment is not Tri.YES:
        if option.online_payment is Tri.NO:
            out.append(words(N_("a fee is charged and online payment is not offered")))
        else:
            out.append(words(N_("a fee is charged and online payment is not confirmed")))
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
    lang: str | None = None,
) -> list[AuditFinding]:
    """Audit a catalog; findings sorted by procedure code, then code.

    Args:
        catalog: the procedures.
        agency_lists: a :class:`tthc.postal.eligibility.AgencyLists` (default: the bundled lists, without examples).
        on: the date the agency lists are judged on (default: today).
        lang: the language of the messages and blockers (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else
            Vietnamese).
    """
    from tthc.postal.eligibility import AgencyLists

    code = resolve_lang(lang)

    expected = N_("a Catalog or an iterable of Procedure")
    procs = [expect(p, Procedure, "catalog", expected) for p in expect(catalog, Iterable, "catalog", expected)]
    expect_optional(agency_lists, AgencyLists, "agency_lists", "AgencyLists")
    day = vn_today() if on is None else as_day(on, "on")
    out: list[AuditFinding] = []
    for p in procs:
        for option in p.options(Channel.ONLINE):
            level = option.online_level
            if level in (OnlineLevel.LEVEL_4, OnlineLevel.FULL) and _charges(option):
                fee = repr(option.fee_text)
                if option.online_payment is Tri.NO:
                    msg = words(N_("{level} with fee {fee}, online payment: no"), level=level, fee=fee)
                    out.append(_finding("FEE_WITHOUT_ONLINE_PAYMENT", p, msg, code))
                elif option.online_payment is Tri.UNKNOWN:
                    msg = words(N_("{level} with fee {fee}"), level=level, fee=fee)
                    out.append(_finding("ONLINE_PAYMENT_UNKNOWN", p, msg, code, severity="info"))
            if level in _UPGRADES:
                target = _UPGRADES[level]
                blockers = _blockers(p, option, target)
                step = words(N_("{level} → {target}"), level=level, target=target)
                if not blockers:
                    step = words(
                        N_("{level} → {target} (no blocker in the published data)"),
                        level=level,
                        target=target,
                    )
                out.append(_finding("UPGRADE_CANDIDATE", p, step, code, blockers=tuple(blockers)))
        if p.offers(Channel.POSTAL) and p.requires_personal_presence is Tri.YES and p.authorisation_allowed is Tri.NO:
            msg = words(
                N_(
                    "the published channel table has a postal row, but the applicant must appear in person and may "
                    "not authorise someone else"
                )
            )
            out.append(_finding("POSTAL_CHANNEL_NOT_ELIGIBLE", p, msg, code))
    out.extend(_list_findings(procs, agency_lists, day, code))
    out.sort(key=lambda f: (f.procedure, f.code))
    return out


def _finding(
    code: str,
    p: Procedure,
    message: Words,
    lang: Lang,
    *,
    blockers: tuple[Words, ...] = (),
    severity: Severity = "finding",
    list_reference: str | None = None,
) -> AuditFinding:
    source = _Source(code, p.source)
    finding = AuditFinding(
        code=code,
        severity=severity,
        procedure=str(p.code),
        name=p.name,
        message=message.text(lang),
        blockers=tuple(b.text(lang) for b in blockers),
        source=source.text(lang),
        list_reference=list_reference,
    )
    finding._said = (message, blockers, source)
    return finding


def _list_findings(procs: list[Procedure], agency_lists: object | None, day: date, lang: Lang) -> list[AuditFinding]:
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
                    msg = words(
                        N_(
                            "listed as done via BCCI by {where} ({name}) but the published channel table has no "
                            "postal row"
                        ),
                        where=where,
                        name=lst.title,
                    )
                    out.append(_finding("BCCI_LISTED_NO_POSTAL_CHANNEL", p, msg, lang, list_reference=ref))
                elif lst.kind is AgencyListKind.EXCLUDED and p.offers(Channel.POSTAL):
                    msg = words(
                        N_("a postal row is published but {where} excludes it from BCCI ({name})"),
                        where=where,
                        name=lst.title,
                    )
                    out.append(_finding("POSTAL_CHANNEL_BUT_EXCLUDED", p, msg, lang, list_reference=ref))
    return out
