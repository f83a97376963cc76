"""The last English validation messages in a Vietnamese run (issue 14): ``E_CHECK_FAILED`` and
``E_DUPLICATE_DOSSIER`` are worded from :data:`~tthc.validation.rules.MESSAGES` in the run's language."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation import chunk as chunk_module
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.duplicates import DuplicateCodes, duplicate_message
from tthc.validation.run import FindingWriter, validate_files

CAT = Catalog.sample()


def _code(k: int) -> str:
    return f"000.00.12.H21-250303-{k:04d}"


def _failed_messages(monkeypatch: pytest.MonkeyPatch, lang: str) -> list[str]:
    def broken(rows: object) -> None:
        raise ZeroDivisionError("a bug in a check")

    monkeypatch.setattr(chunk_module, "check_status", broken)
    chunk = {k: [row(dossier_code=_code(1))[k]] for k in HEADER}
    result = validate_chunk(chunk, CAT, ValidationOptions(lang=lang))
    return [p.message for p in result.findings if p.code == "E_CHECK_FAILED"]


def test_check_failed_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _failed_messages(monkeypatch, "vi") == [
        "việc kiểm tra dừng lại ở dòng này do một lỗi không lường trước (ZeroDivisionError: a bug in a check); "
        "vui lòng báo lỗi này cho tthc"
    ]
    assert _failed_messages(monkeypatch, "en") == [
        "the checks stopped on this row with an unexpected error (ZeroDivisionError: a bug in a check); please "
        "report it to tthc"
    ]


def test_duplicate_message_in_both_languages() -> None:
    assert duplicate_message("H21-7", 12, None, "vi") == "mã hồ sơ H21-7 đã có ở dòng 12"
    assert duplicate_message("H21-7", 12, "a.csv", "vi") == "mã hồ sơ H21-7 đã có ở dòng 12 của tệp a.csv"
    assert duplicate_message("H21-7", 12, None, "en") == "dossier code H21-7 already on row 12"
    assert duplicate_message("H21-7", 12, "a.csv", "en") == "dossier code H21-7 already on row 12 of a.csv"


def _duplicates(tmp_path: Path, options: ValidationOptions | None) -> list[str]:
    a = write_csv(tmp_path / "a.csv", [row(dossier_code=_code(1)), row(dossier_code=_code(2))])
    b = write_csv(tmp_path / "b.csv", [row(dossier_code=_code(3)), row(dossier_code=_code(1))])
    with FindingWriter(tmp_path / "report.csv") as w:
        validate_files([a, b], CAT, options, report=w)
    with (tmp_path / "report.csv").open(encoding="utf-8") as fh:
        return [r["message"] for r in csv.DictReader(fh) if r["code"] == "E_DUPLICATE_DOSSIER"]


def test_a_run_words_its_duplicates_in_its_language(tmp_path: Path) -> None:
    vi = _duplicates(tmp_path, ValidationOptions(lang="vi"))
    en = _duplicates(tmp_path, ValidationOptions(lang="en"))
    assert vi == [f"mã hồ sơ {_code(1)} đã có ở dòng 1 của tệp {tmp_path / 'a.csv'}"]
    assert en == [f"dossier code {_code(1)} already on row 1 of {tmp_path / 'a.csv'}"]


def test_the_default_run_is_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _duplicates(tmp_path, None)[0].startswith("mã hồ sơ ")


def test_a_bad_lang_is_refused() -> None:
    with pytest.raises(InvalidValueError):
        DuplicateCodes(lang="fr")
