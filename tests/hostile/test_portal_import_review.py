"""Defects of the national-portal import found by the session-10 review and fixed in session 11, each reproduced here
first:

* line ends: an export whose lines end in a lone CR (``\\r``, old Mac) was read as one line; ``\\r``, ``\\n`` and
  ``\\r\\n`` are now line ends alike — plain and gzip, read in one piece or in small pieces (a ``\\r\\n`` split
  between two reads is one line end), in one process and with ``jobs=2``, each line counted once;
* a JSON value that is not text (an object, a list, true/false) in a field read as text was imported as its Python
  repr (``"{'a': 1}"``, ``"True"``); it is now that field's issue ("expected text, got an object") — the record's
  failure for the code — and a number is read as its JSON spelling (``12`` → ``"12"``), with a note;
* a NUL (``\\u0000``) or another C0 control character (tab, line feed and carriage return excepted) decoded from a JSON
  string — at the top level or in a nested value — was imported into the catalog; it now fails its record;
* ``tthc audit`` (and every command loading a catalog through ``load_catalog``) left an export's failed records out
  without a word; a note on stderr now says how many, stdout and the exit code unchanged.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tthc.catalog import Catalog, import_portal, import_portal_files, portal_files, portal_jobs
from tthc.catalog.collection import PortalImport
from tthc.catalog.portal_files import read_portal_jsonl, read_portal_lines
from tthc.cli import main

NATIONAL: dict[str, object] = {
    "ma_thu_tuc": "1.000178",
    "ten_thu_tuc": "Giải quyết khiếu nại",
    "so_quyet_dinh": "QĐ/0001-BCA",
    "cap_thuc_hien": "Cấp bộ",
    "linh_vuc": "Khiếu nại, tố cáo",
    "doi_tuong_thuc_hien": "Công dân Việt Nam",
    "co_quan_thuc_hien": "Thanh tra Bộ",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việcMiễn phíNộp tại trụ sở.",
    "detail_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x",
}
DEFENCE: dict[str, object] = {
    "thu_tuc_id": "1.013124",
    "metadata": {"mã_thủ_tục": "1.013124", "tên_thủ_tục": "Thẩm định kế hoạch", "cấp_thực_hiện": "Cấp Bộ"},
    "content": {"đối_tượng_thực_hiện": "Doanh nghiệp"},
    "tables": {
        "hinh_thuc_nop": [
            {"hinh_thuc": "Trực tiếp", "thoi_han_giai_quyet": "30 Ngày làm việc", "phi_le_phi": "Miễn phí"},
        ],
        "can_cu_phap_ly": [{"so_ky_hieu": "02/2011/QH13", "trich_yeu": "Luật Khiếu nại"}],
    },
}


def national(code: str, **more: object) -> bytes:
    """One national record as a JSON line without its line end."""
    return json.dumps({**NATIONAL, "ma_thu_tuc": code, **more}, ensure_ascii=False).encode()


def outcome(result: PortalImport) -> list[tuple[int, str | None, str, list[tuple[str, str, str]]]]:
    """Each record's (row, code, status, [(field, severity, reason)]): what must not depend on the path taken."""
    return [
        (r.row, r.code, r.status, [(i.field, i.severity, i.reason) for i in r.issues]) for r in result.report.records
    ]


def canonical(result: PortalImport, tmp_path: Path, name: str) -> tuple[bytes, str]:
    """The catalog as written and the report as JSON."""
    out = tmp_path / f"{name}.jsonl"
    result.catalog.dump(out)
    return out.read_bytes(), result.report.model_dump_json()


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Runs of about 200 bytes and a pool from 400 bytes on; counts the imports that started a pool."""
    monkeypatch.setattr(portal_jobs, "RUN_BYTES", 200)
    monkeypatch.setattr(portal_jobs, "POOL_MIN_BYTES", 400)
    pooled: list[int] = []
    real = portal_jobs._pooled

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        pooled.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(portal_jobs, "_pooled", counting)
    return pooled


def every_way(tmp_path: Path, data: bytes, pooled: list[int]) -> PortalImport:
    """``data`` imported plain and gzip-compressed, with jobs=1 and jobs=2: the four results must be equal (catalog
    and report, byte for byte, the source aside); the first is returned."""
    plain = tmp_path / "export.jsonl"
    plain.write_bytes(data)
    packed = tmp_path / "export.jsonl.gz"
    packed.write_bytes(gzip.compress(data))
    first = import_portal_files([plain])
    expected = canonical(first, tmp_path, "first")
    assert canonical(import_portal_files([plain], jobs=2), tmp_path, "plain2") == expected
    for jobs in (1, 2):
        result = import_portal_files([packed], jobs=jobs)
        catalog, report = canonical(result, tmp_path, f"packed{jobs}")
        assert (catalog, report.replace(str(packed).replace("\\", "\\\\"), "SRC")) == (
            expected[0],
            expected[1].replace(str(plain).replace("\\", "\\\\"), "SRC"),
        )
    assert len(pooled) == 2  # the jobs=2 imports went through a pool
    return first


# -- 1. line ends ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("end", [b"\r", b"\r\n", b"\n"], ids=["CR", "CRLF", "LF"])
def test_each_line_end_ends_a_record_on_every_path(tmp_path: Path, pool: list[int], end: bytes) -> None:
    codes = [f"1.{n:06d}" for n in range(1, 9)]
    data = end.join(national(c) for c in codes) + end
    assert len(data) > portal_jobs.POOL_MIN_BYTES
    result = every_way(tmp_path, data, pool)
    assert [str(p.code) for p in result.catalog] == codes
    assert [(r.row, r.status) for r in result.report.records] == [(n, "imported") for n in range(1, 9)]


def test_mixed_line_ends_count_each_line_once(tmp_path: Path, pool: list[int]) -> None:
    lines = [
        national("1.000001") + b"\r\n",  # 1
        b"\r\n",  # 2: blank (not a record)
        b"{broken\r",  # 3: a finding on line 3
        national("1.000002") + b"\n",  # 4
        national("1.000003") + b"\r",  # 5
        b"\r",  # 6: blank
        national("1.000001") + b"\r",  # 7: a duplicate of line 1
        b"[1]\n",  # 8: not an object
        national("1.000004"),  # 9: no line end at the end of the file
    ]
    result = every_way(tmp_path, b"".join(lines), pool)
    assert [str(p.code) for p in result.catalog] == ["1.000001", "1.000002", "1.000003", "1.000004"]
    assert [(r.row, r.status) for r in result.report.records] == [
        (1, "imported"),
        (3, "failed"),
        (4, "imported"),
        (5, "imported"),
        (7, "failed"),
        (8, "failed"),
        (9, "imported"),
    ]
    failed = {r.row: r.issues[-1].reason for r in result.report.failed}
    assert failed[3].startswith("JSON: expected JSON, invalid at column 2")
    assert failed[7] == "duplicate code: already imported from row 1; the first record is kept"
    assert failed[8] == "JSON: expected an object, got list"


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 7, 64])
@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_a_crlf_split_between_two_reads_is_one_line_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, compress: bool
) -> None:
    """The reader reads in pieces: wherever a piece ends (between CR and LF too), the lines are the same."""
    monkeypatch.setattr(portal_files, "_READ", piece)
    data = b'{"a": 1}\r\n\r\n{"b": 2}\r{"c": 3}\n\r{"d": 4}\r\n{"e": 5}'
    path = tmp_path / "lines.jsonl"
    path.write_bytes(gzip.compress(data) if compress else data)
    lines = [(n, line) for n, line in read_portal_lines(path) if isinstance(line, bytes)]
    assert [(n, line.rstrip(b"\r\n")) for n, line in lines] == [
        (1, b'{"a": 1}'),
        (2, b""),
        (3, b'{"b": 2}'),
        (4, b'{"c": 3}'),
        (5, b""),
        (6, b'{"d": 4}'),
        (7, b'{"e": 5}'),
    ]
    assert b"".join(line for _, line in lines) == data  # every byte, once
    records = [(r.row, r.data, r.error) for r in read_portal_jsonl(path)]
    assert records == [
        (1, {"a": 1}, None),
        (2, None, "blank line"),
        (3, {"b": 2}, None),
        (4, {"c": 3}, None),
        (5, None, "blank line"),
        (6, {"d": 4}, None),
        (7, {"e": 5}, None),
    ]


def test_a_long_lone_cr_export_is_still_bounded(tmp_path: Path) -> None:
    """The decompression bound still holds when the lines end in CR (no LF to stop at)."""
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress((national("1.000001") + b"\r") * 2000))
    from tthc.errors import DataFileError

    with pytest.raises(DataFileError, match="decompression bomb"):
        list(read_portal_lines(path, max_decompressed_bytes=100_000))
    assert sum(1 for _ in read_portal_lines(path)) == 2000


# -- 2. values that are not text ------------------------------------------------------------------------------------


def test_an_object_list_or_boolean_in_a_text_field_is_that_fields_issue_never_its_repr(tmp_path: Path) -> None:
    rows = [
        {**NATIONAL, "ma_thu_tuc": "1.000001", "ten_thu_tuc": {"a": 1}},
        {**NATIONAL, "ma_thu_tuc": "1.000002", "linh_vuc": ["Khiếu nại", "tố cáo"]},
        {**NATIONAL, "ma_thu_tuc": "1.000003", "cap_thuc_hien": True},
        {**NATIONAL, "ma_thu_tuc": "1.000004", "cach_thuc_thuc_hien": {"Trực tiếp": "7 Ngày"}},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for result in (import_portal_files([path]), import_portal(rows)):
        catalog, report = result
        assert [str(p.code) for p in catalog] == ["1.000001", "1.000002", "1.000003", "1.000004"]
        assert catalog["1.000001"].name == ""
        assert catalog["1.000002"].field is None
        assert catalog["1.000003"].levels == ()
        assert catalog["1.000004"].channels == ()
        expected = {
            1: ("ten_thu_tuc", '{"a": 1}', "expected text, got an object"),
            2: ("linh_vuc", '["Khiếu nại", "tố cáo"]', "expected text, got a list"),
            3: ("cap_thuc_hien", "true", "expected text, got a boolean (true or false)"),
            4: ("cach_thuc_thuc_hien", '{"Trực tiếp": "7 Ngày"}', "expected text, got an object"),
        }
        for rec in report.records:
            assert rec.status == "imported_with_issues"
            typed = [(i.field, i.text, i.reason) for i in rec.issues if i.reason.startswith("expected text")]
            assert typed == [expected[rec.row]], rec.issues
            assert all(i.severity == "unparsed" for i in rec.issues if i.reason.startswith("expected text"))
        dumped = json.dumps([p.model_dump(mode="json") for p in catalog], ensure_ascii=False)
        for repr_text in ("{'a': 1}", "['Khiếu nại'", "True", "{'Trực tiếp'"):
            assert repr_text not in dumped


def test_an_object_as_the_code_fails_the_record(tmp_path: Path) -> None:
    rows = [
        {**NATIONAL, "ma_thu_tuc": {"ma": "1.000001"}},
        {**DEFENCE, "thu_tuc_id": ["1.013124"], "metadata": {"mã_thủ_tục": ["1.013124"]}},
    ]
    catalog, report = import_portal(rows)
    assert len(catalog) == 0
    assert [(r.row, r.status, r.code) for r in report.records] == [(1, "failed", None), (2, "failed", None)]
    assert [(i.field, i.severity, i.reason) for i in report.records[0].issues] == [
        ("ma_thu_tuc", "error", "expected text, got an object")
    ]
    assert [(i.field, i.severity, i.reason) for i in report.records[1].issues] == [
        ("metadata.mã_thủ_tục", "error", "expected text, got a list")
    ]


def test_a_number_in_a_text_field_is_read_as_its_json_spelling_with_a_note() -> None:
    rows = [
        {**NATIONAL, "ma_thu_tuc": "1.000001", "so_quyet_dinh": 12, "linh_vuc": 1.5},
        {**NATIONAL, "ma_thu_tuc": 12},  # a code the portal never wrote: refused as a code, spelled as given
    ]
    catalog, report = import_portal(rows)
    assert [str(p.code) for p in catalog] == ["1.000001"]
    assert (catalog["1.000001"].decision, catalog["1.000001"].field) == ("12", "1.5")
    first = report.records[0]
    assert first.status == "imported"  # a note does not make an issue of it
    assert [(i.field, i.text, i.severity) for i in first.issues if i.field in ("so_quyet_dinh", "linh_vuc")] == [
        ("linh_vuc", "1.5", "note"),
        ("so_quyet_dinh", "12", "note"),
    ]
    assert {i.reason for i in first.issues if i.field in ("so_quyet_dinh", "linh_vuc")} == {
        "expected text, got a number; read as written"
    }
    second = report.records[1]
    assert (second.status, second.code) == ("failed", "12")


def test_defence_cells_that_are_not_text_are_issues_and_a_zero_fee_stays_zero() -> None:
    row = json.loads(json.dumps(DEFENCE))
    row["tables"]["hinh_thuc_nop"] = [
        {"hinh_thuc": "Trực tiếp", "thoi_han_giai_quyet": 30, "phi_le_phi": 0, "mo_ta": {"x": 1}},
        {"hinh_thuc": ["Trực tuyến"], "thoi_han_giai_quyet": "5 Ngày", "phi_le_phi": "Miễn phí"},
    ]
    row["tables"]["can_cu_phap_ly"] = [{"so_ky_hieu": {"so": 2}, "trich_yeu": "Luật Khiếu nại"}]
    row["metadata"]["tên_thủ_tục"] = False
    catalog, report = import_portal([row])
    proc = catalog["1.013124"]
    assert proc.name == ""
    assert [(o.processing_time_text, o.fee_text, o.note) for o in proc.channels] == [("30", "0", None)]
    assert [b.title for b in proc.legal_basis] == ["Luật Khiếu nại"]
    typed = [(i.field, i.text, i.severity, i.reason) for i in report.records[0].issues if "got " in i.reason]
    assert typed == [
        ("metadata.tên_thủ_tục", "false", "unparsed", "expected text, got a boolean (true or false)"),
        ("tables.hinh_thuc_nop[1].thoi_han_giai_quyet", "30", "note", "expected text, got a number; read as written"),
        ("tables.hinh_thuc_nop[1].phi_le_phi", "0", "note", "expected text, got a number; read as written"),
        ("tables.hinh_thuc_nop[1].mo_ta", '{"x": 1}', "unparsed", "expected text, got an object"),
        ("tables.hinh_thuc_nop[2].hinh_thuc", '["Trực tuyến"]', "unparsed", "expected text, got a list"),
        ("tables.can_cu_phap_ly[1].so_ky_hieu", '{"so": 2}', "unparsed", "expected text, got an object"),
    ]
    assert "{'so': 2}" not in json.dumps([b.model_dump(mode="json") for b in proc.legal_basis])


# -- 3. NUL and other control characters ----------------------------------------------------------------------------

CONTROLS = {
    "NUL": ("\x00", "expected text, got a NUL character (U+0000)"),
    "ESC": ("\x1b", "expected text, got the control character U+001B"),
    "BEL": ("\x07", "expected text, got the control character U+0007"),
    "FF": ("\x0c", "expected text, got the control character U+000C"),
}


@pytest.mark.parametrize(("char", "reason"), CONTROLS.values(), ids=CONTROLS)
def test_a_control_character_in_a_json_string_fails_its_record(
    tmp_path: Path, pool: list[int], char: str, reason: str
) -> None:
    bad = {**NATIONAL, "ma_thu_tuc": "1.000002", "ten_thu_tuc": f"Giải{char} quyết"}
    lines = [national(f"1.{n:06d}") for n in range(3, 9)]
    lines[1:1] = [national("1.000001"), json.dumps(bad, ensure_ascii=False).encode()]  # rows 2 and 3
    data = b"\n".join(lines) + b"\n"
    assert json.dumps(char)[1:-1].encode() in data  # as JSON writes it: an escape (\\u0000, \\u001b, \\f)
    result = every_way(tmp_path, data, pool)
    assert "1.000002" not in result.catalog
    assert len(result.catalog) == 7
    failed = result.report.failed
    assert [(r.row, r.code, r.status) for r in failed] == [(3, "1.000002", "failed")]
    assert [(i.field, i.severity, i.reason) for i in failed[0].issues] == [("ten_thu_tuc", "error", reason)]
    assert failed[0].issues[0].text == f"Giải\\u00{ord(char):02x} quyết"  # shown escaped, never the character
    # the same record given as a dict
    catalog, report = import_portal([bad])
    assert len(catalog) == 0
    assert [(i.field, i.reason) for i in report.records[0].issues] == [("ten_thu_tuc", reason)]


def test_tab_line_feed_and_carriage_return_in_a_json_string_are_text() -> None:
    row = {**NATIONAL, "ten_thu_tuc": "Giải\tquyết\nkhiếu\r\nnại", "yeu_cau_dieu_kien": "a\u000ab"}
    catalog, report = import_portal([json.dumps(row)])
    assert report.records[0].status == "imported"
    assert catalog["1.000178"].name == "Giải\tquyết\nkhiếu\r\nnại"


NESTED_CONTROLS = {
    "json text": '{"mã_thủ_tục": "1.013124", "tên_thủ_tục": "Thủ tục \\u0000 x"}',
    "python repr": "{'mã_thủ_tục': '1.013124', 'tên_thủ_tục': 'Thủ tục \\x00 x'}",
    "python repr, ESC": "{'mã_thủ_tục': '1.013124', 'tên_thủ_tục': 'Thủ tục \\x1b[2J x'}",
}


@pytest.mark.parametrize("metadata", NESTED_CONTROLS.values(), ids=NESTED_CONTROLS)
def test_a_control_character_in_a_nested_value_fails_its_record(tmp_path: Path, metadata: str) -> None:
    good = json.loads(json.dumps(DEFENCE))
    good["thu_tuc_id"] = good["metadata"]["mã_thủ_tục"] = "1.013125"
    bad = {"thu_tuc_id": "1.013124", "metadata": metadata}
    path = tmp_path / "defence.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (good, bad)), encoding="utf-8")
    catalog, report = import_portal_files([path])
    assert [str(p.code) for p in catalog] == ["1.013125"]
    failed = report.records[1]
    assert (failed.row, failed.status) == (2, "failed")
    assert [i.field for i in failed.issues] == ["metadata"]
    assert failed.issues[0].reason.startswith("expected text, got ")


def test_a_control_character_in_a_field_not_read_fails_the_record_too() -> None:
    catalog, report = import_portal([{**NATIONAL, "loai_thu_tuc": "x\x00"}])
    assert len(catalog) == 0
    assert [(i.field, i.reason) for i in report.records[0].issues] == [
        ("loai_thu_tuc", "expected text, got a NUL character (U+0000)")
    ]


# -- 4. a catalog loaded from an export says what it left out -------------------------------------------------------

Main = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Main:
    """``run("audit", ...)`` through ``tthc.cli.main`` in ``tmp_path`` → (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)

    def _run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--lang", "en", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def _exports(tmp_path: Path) -> tuple[Path, Path]:
    good = [national(f"1.{n:06d}") + b"\n" for n in range(1, 4)]
    whole = tmp_path / "whole.jsonl"
    whole.write_bytes(b"".join(good))
    partial = tmp_path / "partial.jsonl.gz"
    partial.write_bytes(gzip.compress(b"".join([good[0], b"{broken\n", good[1], national("1.000001") + b"\n"])
                                      + good[2]))  # fmt: skip
    return whole, partial


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_audit_of_an_export_says_how_many_records_it_left_out(run: Main, tmp_path: Path, as_json: bool) -> None:
    whole, partial = _exports(tmp_path)
    flags = ["--json"] if as_json else []
    code_whole, out_whole, err_whole = run("audit", whole, *flags)
    code, out, err = run("audit", partial, *flags)
    assert err_whole == ""
    assert (code, out) == (code_whole, out_whole)  # the same catalog: stdout and exit code unchanged
    if as_json:
        json.loads(out)
    assert err == (
        f"tthc: note: 2 of 5 records of {partial} could not be imported and are left out "
        f"(tthc import-portal {partial} lists them and why)\n"
    )


def test_every_command_loading_a_catalog_says_it(run: Main, tmp_path: Path) -> None:
    _, partial = _exports(tmp_path)
    records = tmp_path / "records.csv"
    records.write_text("dossier_code,procedure_code\n", encoding="utf-8")
    for command in (["validate", records, "--catalog", partial, "--json"], ["kpi", records, "--catalog", partial]):
        _code, _out, err = run(*command)
        assert "note: 2 of 5 records of" in err, (command, err)


def test_a_whole_catalog_file_gets_no_note(run: Main, tmp_path: Path) -> None:
    whole, _ = _exports(tmp_path)
    catalog = tmp_path / "catalog.json"
    Catalog.from_portal(read_portal_jsonl(whole)).catalog.dump(catalog)
    assert run("audit", catalog, "--json")[2] == ""


def test_import_portal_names_the_field_a_record_failed_on(run: Main, tmp_path: Path) -> None:
    """The failed records' list said why without saying where ("expected text, got the control character U+001B"):
    now with the export's field; a reason about the whole line (not JSON) names none."""
    export = tmp_path / "export.jsonl"
    export.write_bytes(national("1.000001").replace(b'"ten_thu_tuc": "', b'"ten_thu_tuc": "\\u001b') + b"\n{broken\n")
    _code, out, _err = run("import-portal", export)
    assert f"{export}:1 code=1.000001: ten_thu_tuc: expected text, got the control character U+001B" in out
    assert f"{export}:2 code=-: JSON: expected JSON" in out
