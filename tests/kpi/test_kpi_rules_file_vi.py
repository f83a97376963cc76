"""A KPI rules file that does not fit, refused in the reader's language (issue 14): the file named, what it should
look like, the field and what it expected — in English, the message :meth:`KpiRules.load` always gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc.errors import DataFileError
from tthc.foundation.error_words import error_text
from tthc.kpi.indicators import KpiRules


def test_a_kpi_rules_file_that_does_not_fit_is_refused_in_each_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TTHC_LANG")  # the default is Vietnamese
    path = tmp_path / "kpi.json"
    path.write_text(json.dumps({"indicators": {"on_time_share": {"threshold": "high"}}}), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        KpiRules.load(path)
    assert error_text(info.value) == (
        f"{path}: cần các quy tắc KPI theo mẫu tthc/data/kpi_rules.json: indicators.on_time_share.threshold: "
        "cần một số hợp lệ, không đọc được chuỗi thành số (nhận được 'high')"
    )
    assert (
        error_text(info.value, "en")
        == str(info.value)
        == (
            f"{path}: expected KPI rules like tthc/data/kpi_rules.json: indicators.on_time_share.threshold: "
            "Input should be a valid number, unable to parse string as a number (given 'high')"
        )
    )
