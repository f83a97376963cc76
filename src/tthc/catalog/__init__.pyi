"""The public names of :mod:`tthc.catalog`, listed once.

Type checkers read this stub; at run time ``__init__.py`` hands it to ``lazy_loader.attach_stub``, which loads each
name from its module on first use (so reading the catalog does not import the national-portal importer).
"""

__all__: list[str]

from .collection import SAMPLE_CATALOG as SAMPLE_CATALOG
from .collection import Catalog as Catalog
from .collection import CatalogFile as CatalogFile
from .collection import PortalImport as PortalImport
from .collection import catalog_json_schema as catalog_json_schema
from .collection import import_portal as import_portal
from .collection import import_portal_files as import_portal_files
from .import_report import ChannelRowReport as ChannelRowReport
from .import_report import Coverage as Coverage
from .import_report import ImportIssue as ImportIssue
from .import_report import ImportReport as ImportReport
from .import_report import RecordReport as RecordReport
from .import_report import TimeStatus as TimeStatus
from .import_report import UnparsedText as UnparsedText
from .model import ChannelOption as ChannelOption
from .model import FeeKind as FeeKind
from .model import FeeLine as FeeLine
from .model import LegalBasis as LegalBasis
from .model import Level as Level
from .model import Procedure as Procedure
from .model import Tri as Tri
from .model import parse_level as parse_level
from .portal_files import RawRecord as RawRecord
from .portal_files import decode_line as decode_line
from .portal_files import read_portal_jsonl as read_portal_jsonl
