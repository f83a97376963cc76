"""Postal eligibility (QĐ 45/2016/QĐ-TTg Điều 1.2 and 13), agency lists, tracking numbers (issue 4 items 7, 8, 9)."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import tthc
from tthc.catalog.collection import Catalog
from tthc.catalog.model import Procedure, Tri
from tthc.cli import main
from tthc.cli._app import group
from tthc.foundation.channels import PostalService
from tthc.foundation.data_files import load_json
from tthc.postal.eligibility import (
    AgencyLists,
    EligibilityVerdict,
    Severity,
    check_postal_eligibility,
    check_tracking_number,
)

CAT = Catalog.sample()
ON = date(2020, 4, 1)
NO_LISTS = AgencyLists.none()


def with_facts(p: Procedure, presence: Tri, authorisation: Tri) -> Procedure:
    return p.model_copy(update={"requires_personal_presence": presence, "authorisation_allowed": authorisation})


def verdict(p: Procedure, **kw: Any) -> EligibilityVerdict:
    kw.setdefault("on", ON)
    kw.setdefault("agency_lists", NO_LISTS)
    return check_postal_eligibility(p, **kw)


BASE = CAT["1.001193"]


@pytest.mark.parametrize(
    ("presence", "authorisation", "eligible"),
    [
        (Tri.YES, Tri.NO, False),
        (Tri.YES, Tri.YES, True),
        (Tri.NO, Tri.NO, True),
        (Tri.NO, Tri.YES, True),
        (Tri.NO, Tri.UNKNOWN, True),
        (Tri.UNKNOWN, Tri.YES, True),
        (Tri.YES, Tri.UNKNOWN, None),
        (Tri.UNKNOWN, Tri.NO, None),
        (Tri.UNKNOWN, Tri.UNKNOWN, None),
    ],
)
def test_general_rule_qd45_2016_art_1_2(presence: Tri, authorisation: Tri, eligible: bool | None) -> None:
    """QĐ 45/2016/QĐ-TTg Điều 1.2: excluded only when personal presence is required AND authorisation is not
    allowed; presence alone does not exclude; unknown facts give an unknown verdict, never a guessed yes."""
    v = verdict(with_facts(BASE, presence, authorisation))
    assert v.eligible is eligible
    decisive = [r for r in v.reasons if r.severity is Severity.DECISIVE]
    assert decisive
    assert all(r.reference is not None and r.reference.document == "45/2016/QĐ-TTg" for r in decisive)
    assert decisive[0].reference is not None
    assert decisive[0].reference.article == "Điều 1.2"
    if eligible is None:
        expected = {"requires_personal_presence"} if presence is Tri.UNKNOWN else set()
        expected |= {"authorisation_allowed"} if authorisation is Tri.UNKNOWN else set()
        assert set(v.missing) == expected


def test_marriage_registration_is_not_eligible_and_why() -> None:
    v = verdict(CAT["1.000894"])
    assert v.eligible is False
    assert v.decided_by == "general_rule"
    codes = [r.code for r in v.reasons]
    assert "presence_required_no_authorisation" in codes
    assert "no_postal_row" in codes  # a warning, not the reason
    assert next(r for r in v.reasons if r.code == "no_postal_row").severity is Severity.WARNING


def test_no_postal_row_is_only_a_warning() -> None:
    """domain.md §4: a missing postal row is a strong hint, not a legal exclusion."""
    v = verdict(CAT["2.002175"])  # presence required, authorisation allowed, no postal row
    assert v.eligible is True
    assert [r.code for r in v.warnings] == ["no_postal_row"]


def test_before_qd45_came_into_force() -> None:
    """QĐ 45/2016/QĐ-TTg is in force from 16 Dec 2016."""
    assert verdict(BASE, on=date(2016, 12, 15)).eligible is None
    assert verdict(BASE, on=date(2016, 12, 16)).eligible is True


def test_bad_service_and_agency() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        verdict(BASE, service="fax")
    assert info.value.field == "service"
    with pytest.raises(tthc.InvalidValueError) as info:
        verdict(BASE, agency="Gia Lai")
    assert info.value.field == "agency"


# ------------------------------------------------------------------------------------------------ agency lists
EXAMPLES = AgencyLists.bundled(include_examples=True)


def test_bundled_lists_are_examples_and_not_applied_by_default() -> None:
    assert EXAMPLES.lists
    assert all(x.tag == "example" for x in EXAMPLES.lists)
    assert {x.reference.document for x in EXAMPLES.lists} == {"1184/QĐ-UBND", "2157/QĐ-UBND"}
    assert AgencyLists.bundled().lists == ()
    v = check_postal_eligibility(CAT["2.000913"], on=ON, agency="H21")
    assert v.eligible is True
    assert any(r.code == "no_agency_lists" for r in v.reasons)


def test_an_excluded_list_overrides_the_general_rule() -> None:
    """QĐ 45/2016 Điều 13: the agency's published list overrides the general rule for that agency."""
    p = CAT["2.000913"]  # general rule: eligible
    v = check_postal_eligibility(p, on=ON, agency="H21", agency_lists=EXAMPLES)
    assert v.eligible is False
    assert v.decided_by == "agency_list"
    assert v.reasons[-1].reference is not None
    assert v.reasons[-1].reference.document == "1184/QĐ-UBND"
    # another province's agency: the Gia Lai list does not apply
    assert check_postal_eligibility(p, on=ON, agency="H48", agency_lists=EXAMPLES).eligible is True
    # before the list was issued: general rule
    assert check_postal_eligibility(p, on=date(2019, 12, 29), agency="H21", agency_lists=EXAMPLES).eligible is True


def test_an_included_list_settles_unknown_facts() -> None:
    p = CAT["1.000893"]  # facts unknown
    assert verdict(p).eligible is None
    v = check_postal_eligibility(p, on=ON, agency="000.00.00.H21", agency_lists=EXAMPLES)
    assert v.eligible is True
    assert v.decided_by == "agency_list"


def test_listed_procedure_with_unknown_agency_is_unknown() -> None:
    v = check_postal_eligibility(CAT["2.000913"], on=ON, agency_lists=EXAMPLES)
    assert v.eligible is None
    assert v.missing == ("agency",)


def test_local_code_gives_the_agency() -> None:
    v = check_postal_eligibility(CAT["1.011432.000.00.00.H21"], on=ON, agency_lists=EXAMPLES)
    assert v.decided_by == "agency_list"


def test_service_specific_entries() -> None:
    raw = copy.deepcopy(load_json("postal_agency_lists.json"))
    raw["lists"][1]["procedures"][0]["services"] = ["send"]
    lists = AgencyLists.from_dict(raw)
    p = CAT["2.000913"]
    assert check_postal_eligibility(p, "send", on=ON, agency="H21", agency_lists=lists).eligible is False
    assert check_postal_eligibility(p, "both", on=ON, agency="H21", agency_lists=lists).eligible is False
    assert check_postal_eligibility(p, "return", on=ON, agency="H21", agency_lists=lists).eligible is True


def test_contradicting_lists_conflict() -> None:
    raw = copy.deepcopy(load_json("postal_agency_lists.json"))
    raw["lists"][1]["procedures"].append({"code": "1.011432"})
    with pytest.raises(tthc.ConflictError, match=r"1\.011432"):
        AgencyLists.from_dict(raw)
    raw = copy.deepcopy(load_json("postal_agency_lists.json"))
    raw["lists"][0]["valid_until"] = "2019-01-01"
    with pytest.raises(tthc.DataFileError, match="valid_until"):
        AgencyLists.from_dict(raw)


# ------------------------------------------------------------------------------------------------ monotone
TRI = st.sampled_from(list(Tri))


def _refines(a: Tri, b: Tri) -> bool:
    return a is Tri.UNKNOWN or a is b


@given(
    TRI,
    TRI,
    TRI,
    TRI,
    st.sampled_from([None, "H21", "H48"]),
    st.sampled_from(list(PostalService)),
    st.sampled_from(["1.001193", "2.000913", "1.000893", "1.011432"]),
)
def test_eligibility_is_monotone_in_the_facts(
    p1: Tri, a1: Tri, p2: Tri, a2: Tri, agency: str | None, service: PostalService, code: str
) -> None:
    """Learning a fact (unknown → yes/no, unknown agency → known) may settle an unknown verdict, never flip a
    settled one."""
    if not (_refines(p1, p2) and _refines(a1, a2)):
        return
    base = CAT[code]
    less = check_postal_eligibility(with_facts(base, p1, a1), service, on=ON, agency_lists=EXAMPLES)
    for ag in [agency] if agency else [None, "H21", "H48"]:
        more = check_postal_eligibility(with_facts(base, p2, a2), service, on=ON, agency=ag, agency_lists=EXAMPLES)
        if less.eligible is not None:
            assert more.eligible is less.eligible
        if more.eligible is None:
            assert more.missing
        assert less.eligible is None or not less.missing


# ------------------------------------------------------------------------------------------------ tracking numbers
def test_tracking_numbers_on_postal_records() -> None:
    """UPU S10 (domain.md §1): EB123456785VN is valid, EB123456789VN has a wrong check digit."""
    assert check_tracking_number("eb 123456785 vn") == "EB123456785VN"
    with pytest.raises(tthc.InvalidCodeError) as info:
        check_tracking_number("EB123456789VN")
    assert info.value.field == "tracking_number"
    assert "check digit 5" in str(info.value)
    with pytest.raises(tthc.InvalidCodeError) as info:
        check_tracking_number("EB12345678VN", field="MaVanDon")
    assert info.value.field == "MaVanDon"


# ------------------------------------------------------------------------------------------------ CLI
def test_cli_eligibility_exit_codes() -> None:
    assert main(["eligibility", "1.001193", "--on", "2020-04-01"]) == 0
    assert main(["eligibility", "1.000894", "--on", "2020-04-01"]) == 1
    assert main(["eligibility", "1.000893", "--on", "2020-04-01"]) == 1  # unknown
    assert main(["eligibility", "1.000893", "--on", "2020-04-01", "--agency", "H21", "--example-lists"]) == 0
    assert main(["eligibility", "1.001193", "--service", "fax"]) == 2
    assert main(["eligibility", "1.001193", "--on", "yesterday"]) == 2
    assert main(["eligibility", "9.999999"]) == 2


def test_cli_eligibility_json() -> None:
    res = CliRunner().invoke(group, ["eligibility", "1.000894", "--on", "2020-04-01", "--json"], standalone_mode=False)
    assert res.return_value == 1
    data = json.loads(res.output)
    assert data["eligible"] is False
    assert data["decided_by"] == "general_rule"
    assert any(r["reference"] and r["reference"]["article"] == "Điều 1.2" for r in data["reasons"])
