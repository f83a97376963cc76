"""A catalog with one procedure code twice, refused in the run's language (issue 14); ``str()`` stays English."""

from __future__ import annotations

import pytest

from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure
from tthc.errors import DuplicateCodeError
from tthc.foundation.error_words import error_text


def test_a_duplicate_procedure_code_names_both_records() -> None:
    records = [
        Procedure(code="1.000001", name="Thủ tục A", source="a.json"),
        Procedure(code="1.000002", name="Thủ tục B"),
        Procedure(code="1.000001", name="Thủ tục C"),
    ]
    with pytest.raises(DuplicateCodeError) as info:
        Catalog(records)
    assert error_text(info.value, "vi") == (
        "mã thủ tục 1.000001 xuất hiện hai lần: bản ghi #0 1.000001 'Thủ tục A', nguồn a.json và bản ghi #2 "
        "1.000001 'Thủ tục C'"
    )
    assert str(info.value) == (
        "procedure code 1.000001 appears twice: record #0 1.000001 'Thủ tục A', source a.json and record #2 "
        "1.000001 'Thủ tục C'"
    )
