"""A catalog file of the wrong shape, refused in the reader's language (issue 14): the top level of the file
(an object with 'procedures', a list of them, text for 'about', no other key) — in English, the message
:meth:`Catalog.load` always gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc.catalog import Catalog
from tthc.errors import DataFileError
from tthc.foundation.error_words import error_text

CASES = [
    (
        "42",
        "{file}: cần một đối tượng JSON có khóa 'procedures' (hoặc một danh sách thủ tục), nhận được int",
        "{file}: expected a JSON object with 'procedures' (or a list), got int",
    ),
    (
        '{"procedures": {"code": "1.000001"}}',
        "{file}: cần 'procedures' là một danh sách, nhận được dict",
        "{file}: expected 'procedures' to be a list, got dict",
    ),
    (
        '{"procedures": [], "about": 3}',
        "{file}: cần 'about' là văn bản, nhận được int",
        "{file}: expected 'about' to be text, got int",
    ),
    (
        '{"procedures": [], "zz": 1, "extra": 2}',
        "{file}: có khóa cấp ngoài cùng không được phép ['extra', 'zz'] (chỉ nhận 'about', 'procedures')",
        "{file}: unexpected top-level keys ['extra', 'zz'] (expected 'about', 'procedures')",
    ),
]


@pytest.mark.parametrize(("text", "vi", "en"), CASES)
def test_a_catalog_of_the_wrong_shape_is_refused_in_each_language(tmp_path: Path, text: str, vi: str, en: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        Catalog.load(path)
    assert error_text(info.value, "vi") == vi.format(file=path)
    assert error_text(info.value, "en") == str(info.value) == en.format(file=path)


def test_the_default_language_is_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"procedures": "none"}), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        Catalog.load(path)
    assert error_text(info.value) == f"{path}: cần 'procedures' là một danh sách, nhận được str"
