"""A bad agency-names file is refused in the run's language (issue 14): the CSV header, a bad row, a JSON item, a
file that cannot be read; ``str()`` stays English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.errors import DataFileError
from tthc.foundation.error_words import error_text
from tthc.kpi.agency_names import AgencyNames


def _refusal(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        AgencyNames.load(path)
    return info.value


def test_a_file_without_the_code_and_name_header(tmp_path: Path) -> None:
    f = tmp_path / "hostname.csv"
    f.write_text("vm\n", encoding="utf-8")
    exc = _refusal(f)
    assert error_text(exc, "vi") == f"{f}: cần dòng tiêu đề CSV có các cột code và name, nhận được ['vm']"
    assert str(exc) == error_text(exc, "en") == f"{f}: expected a CSV header with the columns code and name, got ['vm']"


def test_a_row_without_a_code_or_without_a_name_names_its_line(tmp_path: Path) -> None:
    f = tmp_path / "names.csv"
    f.write_text("code,name\n000.00.12.H21,Sở Tư pháp\n,Sở Y tế\n", encoding="utf-8")
    exc = _refusal(f)
    assert error_text(exc, "vi") == f"{f}: dòng 3: cần một mã cơ quan, nhận được ''"
    assert str(exc) == f"{f}: line 3: expected an agency code, got ''"
    f.write_text("code,name\nH21,\n", encoding="utf-8")
    exc = _refusal(f)
    assert error_text(exc, "vi") == f"{f}: dòng 2: cần tên của cơ quan H21, nhận được ''"
    assert str(exc) == f"{f}: line 2: expected a name for H21, got ''"


def test_json_forms_name_the_key_or_the_item(tmp_path: Path) -> None:
    f = tmp_path / "names.json"
    f.write_text('{"H21": " "}', encoding="utf-8")
    assert error_text(_refusal(f), "vi") == f"{f}: khóa 'H21': cần tên của cơ quan H21, nhận được ' '"
    f.write_text('[{"code": "H21", "name": "Sở Tư pháp"}, {"code": "", "name": "Sở Y tế"}]', encoding="utf-8")
    exc = _refusal(f)
    assert error_text(exc, "vi") == f"{f}: mục 1: cần một mã cơ quan, nhận được ''"
    assert str(exc) == f"{f}: item 1: expected an agency code, got ''"
    f.write_text('"H21"', encoding="utf-8")
    assert error_text(_refusal(f), "vi") == f"{f}: cần một đối tượng mã -> tên hoặc một danh sách {{code, name}}"


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    exc = _refusal(missing)
    # the system's own reason (strerror, English from the C library) inside a Vietnamese frame
    assert error_text(exc, "vi") == f"{missing}: không đọc được danh sách tên cơ quan (No such file or directory)"
    assert str(exc) == f"{missing}: cannot read the agency names (No such file or directory)"
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,name\nH21,S\xe1\n".encode("latin-1"))
    assert error_text(_refusal(latin), "vi").startswith(f"{latin}: không đọc được danh sách tên cơ quan ('utf-8' codec")


def test_the_default_language_is_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    f = tmp_path / "names.csv"
    f.write_text("ma,ten\nH21,Sở Tư pháp\n", encoding="utf-8")
    assert error_text(_refusal(f)) == f"{f}: cần dòng tiêu đề CSV có các cột code và name, nhận được ['ma', 'ten']"


def test_the_cli_line_is_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("click", reason="the cli extra is not installed")
    from tthc.cli import main

    f = tmp_path / "hostname"
    f.write_text("vm\n", encoding="utf-8")
    assert main(["--lang", "vi", "kpi", "--sample", "--agency-names", str(f)]) == 2
    err = capsys.readouterr().err
    assert err == f"tthc: {f}: cần dòng tiêu đề CSV có các cột code và name, nhận được ['vm']\n"
