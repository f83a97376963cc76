"""Validation messages in Vietnamese (issue 14): one language per run (``ValidationOptions.lang``, resolved once);
codes and fields stay English; the report in vi and in en differs only in the message column."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.errors import InvalidValueError
from tthc.testing.record_files import HEADER, row, write_csv
from tthc.validation.chunk import validate_chunk
from tthc.validation.context import ValidationOptions
from tthc.validation.rules import CHECKS, MESSAGES, check_title, message
from tthc.validation.run import FindingWriter, validate_files

CAT = Catalog.sample()
BAD = [
    row(procedure_code="9.999999"),
    row(procedure_code="2.000884", channel="online", due_at=""),
    row(channel="postal", tracking_number="EB123456789VN"),
    row(status="processing", finished_at="2025-03-05 10:00"),
]


def _findings(lang: str) -> list[tuple[int, str, str, str]]:
    chunk = {k: [r[k] for r in BAD] for k in HEADER}
    result = validate_chunk(chunk, CAT, ValidationOptions(lang=lang))
    return [(p.row, p.field, p.code, p.message) for p in result.findings]


def test_a_small_bad_chunk_in_vietnamese_and_in_english() -> None:
    vi, en = _findings("vi"), _findings("en")
    assert [f[:3] for f in vi] == [f[:3] for f in en]  # the same findings, codes and fields
    by_code_vi = {code: msg for _, _, code, msg in vi}
    by_code_en = {code: msg for _, _, code, msg in en}
    assert by_code_vi["E_UNKNOWN_PROCEDURE"] == "thủ tục 9.999999 không có trong danh mục TTHC"
    assert by_code_en["E_UNKNOWN_PROCEDURE"] == "procedure 9.999999 is not in the catalog"
    assert by_code_vi["E_CHANNEL_NOT_OFFERED"] == (
        "thủ tục 2.000884 không công bố cách thức trực tuyến (đã công bố: trực tiếp)"
    )
    assert by_code_en["E_CHANNEL_NOT_OFFERED"] == "procedure 2.000884 publishes no online channel (published: direct)"
    assert by_code_vi["E_TRACKING_CHECK_DIGIT"] == ("cần chữ số kiểm tra 5 cho dãy số 12345678, nhận được 9 (UPU S10)")
    assert by_code_en["E_TRACKING_CHECK_DIGIT"] == "expected check digit 5 for serial 12345678, got 9 (UPU S10)"
    assert by_code_vi["W_STATUS"] == "trạng thái processing nhưng finished_at là 2025-03-05 10:00:00"
    assert all(unicodedata.is_normalized("NFC", m) for *_, m in vi)


def test_the_report_file_keeps_codes_and_fields_in_english(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "bad.csv", BAD)
    reports = {}
    for lang in ("vi", "en"):
        out = tmp_path / f"report_{lang}.csv"
        with FindingWriter(out) as writer:
            validate_files([src], CAT, ValidationOptions(lang=lang), report=writer)
        with out.open(encoding="utf-8", newline="") as fh:
            reports[lang] = list(csv.DictReader(fh))
    vi, en = reports["vi"], reports["en"]
    assert len(vi) == len(en) > 0
    for a, b in zip(vi, en, strict=True):
        assert {k: v for k, v in a.items() if k != "message"} == {k: v for k, v in b.items() if k != "message"}
    unknown = next(r for r in vi if r["code"] == "E_UNKNOWN_PROCEDURE")
    assert unknown["message"] == "thủ tục 9.999999 không có trong danh mục TTHC"


def test_a_postal_ineligible_row_gives_the_reason_in_the_run_language() -> None:
    passport = row(procedure_code="2.002209", channel="postal", tracking_number="EB123456785VN", due_at="")
    chunk = {k: [passport[k]] for k in HEADER}
    vi = validate_chunk(chunk, CAT, ValidationOptions(lang="vi")).findings
    msg = next(p.message for p in vi if p.code == "E_POSTAL_INELIGIBLE")
    assert msg.startswith("thủ tục 2.002209 không thực hiện được qua dịch vụ bưu chính công ích: ")
    assert "[quyết định] người nộp hồ sơ phải có mặt trực tiếp và không được ủy quyền cho người khác" in msg


def test_the_language_is_resolved_once_when_the_options_are_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG")
    options = ValidationOptions()
    assert options.lang == "vi"  # the default
    monkeypatch.setenv("TTHC_LANG", "en")
    assert options.lang == "vi"  # a run (and its Dask workers) keeps the language it was made with
    assert ValidationOptions(lang="EN_us").lang == "en"
    with pytest.raises(InvalidValueError):
        ValidationOptions(lang="fr")


def test_every_template_and_check_title_is_translated() -> None:
    for name in MESSAGES:
        assert message(name, "en") == MESSAGES[name]
        assert message(name, "vi") != MESSAGES[name] or "{what}" in MESSAGES[name], name
    for code in CHECKS:
        assert check_title(code, "en") == CHECKS[code].title
        assert check_title(code, "vi") != CHECKS[code].title, code
