"""The readers' findings in the run's language (issue 14): ``E_ENCODING``, ``E_SCHEMA``, ``E_TYPE`` and
``E_UNREADABLE_RANGE`` are written by readers that know no language; the validator rewrites them in
``ValidationOptions.lang``. Both readers (pyarrow and plain Python) give the same text in either language, and the
English text is the one the readers always wrote."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.chunks import RowProblem, localize
from tthc.records.readers import open_records
from tthc.testing.record_files import row, write_csv
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions

CAT = Catalog.sample()
READER_CODES = ("E_ENCODING", "E_SCHEMA", "E_TYPE", "E_UNREADABLE_RANGE", "E_DOSSIER_CODE", "W_AGENCY_CODE")

CSV_VI = [
    (1, "channel", "cần direct|online|postal (trực tiếp|trực tuyến|bưu chính) hoặc mã của Cổng 1|2|3, nhận được 'fax'"),
    (
        2,
        "received_at",
        "cần ngày giờ theo ISO 8601 hoặc 'dd/mm/yyyy [HH:MM[:SS]]' (không ghi múi giờ = giờ Việt Nam), nhận được "
        "'03/03/25 09:00' (năm ghi 2 chữ số không rõ nghĩa: hãy ghi đủ 4 chữ số)",
    ),
    (3, "fee_vnd", "cần một số nguyên từ 0 đến 999999999999999999, nhận được '-5'"),
    (4, "online_level", "cần 1-4, full (toàn trình) hoặc partial (một phần), nhận được '9'"),
    (
        4,
        "status",
        "cần mã trạng thái của Cổng từ 1 đến 10 hoặc tên trạng thái (received, processing, returned, ...), "
        "nhận được 'bogus'",
    ),
    (
        5,
        "dossier_code",
        "cần dạng '<mã cơ quan>-YYMMDD-NNNN' (TT 01/2018 Điều 19, ví dụ '000.00.53.H48-220921-0099'), dạng rút gọn "
        "cũ ('H21.65-220914-0011') hoặc từ 10 đến 20 chữ số, nhận được 'ABC'",
    ),
    (5, "agency_code", "cần dạng 'ddd.dd.dd.Hdd' (QCVN 102:2016, ví dụ '000.00.00.H49'), nhận được 'H21'"),
    (
        6,
        "due_at",
        "cần ngày giờ theo ISO 8601 hoặc 'dd/mm/yyyy [HH:MM[:SS]]' (không ghi múi giờ = giờ Việt Nam), nhận được "
        "'31/02/2025' (tháng 02/2025 chỉ có 28 ngày)",
    ),
    (
        7,
        "(row)",
        "cần 20 trường phân tách bằng ',', nhận được 21 (dòng bị cắt cụt hoặc sai định dạng, hoặc dấu ngoặc kép chưa "
        "được đóng)",
    ),
    (
        8,
        "(row)",
        "cần văn bản theo bảng mã utf-8, nhận được các byte không giải mã được b'\\xff' tại byte 52 của dòng "
        "(dùng --encoding để đọc tệp theo bảng mã khác)",
    ),
]
CSV_EN = [  # what the readers wrote before the messages could be translated, byte for byte
    (1, "channel", "expected direct|online|postal or the portal code 1|2|3, got 'fax'"),
    (
        2,
        "received_at",
        "expected an ISO 8601 datetime or 'dd/mm/yyyy [HH:MM[:SS]]' (no zone = Vietnam time), got '03/03/25 09:00' "
        "(a 2-digit year is ambiguous: write the year in full)",
    ),
    (3, "fee_vnd", "expected a whole number from 0 to 999999999999999999, got '-5'"),
    (4, "online_level", "expected 1-4, full or partial, got '9'"),
    (4, "status", "expected a portal status code 1-10 or its name (received, processing, returned, ...), got 'bogus'"),
    (
        5,
        "dossier_code",
        "expected '<agency id>-YYMMDD-NNNN' (TT 01/2018 Điều 19, e.g. '000.00.53.H48-220921-0099'), a short legacy "
        "form ('H21.65-220914-0011') or 10-20 digits, got 'ABC'",
    ),
    (5, "agency_code", "expected 'ddd.dd.dd.Hdd' (QCVN 102:2016, e.g. '000.00.00.H49'), got 'H21'"),
    (
        6,
        "due_at",
        "expected an ISO 8601 datetime or 'dd/mm/yyyy [HH:MM[:SS]]' (no zone = Vietnam time), got '31/02/2025' "
        "(02/2025 has 28 days)",
    ),
    (
        7,
        "(row)",
        "expected 20 fields separated by ',', got 21 (a truncated or malformed line, or an unterminated quote)",
    ),
    (
        8,
        "(row)",
        "expected text in utf-8, got undecodable bytes b'\\xff' at byte 52 of the line (pass --encoding to read the "
        "file in another encoding)",
    ),
]
JSONL_VI = [
    (2, "cần một đối tượng JSON, nhận được list"),
    (
        3,
        "cần một đối tượng JSON, nhận được JSON không hợp lệ tại cột 2: "
        "cần tên thuộc tính đặt trong dấu ngoặc kép",  # the decoder's message worded too
    ),
    (4, "cần mỗi cột một khóa, nhận được 'dossier_code' và 'MaHoSo' cho cột 'dossier_code'"),
    (5, "cần một đối tượng JSON, nhận được một giá trị lồng nhau quá sâu, không đọc được"),
    (6, "cần một đối tượng JSON chứa văn bản, nhận được một mã thoát surrogate đứng riêng (\\ud800-\\udfff)"),
]
JSONL_EN = [
    (2, "expected a JSON object, got list"),
    (3, "expected a JSON object, got invalid JSON at column 2: Expecting property name enclosed in double quotes"),
    (4, "expected one key per column, got 'dossier_code' and 'MaHoSo' for 'dossier_code'"),
    (5, "expected a JSON object, got a value nested too deeply to read"),
    (6, "expected a JSON object of text, got a lone surrogate escape (\\ud800-\\udfff)"),
]


@pytest.fixture(scope="module")
def bad_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = write_csv(
        tmp_path_factory.mktemp("csv") / "bad.csv",
        [
            row(channel="fax"),
            row(received_at="03/03/25 09:00"),
            row(fee_vnd="-5"),
            row(status="bogus", online_level="9"),
            row(dossier_code="ABC", agency_code="H21"),
            row(due_at="31/02/2025"),
            row(),
            row(),
        ],
    )
    lines = p.read_bytes().rstrip(b"\n").split(b"\n")
    lines[7] += b",extra"  # one field too many
    lines[8] = lines[8].replace(b"online", b"onl\xffne", 1)  # not UTF-8
    p.write_bytes(b"\n".join(lines) + b"\n")
    return p


@pytest.fixture(scope="module")
def bad_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("jsonl") / "bad.jsonl"
    lines = [
        json.dumps(row(), ensure_ascii=False),
        "[1, 2]",
        "{bad",
        json.dumps({**row(), "MaHoSo": "X"}),  # two keys for dossier_code
        "[" * 100_000,
        '{"a": "\\ud800"}',
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _reader_findings(path: Path, arrow: bool, options: ValidationOptions) -> list[tuple[int, str, str]]:
    found = []
    for chunk in open_records(path, use_pyarrow=arrow, encoding="utf-8"):
        result = validate_chunk(chunk, CAT, options)
        found += [(p.row, p.field, p.message) for p in result.findings if p.code in READER_CODES]
    return found


@pytest.mark.parametrize("arrow", [True, False], ids=["pyarrow", "python"])
def test_csv_reader_findings_in_vietnamese_and_english(bad_csv: Path, arrow: bool) -> None:
    vi = _reader_findings(bad_csv, arrow, ValidationOptions(lang="vi"))
    assert vi == CSV_VI
    assert all(unicodedata.is_normalized("NFC", m) for *_, m in vi)
    assert _reader_findings(bad_csv, arrow, ValidationOptions(lang="en")) == CSV_EN


@pytest.mark.parametrize("arrow", [True, False], ids=["pyarrow", "python"])
def test_jsonl_reader_findings_in_vietnamese_and_english(bad_jsonl: Path, arrow: bool) -> None:
    vi = _reader_findings(bad_jsonl, arrow, ValidationOptions(lang="vi"))
    assert [(r, m) for r, _, m in vi] == JSONL_VI
    assert [(r, m) for r, _, m in _reader_findings(bad_jsonl, arrow, ValidationOptions(lang="en"))] == JSONL_EN


def test_the_default_language_is_vietnamese(bad_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    assert _reader_findings(bad_csv, False, ValidationOptions()) == CSV_VI


def test_an_unreadable_row_group_in_vietnamese(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    p = tmp_path / "corrupt.parquet"
    rows = [row(dossier_code=f"000.00.12.H21-250303-{i:04d}") for i in range(1, 7)]
    table = pa.table({k: [r[k] or None for r in rows] for k in rows[0]})
    pq.write_table(table, p, row_group_size=2, compression="NONE", use_dictionary=False)
    start = pq.ParquetFile(p).metadata.row_group(1).column(0).data_page_offset
    data = bytearray(p.read_bytes())
    data[start : start + 12] = b"\xff" * 12  # a corrupt data page in row group 2 of 3
    p.write_bytes(bytes(data))
    found = {}
    for lang in ("vi", "en"):
        found[lang] = [
            (f.row, f.message)
            for chunk in open_records(p)
            for f in validate_chunk(chunk, CAT, ValidationOptions(lang=lang)).findings
            if f.code == "E_UNREADABLE_RANGE"
        ]
    assert [r for r, _ in found["vi"]] == [3, 4]
    error = found["en"][0][1].split(": ", 1)[1]  # pyarrow's own words, kept as they are
    assert found["en"][0][1] == f"row group 2 (rows 3-4 of the file) could not be read: {error}"
    assert found["vi"][0][1] == f"không đọc được nhóm dòng 2 (các dòng 3-4 của tệp): {error}"


def test_a_problem_is_worded_again_from_what_it_says_not_from_its_last_language() -> None:
    said = words(N_("expected {expected}, got {given}"), expected=words(N_("1-4, full or partial")), given="'x'")
    p = RowProblem.of("f.csv", 3, "online_level", "E_TYPE", said, "x")
    assert p.message == "expected 1-4, full or partial, got 'x'"
    vi = p.in_language("vi")
    assert vi.message == "cần 1-4, full (toàn trình) hoặc partial (một phần), nhận được 'x'"
    assert vi.in_language("vi") == vi  # the run may localize the same problem twice
    assert vi.in_language("en").message == p.message
    assert vi != p  # what is shown differs
    assert RowProblem("f.csv", 3, "online_level", "E_TYPE", p.message, "x") == p  # ``said`` is not compared


def test_a_problem_with_a_final_message_is_left_as_it_is() -> None:
    plain = (RowProblem("f.csv", 1, "(row)", "E_SCHEMA", "some text"),)
    assert localize(plain, "vi") is plain
    assert plain[0].in_language("vi") is plain[0]
