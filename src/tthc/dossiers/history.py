"""A dossier's history: its JSON snapshot, and each event with the rule it brings in and its source."""

from __future__ import annotations

from datetime import date
from functools import cache

from pydantic import ConfigDict, ValidationError

from tthc.deadlines.counting import cite, counting_rule
from tthc.dossiers.events import DossierEvent, Extended, PostalPickup, Received, ResultDispatched
from tthc.dossiers.setup import DossierSetup
from tthc.errors import InvalidValueError
from tthc.foundation.arguments import CheckedModel
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
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "dossier"
            raise InvalidValueError(where, first["msg"], first.get("input")) from None


@cache
def _transit() -> TransitTable:
    return TransitTable.bundled()


def event_line(e: DossierEvent, day: date, attempt: int) -> str:
    """What ``e`` means and the rule it brings in (in its version in force on ``day``, the receipt date);
    ``attempt`` numbers a failed delivery."""
    t = _transit()
    if isinstance(e, Received):
        via = {"desk": "at the one-stop desk", "online": "online", "postal": "by post (handover record)"}[e.via]
        rule = counting_rule("postal_handover" if e.via == "postal" else "receipt_cutoff", day).reference
        return f"received {via} (receipt slip, form 01): the clock starts — {cite(rule)}"
    if isinstance(e, PostalPickup):
        return f"the post accepts and seals the dossier (J) — {t.handover_reference.document} Điều 6"
    if e.kind == "handed_over":
        rule = counting_rule("postal_handover", day).reference
        return f"handover record signed at the agency: the clock starts here, not at the pickup — {cite(rule)}"
    if e.kind == "processing_started":
        return "processing started"
    if e.kind == "supplement_requested":
        window = counting_rule("supplement_request_within", day)
        return (
            f"supplement requested (form 02): asked once, within {window.working_days} working days of receipt — "
            f"{cite(window.reference)}"
        )
    if e.kind == "supplement_completed":
        rule = counting_rule("supplement_restart", day).reference
        return f"complete dossier received: the processing time restarts from zero — {cite(rule)}"
    if isinstance(e, Extended):
        once = counting_rule("extension_once", day)
        return (
            f"apology and new return date {e.new_due_at:%Y-%m-%d %H:%M} (form 04): once, at the latest "
            f"{once.notice_working_days_before} working day before the due date — {cite(once.reference)}"
        )
    if e.kind == "finished":
        return "result ready: processing ended"
    if e.kind in ("refused", "withdrawn", "stopped"):
        return {"refused": "not received (form 03)", "withdrawn": "withdrawn by the applicant",
                "stopped": "processing stopped"}[e.kind]  # fmt: skip
    if isinstance(e, ResultDispatched):
        return f"the post collects the result (R), item {e.tracking_number} — {cite(t.reference)}"
    if e.kind == "delivery_attempted":
        return (
            f"delivery attempt {attempt} failed: at least {t.attempts} attempts, {t.working_days_between_attempts} "
            f"working days apart, then back to the agency — {cite(t.failed_delivery_reference)}"
        )
    if e.kind == "delivered":
        return "the result is delivered to the applicant"
    if e.kind == "returned_to_agency":
        return f"the undelivered result is back at the agency — {cite(t.failed_delivery_reference)}"
    return "the result is handed over to the applicant"
