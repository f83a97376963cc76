"""The Catalog: lookup, filters, files, the bundled sample and the JSON Schema.

Sources: domain.md §1 (procedure codes: national ``d.dddddd`` and local instances with the agency suffix; levels;
2025 reform: the district level is historic, valid until 30 Jun 2025), QĐ 45/2016/QĐ-TTg Điều 1.2 (postal eligibility
depends on personal presence and authorisation).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.catalog.collection import Catalog, catalog_json_schema
from tthc.catalog.model import ChannelOption, FeeKind, FeeLine, Level, Procedure, Tri, parse_level
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import DataFileError, DuplicateCodeError, InvalidValueError, NotFoundError, ParseError
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.money import Money


def _proc(code: str, name: str = "Thủ tục", **kw: object) -> Procedure:
    return Procedure(code=code, name=name, **kw)


@pytest.fixture(scope="module")
def sample() -> Catalog:
    return Catalog.sample()


# -- container and lookup ---------------------------------------------------------------------------------------------


def test_lookup_national_and_local_forms_domain_1() -> None:
    """domain.md §1: a local instance appends the agency id (``1.001612.000.00.00.H48`` or short ``.H38``)."""
    national = _proc("1.001612", "Quốc gia")
    local = _proc("1.001612.000.00.00.H48", "Quảng Ngãi")
    only_local = _proc("1.000948.H38", "Lào Cai")
    cat = Catalog([national, local, only_local])
    assert cat["1.001612"] is national
    assert cat["1.001612.000.00.00.H48"] is local
    assert cat["1.001612.000.00.00.H21"] is national  # no Gia Lai instance: the national record answers
    assert cat["1.000948"] is only_local  # the only instance answers for its national code
    assert cat[" 1.001612.000.00.00.h48 "] is local  # codes are normalised like ProcedureCode
    assert cat.instances("1.001612") == (national, local)


def test_ambiguous_national_code_names_the_instances() -> None:
    cat = Catalog([_proc("1.000001.000.00.00.H21"), _proc("1.000001.000.00.00.H48")])
    with pytest.raises(NotFoundError, match=r"2 local instances .*H21.*H48"):
        cat["1.000001"]
    assert cat.get("1.000001") is None


def test_not_found_names_the_code() -> None:
    cat = Catalog([_proc("1.000001")])
    with pytest.raises(NotFoundError, match=r"1\.999999"):
        cat["1.999999"]
    with pytest.raises(NotFoundError, match="not-a-code"):
        cat["not-a-code"]
    assert cat.get("1.999999") is None
    assert "1.999999" not in cat
    assert 42 not in cat
    assert issubclass(NotFoundError, LookupError)


def test_duplicate_codes_name_both_records() -> None:
    a = _proc("1.000001", "Thủ tục A", source="a.json")
    b = _proc("1.000001", "Thủ tục B", source="b.json")
    with pytest.raises(DuplicateCodeError) as info:
        Catalog([a, _proc("1.000002"), b])
    msg = str(info.value)
    assert "record #0" in msg
    assert "record #2" in msg
    assert "Thủ tục A" in msg
    assert "Thủ tục B" in msg


def test_catalog_is_immutable_and_rejects_non_procedures() -> None:
    cat = Catalog([_proc("1.000001")])
    with pytest.raises(AttributeError):
        cat._procedures = ()
    with pytest.raises(InvalidValueError, match=r"procedures\[0\]"):
        Catalog(["1.000001"])  # type: ignore[list-item]


def test_len_iter_contains_eq(sample: Catalog) -> None:
    assert len(sample) == len(list(sample)) == len(sample.codes) >= 24
    assert all(p in sample for p in sample)
    assert Catalog(sample.procedures, about=sample.about) == sample
    assert "Catalog of" in repr(sample)


# -- filters ---------------------------------------------------------------------------------------------------


def test_filters(sample: Catalog) -> None:
    postal = sample.filter(channel=Channel.POSTAL)
    assert len(postal) > 0
    assert all(p.offers(Channel.POSTAL) for p in postal)
    assert sample.filter(channel="Dịch vụ bưu chính") == postal
    assert sample.filter(channel=3) == postal  # portal sync code
    assert all(Level.DISTRICT in p.levels for p in sample.filter(level="Cấp huyện"))
    assert sample.filter(field="dang ky giao dich bao dam") == sample.filter(field="Đăng ký giao dịch bảo đảm")
    h48 = sample.filter(agency="H48")
    assert len(h48) > 0
    assert all(p.code.endswith("H48") or any("Quảng Ngãi" in a for a in p.agencies) for p in h48)
    assert len(sample.filter(agency="000.00.00.H21")) > 0
    both = sample.filter(channel="postal", level="commune")
    assert set(both.codes) == set(postal.codes) & set(sample.filter(level=Level.COMMUNE).codes)
    assert len(sample.filter(predicate=lambda p: p.requires_personal_presence is Tri.YES)) > 0


def test_filter_in_force_domain_1_district_level_historic(sample: Catalog) -> None:
    """domain.md §1 (Nghị quyết 202/2025/QH15): the district level exists only until 30 Jun 2025."""
    before = sample.filter(level="district", on=date(2025, 6, 30))
    after = sample.filter(level="district", on=date(2025, 7, 1))
    assert len(before) > 0
    assert len(after) == 0


def test_filter_rejects_unknown_level_and_channel(sample: Catalog) -> None:
    with pytest.raises(ParseError, match="level"):
        sample.filter(level="Cấp thôn")
    with pytest.raises(InvalidValueError, match="channel"):
        sample.filter(channel="fax")


def test_parse_level_labels() -> None:
    assert parse_level("Cấp Bộ") is Level.MINISTRY
    assert parse_level("tỉnh") is Level.PROVINCE
    assert parse_level("Cơ quan khác") is Level.OTHER
    assert parse_level("district") is Level.DISTRICT


# -- the bundled sample ---------------------------------------------------------------------------------------------


def test_sample_is_marked_as_ours(sample: Catalog) -> None:
    assert sample.about is not None
    assert "written by the tthc project" in sample.about
    assert "NOT an official" in sample.about


def test_sample_covers_every_channel_unit_and_level(sample: Catalog) -> None:
    """Issue 2 item 6: every channel, unit and level kind; online levels of both regimes (NĐ 43/2011, NĐ 42/2022)."""
    options = [o for p in sample for o in p.channels]
    assert {o.channel for o in options} == set(Channel)
    assert {o.processing_time.unit for o in options if o.processing_time} == set(TimeUnit)
    assert {lv for p in sample for lv in p.levels} == set(Level)
    assert {OnlineLevel.LEVEL_2, OnlineLevel.LEVEL_3, OnlineLevel.LEVEL_4, OnlineLevel.FULL, OnlineLevel.PARTIAL} <= {
        o.online_level for o in options
    }
    assert {Tri.YES, Tri.NO} <= {o.online_payment for o in options}
    fees = [f for o in options for f in o.fees]
    assert {FeeKind.CHARGE, FeeKind.STATE_FEE} <= {f.kind for f in fees}
    assert any(f.free for f in fees)
    assert any(f.percentage is not None for f in fees)
    assert {f.amount.currency for f in fees if f.amount} == {"VND", "USD"}
    assert any(o.case for o in options)  # a channel with two rows (normal / complex case)


def test_sample_has_secured_transactions_and_postal_eligible_and_not(sample: Catalog) -> None:
    """QĐ 45/2016/QĐ-TTg Điều 1.2: a procedure needing personal presence without authorisation is not postal-eligible;
    domain.md §5: the Gia Lai discount names the field 'đăng ký giao dịch bảo đảm'."""
    assert len(sample.filter(field="Đăng ký giao dịch bảo đảm")) >= 2
    not_eligible = sample.filter(
        predicate=lambda p: p.requires_personal_presence is Tri.YES and p.authorisation_allowed is Tri.NO
    )
    assert {"1.000894", "2.002209"} <= set(not_eligible.codes)  # marriage registration, first passport
    eligible = sample.filter(channel="postal", predicate=lambda p: p.authorisation_allowed is Tri.YES)
    assert len(eligible) >= 5


def test_sample_agencies_gia_lai_and_quang_ngai(sample: Catalog) -> None:
    """domain.md §1: H21 Gia Lai, H48 Quảng Ngãi (QCVN 102 agency ids)."""
    provinces = {p.code.agency_code.province for p in sample if p.code.agency_code}
    assert provinces == {"H21", "H48"}


def test_sample_processing_times_match_their_text(sample: Catalog) -> None:
    for p in sample:
        for o in p.channels:
            assert o.processing_time is not None
            assert o.processing_time_text
            assert ProcessingTime.parse(o.processing_time_text) == o.processing_time, (p.code, o)


# -- files ----------------------------------------------------------------------------------------------------------


def test_dump_load_json_and_jsonl(tmp_path: Path, sample: Catalog) -> None:
    assert Catalog.load(sample.dump(tmp_path / "c.json")) == sample
    lines = Catalog.load(sample.dump(tmp_path / "c.jsonl"))
    assert lines.procedures == sample.procedures
    assert len((tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()) == len(sample)


def test_load_errors_name_file_record_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"procedures": [{"code": "1.000001", "name": "A"}, {"code": "1.0001", "name": "B"}]}))
    with pytest.raises(DataFileError, match=r"bad.json: procedures\[1\] \(code '1.0001'\): field code"):
        Catalog.load(bad)
    bad.write_text(json.dumps({"procedures": [], "extra": 1}))
    with pytest.raises(DataFileError, match="unexpected top-level keys"):
        Catalog.load(bad)
    jl = tmp_path / "bad.jsonl"
    jl.write_text('{"code": "1.000001", "name": "A"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="line 2"):
        Catalog.load(jl)
    jl.write_bytes(b'{"code": "1.000001", "name": "\xff"}\n')
    with pytest.raises(DataFileError, match="UTF-8"):
        Catalog.load(jl)
    with pytest.raises(DataFileError, match="not found"):
        Catalog.load(tmp_path / "missing.json")
    dup = tmp_path / "dup.json"
    dup.write_text(json.dumps([{"code": "1.000001", "name": "A"}, {"code": "1.000001", "name": "B"}]))
    with pytest.raises(DuplicateCodeError):
        Catalog.load(dup)


_CODES = st.builds(lambda d, n: f"{d}.{n:06d}", st.integers(1, 6), st.integers(0, 999_999))
_OPTIONS = st.builds(
    ChannelOption,
    channel=st.sampled_from(list(Channel)),
    processing_time=st.one_of(
        st.none(),
        st.builds(ProcessingTime.working_days, st.integers(0, 400)),
        st.just(ProcessingTime.within_day()),
    ),
    fees=st.lists(
        st.one_of(
            st.builds(FeeLine, kind=st.sampled_from(list(FeeKind)), amount=st.builds(Money.vnd, st.integers(0, 10**9))),
            st.just(FeeLine(free=True, text="Miễn phí")),
        ),
        max_size=2,
    ).map(tuple),
    online_payment=st.sampled_from(list(Tri)),
)
_PROCS = st.builds(
    Procedure,
    code=_CODES,
    name=st.text(min_size=1, max_size=30),
    levels=st.lists(st.sampled_from(list(Level)), max_size=3, unique=True).map(tuple),
    channels=st.lists(_OPTIONS, max_size=3).map(tuple),
    requires_personal_presence=st.sampled_from(list(Tri)),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(st.lists(_PROCS, max_size=6, unique_by=lambda p: str(p.code)), st.sampled_from(["c.json", "c.jsonl"]))
def test_dump_load_round_trip_property(tmp_path: Path, procs: list[Procedure], name: str) -> None:
    """Property: load(dump(catalog)) equals the catalog, in JSON and JSON Lines."""
    cat = Catalog(procs, about=None)
    assert Catalog.load(cat.dump(tmp_path / name)).procedures == cat.procedures


# -- schema ---------------------------------------------------------------------------------------------------------


def test_json_schema_of_catalog_and_procedure() -> None:
    cat = catalog_json_schema()
    assert cat["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "procedures" in cat["properties"]  # type: ignore[operator]
    proc = catalog_json_schema("procedure")
    assert "requires_personal_presence" in proc["properties"]  # type: ignore[operator]
    text = json.dumps(proc)
    assert "working_days" in text
    assert "within_day" in text
    with pytest.raises(InvalidValueError):
        catalog_json_schema("dossier")  # type: ignore[arg-type]


def test_cli_schema() -> None:
    from click.testing import CliRunner

    from tthc.cli._app import group

    result = CliRunner().invoke(group, ["schema", "procedure"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Procedure"
    assert CliRunner().invoke(group, ["schema", "nope"]).exit_code == 2


def test_options_and_offers_accept_labels_and_codes(sample: Catalog) -> None:
    p = sample["1.012760"]
    assert p.options("direct") == p.options(Channel.DIRECT) == p.options("Trực tiếp") == p.options(1)
    assert len(p.options("direct")) == 2
    assert p.offers("postal")
    assert p.offers(3)
    with pytest.raises(InvalidValueError):
        p.options("fax")
