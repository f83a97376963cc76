"""A record rules file that does not fit, refused in the reader's language (issue 14): the file named, what it
should look like, the field and what it expected — in English, the message :meth:`RecordRules.load` always gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc.errors import DataFileError
from tthc.foundation.error_words import error_text
from tthc.validation.rules import RecordRules


def test_a_record_rules_file_that_does_not_fit_is_refused_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"bogus": 5}), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        RecordRules.load(path)
    assert error_text(info.value, "vi") == (
        f"{path}: cần các quy tắc kiểm tra hồ sơ theo mẫu tthc/data/record_rules.json: "
        "supplement_request_within_working_days: cần một giá trị (trường này là bắt buộc) (nhận được {'bogus': 5})"
    )
    assert (
        error_text(info.value, "en")
        == str(info.value)
        == (
            f"{path}: expected record rules like tthc/data/record_rules.json: supplement_request_within_working_days: "
            "Field required (given {'bogus': 5})"
        )
    )
