"""Identifiers at their edges: exact error messages, boundaries of each form, the UPU S10 check digit on published
examples, and the pydantic form (issue 11, item 14: tests found missing by mutation testing)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel

import tthc
from tthc.foundation.ids import AgencyCode, DossierCode, ProcedureCode, TrackingNumber

_AGENCY_EXPECTED = "'ddd.dd.dd.Hdd' (QCVN 102:2016, e.g. '000.00.00.H49')"
_DOSSIER_EXPECTED = (
    "'<agency id>-YYMMDD-NNNN' (TT 01/2018 Điều 19, e.g. '000.00.53.H48-220921-0099'), "
    "a short legacy form ('H21.65-220914-0011') or 10-20 digits"
)
_S10_EXPECTED = "a UPU S10 id: 2 letters, 8 digits, check digit, 2-letter country (e.g. 'EB123456785VN')"


def _message(cls: type[str], value: object) -> str:
    with pytest.raises(tthc.InvalidCodeError) as info:
        cls(value)
    return str(info.value)


def test_agency_code_message_names_field_form_and_given_text() -> None:
    assert _message(AgencyCode, " 000.00.00.X49") == f"agency_code: expected {_AGENCY_EXPECTED}, got ' 000.00.00.X49'"


def test_agency_code_is_upper_cased_and_its_levels_read_back() -> None:
    code = AgencyCode(" 000.01.23.k21 ")
    assert code == "000.01.23.K21"
    assert (code.province, code.levels) == ("K21", ("000", "01", "23", "K21"))


def test_dossier_code_message_names_field_form_and_given_text() -> None:
    assert _message(DossierCode, "H48-2209-0001") == f"dossier_code: expected {_DOSSIER_EXPECTED}, got 'H48-2209-0001'"


def test_impossible_receipt_date_message_quotes_the_code_and_the_date_part() -> None:
    assert _message(DossierCode, "000.00.53.h48-220230-0099") == (
        "dossier_code: expected a real receipt date YYMMDD inside the code, got '000.00.53.h48-220230-0099'"
        " ('220230' is not a date)"
    )


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("123456789", False),  # 9 digits: too short for the numeric form
        ("1234567890", True),
        ("12345678901234567890", True),
        ("123456789012345678901", False),  # 21 digits
        ("H21-220914-001", False),  # the short form needs 4 to 6 sequence digits
        ("H21-220914-0001", True),
        ("H21.1.22.333-220914-000001", True),
        ("H21-220914-0000001", False),
        ("H21.1.22.333.4-220914-0001", False),  # at most three dotted levels after the province
    ],
)
def test_dossier_code_form_boundaries(code: str, valid: bool) -> None:
    assert DossierCode.is_valid(code) is valid


def test_short_dossier_code_reads_back_its_parts() -> None:
    code = DossierCode("k21.7-991231-123456")
    assert (code.form, code.agency, code.received_on, code.sequence) == ("short", "K21.7", date(2099, 12, 31), 123456)


def test_leap_day_in_a_dossier_code() -> None:
    assert DossierCode("000.00.53.H48-240229-0001").received_on == date(2024, 2, 29)
    assert not DossierCode.is_valid("000.00.53.H48-230229-0001")


def test_procedure_code_message_and_local_forms() -> None:
    with pytest.raises(tthc.InvalidCodeError) as info:
        ProcedureCode("1.000178.H4")
    assert info.value.field == "procedure_code"
    assert info.value.given == "1.000178.H4"
    code = ProcedureCode("2.002154.K01")
    assert (code.is_local, code.national, code.agency, code.agency_code) == (True, "2.002154", "K01", None)
    assert not ProcedureCode("2.002154").is_local
    assert ProcedureCode("2.002154").national is not None


def test_codes_repr_as_their_type_and_text() -> None:
    assert repr(ProcedureCode(" 1.000178 ")) == "ProcedureCode('1.000178')"
    assert repr(TrackingNumber("eb123456785vn")) == "TrackingNumber('EB123456785VN')"
    assert repr(AgencyCode("000.00.00.H49")) == "AgencyCode('000.00.00.H49')"


@pytest.mark.parametrize("value", [None, 1234567890, b"1.000178", ["1.000178"]])
def test_non_strings_are_invalid_not_errors(value: object) -> None:
    assert not ProcedureCode.is_valid(value)
    assert not DossierCode.is_valid(value)
    assert not TrackingNumber.is_valid(value)


# -- UPU S10 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "published",
    [
        "AA473124829GB",  # the example of UPU S10 (serial 47312482: S = 200, 200 mod 11 = 2, C = 9)
        "EB123456785VN",
        "RR000000155VN",  # serial 00000015: S = 44, 44 mod 11 = 0, C = 11 -> 5
    ],
)
def test_published_tracking_numbers_are_valid(published: str) -> None:
    assert TrackingNumber.is_valid(published)


def test_check_digit_uses_mod_11_not_a_neighbour() -> None:
    # serial 47312482: S = 200; mod 11 -> C = 9, while a mod 12 rule would give 3
    assert TrackingNumber.build("AA", 47312482, "GB") == "AA473124829GB"
    for wrong in "0123456785":
        if wrong != "9":
            assert not TrackingNumber.is_valid(f"AA47312482{wrong}GB")


def test_check_digit_special_values_10_and_11() -> None:
    # serial 00000015: S = 1*9 + 5*7 = 44 = 4*11 -> C = 11 -> 5
    assert TrackingNumber.build("RR", 15).check_digit == 5
    # serial 00000030: S = 3*9 = 27, 27 mod 11 = 5 -> C = 6
    assert TrackingNumber.build("RR", 30).check_digit == 6
    # serial 00000003: S = 21, 21 mod 11 = 10 -> C = 1
    assert TrackingNumber.build("RR", 3).check_digit == 1
    # serial 00000008: S = 56, 56 mod 11 = 1 -> C = 10 -> 0
    assert TrackingNumber.build("RR", 8).check_digit == 0


def test_wrong_check_digit_message_says_which_digit_was_wanted() -> None:
    assert _message(TrackingNumber, "AA473124820GB") == (
        "tracking_number: expected check digit 9 for serial 47312482 (UPU S10), got 'AA473124820GB' (wrong check digit)"
    )


def test_malformed_tracking_number_message() -> None:
    assert _message(TrackingNumber, "EB12345678VN") == f"tracking_number: expected {_S10_EXPECTED}, got 'EB12345678VN'"


def test_spaces_inside_a_tracking_number_are_dropped() -> None:
    tn = TrackingNumber(" eb 1234 5678 5 vn ")
    assert tn == "EB123456785VN"
    assert (tn.serial, tn.country) == ("12345678", "VN")


def test_build_accepts_a_serial_as_text_or_number() -> None:
    assert TrackingNumber.build("EB", "12345678") == "EB123456785VN"
    assert TrackingNumber.build("EB", 12345678) == "EB123456785VN"
    assert TrackingNumber.build("EE", "00000123").serial == "00000123"
    assert TrackingNumber.build("EE", 123, "KR").country == "KR"


@pytest.mark.parametrize("serial", ["1234567", "123456789", "1234567a", 123456789, ""])
def test_build_refuses_a_serial_that_is_not_8_ascii_digits(serial: int | str) -> None:
    with pytest.raises(tthc.InvalidCodeError) as info:
        TrackingNumber.build("EB", serial)
    assert str(info.value) == f"serial: expected 8 digits, got {serial!r}"


# -- pydantic ----------------------------------------------------------------------------------------------------


def test_pydantic_dump_gives_plain_strings() -> None:
    # the model is built inside the test: pydantic asks each code type for its schema when the class is made
    class Row(BaseModel):
        procedure: ProcedureCode
        tracking: TrackingNumber

    row = Row.model_validate({"procedure": " 1.000178 ", "tracking": "eb123456785vn"})
    assert isinstance(row.procedure, ProcedureCode)
    dumped = row.model_dump()
    assert dumped == {"procedure": "1.000178", "tracking": "EB123456785VN"}
    assert type(dumped["procedure"]) is str
    assert type(dumped["tracking"]) is str
    assert row.model_dump_json() == '{"procedure":"1.000178","tracking":"EB123456785VN"}'
