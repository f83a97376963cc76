"""The public names of :mod:`tthc.dossiers`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .dossier import Dossier as Dossier
from .events import Delivered as Delivered
from .events import DeliveryAttempted as DeliveryAttempted
from .events import DossierEvent as DossierEvent
from .events import Extended as Extended
from .events import Finished as Finished
from .events import HandedOver as HandedOver
from .events import ImpossibleEventError as ImpossibleEventError
from .events import PostalPickup as PostalPickup
from .events import ProcessingStarted as ProcessingStarted
from .events import Received as Received
from .events import Refused as Refused
from .events import ResultCollected as ResultCollected
from .events import ResultDispatched as ResultDispatched
from .events import ReturnedToAgency as ReturnedToAgency
from .events import Stopped as Stopped
from .events import SupplementCompleted as SupplementCompleted
from .events import SupplementRequested as SupplementRequested
from .events import Withdrawn as Withdrawn
from .events import parse_event as parse_event
from .findings import FINDING_CODES as FINDING_CODES
from .findings import DossierFinding as DossierFinding
from .history import DossierSnapshot as DossierSnapshot
from .setup import DossierDue as DossierDue
from .setup import DossierSetup as DossierSetup
from .setup import DossierTiming as DossierTiming
from .setup import PostalLeg as PostalLeg
from .setup import Timing as Timing
