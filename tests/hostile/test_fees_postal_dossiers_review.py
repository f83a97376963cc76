"""found by a hostile review of fees, postal eligibility and dossiers, session 11"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

import tthc
import tthc.foundation.today as today_module
from tthc.catalog.collection import Catalog
from tthc.cli._app import app
from tthc.dossiers import (
    DeliveryAttempted,
    Dossier,
    Extended,
    Finished,
    HandedOver,
    PostalPickup,
    Received,
    Refused,
    ResultCollected,
    ResultDispatched,
    ReturnedToAgency,
    SupplementCompleted,
    SupplementRequested,
)
from tthc.dossiers.events import parse_event
from tthc.errors import InvalidValueError
from tthc.fees.discounts import DecidingDate
from tthc.fees.quotes import LineKind, Quote, quote
from tthc.fees.tariffs import Leg, Tariff
from tthc.foundation.data_files import load_json
from tthc.foundation.money import Money
from tthc.foundation.today import vn_today
from tthc.postal.eligibility import AgencyLists, check_postal_eligibility
from tthc.postal.timeline import EventKind, postal_dossier_timeline
from tthc.postal.zones import Zone
from tthc.records.model import DossierStatus

CAT = Catalog.sample()
SECURED_GL = CAT["1.011432.000.00.00.H21"]  # Gia Lai, secured transactions: 659/UBND-KGVX (30 %, 23/3-30/5/2020)
TEN_DAYS = CAT["2.001417"]
TRACK = "EB123456785VN"
VN = timezone(timedelta(hours=7))


def _discounts(q: Quote, leg: Leg | None = None) -> list[int]:
    return [
        ln.amount.minor
        for ln in q.lines
        if ln.kind is LineKind.DISCOUNT and ln.amount is not None and (leg is None or ln.leg is leg)
    ]


# -- 1. the discount of a leg is judged on the day of that leg ---------------------------------------------------------


def _postal_dossier(pickup: str, handover: str, finished: str, dispatched: str) -> Dossier:
    d = Dossier.start(PostalPickup(at=pickup), procedure=SECURED_GL, result_by_post=True, route="same_district")
    return d.apply_all(
        [HandedOver(at=handover), Finished(at=finished), ResultDispatched(at=dispatched, tracking_number=TRACK)]
    )


def test_dossier_quote_judges_the_return_leg_on_the_day_the_post_took_the_result() -> None:
    d = _postal_dossier("2020-03-18 09:00", "2020-03-19 09:00", "2020-03-30 10:00", "2020-04-01 09:00")
    q = d.quote()
    assert _discounts(q, Leg.SEND) == []  # picked up 18 Mar: before 23 Mar
    assert _discounts(q, Leg.RETURN) == [-7_800]  # result taken 1 Apr: inside the window


def test_dossier_quote_gives_no_discount_to_a_result_taken_after_the_window() -> None:
    d = _postal_dossier("2020-05-28 09:00", "2020-05-28 14:00", "2020-06-02 10:00", "2020-06-03 09:00")
    q = d.quote()
    assert _discounts(q, Leg.SEND) == []  # 659 covers the return leg only
    assert _discounts(q, Leg.RETURN) == []
    assert any("return leg: discount gia_lai_659_2020 not applied" in s for s in q.steps_in("en"))


@pytest.mark.parametrize(("day", "expected"), [(date(2020, 5, 30), [-7_800]), (date(2020, 5, 31), [])])
def test_a_leg_date_decides_on_both_sides_of_the_window_end(day: date, expected: list[int]) -> None:
    q = quote(
        SECURED_GL,
        channel="postal",
        postal="both",
        route="same_district",
        on=date(2020, 4, 1),
        dates={(Leg.RETURN, DecidingDate.PICKUP): day},
    )
    assert _discounts(q, Leg.RETURN) == expected


def test_a_leg_date_wins_over_the_shared_date() -> None:
    q = quote(
        SECURED_GL,
        channel="postal",
        postal="both",
        route="same_district",
        on=date(2020, 4, 1),
        dates={"pickup": date(2020, 6, 1), ("return", "pickup"): date(2020, 4, 2)},
    )
    assert _discounts(q, Leg.RETURN) == [-7_800]


def test_dossier_quote_takes_the_province_from_the_agency_code() -> None:
    d = Dossier.start(
        Received(at="2020-04-01 09:00", via="online"),
        procedure=CAT["1.011432"],
        agency_code="000.00.00.H21",
        online_level=tthc.OnlineLevel.LEVEL_4,
        result_by_post=True,
    )
    assert _discounts(d.quote()) == [-9_000]


# -- 2. the dated online driving-licence rate outside its window -------------------------------------------------------


def _fees(on: date) -> list[int | None]:
    q = quote(CAT["1.002809"], channel="online", on=on)
    return [ln.amount.minor if ln.amount is not None else None for ln in q.lines if ln.kind is LineKind.FEE]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 11, 30), [None]),
        (date(2023, 12, 1), [115_000]),
        (date(2025, 12, 31), [115_000]),
        (date(2026, 1, 1), [None]),
    ],
)
def test_the_online_driving_licence_rate_is_unknown_outside_its_window(day: date, expected: list[int | None]) -> None:
    assert _fees(day) == expected
    q = quote(CAT["1.002809"], channel="online", on=day)
    assert q.complete is (expected != [None])


def test_an_unknown_dated_fee_says_why() -> None:
    q = quote(CAT["1.002809"], channel="online", on=date(2026, 1, 1), lang="en")
    (fee,) = [ln for ln in q.lines if ln.kind is LineKind.FEE]
    assert fee.amount is None
    assert fee.notes[0] == (
        "published 115.000 đ, but a dated rate of this kind covers the procedure and none is in force on 2026-01-01:"
        " fee unknown"
    )


# -- 3. a leg-specific tariff price beside the one_way price -----------------------------------------------------------


def _tariff_with_a_return_price() -> Tariff:
    raw = copy.deepcopy(load_json("bcci_tariffs.json"))
    raw["tariffs"][0]["entries"].append(
        {"service": "return", "zone": "same_district", "weight_up_to_g": 100, "amount": 20000}
    )
    return Tariff.from_dict(raw)


def test_a_return_specific_price_wins_over_the_one_way_price() -> None:
    tariff = _tariff_with_a_return_price()
    back = tariff.price(Leg.RETURN, Zone.SAME_DISTRICT, date(2024, 1, 1), weight_g=50)
    assert (back.amount, back.estimate) == (Money.vnd(20_000), False)
    there = tariff.price(Leg.SEND, Zone.SAME_DISTRICT, date(2024, 1, 1), weight_g=50)
    assert (there.amount, there.estimate) == (Money.vnd(26_000), False)


# -- 4, 5. published agency lists -----------------------------------------------------------------------------------

BIRTH_GL = CAT["1.001193.000.00.00.H21"]  # presence no, authorisation yes: eligible by the general rule
BIRTH = CAT["1.001193"]
REF = {"document": "1234/QĐ-UBND", "issued": "2020-01-01"}
PROVINCE_INCLUDED = {
    "id": "h21_included",
    "name": "Gia Lai: done via BCCI",
    "province": "H21",
    "kind": "included",
    "valid_from": "2020-01-01",
    "reference": REF,
    "procedures": [{"code": "1.001193"}],
}
AGENCY_EXCLUDED = {
    "id": "ppc_h21_excluded",
    "name": "Gia Lai PPC: not done via BCCI",
    "agencies": ["000.00.00.H21"],
    "kind": "excluded",
    "valid_from": "2020-01-01",
    "reference": REF,
    "procedures": [{"code": "1.001193"}],
}


@pytest.mark.parametrize("order", [(PROVINCE_INCLUDED, AGENCY_EXCLUDED), (AGENCY_EXCLUDED, PROVINCE_INCLUDED)])
def test_the_agencys_own_list_wins_whatever_the_order(order: tuple[dict[str, object], ...]) -> None:
    lists = AgencyLists.from_dict({"lists": list(order)})
    v = check_postal_eligibility(BIRTH_GL, "both", on=date(2021, 1, 1), agency_lists=lists, lang="en")
    assert (v.eligible, v.decided_by) == (False, "agency_list")
    assert [r.code for r in v.reasons][-2:] == ["agency_list_excluded", "agency_list_precedence"]


def test_another_agency_of_the_province_gets_the_province_list() -> None:
    lists = AgencyLists.from_dict({"lists": [AGENCY_EXCLUDED, PROVINCE_INCLUDED]})
    v = check_postal_eligibility(BIRTH, "both", on=date(2021, 1, 1), agency="000.00.12.H21", agency_lists=lists)
    assert (v.eligible, v.decided_by) == (True, "agency_list")


@pytest.mark.parametrize("agency", ["H21", " h21 "])
def test_knowing_only_the_province_never_settles_what_the_agency_could_flip(agency: str) -> None:
    lists = AgencyLists.from_dict({"lists": [AGENCY_EXCLUDED]})
    v = check_postal_eligibility(BIRTH, "both", on=date(2021, 1, 1), agency=agency, agency_lists=lists)
    assert (v.eligible, v.missing) == (None, ("agency",))
    full = check_postal_eligibility(BIRTH, "both", on=date(2021, 1, 1), agency="000.00.00.H21", agency_lists=lists)
    assert (full.eligible, full.decided_by) == (False, "agency_list")


def test_a_list_of_another_provinces_agency_does_not_make_the_verdict_unknown() -> None:
    lists = AgencyLists.from_dict({"lists": [AGENCY_EXCLUDED]})
    v = check_postal_eligibility(BIRTH, "both", on=date(2021, 1, 1), agency="H48", agency_lists=lists)
    assert (v.eligible, v.decided_by) == (True, "general_rule")


# -- 6, F8. the province of a quote ------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["H21", "h21", " H21 ", "H21\t"])
def test_the_province_is_normalised(given: str) -> None:
    q = quote(SECURED_GL, channel="online", postal="return", on=date(2020, 4, 1), online_level=4, province=given)
    assert _discounts(q) == [-9_000]


@pytest.mark.parametrize("given", ["ZZZ", "Gia Lai", "H2", "H211", "H２1", 21])
def test_a_province_that_is_no_code_is_refused(given: object) -> None:
    with pytest.raises(InvalidValueError) as e:
        quote(SECURED_GL, channel="online", postal="return", on=date(2020, 4, 1), province=given)  # type: ignore[arg-type]
    assert e.value.field == "province"
    assert str(e.value).startswith("province: expected a province code such as H21")


def test_a_province_contradicting_the_procedure_code_is_said_and_the_rule_named() -> None:
    q = quote(
        SECURED_GL, channel="online", postal="return", on=date(2020, 4, 1), online_level=4, province="H33", lang="en"
    )
    assert _discounts(q) == []
    assert "province H33 given, the procedure code says H21: H33 used" in q.steps
    assert any("gia_lai_659_2020 not applied (province H33 not covered)" in s for s in q.steps)


def _cli(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = app(
        [
            *("--lang", "en", "quote", "1.011432.000.00.00.H21", "--channel", "online", "--postal", "return"),
            *("--on", "01/04/2020", *extra),
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_province_in_lower_case_keeps_the_discount(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "--province", " h21 ", "--json")
    assert code == 0
    assert json.loads(out)["total"] == {"VND": "101000"}


def test_cli_bad_province_is_one_line_naming_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "--province", "Gia Lai")
    assert code == 2
    assert err.startswith("tthc: --province: expected a province code such as H21")
    assert len(err.strip().splitlines()) == 1


# -- 7, 11. the deciding dates of a quote ------------------------------------------------------------------------------


def test_a_misspelled_deciding_date_key_is_refused() -> None:
    with pytest.raises(InvalidValueError) as e:
        quote(
            SECURED_GL,
            channel="postal",
            postal="both",
            route="same_district",
            on=date(2020, 4, 1),
            dates={"pick_up": date(2020, 6, 1)},
        )
    assert e.value.field == "dates"
    assert "pick_up" in str(e.value)


@pytest.mark.parametrize(
    "bad",
    [{("sideways", "pickup"): date(2020, 4, 1)}, {"pickup": "2020-06-01"}, [1, 2]],
    ids=["bad-leg", "text-date", "not-a-mapping"],
)
def test_bad_dates_raise_an_invalid_value_naming_dates(bad: object) -> None:
    with pytest.raises(InvalidValueError) as e:
        quote(SECURED_GL, channel="postal", postal="both", route="same_district", on=date(2020, 4, 1), dates=bad)  # type: ignore[arg-type]
    assert e.value.field.startswith("dates")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2020, 5, 30, 23, 59), [-7_800]),
        (datetime(2020, 5, 30, 16, 59, tzinfo=UTC), [-7_800]),  # 23:59 in Vietnam
        (datetime(2020, 5, 30, 17, 0, tzinfo=UTC), []),  # 31 May 00:00 in Vietnam
    ],
)
def test_datetimes_in_dates_are_read_as_their_vietnam_day(when: datetime, expected: list[int]) -> None:
    q = quote(
        SECURED_GL,
        channel="postal",
        postal="both",
        route="same_district",
        on=date(2020, 4, 1),
        dates={DecidingDate.PICKUP: when},
    )
    assert _discounts(q) == expected


# -- 8. a record row read back ----------------------------------------------------------------------------------------


def test_a_refused_dossier_stays_refused_through_its_record_row() -> None:
    d = Dossier.start(
        Received(at="2026-03-02 09:00"),
        procedure=TEN_DAYS,
        dossier_code="000.00.53.H48-260302-0001",
        agency_code="000.00.53.H48",
    ).apply(Refused(at="2026-03-02 09:30"))
    back = Dossier.from_record(d.to_record(), procedure=TEN_DAYS)
    assert back.status is d.status is DossierStatus.NOT_RECEIVED
    when = datetime(2026, 4, 30, 9)
    assert back.timeliness(when) == d.timeliness(when)
    with pytest.raises(tthc.TthcError):
        back.apply(Finished(at="2026-03-03 09:00"))


def test_a_pending_second_supplement_stays_pending_through_its_record_row() -> None:
    d = Dossier.start(
        Received(at="2026-03-02 09:00"),
        procedure=TEN_DAYS,
        dossier_code="000.00.53.H48-260302-0001",
        agency_code="000.00.53.H48",
    ).apply_all(
        [
            SupplementRequested(at="2026-03-03 09:00"),
            SupplementCompleted(at="2026-03-04 09:00"),
            SupplementRequested(at="2026-03-05 09:00"),
        ]
    )
    row = d.to_record()
    assert row.status is DossierStatus.SUPPLEMENT_REQUESTED
    back = Dossier.from_record(row, procedure=TEN_DAYS)
    assert back.status is DossierStatus.SUPPLEMENT_REQUESTED
    with pytest.raises(tthc.TthcError):
        back.apply(Finished(at="2026-03-20 09:00"))


# -- 9. "today" is the Vietnam date ------------------------------------------------------------------------------------


class _FrozenClock(datetime):
    instant = datetime(2020, 5, 30, 17, 0, tzinfo=UTC)

    @classmethod
    def now(cls, tz: object = None) -> _FrozenClock:
        return cls.fromtimestamp(cls.instant.timestamp(), tz)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2020, 5, 30, 16, 59, tzinfo=UTC), date(2020, 5, 30)),
        (datetime(2020, 5, 30, 17, 0, tzinfo=UTC), date(2020, 5, 31)),
    ],
)
def test_vn_today_is_the_date_in_vietnam(monkeypatch: pytest.MonkeyPatch, instant: datetime, expected: date) -> None:
    monkeypatch.setattr(_FrozenClock, "instant", instant)
    monkeypatch.setattr(today_module, "datetime", _FrozenClock)
    assert vn_today() == expected


def _zone_where_the_date_differs_from_vietnam() -> str:
    """UTC-12 lags Vietnam by 19 h (its date differs before 19:00 in Vietnam), UTC+14 leads by 7 h (from 17:00)."""
    return "Etc/GMT+12" if datetime.now(VN).hour < 17 else "Etc/GMT-14"


def test_default_days_are_the_vietnam_date_whatever_the_machine_zone() -> None:
    env = dict(os.environ, TZ=_zone_where_the_date_differs_from_vietnam())
    script = (
        "from tthc.catalog.collection import Catalog\n"
        "from tthc.postal.eligibility import check_postal_eligibility\n"
        "from tthc.cli._app import app\n"
        "print(check_postal_eligibility(Catalog.sample()['1.001193']).on.isoformat())\n"
        "app(['quote', '2.001417', '--channel', 'direct', '--json'])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    first, rest = out.stdout.split("\n", 1)
    assert first == datetime.now(VN).date().isoformat()
    assert json.loads(rest)["on"] == datetime.now(VN).date().isoformat()


# -- 10, 13. the postal timeline's handover --------------------------------------------------------------------------


def test_an_aware_handover_is_placed_on_its_vietnam_day() -> None:
    tl = postal_dossier_timeline(
        TEN_DAYS,
        service="both",
        route="within_province",
        picked_up_on=date(2026, 3, 2),
        handover_at=datetime(2026, 3, 3, 18, 0, tzinfo=UTC),  # Wed 4 Mar 01:00 in Vietnam
    )
    handover = tl.event(EventKind.HANDOVER)
    assert handover is not None
    assert handover.day == date(2026, 3, 4)
    assert handover.at == datetime(2026, 3, 4, 1, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("handover", "ok"), [(datetime(2026, 3, 9, 23, 59), False), (datetime(2026, 3, 10, 0, 0), True)]
)
def test_a_handover_before_the_pickup_day_is_refused(handover: datetime, ok: bool) -> None:
    def run() -> object:
        return postal_dossier_timeline(
            TEN_DAYS, service="both", route="within_province", picked_up_on=date(2026, 3, 10), handover_at=handover
        )

    if ok:
        run()
        return
    with pytest.raises(InvalidValueError) as e:
        run()
    assert e.value.field == "handover_at"
    assert "on or after the pickup day J (2026-03-10)" in str(e.value)


def test_a_result_ready_before_the_receipt_is_refused() -> None:
    with pytest.raises(InvalidValueError) as e:
        postal_dossier_timeline(
            TEN_DAYS,
            service="return",
            channel=tthc.Channel.DIRECT,
            received_at=datetime(2026, 3, 10, 9, 0),
            result_ready_on=date(2026, 3, 9),
        )
    assert e.value.field == "result_ready_on"


# -- 12. a dossier across the 1 Jul 2025 district reform ---------------------------------------------------------------


def _across_july_2025() -> Dossier:
    d = Dossier.start(
        PostalPickup(at="2025-06-27 09:00", tracking_number=TRACK),
        procedure=TEN_DAYS,
        route="same_district",
        result_by_post=True,
    )
    return d.apply_all(
        [
            HandedOver(at="2025-06-30 09:00"),
            Finished(at="2025-07-02 09:00"),
            ResultDispatched(at="2025-07-03 09:00", tracking_number=TRACK),
        ]
    )


def test_a_dossier_across_the_district_reform_is_still_explained() -> None:
    d = _across_july_2025()
    sent, result = d.postal_legs()
    assert sent.estimate.zone is Zone.SAME_DISTRICT  # 27 Jun 2025: districts still exist
    assert result.estimate.zone is Zone.WITHIN_PROVINCE  # 3 Jul 2025: the coarser zone that remains
    text = d.explain("en")
    assert "route same_district read as within_province after the district reform [open]" in text
    assert d.quote().route is Zone.WITHIN_PROVINCE


# -- 14. online_level as quote() reads it ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [4, "4", "level_4"])
def test_dossier_start_reads_the_online_level_as_quote_does(level: object) -> None:
    d = Dossier.start(
        Received(at="2020-04-01 09:00", via="online"),
        procedure=SECURED_GL,
        online_level=level,  # type: ignore[arg-type]
        result_by_post=True,
    )
    assert d.setup.online_level is tthc.OnlineLevel.LEVEL_4
    assert _discounts(d.quote()) == [-9_000]


def test_dossier_start_refuses_a_bad_level_in_the_house_wording() -> None:
    with pytest.raises(InvalidValueError) as e:
        Dossier.start(Received(at="2020-04-01 09:00", via="online"), procedure=SECURED_GL, online_level=9)
    assert e.value.field == "online_level"
    assert "Input should be" not in str(e.value)


# -- 15. a result back at the agency is not in transit -----------------------------------------------------------------


def test_a_result_back_at_the_agency_is_worded_so() -> None:
    d = Dossier.start(Received(at="2026-03-02 09:00"), procedure=TEN_DAYS, result_by_post=True).apply_all(
        [
            Finished(at="2026-03-10 09:00"),
            ResultDispatched(at="2026-03-10 10:00", tracking_number=TRACK),
            DeliveryAttempted(at="2026-03-11 10:00"),
            DeliveryAttempted(at="2026-03-13 10:00"),
            ReturnedToAgency(at="2026-03-16 10:00"),
            ResultCollected(at="2026-03-17 10:00"),
        ]
    )
    (line,) = [ln for ln in d.explain("en").splitlines() if "postal leg (result)" in ln]
    assert line.endswith("; back at the agency 2026-03-16"), line
    (vi,) = [ln for ln in d.explain("vi").splitlines() if "đang chuyển phát" in ln] or [""]
    assert vi == ""


# -- 16. the field of a bad Extended.new_due_at ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["garbage", "2026-02-30 10:00", date(2026, 3, 20)])
def test_a_bad_new_due_at_is_named_new_due_at(bad: object) -> None:
    with pytest.raises(InvalidValueError) as e:
        Extended(at="2026-03-02 09:00", new_due_at=bad)
    assert e.value.field == "new_due_at"
    assert str(e.value).startswith("new_due_at: expected ")


def test_a_bad_new_due_at_read_from_json_is_named_new_due_at() -> None:
    with pytest.raises(InvalidValueError) as e:
        parse_event({"kind": "extended", "at": "2026-03-02 09:00", "new_due_at": "garbage"})
    assert e.value.field == "new_due_at"


def test_a_bad_at_is_still_named_at() -> None:
    with pytest.raises(InvalidValueError) as e:
        Extended(at="garbage", new_due_at="2026-03-20 17:00")
    assert e.value.field == "at"
