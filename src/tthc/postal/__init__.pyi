"""The public names of :mod:`tthc.postal`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .eligibility import AgencyList as AgencyList
from .eligibility import AgencyListKind as AgencyListKind
from .eligibility import AgencyLists as AgencyLists
from .eligibility import EligibilityReason as EligibilityReason
from .eligibility import EligibilityVerdict as EligibilityVerdict
from .eligibility import PostalRules as PostalRules
from .eligibility import Severity as Severity
from .eligibility import check_postal_eligibility as check_postal_eligibility
from .eligibility import check_tracking_number as check_tracking_number
from .eligibility import parse_postal_service as parse_postal_service
from .eligibility import postal_rules as postal_rules
from .timeline import DeliveryAttempts as DeliveryAttempts
from .timeline import EventKind as EventKind
from .timeline import PostalTimeline as PostalTimeline
from .timeline import TimelineEvent as TimelineEvent
from .timeline import TransitEstimate as TransitEstimate
from .timeline import TransitTable as TransitTable
from .timeline import delivery_attempts as delivery_attempts
from .timeline import postal_dossier_timeline as postal_dossier_timeline
from .timeline import transit_estimate as transit_estimate
from .zones import Zone as Zone
from .zones import ZoneLookup as ZoneLookup
from .zones import ZoneVocabulary as ZoneVocabulary
from .zones import lookup_zone as lookup_zone
from .zones import zone_vocabulary as zone_vocabulary
