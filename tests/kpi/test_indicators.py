"""KPIs: the seed BCCI criteria (domain.md §6, strict >), the QĐ 766 indicators, n/a, periods, thresholds, CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tthc.catalog.collection import Catalog
from tthc.cli import main
from tthc.errors import InvalidValueError
from tthc.kpi.indicators import INDICATORS, Indicator, KpiOptions, KpiPartial, KpiRules, Period, compute_kpis
from tthc.testing.record_files import row, write_csv

CAT = Catalog.sample()


def _partial(
    rows: dict[tuple[str, str, str], list[int]], judged: dict[tuple[str, str, str], list[int]] | None = None
) -> KpiPartial:
    rec = {k: np.array(v, dtype=np.int64) for k, v in rows.items()}
    jd = {k: np.array(v, dtype=np.int64) for k, v in (judged or {}).items()}
    return KpiPartial(rec, jd, jd)


def _get(ind: Sequence[Indicator], group: str, name: str) -> Indicator:
    return next(i for i in ind if i.group == group and i.indicator == name)


def test_seed_criteria_are_strictly_greater() -> None:
    """Gia Lai seed criteria (domain.md §6): > 10 % received by post — exactly 10 % fails."""
    # 2.001417 publishes a postal channel: 100 dossiers, 10 received by post, 15 returned by post
    p = _partial({("A", "2.001417", "2025-01"): [100, 10, 15, 0, 20]})
    out = compute_kpis(p, CAT)
    rec = _get(out, "A", "bcci_received_share")
    assert (rec.numerator, rec.denominator, rec.value, rec.threshold, rec.passed) == (10, 100, 0.1, 0.1, False)
    ret = _get(out, "A", "bcci_returned_share")
    assert (ret.value, ret.passed) == (0.15, False)
    p2 = _partial({("A", "2.001417", "2025-01"): [100, 11, 16, 0, 20]})
    assert _get(compute_kpis(p2, CAT), "A", "bcci_received_share").passed is True


def test_criterion_one_counts_procedures_with_any_postal_use() -> None:
    """Criterion 1: share of BCCI-opened procedures with ≥ 1 dossier received or result returned by post (> 50 %)."""
    p = _partial(
        {
            ("A", "2.001417", "2025-01"): [10, 1, 0, 0, 1],
            ("A", "1.001022", "2025-01"): [10, 0, 0, 0, 0],
            ("A", "2.000884", "2025-01"): [10, 0, 0, 0, 0],  # no postal channel published: not opened to BCCI
        }
    )
    c1 = _get(compute_kpis(p, CAT), "A", "bcci_procedures_with_postal")
    assert (c1.numerator, c1.denominator, c1.value, c1.passed) == (1, 2, 0.5, False)
    assert "opened to BCCI = the catalog publishes a postal channel" in c1.rule


def test_zero_denominator_is_na_not_zero() -> None:
    p = _partial({("A", "2.000884", "2025-01"): [5, 0, 0, 5, 0]})
    out = compute_kpis(p, CAT)
    for name in ("bcci_procedures_with_postal", "bcci_received_share", "bcci_returned_share", "on_time_rate"):
        i = _get(out, "A", name)
        assert i.value is None
        assert i.passed is None
        assert i.display == "n/a"
    assert _get(out, "A", "online_share").value == 1.0


def test_on_time_rate_counts_open_within_time_and_names_both_readings() -> None:
    """QĐ 766 2.1: early + on time + still within time over dossiers handled; both readings are separate ids."""
    p = _partial({}, {("A", "2.001417", "2025-01"): [5, 3, 1, 1, 0]})
    out = compute_kpis(p, CAT)
    rate = _get(out, "A", "on_time_rate")
    assert (rate.numerator, rate.denominator) == (9, 10)
    assert "766" in rate.source
    assert "61/2018" in _get(out, "A", "on_time_rate_restart").source
    assert _get(out, "A", "late_count").numerator == 1


def test_groupings_and_periods() -> None:
    p = _partial({("A", "2.001417", "2025-01"): [10, 2, 2, 5, 2], ("B", "2.001417", "2025-04"): [30, 3, 3, 9, 3]})
    by_month = compute_kpis(p, CAT, KpiOptions(by="month"))
    assert {i.group for i in by_month} == {"2025-01", "2025-04"}
    q1 = compute_kpis(p, CAT, KpiOptions(by="total", period=Period.parse("2025-Q1")))
    assert _get(q1, "all", "dossiers").numerator == 10
    assert Period.parse("2025") == Period("2025-01", "2025-12")
    assert Period.parse("2025-02..2025-05") == Period("2025-02", "2025-05")
    assert Period.parse("..2025-05") == Period(None, "2025-05")
    with pytest.raises(InvalidValueError, match="period"):
        Period.parse("last year")


def test_thresholds_are_data_and_overridable(tmp_path: Path) -> None:
    rules = KpiRules.default()
    assert rules.indicators["bcci_procedures_with_postal"].threshold == 0.5
    assert rules.indicators["bcci_received_share"].comparison == ">"
    custom = rules.with_thresholds({"bcci_received_share": 0.05})
    p = _partial({("A", "2.001417", "2025-01"): [100, 10, 15, 0, 20]})
    assert _get(compute_kpis(p, CAT, KpiOptions(rules=custom)), "A", "bcci_received_share").passed is True
    with pytest.raises(InvalidValueError):
        rules.with_thresholds({"bcci_received_share": 5})
    with pytest.raises(InvalidValueError):
        rules.with_thresholds({"nope": 0.1})


def test_agency_lists_override_the_catalog_rule() -> None:
    p = _partial({("A", "2.001417", "2025-01"): [10, 0, 0, 0, 0], ("A", "2.000884", "2025-01"): [10, 5, 5, 0, 5]})
    out = compute_kpis(p, CAT, KpiOptions(bcci_lists={"A": frozenset({"2.000884"})}))
    c1 = _get(out, "A", "bcci_procedures_with_postal")
    assert (c1.numerator, c1.denominator) == (1, 1)


def test_kpi_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 5 item 3: one object per (group, indicator) with the documented keys and ids."""
    code = main(["kpi", "--sample", "--by", "agency", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1  # the sample has agencies failing a seed criterion
    keys = {"group", "indicator", "numerator", "denominator", "value", "threshold", "passed", "rule", "source"}
    assert all(keys <= set(d) for d in data)
    assert {d["indicator"] for d in data} == set(INDICATORS)
    assert {
        "bcci_procedures_with_postal",
        "bcci_received_share",
        "bcci_returned_share",
        "on_time_rate",
        "online_share",
    } <= {d["indicator"] for d in data}
    for d in data:
        assert d["value"] is None or 0 <= d["value"] <= 1 or d["denominator"] is None
        if d["passed"] is not None:
            assert d["passed"] == (d["value"] > d["threshold"])
    groups = {d["group"] for d in data}
    assert len(groups) == 6
    assert all(g.startswith("000.00.") for g in groups)


def test_kpi_cli_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write_csv(tmp_path / "r.csv", [row(), row(dossier_code="000.00.12.H21-250303-0002", channel="postal",
                                                     online_level="", tracking_number="EB123456785VN")])  # fmt: skip
    assert main(["kpi", str(f), "--by", "total", "--json", "--threshold", "bcci_received_share=60%"]) == 1
    data = {d["indicator"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["bcci_received_share"]["value"] == 0.5
    assert data["bcci_received_share"]["threshold"] == 0.6
    assert main(["kpi", str(f), "--period", "2024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["kpi", str(f), "--threshold", "nonsense"]) == 2


@pytest.mark.realdata
def test_kpi_with_a_real_portal_export_as_catalog(real_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--catalog takes a national-portal JSON Lines export (imported on the fly)."""
    path = real_data / "portal_defence_207.jsonl.gz"
    code = main(["kpi", "--sample", "--catalog", str(path), "--by", "total", "--json"])
    assert code == 1  # the sample's procedures are not Ministry of Defence procedures: rows are invalid
    data = {d["indicator"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["dossiers"]["numerator"] > 3000
    # nothing the defence catalog knows was received: the BCCI shares have no denominator
    assert data["bcci_received_share"]["value"] is None


def test_partials_of_another_shape_are_refused_by_sum() -> None:
    """Found by the hostile API property: counters of another width (or not numbers) are a TthcError, not numpy's
    broadcasting error; two well-formed parts still add up key by key."""
    key = ("000.00.22.H21", "1.000178", "2026-03")
    good = KpiPartial(reception={key: np.array([3, 1, 0, 2, 1], dtype=np.int64)})
    twice = KpiPartial.sum([good, good])
    assert twice.reception[key].tolist() == [6, 2, 0, 4, 2]
    wide = KpiPartial(judged_restart={key: np.ones((4, 6), dtype=np.int64)})
    with pytest.raises(InvalidValueError, match="count tables of 5 whole-number counters"):
        KpiPartial.sum([wide, wide])
    with pytest.raises(InvalidValueError, match="count tables of 5"):
        KpiPartial.sum([wide])
    words = KpiPartial(reception={key: np.array(["a", "b", "c", "d", "e"])})
    with pytest.raises(InvalidValueError, match=r"got array\(\[\[.a., .b., .c., .d., .e.\]\]"):
        KpiPartial.sum([words, good])
