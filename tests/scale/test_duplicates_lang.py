"""The duplicate findings of a partitioned run are worded in the run's language, as one machine words them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.catalog import Catalog
from tthc.scale.partitions import validate_partitions_locally
from tthc.validation import ValidationOptions, validate_files
from tthc.validation.run import FindingWriter

HEADER = "dossier_code,agency_code,procedure_code,received_at,channel,status\n"
ROW = "000.00.22.H48-250303-{n:04d},000.00.22.H48,1.002809,2025-03-03 09:00,direct,received\n"


@pytest.mark.parametrize(("lang", "word"), [("vi", "đã có ở dòng"), ("en", "already on row")])
def test_partitioned_duplicates_follow_the_language(tmp_path: Path, lang: str, word: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text(HEADER + "".join(ROW.format(n=n % 7) for n in range(20)), encoding="utf-8")
    options = ValidationOptions(lang=lang)
    one, parts = tmp_path / "one.csv", tmp_path / "parts.csv"
    with FindingWriter(one) as w:
        validate_files([data], Catalog.sample(), options, report=w)
    with FindingWriter(parts) as w:
        validate_partitions_locally([data], Catalog.sample(), options, report=w, partition_bytes=256)
    text = parts.read_text(encoding="utf-8")
    assert text == one.read_text(encoding="utf-8")
    assert text.count("E_DUPLICATE_DOSSIER") == 13
    assert word in text
