"""Which procedures count as opened to BCCI, and on which day the ``eligible`` rule judges them; and the counters
keep their integer type whichever way a chunk is counted (issue 11, item 14: tests found missing by mutation
testing)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import Indicator, KpiOptions, KpiPartial, KpiRules, Period, compute_kpis
from tthc.records.columns import typed_columns

CAT = Catalog.sample()
# publishes a postal channel row, but postal eligibility cannot be decided for it (no postal service rule)
POSTAL_ROW_ONLY = "1.000893"
# eligible for postal service from QĐ 45/2016 on; before it (2016-01) the answer is unknown
ELIGIBLE_SINCE_2016 = "1.001193"


def _share(out: Sequence[Indicator]) -> tuple[int, int | None]:
    share = next(i for i in out if i.indicator == "bcci_received_share")
    return share.numerator, share.denominator


def _received(procedure: str, month: str) -> KpiPartial:
    return KpiPartial({("A", procedure, month): np.array([8, 3, 0, 0, 3], dtype=np.int64)})


def test_by_default_a_published_postal_channel_opens_a_procedure() -> None:
    part = _received(POSTAL_ROW_ONLY, "2025-03")
    assert _share(compute_kpis(part, CAT)) == (3, 8)
    assert _share(compute_kpis(part, CAT, KpiOptions(opened_rule="eligible"))) == (0, 0)


@pytest.mark.parametrize(
    ("period", "opened"),
    [
        ("2016-01", False),  # judged on 1 Jan 2016: before QĐ 45/2016
        ("2016-01..", False),  # no end: judged on the first month
        ("..2016-01", False),  # no start: judged on the last month
        ("2016-01..2025-12", True),  # judged on the last month
    ],
)
def test_the_eligible_rule_judges_on_the_last_month_of_the_period(period: str, opened: bool) -> None:
    part = _received(ELIGIBLE_SINCE_2016, "2016-01")
    out = compute_kpis(part, CAT, KpiOptions(opened_rule="eligible", period=Period.parse(period)))
    assert _share(out) == ((3, 8) if opened else (0, 0))


def test_the_eligible_rule_without_a_period_judges_today() -> None:
    part = _received(ELIGIBLE_SINCE_2016, "2016-01")
    assert _share(compute_kpis(part, CAT, KpiOptions(opened_rule="eligible"))) == (3, 8)


@pytest.mark.parametrize("extra_values", [0, 400])
def test_counters_are_integers_whichever_way_a_chunk_is_counted(extra_values: int) -> None:
    # few agency values: the key space is counted densely; many: through the unique keys
    tc = typed_columns(
        {
            "channel": ["postal", "online", "direct"],
            "result_channel": ["postal", "", "postal"],
            "received_at": ["2025-01-06 09:00", "2025-02-06 09:00", "2025-02-07 09:00"],
            "finished_at": ["2025-01-20 10:00", "", ""],
        }
    )
    agencies: list[str | None] = ["A", "B", *(f"X{i}" for i in range(extra_values))]
    procedures: list[str | None] = [ELIGIBLE_SINCE_2016, *(f"P{i}" for i in range(extra_values))]
    part = KpiPartial.from_rows(
        tc,
        np.zeros(3, dtype=np.int64),
        procedures,
        np.array([0, 1, 1], dtype=np.int64),
        agencies,
        np.array([2, 4, 5], dtype=np.int8),
        np.array([2, 4, 5], dtype=np.int8),
        np.datetime64("2025-03-01T00:00:00", "s"),
    )
    for table in (part.reception, part.judged_pause, part.judged_restart):
        assert table
        assert all(v.dtype == np.int64 for v in table.values())
    assert [int(x) for x in part.reception[("B", ELIGIBLE_SINCE_2016, "2025-02")]] == [2, 0, 1, 1, 1]
    assert [int(x) for x in part.judged_pause[("B", ELIGIBLE_SINCE_2016, "2025-03")]] == [0, 0, 0, 1, 1]


def test_months_before_1970_are_keyed_like_any_other() -> None:
    # numpy counts months from 1970-01: earlier months are negative, and the key space must still span them
    tc = typed_columns(
        {
            "channel": ["postal", "online", "direct", "postal"],
            "result_channel": ["", "", "postal", ""],
            "received_at": ["1969-11-03 09:00", "1969-12-01 09:00", "1969-12-02 09:00", "1970-02-02 09:00"],
            "finished_at": ["", "", "", ""],
        }
    )
    codes = np.zeros(4, dtype=np.int8)
    index = np.zeros(4, dtype=np.int64)
    as_of = np.datetime64("1970-03-01T00:00:00", "s")
    part = KpiPartial.from_rows(tc, index, [ELIGIBLE_SINCE_2016], index, ["A"], codes, codes, as_of)
    assert {k: [int(x) for x in v] for k, v in part.reception.items()} == {
        ("A", ELIGIBLE_SINCE_2016, "1969-11"): [1, 1, 0, 0, 1],
        ("A", ELIGIBLE_SINCE_2016, "1969-12"): [2, 0, 1, 1, 1],
        ("A", ELIGIBLE_SINCE_2016, "1970-02"): [1, 1, 0, 0, 1],
    }


def test_rule_texts_are_in_the_language_asked() -> None:
    part = _received(ELIGIBLE_SINCE_2016, "2025-01")
    rules = KpiRules.default().indicators
    for lang, count_rule, count_source in (
        ("en", "dossiers received in the period", "count of dossier records"),
        ("vi", "số hồ sơ tiếp nhận trong kỳ", "đếm số bản ghi hồ sơ"),
    ):
        out = {i.indicator: i for i in compute_kpis(part, CAT, lang=lang)}
        assert (out["dossiers"].rule, out["dossiers"].source) == (count_rule, count_source)
        rule = rules["on_time_rate"]
        assert out["on_time_rate"].rule == (rule.rule_vi if lang == "vi" else rule.rule)
    assert rules["on_time_rate"].rule_vi  # both texts given: the language picks one


def test_open_periods_print_an_ellipsis_at_the_open_end() -> None:
    assert (str(Period("2025-05", None)), str(Period(None, "2025-05"))) == ("2025-05..…", "…..2025-05")
