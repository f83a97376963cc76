"""Validity by construction: every generated dossier passes the library's bulk validation, and every invalid one is
rejected for exactly the reason it states."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tthc.catalog.collection import Catalog
from tthc.records.model import DossierRecord
from tthc.testing import strategies as tst
from tthc.testing.strategies import GeneratedDossier
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.run import validate_files

SLOW = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
CATALOG = Catalog.sample()


def _columns(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    return {c: [r[c] for r in rows] for c in rows[0]}


def _error_codes(rows: list[dict[str, str]], d: GeneratedDossier) -> set[str]:
    result = validate_chunk(_columns(rows), CATALOG, ValidationOptions(calendar=d.calendar))
    return {p.code for p in result.findings if p.code.startswith("E_")}


@SLOW
@given(tst.dossiers())
def test_every_generated_dossier_validates(d: GeneratedDossier) -> None:
    """NĐ 61/2018 Điều 16–20, TT 01/2018 Điều 19, QĐ 45/2016 Điều 1.2: no error-level finding on a generated row."""
    findings = validate_chunk(_columns([d.row]), CATALOG, ValidationOptions(calendar=d.calendar)).findings
    assert [f for f in findings if f.code.startswith("E_")] == []
    record = d.record
    assert isinstance(record, DossierRecord)
    assert record.received_at.replace(tzinfo=None) == d.received_at
    if d.due.due_at is not None:
        assert record.due_at is not None
        assert record.due_at >= record.received_at


@SLOW
@given(tst.invalid_dossier_rows())
def test_every_invalid_row_is_rejected_for_the_stated_reason(case: tuple[dict[str, str], str]) -> None:
    row, reason = case
    result = validate_chunk(_columns([row]), CATALOG)
    codes = {p.code for p in result.findings if p.code.startswith("E_")}
    assert codes == {reason}
    assert not result.valid.any()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tst.record_files(max_rows=12))
def test_generated_record_files_validate_whole(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, tuple[GeneratedDossier, ...]]
) -> None:
    text, dossiers = case
    path = tmp_path_factory.mktemp("files") / "records.csv"
    path.write_text(text, encoding="utf-8")
    summary = validate_files([path], CATALOG)
    assert summary.rows == len(dossiers)
    assert summary.invalid_rows == 0, summary.examples


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(tst.invalid_record_files())
def test_every_invalid_file_has_exactly_its_one_problem(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str]
) -> None:
    text, reason = case
    path = tmp_path_factory.mktemp("bad") / "records.csv"
    path.write_text(text, encoding="utf-8")
    summary = validate_files([path], CATALOG)
    assert {c for c in summary.by_code if c.startswith("E_")} == {reason}
    assert summary.invalid_rows == 1
    assert summary.rows == text.count("\n") - 1


def test_the_invalid_reasons_are_validation_check_codes() -> None:
    from tthc.validation.rules import CHECKS

    assert set(tst.INVALID_FILE_REASONS) <= set(CHECKS)
    assert all(CHECKS[c].severity == "error" for c in tst.INVALID_FILE_REASONS)
