"""Session 12 hostile review of deadlines and the calendar (helper D, findings D1–D6, and the hours wording):

* D1 — invisible format characters (zero-width space, soft hyphen, word joiner, BOM: Unicode category Cf) inside a
  processing time do not change its unit: :func:`tthc.foundation.text.fold` drops them, so ``10 ngày\\u200blàm việc``
  is 10 working days (and the due date of ``10 ngày làm việc``);
* D2 — ``compute_due_many`` reads channel values exactly as ``compute_due`` does (``"Trực tuyến"``, ``"ONLINE"``,
  ``"2"``…), refuses what ``compute_due`` refuses with the same words, and the checked variant flags that row;
* D3 — pandas ``NaT`` (a ``datetime`` subclass) is refused by every public deadline and calendar function with the
  ``InvalidValueError`` a missing value gets, never a ``TypeError``/``ValueError``;
* D4 — the restart after a supplement counts under the versions in force on the receipt date and cites them, on
  both sides of the 30 Jun / 1 Jul 2025 switch (NĐ 61/2018 → NĐ 118/2025);
* D5 — an amount in years or weeks above the limit once converted is a ``ParseError`` quoting the text typed, with
  the limit in that unit — both sides of the limit;
* D6 — ``ngày`` followed by ``làm việc`` with only punctuation between (``5 ngày (làm việc)``) is working days; two
  amounts right after the unit (``5 ngày hoặc 7 ngày``, ``5 ngày; 7 ngày``) are refused; prose is still prose;
* the hours count's trace says "from" / "kể từ" (the count starts at the receipt instant), days keep "after".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tthc.calendar import public_sector_calendar
from tthc.deadlines import classify, compute_due, compute_due_many
from tthc.deadlines.batch import compute_due_many_checked
from tthc.deadlines.counting import CountingRules, counting_rule, default_rules_on
from tthc.deadlines.per_row import due_or_nat
from tthc.deadlines.processing_time import MAX_AMOUNT, ProcessingTime, TimeUnit
from tthc.deadlines.supplements import (
    SupplementReading,
    due_after_supplement,
    extend_due,
    supplement_window_start,
)
from tthc.deadlines.timeliness import classify_detail
from tthc.errors import InvalidValueError, ParseError
from tthc.foundation.arguments import as_day, is_nat
from tthc.foundation.datetimes import parse_local_datetime
from tthc.foundation.text import fold

# -- D1: invisible format characters -------------------------------------------------------------------------------

INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff"]


def _local(due: datetime | None) -> datetime:
    """A due instant as naive Vietnam time (it is aware in Vietnam time)."""
    assert due is not None
    return due.replace(tzinfo=None)


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_d1_an_invisible_character_does_not_turn_working_days_into_calendar_days(invisible: str) -> None:
    for text in (
        f"10 ngày{invisible}làm việc",
        f"10 ngày{invisible} làm việc",
        f"10{invisible} ngày làm{invisible} việc",
    ):
        pt = ProcessingTime.parse(text)
        assert (pt.unit, pt.amount, pt.text) == (TimeUnit.WORKING_DAYS, 10, text)


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_d1_fold_drops_format_characters(invisible: str) -> None:
    assert fold(f"Ngày{invisible} Làm việc") == "ngay lam viec"
    assert fold(f"ngày{invisible}làm") == "ngaylam"  # dropped, not a space: a soft hyphen inside a word joins it


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_d1_due_date_of_an_invisible_character_text(invisible: str) -> None:
    received = datetime(2026, 3, 2, 10, 0)
    plain = compute_due(received, "10 ngày làm việc").due_at
    assert _local(plain) == datetime(2026, 3, 16, 17, 0)
    assert compute_due(received, f"10 ngày{invisible}làm việc").due_at == plain  # was Thu 12 Mar (calendar days)


def test_d1_the_other_side_calendar_days_stay_calendar_days() -> None:
    """An invisible character after a single 'ngày' with no 'làm việc' changes nothing."""
    assert ProcessingTime.parse("10 ngày\u200b") == ProcessingTime.calendar_days(10)
    assert ProcessingTime.parse("10 ngày\u00ad kể từ ngày nhận") == ProcessingTime.calendar_days(10)


# -- D2: compute_due_many reads channels as compute_due does ---------------------------------------------------------

_SPELLINGS = [
    *("direct", "online", "postal", "DIRECT", "ONLINE", "Online", "Trực tiếp", "Trực tuyến", "truc tuyen"),
    *("TRỰC TUYẾN", "Dịch vụ công trực tuyến", "Dịch vụ bưu chính", "bưu chính", "BCCI", "1", "2", "3", " 2 "),
]


def test_d2_scalar_equals_batch_on_every_channel_spelling() -> None:
    """With the documented [open] switch (no online cut-off), a 16:00 online receipt counts that day: each spelling
    compute_due accepts gives the batch the same due date, as text, as objects, and as integer codes."""
    rules = CountingRules(online_cutoff=None)
    received = datetime(2026, 3, 2, 16, 0)
    scalar = [_local(compute_due(received, "1 ngày làm việc", channel=s, rules=rules).due_at) for s in _SPELLINGS]
    assert scalar.count(datetime(2026, 3, 3, 17, 0)) == 9  # the online spellings: a real difference to catch
    args = (np.full(len(_SPELLINGS), np.datetime64("2026-03-02T16:00", "s")), np.ones(len(_SPELLINGS), np.int64))
    for channels in (np.array(_SPELLINGS), np.array(_SPELLINGS, dtype=object)):
        got = compute_due_many(*args, np.zeros(len(_SPELLINGS), np.int64), channels=channels, rules=rules)
        assert got.astype("datetime64[us]").tolist() == scalar
    codes: list[Any] = [1, 2, 3]  # compute_due takes the portal codes as integers too (Channel.parse)
    got = compute_due_many(args[0][:3], args[1][:3], np.zeros(3, np.int64), channels=np.array(codes), rules=rules)
    assert got.tolist() == [_local(compute_due(received, "1 ngày", channel=c, rules=rules).due_at) for c in codes]
    assert got.tolist() == scalar[:3]


@pytest.mark.parametrize("label", ["Trực tuyến", "ONLINE", "Online"])
def test_d2_batch_channel_label_equals_scalar(label: str) -> None:
    rules = CountingRules(online_cutoff=None)
    scalar = compute_due(datetime(2026, 3, 2, 16, 0), "1 ngày làm việc", channel=label, rules=rules).due_at
    batch = compute_due_many(
        np.array(["2026-03-02T16:00"], dtype="datetime64[s]"), np.array([1]), np.array([0]),
        channels=np.array([label]), rules=rules,
    )[0]  # fmt: skip
    assert batch == np.datetime64(_local(scalar)) == np.datetime64("2026-03-03T17:00")


_EXPECTED_CHANNEL = "direct|online|postal, 1|2|3, or 'Trực tiếp'|'Trực tuyến'|'Dịch vụ bưu chính'"


@pytest.mark.parametrize(
    ("bad", "given"),
    [
        (np.array(["direct", "bogus"]), "bogus"),
        (np.array([1, 9]), 9),
        (np.array([1, 0]), 0),
        (np.array(["direct", None], dtype=object), None),
        (np.array(["direct", ""]), ""),
    ],
)
def test_d2_batch_unknown_channel_is_refused_as_compute_due_refuses_it(bad: np.ndarray, given: Any) -> None:
    with pytest.raises(InvalidValueError) as scalar:
        compute_due(datetime(2026, 3, 2, 16, 0), "1 ngày làm việc", channel=given)
    assert str(scalar.value) == f"channel: expected {_EXPECTED_CHANNEL}, got {given!r}"
    received = np.array(["2026-03-02T10:00", "2026-03-02T16:00"], dtype="datetime64[s]")
    with pytest.raises(InvalidValueError) as batch:
        compute_due_many(received, np.array([1, 1]), np.array([0, 0]), channels=bad)
    assert str(batch.value) == f"channels: expected {_EXPECTED_CHANNEL}, got {given!r}"
    # the checked variant: that row's error (NaT, flagged), the other row answered
    due, flagged = compute_due_many_checked(received, np.array([1, 1]), np.array([0, 0]), channels=bad)
    assert flagged.tolist() == [False, True]
    assert due[0] == np.datetime64("2026-03-03T17:00")
    assert np.isnat(due[1])
    # one answer per row: no answer for that row
    per_row = due_or_nat(received, np.array([1, 1]), np.array([0, 0]), channels=bad, calendar=public_sector_calendar())
    assert per_row[0] == np.datetime64("2026-03-03T17:00")
    assert np.isnat(per_row[1])


def test_d2_a_channel_array_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(InvalidValueError, match=r"^channels: expected an array that broadcasts with received_at"):
        compute_due_many(
            np.array(["2026-03-02T10:00"] * 3, "datetime64[s]"), np.ones(3, np.int64), np.zeros(3, np.int64),
            channels=np.array([1, 2]),
        )  # fmt: skip


# -- D3: pandas NaT ----------------------------------------------------------------------------------------------------

_DUE = datetime(2026, 3, 3, 17, 0)
_CAL = public_sector_calendar()
_INSTANT = "a datetime (naive = Vietnam time), a date or ISO text"
_CAL_INSTANT = "a datetime (naive = Vietnam time) or a date"
_DAY = "a date (a datetime is taken by its date in Vietnam time)"

_NAT_CALLS: list[tuple[str, Callable[[Any], object], str]] = [
    ("compute_due", lambda x: compute_due(x, "1 ngày làm việc"), f"received_at: expected {_INSTANT}"),
    ("compute_due online", lambda x: compute_due(x, "1 ngày", channel="online"), f"received_at: expected {_INSTANT}"),
    ("classify finished", lambda x: classify(_DUE, x), f"finished_at: expected {_INSTANT}"),
    ("classify due", lambda x: classify(x, _DUE), f"due_at: expected {_INSTANT}"),
    ("classify_detail as_of", lambda x: classify_detail(_DUE, None, as_of=x), f"as_of: expected {_INSTANT}"),
    ("is_working_day", lambda x: _CAL.is_working_day(x), "date: expected a datetime.date"),
    ("add_working_days", lambda x: _CAL.add_working_days(x, 1), "date: expected a datetime.date"),
    ("add_working_days 0", lambda x: _CAL.add_working_days(x, 0), "date: expected a datetime.date"),
    ("working_days_between", lambda x: _CAL.working_days_between(date(2026, 3, 2), x), "end: expected a datetime.date"),
    ("roll_forward", lambda x: _CAL.roll_forward(x), "date: expected a datetime.date"),
    ("describe_day", lambda x: _CAL.describe_day(x), "date: expected a datetime.date"),
    ("next_open", lambda x: _CAL.next_open(x), f"instant: expected {_CAL_INSTANT}"),
    ("previous_close", lambda x: _CAL.previous_close(x), f"instant: expected {_CAL_INSTANT}"),
    ("add_working_time", lambda x: _CAL.add_working_time(x, timedelta(hours=1)), f"instant: expected {_CAL_INSTANT}"),
    ("working_time_between", lambda x: _CAL.working_time_between(x, _DUE), f"start: expected {_CAL_INSTANT}"),
    ("schedule", lambda x: _CAL.schedule(x, date(2026, 3, 3)), f"start: expected {_CAL_INSTANT}"),
    ("sessions_on", lambda x: _CAL.sessions_on(x), f"date: expected {_CAL_INSTANT}"),
    ("counting_rule", lambda x: counting_rule("receipt_cutoff", x), f"on: expected {_DAY}"),
    ("default_rules_on", lambda x: default_rules_on(x), f"on: expected {_DAY}"),
    ("as_day", lambda x: as_day(x, "on"), f"on: expected {_DAY}"),
    ("supplement_window_start", lambda x: supplement_window_start(x), f"received_at: expected {_INSTANT}"),
    (
        "extend_due new",
        lambda x: extend_due(_DUE, x, issued_at=datetime(2026, 3, 2, 9)),
        f"new_due_at: expected {_INSTANT}",
    ),
    (
        "extend_due issued",
        lambda x: extend_due(_DUE, _DUE + timedelta(days=3), issued_at=x),
        f"issued_at: expected {_INSTANT}",
    ),
    (
        "due_after_supplement",
        lambda x: due_after_supplement(
            x, "5 ngày làm việc", supplement_requested_at=_DUE, supplement_completed_at=_DUE + timedelta(days=1)
        ),
        f"received_at: expected {_INSTANT}",
    ),
    (
        "parse_local_datetime",
        lambda x: parse_local_datetime(x),
        "datetime: expected an ISO 8601 datetime or 'dd/mm/yyyy [HH:MM[:SS]]' (no zone = Vietnam time)",
    ),
]


@pytest.mark.parametrize(("call", "message"), [pytest.param(c, m, id=name) for name, c, m in _NAT_CALLS])
def test_d3_pandas_nat_is_refused_as_a_missing_value_is(call: Callable[[object], object], message: str) -> None:
    with pytest.raises(InvalidValueError) as nat:
        call(pd.NaT)
    assert str(nat.value) == f"{message}, got NaT"
    assert nat.value.given is pd.NaT


@pytest.mark.parametrize(
    "call",
    [pytest.param(c, id=name) for name, c, _ in _NAT_CALLS if not name.startswith(("classify", "counting_rule"))],
)
def test_d3_nat_gets_the_words_of_none(call: Callable[[object], object]) -> None:
    """The other side: ``None`` (a missing value) — the same message but for what was given (where None is not a
    meaningful value of its own: an open dossier's finish, a rule key's day)."""
    with pytest.raises(InvalidValueError) as none:
        call(None)
    with pytest.raises(InvalidValueError) as nat:
        call(pd.NaT)
    assert str(nat.value) == str(none.value).removesuffix("got None") + "got NaT"


def test_d3_real_instants_and_timestamps_still_pass() -> None:
    """The guard refuses only NaT: a pandas Timestamp (also a datetime subclass) is a value."""
    assert not is_nat(datetime(2026, 3, 2))
    assert not is_nat(date(2026, 3, 2))
    assert not is_nat(None)
    assert not is_nat(pd.Timestamp("2026-03-02 10:00"))
    assert is_nat(pd.NaT)
    stamp = pd.Timestamp("2026-03-02 10:00")
    assert (
        compute_due(stamp, "1 ngày làm việc").due_at == compute_due(datetime(2026, 3, 2, 10), "1 ngày làm việc").due_at
    )
    assert _CAL.is_working_day(stamp)
    assert _CAL.add_working_days(stamp, 1) == date(2026, 3, 3)
    assert classify(_DUE, pd.Timestamp("2026-03-03 16:00")).value == "on_time"


# -- D4: the restart cites and uses the decree in force on the receipt date ------------------------------------------


def _restart(received: datetime, completed: datetime, lang: str = "en") -> tuple[set[str], tuple[str, ...]]:
    out = due_after_supplement(
        received, "5 ngày làm việc", supplement_requested_at=received, supplement_completed_at=completed,
        reading=SupplementReading.RESTART, lang=lang,
    )  # fmt: skip
    return {r.document for r in out.base.rules_applied} | {out.reference.document}, out.steps


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_d4_restart_cites_the_decree_in_force_on_the_receipt_date(lang: str) -> None:
    """Received Fri 27 Jun 2025 (NĐ 61/2018), complete Wed 2 Jul 2025 (after the switch): 61/2018 throughout."""
    cited, steps = _restart(datetime(2025, 6, 27, 9, 0), datetime(2025, 7, 2, 16, 0), lang)
    assert "61/2018/NĐ-CP" in cited, cited
    assert "118/2025/NĐ-CP" not in cited, cited
    assert not any("118/2025" in line for line in steps), steps
    assert any("15:00" in line and "61/2018/NĐ-CP Điều 18.2" in line for line in steps), steps


@pytest.mark.parametrize(
    ("received", "decree", "other"),
    [
        (datetime(2025, 6, 30, 16, 59), "61/2018/NĐ-CP", "118/2025"),  # last day of NĐ 61 (after the cut-off)
        (datetime(2025, 7, 1, 7, 30), "118/2025/NĐ-CP", "61/2018"),  # first day of NĐ 118
    ],
)
def test_d4_both_sides_of_the_switch(received: datetime, decree: str, other: str) -> None:
    cited, steps = _restart(received, datetime(2025, 7, 2, 16, 0))
    assert decree in cited, cited
    assert not any(other in c for c in cited), cited
    assert not any(other in line for line in steps), steps


@pytest.mark.parametrize(
    ("options", "due"),
    [
        ({}, datetime(2025, 7, 4, 17, 0)),  # 16:00 is after the 15:00 cut-off: counted from Thu 3 Jul
        ({"rules": CountingRules(cutoff=time(16, 30))}, datetime(2025, 7, 3, 17, 0)),  # the caller's rules win
        ({"profile": "opencps"}, datetime(2025, 7, 3, 16, 0)),  # a profile on top: 8 hours from 16:00
        ({"profile": "sync_hours"}, datetime(2025, 7, 3, 17, 0)),  # 8 hours from Thu 07:30 (the cut-off kept)
    ],
)
def test_d4_restart_counts_from_the_complete_dossier_with_rules_and_profiles(options: Any, due: datetime) -> None:
    """Rules given by the caller, or a profile applied on top of the receipt era's rules: the due date is that of a
    count from the complete dossier under them, and the citations stay those of the receipt date."""
    completed = datetime(2025, 7, 2, 16, 0)
    out = due_after_supplement(
        datetime(2025, 6, 27, 9, 0), "1 ngày làm việc", supplement_requested_at=datetime(2025, 6, 30, 9, 0),
        supplement_completed_at=completed, **options,
    )  # fmt: skip
    assert _local(out.due_at) == due
    assert out.due_at == compute_due(completed, "1 ngày làm việc", **options).due_at
    assert "118/2025/NĐ-CP" not in {r.document for r in out.base.rules_applied}


# -- D5: amounts over the limit once converted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("999999 năm", "83333 năm"),
        ("83334 năm", "83333 năm"),
        ("999999 tuần", "142857 tuần"),
        ("142858 Tuần", "142857 tuần"),
    ],
)
def test_d5_over_the_limit_once_converted_quotes_the_text(text: str, most: str) -> None:
    with pytest.raises(ParseError) as err:
        ProcessingTime.parse(text)
    message = str(err.value)
    assert message.endswith(f", got {text!r} (an amount above {most})"), message
    assert err.value.given == text
    assert "11999988" not in message
    assert "6999993" not in message
    assert "999999 tháng" not in message


def test_d5_the_largest_amounts_in_years_and_weeks_are_read() -> None:
    assert ProcessingTime.parse("83333 năm") == ProcessingTime.months(83333 * 12)
    assert ProcessingTime.parse("142857 tuần") == ProcessingTime.calendar_days(142857 * 7)
    assert 142857 * 7 <= MAX_AMOUNT < 142858 * 7
    assert 83333 * 12 <= MAX_AMOUNT < 83334 * 12


def test_d5_the_command_line_quotes_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    code = main(["--lang", "en", "due", "--received", "2026-03-02 10:00", "--processing-time", "999999 năm"])
    err = capsys.readouterr().err
    assert code == 2
    assert "'999999 năm'" in err, err
    assert "83333 năm" in err, err
    assert "11999988" not in err, err


# -- D6: text after "ngày" ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        *("5 ngày (làm việc)", "5 ngày-làm việc", "5 ngày, làm việc", "5 ngày làmviệc", "5 ngàylàm việc"),
        *(
            "5 NGÀY (LÀM VIỆC)",
            "5 ngày lv",
            "5 ngày (LV)",
            "5 ngày - làm việc kể từ ngày nhận đủ hồ sơ",
            "5 ngày làm việc",
        ),
    ],
)
def test_d6_day_then_working_is_working_days(text: str) -> None:
    assert ProcessingTime.parse(text) == ProcessingTime.working_days(5)


@pytest.mark.parametrize(
    "text",
    [
        *("5 ngày", "5 ngày lễ", "5 ngày kể từ ngày làm việc đầu tiên", "5 ngày (kể từ ngày nhận)", "5 ngày lvx"),
        *("15 ngày (20 ngày đối với hồ sơ phức tạp)", "5 ngày hoặc hơn", "30 ngày, trường hợp phức tạp 45 ngày"),
    ],
)
def test_d6_the_other_side_calendar_days_and_prose(text: str) -> None:
    """'làm việc' not right after 'ngày' (words between), or a second figure inside prose: the leading figure in
    calendar days, as documented."""
    pt = ProcessingTime.parse(text)
    assert pt.unit is TimeUnit.CALENDAR_DAYS
    assert pt.amount in (5, 15, 30)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("5 ngày hoặc 7 ngày", "two alternative amounts"),
        ("5 ngày hay 7 ngày", "two alternative amounts"),
        ("5 ngày, hoặc 7 ngày", "two alternative amounts"),
        ("5 ngày làm việc hoặc 7 ngày", "two alternative amounts"),
        ("5 ngày hoặc 7", "two alternative amounts"),
        ("5 ngày; 10 ngày làm việc", "two alternative amounts"),
        ("5 ngày (làm việc) hoặc 7 ngày", "two alternative amounts"),
        ("5 ngày làm việc/ 7 ngày", "compound"),
        ("5 hoặc 7 ngày làm việc", "unknown unit 'hoac'"),
    ],
)
def test_d6_two_amounts_are_refused_never_the_first(text: str, why: str) -> None:
    with pytest.raises(ParseError) as err:
        ProcessingTime.parse(text)
    assert why in err.value.detail
    assert err.value.given == text


# -- the hours count starts at the receipt instant: "from", not "after" ------------------------------------------------


def test_the_hours_trace_says_from_and_the_days_trace_after() -> None:
    hours = compute_due(datetime(2025, 12, 29, 10, 30), "12 giờ làm việc").steps_in("en")
    assert hours[1].startswith("12 working hours from Mon 2025-12-29 (inside office sessions, from the effective")
    days = compute_due(datetime(2025, 12, 29, 10, 30), "2 ngày làm việc").steps_in("en")
    assert days[1].startswith("2 working days after Mon 2025-12-29 (receipt day not counted")
    profile_hours = compute_due(
        datetime(2026, 3, 2, 10, 0), "1 ngày làm việc", rules=CountingRules(day_as_working_hours=8)
    )
    assert any(" working hours from " in line for line in profile_hours.steps_in("en"))


# --- Weeks, months and years of working time (found by mutation testing's reviewer, session 12) -----------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2 tuần làm việc", "tuần"),
        ("2 Tuần Làm Việc", "tuần"),
        ("2 tháng (làm việc)", "tháng"),
        ("1 năm-làm việc", "năm"),
        ("3 tuần lv", "tuần"),
    ],
)
def test_weeks_months_and_years_of_working_time_are_refused_not_read_as_calendar_time(text: str, shown: str) -> None:
    with pytest.raises(ParseError) as caught:
        ProcessingTime.parse(text)
    assert f"got {text!r} ('{shown} làm việc': working time is counted in working days or hours" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("2 tuần", TimeUnit.CALENDAR_DAYS, 14),  # BLDS 2015 Điều 145.1
        ("2 tuần kể từ ngày làm việc đầu tiên", TimeUnit.CALENDAR_DAYS, 14),  # words between: prose
        ("3 tháng", TimeUnit.MONTHS, 3),
        ("1 năm", TimeUnit.MONTHS, 12),
        ("2 ngày làm việc", TimeUnit.WORKING_DAYS, 2),
    ],
)
def test_the_other_side_weeks_months_and_years_alone_still_read(text: str, unit: TimeUnit, amount: int) -> None:
    pt = ProcessingTime.parse(text)
    assert (pt.unit, pt.amount) == (unit, amount)
