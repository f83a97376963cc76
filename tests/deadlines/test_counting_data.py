"""The bundled counting data read without validation (issue 16, item 5) equals the same data validated by its model.

``counting_rules.json`` ships with the package, so the scalar path (``tthc due``) reads its references and dated
versions as written (:func:`tthc.foundation.references.bundled_reference`) instead of building pydantic's validators at
start. These tests are what makes that safe: every reference and every version validated by the one model of the
file (``LegalReference``, ``_VersionRow``) must be equal to what the fast path built, field by field and type by type.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tthc.calendar.office_hours import OfficeHours
from tthc.deadlines import counting
from tthc.foundation.data_files import load_json
from tthc.foundation.references import LegalReference, bundled_reference


def _references(node: object) -> list[dict[str, Any]]:
    """Every ``reference`` object in the file, wherever it is nested."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, dict):
                found.append(value)
            else:
                found += _references(value)
    elif isinstance(node, list):
        for value in node:
            found += _references(value)
    return found


RAW = load_json("counting_rules.json")
REFS = _references(RAW)


def test_the_file_has_references_to_check() -> None:
    assert len(REFS) >= 10
    assert any("issued" in r for r in REFS)  # the one field that is not text
    assert any("issued" not in r for r in REFS)


@pytest.mark.parametrize("raw", REFS, ids=lambda r: f"{r['document']} {r.get('article', '')}".strip())
def test_each_bundled_reference_equals_its_validated_form(raw: dict[str, Any]) -> None:
    fast = bundled_reference(raw)
    checked = LegalReference.model_validate(raw)
    assert fast == checked
    assert fast.model_dump() == checked.model_dump()
    assert fast.model_fields_set == checked.model_fields_set  # exclude_unset dumps agree too
    assert type(fast.issued) is type(checked.issued)
    assert str(fast) == str(checked)
    assert counting.cite(fast) == counting.cite(checked)


@pytest.mark.parametrize("key", counting.VERSIONED_RULES)
def test_each_versioned_rule_reads_the_same_validated(key: str) -> None:
    fast = counting._read_versions(key, validate=False)
    checked = counting._read_versions(key, validate=True)
    assert fast == checked
    assert [type(v.valid.start) for v in fast] == [type(v.valid.start) for v in checked]
    assert counting._versions(key) == checked


def test_the_reference_table_and_the_default_office_hours_read_the_same_validated() -> None:
    table = counting.counting_references()
    assert table == {k: LegalReference.model_validate(v["reference"]) for k, v in RAW.items() if isinstance(v, dict)}
    hours = OfficeHours.default()
    assert hours.reference == LegalReference.model_validate(RAW["office_hours"]["reference"])


def test_a_bad_bundled_reference_would_be_caught_by_the_validated_form() -> None:
    """What the comparison guards against: a value the model refuses, which the fast path would let through."""
    raw = {"document": "X", "issued": "2025-02-30"}
    with pytest.raises(ValueError, match="day is out of range"):
        bundled_reference(raw)
    bad_tag = {"document": "X", "tag": "rumour"}
    assert str(bundled_reference(bad_tag).tag) == "rumour"  # not checked here ...
    with pytest.raises(ValueError, match="tag"):
        LegalReference.model_validate(bad_tag)  # ... but the tests above validate every bundled one


def test_a_users_reference_is_still_validated() -> None:
    with pytest.raises(ValueError, match="issued"):
        LegalReference.model_validate({"document": "X", "issued": "not a date"})
    assert LegalReference.model_validate({"document": "X", "issued": "2025-06-09"}).issued == date(2025, 6, 9)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tthc_due_builds_no_pydantic_validator(tmp_path: Path, lang: str) -> None:
    """A warm ``tthc due`` validates nothing: pydantic's validators and its plugin scan (importlib.metadata over every
    installed distribution) are never built. (A cold start compiles the calendar from the validated schedule.)"""
    code = (
        "import sys, io, contextlib\n"
        "from tthc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['due', '--received', '2026-11-20 16:30', '--processing-time', '5 ngày làm việc'])\n"
        "print(sorted(m for m in ('pydantic.plugin._loader', 'importlib.metadata', 'numpy') if m in sys.modules))\n"
    )
    pytest.importorskip("click", reason="the cli extra is not installed")
    env = {**os.environ, "TTHC_CACHE_DIR": str(tmp_path), "TTHC_LANG": lang}
    for _ in ("cold: fills the cache", "warm"):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
