"""Importing the national portal's exports: both real shapes, bad input, duplicates, the report and the CLI.

Sources: domain.md §1 (the published fields and the two export shapes in data/real), data/real/README.md (what makes
the data hard), issue 2 item 7 (conformance targets: every record accounted for, >= 99 % of channel rows with an
explicit processing time, >= 97 % of fee texts parsed).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.catalog.collection import Catalog, PortalImport, import_portal, import_portal_files
from tthc.catalog.model import Level, Tri
from tthc.catalog.portal_files import RawRecord, read_portal_jsonl
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import DataFileError
from tthc.foundation.channels import Channel
from tthc.foundation.money import Money

NATIONAL = {
    "ma_thu_tuc": "1.000178",
    "ten_thu_tuc": "Giải quyết khiếu nại",
    "so_quyet_dinh": "QĐ/0001-BCA",
    "cap_thuc_hien": "Cấp bộ, Cấp tỉnh",
    "linh_vuc": "Khiếu nại, tố cáo",
    "doi_tuong_thuc_hien": "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam",
    "co_quan_thuc_hien": "Thanh tra Bộ",
    "co_quan_co_tham_quyen": "Bộ Công an",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến40 NgàyMiễn phíDịch vụ bưu chính"
    "15Miễn phíTrực tiếp7 Ngày làm việc2,000,000 Việt Nam Đồng(2.000.000 đồng/lần)Nộp tại trụ sở.",
    "yeu_cau_dieu_kien": "Người khiếu nại phải trực tiếp đến; không được ủy quyền.",
    "ket_qua_xu_ly": "Quyết định giải quyết khiếu nạiMã: KQ.G01.00262Từ khóaKhông có thông tinMô tảKhông có thông tin",
    "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Khiếu nại02/2011/QH13Luật 51/2019/QH1451/2019/QH14",
    "detail_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x",
}

DEFENCE = {
    "thu_tuc_id": "1.013124",
    "metadata": {
        "mã_thủ_tục": "1.013124",
        "tên_thủ_tục": "Thẩm định kế hoạch ứng phó sự cố tràn dầu",
        "số_quyết_định": "Quyết định số 6225/QĐ-BQP",
        "cấp_thực_hiện": "Cấp Bộ",
        "lĩnh_vực": "Ứng phó sự cố tràn dầu",
    },
    "content": {"đối_tượng_thực_hiện": "Doanh nghiệp", "yêu_cầu_điều_kiện_thực_hiện": "Không"},
    "tables": {
        "hinh_thuc_nop": [
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "30 Ngày làm việc",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "",
            },
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "Không quy định",
                "phi_le_phi": "Lệ phí : 1.5 USD",
                "mo_ta": "trường hợp phức tạp",
            },
            {
                "hinh_thuc": "Dịch vụ bưu chính",
                "thoi_han_giai_quyet": "0.5 Giờ",
                "phi_le_phi": "Phí :  Đồng",
                "mo_ta": "",
            },
        ],
        "can_cu_phap_ly": [{"so_ky_hieu": "12/2021/QĐ-TTg", "trich_yeu": "Quy chế ứng phó sự cố tràn dầu"}],
    },
    "_source_path": "data/extracted_fixed/1.013124.json",
}


def test_national_shape_domain_1() -> None:
    """domain.md §1: flat fields and the flattened channel table of portal_national_2642."""
    catalog, report = import_portal([NATIONAL])
    p = catalog["1.000178"]
    assert p.levels == (Level.MINISTRY, Level.PROVINCE)
    assert p.audience == ("Tổ chức (không bao gồm doanh nghiệp, HTX)", "Công dân Việt Nam")
    assert p.agencies == ("Thanh tra Bộ", "Bộ Công an")
    assert [o.channel for o in p.channels] == [Channel.ONLINE, Channel.POSTAL, Channel.DIRECT]
    online, postal, direct = p.channels
    assert online.processing_time == ProcessingTime.calendar_days(40)
    assert online.fees[0].free
    assert postal.processing_time == ProcessingTime(TimeUnit.UNKNOWN_UNIT, 15)  # a bare number: never guessed
    assert direct.fees[0].amount == Money.vnd(2_000_000)
    assert direct.note == "Nộp tại trụ sở."
    assert (p.requires_personal_presence, p.authorisation_allowed) == (Tri.YES, Tri.NO)
    assert p.result == "Quyết định giải quyết khiếu nạiMã: KQ.G01.00262"
    assert [b.number for b in p.legal_basis] == ["02/2011/QH13", "51/2019/QH14"]
    assert p.legal_basis[1].title == "Luật 51/2019/QH14"
    (rec,) = report.records
    assert rec.status == "imported"
    assert rec.row == 1
    assert rec.shape == "national"
    assert [r.time_status for r in rec.channel_rows] == ["parsed", "unknown_unit", "parsed"]
    notes = {i.field for i in rec.issues if i.severity == "note"}
    assert {"requires_personal_presence", "authorisation_allowed"} <= notes  # the evidence is reported


def test_defence_shape_two_rows_per_channel() -> None:
    """data/real README: tables.hinh_thuc_nop rows; a channel may have two rows (normal / complex case)."""
    catalog, report = import_portal([DEFENCE])
    p = catalog["1.013124"]
    assert p.decision == "6225/QĐ-BQP"
    assert p.levels == (Level.MINISTRY,)
    assert len(p.options(Channel.DIRECT)) == 2
    normal, complex_, postal = p.channels
    assert normal.fees[0].free
    assert normal.processing_time == ProcessingTime.working_days(30)
    assert complex_.processing_time == ProcessingTime.unspecified()
    assert complex_.fees[0].amount == Money.of("1.5", "USD")
    assert postal.processing_time is None
    assert postal.processing_time_text == "0.5 Giờ"
    assert p.conditions is None  # "Không" is the portal's "nothing"
    (rec,) = report.records
    assert rec.status == "imported_with_issues"
    unparsed = {(i.field, i.text) for i in rec.issues if i.severity == "unparsed"}
    assert ("channels[3](postal).processing_time", "0.5 Giờ") in unparsed
    assert any(f.endswith(".fee") for f, _ in unparsed)


def test_defence_values_given_as_python_repr_strings_are_decoded() -> None:
    row = dict(DEFENCE)
    row["metadata"] = repr(DEFENCE["metadata"])
    row["tables"] = {"hinh_thuc_nop": [repr(r) for r in DEFENCE["tables"]["hinh_thuc_nop"]]}  # type: ignore[index]
    catalog, report = import_portal([row])
    assert len(catalog["1.013124"].channels) == 3
    assert any("Python repr" in i.reason for i in report.records[0].issues)


def test_unknown_channel_label_is_reported_not_dropped() -> None:
    row = json.loads(json.dumps(DEFENCE))
    row["tables"]["hinh_thuc_nop"][0]["hinh_thuc"] = "Fax"
    catalog, report = import_portal([row])
    assert len(catalog["1.013124"].channels) == 2
    assert any(i.text == "Fax" and "unknown channel" in i.reason for i in report.records[0].issues)


def test_bad_rows_become_failed_entries() -> None:
    """Bad input: malformed JSON, wrong encoding, missing or impossible code, unknown shape — all accounted for."""
    rows: list[object] = [
        "{not json",
        b'{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "\xff"}',
        {"ten_thu_tuc": "no code", "ma_thu_tuc": ""},
        {"ma_thu_tuc": "1.0001", "ten_thu_tuc": "bad code"},
        {"foo": 1},
        "[1, 2]",
        42,
        NATIONAL,
    ]
    catalog, report = import_portal(rows, source="mixed")
    assert len(report) == len(rows)
    assert len(catalog) == 1
    reasons = [r.issues[0].reason for r in report.records[:-1]]
    assert [r.status for r in report.records] == ["failed"] * 7 + ["imported"]
    assert "JSON" in reasons[0]
    assert "UTF-8" in reasons[1]
    assert "missing" in reasons[2]
    assert "procedure_code" in reasons[3]
    assert "unknown record shape" in reasons[4]
    assert "expected an object" in reasons[5]
    assert "int" in reasons[6]
    assert [r.row for r in report.records] == list(range(1, 9))


def test_duplicates_keep_the_first_and_report_the_second() -> None:
    second = dict(NATIONAL, ten_thu_tuc="Bản trùng")
    catalog, report = import_portal([NATIONAL, DEFENCE, second])
    assert catalog["1.000178"].name == "Giải quyết khiếu nại"
    dup = report.records[2]
    assert dup.status == "failed"
    assert dup.code == "1.000178"
    assert "duplicate code: already imported from row 1" in dup.issues[-1].reason
    assert report.coverage.failed == 1
    assert report.coverage.records_in == 3


def test_result_unpacks_and_from_portal() -> None:
    result = Catalog.from_portal([NATIONAL])
    assert isinstance(result, PortalImport)
    catalog, report = result
    assert catalog is result.catalog
    assert report is result.report


def test_read_portal_jsonl_gz_and_plain(tmp_path: Path) -> None:
    lines = [json.dumps(NATIONAL, ensure_ascii=False).encode(), b"", b"{broken", json.dumps(DEFENCE).encode()]
    gz = tmp_path / "x.jsonl.gz"
    with gzip.open(gz, "wb") as fh:
        fh.write(b"\n".join(lines) + b"\n")
    plain = tmp_path / "x.jsonl"
    plain.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    for path in (gz, plain):
        recs = list(read_portal_jsonl(path))
        assert [r.row for r in recs] == [1, 2, 3, 4]
        assert recs[1].error == "blank line"
        assert recs[2].error is not None
        assert "JSON" in recs[2].error
        catalog, report = import_portal_files([path])
        assert len(report) == 3
        assert len(catalog) == 2
    with pytest.raises(DataFileError, match="cannot open"):
        list(read_portal_jsonl(tmp_path / "missing.jsonl"))


def test_truncated_gzip_is_a_report_entry(tmp_path: Path) -> None:
    gz = tmp_path / "t.jsonl.gz"
    data = gzip.compress((json.dumps(NATIONAL) + "\n").encode() * 50)
    gz.write_bytes(data[: len(data) // 2])
    recs = list(read_portal_jsonl(gz))
    assert recs[-1].error is not None
    assert "unreadable" in recs[-1].error


@settings(max_examples=60)
@given(st.lists(st.one_of(st.text(max_size=40), st.binary(max_size=40), st.just(NATIONAL)), max_size=8))
def test_importer_never_drops_a_row(rows: list[object]) -> None:
    """Property: any junk in, exactly one report entry per input row out; every procedure comes from some row."""
    catalog, report = import_portal(rows)
    assert len(report) == len(rows)
    assert len(catalog) == sum(1 for r in report.records if r.status != "failed")


def test_raw_records_pass_through() -> None:
    rec = RawRecord("f.jsonl", 7, data=NATIONAL)
    _, report = import_portal([rec])
    assert (report.records[0].source, report.records[0].row) == ("f.jsonl", 7)


# -- CLI ------------------------------------------------------------------------------------------------------------


def _write(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_cli_import_portal_text_and_out(tmp_path: Path) -> None:
    from tthc.cli._app import group

    src = _write(tmp_path, [NATIONAL, DEFENCE])
    out = tmp_path / "cat.json"
    args = ["import-portal", str(src), "--out", str(out), "--min-time", "0", "--min-fee", "0"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0, result.output
    assert "2 records in" in result.output
    assert "unparsed texts" in result.output
    assert len(Catalog.load(out)) == 2


def test_cli_import_portal_json_and_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    src = _write(tmp_path, [NATIONAL, "{broken"])
    assert main(["import-portal", str(src), "--json", "--records"]) == 1  # a failed record is a finding
    doc = json.loads(capsys.readouterr().out)
    assert doc["coverage"]["records_in"] == 2
    assert doc["coverage"]["failed"] == 1
    assert doc["failed"][0]["row"] == 2
    assert len(doc["records"]) == 2
    assert doc["targets"]["met"] is False


# -- conformance on the real exports (issue 2 item 7) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_import(real_data: Path) -> PortalImport:
    return import_portal_files([real_data / "portal_national_2642.jsonl.gz", real_data / "portal_defence_207.jsonl.gz"])


@pytest.mark.realdata
def test_real_every_record_accounted_for(real_import: PortalImport) -> None:
    catalog, report = real_import
    assert len(report) == 2849
    assert len(catalog) + len(report.failed) == 2849
    assert len(catalog) == 2849  # none dropped: every record imported


@pytest.mark.realdata
def test_real_coverage_targets(real_import: PortalImport) -> None:
    cov = real_import.report.coverage
    assert cov.share_time_explicit >= 0.99, cov
    assert cov.share_fee_parsed >= 0.97, cov
    assert cov.channel_rows == sum(len(p.channels) for p in real_import.catalog)


@pytest.mark.realdata
def test_real_unparsed_texts_stay_visible(real_import: PortalImport) -> None:
    catalog, report = real_import
    unparsed_rows = [o for p in catalog for o in p.channels if o.processing_time is None]
    assert all(o.processing_time_text or o.note or not o.fee_text for o in unparsed_rows)
    assert report.unparsed_texts(None)  # listed, with counts
    assert sum(u.count for u in report.unparsed_texts(None)) >= report.coverage.time_status.get("unparsed", 0)


@pytest.mark.realdata
def test_real_catalog_round_trips(real_import: PortalImport, tmp_path: Path) -> None:
    catalog = real_import.catalog
    assert Catalog.load(catalog.dump(tmp_path / "real.jsonl")).procedures == catalog.procedures


@pytest.mark.realdata
def test_real_cli_meets_the_targets(real_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    files = [str(real_data / "portal_national_2642.jsonl.gz"), str(real_data / "portal_defence_207.jsonl.gz")]
    assert main(["import-portal", *files, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["coverage"]["records_in"] == 2849
    assert doc["targets"]["met"] is True


def test_national_record_without_channel_rows_is_imported_and_flagged() -> None:
    row = dict(NATIONAL, cach_thuc_thuc_hien="Hình thức nộpThời gianPhí, lệ phíMô tảXem tại Bộ phận Một cửa")
    catalog, report = import_portal([row])
    assert catalog["1.000178"].channels == ()
    (rec,) = report.records
    assert rec.status == "imported_with_issues"
    assert any(
        i.reason == "no channel row found in the table" and i.text == "Xem tại Bộ phận Một cửa" for i in rec.issues
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=60).filter(lambda b: b"\n" not in b and b"\r" not in b), max_size=10))
def test_reader_accounts_for_every_line_of_a_junk_file(lines: list[bytes]) -> None:
    """Property: a file of arbitrary byte lines gives one record per line (blank lines said so), nothing raised."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "junk.jsonl.gz"
        with gzip.open(path, "wb") as fh:
            fh.write(b"\n".join(lines) + (b"\n" if lines else b""))
        recs = list(read_portal_jsonl(path))
        assert len(recs) == len(lines)
        assert [r.row for r in recs] == list(range(1, len(lines) + 1))
        records = sum(1 for r in recs if r.error != "blank line")
        if records == 0:  # nothing but blank lines: a failed download, refused whole
            with pytest.raises(DataFileError, match="expected an export holding at least one record"):
                import_portal_files([path])
            return
        _, report = import_portal_files([path])
        assert len(report) == records


def test_double_encoded_text_is_flagged_not_changed() -> None:
    """Bad input 'wrong encodings': UTF-8 read as Latin-1 ('Ä\\x90Äƒng kÃ½') is imported as given, with a warning."""
    garbled = "Đăng ký khai sinh".encode().decode("latin-1")
    catalog, report = import_portal([dict(NATIONAL, ten_thu_tuc=garbled)])
    assert catalog["1.000178"].name == garbled
    warning = next(i for i in report.records[0].issues if i.field == "name")
    assert warning.severity == "warning"
    assert "'Đăng ký khai sinh'" in warning.reason
    _, clean = import_portal([NATIONAL])
    assert not any(i.field == "name" for i in clean.records[0].issues)


def test_two_spellings_of_one_code_never_make_two_procedures() -> None:
    """Issue 11: a full-width '１.０００１７８' was imported beside '1.000178' (two copies of one procedure). Non-ASCII
    codes are refused (docs/catalog.md), so the second spelling is a failed record naming the character."""
    rows = [
        {"ma_thu_tuc": "1.000178", "ten_thu_tuc": "A"},
        {"ma_thu_tuc": "１.０００１７８", "ten_thu_tuc": "A again"},
        {"ma_thu_tuc": " 1.000178 ", "ten_thu_tuc": "A, spaced"},
    ]
    catalog, report = tthc.import_portal(rows)
    assert [str(p.code) for p in catalog] == ["1.000178"]
    statuses = [r.status for r in report.records]
    assert statuses[0] != "failed"
    assert statuses[1:] == ["failed", "failed"]
    assert "non-ASCII character" in report.records[1].issues[0].reason
    assert "duplicate code" in report.records[2].issues[-1].reason


@pytest.mark.parametrize(
    ("time_text", "status"),
    [
        ("5 giờ 30 phút", "unparsed"),
        ("1 ngày 4 giờ", "unparsed"),
        ("-5 Ngày làm việc", "unparsed"),
        ("5 Giờ", "parsed"),
    ],
)
def test_compound_and_negative_times_are_reported_unparsed_with_the_reason(time_text: str, status: str) -> None:
    row = {
        "metadata": {"mã_thủ_tục": "1.000178", "tên_thủ_tục": "A"},
        "tables": {"hinh_thuc_nop": [{"hinh_thuc": "Trực tiếp", "thoi_han_giai_quyet": time_text, "phi_le_phi": ""}]},
    }
    catalog, report = tthc.import_portal([row])
    assert report.records[0].channel_rows[0].time_status == status
    option = catalog["1.000178"].channels[0]
    if status == "unparsed":
        assert option.processing_time is None
        assert option.processing_time_text == time_text
        reasons = [i.reason for i in report.records[0].issues if i.field.endswith("processing_time")]
        assert reasons
        assert "compound" in reasons[0] or "negative" in reasons[0]
