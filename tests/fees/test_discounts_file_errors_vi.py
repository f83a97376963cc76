"""A discounts file refused in the run's language (issue 14): the file's name, then the value error worded as the
library words it; ``str()`` stays English."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tthc.errors import DataFileError
from tthc.fees.discounts import DiscountSet
from tthc.foundation.data_files import load_json
from tthc.foundation.error_words import error_text


def _file(tmp_path: Path, **changes: object) -> Path:
    raw = copy.deepcopy(load_json("discounts.json"))  # the bundled data is cached: never mutate it
    raw["discounts"][0].update(changes)
    f = tmp_path / "giảm cước.json"
    f.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return f


def test_a_percentage_out_of_range(tmp_path: Path) -> None:
    f = _file(tmp_path, percent="130")
    with pytest.raises(DataFileError) as info:
        DiscountSet.load(f)
    assert error_text(info.value, "vi") == (
        f"{f}: percent: cần một tỷ lệ phần trăm từ 0 đến 100, nhận được Fraction(130, 1) (gia_lai_659_2020)"
    )
    assert (
        str(info.value) == f"{f}: percent: expected a percentage from 0 to 100, got Fraction(130, 1) (gia_lai_659_2020)"
    )


def test_the_default_language_is_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    f = _file(tmp_path, percent="-1")
    with pytest.raises(DataFileError) as info:
        DiscountSet.load(f)
    assert error_text(info.value) == (
        f"{f}: percent: cần một tỷ lệ phần trăm từ 0 đến 100, nhận được Fraction(-1, 1) (gia_lai_659_2020)"
    )
