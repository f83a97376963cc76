"""A Vietnamese run says everything in Vietnamese (issue 14): the one-line errors of every command — the library's
refusals, click's own usage errors, the CLI's checks — and the headings of the tables, with ``TTHC_LANG`` unset.

Each line is run as a user would type it; it must exit 2 and hold none of a small list of English words. A few lines
are checked exactly; ``--lang en`` keeps the English wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tthc.cli import main

pytest.importorskip("click", reason="the cli extra is not installed")

SAMPLE = "src/tthc/data/sample_dossiers.csv"
DUE = ["due", "--received", "2026-02-13", "--processing-time", "5 ngày làm việc"]
# wrong values for each kind of option: dates, numbers, choices, codes, files, outputs, languages, thresholds
WRONG = [
    ["due", "--received", "30/02/2026", "--processing-time", "5 ngày"],
    ["due", "--received", "2026-02-13 25:00", "--processing-time", "5 ngày"],
    ["due", "--received", "2026-02-13", "--processing-time", "5"],
    ["due", "--received", "2026-02-13", "--processing-time", "abc"],
    ["due", "--received", "2026-02-13", "--processing-time", "-5 ngày"],
    ["due", "--received", "2026-02-13", "--processing-time", "99999999999 ngày"],
    ["due", "--received", "2026-02-13", "--channel", "fax", "--processing-time", "5 ngày"],
    ["due", "--received", "2026-02-13", "--procedure", "9.999999"],
    ["due", "--received", "2026-02-13", "--procedure", "1.0001"],
    ["due", "--received", "2026-02-13", "--processing-time", "5 ngày", "--reductions", "nofile.json"],
    ["due", "--processing-time", "5 ngày"],
    ["--lang", "fr", *DUE],
    ["quote", "1.000894", "--channel", "direct", "--on", "13/02/26"],
    ["quote", "1.000894", "--channel", "online", "--postal", "send"],
    ["quote", "1.000894", "--channel", "postal", "--postal", "fly"],
    ["quote", "1.000894", "--channel", "postal", "--postal", "both", "--route", "mars"],
    ["quote", "1.000894", "--channel", "postal", "--postal", "both", "--weight", "-5"],
    ["quote", "1.000894", "--channel", "postal", "--postal", "both", "--beneficiary", "nobody"],
    ["quote", "1.000894"],
    ["eligibility", "1.000894", "--service", "fly"],
    ["eligibility", "1.000894", "--agency", "H 21"],
    ["eligibility", "1.000894", "--on", "2026-02-30"],
    ["eligibility", "1.0001"],
    ["validate", "nofile.csv"],
    ["validate", "--sample", "--format", "xml"],
    ["validate", "--sample", "--workers", "0"],
    ["validate", "--sample", "--encoding", "rot13"],
    ["validate", "--sample", "--delimiter", ";;"],
    ["validate", "--sample", "--as-of", "2026-13-01"],
    ["validate", "--sample", "--alias", "foo"],
    ["validate", "--sample", "--mapping", "nofile.json"],
    ["validate", "--sample", "--report", SAMPLE],
    ["validate", "--sample", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
    ["kpi", "--sample", "--threshold", "bcci_received_share=abc"],
    ["kpi", "--sample", "--threshold", "bcci_received_share"],
    ["kpi", "--sample", "--threshold", "nonexistent=0.2"],
    ["kpi", "--sample", "--min-dossiers", "-1"],
    ["kpi", "--sample", "--period", "2026-13"],
    ["kpi", "--sample", "--by", "nothing"],
    ["kpi", "--sample", "--html", SAMPLE],
    ["import-portal", "nofile.json"],
    ["schema", "nothing"],
    ["audit", "--nothing"],
]
ENGLISH = re.compile(
    r"\b(expected|got|not|must|one of|file|invalid|missing|such|does|exist|range|option|value|see|catalog|"
    r"procedure|no|is|the)\b",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def _vietnamese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)


def _error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 2, args
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line
    return err.removeprefix("tthc: ").rstrip("\n")


def _words(line: str) -> str:
    """The line without what the user typed: quoted values, option names and paths are theirs, not ours."""
    line = re.sub(r"'[^']*'|\"[^\"]*\"", "''", line)
    return re.sub(r"--[\w-]+|\S*/\S*|\S+\.(?:json|csv)\b", "", line)


@pytest.mark.parametrize("args", WRONG, ids=[" ".join(a) for a in WRONG])
def test_every_error_line_is_vietnamese(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(args, capsys)
    assert not ENGLISH.findall(_words(line)), line


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--lang", "fr", *DUE],
            "--lang: cần 'vi' (tiếng Việt) hoặc 'en' (tiếng Anh), nhận được 'fr'",
        ),
        (
            ["validate", "--sample", "--report", SAMPLE],
            "--report: cần một tệp không trùng với tệp đầu vào nào, nhận được 'src/tthc/data/sample_dossiers.csv' "
            "(đó là tệp đầu vào {input} (FILES); ghi vào sẽ làm mất tệp này — hãy chọn đường dẫn khác)",
        ),
        (
            ["kpi", "--sample", "--threshold", "bcci_received_share=abc"],
            "--threshold: cần một tỷ lệ từ 0 đến 1 (hoặc phần trăm như 20%), nhận được 'abc'",
        ),
        (
            ["quote", "1.000894", "--channel", "online", "--postal", "send"],
            "postal: cần return (hoặc không dùng) cho hồ sơ nộp trực tuyến, nhận được 'send' (hình thức nộp)",
        ),
        (
            ["due", "--received", "2026-02-13", "--procedure", "9.999999"],
            "thủ tục 9.999999 không có trong danh mục TTHC",
        ),
        (
            ["validate", "--sample", "--format", "xml"],
            "validate: Giá trị không hợp lệ cho '--format': 'xml' không phải là một trong 'csv', 'jsonl', 'parquet'. "
            "(xem 'tthc validate --help')",
        ),
        (
            ["due", "--received", "2026-02-13", "--processing-time", "5"],
            "--processing-time: cần một thời hạn kèm đơn vị, ví dụ '5 ngày làm việc' hoặc '5 ngày', nhận được '5' "
            "(một con số không kèm đơn vị thì không rõ đơn vị, và tthc không đoán)",
        ),
    ],
)
def test_some_lines_exactly(args: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _error(args, capsys) == line.format(input=Path(SAMPLE).resolve())


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--lang", "en", "eligibility", "1.000894", "--agency", "H 21"],
            "agency: expected a province code ('H21') or an agency id ('000.00.00.H21'), got 'H 21'",
        ),
        (
            ["--lang", "en", "kpi", "--sample", "--threshold", "bcci_received_share=abc"],
            "--threshold: expected a ratio 0-1 (or a percentage such as 20%), got 'abc'",
        ),
        (
            ["--lang", "en", "validate", "--sample", "--format", "xml"],
            "validate: Invalid value for '--format': 'xml' is not one of 'csv', 'jsonl', 'parquet'. "
            "(see 'tthc validate --help')",
        ),
        (
            ["--lang", "en", "due", "--received", "2026-02-13", "--procedure", "9.999999"],
            "procedure 9.999999 is not in the catalog",
        ),
    ],
)
def test_english_stays_english(args: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _error(args, capsys) == line


def test_the_timeliness_headings_of_validate_are_worded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample"]) in (0, 1)  # 0: no error-level finding in the sample
    vi = " ".join(capsys.readouterr().out.split())
    for heading in ("trước hạn", "đúng hạn", "quá hạn", "chưa xác định"):
        assert heading in vi
    assert "on_time" not in vi
    assert "open_overdue" not in vi
    assert main(["--lang", "en", "validate", "--sample"]) in (0, 1)
    en = capsys.readouterr().out
    assert "on_time" in en
    assert "open_within_time" in en


def test_the_readers_file_errors_are_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    assert _error(["validate", str(empty)], capsys) == f"{empty}: tệp trống (cần một dòng tiêu đề ghi tên các cột)"
    semi = tmp_path / "semi.csv"
    semi.write_text("dossier_code;procedure_code;agency_code;channel;received_at\n", encoding="utf-8")
    line = _error(["validate", str(semi), "--delimiter", ","], capsys)
    assert line.startswith(f"{semi}: dòng tiêu đề: thiếu (các) cột bắt buộc dossier_code, procedure_code, ")
    assert line.endswith(" — dòng tiêu đề có vẻ phân cách bằng ';', không phải ',': hãy truyền --delimiter ';'")
    assert not ENGLISH.findall(_words(line))
