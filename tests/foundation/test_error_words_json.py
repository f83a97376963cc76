"""A broken JSON input worded in the reader's language (issue 14): the decoder's own message ("Expecting ','
delimiter"), its line and column, and the reader's other refusals (NUL, NaN, huge integers, deep nesting) — one
wording in tthc.foundation.data_files, used by every reader that reports a JSON error. English is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc.errors import DataFileError
from tthc.foundation.data_files import decoder_reason, iter_json_lines, parse_json_text, read_json_file, try_parse_json
from tthc.foundation.error_words import error_text


def _refused(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        read_json_file(path)
    return info.value


def test_a_broken_data_file_in_vietnamese_and_in_english(tmp_path: Path) -> None:
    bad = tmp_path / "rules.json"
    bad.write_text('{"a": 1,\n "b": 2\n "c": 3}', encoding="utf-8")
    exc = _refused(bad)
    assert error_text(exc, "vi") == f"{bad}: cần JSON hợp lệ, lỗi tại dòng 3 cột 2: thiếu dấu phân cách ','"
    english = f"{bad}: expected JSON, invalid at line 3 column 2: Expecting ',' delimiter"
    assert error_text(exc, "en") == str(exc) == english


def test_the_default_language_is_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert error_text(_refused(bad)) == f"{bad}: cần JSON hợp lệ, lỗi tại dòng 1 cột 6: thiếu dấu phân cách ','"


def test_a_broken_json_line_names_its_line(tmp_path: Path) -> None:
    lines = tmp_path / "catalog.jsonl"
    lines.write_text('{"a": 1}\n\n{"b" 2}\n', encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        list(iter_json_lines(lines))
    assert error_text(info.value, "vi") == f"{lines}: dòng 3: cần JSON hợp lệ, lỗi tại cột 6: thiếu dấu phân cách ':'"
    assert str(info.value) == f"{lines}: line 3: expected JSON, invalid at column 6: Expecting ':' delimiter"


# one text per message of CPython's decoder (json/decoder.py, Modules/_json.c)
_DECODER_MESSAGES = [
    ("", "Expecting value", "thiếu một giá trị JSON"),
    ('{"a": 1 "b": 2}', "Expecting ',' delimiter", "thiếu dấu phân cách ','"),
    ('{"a" 1}', "Expecting ':' delimiter", "thiếu dấu phân cách ':'"),
    ("{'a': 1}", "Expecting property name enclosed in double quotes", "cần tên thuộc tính đặt trong dấu ngoặc kép"),
    ('["abc', "Unterminated string starting at", "chuỗi bắt đầu tại đây không có dấu ngoặc kép đóng"),
    ('["a\tb"]', "Invalid control character at", "ký tự điều khiển không hợp lệ trong chuỗi"),
    ('["a\\qb"]', "Invalid \\escape", "chuỗi thoát (\\) không hợp lệ"),
    ('["\\u12"]', "Invalid \\uXXXX escape", "chuỗi thoát \\uXXXX không hợp lệ"),
    ("[1] [2]", "Extra data", "có dữ liệu thừa sau giá trị JSON"),
]


@pytest.mark.parametrize(("text", "english", "vietnamese"), _DECODER_MESSAGES)
def test_every_decoder_message_is_worded(text: str, english: str, vietnamese: str) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    assert info.value.msg == english  # the decoder's message, as this Python writes it
    reason = decoder_reason(info.value)
    assert (reason.text("en"), reason.text("vi")) == (english, vietnamese)


@pytest.mark.parametrize(
    ("msg", "vietnamese"),
    [
        # the pure-Python decoder (no C accelerator) names the character; Python 3.13 adds the trailing commas
        ("Invalid control character '\\n' at", "ký tự điều khiển '\\n' không hợp lệ trong chuỗi"),
        ("Invalid \\escape: 'q'", "chuỗi thoát (\\) không hợp lệ: 'q'"),
        ("Illegal trailing comma before end of object", "dấu phẩy thừa trước dấu đóng đối tượng"),
        ("Illegal trailing comma before end of array", "dấu phẩy thừa trước dấu đóng mảng"),
    ],
)
def test_the_messages_of_other_decoders_are_worded(msg: str, vietnamese: str) -> None:
    reason = decoder_reason(json.JSONDecodeError(msg, "[]", 1))
    assert (reason.text("en"), reason.text("vi")) == (msg, vietnamese)


def test_an_unknown_decoder_message_falls_back_to_its_english_text() -> None:
    reason = decoder_reason(json.JSONDecodeError("Something new went wrong", "[]", 1))
    assert reason.text("vi") == reason.text("en") == "Something new went wrong"


@pytest.mark.parametrize(
    ("text", "english", "vietnamese"),
    [
        (
            '{"a": [1, NaN]}',
            "a[1]: expected a finite number (NaN and Infinity are not JSON), got NaN",
            "a[1]: cần một số hữu hạn (NaN và Infinity không phải JSON), nhận được NaN",
        ),
        (
            "[" + "9" * 30 + "]",
            "[0]: expected an integer within ±9223372036854775807, got 999999999999… (30 digits)",
            "[0]: cần một số nguyên trong khoảng ±9223372036854775807, nhận được 999999999999… (30 chữ số)",
        ),
        (
            "1e999",
            "(top level): expected a finite number (NaN and Infinity are not JSON), got 1e999",
            "(cấp ngoài cùng): cần một số hữu hạn (NaN và Infinity không phải JSON), nhận được 1e999",
        ),
        (
            '{\n"a":\n "x\x00"}',
            "expected JSON text, got a NUL character at line 3 column 4",
            "cần văn bản JSON, gặp ký tự NUL tại dòng 3 cột 4",
        ),
        (
            "[" * 10_000 + "]" * 10_000,
            "expected JSON nested at most 64 levels, got deeper",
            "cần JSON lồng nhau tối đa 64 cấp, nhận được sâu hơn",
        ),
    ],
)
def test_the_readers_own_refusals_are_worded(text: str, english: str, vietnamese: str) -> None:
    _, problem = try_parse_json(text)
    assert problem is not None
    assert (problem.text("en"), problem.text("vi")) == (english, vietnamese)
    with pytest.raises(DataFileError) as info:
        parse_json_text(text, "in.json")
    assert str(info.value) == f"in.json: {english}"
    assert error_text(info.value, "vi") == f"in.json: {vietnamese}"


def test_deep_nesting_found_by_the_walk_names_its_path() -> None:
    # the decoder reads 70 levels of objects within Python's recursion limit; the walk refuses them with the path
    text = '{"k": ' * 70 + "1" + "}" * 70
    _, problem = try_parse_json(text)
    assert problem is not None
    assert problem.text("en").endswith("…: expected JSON nested at most 64 levels, got deeper")
    assert problem.text("vi").endswith("…: cần JSON lồng nhau tối đa 64 cấp, nhận được sâu hơn")


def test_a_json_line_of_a_record_file_is_worded_the_same_way(tmp_path: Path) -> None:
    from tthc.records.readers import open_records

    src = tmp_path / "records.jsonl"
    src.write_text('{"dossier_id": "a"}\n{"dossier_id" "b"}\n', encoding="utf-8")
    problems = [p for chunk in open_records(src) for p in chunk.problems]
    assert [p.message for p in problems] == [
        "expected a JSON object, got invalid JSON at column 15: Expecting ':' delimiter"
    ]
    assert [p.in_language("vi").message for p in problems] == [
        "cần một đối tượng JSON, nhận được JSON không hợp lệ tại cột 15: thiếu dấu phân cách ':'"
    ]


def test_a_broken_json_line_raised_by_the_record_iterator_is_worded(tmp_path: Path) -> None:
    from tthc.errors import InvalidValueError
    from tthc.records.readers import iter_records

    src = tmp_path / "records.jsonl"
    src.write_text('{"dossier_id" "b"}\n', encoding="utf-8")
    with pytest.raises(InvalidValueError) as info:
        list(iter_records(src))
    assert error_text(info.value, "vi").endswith(
        """cần một dòng đọc được, nhận được '{"dossier_id" "b"}' (cần một đối tượng JSON"""
        ", nhận được JSON không hợp lệ tại cột 15: "
        "thiếu dấu phân cách ':')"
    )
    assert str(info.value).endswith(
        """expected a readable row, got '{"dossier_id" "b"}' (expected a JSON object"""
        ", got invalid JSON at column 15: "
        "Expecting ':' delimiter)"
    )


def test_a_data_file_that_does_not_fit_its_model_is_worded() -> None:
    from pydantic import BaseModel, field_validator

    from tthc.foundation.data_files import validate_data
    from tthc.foundation.ids import ProcedureCode

    class Rule(BaseModel):
        days: int
        code: str = "1.000178"

        @field_validator("code")
        @classmethod
        def _code(cls, value: str) -> str:
            return str(ProcedureCode(value))

    with pytest.raises(DataFileError) as info:
        validate_data(Rule, {"days": "năm"}, "rules.json")
    assert str(info.value) == (
        "rules.json: days: Input should be a valid integer, unable to parse string as an integer (given 'năm')"
    )
    assert error_text(info.value, "vi") == (
        "rules.json: days: cần một số nguyên hợp lệ, không đọc được chuỗi thành số nguyên (nhận được 'năm')"
    )
    with pytest.raises(DataFileError) as info:
        validate_data(Rule, {"days": 3, "code": "1.0001"}, "rules.json")
    assert str(info.value).startswith("rules.json: code: Value error, procedure_code: expected 'd.dddddd'")
    assert error_text(info.value, "vi").startswith("rules.json: code: procedure_code: cần dạng 'd.dddddd'")
    assert error_text(info.value, "vi").endswith(", nhận được '1.0001' (nhận được '1.0001')")
    with pytest.raises(DataFileError) as info:
        validate_data(Rule, [], "rules.json")
    assert error_text(info.value, "vi") == (
        "rules.json: (cấp ngoài cùng): cần một đối tượng JSON hợp lệ hoặc một đối tượng Rule (nhận được [])"
    )


def test_a_data_file_that_cannot_be_read_as_text_is_worded(tmp_path: Path) -> None:
    cases = [
        (tmp_path / "missing.json", None, "{p}: data file not found", "{p}: không tìm thấy tệp dữ liệu"),
        (tmp_path, None, "{p}: expected a file, got a directory", "{p}: cần một tệp, nhận được một thư mục"),
        (
            tmp_path / "latin.json",
            '{"tên": 1}'.encode("cp1258"),
            "{p}: expected UTF-8 text, got undecodable byte 0xea at offset 3",
            "{p}: cần văn bản UTF-8, gặp byte không giải mã được 0xea ở vị trí 3",
        ),
        (
            tmp_path / "wide.json",
            '{"a": 1}'.encode("utf-16-le"),
            "{p}: expected UTF-8 text, got bytes that look like UTF-16-LE without a byte-order mark (NUL bytes between "
            "the characters); save the file as UTF-8",
            "{p}: cần văn bản UTF-8, nhận được các byte giống UTF-16-LE không có dấu thứ tự byte (BOM) (byte NUL xen "
            "giữa các ký tự); hãy lưu tệp dưới dạng UTF-8",
        ),
        (
            tmp_path / "bom.json",
            b"\xff\xfe" + b"\x00\xd8",
            "{p}: expected UTF-16-LE text after its byte-order mark, got undecodable bytes at offset 2",
            "{p}: cần văn bản UTF-16-LE sau dấu thứ tự byte (BOM), gặp byte không giải mã được ở vị trí 2",
        ),
    ]
    for path, data, english, vietnamese in cases:
        if data is not None:
            path.write_bytes(data)
        exc = _refused(path)
        assert (str(exc), error_text(exc, "vi")) == (english.format(p=path), vietnamese.format(p=path))


def test_a_value_that_is_not_json_text_is_worded() -> None:
    with pytest.raises(DataFileError) as info:
        parse_json_text(12, "in.json", line=4)  # type: ignore[arg-type]
    assert str(info.value) == "in.json: line 4: expected JSON text, got int"
    assert error_text(info.value, "vi") == "in.json: dòng 4: cần văn bản JSON, nhận được int"


def test_a_catalog_file_with_a_bad_procedure_is_worded(tmp_path: Path) -> None:
    from tthc.catalog import Catalog

    bad = tmp_path / "cat.jsonl"
    bad.write_text('{"code": "1.000178", "name": "A"}\n\n{"code": 5, "name": 7}\n', encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        Catalog.load(bad)
    assert str(info.value) == (
        f"{bad}: line 3 (code 5): field code: Input should be a valid string, got 5 (+1 more errors)"
    )
    assert error_text(info.value, "vi") == (
        f"{bad}: dòng 3 (mã 5): trường code: cần một chuỗi văn bản hợp lệ, nhận được 5 (+1 lỗi khác)"
    )
