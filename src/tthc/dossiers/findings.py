"""Findings a :class:`~tthc.dossiers.Dossier` records as events arrive: legal constraints that were not met.

A finding is not an exception: the event happened and the dossier moves on; the finding says which rule it broke and
cites it. The codes are the bulk validator's where the same rule is checked there (``docs/records.md``), so a
dossier and its record row report the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache

from pydantic import ConfigDict, PrivateAttr

from tthc.deadlines.counting import cite
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import CheckedModel, expect
from tthc.foundation.data_files import load_json
from tthc.foundation.i18n import N_, format_day, format_instant, gettext, resolve_lang
from tthc.foundation.references import LegalReference
from tthc.foundation.words import words as said

__all__ = ["FINDING_CODES", "DossierFinding", "event_name", "word_value"]

FINDING_CODES: dict[str, str] = {
    "W_LATE_SUPPLEMENT_REQUEST": "a supplement was requested more than the legal number of working days after receipt",
    "W_REPEATED_SUPPLEMENT": "a supplement was requested more than once (asked once, completely); QĐ 766 counts the "
    "dossier late",
    "E_SECOND_EXTENSION": "the return date was moved a second time (it may be moved only once); the second date is "
    "not honoured",
    "W_LATE_EXTENSION": "the apology and new return date came less than the legal notice before the due date",
    "W_EXTENSION_NOT_LATER": "the new return date is not after the due date it replaces",
    "W_PROCESSING_BEFORE_HANDOVER": "the agency acted on a postal dossier before the handover record was signed "
    "(its clock starts at the handover)",
}
"""Every finding code a dossier can record, with what it means (``docs/dossiers.md`` gives the sources)."""


class DossierFinding(CheckedModel):
    """A legal constraint not met by an event.

    Attributes:
        code: one of :data:`FINDING_CODES`.
        event: the kind of the event that broke it; ``at`` its instant.
        message: what happened, with the figures, in English (:meth:`message_in` words it in a language).
        reference: the rule, in the version in force on the dossier's receipt date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    event: str
    at: datetime
    message: str
    reference: LegalReference
    # the message as a marked template and its values, worded when shown (not serialised: a finding read back from
    # JSON shows its English message)
    _words: tuple[str, Mapping[str, object]] | None = PrivateAttr(default=None)

    @classmethod
    def worded(
        cls, code: str, event: str, at: datetime, template: str, values: Mapping[str, object], ref: LegalReference
    ) -> DossierFinding:
        """A finding whose message is ``template`` (marked with ``N_``) filled with ``values`` (see
        :func:`word_value`), in English in ``message`` and in any language through :meth:`message_in`.

        Raises:
            InvalidValueError: ``template`` is not a string, ``values`` not a mapping, or the template names a value
                that ``values`` lacks (checked here, so wording the finding later cannot fail).
        """
        expect(template, str, "template", "a message template (str)")
        words = dict(expect(values, Mapping, "values", "a mapping of the template's values"))
        message = _fill(template, words, "en")
        finding = cls(code=code, event=event, at=at, message=message, reference=ref)
        finding._words = (template, words)
        return finding

    def message_in(self, lang: str | None = None) -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else Vietnamese)."""
        code = resolve_lang(lang)
        if self._words is None or code == "en":
            return self.message
        return _fill(*self._words, code)

    def text(self, lang: str | None = None) -> str:
        """``W_LATE_EXTENSION (extended 2026-03-04 09:00): … — NĐ 61/2018/NĐ-CP Điều 19.9`` in ``lang``."""
        code = resolve_lang(lang)
        return gettext("{code} ({event} {at}): {message} — {ref}", code).format(
            code=self.code,
            event=self.event if code == "en" else event_name(self.event, code),
            at=word_value(self.at, code),
            message=self.message_in(code),
            ref=cite(self.reference, code),
        )

    def __str__(self) -> str:
        return self.text()


_EVENT_NAMES = {
    "received": N_("received"),
    "postal_pickup": N_("postal pickup"),
    "handed_over": N_("handed over"),
    "processing_started": N_("processing started"),
    "supplement_requested": N_("supplement requested"),
    "supplement_completed": N_("supplement completed"),
    "extended": N_("extended"),
    "finished": N_("finished"),
    "refused": N_("refused"),
    "withdrawn": N_("withdrawn"),
    "stopped": N_("stopped"),
    "result_dispatched": N_("result dispatched"),
    "delivery_attempted": N_("delivery attempted"),
    "delivered": N_("delivered"),
    "returned_to_agency": N_("returned to agency"),
    "result_collected": N_("result collected"),
}


def event_name(kind: str, lang: str | None = None) -> str:
    """An event kind as words: ``processing started`` / ``bắt đầu xử lý``."""
    return gettext(_EVENT_NAMES.get(kind, kind.replace("_", " ")), lang)


def word_value(value: object, lang: str | None = None) -> str:
    """A value of a dossier text: an instant ``2026-03-02 17:00`` / ``17:00 ngày 02/03/2026``, a day ``2026-03-02``
    / ``02/03/2026``; anything else as it prints."""
    code = resolve_lang(lang)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}" if code == "en" else format_instant(value, code, with_weekday=False)
    if isinstance(value, date):
        return value.isoformat() if code == "en" else format_day(value, code, with_weekday=False)
    return str(value)


def _fill(template: str, values: Mapping[str, object], lang: str) -> str:
    words = {str(k): event_name(str(v), lang) if k == "event" else word_value(v, lang) for k, v in values.items()}
    try:
        return gettext(template, lang).format(**words)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:  # a field the values lack, a stray brace
        raise InvalidValueError(
            "template",
            N_("a template whose {fields} are all in values"),
            template,
            detail=said(N_("{kind}: {error}"), kind=type(exc).__name__, error=str(exc)),
        ) from None


@cache
def max_supplement_requests() -> tuple[int, LegalReference]:
    """How many supplement requests the law allows, and its source (``record_rules.json``)."""
    raw = load_json("record_rules.json")["max_supplement_requests"]
    return int(raw["value"]), LegalReference.model_validate(raw["reference"])
