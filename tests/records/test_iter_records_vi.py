"""A row :func:`~tthc.records.readers.iter_records` cannot turn into a record, worded in the reader's language
(issue 14): the place (``dòng 2, trường fee_vnd``) and why (what pydantic expected, or the library error a field
validator raised) — in English, the message the reader always wrote."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tthc.errors import InvalidValueError
from tthc.foundation.error_words import error_text
from tthc.records.readers import iter_records
from tthc.testing.record_files import row, write_csv


def _refused(path: Path) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        list(iter_records(path))
    return info.value


def test_a_field_pydantic_refuses_is_worded_in_vietnamese(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "r.csv", [row(), row(fee_vnd="abc")])
    exc = _refused(src)
    vi = error_text(exc, "vi")
    assert vi.startswith(f"{src}: dòng 2, trường fee_vnd: cần một bản ghi hồ sơ hợp lệ, nhận được {{'dossier_code': ")
    assert vi.endswith("'fee_vnd': 'abc'} (cần một số nguyên hợp lệ, không đọc được chuỗi thành số nguyên)")
    en = str(exc)
    assert error_text(exc, "en") == en
    assert en.startswith(f"{src}: row 2 fee_vnd: expected a valid dossier record, got {{'dossier_code': ")
    assert en.endswith("'fee_vnd': 'abc'} (1 validation error for DossierRecord)")
    assert exc.field == f"{src}: row 2 fee_vnd"  # English, for programs


def test_a_library_error_of_a_field_validator_is_worded_in_vietnamese(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "r.csv", [row(), row(), row(channel="fax")])
    vi = error_text(_refused(src), "vi")
    assert vi.startswith(f"{src}: dòng 3, trường channel: cần một bản ghi hồ sơ hợp lệ, nhận được ")
    assert vi.endswith(
        "(channel: cần direct|online|postal, 1|2|3, hoặc 'Trực tiếp'|'Trực tuyến'|'Dịch vụ bưu chính', nhận được 'fax')"
    )


def test_an_unreadable_row_names_its_row_in_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")  # the default is Vietnamese
    src = tmp_path / "r.jsonl"
    src.write_text('{"dossier_id": "a"}\n{"dossier_id" "b"}\n', encoding="utf-8")
    exc = _refused(src)
    assert error_text(exc).startswith(f"{src}: dòng 2: cần một dòng đọc được, nhận được ")
    assert str(exc).startswith(f"{src}: row 2: expected a readable row, got ")


def test_a_worded_place_survives_pickling(tmp_path: Path) -> None:
    exc = _refused(write_csv(tmp_path / "r.csv", [row(supplement_count="x")]))
    back = pickle.loads(pickle.dumps(exc))
    assert (str(back), error_text(back, "vi")) == (str(exc), error_text(exc, "vi"))
    assert "dòng 1, trường supplement_count: " in error_text(back, "vi")


def test_a_json_constant_that_is_no_number_is_worded_in_vietnamese(tmp_path: Path) -> None:
    from tthc.records.readers import open_records

    src = tmp_path / "r.jsonl"
    src.write_text('{"dossier_code": "a", "fee_vnd": NaN}\n{"fee_vnd": -Infinity}\n', encoding="utf-8")
    problems = [p for chunk in open_records(src) for p in chunk.problems]
    assert [p.in_language("vi").message for p in problems] == [
        "cần một đối tượng JSON, nhận được NaN, không phải một số trong JSON",
        "cần một đối tượng JSON, nhận được -Infinity, không phải một số trong JSON",
    ]
    assert [p.message for p in problems] == [
        "expected a JSON object, got NaN is not a number in JSON",
        "expected a JSON object, got -Infinity is not a number in JSON",
    ]
