"""The vectorised checks' fast paths give what the slow ones give (issue 16, item 4): dossier codes and tracking
numbers read byte by byte from the Arrow buffers against the regular expressions and the Python path (and the
scalar :class:`~tthc.foundation.ids.DossierCode`), due dates counted only for the rows that have a receipt."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.calendar.working_calendar import public_sector_calendar
from tthc.errors import InvalidValueError
from tthc.foundation.ids import DossierCode
from tthc.records.columns import StrCol
from tthc.validation.checks import _CANONICAL_RE, dossier_code_checks, tracking_checks
from tthc.validation.due import due_for_rows_in_range

CANONICAL = "000.00.53.H48-220921-0099"
TRACKING = "EB123456785VN"
NOISE = "0123456789.-HKhkIxé２ \u017f@[`{"


def _mutants(base: str) -> st.SearchStrategy[str | None]:
    """``base`` with a few characters replaced, cut short, or missing — near misses of the form."""
    edits = st.lists(st.tuples(st.integers(0, len(base) - 1), st.sampled_from(NOISE)), max_size=3)

    def apply(e: list[tuple[int, str]], cut: int) -> str:
        chars = list(base)
        for k, c in e:
            chars[k] = c
        return "".join(chars)[: cut or None]

    return st.one_of(st.none(), st.builds(apply, edits, st.integers(0, len(base))))


def _both(values: Sequence[str | None]) -> tuple[StrCol, StrCol]:
    return StrCol(arrow=pa.array(values, pa.string())), StrCol(obj=np.array(values, dtype=object))


def _same_days(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(((a == b) | (np.isnat(a) & np.isnat(b))).all())


@given(st.lists(_mutants(CANONICAL), min_size=1, max_size=40), st.integers(0, 5))
@settings(max_examples=300, deadline=None)
def test_dossier_codes_read_from_arrow_buffers_agree_with_python_and_the_scalar_code(
    values: list[str | None], lo: int
) -> None:
    arrow, python = _both(values)
    a_day, a_bad = dossier_code_checks(arrow)
    p_day, p_bad = dossier_code_checks(python)
    assert a_bad.tolist() == p_bad.tolist()
    assert _same_days(a_day, p_day)
    rx = re.compile(_CANONICAL_RE)
    for k, v in enumerate(values):
        if v is not None and rx.match(v):
            try:
                on = DossierCode(v).received_on
            except InvalidValueError:
                on = None
            assert (np.isnat(a_day[k]) and on is None) or a_day[k] == np.datetime64(on, "D")
    # a slice of the column (a piece of a chunk) reads its own rows
    s_day, s_bad = dossier_code_checks(StrCol(arrow=pa.array(values, pa.string()).slice(lo)))
    assert s_bad.tolist() == a_bad[lo:].tolist()
    assert _same_days(s_day, a_day[lo:])


def test_dossier_code_dates_are_20yy_and_impossible_days_are_none() -> None:
    values = [
        "000.00.53.H48-991231-0099",  # 2099, as DossierCode reads it (not 1999)
        "000.00.53.H48-000229-0099",  # 2000 is a leap year
        "000.00.53.h48-010229-0099",  # 2001 is not: malformed
        "000.00.53.K48-241301-0099",  # month 13
        "H48.1-240102-0001",  # the short form, through the regular expression
        "000.00.53.I48-240102-0001",  # neither H nor K
    ]
    for col in _both(values):
        days, bad = dossier_code_checks(col)
        assert days[:2].tolist() == [date(2099, 12, 31), date(2000, 2, 29)]
        assert np.isnat(days[2:4]).all()
        assert days[4] == np.datetime64("2024-01-02")
        assert bad.tolist() == [False, False, True, True, False, True]


@given(st.lists(_mutants(TRACKING), min_size=1, max_size=40), st.integers(0, 5))
@settings(max_examples=300, deadline=None)
def test_tracking_numbers_read_from_arrow_buffers_agree_with_the_regular_expression(
    values: list[str | None], lo: int
) -> None:
    arrow, python = _both(values)
    a_form, a_digit = tracking_checks(arrow)
    p_form, p_digit = tracking_checks(python)
    rx = re.compile(r"^[A-Za-z]{2}[0-9]{9}[A-Za-z]{2}$")
    assert a_form.tolist() == p_form.tolist() == [v is not None and rx.match(v) is not None for v in values]
    assert a_digit.tolist() == p_digit.tolist()
    s_form, s_digit = tracking_checks(StrCol(arrow=pa.array(values, pa.string()).slice(lo)))
    assert s_form.tolist() == a_form[lo:].tolist()
    assert s_digit.tolist() == a_digit[lo:].tolist()


def test_tracking_check_digit_both_ways() -> None:
    form, digit = tracking_checks(StrCol(arrow=pa.array(["EB123456785VN", "eb123456785vn", "EB123456784VN"])))
    assert form.tolist() == [True, True, True]
    assert digit.tolist() == [True, True, False]


def test_due_dates_are_counted_only_where_there_is_a_receipt_and_equal_counting_every_row() -> None:
    cal = public_sector_calendar()
    rng = np.random.default_rng(16)
    n = 400
    received = (np.datetime64("2024-01-01T00:00:00") + rng.integers(0, 3 * 365 * 86400, n)).astype("datetime64[s]")
    received[rng.random(n) < 0.6] = np.datetime64("NaT")
    received[5] = np.datetime64(f"{cal.last.isoformat()}T10:00:00")  # its due date is past the calendar's end
    units = rng.integers(0, 6, n)
    amounts = rng.integers(0, 40, n)
    units[5], amounts[5] = 0, 10  # 10 working days
    chan = rng.integers(0, 4, n)
    due, has, outside = due_for_rows_in_range(received, units, amounts, chan, cal, None)
    for k in range(n):  # row by row: what one-row calls give
        one, one_has, one_out = due_for_rows_in_range(received[k : k + 1], units[k : k + 1], amounts[k : k + 1],
                                                      chan[k : k + 1], cal, None)  # fmt: skip
        assert _same_days(due[k : k + 1], one)
        assert has[k] == one_has[0]
        assert outside[k] == one_out[0]
    assert np.isnat(due[np.isnat(received)]).all()
    assert not outside[np.isnat(received)].any()
    assert outside[5]
    assert np.isnat(due[5])
    assert not has[5]
    assert has.sum() > 50  # most rows with a receipt have a due date


def test_due_dates_of_a_chunk_where_every_row_has_a_receipt_at_the_calendars_end() -> None:
    """Every row with a receipt (the rows are then counted in place, not gathered): the same as row by row, and the
    due dates run up to the calendar's last working day, the next working day flagged as beyond its range."""
    cal = public_sector_calendar()
    rng = np.random.default_rng(61)
    n = 300
    received = (np.datetime64("2025-01-01T00:00:00") + rng.integers(0, 2 * 365 * 86400, n)).astype("datetime64[s]")
    units = rng.integers(0, 6, n)
    amounts = rng.integers(0, 40, n)
    chan = rng.integers(0, 4, n)
    last = np.datetime64(cal.last.isoformat())
    last_working = max(d for d in np.arange(last - 20, last + 1) if cal.is_working_day(d.astype(date)))
    received[:30] = np.datetime64(f"{last - 25}T08:00:00")
    units[:30] = 0  # working days
    amounts[:30] = np.arange(1, 31)
    due, has, outside = due_for_rows_in_range(received, units, amounts, chan, cal, None)
    inside = int(np.flatnonzero(~outside[:30])[-1])
    assert 0 < inside < 29
    assert due[inside].astype("datetime64[D]") == last_working  # the last one given: on the last working day
    assert outside[inside + 1 : 30].all()
    assert np.isnat(due[inside + 1 : 30]).all()
    assert not has[inside + 1 : 30].any()
    assert (np.diff(due[: inside + 1].astype(np.int64)) > 0).all()
    for k in range(n):
        one, one_has, one_out = due_for_rows_in_range(received[k : k + 1], units[k : k + 1], amounts[k : k + 1],
                                                      chan[k : k + 1], cal, None)  # fmt: skip
        assert _same_days(due[k : k + 1], one)
        assert (has[k], outside[k]) == (one_has[0], one_out[0])


def test_code_sets_are_looked_up_as_np_isin_says() -> None:
    """Status codes and the level letter: one table look-up per row, the same answer as ``np.isin``, for every value
    an int8 or a byte can hold (negative codes too)."""
    from tthc.records.model import DossierStatus
    from tthc.validation import steps, timeliness
    from tthc.validation.checks import _LEVEL_LETTERS, byte_set

    codes = np.arange(-128, 128, dtype=np.int8)
    for table, members in (
        (steps._DONE_SET, steps._DONE_CODES.tolist()),
        (steps._OPEN_SET, steps._OPEN_CODES),
        (timeliness._NOT_JUDGED, [DossierStatus.NOT_RECEIVED.portal_code, DossierStatus.NEW.portal_code]),
        (byte_set([0, 10, 255]), [0, 10, -1]),
    ):
        assert table[codes.view(np.uint8)].tolist() == np.isin(codes, members).tolist()
    letters = np.arange(256, dtype=np.uint8)
    assert _LEVEL_LETTERS[letters].tolist() == np.isin(letters, np.frombuffer(b"HKhk", dtype=np.uint8)).tolist()
