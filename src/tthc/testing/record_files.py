"""Small dossier-record files for tests: one valid row to change a field at a time, CSV writing, cp1258 bytes.

``row(**changes)`` is a valid record of the sample catalog (:meth:`tthc.catalog.Catalog.sample`): procedure 2.001417
(Phiếu lý lịch tư pháp, 10 working days) received online at the Gia Lai justice department and returned on time.
Change one field to make it invalid on purpose::

    from tthc.testing.record_files import row, write_csv
    write_csv(tmp_path / "x.csv", [row(), row(due_at="2025-03-18 17:00:00")])   # the second row's due date is wrong
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from tthc.records.model import CANONICAL_COLUMNS

__all__ = ["GOOD", "HEADER", "csv_text", "row", "to_cp1258", "write_csv"]

HEADER = [*CANONICAL_COLUMNS, "extension_issued_at", "extension_count"]

# one valid row: 2.001417 (Phiếu lý lịch tư pháp, 10 working days) received online at the Gia Lai justice department
GOOD = {
    "dossier_code": "000.00.12.H21-250303-0001",
    "procedure_code": "2.001417",
    "agency_code": "000.00.12.H21",
    "channel": "online",
    "online_level": "full",
    "received_at": "2025-03-03 09:00:00",
    "due_at": "2025-03-17 17:00:00",
    "finished_at": "2025-03-14 10:00:00",
    "returned_at": "2025-03-14 15:00:00",
    "result_channel": "online",
    "status": "returned",
    "supplement_count": "0",
    "fee_vnd": "200000",
}


def row(**changes: str) -> dict[str, str]:
    """The valid row :data:`GOOD` with ``changes`` applied (every column of :data:`HEADER` present)."""
    out = dict.fromkeys(HEADER, "")
    out.update(GOOD)
    out.update(changes)
    return out


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None, delimiter: str = ",") -> str:
    """The CSV text of ``rows`` under ``header`` (default :data:`HEADER`)."""
    buf = io.StringIO()
    w = csv.DictWriter(
        buf, fieldnames=header or HEADER, delimiter=delimiter, lineterminator="\n", extrasaction="ignore"
    )
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def write_csv(path: Path, rows: list[dict[str, str]], **kwargs: object) -> Path:
    """Write :func:`csv_text` of ``rows`` to ``path`` (UTF-8) and return the path."""
    path.write_text(csv_text(rows, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes the way Vietnamese Windows writes them: base letters with circumflex/breve/horn
    precomposed, tone marks as combining characters (Python's codec does not do this composition itself)."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)
