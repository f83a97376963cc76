"""Conformance over the real portal exports (../shared/data/real): every procedure gets a verdict and every channel
row a quote, without errors; unknown facts stay unknown; USD fees stay USD."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from tthc.catalog.collection import Catalog
from tthc.fees.quotes import quote
from tthc.foundation.channels import Channel
from tthc.postal.eligibility import check_postal_eligibility

pytestmark = pytest.mark.realdata


def _catalog(real_data: Path, name: str, every: int) -> Catalog:
    with gzip.open(real_data / name, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for i, line in enumerate(fh) if i % every == 0]
    return Catalog.from_portal(rows).catalog


@pytest.mark.parametrize(("name", "every"), [("portal_defence_207.jsonl.gz", 1), ("portal_national_2642.jsonl.gz", 7)])
def test_real_catalog_verdicts_and_quotes(real_data: Path, name: str, every: int) -> None:
    cat = _catalog(real_data, name, every)
    assert len(cat) > 0
    currencies: set[str] = set()
    for p in cat:
        v = check_postal_eligibility(p, on=date(2024, 6, 1))
        if v.eligible is None:
            assert v.missing, p.code  # an unknown verdict always says what is missing
        for ch in p.channel_set:
            q = quote(
                p,
                channel=ch,
                on=date(2024, 6, 1),
                postal="both" if ch is Channel.POSTAL else None,
                route="same_district",
            )
            assert q.complete == all(line.amount is not None for line in q.lines)
            for line in q.lines:
                if line.amount is not None and line.kind.value == "fee":
                    currencies.add(line.amount.currency)
                    assert line.amount.minor >= 0
    assert "VND" in currencies
