"""Catalog files: gzip-compressed catalogs written and read (a name ending in ``.gz``), and a procedure's validity
period (``valid_until`` on or after ``valid_from``) — found by session 10's review: ``--out catalog.jsonl.gz`` wrote
an uncompressed JSON document under a ``.gz`` name, and a procedure in force until before it came into force was
accepted (then in force on no day at all, silently)."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.errors import DataFileError, InvalidValueError

GZIP_MAGIC = b"\x1f\x8b"


@pytest.fixture(scope="module")
def sample() -> Catalog:
    return Catalog.sample()


# -- gzip ------------------------------------------------------------------------------------------------------------


def test_a_jsonl_gz_name_writes_gzip_compressed_json_lines(tmp_path: Path, sample: Catalog) -> None:
    path = sample.dump(tmp_path / "catalog.jsonl.gz")
    raw = path.read_bytes()
    assert raw[:2] == GZIP_MAGIC
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert len(lines) == len(sample)
    assert json.loads(lines[0])["code"] == str(sample.procedures[0].code)
    assert Catalog.load(path).procedures == sample.procedures


def test_a_json_gz_name_writes_a_gzip_compressed_json_document(tmp_path: Path, sample: Catalog) -> None:
    path = sample.dump(tmp_path / "Catalog.JSON.GZ")
    raw = path.read_bytes()
    assert raw[:2] == GZIP_MAGIC
    doc = json.loads(gzip.decompress(raw))
    assert set(doc) == {"about", "procedures"}
    assert len(doc["procedures"]) == len(sample)
    assert Catalog.load(path) == sample


def test_the_same_catalog_compresses_to_the_same_bytes(tmp_path: Path, sample: Catalog) -> None:
    """No time stamp or file name in the gzip header: a catalog rebuilt from the same export is the same file."""
    a = sample.dump(tmp_path / "a.jsonl.gz").read_bytes()
    b = sample.dump(tmp_path / "b.jsonl.gz").read_bytes()
    assert a == b


def test_uncompressed_names_stay_uncompressed(tmp_path: Path, sample: Catalog) -> None:
    for name in ("c.json", "c.jsonl", "c.txt"):
        assert sample.dump(tmp_path / name).read_bytes()[:1] in (b"{", b"[")


def test_a_gzip_file_is_read_whatever_its_name(tmp_path: Path, sample: Catalog) -> None:
    """gzip is told by the first bytes (as the portal exports are), the format by the name without ``.gz``."""
    packed = tmp_path / "catalog.json"
    packed.write_bytes(gzip.compress(sample.dump(tmp_path / "plain.json").read_bytes()))
    assert Catalog.load(packed) == sample
    lines = tmp_path / "catalog.jsonl"
    lines.write_bytes(gzip.compress(sample.dump(tmp_path / "plain.jsonl").read_bytes()))
    assert Catalog.load(lines).procedures == sample.procedures


def test_a_truncated_gzip_catalog_is_a_data_file_error_naming_the_file(tmp_path: Path, sample: Catalog) -> None:
    raw = sample.dump(tmp_path / "c.jsonl.gz").read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataFileError, match=r"cut\.jsonl\.gz: expected a complete gzip file, got "):
        Catalog.load(cut)


def test_a_gzip_bomb_is_refused_before_it_fills_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tthc.foundation import data_files

    monkeypatch.setattr(data_files, "GZIP_RATIO_GRACE_BYTES", 1 << 16)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b'{"procedures": [], "about": "' + b" " * (8 << 20) + b'"}'))
    assert bomb.stat().st_size < (8 << 20) // data_files.GZIP_MAX_RATIO
    with pytest.raises(DataFileError, match=r"bomb\.json\.gz: expected a gzip file within 100 times its compressed"):
        Catalog.load(bomb)


def test_import_portal_out_gz_writes_a_catalog_audit_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    export = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "portal_defence_207.jsonl.gz"
    if not export.exists():
        pytest.skip("the real exports are not beside the checkout")
    out = tmp_path / "catalog.jsonl.gz"
    main(["--lang", "en", "import-portal", str(export), "--out", str(out)])
    capsys.readouterr()
    assert out.read_bytes()[:2] == GZIP_MAGIC
    assert len(Catalog.load(out)) > 150
    assert main(["--lang", "en", "audit", str(out), "--json"]) in (0, 1)
    assert isinstance(json.loads(capsys.readouterr().out), list)


# -- the validity period ---------------------------------------------------------------------------------------------


def test_valid_until_before_valid_from_is_refused_naming_valid_until() -> None:
    with pytest.raises(InvalidValueError) as info:
        Procedure(code="1.000001", name="A", valid_from=date(2025, 7, 1), valid_until=date(2025, 6, 30))
    assert info.value.field == "valid_until"
    assert "2025-07-01" in str(info.value)
    assert "2025-06-30" in str(info.value)


def test_a_one_day_validity_period_is_accepted() -> None:
    p = Procedure(code="1.000001", name="A", valid_from=date(2025, 7, 1), valid_until=date(2025, 7, 1))
    assert p.in_force(date(2025, 7, 1))
    assert not p.in_force(date(2025, 6, 30))
    assert not p.in_force(date(2025, 7, 2))


def test_a_catalog_file_with_a_reversed_period_names_file_record_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    procs = [
        {"code": "1.000001", "name": "A", "valid_until": "2025-06-30"},
        {"code": "1.000002", "name": "B", "valid_from": "2025-07-01", "valid_until": "2025-06-30"},
    ]
    bad.write_text(json.dumps({"about": None, "procedures": procs}), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.json: procedures\[1\] \(code '1\.000002'\): field valid_until"):
        Catalog.load(bad)
    with pytest.raises(ValidationError, match="valid_until: expected a date on or after valid_from 2025-07-01"):
        Procedure.model_validate(procs[1])  # as documented, model_validate keeps pydantic's error (every field's)
