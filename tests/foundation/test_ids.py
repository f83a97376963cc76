"""Identifiers: QCVN 102:2016 agency ids, TT 01/2018 Điều 19 dossier codes, UPU S10 tracking numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import tthc
from tthc.foundation.ids import AgencyCode, DossierCode, ProcedureCode, TrackingNumber, _Code


def test_procedure_code_national_and_local_forms() -> None:
    """National TTHC database codes: d.dddddd, local instances append the agency id."""
    assert ProcedureCode("1.000178").national == "1.000178"
    assert ProcedureCode("1.000178").agency is None
    local = ProcedureCode("1.001612.000.00.00.H48")
    assert local.national == "1.001612"
    assert local.agency == "000.00.00.H48"
    assert local.agency_code == AgencyCode("000.00.00.H48")
    short = ProcedureCode(" 1.000948.h38 ")
    assert short == "1.000948.H38"
    assert short.agency == "H38"
    assert short.agency_code is None


@pytest.mark.parametrize("bad", ["1.0001", "1000178", "1.000178.X99", "a.000178", "", "1.000178."])
def test_procedure_code_rejects_malformed(bad: str) -> None:
    with pytest.raises(tthc.InvalidValueError, match=r"procedure_code: expected 'd\.dddddd'"):
        ProcedureCode(bad)


def test_agency_code_qcvn_102() -> None:
    """QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2, M = H or K."""
    code = AgencyCode("000.00.00.H49")
    assert code.province == "H49"
    assert code.levels == ("000", "00", "00", "H49")
    assert AgencyCode.is_valid("000.00.00.K21")
    assert not AgencyCode.is_valid("000.00.00.X49")
    assert not AgencyCode.is_valid("00.00.00.H49")


def test_dossier_code_canonical_tt01_2018_dieu_19() -> None:
    """TT 01/2018/TT-VPCP Điều 19: <agency id>-YYMMDD-NNNN."""
    code = DossierCode("000.00.53.H48-220921-0099")
    assert code.form == "canonical"
    assert code.received_on == date(2022, 9, 21)
    assert code.sequence == 99
    assert code.agency == "000.00.53.H48"


def test_dossier_code_legacy_forms() -> None:
    short = DossierCode("H21.65-220914-0011")
    assert (short.form, short.agency, short.received_on) == ("short", "H21.65", date(2022, 9, 14))
    numeric = DossierCode("00352112000539")
    assert (numeric.form, numeric.received_on, numeric.sequence, numeric.agency) == ("numeric", None, None, None)


@pytest.mark.parametrize("bad", ["000.00.53.H48-220231-0099", "000.00.53.H48-221301-0001", "H21.65-220230-0011"])
def test_dossier_code_rejects_impossible_dates(bad: str) -> None:
    with pytest.raises(tthc.InvalidCodeError, match="real receipt date"):
        DossierCode(bad)


def test_tracking_number_s10_check_digit() -> None:
    """UPU S10: weights 8 6 4 2 3 5 9 7; C = 11 - S mod 11; 10 -> 0, 11 -> 5."""
    tn = TrackingNumber("eb123456785vn")
    assert tn == "EB123456785VN"
    assert (tn.service_indicator, tn.serial, tn.check_digit, tn.country) == ("EB", "12345678", 5, "VN")
    with pytest.raises(tthc.InvalidCodeError, match="check digit 5"):
        TrackingNumber("EB123456789VN")


def test_tracking_number_check_digit_special_cases() -> None:
    # serial 00000000: S = 0, C = 11 -> 5 ; serial 00000001: S = 7, C = 4
    assert TrackingNumber.build("RR", 0).check_digit == 5
    assert TrackingNumber.build("RR", 1).check_digit == 4
    # a serial giving S mod 11 == 1 -> C = 10 -> 0: serial 00000300 has S = 9*3 = 27, 27 mod 11 = 5 -> 6;
    # search one that maps to 0 and check it is accepted
    zero = next(TrackingNumber.build("RR", n) for n in range(1000) if TrackingNumber.build("RR", n).check_digit == 0)
    assert TrackingNumber(str(zero)) == zero


@given(st.integers(0, 99_999_999), st.sampled_from(["EB", "RR", "CP", "EE"]))
def test_tracking_number_build_is_always_valid_and_single_digit_errors_are_caught(serial: int, svc: str) -> None:
    tn = TrackingNumber.build(svc, serial)
    assert TrackingNumber.is_valid(str(tn))
    wrong = (tn.check_digit + 1) % 10
    assert not TrackingNumber.is_valid(f"{tn[:10]}{wrong}{tn[11:]}")


def test_codes_work_as_pydantic_fields() -> None:
    class Row(BaseModel):
        procedure: ProcedureCode
        dossier: DossierCode
        tracking: TrackingNumber | None = None

    row = Row.model_validate({"procedure": "1.000178", "dossier": "H21.65-220914-0011", "tracking": "EB123456785VN"})
    assert isinstance(row.procedure, ProcedureCode)
    assert row.model_dump(mode="json")["dossier"] == "H21.65-220914-0011"
    with pytest.raises(ValidationError, match="tracking_number"):
        Row.model_validate({"procedure": "1.000178", "dossier": "H21.65-220914-0011", "tracking": "EB123456789VN"})


def test_non_string_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(tthc.InvalidValueError, match="procedure_code: expected a string"):
        ProcedureCode(1.000178)


# -- the identifier rule for non-ASCII characters (issue 11, item 7; docs/catalog.md) ------------------------------

NON_ASCII_SPELLINGS = {
    ProcedureCode: ["１.０００１７８", "1.00017٨", "1.000178.H４8", "1.000178.\u212a48"],
    AgencyCode: ["０00.00.00.H49", "000.00.00.\u212a49", "000.00.00.H٤9"],
    DossierCode: ["000.00.53.H48-220921-００99", "H21.65-220914-001١", "٠٠352112000539"],
    TrackingNumber: ["EB12345678５VN", "\u017fE123456785VN", "EB123456785V\u0274"],
}


@pytest.mark.parametrize(
    ("cls", "text"),
    [(cls, t) for cls, texts in NON_ASCII_SPELLINGS.items() for t in texts],
    # ASCII ids: the same on every collection (mutmut collects twice in one process)
    ids=lambda v: v.__name__ if isinstance(v, type) else "-".join(f"{ord(c):x}" for c in v),
)
def test_a_code_with_non_ascii_characters_is_refused_naming_the_character(cls: type[_Code], text: str) -> None:
    """One rule for every code: ASCII only, never normalised. '１.０００１７８' was accepted and differed from
    '1.000178' (two copies of one procedure in an import); now it is refused with the character and its position."""
    with pytest.raises(tthc.InvalidCodeError) as info:
        cls(text)
    assert "non-ASCII character" in info.value.detail
    assert not cls.is_valid(text)


@pytest.mark.parametrize(
    ("cls", "text"),
    [
        (ProcedureCode, "\u00a01.000178\u3000"),  # surrounding Unicode spaces are stripped, as ASCII ones
        (AgencyCode, " 000.00.00.h49 "),
        (DossierCode, "\t000.00.53.h48-220921-0099\n"),
        (TrackingNumber, "eb 1234 5678 5vn"),
    ],
)
def test_the_ascii_side_of_the_rule_still_normalises_case_and_spaces(cls: type[_Code], text: str) -> None:
    assert cls.is_valid(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x80), min_size=1, max_size=3), st.integers(0, 8))
def test_any_non_ascii_character_anywhere_makes_a_procedure_code_invalid(junk: str, at: int) -> None:
    """Property: inserting non-ASCII characters (other than surrounding spaces) into a valid code never yields a
    valid code — so no two spellings of one code can both be valid."""
    code = "1.000178"
    text = code[:at] + junk + code[at:]
    if text.strip().isascii():
        return  # only Unicode spaces were inserted at an end
    assert not ProcedureCode.is_valid(text)


def test_tracking_number_build_refuses_non_ascii_serials() -> None:
    """'²' is a digit to str.isdigit but not to int(): it used to escape as a ValueError."""
    for serial in ("²2345678", "１2345678"):
        with pytest.raises(tthc.InvalidCodeError):
            TrackingNumber.build("EB", serial)
    assert TrackingNumber.build("EB", "12345678") == "EB123456785VN"
