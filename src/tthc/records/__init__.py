"""Dossier records: the canonical record model and its streaming readers.

* :mod:`tthc.records.model` — :class:`DossierRecord`, the columns, :class:`ColumnMapping` (portal sync names).
* :mod:`tthc.records.readers` — :func:`open_records` / :func:`iter_records` (CSV, JSON Lines, Parquet).
* :mod:`tthc.records.chunks` — :class:`RawChunk` and :class:`RowProblem`, what every reader yields.
* :mod:`tthc.records.csv_reader`, :mod:`tthc.records.formats` — the CSV and the JSON Lines / Parquet readers.
* :mod:`tthc.records.columns` — typed columns from text chunks.
* :mod:`tthc.records.sample` — the bundled sample dataset.
"""

from __future__ import annotations

from tthc.records.chunks import (
    FileFormat,
    RawChunk,
    RecordStream,
    RowProblem,
    StreamInfo,
)
from tthc.records.model import (
    CANONICAL_COLUMNS,
    DATETIME_COLUMNS,
    EXTENSION_COLUMNS,
    REQUIRED_COLUMNS,
    VN_TZ,
    ColumnMapping,
    DossierRecord,
    DossierStatus,
    HeaderMap,
    parse_local_datetime,
)
from tthc.records.readers import (
    iter_records,
    open_records,
)
from tthc.records.sample import (
    SAMPLE_FILE,
    SAMPLE_SEED,
    generate_sample,
    sample_path,
    write_sample,
)

__all__ = [
    "CANONICAL_COLUMNS",
    "DATETIME_COLUMNS",
    "EXTENSION_COLUMNS",
    "REQUIRED_COLUMNS",
    "SAMPLE_FILE",
    "SAMPLE_SEED",
    "VN_TZ",
    "ColumnMapping",
    "DossierRecord",
    "DossierStatus",
    "FileFormat",
    "HeaderMap",
    "RawChunk",
    "RecordStream",
    "RowProblem",
    "StreamInfo",
    "generate_sample",
    "iter_records",
    "open_records",
    "parse_local_datetime",
    "sample_path",
    "write_sample",
]
