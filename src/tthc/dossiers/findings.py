"""Findings a :class:`~tthc.dossiers.Dossier` records as events arrive: legal constraints that were not met.

A finding is not an exception: the event happened and the dossier moves on; the finding says which rule it broke and
cites it. The codes are the bulk validator's where the same rule is checked there (``docs/records.md``), so a
dossier and its record row report the same thing.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from pydantic import ConfigDict

from tthc.deadlines.counting import cite
from tthc.foundation.arguments import CheckedModel
from tthc.foundation.data_files import load_json
from tthc.foundation.references import LegalReference

__all__ = ["FINDING_CODES", "DossierFinding"]

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
        message: what happened, with the figures.
        reference: the rule, in the version in force on the dossier's receipt date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    event: str
    at: datetime
    message: str
    reference: LegalReference

    def __str__(self) -> str:
        return f"{self.code} ({self.event} {self.at:%Y-%m-%d %H:%M}): {self.message} — {cite(self.reference)}"


@cache
def max_supplement_requests() -> tuple[int, LegalReference]:
    """How many supplement requests the law allows, and its source (``record_rules.json``)."""
    raw = load_json("record_rules.json")["max_supplement_requests"]
    return int(raw["value"]), LegalReference.model_validate(raw["reference"])
