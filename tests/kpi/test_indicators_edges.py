"""KPI counting at its edges: each postal/online flag counted from non-symmetric rows, timeliness codes and judged
months, the comparison at the threshold, periods, rules and their texts (issue 11, item 14: tests found missing by
mutation testing)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

import tthc
from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import (
    INDICATORS,
    Indicator,
    KpiOptions,
    KpiPartial,
    KpiRules,
    Period,
    compute_kpis,
)
from tthc.records.columns import typed_columns

CAT = Catalog.sample()
OPENED = "2.001417"  # publishes a postal channel row
OPENED_TOO = "1.001022"
NOT_OPENED = "2.000884"  # no postal channel row

# Seven rows, every flag with a different count, so swapping or negating any flag changes the totals:
#   channel:        postal x3, online x2, direct x2
#   result_channel: postal x3 (rows 1, 5, 7), direct x2, online x1, missing x1
# January (rows 1-5): 5 dossiers, 3 received by post, 2 returned by post, 1 online, 4 received or returned by post.
_CHANNEL = ["postal", "postal", "postal", "direct", "online", "online", "direct"]
_RESULT = ["postal", "direct", "direct", "online", "postal", "", "postal"]
_RECEIVED = ["2025-01-06 09:00"] * 5 + ["2025-02-03 09:00", "2025-02-04 09:00"]
_FINISHED = ["2025-01-20 10:00", "2025-02-20 10:00", "", "2025-01-21 10:00", "", "2025-02-10 10:00", "2025-03-02 10:00"]


def _from_rows(
    pause: Sequence[int],
    restart: Sequence[int],
    *,
    agency: Sequence[str | None] = ("A",) * 7,
    received: Sequence[str] = _RECEIVED,
    as_of: str = "2025-04-15T00:00:00",
    agency_values: list[str | None] | None = None,
    proc_values: list[str | None] | None = None,
) -> KpiPartial:
    tc = typed_columns(
        {"channel": _CHANNEL, "result_channel": _RESULT, "received_at": list(received), "finished_at": _FINISHED}
    )
    a_values: list[str | None] = agency_values if agency_values is not None else list(dict.fromkeys(agency))
    p_values: list[str | None] = proc_values if proc_values is not None else [OPENED]
    a_inv = np.array([a_values.index(a) for a in agency], dtype=np.int64)
    p_inv = np.full(7, p_values.index(OPENED), dtype=np.int64)
    return KpiPartial.from_rows(
        tc,
        p_inv,
        p_values,
        a_inv,
        a_values,
        np.array(pause, dtype=np.int8),
        np.array(restart, dtype=np.int8),
        np.datetime64(as_of, "s"),
    )


def _vec(table: object, key: tuple[str, str, str]) -> list[int]:
    assert isinstance(table, Mapping)  # the declared type (a chunk's table keeps its keys as codes)
    return [int(x) for x in table[key]]


def test_reception_counters_count_each_flag_from_its_own_column() -> None:
    part = _from_rows([0] * 7, [0] * 7)
    # dossiers, received by post, returned by post, online, received or returned by post
    assert _vec(part.reception, ("A", OPENED, "2025-01")) == [5, 3, 2, 1, 4]
    assert _vec(part.reception, ("A", OPENED, "2025-02")) == [2, 0, 1, 1, 1]
    assert part.dossiers == 7
    assert part.unkeyed == 0


def test_judged_counters_use_the_timeliness_codes_and_the_month_judged() -> None:
    # codes: 1 early, 2 on time, 3 late, 4 open within time, 5 open overdue, 0 not judged
    pause = [1, 3, 4, 2, 5, 3, 0]
    restart = [2, 2, 5, 1, 4, 0, 3]
    part = _from_rows(pause, restart)
    # finished rows are judged in their finishing month; open rows in the month of as_of (2025-04)
    assert part.judged_pause.keys() == {("A", OPENED, m) for m in ("2025-01", "2025-02", "2025-04")}
    assert _vec(part.judged_pause, ("A", OPENED, "2025-01")) == [1, 1, 0, 0, 0]
    assert _vec(part.judged_pause, ("A", OPENED, "2025-02")) == [0, 0, 2, 0, 0]
    assert _vec(part.judged_pause, ("A", OPENED, "2025-04")) == [0, 0, 0, 1, 1]
    assert part.judged_restart.keys() == {("A", OPENED, m) for m in ("2025-01", "2025-02", "2025-03", "2025-04")}
    assert _vec(part.judged_restart, ("A", OPENED, "2025-01")) == [1, 1, 0, 0, 0]
    assert _vec(part.judged_restart, ("A", OPENED, "2025-02")) == [0, 1, 0, 0, 0]
    assert _vec(part.judged_restart, ("A", OPENED, "2025-03")) == [0, 0, 1, 0, 0]
    assert _vec(part.judged_restart, ("A", OPENED, "2025-04")) == [0, 0, 0, 1, 1]


def test_rows_without_agency_or_receipt_are_counted_as_unkeyed_only() -> None:
    received = [*_RECEIVED[:6], ""]
    part = _from_rows([1] * 7, [1] * 7, agency=["A", None, "A", "A", "A", "A", "A"], received=received)
    assert part.unkeyed == 2
    assert part.dossiers == 5
    assert _vec(part.reception, ("A", OPENED, "2025-01")) == [4, 2, 2, 1, 3]
    assert ("None", OPENED, "2025-01") not in part.reception


def test_a_large_key_space_counts_the_same_as_a_small_one() -> None:
    agency = ["A", "B", "A", "B", "B", "A", "B"]
    small = _from_rows([1, 2, 3, 4, 5, 1, 2], [2, 2, 2, 2, 2, 2, 2], agency=agency)
    # many unused agency and procedure values make the key space too big to count densely
    many_a: list[str | None] = ["A", "B", *(f"X{i}" for i in range(400))]
    many_p: list[str | None] = [*(f"P{i}" for i in range(200)), OPENED]
    large = _from_rows(
        [1, 2, 3, 4, 5, 1, 2], [2, 2, 2, 2, 2, 2, 2], agency=agency, agency_values=many_a, proc_values=many_p
    )
    for name in ("reception", "judged_pause", "judged_restart"):
        a, b = getattr(small, name), getattr(large, name)
        assert a.keys() == b.keys()
        assert all(list(a[k]) == list(b[k]) for k in a)
    assert _vec(large.reception, ("B", OPENED, "2025-01")) == [3, 1, 1, 1, 2]


def test_partials_add_exactly_and_refuse_other_types() -> None:
    one = _from_rows([1] * 7, [2] * 7)
    two = _from_rows([3] * 7, [3] * 7, agency=["B"] * 7)
    total = one + two + one
    assert total.dossiers == 21
    assert _vec(total.reception, ("A", OPENED, "2025-01")) == [10, 6, 4, 2, 8]
    assert _vec(total.reception, ("B", OPENED, "2025-01")) == [5, 3, 2, 1, 4]
    summed = KpiPartial.sum([one, two, one])
    for name in ("reception", "judged_pause", "judged_restart"):
        a, b = getattr(total, name), getattr(summed, name)
        assert a.keys() == b.keys()
        assert all(list(a[k]) == list(b[k]) for k in a)
    assert _vec(one.reception, ("A", OPENED, "2025-01")) == [5, 3, 2, 1, 4]  # summing never changes a part
    with pytest.raises(TypeError):
        one + 1  # type: ignore[operator]


def test_unkeyed_rows_add_up() -> None:
    part = KpiPartial(unkeyed=3)
    assert (part + KpiPartial(unkeyed=4)).unkeyed == 7
    assert KpiPartial.sum([part, part, KpiPartial()]).unkeyed == 6
    assert KpiPartial.sum([]).dossiers == 0


# -- computing indicators ------------------------------------------------------------------------------------------


def _partial(
    rows: dict[tuple[str, str, str], list[int]], judged: dict[tuple[str, str, str], list[int]] | None = None
) -> KpiPartial:
    rec = {k: np.array(v, dtype=np.int64) for k, v in rows.items()}
    jd = {k: np.array(v, dtype=np.int64) for k, v in (judged or {}).items()}
    return KpiPartial(rec, jd, {k: v[::-1].copy() for k, v in jd.items()})


def _get(ind: Sequence[Indicator], group: str, name: str) -> Indicator:
    return next(i for i in ind if i.group == group and i.indicator == name)


def test_indicators_read_each_counter_from_its_own_position() -> None:
    p = _partial({("A", OPENED, "2025-01"): [40, 6, 9, 13, 11], ("A", NOT_OPENED, "2025-01"): [7, 5, 5, 2, 5]})
    out = compute_kpis(p, CAT)
    assert [i.indicator for i in out] == list(INDICATORS)
    assert _get(out, "A", "dossiers").numerator == 47
    assert (_get(out, "A", "online_share").numerator, _get(out, "A", "online_share").denominator) == (15, 47)
    received = _get(out, "A", "bcci_received_share")
    returned = _get(out, "A", "bcci_returned_share")
    assert (received.numerator, received.denominator) == (6, 40)  # the procedure not opened is left out
    assert (returned.numerator, returned.denominator) == (9, 40)


def test_both_timeliness_readings_read_their_own_table() -> None:
    # pause: 5 early, 4 on time, 3 late, 2 open within, 1 overdue; restart (see _partial): the reverse order
    p = _partial({}, {("A", OPENED, "2025-01"): [5, 4, 3, 2, 1]})
    out = compute_kpis(p, CAT)
    pause, restart = _get(out, "A", "on_time_rate"), _get(out, "A", "on_time_rate_restart")
    assert (pause.numerator, pause.denominator) == (11, 15)
    assert (restart.numerator, restart.denominator) == (7, 15)
    assert _get(out, "A", "early_count").numerator == 5
    assert _get(out, "A", "on_time_count").numerator == 6
    assert _get(out, "A", "late_count").numerator == 4


@pytest.mark.parametrize(("received", "passed"), [(10, False), (11, True)])
def test_strict_comparison_at_the_threshold(received: int, passed: bool) -> None:
    p = _partial({("A", OPENED, "2025-01"): [100, received, 0, 0, received]})
    assert _get(compute_kpis(p, CAT), "A", "bcci_received_share").passed is passed


@pytest.mark.parametrize(("online", "passed"), [(49, False), (50, True), (51, True)])
def test_at_least_comparison_passes_at_the_threshold(online: int, passed: bool) -> None:
    rules = KpiRules.default().with_thresholds({"online_share": 0.5})
    p = _partial({("A", OPENED, "2025-01"): [100, 0, 0, online, 0]})
    share = _get(compute_kpis(p, CAT, KpiOptions(rules=rules)), "A", "online_share")
    assert (share.threshold, share.comparison, share.passed) == (0.5, ">=", passed)


def test_a_threshold_override_keeps_a_strict_comparison() -> None:
    rules = KpiRules.default().with_thresholds({"bcci_received_share": 0.2, "bcci_returned_share": None})
    assert rules.indicators["bcci_received_share"].comparison == ">"
    assert rules.indicators["bcci_received_share"].threshold == 0.2
    assert rules.indicators["bcci_returned_share"].threshold is None
    p = _partial({("A", OPENED, "2025-01"): [10, 2, 9, 0, 9]})
    out = compute_kpis(p, CAT, KpiOptions(rules=rules))
    assert _get(out, "A", "bcci_received_share").passed is False  # exactly 20 %: not greater
    assert _get(out, "A", "bcci_returned_share").passed is None


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_threshold_bounds_are_inclusive(value: float) -> None:
    assert KpiRules.default().with_thresholds({"online_share": value}).indicators["online_share"].threshold == value


@pytest.mark.parametrize("value", [-0.01, 1.01])
def test_threshold_outside_0_1_is_refused_with_its_name(value: float) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        KpiRules.default().with_thresholds({"online_share": value})
    assert str(info.value) == f"threshold online_share: expected a ratio between 0 and 1, got {value!r}"


def test_unknown_indicator_threshold_lists_the_known_ones() -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        KpiRules.default().with_thresholds({"speed": 0.5})
    assert str(info.value).startswith("threshold: expected one of bcci_procedures_with_postal, bcci_received_share,")
    assert str(info.value).endswith(", got 'speed'")


def test_criterion_one_counts_each_opened_procedure_once_per_group() -> None:
    p = _partial(
        {
            ("A", OPENED, "2025-01"): [10, 0, 0, 0, 0],
            ("A", OPENED, "2025-02"): [10, 0, 1, 0, 1],  # used by post in February only
            ("A", OPENED_TOO, "2025-01"): [10, 0, 0, 0, 0],
            ("B", OPENED_TOO, "2025-01"): [10, 1, 0, 0, 1],
        }
    )
    out = compute_kpis(p, CAT)
    a, b = _get(out, "A", "bcci_procedures_with_postal"), _get(out, "B", "bcci_procedures_with_postal")
    assert (a.numerator, a.denominator, a.value, a.passed) == (1, 2, 0.5, False)
    assert (b.numerator, b.denominator, b.value, b.passed) == (1, 1, 1.0, True)
    total = _get(compute_kpis(p, CAT, KpiOptions(by="total")), "all", "bcci_procedures_with_postal")
    assert (total.numerator, total.denominator) == (2, 3)  # (agency, procedure) pairs


def test_grouping_by_procedure_and_period_filters_both_tables() -> None:
    p = _partial(
        {("A", OPENED, "2025-01"): [3, 0, 0, 1, 0], ("B", OPENED_TOO, "2025-03"): [5, 0, 0, 2, 0]},
        {("A", OPENED, "2025-01"): [1, 0, 0, 0, 0], ("B", OPENED_TOO, "2025-04"): [0, 0, 2, 0, 0]},
    )
    out = compute_kpis(p, CAT, KpiOptions(by="procedure", period=Period.parse("2025-02..2025-04")))
    assert {i.group for i in out} == {OPENED_TOO}
    assert _get(out, OPENED_TOO, "dossiers").numerator == 5
    assert _get(out, OPENED_TOO, "late_count").numerator == 2
    assert all(i.period == "2025-02..2025-04" for i in out)
    judged_only = compute_kpis(p, CAT, KpiOptions(by="procedure", period=Period.parse("2025-04")))
    assert _get(judged_only, OPENED_TOO, "dossiers").numerator == 0
    assert _get(judged_only, OPENED_TOO, "on_time_rate").denominator == 2


def test_the_eligible_rule_judges_procedures_by_postal_eligibility() -> None:
    p = _partial({("A", OPENED, "2025-01"): [10, 2, 0, 0, 2], ("A", "9.999999", "2025-01"): [10, 2, 0, 0, 2]})
    out = compute_kpis(p, CAT, KpiOptions(opened_rule="eligible", period=Period.parse("2025-01")))
    c1 = _get(out, "A", "bcci_procedures_with_postal")
    assert c1.denominator == 1  # a procedure the catalog does not know is never opened
    assert "check_postal_eligibility says eligible" in c1.rule
    assert "(agency lists given override)" not in c1.rule


def test_texts_for_counts_and_agency_lists() -> None:
    p = _partial({("A", OPENED, "2025-01"): [8, 0, 0, 0, 0]})
    out = compute_kpis(p, CAT, KpiOptions(bcci_lists={"B": frozenset({OPENED})}))
    dossiers = _get(out, "A", "dossiers")
    assert (dossiers.rule, dossiers.source, dossiers.display) == (
        "dossiers received in the period",
        "count of dossier records",
        "8",
    )
    c1 = _get(out, "A", "bcci_procedures_with_postal")
    assert c1.rule.endswith(
        "; opened to BCCI = the catalog publishes a postal channel for it (agency lists given override)"
    )
    assert "766" in _get(out, "A", "online_share").source


def test_display_rounds_to_two_decimals() -> None:
    p = _partial({("A", OPENED, "2025-01"): [8, 1, 0, 1, 1]})
    assert _get(compute_kpis(p, CAT), "A", "online_share").display == "12.50 %"
    p = _partial({("A", OPENED, "2025-01"): [3, 1, 0, 2, 1]})
    assert _get(compute_kpis(p, CAT), "A", "online_share").display == "66.67 %"


# -- periods -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-Q1", "2025-01", "2025-03"),
        ("2025q4", "2025-10", "2025-12"),
        (" 2025-03 ", "2025-03", "2025-03"),
        ("2024..2025-Q2", "2024-01", "2025-06"),
        ("2025-11..", "2025-11", None),
        ("..2025-06", None, "2025-06"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_period_forms(text: str | None, start: str | None, end: str | None) -> None:
    assert Period.parse(text) == Period(start, end)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-Q5", "25", "2025/03", "2025..2026..2027", "..2025..2026"])
def test_period_refuses_other_text(text: str) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Period.parse(text)
    assert str(info.value) == f"period: expected YYYY, YYYY-MM, YYYY-Qn, or A..B of those, got {text!r}"


@pytest.mark.parametrize("text", ["2025-06..2025-05", "2026..2025", "2025-Q3..2025-Q2", "2025-01..2024"])
def test_a_period_that_ends_before_it_starts_is_refused(text: str) -> None:
    """A reversed range kept no month at all, silently: a report of nothing (found by session 11's review)."""
    with pytest.raises(tthc.InvalidValueError) as info:
        Period.parse(text)
    assert info.value.field == "period"
    assert str(info.value).startswith("period: expected a range of months whose first is not after its last, got ")


@pytest.mark.parametrize(("text", "months"), [("2025-06..2025-06", 1), ("2025-06..2025-07", 2), ("2025..2025", 12)])
def test_a_period_of_one_or_more_months_is_accepted(text: str, months: int) -> None:
    period = Period.parse(text)
    assert sum(f"2025-{m:02d}" in period for m in range(1, 13)) == months


@pytest.mark.parametrize(("start", "end"), [("2025-06", "2025-05"), ("2025-13", None), (None, "25-01"), (202501, None)])
def test_a_period_built_directly_is_checked_as_a_parsed_one(start: object, end: object) -> None:
    with pytest.raises(tthc.InvalidValueError) as info:
        Period(start, end)  # type: ignore[arg-type]
    assert info.value.field == "period"


def test_period_bounds_are_inclusive_and_print_plainly() -> None:
    q2 = Period.parse("2025-Q2")
    assert ["2025-03" in q2, "2025-04" in q2, "2025-06" in q2, "2025-07" in q2] == [False, True, True, False]
    assert 202504 not in q2
    assert "1999-01" in Period()
    assert "2999-12" in Period(None, None)
    assert (str(Period()), str(q2), str(Period.parse("2025-05")), str(Period(None, "2025-05"))) == (
        "all",
        "2025-04..2025-06",
        "2025-05",
        "…..2025-05",
    )


# -- rule files ----------------------------------------------------------------------------------------------------


def test_rule_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    ref = {"document": "QĐ 1/UBND", "tag": "example"}
    path.write_text(
        json.dumps(
            {"indicators": {"online_share": {"threshold": 0.3, "comparison": ">", "rule": "r", "reference": ref}}}
        ),
        encoding="utf-8",
    )
    rules = KpiRules.load(path)
    assert rules.indicators["online_share"].threshold == 0.3
    assert rules.indicators["bcci_received_share"] == KpiRules.default().indicators["bcci_received_share"]


def test_rule_file_that_does_not_match_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"indicators": {"online_share": {"threshold": "high"}}}), encoding="utf-8")
    with pytest.raises(tthc.DataFileError) as info:
        KpiRules.load(path)
    assert str(info.value).startswith(f"{path}: expected KPI rules like tthc/data/kpi_rules.json: ")


def test_a_group_adds_up_every_key_it_covers() -> None:
    p = _partial(
        {
            ("A", OPENED, "2025-01"): [10, 2, 3, 4, 4],
            ("A", OPENED, "2025-02"): [5, 0, 0, 0, 0],  # the same procedure, not used by post that month
            ("B", OPENED, "2025-02"): [20, 5, 6, 7, 9],
            ("B", OPENED_TOO, "2025-02"): [30, 1, 0, 2, 1],
        },
        {("A", OPENED, "2025-01"): [1, 2, 3, 4, 5], ("B", OPENED, "2025-02"): [6, 7, 8, 9, 10]},
    )
    out = compute_kpis(p, CAT, KpiOptions(by="total"))
    figures = {i.indicator: (i.numerator, i.denominator) for i in out}
    assert figures["dossiers"] == (65, None)
    assert figures["bcci_received_share"] == (8, 65)
    assert figures["bcci_returned_share"] == (9, 65)
    assert figures["online_share"] == (13, 65)
    assert figures["bcci_procedures_with_postal"] == (3, 3)
    # pause: early 7, on time 9, late 11, open within 13, overdue 15; restart is the reverse of each row
    assert figures["on_time_rate"] == (29, 55)
    assert figures["on_time_rate_restart"] == (5 + 4 + 2 + 10 + 9 + 7, 55)
    assert figures["early_count"] == (7, None)
    assert figures["late_count"] == (26, None)
