"""Postal tariffs as data: published prices, zones, weight brackets, VAT, beneficiaries (issue 4 item 4)."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import tthc
from tthc.fees.tariffs import Leg, Tariff, beneficiary_groups, resolve_beneficiary
from tthc.foundation.data_files import load_json
from tthc.foundation.money import Money
from tthc.postal.zones import Zone, zone_vocabulary

ON = date(2020, 4, 1)
AFTER_2025 = date(2025, 7, 1)


@pytest.fixture(scope="module")
def tariff() -> Tariff:
    return Tariff.bundled()


def test_published_one_way_prices_up_to_100g(tariff: Tariff) -> None:
    """Vietnam Post notice (Khánh Hòa; same intra-province prices in Quảng Ngãi), domain.md §5: one way up to 100 g,
    26,000 đ within a district, 30,000 đ between districts, the same for sending and returning."""
    for leg in Leg:
        assert tariff.price(leg, Zone.SAME_DISTRICT, ON, weight_g=100).amount == Money.vnd(26_000)
        assert tariff.price(leg, Zone.BETWEEN_DISTRICTS, ON, weight_g=1).amount == Money.vnd(30_000)
    assert tariff.price(Leg.SEND, Zone.SAME_DISTRICT, ON).reference.url is not None


def test_between_provinces_is_a_published_range(tariff: Tariff) -> None:
    """Between provinces 30,500–31,500 đ by region distance; the split per region is not published, so the quote
    takes the higher value by default and flags it as an estimate."""
    p = tariff.price(Leg.SEND, Zone.BETWEEN_PROVINCES, ON)
    assert p.amount == Money.vnd(31_500)
    assert p.estimate
    assert tariff.price(Leg.SEND, Zone.BETWEEN_PROVINCES_NEAR_REGION, ON, range_policy="min").amount == Money.vnd(
        30_500
    )
    with pytest.raises(tthc.InvalidValueError, match="route"):
        tariff.price(Leg.SEND, Zone.BETWEEN_PROVINCES, ON, range_policy="error")


def test_coarse_within_province_spans_two_prices(tariff: Tariff) -> None:
    p = tariff.price(Leg.RETURN, Zone.WITHIN_PROVINCE, ON)
    assert p.amount == Money.vnd(30_000)
    assert p.estimate
    assert any("spans" in n for n in p.notes)


def test_fee_remittance_is_8000_per_dossier(tariff: Tariff) -> None:
    """Vietnam Post notice: remitting the fee through the post costs 8,000 đ per dossier."""
    amount, ref = tariff.remittance(ON)
    assert amount == Money.vnd(8_000)
    assert ref.tag == "2nd"


def test_heavier_items_need_a_user_tariff(tariff: Tariff) -> None:
    """Brackets above 100 g are not published [open]: a clear error, not a guess."""
    with pytest.raises(tthc.NotFoundError, match="250 g"):
        tariff.price(Leg.SEND, Zone.SAME_DISTRICT, ON, weight_g=250)


@pytest.mark.parametrize("weight", [-1, 1.5, "100", True])
def test_bad_weights_are_rejected(tariff: Tariff, weight: Any) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        tariff.price(Leg.SEND, Zone.SAME_DISTRICT, ON, weight_g=weight)
    assert info.value.field == "weight_g"


def test_unknown_zone_is_rejected(tariff: Tariff) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        tariff.price(Leg.SEND, "moon", ON)  # type: ignore[arg-type]
    assert info.value.field == "route"
    assert info.value.given == "moon"


def test_zone_labels_parse() -> None:
    assert Zone.parse("Nội huyện") is Zone.SAME_DISTRICT
    assert Zone.parse("liên tỉnh") is Zone.BETWEEN_PROVINCES
    assert Zone.parse("cận vùng") is Zone.BETWEEN_PROVINCES_NEAR_REGION


def test_district_zones_are_invalid_after_the_2025_reform(tariff: Tariff) -> None:
    """Nghị quyết 202/2025/QH15: no districts from 1 Jul 2025 — a 'same district' route then is an error."""
    with pytest.raises(tthc.InvalidValueError, match="districts were abolished"):
        tariff.price(Leg.SEND, Zone.SAME_DISTRICT, AFTER_2025)
    assert tariff.price(Leg.SEND, Zone.SAME_DISTRICT, date(2025, 6, 30)).amount == Money.vnd(26_000)


def test_post_2025_zones_use_the_open_mapping(tariff: Tariff) -> None:
    """[open] default (postal_transit.json): a same-commune route is priced as the old same-district zone."""
    p = tariff.price(Leg.SEND, Zone.SAME_COMMUNE, AFTER_2025)
    assert p.amount == Money.vnd(26_000)
    assert any("[open]" in n for n in p.notes)
    vocab = zone_vocabulary()
    assert vocab.post_cutover_reference.tag == "open"


def _user_tariff() -> dict[str, Any]:
    raw: dict[str, Any] = copy.deepcopy(load_json("bcci_tariffs.json"))
    t = raw["tariffs"][0]
    t["id"] = "user"
    t["vat"] = {"treatment": "excluded", "rate_percent": "10"}
    t["entries"].append(
        {"service": "one_way", "zone": "same_district", "weight_above_g": 100, "weight_up_to_g": 250, "amount": 31000}
    )
    t["surcharges"] = [{"id": "cod", "label_vi": "phát tận tay", "amount": 2000, "optional": True}]
    return raw


def test_user_tariff_with_brackets_vat_and_surcharges(tmp_path: Path) -> None:
    path = tmp_path / "tariff.json"
    path.write_text(json.dumps(_user_tariff()), encoding="utf-8")
    t = Tariff.load(path)
    assert t.price(Leg.SEND, Zone.SAME_DISTRICT, ON, weight_g=101).amount == Money.vnd(31_000)
    assert t.price(Leg.SEND, Zone.SAME_DISTRICT, ON, weight_g=100).amount == Money.vnd(26_000)
    assert t.vat.value == "excluded"
    assert [s.id for s in t.surcharges] == ["cod"]


def test_overlapping_prices_conflict() -> None:
    raw = _user_tariff()
    raw["tariffs"][0]["entries"].append(
        {"service": "one_way", "zone": "same_district", "weight_above_g": 0, "weight_up_to_g": 100, "amount": 1}
    )
    with pytest.raises(tthc.ConflictError, match="same days"):
        Tariff.from_dict(raw)


def test_malformed_tariff_names_the_field() -> None:
    raw = _user_tariff()
    raw["tariffs"][0]["entries"][0]["amount"] = -5
    with pytest.raises(tthc.DataFileError, match="amount"):
        Tariff.from_dict(raw)
    raw = _user_tariff()
    raw["tariffs"][0]["entries"][0]["valid_from"] = "2020-05-30"
    raw["tariffs"][0]["entries"][0]["valid_until"] = "2020-03-23"
    with pytest.raises(tthc.DataFileError, match="valid_until"):
        Tariff.from_dict(raw)


def test_dated_tariff_entries() -> None:
    raw = _user_tariff()
    entries = raw["tariffs"][0]["entries"]
    entries[0]["valid_until"] = "2019-12-31"
    entries.append(
        {
            "service": "one_way",
            "zone": "same_district",
            "weight_above_g": 0,
            "weight_up_to_g": 100,
            "amount": 27000,
            "valid_from": "2020-01-01",
        }
    )
    t = Tariff.from_dict(raw)
    assert t.price(Leg.SEND, Zone.SAME_DISTRICT, date(2019, 12, 31)).amount == Money.vnd(26_000)
    assert t.price(Leg.SEND, Zone.SAME_DISTRICT, date(2020, 1, 1)).amount == Money.vnd(27_000)


def test_beneficiary_groups_of_tt22_2017() -> None:
    """TT 22/2017/TT-BTTTT [2nd]: revolutionaries before 19 Aug 1945 and Heroic Mothers are exempt; war invalids,
    poor households and the other listed groups pay half."""
    groups = beneficiary_groups()
    assert groups["pre_1945_revolutionary"].percent == 100
    assert groups["heroic_mother"].percent == 100
    for g in (
        "hero",
        "war_invalid",
        "sick_soldier",
        "toxic_chemical_victim",
        "imprisoned_resistance",
        "martyr_relative",
        "poor_household",
        "difficult_area_resident",
    ):
        assert groups[g].percent == 50, g
    assert groups["poor_household"].reference.document == "22/2017/TT-BTTTT"
    with pytest.raises(tthc.InvalidValueError) as info:
        resolve_beneficiary("nobody")
    assert info.value.field == "beneficiary"
    assert repr(groups["heroic_mother"]) == "<beneficiary heroic_mother: postage exempt (22/2017/TT-BTTTT)>"


def test_bundled_tariff_is_ours_not_the_third_party_file(real_data: Path) -> None:
    """The bundled file is written from the published facts; it agrees with the transcribed notice in data/real."""
    notice = json.loads((real_data / "bcci_tariff_khanh_hoa.json").read_text(encoding="utf-8"))
    t = Tariff.bundled()
    rules = notice["rules"]
    assert t.reference.url == notice["source_url"]
    assert t.price(Leg.SEND, Zone.SAME_DISTRICT, ON).amount.minor == rules["one_way_vnd"]["noi_tinh"]["min"]
    assert t.price(Leg.SEND, Zone.BETWEEN_DISTRICTS, ON).amount.minor == rules["one_way_vnd"]["noi_tinh"]["max"]
    assert (
        t.price(Leg.SEND, Zone.BETWEEN_PROVINCES, ON, range_policy="min").amount.minor
        == rules["one_way_vnd"]["lien_tinh"]["min"]
    )
    assert t.price(Leg.SEND, Zone.BETWEEN_PROVINCES, ON).amount.minor == rules["one_way_vnd"]["lien_tinh"]["max"]
    assert t.remittance(ON)[0].minor == rules["fee_remittance_vnd_per_dossier"]
    assert (Path(tthc.__file__).parent / "data" / "bcci_tariffs.json").read_text(encoding="utf-8") != json.dumps(notice)
