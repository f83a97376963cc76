"""Defects found by a hostile review of the catalog, its data values and ``tthc import-portal`` (session 10), each
reproduced here first: lone surrogates decoded from nested values or read from a catalog file, an empty export that
replaced a catalog, a fee no catalog file can hold, a catalog refused for its name, union errors worded by the wrong
branch, ``model_copy`` losing the wording, gzip told by the name's case, an unchecked ``about``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tthc.catalog import Catalog, import_portal_files
from tthc.catalog.model import FeeLine, Procedure
from tthc.cli._app import app
from tthc.errors import DataFileError, InvalidValueError
from tthc.foundation.money import Money
from tthc.postal.eligibility import check_postal_eligibility

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """``run("import-portal", ...)`` in ``tmp_path`` → (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)

    def _run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = app(["--lang", "en", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


GOOD_DEFENCE = {"thu_tuc_id": "1.013126", "metadata": {"mã_thủ_tục": "1.013126", "tên_thủ_tục": "Thủ tục tốt"}}
NESTED_SURROGATES = {
    # a nested value given as a Python repr or as JSON text, as the defence export does: decoding it makes the escape
    # a lone surrogate, which no UTF-8 file can hold
    "python repr": "{'mã_thủ_tục': '1.013124', 'tên_thủ_tục': 'Thủ tục \\ud800 x'}",
    "python repr, long escape": "{'mã_thủ_tục': '1.013124', 'tên_thủ_tục': 'Thủ tục \\U0000dfff x'}",
    "json text": '{"mã_thủ_tục": "1.013124", "tên_thủ_tục": "Thủ tục \\udc80 y"}',
}


@pytest.mark.parametrize("metadata", NESTED_SURROGATES.values(), ids=NESTED_SURROGATES)
def test_a_lone_surrogate_in_a_nested_value_fails_its_record_only(tmp_path: Path, metadata: str) -> None:
    bad = {"thu_tuc_id": "1.013124", "metadata": metadata, "tables": {"hinh_thuc_nop": []}}
    export = _jsonl(tmp_path / "defence.jsonl", GOOD_DEFENCE, bad)
    catalog, report = import_portal_files([export])
    assert [str(p.code) for p in catalog] == ["1.013126"]
    failed = report.records[1]
    assert (failed.row, failed.status) == (2, "failed")
    assert failed.issues[0].field == "metadata"
    assert "lone surrogate" in failed.issues[0].reason
    catalog.dump(tmp_path / "catalog.json")  # writable
    pair = {"thu_tuc_id": "1.013127", "metadata": '{"mã_thủ_tục": "1.013127", "tên_thủ_tục": "A \\ud83d\\ude00"}'}
    catalog, report = import_portal_files([_jsonl(tmp_path / "pair.jsonl", pair)])
    assert catalog["1.013127"].name == "A 😀"  # a pair is text (in JSON: Python's literals keep two halves apart)


def test_import_portal_writes_the_good_records_of_a_file_with_a_nested_surrogate(run: Run, tmp_path: Path) -> None:
    bad = {"thu_tuc_id": "1.013124", "metadata": NESTED_SURROGATES["python repr"]}
    _jsonl(tmp_path / "defence.jsonl", GOOD_DEFENCE, bad)
    code, _out, err = run("import-portal", "defence.jsonl", "--out", "catalog.json")
    assert (code, err) == (1, "")  # a record failed
    assert [p["code"] for p in json.loads((tmp_path / "catalog.json").read_text())["procedures"]] == ["1.013126"]


CATALOG_WITH_SURROGATE = '{"procedures": [{"code": "1.000178", "name": "Th\\ud800"}]}'


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_catalog_load_refuses_a_lone_surrogate_naming_the_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"catalog{suffix}"
    text = CATALOG_WITH_SURROGATE if suffix == ".json" else '{"code": "1.000178", "name": "Th\\uDFFF"}\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        Catalog.load(path)
    said = str(caught.value)
    assert said.startswith(str(path)), said
    assert "lone surrogate" in said, said


def test_catalog_load_takes_a_surrogate_pair_as_text(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{"procedures": [{"code": "1.000178", "name": "A \\ud83d\\ude00"}]}', encoding="utf-8")
    assert Catalog.load(path)["1.000178"].name == "A 😀"


def test_dump_of_a_procedure_holding_a_lone_surrogate_is_an_invalid_value_keeping_the_older_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "catalog.json"
    target.write_text("older", encoding="utf-8")
    good = Procedure(code="1.000177", name="Tốt")
    for suffix in (".json", ".jsonl"):
        out = target.with_suffix(suffix)
        with pytest.raises(InvalidValueError) as caught:
            Catalog([good, Procedure(code="1.000178", name="Th\ud800")]).dump(out)
        assert caught.value.field == "procedures[1].name"
        assert (caught.value.given, caught.value.detail) == ("Th\ud800", "procedure 1.000178")
    assert target.read_text(encoding="utf-8") == "older"


def test_audit_of_a_catalog_file_with_a_surrogate_is_one_line(run: Run, tmp_path: Path) -> None:
    (tmp_path / "catalog.json").write_text(CATALOG_WITH_SURROGATE, encoding="utf-8")
    code, _out, err = run("audit", "catalog.json")
    assert code == 2
    assert err.startswith("tthc: catalog.json: "), err
    assert "lone surrogate" in err, err
    assert len(err.splitlines()) == 1, err


@pytest.mark.parametrize("content", [b"", b"\n \n\r\n", gzip.compress(b"")], ids=["empty", "blank lines", "empty gzip"])
def test_an_export_without_records_is_refused_and_the_catalog_kept(run: Run, tmp_path: Path, content: bytes) -> None:
    name = "export.jsonl.gz" if content.startswith(b"\x1f\x8b") else "export.jsonl"
    (tmp_path / name).write_bytes(content)
    previous = '{"about": "yesterday", "procedures": [{"code": "1.000178", "name": "Giải quyết khiếu nại"}]}'
    (tmp_path / "catalog.json").write_text(previous, encoding="utf-8")
    code, _out, err = run("import-portal", name, "--out", "catalog.json")
    assert code == 2
    assert err.strip() == f"tthc: {name}: expected an export holding at least one record, got none", err
    assert (tmp_path / "catalog.json").read_text(encoding="utf-8") == previous
    with pytest.raises(DataFileError, match="at least one record"):
        import_portal_files([tmp_path / name])


def test_two_files_one_of_them_empty_import_the_other(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    export = _jsonl(tmp_path / "export.jsonl", GOOD_DEFENCE)
    catalog, _report = import_portal_files([tmp_path / "empty.jsonl", export])
    assert [str(p.code) for p in catalog] == ["1.013126"]


HUGE_FEE = {
    "ma_thu_tuc": "1.000178",
    "ten_thu_tuc": "Thủ tục A",
    "cap_thuc_hien": "Cấp tỉnh",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp15 Ngày làm việc"
    "Lệ phí : 100000000000000000000 đồngNộp tại trụ sở.",
}


def test_a_fee_beyond_what_a_catalog_file_holds_is_unparsed_and_the_dump_loads_back(tmp_path: Path) -> None:
    catalog, report = import_portal_files([_jsonl(tmp_path / "export.jsonl", HUGE_FEE)])
    option = catalog["1.000178"].channels[0]
    assert [(f.amount, f.text) for f in option.fees] == [(None, "100000000000000000000 đồng")]  # kept as text
    assert "100000000000000000000 đồng" in option.fee_text
    (row,) = report.records[0].channel_rows
    assert row.fee_status == "unparsed"
    issue = next(i for i in report.records[0].issues if i.field.endswith(".fee"))
    assert "100000000000000000000" in issue.text
    catalog.dump(tmp_path / "catalog.json")
    assert Catalog.load(tmp_path / "catalog.json") == catalog


@pytest.mark.parametrize(("amount", "minor"), [(2**63 - 1, 2**63 - 1), (2**63, None)])
def test_a_fee_at_the_bound_is_read_and_one_more_is_not(tmp_path: Path, amount: int, minor: int | None) -> None:
    table = HUGE_FEE["cach_thuc_thuc_hien"].replace("100000000000000000000", str(amount))
    catalog, _ = import_portal_files([_jsonl(tmp_path / "export.jsonl", {**HUGE_FEE, "cach_thuc_thuc_hien": table})])
    fee = catalog["1.000178"].channels[0].fees[0]
    assert (fee.amount.minor if fee.amount is not None else None) == minor


def test_money_beyond_the_json_integer_range_is_refused() -> None:
    with pytest.raises(InvalidValueError) as caught:
        FeeLine(amount={"minor": 2**63, "currency": "VND"})
    assert caught.value.field == "amount.minor"
    assert FeeLine(amount={"minor": 2**63 - 1, "currency": "VND"}).amount == Money(2**63 - 1)
    with pytest.raises(InvalidValueError):
        Money(-(2**63))


def test_a_catalog_whose_name_says_portal_is_read_as_a_catalog(run: Run, tmp_path: Path) -> None:
    Catalog.sample().dump(tmp_path / "portal_catalog.jsonl")
    Catalog.sample().dump(tmp_path / "catalog.jsonl")
    reference = run("audit", "catalog.jsonl")
    assert reference[0] in (0, 1), reference
    assert reference[2] == "", reference
    assert run("audit", "portal_catalog.jsonl") == reference


def test_an_export_whose_name_does_not_say_portal_is_read_as_an_export(run: Run, tmp_path: Path) -> None:
    _jsonl(tmp_path / "export.jsonl", GOOD_DEFENCE)
    code, out, err = run("audit", "export.jsonl")
    assert code in (0, 1), err
    assert err == "", err
    assert "1 procedure" in out, out


BAD_TIME = {"channel": "online", "processing_time": {"unit": "working_days", "amount": -3}}


def test_a_bad_processing_time_is_worded_by_its_amount_not_by_a_union_branch(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Procedure(code="1.000178", name="x", channels=[BAD_TIME])
    assert caught.value.field == "channels.0.processing_time.amount", str(caught.value)
    assert "-3" in str(caught.value)
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"procedures": [{"code": "1.000178", "name": "x", "channels": [BAD_TIME]}]}))
    with pytest.raises(DataFileError) as loaded:
        Catalog.load(path)
    assert "channels.0.processing_time.amount" in str(loaded.value), str(loaded.value)
    assert "instance of" not in str(loaded.value)
    assert "is-instance" not in str(loaded.value)


def test_a_bad_currency_is_worded_by_the_currency() -> None:
    with pytest.raises(InvalidValueError) as caught:
        FeeLine(amount={"minor": 1, "currency": "XXX"})
    assert caught.value.field == "amount.currency", str(caught.value)
    assert "XXX" in str(caught.value)
    assert "instance of" not in str(caught.value)


def test_a_value_of_the_wrong_type_still_says_so() -> None:
    with pytest.raises(InvalidValueError) as caught:
        FeeLine(amount=5)
    assert caught.value.field.startswith("amount"), str(caught.value)


def test_model_copy_keeps_the_wording_of_a_reason() -> None:
    proc = next(p for p in Catalog.sample() if p.requires_personal_presence.value == "no")
    reason = check_postal_eligibility(proc, on=date(2026, 6, 1), lang="en").reasons[-1]
    assert reason.model_copy().text("vi") == reason.text("vi") != reason.text("en")
    assert reason.model_copy(deep=True).text("vi") == reason.text("vi")


def test_exclude_unset_is_refused_not_ignored() -> None:
    proc = Procedure(code="1.000178", name="x")
    for dump in (proc.model_dump, proc.model_dump_json):
        with pytest.raises(InvalidValueError) as caught:
            dump(exclude_unset=True)
        assert caught.value.field == "exclude_unset"
        assert "exclude_defaults" in str(caught.value)
    assert proc.model_dump(exclude_unset=False)["code"] == "1.000178"
    assert proc.model_dump(exclude_defaults=True) == {"code": "1.000178", "name": "x"}


@pytest.mark.parametrize("name", ["EXPORT.JSONL.GZ", "export.jsonl.Gz", "export.data"])
def test_gzip_is_told_by_its_bytes_not_by_the_name(tmp_path: Path, name: str) -> None:
    rows = [{"ma_thu_tuc": f"1.{i:06d}", "ten_thu_tuc": f"Thủ tục {i}"} for i in range(1, 301)]
    data = gzip.compress(b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows), mtime=0)
    (tmp_path / name).write_bytes(data)
    catalog, report = import_portal_files([tmp_path / name])
    assert len(report.records) == 300
    assert len(catalog) == 300


def test_a_plain_file_named_gz_is_read_as_text(tmp_path: Path) -> None:
    export = _jsonl(tmp_path / "export.jsonl.gz", GOOD_DEFENCE)  # not compressed, whatever the name says
    catalog, _report = import_portal_files([export])
    assert [str(p.code) for p in catalog] == ["1.013126"]


def test_about_must_be_text_or_none() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Catalog(Catalog.sample(), about=5)  # type: ignore[arg-type]
    assert caught.value.field == "about"
    assert Catalog(Catalog.sample(), about=None).about is None


def test_dump_of_a_non_path_is_an_invalid_value_error() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Catalog.sample().dump(None)  # type: ignore[arg-type]
    assert caught.value.field == "path"
