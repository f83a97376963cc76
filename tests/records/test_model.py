"""DossierRecord, the column mapping (portal sync names, domain.md §1) and datetime reading."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.channels import Channel
from tthc.records.model import (
    CANONICAL_COLUMNS,
    REQUIRED_COLUMNS,
    VN_TZ,
    ColumnMapping,
    DossierRecord,
    DossierStatus,
    parse_local_datetime,
)


def test_canonical_columns_are_the_documented_ones() -> None:
    """design.md, 'Dossier records (the canonical columns)'."""
    assert CANONICAL_COLUMNS == (
        "dossier_code", "procedure_code", "agency_code", "channel", "online_level", "received_at", "due_at",
        "finished_at", "returned_at", "result_channel", "status", "supplement_requested_at",
        "supplement_completed_at", "supplement_count", "extended_due_at", "fee_vnd", "postage_vnd", "tracking_number",
    )  # fmt: skip


def test_record_from_portal_sync_names() -> None:
    """Portal sync codes (domain.md §1): KenhThucHien 3 = postal, TrangThaiHoSo 10 = result returned."""
    rec = DossierRecord.from_row(
        {
            "MaHoSo": "000.00.53.H48-220921-0099",
            "MaTTHC": "1.001193",
            "MaDonVi": "000.00.53.h48",
            "KenhThucHien": "3",
            "NgayTiepNhan": "21/09/2022 08:30",
            "NgayHenTra": "2022-09-21T17:00:00",
            "NgayKetThucXuLy": "21/09/2022",
            "TrangThaiHoSo": 10,
            "SoHieuBuuGui": "EB123456785VN",
            "Unrelated": "ignored",
        }
    )
    assert rec.channel is Channel.POSTAL
    assert rec.status is DossierStatus.RETURNED
    assert rec.agency_code == "000.00.53.H48"
    assert rec.received_at == datetime(2022, 9, 21, 8, 30, tzinfo=VN_TZ)
    offset = rec.received_at.utcoffset()
    assert offset is not None
    assert offset.total_seconds() == 7 * 3600
    assert rec.finished_at == datetime(2022, 9, 21, tzinfo=VN_TZ)
    assert rec.tracking_number == "EB123456785VN"
    assert rec.supplement_count == 0


def test_record_blank_cells_are_missing_and_bad_values_name_the_field() -> None:
    base = {"dossier_code": "H21.65-220914-0011", "procedure_code": "1.001193", "agency_code": "X",
            "channel": "online", "received_at": "2022-09-14 10:00", "due_at": "  "}  # fmt: skip
    assert DossierRecord.model_validate(base).due_at is None
    with pytest.raises(ValueError, match="channel"):
        DossierRecord.model_validate({**base, "channel": "fax"})
    with pytest.raises(ValueError, match="tracking_number"):
        DossierRecord.model_validate({**base, "tracking_number": "EB123456789VN"})  # wrong S10 check digit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-13 16:30", datetime(2026, 2, 13, 16, 30)),
        ("2026-02-13T16:30:05", datetime(2026, 2, 13, 16, 30, 5)),
        ("13/02/2026", datetime(2026, 2, 13)),
        ("13/02/2026 16:30", datetime(2026, 2, 13, 16, 30)),
        ("3/2/2026 07:05:09", datetime(2026, 2, 3, 7, 5, 9)),
        ("2026-02-13T09:30:00Z", datetime(2026, 2, 13, 16, 30)),
        ("2026-02-13T16:30:00+07:00", datetime(2026, 2, 13, 16, 30)),
    ],
)
def test_datetimes_without_zone_are_vietnam_time(text: str, expected: datetime) -> None:
    assert parse_local_datetime(text) == expected.replace(tzinfo=VN_TZ)


def test_datetime_error_names_field_expected_and_given() -> None:
    with pytest.raises(InvalidValueError) as err:
        parse_local_datetime("31/02/2026", "received_at")
    assert err.value.field == "received_at"
    assert "dd/mm/yyyy" in err.value.expected
    assert err.value.given == "31/02/2026"


@pytest.mark.parametrize(("code", "status"), [(i, s) for i, s in enumerate(DossierStatus, start=1)])
def test_status_portal_codes_1_to_10(code: int, status: DossierStatus) -> None:
    """domain.md §1 portal status codes: 1 new ... 10 result returned."""
    assert DossierStatus.parse(code) is status
    assert DossierStatus.parse(str(code)) is status
    assert status.portal_code == code


def test_status_labels_and_errors() -> None:
    assert DossierStatus.parse("Đã trả kết quả") is DossierStatus.RETURNED
    assert DossierStatus.parse("supplement requested") is DossierStatus.SUPPLEMENT_REQUESTED
    assert DossierStatus.WITHDRAWN.is_terminal
    assert not DossierStatus.PROCESSING.is_terminal
    with pytest.raises(InvalidValueError, match="status"):
        DossierStatus.parse(11)


def test_mapping_matches_names_loosely() -> None:
    m = ColumnMapping.default()
    assert m.canonical("MaHoSo") == "dossier_code"
    assert m.canonical("ma_ho_so") == "dossier_code"
    assert m.canonical("Ngày tiếp nhận") == "received_at"
    assert m.canonical("NGAYHENTRA") == "due_at"
    assert m.canonical("dossier code") == "dossier_code"
    assert m.canonical("something else") is None


def test_missing_required_column_is_named() -> None:
    header = ["MaHoSo", "MaTTHC", "KenhThucHien", "NgayTiepNhan"]
    with pytest.raises(DataFileError, match="agency_code") as err:
        ColumnMapping.default().resolve(header, file="x.csv")
    assert "x.csv" in str(err.value)
    assert "MaDonVi" in str(err.value)


def test_two_columns_for_one_canonical_is_an_error() -> None:
    with pytest.raises(DataFileError, match="both map to 'dossier_code'"):
        ColumnMapping.default().resolve(["MaHoSo", "dossier_code", "MaTTHC", "MaDonVi", "KenhThucHien", "NgayTiepNhan"])


def test_user_overrides_the_mapping(tmp_path: Path) -> None:
    m = ColumnMapping.default().with_aliases({"SoBienNhan": "dossier_code"})
    hm = m.resolve(["SoBienNhan", "MaTTHC", "MaDonVi", "KenhThucHien", "NgayTiepNhan", "Extra"])
    assert hm.columns["dossier_code"] == 0
    assert hm.ignored == ("Extra",)
    with pytest.raises(InvalidValueError):
        m.with_aliases({"x": "not_a_column"})
    f = tmp_path / "m.json"
    f.write_text(json.dumps({"aliases": {"dossier_code": ["Ma"], "received_at": ["Ngay"]}}), encoding="utf-8")
    loaded = ColumnMapping.load(f)
    assert loaded.canonical("Ma") == "dossier_code"
    assert loaded.canonical("MaHoSo") is None
    f.write_text(json.dumps({"aliases": {"nope": ["x"]}}), encoding="utf-8")
    with pytest.raises(DataFileError, match="nope"):
        ColumnMapping.load(f)


def test_required_columns_are_a_subset() -> None:
    assert set(REQUIRED_COLUMNS) <= set(CANONICAL_COLUMNS)
