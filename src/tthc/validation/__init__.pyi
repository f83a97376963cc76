"""The public names of :mod:`tthc.validation`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .chunk import ChunkResult as ChunkResult
from .chunk import validate_chunk as validate_chunk
from .context import ValidationContext as ValidationContext
from .context import ValidationOptions as ValidationOptions
from .rules import CHECKS as CHECKS
from .rules import Check as Check
from .rules import RecordRules as RecordRules
from .rules import Timeliness as Timeliness
from .run import FindingWriter as FindingWriter
from .run import ValidationSummary as ValidationSummary
from .run import validate_files as validate_files
