"""E_UNREADABLE_RANGE, written by the combiner itself, is worded in the run's language like every other finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.catalog import Catalog
from tthc.records.sample import sample_path
from tthc.scale.combine import Combiner
from tthc.scale.partitions import UNREADABLE_RANGE, PartitionResult, plan_partitions, row_offsets, validate_partition


def _combined(tmp_path: Path, lang: str | None) -> tuple[str, int, int, int, int]:
    """The message of a broken second partition, its first and last rows and its byte range."""
    lines = sample_path().read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "r.csv"
    path.write_text("".join(lines[:301]), encoding="utf-8")
    infos, parts = plan_partitions([path], partition_bytes=10_000)
    catalog = Catalog.sample()
    results = [validate_partition(p, catalog)[0] for p in parts]
    results[1] = PartitionResult(parts[1], results[1].lines, error="OSError: disk on fire")
    combiner = Combiner(infos, lang=lang)
    for result, offset in zip(results, row_offsets(parts, [r.lines for r in results]), strict=True):
        combiner.add(result, offset)
    (finding,) = combiner.summary().examples[UNREADABLE_RANGE]
    return finding.message, finding.row, finding.row + results[1].lines - 1, parts[1].start, parts[1].end


def test_an_unreadable_range_in_vietnamese(tmp_path: Path) -> None:
    message, first, last, start, end = _combined(tmp_path, "vi")
    assert message == (
        f"không đọc được các dòng {first}..{last} (byte {start}..{end}); "
        f"cả {last - first + 1} dòng được tính là không hợp lệ: OSError: disk on fire"
    )


def test_an_unreadable_range_in_english_is_unchanged(tmp_path: Path) -> None:
    message, first, last, start, end = _combined(tmp_path, "en")
    assert message == (
        f"rows {first}..{last} (bytes {start}..{end}) could not be read; "
        f"all {last - first + 1} counted invalid: OSError: disk on fire"
    )


def test_the_default_language_is_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    message, *_ = _combined(tmp_path, None)
    assert message.startswith("không đọc được các dòng ")
