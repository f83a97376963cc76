"""The testing kit's strategies build what the library accepts, and the invalid ones break the rule they name."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tthc
from tthc.calendar.working_calendar import WorkingCalendar, public_sector_calendar
from tthc.catalog.collection import Catalog
from tthc.deadlines.compute import CountingRules
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.errors import DataError, InvalidCodeError, InvalidValueError, ParseError
from tthc.fees.discounts import DiscountSet
from tthc.fees.tariffs import Tariff
from tthc.foundation.ids import AgencyCode, DossierCode, ProcedureCode, TrackingNumber
from tthc.testing import calendar_data_version, calendar_version_matches
from tthc.testing import strategies as tst
from tthc.testing.hypothesis_setup import registered_types

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- identifiers ------------------------------------------------------------------------------------------------


@FAST
@given(tst.procedure_codes())
def test_procedure_codes_are_valid_and_keep_their_national_part(code: ProcedureCode) -> None:
    """Procedure codes: national d.dddddd, local instances append the agency id (national TTHC database)."""
    assert ProcedureCode(str(code)) == code
    assert ProcedureCode.is_valid(code.national)
    assert len(code.national) == 8
    assert code.is_local == (code.agency is not None)


@FAST
@given(tst.procedure_codes(forms=["local"]))
def test_local_procedure_codes_carry_a_full_agency_id(code: ProcedureCode) -> None:
    assert code.agency_code is not None


@FAST
@given(tst.dossier_codes(forms=["canonical"], received_on=st.dates(date(2026, 1, 1), date(2026, 12, 31))))
def test_canonical_dossier_codes_carry_their_receipt_date(code: DossierCode) -> None:
    """TT 01/2018/TT-VPCP Điều 19: <agency id>-YYMMDD-NNNN, the date inside is a real date."""
    assert code.form == "canonical"
    assert code.received_on is not None
    assert code.received_on.year == 2026
    assert AgencyCode.is_valid(code.agency)


@FAST
@given(tst.dossier_codes())
def test_every_dossier_code_form_is_accepted(code: DossierCode) -> None:
    assert DossierCode.is_valid(str(code))


@FAST
@given(tst.tracking_numbers())
def test_tracking_numbers_have_the_upu_s10_check_digit(t: TrackingNumber) -> None:
    """UPU S10: weights 8 6 4 2 3 5 9 7, C = 11 - S mod 11, 10 -> 0, 11 -> 5."""
    s = sum(int(d) * w for d, w in zip(t.serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    c = 11 - s % 11
    assert t.check_digit == {10: 0, 11: 5}.get(c, c)


@FAST
@given(tst.invalid_procedure_codes())
def test_invalid_procedure_codes_are_rejected(case: tuple[str, str]) -> None:
    value, reason = case
    with pytest.raises(InvalidCodeError) as err:
        ProcedureCode(value)
    assert err.value.field == "procedure_code", reason


@FAST
@given(tst.invalid_agency_codes())
def test_invalid_agency_codes_are_rejected(case: tuple[str, str]) -> None:
    value, _ = case
    with pytest.raises(InvalidCodeError) as err:
        AgencyCode(value)
    assert err.value.field == "agency_code"


@FAST
@given(tst.invalid_dossier_codes())
def test_invalid_dossier_codes_are_rejected_for_the_stated_reason(case: tuple[str, str]) -> None:
    value, reason = case
    with pytest.raises(InvalidCodeError) as err:
        DossierCode(value)
    assert err.value.field == "dossier_code"
    # a well-formed code with an impossible date is refused for the date, and the message says so
    assert ("is not a date" in err.value.detail) == (reason == "receipt_date")


@FAST
@given(tst.invalid_tracking_numbers())
def test_invalid_tracking_numbers_are_rejected_for_the_stated_reason(case: tuple[str, str]) -> None:
    value, reason = case
    with pytest.raises(InvalidCodeError) as err:
        TrackingNumber(value)
    assert (err.value.detail == "wrong check digit") == (reason == "check_digit")


# -- processing times, catalog ----------------------------------------------------------------------------------


@FAST
@given(tst.processing_times(units=list(TimeUnit)))
def test_processing_time_text_parses_back(pt: ProcessingTime) -> None:
    assert ProcessingTime.parse(pt.text) == pt


@FAST
@given(tst.invalid_processing_times())
def test_invalid_processing_times_are_refused(case: tuple[str, str]) -> None:
    value, reason = case
    with pytest.raises(ParseError) as err:
        ProcessingTime.parse(value)
    assert err.value.field == "processing_time", reason


@FAST
@given(tst.procedures())
def test_procedures_survive_json(p: tthc.Procedure) -> None:
    again = tthc.Procedure.model_validate_json(p.model_dump_json())
    assert again == p
    assert p.channel_set == {o.channel for o in p.channels}


@FAST
@given(tst.catalogs(max_size=5))
def test_catalogs_have_unique_codes_and_round_trip(cat: Catalog) -> None:
    assert len(set(cat.codes)) == len(cat)
    assert Catalog(cat.procedures, about=cat.about) == cat
    for p in cat:
        assert cat[p.code] == p


@FAST
@given(tst.sample_procedures())
def test_sample_procedures_come_from_the_sample_catalog(p: tthc.Procedure) -> None:
    assert Catalog.sample()[p.code] == p


@FAST
@given(tst.validity_windows())
def test_validity_windows_are_ordered(w: tuple[date | None, date | None]) -> None:
    a, b = w
    assert a is None or b is None or a <= b


@FAST
@given(st.data())
def test_from_type_resolves_the_tthc_types(data: st.DataObject) -> None:
    """The hypothesis entry point registers every tthc type (st.from_type works without importing the kit)."""
    for cls in registered_types():
        assert isinstance(data.draw(st.from_type(cls)), cls)


@FAST
@given(st.from_type(tthc.Procedure))
def test_from_type_procedure(p: tthc.Procedure) -> None:
    assert p.channels


def test_importing_tthc_or_the_kit_package_imports_no_hypothesis() -> None:
    code = (
        "import sys, tthc, tthc.testing, tthc.testing.hypothesis_setup; tthc.Procedure;"
        "print('hypothesis' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_the_strategies_import_without_pytest() -> None:
    code = "import sys; import tthc.testing.strategies; print('pytest' in sys.modules, '_pytest' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False False"


# -- calendars and instants -------------------------------------------------------------------------------------


@FAST
@given(tst.working_calendars(base=public_sector_calendar()), st.data())
def test_overlays_change_the_days_they_name(cal: WorkingCalendar, data: st.DataObject) -> None:
    base = public_sector_calendar()
    d = data.draw(st.dates(date(2020, 1, 1), date(2027, 12, 31)))
    if "overlay" in cal.description:
        assert cal.is_working_day(d) == base.is_working_day(d) or "overlay" in cal.describe_day(d)
    else:
        assert cal.is_working_day(d) == base.is_working_day(d)


def test_hard_days_come_from_the_calendar_data() -> None:
    """Tết 2026, the 10 Jan 2026 make-up Saturday (12729/VPCP-KGVX) and 24 Nov 2026 are among the hard days."""
    from tthc.testing.strategies.time import _hard_days

    days = set(_hard_days(public_sector_calendar(), 2026, 2026))
    assert date(2026, 2, 17) in days  # Tết
    assert date(2026, 2, 13) in days
    assert date(2026, 2, 23) in days
    assert date(2026, 1, 10) in days
    assert date(2026, 1, 9) in days
    assert date(2026, 11, 24) in days  # Ngày Văn hóa Việt Nam [open]
    assert date(2026, 3, 11) not in days  # an ordinary Wednesday


def test_received_at_is_biased_towards_the_hard_cases() -> None:
    cal = public_sector_calendar()
    cutoff = CountingRules().cutoff
    seen: list[datetime] = []

    @settings(max_examples=300, deadline=None, database=None)
    @given(tst.received_at(calendar=cal))
    def collect(dt: datetime) -> None:
        seen.append(dt)

    collect()
    near_cutoff = [d for d in seen if abs((d.hour * 60 + d.minute) - (cutoff.hour * 60 + cutoff.minute)) <= 3]
    off_days = [d for d in seen if not cal.is_working_day(d.date())]
    fridays = [d for d in seen if d.weekday() == 4]
    assert len(near_cutoff) >= 15
    assert len(off_days) >= 15
    assert len(fridays) >= 30
    assert all(d.tzinfo is None for d in seen)


@FAST
@given(tst.received_at(aware=True))
def test_received_at_can_be_aware(dt: datetime) -> None:
    offset = dt.utcoffset()
    assert offset is not None
    assert offset.total_seconds() == 7 * 3600


@FAST
@given(tst.times_of_day())
def test_times_of_day_are_times(t: time) -> None:
    assert isinstance(t, time)


# -- tariffs and discounts --------------------------------------------------------------------------------------


@FAST
@given(tst.tariffs())
def test_generated_tariffs_load(t: Tariff) -> None:
    assert t.timelines


@FAST
@given(tst.invalid_tariff_files())
def test_invalid_tariff_files_are_rejected(case: tuple[dict[str, object], str]) -> None:
    raw, _reason = case
    with pytest.raises(DataError):
        Tariff.from_dict(raw)


@FAST
@given(tst.discount_sets())
def test_generated_discounts_load_and_never_raise_a_price(ds: DiscountSet) -> None:
    for d in ds.discounts:
        assert d.valid_from is None or d.valid_until is None or d.valid_from <= d.valid_until
        before = tthc.Money.vnd(30_500)
        assert d.apply(before, None) <= before


@FAST
@given(tst.invalid_discount_files())
def test_invalid_discount_files_are_rejected(case: tuple[dict[str, object], str]) -> None:
    raw, reason = case
    with pytest.raises(DataError) as err:
        DiscountSet.from_dict(raw)
    words = {"window_order": "valid_until", "percent_range": "percent", "payer_shares": "payers", "duplicate_id": "id"}
    assert words[reason] in str(err.value)


# -- versions ---------------------------------------------------------------------------------------------------


def test_calendar_data_version_follows_every_day() -> None:
    base = public_sector_calendar()
    v = calendar_data_version(base)
    assert v == calendar_data_version()
    assert v.startswith(f"{base.last_announced_year}-")
    closed = base.with_overlay(extra_days_off=[date(2026, 3, 11)])
    assert calendar_data_version(closed) != v
    assert calendar_version_matches(v, v)
    assert calendar_version_matches(v.split("-")[0], v)
    assert not calendar_version_matches("2025", v)
    assert not calendar_version_matches(v[:-1] + "x", v)


# -- misuse of a strategy's arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field", "given"),
    [
        (lambda: tst.procedure_codes(forms=()), "forms", ()),
        (lambda: tst.dossier_codes(forms=[]), "forms", []),
        (lambda: tst.processing_times(units=()), "units", ()),
        (lambda: tst.money(currency="JPY"), "currency", "JPY"),
        (lambda: tst.dossiers(channels=()), "channels", ()),
        (lambda: tst.dossiers(outcomes=()), "outcomes", ()),
        (lambda: tst.invalid_dossier_rows(reasons=("E_NOT_A_RULE", "E_DATE_ORDER")), "reasons", ["E_NOT_A_RULE"]),
        (lambda: tst.invalid_dossier_rows(reasons=()), "reasons", []),
        (lambda: tst.invalid_record_files(reasons=("E_DUPLICATE_DOSSIER", "E_NO_SUCH")), "reasons", ["E_NO_SUCH"]),
    ],
)
def test_a_misused_argument_is_a_tthc_error_naming_it(build: object, field: str, given: object) -> None:
    """The kit is public API: a wrong argument raises ``InvalidValueError`` (a ``TthcError`` and still a
    ``ValueError``) naming the argument, what it takes and what it got — before any example is drawn."""
    assert callable(build)
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert isinstance(caught.value, tthc.TthcError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == field
    assert caught.value.given == given
    assert str(caught.value).startswith(f"{field}: expected ")
