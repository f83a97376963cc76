"""The public postal service channel (dịch vụ bưu chính công ích, BCCI): may this procedure be done by post?

The legal rule (QĐ 45/2016/QĐ-TTg Điều 1.2): the postal channel covers every procedure **except** those that require
the applicant to appear in person **and** do not allow authorising someone else — both conditions must hold.
Each agency publishes the list of procedures it does and does not handle via BCCI (Điều 13); a published list in
force overrides the general rule for that agency. A procedure whose published channel table has no postal row is a
strong hint, not a legal exclusion: it gives a warning, never a verdict.

:func:`check_postal_eligibility` returns an :class:`EligibilityVerdict` with ``eligible`` True / False / ``None``
(unknown — never a guessed yes), the reasons with their references, and the facts that are missing. The verdict is
monotone in the facts: learning a missing fact can settle an unknown verdict, never flip a settled one.

Reasons are worded in the language asked (``lang=``: Vietnamese by default, see :mod:`tthc.foundation.i18n`);
:meth:`EligibilityVerdict.explain` words the whole verdict again in any language.

The postal dossier timeline (transit, handover, failed deliveries) lives in :mod:`tthc.postal.timeline`.

Why one module of this length: the rule, the published agency lists and the verdict's wording in two languages are one
decision — each reason is decided and worded in the same place, so a reason can never say what the rule did not do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal

import attrs

from tthc.catalog.model import Procedure, Tri
from tthc.errors import ConflictError, InvalidValueError
from tthc.foundation.arguments import as_day, expect, expect_optional
from tthc.foundation.bundled import bundled_model
from tthc.foundation.channels import Channel, PostalService
from tthc.foundation.data_files import load_json, read_json_file, validate_data
from tthc.foundation.data_value import DataValue, data_value
from tthc.foundation.dated import DatedModel
from tthc.foundation.enums import TthcStrEnum
from tthc.foundation.i18n import N_, Lang, gettext, resolve_lang
from tthc.foundation.ids import AgencyCode, ProcedureCode, TrackingNumber
from tthc.foundation.iso_day import IsoDay
from tthc.foundation.references import DateRange, LegalReference, SourceTag
from tthc.foundation.today import vn_today
from tthc.foundation.words import DataText, Words, word, words

__all__ = [
    "AgencyList",
    "AgencyListKind",
    "AgencyLists",
    "EligibilityReason",
    "EligibilityVerdict",
    "PostalRules",
    "Severity",
    "check_postal_eligibility",
    "check_tracking_number",
    "parse_postal_service",
    "postal_rules",
]


class Severity(TthcStrEnum):
    """How much a reason weighs: ``decisive`` reasons settle the verdict; warnings and notes do not."""

    DECISIVE = "decisive"
    WARNING = "warning"
    INFO = "info"


class AgencyListKind(TthcStrEnum):
    INCLUDED = "included"  # danh mục TTHC thực hiện qua BCCI
    EXCLUDED = "excluded"  # danh mục TTHC không thực hiện qua BCCI


_SEVERITY_MARKS = {
    Severity.DECISIVE: N_("[decisive]"),
    Severity.WARNING: N_("[warning]"),
    Severity.INFO: N_("[info]"),
}


class _Worded(DataValue):
    # not fields (not validated, dumped nor compared): the message to word again and the reference in both
    # languages, to cite again — set by EligibilityReason.worded, absent when a reason is read from JSON
    __slots__ = ("_cited", "_words")
    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}


@data_value
class EligibilityReason(_Worded):
    """One reason of a verdict, with its source.

    ``message`` is in the language the verdict was asked in; :meth:`text` words the reason in any language.
    """

    code: str
    message: str
    severity: Severity
    reference: LegalReference | None = None

    def __getstate__(self) -> tuple[Any, ...]:  # the two slots above travel with the fields (a worker's result)
        return (self.code, self.message, self.severity, self.reference, self._said(), self._source())

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(("code", "message", "severity", "reference", "_words", "_cited"), state, strict=True):
            object.__setattr__(self, name, value)

    def _said(self) -> Words | None:
        return getattr(self, "_words", None)

    def _source(self) -> LegalReference | None:
        return getattr(self, "_cited", None)

    @classmethod
    def worded(
        cls, code: str, message: Words, severity: Severity, reference: LegalReference | None, lang: Lang
    ) -> EligibilityReason:
        """A reason whose message (and its reference's note) is worded in ``lang`` now; the message can be worded
        again in another language."""
        cited = reference.in_lang(lang) if reference is not None else None
        # the library's own values, not a user's: built without pydantic's validator (never built on this path)
        reason = cls.model_construct(code=code, message=message.text(lang), severity=severity, reference=cited)
        object.__setattr__(reason, "_words", message)
        object.__setattr__(reason, "_cited", reference)
        return reason

    def message_in(self, lang: str | None = None, *, day: date | None = None) -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

        ``day``: name this day where the message names the day asked about — a verdict holds for every day between
        two rule changes, and the bulk validator asks once per such stretch, then words each row's own day.
        """
        said = self._said()
        if said is None:
            return self.message
        if day is not None and any(k == "day" for k, _ in said.values):
            said = Words(said.template, tuple((k, day if k == "day" else v) for k, v in said.values))
        return said.text(lang)

    def text(self, lang: str | None = None, *, day: date | None = None) -> str:
        """``[decisive] the applicant must appear in person … (45/2016/QĐ-TTg, Điều 1.2, 19/10/2016)`` in ``lang``
        (``day``: as :meth:`message_in`)."""
        code = resolve_lang(lang)
        ref = f" ({(self._source() or self.reference).text(code)})" if self.reference else ""
        return f"{gettext(_SEVERITY_MARKS[self.severity], code)} {self.message_in(code, day=day)}{ref}"

    def __str__(self) -> str:
        ref = f" ({self.reference})" if self.reference else ""
        return f"[{self.severity.value}] {self.message}{ref}"


@data_value
class EligibilityVerdict(DataValue):
    """Whether a procedure may be done through the postal service, and why.

    Attributes:
        eligible: True, False, or None when the facts do not settle it (``missing`` says which facts).
        decided_by: ``agency_list`` (a published list in force), ``general_rule`` (QĐ 45/2016 Điều 1.2) or None.
    """

    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid"}

    procedure: ProcedureCode
    service: PostalService
    on: IsoDay
    eligible: bool | None
    decided_by: Literal["agency_list", "general_rule"] | None
    reasons: tuple[EligibilityReason, ...]
    missing: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[EligibilityReason, ...]:
        return tuple(r for r in self.reasons if r.severity is Severity.WARNING)

    def explain(self, lang: str | None = None) -> str:
        """The verdict, its reasons and the missing facts, one per line, in ``lang`` (``"vi"`` or ``"en"``; None:
        ``TTHC_LANG``, else Vietnamese).

        Raises:
            InvalidValueError: a language other than Vietnamese or English.
        """
        code = resolve_lang(lang)
        head = gettext("{procedure} by post ({service}) on {day}: {verdict}", code).format(
            procedure=self.procedure,
            service=gettext(_SERVICE_WORDS[self.service], code),
            day=word(self.on, code),
            verdict=gettext(_VERDICT_WORDS[self.eligible], code),
        )
        out = [head, *(f"  {r.text(code)}" for r in self.reasons)]
        if self.missing:
            facts = ", ".join(gettext(_FACT_WORDS.get(f, f), code) for f in self.missing)
            out.append("  " + gettext("missing facts: {facts}", code).format(facts=facts))
        return "\n".join(out)


_SERVICE_WORDS = {PostalService.SEND: N_("send"), PostalService.RETURN: N_("return"), PostalService.BOTH: N_("both")}
_VERDICT_WORDS: dict[bool | None, str] = {True: N_("eligible"), False: N_("not eligible"), None: N_("unknown")}
_FACT_WORDS = {  # the facts a verdict may miss, as a reader says them (the code keeps the field names)
    "agency": N_("agency"),
    "requires_personal_presence": N_("requires_personal_presence"),
    "authorisation_allowed": N_("authorisation_allowed"),
    "a postal rule in force on that date": N_("a postal rule in force on that date"),
}


# ---------------------------------------------------------------------------------------------------- agency lists
@attrs.frozen(slots=True)
class AgencyList:
    """A published list of procedures an agency (or a whole province) does or does not handle via BCCI."""

    id: str
    name: str
    kind: AgencyListKind
    province: str | None
    agencies: frozenset[str]
    valid_from: date | None
    valid_until: date | None
    reference: LegalReference
    entries: tuple[tuple[str, frozenset[PostalService] | None], ...]  # national code, services (None = all)
    tag: SourceTag = "law"
    name_vi: str = ""  # the name in Vietnamese (``name`` when empty)

    @property
    def title(self) -> DataText:
        """The list's name in both languages."""
        return DataText(self.name, self.name_vi)

    def __attrs_post_init__(self) -> None:
        DateRange(self.valid_from, self.valid_until)

    @property
    def period(self) -> DateRange:
        return DateRange(self.valid_from, self.valid_until)

    def covers_agency(self, province: str | None, agency: str | None) -> bool:
        if self.agencies:
            return agency is not None and agency in self.agencies
        return province is not None and province == self.province

    def entry_for(self, code: ProcedureCode) -> tuple[str, frozenset[PostalService] | None] | None:
        national = str(code.national)
        return next((e for e in self.entries if e[0] == national), None)

    def __repr__(self) -> str:
        where = ",".join(sorted(self.agencies)) or self.province or "?"
        tag = f" [{self.tag}]" if self.tag != "law" else ""
        size = f"{len(self.entries)} procedures"
        return f"<{self.kind.value} list {where} {self.period}: {size} ({self.reference.document}){tag}>"


def _comment_key(name: str) -> str:
    return "$comment" if name == "comment" else name


# the file models: validated on first use (a user's lists); the bundled files are read as written
_FILE: dict[str, object] = {"extra": "forbid"}
_FILE_WITH_COMMENT: dict[str, object] = {**_FILE, "alias_generator": _comment_key, "populate_by_name": True}


@data_value
class _EntryModel(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = _FILE
    code: ProcedureCode
    services: tuple[PostalService, ...] | None = None
    note: str | None = None


@data_value
class _ListModel(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = _FILE
    id: str
    name: str
    name_vi: str = ""
    province: str | None = None
    agencies: tuple[AgencyCode, ...] = ()
    kind: AgencyListKind
    valid_from: IsoDay | None = None
    valid_until: IsoDay | None = None
    tag: SourceTag = "law"
    reference: LegalReference
    procedures: tuple[_EntryModel, ...]

    def __post_init__(self) -> None:  # called by pydantic when it validates a file
        DateRange(self.valid_from, self.valid_until)
        if self.province is None and not self.agencies:
            raise ValueError(words(N_("a list needs a province or agencies")))  # worded: see error_words


@data_value
class _ListsFile(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = _FILE_WITH_COMMENT
    comment: str | None = None
    lists: tuple[_ListModel, ...]


@attrs.frozen(slots=True)
class AgencyLists:
    """A set of published agency lists.

    Raises:
        ConflictError: the same procedure is both included and excluded for the same agency on the same days.
    """

    lists: tuple[AgencyList, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.lists, tuple) or not all(isinstance(a, AgencyList) for a in self.lists):
            raise InvalidValueError("lists", N_("a tuple of AgencyList"), self.lists)
        for i, a in enumerate(self.lists):
            for b in self.lists[i + 1 :]:
                if a.kind is b.kind or not a.period.overlaps(b.period):
                    continue
                if (a.province, a.agencies) != (b.province, b.agencies):
                    continue
                both = {c for c, _ in a.entries} & {c for c, _ in b.entries}
                if both:
                    raise ConflictError(
                        words(
                            N_(
                                "agency lists {first} and {second}: {codes} both included and excluded on the same "
                                "days (expected a procedure on at most one list per agency and day)"
                            ),
                            first=a.id,
                            second=b.id,
                            codes=str(sorted(both)),
                        )
                    )

    def __repr__(self) -> str:
        return f"<agency lists: {', '.join(x.id for x in self.lists) or 'none'}>"

    @classmethod
    def bundled(cls, *, include_examples: bool = False) -> AgencyLists:
        """The bundled lists (``postal_agency_lists.json``).

        The bundled file so far holds only lists tagged ``example`` (the documents exist, their contents are not in
        the project's facts); they are left out unless ``include_examples`` — a verdict must not rest on an example.
        """
        return _bundled_lists(include_examples)

    @classmethod
    def none(cls) -> AgencyLists:
        return cls(())

    @classmethod
    def load(cls, path: str | Path) -> AgencyLists:
        return cls.from_dict(read_json_file(path), source=str(path))

    @classmethod
    def from_dict(cls, raw: object, *, source: str = "<agency lists>") -> AgencyLists:
        """Build from the file shape.

        Raises:
            DataFileError: the data does not match the format (the message names the field).
            ConflictError: contradictory lists.
        """
        return cls._from_file(validate_data(_ListsFile, raw, source))

    @classmethod
    def _from_file(cls, parsed: _ListsFile) -> AgencyLists:
        return cls(
            tuple(
                AgencyList(
                    m.id,
                    m.name,
                    m.kind,
                    m.province,
                    frozenset(str(a) for a in m.agencies),
                    m.valid_from,
                    m.valid_until,
                    m.reference,
                    tuple(
                        (str(e.code.national), frozenset(e.services) if e.services is not None else None)
                        for e in m.procedures
                    ),
                    m.tag,
                    m.name_vi,
                )
                for m in parsed.lists
            )
        )

    def in_force(self, on: date) -> tuple[AgencyList, ...]:
        return tuple(x for x in self.lists if on in x.period)


# ---------------------------------------------------------------------------------------------------- the rule
@attrs.frozen(slots=True)
class PostalRules:
    """The legal rules of the postal channel as loaded from ``postal_rules.json``.

    Attributes:
        eligibility: QĐ 45/2016/QĐ-TTg Điều 1.2; ``eligibility_period`` when it is in force (inclusive).
        agency_lists: Điều 13 (published lists); ``no_postal_row``: the library's warning rule; ``service_options``:
            Điều 5.
    """

    eligibility: LegalReference
    eligibility_period: DateRange
    agency_lists: LegalReference
    no_postal_row: LegalReference
    service_options: LegalReference


_RULES: PostalRules | None = None


@data_value
class _RefOnly(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = _FILE
    reference: LegalReference


@data_value
class _RulesFile(DataValue):
    __pydantic_config__: ClassVar[dict[str, object]] = _FILE_WITH_COMMENT
    comment: str | None = None
    eligibility: DatedModel
    agency_lists: _RefOnly
    no_postal_row: _RefOnly
    service_options: _RefOnly


def postal_rules() -> PostalRules:
    """The bundled postal rules (cached). Days on which a verdict may change are the bounds of
    ``eligibility_period`` and of the agency lists' periods.

    Raises:
        DataFileError: ``postal_rules.json`` does not match its schema.
    """
    global _RULES
    if _RULES is None:
        m = _rules_file()
        _RULES = PostalRules(
            m.eligibility.reference,
            m.eligibility.period,
            m.agency_lists.reference,
            m.no_postal_row.reference,
            m.service_options.reference,
        )
    return _RULES


_rules = postal_rules  # kept for callers that used the private name


@cache
def _rules_file() -> _RulesFile:
    """The bundled ``postal_rules.json``, read as written (tests/foundation/test_bundled.py compares it)."""
    return bundled_model(_RulesFile, load_json("postal_rules.json"))


def parse_postal_service(value: object) -> PostalService:
    """``send`` / ``return`` / ``both`` (or a :class:`PostalService`).

    Raises:
        InvalidValueError: anything else.
    """
    if isinstance(value, PostalService):
        return value
    if isinstance(value, str):
        try:
            return PostalService(value.strip().lower())
        except ValueError:
            pass
    raise InvalidValueError("service", N_("send, return or both (QĐ 45/2016 Điều 5)"), value)


_PROVINCE_RE = re.compile(r"([HK]\d{2})$")


def _where(procedure: Procedure, agency: str | None) -> tuple[str | None, str | None]:
    """(province, full agency code) from the ``agency`` argument or the procedure's local code."""
    text = agency if agency is not None else procedure.code.agency
    if text is None:
        return None, None
    text = text.strip().upper()
    if AgencyCode.is_valid(text):
        return text[-3:], text
    m = _PROVINCE_RE.fullmatch(text)
    if m:
        return m.group(1), None
    raise InvalidValueError("agency", N_("a province code ('H21') or an agency id ('000.00.00.H21')"), agency)


def _overridden(
    decided: AgencyList,
    covering: list[AgencyList],
    code: ProcedureCode,
    reason: Callable[[str, Words, Severity, LegalReference | None], None],
    reference: LegalReference | None,
) -> None:
    """Say which other covering lists of the other kind the deciding list overrode (and by which precedence)."""
    others = [x for x in covering if x is not decided and x.kind is not decided.kind]
    if not others:
        return
    why = (
        N_("the agency's own list {name} overrides {others}")
        if decided.agencies
        else N_("{name} overrides {others} (excluded over included)")
    )
    reason(
        "agency_list_precedence",
        words(why, name=decided.id, others=", ".join(x.id for x in others)),
        Severity.INFO,
        reference,
    )


def check_postal_eligibility(
    procedure: Procedure,
    service: PostalService | str = PostalService.BOTH,
    *,
    on: date | None = None,
    agency: str | None = None,
    agency_lists: AgencyLists | Iterable[AgencyList] | None = None,
    lang: str | None = None,
) -> EligibilityVerdict:
    """May ``procedure`` be done through the public postal service with option ``service`` on ``on``?

    Args:
        procedure: the procedure (its ``requires_personal_presence`` / ``authorisation_allowed`` facts are read).
        service: send the dossier, receive the result, or both (QĐ 45/2016 Điều 5).
        on: the date judged (default: today); agency lists are dated.
        agency: the agency (``000.00.00.H21``) or province (``H21``) handling the dossier; default: the suffix of a
            local procedure code. Needed to apply a published agency list.
        agency_lists: published lists (default: the bundled file, whose entries are examples); ``()`` for none.
        lang: the language of the reasons' messages (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese).

    Returns:
        A verdict: eligible True/False/None with reasons (each with its reference and severity) and missing facts.

    Raises:
        InvalidValueError: an unknown service, a malformed agency, a language other than Vietnamese or English.
    """
    code = resolve_lang(lang)
    if not isinstance(procedure, Procedure):
        raise InvalidValueError("procedure", N_("a tthc.catalog.model.Procedure"), type(procedure).__name__)
    svc = parse_postal_service(service)
    day = as_day(on, "on") if on is not None else vn_today()
    expect_optional(agency, str, "agency", "a province code ('H21') or an agency id ('000.00.00.H21')")
    if agency_lists is None:
        lists = AgencyLists.bundled()
    elif isinstance(agency_lists, AgencyLists):
        lists = agency_lists
    else:
        lists = AgencyLists(tuple(expect(agency_lists, Iterable, "agency_lists", "AgencyLists or AgencyList items")))
    rules = postal_rules()
    reasons: list[EligibilityReason] = []

    def reason(name: str, message: Words, severity: Severity, reference: LegalReference | None = None) -> None:
        reasons.append(EligibilityReason.worded(name, message, severity, reference, code))

    if agency_lists is None and not lists.lists:
        reason(
            "no_agency_lists",
            words(N_("no published agency list is bundled (only examples); pass agency_lists= to apply one")),
            Severity.INFO,
            rules.agency_lists,
        )
    missing: list[str] = []
    province, full_agency = _where(procedure, agency)

    # hints that never decide
    if procedure.channels and not procedure.offers(Channel.POSTAL):
        reason(
            "no_postal_row",
            words(N_("the published channel table has no postal row (a strong hint, not a legal exclusion)")),
            Severity.WARNING,
            rules.no_postal_row,
        )
    if not procedure.in_force(day):
        reason("procedure_not_in_force", words(N_("the procedure is not in force on {day}"), day=day), Severity.WARNING)
    if day not in rules.eligibility_period:
        reason(
            "rule_not_in_force",
            words(
                N_("{document} not in force on {day} ({period})"),
                document=rules.eligibility.document,
                day=day,
                period=rules.eligibility_period,
            ),
            Severity.DECISIVE,
            rules.eligibility,
        )
        return _verdict(procedure, svc, day, None, None, reasons, ["a postal rule in force on that date"])

    # published agency lists override the general rule
    listed = [x for x in lists.in_force(day) if x.entry_for(procedure.code) is not None]
    if listed and province is None and full_agency is None:
        names = ", ".join(f"{x.reference.document} ({x.province or ','.join(sorted(x.agencies))})" for x in listed)
        reason(
            "agency_unknown",
            words(
                N_("published agency lists name this procedure ({names}); the handling agency is not known"),
                names=names,
            ),
            Severity.WARNING,
            rules.agency_lists,
        )
        missing.append("agency")
    elif listed and full_agency is None:
        inside = [x for x in listed if x.agencies and any(a.endswith(f".{province}") for a in x.agencies)]
        if inside:
            names = ", ".join(f"{x.reference.document} ({','.join(sorted(x.agencies))})" for x in inside)
            reason(
                "agency_unknown",
                words(
                    N_(
                        "published lists of agencies in {province} name this procedure ({names}); the handling agency"
                        " is not known (give agency='000.00.00.{province}')"
                    ),
                    province=province,
                    names=names,
                ),
                Severity.WARNING,
                rules.agency_lists,
            )
            missing.append("agency")
    # the agency's own list over a province-wide one; on the same scope, excluded over included (file order never
    # decides)
    covering = sorted(
        (x for x in listed if x.covers_agency(province, full_agency)),
        key=lambda x: (not x.agencies, x.kind is not AgencyListKind.EXCLUDED),
    )
    for x in covering:
        entry = x.entry_for(procedure.code)
        assert entry is not None
        services = entry[1]
        tag = f" [{x.tag}]" if x.tag != "law" else ""
        if x.kind is AgencyListKind.EXCLUDED and (services is None or _legs(svc) & _legs(*services)):
            reason(
                "agency_list_excluded",
                words(N_("on the list of procedures not done via BCCI: {name}{tag}"), name=x.title, tag=tag),
                Severity.DECISIVE,
                x.reference,
            )
            _overridden(x, covering, procedure.code, reason, rules.agency_lists)
            return _verdict(procedure, svc, day, False, "agency_list", reasons, [])
        if x.kind is AgencyListKind.INCLUDED:
            if services is None or _legs(svc) <= _legs(*services):
                reason(
                    "agency_list_included",
                    words(N_("on the list of procedures done via BCCI: {name}{tag}"), name=x.title, tag=tag),
                    Severity.DECISIVE,
                    x.reference,
                )
                _overridden(x, covering, procedure.code, reason, rules.agency_lists)
                return _verdict(procedure, svc, day, True, "agency_list", reasons, [])
            listed_for = sorted(services, key=lambda s: s.value)
            reason(
                "agency_list_other_service",
                words(
                    N_("listed for {services} only: {name}{tag}"),
                    services=DataText(
                        "/".join(s.value for s in listed_for),
                        "/".join(gettext(_SERVICE_WORDS[s], "vi") for s in listed_for),
                    ),
                    name=x.title,
                    tag=tag,
                ),
                Severity.INFO,
                x.reference,
            )
    if "agency" in missing:
        # an unseen list could still decide either way: settling now would not be monotone in the facts
        return _verdict(procedure, svc, day, None, None, reasons, missing)

    # the general rule: excluded only when presence is required AND authorisation is not allowed
    presence, authorisation = procedure.requires_personal_presence, procedure.authorisation_allowed
    rule = rules.eligibility
    if presence is Tri.YES and authorisation is Tri.NO:
        reason(
            "presence_required_no_authorisation",
            words(N_("the applicant must appear in person and may not authorise someone else")),
            Severity.DECISIVE,
            rule,
        )
        return _verdict(procedure, svc, day, False, "general_rule", reasons, [])
    if presence is Tri.NO or authorisation is Tri.YES:
        why = (
            N_("personal presence is not required")
            if presence is Tri.NO
            else N_("personal presence is required but authorising someone else is allowed")
        )
        reason("general_rule_allows", words(why), Severity.DECISIVE, rule)
        return _verdict(procedure, svc, day, True, "general_rule", reasons, [])
    if presence is Tri.UNKNOWN:
        missing.append("requires_personal_presence")
    if authorisation is Tri.UNKNOWN:
        missing.append("authorisation_allowed")
    unsaid = [words(_FACT_WORDS[f]) for f in missing]
    reason(
        "facts_unknown",
        words(N_("the published procedure does not say {fact}"), fact=unsaid[0])
        if len(unsaid) == 1
        else words(N_("the published procedure does not say {fact} nor {other}"), fact=unsaid[0], other=unsaid[1]),
        Severity.DECISIVE,
        rule,
    )
    return _verdict(procedure, svc, day, None, None, reasons, missing)


def _legs(*services: PostalService) -> frozenset[str]:
    out: set[str] = set()
    for s in services:
        if s.sends:
            out.add("send")
        if s.returns:
            out.add("return")
    return frozenset(out)


def _verdict(
    procedure: Procedure,
    service: PostalService,
    on: date,
    eligible: bool | None,
    decided_by: Literal["agency_list", "general_rule"] | None,
    reasons: list[EligibilityReason],
    missing: list[str],
) -> EligibilityVerdict:
    return EligibilityVerdict.model_construct(  # the library's own values: no validator built (see worded)
        procedure=procedure.code,
        service=service,
        on=on,
        eligible=eligible,
        decided_by=decided_by,
        reasons=tuple(reasons),
        missing=tuple(missing),
    )


def check_tracking_number(value: object, *, field: str = "tracking_number") -> TrackingNumber:
    """Validate a postal item id (UPU S10, e.g. ``EB123456785VN``) on a postal record.

    Raises:
        InvalidCodeError: wrong shape or wrong check digit (the message gives the expected digit); ``field`` names
            the record column in the message.
    """
    from tthc.errors import InvalidCodeError

    try:
        return TrackingNumber(value)
    except InvalidCodeError as exc:
        if field == exc.field:
            raise
        raise InvalidCodeError(field, exc.expected_words, exc.given, detail=exc.detail_words) from None


@cache
def _bundled_lists(include_examples: bool) -> AgencyLists:
    # read as written: tests/foundation/test_bundled.py validates the bundled file and compares
    full = AgencyLists._from_file(bundled_model(_ListsFile, load_json("postal_agency_lists.json")))
    return full if include_examples else AgencyLists(tuple(x for x in full.lists if x.tag != "example"))
