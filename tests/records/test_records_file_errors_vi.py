"""Record sources refused in the run's language (issue 14): a record file that cannot be opened, a column-aliases
file, a database that cannot be reached or read. The reason a system or driver gives stays as it gives it, inside
a Vietnamese frame; ``str()`` stays English."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from tthc.errors import DataFileError
from tthc.foundation.error_words import error_text
from tthc.foundation.i18n import N_
from tthc.foundation.words import words
from tthc.records.database import _batches, open_database
from tthc.records.model import ColumnMapping
from tthc.records.readers import open_records


def _refusal(call: Any, *args: object, **kwargs: object) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        call(*args, **kwargs)
    return info.value


def test_a_record_file_that_cannot_be_opened(tmp_path: Path) -> None:
    missing = tmp_path / "hồ sơ.csv"
    exc = _refusal(open_records, missing)
    assert error_text(exc, "vi") == f"{missing}: không tìm thấy tệp hồ sơ"
    assert str(exc) == f"{missing}: record file not found"
    long = tmp_path / ("x" * 300 + ".csv")  # a name too long for the file system: the system's reason, as given
    exc = _refusal(open_records, long)
    assert error_text(exc, "vi") == f"{str(long)!r:.120}: không mở được (File name too long)"
    assert str(exc) == f"{str(long)!r:.120}: cannot open (File name too long)"


@pytest.mark.parametrize(
    ("content", "vi", "en"),
    [
        (
            "[1]",
            "cần một đối tượng có 'aliases': {canonical: [names...]}",
            "expected an object with 'aliases': {canonical: [names...]}",
        ),
        (
            '{"aliases": {"ma_ho_so": ["Mã"]}}',
            "aliases: cần tên một cột chuẩn, nhận được 'ma_ho_so'",
            "aliases: expected a canonical column, got 'ma_ho_so'",
        ),
        (
            '{"aliases": {"dossier_code": "Mã hồ sơ"}}',
            "aliases.dossier_code: cần một danh sách tên cột, nhận được 'Mã hồ sơ'",
            "aliases.dossier_code: expected a list of names, got 'Mã hồ sơ'",
        ),
    ],
)
def test_a_column_aliases_file(tmp_path: Path, content: str, vi: str, en: str) -> None:
    f = tmp_path / "aliases.json"
    f.write_text(content, encoding="utf-8")
    exc = _refusal(ColumnMapping.load, f)
    assert error_text(exc, "vi") == f"{f}: {vi}"
    assert str(exc) == f"{f}: {en}"


class _DriverError(Exception):
    pass


class _Refusing:
    """A connection or cursor whose every query fails as a driver's would."""

    def cursor(self) -> _Refusing:
        return self

    def execute(self, sql: str, *args: object) -> None:
        raise _DriverError('relation "dossiers" does not exist\nLINE 1: select * from "dossiers"')

    def close(self) -> None:
        pass


@pytest.fixture
def driver(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A stand-in for ``adbc_driver_postgresql.dbapi``: ``connect`` as set by the test."""
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):  # the URL shown is filled from these
        monkeypatch.delenv(name, raising=False)
    dbapi = types.SimpleNamespace(connect=None)
    package = types.ModuleType("adbc_driver_postgresql")
    package.dbapi = dbapi  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "adbc_driver_postgresql", package)
    monkeypatch.setitem(sys.modules, "adbc_driver_postgresql.dbapi", dbapi)
    return dbapi


def test_a_database_that_cannot_be_reached(driver: types.SimpleNamespace) -> None:
    def refuse(url: str) -> None:
        raise _DriverError("connection refused (password s3cret)\nIs the server running?")

    driver.connect = refuse
    exc = _refusal(open_database, "postgresql://reader:s3cret@db.local/hoso", table="dossiers")
    assert (
        error_text(exc, "vi")
        == "postgresql://reader@db.local/hoso: không kết nối được: connection refused (password ***)"
    )
    assert str(exc) == "postgresql://reader@db.local/hoso: could not connect: connection refused (password ***)"


def test_a_table_that_cannot_be_read(driver: types.SimpleNamespace) -> None:
    driver.connect = lambda url: _Refusing()
    exc = _refusal(open_database, "postgresql://db.local/hoso", table="dossiers")
    # the driver's own first line, as it gives it
    assert error_text(exc, "vi") == 'postgresql://db.local/hoso bảng dossiers: relation "dossiers" does not exist'
    assert str(exc) == 'postgresql://db.local/hoso table dossiers: relation "dossiers" does not exist'
    exc = _refusal(open_database, "postgresql://db.local/hoso", query="select 1")
    assert error_text(exc, "vi") == 'postgresql://db.local/hoso truy vấn: relation "dossiers" does not exist'
    assert str(exc) == 'postgresql://db.local/hoso query: relation "dossiers" does not exist'


def test_a_database_read_that_fails_mid_stream() -> None:
    def reader() -> Any:
        raise _DriverError("server closed the connection unexpectedly")
        yield  # a generator: fails on the first batch

    class _Reader:
        def __iter__(self) -> Any:
            return reader()

        def close(self) -> None:
            pass

    exc = _refusal(list, _batches((_Refusing(), _Refusing()), _Reader(), words(N_("{url} query"), url="hoso"), 100))
    assert error_text(exc, "vi") == (
        "hoso truy vấn: đọc dữ liệu sau dòng 0 không thành công: server closed the connection unexpectedly"
    )
    assert str(exc) == "hoso query: reading after row 0 failed: server closed the connection unexpectedly"
