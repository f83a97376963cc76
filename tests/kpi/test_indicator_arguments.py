"""Every argument check of the KPI counting, with its exact field, expectation and the value given, on both sides of
each bound: the index arrays, the code arrays, the value lists, ``as_of``, the parts of a sum and the arguments of
``compute_kpis`` (issue 11, item 14: the survivors of mutation testing were these checks)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tthc
from tthc.catalog.collection import Catalog
from tthc.kpi.indicators import KpiOptions, KpiPartial, KpiRules, compute_kpis
from tthc.records.columns import typed_columns

CAT = Catalog.sample()
OPENED = "2.001417"  # publishes a postal channel row

# three rows, agency A, one opened procedure, received in January 2025: 2 by post, 1 online; 1 returned by post
TC = typed_columns(
    {
        "channel": ["postal", "online", "postal"],
        "result_channel": ["postal", "direct", ""],
        "received_at": ["2025-01-06 09:00"] * 3,
        "finished_at": ["2025-01-20 10:00", "", "2025-02-03 10:00"],
    }
)


def _args(**kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "tc": TC,
        "proc_inv": np.zeros(3, dtype=np.int64),
        "proc_values": [OPENED],
        "agency_inv": np.zeros(3, dtype=np.int64),
        "agency_values": ["A"],
        "t_pause": np.array([1, 4, 3], dtype=np.int8),
        "t_restart": np.array([2, 5, 3], dtype=np.int8),
        "as_of": np.datetime64("2025-03-01T00:00:00", "s"),
    }
    args.update(kw)
    return args


def _refused(**kw: Any) -> tuple[str, str, object]:
    with pytest.raises(tthc.InvalidValueError) as info:
        KpiPartial.from_rows(**_args(**kw))
    return info.value.field, info.value.expected, info.value.given


def test_the_reference_arguments_count() -> None:
    part = KpiPartial.from_rows(**_args())
    assert [int(x) for x in part.reception[("A", OPENED, "2025-01")]] == [3, 2, 1, 1, 2]
    assert [int(x) for x in part.judged_pause[("A", OPENED, "2025-01")]] == [1, 0, 0, 0, 0]
    assert [int(x) for x in part.judged_pause[("A", OPENED, "2025-02")]] == [0, 0, 1, 0, 0]
    assert [int(x) for x in part.judged_pause[("A", OPENED, "2025-03")]] == [0, 0, 0, 1, 0]  # open at as_of
    assert [int(x) for x in part.judged_restart[("A", OPENED, "2025-03")]] == [0, 0, 0, 0, 1]


def test_the_columns_must_be_typed_columns() -> None:
    assert _refused(tc={"channel": ["postal"]}) == ("tc", "TypedColumns", "dict")


@pytest.mark.parametrize("field", ["proc_inv", "agency_inv"])
def test_index_arrays_must_be_integer_arrays_of_one_row_each(field: str) -> None:
    assert _refused(**{field: [0, 0, 0]}) == (field, "an integer index array", "list")
    assert _refused(**{field: np.zeros(3)}) == (field, "an integer index array of 3 rows", "float64(3,)")
    assert _refused(**{field: np.zeros(2, dtype=np.int64)}) == (field, "an integer index array of 3 rows", "int64(2,)")
    assert _refused(**{field: np.zeros(4, dtype=np.int64)}) == (field, "an integer index array of 3 rows", "int64(4,)")
    assert _refused(**{field: np.zeros((3, 1), dtype=np.int64)}) == (
        field,
        "an integer index array of 3 rows",
        "int64(3, 1)",
    )
    assert KpiPartial.from_rows(**_args(**{field: np.zeros(3, dtype=np.uint8)})).dossiers == 3


@pytest.mark.parametrize("field", ["t_pause", "t_restart"])
def test_code_arrays_must_have_one_code_per_row(field: str) -> None:
    assert _refused(**{field: [1, 1, 1]}) == (field, "a timeliness code array", "list")
    assert _refused(**{field: np.ones(2, dtype=np.int8)}) == (field, "a code array of 3 rows", "int8(2,)")
    assert _refused(**{field: np.ones(4, dtype=np.int8)}) == (field, "a code array of 3 rows", "int8(4,)")


@pytest.mark.parametrize(("values", "inv"), [("proc_values", "proc_inv"), ("agency_values", "agency_inv")])
def test_value_lists_must_cover_every_index(values: str, inv: str) -> None:
    assert _refused(**{values: ("A",)}) == (values, "a list of codes", "tuple")
    two: list[str | None] = ["X", OPENED] if values == "proc_values" else ["X", "A"]
    # the largest index is the last value: accepted; one more is refused
    assert KpiPartial.from_rows(**_args(**{values: two, inv: np.array([1, 1, 1])})).dossiers == 3
    assert _refused(**{values: two, inv: np.array([1, 2, 1])}) == (values, "a list covering every index", "2 values")
    # the smallest index is 0: accepted; below it is refused
    assert KpiPartial.from_rows(**_args(**{values: two, inv: np.array([0, 1, 1])})).dossiers == 3
    assert _refused(**{values: two, inv: np.array([1, -1, 1])}) == (values, "a list covering every index", "2 values")


def test_as_of_must_be_a_numpy_datetime() -> None:
    assert _refused(as_of="2025-03-01") == ("as_of", "a numpy datetime64", "str")


def test_no_rows_count_nothing() -> None:
    empty = typed_columns({"channel": [], "result_channel": [], "received_at": [], "finished_at": []})
    none = np.zeros(0, dtype=np.int64)
    codes = np.zeros(0, dtype=np.int8)
    part = KpiPartial.from_rows(
        **_args(tc=empty, proc_inv=none, agency_inv=none, t_pause=codes, t_restart=codes, proc_values=[])
    )
    assert (part.reception, part.judged_pause, part.judged_restart, part.unkeyed) == ({}, {}, {}, 0)


# -- summing and computing ------------------------------------------------------------------------------------------


def test_a_sum_takes_an_iterable_of_partials_only() -> None:
    part = KpiPartial.from_rows(**_args())
    with pytest.raises(tthc.InvalidValueError) as info:
        KpiPartial.sum(part)  # type: ignore[arg-type]
    assert (info.value.field, info.value.expected, info.value.given) == (
        "parts",
        "an iterable of KpiPartial",
        "KpiPartial",
    )
    with pytest.raises(tthc.InvalidValueError) as info:
        KpiPartial.sum([part, 3])  # type: ignore[list-item]
    assert (info.value.field, info.value.expected, info.value.given) == ("parts", "an iterable of KpiPartial", "int")


def test_a_sum_adds_every_table_and_never_changes_a_part() -> None:
    one = KpiPartial.from_rows(**_args())
    other = KpiPartial.from_rows(**_args(agency_values=["B"], t_pause=np.array([2, 5, 0], dtype=np.int8)))
    total = KpiPartial.sum(iter([one, other, one]))
    assert [int(x) for x in total.reception[("A", OPENED, "2025-01")]] == [6, 4, 2, 2, 4]
    assert [int(x) for x in total.reception[("B", OPENED, "2025-01")]] == [3, 2, 1, 1, 2]
    assert [int(x) for x in total.judged_pause[("A", OPENED, "2025-01")]] == [2, 0, 0, 0, 0]
    assert [int(x) for x in total.judged_pause[("B", OPENED, "2025-01")]] == [0, 1, 0, 0, 0]
    assert [int(x) for x in total.judged_pause[("B", OPENED, "2025-03")]] == [0, 0, 0, 0, 1]
    assert ("B", OPENED, "2025-02") not in total.judged_pause  # code 0: not judged
    assert [int(x) for x in total.judged_restart[("A", OPENED, "2025-03")]] == [0, 0, 0, 0, 2]
    assert [int(x) for x in one.reception[("A", OPENED, "2025-01")]] == [3, 2, 1, 1, 2]
    assert [int(x) for x in one.judged_restart[("A", OPENED, "2025-03")]] == [0, 0, 0, 0, 1]


def _compute_refused(*args: Any) -> tuple[str, str, object]:
    with pytest.raises(tthc.InvalidValueError) as info:
        compute_kpis(*args)
    return info.value.field, info.value.expected, info.value.given


def test_compute_kpis_checks_its_arguments() -> None:
    part = KpiPartial.from_rows(**_args())
    assert _compute_refused({}, CAT) == ("partial", "a KpiPartial", "dict")
    assert _compute_refused(part, [CAT]) == ("catalog", "a Catalog", "list")
    assert _compute_refused(part, CAT, {"by": "total"}) == ("options", "KpiOptions", "dict")
    assert compute_kpis(part, CAT, None) == compute_kpis(part, CAT, KpiOptions())


def test_a_threshold_given_to_a_rule_without_a_comparison_is_an_at_least_threshold() -> None:
    rules = KpiRules.default()
    assert rules.indicators["late_count"].comparison is None
    late = rules.with_thresholds({"late_count": 0.5}).indicators["late_count"]
    assert (late.threshold, late.comparison) == (0.5, ">=")
    assert rules.indicators["late_count"].threshold is None  # the rules it came from are unchanged


def test_one_row_is_counted() -> None:
    one = typed_columns(
        {
            "channel": ["postal"],
            "result_channel": ["postal"],
            "received_at": ["2025-01-06 09:00"],
            "finished_at": ["2025-01-20 10:00"],
        }
    )
    row = np.zeros(1, dtype=np.int64)
    code = np.array([2], dtype=np.int8)
    part = KpiPartial.from_rows(**_args(tc=one, proc_inv=row, agency_inv=row, t_pause=code, t_restart=code))
    assert [int(x) for x in part.reception[("A", OPENED, "2025-01")]] == [1, 1, 1, 0, 1]
    assert [int(x) for x in part.judged_pause[("A", OPENED, "2025-01")]] == [0, 1, 0, 0, 0]
