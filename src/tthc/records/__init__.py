"""Dossier records: the canonical record model and its streaming readers.

* :mod:`tthc.records.model` — :class:`DossierRecord`, the columns, :class:`ColumnMapping` (portal sync names).
* :mod:`tthc.records.readers` — :func:`open_records` / :func:`iter_records` (CSV, JSON Lines, Parquet).
* :mod:`tthc.records.chunks` — :class:`RawChunk` and :class:`RowProblem`, what every reader yields.
* :mod:`tthc.records.csv_reader`, :mod:`tthc.records.formats` — the CSV and the JSON Lines / Parquet readers.
* :mod:`tthc.records.columns` — typed columns from text chunks.
* :mod:`tthc.records.sample` — the bundled sample dataset.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
