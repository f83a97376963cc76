"""The procedure catalog and the national-portal importer.

* :mod:`tthc.catalog.model` — :class:`Procedure`, :class:`ChannelOption`, :class:`FeeLine`, levels.
* :mod:`tthc.catalog.collection` — :class:`Catalog` (load, dump, look up, filter) and :func:`import_portal`.
* :mod:`tthc.catalog.portal_files` — reading export files (``.jsonl``, ``.jsonl.gz``).
* :mod:`tthc.catalog.portal_import` — one export row to one procedure.
* :mod:`tthc.catalog.free_text` — the parsers for the portal's free-text cells (times, fees, channels).
* :mod:`tthc.catalog.import_report` — the per-record import report.
"""

from __future__ import annotations

from tthc.catalog.collection import (
    SAMPLE_CATALOG,
    Catalog,
    CatalogFile,
    PortalImport,
    catalog_json_schema,
    import_portal,
    import_portal_files,
)
from tthc.catalog.import_report import (
    ChannelRowReport,
    Coverage,
    ImportIssue,
    ImportReport,
    RecordReport,
    TimeStatus,
    UnparsedText,
)
from tthc.catalog.model import (
    ChannelOption,
    FeeKind,
    FeeLine,
    LegalBasis,
    Level,
    Procedure,
    Tri,
    parse_level,
)
from tthc.catalog.portal_files import (
    RawRecord,
    decode_line,
    read_portal_jsonl,
)

__all__ = [
    "SAMPLE_CATALOG",
    "Catalog",
    "CatalogFile",
    "ChannelOption",
    "ChannelRowReport",
    "Coverage",
    "FeeKind",
    "FeeLine",
    "ImportIssue",
    "ImportReport",
    "LegalBasis",
    "Level",
    "PortalImport",
    "Procedure",
    "RawRecord",
    "RecordReport",
    "TimeStatus",
    "Tri",
    "UnparsedText",
    "catalog_json_schema",
    "decode_line",
    "import_portal",
    "import_portal_files",
    "parse_level",
    "read_portal_jsonl",
]
