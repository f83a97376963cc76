"""JSON Lines and Parquet readers of dossier records (the CSV reader and the shared types are in
:mod:`tthc.records.readers`; use :func:`tthc.records.readers.open_records`, which picks the reader)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from tthc.errors import DataFileError, MissingExtraError
from tthc.records.chunks import (
    RawChunk,
    RecordStream,
    RowProblem,
    StreamInfo,
    TextColumn,
    _decode_block,
    _detect_encoding,
    _iter_blocks,
)
from tthc.records.model import ALL_COLUMNS, REQUIRED_COLUMNS, ColumnMapping

__all__ = ["open_jsonl", "open_parquet"]

_SNIFF_BYTES = 64 << 10


# --------------------------------------------------------------------------------------------------------- JSONL


def open_jsonl(path: Path, mapping: ColumnMapping, encoding: str | None, chunk_bytes: int) -> RecordStream:
    size = path.stat().st_size
    with path.open("rb") as fh:
        sample = fh.read(_SNIFF_BYTES)
    enc, bom = _detect_encoding(sample, encoding)
    info = StreamInfo(str(path), "jsonl", size, enc, bom)
    return RecordStream(info, _jsonl_chunks(path, info, mapping, chunk_bytes))


def _jsonl_chunks(path: Path, info: StreamInfo, mapping: ColumnMapping, chunk_bytes: int) -> Iterator[RawChunk]:
    assert info.encoding is not None
    file = info.file
    next_row = 1
    consumed = 0
    key_cache: dict[str, str | None] = {}
    with path.open("rb") as fh:
        for k, block in enumerate(_iter_blocks(fh, chunk_bytes)):
            consumed += len(block)
            if k == 0 and info.bom:
                block = block[len(codecs.BOM_UTF8) :]
            data, problems, undecodable = _decode_block(block, info.encoding, file, next_row)
            lines = data.split(b"\n")
            if data.endswith(b"\n"):
                lines.pop()
            cols: dict[str, TextColumn] = {c: [] for c in ALL_COLUMNS}
            rows: list[int] = []
            blank = 0
            for i, line in enumerate(lines):
                if i in undecodable:
                    continue
                if not line.strip():
                    blank += 1
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(
                        RowProblem(file, next_row + i, "(row)", "E_SCHEMA", f"expected a JSON object, got {exc.msg}")
                    )
                    continue
                if not isinstance(obj, dict):
                    problems.append(
                        RowProblem(
                            file, next_row + i, "(row)", "E_SCHEMA", f"expected a JSON object, got {type(obj).__name__}"
                        )
                    )
                    continue
                row: dict[str, str | None] = {}
                for key, value in obj.items():
                    if key not in key_cache:
                        key_cache[key] = mapping.canonical(key)
                    canonical = key_cache[key]
                    if canonical is not None:
                        row[canonical] = _cell(value)
                rows.append(next_row + i)
                for c, col in cols.items():
                    col.append(row.get(c))
            problems.sort(key=lambda p: p.row)
            present = {c: col for c, col in cols.items() if any(v is not None for v in col)}
            for c in REQUIRED_COLUMNS:
                present.setdefault(c, cols[c])
            yield RawChunk(
                file, np.asarray(rows, dtype=np.int64), dict(present.items()), tuple(problems), blank, consumed
            )
            next_row += len(lines)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------------------------------------- Parquet


def open_parquet(path: Path, mapping: ColumnMapping, chunk_bytes: int) -> RecordStream:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("data", "pyarrow") from None
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataFileError(f"{path}: expected a Parquet file, could not read it: {exc}") from None
    header = mapping.resolve(pf.schema_arrow.names, file=str(path))
    info = StreamInfo(str(path), "parquet", path.stat().st_size, header=header)
    return RecordStream(info, _parquet_chunks(pf, info, chunk_bytes))


def _parquet_chunks(pf: object, info: StreamInfo, chunk_bytes: int) -> Iterator[RawChunk]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    assert isinstance(pf, pq.ParquetFile)
    assert info.header is not None
    names = pf.schema_arrow.names
    wanted = {names[i]: c for c, i in info.header.columns.items()}
    next_row = 1
    total_rows = max(pf.metadata.num_rows, 1)
    batch_rows = max(1_000, chunk_bytes // 200)
    for batch in pf.iter_batches(batch_size=batch_rows, columns=list(wanted)):
        cols: dict[str, pa.Array | TextColumn] = {}
        for name, canonical in wanted.items():
            arr = batch.column(name)
            if pa.types.is_timestamp(arr.type) and arr.type.tz is not None:
                # an instant with a zone: keep the Vietnam wall time (the columns are read as local time)
                arr = pc.local_timestamp(arr.cast(pa.timestamp(arr.type.unit, "Asia/Ho_Chi_Minh")))
            typed = pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type) or pa.types.is_integer(arr.type)
            if not typed and not pa.types.is_string(arr.type):
                arr = arr.cast(pa.string())
            cols[canonical] = arr
        n = batch.num_rows
        yield RawChunk(
            info.file,
            np.arange(next_row, next_row + n, dtype=np.int64),
            cols,
            (),
            0,
            int(info.size * (next_row + n - 1) / total_rows),
        )
        next_row += n
