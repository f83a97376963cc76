"""The public names of :mod:`tthc.records`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so importing one module of the package does not import the others).
"""

__all__: list[str]

from .chunks import FileFormat as FileFormat
from .chunks import RawChunk as RawChunk
from .chunks import RecordStream as RecordStream
from .chunks import RowProblem as RowProblem
from .chunks import StreamInfo as StreamInfo
from .layout import CANONICAL_COLUMNS as CANONICAL_COLUMNS
from .layout import DATETIME_COLUMNS as DATETIME_COLUMNS
from .layout import EXTENSION_COLUMNS as EXTENSION_COLUMNS
from .layout import REQUIRED_COLUMNS as REQUIRED_COLUMNS
from .layout import VN_TZ as VN_TZ
from .layout import ColumnMapping as ColumnMapping
from .layout import DossierStatus as DossierStatus
from .layout import HeaderMap as HeaderMap
from .layout import parse_local_datetime as parse_local_datetime
from .model import DossierRecord as DossierRecord
from .readers import iter_records as iter_records
from .readers import open_records as open_records
from .sample import SAMPLE_FILE as SAMPLE_FILE
from .sample import SAMPLE_SEED as SAMPLE_SEED
from .sample import generate_sample as generate_sample
from .sample import sample_path as sample_path
from .sample import write_sample as write_sample
