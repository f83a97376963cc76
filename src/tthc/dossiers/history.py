"""A dossier's history: its JSON snapshot, and each event with the rule it brings in and its source."""

from __future__ import annotations

from datetime import date
from functools import cache

from pydantic import ConfigDict, ValidationError

from tthc.deadlines.counting import cite, counting_rule
from tthc.dossiers.events import DossierEvent, Extended, PostalPickup, Received, ResultDispatched
from tthc.dossiers.findings import word_value
from tthc.dossiers.setup import DossierSetup
from tthc.foundation.arguments import CheckedModel, invalid_value
from tthc.foundation.i18n import N_, gettext, resolve_lang
from tthc.postal.timeline import TransitTable

__all__ = ["DossierSnapshot", "event_line"]


class DossierSnapshot(CheckedModel):
    """The JSON form of a dossier: how it was set up and its events, in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    setup: DossierSetup
    events: tuple[DossierEvent, ...]

    @classmethod
    def parse(cls, text: str | bytes) -> DossierSnapshot:
        """Read :meth:`Dossier.to_json` text.

        Raises:
            InvalidValueError: not a dossier snapshot (names the field, what was expected and what was given).
        """
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise invalid_value(exc, "dossier") from None


@cache
def _transit() -> TransitTable:
    return TransitTable.bundled()


def event_line(e: DossierEvent, day: date, attempt: int, lang: str | None = None) -> str:
    """What ``e`` means and the rule it brings in (in its version in force on ``day``, the receipt date);
    ``attempt`` numbers a failed delivery. In ``lang`` (``"vi"`` or ``"en"``; None: ``TTHC_LANG``, else
    Vietnamese)."""
    code = resolve_lang(lang)
    t = _transit()
    if isinstance(e, Received):
        rule = counting_rule("postal_handover" if e.via == "postal" else "receipt_cutoff", day).reference
        return gettext(_RECEIVED[e.via], code).format(ref=cite(rule, code))
    if isinstance(e, PostalPickup):
        return gettext("the post accepts and seals the dossier (J) — {document} Điều 6", code).format(
            document=t.handover_reference.document
        )
    if e.kind == "handed_over":
        rule = counting_rule("postal_handover", day).reference
        return gettext(
            "handover record signed at the agency: the clock starts here, not at the pickup — {ref}", code
        ).format(ref=cite(rule, code))
    if e.kind == "supplement_requested":
        window = counting_rule("supplement_request_within", day)
        return gettext(
            "supplement requested (form 02): asked once, within {days} working days of receipt — {ref}", code
        ).format(days=window.working_days, ref=cite(window.reference, code))
    if e.kind == "supplement_completed":
        rule = counting_rule("supplement_restart", day).reference
        return gettext("complete dossier received: the processing time restarts from zero — {ref}", code).format(
            ref=cite(rule, code)
        )
    if isinstance(e, Extended):
        once = counting_rule("extension_once", day)
        return gettext(
            "apology and new return date {new} (form 04): once, at the latest {days} working day before the due "
            "date — {ref}",
            code,
        ).format(
            new=word_value(e.new_due_at, code), days=once.notice_working_days_before, ref=cite(once.reference, code)
        )
    if isinstance(e, ResultDispatched):
        return gettext("the post collects the result (R), item {item} — {ref}", code).format(
            item=e.tracking_number, ref=cite(t.reference, code)
        )
    if e.kind == "delivery_attempted":
        return gettext(
            "delivery attempt {attempt} failed: at least {attempts} attempts, {days} working days apart, then back "
            "to the agency — {ref}",
            code,
        ).format(
            attempt=attempt,
            attempts=t.attempts,
            days=t.working_days_between_attempts,
            ref=cite(t.failed_delivery_reference, code),
        )
    if e.kind == "returned_to_agency":
        return gettext("the undelivered result is back at the agency — {ref}", code).format(
            ref=cite(t.failed_delivery_reference, code)
        )
    return gettext(_PLAIN.get(e.kind, _PLAIN["result_collected"]), code)


_RECEIVED = {
    "desk": N_("received at the one-stop desk (receipt slip, form 01): the clock starts — {ref}"),
    "online": N_("received online (receipt slip, form 01): the clock starts — {ref}"),
    "postal": N_("received by post (handover record) (receipt slip, form 01): the clock starts — {ref}"),
}
_PLAIN = {
    "processing_started": N_("processing started"),
    "finished": N_("result ready: processing ended"),
    "refused": N_("not received (form 03)"),
    "withdrawn": N_("withdrawn by the applicant"),
    "stopped": N_("processing stopped"),
    "delivered": N_("the result is delivered to the applicant"),
    "result_collected": N_("the result is handed over to the applicant"),
}
