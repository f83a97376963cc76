"""The public names of :mod:`tthc.deadlines`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .batch import TIMELINESS_CODES as TIMELINESS_CODES
from .batch import UNIT_CODES as UNIT_CODES
from .batch import classify_many as classify_many
from .batch import compute_due_many as compute_due_many
from .compute import DueDate as DueDate
from .compute import compute_due as compute_due
from .counting import VN_TZ as VN_TZ
from .counting import CountingRules as CountingRules
from .counting import DueInstant as DueInstant
from .counting import MonthEnd as MonthEnd
from .counting import UnknownUnitPolicy as UnknownUnitPolicy
from .counting import counting_references as counting_references
from .counting import to_local as to_local
from .processing_time import ProcessingTime as ProcessingTime
from .processing_time import TimeUnit as TimeUnit
from .reductions import ChannelCondition as ChannelCondition
from .reductions import EffectiveTime as EffectiveTime
from .reductions import Reduction as Reduction
from .reductions import ReductionOutcome as ReductionOutcome
from .reductions import ReductionRounding as ReductionRounding
from .reductions import ReductionScope as ReductionScope
from .reductions import ReductionSet as ReductionSet
from .reductions import apply_reductions as apply_reductions
from .reductions import load_reductions as load_reductions
from .supplements import Extension as Extension
from .supplements import SupplementOutcome as SupplementOutcome
from .supplements import SupplementReading as SupplementReading
from .supplements import due_after_supplement as due_after_supplement
from .supplements import extend_due as extend_due
from .supplements import supplement_readings as supplement_readings
from .timeliness import ClassifiedFinish as ClassifiedFinish
from .timeliness import Timeliness as Timeliness
from .timeliness import classify as classify
from .timeliness import classify_detail as classify_detail
