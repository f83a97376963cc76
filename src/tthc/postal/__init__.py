"""The public postal channel (BCCI): eligibility (QĐ 45/2016/QĐ-TTg), zones, transit times and the postal timeline.

* :mod:`tthc.postal.eligibility` — :func:`check_postal_eligibility`, agency lists, tracking numbers.
* :mod:`tthc.postal.zones` — tariff zones before and after July 2025.
* :mod:`tthc.postal.timeline` — the postal dossier timeline and TT 17/2017 transit estimates.
"""

from __future__ import annotations

from tthc.postal.eligibility import (
    AgencyList,
    AgencyListKind,
    AgencyLists,
    EligibilityReason,
    EligibilityVerdict,
    PostalRules,
    Severity,
    check_postal_eligibility,
    check_tracking_number,
    parse_postal_service,
    postal_rules,
)
from tthc.postal.timeline import (
    DeliveryAttempts,
    EventKind,
    PostalTimeline,
    TimelineEvent,
    TransitEstimate,
    TransitTable,
    delivery_attempts,
    postal_dossier_timeline,
    transit_estimate,
)
from tthc.postal.zones import (
    Zone,
    ZoneLookup,
    ZoneVocabulary,
    lookup_zone,
    zone_vocabulary,
)

__all__ = [
    "AgencyList",
    "AgencyListKind",
    "AgencyLists",
    "DeliveryAttempts",
    "EligibilityReason",
    "EligibilityVerdict",
    "EventKind",
    "PostalRules",
    "PostalTimeline",
    "Severity",
    "TimelineEvent",
    "TransitEstimate",
    "TransitTable",
    "Zone",
    "ZoneLookup",
    "ZoneVocabulary",
    "check_postal_eligibility",
    "check_tracking_number",
    "delivery_attempts",
    "lookup_zone",
    "parse_postal_service",
    "postal_dossier_timeline",
    "postal_rules",
    "transit_estimate",
    "zone_vocabulary",
]
